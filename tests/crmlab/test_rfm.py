"""crmlab.rfm: summary, presets of seed 002, quantile scores, the eight segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import datasets, glossary, rfm


def _naive_summary(tx: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The textbook definitions written the slow, obvious way (pandas groupby)."""
    day = tx.assign(day=pd.to_datetime(tx["date"]).dt.normalize())
    occ = day.groupby(["customer_id", "day"], as_index=False)["amount"].sum()
    g = occ.groupby("customer_id")
    out = pd.DataFrame({
        "recency_days": (pd.Timestamp(as_of) - g["day"].max()).dt.days,
        "frequency": g.size(),
        "monetary_total": g["amount"].sum(),
        "monetary_mean": g["amount"].mean(),
    })
    return out.reset_index()


@pytest.fixture(scope="module")
def cdnow():
    return datasets.load_cdnow("master")


def test_summary_small_example_by_hand():
    tx = pd.DataFrame({
        "customer_id": [7, 7, 7, 3],
        "date": pd.to_datetime(["2024-01-10", "2024-01-10", "2024-03-01", "2024-02-29"]),
        "amount": [20.0, 10.0, 60.0, 8.0]})
    s = rfm.summary(tx, as_of="2024-03-31")
    assert s["customer_id"].tolist() == [3, 7]
    assert s["recency_days"].tolist() == [31, 30]
    assert s["frequency"].tolist() == [1, 2]  # two rows on 2024-01-10 = one occasion
    assert s["monetary_total"].tolist() == [8.0, 90.0]
    assert s["monetary_mean"].tolist() == [8.0, 45.0]
    assert s["last_purchase"].tolist() == list(pd.to_datetime(["2024-02-29", "2024-03-01"]))
    assert s["recency_months"].iloc[1] == pytest.approx(30 / 30.4375)


def test_summary_cdnow_matches_naive(cdnow):
    fast = rfm.summary(cdnow, as_of="1998-07-01")
    slow = _naive_summary(cdnow, "1998-07-01")
    assert len(fast) == 23_570
    assert int(fast["frequency"].sum()) == 67_591  # 69,659 rows -> 67,591 occasions
    np.testing.assert_array_equal(fast["customer_id"], slow["customer_id"])
    np.testing.assert_array_equal(fast["recency_days"], slow["recency_days"])
    np.testing.assert_array_equal(fast["frequency"], slow["frequency"])
    np.testing.assert_allclose(fast["monetary_total"], slow["monetary_total"], rtol=1e-12)
    np.testing.assert_allclose(fast["monetary_mean"], slow["monetary_mean"], rtol=1e-12)
    # CDNOW has same-day rows: fewer occasions than rows.
    assert fast["frequency"].sum() < len(cdnow)
    assert fast["monetary_total"].sum() == pytest.approx(cdnow["amount"].sum())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 60),
                          st.floats(0, 1000, allow_nan=False)), min_size=1, max_size=60),
       st.booleans())
def test_summary_matches_naive_on_random_data(rows, string_ids):
    ids = [f"c{r[0]:02d}" if string_ids else r[0] for r in rows]
    tx = pd.DataFrame({"customer_id": ids,
                       "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(
                           [r[1] for r in rows], unit="D"),
                       "amount": [r[2] for r in rows]})
    before = tx.copy()
    fast = rfm.summary(tx, as_of="2024-03-15")
    pd.testing.assert_frame_equal(tx, before)  # never mutates
    slow = _naive_summary(tx, "2024-03-15")
    assert fast["customer_id"].tolist() == slow["customer_id"].tolist()
    assert fast["recency_days"].tolist() == slow["recency_days"].tolist()
    assert fast["frequency"].tolist() == slow["frequency"].tolist()
    np.testing.assert_allclose(fast["monetary_total"], slow["monetary_total"], atol=1e-9)
    np.testing.assert_allclose(fast["monetary_mean"], slow["monetary_mean"], atol=1e-9)


