"""A small but real CRM database (SQLite, Python standard library) for chapter 7.

The lecture's CRM system (《客户关系管理》第四节 CRM系统的实施) has three faces:
operational CRM (操作型: register customers, record orders, handle complaints),
collaborative CRM (合作型: every channel and department writes to one database)
and analytical CRM (分析型: views that turn the records into customer
knowledge). This package builds all three on one SQLite file:

* The schema is SQL, in ``crmlab/crmdb/sql``: one frozen migration per version
  (``0001_initial.sql``, ``0002_marketing_consent.sql``, ``0003_rules.sql``;
  ``PRAGMA user_version`` records the version) and the repeatable ``views.sql``
  re-applied by every migration. ``create`` builds a file, ``migrate`` upgrades
  one and keeps every row.
* Tables: ``customers`` (chapter 0's unified customer file), ``source_records``,
  ``orders``, ``contacts`` (企业投入记录), ``complaints`` with its history
  ``complaint_events`` and its ``complaint_corrections``; lookup tables
  ``workflow_steps``, ``workflow_moves``, ``complaint_types`` (frozen).
* Rules inside the database, so they hold for every client: foreign keys, CHECK
  constraints, and triggers for chapter 5's workflow -- a legal move by a named
  person (``actor``), the department named at 确定责任部门, satisfaction with the
  closing event, no event in the future or before the previous one, events and
  corrections append-only under every statement form, KPI inputs changed only by
  a recorded correction (who, when, why, old -> new).
* Views (``views.sql``): ``customer_360``, ``rfm`` (equal to
  ``crmlab.rfm.summary``), ``complaint_status`` (handling time to the final
  closure, first resolution apart, as chapter 5), ``kpi_monthly`` / ``kpi_yearly``
  (the four implementation goals and the complaint backlog), ``clv_inputs``
  (chapter 2's retention CLV per customer) and ``marketing_list``.
* Roles: an operator opens the file; an analyst opens the masked copy that
  ``publish_analytics`` writes (a separate file with no raw phone number or
  e-mail at all), read-only, under ``read_only_authorizer`` -- the one
  authorizer the chapter 7 exercise runner uses too.

Modules: ``_core`` (errors, value conversion, transactions), ``_schema`` (SQL
files, migrations), ``_connection`` (connect, backup/restore, analytical copy),
``_load`` (bulk load), ``_course`` (course data, chapter 5's log),
``_operations`` (day-to-day work), ``_analytics`` (queries and views).
Every statement is parameterised; errors a user can meet are ``CRMDBError``
(a ``ValueError``) with the message in Chinese first, then English.

>>> conn = create(":memory:")
>>> schema_version(conn)
3
>>> cid = register_customer(conn, name="王伟", phone="13800138000", registered="2024-01-05")
>>> n = open_complaint(conn, cid, complaint_type="quality", by="客服小李",
...                    opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
>>> advance(conn, n, "judge", by="质检员", at="2024-02-03 10:00:00")
'judge'
>>> advance(conn, n, "closed", by="客服", at="2024-02-03 11:00:00")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
crmlab.crmdb._core.CRMDBError: 推进投诉：投诉流程不允许这一步：“判定是否成立”之后只能是...
"""

from crmlab.crmdb._analytics import kpis, query, rfm, search_customers, table_rows
from crmlab.crmdb._connection import (
    AnalystConnection,
    analytics_path,
    backup,
    connect,
    create,
    mask_text,
    publish_analytics,
    read_only_authorizer,
    restore,
)
from crmlab.crmdb._core import CONSTRAINTS, CRMDBError, transaction
from crmlab.crmdb._course import (
    COURSE_AS_OF,
    complaint_tables,
    course_tables,
    load_course_data,
)
from crmlab.crmdb._load import LOOKUP_TABLES, TABLES, load
from crmlab.crmdb._operations import (
    CORRECTABLE,
    advance,
    correct,
    open_complaint,
    record_contact,
    record_order,
    register_customer,
)
from crmlab.crmdb._schema import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version, sql_text
from crmlab.crmdb._schema import workflow as _workflow

__all__ = [
    "COMPLAINT_TYPES",
    "CONSTRAINTS",
    "CORRECTABLE",
    "COURSE_AS_OF",
    "CRMDBError",
    "LOOKUP_TABLES",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STEPS",
    "TABLES",
    "TRANSITIONS",
    "VIEWS",
    "AnalystConnection",
    "advance",
    "analytics_path",
    "backup",
    "complaint_tables",
    "connect",
    "correct",
    "course_tables",
    "create",
    "kpis",
    "load",
    "load_course_data",
    "mask_text",
    "migrate",
    "open_complaint",
    "publish_analytics",
    "query",
    "read_only_authorizer",
    "record_contact",
    "record_order",
    "register_customer",
    "restore",
    "rfm",
    "schema_version",
    "search_customers",
    "sql_text",
    "table_rows",
    "transaction",
]

# The workflow as the schema stores it (frozen in migration 1), not as chapter 5's
# code says today: the tests check that the two agree.
#: step code -> 中文 label (a complaint's step is the step last completed)
#: legal moves: step -> the steps allowed next
#: complaint type code -> 中文 label
STEPS, TRANSITIONS, COMPLAINT_TYPES = _workflow()

#: the analytical views (``views.sql``) plus ``customers_masked``
VIEWS = ("customers_masked", "customer_360", "rfm", "complaint_status", "kpi_monthly",
         "kpi_yearly", "clv_inputs", "marketing_list")
