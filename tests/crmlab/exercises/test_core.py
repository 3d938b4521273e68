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
NUMERIC = [t for t in GRADED if isinstance(ex.get_task(t).kind, ex.Number)]


def _slip_matches(task_id, value):
    task = ex.get_task(task_id)
    value = task.kind.coerce(value, task.answer)
    return any(task.kind.match_slip(value, wrong) for wrong, _ in task.slips)


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
    for mistake in task.mistakes:
        wrong = mistake.answer(task.question())  # raises if a slip fails to compute
        feedback = ex.check(task_id, wrong)
        assert feedback.status == "wrong" and not feedback, feedback
        if task.kind.trivial(task.kind.normalise(wrong)) and not mistake.trivial:
            # a slip that computes to 0 or 1 does not claim that answer
            assert mistake.hint not in feedback.message, feedback
        else:
            assert mistake.hint in feedback.message and feedback.message.count("提示") == 1


@pytest.mark.parametrize("task_id", GRADED)
def test_mistakes_differ_from_the_answer_and_from_each_other(task_id):
    task = ex.get_task(task_id)
    for index, (wrong, _) in enumerate(task.slips):
        assert not task.kind.match(wrong, task.answer), f"slip {index} equals the answer"
        for other, _ in task.slips[index + 1:]:
            assert not task.kind.match_slip(wrong, other), f"slip {index} claims another's value"


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_placeholder_says_not_answered(task_id):
    feedback = ex.check(task_id, ...)
    assert feedback.status == "pending" and "尚未作答" in str(feedback) and not feedback


def _map(answer, function):
    """Apply ``function`` to every number of an answer (a number, list, dict or (name, number))."""
    if isinstance(answer, float | int):
        return function(float(answer))
    if isinstance(answer, dict):
        return {k: function(v) for k, v in answer.items()}
    if isinstance(answer, tuple):
        return (answer[0], function(answer[1]))
    return [function(v) for v in answer]


def _numbers(answer):
    numbers = _map(answer, float)
    if isinstance(numbers, float):
        return [numbers]
    if isinstance(numbers, dict):
        return list(numbers.values())
    return [numbers[1]] if isinstance(numbers, tuple) else numbers


@pytest.mark.parametrize("task_id", NUMERIC)
def test_an_answer_rounded_to_the_stated_precision_is_right(task_id):
    task = ex.get_task(task_id)
    if task.kind.rtol is not None:
        return
    rounded = _map(task.answer, lambda v: round(v, task.kind.decimals))
    assert ex.check(task_id, rounded).status == "right"


#: the words of each form hint: a hint names its cause
FORM = {"sign": "符号反了", "rounding": "取整（或截断）", "percent": "除以 100",
        "fraction": "乘以 100", "whole": "本题要一个整数", "near": "很接近了"}
