"""Profit concentration: the whale curve, Sherden's 80/20/30 reading, Lorenz, Gini, ABC.

All functions take one value per customer (profit, sales, ...) as a list, numpy
array or pandas Series and work with one sort, so 10 million customers take
about as long as one ``numpy.sort`` of them.

* ``whale_curve`` ranks customers by profit, **highest first**, and gives the
  cumulative share of total profit; with loss-making customers it rises above
  100 % and falls back to 100 % at the end — the "whale" of Kaplan & Cooper.
* ``sherden_shares`` reads the 80/20/30 rule off that curve (top 20 % of
  customers, bottom 30 %, the peak).
* ``lorenz`` and ``gini`` measure concentration the other way round (smallest
  first), as economists do.
* ``abc_classes`` is the **ABC classification** (ABC 分类法: A = key customers
  up to 80 % of the total, B up to 95 %, C the rest) — not activity-based
  costing (作业成本法, see ``crmlab.costing``), which shares the acronym.

Ties are deterministic: equal values keep their input order (a stable sort), so
the same data always give the same ranks and classes.

>>> curve = whale_curve([50, 30, 20, -10, 10])
>>> curve["cumulative_profit_share"].round(2).tolist()
[0.0, 0.5, 0.8, 1.0, 1.1, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "abc_classes",
    "gini",
    "lorenz",
    "sherden_shares",
    "summary",
    "whale_curve",
]

#: tolerance when a cumulative share is compared with a cut (0.8 may be 0.7999999…)
CUT_TOLERANCE = 1e-12


# --- input checks ---------------------------------------------------------------
# Not ``validate.float_array``: it copies the values and scans them twice, while the
# whale curve's budget is one copy (into the result buffer) and one summing pass
# (benchmarks/README.md, peak 1.0x the input). The messages go through ``_validation``.

def _values(values: Any, name: str, *, positive_total: bool = True) -> np.ndarray:
    """Return a checked 1-D float array *view* of ``values`` (no copy for float64 input)."""
    array = _as_float_array(values, name)
    if array.ndim != 1:
        raise validate.BilingualValueError(
            f"{name} 是 {array.ndim} 维的：应为一维，每个客户一个值",
            f"{name} has {array.ndim} dimension(s): expected 1 (one value per customer)")
    if array.size == 0:
        raise validate.BilingualValueError(f"{name} 为空：至少需要一个客户",
                                           f"{name} is empty: expected at least one customer")
    _check_total(array, name, positive_total=positive_total)
    return array


def _as_float_array(values: Any, name: str) -> np.ndarray:
    """Convert ``values`` to a float array, refusing non-sequences and text."""
    if values is None or isinstance(values, str | bytes | dict):
        raise validate.BilingualTypeError(
            f"{name}={validate.show(values)} 无效：应为一列数字（列表、数组或 Series），"
            f"每个客户一个值",
            f"{name}={validate.show(values)} is invalid: expected a sequence of numbers, one "
            f"per customer")
    raw = _raw_array(values, name)
    if raw.dtype.kind == "O":
        _refuse_text(raw.ravel(), name)
        raw = np.array([np.nan if _is_missing(item) else item for item in raw.ravel()],
                       dtype=float).reshape(raw.shape)
    elif raw.dtype.kind not in "fiu":
        _refuse_text(raw.ravel()[:1], name)
    return raw.astype(float, copy=False)


def _raw_array(values: Any, name: str) -> np.ndarray:
    """Return the numpy array behind a list, array, Series, Index or one-column frame."""
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise validate.BilingualTypeError(
                f"{name} 是有 {values.shape[1]} 列的 DataFrame：应为一列数字，例如 data['profit']",
                f"{name} is a DataFrame with {values.shape[1]} columns: expected one column, "
                f"e.g. data['profit']")
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series | pd.Index):
        return np.asarray(values)
    if isinstance(values.dtype, np.dtype):
        return values.to_numpy()
    try:  # nullable / extension dtypes: missing values become NaN (refused later)
        return values.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        return values.to_numpy(dtype=object)


def _check_total(array: np.ndarray, name: str, *, positive_total: bool) -> None:
    """Refuse NaN/inf, an overflowing total and (optionally) a total <= 0."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = array.sum()  # one pass; NaN or inf anywhere makes it non-finite
    if not np.isfinite(total):
        finite = np.isfinite(array)
        if not finite.all():
            bad = np.flatnonzero(~finite)
            kinds = "NaN（缺失值）" if np.isnan(array[bad]).all() else "NaN 或无穷大"
            raise validate.BilingualValueError(
                f"{name} 在位置 {bad[:5].tolist()} 含有 {kinds}：每个客户都需要一个有限的数值"
                f"（缺失的利润不能被悄悄跳过，请先补齐或删除这些客户）",
                f"{name} contains NaN or infinite values at positions {bad[:5].tolist()}: "
                f"every customer needs a finite value")
        raise validate.BilingualValueError(
            f"{name} 的合计溢出（数值过大，例如 {validate.show(float(np.max(np.abs(array))))}）："
            f"请换用更大的单位（例如万元）",
            f"{name} adds up to an overflow (values as large as "
            f"{validate.show(float(np.max(np.abs(array))))}): rescale, e.g. to 10 000 yuan")
    if positive_total and not total > 0:
        raise validate.BilingualValueError(
            f"{name} 的合计为 {validate.show(float(total))}：利润（或销售额）总额必须为正，"
            f"才能计算各客户的占比（总额 ≤ 0 时“占总利润的百分比”没有意义）",
            f"{name} adds up to {validate.show(float(total))}: expected a positive total, "
            f"otherwise shares of the total are meaningless")