def test_summary_shuffled_rows_same_result(cdnow):
    shuffled = cdnow.sample(frac=1, random_state=1)
    a = rfm.summary(cdnow, as_of="1998-07-01")
    b = rfm.summary(shuffled, as_of="1998-07-01")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_summary_string_dates_and_other_columns():
    tx = pd.DataFrame({"who": ["b", "a", "b"], "when": ["2024-01-05", "2024-01-01", "2024/1/9"],
                       "paid": [1, 2, 3]})
    s = rfm.summary(tx, customer="who", date="when", amount="paid", as_of="2024-01-10")
    assert s["who"].tolist() == ["a", "b"]
    assert s["recency_days"].tolist() == [9, 1]


def test_frequency_window():
    tx = pd.DataFrame({"customer_id": [1, 1, 1, 2],
                       "date": pd.to_datetime(["2019-01-01", "2023-01-02", "2023-06-01",
                                               "2020-01-01"]),
                       "amount": [100.0, 200.0, 300.0, 50.0]})
    s = rfm.summary(tx, as_of="2024-01-01", frequency_months=12)
    # window = (2023-01-01, 2024-01-01]
    assert s["frequency"].tolist() == [2, 0]
    assert s["monetary_mean"].tolist() == [200.0, 50.0]  # M uses all purchases
    assert s.attrs["frequency_months"] == 12


# --- bad input -------------------------------------------------------------------

def _tx():
    return pd.DataFrame({"customer_id": [1, 2, 3],
                         "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
                         "amount": [10.0, 20.0, 30.0]})


def test_future_transactions_raise_unless_dropped():
    with pytest.raises(ValueError, match="after as_of=2024-02-15 at rows \\[2\\].*drop_future"):
        rfm.summary(_tx(), as_of="2024-02-15")
    s = rfm.summary(_tx(), as_of="2024-02-15", drop_future=True)
    assert s["customer_id"].tolist() == [1, 2]
    with pytest.raises(ValueError, match="every transaction is after"):
        rfm.summary(_tx(), as_of="2023-01-01", drop_future=True)


def test_nan_amount_names_rows():
    tx = _tx()
    tx.loc[1, "amount"] = np.nan
    with pytest.raises(ValueError, match="data\\['amount'\\].*rows \\[1\\]"):
        rfm.summary(tx, as_of="2024-06-01")


def test_bad_dates_name_rows():
    tx = _tx().astype({"date": str})
    tx.loc[2, "date"] = "2024-13-45"
    with pytest.raises(ValueError, match="data\\['date'\\].*rows \\[2\\].*2024-13-45"):
        rfm.summary(tx, as_of="2024-06-01")
    tx = _tx()
    tx.loc[0, "date"] = pd.NaT
    with pytest.raises(ValueError, match="data\\['date'\\].*rows \\[0\\]"):
        rfm.summary(tx, as_of="2024-06-01")


def test_other_bad_input():
    with pytest.raises(ValueError, match="negative"):
        rfm.summary(_tx().assign(amount=[1.0, -2.0, 3.0]), as_of="2024-06-01")
    with pytest.raises(TypeError, match="data\\['amount'\\]"):
        rfm.summary(_tx().assign(amount=["1", "2", "3"]), as_of="2024-06-01")
    with pytest.raises(ValueError, match="as_of"):
        rfm.summary(_tx(), as_of="not a date")
    with pytest.raises(TypeError, match="as_of"):
        rfm.summary(_tx(), as_of=None)
    with pytest.raises(ValueError, match="missing column"):
        rfm.summary(_tx(), amount="value", as_of="2024-06-01")
    with pytest.raises(TypeError, match="data"):
        rfm.summary([1, 2], as_of="2024-06-01")
    with pytest.raises(ValueError, match="customer_id"):
        rfm.summary(_tx().assign(customer_id=[1, None, 3]), as_of="2024-06-01")
    with pytest.raises(ValueError, match="frequency_months"):
        rfm.summary(_tx(), as_of="2024-06-01", frequency_months=0)


# --- presets (seed 002) --------------------------------------------------------------

def test_presets_match_seed_text():
    seed = datasets.load_textbook("ch3_rfm_presets")
    for (name, dim), rows in seed.groupby(["preset", "dimension"]):
        rule = rfm.PRESETS[name].rules[dim]
        assert list(rule.seed_text) == rows.sort_values("score")["seed_text"].tolist()


