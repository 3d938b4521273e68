"""Chapter 7 tasks (CRM 系统的实施): answers are SQL queries on the course's CRM database.

The student writes a query (a string); ``check`` runs it READ-ONLY on a fresh
exercise database and compares its result with the result of the reference
query. The database is the course data (chapter 0's customers, orders and
contacts) plus a complaint log made for these exercises with its own seed, so
no table printed in the lecture is an answer. A query that would change
anything (INSERT, UPDATE, DELETE, DROP, ATTACH, PRAGMA, ...) is refused by an
SQLite authorizer on a read-only, immutable connection: the student gets a
Chinese message and the database is unchanged.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlab import crmdb
from crmlab.exercises import _sql
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import AnswerFormatError
from crmlab.exercises._sql import MAX_QUERY_CHARS as MAX_QUERY_CHARS  # re-exported
from crmlab.exercises._sql import MAX_ROWS as MAX_ROWS
from crmlab.exercises._sql import QUERY_SECONDS as QUERY_SECONDS
from crmlab.exercises._sql import SqlQuery

__all__ = ["EXERCISE_SEED", "SqlQuery", "chapter", "database", "query", "run_query"]

chapter = Chapter(__name__, "CRM 系统的实施：用 SQL 查询客户数据库")

#: Seed of the exercise complaint log (the lecture adds its complaints by hand).
EXERCISE_SEED = 20_250_707
#: The report date of the exercises ("today").
AS_OF = "2024-12-31 23:59:59"


# --- the exercise database -----------------------------------------------------------

def _complaint_plan(customers: np.ndarray) -> list[dict[str, Any]]:
    """60 complaints with how far each got: some past their SLA, some reopened."""
    rng = np.random.default_rng(EXERCISE_SEED)
    types = ["quality", "contract", "transport", "service"]
    departments = {"quality": "质检部", "contract": "销售部", "transport": "物流部",
                   "service": "客服部"}
    plan = []
    complainers = rng.choice(customers, 40, replace=False)  # some complain more than once
    for number in range(60):
        kind = types[rng.choice(4, p=[0.35, 0.2, 0.25, 0.2])]
        opened = pd.Timestamp("2024-01-02 09:00") + pd.Timedelta(
            minutes=int(rng.integers(0, 355 * 24 * 60)))
        stop = rng.choice(["closed", "rejected", "review", "analyse", "judge", "reopened"],
                          p=[0.5, 0.1, 0.1, 0.12, 0.08, 0.1])
        if number >= 55:  # open complaints of the last days of the year, some 8-9 days old:
            opened = pd.Timestamp("2024-12-22 10:00") + pd.Timedelta(days=number - 55)
            kind, stop = ("contract" if number < 58 else "service"), "analyse"  # within SLA?
        plan.append({"customer_id": int(rng.choice(complainers)), "complaint_type": kind,
                     "department": departments[kind], "opened": opened, "stop": str(stop),
                     "sla_days": 10 if kind == "contract" else 7,
                     "hours": rng.gamma(2.0, 14.0, 12), "satisfaction": int(rng.integers(1, 6))})
    return plan


_PATHS = {
    "closed": ["judge", "assign", "analyse", "propose", "approve", "implement", "review",
               "closed"],
    "reopened": ["judge", "assign", "analyse", "propose", "approve", "implement", "review",
                 "closed", "analyse"],
    "rejected": ["judge", "rejected"],
    "review": ["judge", "assign", "analyse", "propose", "approve", "implement", "review"],
    "analyse": ["judge", "assign", "analyse"],
    "judge": ["judge"],
}


def _build(path: Path) -> None:
    conn = crmdb.create(path.with_name(path.stem + "-operational.db"))
    crmdb.load_course_data(conn)
    customers = np.array([c for (c,) in conn.execute("SELECT customer_id FROM customers")])
    # exercise data differ from the lecture's: customers who bought on one day only
    # get a second order that same day (one purchase occasion, two order rows)
    once = conn.execute("SELECT customer_id, min(order_date) FROM orders GROUP BY customer_id "
                        "HAVING count(DISTINCT order_date) = 1 ORDER BY customer_id").fetchall()
    for customer, day in once[::2]:
        crmdb.record_order(conn, customer, order_date=day, amount=35.0, cost=20.0)
    for item in _complaint_plan(customers):
        number = crmdb.open_complaint(
            conn, item["customer_id"], complaint_type=item["complaint_type"],
            opened_at=item["opened"].strftime("%Y-%m-%d %H:%M:%S"), by="客服部",
            description="练习用投诉", sla_days=item["sla_days"])
        at = item["opened"]
        for step, hours in zip(_PATHS[item["stop"]], item["hours"], strict=False):
            at = at + pd.Timedelta(hours=float(hours))
            settled = step in ("closed", "rejected") and item["stop"] != "reopened"
            crmdb.advance(conn, number, step, at=at.strftime("%Y-%m-%d %H:%M:%S"),
                          by=item["department"],
                          department=item["department"] if step == "assign" else None,
                          satisfaction=item["satisfaction"] if settled else None)
    crmdb.publish_analytics(conn, path)  # the masked analytical copy: one file, no raw phones
    conn.close()
    path.chmod(0o444)  # read-only for ordinary users (root ignores it: see database())


@cache
def _folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="crmlab-ch7-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def _reference() -> str:
    """Build the checker's own copy: only ever opened read-only and immutable."""
    path = _folder() / "reference.db"
    _build(path)
    return str(path)


