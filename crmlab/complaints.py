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

from crmlab import _validation as check
from crmlab import glossary

__all__ = [
    "ATTENTION_POINTS",
    "LOG_COLUMNS",
    "PRINCIPLES",
    "PROCEDURE",
    "STEPS",
    "STRATEGIES",
    "SUB_ITEMS",
    "TERMINAL",
    "TRANSITIONS",
    "TYPES",
    "Complaint",
    "Move",
    "WorkflowError",
    "attention_table",
    "from_frame",
    "next_steps",
    "principles_table",
    "procedure_table",
    "read_csv",
    "read_log_csv",
    "read_parquet",
    "strategies_table",
    "to_csv",
    "to_frame",
    "to_parquet",
    "types_table",
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

#: Which workflow step each point of attention belongs to (本课程的解读).
_ATTENTION_STEP = {"listen": "record", "causes": "analyse", "emergency": "implement",
                   "improve": "review", "system": "", "follow_up": "closed"}

#: Which strategy acts at which step (本课程的解读).
_STRATEGY_STEP = {"encourage": "record", "facts": "judge", "solution": "propose",
                  "fair_claims": "implement", "suggest_sale": "review",
                  "goodwill": "closed"}


def types_table() -> pd.DataFrame:
    """The four complaint types and their sub-items, one row per sub-item.

    Columns ``complaint_type`` and ``sub_item`` hold codes; relabel them with
    ``glossary.zh``.

    >>> t = types_table()
    >>> t.groupby("complaint_type", sort=False).size().to_dict()
    {'quality': 4, 'contract': 7, 'transport': 4, 'service': 4}
    """
    rows = [(t, s) for t in TYPES for s in SUB_ITEMS[t]]
    return pd.DataFrame(rows, columns=["complaint_type", "sub_item"])


def principles_table() -> pd.DataFrame:
    """The four principles with the lecture's explanation and where crmlab supports them.

    >>> principles_table()["principle"].tolist()
    ['rules', 'timely', 'responsibility', 'records']
    """
    return pd.DataFrame([(p, *_PRINCIPLE_TEXT[p]) for p in PRINCIPLES],
                        columns=["principle", "description_zh", "description_en",
                                 "in_crmlab"])


def procedure_table() -> pd.DataFrame:
    """Every workflow state with its number in the lecture's procedure and legal next steps.

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
    """The six strategies and the workflow step where each acts (本课程的解读).

    >>> strategies_table().shape
    (6, 2)
    """
    return pd.DataFrame({"complaint_strategy": list(STRATEGIES),
                         "step": [_STRATEGY_STEP[s] for s in STRATEGIES]})


def attention_table() -> pd.DataFrame:
    """The six points of attention and the workflow step each belongs to (本课程的解读).

    ``system`` (建立客户投诉管理制度) is the workflow itself, so its step is empty.

    >>> attention_table()["attention_point"].tolist()[:2]
    ['listen', 'causes']
    """
    return pd.DataFrame({"attention_point": list(ATTENTION_POINTS),
                         "step": [_ATTENTION_STEP[a] for a in ATTENTION_POINTS]})


# --- the workflow -----------------------------------------------------------------

class WorkflowError(ValueError):
    """An illegal move (or a move back in time) in the complaint workflow."""


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
            f"未知的处理步骤 {name}={check._show(step)}：应为 {zh_list} 之一。"
            f" Unknown step {name}={check._show(step)}: expected one of {list(STEPS)}")
    return step


def next_steps(step: str) -> tuple[str, ...]:
    """The legal next steps after ``step``.

    >>> next_steps("review")
    ('closed', 'analyse')
    """
    return TRANSITIONS[_known_step(step)]


def _stamp(value: Any, name: str = "at") -> pd.Timestamp:
    if isinstance(value, bool) or value is None or isinstance(value, int | float | np.number):
        raise TypeError(f"时间 {name}={check._show(value)} 无效：应为日期时间，例如 "
                        f"'2024-03-01 09:30'。 {name}={check._show(value)} is invalid: "
                        f"expected a date-time such as '2024-03-01 09:30'")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"时间 {name}={check._show(value)} 无法识别：应为日期时间，例如 "
                         f"'2024-03-01 09:30'。 {name}={check._show(value)} is not a "
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
        raise TypeError(f"{name}={check._show(value)} 无效：应为文字。 {name}="
                        f"{check._show(value)} is invalid: expected text (str)")
    if required and not value.strip():
        raise ValueError(f"{name} 为空：应写明由谁完成这一步（留档分析）。 {name} is empty: "
                         f"say who made the move")
    return value


def _satisfaction(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    score = check.number(value, "satisfaction", minimum=1, maximum=5)
    return score


@dataclass(frozen=True)
class Move:
    """One completed step: which, when, by whom, a note, and what it recorded."""

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
            raise ValueError(f"未知的投诉类型 complaint_type={check._show(complaint_type)}："
                             f"应为 {list(TYPES)} 之一。 Unknown complaint_type="
                             f"{check._show(complaint_type)}: expected one of {list(TYPES)}")
        if sub_item not in SUB_ITEMS[complaint_type]:
            owner = next((t for t, subs in SUB_ITEMS.items() if sub_item in subs), None)
            slip = (f"（它属于 {owner}）" if owner else "")
            slip_en = (f" (it belongs to {owner!r})" if owner else "")
            raise ValueError(f"投诉子项 sub_item={check._show(sub_item)} 不属于类型 "
                             f"{complaint_type}{slip}：应为 {list(SUB_ITEMS[complaint_type])} "
                             f"之一。 sub_item={check._show(sub_item)} is not a sub-item of "
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
        """The legal next steps from the current one."""
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
        if not isinstance(other, Complaint):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # mutable: moves change it

    def __repr__(self) -> str:
        return (f"Complaint({self.complaint_id!r}, step={self.step!r}, "
                f"moves={len(self._history)})")

    def to_frame(self) -> pd.DataFrame:
        """This complaint's event log (see :func:`to_frame`)."""
        return to_frame([self])


def _id(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | np.integer):
        raise TypeError(f"{name}={check._show(value)} 无效：应为编号（文字或整数）。 "
                        f"{name}={check._show(value)} is invalid: expected an id (text or "
                        f"integer)")
    text = str(int(value)) if not isinstance(value, str) else value
    if not text.strip():
        raise ValueError(f"{name} 为空：应为编号。 {name} is empty: expected an id")
    return text


# --- the event log ----------------------------------------------------------------

def to_frame(complaints: Iterable[Complaint]) -> pd.DataFrame:
    """The event log of ``complaints``: one row per move, columns ``LOG_COLUMNS``.

    ``department`` is filled on ``assign`` rows and ``satisfaction`` on the rows
    where it was recorded; both are missing elsewhere.

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

    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03")
    >>> from_frame(to_frame([c]))[0] == c
    True
    """
    check.frame(log, "log", columns=["complaint_id", "seq", "step", "at", "by",
                                     "customer_id", "complaint_type", "sub_item"])
    frame = log.copy()
    for column in ("note", "order_id", "department", "satisfaction"):
        if column not in frame.columns:
            frame[column] = None
    check.no_missing(frame["complaint_id"], "log['complaint_id']")
    check.no_missing(frame["seq"], "log['seq']")
    order = frame.sort_values(["complaint_id", "seq"], kind="stable").index
    duplicated = frame.duplicated(["complaint_id", "seq"], keep=False)
    if duplicated.any():
        rows = list(frame.index[duplicated][:5])
        raise ValueError(f"log 中同一投诉的同一序号 seq 出现多次（行 {rows}）。 log has "
                         f"repeated (complaint_id, seq) pairs at rows {rows}")
    made: dict[str, Complaint] = {}
    first_seen: list[str] = []
    for index in order:
        row = frame.loc[index]
        cid = str(row["complaint_id"])
        try:
            if cid not in made:
                if row["step"] != "record":
                    raise WorkflowError(
                        f"投诉 {cid} 的第一步应为「记录投诉内容」（record），而不是 "
                        f"{check._show(row['step'])}。 Complaint {cid} must start with "
                        f"'record', not {check._show(row['step'])}")
                made[cid] = Complaint(
                    cid, customer_id=row["customer_id"], complaint_type=row["complaint_type"],
                    sub_item=row["sub_item"], by=row["by"], at=row["at"],
                    note="" if _missing(row["note"]) else row["note"],
                    order_id=None if _missing(row["order_id"]) else row["order_id"])
                first_seen.append(cid)
            else:
                made[cid].advance(
                    row["step"], by=row["by"], at=row["at"],
                    note="" if _missing(row["note"]) else row["note"],
                    department=None if _missing(row["department"]) else row["department"],
                    satisfaction=None if _missing(row["satisfaction"]) else
                    row["satisfaction"])
        except (TypeError, ValueError) as err:
            raise type(err)(f"log 第 {index} 行：{err}") from None
    appearance = {cid: i for i, cid in enumerate(pd.unique(frame["complaint_id"].astype(str)))}
    return sorted((made[c] for c in first_seen), key=lambda c: appearance[c.complaint_id])


_TEXT_COLUMNS = ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                 "complaint_type", "sub_item", "department")
_OPTIONAL = ("order_id", "department")


def to_csv(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as UTF-8 CSV (every field quoted, times in ISO format)."""
    log = to_frame(complaints)
    log["at"] = [t.isoformat() for t in log["at"]]
    log["satisfaction"] = [("" if np.isnan(v) else repr(float(v))) for v in log["satisfaction"]]
    path = Path(path)
    log.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL,
               lineterminator="\n")
    return path


def read_log_csv(path: str | Path) -> pd.DataFrame:
    """Read an event-log CSV exactly (all text, no guessing), with typed columns."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    check.frame(raw, str(path), columns=list(LOG_COLUMNS))
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
    """Read complaints written by :func:`to_csv` (the log is replayed and checked)."""
    return from_frame(read_log_csv(path))


def to_parquet(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as Parquet (needs pyarrow)."""
    path = Path(path)
    to_frame(complaints).to_parquet(path, index=False, engine="pyarrow")
    return path


def read_parquet(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_parquet`."""
    log = pd.read_parquet(path, engine="pyarrow")
    for column in _TEXT_COLUMNS:
        if column in log.columns:
            log[column] = log[column].astype(object).where(log[column].notna(), None)
    return from_frame(log)

