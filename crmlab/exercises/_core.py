"""Tasks, chapters, the registry and ``check``: instant feedback in Chinese.

A chapter module ``crmlab/exercises/chN.py`` creates ``chapter = Chapter(__name__)``
and adds its tasks in order with ``chapter.task(...)`` (ids ``chN.ex1``, ``chN.ex2``, ...).
A task stores its question data (``given``), computes its answer from them through
crmlab (answers are never typed in) and lists typical slips (``Mistake``), computed
the same way, each with the hint that names what was missed.
"""

from __future__ import annotations

import copy
import html
import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from crmlab import _validation as validate
from crmlab.exercises._kinds import AnswerFormatError, Kind, describe_type, short

__all__ = [
    "Chapter", "Feedback", "Mistake", "Task", "chapters", "check", "expected_answer",
    "get_task", "given", "register", "tasks",
]

Status = Literal["right", "wrong", "format", "pending", "noted", "error"]

_MARKS = {"right": "✅", "wrong": "❌", "format": "❌", "pending": "⏳", "noted": "📝",
          "error": "⚠️"}
_PLAIN_MARKS = {"right": "[对]", "wrong": "[错]", "format": "[错]", "pending": "[待答]",
                "noted": "[已记录]", "error": "[!]"}
_ASCII_MARKS = {"right": "[OK]", "wrong": "[X]", "format": "[X]", "pending": "[...]",
                "noted": "[NOTE]", "error": "[!]"}
_COLOURS = {"right": ("#e8f5e9", "#1b5e20"), "wrong": ("#ffebee", "#b71c1c"),
            "format": ("#ffebee", "#b71c1c"), "pending": ("#f5f5f5", "#424242"),
            "noted": ("#e3f2fd", "#0d47a1"), "error": ("#fff3e0", "#e65100")}


def _console_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@dataclass(frozen=True)
class Feedback:
    """What ``check`` returns: it shows only the feedback.

    ``bool(feedback)`` is True when the answer is right (or a discussion answer
    was recorded). ``status`` is one of right / wrong / format / pending /
    noted / error.

    Parameters
    ----------
    task_id : str
        The task answered, e.g. ``"ch2.ex1"``.
    status : str
        One of right / wrong / format / pending / noted / error.
    message : str
        The feedback shown to the student (Chinese).
    model_answer : str, default ""
        A discussion task's model answer, shown once the answer is recorded.

    Examples
    --------
    >>> feedback = Feedback("ch2.ex1", "right", "正确！")
    >>> bool(feedback), feedback.text(encoding="utf-8")
    (True, '✅ 正确！')
    """

    task_id: str
    status: Status
    message: str
    model_answer: str = ""

    def __post_init__(self) -> None:
        validate.choice(self.status, "status", ("right", "wrong", "format", "pending", "noted",
                                                "error"), label="结果")

    def __bool__(self) -> bool:
        return self.status in ("right", "noted")

    @property
    def ok(self) -> bool:
        """Same as ``bool(feedback)``.

        Examples
        --------
        >>> Feedback("ch2.ex1", "wrong", "再想想。").ok
        False
        """
        return bool(self)

    def text(self, encoding: str | None = None) -> str:
        """Plain text with a mark the console can print (emoji, then √/×, then ASCII).

        Parameters
        ----------
        encoding : str, optional
            Encoding the mark must fit; default: the console's.

        Returns
        -------
        str
            The mark, a space and the message (then the model answer, if any).

        Examples
        --------
        >>> Feedback("ch2.ex1", "right", "正确！").text(encoding="gbk")
        '[对] 正确！'
        """
        encoding = encoding or _console_encoding()
        mark = _MARKS[self.status]
        if not _encodable(mark, encoding):
            mark = _PLAIN_MARKS[self.status]
            if not _encodable(mark, encoding):
                mark = _ASCII_MARKS[self.status]
        body = f"{mark} {self.message}"
        if self.model_answer:
            body += f"\n参考答案：{self.model_answer}"
        if not _encodable(body, encoding):
            body = body.encode(encoding, errors="replace").decode(encoding)
        return body

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        background, colour = _COLOURS[self.status]
        body = f"{_MARKS[self.status]} {html.escape(self.message)}"
        if self.model_answer:
            body += ("<div style='margin-top:.4em'><b>参考答案：</b>"
                     f"{html.escape(self.model_answer)}</div>")
        return (f"<div style='background:{background};color:{colour};padding:.5em .8em;"
                f"border-radius:4px;line-height:1.6'>{body}</div>")


