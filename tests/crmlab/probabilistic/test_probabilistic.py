"""crmlab.probabilistic: published estimates, recovery, numerical safety, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import clv as clv_module
from crmlab import datasets
from crmlab import probabilistic as pb
from crmlab.synthetic.buyers import bgnbd_summary

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


@pytest.fixture(scope="module")
def sample():
    return pb.calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30",
                                  observation_end="1998-06-30")


@pytest.fixture(scope="module")
def bg(sample):
    return pb.BetaGeo().fit(sample)


@pytest.fixture(scope="module")
def gg(sample):
    return pb.GammaGamma().fit(sample)


# --- calibration summary -------------------------------------------------------------

def test_summary_of_the_cdnow_sample_matches_the_papers_data(sample):
    # 2,357 customers of the first-quarter 1997 cohort; 946 repeat buyers (FHL 2005b)
    assert len(sample) == 2357
    assert int((sample["x"] > 0).sum()) == 946
    assert round(float(sample["monetary"].mean()), 2) == 35.08
    # calibration 1997-01-01..09-30: a customer who first bought on 1 January has T = 272/7
    assert sample["T"].max() == pytest.approx(272 / 7)
    assert (sample["x"] == 0).eq(sample["t_x"] == 0).all()


def test_summary_by_hand_same_day_rows_are_one_transaction():
    tx = pd.DataFrame({"customer_id": [5, 5, 5, 5, 5, 9],
                       "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-08",
                                               "2024-01-29", "2024-02-05", "2024-01-15"]),
                       "amount": [10.0, 4.0, 6.0, 30.0, 8.0, 3.0]})
    s = pb.calibration_summary(tx, calibration_end="2024-01-29", observation_end="2024-02-29")
    one = s.set_index("customer_id").loc[5]
    assert (one["x"], one["t_x"], one["T"]) == (2, 4.0, 4.0)
    assert one["monetary"] == 20.0      # (10 + 30) / 2: repeat transactions only
    assert one["x_star"] == 1
    days = pb.calibration_summary(tx, calibration_end="2024-01-29", unit="D")
    assert days.set_index("customer_id").loc[9, "T"] == 14.0
    assert "x_star" not in days


def test_summary_leaves_out_customers_who_start_later_and_does_not_mutate():
    tx = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-01", "2024-03-01"],
                       "amount": [1.0, 2.0]})
    before = tx.copy()
    s = pb.calibration_summary(tx, calibration_end="2024-02-01")
    assert s["customer_id"].tolist() == [1]
    pd.testing.assert_frame_equal(tx, before)


@pytest.mark.parametrize("kwargs, match", [
    ({"calibration_end": "1990-01-01"}, "no purchase"),
    ({"calibration_end": "2024-02-01", "observation_end": "2024-01-01"}, "after"),
    ({"calibration_end": "2024-02-01", "unit": "M"}, "unit"),
])
def test_summary_bad_arguments(kwargs, match):
    tx = pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"], "amount": [1.0]})
    with pytest.raises(ValueError, match=match):
        pb.calibration_summary(tx, **kwargs)


def test_summary_bad_amounts():
    tx = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-01", "2024-01-05"],
                       "amount": [1.0, -3.0]})
    with pytest.raises(ValueError, match="negative"):
        pb.calibration_summary(tx, calibration_end="2024-02-01")


# --- BG/NBD: Fader, Hardie & Lee (2005a) ----------------------------------------------

def test_bgnbd_reproduces_the_published_cdnow_estimates(bg):
    # Marketing Science 24(2), p. 280: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426,
    # LL = -9582.4
    assert {k: round(v, 3) for k, v in bg.params_.items()} == {
        "r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(bg.log_likelihood_, 1) == -9582.4
    assert all(0 < se < 1 for se in bg.standard_errors_.values())


def test_bgnbd_individual_prediction_of_the_paper(bg):
    # FHL 2005a: x = 2, t_x = 30.43, T = 38.86 -> 1.226 transactions in the next 39 weeks
    one = pd.DataFrame({"x": [2], "t_x": [30.43], "T": [38.86]})
    assert round(float(bg.conditional_expected_transactions(39, one).iloc[0]), 3) == 1.226


def _posterior_bracket(p, x, T, t):
    """E[(1 - exp(-λ q t)) / q] with λ ~ Gamma(r + x, α + T), q ~ Beta(a, b + x).

    By quadrature over u = log q (the posterior of q is very peaked for large x).
    """
    from scipy import integrate, stats

    shape, scale_rate = p["r"] + x, p["alpha"] + T

    def integrand(u):
        q = np.exp(u)
        gain = -np.expm1(-shape * np.log1p(q * t / scale_rate)) / q
        return gain * np.exp(stats.beta.logpdf(q, p["a"], p["b"] + x) + u)

    peak = np.log(p["a"] / (p["a"] + p["b"] + x))
    bracket, _ = integrate.quad(integrand, -80, 0, points=[peak], limit=1000, epsabs=0,
                                epsrel=1e-12)
    return bracket


def test_conditional_expectation_equals_the_posterior_integral(bg):
    """Independent check: E[Y(t)|alive] = E[(1 - exp(-λ p t)) / p] under the posterior."""
    for x, t_x, T, t in [(0, 0.0, 30.0, 39.0), (3, 20.0, 38.0, 10.0), (2, 30.43, 38.86, 39.0),
                         (400, 35.0, 38.0, 52.0), (5000, 38.5, 38.8, 39.0)]:
        bracket = _posterior_bracket(bg.params_, x, T, t)
        one = pd.DataFrame({"x": [x], "t_x": [t_x], "T": [T]})
        alive = float(bg.p_alive(one).iloc[0])
        got = float(bg.conditional_expected_transactions(t, one).iloc[0])
        assert got == pytest.approx(alive * bracket, rel=1e-7), (x, t)


def test_large_x_does_not_overflow(bg):
    s = pd.DataFrame({"x": [300, 1_000, 100_000, 100_000], "t_x": [10.0, 38.0, 38.9, 1.0],
                      "T": [38.9] * 4})
    alive = bg.p_alive(s).to_numpy()
    expected = bg.conditional_expected_transactions(39, s).to_numpy()
    assert np.isfinite(alive).all() and np.isfinite(expected).all()
    assert alive[0] < 1e-100 and alive[2] > 0.99 and alive[3] == 0.0
    # 100,000 purchases in 38.9 weeks, the last one just now: the same pace goes on,
    # minus the few who drop out (the posterior integral is the independent check)
    bracket = _posterior_bracket(bg.params_, 100_000, 38.9, 39.0)
    assert expected[2] == pytest.approx(float(alive[2]) * bracket, rel=1e-7)
    assert 0.5 * 1e5 < expected[2] < 1e5 * 39 / 38.9


def test_unconditional_expectation_is_the_conditional_one_of_a_newcomer(bg):
    newcomer = pd.DataFrame({"x": [0], "t_x": [0.0], "T": [0.0]})
    assert bg.expected_transactions(39.0) == pytest.approx(
        float(bg.conditional_expected_transactions(39.0, newcomer).iloc[0]), rel=1e-12)
    assert bg.expected_transactions(0) == 0.0
    assert bg.expected_transactions([0, 39, 78]).shape == (3,)


@settings(max_examples=60)
@given(x=st.integers(0, 2_000), share=st.floats(0, 1), T=st.floats(0.1, 500),
       t1=st.floats(0.01, 200), extra=st.floats(0.01, 200))
def test_p_alive_is_a_probability_and_expectations_grow_with_t(bg, x, share, T, t1, extra):
    one = pd.DataFrame({"x": [x], "t_x": [share * T if x else 0.0], "T": [T]})
    alive = float(bg.p_alive(one).iloc[0])
    assert 0.0 <= alive <= 1.0
    early = float(bg.conditional_expected_transactions(t1, one).iloc[0])
    late = float(bg.conditional_expected_transactions(t1 + extra, one).iloc[0])
    assert np.isfinite(early) and 0 <= early <= late * (1 + 1e-9) + 1e-300
    assert bg.expected_transactions(t1) <= bg.expected_transactions(t1 + extra)


@settings(max_examples=30)
@given(x=st.integers(1, 200), T=st.floats(1, 100), a=st.floats(0.01, 0.99),
       b=st.floats(0.01, 0.99))
def test_p_alive_falls_the_longer_ago_the_last_purchase(bg, x, T, a, b):
    recent, old = max(a, b) * T, min(a, b) * T
    s = pd.DataFrame({"x": [x, x], "t_x": [recent, old], "T": [T, T]})
    alive = bg.p_alive(s).to_numpy()
    assert alive[0] >= alive[1]


def test_nobody_repeats_is_a_clear_error():
    s = pd.DataFrame({"x": [0, 0, 0], "t_x": [0.0, 0, 0], "T": [10.0, 20, 30]})
    with pytest.raises(ValueError, match="x 全为 0.*no repeat purchase"):
        pb.BetaGeo().fit(s)


def test_a_fit_that_cannot_converge_is_a_clear_error(monkeypatch):
    from scipy import optimize

    s = bgnbd_summary(300, seed=1)

    def stuck(*args, **kwargs):
        result = real(*args, **kwargs)
        result.success, result.message = False, "ABNORMAL"
        result.x = result.x + 0.5            # not at the optimum: the gradient is large
        return result

    real = optimize.minimize
    monkeypatch.setattr(optimize, "minimize", stuck)
    with pytest.raises(pb.ConvergenceError, match="未收敛.*did not converge"):
        pb.BetaGeo().fit(s)


@pytest.mark.parametrize("frame, match", [
    (pd.DataFrame({"x": [1.5], "t_x": [1.0], "T": [2.0]}), "whole numbers"),
    (pd.DataFrame({"x": [1], "t_x": [3.0], "T": [2.0]}), "inconsistent"),
    (pd.DataFrame({"x": [0], "t_x": [1.0], "T": [2.0]}), "inconsistent"),
    (pd.DataFrame({"x": [1], "t_x": [np.nan], "T": [2.0]}), "NaN"),
    (pd.DataFrame({"x": [1], "t_x": [1.0]}), "missing column"),
    (pd.DataFrame({"x": ["1"], "t_x": [1.0], "T": [2.0]}), "expected numbers"),
])
def test_bad_summaries(bg, frame, match):
    with pytest.raises((ValueError, TypeError), match=match):
        bg.p_alive(frame)


def test_unfitted_model_says_so():
    with pytest.raises(ValueError, match="尚未拟合.*not fitted"):
        pb.BetaGeo().expected_transactions(1.0)


def test_fit_does_not_mutate_the_summary(sample):
    before = sample.copy()
    pb.BetaGeo().fit(sample)
    pb.GammaGamma().fit(sample)
    pd.testing.assert_frame_equal(sample, before)


# --- Gamma-Gamma: Fader, Hardie & Lee (2005b) ------------------------------------------

def test_gamma_gamma_reproduces_the_published_cdnow_estimates(gg):
    # JMR 42(4): p = 6.25, q = 3.74, gamma = 15.44 on the 946 repeat buyers
    assert gg.n_customers_ == 946
    assert {k: round(v, 2) for k, v in gg.params_.items()} == {
        "p": 6.25, "q": 3.74, "gamma": 15.44}


def test_expected_spend_shrinks_towards_the_population_mean(gg, sample):
    spend = gg.expected_spend(sample)
    buyers = sample["x"] > 0
    mean = gg.population_mean()
    assert spend[~buyers].eq(mean).all()
    z = sample.loc[buyers, "monetary"]
    # a weighted average of the customer's own mean and the population mean
    low, high = np.minimum(z, mean), np.maximum(z, mean)
    assert ((spend[buyers] >= low - 1e-9) & (spend[buyers] <= high + 1e-9)).all()


def test_gamma_gamma_needs_repeat_buyers():
    s = pd.DataFrame({"x": [0, 1], "t_x": [0.0, 1.0], "T": [2.0, 2.0],
                      "monetary": [np.nan, 10.0]})
    with pytest.raises(ValueError, match="x > 0"):
        pb.GammaGamma().fit(s)


# --- sBG: Fader & Hardie (2007) -------------------------------------------------------

@pytest.mark.parametrize("alive, alpha, beta, loglik", [
    (REGULAR, 0.704, 1.182, -1680.3),
    (HIGH_END, 0.668, 3.806, -1611.2),
])
def test_sbg_reproduces_the_published_estimates(alive, alpha, beta, loglik):
    # J. Interactive Marketing 21(1): fit on years 1-7 of a 1,000-customer cohort
    m = pb.ShiftedBetaGeometric().fit(alive)
    assert (round(m.params_["alpha"], 3), round(m.params_["beta"], 3)) == (alpha, beta)
    assert round(m.log_likelihood_, 1) == loglik
    assert m.n_periods_ == 7


def test_sbg_survival_and_retention_are_consistent():
    m = pb.ShiftedBetaGeometric().fit(REGULAR)
    t = np.arange(1, 13)
    s = m.survival(np.arange(0, 13))
    assert s[0] == 1.0
    np.testing.assert_allclose(m.retention(t), s[1:] / s[:-1], rtol=1e-12)
    assert (np.diff(m.retention(t)) > 0).all()         # retention rises with tenure
    # the fit follows the data it was fitted on
    np.testing.assert_allclose(1000 * s[:8], REGULAR, atol=12)


def test_sbg_clv_sum_equals_closed_form_and_chapter_2_without_heterogeneity():
    m = pb.ShiftedBetaGeometric().fit(HIGH_END)
    closed = m.expected_clv(100, 0.1)
    assert m.expected_clv(100, 0.1, horizon=2_000) == pytest.approx(closed, rel=1e-9)
    # huge alpha, beta with the same mean churn: sBG -> constant retention (chapter 2)
    m.params_ = {"alpha": 2e6, "beta": 8e6}
    assert m.expected_clv(100, 0.1) == pytest.approx(
        clv_module.retention_clv(100, 0.8, 0.1), rel=1e-4)


def test_sbg_without_heterogeneity_or_with_bad_counts_is_a_clear_error():
    with pytest.raises(pb.ConvergenceError, match="固定流失率.*constant churn"):
        pb.ShiftedBetaGeometric().fit([1000, 869, 743])
    with pytest.raises(ValueError, match="non-increasing"):
        pb.ShiftedBetaGeometric().fit([1000, 631, 700])
    with pytest.raises(ValueError, match="no churn"):
        pb.ShiftedBetaGeometric().fit([1000, 1000, 1000])
    with pytest.raises(ValueError, match="at least 2 later"):
        pb.ShiftedBetaGeometric().fit([1000, 631])


# --- CLV -----------------------------------------------------------------------------

def test_clv_matches_a_direct_sum(bg, gg, sample):
    value = pb.clv(bg, gg, sample, horizon=12, rate=0.01, margin=0.3, period=52 / 12)
    months = np.arange(0, 13) * 52 / 12
    cum = np.column_stack([bg.conditional_expected_transactions(t, sample) for t in months])
    direct = 0.3 * gg.expected_spend(sample) * (np.diff(cum, axis=1) @ 1.01 ** -np.arange(1, 13))
    np.testing.assert_allclose(value, direct, rtol=1e-10)
    assert value.name == "clv" and value.index.equals(sample.index)


def test_clv_bad_arguments(bg, gg, sample):
    with pytest.raises(ValueError, match="0.3"):
        pb.clv(bg, gg, sample, horizon=12, rate=0.01, margin=30)
    with pytest.raises(TypeError, match="BetaGeo"):
        pb.clv(gg, gg, sample, horizon=12, rate=0.01, margin=0.3)


# --- parameter recovery ---------------------------------------------------------------

def test_bgnbd_and_gamma_gamma_recover_their_parameters_over_50_seeds():
    """50 simulated customer bases of 5,000 customers from the published CDNOW values.

    Tolerance from the models' own uncertainty: every estimate lies within 4 of its
    Hessian standard errors of the truth (|z| > 4 has probability 6e-5 under
    normality), the 95 % intervals cover the truth in at least 80 % of the seeds, and
    the mean z-score is within ±0.6 (4 standard errors of a mean of 50). Any
    ConvergenceError fails the test: 0 convergence failures allowed.
    """
    truth_bg = np.array([0.243, 4.414, 0.793, 2.426])
    truth_gg = np.array([6.25, 3.74, 15.44])
    z_bg, z_gg = [], []
    for seed in range(50):
        s = bgnbd_summary(5_000, T="cohort", seed=seed)
        m = pb.BetaGeo().fit(s)
        z_bg.append((np.array(list(m.params_.values())) - truth_bg)
                    / np.array(list(m.standard_errors_.values())))
        g = pb.GammaGamma().fit(s)
        z_gg.append((np.array(list(g.params_.values())) - truth_gg)
                    / np.array(list(g.standard_errors_.values())))
    for z in (np.array(z_bg), np.array(z_gg)):
        assert np.isfinite(z).all()
        assert np.abs(z).max() < 4
        assert ((np.abs(z) < 1.96).mean(axis=0) >= 0.8).all()
        assert (np.abs(z.mean(axis=0)) < 0.6).all()


def test_sbg_recovers_its_parameters_over_50_seeds():
    rng = np.random.default_rng(7)
    estimates = []
    for _ in range(50):
        theta = rng.beta(0.7, 1.2, 1000)
        lifetime = rng.geometric(theta)                 # period in which each one churns
        alive = [(lifetime > t).sum() for t in range(0, 8)]
        m = pb.ShiftedBetaGeometric().fit(alive)
        estimates.append(list(m.params_.values()))
    est = np.array(estimates)
    # the median estimate of each parameter is within 10 % of the truth
    assert np.abs(np.median(est, axis=0) / [0.7, 1.2] - 1).max() < 0.1


def test_gamma_gamma_refuses_zero_spend_with_a_fix():
    s = pd.DataFrame({"x": [1, 2, 3], "t_x": [1.0, 2, 3], "T": [4.0, 4, 4],
                      "monetary": [0.0, 10.0, 12.0]})
    with pytest.raises(ValueError, match="monetary'\\] != 0"):
        pb.GammaGamma().fit(s)


def test_models_from_published_parameters_predict_like_fitted_ones(bg, sample):
    made = pb.BetaGeo.from_params(**bg.params_)
    pd.testing.assert_series_equal(made.p_alive(sample), bg.p_alive(sample))
    assert pb.ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182).retention(1) == (
        pytest.approx(1.182 / (0.704 + 1.182)))
    with pytest.raises(ValueError, match="expects"):
        pb.GammaGamma.from_params(p=1.0, q=2.0)
    with pytest.raises(ValueError, match="> 0"):
        pb.GammaGamma.from_params(p=1.0, q=2.0, gamma=-1.0)


# Fader & Hardie (2007) print years 8-12 too: a real holdout for a fit on years 0-7
HOLDOUT_8_12 = {"Regular": [223, 207, 194, 183, 173], "High End": [468, 445, 427, 409, 394]}


def test_constant_retention_is_the_mle_and_the_honest_baseline():
    assert pb.constant_retention(REGULAR) == pytest.approx(2599 / 3358)
    assert pb.constant_retention(HIGH_END) == pytest.approx(4417 / 4926)
    with pytest.raises(ValueError, match="non-increasing"):
        pb.constant_retention([100, 120])
    # CLV: the fitted constant rate is 12 % / 10 % below sBG, not "almost half"
    for counts, gap in ((REGULAR, -0.12), (HIGH_END, -0.10)):
        sbg = pb.ShiftedBetaGeometric().fit(counts)
        r = pb.constant_retention(counts)
        flat = clv_module.retention_clv(100, r, 0.10)
        assert flat / sbg.expected_clv(100, 0.10) - 1 == pytest.approx(gap, abs=0.01)


def test_sbg_predicts_years_8_to_12_and_the_constant_rate_does_not():
    for name, counts in (("Regular", REGULAR), ("High End", HIGH_END)):
        sbg = pb.ShiftedBetaGeometric().fit(counts)
        actual = np.array(HOLDOUT_8_12[name])
        predicted = 1000 * sbg.survival(np.arange(8, 13))
        assert np.abs(predicted / actual - 1).max() < 0.06
        flat = 1000 * pb.constant_retention(counts) ** np.arange(8, 13)
        miss = flat / actual - 1
        assert (np.diff(miss) < 0).all() and miss[-1] < -0.3     # ever lower, > 30 % by year 12
    # year 12, Regular: 173 actual, sBG 170, constant retention 46
    assert round(1000 * pb.constant_retention(REGULAR) ** 12) == 46


@pytest.mark.parametrize("column", ["x", "t_x", "T", "monetary"])
def test_a_summary_value_that_would_overflow_is_refused_not_turned_into_nan(column):
    summary = pd.DataFrame({"x": [0.0, 2.0, 5.0], "t_x": [0.0, 10.0, 30.0], "T": [40.0, 40.0, 40.0],
                            "monetary": [0.0, 20.0, 35.0]})
    summary.loc[2, column] = 1e308
    with pytest.raises(ValueError, match=column):
        pb.GammaGamma().fit(summary) if column == "monetary" else pb.ParetoNBD().fit(summary)
