"""crmlab.complaints: taxonomy, the enforced workflow, the event log and its files."""

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
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
    ({"step": "judge", "at": None}, "date-time"),
    ({"step": "judge", "at": "not a date"}, "not a date-time"),
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
    with pytest.raises(ValueError, match="Unknown complaint_type"):
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
