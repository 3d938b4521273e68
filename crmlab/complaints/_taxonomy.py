"""The lecture's complaint tables as data: types, sub-items, principles, steps, strategies.

《客户关系管理》讲义 第三节: the codes here are stable English keys; the Chinese and English
labels live in ``crmlab.glossary.VALUES``.
"""

from __future__ import annotations

import pandas as pd

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
