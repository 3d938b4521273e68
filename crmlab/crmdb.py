"""A small but real CRM database (SQLite, Python standard library) for chapter 7.

The lecture's CRM system (《客户关系管理》第四节 CRM系统的实施) has three faces:
operational CRM (操作型: register customers, record orders, handle complaints),
collaborative CRM (合作型: every channel and department writes to one database)
and analytical CRM (分析型: views that turn the records into customer
knowledge). This module builds all three on one SQLite file:

* ``create(path)`` — the schema, versioned with ``PRAGMA user_version``;
  ``migrate`` moves an old file to the newest version and keeps every row.
* Tables: ``customers`` (the unified customer file of chapter 0),
  ``source_records`` (each channel's record -> customer), ``orders``,
  ``contacts`` (企业投入记录), ``complaints`` and ``complaint_events`` (the
  complaint's history), plus the lookup tables ``workflow_steps``,
  ``workflow_moves`` and ``complaint_types``.
* Rules inside the database, so they hold for every client (not only crmlab):
  foreign keys, CHECK constraints (money >= 0, known steps and types, ISO
  dates, mobile numbers), and triggers that enforce the eight-step complaint
  workflow: a complaint changes step only by appending an event whose move is
  in ``workflow_moves``; events can be neither changed nor deleted (留档分析).
* Views for analytical CRM: ``customer_360``, ``rfm`` (equal to
  ``crmlab.rfm.summary``), ``complaint_status``, ``kpi_monthly`` (the four
  implementation goals) and, from version 2, ``marketing_list``; phone numbers
  and e-mails appear masked in every view. ``connect(path, role="analyst")``
  opens the file read-only and refuses to read raw phones or e-mails.

Every statement is parameterised; errors a user can meet are ``CRMDBError``
(a ``ValueError``) with the message in Chinese first, then English.

>>> conn = create(":memory:")
>>> schema_version(conn)
2
>>> cid = register_customer(conn, name="王伟", phone="13800138000", registered="2024-01-05")
>>> oid = record_order(conn, cid, order_date="2024-02-01", amount=199.0, cost=120.0)
>>> n = open_complaint(conn, cid, complaint_type="quality", opened_at="2024-02-03 09:00:00",
...                    description="屏幕有划痕")
>>> advance(conn, n, "judge", at="2024-02-03 10:00:00")
'judge'
>>> advance(conn, n, "closed", at="2024-02-03 11:00:00")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
crmlab.crmdb.CRMDBError: 推进投诉：投诉流程不允许这一步：“判定是否成立”之后只能是...
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from crmlab import complaints as _complaints
from crmlab import glossary

__all__ = [
    "COMPLAINT_TYPES",
    "CRMDBError",
    "MASKED_VIEWS",
    "SCHEMA_VERSION",
    "STEPS",
    "TABLES",
    "TRANSITIONS",
    "advance",
    "backup",
    "complaint_tables",
    "connect",
    "course_tables",
    "create",
    "kpis",
    "load",
    "load_course_data",
    "migrate",
    "open_complaint",
    "query",
    "record_contact",
    "record_order",
    "register_customer",
    "restore",
    "rfm",
    "schema_version",
    "search_customers",
    "table_rows",
    "transaction",
]

SCHEMA_VERSION = 2

# --- the complaint workflow: one source of truth, chapter 5's crmlab.complaints ---------

#: step code -> 中文 label (a complaint's step is the step last completed)
STEPS: dict[str, str] = {s: glossary.VALUES["step"][s][0] for s in _complaints.STEPS}

#: legal moves: step -> the steps allowed next (``crmlab.complaints.TRANSITIONS``)
TRANSITIONS: dict[str, tuple[str, ...]] = dict(_complaints.TRANSITIONS)

#: complaint type code -> 中文 label
COMPLAINT_TYPES: dict[str, str] = {t: glossary.VALUES["complaint_type"][t][0]
                                   for t in _complaints.TYPES}

#: tables in load order (parents before children) -> their columns
TABLES: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "name", "phone", "email", "city", "gender", "birth_date",
                  "registered"),
    "source_records": ("record_id", "customer_id", "source", "registered"),
    "orders": ("order_id", "customer_id", "record_id", "order_date", "amount", "cost",
               "category"),
    "contacts": ("contact_id", "customer_id", "record_id", "contact_date", "kind", "cost"),
    "complaints": ("complaint_id", "ticket", "customer_id", "order_id", "complaint_type",
                   "sub_item", "opened_at", "department", "description", "sla_days",
                   "satisfaction"),
    "complaint_events": ("event_id", "complaint_id", "from_step", "to_step", "at", "actor",
                         "note"),
}

#: views that show phones and e-mails only masked (an analyst may read them)
MASKED_VIEWS = ("customers_masked", "customer_360", "rfm", "complaint_status", "kpi_monthly",
                "marketing_list")

_KEY = {"customers": "customer_id", "source_records": "record_id", "orders": "order_id",
        "contacts": "contact_id", "complaints": "complaint_id", "complaint_events": "event_id"}
_DATE_COLUMNS = {"birth_date", "registered", "order_date", "contact_date"}
_DATETIME_COLUMNS = {"opened_at", "at"}
_TABLE_ZH = {"customers": "客户表", "source_records": "渠道记录表", "orders": "订单表",
             "contacts": "企业投入记录表", "complaints": "投诉表",
             "complaint_events": "投诉处理记录表"}


class CRMDBError(ValueError):
    """A refused operation: the message says why, in Chinese first, then in English.

    It is a ``ValueError``, so ``except ValueError`` catches it too.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> try:
    ...     table_rows(conn, "nope")
    ... except CRMDBError as error:
    ...     print(isinstance(error, ValueError))
    True
    """


# --- schema ----------------------------------------------------------------------

#: named CHECK constraints: name -> (中文 explanation, English explanation)
CONSTRAINTS: dict[str, tuple[str, str]] = {
    "name_not_empty": ("姓名不能为空", "the name must not be empty"),
    "phone_mobile": ("手机号应为 1 开头的 11 位数字（先用 customer_file.normalize_phone 清洗）",
                     "the phone must be 11 digits starting with 1 (clean it first)"),
    "email_has_at": ("电子邮箱应形如 name@example.com",
                     "the e-mail must look like name@example.com"),
    "gender_known": ("性别只能是“男”或“女”（或留空）", "gender must be 男 or 女 (or empty)"),
    "date_iso": ("日期应写成 YYYY-MM-DD（例如 2024-01-05）",
                 "dates must be written YYYY-MM-DD (e.g. 2024-01-05)"),
    "datetime_iso": ("时间应写成 YYYY-MM-DD HH:MM:SS（例如 2024-01-05 09:30:00）",
                     "times must be written YYYY-MM-DD HH:MM:SS (e.g. 2024-01-05 09:30:00)"),
    "money_nonnegative": ("金额不能为负数，也不能大得离谱（应为 0 到 1e12 元之间的数）",
                          "money must be a number between 0 and 1e12 yuan, never negative"),
    "text_not_empty": ("这一栏不能为空", "this field must not be empty"),
    "complaint_type_known": ("投诉类型只能是 " + "、".join(
        f"{k}（{v}）" for k, v in COMPLAINT_TYPES.items()),
        "the complaint type must be one of " + ", ".join(COMPLAINT_TYPES)),
    "step_known": ("投诉步骤只能是 " + "、".join(STEPS), "the step must be one of "
                   + ", ".join(STEPS)),
    "sla_positive": ("处理时限 sla_days 应为正整数（天）",
                     "sla_days must be a positive whole number"),
    "satisfaction_1_to_5": ("满意度应为 1 到 5 之间的数（分）", "satisfaction must be 1..5"),
    "consent_0_or_1": ("营销许可只能是 0 或 1", "marketing_consent must be 0 or 1"),
}


def _in(values: Mapping[str, str] | tuple[str, ...]) -> str:
    # constant SQL text built from the module's own code tables (no user data)
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _date(column: str, nullable: bool = False) -> str:
    test = f"date(julianday({column})) IS {column}"  # also refuses 2024-02-30
    return f"CONSTRAINT date_iso CHECK ({column} IS NULL OR {test})" if nullable else (
        f"CONSTRAINT date_iso CHECK ({test})")


def _money(column: str, nullable: bool = False) -> str:
    test = f"{column} >= 0 AND {column} < 1e12"
    return (f"CONSTRAINT money_nonnegative CHECK ({column} IS NULL OR ({test}))" if nullable
            else f"CONSTRAINT money_nonnegative CHECK ({test})")


def _raise(zh: str, en: str) -> str:
    text = f"{zh} {en}".replace("'", "''")
    return f"SELECT RAISE(ABORT, '{text}')"


def _workflow_triggers() -> str:
    """Triggers that refuse an illegal complaint step, one per step (clear messages)."""
    parts = []
    for step, allowed in TRANSITIONS.items():
        if allowed:
            zh_next = "或".join(f"“{STEPS[a]}”" for a in allowed)
            en_next = " or ".join(f"'{a}'" for a in allowed)
            zh = f"投诉流程不允许这一步：“{STEPS[step]}”之后只能是{zh_next}。"
            en = f"Illegal complaint step: after '{step}' the next step must be {en_next}."
        else:
            zh = f"投诉流程不允许这一步：“{STEPS[step]}”是终点，不能再变更。"
            en = f"Illegal complaint step: '{step}' is final; no step may follow it."
        parts.append(f"""
