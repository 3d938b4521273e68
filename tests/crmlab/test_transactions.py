"""Issue 26 (s26b): one date reader, one purchase-occasion kernel, one vocabulary.

Dates are read by ``_validation`` (``timestamp``, ``day_number``, ``dates``,
``period``, ``date_pair``); purchase occasions are computed once in
``crmlab._transactions`` for rfm, loyalty, probabilistic and portfolio; outputs
keep the caller's customer column; errors are bilingual and name the argument.
"""

import ast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import _transactions as tx
from crmlab import _validation as validate
from crmlab import clv, complaints, loyalty, portfolio, probabilistic, rfm
from tests.conftest import ROOT

MINE = ["crmlab/rfm.py", "crmlab/loyalty.py", "crmlab/clv.py", "crmlab/complaints/_recovery.py",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "crmlab/portfolio").glob("*.py")),
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "crmlab/probabilistic").glob("*.py"))]


def _chinese_first(error: BaseException) -> None:
    text = str(error)
    assert isinstance(error, validate.BilingualError), text
    assert text == error.zh + error.en and any("\u4e00" <= ch <= "\u9fff" for ch in error.zh)


# --- 1. dates ---------------------------------------------------------------------------

def test_date_helpers_read_one_value_a_column_and_a_period():
    assert validate.day_number("1970-01-03 18:00", "as_of") == 2
    assert validate.day_number(pd.Timestamp("1970-01-03T07:00+08:00"), "as_of") == 2
    column = validate.dates(pd.Series(["2024-01-02 18:00", "2024-01-03T07:00+08:00"],
                                      index=[5, 6]), "date")
    assert column.index.tolist() == [5, 6] and column.dt.day.tolist() == [2, 3]
    assert column.dtype == "datetime64[ns]" and (column.dt.hour == 0).all()
    assert validate.period("2024-01-01", "2024-01-01 23:00") == (pd.Timestamp("2024-01-01"),) * 2
    assert validate.date_pair(["2024-01-01", "2024-02-01"], "between")[1] == pd.Timestamp(
        "2024-02-01")


@pytest.mark.parametrize(("call", "error", "pattern"), [
    (lambda: validate.day_number("2024-13-01", "as_of"), ValueError, r"as_of='2024-13-01'"),
    (lambda: validate.day_number(20240101, "as_of"), TypeError, r"as_of=20240101"),
    (lambda: validate.dates(pd.Series(["2024-01-01", "2024-02-30"]), "date"), ValueError,
     r"date .*'2024-02-30'"),
    (lambda: validate.period("2024-02-01", "2024-01-01"), ValueError,
     r"end='2024-01-01' .*start='2024-02-01'"),
    (lambda: validate.date_pair("2024-01-01", "between"), TypeError, r"between='2024-01-01'"),
    (lambda: validate.date_pair(("2024-01-01", None), "between"), TypeError, r"between\[1\]"),
])
def test_date_helpers_refuse_bilingually_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        call()
    _chinese_first(info.value)
    assert "must be in" not in str(info.value)  # no pandas message leaks


def test_a_bad_date_gives_the_same_kind_of_message_in_every_module():
    bad = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-01", "2024-13-01"],
                        "amount": [1.0, 2.0]})
    calls = [
        lambda: rfm.summary(bad, as_of="2024-12-31"),
        lambda: loyalty.occasions(bad),
        lambda: loyalty.repeat_purchase_rate(bad),
        lambda: probabilistic.calibration_summary(bad, calibration_end="2024-06-30"),
        lambda: portfolio.trading_status(bad, start="2024-01-01", end="2024-12-31"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match=r"\['date'\].*'2024-13-01'") as info:
            call()
        _chinese_first(info.value)


def test_service_recovery_reads_dates_with_the_shared_helpers():
    c = complaints.Complaint("T1", customer_id="K1", complaint_type="quality",
                             sub_item="quality_defect", by="a", at="2024-01-02")
    c.advance("judge", by="b", at="2024-01-03").advance("rejected", by="b", at="2024-01-04")
    log = complaints.to_frame([c])
    orders = pd.DataFrame({"customer_id": ["K1", "K2"], "date": ["2024-01-20", "2024-13-02"]})
    with pytest.raises(ValueError, match=r"orders\['date'\].*'2024-13-02'") as info:
        complaints.service_recovery(log, orders)
    _chinese_first(info.value)
    good = orders.assign(date=["2024-01-20", "2024-01-02"])
    with pytest.raises(TypeError, match=r"between='2024-01-01'") as info:
        complaints.service_recovery(log, good, between="2024-01-01")
    _chinese_first(info.value)
    with pytest.raises(ValueError, match=r"between\[1\]='2023-01-01'"):
        complaints.service_recovery(log, good, between=("2024-01-01", "2023-01-01"))
    with pytest.raises(ValueError, match=r"days=1e\+308"):  # was OverflowError
        complaints.service_recovery(log, good, days=1e308)
    aware = good.assign(date=pd.to_datetime(good["date"]).dt.tz_localize("Asia/Shanghai"))
    pd.testing.assert_frame_equal(complaints.service_recovery(log, aware, as_of="2024-12-31"),
                                  complaints.service_recovery(log, good, as_of="2024-12-31"))


# --- 2. purchase occasions computed once -------------------------------------------------

rows = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9), st.floats(0, 1e4)),
                min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(rows)