@cache
def database() -> str:
    """Return the path of the student's copy of the exercise database (deleted at exit).

    ``check`` never reads it: whatever happens to this file, answers are run on
    the checker's own copy.

    Returns
    -------
    str
        The path of a read-only SQLite file, the same on every call.

    Examples
    --------
    >>> database().endswith("exercises.db")
    True
    """
    path = _folder() / "exercises.db"
    shutil.copyfile(_reference(), path)
    path.chmod(0o444)
    return str(path)


# --- running a query read-only ---------------------------------------------------------------

def run_query(sql: str) -> pd.DataFrame:
    """Run one query read-only on the checker's copy of the exercise database.

    ``_sql.run_query`` on this chapter's database: a frame with the query's
    columns, or an ``AnswerFormatError`` (never anything else) with Chinese
    guidance for a query that is not one SELECT, would write, fails, runs longer
    than ``QUERY_SECONDS`` or returns more than ``MAX_ROWS`` rows.

    Parameters
    ----------
    sql : str
        One SELECT query.

    Returns
    -------
    pandas.DataFrame
        The query's result, with its column names.

    Examples
    --------
    >>> try:
    ...     run_query("DROP TABLE customers")
    ... except AnswerFormatError as problem:
    ...     print(str(problem).split("。")[0])
    这条语句会修改数据库，已被拒绝，数据库没有任何改变
    """
    return _sql.run_query(sql, _reference())


# --- the tasks ----------------------------------------------------------------------------

def _given() -> dict[str, str]:
    return {"database": database(), "as_of": AS_OF}


_MONTHLY = """
SELECT substr(order_date, 1, 7) AS month, round(sum(amount), 2) AS sales
FROM orders GROUP BY month ORDER BY month"""

chapter.task(  # ch7.ex1 -- monthly sales (the goal 提高销售额)
    SqlQuery(database=_reference,
             ordered=True, columns=("month", "sales"), order="按月份从早到晚"),
    given=_given,
    expected=lambda g: _MONTHLY,
    hint="按月份分组：月份可以用 substr(order_date, 1, 7) 取出，销售额是 amount 的合计。",
    mistakes=[
        Mistake(lambda g: "SELECT substr(order_date, 1, 7) AS month, round(sum(amount), 2) "
                          "FROM orders",
                "结果只有一行：漏了 GROUP BY，sum 把全年的订单加在了一起。"),
        Mistake(lambda g: "SELECT substr(order_date, 1, 7) AS month, count(*) FROM orders "
                          "GROUP BY month ORDER BY month",
                "count(*) 数的是订单笔数；销售额要把金额 amount 加起来：sum(amount)。"),
    ],
)

_REPEAT = """
SELECT round(avg(days >= 2), 4) AS repeat_rate
FROM (SELECT customer_id, count(DISTINCT order_date) AS days FROM orders GROUP BY customer_id)"""

