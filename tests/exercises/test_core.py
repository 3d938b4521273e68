"""Generic checks, once, for every registered task of every chapter.

check() gives feedback for every task, shows only the feedback, never raises
(whatever it is given, however large or endless), and the precision hints work
the same way in every chapter.
"""

import contextlib
import io
import itertools
import math
import re
import sys
import time

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmlab.exercises as ex
from crmlab.exercises import _core
from tests.conftest import ROOT

CHAPTERS = ex.chapters()
ALL_TASKS = [task_id for chapter in CHAPTERS for task_id in ex.tasks(chapter)]
GRADED = [t for t in ALL_TASKS if ex.get_task(t).kind.graded]
DISCUSSION = [t for t in ALL_TASKS if not ex.get_task(t).kind.graded]
SCALARS = [t for t in GRADED if type(ex.get_task(t).kind) in (ex.Number, ex.Share)]
SHARES = [t for t in GRADED if isinstance(ex.get_task(t).kind, ex.Share)]
NUMERIC = [t for t in GRADED if isinstance(ex.get_task(t).kind, ex.Number)]


def _slip_matches(task_id, value):
    task = ex.get_task(task_id)
    return any(task.kind.match(task.kind.normalise(value), wrong) for wrong, _ in task.slips)


def test_every_chapter_module_imports_and_numbers_its_tasks_in_order():
    assert "ch0" in CHAPTERS
    for chapter in CHAPTERS:
        ids = ex.tasks(chapter)
        assert ids == [f"{chapter}.ex{k}" for k in range(1, len(ids) + 1)], ids
        assert len(ids) >= 4


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_expected_answer_is_accepted(task_id):
    feedback = ex.check(task_id, ex.expected_answer(task_id))
    if task_id in DISCUSSION:
        assert feedback.status == "noted" and "✅" not in feedback.message
    else:
        assert feedback.status == "right" and bool(feedback) is True
        assert str(feedback).startswith("✅")


@pytest.mark.parametrize("task_id", GRADED)
def test_each_typical_mistake_gets_its_own_hint(task_id):
    task = ex.get_task(task_id)
    assert len(task.slips) == len(task.mistakes), "a slip failed to compute"
    for mistake in task.mistakes:
        feedback = ex.check(task_id, mistake.answer(task.question()))
        assert feedback.status == "wrong" and not feedback, feedback
        assert mistake.hint in feedback.message and feedback.message.count("提示") == 1


@pytest.mark.parametrize("task_id", GRADED)
def test_mistakes_differ_from_the_answer_and_from_each_other(task_id):
    task = ex.get_task(task_id)
    for index, (wrong, _) in enumerate(task.slips):
        assert not task.kind.match(wrong, task.answer), f"slip {index} equals the answer"
        for other, _ in task.slips[index + 1:]:
            assert not task.kind.match(wrong, other) or task.kind.match(other, wrong) is False


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_placeholder_says_not_answered(task_id):
    feedback = ex.check(task_id, ...)
    assert feedback.status == "pending" and "尚未作答" in str(feedback) and not feedback


@pytest.mark.parametrize("task_id", NUMERIC)
def test_an_answer_rounded_to_the_stated_precision_is_right(task_id):
    kind = ex.get_task(task_id).kind
    answer = ex.get_task(task_id).answer
    if kind.rtol is not None:
        return
    rounded = (round(answer, kind.decimals) if isinstance(answer, float) else
               [round(v, kind.decimals) for v in answer] if isinstance(answer, list) else
               {k: round(v, kind.decimals) for k, v in answer.items()})
    assert ex.check(task_id, rounded).status == "right"


@pytest.mark.parametrize("task_id", SCALARS)
def test_a_near_miss_gets_the_rounding_hint_and_a_flipped_sign_the_sign_hint(task_id):
    task = ex.get_task(task_id)
    answer, kind = task.answer, task.kind
    near = answer + 3 * kind.tolerance(answer)
    if not _slip_matches(task_id, near):
        assert "精度" in ex.check(task_id, near).message
    if answer != 0 and not _slip_matches(task_id, -answer):
        assert "符号反了" in ex.check(task_id, -answer).message


@pytest.mark.parametrize("task_id", SHARES)
def test_the_other_percent_form_gets_a_precise_hint(task_id):
    task = ex.get_task(task_id)
    other = task.answer * 100 if task.kind.form == "fraction" else task.answer / 100
    assert ("除以 100" if task.kind.form == "fraction" else "乘以 100") in \
        ex.check(task_id, other).message


