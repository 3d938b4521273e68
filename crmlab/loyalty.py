"""Customer loyalty (顾客忠诚): levels, value effects, the ten measures, cohort retention.

The lecture (《客户关系管理》讲义, 第二节 四–六) names three levels of loyalty, three
value effects and ten criteria of loyalty (顾客忠诚度的标准), and closes with six
measures to raise loyalty. Here the criteria that transactions or complaint logs
can measure are functions; the others come from a survey (``survey_measures``).

**Purchase occasion.** As in :mod:`crmlab.rfm`, all rows of one customer on one
calendar day are one purchase occasion.

**Cohorts.** A customer's cohort is the period (month by default) of the first
purchase; period *k* is the *k*-th period after it. ``cohort_retention`` gives the
share of each cohort that bought in period *k* (period 0 = 1.0 by definition);
cells after the end of the data are NaN (not yet observable), not 0.

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": [1, 1, 2, 3, 3],
...                    "date": ["2024-01-05", "2024-02-10", "2024-01-20", "2024-02-01",
...                             "2024-02-01"]})
>>> repeat_purchase_rate(tx, customer="customer_id", date="date")
0.3333333333333333
>>> cohort_retention(tx, customer="customer_id", date="date").to_numpy().tolist()
[[1.0, 0.5], [1.0, nan]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _transactions as tx
from crmlab import _validation as validate

__all__ = [
    "EFFECTS",
    "LEVELS",
    "MEASURES",
    "PERIODS",
    "RAISE_LOYALTY",
    "churn_by_cohort",
    "cohort_counts",
    "cohort_retention",
    "customer_growth",
    "effects_table",
    "levels_table",
    "measures_table",
    "occasions",
    "purchase_intervals",
    "quality_incident_tolerance",
    "raise_loyalty_table",
    "repeat_purchase_rate",
    "survey_measures",
]

PERIODS: tuple[str, ...] = ("W", "M", "Q", "Y")

# --- concept tables (第二节 四、五; 小结) ----------------------------------------------

#: The three levels of loyalty, lowest first (code, the lecture's description, what shows it).
LEVELS = pd.DataFrame([
    ("cognitive",
     "基于产品和服务满足了个性化需求而产生的信任；只是基础层面，可能因兴趣、环境等变化而转移",
     "Trust because the offer meets one's needs; basic, shifts when interests or "
     "circumstances change",
     "调查：关心程度、认同度"),
    ("affective",
     "使用产品和服务后获得的持久满意，可能形成偏好；是对企业的一种依赖，具有一定持久性",
     "Lasting satisfaction after use, a preference; a dependence with some durability",
     "调查：满意度、对竞争产品的态度；投诉处理后的满意度"),
    ("behavioural",
     "把企业的产品和服务当作不可或缺的需要和享受：长期关系、重复购买、重点关注",
     "The offer becomes indispensable: long relationship, repeat purchase, close attention",
     "交易数据：重复购买率、购买间隔、留存率"),
], columns=["loyalty_level", "description_zh", "description_en", "evidence"])

#: The three value effects of loyalty; the lecture names them only (explanations: 本课程的解读).
EFFECTS = pd.DataFrame([
    ("market", "忠诚顾客重复购买并向他人推荐，稳定并扩大市场份额，降低获客成本",
     "Loyal customers buy again and recommend: a stable, growing market share, cheaper "
     "acquisition"),
    ("economic", "保留一个老顾客的成本低于获取新顾客；忠诚顾客购买更多、对价格不那么敏感，利润更高",
     "Keeping a customer costs less than winning one; loyal customers buy more, care less "
     "about price: higher profit"),
    ("development", "稳定的顾客群提供反馈和口碑，支持新产品推出和企业长期发展",
     "A stable customer base gives feedback and word of mouth, supporting new products "
     "and long-term growth"),
], columns=["loyalty_effect", "description_zh", "description_en"])

#: The six measures to raise loyalty (提高客户忠诚度的措施), in the lecture's order.
RAISE_LOYALTY: tuple[str, ...] = ("satisfy_needs", "differentiate", "exceed_expectations",
                                  "communicate", "technology", "employee_loyalty")

#: The ten loyalty criteria: code, the data that measure them, unit of the value.
MEASURES = pd.DataFrame([
    ("repeat_purchase", "transactions",
     r"\frac{\#\{\text{客户：购买次数} \ge 2\}}{\#\{\text{客户}\}}",
     "一定时期内购买两次及以上的顾客占比；越高越忠诚", "share"),
    ("brand_attention", "survey", r"\overline{\text{关心程度}}\ (1\text{–}5)",
     "对本企业产品、品牌的关心程度（关注新品、广告、资讯）；越高越忠诚", "score 1-5"),
    ("need_fulfilment", "survey",
     r"\frac{\sum \text{购买本企业产品次数}}{\sum \text{购买该类产品总次数}}",
     "顾客对该类产品的需求中由本企业满足的比例；越高越忠诚", "share"),
    ("price_sensitivity", "survey", r"\overline{\text{转向他牌前可接受的涨价幅度}}",
     "对价格变动的敏感程度：可接受的涨价幅度越大，越不敏感、越忠诚", "%"),
    ("competitor_attitude", "survey", r"\overline{\text{对竞争产品的兴趣}}\ (1\text{–}5)",
     "对竞争产品的好感和兴趣；越低越忠诚", "score 1-5"),
    ("identification", "survey", r"\overline{\text{认同度}}\ (1\text{–}5)",
     "对商品的认同、推荐意愿；越高越忠诚", "score 1-5"),
    ("purchase_time", "survey + transactions",
     r"\text{挑选时间中位数；购买间隔} = \frac{\text{末次} - \text{首次}}{\text{次数} - 1}",
     "购买时挑选的时间越短越忠诚（调查）；交易数据给出购买间隔（本课程补充）", "minutes / days"),
    ("quality_tolerance", "complaints + transactions",
     r"\frac{\text{投诉后 }N\text{ 天内再购买率}}{\text{未投诉顾客 }N\text{ 天内再购买率}}",
     "出现质量问题后仍继续购买的程度；比值越接近或超过 1 越忠诚", "ratio"),
    ("customer_growth", "transactions",
     r"\frac{A_t - A_{t-1}}{A_{t-1}},\ \frac{\text{新顾客}_t}{A_t}",
     "顾客数的增加幅度与新顾客获取率（A = 期内活跃顾客数）", "share"),
    ("churn", "transactions", r"\frac{\text{上期活跃、本期未购买的顾客}}{A_{t-1}}",
     "一定时期内流失的顾客占期初顾客的比例；越低越忠诚", "share"),
], columns=["measure", "data", "formula", "definition_zh", "unit"])


def levels_table() -> pd.DataFrame:
    """Return the three loyalty levels (认知/情感/行为忠诚) with the lecture's description.

    Returns
    -------
    DataFrame
        One row per level: ``loyalty_level`` and the lecture's description.

    Examples
    --------
    >>> levels_table()["loyalty_level"].tolist()
    ['cognitive', 'affective', 'behavioural']
    """
    return LEVELS.copy()


def effects_table() -> pd.DataFrame:
    """Return the three value effects of loyalty (市场/经济/发展效应).

    Returns
    -------
    DataFrame
        One row per effect: ``loyalty_effect`` and the lecture's description.

    Examples
    --------
    >>> effects_table()["loyalty_effect"].tolist()
    ['market', 'economic', 'development']
    """
    return EFFECTS.copy()


def raise_loyalty_table() -> pd.DataFrame:
    """Return the six measures to raise loyalty and the level each works on.

    The level each measure mainly works on is the course's reading (本课程的解读).

    Returns
    -------
    DataFrame
        Columns ``raise_measure`` and ``loyalty_level``.

    Examples
    --------
    >>> len(raise_loyalty_table())
    6
    """
    level = {"satisfy_needs": "affective", "differentiate": "cognitive",
             "exceed_expectations": "affective", "communicate": "cognitive",
             "technology": "behavioural", "employee_loyalty": "affective"}
    return pd.DataFrame({"raise_measure": list(RAISE_LOYALTY),
                         "loyalty_level": [level[m] for m in RAISE_LOYALTY]})


# --- purchase occasions ------------------------------------------------------------------

def _period(value: Any) -> str:
    if isinstance(value, str) and value.upper() in PERIODS:
        return value.upper()
    return validate.choice(value, "period", PERIODS, label="周期（周、月、季、年）")


def occasions(transactions: pd.DataFrame, *, customer: str = "customer_id",
              date: str = "date") -> pd.DataFrame:
    """Return the distinct purchase occasions (customer, calendar day), sorted.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.

    Returns
    -------
    DataFrame
        Columns ``customer`` and ``day`` (midnight of the purchase day), one row
        per occasion; the input is not modified.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, ``customer == date``, missing ids or
        dates that cannot be read.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 1], "d": ["2024-01-01", "2024-01-01 18:00",
    ...                                          "2024-01-03"]})
    >>> occasions(tx, customer="c", date="d")["day"].dt.day.tolist()
    [1, 3]
    """
    return _occasions(transactions, customer, date).rename(columns={"customer": customer})


def _occasion_arrays(transactions: Any, customer: Any, date: Any
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate; return the sorted customer ids and, per occasion, customer code and day."""
    tx.columns(transactions, "transactions", customer=customer, date=date)
    tx.output_name(customer, ("day",))
    ids, days = tx.read(transactions, "transactions", customer, date)
    codes, uniques = validate.id_codes(ids, f"transactions[{customer!r}]")
    occasion_customer, occasion_day, _ = tx.occasions(codes, days)
    return uniques, occasion_customer, occasion_day