CREATE TRIGGER workflow_after_{step} BEFORE INSERT ON complaint_events
WHEN NEW.from_step = '{step}' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN {_raise(zh, en)}; END;""")
    return "\n".join(parts)


def _schema_v1() -> str:
    steps = _in(STEPS)
    types = _in(COMPLAINT_TYPES)
    frozen = _raise("流程定义表只读：投诉步骤与合法流转由数据库模式规定。",
                    "The workflow tables are read-only: they are part of the schema.")
    return f"""
CREATE TABLE workflow_steps (
    step TEXT PRIMARY KEY, label_zh TEXT NOT NULL, position INTEGER NOT NULL UNIQUE
) STRICT;
CREATE TABLE workflow_moves (
    from_step TEXT NOT NULL REFERENCES workflow_steps (step),
    to_step TEXT NOT NULL REFERENCES workflow_steps (step),
    PRIMARY KEY (from_step, to_step)
) STRICT;
CREATE TABLE complaint_types (complaint_type TEXT PRIMARY KEY, label_zh TEXT NOT NULL) STRICT;
CREATE TABLE report_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    as_of TEXT {_date('as_of', nullable=True)}
) STRICT;
INSERT INTO report_settings (id, as_of) VALUES (1, NULL);

CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CONSTRAINT name_not_empty CHECK (length(trim(name)) > 0),
    phone TEXT UNIQUE CONSTRAINT phone_mobile CHECK (phone IS NULL OR (
        length(phone) = 11 AND phone GLOB '1*' AND phone NOT GLOB '*[^0-9]*')),
    email TEXT UNIQUE CONSTRAINT email_has_at CHECK (email IS NULL OR email LIKE '_%@_%._%'),
    city TEXT,
    gender TEXT CONSTRAINT gender_known CHECK (gender IS NULL OR gender IN ('男', '女')),
    birth_date TEXT {_date('birth_date', nullable=True)},
    registered TEXT NOT NULL {_date('registered')}
) STRICT;
CREATE TABLE source_records (
    record_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    source TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(source)) > 0),
    registered TEXT {_date('registered', nullable=True)},
    UNIQUE (record_id, customer_id)
) STRICT;
CREATE INDEX source_records_by_customer ON source_records (customer_id);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    record_id TEXT,
    order_date TEXT NOT NULL {_date('order_date')},
    amount REAL NOT NULL {_money('amount')},
    cost REAL {_money('cost', nullable=True)},
    category TEXT,
    -- the channel record, if named, must be one of this customer's records
    FOREIGN KEY (record_id, customer_id) REFERENCES source_records (record_id, customer_id)
) STRICT;
-- covers the RFM view: one ordered pass per customer, no table lookups
CREATE INDEX orders_by_customer ON orders (customer_id, order_date, amount);
CREATE TABLE contacts (
    contact_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    record_id TEXT,
    contact_date TEXT NOT NULL {_date('contact_date')},
    kind TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(kind)) > 0),
    cost REAL NOT NULL {_money('cost')},
    FOREIGN KEY (record_id, customer_id) REFERENCES source_records (record_id, customer_id)
) STRICT;
CREATE INDEX contacts_by_customer ON contacts (customer_id);
CREATE TABLE complaints (
    complaint_id INTEGER PRIMARY KEY,
    ticket TEXT UNIQUE,  -- the complaint's number in another system (e.g. chapter 5's log)
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    order_id TEXT REFERENCES orders (order_id),
    complaint_type TEXT NOT NULL CONSTRAINT complaint_type_known CHECK (
        complaint_type IN {types}),
    sub_item TEXT,
    opened_at TEXT NOT NULL CONSTRAINT datetime_iso CHECK (
        datetime(julianday(opened_at)) IS opened_at),
    department TEXT,
    description TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(description)) > 0),
    sla_days INTEGER NOT NULL DEFAULT 7 CONSTRAINT sla_positive CHECK (sla_days > 0),
    step TEXT NOT NULL DEFAULT 'record' CONSTRAINT step_known CHECK (step IN {steps}),
    satisfaction REAL CONSTRAINT satisfaction_1_to_5 CHECK (
        satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5)
) STRICT;
CREATE INDEX complaints_by_customer ON complaints (customer_id);
CREATE TABLE complaint_events (
    event_id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (complaint_id),
    from_step TEXT CONSTRAINT step_known CHECK (from_step IS NULL OR from_step IN {steps}),
    to_step TEXT NOT NULL CONSTRAINT step_known CHECK (to_step IN {steps}),
    at TEXT NOT NULL CONSTRAINT datetime_iso CHECK (datetime(julianday(at)) IS at),
    actor TEXT,
    note TEXT
) STRICT;
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, event_id);

-- the workflow definition is part of the schema: no client may change it
CREATE TRIGGER workflow_steps_frozen_insert BEFORE INSERT ON workflow_steps
WHEN (SELECT count(*) FROM workflow_steps) >= {len(STEPS)} BEGIN {frozen}; END;
CREATE TRIGGER workflow_steps_frozen_update BEFORE UPDATE ON workflow_steps
BEGIN {frozen}; END;
CREATE TRIGGER workflow_steps_frozen_delete BEFORE DELETE ON workflow_steps
BEGIN {frozen}; END;
CREATE TRIGGER workflow_moves_frozen_insert BEFORE INSERT ON workflow_moves
WHEN (SELECT count(*) FROM workflow_moves) >= {sum(map(len, TRANSITIONS.values()))}
BEGIN {frozen}; END;
CREATE TRIGGER workflow_moves_frozen_update BEFORE UPDATE ON workflow_moves
BEGIN {frozen}; END;
CREATE TRIGGER workflow_moves_frozen_delete BEFORE DELETE ON workflow_moves
BEGIN {frozen}; END;

-- the complaint workflow (记录 -> 判定 -> ... -> 总结评价), enforced for every client
CREATE TRIGGER complaints_start_at_record BEFORE INSERT ON complaints
WHEN NEW.step IS NOT 'record' OR NEW.satisfaction IS NOT NULL
BEGIN {_raise("新投诉必须从“记录投诉内容”开始（step = 'record'，尚无满意度）。",
              "A new complaint must start at step 'record' with no satisfaction yet.")}; END;
CREATE TRIGGER complaints_first_event AFTER INSERT ON complaints
BEGIN
    INSERT INTO complaint_events (complaint_id, from_step, to_step, at, note)
    VALUES (NEW.complaint_id, NULL, 'record', NEW.opened_at, NEW.description);
END;
CREATE TRIGGER complaint_events_first BEFORE INSERT ON complaint_events
WHEN NEW.from_step IS NULL AND (NEW.to_step IS NOT 'record' OR EXISTS (
    SELECT 1 FROM complaint_events WHERE complaint_id = NEW.complaint_id))
BEGIN {_raise("投诉流程的第一步只能是“记录投诉内容”，且只记录一次；之后每一步都要写明 from_step。",
              "A complaint's history starts once with 'record'; later events name from_step.")};
END;
CREATE TRIGGER complaint_events_from_current BEFORE INSERT ON complaint_events
WHEN NEW.from_step IS NOT NULL AND NEW.from_step IS NOT
    (SELECT step FROM complaints WHERE complaint_id = NEW.complaint_id)
