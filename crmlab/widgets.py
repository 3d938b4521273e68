"""Interactive "what if" apps for the lecture notebooks (ipywidgets).

The logic is a pure function of the slider values (``calculator_table``), so it
is tested without a browser; the widget only reads its sliders, calls that
function and redraws. Importing this module imports ipywidgets (a runtime
dependency of the course), which is why ``import crmlab`` never does.

>>> from crmlab import widgets
>>> t = widgets.calculator_table(first_revenue=100, growth=0.0, cost=0, acquisition_cost=0,
...                              retention=1.0, rate=0.10, horizon=4)
>>> [round(v) for v in t["present_value"]]
[91, 83, 75, 68]
"""

from __future__ import annotations

from typing import Any

import ipywidgets
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.patches import Patch

from crmlab import _validation as check
from crmlab import clv, glossary, plotting

#: Slider defaults: close to seed 000's 例1 (revenue 1 000 growing, cost 500,
#: acquisition 2 500, 15 %, 5 years) with full retention.
DEFAULTS: dict[str, float | int] = {
    "first_revenue": 1000.0, "growth": 0.20, "cost": 500.0, "acquisition_cost": 2500.0,
    "retention": 1.0, "rate": 0.15, "horizon": 5,
}


def revenue_path(first_revenue: float, growth: float, horizon: int) -> np.ndarray:
    """Revenue of years 1..horizon: ``first_revenue × (1 + growth)^(t-1)``.

    >>> revenue_path(1000, 0.1, 3).round(2).tolist()
    [1000.0, 1100.0, 1210.0]
    """
    first = check.number(first_revenue, "first_revenue")
    g = check.number(growth, "growth", minimum=-1.0)
    n = check.integer(horizon, "horizon", minimum=1)
    return first * (1.0 + g) ** np.arange(n)


def calculator_table(first_revenue: float = 1000.0, growth: float = 0.20, cost: float = 500.0,
                     acquisition_cost: float = 2500.0, retention: float = 1.0,
                     rate: float = 0.15, horizon: int = 5) -> pd.DataFrame:
    """The CLV calculator's table for given slider values (a ``clv.clv_table``).

    >>> round(clv.clv_total(calculator_table(horizon=1, growth=0.0)), 2)
    -2065.22
    """
    return clv.clv_table(revenue_path(first_revenue, growth, horizon), cost, rate=rate,
                         acquisition_cost=acquisition_cost, retention=retention)


#: name -> (min, max, step, label, readout format); the horizon is a whole number.
SLIDERS: dict[str, tuple[float, float, float, str, str]] = {
    "first_revenue": (0, 5000, 100, "首年收入（元）", ",.0f"),
    "growth": (-0.2, 0.5, 0.01, "收入年增长率", ".0%"),
    "cost": (0, 3000, 50, "每年保留成本（元）", ",.0f"),
    "acquisition_cost": (0, 6000, 100, "获取成本（元）", ",.0f"),
    "retention": (0, 1, 0.01, "保留率 r", ".0%"),
    "rate": (0, 0.4, 0.01, "贴现率 i", ".0%"),
    "horizon": (1, 20, 1, "生命周期（年）", "d"),
}


def _sliders(values: dict[str, Any]) -> dict[str, ipywidgets.Widget]:
    common = {"continuous_update": False, "style": {"description_width": "initial"},
              "layout": ipywidgets.Layout(width="420px")}
    sliders = {}
    for name, (low, high, step, label, fmt) in SLIDERS.items():
        kind = ipywidgets.IntSlider if name == "horizon" else ipywidgets.FloatSlider
        sliders[name] = kind(value=values[name], min=low, max=high, step=step,
                             description=label, readout_format=fmt, **common)
    return sliders


