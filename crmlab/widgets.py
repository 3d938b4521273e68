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
"""

from __future__ import annotations

from typing import Any

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from crmlab import _validation as validate
from crmlab import clv, costing, glossary, plotting
from crmlab.clv import CALCULATOR_DEFAULTS as DEFAULTS  # the calculator's logic lives in clv
from crmlab.clv import MAX_YEARS, calculator_table, parse_revenue, revenue_path
from crmlab.plotting import sla_figure  # the chart lives with the others; kept here too

__all__ = ["DEFAULTS", "MAX_YEARS", "ABCWhatIf", "CLVCalculator", "SLAExplorer",
           "ScorecardWeights", "calculator_table", "clv_calculator", "parse_revenue",
           "revenue_path", "scorecard_weights", "sla_explorer", "sla_figure"]

#: name -> (usual min, usual max, step, label, readout format).
_SLIDERS: dict[str, tuple[float, float, float, str, str]] = {
    "cost": (0, 3000, 50, "每年保留成本（元）", ",.0f"),
    "acquisition_cost": (0, 6000, 100, "获取成本（元）", ",.0f"),
    "retention": (0, 1, 0.01, "保留率 r", ".0%"),
    "rate": (0, 0.4, 0.01, "贴现率 i", ".0%"),
}

def _sliders(values: dict[str, Any]) -> dict[str, ipywidgets.Widget]:
    """Build a text box for the revenue path and one slider per number.

    A start value outside a slider's usual range widens that slider.
    """
    common = {"continuous_update": False, "style": {"description_width": "initial"},
              "layout": ipywidgets.Layout(width="420px")}
    sliders: dict[str, ipywidgets.Widget] = {
        "revenue": ipywidgets.Text(
            value=values["revenue"], description="各年收入（元，逗号分隔）",
            continuous_update=False, style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="560px"))}
    for name, (low, high, step, label, fmt) in _SLIDERS.items():
        value = values[name]
        sliders[name] = ipywidgets.FloatSlider(value=value, min=min(low, value),
                                               max=max(high, value), step=step,
                                               description=label, readout_format=fmt,
                                               **common)
    return sliders


def _draw_flag(draw: Any) -> bool:
    if not isinstance(draw, bool):
        shown = validate.show(draw)
        raise TypeError(f"draw={shown} 无效：应为 True 或 False。draw={shown} is invalid: "
                        f"expected True or False")
    return draw


class CLVCalculator(ipywidgets.VBox):
    """A VBox: a text box for the yearly revenues, sliders, a CLV summary, table + chart.

    The revenue path is typed freely (``"1000, 1500, 2000, 2000, 2000"``: one
    entry per year, so the number of entries is the lifetime); the sliders set
    the retention cost, acquisition cost, retention rate and discount rate.
    State after each change: ``table`` (the clv_table), ``clv`` (float),
    ``summary.value`` (HTML text), ``error`` (``""`` or the Chinese message
    shown for a bad entry) and ``updates`` (how many times it recomputed). A
    bad entry typed into the widget never raises: the summary shows what is
    wrong (in Chinese) and the last valid result stays. Start values passed in
    code are validated like ``calculator_table``'s arguments and raise; one
    outside a slider's usual range widens that slider (never clamped).
    ``draw=False`` skips the table/chart output (for tests and scripts).

    Parameters
    ----------
    draw : bool
        Draw the table and chart after each change.
    **values
        Start values overriding ``DEFAULTS`` (``revenue``, ``cost``,
        ``acquisition_cost``, ``retention``, ``rate``).

    Raises
    ------
    TypeError
        For an unknown control name or a value that is not a number.
    ValueError
        For a value that ``calculator_table`` refuses.

    Examples
    --------
    >>> calc = CLVCalculator(draw=False)
    >>> round(calc.clv, 2)
    1280.6
    >>> calc.controls["revenue"].value = "1000, 1500, abc"
    >>> calc.error[:21]
    "各年收入的第 3 项 'abc' 不是数字"
    """

    def __init__(self, *, draw: bool = True, **values: Any) -> None:
        unknown = sorted(set(values) - set(DEFAULTS))
        if unknown:
            raise TypeError(f"未知的输入项 {unknown}：可用 {list(DEFAULTS)}。unknown control(s) "
                            f"{unknown}: expected some of {list(DEFAULTS)}")
        self.draw = _draw_flag(draw)
        start = {**DEFAULTS, **values}
        calculator_table(**start)  # validate the starting values once
        revenue = start["revenue"]
        start = {name: float(v) for name, v in start.items() if name != "revenue"}
        start["revenue"] = revenue if isinstance(revenue, str) else ", ".join(
            f"{v:g}" for v in parse_revenue(revenue))
        self.controls = _sliders(start)
        self.summary = ipywidgets.HTML()
        self.output = ipywidgets.Output()
        self.updates = 0
        self.error = ""
        self.table = pd.DataFrame()
        self.clv = float("nan")
        sliders = [self.controls[name] for name in _SLIDERS]
        super().__init__([self.controls["revenue"],
                          ipywidgets.HBox([ipywidgets.VBox(sliders[:2]),
                                           ipywidgets.VBox(sliders[2:])]),
                          self.summary, self.output])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict[str, Any]:
        """Return the current inputs (the revenue text and the slider values).

        Returns
        -------
        dict
            Control name -> value.

        Examples
        --------
        >>> CLVCalculator(draw=False).values()["revenue"]
        '1000, 1500, 2000, 2000, 2000'
        """
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the table and CLV from the inputs, then redraw.

        A bad entry sets ``error`` and shows it in the summary instead of raising.

        Examples
        --------
        >>> calc = CLVCalculator(draw=False)
        >>> calc.update(); calc.updates
        2
        """
        self.updates += 1
        try:
            table = calculator_table(**self.values())
        except (TypeError, ValueError) as problem:
            self.error = validate.chinese(problem)
            self.summary.value = (
                f"<span style='font-size:18px;color:{plotting.PALETTE[3]}'>⚠️ {self.error}"
                f"</span><br><span style='font-size:16px'>（下面仍是上一次有效输入的结果："
                f"CLV = {self.clv:,.2f} 元）</span>")
            return
        self.error = ""
        self.table = table
        self.clv = clv.clv_total(self.table)
        parts = clv.components(self.table)
        colour = plotting.PALETTE[2] if self.clv >= 0 else plotting.PALETTE[3]
        years = len(self.table) - (1 if self.table["year"].iloc[0] == 0 else 0)
        self.summary.value = (
            f"<span style='font-size:20px'>客户终身价值 CLV = "
            f"<b style='color:{colour}'>{self.clv:,.2f} 元</b>"
            f"（{years} 年：收入现值 {parts['pv_revenue']:,.0f} − 保留成本现值 "
            f"{parts['pv_recurring_cost']:,.0f} − 获取成本 {parts['acquisition_cost']:,.0f}）"
            f"</span>")
        if self.draw:
            self._render()

    def _render(self) -> None:
        self.output.clear_output(wait=True)
        with self.output:
            shown = self.table.round(2).pipe(glossary.zh)
            display(shown)
            display(plotting.clv_calculator_chart(self.table))
            plt.close("all")


