"""Chapter 5 exercises (客户投诉与顾客忠诚): the workflow, log analytics, loyalty, cohorts.

The exercise data are the lecture's generators run with another seed
(``EXERCISE_SEED``), so no number printed in the lecture notebook is an answer
here; the small hand-calculation tables are typed below. Expected answers and
the answers typical slips produce are computed with crmlab.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from crmlab import complaints, glossary, loyalty
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import (
    AnswerFormatError,
    Choice,
    Discussion,
    Number,
    Share,
    describe_type,
    short,
)

__all__ = ["chapter"]

chapter = Chapter(__name__, "客户投诉与顾客忠诚")

#: Seed of the exercise data (the lecture's data use ``crmlab.synthetic`` 's own seed).
EXERCISE_SEED = 20_250_606
SLA_DAYS = 7
REPURCHASE_DAYS = 90


def _read(frame: pd.DataFrame, **options) -> pd.DataFrame:
    # through CSV text, so the frames look exactly like what the loaders return
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)), **options)


@cache
def _shop() -> tuple[pd.DataFrame, pd.DataFrame]:
    from crmlab.synthetic import complaints as gen

    return (_read(gen.complaint_log(EXERCISE_SEED)),
            _read(gen.shop_orders(EXERCISE_SEED), parse_dates=["date"]))


@cache
def _cases() -> pd.DataFrame:
    return complaints.summary(_shop()[0])


@cache
def _cohort_tx() -> pd.DataFrame:
    from crmlab.synthetic import complaints as gen

    return _read(gen.cohort_transactions(EXERCISE_SEED), parse_dates=["date"])


def _log_data() -> dict[str, pd.DataFrame]:
    log, orders = _shop()
    return {"log": log, "orders": orders}


# --- ex1: the next legal step (手算) --------------------------------------------------

_NEXT = {"A": "只能「结案」（closed）",
         "B": "「结案」（closed）或回到「分析原因」（analyse，重开）",
         "C": "「实施方案并处罚直接责任者」（implement）",
         "D": "任何一步都可以"}
_NEXT_SETS = {"A": ("closed",), "B": ("closed", "analyse"), "C": ("implement",), "D": None}

chapter.task(
    Choice(_NEXT),
    given={"steps": ["record", "judge", "assign", "analyse", "propose", "approve",
                     "implement", "review"], "options": _NEXT},
    expected=lambda g: next(k for k, v in _NEXT_SETS.items()
                            if v is not None and set(v) == set(
                                complaints.next_steps(g["steps"][-1]))),
    hint="看 complaints.TRANSITIONS：总结评价之后，可以结案，也可以因为客户仍不满意而重开。",
    mistakes=[
        Mistake(lambda g: "A", "总结评价后不一定结案：客户仍不满意时可以重开，回到「分析原因」。"),
        Mistake(lambda g: "C", "实施方案在总结评价之前；流程不能倒退到已经完成的上一步。"),
        Mistake(lambda g: "D", "工作流的意义就在于只允许规定的下一步（有章可循）。"),
    ],
)


# --- ex2: the first illegal move (手算) -----------------------------------------------

def _first_illegal(g: dict, *, one_based: bool = False, second: bool = False) -> int:
    steps = g["steps"]
    log = pd.DataFrame({"complaint_id": "X", "seq": range(len(steps)), "step": steps,
                        "at": pd.date_range("2024-05-06 09:00", periods=len(steps),
                                            freq="6h"),
                        "customer_id": "K", "complaint_type": "transport",
                        "sub_item": "transport_loss",
                        "department": ["logistics" if s == "assign" else None for s in steps],
                        "satisfaction": None})
    bad = complaints.validate_log(log)
    rows = sorted(bad.loc[bad["problem"] == "illegal_move", "row"])
    row = int(rows[1] if second else rows[0])
    return row + 1 if one_based else row


chapter.task(
    Number(decimals=0),
    given={"steps": ["record", "judge", "assign", "analyse", "approve", "implement",
                     "review", "closed"]},
    expected=_first_illegal,
    hint="逐一检查每一步是否是上一步的合法下一步（complaints.TRANSITIONS）：分析原因之后应当先做什么？",
    mistakes=[
        Mistake(lambda g: _first_illegal(g, one_based=True),
                "序号 seq 从 0 开始（记录投诉内容是第 0 步）。"),
    ],
)


# --- ex3: SLA compliance by hand (手算) ------------------------------------------------

_SLA_TABLE = pd.DataFrame({
    "complaint_id": [f"W{i}" for i in range(1, 9)],
    "recorded": ["2024-03-01 09:00", "2024-03-02 10:00", "2024-03-03 14:00",
                 "2024-03-04 08:00", "2024-03-05 16:00", "2024-03-06 11:00",
                 "2024-03-07 09:30", "2024-03-08 15:00"],
    "settled": ["2024-03-04 17:00", "2024-03-07 10:00", "2024-03-09 09:00",
                "2024-03-06 12:00", "2024-03-12 10:00", "2024-03-10 11:00",
                "2024-03-12 09:30", None],
})


def _sla_log(table: pd.DataFrame) -> pd.DataFrame:
    """Build a minimal event log of one department.

    Open complaints stop at ``assign``, settled ones run through to ``closed``
    at the settle time.
    """
    rows = []
    for cid, start, end in table.itertuples(index=False):
        rows.append((cid, 0, "record", start))
        rows.append((cid, 1, "judge", start))
        rows.append((cid, 2, "assign", start))
        if end is not None and not pd.isna(end):
            for k, step in enumerate(["analyse", "propose", "approve", "implement", "review",
                                      "closed"], 3):
                rows.append((cid, k, step, end))
    log = pd.DataFrame(rows, columns=["complaint_id", "seq", "step", "at"])
    return log.assign(customer_id="K", complaint_type="service", sub_item="service_skill",
                      department=lambda t: t["step"].map({"assign": "service_desk"}),
                      satisfaction=None)


def _sla(g: dict, *, strict: bool = False, open_counts: bool = False) -> float:
    table = complaints.sla_by_department(_sla_log(g["complaints"]),
                                         sla_days=g["sla_days"]).iloc[0]
    within = table["within_sla"]
    if strict:
        cases = complaints.summary(_sla_log(g["complaints"]))
        within = int((cases["handling_days"] < g["sla_days"]).sum())
    return float(within / (table["complaints"] if open_counts else table["settled"]))


chapter.task(
    Share(decimals=4),
    given={"complaints": _SLA_TABLE, "sla_days": 5},
    expected=_sla,
    hint="处理时长 = 结案时间 − 登记时间（按小时算到天）；只看已结案的投诉，≤ 5 天算按时。",
    mistakes=[
        Mistake(lambda g: _sla(g, open_counts=True),
                "还没有结案的投诉（W8）不知道最后用了多久，不能放进分母。"),
        Mistake(lambda g: _sla(g, strict=True),
                "正好 5 天（W2）也算按时：条件是处理时长 ≤ 5 天。"),
    ],
)


# --- ex4: SLA compliance of the slowest department (数据) -----------------------------

#: department code -> its Chinese name (what the student writes)
DEPARTMENTS = {code: zh for code, (zh, _en) in glossary.VALUES["department"].items()}


def _department(name: str) -> str | None:
    """Return the department code of a name as written (Chinese or code, any case)."""
    folded = name.strip().casefold()
    return next((code for code, zh in DEPARTMENTS.items()
                 if folded in (code.casefold(), zh.casefold(), zh.removesuffix("部"))), None)


@dataclass(frozen=True)
class DepartmentRate(Share):
    """A pair (department, rate): which department, and its rate as a share 0–1.

    The department may be written in Chinese (``"物流部"``) or as crmlab's code
    (``"logistics"``); feedback names it in Chinese.

    Examples
    --------
    >>> DepartmentRate().coerce(("物流部", 0.5), ("logistics", 0.5))
    ('logistics', 0.5)
    """

    def what(self) -> str:
        return (f"两个值（部门名称, 比例），例如 (\"客服部\", 0.8123)：比例是 0–1 之间的小数，"
                f"{self.precision()}")

    def coerce(self, value: Any, expected: Any) -> tuple[str, float]:
        if isinstance(value, dict) and len(value) == 1:
            value = next(iter(value.items()))
        if isinstance(value, pd.Series) and len(value) == 1:
            value = (value.index[0], value.iloc[0])
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise AnswerFormatError(f"本题需要两个值：哪个部门、它的按时结案率。你给的是"
                                    f"{describe_type(value)}：请写成 (部门名称, 按时结案率)，"
                                    "例如 (\"客服部\", 0.8123)。")
        name, rate = value
        if not isinstance(name, str):
            raise AnswerFormatError(f"第一个值应是部门名称（文字，加引号），你给的是"
                                    f"{describe_type(name)} {short(name)}。")
        code = _department(name)
        if code is None:
            names = "、".join(v for k, v in DEPARTMENTS.items() if k != complaints.UNASSIGNED)
            raise AnswerFormatError(f"没有名为 {short(name)} 的部门：部门是 {names} 之一。")
        return code, self.read(rate, "按时结案率")

    def normalise(self, value: Any) -> tuple[str, float]:
        return str(value[0]), float(value[1])

    def match(self, answer: Any, expected: Any) -> bool:
        return answer[0] == expected[0] and self.close(answer[1], expected[1])

    def match_slip(self, answer: Any, wrong: Any) -> bool:
        return answer[0] == wrong[0] and self.close_to_slip(answer[1], wrong[1])

    def trivial(self, value: Any) -> bool:
        return super().trivial(value[1])

    def locate(self, answer: Any, expected: Any) -> str:
        if answer[0] != expected[0]:
            return f"部门不对：{DEPARTMENTS[answer[0]]}不是按时结案率最低的部门。"
        return "部门对了，但按时结案率不对。"

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        return self.scalar_hint(answer[1], expected[1]) if answer[0] == expected[0] else None


def _worst_department(g: dict) -> str:
    table = complaints.sla_by_department(g["log"], sla_days=SLA_DAYS)
    table = table[table["department"] != complaints.UNASSIGNED]
    return str(table.sort_values("sla_compliance")["department"].iloc[0])


def _worst_compliance(g: dict, *, breach: bool = False) -> tuple[str, float]:
    table = complaints.sla_by_department(g["log"], sla_days=SLA_DAYS).set_index("department")
    worst = _worst_department(g)
    value = float(table.loc[worst, "sla_compliance"])
    return worst, 1 - value if breach else value


def _all_compliance(g: dict) -> tuple[str, float]:
    table = complaints.sla_by_department(g["log"], sla_days=SLA_DAYS)
    return _worst_department(g), float(table["within_sla"].sum() / table["settled"].sum())


chapter.task(
    DepartmentRate(decimals=4), given=_log_data,
    expected=_worst_compliance,
    hint="先用 complaints.sla_by_department(log, sla_days=7) 找出按时结案率最低的部门"
         "（不含未分派），再读出它的按时结案率；部门写中文名称（glossary.value_label"
         "(\"department\", 代码) 可以把代码换成中文）。",
    mistakes=[
        Mistake(lambda g: _worst_compliance(g, breach=True),
                "这是超时结案的比例；本题问的是按时结案率（≤ 7 天的占比）。"),
        Mistake(_all_compliance, "这是全部部门合计的按时结案率；本题只问最慢的那个部门。"),
    ],
)


# --- ex5: the Pareto cut (数据) --------------------------------------------------------

def _vital(g: dict, *, by: str = "sub_item", short: bool = False) -> float:
    table = complaints.pareto(g["log"], by=by, cut=0.8)
    k = int(table["vital_few"].sum()) - (1 if short else 0)
    return float(table["cumulative_share"].iloc[k - 1])


chapter.task(
    Share(decimals=4), given=_log_data,
    expected=_vital,
    hint="按投诉子项（sub_item）数件数，从多到少排列、计算累计占比；关键少数是累计占比"
         "达到 80% 所需的最少几个子项（包括跨过 80% 的那一个），答案是它们合计的占比。",
    mistakes=[
        Mistake(lambda g: _vital(g, short=True),
                "还差一个：累计占比要「达到」80%，跨过 80% 的那个子项也要算上。"),
        Mistake(lambda g: _vital(g, by="complaint_type"),
                "这是按投诉类型（四大类）算的；本题按投诉子项。"),
    ],
)


# --- ex6: the reopen rate (数据) -------------------------------------------------------

def _reopen(g: dict, *, all_complaints: bool = False) -> float:
    row = complaints.reopen_rate(g["log"]).iloc[0]
    return float(row["reopened"] / (row["complaints"] if all_complaints else row["handled"]))


chapter.task(
    Share(decimals=4), given=_log_data,
    expected=_reopen,
    hint="重开 = 从「总结评价」或「结案」回到「分析原因」。重开率 = 至少重开一次的投诉 ÷ "
         "进入过总结评价的投诉。",
    mistakes=[
        Mistake(lambda g: _reopen(g, all_complaints=True),
                "判定不成立的投诉从来没有进入总结评价，不可能重开，不应放进分母。"),
    ],
)


# --- ex7: the repeat purchase rate (手算) ----------------------------------------------

_TX = pd.DataFrame({
    "customer_id": ["甲", "甲", "乙", "乙", "乙", "丙", "丁", "丁", "戊", "己", "己"],
    "date": pd.to_datetime(["2024-01-03", "2024-01-03", "2024-01-05", "2024-02-11",
                            "2024-03-02", "2024-01-20", "2024-02-02", "2024-02-02",
                            "2024-03-15", "2024-01-08", "2024-04-18"]),
    "amount": [120.0, 35.0, 80.0, 60.0, 95.0, 200.0, 45.0, 15.0, 300.0, 70.0, 66.0],
})


def _repeat_rows(g: dict) -> float:
    counts = g["transactions"].groupby("customer_id").size()
    return float((counts >= 2).mean())


chapter.task(
    Share(decimals=4), given={"transactions": _TX},
    expected=lambda g: loyalty.repeat_purchase_rate(g["transactions"], customer="customer_id",
                                                    date="date"),
    hint="同一顾客同一天的几笔订单算一次购买；数出购买次数 ≥ 2 的顾客，除以顾客总数。",
    mistakes=[
        Mistake(_repeat_rows, "同一天的两笔订单（甲、丁）只算一次购买：先按 (顾客, 日期) 去重。"),
        Mistake(lambda g: float(len(_TX) / _TX["customer_id"].nunique()),
                "这是平均每位顾客的订单数；重复购买率是购买两次及以上的顾客占比。"),
    ],
)


# --- ex8: one cohort retention number (数据) --------------------------------------------

def _retention(g: dict, *, k: int | None = None, of_active: bool = False) -> float:
    tx = g["transactions"]
    table = loyalty.cohort_retention(tx, customer="customer_id", date="date", period="M")
    k = g["month"] if k is None else k
    if of_active:
        counts = loyalty.cohort_counts(tx, customer="customer_id", date="date")
        cell = counts[(counts["cohort"] == g["cohort"]) & (counts["period"] == k)].iloc[0]
        month = pd.Period(g["cohort"], "M") + k
        active = tx[tx["date"].dt.to_period("M") == month]["customer_id"].nunique()
        return float(cell["active"] / active)
    return float(table.loc[g["cohort"], k])


def _cohort_given() -> dict:
    return {"transactions": _cohort_tx(), "cohort": "2023-04", "month": 3}


chapter.task(
    Share(decimals=4), given=_cohort_given,
    expected=_retention,
    hint="同期群 = 首次购买在 2023 年 4 月的顾客；第 3 个月 = 2023 年 7 月。"
         "留存率 = 其中在 7 月有购买的顾客数 ÷ 同期群人数。",
    mistakes=[
        Mistake(lambda g: _retention(g, k=g["month"] + 1),
                "首购当月是第 0 个月，所以第 3 个月是 7 月，不是 8 月。"),
        Mistake(lambda g: _retention(g, k=g["month"] - 1),
                "首购当月是第 0 个月（不是第 1 个月），所以第 3 个月是 7 月。"),
        Mistake(lambda g: _retention(g, of_active=True),
                "分母是同期群的人数（4 月首购的顾客），不是 7 月所有有购买的顾客。"),
    ],
)


# --- ex9: the churn rate (数据) ----------------------------------------------------------

def _churn(g: dict, *, of_current: bool = False) -> float:
    table = loyalty.customer_growth(g["orders"], customer="customer_id", date="date",
                                    period="Q").set_index("period")
    row = table.loc["2024Q4"]
    return float(row["lost"] / (row["active"] if of_current else
                                table.loc["2024Q3", "active"]))


chapter.task(
    Share(decimals=4), given=_log_data,
    expected=_churn,
    hint="2024 年第四季度的流失率 = 第三季度有购买、第四季度没有购买的顾客数 ÷ "
         "第三季度有购买的顾客数。",
    mistakes=[
        Mistake(lambda g: _churn(g, of_current=True),
                "分母是上一期（第三季度）的活跃顾客数，流失的顾客正是从他们当中流失的。"),
    ],
)


# --- ex10: interpretation (讨论) --------------------------------------------------------

def _recovery_given() -> dict:
    table = complaints.service_recovery(_cases(), _shop()[1], days=REPURCHASE_DAYS)
    rates = table.set_index("handling")["repurchase_rate"]
    return {"repurchase_rate": {k: round(float(v), 3) for k, v in rates.items()},
            "days": REPURCHASE_DAYS}


chapter.task(
    Discussion(min_chars=20, topics=(("同意", "不同意", "制造", "鼓励", "应该", "不应"),
                                     ("处理", "补救", "解决", "挽留"),
                                     ("观察", "因果", "本来", "差", "流失", "代价", "原因",
                                      "再购买", "忠诚")),
               prompt="说清楚你是否同意这个提议，依据是表中的哪些数字或道理"),
    given=_recovery_given,
    expected=lambda g: (
        f"处理得好的投诉客户 {g['days']} 天内再购买率（约 "
        f"{100 * g['repurchase_rate']['well']:.0f}%）高于从未投诉的客户（约 "
        f"{100 * g['repurchase_rate']['no_complaint']:.0f}%），处理得差的最低（约 "
        f"{100 * g['repurchase_rate']['poor']:.0f}%）。这说明投诉是挽留客户的机会：鼓励客户"
        "投诉、及时而公平地解决，可以把不满的客户变成更忠诚的客户（服务补救）。但不能据此"
        "“制造”投诉：这是观察数据，满意度高的客户可能本来就更忠诚；投诉本身来自一次失败的"
        "体验，处理不好的代价很大。应当做的是把每一次投诉都处理好，并减少引起投诉的原因。"),
    hint="比较三组（处理得好、处理得差、从未投诉）的再购买率；想一想这是实验还是观察数据。",
)
