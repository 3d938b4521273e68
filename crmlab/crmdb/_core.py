"""The error type, argument checks, value conversion and transactions shared by crmdb."""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from crmlab._validation import BilingualValueError

#: the largest integer SQLite stores (a signed 64-bit INTEGER)
MAX_INTEGER = 2**63 - 1


class CRMDBError(BilingualValueError):
    """A refused operation: the message says why, in Chinese first, then in English.

    It is a ``ValueError`` (``except ValueError`` catches it too) with the two halves
    in ``.zh`` and ``.en``, joined as every crmlab error is (``_validation.bilingual``).

    Parameters
    ----------
    zh, en : str
        The Chinese and the English sentence.
    hint : tuple of str, optional
        What to do about it, (中文, English).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> try:
    ...     crmdb.table_rows(conn, "nope")
    ... except crmdb.CRMDBError as error:
    ...     print(isinstance(error, ValueError))
    True
    """


class CRMDBTypeError(CRMDBError, TypeError):
    """A ``CRMDBError`` for a value of the wrong type (also a ``TypeError``).

    Parameters
    ----------
    zh, en, hint
        As for :class:`CRMDBError`.

    Examples
    --------
    >>> issubclass(CRMDBTypeError, TypeError) and issubclass(CRMDBTypeError, CRMDBError)
    True
    """


class AnalystConnection(sqlite3.Connection):
    """A read-only connection to the analyst's masked copy (made by ``crmdb.connect``).

    Examples
    --------
    >>> issubclass(AnalystConnection, sqlite3.Connection)
    True
    """


def show(value: Any) -> str:
    """Return a short repr of a value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def refuse(name: str, value: Any, zh: str, en: str, *, kind: type = CRMDBError) -> CRMDBError:
    """Return the bilingual error for argument ``name`` holding ``value``."""
    return kind(f"{name}={show(value)} 无效：{zh}", f"{name}={show(value)} is invalid: {en}")


# --- values as sqlite3 can bind them ---------------------------------------------------

def sql_value(value: Any, name: str, *, date_only: bool = False) -> Any:
    """Return ``value`` as a plain Python value sqlite3 binds (NumPy/pandas scalars too).

    NumPy integers and floats become ``int``/``float``; ``pd.Timestamp``,
    ``datetime`` and ``numpy.datetime64`` become ISO text (``YYYY-MM-DD`` when
    ``date_only`` or when the time is midnight, else ``YYYY-MM-DD HH:MM:SS``);
    ``NaN``/``NaT``/``pd.NA`` become ``None``.
    """
    if value is None or isinstance(value, str | bytes):
        return value
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_ | np.integer | int | np.floating | float):
        return _number(value, name)
    if isinstance(value, np.datetime64 | dt.date):  # dt.datetime and pd.Timestamp too
        return _moment(value, name, date_only)
    raise refuse(name, value, f"不能存入数据库的类型 {type(value).__name__}",
                 f"sqlite3 cannot store a {type(value).__name__}", kind=CRMDBTypeError)


def _number(value: Any, name: str) -> int | float | None:
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, np.integer | int):
        number = int(value)
        if not -MAX_INTEGER - 1 <= number <= MAX_INTEGER:
            raise refuse(name, value, "整数超出数据库能存的范围（-2**63 到 2**63 − 1）",
                         "the integer does not fit SQLite's 64-bit range")
        return number
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise CRMDBError(f"数值 {name}={show(value)} 无效：是无穷大，应为有限的数（缺失值用 None）",
                         f"{name}={show(value)} is invalid: infinite, expected a finite number "
                         "(None for a missing value)")
    return None if number != number else number


def _moment(value: Any, name: str, date_only: bool) -> str | None:
    if isinstance(value, np.datetime64) and np.isnat(value):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        raise refuse(name, value, "时间带时区：请给出本地时间（不带时区）",
                     "a time zone is attached: give the local wall-clock time")
    if date_only or (name not in _DATETIME_NAMES and stamp == stamp.normalize()):
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


#: parameters that hold a date-time (a midnight Timestamp still gets its 00:00:00)
_DATETIME_NAMES = frozenset({"at", "opened_at", "corrected_at", "new_value"})


def sql_params(params: Any) -> Mapping[str, Any] | tuple:
    """Return query parameters with every value converted by ``sql_value``."""
    if isinstance(params, Mapping):
        return {str(k): sql_value(v, f"params[{k!r}]") for k, v in params.items()}
    if isinstance(params, list | tuple):
        return tuple(sql_value(v, f"params[{i}]") for i, v in enumerate(params))
    raise refuse("params", params, "应为字典（:name 占位符）或元组（? 占位符）",
                 "expected a mapping (for :name) or a tuple (for ?)", kind=CRMDBTypeError)


def whole(value: Any, name: str, *, minimum: int | None = None,
          maximum: int = MAX_INTEGER) -> int:
    """Return ``value`` as an int (NumPy integers too) in ``[minimum, maximum]``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise refuse(name, value, "应为整数", "expected a whole number",
                         kind=CRMDBTypeError)
    number = int(value)
    if minimum is not None and number < minimum:
        raise refuse(name, value, f"应不小于 {minimum}", f"expected at least {minimum}")
    if number > maximum:
        raise refuse(name, value, f"应不大于 {maximum:,}", f"expected at most {maximum:,}")
    return number


