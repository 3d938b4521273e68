"""The complaint workflow: a :class:`Complaint` moves only along ``TRANSITIONS``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab import glossary
from crmlab.complaints._taxonomy import STEPS, SUB_ITEMS, TRANSITIONS, TYPES


class WorkflowError(validate.BilingualValueError):
    """An illegal move (or a move back in time) in the complaint workflow.

    A ``ValueError`` with the Chinese and English halves in ``.zh`` and ``.en``
    (a :class:`crmlab._validation.BilingualValueError`), raised by
    :meth:`Complaint.advance` and :func:`from_frame`; the record is left unchanged.

    Parameters
    ----------
    zh, en : str
        The Chinese and the English sentence, as for ``BilingualError``.
    hint : tuple of str, optional
        What the user probably meant, (中文, English).

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
        raise WorkflowError(f"未知的处理步骤 {name}={validate.show(step)}：应为 {zh_list} 之一",
                            f"Unknown step {name}={validate.show(step)}: expected one of "
                            f"{list(STEPS)}")
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
    # the local wall-clock time counts: an aware time keeps the clock of its own zone
    return validate.timestamp(value, name, label="时间")


def _text(value: Any, name: str, *, required: bool) -> str:
    if value is None and not required:
        return ""
    return validate.text(value, name, required=required,
                         label="经办人" if name == "by" else None)


def _satisfaction(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):  # NaN: not rated
        return None
    return validate.number(value, "satisfaction", minimum=1, maximum=5, label="满意度")


