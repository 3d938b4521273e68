"""The SQL answer kind of chapter 7 and the read-only runner it uses.

``run_query(sql, database)`` runs one student query on an SQLite file opened
read-only and immutable, under the course's one read-only authorizer
(``crmdb.read_only_authorizer``), with a time and a row limit; every problem
becomes an ``AnswerFormatError`` with Chinese guidance. ``SqlQuery`` compares a
query by its result. The database is passed in (``SqlQuery(database=...)`` takes
a function returning its path, so the file is built only when a task is checked);
this module knows nothing of chapter 7's tasks.

Examples
--------
>>> SqlQuery(database=lambda: ":memory:").what().startswith("一条 SQL 查询")
True
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab import crmdb
from crmlab.exercises._kinds import AnswerFormatError, Kind, describe_type

__all__ = ["MAX_QUERY_CHARS", "MAX_ROWS", "QUERY_SECONDS", "SqlQuery", "run_query"]

#: Longest query text read at all, and seconds a query may run.
MAX_QUERY_CHARS = 5_000
QUERY_SECONDS = 3.0
#: Most result rows read back (a runaway query is refused, never consumed).
MAX_ROWS = 20_000


# --- running a query read-only ---------------------------------------------------------------

# the one read-only authorizer of the course (crmdb's analysts use it too)
_read_only = crmdb.read_only_authorizer


def _writes(sql: str) -> bool:
    return bool(re.match(r"\s*(insert|update|delete|drop|create|alter|replace|attach|detach|"
                         r"pragma|vacuum|reindex|begin|commit|rollback|savepoint|release)\b",
                         sql, flags=re.IGNORECASE))


def run_query(sql: str, database: str) -> pd.DataFrame:
    """Run one query read-only on the SQLite file ``database``; errors are Chinese guidance.

    Parameters
    ----------
    sql : str
        One SELECT query.
    database : str
        Path of the SQLite file; opened read-only and immutable, never changed.

    Returns
    -------
    pandas.DataFrame
        The query's result, with its column names.

    Raises
    ------
    AnswerFormatError
        (never anything else) for text that is not one SELECT query, a query
        that would change the database, a syntax error, a query that runs longer
        than ``QUERY_SECONDS`` or returns more than ``MAX_ROWS`` rows.

    Examples
    --------
    >>> try:
    ...     run_query("DROP TABLE customers", ":memory:")
    ... except AnswerFormatError as problem:
    ...     print(str(problem).split("。")[0])
    这条语句会修改数据库，已被拒绝，数据库没有任何改变
    """
    if not isinstance(sql, str):
        raise AnswerFormatError(f"本题的答案是一条 SQL 查询（写在引号里的字符串），你给的是"
                                f"{describe_type(sql)}。")
    if len(sql) > MAX_QUERY_CHARS:
        raise AnswerFormatError(f"这条查询有 {len(sql):,} 个字符，太长了：本题的查询几行就够。")
    if not sql.strip() or sql.strip() in ("...", "Ellipsis"):
        raise AnswerFormatError("查询是空的：请写一条 SELECT 语句。")
    if _writes(sql):
        raise AnswerFormatError("这条语句会修改数据库，已被拒绝，数据库没有任何改变。"
                                "本题只需要查询：写一条 SELECT 语句。")
    uri = Path(database).resolve().as_uri() + "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    deadline = time.monotonic() + QUERY_SECONDS
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    conn.set_authorizer(_read_only)
    try:
        cursor = conn.execute(sql)
        if cursor.description is None:
            raise AnswerFormatError("这条语句没有返回任何结果：本题需要一条 SELECT 查询。")
        rows = cursor.fetchmany(MAX_ROWS + 1)
        columns = [d[0] for d in cursor.description]
    except sqlite3.Warning:
        raise AnswerFormatError("一次只能运行一条语句：去掉分号后面的部分。") from None
    except sqlite3.DatabaseError as error:
        raise AnswerFormatError(_sql_message(str(error))) from None
    except (ValueError, OverflowError, MemoryError) as error:
        raise AnswerFormatError(f"这条查询无法运行（{type(error).__name__}）。") from None
    finally:
        conn.close()
    if len(rows) > MAX_ROWS:
        raise AnswerFormatError(f"查询结果超过 {MAX_ROWS:,} 行：是不是两张表连接时少了 ON 条件"
                                f"（笛卡尔积）？")
    return pd.DataFrame(rows, columns=columns)


def _sql_message(text: str) -> str:
    if "not authorized" in text:
        return ("这条语句想修改数据库或读取不允许的内容，已被拒绝，数据库没有任何改变。"
                "本题只需要 SELECT 查询。")
    if "interrupted" in text:
        return f"查询运行超过 {QUERY_SECONDS:g} 秒，已被中止：检查连接条件，或是否写了无限递归。"
    if "one statement at a time" in text:
        return "一次只能运行一条语句：去掉分号后面的部分。"
    if match := re.search(r"no such (table|column): ([\w.]+)", text):
        what = "表" if match.group(1) == "table" else "列"
        return (f"数据库里没有名为 {match.group(2)} 的{what}：检查拼写；"
                f"可用 SELECT name FROM sqlite_master 查看所有表和视图。")
    if match := re.search(r'near "(.*?)": syntax error', text):
        return f"SQL 语法错误，出错位置在 {match.group(1)!r} 附近（{text}）。"
    if "ambiguous column" in text:
        return f"列名有歧义（{text}）：两张表都有这一列，请写成 表名.列名。"
    if "misuse of aggregate" in text:
        return f"聚合函数用错了位置（{text}）：按组筛选要用 HAVING，而不是 WHERE。"
    return f"查询无法运行：{text}。"


# --- the answer kind ---------------------------------------------------------------------

def _cells(frame: pd.DataFrame) -> np.ndarray:
    """Return the result's cells as text, NULL as "NULL" (NaN never equals NaN)."""
    return frame.astype(object).where(frame.notna(), "NULL").astype(str).to_numpy()


