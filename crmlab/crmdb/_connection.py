"""Opening, creating, backing up and restoring a CRM file; the analyst's masked copy."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from crmlab.crmdb._core import (
    AnalystConnection,
    CRMDBError,
    check_connection,
    refuse,
    transaction,
)
from crmlab.crmdb._schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    check_path,
    migrate,
    run_script,
    schema_problem,
    schema_version,
)

#: the only statements a read-only connection may run (SQLite authorizer action codes)
READ_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                          sqlite3.SQLITE_RECURSIVE})
#: file name of the analyst's copy beside ``crm.db``: ``crm.analytics.db``
ANALYTICS_SUFFIX = ".analytics"


def read_only_authorizer(action: int, arg1: str | None = None, arg2: str | None = None,
                         db: str | None = None, source: str | None = None) -> int:
    """Allow reading only: the SQLite authorizer of analysts and of the exercise runner.

    Parameters
    ----------
    action : int
        SQLite's action code (``sqlite3.SQLITE_SELECT``, ``SQLITE_INSERT``, ...).
    arg1, arg2, db, source : str or None
        The action's details (table, column, database, trigger or view); unused.

    Returns
    -------
    int
        ``sqlite3.SQLITE_OK`` for SELECT, reading a column, calling a function and
        recursive CTEs; ``sqlite3.SQLITE_DENY`` for everything else (writes, DDL,
        PRAGMA, ATTACH, transactions).

    Examples
    --------
    >>> read_only_authorizer(sqlite3.SQLITE_SELECT) == sqlite3.SQLITE_OK
    True
    >>> read_only_authorizer(sqlite3.SQLITE_INSERT, "orders") == sqlite3.SQLITE_DENY
    True
    """
    return sqlite3.SQLITE_OK if action in READ_ACTIONS else sqlite3.SQLITE_DENY


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA foreign_keys = ON")
    # WAL: readers never block the writer; NORMAL is durable against a crash of the
    # process (only a power cut can lose the last commits).
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _read_only(path: str) -> sqlite3.Connection:
    return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True,
                           isolation_level=None)


def file_problem(path: str, *, full: bool,
                 analytics: bool = False) -> tuple[str, str] | None:
    """Inspect a file read-only; return what disqualifies it as (中文, English), or None.

    ``full``: ``PRAGMA integrity_check`` and ``foreign_key_check`` (restore);
    otherwise ``quick_check`` (connect). Never writes to the file.
    """
    try:
        conn = _read_only(path)
    except sqlite3.Error as error:
        return f"无法打开（{error}）", f"cannot be opened ({error})"
    try:
        check = conn.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check"
                             ).fetchone()[0]
        if check != "ok":
            return f"文件已损坏（{check}）", f"the file is damaged ({check})"
        if analytics:
            version = schema_version(conn)
            marked = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                  "name = 'analytics_copy'").fetchone()[0]
            if not marked or version != SCHEMA_VERSION:
                return ("不是本版本 crmdb 生成的分析副本",
                        "it is not an analytical copy made by this version of crmdb")
            return None
        problem = schema_problem(conn)
        if problem is None and full and conn.execute("PRAGMA foreign_key_check").fetchone():
            problem = ("有引用不存在的行的记录（外键不完整）",
                       "rows refer to rows that do not exist (foreign keys broken)")
        return problem
    except sqlite3.DatabaseError as error:  # not a database, encrypted, malformed
        return f"不是可读的 SQLite 数据库（{error}）", f"not a readable SQLite database ({error})"
    finally:
        conn.close()


def analytics_path(path: str | Path) -> Path:
    """Return where the analyst's copy of the CRM file ``path`` lives.

    Parameters
    ----------
    path : str or pathlib.Path
        The operational database file (``crm.db``).

    Returns
    -------
    pathlib.Path
        ``crm.analytics.db`` in the same folder.

    Raises
    ------
    CRMDBError
        If ``path`` is not a string or ``pathlib.Path``.

    Examples
    --------
    >>> analytics_path("data/crm.db").name
    'crm.analytics.db'
    """
    file = Path(check_path(path))
    if file.stem.endswith(ANALYTICS_SUFFIX):
        return file
    return file.with_name(file.stem + ANALYTICS_SUFFIX + file.suffix)


def _role(role: Any) -> str:
    if role not in ("operator", "analyst"):
        raise refuse("role", role, "应为 'operator'（操作员）或 'analyst'（分析员）",
                     "expected 'operator' or 'analyst'")
    return role


def _timeout(timeout: Any) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not (
            0 <= timeout <= 3600):
        raise refuse("timeout", timeout, "应为 0 到 3600 之间的秒数", "expected seconds in 0..3600")
    return float(timeout)


def connect(path: str | Path, *, role: str = "operator", timeout: float = 5.0
            ) -> sqlite3.Connection:
    """Open a CRM database (foreign keys on, WAL journal, busy timeout).

    The file is first inspected read-only (``PRAGMA quick_check``, the CRM schema
    of a known version, every table, trigger and view as that version made it):
    a file that fails is refused and left exactly as it was.

    Parameters
    ----------
    path : str or pathlib.Path
        The database file (must exist; ``create`` makes a new one).
    role : str
        ``"operator"`` (read and write, 操作型 CRM) or ``"analyst"`` (分析型 CRM):
        the analyst opens the masked copy ``analytics_path(path)`` that
        ``publish_analytics`` writes -- a separate file with no raw phone number or
        e-mail at all -- read-only, with an authorizer that allows SELECT only.
    timeout : float
        Seconds to wait for another writer before ``SQLITE_BUSY``.

    Returns
    -------
    sqlite3.Connection
        In autocommit mode: use ``transaction`` for atomic work.

    Raises
    ------
    CRMDBError
        If ``path``, ``role`` or ``timeout`` is invalid, the file does not exist,
        is damaged, or is not a CRM database of a known version (for an analyst:
        no current analytical copy).

    Examples
    --------
    >>> import tempfile
    >>> from crmlab import crmdb
    >>> folder = tempfile.TemporaryDirectory()
    >>> path = Path(folder.name) / "crm.db"
    >>> crmdb.create(path).close()
    >>> conn = crmdb.connect(path)
    >>> crmdb.publish_analytics(conn).name
    'crm.analytics.db'
    >>> analyst = crmdb.connect(path, role="analyst")
    >>> len(crmdb.query(analyst, "SELECT * FROM customer_360"))
    0
    >>> analyst.close(); conn.close(); folder.cleanup()
    """
    path = check_path(path)
    role = _role(role)
    seconds = _timeout(timeout)
    if role == "analyst":
        return _connect_analyst(path, seconds)
    if path == ":memory:":
        return create(path)
    if not Path(path).is_file():
        raise CRMDBError(f"数据库文件 {path} 不存在：先用 crmdb.create 建库",
                         f"Database file {path} does not exist: make it with crmdb.create")
    problem = file_problem(path, full=False)
    if problem is not None:
        raise CRMDBError(f"数据库文件 {path} 不能作为 CRM 数据库打开，文件没有任何改动："
                         f"{problem[0]}",
                         f"{path} was not opened ({problem[1]}) and was left unchanged")
    conn = sqlite3.connect(path, isolation_level=None, timeout=seconds)
    return _configure(conn)


def _connect_analyst(path: str, seconds: float) -> sqlite3.Connection:
    copy = analytics_path(path)
    if Path(path).is_file() and file_problem(path, full=False, analytics=True) is None:
        copy = Path(path)  # the path names an analytical copy itself
    if not copy.is_file():
        raise CRMDBError(f"还没有分析副本 {copy}：请操作员先运行 crmdb.publish_analytics(conn)",
                         f"No analytical copy {copy}: an operator runs "
                         f"crmdb.publish_analytics(conn) first")
    problem = file_problem(str(copy), full=False, analytics=True)
    if problem is not None:
        raise CRMDBError(f"分析副本 {copy} 不能打开：{problem[0]}。请操作员重新运行 "
                         f"crmdb.publish_analytics",
                         f"The analytical copy {copy} was refused ({problem[1]}): an operator "
                         f"runs crmdb.publish_analytics again")
    uri = copy.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=seconds,
                           factory=AnalystConnection)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(read_only_authorizer)
    return conn


def create(path: str | Path, *, version: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """Create a new CRM database at ``path`` (``":memory:"`` for a throw-away one).

    Parameters
    ----------
    path : str or pathlib.Path
        A file that does not exist yet, or is empty, or ``":memory:"``.
    version : int
        The schema version to build (default: the newest). Older versions exist
        so that ``migrate`` can be shown and tested.

    Returns
    -------
    sqlite3.Connection
        An open operator connection (see ``connect``).

    Raises
    ------
    CRMDBError
        If ``path`` already holds a database, or ``version`` is unknown.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:", version=1)
    >>> crmdb.schema_version(conn), crmdb.migrate(conn), crmdb.schema_version(conn)
    (1, 3, 3)
    """
    path = check_path(path)
    if isinstance(version, bool) or not isinstance(version, int) or version not in MIGRATIONS:
        raise refuse("version", version, f"应为 1 到 {SCHEMA_VERSION} 之间的整数",
                     f"expected 1..{SCHEMA_VERSION}")
    if path != ":memory:" and Path(path).is_file() and Path(path).stat().st_size > 0:
        raise CRMDBError(f"{path} 已经存在：create 只建新库；打开旧库用 crmdb.connect",
                         f"{path} already exists: use crmdb.connect to open it")
    conn = sqlite3.connect(path, isolation_level=None)
    _configure(conn)
    migrate(conn, to=version)
    return conn


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
        If ``path`` already exists or is not a path, or ``conn`` is not a connection.

    Examples
    --------
    >>> import tempfile
    >>> from crmlab import crmdb
    >>> folder = tempfile.TemporaryDirectory()
    >>> crmdb.backup(crmdb.create(":memory:"), Path(folder.name) / "crm.db").name
    'crm.db'
    >>> folder.cleanup()
    """
    check_connection(conn)
    target_path = Path(check_path(path))
    if target_path.exists():
        raise CRMDBError(f"{target_path} 已存在：备份不会覆盖已有文件",
                         f"{target_path} exists: a backup never overwrites a file")
    target = sqlite3.connect(target_path)
    try:
        conn.backup(target)
    finally:
        target.close()
    return target_path


