"""Chapter 2: the CLV calculator's chart."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab.plotting._axes import target_axes, thousands
from crmlab.plotting._style import PALETTE, rc_params

_COLUMNS = ("year", "present_value", "cumulative_pv")


def clv_calculator_chart(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Draw the CLV calculator's chart: bars = yearly present value, line = cumulative PV.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``clv.clv_table`` (columns ``year``, ``present_value``, ``cumulative_pv``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 10 × 5 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the yearly bars and the cumulative line (not shown).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, a column is not numeric or ``ax`` is not
        an Axes.
    ValueError
        If columns are missing or hold NaN/inf.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import clv
    >>> ax = clv_calculator_chart(clv.clv_table([100] * 4, rate=0.10))
    >>> ax.get_title()
    'CLV 计算器：CLV = 317 元'
    >>> plt.close(ax.figure)
    """
    validate.frame(table, "table", columns=_COLUMNS)
    for column in _COLUMNS:
        validate.float_array(table[column], f"table[{column!r}]")
    with mpl.rc_context(rc_params()):
        ax, made = target_axes(ax, (10, 5))
        _draw(ax, table)
        if made:
            ax.figure.tight_layout()
    return ax


def _draw(ax: Axes, table: pd.DataFrame) -> None:
    from matplotlib.patches import Patch

    colours = [PALETTE[0] if v >= 0 else PALETTE[3] for v in table["present_value"]]
    ax.bar(table["year"], table["present_value"], color=colours)
    (line,) = ax.plot(table["year"], table["cumulative_pv"], marker="o",
                      color=PALETTE[1], linewidth=2.5, label="累计现值")
    ax.axhline(0, color="black", linewidth=1)
    ax.set_title(f"CLV 计算器：CLV = {float(table['present_value'].sum()):,.0f} 元")
    ax.set_xlabel("年（第 0 年 = 获取客户）")
    ax.set_ylabel("金额（元）")
    ax.set_xticks(table["year"])
    thousands(ax)
    # one swatch per bar colour: the first bar (acquisition) is negative and red,
    # so a label on the bars would show the wrong colour in the legend
    handles = [Patch(color=PALETTE[0], label="当年现值（正）"),
               Patch(color=PALETTE[3], label="当年现值（负，含获取成本）"), line]
    ax.legend(handles=handles, loc="best")
