"""Answer checking for the exercise notebooks: instant feedback in Chinese.

A task is registered once, by the chapter module ``crmlab/exercises/chN.py``,
with a function that *computes* the expected answer through crmlab (answers are
never typed in) and, optionally, the wrong answers that typical slips produce,
each with the hint that names the concept the student missed.

``check(task_id, answer)`` prints one line starting with ✅ or ❌ (or ⏳ for the
``...`` placeholder), returns a bool and never raises, whatever it is given.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Literal

import numpy as np
import pandas as pd

Kind = Literal["number", "numbers", "choice", "labels", "mapping"]
KINDS = ("number", "numbers", "choice", "labels", "mapping")

_WHAT = {
    "number": "一个数字（例如 317.0）",
    "numbers": "一组数字（列表，例如 [91, 83, 75, 68]）",
    "choice": "一个选项字母（例如 \"B\"）",
    "labels": "一组文字标签（列表，例如 [\"A\", \"B\"]）",
    "mapping": "一个字典（例如 {\"甲\": 50, \"乙\": 35}）",
}


class AnswerFormatError(Exception):
    """The answer has the wrong shape or type; the message is student guidance."""


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer (computed, like the right one) and what it reveals."""

    answer: Callable[[], Any]
    hint: str


@dataclass(frozen=True)
class Task:
    """One exercise task: how to compute its answer and how to compare."""

    id: str
    kind: Kind
    expected: Callable[[], Any]
    hint: str
    rtol: float = 1e-6
    atol: float = 0.01
    unit: str = ""
    choices: tuple[str, ...] = ()
    mistakes: tuple[Mistake, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind={self.kind!r} is invalid: expected one of {KINDS}")


_REGISTRY: dict[str, Task] = {}


def register(task: Task) -> Task:
    """Add ``task`` to the registry (chapter modules call this at import)."""
    if not isinstance(task, Task):
        raise TypeError(f"task is a {type(task).__name__}: expected an exercises.Task")
    _REGISTRY[task.id] = task
    return task


def _load_chapter(task_id: str) -> None:
    chapter = task_id.split(".", 1)[0]
    if chapter.isidentifier():
        try:
            importlib.import_module(f"crmlab.exercises.{chapter}")
        except ModuleNotFoundError:
            pass


def get_task(task_id: str) -> Task:
    """The registered task ``task_id`` (e.g. ``"ch2.ex3"``); KeyError if unknown."""
    if task_id not in _REGISTRY and isinstance(task_id, str):
        _load_chapter(task_id)
    return _REGISTRY[task_id]


def tasks(chapter: str) -> list[str]:
    """Ids of the tasks of ``chapter`` (e.g. ``"ch0"``), in registration order."""
    _load_chapter(f"{chapter}.")
    return [key for key in _REGISTRY if key.startswith(f"{chapter}.")]


def expected_answer(task_id: str) -> Any:
    """The answer crmlab computes for ``task_id`` (for teachers and tests)."""
    return get_task(task_id).expected()


# --- coercion: student input -> comparable value -----------------------------

def _type_name(value: Any) -> str:
    names = {str: "文字（字符串）", list: "列表", tuple: "元组", dict: "字典",
             bool: "布尔值 True/False", type(None): "None（空值）", float: "小数",
             int: "整数", set: "集合"}
    return names.get(type(value), type(value).__name__)


def _as_number(value: Any, what: str = "答案") -> float:
    if isinstance(value, bool) or value is None:
        raise AnswerFormatError(f"{what}需要是数字，你给的是{_type_name(value)}。")
    if isinstance(value, str):
        try:
            float(value.replace(",", ""))
        except ValueError:
            raise AnswerFormatError(
                f"{what}需要是数字，你给的是文字 {value!r}。请直接写数字，不要加引号或单位。"
            ) from None
        raise AnswerFormatError(f"{what}需要是数字，你给的是文字 {value!r}：请去掉引号。")
    if isinstance(value, np.ndarray | pd.Series | pd.DataFrame | list | tuple):
        size = getattr(value, "size", None) or len(value)
        if size == 1:
            return _as_number(np.asarray(value, dtype=object).ravel()[0], what)
        raise AnswerFormatError(f"{what}需要是一个数字，你给的是含 {size} 个元素的"
                                f"{_type_name(value)}。")
    if not isinstance(value, Real | np.number):
        raise AnswerFormatError(f"{what}需要是数字，你给的是{_type_name(value)}。")
    number = float(value)
    if math.isnan(number):
        raise AnswerFormatError(f"{what}是 NaN（缺失值）：检查计算中是否有空值或除以 0。")
    if math.isinf(number):
        raise AnswerFormatError(f"{what}是无穷大：检查是否除以了 0。")
    return number


def _as_sequence(value: Any, length: int, what: str) -> list:
    if isinstance(value, str | bytes | dict | set) or value is None or np.isscalar(value):
        raise AnswerFormatError(f"需要{what}，你给的是{_type_name(value)}。")
    if isinstance(value, pd.DataFrame):
        raise AnswerFormatError(f"需要{what}，你给的是整张表（DataFrame）：请取出其中一列。")
    try:
        items = list(np.asarray(value, dtype=object).ravel()) \
            if isinstance(value, np.ndarray | pd.Series | pd.Index) else list(value)
    except TypeError:
        raise AnswerFormatError(f"需要{what}，你给的是{_type_name(value)}。") from None
    if len(items) != length:
        raise AnswerFormatError(f"需要 {length} 个元素，你给了 {len(items)} 个。")
    return items


def _coerce(task: Task, value: Any, length: int) -> Any:
    if task.kind == "number":
        return _as_number(value)
    if task.kind == "numbers":
        items = _as_sequence(value, length, _WHAT["numbers"])
        return [_as_number(v, f"第 {i + 1} 个数") for i, v in enumerate(items)]
    if task.kind == "labels":
        items = _as_sequence(value, length, _WHAT["labels"])
        if not all(isinstance(v, str) for v in items):
            raise AnswerFormatError("每个元素都应是文字标签（字符串），请检查列表内容。")
        return [v.strip() for v in items]
    if task.kind == "choice":
        if not isinstance(value, str):
            raise AnswerFormatError(f"需要{_WHAT['choice']}，你给的是{_type_name(value)}。")
        answer = value.strip().upper()
        if task.choices and answer not in task.choices:
            raise AnswerFormatError(f"请从 {', '.join(task.choices)} 中选一个，"
                                    f"你写的是 {value!r}。")
        return answer
    # mapping
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise AnswerFormatError(f"需要{_WHAT['mapping']}，你给的是{_type_name(value)}。")
    return {str(k).strip(): _as_number(v, f"键 {k!r} 的值") for k, v in value.items()}


# --- comparison ---------------------------------------------------------------

def _close(a: float, b: float, task: Task) -> bool:
    return math.isclose(a, b, rel_tol=task.rtol, abs_tol=task.atol)


def _normalise_expected(task: Task, expected: Any) -> Any:
    if task.kind == "number":
        return float(expected)
    if task.kind == "numbers":
        return [float(v) for v in np.asarray(expected, dtype=float).ravel()]
    if task.kind == "labels":
        return [str(v) for v in list(expected)]
    if task.kind == "choice":
        return str(expected).strip().upper()
    return {str(k): float(v) for k, v in dict(expected).items()}


def _length(task: Task, expected: Any) -> int:
    return len(expected) if task.kind in ("numbers", "labels") else 0


def _matches(task: Task, answer: Any, expected: Any) -> bool:
    if task.kind == "number":
        return _close(answer, expected, task)
    if task.kind == "numbers":
        return all(_close(a, e, task) for a, e in zip(answer, expected, strict=True))
    if task.kind in ("labels", "choice"):
        return answer == expected
    if set(answer) != set(expected):
        return False
    return all(_close(answer[k], expected[k], task) for k in expected)


def _mapping_guidance(answer: dict, expected: dict) -> str:
    missing = [k for k in expected if k not in answer]
    extra = [k for k in answer if k not in expected]
    parts = []
    if missing:
        parts.append(f"缺少键 {missing}")
    if extra:
        parts.append(f"多了键 {extra}")
    return "；".join(parts)


def _wrong_positions(task: Task, answer: Any, expected: Any) -> str:
    if task.kind in ("numbers", "labels"):
        same = (_close if task.kind == "numbers" else (lambda a, b, _t: a == b))
        bad = [i + 1 for i, (a, e) in enumerate(zip(answer, expected, strict=True))
               if not same(a, e, task)]
        if bad:
            return f"第 {', '.join(map(str, bad[:6]))} 个不对。"
    if task.kind == "mapping":
        keys = _mapping_guidance(answer, expected)
        if keys:
            return keys + "。"
        bad = [k for k in expected if not _close(answer[k], expected[k], task)]
        return f"{', '.join(bad[:6])} 的数值不对。"
    return ""


def _diagnose(task: Task, answer: Any, length: int) -> str | None:
    for mistake in task.mistakes:
        try:
            wrong = _normalise_expected(task, mistake.answer())
            if _length(task, wrong) == length and _matches(task, answer, wrong):
                return mistake.hint
        except Exception:  # a broken mistake never hides the main feedback
            continue
    return None


def _check(task_id: Any, answer: Any) -> bool:
    if answer is Ellipsis:
        print("⏳ 尚未作答：把 ... 换成你的答案，再运行这个单元。")
        return False
    if not isinstance(task_id, str):
        print(f"❌ 题号应是文字，例如 \"ch2.ex1\"，你给的是 {task_id!r}。")
        return False
    try:
        task = get_task(task_id)
    except KeyError:
        print(f"❌ 没有题号 {task_id!r}：请检查拼写（例如 \"ch2.ex1\"）。")
        return False
    expected = _normalise_expected(task, task.expected())
    length = _length(task, expected)
    try:
        value = _coerce(task, answer, length)
    except AnswerFormatError as problem:
        print(f"❌ 答案格式不对：{problem}本题需要{_WHAT[task.kind]}。")
        return False
    if task.kind == "mapping" and set(value) != set(expected):
        print(f"❌ 答案格式不对：{_mapping_guidance(value, expected)}。"
              f"应有的键是 {list(expected)}。")
        return False
    if _matches(task, value, expected):
        print("✅ 正确！")
        return True
    diagnosis = _diagnose(task, value, length)
    where = _wrong_positions(task, value, expected)
    print(f"❌ 还不对。{where}提示：{diagnosis or task.hint}")
    return False


def check(task_id: str, answer: Any) -> bool:
    """Check ``answer`` for exercise ``task_id``; print feedback; return True if right.

    Never raises: any input gets a friendly message in Chinese.

    >>> from crmlab.exercises import check
    >>> check("ch0.ex1", ...)
    ⏳ 尚未作答：把 ... 换成你的答案，再运行这个单元。
    False
    """
    try:
        return _check(task_id, answer)
    except Exception as error:  # the promise to students: never a traceback
        print(f"❌ 无法检查这个答案（{type(error).__name__}）。请确认答案是"
              f"题目要求的类型，或把这条信息告诉老师。")
        return False
