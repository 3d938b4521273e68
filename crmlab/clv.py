"""Customer lifetime value (客户终身价值, CLV): NPV, CLV tables, retention CLV.

《客户终身价值》讲义 defines CLV as the net present value of the cash flows a
customer brings (客户终身价值 = 来自客户的现金流的净现值), and 《客户组合分析》讲义
prints the classic formula

    CLTV = sum_{t=1..n} p_t / (1 + i)^t

with ``p_t`` the profit of year ``t`` and ``i`` the discount rate (cost of
capital). This module computes it for one customer or a million at once:

* ``npv`` — present value of per-period cash flows (list, array, Series, or a
  2-D array / DataFrame with one row per customer, vectorised);
* ``clv_table`` — the year-by-year table a textbook prints (acquisition cost at
  t = 0, discount factors, present values, cumulative PV);
* ``retention_clv`` / ``margin_multiple`` — expected CLV with a constant
  retention probability ``r`` (closed form ``m * r / (1 + i - r)``);
* ``risk_adjusted_rate`` — the lecture's rule for high/average/low-risk customers;
* ``card_clv`` — the credit-card procedure (window, revenue, cost, discounting);
* ``migration_clv`` — Dwyer's customer-migration (recency-state) model.

Customer equity (the sum of CLTVs and its movement) is ``crmlab.equity``; the
illustrative card data are ``crmlab.synthetic.cards``.

Timing convention: ``timing="end"`` (the default; it reproduces the table of
《客户组合分析》讲义, where 100 元 in year 1 is worth 91 元) receives the cash
flow of period ``t`` at the end of the period and discounts it by ``(1 + i)^t``;
``timing="begin"`` discounts by ``(1 + i)^(t-1)``.
Acquisition cost is paid at ``t = 0`` and never discounted. Money is checked
like every amount in crmlab: finite, at most ``10^15`` in absolute value (so no
result overflows), costs ``>= 0``.

>>> [round(v) for v in clv_table([100] * 4, rate=0.10)["present_value"]]
[91, 83, 75, 68]
>>> round(npv([100] * 4, 0.10))
317
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _transactions as transactions
from crmlab import _validation as validate

__all__ = [
    "CALCULATOR_DEFAULTS",
    "CARD_REVENUE",
    "CARD_REWARDS",
    "COMPONENTS",
    "card_clv",
    "clv_table",
    "clv_total",
    "calculator_table",
    "components",
    "discount_factors",
    "MAX_YEARS",
    "margin_multiple",
    "migration_clv",
    "npv",
    "parse_revenue",
    "retention_clv",
    "revenue_path",
    "risk_adjusted_rate",
    "sensitivity",
]

Timing = Literal["end", "begin"]

#: The most periods a schedule may have: 100,000 (e.g. 270 years of days). More would only
#: allocate an array too large for memory, never change a CLV that is discounted.
MAX_PERIODS = 100_000

#: The parts of CLV in the lecture's components diagram: key -> (中文, role in the
#: calculation, meaning). 净利率 is the margin of ONE period; 预计累计保证金 is the
#: lifetime total (retention-weighted, discounted margins summed), from which the
#: acquisition cost is subtracted.
COMPONENTS: dict[str, tuple[str, str, str]] = {
    "recurring_revenue": ("经常性收入", "+（每期）", "each period's revenue from the customer"),
    "recurring_cost": ("经常性费用", "−（每期）", "cost of serving and keeping the customer"),
    "margin": ("净利率", "= 收入 − 费用（每期）",
               "margin of one period: revenue minus recurring cost"),
    "retention_probability": ("保留的可能性", "× r^t", "probability the customer is still there"),
    "discounting": ("贴现", "÷ (1+i)^t", "turns future money into today's money"),
    "cumulative_margin": ("预计累计保证金", "Σ（整个生命周期）",
                          "expected cumulative margin: weighted, discounted margins summed"),
    "acquisition_cost": ("收购成本（获取成本）", "−（第 0 年一次）", "paid once, at t = 0"),
}

#: The money revenue columns of the credit-card procedure (``card_clv``'s default);
#: the margin on card spending is added by ``card_clv`` from ``spending``.
CARD_REVENUE = ("card_fee", "interest_income")
#: The columns paid to the card holder (积分, 转介绍奖励), deducted from revenue.
CARD_REWARDS = ("points_cost", "referral_reward")



def _overflow(name: str) -> ValueError:
    return validate.BilingualValueError(
        f"{name} 的结果超出浮点数范围（溢出）：金额或期数太大，或贴现率太接近 -1",
        f"{name} overflows: the amounts or periods are too large, or the rate too close "
        f"to -1")


def _finite(values: Any, name: str) -> Any:
    """Return ``values`` if every number is finite, else raise an overflow error."""
    if not np.isfinite(np.asarray(values, dtype=float)).all():
        raise _overflow(name)
    return values


# --- discounting --------------------------------------------------------------

def _check_timing(timing: Any) -> str:
    return validate.choice(timing, "timing", ("end", "begin"), label="现金流时点")


def _exponents(periods: int, timing: str) -> np.ndarray:
    t = np.arange(1, periods + 1, dtype=float)
    return t if timing == "end" else t - 1.0


def _powers(rate: float | np.ndarray, exponents: np.ndarray) -> np.ndarray:
    """``(1 + rate) ** -exponents`` with overflow reported, not returned as inf."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return _finite((1.0 + rate) ** -exponents, "discount_factors")


