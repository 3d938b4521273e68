"""Customer (segment) profitability: volume-based vs. activity-based costing.

Both methods start from the same facts — each segment's sales and direct cost,
and a few overhead pools (管理费用, 销售费用, ...) — and differ only in how the
pools are shared out:

* **VBC** (volume-based costing, 基于产量的成本分摊法): each pool is split in
  proportion to one volume base, e.g. direct cost or sales (``volume_based``).
* **ABC** (activity-based costing, 作业成本法): each pool is first split into
  activities (order handling, sales visits, service calls, ...); each activity's
  cost is then split in proportion to how many units of its *driver* (orders,
  visits, calls) each segment consumes (``activity_based``).

Both return the table of the lecture slide as a tidy frame: one row per segment
and a final ``"total"`` row; columns ``sales``, ``direct_cost``, one column per
pool, ``total_cost`` and ``segment_profit``. ``layout`` turns it into the slide's
layout (items as rows, 合计 first, then the segments).

Money is unit-free here (the seed uses 万元); shares are exact for the seed's
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

import numpy as np
import pandas as pd

from crmlab import _validation as check

TOTAL = "total"
BASE_COLUMNS = ("segment", "sales", "direct_cost")


# --- the one allocation rule --------------------------------------------------

def allocate(pool: float, base, *, name: str = "base") -> np.ndarray:
    """Split ``pool`` in proportion to ``base``: ``pool * base_k / sum(base)``.

    The shares always add up to ``pool`` (up to floating-point rounding).
    ``base`` must be non-negative with a positive total.

    >>> allocate(50, [20, 30, 50]).tolist()
    [10.0, 15.0, 25.0]
    """
    amount = check.number(pool, "pool")
    values = check.float_array(base, name, nonnegative=True)
    total = values.sum()
    if not total > 0:
        raise ValueError(f"{name} adds up to {total:g}: expected a positive total to "
                         f"allocate pool={amount:g} over (every driver quantity is 0)")
    if total < 1.0:  # rescale tiny bases so that pool * base cannot underflow
        values = values / values.max()
        total = values.sum()
    return amount * values / total


# --- input checks -------------------------------------------------------------

def _segments(segments: pd.DataFrame, name: str = "segments") -> pd.DataFrame:
    check.frame(segments, name, columns=BASE_COLUMNS)
    labels = segments["segment"]
    check.no_missing(labels, f"{name}['segment']")
    if labels.duplicated().any():
        dup = labels[labels.duplicated()].tolist()[:5]
        raise ValueError(f"{name}['segment'] has duplicates {dup}: expected one row per segment")
    if (labels.astype(str) == TOTAL).any():
        raise ValueError(f"{name}['segment'] uses the reserved label {TOTAL!r}")
    out = pd.DataFrame({"segment": labels.astype(str).to_numpy()})
    for column in ("sales", "direct_cost"):
        out[column] = check.float_array(segments[column], f"{name}[{column!r}]",
                                        nonnegative=True)
    return out


def _pools(pools: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(pools, Mapping) or not pools:
        raise TypeError(f"pools={pools!r} is invalid: expected a non-empty mapping "
                        f"pool name -> amount, e.g. {{'admin': 50}}")
    out = {}
    for key, value in pools.items():
        if not isinstance(key, str) or key in (*BASE_COLUMNS, "total_cost",
                                                "segment_profit"):
            raise ValueError(f"pools has an invalid pool name {key!r}: expected a new "
                             f"column name such as 'admin'")
        out[key] = check.number(value, f"pools[{key!r}]", minimum=0)
    return out


def _finish(frame: pd.DataFrame, pools: list[str]) -> pd.DataFrame:
    frame["total_cost"] = frame["direct_cost"] + frame[pools].sum(axis=1)
    frame["segment_profit"] = frame["sales"] - frame["total_cost"]
    total = frame.drop(columns="segment").sum().to_frame().T
    total.insert(0, "segment", TOTAL)
    return pd.concat([frame, total], ignore_index=True)


# --- VBC ----------------------------------------------------------------------

def volume_based(segments: pd.DataFrame, pools: Mapping[str, float],
                 bases: Mapping[str, str]) -> pd.DataFrame:
    """Volume-based costing (VBC): each pool shared in proportion to a volume base.

    Parameters
    ----------
    segments : DataFrame with ``segment``, ``sales``, ``direct_cost`` (and any
        other numeric column usable as a base).
    pools : pool name -> amount, e.g. ``{"admin": 50, "selling": 60}``.
    bases : pool name -> column of ``segments`` used as its base, e.g.
        ``{"admin": "direct_cost", "selling": "sales"}``.

    Returns
    -------
    DataFrame: one row per segment plus a ``"total"`` row; columns ``segment``,
    ``sales``, ``direct_cost``, one per pool, ``total_cost``, ``segment_profit``.

    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 30], "direct_cost": [1, 3]})
    >>> volume_based(seg, {"admin": 8}, {"admin": "sales"})["admin"].tolist()
    [2.0, 6.0, 8.0]
    """
    table = _segments(segments)
    amounts = _pools(pools)
    if not isinstance(bases, Mapping):
        raise TypeError(f"bases={bases!r} is invalid: expected a mapping pool name -> "
                        f"base column, e.g. {{'admin': 'direct_cost'}}")
    missing = [p for p in amounts if p not in bases]
    extra = [p for p in bases if p not in amounts]
    if missing or extra:
        raise ValueError(f"bases must name a base for each pool {list(amounts)}: "
                         f"missing {missing}, unknown {extra}")
    for pool, amount in amounts.items():
        column = bases[pool]
        if not isinstance(column, str) or column not in segments.columns:
            raise ValueError(f"bases[{pool!r}]={column!r} is invalid: expected a column "
                             f"of segments, one of {list(map(str, segments.columns))}")
        table[pool] = allocate(amount, segments[column], name=f"segments[{column!r}]")
    return _finish(table, list(amounts))


# --- ABC ----------------------------------------------------------------------

ACTIVITY_COLUMNS = ("activity", "pool", "cost", "driver")
DRIVER_COLUMNS = ("activity", "segment", "quantity")


def _activities(activities: pd.DataFrame, drivers: pd.DataFrame,
                segments: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    check.frame(activities, "activities", columns=ACTIVITY_COLUMNS)
    check.frame(drivers, "drivers", columns=DRIVER_COLUMNS)
    for column in ACTIVITY_COLUMNS:
        check.no_missing(activities[column], f"activities[{column!r}]")
    for column in DRIVER_COLUMNS:
        check.no_missing(drivers[column], f"drivers[{column!r}]")
    acts = pd.DataFrame({
        "activity": activities["activity"].astype(str).to_numpy(),
        "pool": activities["pool"].astype(str).to_numpy(),
        "cost": check.float_array(activities["cost"], "activities['cost']",
                                  nonnegative=True),
        "driver": activities["driver"].astype(str).to_numpy(),
    })
    if acts["activity"].duplicated().any():
        dup = acts.loc[acts["activity"].duplicated(), "activity"].tolist()[:5]
        raise ValueError(f"activities['activity'] has duplicates {dup}: expected one row "
                         f"per activity")
    qty = pd.DataFrame({
        "activity": drivers["activity"].astype(str).to_numpy(),
        "segment": drivers["segment"].astype(str).to_numpy(),
        "quantity": check.float_array(drivers["quantity"], "drivers['quantity']",
                                      nonnegative=True),
    })
    unknown_seg = sorted(set(qty["segment"]) - set(segments))
    if unknown_seg:
        raise ValueError(f"drivers['segment'] has unknown segment(s) {unknown_seg[:5]}: "
                         f"expected one of {list(segments)}")
    unknown_act = sorted(set(qty["activity"]) - set(acts["activity"]))
    if unknown_act:
        raise ValueError(f"drivers['activity'] has unknown activit(y/ies) {unknown_act[:5]}:"
                         f" expected one of {acts['activity'].tolist()}")
    if qty.duplicated(["activity", "segment"]).any():
        dup = qty.loc[qty.duplicated(["activity", "segment"]),
                      ["activity", "segment"]].values.tolist()[:5]
        raise ValueError(f"drivers has repeated (activity, segment) pairs {dup}")
    totals = qty.groupby("activity")["quantity"].sum().reindex(acts["activity"],
                                                              fill_value=0.0)
    bad = totals[~(totals > 0)]
    if len(bad):
        raise ValueError(f"drivers: the driver quantities of activit(y/ies) "
                         f"{bad.index.tolist()[:5]} add up to 0: expected a positive "
                         f"total for every activity (otherwise its cost cannot be allocated)")
    return acts, qty


def activity_rates(activities: pd.DataFrame, drivers: pd.DataFrame,
                   segments: pd.DataFrame) -> pd.DataFrame:
    """ABC step by step: each activity's driver quantities, rate and allocation.

    Returns one row per (activity, segment) with ``pool``, ``cost`` (the
    activity's cost), ``driver``, ``driver_quantity``, ``driver_total``,
    ``rate`` (cost per driver unit = cost / driver_total) and ``allocated``
    (= cost * driver_quantity / driver_total).

    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [1, 1], "direct_cost": [0, 0]})
    >>> act = pd.DataFrame({"activity": ["orders"], "pool": ["admin"], "cost": [10],
    ...                     "driver": ["number of orders"]})
    >>> drv = pd.DataFrame({"activity": ["orders"] * 2, "segment": ["A", "B"],
    ...                     "quantity": [30, 10]})
    >>> activity_rates(act, drv, seg)["allocated"].tolist()
    [7.5, 2.5]
    """
    seg = _segments(segments)
    acts, qty = _activities(activities, drivers, seg["segment"])
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
    segments : DataFrame with ``segment``, ``sales``, ``direct_cost``.
    activities : one row per activity: ``activity``, ``pool`` (which overhead
        pool it belongs to), ``cost`` (its share of that pool), ``driver`` (what
        is counted, e.g. "订单数").
    drivers : long table ``activity``, ``segment``, ``quantity`` (driver units
        each segment consumed; a missing pair counts as 0).

    Returns
    -------
    The same table as ``volume_based``: segments plus ``"total"``; one column per
    pool (the sum of its activities' allocations), ``total_cost``, ``segment_profit``.

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
    clash = [p for p in pools if p in (*BASE_COLUMNS, "total_cost", "segment_profit")]
    if clash:
        raise ValueError(f"activities['pool'] uses reserved name(s) {clash}")
    wide = detail.pivot_table(index="segment", columns="pool", values="allocated",
                              aggfunc="sum", sort=False)
    for pool in pools:
        table[pool] = wide[pool].reindex(table["segment"]).to_numpy()
    return _finish(table, pools)


# --- display ------------------------------------------------------------------

def layout(table: pd.DataFrame) -> pd.DataFrame:
    """The slide's layout: items as rows; columns ``total`` (合计) first, then the segments.

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
        segments are repeated.

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
    check.frame(table, "table", columns=("segment", "sales", "direct_cost",
                                         "total_cost", "segment_profit"))
    labels = table["segment"]
    totals = int((labels == TOTAL).sum())
    if totals != 1:
        raise ValueError(f"table 有 {totals} 行 segment={TOTAL!r}：应恰好一行合计（volume_based"
                         f" / activity_based 的结果） / table has {totals} rows with segment="
                         f"{TOTAL!r}: expected exactly one total row, as volume_based / "
                         f"activity_based return")
    if labels.duplicated().any():
        dup = labels[labels.duplicated()].tolist()[:5]
        raise ValueError(f"table['segment'] 有重复 {dup}：每个细分市场应只有一行 / "
                         f"table['segment'] has duplicates {dup}: expected one row per segment")
    wide = table.set_index("segment").T
    order = [TOTAL] + [s for s in wide.columns if s != TOTAL]
    wide = wide[order]
    wide.columns = list(wide.columns)
    wide.index = pd.Index([str(i) for i in wide.index], name="item")
    return wide