def _task_markdown(task_id):
    """The markdown between the previous check cell and the one of ``task_id``."""
    chapter = task_id.split(".")[0]
    number = chapter[2:].zfill(2)
    path = next((ROOT / "solutions").glob(f"{number}_*.ipynb"))
    text = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            text.append(cell.source)
        elif f'check("{task_id}"' in cell.source:
            return "\n".join(text)
        elif "check(" in cell.source:
            text = []
    raise AssertionError(f"no check cell for {task_id} in {path.name}")


@pytest.mark.parametrize("task_id", NUMERIC)
def test_every_numeric_task_states_its_precision_in_the_question(task_id):
    precision = ex.get_task(task_id).kind.precision()
    assert precision and precision in _task_markdown(task_id), precision


@pytest.mark.parametrize("task_id", DISCUSSION)
def test_discussion_is_acknowledged_with_the_model_answer_never_graded(task_id):
    feedback = ex.check(task_id, "我认为应该先看流失客户的价值，再看新客户的质量。")
    assert feedback.status == "noted" and feedback.model_answer
    assert "✅" not in str(feedback).splitlines()[0] and not str(feedback).startswith("❌")
    assert ex.check(task_id, "对").status == "format"  # too short to be a reason


def test_feedback_shows_only_the_feedback_coloured_in_jupyter_plain_elsewhere():
    right = ex.check("ch0.ex1", ex.expected_answer("ch0.ex1"))
    assert repr(right) == str(right) == "✅ 正确！"
    assert "True" not in repr(right) and "background" in right._repr_html_()
    wrong = ex.check("ch0.ex1", "<b>1</b>")
    assert "&lt;b&gt;" in wrong._repr_html_()  # the student's text is escaped
    assert bool(right) is True and bool(wrong) is False


@pytest.mark.parametrize(("encoding", "mark"), [("gbk", "[对]"), ("ascii", "[OK]"),
                                                ("utf-8", "✅")])
def test_consoles_that_cannot_print_emoji_get_plain_marks(encoding, mark, monkeypatch):
    right = ex.check("ch0.ex1", ex.expected_answer("ch0.ex1"))
    assert right.text(encoding).startswith(mark)
    console = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    monkeypatch.setattr(sys, "stdout", console)
    print(ex.check("ch0.ex1", "1"))  # the console's own encoding: never UnicodeEncodeError
    print(repr(ex.check("ch0.ex1", ex.expected_answer("ch0.ex1"))))
    console.flush()
    assert mark.encode(encoding) in console.buffer.getvalue()


@pytest.mark.parametrize("task_id", ["ch0.ex1", "ch0.ex2", "ch0.ex5"]
                         + [ex.tasks(c)[0] for c in CHAPTERS])
@pytest.mark.parametrize("answer", [itertools.count(), itertools.repeat("a"),
                                    (x for x in iter(int, 1)), range(10**12),
                                    np.zeros(2_000_000), "x" * 5_000_000, 10**5000,
                                    {i: i for i in range(50_000)}],
                         ids=["count", "repeat", "generator", "range", "array", "text",
                              "bigint", "dict"])
def test_endless_and_huge_answers_are_bounded(task_id, answer):
    start = time.monotonic()
    feedback = ex.check(task_id, answer)
    assert time.monotonic() - start < 6
    assert feedback.status in ("format", "wrong") and len(feedback.message) < 400


class _SlowIterable:
    def __iter__(self):
        time.sleep(30)
        yield "1"


def test_a_slow_answer_times_out(monkeypatch):
    monkeypatch.setattr(ex.Labels, "time_limit", 0.3)
    start = time.monotonic()
    feedback = ex.check("ch0.ex2", _SlowIterable())
    assert time.monotonic() - start < 3 and "超时" in feedback.message


WEIRD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.binary(max_size=5),
    st.lists(st.one_of(st.integers(), st.floats(), st.text(max_size=3), st.none()), max_size=8),
    st.dictionaries(st.text(max_size=3), st.one_of(st.floats(), st.text(max_size=3)), max_size=4),
    st.sets(st.integers(), max_size=3),
    st.builds(lambda n: np.full((n, 2), np.nan), st.integers(0, 3)),
    st.builds(lambda xs: pd.Series(xs, dtype=object), st.lists(st.integers(), max_size=5)),
    st.builds(lambda n: pd.DataFrame({"a": range(n)}), st.integers(0, 3)),
    st.just(object()), st.just(print), st.just(math.pi), st.just(np.float64("nan")),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_id=st.sampled_from(ALL_TASKS + ["ch9.ex1", "", "ch0", "ch0.ex99"]), answer=WEIRD)
