"""Illustrative credit-card data for the credit-card CLV procedure (chapter 2).

The lecture material describes how a bank computes a card holder's CLV but
gives no data, so the course generates a small illustrative set with a fixed
seed. It is made on the fly (not written to ``datasets/synthetic/``), hence not
registered in ``GENERATORS``: ``from crmlab.synthetic.cards import
illustrative_card_data``.

>>> illustrative_card_data(2, 2)["customer_id"].tolist()
['C01', 'C01', 'C02', 'C02']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["illustrative_card_data"]


def illustrative_card_data(n_customers: int = 8, years: int = 5, *,
                           seed: int = 2024) -> pd.DataFrame:
    """Generate ILLUSTRATIVE (synthetic) credit-card data: one row per customer and year.

    Not real bank data: generated with ``numpy.random.default_rng(seed)`` to show
    the credit-card CLV procedure of 《客户终身价值》讲义 (``clv.card_clv``). Three
    planted profiles cycle over the customers: revolvers (high interest income),
    transactors (high card spending, no interest) and sleepers (little revenue,
    the same maintenance cost). Money in yuan, rounded to whole yuan. The
    columns follow the lecture's list of revenue items: card fees (购买卡片的收入),
    card spending (on which the bank earns its 利润率), points redeemed (积分)
    and referral rewards paid (转介绍奖励); interest income is the course's
    addition.

    Parameters
    ----------
    n_customers : int
        Number of card holders (>= 1).
    years : int
        Card years per holder (>= 1).
    seed : int
        Seed of the random generator (>= 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id``, ``year``, ``card_fee``, ``interest_income``,
        ``spending`` (card spending), ``points_cost`` (cost of the points
        redeemed), ``referral_reward`` (rewards paid for referrals),
        ``allocation_cost``, ``maintenance_cost``.

    Raises
    ------
    TypeError
        If an argument is not a whole number.
    ValueError
        If an argument is below its minimum.

    Examples
    --------
    >>> d = illustrative_card_data(3, 3)
    >>> d.shape, d["year"].tolist()[:3]
    ((9, 9), [1, 2, 3])
    """
    n = validate.integer(n_customers, "n_customers", minimum=1)
    y = validate.integer(years, "years", minimum=1)
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0))
    profile = np.arange(n) % 3                       # 0 revolver, 1 transactor, 2 sleeper
    base = {"card_fee": np.array([200.0, 300.0, 100.0]),
            "interest_income": np.array([1800.0, 0.0, 150.0]),
            "spending": np.array([80_000.0, 240_000.0, 12_000.0]),
            "points_cost": np.array([160.0, 480.0, 24.0]),
            "referral_reward": np.array([50.0, 150.0, 0.0])}
    shape = (n, y)
    growth = (1.0 + np.array([0.06, 0.10, -0.05]))[profile][:, None] ** np.arange(y)
    noise = rng.lognormal(mean=0.0, sigma=0.15, size=(len(base), *shape))
    data = {"customer_id": np.repeat([f"C{k + 1:02d}" for k in range(n)], y),
            "year": np.tile(np.arange(1, y + 1), n)}
    for k, (column, level) in enumerate(base.items()):
        data[column] = np.round(level[profile][:, None] * growth * noise[k]).ravel()
    data["allocation_cost"] = np.round(
        np.array([500.0, 400.0, 150.0])[profile][:, None] * rng.uniform(0.9, 1.1, shape)).ravel()
    data["maintenance_cost"] = np.round(rng.uniform(180.0, 260.0, shape)).ravel()
    return pd.DataFrame(data)
