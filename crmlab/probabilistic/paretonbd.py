r"""Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987).

Numerics. The likelihood of one customer is usually written with a Gauss
hypergeometric function whose third argument tends to the first two and whose
value blows up as ``(α - β) / (α + t) → 1``. Here it is rewritten (integration
by parts) as a sum of two *positive* integrals,

.. math::

    \frac{L}{C} = s\,J(r+x,\, s+1;\, t_x) + (r+x)\,J(r+x+1,\, s;\, T), \qquad
    J(p, q; t) = \int_t^\infty (\alpha+\tau)^{-p} (\beta+\tau)^{-q}\, d\tau,

with :math:`C = \Gamma(r+x)\alpha^r\beta^s/\Gamma(r)`. Each :math:`J` is a
power of ``α + t`` and ``β + t`` times :math:`{}_2F_1(1, \cdot\,; p+q; z)`
(Euler's transformation), a series of positive terms: no difference of two
large numbers is formed, and the two terms are added in log space. ``J`` only
depends on ``(x, t_x)`` or ``(x, T)``, so it is computed once per distinct pair.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab.probabilistic._common import (
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
    _with_gradient,
)

__all__ = ["ParetoNBD"]


def _log_j(p: np.ndarray, q: Any, t: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    r"""Return :math:`\log \int_t^\infty (\alpha+\tau)^{-p} (\beta+\tau)^{-q} d\tau` (p + q > 1).

    The integral is :math:`(\alpha+t)^{-p} (\beta+t)^{1-q}\, {}_2F_1(1, p; p+q; z) /
    (p+q-1)` with :math:`z = (\alpha-\beta)/(\alpha+t)` when α ≥ β, and the same
    with the roles of (α, p) and (β, q) swapped otherwise, so that 0 ≤ z < 1.
    """
    if alpha >= beta:
        big, small, pp, qq = alpha, beta, p, q
    else:
        big, small, pp, qq = beta, alpha, q, p
    pp = np.broadcast_to(pp, np.shape(t)).astype(float)
    qq = np.broadcast_to(qq, np.shape(t)).astype(float)
    z = (big - small) / (big + t)
    return (-pp * np.log(big + t) + (1.0 - qq) * np.log(small + t)
            + np.log(_hyp2f1_one(pp, pp + qq, z)) - np.log(pp + qq - 1.0))


_SERIES_UP_TO = 0.8    # below, the series needs at most ~170 terms for 1e-17


def _hyp2f1_one(b: np.ndarray, c: np.ndarray, z: np.ndarray) -> np.ndarray:
    r"""2F1(1, b; c; z) for 0 <= z < 1 and 0 < b < c.

    The terms of :math:`\sum_k (b)_k/(c)_k z^k` are positive and fall faster than
    :math:`z^k`, so for z <= 0.8 the series is summed directly, all arguments at
    once (a few vector operations instead of thousands of scalar calls); above
    that ``scipy.special.hyp2f1`` takes over (checked against mpmath in the tests).
    """
    from scipy.special import hyp2f1

    out = np.empty(np.shape(z))
    near = z <= _SERIES_UP_TO
    if near.any():
        index = np.flatnonzero(near)
        bb, cc, zz = b[index], c[index], z[index]
        term = np.ones(len(index))
        total = np.ones(len(index))
        k = 0
        while len(index):
            for _ in range(8):                     # 8 terms, then drop converged sums
                term *= (bb + k) / (cc + k) * zz
                total += term
                k += 1
            done = term <= 1e-17 * total
            out[index[done]] = total[done]
            keep = ~done
            index, bb, cc, zz, term, total = (v[keep] for v in (index, bb, cc, zz, term, total))
    if not near.all():
        far = ~near
        out[far] = hyp2f1(1.0, b[far], c[far], z[far])
    return out


def _expm1_ratio(k: float, u: np.ndarray) -> np.ndarray:
    """(1 - e^{-k u}) / k, and its limit u at k = 0."""
    if abs(k) < 1e-12:
        return np.asarray(u, dtype=float)
    return -np.expm1(-k * u) / k


class ParetoNBD(_Fitted):
    r"""Pareto/NBD model of repeat purchasing in a non-contractual setting.

    While alive, a customer buys at Poisson rate :math:`\lambda \sim
    \text{Gamma}(r, \alpha)`; their unobserved lifetime is exponential with rate
    :math:`\mu \sim \text{Gamma}(s, \beta)` (so dropout can happen at any moment,
    not only right after a purchase as in BG/NBD); λ and μ are independent. The
    input is the same ``x, t_x, T`` summary as :class:`BetaGeo`.

    Attributes (after ``fit``): ``params_`` (``r, alpha, s, beta``),
    ``standard_errors_``, ``covariance_``, ``log_likelihood_``, ``n_customers_``.

    References
    ----------
    Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting your
    customers: Who are they and what will they do next? *Management Science*,
    33(1), 1–24. Fader, P. S. & Hardie, B. G. S. (2005). A note on deriving the
    Pareto/NBD model and related expressions. On the CDNOW 1/10 sample (39-week
    calibration) Fader, Hardie & Lee (2005b) report r = 0.553, α = 10.578,
    s = 0.606, β = 11.669, LL = −9595.0 (BG/NBD on the same data: −9582.4).

    Examples
    --------
    >>> from crmlab import datasets
    >>> from crmlab.probabilistic import calibration_summary
    >>> s = calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")
    >>> m = ParetoNBD().fit(s)
    >>> {k: round(v, 3) for k, v in m.params_.items()}, round(m.log_likelihood_, 1)
    ({'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}, -9595.0)
    """

    _names = ("r", "alpha", "s", "beta")

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    # likelihood ------------------------------------------------------------------
    @staticmethod
    def _loglik_factory(x, t_x, T):
        """Total log-likelihood as a function of (r, alpha, s, beta)."""
        from scipy.special import gammaln

        # distinct (x, t_x, T) with counts; J only needs distinct (x, t_x) and (x, T)
        ux, ix, ut, it, uT, iT, counts = _weighted_triples(x, t_x, T)
        kx, kt, kT = ux[ix], ut[it], uT[iT]
        xs_t, tx_u, inv_t = _pairs(kx, kt)
        xs_T, T_u, inv_T = _pairs(kx, kT)
        xs = ux
        count_x = np.bincount(ix, weights=counts, minlength=len(ux))

        def loglik(theta):
            r, alpha, s, beta = theta
            with np.errstate(all="ignore"):   # far from the optimum 2F1 may fail: -inf
                log_j1 = np.log(s) + _log_j(r + xs_t, s + 1.0, tx_u, alpha, beta)
                log_j2 = np.log(r + xs_T) + _log_j(r + xs_T + 1.0, s, T_u, alpha, beta)
                per_customer = np.logaddexp(log_j1[inv_t], log_j2[inv_T])
            const = gammaln(r + xs) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
            value = float(counts @ per_customer + count_x @ const)
            return value if np.isfinite(value) else -np.inf

        return loglik

    def fit(self, summary: pd.DataFrame) -> ParetoNBD:
        """Maximum-likelihood estimates from a :func:`calibration_summary` frame.

        Parameters
        ----------
        summary : DataFrame
            Columns ``x``, ``t_x``, ``T`` (any others are ignored).

        Returns
        -------
        ParetoNBD
            ``self``, fitted.

        Raises
        ------
        ValueError
            Nobody made a repeat purchase, or nobody has been quiet since their
            last purchase (then dropout cannot be estimated).
        ConvergenceError
            A parameter ran off to 0 / ∞, or the likelihood is flat at the optimum
            (the message says which parameter and why).

        Examples
        --------
        >>> from crmlab import datasets
        >>> from crmlab.probabilistic import calibration_summary
        >>> s = calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")
        >>> m = ParetoNBD().fit(s)
        >>> {k: round(v, 3) for k, v in m.params_.items()}
        {'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}
        """
        data = _summary_arrays(summary)
        x, t_x, T = data["x"], data["t_x"], data["T"]
        _refuse_unidentified_dropout("Pareto/NBD", x, t_x, T)
        loglik = self._loglik_factory(x, t_x, T)
        total = float(len(x))

        def mean_negloglik(log_theta):
            return -loglik(np.exp(log_theta)) / total

        def negloglik(log_theta):
            return _with_gradient(mean_negloglik, log_theta)

        rate = x.sum() / max(T.sum(), 1e-9)
        start = np.log([1.0, 1.0 / max(rate, 1e-6), 1.0, float(np.mean(T))])
        log_theta, hess = _maximise(negloglik, start, self._names, "Pareto/NBD",
                                    value_only=mean_negloglik)
        theta = np.exp(log_theta)
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = loglik(theta)
        self.covariance_, se = _covariance(hess, theta, total, self._names, "Pareto/NBD")
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_customers_ = len(x)
        return self

    # predictions -----------------------------------------------------------------
    def expected_transactions(self, t: Any) -> Any:
        r"""E[X(t)]: expected repeat transactions of a new customer in ``(0, t]``.

        .. math::

            E[X(t)] = \frac{r\beta}{\alpha(s-1)}\Big[1 - \Big(\frac{\beta}{\beta+t}\Big)^{s-1}\Big]

        (``r β / α · log(1 + t/β)`` at s = 1). ``t`` a number or an array.

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
        >>> m = ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> round(m.expected_transactions(39), 3)
        1.213
        """
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        r, alpha, s, beta = self.params_.values()
        value = _finite(r * beta / alpha * _expm1_ratio(s - 1.0, np.log1p(t_arr / beta)),
                        "E[X(t)]", t=t, **self.params_)
        return float(value.ravel()[0]) if scalar else value

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""P(alive | x, t_x, T): probability that each customer is still alive at T.

        .. math::

            P = \frac{(\alpha+T)^{-(r+x)} (\beta+T)^{-s}}
                     {s\,J(r+x, s+1; t_x) + (r+x)\,J(r+x+1, s; T)}

        (module docstring for ``J``), evaluated in log space. Returns a Series named
        ``p_alive``, indexed like ``summary``.

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
        >>> m = ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> m.p_alive(pd.DataFrame({"x": [2, 2], "t_x": [30.43, 5.0], "T": [38.86] * 2})
        ...           ).round(3).tolist()
        [0.869, 0.13]
        """
        self._require_fit()
        data = _summary_arrays(summary)
        return pd.Series(self._p_alive(data["x"], data["t_x"], data["T"]),
                         index=summary.index, name="p_alive")

    def _p_alive(self, x, t_x, T):
        r, alpha, s, beta = self.params_.values()
        xs_t, tx_u, inv_t = _pairs(x, t_x)
        xs_T, T_u, inv_T = _pairs(x, T)
        log_j1 = np.log(s) + _log_j(r + xs_t, s + 1.0, tx_u, alpha, beta)
        log_j2 = np.log(r + xs_T) + _log_j(r + xs_T + 1.0, s, T_u, alpha, beta)
        log_alive = -(r + xs_T) * np.log(alpha + T_u) - s * np.log(beta + T_u)
        return np.exp(log_alive[inv_T] - np.logaddexp(log_j1[inv_t], log_j2[inv_T]))

    def conditional_expected_transactions(self, t: Any, summary: pd.DataFrame) -> pd.Series:
        r"""E[Y(t) | x, t_x, T]: expected transactions in the next ``t`` time units.

        .. math::

            E = P(\text{alive}) \cdot \frac{(r+x)(\beta+T)}{(\alpha+T)(s-1)}
                \Big[1 - \Big(\frac{\beta+T}{\beta+T+t}\Big)^{s-1}\Big]

        Returns a Series named ``expected_transactions``, indexed like ``summary``.

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
        >>> m = ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> c = pd.DataFrame({"x": [2], "t_x": [30.43], "T": [38.86]})
        >>> round(float(m.conditional_expected_transactions(39, c).iloc[0]), 3)
        1.455
        """
        self._require_fit()
        t_value = _time_value(t, "t")
        data = _summary_arrays(summary)
        x, t_x, T = data["x"], data["t_x"], data["T"]
        value = _finite(self._expected_path(np.array([t_value]), x, t_x, T)[0],
                        "E[Y(t) | x, t_x, T]", t=t, **self.params_)
        return pd.Series(value, index=summary.index, name="expected_transactions")

    def _expected_path(self, times, x, t_x, T):
        """Conditional expected transactions by each time in ``times``, shape (k, n)."""
        r, alpha, s, beta = self.params_.values()
        alive = self._p_alive(x, t_x, T)
        xs, Ts, inverse = _pairs(x, T)
        u = np.log1p(np.asarray(times, dtype=float)[:, None] / (beta + Ts))
        per_pair = (r + xs) * (beta + Ts) / (alpha + Ts) * _expm1_ratio(s - 1.0, u)
        return alive * per_pair[:, inverse]

    def pmf(self, x: Any, t: Any) -> Any:
        r"""P(X(t) = x): probability that a new customer makes ``x`` repeat purchases in ``(0, t]``.

        A customer alive all through ``(0, t]`` (probability :math:`(\beta/(\beta+t))^s`)
        buys a negative-binomial number of times; one who dies at τ < t buys a
        negative-binomial number in ``(0, τ]``:

        .. math::

            P(X(t)=x) = \text{NB}(x; t)\Big(\frac{\beta}{\beta+t}\Big)^s
              + \int_0^t \text{NB}(x; \tau)\, \frac{s\beta^s}{(\beta+\tau)^{s+1}}\, d\tau,

        :math:`\text{NB}(x;\tau) = \frac{\Gamma(r+x)}{\Gamma(r)x!}
        (\frac{\alpha}{\alpha+\tau})^r (\frac{\tau}{\alpha+\tau})^x`. The integral is
        evaluated by adaptive quadrature (``scipy.integrate.quad_vec``). ``x`` and
        ``t`` broadcast against each other.

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
        >>> m = ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
        >>> p = m.pmf(np.arange(200), 39.0)
        >>> round(float(p[0]), 3), round(float(p.sum()), 6)
        (0.594, 1.0)
        """
        from scipy.integrate import quad_vec
        from scipy.stats import nbinom

        self._require_fit()
        x_arr, t_arr = _counts_and_times(x, t)
        r, alpha, s, beta = self.params_.values()
        out = np.empty(x_arr.shape)
        for t_value in np.unique(t_arr):
            at = t_arr == t_value
            xs = x_arr[at]
            alive = nbinom.pmf(xs, r, alpha / (alpha + t_value)) * (beta / (beta + t_value)) ** s
            if t_value == 0:
                out[at] = alive
                continue

            def integrand(tau, xs=xs):
                return (nbinom.pmf(xs, r, alpha / (alpha + tau))
                        * s * beta ** s * (beta + tau) ** -(s + 1.0))

            died, _ = quad_vec(integrand, 0.0, t_value, epsabs=1e-13, epsrel=1e-10)
            out[at] = alive + died
        return float(out.ravel()[0]) if np.ndim(x) == 0 and np.ndim(t) == 0 else out
