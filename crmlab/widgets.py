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


# --- chapter 1: screening scorecard with weight sliders ----------------------------

#: default weights of the five screening dimensions (本课程补充: the lecture gives none)
SCORECARD_WEIGHTS: dict[str, float] = {"purchase": 0.25, "profitability": 0.30,
                                       "safety": 0.20, "future": 0.15, "cooperation": 0.10}


class ScorecardWeights(ipywidgets.VBox):
    """Weight sliders for the five screening dimensions; the top-k table updates live.

    The table is ``selection.scorecard`` (min–max scores) of ``data`` (the frame of
    ``selection.screening_dimensions``). Weights that do not add up to 1 are
    rescaled; the line above the table shows the weights actually used.
    State after each change: ``card`` (the full ranking), ``top_ids`` (ids of the
    top k), ``note.value`` (HTML), ``updates``. ``draw=False`` skips the output.
    """

    def __init__(self, data: pd.DataFrame, *, weights: dict[str, float] | None = None,
                 top: int = 10, method: str = "minmax", id: str = "customer_id",
                 draw: bool = True) -> None:
        from crmlab import selection

        self._selection = selection
        start = dict(SCORECARD_WEIGHTS if weights is None else weights)
        unknown = sorted(set(start) - set(selection.DIMENSIONS))
        if unknown:
            raise TypeError(f"weights 中有未知维度 {unknown}：应为 {list(selection.DIMENSIONS)} "
                            f"中的一个或几个。unknown dimension(s) {unknown}")
        selection.validate_weights(start)
        selection.scorecard(data.head(2), dict.fromkeys(start, 1.0 / len(start)), id=id)
        self.data, self.id, self.draw = data, id, draw
        common = {"continuous_update": False, "style": {"description_width": "initial"},
                  "layout": ipywidgets.Layout(width="360px")}
        self.controls = {
            key: ipywidgets.FloatSlider(value=start.get(key, 0.0), min=0.0, max=1.0,
                                        step=0.05, readout_format=".2f",
                                        description=f"{label} 权重", **common)
            for key, (label, _) in selection.DIMENSIONS.items()}
        self.top = ipywidgets.IntSlider(value=top, min=1, max=min(50, len(data)),
                                        description="显示前 k 名", **common)
        self.method = ipywidgets.Dropdown(options=[("最小–最大", "minmax"), ("排名百分位", "rank"),
                                                   ("标准分 z", "z")], value=method,
                                          description="标准化方法", style=common["style"],
                                          layout=common["layout"])
        self.note = ipywidgets.HTML()
        self.output = ipywidgets.Output()
        self.updates = 0
        self.card = pd.DataFrame()
        self.top_ids: list[Any] = []
        sliders = list(self.controls.values())
        super().__init__([ipywidgets.HBox([ipywidgets.VBox(sliders),
                                           ipywidgets.VBox([self.top, self.method])]),
                          self.note, self.output])
        for widget in [*sliders, self.top, self.method]:
            widget.observe(self._on_change, names="value")
        self.update()

    def weights(self) -> dict[str, float]:
        """The slider weights as set (before rescaling)."""
        return {key: slider.value for key, slider in self.controls.items() if slider.value > 0}

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Rescale the weights, rank the customers, redraw."""
        raw = self.weights()
        if not raw:
            self.note.value = ("<b style='color:#c8423b'>所有权重都是 0："
                               "请至少给一个维度大于 0 的权重。</b>")
            self.updates += 1
            return
        used, _ = self._selection.validate_weights(raw)
        self.card = self._selection.scorecard(self.data, used.to_dict(),
                                              method=self.method.value, id=self.id)
        self.top_ids = self.card[self.id].iloc[: self.top.value].tolist()
        shown = "，".join(f"{self._selection.DIMENSIONS[k][0]} {v:.0%}" for k, v in used.items())
        self.note.value = ("<span style='font-size:16px'>实际使用的权重（合计 100%）："
                           f"{shown}</span>")
        self.updates += 1
        if self.draw:
            self.output.clear_output(wait=True)
            with self.output:
                display(self.card.head(self.top.value).round(3).pipe(glossary.zh))


def scorecard_weights(data: pd.DataFrame, **options: Any) -> ScorecardWeights:
    """The screening-scorecard widget (weight sliders → ranking updates live)."""
    return ScorecardWeights(data, **options)
