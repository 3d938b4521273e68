"""Chapter 1: the whale curve."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab.plotting._axes import percent, target_axes, text
from crmlab.plotting._style import PALETTE


def whale_chart(curve: pd.DataFrame, *, top: float = 0.20, bottom: float = 0.30,
                ax: Axes | None = None,
                title: str = "鲸鱼曲线：按利润从高到低排列的客户累计利润") -> Axes:
    """Draw a whale curve (``pareto.whale_curve``) with the top and bottom marks and the peak.

    Marks: the share of profit of the top ``top`` customers, the point where the
    bottom ``bottom`` begin, and the peak.

    Parameters
    ----------
    curve : pandas.DataFrame
        A ``pareto.whale_curve`` result (``customer_share``,
        ``cumulative_profit_share``).
    top : float, default 0.20
        Share of most profitable customers whose profit share is marked.
    bottom : float, default 0.30
        Share of least profitable customers whose effect on profit is marked.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure of the course's size when omitted.
    title : str, default "鲸鱼曲线：按利润从高到低排列的客户累计利润"
        Chart title (Chinese).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the curve and its three marks.

    Raises
    ------
    TypeError
        If ``curve`` is not a DataFrame, a column is not numeric, ``top`` or
        ``bottom`` is not a number, ``ax`` is not an Axes or ``title`` not text.
    ValueError
        If ``curve`` lacks one of the two share columns, is empty, holds NaN/inf or
        shares of customers that do not rise within [0, 1], or ``top`` or
        ``bottom`` is not a share in [0, 1].

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import pareto
    >>> curve = pareto.whale_curve([50, 30, 20, 5, -10, -15])
    >>> ax = whale_chart(curve)
    >>> ax.get_title()
    '鲸鱼曲线：按利润从高到低排列的客户累计利润'
    >>> plt.close("all")
    """
    import numpy as np

    validate.frame(curve, "curve", columns=["customer_share", "cumulative_profit_share"])
    x = validate.float_array(curve["customer_share"], "curve['customer_share']")
    y = validate.float_array(curve["cumulative_profit_share"],
                             "curve['cumulative_profit_share']")  # NaN would read "峰值 nan%"
    if (np.diff(x) < 0).any() or x[0] < 0 or x[-1] > 1:  # np.interp needs a rising x
        raise validate.BilingualValueError(
            "curve['customer_share'] 应从小到大排列、在 0 到 1 之间（pareto.whale_curve 的结果）",
            "curve['customer_share'] must rise from 0 to at most 1 (a pareto.whale_curve "
            "result)")
    top = validate.probability(top, "top")
    bottom = validate.probability(bottom, "bottom")
    text(title, "title")
    ax, _ = target_axes(ax)
    ax.plot(x, y, color=PALETTE[0], linewidth=3, label="累计利润占比")
    ax.axhline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.text(0.99, 1.0, "总利润 = 100%", ha="right", va="bottom", color="grey")
    peak = int(np.argmax(y))
    at_top = float(np.interp(top, x, y))
    at_bottom = float(np.interp(1 - bottom, x, y))
    ax.axvline(top, color=PALETTE[2], linestyle=":", linewidth=2)
    ax.axvline(1 - bottom, color=PALETTE[3], linestyle=":", linewidth=2)
    ax.annotate(f"前 {top:.0%} 客户：{at_top:.0%}", (top, at_top), xytext=(12, -30),
                textcoords="offset points", color=PALETTE[2],
                arrowprops={"arrowstyle": "->", "color": PALETTE[2]})
    ax.annotate(f"峰值 {y[peak]:.0%}（前 {x[peak]:.0%} 客户）", (x[peak], y[peak]),
                xytext=(-40, 12), textcoords="offset points", ha="center", color=PALETTE[1])
    ax.plot([x[peak]], [y[peak]], "o", color=PALETTE[1], markersize=9)
    ax.annotate(f"后 {bottom:.0%} 客户\n使利润减少 {at_bottom - 1:.0%}", (1 - bottom, at_bottom),
                xytext=(1 - bottom + 0.03, 0.55), textcoords="data", color=PALETTE[3],
                arrowprops={"arrowstyle": "->", "color": PALETTE[3]})
    ax.set_xlabel("客户占比（按利润从高到低排列）")
    ax.set_ylabel("累计利润占总利润的比例")
    ax.set_title(title)
    ax.set_xlim(0, 1)
    ax.set_ylim(min(0.0, y.min()) - 0.02, max(1.1, y.max() * 1.12))
    percent(ax, "x")
    percent(ax, "y")
    return ax
