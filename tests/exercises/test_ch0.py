"""Chapter 0 exercises: only this chapter's own cases (the generic ones are in test_core)."""

from crmlab import customer_file as cf
from crmlab.exercises import check, expected_answer, given, tasks

IDS = tasks("ch0")
RECORDS, CUSTOMERS, SPEND, PART, SHARE = IDS[0], IDS[2], IDS[3], IDS[4], IDS[5]


def test_exercise_data_differ_from_the_lecture_data():
    lecture_records, orders, contacts = cf.load_example()
    lecture_file = cf.build_customer_file(lecture_records, orders, contacts)
    assert expected_answer(RECORDS) != len(lecture_records)
    assert expected_answer(CUSTOMERS) != len(lecture_file)
    assert given(SPEND)["phone"] not in set(lecture_file["phone"].dropna())
    lecture_share = float((lecture_file["n_records"] >= 2).mean())
    assert abs(expected_answer(SHARE) - lecture_share) > 0.001


def test_the_ex4_customer_is_in_all_three_channels():
    data = given(RECORDS)
    clean = cf.clean_records(data["records"])
    person = cf.match_customers(clean)
    who = person[clean["phone"] == given(SPEND)["phone"]].iloc[0]
    assert clean.loc[person == who, "source"].nunique() == 3


def test_percent_written_as_percent_is_explained():
    assert "除以 100" in check(SHARE, 100 * expected_answer(SHARE)).message
    assert "除以 100" in check(SHARE, round(100 * expected_answer(SHARE), 1)).message


def test_choice_accepts_lower_case_and_option_text():
    assert check(PART, " c ") and check(PART, "C. 企业投入记录")


def test_the_lecture_demo_task_is_not_numbered():
    assert "ch0.demo" not in IDS
    assert check("ch0.demo", "6919").status == "format"