def rank_change(vbc: pd.DataFrame, abc: pd.DataFrame) -> pd.DataFrame:
    """Profit and rank of each segment under VBC and ABC, side by side.

    Rank 1 = most profitable; ``rank_shift`` > 0 means the segment climbs under ABC.

    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 10], "direct_cost": [1, 3]})
    >>> v = volume_based(seg, {"admin": 4}, {"admin": "direct_cost"})
    >>> a = volume_based(seg, {"admin": 4}, {"admin": "sales"})
    >>> rank_change(v, a)["rank_shift"].tolist()
    [0, 0]
    """
    for name, frame in (("vbc", vbc), ("abc", abc)):
        check.frame(frame, name, columns=("segment", "segment_profit"))
    v = vbc.loc[vbc["segment"] != TOTAL, ["segment", "segment_profit"]]
    a = abc.loc[abc["segment"] != TOTAL, ["segment", "segment_profit"]]
    if set(v["segment"]) != set(a["segment"]):
        raise ValueError(f"vbc and abc must cover the same segments: {sorted(v['segment'])} "
                         f"vs {sorted(a['segment'])}")
    out = v.merge(a, on="segment", suffixes=("_vbc", "_abc"))
    out = out.rename(columns={"segment_profit_vbc": "profit_vbc",
                              "segment_profit_abc": "profit_abc"})
    out["rank_vbc"] = out["profit_vbc"].rank(ascending=False, method="min").astype(int)
    out["rank_abc"] = out["profit_abc"].rank(ascending=False, method="min").astype(int)
    out["rank_shift"] = out["rank_vbc"] - out["rank_abc"]
    return out


