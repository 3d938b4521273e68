"""Chapter 4 tasks (客户组合分析): shares, ABC classes, quadrants, pyramid and more.

The tasks: composition shares, ABC classes, quadrants, pyramid, visit plan,
relationship strategy and an interpretation.

The exercise data are small hand-made tables (and one seeded table of 30 customers)
that differ from the lecture's data, so nothing printed in the lecture is an answer.
Expected answers and the answers typical slips produce are computed with crmlab.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import glossary, pareto, portfolio
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Choice, Discussion, Labels, Mapping, Number, Share

__all__ = ["chapter"]

chapter = Chapter(__name__, "客户组合分析")

EXERCISE_SEED = 20_250_404
CHANNEL_ZH = {code: zh for code, (zh, _en) in glossary.VALUES["channel_type"].items()}


def _shops() -> dict[str, pd.DataFrame]:
    return {"shops": pd.DataFrame({
        "customer_id": ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"],
        "channel_type": ["批发店", "批发店", "零售店", "零售店", "零售店", "连锁店", "连锁店",
                         "零售店"],
        "sales": [420.0, 180.0, 60.0, 45.0, 30.0, 150.0, 90.0, 25.0],   # 万元
    })}


def _class_shares(g: dict[str, pd.DataFrame]) -> dict[str, float]:
    s = portfolio.composition_summary(g["shops"], amount="sales")
    s = s[s["channel_type"] != "total"]
    return dict(zip(s["channel_type"], s["share_of_total"].astype(float), strict=True))


def _count_shares(g: dict[str, pd.DataFrame]) -> dict[str, float]:
    counts = g["shops"]["channel_type"].value_counts(normalize=True)
    return {k: float(v) for k, v in counts.items()}


def _share_in_group(g: dict[str, pd.DataFrame], of: str = "group") -> float:
    comp = portfolio.composition(g["shops"], amount="sales", abc=False).set_index("customer_id")
    return float(comp.loc["丙", "share_in_group" if of == "group" else "share_of_total"])


def _abc_labels(g: dict[str, pd.DataFrame]) -> list[str]:
    return pareto.abc_classes(g["shops"]["sales"])["abc_class"].tolist()


def _abc_below_cut(g: dict[str, pd.DataFrame]) -> list[str]:
    # slip: A = only the customers whose cumulative share stays at or below 80 %
    values = g["shops"]["sales"].to_numpy()
    order = np.argsort(-values, kind="stable")
    cum = np.cumsum(values[order]) / values.sum()
    labels = np.where(cum <= 0.80 + 1e-12, "A", np.where(cum <= 0.95 + 1e-12, "B", "C"))
    out = np.empty(len(values), dtype=object)
    out[order] = labels
    return out.tolist()


def _abc_by_count(g: dict[str, pd.DataFrame]) -> list[str]:
    # slip: cut the customer count 20/30/50 instead of the cumulative sales
    values = g["shops"]["sales"].to_numpy()
    n = len(values)
    order = np.argsort(-values, kind="stable")
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(1, n + 1)
    return np.where(rank <= np.ceil(0.2 * n), "A",
                    np.where(rank <= np.ceil(0.5 * n), "B", "C")).tolist()


def _thirty() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(EXERCISE_SEED)
    sales = np.round(np.exp(rng.normal(np.log(50), 1.1, 30)), 1)
    return {"customers": pd.DataFrame({"customer_id": [f"C{i:02d}" for i in range(1, 31)],
                                       "sales": sales})}


def _count_a(g: dict[str, pd.DataFrame]) -> int:
    return int((pareto.abc_classes(g["customers"]["sales"])["abc_class"] == "A").sum())


SHORT = {"vip": "贵宾型", "improve": "改进型", "maintain": "维持型", "abandon": "放弃型",
         "star": "明星", "golden": "黄金", "risky": "风险", "junk": "垃圾"}
#: what glossary.zh writes for the quadrant codes ("贵宾型客户") counts as the short name
LONG = {glossary.value_label("quadrant", code): name for code, name in SHORT.items()}


def _clv_given() -> dict[str, pd.DataFrame]:
    return {"customers": pd.DataFrame({
        "customer_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "current_value": [1200.0, 300.0, 800.0, 150.0, 950.0, 500.0],   # 元
        "future_value": [2000.0, 1800.0, 200.0, 100.0, 900.0, 1000.0],
    })}


def _clv_codes(g: dict[str, pd.DataFrame], *, swap: bool = False) -> list[str]:
    x, y = ("future_value", "current_value") if swap else ("current_value", "future_value")
    out = portfolio.quadrants(g["customers"], x=x, y=y, scheme="clv_matrix",
                              split=("median", 1000))
    return [SHORT[c] for c in out["quadrant"]]


def _credit_given() -> dict[str, pd.DataFrame]:
    return {"customers": pd.DataFrame({
        "customer_id": ["B1", "B2", "B3", "B4", "B5"],
        "loyalty_score": [82, 45, 70, 30, 70],
        "credit_score": [90, 88, 40, 35, 60],
    })}


def _credit_codes(g: dict[str, pd.DataFrame], *, strict: bool = False) -> list[str]:
    data = g["customers"]
    if strict:  # slip: "high" only when strictly above the threshold
        data = data.assign(loyalty_score=data["loyalty_score"] - 1e-9,
                           credit_score=data["credit_score"] - 1e-9)
    out = portfolio.quadrants(data, x="loyalty_score", y="credit_score",
                              scheme="loyalty_credit", split=(70, 60))
    return [SHORT[c] for c in out["quadrant"]]


def _profits() -> dict[str, pd.DataFrame]:
    return {"customers": pd.DataFrame({
        "customer_id": [f"P{i:02d}" for i in range(1, 11)],
        "sales": [900.0, 150.0, 600.0, 80.0, 400.0, 120.0, 300.0, 60.0, 200.0, 90.0],
        "profit": [50.0, 60.0, 120.0, 5.0, 70.0, 8.0, 40.0, -6.0, 30.0, 3.0],
    })}


def _gold_share(g: dict[str, pd.DataFrame], by: str = "profit") -> float:
    d = g["customers"]
    tiers = portfolio.pyramid(d, value=by, tiers=2)
    gold = tiers["tier"] == "gold"
    return float(d.loc[gold.to_numpy(), "profit"].sum() / d["profit"].sum())


def _portfolio_mix() -> dict[str, pd.DataFrame]:
    classes = ["A"] * 3 + ["B"] * 5 + ["C"] * 12
    return {"customers": pd.DataFrame({"customer_id": [f"K{i:02d}" for i in range(1, 21)],
                                       "abc_class": classes})}


def _rep_visits(g: dict[str, pd.DataFrame], months: int = 12) -> float:
    plan = portfolio.visit_plan(g["customers"], months=months)
    return float(plan.loc[plan["staff_level"] == "sales_rep", "visits_min"].sum())


def _rep_contacts(g: dict[str, pd.DataFrame]) -> float:
    plan = portfolio.visit_plan(g["customers"])
    rep = plan[plan["staff_level"] == "sales_rep"]
    return float(rep["visits_min"].sum() + rep["calls_min"].sum())


def _all_staff_visits(g: dict[str, pd.DataFrame]) -> float:
    return float(portfolio.visit_plan(g["customers"])["visits_min"].sum())


EX9_CHOICES = {"A": "一般关系", "B": "伙伴关系", "C": "密切关系或松散关系", "D": "松散关系或无关系"}


def _ex9(g: dict[str, str]) -> str:
    table = portfolio.relationship_strategy().set_index("customer_group")
    answer = table.loc["忠诚的老客户", "relationship_type"]
    return next(k for k, v in g["options"].items() if v == answer)


# --- ex1: composition — shares of the classes ---------------------------------------------

chapter.task(
    Mapping(decimals=4, form="fraction"), given=_shops,
    expected=_class_shares,
    hint="客户构成分析 (2)–(4)：先按类别小计销售额，再除以所有类别的销售总额。",
    mistakes=[
        Mistake(_count_shares,
                "你算的是客户数的占比；本题问的是各类客户的销售额占总销售额的比重。"),
    ],
)

# --- ex2: composition — share within the class ---------------------------------------------

chapter.task(
    Share(decimals=4), given=_shops,
    expected=_share_in_group,
    hint="占分类销售额的比重 = 客户销售额 ÷ 它所在类别（零售店）的销售额小计。",
    mistakes=[
        Mistake(lambda g: _share_in_group(g, of="total"),
                "你除以的是所有客户的销售总额；本题问的是在“零售店”这一类中的比重。"),
    ],
)

# --- ex3: ABC classes by hand ---------------------------------------------------------------

chapter.task(
    Labels(names=("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"), example='["A", "B", "C"]'),
    given=_shops,
    expected=_abc_labels,
    hint="按销售额从高到低排序，算累计占比：A 类是累计占比首次达到 80% 为止的客户"
         "（包括跨过 80% 的那一位），B 类到首次达到 95% 为止，其余为 C 类。",
    mistakes=[
        Mistake(_abc_below_cut, "跨过 80% 的那位客户也属于 A 类：A 类是“累计占比达到 80% 的"
                                "最少的头部客户”，不是“累计占比不超过 80%”的客户。"),
        Mistake(_abc_by_count, "ABC 分类法按销售额的累计占比（80%/95%）切分，"
                               "不是按客户人数的 20%/30%/50%。"),
    ],
)

# --- ex4: ABC on a larger table -------------------------------------------------------------

chapter.task(
    Number(decimals=0), given=_thirty,
    expected=_count_a,
    hint="用 pareto.abc_classes(customers[\"sales\"]) 分类，再数一数 A 类有几位客户。",
    mistakes=[
        Mistake(lambda g: 6,
                "20% 的客户（6 位）是金字塔二分法的切法；ABC 分类法看销售额的累计占比。"),
    ],
)

# --- ex5: CLV matrix with a given split -----------------------------------------------------

chapter.task(
    Labels(names=("A1", "A2", "A3", "A4", "A5", "A6"), example='["贵宾型", "放弃型"]',
           codes=SHORT, aliases=LONG),
    given=_clv_given,
    expected=_clv_codes,
    hint="当前价值按中位数划分、未来价值按 1000 元划分，“大于等于阈值”为高；"
         "两高 = 贵宾型，当前低未来高 = 改进型，当前高未来低 = 维持型，两低 = 放弃型。",
    mistakes=[
        Mistake(lambda g: _clv_codes(g, swap=True),
                "你把两条轴弄反了：横轴是客户当前价值，纵轴是客户未来价值；"
                "改进型是“当前低、未来高”。"),
    ],
)

# --- ex6: loyalty x credit, threshold included ---------------------------------------------

chapter.task(
    Labels(names=("B1", "B2", "B3", "B4", "B5"), example='["明星", "垃圾"]',
           codes=SHORT, aliases=LONG),
    given=_credit_given,
    expected=_credit_codes,
    hint="忠诚度 ≥ 70 为高、信用度 ≥ 60 为高：忠诚高信用高 = 明星，忠诚低信用高 = 黄金，"
         "忠诚高信用低 = 风险，两低 = 垃圾。",
    mistakes=[
        Mistake(lambda g: _credit_codes(g, strict=True),
                "恰好等于阈值（忠诚度 70、信用度 60）算“高”：规则是“大于等于阈值”。"),
    ],
)

# --- ex7: two-tier pyramid ------------------------------------------------------------------

chapter.task(
    Share(decimals=4), given=_profits,
    expected=_gold_share,
    hint="二分法：按利润从高到低排，前 20% 的客户（10 位中的 2 位）是黄金层级；"
         "求他们的利润占全部利润的比重。",
    mistakes=[
        Mistake(lambda g: _gold_share(g, by="sales"),
                "客户金字塔按盈利能力（利润）排序，不是按销售额：销售额最大的客户利润不一定最高。"),
    ],
)

# --- ex8: the visit plan --------------------------------------------------------------------

chapter.task(
    Number(decimals=0), given=_portfolio_mix,
    expected=_rep_visits,
    hint="查客户访问管理表中“销售人员”一行：A 类每月走访 3 次、B 类 2 次、C 类 1 次；"
         "乘以各类客户数，再乘以 12 个月。",
    mistakes=[
        Mistake(lambda g: _rep_visits(g, months=1),
                "这是一个月的走访次数；本题问一年（12 个月）。"),
        Mistake(_rep_contacts, "本题只问走访次数，不包括电话。"),
        Mistake(_all_staff_visits, "本题只问销售人员的走访，不包括业务经理和市场总监。"),
    ],
)

# --- ex9: relationship strategy -------------------------------------------------------------

chapter.task(
    Choice(EX9_CHOICES), given={"options": EX9_CHOICES},
    expected=_ex9,
    hint="查《客户组合分析》讲义的客户关系战略表：忠诚的老客户的关系战略是“保持”，重点是参与和沟通。",
    mistakes=[
        Mistake(lambda g: "A", "“一般关系”是给盈利的大客户的（重点是便利与效率）。"),
        Mistake(lambda g: "C", "“密切关系或松散关系”是给有增值潜力的客户的。"),
        Mistake(lambda g: "D", "“松散关系或无关系”是给低价值客户的。"),
    ],
)

# --- ex10: an interpretation ----------------------------------------------------------------

chapter.task(
    Discussion(min_chars=15, topics=(("淘汰", "放弃", "保留", "留住", "不一定"),
                                     ("信用", "回款", "拖欠", "坏账", "账期", "赊销", "预付",
                                      "担保", "现款"),
                                     ("忠诚", "订单", "下单", "业务", "利润")),
               prompt="说清楚风险客户该不该淘汰，以及怎样对待它们的信用风险"),
    given={"question": "风险客户（忠诚度高、信用度低）该淘汰吗？"},
    expected=lambda g: (
        "不一定淘汰。风险客户很忠诚，持续下单，问题在于货款回收没有保障。"
        "应先做信用调查分析，区分“暂时困难”和“习惯拖欠”：对前者改变交易条件"
        "（缩短账期、降低赊销额度、要求预付款或担保、现款现货），保住业务；"
        "对后者只做现款交易，必要时停止赊销。同时把坏账和资金占用成本算进客户利润，"
        "看扣除这些成本后是否仍然盈利。"),
    hint="想一想：风险来自忠诚度还是信用度？能否通过改变交易条件控制风险？",
)