def _refuse_text(raw: np.ndarray, name: str) -> None:
    """Raise for text, booleans or dates among the values; accept plain numbers."""
    if raw.dtype.kind == "O":
        bad = [(i, item) for i, item in enumerate(raw)
               if not (_is_number(item) or _is_missing(item))]
        if not bad:
            return
        position, item = bad[0]
    else:
        position, item = 0, (raw[0] if raw.size else raw.dtype)
    raise validate.BilingualTypeError(
        f"{name} 在位置 {position} 是 {validate.show(item)}：应为数字（文字、逻辑值或日期不能"
        f"当作金额；文字请先用 pd.to_numeric 转换）",
        f"{name} has {validate.show(item)} at position {position}: expected numbers only")


def _is_missing(item: Any) -> bool:
    return item is None or item is pd.NA or item is pd.NaT


def _is_number(item: Any) -> bool:
    return (isinstance(item, int | float | np.integer | np.floating)
            and not isinstance(item, bool | np.bool_))


# --- the sorted cumulative profile ------------------------------------------------

def _cumulative(array: np.ndarray, *, descending: bool) -> np.ndarray:
    """``[0, c_1, …, c_n]`` with ``c_k`` the sum of the first k sorted values / total.

    One buffer of n + 1 floats: the values are copied into it (negated for a
    descending order), sorted in place, summed up in place and scaled in place,
    so the memory used is one copy of the input and the time one sort plus three
    linear passes. The last entry is exactly 1.
    """
    out = np.empty(array.size + 1)
    out[0] = 0.0
    body = out[1:]
    if descending:
        np.negative(array, out=body)
    else:
        np.copyto(body, array)
    body.sort()
    np.cumsum(body, out=body)
    total = body[-1]
    if descending:
        total = -total
    if not total > 0:  # the sum was positive but the running sum rounds to <= 0
        raise validate.BilingualValueError(
            f"利润合计在累加后为 {validate.show(float(total))}，不为正（正负相抵、数值相差悬殊）："
            f"请检查数据",
            f"the running total is {validate.show(float(total))}, not positive, after summation"
            f" (large gains and losses cancel): check the data")
    np.divide(out, -total if descending else total, out=out)
    out[0], out[-1] = 0.0, 1.0
    return out


def _customer_share(n: int) -> np.ndarray:
    share = np.arange(n + 1, dtype=float)
    share /= n
    return share


# --- whale curve and Sherden's reading --------------------------------------------

