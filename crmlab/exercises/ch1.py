"""Chapter 1 tasks (客户的选择): whale curve, ABC classes, screening scorecard, elastic customers.

From hand calculation (the whale-curve shares of ten customers) to data analysis
on the B2B customer file. The exercise file is the lecture's generator run with
another seed, so no number printed in the lecture notebook is an answer here.
"""

from __future__ import annotations

import io
import warnings
from functools import cache

import pandas as pd

from crmlab import glossary, pareto, selection
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Choice, Discussion, Labels, Number, Share

__all__ = ["chapter"]

chapter = Chapter(__name__, "客户的选择")

#: Seed of the exercise data (the lecture's file uses ``crmlab.synthetic.b2b.SEED``).
EXERCISE_SEED = 20_250_302

#: ten customers' profits (万元) for the hand calculation (the course's own numbers)
TEN = {"甲": 12, "乙": -4, "丙": 45, "丁": 3, "戊": 20, "己": -6, "庚": 8, "辛": 0,
       "壬": 25, "癸": -3}

#: weights of the scorecard task, in percent as a sales manager would write them
PERCENT_WEIGHTS = {"purchase": 20, "profitability": 35, "safety": 25, "future": 10,
                   "cooperation": 10}


@cache
def _customers() -> pd.DataFrame:
    from crmlab.synthetic import b2b

    frame = b2b.b2b_customers(EXERCISE_SEED)
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)))  # as a loader returns it


def _data() -> dict[str, pd.DataFrame]:
    return {"customers": _customers()}


def _ten(g: dict) -> pd.Series:
    return pd.Series(g["profits"], dtype=float)


def _card(data: pd.DataFrame, weights: dict, **options) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return selection.scorecard(selection.screening_dimensions(data), weights, **options)


# --- ex1–ex3: the whale curve by hand ------------------------------------------------

chapter.task(
    Share(decimals=4), given={"profits": TEN},
    expected=lambda g: float(pareto.sherden_shares(_ten(g)).loc[0, "top_share"]),
    hint="先把 10 个客户按利润从高到低排好，前 20% 就是前 2 个；它们的利润之和除以 10 个客户的"
         "利润总额（含亏损客户）。",
    mistakes=[
        Mistake(lambda g: float(_ten(g).iloc[:2].sum() / _ten(g).sum()),
                "你取的是表中排在前面的 2 个客户：要先按利润从高到低排序。"),
        Mistake(lambda g: float(_ten(g).nlargest(2).sum() / _ten(g).clip(lower=0).sum()),
                "分母应是全部客户的利润总额（亏损客户的负利润也要算进去），"
                "不是盈利客户的利润之和。"),
    ],
)

chapter.task(
    Share(decimals=4), given={"profits": TEN},
    expected=lambda g: float(pareto.sherden_shares(_ten(g)).loc[0, "bottom_share"]),
    hint="排序后的最后 3 个客户（后 30%）的利润之和，除以利润总额；亏损时结果是负数。",
    mistakes=[
        Mistake(lambda g: float(_ten(g).iloc[-3:].sum() / _ten(g).sum()),
                "你取的是表中最后 3 行：要先按利润从高到低排序，再取最后 3 个。"),
        Mistake(lambda g: float(_ten(g).nsmallest(3).sum() / _ten(g).clip(lower=0).sum()),
                "分母应是全部客户的利润总额，不是盈利客户的利润之和。"),
    ],
)

chapter.task(
    Share(decimals=4), given={"profits": TEN},
    expected=lambda g: float(pareto.sherden_shares(_ten(g)).loc[0, "peak_share"]),
    hint="鲸鱼曲线的最高点在最后一个盈利客户处：全部盈利客户的利润之和 ÷ 利润总额。",
    mistakes=[
        Mistake(lambda g: 1.0,
                "鲸鱼曲线的终点是 100%，但有亏损客户时它的最高点「超过」100%："
                "把所有盈利客户的利润加起来，再除以总利润。", trivial=True),
        Mistake(lambda g: float(_ten(g).nlargest(2).sum() / _ten(g).sum()),
                "这是前 20% 客户的占比；峰值要一直累加到最后一个盈利客户。"),
    ],
)

# --- ex4–ex6: the customer file ---------------------------------------------------------

chapter.task(
    Share(decimals=4), given=_data,
    expected=lambda g: float(pareto.sherden_shares(g["customers"]["profit"]).loc[0, "top_share"]),
    hint="按利润（profit）从高到低排序，前 20% 客户的利润之和 ÷ 利润总额；"
         "可以用 pareto.sherden_shares(customers['profit'])。",
    mistakes=[
        Mistake(lambda g: float(pareto.sherden_shares(g["customers"]["sales"]).loc[0,
                                                                               "top_share"]),
                "你用的是销售额（sales）：谢登法则说的是利润（profit）的集中程度。"),
        Mistake(lambda g: float(pareto.sherden_shares(g["customers"]["gross_profit"]).loc[
            0, "top_share"]),
                "你用的是毛利（gross_profit）：本题问的是扣除服务成本、资金成本和坏账之后的"
                "客户利润（profit）。"),
    ],
)