def discount_factors(periods: int, rate: float, *, timing: Timing = "end") -> np.ndarray:
    """Return the discount factors ``1 / (1 + rate)^t`` of periods 1..``periods``.

    Parameters
    ----------
    periods : int
        Number of periods (>= 1).
    rate : float
        Discount rate per period, > -1.
    timing : {"end", "begin"}
        ``"end"``: exponent t; ``"begin"``: exponent t − 1.

    Returns
    -------
    numpy.ndarray
        One factor per period.

    Raises
    ------
    TypeError
        If ``periods`` is not a whole number or ``rate`` not a number.
    ValueError
        If ``periods`` < 1, ``rate`` <= -1 or NaN/inf, ``timing`` unknown, or a
        factor overflows.

    Examples
    --------
    >>> discount_factors(2, 0.10).round(4).tolist()
    [0.9091, 0.8264]
    """
    n = validate.integer(periods, "periods", minimum=1, maximum=MAX_PERIODS, label="期数")
    i = validate.rate(rate, "rate", label="贴现率")
    return _powers(i, _exponents(n, _check_timing(timing)))


def _rates_per_row(rate: Any, rows: int) -> float | np.ndarray:
    """Return a scalar rate, or one rate per customer row (all > -1)."""
    if isinstance(rate, int | float | np.number) and not isinstance(rate, bool):
        return validate.rate(rate, "rate", label="贴现率")
    rates = validate.scalar_or_rows(rate, "rate", rows, label="贴现率")
    bad = rates <= -1
    if bad.any():
        raise validate.BilingualValueError(
            f"贴现率 rate 在位置 {np.flatnonzero(bad)[:5].tolist()} 的值 <= -1：应大于 -1",
            f"rate has values <= -1 at positions {np.flatnonzero(bad)[:5].tolist()}: "
            f"expected rates greater than -1")
    return rates