def whale_curve(profits: Any) -> pd.DataFrame:
    r"""Cumulative profit share against the share of customers ranked by profit.

    Customers are ranked by profit, highest first (equal profits keep their input
    order). Row ``k`` holds the top ``k`` customers: ``customer_share = k / n`` and
    ``cumulative_profit_share`` = their profit / total profit. The first row is
    (0, 0), the last (1, 1); with loss-making customers the curve peaks above 1.

    .. math:: W(k/n) = \frac{\sum_{j \le k} \pi_{(j)}}{\sum_{j=1}^{n} \pi_j},
              \quad \pi_{(1)} \ge \pi_{(2)} \ge \dots

    Parameters
    ----------
    profits : list, numpy array or pandas Series of numbers
        One profit per customer (元); losses are negative. The total must be positive.

    Returns
    -------
    pandas.DataFrame
        The curve in ``n + 1`` rows: ``customer_share`` (0 … 1) and ``cumulative_profit_share``.

    Raises
    ------
    TypeError
        Text or another non-numeric value among the profits.
    ValueError
        Empty input, NaN or infinite values, or a total profit ≤ 0.

    References
    ----------
    Sherden, W. A. (1994). *Market Ownership: The Art and Science of Becoming #1*.
    AMACOM. Kaplan, R. S. & Cooper, R. (1998). *Cost & Effect*. Harvard Business School
    Press (the "whale curve" of cumulative customer profitability).

    Examples
    --------
    >>> whale_curve([30, -10, 80])["cumulative_profit_share"].tolist()
    [0.0, 0.8, 1.1, 1.0]
    """
    array = _values(profits, "profits")
    cumulative = _cumulative(array, descending=True)
    share = _customer_share(array.size)
    return pd.DataFrame({"customer_share": share, "cumulative_profit_share": cumulative},
                        copy=False)


def _interpolate(cumulative: np.ndarray, share: float) -> float:
    """Read the whale curve at ``share`` of the customers, linear between customers."""
    n = cumulative.size - 1
    position = share * n
    k = min(int(np.floor(position)), n - 1)
    fraction = position - k
    return float(cumulative[k] + fraction * (cumulative[k + 1] - cumulative[k]))


def _sherden(cumulative: np.ndarray, top: float, bottom: float) -> dict[str, float]:
    peak = int(np.argmax(cumulative))
    n = cumulative.size - 1
    return {
        "top": top,
        "top_share": _interpolate(cumulative, top),
        "bottom": bottom,
        "bottom_share": 1.0 - _interpolate(cumulative, 1.0 - bottom),
        "peak_share": float(cumulative[peak]),
        "peak_customer_share": peak / n,
    }


def sherden_shares(profits: Any, *, top: float = 0.20, bottom: float = 0.30) -> pd.DataFrame:
    """Read the whale curve the Sherden way: the 80/20/30 shares and the peak.

    * ``top_share``: profit share of the top ``top`` (20 %) of customers;
    * ``bottom_share``: profit share of the bottom ``bottom`` (30 %) — negative
      when they lose money;
    * ``peak_share``: the highest point of the whale curve, i.e. the profit the
      company would make if every loss-making customer were dropped (and nothing
      else changed), as a share of today's total; ``peak_customer_share`` is where
      the peak is (the share of customers that are profitable).

    A cut that falls inside a customer (e.g. 20 % of 7 customers = 1.4) is read
    off the whale curve by linear interpolation between the neighbouring
    customers, i.e. that customer counts with the fraction that lies inside.

    Parameters
    ----------
    profits : list, numpy array or pandas Series of numbers
        One profit per customer; the total must be positive.
    top, bottom : float
        Shares of customers in [0, 1] (defaults 0.20 and 0.30, Sherden's rule).

    Returns
    -------
    pandas.DataFrame
        One row with ``top``, ``top_share``, ``bottom``, ``bottom_share``, ``peak_share``,
        ``peak_customer_share``.

    Raises
    ------
    TypeError, ValueError
        As ``whale_curve``; ``top``/``bottom`` outside [0, 1] (e.g. 20 for 0.2).

    References
    ----------
    Sherden, W. A. (1994). *Market Ownership*. AMACOM (the 80/20/30 rule).

    Examples
    --------
    >>> s = sherden_shares([60, 20, 10, 10, 5, 5, 0, -2, -3, -5])
    >>> [round(float(v), 2) for v in s.loc[0, ["top_share", "bottom_share", "peak_share"]]]
    [0.8, -0.1, 1.1]
    """
    top = validate.probability(top, "top", label="前部客户占比")
    bottom = validate.probability(bottom, "bottom", label="后部客户占比")
    cumulative = _cumulative(_values(profits, "profits"), descending=True)
    return pd.DataFrame([_sherden(cumulative, top, bottom)])