def restore(path: str | Path, conn: sqlite3.Connection) -> sqlite3.Connection:
    """Overwrite the database of ``conn`` with the backup file ``path`` (backup API).

    The backup is inspected read-only first: ``PRAGMA integrity_check``, the CRM
    schema of a known version (every table, trigger and view) and
    ``PRAGMA foreign_key_check``. A file that fails any of them is refused and
    the live database is not touched.

    Parameters
    ----------
    path : str or pathlib.Path
        A backup made by ``backup``.
    conn : sqlite3.Connection
        The operator connection of the database to overwrite.

    Returns
    -------
    sqlite3.Connection
        ``conn``, now holding the backup's data.

    Raises
    ------
    CRMDBError
        If the file does not exist, is damaged, or is not a CRM database of a
        known version with intact foreign keys; or ``conn`` is not a connection.

    Examples
    --------
    >>> import tempfile
    >>> from crmlab import crmdb
    >>> folder = tempfile.TemporaryDirectory()
    >>> source = crmdb.create(":memory:")
    >>> _ = crmdb.register_customer(source, name="王伟", registered="2024-01-05")
    >>> saved = crmdb.backup(source, Path(folder.name) / "crm.db")
    >>> len(crmdb.table_rows(crmdb.restore(saved, crmdb.create(":memory:")), "customers"))
    1
    >>> folder.cleanup()
    """
    check_connection(conn)
    source_path = Path(check_path(path))
    if not source_path.is_file():
        raise CRMDBError(f"备份文件 {source_path} 不存在", f"Backup file {source_path} not found")
    problem = file_problem(str(source_path), full=True)
    if problem is not None:
        raise CRMDBError(f"备份文件 {source_path} 不是可以恢复的 CRM 数据库备份，"
                         f"现有数据库没有任何改动：{problem[0]}",
                         f"{source_path} is not a CRM backup that can be restored "
                         f"({problem[1]}); the live database was left unchanged")
    source = _read_only(str(source_path))
    try:
        source.backup(conn)
    finally:
        source.close()
    return conn