def npv(cash_flows: Any, rate: Any, *, timing: Timing = "end") -> Any:
    """Compute the present value of per-period cash flows, for one customer or many.

    Parameters
    ----------
    cash_flows : list, ndarray, Series, or 2-D ndarray / DataFrame
        Cash flow (元) of periods 1..n, signed; a 2-D input holds one customer
        per row.
    rate : float, or one rate per row for 2-D input
        Discount rate per period, greater than -1.
    timing : {"end", "begin"}
        ``"end"`` discounts period t by ``(1+rate)^t``, ``"begin"`` by ``(1+rate)^(t-1)``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A float for 1-D input; an ndarray (one value per row) for a 2-D array;
        a Series (same index, name ``"npv"``) for a DataFrame.

    Raises
    ------
    TypeError
        If cash flows hold text/booleans or ``rate`` is not a number.
    ValueError
        If a value is NaN/inf or beyond ±10^15, the input is empty, ``rate`` <= -1,
        the number of rates does not match the rows, or the result overflows.

    Examples
    --------
    >>> round(npv([100, 100, 100, 100], 0.10), 2)
    316.99
    >>> npv([[110], [121]], 0.10).round(6).tolist()
    [100.0, 110.0]
    """
    when = _check_timing(timing)
    flows = validate.money_array(cash_flows, "cash_flows", signed=True, ndim=(1, 2),
                                 label="现金流")
    if flows.ndim == 1:
        i = validate.rate(rate, "rate", label="贴现率")
        return float(_finite(flows @ _powers(i, _exponents(flows.shape[0], when)), "npv"))
    if flows.shape[1] == 0:
        raise validate.BilingualValueError("现金流 cash_flows 没有任何一期：至少需要一列",
                                           "cash_flows has no period: expected at least "
                                           "one column")
    exponents = _exponents(flows.shape[1], when)
    rates = _rates_per_row(rate, flows.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        if np.ndim(rates) == 0:
            values = flows @ _powers(rates, exponents)
        else:
            # Horner's scheme over the periods (vectorised over customers): no
            # customers x periods matrix of powers, about 3x faster for 1 M rows.
            v = 1.0 / (1.0 + rates)
            values = np.zeros(flows.shape[0])
            for column in flows.T[::-1]:
                values = (values + column) * v
            if when == "begin":
                values = values * (1.0 + rates)
    _finite(values, "npv")
    if isinstance(cash_flows, pd.DataFrame):
        return pd.Series(values, index=cash_flows.index, name="npv")
    return values


# --- the textbook table ---------------------------------------------------------

def _per_period_costs(values: Any, periods: int) -> np.ndarray:
    """Return a cost per period from one amount for every period, or one per period."""
    if isinstance(values, int | float | np.number) and not isinstance(values, bool):
        return np.full(periods, validate.money(values, "cost", label="每期成本"))
    return validate.scalar_or_rows(values, "cost", periods, convert=validate.money_array,
                                   label="每期成本")


def clv_table(revenue: Any, cost: Any = 0.0, *, rate: float,
              acquisition_cost: float = 0.0, retention: float | None = None,
              timing: Timing = "end") -> pd.DataFrame:
    """Build the year-by-year CLV table: cash flows, discount factors, present values.

    Parameters
    ----------
    revenue : sequence of numbers
        Revenue (or profit, may be negative) of years 1..n, in 元.
    cost : number or sequence
        Recurring (retention) cost of each year (>= 0); a number means the same
        every year.
    rate : float
        Discount rate (cost of capital), greater than -1.
    acquisition_cost : float
        Paid once at t = 0 (>= 0; a year-0 row is added when it is not 0).
    retention : float in [0, 1], optional
        If given, year t's cash flow is expected with probability ``retention^t``
        (``retention^(t-1)`` for ``timing="begin"``); adds the columns
        ``retention_probability`` and ``expected_cash_flow``.
    timing : {"end", "begin"}
        When each year's cash flow arrives (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns ``year, revenue, cost, net_cash_flow, [retention_probability,
        expected_cash_flow,] discount_factor, present_value, cumulative_pv``.
        The CLV is the last ``cumulative_pv`` (see ``clv_total``).

    Raises
    ------
    TypeError
        If a value is text, a bool or not a number.
    ValueError
        If a value is NaN/inf or beyond ±10^15, a cost is negative, ``cost`` has
        the wrong length, ``retention`` is outside [0, 1], ``rate`` <= -1, or
        the table overflows.

    Examples
    --------
    >>> t = clv_table([1000, 1500, 2000, 2000, 2000], 500, rate=0.15, acquisition_cost=2500)
    >>> t["year"].tolist()
    [0, 1, 2, 3, 4, 5]
    >>> round(clv_total(t), 2)
    1280.6
    """
    when = _check_timing(timing)
    rev = validate.money_array(revenue, "revenue", signed=True, label="收入")
    n = rev.shape[0]
    cst = _per_period_costs(cost, n)
    i = validate.rate(rate, "rate", label="贴现率")
    acquisition = validate.money(acquisition_cost, "acquisition_cost", label="获取成本")
    exponents = _exponents(n, when)
    table = pd.DataFrame({"year": np.arange(1, n + 1), "revenue": rev, "cost": cst,
                          "net_cash_flow": rev - cst})
    flow = table["net_cash_flow"].to_numpy()
    if retention is not None:
        r = validate.probability(retention, "retention", label="保留率")
        table["retention_probability"] = r ** exponents
        flow = flow * table["retention_probability"].to_numpy()
        table["expected_cash_flow"] = flow
    table["discount_factor"] = _powers(i, exponents)
    with np.errstate(over="ignore", invalid="ignore"):
        table["present_value"] = _finite(flow * table["discount_factor"].to_numpy(),
                                         "present_value")
    if acquisition != 0:
        first = dict.fromkeys(table.columns, 0.0)
        first.update(year=0, cost=acquisition, net_cash_flow=-acquisition,
                     discount_factor=1.0, present_value=-acquisition)
        if retention is not None:
            first.update(retention_probability=1.0, expected_cash_flow=-acquisition)
        table = pd.concat([pd.DataFrame([first]), table], ignore_index=True)
        table["year"] = table["year"].astype(int)
    table["cumulative_pv"] = _finite(table["present_value"].cumsum(), "cumulative_pv")
    return table


def clv_total(table: pd.DataFrame) -> float:
    """Return the CLV of a ``clv_table``: the sum of its present values.

    Parameters
    ----------
    table : pandas.DataFrame
        A table with a ``present_value`` column (e.g. from ``clv_table``).

    Returns
    -------
    float
        The sum of ``present_value``.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or ``present_value`` holds text.
    ValueError
        If the column is missing or holds NaN/inf (never skipped), or the sum
        overflows.

    Examples
    --------
    >>> round(clv_total(clv_table([100] * 4, rate=0.10)))
    317
    """
    validate.frame(table, "table", columns=["present_value"])
    values = validate.float_array(table["present_value"], "table['present_value']",
                                  label="现值")
    with np.errstate(over="ignore", invalid="ignore"):
        return float(_finite(values.sum(), "clv_total"))


def components(table: pd.DataFrame) -> pd.Series:
    """Split a ``clv_table`` into the lecture's CLV components, in today's money.

    ``pv_revenue`` (recurring revenue) − ``pv_recurring_cost`` −
    ``acquisition_cost`` = ``clv``; retention (if used) is already inside the
    expected values.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``clv_table`` (columns ``year``, ``revenue``, ``cost``,
        ``discount_factor`` and optionally ``retention_probability``).

    Returns
    -------
    pandas.Series
        ``pv_revenue``, ``pv_recurring_cost``, ``acquisition_cost``, ``clv``.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or a column holds text.
    ValueError
        If a column is missing or holds NaN/inf (never skipped), or a sum overflows.

    Examples
    --------
    >>> components(clv_table([100, 100], 20, rate=0.0, acquisition_cost=50)).tolist()
    [200.0, 40.0, 50.0, 110.0]
    """
    needed = ["year", "revenue", "cost", "discount_factor"]
    validate.frame(table, "table", columns=needed)
    if "retention_probability" in table:
        needed.append("retention_probability")
    col = {c: validate.float_array(table[c], f"table[{c!r}]") for c in needed}
    later = col["year"] > 0
    weight = col["discount_factor"] * col.get("retention_probability", 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        pv_revenue = float((col["revenue"] * weight)[later].sum())
        pv_cost = float((col["cost"] * weight)[later].sum())
        acquisition = float(col["cost"][~later].sum())
        parts = [pv_revenue, pv_cost, acquisition, pv_revenue - pv_cost - acquisition]
    _finite(parts, "components")
    return pd.Series(dict(zip(["pv_revenue", "pv_recurring_cost", "acquisition_cost", "clv"],
                              parts, strict=True)), name="value")


# --- retention-based CLV -------------------------------------------------------

def _broadcast_numbers(**named: Any) -> tuple[bool, list[np.ndarray]]:
    """Numbers or arrays broadcast together; ``True`` first when all were numbers."""
    arrays, scalar = [], True
    for name, value in named.items():
        checker = validate.money if name == "margin" else validate.number
        if isinstance(value, int | float | np.number) and not isinstance(value, bool):
            extra = {"signed": True} if name == "margin" else {}
            arrays.append(np.asarray(checker(value, name, **extra)))
        elif isinstance(value, np.ndarray) and value.ndim == 0:
            arrays.append(np.asarray(validate.number(value.item(), name)))
        else:
            scalar = False
            if name == "margin":
                arrays.append(validate.money_array(value, name, signed=True, ndim=(1, 2)))
            else:
                arrays.append(validate.float_array(value, name, ndim=(1, 2)))
    try:
        return scalar, list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(a)}" for name, a in zip(named, arrays,
                                                                      strict=True))
        raise validate.BilingualValueError(
            f"形状不匹配（mismatched，{shapes}）：应形状相同，或是单个数",
            f"mismatched shapes ({shapes}): expected equal shapes or single numbers") from None


def _check_retention_and_rate(retention: np.ndarray, rate: np.ndarray) -> None:
    bad = (retention < 0) | (retention > 1)
    if bad.any():
        validate.probability(float(retention[bad].ravel()[0]), "retention", label="保留率")
    if (rate <= -1).any():
        validate.rate(float(rate[rate <= -1].ravel()[0]), "rate", label="贴现率")