# --- Lorenz and Gini ------------------------------------------------------------

def lorenz(values: Any) -> pd.DataFrame:
    """Compute the Lorenz curve: cumulative share of the total, smallest value first.

    The mirror image of the whale curve (which starts with the largest). First row
    (0, 0), last (1, 1); the curve lies below the diagonal for non-negative values.

    Parameters
    ----------
    values : list, numpy array or pandas Series of numbers
        One value per customer (sales, profit …); the total must be positive.

    Returns
    -------
    pandas.DataFrame
        The curve in ``n + 1`` rows: ``customer_share`` and ``cumulative_share``.

    Raises
    ------
    TypeError, ValueError
        As ``whale_curve``.

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
    *Publications of the American Statistical Association*, 9(70), 209–219.

    Examples
    --------
    >>> lorenz([3, 1])["cumulative_share"].tolist()
    [0.0, 0.25, 1.0]
    """
    array = _values(values, "values")
    cumulative = _cumulative(array, descending=False)
    return pd.DataFrame({"customer_share": _customer_share(array.size),
                         "cumulative_share": cumulative}, copy=False)


def _gini_from_ascending(cumulative: np.ndarray) -> float:
    n = cumulative.size - 1
    # G = 1 - (2 * sum_k L_k - 1) / n  (trapezoids under the Lorenz curve)
    return float(1.0 - (2.0 * cumulative[1:].sum() - 1.0) / n)


def gini(values: Any) -> float:
    r"""Compute the Gini coefficient in O(n log n): one sort and one cumulative sum.

    .. math:: G = \frac{\sum_i \sum_j |x_i - x_j|}{2 n^2 \bar x}
              = 1 - \frac{1}{n}\Big(2\sum_{k=1}^{n} L_k - 1\Big)

    with :math:`L_k` the Lorenz curve at ``k / n``. For non-negative values
    ``0 <= G < 1`` (0: everyone equal; close to 1: one customer has everything).
    With losses (negative values) the same formula is the mean absolute
    difference over twice the mean and can exceed 1: read the whale curve instead.

    Parameters
    ----------
    values : list, numpy array or pandas Series of numbers
        One value per customer (sales, profit …); the total must be positive.

    Returns
    -------
    float
        The Gini coefficient.

    Raises
    ------
    TypeError, ValueError
        As ``whale_curve``.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Cowell, F. (2011). *Measuring
    Inequality*, 3rd ed. Oxford University Press.

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> round(gini([0, 0, 0, 10]), 2)
    0.75
    """
    cumulative = _cumulative(_values(values, "values"), descending=False)
    return _gini_from_ascending(cumulative)


def summary(profits: Any, *, top: float = 0.20, bottom: float = 0.30) -> pd.DataFrame:
    """Everything in one sort: customers, total, Sherden's shares and the Gini.

    The whale curve read descending gives Sherden's shares; its reverse is the
    Lorenz curve, so the Gini needs no second sort.

    Parameters
    ----------
    profits : list, numpy array or pandas Series of numbers (total > 0)
        Profit (or sales) per customer.
    top, bottom : float, default 0.20 and 0.30
        Shares of customers for Sherden's top and bottom groups, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row: ``customers``, ``total``, the columns of ``sherden_shares`` and ``gini``.

    Examples
    --------
    >>> s = summary([60, 20, 10, 10, 5, 5, 0, -2, -3, -5])
    >>> int(s.loc[0, "customers"]), float(s.loc[0, "total"]), round(float(s.loc[0, "gini"]), 3)
    (10, 100.0, 0.836)
    """
    top = validate.probability(top, "top", label="前部客户占比")
    bottom = validate.probability(bottom, "bottom", label="后部客户占比")
    array = _values(profits, "profits")
    cumulative = _cumulative(array, descending=True)
    row = {"customers": array.size, "total": float(array.sum())}
    row.update(_sherden(cumulative, top, bottom))
    # Lorenz (ascending) at k/n = 1 - W((n-k)/n); sum_k L_k = n - sum_{j<n} W_j
    n = array.size
    sum_lorenz = n - (cumulative[:-1].sum())
    row["gini"] = float(1.0 - (2.0 * sum_lorenz - 1.0) / n)
    return pd.DataFrame([row])


