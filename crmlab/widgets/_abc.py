"""Chapter 3: the ABC what-if app (its logic is ``costing.what_if_table``)."""

from __future__ import annotations

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from crmlab import _validation as validate
from crmlab import costing, glossary, plotting


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
                 drivers: pd.DataFrame, *, segment: str | None = None,
                 draw: bool = True) -> None:
        self.draw = validate.flag(draw, "draw")
        start = costing.activity_rates(activities, drivers, segments)  # validates all
        names = list(dict.fromkeys(start["segment"]))
        target = names[0] if segment is None else validate.choice(segment, "segment", names,
                                                                  label="细分市场")
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
                self.table, title=f"改变 {self.segment} 的作业量后，各细分市场的 ABC 利润").figure)
            plt.close("all")
