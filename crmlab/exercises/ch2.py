"""Chapter 2 tasks (客户终身价值): hand calculations and data tasks on CLV.

Every expected answer and every typical wrong answer is computed with
``crmlab.clv``; the question data are the constants below (the notebook
``solutions/02_clv_exercises.ipynb`` states them in Chinese).
"""

from __future__ import annotations

from crmlab import clv, equity
from crmlab.exercises._core import Mistake, Task, register
from crmlab.synthetic.cards import illustrative_card_data

# ch2.ex1 — profit 200 a year for 3 years, 8 %
EX1_PROFIT, EX1_YEARS, EX1_RATE = 200.0, 3, 0.08
# ch2.ex2 — seed 000 例1 style: acquisition, retention cost, revenue path, 12 %
EX2_ACQUISITION, EX2_COST, EX2_REVENUE, EX2_RATE = 1200.0, 300.0, [800, 1000, 1200, 1200], 0.12
# ch2.ex3 — margin multiple: margin 600, retention 0.8, rate 10 %
EX3_MARGIN, EX3_RETENTION, EX3_RATE = 600.0, 0.8, 0.10
# ch2.ex4 — high-risk customer: cost of capital 10 %, risk probability 30 %, profit 100 × 4
EX4_BASE, EX4_RISK, EX4_PROFIT, EX4_YEARS = 0.10, 0.30, 100.0, 4
# ch2.ex5 — illustrative bank-card data, 3-year window, customer C04
EX5_CUSTOMER, EX5_WINDOW = "C04", 3
# ch2.ex6/ex7 — seed 002 拓展练习
EXTENSION = {"opening": (100_000, 282.00), "lost": (15_000, 177.00), "new": (20_000, 134.00),
             "up": (30_000, 341.00), "down": (10_000, 163.00)}
EX7_OPTIONS = {"A": "retention", "B": "acquisition", "C": "development"}
# ch2.ex8 — sensitivity: margin 500, rate 10 %, retention 0.7 -> 0.8
EX8_MARGIN, EX8_RATE, EX8_FROM, EX8_TO = 500.0, 0.10, 0.7, 0.8


# --- ex1 ---------------------------------------------------------------------

def _ex1(timing: str = "end") -> list[float]:
    table = clv.clv_table([EX1_PROFIT] * EX1_YEARS, rate=EX1_RATE, timing=timing)
    return table["present_value"].tolist()


register(Task(
    id="ch2.ex1", kind="numbers", expected=_ex1, atol=0.01,
    hint="第 t 年末的利润 p 的现值是 p / (1 + i)^t，t 从 1 开始。",
    mistakes=(
        Mistake(lambda: _ex1("begin"),
                "第 1 年的利润在第 1 年末才收到，也要贴现一次（除以 1.08），不能原样计入。"),
        Mistake(lambda: [EX1_PROFIT] * EX1_YEARS,
                "忘了贴现：未来的钱要除以 (1 + i)^t 换算成今天的钱。"),
    ),
))


# --- ex2 ---------------------------------------------------------------------

def _ex2(*, timing: str = "end", acquisition: float = EX2_ACQUISITION,
         cost: float = EX2_COST, rate: float = EX2_RATE) -> float:
    return clv.clv_total(clv.clv_table(EX2_REVENUE, cost, rate=rate,
                                       acquisition_cost=acquisition, timing=timing))


register(Task(
    id="ch2.ex2", kind="number", expected=_ex2, atol=0.5,
    hint="CLV = Σ (收入 − 保留成本)/(1 + i)^t − 获取成本；获取成本发生在第 0 年，不贴现。",
    mistakes=(
        Mistake(lambda: _ex2(acquisition=0.0),
                "忘了减去获取成本 1 200 元（第 0 年一次性支出）。"),
        Mistake(lambda: _ex2(timing="begin"),
                "把各年现金流当成年初发生了：按年末惯例，第 1 年也要除以 1.12。"),
        Mistake(lambda: _ex2(cost=0.0),
                "忘了每年 300 元的保留成本：每年的净现金流 = 收入 − 保留成本。"),
        Mistake(lambda: _ex2(rate=0.0),
                "忘了贴现：各年净现金流要除以 (1 + 12%)^t 再相加。"),
    ),
))


