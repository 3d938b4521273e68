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
    "r_level": ("R 得分", "R score"),
    "f_level": ("F 得分", "F score"),
    "m_level": ("M 得分", "M score"),
    "strategy": ("营销策略", "Strategy"),
    "customer_share": ("客户占比", "Share of customers"),
    "revenue_share": ("收入占比", "Share of revenue"),
    "mean_recency_days": ("平均光顾间歇（天）", "Mean recency (days)"),
    "mean_frequency": ("平均光顾频率（次）", "Mean frequency"),
    "mean_monetary_mean": ("平均每次消费额", "Mean spend per purchase"),
    # --- chapter 2: customer equity decomposition (equity.decompose) ---------
    "part": ("组成部分", "Part"),
    "heading": ("对应的分析角度（本课程的解读）", "Heading (the course's reading)"),
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
    # --- chapter 5: complaints and loyalty (complaints, loyalty) ---------------
    "complaint_id": ("投诉编号", "Complaint ID"),
    "order_id": ("订单编号", "Order ID"),
    "seq": ("序号", "Seq."),
    "step": ("处理步骤", "Step"),
    "at": ("时间", "Time"),
    "by": ("经办人", "By"),
    "note": ("备注", "Note"),
    "complaint_type": ("投诉类型", "Complaint type"),
    "sub_item": ("投诉子项", "Sub-item"),
    "department": ("责任部门", "Department"),
    "satisfaction": ("处理后满意度（1–5分）", "Satisfaction after handling (1-5)"),
    "principle": ("原则", "Principle"),
    "description_zh": ("说明", "Description (Chinese)"),
    "description_en": ("说明（英文）", "Description"),
    "in_crmlab": ("crmlab 中的对应", "In crmlab"),
    "procedure_no": ("程序序号", "Procedure no."),
    "next_steps": ("合法的下一步", "Legal next steps"),
    "complaint_strategy": ("处理策略", "Strategy"),
    "attention_point": ("注意问题", "Point of attention"),
    "row": ("行号", "Row"),
    "problem": ("问题", "Problem"),
    "detail": ("说明", "Detail"),
    "opened_at": ("投诉时间", "Recorded at"),
    "settled_at": ("结案时间（最终）", "Settled at (final)"),
    "first_settled_at": ("首次结案时间", "First settled at"),
    "first_resolution_days": ("首次解决时长（天）", "Time to first resolution (days)"),
    "final_step": ("当前步骤", "Current step"),
    "status": ("状态", "Status"),
    "handling_days": ("处理时长（天，到最终结案）", "Handling time to final closure (days)"),
    "reviewed": ("已总结评价", "Reviewed"),
    "reopens": ("重开次数", "Reopens"),
    "complaints": ("投诉数", "Complaints"),
    "vital_few": ("关键少数", "Vital few"),
    "settled": ("已结案", "Settled"),
    "open": ("未结案", "Open"),
    "median_days": ("处理时长中位数（天）", "Median handling time (days)"),
    "mean_days": ("平均处理时长（天）", "Mean handling time (days)"),
    "within_sla": ("按时结案", "Within SLA"),
    "breaches": ("超时结案", "SLA breaches"),
    "sla_compliance": ("按时结案率", "SLA compliance"),
    "group": ("组别", "Group"),
    "quarter": ("季度", "Quarter"),
    "month": ("月份", "Month"),
    "handled": ("已处理投诉", "Handled"),
    "reopened": ("被重开", "Reopened"),
    "not_handled": ("未进入评价", "Not reviewed"),
    "reopen_rate": ("重开率", "Reopen rate"),
    "rated": ("有评分", "Rated"),
    "unrated": ("无评分", "Unrated"),
    "mean_satisfaction": ("平均满意度（1–5分）", "Mean satisfaction (1-5)"),
    "satisfied_share": ("满意（≥4分）占比", "Share satisfied (>= 4)"),
    "handling": ("投诉处理结果", "Handling outcome"),
    "anchors": ("观察起点数", "Anchors"),
    "censored": ("观察期不足（未计入）", "Censored (left out)"),
    "judged": ("可判断数", "Judged"),
    "repurchased": ("期内再购买", "Repurchased"),
    "repurchase_rate": ("再购买率", "Repurchase rate"),
    "loyalty_level": ("忠诚层次", "Loyalty level"),
    "loyalty_effect": ("忠诚的价值效应", "Value effect"),
    "evidence": ("从哪些数据看出", "Evidence in data"),
    "raise_measure": ("提高忠诚度的措施", "Measure to raise loyalty"),
    "measure": ("忠诚度标准", "Loyalty criterion"),
    "data": ("数据来源", "Data"),
    "formula": ("公式", "Formula"),
    "definition_zh": ("含义", "Definition (Chinese)"),
    "unit": ("单位", "Unit"),
    "value_2": ("第二个值", "Second value"),
    "missing": ("缺失", "Missing"),
    "respondents": ("受访者", "Respondents"),
    "day": ("日期", "Day"),
    "occasions": ("购买次数", "Purchase occasions"),
    "tenure_days": ("首末次购买间隔（天）", "Tenure (days)"),
    "mean_interval_days": ("平均购买间隔（天）", "Mean interval (days)"),
    "active": ("活跃客户数", "Active customers"),
    "new": ("新客户数", "New customers"),
    "retained": ("保留客户数", "Retained customers"),
    "lost": ("流失客户数", "Lost customers"),
    "growth_rate": ("顾客增加幅度", "Growth rate"),
    "acquisition_rate": ("获取率", "Acquisition rate"),
    "churn_rate": ("流失率", "Churn rate"),
    "partial": ("不完整期", "Partial period"),
    "cohort": ("同期群（首购月）", "Cohort (first purchase)"),
    "cohort_size": ("同期群人数", "Cohort size"),
    "observable": ("可观察", "Observable"),
    "one_time_share": ("只购买一期的占比", "One-time share"),
    "service_function": ("客户服务系统功能", "Customer service system function"),
    # --- chapter 7: the CRM database (crmdb) -----------------------------------
    "order_date": ("订单日期", "Order date"),
    "contact_date": ("投入日期", "Contact date"),
    "category": ("品类", "Category"),
    "phone_masked": ("手机号（已遮盖）", "Phone (masked)"),
    "email_masked": ("电子邮箱（已遮盖）", "E-mail (masked)"),
    "gross_margin": ("毛利（元）", "Gross margin (yuan)"),
    "gross_margin_rate": ("毛利率", "Gross margin rate"),
    "buyers": ("购买客户数", "Buyers"),
    "cost_of_sales_ratio": ("销售成本率（投入/销售额）", "Cost of sales ratio"),
    "n_complaints": ("投诉数", "Complaints"),
    "open_complaints": ("未结投诉", "Open complaints"),
    "complaints_opened": ("新增投诉", "Complaints opened"),
    "complaints_closed": ("结案投诉", "Complaints closed"),
    "sla_met_share": ("按时结案占比", "Share closed within SLA"),
    "sla_days": ("处理时限（天）", "SLA (days)"),
    "due_at": ("应结案时间", "Due at"),
    "closed_at": ("结案时间", "Closed at"),
    "last_event_at": ("最近处理时间", "Last event at"),
    "n_events": ("处理记录数", "Events"),
    "n_reopened": ("重开次数", "Reopened"),
    "from_step": ("原步骤", "From step"),
    "to_step": ("新步骤", "To step"),
    "actor": ("经办人", "Actor"),
    "description": ("投诉内容", "Description"),
    "marketing_consent": ("同意营销联系", "Marketing consent"),
    # --- chapter 6: probabilistic models (probabilistic) ----------------------
    "x": ("重复交易次数 x", "Repeat transactions x"),
    "t_x": ("末次重复交易时间 t_x（周）", "Time of last repeat transaction t_x (weeks)"),
    "monetary": ("重复交易平均金额", "Mean value of repeat transactions"),
    "x_star": ("检验期交易次数 x*", "Holdout transactions x*"),
    "p_alive": ("仍活跃概率 P(alive)", "P(alive)"),
    "expected_transactions": ("预测交易次数", "Expected transactions"),
    "expected_spend": ("预测每笔金额", "Expected spend per transaction"),
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
    "profit_share": ("毛利占比", "Share of gross profit"),
    "average_inventory": ("平均库存", "Average inventory"),
    "turnover": ("周转率（次）", "Turnover (times)"),
    "days_of_inventory": ("库存天数（天）", "Days of inventory"),
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
    "loyalty_score": ("客户忠诚度（分）", "Loyalty score"),
    "purchases_total": ("客户总采购额", "Customer's total purchases"),
    "strategic_importance": ("战略重要性（分）", "Strategic importance"),
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
    # --- chapter 3: CDNOW money is in US dollars (美元) -----------------------
    "amount_usd": ("金额（美元）", "Amount (US$)"),
    "monetary_total_usd": ("累计消费额（美元）", "Total spend (US$)"),
    "monetary_mean_usd": ("平均每次消费额（美元）", "Average spend per purchase (US$)"),
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
             "cltv_change": ("期末全部顾客的 CLTV 变动（含新顾客）",
                             "CLTV change of all year-end customers (new ones included)"),
             "total_change": ("顾客资产变动合计", "Total change in equity")},
    "heading": {"overall": ("整体经营绩效", "Overall performance"),
                "acquisition": ("获取顾客工作绩效", "Acquisition performance"),
                "retention": ("维系顾客工作绩效", "Retention performance"),
                "retention_and_acquisition": ("维系为主，也含获取（新顾客的 CLTV 变化）",
                                              "Mostly retention, partly acquisition")},
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
    "r_level": {"high": ("高（最近来过）", "high (bought recently)"),
                "low": ("低（很久没来）", "low (not for a long time)")},
    "f_level": {"high": ("高（来得多）", "high (frequent)"),
                "low": ("低（来得少）", "low (infrequent)")},
    "m_level": {"high": ("高（花得多）", "high (spends much)"),
                "low": ("低（花得少）", "low (spends little)")},
    "rfm_dimension": {"r": ("光顾间歇 R", "Recency R"), "f": ("光顾频率 F", "Frequency F"),
                      "m": ("消费额 M", "Monetary M")},
    "preset_row": {"seed_text": ("教材原文", "seed text"),
                   "interval": ("crmlab 区间", "crmlab interval")},
    # --- chapter 5: complaints (the workflow's step codes are shared with chapter 7)
    "step": {
        "record": ("记录投诉内容", "Record the complaint"),
        "judge": ("判定是否成立", "Judge whether it holds"),
        "rejected": ("判定不成立（结案）", "Not upheld (closed)"),
        "assign": ("确定责任部门", "Assign the department"),
        "analyse": ("分析原因", "Analyse the cause"),
        "propose": ("提出处理方案", "Propose a remedy"),
        "approve": ("提交主管领导指示", "Leader's approval"),
        "implement": ("实施方案并处罚直接责任者", "Implement and discipline"),
        "review": ("总结评价", "Review"),
        "closed": ("结案", "Closed"),
    },
    "complaint_type": {
        "quality": ("产品质量", "Product quality"),
        "contract": ("购销合同", "Sales contract"),
        "transport": ("货物运输", "Transport"),
        "service": ("服务", "Service"),
    },
    "sub_item": {
        "quality_defect": ("质量缺陷", "Quality defect"),
        "quality_spec": ("规格不符", "Wrong specification"),
        "quality_tolerance": ("技术规格超出允许误差", "Out of tolerance"),
        "quality_failure": ("产品故障", "Product failure"),
        "contract_quantity": ("数量与合同不符", "Quantity not as contracted"),
        "contract_grade": ("等级与合同不符", "Grade not as contracted"),
        "contract_spec": ("规格与合同不符", "Specification not as contracted"),
        "contract_delivery_time": ("交货时间与合同不符", "Delivery time not as contracted"),
        "contract_delivery_place": ("交货地点与合同不符", "Delivery place not as contracted"),
        "contract_settlement": ("结算方式与合同不符", "Settlement not as contracted"),
        "contract_terms": ("交易条件与合同不符", "Trade terms not as contracted"),
        "transport_damage": ("运输途中损坏", "Damaged in transit"),
        "transport_spoilage": ("运输途中变质", "Spoiled in transit"),
        "transport_loss": ("运输途中丢失", "Lost in transit"),
        "transport_packing": ("包装或装卸不当", "Poor packing or handling"),
        "service_quality": ("服务质量", "Service quality"),
        "service_attitude": ("服务态度", "Service attitude"),
        "service_manner": ("服务方式", "Service manner"),
        "service_skill": ("服务技巧", "Service skill"),
    },
    "principle": {
        "rules": ("有章可循", "Follow set rules"),
        "timely": ("及时处理", "Handle promptly"),
        "responsibility": ("分清责任", "Clarify responsibility"),
        "records": ("留档分析", "Keep records and analyse"),
    },
    "complaint_strategy": {
        "encourage": ("鼓励客户投诉", "Encourage complaints"),
        "facts": ("获得和判断事实真相", "Establish the facts"),
        "solution": ("提供解决办法", "Offer a solution"),
        "fair_claims": ("公平解决索赔", "Settle claims fairly"),
        "suggest_sale": ("建议销售", "Suggestive selling"),
        "goodwill": ("建立商誉", "Build goodwill"),
    },
    "attention_point": {
        "listen": ("聆听客户的问题", "Listen to the customer"),
        "causes": ("追究原因", "Trace the causes"),
        "emergency": ("采取适当的应急措施", "Take suitable emergency measures"),
        "improve": ("改善以后的工作", "Improve future work"),
        "system": ("建立客户投诉管理制度", "Set up a complaint management system"),
        "follow_up": ("后续服务的实施", "Follow-up service"),
    },
    "department": {
        "qa": ("质检部", "Quality assurance"),
        "sales": ("销售部", "Sales"),
        "logistics": ("物流部", "Logistics"),
        "service_desk": ("客服部", "Service desk"),
        "unassigned": ("未分派（判定不成立）", "Unassigned (not upheld)"),
    },
    "status": {  # a complaint's status (chapter 5) and a customer's trading status (chapter 4)
        "open": ("处理中", "Open"),
        "closed": ("已结案", "Closed"),
        "rejected": ("判定不成立", "Not upheld"),
        "started": ("开始交易", "Started"),
        "continuing": ("持续交易", "Continuing"),
        "terminated": ("终止交易", "Terminated"),
    },
    "handling": {
        "well": ("处理得好（满意度≥4）", "Handled well (>= 4)"),
        "fair": ("一般（3分）", "Fair (3)"),
        "poor": ("处理得差（满意度≤2）", "Handled poorly (<= 2)"),
        "unrated": ("未评分", "Unrated"),
        "rejected": ("判定不成立", "Not upheld"),
        "open": ("处理中", "Open"),
        "no_complaint": ("从未投诉的客户", "Never complained"),
    },
    "problem": {
        "unknown_step": ("未知步骤", "Unknown step"),
        "bad_time": ("时间缺失或无法识别", "Missing or unreadable time"),
        "duplicate_seq": ("序号重复或缺失", "Repeated or missing seq"),
        "no_record": ("第一步不是记录投诉", "Does not start with record"),
        "illegal_move": ("非法流转", "Illegal move"),
        "time_backwards": ("时间倒退", "Time goes backwards"),
        "missing_department": ("缺少责任部门", "Missing department"),
        "bad_satisfaction": ("满意度不在1–5分", "Satisfaction not 1-5"),
        "bad_code": ("客户缺失或类型代码未知", "Missing customer or unknown code"),
        "inconsistent_complaint": ("同一投诉信息不一致", "Inconsistent complaint"),
    },
    # --- chapter 5: loyalty
    "loyalty_level": {
        "cognitive": ("认知忠诚", "Cognitive loyalty"),
        "affective": ("情感忠诚", "Affective loyalty"),
        "behavioural": ("行为忠诚", "Behavioural loyalty"),
    },
    "loyalty_effect": {
        "market": ("市场效应", "Market effect"),
        "economic": ("经济效应", "Economic effect"),
        "development": ("发展效应", "Development effect"),
    },
    "raise_measure": {
        "satisfy_needs": ("有效满足需求，提高客户满意度", "Meet needs, raise satisfaction"),
        "differentiate": ("细分市场，实行差异化营销", "Segment, differentiate marketing"),
        "exceed_expectations": ("提供超出期望价值的产品和服务，建立客户忠诚",
                                "Exceed expected value"),
        "communicate": ("加强与客户间的交流，培养客户忠诚", "Communicate with customers"),
        "technology": ("运用新科技在建立客户忠诚中的作用", "Use new technology"),
        "employee_loyalty": ("建立员工忠诚，员工忠诚是客户忠诚的重要因素",
                             "Build employee loyalty"),
    },
    "measure": {
        "repeat_purchase": ("顾客的重复购买率", "Repeat purchase rate"),
        "brand_attention": ("对本企业产品、品牌的关心程度", "Attention to our brand"),
        "need_fulfilment": ("顾客需求满足率", "Share of needs met"),
        "price_sensitivity": ("对产品价格的敏感程度", "Price sensitivity"),
        "competitor_attitude": ("对竞争产品的态度", "Attitude to competitors"),
        "identification": ("对商品的认同度", "Identification"),
        "purchase_time": ("顾客购买时间的长短", "Purchase time"),
        "quality_tolerance": ("对产品质量事故的承受能力", "Tolerance of quality incidents"),
        "customer_growth": ("顾客增加幅度与获取率", "Growth and acquisition"),
        "churn": ("顾客流失率", "Churn rate"),
    },
    "service_function": {
        "ivr": ("自动语音应答", "Interactive voice response"),
        "acd": ("自动呼叫分配", "Automatic call distribution"),
        "agent": ("人工坐席应答", "Agent answering"),
        "lookup": ("客户资料的电脑查询与录入", "Customer record lookup and entry"),
        "statistics": ("查询统计", "Queries and statistics"),
        "ecommerce": ("预留电子商务处理接口", "E-commerce interface"),
    },
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

# --- chapter 7: the CRM database's event columns use the workflow's step vocabulary
VALUES.update({"from_step": VALUES["step"], "to_step": VALUES["step"]})


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
        raise validate.BilingualTypeError(
            f"frame 是 {type(frame).__name__}：应为 DataFrame 或 Series",
            f"frame is a {type(frame).__name__}: expected a DataFrame or Series")
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
