"""One glossary for every column and label the course shows, in zh and en.

Computation returns frames with stable English column names; display relabels
them. ``relabel(frame, lang="zh")`` (or ``frame.pipe(glossary.zh)``) renames
columns and index names and relabels coded values (``VALUES``: segment codes,
strategies, ...); ``label(key, lang)`` gives one label for a plot axis.
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

from crmlab import _validation as validate

__all__ = ["TERMS", "VALUES", "en", "label", "relabel", "value_label", "zh"]

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
    "net_cash_flow": ("净现金流（元）", "Net cash flow (yuan)"),
    "retention_probability": ("保留概率", "Retention probability"),
    "expected_cash_flow": ("期望现金流（元）", "Expected cash flow (yuan)"),
    "discount_factor": ("贴现系数", "Discount factor"),
    "present_value": ("现值（元）", "Present value (yuan)"),
    "cumulative_pv": ("累计现值（元）", "Cumulative PV (yuan)"),
    "pv_revenue": ("收入现值（元）", "PV of revenue (yuan)"),
    "pv_recurring_cost": ("保留成本现值（元）", "PV of recurring cost (yuan)"),
    "acquisition_cost": ("获取成本（元）", "Acquisition cost (yuan)"),
    "clv": ("客户终身价值 CLV（元）", "CLV (yuan)"),
    "npv": ("净现值（元）", "NPV (yuan)"),
    "retention": ("保留率 r", "Retention rate r"),
    "discount_rate": ("贴现率 i", "Discount rate i"),
    "margin": ("每期利润（元）", "Margin per period (yuan)"),
    "margin_multiple": ("利润乘数", "Margin multiple"),
    "risk": ("风险类型", "Risk"),
    "card_fee": ("办卡及年费收入（元）", "Card fees (yuan)"),
    "interest_income": ("利息收入（元）", "Interest income (yuan)"),
    "spending": ("刷卡消费额（元）", "Card spending (yuan)"),
    "points_cost": ("积分兑换成本（元）", "Points redeemed (yuan)"),
    "referral_reward": ("转介绍奖励（元）", "Referral rewards paid (yuan)"),
    "allocation_cost": ("分配成本（元）", "Allocation cost (yuan)"),
    "maintenance_cost": ("维护成本（元）", "Maintenance cost (yuan)"),
    "total_revenue": ("总收入（元）", "Total revenue (yuan)"),
    "gross_revenue": ("收入（未扣奖励，元）", "Gross revenue (yuan)"),
    "rewards": ("积分与转介绍奖励（元）", "Rewards paid (yuan)"),
    "window_profit": ("周期内总收益 − 总成本（不贴现，元）", "Window profit, undiscounted (yuan)"),
    "average_cltv": ("人均顾客资产（元）", "Average CLTV (yuan)"),
    "equity": ("顾客资产（元）", "Customer equity (yuan)"),
    "opening_balance": ("初始余额", "Opening balance"),
    "lost_customers": ("流失顾客", "Lost customers"),
    "subtotal_after_loss": ("小结（流失后）", "Subtotal after losses"),
    "new_customers": ("获得新顾客", "New customers"),
    "subtotal_after_gain": ("小结（获得后）", "Subtotal after gains"),
    "cltv_up": ("CLTV 上升的顾客", "CLTV up"),
    "cltv_down": ("CLTV 下降的顾客", "CLTV down"),
    "cltv_unchanged": ("CLTV 不变的顾客", "CLTV unchanged"),
    "closing_balance": ("期末余额", "Closing balance"),
    "textbook": ("教材数值", "Textbook"),
    "computed": ("crmlab 计算", "crmlab"),
    # --- chapter 3: customer value (costing, rfm) ----------------------------
    "item": ("项目", "Item"),
    "sales": ("销售额", "Sales"),
    "direct_cost": ("直接成本", "Direct cost"),
    "admin": ("管理费用", "Administrative expense"),
    "selling": ("销售费用", "Selling expense"),
    "total_cost": ("成本合计", "Total cost"),
    "segment_profit": ("利润", "Profit"),
    "activity": ("作业（活动）", "Activity"),
    "pool": ("费用池", "Cost pool"),
    "driver": ("成本动因", "Cost driver"),
    "driver_quantity": ("动因数量", "Driver quantity"),
    "driver_total": ("动因合计", "Driver total"),
    "rate": ("动因分配率", "Rate per driver unit"),
    "allocated": ("分摊额", "Allocated"),
    "profit_vbc": ("VBC 利润", "Profit (VBC)"),
    "profit_abc": ("ABC 利润", "Profit (ABC)"),
    "rank_vbc": ("VBC 排名", "Rank (VBC)"),
    "rank_abc": ("ABC 排名", "Rank (ABC)"),
    "rank_shift": ("名次变化", "Rank shift"),
    "method": ("方法", "Method"),
    "accuracy": ("准确性", "Accuracy"),
    "operating_cost": ("操作成本", "Operating cost"),
    "difficulty": ("操作难度", "Difficulty"),
    "recency_days": ("光顾间歇（天）", "Recency (days)"),
    "recency_months": ("光顾间歇（月）", "Recency (months)"),
    "frequency": ("光顾频率（次）", "Frequency (occasions)"),
    "monetary_total": ("累计消费额", "Total spend"),
    "monetary_mean": ("平均每次消费额", "Average spend per purchase"),
    "r_score": ("R 得分", "R score"),
    "f_score": ("F 得分", "F score"),
    "m_score": ("M 得分", "M score"),
    "rfm_code": ("RFM 组合", "RFM code"),
    "rfm_total": ("RFM 总分", "RFM total"),
    "r_high": ("R 高", "R high"),
    "f_high": ("F 高", "F high"),
    "m_high": ("M 高", "M high"),
    "r_level": ("R（光顾间歇）", "R (recency)"),
    "f_level": ("F（光顾频率）", "F (frequency)"),
    "m_level": ("M（消费额）", "M (monetary)"),
    "strategy": ("营销策略", "Strategy"),
    "customer_share": ("客户占比", "Share of customers"),
    "revenue_share": ("收入占比", "Share of revenue"),
    "mean_recency_days": ("平均光顾间歇（天）", "Mean recency (days)"),
    "mean_frequency": ("平均光顾频率（次）", "Mean frequency"),
    "mean_monetary_mean": ("平均每次消费额", "Mean spend per purchase"),
    # --- chapter 2: customer equity decomposition (equity.decompose) ---------
    "part": ("组成部分", "Part"),
    "heading": ("讲义分析角度", "Lecture heading"),
    "equity_change": ("顾客资产变动（元）", "Change in equity (yuan)"),
    # --- chapter 3: RFM tables (rfm.preset_table) ----------------------------
    "rfm_dimension": ("RFM 维度", "RFM dimension"),
    "preset_row": ("内容", "Row"),
    "score_1": ("1分", "1 pt"),
    "score_2": ("2分", "2 pt"),
    "score_3": ("3分", "3 pt"),
    "score_4": ("4分", "4 pt"),
    "score_5": ("5分", "5 pt"),
    "score_6": ("6分", "6 pt"),
    "score_7": ("7分", "7 pt"),
    # --- chapter 2: customer migration (clv.migration_clv) ---------------
    "active_probability": ("仍未流失的概率", "Probability still active"),
    "purchase_probability": ("当年购买的概率", "Probability of a purchase"),
}


#: column -> {value code -> (中文, English)}: labels for the *values* of a column
#: (segment codes, quadrant names, workflow steps, ...). Computation returns the
#: stable codes; ``relabel`` turns them into display labels. One vocabulary per
#: column name, grouped by chapter like ``TERMS``.
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    # --- clv / equity / costing values ---------------------------------------
    "part": {"lost_customers": ("流失顾客", "Lost customers"),
             "new_customers": ("获得新顾客", "New customers"),
             "cltv_change": ("保留顾客的 CLTV 变动", "CLTV change of customers kept"),
             "total_change": ("顾客资产变动合计", "Total change in equity")},
    "heading": {"overall": ("整体经营绩效", "Overall performance"),
                "acquisition": ("获取顾客工作绩效", "Acquisition performance"),
                "retention": ("维系顾客工作绩效", "Retention performance")},
    "item": {"sales": ("销售额", "Sales"), "direct_cost": ("直接成本", "Direct cost"),
             "admin": ("管理费用", "Administrative expense"),
             "selling": ("销售费用", "Selling expense"),
             "total_cost": ("成本合计", "Total cost"), "segment_profit": ("利润", "Profit"),
             "opening_balance": ("初始余额", "Opening balance"),
             "lost_customers": ("流失顾客", "Lost customers"),
             "subtotal_after_loss": ("小结（流失后）", "Subtotal after losses"),
             "new_customers": ("获得新顾客", "New customers"),
             "subtotal_after_gain": ("小结（获得后）", "Subtotal after gains"),
             "cltv_up": ("CLTV 上升的顾客", "CLTV up"),
             "cltv_down": ("CLTV 下降的顾客", "CLTV down"),
             "cltv_unchanged": ("CLTV 不变的顾客", "CLTV unchanged"),
             "closing_balance": ("期末余额", "Closing balance")},
    "accuracy": {"best": ("最好", "best"), "middle": ("居中", "middle"),
                 "worst": ("最差", "worst")},
    "operating_cost": {"lowest": ("最低", "lowest"), "high": ("较高", "high"),
                       "highest": ("最高", "highest")},
    "difficulty": {"easiest": ("最易", "easiest"), "hard": ("较难", "hard"),
                   "hardest": ("最难", "hardest")},
    # --- chapter 3: RFM segments, strategies and tables (rfm) ----------------
    "segment": {"important_value": ("重要价值客户", "Important value"),
                "important_development": ("重要发展客户", "Important to develop"),
                "important_retention": ("重要保持客户", "Important to retain"),
                "important_winback": ("重要挽留客户", "Important to win back"),
                "general_value": ("一般价值客户", "General value"),
                "general_development": ("一般发展客户", "General to develop"),
                "general_retention": ("一般保持客户", "General to retain"),
                "general_winback": ("一般挽留客户", "General win-back")},
    "strategy": {
        "keep_and_reward": ("重点维护：VIP 专属服务、新品优先体验、个性化推荐；不必靠打折留住",
                            "Keep and reward: VIP service, early access, personal offers; "
                            "avoid needless discounts"),
        "raise_frequency": ("提高购买频次：会员积分、交叉销售、复购提醒与套餐",
                            "Raise frequency: loyalty points, cross-selling, "
                            "repeat-purchase reminders"),
        "reach_out": ("主动联系：客户经理回访、关怀活动，找出最近不来的原因",
                      "Reach out: account-manager call, care programme, find out why they "
                      "went quiet"),
        "win_back": ("重点挽留：专属优惠、流失原因调研，挽回成本不超过其价值",
                     "Win back: tailored offer, churn-reason survey, spend less than they "
                     "are worth"),
        "raise_basket": ("提升客单价：向上销售、组合装、满额优惠",
                         "Raise basket size: up-selling, bundles, spend-more thresholds"),
        "nurture": ("培育：新客引导、低成本自动化营销，观察其成长",
                    "Nurture: onboarding, low-cost automated marketing, watch for growth"),
        "low_cost_reactivation": ("低成本唤醒：短信、邮件、推送提醒",
                                  "Low-cost reactivation: SMS, e-mail, push reminders"),
        "minimal_spend": ("最少投入：批量自动化触达，必要时放弃",
                          "Minimal spend: batch automated contact, or let go")},
    "r_level": {"high": ("高", "high"), "low": ("低", "low")},
    "f_level": {"high": ("高", "high"), "low": ("低", "low")},
    "m_level": {"high": ("高", "high"), "low": ("低", "low")},
    "rfm_dimension": {"r": ("光顾间歇 R", "Recency R"), "f": ("光顾频率 F", "Frequency F"),
                      "m": ("消费额 M", "Monetary M")},
    "preset_row": {"seed_text": ("教材原文", "seed text"),
                   "interval": ("crmlab 区间", "crmlab interval")},
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def label(key: object, lang: Lang = "zh") -> object:
    """Look up the display label of a column name ``key``; unknown keys come back unchanged.

    Parameters
    ----------
    key : str
        A column name such as ``"customer_id"``; anything not in ``TERMS``
        (including non-text keys) is returned as it is.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str
        The label, or ``key`` unchanged.

    Raises
    ------
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> label("recency_days"), label("recency_days", "en"), label("mystery")
    ('光顾间歇（天）', 'Recency (days)', 'mystery')
    """
    lang = validate.language(lang)
    pair = TERMS.get(key) if isinstance(key, str) else None
    return key if pair is None else _pick(pair, lang)


def value_label(column: object, code: object, lang: Lang = "zh") -> object:
    """Look up the display label of value ``code`` in ``column``; unknown ones come back unchanged.

    Parameters
    ----------
    column : str
        A column with a vocabulary in ``VALUES`` (e.g. ``"segment"``).
    code : str
        A value code of that column (e.g. ``"important_value"``).
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str
        The label, or ``code`` unchanged.

    Raises
    ------
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> value_label("segment", "important_value")
    '重要价值客户'
    """
    lang = validate.language(lang)
    vocabulary = VALUES.get(column, {}) if isinstance(column, str) else {}
    pair = vocabulary.get(code) if isinstance(code, str) else None
    return code if pair is None else _pick(pair, lang)


def _relabel_values(values: pd.Series | pd.Index, column: object,
                    lang: str) -> pd.Series | pd.Index:
    if not isinstance(column, str) or column not in VALUES:
        return values
    mapping = {code: _pick(pair, lang) for code, pair in VALUES[column].items()}
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.rename_categories(
            lambda c: mapping.get(c, c) if isinstance(c, str) else c)
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def relabel(frame: pd.DataFrame | pd.Series, lang: Lang = "zh") -> pd.DataFrame | pd.Series:
    """Relabel a copy of ``frame`` for display: columns, index names, Series name, coded values.

    Values are relabelled in every column (and index level) whose name has a
    vocabulary in ``VALUES``; unknown names and codes stay as they are.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A relabelled copy.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> relabel(pd.DataFrame({"segment": ["general_value"]}), "en").to_dict("list")
    {'Segment': ['General value']}
    """
    lang = validate.language(lang)
    if not isinstance(frame, pd.DataFrame | pd.Series):
        raise TypeError(validate.bilingual(
            f"frame 是 {type(frame).__name__}：应为 DataFrame 或 Series",
            f"frame is a {type(frame).__name__}: expected a DataFrame or Series"))
    out = frame.copy()
    if isinstance(out, pd.DataFrame):
        relabelled = {i: _relabel_values(out.iloc[:, i], column, lang)
                      for i, column in enumerate(out.columns)
                      if isinstance(column, str) and column in VALUES}
        for i, values in relabelled.items():
            out.isetitem(i, values)
        out.columns = [label(c, lang) for c in out.columns]
    else:
        out = _relabel_values(out, out.name, lang)
        out.name = label(out.name, lang)
    if isinstance(out.index, pd.MultiIndex):
        out.index = out.index.set_levels(
            [_relabel_values(level, level.name, lang) for level in out.index.levels])
    else:
        out.index = _relabel_values(out.index, out.index.name, lang)
    out.index.names = [label(n, lang) for n in out.index.names]
    return out


def zh(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Relabel for display in Chinese: ``frame.pipe(glossary.zh)`` (see ``relabel``).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.

    Returns
    -------
    pandas.DataFrame or pandas.Series

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.

    Examples
    --------
    >>> zh(pd.Series(["important_value"], name="segment")).tolist()
    ['重要价值客户']
    """
    return relabel(frame, "zh")


def en(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Relabel for display in English: ``frame.pipe(glossary.en)`` (see ``relabel``).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.

    Returns
    -------
    pandas.DataFrame or pandas.Series

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.

    Examples
    --------
    >>> en(pd.DataFrame({"amount": [1.0]})).columns.tolist()
    ['Amount (yuan)']
    """
    return relabel(frame, "en")
