"""``crmlab.exercises`` as a submission sees it inside the grading sandbox.

The grader copies this file into the sandbox as ``crmlab/exercises/__init__.py``
beside ``view.pickle``, which it writes from the real task registry: the
chapter's task ids and each task's question data (``given``) — never an expected
answer or a typical slip, which stay in the grading process. ``check`` here only
hands the answer to the recorder the sandbox installs (``_recorder``); it judges
nothing. ``expected_answer`` and ``get_task`` exist only to say so.

Examples
--------
>>> from crmlab.grade._student_view import Recorded
>>> bool(Recorded("ch2.ex1"))
True
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

__all__ = ["Recorded", "chapters", "check", "expected_answer", "get_task", "given", "tasks"]

_FILE = Path(__file__).with_name("view.pickle")
#: {"chapter": "ch2", "tasks": [ids], "given": {id: data}, "missing": {id: why}}
_VIEW: dict[str, Any] = (pickle.loads(_FILE.read_bytes()) if _FILE.is_file()
                         else {"chapter": "", "tasks": [], "given": {}, "missing": {}})
#: Set by the sandbox: ``_recorder(task_id, answer)`` records one answer.
_recorder = None


class Recorded:
    """What ``check`` returns while grading: the answer was recorded, not judged.

    >>> Recorded("ch2.ex1")
    📝 ch2.ex1：答案已记录，由评分程序检查
    """

    def __init__(self, task_id: str) -> None:
        self.task_id = str(task_id)[:80]

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"📝 {self.task_id}：答案已记录，由评分程序检查"

    __str__ = __repr__


def check(task_id: str, answer: Any = ...) -> Recorded:
    """Record ``answer`` for ``task_id`` (graded later, outside the sandbox).

    >>> check("ch2.ex1", 1.0).task_id
    'ch2.ex1'
    """
    if _recorder is not None:
        _recorder(task_id, answer)
    return Recorded(task_id)


def tasks(chapter: str) -> list[str]:
    """Return the task ids of ``chapter`` (only the chapter being graded is known).

    >>> isinstance(tasks("ch2"), list)
    True
    """
    return list(_VIEW["tasks"]) if chapter == _VIEW["chapter"] else []


def chapters() -> list[str]:
    """Return the chapter being graded, as a list.

    >>> isinstance(chapters(), list)
    True
    """
    return [_VIEW["chapter"]] if _VIEW["chapter"] else []


def given(task_id: str) -> Any:
    """Return a fresh copy of the question data of ``task_id``.

    >>> given("zz.ex1")
    Traceback (most recent call last):
    ...
    KeyError: "没有题号 'zz.ex1' / no such task"
    """
    if task_id in _VIEW["missing"]:
        raise RuntimeError(f"{task_id} 的题目数据无法传入评分环境：{_VIEW['missing'][task_id]}")
    if task_id not in _VIEW["given"]:
        raise KeyError(f"没有题号 {task_id!r} / no such task")
    return copy.deepcopy(_VIEW["given"][task_id])


def _refuse(task_id: Any = None) -> Any:
    raise PermissionError("评分环境中没有标准答案和题库内部数据 / no answers inside the grader")


def expected_answer(task_id: str) -> Any:
    """Refuse: the grading sandbox holds no expected answers.

    >>> expected_answer("ch2.ex1")
    Traceback (most recent call last):
    ...
    PermissionError: 评分环境中没有标准答案和题库内部数据 / no answers inside the grader
    """
    return _refuse(task_id)


def get_task(task_id: str) -> Any:
    """Refuse: the grading sandbox holds no task internals.

    >>> get_task("ch2.ex1")
    Traceback (most recent call last):
    ...
    PermissionError: 评分环境中没有标准答案和题库内部数据 / no answers inside the grader
    """
    return _refuse(task_id)


def write_view(folder: Path, chapter: str) -> Path:
    """Write the student view of ``chapter`` into ``folder`` (run by the grader, outside).

    Returns ``folder``, holding ``__init__.py`` (this module) and ``view.pickle``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     sorted(p.name for p in write_view(Path(d), "ch2").iterdir())
    ['__init__.py', 'view.pickle']
    """
    from crmlab import exercises

    view: dict[str, Any] = {"chapter": chapter, "tasks": exercises.tasks(chapter),
                            "given": {}, "missing": {}}
    for task in view["tasks"]:
        try:
            data = exercises.given(task)
            pickle.dumps(data)
            view["given"][task] = data
        except Exception as error:  # a task whose data cannot travel: said when asked for
            view["missing"][task] = type(error).__name__
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_bytes(Path(__file__).read_bytes())
    (folder / "view.pickle").write_bytes(pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL))
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder
