"""Charts that read well on a classroom projector, in Simplified Chinese.

``setup()`` is the one call every notebook makes. It registers the Chinese font
shipped inside crmlab (a 2 MB GB2312 subset of the OFL-licensed Noto Sans CJK SC,
see ``crmlab/fonts/OFL.txt``), so Chinese renders offline on Linux, macOS and
Windows with no CJK font installed and without any "Glyph missing" or "findfont"
warning. Glyph fallback in matplotlib works across the entries of
``font.family``, so the family list is [our font, DejaVu Sans] — both always there.

The chart functions of the course's widgets (``clv_calculator_chart``,
``segment_profit_chart``) live here too, so ``crmlab.widgets`` only wires
sliders to computations and charts.

>>> from crmlab import plotting
>>> plotting.setup()
>>> import matplotlib
>>> matplotlib.rcParams["font.family"][0]
'Noto Sans SC GB2312'
"""

from __future__ import annotations

import math
from importlib import resources
from numbers import Real
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, PercentFormatter

from crmlab import _validation as validate

__all__ = [
    "FONT_FAMILY",
    "FONT_FILE",
    "PALETTE",
    "SEQUENTIAL_CMAP",
    "abc_chart",
    "clv_calculator_chart",
    "font_path",
    "label_bars",
    "percent",
    "pyramid_chart",
    "quadrant_chart",
    "rc_params",
    "register_font",
    "segment_profit_chart",
    "setup",
    "thousands",
    "whale_chart",
]

FONT_FILE = "NotoSansSC-GB2312.ttf"
FONT_FAMILY = "Noto Sans SC GB2312"
_FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib itself

#: One palette for the whole course (colour-blind safe, projector friendly).
PALETTE = ["#1f5fa8", "#e07b24", "#2a9d5b", "#c8423b", "#7b5ea7",
           "#8c6d3f", "#d16fb0", "#6f6f6f", "#b5a21f", "#1fa5b5"]

#: The sequential colour map used by heatmaps.
SEQUENTIAL_CMAP = "Blues"


def _scale(scale: Any) -> float:
    """Check a font scale before any global setting is touched."""
    if isinstance(scale, bool) or not isinstance(scale, Real | np.number):
        shown = validate.show(scale)
        raise TypeError(f"scale={shown} 无效：应为一个正数（1.0 = 投影仪字号），"
                        f"例如 1.2。scale={shown} is invalid: expected a positive "
                        f"number (1.0 = projector size), e.g. 1.2")
    value = float(scale)
    if not math.isfinite(value) or not 0.1 <= value <= 10:
        shown = validate.show(scale)
        raise ValueError(f"scale={shown} 无效：应为 0.1–10 之间的有限正数（1.0 = 投影仪"
                         f"字号）。scale={shown} is invalid: expected a finite number "
                         f"from 0.1 to 10 (1.0 = projector size)")
    return value


def _axis(axis: Any) -> str:
    if axis not in ("x", "y"):
        shown = validate.show(axis)
        raise ValueError(f"axis={shown} 无效：应为 'x' 或 'y'。axis={shown} is invalid: "
                         f"expected 'x' or 'y'")
    return axis


def _axes(ax: Any) -> Any:
    if not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax 是 {type(ax).__name__}：应为 matplotlib 的 Axes（例如 "
                        f"fig, ax = plt.subplots()）。ax is a {type(ax).__name__}: "
                        f"expected a matplotlib Axes")
    return ax


def font_path() -> Path:
    """Return the path of the Chinese font file inside the installed package.

    Returns
    -------
    pathlib.Path
        ``crmlab/fonts/NotoSansSC-GB2312.ttf`` of the installed package.

    Raises
    ------
    None
        It only builds a path.

    Examples
    --------
    >>> font_path().name
    'NotoSansSC-GB2312.ttf'
    """
    return Path(str(resources.files("crmlab") / "fonts" / FONT_FILE))


def register_font() -> str:
    """Make matplotlib know the shipped font (idempotent); return its family name.

    Returns
    -------
    str
        The family name to put first in ``font.family``.

    Raises
    ------
    None
        The font ships with the package.

    Examples
    --------
    >>> register_font()
    'Noto Sans SC GB2312'
    """
    path = str(font_path())
    known = {Path(f.fname).name for f in font_manager.fontManager.ttflist}
    if FONT_FILE not in known:
        font_manager.fontManager.addfont(path)
    return FONT_FAMILY


