"""From a transaction log to one row per customer: ``x``, ``t_x``, ``T`` (and more)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _transactions as tx
from crmlab import _validation as validate

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
        Columns ``<customer>, x, t_x, T, monetary`` (+ ``x_star``), sorted by
        customer; the customer column keeps the caller's name.

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
    tx.columns(transactions, "transactions", customer=customer, date=date,
               **({} if amount is None else {"amount": amount}))
    tx.output_name(customer, ("x", "t_x", "T", "monetary", "x_star"))
    validate.choice(unit, "unit", tuple(_UNITS))
    cal = validate.timestamp(calibration_end, "calibration_end").normalize()
    cal_day = validate.day_number(cal, "calibration_end")
    end_day = None
    if observation_end is not None:
        end_day = validate.day_number(observation_end, "observation_end")
        if end_day <= cal_day:
            raise validate.BilingualValueError(
                f"observation_end={validate.show(observation_end)} 无效：应晚于 "
                f"calibration_end（{cal.date()}）",
                f"observation_end={validate.show(observation_end)} is invalid: expected a "
                f"date after calibration_end ({cal.date()})")
    ids, day = tx.read(transactions, "transactions", customer, date)
    money = (tx.amounts(transactions[amount], f"transactions[{amount!r}]")
             if amount is not None else np.zeros(len(day)))
    codes, uniques = validate.id_codes(ids, f"transactions[{customer!r}]")

    # one transaction per (customer, day), amounts summed per pair
    c, d, m = tx.occasions(codes, day, money)
    first_row = tx.first_rows(c)
    n = len(uniques)
    first_of = np.full(n, np.iinfo(np.int64).max)
    first_of[c[first_row]] = d[first_row]
    first_day = first_of[c]
    keep = first_of <= cal_day
    if not keep.any():
        first = np.datetime64(int(first_of.min()), "D")
        raise validate.BilingualValueError(
            f"calibration_end={validate.show(calibration_end)} 无效：此日期之前没有任何交易"
            f"（最早一笔在 {first}）",
            f"calibration_end={validate.show(calibration_end)} is invalid: no purchase on or "
            f"before it (the first one is on {first})")
    repeat = ~first_row & (d <= cal_day)
    x = np.bincount(c[repeat], minlength=n)
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, c[repeat], d[repeat] - first_day[repeat])
    spent = np.bincount(c[repeat], weights=m[repeat], minlength=n)
    scale = _UNITS[unit]
    out = {
        customer: uniques,
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