@dataclass(frozen=True)
class Mistake:
    """A typical slip and the hint that names the concept that was missed.

    ``answer(given)`` computes the wrong answer the slip produces (the way the
    right one is computed); ``hint`` names what was missed. A slip that computes
    to a trivial answer (0, 1) does not claim it (a student who writes 0 has not
    made that slip), unless ``trivial=True`` says the slip *is* writing that value
    (e.g. 1 for "the whale curve ends at 100 %").

    Parameters
    ----------
    answer : callable
        ``answer(given)``: the wrong answer the slip produces.
    hint : str
        What was missed (Chinese).
    trivial : bool, default False
        The slip *is* writing a trivial value (0, 1).

    Examples
    --------
    >>> slip = Mistake(lambda g: g["profit"], hint="忘了折现。")
    >>> slip.answer({"profit": 200.0})
    200.0
    """

    answer: Callable[[Any], Any]
    hint: str
    trivial: bool = False


@dataclass(frozen=True, eq=False)
class Task:
    """One exercise task.

    ``kind`` reads and compares answers (``Number(decimals=2, unit="元")``, ...);
    ``expected(given)`` computes the answer (for a discussion task: the model answer
    text); ``given`` holds the question data (or a function returning them, called
    once, for data that take time to load); ``hint`` is shown when no slip matches.

    Parameters
    ----------
    id : str
        The task's id, ``"<chapter>.ex<k>"``.
    kind : Kind
        How answers are read and compared.
    expected : callable
        ``expected(given)``: the right answer.
    hint : str, default ""
        Shown when no slip matches.
    mistakes : tuple of Mistake, optional
        Typical slips and their hints.
    given : object, optional
        The question data, or a function returning them.
    title : str, default ""
        The task's title.

    Examples
    --------
    >>> from crmlab.exercises import Number
    >>> task = Task("zz.ex1", Number(decimals=0), expected=lambda g: g["a"] + 1,
    ...             given={"a": 1})
    >>> task.answer
    2.0
    """

    id: str
    kind: Kind
    expected: Callable[[Any], Any]
    hint: str = ""
    mistakes: tuple[Mistake, ...] = ()
    given: Any = None
    title: str = ""

    def __post_init__(self) -> None:
        validate.name(self.id, "id", label="题号")
        if not isinstance(self.kind, Kind):
            shown = validate.show(self.kind)
            raise validate.BilingualTypeError(
                f"答案类型 kind={shown} 无效：应为 exercises.Number(decimals=2) 这样的答案类型",
                f"kind={shown} is invalid: expected an answer kind such as "
                "exercises.Number(decimals=2)")
        if not callable(self.expected):
            raise validate.BilingualTypeError(
                f"expected={validate.show(self.expected)} 无效：应为函数 expected(given)",
                f"expected={validate.show(self.expected)} is invalid: expected a function "
                "expected(given)")
        object.__setattr__(self, "mistakes", tuple(self.mistakes))

    @cached_property
    def data(self) -> Any:
        """The question data (loaded once); use :func:`given` for a private copy.

        Examples
        --------
        >>> from crmlab.exercises import Number
        >>> task = Task("zz.ex1", Number(decimals=0), expected=lambda g: g["a"] + 1,
        ...             given={"a": 1})
        >>> task.data
        {'a': 1}
        """
        return self.given() if callable(self.given) else self.given

    def question(self) -> Any:
        """Return a fresh copy of the question data (mutating it changes nothing here).

        Returns
        -------
        Any
            A deep copy of the question data.

        Examples
        --------
        >>> from crmlab.exercises import Number
        >>> task = Task("zz.ex1", Number(decimals=0), expected=lambda g: g["a"] + 1,
        ...             given={"a": 1})
        >>> task.question()["a"] = 99
        >>> task.data
        {'a': 1}
        """
        return copy.deepcopy(self.data)

    @cached_property
    def answer(self) -> Any:
        """The expected answer in comparable form (computed once).

        Examples
        --------
        >>> from crmlab.exercises import Number
        >>> task = Task("zz.ex1", Number(decimals=0), expected=lambda g: g["a"] + 1,
        ...             given={"a": 1})
        >>> task.answer
        2.0
        """
        return self.kind.normalise(self.expected(self.question()))

    @cached_property
    def slips(self) -> tuple[tuple[Any, str], ...]:
        """(wrong answer, hint) of each mistake that computes and may claim its value.

        Broken slips are skipped, and so are slips that compute to a trivial answer
        (0, 1) without saying that they are about that value (``Mistake.trivial``).

        Examples
        --------
        >>> from crmlab.exercises import Mistake, Number
        >>> task = Task("zz.ex1", Number(decimals=0), expected=lambda g: g["a"] + 1,
        ...             given={"a": 1}, mistakes=(Mistake(lambda g: g["a"] + 2, "多加了 1。"),))
        >>> task.slips
        ((3.0, '多加了 1。'),)
        """
        out = []
        for mistake in self.mistakes:
            try:
                wrong = self.kind.normalise(mistake.answer(self.question()))
            except Exception:  # a broken slip never hides the main feedback
                continue
            if mistake.trivial or not self.kind.trivial(wrong):
                out.append((wrong, mistake.hint))
        return tuple(out)


