"""The bad-input sweep over every public callable of selection, pareto and complaints.

``tests/_bad_input.sweep`` feeds numbers, sequences and frames their junk (NaN/±inf,
1e308, text, wrong containers, empty input, repeated index labels). Arguments the
sweep has no category for (column names, codes, flags, paths, mappings) get the
sloppy values below, and each must be refused with a Chinese-first message that
names the argument.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmlab import complaints as cp
from crmlab import pareto, selection
from tests._bad_input import attack, numbers_of, sweep

NAN = float("nan")

#: sloppy values where a column name, a code or free text belongs
NAMES = {"None": None, "number": 5, "empty": "", "list": ["a"], "unknown": "no_such_thing"}
#: the same, where any text is a valid value (an id, a label for messages)
TEXTS = {k: v for k, v in NAMES.items() if k != "unknown"}
#: the same, where None means "no grouping"
GROUPS = {k: v for k, v in NAMES.items() if k != "None"}
#: sloppy values where True/False belongs (the issue: "no", 1, None, nan accepted)
FLAGS = {"text False": "False", "no": "no", "one": 1, "None": None, "nan": NAN}
#: sloppy values where a mapping belongs
MAPPINGS = {"None": None, "list": [0.5, 0.5], "text": "sales", "empty": {},
            "repeated labels": pd.Series([0.5, 0.5], index=["sales", "sales"])}
#: sloppy values where a file path belongs
PATHS = {"None": None, "number": 5, "empty": "", "list": ["log.csv"]}

CUSTOMERS = pd.DataFrame({"customer_id": [1, 2, 3, 4], "sales": [30.0, 10.0, 50.0, 20.0],
                          "gross_profit": [3.0, 1.0, 8.0, 2.0],
                          "collection_rate": [0.8, 1.0, 0.9, 0.5],
                          "sales_last_year": [25.0, 12.0, 40.0, 20.0],
                          "cooperation": [4, 5, 3, 2], "profit": [-1.0, 3.0, 6.0, 1.0]},
                         index=[5, 6, 7, 8])
WEIGHTS = pd.Series({"sales": 0.6, "gross_profit": 0.4})
RATINGS = pd.DataFrame({"segment": ["甲", "乙"], "market_size": [5.0, 2.0],
                        "image_fit": [4.0, 4.0]})
PROFITS = [50.0, 30.0, 20.0, 5.0, -10.0, -15.0]


def _card() -> pd.DataFrame:
    return selection.scorecard(CUSTOMERS, WEIGHTS.to_dict())


def _complaint(cid: str = "T1", sub_item: str = "quality_defect") -> cp.Complaint:
    return cp.Complaint(cid, customer_id="K1", complaint_type=sub_item.split("_")[0],
                        sub_item=sub_item, by="a", at="2024-01-02")


def _log() -> pd.DataFrame:
    done = _complaint("T1")
    for step in ("judge", "assign", "analyse", "propose", "approve", "implement", "review",
                 "closed"):
        done.advance(step, by="a", at="2024-01-05", department="qa" if step == "assign" else None,
                     satisfaction=4 if step == "review" else None)
    rejected = _complaint("T2", "service_skill").advance("judge", by="b", at="2024-01-03")
    rejected.advance("rejected", by="b", at="2024-01-04")
    return cp.to_frame([done, rejected, _complaint("T3", "transport_loss")])


LOG = _log()
SUMMARY = cp.summary(LOG)  # the analytics take it too: faster where scalars are swept


def _advance(**kwargs):
    record = _complaint().advance("judge", by="a", at="2024-01-03")
    return record.advance(kwargs.pop("step"), **kwargs).step


def _columns(*names):
    """Only these result columns must be finite (others are NaN by design: open, unrated)."""
    return lambda result: (numbers_of(result[list(names)]) if isinstance(result, pd.DataFrame)
                           else numbers_of(result))


def _write_read(**kwargs):
    folder = kwargs.pop("folder")
    path = cp.to_csv(kwargs["complaints"], Path(folder) / "log.csv")
    return len(cp.read_csv(path))


#: name -> (function, one valid call, extra sloppy values per argument, finite columns)
CALLS = {
    "selection.validate_weights": (selection.validate_weights, {"weights": WEIGHTS},
                                   {"weights": MAPPINGS, "name": TEXTS}, None),
    "selection.normalize": (selection.normalize, {"values": [10.0, 20.0, 40.0], "method": "z"},
                            {"method": NAMES, "higher_is_better": FLAGS}, None),
    "selection.scorecard": (selection.scorecard, {"data": CUSTOMERS, "weights": WEIGHTS},
                            {"weights": MAPPINGS, "customer": NAMES, "method": NAMES,
                             "direction": {"list": ["lower"], "text": "lower",
                                           "bad value": {"sales": "down"},
                                           "unknown criterion": {"days": "lower"}}}, None),
    "selection.select": (selection.select, {"card": _card(), "top": 2},
                         {"top": {"None and no threshold": None, "text": "2", "bool": True,
                                  "2.5": 2.5}}, None),
    "selection.select threshold": (selection.select, {"card": _card(), "threshold": 0.5}, {},
                                   None),
    "selection.weight_sensitivity": (
        selection.weight_sensitivity,
        {"data": CUSTOMERS, "weights": WEIGHTS, "change": 0.1, "top": 2},
        {"weights": MAPPINGS, "customer": NAMES, "method": NAMES}, None),
    "selection.screening_dimensions": (selection.screening_dimensions, {"data": CUSTOMERS},
                                       {"customer": NAMES}, None),
    "selection.attractiveness_fit": (selection.attractiveness_fit,
                                     {"ratings": RATINGS, "midpoint": 3.0},
                                     {"segment": NAMES, "attractiveness_weights": {
                                         k: v for k, v in MAPPINGS.items() if k != "None"}},
                                     None),
    "selection.size_vs_profit": (selection.size_vs_profit, {"data": CUSTOMERS},
                                 {"customer": NAMES, "size": NAMES, "profit": NAMES}, None),
    "selection.elastic_checklist": (
        selection.elastic_checklist,
        {"value_outweighs_cash_drain": [True, False], "within_service_capacity": [True, True],
         "financially_sound": [False, True]},
        {"financially_sound": FLAGS}, None),
    "pareto.whale_curve": (pareto.whale_curve, {"profits": PROFITS}, {}, None),
    "pareto.sherden_shares": (pareto.sherden_shares,
                              {"profits": PROFITS, "top": 0.2, "bottom": 0.3}, {}, None),
    "pareto.lorenz": (pareto.lorenz, {"values": PROFITS}, {}, None),
    "pareto.gini": (pareto.gini, {"values": PROFITS}, {}, None),
    "pareto.summary": (pareto.summary, {"profits": PROFITS, "top": 0.2, "bottom": 0.3}, {},
                       None),
    "pareto.abc_classes": (pareto.abc_classes, {"values": pd.Series(PROFITS[:4]),
                                                "cuts": (0.8, 0.95)}, {}, None),
    "complaints.next_steps": (cp.next_steps, {"step": "judge"}, {"step": NAMES}, None),
    "complaints.Complaint": (
        cp.Complaint, {"complaint_id": "T1", "customer_id": 7, "complaint_type": "quality",
                       "sub_item": "quality_defect", "by": "a", "at": "2024-01-02"},
        {"complaint_id": {k: v for k, v in TEXTS.items() if k != "number"},
         "complaint_type": NAMES, "sub_item": NAMES, "by": TEXTS,
         "at": {"None": None, "number": 5, "text": "not a date", "bool": True},
         "customer_id": {"None": None, "float": 7.5, "bool": True, "empty": " "},
         "order_id": {"number": 2.5, "empty": ""}}, None),
    "complaints.Complaint.advance": (
        _advance, {"step": "assign", "by": "b", "at": "2024-01-04", "department": "qa"},
        {"step": NAMES, "by": TEXTS, "note": {"number": 5, "list": ["x"]},
         "department": {"number": 5, "empty": "", "list": ["qa"]},
         "at": {"None": None, "number": 5, "text": "not a date", "earlier": "2024-01-01"}},
        None),
    "complaints.to_frame": (cp.to_frame, {"complaints": [_complaint()]},
                            {"complaints": {"None": None, "text": "T1", "number": 5,
                                            "frame": LOG, "list of text": ["T1"]}}, None),
    "complaints.from_frame": (lambda log: len(cp.from_frame(log)), {"log": LOG}, {}, None),
    "complaints.validate_log": (cp.validate_log, {"log": LOG}, {}, None),
    "complaints.summary": (cp.summary, {"log": LOG}, {}, _columns("reopens")),
    "complaints.pareto": (cp.pareto, {"data": SUMMARY, "cut": 0.8}, {"by": NAMES},
                          _columns("complaints", "share", "cumulative_share")),
    "complaints.sla_by_department": (
        cp.sla_by_department, {"data": SUMMARY, "sla_days": 7.0}, {},
        _columns("complaints", "settled", "open", "within_sla", "breaches")),
    "complaints.reopen_rate": (cp.reopen_rate, {"data": LOG}, {"by": GROUPS},
                               _columns("complaints", "handled", "reopened", "not_handled")),
    "complaints.satisfaction": (cp.satisfaction, {"data": SUMMARY, "satisfied": 4.0},
                                {"by": GROUPS}, _columns("handled", "rated", "unrated")),
    "complaints.handling_group": (cp.handling_group, {"data": SUMMARY, "good": 4.0, "poor": 2.0},
                                  {}, None),
}

PATH_CALLS = {
    "complaints.to_csv": lambda path: cp.to_csv([_complaint()], path),
    "complaints.to_parquet": lambda path: cp.to_parquet([_complaint()], path),
    "complaints.read_csv": cp.read_csv,
    "complaints.read_log_csv": cp.read_log_csv,
    "complaints.read_parquet": cp.read_parquet,
}


def _clear(error: Exception, argument: str, value: object) -> bool:
    """Chinese first, then English; the argument (or the column it names) named."""
    text = str(error)
    chinese, _, english = text.partition("。")
    named = argument in text or (isinstance(value, str | list) and len(value) > 0
                                 and repr(value) in text)
    return bool(re.search("[\u4e00-\u9fff]", chinese)) and bool(english) and named


@pytest.mark.parametrize("name", sorted(CALLS))
def test_junk_gets_a_clear_error_or_a_finite_answer(name):
    function, valid, _, finite = CALLS[name]
    outcomes = sweep(function, valid, finite=finite or numbers_of)
    if outcomes:  # (next_steps and advance take text only: see the test below)
        assert "refused" in outcomes.values(), "nothing was refused: does the sweep reach it?"
    else:
        assert CALLS[name][2], "neither swept nor given sloppy values"


@pytest.mark.parametrize("name", sorted(n for n in CALLS if CALLS[n][2]))
def test_sloppy_names_codes_flags_and_mappings_are_refused_by_name(name):
    function, valid, extra, finite = CALLS[name]
    accepted = []
    for argument, values in extra.items():
        for label, value in values.items():
            result = attack(function, {**valid, argument: value}, finite=finite or numbers_of)
            if not isinstance(result, Exception):
                accepted.append(f"{argument}={label}")
            else:
                assert _clear(result, argument, value), f"{argument}={label}: {result}"
    assert accepted == [], accepted


@pytest.mark.parametrize("name", sorted(PATH_CALLS))
def test_paths_that_are_not_paths_are_refused(name):
    for label, value in PATHS.items():
        result = attack(PATH_CALLS[name], {"path": value})
        assert isinstance(result, Exception), label
        assert _clear(result, "path", value), f"path={label}: {result}"


def test_a_text_seq_is_ordered_by_its_number_and_repeated_labels_do_not_multiply():
    record = _complaint()
    for step in ("judge", "assign", "analyse", "propose", "approve", "implement", "review",
                 "closed", "analyse", "propose", "approve"):
        record.advance(step, by="a", at="2024-01-05", department="qa" if step == "assign"
                       else None)
    log = cp.to_frame([record])
    assert len(log) > 10  # seq 10 and 11 sort before 2 as text
    text = log.astype({"seq": str}).set_axis([0] * len(log))
    assert cp.from_frame(text) == [record]
    assert cp.summary(text)["reopens"].tolist() == [1]
    assert np.array_equal(cp.summary(text)["status"], ["open"])


@pytest.mark.parametrize("function, change, words", [
    (cp.handling_group, {"satisfaction": 9.0}, r"satisfaction.*9"),
    (cp.satisfaction, {"satisfaction": "5"}, r"satisfaction.*str"),
    (cp.sla_by_department, {"status": "weird"}, r"status.*'weird'"),
    (cp.reopen_rate, {"reviewed": "no"}, r"reviewed"),
    (cp.reopen_rate, {"opened_at": "2024-01-01"}, r"opened_at"),
    (cp.handling_group, {"drop": "satisfaction"}, r"缺少列 \['satisfaction'\]"),
])
def test_a_summary_frame_with_bad_columns_is_refused_not_misread(function, change, words):
    table = cp.summary(LOG)
    table = (table.drop(columns=change["drop"]) if "drop" in change
             else table.assign(**change))
    with pytest.raises((ValueError, TypeError), match=words):
        function(table)


def test_dates_are_not_scored_as_numbers():
    dated = CUSTOMERS.assign(signed=pd.to_datetime(["1970-01-02"] * 4))  # small as numbers
    with pytest.raises(TypeError, match=r"data\['signed'\].*datetime"):
        selection.scorecard(dated, {"signed": 1.0})
