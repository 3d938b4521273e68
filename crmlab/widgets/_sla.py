"""Chapter 5: the SLA explorer, a slider for the promised handling time."""

from __future__ import annotations

from typing import Any

import ipywidgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from crmlab import _validation as validate
from crmlab import glossary
from crmlab.plotting import sla_figure

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
        validate.frame(cases, "cases")
        self.cases = complaints.summary(cases) if "seq" in cases.columns else _checked(cases)
        self.target = validate.probability(target, "target")
        validate.flag(draw, "draw")
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
        """Recompute the SLA table for the slider's value, then redraw.

        Examples
        --------
        >>> cases = pd.DataFrame({"complaint_id": ["T1", "T2", "T3"],
        ...                       "opened_at": pd.to_datetime(["2024-01-02"] * 3),
        ...                       "status": ["closed"] * 3,
        ...                       "department": ["qa", "logistics", "logistics"],
        ...                       "handling_days": [3.0, 9.0, 5.0]})
        >>> app = SLAExplorer(cases, sla_days=7, draw=False)
        >>> app.slider.value = 10  # calls update()
        >>> app.table["sla_compliance"].tolist()
        [1.0, 1.0]
        """
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
                display(sla_figure(self.table, days, target=self.target).figure)
                plt.close("all")


def _checked(cases: pd.DataFrame) -> pd.DataFrame:
    """Check a summary table (``complaints.summary``): a settled case needs its handling days."""
    validate.frame(cases, "cases", columns=("department", "status", "handling_days"))
    settled = cases["status"].ne("open").to_numpy()
    missing = settled & cases["handling_days"].isna().to_numpy()
    if missing.any():     # negative or text days: complaints.sla_by_department refuses them
        where = validate.rows(cases.index, missing)
        raise validate.BilingualValueError(
            f"cases['handling_days'] 在已结案的行 {where} 为空：结案的投诉应有处理天数",
            f"cases['handling_days'] is missing at settled rows {where}: a settled complaint "
            "needs its handling days")
    return cases


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
    >>> late = pd.DataFrame({"complaint_id": ["K1"], "status": ["closed"],
    ...                      "opened_at": pd.to_datetime(["2024-03-01"]),
    ...                      "department": ["logistics"], "handling_days": [12.0]})
    >>> "物流部" in sla_explorer(late, sla_days=7, draw=False).summary.value
    True
    """
    return SLAExplorer(cases, **options)
