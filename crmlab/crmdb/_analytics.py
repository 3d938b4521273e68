"""Analytical CRM: read-only queries, the RFM, KPI and CLV views as DataFrames."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from crmlab.crmdb._connection import read_only_authorizer
from crmlab.crmdb._core import (
    AnalystConnection,
    CRMDBError,
    CRMDBTypeError,
    check_connection,
    refuse,
    sql_params,
    sql_value,
)
from crmlab.crmdb._load import LOOKUP_TABLES, TABLES


def _query_error(sql: str, error: Exception) -> CRMDBError:
    message = str(error)
    if "not authorized" in message:
        zh, en = ("只能查询（SELECT）：这条语句会修改数据库或读取设置，已被拒绝，"
                  "数据库没有任何改变",
                  "only queries (SELECT) may run here: the statement would change the "
                  "database and was refused; nothing changed")
    elif "one statement at a time" in message:
        zh, en = "一次只能运行一条语句", "one statement at a time"
    elif "supplied" in message or "binding" in message.lower():
        zh, en = (f"占位符与参数 params 不匹配（{message}）",
                  f"placeholders and params differ ({message})")
    else:
        zh, en = f"SQL 无法运行（{message}）", f"the SQL cannot run ({message})"
    return CRMDBError(f"sql={sql[:80]!r} 被拒绝：{zh}", f"sql={sql[:80]!r} refused: {en}")


def query(conn: sqlite3.Connection, sql: str, params: Mapping[str, Any] | tuple = ()
          ) -> pd.DataFrame:
    """Run one parameterised SELECT, read-only, and return the result as a DataFrame.

    The statement runs under the read-only authorizer on every connection: a
    statement that would write (or a PRAGMA, ATTACH, ...) is refused. NumPy and
    pandas scalars and timestamps in ``params`` are bound as their Python values.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection (operator or analyst).
    sql : str
        One SQL statement with ``?`` or ``:name`` placeholders.
    params : mapping or tuple
        The values of the placeholders.

    Returns
    -------
    pandas.DataFrame
        The rows, with the statement's column names.

    Raises
    ------
    CRMDBError
        If ``sql`` is not text, has a syntax error, names an unknown table or
        column, would change the database, or does not match ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from crmlab import crmdb
    >>> crmdb.query(crmdb.create(":memory:"), "SELECT :a + 1 AS b", {"a": np.int64(1)})
       b
    0  2
    """
    columns, rows = fetch(conn, sql, params)
    return pd.DataFrame(rows, columns=columns)


def fetch(conn: sqlite3.Connection, sql: str, params: Mapping[str, Any] | tuple = ()
          ) -> tuple[list[str], list[tuple]]:
    """Run one statement read-only (see ``query``); return its column names and rows."""
    check_connection(conn)
    if not isinstance(sql, str):
        raise refuse("sql", sql, "应为一条 SQL 语句（字符串）", "expected one SQL statement (str)",
                     kind=CRMDBTypeError)
    bound = sql_params(params)
    analyst = isinstance(conn, AnalystConnection)
    if not analyst:
        conn.set_authorizer(read_only_authorizer)
    try:
        cursor = conn.execute(sql, bound)
        columns = [d[0] for d in cursor.description or ()]
        return columns, cursor.fetchall()
    except (sqlite3.Error, OverflowError) as error:
        raise _query_error(sql, error) from None
    finally:
        if not analyst:
            conn.set_authorizer(None)


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
    CRMDBError
        If ``text`` is not a string (also a ``TypeError``).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> _ = crmdb.register_customer(conn, name="王伟", registered="2024-01-05", city="杭州")
    >>> crmdb.search_customers(conn, "杭")["name"].tolist()
    ['王伟']
    """
    if not isinstance(text, str):
        raise refuse("text", text, "应为字符串", "expected a string", kind=CRMDBTypeError)
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    return query(conn, "SELECT * FROM customers_masked WHERE name LIKE :p ESCAPE '\\' "
                       "OR city LIKE :p ESCAPE '\\' ORDER BY customer_id", {"p": pattern})


#: the RFM view's SQL with the report date as a parameter (same as views.sql)
_RFM_SQL = """
SELECT customer_id, min(order_date) AS first_purchase, max(order_date) AS last_purchase,
       CAST(julianday(:as_of) - julianday(max(order_date)) AS INTEGER) AS recency_days,
       (julianday(:as_of) - julianday(max(order_date))) / 30.4375 AS recency_months,
       count(DISTINCT order_date) AS frequency, sum(amount) AS monetary_total,
       sum(amount) / count(DISTINCT order_date) AS monetary_mean
FROM orders WHERE order_date <= :as_of GROUP BY customer_id ORDER BY customer_id"""