def _occasions(transactions: Any, customer: Any, date: Any) -> pd.DataFrame:
    """Occasions as a frame with the columns ``customer`` (ids) and ``day`` (midnights)."""
    uniques, occasion_customer, occasion_day = _occasion_arrays(transactions, customer, date)
    return pd.DataFrame({"customer": uniques[occasion_customer],
                         "day": tx.day_dates(occasion_day)})


def repeat_purchase_rate(transactions: pd.DataFrame, *, customer: str = "customer_id",
                         date: str = "date") -> float:
    """Share of customers with at least two purchase occasions (顾客的重复购买率).

    Several rows of one customer on the same calendar day are one occasion.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase line (not modified).
    customer, date : str
        Column names (default ``"customer_id"`` and ``"date"``).

    Returns
    -------
    float
        The share, in [0, 1].

    Examples
    --------
    >>> tx = pd.DataFrame({"c": ["a", "a", "b", "b"],
    ...                    "d": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-02-01"]})
    >>> repeat_purchase_rate(tx, customer="c", date="d")
    0.5
    """
    uniques, occasion_customer, _ = _occasion_arrays(transactions, customer, date)
    counts = np.bincount(occasion_customer, minlength=len(uniques))
    return float((counts >= 2).mean())


def purchase_intervals(transactions: pd.DataFrame, *, customer: str = "customer_id",
                       date: str = "date") -> pd.DataFrame:
    """Compute per customer: occasions, first and last purchase, tenure, mean interval.

    ``mean_interval_days`` = (last − first) / (occasions − 1), NaN for one-time buyers.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.

    Returns
    -------
    DataFrame
        One row per customer (sorted): ``customer``, ``occasions``,
        ``first_purchase``, ``last_purchase``, ``tenure_days``, ``mean_interval_days``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 1, 2], "d": ["2024-01-01", "2024-01-11", "2024-01-31",
    ...                                             "2024-01-05"]})
    >>> purchase_intervals(tx, customer="c", date="d")["mean_interval_days"].tolist()
    [15.0, nan]
    """
    tx.output_name(customer, ("occasions", "first_purchase", "last_purchase", "tenure_days",
                              "mean_interval_days"))
    uniques, occasion_customer, occasion_day = _occasion_arrays(transactions, customer, date)
    count = np.bincount(occasion_customer, minlength=len(uniques))
    first, last = tx.first_and_last(occasion_customer, occasion_day)
    out = pd.DataFrame({customer: uniques, "occasions": count,
                        "first_purchase": tx.day_dates(first),
                        "last_purchase": tx.day_dates(last), "tenure_days": last - first})
    repeat = out["occasions"] > 1
    out["mean_interval_days"] = (out["tenure_days"] / (out["occasions"] - 1)).where(repeat)
    return out


