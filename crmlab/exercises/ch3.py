"""Chapter 3 exercises (客户价值测算): VBC/ABC allocation, RFM scoring and segments.

The data of every task are stored on the task (``given("ch3.ex1")`` in the
notebook); expected answers and the answers typical slips produce are computed
with crmlab from them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from crmlab import costing, datasets, glossary, rfm
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Choice, Labels, Mapping, Number, Numbers, Share

__all__ = ["DATA", "chapter"]

chapter = Chapter(__name__, "客户价值测算")
SEG = ["A", "B", "C"]

#: The question data of the tasks (each task stores its part on ``given``).
DATA: dict[str, pd.DataFrame] = {
    # ex1/ex2: one company, three segments (万元)
    "segments": pd.DataFrame({"segment": SEG, "sales": [200, 150, 50],
                              "direct_cost": [60, 30, 10]}),
    "activities": pd.DataFrame({"activity": ["订单处理", "销售拜访"],
                                "pool": ["admin", "selling"], "cost": [40, 30],
                                "driver": ["订单数（张）", "拜访次数（次）"]}),
    "drivers": pd.DataFrame({"activity": ["订单处理"] * 3 + ["销售拜访"] * 3,
                             "segment": SEG * 2,
                             "quantity": [200, 300, 500, 30, 30, 40]}),
    # ex3: service calls of 甲 and 丙; 乙's calls are the unknown
    "service_calls": pd.DataFrame({"segment": ["甲", "乙", "丙"],
                                   "calls": [300.0, np.nan, 100.0]}),
    # ex4: pharmacy transactions (元), analysed as of 2024-06-30
    "pharmacy_tx": pd.DataFrame({
        "customer_id": ["张", "张", "张", "李", "李", "王", "王", "赵", "赵"],
        "date": pd.to_datetime(["2024-06-10", "2024-04-02", "2023-11-20", "2024-02-15",
                                "2024-02-15", "2023-08-01", "2023-05-10", "2024-03-31",
                                "2024-01-05"]),
        "amount": [80.0, 200.0, 260.0, 500.0, 100.0, 120.0, 90.0, 100.0, 200.0]}),
    # ex5: average spend per purchase of ten customers (元); not the lecture's demo values
    "monetary": pd.DataFrame({"customer_id": [f"c{i:02d}" for i in range(1, 11)],
                              "monetary_mean": [80.0, 25, 140, 55, 55, 310, 25, 95, 55, 180]}),
    # ex6: 3-point scores of six customers
    "scores": pd.DataFrame({"customer_id": [f"k{i}" for i in range(1, 7)],
                            "r_score": [3, 1, 2, 3, 1, 2], "f_score": [3, 3, 1, 1, 2, 2],
                            "m_score": [3, 3, 3, 1, 2, 1]}),
}
POOLS = {"admin": 40, "selling": 30}
BASES = {"admin": "direct_cost", "selling": "sales"}


def _profits(table: pd.DataFrame) -> dict[str, float]:
    body = table[table["segment"] != costing.TOTAL]
    return dict(zip(body["segment"], body["segment_profit"].astype(float), strict=True))


# --- ex1: VBC by hand --------------------------------------------------------------

def _vbc(g: dict, bases: dict | None = None) -> dict[str, float]:
    return _profits(costing.volume_based(g["segments"], g["pools"], bases or g["bases"]))


def _equal_split(g: dict) -> dict[str, float]:
    seg = g["segments"].assign(equal=1.0)
    return _profits(costing.volume_based(seg, g["pools"], {"admin": "equal", "selling": "equal"}))


def _vbc_without_direct_cost(g: dict) -> dict[str, float]:
    seg = g["segments"].assign(direct_cost=0.0, base=g["segments"]["direct_cost"])
    return _profits(costing.volume_based(seg, g["pools"], {"admin": "base", "selling": "sales"}))


chapter.task(
    Mapping(decimals=2, unit="万元"),
    given={"segments": DATA["segments"], "pools": POOLS, "bases": BASES},
    expected=_vbc,
    hint="VBC：管理费用按直接成本占比、销售费用按销售额占比分摊；"
         "利润 = 销售额 − 直接成本 − 分摊的费用。",
    mistakes=[
        Mistake(lambda g: _vbc(g, {"admin": "sales", "selling": "sales"}),
                "管理费用要按直接成本（60:30:10）分摊，不是按销售额。"),
        Mistake(lambda g: _vbc(g, {"admin": "sales", "selling": "direct_cost"}),
                "两项费用的分摊基础对调了：管理费用按直接成本（60:30:10）分摊，"
                "销售费用按销售额（200:150:50）分摊。VBC 的关键是每项费用选对它的产量基础。"),
        Mistake(_equal_split,
                "不是平均分给三个细分市场：VBC 按产量基础（直接成本、销售额）的比例分摊。"),
        Mistake(_vbc_without_direct_cost, "别忘了先减去各细分市场自己的直接成本。"),
    ],
)


# --- ex2: ABC with drivers -----------------------------------------------------------

def _abc(g: dict, drivers: pd.DataFrame | None = None) -> dict[str, float]:
    return _profits(costing.activity_based(g["segments"], g["activities"],
                                           g["drivers"] if drivers is None else drivers))


chapter.task(
    Mapping(decimals=2, unit="万元"),
    given={"segments": DATA["segments"], "activities": DATA["activities"],
           "drivers": DATA["drivers"]},
    expected=_abc,
    hint="ABC：每项作业的成本按动因数量的占比分摊（订单处理按订单数，销售拜访按拜访次数）。",
    mistakes=[
        Mistake(lambda g: _vbc({"segments": g["segments"], "pools": POOLS, "bases": BASES}),
                "这是 VBC 的结果。ABC 要按作业动因（订单数、拜访次数）分摊，"
                "而不是按直接成本、销售额。"),
        Mistake(lambda g: _abc(g, g["drivers"].assign(quantity=1.0)),
                "作业成本不是平均分给细分市场，要按各自消耗的动因数量分摊。"),
    ],
)


# --- ex3: design a driver quantity --------------------------------------------------

def _design(g: dict, forget_own: bool = False) -> float:
    calls = g["service_calls"].set_index("segment")["calls"]
    others = float(calls.drop("乙").sum())
    share = g["target"] / g["cost"]
    # 乙's calls x satisfy x / (others + x) = share  ->  x = share * others / (1 - share)
    x = share * others if forget_own else share * others / (1 - share)
    if not forget_own:  # confirm with crmlab's allocation rule
        got = costing.allocate(g["cost"], [calls["甲"], x, calls["丙"]])[1]
        assert abs(got - g["target"]) < 1e-9
    return x


chapter.task(
    Number(decimals=0, unit="通"),
    given={"service_calls": DATA["service_calls"], "cost": 30.0, "target": 10.0},
    expected=_design,
    hint="乙分到的成本 = 30 × 乙的电话数 ÷（甲 + 乙 + 丙 的电话总数）；令它等于 10 再解方程。",
    mistakes=[
        Mistake(lambda g: _design(g, forget_own=True),
                "分母是三个细分市场电话数的总和，要包括乙自己的电话数 x。"),
    ],
)


# --- ex4: score with the pharmacy preset --------------------------------------------

def _pharmacy_codes(g: dict, how: str = "right") -> list[str]:
    tx, as_of = g["transactions"], g["as_of"]
    window = None if how == "no_window" else 12
    s = rfm.summary(tx, as_of=as_of, frequency_months=window)
    if how == "rows":  # the slip: every row counted as a visit
        start = pd.Timestamp(as_of) - pd.DateOffset(months=12)
        s = s.set_index("customer_id")
        s["frequency"] = (tx[tx["date"] > start].groupby("customer_id").size()
                          .reindex(s.index, fill_value=0))
        s["monetary_mean"] = tx.groupby("customer_id")["amount"].mean()
        s = s.reset_index()
    s.attrs = {}
    p = rfm.PRESETS["pharmacy"]
    rules = dict(p.rules)
    if how == "total":
        rules["m"] = rfm.Rule("monetary_total", p.monetary.edges, p.monetary.edge_goes_up)
    scored = rfm.score(s, rules=rules).set_index("customer_id")
    return scored.loc[g["order"], "rfm_code"].tolist()


PHARMACY_ORDER = ["张", "李", "王", "赵"]

chapter.task(
    Labels(names=tuple(PHARMACY_ORDER), example='["321", "111"]'),
    given={"transactions": DATA["pharmacy_tx"], "as_of": "2024-06-30", "order": PHARMACY_ORDER},
    expected=_pharmacy_codes,
    hint="药店标准：R ≤3 个月=3、3–9 个月=2、>9 个月=1；F 只数过去 12 个月的光顾次数；"
         "M 用平均每次消费额（150–450 元含端点为 2 分）。",
    mistakes=[
        Mistake(lambda g: _pharmacy_codes(g, "rows"),
                "同一天的两笔记录算一次光顾（一次购买场合），平均消费额也按光顾次数平均。"),
        Mistake(lambda g: _pharmacy_codes(g, "no_window"),
                "F 只统计过去 12 个月（2023-06-30 之后）的光顾次数，更早的不算。"),
        Mistake(lambda g: _pharmacy_codes(g, "total"),
                "M 是平均每次消费额，不是累计消费额。"),
    ],
)


# --- ex5: quantile scores ------------------------------------------------------------

def _quantiles(g: dict, how: str = "right") -> list[float]:
    monetary = g["monetary"]
    values = monetary["monetary_mean"]
    if how == "right":
        s = monetary.assign(recency_days=0, frequency=1)
        return rfm.score(s, points=5)["m_score"].astype(float).tolist()
    if how == "reversed":
        s = monetary.assign(recency_days=0, frequency=1, monetary_mean=-values)
        return rfm.score(s, points=5)["m_score"].astype(float).tolist()
    if how == "split_ties":
        p = (values.rank(method="first").to_numpy() - 1) / len(values)
        return (np.floor(p * 5) + 1).tolist()
    # equal-width value bins instead of quantiles
    return (pd.cut(values, 5, labels=False) + 1).astype(float).tolist()


chapter.task(
    Numbers(decimals=0, names=tuple(DATA["monetary"]["customer_id"])),
    given={"monetary": DATA["monetary"]},
    expected=_quantiles,
    hint="五分位打分：按消费额从低到高排序，p = 比你低的客户占比，得分 = ⌊5p⌋ + 1；"
         "金额相同的客户得分相同。",
    mistakes=[
        Mistake(lambda g: _quantiles(g, "reversed"), "消费额越高得分越高（只有 R 是越小越好）。"),
        Mistake(lambda g: _quantiles(g, "split_ties"),
                "消费额相同的客户必须得同一个分数：并列的值不能按先后拆开。"),
        Mistake(lambda g: _quantiles(g, "equal_width"),
                "分位数打分按人数（排名）等分，不是把金额范围等宽切成 5 段。"),
    ],
)


# --- ex6: segments -------------------------------------------------------------------

def _segments(g: dict, reference="mean", swap_rf: bool = False) -> list[str]:
    s = g["scores"]
    if swap_rf:
        s = s.rename(columns={"r_score": "f_score", "f_score": "r_score"})
    if reference == "at_least_mean":
        means = s[["r_score", "f_score", "m_score"]].mean()
        reference = {k: float(means[f"{k}_score"]) - 1e-9 for k in "rfm"}
    return glossary.zh(rfm.segments(s, reference=reference)["segment"]).tolist()


SEGMENT_NAMES = {code: zh for code, (zh, _en) in glossary.VALUES["segment"].items()}

chapter.task(
    Labels(names=tuple(DATA["scores"]["customer_id"]), example='["重要价值客户", "一般挽留客户"]',
           codes=SEGMENT_NAMES),
    given={"scores": DATA["scores"]},
    expected=_segments,
    hint="R、F、M 各自与平均分比较：严格高于平均分为“高”，否则为“低”；再按八类表对应客户类型。",
    mistakes=[
        Mistake(lambda g: _segments(g, "at_least_mean"),
                "等于平均分算“低”：规则是严格高于平均分才算“高”。"),
        Mistake(lambda g: _segments(g, swap_rf=True),
                "R 和 F 看反了：R 高 = 最近来过；F 高 = 来得频繁。"),
    ],
)


# --- ex7: why the ranking flips --------------------------------------------------------

EX7_CHOICES = {
    "A": "ABC 法按作业重新核算了收入，甲的销售额比 VBC 法下少算了一部分",
    "B": "ABC 法把甲的一部分间接费用计入了直接成本，甲的直接成本因此变高",
    "C": "甲的直接成本虽低，但订单、拜访和服务电话多，消耗了更多作业，分到更多间接费用",
    "D": "ABC 法把两项间接费用都按销售额分摊，销售额最大的甲分到的最多",
}


def _ex7(g: dict) -> str:
    data = datasets.load_textbook("ch3_abc_activities")
    acts = data.drop_duplicates("activity")[["activity", "pool", "cost", "driver"]]
    seg = datasets.load_textbook("ch3_segments")[["segment", "sales", "direct_cost"]]
    pools = datasets.load_textbook("ch3_pools")
    vbc = costing.volume_based(seg, dict(zip(pools["pool"], pools["amount"], strict=True)),
                               dict(zip(pools["pool"], pools["vbc_base"], strict=True)))
    abc = costing.activity_based(seg, acts, data[["activity", "segment", "quantity"]])
    v, a = vbc.set_index("segment").loc["甲"], abc.set_index("segment").loc["甲"]
    if a["sales"] < v["sales"]:
        return "A"
    if a["direct_cost"] > v["direct_cost"]:
        return "B"
    overhead = ["admin", "selling"]
    if a[overhead].sum() > v[overhead].sum():
        return "C"
    return "D"


chapter.task(
    Choice(EX7_CHOICES),
    given={"options": EX7_CHOICES},
    expected=_ex7,
    hint="两种方法下销售额和直接成本完全一样，变的只有间接费用的分摊方式。",
    mistakes=[
        Mistake(lambda g: "A", "两种方法只是分摊间接费用的方式不同，甲的销售额都是 100 万元，"
                               "没有变化。"),
        Mistake(lambda g: "B", "两种方法下甲的直接成本都是 20 万元，没有变化：ABC 改变的是"
                               "间接费用的分摊。"),
        Mistake(lambda g: "D",
                "按销售额分摊是 VBC 的做法；ABC 按作业动因（订单数、拜访次数…）分摊。"),
    ],
)


# --- ex8: CDNOW revenue share of 重要价值客户, business cut-offs ------------------------
# CDNOW is one acquisition cohort (first purchases Q1 1997): the task uses fixed business
# cut-offs, not quantiles, and an earlier analysis date than the lecture (1998-07-01), so
# the lecture's tables are not the answer.

CDNOW_CUTS = {"as_of": "1998-04-01", "r_days": 90, "f_visits": 2, "m_dollars": 150.0,
              "m_column": "monetary_total"}


@lru_cache(maxsize=16)
def _cdnow_table(as_of: str, r_days: int, f_visits: int, m_dollars: float,
                 m_column: str, r_edge_up: bool = False) -> pd.DataFrame:
    s = rfm.summary(datasets.load_cdnow("master"), as_of=as_of, drop_future=True)
    rules = {"r": rfm.rule("recency_days", [r_days], higher_is_better=False,
                           edge_goes_up=r_edge_up),
             "f": rfm.rule("frequency", [f_visits]),
             "m": rfm.rule(m_column, [m_dollars])}
    segmented = rfm.segments(rfm.score(s, rules=rules), reference={"r": 1, "f": 1, "m": 1})
    return rfm.segment_summary(segmented)


def _cdnow_share(g: dict, column: str = "revenue_share", **change: object) -> float:
    cuts = {**g, **change}
    table = _cdnow_table(cuts["as_of"], cuts["r_days"], cuts["f_visits"],
                         cuts["m_dollars"], cuts["m_column"], bool(cuts.get("r_edge_up")))
    return float(table.loc["important_value", column])


chapter.task(
    Share(decimals=4),
    given=CDNOW_CUTS,
    expected=_cdnow_share,
    hint="只用 1998-04-01 之前的交易（drop_future=True）；R 高 = 最近一次购买不超过 90 天，"
         "F 高 = 至少 2 次光顾，M 高 = 累计消费额不低于 150 美元；再算“重要价值客户”的"
         "累计消费额占全部收入的比例（0–1 之间的小数）。",
    mistakes=[
        Mistake(lambda g: _cdnow_share(g, "customer_share"),
                "这是客户人数占比；题目问的是收入（累计消费额）占比。"),
        Mistake(lambda g: _cdnow_share(g, m_column="monetary_mean"),
                "这是把 M 取成平均每次消费额（第四章课件的定义）的结果；八类客户按"
                "《产品经理必学的 6 大分析模型》的定义用累计交易金额（monetary_total）。"),
        Mistake(lambda g: _cdnow_share(g, r_edge_up=True),
                "正好 90 天前购买的客户被你算成了“R 低”：R 高是“不超过 90 天”，90 天本身也算高。"
                "R 越小越好，界限上的值要归入高分一侧：rfm.rule(..., higher_is_better=False, "
                "edge_goes_up=False)。"),
        Mistake(lambda g: _cdnow_share(g, r_days=365),
                "这是以 365 天为 R 的界限的结果；本题 R 高 = 最近一次购买不超过 90 天。"),
        Mistake(lambda g: _cdnow_share(g, as_of="1998-07-01"),
                "这是用到 1998 年 6 月底全部数据的结果；本题的分析日是 1998-04-01，"
                "之后的交易要去掉（drop_future=True）。"),
    ],
)


# --- ex9: why no CDNOW customer is 重要发展/一般发展 -------------------------------------

EX9_CHOICES = {
    "A": "CDNOW 的客户消费额普遍偏低，累计消费很少有人达到 150 美元，所以发展客户被归入了别的类",
    "B": "这批客户都在同一个季度首次购买，分析日离那时已有一年，只买过一次的客户都不是最近来的",
    "C": "R 的界限 90 天定得太宽，把最近来过的客户都算成了“R 高”，改成 30 天就会出现发展客户",
    "D": "网上商店的交易记录没有门店光顾的概念，F 无法按“光顾次数”计算，所以 F 全部是高分",
}


def _ex9(g: dict) -> str:
    s = rfm.summary(datasets.load_cdnow("master"), as_of=g["as_of"], drop_future=True)
    one_time = s["frequency"] == 1
    first_in_q1_1997 = bool((s["first_purchase"] < pd.Timestamp("1997-04-01")).all())
    if first_in_q1_1997 and (s.loc[one_time, "recency_days"] > g["r_days"]).all():
        return "B"
    return "C"


chapter.task(
    Choice(EX9_CHOICES),
    given={"options": EX9_CHOICES, "as_of": CDNOW_CUTS["as_of"], "r_days": CDNOW_CUTS["r_days"]},
    expected=_ex9,
    hint="“发展”= R 高、F 低：最近来过、但只来过一次。看看只买过一次的客户是哪天买的。",
    mistakes=[
        Mistake(lambda g: "A", "M 与“发展”无关：发展客户的定义是 R 高、F 低，M 高低都可以"
                               "（重要发展和一般发展都是 0 人）。"),
        Mistake(lambda g: "C", "界限越短，R 高的客户越少，发展客户只会更少，不会变多。"),
        Mistake(lambda g: "D", "F 按购买日计数（同一天的多条记录算一次），网上商店的交易记录"
                               "正好可以这样数；问题不在 F 的定义上。"),
    ],
)
