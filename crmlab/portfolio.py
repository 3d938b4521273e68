"""Customer portfolio analysis (客户组合分析): composition, pyramids, quadrants, strategy.

Chapter 4 of the course, one function per lecture procedure:

* ``composition`` — 客户构成分析, the procedure (1)–(5) of 《客户关系管理》讲义
  (第二节 客户组合与分析):
  classify customers by channel type (批发店/零售店/代理店/特约店/连锁店/专营店), subtotal
  each class, total, each customer's share within its class and of the total, and
  (step 5) the ABC classes of ``crmlab.pareto``. ``composition_summary`` gives the
  class subtotals.
* ``transaction_performance`` (交易业绩 vs. the expected share),
  ``product_composition`` (产品销售构成), ``product_margins`` (毛利率),
  ``turnover`` (周转率) and ``trading_status`` (交易开始与终止).
* ``pyramid`` — two tiers (黄金/钢铁, 80/20) and four tiers (铂金/黄金/钢铁/重铅).
* ``quadrants`` — one classifier for every two-axis scheme: high/low on each
  axis by an explicit split rule (``"median"``, ``"mean"`` or numeric
  thresholds), a value is *high* when it is ``>=`` the threshold. ``SCHEMES``
  holds the lecture's presets (``scheme_table`` shows the slide each comes from
  and how its garbled layout was read); labels are configurable.
* ``relationship_levels``, ``relationship_strategy``, ``visit_table`` and
  ``visit_plan`` — the lecture tables as data and the visit plan of a portfolio.

Computation returns stable English codes (``vip``, ``platinum`` …);
``frame.pipe(crmlab.glossary.zh)`` shows the Chinese names.

>>> import pandas as pd
>>> d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9, 1, 8, 2],
...                   "future": [9, 8, 1, 2]})
>>> quadrants(d, x="current", y="future", scheme="clv_matrix")["quadrant"].tolist()
['vip', 'improve', 'maintain', 'abandon']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "CHANNEL_TYPES",
    "SCHEMES",
    "STAFF_LEVELS",
    "Scheme",
    "composition",
    "composition_summary",
    "get_scheme",
    "product_composition",
    "product_margins",
    "pyramid",
    "quadrant_summary",
    "quadrants",
    "relationship_levels",
    "relationship_strategy",
    "scheme_table",
    "trading_status",
    "transaction_performance",
    "turnover",
    "value_classes",
    "visit_plan",
    "visit_table",
]

#: channel-type codes of the composition analysis (lecture order); Chinese in glossary.VALUES
CHANNEL_TYPES = ("wholesale", "retail", "agent", "franchise", "chain", "specialty")
#: staff levels of the visit management table (客户访问管理表), most junior first
STAFF_LEVELS = ("sales_rep", "sales_manager", "marketing_director", "general_manager")


# --- 1. composition analysis (客户构成分析) ------------------------------------------

def composition(data: pd.DataFrame, *, customer: str = "customer_id",
                group: str = "channel_type", amount: str = "sales",
                abc: bool = True) -> pd.DataFrame:
    """客户构成分析: shares of each customer within its class and of the total.

    The five steps of the lecture: (1) classify customers (``group``, e.g.
    批发店/零售店/…); (2) subtotal each class; (3) total over all classes;
    (4) each customer's share of its class subtotal and of the total; (5) ABC
    classes (A ≈ 80 %, B ≈ 15 %, C ≈ 5 % of sales, ``crmlab.pareto.abc_classes``).

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    customer, group, amount : str
        Column names: customer id, class (channel type), sales.
    abc : bool
        Add step (5), the ``abc_class`` column.

    Returns
    -------
    DataFrame
        A copy sorted by class then sales (descending) with ``group_subtotal``,
        ``total_sales``, ``share_in_group``, ``share_of_total`` (and ``abc_class``).

    Raises
    ------
    ValueError, TypeError
        Missing columns, duplicate customers, missing classes, NaN or negative sales.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3], "channel_type": ["retail", "retail", "chain"],
    ...                   "sales": [30.0, 10.0, 60.0]})
    >>> composition(d, abc=False)["share_in_group"].tolist()
    [1.0, 0.75, 0.25]
    """
    validate.frame(data, "data", columns=[customer, group, amount])
    validate.unique_ids(data, customer)
    validate.filled_column(data, group)
    sales = validate.numeric_column(data, amount, nonnegative=True, what="销售额")
    total = sales.sum()
    if total <= 0:
        raise validate.BilingualValueError(
            f"列 {amount!r} 合计为 0：无法计算占比。",
            f"column {amount!r} sums to 0: shares are undefined.")
    out = data.copy()
    subtotal = out.groupby(group, sort=False)[amount].transform("sum").to_numpy(dtype=float)
    out["group_subtotal"] = subtotal
    out["total_sales"] = total
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_in_group"] = np.where(subtotal > 0, sales / subtotal, 0.0)
    out["share_of_total"] = sales / total
    if abc:
        from crmlab import pareto

        # rank ties by customer id (not row order), so the classes never depend on
        # how the rows happen to be sorted
        by_id = _order_positions(np.zeros(len(out)), out[customer])
        classes = np.empty(len(out), dtype=object)
        classes[by_id] = pareto.abc_classes(sales[by_id])["abc_class"].to_numpy()
        out["abc_class"] = classes
    keys = out.assign(_g=-out["group_subtotal"], _v=-sales)
    order = keys.sort_values(["_g", group, "_v", customer], kind="mergesort").index
    return out.loc[order].reset_index(drop=True)


def composition_summary(data: pd.DataFrame, *, customer: str = "customer_id",
                        group: str = "channel_type", amount: str = "sales") -> pd.DataFrame:
    """Summarise steps (2)–(3) of 客户构成分析: one row per class plus a ``total`` row.

    Parameters
    ----------
    data : DataFrame
        One row per customer.
    customer, group, amount : str
        Column names of the customer id, the class (e.g. channel type) and the amount.

    Returns
    -------
    DataFrame
        ``group``, ``customers``, ``group_subtotal``, ``share_of_total``.

    Raises
    ------
    TypeError, ValueError
        As :func:`composition`.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3], "channel_type": ["retail", "retail", "chain"],
    ...                   "sales": [30.0, 10.0, 60.0]})
    >>> composition_summary(d)["share_of_total"].tolist()
    [0.6, 0.4, 1.0]
    """
    detail = composition(data, customer=customer, group=group, amount=amount, abc=False)
    out = (detail.groupby(group, sort=False)
           .agg(customers=(customer, "size"), group_subtotal=(amount, "sum"))
           .reset_index())
    total = pd.DataFrame({group: ["total"], "customers": [len(detail)],
                          "group_subtotal": [float(detail[amount].sum())]})
    out = pd.concat([out, total], ignore_index=True)
    out["share_of_total"] = out["group_subtotal"] / float(detail[amount].sum())
    return out


# --- 2.–6. the other analysis procedures ---------------------------------------------

def transaction_performance(data: pd.DataFrame, *, customer: str = "customer_id",
                            amount: str = "sales", expected: str | float = "expected_share",
                            purchases: str | None = None) -> pd.DataFrame:
    """Analyse 客户与公司的交易业绩: each customer's share of our sales vs. the expected share.

    Lecture steps: (1)–(2) each customer's monthly/annual transactions with us
    (``amount``); (3) their share of our total sales; (4) check the share against
    the level the company expects (``expected``: a column of shares or one share
    for all). With ``purchases`` (the customer's total purchases from all
    suppliers, 本课程补充) the share of wallet ``amount / purchases`` is added.

    Parameters
    ----------
    data : DataFrame
        One row per customer (not modified).
    customer, amount : str
        Column names of the customer id and of the sales with us.
    expected : str or float, default "expected_share"
        A column of expected shares, or one share in [0, 1] for every customer.
    purchases : str, optional
        Column of the customer's total purchases from all suppliers.

    Returns
    -------
    DataFrame
        A copy with ``share_of_total``, ``expected_share``, ``gap``
        (share − expected) and ``meets_expectation`` (+ ``share_of_wallet``).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf or negative numbers; sales summing to 0, an expected share > 1,
        or purchases below the sales with us.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2], "sales": [60.0, 40.0]})
    >>> transaction_performance(d, expected=0.5)["meets_expectation"].tolist()
    [True, False]
    """
    columns = [customer, amount] + ([expected] if isinstance(expected, str) else [])
    columns += [purchases] if purchases is not None else []
    validate.frame(data, "data", columns=columns)
    validate.unique_ids(data, customer)
    sales = validate.numeric_column(data, amount, nonnegative=True, what="交易额")
    if sales.sum() <= 0:
        raise validate.BilingualValueError(
            f"列 {amount!r} 合计为 0：无法计算占比。",
            f"column {amount!r} sums to 0: shares are undefined.")
    if isinstance(expected, str):
        target = validate.numeric_column(data, expected, nonnegative=True, what="期望占比")
    else:
        target = np.full(len(data), validate.probability(expected, "expected"))
    if (target > 1).any():
        rows = list(data.index[target > 1][:5])
        raise validate.BilingualValueError(
            f"期望占比 expected 在第 {rows} 行大于 1："
            f"占比应为 0 到 1 之间的小数（例如 0.05）。",
            f"expected share > 1 at rows {rows}: expected a share in [0, 1] "
            "(did you type a percentage?).")
    out = data.copy()
    out["share_of_total"] = sales / sales.sum()
    out["expected_share"] = target
    out["gap"] = out["share_of_total"] - target
    out["meets_expectation"] = out["gap"] >= -1e-12
    if purchases is not None:
        wallet = validate.numeric_column(data, purchases, nonnegative=True, what="客户总采购额")
        if (wallet < sales).any():
            rows = list(data.index[wallet < sales][:5])
            raise validate.BilingualValueError(
                f"第 {rows} 行的客户总采购额小于他在本企业的交易额："
                f"请检查列 {purchases!r}。",
                f"rows {rows}: the customer's total purchases are below their "
                f"purchases from us; check column {purchases!r}.")
        with np.errstate(invalid="ignore", divide="ignore"):
            out["share_of_wallet"] = np.where(wallet > 0, sales / wallet, 0.0)
    return out


def product_composition(data: pd.DataFrame, *, product: str = "product",
                        amount: str = "sales",
                        target: str | None = None) -> pd.DataFrame:
    """Analyse 不同产品的销售构成: products by sales, their shares and cumulative shares.

    Lecture steps: (1) sort products by sales, high to low; (2) total; (3) each
    product's share; (4) check against the sales task (``target``: a column of
    planned sales, optional) — ``target_met``; (5) is a discussion step.

    Parameters
    ----------
    data : DataFrame
        One row per product (not modified).
    product, amount : str
        Column names of the product and its sales.
    target : str, optional
        Column of planned sales; adds ``target_met``.

    Returns
    -------
    DataFrame
        The rows sorted by sales (high to low) with ``share``, ``cumulative_share``,
        ``rank`` (+ ``target_met``).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf or negative numbers, or sales summing to 0.

    Examples
    --------
    >>> d = pd.DataFrame({"product": ["x", "y"], "sales": [25.0, 75.0]})
    >>> product_composition(d)[["product", "cumulative_share"]].values.tolist()
    [['y', 0.75], ['x', 1.0]]
    """
    validate.frame(data, "data", columns=[product, amount] + ([target] if target else []))
    validate.unique_ids(data, product)
    sales = validate.numeric_column(data, amount, nonnegative=True, what="销售额")
    if sales.sum() <= 0:
        raise validate.BilingualValueError(
            f"列 {amount!r} 合计为 0：无法计算占比。",
            f"column {amount!r} sums to 0: shares are undefined.")
    out = data.iloc[_order_positions(sales, data[product])].reset_index(drop=True)
    out["share"] = out[amount].astype(float) / sales.sum()
    out["cumulative_share"] = out["share"].cumsum()
    out["rank"] = np.arange(1, len(out) + 1)
    if target:
        validate.numeric_column(data, target, nonnegative=True, what="计划销售额")
        out["target_met"] = out[amount] >= out[target]
    return out


def _order_positions(values: np.ndarray, ids: pd.Series) -> np.ndarray:
    keys = pd.DataFrame({"v": -values, "id": ids.to_numpy()}, index=np.arange(len(values)))
    try:
        return keys.sort_values(["v", "id"], kind="mergesort").index.to_numpy()
    except TypeError:
        keys["id"] = keys["id"].astype(str)
        return keys.sort_values(["v", "id"], kind="mergesort").index.to_numpy()


def product_margins(data: pd.DataFrame, *, product: str = "product", amount: str = "sales",
                    cost: str = "cost") -> pd.DataFrame:
    """Analyse 不同产品销售毛利率: gross profit and gross margin rate by product.

    ``gross_profit = sales − cost``; ``gross_margin_rate = gross_profit / sales``
    (毛利率); sorted by gross profit, high to low, with each product's share of
    total gross profit.

    Parameters
    ----------
    data : DataFrame
        One row per product (not modified).
    product, amount, cost : str
        Column names of the product, its sales and its cost of sales.

    Returns
    -------
    DataFrame
        The rows sorted by gross profit with ``gross_profit``,
        ``gross_margin_rate`` and ``profit_share``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf or negative numbers, or zero sales.

    Examples
    --------
    >>> d = pd.DataFrame({"product": ["x", "y"], "sales": [100.0, 50.0], "cost": [80.0, 20.0]})
    >>> product_margins(d)["gross_margin_rate"].tolist()
    [0.6, 0.2]
    """
    validate.frame(data, "data", columns=[product, amount, cost])
    validate.unique_ids(data, product)
    sales = validate.numeric_column(data, amount, nonnegative=True, what="销售额")
    costs = validate.numeric_column(data, cost, nonnegative=True, what="成本")
    if (sales == 0).any():
        rows = list(data.index[sales == 0][:5])
        raise validate.BilingualValueError(
            f"第 {rows} 行销售额为 0：毛利率无定义。",
            f"rows {rows} have zero sales: the gross margin is undefined.")
    out = data.copy()
    out["gross_profit"] = sales - costs
    out["gross_margin_rate"] = out["gross_profit"] / sales
    total = out["gross_profit"].sum()
    out["profit_share"] = out["gross_profit"] / total if total != 0 else np.nan
    order = _order_positions(out["gross_profit"].to_numpy(dtype=float), data[product])
    return out.iloc[order].reset_index(drop=True)


def turnover(data: pd.DataFrame, *, product: str = "product", cost_of_sales: str = "cost",
             inventory: str = "average_inventory", days: float = 365.0) -> pd.DataFrame:
    """Analyse 产品周转率: inventory turnover = cost of sales / average inventory.

    The lecture names the analysis without a formula; the course uses the
    standard one (本课程补充): ``turnover = cost_of_sales / average inventory``
    (times per period) and ``days_of_inventory = days / turnover``.

    Parameters
    ----------
    data : DataFrame
        One row per product (not modified).
    product, cost_of_sales, inventory : str
        Column names of the product, the cost of sales and the average inventory.
    days : float, default 365.0
        Days in the period, for ``days_of_inventory``.

    Returns
    -------
    DataFrame
        A copy with ``turnover`` and ``days_of_inventory``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf or negative numbers, zero average inventory or ``days`` <= 0.

    Examples
    --------
    >>> d = pd.DataFrame({"product": ["x"], "cost": [120.0], "average_inventory": [30.0]})
    >>> turnover(d)["turnover"].tolist()
    [4.0]
    """
    validate.frame(data, "data", columns=[product, cost_of_sales, inventory])
    validate.unique_ids(data, product)
    costs = validate.numeric_column(data, cost_of_sales, nonnegative=True, what="销售成本")
    stock = validate.numeric_column(data, inventory, nonnegative=True, what="平均库存")
    if (stock == 0).any():
        rows = list(data.index[stock == 0][:5])
        raise validate.BilingualValueError(
            f"第 {rows} 行平均库存为 0：周转率无定义。",
            f"rows {rows} have zero average inventory: turnover is undefined.")
    days = validate.number(days, "days", minimum=0, min_inclusive=False)
    out = data.copy()
    out["turnover"] = costs / stock
    with np.errstate(divide="ignore"):
        out["days_of_inventory"] = np.where(out["turnover"] > 0, days / out["turnover"], np.inf)
    return out


def trading_status(transactions: pd.DataFrame, *, customer: str = "customer_id",
                   date: str = "date", start: Any, end: Any,
                   inactive_days: int = 180) -> pd.DataFrame:
    """Analyse 交易开始与终止: who started, continued or stopped trading in a period.

    One row per customer with ``first_purchase``, ``last_purchase`` and
    ``status``: ``started`` (first purchase inside [start, end]), ``terminated``
    (no purchase in the last ``inactive_days`` days before ``end``; 本课程补充:
    the lecture names the analysis only), ``continuing`` otherwise. A customer who
    both started and stopped in the period counts as ``terminated``.
    Transactions after ``end`` are ignored.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase (not modified).
    customer, date : str
        Column names of the customer id and the purchase date (datetime64).
    start, end : date-like
        The period analysed.
    inactive_days : int, default 180
        Days without purchase before ``end`` after which a customer has stopped.

    Returns
    -------
    DataFrame
        One row per customer: ``customer``, ``first_purchase``, ``last_purchase``,
        ``status``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns or values, dates not datetime64,
        ``start`` after ``end``, or no transactions on or before ``end``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "date": pd.to_datetime(
    ...     ["2023-05-01", "2024-06-01", "2024-02-01"])})
    >>> trading_status(tx, start="2024-01-01", end="2024-12-31")["status"].tolist()
    ['terminated', 'terminated']
    """
    validate.frame(transactions, "transactions", columns=[customer, date])
    validate.filled_column(transactions, customer)
    dates = transactions[date]
    if not pd.api.types.is_datetime64_any_dtype(dates.dtype):
        raise validate.BilingualTypeError(
            f"列 {date!r} 应为日期（datetime64），收到 {dates.dtype}："
            f"请先用 pd.to_datetime 转换。",
            f"column {date!r} has dtype {dates.dtype}: expected dates (use "
            "pd.to_datetime).")
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    validate.filled_column(transactions.assign(**{date: dates}), date)
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    if start_ts > end_ts:
        raise validate.BilingualValueError(
            f"start={start} 晚于 end={end}。", f"start={start} is after end={end}.")
    inactive = validate.integer(inactive_days, "inactive_days", minimum=1)
    frame = pd.DataFrame({"customer_id": transactions[customer].to_numpy(),
                          "date": dates.dt.normalize().to_numpy()})
    frame = frame[frame["date"] <= end_ts]
    if frame.empty:
        raise validate.BilingualValueError(
            "所选期间结束前没有任何交易。", "no transactions on or before end.")
    out = frame.groupby("customer_id").agg(first_purchase=("date", "min"),
                                           last_purchase=("date", "max")).reset_index()
    out = out.rename(columns={"customer_id": customer})
    stopped = out["last_purchase"] < end_ts - pd.Timedelta(days=inactive)
    started = out["first_purchase"] >= start_ts
    out["status"] = np.where(stopped, "terminated", np.where(started, "started", "continuing"))
    return out


# --- 7. pyramids (客户金字塔) ----------------------------------------------------------

def pyramid(data: pd.DataFrame, *, customer: str = "customer_id", value: str = "profit",
            tiers: Literal[2, 4] = 2, cuts: Sequence[float] | None = None,
            loss_to_lead: bool = True) -> pd.DataFrame:
    """Build the 客户金字塔: rank customers by profitability and cut the ranking into tiers.

    * ``tiers=2`` (二分法, 80/20): the top 20 % of customers (by count) are
      ``gold`` (黄金层级), the rest ``iron`` (钢铁层级); ``cuts=(0.2,)``.
    * ``tiers=4`` (四分法): ``platinum`` (铂金) top 5 %, ``gold`` (黄金) next 15 %,
      ``iron`` (钢铁) next 60 %, ``lead`` (重铅) bottom 20 %; ``cuts=(0.05, 0.2,
      0.8)`` are cumulative shares of customers. The lecture fixes no percentages
      for four tiers (本课程补充: the cut rule keeps 铂金 + 黄金 = the 80/20 top
      20 %); with ``loss_to_lead`` every customer whose value is <= 0 is 重铅
      ("重铅层级的客户不能给企业带来盈利").

    A customer at rank k (1 = most profitable; ties broken by customer id) is
    in the first tier whose cut c satisfies k <= ceil(c·n).

    Parameters
    ----------
    data : DataFrame
        One row per customer (not modified).
    customer, value : str
        Column names of the customer id and the profitability measure.
    tiers : {2, 4}, default 2
        Number of tiers.
    cuts : sequence of float, optional
        Increasing cumulative customer shares in (0, 1), ``tiers - 1`` of them.
    loss_to_lead : bool, default True
        With four tiers, put every customer with value <= 0 in ``lead``.

    Returns
    -------
    DataFrame
        A copy with ``rank``, ``customer_share`` (k / n), ``tier`` and
        ``value_share`` (the customer's share of the total value).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf, ``tiers`` not 2 or 4, or bad ``cuts``.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": range(10), "profit": range(10, 0, -1)})
    >>> pyramid(d)["tier"].value_counts().to_dict()
    {'iron': 8, 'gold': 2}

    References
    ----------
    Zeithaml, V. A., Rust, R. T., & Lemon, K. N. (2001). The customer pyramid:
    creating and serving profitable customers. *California Management Review*
    43(4), 118–142.
    """
    validate.frame(data, "data", columns=[customer, value])
    validate.unique_ids(data, customer)
    values = validate.numeric_column(data, value, what="利润")
    names = {2: ("gold", "iron"), 4: ("platinum", "gold", "iron", "lead")}
    if tiers not in names or isinstance(tiers, bool):
        raise validate.BilingualValueError(
            f"tiers={validate.show(tiers)} 无效：应为 2（二分法）或 4（四分法）。",
            f"tiers={validate.show(tiers)} is invalid: expected 2 or 4.")
    cuts = (0.2,) if (cuts is None and tiers == 2) else (0.05, 0.2, 0.8) if cuts is None else cuts
    cuts = [validate.number(c, "cuts", minimum=0, maximum=1, min_inclusive=False,
                         max_inclusive=False) for c in cuts]
    if len(cuts) != tiers - 1 or any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
        raise validate.BilingualValueError(
            f"cuts={list(cuts)} 无效："
            f"{tiers} 层需要 {tiers - 1} 个递增的客户累计占比（0 到 1）。",
            f"cuts={list(cuts)} is invalid: {tiers} tiers need {tiers - 1} "
            "increasing cumulative customer shares in (0, 1).")
    n = len(values)
    rank, position = _rank_tiers(values, data[customer], cuts)
    out = data.copy()
    labels = np.asarray(names[tiers], dtype=object)[position]
    if tiers == 4 and loss_to_lead:
        labels = np.where(values <= 0, "lead", labels)
    out["rank"] = rank
    out["customer_share"] = rank / n
    out["tier"] = labels
    total = values.sum()
    out["value_share"] = values / total if total != 0 else np.nan
    return out


def value_classes(data: pd.DataFrame, *, customer: str = "customer_id", value: str = "clv",
                  cuts: Sequence[float] = (0.2, 0.5)) -> pd.DataFrame:
    """Assign the high / medium / low value classes (step 5 of the CLV 分类法) by rank.

    Customers are ranked by ``value`` (ties by customer id); the top ``cuts[0]``
    of customers (by count) are ``high``, up to ``cuts[1]`` ``medium``, the rest
    ``low`` (本课程补充: the lecture names the three classes, not the cuts).

    Parameters
    ----------
    data : DataFrame
        One row per customer (not modified).
    customer, value : str
        Column names of the customer id and the value (e.g. CLV).
    cuts : pair of float, default (0.2, 0.5)
        Increasing cumulative customer shares closing ``high`` and ``medium``.

    Returns
    -------
    DataFrame
        A copy with ``rank`` and ``value_class``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate or missing ids, text,
        NaN/inf, or bad ``cuts``.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": range(10), "clv": range(10)})
    >>> value_classes(d)["value_class"].value_counts().to_dict()
    {'low': 5, 'medium': 3, 'high': 2}
    """
    validate.frame(data, "data", columns=[customer, value])
    validate.unique_ids(data, customer)
    values = validate.numeric_column(data, value, what="价值")
    cuts = [validate.number(c, "cuts", minimum=0, maximum=1, min_inclusive=False,
                         max_inclusive=False) for c in cuts]
    if len(cuts) != 2 or cuts[1] <= cuts[0]:
        raise validate.BilingualValueError(
            f"cuts={list(cuts)} 无效：应为两个递增的客户累计占比，例如 (0.2, 0.5)。",
            f"cuts={list(cuts)} is invalid: expected two increasing cumulative "
            "customer shares, e.g. (0.2, 0.5).")
    rank, position = _rank_tiers(values, data[customer], cuts)
    out = data.copy()
    out["rank"] = rank
    out["value_class"] = np.asarray(("high", "medium", "low"), dtype=object)[position]
    return out


def _rank_tiers(values: np.ndarray, ids: pd.Series,
                cuts: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Rank (1 = largest, ties by id) and the tier index of each row for count cuts."""
    n = len(values)
    order = _order_positions(values, ids)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    limits = np.ceil(np.asarray(cuts) * n - 1e-9)
    return rank, np.searchsorted(limits, rank, side="left")


# --- 8. quadrants (象限分类) -----------------------------------------------------------

Cell = tuple[bool, bool]  # (x high, y high)


@dataclass(frozen=True)
class Scheme:
    """A two-axis classification of the lectures: axes, cell codes, actions, source.

    Examples
    --------
    >>> SCHEMES["clv_matrix"].code(True, True)
    'vip'
    """

    key: str
    title: str                    # 中文名称
    x: str                        # 横轴含义（中文）
    y: str                        # 纵轴含义（中文）
    cells: Mapping[Cell, str]     # (x high, y high) -> code
    actions: Mapping[str, str]    # code -> 中文：对这一象限做什么
    source: str                   # 讲义与幻灯片
    reading: str                  # 本课程如何读出混乱的版面
    notes: str = ""
    course_actions: bool = field(default=True)  # actions are 本课程的解读

    def code(self, x_high: bool, y_high: bool) -> str:
        """Return the code of the cell (``x_high``, ``y_high``)."""
        return self.cells[(bool(x_high), bool(y_high))]


SCHEMES: dict[str, Scheme] = {s.key: s for s in [
    Scheme(
        "clv_matrix", "CLV 矩阵（客户当前价值 × 客户未来价值）", "客户当前价值", "客户未来价值",
        {(True, True): "vip", (False, True): "improve", (True, False): "maintain",
         (False, False): "abandon"},
        {"vip": "重点保持：最好的资源、个性化服务与专属权益",
         "improve": "重点培育：加大投入，把未来价值变成当前价值",
         "maintain": "维持现状：保持服务质量，控制服务成本",
         "abandon": "减少投入：标准化、低成本服务，必要时放弃"},
        "《区分客户》讲义，“CLV分析法”矩阵幻灯片",
        "文字顺序为“客户未来价值 / 改进型 / 贵宾型 / 客户当前价值 / 放弃型 / 维持型”："
        "纵轴是未来价值、"
        "横轴是当前价值，上排左为改进型、右为贵宾型，下排左为放弃型、右为维持型；"
        "与四个名称的含义一致（贵宾型两高、放弃型两低）。"),
    Scheme(
        "loyalty_scale", "类型组合：客户忠诚度 × 客户规模", "客户忠诚度", "客户规模",
        {(True, True): "cash_cow", (False, True): "tomorrow", (False, False): "warm_up",
         (True, False): "chicken_rib"},
        {"cash_cow": "重点保持：规模大又忠诚，是利润的主要来源",
         "tomorrow": "提升忠诚：规模大但忠诚度低，深化关系、提高份额",
         "warm_up": "“加温”培养：规模小、忠诚度低，用低成本方式培养感情",
         "chicken_rib": "低成本维持：忠诚但规模小，食之无味、弃之可惜"},
        "《区分客户》讲义，“类型组合的客户分类法”幻灯片（客户规模 × 客户忠诚度）",
        "文字为“大 明日客户 客户规模 加温客户 小 / 低 客户忠诚度 高 / 金牛客户 / 鸡肋客户”："
        "纵轴客户规模（上大下小）、横轴客户忠诚度（左低右高）；明日客户挨着“大”、加温客户挨着“小”，"
        "所以左列上为明日、下为加温，右列上为金牛、下为鸡肋（名称含义也支持：金牛又大又忠诚）。"),
    Scheme(
        "loyalty_credit", "类型组合：客户忠诚度 × 客户信用度", "客户忠诚度", "客户信用度",
        {(True, True): "star", (False, True): "golden", (True, False): "risky",
         (False, False): "junk"},
        {"star": "重点维护：忠诚且信用好，给予最优惠的交易条件",
         "golden": "提升忠诚：信用好但不够忠诚，加强沟通、争取更多份额",
         "risky": "控制风险：忠诚但信用差，缩短账期、现款或担保交易",
         "junk": "淘汰或只做现款交易：既不忠诚、信用也差"},
        "《区分客户》讲义，“类型组合的客户分类法”幻灯片（客户信用度 × 客户忠诚度）",
        "文字被拆成两段：“垃圾客户 / 风险客户 / 低 客户忠诚度 高”与“高 / 明星客户 /"
        " 客户信用度 低 / 黄金客户”："
        "纵轴客户信用度（上高下低）、横轴客户忠诚度（左低右高）。风险、垃圾两类信用低，"
        "垃圾在忠诚度“低”一侧、风险在“高”一侧；信用高的两类中明星忠诚度高、黄金忠诚度低"
        "（本课程的解读：版面只给出了名称的先后，按名称含义定位）。",
        "信用度来自客户的信用调查分析（《客户关系管理》讲义第二节：客户的信用调查分析）。"),
    Scheme(
        "abc_turnover_margin", "A/B/C 类：周转率 × 盈利率", "周转率", "盈利率",
        {(True, True): "A", (True, False): "B", (False, False): "C", (False, True): "unlisted"},
        {"A": "情感交流，发挥示范效应（讲义原文）",
         "B": "心理安慰，基础知识和技巧的辅导（讲义原文）",
         "C": "讲义未给出策略（本课程的解读：降低服务成本，观察是否有提升空间）",
         "unlisted": "讲义未列出这一格（本课程的解读：帮助其提高周转，可向 A 类发展）"},
        "《区分客户》讲义，A/B/C 类客户表（分类依据：周转率、盈利率）",
        "表格三行：A 类 高周转率 高盈利率，B 类 高周转率 低盈利率，C 类 低周转率 低盈利率；"
        "第四种组合“低周转率 高盈利率”讲义没有列出，本课程单独标为“讲义未列”，不硬塞进某一类。",
        course_actions=False),
    Scheme(
        "clv_four", "CLV 分析法的四类客户（历史贡献 × 活跃度）",
        "客户历史贡献（购买力）", "客户当前活跃度",
        {(True, True): "loyal", (False, True): "potential", (False, False): "marginal",
         (True, False): "lost"},
        {"loyal": "长期维持，是客户关系管理工作的重中之重（讲义）",
         "potential": "在服务中促使其转向忠诚客户（讲义）",
         "marginal": "精确区分出来，合理调配人力、物力（讲义）",
         "lost": "收集信息、分析流失原因、制定挽留计划（讲义）"},
        "《CLV 分析法》讲义，“clv分析法把客户分类图形”",
        "讲义只保留了四类客户的文字说明，图的坐标轴没有留下。本课程的解读："
        "忠诚客户贡献大且仍在购买；"
        "潜在客户“接触时间更短”、贡献还小但正在购买；边缘客户贡献和购买力都低；流失客户已不再购买，"
        "但曾有贡献，是“挖潜的重要群体”。因此横轴取历史贡献、"
        "纵轴取活跃度（例如最近一段时间的购买次数）。",
        course_actions=False),
    Scheme(
        "sales_profit", "销售额 × 利润（“波士顿模型”一段）", "销售额", "利润",
        {(True, True): "star", (True, False): "volume", (False, True): "niche",
         (False, False): "dog"},
        {"star": "重点保持：销售额和利润都高",
         "volume": "提高利润：销售额高、利润低，检查价格、折扣和服务成本",
         "niche": "扩大销售：利润高、销售额低，争取更多份额",
         "dog": "先查明亏损原因，降低服务成本或调整交易条件；仍无前景再考虑放弃"},
        "《产品经理必学的 6 大分析模型》讲义，“2、波士顿模型”",
        "这一段开头说波士顿模型“最初是一个时间管理模型，按照紧急、不紧急、重要、不重要”分四个象限——"
        "那其实是时间管理的“紧急/重要”矩阵，波士顿矩阵本是产品组合的工具。"
        "这一段还自相矛盾：它说用“销售额和利润”两个指标分四个象限，但四类（明星、金牛、问题、瘦狗）"
        "却是按“增长率 × 占有率”描述的（那是产品的波士顿矩阵）。两种说法只在对角线上一致"
        "（明星 = 两高，瘦狗 = 两低）；金牛、问题两格无法从销售额 × 利润推出。本课程的解读："
        "按文字给出的两条轴（销售额 × 利润）分类，对角线沿用“明星”“瘦狗”，另两格按轴的含义"
        "命名为“高销低利”“低销高利”。要做真正的波士顿矩阵，"
        "请用 quadrants 的自定义标签和增长率数据。"),
    Scheme(
        "importance_difficulty", "矩阵分析法：客户战略重要性 × 客户关系管理难度",
        "客户关系管理难度", "客户战略重要性",
        {(False, True): "key_easy", (True, True): "key_hard", (False, False): "minor_easy",
         (True, False): "minor_hard"},
        {"key_easy": "铂金层级：最有吸引力，全力保持并加深关系",
         "key_hard": "黄金层级：重要但难管，投入专门的团队和流程",
         "minor_easy": "钢铁层级：标准化、低成本地服务",
         "minor_hard": "重铅层级：最没有吸引力，减少投入或调整交易条件"},
        "《客户组合分析》讲义，“客户分层 3.矩阵分析法”",
        "讲义原文：关键-容易、关键-困难、不关键-容易、不关键-困难四个层级“分别对应四分法中的"
        "铂金层级、黄金层级、钢铁层级和重铅层级”。注意难度“高”是坏事：横轴越往右越难管。"),
]}


def get_scheme(scheme: str | Scheme) -> Scheme:
    """Return the preset named ``scheme`` (or ``scheme`` itself when a ``Scheme``).

    Parameters
    ----------
    scheme : str or Scheme
        A key of ``SCHEMES`` or a ``Scheme``.

    Returns
    -------
    Scheme
        The preset.

    Raises
    ------
    ValueError
        ``scheme`` is not a key of ``SCHEMES``.

    Examples
    --------
    >>> get_scheme("clv_matrix").key
    'clv_matrix'
    """
    if isinstance(scheme, Scheme):
        return scheme
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise validate.BilingualValueError(
            f"scheme={validate.show(scheme)} 不是已知的分类方案：可选 {list(SCHEMES)}。",
            f"scheme={validate.show(scheme)} is unknown: expected one of {list(SCHEMES)}.")
    return SCHEMES[scheme]


def scheme_table(scheme: str | Scheme | None = None) -> pd.DataFrame:
    """Return the presets as a table: axes, the code of each cell, source slide and reading.

    Parameters
    ----------
    scheme : str or Scheme, optional
        One preset; all presets when omitted.

    Returns
    -------
    DataFrame
        One row per scheme: ``scheme``, ``title``, ``x_axis``, ``y_axis``, the four
        cell codes, ``source`` and ``reading``.

    Examples
    --------
    >>> scheme_table("clv_matrix").loc[0, "high_high"]
    'vip'
    """
    keys = list(SCHEMES) if scheme is None else [get_scheme(scheme).key]
    rows = []
    for key in keys:
        s = SCHEMES[key]
        rows.append({"scheme": s.key, "title": s.title, "x_axis": s.x, "y_axis": s.y,
                     "high_high": s.code(True, True), "low_high": s.code(False, True),
                     "high_low": s.code(True, False), "low_low": s.code(False, False),
                     "source": s.source, "reading": s.reading})
    return pd.DataFrame(rows)


_CELL_KEYS = {"high_high": (True, True), "low_high": (False, True),
              "high_low": (True, False), "low_low": (False, False)}


def _threshold(split: Any, values: np.ndarray, axis: str, column: str) -> float:
    if isinstance(split, str):
        if split == "median":
            return float(np.median(values))
        if split == "mean":
            return float(values.mean())
        raise validate.BilingualValueError(
            f"split={split!r} 无效：应为 \"median\"、\"mean\"、一个数或 (x 阈值, y 阈值)。",
            f"split={split!r} is invalid: expected \"median\", \"mean\", a number "
            "or (x threshold, y threshold).")
    if isinstance(split, bool) or not isinstance(split, Real | np.number):
        raise validate.BilingualTypeError(
            f"split 的 {axis} 阈值 {split!r} 无效：应为数字、\"median\" 或 \"mean\"。",
            f"the {axis} threshold {split!r} of split is invalid: expected a number, "
            "\"median\" or \"mean\".")
    value = float(split)
    if not np.isfinite(value):
        raise validate.BilingualValueError(
            f"split 的 {axis} 阈值 {validate.show(split)} 不是有限数。",
            f"the {axis} threshold {validate.show(split)} is not finite.")
    return value


def quadrants(data: pd.DataFrame, *, x: str, y: str, scheme: str | Scheme | None = None,
              split: Any = "median", labels: Mapping[str, str] | None = None,
              customer: str = "customer_id") -> pd.DataFrame:
    """Classify customers into four quadrants: high/low on ``x`` × high/low on ``y``.

    Parameters
    ----------
    data : DataFrame
        One row per customer (duplicates refused), numeric ``x`` and ``y``.
    x, y : str
        The columns on the horizontal and vertical axis (see the scheme's axes).
    scheme : str or Scheme, optional
        A preset of ``SCHEMES`` (``"clv_matrix"``, ``"loyalty_scale"``,
        ``"loyalty_credit"``, ``"abc_turnover_margin"``, ``"clv_four"``,
        ``"sales_profit"``, ``"importance_difficulty"``); it gives the codes.
    split : "median", "mean", number or (x, y)
        The split rule, applied per axis; a pair gives each axis its own rule or
        threshold, e.g. ``("median", 60)``. A value is *high* when ``>=`` the
        threshold. A numeric threshold that leaves one side empty (at or below
        the minimum, above the maximum) is refused, and so is a rule that does.
    labels : mapping, optional
        Codes for the cells ``"high_high"``, ``"low_high"``, ``"high_low"``,
        ``"low_low"`` (x first); overrides the preset's codes. Without scheme
        and labels the codes are these four keys.
    customer : str
        The customer id column.

    Returns
    -------
    DataFrame
        A copy with ``x_high``, ``y_high`` (bool) and ``quadrant`` (code); the
        thresholds are in ``.attrs["thresholds"]``.

    Raises
    ------
    ValueError, TypeError
        Unknown scheme, bad split, thresholds outside the data, NaN/inf or text
        in ``x``/``y``, duplicate or missing customers.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": list("abcd"), "loyalty": [1, 9, 1, 9],
    ...                   "credit": [80, 80, 20, 20]})
    >>> quadrants(d, x="loyalty", y="credit", scheme="loyalty_credit",
    ...           split=(5, 60))["quadrant"].tolist()
    ['golden', 'star', 'junk', 'risky']

    References
    ----------
    Henderson, B. D. (1970). *The Product Portfolio*. Boston Consulting Group
    (the growth × share matrix the ``sales_profit`` passage borrows from).
    """
    validate.frame(data, "data", columns=[customer, x, y])
    preset = get_scheme(scheme) if scheme is not None else None
    validate.unique_ids(data, customer)
    xs = validate.numeric_column(data, x)
    ys = validate.numeric_column(data, y)
    if isinstance(split, tuple | list):
        if len(split) != 2:
            raise validate.BilingualValueError(
                f"split={list(split)} 无效：成对给出时应为 (x 阈值, y 阈值)。",
                f"split={list(split)} is invalid: expected (x threshold, y threshold).")
        rules = tuple(split)
    else:
        rules = (split, split)
    thresholds = {}
    for axis, rule, values, column in (("x", rules[0], xs, x), ("y", rules[1], ys, y)):
        t = _threshold(rule, values, axis, column)
        lo, hi = float(values.min()), float(values.max())
        if not (lo < t <= hi):
            what = "全部为“高”" if t <= lo else "全部为“低”"
            raise validate.BilingualValueError(
                f"{axis} 轴（列 {column!r}）的阈值 {validate.show(t)} "
                f"在数据范围 [{validate.show(lo)}, {validate.show(hi)}] "
                f"之外或边缘，客户会{what}：请选 {validate.show(lo)} < 阈值 ≤ {validate.show(hi)}"
                "（或数据的取值太少，无法按此规则二分）。",
                f"the {axis} threshold {validate.show(t)} (column {column!r}) leaves one side "
                f"empty: the data range is [{validate.show(lo)}, {validate.show(hi)}]; expected "
                f"{validate.show(lo)} < threshold <= {validate.show(hi)}.")
        thresholds[axis] = t
    codes = {cell: key for key, cell in _CELL_KEYS.items()}
    if preset is not None:
        codes = dict(preset.cells)
    if labels is not None:
        if not isinstance(labels, Mapping) or set(labels) - set(_CELL_KEYS):
            raise validate.BilingualValueError(
                f"labels={labels!r} 无效：键应为 {list(_CELL_KEYS)}（先 x 后 y）。",
                f"labels={labels!r} is invalid: expected keys from {list(_CELL_KEYS)}.")
        for key, code in labels.items():
            codes[_CELL_KEYS[key]] = code
    x_high = xs >= thresholds["x"]
    y_high = ys >= thresholds["y"]
    table = np.array([[codes[(False, False)], codes[(False, True)]],
                      [codes[(True, False)], codes[(True, True)]]], dtype=object)
    out = data.copy()
    out["x_high"] = x_high
    out["y_high"] = y_high
    out["quadrant"] = table[x_high.astype(int), y_high.astype(int)]
    out.attrs["thresholds"] = thresholds
    out.attrs["scheme"] = preset.key if preset is not None else None
    return out


def quadrant_summary(classified: pd.DataFrame, *, value: str | None = None,
                     scheme: str | Scheme | None = None) -> pd.DataFrame:
    """Count customers (and optionally total ``value``) per quadrant, with the scheme's actions.

    Parameters
    ----------
    classified : DataFrame
        The result of :func:`quadrants`.
    value : str, optional
        A numeric column to total per quadrant (adds ``value_share``).
    scheme : str or Scheme, optional
        The scheme; by default the one recorded by :func:`quadrants`.

    Returns
    -------
    DataFrame
        One row per quadrant: ``quadrant``, ``customers``, ``customer_share``
        (+ ``value``, ``value_share``, ``strategy``; advice that is the course's own,
        not the lecture's, ends in "（本课程的解读）").

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9, 1, 8, 2],
    ...                   "future": [9, 8, 1, 2]})
    >>> q = quadrants(d, x="current", y="future", scheme="clv_matrix")
    >>> quadrant_summary(q)["customers"].tolist()
    [1, 1, 1, 1]
    """
    validate.frame(classified, "classified",
                   columns=["quadrant", "x_high", "y_high"] + ([value] if value else []))
    key = scheme if scheme is not None else classified.attrs.get("scheme")
    preset = get_scheme(key) if key is not None else None
    order = ([preset.code(True, True), preset.code(False, True), preset.code(True, False),
              preset.code(False, False)] if preset else
             list(dict.fromkeys(classified["quadrant"])))
    counts = classified.groupby("quadrant").size()
    out = pd.DataFrame({"quadrant": order})
    out["customers"] = out["quadrant"].map(counts).fillna(0).astype(int)
    out["customer_share"] = out["customers"] / len(classified)
    if value:
        vals = validate.numeric_column(classified, value)
        sums = pd.Series(vals, index=classified.index).groupby(classified["quadrant"]).sum()
        out[value] = out["quadrant"].map(sums).fillna(0.0)
        total = vals.sum()
        out["value_share"] = out[value] / total if total != 0 else np.nan
    if preset:
        # the course's own advice is marked as such; the lecture's carries （讲义）
        mark = "（本课程的解读）" if preset.course_actions else ""
        out["strategy"] = out["quadrant"].map(preset.actions) + mark
    return out


# --- 9. lecture tables: relationship levels and strategy, visit table -----------------

def relationship_levels() -> pd.DataFrame:
    """Return the five relationship levels with both lecture namings (one table).

    《客户组合分析》讲义 names them 基本型/反应型/可靠型/主动型/合伙型 (售后服务的五种类型),
    the review notes (《客户关系管理复习资料》) 基本/被动式/负责式/主动式/伙伴式 关系: the
    same five levels (Kotler's basic, reactive, accountable, proactive, partnership).

    Returns
    -------
    DataFrame
        One row per level with both namings.

    Examples
    --------
    >>> relationship_levels()["name_portfolio"].tolist()[:2]
    ['基本型', '反应型']

    References
    ----------
    Kotler, P., & Keller, K. L. *Marketing Management* (the five levels of
    relationship marketing).
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_relationship_levels")


def relationship_strategy() -> pd.DataFrame:
    """Return the relationship strategy table (客户划分 → 关系类型 / 关系战略 / 关系重点).

    Returns
    -------
    DataFrame
        One row per customer class.

    Examples
    --------
    >>> relationship_strategy().loc[0, "relationship_type"]
    '一般关系'
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_relationship_strategy")


def visit_table() -> pd.DataFrame:
    """Return the 客户访问管理表: visits and calls per year by staff level and A/B/C class.

    One row per (staff level, class): the slide's wording (``visits_text``,
    ``calls_text``) and the per-year ranges crmlab reads from it
    (``visits_min`` … ``calls_max``). Cells the slide does not give are empty
    (NaN) and ``given`` is False.

    Returns
    -------
    DataFrame
        The columns described above.

    Examples
    --------
    >>> t = visit_table()
    >>> t.loc[(t.staff_level == "sales_rep") & (t.abc_class == "A"), "visits_min"].item()
    36.0
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_visit_table")


def visit_plan(data: pd.DataFrame, *, customer: str = "customer_id",
               abc_class: str = "abc_class", table: pd.DataFrame | None = None,
               months: int = 12) -> pd.DataFrame:
    """Plan the visits of a portfolio: visits and calls per staff level over ``months``.

    Every customer of class A/B/C gets the contacts of the visit management
    table (``visit_table()`` unless ``table`` is given); the plan sums them per
    staff level and class. Cells the table leaves empty count as no contact.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its ABC class.
    customer, abc_class : str
        Column names of the customer id and the class (``"A"``, ``"B"``, ``"C"``).
    table : DataFrame, optional
        A visit management table shaped like ``visit_table()``.
    months : int, default 12
        Length of the plan in months.

    Returns
    -------
    DataFrame
        One row per (staff level, class) with ``customers``, ``visits_min``,
        ``visits_max``, ``calls_min``, ``calls_max`` (totals over ``months``).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate ids, unknown classes or
        ``months`` not a whole number >= 1.

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3], "abc_class": ["A", "B", "C"]})
    >>> p = visit_plan(d, months=1)
    >>> p.loc[(p.staff_level == "sales_rep") & (p.abc_class == "A"), "visits_min"].item()
    3.0
    """
    validate.frame(data, "data", columns=[customer, abc_class])
    validate.unique_ids(data, customer)
    classes = validate.filled_column(data, abc_class).astype(str)
    unknown = sorted(set(classes) - {"A", "B", "C"})
    if unknown:
        raise validate.BilingualValueError(
            f"列 {abc_class!r} 有未知类别 {unknown[:5]}：应为 \"A\"、\"B\"、\"C\"。",
            f"column {abc_class!r} has unknown classes {unknown[:5]}: expected "
            "\"A\", \"B\" or \"C\".")
    months = validate.integer(months, "months", minimum=1)
    table = visit_table() if table is None else table
    validate.frame(table, "table", columns=["staff_level", "abc_class", "visits_min",
                                            "visits_max", "calls_min", "calls_max"])
    counts = classes.value_counts()
    out = table[["staff_level", "abc_class"]].copy()
    out["customers"] = out["abc_class"].map(counts).fillna(0).astype(int)
    scale = months / 12
    for column in ("visits_min", "visits_max", "calls_min", "calls_max"):
        per_customer = pd.to_numeric(table[column], errors="coerce").fillna(0.0)
        out[column] = per_customer.to_numpy() * out["customers"].to_numpy() * scale
    return out.reset_index(drop=True)
