"""Chapter 2 tasks (客户终身价值): hand calculations, data tasks and a discussion on CLV.

Every expected answer and every typical wrong answer is computed with
``crmlab.clv`` from the task's ``given`` data (the notebook
``solutions/02_clv_exercises.ipynb`` states them in Chinese).
"""

from __future__ import annotations

import pandas as pd

from crmlab import clv, datasets, equity
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Discussion, Number, Numbers
from crmlab.synthetic.cards import illustrative_card_data

__all__ = ["chapter"]

chapter = Chapter(__name__, "客户终身价值")

#: The 拓展练习 table of the lecture (its question data, not its answers).
EXTENSION = {"opening": (100_000, 282.00), "lost": (15_000, 177.00), "new": (20_000, 134.00),
             "up": (30_000, 341.00), "down": (10_000, 163.00)}


# --- ex1: present values ----------------------------------------------------------------

def _ex1(g: dict, timing: str = "end") -> list[float]:
    table = clv.clv_table([g["profit"]] * g["years"], rate=g["rate"], timing=timing)
    return table["present_value"].tolist()


chapter.task(
    Numbers(decimals=2, unit="元", names=("第 1 年", "第 2 年", "第 3 年")),
    given={"profit": 200.0, "years": 3, "rate": 0.08},
    expected=_ex1,
    hint="第 t 年末的利润 p 的现值是 p / (1 + i)^t，t 从 1 开始。",
    mistakes=[
        Mistake(lambda g: _ex1(g, "begin"),
                "第 1 年的利润在第 1 年末才收到，也要贴现一次（除以 1.08），不能原样计入。"),
        Mistake(lambda g: [g["profit"]] * g["years"],
                "忘了贴现：未来的钱要除以 (1 + i)^t 换算成今天的钱。"),
    ],
)


# --- ex2: CLV with acquisition cost -----------------------------------------------------

def _ex2(g: dict, *, timing: str = "end", acquisition: float | None = None,
         cost: float | None = None, rate: float | None = None) -> float:
    table = clv.clv_table(g["revenue"], g["retention_cost"] if cost is None else cost,
                          rate=g["rate"] if rate is None else rate,
                          acquisition_cost=g["acquisition"] if acquisition is None else acquisition,
                          timing=timing)
    return clv.clv_total(table)


chapter.task(
    Number(decimals=0, unit="元"),
    given={"acquisition": 1200.0, "retention_cost": 300.0, "revenue": [800, 1000, 1200, 1200],
           "rate": 0.12},
    expected=_ex2,
    hint="CLV = Σ (收入 − 保留成本)/(1 + i)^t − 获取成本；获取成本发生在第 0 年，不贴现。",
    mistakes=[
        Mistake(lambda g: _ex2(g, acquisition=0.0),
                "忘了减去获取成本 1 200 元（第 0 年一次性支出）。"),
        Mistake(lambda g: _ex2(g, timing="begin"),
                "把各年现金流当成年初发生了：按年末惯例，第 1 年也要除以 1.12。"),
        Mistake(lambda g: _ex2(g, cost=0.0),
                "忘了每年 300 元的保留成本：每年的净现金流 = 收入 − 保留成本。"),
        Mistake(lambda g: _ex2(g, rate=0.0),
                "忘了贴现：各年净现金流要除以 (1 + 12%)^t 再相加。"),
    ],
)


# --- ex3: margin multiple ---------------------------------------------------------------

chapter.task(
    Number(decimals=0, unit="元"),
    given={"margin": 600.0, "retention": 0.8, "rate": 0.10},
    expected=lambda g: clv.retention_clv(g["margin"], g["retention"], g["rate"]),
    hint="无限期保留率模型：CLV = m × r / (1 + i − r)。",
    mistakes=[
        Mistake(lambda g: g["margin"] / (1 + g["rate"] - g["retention"]),
                "分子漏了 r：第 1 年末客户也只以概率 r 仍然留下，所以乘数是 r / (1 + i − r)。"),
        Mistake(lambda g: g["margin"] * (1 + g["rate"]) / (1 + g["rate"] - g["retention"]),
                "这是“年初收款”的乘数 (1 + i)/(1 + i − r)；本题利润在每年末收到。"),
        Mistake(lambda g: g["margin"] * g["retention"] / (1 - g["retention"]),
                "忘了贴现率 i：分母应是 1 + i − r，而不是 1 − r。"),
    ],
)


# --- ex4: risk-adjusted rate ------------------------------------------------------------