def _numeric(frame: pd.DataFrame) -> list[int]:
    return [c for c in frame.columns if frame[c].dtype.kind == "f"]


@dataclass(frozen=True)
class SqlQuery(Kind):
    """An answer that is a SQL query; compared by its result (column names ignored).

    ``database`` returns the path of the file the queries run on (called at
    check time, so the file is built only when needed). Columns are compared as
    a set (their order is free) unless ``column_order`` says the question fixes
    it. ``ordered``: the question asks for a row order (ORDER BY), so row order
    counts; otherwise rows are compared as a set. Numbers
    are compared after rounding to ``decimals``.

    Parameters
    ----------
    database : callable
        ``database()``: the path of the SQLite file the queries run on.
    ordered : bool, default False
        The question asks for a row order (ORDER BY).
    decimals : int, default 2
        Numbers are compared after rounding to this many decimals.
    columns : tuple of str, optional
        The result's column names, shown in feedback.
    column_order : bool, default False
        The question fixes the order of the columns.
    order : str, default ""
        The row order the question asks for, in words (shown in feedback).

    Examples
    --------
    >>> SqlQuery(database=lambda: ":memory:", ordered=True).precision()
    '金额保留两位小数'
    """

    database: Callable[[], str]
    ordered: bool = False
    decimals: int = 2
    columns: tuple[str, ...] = ()
    column_order: bool = False
    order: str = ""
    time_limit: ClassVar[float | None] = QUERY_SECONDS + 2.0

    def __post_init__(self) -> None:
        validate.integer(self.decimals, "decimals", minimum=0, maximum=15, label="小数位数")
        if not callable(self.database):
            raise validate.BilingualTypeError(
                f"database={validate.show(self.database)} 无效：应为返回数据库路径的函数",
                f"database={validate.show(self.database)} is invalid: expected a function "
                "returning the database path")

    def what(self) -> str:
        """Describe what an answer looks like.

        Returns
        -------
        str
            The description, in Chinese.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> SqlQuery(database=database).what()
        '一条 SQL 查询（字符串，例如 "SELECT count(*) FROM customers"）'
        """
        return "一条 SQL 查询（字符串，例如 \"SELECT count(*) FROM customers\"）"

    def precision(self) -> str:
        """Return the precision of money in the result.

        Returns
        -------
        str
            ``金额保留两位小数`` when money is rounded to cents, else empty.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> SqlQuery(database=database, decimals=0).precision()
        ''
        """
        return "金额保留两位小数" if self.decimals == 2 else ""

    def coerce(self, value: Any, expected: Any) -> pd.DataFrame:
        """Run the student's query read-only, tidy its result and line its columns up.

        Parameters
        ----------
        value : Any
            The student's query: one SQL text.
        expected : pandas.DataFrame
            The reference result, whose columns the student's result is lined up with.

        Returns
        -------
        pandas.DataFrame
            The tidied result (numbered columns; rows sorted unless order matters).

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> q = SqlQuery(database=database)
        >>> expected = q.normalise("SELECT 1 AS n")
        >>> q.coerce("SELECT 1 AS total", expected).values.tolist()
        [[1.0]]
        """
        frame = self._values(run_query(value, self.database()))
        if not self.column_order:
            frame = _align_columns(frame, expected)
        frame = self._rows(frame)
        frame.attrs["sql"] = value
        return frame

    def normalise(self, value: Any) -> pd.DataFrame:
        """Run the reference query read-only and tidy its result.

        Parameters
        ----------
        value : Any
            The reference query (SQL text).

        Returns
        -------
        pandas.DataFrame
            The tidied reference result.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> q = SqlQuery(database=database)
        >>> q.normalise("SELECT 2.5 AS a, 'x' AS b").values.tolist()
        [[2.5, 'x']]
        """
        return self._rows(self._values(run_query(value, self.database())))

    def _values(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out.columns = range(out.shape[1])
        for column in out.columns:
            values = out[column]
            numbers = pd.to_numeric(values, errors="coerce")
            if values.notna().any() and numbers.notna().sum() == values.notna().sum():
                out[column] = numbers.astype(float).round(self.decimals)
            else:
                out[column] = values.astype(object).where(values.notna(), None).astype(str)
        return out

    def _rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not self.ordered and len(frame):
            return self._sorted(frame)
        return frame

    def _tidy(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self._rows(self._values(frame))

    def match(self, answer: Any, expected: Any) -> bool:
        """Return True if both results hold the same values (column names ignored).

        Parameters
        ----------
        answer : pandas.DataFrame
            The student's result.
        expected : pandas.DataFrame
            The reference result.

        Returns
        -------
        bool
            True if the results agree.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> q = SqlQuery(database=database)
        >>> expected = q.normalise("SELECT 1 AS n")
        >>> q.match(q.coerce("SELECT 1 AS total", expected), expected)
        True
        """
        return isinstance(answer, pd.DataFrame) and answer.shape == expected.shape and bool(
            (_cells(answer) == _cells(expected)).all())

    def _sorted(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)

    def _only_order_differs(self, answer: Any, expected: Any) -> bool:
        return (self.ordered and isinstance(answer, pd.DataFrame)
                and answer.shape == expected.shape
                and self.match(self._sorted(answer), self._sorted(expected)))

    def locate(self, answer: Any, expected: Any) -> str:
        """Name the first wrong rows (at most five); nothing when only the order differs.

        Parameters
        ----------
        answer : pandas.DataFrame
            The student's result.
        expected : pandas.DataFrame
            The reference result.

        Returns
        -------
        str
            A sentence naming the wrong rows, or empty.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> q = SqlQuery(database=database, ordered=True)
        >>> expected = q.normalise("SELECT 1 UNION ALL SELECT 2")
        >>> q.locate(q.coerce("SELECT 1 UNION ALL SELECT 3", expected), expected)
        '第 2 行不对。'
        """
        if not isinstance(answer, pd.DataFrame) or answer.shape != expected.shape \
                or self._only_order_differs(answer, expected):
            return ""
        wrong = (_cells(answer) != _cells(expected)).any(axis=1)
        rows = [str(i + 1) for i in np.flatnonzero(wrong)[:5]]
        return f"第 {'、'.join(rows)} 行不对。" if rows else ""

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        """Return a hint from the result's shape, order or numbers.

        Parameters
        ----------
        answer : pandas.DataFrame
            The student's result.
        expected : pandas.DataFrame
            The reference result.

        Returns
        -------
        str or None
            The hint, in Chinese, or None when no hint applies.

        Examples
        --------
        >>> from crmlab.exercises.ch7 import database
        >>> q = SqlQuery(database=database)
        >>> expected = q.normalise("SELECT 1, 2")
        >>> q.diagnose(q.coerce("SELECT 1", expected), expected)
        '结果应有 2 列，你的查询有 1 列：检查 SELECT 后面的列。'
        """
        if not isinstance(answer, pd.DataFrame):
            return None
        n, m = expected.shape
        names = f"（{'、'.join(self.columns)}）" if self.columns else ""
        joins = "join" in str(answer.attrs.get("sql", "")).casefold()
        if answer.shape[1] != m:
            return (f"结果应有 {m} 列{names}，你的查询有 {answer.shape[1]} 列："
                    f"检查 SELECT 后面的列。")
        if answer.shape[0] == 1 and n > 1:
            return "结果只有一行：是不是漏了 GROUP BY（按什么分组）？"
        if answer.shape[0] > n:
            where = "连接条件（JOIN … ON）、WHERE 条件、分组或 LIMIT" if joins else \
                " WHERE 条件（是不是漏了一个条件）、分组或 LIMIT"
            return f"结果有 {answer.shape[0]} 行，比应有的 {n} 行多：检查{where}。"
        if answer.shape[0] < n:
            return f"结果有 {answer.shape[0]} 行，比应有的 {n} 行少：检查 WHERE 条件或 LIMIT。"
        if self._only_order_differs(answer, expected):
            order = f"（题目要求{self.order}）" if self.order else ""
            return f"行都对，只是顺序不对{order}：检查 ORDER BY（升序 ASC 还是降序 DESC）。"
        return _number_hint(answer, expected)


def _align_columns(frame: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its columns in the order of ``expected`` where their contents agree."""
    if frame.shape != expected.shape or frame.shape[1] > 6:
        return frame
    contents = [sorted(column) for column in _cells(frame).T]
    wanted = [sorted(column) for column in _cells(expected).T]
    for order in itertools.permutations(range(frame.shape[1])):
        if all(contents[i] == wanted[j] for j, i in enumerate(order)):
            out = frame.iloc[:, list(order)]
            out.columns = range(out.shape[1])
            return out
    return frame


def _number_hint(answer: pd.DataFrame, expected: pd.DataFrame) -> str | None:
    """Return the percent or integer-division hint every wrong number shows, or None."""
    pairs = []
    for column in _numeric(expected):
        if column not in _numeric(answer):
            continue
        for got, want in zip(answer[column], expected[column], strict=True):
            if pd.notna(got) and pd.notna(want) and abs(got - want) > 1e-9:
                pairs.append((float(got), float(want)))
    if not pairs or any(w == 0 for _, w in pairs):
        return None
    integer = ("整数除以整数：SQLite 里 3 / 4 得 0（小数部分被舍掉）。写成 1.0 * a / b，"
               "或者用 avg(条件) 直接求比例。")
    percent = "本课程的比例一律写成 0–1 之间的小数，请除以 100（去掉 * 100）。"
    if all(g == math.trunc(w) for g, w in pairs):
        return integer
    if all(g == math.trunc(100 * w) and g != round(100 * w, 2) for g, w in pairs):
        return f"结果是百分数，而且小数部分丢了。{integer}{percent}"
    if all(abs(g - 100 * w) <= 0.005 * abs(100 * w) + 0.01 for g, w in pairs):
        return f"结果是百分数：{percent}"
    return None
