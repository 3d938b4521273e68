"""One valid call for every public callable of crmlab, for the bad-input sweep.

``REGISTRY`` maps a public name (``"clv.card_clv"``, as tests/test_docstrings.py
enumerates them) to an :class:`Entry`: a factory of valid keyword arguments (small
data, fast) and, where the callable is not a plain function call, a wrapper.
``EXCLUDED`` lists the public names the sweep leaves out, each with its reason;
tests/crmlab/test_bad_input_sweep.py fails when a public callable is in neither.

Names are resolved when a call runs, not at import, so the report can run this
registry against an older crmlab (tools/bad_input_report.py --tree).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import pkgutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

NAN = float("nan")

#: public names the sweep leaves out, and why
EXCLUDED: dict[str, str] = {
    "grade.grade": "the gradebook's batch entry point: runs notebooks in a sandbox for minutes",
    "grade.SandboxUnavailable": "an exception class",
    "handin.handin": "the students' hand-in command: copies notebooks between folders",
    "handin.Receipt": "the record handin returns (a dataclass of paths and times)",
    "complaints.WorkflowError": "an exception class",
    "crmdb.CRMDBError": "an exception class",
    "crmdb.AnalystConnection": "a sqlite3.Connection subclass made by crmdb.connect",
    "probabilistic.ConvergenceError": "an exception class",
    "exercises.AnswerFormatError": "an exception class",
    "exercises.Kind": "the abstract base of answer kinds (its subclasses are swept)",
}


@dataclass(frozen=True)
class Entry:
    """A valid call: ``make()`` gives fresh keyword arguments; ``call`` wraps the callable."""

    make: Callable[[], dict[str, Any]]
    call: Callable[..., Any] | None = None      # call(function, **kwargs)
    only: tuple[str, ...] | None = None         # the arguments to sweep (None: all)
    fresh: bool = False                         # rebuild the other arguments for every case
    clean: bool = True                          # run the valid call too (False: too slow)
    seconds: float = 3.0
    passes_data: bool = False                   # relabels data as given: NaN in, NaN out
    junk: dict[str, dict[str, Any]] = field(default_factory=dict)  # argument -> own junk


#: where a callable lived before it moved (so an older crmlab can be swept too)
FORMERLY = {"clv.calculator_table": "widgets.calculator_table",
            "clv.parse_revenue": "widgets.parse_revenue",
            "clv.revenue_path": "widgets.revenue_path",
            "plotting.sla_figure": "widgets.sla_figure"}


def resolve(name: str) -> Any:
    """The object ``crmlab.<name>`` (``"synthetic.cards.illustrative_card_data"``)."""
    module, _, attr = name.rpartition(".")
    try:
        return getattr(importlib.import_module(f"crmlab.{module}"), attr)
    except AttributeError:
        if name not in FORMERLY:
            raise
        return resolve(FORMERLY[name])


def public_names() -> dict[str, Any]:
    """Every public function and class, as tests/test_docstrings.py enumerates them."""
    import crmlab

    found: dict[str, Any] = {}
    for info in sorted(pkgutil.walk_packages(crmlab.__path__, "crmlab."), key=lambda m: m.name):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts) or info.name in {
                "crmlab.grade.__main__", "crmlab.synthetic.__main__"}:
            continue
        module = importlib.import_module(info.name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                found[f"{info.name[len('crmlab.'):]}.{attr}"] = obj
    return found


# --- small data ----------------------------------------------------------------------------

def _shops() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [1, 2, 3, 4],
                         "channel_type": ["retail", "retail", "agent", "agent"],
                         "sales": [30.0, 10.0, 50.0, 10.0]}, index=[5, 6, 7, 8])


def _products() -> pd.DataFrame:
    return pd.DataFrame({"product": ["x", "y"], "cost": [120.0, 60.0],
                         "average_inventory": [30.0, 20.0], "sales": [200.0, 90.0]})


def _b2b() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [1, 2, 3], "sales": [10.0, 20.0, 5.0],
                         "gross_profit": [1.0, 2.0, 0.5], "collection_rate": [0.8, 1.0, 0.9],
                         "sales_last_year": [8.0, 25.0, 5.0], "cooperation": [4, 5, 3],
                         "profit": [-1.0, 3.0, 1.0]})


def _cards() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["a", "a", "b"], "year": [1, 2, 1],
                         "card_fee": [500.0, 600.0, 400.0], "interest_income": [0.0, 0.0, 0.0],
                         "spending": [1000.0, 2000.0, 100.0], "points_cost": [0.0, 0.0, 0.0],
                         "referral_reward": [0.0, 0.0, 0.0],
                         "allocation_cost": [10.0, 10.0, 10.0],
                         "maintenance_cost": [5.0, 5.0, 5.0]})


def _survey() -> pd.DataFrame:
    return pd.DataFrame({"brand_attention": [4, 2], "category_purchases": [10, 5],
                         "our_purchases": [5, 5], "price_tolerance_pct": [10, 20],
                         "competitor_interest": [2, 4], "identification": [5, 3],
                         "choice_minutes": [5, 15], "quality_tolerance": [3, 3]})


def _values() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9.0, 1.0, 8.0, 2.0],
                         "future": [9.0, 8.0, 1.0, 2.0], "profit": [40.0, 30.0, 20.0, 10.0],
                         "abc_class": ["A", "A", "B", "C"], "clv": [5.0, 4.0, 3.0, 1.0]})


def _tx() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
                         "date": pd.to_datetime(["2023-05-01", "2024-01-05", "2024-06-01",
                                                 "2024-03-01", "2024-12-31"]),
                         "amount": [10.0, 20.0, 5.0, 7.0, 9.0]})


def _segments() -> pd.DataFrame:
    return pd.DataFrame({"segment": ["A", "B"], "sales": [10.0, 10.0],
                         "direct_cost": [2.0, 2.0]})


def _activities() -> pd.DataFrame:
    return pd.DataFrame({"activity": ["visits"], "pool": ["selling"], "cost": [8.0],
                         "driver": ["sales visits"]})


def _drivers() -> pd.DataFrame:
    return pd.DataFrame({"activity": ["visits", "visits"], "segment": ["A", "B"],
                         "quantity": [3, 1]})


def _raw_records() -> pd.DataFrame:
    return pd.DataFrame({"record_id": ["R1", "R2"], "source": ["门店会员", "网上商城"],
                         "name": ["王伟", "王伟"], "phone": ["13800138000", None],
                         "email": [None, "w@x.com"], "city": ["上海", None],
                         "gender": ["男", "男"], "birth_date": [None, None],
                         "registered": ["2022-01-01", "2023-01-01"]})


def _complaint(closed: bool = True):
    cp = importlib.import_module("crmlab.complaints")
    c = cp.Complaint("T1", customer_id="K1", complaint_type="quality",
                     sub_item="quality_defect", by="a", at="2024-01-02")
    c.advance("judge", by="b", at="2024-01-03")
    if closed:
        c.advance("rejected", by="b", at="2024-01-12")
    return c


def _log() -> pd.DataFrame:
    cp = importlib.import_module("crmlab.complaints")
    other = cp.Complaint("T2", customer_id="K2", complaint_type="service",
                         sub_item="service_skill", by="a", at="2024-01-05")
    for step in ["judge", "assign", "analyse", "propose", "approve", "implement", "review"]:
        other.advance(step, by="a", at="2024-01-08", department="qa" if step == "assign"
                      else None, satisfaction=5 if step == "review" else None)
    return cp.to_frame([_complaint(), other])


def _orders() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["K1", "K1", "K2", "K2"],
                         "date": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-01-02",
                                                 "2024-05-01"])})


def _cases() -> pd.DataFrame:
    return pd.DataFrame({"complaint_id": ["T1", "T2", "T3"],
                         "opened_at": pd.to_datetime(["2024-01-02"] * 3),
                         "status": ["closed"] * 3,
                         "department": ["qa", "logistics", "logistics"],
                         "handling_days": [3.0, 9.0, 5.0]})


def _dims() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
                         "profitability": [1, 3, 2], "safety": [2, 2, 2],
                         "future": [1, 2, 3], "cooperation": [3, 2, 1]})


def _db():
    crmdb = importlib.import_module("crmlab.crmdb")
    conn = crmdb.create(":memory:")
    cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05", city="杭州")
    crmdb.record_order(conn, cid, order_date="2024-02-01", amount=200.0, cost=150.0)
    return conn


def _db_complaint():
    crmdb = importlib.import_module("crmlab.crmdb")
    conn = _db()
    n = crmdb.open_complaint(conn, 1, complaint_type="quality", by="客服",
                             opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
    return conn, n


def _created() -> Path:
    path = _tmp() / "crm.db"
    importlib.import_module("crmlab.crmdb").create(path).close()
    return path


def _tmp() -> Path:
    """A fresh folder inside the current one (``run`` works in a temporary folder)."""
    return Path(tempfile.mkdtemp(prefix="crmlab-sweep-", dir=".")).resolve()


@functools.cache
def _shop() -> tuple[pd.DataFrame, pd.DataFrame]:
    datasets = importlib.import_module("crmlab.datasets")
    log = datasets.load_synthetic("complaint_log")
    orders = datasets.load_synthetic("shop_orders")
    complained = list(log["customer_id"].unique()[:8])
    known = set(log["customer_id"])
    never = [c for c in orders["customer_id"].unique() if c not in known][:8]
    return (log[log["customer_id"].isin(complained)].reset_index(drop=True),
            orders[orders["customer_id"].isin(complained + never)].reset_index(drop=True))


def _shop_sample() -> dict[str, pd.DataFrame]:
    log, orders = _shop()
    return {"complaint_log": log.copy(), "orders": orders.copy()}


@functools.cache
def _summary() -> pd.DataFrame:
    buyers = importlib.import_module("crmlab.synthetic.buyers")
    return buyers.bgnbd_summary(300, seed=1)


@functools.cache
def _fitted(name: str) -> Any:
    model = resolve(f"probabilistic.{name}")()
    if name == "ShiftedBetaGeometric":
        return model.fit([1000, 631, 468, 382, 326, 289, 262, 241])
    if name == "BetaGeoBetaBinom":
        return model.fit(importlib.import_module("crmlab.datasets").load_donations(),
                         weights="donors")
    return model.fit(_summary())


def _method(method: str, model: str | None = None) -> Callable[..., Any]:
    def call(function, **kwargs):
        return getattr(_fitted(model or function.__name__), method)(**kwargs)
    return call


def _chart(function, **kwargs):
    import matplotlib.pyplot as plt
    try:
        result = function(**kwargs)
        return result.get_title() if hasattr(result, "get_title") else type(result).__name__
    finally:
        plt.close("all")


def _on_axes(function, **kwargs):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.bar(["甲", "乙"], [1200.0, 800.0])
    try:
        function(ax, **kwargs)
        return [t.get_text() for t in ax.texts]
    finally:
        plt.close(fig)


def _keeping_rc(function, **kwargs):
    import matplotlib
    saved = matplotlib.rcParams.copy()
    try:
        result = function(**kwargs)
        return result if isinstance(result, str) else None
    finally:
        matplotlib.rcParams.update(saved)


def _widget(function, **kwargs):
    import matplotlib.pyplot as plt
    try:
        app = function(**kwargs)
        return [getattr(app, "table", None), getattr(app, "clv", None)]
    finally:
        plt.close("all")


def _in_context(function, **kwargs):
    with function(**kwargs):
        return None


def _registered(function, **kwargs):
    core = importlib.import_module("crmlab.exercises._core")
    task = function(**kwargs)
    core._REGISTRY.pop(task.id, None)
    return task.id


def _checked(function, **kwargs):
    """Run ``check``; its feedback on a wrong or malformed answer is the refusal."""
    feedback = function(**kwargs)
    if feedback.status not in ("right", "pending"):
        kinds = importlib.import_module("crmlab.exercises._kinds")
        raise kinds.AnswerFormatError(feedback.message)
    return feedback.status


def _coerce(function, *, answer, expected, **kwargs):
    return function(**kwargs).coerce(answer, expected)


def _method_of(method: str, **bound):
    def call(function, **kwargs):
        return getattr(function(**bound), method)(**kwargs)
    return call


#: whole-frame junk only (for slow callables)
_FRAME_JUNK = {"empty frame": pd.DataFrame(), "list": [[1, 2]], "dict": {"a": [1]},
               "None": None, "Series": pd.Series([1.0]), "text": "table"}

SEEDS = {"None": None, "bool": True, "negative": -1, "float": 1.5, "text": "7",
         "nan": NAN}


def _seeded(seed: int = 1) -> Entry:
    return Entry(lambda: {"seed": seed}, only=("seed",), clean=False, seconds=8,
                 junk={"seed": SEEDS})


def _card_data(function, **kwargs):
    return function(**kwargs)


REGISTRY: dict[str, Entry] = {
    # --- clv -------------------------------------------------------------------------------
    "clv.card_clv": Entry(lambda: {"data": _cards(), "rate": 0.1, "margin_rate": 0.005}),
    "clv.clv_table": Entry(lambda: {"revenue": [100.0, 120.0, 130.0], "cost": 20.0,
                                    "rate": 0.1, "acquisition_cost": 50.0, "retention": 0.8}),
    "clv.clv_total": Entry(lambda: {"table": resolve("clv.clv_table")([100.0, 120.0],
                                                                      rate=0.1)}),
    "clv.calculator_table": Entry(lambda: {"revenue": "1000, 1500, 2000", "cost": 500.0,
                                           "acquisition_cost": 2500.0, "retention": 0.9,
                                           "rate": 0.15}),
    "clv.components": Entry(lambda: {"table": resolve("clv.clv_table")([100.0, 120.0],
                                                                       rate=0.1)}),
    "clv.discount_factors": Entry(lambda: {"periods": 5, "rate": 0.1}),
    "clv.margin_multiple": Entry(lambda: {"retention": 0.8, "rate": 0.1}),
    "clv.migration_clv": Entry(lambda: {"purchase_probability": [0.3, 0.2, 0.1],
                                        "margin": 100.0, "rate": 0.1, "horizon": 3,
                                        "contact_cost": 5.0}),
    "clv.npv": Entry(lambda: {"cash_flows": [100.0, 100.0, 100.0], "rate": 0.1}),
    "clv.parse_revenue": Entry(lambda: {"revenue": "1000, 1500, 2000"}),
    "clv.retention_clv": Entry(lambda: {"margin": 100.0, "retention": 0.8, "rate": 0.1,
                                        "horizon": 5}),
    "clv.revenue_path": Entry(lambda: {"first_revenue": 1000.0, "growth": 0.1, "horizon": 3}),
    "clv.risk_adjusted_rate": Entry(lambda: {"base_rate": 0.1, "risk_probability": 0.2}),
    "clv.sensitivity": Entry(lambda: {"margin": 100.0, "retention": [0.7, 0.8],
                                      "rate": [0.1, 0.12], "horizon": 5}),
    # --- complaints ------------------------------------------------------------------------
    "complaints.Complaint": Entry(lambda: {"complaint_id": "T9", "customer_id": "K7",
                                           "complaint_type": "service",
                                           "sub_item": "service_attitude", "by": "客服",
                                           "at": "2024-05-01"}),
    "complaints.Move": Entry(lambda: {"step": "record", "at": pd.Timestamp("2024-01-02"),
                                      "by": "客服", "satisfaction": 4.0}),
    "complaints.attention_table": Entry(dict),
    "complaints.from_frame": Entry(lambda: {"log": _log()}),
    "complaints.handling_group": Entry(lambda: {"data": resolve("complaints.summary")(_log()),
                                                "good": 4, "poor": 2}),
    "complaints.next_steps": Entry(lambda: {"step": "review"}),
    "complaints.pareto": Entry(lambda: {"data": _log(), "cut": 0.8}),
    "complaints.principles_table": Entry(dict),
    "complaints.procedure_table": Entry(dict),
    "complaints.read_csv": Entry(lambda: {"path": resolve("complaints.to_csv")(
        [_complaint()], _tmp() / "log.csv")}),
    "complaints.read_log_csv": Entry(lambda: {"path": resolve("complaints.to_csv")(
        [_complaint()], _tmp() / "log.csv")}),
    "complaints.read_parquet": Entry(lambda: {"path": resolve("complaints.to_parquet")(
        [_complaint()], _tmp() / "log.parquet")}),
    "complaints.reopen_rate": Entry(lambda: {"data": _log()}),
    "complaints.satisfaction": Entry(lambda: {"data": _log(), "satisfied": 4}),
    "complaints.service_recovery": Entry(lambda: {"data": _log(), "orders": _orders(),
                                                  "days": 90, "as_of": "2024-12-31"}),
    "complaints.service_system_table": Entry(dict),
    "complaints.sla_by_department": Entry(lambda: {"data": _log(), "sla_days": 7.0}),
    "complaints.strategies_table": Entry(dict),
    "complaints.summary": Entry(lambda: {"log": _log()}),
    "complaints.to_csv": Entry(lambda: {"complaints": [_complaint()],
                                        "path": _tmp() / "log.csv"}),
    "complaints.to_frame": Entry(lambda: {"complaints": [_complaint()]}),
    "complaints.to_parquet": Entry(lambda: {"complaints": [_complaint()],
                                            "path": _tmp() / "log.parquet"}),
    "complaints.types_table": Entry(dict),
    "complaints.validate_log": Entry(lambda: {"log": _log()}),
    # --- costing ---------------------------------------------------------------------------
    "costing.activity_based": Entry(lambda: {"segments": _segments(),
                                             "activities": _activities(),
                                             "drivers": _drivers()}),
    "costing.activity_rates": Entry(lambda: {"activities": _activities(),
                                             "drivers": _drivers(), "segments": _segments()}),
    "costing.allocate": Entry(lambda: {"pool": 50.0, "base": [20.0, 30.0, 50.0]}),
    "costing.layout": Entry(lambda: {"table": resolve("costing.volume_based")(
        _segments(), {"admin": 5.0}, {"admin": "sales"})}),
    "costing.method_comparison": Entry(dict),
    "costing.rank_change": Entry(lambda: {
        "vbc": resolve("costing.volume_based")(_segments(), {"admin": 4.0},
                                               {"admin": "direct_cost"}),
        "abc": resolve("costing.activity_based")(_segments(), _activities(), _drivers())}),
    "costing.volume_based": Entry(lambda: {"segments": _segments(), "pools": {"admin": 8.0},
                                           "bases": {"admin": "sales"}}),
    "costing.what_if_drivers": Entry(lambda: {"drivers": _drivers(), "segment": "A",
                                              "quantities": {"visits": 2.0}}),
    "costing.what_if_table": Entry(lambda: {"segments": _segments(),
                                            "activities": _activities(),
                                            "drivers": _drivers(), "segment": "A",
                                            "quantities": {"visits": 1.0}}),
    # --- crmdb -----------------------------------------------------------------------------
    "crmdb.advance": Entry(lambda: dict(zip(("conn", "complaint_id"), _db_complaint(),
                                            strict=True), step="judge", by="质检员",
                                        at="2024-02-03 10:00:00"), fresh=True),
    "crmdb.analytics_path": Entry(lambda: {"path": "data/crm.db"}),
    "crmdb.backup": Entry(lambda: {"conn": _db(), "path": _tmp() / "crm.db"}, fresh=True),
    "crmdb.complaint_tables": Entry(lambda: {"log": _log().assign(
        customer_id=lambda d: d["customer_id"].str[1:].astype(int)), "first_id": 1}),
    "crmdb.connect": Entry(lambda: {"path": _created(), "role": "operator", "timeout": 1.0},
                           fresh=True),
    "crmdb.correct": Entry(lambda: dict(zip(("conn", "complaint_id"), _db_complaint(),
                                            strict=True), field="sla_days", new_value=10,
                                        by="主管", at="2024-02-03 10:00:00", reason="合同类"),
                           fresh=True),
    "crmdb.course_tables": Entry(dict),
    "crmdb.create": Entry(lambda: {"path": ":memory:", "version": 3}),
    "crmdb.kpis": Entry(lambda: {"conn": _db(), "period": "month"}, fresh=True),
    "crmdb.load": Entry(lambda: {"conn": importlib.import_module("crmlab.crmdb").create(
        ":memory:"), "tables": {"customers": pd.DataFrame({
            "customer_id": [1, 2], "name": ["王伟", "李娜"],
            "registered": ["2024-01-05", "2024-02-01"]})}}, fresh=True),
    "crmdb.load_course_data": Entry(lambda: {"conn": _db()}, clean=False, fresh=True),
    "crmdb.mask_text": Entry(lambda: {"value": "请回电 13812345678"}),
    "crmdb.migrate": Entry(lambda: {"conn": importlib.import_module("crmlab.crmdb").create(
        ":memory:", version=1), "to": 3}, fresh=True),
    "crmdb.open_complaint": Entry(lambda: {"conn": _db(), "customer_id": 1,
                                           "complaint_type": "quality", "by": "客服",
                                           "opened_at": "2024-02-03 09:00:00",
                                           "description": "屏幕有划痕", "sla_days": 7},
                                  fresh=True),
    "crmdb.publish_analytics": Entry(lambda: {"conn": importlib.import_module(
        "crmlab.crmdb").create(_tmp() / "crm.db")}, fresh=True),
    "crmdb.query": Entry(lambda: {"conn": _db(), "sql": "SELECT :a + 1 AS b",
                                  "params": {"a": 1}}, fresh=True),
    "crmdb.read_only_authorizer": Entry(lambda: {"action": 21}),
    "crmdb.record_contact": Entry(lambda: {"conn": _db(), "customer_id": 1,
                                           "contact_date": "2024-02-01", "kind": "短信",
                                           "cost": 0.5}, fresh=True),
    "crmdb.record_order": Entry(lambda: {"conn": _db(), "customer_id": 1,
                                         "order_date": "2024-02-01", "amount": 199.0,
                                         "cost": 100.0}, fresh=True),
    "crmdb.register_customer": Entry(lambda: {"conn": _db(), "name": "李娜",
                                              "registered": "2024-01-05", "city": "上海"},
                                     fresh=True),
    "crmdb.restore": Entry(lambda: {"path": importlib.import_module("crmlab.crmdb").backup(
        _db(), _tmp() / "crm.db"), "conn": importlib.import_module("crmlab.crmdb").create(
            ":memory:")}, fresh=True),
    "crmdb.rfm": Entry(lambda: {"conn": _db(), "as_of": "2024-03-02"}, fresh=True),
    "crmdb.schema_version": Entry(lambda: {"conn": _db()}, fresh=True),
    "crmdb.search_customers": Entry(lambda: {"conn": _db(), "text": "杭"}, fresh=True),
    "crmdb.sql_text": Entry(lambda: {"name": "views.sql"}),
    "crmdb.table_rows": Entry(lambda: {"conn": _db(), "table": "customers"}, fresh=True),
    "crmdb.transaction": Entry(lambda: {"conn": _db(), "attempts": 5, "wait": 0.01},
                               call=_in_context, fresh=True),
    # --- customer_file ---------------------------------------------------------------------
    "customer_file.build_customer_file": Entry(lambda: {
        "records": _raw_records(),
        "orders": pd.DataFrame({"record_id": ["R1", "R2"], "date": ["2024-01-01",
                                                                   "2024-02-01"],
                                "amount": [100.0, 50.0]}),
        "contacts": pd.DataFrame({"record_id": ["R1"], "cost": [5.0]})}),
    "customer_file.clean_records": Entry(lambda: {"records": _raw_records()}),
    "customer_file.match_customers": Entry(lambda: {"clean": pd.DataFrame({
        "phone": ["1", "1", None], "email": ["a", None, "a"]})}),
    "customer_file.normalize_city": Entry(lambda: {"city": ["上海市", " 北京 "]}),
    "customer_file.normalize_email": Entry(lambda: {"email": [" A@B.COM ", "nope"]}),
    "customer_file.normalize_gender": Entry(lambda: {"gender": ["M", "f", "女"]}),
    "customer_file.normalize_name": Entry(lambda: {"name": [" 王 伟 ", "李　娜"]}),
    "customer_file.normalize_phone": Entry(lambda: {"phone": ["13800138000", "+86 138"]}),
    "customer_file.parse_dates": Entry(lambda: {"text": ["2023/1/5", "2023年1月5日"]}),
    "customer_file.quality_report": Entry(lambda: {"records": _raw_records()}),
    "customer_file.unify": Entry(lambda: {"clean": resolve("customer_file.clean_records")(
        _raw_records()), "customer_id": [1, 1]}),
    # --- datasets --------------------------------------------------------------------------
    "datasets.data_dir": Entry(dict),
    "datasets.list_datasets": Entry(lambda: {"folder": "synthetic"}),
    "datasets.load_cdnow": Entry(lambda: {"kind": "sample"}),
    "datasets.load_customer_file_example": Entry(dict),
    "datasets.load_donations": Entry(dict),
    "datasets.load_synthetic": Entry(lambda: {"name": "b2b_customers",
                                              "columns": ["customer_id", "sales"]}),
    "datasets.load_textbook": Entry(lambda: {"name": "ch3_pools", "columns": ["amount"]}),
    "datasets.read_cdnow_file": Entry(lambda: {
        "path": resolve("datasets.data_dir")() / "cdnow" / "CDNOW_sample.txt",
        "with_sample_index": True}),
    # --- equity ----------------------------------------------------------------------------
    "equity.decompose": Entry(lambda: {"table": resolve("equity.equity_movement")(
        (100_000, 282), (15_000, 177), (20_000, 134), (30_000, 341), (10_000, 163))}),
    "equity.equity_movement": Entry(lambda: {"opening": (100_000, 282.0),
                                             "lost": (15_000, 343.0), "new": (20_000, 294.0),
                                             "up": (15_000, 305.0), "down": (15_000, 182.0)}),
    # --- exercises -------------------------------------------------------------------------
    "exercises.Chapter": Entry(lambda: {"name": "zz_sweep", "title": "t"}),
    "exercises.Choice": Entry(lambda: {"options": {"A": "对", "B": "错"}, "answer": " b",
                                       "expected": "B"}, call=_coerce),
    "exercises.Discussion": Entry(lambda: {"min_chars": 3, "answer": "  先留住老客户。 ",
                                           "expected": ""}, call=_coerce),
    "exercises.Feedback": Entry(lambda: {"task_id": "ch2.ex1", "status": "right",
                                         "message": "正确！"}),
    "exercises.Labels": Entry(lambda: {"answer": [" 321", "111"],
                                       "expected": ["321", "111"]}, call=_coerce),
    "exercises.Mapping": Entry(lambda: {"decimals": 0, "answer": {"甲": 50.0},
                                        "expected": {"甲": 50.2}}, call=_coerce),
    "exercises.Mistake": Entry(lambda: {"answer": lambda g: g["profit"], "hint": "忘了折现。"}),
    "exercises.Number": Entry(lambda: {"decimals": 2, "answer": 12.5, "expected": 12.5},
                              call=_coerce),
    "exercises.Numbers": Entry(lambda: {"decimals": 0, "answer": [1.0, 5.0],
                                        "expected": [1.0, 2.0]}, call=_coerce),
    "exercises.Share": Entry(lambda: {"decimals": 4, "answer": 0.25, "expected": 0.25},
                             call=_coerce),
    "exercises.Task": Entry(lambda: {"id": "zz.ex1", "kind": resolve("exercises.Number")(),
                                     "expected": lambda g: g["a"] + 1, "given": {"a": 1}}),
    "exercises.chapters": Entry(dict),
    "exercises.check": Entry(lambda: {"task_id": "ch2.ex2", "answer": 1017.03}, call=_checked),
    "exercises.describe_type": Entry(lambda: {"value": [1.0]}, passes_data=True),
    "exercises.expected_answer": Entry(lambda: {"task_id": "ch2.ex1"}),
    "exercises.get_task": Entry(lambda: {"task_id": "ch2.ex1"}),
    "exercises.given": Entry(lambda: {"task_id": "ch2.ex1"}),
    "exercises.register": Entry(lambda: {"task": resolve("exercises.Task")(
        "zz_reg.ex1", resolve("exercises.Number")(), expected=lambda g: 1.0)},
        call=_registered),
    "exercises.short": Entry(lambda: {"value": 80.0, "width": 40}, only=("width",)),
    "exercises.tasks": Entry(lambda: {"chapter": "ch0"}),
    "exercises.ch7.SqlQuery": Entry(lambda: {"database": lambda: ":memory:", "decimals": 2}),
    "exercises.ch7.query": Entry(lambda: {"sql": "SELECT COUNT(*) AS n FROM customers"}),
    "exercises.ch7.run_query": Entry(lambda: {"sql": "SELECT COUNT(*) AS n FROM customers"}),
    # --- glossary --------------------------------------------------------------------------
    "glossary.en": Entry(lambda: {"frame": pd.DataFrame({"amount": [1.0]})}, passes_data=True),
    "glossary.label": Entry(lambda: {"key": "recency_days", "lang": "en"}, passes_data=True),
    "glossary.relabel": Entry(lambda: {"frame": pd.DataFrame({"segment": ["general_value"]}),
                                       "lang": "en"}, passes_data=True),
    "glossary.value_label": Entry(lambda: {"column": "segment", "code": "important_value",
                                           "lang": "zh"}, passes_data=True),
    "glossary.zh": Entry(lambda: {"frame": pd.Series(["important_value"], name="segment")},
                         passes_data=True),
    # --- loyalty ---------------------------------------------------------------------------
    "loyalty.churn_by_cohort": Entry(lambda: {"transactions": _tx(), "at": [1, 3]}),
    "loyalty.cohort_counts": Entry(lambda: {"transactions": _tx()}),
    "loyalty.cohort_retention": Entry(lambda: {"transactions": _tx()}),
    "loyalty.customer_growth": Entry(lambda: {"transactions": _tx()}),
    "loyalty.effects_table": Entry(dict),
    "loyalty.levels_table": Entry(dict),
    "loyalty.measures_table": Entry(lambda: {"transactions": _tx(), "days": 90}),
    "loyalty.occasions": Entry(lambda: {"transactions": _tx()}),
    "loyalty.purchase_intervals": Entry(lambda: {"transactions": _tx()}),
    "loyalty.quality_incident_tolerance": Entry(lambda: {**_shop_sample(), "days": 90},
                                                only=("days",),   # the frames: whole-frame junk
                                                junk={"complaint_log": _FRAME_JUNK,
                                                      "orders": _FRAME_JUNK}),
    "loyalty.raise_loyalty_table": Entry(dict),
    "loyalty.repeat_purchase_rate": Entry(lambda: {"transactions": _tx()}),
    "loyalty.survey_measures": Entry(lambda: {"survey": _survey()}),
    # --- pareto ----------------------------------------------------------------------------
    "pareto.abc_classes": Entry(lambda: {"values": [500.0, 300.0, 120.0, 50.0, 30.0],
                                         "cuts": (0.8, 0.95)}),
    "pareto.gini": Entry(lambda: {"values": [500.0, 300.0, 120.0, 50.0]}),
    "pareto.lorenz": Entry(lambda: {"values": [500.0, 300.0, 120.0, 50.0]}),
    "pareto.sherden_shares": Entry(lambda: {"profits": [50.0, 30.0, 20.0, 5.0, -10.0],
                                            "top": 0.2, "bottom": 0.3}),
    "pareto.summary": Entry(lambda: {"profits": [50.0, 30.0, 20.0, 5.0, -10.0],
                                     "top": 0.2, "bottom": 0.3}),
    "pareto.whale_curve": Entry(lambda: {"profits": [50.0, 30.0, 20.0, 5.0, -10.0]}),
    # --- plotting --------------------------------------------------------------------------
    "plotting.abc_chart": Entry(lambda: {"classes": resolve("pareto.abc_classes")(
        [500.0, 300.0, 120.0, 50.0, 30.0]), "bars": 40}, call=_chart),
    "plotting.clv_calculator_chart": Entry(lambda: {"table": resolve("clv.clv_table")(
        [100.0] * 4, rate=0.1)}, call=_chart),
    "plotting.font_path": Entry(dict),
    "plotting.label_bars": Entry(lambda: {"fmt": "{:,.0f}", "fontsize": 10.0}, call=_on_axes),
    "plotting.percent": Entry(lambda: {"axis": "y", "xmax": 1.0, "decimals": 0},
                              call=_on_axes),
    "plotting.pyramid_chart": Entry(lambda: {"pyramid": resolve("portfolio.pyramid")(
        _values())}, call=_chart),
    "plotting.quadrant_chart": Entry(lambda: {"classified": resolve("portfolio.quadrants")(
        _values(), x="current", y="future", scheme="clv_matrix"), "x": "current",
        "y": "future", "size": 30.0, "alpha": 0.7}, call=_chart),
    "plotting.rc_params": Entry(lambda: {"scale": 1.0}),
    "plotting.register_font": Entry(dict, call=_keeping_rc),
    "plotting.segment_profit_chart": Entry(lambda: {"table": pd.DataFrame({
        "segment": ["甲", "乙", "total"], "segment_profit": [25.0, 45.0, 70.0]}),
        "title": "ABC 利润"}, call=_chart),
    "plotting.setup": Entry(lambda: {"scale": 1.0, "seaborn": False}, call=_keeping_rc),
    "plotting.sla_figure": Entry(lambda: {"table": pd.DataFrame({
        "department": ["qa", "logistics"], "sla_compliance": [0.9, 0.4]}), "sla_days": 7.0,
        "target": 0.8}, call=_chart),
    "plotting.thousands": Entry(lambda: {"axis": "y", "decimals": 0, "unit": "元"},
                                call=_on_axes),
    "plotting.whale_chart": Entry(lambda: {"curve": resolve("pareto.whale_curve")(
        [50.0, 30.0, 20.0, 5.0, -10.0, -15.0]), "top": 0.2, "bottom": 0.3}, call=_chart),
    # --- portfolio -------------------------------------------------------------------------
    "portfolio.Scheme": Entry(lambda: {"key": "zz", "title": "t", "x": "a", "y": "b",
                                       "cells": {(True, True): "HH", (True, False): "HL",
                                                 (False, True): "LH", (False, False): "LL"},
                                       "actions": {"HH": "keep", "HL": "grow", "LH": "watch",
                                                   "LL": "cut"},
                                       "source": "s", "reading": "r"}),
    "portfolio.composition": Entry(lambda: {"data": _shops()}),
    "portfolio.composition_summary": Entry(lambda: {"data": _shops()}),
    "portfolio.get_scheme": Entry(lambda: {"scheme": "clv_matrix"}),
    "portfolio.product_composition": Entry(lambda: {"data": _products()}),
    "portfolio.product_margins": Entry(lambda: {"data": _products()}),
    "portfolio.pyramid": Entry(lambda: {"data": _values()}),
    "portfolio.quadrant_summary": Entry(lambda: {"classified": resolve("portfolio.quadrants")(
        _values(), x="current", y="future", scheme="clv_matrix"), "value": "profit"}),
    "portfolio.quadrants": Entry(lambda: {"data": _values(), "x": "current", "y": "future",
                                          "scheme": "clv_matrix"}),
    "portfolio.relationship_levels": Entry(dict),
    "portfolio.relationship_strategy": Entry(dict),
    "portfolio.scheme_table": Entry(lambda: {"scheme": "clv_matrix"}),
    "portfolio.trading_status": Entry(lambda: {"transactions": _tx(), "start": "2024-01-01",
                                               "end": "2024-12-31", "inactive_days": 180}),
    "portfolio.transaction_performance": Entry(lambda: {"data": _shops(), "expected": 0.3}),
    "portfolio.turnover": Entry(lambda: {"data": _products(), "days": 360.0}),
    "portfolio.value_classes": Entry(lambda: {"data": _values()}),
    "portfolio.visit_plan": Entry(lambda: {"data": _values(), "months": 12}),
    "portfolio.visit_table": Entry(dict),
    # --- probabilistic ---------------------------------------------------------------------
    "probabilistic.BetaGeo": Entry(lambda: {"t": 10.0, "summary": _summary().head(4)},
                                   call=_method("conditional_expected_transactions")),
    "probabilistic.BetaGeoBetaBinom": Entry(lambda: {"n": 5},
                                            call=_method("expected_transactions")),
    "probabilistic.GammaGamma": Entry(lambda: {"summary": _summary().dropna().head(4)},
                                      call=_method("expected_spend")),
    "probabilistic.ModifiedBetaGeo": Entry(lambda: {"t": 10.0},
                                           call=_method("expected_transactions")),
    "probabilistic.ParetoNBD": Entry(lambda: {"summary": _summary().head(4)},
                                     call=_method("p_alive")),
    "probabilistic.ShiftedBetaGeometric": Entry(lambda: {"margin": 100.0, "rate": 0.1},
                                                call=_method("expected_clv")),
    "probabilistic.calibration_summary": Entry(lambda: {
        "transactions": _tx(), "calibration_end": "2024-06-30",
        "observation_end": "2024-12-31"}),
    "probabilistic.clv": Entry(lambda: {"transactions_model": _fitted("BetaGeo"),
                                        "spend_model": _fitted("GammaGamma"),
                                        "summary": _summary().dropna().head(4),
                                        "horizon": 12, "rate": 0.01, "margin": 0.3}),
    "probabilistic.constant_retention": Entry(lambda: {
        "alive": [1000.0, 631.0, 468.0, 382.0]}),
    # --- rfm -------------------------------------------------------------------------------
    "rfm.Preset": Entry(lambda: {"name": "zz", "title": "t",
                                 "recency": resolve("rfm.rule")("recency_days", [30, 90],
                                                                higher_is_better=False),
                                 "frequency": resolve("rfm.rule")("frequency", [2, 3]),
                                 "monetary": resolve("rfm.rule")("monetary_total", [10, 20]),
                                 "frequency_months": 12}),
    "rfm.Rule": Entry(lambda: {"column": "frequency", "edges": (2, 3),
                               "edge_goes_up": (True, True), "values": [1, 2, 3]},
                      call=lambda function, values, **kw: function(**kw).apply(values)),
    "rfm.get_preset": Entry(lambda: {"preset": "pharmacy"}),
    "rfm.preset_table": Entry(lambda: {"preset": "pharmacy"}),
    "rfm.rule": Entry(lambda: {"column": "recency_days", "edges": [30, 90],
                               "higher_is_better": False}),
    "rfm.score": Entry(lambda: {"summary": pd.DataFrame({
        "recency_months": [6, 30, 60], "frequency": [3, 2, 1],
        "monetary_mean": [450_000.0, 200_000.0, 150_000.0]}), "preset": "car_dealer"}),
    "rfm.score_crosstab": Entry(lambda: {"scores": pd.DataFrame({
        "r_score": [1, 1, 2], "f_score": [1, 1, 2], "monetary_mean": [2.0, 4.0, 9.0]})}),
    "rfm.segment_summary": Entry(lambda: {"segmented": resolve("rfm.segments")(pd.DataFrame({
        "r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1],
        "monetary_total": [90.0, 10.0]}))}),
    "rfm.segments": Entry(lambda: {"scores": pd.DataFrame({
        "r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1]})}),
    "rfm.strategy_table": Entry(dict),
    "rfm.summary": Entry(lambda: {"data": _tx(), "as_of": "2025-01-31"}),
    # --- selection -------------------------------------------------------------------------
    "selection.attractiveness_fit": Entry(lambda: {"ratings": pd.DataFrame({
        "segment": ["甲", "乙"], "market_size": [5, 2], "image_fit": [4, 4]})}),
    "selection.elastic_checklist": Entry(lambda: {"value_outweighs_cash_drain": True,
                                                  "within_service_capacity": True,
                                                  "financially_sound": False}),
    "selection.normalize": Entry(lambda: {"values": [10.0, 20.0, 40.0], "method": "minmax",
                                          "higher_is_better": True}),
    "selection.scorecard": Entry(lambda: {"data": pd.DataFrame({
        "customer_id": [1, 2, 3], "a": [1.0, 3.0, 2.0], "b": [5.0, 5.0, 1.0]}),
        "weights": {"a": 0.5, "b": 0.5}}),
    "selection.screening_dimensions": Entry(lambda: {"data": _b2b()}),
    "selection.select": Entry(lambda: {"card": resolve("selection.scorecard")(pd.DataFrame({
        "customer_id": [1, 2, 3], "a": [1.0, 3.0, 2.0]}), {"a": 1.0}), "top": 2}),
    "selection.size_vs_profit": Entry(lambda: {"data": _b2b()}),
    "selection.validate_weights": Entry(lambda: {"weights": {"a": 30.0, "b": 70.0}}),
    "selection.weight_sensitivity": Entry(lambda: {"data": pd.DataFrame({
        "customer_id": list("abcd"), "x": [1.0, 2.0, 3.0, 4.0], "y": [4.0, 3.0, 2.0, 1.0]}),
        "weights": {"x": 0.6, "y": 0.4}, "change": 0.2, "top": 2}),
    # --- synthetic -------------------------------------------------------------------------
    "synthetic.b2b_customers": _seeded(),
    "synthetic.cohort_transactions": _seeded(),
    "synthetic.complaint_log": _seeded(),
    "synthetic.customer_contacts": _seeded(),
    "synthetic.customer_orders": _seeded(),
    "synthetic.customer_records_raw": _seeded(),
    "synthetic.loyalty_survey": _seeded(),
    "synthetic.order_costs": _seeded(),
    "synthetic.portfolio_customers": _seeded(),
    "synthetic.portfolio_orders": _seeded(),
    "synthetic.portfolio_products": _seeded(),
    "synthetic.shop_orders": _seeded(),
    "synthetic.to_csv_text": Entry(lambda: {"frame": pd.DataFrame({"a": [1.5, 2.0]})}),
    "synthetic.write_all": Entry(lambda: {"folder": _tmp()}, clean=False,
                                 junk={"folder": {"None": None, "number": 5,
                                                  "list": ["a"]}}),
    "synthetic.buyers.bgnbd_summary": Entry(lambda: {"n": 20, "r": 0.243, "alpha": 4.414,
                                                     "a": 0.793, "b": 2.426, "T": 39.0,
                                                     "seed": 0}),
    "synthetic.cards.illustrative_card_data": Entry(lambda: {"n_customers": 3, "years": 2,
                                                             "seed": 2024}),
    # --- widgets ---------------------------------------------------------------------------
    "widgets.ABCWhatIf": Entry(lambda: {"segments": _segments(), "activities": _activities(),
                                        "drivers": _drivers(), "segment": "A",
                                        "draw": False}, call=_widget),
    "widgets.CLVCalculator": Entry(lambda: {"draw": False, "cost": 500.0, "retention": 0.9,
                                            "rate": 0.15}, call=_widget),
    "widgets.SLAExplorer": Entry(lambda: {"cases": _cases(), "sla_days": 7.0, "target": 0.8,
                                          "draw": False}, call=_widget),
    "widgets.ScorecardWeights": Entry(lambda: {"data": _dims(), "top": 2, "draw": False},
                                      call=_widget),
    "widgets.clv_calculator": Entry(lambda: {"draw": False, "retention": 0.9},
                                    call=_widget),
    "widgets.scorecard_weights": Entry(lambda: {"data": _dims(), "top": 1, "draw": False},
                                       call=_widget),
    "widgets.sla_explorer": Entry(lambda: {"cases": _cases(), "sla_days": 7.0,
                                           "draw": False}, call=_widget),
}


# --- running one entry -----------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """The verdict on one call of the sweep."""

    name: str
    case: str            # "argument=category", or "valid call"
    verdict: str         # good / weak / bad / n/a (the registry's valid call fails: not comparable)
    reason: str


def _answer_numbers(result: Any) -> np.ndarray:
    from tests._bad_input import numbers_of
    return numbers_of(result)


def _no_numbers(result: Any) -> np.ndarray:
    return np.array([])


#: modules whose calls take tens of milliseconds (charts, widgets, databases, event logs)
SLOW = ("plotting.", "complaints.", "widgets.", "crmdb.", "loyalty.", "customer_file.build",
        "selection.size_vs_profit", "selection.weight_sensitivity")


def run(name: str, entry: Entry | None = None, *, quick: bool = False) -> list[Outcome]:
    """Sweep one registered callable; every call judged (see tests/_bad_input.py).

    The calls run in a temporary working folder: junk paths ("abc") land there.
    ``quick`` (the test suite) keeps an evenly spaced subset of the cases, the
    same one every time: at most 16 for a callable of a ``SLOW`` module, 60 for
    the others. The report runs them all.
    """
    keep = (16 if name.startswith(SLOW) else 60) if quick else None
    with tempfile.TemporaryDirectory(prefix="crmlab-sweep-") as folder, \
            contextlib.chdir(folder):
        return _run(name, entry or REGISTRY[name], keep)


def _spread(cases: list, keep: int) -> list:
    """``keep`` cases evenly spaced over the list (all of them when it is short)."""
    if len(cases) <= keep:
        return cases
    return [cases[round(i * (len(cases) - 1) / (keep - 1))] for i in range(keep)]


def _defaults(target: Any) -> dict[str, Any]:
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return {}
    return {k: p.default for k, p in parameters.items() if p.default is not p.empty}


def _run(name: str, entry: Entry, keep: int | None) -> list[Outcome]:
    from tests._bad_input import Case, classify, judge_error, variants

    try:
        target = resolve(name)
        valid = entry.make()
    except Exception as error:  # noqa: BLE001 - an older crmlab without the name
        return [Outcome(name, "valid call", "n/a", f"{type(error).__name__}: {error}")]

    def function(**kwargs):
        return entry.call(target, **kwargs) if entry.call else target(**kwargs)

    clean = None
    if entry.clean:
        case = Case("", "valid call", valid, ("",), "either")
        verdict, reason = classify(function, case, seconds=max(entry.seconds, 10))
        if verdict != "good":   # the registry's valid call fails on this crmlab: not comparable
            return [Outcome(name, "valid call", "n/a", reason)]
        try:
            clean = function(**entry.make())
        except Exception as error:  # noqa: BLE001
            return [Outcome(name, "valid call", "n/a", f"{type(error).__name__}: {error}")]
    outcomes = [Outcome(name, "valid call", "good", "finite answer")] if entry.clean else []
    cases = variants(valid, entry.only)
    for argument, table in entry.junk.items():
        cases = [c for c in cases if c.argument != argument] + [
            Case(argument, label, {**valid, argument: bad}, (argument,), "refuse")
            for label, bad in table.items()]
    if keep is not None:
        cases = _spread(cases, keep)
    defaults = _defaults(target)
    for case in cases:
        if case.expect == "same" and not entry.clean:
            continue
        value = case.kwargs[case.argument]
        if case.expect == "refuse" and (
                entry.passes_data and case.category not in ("None", "list", "dict", "text")
                or value is None and defaults.get(case.argument, False) is None):
            # data passed through by design, or None where None is the default
            case = Case(case.argument, case.category, case.kwargs, case.names, "either")
        if entry.fresh:
            case = Case(case.argument, case.category,
                        {**entry.make(), case.argument: case.kwargs[case.argument]},
                        case.names, case.expect)
        try:
            verdict, reason = classify(function, case, clean, finite=_no_numbers
                                       if entry.passes_data else _answer_numbers,
                                       seconds=entry.seconds)
        except Exception as error:  # noqa: BLE001 - the harness itself must not stop the sweep
            verdict, reason = judge_error(error, case.names)
        outcomes.append(Outcome(name, f"{case.argument}={case.category}", verdict, reason))
    return outcomes
