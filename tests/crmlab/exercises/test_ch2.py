"""Chapter 2 exercises: only this chapter's own cases (the generic ones are in test_core)."""

import pandas as pd
import pytest

from crmlab import clv, equity
from crmlab.exercises import check, expected_answer, get_task, given, tasks
from crmlab.synthetic.cards import illustrative_card_data

IDS = tasks("ch2")
PVS, CLV_ACQ, MULTIPLE, RISK, CARDS, CLOSING, FOCUS, RETENTION = IDS[:8]


def test_hand_answers_rounded_as_the_questions_ask_are_right():
    assert check(PVS, [185.19, 171.47, 158.77])
    assert check(RISK, 297.45)
    assert check(CLOSING, 29_332_619)
    assert check(RETENTION, 458)


def test_rounding_too_early_gets_the_rounding_hint_not_a_concept_hint():
    assert "取整" in check(PVS, [185.2, 171.5, 158.8]).message
    assert "取整" in check(RISK, 297).message          # asked: 保留两位小数
    near = check(CLV_ACQ, round(expected_answer(CLV_ACQ)) + 2)
    assert "很接近" in near.message and "忘了" not in near.message  # no slip claims it


def test_a_different_cause_close_to_the_answer_gets_its_own_hint_not_rounding():
    assert "乘数" in check(RETENTION, 0.92).message             # not "增长的比例"
    assert "增长的比例" in check(RETENTION, 0.52).message
    data = given(IDS[8])
    spend_to_30 = get_task(IDS[8]).mistakes
    hints = [m.hint for m in spend_to_30 if "12 月 31 日" in m.hint]
    assert hints and hints[0] in check(IDS[8], spend_to_30[
        [m.hint for m in spend_to_30].index(hints[0])].answer(data)).message


def test_a_cost_written_as_negative_clv_gets_the_sign_hint():
    assert "符号反了" in check(MULTIPLE, -expected_answer(MULTIPLE)).message


def test_the_rounded_average_in_the_extension_gets_its_own_hint():
    # 65 000 × 268.81 (the displayed, rounded average) instead of 28 225 000 / 105 000
    assert "未取整" in check(CLOSING, 30_000 * 341 + 10_000 * 163 + 65_000 * 268.81).message


def test_the_extension_reproduces_the_printed_closing_balance():
    assert round(expected_answer(CLOSING)) == 29_332_619


def test_the_focus_question_is_a_discussion_whose_model_answer_is_computed():
    feedback = check(FOCUS, "获取新顾客：新客户的人均价值太低，流失的反而是低价值顾客。")
    assert feedback.status == "noted" and bool(feedback)
    parts = equity.decompose(equity.equity_movement(**given(FOCUS)))
    # the model answer quotes the exact decomposition: lost + new + CLTV change = total
    for number in parts["equity_change"]:
        assert f"{number:+,.0f}" in feedback.model_answer
    assert "+1,132,619" in feedback.model_answer
    assert "获取工作的质量" in feedback.model_answer
    assert "维系工作不差" not in feedback.model_answer  # refuted reading


def test_card_data_differ_from_the_lecture_cards():
    lecture = clv.card_clv(illustrative_card_data(), window=3, rate=0.10,
                           margin_rate=0.005).set_index("customer_id")
    task = given(CARDS)
    assert expected_answer(CARDS) != lecture.at[task["customer"], "clv"]


def test_a_rate_instead_of_a_clv_is_recognised():
    assert "贴现率" in check(RISK, 0.13).message
    assert get_task(RISK).kind.unit == "元"


CDNOW = IDS[8]


def test_cdnow_task_uses_the_cohort_and_dollars():
    data = given(CDNOW)["transactions"]
    first = data.groupby("customer_id")["date"].min()
    assert first.max() < pd.Timestamp("1997-04-01")          # one acquisition cohort
    assert get_task(CDNOW).kind.unit == "美元"


def test_cdnow_answer_by_hand():
    data = given(CDNOW)["transactions"]
    h2 = data[(data["date"] >= "1997-07-01") & (data["date"] < "1998-01-01")]
    h1 = data[(data["date"] >= "1998-01-01") & (data["date"] < "1998-07-01")]
    spend = h2.groupby("customer_id")["amount"].sum()
    r = spend.index.isin(h1["customer_id"]).mean()
    m = 0.30 * spend.mean()
    assert expected_answer(CDNOW) == pytest.approx(m * r / (1.05 - r))
    assert check(CDNOW, round(m * r / (1.05 - r), 2))


@pytest.mark.parametrize("slip, words", [
    ("revenue", "利润率"), ("per_transaction", "按 customer_id"), ("cohort", "23 570"),
])
def test_cdnow_slips_get_their_hint(slip, words):
    data = given(CDNOW)["transactions"]
    h2 = data[(data["date"] >= "1997-07-01") & (data["date"] < "1998-01-01")]
    h1 = data[(data["date"] >= "1998-01-01") & (data["date"] < "1998-07-01")]
    spend = h2.groupby("customer_id")["amount"].sum()
    r = spend.index.isin(h1["customer_id"]).mean()
    m = 0.30 * spend.mean()
    if slip == "revenue":
        m = spend.mean()
    elif slip == "per_transaction":
        m = 0.30 * h2["amount"].mean()
    else:
        r = h1["customer_id"].nunique() / data["customer_id"].nunique()
    assert words in check(CDNOW, m * r / (1.05 - r)).message
