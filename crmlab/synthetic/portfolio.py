"""Chapter 4's customer portfolio: B2B customers by channel type, their orders, products.

The lecture's composition analysis (客户构成分析) needs customers classified as
批发店/零售店/代理店/特约店/连锁店/专营店 with sales, products, gross margins, credit
scores and loyalty indicators; no lecture prints such data, so the course makes
them with a fixed seed (``datasets/synthetic/README.md`` lists the planted patterns).

>>> c = portfolio_customers()
>>> c["customer_id"].is_unique, sorted(c["channel_type"].unique())[:2]
(True, ['agent', 'chain'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20_240_904
N_CUSTOMERS = 240
START, END = pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31")

#: channel type -> (share of customers, median annual purchases 元, orders per year)
_CHANNELS = {
    "wholesale": (0.10, 900_000, 20),
    "chain": (0.08, 700_000, 24),
    "agent": (0.15, 260_000, 12),
    "franchise": (0.17, 160_000, 12),
    "specialty": (0.20, 70_000, 10),
    "retail": (0.30, 30_000, 8),
}
#: product -> (share of sales, gross margin rate, inventory turnover per year)
_PRODUCTS = {
    "洗衣液": (0.24, 0.22, 11.0),
    "洗发水": (0.18, 0.34, 8.0),
    "沐浴露": (0.14, 0.31, 7.0),
    "牙膏": (0.13, 0.28, 12.0),
    "洗洁精": (0.10, 0.18, 14.0),
    "香皂": (0.08, 0.25, 9.0),
    "面霜": (0.07, 0.52, 4.0),
    "护手霜": (0.06, 0.46, 3.5),
}


def _customers_base(rng: np.random.Generator) -> pd.DataFrame:
    n = N_CUSTOMERS
    types = list(_CHANNELS)
    channel = rng.choice(types, n, p=[_CHANNELS[t][0] for t in types])
    median = np.array([_CHANNELS[t][1] for t in channel], dtype=float)
    size = median * rng.lognormal(0.0, 0.9, n)          # annual purchases from us, 元
    # relationship: start before 2023 (most), during 2023-24 (new), some stop trading
    years = np.round(rng.gamma(2.0, 2.2, n), 1)          # 合作年限 at the start of 2023
    new = rng.random(n) < 0.15
    first = np.where(new, rng.integers(0, 640, n), 0)     # days after START
    years = np.where(new, 0.0, years)
    stop = rng.random(n) < 0.12
    last = np.where(stop, first + rng.integers(90, 500, n), 730)
    last = np.minimum(last, 730)
    loyalty = np.clip(35 + 6 * np.minimum(years, 8) + rng.normal(0, 14, n), 1, 99)
    loyalty = np.where(stop, np.clip(loyalty - 25, 1, 99), loyalty)
    credit = np.clip(rng.normal(70, 15, n), 5, 99)
    risky = rng.random(n) < 0.12                          # planted: poor payers
    credit = np.where(risky, rng.uniform(10, 45, n), credit)
    return pd.DataFrame({
        "customer_id": [f"K{i:03d}" for i in range(1, n + 1)],
        "channel_type": channel, "size": size, "first_day": first, "last_day": last,
        "years": years, "loyalty": loyalty, "credit": credit,
    })


def portfolio_orders(seed: int = SEED) -> pd.DataFrame:
    """Orders of the B2B customers in 2023–2024: date, product, amount and cost (元)."""
    rng = np.random.default_rng(seed)
    base = _customers_base(rng)
    per_year = np.array([_CHANNELS[t][2] for t in base["channel_type"]], dtype=float)
    active_days = (base["last_day"] - base["first_day"] + 1).to_numpy()
    counts = np.maximum(rng.poisson(per_year * active_days / 365.0), 1)
    idx = np.repeat(np.arange(len(base)), counts)
    day = base["first_day"].to_numpy()[idx] + np.floor(
        rng.random(len(idx)) * active_days[idx]).astype(int)
    names = list(_PRODUCTS)
    product = rng.choice(names, len(idx), p=[_PRODUCTS[p][0] for p in names])
    margin = np.array([_PRODUCTS[p][1] for p in product]) + rng.normal(0, 0.03, len(idx))
    # the customer's size spread over its orders; growth for a third of customers
    growth = np.where(rng.random(len(base)) < 0.33, 1.35, 0.95)[idx]
    trend = np.where(day >= 365, growth, 1.0)
    mean_order = (base["size"].to_numpy() / per_year)[idx]
    amount = np.round(mean_order * trend * rng.lognormal(-0.08, 0.4, len(idx)), 2)
    cost = np.round(amount * (1 - np.clip(margin, 0.05, 0.7)), 2)
    orders = pd.DataFrame({
        "customer_id": base["customer_id"].to_numpy()[idx],
        "date": (START + pd.to_timedelta(day, "D")).strftime("%Y-%m-%d"),
        "product": product, "amount": amount, "cost": cost,
    })
    orders = orders.sort_values(["date", "customer_id", "product"], kind="stable")
    orders = orders.reset_index(drop=True)
    orders.insert(0, "order_id", [f"D{i:05d}" for i in range(1, len(orders) + 1)])
    return orders


def portfolio_customers(seed: int = SEED) -> pd.DataFrame:
    """One row per B2B customer: channel type, sales and margins (from the orders),
    credit and loyalty indicators, strategic importance and management difficulty.
    """
    rng = np.random.default_rng(seed)
    base = _customers_base(rng)
    orders = portfolio_orders(seed)
    year = orders["date"].str[:4]
    sales = orders.pivot_table(index="customer_id", columns=year, values="amount",
                               aggfunc="sum", fill_value=0.0)
    cost24 = orders[year == "2024"].groupby("customer_id")["cost"].sum()
    n24 = orders[year == "2024"].groupby("customer_id").size()
    out = base[["customer_id", "channel_type"]].copy()
    ids = out["customer_id"]
    out["first_order"] = orders.groupby("customer_id")["date"].min().reindex(ids).to_numpy()
    out["last_order"] = orders.groupby("customer_id")["date"].max().reindex(ids).to_numpy()
    out["sales_2023"] = sales.get("2023", 0.0).reindex(ids).fillna(0.0).round(2).to_numpy()
    out["sales_2024"] = sales.get("2024", 0.0).reindex(ids).fillna(0.0).round(2).to_numpy()
    out["gross_profit_2024"] = (out["sales_2024"] - cost24.reindex(ids).fillna(0.0)
                                .to_numpy()).round(2)
    out["orders_2024"] = n24.reindex(ids).fillna(0).astype(int).to_numpy()
    # what the customer buys from all suppliers (钱包), at least what it buys from us
    wallet = out["sales_2024"] / rng.uniform(0.15, 0.9, len(out))
    out["purchases_total_2024"] = np.round(wallet, -2)
    out.loc[out["purchases_total_2024"] < out["sales_2024"], "purchases_total_2024"] = (
        np.ceil(out["sales_2024"] / 100) * 100)
    # the sales plan: expected share of our total sales (期望比重), set at the start of 2024
    plan = out["sales_2023"].where(out["sales_2023"] > 0, base["size"]) * rng.uniform(
        0.9, 1.3, len(out))
    out["expected_share"] = (plan / plan.sum()).round(5)
    out["years_as_customer"] = base["years"]
    out["loyalty_score"] = base["loyalty"].round(0).astype(int)
    out["credit_score"] = base["credit"].round(0).astype(int)
    out["strategic_importance"] = np.clip(
        np.round(2 + 2.2 * np.log10(1 + base["size"] / 20_000) + rng.normal(0, 1.2, len(out))),
        1, 10).astype(int)
    out["management_difficulty"] = np.clip(
        np.round(5 + rng.normal(0, 2, len(out)) - (base["credit"] - 70) / 20), 1, 10).astype(int)
    return out


def portfolio_products(seed: int = SEED) -> pd.DataFrame:
    """One row per product in 2024: sales, cost of sales, average inventory, sales target."""
    rng = np.random.default_rng(seed + 1)
    orders = portfolio_orders(seed)
    orders = orders[orders["date"].str[:4] == "2024"]
    out = orders.groupby("product", sort=False).agg(sales=("amount", "sum"),
                                                    cost=("cost", "sum")).reset_index()
    turn = np.array([_PRODUCTS[p][2] for p in out["product"]])
    out["average_inventory"] = np.round(out["cost"] / (turn * rng.uniform(0.9, 1.1, len(out))),
                                        -2)
    out["target"] = np.round(out["sales"] * rng.uniform(0.85, 1.15, len(out)), -3)
    out["sales"] = out["sales"].round(2)
    out["cost"] = out["cost"].round(2)
    order = list(_PRODUCTS)
    return out.set_index("product").loc[order].reset_index()