BEGIN {_raise("投诉的当前步骤已经不是 from_step（可能刚被同事处理过）："
              "请重新读取当前步骤后再操作。",
              "from_step is not the complaint's current step (someone may have just moved "
              "it): read the current step again.")}; END;
CREATE TRIGGER complaint_events_in_time BEFORE INSERT ON complaint_events
WHEN NEW.at < (SELECT max(at) FROM complaint_events WHERE complaint_id = NEW.complaint_id)
BEGIN {_raise("投诉处理记录的时间不能早于上一步的时间。",
              "A complaint event cannot be dated before the previous step.")}; END;
{_workflow_triggers()}
CREATE TRIGGER complaint_events_move AFTER INSERT ON complaint_events
WHEN NEW.from_step IS NOT NULL
BEGIN
    UPDATE complaints SET step = NEW.to_step WHERE complaint_id = NEW.complaint_id;
END;
CREATE TRIGGER complaints_step_by_event BEFORE UPDATE OF step ON complaints
WHEN NEW.step IS NOT OLD.step AND NEW.step IS NOT (
    SELECT to_step FROM complaint_events WHERE complaint_id = NEW.complaint_id
    ORDER BY event_id DESC LIMIT 1)
BEGIN {_raise("不能直接修改投诉步骤：请向 complaint_events 追加一条处理记录（from_step, to_step），"
              "数据库会检查这一步是否合法。",
              "Do not update complaints.step directly: append a complaint_events row "
              "(from_step, to_step); the database checks the move.")}; END;
CREATE TRIGGER complaints_satisfaction_when_closed BEFORE UPDATE OF satisfaction ON complaints
WHEN NEW.satisfaction IS NOT NULL AND NEW.step NOT IN ('review', 'closed', 'rejected')
BEGIN {_raise("满意度只能在总结评价（review）或结案（closed、rejected）时登记。",
              "Satisfaction is recorded only at 'review', 'closed' or 'rejected'.")};
END;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN {_raise("投诉处理记录只能追加，不能修改（留档分析）。",
              "Complaint events are append-only: they cannot be changed.")}; END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN {_raise("投诉处理记录只能追加，不能删除（留档分析）。",
              "Complaint events are append-only: they cannot be deleted.")}; END;

{_views_v1()}
"""


def _rfm_sql(as_of: str) -> str:
    """Return the RFM summary as SQL; ``as_of`` is an SQL constant or ``:as_of``.

    A purchase occasion is one customer on one calendar day (as ``rfm.summary``),
    so frequency counts distinct order dates; one ordered pass over the covering
    index ``orders_by_customer`` (no temporary sort).
    """
    return f"""
SELECT customer_id,
       min(order_date) AS first_purchase,
       max(order_date) AS last_purchase,
       CAST(julianday({as_of}) - julianday(max(order_date)) AS INTEGER) AS recency_days,
       (julianday({as_of}) - julianday(max(order_date))) / 30.4375 AS recency_months,
       count(DISTINCT order_date) AS frequency,
       sum(amount) AS monetary_total,
       sum(amount) / count(DISTINCT order_date) AS monetary_mean
FROM orders
WHERE order_date <= {as_of}
GROUP BY customer_id
ORDER BY customer_id"""


_REPORT_DATE = ("COALESCE((SELECT as_of FROM report_settings WHERE id = 1), "
                "(SELECT max(order_date) FROM orders))")


def _views_v1() -> str:
    closed = "('closed', 'rejected')"
    return f"""
CREATE VIEW customers_masked AS
SELECT customer_id, name,
       CASE WHEN phone IS NULL THEN NULL
            ELSE substr(phone, 1, 3) || '****' || substr(phone, 8, 4) END AS phone_masked,
       CASE WHEN email IS NULL THEN NULL
            ELSE substr(email, 1, 1) || '***' || substr(email, instr(email, '@')) END
            AS email_masked,
       city, gender, birth_date, registered
FROM customers;

CREATE VIEW customer_360 AS
SELECT c.customer_id, c.name, c.phone_masked, c.email_masked, c.city, c.gender, c.registered,
       COALESCE(r.n_records, 0) AS n_records, r.sources,
       COALESCE(o.n_orders, 0) AS n_orders, o.first_purchase, o.last_purchase,
       COALESCE(o.total_amount, 0.0) AS total_amount,
       COALESCE(o.gross_margin, 0.0) AS gross_margin,
       COALESCE(k.n_contacts, 0) AS n_contacts, COALESCE(k.contact_cost, 0.0) AS contact_cost,
       COALESCE(q.n_complaints, 0) AS n_complaints,
       COALESCE(q.open_complaints, 0) AS open_complaints, q.mean_satisfaction
FROM customers_masked AS c
LEFT JOIN (SELECT customer_id, sum(n) AS n_records, group_concat(source, '、') AS sources
           FROM (SELECT customer_id, source, count(*) AS n FROM source_records
                 GROUP BY customer_id, source ORDER BY customer_id, source)
           GROUP BY customer_id) AS r USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_orders, min(order_date) AS first_purchase,
                  max(order_date) AS last_purchase, sum(amount) AS total_amount,
                  sum(amount - cost) AS gross_margin
           FROM orders GROUP BY customer_id) AS o USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_contacts, sum(cost) AS contact_cost
           FROM contacts GROUP BY customer_id) AS k USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_complaints,
                  sum(step NOT IN {closed}) AS open_complaints,
                  avg(satisfaction) AS mean_satisfaction
           FROM complaints GROUP BY customer_id) AS q USING (customer_id);

CREATE VIEW rfm AS {_rfm_sql(_REPORT_DATE)};

CREATE VIEW complaint_status AS
SELECT q.complaint_id, q.customer_id, q.complaint_type, t.label_zh AS type_zh,
       q.department, q.step, s.label_zh AS step_zh, q.opened_at, q.sla_days,
       datetime(q.opened_at, '+' || q.sla_days || ' days') AS due_at,
       e.last_event_at,
       CASE WHEN q.step IN {closed} THEN e.last_event_at END AS closed_at,
       e.n_events, e.n_reopened, q.satisfaction,
       CASE WHEN q.step IN {closed}
            THEN e.last_event_at <= datetime(q.opened_at, '+' || q.sla_days || ' days')
       END AS within_sla
FROM complaints AS q
JOIN complaint_types AS t USING (complaint_type)
JOIN workflow_steps AS s ON s.step = q.step
JOIN (SELECT complaint_id, max(at) AS last_event_at, count(*) AS n_events,
             sum(to_step = 'analyse' AND from_step IN ('review', 'closed')) AS n_reopened
      FROM complaint_events GROUP BY complaint_id) AS e USING (complaint_id);

CREATE VIEW kpi_monthly AS
WITH months AS (
    SELECT substr(order_date, 1, 7) AS month FROM orders
    UNION SELECT substr(contact_date, 1, 7) FROM contacts
    UNION SELECT substr(opened_at, 1, 7) FROM complaints
),
sales AS (
    SELECT substr(order_date, 1, 7) AS month, count(*) AS n_orders,
           count(DISTINCT customer_id) AS buyers, sum(amount) AS sales,
           sum(amount - cost) AS gross_margin, sum(CASE WHEN cost IS NOT NULL
                                                   THEN amount END) AS costed_sales
    FROM orders GROUP BY month
),
spend AS (
    SELECT substr(contact_date, 1, 7) AS month, sum(cost) AS contact_cost
    FROM contacts GROUP BY month
),
opened AS (
    SELECT substr(opened_at, 1, 7) AS month, count(*) AS complaints_opened
    FROM complaints GROUP BY month
),
closed AS (
    SELECT substr(closed_at, 1, 7) AS month, count(*) AS complaints_closed,
           avg(satisfaction) AS mean_satisfaction, avg(within_sla) AS sla_met_share
    FROM complaint_status WHERE closed_at IS NOT NULL GROUP BY month
)
SELECT m.month,
       COALESCE(s.n_orders, 0) AS n_orders, COALESCE(s.buyers, 0) AS buyers,
       COALESCE(s.sales, 0.0) AS sales,
       s.gross_margin, s.gross_margin / s.costed_sales AS gross_margin_rate,
       COALESCE(p.contact_cost, 0.0) AS contact_cost,
       COALESCE(p.contact_cost, 0.0) / s.sales AS cost_of_sales_ratio,
       COALESCE(o.complaints_opened, 0) AS complaints_opened,
       COALESCE(c.complaints_closed, 0) AS complaints_closed,
       c.mean_satisfaction, c.sla_met_share