# --- ABC classification (ABC 分类法) -----------------------------------------------

def abc_classes(values: Any, *, cuts: Sequence[float] = (0.80, 0.95)) -> pd.DataFrame:
    """ABC classification (ABC 分类法): A, B, C by cumulative share of the total.

    Customers are ranked by value, highest first (equal values keep their input
    order). **A** = the fewest top customers whose cumulative share reaches
    ``cuts[0]`` (80 %); **B** = the following customers up to the first whose
    cumulative share reaches ``cuts[1]`` (95 %); **C** = the rest. A cumulative
    share within 1e-12 below a cut counts as reaching it (floating-point rounding).
    This is the 80/15/5 classification of the lectures, not activity-based
    costing (作业成本法), which shares the acronym.

    Parameters
    ----------
    values : list, numpy array or pandas Series of numbers (total > 0)
        Sales or profit per customer; a Series keeps its index (e.g. customer ids).
    cuts : pair of floats, default (0.80, 0.95)
        The cumulative shares that close class A and class B,
        ``0 < cuts[0] <= cuts[1] <= 1``.

    Returns
    -------
    pandas.DataFrame
        In the input order (index of a Series kept): ``value``, ``rank`` (1 = largest),
        ``cumulative_share`` (share of the total held by this customer and all ranked above) and
        ``abc_class`` (``"A"``, ``"B"`` or ``"C"``).

    Raises
    ------
    TypeError, ValueError
        As ``whale_curve``; ``cuts`` not an increasing pair in (0, 1].

    Examples
    --------
    >>> abc_classes([5, 70, 10, 15])["abc_class"].tolist()
    ['C', 'A', 'B', 'A']
    """
    if (isinstance(cuts, str | bytes) or not isinstance(cuts, Sequence | np.ndarray)
            or len(cuts) != 2):
        raise validate.BilingualTypeError(
            f"cuts={validate.show(cuts)} 无效：应为两个累计占比，例如 (0.80, 0.95)",
            f"cuts={validate.show(cuts)} is invalid: expected two cumulative shares, e.g. "
            f"(0.80, 0.95)")
    cut_a = validate.probability(cuts[0], "cuts[0]")
    cut_b = validate.probability(cuts[1], "cuts[1]")
    if not 0 < cut_a <= cut_b:
        raise validate.BilingualValueError(
            f"cuts={validate.show(tuple(cuts))} 无效：应满足 0 < cuts[0] ≤ cuts[1] ≤ 1，例如 "
            f"(0.80, 0.95)",
            f"cuts={validate.show(tuple(cuts))} is invalid: expected 0 < cuts[0] <= cuts[1] "
            f"<= 1")
    index = values.index if isinstance(values, pd.Series) else None
    array = _values(values, "values")
    order = np.argsort(-array, kind="stable")
    ordered = array[order]
    cumulative = np.cumsum(ordered) / ordered.sum()
    k_a = int(np.argmax(cumulative >= cut_a - CUT_TOLERANCE))
    reach_b = cumulative >= cut_b - CUT_TOLERANCE
    k_b = max(int(np.argmax(reach_b)) if reach_b.any() else array.size - 1, k_a)
    classes_sorted = np.full(array.size, "C", dtype=object)
    classes_sorted[: k_a + 1] = "A"
    classes_sorted[k_a + 1: k_b + 1] = "B"
    rank = np.empty(array.size, dtype=np.int64)
    rank[order] = np.arange(1, array.size + 1)
    share = np.empty(array.size)
    share[order] = cumulative
    classes = np.empty(array.size, dtype=object)
    classes[order] = classes_sorted
    return pd.DataFrame({"value": array.copy(), "rank": rank, "cumulative_share": share,
                         "abc_class": classes}, index=index)
