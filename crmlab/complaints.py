"""Complaint handling (客户投诉的管理): taxonomy, an enforced workflow, log analytics.

The lecture (《客户关系管理》讲义, 第三节) names four complaint types with their
sub-items, four principles, an eight-step procedure, six strategies and six
points of attention. Here they are data with stable English codes; the Chinese
and English labels live in ``crmlab.glossary.VALUES`` (``frame.pipe(glossary.zh)``).

**The workflow.** A :class:`Complaint` moves through the steps of ``STEPS``; only
the moves in ``TRANSITIONS`` are legal (the state is the step last completed).
An illegal move raises :class:`WorkflowError` (a ``ValueError``) naming the
current step and the legal next ones, and leaves the record unchanged. Every move
is kept in ``history`` with who, when and a note.

**The event log.** ``to_frame`` writes complaints as an event log (one row per
move, ``LOG_COLUMNS``); ``from_frame`` replays such a log through the workflow,
so a log with an illegal move or a timestamp going backwards is refused with the
row named. CSV and Parquet files round-trip every field (``to_csv``/``read_csv``,
``to_parquet``/``read_parquet``).

>>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
...               sub_item="quality_failure", by="前台", at="2024-03-01 09:00")
>>> c.advance("judge", by="质检员", at="2024-03-01 15:00").step
'judge'
>>> c.next_steps()
('assign', 'rejected')
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab import glossary

__all__ = [
    "ATTENTION_POINTS",
    "HANDLING",
    "LOG_COLUMNS",
    "PRINCIPLES",
    "PROBLEMS",
    "PROCEDURE",
    "SERVICE_SYSTEM",
    "STEPS",
    "STRATEGIES",
    "SUB_ITEMS",
    "TERMINAL",
    "TRANSITIONS",
    "TYPES",
    "UNASSIGNED",
    "Complaint",
    "Move",
    "WorkflowError",
    "attention_table",
    "from_frame",
    "handling_group",
    "next_steps",
    "pareto",
    "principles_table",
    "procedure_table",
    "read_csv",
    "read_log_csv",
    "read_parquet",
    "reopen_rate",
    "satisfaction",
    "service_recovery",
    "service_system_table",
    "sla_by_department",
    "strategies_table",
    "summary",
    "to_csv",
    "to_frame",
    "to_parquet",
    "types_table",
    "validate_log",
]

# --- taxonomy (第三节 一、二、四、五) ------------------------------------------------

#: The four complaint types (客户投诉的内容), in the lecture's order.
TYPES: tuple[str, ...] = ("quality", "contract", "transport", "service")

#: Sub-items of each type as the lecture lists them; codes are unique across types.
SUB_ITEMS: dict[str, tuple[str, ...]] = {
    "quality": ("quality_defect", "quality_spec", "quality_tolerance", "quality_failure"),
    "contract": ("contract_quantity", "contract_grade", "contract_spec",
                 "contract_delivery_time", "contract_delivery_place",
                 "contract_settlement", "contract_terms"),
    "transport": ("transport_damage", "transport_spoilage", "transport_loss",
                  "transport_packing"),
    "service": ("service_quality", "service_attitude", "service_manner", "service_skill"),
}

#: The four principles (处理客户投诉的原则).
PRINCIPLES: tuple[str, ...] = ("rules", "timely", "responsibility", "records")

#: The six strategies (处理客户投诉的策略).
STRATEGIES: tuple[str, ...] = ("encourage", "facts", "solution", "fair_claims",
                               "suggest_sale", "goodwill")

#: The six points of attention (处理客户投诉时应注意的问题).
ATTENTION_POINTS: tuple[str, ...] = ("listen", "causes", "emergency", "improve",
                                     "system", "follow_up")

# --- the workflow (第三节 三、处理客户投诉的程序) -------------------------------------

#: Every state a complaint can be in (the step last completed).
STEPS: tuple[str, ...] = ("record", "judge", "rejected", "assign", "analyse", "propose",
                          "approve", "implement", "review", "closed")

#: Legal moves: current step -> the steps that may follow it.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "record": ("judge",),
    "judge": ("assign", "rejected"),
    "rejected": (),
    "assign": ("analyse",),
    "analyse": ("propose",),
    "propose": ("approve",),
    "approve": ("implement", "propose"),
    "implement": ("review",),
    "review": ("closed", "analyse"),
    "closed": ("analyse",),
}

#: The lecture's eight steps in order (the codes of the normal path).
PROCEDURE: tuple[str, ...] = ("record", "judge", "assign", "analyse", "propose",
                              "approve", "implement", "review")

#: States with no legal next step.
TERMINAL: tuple[str, ...] = tuple(s for s, nxt in TRANSITIONS.items() if not nxt)

#: Steps at which a complaint counts as settled (结案).
SETTLED: tuple[str, ...] = ("closed", "rejected")

#: Columns of the event log, one row per move.
LOG_COLUMNS: tuple[str, ...] = ("complaint_id", "seq", "step", "at", "by", "note",
                                "customer_id", "order_id", "complaint_type", "sub_item",
                                "department", "satisfaction")

_PRINCIPLE_TEXT = {
    "rules": ("有专门的制度和人员管理客户投诉，做好预防工作，加强内部投诉信息交流",
              "A written procedure and dedicated staff; prevention; share complaint "
              "information inside the company", "STEPS / TRANSITIONS"),
    "timely": ("各部门通力合作，迅速反应，力争在最短时间内全面解决问题",
               "Departments cooperate and respond fast, solving the problem in the "
               "shortest time", "sla_by_department"),
    "responsibility": ("分清造成投诉的责任部门和责任人，明确处理投诉各部门、各类人员的责任与权限",
                       "Name the department and person responsible for the complaint, and "
                       "who handles it with what authority", "department"),
    "records": ("每一起投诉及其处理都做详细记录：内容、处理过程、结果、客户满意程度",
                "Record every complaint in detail: content, handling, result, customer "
                "satisfaction", "history / event log"),
}

#: The customer service system's functions (第四节 五、客户服务系统), in the lecture's order,
#: with the complaint step each mainly supports (本课程的解读).
SERVICE_SYSTEM: tuple[str, ...] = ("ivr", "acd", "agent", "lookup", "statistics", "ecommerce")
_SERVICE_STEP = {"ivr": "record", "acd": "record", "agent": "record", "lookup": "judge",
                 "statistics": "review", "ecommerce": "record"}

#: Which workflow step each point of attention belongs to (本课程的解读).
_ATTENTION_STEP = {"listen": "record", "causes": "analyse", "emergency": "implement",
                   "improve": "review", "system": "", "follow_up": "closed"}

#: Which strategy acts at which step (本课程的解读).
_STRATEGY_STEP = {"encourage": "record", "facts": "judge", "solution": "propose",
                  "fair_claims": "implement", "suggest_sale": "review",
                  "goodwill": "closed"}


def service_system_table() -> pd.DataFrame:
    """Return the six functions of the customer service system and the step each supports.

    Returns
    -------
    DataFrame
        Columns ``service_function`` and ``step`` (codes).

    Examples
    --------
    >>> service_system_table()["service_function"].tolist()[:3]
    ['ivr', 'acd', 'agent']
    """
    return pd.DataFrame({"service_function": list(SERVICE_SYSTEM),
                         "step": [_SERVICE_STEP[f] for f in SERVICE_SYSTEM]})


def types_table() -> pd.DataFrame:
    """Return the four complaint types and their sub-items, one row per sub-item.

    Columns ``complaint_type`` and ``sub_item`` hold codes; relabel them with
    ``glossary.zh``.

    Returns
    -------
    DataFrame
        Columns ``complaint_type`` and ``sub_item``.

    Examples
    --------
    >>> t = types_table()
    >>> t.groupby("complaint_type", sort=False).size().to_dict()
    {'quality': 4, 'contract': 7, 'transport': 4, 'service': 4}
    """
    rows = [(t, s) for t in TYPES for s in SUB_ITEMS[t]]
    return pd.DataFrame(rows, columns=["complaint_type", "sub_item"])


def principles_table() -> pd.DataFrame:
    """Return the four principles with the lecture's explanation and where crmlab supports them.

    Returns
    -------
    DataFrame
        Columns ``principle``, ``description_zh``, ``description_en``, ``in_crmlab``.

    Examples
    --------
    >>> principles_table()["principle"].tolist()
    ['rules', 'timely', 'responsibility', 'records']
    """
    return pd.DataFrame([(p, *_PRINCIPLE_TEXT[p]) for p in PRINCIPLES],
                        columns=["principle", "description_zh", "description_en",
                                 "in_crmlab"])


def procedure_table() -> pd.DataFrame:
    """Return every workflow state with its number in the lecture's procedure and legal next steps.

    Returns
    -------
    DataFrame
        Columns ``step``, ``procedure_no`` (NA for states outside the procedure) and
        ``next_steps`` (comma-separated).

    Examples
    --------
    >>> procedure_table().set_index("step").loc["approve", "next_steps"]
    'implement, propose'
    """
    number = {s: i + 1 for i, s in enumerate(PROCEDURE)}
    return pd.DataFrame({
        "step": list(STEPS),
        "procedure_no": [number.get(s, pd.NA) for s in STEPS],
        "next_steps": [", ".join(TRANSITIONS[s]) for s in STEPS],
    }).astype({"procedure_no": "Int64"})


def strategies_table() -> pd.DataFrame:
    """Return the six strategies and the workflow step where each acts (本课程的解读).

    Returns
    -------
    DataFrame
        Columns ``complaint_strategy`` and ``step``.

    Examples
    --------
    >>> strategies_table().shape
    (6, 2)
    """
    return pd.DataFrame({"complaint_strategy": list(STRATEGIES),
                         "step": [_STRATEGY_STEP[s] for s in STRATEGIES]})


def attention_table() -> pd.DataFrame:
    """Return the six points of attention and the workflow step each belongs to (本课程的解读).

    ``system`` (建立客户投诉管理制度) is the workflow itself, so its step is empty.

    Returns
    -------
    DataFrame
        Columns ``attention_point`` and ``step``.

    Examples
    --------
    >>> attention_table()["attention_point"].tolist()[:2]
    ['listen', 'causes']
    """
    return pd.DataFrame({"attention_point": list(ATTENTION_POINTS),
                         "step": [_ATTENTION_STEP[a] for a in ATTENTION_POINTS]})


# --- the workflow -----------------------------------------------------------------

class WorkflowError(ValueError):
    """An illegal move (or a move back in time) in the complaint workflow.

    A subclass of ``ValueError``, raised by :meth:`Complaint.advance` and
    :func:`from_frame`; the record is left unchanged.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> try:
    ...     c.advance("closed", by="a", at="2024-01-03")
    ... except WorkflowError:
    ...     print("illegal")
    illegal
    """


def _zh(step: str) -> str:
    return glossary.value_label("step", step, "zh")


def _step_list(steps: Iterable[str]) -> tuple[str, str]:
    steps = tuple(steps)
    if not steps:
        return "无（已终结）", "none (terminal)"
    return ("、".join(f"{_zh(s)}（{s}）" for s in steps), ", ".join(repr(s) for s in steps))


def _known_step(step: Any, name: str = "step") -> str:
    if not isinstance(step, str) or step not in TRANSITIONS:
        zh_list = "、".join(STEPS)
        raise WorkflowError(
            f"未知的处理步骤 {name}={validate.show(step)}：应为 {zh_list} 之一。"
            f" Unknown step {name}={validate.show(step)}: expected one of {list(STEPS)}")
    return step


def next_steps(step: str) -> tuple[str, ...]:
    """Return the legal next steps after ``step``.

    Parameters
    ----------
    step : str
        A code of ``STEPS``.

    Returns
    -------
    tuple of str
        The steps ``TRANSITIONS`` allows next (empty for a terminal step).

    Raises
    ------
    WorkflowError
        ``step`` is not a known step.

    Examples
    --------
    >>> next_steps("review")
    ('closed', 'analyse')
    """
    return TRANSITIONS[_known_step(step)]


def _stamp(value: Any, name: str = "at") -> pd.Timestamp:
    if isinstance(value, bool) or value is None or isinstance(value, int | float | np.number):
        raise TypeError(f"时间 {name}={validate.show(value)} 无效：应为日期时间，例如 "
                        f"'2024-03-01 09:30'。 {name}={validate.show(value)} is invalid: "
                        f"expected a date-time such as '2024-03-01 09:30'")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"时间 {name}={validate.show(value)} 无法识别：应为日期时间，例如 "
                         f"'2024-03-01 09:30'。 {name}={validate.show(value)} is not a "
                         f"date-time: expected e.g. '2024-03-01 09:30'") from None
    if pd.isna(stamp):
        raise ValueError(f"时间 {name} 缺失：每一步都要记录时间。 {name} is missing: every "
                         f"move needs a time")
    if stamp.tzinfo is not None:  # the local wall-clock time counts
        stamp = stamp.tz_localize(None)
    return stamp


def _text(value: Any, name: str, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"{name}={validate.show(value)} 无效：应为文字。 {name}="
                        f"{validate.show(value)} is invalid: expected text (str)")
    if required and not value.strip():
        raise ValueError(f"{name} 为空：应写明由谁完成这一步（留档分析）。 {name} is empty: "
                         f"say who made the move")
    return value


def _satisfaction(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    score = validate.number(value, "satisfaction", minimum=1, maximum=5)
    return score


@dataclass(frozen=True)
class Move:
    """One completed step: which, when, by whom, a note, and what it recorded.

    Examples
    --------
    >>> m = Move("record", pd.Timestamp("2024-01-02"), "客服")
    >>> m.step, m.department
    ('record', None)
    """

    step: str
    at: pd.Timestamp
    by: str
    note: str = ""
    department: str | None = None
    satisfaction: float | None = None


class Complaint:
    """One complaint record moving through the workflow of ``TRANSITIONS``.

    Created in state ``record`` (记录投诉内容 is done when the complaint is
    recorded). ``advance`` makes one move; an illegal move raises
    :class:`WorkflowError` and changes nothing.

    Parameters
    ----------
    complaint_id : the complaint's id (text).
    customer_id : the complaining customer (text; an integer id is kept as its text).
    complaint_type, sub_item : codes from ``TYPES`` and ``SUB_ITEMS``.
    by, at, note : who recorded it, when, and what the customer said.
    order_id : the order complained about (optional).

    Examples
    --------
    >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
    ...               sub_item="service_attitude", by="客服", at="2024-05-01")
    >>> try:
    ...     c.advance("closed", by="客服", at="2024-05-02")
    ... except WorkflowError as err:
    ...     print(str(err).split("：")[0])
    不能从「记录投诉内容」（record）直接进入「结案」（closed）
    >>> c.step
    'record'
    """

    __slots__ = ("_history", "complaint_id", "complaint_type", "customer_id", "order_id",
                 "sub_item")

    def __init__(self, complaint_id: str, *, customer_id: str | int, complaint_type: str,
                 sub_item: str, by: str, at: Any, note: str = "",
                 order_id: str | None = None) -> None:
        self.complaint_id = _id(complaint_id, "complaint_id")
        self.customer_id = _id(customer_id, "customer_id")
        self.order_id = None if order_id is None else _id(order_id, "order_id")
        if complaint_type not in SUB_ITEMS:
            raise ValueError(f"未知的投诉类型 complaint_type={validate.show(complaint_type)}："
                             f"应为 {list(TYPES)} 之一。 Unknown complaint_type="
                             f"{validate.show(complaint_type)}: expected one of {list(TYPES)}")
        if sub_item not in SUB_ITEMS[complaint_type]:
            owner = next((t for t, subs in SUB_ITEMS.items() if sub_item in subs), None)
            slip = (f"（它属于 {owner}）" if owner else "")
            slip_en = (f" (it belongs to {owner!r})" if owner else "")
            raise ValueError(f"投诉子项 sub_item={validate.show(sub_item)} 不属于类型 "
                             f"{complaint_type}{slip}：应为 {list(SUB_ITEMS[complaint_type])} "
                             f"之一。 sub_item={validate.show(sub_item)} is not a sub-item of "
                             f"{complaint_type!r}{slip_en}: expected one of "
                             f"{list(SUB_ITEMS[complaint_type])}")
        self.complaint_type = complaint_type
        self.sub_item = sub_item
        self._history: tuple[Move, ...] = (
            Move("record", _stamp(at), _text(by, "by", required=True),
                 _text(note, "note", required=False)),)

    # -- state ---------------------------------------------------------------
    @property
    def step(self) -> str:
        """The step last completed."""
        return self._history[-1].step

    @property
    def history(self) -> tuple[Move, ...]:
        """Every move so far, oldest first (the first is ``record``)."""
        return self._history

    @property
    def department(self) -> str | None:
        """The department named at the latest ``assign`` move (None before)."""
        return next((m.department for m in reversed(self._history)
                     if m.department is not None), None)

    @property
    def satisfaction(self) -> float | None:
        """The customer's satisfaction (1–5) recorded at the latest review or closing."""
        return next((m.satisfaction for m in reversed(self._history)
                     if m.satisfaction is not None), None)

    @property
    def reopens(self) -> int:
        """How many times the complaint went back to ``analyse`` from review or closed."""
        steps = [m.step for m in self._history]
        return sum(1 for a, b in zip(steps, steps[1:], strict=False)
                   if b == "analyse" and a in ("review", "closed"))

    def next_steps(self) -> tuple[str, ...]:
        """Return the legal next steps from the current one."""
        return TRANSITIONS[self.step]

    # -- moves ---------------------------------------------------------------
    def advance(self, step: str, *, by: str, at: Any, note: str = "",
                department: str | None = None, satisfaction: float | None = None
                ) -> Complaint:
        """Complete ``step``: check it is legal, then append it to the history.

        Parameters
        ----------
        step : the step just completed (a code of ``STEPS``).
        by : who completed it; at : when (not earlier than the previous move).
        note : free text (what was found, decided, done).
        department : the responsible department; required at ``assign`` (unless
            one was named before, e.g. on a reopened complaint) and refused elsewhere.
        satisfaction : the customer's satisfaction 1–5, only at ``review`` or ``closed``.

        Returns
        -------
        The complaint itself (so moves can be chained).

        Raises
        ------
        WorkflowError
            Unknown step, a move ``TRANSITIONS`` does not allow, or ``at`` earlier
            than the previous move. The record is left unchanged.
        TypeError, ValueError
            Bad ``by``, ``note``, ``department`` or ``satisfaction``; unchanged too.
        """
        _known_step(step)
        current = self.step
        allowed = TRANSITIONS[current]
        if step not in allowed:
            zh_list, en_list = _step_list(allowed)
            raise WorkflowError(
                f"不能从「{_zh(current)}」（{current}）直接进入「{_zh(step)}」（{step}）："
                f"投诉 {self.complaint_id} 当前可进行的下一步是 {zh_list}。 "
                f"Illegal move {current!r} -> {step!r} for complaint {self.complaint_id}: "
                f"the legal next steps are {en_list}")
        stamp = _stamp(at)
        last = self._history[-1].at
        if stamp < last:
            raise WorkflowError(
                f"时间倒退：投诉 {self.complaint_id} 的「{_zh(step)}」时间 {stamp} 早于上一步"
                f"「{_zh(current)}」的时间 {last}。 Time goes backwards: {step!r} at {stamp} "
                f"is earlier than the previous move {current!r} at {last}")
        who = _text(by, "by", required=True)
        text = _text(note, "note", required=False)
        if department is not None and step != "assign":
            raise ValueError(f"department 只能在「确定责任部门」（assign）这一步填写，不能在 "
                             f"{step} 填写。 department can only be set at 'assign', not at "
                             f"{step!r}")
        if step == "assign":
            if department is not None:
                department = _text(department, "department", required=True)
            elif self.department is None:
                raise ValueError(f"「确定责任部门」（assign）必须写明 department=...（分清责任）。"
                                 f" Move 'assign' needs department=... for complaint "
                                 f"{self.complaint_id}")
        score = _satisfaction(satisfaction)
        if score is not None and step not in ("review", "closed"):
            raise ValueError(f"satisfaction 只能在「总结评价」（review）或「结案」（closed）"
                             f"时记录，不能在 {step}。 satisfaction can only be recorded "
                             f"at 'review' or 'closed', not at {step!r}")
        self._history = (*self._history, Move(step, stamp, who, text, department, score))
        return self

    # -- comparison and display ----------------------------------------------
    def _key(self) -> tuple:
        return (self.complaint_id, self.customer_id, self.order_id, self.complaint_type,
                self.sub_item, self._history)

    def __eq__(self, other: object) -> bool:
        """Compare ids, codes and the whole history."""
        if not isinstance(other, Complaint):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # mutable: moves change it

    def __repr__(self) -> str:
        """Show the id, the current step and the number of moves."""
        return (f"Complaint({self.complaint_id!r}, step={self.step!r}, "
                f"moves={len(self._history)})")

    def to_frame(self) -> pd.DataFrame:
        """Return this complaint's event log (see :func:`to_frame`)."""
        return to_frame([self])