def _abc_count(values: pd.Series, strict: bool = False) -> int:
    if strict:
        ordered = values.sort_values(ascending=False)
        return int((ordered.cumsum() / ordered.sum() < 0.8).sum())
    return int((pareto.abc_classes(values)["abc_class"] == "A").sum())


chapter.task(
    Number(decimals=0), given=_data,
    expected=lambda g: _abc_count(g["customers"]["sales"]),
    hint="按销售额从高到低累加，A 类是累计占比刚好达到 80% 所需的最少客户"
         "（包括达到 80% 的那一个）。可以用 pareto.abc_classes(customers['sales'])。",
    mistakes=[
        Mistake(lambda g: _abc_count(g["customers"]["sales"], strict=True),
                "差了一个客户：A 类要包括使累计占比「达到」80% 的那个客户（数累计占比 < 80% "
                "的客户会少一个）。"),
        Mistake(lambda g: _abc_count(g["customers"]["profit"]),
                "ABC 分类法这里按销售额（sales）分类，你用的是利润。"),
    ],
)


def _big_losers(g: dict, n: int = 30, by: str = "sales") -> int:
    top = g["customers"].nlargest(n, by)
    return int((top["profit"] < 0).sum())


chapter.task(
    Number(decimals=0), given=_data,
    expected=_big_losers,
    hint="先取销售额（sales）最大的 30 家客户，再数其中利润（profit）小于 0 的有几家。",
    mistakes=[
        Mistake(lambda g: int((g["customers"]["profit"] < 0).sum()),
                "这是全部客户中亏损的家数；本题只看销售额最大的 30 家。"),
        Mistake(lambda g: _big_losers(g, by="gross_profit"),
                "你按毛利挑了前 30 家：本题按购买额（sales）挑大客户。"),
    ],
)

# --- ex7–ex8: the screening scorecard ---------------------------------------------------


def _top5(g: dict, **options) -> list[str]:
    return _card(g["customers"], g["weights"], **options)["customer_id"].head(5).tolist()


def _top5_raw(g: dict) -> list[str]:
    dims = selection.screening_dimensions(g["customers"])
    w = pd.Series(g["weights"], dtype=float)
    raw = (dims[list(w.index)] * w).sum(axis=1)
    return dims.loc[raw.sort_values(ascending=False, kind="stable").index[:5],
                    "customer_id"].tolist()


def _ex7_given() -> dict:
    return {"customers": _customers(), "weights": dict(PERCENT_WEIGHTS)}


chapter.task(
    Labels(names=("第 1 名", "第 2 名", "第 3 名", "第 4 名", "第 5 名"),
           example='["K0001", "K0002", "K0003", "K0004", "K0005"]'),
    given=_ex7_given,
    expected=_top5,
    hint="先用 selection.screening_dimensions 得到五个维度，权重换算成合计 1，"
         "用最小–最大法标准化后加权求和，取总分最高的 5 家。",
    mistakes=[
        Mistake(_top5_raw,
                "你没有先标准化：购买额以元计、回款率是 0–1 的比例，直接加权时购买额压倒了"
                "其他维度。先把每个维度换算到 0–1（最小–最大法）。"),
        Mistake(lambda g: _top5(g, method="rank"),
                "这是用排名百分位（rank）标准化的结果；本题要求最小–最大法（minmax）。"),
    ],
)


def _left_top(g: dict) -> int:
    dims = selection.screening_dimensions(g["customers"])
    base, _ = selection.validate_weights(g["weights"])
    table = selection.weight_sensitivity(dims, base.to_dict(), change=0.1, top=20)
    row = table[(table["criterion"] == "future") & (table["change"] > 0)].iloc[0]
    return len([c for c in row["left"].split(", ") if c])


chapter.task(
    Number(decimals=0), given=_ex7_given,
    expected=_left_top,
    hint="把未来性的权重加 0.1，其余四个权重按比例缩小、使合计仍为 1；重新排名后，"
         "原来前 20 名中有几家掉出了前 20？可以用 selection.weight_sensitivity(..., change=0.1, "
         "top=20)。",
    mistakes=[
        Mistake(lambda g: 20 - _left_top(g),
                "你数的是仍留在前 20 名的客户；本题问掉出前 20 名的有几家。"),
    ],
)

# --- ex9: attractiveness × fit ------------------------------------------------------------

_SEGMENTS = pd.DataFrame({
    "segment": ["医疗器械厂", "食品加工厂", "汽车零部件厂"],
    "market_size": [2, 5, 4], "market_growth": [5, 2, 2], "risk": [4, 2, 3],
    "resource_fit": [2, 5, 2], "channel_access": [3, 4, 4], "cost": [4, 4, 2],
})
_A_WEIGHTS = {"market_size": 0.3, "market_growth": 0.5, "risk": 0.2}
_F_WEIGHTS = {"resource_fit": 0.6, "channel_access": 0.2, "cost": 0.2}