def _ex4(g: dict, rate: float) -> float:
    return clv.npv([g["profit"]] * g["years"], rate)


def _ex4_rate(g: dict, risk: str = "high") -> float:
    return clv.risk_adjusted_rate(g["cost_of_capital"], g["risk"], risk)


chapter.task(
    Number(decimals=2, unit="元"),
    given={"cost_of_capital": 0.10, "risk": 0.30, "profit": 100.0, "years": 4},
    expected=lambda g: _ex4(g, _ex4_rate(g)),
    hint="先求高风险客户的贴现率 = 资金成本 × (1 + 风险概率)，再用它贴现 4 年的利润。",
    mistakes=[
        Mistake(_ex4_rate,
                "你写的像是贴现率；题目要的是 CLV（元）：先求出高风险客户的贴现率，"
                "再用它把 4 年的利润贴现后相加。"),
        Mistake(lambda g: _ex4(g, g["cost_of_capital"]),
                "没有按风险调整贴现率：高风险客户的贴现率是 10% × (1 + 30%) = 13%。"),
        Mistake(lambda g: _ex4(g, _ex4_rate(g, "low")),
                "用了低风险的公式 资金成本 × (1 − 风险概率)；高风险客户要乘 (1 + 风险概率)。"),
        Mistake(lambda g: _ex4(g, g["cost_of_capital"] + g["risk"]),
                "风险概率是乘上去的，不是加上去的：10% × (1 + 30%) = 13%，不是 40%。"),
    ],
)


# --- ex5: credit-card CLV on data -------------------------------------------------------

def _ex5(g: dict, *, window: int | None = -1, drop: str | None = None,
         rate: float | None = None, margin_rate: float | None = None,
         rewards_added: bool = False) -> float:
    data = g["cards"]
    if drop is not None:
        data = data.assign(**{drop: 0.0})
    if rewards_added:                       # rewards counted as revenue (sign slip)
        data = data.assign(card_fee=data["card_fee"] + 2 * (data["points_cost"]
                                                             + data["referral_reward"]))
    result = clv.card_clv(data, window=g["window"] if window == -1 else window,
                          rate=g["rate"] if rate is None else rate,
                          margin_rate=g["margin_rate"] if margin_rate is None else margin_rate)
    return float(result.set_index("customer_id").at[g["customer"], "clv"])


chapter.task(
    Number(decimals=0, unit="元"),
    # another seed than the lecture's cards, so the lecture's C04 figure is not the answer
    given=lambda: {"cards": illustrative_card_data(seed=2025), "customer": "C04",
                   "window": 3, "rate": 0.10, "margin_rate": 0.005},
    expected=_ex5,
    hint="每年利润 = 年费 + 利息 + 消费额 × 利润率 − 积分 − 转介绍奖励 − 分配成本 − 维护成本；"
         "前 3 年每年的利润除以 1.1^t 再相加。",
    mistakes=[
        Mistake(lambda g: _ex5(g, window=None),
                "计算周期是前 3 年：先筛选 year <= 3，再汇总。"),
        Mistake(lambda g: _ex5(g, rate=0.0),
                "这是讲义的不贴现合计；题目要的 CLV 是现值：第 t 年的利润要除以 1.1^t。"),
        Mistake(lambda g: _ex5(g, margin_rate=0.0),
                "漏了刷卡消费带来的收入：消费额 × 利润率（0.5%）也是收入。"),
        Mistake(lambda g: _ex5(g, margin_rate=1.0),
                "利润率是比率：银行从刷卡消费中只赚 消费额 × 0.5%，不是全部消费额。"),
        Mistake(lambda g: _ex5(g, rewards_added=True),
                "积分和转介绍奖励是银行付给持卡人的，要从收入里减去，不是加上。"),
        Mistake(lambda g: _ex5(g, drop="maintenance_cost"),
                "总成本 = 分配成本 + 维护成本：漏了维护成本。"),
        Mistake(lambda g: _ex5(g, drop="allocation_cost"),
                "总成本 = 分配成本 + 维护成本：漏了分配成本。"),
    ],
)


# --- ex6 / ex7: the lecture's 拓展练习 ------------------------------------------------------

def _rows(g: dict, reading: str = "level") -> pd.DataFrame:
    return equity.equity_movement(**g, reading=reading).set_index("item")


def _closing_with_unchanged_at(g: dict, average: float) -> float:
    rows = _rows(g)
    unchanged = rows.at["cltv_unchanged", "customers"] * average
    return float(rows.at["cltv_up", "equity"] + rows.at["cltv_down", "equity"] + unchanged)


