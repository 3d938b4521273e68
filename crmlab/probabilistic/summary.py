"""From a transaction log to one row per customer: ``x``, ``t_x``, ``T`` (and more)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.rfm import _amounts

__all__ = ["calibration_summary"]

_UNITS = {"W": 7.0, "D": 1.0}

# --- 1. calibration summary --------------------------------------------------------

def calibration_summary(transactions: pd.DataFrame, *, customer: str = "customer_id",
                        date: str = "date", amount: str | None = "amount",
                        calibration_end: Any, observation_end: Any = None,
                        unit: Literal["W", "D"] = "W") -> pd.DataFrame:
    """One row per customer: ``x``, ``t_x``, ``T``, ``monetary`` (and ``x_star``).

    All rows of a customer on one calendar day form one transaction (their
    amounts are summed). Customers whose first purchase falls after
    ``calibration_end`` are left out (they are not yet customers then).

    * ``x`` — repeat transactions (days with a purchase after the first one) up to
      and including ``calibration_end``;
    * ``t_x`` — time from the first purchase to the last repeat one (0 if x = 0);
    * ``T`` — time from the first purchase to ``calibration_end``;
    * ``monetary`` — mean value of the ``x`` repeat transactions (NaN if x = 0;
      the first purchase is left out, as in Fader, Hardie & Lee 2005b);
    * ``x_star`` — transactions after ``calibration_end`` up to and including
      ``observation_end`` (only if ``observation_end`` is given).

    Times are differences of calendar days, in weeks (``unit="W"``, days / 7,
    the papers' unit) or days (``unit="D"``).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase (line), with customer, date and amount columns.
    customer, date, amount : str
        Column names. ``amount=None`` leaves ``monetary`` out.
    calibration_end : date-like
        Last day of the calibration period (inclusive).
    observation_end : date-like, optional
        Last day of the holdout period (inclusive).
    unit : {"W", "D"}
        Time unit of ``t_x`` and ``T``.

    Returns
    -------
    DataFrame
        Columns ``customer_id, x, t_x, T, monetary`` (+ ``x_star``), sorted by
        customer.

    Raises
    ------
    ValueError, TypeError
        Missing columns, unparseable dates, negative or missing amounts,
        ``observation_end`` not after ``calibration_end``, nobody bought by
        ``calibration_end``.

    References
    ----------
    Fader, Hardie & Lee (2005a), section 2 (notation ``x, t_x, T``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 1, 2],
    ...                    "date": ["1997-01-01", "1997-01-01", "1997-01-15", "1997-02-12",
    ...                             "1997-01-08"],
    ...                    "amount": [10.0, 5.0, 20.0, 40.0, 7.0]})
    >>> calibration_summary(tx, calibration_end="1997-01-29", observation_end="1997-02-28")
       customer_id  x  t_x    T  monetary  x_star
    0            1  1  2.0  4.0      20.0       1
    1            2  0  0.0  3.0       NaN       0
    """
    columns = [customer, date] + ([amount] if amount is not None else [])
    validate.frame(transactions, "transactions", columns=columns)
    validate.choice(unit, "unit", tuple(_UNITS))
    cal = validate.timestamp(calibration_end, "calibration_end").normalize()
    cal_day = int(np.datetime64(cal.date(), "D").astype(np.int64))
    end_day = None
    if observation_end is not None:
        end = validate.timestamp(observation_end, "observation_end").normalize()
        end_day = int(np.datetime64(end.date(), "D").astype(np.int64))
        if end_day <= cal_day:
            raise ValueError(
                f"observation_end={observation_end!r} 无效:必须晚于 calibration_end "
                f"({cal.date()})。 / observation_end={observation_end!r} is invalid: "
                f"expected a date after calibration_end ({cal.date()})")
    validate.no_missing(transactions[customer], customer)
    day = validate.day_numbers(transactions[date], date)
    money = (_amounts(transactions[amount], amount) if amount is not None
             else np.zeros(len(day)))
    codes, uniques = validate.id_codes(transactions[customer], customer)

    # one transaction per (customer, day): sort by the pair, sum amounts per pair
    order = np.lexsort((day, codes))
    c, d, m = codes[order], day[order], money[order]
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    starts = np.flatnonzero(new)
    c, d, m = c[starts], d[starts], np.add.reduceat(m, starts)
    first_row = np.ones(len(c), dtype=bool)
    first_row[1:] = c[1:] != c[:-1]
    n = len(uniques)
    first_of = np.full(n, np.iinfo(np.int64).max)
    first_of[c[first_row]] = d[first_row]
    first_day = first_of[c]
    keep = first_of <= cal_day
    if not keep.any():
        raise ValueError(
            f"calibration_end={calibration_end!r} 无效:此日期之前没有任何交易(最早一笔在 "
            f"{np.datetime64(int(first_of.min()), 'D')})。 / calibration_end="
            f"{calibration_end!r} is invalid: no purchase on or before it (the first one "
            f"is on {np.datetime64(int(first_of.min()), 'D')})")
    repeat = ~first_row & (d <= cal_day)
    x = np.bincount(c[repeat], minlength=n)
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, c[repeat], d[repeat] - first_day[repeat])
    spent = np.bincount(c[repeat], weights=m[repeat], minlength=n)
    scale = _UNITS[unit]
    out = {
        "customer_id": uniques,
        "x": x,
        "t_x": last / scale,
        "T": (cal_day - first_of).astype(float) / scale,
        "monetary": np.divide(spent, x, out=np.full(n, np.nan), where=x > 0)
        if amount is not None else None,
    }
    if amount is None:
        del out["monetary"]
    if end_day is not None:
        holdout = (d > cal_day) & (d <= end_day)
        out["x_star"] = np.bincount(c[holdout], minlength=n)
    frame = pd.DataFrame(out)
    return frame.loc[keep].reset_index(drop=True)


