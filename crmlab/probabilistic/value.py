"""Discounted CLV per customer from a transaction model and a spend model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.probabilistic._common import _summary_arrays
from crmlab.probabilistic.bgnbd import BetaGeo
from crmlab.probabilistic.gammagamma import GammaGamma
from crmlab.probabilistic.paretonbd import ParetoNBD

__all__ = ["clv"]

# --- 5. CLV ------------------------------------------------------------------------

def clv(transactions_model: BetaGeo | ParetoNBD, spend_model: GammaGamma, summary: pd.DataFrame, *,
        horizon: int, rate: float, margin: float, period: float = 1.0) -> pd.Series:
    r"""Compute the discounted CLV per customer from a transaction and a spend model.

    .. math::

        \text{CLV} = m \cdot E[M] \sum_{k=1}^{H}
            \frac{E[Y(k\,\Delta)] - E[Y((k-1)\Delta)]}{(1+i)^k}

    where :math:`E[Y(t)]` is the conditional expected number of transactions in
    the next ``t`` time units (``BetaGeo.conditional_expected_transactions``),
    :math:`E[M]` the expected spend per transaction (``GammaGamma.expected_spend``),
    ``m`` the margin, ``Δ = period`` and ``i = rate`` the discount rate per period.
    Transactions of period k are discounted to the end of that period.

    Parameters
    ----------
    transactions_model : BetaGeo, ModifiedBetaGeo or ParetoNBD
        Fitted transaction model.
    spend_model : GammaGamma
        Fitted spend model.
    summary : DataFrame
        ``x, t_x, T, monetary`` per customer.
    horizon : int
        Number of periods, e.g. 12.
    rate : float
        Discount rate per period, e.g. 0.01 per month.
    margin : float
        Profit margin on spend, in [0, 1] (e.g. 0.3).
    period : float
        Length of one period in the summary's time unit (e.g. ``52 / 12`` weeks for
        months; default 1).

    Returns
    -------
    Series
        Named ``clv``, indexed like ``summary``, in the currency of ``monetary``.

    Raises
    ------
    TypeError
        If the models are not a transaction model and a ``GammaGamma``.
    ValueError
        If a model is not fitted, ``horizon``, ``rate``, ``margin`` or ``period``
        is invalid (e.g. a margin of 30 meant as 30 %), or ``summary`` lacks columns.

    References
    ----------
    Fader, Hardie & Lee (2005b); the discrete-period sum follows the usual
    implementation (e.g. ``lifetimes``' ``customer_lifetime_value``).

    Examples
    --------
    >>> from crmlab.synthetic.buyers import bgnbd_summary
    >>> s = bgnbd_summary(1000, T="cohort", seed=0)
    >>> value = clv(BetaGeo().fit(s), GammaGamma().fit(s), s, horizon=12, rate=0.01,
    ...             margin=0.3, period=52 / 12)
    >>> bool((value > 0).all())
    True
    """
    if not isinstance(transactions_model, BetaGeo | ParetoNBD):
        raise validate.BilingualTypeError(
            f"transactions_model 是 {type(transactions_model).__name__}：应为已拟合的 "
            f"BetaGeo、ModifiedBetaGeo 或 ParetoNBD",
            f"transactions_model is a {type(transactions_model).__name__}: expected a fitted "
            f"BetaGeo, ModifiedBetaGeo or ParetoNBD")
    if not isinstance(spend_model, GammaGamma):
        raise validate.BilingualTypeError(
            f"spend_model 是 {type(spend_model).__name__}：应为已拟合的 GammaGamma",
            f"spend_model is a {type(spend_model).__name__}: expected a fitted GammaGamma")
    transactions_model._require_fit()
    spend_model._require_fit()
    h = validate.integer(horizon, "horizon", minimum=1)
    i = validate.rate(rate, "rate")
    m = validate.probability(margin, "margin", label="利润率")
    step = validate.number(period, "period", minimum=0.0, min_inclusive=False)
    data = _summary_arrays(summary, need_monetary=True)
    x, t_x, T = data["x"], data["t_x"], data["T"]
    spend = spend_model._spend(x, data["monetary"])
    times = np.arange(0, h + 1, dtype=float) * step
    cumulative = transactions_model._expected_path(times, x, t_x, T)
    discount = (1.0 + i) ** -np.arange(1, h + 1, dtype=float)
    value = m * spend * (discount @ np.diff(cumulative, axis=0))
    return pd.Series(value, index=summary.index, name="clv")
