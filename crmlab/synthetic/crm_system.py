"""Chapter 7's CRM system: the cost of goods of each chapter 0 order (for margins).

The chapter 0 orders carry only their value. A CRM database measures the goal
增加利润率 (raise the margin) only if it knows what each order cost, so the
course gives every order a product category and a cost of goods sold (销货成本),
with a fixed seed; ``datasets/synthetic/README.md`` documents the planted pattern.

>>> costs = order_costs()
>>> bool((costs["cost"] <= costs["amount"]).all())
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.synthetic.customer_file import SEED, customer_orders

__all__ = ["CATEGORY_MARGIN", "PROMOTION_MONTHS", "order_costs"]

#: product category -> typical gross margin rate (毛利率) of its orders
CATEGORY_MARGIN: dict[str, float] = {"家电": 0.15, "服饰": 0.45, "食品": 0.22, "日用品": 0.30}
#: months with a price promotion (6 = 618, 11 = 双11): margins 8 points lower
PROMOTION_MONTHS = (6, 11)


def order_costs(seed: int = SEED) -> pd.DataFrame:
    """Generate the category and cost of goods (元) of every order in ``customer_orders``.

    Planted pattern: each category has its own margin rate (``CATEGORY_MARGIN``)
    with a little noise (standard deviation 3 points); in the promotion months
    (June's 618 and November's 双11) every margin is 8 points lower. Costs are
    rounded to 0.01 元 and never exceed the order's value.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per order: ``order_id``, ``amount``, ``category``, ``cost``.

    Examples
    --------
    >>> costs = order_costs()
    >>> list(costs.columns), bool((costs["cost"] <= costs["amount"]).all())
    (['order_id', 'amount', 'category', 'cost'], True)
    """
    seed = validate.integer(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed + 7)
    orders = customer_orders(seed)
    n = len(orders)
    categories = np.array(list(CATEGORY_MARGIN))
    category = categories[rng.choice(len(categories), n, p=[0.2, 0.3, 0.3, 0.2])]
    rate = np.array([CATEGORY_MARGIN[c] for c in category]) + rng.normal(0, 0.03, n)
    month = pd.to_datetime(orders["date"], format="%Y-%m-%d").dt.month.to_numpy()
    rate = np.clip(rate - 0.08 * np.isin(month, PROMOTION_MONTHS), 0.0, 0.9)
    amount = orders["amount"].to_numpy()
    cost = np.minimum(np.round(amount * (1 - rate), 2), amount)
    return pd.DataFrame({"order_id": orders["order_id"], "amount": amount,
                         "category": category, "cost": cost})