def _period_numbers(days: pd.Series, period: str) -> np.ndarray:
    return days.dt.to_period(period).array.asi8


def _period_labels(ordinals: Any, period: str) -> np.ndarray:
    """Text labels ('1997-01') of period ordinals, one conversion per distinct value."""
    values = np.asarray(ordinals, dtype=np.int64)
    uniques, inverse = np.unique(values, return_inverse=True)
    labels = np.array([str(pd.Period(ordinal=int(u), freq=period)) for u in uniques],
                      dtype=object)
    return labels[inverse]


def customer_growth(transactions: pd.DataFrame, *, customer: str = "customer_id",
                    date: str = "date", period: str = "Y") -> pd.DataFrame:
    """Count active, new, retained and lost customers per period, with their rates.

    A customer is *active* in a period with at least one purchase in it, *new* in
    the period of the first purchase, *lost* in period t when active in t − 1 but
    not in t. ``growth_rate`` = (active_t − active_{t−1}) / active_{t−1}
    (顾客增加幅度); ``acquisition_rate`` = new_t / active_t (获取率); ``churn_rate``
    = lost_t / active_{t−1} (顾客流失率). The first period has no previous one (NaN).
    A last period that is cut short by the end of the data is flagged ``partial``.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.
    period : {"Y", "Q", "M", "W"}, default "Y"
        Length of the periods (years, quarters, months, weeks).

    Returns
    -------
    DataFrame
        One row per period: ``period``, ``active``, ``new``, ``retained``, ``lost``,
        ``growth_rate``, ``acquisition_rate``, ``churn_rate`` and ``partial``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, missing ids, dates that cannot be read
        (or tz-aware), or an unknown ``period``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 2, 1, 3], "d": ["2023-03-01", "2023-05-01",
    ...                                             "2024-02-01", "2024-12-31"]})
    >>> customer_growth(tx, customer="c", date="d")[["active", "new", "lost"]].values.tolist()
    [[2, 2, 0], [2, 1, 1]]
    """
    period = _period(period)
    occ = _occasions(transactions, customer, date)
    occ["p"] = _period_numbers(occ["day"], period)
    active = occ.drop_duplicates(["customer", "p"])
    first = active.groupby("customer")["p"].transform("min")
    periods = np.arange(active["p"].min(), active["p"].max() + 1)
    n_active = active.groupby("p").size().reindex(periods, fill_value=0)
    n_new = active[active["p"] == first].groupby("p").size().reindex(periods, fill_value=0)
    here = pd.MultiIndex.from_arrays([active["customer"], active["p"]])
    came_back = pd.MultiIndex.from_arrays([active["customer"], active["p"] + 1]).isin(here)
    stayed = pd.Series(came_back).groupby(active["p"].to_numpy() + 1).sum().reindex(
        periods, fill_value=0)
    previous = n_active.shift(1)
    lost = (previous - stayed).where(previous.notna())
    out = pd.DataFrame({
        "period": _period_labels(periods, period),
        "active": n_active.to_numpy(), "new": n_new.to_numpy(),
        "retained": stayed.to_numpy(), "lost": lost.fillna(0).astype("int64").to_numpy(),
    })
    prev = previous.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["growth_rate"] = (out["active"] - prev) / np.where(prev > 0, prev, np.nan)
        out["acquisition_rate"] = out["new"] / out["active"].where(out["active"] > 0)
        out["churn_rate"] = out["lost"] / np.where(prev > 0, prev, np.nan)
    end = pd.Period(occ["day"].max(), freq=period)
    out["partial"] = False
    out.loc[out.index[-1], "partial"] = occ["day"].max() < end.end_time.normalize()
    return out.astype({"active": "int64", "new": "int64", "retained": "int64"})


