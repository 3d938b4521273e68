"""Chapter 0 exercises: only this chapter's own cases (the generic ones are in test_core)."""

from crmlab import customer_file as cf
from crmlab import datasets
from crmlab.exercises import check, expected_answer, given, tasks

IDS = tasks("ch0")
RECORDS, CUSTOMERS, SPEND, PART, SHARE = IDS[0], IDS[2], IDS[3], IDS[4], IDS[5]


def test_exercise_data_differ_from_the_lecture_data():
    lecture_records, orders, contacts = datasets.load_customer_file_example()
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


# --- the quiz: the lecture's 练习题 of chapters 1-2 (ex7-ex16) ---------------------------

QUIZ_IDS = IDS[6:16]
#: The answers printed in 《客户关系管理练习题》: chapter 1 questions 1-5, chapter 2 questions 1-5.
PRINTED = "CCDAC" + "BBBDC"


def test_the_quiz_expects_the_answers_printed_in_the_lecture():
    assert len(QUIZ_IDS) == 10
    assert "".join(expected_answer(task_id) for task_id in QUIZ_IDS) == PRINTED
    chapters = [given(task_id)["lecture_chapter"] for task_id in QUIZ_IDS]
    assert chapters == [1] * 5 + [2] * 5


def test_every_wrong_option_gets_a_hint_and_the_question_data_do_not_reveal_the_answer():
    from crmlab.exercises import get_task

    for task_id in QUIZ_IDS:
        task = get_task(task_id)
        data = given(task_id)
        assert set(data) == {"lecture_chapter", "question", "options"}
        wrong = set(data["options"]) - {expected_answer(task_id)}
        assert {slip for slip, _ in task.slips} == wrong
        assert check(task_id, expected_answer(task_id).lower())


def test_the_solution_notebook_prints_each_question_and_notes_the_doubtful_answer():
    import nbformat

    from tests.conftest import ROOT

    nb = nbformat.read(ROOT / "solutions" / "00_overview_exercises.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for task_id in QUIZ_IDS:
        data = given(task_id)
        assert data["question"] in markdown
        for letter, text in data["options"].items():
            assert f"- {letter}. {text}" in markdown
    # the levels question (ex14): the printed answer B is kept; the note says why C also fits
    levels = QUIZ_IDS[7]
    assert "等级层次" in given(levels)["question"] + str(given(levels)["options"])
    assert "做完再看" in markdown and "社交" in markdown
    assert "社交" in check(levels, "C").message