def method_comparison() -> pd.DataFrame:
    """The ABC / RFM / VBC comparison of 《客户价值测算》讲义 (accuracy, cost, difficulty).

    The slide orders the methods on each criterion: accuracy ABC > RFM > VBC;
    operating cost and difficulty lowest for VBC, with RFM and ABC both needing
    substantial resources (ABC most, as its data collection is the costliest).

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
        raise ValueError("ch3_method_comparison.csv 的名次应为 1–3 / the ranks in "
                         "ch3_method_comparison.csv must be 1, 2 or 3")
    return out


_ACCURACY = {1: "best", 2: "middle", 3: "worst"}
_OPERATING_COST = {1: "lowest", 2: "high", 3: "highest"}
_DIFFICULTY = {1: "easiest", 2: "hard", 3: "hardest"}


# --- what-if app (lecture) ------------------------------------------------------------

def what_if_drivers(drivers: pd.DataFrame, segment: str,
                    quantities: Mapping[str, float]) -> pd.DataFrame:
    """A copy of ``drivers`` with ``segment``'s quantity of each named activity replaced.

    >>> d = pd.DataFrame({"activity": ["orders", "orders"], "segment": ["A", "B"],
    ...                   "quantity": [30, 10]})
    >>> what_if_drivers(d, "A", {"orders": 15})["quantity"].tolist()
    [15.0, 10.0]
    """
    check.frame(drivers, "drivers", columns=DRIVER_COLUMNS)
    if not isinstance(quantities, Mapping):
        raise TypeError(f"quantities={quantities!r} is invalid: expected a mapping "
                        f"activity -> quantity")
    out = drivers.copy()
    out["quantity"] = out["quantity"].astype(float)
    mine = out["segment"].astype(str) == str(segment)
    extra = []
    for activity, value in quantities.items():
        amount = check.number(value, f"quantities[{activity!r}]", minimum=0)
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
    """The ABC table after ``segment``'s driver quantities are replaced by ``quantities``.

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
    if not isinstance(segment, str) or segment not in names:
        raise ValueError(f"segment={segment!r} 无效：应为 {names} 之一 / segment={segment!r} "
                         f"is invalid: expected one of {names}")
    return activity_based(segments, activities, what_if_drivers(drivers, segment, quantities))