# --- cohorts ----------------------------------------------------------------------------

def cohort_counts(transactions: pd.DataFrame, *, customer: str = "customer_id",
                  date: str = "date", period: str = "M") -> pd.DataFrame:
    """Count active customers per cohort and period since the first purchase (long table).

    Columns ``cohort`` (the first-purchase period, text such as ``'1997-01'``),
    ``period`` (0, 1, …), ``active`` (customers of the cohort who bought in that
    period), ``cohort_size``, ``retention`` = active / cohort_size and
    ``observable`` (False for periods after the end of the data). Every
    observable cell is listed, also with 0 active customers.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.
    period : {"Y", "Q", "M", "W"}, default "M"
        Length of the periods (years, quarters, months, weeks).

    Returns
    -------
    DataFrame
        The columns described above, one row per observable cell.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, missing ids, dates that cannot be read
        (or tz-aware), or an unknown ``period``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 2], "d": ["2024-01-05", "2024-03-01", "2024-02-01"]})
    >>> cohort_counts(tx, customer="c", date="d")[["cohort", "period", "active"]].values.tolist()
    [['2024-01', 0, 1], ['2024-01', 1, 0], ['2024-01', 2, 1], ['2024-02', 0, 1], ['2024-02', 1, 0]]
    """
    period = _period(period)
    occ = _occasions(transactions, customer, date)
    occ["p"] = _period_numbers(occ["day"], period)
    active = occ.drop_duplicates(["customer", "p"]).copy()
    active["cohort"] = active.groupby("customer")["p"].transform("min")
    active["k"] = active["p"] - active["cohort"]
    last = int(active["p"].max())
    sizes = active[active["k"] == 0].groupby("cohort").size()
    counts = active.groupby(["cohort", "k"]).size()
    cohorts = sizes.index.to_numpy()
    horizon = last - int(cohorts.min())
    grid = pd.MultiIndex.from_product([cohorts, np.arange(horizon + 1)], names=["cohort", "k"])
    out = counts.reindex(grid, fill_value=0).rename("active").reset_index()
    out["cohort_size"] = sizes.reindex(out["cohort"]).to_numpy()
    out["observable"] = out["cohort"] + out["k"] <= last
    out = out[out["observable"]].copy()
    out["retention"] = out["active"] / out["cohort_size"]
    out["cohort"] = _period_labels(out["cohort"], period)
    out = out.rename(columns={"k": "period"})
    return out[["cohort", "period", "active", "cohort_size", "retention",
                "observable"]].reset_index(drop=True)


