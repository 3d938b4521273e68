"""BG/BB model for discrete-time (yes/no per period) data (Fader, Hardie & Shang 2010)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.probabilistic._common import (
    _covariance,
    _Fitted,
    _maximise,
    _with_gradient,
)

__all__ = ["BetaGeoBetaBinom"]


def _periods_frame(summary: Any, weights: str | None) -> dict[str, np.ndarray]:
    """Check ``x, t_x, n`` (whole numbers, 0 <= x <= t_x <= n, x = 0 iff t_x = 0)."""
    validate.frame(summary, "summary", columns=["x", "t_x", "n"] + ([weights] if weights else []))
    out = {}
    for col in ("x", "t_x", "n") + ((weights,) if weights else ()):
        values = validate.float_array(summary[col], f"summary[{col!r}]", nonnegative=True)
        if (values != np.round(values)).any():
            where = validate.rows(summary.index, values != np.round(values), values)
            raise validate.BilingualValueError(
                f"summary[{col!r}] 在行 {where} 不是整数：应为整数（期数或人数）",
                f"summary[{col!r}] is not whole at rows {where}: expected whole numbers "
                f"(periods or counts)")
        out[col] = values
    x, t_x, n = out["x"], out["t_x"], out["n"]
    bad = (x > t_x) | (t_x > n) | ((x == 0) != (t_x == 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise validate.BilingualValueError(
            f"summary 第 {i} 行不一致（x={x[i]:g}, t_x={t_x[i]:g}, n={n[i]:g}）：应满足 "
            f"x ≤ t_x ≤ n，且 x = 0 当且仅当 t_x = 0",
            f"summary row {i} is inconsistent (x={x[i]:g}, t_x={t_x[i]:g}, n={n[i]:g}): "
            f"expected x <= t_x <= n, and t_x = 0 exactly when x = 0")
    out["w"] = out.pop(weights) if weights else np.ones(len(x))
    return out


class BetaGeoBetaBinom(_Fitted):
    r"""BG/BB model: a yes/no chance to transact each period, until an unseen dropout.

    For settings with discrete transaction opportunities — a yearly donation
    drive, an annual conference, a weekly event — each period an alive customer
    transacts with probability :math:`p \sim \text{Beta}(\alpha, \beta)`, and
    before each period after the first they drop out for good with probability
    :math:`\theta \sim \text{Beta}(\gamma, \delta)`; p and θ are independent. With
    ``x`` transactions in ``n`` opportunities, the last in period ``t_x``:

    .. math::

        L = \frac{B(\alpha+x, \beta+n-x)}{B(\alpha,\beta)}
            \frac{B(\gamma, \delta+n)}{B(\gamma,\delta)}
          + \sum_{i=0}^{n-t_x-1} \frac{B(\alpha+x, \beta+t_x-x+i)}{B(\alpha,\beta)}
            \frac{B(\gamma+1, \delta+t_x+i)}{B(\gamma,\delta)}

    (alive through period n, or dropped out after period :math:`t_x + i`). The
    input has columns ``x``, ``t_x``, ``n`` (and, as in the published data, a
    column counting the customers who share a row, passed as ``weights``).

    Attributes (after ``fit``): ``params_`` (``alpha, beta, gamma, delta``),
    ``standard_errors_``, ``covariance_``, ``log_likelihood_``, ``n_customers_``.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base analysis in a
    discrete-time noncontractual setting. *Marketing Science*, 29(6), 1086–1108.
    On the 11,104 donors of the 1995 cohort (six opportunities, 1996–2001) they
    report α = 1.204, β = 0.750, γ = 0.657, δ = 2.783, LL = −33,225.6.

    Examples
    --------
    >>> from crmlab import datasets
    >>> m = BetaGeoBetaBinom().fit(datasets.load_donations(), weights="donors")
    >>> {k: round(v, 3) for k, v in m.params_.items()}, round(m.log_likelihood_, 1)
    ({'alpha': 1.204, 'beta': 0.75, 'gamma': 0.657, 'delta': 2.783}, -33225.6)
    """

    _names = ("alpha", "beta", "gamma", "delta")

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    @staticmethod
    def _log_terms(params, x, t_x, n):
        """Per-row log-likelihood, log of the "alive through n" term, both arrays."""
        from scipy.special import betaln, logsumexp

        a, b, g, d = params
        base = betaln(a, b) + betaln(g, d)
        alive = betaln(a + x, b + n - x) + betaln(g, d + n) - base
        width = int(np.max(n - t_x)) if len(n) else 0
        i = np.arange(width)[None, :]
        used = i < (n - t_x)[:, None]
        with np.errstate(invalid="ignore"):
            dropped = (betaln(a + x[:, None], b + t_x[:, None] - x[:, None] + i)
                       + betaln(g + 1, d + t_x[:, None] + i) - base)
        dropped = np.where(used, dropped, -np.inf)
        total = logsumexp(np.column_stack([alive, dropped]), axis=1)
        return total, alive

    def fit(self, summary: pd.DataFrame, *, weights: str | None = None) -> BetaGeoBetaBinom:
        """Maximum-likelihood estimates from ``x, t_x, n`` per customer (or per pattern).

        Parameters
        ----------
        summary : DataFrame
            Columns ``x``, ``t_x``, ``n``: transactions, period of the last one
            (0 if none), opportunities observed.
        weights : str, optional
            Name of a column with the number of customers sharing each row (e.g.
            ``"donors"`` for :func:`crmlab.datasets.load_donations`).

        Returns
        -------
        BetaGeoBetaBinom
            ``self``, fitted.

        Raises
        ------
        ValueError
            Inconsistent rows; nobody transacted, everybody transacted every
            period, or nobody went quiet before the last period.
        ConvergenceError
            A parameter ran off to 0 / ∞, or the likelihood is flat at the optimum.

        Examples
        --------
        >>> from crmlab import datasets
        >>> m = BetaGeoBetaBinom().fit(datasets.load_donations(), weights="donors")
        >>> round(m.params_["alpha"], 3)
        1.204
        """
        data = _periods_frame(summary, weights)
        x, t_x, n, w = data["x"], data["t_x"], data["n"], data["w"]
        _refuse_flat_periods(x, t_x, n, w)
        total = float(w.sum())
        # one likelihood term per distinct (x, t_x, n): weights add up
        rows, inverse = np.unique(np.column_stack([x, t_x, n]), axis=0, return_inverse=True)
        w = np.bincount(inverse.ravel(), weights=w)
        x, t_x, n = rows.T

        def mean_negloglik(log_theta):
            value = -float(w @ self._log_terms(np.exp(log_theta), x, t_x, n)[0]) / total
            return value if np.isfinite(value) else np.inf

        def negloglik(log_theta):
            return _with_gradient(mean_negloglik, log_theta)

        log_theta, hess = _maximise(negloglik, np.zeros(4), self._names, "BG/BB",
                                    value_only=mean_negloglik)
        theta = np.exp(log_theta)
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = -mean_negloglik(log_theta) * total
        self.covariance_, se = _covariance(hess, theta, total, self._names, "BG/BB")
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_customers_ = int(total)
        return self

    # predictions -----------------------------------------------------------------
    def _survival(self, periods: np.ndarray) -> np.ndarray:
        """P(still alive in period t) = B(γ, δ + t) / B(γ, δ)."""
        from scipy.special import betaln

        g, d = self.params_["gamma"], self.params_["delta"]
        return np.exp(betaln(g, d + periods) - betaln(g, d))

    def expected_transactions(self, n: Any) -> Any:
        r"""E[X(n)]: expected transactions of a new customer in the first ``n`` periods.

        :math:`\frac{\alpha}{\alpha+\beta}\sum_{t=1}^{n} \frac{B(\gamma, \delta+t)}
        {B(\gamma,\delta)}`: the chance to transact when alive times the chance to be
        alive, period by period (a sum, so no division by γ − 1).

        Parameters
        ----------
        n : int or array_like
            Number of transaction opportunities (periods) since acquisition.

        Returns
        -------
        float or numpy.ndarray
            E[X(n)]: a float for a number ``n``, else an array shaped like ``n``.

        Examples
        --------
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> round(m.expected_transactions(6), 3)
        2.22
        """
        self._require_fit()
        scalar = np.ndim(n) == 0
        periods = validate.float_array(np.atleast_1d(n), "n", nonnegative=True)
        top = int(periods.max())
        cumulative = np.concatenate([[0.0], np.cumsum(self._survival(np.arange(1, top + 1)))])
        a, b = self.params_["alpha"], self.params_["beta"]
        value = a / (a + b) * cumulative[periods.astype(int)]
        return float(value[0]) if scalar else value

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""P(alive in period n + 1 | x, t_x, n), the next opportunity.

        :math:`\frac{B(\alpha+x,\beta+n-x)}{B(\alpha,\beta)} \frac{B(\gamma,\delta+n+1)}
        {B(\gamma,\delta)} \big/ L`. Returns a Series named ``p_alive``.

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer with columns ``x``, ``t_x`` and ``n``
            (transactions, the period of the last one, opportunities).

        Returns
        -------
        pandas.Series
            Named ``p_alive``, indexed like ``summary``.

        Examples
        --------
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> s = pd.DataFrame({"x": [6, 3, 3], "t_x": [6, 6, 3], "n": [6, 6, 6]})
        >>> m.p_alive(s).round(3).tolist()
        [0.93, 0.93, 0.095]
        """
        self._require_fit()
        data = _periods_frame(summary, None)
        x, t_x, n = data["x"], data["t_x"], data["n"]
        total, alive = self._log_terms(tuple(self.params_.values()), x, t_x, n)
        g, d = self.params_["gamma"], self.params_["delta"]
        next_period = np.log((d + n) / (g + d + n))       # B(g, d+n+1) / B(g, d+n)
        return pd.Series(np.exp(alive + next_period - total), index=summary.index,
                         name="p_alive")

    def conditional_expected_transactions(self, periods: Any,
                                          summary: pd.DataFrame) -> pd.Series:
        r"""E[X(n, n + n*) | x, t_x, n]: expected transactions in the next ``periods``.

        .. math::

            \frac{1}{L}\frac{B(\alpha+x+1, \beta+n-x)}{B(\alpha,\beta)}
            \sum_{t=n+1}^{n+n^*} \frac{B(\gamma, \delta+t)}{B(\gamma,\delta)}

        Returns a Series named ``expected_transactions``.

        Parameters
        ----------
        periods : int
            Number of coming periods :math:`n^*`.
        summary : pandas.DataFrame
            One row per customer with columns ``x``, ``t_x`` and ``n``
            (transactions, the period of the last one, opportunities).

        Returns
        -------
        pandas.Series
            Named ``expected_transactions``.

        Examples
        --------
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> s = pd.DataFrame({"x": [6, 0], "t_x": [6, 0], "n": [6, 6]})
        >>> m.conditional_expected_transactions(5, s).round(2).tolist()
        [3.75, 0.07]
        """
        self._require_fit()
        ahead = validate.integer(periods, "periods", minimum=0)
        data = _periods_frame(summary, None)
        value = self._discounted(data, ahead, 0.0)
        return pd.Series(value, index=summary.index, name="expected_transactions")

    def _discounted(self, data, ahead: int, rate: float) -> np.ndarray:
        """Sum over the next ``ahead`` periods of E[transaction in t] / (1 + rate)^(t - n)."""
        from scipy.special import betaln

        x, t_x, n = data["x"], data["t_x"], data["n"]
        a, b, g, d = self.params_.values()
        total, _ = self._log_terms((a, b, g, d), x, t_x, n)
        steps = np.arange(1, ahead + 1, dtype=float)[None, :]
        alive = np.exp(betaln(g, d + n[:, None] + steps) - betaln(g, d))
        per_row = (alive * (1.0 + rate) ** -steps).sum(axis=1)
        buy = np.exp(betaln(a + x + 1, b + n - x) - betaln(a, b) - total)
        return buy * per_row

    def clv(self, summary: pd.DataFrame, *, value: float, rate: float,
            horizon: int) -> pd.Series:
        """Discounted expected value of each customer's next ``horizon`` periods.

        ``value`` per transaction (e.g. the margin of one donation), discounted at
        ``rate`` per period to the end of each period. Returns a Series named ``clv``.

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer with columns ``x``, ``t_x`` and ``n``
            (transactions, the period of the last one, opportunities).
        value : float
            Value of one transaction (e.g. the margin of one donation).
        rate : float
            Discount rate per period.
        horizon : int
            Number of coming periods counted.

        Returns
        -------
        pandas.Series
            Named ``clv``.

        Examples
        --------
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> s = pd.DataFrame({"x": [6, 0], "t_x": [6, 0], "n": [6, 6]})
        >>> m.clv(s, value=50, rate=0.1, horizon=5).round(1).tolist()
        [143.8, 2.8]
        """
        self._require_fit()
        amount = validate.number(value, "value", minimum=0.0)
        i = validate.rate(rate, "rate")
        h = validate.integer(horizon, "horizon", minimum=1)
        data = _periods_frame(summary, None)
        return pd.Series(amount * self._discounted(data, h, i), index=summary.index, name="clv")

    def pmf(self, x: Any, n: int) -> np.ndarray:
        r"""P(X(n) = x): probability that a new customer transacts ``x`` times in ``n`` periods.

        .. math::

            \binom{n}{x}\frac{B(\alpha+x,\beta+n-x)}{B(\alpha,\beta)}
              \frac{B(\gamma,\delta+n)}{B(\gamma,\delta)}
            + \sum_{i=x}^{n-1}\binom{i}{x}\frac{B(\alpha+x,\beta+i-x)}{B(\alpha,\beta)}
              \frac{B(\gamma+1,\delta+i)}{B(\gamma,\delta)}

        Parameters
        ----------
        x : int or array_like
            Number of transactions.
        n : int
            Number of transaction opportunities (periods).

        Returns
        -------
        numpy.ndarray
            The probabilities, one for each ``x``.

        Examples
        --------
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> p = m.pmf(np.arange(7), 6)
        >>> round(float(p[0]), 3), round(float(p.sum()), 10)
        (0.311, 1.0)
        """
        from scipy.special import betaln, gammaln

        self._require_fit()
        periods = validate.integer(n, "n", minimum=0)
        xs = validate.float_array(np.atleast_1d(x), "x", nonnegative=True)
        a, b, g, d = self.params_.values()
        base = betaln(a, b) + betaln(g, d)

        def log_choose(top, k):
            return gammaln(top + 1) - gammaln(k + 1) - gammaln(top - k + 1)

        out = np.zeros(len(xs))
        ok = xs <= periods
        k = xs[ok]
        out[ok] = np.exp(log_choose(periods, k) + betaln(a + k, b + periods - k)
                         + betaln(g, d + periods) - base)
        for i in range(periods):
            add = ok & (xs <= i)
            k = xs[add]
            out[add] += np.exp(log_choose(i, k) + betaln(a + k, b + i - k)
                               + betaln(g + 1, d + i) - base)
        return out


def _refuse_flat_periods(x, t_x, n, w) -> None:
    """No transactions, or no silence before the last period: nothing to estimate from."""
    if not (w[x > 0] > 0).any():
        raise validate.BilingualValueError(
            "summary['x'] 全为 0（没有任何客户交易过）：无法估计 BG/BB",
            "summary['x'] is 0 for everyone (nobody transacted): BG/BB cannot be estimated")
    if not (w[t_x < n] > 0).any():
        raise validate.BilingualValueError(
            "summary 中没有客户沉寂：每位客户在最后一期都还有交易（t_x = n），看不到任何流失的"
            "迹象，无法估计流失概率",
            "in summary nobody has gone quiet: every customer transacted in the last period "
            "(t_x = n), so the data show no sign of dropout and BG/BB cannot estimate it")
