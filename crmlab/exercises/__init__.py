"""Exercise feedback: ``check(task_id, answer)`` shows ✅/❌ with a Chinese hint.

Tasks live in one module per chapter (``crmlab/exercises/ch0.py``, ``ch2.py``, ...),
loaded the first time one of their tasks is used. How to write a chapter's tasks,
answer kinds, slips, discussion tasks and the tests: ``crmlab/exercises/README.md``.

>>> from crmlab.exercises import check, given
>>> given("ch2.ex1")["profit"]
200.0
"""

from crmlab.exercises._core import (
    Chapter,
    Feedback,
    Mistake,
    Task,
    chapters,
    check,
    expected_answer,
    get_task,
    given,
    register,
    tasks,
)
from crmlab.exercises._kinds import (
    AnswerFormatError,
    Choice,
    Discussion,
    Kind,
    Labels,
    Mapping,
    Number,
    Numbers,
    Share,
    describe_type,
    short,
)

__all__ = [
    "AnswerFormatError", "Chapter", "Choice", "Discussion", "Feedback", "Kind", "Labels",
    "Mapping", "Mistake", "Number", "Numbers", "Share", "Task", "chapters", "check",
    "describe_type", "expected_answer", "get_task", "given", "register", "short", "tasks",
]
