"""BG/BB on the donations data: published estimates, identities, refusals; load_donations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmlab import datasets
from crmlab import probabilistic as pb


@pytest.fixture(scope="module")
def donations():
    return datasets.load_donations()


@pytest.fixture(scope="module")
def bgbb(donations):
    return pb.BetaGeoBetaBinom().fit(donations, weights="donors")


def test_load_donations(donations):
    assert list(donations.columns) == ["x", "t_x", "n", "donors"]
    assert int(donations["donors"].sum()) == 11_104 and (donations["n"] == 6).all()
    assert int(donations.loc[donations["x"] == 0, "donors"].sum()) == 3464   # never again
    assert int(donations.loc[donations["x"] == 6, "donors"].sum()) == 1203   # every year


def test_bgbb_reproduces_the_published_donation_estimates(bgbb):
    # Fader, Hardie & Shang (2010): 1.204, 0.750, 0.657, 2.783, LL -33,225.6
    assert {k: round(v, 3) for k, v in bgbb.params_.items()} == {
        "alpha": 1.204, "beta": 0.75, "gamma": 0.657, "delta": 2.783}
    assert round(bgbb.log_likelihood_, 1) == -33225.6
    assert all(0 < se < 0.5 for se in bgbb.standard_errors_.values())


def test_one_row_per_donor_gives_the_same_fit(donations, bgbb):
    # expand 22 patterns to 11,104 rows: weights are only a shortcut
    rows = donations.loc[donations.index.repeat(donations["donors"])].drop(columns="donors")
    again = pb.BetaGeoBetaBinom().fit(rows.reset_index(drop=True))
    for k, v in bgbb.params_.items():
        assert again.params_[k] == pytest.approx(v, rel=1e-5)


def test_pmf_fits_the_calibration_histogram_and_sums_to_one(bgbb, donations):
    p = bgbb.pmf(np.arange(7), 6)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert (np.arange(7) * p).sum() == pytest.approx(bgbb.expected_transactions(6), rel=1e-12)
    actual = donations.groupby("x")["donors"].sum().to_numpy() / 11_104
    assert np.abs(p - actual).max() < 0.01    # the paper's figure: a close fit


def test_expectations_are_consistent(bgbb):
    newcomer = pd.DataFrame({"x": [0], "t_x": [0], "n": [0]})
    assert float(bgbb.conditional_expected_transactions(5, newcomer).iloc[0]) == pytest.approx(
        bgbb.expected_transactions(5), rel=1e-12)
    s = pd.DataFrame({"x": [6, 3, 3, 0], "t_x": [6, 6, 3, 0], "n": [6, 6, 6, 6]})
    alive = bgbb.p_alive(s)
    assert alive[0] == pytest.approx(alive[1]) and alive[1] > max(alive[2], alive[3])
    # three donations in a row, then three silent years: likelier gone than a one-off donor
    assert alive[2] < alive[3]
    future = bgbb.conditional_expected_transactions(5, s)
    assert future[0] > future[1] > future[2] > future[3] > 0
    value = bgbb.clv(s, value=1.0, rate=0.0, horizon=5)
    assert np.allclose(value, future)


@pytest.mark.parametrize("frame, match", [
    (pd.DataFrame({"x": [0, 0], "t_x": [0, 0], "n": [6, 6]}), "nobody transacted"),
    (pd.DataFrame({"x": [2, 6], "t_x": [6, 6], "n": [6, 6]}), "nobody has gone quiet"),
    (pd.DataFrame({"x": [3], "t_x": [2], "n": [6]}), "inconsistent"),
    (pd.DataFrame({"x": [1.5], "t_x": [2], "n": [6]}), "whole numbers"),
])
def test_refuses_data_without_information(frame, match):
    with pytest.raises(ValueError, match=match):
        pb.BetaGeoBetaBinom().fit(frame)


def test_refuses_a_tiny_sample():
    s = pd.DataFrame({"x": [1, 2, 0, 3], "t_x": [1, 4, 0, 6], "n": [6, 6, 6, 6]})
    with pytest.raises(pb.ConvergenceError, match="BG/BB"):
        pb.BetaGeoBetaBinom().fit(s)


def test_the_data_file_is_the_one_its_data_card_describes():
    import hashlib
    import re

    folder = datasets.data_dir() / "donations"
    digest = hashlib.sha256((folder / "donations.csv").read_bytes()).hexdigest()
    assert digest in re.findall(r"`([0-9a-f]{64})`", (folder / "README.md").read_text("utf-8"))


def test_a_damaged_donations_file_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "donations").mkdir()
    (tmp_path / "donations" / "donations.csv").write_text(
        "frequency,recency,periods,weights\n3,2,6,100\n", encoding="utf-8")
    monkeypatch.setattr(datasets, "data_dir", lambda: tmp_path)
    with pytest.raises(ValueError, match="damaged"):
        datasets.load_donations()