# --- ex3 ---------------------------------------------------------------------

register(Task(
    id="ch2.ex3", kind="number",
    expected=lambda: clv.retention_clv(EX3_MARGIN, EX3_RETENTION, EX3_RATE), atol=0.5,
    hint="无限期保留率模型：CLV = m × r / (1 + i − r)。",
    mistakes=(
        Mistake(lambda: EX3_MARGIN / (1 + EX3_RATE - EX3_RETENTION),
                "分子漏了 r：第 1 年末客户也只以概率 r 仍然留下，所以乘数是 r / (1 + i − r)。"),
        Mistake(lambda: EX3_MARGIN * (1 + EX3_RATE) / (1 + EX3_RATE - EX3_RETENTION),
                "这是“年初收款”的乘数 (1 + i)/(1 + i − r)；本题利润在每年末收到。"),
        Mistake(lambda: EX3_MARGIN * EX3_RETENTION / (1 - EX3_RETENTION),
                "忘了贴现率 i：分母应是 1 + i − r，而不是 1 − r。"),
    ),
))


# --- ex4 ---------------------------------------------------------------------

def _ex4(rate: float) -> float:
    return clv.npv([EX4_PROFIT] * EX4_YEARS, rate)


def _ex4_rate() -> float:
    return clv.risk_adjusted_rate(EX4_BASE, EX4_RISK, "high")


register(Task(
    id="ch2.ex4", kind="number", expected=lambda: _ex4(_ex4_rate()), atol=0.5,
    hint="先求高风险客户的贴现率 = 资金成本 × (1 + 风险概率)，再用它贴现 4 年的利润。",
    mistakes=(
        Mistake(_ex4_rate,
                "你写的像是贴现率；题目要的是 CLV（元）：先求出高风险客户的贴现率，"
                "再用它把 4 年的利润贴现后相加。"),
        Mistake(lambda: _ex4(EX4_BASE),
                "没有按风险调整贴现率：高风险客户的贴现率是 10% × (1 + 30%) = 13%。"),
        Mistake(lambda: _ex4(clv.risk_adjusted_rate(EX4_BASE, EX4_RISK, "low")),
                "用了低风险的公式 资金成本 × (1 − 风险概率)；高风险客户要乘 (1 + 风险概率)。"),
        Mistake(lambda: _ex4(EX4_BASE + EX4_RISK),
                "风险概率是乘上去的，不是加上去的：10% × (1 + 30%) = 13%，不是 40%。"),
    ),
))


# --- ex5 ---------------------------------------------------------------------

def _ex5(window: int | None = EX5_WINDOW, drop: str | None = None) -> float:
    data = illustrative_card_data()
    if drop is not None:
        data = data.assign(**{drop: 0.0})
    result = clv.card_clv(data, window=window).set_index("customer_id")
    return float(result.at[EX5_CUSTOMER, "clv"])


register(Task(
    id="ch2.ex5", kind="number", expected=_ex5, atol=0.5,
    hint="信用卡 CLV = 计算周期内的总收入 − 总成本（分配成本 + 维护成本）。",
    mistakes=(
        Mistake(lambda: _ex5(window=None),
                "计算周期是前 3 年：先筛选 year <= 3，再汇总。"),
        Mistake(lambda: _ex5(drop="maintenance_cost"),
                "总成本 = 分配成本 + 维护成本：漏了维护成本。"),
        Mistake(lambda: _ex5(drop="allocation_cost"),
                "总成本 = 分配成本 + 维护成本：漏了分配成本。"),
    ),
))


# --- ex6 / ex7: seed 002 拓展练习 ----------------------------------------------

def extension_table(reading: str = "level"):
    """The 拓展练习 equity-movement table computed by crmlab."""
    return equity.equity_movement(**EXTENSION, reading=reading)


def _closing(table) -> float:
    return float(table.set_index("item").at["closing_balance", "equity"])


