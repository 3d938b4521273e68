"""Chapter 6 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import pandas as pd

from crmlab import datasets, probabilistic
from crmlab.exercises import check, expected_answer, given, tasks

IDS = tasks("ch6")
BY_HAND, P_ALIVE, RETENTION, CLV, TARGET, DISCUSS, FIT, HOLDOUT, INTERPRET = IDS[:9]


def test_hand_answers_rounded_as_the_questions_ask_are_right():
    assert check(BY_HAND, [3, 29.71, 34.14])
    assert check(RETENTION, 0.8333)
    assert check(P_ALIVE, round(expected_answer(P_ALIVE), 3))


def test_counting_rows_or_days_or_chapter_3_recency_gets_its_own_hint():
    assert "重复" in check(BY_HAND, [4, 29.71, 34.14]).message
    assert "除以 7" in check(BY_HAND, [3, 208, 239]).message
    assert "近度" in check(BY_HAND, [3, 4.43, 34.14]).message
    # the task states the convention: the end day is not counted once more
    assert "不把 9 月 30 日" in check(BY_HAND, [3, 29.71, 34.29]).message


def test_survival_instead_of_retention_is_recognised():
    model = probabilistic.ShiftedBetaGeometric.from_params(alpha=1.2, beta=4.0)
    assert "存活率" in check(RETENTION, round(model.survival(3), 4)).message
    assert "流失率" in check(RETENTION, round(1 - 0.8333, 4)).message
    # the general hint teaches the derivation, it does not hand over the formula
    hint = check(RETENTION, 0.5).message
    assert "S(3)/S(2)" in hint and "(β + t − 1)" not in hint


def test_clv_without_margin_or_with_the_observed_mean_gets_the_concept_hint():
    assert "利润率" in check(CLV, expected_answer(CLV) / 0.3).message
    assert "Gamma-Gamma" in check(CLV, expected_answer(CLV) * 42.5
                                  / float(probabilistic.GammaGamma.from_params(
                                      p=6.25, q=3.74, gamma=15.44).expected_spend(
                                      pd.DataFrame([given(CLV)["customer"]])).iloc[0])).message


def test_targeting_counts_the_customers_above_the_break_even_clv():
    data = given(TARGET)
    bg = probabilistic.BetaGeo.from_params(**data["bg"])
    gg = probabilistic.GammaGamma.from_params(**data["gg"])
    value = probabilistic.clv(bg, gg, data["customers"], horizon=36,
                              rate=1.15 ** (1 / 12) - 1, margin=0.3, period=52 / 12)
    assert expected_answer(TARGET) == int((value > 30).sum())
    assert 0 < expected_answer(TARGET) < len(data["customers"])
    assert "增量" in check(TARGET, int((value > 3).sum())).message
    # the hint does not give the break-even CLV, and a count off by one is no "rounding"
    general = check(TARGET, 1).message
    assert "CLV > 30" not in general and "30 美元" not in general
    near = check(TARGET, expected_answer(TARGET) + 1).message
    assert "取整" not in near and "多了几位" in near
    assert "复利" in check(TARGET, _count(data, rate=0.15 / 12)).message


def _count(data, *, rate):
    bg = probabilistic.BetaGeo.from_params(**data["bg"])
    gg = probabilistic.GammaGamma.from_params(**data["gg"])
    value = probabilistic.clv(bg, gg, data["customers"], horizon=36, rate=rate, margin=0.3,
                              period=52 / 12)
    return int((0.10 * value > 3).sum())


def test_discounting_at_the_start_of_the_month_is_named():
    assert "月末" in check(CLV, round(expected_answer(CLV) * 1.01, 2)).message


def test_exercise_data_differ_from_the_lecture():
    lecture = probabilistic.calibration_summary(datasets.load_cdnow("sample"),
                                                calibration_end="1997-09-30")
    x, t_x, T = expected_answer(BY_HAND)
    assert not ((lecture["x"] == x) & (lecture["t_x"].round(2) == round(t_x, 2))
                & (lecture["T"].round(2) == round(T, 2))).any()
    assert given(P_ALIVE)["profile"] != {"x": 2, "t_x": 30.43, "T": 38.86}


def test_the_discussion_model_answer_shows_the_computed_probabilities():
    feedback = check(DISCUSS, "甲是常客却很久没来，多半已经离开；乙刚买过，预算应该优先给乙。")
    assert feedback.status == "noted"
    assert "0.005" in feedback.model_answer and "0.907" in feedback.model_answer
    # x counts repeat purchases: 8 of them in the first 12 weeks, about every 1.5 weeks
    assert "重复购买了 8 次" in feedback.model_answer and "1.5 周" in feedback.model_answer
    assert "四五周" not in feedback.model_answer


def test_the_student_fits_a_model_and_checks_it_on_the_holdout():
    data = given(FIT)
    model = probabilistic.BetaGeo().fit(data["summary"])
    p = model.params_
    right = [round(p["r"] / p["alpha"], 3), round(p["a"] / (p["a"] + p["b"]), 3)]
    assert check(FIT, right)
    assert "间隔" in check(FIT, [p["alpha"] / p["r"], right[1]]).message
    predicted = model.conditional_expected_transactions(181 / 7, data["summary"]).sum()
    assert check(HOLDOUT, round(predicted))
    assert "25.86" in check(HOLDOUT, round(model.conditional_expected_transactions(
        26, data["summary"]).sum())).message
    newcomer = model.expected_transactions(181 / 7) * len(data["summary"])
    assert "条件期望" in check(HOLDOUT, round(newcomer)).message
    answer = check(INTERPRET, "预测和实际只差百分之一，平均每 19 周买一次。").model_answer
    assert f"{int(data['summary']['x_star'].sum()):,}" in answer
