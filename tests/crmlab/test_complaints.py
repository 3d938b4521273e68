"""crmlab.complaints: taxonomy, the enforced workflow, the event log and its files."""

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmlab import complaints as cp
from crmlab import glossary

WORKFLOW_TABLE = {  # the shared workflow table (briefs), typed independently of the module
    "record": {"judge"}, "judge": {"assign", "rejected"}, "rejected": set(),
    "assign": {"analyse"}, "analyse": {"propose"}, "propose": {"approve"},
    "approve": {"implement", "propose"}, "implement": {"review"},
    "review": {"closed", "analyse"}, "closed": {"analyse"},
}


def _new(cid="T1", at="2024-03-01 09:00"):
    return cp.Complaint(cid, customer_id="K1", complaint_type="quality",
                        sub_item="quality_failure", by="前台", at=at, note="屏幕不亮")


def _full_path(c):
    t = pd.Timestamp("2024-03-01 09:00")
    for step in ("judge", "assign", "analyse", "propose", "approve", "implement", "review",
                 "closed"):
        t += pd.Timedelta(hours=5)
        c.advance(step, by="张三", at=t, department="qa" if step == "assign" else None,
                  satisfaction=4 if step == "review" else None)
    return c


# --- taxonomy ------------------------------------------------------------------------

def test_workflow_matches_the_shared_table():
    assert set(cp.STEPS) == set(WORKFLOW_TABLE)
    assert {k: set(v) for k, v in cp.TRANSITIONS.items()} == WORKFLOW_TABLE
    assert cp.PROCEDURE == ("record", "judge", "assign", "analyse", "propose", "approve",
                            "implement", "review")
    assert cp.TERMINAL == ("rejected",)


def test_every_code_has_chinese_and_english_labels():
    for column, codes in [("step", cp.STEPS), ("complaint_type", cp.TYPES),
                          ("principle", cp.PRINCIPLES),
                          ("complaint_strategy", cp.STRATEGIES),
                          ("attention_point", cp.ATTENTION_POINTS),
                          ("sub_item", [s for t in cp.TYPES for s in cp.SUB_ITEMS[t]])]:
        assert set(glossary.VALUES[column]) == set(codes), column
    assert glossary.value_label("step", "implement") == "实施方案并处罚直接责任者"
    assert glossary.value_label("complaint_type", "transport", "en") == "Transport"


def test_lecture_counts():
    assert len(cp.TYPES) == 4 and len(cp.PRINCIPLES) == 4
    assert len(cp.STRATEGIES) == 6 and len(cp.ATTENTION_POINTS) == 6
    assert len(cp.PROCEDURE) == 8
    table = cp.types_table().pipe(glossary.zh)
    assert "运输途中损坏" in set(table["投诉子项"])
    assert cp.strategies_table()["step"].isin(cp.STEPS).all()
    assert cp.attention_table()["step"].isin((*cp.STEPS, "")).all()


# --- the workflow ----------------------------------------------------------------------

def test_full_path_keeps_who_when_note():
    c = _full_path(_new())
    assert c.step == "closed" and len(c.history) == 9
    assert c.history[0].note == "屏幕不亮" and c.history[0].by == "前台"
    assert c.department == "qa" and c.satisfaction == 4.0 and c.reopens == 0
    c.advance("analyse", by="李四", at="2024-03-10", note="客户再次来电")
    assert c.reopens == 1 and c.next_steps() == ("propose",)


def test_rejection_closes_early_and_is_terminal():
    c = _new().advance("judge", by="a", at="2024-03-01 10:00")
    c.advance("rejected", by="a", at="2024-03-01 11:00", note="已过保修期")
    assert c.step == "rejected" and c.next_steps() == ()
    with pytest.raises(cp.WorkflowError, match="无（已终结）"):
        c.advance("analyse", by="a", at="2024-03-02")


