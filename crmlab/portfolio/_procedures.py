"""The analysis procedures of the lecture: composition, transactions, products, turnover, status."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _transactions as tx
from crmlab import _validation as validate

#: channel-type codes of the composition analysis (lecture order); Chinese in glossary.VALUES
CHANNEL_TYPES = ("wholesale", "retail", "agent", "franchise", "chain", "specialty")


# --- 1. composition analysis (客户构成分析) ------------------------------------------

def composition(data: pd.DataFrame, *, customer: str = "customer_id",
                group: str = "channel_type", amount: str = "sales",
                abc: bool = True) -> pd.DataFrame:
    """Run 客户构成分析: shares of each customer within its class and of the total.

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
    out = data.reset_index(drop=True)  # a repeated row label (pd.concat) never multiplies rows
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


def _shares(values: Any, what: str, name: str, of: Any = None) -> Any:
    """Each value's share of the total of ``of`` (default ``values``); refuse 0 or overflow.

    A share of a zero total (profits and losses cancelling) is undefined: it is
    refused with a message rather than returned as NaN.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        total = float(np.sum(values if of is None else of))
        shares = values / total if total != 0 and np.isfinite(total) else None
    if shares is None or not np.isfinite(np.asarray(shares, dtype=float)).all():
        raise validate.BilingualValueError(
            f"{name} 的合计为 {validate.show(total)}：{what}占比无定义（合计应非 0 且有限）；"
            f"请分析盈利与亏损两组，或检查单位",
            f"{name} sums to {validate.show(total)}: the shares of the total are undefined "
            f"(expected a non-zero, finite total); analyse gains and losses apart, or check "
            f"the units")
    return shares


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
        NaN/inf or negative numbers, zero sales, or gross profits summing to 0
        (``profit_share`` undefined).

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
    out["profit_share"] = _shares(out["gross_profit"], "毛利",
                                  f"data[{amount!r}] − data[{cost!r}]")
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
        NaN/inf or negative numbers, zero average inventory, zero cost of sales
        (the stock never turns: ``days_of_inventory`` would be infinite), ratios
        beyond floating point, or ``days`` <= 0. Every returned number is finite.

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
    if (costs == 0).any():  # stock that never sells has no turnover time (it would be inf)
        rows = validate.rows(data.index, costs == 0)
        raise validate.BilingualValueError(
            f"列 {cost_of_sales!r} 在行 {rows} 为 0：没有销售成本，库存不周转，周转天数无定义；"
            f"请把这些产品单独列出（例如滞销品）后再分析其余产品",
            f"column {cost_of_sales!r} is 0 at rows {rows}: with no cost of sales the stock "
            f"never turns over and days_of_inventory is undefined; list those products apart "
            f"(e.g. as dead stock) and analyse the rest")
    days = validate.number(days, "days", minimum=0, min_inclusive=False, label="期间天数")
    with np.errstate(over="ignore", divide="ignore"):
        rate = costs / stock
        cover = days / rate
    bad = ~(np.isfinite(rate) & np.isfinite(cover) & (rate > 0) & (cover > 0))
    if bad.any():  # e.g. 1e308 / 1e-5: beyond floating point
        rows = validate.rows(data.index, bad)
        raise validate.BilingualValueError(
            f"行 {rows} 的 {cost_of_sales!r} 与 {inventory!r} 之比（或 days={validate.show(days)} "
            f"与它之比）太大或太小，无法用浮点数表示：请检查单位",
            f"the ratio of {cost_of_sales!r} to {inventory!r} (or days={validate.show(days)} "
            f"to it) at rows {rows} is too large or too small for floating point: check the "
            f"units")
    out = data.copy()
    out["turnover"] = rate
    out["days_of_inventory"] = cover
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
        Column names of the customer id and the purchase date (datetime64,
        naive or time-zone-aware, or date text as in :func:`crmlab.rfm.summary`;
        an aware date counts on the calendar day of its own zone).
    start, end : date-like
        The period analysed (first and last day, both included).
    inactive_days : int, default 180
        Days without purchase before ``end`` after which a customer has stopped.

    Returns
    -------
    DataFrame
        One row per customer, sorted: ``<customer>`` (the caller's column name),
        ``first_purchase``, ``last_purchase``, ``status``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns or values, unreadable dates (named by
        row), ``start`` after ``end``, or no transactions on or before ``end``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "date": pd.to_datetime(
    ...     ["2023-05-01", "2024-06-01", "2024-02-01"])})
    >>> trading_status(tx, start="2024-01-01", end="2024-12-31")["status"].tolist()
    ['terminated', 'terminated']
    """
    tx.columns(transactions, "transactions", customer=customer, date=date)
    tx.output_name(customer, ("first_purchase", "last_purchase", "status"))
    start_ts, end_ts = validate.period(start, end)
    inactive = validate.integer(inactive_days, "inactive_days", minimum=1, maximum=100_000,
                                label="不活跃天数")
    ids, days = tx.read(transactions, "transactions", customer, date)
    end_day = validate.day_number(end_ts, "end")
    kept = days <= end_day
    if not kept.any():
        raise validate.BilingualValueError(
            f"transactions[{date!r}] 在 end={validate.show(end)} 及之前没有任何交易："
            f"请选更晚的 end",
            f"transactions[{date!r}] has no transaction on or before end={validate.show(end)}: "
            f"choose a later end")
    codes, customers = validate.id_codes(ids[kept], f"transactions[{customer!r}]")
    occasion_customer, occasion_day, _ = tx.occasions(codes, days[kept])
    first, last = tx.first_and_last(occasion_customer, occasion_day)
    out = pd.DataFrame({customer: customers, "first_purchase": tx.day_dates(first),
                        "last_purchase": tx.day_dates(last)})
    stopped = last < end_day - inactive
    started = first >= validate.day_number(start_ts, "start")
    out["status"] = np.where(stopped, "terminated", np.where(started, "started", "continuing"))
    return out