def _closing_unchanged_at_opening_average() -> float:
    rows = extension_table().set_index("item")
    unchanged = rows.at["cltv_unchanged", "customers"] * EXTENSION["opening"][1]
    return float(rows.at["cltv_up", "equity"] + rows.at["cltv_down", "equity"] + unchanged)


def _closing_unchanged_at_rounded_average() -> float:
    rows = extension_table().set_index("item")
    unchanged = rows.at["cltv_unchanged", "customers"] * round(
        rows.at["subtotal_after_gain", "average_cltv"], 2)
    return float(rows.at["cltv_up", "equity"] + rows.at["cltv_down", "equity"] + unchanged)


register(Task(
    id="ch2.ex6", kind="number", expected=lambda: _closing(extension_table()), atol=1.0,
    hint="期末余额 = CLTV 上升 + CLTV 下降 + CLTV 不变三类顾客的资产之和；"
         "不变顾客人数 = 小结人数 − 上升 − 下降，人均值取小结的人均值。",
    mistakes=(
        Mistake(lambda: _closing(extension_table("change")),
                "341 和 163 是这些顾客变化后的人均 CLTV，不是增减额：不能在小结上加 341、减 163。"),
        Mistake(lambda: float(extension_table().set_index("item").at["subtotal_after_gain",
                                                                     "equity"]),
                "这是获得新顾客后的小结；期末还要反映 CLTV 上升和下降的顾客。"),
        Mistake(_closing_unchanged_at_opening_average,
                "CLTV 不变的顾客按小结的人均值（268.81 元）计算，而不是初始的 282 元。"),
        Mistake(_closing_unchanged_at_rounded_average,
                "思路对了，但人均值 268.81 是取整后的数：不变顾客的资产要用未取整的人均值 "
                "28 225 000 ÷ 105 000 = 268.8095… 计算（教材的 17 472 619 就是这样来的），"
                "否则期末余额差约 31 元。"),
    ),
))

register(Task(
    id="ch2.ex7", kind="choice", choices=tuple(EX7_OPTIONS),
    expected=lambda: next(k for k, v in EX7_OPTIONS.items()
                          if v == equity.focus_area(extension_table())),
    hint="分别比较：流失顾客的人均 CLTV 与初始人均值、新顾客与现有顾客、"
         "CLTV 上升与下降的人数和金额。",
    mistakes=(
        Mistake(lambda: "A",
                "流失顾客人均 CLTV 177 元，低于初始人均 282 元：流失的主要是低价值顾客，"
                "维系工作并不差。"),
        Mistake(lambda: "C",
                "CLTV 上升的 30 000 人（人均 341 元）远多于下降的 10 000 人（163 元），"
                "发展工作成效好。"),
    ),
))


# --- ex8 ---------------------------------------------------------------------

def _ex8(multiple) -> float:
    return EX8_MARGIN * (multiple(EX8_TO) - multiple(EX8_FROM))


register(Task(
    id="ch2.ex8", kind="number",
    expected=lambda: (clv.retention_clv(EX8_MARGIN, EX8_TO, EX8_RATE)
                      - clv.retention_clv(EX8_MARGIN, EX8_FROM, EX8_RATE)), atol=0.5,
    hint="分别用 m × r / (1 + i − r) 算 r = 0.8 和 r = 0.7 的 CLV，再相减。",
    mistakes=(
        Mistake(lambda: _ex8(lambda r: 1 / (1 + EX8_RATE - r)),
                "分子漏了 r：乘数是 r / (1 + i − r)。"),
        Mistake(lambda: _ex8(lambda r: r / (1 - r)),
                "忘了贴现率 i：分母应是 1 + i − r。"),
        Mistake(lambda: (clv.retention_clv(EX8_MARGIN, EX8_TO, EX8_RATE)
                         / clv.retention_clv(EX8_MARGIN, EX8_FROM, EX8_RATE) - 1),
                "这是增长的比例；题目问 CLV 增加多少元：两个 CLV 直接相减。"),
    ),
))