FROM months AS m
LEFT JOIN sales AS s USING (month)
LEFT JOIN spend AS p USING (month)
LEFT JOIN opened AS o USING (month)
LEFT JOIN closed AS c USING (month)
ORDER BY m.month;
"""


def _schema_v2() -> str:
    """Version 2: marketing consent for database marketing (数据库营销), and its list."""
    return """
ALTER TABLE customers ADD COLUMN marketing_consent INTEGER NOT NULL DEFAULT 0
    CONSTRAINT consent_0_or_1 CHECK (marketing_consent IN (0, 1));
CREATE INDEX complaints_by_step ON complaints (step);
CREATE VIEW marketing_list AS
SELECT c.customer_id, m.name, m.phone_masked, m.email_masked, m.city,
       r.recency_days, r.frequency, r.monetary_total
FROM customers AS c
JOIN customers_masked AS m USING (customer_id)
LEFT JOIN rfm AS r USING (customer_id)
WHERE c.marketing_consent = 1 AND NOT EXISTS (
    SELECT 1 FROM complaints AS q
    WHERE q.customer_id = c.customer_id AND q.step NOT IN ('closed', 'rejected'));
"""


def _lookup_rows(conn: sqlite3.Connection) -> None:
    conn.executemany("INSERT INTO workflow_steps (step, label_zh, position) VALUES (?, ?, ?)",
                     [(s, label, i) for i, (s, label) in enumerate(STEPS.items(), start=1)])
    conn.executemany("INSERT INTO workflow_moves (from_step, to_step) VALUES (?, ?)",
                     [(a, b) for a, nexts in TRANSITIONS.items() for b in nexts])
    conn.executemany("INSERT INTO complaint_types (complaint_type, label_zh) VALUES (?, ?)",
                     list(COMPLAINT_TYPES.items()))


def _migration_1(conn: sqlite3.Connection) -> None:
    for statement in _statements(_schema_v1()):
        conn.execute(statement)
    _lookup_rows(conn)


def _migration_2(conn: sqlite3.Connection) -> None:
    for statement in _statements(_schema_v2()):
        conn.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migration_1, 2: _migration_2}


def _statements(script: str) -> Iterator[str]:
    """Split a schema script into complete statements (triggers hold inner semicolons)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise RuntimeError(f"incomplete schema statement: {buffer[:80]!r}")


# --- connections and transactions -------------------------------------------------

def _check_path(path: Any, name: str = "path") -> str:
    if isinstance(path, Path):
        return str(path)
    if not isinstance(path, str) or not path:
        raise TypeError(f"{name}={path!r} 无效：应为数据库文件路径（字符串或 pathlib.Path）。"
                        f" {name}={path!r} is invalid: expected a file path (str or Path)")
    return path


def _configure(conn: sqlite3.Connection, *, readonly: bool = False) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        # WAL: readers never block the writer; NORMAL is durable against a crash of the
        # process (only a power cut can lose the last commits).
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _analyst_authorizer(action: int, arg1: str | None, arg2: str | None, db: str | None,
                        source: str | None) -> int:
    if action == sqlite3.SQLITE_READ:
        if arg1 == "customers" and arg2 in ("phone", "email") and source not in MASKED_VIEWS:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def connect(path: str | Path, *, role: str = "operator", timeout: float = 5.0
            ) -> sqlite3.Connection:
    """Open a CRM database (foreign keys on, WAL journal, busy timeout).

    Parameters
    ----------
    path : the database file (must exist; ``create`` makes a new one).
    role : ``"operator"`` (read and write, 操作型 CRM) or ``"analyst"`` (分析型 CRM:
        read-only, and raw ``customers.phone`` / ``customers.email`` are refused;
        the views show them masked).
    timeout : seconds to wait for another writer before ``SQLITE_BUSY``.

    Returns
    -------
    sqlite3.Connection in autocommit mode: use ``transaction`` for atomic work.

    Raises
    ------
    TypeError
        If ``path`` is not a string or ``pathlib.Path``.
    CRMDBError
        If ``role`` is unknown, the file does not exist or is not a CRM database
        of a known version.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "crm.db"
    >>> create(path).close()
    >>> conn = connect(path, role="analyst")
    >>> len(query(conn, "SELECT * FROM customers_masked"))
    0
    >>> conn.close()
    >>> folder.cleanup()
    """
    path = _check_path(path)
    if role not in ("operator", "analyst"):
        raise CRMDBError(f"role={role!r} 无效：应为 'operator'（操作员）或 'analyst'（分析员）。"
                         f" role={role!r} is invalid: expected 'operator' or 'analyst'")
    if path != ":memory:" and not Path(path).is_file():
        raise CRMDBError(f"数据库文件 {path} 不存在：先用 crmdb.create 建库。"
                         f" Database file {path} does not exist: make it with crmdb.create")
    if role == "analyst":
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
        _configure(conn, readonly=True)
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        _configure(conn)
    version = schema_version(conn)
    if not 1 <= version <= SCHEMA_VERSION:
        conn.close()
        raise CRMDBError(f"{path} 不是本课程的 CRM 数据库（模式版本 {version}）。"
                         f" {path} is not a crmlab CRM database (schema version {version})")
    if role == "analyst":
        conn.set_authorizer(_analyst_authorizer)
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the schema version stored in the file (``PRAGMA user_version``).

    Parameters
    ----------
    conn : sqlite3.Connection
        An open connection.

    Returns
    -------
    int
        The version; 0 for an empty file.

    Examples
    --------
    >>> schema_version(create(":memory:", version=1))
    1
    """
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


@contextmanager
def transaction(conn: sqlite3.Connection, *, attempts: int = 50,
                wait: float = 0.01) -> Iterator[sqlite3.Connection]:
    """Run a block between ``BEGIN IMMEDIATE`` and ``COMMIT`` (``ROLLBACK`` if it raises).

    ``BEGIN IMMEDIATE`` takes the write lock at the start, so a read-then-write
    (read a complaint's step, then append the next one) cannot interleave with
    another writer: no lost update. If another process holds the lock longer
    than the connection's busy timeout, the start is retried up to ``attempts``
    times with a growing, jittered pause; then ``CRMDBError`` is raised.

    Parameters
    ----------
    conn : sqlite3.Connection
        A connection in autocommit mode (as ``connect`` and ``create`` return).
    attempts : int
        How many times to try to take the write lock.
    wait : float
        Base pause in seconds between attempts (grows with each attempt).

    Returns
    -------
    Iterator[sqlite3.Connection]
        A context manager that yields ``conn`` inside the transaction.

    Raises
    ------
    CRMDBError
        If the write lock is still taken after ``attempts`` tries.
    sqlite3.OperationalError
        If ``BEGIN IMMEDIATE`` fails for another reason.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> with transaction(conn):
    ...     _ = conn.execute("UPDATE report_settings SET as_of = '2024-06-30'")
    >>> conn.execute("SELECT as_of FROM report_settings").fetchone()
    ('2024-06-30',)
    """
    for attempt in range(1, attempts + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as error:
            busy = "locked" in str(error) or "busy" in str(error)
            if not busy:
                raise
            if attempt == attempts:
                raise CRMDBError(f"数据库正忙：另一个进程一直占用写锁，重试 {attempts} 次后放弃。"
                                 f" Database busy: gave up after {attempts} attempts") from error
            time.sleep(wait * attempt * (0.5 + random.random()))
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def create(path: str | Path, *, version: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Create a new CRM database at ``path`` (``":memory:"`` for a throw-away one).

    Parameters
    ----------
    path : a file that does not exist yet, or is empty, or ``":memory:"``.
    version : the schema version to build (default: the newest). Older versions
        exist so that ``migrate`` can be shown and tested.

    Returns
    -------
    An open connection (see ``connect``).

    Raises
    ------
    CRMDBError
        If ``path`` already holds a database, or ``version`` is unknown.

    Examples
    --------
    >>> conn = create(":memory:", version=1)
    >>> schema_version(conn), migrate(conn), schema_version(conn)
    (1, 2, 2)
    """
    path = _check_path(path)
    if isinstance(version, bool) or not isinstance(version, int) or version not in MIGRATIONS:
        raise CRMDBError(f"version={version!r} 无效：应为 1 到 {SCHEMA_VERSION} 之间的整数。"
                         f" version={version!r} is invalid: expected 1..{SCHEMA_VERSION}")
    if path != ":memory:" and Path(path).is_file() and Path(path).stat().st_size > 0:
        raise CRMDBError(f"{path} 已经存在：create 只建新库；打开旧库用 crmdb.connect。"
                         f" {path} already exists: use crmdb.connect to open it")
    conn = sqlite3.connect(path, isolation_level=None)
    _configure(conn)
    migrate(conn, to=version)
    return conn


def migrate(conn: sqlite3.Connection, *, to: int = SCHEMA_VERSION) -> int:
    """Upgrade the schema step by step up to version ``to``, in one transaction.

    Every row is kept (migrations only add columns, indexes and views).
    Downgrades are refused.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    to : int
        The target version (default: the newest).

    Returns
    -------
    int
        The new schema version.

    Raises
    ------
    CRMDBError
        If ``to`` is not a version between the current one and the newest.

    Examples
    --------
    >>> conn = create(":memory:", version=1)
    >>> migrate(conn)
    2
    """
    current = schema_version(conn)
    if isinstance(to, bool) or not isinstance(to, int) or not current <= to <= SCHEMA_VERSION:
        raise CRMDBError(f"to={to!r} 无效：只能升级到 {current} 至 {SCHEMA_VERSION} 之间的版本。"
                         f" to={to!r} is invalid: expected a version in "
                         f"{current}..{SCHEMA_VERSION}")
    if to == current:
        return current
    with transaction(conn):
        for step in range(current + 1, to + 1):
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {int(step)}")
    return to


# --- errors in Chinese and English ------------------------------------------------------

def _explain(error: sqlite3.Error, what: str, what_en: str) -> CRMDBError:
    text = str(error)
    match = re.search(r"CHECK constraint failed: (\w+)", text)
    if match and match.group(1) in CONSTRAINTS:
        zh, en = CONSTRAINTS[match.group(1)]
    elif "FOREIGN KEY" in text:
        zh, en = ("引用了不存在的客户、渠道记录、订单或投诉（外键约束）",
                  "it refers to a customer, record, order or complaint that does not exist")
    elif match := re.search(r"UNIQUE constraint failed: ([\w.]+)", text):
        zh, en = (f"{match.group(1)} 与已有的一行重复（唯一约束）",
                  f"{match.group(1)} repeats a value already stored")
    elif match := re.search(r"NOT NULL constraint failed: ([\w.]+)", text):
        zh, en = f"{match.group(1)} 不能为空", f"{match.group(1)} must not be empty"
    elif match := re.search(r"cannot store (\w+) value in (\w+) column ([\w.]+)", text):
        zh, en = (f"{match.group(3)} 应为 {match.group(2)} 类型，却给了 {match.group(1)}",
                  f"{match.group(3)} expects {match.group(2)}, got {match.group(1)}")
    elif re.search(r"[\u4e00-\u9fff]", text):  # a trigger's own bilingual message
        return CRMDBError(f"{what}：{text}" if what else text)
    else:
        zh, en = "数据库拒绝了这一操作", f"the database refused it ({text})"
    return CRMDBError(f"{what}被拒绝：{zh}。数据库未作任何修改。 {what_en} refused: {en}. "
                      f"Nothing was changed.")


@contextmanager
def _refused(what: str, what_en: str) -> Iterator[None]:
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.OperationalError) as error:
        if isinstance(error, sqlite3.OperationalError) and (
                "locked" in str(error) or "busy" in str(error)):
            raise
        raise _explain(error, what, what_en) from None


