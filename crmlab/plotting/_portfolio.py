"""Chapter 4: portfolio charts (quadrants, ABC/Pareto, pyramid)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab.plotting._axes import percent, target_axes, text, thousands
from crmlab.plotting._style import PALETTE

_ABC = ("A", "B", "C")
_TIERS = ("platinum", "gold", "iron", "lead")


def quadrant_chart(classified: pd.DataFrame, x: str, y: str, *, ax: Axes | None = None,
                   title: str | None = None, xlabel: str | None = None,
                   ylabel: str | None = None, log: bool = False, size: float = 30,
                   alpha: float = 0.7) -> Axes:
    """Draw a ``portfolio.quadrants`` result as a scatter, one colour per quadrant.

    The thresholds appear as dashed lines; the legend gives each quadrant's
    Chinese name with its count. ``log=True`` puts both axes on a symmetric-log
    scale (long-tailed money).

    Parameters
    ----------
    classified : pandas.DataFrame
        A ``portfolio.quadrants`` result (a ``quadrant`` column; its ``attrs``
        carry the scheme and thresholds).
    x, y : str
        Columns plotted on the horizontal and vertical axis.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 6.5 inch figure when omitted.
    title, xlabel, ylabel : str, optional
        Chart title and axis labels; the scheme's (or the column names) when omitted.
    log : bool, default False
        Symmetric-log scale on both axes.
    size : float, default 30
        Marker size in points², a positive number up to 10,000.
    alpha : float, default 0.7
        Marker opacity, from 0 to 1.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one scatter per quadrant and the threshold lines.

    Raises
    ------
    TypeError
        If ``classified`` is not a DataFrame, ``x``/``y`` are not column names,
        a label is not text, ``log`` not a bool, ``size``/``alpha`` not numbers or
        ``ax`` not an Axes.
    ValueError
        If ``classified`` is empty or lacks the ``quadrant``, ``x`` or ``y``
        column, ``x``/``y`` or the thresholds in its ``attrs`` hold NaN/inf, a
        quadrant is missing or not one of the scheme's, or ``size``/``alpha`` are
        out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import portfolio
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9, 1, 8, 2],
    ...                   "future": [8, 9, 1, 2]})
    >>> q = portfolio.quadrants(d, x="current", y="future", scheme="clv_matrix")
    >>> ax = quadrant_chart(q, "current", "future", ax=plt.subplots()[1])
    >>> len(ax.collections)
    4
    >>> plt.close("all")
    """
    from crmlab import glossary, portfolio

    x, y = validate.name(x, "x"), validate.name(y, "y")
    validate.frame(classified, "classified", columns=["quadrant", x, y])
    xs = validate.float_array(classified[x], f"classified[{x!r}]")
    ys = validate.float_array(classified[y], f"classified[{y!r}]")
    for name, label in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        text(label, name, optional=True)
    log = validate.flag(log, "log")
    size = validate.number(size, "size", minimum=0, maximum=10_000, min_inclusive=False)
    alpha = validate.probability(alpha, "alpha")
    quadrant = validate.filled_column(classified, "quadrant", name="classified").to_numpy()
    key = classified.attrs.get("scheme")
    scheme = portfolio.get_scheme(key) if key else None
    cells = [(True, True), (False, True), (True, False), (False, False)]
    codes = ([scheme.code(*c) for c in cells] if scheme else list(dict.fromkeys(quadrant)))
    _known(quadrant, codes, "classified['quadrant']")
    t = {axis: validate.number(value, f"classified.attrs['thresholds'][{axis!r}]")
         for axis, value in classified.attrs.get("thresholds", {}).items() if axis in "xy"}
    ax, _ = target_axes(ax, (9, 6.5))
    for i, code in enumerate(codes):
        part = quadrant == code
        ax.scatter(xs[part], ys[part], s=size, alpha=alpha, color=PALETTE[i % len(PALETTE)],
                   label=f"{glossary.value_label('quadrant', code)}（{int(part.sum()):,}）",
                   edgecolor="white", linewidth=0.4)
    if log:
        ax.set_xscale("symlog")
        ax.set_yscale("symlog")
    if "x" in t:
        ax.axvline(t["x"], color="#444444", linestyle="--", linewidth=1.2)
    if "y" in t:
        ax.axhline(t["y"], color="#444444", linestyle="--", linewidth=1.2)
    ax.set_xlabel(xlabel or (scheme.x if scheme else x))
    ax.set_ylabel(ylabel or (scheme.y if scheme else y))
    ax.set_title(title or (scheme.title if scheme else "四象限分类"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def _known(values: np.ndarray, allowed: Any, name: str) -> None:
    """Refuse labels a chart has no place for: a row must never vanish from the picture."""
    unknown = sorted(set(map(str, values)) - set(map(str, allowed)))
    if unknown:
        raise validate.BilingualValueError(
            f"{name} 有未知的标签 {unknown[:5]}：应为 {list(allowed)} 之一",
            f"{name} has unknown labels {unknown[:5]}: expected one of {list(allowed)}")


def abc_chart(classes: pd.DataFrame, *, ax: Axes | None = None,
              title: str = "ABC 分类法：帕累托图", unit: str = "元", bars: int = 40,
              who: str = "人") -> Axes:
    """Draw the Pareto chart of a ``pareto.abc_classes`` result.

    With at most ``bars`` customers: value bars (coloured by class, largest
    first) and the cumulative share on a second axis. With more: the cumulative
    share against the share of customers, the A/B/C spans shaded.

    Parameters
    ----------
    classes : pandas.DataFrame
        A ``pareto.abc_classes`` result, or any frame with ``value``, ``rank``,
        ``cumulative_share`` and ``abc_class``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 10 × 5.6 inch figure when omitted.
    title : str, default "ABC 分类法：帕累托图"
        Chart title (Chinese).
    unit : str, default "元"
        Money unit in the value-axis label.
    bars : int, default 40
        Largest number of customers drawn as single bars.
    who : str, default "人"
        Counting word in the class labels of the cumulative view.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (the bar view adds a twin axis for the cumulative share).

    Raises
    ------
    TypeError
        If ``classes`` is not a DataFrame, a column is not numeric, a label is not
        text, ``bars`` is not a whole number or ``ax`` is not an Axes.
    ValueError
        If ``classes`` is empty or lacks one of the four columns, the numbers hold
        NaN/inf, ``abc_class`` holds a label other than A, B, C or ``bars`` is
        negative.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import pareto
    >>> classes = pareto.abc_classes([500, 300, 120, 50, 30])
    >>> ax = abc_chart(classes, ax=plt.subplots()[1])
    >>> ax.get_title(), len(ax.patches)
    ('ABC 分类法：帕累托图', 5)
    >>> plt.close("all")
    """
    validate.frame(classes, "classes", columns=["value", "rank", "cumulative_share",
                                                "abc_class"])
    for column in ("value", "rank", "cumulative_share"):  # NaN would draw gaps silently
        validate.float_array(classes[column], f"classes[{column!r}]")
    _known(validate.filled_column(classes, "abc_class", name="classes").to_numpy(), _ABC,
           "classes['abc_class']")
    for name, label in (("title", title), ("unit", unit), ("who", who)):
        text(label, name)
    bars = validate.integer(bars, "bars", minimum=0)
    ax, _ = target_axes(ax, (10, 5.6))
    data = classes.sort_values("rank")
    n = len(data)
    colours = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[7]}
    if n <= bars:
        positions = np.arange(1, n + 1)
        ax.bar(positions, data["value"], color=[colours[c] for c in data["abc_class"]])
        ax.set_xlabel("客户（按金额从高到低排列）")
        ax.set_ylabel(f"金额（{unit}）")
        thousands(ax)
        share_ax = ax.twinx()
        share_ax.plot(positions, data["cumulative_share"], color=PALETTE[3], marker="o")
        share_ax.set_ylim(0, 1.05)
        share_ax.grid(False)
        percent(share_ax)
        share_ax.set_ylabel("累计占比")
        ax.set_xticks(positions)
        ax.set_xticklabels([str(v) for v in data.index], rotation=90 if n > 12 else 0)
    else:
        share = np.arange(1, n + 1) / n
        ax.plot(share, data["cumulative_share"], color=PALETTE[3], linewidth=2.5)
        start = 0.0
        for cls in _ABC:
            k = int((data["abc_class"] == cls).sum())
            if k:
                end = start + k / n
                ax.axvspan(start, end, color=colours[cls], alpha=0.18)
                ax.text((start + end) / 2, 0.08, f"{cls} 类\n{k:,} {who}\n{k / n:.1%}",
                        ha="center", fontsize=13)
                start = end
        for level in (0.80, 0.95):
            ax.axhline(level, color="#444444", linestyle=":", linewidth=1)
        ax.set_xlabel("客户累计占比（按金额从高到低）")
        ax.set_ylabel("金额累计占比")
        ax.set_ylim(0, 1.02)
        ax.set_xlim(0, 1)
        percent(ax)
        percent(ax, "x")
    ax.set_title(title)
    return ax


def pyramid_chart(pyramid: pd.DataFrame, *, value: str = "profit", value_name: str = "利润",
                  ax: Axes | None = None, title: str = "客户金字塔") -> Axes:
    """Draw the tiers of a ``portfolio.pyramid`` result as a pyramid.

    The widest bar sits at the bottom; each bar is labelled with its tier's
    share of customers and of ``value``.

    Parameters
    ----------
    pyramid : pandas.DataFrame
        A ``portfolio.pyramid`` result (a ``tier`` column and the ``value`` column).
    value : str, default "profit"
        Column whose share per tier is written beside the bars.
    value_name : str, default "利润"
        Chinese name of ``value`` in the labels.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 5.6 inch figure when omitted.
    title : str, default "客户金字塔"
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (axis lines switched off).

    Raises
    ------
    TypeError
        If ``pyramid`` is not a DataFrame, ``value`` is not a column name, the
        values are not numbers, a label is not text or ``ax`` is not an Axes.
    ValueError
        If ``pyramid`` is empty, lacks the ``tier`` or ``value`` column, holds
        NaN/inf values or unknown tiers, or its values sum to 0.

    Examples
    --------
    >>> import pandas as pd
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import portfolio
    >>> d = pd.DataFrame({"customer_id": range(10), "profit": range(10, 0, -1)})
    >>> ax = pyramid_chart(portfolio.pyramid(d), ax=plt.subplots()[1])
    >>> ax.get_title(), len(ax.patches)
    ('客户金字塔', 2)
    >>> plt.close("all")
    """
    from crmlab import glossary

    validate.frame(pyramid, "pyramid", columns=["tier", validate.name(value, "value")])
    values = validate.float_array(pyramid[value], f"pyramid[{value!r}]")  # no "nan%" drawn
    text(value_name, "value_name")
    text(title, "title")
    tier_of = pyramid["tier"].to_numpy()
    _known(tier_of, _TIERS, "pyramid['tier']")  # never leave a tier out of the picture
    total = float(values.sum())
    if total == 0:
        raise validate.BilingualValueError(f"pyramid[{value!r}] 合计为 0：无法计算各层的占比",
                                           f"pyramid[{value!r}] sums to 0: the shares are "
                                           f"undefined")
    ax, _ = target_axes(ax, (9, 5.6))
    order = [t for t in _TIERS if t in set(tier_of)]
    colours = {"platinum": "#7b8fa8", "gold": "#d9a520", "iron": "#6f6f6f", "lead": "#3d3d3d"}
    levels = len(order)
    for i, tier in enumerate(order):
        mine = tier_of == tier
        width = (i + 1) / levels
        y = levels - i
        ax.barh(y, width, left=-width / 2, height=0.9, color=colours[tier])
        share = values[mine].sum() / total
        name = glossary.value_label("tier", tier)
        ax.text(0.55, y, f"{name}\n客户 {mine.mean():.0%}，{value_name} {share:.0%}",
                ha="left", va="center", fontsize=14)
    ax.set_xlim(-0.55, 1.25)
    ax.axis("off")
    ax.set_title(title)
    return ax