def text(value: Any, name: str, *, required: bool = True) -> str | None:
    """Return ``value`` if it is a string (non-blank when ``required``)."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise refuse(name, value, "应为文字（str）", "expected text (str)", kind=CRMDBTypeError)
    if required and not value.strip():
        raise refuse(name, value, "不能为空", "must not be empty")
    return value


def check_connection(conn: Any, name: str = "conn") -> sqlite3.Connection:
    """Return ``conn`` if it is an open ``sqlite3.Connection``."""
    if not isinstance(conn, sqlite3.Connection):
        raise refuse(name, conn, "应为 crmdb.connect 或 crmdb.create 返回的数据库连接",
                     "expected a connection from crmdb.connect or crmdb.create",
                     kind=CRMDBTypeError)
    try:
        conn.total_changes  # noqa: B018 -- raises ProgrammingError on a closed connection
    except sqlite3.ProgrammingError:
        raise refuse(name, conn, "连接已关闭", "the connection is closed") from None
    return conn


# --- database errors in Chinese and English --------------------------------------------

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
    "complaint_type_known": ("投诉类型只能是 quality（质量）、contract（合同）、transport（运输）、"
                             "service（服务）",
                             "the complaint type must be one of quality, contract, transport, "
                             "service"),
    "step_known": ("投诉步骤只能是 workflow_steps 表里的步骤", "the step must be one of "
                   "workflow_steps"),
    "sla_positive": ("处理时限 sla_days 应为正整数（天）",
                     "sla_days must be a positive whole number"),
    "satisfaction_1_to_5": ("满意度应为 1 到 5 之间的数（分）", "satisfaction must be 1..5"),
    "consent_0_or_1": ("营销许可只能是 0 或 1", "marketing_consent must be 0 or 1"),
    "field_known": ("可更正的字段只有 sla_days、opened_at、department、complaint_type、"
                    "satisfaction", "the corrected field must be one of sla_days, opened_at, "
                    "department, complaint_type, satisfaction"),
}


def explain(error: sqlite3.Error, what: str, what_en: str) -> CRMDBError:
    """Turn a database refusal into a ``CRMDBError`` in Chinese and English."""
    text_ = str(error)
    match = re.search(r"CHECK constraint failed: (\w+)", text_)
    if match and match.group(1) in CONSTRAINTS:
        zh, en = CONSTRAINTS[match.group(1)]
    elif "FOREIGN KEY" in text_:
        zh, en = ("引用了不存在的客户、渠道记录、订单或投诉（外键约束）",
                  "it refers to a customer, record, order or complaint that does not exist")
    elif match := re.search(r"UNIQUE constraint failed: ([\w.]+)", text_):
        zh, en = (f"{match.group(1)} 与已有的一行重复（唯一约束）",
                  f"{match.group(1)} repeats a value already stored")
    elif match := re.search(r"NOT NULL constraint failed: ([\w.]+)", text_):
        zh, en = f"{match.group(1)} 不能为空", f"{match.group(1)} must not be empty"
    elif match := re.search(r"cannot store (\w+) value in (\w+) column ([\w.]+)", text_):
        zh, en = (f"{match.group(3)} 应为 {match.group(2)} 类型，却给了 {match.group(1)}",
                  f"{match.group(3)} expects {match.group(2)}, got {match.group(1)}")
    elif re.search(r"[\u4e00-\u9fff]", text_):  # a trigger's own bilingual message
        # the database passes one string: a trigger writes "中文。 English" (schema SQL)
        zh, _, en = text_.partition("。 ")
        return CRMDBError(f"{what}：{zh}" if what else zh, en or text_)
    else:
        zh, en = "数据库拒绝了这一操作", f"the database refused it ({text_})"
    return CRMDBError(f"{what}被拒绝：{zh}。数据库未作任何修改",
                      f"{what_en} refused: {en}. Nothing was changed")


def is_busy(error: Exception) -> bool:
    """Return True for SQLite's 'database is locked/busy' (retried, never explained)."""
    return isinstance(error, sqlite3.OperationalError) and (
        "locked" in str(error) or "busy" in str(error))