def margin_multiple(retention: Any, rate: Any) -> Any:
    """Return the infinite-horizon margin multiple ``r / (1 + i - r)``.

    Expected CLV = margin × multiple, when the margin of period t arrives at the
    end of period t with probability ``r^t`` (the geometric series
    ``sum_t (r / (1 + i))^t``).

    Parameters
    ----------
    retention : float or array
        Retention probability per period, in [0, 1].
    rate : float or array
        Discount rate per period, > -1 (and > retention − 1 for convergence).

    Returns
    -------
    float or numpy.ndarray
        A float when both inputs are numbers, else an array (broadcast).

    Raises
    ------
    TypeError
        If an input is text, a bool or not numeric.
    ValueError
        If a value is NaN/inf, out of range, shapes do not broadcast, or the
        series diverges (``1 + rate - retention <= 0``).

    References
    ----------
    Gupta, S., & Lehmann, D. R. (2005). *Managing Customers as Investments: The
    Strategic Value of Customers in the Long Run*. Wharton School Publishing.

    Examples
    --------
    >>> margin_multiple(0.75, 0.25)
    1.5
    """
    scalar, (r, i) = _broadcast_numbers(retention=retention, rate=rate)
    _check_retention_and_rate(r, i)
    value = _finite(_multiple_values(r, i), "margin_multiple")
    return float(value) if scalar else value


def _multiple_values(r: np.ndarray, i: np.ndarray) -> np.ndarray:
    denominator = 1.0 + i - r
    if (denominator <= 0).any():
        raise validate.BilingualValueError(
            "保留率和贴现率使 1 + rate − retention <= 0：无穷级数发散（diverges）；应让 "
            "rate > retention − 1，或在 retention_clv 中给出有限的 horizon",
            "retention and rate give 1 + rate - retention <= 0: the infinite sum diverges; "
            "expected rate > retention - 1 (or use a finite horizon in retention_clv)")
    with np.errstate(over="ignore", divide="ignore"):
        return r / denominator


def retention_clv(margin: Any, retention: Any, rate: Any, *,
                  horizon: int | None = None) -> Any:
    """Compute the expected CLV with constant retention ``r`` and discount rate ``i``.

    The margin ``m`` of period t is received at the end of period t if the
    customer is still retained (probability ``r^t``)::

        CLV = sum_{t=1..H} m r^t / (1 + i)^t      (horizon H)
            = m r / (1 + i - r)                     (horizon=None, H = infinity)

    Parameters
    ----------
    margin : float or array
        Margin per period (元, may be negative), at most 10^15 in absolute value.
    retention : float or array
        Retention probability per period, in [0, 1].
    rate : float or array
        Discount rate per period, > -1.
    horizon : int, optional
        Number of periods; ``None`` for the infinite horizon.

    Returns
    -------
    float or numpy.ndarray
        A float when all inputs are numbers, else an array (inputs broadcast,
        e.g. a grid of retention × rate).

    Raises
    ------
    TypeError
        If an input is text, a bool or not numeric, or ``horizon`` not whole.
    ValueError
        If a value is NaN/inf or out of range, shapes do not broadcast, the
        infinite series diverges, or the result overflows.

    References
    ----------
    Gupta, S., & Lehmann, D. R. (2005). *Managing Customers as Investments: The
    Strategic Value of Customers in the Long Run*. Wharton School Publishing.

    Examples
    --------
    >>> retention_clv(100, 0.75, 0.25)
    150.0
    >>> round(retention_clv(100, 0.75, 0.25, horizon=2), 2)
    96.0
    """
    scalar, (m, r, i) = _broadcast_numbers(margin=margin, retention=retention, rate=rate)
    _check_retention_and_rate(r, i)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if horizon is None:
            value = m * _multiple_values(r, i)
        else:
            h = validate.integer(horizon, "horizon", minimum=1, maximum=MAX_PERIODS,
                                 label="期数")
            q = r / (1.0 + i)
            near_one = np.abs(1.0 - q) < 1e-12
            safe = np.where(near_one, 0.5, q)       # placeholder where the limit h is used
            geometric = np.where(near_one, float(h), safe * (1.0 - safe ** h) / (1.0 - safe))
            value = m * geometric
    _finite(value, "retention_clv")
    return float(value) if scalar else np.asarray(value, dtype=float)


def sensitivity(margin: float, retention: Sequence[float], rate: Sequence[float], *,
                horizon: int | None = None) -> pd.DataFrame:
    """Tabulate retention CLV on a grid: rows = ``retention``, columns = ``discount_rate``.

    Parameters
    ----------
    margin : float
        Margin per period (元).
    retention : sequence of float
        Retention probabilities (rows), each in [0, 1].
    rate : sequence of float
        Discount rates (columns), each > -1.
    horizon : int, optional
        Number of periods; ``None`` for the infinite horizon.

    Returns
    -------
    pandas.DataFrame
        Index ``retention``, columns ``discount_rate``, values = CLV.

    Raises
    ------
    TypeError
        If ``margin`` is not a number or a grid holds text.
    ValueError
        If a grid is empty or holds NaN/inf/out-of-range values, or a series
        diverges.

    References
    ----------
    Gupta, S., & Lehmann, D. R. (2005). *Managing Customers as Investments: The
    Strategic Value of Customers in the Long Run*. Wharton School Publishing.

    Examples
    --------
    >>> sensitivity(100, [0.5, 0.8], [0.2]).round(1).to_numpy().tolist()
    [[71.4], [200.0]]
    """
    validate.money(margin, "margin", signed=True, label="每期利润")
    r = validate.float_array(retention, "retention", label="保留率")
    i = validate.float_array(rate, "rate", label="贴现率")
    values = retention_clv(margin, r[:, None], i[None, :], horizon=horizon)
    return pd.DataFrame(values, index=pd.Index(r, name="retention"),
                        columns=pd.Index(i, name="discount_rate"))


