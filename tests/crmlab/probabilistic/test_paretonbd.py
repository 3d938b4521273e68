"""Pareto/NBD: published CDNOW estimates, high-precision checks, pmf, refusals."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pandas as pd
import pytest

from crmlab import datasets
from crmlab import probabilistic as pb

PUBLISHED = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}   # FHL 2005b


@pytest.fixture(scope="module")
def sample():
    return pb.calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30",
                                  observation_end="1998-06-30")


@pytest.fixture(scope="module")
def pnbd(sample):
    return pb.ParetoNBD().fit(sample)


def test_pareto_nbd_reproduces_the_published_cdnow_estimates(pnbd, sample):
    assert {k: round(v, 3) for k, v in pnbd.params_.items()} == PUBLISHED
    assert round(pnbd.log_likelihood_, 1) == -9595.0
    # ... and is beaten by BG/NBD on the same data, as the BG/NBD paper reports (-9582.4)
    assert round(pb.BetaGeo().fit(sample).log_likelihood_, 1) == -9582.4
    # standard errors: CLVTools 0.12 prints 0.0476, 0.8427, 0.1873, 6.2105 for this fit
    se = pnbd.standard_errors_
    clvtools = {"r": 0.0476, "alpha": 0.8427, "s": 0.1873, "beta": 6.2105}
    for k, v in clvtools.items():
        assert se[k] == pytest.approx(v, rel=3e-3), k


def _p_alive_mp(params, x, t_x, T):
    """P(alive) from the textbook formula with 2F1 (Fader & Hardie 2005 note), 60 digits."""
    mp.mp.dps = 60
    r, alpha, s, beta = (mp.mpf(params[k]) for k in ("r", "alpha", "s", "beta"))
    t_x, T = mp.mpf(t_x), mp.mpf(T)
    rsx = r + s + x

    def piece(t):
        if alpha >= beta:
            return mp.hyp2f1(rsx, s + 1, rsx + 1, (alpha - beta) / (alpha + t)) / (alpha + t) ** rsx
        return mp.hyp2f1(rsx, r + x, rsx + 1, (beta - alpha) / (beta + t)) / (beta + t) ** rsx

    alive = (alpha + T) ** -(r + x) * (beta + T) ** -s
    return alive / (alive + s / rsx * (piece(t_x) - piece(T)))


@pytest.mark.parametrize("params, x, t_x, T", [
    (PUBLISHED, 2, 30.43, 38.86),
    (PUBLISHED, 0, 0.0, 38.86),
    (PUBLISHED, 5000, 499.0, 500.0),             # large x and T
    (PUBLISHED, 300, 50.0, 400.0),
    ({"r": 0.553, "alpha": 1e-3, "s": 0.606, "beta": 1e3}, 50, 20.0, 300.0),   # alpha << beta
    ({"r": 0.553, "alpha": 1e3, "s": 0.606, "beta": 1e-3}, 50, 20.0, 300.0),   # alpha >> beta
    ({"r": 2.0, "alpha": 1.0, "s": 2.0, "beta": 1.0}, 10, 5.0, 20.0),           # alpha = beta
])
def test_p_alive_matches_60_digit_values(params, x, t_x, T):
    model = pb.ParetoNBD.from_params(**params)
    got = float(model.p_alive(pd.DataFrame({"x": [x], "t_x": [t_x], "T": [T]})).iloc[0])
    want = _p_alive_mp(params, x, t_x, T)
    assert got == pytest.approx(float(want), rel=1e-9, abs=1e-300)


def test_pmf_is_a_distribution_whose_mean_is_the_expectation(pnbd):
    for t in (1.0, 39.0, 78.0):
        p = pnbd.pmf(np.arange(400), t)
        assert (p >= 0).all() and p.sum() == pytest.approx(1.0, abs=1e-8)
        assert (np.arange(400) * p).sum() == pytest.approx(pnbd.expected_transactions(t),
                                                            rel=1e-6)
    # P(X(t) = 0) falls with t; t = 0 means no purchase for sure
    zero = pnbd.pmf(0, np.array([0.0, 10.0, 40.0]))
    assert zero[0] == 1.0 and zero[1] > zero[2]


def test_expectations_are_consistent(pnbd):
    newcomer = pd.DataFrame({"x": [0], "t_x": [0.0], "T": [0.0]})
    assert pnbd.expected_transactions(39.0) == pytest.approx(
        float(pnbd.conditional_expected_transactions(39.0, newcomer).iloc[0]), rel=1e-12)
    # s = 1 is the limit log(1 + t / beta) of the general formula
    near = pb.ParetoNBD.from_params(r=0.5, alpha=10.0, s=1.0 + 1e-9, beta=12.0)
    exact = pb.ParetoNBD.from_params(r=0.5, alpha=10.0, s=1.0, beta=12.0)
    assert exact.expected_transactions(30.0) == pytest.approx(
        near.expected_transactions(30.0), rel=1e-7)


def test_holdout_total_of_the_published_model(pnbd, sample):
    predicted = pnbd.conditional_expected_transactions(39, sample)
    assert 1500 < predicted.sum() < sample["x_star"].sum()   # 1,882 actual; both models low


def test_clv_accepts_pareto_nbd(pnbd, sample):
    gg = pb.GammaGamma().fit(sample)
    value = pb.clv(pnbd, gg, sample, horizon=12, rate=0.01, margin=0.3, period=52 / 12)
    assert (value >= 0).all() and value.sum() > 0


def test_refuses_data_where_nobody_went_quiet():
    s = pd.DataFrame({"x": [3, 1, 5, 0], "t_x": [20.0, 30.0, 25.0, 0.0], "T": [20.0, 30, 25, 10]})
    with pytest.raises(ValueError, match="没有客户沉寂.*nobody has gone quiet"):
        pb.ParetoNBD().fit(s)


def test_refuses_ten_customers():
    from crmlab.synthetic.buyers import bgnbd_summary

    with pytest.raises(pb.ConvergenceError, match="Pareto/NBD"):
        pb.ParetoNBD().fit(bgnbd_summary(10, seed=0))
