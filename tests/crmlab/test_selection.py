"""crmlab.selection: screening scorecard, sensitivity, attractiveness × fit, checks."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import selection
from crmlab.synthetic import b2b_customers

FIVE = {"purchase": 0.3, "profitability": 0.3, "safety": 0.2, "future": 0.1,
        "cooperation": 0.1}


@pytest.fixture(scope="module")
def dims():
    return selection.screening_dimensions(b2b_customers())


def small():
    return pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "sales": [100, 400, 250, 50],
                         "days": [30, 120, 60, 30], "coop": [3, 1, 4, 5]})


# --- normalisation ---------------------------------------------------------------

@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40),
       st.sampled_from(["minmax", "rank"]), st.booleans())
def test_minmax_and_rank_scores_lie_in_unit_interval(values, method, higher):
    score = selection.normalize(values, method, higher_is_better=higher)
    assert ((score >= -1e-12) & (score <= 1 + 1e-12)).all()


@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40))
def test_normalisation_keeps_or_reverses_the_order(values):
    x = np.array(values)
    for method in ("minmax", "rank", "z"):
        up = selection.normalize(x, method)
        down = selection.normalize(x, method, higher_is_better=False)
        i, j = np.argmax(x), np.argmin(x)
        assert up[i] >= up[j] and down[i] <= down[j]


def test_normalisation_by_hand():
    assert selection.normalize([2, 4, 6], "minmax").tolist() == [0, 0.5, 1]
    assert selection.normalize([5, 1, 1], "rank").tolist() == [1, 0.25, 0.25]
    np.testing.assert_allclose(selection.normalize([1, 2, 3], "z"), [-1.2247449, 0, 1.2247449])
    assert selection.normalize([7, 7], "minmax").tolist() == [0.5, 0.5]


def test_unknown_method_is_named():
    with pytest.raises(ValueError, match="'minmax'"):
        selection.normalize([1, 2], "max")


# --- weights ---------------------------------------------------------------------

def test_percent_weights_are_rescaled_with_a_note():
    w, note = selection.validate_weights({"a": 30, "b": 70})
    assert w.tolist() == [0.3, 0.7] and "合计为 100" in note
    with pytest.warns(UserWarning, match="合计为 100"):
        card = selection.scorecard(small(), {"sales": 60, "coop": 40})
    assert card.attrs["weights"] == {"sales": 0.6, "coop": 0.4}


@pytest.mark.parametrize("weights, error", [
    ({"sales": -0.2, "coop": 1.2}, ValueError), ({"sales": 0, "coop": 0}, ValueError),
    ({"sales": "0.5"}, TypeError), ({}, ValueError), ([0.5, 0.5], TypeError),
    ({"sales": float("nan")}, ValueError), ({"sales": True}, TypeError)])
def test_bad_weights_are_refused(weights, error):
    with pytest.raises(error, match="weights|权重"):
        selection.scorecard(small(), weights)


# --- scorecard -------------------------------------------------------------------

def test_scorecard_by_hand():
    card = selection.scorecard(small(), {"sales": 0.5, "days": 0.25, "coop": 0.25},
                               direction={"days": "lower"})
    # sales minmax: a .1429 b 1 c .5714 d 0; days (lower better): a 1 b 0 c .6667 d 1
    # coop: a .5 b 0 c .75 d 1
    expected = {"a": 0.5 * 50 / 350 + 0.25 + 0.125, "b": 0.5,
                "c": 0.5 * 200 / 350 + 0.25 * 2 / 3 + 0.25 * 0.75, "d": 0.5}
    got = card.set_index("customer_id")["total_score"]
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)
    assert card["customer_id"].tolist() == ["c", "b", "d", "a"]  # b before d: tie by position
    assert card["rank"].tolist() == [1, 2, 3, 4]


# The same 40 customers every time, only the weights vary (a linear identity): 50 weight
# sets say what 100 did, each rebuilding the screening table (~0.03 s).
@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(list(FIVE)), st.floats(0.01, 10), min_size=1))
def test_total_score_is_the_weighted_sum_of_the_scores(weights):
    data = selection.screening_dimensions(b2b_customers()).head(40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        card = selection.scorecard(data, weights)
    w = pd.Series(weights) / sum(weights.values())
    manual = sum(w[c] * card[f"score_{c}"] for c in weights)
    np.testing.assert_allclose(card["total_score"], manual)
    assert card["total_score"].is_monotonic_decreasing


def test_scorecard_does_not_mutate_and_refuses_text(dims):
    before = dims.copy()
    selection.scorecard(dims, FIVE)
    pd.testing.assert_frame_equal(dims, before)
    bad = small().astype({"sales": object})
    bad.loc[2, "sales"] = "二百五十"
    with pytest.raises(TypeError, match="pd.to_numeric"):
        selection.scorecard(bad, {"sales": 1})
    missing = small().astype({"sales": float})
    missing.loc[1, "sales"] = np.nan
    with pytest.raises(ValueError, match=r"行 \[1\]"):
        selection.scorecard(missing, {"sales": 1})


def test_unknown_columns_and_directions_are_named():
    with pytest.raises(ValueError, match="profit"):
        selection.scorecard(small(), {"profit": 1})
    with pytest.raises(ValueError, match="'lower'"):
        selection.scorecard(small(), {"sales": 1}, direction={"sales": "down"})
    with pytest.raises(ValueError, match="days"):
        selection.scorecard(small(), {"sales": 1}, direction={"days": "lower"})


def test_select_by_top_and_by_threshold(dims):
    card = selection.scorecard(dims, FIVE)
    top = selection.select(card, top=50)
    assert top["selected"].sum() == 50 and top["selected"].iloc[:50].all()
    cut = selection.select(card, threshold=0.5)
    assert (cut.loc[cut["selected"], "total_score"] >= 0.5).all()
    assert "selected" not in card.columns
    with pytest.raises(ValueError, match="top"):
        selection.select(card, top=10, threshold=0.5)
    with pytest.raises(ValueError, match="top"):
        selection.select(card, top=-1)


def test_rank_method_is_robust_to_one_outlier():
    data = pd.DataFrame({"customer_id": [1, 2, 3], "x": [1, 2, 1000], "y": [3, 2, 1]})
    minmax = selection.scorecard(data, {"x": 0.5, "y": 0.5})
    rank = selection.scorecard(data, {"x": 0.5, "y": 0.5}, method="rank")
    squeezed = minmax.set_index("customer_id").loc[2, "score_x"]
    assert squeezed == pytest.approx(1 / 999)  # the outlier squeezes everyone else to ~0
    assert rank.set_index("customer_id").loc[2, "score_x"] == 0.5


# --- sensitivity -------------------------------------------------------------------

def test_sensitivity_rows_and_rescaled_weights(dims):
    table = selection.weight_sensitivity(dims, FIVE, change=0.1, top=20)
    assert len(table) == 2 * len(FIVE)
    row = table[(table["criterion"] == "purchase") & (table["change"] > 0)].iloc[0]
    assert row["weight"] == pytest.approx(0.4)
    assert table["spearman"].between(-1, 1).all() and table["top_overlap"].between(0, 1).all()


def test_sensitivity_detects_a_ranking_that_flips():
    data = pd.DataFrame({"customer_id": list("abcd"), "x": [1, 2, 3, 4], "y": [4, 3, 2, 1]})
    table = selection.weight_sensitivity(data, {"x": 0.55, "y": 0.45}, change=0.1, top=2)
    down = table[(table["criterion"] == "x") & (table["change"] < 0)].iloc[0]
    assert down["top_overlap"] == 0 and down["spearman"] == pytest.approx(-1)
    assert set(down["entered"].split(", ")) == {"a", "b"}


# --- attractiveness × fit ------------------------------------------------------------

def test_factor_presets_are_the_lectures_lists():
    assert list(selection.ATTRACTIVENESS_FACTORS.values()) == [
        "市场规模", "市场增长率", "竞争者实力", "消费者对现有产品的满意度", "消费者的支付能力",
        "市场的稳定性和可预测性", "风险", "其他"]
    assert list(selection.FIT_FACTORS.values()) == [
        "与公司形象的适应性", "与公司目标的匹配程度", "与公司资源的匹配程度", "分销渠道的可获得性",
        "需要的投资额", "成本", "获得持续竞争优势可能性", "营销沟通的可达性"]


def test_attractiveness_fit_four_regions():
    ratings = pd.DataFrame({"segment": ["甲", "乙", "丙", "丁"],
                            "market_size": [5, 5, 2, 1], "market_growth": [4, 4, 2, 2],
                            "resource_fit": [5, 1, 5, 2], "cost": [4, 2, 4, 1]})
    out = selection.attractiveness_fit(ratings, {"market_size": 0.5, "market_growth": 0.5},
                                       {"resource_fit": 0.7, "cost": 0.3})
    assert out["segment_decision"].tolist() == ["enter", "build_fit", "selective", "avoid"]
    assert out.loc[0, "fit"] == pytest.approx(0.7 * 5 + 0.3 * 4)
    eq = selection.attractiveness_fit(ratings)  # equal weights of the factors present
    assert eq.loc[1, "attractiveness"] == pytest.approx(4.5)


def test_attractiveness_fit_refuses_unknown_factor():
    ratings = pd.DataFrame({"segment": ["甲"], "market_size": [3], "image_fit": [3]})
    with pytest.raises(ValueError, match="market_growth"):
        selection.attractiveness_fit(ratings, {"market_growth": 1})


# --- big ≠ good, elastic ------------------------------------------------------------

def test_size_vs_profit_on_the_synthetic_file():
    table = selection.size_vs_profit(b2b_customers())
    assert table["abc_class"].tolist() == ["A", "B", "C"]
    assert table["customers"].sum() == 500
    a = table.iloc[0]
    assert a["loss_makers"] >= 8 and a["losses"] < 0


def test_elastic_checklist_needs_all_three():
    out = selection.elastic_checklist([True, True, False], [True, False, False],
                                      pd.Series([True, True, True]))
    assert out["keep"].tolist() == [True, False, False]
    assert out["failed"].tolist() == ["", "within_service_capacity",
                                      "value_outweighs_cash_drain, within_service_capacity"]
    assert list(selection.ELASTIC_PRECONDITIONS) == list(out.columns[:3])


@pytest.mark.parametrize("args", [("yes", True, True), ([1, 0], [True, True], [True, True]),
                                  ([True, False], [True], [True, False, True])])
def test_elastic_checklist_bad_input(args):
    with pytest.raises((TypeError, ValueError)):
        selection.elastic_checklist(*args)


def test_a_weighted_sum_equal_to_the_midpoint_up_to_rounding_counts_as_high():
    # (2 + 5 + 2) / 3 is 2.9999999999999996 in floats: it reaches the midpoint 3
    ratings = pd.DataFrame({"segment": ["x"], "market_size": [2], "market_growth": [5],
                            "risk": [2], "resource_fit": [2], "channel_access": [3],
                            "cost": [4]})
    table = selection.attractiveness_fit(ratings)
    assert table.loc[0, "attractiveness"] != 3.0  # the float sum really is below 3
    assert table.loc[0, "segment_decision"] == "enter"


def test_silent_slips_are_refused():
    from crmlab import selection as sel

    for flag in ("False", "no", np.nan, 0):
        with pytest.raises(TypeError, match="higher_is_better"):
            sel.normalize([1, 2, 3], higher_is_better=flag)
    with pytest.raises(ValueError, match=r"超出范围.*weights\['a'\]=1e\+308 .*<= 1e\+15"):
        sel.validate_weights({"a": 1e308, "b": 1e308})
    base = pd.DataFrame({"customer_id": [1, 2], "sales": [10.0, 20.0],
                         "gross_profit": [1.0, 2.0], "collection_rate": [0.8, 1.0],
                         "sales_last_year": [8.0, 25.0], "cooperation": [4, 5]})
    assert sel.screening_dimensions(base)["safety"].tolist() == [0.8, 1.0]
    with pytest.raises(ValueError, match="collection_rate.*80"):
        sel.screening_dimensions(base.assign(collection_rate=[80, 1.0]))
    with pytest.raises(ValueError, match="cooperation.*9"):
        sel.screening_dimensions(base.assign(cooperation=[9, 5]))
    twice = pd.DataFrame({"customer_id": [1, 1, np.nan], "sales": [80, 15, 5],
                          "profit": [-5, 6, 1]})
    with pytest.raises(ValueError, match="重复"):
        sel.size_vs_profit(twice.iloc[:2])
    with pytest.raises(ValueError, match="缺失"):
        sel.size_vs_profit(twice.iloc[1:])
