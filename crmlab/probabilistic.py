"""Probabilistic customer-base models: BG/NBD, Gamma-Gamma and sBG.

Chapter 6 fits three models of the customer-base literature and checks them
against the values their authors published:

* **BG/NBD** (beta-geometric / negative binomial; Fader, Hardie & Lee 2005a) for
  *non-contractual* settings, where nobody tells the firm they have left: while
  alive a customer buys at Poisson rate ``λ ~ Gamma(r, α)``; after each repeat
  purchase they drop out with probability ``p ~ Beta(a, b)``. Class
  :class:`BetaGeo`.
* **Gamma-Gamma** spend model (Fader, Hardie & Lee 2005b): transaction values of
  a customer are ``Gamma(p, ν)`` with ``ν ~ Gamma(q, γ)``. Class
  :class:`GammaGamma`.
* **sBG** (shifted beta-geometric; Fader & Hardie 2007) for *contractual*
  settings, where churn is observed: each customer renews each period with
  probability ``1 - θ``, ``θ ~ Beta(α, β)``. Class :class:`ShiftedBetaGeometric`.

The input of the first two models is :func:`calibration_summary`, one row per
customer in the papers' own notation: ``x`` (repeat transactions in the
calibration period), ``t_x`` (time of the last of them, since the first
purchase), ``T`` (time from the first purchase to the end of calibration),
``monetary`` (mean value of the repeat transactions) and, with a holdout
period, ``x_star``. The words "frequency" and "recency" keep chapter 3's
textbook meaning and are not used here. :func:`clv` combines a transaction
model and a spend model into a discounted CLV per customer.

Numerics: likelihoods are evaluated in log space (``gammaln``, ``betaln``,
log-sum-exp), parameters are optimised on the log scale with analytic
gradients (L-BFGS-B), the terms that depend only on ``x`` are computed once
per distinct ``x``, and the hypergeometric function of the conditional
expectation is evaluated after Euler's transformation, so that no power of
``(α + T) / (α + t_x)`` with a large exponent is formed: ``x`` in the
thousands neither overflows nor loses precision. Standard errors come from a
numerical Hessian of the log-likelihood at the optimum.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers"
the easy way: An alternative to the Pareto/NBD model. *Marketing Science*,
24(2), 275–284.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: Using
iso-value curves for customer base analysis. *Journal of Marketing Research*,
42(4), 415–430.

Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
*Journal of Interactive Marketing*, 21(1), 76–90.

>>> from crmlab import datasets
>>> s = calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")
>>> model = BetaGeo().fit(s)
>>> {k: round(v, 3) for k, v in model.params_.items()}
{'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.rfm import _amounts

__all__ = [
    "BetaGeo",
    "ConvergenceError",
    "GammaGamma",
    "ShiftedBetaGeometric",
    "calibration_summary",
    "clv",
]

SUMMARY_COLUMNS = ("customer_id", "x", "t_x", "T", "monetary")
_UNITS = {"W": 7.0, "D": 1.0}
_LOG_BOUND = 25.0   # parameters are searched within exp(±25) ≈ [1.4e-11, 7.2e10]


class ConvergenceError(RuntimeError):
    """The optimiser did not reach a maximum of the likelihood (参数估计未收敛).

    A ``RuntimeError``: the data do not pin the parameters down, so the fit is
    refused rather than returned half-finished.

    Examples
    --------
    >>> issubclass(ConvergenceError, RuntimeError)
    True
    """


# --- 1. calibration summary --------------------------------------------------------

def calibration_summary(transactions: pd.DataFrame, *, customer: str = "customer_id",
                        date: str = "date", amount: str | None = "amount",
                        calibration_end: Any, observation_end: Any = None,
                        unit: Literal["W", "D"] = "W") -> pd.DataFrame:
    """One row per customer: ``x``, ``t_x``, ``T``, ``monetary`` (and ``x_star``).

    All rows of a customer on one calendar day form one transaction (their
    amounts are summed). Customers whose first purchase falls after
    ``calibration_end`` are left out (they are not yet customers then).

    * ``x`` — repeat transactions (days with a purchase after the first one) up to
      and including ``calibration_end``;
    * ``t_x`` — time from the first purchase to the last repeat one (0 if x = 0);
    * ``T`` — time from the first purchase to ``calibration_end``;
    * ``monetary`` — mean value of the ``x`` repeat transactions (NaN if x = 0;
      the first purchase is left out, as in Fader, Hardie & Lee 2005b);
    * ``x_star`` — transactions after ``calibration_end`` up to and including
      ``observation_end`` (only if ``observation_end`` is given).

    Times are differences of calendar days, in weeks (``unit="W"``, days / 7,
    the papers' unit) or days (``unit="D"``).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase (line), with customer, date and amount columns.
    customer, date, amount : str
        Column names. ``amount=None`` leaves ``monetary`` out.
    calibration_end : date-like
        Last day of the calibration period (inclusive).
    observation_end : date-like, optional
        Last day of the holdout period (inclusive).
    unit : {"W", "D"}
        Time unit of ``t_x`` and ``T``.

    Returns
    -------
    DataFrame
        Columns ``customer_id, x, t_x, T, monetary`` (+ ``x_star``), sorted by
        customer.

    Raises
    ------
    ValueError, TypeError
        Missing columns, unparseable dates, negative or missing amounts,
        ``observation_end`` not after ``calibration_end``, nobody bought by
        ``calibration_end``.

    References
    ----------
    Fader, Hardie & Lee (2005a), section 2 (notation ``x, t_x, T``).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 1, 2],
    ...                    "date": ["1997-01-01", "1997-01-01", "1997-01-15", "1997-02-12",
    ...                             "1997-01-08"],
    ...                    "amount": [10.0, 5.0, 20.0, 40.0, 7.0]})
    >>> calibration_summary(tx, calibration_end="1997-01-29", observation_end="1997-02-28")
       customer_id  x  t_x    T  monetary  x_star
    0            1  1  2.0  4.0      20.0       1
    1            2  0  0.0  3.0       NaN       0
    """
    columns = [customer, date] + ([amount] if amount is not None else [])
    validate.frame(transactions, "transactions", columns=columns)
    validate.choice(unit, "unit", tuple(_UNITS))
    cal = validate.timestamp(calibration_end, "calibration_end").normalize()
    cal_day = int(np.datetime64(cal.date(), "D").astype(np.int64))
    end_day = None
    if observation_end is not None:
        end = validate.timestamp(observation_end, "observation_end").normalize()
        end_day = int(np.datetime64(end.date(), "D").astype(np.int64))
        if end_day <= cal_day:
            raise ValueError(
                f"observation_end={observation_end!r} 无效:必须晚于 calibration_end "
                f"({cal.date()})。 / observation_end={observation_end!r} is invalid: "
                f"expected a date after calibration_end ({cal.date()})")
    validate.no_missing(transactions[customer], customer)
    day = validate.day_numbers(transactions[date], date)
    money = (_amounts(transactions[amount], amount) if amount is not None
             else np.zeros(len(day)))
    codes, uniques = validate.id_codes(transactions[customer], customer)

    # one transaction per (customer, day): sort by the pair, sum amounts per pair
    order = np.lexsort((day, codes))
    c, d, m = codes[order], day[order], money[order]
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    starts = np.flatnonzero(new)
    c, d, m = c[starts], d[starts], np.add.reduceat(m, starts)
    first_row = np.ones(len(c), dtype=bool)
    first_row[1:] = c[1:] != c[:-1]
    n = len(uniques)
    first_of = np.full(n, np.iinfo(np.int64).max)
    first_of[c[first_row]] = d[first_row]
    first_day = first_of[c]
    keep = first_of <= cal_day
    if not keep.any():
        raise ValueError(
            f"calibration_end={calibration_end!r} 无效:此日期之前没有任何交易(最早一笔在 "
            f"{np.datetime64(int(first_of.min()), 'D')})。 / calibration_end="
            f"{calibration_end!r} is invalid: no purchase on or before it (the first one "
            f"is on {np.datetime64(int(first_of.min()), 'D')})")
    repeat = ~first_row & (d <= cal_day)
    x = np.bincount(c[repeat], minlength=n)
    last = np.zeros(n, dtype=np.int64)
    np.maximum.at(last, c[repeat], d[repeat] - first_day[repeat])
    spent = np.bincount(c[repeat], weights=m[repeat], minlength=n)
    scale = _UNITS[unit]
    out = {
        "customer_id": uniques,
        "x": x,
        "t_x": last / scale,
        "T": (cal_day - first_of).astype(float) / scale,
        "monetary": np.divide(spent, x, out=np.full(n, np.nan), where=x > 0)
        if amount is not None else None,
    }
    if amount is None:
        del out["monetary"]
    if end_day is not None:
        holdout = (d > cal_day) & (d <= end_day)
        out["x_star"] = np.bincount(c[holdout], minlength=n)
    frame = pd.DataFrame(out)
    return frame.loc[keep].reset_index(drop=True)


# --- shared numerics ---------------------------------------------------------------

def _summary_arrays(summary: Any, name: str = "summary", *,
                    need_monetary: bool = False) -> dict[str, np.ndarray]:
    cols = ["x", "t_x", "T"] + (["monetary"] if need_monetary else [])
    validate.frame(summary, name, columns=cols)
    out = {}
    for col in ("x", "t_x", "T"):
        series = summary[col]
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
                series.dtype):
            raise TypeError(f"{name}[{col!r}] 的类型是 {series.dtype},应为数值。 / "
                            f"{name}[{col!r}] has dtype {series.dtype}: expected numbers")
        out[col] = validate.float_array(series, f"{name}[{col!r}]", nonnegative=True)
    x, t_x, T = out["x"], out["t_x"], out["T"]
    if (x != np.round(x)).any():
        i = int(np.flatnonzero(x != np.round(x))[0])
        raise ValueError(f"{name}['x'] 必须是整数(重复交易次数),第 {i} 行为 {x[i]:g}。 / "
                         f"{name}['x'] must hold whole numbers (repeat transactions); row "
                         f"{i} has {x[i]:g}")
    bad = (t_x > T * (1 + 1e-12)) | ((x == 0) & (t_x > 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} 第 {i} 行不一致:x={x[i]:g}, t_x={t_x[i]:g}, T={T[i]:g};要求 0 ≤ t_x ≤ T,"
            f"且 x = 0 时 t_x = 0。 / {name} row {i} is inconsistent (x={x[i]:g}, "
            f"t_x={t_x[i]:g}, T={T[i]:g}): expected 0 <= t_x <= T and t_x = 0 when x = 0")
    if need_monetary:
        money = summary["monetary"].to_numpy(dtype=float, na_value=np.nan)
        use = x > 0
        bad = use & ~(np.isfinite(money) & (money >= 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name}['monetary'] 在 x > 0 的第 {i} 行为 {money[i]:g},应为非负数。 / "
                f"{name}['monetary'] is {money[i]:g} at row {i} where x > 0: expected a "
                f"mean spend >= 0")
        out["monetary"] = money
    return out


def _weighted_unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and how often each occurs."""
    uniques, counts = np.unique(values, return_counts=True)
    return uniques, counts.astype(float)


