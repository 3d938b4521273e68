"""Simulated customer bases from the BG/NBD and Gamma-Gamma models (chapter 6).

:func:`bgnbd_summary` draws customers straight in the summary notation of
:func:`crmlab.probabilistic.calibration_summary` (``x``, ``t_x``, ``T``,
``monetary`` and, with a holdout, ``x_star``), exactly as the models assume, so
that a fit can be checked against the parameters that generated the data
(parameter recovery) and the benchmark can run on a million customers. It writes
no file (the data are a function of the parameters and the seed).

Fully vectorised: with ``N ~ Poisson(λT)`` purchase opportunities in ``(0, T]``
and ``J ~ Geometric(p)`` the repeat purchase after which the customer drops out,
``x = min(N, J)``; given ``N = n``, the purchase times are ``n`` sorted uniforms
on ``(0, T]``, so ``t_x = T · Beta(x, n − x + 1)``. Holdout purchases are
``min(Poisson(λ t*), J − x)`` for customers still alive at ``T`` (the Poisson
process is memoryless). Spend: ``ν ~ Gamma(q, γ)`` per customer and the mean of
``x`` transaction values ``Gamma(p, ν)`` is ``Gamma(p x, ν x)``.

>>> s = bgnbd_summary(5, seed=1)
>>> list(s.columns)
['customer_id', 'x', 't_x', 'T', 'monetary']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["CDNOW_PARAMS", "bgnbd_summary"]

#: the published CDNOW estimates (Fader, Hardie & Lee 2005a, 2005b), a handy default
CDNOW_PARAMS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426,
                "p": 6.25, "q": 3.74, "gamma": 15.44}

#: bounds of the simulation's inputs: beyond them a typing slip (and slow or overflowing)
MAX_CUSTOMERS, MAX_PARAMETER, MAX_WEEKS = 10_000_000, 1e6, 5_200


def bgnbd_summary(n: int, *, r: float = 0.243, alpha: float = 4.414, a: float = 0.793,
                  b: float = 2.426, p: float = 6.25, q: float = 3.74, gamma: float = 15.44,
                  T: Any = 39.0, holdout: float | None = None, days: bool = False,
                  seed: int = 0) -> pd.DataFrame:
    """Simulate ``n`` customers of a BG/NBD × Gamma-Gamma world.

    Parameters
    ----------
    n : int
        Number of customers.
    r, alpha, a, b : float
        BG/NBD parameters (defaults: the published CDNOW values).
    p, q, gamma : float
        Gamma-Gamma parameters of the transaction values.
    T : float or array or "cohort"
        Length of each customer's calibration period. ``"cohort"`` draws first
        purchases uniformly over the first 12 weeks of a 39-week period (like
        CDNOW's first-quarter cohort).
    holdout : float, optional
        Length of a holdout period; adds ``x_star``.
    days : bool
        Record times on a grid of whole days (weeks = days / 7), as
        ``calibration_summary`` does with real dates.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    DataFrame
        ``customer_id, x, t_x, T, monetary`` (+ ``x_star``).

    Raises
    ------
    TypeError, ValueError
        ``n`` not a whole number in [0, 10^7]; a parameter not a positive number up to
        10^6; ``T``/``holdout`` not positive lengths of at most 5,200 weeks;
        ``days`` not a bool; ``seed`` not a non-negative whole number.

    Examples
    --------
    >>> summary = bgnbd_summary(3, holdout=10, seed=1)
    >>> list(summary.columns), summary["T"].tolist()
    (['customer_id', 'x', 't_x', 'T', 'monetary', 'x_star'], [39.0, 39.0, 39.0])
    """
    n = validate.integer(n, "n", minimum=0, maximum=MAX_CUSTOMERS, label="顾客数")
    shapes = {key: validate.number(value, key, minimum=0, maximum=MAX_PARAMETER,
                                   min_inclusive=False)
              for key, value in {"r": r, "alpha": alpha, "a": a, "b": b, "p": p, "q": q,
                                 "gamma": gamma}.items()}
    r, alpha, a, b, p, q, gamma = shapes.values()
    if holdout is not None:
        holdout = validate.number(holdout, "holdout", minimum=0, maximum=MAX_WEEKS)
    days = validate.flag(days, "days")
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0))
    if isinstance(T, str) and T == "cohort":
        T = 39.0 - rng.uniform(0, 12, n)
    elif np.ndim(T) == 0:
        T = validate.number(T, "T", minimum=0, maximum=MAX_WEEKS, min_inclusive=False)
    else:
        T = validate.float_array(T, "T")
        if len(T) != n or (T <= 0).any() or (T > MAX_WEEKS).any():
            shown = validate.show(T)
            raise validate.BilingualValueError(
                f"观察期 T={shown} 无效：应为 n={n} 个 0 到 {MAX_WEEKS} 周之间的正数",
                f"T={shown} is invalid: expected n={n} positive lengths of at most "
                f"{MAX_WEEKS} weeks")
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    if days:
        T = np.floor(T * 7) / 7
    lam = rng.gamma(r, 1.0 / alpha, n)
    drop = rng.beta(a, b, n)
    opportunities = rng.poisson(lam * T)
    last_purchase = rng.geometric(np.clip(drop, 1e-300, 1.0))   # dies after this one
    x = np.minimum(opportunities, last_purchase)
    buyer = x > 0
    t_x = np.zeros(n)
    t_x[buyer] = T[buyer] * rng.beta(x[buyer], opportunities[buyer] - x[buyer] + 1)
    if days:
        t_x = np.floor(t_x * 7) / 7
    nu = rng.gamma(q, 1.0 / gamma, n)
    monetary = np.full(n, np.nan)
    monetary[buyer] = rng.gamma(p * x[buyer], 1.0 / (nu[buyer] * x[buyer]))
    frame = pd.DataFrame({"customer_id": np.arange(1, n + 1), "x": x, "t_x": t_x, "T": T,
                          "monetary": np.round(monetary, 2)})
    if holdout is not None:
        alive = last_purchase > x
        more = rng.poisson(lam * float(holdout))
        frame["x_star"] = np.where(alive, np.minimum(more, last_purchase - x), 0)
    return frame