@dataclass(frozen=True)
class Move:
    """One completed step: which, when, by whom, a note, and what it recorded.

    Parameters
    ----------
    step : str
        The step reached (a state of ``TRANSITIONS``).
    at : pandas.Timestamp
        When the step was completed.
    by : str
        Who completed it.
    note : str, default ""
        A free note.
    department : str, optional
        The department named by an ``assign`` step.
    satisfaction : float, optional
        The score recorded by a ``review`` step.

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

    def __post_init__(self) -> None:
        """Refuse a move the log could not store (``Complaint.advance`` builds valid ones)."""
        validate.choice(self.step, "step", STEPS, label="步骤")
        if not isinstance(self.at, pd.Timestamp) or pd.isna(self.at):
            raise validate.BilingualTypeError(
                f"at={validate.show(self.at)} 无效：应为 pandas.Timestamp",
                f"at={validate.show(self.at)} is invalid: expected a pandas.Timestamp")
        _text(self.by, "by", required=True)
        _text(self.note, "note", required=False)
        if self.department is not None:
            _text(self.department, "department", required=True)
        if self.satisfaction is not None:
            _satisfaction(self.satisfaction)


class Complaint:
    """One complaint record moving through the workflow of ``TRANSITIONS``.

    Created in state ``record`` (记录投诉内容 is done when the complaint is
    recorded). ``advance`` makes one move; an illegal move raises
    :class:`WorkflowError` and changes nothing.

    Parameters
    ----------
    complaint_id : str
        The complaint's id.
    customer_id : str or int
        The complaining customer (an integer id is kept as its text).
    complaint_type, sub_item : str
        Codes from ``TYPES`` and ``SUB_ITEMS``.
    by : str
        Who recorded it.
    at : date-like
        When it was recorded.
    note : str, default ""
        What the customer said.
    order_id : str, optional
        The order complained about.

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
        validate.choice(complaint_type, "complaint_type", TYPES, label="投诉类型")
        if sub_item not in SUB_ITEMS[complaint_type]:
            owner = next((t for t, subs in SUB_ITEMS.items() if sub_item in subs), None)
            slip = (f"（它属于 {owner}）" if owner else "")
            slip_en = (f" (it belongs to {owner!r})" if owner else "")
            raise validate.BilingualValueError(
                f"投诉子项 sub_item={validate.show(sub_item)} 不属于类型 {complaint_type}{slip}："
                f"应为 {list(SUB_ITEMS[complaint_type])} 之一",
                f"sub_item={validate.show(sub_item)} is not a sub-item of {complaint_type!r}"
                f"{slip_en}: expected one of {list(SUB_ITEMS[complaint_type])}")
        self.complaint_type = complaint_type
        self.sub_item = sub_item
        self._history: tuple[Move, ...] = (
            Move("record", _stamp(at), _text(by, "by", required=True),
                 _text(note, "note", required=False)),)

    # -- state ---------------------------------------------------------------
    @property
    def step(self) -> str:
        """The step last completed.

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c.step
        'judge'
        """
        return self._history[-1].step

    @property
    def history(self) -> tuple[Move, ...]:
        """Every move so far, oldest first (the first is ``record``).

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> [move.step for move in c.history]
        ['record', 'judge']
        """
        return self._history

    @property
    def department(self) -> str | None:
        """The department named at the latest ``assign`` move (None before).

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c = c.advance("assign", by="主管", at="2024-05-03", department="logistics")
        >>> c.department
        'logistics'
        """
        return next((m.department for m in reversed(self._history)
                     if m.department is not None), None)

    @property
    def satisfaction(self) -> float | None:
        """The customer's satisfaction (1–5) recorded at the latest review or closing.

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c = c.advance("assign", by="主管", at="2024-05-03", department="logistics")
        >>> c = c.advance("analyse", by="物流部", at="2024-05-04").advance(
        ...     "propose", by="物流部", at="2024-05-05").advance(
        ...     "approve", by="主管", at="2024-05-06").advance(
        ...     "implement", by="物流部", at="2024-05-07").advance(
        ...     "review", by="客服", at="2024-05-08", satisfaction=4)
        >>> c.satisfaction
        4.0
        """
        return next((m.satisfaction for m in reversed(self._history)
                     if m.satisfaction is not None), None)

    @property
    def reopens(self) -> int:
        """How many times the complaint went back to ``analyse`` from review or closed.

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c = c.advance("assign", by="主管", at="2024-05-03", department="logistics")
        >>> c = c.advance("analyse", by="物流部", at="2024-05-04").advance(
        ...     "propose", by="物流部", at="2024-05-05").advance(
        ...     "approve", by="主管", at="2024-05-06").advance(
        ...     "implement", by="物流部", at="2024-05-07").advance(
        ...     "review", by="客服", at="2024-05-08", satisfaction=4)
        >>> c = c.advance("analyse", by="客服", at="2024-05-09")
        >>> c.reopens
        1
        """
        steps = [m.step for m in self._history]
        return sum(1 for a, b in zip(steps, steps[1:], strict=False)
                   if b == "analyse" and a in ("review", "closed"))

    def next_steps(self) -> tuple[str, ...]:
        """Return the legal next steps from the current one.

        Returns
        -------
        tuple of str
            The codes of ``STEPS`` that may come next (empty after ``rejected``, the one
            step with no way on).

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c.next_steps()
        ('assign', 'rejected')
        """
        return TRANSITIONS[self.step]

    # -- moves ---------------------------------------------------------------
    def advance(self, step: str, *, by: str, at: Any, note: str = "",
                department: str | None = None, satisfaction: float | None = None
                ) -> Complaint:
        """Complete ``step``: check it is legal, then append it to the history.

        Parameters
        ----------
        step : str
            The step just completed (a code of ``STEPS``).
        by : str
            Who completed it.
        at : Any
            When (a date or time stamp, not earlier than the previous move).
        note : str, default ''
            Free text (what was found, decided, done).
        department : str, optional
            The responsible department; required at ``assign`` (unless one was
            named before, e.g. on a reopened complaint) and refused elsewhere.
        satisfaction : float, optional
            The customer's satisfaction 1–5, only at ``review`` or ``closed``.

        Returns
        -------
        Complaint
            The complaint itself (so moves can be chained).

        Raises
        ------
        WorkflowError
            Unknown step, a move ``TRANSITIONS`` does not allow, or ``at`` earlier
            than the previous move. The record is left unchanged.
        TypeError, ValueError
            Bad ``by``, ``note``, ``department`` or ``satisfaction``; unchanged too.

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c.advance("assign", by="主管", at="2024-05-03", department="logistics").step
        'assign'
        """
        _known_step(step)
        current = self.step
        allowed = TRANSITIONS[current]
        if step not in allowed:
            zh_list, en_list = _step_list(allowed)
            raise WorkflowError(
                f"不能从「{_zh(current)}」（{current}）直接进入「{_zh(step)}」（{step}）："
                f"投诉 {self.complaint_id} 当前可进行的下一步是 {zh_list}",
                f"Illegal move {current!r} -> {step!r} for complaint {self.complaint_id}: "
                f"the legal next steps are {en_list}")
        stamp = _stamp(at)
        last = self._history[-1].at
        if stamp < last:
            raise WorkflowError(
                f"时间倒退：投诉 {self.complaint_id} 的「{_zh(step)}」时间 at={validate.show(at)} "
                f"早于上一步「{_zh(current)}」的时间 {last}",
                f"Time goes backwards: {step!r} at={validate.show(at)} is earlier than the "
                f"previous move {current!r} at {last}")
        who = _text(by, "by", required=True)
        text = _text(note, "note", required=False)
        if department is not None and step != "assign":
            raise validate.BilingualValueError(
                f"department={validate.show(department)} 只能在「确定责任部门」（assign）这一步"
                f"填写，不能在 {step} 填写",
                f"department={validate.show(department)} can only be set at 'assign', not at "
                f"{step!r}")
        if step == "assign":
            if department is not None:
                department = _text(department, "department", required=True)
            elif self.department is None:
                raise validate.BilingualValueError(
                    "department=None：「确定责任部门」（assign）必须写明 department=..."
                    "（分清责任）",
                    f"department=None: move 'assign' needs department=... for complaint "
                    f"{self.complaint_id}")
        score = _satisfaction(satisfaction)
        if score is not None and step not in ("review", "closed"):
            raise validate.BilingualValueError(
                f"satisfaction={validate.show(satisfaction)} 只能在「总结评价」（review）或"
                f"「结案」（closed）时记录，不能在 {step}",
                f"satisfaction={validate.show(satisfaction)} can only be recorded at 'review' "
                f"or 'closed', not at {step!r}")
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
        """Return this complaint's event log (see :func:`to_frame`).

        Returns
        -------
        pandas.DataFrame
            One row per move, columns ``LOG_COLUMNS``.

        Examples
        --------
        >>> c = Complaint("T9", customer_id="K7", complaint_type="service",
        ...               sub_item="service_attitude", by="客服", at="2024-05-01")
        >>> c = c.advance("judge", by="客服", at="2024-05-02")
        >>> c.to_frame()["step"].tolist()
        ['record', 'judge']
        """
        from crmlab.complaints._io import to_frame  # the log module builds on this one

        return to_frame([self])


def _id(value: Any, name: str) -> str:
    if isinstance(value, str):
        return validate.text(value, name, label="编号")
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise validate.BilingualTypeError(
            f"编号 {name}={validate.show(value)} 无效：应为文字或整数",
            f"{name}={validate.show(value)} is invalid: expected an id (text or integer)")
    return str(int(value))
