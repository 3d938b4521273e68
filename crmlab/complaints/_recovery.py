"""Service recovery: whether complainants buy again once their complaint is settled."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.complaints._analytics import HANDLING, _summary_of, handling_group


def service_recovery(data: pd.DataFrame, orders: pd.DataFrame, *,
                     customer: str = "customer_id", date: str = "date", days: int = 90,
                     good: float = 4, poor: float = 2, as_of: Any = None,
                     between: tuple[Any, Any] | None = None) -> pd.DataFrame:
    """Compare repurchase within ``days`` after a complaint, by handling, with non-complainers.

    For each complaint the anchor is the day it was recorded; for customers who
    never complained, every order they placed in the same period (first to last
    complaint day) is an anchor. An anchor *repurchased* if the customer placed
    an order on a later day, at most ``days`` days after it. Anchors less than
    ``days`` before ``as_of`` (default: the last order date) cannot be judged yet:
    they are counted as ``censored`` and left out of the rate (reported, not hidden).

    Parameters
    ----------
    data : pandas.DataFrame
        A complaint event log or its ``summary`` (needs ``customer_id``).
    orders : pandas.DataFrame
        Orders with a customer and a date column (not modified).
    customer, date : str
        Column names in ``orders``; customer ids are matched as text (``"7"`` in the
        log matches ``7`` in the orders).
    days : int, default 90
        The repurchase window in days.
    good, poor : float
        Satisfaction thresholds of :func:`handling_group` (default 4 and 2).
    as_of : date-like, optional
        End of the data; anchors less than ``days`` before it are censored.
    between : (date-like, date-like), optional
        The days whose orders of customers who never complained are anchors
        (default: from the first to the last complaint day).

    Returns
    -------
    pandas.DataFrame
        One row per group of ``HANDLING`` present: ``handling``, ``anchors``, ``censored``,
        ``judged`` (= anchors − censored), ``repurchased`` and ``repurchase_rate`` (= repurchased /
        judged; NaN, by design, in a group whose anchors are all censored: not yet observable,
        as in ``loyalty.cohort_retention``, and never 0).

    Raises
    ------
    TypeError, ValueError
        Missing columns or customer ids, unreadable order dates, ``days`` not a
        whole number >= 1, or bad thresholds.

    References
    ----------
    Hart, Heskett & Sasser (1990), The profitable art of service recovery,
    Harvard Business Review 68(4); McCollough & Bharadwaj (1992), the
    "service recovery paradox".

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03").advance("rejected", by="b",
    ...                                                          at="2024-01-04")
    >>> orders = pd.DataFrame({"customer_id": ["K1", "K1", "K2", "K2"],
    ...                        "date": ["2024-01-01", "2024-01-20", "2024-01-02", "2024-05-01"]})
    >>> r = service_recovery(to_frame([c]), orders, as_of="2024-12-31")
    >>> r[["handling", "judged", "repurchased"]].values.tolist()
    [['rejected', 1, 1], ['no_complaint', 1, 0]]
    """
    table = _summary_of(data)
    validate.frame(table, "data", columns=["customer_id"])
    validate.frame(orders, "orders", columns=[customer, date])
    window = validate.integer(days, "days", minimum=1, maximum=100_000, label="复购窗口天数")
    validate.no_missing(orders[customer], f"orders[{customer!r}]")
    order_day = validate.day_numbers(orders[date], f"orders[{date!r}]")
    order_cust = orders[customer].astype(str).to_numpy()
    end = int(order_day.max()) if as_of is None else validate.day_number(as_of, "as_of")
    groups = handling_group(table, good=good, poor=poor)
    anchor_day = table["opened_at"].dt.normalize().to_numpy().astype(
        "datetime64[D]").astype(np.int64)
    anchor_cust = table["customer_id"].astype(str).to_numpy()
    complainers = set(anchor_cust)
    quiet = ~np.isin(order_cust, list(complainers))
    if between is None:
        first_day, last_day = anchor_day.min(), anchor_day.max()
    else:
        first_day, last_day = (validate.day_number(day, "between")
                               for day in validate.date_pair(between, "between"))
    in_period = (order_day >= first_day) & (order_day <= last_day)
    base = quiet & in_period
    all_cust = np.concatenate([anchor_cust, order_cust[base]])
    all_day = np.concatenate([anchor_day, order_day[base]])
    all_group = np.concatenate([groups.to_numpy(), np.full(int(base.sum()), "no_complaint")])
    # next order strictly after the anchor day, by binary search in (customer, day) order
    codes, uniques = pd.factorize(np.concatenate([order_cust, all_cust]))
    n_orders = len(order_cust)
    span = int(max(order_day.max(), all_day.max()) - min(order_day.min(), all_day.min())) + 2
    low = int(min(order_day.min(), all_day.min()))
    order_key = np.sort(codes[:n_orders].astype(np.int64) * span + (order_day - low))
    anchor_key = codes[n_orders:].astype(np.int64) * span + (all_day - low)
    pos = np.searchsorted(order_key, anchor_key, side="right")
    nxt = np.where(pos < len(order_key), order_key[np.minimum(pos, len(order_key) - 1)], -1)
    same_customer = (nxt // span) == codes[n_orders:]
    gap = nxt - anchor_key
    repurchased = same_customer & (gap >= 1) & (gap <= window)
    censored = all_day + window > end
    frame = pd.DataFrame({"handling": all_group, "censored": censored,
                          "repurchased": repurchased & ~censored})
    g = frame.groupby("handling")
    out = pd.DataFrame({"anchors": g.size(), "censored": g["censored"].sum(),
                        "repurchased": g["repurchased"].sum()})
    out = out.reindex([h for h in HANDLING if h in out.index])
    out["judged"] = out["anchors"] - out["censored"]
    out["repurchase_rate"] = out["repurchased"] / out["judged"].where(out["judged"] > 0)
    out = out.reset_index()[["handling", "anchors", "censored", "judged", "repurchased",
                             "repurchase_rate"]]
    out.attrs["days"] = window
    return out.astype({"anchors": "int64", "censored": "int64", "judged": "int64",
                       "repurchased": "int64"})
