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
    # --- chapter 4: customer portfolio (portfolio) -------------------------
    "channel_type": ("客户类型（渠道）", "Channel type"),
    "group_subtotal": ("分类小计", "Class subtotal"),
    "total_sales": ("销售总额", "Total sales"),
    "share_in_group": ("占分类销售额比重", "Share of class"),
    "share_of_total": ("占总销售额比重", "Share of total"),
    "expected_share": ("期望比重", "Expected share"),
    "gap": ("差距", "Gap"),
    "meets_expectation": ("达到期望", "Meets expectation"),
    "share_of_wallet": ("钱包份额", "Share of wallet"),
    "purchases": ("客户总采购额", "Customer's total purchases"),
    "product": ("产品", "Product"),
    "target_met": ("完成销售任务", "Target met"),
    "gross_profit": ("毛利", "Gross profit"),
    "gross_margin": ("毛利率", "Gross margin"),
    "profit_share": ("毛利占比", "Share of gross profit"),
    "average_inventory": ("平均库存", "Average inventory"),
    "turnover": ("周转率（次）", "Turnover (times)"),
    "days_of_inventory": ("库存天数（天）", "Days of inventory"),
    "status": ("交易状态", "Trading status"),
    "tier": ("客户层级", "Tier"),
    "value_share": ("价值占比", "Share of value"),
    "x_high": ("横轴为高", "x high"),
    "y_high": ("纵轴为高", "y high"),
    "quadrant": ("客户类型（象限）", "Quadrant"),
    "current_value": ("客户当前价值", "Current value"),
    "future_value": ("客户未来价值", "Future value"),
    "loyalty": ("客户忠诚度", "Loyalty"),
    "scale": ("客户规模", "Scale"),
    "credit_score": ("客户信用度", "Credit score"),
    "margin_rate": ("盈利率", "Margin rate"),
    "importance": ("战略重要性", "Strategic importance"),
    "management_difficulty": ("管理难度", "Management difficulty"),
    "staff_level": ("人员等级", "Staff level"),
    "visits_min": ("走访次数（下限）", "Visits (min)"),
    "visits_max": ("走访次数（上限）", "Visits (max)"),
    "calls_min": ("电话次数（下限）", "Calls (min)"),
    "calls_max": ("电话次数（上限）", "Calls (max)"),
    "customer_group": ("客户划分", "Customer group"),
    "relationship_type": ("关系类型", "Relationship type"),
    "focus": ("关系重点", "Focus"),
    "value_class": ("价值类别", "Value class"),
    "company": ("公司名称", "Company"),
    "orders": ("订单数（笔）", "Orders"),
    "since": ("开始合作年份", "Customer since"),
    "sales_last_year": ("上年销售额", "Sales last year"),
    "loyalty_score": ("客户忠诚度（分）", "Loyalty score"),
    "purchases_total": ("客户总采购额", "Customer's total purchases"),
    "strategic_importance": ("战略重要性（分）", "Strategic importance"),
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
    # --- chapter 4: customer portfolio (portfolio) -------------------------
    "channel_type": {
        "wholesale": ("批发店", "Wholesaler"), "retail": ("零售店", "Retailer"),
        "agent": ("代理店", "Agent"), "franchise": ("特约店", "Authorised dealer"),
        "chain": ("连锁店", "Chain store"), "specialty": ("专营店", "Specialty store"),
        "total": ("合计", "Total"),
    },
    "status": {"started": ("开始交易", "Started"), "continuing": ("持续交易", "Continuing"),
               "terminated": ("终止交易", "Terminated")},
    "tier": {"platinum": ("铂金层级", "Platinum"), "gold": ("黄金层级", "Gold"),
             "iron": ("钢铁层级", "Iron"), "lead": ("重铅层级", "Lead")},
    "quadrant": {
        "vip": ("贵宾型客户", "VIP"), "improve": ("改进型客户", "Improve"),
        "maintain": ("维持型客户", "Maintain"), "abandon": ("放弃型客户", "Abandon"),
        "cash_cow": ("金牛客户", "Cash cow"), "tomorrow": ("明日客户", "Tomorrow"),
        "warm_up": ("加温客户", "Warm-up"), "chicken_rib": ("鸡肋客户", "Chicken rib"),
        "star": ("明星客户", "Star"), "golden": ("黄金客户", "Golden"),
        "risky": ("风险客户", "Risky"), "junk": ("垃圾客户", "Junk"),
        "A": ("A 类客户", "A"), "B": ("B 类客户", "B"), "C": ("C 类客户", "C"),
        "unlisted": ("讲义未列（低周转高盈利）", "Not in the lecture"),
        "loyal": ("忠诚客户", "Loyal"), "potential": ("潜在客户", "Potential"),
        "marginal": ("边缘客户", "Marginal"), "lost": ("流失客户", "Lost"),
        "volume": ("高销低利客户", "High sales, low profit"),
        "niche": ("低销高利客户", "Low sales, high profit"), "dog": ("瘦狗客户", "Dog"),
        "key_easy": ("关键-容易（铂金层级）", "Key-easy (platinum)"),
        "key_hard": ("关键-困难（黄金层级）", "Key-hard (gold)"),
        "minor_easy": ("不关键-容易（钢铁层级）", "Minor-easy (iron)"),
        "minor_hard": ("不关键-困难（重铅层级）", "Minor-hard (lead)"),
        "high_high": ("双高", "High-high"), "low_high": ("横低纵高", "Low x, high y"),
        "high_low": ("横高纵低", "High x, low y"), "low_low": ("双低", "Low-low"),
    },
    "value_class": {"high": ("高价值客户", "High value"),
                    "medium": ("中等价值客户", "Medium value"),
                    "low": ("低价值客户", "Low value")},
    "staff_level": {"sales_rep": ("销售人员", "Sales rep"),
                    "sales_manager": ("业务经理", "Sales manager"),
                    "marketing_director": ("市场总监", "Marketing director"),
                    "general_manager": ("总经理或副总", "General manager / deputy")},
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
