"""crmlab.portfolio: composition, pyramids, quadrant schemes, lecture tables, visit plan."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crmlab import glossary, portfolio


@pytest.fixture
def shops():
    return pd.DataFrame({
        "customer_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
        "channel_type": ["wholesale", "wholesale", "retail", "retail", "retail", "chain"],
        "sales": [500.0, 300.0, 100.0, 60.0, 40.0, 0.0],
    })


# --- composition (客户构成分析) -----------------------------------------------------------

def test_composition_steps_by_hand(shops):
    out = portfolio.composition(shops, abc=False)
    row = out.set_index("customer_id")
    # (2) subtotals 800 / 200 / 0; (3) total 1000; (4) shares
    assert row.loc["s1", "group_subtotal"] == 800
    assert row.loc["s3", "group_subtotal"] == 200
    assert row.loc["s1", "share_in_group"] == pytest.approx(500 / 800)
    assert row.loc["s3", "share_of_total"] == pytest.approx(0.1)
    assert row.loc["s6", "share_in_group"] == 0.0  # a class with zero sales: share 0, not NaN
    # sorted by class subtotal, then sales
    assert out["customer_id"].tolist() == ["s1", "s2", "s3", "s4", "s5", "s6"]
    summary = portfolio.composition_summary(shops)
    assert summary["channel_type"].tolist() == ["wholesale", "retail", "chain", "total"]
    assert summary["share_of_total"].tolist() == pytest.approx([0.8, 0.2, 0.0, 1.0])
    assert summary["customers"].tolist() == [2, 3, 1, 6]


def test_composition_shares_sum_to_one_within_each_class(shops):
    out = portfolio.composition(shops.iloc[:5], abc=False)
    assert out.groupby("channel_type")["share_in_group"].sum().tolist() == pytest.approx([1, 1])
    assert out["share_of_total"].sum() == pytest.approx(1)


def test_composition_refuses_bad_input(shops):
    dup = pd.concat([shops, shops.iloc[[0]]])
    with pytest.raises(ValueError, match="重复.*duplicate"):
        portfolio.composition(dup, abc=False)
    with pytest.raises(ValueError, match="NaN"):
        portfolio.composition(shops.assign(sales=[1, np.nan, 1, 1, 1, 1]), abc=False)
    with pytest.raises(ValueError, match="负数"):
        portfolio.composition(shops.assign(sales=[1, -1, 1, 1, 1, 1]), abc=False)
    with pytest.raises(TypeError, match="应为销售额"):
        portfolio.composition(shops.assign(sales=["1"] * 6), abc=False)
    with pytest.raises(ValueError, match="缺失"):
        portfolio.composition(shops.assign(channel_type=[None] + ["retail"] * 5), abc=False)
    with pytest.raises(ValueError, match="缺少列"):
        portfolio.composition(shops, group="type", abc=False)


def test_transaction_performance_against_expected_share():
    d = pd.DataFrame({"customer_id": [1, 2, 3], "sales": [50.0, 30.0, 20.0],
                      "expected_share": [0.4, 0.4, 0.2], "purchases": [100.0, 30.0, 80.0]})
    out = portfolio.transaction_performance(d, purchases="purchases")
    assert out["gap"].tolist() == pytest.approx([0.1, -0.1, 0.0])
    assert out["meets_expectation"].tolist() == [True, False, True]
    assert out["share_of_wallet"].tolist() == pytest.approx([0.5, 1.0, 0.25])
    with pytest.raises(ValueError, match="percentage"):
        portfolio.transaction_performance(d.assign(expected_share=[40, 40, 20]))


def test_products_margins_turnover():
    d = pd.DataFrame({"product": ["p", "q", "r"], "sales": [20.0, 50.0, 30.0],
                      "cost": [10.0, 45.0, 15.0], "average_inventory": [5.0, 9.0, 3.0],
                      "target": [15.0, 60.0, 30.0]})
    comp = portfolio.product_composition(d, target="target")
    assert comp["product"].tolist() == ["q", "r", "p"]
    assert comp["cumulative_share"].tolist() == pytest.approx([0.5, 0.8, 1.0])
    assert comp["target_met"].tolist() == [False, True, True]
    margins = portfolio.product_margins(d)
    assert margins["product"].tolist() == ["r", "p", "q"]
    assert margins["gross_margin_rate"].tolist() == pytest.approx([0.5, 0.5, 0.1])
    turn = portfolio.turnover(d).set_index("product")
    assert turn.loc["q", "turnover"] == pytest.approx(5.0)
    assert turn.loc["q", "days_of_inventory"] == pytest.approx(73.0)


def test_trading_status():
    tx = pd.DataFrame({"customer_id": [1, 1, 2, 3, 4],
                       "date": pd.to_datetime(["2023-03-01", "2024-11-20", "2024-05-01",
                                               "2023-01-01", "2025-03-01"])})
    out = portfolio.trading_status(tx, start="2024-01-01", end="2024-12-31").set_index(
        "customer_id")
    assert out["status"].to_dict() == {1: "continuing", 2: "terminated", 3: "terminated"}
    # text dates, as rfm and loyalty accept them, give the same answer
    text = portfolio.trading_status(tx.assign(date=tx["date"].astype(str)), start="2024-01-01",
                                    end="2024-12-31")
    pd.testing.assert_frame_equal(text.set_index("customer_id"), out)


def test_trading_status_bad_dates_are_bilingual_and_named():
    tx = pd.DataFrame({"c": [1, 2], "d": ["2024-13-01", "2024-02-01"]})
    with pytest.raises(ValueError) as info:  # pandas said "month must be in 1..12"
        portfolio.trading_status(tx, customer="c", date="d", start="2024-01-01",
                                 end="2024-12-31")
    text = str(info.value)
    assert "month must be" not in text and "transactions['d']" in text
    assert "'2024-13-01'" in text and text.index("日期") < text.index("date")
    good = tx.assign(d=["2024-03-01", "2024-02-01"])
    with pytest.raises(ValueError, match=r"start='2024-02-30'"):
        portfolio.trading_status(good, customer="c", date="d", start="2024-02-30",
                                 end="2024-12-31")
    with pytest.raises(ValueError, match=r"end='2023-01-01' .*start='2024-01-01'"):
        portfolio.trading_status(good, customer="c", date="d", start="2024-01-01",
                                 end="2023-01-01")
    with pytest.raises(ValueError, match=r"inactive_days=1e\+308"):
        portfolio.trading_status(good, customer="c", date="d", start="2024-01-01",
                                 end="2024-12-31", inactive_days=1e308)
    out = portfolio.trading_status(good, customer="c", date="d", start="2024-01-01",
                                   end="2024-12-31")
    assert list(out.columns) == ["c", "first_purchase", "last_purchase", "status"]


def test_trading_status_time_zones_count_on_their_own_calendar_day():
    naive = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-02", "2024-06-30"]})
    aware = naive.assign(date=pd.Series([pd.Timestamp("2024-01-02T07:00:00+08:00"),
                                         pd.Timestamp("2024-06-30T23:00:00-05:00")],
                                        dtype=object))
    one = portfolio.trading_status(naive, start="2024-01-01", end="2024-12-31")
    two = portfolio.trading_status(aware, start="2024-01-01", end="2024-12-31")
    pd.testing.assert_frame_equal(one, two)
    assert two["first_purchase"].dt.day.tolist() == [2, 30]


# --- pyramids ----------------------------------------------------------------------------

def test_two_tier_pyramid_is_80_20():
    d = pd.DataFrame({"customer_id": range(100), "profit": np.arange(100, 0, -1.0)})
    out = portfolio.pyramid(d)
    assert (out["tier"] == "gold").sum() == 20
    assert set(out.loc[out["tier"] == "gold", "customer_id"]) == set(range(20))


def test_four_tier_pyramid_cut_rule_and_losses():
    d = pd.DataFrame({"customer_id": range(40), "profit": np.arange(40, 0, -1.0) - 5})
    out = portfolio.pyramid(d, tiers=4)
    counts = out["tier"].value_counts().to_dict()
    # ceil(0.05*40)=2 platinum, up to 8 gold, up to 32 iron; profits <= 0 (5 customers) lead
    assert counts == {"platinum": 2, "gold": 6, "iron": 24, "lead": 8}
    assert (out.loc[out["profit"] <= 0, "tier"] == "lead").all()
    keep = portfolio.pyramid(d, tiers=4, loss_to_lead=False)["tier"].value_counts()
    assert keep["lead"] == 8  # the bottom 20 % happen to hold the 5 loss makers


def test_pyramid_ties_are_deterministic():
    d = pd.DataFrame({"customer_id": [5, 3, 9, 1, 7], "profit": [1.0] * 5})
    out = portfolio.pyramid(d)
    assert out.loc[out["tier"] == "gold", "customer_id"].tolist() == [1]
    shuffled = portfolio.pyramid(d.iloc[::-1])
    assert shuffled.loc[shuffled["tier"] == "gold", "customer_id"].tolist() == [1]


def test_pyramid_bad_input():
    d = pd.DataFrame({"customer_id": [1, 2], "profit": [1.0, 2.0]})
    with pytest.raises(ValueError, match="tiers=3"):
        portfolio.pyramid(d, tiers=3)
    with pytest.raises(ValueError, match="递增"):
        portfolio.pyramid(d, tiers=4, customer_cuts=(0.2, 0.1, 0.5))


# --- quadrants -----------------------------------------------------------------------------

def test_every_scheme_reads_its_slide():
    d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "x": [9.0, 1.0, 9.0, 1.0],
                      "y": [9.0, 9.0, 1.0, 1.0]})
    expected = {  # (high x, high y), (low x, high y), (high x, low y), (low x, low y)
        "clv_matrix": ["vip", "improve", "maintain", "abandon"],
        "loyalty_scale": ["cash_cow", "tomorrow", "chicken_rib", "warm_up"],
        "loyalty_credit": ["star", "golden", "risky", "junk"],
        "abc_turnover_margin": ["A", "unlisted", "B", "C"],
        "clv_four": ["loyal", "potential", "lost", "marginal"],
        "sales_profit": ["star", "niche", "volume", "dog"],
        "importance_difficulty": ["key_hard", "key_easy", "minor_hard", "minor_easy"],
    }
    assert set(expected) == set(portfolio.SCHEMES)
    for key, codes in expected.items():
        out = portfolio.quadrants(d, x="x", y="y", scheme=key)
        assert out["quadrant"].tolist() == codes, key
        for code in codes:  # every code has Chinese display labels
            assert glossary.value_label("quadrant", code) != code
        s = portfolio.SCHEMES[key]
        assert set(s.actions) == set(codes) and s.source.startswith("《") and s.reading


def test_split_rules():
    d = pd.DataFrame({"customer_id": range(5), "a": [1.0, 2, 3, 4, 100], "b": [5.0, 4, 3, 2, 1]})
    med = portfolio.quadrants(d, x="a", y="b", split="median")
    assert med["x_high"].tolist() == [False, False, True, True, True]  # >= median 3
    assert med.attrs["thresholds"] == {"x": 3.0, "y": 3.0}
    mean = portfolio.quadrants(d, x="a", y="b", split="mean")
    assert mean["x_high"].tolist() == [False] * 4 + [True]  # mean 22
    pair = portfolio.quadrants(d, x="a", y="b", split=("mean", 2))
    assert pair["y_high"].tolist() == [True, True, True, True, False]
    labelled = portfolio.quadrants(d, x="a", y="b", split=(4, 4), labels={"high_high": "HH"})
    assert labelled["quadrant"].tolist() == ["low_high", "low_high", "low_low", "high_low",
                                             "high_low"]
    assert "HH" not in labelled["quadrant"].tolist()


def test_quadrants_bad_input():
    d = pd.DataFrame({"customer_id": [1, 2, 3], "x": [1.0, 2, 3], "y": [3.0, 2, 1]})
    with pytest.raises(ValueError, match="不是已知的分类方案.*unknown"):
        portfolio.quadrants(d, x="x", y="y", scheme="bcg")
    with pytest.raises(ValueError, match="全部为“低”"):
        portfolio.quadrants(d, x="x", y="y", split=50)
    with pytest.raises(ValueError, match="全部为“高”"):
        portfolio.quadrants(d, x="x", y="y", split=(1, 2))
    with pytest.raises(ValueError, match="NaN"):
        portfolio.quadrants(d.assign(x=[1.0, np.nan, 3]), x="x", y="y")
    with pytest.raises(ValueError, match="重复"):
        portfolio.quadrants(d.assign(customer_id=[1, 1, 2]), x="x", y="y")
    with pytest.raises(ValueError, match="split='avg'"):
        portfolio.quadrants(d, x="x", y="y", split="avg")
    with pytest.raises(TypeError, match="应为数值"):
        portfolio.quadrants(d.assign(x=["a", "b", "c"]), x="x", y="y")
    with pytest.raises(ValueError, match="labels"):
        portfolio.quadrants(d, x="x", y="y", labels={"top_right": "vip"})
    with pytest.raises(ValueError, match="全部为“高”"):  # all values equal: cannot split
        portfolio.quadrants(d.assign(x=[2.0, 2, 2]), x="x", y="y")


finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=2, max_size=40),
       st.sampled_from(sorted(portfolio.SCHEMES)), st.sampled_from(["median", "mean"]))
def test_quadrants_partition_and_do_not_mutate(points, scheme, split):
    d = pd.DataFrame(points, columns=["x", "y"]).assign(customer_id=range(len(points)))
    before = d.copy()
    try:
        out = portfolio.quadrants(d, x="x", y="y", scheme=scheme, split=split)
    except ValueError as error:  # only when an axis cannot be split
        assert "全部为" in str(error)
        return
    pd.testing.assert_frame_equal(d, before)
    s = portfolio.SCHEMES[scheme]
    t = out.attrs["thresholds"]
    for row in out.itertuples():
        assert row.quadrant == s.code(row.x >= t["x"], row.y >= t["y"])
    assert set(out["quadrant"]) <= set(s.cells.values())
    assert out["x_high"].any() and not out["x_high"].all()
    summary = portfolio.quadrant_summary(out, value="x")
    assert summary["customers"].sum() == len(d)
    assert summary["x"].sum() == pytest.approx(d["x"].sum(), abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(finite, min_size=1, max_size=60), st.sampled_from([2, 4]))
def test_pyramid_partitions_the_customers(values, tiers):
    d = pd.DataFrame({"customer_id": range(len(values)), "profit": values})
    assume(d["profit"].sum() != 0)  # shares of a zero total are refused (tested below)
    before = d.copy()
    out = portfolio.pyramid(d, tiers=tiers, loss_to_lead=False)
    pd.testing.assert_frame_equal(d, before)
    assert sorted(out["rank"]) == list(range(1, len(values) + 1))
    order = ["gold", "iron"] if tiers == 2 else ["platinum", "gold", "iron", "lead"]
    positions = out.sort_values("rank")["tier"].map(order.index).to_numpy()
    assert (np.diff(positions) >= 0).all()  # tiers follow the ranking


def test_shares_of_a_zero_or_overflowing_total_are_refused_not_nan():
    even = pd.DataFrame({"customer_id": [1, 2], "profit": [5.0, -5.0]})
    with pytest.raises(ValueError, match=r"data\['profit'\] 的合计为 0.*sums to 0"):
        portfolio.pyramid(even)
    huge = pd.DataFrame({"customer_id": [1, 2], "profit": [1e308, 1e308]})
    with pytest.raises(ValueError, match="sums to inf"):
        portfolio.pyramid(huge)
    products = pd.DataFrame({"product": ["a", "b"], "sales": [10.0, 10.0],
                             "cost": [5.0, 15.0]})
    with pytest.raises(ValueError, match="sums to 0"):
        portfolio.product_margins(products)
    classified = portfolio.quadrants(pd.DataFrame({"customer_id": [1, 2, 3, 4],
                                                   "x": [1.0, 2.0, 3.0, 4.0],
                                                   "y": [4.0, 1.0, 3.0, 2.0]}),
                                     x="x", y="y", scheme="clv_matrix")
    with pytest.raises(ValueError, match="sums to 0"):
        portfolio.quadrant_summary(classified.assign(v=[1.0, -1.0, 2.0, -2.0]), value="v")


def test_turnover_is_finite_or_refused():
    d = pd.DataFrame({"product": ["x", "y"], "cost": [120.0, 0.0],
                      "average_inventory": [30.0, 10.0]})
    with pytest.raises(ValueError, match=r"'cost'.*\['y'\]|\[1\].*never turns over"):
        portfolio.turnover(d)   # was days_of_inventory = inf
    tiny = pd.DataFrame({"product": ["x"], "cost": [1e308], "average_inventory": [1e-10]})
    with pytest.raises(ValueError, match="floating point"):
        portfolio.turnover(tiny)  # was turnover = inf
    slow = pd.DataFrame({"product": ["x"], "cost": [1e-307], "average_inventory": [1e10]})
    with pytest.raises(ValueError, match="floating point"):
        portfolio.turnover(slow)  # was days_of_inventory = inf
    out = portfolio.turnover(d.iloc[:1])
    assert np.isfinite(out[["turnover", "days_of_inventory"]].to_numpy()).all()


# --- lecture tables and the visit plan ------------------------------------------------------

def test_relationship_levels_one_table_two_namings():
    t = portfolio.relationship_levels()
    assert t["name_portfolio"].tolist() == ["基本型", "反应型", "可靠型", "主动型", "合伙型"]
    assert t["name_review"].tolist() == ["基本关系", "被动式关系", "负责式关系", "主动式关系",
                                         "伙伴式关系"]
    assert t["level"].tolist() == [1, 2, 3, 4, 5]
    assert t["source"].str.contains("讲义").all()


def test_relationship_strategy_table():
    t = portfolio.relationship_strategy()
    assert len(t) == 5
    row = t.set_index("customer_group").loc["忠诚的老客户"]
    assert (row["relationship_type"], row["strategy"], row["focus"]) == ("伙伴关系", "保持",
                                                                         "参与和沟通")


def test_visit_plan_totals():
    d = pd.DataFrame({"customer_id": range(6), "abc_class": ["A", "A", "B", "C", "C", "C"]})
    plan = portfolio.visit_plan(d).set_index(["staff_level", "abc_class"])
    assert plan.loc[("sales_rep", "A"), "visits_min"] == 72  # 2 customers × 3 per month
    assert plan.loc[("sales_rep", "C"), "calls_max"] == 36
    assert plan.loc[("sales_manager", "B"), "visits_max"] == 6
    assert plan.loc[("general_manager", "A"), "visits_min"] == 0  # not given on the slide
    quarter = portfolio.visit_plan(d, months=3).set_index(["staff_level", "abc_class"])
    assert quarter.loc[("sales_rep", "A"), "visits_min"] == 18
    with pytest.raises(ValueError, match="未知类别"):
        portfolio.visit_plan(d.assign(abc_class=["A", "B", "C", "D", "A", "A"]))
    with pytest.raises(ValueError, match="months=1e\\+308.*1200"):  # was inf visits
        portfolio.visit_plan(d, months=1e308)


def test_visit_table_rows_have_the_ranges_of_their_text():
    t = portfolio.visit_table()
    assert len(t) == 12 and set(t["abc_class"]) == {"A", "B", "C"}
    given_rows = t[t["given"]]
    assert (given_rows["visits_min"] <= given_rows["visits_max"]).all()
    monthly = given_rows[given_rows["visits_text"].str.startswith("每月")]
    n = monthly["visits_text"].str.extract(r"每月(\d)次")[0].astype(float)
    assert (monthly["visits_min"] == 12 * n).all()


def test_value_classes_cut_by_customer_count():
    d = pd.DataFrame({"customer_id": range(20), "clv": np.arange(20.0)})
    out = portfolio.value_classes(d)
    assert out["value_class"].value_counts().to_dict() == {"low": 10, "medium": 6, "high": 4}
    assert set(out.loc[out["value_class"] == "high", "clv"]) == {16.0, 17.0, 18.0, 19.0}
    with pytest.raises(ValueError, match="递增"):
        portfolio.value_classes(d, customer_cuts=(0.5, 0.2))


def test_portfolio_charts_draw_without_warnings():
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from crmlab import plotting

    plotting.setup()
    d = pd.DataFrame({"customer_id": range(8), "x": np.arange(8.0), "y": np.arange(8.0)[::-1],
                      "profit": np.arange(8.0) - 1})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plotting.quadrant_chart(portfolio.quadrants(d, x="x", y="y", scheme="clv_matrix"),
                                     "x", "y")
        assert ax.get_xlabel() == "客户当前价值"
        assert len(ax.get_legend().get_texts()) == 4
        plotting.pyramid_chart(portfolio.pyramid(d, tiers=4))
        classes = pd.DataFrame({"value": [5.0, 3, 2], "rank": [1, 2, 3],
                                "cumulative_share": [0.5, 0.8, 1.0],
                                "abc_class": ["A", "A", "B"]})
        plotting.abc_chart(classes)
        plotting.abc_chart(classes, bars=2)
        plt.close("all")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=50).filter(
    lambda v: sum(v) > 0), st.randoms(use_true_random=False))
def test_composition_abc_partitions_and_ignores_row_order(values, rnd):
    d = pd.DataFrame({"customer_id": range(len(values)), "sales": values,
                      "channel_type": ["retail", "chain"] * (len(values) // 2)
                      + ["agent"] * (len(values) % 2)})
    before = d.copy()
    out = portfolio.composition(d)
    pd.testing.assert_frame_equal(d, before)
    assert set(out["abc_class"]) <= {"A", "B", "C"} and len(out) == len(d)
    total = sum(values)
    a_share = out.loc[out["abc_class"] == "A", "sales"].sum() / total
    assert a_share >= 0.8 - 1e-9
    # the fewest customers: without the smallest A customer, A stays below 80 %
    a = out.loc[out["abc_class"] == "A", "sales"]
    assert (a.sum() - a.min()) / total < 0.8 + 1e-9
    order = list(range(len(d)))
    rnd.shuffle(order)
    again = portfolio.composition(d.iloc[order]).set_index("customer_id")["abc_class"]
    assert again.reindex(out["customer_id"]).tolist() == out["abc_class"].tolist()


def test_a_repeated_row_label_never_multiplies_customers():
    parts = [pd.DataFrame({"customer_id": [i], "channel_type": [g], "sales": [s]})
             for i, g, s in [(1, "retail", 30.0), (2, "retail", 10.0), (3, "agent", 60.0)]]
    stacked = pd.concat(parts)  # index [0, 0, 0]
    assert len(portfolio.composition(stacked)) == 3
    total = portfolio.composition_summary(stacked).set_index("channel_type").loc["total"]
    assert (total["customers"], total["group_subtotal"]) == (3, 100.0)
    assert portfolio.composition(stacked).equals(
        portfolio.composition(stacked.reset_index(drop=True)))


def test_quadrant_summary_refuses_a_quadrant_outside_its_scheme():
    d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9, 1, 8, 2],
                      "future": [9, 8, 1, 2]})
    q = portfolio.quadrants(d, x="current", y="future", scheme="clv_matrix")
    q.loc[3, "quadrant"] = "vipp"
    with pytest.raises(ValueError, match="vipp.*vipp"):
        portfolio.quadrant_summary(q)
    q.loc[3, "quadrant"] = np.nan
    with pytest.raises(ValueError, match="缺失"):
        portfolio.quadrant_summary(q)
    stacked = pd.concat([q.iloc[:2], q.iloc[2:3]])  # repeated labels: summed by position
    stacked.index = [0, 0, 0]
    assert portfolio.quadrant_summary(stacked, value="current")["current"].sum() == 18


@pytest.mark.parametrize("change", [
    {"key": None}, {"title": 5}, {"cells": {}}, {"actions": {"vip": "重点保持"}},
    {"course_actions": "no"}, {"notes": ["x"]},
    {"cells": {(True, True): "a", (True, False): "a", (False, True): "b", (False, False): "c"}},
])
def test_a_scheme_that_no_chart_could_read_is_refused_when_made(change):
    import dataclasses

    (name,) = change
    with pytest.raises((TypeError, ValueError), match=name):
        dataclasses.replace(portfolio.SCHEMES["clv_matrix"], **change)