def test_illegal_move_names_current_and_legal_steps_and_changes_nothing():
    c = _new().advance("judge", by="a", at="2024-03-01 10:00")
    before = copy.deepcopy(c)
    with pytest.raises(cp.WorkflowError) as err:
        c.advance("analyse", by="a", at="2024-03-02")
    text = str(err.value)
    assert "判定是否成立" in text and "确定责任部门" in text and "'assign'" in text
    assert "'rejected'" in text and text.index("不能") < text.index("Illegal")
    assert isinstance(err.value, ValueError)
    assert c == before


@pytest.mark.parametrize("kwargs, match", [
    ({"step": "approved"}, "Unknown step"),
    ({"step": "judge", "at": "2024-02-28"}, "backwards"),
    ({"step": "judge", "at": None}, "at=None .*expected a date"),
    ({"step": "judge", "at": "not a date"}, "at='not a date' .*expected a date"),
    ({"step": "judge", "by": ""}, "empty"),
    ({"step": "judge", "by": 3}, "expected text"),
    ({"step": "judge", "department": "qa"}, "only be set at 'assign'"),
    ({"step": "judge", "satisfaction": 4}, "only be recorded"),
])
def test_bad_moves_are_refused_and_leave_the_record(kwargs, match):
    c = _new()
    before = copy.deepcopy(c)
    args = {"by": "a", "at": "2024-03-02", **kwargs}
    with pytest.raises((ValueError, TypeError), match=match):
        c.advance(args.pop("step"), **args)
    assert c == before


def test_assign_needs_a_department_and_satisfaction_is_a_1_to_5_score():
    c = _new().advance("judge", by="a", at="2024-03-02")
    with pytest.raises(ValueError, match="department"):
        c.advance("assign", by="a", at="2024-03-02")
    c2 = _full_path(_new())
    c2.advance("analyse", by="a", at="2024-04-01")
    for step in ("propose", "approve", "implement"):
        c2.advance(step, by="a", at="2024-04-02")
    for bad in (0, 6, float("inf"), "5"):
        with pytest.raises((ValueError, TypeError)):
            c2.advance("review", by="a", at="2024-04-03", satisfaction=bad)
    assert c2.step == "implement"
    c2.advance("review", by="a", at="2024-04-03", satisfaction=float("nan"))
    assert c2.satisfaction == 4.0  # NaN = not rated this time: the earlier score stays


def test_constructor_checks_type_and_sub_item():
    with pytest.raises(ValueError, match="belongs to 'service'"):
        cp.Complaint("T", customer_id="K", complaint_type="quality",
                     sub_item="service_attitude", by="a", at="2024-01-01")
    with pytest.raises(ValueError, match="complaint_type='质量' .*expected one of"):
        cp.Complaint("T", customer_id="K", complaint_type="质量",
                     sub_item="quality_defect", by="a", at="2024-01-01")
    c = cp.Complaint("T", customer_id=-12, complaint_type="quality",
                     sub_item="quality_defect", by="a", at="2024-01-01T08:00+08:00")
    assert c.customer_id == "-12" and c.history[0].at == pd.Timestamp("2024-01-01 08:00")


# --- random move sequences (a reference model of the table) ----------------------------

@given(st.lists(st.tuples(st.sampled_from([*cp.STEPS, "bogus"]),
                          st.integers(-3, 30)), max_size=40))
def test_random_moves_equal_the_last_legal_state(moves):
    c = _new(at="2024-01-01")
    state, t, n = "record", pd.Timestamp("2024-01-01"), 1
    for step, hours in moves:
        when = t + pd.Timedelta(hours=hours)
        legal = step in WORKFLOW_TABLE.get(state, set()) and when >= t
        before = copy.deepcopy(c)
        try:
            c.advance(step, by="x", at=when, department="qa" if step == "assign" else None)
        except cp.WorkflowError:
            assert not legal
            assert c == before
        else:
            assert legal
            state, t, n = step, when, n + 1
        assert c.step == state and len(c.history) == n and c.history[-1].at == t