# --- bulk load ------------------------------------------------------------------------

def _column_values(series: pd.Series, column: str) -> list[Any]:
    """Return a column as plain Python values for sqlite3 (None for missing)."""
    if column in _DATE_COLUMNS | _DATETIME_COLUMNS and (
            pd.api.types.is_datetime64_any_dtype(series.dtype)):
        fmt = "%Y-%m-%d" if column in _DATE_COLUMNS else "%Y-%m-%d %H:%M:%S"
        text = series.dt.strftime(fmt)
        return text.astype(object).where(text.notna(), None).tolist()
    if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        if series.hasnans:
            return series.astype(object).where(series.notna(), None).tolist()
        return series.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def _rows(frame: pd.DataFrame, table: str) -> tuple[list[str], list[tuple]]:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{table} 应为 pandas DataFrame，却是 {type(frame).__name__}。"
                        f" {table} is a {type(frame).__name__}: expected a DataFrame")
    known = TABLES[table]
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise CRMDBError(f"{table} 有未知的列 {unknown}：应为 {list(known)} 中的列。"
                         f" {table} has unknown column(s) {unknown}: expected some of "
                         f"{list(known)}")
    columns = [c for c in known if c in frame.columns]
    values = [_column_values(frame[c], c) for c in columns]
    return columns, list(zip(*values, strict=True))


def load(conn: sqlite3.Connection, tables: Mapping[str, pd.DataFrame], *,
         progress: Callable[[str, int], None] | None = None,
         chunk_size: int = 50_000, cache_mib: int = 256) -> dict[str, int]:
    """Insert data frames into their tables in ONE transaction: all rows or none.

    Parameters
    ----------
    conn : an operator connection.
    tables : table name -> frame whose columns are a subset of ``TABLES[name]``;
        loaded in the order of ``TABLES`` (parents first). Dates may be text
        (``YYYY-MM-DD``) or datetime64.
    progress : called as ``progress(table, rows_so_far)`` after each chunk.
    chunk_size : rows per ``executemany`` call.
    cache_mib : SQLite page cache while loading (MiB, taken only as needed), so
        index pages stay in memory; the connection's setting is restored after.

    Returns
    -------
    dict table -> rows inserted.

    Raises
    ------
    CRMDBError
        If any row breaks a rule: the whole load is rolled back and the message
        names the table, the row (position and key) and the rule, in Chinese
        and English; also for an unknown table or column.
    TypeError
        If a table is not a DataFrame.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> people = pd.DataFrame({"customer_id": [1], "name": ["王伟"],
    ...                        "registered": ["2024-01-05"]})
    >>> load(conn, {"customers": people})
    {'customers': 1}
    """
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise CRMDBError(f"未知的表 {unknown}：应为 {list(TABLES)} 之一。"
                         f" Unknown table(s) {unknown}: expected some of {list(TABLES)}")
    tables = dict(tables)
    scores = None
    if "complaints" in tables and "satisfaction" in getattr(tables["complaints"], "columns", ()):
        # a new complaint has no satisfaction yet (trigger): recorded after its events
        scores = tables["complaints"]
        tables["complaints"] = scores.drop(columns="satisfaction")
    prepared = {t: _rows(tables[t], t) for t in TABLES if t in tables}
    counts: dict[str, int] = {}
    # a big page cache while loading keeps the index pages in memory (then restored)
    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")
    try:
        counts = _load_rows(conn, prepared, tables, progress, chunk_size, scores)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return counts


def _load_rows(conn: sqlite3.Connection, prepared: dict[str, tuple[list[str], list[tuple]]],
               tables: Mapping[str, pd.DataFrame], progress: Callable[[str, int], None] | None,
               chunk_size: int, scores: pd.DataFrame | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    with transaction(conn):
        for table, (columns, rows) in prepared.items():
            sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # names from TABLES only
                   f"VALUES ({', '.join('?' * len(columns))})")
            before = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            # A big load into a small table: drop the secondary (non-unique) indexes
            # and rebuild them after the rows are in -- one sort instead of a random
            # insert per row. DDL is transactional: an error rolls this back too.
            rebuild = []
            if len(rows) >= 100_000 and len(rows) > before:
                rebuild = conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                    " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)
                ).fetchall()
                for name, _ in rebuild:
                    conn.execute(f'DROP INDEX "{name}"')
            done = 0
            for start in range(0, len(rows), chunk_size):
                chunk = rows[start:start + chunk_size]
                try:
                    conn.executemany(sql, chunk)
                except (sqlite3.IntegrityError, sqlite3.OperationalError,
                        sqlite3.ProgrammingError) as error:
                    if isinstance(error, sqlite3.OperationalError) and (
                            "locked" in str(error) or "busy" in str(error)):
                        raise
                    raise _load_error(conn, table, before, columns, rows, tables[table],
                                      error) from None
                done += len(chunk)
                if progress is not None:
                    progress(table, done)
            for _, index_sql in rebuild:
                conn.execute(index_sql)
            counts[table] = len(rows)
        if scores is not None:
            _load_satisfaction(conn, scores)
    return counts


