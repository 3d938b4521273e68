"""Chapter 6 tasks (概率模型): x, t_x, T by hand, P(alive), sBG retention, CLV, targeting.

The question data live on the tasks (``given("ch6.ex1")``); expected answers and
the answers of typical slips are computed with ``crmlab.probabilistic``. The data
differ from the lecture's: another customer, another profile, other sBG
parameters, a simulated customer base.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from crmlab import probabilistic as pb
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Discussion, Number, Numbers, Share
from crmlab.synthetic.buyers import bgnbd_summary

__all__ = ["chapter"]

chapter = Chapter(__name__, "概率模型")

#: the published CDNOW estimates (Fader, Hardie & Lee 2005a, 2005b)
BG = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


# --- ex1: x, t_x, T of one customer by hand ------------------------------------------

def _ex1(g: dict, unit: str = "W") -> list[float]:
    s = pb.calibration_summary(g["transactions"], calibration_end=g["calibration_end"],
                               unit=unit).iloc[0]
    return [float(s["x"]), float(s["t_x"]), float(s["T"])]


def _ex1_recency(g: dict) -> list[float]:
    x, t_x, T = _ex1(g)
    return [x, T - t_x, T]               # chapter 3's recency: time since the last purchase


def _ex1_rows(g: dict) -> list[float]:
    x, t_x, T = _ex1(g)
    return [x + 1, t_x, T]               # counted the first purchase or a same-day row


chapter.task(
    Numbers(decimals=2, names=("x", "t_x", "T")),
    given={"transactions": pd.DataFrame({
        "customer_id": [7] * 6,
        "date": pd.to_datetime(["1997-02-03", "1997-03-10", "1997-03-10", "1997-06-21",
                                "1997-08-30", "1997-11-05"]),
        "amount": [12.99, 25.98, 11.49, 15.99, 36.47, 13.97]}),
        "calibration_end": "1997-09-30"},
    expected=_ex1,
    hint="x 只数首购之后、校准期结束前的「不同日期」；t_x 和 T 都从首购日算起，"
         "单位是周（天数 ÷ 7）。",
    mistakes=[
        Mistake(lambda g: _ex1(g, "D"), "时间单位是周：把天数除以 7。"),
        Mistake(_ex1_recency, "t_x 是最后一次重复购买「距首购」的时间，不是距校准期结束的时间"
                              "（那是第 3 章 RFM 的“近度”）。"),
        Mistake(_ex1_rows, "x 是「重复」交易次数：首购不算；同一天的两行记录算一次交易；"
                           "11 月 5 日那次在检验期，也不算。"),
    ],
)


# --- ex2: read P(alive) for a profile ---------------------------------------------------

def _ex2(g: dict) -> float:
    model = pb.BetaGeo.from_params(**g["params"])
    return float(model.p_alive(pd.DataFrame([g["profile"]])).iloc[0])


def _ex2_inverted(g: dict) -> float:
    q = g["params"]
    p = g["profile"]
    ratio = (q["alpha"] + p["t_x"]) / (q["alpha"] + p["T"])
    return float(1 / (1 + q["a"] / (q["b"] + p["x"] - 1) * ratio ** (q["r"] + p["x"])))


def _ex2_no_r(g: dict) -> float:
    q = g["params"]
    p = g["profile"]
    ratio = (q["alpha"] + p["T"]) / (q["alpha"] + p["t_x"])
    return float(1 / (1 + q["a"] / (q["b"] + p["x"] - 1) * ratio ** p["x"]))


def _ex2_b_plus_x(g: dict) -> float:
    q = g["params"]
    p = g["profile"]
    ratio = (q["alpha"] + p["T"]) / (q["alpha"] + p["t_x"])
    return float(1 / (1 + q["a"] / (q["b"] + p["x"]) * ratio ** (q["r"] + p["x"])))


chapter.task(
    Share(decimals=3),
    given={"params": BG, "profile": {"x": 4, "t_x": 20.0, "T": 36.0}},
    expected=_ex2,
    hint="P(alive) = 1 / [1 + a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)]。",
    mistakes=[
        Mistake(_ex2_inverted, "比值写反了：应是 (α + T)/(α + t_x)，大于 1——沉默得越久，"
                               "P(alive) 越低。"),
        Mistake(_ex2_no_r, "指数是 r + x，不只是 x。"),
        Mistake(_ex2_b_plus_x, "系数是 a/(b + x − 1)，分母里要减 1。"),
    ],
)


# --- ex3: sBG retention in year 3 -------------------------------------------------------

def _sbg(g: dict) -> pb.ShiftedBetaGeometric:
    return pb.ShiftedBetaGeometric.from_params(alpha=g["alpha"], beta=g["beta"])


chapter.task(
    Share(decimals=4),
    given={"alpha": 1.2, "beta": 4.0, "year": 3},
    expected=lambda g: _sbg(g).retention(g["year"]),
    hint="sBG 的第 t 年留存率 r_t = (β + t − 1)/(α + β + t − 1)。",
    mistakes=[
        Mistake(lambda g: _sbg(g).survival(g["year"]),
                "这是存活率 S(3)（3 年后还剩多少比例）；题目要的是第 3 年的留存率 "
                "r_3 = S(3)/S(2)。"),
        Mistake(lambda g: _sbg(g).retention(g["year"] + 1), "t − 1：第 3 年的留存率用 β + 2。"),
        Mistake(lambda g: 1 - _sbg(g).retention(g["year"]), "这是流失率；留存率 = 1 − 流失率。"),
        Mistake(lambda g: g["beta"] / (g["alpha"] + g["beta"]),
                "这是第 1 年的留存率 β/(α + β)；留存率随年限上升，第 3 年要代入 t = 3。"),
    ],
)


# --- ex4: CLV of one customer -----------------------------------------------------------

def _ex4(g: dict, *, margin: float | None = None, rate: float | None = None,
         observed_spend: bool = False) -> float:
    bg = pb.BetaGeo.from_params(**g["bg"])
    gg = pb.GammaGamma.from_params(**g["gg"])
    one = pd.DataFrame([g["customer"]])
    value = float(pb.clv(bg, gg, one, horizon=g["months"],
                         rate=g["monthly_rate"] if rate is None else rate,
                         margin=g["margin"] if margin is None else margin,
                         period=52 / 12).iloc[0])
    if observed_spend:   # the slip: own mean spend instead of the Gamma-Gamma expectation
        value *= g["customer"]["monetary"] / float(gg.expected_spend(one).iloc[0])
    return value


chapter.task(
    Number(decimals=2, unit="美元"),
    given={"bg": BG, "gg": GG,
           "customer": {"x": 5, "t_x": 33.0, "T": 37.0, "monetary": 42.5},
           "months": 24, "monthly_rate": 0.01, "margin": 0.3},
    expected=_ex4,
    hint="用 probabilistic.clv：期望交易次数（BetaGeo）× 期望每笔金额（GammaGamma）× 利润率，"
         "逐月贴现；每月 = 52/12 周。",
    mistakes=[
        Mistake(lambda g: _ex4(g, margin=1.0), "忘了乘利润率 30%：CLV 是利润，不是销售额。"),
        Mistake(lambda g: _ex4(g, rate=0.0), "忘了贴现：每月 1%。"),
        Mistake(lambda g: _ex4(g, observed_spend=True),
                "每笔金额要用 Gamma-Gamma 的期望值（个人平均与总体平均的加权），"
                "不是客户过去的平均 42.5 美元。"),
    ],
)


# --- ex5: targeting decision ------------------------------------------------------------

@lru_cache(maxsize=1)
def _base() -> pd.DataFrame:
    return bgnbd_summary(400, T="cohort", days=True, seed=606)


def _ex5_clv(g: dict) -> pd.Series:
    bg = pb.BetaGeo.from_params(**g["bg"])
    gg = pb.GammaGamma.from_params(**g["gg"])
    return pb.clv(bg, gg, g["customers"], horizon=36, rate=1.15 ** (1 / 12) - 1,
                  margin=0.3, period=52 / 12)


def _ex5(g: dict, threshold: float | None = None) -> float:
    value = _ex5_clv(g)
    limit = g["cost"] / g["uplift"] if threshold is None else threshold
    return float((value > limit).sum())


chapter.task(
    Number(decimals=0),
    given=lambda: {"bg": BG, "gg": GG, "customers": _base(), "cost": 3.0, "uplift": 0.10},
    expected=_ex5,
    hint="联系一位客户的增量利润 ≈ 10% × CLV；值得联系 ⇔ 10% × CLV > 3 美元，即 CLV > 30 美元。"
         "先用 probabilistic.clv 算出每人的 CLV（3 年、年贴现 15%、利润率 30%）。",
    mistakes=[
        Mistake(lambda g: _ex5(g, g["cost"]), "比较的是「增量」利润 10% × CLV 与成本 3 美元，"
                                              "不是 CLV 本身与 3 美元。"),
        Mistake(lambda g: float(len(g["customers"])), "不是所有人都值得联系：先算每人的 CLV。"),
    ],
)


# --- ex6: interpretation ----------------------------------------------------------------

def _ex6_model_answer(g: dict) -> str:
    model = pb.BetaGeo.from_params(**g["params"])
    two = pd.DataFrame(g["profiles"])
    alive = model.p_alive(two).round(3).tolist()
    return (f"两人都买了 {g['profiles'][0]['x']} 次，但甲最后一次购买在第 "
            f"{g['profiles'][0]['t_x']:g} 周、乙在第 {g['profiles'][1]['t_x']:g} 周"
            f"（都已观察 {g['profiles'][0]['T']:g} 周）：P(alive) 分别为 {alive[0]} 和 {alive[1]}。"
            "对一位过去每隔几周就来的常客，沉默 20 多周很反常，说明他多半已经离开；"
            "而最近刚买过的乙几乎肯定还在。所以营销预算应优先给乙这样“还在且常来”的客户，"
            "对甲这样的客户若要挽回，要用成本低的方式（如邮件），并接受较低的成功率。"
            "RFM 中两人的频率得分相同，只有近度把他们区分开；概率模型把近度和频率合成了一个概率。")


chapter.task(
    Discussion(),
    given={"params": BG, "profiles": [{"x": 8, "t_x": 12.0, "T": 38.0},
                                      {"x": 8, "t_x": 37.0, "T": 38.0}]},
    expected=_ex6_model_answer,
    hint="比较两人的 P(alive)，想一想“常客沉默很久”意味着什么，以及营销预算该怎样分配。",
)