def _id(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | np.integer):
        raise TypeError(f"{name}={validate.show(value)} 无效：应为编号（文字或整数）。 "
                        f"{name}={validate.show(value)} is invalid: expected an id (text or "
                        f"integer)")
    text = str(int(value)) if not isinstance(value, str) else value
    if not text.strip():
        raise ValueError(f"{name} 为空：应为编号。 {name} is empty: expected an id")
    return text


# --- the event log ----------------------------------------------------------------

def to_frame(complaints: Iterable[Complaint]) -> pd.DataFrame:
    """Return the event log of ``complaints``: one row per move, columns ``LOG_COLUMNS``.

    ``department`` is filled on ``assign`` rows and ``satisfaction`` on the rows
    where it was recorded; both are missing elsewhere.

    Parameters
    ----------
    complaints : iterable of Complaint (or one Complaint)
        The complaint records.

    Returns
    -------
    DataFrame
        One row per move, columns ``LOG_COLUMNS``, complaints in the given order.

    Raises
    ------
    TypeError
        An element is not a :class:`Complaint`.

    Examples
    --------
    >>> c = Complaint("T1", customer_id=7, complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-02")
    >>> to_frame([c])[["complaint_id", "seq", "step", "customer_id"]].values.tolist()
    [['T1', 0, 'record', '7']]
    """
    if isinstance(complaints, Complaint):
        complaints = [complaints]
    rows = []
    for c in complaints:
        if not isinstance(c, Complaint):
            raise TypeError(f"complaints contains a {type(c).__name__}: expected "
                            f"complaints.Complaint objects")
        for seq, m in enumerate(c.history):
            rows.append((c.complaint_id, seq, m.step, m.at, m.by, m.note, c.customer_id,
                         c.order_id, c.complaint_type, c.sub_item, m.department,
                         np.nan if m.satisfaction is None else m.satisfaction))
    out = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    out["seq"] = out["seq"].astype("int64")
    out["at"] = pd.to_datetime(out["at"]).astype("datetime64[ns]")
    out["satisfaction"] = out["satisfaction"].astype("float64")
    for column in ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                   "complaint_type", "sub_item", "department"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def from_frame(log: pd.DataFrame) -> list[Complaint]:
    """Replay an event log through the workflow; return the complaints in log order.

    Rows are taken per complaint in ``seq`` order; the first move must be
    ``record``. Every later move goes through :meth:`Complaint.advance`, so an
    illegal move, an unknown step or a time going backwards raises with the
    row's index named.

    Parameters
    ----------
    log : DataFrame
        An event log with (at least) ``complaint_id``, ``seq``, ``step``, ``at``,
        ``by``, ``customer_id``, ``complaint_type`` and ``sub_item``; not modified.

    Returns
    -------
    list of Complaint
        One record per complaint, in order of first appearance in ``log``.

    Raises
    ------
    WorkflowError
        A complaint does not start with ``record``, an illegal move, or a time
        going backwards (the row is named).
    TypeError, ValueError
        Missing columns or ids, repeated (complaint_id, seq), bad codes or values.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03")
    >>> from_frame(to_frame([c]))[0] == c
    True
    """
    validate.frame(log, "log", columns=["complaint_id", "seq", "step", "at", "by",
                                     "customer_id", "complaint_type", "sub_item"])
    frame = log.copy()
    for column in ("note", "order_id", "department", "satisfaction"):
        if column not in frame.columns:
            frame[column] = None
    validate.no_missing(frame["complaint_id"], "log['complaint_id']")
    validate.no_missing(frame["seq"], "log['seq']")
    order = frame.sort_values(["complaint_id", "seq"], kind="stable").index
    duplicated = frame.duplicated(["complaint_id", "seq"], keep=False)
    if duplicated.any():
        rows = list(frame.index[duplicated][:5])
        raise ValueError(f"log 中同一投诉的同一序号 seq 出现多次（行 {rows}）。 log has "
                         f"repeated (complaint_id, seq) pairs at rows {rows}")
    made: dict[str, Complaint] = {}
    first_seen: list[str] = []
    columns = ["complaint_id", "step", "at", "by", "note", "customer_id", "order_id",
               "complaint_type", "sub_item", "department", "satisfaction"]
    rows = frame.loc[order, columns]
    for index, row in zip(rows.index, rows.itertuples(index=False), strict=True):
        cid = str(row.complaint_id)
        note = "" if _missing(row.note) else row.note
        try:
            if cid not in made:
                if row.step != "record":
                    raise WorkflowError(
                        f"投诉 {cid} 的第一步应为「记录投诉内容」（record），而不是 "
                        f"{validate.show(row.step)}。 Complaint {cid} must start with "
                        f"'record', not {validate.show(row.step)}")
                made[cid] = Complaint(
                    cid, customer_id=row.customer_id, complaint_type=row.complaint_type,
                    sub_item=row.sub_item, by=row.by, at=row.at, note=note,
                    order_id=None if _missing(row.order_id) else row.order_id)
                first_seen.append(cid)
            else:
                made[cid].advance(
                    row.step, by=row.by, at=row.at, note=note,
                    department=None if _missing(row.department) else row.department,
                    satisfaction=None if _missing(row.satisfaction) else row.satisfaction)
        except (TypeError, ValueError) as err:
            raise type(err)(f"log 第 {index} 行：{err}") from None
    appearance = {cid: i for i, cid in enumerate(pd.unique(frame["complaint_id"].astype(str)))}
    return sorted((made[c] for c in first_seen), key=lambda c: appearance[c.complaint_id])