def rc_params(scale: float = 1.0) -> dict:
    """Return the rcParams the course uses; ``scale`` enlarges every font (1.0 = projector).

    Parameters
    ----------
    scale : float
        Font scale, a finite number from 0.1 to 10.

    Returns
    -------
    dict
        rcParams: font family with the Chinese font first, font sizes, palette.

    Raises
    ------
    TypeError
        If ``scale`` is not a number.
    ValueError
        If ``scale`` is NaN, infinite or outside 0.1–10.

    Examples
    --------
    >>> rc_params(2.0)["font.size"]
    28.0
    """
    factor = _scale(scale)
    return {
        "font.family": [register_font(), _FALLBACK_FAMILY],
        "axes.unicode_minus": False,
        "font.size": 14 * factor,
        "axes.titlesize": 18 * factor,
        "axes.labelsize": 15 * factor,
        "xtick.labelsize": 13 * factor,
        "ytick.labelsize": 13 * factor,
        "legend.fontsize": 13 * factor,
        "legend.title_fontsize": 13 * factor,
        "figure.titlesize": 20 * factor,
        "figure.figsize": (10, 5.6),
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.prop_cycle": mpl.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
    }


def setup(scale: float = 1.0, *, seaborn: bool = True) -> None:
    """Set fonts, sizes and palette for matplotlib (and seaborn) in one call.

    ``sns.set_theme`` resets ``font.family``, so the font list is passed to it.
    Arguments are checked before any global setting changes.

    Parameters
    ----------
    scale : float
        Font scale, a finite number from 0.1 to 10 (1.0 = projector size).
    seaborn : bool
        Also set seaborn's theme (whitegrid, the course palette).

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``scale`` is not a number or ``seaborn`` not a bool.
    ValueError
        If ``scale`` is NaN, infinite or outside 0.1–10.

    Examples
    --------
    >>> setup(1.0, seaborn=False)
    >>> import matplotlib
    >>> matplotlib.rcParams["font.size"]
    14.0
    """
    if not isinstance(seaborn, bool):
        shown = validate.show(seaborn)
        raise TypeError(f"seaborn={shown} 无效：应为 True 或 False。seaborn={shown} "
                        f"is invalid: expected True or False")
    params = rc_params(scale)
    if seaborn:
        import seaborn as sns

        sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE,
                      font=params["font.family"], rc=params)
    mpl.rcParams.update(params)
    _sharp_inline_figures()


def _sharp_inline_figures() -> None:
    # In Jupyter, store figures as "retina" PNG (twice the pixels, shown at the same
    # size), so charts stay sharp on a projector and on the course website. Outside
    # IPython (scripts, tests) there is nothing to set.
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def thousands(ax: Any, axis: str = "y", *, decimals: int = 0, unit: str = "") -> None:
    """Format an axis with thousands separators, e.g. 28,200,000 元.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to format.
    axis : {"y", "x"}
        Which axis.
    decimals : int
        Digits after the decimal point (0–10).
    unit : str
        Appended to each tick label only when given.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``ax`` is not an Axes, ``decimals`` not a whole number or ``unit`` not text.
    ValueError
        If ``axis`` is not "x"/"y" or ``decimals`` is outside 0–10.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> thousands(ax, unit="元")
    >>> ax.yaxis.get_major_formatter()(28200000, 0)
    '28,200,000 元'
    >>> plt.close(fig)
    """
    _axes(ax)
    which = _axis(axis)
    digits = validate.integer(decimals, "decimals", minimum=0)
    if digits > 10:
        shown = validate.show(decimals)
        raise ValueError(f"decimals={shown} 无效：应为 0–10。decimals={shown} is "
                         f"invalid: expected 0 to 10")
    if not isinstance(unit, str):
        shown = validate.show(unit)
        raise TypeError(f"unit={shown} 无效：应为文字，例如 '元'。unit={shown} is "
                        f"invalid: expected text such as '元'")
    suffix = f" {unit}" if unit else ""
    fmt = FuncFormatter(lambda v, _pos: f"{v:,.{digits}f}{suffix}")
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax: Any, axis: str = "y", *, xmax: float = 1.0, decimals: int = 0) -> None:
    """Show shares 0–1 (``xmax=1``) or 0–100 (``xmax=100``) as percentages.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes to format.
    axis : {"y", "x"}
        Which axis.
    xmax : float
        The value shown as 100 %, a finite positive number.
    decimals : int
        Digits after the decimal point (0–10).

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``ax`` is not an Axes or a number argument is not a number.
    ValueError
        If ``axis`` is not "x"/"y", ``xmax`` is not positive and finite or
        ``decimals`` is outside 0–10.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> percent(ax)
    >>> ax.yaxis.get_major_formatter()(0.25, 0)
    '25%'
    >>> plt.close(fig)
    """
    _axes(ax)
    which = _axis(axis)
    top = validate.number(xmax, "xmax", minimum=0, min_inclusive=False)
    digits = validate.integer(decimals, "decimals", minimum=0)
    if digits > 10:
        shown = validate.show(decimals)
        raise ValueError(f"decimals={shown} 无效：应为 0–10。decimals={shown} is "
                         f"invalid: expected 0 to 10")
    fmt = PercentFormatter(xmax=top, decimals=digits)
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(fmt)


