"""Complaint handling (客户投诉的管理): taxonomy, an enforced workflow, log analytics.

The lecture (《客户关系管理》讲义, 第三节) names four complaint types with their
sub-items, four principles, an eight-step procedure, six strategies and six
points of attention. Here they are data with stable English codes; the Chinese
and English labels live in ``crmlab.glossary.VALUES`` (``frame.pipe(glossary.zh)``).

**The workflow.** A :class:`Complaint` moves through the steps of ``STEPS``; only
the moves in ``TRANSITIONS`` are legal (the state is the step last completed).
An illegal move raises :class:`WorkflowError` (a ``ValueError`` whose ``.zh`` and
``.en`` hold the two languages) naming the current step and the legal next ones,
and leaves the record unchanged. Every move
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

Modules: ``_taxonomy`` (the lecture's tables as data), ``_workflow`` (the state
machine: :class:`Complaint`, :class:`Move`, :class:`WorkflowError`), ``_io`` (the
event log: frames, CSV, Parquet), ``_analytics`` (checking a log and the tables
built on it), ``_recovery`` (repurchase after a settled complaint).
"""

from __future__ import annotations

from crmlab.complaints._analytics import (
    HANDLING,
    PROBLEMS,
    UNASSIGNED,
    handling_group,
    pareto,
    reopen_rate,
    satisfaction,
    sla_by_department,
    summary,
    validate_log,
)
from crmlab.complaints._io import (
    from_frame,
    read_csv,
    read_log_csv,
    read_parquet,
    to_csv,
    to_frame,
    to_parquet,
)
from crmlab.complaints._recovery import (
    service_recovery,
)
from crmlab.complaints._taxonomy import (
    ATTENTION_POINTS,
    LOG_COLUMNS,
    PRINCIPLES,
    PROCEDURE,
    SERVICE_SYSTEM,
    STEPS,
    STRATEGIES,
    SUB_ITEMS,
    TERMINAL,
    TRANSITIONS,
    TYPES,
    attention_table,
    principles_table,
    procedure_table,
    service_system_table,
    strategies_table,
    types_table,
)
from crmlab.complaints._workflow import (
    Complaint,
    Move,
    WorkflowError,
    next_steps,
)

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