# --- registry ----------------------------------------------------------------------

_REGISTRY: dict[str, Task] = {}
_BROKEN: dict[str, str] = {}


class _ChapterImportError(validate.BilingualError, ImportError):
    """A chapter's task module failed to import; the checker shows students ``.zh``."""

    def __init__(self, chapter: str) -> None:
        super().__init__(f"题目模块 crmlab.exercises.{chapter} 加载失败",
                         f"crmlab.exercises.{chapter} failed to import: {_BROKEN[chapter]}")


def register(task: Task) -> Task:
    """Add ``task`` to the registry (``Chapter.task`` does this for you).

    Parameters
    ----------
    task : Task
        The task; a task with the same id is replaced.

    Returns
    -------
    Task
        ``task`` itself.

    Raises
    ------
    TypeError
        If ``task`` is not a ``Task``.

    Examples
    --------
    >>> from crmlab.exercises import Number
    >>> register(Task("zz_reg.ex1", Number(), expected=lambda g: 1.0)).id
    'zz_reg.ex1'
    >>> _ = _REGISTRY.pop("zz_reg.ex1")
    """
    if not isinstance(task, Task):
        shown = validate.show(task)
        raise validate.BilingualTypeError(f"题目 task={shown} 无效：应为 exercises.Task",
                                          f"task={shown} is invalid: expected an exercises.Task")
    _REGISTRY[task.id] = task
    return task


class Chapter:
    """The tasks of one chapter, numbered in the order they are added.

    Parameters
    ----------
    name : str
        The chapter's name, e.g. ``"ch2"`` (a module path keeps its last part).
    title : str, default ""
        The chapter's title.

    Examples
    --------
    >>> chapter = Chapter("zz_doc")
    >>> from crmlab.exercises import Number
    >>> chapter.task(Number(decimals=0), expected=lambda g: g["a"] + 1, given={"a": 1}).id
    'zz_doc.ex1'
    >>> _ = _REGISTRY.pop("zz_doc.ex1")
    """

    def __init__(self, name: str, title: str = "") -> None:
        self.name = validate.name(name, "name", label="章名").rsplit(".", 1)[-1]
        self.title = title
        self.count = 0

    def task(self, kind: Kind, *, expected: Callable[[Any], Any], hint: str = "",
             mistakes: tuple[Mistake, ...] | list[Mistake] = (), given: Any = None,
             title: str = "", key: str | None = None) -> Task:
        """Register the next task of the chapter and return it.

        Parameters
        ----------
        kind : Kind
            How answers are read and compared, e.g. ``Number(decimals=2, unit="元")``.
        expected : callable
            ``expected(given)`` computes the answer with crmlab (for a
            ``Discussion``: the model answer text).
        hint : str
            Shown when the answer is wrong and no slip or form hint applies.
        mistakes : sequence of Mistake
            Typical slips, each computed from ``given`` like the answer, with its hint.
        given : Any
            The question data, or a function returning them (called once).
        title : str
            Optional short title.
        key : str, optional
            Names an unnumbered task (``"demo"`` -> ``ch0.demo``); default: the
            next number (``ex1``, ``ex2``, ...).

        Returns
        -------
        Task
            The registered task (its ``id`` is ``<chapter>.<key>``, e.g. ``ch2.ex1``).

        Examples
        --------
        >>> chapter = Chapter("zz_task")
        >>> from crmlab.exercises import Number
        >>> task = chapter.task(Number(decimals=0), expected=lambda g: g["a"] * 2, given={"a": 3})
        >>> task.id, task.answer
        ('zz_task.ex1', 6.0)
        >>> _ = _REGISTRY.pop("zz_task.ex1")
        """
        if key is None:
            self.count += 1
            key = f"ex{self.count}"
        return register(Task(id=f"{self.name}.{key}", kind=kind, expected=expected, hint=hint,
                             mistakes=tuple(mistakes), given=given, title=title))


