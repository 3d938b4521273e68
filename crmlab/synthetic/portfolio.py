"""Chapter 4's customer portfolio: chapter 1's B2B customers with more columns.

The data sets add channel type, orders by product, credit and loyalty indicators.

The lecture's composition analysis (客户构成分析) needs customers classified as
批发店/零售店/代理店/特约店/连锁店/专营店 with sales, products, gross margins, credit
scores and loyalty indicators. The course takes the 500 B2B customers of
:mod:`crmlab.synthetic.b2b` (same ``customer_id``, sales, gross profit, payment
behaviour) and adds those columns with a fixed seed; ``datasets/synthetic/README.md``
lists the planted patterns.

>>> c = portfolio_customers()
>>> c["customer_id"].is_unique, len(c)
(True, 500)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.synthetic.b2b import b2b_customers

__all__ = ["SEED", "portfolio_customers", "portfolio_orders", "portfolio_products"]

SEED = 20_240_904
THIS_YEAR, LAST_YEAR = 2024, 2023

#: channel type -> relative weight for (small, mid, large) customers
_CHANNELS = {
    "wholesale": (0.02, 0.10, 0.40),
    "chain": (0.03, 0.12, 0.25),
    "agent": (0.10, 0.25, 0.20),
    "franchise": (0.15, 0.23, 0.10),
    "specialty": (0.25, 0.20, 0.04),
    "retail": (0.45, 0.10, 0.01),
}
#: product -> (share of sales, gross margin relative to the customer's average,
#:             inventory turnover per year)
_PRODUCTS = {
    "轴承": (0.22, 0.85, 9.0),
    "电机": (0.18, 0.95, 6.0),
    "阀门": (0.14, 1.00, 5.0),
    "紧固件": (0.12, 0.70, 12.0),
    "密封件": (0.10, 1.05, 8.0),
    "润滑油": (0.10, 0.80, 14.0),
    "传感器": (0.08, 1.55, 3.5),
    "工具": (0.06, 1.35, 4.0),
}


def _base(seed: int) -> tuple[pd.DataFrame, np.random.Generator]:
    seed = validate.integer(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    b2b = b2b_customers()
    n = len(b2b)
    size = b2b["sales"].rank(pct=True).to_numpy()
    band = np.digitize(size, [1 / 3, 2 / 3])              # 0 small, 1 mid, 2 large
    types = list(_CHANNELS)
    weights = np.array([_CHANNELS[t] for t in types]).T[band]
    weights = weights / weights.sum(axis=1, keepdims=True)
    pick = (rng.random(n)[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)
    b2b["channel_type"] = np.asarray(types)[pick]
    # planted: about 8 % of the customers stop ordering after the first months
    b2b["stops"] = (rng.random(n) < 0.08) & (b2b["since"] < THIS_YEAR)
    return b2b, rng


def _orders_of_year(b2b: pd.DataFrame, counts: np.ndarray, totals: np.ndarray, year: int,
                    last_day: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    idx = np.repeat(np.arange(len(b2b)), counts)
    # order values: log-normal weights rescaled so each customer's orders sum to its sales
    weight = rng.lognormal(0.0, 0.5, len(idx))
    share = weight / np.bincount(idx, weights=weight)[idx]
    amount = np.round(share * totals[idx], 2)
    fix = totals - np.bincount(idx, weights=amount, minlength=len(b2b))
    first_row = np.searchsorted(idx, np.arange(len(b2b)))
    has = counts > 0
    amount[first_row[has]] = np.round(amount[first_row[has]] + fix[has], 2)
    names = list(_PRODUCTS)
    product = rng.choice(names, len(idx), p=[_PRODUCTS[p][0] for p in names])
    day = np.floor(rng.random(len(idx)) * last_day[idx]).astype(int)
    start = pd.Timestamp(f"{year}-01-01")
    return pd.DataFrame({"customer": idx, "date": start + pd.to_timedelta(day, "D"),
                         "product": product, "amount": amount})


def portfolio_orders(seed: int = SEED) -> pd.DataFrame:
    """Generate the orders of chapter 1's B2B customers in 2023 and 2024 (元).

    Each order has a product, an amount and a cost.

    Each customer's 2024 orders number ``orders`` of ``b2b_customers`` and sum to
    its ``sales``; 2023 orders sum to ``sales_last_year`` (every customer of chapter 1
    traded in 2023: none began in 2024). The gross profit of a customer's 2024 orders equals its
    ``gross_profit``, spread over products by their relative margins.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per order: ``order_id``, ``customer_id``, ``date``, ``product``,
        ``amount``, ``cost``.

    Examples
    --------
    >>> orders = portfolio_orders()
    >>> list(orders.columns)
    ['order_id', 'customer_id', 'date', 'product', 'amount', 'cost']
    """
    b2b, rng = _base(seed)
    n = len(b2b)
    sales = b2b["sales"].to_numpy(dtype=float)
    before = b2b["sales_last_year"].to_numpy(dtype=float)
    new = (b2b["since"] == THIS_YEAR).to_numpy()
    counts_now = b2b["orders"].to_numpy()
    counts_before = np.where(new, 0, np.maximum(1, np.round(counts_now * before / sales)))
    full = np.full(n, 365)
    last_now = np.where(b2b["stops"], rng.integers(60, 150, n), 366)
    # customers new in 2024 start during the year
    first_now = np.where(new, rng.integers(0, 200, n), 0)
    now = _orders_of_year(b2b, counts_now, sales, THIS_YEAR, last_now - first_now, rng)
    now["date"] = now["date"] + pd.to_timedelta(first_now[now["customer"]], "D")
    earlier = _orders_of_year(b2b, counts_before.astype(int), np.where(new, 0.0, before),
                              LAST_YEAR, full, rng)
    # cost: the customer's margin rate, tilted by product, scaled to its gross profit
    tilt = now["product"].map({p: v[1] for p, v in _PRODUCTS.items()}).to_numpy()
    rate = (b2b["gross_profit"] / b2b["sales"]).to_numpy()
    raw = now["amount"].to_numpy() * tilt
    scale = b2b["gross_profit"].to_numpy() / np.bincount(now["customer"], weights=raw,
                                                          minlength=n)
    now["cost"] = np.round(now["amount"] - raw * scale[now["customer"]], 2)
    tilt0 = earlier["product"].map({p: v[1] for p, v in _PRODUCTS.items()}).to_numpy()
    earlier["cost"] = np.round(earlier["amount"] * (1 - np.clip(
        rate[earlier["customer"]] * tilt0, -0.5, 0.9)), 2)
    out = pd.concat([earlier, now], ignore_index=True)
    out["customer_id"] = b2b["customer_id"].to_numpy()[out["customer"]]
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out = out.sort_values(["date", "customer_id", "product"], kind="stable")
    out = out[["customer_id", "date", "product", "amount", "cost"]].reset_index(drop=True)
    out.insert(0, "order_id", [f"D{i:05d}" for i in range(1, len(out) + 1)])
    return out


def portfolio_customers(seed: int = SEED) -> pd.DataFrame:
    """Generate chapter 1's B2B customers with the columns of the portfolio analysis.

    The columns added are channel type, credit and loyalty indicators, share of
    wallet, expected share, strategic importance and management difficulty (one row per customer).

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per customer (500 rows), ``customer_id`` first.

    Examples
    --------
    >>> customers = portfolio_customers()
    >>> len(customers), customers["customer_id"].is_unique
    (500, True)
    """
    b2b, rng = _base(seed)
    n = len(b2b)
    orders = portfolio_orders(seed)
    this_year = orders[orders["date"].str[:4] == str(THIS_YEAR)]
    # ``profit`` is chapter 1's net profit (after service cost, financing cost and bad
    # debt): the pyramid and the sales × profit scheme rank by it, as the lecture does
    out = b2b[["customer_id", "company", "channel_type", "since", "sales_last_year", "sales",
               "gross_profit", "profit", "orders", "days_to_pay", "collection_rate"]].copy()
    out["last_order"] = this_year.groupby("customer_id")["date"].max().reindex(
        out["customer_id"]).to_numpy()
    # credit investigation (客户的信用调查): payment speed and collection, plus noise
    credit = (100 - 0.45 * (b2b["days_to_pay"] - 15) - 150 * (1 - b2b["collection_rate"])
              + rng.normal(0, 6, n))
    out["credit_score"] = np.clip(np.round(credit), 1, 99).astype(int)
    # loyalty index: years of trade, cooperation, growth; lower for those who stop
    years = THIS_YEAR - b2b["since"]
    growth = b2b["sales"] / b2b["sales_last_year"] - 1
    loyalty = (25 + 3.0 * np.minimum(years, 12) + 6 * b2b["cooperation"]
               + 10 * np.clip(growth, -0.5, 0.5) + rng.normal(0, 8, n))
    loyalty = np.where(b2b["stops"], loyalty - 25, loyalty)
    out["loyalty_score"] = np.clip(np.round(loyalty), 1, 99).astype(int)
    # what the customer buys from all suppliers (钱包), never below its purchases from us
    wallet = b2b["sales"] / rng.uniform(0.2, 0.95, n)
    out["purchases_total"] = np.maximum(np.round(wallet, -2), b2b["sales"])
    # the sales plan: each customer's expected share of total sales (期望比重)
    plan = b2b["sales_last_year"] * rng.uniform(0.95, 1.25, n)
    out["expected_share"] = (plan / plan.sum()).round(6)
    size = np.log10(b2b["sales"])
    importance = 1 + 2.0 * (size - 3.5) + 0.6 * (b2b["industry"].isin(["电子", "新能源"]))
    out["strategic_importance"] = np.clip(np.round(importance + rng.normal(0, 1.0, n)),
                                          1, 10).astype(int)
    difficulty = (3 + b2b["support_hours"] / 120 + (b2b["days_to_pay"] - 45) / 30
                  + (3 - b2b["cooperation"]) * 0.8 + rng.normal(0, 1.0, n))
    out["management_difficulty"] = np.clip(np.round(difficulty), 1, 10).astype(int)
    return out


def portfolio_products(seed: int = SEED) -> pd.DataFrame:
    """Generate one row per product in 2024: sales, cost of sales, inventory, target.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        Columns ``product``, ``sales``, ``cost``, ``average_inventory``, ``target``.

    Examples
    --------
    >>> list(portfolio_products().columns)
    ['product', 'sales', 'cost', 'average_inventory', 'target']
    """
    seed = validate.integer(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed + 1)
    orders = portfolio_orders(seed)
    orders = orders[orders["date"].str[:4] == str(THIS_YEAR)]
    out = orders.groupby("product").agg(sales=("amount", "sum"), cost=("cost", "sum"))
    out = out.loc[list(_PRODUCTS)].reset_index()
    turn = np.array([_PRODUCTS[p][2] for p in out["product"]])
    out["average_inventory"] = np.round(
        out["cost"] / (turn * rng.uniform(0.9, 1.1, len(out))), -2)
    out["target"] = np.round(out["sales"] * rng.uniform(0.85, 1.15, len(out)), -3)
    out["sales"] = out["sales"].round(2)
    out["cost"] = out["cost"].round(2)
    return out