# --- risk-adjusted discount rate ------------------------------------------------

_RISK_ALIASES = {"average": "average", "high": "high", "low": "low",
                 "一般": "average", "一般风险": "average", "高": "high", "高风险": "high",
                 "低": "low", "低风险": "low"}
_RISK_SIGN = {"average": 0.0, "high": 1.0, "low": -1.0}


def _risk_kinds(risk: Any) -> tuple[pd.Series, bool]:
    """Risk labels -> codes; ``True`` second when a single label was given."""
    if isinstance(risk, str):
        if risk not in _RISK_ALIASES:
            validate.choice(risk, "risk", ("average", "high", "low"), label="风险类型")
        return pd.Series([_RISK_ALIASES[risk]]), True
    if isinstance(risk, bytes | dict) or not isinstance(risk, Sequence | np.ndarray
                                                         | pd.Series | pd.Index):
        raise validate.BilingualTypeError(
            f"风险类型 risk={validate.show(risk)} 无效：应为 'average'/'high'/'low'"
            f"（或 一般/高/低），或每位客户一个标签的列表",
            f"risk={validate.show(risk)} is invalid: expected 'average', 'high' or 'low' "
            f"(or a list of them, one per customer)")
    labels = pd.Series(list(risk))
    if labels.empty:
        raise validate.BilingualValueError("风险类型 risk 是空的：至少需要一个标签",
                                           "risk is empty: expected at least one label")
    kinds = labels.map(lambda v: _RISK_ALIASES.get(v) if isinstance(v, str) else None)
    if kinds.isna().any():
        where = validate.rows(labels.index, kinds.isna().to_numpy(), labels)
        raise validate.BilingualValueError(
            f"风险类型 risk 有未知的标签，位置 {where}：应为 average/high/low（或 一般/高/低）",
            f"risk has unknown labels at positions {where}: expected average, high or low")
    return kinds, False


