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
    result = clv.card_clv(data, window=3)
    c = data[(data["customer_id"] == "C02") & (data["year"] <= 3)]
    revenue = c[list(clv.CARD_REVENUE)].to_numpy().sum()
    cost = c["allocation_cost"].sum() + c["maintenance_cost"].sum()
    row = result.set_index("customer_id").loc["C02"]
    assert row["total_revenue"] == revenue
    assert row["total_cost"] == cost
    assert row["clv"] == revenue - cost
    assert result["clv"].is_monotonic_decreasing


def test_illustrative_card_data_is_reproducible_and_planted():
    a = illustrative_card_data(seed=1)
    pd.testing.assert_frame_equal(a, illustrative_card_data(seed=1))
    assert not a.equals(illustrative_card_data(seed=2))
    result = clv.card_clv(a, window=3).set_index("customer_id")
    sleepers = ["C03", "C06"]  # profile 2: little revenue, same maintenance cost
    assert (result.loc[sleepers, "clv"] < result.drop(sleepers)["clv"].min()).all()


def test_card_clv_discounting_lowers_value():
    data = illustrative_card_data(3, 4)
    plain = clv.card_clv(data).set_index("customer_id")["clv"]
    discounted = clv.card_clv(data, rate=0.1).set_index("customer_id")["clv"]
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
    (lambda: clv.card_clv(pd.DataFrame({"customer_id": [1]}), revenue=["fee"]), ValueError,
     "data"),
    (lambda: clv.card_clv([1, 2]), TypeError, "data"),
])
def test_bad_input_is_refused_with_a_named_argument(call, error, name):
    with pytest.raises(error) as info:
        call()
    assert name in str(info.value)


def test_card_clv_refuses_negative_money():
    data = illustrative_card_data(2, 3)
    data.loc[0, "maintenance_cost"] = -5
    with pytest.raises(ValueError, match="maintenance_cost"):
        clv.card_clv(data)


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
    clv.card_clv(data, window=3, rate=0.1)
    pd.testing.assert_frame_equal(data, before)


def test_sensitivity_refuses_bad_grids():
    with pytest.raises(ValueError, match="retention"):
        clv.sensitivity(100, [0.5, 1.2], [0.1])
    with pytest.raises(ValueError, match="rate"):
        clv.sensitivity(100, [0.5], [-1.0])
    with pytest.raises(ValueError, match="retention"):
        clv.sensitivity(100, [], [0.1])