chapter.task(  # ch7.ex2 -- repeat-purchase rate
    SqlQuery(database=_reference,
             decimals=4, columns=("repeat_rate",)),
    given=_given,
    expected=lambda g: _REPEAT,
    hint="复购率 = 至少在两个不同日子购买过的客户数 ÷ 有过购买的客户数；先按客户分组，"
         "数每位客户的不同购买日 count(DISTINCT order_date)。",
    mistakes=[
        Mistake(lambda g: "SELECT round(avg(n >= 2), 4) FROM (SELECT customer_id, count(*) AS n "
                          "FROM orders GROUP BY customer_id)",
                "count(*) 数的是订单行：同一天的几笔订单是一次购买（第 3 章的“购买次数”），"
                "要数不同的购买日 count(DISTINCT order_date)。"),
        Mistake(lambda g: "SELECT round(avg(COALESCE(days, 0) >= 2), 4) FROM customers LEFT JOIN "
                          "(SELECT customer_id, count(DISTINCT order_date) AS days FROM orders "
                          "GROUP BY customer_id) USING (customer_id)",
                "分母把从未购买的客户也算进去了：复购率的分母是有过购买的客户。"),
    ],
)

_MARGIN = """
SELECT c.customer_id, c.name, round(sum(o.amount - o.cost), 2) AS margin
FROM customers AS c JOIN orders AS o ON o.customer_id = c.customer_id
GROUP BY c.customer_id ORDER BY margin DESC LIMIT 10"""

chapter.task(  # ch7.ex3 -- top customers by margin (增加利润率)
    SqlQuery(database=_reference,
             ordered=True, columns=("customer_id", "name", "margin"), order="毛利从高到低"),
    given=_given,
    expected=lambda g: _MARGIN,
    hint="毛利 = 金额 amount − 销货成本 cost；按客户分组求和，从大到小排，取前 10 位。",
    mistakes=[
        Mistake(lambda g: "SELECT c.customer_id, c.name, round(sum(o.amount), 2) AS s FROM "
                          "customers c JOIN orders o ON o.customer_id = c.customer_id "
                          "GROUP BY c.customer_id ORDER BY s DESC LIMIT 10",
                "你排的是销售额：本题要的是毛利 sum(amount − cost)。销售额最高的客户不一定毛利最高"
                "（大客户不等于好客户）。"),
        Mistake(lambda g: "SELECT c.customer_id, c.name, round(sum(o.amount - o.cost), 2) AS m "
                          "FROM customers c JOIN orders o ON o.customer_id = c.customer_id "
                          "GROUP BY c.customer_id ORDER BY m LIMIT 10",
                "这是毛利最低的 10 位：ORDER BY 默认升序，最高的要写 DESC。"),
    ],
)

_BY_TYPE = """
SELECT complaint_type, count(DISTINCT customer_id) AS customers
FROM complaints GROUP BY complaint_type ORDER BY complaint_type"""

chapter.task(  # ch7.ex4 -- customers with complaints, by type
    SqlQuery(database=_reference,
             columns=("complaint_type", "customers")),
    given=_given,
    expected=lambda g: _BY_TYPE,
    hint="按投诉类型分组，数的是客户，而且一位客户只算一次：count(DISTINCT customer_id)。",
    mistakes=[
        Mistake(lambda g: "SELECT complaint_type, count(*) FROM complaints "
                          "GROUP BY complaint_type",
                "count(*) 数的是投诉条数；同一位客户投诉几次只算一位客户："
                "count(DISTINCT customer_id)。"),
    ],
)

_OVERDUE = """
SELECT complaint_id, customer_id FROM complaints
WHERE step NOT IN ('closed', 'rejected')
  AND datetime(opened_at, '+' || sla_days || ' days') < '2024-12-31 23:59:59'
ORDER BY complaint_id"""