@pytest.mark.parametrize(("value", "expected"), [
    (0, 3), (12, 3), (12.01, 2), (48, 2), (48.01, 1), (100, 1)])
def test_car_dealer_recency_boundaries(value, expected):
    assert rfm.PRESETS["car_dealer"].recency.apply([value]).tolist() == [expected]


@pytest.mark.parametrize(("value", "expected"), [
    (199_999.99, 1), (200_000, 2), (300_000, 2), (400_000, 2), (400_000.01, 3)])
def test_car_dealer_monetary_boundaries(value, expected):
    assert rfm.PRESETS["car_dealer"].monetary.apply([value]).tolist() == [expected]


@pytest.mark.parametrize(("preset", "value", "expected"), [
    ("pharmacy", 0, 1), ("pharmacy", 1, 1), ("pharmacy", 2, 2), ("pharmacy", 3, 3),
    ("car_dealer", 7, 3)])
def test_frequency_boundaries(preset, value, expected):
    assert rfm.PRESETS[preset].frequency.apply([value]).tolist() == [expected]


@pytest.mark.parametrize(("months", "money", "expected"), [
    (3, 149.99, (3, 1)), (3.01, 150, (2, 2)), (9, 450, (2, 2)), (9.01, 450.01, (1, 3))])
def test_pharmacy_boundaries(months, money, expected):
    p = rfm.PRESETS["pharmacy"]
    assert (int(p.recency.apply([months])[0]), int(p.monetary.apply([money])[0])) == expected


def test_preset_scoring_from_transactions():
    # A pharmacy customer: visits 2024-01-15 (120 yuan), 2024-05-20 (300 yuan) and
    # 2023-03-01 (90 yuan, outside the 12-month window); as of 2024-06-30.
    tx = pd.DataFrame({"customer_id": [1, 1, 1],
                       "date": pd.to_datetime(["2023-03-01", "2024-01-15", "2024-05-20"]),
                       "amount": [90.0, 120.0, 300.0]})
    s = rfm.summary(tx, as_of="2024-06-30", frequency_months=12)
    scored = rfm.score(s, preset="pharmacy")
    assert s["recency_days"].tolist() == [41]
    assert s["frequency"].tolist() == [2]
    assert s["monetary_mean"].tolist() == [170.0]
    assert scored["rfm_code"].tolist() == ["322"]
    with pytest.raises(ValueError, match="frequency_months=60"):
        rfm.score(s, preset="car_dealer")


def test_preset_table_intervals():
    table = rfm.preset_table("car_dealer")
    assert table.loc[("r", "interval")].tolist() == ["R > 48", "12 < R ≤ 48", "R ≤ 12"]
    assert table.loc[("m", "interval")].tolist() == [
        "M < 200,000", "200,000 ≤ M ≤ 400,000", "M > 400,000"]
    shown = rfm.preset_table("pharmacy").pipe(glossary.zh)
    assert shown.columns.tolist() == ["1分", "2分", "3分"]
    assert shown.loc[("光顾间歇 R", "crmlab 区间")].tolist() == ["R > 9", "3 < R ≤ 9", "R ≤ 3"]
    assert glossary.en(rfm.preset_table("pharmacy")).columns.tolist() == ["1 pt", "2 pt", "3 pt"]


def test_custom_rule_and_errors():
    r = rfm.rule("frequency", [2, 5, 10], unit="次")
    assert r.apply([1, 2, 4, 5, 9, 10, 50]).tolist() == [1, 2, 2, 3, 3, 4, 4]
    with pytest.raises(ValueError, match="increasing"):
        rfm.rule("x", [5, 2])
    with pytest.raises(ValueError, match="preset"):
        rfm.score(pd.DataFrame({"a": [1]}), preset="bakery")
    with pytest.raises(ValueError, match="exactly one"):
        rfm.score(pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="rules"):
        rfm.score(pd.DataFrame({"a": [1]}), rules={"r": 1})
    with pytest.raises(ValueError, match="points"):
        rfm.score(pd.DataFrame({"recency_days": [1], "frequency": [1],
                                "monetary_mean": [1.0]}), points=4)


# --- quantiles ----------------------------------------------------------------------