def _weighted_triples(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (x, t_x, T) rows with their counts, as codes into distinct values.

    Returns ``xs, ix, ts, it, Ts, iT, counts``: row k of the result is
    ``(xs[ix[k]], ts[it[k]], Ts[iT[k]])``, seen ``counts[k]`` times. With times on a
    grid of days there are few distinct values, so logs are taken of those only.
    """
    xs, ix = _by_value(x)
    ts, it = _codes(t_x)
    Ts, iT = _codes(T)
    nt, nT = max(len(ts), 1), max(len(Ts), 1)
    if len(xs) * nt * nT < 2**62:
        key = (ix.astype(np.int64) * nt + it) * nT + iT
        keys, counts = np.unique(key, return_counts=True)
        iT, rest = keys % nT, keys // nT
        it, ix = rest % nt, rest // nt
    else:                                                # pragma: no cover (> 2^62 cells)
        order = np.lexsort((iT, it, ix))
        ix, it, iT = ix[order], it[order], iT[order]
        new = np.ones(len(ix), dtype=bool)
        new[1:] = (ix[1:] != ix[:-1]) | (it[1:] != it[:-1]) | (iT[1:] != iT[:-1])
        starts = np.flatnonzero(new)
        counts = np.diff(np.append(starts, len(ix)))
        ix, it, iT = ix[starts], it[starts], iT[starts]
    return xs, ix, ts, it, Ts, iT, counts.astype(float)


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the inverse index; O(n) when times lie on a grid of days.

    Times from ``calibration_summary`` are whole days (unit "D") or days / 7
    (unit "W"); then the codes come from a bincount instead of a sort.
    """
    if values.size:
        for scale in (1.0, 7.0):
            scaled = values * scale
            ints = np.rint(scaled)
            low = ints.min()
            if (ints.max() - low < 4 * values.size + 1024
                    and np.abs(scaled - ints).max() < 1e-9):
                offset = (ints - low).astype(np.int64)
                present = np.bincount(offset) > 0
                uniques = (np.flatnonzero(present) + low) / scale
                return uniques, (np.cumsum(present) - 1)[offset]
    return np.unique(values, return_inverse=True)


def _by_value(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the inverse index (values are small whole numbers)."""
    if values.size and values.max() < 4 * values.size + 1024:
        ints = values.astype(np.int64)
        present = np.bincount(ints) > 0
        uniques = np.flatnonzero(present)
        remap = np.cumsum(present) - 1
        return uniques.astype(float), remap[ints]
    uniques, inverse = np.unique(values, return_inverse=True)
    return uniques, inverse


def _maximise(negloglik, start: np.ndarray, names: tuple[str, ...], model: str, *,
              gtol: float = 1e-5):
    """Minimise ``negloglik(log_params) -> (value, gradient)``; raise if it fails.

    L-BFGS-B on the log scale, then Newton steps with a central-difference Hessian
    of the analytic gradient (quadratic convergence; the same Hessian gives the
    standard errors). Returns ``(log_params, hessian)``.
    """
    from scipy import optimize

    result = optimize.minimize(negloglik, start, jac=True, method="L-BFGS-B",
                               bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
                               options={"maxiter": 2000, "ftol": 1e-13, "gtol": gtol})
    theta = result.x
    if not np.isfinite(result.fun) or (np.abs(theta) > _LOG_BOUND - 1e-6).any():
        _runaway(theta, names, model)
    value, grad = negloglik(theta)
    hess = _hessian(lambda th: negloglik(th)[1], theta, grad)
    for _ in range(5):                          # Newton polish
        try:
            step = -np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.max(np.abs(step)) > 1.0:
            break
        trial = theta + step
        trial_value, trial_grad = negloglik(trial)
        if not trial_value <= value + 1e-15 * abs(value):
            break
        theta, value, grad = trial, trial_value, trial_grad
        if np.max(np.abs(step)) < 1e-7:
            break
        hess = _hessian(lambda th: negloglik(th)[1], theta, grad)
    if (np.abs(theta) > _LOG_BOUND - 1e-6).any():
        _runaway(theta, names, model)
    if not np.max(np.abs(grad)) < 1e-6:
        raise ConvergenceError(
            f"{model} 的参数估计未收敛({result.message})。 / {model}: the optimiser did "
            f"not converge ({result.message}); parameters are not reported")
    return theta, hess


def _runaway(theta: np.ndarray, names: tuple[str, ...], model: str) -> None:
    at_bound = np.abs(theta) > _LOG_BOUND - 1e-6
    which = [n for n, hit in zip(names, at_bound, strict=True) if hit] or list(names)
    raise ConvergenceError(
        f"{model} 的参数 {which} 跑到了边界(接近 0 或无穷大):数据不足以识别这个模型。 / "
        f"{model}: parameter(s) {which} ran off to 0 or infinity: the data cannot "
        f"identify this model (too few customers, or no variation in behaviour)")


def _hessian(gradient, theta: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """Forward-difference Hessian from an analytic gradient (symmetrised).

    ``at`` is the gradient at ``theta`` if already known. Step 1e-6 on the log
    scale: relative error about 1e-6, ample for Newton steps and standard errors.
    """
    k = len(theta)
    base = gradient(theta) if at is None else at
    hess = np.empty((k, k))
    for j in range(k):
        up = theta.copy()
        up[j] += 1e-6
        hess[:, j] = (gradient(up) - base) / 1e-6
    return (hess + hess.T) / 2


def _covariance(hess_log: np.ndarray, params: np.ndarray,
                total: float) -> tuple[np.ndarray, np.ndarray]:
    """Covariance and standard errors of the natural parameters.

    ``hess_log`` is the Hessian of the *mean* negative log-likelihood in log
    parameters; at the optimum cov(params) = diag(p) (total · H)^-1 diag(p).
    """
    try:
        cov_log = np.linalg.inv(hess_log * total)
    except np.linalg.LinAlgError:
        cov_log = np.full(hess_log.shape, np.nan)
    cov = cov_log * np.outer(params, params)
    diag = np.diag(cov)
    se = np.sqrt(np.where(diag > 0, diag, np.nan))
    return cov, se


def _time(value: Any, name: str) -> tuple[bool, np.ndarray]:
    scalar = np.ndim(value) == 0
    arr = validate.float_array(np.atleast_1d(value) if scalar else value, name,
                            ndim=(1, 2), nonnegative=True)
    return scalar, arr


class _Fitted:
    """Shared bits: fitted-state check and a readable repr."""

    params_: dict[str, float]
    _names: tuple[str, ...] = ()

    def _require_fit(self) -> None:
        if not getattr(self, "params_", None):
            raise ValueError(f"{type(self).__name__} 尚未拟合:请先调用 .fit(...)。 / "
                             f"{type(self).__name__} is not fitted yet: call .fit(...) first")

    def __repr__(self) -> str:
        if not getattr(self, "params_", None):
            return f"{type(self).__name__}()"
        inner = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({inner})"

    @classmethod
    def from_params(cls, **params: float):
        """Build a model with given parameters instead of fitted ones (e.g. published values).

        ``standard_errors_`` are NaN and ``log_likelihood_`` is not set.

        >>> BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
        """
        if set(params) != set(cls._names):
            raise ValueError(f"{cls.__name__}.from_params 需要参数 {list(cls._names)},收到 "
                             f"{list(params)}。 / {cls.__name__}.from_params expects "
                             f"{list(cls._names)}, got {list(params)}")
        model = cls()
        model.params_ = {k: validate.number(params[k], k, minimum=0.0, min_inclusive=False)
                         for k in cls._names}
        model.standard_errors_ = dict.fromkeys(cls._names, math.nan)
        return model

    def summary_table(self) -> pd.DataFrame:
        """Parameters with standard errors, one row each (``parameter, estimate, se``)."""
        self._require_fit()
        return pd.DataFrame({"parameter": list(self.params_),
                             "estimate": list(self.params_.values()),
                             "se": list(self.standard_errors_.values())})


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

    Attributes (after ``fit``)
    --------------------------
    params_ : dict  ``r, alpha, a, b``
    standard_errors_ : dict  same keys, from the Hessian
    covariance_ : ndarray  4 × 4
    log_likelihood_ : float  total log-likelihood at the optimum
    n_customers_ : int

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

    def __init__(self) -> None:
        self.params_: dict[str, float] = {}

    # likelihood ------------------------------------------------------------------
    @staticmethod
    def _negloglik_factory(x, t_x, T):
        """Mean negative log-likelihood and its gradient in log parameters.

        Customers with the same ``(x, t_x, T)`` share one term (weights); those
        with ``x = 0`` only depend on ``T``.
        """
        from scipy.special import betaln, gammaln, psi

        total = float(len(x))
        buyer = x > 0
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
            c_x = gammaln(r + xs) - gammaln(r) + betaln(a, b + xs) - betaln(a, b)
            d_r = psi(r + xs) - psi(r)
            d_a = psi(a + b) - psi(a + b + xs)
            d_b = psi(b + xs) - psi(a + b + xs) - psi(b) + psi(a + b)
            log_a_bxm1 = np.log(a) - np.log(b + xs - 1)
            inv_bxm1 = 1.0 / (b + xs - 1)
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
        """
        data = _summary_arrays(summary)
        x, t_x, T = data["x"], data["t_x"], data["T"]
        if not (x > 0).any():
            raise ValueError(
                "summary 中没有任何重复购买(x 全为 0):无法估计 BG/NBD 的参数。 / summary has no "
                "repeat purchase (x is 0 for everyone): BG/NBD cannot be estimated")
        if (x > 0).all() and np.ptp(x) == 0:
            raise ValueError(
                "summary 中每位客户的 x 都相同:数据不足以识别 BG/NBD。 / every customer has the "
                "same x: the data cannot identify BG/NBD")
        rate = x.sum() / max(T.sum(), 1e-9)
        start = np.log([1.0, 1.0 / max(rate, 1e-6), 1.0, 1.0])
        negloglik, total = self._negloglik_factory(x, t_x, T)
        log_theta, hess = _maximise(negloglik, start, self._names, "BG/NBD")
        theta = np.exp(log_theta)
        for i, j, what in ((0, 1, "购买率 purchase rate"), (2, 3, "流失概率 dropout probability")):
            if min(theta[i], theta[j]) > 1e3:
                raise ConvergenceError(
                    f"BG/NBD 的 {self._names[i]}、{self._names[j]} 都趋于无穷大:数据看不出客户之间"
                    f"{what.split()[0]}的差异,模型无法识别(客户太少?)。 / BG/NBD: "
                    f"{self._names[i]} and {self._names[j]} run off to infinity: the data show "
                    f"no heterogeneity in the {what.split(' ', 1)[1]}, so the model is not "
                    f"identified (too few customers?)")
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-negloglik(log_theta)[0] * total)
        self.covariance_, se = _covariance(hess, theta, total)
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
        """
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        p = self.params_
        value = _bg_expectation(t_arr, p["alpha"], 0.0, p)
        return float(value[0]) if scalar else value

    def p_alive(self, summary: pd.DataFrame) -> pd.Series:
        r"""P(alive | x, t_x, T): probability that each customer is still active.

        .. math::

            P = 1 \Big/ \Big[1 + \delta_{x>0} \frac{a}{b+x-1}
                \Big(\frac{\alpha+T}{\alpha+t_x}\Big)^{r+x}\Big]

        computed as a logistic function of the log of the second term (no
        overflow for large ``x``). Returns a Series named ``p_alive``, indexed
        like ``summary``.
        """
        self._require_fit()
        data = _summary_arrays(summary)
        return pd.Series(self._p_alive(data["x"], data["t_x"], data["T"]),
                         index=summary.index, name="p_alive")

    def _p_alive(self, x, t_x, T):
        from scipy.special import expit

        p = self.params_
        buyer = x > 0
        with np.errstate(divide="ignore"):
            log_odds = np.where(
                buyer,
                np.log(p["a"]) - np.log(p["b"] + np.where(buyer, x - 1, 0.0))
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
        """
        self._require_fit()
        t_value = validate.number(t, "t", minimum=0.0)
        data = _summary_arrays(summary)
        value = self._conditional(t_value, data["x"], data["t_x"], data["T"])
        return pd.Series(value, index=summary.index, name="expected_transactions")

    def _conditional(self, t, x, t_x, T, alive=None):
        p = self.params_
        alive = self._p_alive(x, t_x, T) if alive is None else alive
        key_x, key_T, inverse = _pairs(x, T)
        bracket = _bg_expectation(np.array([t]), p["alpha"] + key_T, key_x, p)
        return alive * bracket[inverse]


def _pairs(x: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (x, T) pairs and the inverse index (fast when times are on a grid)."""
    xs, x_code = _by_value(x)
    Ts, T_code = _codes(T)
    key = x_code.astype(np.int64) * len(Ts) + T_code
    if len(xs) * len(Ts) <= 4 * len(x) + 1024:
        present = np.bincount(key, minlength=len(xs) * len(Ts)) > 0
        keys = np.flatnonzero(present)
        inverse = (np.cumsum(present) - 1)[key]
    else:
        keys, inverse = np.unique(key, return_inverse=True)
    return xs[keys // len(Ts)], Ts[keys % len(Ts)], inverse


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
    >>> s = pd.DataFrame({"x": [1, 2, 3, 1, 4, 2, 0], "monetary": [20, 35, 15, 60, 25, 40, None],
    ...                   "t_x": [5.0, 9, 20, 3, 30, 12, 0], "T": [30.0] * 7})
    >>> m = GammaGamma().fit(s)
    >>> bool((m.expected_spend(s).dropna() > 0).all())
    True
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
        """
        data = _summary_arrays(summary, need_monetary=True)
        use = data["x"] > 0
        x, z = data["x"][use], data["monetary"][use]
        if (z == 0).any():
            zero = int((z == 0).sum())
            raise ValueError(
                f"有 {zero} 位重复购买客户的平均消费为 0(例如赠品订单):Gamma 分布要求金额为正。请先"
                f"筛选,例如 summary[summary['monetary'] != 0]。 / {zero} repeat buyer(s) have "
                f"a mean spend of 0 (e.g. free items): the gamma model needs positive values; "
                f"filter them first, e.g. summary[summary['monetary'] != 0]")
        if use.sum() < 2 or np.ptp(z) == 0:
            raise ValueError(
                "Gamma-Gamma 需要至少两位有重复购买(x > 0)且平均消费不同的客户。 / Gamma-Gamma "
                "needs at least two repeat buyers (x > 0) with different mean spend")
        negloglik, loglik = self._factory(x, z)
        # start: p = 2, q = 3 and gamma such that the mean p gamma / (q - 1) is the data's
        mean = np.average(z, weights=x)
        start = np.log([2.0, 3.0, mean])
        log_theta, hess = _maximise(negloglik, start, self._names, "Gamma-Gamma")
        theta = np.exp(log_theta)
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = loglik(theta)
        self.covariance_, se = _covariance(hess, theta, len(x))
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_customers_ = int(use.sum())
        return self

    def population_mean(self) -> float:
        """Mean transaction value across customers, ``p γ / (q - 1)`` (needs q > 1)."""
        self._require_fit()
        p, q, g = self.params_.values()
        return float(p * g / (q - 1)) if q > 1 else math.inf

    def expected_spend(self, summary: pd.DataFrame) -> pd.Series:
        r"""E[M | monetary, x]: expected value of each customer's future transactions.

        Customers with ``x = 0`` get the population mean :math:`p\gamma/(q-1)`.
        Returns a Series named ``expected_spend``, indexed like ``summary``.
        """
        self._require_fit()
        data = _summary_arrays(summary, need_monetary=True)
        return pd.Series(self._spend(data["x"], data["monetary"]), index=summary.index,
                         name="expected_spend")

    def _spend(self, x, z):
        p, q, g = self.params_.values()
        if q <= 1:
            raise ValueError(f"Gamma-Gamma 的 q={q:.4g} ≤ 1:平均消费无穷大,无法给出期望消费。 / "
                             f"Gamma-Gamma q={q:.4g} <= 1: mean spend is infinite")
        zz = np.where(x > 0, z, 0.0)
        return p * (g + x * zz) / (p * x + q - 1)


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
        """
        from scipy.special import betaln, psi

        n = validate.float_array(alive, "alive", nonnegative=True)
        if len(n) < 3:
            raise ValueError(f"alive 只有 {len(n)} 个数:至少需要期初人数和两期的留存人数。 / "
                             f"alive has {len(n)} value(s): expected the cohort size and at "
                             f"least two later counts")
        if n[0] <= 0 or (np.diff(n) > 0).any():
            i = int(np.flatnonzero(np.diff(n) > 0)[0]) + 1 if n[0] > 0 else 0
            raise ValueError(
                f"alive 必须是从正数开始、不增加的人数序列(第 {i} 个值为 {n[i]:g})。可能把流失人数"
                f"或留存率当成了在册人数? / alive must be non-increasing counts starting "
                f"above 0 (value {i} is {n[i]:g}); did you pass churned counts or rates?")
        lost = -np.diff(n)
        end = n[-1]
        if lost.sum() == 0 or end == 0 and lost[1:].sum() == 0:
            raise ValueError("alive 中没有流失,或所有人在第一期就全部流失:无法估计 sBG。 / "
                             "alive shows no churn, or everybody churns in period 1: sBG "
                             "cannot be estimated")
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
                f"{churn:.3f} 一致),请用第 2 章的固定留存率模型,或补充更多期数据。 / sBG: alpha "
                f"and beta run off to infinity: these data show no heterogeneity in churn "
                f"(they fit a constant churn rate of {churn:.3f}); use chapter 2's "
                f"constant-retention model or more periods")
        self.params_ = dict(zip(self._names, map(float, theta), strict=True))
        self.log_likelihood_ = float(-negloglik(log_theta)[0] * total)
        self.covariance_, se = _covariance(hess, theta, total)
        self.standard_errors_ = dict(zip(self._names, map(float, se), strict=True))
        self.n_periods_ = k
        return self

    def survival(self, t: Any) -> Any:
        """S(t): share of the cohort still active after ``t`` periods (S(0) = 1)."""
        from scipy.special import betaln

        self._require_fit()
        scalar, t_arr = _time(t, "t")
        a, b = self.params_["alpha"], self.params_["beta"]
        value = np.exp(betaln(a, b + t_arr) - betaln(a, b))
        return float(value[0]) if scalar else value

    def retention(self, t: Any) -> Any:
        """r_t = S(t) / S(t-1) = (β + t − 1) / (α + β + t − 1), for t ≥ 1."""
        self._require_fit()
        scalar, t_arr = _time(t, "t")
        if (t_arr < 1).any():
            raise ValueError("t 必须 ≥ 1(第 1 期起才有留存率)。 / t must be >= 1 (retention "
                             "is defined from period 1 on)")
        a, b = self.params_["alpha"], self.params_["beta"]
        value = (b + t_arr - 1) / (a + b + t_arr - 1)
        return float(value[0]) if scalar else value

    def expected_clv(self, margin: Any, rate: Any, *, horizon: int | None = None) -> float:
        r"""Return the expected CLV of a new customer: :math:`m \sum_{t\ge1} S(t) / (1+i)^t`.

        Same timing as chapter 2's ``clv.retention_clv`` (the margin of period t
        arrives at its end if the customer is still active), with the sBG survival
        curve in place of :math:`r^t`. Infinite horizon: :math:`m\,[{}_2F_1(1, \beta;
        \alpha+\beta; 1/(1+i)) - 1]` (Fader & Hardie 2010).
        """
        from scipy.special import hyp2f1

        self._require_fit()
        m = validate.number(margin, "margin")
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
        return float(m * np.sum(self.survival(t) / (1 + i) ** t))


# --- 5. CLV ------------------------------------------------------------------------

def clv(transactions_model: BetaGeo, spend_model: GammaGamma, summary: pd.DataFrame, *,
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
    transactions_model : BetaGeo
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

    References
    ----------
    Fader, Hardie & Lee (2005b); the discrete-period sum follows the usual
    implementation (e.g. ``lifetimes``' ``customer_lifetime_value``).

    Raises
    ------
    TypeError
        If the models are not a ``BetaGeo`` and a ``GammaGamma``.
    ValueError
        If a model is not fitted, ``horizon``, ``rate``, ``margin`` or ``period``
        is invalid (e.g. a margin of 30 meant as 30 %), or ``summary`` lacks columns.

    Examples
    --------
    >>> from crmlab.synthetic.buyers import bgnbd_summary
    >>> s = bgnbd_summary(1000, T="cohort", seed=0)
    >>> value = clv(BetaGeo().fit(s), GammaGamma().fit(s), s, horizon=12, rate=0.01,
    ...             margin=0.3, period=52 / 12)
    >>> bool((value > 0).all())
    True
    """
    if not isinstance(transactions_model, BetaGeo):
        raise TypeError(f"transactions_model 是 {type(transactions_model).__name__},应为已拟合的 "
                        f"BetaGeo。 / transactions_model is a "
                        f"{type(transactions_model).__name__}: expected a fitted BetaGeo")
    if not isinstance(spend_model, GammaGamma):
        raise TypeError(f"spend_model 是 {type(spend_model).__name__},应为已拟合的 GammaGamma。 / "
                        f"spend_model is a {type(spend_model).__name__}: expected a fitted "
                        f"GammaGamma")
    transactions_model._require_fit()
    spend_model._require_fit()
    h = validate.integer(horizon, "horizon", minimum=1)
    i = validate.rate(rate, "rate")
    m = validate.number(margin, "margin", minimum=0.0)
    if m > 1:
        raise ValueError(f"margin={margin!r} 无效:应为 [0, 1] 之间的利润率;是否想写 {m / 100:g}? / "
                         f"margin={margin!r} is invalid: expected a share in [0, 1]; did you "
                         f"mean {m / 100:g}?")
    step = validate.number(period, "period", minimum=0.0, min_inclusive=False)
    data = _summary_arrays(summary, need_monetary=True)
    x, t_x, T = data["x"], data["t_x"], data["T"]
    spend = spend_model._spend(x, data["monetary"])
    bg = transactions_model
    alive = bg._p_alive(x, t_x, T)
    key_x, key_T, inverse = _pairs(x, T)
    times = (np.arange(0, h + 1, dtype=float) * step)[:, None]
    cumulative = _bg_expectation(times, bg.params_["alpha"] + key_T, key_x, bg.params_)
    discount = (1.0 + i) ** -np.arange(1, h + 1, dtype=float)
    per_pair = discount @ np.diff(cumulative, axis=0)
    value = m * spend * alive * per_pair[inverse]
    return pd.Series(value, index=summary.index, name="clv")
