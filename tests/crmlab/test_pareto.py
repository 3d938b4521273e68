"""crmlab.pareto: whale curve, Sherden's shares, Lorenz, Gini, ABC classes."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import pareto

money = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
nonneg = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
profits_lists = st.lists(money, min_size=1, max_size=60).filter(lambda v: sum(v) > 1e-3)
nonneg_lists = st.lists(nonneg, min_size=1, max_size=60).filter(lambda v: sum(v) > 1e-3)


def naive_gini(values):
    x = np.asarray(values, dtype=float)
    return np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size ** 2 * x.mean())


# --- whale curve -------------------------------------------------------------------

def test_whale_curve_of_ten_customers_by_hand():
    profits = [5, -3, 40, 12, 0, 25, -7, 8, 18, 2]  # total 100
    curve = pareto.whale_curve(profits)
    assert list(curve.columns) == ["customer_share", "cumulative_profit_share"]
    expected = np.cumsum([0, 40, 25, 18, 12, 8, 5, 2, 0, -3, -7]) / 100
    np.testing.assert_allclose(curve["cumulative_profit_share"], expected)
    np.testing.assert_allclose(curve["customer_share"], np.arange(11) / 10)


@given(profits_lists)
def test_whale_curve_starts_at_zero_and_ends_at_one(profits):
    curve = pareto.whale_curve(profits)
    assert len(curve) == len(profits) + 1
    assert curve.iloc[0].tolist() == [0.0, 0.0]
    assert curve.iloc[-1].tolist() == [1.0, 1.0]
    assert curve["customer_share"].is_monotonic_increasing


@given(profits_lists)
def test_whale_curve_is_concave_and_peaks_at_the_profitable_customers(profits):
    w = pareto.whale_curve(profits)["cumulative_profit_share"].to_numpy()
    steps = np.diff(w)
    assert (np.diff(steps) <= 1e-9 * max(1.0, np.abs(steps).max())).all()  # sorted high to low
    positive = sum(p for p in profits if p > 0) / sum(profits)
    assert w.max() == pytest.approx(positive, rel=1e-9, abs=1e-9)


def test_whale_curve_accepts_series_and_does_not_mutate():
    profits = pd.Series([3.0, 1.0, 2.0], index=["c", "a", "b"])
    before = profits.copy()
    pareto.whale_curve(profits)
    pd.testing.assert_series_equal(profits, before)
    array = np.array([3.0, 1.0, 2.0])
    pareto.whale_curve(array)
    assert array.tolist() == [3.0, 1.0, 2.0]


# --- Sherden's 80/20/30 reading ----------------------------------------------------

def test_sherden_pattern_by_hand():
    # top 2 of 10 earn 80, bottom 3 lose 10, profitable customers earn 110
    s = pareto.sherden_shares([60, 20, 10, 10, 5, 5, 0, -2, -3, -5]).iloc[0]
    assert s["top_share"] == pytest.approx(0.80)
    assert s["bottom_share"] == pytest.approx(-0.10)
    assert s["peak_share"] == pytest.approx(1.10)
    assert s["peak_customer_share"] == pytest.approx(0.6)


def test_a_cut_inside_a_customer_is_interpolated():
    # 20 % of 7 customers = 1.4 customers: the first (50) and 0.4 of the second (30)
    s = pareto.sherden_shares([50, 30, 10, 5, 3, 1, 1], top=0.2).iloc[0]
    assert s["top_share"] == pytest.approx((50 + 0.4 * 30) / 100)


@given(profits_lists, st.floats(0, 1), st.floats(0, 1))
def test_top_and_bottom_shares_agree_with_the_curve(profits, top, bottom):
    s = pareto.sherden_shares(profits, top=top, bottom=bottom).iloc[0]
    curve = pareto.whale_curve(profits)
    w = np.interp([top, 1 - bottom], curve["customer_share"], curve["cumulative_profit_share"])
    assert s["top_share"] == pytest.approx(w[0], abs=1e-9)
    assert s["bottom_share"] == pytest.approx(1 - w[1], abs=1e-9)
    assert s["peak_share"] >= max(s["top_share"], 1.0) - 1e-12


@pytest.mark.parametrize("top", [20, -0.1, "0.2", True])
def test_bad_cut_shares_are_refused(top):
    with pytest.raises((TypeError, ValueError), match="top"):
        pareto.sherden_shares([1, 2, 3], top=top)


def test_a_percentage_typed_as_a_whole_number_gets_a_hint():
    with pytest.raises(ValueError, match="0.2"):
        pareto.sherden_shares([1, 2, 3], top=20)


# --- Lorenz and Gini ---------------------------------------------------------------

@given(nonneg_lists)
def test_gini_is_in_unit_interval_and_equals_the_naive_formula(values):
    g = pareto.gini(values)
    assert 0 <= g < 1 + 1e-12
    assert g == pytest.approx(naive_gini(values), abs=1e-9)


@given(profits_lists)
def test_gini_with_losses_still_equals_the_mean_difference_formula(values):
    assert pareto.gini(values) == pytest.approx(naive_gini(values), rel=1e-6, abs=1e-6)


@given(profits_lists)
def test_summary_agrees_with_the_single_functions(profits):
    s = pareto.summary(profits).iloc[0]
    sh = pareto.sherden_shares(profits).iloc[0]
    assert s["gini"] == pytest.approx(pareto.gini(profits), rel=1e-6, abs=1e-6)
    assert s["top_share"] == sh["top_share"] and s["peak_share"] == sh["peak_share"]
    assert s["customers"] == len(profits)


def test_gini_textbook_extremes():
    assert pareto.gini([7, 7, 7]) == 0.0
    assert pareto.gini([0, 0, 0, 1]) == pytest.approx(0.75)  # (n - 1) / n


def test_lorenz_is_below_the_diagonal_for_nonnegative_values():
    curve = pareto.lorenz([1, 9, 0, 5, 5])
    assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0]
    assert (curve["cumulative_share"] <= curve["customer_share"] + 1e-12).all()


# --- ABC classification ----------------------------------------------------------

@given(st.lists(nonneg, min_size=1, max_size=80).filter(lambda v: sum(v) > 1e-3),
       st.floats(0.05, 1.0), st.floats(0.0, 1.0))
def test_abc_classes_partition_the_customers(values, cut_a, extra):
    cut_b = cut_a + (1 - cut_a) * extra
    out = pareto.abc_classes(values, cuts=(cut_a, cut_b))
    assert len(out) == len(values) and set(out["abc_class"]) <= {"A", "B", "C"}
    assert sorted(out["rank"]) == list(range(1, len(values) + 1))
    ranked = out.sort_values("rank")
    codes = "".join(ranked["abc_class"])
    assert codes == "A" * codes.count("A") + "B" * codes.count("B") + "C" * codes.count("C")
    n_a = codes.count("A")
    shares = ranked["cumulative_share"].to_numpy()
    assert shares[n_a - 1] >= cut_a - 1e-9  # A reaches the first cut ...
    assert n_a == 1 or shares[n_a - 2] < cut_a - 1e-12  # ... with the fewest customers
    n_ab = n_a + codes.count("B")
    assert shares[n_ab - 1] >= cut_b - 1e-9 or n_ab == len(values)


def test_abc_by_hand():
    out = pareto.abc_classes(pd.Series([10, 4, 50, 30, 6], index=list("wvyzx")))
    # ranked 50, 30 | 10, 6 | 4: cumulative .50 .80 | .90 .96 | 1.00
    assert out["abc_class"].to_dict() == {"w": "B", "v": "C", "y": "A", "z": "A", "x": "B"}
    assert out["rank"].to_dict() == {"w": 3, "v": 5, "y": 1, "z": 2, "x": 4}


def test_abc_ties_are_broken_by_position():
    out = pareto.abc_classes(pd.Series([40, 40, 20], index=["first", "second", "third"]),
                             cuts=(0.4, 0.8))
    assert out["abc_class"].tolist() == ["A", "B", "C"]
    assert out["rank"].tolist() == [1, 2, 3]


def test_abc_exact_cut_is_reached_despite_rounding():
    # 0.64 + 0.06 + ... : the cumulative share of the top two is 0.7999999999999998
    out = pareto.abc_classes([0.06, 0.64, 0.05, 0.07, 0.08])
    assert out["abc_class"].tolist() == ["B", "A", "B", "B", "A"]  # 0.07 is not in A


@pytest.mark.parametrize("cuts", [(0.95, 0.8), (0, 0.5), (0.8,), "0.8", (0.8, 95)])
def test_bad_abc_cuts_are_refused(cuts):
    with pytest.raises((TypeError, ValueError), match="cuts"):
        pareto.abc_classes([1, 2, 3], cuts=cuts)


# --- bad input ---------------------------------------------------------------------

@pytest.mark.parametrize("func", [pareto.whale_curve, pareto.sherden_shares, pareto.lorenz,
                                  pareto.gini, pareto.abc_classes, pareto.summary])
@pytest.mark.parametrize("bad, error, words", [
    ([], ValueError, "为空"),
    ([1.0, float("nan")], ValueError, "NaN"),
    ([1.0, float("inf")], ValueError, "无穷大"),
    ([-5, 2], ValueError, "合计为 -3"),
    ([0, 0], ValueError, "合计为 0"),
    (["a", 1], TypeError, "'a'"),
    (["100", 1], TypeError, "'100'"),
    ([1, None], ValueError, "NaN"),
    ("123", TypeError, "一列数字"),
    (None, TypeError, "一列数字"),
    ([[1, 2], [3, 4]], ValueError, "维"),
    ([1e308, 1e308], ValueError, "溢出"),
])
def test_bad_values_get_a_clear_chinese_first_error(func, bad, error, words):
    with pytest.raises(error) as info:
        func(bad)
    message = str(info.value)
    assert words in message
    chinese, english = message.rsplit("。", 1)  # Chinese first, then English
    assert re.search("[\u4e00-\u9fff]", chinese) and english.isascii()


def test_text_in_a_series_is_refused():
    with pytest.raises(TypeError, match="位置 1"):
        pareto.whale_curve(pd.Series([1, "x", 3]))


def test_nullable_series_with_missing_value_is_refused():
    with pytest.raises(ValueError, match="NaN"):
        pareto.gini(pd.Series([1, None, 3], dtype="Int64"))
