"""The schema as SQL files: numbered, frozen migrations plus the repeatable views script."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from crmlab.crmdb._core import (
    CRMDBError,
    CRMDBTypeError,
    check_connection,
    refuse,
    transaction,
)

#: schema version -> its migration file in ``crmlab/crmdb/sql`` (never edited once released)
MIGRATIONS: dict[int, str] = {1: "0001_initial.sql", 2: "0002_marketing_consent.sql",
                              3: "0003_rules.sql"}
SCHEMA_VERSION = max(MIGRATIONS)
#: the analytical views: re-applied after every migration from version 3 on
VIEWS_FILE = "views.sql"
#: from this version on the views come from ``VIEWS_FILE``
FIRST_VIEWS_VERSION = 3


def sql_text(name: str) -> str:
    """Return the text of one SQL file of the package (e.g. ``"views.sql"``).

    Parameters
    ----------
    name : str
        A file name in ``crmlab/crmdb/sql``.

    Returns
    -------
    str
        The SQL script.

    Raises
    ------
    CRMDBError
        If there is no such file.

    Examples
    --------
    >>> sql_text("views.sql").count("CREATE VIEW kpi_monthly")
    1
    """
    names = {*MIGRATIONS.values(), VIEWS_FILE, "analytics.sql"}
    if not isinstance(name, str) or name not in names:
        raise refuse("name", name, f"应为 {sorted(names)} 之一", f"expected one of {sorted(names)}")
    return resources.files("crmlab.crmdb").joinpath("sql", name).read_text(encoding="utf-8")


def statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (triggers hold inner semicolons)."""
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


def run_script(conn: sqlite3.Connection, name: str) -> None:
    """Execute every statement of one package SQL file inside the caller's transaction."""
    for statement in statements(sql_text(name)):
        conn.execute(statement)


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
    >>> from crmlab import crmdb
    >>> crmdb.schema_version(crmdb.create(":memory:", version=1))
    1
    """
    check_connection(conn)
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, to: int = SCHEMA_VERSION) -> int:
    """Upgrade the schema step by step up to version ``to``, in one transaction.

    Each version is a frozen ``.sql`` file of the package (``MIGRATIONS``); from
    version 3 on the analytical views are re-created from ``views.sql``. Every row
    is kept (migrations only add columns, tables, indexes, triggers and views).
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
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:", version=1)
    >>> crmdb.migrate(conn)
    3
    """
    current = schema_version(conn)
    if isinstance(to, bool) or not isinstance(to, int) or not current <= to <= SCHEMA_VERSION:
        raise CRMDBError(f"to={to!r} 无效：只能升级到 {current} 至 {SCHEMA_VERSION} 之间的版本",
                         f"to={to!r} is invalid: expected a version in "
                         f"{current}..{SCHEMA_VERSION}")
    if to == current:
        return current
    with transaction(conn):
        for step in range(current + 1, to + 1):
            run_script(conn, MIGRATIONS[step])
            conn.execute(f"PRAGMA user_version = {int(step)}")
        if to >= FIRST_VIEWS_VERSION:
            run_script(conn, VIEWS_FILE)
    return to


def _objects(conn: sqlite3.Connection) -> frozenset[tuple[Any, ...]]:
    return frozenset(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


@cache
def expected_schema(version: int) -> frozenset[tuple[Any, ...]]:
    """Return the schema objects (type, name, table, SQL) a CRM file of ``version`` holds."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, to=version)
        return _objects(conn)
    finally:
        conn.close()


def schema_problem(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """Return what is wrong with the schema of ``conn`` as (中文, English), or None."""
    version = schema_version(conn)
    if not 1 <= version <= SCHEMA_VERSION:
        return (f"模式版本 {version} 不是本课程 CRM 数据库的版本（1–{SCHEMA_VERSION}）",
                f"schema version {version} is not a crmlab CRM version")
    found, expected = _objects(conn), expected_schema(version)
    if found != expected:
        missing = sorted(name for _, name, _, _ in expected - found)[:3]
        extra = sorted(name for _, name, _, _ in found - expected)[:3]
        return (f"表、触发器或视图与第 {version} 版的 CRM 模式不符（缺少或被改动：{missing}；"
                f"多出或被改动：{extra}）", f"tables, triggers or views differ from CRM schema "
                f"version {version} (missing or changed: {missing}; extra or changed: {extra})")
    return None


def lookup(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    """Return the rows of a constant lookup query (helper for the module's tables)."""
    return conn.execute(sql).fetchall()


@cache
def _reference() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    migrate(conn)
    return conn


def workflow() -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, str]]:
    """Return the steps, legal moves and complaint types as the newest schema stores them."""
    conn = _reference()
    steps = dict(lookup(conn, "SELECT step, label_zh FROM workflow_steps ORDER BY position"))
    moves: dict[str, tuple[str, ...]] = {s: () for s in steps}
    for a, b in lookup(conn, "SELECT from_step, to_step FROM workflow_moves ORDER BY rowid"):
        moves[a] = (*moves[a], b)
    types = dict(lookup(conn, "SELECT complaint_type, label_zh FROM complaint_types "
                              "ORDER BY rowid"))
    return steps, moves, types


def check_path(path: Any, name: str = "path") -> str:
    """Return ``path`` as text if it is a non-empty string or ``pathlib.Path``."""
    if isinstance(path, Path):
        return str(path)
    if not isinstance(path, str) or not path:
        raise refuse(name, path, "应为数据库文件路径（字符串或 pathlib.Path）",
                     "expected a file path (str or Path)", kind=CRMDBTypeError)
    return path