_TEXT_COLUMNS = ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                 "complaint_type", "sub_item", "department")
_OPTIONAL = ("order_id", "department")


def to_csv(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as UTF-8 CSV (every field quoted, times in ISO format).

    Parameters
    ----------
    complaints : iterable of Complaint
        The complaint records.
    path : str or Path
        The file to write (overwritten).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_csv(path) == [c]
    True
    """
    log = to_frame(complaints)
    log["at"] = [t.isoformat() for t in log["at"]]
    log["satisfaction"] = [("" if np.isnan(v) else repr(float(v))) for v in log["satisfaction"]]
    path = Path(path)
    log.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL,
               lineterminator="\n")
    return path


def read_log_csv(path: str | Path) -> pd.DataFrame:
    """Read an event-log CSV exactly (all text, no guessing), with typed columns.

    Parameters
    ----------
    path : str or Path
        A CSV written by :func:`to_csv` (or shaped like it).

    Returns
    -------
    DataFrame
        The event log: ``seq`` int64, ``at`` datetime64, ``satisfaction`` float64,
        the other columns text (``None`` for a missing order or department).

    Raises
    ------
    ValueError
        Missing columns, ``seq`` not whole numbers or unreadable times.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_log_csv(path)["step"].tolist()
    ['record']
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    validate.frame(raw, str(path), columns=list(LOG_COLUMNS))
    out = raw.copy()
    seq = pd.to_numeric(raw["seq"], errors="coerce")
    bad = seq.isna()
    if bad.any():
        raise ValueError(f"{path}: seq 列第 {list(raw.index[bad][:5])} 行不是整数。 column "
                         f"'seq' must hold whole numbers")
    out["seq"] = seq.astype("int64")
    out["at"] = pd.to_datetime(raw["at"], format="ISO8601", errors="coerce")
    bad = out["at"].isna()
    if bad.any():
        raise ValueError(f"{path}: at 列第 {list(raw.index[bad][:5])} 行无法识别为时间。 "
                         f"column 'at' has unparseable times at rows {list(raw.index[bad][:5])}")
    out["satisfaction"] = pd.to_numeric(raw["satisfaction"].replace("", np.nan),
                                        errors="coerce").astype("float64")
    for column in _TEXT_COLUMNS:
        values = raw[column].astype(object)
        if column in _OPTIONAL:
            values = values.where(values != "", None)
        out[column] = values
    return out


def read_csv(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_csv` (the log is replayed and checked).

    Parameters
    ----------
    path : str or Path
        A CSV written by :func:`to_csv`.

    Returns
    -------
    list of Complaint
        The complaints, as :func:`from_frame` rebuilds them.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_csv(path)[0].step
    'record'
    """
    return from_frame(read_log_csv(path))


def to_parquet(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as Parquet (needs pyarrow).

    Parameters
    ----------
    complaints : iterable of Complaint
        The complaint records.
    path : str or Path
        The file to write (overwritten).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_parquet([c], Path(folder) / "log.parquet")
    ...     read_parquet(path) == [c]
    True
    """
    path = Path(path)
    to_frame(complaints).to_parquet(path, index=False, engine="pyarrow")
    return path


def read_parquet(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_parquet`.

    Parameters
    ----------
    path : str or Path
        A Parquet file written by :func:`to_parquet`.

    Returns
    -------
    list of Complaint
        The complaints, as :func:`from_frame` rebuilds them.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_parquet([c], Path(folder) / "log.parquet")
    ...     len(read_parquet(path))
    1
    """
    log = pd.read_parquet(path, engine="pyarrow")
    for column in _TEXT_COLUMNS:
        if column in log.columns:
            log[column] = log[column].astype(object).where(log[column].notna(), None)
    return from_frame(log)



# --- log analytics ------------------------------------------------------------------

#: Problems ``validate_log`` reports, one code per kind of bad row.
PROBLEMS: tuple[str, ...] = ("unknown_step", "bad_time", "duplicate_seq", "no_record",
                             "illegal_move", "time_backwards", "missing_department",
                             "bad_satisfaction", "bad_code", "inconsistent_complaint")

_REQUIRED = ("complaint_id", "seq", "step", "at", "customer_id", "complaint_type",
             "sub_item", "department", "satisfaction")
UNASSIGNED = "unassigned"


def _parse_times(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    text = values.astype(object)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    ok = text.notna()
    if ok.any():
        got = pd.to_datetime(text[ok], errors="coerce", format="mixed", utc=False)
        if isinstance(got.dtype, pd.DatetimeTZDtype):
            got = got.dt.tz_localize(None)
        parsed[ok] = got
    return parsed


def validate_log(log: pd.DataFrame) -> pd.DataFrame:
    """List every bad row of an event log, one line per problem (empty frame = a clean log).

    Checks, per complaint in ``seq`` order: known step codes (``unknown_step``),
    a readable time (``bad_time``), unique ``seq`` (``duplicate_seq``), the first
    move is ``record`` (``no_record``), each move is legal after the previous one
    (``illegal_move``), times never go backwards (``time_backwards``), ``assign``
    names a department (``missing_department``), satisfaction is missing or 1–5
    (``bad_satisfaction``), a customer and known type and sub-item codes
    (``bad_code``), and customer, type and sub-item are the same on every row of
    a complaint (``inconsistent_complaint``). A missing satisfaction is not
    a problem: the analytics report such complaints as *unrated*.

    Parameters
    ----------
    log : DataFrame
        An event log (columns as ``LOG_COLUMNS``); not modified.

    Returns
    -------
    DataFrame with ``row`` (the index label in ``log``), ``complaint_id``,
    ``problem`` (a code of ``PROBLEMS``) and ``detail``.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> log = to_frame([c.advance("judge", by="b", at="2024-01-03")])
    >>> log.loc[1, "step"] = "jugde"
    >>> validate_log(log)[["row", "problem"]].values.tolist()
    [[1, 'unknown_step']]
    """
    validate.frame(log, "log", columns=list(_REQUIRED))
    frame = pd.DataFrame({
        "row": log.index.to_numpy(),
        "complaint_id": log["complaint_id"].astype(object).to_numpy(),
        "seq": pd.to_numeric(log["seq"], errors="coerce").to_numpy(),
        "step": log["step"].astype(object).to_numpy(),
        "at": _parse_times(log["at"]).to_numpy(),
        "department": log["department"].astype(object).to_numpy(),
        "satisfaction": pd.to_numeric(log["satisfaction"], errors="coerce").to_numpy(),
        "sat_raw": log["satisfaction"].astype(object).to_numpy(),
        "key": (log["customer_id"].astype(str) + "|" + log["complaint_type"].astype(str)
                + "|" + log["sub_item"].astype(str)).to_numpy(),
    })
    found: list[pd.DataFrame] = []

    def report(mask: Any, problem: str, detail: pd.Series | str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            part = frame.loc[mask, ["row", "complaint_id"]].copy()
            part["problem"] = problem
            part["detail"] = detail[mask] if isinstance(detail, pd.Series) else detail
            found.append(part)

    known = frame["step"].isin(STEPS)
    report(~known, "unknown_step", "step=" + frame["step"].astype(str)
           + " is not a step code")
    report(frame["at"].isna(), "bad_time", "missing or unreadable time")
    report(frame["complaint_id"].isna() | np.isnan(frame["seq"].astype(float)),
           "duplicate_seq", "missing complaint_id or seq")
    dup = frame.duplicated(["complaint_id", "seq"], keep=False)
    report(dup, "duplicate_seq", "the same seq twice in one complaint")
    ordered = frame.sort_values(["complaint_id", "seq"], kind="stable")
    same = ordered["complaint_id"].eq(ordered["complaint_id"].shift())
    first = ~same
    prev_step = ordered["step"].shift().where(same)
    prev_at = ordered["at"].shift().where(same)
    legal_pairs = [f"{a}>{b}" for a, nxt in TRANSITIONS.items() for b in nxt]
    pair_ok = (prev_step.astype(str) + ">" + ordered["step"].astype(str)).isin(legal_pairs)
    bad_first = first & ordered["step"].ne("record")
    report(bad_first.reindex(frame.index), "no_record",
           "first move is " + frame["step"].astype(str) + ", expected record")
    prev_known = prev_step.isin(STEPS)
    illegal = same & known.reindex(ordered.index) & prev_known & ~pair_ok
    report(illegal.reindex(frame.index), "illegal_move",
           (prev_step.astype(str) + " -> " + ordered["step"].astype(str)).reindex(frame.index))
    backwards = same & (ordered["at"] < prev_at)
    report(backwards.reindex(frame.index), "time_backwards",
           ("earlier than the previous move at " + prev_at.astype(str)).reindex(frame.index))
    no_dept = frame["step"].eq("assign") & frame["department"].isna()
    report(no_dept, "missing_department", "assign without a department")
    sat = frame["satisfaction"]
    bad_sat = (frame["sat_raw"].notna() & ~pd.isna(frame["sat_raw"])) & (
        np.isnan(sat) | (sat < 1) | (sat > 5))
    report(bad_sat, "bad_satisfaction", "satisfaction=" + frame["sat_raw"].astype(str)
           + " is not a score 1-5")
    kinds = log["complaint_type"].astype(object).to_numpy()
    subs = log["sub_item"].astype(object).to_numpy()
    sub_pairs = [f"{t}|{x}" for t, items in SUB_ITEMS.items() for x in items]
    pair = pd.Series(kinds, dtype=object).astype(str) + "|" + pd.Series(subs,
                                                                       dtype=object).astype(str)
    bad_code = ~pair.isin(sub_pairs).to_numpy() | log["customer_id"].isna().to_numpy()
    report(bad_code, "bad_code",
           "customer_id missing, or complaint_type/sub_item not a code of TYPES/SUB_ITEMS ("
           + pair.str.replace("|", " / ", regex=False) + ")")
    mixed = frame.groupby("complaint_id", dropna=False)["key"].transform("nunique") > 1
    report(mixed, "inconsistent_complaint", "customer, type or sub-item differs between rows")
    columns = ["row", "complaint_id", "problem", "detail"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(found, ignore_index=True)
    out["problem"] = pd.Categorical(out["problem"], categories=PROBLEMS, ordered=True)
    out = out.sort_values(["row", "problem"], kind="stable").reset_index(drop=True)
    out["problem"] = out["problem"].astype(str)
    return out[columns]


def _checked(log: pd.DataFrame) -> pd.DataFrame:
    problems = validate_log(log)
    if len(problems):
        shown = "; ".join(f"row {r}: {p} ({d})" for r, p, d in
                          problems[["row", "problem", "detail"]].head(5).itertuples(index=False))
        ids = problems["complaint_id"].nunique()
        raise ValueError(
            f"投诉记录有 {len(problems)} 处问题（涉及 {ids} 个投诉），不能直接分析：先用 "
            f"complaints.validate_log(log) 查看，再明确剔除或更正这些投诉。 The log has "
            f"{len(problems)} problem(s) in {ids} complaint(s): {shown}. Inspect them with "
            f"complaints.validate_log(log), then fix or explicitly exclude those complaints")
    out = log.copy()
    out["at"] = _parse_times(log["at"])
    out["satisfaction"] = pd.to_numeric(log["satisfaction"], errors="coerce").astype(float)
    return out.sort_values(["complaint_id", "seq"], kind="stable")


def summary(log: pd.DataFrame) -> pd.DataFrame:
    """Summarise each complaint of an event log in one row (the log is validated first).

    Parameters
    ----------
    log : DataFrame
        An event log (columns as ``LOG_COLUMNS``); not modified.

    Returns
    -------
    DataFrame
        One row per complaint, columns ``complaint_id``, ``customer_id``,
        ``order_id`` (if in the log), ``complaint_type``, ``sub_item``,
        ``department`` (the last one named; ``"unassigned"`` if the complaint never
        reached ``assign``, e.g. rejected), ``opened_at`` (the ``record`` time),
        ``settled_at`` (the *final* ``closed`` or ``rejected`` time; NaT while the
        complaint is open, also after a reopen), ``first_settled_at`` (the first
        ``closed`` or ``rejected`` time, before any reopen), ``status``
        (``closed``, ``rejected`` or ``open``: the current state), ``final_step``,
        ``handling_days`` (final closure − opened, in days; NaN while open),
        ``first_resolution_days`` (first closure − opened: a separate measure, the
        same as ``handling_days`` unless the complaint was reopened),
        ``reviewed`` (reached ``review`` at least once), ``reopens`` (moves back to
        ``analyse``) and ``satisfaction`` (the last score recorded; NaN if none).

    Handling time runs to the final closure: a complaint that was closed, reopened
    and closed again was handled until the second closure (the customer's problem
    was not solved before). Chapter 7's database measures it the same way.

    Raises
    ------
    ValueError
        If ``validate_log`` finds any problem (the message lists the first ones).

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03").advance("rejected", by="b",
    ...                                                          at="2024-01-04 12:00")
    >>> summary(to_frame([c]))[["department", "status", "handling_days"]].values.tolist()
    [['unassigned', 'rejected', 2.5]]
    """
    events = _checked(log)
    grouped = events.groupby("complaint_id", sort=True)
    firsts = grouped.first()
    settled_moves = events[events["step"].isin(SETTLED)].groupby("complaint_id")["at"]
    last_step = grouped["step"].last()
    prev = grouped["step"].shift()
    reopen = events["step"].eq("analyse") & prev.isin(("review", "closed"))
    out = pd.DataFrame({"complaint_id": firsts.index.to_numpy()})
    out["customer_id"] = firsts["customer_id"].to_numpy()
    if "order_id" in events.columns:
        out["order_id"] = firsts["order_id"].to_numpy()
    out["complaint_type"] = firsts["complaint_type"].to_numpy()
    out["sub_item"] = firsts["sub_item"].to_numpy()
    dept = events.dropna(subset=["department"]).groupby("complaint_id")["department"].last()
    out["department"] = dept.reindex(firsts.index).fillna(UNASSIGNED).to_numpy()
    out["opened_at"] = grouped["at"].first().to_numpy()
    is_settled = last_step.isin(SETTLED).to_numpy()
    final = settled_moves.max().reindex(firsts.index).to_numpy()
    out["settled_at"] = pd.Series(final).where(is_settled).to_numpy()
    out["first_settled_at"] = settled_moves.min().reindex(firsts.index).to_numpy()
    out["final_step"] = last_step.to_numpy()
    out["status"] = np.where(is_settled, last_step, "open")
    day = pd.Timedelta(days=1)
    out["handling_days"] = (out["settled_at"] - out["opened_at"]) / day
    out["first_resolution_days"] = (out["first_settled_at"] - out["opened_at"]) / day
    out["reviewed"] = events["step"].eq("review").groupby(events["complaint_id"]).any(
        ).reindex(firsts.index).to_numpy()
    out["reopens"] = reopen.groupby(events["complaint_id"]).sum().reindex(
        firsts.index).to_numpy().astype("int64")
    sat = events.dropna(subset=["satisfaction"]).groupby("complaint_id")["satisfaction"].last()
    out["satisfaction"] = sat.reindex(firsts.index).to_numpy(dtype=float)
    return out


def _summary_of(data: pd.DataFrame) -> pd.DataFrame:
    """Accept an event log or a ``summary`` frame."""
    if isinstance(data, pd.DataFrame) and "seq" not in data.columns and {
            "complaint_id", "opened_at", "status"} <= set(data.columns):
        return data
    return summary(data)


def pareto(data: pd.DataFrame, *, by: str = "sub_item", cut: float = 0.8) -> pd.DataFrame:
    """Count complaints by cause, largest first, with shares and the 'vital few'.

    Parameters
    ----------
    data : an event log or its ``summary``.
    by : ``"sub_item"``, ``"complaint_type"``, ``"department"`` or another
        column of the summary.
    cut : the cumulative share the vital few reach (0.8 = the 80/20 reading).

    Returns
    -------
    DataFrame: ``<by>``, ``complaints``, ``share``, ``cumulative_share``,
    ``vital_few`` (True for the causes needed to reach ``cut``: every cause whose
    preceding causes' cumulative share is still below it). Ties keep code order.

    Examples
    --------
    >>> c = [Complaint(f"T{i}", customer_id="K", complaint_type="service",
    ...                sub_item=s, by="a", at="2024-01-01")
    ...      for i, s in enumerate(["service_attitude"] * 4 + ["service_skill"])]
    >>> pareto(to_frame(c))[["sub_item", "complaints", "vital_few"]].values.tolist()
    [['service_attitude', 4, True], ['service_skill', 1, False]]
    """
    table = _summary_of(data)
    cut = validate.probability(cut, "cut")
    validate.frame(table, "data", columns=[by])
    counts = table.groupby(by, sort=True).size()
    counts = counts.sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({by: counts.index.to_numpy(), "complaints": counts.to_numpy()})
    out["share"] = out["complaints"] / out["complaints"].sum()
    out["cumulative_share"] = out["share"].cumsum()
    before = out["cumulative_share"] - out["share"]
    out["vital_few"] = before < cut - 1e-12
    return out


def sla_by_department(data: pd.DataFrame, *, sla_days: float = 7.0) -> pd.DataFrame:
    """Measure handling time and SLA compliance per department.

    Handling time = days from recording to the final closing (``closed`` or
    ``rejected``; a reopened complaint counts until it is closed again): the time
    until the customer's problem is solved (及时处理). The first closure is a
    separate measure, ``first_resolution_days`` of ``summary``.

    Parameters
    ----------
    data : an event log or its ``summary``.
    sla_days : the promised handling time in days (a service-level agreement).

    Returns
    -------
    DataFrame, one row per department (``"unassigned"`` = complaints rejected
    before a department was named, shown, not dropped): ``complaints``,
    ``settled``, ``open`` (not yet settled: not counted in the compliance),
    ``median_days``, ``mean_days``, ``within_sla``, ``breaches`` and
    ``sla_compliance`` = within_sla / settled.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03").advance("rejected", by="b",
    ...                                                          at="2024-01-12")
    >>> sla_by_department(to_frame([c]), sla_days=7)[["department", "breaches"]].values.tolist()
    [['unassigned', 1]]
    """
    table = _summary_of(data)
    sla = validate.number(sla_days, "sla_days", minimum=0, min_inclusive=False)
    settled = table["status"].ne("open")
    days = table["handling_days"]
    frame = pd.DataFrame({"department": table["department"].to_numpy(),
                          "settled": settled.to_numpy(),
                          "days": days.where(settled).to_numpy(),
                          "within": (settled & (days <= sla)).to_numpy()})
    g = frame.groupby("department", sort=True)
    out = pd.DataFrame({"complaints": g.size(), "settled": g["settled"].sum(),
                        "median_days": g["days"].median(), "mean_days": g["days"].mean(),
                        "within_sla": g["within"].sum()})
    out["open"] = out["complaints"] - out["settled"]
    out["breaches"] = out["settled"] - out["within_sla"]
    out["sla_compliance"] = out["within_sla"] / out["settled"].where(out["settled"] > 0)
    out = out.reset_index()[["department", "complaints", "settled", "open", "median_days",
                             "mean_days", "within_sla", "breaches", "sla_compliance"]]
    out = out.astype({"complaints": "int64", "settled": "int64", "open": "int64",
                      "within_sla": "int64", "breaches": "int64"})
    out.attrs["sla_days"] = sla
    return out


def _groups(table: pd.DataFrame, by: str | list[str] | None) -> list:
    if by is None:
        return [pd.Series("all", index=table.index, name="group")]
    keys = [by] if isinstance(by, str) else list(by)
    out = []
    for key in keys:
        if key in ("month", "quarter"):
            out.append(table["opened_at"].dt.to_period("M" if key == "month" else "Q")
                       .astype(str).rename(key))
        else:
            validate.frame(table, "data", columns=[key])
            out.append(table[key])
    return out


def reopen_rate(data: pd.DataFrame, *, by: str | list[str] | None = None) -> pd.DataFrame:
    """Compute the share of handled complaints that were reopened (back to analysis) at least once.

    Only complaints that reached ``review`` can be reopened, so they form the
    denominator (``handled``); rejected and not-yet-reviewed ones are left out and
    counted in ``not_handled``. ``by``: a summary column (e.g. ``"department"``),
    ``"month"`` or ``"quarter"`` of recording, or a list of them; ``None`` = overall.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    by : str or list of str, optional
        Grouping, as described above.

    Returns
    -------
    DataFrame
        One row per group: the group column(s), ``complaints``, ``handled``,
        ``reopened``, ``not_handled`` and ``reopen_rate`` = reopened / handled.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K", complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-01")
    >>> for s in ["judge", "assign", "analyse", "propose", "approve", "implement",
    ...           "review", "analyse"]:
    ...     _ = c.advance(s, by="a", at="2024-01-02", department="qa" if s == "assign" else None)
    >>> reopen_rate(to_frame([c])).loc[0, ["handled", "reopened"]].tolist()
    [1, 1]
    """
    table = _summary_of(data)
    handled = table["reviewed"].astype(bool)
    frame = pd.DataFrame({"handled": handled, "reopened": handled & table["reopens"].gt(0)})
    keys = _groups(table, by)
    g = frame.groupby(keys, sort=True)
    out = pd.DataFrame({"complaints": g.size(), "handled": g["handled"].sum(),
                        "reopened": g["reopened"].sum()})
    out["not_handled"] = out["complaints"] - out["handled"]
    out["reopen_rate"] = out["reopened"] / out["handled"].where(out["handled"] > 0)
    out = out.reset_index().astype({"complaints": "int64", "handled": "int64",
                                    "reopened": "int64", "not_handled": "int64"})
    return out


def satisfaction(data: pd.DataFrame, *, by: str | list[str] | None = "department",
                 satisfied: float = 4) -> pd.DataFrame:
    """Summarise satisfaction after handling (1–5) per group; unrated ones are counted.

    Among complaints that were handled (not rejected): ``handled``, ``rated``,
    ``unrated`` (NaN satisfaction: the customer gave no score), ``mean_satisfaction``
    over the rated ones and ``satisfied_share`` = share of rated with a score
    ≥ ``satisfied``. ``by`` as in :func:`reopen_rate`.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    by : str or list of str, optional, default "department"
        Grouping, as in :func:`reopen_rate`.
    satisfied : float, default 4
        Score (1–5) from which a customer counts as satisfied.

    Returns
    -------
    DataFrame
        One row per group: the group column(s), ``handled``, ``rated``,
        ``unrated``, ``mean_satisfaction``, ``satisfied_share``.

    Raises
    ------
    ValueError
        No handled complaints, or ``satisfied`` outside 1–5.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K", complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-01")
    >>> for s in ["judge", "assign", "analyse", "propose", "approve", "implement", "review"]:
    ...     _ = c.advance(s, by="a", at="2024-01-02", department="qa" if s == "assign" else None,
    ...                   satisfaction=5 if s == "review" else None)
    >>> satisfaction(to_frame([c]))[["department", "rated", "mean_satisfaction"]].values.tolist()
    [['qa', 1, 5.0]]
    """
    table = _summary_of(data)
    threshold = validate.number(satisfied, "satisfied", minimum=1, maximum=5)
    handled = table[table["status"].ne("rejected") & table["department"].ne(UNASSIGNED)]
    if handled.empty:
        raise ValueError("没有处理过的投诉（全部被判定不成立或尚未分派），无法计算满意度。 No "
                         "handled complaints: nothing to compute satisfaction from")
    score = handled["satisfaction"]
    frame = pd.DataFrame({"rated": score.notna(), "score": score,
                          "happy": score >= threshold})
    g = frame.groupby(_groups(handled, by), sort=True)
    out = pd.DataFrame({"handled": g.size(), "rated": g["rated"].sum(),
                        "mean_satisfaction": g["score"].mean()})
    out["unrated"] = out["handled"] - out["rated"]
    out["satisfied_share"] = g["happy"].sum() / out["rated"].where(out["rated"] > 0)
    out = out.reset_index().astype({"handled": "int64", "rated": "int64",
                                    "unrated": "int64"})
    cols = [c for c in out.columns if c not in ("unrated", "mean_satisfaction",
                                                "satisfied_share")]
    return out[[*cols, "unrated", "mean_satisfaction", "satisfied_share"]]


#: Handling outcome groups of ``service_recovery``, best first, then the baseline.
HANDLING: tuple[str, ...] = ("well", "fair", "poor", "unrated", "rejected", "open",
                             "no_complaint")


def handling_group(data: pd.DataFrame, *, good: float = 4, poor: float = 2) -> pd.Series:
    """Classify how each complaint was handled, one code per summary row.

    The codes are ``well`` (satisfaction ≥ good), ``fair``, ``poor`` (≤ poor),
    ``unrated``, ``rejected`` or ``open``.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    good, poor : float, default 4 and 2
        Satisfaction thresholds (1–5), ``poor < good``.

    Returns
    -------
    Series
        Named ``handling``, indexed like the summary.

    Raises
    ------
    ValueError
        Thresholds outside 1–5 or ``poor >= good``.

    Examples
    --------
    >>> s = pd.DataFrame({"complaint_id": ["a", "b"], "opened_at": pd.to_datetime(
    ...     ["2024-01-01"] * 2), "status": ["closed", "rejected"], "satisfaction": [5.0, None]})
    >>> handling_group(s).tolist()
    ['well', 'rejected']
    """
    table = _summary_of(data)
    good = validate.number(good, "good", minimum=1, maximum=5)
    poor = validate.number(poor, "poor", minimum=1, maximum=5)
    if poor >= good:
        raise ValueError(f"poor={poor:g} 应小于 good={good:g}。 poor={poor:g} must be below "
                         f"good={good:g}")
    sat = table["satisfaction"].astype(float)
    group = np.select(
        [table["status"].eq("rejected"), table["status"].eq("open"), sat.isna(),
         sat >= good, sat <= poor],
        ["rejected", "open", "unrated", "well", "poor"], default="fair")
    return pd.Series(group, index=table.index, name="handling")


def _date_pair(between: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Check a (first day, last day) pair; return both days at midnight."""
    if isinstance(between, str | bytes) or not isinstance(between, tuple | list) or len(
            between) != 2:
        raise TypeError(f"between={validate.show(between)} 无效：应为（起始日期, 结束日期）"
                        f"两个日期。 between={validate.show(between)} is invalid: expected a pair "
                        f"(first day, last day)")
    first, last = (_stamp(day, "between").normalize() for day in between)
    if last < first:
        raise ValueError(f"between={validate.show(between)} 的结束日期早于起始日期。 "
                         f"between={validate.show(between)}: the last day is before the first")
    return first, last