def test_quantile_scores_equal_groups_without_ties():
    s = pd.DataFrame({"recency_days": np.arange(10), "frequency": np.arange(10),
                      "monetary_mean": np.arange(10.0)})
    q = rfm.score(s, points=5)
    assert q["f_score"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert q["r_score"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # seven points (七分制): p = 0, .1, ..., .9 -> floor(7p) + 1
    assert rfm.score(s, points=7)["m_score"].tolist() == [1, 1, 2, 3, 3, 4, 5, 5, 6, 7]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 6), st.integers(0, 50)),
                min_size=1, max_size=80),
       st.sampled_from([3, 5, 7]), st.randoms(use_true_random=False))
def test_quantile_scores_in_range_ties_equal_and_order_free(rows, points, rnd):
    s = pd.DataFrame(rows, columns=["recency_days", "frequency", "monetary_mean"])
    q = rfm.score(s, points=points)
    for key, column in (("r", "recency_days"), ("f", "frequency"), ("m", "monetary_mean")):
        scores = q[f"{key}_score"]
        assert scores.between(1, points).all()
        assert (q.groupby(column)[f"{key}_score"].nunique() == 1).all()  # ties share
        better = s[column] if key != "r" else -s[column]
        assert scores.iloc[int(np.argmin(better.to_numpy()))] == 1  # worst value scores 1
    order = list(range(len(s)))
    rnd.shuffle(order)
    q2 = rfm.score(s.iloc[order], points=points)
    pd.testing.assert_frame_equal(q2.sort_index(), q.sort_index())


def test_quantile_on_cdnow(cdnow):
    q = rfm.score(rfm.summary(cdnow, as_of="1998-07-01"), points=5)
    assert set(q["r_score"]) == {1, 2, 3, 4, 5}
    # over half of CDNOW customers bought on one day only: they all score F = 1
    one = q["frequency"] == 1
    assert one.mean() > 0.5 and (q.loc[one, "f_score"] == 1).all()


# --- segments ----------------------------------------------------------------------

def test_eight_segments_rule_and_labels():
    combos = pd.DataFrame([(r, f, m) for r in (3, 1) for f in (3, 1) for m in (3, 1)],
                          columns=["r_score", "f_score", "m_score"])
    seg = rfm.segments(combos)  # mean = 2 on each score: 3 is high, 1 low
    expected = {(3, 3, 3): "重要价值客户", (3, 1, 3): "重要发展客户", (1, 3, 3): "重要保持客户",
                (1, 1, 3): "重要挽留客户", (3, 3, 1): "一般价值客户", (3, 1, 1): "一般发展客户",
                (1, 3, 1): "一般保持客户", (1, 1, 1): "一般挽留客户"}
    shown = seg.pipe(glossary.zh)
    got = {tuple(r[:3]): r[3] for r in
           shown[["R 得分", "F 得分", "M 得分", "客户细分"]].itertuples(index=False)}
    assert got == expected
    assert glossary.en(seg["segment"]).iloc[0] == "Important value"
    assert seg["segment"].iloc[0] == "important_value"  # computation keeps the code
    table = rfm.strategy_table()
    assert len(table) == 8 and set(table["r_level"]) == {"high", "low"}
    zh = table.pipe(glossary.zh)
    assert zh.index[0] == "重要价值客户"
    assert zh.iloc[0, :3].tolist() == ["高（最近来过）", "高（来得多）", "高（花得多）"]
    assert zh.iloc[0, 3].startswith("重点维护")
    # every code the computation can produce has a label in both languages
    for column in ("segment", "strategy", "r_level"):
        codes = set(seg["segment"]) if column == "segment" else set(table[column])
        assert codes <= set(glossary.VALUES[column]), column


def test_segment_reference_is_strictly_above():
    s = pd.DataFrame({"r_score": [2, 2, 2], "f_score": [1, 2, 3], "m_score": [3, 3, 3]})
    seg = rfm.segments(s)  # mean R = 2: nobody is above -> R low for all
    assert not seg["r_high"].any()
    assert seg["f_high"].tolist() == [False, False, True]
    fixed = rfm.segments(s, reference={"r": 1, "f": 1, "m": 1})
    assert fixed["r_high"].all()
    with pytest.raises(ValueError, match="reference"):
        rfm.segments(s, reference="mode")