def _load_satisfaction(conn: sqlite3.Connection, complaints: pd.DataFrame) -> None:
    if "complaint_id" not in complaints.columns:
        raise CRMDBError("complaints 带 satisfaction 列时必须给出 complaint_id。"
                         " complaints with a satisfaction column need complaint_id")
    ids = _column_values(complaints["complaint_id"], "complaint_id")
    values = _column_values(complaints["satisfaction"], "satisfaction")
    for position, (number, score) in enumerate(zip(ids, values, strict=True)):
        if score is None or score != score:  # missing or NaN: nothing recorded
            continue
        try:
            conn.execute("UPDATE complaints SET satisfaction = ? WHERE complaint_id = ?",
                         (score, number))
        except sqlite3.DatabaseError as error:
            where = (f"投诉表 complaints 第 {position + 1} 行（complaint_id={number!r}）的满意度",
                     f"Satisfaction of complaints row {position + 1} (complaint_id={number!r})")
            raise CRMDBError(f"{_explain(error, *where)} 整批数据未载入，数据库保持原样。 "
                             f"The whole load was rolled back.") from None


def _load_error(conn: sqlite3.Connection, table: str, before: int, columns: list[str],
                rows: list[tuple], frame: pd.DataFrame, error: Exception) -> CRMDBError:
    # executemany stops at the first bad row; the rows before it are still in the
    # (soon rolled back) transaction, so their count is the bad row's position.
    position = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
    if table == "complaints":  # each complaint also wrote its first event
        position = conn.execute("SELECT count(*) FROM complaints").fetchone()[0] - before
    position = min(position, len(rows) - 1)
    label = frame.index[position]
    key = _KEY[table]
    key_text = f"{key}={rows[position][columns.index(key)]!r}" if key in columns else ""
    shown = dict(zip(columns, rows[position], strict=True))
    where = f"{_TABLE_ZH[table]} {table} 第 {position + 1} 行（索引 {label!r}，{key_text}）"
    where_en = f"{table} row {position + 1} (index {label!r}, {key_text})"
    if isinstance(error, sqlite3.ProgrammingError):
        return CRMDBError(f"{where}有无法存入数据库的值：{shown}。整批数据未载入。"
                          f" {where_en} holds a value sqlite3 cannot store: {shown}. "
                          f"Nothing was loaded")
    explained = _explain(error, f"载入{where}", f"Loading {where_en}")
    return CRMDBError(f"{explained} 整批数据未载入，数据库保持原样。 The whole load was rolled "
                      f"back. 该行 row: {shown}")


def course_tables() -> dict[str, pd.DataFrame]:
    """Return the course's data as table frames: customer file, orders with costs, contacts.

    Customers are the unified customer file (``customer_file.build_customer_file``);
    each channel record maps to its customer; orders and contacts are re-keyed
    to the customer and keep the channel record; order costs come from
    ``order_costs.csv`` (chapter 7). No complaints are loaded: chapter 5's
    complaint log belongs to another customer base (the shop of chapter 5, ids
    ``K…``), so complaints enter this database the way they do in a real
    system, through ``open_complaint`` and ``advance`` (or
    ``complaint_tables`` for a log of *these* customers).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``customers``, ``source_records``, ``orders`` and ``contacts``, with the
        columns of ``TABLES``.

    Examples
    --------
    >>> tables = course_tables()
    >>> list(tables)
    ['customers', 'source_records', 'orders', 'contacts']
    """
    from crmlab import customer_file as cf
    from crmlab import datasets

    records, orders, contacts = datasets.load_customer_file_example()
    file = cf.build_customer_file(records, orders, contacts)
    to_customer = pd.Series(file.attrs["record_to_customer"])
    clean = cf.clean_records(records)
    customers = file.reset_index()[list(TABLES["customers"])]
    sources = pd.DataFrame({
        "record_id": clean["record_id"].astype(str).to_numpy(),
        "customer_id": clean["record_id"].map(to_customer).astype("int64").to_numpy(),
        "source": clean["source"].astype(str).to_numpy(),
        "registered": clean["registered"].dt.strftime("%Y-%m-%d").to_numpy(),
    })
    costs = datasets.load_synthetic("order_costs", columns=["order_id", "category", "cost"])
    order_rows = orders.merge(costs[["order_id", "category", "cost"]], on="order_id",
                              how="left", validate="one_to_one")
    order_table = pd.DataFrame({
        "order_id": order_rows["order_id"], "customer_id": order_rows["record_id"].map(
            to_customer).astype("int64"),
        "record_id": order_rows["record_id"], "order_date": order_rows["date"],
        "amount": order_rows["amount"].astype(float), "cost": order_rows["cost"],
        "category": order_rows["category"],
    })
    contact_table = pd.DataFrame({
        "contact_id": contacts["contact_id"],
        "customer_id": contacts["record_id"].map(to_customer).astype("int64"),
        "record_id": contacts["record_id"],
        "contact_date": datasets.load_synthetic("customer_contacts")["date"],
        "kind": contacts["kind"], "cost": contacts["cost"].astype(float),
    })
    tables = {"customers": customers, "source_records": sources, "orders": order_table,
              "contacts": contact_table}
    return tables


