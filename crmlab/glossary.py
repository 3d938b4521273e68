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
    "merchant_fee": ("刷卡回佣（元）", "Merchant fees (yuan)"),
    "referral_reward": ("转介绍奖励（元）", "Referral value (yuan)"),
    "allocation_cost": ("分配成本（元）", "Allocation cost (yuan)"),
    "maintenance_cost": ("维护成本（元）", "Maintenance cost (yuan)"),
    "total_revenue": ("总收入（元）", "Total revenue (yuan)"),
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
    "area": ("工作领域", "Area"),
    "effect": ("对顾客资产的影响（元）", "Effect on equity (yuan)"),
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
    "segment_name": ("RFM 客户类型", "RFM segment"),
    "strategy": ("营销策略", "Strategy"),
    "customer_share": ("客户占比", "Share of customers"),
    "revenue_share": ("收入占比", "Share of revenue"),
    "mean_recency_days": ("平均光顾间歇（天）", "Mean recency (days)"),
    "mean_frequency": ("平均光顾频率（次）", "Mean frequency"),
    "mean_monetary_mean": ("平均每次消费额", "Mean spend per purchase"),
    # --- chapter 1: customer selection (pareto, selection) -------------------
    "cumulative_profit_share": ("累计利润占比", "Cumulative share of profit"),
    "top": ("顶部客户占比", "Top share of customers"),
    "top_share": ("顶部客户的利润占比", "Profit share of the top"),
    "bottom": ("底部客户占比", "Bottom share of customers"),
    "bottom_share": ("底部客户的利润占比", "Profit share of the bottom"),
    "peak_share": ("鲸鱼曲线峰值", "Whale-curve peak"),
    "peak_customer_share": ("峰值处客户占比", "Share of customers at the peak"),
    "gini": ("基尼系数", "Gini coefficient"),
    "value": ("数值", "Value"),
    "abc_class": ("ABC 类别", "ABC class"),
    "company": ("公司名称", "Company"),
    "industry": ("行业", "Industry"),
    "region": ("地区", "Region"),
    "since": ("合作起始年份", "Customer since"),
    "sales_last_year": ("上年购买额（元）", "Purchases last year (yuan)"),
    "orders": ("订单数", "Orders"),
    "price_discount": ("平均折扣率", "Average price discount"),
    "gross_profit": ("毛利贡献（元）", "Gross profit (yuan)"),
    "support_hours": ("技术支持（小时）", "Support hours"),
    "visits": ("拜访次数", "Sales visits"),
    "service_cost": ("服务成本（元）", "Cost to serve (yuan)"),
    "days_to_pay": ("平均回款天数（天）", "Days to pay"),
    "collection_rate": ("回款率", "Collection rate"),
    "financing_cost": ("应收账款资金成本（元）", "Financing cost (yuan)"),
    "bad_debt": ("坏账（元）", "Bad debt (yuan)"),
    "cooperation": ("合作性", "Cooperation"),
    "purchase": ("购买额", "Purchases"),
    "profitability": ("收益性", "Profitability"),
    "safety": ("安全性", "Payment safety"),
    "future": ("未来性", "Prospects"),
    "score_purchase": ("购买额得分", "Purchase score"),
    "score_profitability": ("收益性得分", "Profitability score"),
    "score_safety": ("安全性得分", "Safety score"),
    "score_future": ("未来性得分", "Prospects score"),
    "score_cooperation": ("合作性得分", "Cooperation score"),
    "total_score": ("加权总分", "Weighted score"),
    "selected": ("入选", "Selected"),
    "criterion": ("指标", "Criterion"),
    "weight": ("权重", "Weight"),
    "change": ("权重变化", "Weight change"),
    "spearman": ("排名相关系数", "Spearman rank correlation"),
    "top_overlap": ("前 k 名重合率", "Top-k overlap"),
    "entered": ("新进入前 k 名", "Entered the top k"),
    "left": ("跌出前 k 名", "Left the top k"),
    "attractiveness": ("吸引力得分", "Attractiveness"),
    "fit": ("匹配程度得分", "Fit"),
    "segment_decision": ("选择建议", "Decision"),
    "loss_makers": ("亏损客户数", "Loss-making customers"),
    "loss_maker_share": ("亏损客户占比", "Share of loss makers"),
    "losses": ("亏损合计（元）", "Losses (yuan)"),
    "value_outweighs_cash_drain": ("隐性价值大于显性亏损", "Hidden value outweighs the loss"),
    "within_service_capacity": ("在服务能力范围内", "Within service capacity"),
    "financially_sound": ("财务状况良好", "Financially sound"),
    "keep": ("保留", "Keep"),
    "failed": ("未满足的条件", "Conditions not met"),
    "growth": ("增长率", "Growth"),
}