def test_segment_summary_cdnow(cdnow):
    s = rfm.summary(cdnow, as_of="1998-07-01")
    seg = rfm.segments(rfm.score(s, points=5))
    table = rfm.segment_summary(seg)
    assert table.index.tolist() == rfm.strategy_table().index.tolist()
    assert table["customers"].sum() == 23_570
    assert table["monetary_total"].sum() == pytest.approx(cdnow["amount"].sum())
    assert table["revenue_share"].sum() == pytest.approx(1.0)
    top = table.loc["important_value"]
    assert top["revenue_share"] > top["customer_share"]
    # the notebook's remark: the mean score sits just below 3 on R and M (and below 3
    # on F), so "strictly above the mean" is the same split as a fixed 2.5
    fixed = rfm.segments(seg[["r_score", "f_score", "m_score"]],
                         reference={"r": 2.5, "f": 2.5, "m": 2.5})
    assert (fixed["segment"] == seg["segment"]).all()
    assert 2.99 < seg["r_score"].mean() < 3 and 2.99 < seg["m_score"].mean() < 3


def test_score_crosstab():
    s = pd.DataFrame({"r_score": [1, 1, 2], "f_score": [1, 1, 2],
                      "monetary_mean": [2.0, 4.0, 9.0]})
    g = rfm.score_crosstab(s)
    assert g.loc[1, 1] == 3.0 and g.loc[2, 2] == 9.0
    assert rfm.score_crosstab(s, aggfunc="count").loc[1, 1] == 2
    with pytest.raises(ValueError, match="aggfunc"):
        rfm.score_crosstab(s, aggfunc="max")
    with pytest.raises(TypeError, match="monetary_mean"):
        rfm.score_crosstab(s.assign(monetary_mean=["1", "2", "3"]))


def test_score_and_segments_do_not_mutate():
    s = pd.DataFrame({"recency_days": [5, 50, 500], "recency_months": [0.2, 1.6, 16.4],
                      "frequency": [3, 2, 1], "monetary_mean": [500.0, 200.0, 50.0],
                      "monetary_total": [1500.0, 400.0, 50.0]})
    before = s.copy()
    q = rfm.score(s, points=3)
    q0 = q.copy()
    seg = rfm.segments(q)
    rfm.segment_summary(seg)
    rfm.score(s, preset="pharmacy")
    pd.testing.assert_frame_equal(s, before)
    pd.testing.assert_frame_equal(q, q0)
    assert "segment" not in q.columns


# --- regressions: bad input that once gave a wrong number or a crash -----------------

def test_offset_string_counts_on_its_own_calendar_day():
    # 07:00 in UTC+8 on 2 January is 23:00 UTC on 1 January: the local day counts
    tx = pd.DataFrame({"customer_id": [1, 1], "amount": [5.0, 7.0],
                       "date": ["2024-01-02T07:00:00+08:00", "2024-01-01T23:30:00-05:00"]})
    s = rfm.summary(tx, as_of="2024-01-10")
    assert s["first_purchase"].tolist() == [pd.Timestamp("2024-01-01")]
    assert s["last_purchase"].tolist() == [pd.Timestamp("2024-01-02")]
    assert s["frequency"].tolist() == [2] and s["recency_days"].tolist() == [8]


def test_tz_aware_dates_count_on_the_local_calendar_day():
    dates = pd.Series(pd.to_datetime(["2024-01-02 07:00", "2024-01-02 20:00"])).dt.tz_localize(
        "Asia/Shanghai")
    tx = pd.DataFrame({"customer_id": [1, 1], "date": dates, "amount": [1.0, 2.0]})
    s = rfm.summary(tx, as_of=pd.Timestamp("2024-01-03 01:00", tz="Asia/Shanghai"))
    assert s["frequency"].tolist() == [1]  # one calendar day in Shanghai
    assert s["last_purchase"].tolist() == [pd.Timestamp("2024-01-02")]
    assert s["recency_days"].tolist() == [1]


