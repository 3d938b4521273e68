"""crmlab.equity: the printed movement tables, the exact decomposition, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import datasets, equity, glossary

MAIN = ((100_000, 282.0), (15_000, 343.0), (20_000, 294.0), (15_000, 305.0), (15_000, 182.0))
EXTENSION = ((100_000, 282.0), (15_000, 177.0), (20_000, 134.0), (30_000, 341.0),
             (10_000, 163.0))


def _printed(table_name: str) -> pd.DataFrame:
    seed = datasets.load_textbook("ch2_equity_movement")
    return seed[seed["table"] == table_name].set_index("item")


@pytest.mark.parametrize("name, groups", [("main", MAIN), ("extension", EXTENSION)])
def test_equity_movement_reproduces_every_printed_row(name, groups):
    table = equity.equity_movement(*groups).set_index("item")
    printed = _printed(name)
    assert list(table.index) == list(printed.index)
    assert table["customers"].tolist() == printed["customers"].tolist()
    assert table["average_cltv"].round(2).tolist() == printed["average_cltv"].tolist()
    assert table["equity"].round().tolist() == printed["equity"].tolist()


def test_equity_movement_printed_headline_figures():
    main = equity.equity_movement(*MAIN).set_index("item")
    assert round(main.at["closing_balance", "equity"]) == 27_972_857
    assert round(main.at["closing_balance", "average_cltv"], 2) == 266.41
    assert main.at["cltv_unchanged", "customers"] == 75_000
    ext = equity.equity_movement(*EXTENSION).set_index("item")
    assert round(ext.at["closing_balance", "equity"]) == 29_332_619


def test_change_reading_does_not_match_the_print():
    change = equity.equity_movement(*MAIN, reading="change")
    closing = change.set_index("item").at["closing_balance", "equity"]
    assert closing == pytest.approx(28_935_000 + 15_000 * 305 - 15_000 * 182)
    assert round(closing) != 27_972_857


# --- the exact decomposition (COURSE_SPEC chapter 2) ---------------------------

@pytest.mark.parametrize("groups, printed", [
    (MAIN, [-5_145_000, 5_880_000, -962_143, -227_143]),
    (EXTENSION, [-2_655_000, 2_680_000, 1_107_619, 1_132_619]),
])
def test_decompose_reproduces_the_spec_figures(groups, printed):
    parts = equity.decompose(equity.equity_movement(*groups))
    assert parts["part"].tolist() == ["lost_customers", "new_customers", "cltv_change",
                                      "total_change"]
    assert [round(v) for v in parts["equity_change"]] == printed
    # the printed closing and opening balances give the same total change
    table = _printed("main" if groups is MAIN else "extension")["equity"]
    assert round(parts["equity_change"].iloc[-1]) == round(
        table["closing_balance"] - table["opening_balance"])


def test_decompose_maps_parts_to_the_lecture_headings():
    parts = equity.decompose(equity.equity_movement(*MAIN))
    assert parts["heading"].tolist() == ["retention", "acquisition",
                                        "retention_and_acquisition", "overall"]
    shown = parts.pipe(glossary.zh)
    # the third part covers all year-end customers, the new ones included: not purely 维系
    assert shown["对应的分析角度（本课程的解读）"].tolist() == [
        "维系顾客工作绩效", "获取顾客工作绩效", "维系为主，也含获取（新顾客的 CLTV 变化）",
        "整体经营绩效"]
    assert shown["组成部分"].iloc[0] == "流失顾客"


def _groups(data, n0):
    nl = data.draw(st.integers(0, n0))
    nn = data.draw(st.integers(0 if n0 > nl else 1, 5_000))
    n2 = n0 - nl + nn
    nu = data.draw(st.integers(0, n2))
    nd = data.draw(st.integers(0, n2 - nu))
    avg = st.floats(-500, 5000)
    return (nl, data.draw(avg)), (nn, data.draw(avg)), (nu, data.draw(avg)), \
        (nd, data.draw(avg))


@given(st.integers(1, 10_000), st.floats(-500, 5000), st.data(),
       st.sampled_from(["level", "change"]))
@settings(max_examples=80, deadline=None)
def test_decomposition_always_adds_up_to_the_actual_change(n0, a0, data, reading):
    lost, new, up, down = _groups(data, n0)
    table = equity.equity_movement((n0, a0), lost, new, up, down, reading=reading)
    parts = equity.decompose(table).set_index("part")["equity_change"]
    e = table.set_index("item")["equity"]
    actual = e["closing_balance"] - e["opening_balance"]
    scale = max(1.0, *(abs(v) for v in e))
    assert parts["total_change"] == pytest.approx(actual, abs=1e-9 * scale)
    assert parts[["lost_customers", "new_customers", "cltv_change"]].sum() == pytest.approx(
        actual, abs=1e-9 * scale)
    assert parts["lost_customers"] == pytest.approx(-lost[0] * lost[1], abs=1e-9 * scale)
    assert parts["new_customers"] == pytest.approx(new[0] * new[1], abs=1e-9 * scale)


@given(st.integers(1, 10_000), st.floats(-500, 5000), st.data())
@settings(max_examples=60, deadline=None)
def test_equity_movement_identities(n0, a0, data):
    lost, new, up, down = _groups(data, n0)
    t = equity.equity_movement((n0, a0), lost, new, up, down).set_index("item")
    e, n = t["equity"], t["customers"]
    assert e["subtotal_after_gain"] == pytest.approx(
        e["opening_balance"] - e["lost_customers"] + e["new_customers"], abs=1e-6)
    assert n["cltv_up"] + n["cltv_down"] + n["cltv_unchanged"] == n["closing_balance"]
    assert e["closing_balance"] == pytest.approx(
        e["cltv_up"] + e["cltv_down"] + e["cltv_unchanged"], abs=1e-6)
    if up[0] == down[0] == 0:
        assert e["closing_balance"] == pytest.approx(e["subtotal_after_gain"], abs=1e-6)


def test_everyone_lost_still_gives_a_finite_exact_decomposition():
    table = equity.equity_movement((100, 10), (100, 12), (50, 8), (0, 0), (0, 0))
    parts = equity.decompose(table).set_index("part")["equity_change"]
    assert parts.tolist() == pytest.approx([-1200.0, 400.0, 0.0, -800.0])


def test_losing_average_customers_is_a_loss_not_zero():
    # the flaw of the removed "effect vs the average customer" measure: losing 15,000
    # customers of average value scored 0; the decomposition counts their whole CLTV
    table = equity.equity_movement((100_000, 282), (15_000, 282), (0, 0), (0, 0), (0, 0))
    parts = equity.decompose(table).set_index("part")["equity_change"]
    assert parts["lost_customers"] == pytest.approx(-15_000 * 282)
    assert parts["total_change"] == pytest.approx(-15_000 * 282)


# --- bad input ------------------------------------------------------------------

BAD_CASES = [
    (lambda: equity.equity_movement((100, 1), (-1, 1), (0, 1), (0, 1), (0, 1)), ValueError,
     "lost"),
    (lambda: equity.equity_movement((100, 1), (101, 1), (0, 1), (0, 1), (0, 1)), ValueError,
     "lost"),
    (lambda: equity.equity_movement((100, 1), (0, 1), (0, 1), (60, 1), (60, 1)), ValueError,
     "up"),
    (lambda: equity.equity_movement((100, 1), (0, 1), (0, 1), (0, float("nan")), (0, 1)),
     ValueError, "up"),
    (lambda: equity.equity_movement((100, 1), 5, (0, 1), (0, 1), (0, 1)), TypeError, "lost"),
    (lambda: equity.equity_movement((100, 1), (0, 1), (0, 1), (0, 1), (0, 1), reading="x"),
     ValueError, "reading"),
    (lambda: equity.equity_movement((0, 1), (0, 1), (0, 1), (0, 1), (0, 1)), ValueError,
     "opening"),
    (lambda: equity.equity_movement((100, 1e308), (0, 1), (0, 1), (0, 1), (0, 1)),
     ValueError, "opening[1]"),
    (lambda: equity.equity_movement((1e308, 1), (0, 1), (0, 1), (0, 1), (0, 1)),
     ValueError, "opening[0]"),
    (lambda: equity.equity_movement((100, "282"), (0, 1), (0, 1), (0, 1), (0, 1)),
     TypeError, "opening"),
    (lambda: equity.equity_movement((100.5, 282), (0, 1), (0, 1), (0, 1), (0, 1)),
     TypeError, "opening"),
    (lambda: equity.decompose([1, 2]), TypeError, "table"),
    (lambda: equity.decompose(pd.DataFrame({"item": ["opening_balance"], "customers": [1],
                                            "average_cltv": [1.0], "equity": [1.0]})),
     ValueError, "table"),
    (lambda: equity.decompose(pd.DataFrame()), ValueError, "table"),
    (lambda: equity.decompose("table"), TypeError, "table"),
]


@pytest.mark.parametrize("call, error, name", BAD_CASES)
def test_bad_input_is_refused_with_a_named_argument(call, error, name):
    with pytest.raises(error) as info:
        call()
    assert name in str(info.value)


def test_decompose_refuses_nan_equity():
    table = equity.equity_movement(*MAIN)
    table.loc[3, "equity"] = float("nan")
    with pytest.raises(ValueError, match="equity"):
        equity.decompose(table)


BAD_VALUES = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, -5, "100", None,
              [1, 2], np.array([1.0, 2.0]), pd.Series([1.0]), (), 1.5, True]


@given(st.sampled_from(range(5)), st.sampled_from(BAD_VALUES), st.booleans())
@settings(max_examples=120, deadline=None)
def test_property_bad_groups_raise_only_value_or_type_error(position, bad, in_count):
    groups = [list(g) for g in MAIN]
    groups[position][0 if in_count else 1] = bad
    before = [list(g) for g in groups]
    try:
        table = equity.equity_movement(*groups)
    except (ValueError, TypeError):
        pass
    else:
        for part in (equity.decompose(table)["equity_change"], table["equity"]):
            assert np.isfinite(part.to_numpy(dtype=float)).all()
    assert groups == before or any(isinstance(v, float) and math.isnan(v)
                                   for g in groups for v in g)


@given(st.sampled_from(["item", "customers", "average_cltv", "equity"]),
       st.sampled_from(BAD_VALUES[:7]))
@settings(max_examples=40, deadline=None)
def test_property_bad_tables_raise_only_value_or_type_error(column, bad):
    table = equity.equity_movement(*MAIN)
    table[column] = table[column].astype(object)
    table.loc[4, column] = bad
    before = table.copy()
    for function in (equity.decompose,):
        try:
            out = function(table)
        except (ValueError, TypeError):
            continue
        if isinstance(out, pd.DataFrame):
            assert np.isfinite(out.select_dtypes("number").to_numpy(dtype=float)).all()
    pd.testing.assert_frame_equal(table, before)


def test_functions_do_not_mutate_inputs():
    groups = [100_000, 282.0]
    table = equity.equity_movement(groups, (1, 1.0), (1, 1.0), (1, 1.0), (1, 1.0))
    assert groups == [100_000, 282.0]
    before = table.copy()
    equity.decompose(table)
    pd.testing.assert_frame_equal(table, before)


# --- the whole public API against every bad-input category --------------------------

from tests import _bad_input as _bad  # noqa: E402

GROUPS = ("opening", "lost", "new", "up", "down")
EQUITY_CASES = [(group, part, category) for group in GROUPS for part in (0, 1)
                for category in _bad.SCALARS] + \
    [(group, None, category) for group in GROUPS for category in _bad.SCALARS]


def _equity_numbers(table):
    # an average over no customers (a 0-customer subtotal) is undefined: NaN by design
    return _bad.numbers_of(table.drop(columns="average_cltv")) if isinstance(
        table, pd.DataFrame) else _bad.numbers_of(table)


@pytest.mark.parametrize("group, part, category", EQUITY_CASES)
def test_property_every_bad_input_category(group, part, category):
    kwargs = dict(zip(GROUPS, (list(g) for g in MAIN), strict=True))
    if part is None:
        kwargs[group] = _bad.SCALARS[category]            # the whole pair is wrong
    else:
        kwargs[group][part] = _bad.SCALARS[category]
    result = _bad.attack(equity.equity_movement, kwargs, finite=_equity_numbers)
    if isinstance(result, pd.DataFrame):
        for function in (equity.decompose,):
            _bad.attack(function, {"table": result})


@pytest.mark.parametrize("function", [equity.decompose])
@pytest.mark.parametrize("category", sorted(_bad.FRAMES))
def test_property_bad_tables(function, category):
    _bad.attack(function, {"table": _bad.FRAMES[category]})


@pytest.mark.parametrize("reading", ["level", "change", "LEVEL", None, 1])
def test_reading_is_checked(reading):
    _bad.attack(equity.equity_movement, {**dict(zip(GROUPS, MAIN, strict=True)),
                                         "reading": reading})
