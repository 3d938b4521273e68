"""Chapter 2 exercise checks: right answers pass, typical slips get their own hint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import check, expected_answer, get_task, tasks

IDS = tasks("ch2")


def test_at_least_six_tasks_registered_in_order():
    assert len(IDS) >= 6
    assert IDS == [f"ch2.ex{k}" for k in range(1, len(IDS) + 1)]


@pytest.mark.parametrize("task_id", IDS)
def test_expected_answer_passes(task_id, capsys):
    assert check(task_id, expected_answer(task_id)) is True
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("task_id, index", [(t, i) for t in IDS
                                            for i in range(len(get_task(t).mistakes))])
def test_each_mistake_prints_its_own_hint(task_id, index, capsys):
    mistake = get_task(task_id).mistakes[index]
    assert check(task_id, mistake.answer()) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and mistake.hint in out


@pytest.mark.parametrize("task_id", IDS)
def test_mistakes_are_distinct_from_the_answer(task_id, capsys):
    task = get_task(task_id)

    def key(value):
        return str(value) if task.kind == "choice" else repr(np.round(np.asarray(value,
                                                                               dtype=float), 2))

    answers = [key(m.answer()) for m in task.mistakes]
    assert len(set(answers)) == len(answers)
    assert key(expected_answer(task_id)) not in answers


WRONG_TYPES = ["abc", None, True, {"x": 1}, [1, 2, 3, 4, 5, 6, 7], float("nan"),
               pd.DataFrame({"a": [1]}), np.array([[1.0, 2.0]]), object(), 123456.0]


@pytest.mark.parametrize("task_id", IDS)
@pytest.mark.parametrize("answer", WRONG_TYPES, ids=lambda a: type(a).__name__)
def test_wrong_types_print_guidance_without_raising(task_id, answer, capsys):
    assert check(task_id, answer) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and "Traceback" not in out


@pytest.mark.parametrize("task_id", IDS)
def test_placeholder_says_not_answered(task_id, capsys):
    assert check(task_id, ...) is False
    assert "尚未作答" in capsys.readouterr().out


def test_rounded_hand_answers_are_accepted(capsys):
    assert check("ch2.ex1", [185.19, 171.47, 158.77])
    assert check("ch2.ex2", round(expected_answer("ch2.ex2")))
    assert check("ch2.ex4", 297)          # whole yuan: the question sets no rounding
    assert check("ch2.ex6", 29_332_619)
    assert check("ch2.ex8", 458)
    assert check("ch2.ex7", "b")
    capsys.readouterr()


def test_extension_expected_matches_printed_closing():
    assert round(expected_answer("ch2.ex6")) == 29_332_619
    assert expected_answer("ch2.ex7") == "B"


def test_rounded_average_in_extension_gets_the_rounding_hint(capsys):
    # 65 000 × 268.81 (the rounded average) instead of 65 000 × 28 225 000 / 105 000
    assert check("ch2.ex6", 30_000 * 341 + 10_000 * 163 + 65_000 * 268.81) is False
    assert "未取整" in capsys.readouterr().out