def cohort_retention(transactions: pd.DataFrame, *, customer: str = "customer_id",
                     date: str = "date", period: str = "M") -> pd.DataFrame:
    """Cohort × period-since-first-purchase table of the share of the cohort that bought.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase line (not modified).
    customer, date : str
        Column names (default ``"customer_id"`` and ``"date"``).
    period : {"M", "W", "Q", "Y"}
        Months (default), weeks, quarters or years: both the cohort (the period of
        the first purchase) and the periods counted since it.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cohort`` (text, e.g. ``'1997-01'``), columns 0, 1, 2, … (periods since the
        first purchase, named ``period``); each cell the share of the cohort with at least one
        purchase in that period. Column 0 is 1.0; cells after the end of the data are NaN.
        ``attrs["cohort_size"]`` holds the cohort sizes.

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2010), Customer-base valuation in a
    contractual setting: the perils of ignoring heterogeneity, Marketing Science
    29(1) — why pooled retention curves fall and flatten.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 2, 3], "d": ["2024-01-05", "2024-02-01",
    ...                                             "2024-01-09", "2024-02-03"]})
    >>> cohort_retention(tx, customer="c", date="d").loc["2024-01"].tolist()
    [1.0, 0.5]
    """
    long = cohort_counts(transactions, customer=customer, date=date, period=period)
    table = long.pivot(index="cohort", columns="period", values="retention")
    table.columns.name = "period"
    table.index.name = "cohort"
    table.attrs["cohort_size"] = long.drop_duplicates("cohort").set_index("cohort")[
        "cohort_size"].to_dict()
    return table


def churn_by_cohort(transactions: pd.DataFrame, *, customer: str = "customer_id",
                    date: str = "date", period: str = "M",
                    at: Iterable[int] = (1, 3, 6, 12)) -> pd.DataFrame:
    """Compute per cohort: size, one-time buyers and 1 − retention at the periods ``at``.

    ``one_time_share`` is the share of the cohort with a single purchase period
    (it never came back in a later period, up to the end of the data).
    ``churn_<k>`` = 1 − retention in period k: the share that did not buy in period
    k (未购买率). It is not churn in the strict sense — a customer who skips period
    k may buy again later — so label it "第 k 月未购买率" when you show it.
    ``churn_<k>`` is NaN where period k is not yet observable for that cohort.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.
    period : {"Y", "Q", "M", "W"}, default "M"
        Length of the periods (years, quarters, months, weeks).
    at : iterable of int, default (1, 3, 6, 12)
        Periods since the first purchase at which churn is read (each >= 1).

    Returns
    -------
    DataFrame
        One row per cohort: ``cohort``, ``cohort_size``, ``one_time_share`` and one
        ``churn_<k>`` column per ``k`` in ``at``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, missing ids, dates that cannot be read
        (or tz-aware), or an unknown ``period``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 2], "d": ["2024-01-05", "2024-02-01", "2024-01-09"]})
    >>> churn_by_cohort(tx, customer="c", date="d", at=[1])[["one_time_share", "churn_1"]
    ...                                                     ].values.tolist()
    [[0.5, 0.5]]
    """
    if isinstance(at, str | bytes | Mapping) or not isinstance(at, Iterable):
        raise validate.BilingualTypeError(
            f"at={validate.show(at)} 无效：应为若干期数组成的列表，例如 [1, 3, 6, 12]",
            f"at={validate.show(at)} is invalid: expected a list of periods such as [1, 3, 6, 12]")
    steps = [validate.integer(k, "at", minimum=1, maximum=1_200) for k in at]  # 100 years
    long = cohort_counts(transactions, customer=customer, date=date, period=period)
    occ = _occasions(transactions, customer, date)
    occ["p"] = _period_numbers(occ["day"], _period(period))
    periods_per_customer = occ.drop_duplicates(["customer", "p"]).groupby("customer").size()
    first = occ.groupby("customer")["p"].min()
    cohort = pd.Series(_period_labels(first.to_numpy(), _period(period)), index=first.index)
    one_time = (periods_per_customer == 1).groupby(cohort).mean()
    sizes = long.drop_duplicates("cohort").set_index("cohort")["cohort_size"]
    out = pd.DataFrame({"cohort_size": sizes, "one_time_share": one_time.reindex(sizes.index)})
    wide = long.pivot(index="cohort", columns="period", values="retention")
    for k in steps:
        out[f"churn_{k}"] = 1 - (wide[k] if k in wide.columns else np.nan)
    out.index.name = "cohort"
    return out.reset_index()