chapter.task(  # ch7.ex5 -- open complaints past their SLA
    SqlQuery(database=_reference,
             ordered=True, decimals=0, columns=("complaint_id", "customer_id"),
             order="按投诉编号排序"),
    given=_given,
    expected=lambda g: _OVERDUE,
    hint="两个条件同时成立：还没结案（step 不是 closed 或 rejected），并且受理时间加上"
         "各自的处理时限 sla_days 天已经早于报告时点 '2024-12-31 23:59:59'。",
    mistakes=[
        Mistake(lambda g: "SELECT complaint_id, customer_id FROM complaints WHERE "
                          "datetime(opened_at, '+' || sla_days || ' days') < "
                          "'2024-12-31 23:59:59' ORDER BY complaint_id",
                "已经结案的投诉也被算进来了：只找还没结案的"
                "（step NOT IN ('closed', 'rejected')）。"),
        Mistake(lambda g: "SELECT complaint_id, customer_id FROM complaints WHERE step <> 'closed' "
                          "AND datetime(opened_at, '+' || sla_days || ' days') < "
                          "'2024-12-31 23:59:59' ORDER BY complaint_id",
                "判定不成立（rejected）的投诉也已经处理完毕，不再有处理时限：两种结束状态都要排除，"
                "step NOT IN ('closed', 'rejected')。"),
        Mistake(lambda g: "SELECT complaint_id, customer_id FROM complaints WHERE step NOT IN "
                          "('closed', 'rejected') AND datetime(opened_at, '+7 days') < "
                          "'2024-12-31 23:59:59' ORDER BY complaint_id",
                "每条投诉有自己的处理时限 sla_days（合同类投诉是 10 天），不能一律按 7 天算。"),
    ],
)

_LEFT_JOIN = ("思路对了，但题目只列有过订单的客户：LEFT JOIN 把没有订单的投诉客户也列了出来"
              "（0 元或空值）。改用内连接或 IN 子查询，没有订单的客户就不会出现。")

_SPEND = """
SELECT o.customer_id, round(sum(o.amount), 2) AS total
FROM orders AS o
WHERE o.customer_id IN (SELECT customer_id FROM complaints)
GROUP BY o.customer_id ORDER BY o.customer_id"""

chapter.task(  # ch7.ex6 -- the spend of complaining customers (a join that multiplies rows)
    SqlQuery(database=_reference,
             ordered=True, columns=("customer_id", "total"), order="按客户编号排序"),
    given=_given,
    expected=lambda g: _SPEND,
    hint="先找出投诉过的客户（子查询 IN 或 EXISTS），再对他们的订单求和；"
         "每位客户一行（只列有过订单的客户），按客户编号排序。",
    mistakes=[
        Mistake(lambda g: "SELECT o.customer_id, round(sum(o.amount), 2) FROM orders o JOIN "
                          "complaints q ON q.customer_id = o.customer_id GROUP BY o.customer_id "
                          "ORDER BY o.customer_id",
                "连接方式错了：把订单和投诉直接 JOIN，投诉过两次的客户的每笔订单就出现两次，"
                "消费额被成倍放大。先筛出投诉过的客户（IN 子查询），再汇总订单。"),
        Mistake(lambda g: "SELECT c.customer_id, round(coalesce(sum(o.amount), 0), 2) FROM "
                          "(SELECT DISTINCT customer_id FROM complaints) AS c LEFT JOIN orders o "
                          "ON o.customer_id = c.customer_id GROUP BY c.customer_id "
                          "ORDER BY c.customer_id",
                _LEFT_JOIN),
        Mistake(lambda g: "SELECT c.customer_id, round(sum(o.amount), 2) FROM "
                          "(SELECT DISTINCT customer_id FROM complaints) AS c LEFT JOIN orders o "
                          "ON o.customer_id = c.customer_id GROUP BY c.customer_id "
                          "ORDER BY c.customer_id", _LEFT_JOIN),
    ],
)


# --- trying queries in the notebook -------------------------------------------------------

def query(sql: str) -> Any:
    """Run a query on the exercise database, as in the notebook: a table, or Chinese guidance.

    The student's way to try a query before ``check``: it runs read-only on the
    checker's copy (like ``check``), so a statement that would change the database,
    a typo or a runaway query gives a Chinese message instead of a traceback.

    Parameters
    ----------
    sql : str
        One SELECT query.

    Returns
    -------
    pandas.DataFrame or Feedback
        The result with its column names, or a ``Feedback`` (❌) saying what is wrong.

    Examples
    --------
    >>> int(query("SELECT count(*) AS n FROM customers")["n"].iloc[0]) > 0
    True
    >>> query("DROP TABLE orders").status
    'format'
    """
    from crmlab.exercises._core import Feedback

    try:
        return run_query(sql)
    except AnswerFormatError as problem:
        return Feedback("query", "format", str(problem))