# --- the event log and its files ---------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=20)


# Two files per example (~0.15 s): 40 random texts plus the CSV traps named here (quotes,
# separators, line breaks, "NA"/"nan" read back as missing) test what 100 random ones did.
@settings(max_examples=40, deadline=None)
@example(note='"a,b"\n\r"', by="NA", reopen=True, sat=None)
@example(note="", by="nan", reopen=False, sat=5)
@given(note=_text, by=_text.filter(lambda s: s.strip() != ""),
       reopen=st.booleans(), sat=st.one_of(st.none(), st.integers(1, 5)))
def test_csv_and_parquet_round_trip_every_field(tmp_path_factory, note, by, reopen, sat):
    folder = tmp_path_factory.mktemp("log")
    a = _full_path(_new("A"))
    if reopen:
        a.advance("analyse", by=by, at="2024-04-01 10:00:00.123456", note=note)
    b = cp.Complaint("B", customer_id="K2", complaint_type="service",
                     sub_item="service_attitude", by=by, at="2024-05-01", note=note,
                     order_id="O7")
    b.advance("judge", by=by, at="2024-05-01").advance("rejected", by=by, at="2024-05-03")
    c = _new("C")
    for step in ("judge", "assign", "analyse", "propose", "approve", "implement"):
        c.advance(step, by="y", at="2024-03-05", department="logistics"
                  if step == "assign" else None)
    c.advance("review", by="y", at="2024-03-06", satisfaction=sat, note=note)
    records = [b, a, c]
    assert cp.read_csv(cp.to_csv(records, folder / "log.csv")) == records
    assert cp.read_parquet(cp.to_parquet(records, folder / "log.parquet")) == records
    assert cp.from_frame(cp.to_frame(records)) == records


def test_from_frame_names_the_bad_row():
    log = cp.to_frame([_full_path(_new())])
    bad = log.copy()
    bad.loc[3, "step"] = "close"
    with pytest.raises(cp.WorkflowError, match="第 3 行.*Unknown step"):
        cp.from_frame(bad)
    bad = log.copy()
    bad.loc[5, "at"] = pd.Timestamp("2024-01-01")
    with pytest.raises(cp.WorkflowError, match="第 5 行.*backwards"):
        cp.from_frame(bad)
    bad = log.copy()
    bad.loc[2, "department"] = None
    with pytest.raises(ValueError, match="第 2 行.*department"):
        cp.from_frame(bad)
    bad = log.drop(index=0)
    with pytest.raises(cp.WorkflowError, match="must start with 'record'"):
        cp.from_frame(bad)
    before = log.copy()
    cp.from_frame(log)
    pd.testing.assert_frame_equal(log, before)


def test_log_columns_and_types():
    log = cp.to_frame([_full_path(_new())])
    assert tuple(log.columns) == cp.LOG_COLUMNS
    assert log["at"].dtype == "datetime64[ns]" and log["satisfaction"].dtype == float
    assert log["department"].notna().sum() == 1
    assert np.isnan(log["satisfaction"]).sum() == len(log) - 1


# --- log analytics -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shop():
    from crmlab import datasets
    log = datasets.load_synthetic("complaint_log")
    orders = datasets.load_synthetic("shop_orders", parse_dates=["date"])
    return log, cp.summary(log), orders


def _handled(cid, customer, opened, hours, dept="qa", sat=None, reopen=False,
             sub="quality_failure"):
    """A complaint that runs the whole procedure in ``hours`` hours."""
    kind = sub.split("_")[0]
    t0 = pd.Timestamp(opened)
    c = cp.Complaint(cid, customer_id=customer, complaint_type=kind, sub_item=sub, by="a",
                     at=t0)
    steps = ["judge", "assign", "analyse", "propose", "approve", "implement", "review"]
    if reopen:
        steps += ["analyse", "propose", "approve", "implement", "review"]
    steps.append("closed")
    for k, step in enumerate(steps, 1):
        c.advance(step, by="a", at=t0 + pd.Timedelta(hours=hours * k / len(steps)),
                  department=dept if step == "assign" else None,
                  satisfaction=sat if step == "review" and k > len(steps) - 3 else None)
    return c


