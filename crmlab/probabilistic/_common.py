"""Shared pieces of the customer-base models: input checks, optimiser, fitted state.

Every model module builds a mean negative log-likelihood (with its gradient in log
parameters) and hands it to :func:`_maximise`; :func:`_finish` then refuses what the
data cannot identify (estimates at the boundary, a Hessian that is not positive
definite, standard errors that are NaN or span orders of magnitude) with a
:class:`ConvergenceError` that says why, instead of returning a silent fit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate

_LOG_BOUND = 25.0   # parameters are searched within exp(±25) ≈ [1.4e-11, 7.2e10]

class ConvergenceError(validate.BilingualError, RuntimeError):
    """The data do not identify the model, or the optimiser did not reach a maximum (参数无法估计).

    A ``RuntimeError`` (with ``.zh`` and ``.en``, see
    :class:`crmlab._validation.BilingualError`) whose message says why: an estimate
    ran off to 0 or infinity, the likelihood is flat around the optimum (Hessian
    not positive definite, NaN or enormous standard errors), or the optimiser
    stopped away from a maximum. The fit is refused rather than returned.

    Parameters
    ----------
    zh, en : str
        The Chinese and the English sentence, as for ``BilingualError``.
    hint : tuple of str, optional
        A likely cause, (中文, English).

    Examples
    --------
    >>> issubclass(ConvergenceError, RuntimeError)
    True
    """


def _summary_arrays(summary: Any, name: str = "summary", *,
                    need_monetary: bool = False) -> dict[str, np.ndarray]:
    cols = ["x", "t_x", "T"] + (["monetary"] if need_monetary else [])
    validate.frame(summary, name, columns=cols)
    out = {}
    for col in ("x", "t_x", "T"):
        series = summary[col]
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
                series.dtype):
            raise validate.BilingualTypeError(
                f"{name}[{col!r}] 的类型是 {series.dtype}：应为数值",
                f"{name}[{col!r}] has dtype {series.dtype}: expected numbers")
        # counts and times beyond T_MAX periods overflow the likelihoods (NaN p_alive)
        out[col] = validate.float_array(series, f"{name}[{col!r}]", nonnegative=True,
                                        maximum_abs=T_MAX)
    x, t_x, T = out["x"], out["t_x"], out["T"]
    if (x != np.round(x)).any():
        i = int(np.flatnonzero(x != np.round(x))[0])
        raise validate.BilingualValueError(
            f"{name}['x'] 在第 {i} 行为 {validate.show(x[i])}：应为整数（重复交易次数）",
            f"{name}['x'] is {validate.show(x[i])} at row {i}: expected whole numbers "
            f"(repeat transactions)")
    bad = (t_x > T * (1 + 1e-12)) | ((x == 0) & (t_x > 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise validate.BilingualValueError(
            f"{name} 第 {i} 行不一致（x={x[i]:g}, t_x={t_x[i]:g}, T={T[i]:g}）：应满足 "
            f"0 ≤ t_x ≤ T，且 x = 0 时 t_x = 0",
            f"{name} row {i} is inconsistent (x={x[i]:g}, t_x={t_x[i]:g}, T={T[i]:g}): "
            f"expected 0 <= t_x <= T and t_x = 0 when x = 0")
    if need_monetary:
        money = summary["monetary"].to_numpy(dtype=float, na_value=np.nan)
        use = x > 0
        bad = use & ~(np.isfinite(money) & (money >= 0) & (money <= MONEY_MAX))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise validate.BilingualValueError(
                f"{name}['monetary'] 在 x > 0 的第 {i} 行为 {validate.show(money[i])}："
                f"应为 0 到 {MONEY_MAX:g} 之间的平均消费",
                f"{name}['monetary'] is {validate.show(money[i])} at row {i} where x > 0: "
                f"expected a mean spend from 0 to {MONEY_MAX:g}")
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
              gtol: float = 1e-5, value_only=None):
    """Minimise ``negloglik(log_params) -> (value, gradient)``; raise if it fails.

    L-BFGS-B on the log scale, then Newton steps with a finite-difference Hessian
    (of the analytic gradient, or of ``value_only`` when the gradient is itself
    numerical); the same Hessian gives the standard errors. Returns
    ``(log_params, hessian)``.
    """
    from scipy import optimize

    if value_only is not None:      # numerical gradient: forward differences while far away
        def search(th):
            return _with_gradient(value_only, th, central=False)
    else:
        search = negloglik
    result = optimize.minimize(search, start, jac=True, method="L-BFGS-B",
                               bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
                               options={"maxiter": 2000, "ftol": 1e-13, "gtol": gtol})
    theta = result.x
    if not np.isfinite(result.fun) or (np.abs(theta) > _LOG_BOUND - 1e-6).any():
        _runaway(theta, names, model)

    def hessian_at(th, at):
        if value_only is not None:
            return _value_hessian(value_only, th)
        return _hessian(lambda point: negloglik(point)[1], th, at)

    theta, grad, hess = _newton_polish(negloglik, hessian_at, theta,
                                       fixed_hessian=value_only is not None)
    if (np.abs(theta) > _LOG_BOUND - 1e-6).any():
        _runaway(theta, names, model)
    if not np.max(np.abs(grad)) < 1e-6:
        shown = ", ".join(f"{n} = {v:.4g}" for n, v in zip(names, np.exp(theta), strict=True))
        largest = f"{np.max(np.abs(grad)):.2g}"
        raise ConvergenceError(
            f"{model} 的参数估计未收敛：优化器停在 {shown}，但那里对数似然的梯度仍不为零（最大分量 "
            f"{largest}），不是最大值点；通常是似然在某个方向上几乎是平的，数据不足以确定参数",
            f"{model}: the optimiser did not converge: it stopped at {shown} where the "
            f"gradient of the log-likelihood is not zero (largest component {largest}), so "
            f"this is not a maximum; usually the likelihood is nearly flat in some direction "
            f"and the data do not pin the parameters down (optimiser: {result.message})")
    return theta, hess


def _newton_polish(negloglik, hessian_at, theta: np.ndarray, *, fixed_hessian: bool = False):
    """Up to five Newton steps from ``theta``; returns ``(theta, gradient, hessian)``.

    ``fixed_hessian``: keep the first Hessian (costly when it comes from function
    values); near the optimum the steps still converge fast, and the Hessian for
    the standard errors is recomputed if the point moved noticeably.
    """
    start = theta.copy()
    value, grad = negloglik(theta)
    hess = hessian_at(theta, grad)
    for _ in range(5):
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
        if not fixed_hessian:
            hess = hessian_at(theta, grad)
    if fixed_hessian and np.max(np.abs(theta - start)) > 1e-3:
        hess = hessian_at(theta, grad)
    return theta, grad, hess


def _runaway(theta: np.ndarray, names: tuple[str, ...], model: str) -> None:
    at_bound = np.abs(theta) > _LOG_BOUND - 1e-6
    which = [n for n, hit in zip(names, at_bound, strict=True) if hit] or list(names)
    raise ConvergenceError(
        f"{model} 的参数 {which} 跑到了边界(接近 0 或无穷大):数据不足以识别这个模型",
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


def _value_hessian(function, theta: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """Central second differences of a scalar function (for models without analytic gradients).

    A Hessian from differences of a *numerical* gradient would divide its rounding
    error by the step again; differencing values with a step of 1e-3 on the log
    scale keeps the error near 1e-6 relative (checked against a step of 1e-4).
    """
    k = len(theta)
    hess = np.empty((k, k))
    eye = np.eye(k) * step
    centre = function(theta)
    for i in range(k):
        hess[i, i] = (function(theta + eye[i]) - 2 * centre + function(theta - eye[i])) / step**2
        for j in range(i + 1, k):
            value = (function(theta + eye[i] + eye[j]) - function(theta + eye[i] - eye[j])
                     - function(theta - eye[i] + eye[j]) + function(theta - eye[i] - eye[j]))
            hess[i, j] = hess[j, i] = value / (4 * step * step)
    return hess


_MAX_LOG_SE = 3.0   # SE(θ)/θ above this: the 95 % interval spans a factor > 360 either way


def _covariance(hess_log: np.ndarray, params: np.ndarray, total: float,
                names: tuple[str, ...] = (), model: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Covariance and standard errors of the natural parameters; refuse a flat likelihood.

    ``hess_log`` is the Hessian of the *mean* negative log-likelihood in log
    parameters; at the optimum cov(params) = diag(p) (total · H)^-1 diag(p). With
    ``model`` given, a Hessian that is not positive definite, or a standard error
    that is NaN or larger than ``_MAX_LOG_SE`` times its estimate, raises
    :class:`ConvergenceError`: the data do not pin that parameter down.
    """
    try:
        np.linalg.cholesky(hess_log * total)
        cov_log = np.linalg.inv(hess_log * total)
    except np.linalg.LinAlgError:
        cov_log = np.full(hess_log.shape, np.nan)
    cov = cov_log * np.outer(params, params)
    diag = np.diag(cov)
    se = np.sqrt(np.where(diag > 0, diag, np.nan))
    if model:
        _check_identified(model, names, params, se)
    return cov, se


