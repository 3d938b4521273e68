"""crmlab.clv: the printed figures of seeds 000/002/004, properties and bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import clv, datasets
from crmlab.synthetic.cards import illustrative_card_data
from tests import _bad_input as _bad

# --- seed 002, Example A: printed present values and CLTV ---------------------

PRINTED_A_PV = [91, 83, 75, 68]
PRINTED_A_CLTV = 317


def test_example_a_reproduces_printed_table():
    table = clv.clv_table([100, 100, 100, 100], rate=0.10)
    assert [round(v) for v in table["present_value"]] == PRINTED_A_PV
    assert round(clv.clv_total(table)) == PRINTED_A_CLTV
    assert round(table["cumulative_pv"].iloc[-1]) == PRINTED_A_CLTV
    assert table["year"].tolist() == [1, 2, 3, 4]
    assert list(table.columns) == ["year", "revenue", "cost", "net_cash_flow",
                                   "discount_factor", "present_value", "cumulative_pv"]


def test_example_a_from_textbook_csv():
    seed = datasets.load_textbook("ch2_example_a")
    profit = seed.loc[seed["item"] == "profit", "value"].to_numpy()
    rate = seed.loc[seed["item"] == "rate_percent", "value"].iloc[0] / 100
    printed = seed.loc[seed["item"] == "present_value", "value"].tolist()
    table = clv.clv_table(profit, rate=rate)
    assert table["present_value"].round().tolist() == printed
    assert round(clv.npv(profit, rate)) == seed.loc[seed["item"] == "cltv", "value"].item()


# --- seed 000, Example B (no printed answer: conventions) ---------------------

def test_example_b_end_and_begin_of_year():
    seed = datasets.load_textbook("ch2_example_b")
    later = seed[seed["year"] > 0]
    acquisition = seed.loc[seed["year"] == 0, "cost"].item()
    end = clv.clv_table(later["revenue"], later["cost"], rate=0.15,
                        acquisition_cost=acquisition)
    begin = clv.clv_table(later["revenue"], later["cost"], rate=0.15,
                          acquisition_cost=acquisition, timing="begin")
    net = np.array([500, 1000, 1500, 1500, 1500])
    hand_end = sum(v / 1.15 ** t for t, v in enumerate(net, start=1)) - 2500
    assert clv.clv_total(end) == pytest.approx(hand_end)
    assert clv.clv_total(end) == pytest.approx(1280.60, abs=0.005)
    assert clv.clv_total(begin) == pytest.approx(1847.68, abs=0.005)
    # beginning-of-year = end-of-year cash flows worth (1 + i) times more
    assert clv.clv_total(begin) + 2500 == pytest.approx((clv.clv_total(end) + 2500) * 1.15)
    assert end["year"].tolist() == [0, 1, 2, 3, 4, 5]
    assert end.loc[0, "present_value"] == -2500


def test_components_add_up():
    table = clv.clv_table([1000, 1500, 2000, 2000, 2000], 500, rate=0.15,
                          acquisition_cost=2500, retention=0.9)
    parts = clv.components(table)
    assert parts["pv_revenue"] - parts["pv_recurring_cost"] - parts["acquisition_cost"] \
        == pytest.approx(parts["clv"])
    assert parts["clv"] == pytest.approx(clv.clv_total(table))


def test_clv_table_with_retention_matches_retention_clv():
    table = clv.clv_table([100] * 30, rate=0.1, retention=0.8)
    assert clv.clv_total(table) == pytest.approx(clv.retention_clv(100, 0.8, 0.1, horizon=30))
    begin = clv.clv_table([100] * 3, rate=0.1, retention=0.8, timing="begin")
    assert begin["retention_probability"].tolist() == pytest.approx([1, 0.8, 0.64])


# --- npv ---------------------------------------------------------------------

def test_npv_accepts_list_array_series_and_frames():
    flows = [100, 100, 100, 100]
    expected = sum(100 / 1.1 ** t for t in range(1, 5))
    for value in (flows, np.array(flows), pd.Series(flows, index=list("abcd"))):
        assert clv.npv(value, 0.1) == pytest.approx(expected)
    frame = pd.DataFrame([flows, [0, 0, 0, 110]], index=["x", "y"])
    result = clv.npv(frame, 0.1)
    assert isinstance(result, pd.Series) and list(result.index) == ["x", "y"]
    assert result["x"] == pytest.approx(expected)
    assert clv.npv(np.array([flows]), 0.1)[0] == pytest.approx(expected)


def test_npv_begin_timing_and_per_customer_rates():
    assert clv.npv([100, 100], 0.1, timing="begin") == pytest.approx(100 + 100 / 1.1)
    flows = np.array([[100.0, 100.0], [100.0, 100.0]])
    values = clv.npv(flows, [0.0, 0.1])
    assert values.tolist() == pytest.approx([200.0, 100 / 1.1 + 100 / 1.21])


def test_npv_does_not_mutate_inputs():
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]])
    copy = frame.copy()
    array = frame.to_numpy().copy()
    clv.npv(frame, 0.1)
    clv.npv(array, [0.1, 0.2])
    pd.testing.assert_frame_equal(frame, copy)
    assert array.tolist() == [[1.0, 2.0], [3.0, 4.0]]


@given(st.lists(st.lists(st.floats(-1e4, 1e4), min_size=3, max_size=3), min_size=1,
                max_size=8),
       st.floats(-0.5, 1.0))
@settings(max_examples=60, deadline=None)
def test_vectorised_npv_equals_scalar_npv(rows, rate):
    matrix = np.array(rows)
    together = clv.npv(matrix, rate)
    one_by_one = [clv.npv(row, rate) for row in rows]
    assert together == pytest.approx(one_by_one, rel=1e-9, abs=1e-6)


@given(st.lists(st.tuples(st.lists(st.floats(-1e4, 1e4), min_size=4, max_size=4),
                          st.floats(-0.5, 1.0)), min_size=1, max_size=8),
       st.sampled_from(["end", "begin"]))
@settings(max_examples=60, deadline=None)
def test_per_customer_rates_equal_row_by_row_npv(rows, timing):
    matrix = np.array([flows for flows, _ in rows])
    rates = [rate for _, rate in rows]
    together = clv.npv(matrix, rates, timing=timing)
    one_by_one = [clv.npv(flows, rate, timing=timing) for flows, rate in rows]
    assert together == pytest.approx(one_by_one, rel=1e-9, abs=1e-6)


# --- retention CLV -----------------------------------------------------------

def test_margin_multiple_closed_form():
    assert clv.margin_multiple(0.8, 0.1) == pytest.approx(0.8 / 0.3)
    assert clv.retention_clv(600, 0.8, 0.1) == pytest.approx(1600)
    assert clv.retention_clv(100, 0.0, 0.1) == 0.0
    assert clv.retention_clv(100, 1.0, 0.1) == pytest.approx(1000)
    assert clv.retention_clv(100, 1.0, 0.0, horizon=7) == pytest.approx(700)


def test_retention_clv_grid_and_sensitivity():
    grid = clv.sensitivity(100, [0.6, 0.8], [0.05, 0.1, 0.15])
    assert grid.shape == (2, 3)
    assert grid.index.name == "retention" and grid.columns.name == "discount_rate"
    assert grid.loc[0.8, 0.1] == pytest.approx(100 * 0.8 / 0.3)


@given(st.floats(1, 1000), st.floats(0.0, 0.98), st.floats(0.0, 0.5),
       st.floats(0.001, 0.02))
@settings(max_examples=80, deadline=None)
def test_clv_rises_with_retention_and_falls_with_rate(margin, r, i, step):
    base = clv.retention_clv(margin, r, i)
    assert clv.retention_clv(margin, r + step, i) > base
    assert clv.retention_clv(margin, r, i + step) <= base
    finite = clv.retention_clv(margin, r, i, horizon=10)
    assert clv.retention_clv(margin, min(r + step, 1.0), i, horizon=10) > finite


@given(st.floats(-500, 500), st.floats(0.0, 0.95), st.floats(0.01, 0.5))
@settings(max_examples=80, deadline=None)
def test_long_finite_horizon_converges_to_closed_form(margin, r, i):
    closed = clv.retention_clv(margin, r, i)
    assert clv.retention_clv(margin, r, i, horizon=2000) == pytest.approx(closed, abs=1e-6)
    explicit = clv.npv(margin * r ** np.arange(1, 21), i)
    assert clv.retention_clv(margin, r, i, horizon=20) == pytest.approx(explicit, abs=1e-6)


@given(st.lists(st.floats(0.0, 0.99), min_size=1, max_size=10), st.floats(0.0, 0.4))
@settings(max_examples=40, deadline=None)
def test_retention_clv_vectorised_equals_scalar(rs, i):
    together = clv.retention_clv(100.0, np.array(rs), i, horizon=5)
    assert together.tolist() == pytest.approx([clv.retention_clv(100.0, r, i, horizon=5)
                                               for r in rs])


# --- risk-adjusted rate ------------------------------------------------------

def test_risk_adjusted_rate_rule():
    assert clv.risk_adjusted_rate(0.10, 0.2, "average") == 0.10
    assert clv.risk_adjusted_rate(0.10, 0.2, "high") == pytest.approx(0.12)
    assert clv.risk_adjusted_rate(0.10, 0.2, "low") == pytest.approx(0.08)
    assert clv.risk_adjusted_rate(0.10, 0.2, "高风险") == pytest.approx(0.12)
    labels = pd.Series(["high", "low", "average"], index=[7, 8, 9])
    out = clv.risk_adjusted_rate(0.10, [0.3, 0.1, 0.5], labels)
    assert list(out.index) == [7, 8, 9]
    assert out.tolist() == pytest.approx([0.13, 0.09, 0.10])


# --- credit-card CLV (seed 004) ----------------------------------------------

def test_card_clv_procedure_by_hand():
    data = illustrative_card_data(4, 5, seed=7)
    result = clv.card_clv(data, window=3, rate=0.0, margin_rate=0.005)
    c = data[(data["customer_id"] == "C02") & (data["year"] <= 3)]
    gross = c["card_fee"].sum() + c["interest_income"].sum() + 0.005 * c["spending"].sum()
    rewards = c["points_cost"].sum() + c["referral_reward"].sum()
    cost = c["allocation_cost"].sum() + c["maintenance_cost"].sum()
    row = result.set_index("customer_id").loc["C02"]
    assert row["gross_revenue"] == pytest.approx(gross)
    assert row["rewards"] == rewards
    assert row["total_revenue"] == pytest.approx(gross - rewards)
    assert row["total_cost"] == cost
    assert row["window_profit"] == pytest.approx(gross - rewards - cost)
    assert row["clv"] == pytest.approx(row["window_profit"])      # rate 0: the lecture's sum
    assert result["clv"].is_monotonic_decreasing


def test_card_clv_discounts_each_years_profit():
    data = illustrative_card_data(3, 4, seed=3)
    result = clv.card_clv(data, window=3, rate=0.10, margin_rate=0.005).set_index(
        "customer_id")
    c = data[(data["customer_id"] == "C01") & (data["year"] <= 3)]
    profit = (c["card_fee"] + c["interest_income"] + 0.005 * c["spending"] - c["points_cost"]
              - c["referral_reward"] - c["allocation_cost"] - c["maintenance_cost"])
    expected = (profit / 1.10 ** c["year"]).sum()
    assert result.at["C01", "clv"] == pytest.approx(expected)
    assert result.at["C01", "window_profit"] == pytest.approx(profit.sum())


def test_points_and_referral_rewards_are_treated_alike():
    data = illustrative_card_data(3, 3, seed=5)
    base = clv.card_clv(data, rate=0.1, margin_rate=0.005).set_index("customer_id")["clv"]
    for column in ("points_cost", "referral_reward"):
        more = data.assign(**{column: data[column] + 100.0})
        lower = clv.card_clv(more, rate=0.1, margin_rate=0.005).set_index("customer_id")["clv"]
        assert (lower < base).all()                         # both are paid to the holder


def test_the_margin_rate_is_not_dropped():
    data = illustrative_card_data(3, 3, seed=5)
    low = clv.card_clv(data, rate=0.0, margin_rate=0.0).set_index("customer_id")
    high = clv.card_clv(data, rate=0.0, margin_rate=0.01).set_index("customer_id")
    spent = data.groupby("customer_id")["spending"].sum()
    assert (high["clv"] - low["clv"]).to_numpy() == pytest.approx(0.01 * spent.to_numpy())
    with pytest.raises(ValueError, match="margin_rate"):
        clv.card_clv(data, rate=0.0, margin_rate=0.5 * 100)


def test_illustrative_card_data_is_reproducible_and_planted():
    a = illustrative_card_data(seed=1)
    pd.testing.assert_frame_equal(a, illustrative_card_data(seed=1))
    assert not a.equals(illustrative_card_data(seed=2))
    result = clv.card_clv(a, window=3, rate=0.1, margin_rate=0.005).set_index("customer_id")
    sleepers = ["C03", "C06"]  # profile 2: little revenue, same maintenance cost
    assert (result.loc[sleepers, "clv"] < result.drop(sleepers)["clv"].min()).all()


def test_card_clv_discounting_lowers_value():
    data = illustrative_card_data(3, 4)
    plain = clv.card_clv(data, rate=0.0, margin_rate=0.005).set_index("customer_id")["clv"]
    discounted = clv.card_clv(data, rate=0.1, margin_rate=0.005).set_index(
        "customer_id")["clv"]
    assert (discounted.abs() < plain.abs()).all()


# --- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("call, error, name", [
    (lambda: clv.npv([100, 100], -1), ValueError, "rate"),
    (lambda: clv.npv([100, 100], -1.5), ValueError, "rate"),
    (lambda: clv.npv([100, float("nan")], 0.1), ValueError, "cash_flows"),
    (lambda: clv.npv([100, float("inf")], 0.1), ValueError, "cash_flows"),
    (lambda: clv.npv([], 0.1), ValueError, "cash_flows"),
    (lambda: clv.npv("100", 0.1), TypeError, "cash_flows"),
    (lambda: clv.npv([100], "0.1"), TypeError, "rate"),
    (lambda: clv.npv([100], float("nan")), ValueError, "rate"),
    (lambda: clv.npv([[1, 2], [3, 4]], [0.1, 0.2, 0.3]), ValueError, "rate"),
    (lambda: clv.npv([[1, 2], [3, 4]], [0.1, -2]), ValueError, "rate"),
    (lambda: clv.npv([1, 2], 0.1, timing="middle"), ValueError, "timing"),
    (lambda: clv.clv_table([1, 2, 3], [1, 2], rate=0.1), ValueError, "cost"),
    (lambda: clv.clv_table([1, 2], rate=0.1, retention=1.2), ValueError, "retention"),
    (lambda: clv.clv_table([1, 2], rate=0.1, acquisition_cost=float("inf")), ValueError,
     "acquisition_cost"),
    (lambda: clv.retention_clv(100, 1.5, 0.1), ValueError, "retention"),
    (lambda: clv.retention_clv(100, -0.1, 0.1), ValueError, "retention"),
    (lambda: clv.retention_clv(100, 0.5, -1), ValueError, "rate"),
    (lambda: clv.retention_clv(float("nan"), 0.5, 0.1), ValueError, "margin"),
    (lambda: clv.retention_clv(100, 1.0, 0.0), ValueError, "diverges"),
    (lambda: clv.retention_clv(100, 0.5, 0.1, horizon=0), ValueError, "horizon"),
    (lambda: clv.retention_clv(100, [0.5, 0.6], [0.1, 0.2, 0.3]), ValueError, "mismatched"),
    (lambda: clv.risk_adjusted_rate(0.1, 1.2, "high"), ValueError, "risk_probability"),
    (lambda: clv.risk_adjusted_rate(0.1, 0.2, "medium"), ValueError, "risk"),
    (lambda: clv.risk_adjusted_rate(-1, 0.2, "high"), ValueError, "base_rate"),
    (lambda: clv.card_clv(pd.DataFrame({"customer_id": [1]}), revenue=["fee"], rate=0.1,
                          margin_rate=0.005), ValueError, "data"),
    (lambda: clv.card_clv([1, 2], rate=0.1, margin_rate=0.005), TypeError, "data"),
])
def test_bad_input_is_refused_with_a_named_argument(call, error, name):
    with pytest.raises(error) as info:
        call()
    assert name in str(info.value)


def test_card_clv_refuses_negative_money():
    data = illustrative_card_data(2, 3)
    data.loc[0, "maintenance_cost"] = -5
    with pytest.raises(ValueError, match="maintenance_cost"):
        clv.card_clv(data, rate=0.1, margin_rate=0.005)


def test_results_are_plain_floats_for_students():
    assert isinstance(clv.npv([1, 2], 0.1), float)
    assert isinstance(clv.retention_clv(1, 0.5, 0.1), float)
    assert isinstance(clv.margin_multiple(0.5, 0.1), float)
    assert not math.isnan(clv.clv_total(clv.clv_table([1], rate=0)))


def test_table_functions_do_not_mutate_inputs():
    revenue = pd.Series([1000.0, 1500.0, 2000.0], index=[5, 6, 7])
    cost = np.array([500.0, 500.0, 500.0])
    clv.clv_table(revenue, cost, rate=0.15, acquisition_cost=2500, retention=0.9)
    assert revenue.tolist() == [1000.0, 1500.0, 2000.0] and list(revenue.index) == [5, 6, 7]
    assert cost.tolist() == [500.0, 500.0, 500.0]
    data = illustrative_card_data(3, 4)
    before = data.copy()
    clv.card_clv(data, window=3, rate=0.1, margin_rate=0.005)
    pd.testing.assert_frame_equal(data, before)


def test_sensitivity_refuses_bad_grids():
    with pytest.raises(ValueError, match="retention"):
        clv.sensitivity(100, [0.5, 1.2], [0.1])
    with pytest.raises(ValueError, match="rate"):
        clv.sensitivity(100, [0.5], [-1.0])
    with pytest.raises(ValueError, match="retention"):
        clv.sensitivity(100, [], [0.1])


# --- issue 7: regressions, differential test, bad-input property --------------

def test_regression_clv_total_refuses_nan_instead_of_skipping_it():
    table = clv.clv_table([100, 100, 100], rate=0.1)
    table.loc[1, "present_value"] = float("nan")
    with pytest.raises(ValueError, match="present_value"):
        clv.clv_total(table)


def test_regression_components_refuse_nan_instead_of_skipping_it():
    table = clv.clv_table([100, 100, 100], 20, rate=0.1, acquisition_cost=50)
    table.loc[2, "revenue"] = float("nan")
    with pytest.raises(ValueError, match="revenue"):
        clv.components(table)


@pytest.mark.parametrize("call", [
    lambda: clv.npv([1e308, 1e308], 0.1),
    lambda: clv.npv([[1e308, 1.0]], [0.1]),
    lambda: clv.clv_table([1e308, 1e308], rate=0.1),
    lambda: clv.clv_table([100], 1e308, rate=0.1),
    lambda: clv.clv_table([100], rate=0.1, acquisition_cost=1e308),
    lambda: clv.retention_clv(1e308, 0.9, 0.1),
    lambda: clv.margin_multiple(0.999999999, -0.99999999999),
    lambda: clv.npv([1.0] * 400, -0.9999),
    lambda: clv.discount_factors(400, -0.9999),
    lambda: clv.sensitivity(1e308, [0.5], [0.1]),
])
def test_regression_huge_inputs_give_a_clear_error_not_inf(call):
    with pytest.raises(ValueError):
        call()


def test_regression_negative_costs_are_refused():
    with pytest.raises(ValueError, match="cost"):
        clv.clv_table([100, 100], -5, rate=0.1)
    with pytest.raises(ValueError, match="cost"):
        clv.clv_table([100, 100], [5, -5], rate=0.1)
    with pytest.raises(ValueError, match="acquisition_cost"):
        clv.clv_table([100, 100], rate=0.1, acquisition_cost=-100)


@given(st.floats(0, 5, allow_nan=False), st.floats(0, 1),
       st.sampled_from(["average", "high", "low", "高", "低风险", "一般"]))
@settings(max_examples=100, deadline=None)
def test_regression_risk_adjusted_rate_only_returns_rates_the_others_accept(base, p, risk):
    rate = clv.risk_adjusted_rate(base, p, risk)
    assert math.isfinite(rate) and rate > -1
    assert math.isfinite(clv.npv([100, 100], rate))          # accepted everywhere
    assert math.isfinite(clv.discount_factors(3, rate).sum())


def test_regression_risk_adjusted_rate_refuses_a_negative_cost_of_capital():
    with pytest.raises(ValueError, match="base_rate"):
        clv.risk_adjusted_rate(-0.6, 1.0, "high")      # used to give -1.2


def test_probability_typed_as_percent_suggests_the_fraction():
    with pytest.raises(ValueError, match="0.8"):
        clv.clv_table([100], rate=0.1, retention=80)


def _naive_npv(flows: list[float], rate: float, timing: str) -> float:
    total = 0.0
    for t, flow in enumerate(flows, start=1):
        exponent = t if timing == "end" else t - 1
        total += flow / (1.0 + rate) ** exponent
    return total


@given(st.lists(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12), min_size=1,
                max_size=6).filter(lambda rows: len({len(r) for r in rows}) == 1),
       st.lists(st.floats(-0.5, 2.0), min_size=6, max_size=6),
       st.sampled_from(["end", "begin"]))
@settings(max_examples=120, deadline=None)
def test_differential_npv_against_a_naive_loop(rows, rates, timing):
    expected = [_naive_npv(row, rates[k], timing) for k, row in enumerate(rows)]
    scale = max(1.0, *(abs(v) for row in rows for v in row)) * 40
    for k, row in enumerate(rows):
        assert clv.npv(row, rates[k], timing=timing) == pytest.approx(
            expected[k], rel=1e-9, abs=1e-9 * scale)
    per_row = clv.npv(np.array(rows), rates[:len(rows)], timing=timing)
    np.testing.assert_allclose(per_row, expected, rtol=1e-9, atol=1e-9 * scale)
    frame = clv.npv(pd.DataFrame(rows), rates[0], timing=timing)
    np.testing.assert_allclose(frame.to_numpy(),
                               [_naive_npv(r, rates[0], timing) for r in rows],
                               rtol=1e-9, atol=1e-9 * scale)


CARD = pd.DataFrame({"customer_id": ["a", "a", "b"], "year": [1, 2, 1],
                     "card_fee": [500.0, 600.0, 300.0], "interest_income": [10.0, 0.0, 5.0],
                     "spending": [1000.0, 2000.0, 3000.0], "points_cost": [1.0, 2.0, 0.0],
                     "referral_reward": [0.0, 0.0, 1.0],
                     "allocation_cost": [100.0, 100.0, 50.0],
                     "maintenance_cost": [50.0, 50.0, 20.0]})

#: function -> (valid keyword arguments, which of them are scalar / array / frame)
CLV_CALLS = {
    "npv": (clv.npv, {"cash_flows": [100.0, 100.0, 100.0], "rate": 0.1},
            {"cash_flows": "array", "rate": "scalar", "timing": "scalar"}),
    "discount_factors": (clv.discount_factors, {"periods": 3, "rate": 0.1},
                         {"periods": "scalar", "rate": "scalar", "timing": "scalar"}),
    "clv_table": (clv.clv_table, {"revenue": [1000.0, 1500.0], "cost": 500.0, "rate": 0.15,
                                  "acquisition_cost": 2500.0, "retention": 0.9},
                  {"revenue": "array", "cost": "scalar", "rate": "scalar",
                   "acquisition_cost": "scalar", "retention": "scalar"}),
    "clv_table (cost per year)": (clv.clv_table, {"revenue": [1000.0, 1500.0, 2000.0],
                                                  "cost": [500.0, 500.0, 500.0], "rate": 0.15},
                                  {"cost": "array"}),
    "clv_total": (clv.clv_total, {"table": clv.clv_table([100.0] * 3, rate=0.1)},
                  {"table": "frame"}),
    "components": (clv.components, {"table": clv.clv_table([100.0] * 3, 20, rate=0.1)},
                   {"table": "frame"}),
    "margin_multiple": (clv.margin_multiple, {"retention": 0.75, "rate": 0.25},
                        {"retention": "scalar", "rate": "scalar"}),
    "retention_clv": (clv.retention_clv, {"margin": 100.0, "retention": 0.75, "rate": 0.25,
                                          "horizon": 5},
                      {"margin": "scalar", "retention": "scalar", "rate": "scalar",
                       "horizon": "scalar"}),
    "sensitivity": (clv.sensitivity, {"margin": 100.0, "retention": [0.5, 0.8],
                                      "rate": [0.1, 0.2]},
                    {"margin": "scalar", "retention": "array", "rate": "array"}),
    "risk_adjusted_rate": (clv.risk_adjusted_rate, {"base_rate": 0.1,
                                                    "risk_probability": 0.2, "risk": "high"},
                           {"base_rate": "scalar", "risk_probability": "scalar",
                            "risk": "scalar"}),
    "risk_adjusted_rate (per customer)": (
        clv.risk_adjusted_rate, {"base_rate": 0.1, "risk_probability": [0.2, 0.1, 0.3],
                                 "risk": ["high", "low", "average"]},
        {"risk_probability": "array", "risk": "array"}),
    "card_clv": (clv.card_clv, {"data": CARD, "window": 2, "rate": 0.1,
                                "margin_rate": 0.005},
                 {"data": "frame", "window": "scalar", "rate": "scalar",
                  "margin_rate": "scalar"}),
}
_POOLS = {"scalar": _bad.SCALARS, "array": _bad.ARRAYS, "frame": _bad.FRAMES}
CLV_CASES = [(name, argument, category)
             for name, (_, _, kinds) in CLV_CALLS.items()
             for argument, kind in kinds.items()
             for category in _POOLS[kind]]


def test_bad_input_case_count():
    assert len(CLV_CASES) >= 300   # reported in the issue note


@pytest.mark.parametrize("name, argument, category", CLV_CASES)
def test_property_every_bad_input_category(name, argument, category):
    function, valid, kinds = CLV_CALLS[name]
    kwargs = dict(valid)
    kwargs[argument] = _POOLS[kinds[argument]][category]
    _bad.attack(function, kwargs)


@pytest.mark.parametrize("column", ["revenue", "cost", "year", "present_value",
                                    "discount_factor"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "12", None])
def test_property_bad_cells_in_a_clv_table(column, bad):
    table = clv.clv_table([100.0, 200.0, 300.0], 10, rate=0.1, acquisition_cost=5)
    table[column] = table[column].astype(object)
    table.loc[2, column] = bad
    for function in (clv.clv_total, clv.components):
        _bad.attack(function, {"table": table})


@given(st.sampled_from(sorted(CLV_CALLS)), st.data())
@settings(max_examples=150, deadline=None)
def test_property_random_bad_values_only_raise_value_or_type_error(name, data):
    function, valid, kinds = CLV_CALLS[name]
    kwargs = dict(valid)
    for argument in data.draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1,
                                       max_size=2, unique=True)):
        pool = _POOLS[kinds[argument]]
        kwargs[argument] = pool[data.draw(st.sampled_from(sorted(pool)))]
    _bad.attack(function, kwargs)


def test_components_separate_the_periods_margin_from_the_lifetime_total():
    # 净利率 is one period's margin; 预计累计保证金 the lifetime total (not merged into one row)
    assert clv.COMPONENTS["margin"][0] == "净利率"
    assert clv.COMPONENTS["cumulative_margin"][0] == "预计累计保证金"
    assert "每期" in clv.COMPONENTS["margin"][1]
    assert "每期" not in clv.COMPONENTS["cumulative_margin"][1]


# --- customer migration (Dwyer) ---------------------------------------------------

def test_migration_with_one_state_is_the_retention_model():
    table = clv.migration_clv([0.8], margin=100, rate=0.10, horizon=6)
    assert table["cumulative_pv"].iloc[-1] == pytest.approx(
        clv.retention_clv(100, 0.8, 0.10, horizon=6))
    assert table["purchase_probability"].tolist() == pytest.approx([0.8 ** t for t in
                                                                   range(1, 7)])


def test_migration_two_states_by_hand():
    # state 1 buys with 0.5, state 2 with 0.2; margin 100, contact 10, rate 0
    table = clv.migration_clv([0.5, 0.2], margin=100, rate=0.0, horizon=3, contact_cost=10)
    # t1: in state 1 -> buys 0.5; t2: (0.5, 0.5) -> buys 0.25 + 0.1 = 0.35, active 1
    # t3: state 1 = 0.35, state 2 = 0.5 * 0.5 = 0.25, lost 0.5 * 0.8 = 0.4
    assert table["purchase_probability"].tolist() == pytest.approx([0.5, 0.35, 0.35 * 0.5
                                                                    + 0.25 * 0.2])
    assert table["active_probability"].tolist() == pytest.approx([1.0, 1.0, 0.6])
    assert table["expected_cash_flow"].tolist() == pytest.approx(
        [50 - 10, 35 - 10, 100 * 0.225 - 10 * 0.6])
    assert table[["state_1", "state_2"]].iloc[2].tolist() == pytest.approx([0.35, 0.25])


@given(st.lists(st.floats(0, 1), min_size=1, max_size=5), st.integers(0, 4),
       st.floats(0, 0.5), st.integers(1, 15))
@settings(max_examples=60, deadline=None)
def test_migration_properties(p, where, rate, horizon):
    table = clv.migration_clv(p, margin=100, rate=rate, horizon=horizon)
    states = table.filter(like="state_")
    assert (states.to_numpy() >= -1e-12).all()
    assert (np.diff(table["active_probability"]) <= 1e-12).all()      # lost is for good
    assert (table["purchase_probability"] <= table["active_probability"] + 1e-12).all()
    higher = list(p)
    higher[where % len(p)] = min(1.0, higher[where % len(p)] + 0.1)
    better = clv.migration_clv(higher, margin=100, rate=rate, horizon=horizon)
    assert better["cumulative_pv"].iloc[-1] >= table["cumulative_pv"].iloc[-1] - 1e-9


@pytest.mark.parametrize("kwargs, error, name", [
    ({"purchase_probability": [0.5, 1.2]}, ValueError, "purchase_probability"),
    ({"purchase_probability": []}, ValueError, "purchase_probability"),
    ({"purchase_probability": "0.5"}, TypeError, "purchase_probability"),
    ({"purchase_probability": [0.5, float("nan")]}, ValueError, "purchase_probability"),
    ({"margin": -5}, ValueError, "margin"),
    ({"contact_cost": float("inf")}, ValueError, "contact_cost"),
    ({"rate": -1}, ValueError, "rate"),
    ({"horizon": 0}, ValueError, "horizon"),
    ({"horizon": 2.5}, TypeError, "horizon"),
])
def test_migration_bad_input(kwargs, error, name):
    args = {"purchase_probability": [0.6, 0.3], "margin": 100.0, "rate": 0.1, "horizon": 5,
            **kwargs}
    with pytest.raises(error) as info:
        clv.migration_clv(**args)
    assert name in str(info.value)


def test_migration_does_not_mutate_its_input():
    p = np.array([0.6, 0.3, 0.1])
    clv.migration_clv(p, margin=100, rate=0.1, horizon=5)
    assert p.tolist() == [0.6, 0.3, 0.1]


def test_card_clv_refuses_a_repeated_customer_year_instead_of_doubling_it():
    data = illustrative_card_data(3, 4, seed=3)
    twice = pd.concat([data, data.iloc[[0]]])
    with pytest.raises(ValueError, match=r"重复.*repeated \(customer_id, year\)"):
        clv.card_clv(twice, rate=0.0, margin_rate=0.005)


@pytest.mark.parametrize("call", [
    lambda: clv.discount_factors(10**12, 0.1), lambda: clv.revenue_path(100, 0.1, 1e308),
    lambda: clv.retention_clv(100, 0.8, 0.1, horizon=10**9),
])
def test_a_schedule_too_long_for_memory_is_refused_by_name(call):
    with pytest.raises(ValueError, match="(periods|horizon)=.*100000"):
        call()
