"""Chapter 1's synthetic B2B customers: the planted patterns a student should find."""

import numpy as np
import pytest

from crmlab import pareto
from crmlab.synthetic import b2b


@pytest.fixture(scope="module")
def data():
    return b2b.b2b_customers()


def test_profit_is_built_from_its_parts(data):
    parts = data["gross_profit"] - data["service_cost"] - data["financing_cost"] - data["bad_debt"]
    assert (data["profit"] == parts).all()
    assert (data["service_cost"] == data["orders"] * 300 + data["support_hours"] * 300
            + data["visits"] * 800).all()


def test_columns_are_complete_and_keys_stable(data):
    assert data["customer_id"].tolist() == [f"K{i:04d}" for i in range(1, 501)]
    assert data["company"].is_unique
    assert not data.isna().any().any()
    assert (data[["sales", "sales_last_year", "orders", "service_cost"]] > 0).all().all()
    assert data["collection_rate"].between(0, 1).all()
    assert set(data["cooperation"]) <= {1, 2, 3, 4, 5}


def test_sherden_pattern(data):
    s = pareto.sherden_shares(data["profit"]).iloc[0]
    assert s["peak_share"] > 1.3  # well above 100 %
    assert s["top_share"] > 1.0
    assert s["bottom_share"] < -0.3
    assert 0.25 < (data["profit"] < 0).mean() < 0.5


def test_big_is_not_good(data):
    biggest = data.nlargest(30, "sales")
    losers = biggest[biggest["profit"] < 0]
    assert len(losers) >= 6
    assert (losers["price_discount"] > 0.2).all() and (losers["days_to_pay"] > 100).all()
    assert data.loc[data["profit"].idxmin(), "sales"] > data["sales"].quantile(0.9)


def test_small_fast_growing_customers(data):
    growth = data["sales"] / data["sales_last_year"] - 1
    fast = data[growth > 0.6]
    assert len(fast) >= 20
    assert fast["sales"].median() < data["sales"].median()
    assert fast["industry"].isin(["电子", "新能源"]).mean() > 0.8


def test_bad_payers(data):
    bad = data[data["collection_rate"] < 0.9]
    assert len(bad) == 20
    assert (bad["profit"] < 0).mean() > 0.8


def test_seed_changes_the_data():
    assert not np.array_equal(b2b.b2b_customers(1)["sales"], b2b.b2b_customers(2)["sales"])