# --- the other measures -------------------------------------------------------------------

def quality_incident_tolerance(complaint_log: pd.DataFrame, orders: pd.DataFrame, *,
                               customer: str = "customer_id", date: str = "date",
                               days: int = 90, types: Iterable[str] = ("quality",),
                               between: tuple[Any, Any] | None = None) -> float:
    """Compare repurchase after an upheld quality complaint with customers who never complained.

    = (repurchase rate within ``days`` after the complaints of ``types`` — product
    quality by default — that were upheld and settled, whatever the handling) / (the
    same rate after the orders of customers who never complained about anything);
    see :func:`crmlab.complaints.service_recovery`. Near or above 1: customers bear
    quality incidents (对产品质量事故的承受能力高).

    The ratio is observational: how well the complaint was handled changes it too
    (well-handled complainers come back more often), so it mixes the customers'
    tolerance with the firm's service recovery.

    Parameters
    ----------
    complaint_log : DataFrame
        The complaint event log (columns ``complaints.LOG_COLUMNS``) or its summary.
    orders : DataFrame
        One row per order, with ``customer`` and ``date``.
    customer, date : str, default "customer_id" and "date"
        Column names in ``orders``.
    days : int, default 90
        Window after the complaint (or order) in which a repurchase counts.
    types : str or iterable of str, default ("quality",)
        Complaint types counted as incidents (codes of ``complaints.TYPES``; one
        code may be given alone).
    between : (date-like, date-like), optional
        Only complaints recorded, and baseline orders placed, in these days
        (default: the whole log; the baseline then spans the complaint days).

    Returns
    -------
    float
        The ratio of the two repurchase rates.

    Raises
    ------
    ValueError
        No upheld complaints of ``types`` or no customers who never complained
        (and the errors of :func:`crmlab.complaints.service_recovery`).

    Examples
    --------
    >>> from crmlab.synthetic import complaint_log, shop_orders
    >>> round(quality_incident_tolerance(complaint_log(), shop_orders()), 2)
    1.22
    """
    from crmlab import complaints

    validate.frame(complaint_log, "complaint_log")
    # an event log (it has seq) is summarised; a summary is used as it is
    table = complaints.summary(complaint_log) if "seq" in complaint_log.columns else (
        validate.frame(complaint_log, "complaint_log",
                       columns=("complaint_type", "opened_at", "customer_id")))
    kinds = [validate.choice(t, "types", complaints.TYPES)
             for t in ((types,) if isinstance(types, str) else types)]
    picked = table[table["complaint_type"].isin(kinds)]
    if between is not None:
        start, end = validate.date_pair(between, "between")
        picked = picked[(picked["opened_at"] >= start)
                        & (picked["opened_at"] < end + pd.Timedelta(days=1))]
    base = complaints.service_recovery(table, orders, customer=customer, date=date,
                                       days=days, between=between).set_index("handling")
    if picked.empty or "no_complaint" not in base.index:
        raise _two_groups_needed(kinds, between)
    after = complaints.service_recovery(picked, orders, customer=customer, date=date,
                                        days=days).set_index("handling")
    upheld = after.drop(index=[h for h in ("rejected", "open", "no_complaint")
                               if h in after.index])
    if upheld["judged"].sum() == 0:
        raise _two_groups_needed(kinds, between)
    rate = upheld["repurchased"].sum() / upheld["judged"].sum()
    baseline = base.loc["no_complaint", "repurchase_rate"]
    if not baseline > 0:  # 0 (nobody bought again) or NaN (nothing judged yet): no ratio
        raise validate.BilingualValueError(
            f"从未投诉的顾客在 days={validate.show(days)} 天内的复购率为 "
            f"{validate.show(baseline)}：没有可比的基准，比值无定义；请放宽 days 或 between",
            f"customers who never complained have a repurchase rate of "
            f"{validate.show(baseline)} within days={validate.show(days)}: no baseline, the "
            f"ratio is undefined; widen days or between")
    return float(rate / baseline)


