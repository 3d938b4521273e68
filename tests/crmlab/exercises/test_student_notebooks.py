"""The student's notebooks (exercises/) give no answer away.

No expected answer at the stated precision, no reference SQL, no printed lecture
answer, no model answer of a discussion task; solution-only cells stay in solutions/.
"""

import re

import nbformat
import pytest

import crmlab.exercises as ex
from crmlab.exercises import ch7
from tests.conftest import ROOT

STUDENT = sorted((ROOT / "exercises").glob("*.ipynb"))


def _text(path):
    nb = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in nb.cells), nb


def _squeeze(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def _chapter_of(path):
    return f"ch{int(path.name[:2])}"


def _written(value, kind):
    """How a student's notebook would write ``value`` if it gave it away.

    Small whole numbers (a count of 4, 200 calls) also occur as question data, so
    only numbers with at least three significant digits that are not whole
    hundreds are looked for.
    """
    text = f"{value:.3g}" if kind.rtol is not None else f"{value:.{kind.decimals}f}"
    digits = text.replace("-", "").replace(".", "").strip("0")
    return [text] if len(digits) >= 3 else []


def _answers(task):
    """The give-away strings of a task's answer."""
    kind, answer = task.kind, task.answer
    if isinstance(kind, ch7.SqlQuery):
        return [_squeeze(task.expected(task.question()))]
    if isinstance(kind, ex.Discussion):
        return [_squeeze(answer[:25])]
    if isinstance(kind, ex.Labels):
        return [_squeeze(repr(list(answer))), _squeeze(str(list(answer)).replace("'", '"'))]
    if isinstance(kind, ex.Number):
        numbers = (answer.values() if isinstance(answer, dict) else [answer[1]]
                   if isinstance(answer, tuple) else answer if isinstance(answer, list)
                   else [answer])
        return [s for v in numbers for s in _written(float(v), kind)]
    return []


@pytest.mark.parametrize("path", STUDENT, ids=[p.name for p in STUDENT])
def test_no_student_notebook_contains_an_answer(path):
    text, nb = _text(path)
    squeezed = _squeeze(text)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    assert "讲义印出的答案是" not in text and "BEGIN SOLUTION" not in text
    for task_id in ex.tasks(_chapter_of(path)):
        task = ex.get_task(task_id)
        for answer in _answers(task):
            if re.fullmatch(r"-?[\d.]+", answer):  # a number, not inside another one
                found = bool(re.search(rf"(?<![\d.]){re.escape(answer)}(?![\d])", text))
            else:
                found = answer in squeezed
            assert not found, f"{path.name} gives away {task_id}: {answer}"


def test_solution_only_cells_stay_in_the_solutions():
    student, _ = _text(ROOT / "exercises" / "00_overview_exercises.ipynb")
    solution, _ = _text(ROOT / "solutions" / "00_overview_exercises.ipynb")
    assert "讲义印出的答案是 B" in solution and "讲义印出的答案是" not in student


def test_wrong_option_hints_of_the_quiz_never_name_the_right_letter():
    for task_id in ex.tasks("ch0"):
        task = ex.get_task(task_id)
        if not isinstance(task.kind, ex.Choice):
            continue
        for _, hint in task.slips:
            assert not re.search(rf"答案是 ?{task.answer}|选 ?{task.answer}\b", hint), hint


@pytest.mark.parametrize("task_id", ["ch3.ex7", "ch3.ex9"])
def test_options_are_alike_so_length_gives_nothing_away(task_id):
    options = ex.get_task(task_id).kind.options
    lengths = sorted(len(text) for text in options.values())
    assert lengths[-1] <= 1.6 * lengths[0], options
    right = options[ex.get_task(task_id).answer]
    assert len(right) < max(lengths) or lengths.count(max(lengths)) > 1 or \
        len(right) - lengths[-2] <= 8, options