def clv_calculator(**values: Any) -> CLVCalculator:
    """Build the CLV calculator widget box (inputs → table and chart update live).

    Parameters
    ----------
    **values
        Override the defaults (``DEFAULTS``), e.g. ``retention=0.8`` or
        ``revenue="1000, 1200, 1400"``; ``draw=False`` skips drawing.

    Returns
    -------
    CLVCalculator
        The widget.

    Raises
    ------
    TypeError
        For an unknown slider name or a value that is not a number.
    ValueError
        For a value that ``calculator_table`` refuses.

    Examples
    --------
    >>> round(clv_calculator(draw=False, retention=0.9).clv, 2)
    225.83
    """
    return CLVCalculator(**values)


class ABCWhatIf(ipywidgets.VBox):
    """ABC what-if app: one slider per activity for one segment's driver quantity.

    Moving a slider recomputes ``costing.what_if_table`` and redraws the ABC
    table (slide layout) and ``plotting.segment_profit_chart``. State:
    ``sliders`` (activity -> slider), ``segment``, ``table`` (the latest ABC
    table, ``None`` when the quantities cannot be allocated), ``problem`` (the
    reason then) and ``updates``. A quantity that is not a whole number gets a
    decimal slider (never rounded).

    Parameters
    ----------
    segments, activities, drivers : pandas.DataFrame
        As for ``costing.activity_based``.
    segment : str, optional
        Whose quantities the sliders move (default: the first segment).
    draw : bool
        Draw the table and chart after each change.

    Raises
    ------
    TypeError
        If the tables are not DataFrames.
    ValueError
        If ``costing.activity_based`` refuses the inputs or ``segment`` is unknown.

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["A", "B"], "sales": [10, 10], "direct_cost": [2, 2]})
    >>> act = pd.DataFrame({"activity": ["visits"], "pool": ["selling"], "cost": [8],
    ...                     "driver": ["sales visits"]})
    >>> drv = pd.DataFrame({"activity": ["visits", "visits"], "segment": ["A", "B"],
    ...                     "quantity": [3, 1]})
    >>> app = ABCWhatIf(seg, act, drv, draw=False)
    >>> app.sliders["visits"].value = 1
    >>> app.table["segment_profit"].tolist()
    [4.0, 4.0, 8.0]
    """

    def __init__(self, segments: pd.DataFrame, activities: pd.DataFrame,
                 drivers: pd.DataFrame, segment: str | None = None, *,
                 draw: bool = True) -> None:
        self.draw = _draw_flag(draw)
        start = costing.activity_rates(activities, drivers, segments)  # validates all
        names = list(dict.fromkeys(start["segment"]))
        target = names[0] if segment is None else segment
        if not isinstance(target, str) or target not in names:
            shown = validate.show(segment)
            raise ValueError(f"segment={shown} 无效：应为 {names} 之一。"
                             f"segment={shown} is invalid: expected one of {names}")
        self.segment = target
        self._inputs = (segments, activities, drivers)
        mine = start[start["segment"] == target]
        self.sliders = {row.activity: self._slider(row.activity, row.driver,
                                                   float(row.driver_quantity))
                        for row in mine.itertuples()}
        self.output = ipywidgets.Output()
        self.updates = 0
        self.table: pd.DataFrame | None = None
        self.problem = ""
        super().__init__([ipywidgets.HTML(f"<b>细分市场 {target} 消耗的动因数量</b>"),
                          *self.sliders.values(), self.output])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.update()

    @staticmethod
    def _slider(activity: str, driver: str, value: float) -> ipywidgets.Widget:
        whole = value.is_integer()
        kind = ipywidgets.IntSlider if whole else ipywidgets.FloatSlider
        return kind(value=int(value) if whole else value, min=0, max=max(3 * value, 10),
                    step=max(int(value) // 20, 1) if whole else max(value / 20, 0.01),
                    description=f"{activity}（{driver}）", continuous_update=False,
                    style={"description_width": "initial"},
                    layout=ipywidgets.Layout(width="560px"))

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the ABC table from the sliders, then redraw.

        Examples
        --------
        >>> seg = pd.DataFrame({"segment": ["A"], "sales": [10], "direct_cost": [2]})
        >>> act = pd.DataFrame({"activity": ["v"], "pool": ["selling"], "cost": [8],
        ...                     "driver": ["visits"]})
        >>> drv = pd.DataFrame({"activity": ["v"], "segment": ["A"], "quantity": [3]})
        >>> app = ABCWhatIf(seg, act, drv, draw=False)
        >>> app.sliders["v"].value = 0
        >>> app.table is None, app.updates
        (True, 2)
        """
        quantities = {activity: s.value for activity, s in self.sliders.items()}
        try:
            self.table = costing.what_if_table(*self._inputs, segment=self.segment,
                                               quantities=quantities)
            self.problem = ""
        except ValueError as problem:
            self.table, self.problem = None, str(problem)
        self.updates += 1
        if self.draw:
            self._render()

    def _render(self) -> None:
        self.output.clear_output(wait=True)
        with self.output:
            if self.table is None:
                print(f"无法分摊：{self.problem}")
                return
            display(costing.layout(self.table).pipe(glossary.zh))
            display(plotting.segment_profit_chart(
                self.table, title=f"改变 {self.segment} 的作业量后，各细分市场的 ABC 利润"))
            plt.close("all")


# --- chapter 5: what if the promised handling time (SLA) were different? -----------------

class SLAExplorer(ipywidgets.VBox):
    """SLA what-if app: a slider for the promised handling time in days.

    A one-line summary and a bar chart of the on-time share per department
    update live (``complaints.sla_by_department``). State after each change:
    ``table`` (the SLA table without ``unassigned``), ``summary.value`` (HTML)
    and ``updates``. ``draw=False`` skips the chart (tests, scripts).

    Parameters
    ----------
    cases : pandas.DataFrame
        A complaint event log or its ``complaints.summary``.
    sla_days : float, default 7.0
        Start value of the slider (days).
    target : float, default 0.8
        The on-time share each department should reach.
    draw : bool, default True
        Draw the chart after each change.

    Raises
    ------
    TypeError, ValueError
        If ``target`` is not a probability or ``complaints.sla_by_department``
        refuses ``cases`` or ``sla_days``.

    Examples
    --------
    >>> cases = pd.DataFrame({"complaint_id": ["T1", "T2", "T3"],
    ...                       "opened_at": pd.to_datetime(["2024-01-02"] * 3),
    ...                       "status": ["closed"] * 3,
    ...                       "department": ["qa", "logistics", "logistics"],
    ...                       "handling_days": [3.0, 9.0, 5.0]})
    >>> app = SLAExplorer(cases, sla_days=7, draw=False)
    >>> app.table["sla_compliance"].tolist()
    [0.5, 1.0]
    >>> app.slider.value = 10
    >>> app.table["sla_compliance"].tolist(), app.updates
    ([1.0, 1.0], 2)
    """

    def __init__(self, cases: pd.DataFrame, *, sla_days: float = 7.0, target: float = 0.8,
                 draw: bool = True) -> None:
        from crmlab import complaints

        self._sla_table = complaints.sla_by_department
        self.cases = complaints.summary(cases) if "seq" in cases.columns else cases
        self.target = validate.probability(target, "target")
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


def sla_explorer(cases: pd.DataFrame, **options: Any) -> SLAExplorer:
    """Build the SLA what-if widget: move the slider, see which departments keep the promise.

    Parameters
    ----------
    cases : pandas.DataFrame
        A complaint event log or its ``complaints.summary``.
    **options
        ``sla_days`` (start value), ``target`` (the on-time share to reach),
        ``draw``; see :class:`SLAExplorer`.

    Returns
    -------
    SLAExplorer
        The widget (display it in a notebook).

    Examples
    --------
    >>> cases = pd.DataFrame({"complaint_id": ["T1", "T2", "T3"],
    ...                       "opened_at": pd.to_datetime(["2024-01-02"] * 3),
    ...                       "status": ["closed"] * 3,
    ...                       "department": ["qa", "logistics", "logistics"],
    ...                       "handling_days": [3.0, 9.0, 5.0]})
    >>> app = sla_explorer(cases, sla_days=7, draw=False)
    >>> "物流部" in app.summary.value
    True
    """
    return SLAExplorer(cases, **options)


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

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer with the id column and the five dimension scores.
    weights : dict, optional
        Start weights per dimension (default ``SCORECARD_WEIGHTS``).
    top : int, default 10
        How many customers the table shows.
    method : str, default "minmax"
        Standardisation of ``selection.scorecard``: ``"minmax"``, ``"rank"`` or ``"z"``.
    customer : str, default "customer_id"
        The customer column.
    draw : bool, default True
        Show the table after each change.

    Raises
    ------
    TypeError
        If ``weights`` names an unknown dimension.
    ValueError
        If ``selection.validate_weights`` or ``selection.scorecard`` refuses the inputs.

    Examples
    --------
    >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
    ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
    ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
    >>> w = ScorecardWeights(dims, top=2, draw=False)
    >>> w.top_ids
    ['b', 'c']
    >>> for key, slider in w.controls.items():
    ...     slider.value = 1.0 if key == "future" else 0.0
    >>> w.top_ids, w.weights()
    (['c', 'b'], {'future': 1.0})
    """

    def __init__(self, data: pd.DataFrame, *, weights: dict[str, float] | None = None,
                 top: int = 10, method: str = "minmax", customer: str = "customer_id",
                 draw: bool = True) -> None:
        from crmlab import selection

        self._selection = selection
        start = dict(SCORECARD_WEIGHTS if weights is None else weights)
        unknown = sorted(set(start) - set(selection.DIMENSIONS))
        if unknown:
            raise TypeError(f"weights 中有未知维度 {unknown}：应为 {list(selection.DIMENSIONS)} "
                            f"中的一个或几个。unknown dimension(s) {unknown}")
        selection.validate_weights(start)
        selection.scorecard(data.head(2), dict.fromkeys(start, 1.0 / len(start)), customer=customer)
        self.data, self.customer, self.draw = data, customer, draw
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
        """Return the slider weights as set (before rescaling)."""
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
                                              method=self.method.value, customer=self.customer)
        self.top_ids = self.card[self.customer].iloc[: self.top.value].tolist()
        shown = "，".join(f"{self._selection.DIMENSIONS[k][0]} {v:.0%}" for k, v in used.items())
        self.note.value = ("<span style='font-size:16px'>实际使用的权重（合计 100%）："
                           f"{shown}</span>")
        self.updates += 1
        if self.draw:
            self.output.clear_output(wait=True)
            with self.output:
                display(self.card.head(self.top.value).round(3).pipe(glossary.zh))


def scorecard_weights(data: pd.DataFrame, **options: Any) -> ScorecardWeights:
    """Build the screening-scorecard widget (weight sliders → ranking updates live).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer with the id column and the five dimension scores.
    **options
        ``weights``, ``top``, ``method``, ``customer``, ``draw``; see :class:`ScorecardWeights`.

    Returns
    -------
    ScorecardWeights
        The widget (display it in a notebook).

    Examples
    --------
    >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
    ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
    ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
    >>> scorecard_weights(dims, top=1, draw=False).top_ids
    ['b']
    """
    return ScorecardWeights(data, **options)