@contextmanager
def refused(what: str, what_en: str) -> Iterator[None]:
    """Translate a database refusal raised inside the block into ``CRMDBError``."""
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.OperationalError) as error:
        if is_busy(error):
            raise
        raise explain(error, what, what_en) from None
    except OverflowError:
        raise CRMDBError(f"{what}被拒绝：整数超出数据库能存的范围（2**63）",
                         f"{what_en} refused: an integer does not fit SQLite's 64-bit range"
                         ) from None


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
        An operator connection in autocommit mode (as ``connect`` and ``create`` return).
    attempts : int
        How many times to try to take the write lock (at least 1).
    wait : float
        Base pause in seconds between attempts (grows with each attempt).

    Yields
    ------
    sqlite3.Connection
        ``conn`` itself, inside the transaction (use it as a context manager).

    Raises
    ------
    CRMDBError
        If the write lock is still taken after ``attempts`` tries, ``attempts``
        or ``wait`` is invalid, or the connection is read-only (an analyst's).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> with crmdb.transaction(conn):
    ...     _ = conn.execute("UPDATE report_settings SET as_of = '2024-06-30'")
    >>> conn.execute("SELECT as_of FROM report_settings").fetchone()
    ('2024-06-30',)
    """
    check_connection(conn)
    if isinstance(conn, AnalystConnection):
        raise CRMDBError("这个连接是只读的：分析员的连接不能写入",
                         "This connection is read-only: an analyst's connection cannot write")
    attempts = whole(attempts, "attempts", minimum=1, maximum=10_000)
    if isinstance(wait, bool) or not isinstance(wait, int | float | np.number) or not (
            0 <= float(wait) <= 60):
        raise refuse("wait", wait, "应为 0 到 60 之间的秒数", "expected seconds in 0..60")
    _begin(conn, attempts, float(wait))
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def _begin(conn: sqlite3.Connection, attempts: int, wait: float) -> None:
    for attempt in range(1, attempts + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.DatabaseError as error:
            if "not authorized" in str(error) or "readonly" in str(error):
                raise CRMDBError(f"这个连接是只读的（分析员的连接不能写入）：{error}",
                                 "This connection is read-only (an analyst's cannot write)"
                                 ) from None
            if not is_busy(error):
                raise explain(error, "开始事务", "Starting the transaction") from None
            if attempt == attempts:
                raise CRMDBError(f"数据库正忙：另一个进程一直占用写锁，重试 {attempts} 次后放弃",
                                 f"Database busy: gave up after {attempts} attempts") from error
            time.sleep(wait * attempt * (0.5 + random.random()))