def _load_chapter(chapter: str) -> None:
    if not chapter.isidentifier() or chapter.startswith("_"):
        return
    module = f"crmlab.exercises.{chapter}"
    if module in sys.modules:
        return
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            _BROKEN[chapter] = f"{type(error).__name__}: {error}"
    except Exception as error:
        _BROKEN[chapter] = f"{type(error).__name__}: {error}"
    else:
        _BROKEN.pop(chapter, None)


def get_task(task_id: str) -> Task:
    """Return the registered task ``task_id`` (e.g. ``"ch2.ex3"``).

    Parameters
    ----------
    task_id : str
        The task; its chapter module is imported on first use.

    Returns
    -------
    Task
        The task.

    Raises
    ------
    ImportError
        If the task's chapter module fails to import (the message names its error).
    TypeError
        If ``task_id`` is not a non-empty string.
    ValueError
        If there is no such task.

    Examples
    --------
    >>> get_task("ch2.ex1").id
    'ch2.ex1'
    """
    validate.name(task_id, "task_id", label="题号")
    if task_id not in _REGISTRY:
        chapter = task_id.split(".", 1)[0]
        _load_chapter(chapter)
        if chapter in _BROKEN:
            raise _ChapterImportError(chapter)
    try:
        return _REGISTRY[task_id]
    except KeyError:
        shown = validate.show(task_id)
        raise validate.BilingualValueError(
            f"题号 task_id={shown} 不存在：请检查拼写（例如 \"ch2.ex1\"）",
            f"task_id={shown} is not a task; check the spelling (e.g. \"ch2.ex1\")") from None


def tasks(chapter: str) -> list[str]:
    """Return the ids of the numbered tasks of ``chapter`` (e.g. ``"ch0"``), in order.

    Parameters
    ----------
    chapter : str
        The chapter module's name.

    Returns
    -------
    list of str
        The task ids (``chN.ex1``, ``chN.ex2``, ...); empty for an unknown chapter.

    Raises
    ------
    ImportError
        If the chapter module fails to import (the message names its error).
    TypeError
        If ``chapter`` is not a non-empty string.

    Examples
    --------
    >>> tasks("ch0")[:2]
    ['ch0.ex1', 'ch0.ex2']
    """
    validate.name(chapter, "chapter", label="章")
    _load_chapter(chapter)
    if chapter in _BROKEN:
        raise _ChapterImportError(chapter)
    return [key for key in _REGISTRY if key.startswith(f"{chapter}.ex")
            and key.split(".", 1)[1][2:].isdigit()]


def chapters() -> list[str]:
    """Return the names of the chapter modules, in chapter order.

    Returns
    -------
    list of str
        E.g. ``["ch0", "ch1", ..., "ch10"]`` (numbers sorted as numbers).

    Examples
    --------
    >>> chapters()[:2]
    ['ch0', 'ch1']
    """
    import pkgutil

    import crmlab.exercises as package

    return sorted((m.name for m in pkgutil.iter_modules(package.__path__)
                   if not m.name.startswith("_")), key=lambda n: (len(n), n))


def expected_answer(task_id: str) -> Any:
    """Return the answer crmlab computes for ``task_id`` (for teachers and tests).

    Parameters
    ----------
    task_id : str
        The task, e.g. ``"ch2.ex1"``.

    Returns
    -------
    Any
        The answer as the task's ``expected`` function computes it.

    Raises
    ------
    ValueError
        If there is no such task (TypeError: ``task_id`` is not a string).
    ImportError
        If the task's chapter module fails to import.

    Examples
    --------
    >>> bool(check("ch2.ex1", expected_answer("ch2.ex1")))
    True
    """
    task = get_task(task_id)
    return task.expected(task.question())


