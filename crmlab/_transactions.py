"""Purchase occasions from a transaction table, computed once for every module.

A *purchase occasion* is one customer's rows on one calendar day: ``rfm``
(frequency, recency), ``loyalty`` (occasions, intervals, growth),
``probabilistic`` (``x``, ``t_x``, ``T``) and ``portfolio`` (first and last
purchase) all count them through :func:`occasions`, so the four agree on what a
purchase is. Dates are read by :func:`crmlab._validation.day_numbers` (a
time-zone-aware date counts on the calendar day of its own zone).

Private: the public functions validate their arguments and call these.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from crmlab import _validation as validate


class Occasions(NamedTuple):
    """Purchase occasions sorted by customer, then day (see :func:`occasions`)."""

    customer: np.ndarray
    day: np.ndarray
    amount: np.ndarray | None


def columns(data: Any, name: str, **named: Any) -> pd.DataFrame:
    """Check ``data`` is a non-empty frame holding the named columns, each a different one.

    ``named`` maps the argument to its column (``customer="customer_id"``).
    """
    given = dict(named)
    for arg, column in given.items():
        validate.name(column, arg)
    validate.frame(data, name, columns=list(given.values()))
    twice = [c for c in dict.fromkeys(given.values()) if (data.columns == c).sum() > 1]
    if twice:  # data[c] would be a frame, not a column
        raise validate.BilingualValueError(f"{name} 有重名的列 {twice}：每个列名只能出现一次",
                                           f"{name} has duplicated column name(s) {twice}: "
                                           f"expected each name once")
    if len(set(given.values())) < len(given):
        shown = "、".join(f"{arg}={column!r}" for arg, column in given.items())
        shown_en = ", ".join(f"{arg}={column!r}" for arg, column in given.items())
        raise validate.BilingualValueError(f"{shown} 应是 {len(given)} 个不同的列",
                                           f"{shown_en} must name {len(given)} different "
                                           f"columns")
    return data


def output_name(customer: str, reserved: tuple[str, ...], arg: str = "customer") -> str:
    """Check the caller's customer column can name the output's id column beside ``reserved``."""
    if customer in reserved:
        raise validate.BilingualValueError(
            f"{arg}={customer!r} 与结果中的列重名（结果的列有 {list(reserved)}）：请先把客户列改名",
            f"{arg}={customer!r} clashes with a column of the result ({list(reserved)}): "
            f"rename the customer column first")
    return customer


def read(data: pd.DataFrame, name: str, customer: str,
         date: str) -> tuple[pd.Series, np.ndarray]:
    """Return the customer ids (checked: none missing) and the local day number of each row."""
    ids = data[customer]
    validate.no_missing(ids, f"{name}[{customer!r}]")
    days = validate.day_numbers(data[date], f"{name}[{date!r}]")
    return ids, days


def amounts(values: pd.Series, name: str) -> np.ndarray:
    """Money amounts as floats: numbers only (no text, no booleans), finite, >= 0."""
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
            values.dtype):
        raise validate.BilingualTypeError(
            f"{name} 的类型是 {values.dtype}：应为数字（金额）",
            f"{name} has dtype {values.dtype}: expected numbers (money amounts)")
    return validate.money_array(values, name, label="金额")


def occasions(codes: np.ndarray, days: np.ndarray,
              amounts: np.ndarray | None = None) -> Occasions:
    """Find each purchase occasion: its customer code, day (and summed amount).

    Equivalent to ``groupby([customer, day])``, but fast and lean: each row
    becomes ONE int64 key ``code * span + day`` (no tuples, no hashing); sorting
    the keys once (skipped when the rows already come sorted) puts a customer's
    rows together in day order, and equal neighbours are one occasion. Without
    ``amounts`` the key is built in place in ``codes`` (the caller's private
    buffer is consumed), so peak memory stays at about two int64 arrays of the
    input length. With ``amounts`` a stable argsort keeps each occasion's rows
    in input order, so its sum is the same float as ``groupby(...).sum()``.

    Parameters
    ----------
    codes : numpy.ndarray
        int64 customer codes ``0..n-1`` (from :func:`crmlab._validation.id_codes`);
        overwritten when ``amounts`` is None.
    days : numpy.ndarray
        int64 day numbers, one per row.
    amounts : numpy.ndarray, optional
        Amounts per row, summed per occasion.

    Returns
    -------
    Occasions
        ``customer`` (codes) and ``day`` of each occasion, sorted by customer
        then day, and ``amount`` (None without ``amounts``).
    """
    if days.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return Occasions(empty, empty.copy(), None if amounts is None else np.empty(0))
    first_day = int(days.min())
    span = int(days.max()) - first_day + 1
    if amounts is None:
        key = codes
        key *= span
    else:
        key = codes * span
    key += days
    key -= first_day
    order = None
    if key.size > 1 and not (key[1:] >= key[:-1]).all():
        if amounts is None:
            key.sort()
        else:
            order = np.argsort(key, kind="stable")
            key = key[order]
    distinct = np.empty(key.size, dtype=bool)
    distinct[0] = True
    np.not_equal(key[1:], key[:-1], out=distinct[1:])
    total = None
    if amounts is not None:
        ordered = amounts if order is None else amounts[order]
        total = np.add.reduceat(ordered, np.flatnonzero(distinct))
    occasion_keys = key[distinct]
    del key, distinct
    occasion_customer = occasion_keys // span
    occasion_day = occasion_keys  # reuse the buffer: key -> day number
    occasion_day %= span
    occasion_day += first_day
    return Occasions(occasion_customer, occasion_day, total)


def first_rows(customer: np.ndarray) -> np.ndarray:
    """Mark each customer's first occasion (occasions sorted by customer)."""
    first = np.ones(customer.size, dtype=bool)
    np.not_equal(customer[1:], customer[:-1], out=first[1:])
    return first


def first_and_last(customer: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last occasion day per customer present (occasions sorted by customer, day)."""
    boundary = np.flatnonzero(customer[1:] != customer[:-1])
    first = day[np.concatenate(([0], boundary + 1))]
    last = day[np.concatenate((boundary, [day.size - 1]))]
    return first, last


def day_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime64[ns]`` midnights."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")
