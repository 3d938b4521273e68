"""Bulk load: data frames into their tables in ONE transaction (all rows or none)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from crmlab.crmdb._core import (
    AnalystConnection,
    CRMDBError,
    CRMDBTypeError,
    check_connection,
    explain,
    is_busy,
    refuse,
    sql_value,
    transaction,
    whole,
)

#: tables in load order (parents before children) -> their columns
TABLES: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "name", "phone", "email", "city", "gender", "birth_date",
                  "registered"),
    "source_records": ("record_id", "customer_id", "source", "registered"),
    "orders": ("order_id", "customer_id", "record_id", "order_date", "amount", "cost",
               "category"),
    "contacts": ("contact_id", "customer_id", "record_id", "contact_date", "kind", "cost"),
    "complaints": ("complaint_id", "ticket", "customer_id", "order_id", "complaint_type",
                   "sub_item", "opened_at", "opened_by", "description", "sla_days"),
    "complaint_events": ("event_id", "complaint_id", "from_step", "to_step", "at", "actor",
                         "note", "department", "satisfaction"),
    "complaint_corrections": ("correction_id", "complaint_id", "field", "old_value",
                              "new_value", "corrected_by", "corrected_at", "reason"),
}
#: the lookup tables (frozen by the schema)
LOOKUP_TABLES = ("workflow_steps", "workflow_moves", "complaint_types", "report_settings")

KEY = {"customers": "customer_id", "source_records": "record_id", "orders": "order_id",
       "contacts": "contact_id", "complaints": "complaint_id", "complaint_events": "event_id",
       "complaint_corrections": "correction_id"}
DATE_COLUMNS = frozenset({"birth_date", "registered", "order_date", "contact_date"})
DATETIME_COLUMNS = frozenset({"opened_at", "at", "corrected_at"})
TABLE_ZH = {"customers": "客户表", "source_records": "渠道记录表", "orders": "订单表",
            "contacts": "企业投入记录表", "complaints": "投诉表",
            "complaint_events": "投诉处理记录表", "complaint_corrections": "投诉更正记录表"}


def column_values(series: pd.Series, column: str) -> list[Any]:
    """Return a column as plain Python values for sqlite3 (None for missing)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            raise refuse(column, series.dtype, "时间带时区：请给出本地时间（不带时区）",
                         "a time zone is attached: give local wall-clock times")
        fmt = "%Y-%m-%d" if column in DATE_COLUMNS else "%Y-%m-%d %H:%M:%S"
        text = series.dt.strftime(fmt)
        return text.astype(object).where(text.notna(), None).tolist()
    if pd.api.types.is_float_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        if series.hasnans:
            return series.astype(object).where(series.notna(), None).tolist()
        return series.tolist()
    values = series.astype(object).where(series.notna(), None).tolist()
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return values
    # mixed objects (NumPy scalars, Timestamps, dates): bound as their Python values
    return [sql_value(v, column, date_only=column in DATE_COLUMNS) for v in values]


def _rows(frame: Any, table: str) -> tuple[list[str], list[tuple]]:
    if not isinstance(frame, pd.DataFrame):
        raise refuse(f"tables[{table!r}]", type(frame).__name__, "应为 pandas DataFrame",
                     "expected a DataFrame", kind=CRMDBTypeError)
    known = TABLES[table]
    unknown = [c for c in frame.columns if c not in known]
    if table == "complaints" and "satisfaction" in unknown:
        raise CRMDBError("complaints 不能带 satisfaction 列：满意度随结案那一步登记在 "
                         "complaint_events.satisfaction（complaint_tables 会这样整理"
                         "第 5 章的日志）",
                         "complaints cannot carry satisfaction: it is recorded on the closing "
                         "event (complaint_events.satisfaction)")
    if unknown:
        raise CRMDBError(f"{table} 有未知的列 {unknown}：应为 {list(known)} 中的列",
                         f"{table} has unknown column(s) {unknown}: expected some of "
                         f"{list(known)}")
    if frame.columns.duplicated().any():
        raise CRMDBError(f"{table} 有重复的列名 {list(frame.columns[frame.columns.duplicated()])}",
                         f"{table} has duplicated column names")
    columns = [c for c in known if c in frame.columns]
    values = [column_values(frame[c], c) for c in columns]
    return columns, list(zip(*values, strict=True))