def label_bars(ax: Any, fmt: str = "{:,.0f}", *, fontsize: float | None = None) -> None:
    """Write each bar's value on top of it (readable from the back row).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding bar containers.
    fmt : str
        A ``str.format`` pattern for one number.
    fontsize : float, optional
        Label size; the current ``font.size`` when omitted.

    Returns
    -------
    None

    Raises
    ------
    TypeError
        If ``ax`` is not an Axes or ``fmt`` is not a format pattern for a number.
    ValueError
        If ``fontsize`` is not a finite positive number.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["甲", "乙"], [1200, 800])
    >>> label_bars(ax)
    >>> [t.get_text() for t in ax.texts]
    ['1,200', '800']
    >>> plt.close(fig)
    """
    _axes(ax)
    try:
        fmt.format(1.5)
    except (AttributeError, IndexError, KeyError, ValueError):
        shown = validate.show(fmt)
        raise TypeError(f"fmt={shown} 无效：应为一个数字的格式，例如 '{{:,.0f}}'。"
                        f"fmt={shown} is invalid: expected a format for one number such "
                        f"as '{{:,.0f}}'") from None
    size = mpl.rcParams["font.size"] if fontsize is None else validate.number(
        fontsize, "fontsize", minimum=0, min_inclusive=False)
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.format(v) for v in container.datavalues],
                     padding=3, fontsize=size)


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


# --- chapter 4: portfolio charts (quadrants, ABC/Pareto, pyramid) ----------------------

def quadrant_chart(classified, x: str, y: str, *, ax=None, title: str | None = None,
                   xlabel: str | None = None, ylabel: str | None = None,
                   log: bool = False, size: float = 30, alpha: float = 0.7):
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
        Axes to draw on; a new figure when omitted.
    title, xlabel, ylabel : str, optional
        Chart title and axis labels; the scheme's (or the column names) when omitted.
    log : bool, default False
        Symmetric-log scale on both axes.
    size : float, default 30
        Marker size.
    alpha : float, default 0.7
        Marker opacity.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    KeyError
        If ``classified`` lacks the ``quadrant``, ``x`` or ``y`` column.

    Examples
    --------
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
    import matplotlib.pyplot as plt

    from crmlab import glossary, portfolio

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6.5))
    key = classified.attrs.get("scheme")
    scheme = portfolio.get_scheme(key) if key else None
    cells = [(True, True), (False, True), (True, False), (False, False)]
    codes = ([scheme.code(*c) for c in cells] if scheme else
             list(dict.fromkeys(classified["quadrant"])))
    for i, code in enumerate(codes):
        part = classified[classified["quadrant"] == code]
        ax.scatter(part[x], part[y], s=size, alpha=alpha, color=PALETTE[i % len(PALETTE)],
                   label=f"{glossary.value_label('quadrant', code)}（{len(part):,}）",
                   edgecolor="white", linewidth=0.4)
    t = classified.attrs.get("thresholds", {})
    if log:
        ax.set_xscale("symlog")
        ax.set_yscale("symlog")
    if t:
        ax.axvline(t["x"], color="#444444", linestyle="--", linewidth=1.2)
        ax.axhline(t["y"], color="#444444", linestyle="--", linewidth=1.2)
    ax.set_xlabel(xlabel or (scheme.x if scheme else x))
    ax.set_ylabel(ylabel or (scheme.y if scheme else y))
    ax.set_title(title or (scheme.title if scheme else "四象限分类"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def abc_chart(classes, *, ax=None, title: str = "ABC 分类法：帕累托图",
              unit: str = "元", bars: int = 40, who: str = "人"):
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
        Axes to draw on; a new figure when omitted.
    title : str
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
    KeyError
        If one of the four columns is missing or ``abc_class`` holds a label
        other than A, B, C.

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
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5.6))
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
        for cls in ("A", "B", "C"):
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


