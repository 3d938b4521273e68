"""Shifted-beta-geometric (sBG) model of contract renewal (Fader & Hardie 2007).

Also the constant-retention model it generalises, fitted by maximum likelihood,
as the honest baseline for a holdout comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from crmlab import _validation as validate
from crmlab.probabilistic._common import (
    ConvergenceError,
    _covariance,
    _finite,
    _Fitted,
    _maximise,
    _time,
)

__all__ = ["ShiftedBetaGeometric", "constant_retention"]

# --- 4. sBG ------------------------------------------------------------------------

class ShiftedBetaGeometric(_Fitted):
    r"""Shifted-beta-geometric (sBG) model of contract renewal.

    Each customer churns at the end of each period with probability θ, constant
    for that customer, and θ varies across customers as :math:`\text{Beta}(\alpha,
    \beta)`. Then

    .. math::

        S(t) = \frac{B(\alpha, \beta + t)}{B(\alpha, \beta)}, \qquad
        r_t = \frac{S(t)}{S(t-1)} = \frac{\beta + t - 1}{\alpha + \beta + t - 1}.

    The retention rate *rises* with tenure although no customer's own θ changes:
    the churn-prone leave first. Chapter 2's CLV with a constant retention rate
    is the special case of no heterogeneity.

    ``fit(alive)`` takes the number of customers active at the start of each
    period, the first being the cohort size (e.g. 1,000, 631, 468, ...).

    Attributes (after ``fit``): ``params_`` (``alpha, beta``), ``standard_errors_``,
    ``covariance_``, ``log_likelihood_``, ``n_periods_`` (periods observed).

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
    *Journal of Interactive Marketing*, 21(1), 76–90. From seven years of data they
    report α = 0.704, β = 1.182 ("Regular") and α = 0.668, β = 3.806 ("High End").

    Examples
    --------
    >>> m = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(m.params_["alpha"], 3), round(m.params_["beta"], 3)
    (0.704, 1.182)
    """

    _names = ("alpha", "beta")

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    def fit(self, alive: Any) -> ShiftedBetaGeometric:
        """Maximum-likelihood estimates from survivor counts.

        Parameters
        ----------
        alive : sequence of numbers
            Customers active at the start of periods 0, 1, ..., k (non-increasing,
            at least 3 values: the cohort and two later counts).

        Returns
        -------
        ShiftedBetaGeometric
            ``self``, fitted.

        Raises
        ------
        ValueError
            Fewer than 3 counts, counts that increase, a cohort of 0, no churn at
            all, or everybody churning in period 1.
        ConvergenceError
            The optimiser did not converge or a parameter ran off to 0 / ∞.

        Examples
        --------
        >>> m = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
        >>> round(m.params_["alpha"], 3), round(m.params_["beta"], 3)
        (0.704, 1.182)
        """
        from scipy.special import betaln, psi

        n = _survivor_counts(alive, minimum=3)
        lost = -np.diff(n)
        end = n[-1]
        if lost.sum() == 0 or end == 0 and lost[1:].sum() == 0:
            raise validate.BilingualValueError(
                f"alive={validate.show(alive)} 中没有流失，或所有人在第一期就全部流失："
                f"无法估计 sBG",
                f"alive={validate.show(alive)} shows no churn, or everybody churns in period "
                f"1: sBG cannot be estimated")
        k = len(lost)
        t = np.arange(1, k + 1, dtype=float)
        total = n[0]

        def negloglik(log_theta):
            a, b = np.exp(log_theta)
            base = betaln(a, b)
            log_p = betaln(a + 1, b + t - 1) - base        # P(T = t)
            log_s = betaln(a, b + k) - base                # S(k)
            ll = np.dot(lost, log_p) + end * log_s
            d_ab = psi(a + b)
            dp_a = psi(a + 1) - psi(a + b + t) - psi(a) + d_ab
            dp_b = psi(b + t - 1) - psi(a + b + t) - psi(b) + d_ab
            ds_a = psi(a) - psi(a + b + k) - psi(a) + d_ab
            ds_b = psi(b + k) - psi(a + b + k) - psi(b) + d_ab
            g_a = np.dot(lost, dp_a) + end * ds_a
            g_b = np.dot(lost, dp_b) + end * ds_b
            return -ll / total, -np.array([g_a * a, g_b * b]) / total

        log_theta, hess = _maximise(negloglik, np.log([1.0, 1.0]), self._names, "sBG")
        theta = np.exp(log_theta)
        if theta.min() > 1e3:   # the likelihood is flat along alpha/(alpha+beta) = churn
            churn = theta[0] / theta.sum()
            raise ConvergenceError(
                f"sBG 的 α、β 都趋于无穷大:这些数据看不出客户之间流失率的差异(与固定流失率 "
                f"{churn:.3f} 一致),请用第 2 章的固定留存率模型,或补充更多期数据", "sBG: alpha "
                f"and beta run off to infinity: these data show no heterogeneity in churn "
                f"(they fit a constant churn rate of {churn:.3f}); use chapter 2's "
                f"constant-retention model or more periods")
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-negloglik(log_theta)[0] * total)
        self.covariance_, se = _covariance(hess, theta, total, self._names, "sBG")
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_periods_ = k
        return self

    def survival(self, t: Any) -> Any:
        """S(t): share of the cohort still active after ``t`` periods (S(0) = 1).

        Parameters
        ----------
        t : int or array_like
            Number of periods since acquisition.

        Returns
        -------
        float or numpy.ndarray
            S(t): a float for a number ``t``, else an array shaped like ``t``.

        Examples
        --------
        >>> m = ShiftedBetaGeometric.from_params(alpha=0.668, beta=3.806)
        >>> m.survival([1, 2, 3]).round(3).tolist()
        [0.851, 0.747, 0.67]
        """
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        value = self._survival(t_arr)
        return float(value[0]) if scalar else value

    def _survival(self, t: np.ndarray) -> np.ndarray:
        from scipy.special import betaln

        a, b = self.params_["alpha"], self.params_["beta"]
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention(self, t: Any) -> Any:
        """Return the retention rate r_t = S(t) / S(t-1) = (β + t − 1) / (α + β + t − 1), t ≥ 1.

        Parameters
        ----------
        t : int or array_like
            Period (1 or later).

        Returns
        -------
        float or numpy.ndarray
            The rate r_t: a float for a number ``t``, else an array shaped like ``t``.

        Examples
        --------
        >>> m = ShiftedBetaGeometric.from_params(alpha=0.668, beta=3.806)
        >>> m.retention([1, 2, 5]).round(3).tolist()
        [0.851, 0.878, 0.921]
        """
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        if (t_arr < 1).any():
            raise validate.BilingualValueError(
                f"t={validate.show(t)} 无效：应 ≥ 1（第 1 期起才有留存率）",
                f"t={validate.show(t)} is invalid: expected t >= 1 (retention is defined from "
                f"period 1 on)")
        a, b = self.params_["alpha"], self.params_["beta"]
        value = (b + t_arr - 1) / (a + b + t_arr - 1)
        return float(value[0]) if scalar else value

    def expected_clv(self, margin: Any, rate: Any, *, horizon: int | None = None) -> float:
        r"""Return the expected CLV of a new customer: :math:`m \sum_{t\ge1} S(t) / (1+i)^t`.

        Same timing as chapter 2's ``clv.retention_clv`` (the margin of period t
        arrives at its end if the customer is still active), with the sBG survival
        curve in place of :math:`r^t`. Infinite horizon: :math:`m\,[{}_2F_1(1, \beta;
        \alpha+\beta; 1/(1+i)) - 1]` (Fader & Hardie 2010).

        Parameters
        ----------
        margin : float
            Margin of one period, :math:`m`.
        rate : float
            Discount rate per period, :math:`i` (above 0).
        horizon : int, optional
            Number of periods counted; default: no end.

        Returns
        -------
        float
            The expected CLV, in the unit of ``margin``.

        Examples
        --------
        >>> m = ShiftedBetaGeometric.from_params(alpha=0.668, beta=3.806)
        >>> round(m.expected_clv(100, 0.1), 2), round(m.expected_clv(100, 0.1, horizon=5), 2)
        (492.26, 265.93)
        """
        from scipy.special import hyp2f1

        self._require_fit()
        m = validate.money(margin, "margin", signed=True, label="每期利润")
        i = validate.number(rate, "rate", minimum=0.0, min_inclusive=False)
        a, b = self.params_["alpha"], self.params_["beta"]
        if horizon is None:
            value = m * (hyp2f1(1.0, b, a + b, 1 / (1 + i)) - 1.0)
            if np.isfinite(value):
                return float(value)
            # hyp2f1 fails for huge alpha, beta: sum until (1+i)^-t < 1e-17
            h = int(min(np.ceil(17 * np.log(10) / np.log1p(i)), 10_000_000))
        else:
            h = validate.integer(horizon, "horizon", minimum=1)
        t = np.arange(1, h + 1, dtype=float)
        with np.errstate(over="ignore", under="ignore"):
            value = m * np.sum(self._survival(t) / (1 + i) ** t)
        return float(_finite(value, "expected_clv", margin=margin, rate=rate, **self.params_))


def _survivor_counts(alive: Any, *, minimum: int) -> np.ndarray:
    """Check a cohort's survivor counts: non-increasing, starting above 0."""
    n = validate.float_array(alive, "alive", nonnegative=True)
    if len(n) < minimum:
        raise validate.BilingualValueError(
            f"alive={validate.show(alive)} 只有 {len(n)} 个数：至少需要期初人数和 "
            f"{minimum - 1} 期的保留人数",
            f"alive={validate.show(alive)} has {len(n)} value(s): expected the cohort size "
            f"and at least {minimum - 1} later count(s)")
    if n[0] <= 0 or (np.diff(n) > 0).any():
        i = int(np.flatnonzero(np.diff(n) > 0)[0]) + 1 if n[0] > 0 else 0
        raise validate.BilingualValueError(
            f"alive={validate.show(alive)} 无效：应为从正数开始、不增加的人数序列（第 {i} 个值为 "
            f"{n[i]:g}）",
            f"alive={validate.show(alive)} is invalid: expected non-increasing counts "
            f"starting above 0 (value {i} is {n[i]:g})",
            ("可能把流失人数或保留率当成了在册人数？", "did you pass churned counts or rates?"))
    return n


def constant_retention(alive: Any) -> float:
    r"""Maximum-likelihood constant retention rate of a cohort: the honest baseline for sBG.

    If every customer renews each period with the same probability r, the
    likelihood of the survivor counts :math:`n_0, n_1, \dots, n_k` is
    :math:`\prod_t r^{n_t} (1-r)^{n_{t-1}-n_t}`, maximised by

    .. math::

        \hat r = rac{\sum_{t=1}^{k} n_t}{\sum_{t=1}^{k} n_{t-1}}
        \quad	ext{(renewals / customers at risk)},

    which uses all periods — unlike the period-1 rate :math:`n_1/n_0`, a straw man.

    Parameters
    ----------
    alive : sequence of numbers
        Customers active at the start of periods 0, 1, ..., k (at least 2 values).

    Returns
    -------
    float
        The fitted retention rate per period.

    Raises
    ------
    ValueError
        Fewer than 2 counts, counts that increase, or a cohort of 0.

    Examples
    --------
    >>> round(constant_retention([1000, 631, 468, 382, 326, 289, 262, 241]), 4)
    0.774
    """
    n = _survivor_counts(alive, minimum=2)
    return float(n[1:].sum() / n[:-1].sum())