class CLVCalculator(ipywidgets.VBox):
    """A VBox of sliders, a one-line CLV summary and an output with table + chart.

    State after each slider change: ``table`` (the clv_table), ``clv`` (float),
    ``summary.value`` (HTML text) and ``updates`` (how many times it recomputed).
    ``draw=False`` skips the table/chart output (for tests and scripts).
    """

    def __init__(self, *, draw: bool = True, **values: Any) -> None:
        unknown = sorted(set(values) - set(DEFAULTS))
        if unknown:
            raise TypeError(f"unknown slider(s) {unknown}: expected some of {list(DEFAULTS)}")
        start = {**DEFAULTS, **values}
        calculator_table(**start)  # validate the starting values once
        self.controls = _sliders(start)
        self.summary = ipywidgets.HTML()
        self.output = ipywidgets.Output()
        self.draw = draw
        self.updates = 0
        self.table = pd.DataFrame()
        self.clv = float("nan")
        left = list(self.controls.values())[:4]
        right = list(self.controls.values())[4:]
        super().__init__([ipywidgets.HBox([ipywidgets.VBox(left), ipywidgets.VBox(right)]),
                          self.summary, self.output])
        for slider in self.controls.values():
            slider.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        """The current slider values."""
        return {name: slider.value for name, slider in self.controls.items()}

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the table and CLV from the sliders, then redraw."""
        self.table = calculator_table(**self.values())
        self.clv = clv.clv_total(self.table)
        parts = clv.components(self.table)
        colour = plotting.PALETTE[2] if self.clv >= 0 else plotting.PALETTE[3]
        self.summary.value = (
            f"<span style='font-size:20px'>客户终身价值 CLV = "
            f"<b style='color:{colour}'>{self.clv:,.2f} 元</b>"
            f"（收入现值 {parts['pv_revenue']:,.0f} − 保留成本现值 "
            f"{parts['pv_recurring_cost']:,.0f} − 获取成本 {parts['acquisition_cost']:,.0f}）"
            f"</span>")
        self.updates += 1
        if self.draw:
            self._render()

    def _render(self) -> None:
        self.output.clear_output(wait=True)
        with self.output:
            shown = self.table.round(2).pipe(glossary.zh)
            display(shown)
            display(figure(self.table))
            plt.close("all")


def figure(table: pd.DataFrame) -> plt.Figure:
    """Bars: present value of each year; line: cumulative present value."""
    check.frame(table, "table", columns=["year", "present_value", "cumulative_pv"])
    with mpl.rc_context(plotting.rc_params()):
        return _draw_figure(table)


def _draw_figure(table: pd.DataFrame) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(10, 5))
    colours = [plotting.PALETTE[0] if v >= 0 else plotting.PALETTE[3]
               for v in table["present_value"]]
    ax.bar(table["year"], table["present_value"], color=colours)
    (line,) = ax.plot(table["year"], table["cumulative_pv"], marker="o",
                      color=plotting.PALETTE[1], linewidth=2.5, label="累计现值")
    ax.axhline(0, color="black", linewidth=1)
    ax.set_title(f"CLV 计算器：CLV = {clv.clv_total(table):,.0f} 元")
    ax.set_xlabel("年（第 0 年 = 获取客户）")
    ax.set_ylabel("金额（元）")
    ax.set_xticks(table["year"])
    plotting.thousands(ax)
    # one swatch per bar colour: the first bar (acquisition) is negative and red,
    # so a label on the bars would show the wrong colour in the legend
    handles = [Patch(color=plotting.PALETTE[0], label="当年现值（正）"),
               Patch(color=plotting.PALETTE[3], label="当年现值（负，含获取成本）"), line]
    ax.legend(handles=handles, loc="best")
    fig.tight_layout()
    return fig


def clv_calculator(**values: Any) -> CLVCalculator:
    """The CLV calculator widget box (sliders → table and chart update live).

    Keyword arguments override the slider defaults (``DEFAULTS``), e.g.
    ``clv_calculator(retention=0.8)``.
    """
    return CLVCalculator(**values)


# --- chapter 5: what if the promised handling time (SLA) were different? -----------------

class SLAExplorer(ipywidgets.VBox):
    """A slider for the SLA in days; a one-line summary and a bar chart of the
    on-time share per department update live (``complaints.sla_by_department``).

    State after each change: ``table`` (the SLA table), ``summary.value`` (HTML)
    and ``updates``. ``draw=False`` skips the chart (tests, scripts).
    """

    def __init__(self, cases: pd.DataFrame, *, sla_days: float = 7.0, target: float = 0.8,
                 draw: bool = True) -> None:
        from crmlab import complaints

        self._sla_table = complaints.sla_by_department
        self.cases = complaints.summary(cases) if "seq" in cases.columns else cases
        self.target = check.probability(target, "target")
        self._sla_table(self.cases, sla_days=sla_days)  # validate once
        self.slider = ipywidgets.FloatSlider(
            value=sla_days, min=1, max=21, step=0.5, description="承诺处理时限（天）",
            continuous_update=False, style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="480px"), readout_format=".1f")
        self.summary = ipywidgets.HTML()
        self.output = ipywidgets.Output()
        self.draw = draw
        self.updates = 0
        self.table = pd.DataFrame()
        super().__init__([self.slider, self.summary, self.output])
        self.slider.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Recompute the SLA table for the slider's value, then redraw."""
        days = self.slider.value
        table = self._sla_table(self.cases, sla_days=days)
        self.table = table[table["department"] != "unassigned"].reset_index(drop=True)
        below = self.table[self.table["sla_compliance"] < self.target]
        names = "、".join(glossary.value_label("department", d) for d in below["department"])
        self.summary.value = (
            f"<span style='font-size:18px'>时限 {days:g} 天：按时结案率低于 "
            f"{self.target:.0%} 的部门 — <b>{names or '无'}</b></span>")
        self.updates += 1
        if self.draw:
            self.output.clear_output(wait=True)
            with self.output:
                display(sla_figure(self.table, days, self.target))
                plt.close("all")


def sla_figure(table: pd.DataFrame, sla_days: float, target: float = 0.8) -> plt.Figure:
    """Bars: on-time share per department for one SLA; dashed line: the target."""
    check.frame(table, "table", columns=["department", "sla_compliance"])
    with mpl.rc_context(plotting.rc_params()):
        fig, ax = plt.subplots(figsize=(9, 4.8))
        rate = table["sla_compliance"].to_numpy(dtype=float)
        labels = [glossary.value_label("department", d) for d in table["department"]]
        bars = ax.bar(labels, rate, color=[plotting.PALETTE[3] if v < target
                                           else plotting.PALETTE[2] for v in rate])
        ax.bar_label(bars, labels=[f"{100 * v:.0f}%" for v in rate], padding=3)
        ax.axhline(target, color="grey", linestyle="--", linewidth=1.5)
        ax.set_ylim(0, 1.1)
        plotting.percent(ax)
        ax.set_ylabel("按时结案率")
        ax.set_title(f"承诺时限 {sla_days:g} 天时各部门的按时结案率")
        fig.tight_layout()
        return fig


def sla_explorer(cases: pd.DataFrame, **options: Any) -> SLAExplorer:
    """The SLA what-if widget: move the slider, see which departments keep the promise.

    ``cases`` is a complaint event log or its ``complaints.summary``; options:
    ``sla_days`` (start value), ``target`` (the on-time share to reach), ``draw``.
    """
    return SLAExplorer(cases, **options)