def test_summary_and_sla_by_hand():
    records = [_handled("A", "K1", "2024-01-01", 24 * 3, "qa", 5),
               _handled("B", "K2", "2024-01-01", 24 * 7, "qa", 4),     # exactly 7 days: in time
               _handled("C", "K3", "2024-01-01", 24 * 7 + 1, "qa", 2),  # one hour late
               _handled("D", "K4", "2024-01-01", 24 * 10, "logistics", None, reopen=True)]
    open_one = cp.Complaint("E", customer_id="K5", complaint_type="service",
                            sub_item="service_skill", by="a", at="2024-01-02")
    open_one.advance("judge", by="a", at="2024-01-03").advance(
        "assign", by="a", at="2024-01-03", department="logistics")
    log = cp.to_frame([*records, open_one])
    s = cp.summary(log)
    assert s.set_index("complaint_id")["handling_days"].round(4).dropna().tolist() == [
        3.0, 7.0, round(7 + 1 / 24, 4), 10.0]
    assert s.set_index("complaint_id").loc["E", "status"] == "open"
    sla = cp.sla_by_department(log, sla_days=7).set_index("department")
    assert sla.loc["qa", ["complaints", "within_sla", "breaches"]].tolist() == [3, 2, 1]
    assert sla.loc["qa", "sla_compliance"] == pytest.approx(2 / 3)
    assert sla.loc["logistics", ["complaints", "settled", "open", "breaches"]].tolist() == [
        2, 1, 1, 1]
    assert sla.loc["logistics", "sla_compliance"] == 0.0
    assert cp.sla_by_department(log, sla_days=10).set_index("department").loc[
        "logistics", "within_sla"] == 1
    rr = cp.reopen_rate(log).iloc[0]
    assert (rr["handled"], rr["reopened"], rr["not_handled"]) == (4, 1, 1)
    sat = cp.satisfaction(log).set_index("department")
    assert sat.loc["logistics", ["handled", "rated", "unrated"]].tolist() == [2, 0, 2]
    assert np.isnan(sat.loc["logistics", "mean_satisfaction"])
    assert sat.loc["qa", "mean_satisfaction"] == pytest.approx(11 / 3)
    assert sat.loc["qa", "satisfied_share"] == pytest.approx(2 / 3)


def test_bad_input_is_reported_never_dropped():
    log = cp.to_frame([_handled("A", "K1", "2024-01-01", 30, sat=4),
                       _handled("B", "K2", "2024-01-02", 30, sat=np.nan)])
    bad = log.copy()
    bad.loc[1, "step"] = "jugde"
    bad.loc[12, "at"] = pd.Timestamp("2023-12-01")
    bad.loc[bad.index[(bad["complaint_id"] == "B") & (bad["step"] == "assign")], "department"] = (
        None)
    bad.loc[7, "satisfaction"] = 9.0
    bad.loc[14, "step"] = "closed"  # propose -> closed
    before = bad.copy()
    problems = cp.validate_log(bad)
    pd.testing.assert_frame_equal(bad, before)
    assert set(problems["problem"]) == {"unknown_step", "illegal_move", "time_backwards",
                                        "missing_department", "bad_satisfaction"}
    assert 1 in set(problems["row"]) and 12 in set(problems["row"])
    with pytest.raises(ValueError, match="validate_log") as err:
        cp.summary(bad)
    assert "row 1: unknown_step" in str(err.value)
    for func in (cp.pareto, cp.sla_by_department, cp.reopen_rate, cp.satisfaction):
        with pytest.raises(ValueError, match="problem"):
            func(bad)
    # explicit exclusion works, and NaN satisfaction is reported as unrated
    clean = bad[~bad["complaint_id"].isin(problems["complaint_id"])]
    assert cp.validate_log(log).empty and clean.empty
    sat = cp.satisfaction(log)
    assert sat[["handled", "rated", "unrated"]].values.tolist() == [[2, 1, 1]]


