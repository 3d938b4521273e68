"""check() gives feedback for every task and never raises, whatever it is given."""

import contextlib
import io
import math
import pkgutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crmlab.exercises as ex
from crmlab.exercises import _core

CHAPTERS = sorted(m.name for m in pkgutil.iter_modules(ex.__path__) if not m.name.startswith("_"))
ALL_TASKS = [task_id for chapter in CHAPTERS for task_id in ex.tasks(chapter)]


def test_there_are_tasks():
    assert "ch0" in CHAPTERS and len(ex.tasks("ch0")) >= 4


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_expected_answer_is_accepted(task_id, capsys):
    assert ex.check(task_id, ex.expected_answer(task_id)) is True
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_each_typical_mistake_gets_its_own_hint(task_id, capsys):
    task = ex.get_task(task_id)
    for mistake in task.mistakes:
        assert ex.check(task_id, mistake.answer()) is False
        out = capsys.readouterr().out
        assert out.startswith("❌") and mistake.hint in out, out


@pytest.mark.parametrize("task_id", ALL_TASKS)
def test_placeholder_says_not_answered(task_id, capsys):
    assert ex.check(task_id, ...) is False
    assert "尚未作答" in capsys.readouterr().out


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


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task_id=st.sampled_from(ALL_TASKS + ["ch9.ex1", "", "ch0"]), answer=WEIRD)
def test_check_never_raises(task_id, answer):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        result = ex.check(task_id, answer)
    out = buffer.getvalue()
    assert isinstance(result, bool)
    assert out[:1] in {"✅", "❌", "⏳"}, out
    assert "Traceback" not in out


@pytest.mark.parametrize("bad_id", [None, 3, ["ch0.ex1"]])
def test_bad_task_ids_get_guidance(bad_id, capsys):
    assert ex.check(bad_id, 1) is False
    assert capsys.readouterr().out.startswith("❌")


def test_string_number_gets_specific_guidance(capsys):
    ex.check("ch0.ex1", str(ex.expected_answer("ch0.ex1")))
    assert "去掉引号" in capsys.readouterr().out


def test_wrong_length_is_explained(capsys):
    ex.check("ch0.ex2", ["13800138000"])
    assert "需要 4 个元素，你给了 1 个" in capsys.readouterr().out


def test_a_bug_in_a_task_is_reported_not_raised(capsys):
    broken = _core.Task(id="zz.broken", kind="number", expected=lambda: 1 / 0, hint="")
    _core.register(broken)
    try:
        assert ex.check("zz.broken", 1) is False
        assert "无法检查" in capsys.readouterr().out
    finally:
        _core._REGISTRY.pop("zz.broken")


def test_task_kind_is_validated():
    with pytest.raises(ValueError, match="kind='essay'"):
        _core.Task(id="x", kind="essay", expected=lambda: 1, hint="")
