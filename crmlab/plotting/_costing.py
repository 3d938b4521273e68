"""Chapter 3: each segment's profit under a costing method."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.plotting._style import PALETTE, rc_params


def segment_profit_chart(table: pd.DataFrame, *, title: str,
                         ylabel: str = "ABC 利润（万元）") -> Any:
    """Draw each segment's profit from a ``costing`` table (the total row left out).

    Parameters
    ----------
    table : pandas.DataFrame
        A ``costing.volume_based`` / ``costing.activity_based`` table.
    title : str
        Chart title (Chinese).
    ylabel : str
        Y-axis label with its unit.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown; the caller displays or closes it).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or the labels are not text.
    ValueError
        If columns are missing or profits hold NaN/inf.

    Examples
    --------
    >>> t = pd.DataFrame({"segment": ["甲", "乙", "total"], "segment_profit": [25.0, 45.0, 70.0]})
    >>> fig = segment_profit_chart(t, title="ABC 利润")
    >>> [float(p.get_height()) for p in fig.axes[0].patches]
    [25.0, 45.0]
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    validate.frame(table, "table", columns=["segment", "segment_profit"])
    for name, text in (("title", title), ("ylabel", ylabel)):
        if not isinstance(text, str):
            shown = validate.show(text)
            raise TypeError(f"{name}={shown} 无效：应为文字。{name}={shown} is invalid: "
                            f"expected text")
    body = table[table["segment"] != "total"]
    profit = validate.float_array(body["segment_profit"], "table['segment_profit']")
    with mpl.rc_context(rc_params()):
        return _draw_segment_profit_chart(body["segment"].astype(str), profit, title, ylabel)


def _draw_segment_profit_chart(segments: pd.Series, profit: np.ndarray, title: str,
                               ylabel: str) -> Any:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2))
    bars = ax.bar(segments, profit, color=PALETTE[0], width=0.5)
    ax.bar_label(bars, labels=[f"{v:,.1f}" for v in profit], padding=3)
    ax.axhline(0, color=PALETTE[7], linewidth=1)
    ax.set_xlabel("细分市场")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    return fig