_RFM_COLUMNS = ("customer_id", "first_purchase", "last_purchase", "recency_days",
                "recency_months", "frequency", "monetary_total", "monetary_mean")


def rfm(conn: sqlite3.Connection, as_of: Any = None) -> pd.DataFrame:
    """Compute the RFM summary inside the database, like ``crmlab.rfm.summary``.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    as_of : str or date-like, optional
        The analysis date; ``None`` takes the ``rfm`` view's report date
        (``report_settings``, else the last order date). The view's SQL runs with
        the date as a parameter (the same rows as ``SELECT * FROM rfm``).

    Returns
    -------
    pandas.DataFrame
        One row per customer with orders; columns and types match ``rfm.summary``.

    Raises
    ------
    CRMDBError
        If ``as_of`` is not a date.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> _ = crmdb.record_order(conn, cid, order_date="2024-02-01", amount=199.0)
    >>> crmdb.rfm(conn, as_of="2024-03-02")[["recency_days", "frequency", "monetary_total"]]
       recency_days  frequency  monetary_total
    0            30          1           199.0
    """
    check_connection(conn)
    if as_of is None:  # the view's report date; the view's SQL with it as a parameter
        as_of = fetch(conn, "SELECT as_of FROM report_date")[1][0][0]
        if as_of is None:  # no orders and no report date: no customers
            return _rfm_frame([])
    try:
        stamp = pd.Timestamp(sql_value(as_of, "as_of", date_only=True))
    except (TypeError, ValueError):
        raise refuse("as_of", as_of, "应为日期，例如 '2024-12-31'",
                     "expected a date such as '2024-12-31'") from None
    if pd.isna(stamp):
        raise refuse("as_of", as_of, "日期缺失", "the date is missing")
    return _rfm_frame(fetch(conn, _RFM_SQL, {"as_of": stamp.strftime("%Y-%m-%d")})[1])


def _rfm_frame(rows: list[tuple]) -> pd.DataFrame:
    values = list(zip(*rows, strict=True)) if rows else [()] * len(_RFM_COLUMNS)
    out = {}
    for column, data in zip(_RFM_COLUMNS, values, strict=True):
        if column in ("first_purchase", "last_purchase"):
            out[column] = pd.to_datetime(np.array(data, dtype=object), format="%Y-%m-%d"
                                         ).astype("datetime64[ns]")
        elif column in ("customer_id", "recency_days", "frequency"):
            out[column] = np.array(data, dtype="int64")
        else:
            out[column] = np.array(data, dtype="float64")
    return pd.DataFrame(out)


def kpis(conn: sqlite3.Connection, *, period: str = "month") -> pd.DataFrame:
    """Return the four implementation goals per month or per year (``kpi_monthly``/``kpi_yearly``).

    提高销售额 → ``sales``; 增加利润率 → ``gross_margin_rate``; 提高客户满意度 →
    ``mean_satisfaction`` of complaints finally closed in the period (with
    ``sla_met_share`` and, per month, the backlog ``open_at_month_end`` /
    ``overdue_at_month_end``); 降低销售成本 → ``selling_expense_ratio`` = contact
    spend / sales (销售费用率). The yearly rows are ratios of sums, never means of
    monthly ratios.

    Parameters
    ----------
    conn : sqlite3.Connection
        Any connection.
    period : str
        ``"month"`` or ``"year"``.

    Returns
    -------
    pandas.DataFrame
        One row per month (or year).

    Raises
    ------
    CRMDBError
        If ``period`` is not ``"month"`` or ``"year"``.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> _ = crmdb.record_order(conn, cid, order_date="2024-02-01", amount=200.0, cost=150.0)
    >>> float(crmdb.kpis(conn)["sales"].iloc[0]), float(crmdb.kpis(conn, period="year")
    ...                                                   ["gross_margin_rate"].iloc[0])
    (200.0, 0.25)
    """
    views = {"month": "kpi_monthly", "year": "kpi_yearly"}
    if not isinstance(period, str) or period not in views:
        raise refuse("period", period, "应为 'month' 或 'year'", "expected 'month' or 'year'")
    return query(conn, f"SELECT * FROM {views[period]}")


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
    >>> from crmlab import crmdb
    >>> crmdb.table_rows(crmdb.create(":memory:"), "customers")
    []
    """
    check_connection(conn)
    if not isinstance(table, str) or (table not in TABLES and table not in LOOKUP_TABLES):
        raise refuse("table", table, f"未知的表，应为 {[*TABLES, *LOOKUP_TABLES]} 之一",
                     "unknown table")
    return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