@pytest.mark.parametrize("dtype, ids", [
    ("int8", [-128, 5, -128, 127]), ("int16", [-300, 2, -300, 7]),
    ("uint64", [2**63 + 7, 2**63, 2**63 + 7, 2**64 - 1]), ("uint8", [255, 0, 255, 3]),
    ("int64", [-(2**63), 2**63 - 1, -(2**63), 0]),
])
def test_integer_ids_of_any_width_and_sign(dtype, ids):
    tx = pd.DataFrame({"customer_id": pd.Series(ids, dtype=dtype),
                       "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                               "2024-01-04"]),
                       "amount": [1.0, 2.0, 3.0, 4.0]})
    s = rfm.summary(tx, as_of="2024-01-10")
    assert s["customer_id"].dtype == np.dtype(dtype)
    assert s["customer_id"].tolist() == sorted(set(ids))
    first = s.set_index("customer_id").loc[ids[0]]
    assert first["frequency"] == 2 and first["monetary_total"] == 4.0


@pytest.mark.parametrize("flag", ["False", "True", 0, 1, None])
def test_rule_flags_must_be_booleans(flag):
    with pytest.raises(TypeError, match="True or False"):
        rfm.rule("recency_days", [30, 90], higher_is_better=flag)
    with pytest.raises(TypeError, match="True or False"):
        rfm.Rule("recency_days", (30,), (True,), higher_is_better=flag)
    with pytest.raises(TypeError, match="True or False"):
        rfm.Rule("recency_days", (30,), (flag,))
    with pytest.raises(TypeError, match="True or False"):
        rfm.summary(_tx(), as_of="2024-06-01", drop_future=flag)


def test_rule_false_as_text_hints_at_the_slip():
    with pytest.raises(TypeError, match="你是不是想写 False"):
        rfm.rule("recency_days", [30], higher_is_better="False")


def test_huge_amounts_are_refused_not_summed_to_inf():
    with pytest.raises(ValueError, match="too large"):
        rfm.summary(_tx().assign(amount=[1e308, 1e308, 1.0]), as_of="2024-06-01")


# --- differential: an independent loop over customers ------------------------------

def _loop_summary(tx: pd.DataFrame, as_of: str) -> dict:
    """RFM by its definition, one customer at a time in plain Python (no groupby)."""
    as_of_day = pd.Timestamp(as_of).date()
    spend: dict = {}
    for who, when, paid in zip(tx["customer_id"], tx["date"], tx["amount"], strict=True):
        day = pd.Timestamp(when).date()  # wall-clock day in the timestamp's own zone
        spend.setdefault(who, {}).setdefault(day, 0.0)
        spend[who][day] += paid
    out = {}
    for who, days in spend.items():
        total = sum(days.values())
        out[who] = ((as_of_day - max(days)).days, len(days), total, total / len(days))
    return out


_OFFSETS = ["", "+08:00", "-05:00", "Z", "+05:45"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 6), st.integers(0, 40), st.integers(0, 23),
                          st.sampled_from(_OFFSETS), st.floats(0, 1e6, allow_nan=False)),
                min_size=1, max_size=50),
       st.sampled_from(["int8", "int16", "uint64", "str", "int64"]))
def test_summary_matches_an_independent_loop(rows, id_kind):
    def ident(k):
        if id_kind == "str":
            return f"c{k}"
        if id_kind == "uint64":
            return 2**63 + k + 3
        return k
    ids = pd.Series([ident(r[0]) for r in rows],
                    dtype=None if id_kind == "str" else id_kind)
    dates = [(pd.Timestamp("2024-01-01") + pd.Timedelta(days=r[1], hours=r[2])).strftime(
        "%Y-%m-%dT%H:%M:%S") + r[3] for r in rows]
    tx = pd.DataFrame({"customer_id": ids, "date": dates, "amount": [r[4] for r in rows]})
    before = tx.copy()
    fast = rfm.summary(tx, as_of="2024-03-01")
    pd.testing.assert_frame_equal(tx, before)
    slow = _loop_summary(tx, "2024-03-01")
    assert fast["customer_id"].tolist() == sorted(slow)
    for row in fast.itertuples(index=False):
        recency, frequency, total, mean = slow[row.customer_id]
        assert (row.recency_days, row.frequency) == (recency, frequency)
        assert row.monetary_total == pytest.approx(total, rel=1e-12, abs=1e-9)
        assert row.monetary_mean == pytest.approx(mean, rel=1e-12, abs=1e-9)


