"""Customer pyramids (客户金字塔): two and four tiers, value classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.portfolio._procedures import _order_positions, _shares

# --- 7. pyramids (客户金字塔) ----------------------------------------------------------

def pyramid(data: pd.DataFrame, *, customer: str = "customer_id", value: str = "profit",
            tiers: Literal[2, 4] = 2, customer_cuts: Sequence[float] | None = None,
            loss_to_lead: bool = True) -> pd.DataFrame:
    """Build the 客户金字塔: rank customers by profitability and cut the ranking into tiers.

    * ``tiers=2`` (二分法, 80/20): the top 20 % of customers (by count) are
      ``gold`` (黄金层级), the rest ``iron`` (钢铁层级); ``customer_cuts=(0.2,)``.
    * ``tiers=4`` (四分法): ``platinum`` (铂金) top 5 %, ``gold`` (黄金) next 15 %,
      ``iron`` (钢铁) next 60 %, ``lead`` (重铅) bottom 20 %; ``customer_cuts=(0.05, 0.2,
      0.8)`` are cumulative shares of customers. The lecture fixes no percentages
      for four tiers (本课程补充: the cut rule keeps 铂金 + 黄金 = the 80/20 top
      20 %); with ``loss_to_lead`` every customer whose value is <= 0 is 重铅
      ("重铅层级的客户不能给企业带来盈利").

    A customer at rank k (1 = most profitable; ties broken by customer id) is
    in the first tier whose cut c satisfies k <= ceil(c·n).

    Parameters
    ----------
    data : DataFrame
        One row per customer (not modified).
    customer, value : str
        Column names of the customer id and the profitability measure.
    tiers : {2, 4}, default 2
        Number of tiers.
    customer_cuts : sequence of float, optional
        Increasing cumulative customer shares in (0, 1), ``tiers - 1`` of them
        (shares of the customer count; ``cuts`` in ``crmlab.pareto`` are value shares).
    loss_to_lead : bool, default True
        With four tiers, put every customer with value <= 0 in ``lead``.

    Returns
    -------
    DataFrame
        A copy with ``rank``, ``customer_share`` (k / n), ``tier`` and
        ``value_share`` (the customer's share of the total value).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf, ``tiers`` not 2 or 4, bad ``customer_cuts``, or values summing
        to 0 (``value_share`` undefined).

    References
    ----------
    Zeithaml, V. A., Rust, R. T., & Lemon, K. N. (2001). The customer pyramid:
    creating and serving profitable customers. *California Management Review*
    43(4), 118–142.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": range(10), "profit": range(10, 0, -1)})
    >>> pyramid(d)["tier"].value_counts().to_dict()
    {'iron': 8, 'gold': 2}
    """
    validate.frame(data, "data", columns=[customer, value])
    validate.unique_ids(data, customer)
    values = validate.numeric_column(data, value, what="利润")
    names = {2: ("gold", "iron"), 4: ("platinum", "gold", "iron", "lead")}
    if tiers not in names or isinstance(tiers, bool):
        raise validate.BilingualValueError(
            f"tiers={validate.show(tiers)} 无效：应为 2（二分法）或 4（四分法）。",
            f"tiers={validate.show(tiers)} is invalid: expected 2 or 4.")
    if customer_cuts is None:
        customer_cuts = (0.2,) if tiers == 2 else (0.05, 0.2, 0.8)
    customer_cuts = [validate.number(c, "customer_cuts", minimum=0, maximum=1,
                                     min_inclusive=False, max_inclusive=False)
                     for c in customer_cuts]
    if len(customer_cuts) != tiers - 1 or any(
            b <= a for a, b in zip(customer_cuts, customer_cuts[1:], strict=False)):
        raise validate.BilingualValueError(
            f"customer_cuts={list(customer_cuts)} 无效："
            f"{tiers} 层需要 {tiers - 1} 个递增的客户累计占比（0 到 1）。",
            f"customer_cuts={list(customer_cuts)} is invalid: {tiers} tiers need {tiers - 1} "
            "increasing cumulative customer shares in (0, 1).")
    n = len(values)
    rank, position = _rank_tiers(values, data[customer], customer_cuts)
    out = data.copy()
    labels = np.asarray(names[tiers], dtype=object)[position]
    if tiers == 4 and loss_to_lead:
        labels = np.where(values <= 0, "lead", labels)
    out["rank"] = rank
    out["customer_share"] = rank / n
    out["tier"] = labels
    out["value_share"] = _shares(values, "价值", f"data[{value!r}]")
    return out


def value_classes(data: pd.DataFrame, *, customer: str = "customer_id", value: str = "clv",
                  customer_cuts: Sequence[float] = (0.2, 0.5)) -> pd.DataFrame:
    """Assign the high / medium / low value classes (step 5 of the CLV 分类法) by rank.

    Customers are ranked by ``value`` (ties by customer id); the top ``customer_cuts[0]``
    of customers (by count) are ``high``, up to ``customer_cuts[1]`` ``medium``, the rest
    ``low`` (本课程补充: the lecture names the three classes, not the customer_cuts).

    Parameters
    ----------
    data : DataFrame
        One row per customer (not modified).
    customer, value : str
        Column names of the customer id and the value (e.g. CLV).
    customer_cuts : pair of float, default (0.2, 0.5)
        Increasing cumulative customer shares closing ``high`` and ``medium``.

    Returns
    -------
    DataFrame
        A copy with ``rank`` and ``value_class``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf, or bad ``customer_cuts``.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": range(10), "clv": range(10)})
    >>> value_classes(d)["value_class"].value_counts().to_dict()
    {'low': 5, 'medium': 3, 'high': 2}
    """
    validate.frame(data, "data", columns=[customer, value])
    validate.unique_ids(data, customer)
    values = validate.numeric_column(data, value, what="价值")
    customer_cuts = [validate.number(c, "customer_cuts", minimum=0, maximum=1,
                                     min_inclusive=False, max_inclusive=False)
                     for c in customer_cuts]
    if len(customer_cuts) != 2 or customer_cuts[1] <= customer_cuts[0]:
        raise validate.BilingualValueError(
            f"customer_cuts={list(customer_cuts)} 无效：应为两个递增的客户累计占比，"
            f"例如 (0.2, 0.5)。",
            f"customer_cuts={list(customer_cuts)} is invalid: expected two increasing cumulative "
            "customer shares, e.g. (0.2, 0.5).")
    rank, position = _rank_tiers(values, data[customer], customer_cuts)
    out = data.copy()
    out["rank"] = rank
    out["value_class"] = np.asarray(("high", "medium", "low"), dtype=object)[position]
    return out


def _rank_tiers(values: np.ndarray, ids: pd.Series,
                customer_cuts: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Rank (1 = largest, ties by id) and the tier index of each row for count customer_cuts."""
    n = len(values)
    order = _order_positions(values, ids)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    limits = np.ceil(np.asarray(customer_cuts) * n - 1e-9)
    return rank, np.searchsorted(limits, rank, side="left")
