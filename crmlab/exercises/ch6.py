"""Chapter 6 tasks (概率模型): x, t_x, T by hand, P(alive), sBG retention, CLV, targeting, a fit.

The question data live on the tasks (``given("ch6.ex1")``); expected answers and
the answers of typical slips are computed with ``crmlab.probabilistic``. The data
differ from the lecture's: another customer, another profile, other sBG
parameters, a simulated customer base.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def _ex1_end_day(g: dict) -> list[float]:
    x, t_x, T = _ex1(g)
    return [x, t_x, T + 1 / 7]           # counted 30 September itself as one more day


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
         "是两个日期之差的天数（不额外加一天），单位是周（天数 ÷ 7）。",
    mistakes=[
        Mistake(lambda g: _ex1(g, "D"), "时间单位是周：把天数除以 7。"),
        Mistake(_ex1_recency, "t_x 是最后一次重复购买「距首购」的时间，不是距校准期结束的时间"
                              "（那是第 3 章 RFM 的“近度”）。"),
        Mistake(_ex1_rows, "x 是「重复」交易次数：首购不算；同一天的两行记录算一次交易；"
                           "11 月 5 日那次在检验期，也不算。"),
        Mistake(_ex1_end_day, "题目的约定是 T = 9 月 30 日与首购日相差的天数 ÷ 7，不把 9 月 30 日"
                              "当天再算一天（讲义第 2 节：这一天之差会改变论文的结果）。"),
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
    hint="保留率是一个条件概率：第 2 年末仍在的客户中，第 3 年末还在的比例，即 S(3)/S(2)。"
         "把 S(t) = B(α, β + t)/B(α, β) 代进去，用贝塔函数的性质 B(x, y + 1) = B(x, y)·y/(x + y) "
         "化简，就能只用加减乘除算出来。",
    mistakes=[
        Mistake(lambda g: _sbg(g).survival(g["year"]),
                "这是存活率 S(3)（3 年后还剩多少比例）；题目要的是第 3 年的保留率 "
                "S(3)/S(2)。"),
        Mistake(lambda g: _sbg(g).retention(g["year"] + 1),
                "年份错了一位：第 3 年是从第 2 年末到第 3 年末，化简后出现的是 β + 2，"
                "不是 β + 3。"),
        Mistake(lambda g: 1 - _sbg(g).retention(g["year"]), "这是流失率；保留率 = 1 − 流失率。"),
        Mistake(lambda g: g["beta"] / (g["alpha"] + g["beta"]),
                "这是第 1 年的保留率 S(1)/S(0)；保留率随年限上升，第 3 年要用 S(3)/S(2)。"),
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


def _ex4_start_of_month(g: dict) -> float:
    return _ex4(g) * (1 + g["monthly_rate"])     # month k discounted by 1.01^(k-1)


chapter.task(
    Number(decimals=2, unit="美元"),
    given={"bg": BG, "gg": GG,
           "customer": {"x": 5, "t_x": 33.0, "T": 37.0, "monetary": 42.5},
           "months": 24, "monthly_rate": 0.01, "margin": 0.3},
    expected=_ex4,
    hint="用 probabilistic.clv：期望交易次数（BetaGeo）× 期望每笔金额（GammaGamma）× 利润率，"
         "逐月贴现；每月 = 52/12 周；第 k 个月的利润在月末到账，除以 1.01^k。",
    mistakes=[
        Mistake(lambda g: _ex4(g, margin=1.0), "忘了乘利润率 30%：CLV 是利润，不是销售额。"),
        Mistake(lambda g: _ex4(g, rate=0.0), "忘了贴现：每月 1%。"),
        Mistake(lambda g: _ex4(g, observed_spend=True),
                "每笔金额要用 Gamma-Gamma 的期望值（个人平均与总体平均的加权），"
                "不是客户过去的平均 42.5 美元。"),
        Mistake(_ex4_start_of_month, "贴现时点：题目约定每月的利润在「月末」到账，第 1 个月就要"
                                     "除以 1.01；你按月初到账算了（第 1 个月不贴现）。"),
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


def _ex5(g: dict, threshold: float | None = None, *, rate: float | None = None,
         period: float = 52 / 12) -> float:
    if rate is None and period == 52 / 12:
        value = _ex5_clv(g)
    else:
        bg = pb.BetaGeo.from_params(**g["bg"])
        gg = pb.GammaGamma.from_params(**g["gg"])
        value = pb.clv(bg, gg, g["customers"], horizon=36,
                       rate=1.15 ** (1 / 12) - 1 if rate is None else rate,
                       margin=0.3, period=period)
    limit = g["cost"] / g["uplift"] if threshold is None else threshold
    return float((value > limit).sum())


@dataclass(frozen=True)
class _Count(Number):
    """A head count: a near miss is a slip in the computation, never early rounding."""

    def scalar_hint(self, answer: float, expected: float) -> str | None:
        if self.fraction_in_whole(answer):
            return super().scalar_hint(answer, expected)   # a decimal head count
        if answer != expected and abs(answer - expected) <= max(5, 0.05 * abs(expected)):
            side = "多" if answer > expected else "少"
            return (f"人数{side}了几位：逐项核对——每月贴现率是年利率按复利折算的结果，一个月是 "
                    "52/12 周，期限 36 个月，比较的是「增量利润」与成本（严格大于）。")
        return super().scalar_hint(answer, expected)


chapter.task(
    _Count(decimals=0),
    given=lambda: {"bg": BG, "gg": GG, "customers": _base(), "cost": 3.0, "uplift": 0.10},
    expected=_ex5,
    hint="先想清楚比较的是哪两个数：联系一个人「多带来」的利润，和联系他「花掉」的钱。"
         "用 probabilistic.clv 算出每人的 CLV（3 年、年贴现 15%、利润率 30%），"
         "再数出前者大于后者的人数。",
    mistakes=[
        Mistake(lambda g: _ex5(g, g["cost"]), "比较的是「增量」利润（CLV 的 10%）与成本 3 美元，"
                                              "不是 CLV 本身与 3 美元。"),
        Mistake(lambda g: float(len(g["customers"])), "不是所有人都值得联系：先算每人的 CLV。"),
        Mistake(lambda g: _ex5(g, rate=0.15 / 12),
                "每月贴现率是 1.15^(1/12) − 1 ≈ 1.17%，不是 15% ÷ 12 = 1.25%"
                "（年利率按复利折算）。"),
        Mistake(lambda g: _ex5(g, period=4.0),
                "一个月是 52/12 ≈ 4.33 周，不是 4 周（period 参数）。"),
    ],
)


# --- ex6: interpretation ----------------------------------------------------------------

def _ex6_model_answer(g: dict) -> str:
    model = pb.BetaGeo.from_params(**g["params"])
    first, second = g["profiles"]
    alive = model.p_alive(pd.DataFrame(g["profiles"])).round(3).tolist()
    pace = first["t_x"] / first["x"]
    return (f"两人都重复购买了 {first['x']} 次（加上首购共 {first['x'] + 1} 次），都已观察 "
            f"{first['T']:g} 周。甲的 {first['x']} 次重复购买都在前 {first['t_x']:g} 周内，"
            f"平均约每 {pace:.1f} 周一次，之后 {first['T'] - first['t_x']:g} 周一次也没来；"
            f"乙最后一次在第 {second['t_x']:g} 周。P(alive) 分别为 {alive[0]} 和 {alive[1]}。"
            f"对一位约每 {pace:.1f} 周就来一次的常客，沉默 {first['T'] - first['t_x']:g} 周"
            "极不寻常，"
            "说明他多半已经离开；而最近刚买过的乙几乎肯定还在。所以营销预算应优先给乙这样"
            "“还在且常来”的客户，对甲若要挽回，用成本低的方式（如邮件），并接受较低的成功率。"
            "RFM 中两人的频率得分相同，只有近度把他们区分开；概率模型把近度和频率合成了一个概率。")


chapter.task(
    Discussion(),
    given={"params": BG, "profiles": [{"x": 8, "t_x": 12.0, "T": 38.0},
                                      {"x": 8, "t_x": 37.0, "T": 38.0}]},
    expected=_ex6_model_answer,
    hint="先算两人的 P(alive)；再算甲过去多久买一次、已经多久没来，想一想“常客沉默很久”"
         "意味着什么，以及营销预算该怎样分配。",
)


# --- ex7-ex9: fit a model, check it on the holdout, read its parameters -------------------

#: another calibration split of the CDNOW sample than the lecture's (52 weeks, not 39)
SPLIT = {"calibration_end": "1997-12-31", "observation_end": "1998-06-30"}
HOLDOUT_WEEKS = 181 / 7          # 1998-01-01 .. 1998-06-30


@lru_cache(maxsize=1)
def _split_summary() -> pd.DataFrame:
    from crmlab import datasets

    return pb.calibration_summary(datasets.load_cdnow("sample"), **SPLIT)


@lru_cache(maxsize=1)
def _split_model() -> pb.BetaGeo:
    return pb.BetaGeo().fit(_split_summary())


def _ex7(g: dict, *, rate=None, drop=None) -> list[float]:
    p = _split_model().params_
    rate = p["r"] / p["alpha"] if rate is None else rate(p)
    drop = p["a"] / (p["a"] + p["b"]) if drop is None else drop(p)
    return [rate, drop]


chapter.task(
    Numbers(decimals=3, names=("平均购买率 r/α（次/周）", "平均流失概率 a/(a+b)")),
    given=lambda: {"summary": _split_summary(), **SPLIT},
    expected=_ex7,
    hint="先用 probabilistic.BetaGeo().fit(...) 拟合，参数在 .params_ 里。购买率 λ 服从"
         "Gamma(r, α)，α 是尺度（单位：周），伽马分布的均值是“形状 ÷ 速率”；流失概率 p 服从"
         "Beta(a, b)，想一想贝塔分布的均值。",
    mistakes=[
        Mistake(lambda g: _ex7(g, rate=lambda p: p["alpha"] / p["r"]),
                "r/α 写反了：α/r 是两次购买之间的平均间隔，不是购买率（次/周）。"),
        Mistake(lambda g: _ex7(g, drop=lambda p: p["b"] / (p["a"] + p["b"])),
                "b/(a+b) 是每次购买后「留下」的平均概率；流失概率的均值是 a/(a+b)。"),
        Mistake(lambda g: _ex7(g, rate=lambda p: p["r"]),
                "r 只是伽马分布的形状参数；平均购买率要除以 α。"),
    ],
)


def _ex8(g: dict, weeks: float = HOLDOUT_WEEKS, *, newcomer: bool = False) -> float:
    model, s = _split_model(), _split_summary()
    if newcomer:   # the slip: every customer treated as brand new
        return float(model.expected_transactions(weeks) * len(s))
    return float(model.conditional_expected_transactions(weeks, s).sum())


chapter.task(
    Number(decimals=0),
    given=lambda: {"summary": _split_summary(), **SPLIT, "holdout_weeks": HOLDOUT_WEEKS},
    expected=_ex8,
    hint="检验期从 1998-01-01 到 1998-06-30，共 181 天。对每位客户用他自己的 x、t_x、T 求"
         "未来这段时间的期望交易次数（条件期望），再把所有人加起来。",
    mistakes=[
        Mistake(lambda g: _ex8(g, 26.0), "检验期是 181 天 = 25.86 周，不是整 26 周。"),
        Mistake(lambda g: _ex8(g, 39.0), "这份数据的检验期不是讲义的 39 周：1998-01-01 至 "
                                         "1998-06-30 共 181 天。"),
        Mistake(lambda g: _ex8(g, newcomer=True),
                "expected_transactions(t) 是「新客户」的期望；已经观察了 52 周的客户要用各自的 "
                "x、t_x、T 求条件期望 conditional_expected_transactions。"),
    ],
)


@lru_cache(maxsize=1)
def _lecture_holdout_error() -> float:
    from crmlab import datasets

    s = pb.calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30",
                               observation_end="1998-06-30")
    predicted = pb.BetaGeo().fit(s).conditional_expected_transactions(39, s).sum()
    return float(predicted / s["x_star"].sum() - 1)


def _ex9_model_answer(g: dict) -> str:
    s = _split_summary()
    rate, drop = _ex7(g)
    predicted, actual = _ex8(g), int(s["x_star"].sum())
    by_x = pd.DataFrame({"actual": s["x_star"],
                         "predicted": _split_model().conditional_expected_transactions(
                             HOLDOUT_WEEKS, s)}).groupby(s["x"].clip(upper=3)).sum()
    worst = (by_x["predicted"] / by_x["actual"] - 1).abs().idxmax()
    lecture = _lecture_holdout_error()
    return (f"模型预测检验期 {predicted:,.0f} 次，实际 {actual:,} 次，相差 "
            f"{predicted / actual - 1:+.0%}。平均购买率 {rate:.3f} 次/周"
            f"（约每 {1 / rate:.0f} 周一次），"
            f"每次重复购买后平均有 {drop:.0%} 的可能离开：大多数客户买得很少，"
            f"而且很多人买一两次就不再来。按校准期次数分组，误差最大的是 x = {worst}"
            f"{'+' if worst == 3 else ''} 组。讲义用 39 周校准时总量"
            f"{'低' if lecture < 0 else '高'}了 {abs(lecture):.0%}；"
            "这里校准期长到 52 周、包含了年底的购物季，模型看到了客户后来更高的购买水平，"
            "所以检验期的总量准得多。校准期的长短和季节会改变参数，模型本身没有季节性。")


chapter.task(
    Discussion(),
    given=lambda: {"summary": _split_summary(), **SPLIT},
    expected=_ex9_model_answer,
    hint="比较预测与实际：差多少、偏高还是偏低？把 r/α 和 a/(a+b) 翻译成“客户多久买一次”"
         "“买完以后有多大可能不再来”。校准期包含了哪些月份，会怎样影响预测？",
)
