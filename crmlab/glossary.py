"""One glossary for every column and label the course shows, in zh and en.

Computation returns frames with stable English column names; display relabels
them. ``relabel(frame, lang="zh")`` (or ``frame.pipe(glossary.zh)``) renames
columns and index names; ``label(key, lang)`` gives one label for a plot axis.
Unknown keys are left as they are, so a new column never breaks a display.

>>> import pandas as pd
>>> from crmlab import glossary
>>> glossary.label("customer_id", "zh")
'客户编号'
>>> list(pd.DataFrame({"customer_id": [1], "amount": [9.5]}).pipe(glossary.zh).columns)
['客户编号', '金额（元）']
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Lang = Literal["zh", "en"]

#: key -> (中文, English). Grouped by chapter; keep keys snake_case English.
TERMS: dict[str, tuple[str, str]] = {
    # --- shared: transactions and customers ---------------------------------
    "customer_id": ("客户编号", "Customer ID"),
    "date": ("日期", "Date"),
    "quantity": ("数量（件）", "Quantity"),
    "amount": ("金额（元）", "Amount (yuan)"),
    "revenue": ("收入（元）", "Revenue (yuan)"),
    "cost": ("成本（元）", "Cost (yuan)"),
    "profit": ("利润（元）", "Profit (yuan)"),
    "share": ("占比", "Share"),
    "cumulative_share": ("累计占比", "Cumulative share"),
    "count": ("数量", "Count"),
    "customers": ("客户数", "Customers"),
    "total": ("合计", "Total"),
    "year": ("年份", "Year"),
    "period": ("期数", "Period"),
    "segment": ("客户细分", "Segment"),
    "rank": ("排名", "Rank"),
    # --- chapter 0: customer file (客户档案) ----------------------------------
    "source": ("数据来源", "Source"),
    "record_id": ("记录编号", "Record ID"),
    "name": ("姓名", "Name"),
    "phone": ("手机号", "Phone"),
    "email": ("电子邮箱", "E-mail"),
    "city": ("城市", "City"),
    "gender": ("性别", "Gender"),
    "birth_date": ("出生日期", "Birth date"),
    "registered": ("登记日期", "Registration date"),
    "n_records": ("合并记录数", "Merged records"),
    "sources": ("来源渠道", "Sources"),
    "first_purchase": ("首次购买", "First purchase"),
    "last_purchase": ("最近购买", "Last purchase"),
    "n_orders": ("订单数", "Orders"),
    "total_amount": ("累计消费（元）", "Total spend (yuan)"),
    "avg_amount": ("平均每单（元）", "Average order (yuan)"),
    "n_contacts": ("联系次数", "Contacts"),
    "contact_cost": ("企业投入（元）", "Company spend (yuan)"),
    "channel": ("渠道", "Channel"),
    "kind": ("类型", "Kind"),
    # --- chapter 2: customer lifetime value (clv) ----------------------------
    # --- chapter 3: customer value (costing, rfm) ----------------------------
}


def label(key: str, lang: Lang = "zh") -> str:
    """The display label of ``key`` in ``lang``; unknown keys come back unchanged."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang={lang!r} is invalid: expected 'zh' or 'en'")
    pair = TERMS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def relabel(frame: pd.DataFrame | pd.Series, lang: Lang = "zh") -> pd.DataFrame | pd.Series:
    """A copy of ``frame`` with columns, index names (and a Series name) relabelled."""
    if not isinstance(frame, pd.DataFrame | pd.Series):
        raise TypeError(f"frame is a {type(frame).__name__}: expected a DataFrame or Series")
    out = frame.copy()
    if isinstance(out, pd.DataFrame):
        out.columns = [label(c, lang) if isinstance(c, str) else c for c in out.columns]
    elif isinstance(out.name, str):
        out.name = label(out.name, lang)
    out.index.names = [label(n, lang) if isinstance(n, str) else n for n in out.index.names]
    return out


def zh(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """``frame.pipe(glossary.zh)``: Chinese labels for display."""
    return relabel(frame, "zh")


def en(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """``frame.pipe(glossary.en)``: English labels for display."""
    return relabel(frame, "en")
