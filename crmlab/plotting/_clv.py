"""Chapter 2: the CLV calculator's chart."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import pandas as pd

from crmlab import _validation as validate
from crmlab.plotting._axes import thousands
from crmlab.plotting._style import PALETTE, rc_params

# --- chart functions of the widgets ---------------------------------------------

def clv_calculator_chart(table: pd.DataFrame) -> Any:
    """Draw the CLV calculator's chart: bars = yearly present value, line = cumulative PV.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``clv.clv_table`` (columns ``year``, ``present_value``, ``cumulative_pv``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown; the caller displays or closes it).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If columns are missing or hold NaN/inf.

    Examples
    --------
    >>> from crmlab import clv
    >>> fig = clv_calculator_chart(clv.clv_table([100] * 4, rate=0.10))
    >>> fig.axes[0].get_title()
    'CLV 计算器：CLV = 317 元'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    validate.frame(table, "table", columns=["year", "present_value", "cumulative_pv"])
    for column in ("year", "present_value", "cumulative_pv"):
        validate.float_array(table[column], f"table[{column!r}]")
    with mpl.rc_context(rc_params()):
        return _draw_clv_calculator_chart(table)


def _draw_clv_calculator_chart(table: pd.DataFrame) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(10, 5))
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
    fig.tight_layout()
    return fig
