"""Chapter 2: the CLV calculator app (its logic is ``clv.calculator_table``)."""

from __future__ import annotations

from typing import Any

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from crmlab import _validation as validate
from crmlab import clv, glossary, plotting
from crmlab.clv import CALCULATOR_DEFAULTS as DEFAULTS
from crmlab.clv import calculator_table, parse_revenue

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
            raise validate.BilingualTypeError(f"未知的输入项 {unknown}：可用 {list(DEFAULTS)}",
                                              f"unknown control(s) {unknown}: expected some "
                                              f"of {list(DEFAULTS)}")
        self.draw = validate.flag(draw, "draw")
        start = {**DEFAULTS, **values}
        calculator_table(**start)  # validate the starting values once
        revenue = start["revenue"]
        # a slider needs a number: None (which calculator_table reads as a default) is refused
        start = {name: validate.number(v, name) for name, v in start.items() if name != "revenue"}
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
            display(plotting.clv_calculator_chart(self.table).figure)
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
    TypeError, ValueError
        As :class:`CLVCalculator` (unknown names, values that are not numbers or
        that ``calculator_table`` refuses).

    Examples
    --------
    >>> round(clv_calculator(draw=False, retention=0.9).clv, 2)
    225.83
    """
    return CLVCalculator(**values)
