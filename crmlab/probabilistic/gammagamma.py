"""Gamma-Gamma model of the value of a customer's transactions (Fader, Hardie & Lee 2005b)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.probabilistic._common import (
    _covariance,
    _finite,
    _Fitted,
    _maximise,
    _summary_arrays,
)

__all__ = ["GammaGamma"]

# --- 3. Gamma-Gamma ----------------------------------------------------------------

class GammaGamma(_Fitted):
    r"""Gamma-Gamma model of the value of a customer's transactions.

    Each transaction value is :math:`\text{Gamma}(p, \nu)`, and :math:`\nu` varies
    across customers as :math:`\text{Gamma}(q, \gamma)`. Given ``x`` transactions
    with mean :math:`\bar z`, the likelihood is

    .. math::

        f(\bar z \mid x) = \frac{\Gamma(px+q)}{\Gamma(px)\Gamma(q)}
        \frac{\gamma^q\, x^{px}\, \bar z^{px-1}}{(\gamma + x\bar z)^{px+q}},

    and the expected value of the customer's next transaction is

    .. math::

        E[M \mid \bar z, x] = \frac{p(\gamma + x\bar z)}{px + q - 1}.

    The model assumes spend is independent of the purchase process. Only customers
    with ``x > 0`` enter the fit (``monetary`` is the mean of their repeat
    transactions); others are ignored.

    Attributes (after ``fit``): ``params_`` (``p, q, gamma``), ``standard_errors_``,
    ``covariance_``, ``log_likelihood_``, ``n_customers_`` (customers used).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: Using
    iso-value curves for customer base analysis. *Journal of Marketing Research*,
    42(4), 415–430. On the 946 repeat buyers of the CDNOW 1/10 sample they report
    p = 6.25, q = 3.74, γ = 15.44.

    Examples
    --------
    >>> from crmlab.synthetic.buyers import bgnbd_summary
    >>> s = bgnbd_summary(2000, T="cohort", seed=0)
    >>> m = GammaGamma().fit(s)
    >>> bool((m.expected_spend(s) > 0).all())
    True

    Six buyers cannot show how customers differ, so the fit is refused:

    >>> tiny = pd.DataFrame({"x": [1, 2, 3, 1, 4, 2], "monetary": [20, 35, 15, 60, 25, 40],
    ...                      "t_x": [5.0, 9, 20, 3, 30, 12], "T": [30.0] * 6})
    >>> GammaGamma().fit(tiny)
    Traceback (most recent call last):
    ...
    crmlab.probabilistic._common.ConvergenceError: Gamma-Gamma 无法从这些数据中识别参数 ...
    """

    _names = ("p", "q", "gamma")

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    @staticmethod
    def _factory(x, z):
        from scipy.special import gammaln, psi

        n = len(x)
        log_x, log_z = np.log(x), np.log(z)

        def ll_terms(p, q, g):
            px = p * x
            log_gz = np.log(g + x * z)
            ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
                  + px * log_x + (px - 1) * log_z - (px + q) * log_gz)
            return ll, px, log_gz

        def negloglik(log_theta):
            p, q, g = np.exp(log_theta)
            ll, px, log_gz = ll_terms(p, q, g)
            d_pq = psi(px + q)
            g_p = x * (d_pq - psi(px) + log_x + log_z - log_gz)
            g_q = d_pq - psi(q) + np.log(g) - log_gz
            g_g = q / g - (px + q) / (g + x * z)
            grad = -np.array([g_p.sum() * p, g_q.sum() * q, g_g.sum() * g]) / n
            return -ll.sum() / n, grad

        def loglik(params):
            return float(ll_terms(*params)[0].sum())

        return negloglik, loglik

    def fit(self, summary: pd.DataFrame) -> GammaGamma:
        """Maximum-likelihood estimates from the customers with ``x > 0``.

        Parameters
        ----------
        summary : DataFrame
            Columns ``x``, ``t_x``, ``T``, ``monetary``.

        Returns
        -------
        GammaGamma
            ``self``, fitted.

        Raises
        ------
        ValueError
            Fewer than 2 repeat buyers, or all of them with the same mean spend.
        ConvergenceError
            The optimiser did not converge or a parameter ran off to 0 / ∞.

        Examples
        --------
        >>> from crmlab.synthetic.buyers import bgnbd_summary
        >>> s = bgnbd_summary(2000, T="cohort", seed=0)
        >>> m = GammaGamma().fit(s)
        >>> sorted(m.params_), m.population_mean() > 0
        (['gamma', 'p', 'q'], True)
        """
        data = _summary_arrays(summary, need_monetary=True)
        use = data["x"] > 0
        x, z = data["x"][use], data["monetary"][use]
        if (z == 0).any():
            zero = int((z == 0).sum())
            raise validate.BilingualValueError(
                f"summary['monetary'] 有 {zero} 位重复购买客户为 0（例如赠品订单）：Gamma 分布"
                f"要求金额为正；请先筛选，例如 summary[summary['monetary'] != 0]",
                f"summary['monetary'] is 0 for {zero} repeat buyer(s) (e.g. free items): the "
                f"gamma model needs positive values; filter them first, e.g. "
                f"summary[summary['monetary'] != 0]")
        if use.sum() < 2 or np.ptp(z) == 0:
            raise validate.BilingualValueError(
                "summary 不足以估计 Gamma-Gamma：需要至少两位有重复购买（x > 0）且平均消费"
                "（monetary）不同的客户",
                "summary cannot fit Gamma-Gamma: expected at least two repeat buyers (x > 0) "
                "with different mean spend (monetary)")
        negloglik, loglik = self._factory(x, z)
        # start: p = 2, q = 3 and gamma such that the mean p gamma / (q - 1) is the data's
        mean = np.average(z, weights=x)
        start = np.log([2.0, 3.0, mean])
        log_theta, hess = _maximise(negloglik, start, self._names, "Gamma-Gamma")
        theta = np.exp(log_theta)
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = loglik(theta)
        self.covariance_, se = _covariance(hess, theta, len(x), self._names, "Gamma-Gamma")
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_customers_ = int(use.sum())
        return self

    def population_mean(self) -> float:
        """Mean transaction value across customers, ``p γ / (q - 1)`` (needs q > 1).

        Returns
        -------
        float
            The mean (``inf`` when q ≤ 1).

        Examples
        --------
        >>> m = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
        >>> round(m.population_mean(), 2)
        35.22
        """
        self._require_fit()
        p, q, g = self.params_.values()
        return float(p * g / (q - 1)) if q > 1 else math.inf

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        r"""E[M | monetary, x]: expected value of each customer's future transactions.

        Customers with ``x = 0`` get the population mean :math:`p\gamma/(q-1)`.
        Returns a Series named ``expected_spend``, indexed like ``summary``.

        Parameters
        ----------
        summary : pandas.DataFrame
            A ``calibration_summary`` frame: one row per customer with columns ``x``
            (repeat transactions), ``t_x``, ``T`` and ``monetary`` (their mean value).

        Returns
        -------
        pandas.Series
            Named ``expected_spend``, indexed like ``summary``.

        Examples
        --------
        >>> m = GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
        >>> s = pd.DataFrame({"x": [2, 0], "t_x": [30.43, 0.0], "T": [38.86, 38.86],
        ...                   "monetary": [30.0, 0.0]})
        >>> m.expected_spend(s).round(2).tolist()
        [30.94, 35.22]
        """
        self._require_fit()
        data = _summary_arrays(summary, need_monetary=True)
        with np.errstate(over="ignore", invalid="ignore"):
            spend = self._spend(data["x"], data["monetary"])
        largest = float(np.max(np.nan_to_num(data["monetary"]), initial=0.0))
        spend = _finite(spend, "expected_spend", **{"max(summary['monetary'])": largest})
        return pd.Series(spend, index=summary.index, name="expected_spend")

    def _spend(self, x, z):
        p, q, g = self.params_.values()
        if q <= 1:
            raise validate.BilingualValueError(
                f"Gamma-Gamma 的参数 q={q:.4g} ≤ 1：平均消费无穷大，无法给出期望消费",
                f"Gamma-Gamma parameter q={q:.4g} <= 1: the mean spend is infinite, no "
                f"expected spend exists")
        zz = np.where(x > 0, z, 0.0)
        return p * (g + x * zz) / (p * x + q - 1)