#: trivial variants of the right answer and the form hints each may get (the cause that
#: produced it); every other form hint would name a different cause
VARIANTS = {
    "zero": (lambda v: 0.0, set()),
    "negated": (lambda v: -v, {"sign"}),
    "plus one": (lambda v: v + 1, {"near"}),
    "minus one": (lambda v: v - 1, {"near"}),
    "times 100": (lambda v: v * 100, {"percent"}),
    "divided by 100": (lambda v: v / 100, {"fraction", "whole"}),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("task_id", NUMERIC)
def test_trivial_variants_never_get_a_hint_naming_another_cause(task_id, variant):
    task = ex.get_task(task_id)
    change, allowed = VARIANTS[variant]
    value = _map(task.answer, change)
    feedback = ex.check(task_id, value)
    if feedback.status == "right":
        return  # e.g. the negation of 0
    if all(task.kind.close(-a, e) for a, e in zip(_numbers(value), _numbers(task.answer),
                                                   strict=True)):
        allowed = allowed | {"sign"}  # 0.5 - 1 is also the negation of 0.5
    named = {cause for cause, words in FORM.items() if words in feedback.message}
    assert named <= allowed, (variant, feedback)
    if variant == "zero":  # no slip claims 0 unless it is about writing 0
        claims = [m for m in task.mistakes if m.hint in feedback.message]
        assert all(m.trivial for m in claims), feedback


@pytest.mark.parametrize("task_id", NUMERIC)
def test_typical_slips_of_form_get_their_hint(task_id):
    """A flipped sign, a coarser rounding, a percent, a decimal count: each gets its hint."""
    task = ex.get_task(task_id)
    kind, answer = task.kind, task.answer
    values = _numbers(answer)
    if all(v != 0 for v in values):
        flipped = _map(answer, lambda v: -v)
        if not _slip_matches(task_id, flipped):
            assert FORM["sign"] in ex.check(task_id, flipped).message
    if kind.rtol is None and kind.decimals and all(
            abs(round(v, kind.decimals - 1) - v) > kind.tolerance(v) for v in values):
        coarse = _map(answer, lambda v: round(v, kind.decimals - 1))
        if not _slip_matches(task_id, coarse):
            assert FORM["rounding"] in ex.check(task_id, coarse).message, coarse
    if kind.form != "number" and all(v != 0 for v in values):
        other = _map(answer, (lambda v: v * 100) if kind.form == "fraction" else
                     (lambda v: v / 100))
        words = FORM["percent"] if kind.form == "fraction" else FORM["fraction"]
        assert words in ex.check(task_id, other).message
    if kind.whole and all(v == round(v) for v in values):   # a model's expected count is no count
        feedback = ex.check(task_id, _map(answer, lambda v: v + 0.4))
        assert feedback.status == "wrong" and FORM["whole"] in feedback.message


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
    feedback = ex.check(task_id, ex.expected_answer(task_id))  # an answer with substance
    assert feedback.status == "noted" and feedback.model_answer
    assert "✅" not in str(feedback).splitlines()[0] and not str(feedback).startswith("❌")
    assert ex.check(task_id, "对").status == "format"  # too short to be a reason
    assert ex.check(task_id, "啊" * 40).status == "format"  # characters, not substance


@pytest.mark.parametrize("task_id", ["ch1.ex11", "ch2.ex7", "ch4.ex10", "ch5.ex10"])
def test_a_discussion_unlocks_the_model_answer_only_for_an_answer_on_the_question(task_id):
    off_topic = "我觉得这道题很有意思，值得好好想一想，我完全同意书上的看法。"
    feedback = ex.check(task_id, off_topic)
    assert feedback.status == "format" and not feedback.model_answer, feedback


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
    assert "小数 (float)" in ex.check("ch0.ex5", 3.5).message


def test_an_option_number_is_answered_with_its_letter():
    for answer in (1, "1", "第一条", "第1个", " 一 "):
        feedback = ex.check("ch1.ex10", answer)
        assert feedback.status == "format" and '请写 "A"' in feedback.message, feedback
    assert "A、B、C、D" in ex.check("ch1.ex10", 7).message
    assert ex.check("ch1.ex10", ex.expected_answer("ch1.ex10").lower())


LABELS = [t for t in GRADED if isinstance(ex.get_task(t).kind, ex.Labels)]
CHOICES = [t for t in GRADED if isinstance(ex.get_task(t).kind, ex.Choice)]


@pytest.mark.parametrize("task_id", LABELS)
def test_labels_ignore_case_and_name_the_wrong_one(task_id):
    answer = ex.get_task(task_id).answer
    assert ex.check(task_id, [label.lower() for label in answer])
    assert ex.check(task_id, [f" {label.upper()} " for label in answer])
    wrong = [*answer[:-1], "不是这个"]
    assert "（'不是这个'）不对" in ex.check(task_id, wrong).message


@pytest.mark.parametrize("task_id", CHOICES)
def test_every_choice_reads_letters_in_any_case_and_explains_option_numbers(task_id):
    task = ex.get_task(task_id)
    assert ex.check(task_id, f" {task.answer.lower()} ")
    letters = list(task.kind.options)
    number = letters.index(task.answer) + 1
    feedback = ex.check(task_id, number)
    assert feedback.status == "format" and f'请写 "{task.answer}"' in feedback.message


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


def test_percent_form_and_relative_tolerance_kinds():
    chapter = ex.Chapter("zzkinds")
    try:
        percent = chapter.task(ex.Share(decimals=1, form="percent"), expected=lambda g: 27.5)
        relative = chapter.task(ex.Number(rtol=0.01), expected=lambda g: 200.0)
        assert ex.check(percent.id, 27.5) and ex.check(percent.id, 27.46)
        assert "乘以 100" in ex.check(percent.id, 0.275).message
        assert ex.check(relative.id, 201.9) and not ex.check(relative.id, 203)
        assert "符号反了" in ex.check(relative.id, -200).message
        assert relative.kind.precision() == "误差不超过 1%"
    finally:
        for key in [k for k in _core._REGISTRY if k.startswith("zzkinds.")]:
            _core._REGISTRY.pop(key)


def test_a_custom_kind_plugs_in():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Upper(ex.Kind):
        def what(self):
            return "一个大写单词（字符串 str）"

        def coerce(self, value, expected):
            if not isinstance(value, str):
                raise ex.AnswerFormatError(f"你给的是{ex.describe_type(value)}。")
            return value

        def diagnose(self, answer, expected):
            return "全部用大写字母。" if answer.upper() == expected else None

    chapter = ex.Chapter("zzcustom")
    try:
        task = chapter.task(Upper(), expected=lambda g: "RFM", hint="想一想三个字母。")
        assert ex.check(task.id, "RFM").status == "right"
        assert "大写" in ex.check(task.id, "rfm").message
        assert "本题需要一个大写单词" in ex.check(task.id, 3).message
    finally:
        _core._REGISTRY.pop("zzcustom.ex1")