def load(conn: sqlite3.Connection, tables: Mapping[str, pd.DataFrame], *,
         progress: Callable[[str, int], None] | None = None,
         chunk_size: int = 50_000, cache_mib: int = 256) -> dict[str, int]:
    """Insert data frames into their tables in ONE transaction: all rows or none.

    Every rule of the schema applies to every row (constraints, foreign keys, the
    complaint workflow triggers): loading chapter 5's log replays each move.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    tables : mapping of str to pandas.DataFrame
        Table name -> frame whose columns are a subset of ``TABLES[name]``;
        loaded in the order of ``TABLES`` (parents first). Dates may be text
        (``YYYY-MM-DD``) or datetime64; NumPy and pandas scalars are stored as
        their Python values.
    progress : callable, optional
        Called as ``progress(table, rows_so_far)`` after each chunk.
    chunk_size : int
        Rows per ``executemany`` call (at least 1).
    cache_mib : int
        SQLite page cache while loading (MiB, taken only as needed), so index
        pages stay in memory; the connection's setting is restored after.

    Returns
    -------
    dict of str to int
        Table -> rows inserted.

    Raises
    ------
    CRMDBError
        If any row breaks a rule: the whole load is rolled back and the message
        names the table, the row (position and key) and the rule, in Chinese
        and English; also for an unknown table or column, a table that is not a
        DataFrame, or a bad ``chunk_size``, ``cache_mib`` or ``progress``.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> people = pd.DataFrame({"customer_id": [1], "name": ["王伟"],
    ...                        "registered": ["2024-01-05"]})
    >>> crmdb.load(conn, {"customers": people})
    {'customers': 1}
    """
    check_connection(conn)
    if not isinstance(tables, Mapping):
        raise refuse("tables", tables, "应为字典：表名 -> DataFrame",
                     "expected a mapping table name -> DataFrame", kind=CRMDBTypeError)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise CRMDBError(f"未知的表 {unknown}：应为 {list(TABLES)} 之一",
                         f"Unknown table(s) {unknown}: expected some of {list(TABLES)}")
    chunk = whole(chunk_size, "chunk_size", minimum=1)
    cache = whole(cache_mib, "cache_mib", minimum=1, maximum=65_536)
    if progress is not None and not callable(progress):
        raise refuse("progress", progress, "应为函数 progress(table, rows) 或 None",
                     "expected a callable progress(table, rows) or None", kind=CRMDBTypeError)
    prepared = {t: _rows(tables[t], t) for t in TABLES if t in tables}
    if isinstance(conn, AnalystConnection):
        raise CRMDBError("这个连接是只读的：分析员的连接不能载入数据",
                         "This connection is read-only: an analyst's connection cannot load data")
    # a big page cache while loading keeps the index pages in memory (then restored)
    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = {-1024 * cache}")
    try:
        with transaction(conn):
            return {table: _load_table(conn, table, columns, rows, tables[table], progress,
                                       chunk)
                    for table, (columns, rows) in prepared.items()}
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


def _load_table(conn: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple],
                frame: pd.DataFrame, progress: Callable[[str, int], None] | None,
                chunk_size: int) -> int:
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # names from TABLES only
           f"VALUES ({', '.join('?' * len(columns))})")
    before = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    # A big load into a small table: drop the secondary (non-unique) indexes and
    # rebuild them after the rows are in -- one sort instead of a random insert per
    # row. DDL is transactional: an error rolls this back too. Not on a table with
    # triggers: they look rows up through those indexes (a scan per row without them).
    rebuild = []
    triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = ?", (table,)).fetchone()[0]
    if len(rows) >= 100_000 and len(rows) > before and not triggers:
        rebuild = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'", (table,)).fetchall()
        for name, _ in rebuild:
            conn.execute(f'DROP INDEX "{name}"')
    done = 0
    for start in range(0, len(rows), chunk_size):
        chunk = rows[start:start + chunk_size]
        try:
            conn.executemany(sql, chunk)
        except (sqlite3.IntegrityError, sqlite3.OperationalError, sqlite3.ProgrammingError,
                OverflowError) as error:
            if is_busy(error):
                raise
            raise _load_error(conn, table, before, columns, rows, frame, error) from None
        done += len(chunk)
        if progress is not None:
            progress(table, done)
    for _, index_sql in rebuild:
        conn.execute(index_sql)
    return len(rows)


def _load_error(conn: sqlite3.Connection, table: str, before: int, columns: list[str],
                rows: list[tuple], frame: pd.DataFrame, error: Exception) -> CRMDBError:
    # executemany stops at the first bad row; the rows before it are still in the
    # (soon rolled back) transaction, so their count is the bad row's position.
    position = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before
    position = min(position, len(rows) - 1)
    label = frame.index[position]
    key = KEY[table]
    key_text = f"{key}={rows[position][columns.index(key)]!r}" if key in columns else ""
    shown = dict(zip(columns, rows[position], strict=True))
    where = f"{TABLE_ZH[table]} {table} 第 {position + 1} 行（索引 {label!r}，{key_text}）"
    where_en = f"{table} row {position + 1} (index {label!r}, {key_text})"
    if isinstance(error, sqlite3.ProgrammingError | OverflowError):
        return CRMDBError(f"{where}有无法存入数据库的值（例如超出 64 位范围的整数）：{shown}。"
                          f"整批数据未载入",
                          f"{where_en} holds a value sqlite3 cannot store "
                          f"(e.g. an integer beyond 64 bits): {shown}. Nothing was loaded")
    explained = explain(error, f"载入{where}", f"Loading {where_en}")
    return CRMDBError(f"{explained.zh}整批数据未载入，数据库保持原样。该行：{shown}",
                      f"{explained.en}. The whole load was rolled back. Row: {shown}")