def test_unknown_codes_and_missing_customers_are_reported():
    log = cp.to_frame([_handled("A", "K1", "2024-01-01", 30),
                       _handled("B", "K2", "2024-01-02", 30)])
    bad = log.copy()
    bad["complaint_type"] = bad["complaint_type"].where(bad["complaint_id"] != "B", "质量")
    bad.loc[0, "customer_id"] = None
    problems = cp.validate_log(bad)
    flagged = problems.loc[problems["problem"] == "bad_code", "row"].tolist()
    assert flagged == [0, *bad.index[bad["complaint_id"] == "B"]]
    with pytest.raises(ValueError, match="bad_code"):
        cp.summary(bad)


def test_validate_log_reads_text_times_and_flags_a_log_without_record():
    log = cp.to_frame([_handled("A", "K1", "2024-01-01", 30)])
    text = log.assign(at=log["at"].astype(str))
    assert cp.validate_log(text).empty
    assert cp.summary(text)["handling_days"].iloc[0] == pytest.approx(30 / 24)
    assert cp.validate_log(log.drop(index=0))["problem"].tolist() == ["no_record"]
    with pytest.raises(ValueError, match="missing column"):
        cp.validate_log(log.drop(columns=["department"]))


# Five sub-items and one cut: 40 examples already hit ties, one sub-item and a cut at the
# last share; each example builds up to 60 Complaint objects (~0.1 s).
@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["quality_failure", "quality_defect", "service_skill",
                                 "transport_loss", "contract_terms"]), min_size=1,
                max_size=60), st.floats(0.05, 1.0))
def test_pareto_against_value_counts(subs, cut):
    records = [cp.Complaint(f"T{i}", customer_id="K", complaint_type=s.split("_")[0],
                            sub_item=s, by="a", at="2024-01-01") for i, s in enumerate(subs)]
    table = cp.pareto(cp.to_frame(records), cut=cut)
    naive = pd.Series(subs).value_counts()
    assert dict(zip(table["sub_item"], table["complaints"], strict=True)) == naive.to_dict()
    assert table["complaints"].is_monotonic_decreasing
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    vital = table["vital_few"].to_numpy()
    k = int(vital.sum())
    assert vital[:k].all() and not vital[k:].any()  # a prefix
    assert table["cumulative_share"].iloc[k - 1] >= cut - 1e-9  # reaches the cut
    if k > 1:
        assert table["cumulative_share"].iloc[k - 2] < cut  # and is the shortest such prefix


def test_service_recovery_by_hand():
    good = _handled("A", 1, "2024-01-10", 20, sat=5)
    bad = _handled("B", 2, "2024-01-10", 20, sat=1)
    late = _handled("C", 3, "2024-06-25", 20, sat=5)  # too close to the data end
    orders = pd.DataFrame({
        "cust": [1, 1, 2, 2, 3, 4, 4, 5],
        "day": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-05", "2024-06-01",
                               "2024-06-20", "2024-01-15", "2024-03-01", "2024-01-20"])})
    before = orders.copy()
    out = cp.service_recovery(cp.to_frame([good, bad, late]), orders, customer="cust",
                              date="day", days=60, as_of="2024-06-30").set_index("handling")
    pd.testing.assert_frame_equal(orders, before)
    assert out.loc["well", ["anchors", "censored", "judged", "repurchased"]].tolist() == [
        2, 1, 1, 1]
    assert out.loc["poor", ["judged", "repurchased"]].tolist() == [1, 0]
    # baseline: orders of customers 4 and 5 between the first and last complaint day
    assert out.loc["no_complaint", ["anchors", "repurchased"]].tolist() == [3, 1]
    assert out.loc["no_complaint", "censored"] == 0
    with pytest.raises(ValueError, match="rows"):
        cp.service_recovery(cp.to_frame([good]), orders.assign(day=[None] + list(
            orders["day"][1:])), customer="cust", date="day")


