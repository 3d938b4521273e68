"""Customer (segment) profitability: volume-based vs. activity-based costing.

Both methods start from the same facts — each segment's sales and direct cost,
and a few overhead pools (管理费用, 销售费用, ...) — and differ only in how the
pools are shared out:

* **VBC** (volume-based costing, 基于产量的成本分摊法): each pool is split in
  proportion to one volume base, e.g. direct cost or sales (``volume_based``).
* **ABC** (activity-based costing, 作业成本法 — not the 80/15/5 ABC 分类法 of
  chapter 4): each pool is first split into
  activities (order handling, sales visits, service calls, ...); each activity's
  cost is then split in proportion to how many units of its *driver* (orders,
  visits, calls) each segment consumes (``activity_based``).

The worked example (segments 甲/乙/丙) is the one of 《客户组合分析》讲义. The
activities and drivers behind its ABC result are the course's design: the lecture
prints only the allocations. Both return the table of the lecture slide as a
tidy frame: one row per segment and a final ``"total"`` row; columns ``sales``,
``direct_cost``, one column per pool, ``total_cost`` and ``segment_profit``.
``layout`` turns it into the slide's layout (items as rows, 合计 first, then the
segments).

Money is unit-free here (the lecture uses 万元); shares are exact for the lecture's
figures because every allocation is computed as ``pool * base / sum(base)``.

>>> import pandas as pd
>>> seg = pd.DataFrame({"segment": ["甲", "乙", "丙"], "sales": [100, 100, 100],
...                     "direct_cost": [20, 30, 50]})
>>> t = volume_based(seg, pools={"admin": 50, "selling": 60},
...                  bases={"admin": "direct_cost", "selling": "sales"})
>>> t["segment_profit"].tolist()
[50.0, 35.0, 5.0, 90.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["TOTAL", "activity_based", "activity_rates", "allocate", "layout",
           "method_comparison", "rank_change", "volume_based", "what_if_drivers",
           "what_if_table"]

#: The label of the total row in every costing table.
TOTAL = "total"
_BASE_COLUMNS = ("segment", "sales", "direct_cost")
_RESERVED = (*_BASE_COLUMNS, "total_cost", "segment_profit")
#: Driver quantities (orders, visits, calls) above this are a typing slip.
_QUANTITY_MAX = 1e15


# --- the one allocation rule --------------------------------------------------

def allocate(pool: float, base: Any, *, name: str = "base") -> np.ndarray:
    """Split ``pool`` in proportion to ``base``: ``pool * base_k / sum(base)``.

    The shares always add up to ``pool`` (up to floating-point rounding), also
    for tiny or huge bases (they are rescaled first, so nothing under- or
    overflows).

    Parameters
    ----------
    pool : float
        The amount to share out (元 or 万元), >= 0 and at most 10^15.
    base : list, numpy.ndarray or pandas.Series
        Non-negative weights with a positive total (direct cost, sales, driver
        quantities ...).
    name : str
        The name of ``base`` used in error messages.

    Returns
    -------
    numpy.ndarray
        One share per base value.

    Raises
    ------
    TypeError
        If ``pool`` is not a number or ``base`` holds text/booleans.
    ValueError
        If ``pool`` is negative/NaN/inf/too large, ``base`` is empty, has
        NaN/inf/negative values, or adds up to 0.

    References
    ----------
    Kaplan, R. S., & Cooper, R. (1998). *Cost & Effect: Using Integrated Cost
    Systems to Drive Profitability and Performance*. Harvard Business School Press.

    Examples
    --------
    >>> allocate(50, [20, 30, 50]).tolist()
    [10.0, 15.0, 25.0]
    """
    amount = validate.money(pool, "pool", label="费用池")
    values = validate.float_array(base, name, nonnegative=True, label="分摊基础")
    largest = values.max()
    if not largest > 0:
        raise validate.BilingualValueError(
            f"分摊基础 {name} 合计为 0：无法分摊 pool={amount:g}（每个动因数量都是 0）",
            f"{name} adds up to 0: expected a positive total to allocate pool={amount:g} "
            f"over (every driver quantity is 0)")
    with np.errstate(over="ignore"):
        total = values.sum()
    if not 1.0 <= total <= 1e200:  # rescale tiny or huge bases: no under- or overflow
        values = values / largest
        total = values.sum()
    return amount * values / total


# --- input checks -------------------------------------------------------------

def _segments(segments: Any, name: str = "segments") -> pd.DataFrame:
    """Check the segment table; return segment labels (text), sales and direct cost."""
    validate.frame(segments, name, columns=_BASE_COLUMNS)
    validate.no_missing(segments["segment"], f"{name}['segment']", label="细分市场")
    labels = segments["segment"].astype(str)
    if labels.duplicated().any():
        dup = labels[labels.duplicated()].tolist()[:5]
        raise validate.BilingualValueError(
            f"{name}['segment'] 有重复 {dup}：每个细分市场应只有一行",
            f"{name}['segment'] has duplicates {dup}: expected one row per segment")
    if (labels == TOTAL).any():
        raise validate.BilingualValueError(
            f"{name}['segment'] 用了保留的标签 {TOTAL!r}（合计行）：请换一个名字",
            f"{name}['segment'] uses the reserved label {TOTAL!r}: expected another name")
    out = pd.DataFrame({"segment": labels.to_numpy()})
    for column, label in (("sales", "销售额"), ("direct_cost", "直接成本")):
        out[column] = validate.money_array(segments[column], f"{name}[{column!r}]",
                                           label=label)
    return out


def _pools(pools: Any) -> dict[str, float]:
    if not isinstance(pools, Mapping) or not pools:
        raise validate.BilingualTypeError(
            f"pools={validate.show(pools)} 无效：应为非空的字典 费用池名称 -> 金额，例如 "
            f"{{'admin': 50}}",
            f"pools={validate.show(pools)} is invalid: expected a non-empty mapping pool "
            f"name -> amount, e.g. {{'admin': 50}}")
    out = {}
    for key, value in pools.items():
        if not isinstance(key, str) or key in _RESERVED:
            raise validate.BilingualValueError(
                f"pools 的费用池名称 {validate.show(key)} 无效：应为新的列名，例如 'admin'",
                f"pools has an invalid pool name {validate.show(key)}: expected a new "
                f"column name such as 'admin'")
        out[key] = validate.money(value, f"pools[{key!r}]", label="费用池金额")
    return out


def _finish(frame: pd.DataFrame, pools: list[str]) -> pd.DataFrame:
    frame["total_cost"] = frame["direct_cost"] + frame[pools].sum(axis=1)
    frame["segment_profit"] = frame["sales"] - frame["total_cost"]
    total = frame.drop(columns="segment").sum().to_frame().T
    total.insert(0, "segment", TOTAL)
    return pd.concat([frame, total], ignore_index=True)


def _bases(bases: Any, pools: dict[str, float], segments: pd.DataFrame) -> dict[str, str]:
    if not isinstance(bases, Mapping):
        raise validate.BilingualTypeError(
            f"bases={validate.show(bases)} 无效：应为字典 费用池名称 -> 分摊基础的列名，例如 "
            f"{{'admin': 'direct_cost'}}",
            f"bases={validate.show(bases)} is invalid: expected a mapping pool name -> base "
            f"column, e.g. {{'admin': 'direct_cost'}}")
    missing = [p for p in pools if p not in bases]
    extra = [p for p in bases if p not in pools]
    if missing or extra:
        raise validate.BilingualValueError(
            f"bases 应为每个费用池 {list(pools)} 指定分摊基础：缺少 {missing}，多余 {extra}",
            f"bases must name a base for each pool {list(pools)}: missing {missing}, "
            f"unknown {extra}")
    columns = list(map(str, segments.columns))
    for pool in pools:
        column = bases[pool]
        if not isinstance(column, str) or column not in segments.columns:
            raise validate.BilingualValueError(
                f"bases[{pool!r}]={validate.show(column)} 无效：应为 segments 的一列，"
                f"{columns} 之一",
                f"bases[{pool!r}]={validate.show(column)} is invalid: expected a column of "
                f"segments, one of {columns}")
    return {pool: bases[pool] for pool in pools}


# --- VBC ----------------------------------------------------------------------

def volume_based(segments: pd.DataFrame, pools: Mapping[str, float],
                 bases: Mapping[str, str]) -> pd.DataFrame:
    """Volume-based costing (VBC): each pool shared in proportion to a volume base.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``segment``, ``sales``, ``direct_cost`` (and any other numeric column
        usable as a base).
    pools : mapping
        Pool name -> amount, e.g. ``{"admin": 50, "selling": 60}``.
    bases : mapping
        Pool name -> column of ``segments`` used as its base, e.g.
        ``{"admin": "direct_cost", "selling": "sales"}``.

    Returns
    -------
    pandas.DataFrame
        One row per segment plus a ``"total"`` row; columns ``segment``,
        ``sales``, ``direct_cost``, one per pool, ``total_cost``, ``segment_profit``.

    Raises
    ------
    TypeError
        If ``segments`` is not a DataFrame, ``pools``/``bases`` not mappings, or
        a money column holds text.
    ValueError
        If columns are missing, segments repeat or are missing, money is
        negative/NaN/inf/too large, a pool has no base, or a base adds up to 0.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 30], "direct_cost": [1, 3]})
    >>> volume_based(seg, {"admin": 8}, {"admin": "sales"})["admin"].tolist()
    [2.0, 6.0, 8.0]
    """
    table = _segments(segments)
    amounts = _pools(pools)
    for pool, column in _bases(bases, amounts, segments).items():
        table[pool] = allocate(amounts[pool], segments[column], name=f"segments[{column!r}]")
    return _finish(table, list(amounts))


# --- ABC ----------------------------------------------------------------------

_ACTIVITY_COLUMNS = ("activity", "pool", "cost", "driver")
_DRIVER_COLUMNS = ("activity", "segment", "quantity")


def _activity_table(activities: Any) -> pd.DataFrame:
    validate.frame(activities, "activities", columns=_ACTIVITY_COLUMNS)
    for column in _ACTIVITY_COLUMNS:
        validate.no_missing(activities[column], f"activities[{column!r}]")
    acts = pd.DataFrame({
        "activity": activities["activity"].astype(str).to_numpy(),
        "pool": activities["pool"].astype(str).to_numpy(),
        "cost": validate.money_array(activities["cost"], "activities['cost']",
                                     label="作业成本"),
        "driver": activities["driver"].astype(str).to_numpy(),
    })
    if acts["activity"].duplicated().any():
        dup = acts.loc[acts["activity"].duplicated(), "activity"].tolist()[:5]
        raise validate.BilingualValueError(
            f"activities['activity'] 有重复 {dup}：每个作业应只有一行",
            f"activities['activity'] has duplicates {dup}: expected one row per activity")
    clash = sorted(set(acts["pool"]) & set(_RESERVED))
    if clash:
        raise validate.BilingualValueError(
            f"activities['pool'] 用了保留的名字 {clash}：请换一个费用池名称",
            f"activities['pool'] uses reserved name(s) {clash}")
    return acts


def _driver_table(drivers: Any, segments: pd.Series, activities: pd.Series) -> pd.DataFrame:
    validate.frame(drivers, "drivers", columns=_DRIVER_COLUMNS)
    for column in _DRIVER_COLUMNS:
        validate.no_missing(drivers[column], f"drivers[{column!r}]")
    qty = pd.DataFrame({
        "activity": drivers["activity"].astype(str).to_numpy(),
        "segment": drivers["segment"].astype(str).to_numpy(),
        "quantity": validate.float_array(drivers["quantity"], "drivers['quantity']",
                                         nonnegative=True, maximum_abs=_QUANTITY_MAX,
                                         label="动因数量"),
    })
    for column, known in (("segment", segments), ("activity", activities)):
        unknown = sorted(set(qty[column]) - set(known))
        if unknown:
            raise validate.BilingualValueError(
                f"drivers[{column!r}] 有未知的值 {unknown[:5]}：应为 {list(known)} 之一",
                f"drivers[{column!r}] has unknown {column}(s) {unknown[:5]}: expected one of "
                f"{list(known)}")
    if qty.duplicated(["activity", "segment"]).any():
        dup = qty.loc[qty.duplicated(["activity", "segment"]),
                      ["activity", "segment"]].values.tolist()[:5]
        raise validate.BilingualValueError(f"drivers 有重复的 (activity, segment) 组合 {dup}",
                                           f"drivers has repeated (activity, segment) "
                                           f"pairs {dup}")
    totals = qty.groupby("activity")["quantity"].sum().reindex(activities, fill_value=0.0)
    bad = totals[~(totals > 0)]
    if len(bad):
        raise validate.BilingualValueError(
            f"drivers：作业 {bad.index.tolist()[:5]} 的动因数量合计为 0，它的成本无法分摊",
            f"drivers: the driver quantities of activit(y/ies) {bad.index.tolist()[:5]} add "
            f"up to 0: expected a positive total for every activity (otherwise its cost "
            f"cannot be allocated)")
    return qty


def activity_rates(activities: pd.DataFrame, drivers: pd.DataFrame,
                   segments: pd.DataFrame) -> pd.DataFrame:
    """ABC step by step: each activity's driver quantities, rate and allocation.

    Parameters
    ----------
    activities, drivers, segments : pandas.DataFrame
        As for ``activity_based``.

    Returns
    -------
    pandas.DataFrame
        One row per (activity, segment) with ``pool``, ``driver``, ``cost`` (the
        activity's cost), ``driver_quantity``, ``driver_total``, ``rate`` (cost
        per driver unit = cost / driver_total) and ``allocated``
        (= cost * driver_quantity / driver_total).

    Raises
    ------
    TypeError
        If a table is not a DataFrame or a number column holds text.
    ValueError
        If columns/labels are missing, repeated or unknown, a cost or quantity
        is negative/NaN/inf/too large, or an activity's quantities add up to 0.

    References
    ----------
    Kaplan, R. S., & Cooper, R. (1998). *Cost & Effect: Using Integrated Cost
    Systems to Drive Profitability and Performance*. Harvard Business School Press.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [1, 1], "direct_cost": [0, 0]})
    >>> act = pd.DataFrame({"activity": ["orders"], "pool": ["admin"], "cost": [10],
    ...                     "driver": ["number of orders"]})
    >>> drv = pd.DataFrame({"activity": ["orders"] * 2, "segment": ["A", "B"],
    ...                     "quantity": [30, 10]})
    >>> activity_rates(act, drv, seg)["allocated"].tolist()
    [7.5, 2.5]
    """
    seg = _segments(segments)
    acts = _activity_table(activities)
    qty = _driver_table(drivers, seg["segment"], acts["activity"])
    grid = pd.MultiIndex.from_product([acts["activity"], seg["segment"]],
                                      names=["activity", "segment"])
    long = (qty.set_index(["activity", "segment"])["quantity"]
            .reindex(grid, fill_value=0.0).rename("driver_quantity").reset_index())
    long = long.merge(acts, on="activity", how="left")
    long["driver_total"] = long.groupby("activity", sort=False)["driver_quantity"].transform(
        "sum")
    long["rate"] = long["cost"] / long["driver_total"]
    long["allocated"] = long["cost"] * long["driver_quantity"] / long["driver_total"]
    return long[["activity", "pool", "driver", "cost", "segment", "driver_quantity",
                 "driver_total", "rate", "allocated"]]


def activity_based(segments: pd.DataFrame, activities: pd.DataFrame,
                   drivers: pd.DataFrame) -> pd.DataFrame:
    """Activity-based costing (ABC): pools -> activities -> driver quantities.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``segment``, ``sales``, ``direct_cost``.
    activities : pandas.DataFrame
        One row per activity: ``activity``, ``pool`` (which overhead pool it
        belongs to), ``cost`` (its share of that pool), ``driver`` (what is
        counted, e.g. "订单数").
    drivers : pandas.DataFrame
        Long table ``activity``, ``segment``, ``quantity`` (driver units each
        segment consumed; a missing pair counts as 0).

    Returns
    -------
    pandas.DataFrame
        The same table as ``volume_based``: segments plus ``"total"``; one
        column per pool (the sum of its activities' allocations),
        ``total_cost``, ``segment_profit``.

    Raises
    ------
    TypeError
        If a table is not a DataFrame or a number column holds text.
    ValueError
        If columns/labels are missing, repeated or unknown, money or quantities
        are negative/NaN/inf/too large, or an activity's quantities add up to 0.

    References
    ----------
    Kaplan, R. S., & Cooper, R. (1998). *Cost & Effect: Using Integrated Cost
    Systems to Drive Profitability and Performance*. Harvard Business School Press.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 10], "direct_cost": [2, 2]})
    >>> act = pd.DataFrame({"activity": ["visits"], "pool": ["selling"], "cost": [8],
    ...                     "driver": ["sales visits"]})
    >>> drv = pd.DataFrame({"activity": ["visits", "visits"], "segment": ["A", "B"],
    ...                     "quantity": [3, 1]})
    >>> activity_based(seg, act, drv)["segment_profit"].tolist()
    [2.0, 6.0, 8.0]
    """
    detail = activity_rates(activities, drivers, segments)
    table = _segments(segments)
    pools = list(dict.fromkeys(detail["pool"]))
    wide = detail.pivot_table(index="segment", columns="pool", values="allocated",
                              aggfunc="sum", sort=False)
    for pool in pools:
        table[pool] = wide[pool].reindex(table["segment"]).to_numpy()
    return _finish(table, pools)


# --- display ------------------------------------------------------------------

def layout(table: pd.DataFrame) -> pd.DataFrame:
    """Reshape a costing table to the slide: items as rows; ``total`` (合计), then segments.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``volume_based`` / ``activity_based`` table (segments plus the
        ``"total"`` row).

    Returns
    -------
    pandas.DataFrame
        Index ``item`` (codes ``sales``, ``direct_cost``, the pools,
        ``total_cost``, ``segment_profit``), columns ``total`` then the segments.
        ``.pipe(glossary.zh)`` shows the slide's Chinese labels.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If columns are missing, the ``"total"`` row is missing or repeated, or
        segments are missing or repeated.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["甲"], "sales": [100], "direct_cost": [20]})
    >>> t = layout(volume_based(seg, {"admin": 5}, {"admin": "sales"}))
    >>> t.index.tolist(), t.columns.tolist()
    (['sales', 'direct_cost', 'admin', 'total_cost', 'segment_profit'], ['total', '甲'])
    >>> from crmlab import glossary
    >>> t.pipe(glossary.zh).index.tolist()
    ['销售额', '直接成本', '管理费用', '成本合计', '利润']
    """
    validate.frame(table, "table", columns=("segment", "sales", "direct_cost",
                                         "total_cost", "segment_profit"))
    validate.no_missing(table["segment"], "table['segment']", label="细分市场")
    labels = table["segment"]
    totals = int((labels == TOTAL).sum())
    if totals != 1:
        raise validate.BilingualValueError(
            f"table 有 {totals} 行 segment={TOTAL!r}：应恰好一行合计（volume_based / "
            "activity_based 的结果）",
            f"table has {totals} rows with segment={TOTAL!r}: expected exactly one total row, "
            "as volume_based / activity_based return")
    if labels.duplicated().any():
        dup = labels[labels.duplicated()].tolist()[:5]
        raise validate.BilingualValueError(
            f"table['segment'] 有重复 {dup}：每个细分市场应只有一行",
            f"table['segment'] has duplicates {dup}: expected one row per segment")
    for column in table.columns.drop("segment"):
        validate.numeric_column(table, column, what="金额")
    wide = table.set_index("segment").T
    order = [TOTAL] + [s for s in wide.columns if s != TOTAL]
    wide = wide[order]
    wide.columns = list(wide.columns)
    wide.index = pd.Index([str(i) for i in wide.index], name="item")
    return wide


def _profits(frame: Any, name: str) -> pd.DataFrame:
    """Return the segment rows of a costing table: ``segment``, numeric ``segment_profit``."""
    validate.frame(frame, name, columns=("segment", "segment_profit"))
    body = frame[frame["segment"] != TOTAL]
    validate.no_missing(body["segment"], f"{name}['segment']", label="细分市场")
    if body.empty:
        raise validate.BilingualValueError(f"{name} 只有合计行：至少需要一个细分市场",
                                           f"{name} has only the total row: expected at "
                                           f"least one segment")
    if body["segment"].duplicated().any():
        dup = body.loc[body["segment"].duplicated(), "segment"].tolist()[:5]
        raise validate.BilingualValueError(f"{name}['segment'] 有重复 {dup}",
                                           f"{name}['segment'] has duplicates {dup}")
    profit = validate.money_array(body["segment_profit"], f"{name}['segment_profit']",
                                  signed=True, label="利润")
    return pd.DataFrame({"segment": body["segment"].to_numpy(), "segment_profit": profit})


def rank_change(vbc: pd.DataFrame, abc: pd.DataFrame) -> pd.DataFrame:
    """Profit and rank of each segment under VBC and ABC, side by side.

    Rank 1 = most profitable (ties share the best rank); ``rank_shift`` > 0
    means the segment climbs under ABC.

    Parameters
    ----------
    vbc, abc : pandas.DataFrame
        Tables from ``volume_based`` and ``activity_based`` (any two costing
        tables with ``segment`` and numeric ``segment_profit``).

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``profit_vbc``, ``profit_abc``, ``rank_vbc``, ``rank_abc``,
        ``rank_shift``.

    Raises
    ------
    TypeError
        If a table is not a DataFrame or its profits are text (never ranked as
        strings).
    ValueError
        If columns are missing, profits are NaN/inf, segments repeat, or the
        two tables cover different segments.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 10], "direct_cost": [1, 3]})
    >>> v = volume_based(seg, {"admin": 4}, {"admin": "direct_cost"})
    >>> a = volume_based(seg, {"admin": 4}, {"admin": "sales"})
    >>> rank_change(v, a)["rank_shift"].tolist()
    [0, 0]
    """
    v = _profits(vbc, "vbc")
    a = _profits(abc, "abc")
    if set(v["segment"]) != set(a["segment"]):
        raise validate.BilingualValueError(
            f"vbc 和 abc 的细分市场不一致：{sorted(map(str, v['segment']))} 与 "
            f"{sorted(map(str, a['segment']))}",
            f"vbc and abc must cover the same segments: {sorted(map(str, v['segment']))} "
            f"vs {sorted(map(str, a['segment']))}")
    out = v.merge(a, on="segment", suffixes=("_vbc", "_abc"))
    out = out.rename(columns={"segment_profit_vbc": "profit_vbc",
                              "segment_profit_abc": "profit_abc"})
    out["rank_vbc"] = out["profit_vbc"].rank(ascending=False, method="min").astype(int)
    out["rank_abc"] = out["profit_abc"].rank(ascending=False, method="min").astype(int)
    out["rank_shift"] = out["rank_vbc"] - out["rank_abc"]
    return out


def method_comparison() -> pd.DataFrame:
    """Return the course's reconstruction of the ABC / RFM / VBC comparison table.

    ABC here is activity-based costing (作业成本法), not the 80/15/5 ABC
    classification (ABC 分类法). The 《客户组合分析》 slide prints only the
    table's headings (准确性, 操作成本, 操作难度 × ABC, RFM, VBC); its text says:
    accuracy ABC > RFM > VBC; operating cost and difficulty lowest for VBC, with
    RFM and ABC both needing substantial resources. Ranking ABC *above* RFM on
    cost and difficulty is the course's reading (本课程的解读), based on the
    slide's remark that ABC's data collection is too costly.

    Returns
    -------
    pandas.DataFrame
        Index ``method`` (ABC, RFM, VBC); columns ``accuracy``
        (``best``/``middle``/``worst``), ``operating_cost``
        (``lowest``/``high``/``highest``) and ``difficulty``
        (``easiest``/``hard``/``hardest``) as codes; ``.pipe(glossary.zh)``
        shows the Chinese labels.

    Raises
    ------
    ValueError
        If the packaged data file is damaged.

    References
    ----------
    Kaplan, R. S., & Cooper, R. (1998). *Cost & Effect: Using Integrated Cost
    Systems to Drive Profitability and Performance*. Harvard Business School Press.

    Examples
    --------
    >>> method_comparison().loc["ABC", "accuracy"]
    'best'
    >>> from crmlab import glossary
    >>> method_comparison().pipe(glossary.zh).loc["ABC", "准确性"]
    '最好'
    """
    from crmlab import datasets

    ranks = datasets.load_textbook("ch3_method_comparison")
    out = pd.DataFrame({
        "accuracy": ranks["accuracy_rank"].map(_ACCURACY).to_numpy(),
        "operating_cost": ranks["cost_rank"].map(_OPERATING_COST).to_numpy(),
        "difficulty": ranks["difficulty_rank"].map(_DIFFICULTY).to_numpy(),
    }, index=pd.Index(ranks["method"].to_numpy(), name="method"))
    if out.isna().any().any():
        raise validate.BilingualValueError("ch3_method_comparison.csv 的名次应为 1–3",
                                           "the ranks in ch3_method_comparison.csv must be 1, "
                                           "2 or 3")
    return out


_ACCURACY = {1: "best", 2: "middle", 3: "worst"}
_OPERATING_COST = {1: "lowest", 2: "high", 3: "highest"}
_DIFFICULTY = {1: "easiest", 2: "hard", 3: "hardest"}


# --- what-if app (lecture) ------------------------------------------------------------

def what_if_drivers(drivers: pd.DataFrame, segment: str,
                    quantities: Mapping[str, float]) -> pd.DataFrame:
    """Return a copy of ``drivers`` with ``segment``'s quantity of each named activity replaced.

    An activity the segment has no row for gets a new row (``activity_based``
    then checks it against the activities table).

    Parameters
    ----------
    drivers : pandas.DataFrame
        Long table ``activity``, ``segment``, ``quantity``.
    segment : str
        The segment whose quantities change.
    quantities : mapping
        Activity -> new quantity (>= 0).

    Returns
    -------
    pandas.DataFrame
        A new drivers table (the input is not changed).

    Raises
    ------
    TypeError
        If ``drivers`` is not a DataFrame, ``segment`` not a segment name,
        ``quantities`` not a mapping, or a quantity is not a number.
    ValueError
        If a quantity is negative/NaN/inf/too large.

    Examples
    --------
    >>> d = pd.DataFrame({"activity": ["orders", "orders"], "segment": ["A", "B"],
    ...                   "quantity": [30, 10]})
    >>> what_if_drivers(d, "A", {"orders": 15})["quantity"].tolist()
    [15.0, 10.0]
    """
    validate.frame(drivers, "drivers", columns=_DRIVER_COLUMNS)
    if not isinstance(quantities, Mapping):
        raise validate.BilingualTypeError(
            f"quantities={validate.show(quantities)} 无效：应为字典 作业 -> 动因数量",
            f"quantities={validate.show(quantities)} is invalid: expected a mapping "
            f"activity -> quantity")
    if isinstance(segment, bool) or not isinstance(segment, str | int | np.integer) \
            or segment == "":
        shown = validate.show(segment)
        raise validate.BilingualTypeError(
            f"细分市场 segment={shown} 无效：应为细分市场的名称（文字）",
            f"segment={shown} is invalid: expected a segment name")
    out = drivers.copy()
    out["quantity"] = validate.float_array(drivers["quantity"], "drivers['quantity']",
                                           nonnegative=True, maximum_abs=_QUANTITY_MAX,
                                           label="动因数量")
    mine = out["segment"].astype(str) == str(segment)
    extra = []
    for activity, value in quantities.items():
        amount = validate.number(value, f"quantities[{activity!r}]", minimum=0,
                                 maximum=_QUANTITY_MAX, label="动因数量")
        rows = mine & (out["activity"].astype(str) == str(activity))
        if rows.any():
            out.loc[rows, "quantity"] = amount
        else:
            extra.append({"activity": activity, "segment": segment, "quantity": amount})
    if extra:
        out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    return out


def what_if_table(segments: pd.DataFrame, activities: pd.DataFrame, drivers: pd.DataFrame,
                  *, segment: str, quantities: Mapping[str, float]) -> pd.DataFrame:
    """Compute the ABC table after ``segment``'s driver quantities become ``quantities``.

    The pure function behind ``widgets.ABCWhatIf``: ``activity_based`` on
    ``what_if_drivers(drivers, segment, quantities)``.

    Parameters
    ----------
    segments, activities, drivers : pandas.DataFrame
        As for ``activity_based``.
    segment : str
        The segment whose quantities change.
    quantities : mapping
        Activity -> new driver quantity (>= 0).

    Returns
    -------
    pandas.DataFrame
        The ``activity_based`` table with the new quantities.

    Raises
    ------
    TypeError
        If a table is not a DataFrame or ``quantities`` not a mapping.
    ValueError
        If the segment or an activity is unknown, a quantity is negative/NaN, or
        an activity's driver quantities add up to 0.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 10], "direct_cost": [2, 2]})
    >>> act = pd.DataFrame({"activity": ["visits"], "pool": ["selling"], "cost": [8],
    ...                     "driver": ["sales visits"]})
    >>> drv = pd.DataFrame({"activity": ["visits", "visits"], "segment": ["A", "B"],
    ...                     "quantity": [3, 1]})
    >>> what_if_table(seg, act, drv, segment="A", quantities={"visits": 1})[
    ...     "segment_profit"].tolist()
    [4.0, 4.0, 8.0]
    """
    names = _segments(segments)["segment"].tolist()
    validate.choice(segment, "segment", names, label="细分市场")
    return activity_based(segments, activities, what_if_drivers(drivers, segment, quantities))