chapter.task(
    Number(decimals=0, unit="元"),
    given=dict(EXTENSION),
    expected=lambda g: float(_rows(g).at["closing_balance", "equity"]),
    hint="期末余额 = CLTV 上升 + CLTV 下降 + CLTV 不变三类顾客的资产之和；"
         "不变顾客人数 = 小结人数 − 上升 − 下降，人均值取小结的人均值。",
    mistakes=[
        Mistake(lambda g: float(_rows(g, "change").at["closing_balance", "equity"]),
                "341 和 163 是这些顾客变化后的人均 CLTV，不是增减额：不能在小结上加 341、减 163。"),
        Mistake(lambda g: float(_rows(g).at["subtotal_after_gain", "equity"]),
                "这是获得新顾客后的小结；期末还要反映 CLTV 上升和下降的顾客。"),
        Mistake(lambda g: _closing_with_unchanged_at(g, g["opening"][1]),
                "CLTV 不变的顾客按小结（获得新顾客后）的人均值计算，而不是初始的人均值。"),
        Mistake(lambda g: _closing_with_unchanged_at(
                    g, round(_rows(g).at["subtotal_after_gain", "average_cltv"], 2)),
                "思路对了，但表里显示的人均值是取整后的数：不变顾客的资产要用未取整的人均值 "
                "（小结资产 ÷ 小结人数）计算，教材就是这样算的。"),
    ],
)


def _ex7_model(g: dict) -> str:
    rows = _rows(g)
    parts = equity.decompose(rows.reset_index()).set_index("part")["equity_change"]
    average = rows["average_cltv"]
    count = rows["customers"]
    churn = count["lost_customers"] / count["opening_balance"]
    return (
        f"总量分析（整体）：顾客资产一年变动 {parts['total_change']:+,.0f} 元 = "
        f"流失 {parts['lost_customers']:+,.0f} + 新客户 {parts['new_customers']:+,.0f} "
        f"+ 留下顾客的 CLTV 变化 {parts['cltv_change']:+,.0f}（三项正好相加）。"
        f"维系：流失 {count['lost_customers']:,} 人（{churn:.0%}），带走 "
        f"{-parts['lost_customers']:,.0f} 元；留下的顾客中 CLTV 上升 "
        f"{count['cltv_up']:,} 人、下降 {count['cltv_down']:,} 人，净增 "
        f"{parts['cltv_change']:+,.0f} 元——资产的增长几乎全部来自这里。"
        f"获取：新客户 {count['new_customers']:,} 人只带来 {parts['new_customers']:,.0f} 元，"
        f"人均 {average['new_customers']:,.0f} 元，远低于初始人均 "
        f"{average['opening_balance']:,.0f} 元，新客户的资产刚够抵消流失。"
        f"结构分析：人均 CLTV 从 {average['opening_balance']:,.2f} 元降到小结的 "
        f"{average['subtotal_after_gain']:,.2f} 元，期末靠 CLTV 上升回到 "
        f"{average['closing_balance']:,.2f} 元。一种合理的结论（本课程的解读）："
        f"下一年度重点是获取工作的质量（把预算投向高价值的潜在顾客），同时压低 "
        f"{churn:.0%} 的流失率；发展现有顾客的做法值得保持。")


chapter.task(
    Discussion(min_chars=20, topics=(("获取", "新客户", "新顾客"), ("流失", "保留", "维系", "留下"),
                                     ("CLTV", "人均", "价值", "资产"))),
    given=dict(EXTENSION),
    expected=_ex7_model,
    hint="分别比较：流失顾客的人均 CLTV 与初始人均值、新顾客与现有顾客、"
         "CLTV 上升与下降的人数和金额。",
)


# --- ex8: value of retention ------------------------------------------------------------

def _ex8(g: dict, multiple) -> float:
    return g["margin"] * (multiple(g["to"], g["rate"]) - multiple(g["from"], g["rate"]))