def _check_identified(model: str, names: tuple[str, ...], params: np.ndarray,
                      se: np.ndarray) -> None:
    relative = se / params
    flat = ~np.isfinite(relative) | (relative > _MAX_LOG_SE)
    if not flat.any():
        return
    shown = ", ".join(f"{n} = {v:.4g} (SE {e:.3g})" for n, v, e, bad
                      in zip(names, params, se, flat, strict=True) if bad)
    if not np.isfinite(relative).all():
        why_zh = "对数似然在最优点附近是平的（海森矩阵不正定，标准误无法计算）"
        why_en = ("the log-likelihood is flat at the optimum (the Hessian is not positive "
                  "definite, so standard errors cannot be computed)")
    else:
        why_zh = f"标准误超过估计值的 {_MAX_LOG_SE:g} 倍，数据几乎不约束这些参数"
        why_en = (f"the standard error exceeds {_MAX_LOG_SE:g} times the estimate, so the "
                  f"data barely constrain them")
    cause_zh, cause_en = _CAUSES.get(model, _CAUSES["dropout"])
    raise ConvergenceError(
        f"{model} 无法从这些数据中识别参数 {shown}：{why_zh}。常见原因：{cause_zh}", f"{model}: "
        f"the data cannot identify {shown}: {why_en}. Usual causes: {cause_en}")


