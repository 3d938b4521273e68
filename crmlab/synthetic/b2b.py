"""Chapter 1's B2B customer file: one row per business customer, one year of trade.

The lecture material describes the patterns (big customers that are not good
customers, small customers that may be, bad payers, Sherden's 80/20/30 rule)
but prints no data, so the course makes its own with a fixed seed. Profit is
*built* from its parts — gross margin after discounts, service cost, the cost of
waiting for payment and bad debt — so a student can find out *why* a customer
loses money. ``datasets/synthetic/README.md`` documents every column and the
planted patterns. ``customer_id`` (``K0001`` …) is stable: later chapters add
columns to these customers (channel, products, credit, loyalty) by that key.

>>> data = b2b_customers()
>>> data["customer_id"].is_unique, len(data)
(True, 500)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["N_CUSTOMERS", "SEED", "b2b_customers"]

SEED = 20_240_902
N_CUSTOMERS = 500
BIG_BAD = 8

#: cost to serve, 元: per order (handling, delivery), per support hour, per sales visit
ORDER_COST, HOUR_COST, VISIT_COST = 300, 300, 800
#: capital cost of money tied up in receivables, per year (应收账款的资金成本)
CAPITAL_COST = 0.06

_CITIES = ["苏州", "无锡", "宁波", "佛山", "东莞", "温州", "合肥", "长沙", "郑州", "济南",
           "青岛", "厦门", "常州", "南通", "嘉兴", "绍兴", "台州", "泉州", "中山", "惠州"]
_WORDS = ["恒达", "宏远", "金鼎", "华盛", "永信", "新峰", "天成", "鑫源", "众合", "博远",
          "瑞丰", "利通", "安泰", "嘉诚", "东升", "隆兴", "汇通", "明珠", "精工", "海润",
          "盛丰", "凯达", "同创", "富源", "远航", "弘业", "启明", "长青", "兴旺", "宏达"]
_INDUSTRIES = {  # industry -> (company suffix, share of customers, industry growth per year)
    "制造": ("机械制造有限公司", 0.30, 0.04),
    "建筑": ("建设工程有限公司", 0.15, -0.02),
    "批发零售": ("商贸有限公司", 0.25, 0.03),
    "物流": ("物流有限公司", 0.10, 0.06),
    "电子": ("电子科技有限公司", 0.12, 0.12),
    "新能源": ("新能源科技有限公司", 0.08, 0.25),
}
_REGIONS = {"华东": 0.45, "华南": 0.25, "华中": 0.15, "华北": 0.15}


def _names(rng: np.random.Generator, industries: np.ndarray) -> list[str]:
    n = industries.size
    pairs = rng.choice(len(_CITIES) * len(_WORDS), n, replace=False)
    city = np.array(_CITIES)[pairs // len(_WORDS)]
    word = np.array(_WORDS)[pairs % len(_WORDS)]
    suffix = np.array([_INDUSTRIES[i][0] for i in _INDUSTRIES])[
        pd.Categorical(industries, categories=list(_INDUSTRIES)).codes]
    return list(np.char.add(np.char.add(city, word), suffix))


def b2b_customers(seed: int = SEED) -> pd.DataFrame:
    """500 invented business customers of a supplier of industrial goods, one year.

    Profit per customer is built from its parts::

        gross_profit   = sales × (list margin − discount) / (1 − discount)
        service_cost   = orders × 300 元 + support_hours × 300 元 + visits × 600 元
        financing_cost = sales × days_to_pay / 365 × 6 %
        bad_debt       = sales × (1 − collection_rate)
        profit         = gross_profit − service_cost − financing_cost − bad_debt

    Planted patterns (documented in ``datasets/synthetic/README.md``): a heavy
    tail of sales; six of the biggest buyers lose money (deep discounts, many
    small rush orders with dedicated support, slow payment); about 25 small
    customers grow fast (sales +60 % to +200 % on last year, mostly in 电子 and
    新能源); about 20 bad payers (only 55–85 % of invoices collected); many small
    customers whose orders cost more to serve than they earn. Together they give
    the Sherden pattern: the whale curve peaks well above 100 %.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the committed file uses ``SEED``.

    Returns
    -------
    pandas.DataFrame
        One row per customer, sorted by ``customer_id``; the columns are listed in
        ``datasets/synthetic/README.md``.

    Examples
    --------
    >>> d = b2b_customers()
    >>> bool((d["profit"] == d["gross_profit"] - d["service_cost"] - d["financing_cost"]
    ...       - d["bad_debt"]).all())
    True
    """
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0))
    n = N_CUSTOMERS
    industry = rng.choice(list(_INDUSTRIES), n, p=[v[1] for v in _INDUSTRIES.values()])
    region = rng.choice(list(_REGIONS), n, p=list(_REGIONS.values()))
    since = rng.choice(np.arange(2010, 2025), n)

    # sales: a heavy tail (a few very large buyers, many small ones), 元 per year
    sales = np.exp(rng.normal(np.log(120_000), 1.25, n))
    # typical order, 元: small buyers order little and often
    order_value = np.exp(rng.normal(np.log(9_000), 0.35, n)) * (sales / 120_000) ** 0.4
    list_margin = np.clip(rng.normal(0.30, 0.03, n), 0.2, 0.4)
    discount = np.clip(rng.normal(0.04, 0.02, n), 0.0, 0.10)
    support_hours = rng.poisson(8 + sales / 60_000)
    visits = rng.poisson(12 + sales / 200_000)  # sales-rep visits: every account needs them
    days_to_pay = np.clip(rng.normal(45, 12, n), 15, 90)
    collection_rate = np.clip(rng.normal(0.995, 0.004, n), 0.98, 1.0)
    industry_growth = np.array([_INDUSTRIES[i][2] for i in industry])
    growth = industry_growth + rng.normal(0.0, 0.08, n)
    cooperation = rng.choice([2, 3, 4, 5], n, p=[0.15, 0.40, 0.30, 0.15])

    ranked_by_sales = np.argsort(-sales, kind="stable")
    # (1) big but unprofitable: eight of the 30 largest buyers
    big_bad = rng.choice(ranked_by_sales[:30], BIG_BAD, replace=False)
    discount[big_bad] = rng.uniform(0.22, 0.28, BIG_BAD)
    order_value[big_bad] = rng.uniform(1_500, 2_500, BIG_BAD)  # many small rush orders
    support_hours[big_bad] = rng.integers(600, 1000, BIG_BAD)  # a dedicated service team
    days_to_pay[big_bad] = rng.uniform(120, 180, BIG_BAD)
    cooperation[big_bad] = rng.choice([1, 2], BIG_BAD)
    rest = np.setdiff1d(np.arange(n), big_bad)
    # (2) small and fast-growing: 25 customers in the lower half by sales
    small = np.intersect1d(ranked_by_sales[n // 2:], rest)
    young = rng.choice(small, 25, replace=False)
    growth[young] = rng.uniform(0.6, 2.0, 25)
    industry[young] = rng.choice(["电子", "新能源"], 25)
    since[young] = rng.choice([2022, 2023, 2024], 25)
    cooperation[young] = rng.choice([4, 5], 25)
    # every customer of this file bought last year too (上年购买额 > 0, it feeds 未来性),
    # so its trade began in 2023 at the latest; the draws above stay as they were
    since = np.minimum(since, 2023)
    # (3) bad payers: 20 mid-sized customers (rank 31 to 200 by sales)
    payers = rng.choice(np.setdiff1d(ranked_by_sales[30:200], young), 20, replace=False)
    collection_rate[payers] = rng.uniform(0.50, 0.80, 20)
    days_to_pay[payers] = rng.uniform(110, 200, 20)
    cooperation[payers] = rng.choice([1, 2, 3], 20)

    sales = np.round(sales, -2)
    orders = np.maximum(1, np.round(sales / order_value)).astype(int)
    sales_last_year = np.round(sales / (1 + growth), -2)
    gross_profit = np.round(sales * (list_margin - discount) / (1 - discount))
    service_cost = orders * ORDER_COST + support_hours * HOUR_COST + visits * VISIT_COST
    financing_cost = np.round(sales * days_to_pay / 365 * CAPITAL_COST)
    days_to_pay = np.round(days_to_pay).astype(int)
    collection_rate = np.round(collection_rate, 3)
    bad_debt = np.round(sales * (1 - collection_rate))
    profit = gross_profit - service_cost - financing_cost - bad_debt
    return pd.DataFrame({
        "customer_id": [f"K{i:04d}" for i in range(1, n + 1)],
        "company": _names(rng, industry),
        "industry": industry,
        "region": region,
        "since": since,
        "sales_last_year": sales_last_year.astype(np.int64),
        "sales": sales.astype(np.int64),
        "orders": orders,
        "price_discount": np.round(discount, 3),
        "gross_profit": gross_profit.astype(np.int64),
        "support_hours": support_hours.astype(np.int64),
        "visits": visits.astype(np.int64),
        "service_cost": service_cost.astype(np.int64),
        "days_to_pay": days_to_pay,
        "collection_rate": collection_rate,
        "financing_cost": financing_cost.astype(np.int64),
        "bad_debt": bad_debt.astype(np.int64),
        "profit": profit.astype(np.int64),
        "cooperation": cooperation.astype(np.int64),
    })