def service_recovery(data: pd.DataFrame, orders: pd.DataFrame, *,
                     customer: str = "customer_id", date: str = "date", days: int = 90,
                     good: float = 4, poor: float = 2, as_of: Any = None,
                     between: tuple[Any, Any] | None = None) -> pd.DataFrame:
    """Compare repurchase within ``days`` after a complaint, by handling, with non-complainers.

    For each complaint the anchor is the day it was recorded; for customers who
    never complained, every order they placed in the same period (first to last
    complaint day) is an anchor. An anchor *repurchased* if the customer placed
    an order on a later day, at most ``days`` days after it. Anchors less than
    ``days`` before ``as_of`` (default: the last order date) cannot be judged yet:
    they are counted as ``censored`` and left out of the rate (reported, not hidden).

    Parameters
    ----------
    data : complaint event log or its ``summary`` (needs ``customer_id``).
    orders : orders with a customer and a date column (not modified).
    customer, date : column names in ``orders``; customer ids are matched as text
        (``"7"`` in the log matches ``7`` in the orders).
    days : the repurchase window in days.
    good, poor : satisfaction thresholds of :func:`handling_group`.
    as_of : date-like, optional
        End of the data; anchors less than ``days`` before it are censored.
    between : (date-like, date-like), optional
        The days whose orders of customers who never complained are anchors
        (default: from the first to the last complaint day).

    Returns
    -------
    DataFrame, one row per group of ``HANDLING`` present: ``handling``, ``anchors``,
    ``censored``, ``judged`` (= anchors − censored), ``repurchased`` and
    ``repurchase_rate`` (= repurchased / judged).

    Raises
    ------
    TypeError, ValueError
        Missing columns or customer ids, unreadable order dates, ``days`` not a
        whole number >= 1, or bad thresholds.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03").advance("rejected", by="b",
    ...                                                          at="2024-01-04")
    >>> orders = pd.DataFrame({"customer_id": ["K1", "K1", "K2", "K2"],
    ...                        "date": ["2024-01-01", "2024-01-20", "2024-01-02", "2024-05-01"]})
    >>> r = service_recovery(to_frame([c]), orders, as_of="2024-12-31")
    >>> r[["handling", "judged", "repurchased"]].values.tolist()
    [['rejected', 1, 1], ['no_complaint', 1, 0]]

    References
    ----------
    Hart, Heskett & Sasser (1990), The profitable art of service recovery,
    Harvard Business Review 68(4); McCollough & Bharadwaj (1992), the
    "service recovery paradox".
    """
    table = _summary_of(data)
    validate.frame(table, "data", columns=["customer_id"])
    validate.frame(orders, "orders", columns=[customer, date])
    window = validate.integer(days, "days", minimum=1)
    validate.no_missing(orders[customer], f"orders[{customer!r}]")
    order_days = _parse_times(orders[date])
    bad = order_days.isna()
    if bad.any():
        rows = list(orders.index[bad.to_numpy()][:5])
        raise ValueError(f"orders[{date!r}] 第 {rows} 行的日期缺失或无法识别。 orders[{date!r}] "
                         f"has missing or unreadable dates at rows {rows}")
    order_day = order_days.dt.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    order_cust = orders[customer].astype(str).to_numpy()
    end = (int(order_day.max()) if as_of is None else int(
        np.datetime64(_stamp(as_of, "as_of").normalize().to_datetime64(), "D").astype(
            np.int64)))
    groups = handling_group(table, good=good, poor=poor)
    anchor_day = table["opened_at"].dt.normalize().to_numpy().astype(
        "datetime64[D]").astype(np.int64)
    anchor_cust = table["customer_id"].astype(str).to_numpy()
    complainers = set(anchor_cust)
    quiet = ~np.isin(order_cust, list(complainers))
    if between is None:
        first_day, last_day = anchor_day.min(), anchor_day.max()
    else:
        first_day, last_day = (int(np.datetime64(day.to_datetime64(), "D").astype(np.int64))
                               for day in _date_pair(between))
    in_period = (order_day >= first_day) & (order_day <= last_day)
    base = quiet & in_period
    all_cust = np.concatenate([anchor_cust, order_cust[base]])
    all_day = np.concatenate([anchor_day, order_day[base]])
    all_group = np.concatenate([groups.to_numpy(), np.full(int(base.sum()), "no_complaint")])
    # next order strictly after the anchor day, by binary search in (customer, day) order
    codes, uniques = pd.factorize(np.concatenate([order_cust, all_cust]))
    n_orders = len(order_cust)
    span = int(max(order_day.max(), all_day.max()) - min(order_day.min(), all_day.min())) + 2
    low = int(min(order_day.min(), all_day.min()))
    order_key = np.sort(codes[:n_orders].astype(np.int64) * span + (order_day - low))
    anchor_key = codes[n_orders:].astype(np.int64) * span + (all_day - low)
    pos = np.searchsorted(order_key, anchor_key, side="right")
    nxt = np.where(pos < len(order_key), order_key[np.minimum(pos, len(order_key) - 1)], -1)
    same_customer = (nxt // span) == codes[n_orders:]
    gap = nxt - anchor_key
    repurchased = same_customer & (gap >= 1) & (gap <= window)
    censored = all_day + window > end
    frame = pd.DataFrame({"handling": all_group, "censored": censored,
                          "repurchased": repurchased & ~censored})
    g = frame.groupby("handling")
    out = pd.DataFrame({"anchors": g.size(), "censored": g["censored"].sum(),
                        "repurchased": g["repurchased"].sum()})
    out = out.reindex([h for h in HANDLING if h in out.index])
    out["judged"] = out["anchors"] - out["censored"]
    out["repurchase_rate"] = out["repurchased"] / out["judged"].where(out["judged"] > 0)
    out = out.reset_index()[["handling", "anchors", "censored", "judged", "repurchased",
                             "repurchase_rate"]]
    out.attrs["days"] = window
    return out.astype({"anchors": "int64", "censored": "int64", "judged": "int64",
                       "repurchased": "int64"})