# --- property: every public function meets bad input with a clear error ---------------

BAD_VALUES = [np.nan, np.inf, -np.inf, 1e308, -1.0, "12", "abc", None, True, [1, 2],
              np.array([1.0, 2.0]), pd.Series([1.0]), (), {}, -(2**63), 2**64,
              pd.Timestamp("2024-01-02 07:00", tz="Asia/Shanghai"), np.int8(-3)]


def _good_summary() -> pd.DataFrame:
    return rfm.summary(_tx(), as_of="2024-06-01")


def _calls(bad):
    """Each public entry point with one argument replaced by ``bad``."""
    good = _good_summary()
    scored = rfm.score(good, points=3)
    seg = rfm.segments(scored)
    return [
        lambda: rfm.summary(_tx().assign(amount=[1.0, bad, 3.0]) if np.ndim(bad) == 0
                            else bad, as_of="2024-06-01"),
        lambda: rfm.summary(_tx().assign(date=["2024-01-01", bad, "2024-02-01"])
                            if np.ndim(bad) == 0 else _tx(), as_of="2024-06-01"),
        lambda: rfm.summary(_tx(), as_of=bad),
        lambda: rfm.summary(_tx(), as_of="2024-06-01", frequency_months=bad),
        lambda: rfm.summary(_tx(), customer=bad, as_of="2024-06-01"),
        lambda: rfm.summary(_tx().assign(customer_id=[1, bad, 1]) if np.ndim(bad) == 0
                            else _tx(), as_of="2024-06-01"),
        lambda: rfm.score(good, points=bad),
        lambda: rfm.score(good, preset=bad),
        lambda: rfm.score(good, rules=bad),
        lambda: rfm.score(good.assign(frequency=[bad, 1]) if np.ndim(bad) == 0 else bad,
                          points=3),
        lambda: rfm.rule("frequency", bad),
        lambda: rfm.rule("frequency", [2, bad]),
        lambda: rfm.rule(bad, [2, 3]),
        lambda: rfm.rule("frequency", [2, 3], edge_goes_up=bad),
        lambda: rfm.rule("frequency", [2, 3], unit=bad),
        lambda: rfm.Rule("frequency", (2,), (True,)).apply(bad),
        lambda: rfm.Rule("frequency", (2,), (True,)).intervals(bad),
        lambda: rfm.get_preset(bad),
        lambda: rfm.preset_table(bad),
        lambda: rfm.segments(scored, reference=bad),
        lambda: rfm.segments(scored.assign(r_score=[bad, 1]) if np.ndim(bad) == 0 else bad),
        lambda: rfm.segment_summary(seg.assign(monetary_total=[bad, 1.0])
                                    if np.ndim(bad) == 0 else bad),
        lambda: rfm.segment_summary(seg, revenue=bad),
        lambda: rfm.score_crosstab(scored, aggfunc=bad),
        lambda: rfm.score_crosstab(scored.assign(monetary_mean=[bad, 1.0])
                                   if np.ndim(bad) == 0 else bad),
    ]


N_RFM_CALLS = len(_calls(0.0))


def _finite(result) -> bool:
    frames = result if isinstance(result, tuple) else (result,)
    for frame in frames:
        if isinstance(frame, pd.DataFrame):
            numbers = frame.select_dtypes("number")
            # segment means of empty segments are NaN by design
            numbers = numbers[[c for c in numbers.columns if not str(c).startswith("mean_")]]
            if not np.isfinite(numbers.to_numpy(dtype=float)).all():
                return False
    return True


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(BAD_VALUES), st.integers(0, 10**6))
def test_bad_input_gets_value_or_type_error_and_never_a_wrong_number(bad, which):
    call = _calls(bad)[which % N_RFM_CALLS]
    tx = _tx()
    before = tx.copy()
    try:
        result = call()
    except (ValueError, TypeError) as error:
        assert str(error)  # a message, never an empty error
    else:
        # accepted inputs (e.g. a numpy int where an int belongs) give finite numbers
        if not isinstance(result, rfm.Rule | rfm.Preset | list | np.ndarray):
            assert _finite(result)
    pd.testing.assert_frame_equal(tx, before)


