"""MBG/NBD and the BG/NBD pmf; refusals of fits the data cannot identify (all models)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets
from crmlab import probabilistic as pb
from crmlab.synthetic.buyers import bgnbd_summary


@pytest.fixture(scope="module")
def sample():
    return pb.calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")


@pytest.fixture(scope="module")
def mbg(sample):
    return pb.ModifiedBetaGeo().fit(sample)


def test_mbgnbd_matches_btydplus_on_the_cdnow_sample(mbg):
    # BTYDplus (Platzer) values that lifetimes' tests assert: 0.525, 6.183, 0.891, 1.614
    assert {k: round(v, 3) for k, v in mbg.params_.items()} == {
        "r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
    assert mbg.log_likelihood_ == pytest.approx(-9582.1, abs=0.05)


def test_one_time_buyers_may_be_gone_under_mbg_not_under_bg(mbg, sample):
    bg = pb.BetaGeo().fit(sample)
    once = pd.DataFrame({"x": [0], "t_x": [0.0], "T": [38.86]})
    assert float(bg.p_alive(once).iloc[0]) == 1.0
    assert 0.2 < float(mbg.p_alive(once).iloc[0]) < 0.6      # 0.39: many never came back


@pytest.mark.parametrize("model", [
    pb.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426),
    pb.ModifiedBetaGeo.from_params(r=0.525, alpha=6.183, a=0.891, b=1.614),
])
def test_pmf_is_a_distribution_whose_mean_is_the_expectation(model):
    for t in (1.0, 39.0, 200.0):
        p = model.pmf(np.arange(2000), t)
        assert (p >= 0).all() and p.sum() == pytest.approx(1.0, abs=1e-9)
        assert (np.arange(2000) * p).sum() == pytest.approx(model.expected_transactions(t),
                                                             rel=1e-7)
    newcomer = pd.DataFrame({"x": [0], "t_x": [0.0], "T": [0.0]})
    assert model.expected_transactions(39.0) == pytest.approx(
        float(model.conditional_expected_transactions(39.0, newcomer).iloc[0]), rel=1e-10)


def test_mbg_simulation_agrees_with_the_expectation():
    """Independent check by simulation: dropout coins after every purchase, the first too."""
    rng = np.random.default_rng(3)
    r, alpha, a, b, t = 0.8, 5.0, 1.5, 3.0, 30.0
    n = 200_000
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    count = np.zeros(n)
    alive = rng.random(n) > p                      # the coin after the first purchase
    clock = np.zeros(n)
    while alive.any():
        clock[alive] += rng.exponential(1 / lam[alive])
        buy = alive & (clock <= t)
        count[buy] += 1
        alive = buy & (rng.random(n) > p)
    model = pb.ModifiedBetaGeo.from_params(r=r, alpha=alpha, a=a, b=b)
    assert count.mean() == pytest.approx(model.expected_transactions(t), rel=0.02)
    assert (count == 0).mean() == pytest.approx(model.pmf(0, t), abs=0.005)


# --- refusals: the cases the review reported as silent fits ---------------------------

@pytest.mark.parametrize("model", [pb.BetaGeo, pb.ModifiedBetaGeo, pb.ParetoNBD])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ten_customers_are_refused(model, seed):
    with pytest.raises(pb.ConvergenceError, match="无法|未收敛|边界|无穷大"):
        model().fit(bgnbd_summary(10, seed=seed))


@pytest.mark.parametrize("model", [pb.BetaGeo, pb.ModifiedBetaGeo, pb.ParetoNBD])
def test_nobody_quiet_is_refused_with_the_reason(model):
    s = bgnbd_summary(300, seed=0)
    s = s.assign(t_x=np.where(s["x"] > 0, s["T"], 0.0))
    with pytest.raises(ValueError, match="没有客户沉寂.*无法估计.*流失概率"):
        model().fit(s)


@pytest.mark.parametrize("model", [pb.BetaGeo, pb.ModifiedBetaGeo, pb.ParetoNBD])
def test_ten_one_time_repeaters_are_refused(model):
    # review: "ten repeaters with x = 1 give a = 130, b = 0.0015, SE(a) = 83,898"
    s = pd.DataFrame({"x": [1] * 10 + [0] * 5, "t_x": list(np.linspace(2, 20, 10)) + [0.0] * 5,
                      "T": [30.0] * 15})
    with pytest.raises(pb.ConvergenceError) as info:
        model().fit(s)
    error = info.value                        # Chinese, then English, joined by bilingual()
    assert str(error) == error.zh + error.en and " / " not in str(error)
    assert "无法" in error.zh and "cannot" in error.en or "not converge" in error.en


def test_flat_likelihood_message_names_parameter_and_standard_error():
    with pytest.raises(pb.ConvergenceError, match=r"SE .*standard error") as info:
        pb.BetaGeo().fit(bgnbd_summary(30, seed=0))
    assert "a = " in str(info.value)


def test_a_well_identified_fit_is_not_refused():
    m = pb.BetaGeo().fit(bgnbd_summary(3000, seed=5))
    assert all(np.isfinite(v) for v in m.standard_errors_.values())