def test_occasions_equal_a_groupby_and_the_old_sums_to_the_last_bit(data):
    frame = pd.DataFrame(data, columns=["c", "d", "m"])
    expected = frame.groupby(["c", "d"], sort=True)["m"].sum()
    codes, days = frame["c"].to_numpy(np.int64), frame["d"].to_numpy(np.int64)
    customer, day, amount = tx.occasions(codes.copy(), days, frame["m"].to_numpy())
    assert list(zip(customer.tolist(), day.tolist(), strict=True)) == expected.index.tolist()
    order = np.lexsort((days, codes))  # the old probabilistic way: same floats, bit for bit
    starts = np.flatnonzero(np.r_[True, (np.diff(codes[order]) != 0)
                                  | (np.diff(days[order]) != 0)])
    old = np.add.reduceat(frame["m"].to_numpy()[order], starts)
    assert np.array_equal(amount, old)
    assert np.allclose(amount, expected.to_numpy(), rtol=1e-12)
    alone = tx.occasions(codes.copy(), days)
    assert np.array_equal(alone.customer, customer) and np.array_equal(alone.day, day)
    first, last = tx.first_and_last(customer, day)
    g = frame.groupby("c")["d"]
    assert first.tolist() == g.min().tolist() and last.tolist() == g.max().tolist()


