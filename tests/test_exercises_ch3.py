"""Chapter 3 exercise checks: right answers pass, typical slips get their hint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import check, expected_answer, get_task, tasks
from crmlab.exercises.ch3 import DATA

IDS = [f"ch3.ex{k}" for k in range(1, 9)]


def test_registered():
    assert tasks("ch3") == IDS


@pytest.mark.parametrize("task_id", IDS)
def test_expected_answer_passes(task_id, capsys):
    assert check(task_id, expected_answer(task_id)) is True
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("task_id", IDS)
def test_each_mistake_prints_its_hint(task_id, capsys):
    task = get_task(task_id)
    assert task.mistakes, "every chapter-3 task names at least one typical slip"
    right = expected_answer(task_id)
    for mistake in task.mistakes:
        wrong = mistake.answer()
        assert check(task_id, wrong) is False
        out = capsys.readouterr().out
        assert out.startswith("❌") and mistake.hint in out, (task_id, wrong, out)
        assert wrong != right


@pytest.mark.parametrize(("task_id", "answer"), [
    ("ch3.ex1", "101"), ("ch3.ex1", [101, 96.75, 32.25]), ("ch3.ex1", {"A": 101}),
    ("ch3.ex2", None), ("ch3.ex3", "200"), ("ch3.ex3", [200, 1]),
    ("ch3.ex4", "332"), ("ch3.ex4", [332, 213, 111, 322]), ("ch3.ex4", ["332"]),
    ("ch3.ex5", {"a": 1}), ("ch3.ex5", [1, 2]), ("ch3.ex6", 3), ("ch3.ex7", 3),
    ("ch3.ex7", "E"), ("ch3.ex8", "75%"), ("ch3.ex8", pd.DataFrame({"a": [1, 2]})),
    ("ch3.ex8", float("nan")),
])
def test_wrong_types_give_guidance(task_id, answer, capsys):
    assert check(task_id, answer) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and "Traceback" not in out


def test_placeholder(capsys):
    for task_id in IDS:
        assert check(task_id, ...) is False
    assert capsys.readouterr().out.count("⏳ 尚未作答") == len(IDS)


def test_answers_are_what_the_exercise_text_says():
    # ex1 by hand: admin 40 by direct cost 60/30/10, selling 30 by sales 200/150/50
    assert expected_answer("ch3.ex1") == pytest.approx({"A": 101, "B": 96.75, "C": 32.25})
    assert expected_answer("ch3.ex3") == pytest.approx(200)
    assert expected_answer("ch3.ex4") == ["332", "213", "111", "322"]
    assert expected_answer("ch3.ex7") == "C"
    assert 0.5 < expected_answer("ch3.ex8") < 1


def test_alternative_answer_forms_accepted(capsys):
    assert check("ch3.ex5", np.array(expected_answer("ch3.ex5"), dtype=int)) is True
    assert check("ch3.ex7", " c ") is True
    assert check("ch3.ex1", pd.Series(expected_answer("ch3.ex1"))) is True
    capsys.readouterr()


def test_data_not_mutated_by_checks():
    before = {k: v.copy() for k, v in DATA.items()}
    for task_id in IDS:
        expected_answer(task_id)
        for mistake in get_task(task_id).mistakes:
            mistake.answer()
    for key, frame in before.items():
        pd.testing.assert_frame_equal(DATA[key], frame)


@pytest.mark.parametrize("digits", [0, 1, 2])
def test_ex8_rounded_percent_gets_the_percent_hint(digits, capsys):
    from crmlab.exercises.ch3 import PERCENT_HINT

    answer = round(100 * expected_answer("ch3.ex8"), digits)
    assert check("ch3.ex8", answer) is False
    assert PERCENT_HINT in capsys.readouterr().out
