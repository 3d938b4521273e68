"""Customer equity (顾客资产): the movement table of 《客户组合分析》讲义 and its decomposition.

Every customer's lifetime value (CLTV) is an asset of the firm; the sum over all
customers is the firm's customer equity. The lecture's 顾客资产分析 follows the
equity of one year row by row — opening balance, lost customers, new
customers, customers whose CLTV went up, down or stayed — to the closing
balance (``equity_movement``), and reads it under three headings: 整体经营绩效
(overall), 获取顾客工作绩效 (acquisition) and 维系顾客工作绩效 (retention).
``decompose`` splits the actual change of equity exactly into those parts.

>>> t = equity_movement((100_000, 282), (15_000, 343), (20_000, 294),
...                     (15_000, 305), (15_000, 182))
>>> [round(v) for v in decompose(t)["equity_change"]]
[-5145000, 5880000, -962143, -227143]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["decompose", "equity_movement"]

Reading = Literal["level", "change"]

#: the most customers one row may hold (more people than live on earth is a slip)
MAX_CUSTOMERS = 10**10

_ITEMS = ("opening_balance", "lost_customers", "subtotal_after_loss", "new_customers",
          "subtotal_after_gain", "cltv_up", "cltv_down", "cltv_unchanged",
          "closing_balance")


def _customers_and_average(value: Any, name: str) -> tuple[int, float]:
    """Check one ``(customers, average CLTV)`` pair of ``equity_movement``."""
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray) \
            or len(value) != 2:
        shown = validate.show(value)
        raise validate.BilingualTypeError(
            f"{name}={shown} 无效：应为 (顾客数, 人均 CLTV) 二元组，例如 (15000, 343.0)",
            f"{name}={shown} is invalid: expected a pair (customers, average CLTV), "
            "e.g. (15000, 343.0)")
    # at most ten billion customers and 10^15 yuan each: beyond that a typing slip,
    # and their product would overflow the equity rows
    return (validate.integer(value[0], f"{name}[0] (customers)", minimum=0,
                             maximum=MAX_CUSTOMERS),
            validate.money(value[1], f"{name}[1] (average CLTV)", signed=True))


def _check_counts(groups: dict[str, tuple[int, float]], raw: dict[str, Any]) -> None:
    (n0, _), (nl, _), (nn, _), (nu, _), (nd, _) = groups.values()
    if n0 == 0:
        raise validate.BilingualValueError(
            "opening=(0, ...) 无效：期初至少要有一位顾客",
            "opening=(0, ...) is invalid: expected at least one customer")
    if nl > n0:
        shown = validate.show(raw['lost'])
        raise validate.BilingualValueError(
            f"lost={shown} 无效：流失 {nl} 人，但期初只有 {n0} 人",
            f"lost={shown} is invalid: {nl} lost customers but only {n0} at the opening balance")
    remaining = n0 - nl + nn
    if remaining == 0:
        shown_lost, shown_new = validate.show(raw["lost"]), validate.show(raw["new"])
        raise validate.BilingualValueError(
            f"lost={shown_lost} 和 new={shown_new} 无效：流失和获得之后没有顾客了",
            f"lost={shown_lost} and new={shown_new} are invalid: no customers left after "
            "losses and gains")
    if nu + nd > remaining:
        shown_up = validate.show(raw['up'])
        shown_down = validate.show(raw['down'])
        raise validate.BilingualValueError(
            f"up={shown_up} 和 down={shown_down} 无效：CLTV 变动的顾客共 {nu + nd} 人，"
            f"但只剩 {remaining} 人",
            f"up={shown_up} and down={shown_down} are invalid: {nu + nd} customers changed "
            f"CLTV but only {remaining} remain")


def equity_movement(opening: tuple[int, float], lost: tuple[int, float],
                    new: tuple[int, float], up: tuple[int, float],
                    down: tuple[int, float], *, reading: Reading = "level") -> pd.DataFrame:
    """Build the customer-equity movement table (顾客资产分析), row by row.

    Each argument is a pair ``(customers, average CLTV)``. The rows are derived
    as the lecture derives them:

    * subtotal after loss = opening − lost (customers and equity);
    * subtotal after gain = that subtotal + new customers;
    * ``cltv_unchanged``: the remaining customers (subtotal − up − down) at the
      subtotal's average CLTV;
    * closing = up + down + unchanged, average = equity / customers.

    Parameters
    ----------
    opening, lost, new, up, down : tuple of (int, float)
        Customers and their average CLTV (元) at the opening balance, lost
        during the year, newly won, with CLTV up and with CLTV down.
    reading : {"level", "change"}
        ``"level"`` (the one that reproduces the printed closing figures) takes
        the averages of the up/down rows as the customers' *new* CLTV;
        ``"change"`` takes them as the change per customer (closing =
        subtotal + up − down) — shown in the notebook only to rule it out.

    Returns
    -------
    pandas.DataFrame
        One row per item (``opening_balance`` ... ``closing_balance``), columns
        ``item``, ``customers``, ``average_cltv``, ``equity``. The average of a
        row with no customers (e.g. every customer lost) is NaN: an average over
        nobody is undefined.

    Raises
    ------
    TypeError
        If a group is not a pair of numbers.
    ValueError
        If counts are negative or inconsistent (more lost than there were, more
        changed than remain), an average is NaN/inf, or the equity overflows.

    Examples
    --------
    >>> t = equity_movement((100_000, 282), (15_000, 343), (20_000, 294),
    ...                     (15_000, 305), (15_000, 182))
    >>> round(t.loc[t["item"] == "closing_balance", "equity"].item())
    27972857
    """
    validate.choice(reading, "reading", ("level", "change"))
    raw = {"opening": opening, "lost": lost, "new": new, "up": up, "down": down}
    groups = {name: _customers_and_average(value, name) for name, value in raw.items()}
    _check_counts(groups, raw)
    (n0, a0), (nl, al), (nn, an), (nu, au), (nd, ad) = groups.values()
    n1 = n0 - nl
    n2 = n1 + nn
    e0, el, en = n0 * a0, nl * al, nn * an
    e1 = e0 - el
    e2 = e1 + en
    a2 = e2 / n2
    eu, ed = nu * au, nd * ad
    nk = n2 - nu - nd
    ek = nk * a2
    closing = eu + ed + ek if reading == "level" else e2 + eu - ed
    rows = [(n0, e0), (nl, el), (n1, e1), (nn, en), (n2, e2), (nu, eu), (nd, ed), (nk, ek),
            (n2, closing)]
    if not all(math.isfinite(e) for _, e in rows) or not math.isfinite(a2):
        raise validate.BilingualValueError(
            "opening/lost/new/up/down 无效：顾客资产超出浮点数范围（溢出），人均 CLTV 或顾客数过大",
            "opening/lost/new/up/down are invalid: customer equity overflows, the averages "
            "or counts are too large")
    table = pd.DataFrame(rows, columns=["customers", "equity"])
    table.insert(0, "item", _ITEMS)
    table["customers"] = table["customers"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        average = table["equity"].to_numpy() / table["customers"].to_numpy()
    table.insert(2, "average_cltv", np.where(table["customers"] > 0, average, np.nan))
    # the lecture prints the given averages, not equity / customers recomputed
    given = {"lost_customers": al, "new_customers": an, "cltv_up": au, "cltv_down": ad,
             "cltv_unchanged": a2}
    is_given = table["item"].isin(list(given))
    table.loc[is_given, "average_cltv"] = table["item"].map(given)[is_given]
    table.attrs["reading"] = reading
    return table


def _rows(table: Any) -> pd.DataFrame:
    """Check an ``equity_movement`` table and index it by item."""
    validate.frame(table, "table", columns=["item", "customers", "average_cltv", "equity"])
    rows = table.set_index("item")
    missing = [k for k in _ITEMS if k not in rows.index]
    if missing:
        raise validate.BilingualValueError(
            f"table 缺少行 {missing}：应为 equity.equity_movement 的结果",
            f"table is missing rows {missing}: expected an equity_movement table")
    if rows.index.duplicated().any():
        raise validate.BilingualValueError(
            "table 的 item 列有重复行：应为 equity.equity_movement 的结果",
            "table has repeated items: expected an equity_movement table")
    equity = validate.float_array(rows.loc[list(_ITEMS), "equity"], "table['equity']")
    return pd.DataFrame({"equity": equity,
                         "customers": rows.loc[list(_ITEMS), "customers"].to_numpy(),
                         "average_cltv": rows.loc[list(_ITEMS), "average_cltv"].to_numpy()},
                        index=list(_ITEMS))


def decompose(table: pd.DataFrame) -> pd.DataFrame:
    r"""Split the actual change of customer equity exactly: lost + new + CLTV change.

    Derivation: the movement table passes through two subtotals, so the change
    telescopes,

    .. math::

        E_{close} - E_{open} = (E_{after\,loss} - E_{open})
                             + (E_{after\,gain} - E_{after\,loss})
                             + (E_{close} - E_{after\,gain}).

    The first term is minus the lost customers' equity (their whole CLTV leaves
    with them: the loss is measured against zero, not against an average
    customer), the second is the new customers' equity (valued at their CLTV when
    won), and the third is the net CLTV change of *all* year-end customers (up +
    down + unchanged rows minus the subtotal after gains). The up/down/unchanged
    rows cover every customer at year end — in the lecture's table 105,000, the
    20,000 new ones included — so the third term is mostly, not only, the result
    of retention work. The three parts add up to closing −
    opening by construction; no residual is left over. For the lecture's table:
    −5,145,000 + 5,880,000 − 962,143 = −227,143; for its 拓展练习:
    −2,655,000 + 2,680,000 + 1,107,619 = +1,132,619.

    The parts are mapped to the lecture's headings (the mapping is the course's
    reading): lost customers belong to 维系顾客工作 (``retention``), new customers
    to 获取顾客工作 (``acquisition``), the CLTV change of the year-end customers
    mostly to 维系 but partly to 获取 (``retention_and_acquisition``), the total
    change to 整体经营绩效 (``overall``). Display labels: ``frame.pipe(glossary.zh)``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table returned by ``equity_movement``.

    Returns
    -------
    pandas.DataFrame
        Four rows (``part`` = ``lost_customers``, ``new_customers``,
        ``cltv_change``, ``total_change``) with columns ``part``, ``heading``
        and ``equity_change`` (元); the first three add up to the fourth.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If rows or columns of an ``equity_movement`` table are missing, or its
        equity holds NaN/inf.

    Examples
    --------
    >>> t = equity_movement((100_000, 282), (15_000, 177), (20_000, 134),
    ...                     (30_000, 341), (10_000, 163))
    >>> [round(v) for v in decompose(t)["equity_change"]]
    [-2655000, 2680000, 1107619, 1132619]
    """
    e = _rows(table)["equity"]
    lost = e["subtotal_after_loss"] - e["opening_balance"]
    new = e["subtotal_after_gain"] - e["subtotal_after_loss"]
    cltv = e["closing_balance"] - e["subtotal_after_gain"]
    total = e["closing_balance"] - e["opening_balance"]
    return pd.DataFrame({
        "part": ["lost_customers", "new_customers", "cltv_change", "total_change"],
        "heading": ["retention", "acquisition", "retention_and_acquisition", "overall"],
        "equity_change": [float(lost), float(new), float(cltv), float(total)],
    })
