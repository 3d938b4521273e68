"""Customer lifetime value (客户终身价值, CLV): NPV, CLV tables, retention CLV.

The lecture material defines CLV as the net present value of the cash flows a
customer brings (seed 000) and prints the classic formula (seed 002)

    CLTV = sum_{t=1..n} p_t / (1 + i)^t

with ``p_t`` the profit of year ``t`` and ``i`` the discount rate (cost of
capital). This module computes it for one customer or a million at once:

* ``npv`` — present value of per-period cash flows (list, array, Series, or a
  2-D array / DataFrame with one row per customer, vectorised);
* ``clv_table`` — the year-by-year table a textbook prints (acquisition cost at
  t = 0, discount factors, present values, cumulative PV);
* ``retention_clv`` / ``margin_multiple`` — expected CLV with a constant
  retention probability ``r`` (closed form ``m * r / (1 + i - r)``);
* ``risk_adjusted_rate`` — seed 002's rule for high/average/low-risk customers;
* ``card_clv`` — seed 004's credit-card procedure (window, revenue, cost).

Customer equity (the sum of CLTVs and its movement) is ``crmlab.equity``.

Timing convention: ``timing="end"`` (the default, and the one seed 002's table
uses) receives the cash flow of period ``t`` at the end of the period and
discounts it by ``(1 + i)^t``; ``timing="begin"`` discounts by ``(1 + i)^(t-1)``.
Acquisition cost is paid at ``t = 0`` and never discounted.

>>> [round(v) for v in clv_table([100] * 4, rate=0.10)["present_value"]]
[91, 83, 75, 68]
>>> round(npv([100] * 4, 0.10))
317
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as check

Timing = Literal["end", "begin"]
TIMINGS = ("end", "begin")

#: The parts of CLV in seed 000's components diagram, in the diagram's order:
#: key -> (中文, sign in the calculation, role).
COMPONENTS: dict[str, tuple[str, str, str]] = {
    "recurring_revenue": ("经常性收入", "+", "each period's revenue from the customer"),
    "retention_probability": ("保留的可能性", "×", "probability the customer is still there"),
    "margin": ("净利率 / 预计累计保证金", "=", "revenue minus recurring cost, per period"),
    "recurring_cost": ("经常性费用", "-", "cost of serving and keeping the customer"),
    "acquisition_cost": ("收购成本（获取成本）", "-", "paid once, at t = 0"),
    "discounting": ("贴现", "÷ (1+i)^t", "turns future money into today's money"),
}


# --- discounting --------------------------------------------------------------

def _timing(timing: Any) -> str:
    return check.choice(timing, "timing", TIMINGS)


def _exponents(periods: int, timing: str) -> np.ndarray:
    t = np.arange(1, periods + 1, dtype=float)
    return t if timing == "end" else t - 1.0


def discount_factors(periods: int, rate: float, *, timing: Timing = "end") -> np.ndarray:
    """Discount factors ``1 / (1 + rate)^t`` of periods 1..``periods``.

    >>> discount_factors(2, 0.10).round(4).tolist()
    [0.9091, 0.8264]
    """
    n = check.integer(periods, "periods", minimum=1)
    i = check.rate(rate, "rate")
    return (1.0 + i) ** -_exponents(n, _timing(timing))


def _rates(rate: Any, rows: int) -> float | np.ndarray:
    """A scalar rate, or one rate per customer row (all > -1)."""
    if np.ndim(rate) == 0 and not isinstance(rate, str):
        return check.rate(rate, "rate")
    rates = check.float_array(rate, "rate")
    if rates.shape[0] != rows:
        raise ValueError(f"rate has {rates.shape[0]} values but cash_flows has {rows} rows: "
                         f"expected one rate per customer (row) or a single rate")
    bad = np.flatnonzero(rates <= -1)
    if bad.size:
        raise ValueError(f"rate has values <= -1 at positions {bad[:5].tolist()}: "
                         f"expected rates greater than -1")
    return rates


def npv(cash_flows: Any, rate: Any, *, timing: Timing = "end") -> Any:
    """Present value of per-period cash flows, for one customer or many at once.

    Parameters
    ----------
    cash_flows : list, ndarray, Series, or 2-D ndarray / DataFrame
        Cash flow of periods 1..n. A 2-D input holds one customer per row.
    rate : float, or one rate per row for 2-D input
        Discount rate per period, greater than -1.
    timing : {"end", "begin"}
        ``"end"`` discounts period t by ``(1+rate)^t``, ``"begin"`` by ``(1+rate)^(t-1)``.

    Returns
    -------
    float for 1-D input; ndarray (one value per row) for a 2-D array; Series
    (same index, name ``"npv"``) for a DataFrame.

    >>> round(npv([100, 100, 100, 100], 0.10), 2)
    316.99
    >>> npv([[110], [121]], 0.10).round(6).tolist()
    [100.0, 110.0]
    """
    when = _timing(timing)
    flows = check.float_array(cash_flows, "cash_flows", ndim=(1, 2))
    if flows.ndim == 1:
        i = check.rate(rate, "rate")
        return float(flows @ ((1.0 + i) ** -_exponents(flows.shape[0], when)))
    exponents = _exponents(flows.shape[1], when)
    rates = _rates(rate, flows.shape[0])
    if np.ndim(rates) == 0:
        values = flows @ ((1.0 + rates) ** -exponents)
    else:
        # Horner's scheme over the periods (vectorised over customers): no
        # customers x periods matrix of powers, about 3x faster for 1 M rows.
        v = 1.0 / (1.0 + rates)
        values = np.zeros(flows.shape[0])
        for column in flows.T[::-1]:
            values = (values + column) * v
        if when == "begin":
            values = values * (1.0 + rates)
    if isinstance(cash_flows, pd.DataFrame):
        return pd.Series(values, index=cash_flows.index, name="npv")
    return values


# --- the textbook table ---------------------------------------------------------

def _per_period(values: Any, name: str, periods: int) -> np.ndarray:
    if np.ndim(values) == 0 and not isinstance(values, str):
        return np.full(periods, check.number(values, name, minimum=0))
    array = check.float_array(values, name, nonnegative=True)
    if array.shape[0] != periods:
        raise ValueError(f"{name} has {array.shape[0]} values but revenue has {periods}: "
                         f"expected one value per period (or a single number)")
    return array


def clv_table(revenue: Any, cost: Any = 0.0, *, rate: float,
              acquisition_cost: float = 0.0, retention: float | None = None,
              timing: Timing = "end") -> pd.DataFrame:
    """The year-by-year CLV table: cash flows, discount factors, present values.

    Parameters
    ----------
    revenue : sequence of numbers
        Revenue (or profit) of years 1..n.
    cost : number or sequence
        Recurring (retention) cost of each year; a number means the same every year.
    rate : float
        Discount rate (cost of capital), greater than -1.
    acquisition_cost : float
        Paid once at t = 0 (a year-0 row is added when it is not 0).
    retention : float in [0, 1], optional
        If given, year t's cash flow is expected with probability ``retention^t``
        (``retention^(t-1)`` for ``timing="begin"``); adds the columns
        ``retention_probability`` and ``expected_cash_flow``.
    timing : {"end", "begin"}
        When each year's cash flow arrives (see the module docstring).

    Returns
    -------
    DataFrame with columns ``year, revenue, cost, net_cash_flow,
    [retention_probability, expected_cash_flow,] discount_factor, present_value,
    cumulative_pv``. The CLV is the last ``cumulative_pv`` (see ``clv_total``).

    >>> t = clv_table([1000, 1500, 2000, 2000, 2000], 500, rate=0.15, acquisition_cost=2500)
    >>> t["year"].tolist()
    [0, 1, 2, 3, 4, 5]
    >>> round(clv_total(t), 2)
    1280.6
    """
    when = _timing(timing)
    rev = check.float_array(revenue, "revenue")
    n = rev.shape[0]
    cst = _per_period(cost, "cost", n)
    i = check.rate(rate, "rate")
    acquisition = check.number(acquisition_cost, "acquisition_cost", minimum=0)
    exponents = _exponents(n, when)
    table = pd.DataFrame({
        "year": np.arange(1, n + 1),
        "revenue": rev,
        "cost": cst,
        "net_cash_flow": rev - cst,
    })
    flow = table["net_cash_flow"].to_numpy()
    if retention is not None:
        r = check.probability(retention, "retention")
        table["retention_probability"] = r ** exponents
        flow = flow * table["retention_probability"].to_numpy()
        table["expected_cash_flow"] = flow
    table["discount_factor"] = (1.0 + i) ** -exponents
    table["present_value"] = flow * table["discount_factor"].to_numpy()
    if acquisition != 0:
        first = {column: 0.0 for column in table.columns}
        first.update(year=0, cost=acquisition, net_cash_flow=-acquisition,
                     discount_factor=1.0, present_value=-acquisition)
        if retention is not None:
            first.update(retention_probability=1.0, expected_cash_flow=-acquisition)
        table = pd.concat([pd.DataFrame([first]), table], ignore_index=True)
        table["year"] = table["year"].astype(int)
    table["cumulative_pv"] = table["present_value"].cumsum()
    return table


def clv_total(table: pd.DataFrame) -> float:
    """The CLV of a ``clv_table``: the sum of its present values.

    >>> round(clv_total(clv_table([100] * 4, rate=0.10)))
    317
    """
    check.frame(table, "table", columns=["present_value"])
    return float(table["present_value"].sum())


def components(table: pd.DataFrame) -> pd.Series:
    """Seed 000's CLV components in today's money, from a ``clv_table``.

    ``pv_revenue`` (recurring revenue) − ``pv_recurring_cost`` −
    ``acquisition_cost`` = ``clv``; retention (if used) is already inside the
    expected values.

    >>> components(clv_table([100, 100], 20, rate=0.0, acquisition_cost=50)).tolist()
    [200.0, 40.0, 50.0, 110.0]
    """
    check.frame(table, "table", columns=["year", "revenue", "cost", "discount_factor"])
    later = table["year"] > 0
    weight = table["discount_factor"]
    if "retention_probability" in table:
        weight = weight * table["retention_probability"]
    pv_revenue = float((table["revenue"] * weight)[later].sum())
    pv_cost = float((table["cost"] * weight)[later].sum())
    acquisition = float(table.loc[~later, "cost"].sum())
    return pd.Series({"pv_revenue": pv_revenue, "pv_recurring_cost": pv_cost,
                      "acquisition_cost": acquisition,
                      "clv": pv_revenue - pv_cost - acquisition}, name="value")


# --- retention-based CLV -------------------------------------------------------

def _broadcast(**named: Any) -> tuple[bool, list[np.ndarray]]:
    arrays, scalar = [], True
    for name, value in named.items():
        if np.ndim(value) == 0 and not isinstance(value, str):
            if isinstance(value, np.ndarray):
                value = value.item()
            arrays.append(np.asarray(check.number(value, name)))
        else:
            scalar = False
            arrays.append(check.float_array(value, name, ndim=(1, 2)))
    try:
        return scalar, list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = {name: np.shape(a) for name, a in zip(named, arrays, strict=True)}
        raise ValueError(f"mismatched lengths: {shapes}; expected equal shapes or "
                         f"single numbers") from None


def _check_retention_rate(retention: np.ndarray, rate: np.ndarray) -> None:
    bad = (retention < 0) | (retention > 1)
    if bad.any():
        raise ValueError(f"retention={retention[bad].ravel()[0]!r} is invalid: expected a "
                         f"probability in [0, 1]")
    if (rate <= -1).any():
        raise ValueError(f"rate={rate[rate <= -1].ravel()[0]!r} is invalid: expected a "
                         f"number greater than -1")


def margin_multiple(retention: Any, rate: Any) -> Any:
    """Infinite-horizon margin multiple ``r / (1 + i - r)``.

    Expected CLV = margin × multiple, when the margin of period t arrives at the
    end of period t with probability ``r^t``.

    >>> margin_multiple(0.75, 0.25)
    1.5
    """
    scalar, (r, i) = _broadcast(retention=retention, rate=rate)
    _check_retention_rate(r, i)
    value = _multiple(r, i)
    return float(value) if scalar else value


def _multiple(r: np.ndarray, i: np.ndarray) -> np.ndarray:
    denominator = 1.0 + i - r
    if (denominator <= 0).any():
        raise ValueError("retention and rate give 1 + rate - retention <= 0: the infinite "
                         "sum diverges; expected rate > retention - 1 (or use a finite "
                         "horizon in retention_clv)")
    return r / denominator


def retention_clv(margin: Any, retention: Any, rate: Any, *,
                  horizon: int | None = None) -> Any:
    """Expected CLV with constant retention probability ``r`` and discount rate ``i``.

    The margin ``m`` of period t is received at the end of period t if the
    customer is still retained (probability ``r^t``)::

        CLV = sum_{t=1..H} m r^t / (1 + i)^t      (horizon H)
            = m r / (1 + i - r)                     (horizon=None, H = infinity)

    Inputs may be numbers or arrays (broadcast together, e.g. a grid of
    retention × rate); numbers in -> float out.

    >>> retention_clv(100, 0.75, 0.25)
    150.0
    >>> round(retention_clv(100, 0.75, 0.25, horizon=2), 2)
    96.0
    """
    scalar, (m, r, i) = _broadcast(margin=margin, retention=retention, rate=rate)
    _check_retention_rate(r, i)
    if horizon is None:
        value = m * _multiple(r, i)
    else:
        h = check.integer(horizon, "horizon", minimum=1)
        q = r / (1.0 + i)
        near_one = np.abs(1.0 - q) < 1e-12
        safe = np.where(near_one, 0.5, q)       # placeholder where the limit h is used
        geometric = np.where(near_one, float(h), safe * (1.0 - safe ** h) / (1.0 - safe))
        value = m * geometric
    return float(value) if scalar else np.asarray(value, dtype=float)


def sensitivity(margin: float, retention: Sequence[float], rate: Sequence[float], *,
                horizon: int | None = None) -> pd.DataFrame:
    """Retention CLV on a grid: rows = ``retention``, columns = ``discount_rate``.

    >>> sensitivity(100, [0.5, 0.8], [0.2]).round(1).to_numpy().tolist()
    [[71.4], [200.0]]
    """
    check.number(margin, "margin")
    r = check.float_array(retention, "retention")
    i = check.float_array(rate, "rate")
    values = retention_clv(margin, r[:, None], i[None, :], horizon=horizon)
    frame = pd.DataFrame(values, index=pd.Index(r, name="retention"),
                         columns=pd.Index(i, name="discount_rate"))
    return frame


# --- risk-adjusted discount rate ------------------------------------------------

RISKS = ("average", "high", "low")
_RISK_ALIASES = {"average": "average", "high": "high", "low": "low",
                 "一般": "average", "一般风险": "average", "高": "high", "高风险": "high",
                 "低": "low", "低风险": "low"}


def risk_adjusted_rate(base_rate: Any, risk_probability: Any,
                       risk: Any = "average") -> Any:
    """Seed 002's discount rate by customer risk.

    average risk: the cost of capital; high risk: cost × (1 + risk probability);
    low risk: cost × (1 − risk probability). ``risk`` is ``"average"``,
    ``"high"`` or ``"low"`` (or 一般/高/低), or a sequence/Series of them (one per
    customer; a Series gives a Series back).

    >>> risk_adjusted_rate(0.10, 0.2, "high"), risk_adjusted_rate(0.10, 0.2, "low")
    (0.12, 0.08)
    """
    base = check.rate(base_rate, "base_rate")
    if isinstance(risk, str):
        kind = _RISK_ALIASES.get(risk)
        if kind is None:
            check.choice(risk, "risk", RISKS)
        p = check.probability(risk_probability, "risk_probability") \
            if np.ndim(risk_probability) == 0 else None
        if p is None:
            raise TypeError("risk_probability must be a single number when risk is a "
                            "single label")
        factor = {"average": 1.0, "high": 1.0 + p, "low": 1.0 - p}[kind]
        return round(base * factor, 12)
    labels = pd.Series(risk) if not isinstance(risk, pd.Series) else risk
    if labels.empty:
        raise ValueError("risk is empty: expected at least one label")
    kinds = labels.map(lambda v: _RISK_ALIASES.get(v) if isinstance(v, str) else None)
    if kinds.isna().any():
        bad = labels[kinds.isna()].tolist()[:3]
        raise ValueError(f"risk has unknown labels {bad}: expected {list(RISKS)}")
    if np.ndim(risk_probability) == 0:
        p = np.full(len(labels), check.probability(risk_probability, "risk_probability"))
    else:
        p = check.float_array(risk_probability, "risk_probability")
        if p.shape[0] != len(labels):
            raise ValueError(f"risk_probability has {p.shape[0]} values but risk has "
                             f"{len(labels)}: expected one per customer")
        if ((p < 0) | (p > 1)).any():
            raise ValueError("risk_probability has values outside [0, 1]")
    sign = kinds.map({"average": 0.0, "high": 1.0, "low": -1.0}).to_numpy(dtype=float)
    values = np.round(base * (1.0 + sign * p), 12)
    if isinstance(risk, pd.Series):
        return pd.Series(values, index=risk.index, name="discount_rate")
    return values


# --- credit-card CLV (seed 004) ------------------------------------------------

CARD_REVENUE = ("card_fee", "interest_income", "merchant_fee", "referral_reward")


def card_clv(data: pd.DataFrame, *, customer: str = "customer_id", year: str = "year",
             revenue: Sequence[str] = CARD_REVENUE,
             allocation_cost: str = "allocation_cost",
             maintenance_cost: str = "maintenance_cost",
             window: int | None = None, rate: float | None = None) -> pd.DataFrame:
    """Seed 004's credit-card CLV: total revenue − (allocation + maintenance cost).

    1. keep the first ``window`` card years (the seed: usually 3–5 years);
    2. total revenue = sum of the ``revenue`` columns over the window;
    3. total cost = allocation cost + maintenance cost over the window;
    4. CLV = total revenue − total cost.

    The seed does not discount; pass ``rate`` to discount year t by ``(1+rate)^t``.
    Returns one row per customer, highest CLV first.

    >>> d = pd.DataFrame({"customer_id": ["a", "a"], "year": [1, 2], "fee": [500, 600],
    ...                   "allocation_cost": [100, 100], "maintenance_cost": [50, 50]})
    >>> card_clv(d, revenue=["fee"])["clv"].tolist()
    [800.0]
    """
    revenue = [revenue] if isinstance(revenue, str) else list(revenue)
    if not revenue:
        raise ValueError("revenue is empty: expected at least one revenue column")
    columns = [customer, year, *revenue, allocation_cost, maintenance_cost]
    check.frame(data, "data", columns=columns)
    years = check.float_array(data[year], f"data[{year!r}]")
    if (years < 1).any() or not np.equal(np.mod(years, 1), 0).all():
        raise ValueError(f"data[{year!r}] must hold card years 1, 2, 3, ... (whole numbers >= 1)")
    check.no_missing(data[customer], f"data[{customer!r}]")
    money = {c: check.float_array(data[c], f"data[{c!r}]", nonnegative=True)
             for c in [*revenue, allocation_cost, maintenance_cost]}
    keep = np.ones(len(data), dtype=bool)
    if window is not None:
        keep = years <= check.integer(window, "window", minimum=1)
    weight = np.ones(len(data))
    if rate is not None:
        weight = (1.0 + check.rate(rate, "rate")) ** -years
    frame = pd.DataFrame({
        "customer_id": data[customer].to_numpy(),
        "total_revenue": sum(money[c] for c in revenue) * weight,
        "allocation_cost": money[allocation_cost] * weight,
        "maintenance_cost": money[maintenance_cost] * weight,
    })[keep]
    out = frame.groupby("customer_id", sort=True).sum()
    out["total_cost"] = out["allocation_cost"] + out["maintenance_cost"]
    out["clv"] = out["total_revenue"] - out["total_cost"]
    out = out.reset_index().sort_values(["clv", "customer_id"], ascending=[False, True],
                                        kind="stable")
    return out.reset_index(drop=True)