def test_the_four_modules_count_the_same_occasions():
    t = pd.DataFrame({"customer_id": [3, 1, 1, 1, 3, 2],
                      "date": ["2024-01-05", "2024-01-01", "2024-01-01 18:00", "2024-02-01",
                               "2024-03-01", "2024-02-10"],
                      "amount": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    r = rfm.summary(t, as_of="2024-12-31").set_index("customer_id")
    occ = loyalty.occasions(t).groupby("customer_id").size()
    cal = probabilistic.calibration_summary(t, calibration_end="2024-12-31").set_index(
        "customer_id")
    status = portfolio.trading_status(t, start="2024-01-01", end="2024-12-31").set_index(
        "customer_id")
    assert r["frequency"].tolist() == occ.tolist() == (cal["x"] + 1).tolist() == [2, 1, 2]
    assert (r["first_purchase"] == status["first_purchase"]).all()
    assert (r["last_purchase"] == status["last_purchase"]).all()


def test_duplicated_column_names_are_refused_by_every_module():
    t = pd.DataFrame({"customer_id": [1, 1, 2], "date": ["2024-01-01", "2024-02-01", "2024-03-01"],
                      "amount": [1.0, 2.0, 3.0]})
    twice = pd.concat([t, t[["customer_id"]]], axis=1)
    for call in (lambda: rfm.summary(twice, as_of="2024-12-31"),
                 lambda: loyalty.purchase_intervals(twice),
                 lambda: probabilistic.calibration_summary(twice, calibration_end="2024-06-30"),
                 lambda: portfolio.trading_status(twice, start="2024-01-01", end="2024-12-31")):
        with pytest.raises(ValueError, match=r"duplicated column name\(s\) \['customer_id'\]"):
            call()


def test_no_module_imports_another_modules_private_occasion_helpers():
    for path in MINE:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("crmlab.rfm", "rfm"):
                assert not any(a.name.startswith("_") for a in node.names), path
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert not (node.value.id == "rfm" and node.attr.startswith("_")), path


# --- 3. one vocabulary: the caller's customer column --------------------------------------

def test_outputs_keep_the_callers_customer_column():
    card = pd.DataFrame({"kunde": ["a", "a", "b"], "year": [1, 2, 1], "fee": [500, 600, 100],
                         "spending": [1e4, 1e4, 0], "points": [20, 20, 0],
                         "allocation_cost": [100, 100, 0], "maintenance_cost": [50, 50, 0]})
    out = clv.card_clv(card, rate=0.0, margin_rate=0.01, customer="kunde", revenue=["fee"],
                       rewards=["points"])
    assert out.columns[0] == "kunde" and out["kunde"].tolist() == ["a", "b"]
    t = pd.DataFrame({"kunde": [1, 1, 2], "tag": ["2024-01-01", "2024-02-01", "2024-01-05"],
                      "betrag": [1.0, 2.0, 3.0]})
    names = dict(customer="kunde", date="tag")
    assert probabilistic.calibration_summary(t, **names, amount="betrag",
                                             calibration_end="2024-03-01").columns[0] == "kunde"
    assert loyalty.occasions(t, **names).columns.tolist() == ["kunde", "day"]
    assert loyalty.purchase_intervals(t, **names).columns[0] == "kunde"
    assert portfolio.trading_status(t, **names, start="2024-01-01",
                                    end="2024-12-31").columns[0] == "kunde"
    assert rfm.summary(t, **names, amount="betrag", as_of="2024-12-31").columns[0] == "kunde"
    with pytest.raises(ValueError, match=r"customer='clv'") as info:
        clv.card_clv(card.rename(columns={"kunde": "clv"}), rate=0.0, margin_rate=0.01,
                     customer="clv", revenue=["fee"], rewards=["points"])
    _chinese_first(info.value)


# --- 4. no inf/NaN for accepted input ----------------------------------------------------

def test_quality_incident_tolerance_refuses_a_zero_baseline():
    from crmlab.synthetic import complaint_log, shop_orders

    log, orders = complaint_log(), shop_orders()
    quiet = set(orders["customer_id"].astype(str)) - set(
        complaints.summary(log)["customer_id"].astype(str))
    # customers who never complained buy once only: their repurchase rate is 0
    once = orders[~orders["customer_id"].astype(str).isin(quiet)
                  | ~orders.duplicated("customer_id")]
    with pytest.raises(ValueError, match="baseline|基准") as info:
        loyalty.quality_incident_tolerance(log, once)
    _chinese_first(info.value)
    # one code alone is one type, not seven one-letter types
    assert loyalty.quality_incident_tolerance(log, orders, types="quality") == (
        loyalty.quality_incident_tolerance(log, orders))


def test_probabilistic_predictions_are_finite_or_refused():
    bg = probabilistic.BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    pn = probabilistic.ParetoNBD.from_params(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    sbg = probabilistic.ShiftedBetaGeometric.from_params(alpha=0.704, beta=1.182)
    gg = probabilistic.GammaGamma.from_params(p=6.25, q=3.74, gamma=15.44)
    one = pd.DataFrame({"x": [1], "t_x": [1.0], "T": [3.0], "monetary": [1e308]})
    calls = [  # each returned inf, NaN or raised OverflowError before
        (lambda: bg.expected_transactions(1e308), r"t=1e\+308"),
        (lambda: pn.expected_transactions(1e308), r"t=1e\+308"),
        (lambda: bg.conditional_expected_transactions(1e308, one), r"t=1e\+308"),
        (lambda: bg.pmf(3, 1e308), r"t=1e\+308"),
        (lambda: sbg.expected_clv(1e308, 0.1), r"margin=1e\+308"),
        (lambda: gg.expected_spend(one), r"monetary.*1e\+308"),
        (lambda: probabilistic.BetaGeo.from_params(r=1e300, alpha=1e-300, a=0.793, b=2.426
                                                   ).expected_transactions(10), "r=1e\\+300"),
    ]
    for call, pattern in calls:
        with pytest.raises(ValueError, match=pattern) as info:
            call()
        _chinese_first(info.value)
    assert np.isfinite(bg.expected_transactions(probabilistic._common.T_MAX))
    assert np.isfinite(sbg.expected_clv(1e15, 1e-300))  # the long sum is internal, not refused


# --- 5. options keyword-only ---------------------------------------------------------------

def test_bgbb_weights_is_keyword_only():
    summary = pd.DataFrame({"x": [0, 1, 2], "t_x": [0, 3, 5], "n": [6, 6, 6], "w": [5, 3, 2]})
    with pytest.raises(TypeError):
        probabilistic.BetaGeoBetaBinom().fit(summary, "w")


# --- 6. no hand-built errors -----------------------------------------------------------------

def test_no_hand_built_value_or_type_errors_remain():
    for path in MINE:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                assert not (isinstance(func, ast.Name)
                            and func.id in ("ValueError", "TypeError")), (path, node.lineno)


def test_loyalty_messages_are_bilingual_and_named():
    t = pd.DataFrame({"c": [1, 2], "d": ["2024-01-01", "2024-02-01"]})
    with pytest.raises(ValueError, match="period='D'") as info:
        loyalty.customer_growth(t, customer="c", date="d", period="D")
    _chinese_first(info.value)
    with pytest.raises(ValueError, match="customer='c'.*date='c'") as info:
        loyalty.occasions(t, customer="c", date="c")
    _chinese_first(info.value)
    survey = pd.DataFrame({"brand_attention": [4, 9], "category_purchases": [10, 5],
                           "our_purchases": [5, 5], "price_tolerance_pct": [10, 20],
                           "competitor_interest": [2, 4], "identification": [5, 3],
                           "choice_minutes": [5, 15], "quality_tolerance": [3, 3]})
    with pytest.raises(ValueError, match=r"brand_attention.*\[1\] \(values \[9\]\)") as info:
        loyalty.survey_measures(survey)
    _chinese_first(info.value)
    with pytest.raises(ValueError, match="our_purchases") as info:
        loyalty.survey_measures(survey.assign(brand_attention=[4, 4], our_purchases=[11, 5]))
    _chinese_first(info.value)


def test_convergence_error_keeps_both_languages():
    error = probabilistic.ConvergenceError("参数无法估计", "cannot estimate")
    assert isinstance(error, RuntimeError) and error.zh == "参数无法估计。"
    assert error.en == "cannot estimate"
