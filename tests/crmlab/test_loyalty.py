"""crmlab.loyalty: repeat purchase, growth and churn, cohort retention, the ten measures."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmlab import complaints, datasets, glossary, loyalty


def _naive_retention(tx, period="M"):
    """Reference: loop over customers, sets of active periods."""
    periods = {}
    for cust, day in zip(tx["customer_id"], pd.to_datetime(tx["date"]), strict=True):
        periods.setdefault(cust, set()).add(pd.Period(day, period).ordinal)
    last = max(max(p) for p in periods.values())
    members, active = {}, {}
    for ps in periods.values():
        first = min(ps)
        members[first] = members.get(first, 0) + 1
        for p in ps:
            active[(first, p - first)] = active.get((first, p - first), 0) + 1
    table = {}
    for first, size in members.items():
        label = str(pd.Period(ordinal=first, freq=period))
        table[label] = {k: active.get((first, k), 0) / size for k in range(last - first + 1)}
    return pd.DataFrame(table).T.sort_index()


_tx = st.lists(st.tuples(st.integers(1, 8), st.integers(0, 400)), min_size=1,
               max_size=60).map(lambda rows: pd.DataFrame({
                   "customer_id": [c for c, _ in rows],
                   "date": [pd.Timestamp("2023-01-01") + pd.Timedelta(days=d) for _, d in rows]}))


@given(_tx, st.sampled_from(["M", "Q", "W"]))
def test_cohort_retention_against_a_naive_loop(tx, period):
    before = tx.copy()
    table = loyalty.cohort_retention(tx, period=period)
    pd.testing.assert_frame_equal(tx, before)
    naive = _naive_retention(tx, period)
    assert list(table.index) == list(naive.index)
    got = table.to_numpy(dtype=float)
    want = naive.reindex(columns=table.columns).to_numpy(dtype=float)
    np.testing.assert_allclose(got, want, equal_nan=True)
    values = got[~np.isnan(got)]
    assert ((values >= 0) & (values <= 1)).all()
    assert (table[0] == 1.0).all()
    # NaN only after the end of the data: a staircase
    observable = (~np.isnan(got)).sum(axis=1)
    assert (np.diff(observable) <= 0).all()


@given(_tx)
def test_repeat_purchase_rate_against_a_naive_count(tx):
    days = tx.assign(day=tx["date"].dt.normalize()).drop_duplicates(["customer_id", "day"])
    naive = (days.groupby("customer_id").size() >= 2).mean()
    assert loyalty.repeat_purchase_rate(tx) == pytest.approx(naive)
    assert 0 <= loyalty.repeat_purchase_rate(tx) <= 1


def test_same_day_is_one_occasion_and_intervals():
    tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
                       "date": ["2024-01-01 09:00", "2024-01-01 18:00", "2024-01-21",
                                "2024-03-01"]})
    assert loyalty.repeat_purchase_rate(tx) == 0.5
    iv = loyalty.purchase_intervals(tx).set_index("customer_id")
    assert iv.loc["a", ["occasions", "tenure_days", "mean_interval_days"]].tolist() == [
        2, 20, 20.0]
    assert np.isnan(iv.loc["b", "mean_interval_days"])


def test_customer_growth_by_hand():
    tx = pd.DataFrame({"customer_id": [1, 2, 3, 1, 4, 5, 4],
                       "date": ["2022-02-01", "2022-06-01", "2022-12-01", "2023-01-05",
                                "2023-03-01", "2023-07-01", "2024-02-01"]})
    g = loyalty.customer_growth(tx).set_index("period")
    assert g.loc["2023", ["active", "new", "retained", "lost"]].tolist() == [3, 2, 1, 2]
    assert g.loc["2023", "growth_rate"] == 0.0
    assert g.loc["2023", "acquisition_rate"] == pytest.approx(2 / 3)
    assert g.loc["2023", "churn_rate"] == pytest.approx(2 / 3)
    assert g.loc["2024", "churn_rate"] == pytest.approx(2 / 3)
    assert bool(g.loc["2024", "partial"]) and not g.loc["2023", "partial"]
    assert np.isnan(g.loc["2022", "growth_rate"])


def test_bad_input():
    tx = pd.DataFrame({"customer_id": [1, None], "date": ["2024-01-01", "2024-01-02"]})
    with pytest.raises(ValueError, match="missing"):
        loyalty.repeat_purchase_rate(tx)
    tx = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-01", "not a date"]})
    with pytest.raises(ValueError, match="unparseable"):
        loyalty.cohort_retention(tx)
    with pytest.raises(ValueError, match="period"):
        loyalty.cohort_retention(tx.iloc[:1], period="D")
    with pytest.raises(ValueError, match="empty"):
        loyalty.repeat_purchase_rate(tx.iloc[:0])
    with pytest.raises(ValueError, match="missing column"):
        loyalty.repeat_purchase_rate(tx, customer="cust")
    survey = datasets.load_synthetic("loyalty_survey")
    with pytest.raises(ValueError, match="1-5"):
        loyalty.survey_measures(survey.assign(identification=7))
    with pytest.raises(ValueError, match="our_purchases"):
        loyalty.survey_measures(survey.assign(our_purchases=survey["category_purchases"] + 1))


def test_cdnow_is_one_acquisition_cohort_of_three_months():
    tx = datasets.load_cdnow()
    table = loyalty.cohort_retention(tx)
    assert list(table.index) == ["1997-01", "1997-02", "1997-03"]
    assert sum(table.attrs["cohort_size"].values()) == 23_570
    assert table.shape[1] == 18  # 1997-01 .. 1998-06
    assert table.loc["1997-03"].isna().sum() == 2
    assert 0.1 < table[1].min() < table[1].max() < 0.2
    assert 0.48 < loyalty.repeat_purchase_rate(tx) < 0.5
    churn = loyalty.churn_by_cohort(tx).set_index("cohort")
    np.testing.assert_allclose(churn["churn_1"], 1 - table[1])


def test_planted_cohort_pattern():
    tx = datasets.load_synthetic("cohort_transactions")
    table = loyalty.cohort_retention(tx)
    assert len(table) == 12
    early, late = table.iloc[:6, 1:7].mean().mean(), table.iloc[6:, 1:7].mean().mean()
    assert late - early > 0.07


def test_measures_table_on_the_shop():
    orders = datasets.load_synthetic("shop_orders")
    log = datasets.load_synthetic("complaint_log")
    survey = datasets.load_synthetic("loyalty_survey")
    table = loyalty.measures_table(orders, complaint_log=log, survey=survey).set_index(
        "measure")
    assert len(table) == 10 and table["value"].notna().all()
    # one period for all transaction measures: 2024, the last complete year (2025 is partial)
    in_2024 = orders[orders["date"].str.startswith("2024")]
    assert table.loc["repeat_purchase", "value"] == loyalty.repeat_purchase_rate(in_2024)
    assert table.loc["quality_tolerance", "source"] == "complaints + transactions 2024"
    growth = loyalty.customer_growth(orders).set_index("period")
    assert table.loc["churn", "value"] == growth.loc["2024", "churn_rate"]  # 2025 is partial
    only_tx = loyalty.measures_table(orders).set_index("measure")
    assert only_tx.loc[["brand_attention", "quality_tolerance"], "value"].isna().all()
    assert table.loc["need_fulfilment", "value"] == pytest.approx(
        survey["our_purchases"].sum() / survey["category_purchases"].sum())


def test_concept_tables_have_labels():
    assert len(loyalty.LEVELS) == 3 and len(loyalty.EFFECTS) == 3
    assert len(loyalty.RAISE_LOYALTY) == 6 and len(loyalty.MEASURES) == 10
    for column, codes in [("loyalty_level", loyalty.LEVELS["loyalty_level"]),
                          ("loyalty_effect", loyalty.EFFECTS["loyalty_effect"]),
                          ("raise_measure", loyalty.RAISE_LOYALTY),
                          ("measure", loyalty.MEASURES["measure"])]:
        assert set(codes) == set(glossary.VALUES[column]), column
    assert glossary.value_label("measure", "churn") == "顾客流失率"


def test_quality_tolerance_counts_quality_complaints_only():
    """对产品质量事故的承受能力 uses product-quality complaints, not all complaints."""
    orders = datasets.load_synthetic("shop_orders")
    log = datasets.load_synthetic("complaint_log")
    quality = loyalty.quality_incident_tolerance(log, orders)
    every = loyalty.quality_incident_tolerance(log, orders, types=complaints.TYPES)
    assert round(quality, 2) == 1.22 and round(every, 2) == 1.17
    with pytest.raises(ValueError, match="types"):
        loyalty.quality_incident_tolerance(log, orders, types=["qualty"])
    with pytest.raises(TypeError, match="between"):
        loyalty.quality_incident_tolerance(log, orders, between="2024")
    with pytest.raises(ValueError, match="between"):
        loyalty.quality_incident_tolerance(log, orders, between=("2024-12-31", "2024-01-01"))
    one_year = loyalty.quality_incident_tolerance(log, orders,
                                                  between=("2024-01-01", "2024-12-31"))
    assert round(one_year, 2) == 1.22


def test_survey_measures_refuse_negative_minutes_and_infinity():
    s = pd.DataFrame({"brand_attention": [4, 2], "category_purchases": [10, 5],
                      "our_purchases": [5, 5], "price_tolerance_pct": [10, 20],
                      "competitor_interest": [2, 4], "identification": [5, 3],
                      "choice_minutes": [5, 15], "quality_tolerance": [3, 3]})
    assert loyalty.survey_measures(s).set_index("measure").loc["purchase_time", "value"] == 10
    with pytest.raises(ValueError, match="choice_minutes.*-500"):
        loyalty.survey_measures(s.assign(choice_minutes=[5, -500]))
    with pytest.raises(ValueError, match="price_tolerance_pct.*inf"):
        loyalty.survey_measures(s.assign(price_tolerance_pct=[10, np.inf]))


@pytest.mark.parametrize("log", [None, "log", [1, 2], pd.Series([1.0]), pd.DataFrame()])
def test_quality_incident_tolerance_names_a_bad_complaint_log(log):
    orders = pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"]})
    with pytest.raises((TypeError, ValueError), match="complaint_log"):
        loyalty.quality_incident_tolerance(log, orders)


def test_churn_by_cohort_refuses_a_period_no_cohort_can_reach():
    tx = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-05", "2024-02-05"]})
    with pytest.raises(ValueError, match="at=1e\\+308"):
        loyalty.churn_by_cohort(tx, at=[1e308])


@pytest.mark.parametrize("at", [None, 5, "1,3"])
def test_churn_by_cohort_names_periods_that_are_not_a_list(at):
    tx = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-05", "2024-02-05"]})
    with pytest.raises(TypeError, match="at=.*at="):
        loyalty.churn_by_cohort(tx, at=at)


@pytest.mark.parametrize("days", [None, "90", float("nan"), 0, 1e308])
def test_measures_table_checks_days_even_without_a_complaint_log(days):
    tx = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-05", "2024-02-05"]})
    with pytest.raises((TypeError, ValueError), match="days"):
        loyalty.measures_table(tx, days=days)
