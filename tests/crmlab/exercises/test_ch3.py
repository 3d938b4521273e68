"""Chapter 3 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import numpy as np
import pandas as pd
import pytest

from crmlab import rfm
from crmlab.exercises import check, expected_answer, get_task, given, tasks
from crmlab.exercises.ch3 import DATA

IDS = tasks("ch3")
VBC, ABC, DRIVER, PHARMACY, QUANTILES, SEGMENTS, FLIP, CDNOW, COHORT = IDS[:9]


def test_answers_are_what_the_exercise_text_says():
    # VBC by hand: admin 40 by direct cost 60/30/10, selling 30 by sales 200/150/50
    assert expected_answer(VBC) == pytest.approx({"A": 101, "B": 96.75, "C": 32.25})
    assert expected_answer(DRIVER) == pytest.approx(200)
    assert expected_answer(PHARMACY) == ["332", "213", "111", "322"]
    assert expected_answer(FLIP) == "C"
    assert 0.3 < expected_answer(CDNOW) < 0.5
    assert expected_answer(COHORT) == "B"


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
    # the lecture segments CDNOW as of 1998-07-01 with R high = within 365 days
    assert given(CDNOW)["as_of"] != "1998-07-01" and given(CDNOW)["r_days"] != 365


def test_cdnow_task_by_hand_with_pandas():
    # revenue share of 重要价值客户 recomputed without rfm.score/segments
    tx = __import__("crmlab").datasets.load_cdnow("master")
    g = given(CDNOW)
    tx = tx[tx["date"] <= pd.Timestamp(g["as_of"])]   # drop_future keeps the day itself
    visits = tx.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    per = visits.groupby("customer_id").agg(last=("date", "max"), f=("date", "size"),
                                            m=("amount", "sum"))
    recency = (pd.Timestamp(g["as_of"]) - per["last"]).dt.days
    top = (recency <= g["r_days"]) & (per["f"] >= g["f_visits"]) & (per["m"] >= g["m_dollars"])
    assert expected_answer(CDNOW) == pytest.approx(per.loc[top, "m"].sum() / per["m"].sum())


def test_the_seed_002_monetary_definition_gets_its_own_hint():
    s = rfm.summary(__import__("crmlab").datasets.load_cdnow("master"),
                    as_of=given(CDNOW)["as_of"], drop_future=True)
    rules = {"r": rfm.rule("recency_days", [90], higher_is_better=False, edge_goes_up=False),
             "f": rfm.rule("frequency", [2]), "m": rfm.rule("monetary_mean", [150])}
    table = rfm.segment_summary(rfm.segments(rfm.score(s, rules=rules),
                                             reference={"r": 1, "f": 1, "m": 1}))
    answer = float(table.loc["important_value", "revenue_share"])
    assert "累计交易金额" in check(CDNOW, answer).message


def test_cohort_choice_slips_are_explained():
    assert "R 高、F 低" in check(COHORT, "A").message
    assert check(COHORT, "b")


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
