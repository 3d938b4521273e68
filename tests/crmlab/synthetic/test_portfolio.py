"""The chapter-4 portfolio data extend chapter 1's B2B customers consistently."""

import numpy as np

from crmlab import synthetic


def test_portfolio_customers_are_the_b2b_customers():
    b2b = synthetic.b2b_customers().set_index("customer_id")
    c = synthetic.portfolio_customers().set_index("customer_id")
    assert list(c.index) == list(b2b.index)
    assert (c["sales"] == b2b["sales"]).all()
    # the two generators agree: same last-year purchases (no customer began in 2024,
    # so none has purchases before its first year) and chapter 1's net profit
    assert (c["sales_last_year"] == b2b["sales_last_year"]).all()
    assert (b2b["since"] <= 2023).all() and (b2b["sales_last_year"] > 0).all()
    assert (c["profit"] == b2b["profit"]).all()
    assert set(c["channel_type"]) == {"wholesale", "retail", "agent", "franchise", "chain",
                                      "specialty"}
    assert (c["purchases_total"] >= c["sales"]).all()
    assert np.isclose(c["expected_share"].sum(), 1, atol=1e-3)
    assert c["credit_score"].between(1, 99).all() and c["loyalty_score"].between(1, 99).all()


def test_orders_add_up_to_the_customer_figures():
    c = synthetic.portfolio_customers().set_index("customer_id")
    orders = synthetic.portfolio_orders()
    now = orders[orders["date"].str.startswith("2024")].groupby("customer_id")
    assert np.allclose(now["amount"].sum().reindex(c.index), c["sales"], atol=0.01)
    assert (now.size().reindex(c.index) == c["orders"]).all()
    gross = (now["amount"].sum() - now["cost"].sum()).reindex(c.index)
    assert np.allclose(gross, c["gross_profit"], atol=1.0)
    before = orders[orders["date"].str.startswith("2023")].groupby("customer_id")["amount"]
    assert np.allclose(before.sum().reindex(c.index).fillna(0), c["sales_last_year"],
                       atol=0.01)
    products = synthetic.portfolio_products()
    assert np.isclose(products["sales"].sum(), c["sales"].sum(), atol=1)