def _regions(g: dict, equal: bool = False) -> list[str]:
    table = selection.attractiveness_fit(
        g["ratings"], None if equal else g["attractiveness_weights"],
        None if equal else g["fit_weights"], midpoint=3.0)
    return [glossary.value_label("segment_decision", c) for c in table["segment_decision"]]


_DECISIONS = {code: zh for code, (zh, _en) in glossary.VALUES["segment_decision"].items()}

chapter.task(
    Labels(names=tuple(_SEGMENTS["segment"]), example='["重点进入", "放弃", "选择性经营"]',
           codes=_DECISIONS),
    given={"ratings": _SEGMENTS, "attractiveness_weights": _A_WEIGHTS, "fit_weights": _F_WEIGHTS},
    expected=_regions,
    hint="每个细分市场：吸引力 = 吸引力因子得分的加权和，匹配程度 = 匹配因子得分的加权和；"
         "两者都以 3 分为界（≥ 3 为高），再对照四个区域：重点进入、先提升匹配度再进入、"
         "选择性经营、放弃。",
    mistakes=[
        Mistake(lambda g: _regions(g, equal=True),
                "你对各因子用了相同的权重：本题给了权重（例如市场增长率占吸引力的 50%）。"),
    ],
)

# --- ex10: elastic customers ----------------------------------------------------------------

_LETTERS = {"value_outweighs_cash_drain": "A", "within_service_capacity": "B",
            "financially_sound": "C"}


def _elastic(g: dict) -> str:
    check = selection.elastic_checklist(
        value_outweighs_cash_drain=g["annual_loss"] <= g["cash_the_company_can_spare"],
        within_service_capacity=g["support_hours"] <= g["spare_service_hours"],
        financially_sound=g["collection_rate"] >= 0.97 and g["days_to_pay"] <= 90)
    failed = check.loc[0, "failed"]
    return _LETTERS[failed.split(", ")[0]] if failed else "D"


ELASTIC_OPTIONS = {"A": "隐性价值大于显性亏损（没有影响日常经营的大量现金净流出）",
                   "B": "在企业服务能力允许的范围内",
                   "C": "客户财务状况良好",
                   "D": "三个前提都满足，可以保留"}

chapter.task(
    Choice(ELASTIC_OPTIONS),
    given={"options": ELASTIC_OPTIONS, "annual_loss": 6_000_000,
           "cash_the_company_can_spare": 1_500_000,
           "support_hours": 300, "spare_service_hours": 800, "collection_rate": 0.99,
           "days_to_pay": 35},
    expected=_elastic,
    hint="逐条对照讲义的三个前提：亏损的规模（企业承受得起吗？）、企业的服务能力、客户的财务状况。",
    mistakes=[
        Mistake(lambda g: "D", "这家客户每年的亏损远超企业能承受的现金流出，影响日常经营："
                               "即使它有口碑价值，也不满足第一个前提。"),
        Mistake(lambda g: "C", "客户回款率高、回款及时，财务状况良好，第三个前提是满足的。"),
        Mistake(lambda g: "B", "企业富余的服务能力足够支持这家客户，第二个前提是满足的。"),
    ],
)

# --- ex11: which customers to drop (discussion) -----------------------------------------------


def _drop_answer(g: dict) -> str:
    data = g["customers"].copy()
    card = _card(data, PERCENT_WEIGHTS)
    worst = data.set_index("customer_id").loc[card["customer_id"].tail(5)]
    growth = data["sales"] / data["sales_last_year"] - 1
    young = data[(growth > 0.6) & (data["profit"] < 0)]
    return (f"评分最低的 5 家（{'、'.join(worst.index)}）回款率只有 "
            f"{worst['collection_rate'].min():.0%}–{worst['collection_rate'].max():.0%}，"
            f"合计亏损 {-worst['profit'].sum():,.0f} 元，安全性差，是首先考虑淘汰或改为"
            f"预付款的客户；销售额前 30 名中的亏损客户（练习 6）亏损的原因是大折扣、"
            f"大量小额急单、专门的服务团队和很长的回款期，应先重谈价格与服务条款，谈不拢再放弃；"
            f"增长超过 60% 的"
            f"亏损小客户有 {len(young)} 家，亏损小、财务状况好，符合保留弹性客户的三个前提，"
            f"不应淘汰。评分卡只给排序，淘汰与否还要看亏损的原因、能否改善和对权重的敏感性。")


chapter.task(
    Discussion(min_chars=15, topics=(("淘汰", "放弃", "舍弃", "终止", "停止合作",
                                      "不再"),
                                     ("保留", "留下", "继续", "弹性"),
                                     ("回款", "坏账", "安全", "财务", "信用"),
                                     ("亏损", "利润", "盈利", "成本", "折扣"),
                                     ("评分", "排名", "增长", "成长", "潜力", "大客户")),
               min_topics=3,
               prompt="说清楚你建议淘汰哪些客户、保留哪些客户，理由是什么（例如回款、亏损的原因、"
                      "成长性）"),
    given=_data,
    expected=_drop_answer,
)