def complaint_tables(log: pd.DataFrame, *, first_id: int = 1) -> dict[str, pd.DataFrame]:
    """Turn chapter 5's complaint log into the ``complaints`` and ``complaint_events`` tables.

    ``log`` has the columns of ``crmlab.complaints.LOG_COLUMNS`` (one row per
    move; ``complaints.to_frame`` writes it). Complaints are numbered
    ``first_id, first_id + 1, ...`` in order of appearance; the log's own id is
    kept in ``ticket``. The first move (``record``) becomes the complaint row
    (its note the description); every later move an event whose ``from_step``
    is the previous move's step. ``department`` is the last one named and
    ``satisfaction`` the last one recorded. Loading the result with ``load``
    replays every move through the database's workflow triggers.

    Parameters
    ----------
    log : pandas.DataFrame
        The event log (at least ``complaint_id``, ``seq``, ``step``, ``at``,
        ``customer_id`` and ``complaint_type``).
    first_id : int
        The number of the first complaint.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``complaints`` (one row per complaint) and ``complaint_events`` (one row
        per later move).

    Raises
    ------
    CRMDBError
        If a complaint's first move is not ``record``.

    Examples
    --------
    >>> from crmlab import complaints as cp
    >>> c = cp.Complaint("T1", customer_id=7, complaint_type="service",
    ...                  sub_item="service_skill", by="a", at="2024-01-02 09:00", note="慢")
    >>> _ = c.advance("judge", by="b", at="2024-01-03 10:00")
    >>> t = complaint_tables(cp.to_frame([c]))
    >>> t["complaint_events"][["complaint_id", "from_step", "to_step"]].values.tolist()
    [[1, 'record', 'judge']]
    """
    from crmlab import _validation as validate

    validate.frame(log, "log", columns=["complaint_id", "seq", "step", "at", "customer_id",
                                     "complaint_type"])
    frame = log.sort_values(["complaint_id", "seq"], kind="stable")
    order = pd.unique(log["complaint_id"].astype(str))
    number = pd.Series(range(first_id, first_id + len(order)), index=order)
    frame = frame.assign(number=frame["complaint_id"].astype(str).map(number).to_numpy())
    frame = frame.sort_values(["number", "seq"], kind="stable")
    first = frame.groupby("number", sort=True).head(1)
    if (first["step"] != "record").any():
        bad = first.loc[first["step"] != "record", "complaint_id"].head(3).tolist()
        raise CRMDBError(f"投诉 {bad} 的第一步不是“记录投诉内容”（record）。"
                         f" Complaints {bad} do not start with 'record'")

    def last_known(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series(None, index=first["number"].to_numpy(), dtype=object)
        return frame.groupby("number", sort=True)[column].agg(
            lambda s: s.dropna().iloc[-1] if s.notna().any() else None)

    def optional(column: str) -> list:
        return first[column].tolist() if column in first.columns else [None] * len(first)

    stamp = "%Y-%m-%d %H:%M:%S"
    notes = first["note"] if "note" in first.columns else pd.Series("", index=first.index)
    descriptions = notes.fillna("").astype(str).str.strip()
    complaints = pd.DataFrame({
        "complaint_id": first["number"].astype("int64").to_numpy(),
        "ticket": first["complaint_id"].astype(str).to_numpy(),
        "customer_id": pd.to_numeric(first["customer_id"]).astype("int64").to_numpy(),
        "order_id": optional("order_id"),
        "complaint_type": first["complaint_type"].to_numpy(),
        "sub_item": optional("sub_item"),
        "opened_at": pd.to_datetime(first["at"]).dt.strftime(stamp).to_numpy(),
        "department": last_known("department").to_numpy(),
        "description": descriptions.where(descriptions != "", "（未填写）").to_numpy(),
        "satisfaction": pd.to_numeric(last_known("satisfaction")).to_numpy(dtype=float),
    })
    later = frame.groupby("number", sort=True).cumcount() > 0
    previous = frame.groupby("number", sort=True)["step"].shift(1)
    events = pd.DataFrame({
        "complaint_id": frame.loc[later, "number"].astype("int64").to_numpy(),
        "from_step": previous[later].to_numpy(),
        "to_step": frame.loc[later, "step"].to_numpy(),
        "at": pd.to_datetime(frame.loc[later, "at"]).dt.strftime(stamp).to_numpy(),
        "actor": (frame.loc[later, "by"] if "by" in frame.columns
                  else pd.Series(None, index=frame.index[later])).to_numpy(),
        "note": (frame.loc[later, "note"] if "note" in frame.columns
                 else pd.Series(None, index=frame.index[later])).to_numpy(),
    })
    return {"complaints": complaints, "complaint_events": events}


#: the analysis date of the course data (the end of the 2024 data)
COURSE_AS_OF = "2024-12-31"


def load_course_data(conn: sqlite3.Connection, *,
                     progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Load the course's data into an empty CRM database, in one transaction.

    See ``course_tables`` for what is loaded; sets the report date of the
    views (``report_settings.as_of``) to the end of the data, 2024-12-31.
    A bad row rolls everything back (see ``load``).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection to an empty database.
    progress : callable, optional
        Called as ``progress(table, rows_so_far)`` after each chunk.

    Returns
    -------
    dict of str to int
        Rows inserted per table.

    Examples
    --------
    >>> counts = load_course_data(create(":memory:"))
    >>> list(counts)
    ['customers', 'source_records', 'orders', 'contacts']
    """
    tables = course_tables()
    counts = load(conn, tables, progress=progress)
    with transaction(conn):
        conn.execute("UPDATE report_settings SET as_of = ? WHERE id = 1", (COURSE_AS_OF,))
    return counts


# --- operational CRM: one customer, one order, one complaint at a time -------------------

def register_customer(conn: sqlite3.Connection, *, name: str, registered: str,
                      phone: str | None = None, email: str | None = None,
                      city: str | None = None, gender: str | None = None,
                      birth_date: str | None = None, source: str | None = None,
                      record_id: str | None = None) -> int:
    """Add a customer (and, if ``source`` is given, its channel record).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    name, registered : str
        The customer's name and registration date (``YYYY-MM-DD``).
    phone, email, city, gender, birth_date : str, optional
        Further fields of the customer file (the database checks their form).
    source : str, optional
        The channel the customer came from; adds a ``source_records`` row.
    record_id : str, optional
        That record's id (default ``R-<customer_id>``).

    Returns
    -------
    int
        The new ``customer_id``.

    Raises
    ------
    CRMDBError
        If the database refuses the row (e.g. a malformed phone number).

    Examples
    --------
    >>> conn = create(":memory:")
    >>> register_customer(conn, name="王伟", registered="2024-01-05", source="app")
    1
    """
    with _refused("登记客户", "Registering the customer"), transaction(conn):
        cursor = conn.execute(
            "INSERT INTO customers (name, phone, email, city, gender, birth_date, registered)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, phone, email, city, gender, birth_date, registered))
        customer_id = int(cursor.lastrowid)
        if source is not None:
            conn.execute("INSERT INTO source_records (record_id, customer_id, source, registered)"
                         " VALUES (?, ?, ?, ?)",
                         (record_id or f"R-{customer_id}", customer_id, source, registered))
    return customer_id


def _next_id(conn: sqlite3.Connection, table: str, prefix: str) -> str:
    column = _KEY[table]
    row = conn.execute(f"SELECT max(CAST(substr({column}, 2) AS INTEGER)) FROM {table} "
                       f"WHERE {column} GLOB ? ", (prefix + "[0-9]*",)).fetchone()
    return f"{prefix}{(row[0] or 0) + 1:05d}"


def record_order(conn: sqlite3.Connection, customer_id: int, *, order_date: str,
                 amount: float, cost: float | None = None, category: str | None = None,
                 record_id: str | None = None) -> str:
    """Record an order of an existing customer.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer.
    order_date : str
        ``YYYY-MM-DD``.
    amount : float
        The sales amount (元, not negative).
    cost, category, record_id : optional
        Cost of goods (元), product category and channel record.

    Returns
    -------
    str
        The new ``order_id`` (``O00001``, ...).

    Raises
    ------
    CRMDBError
        If the database refuses the row (unknown customer, negative money, ...).

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> record_order(conn, cid, order_date="2024-02-01", amount=199.0)
    'O00001'
    """
    with _refused("记录订单", "Recording the order"), transaction(conn):
        order_id = _next_id(conn, "orders", "O")
        conn.execute("INSERT INTO orders (order_id, customer_id, record_id, order_date, amount,"
                     " cost, category) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (order_id, customer_id, record_id, order_date, amount, cost, category))
    return order_id


def record_contact(conn: sqlite3.Connection, customer_id: int, *, contact_date: str,
                   kind: str, cost: float) -> str:
    """Record the company's spend on a customer (企业投入记录).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer.
    contact_date : str
        ``YYYY-MM-DD``.
    kind : str
        What the spend was (e.g. ``"短信"``).
    cost : float
        The spend (元, not negative).

    Returns
    -------
    str
        The new ``contact_id`` (``C00001``, ...).

    Raises
    ------
    CRMDBError
        If the database refuses the row.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> record_contact(conn, cid, contact_date="2024-02-01", kind="短信", cost=0.5)
    'C00001'
    """
    with _refused("记录企业投入", "Recording the contact"), transaction(conn):
        contact_id = _next_id(conn, "contacts", "C")
        conn.execute("INSERT INTO contacts (contact_id, customer_id, contact_date, kind, cost)"
                     " VALUES (?, ?, ?, ?, ?)", (contact_id, customer_id, contact_date, kind,
                                                 cost))
    return contact_id


def open_complaint(conn: sqlite3.Connection, customer_id: int, *, complaint_type: str,
                   opened_at: str, description: str, department: str | None = None,
                   order_id: str | None = None, sla_days: int = 7) -> int:
    """Record a complaint (step 1, 记录投诉内容).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer.
    complaint_type : str
        One of ``COMPLAINT_TYPES``.
    opened_at : str
        ``YYYY-MM-DD HH:MM:SS``.
    description : str
        What the customer complained about (not empty).
    department, order_id : str, optional
        The department in charge and the order complained about.
    sla_days : int
        Days allowed to settle the complaint.

    Returns
    -------
    int
        The new ``complaint_id``.

    Raises
    ------
    CRMDBError
        If the database refuses the row (unknown type, bad time, ...).

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> open_complaint(conn, cid, complaint_type="quality",
    ...                opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
    1
    """
    with _refused("记录投诉", "Recording the complaint"), transaction(conn):
        cursor = conn.execute(
            "INSERT INTO complaints (customer_id, order_id, complaint_type, opened_at,"
            " department, description, sla_days) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (customer_id, order_id, complaint_type, opened_at, department, description,
             sla_days))
    return int(cursor.lastrowid)


def advance(conn: sqlite3.Connection, complaint_id: int, to_step: str, *, at: str,
            actor: str | None = None, note: str | None = None,
            satisfaction: float | None = None) -> str:
    """Move a complaint to its next step; the database refuses an illegal move.

    Reads the current step and appends the event in one ``BEGIN IMMEDIATE``
    transaction (no lost update when two people work on it at once). When the
    move reaches ``review``, ``closed`` or ``rejected``, the customer's
    ``satisfaction`` (1–5) may be recorded with it.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    complaint_id : int
        An existing complaint.
    to_step : str
        The next step (one of ``STEPS``, allowed by ``TRANSITIONS``).
    at : str
        ``YYYY-MM-DD HH:MM:SS``.
    actor, note : str, optional
        Who made the move and a remark.
    satisfaction : float, optional
        The customer's satisfaction (1–5) at the end of the process.

    Returns
    -------
    str
        The new step.

    Raises
    ------
    CRMDBError
        If there is no such complaint or the workflow forbids the move.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> n = open_complaint(conn, cid, complaint_type="quality",
    ...                    opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
    >>> advance(conn, n, "judge", at="2024-02-03 10:00:00")
    'judge'
    """
    with _refused("推进投诉", "Moving the complaint"), transaction(conn):
        row = conn.execute("SELECT step FROM complaints WHERE complaint_id = ?",
                           (complaint_id,)).fetchone()
        if row is None:
            raise CRMDBError(f"没有编号为 {complaint_id!r} 的投诉。"
                             f" There is no complaint {complaint_id!r}")
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor,"
                     " note) VALUES (?, ?, ?, ?, ?, ?)",
                     (complaint_id, row[0], to_step, at, actor, note))
        if satisfaction is not None:
            conn.execute("UPDATE complaints SET satisfaction = ? WHERE complaint_id = ?",
                         (satisfaction, complaint_id))
    return to_step


# --- analytical CRM -------------------------------------------------------------------

def query(conn: sqlite3.Connection, sql: str, params: Mapping[str, Any] | tuple = ()
          ) -> pd.DataFrame:
    """Run one parameterised SELECT and return the result as a DataFrame.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    sql : str
        One SQL statement with ``?`` or ``:name`` placeholders.
    params : mapping or tuple
        The values of the placeholders.

    Returns
    -------
    pandas.DataFrame
        The rows, with the statement's column names.

    Examples
    --------
    >>> query(create(":memory:"), "SELECT :a + 1 AS b", {"a": 1})
       b
    0  2
    """
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description or ()]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def search_customers(conn: sqlite3.Connection, text: str) -> pd.DataFrame:
    """Find customers whose name or city contains ``text`` (% and _ are literal).

    Phones and e-mails come masked (``customers_masked``).

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    text : str
        The text to look for.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``customers_masked``, by ``customer_id``.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> _ = register_customer(conn, name="王伟", registered="2024-01-05", city="杭州")
    >>> search_customers(conn, "杭")["name"].tolist()
    ['王伟']
    """
    if not isinstance(text, str):
        raise TypeError(f"text={text!r} 无效：应为字符串。 text={text!r} is invalid: "
                        f"expected a string")
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    return query(conn, "SELECT * FROM customers_masked WHERE name LIKE :p ESCAPE '\\' "
                       "OR city LIKE :p ESCAPE '\\' ORDER BY customer_id", {"p": pattern})


def rfm(conn: sqlite3.Connection, as_of: str | None = None) -> pd.DataFrame:
    """Compute the RFM summary inside the database, like ``crmlab.rfm.summary``.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    as_of : str, optional
        The analysis date. ``None`` reads the ``rfm`` view (report date in
        ``report_settings``, else the last order date); a date runs the same
        SQL with it as a parameter.

    Returns
    -------
    pandas.DataFrame
        One row per customer with orders; columns and types match ``rfm.summary``.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> _ = record_order(conn, cid, order_date="2024-02-01", amount=199.0)
    >>> rfm(conn, as_of="2024-03-02")[["recency_days", "frequency", "monetary_total"]]
       recency_days  frequency  monetary_total
    0            30          1           199.0
    """
    if as_of is None:
        frame = query(conn, "SELECT * FROM rfm")
    else:
        stamp = pd.Timestamp(as_of)
        frame = query(conn, _rfm_sql(":as_of"), {"as_of": stamp.strftime("%Y-%m-%d")})
    for column in ("first_purchase", "last_purchase"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype(
            "datetime64[ns]")
    return frame.astype({"customer_id": "int64", "recency_days": "int64",
                         "frequency": "int64", "recency_months": "float64",
                         "monetary_total": "float64", "monetary_mean": "float64"})


def kpis(conn: sqlite3.Connection) -> pd.DataFrame:
    """Return the four implementation goals per month (view ``kpi_monthly``).

    提高销售额 → ``sales``; 增加利润率 → ``gross_margin_rate``; 提高客户满意度 →
    ``mean_satisfaction`` of complaints closed that month (and ``sla_met_share``);
    降低销售成本 → ``cost_of_sales_ratio`` = contact spend / sales.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.

    Returns
    -------
    pandas.DataFrame
        One row per month.

    Examples
    --------
    >>> conn = create(":memory:")
    >>> cid = register_customer(conn, name="王伟", registered="2024-01-05")
    >>> _ = record_order(conn, cid, order_date="2024-02-01", amount=200.0, cost=150.0)
    >>> float(kpis(conn)["sales"].iloc[0])
    200.0
    """
    return query(conn, "SELECT * FROM kpi_monthly")


def table_rows(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """Return every row of a table, in primary-key order (for comparing two databases).

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    table : str
        A table of ``TABLES`` or a lookup table.

    Returns
    -------
    list of tuple
        The rows.

    Raises
    ------
    CRMDBError
        If ``table`` is unknown.

    Examples
    --------
    >>> table_rows(create(":memory:"), "customers")
    []
    """
    if table not in TABLES and table not in ("workflow_steps", "workflow_moves",
                                             "complaint_types", "report_settings"):
        raise CRMDBError(f"未知的表 {table!r}。 Unknown table {table!r}")
    return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()


# --- backup and restore ------------------------------------------------------------------

def backup(conn: sqlite3.Connection, path: str | Path) -> Path:
    """Copy the whole database to ``path`` with SQLite's online backup API.

    Parameters
    ----------
    conn : sqlite3.Connection
        The database to copy.
    path : str or pathlib.Path
        A file that does not exist yet.

    Returns
    -------
    pathlib.Path
        The backup file.

    Raises
    ------
    CRMDBError
        If ``path`` already exists.
    TypeError
        If ``path`` is not a string or ``pathlib.Path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> backup(create(":memory:"), Path(folder.name) / "crm.db").name
    'crm.db'
    >>> folder.cleanup()
    """
    target_path = Path(_check_path(path))
    if target_path.exists():
        raise CRMDBError(f"{target_path} 已存在：备份不会覆盖已有文件。"
                         f" {target_path} exists: a backup never overwrites a file")
    target = sqlite3.connect(target_path)
    try:
        conn.backup(target)
    finally:
        target.close()
    return target_path


def restore(path: str | Path, conn: sqlite3.Connection) -> sqlite3.Connection:
    """Overwrite the database of ``conn`` with the backup file ``path`` (backup API).

    Parameters
    ----------
    path : str or pathlib.Path
        A backup made by ``backup``.
    conn : sqlite3.Connection
        The database to overwrite.

    Returns
    -------
    sqlite3.Connection
        ``conn``, now holding the backup's data.

    Raises
    ------
    CRMDBError
        If the file does not exist or is not a CRM database.
    TypeError
        If ``path`` is not a string or ``pathlib.Path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.TemporaryDirectory()
    >>> source = create(":memory:")
    >>> _ = register_customer(source, name="王伟", registered="2024-01-05")
    >>> saved = backup(source, Path(folder.name) / "crm.db")
    >>> len(table_rows(restore(saved, create(":memory:")), "customers"))
    1
    >>> folder.cleanup()
    """
    source_path = Path(_check_path(path))
    if not source_path.is_file():
        raise CRMDBError(f"备份文件 {source_path} 不存在。 Backup file {source_path} not found")
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not 1 <= schema_version(source) <= SCHEMA_VERSION:
            raise CRMDBError(f"{source_path} 不是本课程的 CRM 数据库备份。"
                             f" {source_path} is not a crmlab CRM backup")
        source.backup(conn)
    finally:
        source.close()
    return conn
