"""Interactive "what if" apps for the lecture notebooks (ipywidgets), all in one module.

Each app's logic is a pure function of its slider values (``clv.calculator_table``,
re-exported here, and ``costing.what_if_table`` for the ABC app) and its chart a function of
``crmlab.plotting``, so both are tested without a browser; a widget only reads
its sliders, calls them and redraws. A start value outside a slider's usual
range widens that slider — it is never clamped silently. Importing this module
imports ipywidgets (a runtime dependency of the course), which is why
``import crmlab`` never does.

>>> from crmlab import widgets
>>> t = widgets.calculator_table("100, 100, 100, 100", cost=0, acquisition_cost=0,
...                              retention=1.0, rate=0.10)
>>> [round(v) for v in t["present_value"]]
[91, 83, 75, 68]

Modules: one per app: ``_clv_calculator`` (chapter 2), ``_abc`` (chapter 3),
``_sla`` (chapter 5), ``_scorecard`` (chapter 1). The calculator's logic lives in
``crmlab.clv`` and the SLA chart in ``crmlab.plotting``; both are re-exported here.
"""

from __future__ import annotations

from crmlab.clv import CALCULATOR_DEFAULTS as DEFAULTS  # the calculator's logic lives in clv
from crmlab.clv import MAX_YEARS, calculator_table, parse_revenue, revenue_path
from crmlab.plotting import sla_figure  # the chart lives with the others; kept here too
from crmlab.widgets._abc import (
    ABCWhatIf,
)
from crmlab.widgets._clv_calculator import (
    CLVCalculator,
    clv_calculator,
)
from crmlab.widgets._scorecard import (
    SCORECARD_WEIGHTS,
    ScorecardWeights,
    scorecard_weights,
)
from crmlab.widgets._sla import (
    SLAExplorer,
    sla_explorer,
)

__all__ = [
    "DEFAULTS",
    "MAX_YEARS",
    "SCORECARD_WEIGHTS",
    "ABCWhatIf",
    "CLVCalculator",
    "SLAExplorer",
    "ScorecardWeights",
    "calculator_table",
    "clv_calculator",
    "parse_revenue",
    "revenue_path",
    "scorecard_weights",
    "sla_explorer",
    "sla_figure",
]