chapter.task(
    Number(decimals=0, unit="元"),
    given={"margin": 500.0, "rate": 0.10, "from": 0.7, "to": 0.8},
    expected=lambda g: (clv.retention_clv(g["margin"], g["to"], g["rate"])
                        - clv.retention_clv(g["margin"], g["from"], g["rate"])),
    hint="分别用 m × r / (1 + i − r) 算 r = 0.8 和 r = 0.7 的 CLV，再相减。",
    mistakes=[
        Mistake(lambda g: _ex8(g, lambda r, i: 1 / (1 + i - r)),
                "分子漏了 r：乘数是 r / (1 + i − r)。"),
        Mistake(lambda g: _ex8(g, lambda r, i: r / (1 - r)),
                "忘了贴现率 i：分母应是 1 + i − r。"),
        Mistake(lambda g: (clv.retention_clv(g["margin"], g["to"], g["rate"])
                           / clv.retention_clv(g["margin"], g["from"], g["rate"]) - 1),
                "这是增长的比例；题目问 CLV 增加多少元：两个 CLV 直接相减。"),
        Mistake(lambda g: _ex8(g, lambda r, i: r / (1 + i - r)) / g["margin"],
                "这是利润乘数 r / (1 + i − r) 的变化；CLV 的变化还要乘以每年的利润 500 元。"),
    ],
)


# --- ex9: real data — a retention CLV for the CDNOW cohort -------------------------------

def _cdnow_parts(g: dict, end: str = "1998-01-01") -> tuple[pd.Series, pd.Series, float]:
    """Half-year spend of the July–December 1997 buyers, and who bought again in H1 1998."""
    tx = g["transactions"]
    h2 = tx[(tx["date"] >= "1997-07-01") & (tx["date"] < end)]
    h1 = tx[(tx["date"] >= "1998-01-01") & (tx["date"] < "1998-07-01")]
    spend = h2.groupby("customer_id")["amount"].sum()
    again = spend.index.isin(h1["customer_id"].unique())
    return spend, pd.Series(again, index=spend.index), float(h2["amount"].mean())


def _ex9(g: dict, *, m: float | None = None, r: float | None = None,
         rate: float | None = None, margin: float | None = None,
         end: str = "1998-01-01") -> float:
    spend, again, _ = _cdnow_parts(g, end)
    m = spend.mean() * (g["margin"] if margin is None else margin) if m is None else m
    r = float(again.mean()) if r is None else r
    return clv.retention_clv(float(m), r, g["rate"] if rate is None else rate)


def _ex9_whole_cohort_retention(g: dict) -> float:
    tx = g["transactions"]
    h1 = tx[(tx["date"] >= "1998-01-01") & (tx["date"] < "1998-07-01")]
    return h1["customer_id"].nunique() / tx["customer_id"].nunique()


chapter.task(
    Number(decimals=2, unit="美元"),
    # real data (Fader, Hardie & Lee 2005): one acquisition cohort, first purchase Q1 1997
    given=lambda: {"transactions": datasets.load_cdnow("master"), "margin": 0.30,
                   "rate": 0.05},
    expected=_ex9,
    hint="三步：m = 1997 下半年买过的客户的人均半年消费额 × 利润率 30%；r = 这些客户中 "
         "1998 上半年又买的比例；CLV = m × r / (1 + i − r)，i 是半年贴现率 5%。",
    mistakes=[
        Mistake(lambda g: _ex9(g, margin=1.0),
                "用的是消费额，不是利润：每半年的利润 m = 人均消费额 × 利润率 30%。"),
        Mistake(lambda g: _ex9(g, rate=0.10),
                "这里一期是半年：贴现率要用半年的 5%，不是 10%。"),
        Mistake(lambda g: _ex9(g, rate=0.0),
                "忘了贴现：分母应是 1 + i − r，而不是 1 − r。"),
        Mistake(lambda g: _ex9(g) / float(_cdnow_parts(g)[1].mean()),
                "分子漏了 r：下一期客户也只以概率 r 仍然留下，所以乘数是 r / (1 + i − r)。"),
        Mistake(lambda g: _ex9(g, m=_cdnow_parts(g)[2] * g["margin"]),
                "m 是每位客户半年的消费额：先按 customer_id 把 1997 下半年的消费加总，再求平均，"
                "而不是对每笔交易求平均。"),
        Mistake(lambda g: _ex9(g, end="1997-12-31"),
                "12 月 31 日的交易漏掉了：date < \"1997-12-31\" 不包括 12 月 31 日当天。"
                "1997 下半年写成 date >= \"1997-07-01\" 且 date < \"1998-01-01\"。"),
        Mistake(lambda g: _ex9(g, r=_ex9_whole_cohort_retention(g)),
                "保留率的分母是 1997 下半年买过的客户，不是全部 23 570 位客户："
                "整个群体里很多人在 1997 年 3 月以后就再没买过。"),
    ],
)