@pytest.mark.parametrize("bad", BAD_VALUES, ids=repr)
def test_every_public_call_with_every_bad_value(bad):
    for call in _calls(bad):
        try:
            result = call()
        except (ValueError, TypeError):
            continue
        if isinstance(result, pd.DataFrame):
            assert _finite(result)


# --- CDNOW is one acquisition cohort (first purchases in Q1 1997) ------------------------

def _cut_segments(summary, m_column, m_dollars):
    rules = {"r": rfm.rule("recency_days", [365], higher_is_better=False, edge_goes_up=False),
             "f": rfm.rule("frequency", [2]),
             "m": rfm.rule(m_column, [m_dollars])}
    return rfm.segments(rfm.score(summary, rules=rules), reference={"r": 1, "f": 1, "m": 1})


def test_cdnow_quantile_development_segments_are_a_cohort_artefact(cdnow):
    s = rfm.summary(cdnow, as_of="1998-07-01")
    assert (s["first_purchase"] < pd.Timestamp("1997-04-01")).all()
    seg = rfm.segments(rfm.score(s, points=5))
    dev = seg[seg["segment"].isin(["important_development", "general_development"])]
    # "R high" under quantiles, yet every one is a one-time buyer silent for 15 months
    assert len(dev) > 3000 and (dev["frequency"] == 1).all()
    assert dev["recency_days"].min() > 450
    assert (dev["last_purchase"] < pd.Timestamp("1997-04-01")).all()


@pytest.mark.parametrize(("m_column", "m_dollars"),
                         [("monetary_mean", 30.0), ("monetary_total", 100.0)])
def test_cdnow_business_cut_offs_leave_no_development_segment(cdnow, m_column, m_dollars):
    s = rfm.summary(cdnow, as_of="1998-07-01")
    seg = _cut_segments(s, m_column, m_dollars)
    table = rfm.segment_summary(seg)
    assert table.loc[["important_development", "general_development"], "customers"].sum() == 0
    assert not seg.loc[s["frequency"] == 1, "r_high"].any()
    # 挽留 = exactly the one-time buyers; 价值 + 保持 = the repeat buyers
    winback = seg["segment"].isin(["important_winback", "general_winback"])
    assert (winback == (s["frequency"] == 1)).all()
    assert table["customers"].sum() == 23_570
    assert table["revenue_share"].sum() == pytest.approx(1.0)


def test_cdnow_total_monetary_moves_repeat_buyers_into_important(cdnow):
    s = rfm.summary(cdnow, as_of="1998-07-01")
    assert np.allclose(s["monetary_total"], s["monetary_mean"] * s["frequency"])
    per_visit = _cut_segments(s, "monetary_mean", 30.0)
    total = _cut_segments(s, "monetary_total", 100.0)
    repeat = s["frequency"] >= 2
    # accumulated spend favours repeat buyers: more of them are 重要 under the 004 definition
    assert total.loc[repeat, "m_high"].mean() > per_visit.loc[repeat, "m_high"].mean()
    assert total.loc[~repeat, "m_high"].mean() < per_visit.loc[~repeat, "m_high"].mean()


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.integers(0, 800), min_size=1, max_size=30),
       cut=st.integers(1, 700))
def test_one_edge_rules_with_reference_one_split_at_the_business_cut_off(days, cut):
    s = pd.DataFrame({"recency_days": days, "frequency": [1] * len(days),
                      "monetary_total": [10.0] * len(days)})
    rules = {"r": rfm.rule("recency_days", [cut], higher_is_better=False, edge_goes_up=False),
             "f": rfm.rule("frequency", [2]), "m": rfm.rule("monetary_total", [100])}
    seg = rfm.segments(rfm.score(s, rules=rules), reference={"r": 1, "f": 1, "m": 1})
    # high = on the good side of the cut-off (the cut itself included), whatever the others do
    assert seg["r_high"].tolist() == [d <= cut for d in days]
    assert not seg["f_high"].any() and not seg["m_high"].any()