def _two_groups_needed(kinds: list[str], between: Any) -> ValueError:
    shown = f"types={kinds}" + ("" if between is None else f"、between={validate.show(between)}")
    shown_en = f"types={kinds}" + ("" if between is None
                                    else f", between={validate.show(between)}")
    return validate.BilingualValueError(
        f"{shown} 下需要两组数据：已处理（受理）的投诉，和从未投诉的顾客；其中一组是空的",
        f"with {shown_en} both groups are needed: handled (upheld) complaints and customers "
        f"who never complained; one of them is empty")


SURVEY_COLUMNS = ("brand_attention", "category_purchases", "our_purchases",
                  "price_tolerance_pct", "competitor_interest", "identification",
                  "choice_minutes", "quality_tolerance")


def survey_measures(survey: pd.DataFrame) -> pd.DataFrame:
    """Compute the survey-based loyalty measures: one value per measure, with respondents counted.

    Expects the columns of ``datasets/synthetic/loyalty_survey.csv``. Missing
    answers are left out of each measure and counted in ``missing``.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent with the columns ``SURVEY_COLUMNS``.

    Returns
    -------
    DataFrame
        One row per measure: ``measure``, ``value``, ``missing``, ``respondents``.

    Raises
    ------
    TypeError
        A survey column is not numeric.
    ValueError
        Ratings outside 1–5, ``our_purchases`` not in [0, category_purchases],
        infinite values or negative ``choice_minutes``.

    Examples
    --------
    >>> s = pd.DataFrame({"brand_attention": [4, 2], "category_purchases": [10, 5],
    ...                   "our_purchases": [5, 5], "price_tolerance_pct": [10, 20],
    ...                   "competitor_interest": [2, 4], "identification": [5, 3],
    ...                   "choice_minutes": [5, 15], "quality_tolerance": [3, 3]})
    >>> survey_measures(s).set_index("measure")["value"].round(3).to_dict()["need_fulfilment"]
    0.667
    """
    validate.frame(survey, "survey", columns=list(SURVEY_COLUMNS))
    for column in SURVEY_COLUMNS:
        values = survey[column]
        if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
                values.dtype):
            raise validate.BilingualTypeError(
                f"survey[{column!r}] 应为数字，实际类型为 {values.dtype}",
                f"survey[{column!r}] has dtype {values.dtype}: expected numbers")
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        bad = np.isinf(numbers) | ((numbers < 0) if column == "choice_minutes" else False)
        if bad.any():  # -500 minutes or inf would move the average without a word
            where = validate.rows(survey.index, bad, numbers)
            raise validate.BilingualValueError(
                f"survey[{column!r}] 在行 {where} 是负数或无穷大：应为有限的数"
                + ("（分钟数 >= 0）" if column == "choice_minutes" else ""),
                f"survey[{column!r}] is negative or infinite at rows {where}: expected finite "
                f"numbers" + (" (minutes >= 0)" if column == "choice_minutes" else ""))
    likert = ["brand_attention", "competitor_interest", "identification", "quality_tolerance"]
    for column in likert:
        v = survey[column].dropna()
        if ((v < 1) | (v > 5)).any():
            rows = validate.rows(v.index, (v < 1) | (v > 5), v.tolist())
            raise validate.BilingualValueError(
                f"survey[{column!r}] 在行 {rows} 不在 1–5 分之间：应为 1 到 5 的评分",
                f"survey[{column!r}] is outside 1-5 at rows {rows}: expected ratings 1 to 5")
    both = survey[["category_purchases", "our_purchases"]].dropna()
    if (both["our_purchases"] > both["category_purchases"]).any() or (both < 0).any().any():
        rows = validate.rows(both.index, (both["our_purchases"] > both["category_purchases"])
                             | (both < 0).any(axis=1), both["our_purchases"].tolist())
        raise validate.BilingualValueError(
            f"survey['our_purchases'] 在行 {rows} 超出范围：应在 0 与 category_purchases 之间",
            f"survey['our_purchases'] is out of range at rows {rows}: expected a value in "
            f"[0, category_purchases]")
    n = len(survey)
    rows = [
        ("brand_attention", survey["brand_attention"].mean(),
         survey["brand_attention"].isna().sum()),
        ("need_fulfilment", both["our_purchases"].sum() / both["category_purchases"].sum(),
         n - len(both)),
        ("price_sensitivity", survey["price_tolerance_pct"].mean(),
         survey["price_tolerance_pct"].isna().sum()),
        ("competitor_attitude", survey["competitor_interest"].mean(),
         survey["competitor_interest"].isna().sum()),
        ("identification", survey["identification"].mean(),
         survey["identification"].isna().sum()),
        ("purchase_time", survey["choice_minutes"].median(),
         survey["choice_minutes"].isna().sum()),
        ("quality_tolerance", survey["quality_tolerance"].mean(),
         survey["quality_tolerance"].isna().sum()),
    ]
    out = pd.DataFrame(rows, columns=["measure", "value", "missing"])
    out["respondents"] = n
    out["value"] = out["value"].astype(float)
    return out.astype({"missing": "int64"})