def test_planted_patterns_are_found(shop):
    log, s, orders = shop
    sla = cp.sla_by_department(s, sla_days=7).set_index("department")
    assert sla.loc["logistics", "sla_compliance"] < 0.1
    assert (sla.drop(index=["logistics", "unassigned"])["sla_compliance"] > 0.8).all()
    top = cp.pareto(s).iloc[0]
    assert top["sub_item"] == "quality_failure" and top["share"] > 0.3
    rr = cp.reopen_rate(s, by=["department", "quarter"]).set_index(["department", "quarter"])
    assert rr.loc[("service_desk", "2024Q2"), "reopen_rate"] > 0.4
    others = rr.drop(index=("service_desk", "2024Q2"))
    assert (others.loc[others["handled"] >= 20, "reopen_rate"] < 0.15).all()
    rec = cp.service_recovery(s, orders, days=90).set_index("handling")["repurchase_rate"]
    assert rec["well"] > rec["no_complaint"] + 0.1 > rec["poor"] + 0.1
    assert len(s) == log["complaint_id"].nunique() and 1_900 <= len(s) <= 2_100


def test_handling_time_runs_to_the_final_closure():
    """A reopened complaint is handled until it is closed again; the first closure is separate."""
    c = cp.Complaint("R", customer_id="K1", complaint_type="quality",
                     sub_item="quality_defect", by="a", at="2024-01-01")
    for step, day in [("judge", "01-02"), ("assign", "01-02"), ("analyse", "01-03"),
                      ("propose", "01-03"), ("approve", "01-04"), ("implement", "01-04"),
                      ("review", "01-05"), ("closed", "01-05"), ("analyse", "01-08"),
                      ("propose", "01-09"), ("approve", "01-09"), ("implement", "01-10"),
                      ("review", "01-11"), ("closed", "01-11")]:
        c.advance(step, by="b", at=f"2024-{day}", **({"department": "qa"}
                                                      if step == "assign" else {}))
    row = cp.summary(cp.to_frame([c])).iloc[0]
    assert (row["first_resolution_days"], row["handling_days"]) == (4.0, 10.0)
    assert cp.sla_by_department(cp.to_frame([c]), sla_days=7)["breaches"].tolist() == [1]
    c.advance("analyse", by="b", at="2024-01-20")          # reopened again: open, no end yet
    row = cp.summary(cp.to_frame([c])).iloc[0]
    assert row["status"] == "open" and pd.isna(row["handling_days"])
    assert row["first_resolution_days"] == 4.0


def test_seq_read_as_text_is_ordered_by_its_number():
    # a reopened complaint has 13 moves: as text, '10' < '2' and the last move looks like 'judge'
    log = cp.to_frame([_handled("D", "K4", "2024-01-01", 24 * 10, "qa", 4, reopen=True)])
    as_text = log.assign(seq=log["seq"].astype(str)).sample(frac=1, random_state=1)
    expected = cp.summary(log)
    got = cp.summary(as_text)
    assert got["status"].tolist() == expected["status"].tolist() == ["closed"]
    assert got["handling_days"].tolist() == expected["handling_days"].tolist()
    assert cp.sla_by_department(as_text).equals(cp.sla_by_department(log))


@pytest.mark.parametrize("change", [{"step": None}, {"step": "finish"}, {"at": "2024-01-02"},
                                    {"by": 5}, {"note": ["x"]}, {"satisfaction": 9}])
def test_a_move_the_log_could_not_store_is_refused_when_made(change):
    from crmlab.complaints import Move

    (name,) = change
    valid = {"step": "record", "at": pd.Timestamp("2024-01-02"), "by": "客服"}
    with pytest.raises((TypeError, ValueError), match=f"{name}="):
        Move(**{**valid, **change})