# --- the analyst's masked copy --------------------------------------------------------------

_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_EMAIL = re.compile(r"([\w.+-])[\w.+-]*(@[\w-]+(?:\.[\w-]+)+)")


def mask_text(value: Any) -> Any:
    """Mask mobile numbers and e-mail addresses written inside free text.

    Parameters
    ----------
    value : object
        A note or description (non-text values are returned as they are).

    Returns
    -------
    object
        The text with ``13812345678`` shown as ``138****5678`` and
        ``wang@example.com`` as ``w***@example.com``.

    Examples
    --------
    >>> mask_text("请回电 13812345678 或写信 wang@example.com")
    '请回电 138****5678 或写信 w***@example.com'
    """
    if not isinstance(value, str):
        return value
    return _EMAIL.sub(r"\1***\2", _MOBILE.sub(r"\1****\2", value))


def _main_file(conn: sqlite3.Connection) -> str:
    rows = conn.execute("PRAGMA database_list").fetchall()
    return next((file for _, name, file in rows if name == "main"), "") or ""


def publish_analytics(conn: sqlite3.Connection, path: str | Path | None = None) -> Path:
    """Write the analyst's copy: a NEW file with no raw phone number or e-mail at all.

    Built from one consistent snapshot of the operational database: the tables
    an analyst needs, customers with masked phones and e-mails only (numbers and
    addresses typed into notes masked too), and the views of ``views.sql``.
    The copy replaces the previous one atomically (readers never see half a copy).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection to a database of the newest schema version.
    path : str or pathlib.Path, optional
        Where to write the copy; default ``analytics_path`` of the database file
        (required for an in-memory database).

    Returns
    -------
    pathlib.Path
        The copy's path.

    Raises
    ------
    CRMDBError
        If ``conn`` is not an operator connection of the newest version, or no
        ``path`` is given for an in-memory database.

    Examples
    --------
    >>> import tempfile
    >>> from crmlab import crmdb
    >>> folder = tempfile.TemporaryDirectory()
    >>> conn = crmdb.create(Path(folder.name) / "crm.db")
    >>> _ = crmdb.register_customer(conn, name="王伟", phone="13800138000",
    ...                             registered="2024-01-05")
    >>> copy = crmdb.publish_analytics(conn)
    >>> import sqlite3
    >>> sqlite3.connect(copy).execute("SELECT * FROM customers").fetchall()
    [(1, '王伟', '138****8000', None, None, None, None, '2024-01-05', 0)]
    >>> conn.close(); folder.cleanup()
    """
    check_connection(conn)
    if isinstance(conn, AnalystConnection):
        raise refuse("conn", conn, "分析员的连接不能发布分析副本，请用操作员连接",
                     "an analyst's connection cannot publish the copy; use an operator's")
    version = schema_version(conn)
    if version != SCHEMA_VERSION:
        raise CRMDBError(f"数据库是第 {version} 版：先用 crmdb.migrate 升级到第 {SCHEMA_VERSION} 版"
                         f"再发布分析副本", f"Migrate the database to version {SCHEMA_VERSION} "
                         f"before publishing the analytical copy")
    source = _main_file(conn)
    if path is None:
        if not source:
            raise refuse("path", path, "内存数据库没有文件名：请给出分析副本的路径",
                         "an in-memory database needs an explicit path for the copy")
        target = analytics_path(source)
    else:
        target = Path(check_path(path))
    with tempfile.TemporaryDirectory(dir=target.parent) as folder:
        snapshot = source
        if not source:  # an in-memory database: take a snapshot file first
            snapshot = str(Path(folder) / "snapshot.db")
            backup(conn, snapshot)
        building = Path(folder) / "copy.db"
        _build_copy(snapshot, building)
        os.replace(building, target)
    return target


def _build_copy(source: str, target: Path) -> None:
    out = sqlite3.connect(target.resolve().as_uri(), uri=True, isolation_level=None)
    try:
        out.create_function("mask_text", 1, mask_text, deterministic=True)
        out.execute("ATTACH DATABASE ? AS src", (Path(source).resolve().as_uri() + "?mode=ro",))
        with transaction(out):  # one read transaction on src: a consistent snapshot
            run_script(out, "analytics.sql")
        out.execute("DETACH DATABASE src")  # before views.sql: its DROPs must not reach src
        with transaction(out):
            run_script(out, "views.sql")
            out.execute("CREATE TABLE analytics_copy AS SELECT ? AS schema_version, "
                        "datetime('now', 'localtime') AS refreshed_at", (SCHEMA_VERSION,))
            out.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
    finally:
        out.close()

