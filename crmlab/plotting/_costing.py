"""Chapter 3: each segment's profit under a costing method."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab.plotting._axes import bar_names, target_axes, text
from crmlab.plotting._style import PALETTE, rc_params


def segment_profit_chart(table: pd.DataFrame, *, title: str,
                         ylabel: str = "ABC 利润（万元）", ax: Axes | None = None) -> Axes:
    """Draw each segment's profit from a ``costing`` table (the total row left out).

    Parameters
    ----------
    table : pandas.DataFrame
        A ``costing.volume_based`` / ``costing.activity_based`` table.
    title : str
        Chart title (Chinese).
    ylabel : str, default "ABC 利润（万元）"
        Y-axis label with its unit.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 8 × 4.2 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one labelled bar per segment (not shown).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, the labels are not text or ``ax`` is not
        an Axes.
    ValueError
        If columns are missing, a segment name is missing or repeated, no segment
        is left besides the total, or profits hold NaN/inf.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"segment": ["甲", "乙", "total"], "segment_profit": [25.0, 45.0, 70.0]})
    >>> ax = segment_profit_chart(t, title="ABC 利润")
    >>> [float(p.get_height()) for p in ax.patches]
    [25.0, 45.0]
    >>> plt.close(ax.figure)
    """
    validate.frame(table, "table", columns=["segment", "segment_profit"])
    text(title, "title")
    text(ylabel, "ylabel")
    segments = table["segment"].to_numpy()
    body = segments != "total"
    if not body.any():
        raise validate.BilingualValueError(
            "table 除了 'total' 行没有细分市场：无可画之处",
            "table has no segment besides the 'total' row: nothing to draw")
    names = bar_names(segments[body], "table['segment']")
    profit = validate.float_array(table["segment_profit"].to_numpy()[body],
                                  "table['segment_profit']")
    with mpl.rc_context(rc_params()):
        ax, made = target_axes(ax, (8, 4.2))
        _draw(ax, names, profit, title, ylabel)
        if made:
            ax.figure.tight_layout()
    return ax


def _draw(ax: Axes, segments: list[str], profit: np.ndarray, title: str, ylabel: str) -> None:
    bars = ax.bar(segments, profit, color=PALETTE[0], width=0.5)
    ax.bar_label(bars, labels=[f"{v:,.1f}" for v in profit], padding=3)
    ax.axhline(0, color=PALETTE[7], linewidth=1)
    ax.set_xlabel("细分市场")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
