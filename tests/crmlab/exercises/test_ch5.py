"""Chapter 5 exercises: only this chapter's own cases (the generic ones are in test_core)."""

from crmlab import complaints, datasets, glossary, loyalty
from crmlab.exercises import check, expected_answer, get_task, given, tasks

IDS = tasks("ch5")
NEXT, ILLEGAL, SLA_HAND, SLA, PARETO, REOPEN, REPEAT, COHORT, CHURN, TALK = IDS


def test_ten_tasks_with_one_discussion():
    assert len(IDS) == 10
    assert check(TALK, "我认为不应该制造投诉，因为处理得差的顾客流失最多。").status == "noted"


def test_the_next_step_is_the_workflow_table():
    steps = given(NEXT)["steps"]
    letter = expected_answer(NEXT)
    assert complaints.next_steps(steps[-1]) == ("closed", "analyse")
    assert "analyse" in given(NEXT)["options"][letter]


def test_hand_calculations_by_hand():
    assert expected_answer(ILLEGAL) == 4            # analyse -> approve skips propose
    assert abs(expected_answer(SLA_HAND) - 5 / 7) < 1e-12   # W1 W2 W4 W6 W7 of 7 settled
    assert abs(expected_answer(REPEAT) - 2 / 6) < 1e-12     # 乙, 己; 甲 and 丁 twice on one day
    assert "W8" in check(SLA_HAND, 5 / 8).message
    assert "同一天" in check(REPEAT, 4 / 6).message


def test_exercise_data_differ_from_the_lecture_data():
    log = datasets.load_synthetic("complaint_log")
    lecture = complaints.sla_by_department(log, sla_days=7).set_index("department")
    assert abs(expected_answer(SLA)[1] - lecture.loc["logistics", "sla_compliance"]) > 0.001
    assert abs(expected_answer(REOPEN) - complaints.reopen_rate(log)["reopen_rate"].iloc[0]) > 0.001
    cohorts = loyalty.cohort_retention(datasets.load_synthetic("cohort_transactions"))
    assert abs(expected_answer(COHORT) - cohorts.loc["2023-04", 3]) > 0.001
    orders = datasets.load_synthetic("shop_orders")
    growth = loyalty.customer_growth(orders, period="Q").set_index("period")
    assert abs(expected_answer(CHURN) - growth.loc["2024Q4", "churn_rate"]) > 0.001


def test_cohort_month_counting_slips_are_named():
    slips = get_task(COHORT).mistakes
    for slip in slips[:2]:
        assert "第 0 个月" in check(COHORT, slip.answer(given(COHORT))).message
    assert "同期群的人数" in check(COHORT, slips[2].answer(given(COHORT))).message


def test_the_slowest_department_is_asked_and_checked_with_its_rate():
    code, rate = expected_answer(SLA)
    chinese = glossary.value_label("department", code)
    assert check(SLA, (chinese, round(rate, 4))) and check(SLA, (code.upper(), rate))
    other = next(zh for c, (zh, _) in glossary.VALUES["department"].items()
                 if c not in (code, "unassigned"))
    wrong = check(SLA, (other, rate))
    assert not wrong and "部门不对" in wrong.message and code not in wrong.message
    assert "两个值" in check(SLA, rate).message            # asked two things
    assert "除以 100" in check(SLA, (chinese, rate * 100)).message