_CAUSES = {
    "dropout": ("客户太少、几乎所有客户行为相同，或缺少能说明流失的信息（例如没有人长期沉寂）",
                "too few customers, nearly identical behaviour, or no information about "
                "dropout (e.g. nobody has been quiet for long)"),
    "Gamma-Gamma": ("重复购买的客户太少，或他们的平均消费几乎没有差异（看不出客户之间的差异）",
                    "too few repeat buyers, or nearly the same mean spend for all of them "
                    "(no visible heterogeneity)"),
    "sBG": ("期数太少，或各期的保留率几乎不变（看不出客户之间流失率的差异）",
            "too few periods, or a nearly constant retention rate (no visible heterogeneity "
            "in churn)"),
}


#: The longest time a prediction accepts, in periods (weeks or days): far beyond any
#: customer's lifetime; longer times overflow the special functions to inf/NaN.
T_MAX = 1e6
#: the largest mean spend a summary may hold (larger ones overflow the CLV sums)
MONEY_MAX = 1e12


def _time(value: Any, name: str) -> tuple[bool, np.ndarray]:
    scalar = np.ndim(value) == 0
    arr = validate.float_array(np.atleast_1d(value) if scalar else value, name,
                               ndim=(1, 2), nonnegative=True)
    if (arr > T_MAX).any():
        raise validate.BilingualValueError(
            f"{name}={validate.show(value)} 太大：应为 0 到 {T_MAX:g} 期之间的时间"
            f"（更长的时间会让结果溢出）",
            f"{name}={validate.show(value)} is too large: expected a time from 0 to "
            f"{T_MAX:g} periods (longer ones overflow)")
    return scalar, arr


def _time_value(value: Any, name: str) -> float:
    """One time, 0 to ``T_MAX`` periods."""
    return validate.number(value, name, minimum=0.0, maximum=T_MAX)


def _finite(values: Any, what: str, **given: Any) -> Any:
    """Return ``values`` if every one is finite, else refuse naming the arguments as typed."""
    if np.isfinite(np.asarray(values, dtype=float)).all():
        return values
    shown = ", ".join(f"{k}={validate.show(v)}" for k, v in given.items())
    raise validate.BilingualValueError(
        f"{shown}：{what} 超出浮点数范围（溢出或无定义），无法给出有限的结果；请检查参数与单位",
        f"{shown}: {what} overflows floating point (or is undefined), no finite result; "
        f"check the parameters and units")


