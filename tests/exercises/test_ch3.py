"""Chapter 3 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import numpy as np
import pandas as pd
import pytest

from crmlab import rfm
from crmlab.exercises import check, expected_answer, get_task, given, tasks
from crmlab.exercises.ch3 import DATA

IDS = tasks("ch3")
VBC, ABC, DRIVER, PHARMACY, QUANTILES, SEGMENTS, FLIP, CDNOW = IDS[:8]


def test_answers_are_what_the_exercise_text_says():
    # VBC by hand: admin 40 by direct cost 60/30/10, selling 30 by sales 200/150/50
    assert expected_answer(VBC) == pytest.approx({"A": 101, "B": 96.75, "C": 32.25})
    assert expected_answer(DRIVER) == pytest.approx(200)
    assert expected_answer(PHARMACY) == ["332", "213", "111", "322"]
    assert expected_answer(FLIP) == "C"
    assert 0.5 < expected_answer(CDNOW) < 1


def test_alternative_answer_forms_are_accepted():
    assert check(QUANTILES, np.array(expected_answer(QUANTILES), dtype=int))
    assert check(FLIP, " c ")
    assert check(VBC, pd.Series(expected_answer(VBC)))


def test_mapping_feedback_names_missing_and_wrong_keys():
    assert "缺少键 B、C" in check(VBC, {"A": 101}).message
    message = check(VBC, {"A": 101, "B": 96.75, "C": 30}).message
    assert "C（30）的数值不对" in message and "A（" not in message


def test_list_feedback_names_the_customers():
    wrong = ["332", "213", "112", "322"]
    assert "王（'112'）不对" in check(PHARMACY, wrong).message


def test_exercise_data_are_not_the_lecture_demo():
    lecture_values = [35.0, 120, 60, 60, 15, 220, 90, 45, 60, 300]
    assert given(QUANTILES)["monetary"]["monetary_mean"].tolist() != lecture_values
    assert given(CDNOW)["points"] != 5  # the lecture's table uses five points


def test_the_lecture_five_point_share_gets_its_own_hint():
    s = rfm.summary(__import__("crmlab").datasets.load_cdnow("master"),
                    as_of=given(CDNOW)["as_of"])
    five = rfm.segment_summary(rfm.segments(rfm.score(s, points=5)))
    assert "三分位" in check(CDNOW, float(five.loc["important_value", "revenue_share"])).message


@pytest.mark.parametrize("digits", [0, 1, 2])
def test_a_rounded_percent_gets_the_percent_hint(digits):
    answer = round(100 * expected_answer(CDNOW), digits)
    assert "除以 100" in check(CDNOW, answer).message


def test_data_are_not_mutated_by_checks():
    before = {k: v.copy() for k, v in DATA.items()}
    for task_id in IDS:
        task = get_task(task_id)
        expected_answer(task_id)
        for mistake in task.mistakes:
            mistake.answer(task.question())
    for key, frame in before.items():
        pd.testing.assert_frame_equal(DATA[key], frame)
