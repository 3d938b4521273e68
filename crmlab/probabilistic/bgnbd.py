"""BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005a)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.probabilistic._common import (
    ConvergenceError,
    _counts_and_times,
    _covariance,
    _finite,
    _Fitted,
    _maximise,
    _pairs,
    _refuse_unidentified_dropout,
    _summary_arrays,
    _time,
    _time_value,
    _weighted_triples,
    _weighted_unique,
)

__all__ = ["BetaGeo"]

# --- 2. BG/NBD ---------------------------------------------------------------------

class BetaGeo(_Fitted):
    r"""BG/NBD model of repeat purchasing in a non-contractual setting.

    While active, a customer's repeat purchases follow a Poisson process with
    rate :math:`\lambda \sim \text{Gamma}(r, \alpha)`; after each repeat purchase
    the customer becomes inactive with probability :math:`p \sim \text{Beta}(a, b)`.
    The likelihood of one customer's :math:`(x, t_x, T)` is

    .. math::

        L = \frac{B(a, b+x)}{B(a, b)} \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)(\alpha+T)^{r+x}}
          + \delta_{x>0} \frac{B(a+1, b+x-1)}{B(a, b)}
            \frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)(\alpha+t_x)^{r+x}}.

    Attributes
    ----------
    params_ : dict
        Set by ``fit``: the estimates of ``r, alpha, a, b``.
    standard_errors_ : dict
        Set by ``fit``: the same keys, from the Hessian.
    covariance_ : numpy.ndarray
        Set by ``fit``: the 4 × 4 covariance matrix of the estimates.
    log_likelihood_ : float
        Set by ``fit``: the total log-likelihood at the optimum.
    n_customers_ : int
        Set by ``fit``: the number of customers fitted.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers"
    the easy way: An alternative to the Pareto/NBD model. *Marketing Science*,
    24(2), 275–284. On the CDNOW 1/10 sample they report r = 0.243,
    α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.

    Examples
    --------
    >>> from crmlab.synthetic.buyers import bgnbd_summary
    >>> s = bgnbd_summary(20_000, r=0.5, alpha=5.0, a=1.0, b=3.0, seed=1)
    >>> m = BetaGeo().fit(s)
    >>> {k: round(v, 1) for k, v in m.params_.items()}
    {'r': 0.5, 'alpha': 5.0, 'a': 0.9, 'b': 2.8}
    >>> m.p_alive(s.head(3)).round(3).tolist()
    [0.419, 0.218, 0.14]
    """

    _names = ("r", "alpha", "a", "b")
    _label = "BG/NBD"
    _shift = 0          # MBG/NBD: 1 (a dropout chance also right after the first purchase)

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    # likelihood ------------------------------------------------------------------
    @staticmethod
    def _negloglik_factory(x, t_x, T, shift=0):
        """Mean negative log-likelihood and its gradient in log parameters.

        Customers with the same ``(x, t_x, T)`` share one term (weights). With
        ``shift = 0`` (BG/NBD) those with ``x = 0`` cannot have dropped out and only
        depend on ``T``; with ``shift = 1`` (MBG/NBD) everybody can drop out after
        each of their ``x + 1`` purchases, so ``b + x - 1`` becomes ``b + x``.
        """
        from scipy.special import betaln, gammaln, psi

        total = float(len(x))
        buyer = x > 0 if shift == 0 else np.ones(len(x), dtype=bool)
        T0, w0 = _weighted_unique(T[~buyer])
        xs, inv, ut, it, uT, iT, w = _weighted_triples(x[buyer], t_x[buyer], T[buyer])
        bx = xs[inv]
        w_x = np.bincount(inv, weights=w, minlength=len(xs))

        def dot(u, v):                                   # no BLAS threads for a dot
            return float(np.einsum("i,i->", u, v))

        def negloglik(log_theta):
            r, alpha, a, b = np.exp(log_theta)
            log_alpha = np.log(alpha)
            # non-buyers: LL = r log(alpha) - r log(alpha + T)
            log_a0 = np.log(alpha + T0)
            ll0 = dot(w0, r * (log_alpha - log_a0))
            g0_r = dot(w0, log_alpha - log_a0)
            g0_alpha = dot(w0, r / alpha - r / (alpha + T0))
            # buyers: terms in x only, once per distinct x
            c_x = gammaln(r + xs) - gammaln(r) + betaln(a, b + xs + shift) - betaln(a, b)
            d_r = psi(r + xs) - psi(r)
            d_a = psi(a + b) - psi(a + b + xs + shift)
            d_b = psi(b + xs + shift) - psi(a + b + xs + shift) - psi(b) + psi(a + b)
            log_a_bxm1 = np.log(a) - np.log(b + xs - 1 + shift)
            inv_bxm1 = 1.0 / (b + xs - 1 + shift)
            rx = r + bx
            inv_aT, inv_at = (1.0 / (alpha + uT))[iT], (1.0 / (alpha + ut))[it]
            log_aT, log_at = np.log(alpha + uT)[iT], np.log(alpha + ut)[it]
            # ll = c(x) + r log(alpha) - (r+x) log(alpha+T) + log(1 + e^D),
            # D = log(a / (b + x - 1)) + (r + x) (log(alpha+T) - log(alpha+t_x))
            D = log_a_bxm1[inv] + rx * (log_aT - log_at)
            soft = np.logaddexp(0.0, D)
            wt = np.exp(D - soft)                    # weight of the "dropped out" term
            ll1 = dot(w_x, c_x) + r * log_alpha * w.sum() + dot(w, soft - rx * log_aT)
            g_r = dot(w_x, d_r) + log_alpha * w.sum() - dot(w, log_aT + wt * (log_at - log_aT))
            g_alpha = r / alpha * w.sum() - dot(w * rx, inv_aT + wt * (inv_at - inv_aT))
            w_wt = np.bincount(inv, weights=w * wt, minlength=len(xs))
            g_a = dot(w_x, d_a) + w_wt.sum() / a
            g_b = dot(w_x, d_b) - dot(w_wt, inv_bxm1)
            grad = np.array([g_r + g0_r, g_alpha + g0_alpha, g_a, g_b])
            value = -(ll0 + ll1) / total
            return value, -grad * np.array([r, alpha, a, b]) / total

        return negloglik, total

    def fit(self, summary: pd.DataFrame) -> BetaGeo:
        """Maximum-likelihood estimates from a :func:`calibration_summary` frame.

        Parameters
        ----------
        summary : DataFrame
            Columns ``x``, ``t_x``, ``T`` (any others are ignored).

        Returns
        -------
        BetaGeo
            ``self``, fitted.

        Raises
        ------
        ValueError
            Nobody made a repeat purchase (or everybody made the same number):
            the data cannot identify the model.
        ConvergenceError
            The optimiser did not converge or a parameter ran off to 0 / ∞.

        Examples
        --------
        >>> from crmlab.synthetic.buyers import bgnbd_summary
        >>> s = bgnbd_summary(3000, r=0.5, alpha=5.0, a=1.0, b=3.0, seed=2)
        >>> m = BetaGeo().fit(s)
        >>> {k: round(v, 1) for k, v in m.params_.items()}
        {'r': 0.5, 'alpha': 4.7, 'a': 1.1, 'b': 3.4}
        """
        data = _summary_arrays(summary)
        x, t_x, T = data["x"], data["t_x"], data["T"]
        _refuse_unidentified_dropout(self._label, x, t_x, T)
        if (x > 0).all() and np.ptp(x) == 0:
            raise validate.BilingualValueError(
                f"summary['x'] 对每位客户都相同：数据不足以识别 {self._label}",
                f"summary['x'] is the same for every customer: the data cannot identify "
                f"{self._label}")
        rate = x.sum() / max(T.sum(), 1e-9)
        start = np.log([1.0, 1.0 / max(rate, 1e-6), 1.0, 1.0])
        negloglik, total = self._negloglik_factory(x, t_x, T, self._shift)
        log_theta, hess = _maximise(negloglik, start, self._names, self._label)
        theta = np.exp(log_theta)
        for i, j, what in ((0, 1, "购买率 purchase rate"), (2, 3, "流失概率 dropout probability")):
            if min(theta[i], theta[j]) > 1e3:
                raise ConvergenceError(
                    f"{self._label} 的 {self._names[i]}、{self._names[j]} 都趋于无穷大：数据看不出"
                    f"客户之间{what.split()[0]}的差异，模型无法识别（客户太少？）",
                    f"{self._label}: {self._names[i]} and {self._names[j]} run off to "
                    f"infinity: the data show no heterogeneity in the "
                    f"{what.split(' ', 1)[1]}, so the model is not identified (too few "
                    f"customers?)")
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-negloglik(log_theta)[0] * total)
        self.covariance_, se = _covariance(hess, theta, total, self._names, self._label)
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_customers_ = len(x)
        return self

    # predictions -----------------------------------------------------------------
    def expected_transactions(self, t: Any) -> Any:
        r"""E[X(t)]: expected repeat transactions of a new customer in ``(0, t]``.

        .. math::

            E[X(t)] = \frac{a+b-1}{a-1}\Big[1 - \Big(\frac{\alpha}{\alpha+t}\Big)^r
                      {}_2F_1\big(r, b; a+b-1; \tfrac{t}{\alpha+t}\big)\Big]

        (Fader, Hardie & Lee 2005a, eq. 7). ``t`` a number or an array; number in,
        float out.

        Parameters
        ----------
        t : float or array_like
            Length of the period from acquisition, in the unit of ``T``
            (one number, or an array of them).

        Returns
        -------
        float or numpy.ndarray
            E[X(t)]: a float for a number ``t``, else an array shaped like ``t``.

        Examples
        --------
        >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> round(m.expected_transactions(39.0), 3)
        1.197
        """
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        p = self.params_
        shifted = {**p, "b": p["b"] + self._shift}
        alive_at_start = p["b"] / (p["a"] + p["b"]) if self._shift else 1.0
        value = _finite(alive_at_start * _bg_expectation(t_arr, p["alpha"], 0.0, shifted),
                        "E[X(t)]", t=t, **p)
        return float(value.ravel()[0]) if scalar else value

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""P(alive | x, t_x, T): probability that each customer is still active.

        .. math::

            P = 1 \Big/ \Big[1 + \delta_{x>0} \frac{a}{b+x-1}
                \Big(\frac{\alpha+T}{\alpha+t_x}\Big)^{r+x}\Big]

        computed as a logistic function of the log of the second term (no
        overflow for large ``x``). Returns a Series named ``p_alive``, indexed
        like ``summary``.

        Parameters
        ----------
        summary : pandas.DataFrame
            One row per customer with columns ``x``, ``t_x`` and ``T``
            (as made by ``calibration_summary``).

        Returns
        -------
        pandas.Series
            Named ``p_alive``, indexed like ``summary``.

        Examples
        --------
        >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> s = pd.DataFrame({"x": [2, 0], "t_x": [30.43, 0.0], "T": [38.86, 38.86]})
        >>> m.p_alive(s).round(3).tolist()
        [0.727, 1.0]
        """
        self._require_fit()
        data = _summary_arrays(summary)
        return pd.Series(self._p_alive(data["x"], data["t_x"], data["T"]),
                         index=summary.index, name="p_alive")

    def _p_alive(self, x, t_x, T):
        from scipy.special import expit

        p = self.params_
        buyer = (x > 0) | (self._shift > 0)
        with np.errstate(divide="ignore"):
            log_odds = np.where(
                buyer,
                np.log(p["a"]) - np.log(p["b"] + np.where(buyer, x - 1 + self._shift, 1.0))
                + (p["r"] + x) * (np.log(p["alpha"] + T) - np.log(p["alpha"] + t_x)),
                -np.inf)
        return expit(-log_odds)

    def conditional_expected_transactions(self, t: Any, summary: pd.DataFrame) -> pd.Series:
        r"""E[Y(t) | x, t_x, T]: expected transactions in the next ``t`` periods.

        .. math::

            E = \frac{\frac{a+b+x-1}{a-1}\Big[1 - \big(\frac{\alpha+T}{\alpha+T+t}\big)^{r+x}
                {}_2F_1\big(r+x, b+x; a+b+x-1; \frac{t}{\alpha+T+t}\big)\Big]}
                {1 + \delta_{x>0}\frac{a}{b+x-1}\big(\frac{\alpha+T}{\alpha+t_x}\big)^{r+x}}

        (Fader, Hardie & Lee 2005a, eq. 10). The bracket is evaluated after Euler's
        transformation, :math:`(1-z)^{a-1}{}_2F_1(a+b-1-r, a-1; a+b+x-1; z)`, which
        has no large exponents. ``t`` is one number (same unit as ``T``). Returns a
        Series named ``expected_transactions``, indexed like ``summary``.

        Parameters
        ----------
        t : float
            Length of the coming period, in the same unit as ``T``.
        summary : pandas.DataFrame
            One row per customer with columns ``x``, ``t_x`` and ``T``
            (as made by ``calibration_summary``).

        Returns
        -------
        pandas.Series
            Named ``expected_transactions``, indexed like ``summary``.

        Examples
        --------
        >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> s = pd.DataFrame({"x": [2, 0], "t_x": [30.43, 0.0], "T": [38.86, 38.86]})
        >>> m.conditional_expected_transactions(39.0, s).round(3).tolist()
        [1.226, 0.195]
        """
        self._require_fit()
        t_value = _time_value(t, "t")
        data = _summary_arrays(summary)
        value = _finite(self._conditional(t_value, data["x"], data["t_x"], data["T"]),
                        "E[Y(t) | x, t_x, T]", t=t, **self.params_)
        return pd.Series(value, index=summary.index, name="expected_transactions")

    def _conditional(self, t, x, t_x, T):
        return self._expected_path(np.array([t]), x, t_x, T)[0]

    def _expected_path(self, times, x, t_x, T):
        """Conditional expected transactions by each time in ``times``, shape (k, n)."""
        p = self.params_
        shifted = {**p, "b": p["b"] + self._shift}
        alive = self._p_alive(x, t_x, T)
        key_x, key_T, inverse = _pairs(x, T)
        times = np.asarray(times, dtype=float)[:, None]
        bracket = _bg_expectation(times, p["alpha"] + key_T, key_x, shifted)
        return alive * bracket[:, inverse]

    def pmf(self, x: Any, t: Any) -> Any:
        r"""P(X(t) = x): probability that a new customer makes ``x`` repeat purchases in ``(0, t]``.

        .. math::

            P(X(t)=x) = \frac{B(a, b+x)}{B(a,b)}\,\text{NB}(x; t)
              + \delta_{x>0}\frac{B(a+1, b+x-1)}{B(a,b)}\,P(\text{NB}(t) \ge x)

        (Fader, Hardie & Lee 2005a, eq. 8): still alive after ``x`` purchases, or
        dropped out right after the ``x``-th, which needs at least ``x`` purchases
        of the negative binomial :math:`\text{NB}(t)` (rate λ ~ Gamma(r, α) over
        ``t``). The tail is ``scipy.stats.nbinom.sf``, not ``1 - cdf``, so small
        probabilities keep their digits. ``x`` and ``t`` broadcast.

        Parameters
        ----------
        x : int or array_like
            Number of repeat purchases.
        t : float or array_like
            Length of the period from acquisition.

        Returns
        -------
        float or numpy.ndarray
            The probabilities, broadcast over ``x`` and ``t``.

        Examples
        --------
        >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> p = m.pmf(np.arange(400), 39.0)
        >>> round(float(p[0]), 3), round(float(p.sum()), 6)
        (0.574, 1.0)
        """
        from scipy.special import betaln
        from scipy.stats import nbinom

        self._require_fit()
        x_arr, t_arr = _counts_and_times(x, t)
        r, alpha, a, b = self.params_.values()
        k = self._shift
        prob = alpha / (alpha + t_arr)
        alive = np.exp(betaln(a, b + x_arr + k) - betaln(a, b)) * nbinom.pmf(x_arr, r, prob)
        with np.errstate(divide="ignore", invalid="ignore"):
            dropped = np.exp(betaln(a + 1, np.maximum(b + x_arr - 1 + k, 1e-300)) - betaln(a, b))
        tail = np.where(x_arr > 0, nbinom.sf(x_arr - 1, r, prob), 1.0)
        value = alive + np.where(x_arr + k > 0, dropped * tail, 0.0)
        return float(value.ravel()[0]) if np.ndim(x) == 0 and np.ndim(t) == 0 else value


def _bg_expectation(t: np.ndarray, base: Any, x: Any, p: dict) -> np.ndarray:
    """(a+b+x-1)/(a-1) [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)], z = t/(base+t).

    With ``base = alpha`` and ``x = 0`` this is E[X(t)]; with ``base = alpha + T`` it
    is the numerator of the conditional expectation. Broadcasts ``t`` against
    ``base``/``x`` (``t`` of shape (k,) or (k, 1)).
    """
    from scipy.special import hyp2f1

    r, a, b = p["r"], p["a"], p["b"]
    base = np.asarray(base, dtype=float)
    x = np.asarray(x, dtype=float)
    z = t / (base + t)
    if abs(a - 1.0) < 1e-8:
        a = 1.0 + 1e-8 * (1 if a >= 1 else -1)  # removable singularity at a = 1
    c = a + b + x - 1
    f = hyp2f1(a + b - 1 - r, a - 1, c, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = c / (a - 1) * -np.expm1((a - 1) * np.log1p(-z) + np.log(f))
    return np.where(t == 0, 0.0, value)


