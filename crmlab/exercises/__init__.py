"""Exercise feedback: ``check(task_id, answer)`` prints ✅/❌ with a Chinese hint.

Tasks live in one module per chapter (``crmlab/exercises/ch0.py``, ``ch2.py``, ...),
loaded the first time one of their tasks is checked.
"""

from crmlab.exercises._core import (
    Mistake,
    Task,
    check,
    expected_answer,
    get_task,
    register,
    tasks,
)

__all__ = ["Mistake", "Task", "check", "expected_answer", "get_task", "register", "tasks"]
