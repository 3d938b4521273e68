"""Chapter 4 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import pandas as pd

from crmlab import datasets, portfolio
from crmlab.exercises import check, expected_answer, given, tasks

IDS = tasks("ch4")
CLASSES, WITHIN, ABC, COUNT_A, CLV, CREDIT, GOLD, VISITS, STRATEGY, DISCUSS = IDS


def test_ten_tasks_and_the_lecture_data_are_not_reused():
    assert len(IDS) == 10
    lecture = datasets.load_synthetic("portfolio_customers")
    assert not set(given(COUNT_A)["customers"]["customer_id"]) & set(lecture["customer_id"])


def test_composition_answers_are_shares_that_add_up():
    shares = expected_answer(CLASSES)
    assert set(shares) == {"批发店", "零售店", "连锁店"}
    assert abs(sum(shares.values()) - 1) < 1e-9
    assert expected_answer(WITHIN) == 60 / 160


def test_abc_by_hand_matches_the_cumulative_rule():
    labels = dict(zip(given(ABC)["shops"]["customer_id"], expected_answer(ABC), strict=True))
    # 420 + 180 + 150 = 75 % < 80 %, + 90 = 84 %: 庚 crosses 80 % and is still A
    assert [labels[k] for k in ("甲", "乙", "己", "庚")] == ["A"] * 4
    assert labels["辛"] == "C"
    assert "跨过 80%" in check(ABC, ["A", "A", "B", "B", "C", "A", "B", "C"]).message


def test_the_threshold_counts_as_high():
    feedback = check(CREDIT, ["明星", "黄金", "垃圾", "垃圾", "垃圾"])
    assert not feedback and "等于阈值" in feedback.message


def test_quadrant_answers_follow_portfolio_quadrants():
    data = given(CLV)["customers"]
    q = portfolio.quadrants(data, x="current_value", y="future_value", scheme="clv_matrix",
                            split=("median", 1000))
    assert q.attrs["thresholds"] == {"x": float(pd.Series(data["current_value"]).median()),
                                     "y": 1000.0}
    swapped = portfolio.quadrants(data, x="future_value", y="current_value",
                                  scheme="clv_matrix", split=("median", 1000))
    names = {"vip": "贵宾型", "improve": "改进型", "maintain": "维持型", "abandon": "放弃型"}
    assert "弄反" in check(CLV, swapped["quadrant"].map(names).tolist()).message


def test_visit_plan_task_and_its_slips():
    assert expected_answer(VISITS) == (3 * 3 + 5 * 2 + 12) * 12
    assert "一个月" in check(VISITS, 31).message
    assert check(STRATEGY, "b")


def test_discussion_is_acknowledged_not_graded():
    feedback = check(DISCUSS, "风险客户不一定淘汰，应该先调查信用情况，"
                              "再改变交易条件，例如缩短账期。")
    assert feedback.status == "noted"
