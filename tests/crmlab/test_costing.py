"""crmlab.costing: the VBC/ABC tables of seed 002, properties and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import costing, datasets, glossary
from tests import _bad_input as _bad

SEGMENTS = pd.DataFrame({"segment": ["甲", "乙", "丙"], "sales": [100, 100, 100],
                         "direct_cost": [20, 30, 50]})
POOLS = {"admin": 50, "selling": 60}
BASES = {"admin": "direct_cost", "selling": "sales"}

# The two tables as printed in seed 002 (万元), columns 合计/甲/乙/丙.
SEED_VBC = {"sales": [300, 100, 100, 100], "direct_cost": [100, 20, 30, 50],
            "admin": [50, 10, 15, 25], "selling": [60, 20, 20, 20],
            "total_cost": [210, 50, 65, 95], "segment_profit": [90, 50, 35, 5]}
SEED_ABC = {"sales": [300, 100, 100, 100], "direct_cost": [100, 20, 30, 50],
            "admin": [50, 25, 10, 15], "selling": [60, 30, 15, 15],
            "total_cost": [210, 75, 55, 80], "segment_profit": [90, 25, 45, 20]}


def _abc_inputs():
    data = datasets.load_textbook("ch3_abc_activities")
    activities = data.drop_duplicates("activity")[["activity", "pool", "cost", "driver"]]
    drivers = data[["activity", "segment", "quantity"]]
    return activities, drivers


def _as_seed(table: pd.DataFrame) -> dict[str, list[float]]:
    ordered = table.set_index("segment").loc[["total", "甲", "乙", "丙"]]
    return {k: ordered[k].tolist() for k in SEED_VBC}


def test_vbc_reproduces_seed_table():
    table = costing.volume_based(SEGMENTS, POOLS, BASES)
    assert _as_seed(table) == SEED_VBC


def test_vbc_from_textbook_csv():
    seed = datasets.load_textbook("ch3_segments")
    table = costing.volume_based(seed[["segment", "sales", "direct_cost"]], POOLS, BASES)
    assert table["segment_profit"].tolist() == seed["vbc_profit"].tolist() + [90]


def test_abc_reproduces_seed_table_with_designed_drivers():
    activities, drivers = _abc_inputs()
    table = costing.activity_based(SEGMENTS, activities, drivers)
    assert _as_seed(table) == SEED_ABC
    seed = datasets.load_textbook("ch3_segments")
    assert table["segment_profit"].tolist()[:3] == seed["abc_profit"].tolist()


def test_activity_rates_step_by_step():
    activities, drivers = _abc_inputs()
    detail = costing.activity_rates(activities, drivers, SEGMENTS)
    assert len(detail) == 4 * 3
    sums = detail.groupby("activity")["allocated"].sum()
    costs = activities.set_index("activity")["cost"]
    np.testing.assert_allclose(sums.loc[costs.index], costs)
    np.testing.assert_allclose(detail["rate"] * detail["driver_quantity"], detail["allocated"])


def test_ranking_flips():
    vbc = costing.volume_based(SEGMENTS, POOLS, BASES)
    abc = costing.activity_based(SEGMENTS, *_abc_inputs())
    ranks = costing.rank_change(vbc, abc).set_index("segment")
    assert ranks["rank_vbc"].to_dict() == {"甲": 1, "乙": 2, "丙": 3}
    assert ranks["rank_abc"].to_dict() == {"甲": 2, "乙": 1, "丙": 3}


def test_layout_matches_slide():
    codes = costing.layout(costing.volume_based(SEGMENTS, POOLS, BASES))
    assert list(codes.columns) == ["total", "甲", "乙", "丙"]
    out = codes.pipe(glossary.zh)
    assert list(out.columns) == ["合计", "甲", "乙", "丙"]
    assert out.index.tolist() == ["销售额", "直接成本", "管理费用", "销售费用", "成本合计", "利润"]
    assert out.loc["利润"].tolist() == [90, 50, 35, 5]
    en = costing.layout(costing.volume_based(SEGMENTS, POOLS, BASES)).pipe(glossary.en)
    assert list(en.columns)[0] == "Total"


def test_method_comparison():
    zh = costing.method_comparison().pipe(glossary.zh)
    assert zh.loc["ABC", "准确性"] == "最好" and zh.loc["VBC", "操作成本"] == "最低"


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e9), st.lists(st.floats(0, 1e6), min_size=1, max_size=20))
def test_allocations_sum_to_pool(pool, base):
    if sum(base) <= 0:
        with pytest.raises(ValueError, match="base"):
            costing.allocate(pool, base)
        return
    shares = costing.allocate(pool, base)
    assert np.all(shares >= 0)
    assert shares.sum() == pytest.approx(pool, rel=1e-9, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 1e4), st.floats(0, 1e4), st.integers(1, 500),
                          st.integers(0, 500)), min_size=2, max_size=6),
       st.floats(0, 1e5), st.floats(0, 1e5))
def test_abc_and_vbc_pools_are_fully_allocated(rows, admin, selling):
    seg = pd.DataFrame({"segment": [f"s{i}" for i in range(len(rows))],
                        "sales": [r[0] for r in rows], "direct_cost": [r[1] for r in rows]})
    acts = pd.DataFrame({"activity": ["orders", "calls"], "pool": ["admin", "selling"],
                         "cost": [admin, selling], "driver": ["orders", "calls"]})
    drv = pd.DataFrame({"activity": ["orders"] * len(rows) + ["calls"] * len(rows),
                        "segment": list(seg["segment"]) * 2,
                        "quantity": [r[2] for r in rows] + [r[3] + 1 for r in rows]})
    for table in (costing.activity_based(seg, acts, drv),
                  costing.volume_based(seg, {"admin": admin, "selling": selling},
                                       {"admin": "sales", "selling": "sales"})):
        body, total = table.iloc[:-1], table.iloc[-1]
        for pool, amount in (("admin", admin), ("selling", selling)):
            assert body[pool].sum() == pytest.approx(amount, rel=1e-9, abs=1e-6)
            assert total[pool] == pytest.approx(amount, rel=1e-9, abs=1e-6)
        assert body["segment_profit"].sum() == pytest.approx(
            seg["sales"].sum() - seg["direct_cost"].sum() - admin - selling,
            rel=1e-9, abs=1e-4)


def test_inputs_not_mutated():
    seg = SEGMENTS.copy()
    activities, drivers = _abc_inputs()
    a0, d0 = activities.copy(), drivers.copy()
    costing.volume_based(seg, POOLS, BASES)
    costing.activity_based(seg, activities, drivers)
    pd.testing.assert_frame_equal(seg, SEGMENTS)
    pd.testing.assert_frame_equal(activities, a0)
    pd.testing.assert_frame_equal(drivers, d0)


# --- bad input -------------------------------------------------------------------

def test_zero_and_negative_bases():
    with pytest.raises(ValueError, match="base.*positive total"):
        costing.allocate(10, [0, 0])
    with pytest.raises(ValueError, match="negative"):
        costing.allocate(10, [5, -1])
    seg = SEGMENTS.assign(direct_cost=[0, 0, 0])
    with pytest.raises(ValueError, match="direct_cost"):
        costing.volume_based(seg, POOLS, BASES)


def test_nan_inputs():
    seg = SEGMENTS.assign(sales=[100, np.nan, 100])
    with pytest.raises(ValueError, match="sales.*NaN"):
        costing.volume_based(seg, POOLS, BASES)
    with pytest.raises(ValueError, match="pools\\['admin'\\]"):
        costing.volume_based(SEGMENTS, {"admin": float("nan"), "selling": 60}, BASES)


def test_unknown_segment_and_activity():
    activities, drivers = _abc_inputs()
    bad = pd.concat([drivers, pd.DataFrame({"activity": ["订单处理"], "segment": ["丁"],
                                            "quantity": [5]})])
    with pytest.raises(ValueError, match="unknown segment.*丁"):
        costing.activity_based(SEGMENTS, activities, bad)
    bad = drivers.assign(activity=drivers["activity"].replace("订单处理", "仓储"))
    with pytest.raises(ValueError, match="unknown activit.*仓储"):
        costing.activity_based(SEGMENTS, activities, bad)


def test_zero_driver_total():
    activities, drivers = _abc_inputs()
    zero = drivers.assign(quantity=np.where(drivers["activity"] == "售后服务", 0,
                                            drivers["quantity"]))
    with pytest.raises(ValueError, match="售后服务.*add up to 0"):
        costing.activity_based(SEGMENTS, activities, zero)


def test_bad_pools_and_bases():
    with pytest.raises(TypeError, match="pools"):
        costing.volume_based(SEGMENTS, [50, 60], BASES)
    with pytest.raises(ValueError, match="bases.*missing \\['selling'\\]"):
        costing.volume_based(SEGMENTS, POOLS, {"admin": "sales"})
    with pytest.raises(ValueError, match="bases\\['admin'\\]='headcount'"):
        costing.volume_based(SEGMENTS, POOLS, {"admin": "headcount", "selling": "sales"})
    with pytest.raises(ValueError, match="pools\\['admin'\\]"):
        costing.volume_based(SEGMENTS, {"admin": -5, "selling": 60}, BASES)
    with pytest.raises(TypeError, match="segments"):
        costing.volume_based("甲乙丙", POOLS, BASES)
    with pytest.raises(ValueError, match="segments.*missing.*direct_cost"):
        costing.volume_based(SEGMENTS.drop(columns="direct_cost"), POOLS, BASES)
    with pytest.raises(ValueError, match="duplicates"):
        costing.volume_based(pd.concat([SEGMENTS, SEGMENTS]), POOLS, BASES)


# --- what-if app ------------------------------------------------------------------

def test_what_if_drivers_replaces_and_adds():
    _, drivers = _abc_inputs()
    before = drivers.copy()
    new = costing.what_if_drivers(drivers, "甲", {"订单处理": 450, "仓储": 3})
    pd.testing.assert_frame_equal(drivers, before)
    mine = new[(new["segment"] == "甲") & (new["activity"] == "订单处理")]
    assert mine["quantity"].tolist() == [450.0]
    assert new["quantity"].sum() == pytest.approx(before["quantity"].sum() - 450 + 3)
    with pytest.raises(ValueError, match="quantities\\['订单处理'\\]"):
        costing.what_if_drivers(drivers, "甲", {"订单处理": -1})


def test_what_if_table_is_abc_with_new_quantities():
    activities, drivers = _abc_inputs()
    table = costing.what_if_table(SEGMENTS, activities, drivers, segment="甲",
                                  quantities={"订单处理": 450})
    profits = table.set_index("segment")["segment_profit"]
    assert profits["甲"] == pytest.approx(30.0)
    assert profits["total"] == pytest.approx(90.0)
    with pytest.raises(ValueError, match="segment"):
        costing.what_if_table(SEGMENTS, activities, drivers, segment="丁", quantities={})


def test_method_comparison_follows_csv():
    ranks = datasets.load_textbook("ch3_method_comparison").set_index("method")
    en = costing.method_comparison().pipe(glossary.en)
    best = {1: "best", 2: "middle", 3: "worst"}
    assert en["Accuracy"].to_dict() == ranks["accuracy_rank"].map(best).to_dict()


# --- issue 7: regressions, differential test, bad-input property --------------

def test_regression_allocate_huge_bases_stay_finite_and_sum_to_the_pool():
    shares = costing.allocate(60, [1e308, 1e308, 5e307])
    assert np.isfinite(shares).all()
    assert shares.sum() == pytest.approx(60)
    np.testing.assert_allclose(shares, [24, 24, 12])
    tiny = costing.allocate(60, [1e-310, 2e-310])
    assert tiny.sum() == pytest.approx(60)


def test_regression_allocate_refuses_a_huge_pool():
    with pytest.raises(ValueError, match="pool"):
        costing.allocate(1e308, [1, 2])


def test_regression_rank_change_refuses_numbers_given_as_text():
    vbc = costing.volume_based(SEGMENTS, POOLS, BASES)
    text = vbc.assign(segment_profit=vbc["segment_profit"].map(lambda v: f"{v:g}"))
    # as text, "5" > "50" > "35": string order would rank 丙 first
    with pytest.raises(TypeError, match="segment_profit"):
        costing.rank_change(text, vbc)


def test_regression_layout_without_a_total_row_is_a_clear_value_error():
    vbc = costing.volume_based(SEGMENTS, POOLS, BASES)
    with pytest.raises(ValueError, match="total"):
        costing.layout(vbc[vbc["segment"] != "total"])
    with pytest.raises(ValueError, match="total"):
        costing.layout(pd.concat([vbc, vbc.tail(1)]))


def test_negative_costs_are_refused():
    with pytest.raises(ValueError, match="direct_cost"):
        costing.volume_based(SEGMENTS.assign(direct_cost=[20, -30, 50]), POOLS, BASES)
    with pytest.raises(ValueError, match="admin"):
        costing.volume_based(SEGMENTS, {"admin": -50, "selling": 60}, BASES)
    activities, drivers = _abc_inputs()
    with pytest.raises(ValueError, match="cost"):
        costing.activity_based(SEGMENTS, activities.assign(cost=-activities["cost"]), drivers)


def _naive_allocation(pool: float, base: list[float]) -> list[float]:
    from fractions import Fraction

    total = sum(Fraction(b) for b in base)
    return [float(Fraction(pool) * Fraction(b) / total) for b in base]


@settings(max_examples=150, deadline=None)
@given(st.floats(0, 1e15), st.lists(st.floats(0, 1e308), min_size=1, max_size=30)
       .filter(lambda b: max(b) > 0))
def test_differential_allocate_against_exact_fractions(pool, base):
    shares = costing.allocate(pool, base)
    expected = _naive_allocation(pool, base)
    np.testing.assert_allclose(shares, expected, rtol=1e-9, atol=1e-9 * max(pool, 1.0))
    assert shares.sum() == pytest.approx(pool, rel=1e-9, abs=1e-6)


ACTIVITIES, DRIVERS = _abc_inputs()
VBC_TABLE = costing.volume_based(SEGMENTS, POOLS, BASES)

COSTING_CALLS = {
    "allocate": (costing.allocate, {"pool": 50.0, "base": [20.0, 30.0, 50.0]},
                 {"pool": "scalar", "base": "array"}),
    "volume_based": (costing.volume_based, {"segments": SEGMENTS, "pools": POOLS,
                                            "bases": BASES},
                     {"segments": "frame", "pools": "scalar", "bases": "scalar"}),
    "activity_based": (costing.activity_based, {"segments": SEGMENTS,
                                                "activities": ACTIVITIES,
                                                "drivers": DRIVERS},
                       {"segments": "frame", "activities": "frame", "drivers": "frame"}),
    "activity_rates": (costing.activity_rates, {"activities": ACTIVITIES,
                                                "drivers": DRIVERS, "segments": SEGMENTS},
                       {"segments": "frame", "activities": "frame", "drivers": "frame"}),
    "layout": (costing.layout, {"table": VBC_TABLE}, {"table": "frame"}),
    "rank_change": (costing.rank_change, {"vbc": VBC_TABLE, "abc": VBC_TABLE},
                    {"vbc": "frame", "abc": "frame"}),
    "what_if_drivers": (costing.what_if_drivers, {"drivers": DRIVERS, "segment": "甲",
                                                  "quantities": {"订单处理": 450}},
                        {"drivers": "frame", "segment": "scalar", "quantities": "scalar"}),
    "what_if_table": (costing.what_if_table, {"segments": SEGMENTS, "activities": ACTIVITIES,
                                              "drivers": DRIVERS, "segment": "甲",
                                              "quantities": {"订单处理": 450}},
                      {"segments": "frame", "segment": "scalar", "quantities": "scalar"}),
}
_POOLS = {"scalar": _bad.SCALARS, "array": _bad.ARRAYS, "frame": _bad.FRAMES}
COSTING_CASES = [(name, argument, category)
                 for name, (_, _, kinds) in COSTING_CALLS.items()
                 for argument, kind in kinds.items()
                 for category in _POOLS[kind]]


@pytest.mark.parametrize("name, argument, category", COSTING_CASES)
def test_property_every_bad_input_category(name, argument, category):
    function, valid, kinds = COSTING_CALLS[name]
    kwargs = dict(valid)
    kwargs[argument] = _POOLS[kinds[argument]][category]
    _bad.attack(function, kwargs)


#: bad cells planted in a number column of an input table
CELLS = {"nan": float("nan"), "inf": float("inf"), "1e308": 1e308, "negative": -5.0,
         "text number": "12", "text": "x", "None": None, "bool": True}
TABLE_COLUMNS = [("volume_based", "segments", c) for c in ("sales", "direct_cost")] + \
    [("activity_based", "activities", "cost"), ("activity_based", "drivers", "quantity"),
     ("activity_based", "segments", "segment"), ("activity_based", "drivers", "segment"),
     ("activity_based", "activities", "activity"), ("rank_change", "vbc", "segment_profit"),
     ("rank_change", "abc", "segment"), ("layout", "table", "segment"),
     ("what_if_drivers", "drivers", "quantity")]
CELL_CASES = [(*where, category) for where in TABLE_COLUMNS for category in CELLS]


@pytest.mark.parametrize("name, argument, column, category", CELL_CASES)
def test_property_bad_cells_in_input_tables(name, argument, column, category):
    function, valid, _ = COSTING_CALLS[name]
    table = valid[argument].copy()
    table[column] = table[column].astype(object)
    table.iloc[1, table.columns.get_loc(column)] = CELLS[category]
    _bad.attack(function, {**valid, argument: table})


@given(st.sampled_from(sorted(COSTING_CALLS)), st.data())
@settings(max_examples=120, deadline=None)
def test_property_random_bad_values_only_raise_value_or_type_error(name, data):
    function, valid, kinds = COSTING_CALLS[name]
    kwargs = dict(valid)
    for argument in data.draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1,
                                       max_size=2, unique=True)):
        pool = _POOLS[kinds[argument]]
        kwargs[argument] = pool[data.draw(st.sampled_from(sorted(pool)))]
    _bad.attack(function, kwargs)