class _Fitted:
    """Shared bits: fitted-state check and a readable repr."""

    params_: dict[str, float]
    _names: tuple[str, ...] = ()

    def _require_fit(self) -> None:
        if not getattr(self, "params_", None):
            raise validate.BilingualValueError(
                f"{type(self).__name__} 尚未拟合：请先调用 .fit(...)",
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

        Parameters
        ----------
        **params : float
            One positive value for each of the model's parameters, by name (all of
            them, e.g. ``r``, ``alpha``, ``a`` and ``b`` for ``BetaGeo``).

        Examples
        --------
        >>> from crmlab.probabilistic import BetaGeo
        >>> BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        BetaGeo(r=0.243, alpha=4.414, a=0.793, b=2.426)
        """
        if set(params) != set(cls._names):
            raise validate.BilingualValueError(
                f"{cls.__name__}.from_params 的参数 {list(params)} 无效：应为 "
                f"{list(cls._names)}",
                f"{cls.__name__}.from_params expects {list(cls._names)}, got "
                f"{list(params)}")
        model = cls()
        model.params_ = {k: validate.number(params[k], k, minimum=0.0, min_inclusive=False)
                         for k in cls._names}
        model.standard_errors_ = dict.fromkeys(cls._names, math.nan)
        return model

    def summary_table(self) -> pd.DataFrame:
        """Return the estimates with standard errors, one row each (``parameter, estimate, se``).

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter``, ``estimate`` and ``se``.

        Examples
        --------
        >>> from crmlab.probabilistic import BetaGeo
        >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
        >>> m.summary_table()["estimate"].tolist()
        [0.243, 4.414, 0.793, 2.426]
        """
        self._require_fit()
        return pd.DataFrame({"parameter": list(self.params_),
                             "estimate": list(self.params_.values()),
                             "se": list(self.standard_errors_.values())})


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


def _counts_and_times(x: Any, t: Any) -> tuple[np.ndarray, np.ndarray]:
    """Broadcast whole numbers ``x`` >= 0 against times ``t`` >= 0 (shared by the pmfs)."""
    x_arr = validate.float_array(np.atleast_1d(x), "x", ndim=(1, 2), nonnegative=True)
    if (x_arr != np.round(x_arr)).any():
        shown = np.asarray(x).tolist()
        raise validate.BilingualValueError(
            f"x={validate.show(shown)} 无效：应为非负整数（交易次数）",
            f"x={validate.show(shown)} is invalid: expected whole numbers >= 0 "
            f"(transactions)")
    _, t_arr = _time(t, "t")
    x_b, t_b = np.broadcast_arrays(x_arr, t_arr)
    return x_b.astype(float), t_b.astype(float)


def _with_gradient(function, theta: np.ndarray, step: float = 1e-6, *, central: bool = True):
    """Value and finite-difference gradient of a smooth scalar function.

    Central differences (error ~1e-10) for the final Newton steps; forward ones
    (half the evaluations, error ~1e-8) suffice for the line search far from the optimum.
    """
    value = function(theta)
    grad = np.empty(len(theta))
    for j in range(len(theta)):
        up = theta.copy()
        if central:
            up[j] += step
            down = theta.copy()
            down[j] -= step
            grad[j] = (function(up) - function(down)) / (2 * step)
        else:
            up[j] += 1e-7
            grad[j] = (function(up) - value) / 1e-7
    return value, grad


def _refuse_unidentified_dropout(model: str, x: np.ndarray, t_x: np.ndarray,
                                 T: np.ndarray) -> None:
    """Refuse data without repeat purchases, or where nobody has gone quiet.

    Dropout is only visible as silence after a purchase: if every repeat buyer
    bought at the very end of their observation (``t_x = T``), the likelihood keeps
    rising as the dropout probability goes to 0 and no estimate exists.
    """
    if not (x > 0).any():
        raise validate.BilingualValueError(
            f"summary 中 x 全为 0，没有任何重复购买：无法估计 {model} 的购买率与流失",
            f"summary['x'] is 0 for everyone: no repeat purchase, {model} cannot be "
            f"estimated")
    if not ((x > 0) & (T - t_x > 1e-12)).any():
        raise validate.BilingualValueError(
            f"summary 中没有客户沉寂：每位有重复购买的客户都在观察期的最后一刻（t_x = T）"
            f"还在购买，数据里看不到任何“不再来”的迹象，无法估计 {model} 的流失概率",
            f"in summary nobody has gone quiet: every repeat buyer bought at the very end of "
            f"their observation (t_x = T), so the data show no sign of dropout and {model} "
            f"cannot estimate it")
