"""Chapter 1 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import pandas as pd

from crmlab import pareto, selection
from crmlab.datasets import load_synthetic
from crmlab.exercises import check, expected_answer, given, tasks

IDS = tasks("ch1")
TOP, BOTTOM, PEAK, TOP_DATA, ABC, BIG, TOP5, LEFT, REGIONS, ELASTIC, DROP = IDS


def test_there_are_at_least_eight_tasks_from_hand_to_data():
    assert len(IDS) >= 8
    assert isinstance(given(TOP)["profits"], dict) and len(given(TOP)["profits"]) == 10
    assert len(given(TOP_DATA)["customers"]) == 500


def test_hand_calculation_figures():
    profits = pd.Series(given(TOP)["profits"], dtype=float)
    ranked = profits.sort_values(ascending=False)
    assert expected_answer(TOP) == ranked.iloc[:2].sum() / profits.sum()
    assert abs(expected_answer(BOTTOM) - ranked.iloc[-3:].sum() / profits.sum()) < 1e-12
    assert expected_answer(PEAK) > 1  # the whale curve rises above 100 %


def test_exercise_data_differ_from_the_lecture_data():
    lecture = load_synthetic("b2b_customers")
    exercise = given(TOP_DATA)["customers"]
    assert not lecture["profit"].equals(exercise["profit"])
    lecture_top = float(pareto.sherden_shares(lecture["profit"]).loc[0, "top_share"])
    assert abs(expected_answer(TOP_DATA) - lecture_top) > 1e-3
    weights = {"purchase": 0.2, "profitability": 0.35, "safety": 0.25, "future": 0.1,
               "cooperation": 0.1}
    card = selection.scorecard(selection.screening_dimensions(lecture), weights)
    assert expected_answer(TOP5) != card["customer_id"].head(5).tolist()


def test_the_planted_patterns_hold_in_the_exercise_data():
    assert expected_answer(BIG) >= 6
    assert 1 < expected_answer(ABC) < 500


def test_percent_instead_of_fraction_is_explained():
    assert "除以 100" in check(TOP, 100 * expected_answer(TOP)).message


def test_forgetting_the_losses_in_the_bottom_share_gets_the_sign_hint():
    assert "符号" in check(BOTTOM, -expected_answer(BOTTOM)).message


def test_regions_accept_the_chinese_names_only():
    answer = expected_answer(REGIONS)
    assert set(answer) <= {"重点进入", "先提升匹配度再进入", "选择性经营", "放弃"}
    assert check(REGIONS, [f" {a} " for a in answer])  # stray spaces are fine


def test_elastic_choice_and_discussion():
    assert expected_answer(ELASTIC) == "A"
    assert check(ELASTIC, "a")
    feedback = check(DROP, "评分最低的客户回款率太低，应先淘汰；成长快的小客户应保留。")
    assert feedback.status == "noted" and "回款率" in feedback.model_answer