def pyramid_chart(pyramid, *, value: str = "profit", value_name: str = "利润", ax=None,
                  title: str = "客户金字塔"):
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
        Axes to draw on; a new figure when omitted.
    title : str, default "客户金字塔"
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (axis lines switched off).

    Raises
    ------
    TypeError, ValueError
        If ``pyramid`` is not a DataFrame, lacks the ``tier`` or ``value`` column,
        holds NaN/inf values or unknown tiers, or its values sum to 0.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import portfolio
    >>> d = pd.DataFrame({"customer_id": range(10), "profit": range(10, 0, -1)})
    >>> ax = pyramid_chart(portfolio.pyramid(d), ax=plt.subplots()[1])
    >>> ax.get_title(), len(ax.patches)
    ('客户金字塔', 2)
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    from crmlab import glossary

    validate.frame(pyramid, "pyramid", columns=["tier", value])
    values = validate.float_array(pyramid[value], f"pyramid[{value!r}]")  # no "nan%" drawn
    tiers = ("platinum", "gold", "iron", "lead")
    unknown = sorted(set(map(str, pyramid["tier"])) - set(tiers))
    if unknown:  # never leave a tier out of the picture silently
        raise validate.BilingualValueError(
            f"pyramid['tier'] 有未知的层级 {unknown[:5]}：应为 {list(tiers)}",
            f"pyramid['tier'] has unknown tiers {unknown[:5]}: expected {list(tiers)}")
    total = float(values.sum())
    if total == 0:
        raise validate.BilingualValueError(f"pyramid[{value!r}] 合计为 0：无法计算各层的占比",
                                           f"pyramid[{value!r}] sums to 0: the shares are "
                                           f"undefined")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.6))
    order = [t for t in tiers if t in set(pyramid["tier"])]
    colours = {"platinum": "#7b8fa8", "gold": "#d9a520", "iron": "#6f6f6f", "lead": "#3d3d3d"}
    levels = len(order)
    for i, tier in enumerate(order):
        part = pyramid[pyramid["tier"] == tier]
        width = (i + 1) / levels
        y = levels - i
        ax.barh(y, width, left=-width / 2, height=0.9, color=colours[tier])
        share = values[(pyramid["tier"] == tier).to_numpy()].sum() / total
        name = glossary.value_label("tier", tier)
        ax.text(0.55, y, f"{name}\n客户 {len(part) / len(pyramid):.0%}，{value_name} {share:.0%}",
                ha="left", va="center", fontsize=14)
    ax.set_xlim(-0.55, 1.25)
    ax.axis("off")
    ax.set_title(title)
    return ax


# --- chapter 1: whale curve -------------------------------------------------------

def whale_chart(curve, *, top: float = 0.20, bottom: float = 0.30, ax=None,
                title: str = "鲸鱼曲线：按利润从高到低排列的客户累计利润"):
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
        Axes to draw on; a new figure when omitted.
    title : str
        Chart title (Chinese).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    TypeError, ValueError
        If ``curve`` is not a DataFrame, lacks one of the two share columns or holds
        NaN/inf; ``top`` or ``bottom`` is not a share in [0, 1].

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from crmlab import pareto
    >>> curve = pareto.whale_curve([50, 30, 20, 5, -10, -15])
    >>> ax = whale_chart(curve, ax=plt.subplots()[1])
    >>> ax.get_title()
    '鲸鱼曲线：按利润从高到低排列的客户累计利润'
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt
    import numpy as np

    validate.frame(curve, "curve", columns=["customer_share", "cumulative_profit_share"])
    x = validate.float_array(curve["customer_share"], "curve['customer_share']")
    y = validate.float_array(curve["cumulative_profit_share"],
                             "curve['cumulative_profit_share']")  # NaN would read "峰值 nan%"
    top = validate.probability(top, "top")
    bottom = validate.probability(bottom, "bottom")
    if ax is None:
        _, ax = plt.subplots()
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