def measures_table(transactions: pd.DataFrame, *, complaint_log: pd.DataFrame | None = None,
                   survey: pd.DataFrame | None = None, customer: str = "customer_id",
                   date: str = "date", period: str = "Y", days: int = 90) -> pd.DataFrame:
    """Return the ten loyalty criteria of the lecture, with a value wherever the data allow.

    Transactions give 重复购买率, the purchase interval (购买时间), the growth and
    acquisition rates and the churn rate; with ``complaint_log`` also
    质量事故承受能力 (product-quality complaints only); with ``survey`` the survey
    measures. All transaction and complaint measures use **one period**: the last
    *complete* one (a last period cut short by the end of the data is skipped; the
    whole data if there are fewer than two complete periods). ``source`` names it.
    Rows without data keep NaN and say which data would measure them (``source``).

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line (not modified).
    complaint_log : DataFrame, optional
        The complaint event log, for 质量事故承受能力.
    survey : DataFrame, optional
        The loyalty survey, for the survey measures.
    customer, date : str, default "customer_id" and "date"
        Column names of the customer id and the purchase date.
    period : {"Y", "Q", "M", "W"}, default "Y"
        Length of the periods (years, quarters, months, weeks).
    days : int, default 90
        Repurchase window of ``quality_incident_tolerance``.

    Returns
    -------
    pandas.DataFrame
        ``MEASURES`` with ``value``, ``value_2`` (a second figure where the criterion
        has two: the acquisition rate beside growth, the purchase interval in days
        beside the survey's choosing time) and ``source`` (what the value was
        computed from).

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 1, 2, 3, 3],
    ...                    "d": ["2023-05-01", "2024-01-05", "2024-06-01", "2024-03-01",
    ...                          "2024-12-31"]})
    >>> table = measures_table(tx, customer="c", date="d").set_index("measure")
    >>> float(table.loc["repeat_purchase", "value"])        # 2024 only: customer 3 of 3
    0.3333333333333333
    >>> table.loc["repeat_purchase", "source"]
    'transactions 2024'
    """
    days = validate.integer(days, "days", minimum=1, maximum=100_000, label="复购窗口天数")
    out = MEASURES[["measure", "data", "unit"]].copy()
    out["value"] = np.nan
    out["value_2"] = np.nan
    out["source"] = "—"
    at = dict(zip(out["measure"], out.index, strict=True))
    growth = customer_growth(transactions, customer=customer, date=date, period=period)
    complete = growth[~growth["partial"]]
    window, label = transactions, "transactions"
    between = None
    if len(complete) >= 2:
        # one period for every transaction measure: the last complete one
        last = complete.iloc[-1]
        label = f"transactions {last['period']}"
        span = pd.Period(last["period"], freq=_period(period))
        between = (span.start_time.normalize(), span.end_time.normalize())
        days_of = validate.dates(transactions[date], f"transactions[{date!r}]")
        window = transactions[(days_of >= between[0]) & (days_of <= between[1])]
        out.loc[at["customer_growth"], ["value", "value_2", "source"]] = (
            float(last["growth_rate"]), float(last["acquisition_rate"]), label)
        out.loc[at["churn"], ["value", "source"]] = (float(last["churn_rate"]), label)
    out.loc[at["repeat_purchase"], ["value", "source"]] = (
        repeat_purchase_rate(window, customer=customer, date=date), label)
    intervals = purchase_intervals(window, customer=customer, date=date)
    out.loc[at["purchase_time"], ["value_2", "source"]] = (
        float(intervals["mean_interval_days"].median()), label)
    if complaint_log is not None:
        out.loc[at["quality_tolerance"], ["value", "source"]] = (
            quality_incident_tolerance(complaint_log, transactions, customer=customer,
                                       date=date, days=days, between=between),
            "complaints + " + label)
    if survey is not None:
        for measure, value in survey_measures(survey)[["measure", "value"]].itertuples(
                index=False):
            if measure == "purchase_time":
                out.loc[at[measure], "value"] = value
                out.loc[at[measure], "source"] = "survey + " + label
            elif measure == "quality_tolerance" and complaint_log is not None:
                continue
            else:
                out.loc[at[measure], ["value", "source"]] = (value, "survey")
    return out
