"""Charts that read well on a classroom projector, in Simplified Chinese.

``setup()`` is the one call every notebook makes. It registers the Chinese font
shipped inside crmlab (a 2 MB GB2312 subset of the OFL-licensed Noto Sans CJK SC,
see ``crmlab/fonts/OFL.txt``), so Chinese renders offline on Linux, macOS and
Windows with no CJK font installed and without any "Glyph missing" or "findfont"
warning. Glyph fallback in matplotlib works across the entries of
``font.family``, so the family list is [our font, DejaVu Sans] — both always there.

>>> from crmlab import plotting
>>> plotting.setup()
>>> import matplotlib
>>> matplotlib.rcParams["font.family"][0]
'Noto Sans SC GB2312'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, PercentFormatter

FONT_FILE = "NotoSansSC-GB2312.ttf"
FONT_FAMILY = "Noto Sans SC GB2312"
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib itself

#: One palette for the whole course (colour-blind safe, projector friendly).
PALETTE = ["#1f5fa8", "#e07b24", "#2a9d5b", "#c8423b", "#7b5ea7",
           "#8c6d3f", "#d16fb0", "#6f6f6f", "#b5a21f", "#1fa5b5"]

#: Diverging and sequential colour maps used by heatmaps.
SEQUENTIAL_CMAP = "Blues"
DIVERGING_CMAP = "RdBu"


def font_path() -> Path:
    """Path of the Chinese font file inside the installed package."""
    return Path(str(resources.files("crmlab") / "fonts" / FONT_FILE))


def register_font() -> str:
    """Make matplotlib know the shipped font (idempotent); return its family name."""
    path = str(font_path())
    known = {Path(f.fname).name for f in font_manager.fontManager.ttflist}
    if FONT_FILE not in known:
        font_manager.fontManager.addfont(path)
    return FONT_FAMILY


def rc_params(scale: float = 1.0) -> dict:
    """The rcParams the course uses; ``scale`` enlarges every font (1.0 = projector)."""
    return {
        "font.family": [register_font(), FALLBACK_FAMILY],
        "axes.unicode_minus": False,
        "font.size": 14 * scale,
        "axes.titlesize": 18 * scale,
        "axes.labelsize": 15 * scale,
        "xtick.labelsize": 13 * scale,
        "ytick.labelsize": 13 * scale,
        "legend.fontsize": 13 * scale,
        "legend.title_fontsize": 13 * scale,
        "figure.titlesize": 20 * scale,
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
    """
    params = rc_params(scale)
    if seaborn:
        import seaborn as sns

        sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE,
                      font=params["font.family"], rc=params)
    mpl.rcParams.update(params)


def thousands(ax, axis: str = "y", *, decimals: int = 0, unit: str = "") -> None:
    """Format an axis with thousands separators, e.g. 28,200,000 元.

    ``unit`` is appended to each tick label only when given.
    """
    suffix = f" {unit}" if unit else ""
    fmt = FuncFormatter(lambda v, _pos: f"{v:,.{decimals}f}{suffix}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax, axis: str = "y", *, xmax: float = 1.0, decimals: int = 0) -> None:
    """Show shares 0–1 (``xmax=1``) or 0–100 (``xmax=100``) as percentages."""
    fmt = PercentFormatter(xmax=xmax, decimals=decimals)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def label_bars(ax, fmt: str = "{:,.0f}", *, fontsize: float | None = None) -> None:
    """Write each bar's value on top of it (readable from the back row)."""
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.format(v) for v in container.datavalues],
                     padding=3, fontsize=fontsize or mpl.rcParams["font.size"])


# --- chapter 1: whale curve -------------------------------------------------------

def whale_chart(curve, *, top: float = 0.20, bottom: float = 0.30, ax=None,
                title: str = "鲸鱼曲线：按利润从高到低排列的客户累计利润"):
    """Draw a whale curve (``pareto.whale_curve``) with the top and bottom marks and the peak.

    Marks: the share of profit of the top ``top`` customers, the point where the
    bottom ``bottom`` begin, and the peak. Returns the Axes.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    if ax is None:
        _, ax = plt.subplots()
    x = curve["customer_share"].to_numpy()
    y = curve["cumulative_profit_share"].to_numpy()
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