def test_check_never_raises(task_id, answer):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        feedback = ex.check(task_id, answer)
    assert buffer.getvalue() == ""  # nothing printed: the returned object is the feedback
    assert isinstance(feedback, ex.Feedback)
    assert str(feedback)[:1] in {"✅", "❌", "⏳", "📝"}, str(feedback)
    assert "Traceback" not in str(feedback)


@pytest.mark.parametrize("bad_id", [None, 3, ["ch0.ex1"]])
def test_bad_task_ids_get_guidance(bad_id):
    assert ex.check(bad_id, 1).status == "format"


def test_types_are_named_in_chinese_with_the_english_in_brackets():
    assert "序列 (Series)" in ex.check("ch0.ex1", pd.Series([1, 2])).message
    assert "数据表 (DataFrame)" in ex.check("ch0.ex1", pd.DataFrame({"a": [1, 2]})).message
    assert "字符串 (str)" in ex.check("ch0.ex5", 3).message or "整数 (int)" in \
        ex.check("ch0.ex5", 3).message


def test_a_format_problem_is_said_once():
    message = ex.check("ch0.ex1", "317").message
    assert message.count("本题需要") == 1 and "去掉引号" in message


def test_a_bug_in_a_task_is_reported_not_raised():
    broken = _core.Task(id="zz.broken", kind=ex.Number(decimals=0), expected=lambda g: 1 / 0)
    _core.register(broken)
    try:
        assert ex.check("zz.broken", 1).status == "error"
    finally:
        _core._REGISTRY.pop("zz.broken")


def test_a_chapter_that_fails_to_import_reports_its_own_error(tmp_path, monkeypatch):
    (tmp_path / "chzz.py").write_text("raise RuntimeError('boom in chapter zz')\n")
    monkeypatch.setattr(ex, "__path__", [*ex.__path__, str(tmp_path)])
    monkeypatch.delitem(sys.modules, "crmlab.exercises.chzz", raising=False)
    feedback = ex.check("chzz.ex1", 1)
    assert feedback.status == "error" and "boom in chapter zz" in feedback.message
    with pytest.raises(ImportError, match="boom"):
        ex.tasks("chzz")
    _core._BROKEN.pop("chzz", None)


def test_task_kind_is_validated():
    with pytest.raises(TypeError, match="answer kind"):
        _core.Task(id="x", kind="number", expected=lambda g: 1)


def test_given_returns_a_private_copy():
    data = ex.given("ch0.ex1")
    data["records"].iloc[0, 0] = "changed"
    assert ex.given("ch0.ex1")["records"].iloc[0, 0] != "changed"
    assert ex.check("ch0.ex1", ex.expected_answer("ch0.ex1"))


def test_chapter_helper_numbers_tasks_in_order():
    chapter = ex.Chapter("crmlab.exercises.zzz")
    try:
        first = chapter.task(ex.Number(decimals=0), expected=lambda g: 1)
        demo = chapter.task(ex.Number(decimals=0), expected=lambda g: 1, key="demo")
        second = chapter.task(ex.Number(decimals=0), expected=lambda g: 2)
        assert (first.id, demo.id, second.id) == ("zzz.ex1", "zzz.demo", "zzz.ex2")
        assert ex.tasks("zzz") == ["zzz.ex1", "zzz.ex2"]
    finally:
        for key in [k for k in _core._REGISTRY if k.startswith("zzz.")]:
            _core._REGISTRY.pop(key)


def test_list_feedback_names_the_wrong_elements():
    right = ex.expected_answer("ch0.ex2")
    wrong = [*right[:2], "13000000000", right[3]]
    message = ex.check("ch0.ex2", wrong).message
    assert "第 3 个（'13000000000'）不对" in message and "第 1 个" not in message


def test_the_guide_documents_the_api():
    guide = (ROOT / "crmlab" / "exercises" / "README.md").read_text(encoding="utf-8")
    for name in ex.__all__:
        if name[0].isupper() and name not in ("AnswerFormatError", "Feedback", "Task"):
            assert name in guide, name
    assert re.search(r"# BEGIN SOLUTION", guide)