def given(task_id: str) -> Any:
    """Return the question data of a task: what the notebook shows and the student uses.

    Parameters
    ----------
    task_id : str
        The task, e.g. ``"ch2.ex1"``.

    Returns
    -------
    Any
        A fresh (deep) copy of the task's ``given`` data: changing it changes no check.

    Raises
    ------
    ValueError
        No such task (TypeError: ``task_id`` is not a string).
    ImportError
        The task's chapter module failed to import (the message names its error).

    Examples
    --------
    >>> given("ch2.ex1")["rate"]
    0.08
    """
    return get_task(task_id).question()


# --- check ----------------------------------------------------------------------------

class _TimedOut(Exception):
    pass


def _bounded(function: Callable[..., Any], *args: Any, seconds: float | None) -> Any:
    """``function(*args)`` in a worker thread, given up after ``seconds``."""
    if seconds is None:
        return function(*args)
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = function(*args)
        except BaseException as error:  # handed back to the caller
            result["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise _TimedOut
    if "error" in result:
        raise result["error"]
    return result["value"]


def _check(task_id: Any, answer: Any) -> Feedback:
    label = task_id if isinstance(task_id, str) else short(task_id)
    if answer is Ellipsis:
        return Feedback(label, "pending", "尚未作答：把 ... 换成你的答案，再运行这个单元。")
    if not isinstance(task_id, str):
        return Feedback(label, "format", f"题号应是文字，例如 \"ch2.ex1\"，你给的是"
                                         f"{describe_type(task_id)} {short(task_id)}。")
    try:
        task = get_task(task_id)
    except ImportError as error:
        return Feedback(task_id, "error", f"{validate.chinese(error).rstrip('。')}"
                        f"（{_BROKEN.get(task_id.split('.', 1)[0], '')}）：请把这条信息告诉老师。")
    except (TypeError, ValueError):
        return Feedback(task_id, "format", f"没有题号 {short(task_id)}：请检查拼写"
                                           "（例如 \"ch2.ex1\"）。")
    kind, expected = task.kind, task.answer
    try:
        value = _bounded(kind.coerce, answer, expected, seconds=kind.time_limit)
    except AnswerFormatError as problem:
        return Feedback(task_id, "format", f"答案格式不对：{problem}"
                        + ("" if "本题需要" in str(problem) else f"本题需要{kind.what()}。"))
    except _TimedOut:
        return Feedback(task_id, "format", "读取你的答案超时了：答案是不是一个无穷的序列或"
                                           f"非常大的对象？本题需要{kind.what()}。")
    except Exception as error:
        return Feedback(task_id, "format", f"无法读取你的答案（{type(error).__name__}）："
                                           f"本题需要{kind.what()}。")
    if not kind.graded:
        return Feedback(task_id, "noted", "已记下你的回答。讨论题没有唯一答案，不评对错；"
                        "对照下面的参考答案，看看你的理由是否完整。", model_answer=str(expected))
    if kind.match(value, expected):
        return Feedback(task_id, "right", "正确！")
    slip = next((hint for wrong, hint in task.slips if _same(kind, value, wrong)), None)
    where = kind.locate(value, expected)
    hint = slip or kind.diagnose(value, expected) or task.hint
    return Feedback(task_id, "wrong", f"还不对。{where}" + (f"提示：{hint}" if hint else ""))


def _same(kind: Kind, value: Any, wrong: Any) -> bool:
    try:
        return kind.match_slip(value, wrong)
    except Exception:
        return False


def check(task_id: str, answer: Any) -> Feedback:
    """Check ``answer`` for task ``task_id`` and return the feedback.

    Parameters
    ----------
    task_id : str
        The task, e.g. ``"ch2.ex3"``.
    answer : Any
        The student's answer; ``...`` means not answered yet.

    Returns
    -------
    Feedback
        Shows only the feedback (coloured in Jupyter, plain text elsewhere, plain
        marks on consoles without emoji); truthy when the answer is right.

    Raises
    ------
    Nothing: any input, however large, endless or odd, gets a message in Chinese.

    Examples
    --------
    >>> check("ch0.ex1", ...)
    ⏳ 尚未作答：把 ... 换成你的答案，再运行这个单元。
    >>> bool(check("ch0.ex1", expected_answer("ch0.ex1")))
    True
    """
    try:
        return _check(task_id, answer)
    except Exception as error:  # the promise to students: never a traceback
        label = task_id if isinstance(task_id, str) else "?"
        return Feedback(label, "error", f"无法检查这个答案（{type(error).__name__}）。请确认答案是"
                                        "题目要求的类型，或把这条信息告诉老师。")