def risk_adjusted_rate(base_rate: Any, risk_probability: Any,
                       risk: Any = "average") -> Any:
    """Return the lecture's discount rate by customer risk.

    average risk: the cost of capital; high risk: cost × (1 + risk probability);
    low risk: cost × (1 − risk probability). The cost of capital is ``>= 0``, so
    every rate returned is one the other functions accept.

    Parameters
    ----------
    base_rate : float
        The firm's cost of capital per period, a finite number >= 0.
    risk_probability : float, or one per customer
        Risk probability in [0, 1] (``80`` is refused with "did you mean 0.8?").
    risk : str or sequence of str
        ``"average"``, ``"high"`` or ``"low"`` (or 一般/高/低); a list/array/Series
        gives one rate per customer (a Series gives a Series back).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The discount rate(s), rounded to 12 decimals.

    Raises
    ------
    TypeError
        If a rate is not a number or ``risk`` is not a label or sequence of labels.
    ValueError
        If ``base_rate`` is negative or NaN/inf, a probability is outside [0, 1],
        a label is unknown, or the lengths differ.

    Examples
    --------
    >>> risk_adjusted_rate(0.10, 0.2, "high"), risk_adjusted_rate(0.10, 0.2, "low")
    (0.12, 0.08)
    """
    base = validate.number(base_rate, "base_rate", minimum=0, label="资金成本")
    kinds, single = _risk_kinds(risk)
    if single:
        p = validate.probability(risk_probability, "risk_probability", label="风险概率")
        return float(_finite(round(base * (1.0 + _RISK_SIGN[kinds.iloc[0]] * p), 12),
                             "risk_adjusted_rate"))
    p = validate.scalar_or_rows(risk_probability, "risk_probability", len(kinds),
                                label="风险概率")
    if ((p < 0) | (p > 1)).any():
        validate.probability(float(p[(p < 0) | (p > 1)][0]), "risk_probability",
                             label="风险概率")
    sign = kinds.map(_RISK_SIGN).to_numpy(dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        values = _finite(np.round(base * (1.0 + sign * p), 12), "risk_adjusted_rate")
    if isinstance(risk, pd.Series):
        return pd.Series(values, index=risk.index, name="discount_rate")
    return values


# --- credit-card CLV ------------------------------------------------------------

def _card_years(data: pd.DataFrame, year: str) -> np.ndarray:
    years = validate.float_array(data[year], f"data[{year!r}]", label="卡龄年度")
    bad = (years < 1) | (np.mod(years, 1) != 0)
    if bad.any():
        where = validate.rows(data.index, bad, data[year])
        raise validate.BilingualValueError(
            f"卡龄年度 data[{year!r}] 应为 1、2、3……（>= 1 的整数），行 {where}",
            f"data[{year!r}] must hold card years 1, 2, 3, ... (whole numbers >= 1), "
            f"rows {where}")
    return years


def _revenue_columns(columns: Any, name: str, *, allow_empty: bool = False) -> list[str]:
    listed = [columns] if isinstance(columns, str) else columns
    if not isinstance(listed, Sequence) or isinstance(listed, bytes) \
            or not all(isinstance(c, str) for c in listed):
        raise validate.BilingualTypeError(
            f"{name}={validate.show(columns)} 无效：应为列名的列表",
            f"{name}={validate.show(columns)} is invalid: expected a list of column names")
    if not listed and not allow_empty:
        raise validate.BilingualValueError(f"{name} 是空的：至少需要一个收入列",
                                           f"{name} is empty: expected at least one "
                                           f"revenue column")
    return list(listed)


_CARD_OUTPUT = ("gross_revenue", "rewards", "total_revenue", "allocation_cost",
                "maintenance_cost", "total_cost", "window_profit", "clv")


def card_clv(data: pd.DataFrame, *, rate: float, margin_rate: float,
             window: int | None = None, customer: str = "customer_id", year: str = "year",
             revenue: Sequence[str] = CARD_REVENUE, spending: str = "spending",
             rewards: Sequence[str] = CARD_REWARDS,
             allocation_cost: str = "allocation_cost",
             maintenance_cost: str = "maintenance_cost") -> pd.DataFrame:
    """Compute credit-card CLV with the four steps of the lecture's procedure.

    The steps of the lecture document 《银行信用卡用户生命周期价值分析研究》:

    1. choose the window (usually 3–5 years): card years 1..``window``;
    2. total revenue over the window. The lecture lists 购买卡片的收入, 利润率,
       积分 and 转介绍奖励. The course's reading (本课程的解读): a rate cannot
       be added to money, so 利润率 is the bank's margin on the card spending
       (``spending × margin_rate``); 积分 (points redeemed) and 转介绍奖励
       (rewards paid for referrals) are both paid *to* the card holder, so both
       enter with a minus sign (``rewards``), the same way. Interest income is
       the course's addition (a ``revenue`` column like the card fees);
    3. total cost = allocation cost (分配成本) + maintenance cost (维护成本);
    4. the lecture's value = total revenue − total cost (``window_profit``,
       undiscounted). The chapter defines CLV as a net present value, so
       ``clv`` discounts each year's profit by ``(1 + rate)^t`` (the course's
       addition); ``rate=0`` gives the lecture's undiscounted figure.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer and card year.
    rate : float
        Discount rate per year, > -1 (``0`` = the lecture's undiscounted sum).
    margin_rate : float
        The bank's margin on card spending (利润率), in [0, 1], e.g. ``0.005``.
    window : int, optional
        Keep card years 1..window (the lecture: 3–5); ``None`` keeps all.
    customer, year : str
        Column names of the customer id and the card year (1, 2, 3, ...).
    revenue : sequence of str
        Money revenue columns (amounts >= 0), default card fees and interest.
    spending : str
        Column of the card spending (元, >= 0) the margin rate applies to.
    rewards : sequence of str
        Columns paid to the card holder (积分, 转介绍奖励; amounts >= 0),
        deducted from revenue.
    allocation_cost, maintenance_cost : str
        Cost columns (amounts >= 0).

    Returns
    -------
    pandas.DataFrame
        One row per customer, highest CLV first: ``<customer>`` (the caller's
        column name),
        ``gross_revenue`` (revenue columns + spending × margin rate),
        ``rewards``, ``total_revenue`` (gross − rewards), ``allocation_cost``,
        ``maintenance_cost``, ``total_cost``, ``window_profit`` (total revenue −
        total cost, undiscounted) and ``clv`` (the same, discounted).

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame, or a money column holds text.
    ValueError
        If columns are missing, ids are missing, a (customer, year) pair repeats,
        years are not 1, 2, ..., money is negative/NaN/inf/beyond 10^15, or
        ``window``/``rate``/``margin_rate`` is out of range.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": ["a", "a"], "year": [1, 2], "fee": [500, 600],
    ...                   "spending": [10_000, 10_000], "points": [20, 20],
    ...                   "allocation_cost": [100, 100], "maintenance_cost": [50, 50]})
    >>> out = card_clv(d, rate=0.0, margin_rate=0.01, revenue=["fee"], rewards=["points"])
    >>> out[["total_revenue", "window_profit", "clv"]].iloc[0].tolist()
    [1260.0, 960.0, 960.0]
    """
    revenue = _revenue_columns(revenue, "revenue")
    rewards = _revenue_columns(rewards, "rewards", allow_empty=True)
    columns = [customer, year, *revenue, spending, *rewards, allocation_cost,
               maintenance_cost]
    validate.frame(data, "data", columns=columns)
    transactions.output_name(customer, _CARD_OUTPUT)
    years = _card_years(data, year)
    validate.no_missing(data[customer], f"data[{customer!r}]", label="客户编号")
    twice = pd.DataFrame({"c": data[customer].to_numpy(), "y": years}).duplicated(keep=False)
    if twice.any():  # summing them would double that year's profit
        where = validate.rows(data.index, twice.to_numpy())
        raise validate.BilingualValueError(
            f"data 有重复的（{customer}, {year}）行，行 {where}：每个客户每个卡年只应有一行",
            f"data has repeated ({customer}, {year}) rows at {where}: expected one row per "
            f"customer and card year")
    money = {c: validate.money_array(data[c], f"data[{c!r}]")
             for c in [*revenue, spending, *rewards, allocation_cost, maintenance_cost]}
    margin = validate.probability(margin_rate, "margin_rate", label="利润率")
    keep = np.ones(len(data), dtype=bool)
    if window is not None:
        keep = years <= validate.integer(window, "window", minimum=1, label="窗口年数")
    weight = _powers(validate.rate(rate, "rate", label="贴现率"), years)
    gross = sum(money[c] for c in revenue) + money[spending] * margin
    paid = sum((money[c] for c in rewards), np.zeros(len(data)))
    profit = gross - paid - money[allocation_cost] - money[maintenance_cost]
    frame = pd.DataFrame({
        customer: data[customer].to_numpy(),
        "gross_revenue": gross,
        "rewards": paid,
        "allocation_cost": money[allocation_cost],
        "maintenance_cost": money[maintenance_cost],
        "clv": profit * weight,
    })[keep]
    out = frame.groupby(customer, sort=True).sum()
    out.insert(2, "total_revenue", out["gross_revenue"] - out["rewards"])
    out.insert(5, "total_cost", out["allocation_cost"] + out["maintenance_cost"])
    out.insert(6, "window_profit", out["total_revenue"] - out["total_cost"])
    _finite(out.to_numpy(dtype=float), "card_clv")
    out = out.reset_index().sort_values(["clv", customer], ascending=[False, True],
                                        kind="stable")
    return out.reset_index(drop=True)


# --- customer migration (recency states) ------------------------------------------

def migration_clv(purchase_probability: Any, margin: float, rate: float, *,
                  horizon: int, contact_cost: float = 0.0) -> pd.DataFrame:
    r"""Compute the expected CLV of one customer in a customer-migration (recency-state) model.

    Dwyer's customer-migration method (named in 《区分客户》讲义 as the CLV
    分析法, "Dwyer 法") treats a customer who may buy again in any period.
    The customer's *recency state* k is the number of periods since the last
    purchase (k = 1: bought last period). In state k the customer buys with
    probability ``purchase_probability[k-1]`` (then returns to state 1) or
    moves to state k + 1; a customer who does not buy in the last state K is
    lost for good. The customer starts in state 1 (just bought, t = 0). Each
    period the firm pays ``contact_cost`` for every customer not yet lost
    (e.g. a catalogue or a coupon) and earns ``margin`` from every purchase;
    cash flows are received at the end of the period and discounted by
    ``(1 + rate)^t``. With one state (K = 1) this is the retention model
    (``retention_clv`` with a horizon).

    .. math::

        \pi_{t} = \pi_{t-1} M, \qquad
        E[\text{cash flow}_t] = m \sum_k \pi_{t-1,k}\, p_k - c \sum_k \pi_{t-1,k}

    Parameters
    ----------
    purchase_probability : sequence of float
        Probability of a purchase in recency state 1, 2, ..., K (each in [0, 1]).
    margin : float
        Margin of a period with a purchase (元, >= 0).
    rate : float
        Discount rate per period, > -1.
    horizon : int
        Number of periods (>= 1).
    contact_cost : float
        Cost per period of every customer not yet lost (元, >= 0).

    Returns
    -------
    pandas.DataFrame
        One row per period: ``year``, ``active_probability`` (not yet lost at
        the start of the period), ``purchase_probability`` (buys in the
        period), ``expected_cash_flow``, ``discount_factor``, ``present_value``,
        ``cumulative_pv``; the state distribution at the start of each period
        is in columns ``state_1`` ... ``state_K``.

    Raises
    ------
    TypeError
        If an input is not numeric.
    ValueError
        If a probability is outside [0, 1], the list is empty, money is
        negative/NaN/inf, or ``rate``/``horizon`` is out of range.

    References
    ----------
    Dwyer, F. R. (1989). Customer lifetime valuation to support marketing
    decision making. *Journal of Direct Marketing*, 3(4), 8–15.

    Examples
    --------
    >>> t = migration_clv([0.8], margin=100, rate=0.10, horizon=4)
    >>> round(float(t["cumulative_pv"].iloc[-1]), 2)
    192.06
    >>> round(retention_clv(100, 0.8, 0.10, horizon=4), 2)
    192.06
    """
    p = validate.float_array(purchase_probability, "purchase_probability", label="购买概率")
    if p.size == 0:
        raise validate.BilingualValueError("购买概率 purchase_probability 是空的：每个间隔状态"
                                           "至少要有一个概率",
                                           "purchase_probability is empty: expected one "
                                           "probability per recency state")
    outside = (p < 0) | (p > 1)
    if outside.any():
        validate.probability(float(p[outside][0]), "purchase_probability", label="购买概率")
    m = validate.money(margin, "margin", label="每次购买的利润")
    c = validate.money(contact_cost, "contact_cost", label="每期联系成本")
    i = validate.rate(rate, "rate", label="贴现率")
    n = validate.integer(horizon, "horizon", minimum=1, maximum=MAX_PERIODS, label="期数")
    k = p.size
    # transition matrix between recency states (the lost state is left out: its mass leaks)
    move = np.zeros((k, k))
    move[:, 0] = p
    move[np.arange(k - 1), np.arange(1, k)] = 1.0 - p[:-1]
    states = np.zeros((n, k))
    state = np.zeros(k)
    state[0] = 1.0
    for t in range(n):                      # a loop over periods, not over customers
        states[t] = state
        state = state @ move
    active = states.sum(axis=1)
    buys = states @ p
    cash = m * buys - c * active
    factors = _powers(i, np.arange(1, n + 1, dtype=float))
    present = _finite(cash * factors, "migration_clv")
    table = pd.DataFrame({"year": np.arange(1, n + 1), "active_probability": active,
                          "purchase_probability": buys, "expected_cash_flow": cash,
                          "discount_factor": factors, "present_value": present,
                          "cumulative_pv": np.cumsum(present)})
    for j in range(k):
        table[f"state_{j + 1}"] = states[:, j]
    return table


# --- the CLV calculator of chapter 2 (its widget: crmlab.widgets.clv_calculator) ---

#: Start values of the CLV calculator: 《客户终身价值》讲义 例1 (revenue 1 000, 1 500,
#: then 2 000 a year for a 5-year lifetime; retention cost 500 a year; acquisition
#: 2 500; 15 %), full retention.
CALCULATOR_DEFAULTS: dict[str, Any] = {
    "revenue": "1000, 1500, 2000, 2000, 2000", "cost": 500.0, "acquisition_cost": 2500.0,
    "retention": 1.0, "rate": 0.15,
}

#: Longest revenue path the calculator accepts (years).
MAX_YEARS = 50

_SEPARATORS = re.compile(r"\s*[,，、;；]\s*|\s+")


def parse_revenue(revenue: Any) -> np.ndarray:
    """Read a revenue path: text such as ``"1000, 1500, 2000"`` or a list of numbers.

    Text is split at commas (also ``，``, ``、``, ``;``) and spaces; each entry is
    the revenue of one year (元, >= 0), year 1 first. The number of entries is
    the customer's lifetime in years (at most ``MAX_YEARS``). Thousands
    separators are refused, not misread: ``"1,500"`` could mean 1 500 or the
    two years 1 and 500.

    Parameters
    ----------
    revenue : str or sequence of float
        The yearly revenues.

    Returns
    -------
    numpy.ndarray
        One revenue per year.

    Raises
    ------
    TypeError
        If ``revenue`` is neither text nor a list/array of numbers.
    ValueError
        If it is empty, an entry is not a number, negative, NaN/inf or too
        large, it looks like a thousands separator, or it has more than
        ``MAX_YEARS`` years.

    Examples
    --------
    >>> parse_revenue("1000, 1500, 2000").tolist()
    [1000.0, 1500.0, 2000.0]
    >>> parse_revenue([100, 200]).tolist()
    [100.0, 200.0]
    """
    if isinstance(revenue, str):
        text = revenue.strip()
        if not text:
            raise validate.BilingualValueError(
                "各年收入 revenue 是空的：请至少写一年的收入，例如 1000, 1500, 2000",
                "revenue is empty: expected at least one year, e.g. '1000, 1500, 2000'")
        if re.search(r"(?<![\d.])\d{1,3},\d{3}(?![\d.])", text):
            raise validate.BilingualValueError(
                f"各年收入 revenue={text!r} 里像是有千位分隔符（如 1,500）：请不要写千位分隔符；"
                f"几年的收入之间用“逗号 + 空格”分开，例如 1000, 1500, 2000",
                f"revenue={text!r} looks like it has thousands separators (e.g. 1,500): write "
                f"1500, and separate years by a comma and a space")
        entries = [e for e in _SEPARATORS.split(text) if e]
        values = []
        for position, entry in enumerate(entries, start=1):
            try:
                values.append(float(entry))
            except ValueError:
                raise validate.BilingualValueError(
                    f"各年收入的第 {position} 项 {entry!r} 不是数字：每一项应是一年的收入（元），"
                    f"只写数字，例如 2000（不要写“元”或“千”）",
                    f"entry {position} of revenue, {entry!r}, is not a number: expected "
                    f"one number per year, e.g. 2000") from None
        path = np.asarray(values, dtype=float)
    elif isinstance(revenue, bytes | dict) or not isinstance(
            revenue, list | tuple | np.ndarray | pd.Series):
        shown = validate.show(revenue)
        raise validate.BilingualTypeError(
            f"各年收入 revenue={shown} 无效：应为文本（如 \"1000, 1500, 2000\"）或数字列表",
            f"revenue={shown} is invalid: expected text such as '1000, 1500, 2000' or a "
            f"list of numbers")
    else:
        path = validate.money_array(revenue, "revenue", label="各年收入")
        if path.size == 0:
            raise validate.BilingualValueError(
                "各年收入 revenue 是空的：请至少给一年的收入",
                "revenue is empty: expected at least one year")
    if len(path) > MAX_YEARS:
        raise validate.BilingualValueError(
            f"各年收入有 {len(path)} 年：计算器最多接受 {MAX_YEARS} 年",
            f"revenue has {len(path)} years: expected at most {MAX_YEARS}")
    return validate.money_array(path, "revenue", label="各年收入")


def revenue_path(first_revenue: float, growth: float, horizon: int) -> np.ndarray:
    """Return the revenue of years 1..horizon: ``first_revenue × (1 + growth)^(t-1)``.

    Parameters
    ----------
    first_revenue : float
        Revenue of year 1 (元), a finite number >= 0.
    growth : float
        Yearly growth rate, >= -1 (e.g. 0.2 for +20 %).
    horizon : int
        Number of years, >= 1.

    Returns
    -------
    numpy.ndarray
        One revenue per year.

    Raises
    ------
    TypeError
        If an argument is not a number (text, a list, a bool).
    ValueError
        If a number is NaN/inf, out of range, or the path overflows.

    Examples
    --------
    >>> revenue_path(1000, 0.1, 3).round(2).tolist()
    [1000.0, 1100.0, 1210.0]
    """
    first = validate.number(first_revenue, "first_revenue", minimum=0)
    g = validate.number(growth, "growth", minimum=-1.0)
    n = validate.integer(horizon, "horizon", minimum=1, maximum=MAX_PERIODS)
    with np.errstate(over="ignore", invalid="ignore"):
        path = first * (1.0 + g) ** np.arange(n)
    if not np.isfinite(path).all():
        given = (f"first_revenue={validate.show(first_revenue)}, growth="
                 f"{validate.show(growth)}, horizon={validate.show(horizon)}")
        raise validate.BilingualValueError(
            f"收入路径溢出：{given} 得到的收入超出浮点数范围",
            f"{given}: the revenue path overflows: expected smaller first_revenue, growth "
            f"or horizon")
    return path


def calculator_table(revenue: Any = CALCULATOR_DEFAULTS["revenue"], *, cost: float = 500.0,
                     acquisition_cost: float = 2500.0, retention: float = 1.0,
                     rate: float = 0.15) -> pd.DataFrame:
    """Compute the CLV calculator's table for given inputs (a ``clv.clv_table``).

    Parameters
    ----------
    revenue : str or sequence of float
        Revenue of years 1, 2, ... (see ``parse_revenue``); its length is the
        lifetime in years. Default: 例1's 1 000, 1 500, 2 000, 2 000, 2 000.
    cost : float
        Retention cost per year (元), >= 0.
    acquisition_cost : float
        Paid once at year 0 (元), >= 0.
    retention : float
        Retention probability per year, in [0, 1].
    rate : float
        Discount rate per year, > -1.

    Returns
    -------
    pandas.DataFrame
        The ``clv.clv_table`` of these values.

    Raises
    ------
    TypeError
        If a value is not a number (or ``revenue`` not text/numbers).
    ValueError
        If a value is NaN/inf, negative money, out of range, or overflows.

    Examples
    --------
    >>> round(clv_total(calculator_table()), 2)          # 例1, end-of-year timing
    1280.6
    """
    return clv_table(parse_revenue(revenue), cost, rate=rate,
                     acquisition_cost=acquisition_cost, retention=retention)
