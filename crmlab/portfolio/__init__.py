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

Modules: ``_procedures`` (the analysis procedures (1)–(6)), ``_pyramid`` (tiers),
``_schemes`` (the quadrant schemes as data), ``_quadrants`` (the classifier and its
summary), ``_relationship`` (relationship levels, strategy, visit table and plan).
The checks are ``crmlab._validation``'s.
"""

from __future__ import annotations

from crmlab.portfolio._procedures import (
    CHANNEL_TYPES,
    composition,
    composition_summary,
    product_composition,
    product_margins,
    trading_status,
    transaction_performance,
    turnover,
)
from crmlab.portfolio._pyramid import (
    pyramid,
    value_classes,
)
from crmlab.portfolio._quadrants import (
    quadrant_summary,
    quadrants,
)
from crmlab.portfolio._relationship import (
    STAFF_LEVELS,
    relationship_levels,
    relationship_strategy,
    visit_plan,
    visit_table,
)
from crmlab.portfolio._schemes import (
    SCHEMES,
    Scheme,
    get_scheme,
    scheme_table,
)

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