#: column -> {value code -> (中文, English)}: labels for the *values* of a column
#: (segment codes, quadrant names, workflow steps, ...). Computation returns the
#: stable codes; ``relabel`` turns them into display labels. One vocabulary per
#: column name, grouped by chapter like ``TERMS``.
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    # --- chapter 1: customer selection
    "abc_class": {"A": ("A 类（重点客户）", "A (key customers)"),
                  "B": ("B 类（潜力客户）", "B (potential customers)"),
                  "C": ("C 类（小客户）", "C (small customers)")},
    "segment_decision": {"enter": ("重点进入", "Enter"),
                         "build_fit": ("先提升匹配度再进入", "Build fit first"),
                         "selective": ("选择性经营", "Selective"),
                         "avoid": ("放弃", "Avoid")},
    "criterion": {"purchase": ("购买额", "Purchases"),
                  "profitability": ("收益性", "Profitability"),
                  "safety": ("安全性", "Payment safety"),
                  "future": ("未来性", "Prospects"),
                  "cooperation": ("合作性", "Cooperation")},
}


def label(key: str, lang: Lang = "zh") -> str:
    """The display label of ``key`` in ``lang``; unknown keys come back unchanged."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang={lang!r} is invalid: expected 'zh' or 'en'")
    pair = TERMS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def value_label(column: str, code: object, lang: Lang = "zh") -> object:
    """The display label of value ``code`` in ``column``; unknown values come back unchanged."""
    label(column, lang)  # validates lang
    pair = VALUES.get(column, {}).get(code) if isinstance(code, str) else None
    if pair is None:
        return code
    return pair[0] if lang == "zh" else pair[1]


def _relabel_values(values: pd.Series | pd.Index, column: object,
                    lang: Lang) -> pd.Series | pd.Index:
    if not isinstance(column, str) or column not in VALUES:
        return values
    mapping = {code: pair[0] if lang == "zh" else pair[1]
               for code, pair in VALUES[column].items()}
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.rename_categories(lambda c: mapping.get(c, c))
    return values.map(lambda v: mapping.get(v, v))


def relabel(frame: pd.DataFrame | pd.Series, lang: Lang = "zh") -> pd.DataFrame | pd.Series:
    """A copy of ``frame`` with columns, index names, a Series name *and* coded values relabelled.

    Values are relabelled in every column (and index level) whose name has a
    vocabulary in ``VALUES``.
    """
    if not isinstance(frame, pd.DataFrame | pd.Series):
        raise TypeError(f"frame is a {type(frame).__name__}: expected a DataFrame or Series")
    out = frame.copy()
    if isinstance(out, pd.DataFrame):
        for column in out.columns:
            if isinstance(column, str) and column in VALUES:
                out[column] = _relabel_values(out[column], column, lang)
        out.columns = [label(c, lang) if isinstance(c, str) else c for c in out.columns]
    else:
        out = _relabel_values(out, out.name, lang)
        if isinstance(out.name, str):
            out.name = label(out.name, lang)
    if isinstance(out.index, pd.MultiIndex):
        out.index = out.index.set_levels(
            [_relabel_values(level, level.name, lang) for level in out.index.levels])
    else:
        out.index = _relabel_values(out.index, out.index.name, lang)
    out.index.names = [label(n, lang) if isinstance(n, str) else n for n in out.index.names]
    return out


def zh(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """``frame.pipe(glossary.zh)``: Chinese labels for display."""
    return relabel(frame, "zh")


def en(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """``frame.pipe(glossary.en)``: English labels for display."""
    return relabel(frame, "en")
