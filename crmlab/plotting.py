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


# --- chapter 4: portfolio charts (quadrants, ABC/Pareto, pyramid) ----------------------

def quadrant_chart(classified, x: str, y: str, *, ax=None, title: str | None = None,
                   xlabel: str | None = None, ylabel: str | None = None,
                   log: bool = False, size: float = 30, alpha: float = 0.7):
    """Scatter of a ``portfolio.quadrants`` result: one colour per quadrant, the
    thresholds as dashed lines and each quadrant's Chinese name with its count.

    ``log=True`` puts both axes on a symmetric-log scale (long-tailed money).
    Returns the Axes.
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
    """Pareto chart of a ``pareto.abc_classes`` result (or a frame with ``value``,
    ``rank``, ``cumulative_share``, ``abc_class``).

    With at most ``bars`` customers: value bars (coloured by class, largest
    first) and the cumulative share on a second axis. With more: the cumulative
    share against the share of customers, the A/B/C spans shaded. Returns the Axes.
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
    """The tiers of a ``portfolio.pyramid`` result drawn as a pyramid: the widest
    bar at the bottom, each labelled with its share of customers and of ``value``.
    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    from crmlab import glossary

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.6))
    order = [t for t in ("platinum", "gold", "iron", "lead") if t in set(pyramid["tier"])]
    colours = {"platinum": "#7b8fa8", "gold": "#d9a520", "iron": "#6f6f6f", "lead": "#3d3d3d"}
    total = pyramid[value].sum()
    levels = len(order)
    for i, tier in enumerate(order):
        part = pyramid[pyramid["tier"] == tier]
        width = (i + 1) / levels
        y = levels - i
        ax.barh(y, width, left=-width / 2, height=0.9, color=colours[tier])
        share = part[value].sum() / total if total else float("nan")
        name = glossary.value_label("tier", tier)
        ax.text(0.55, y, f"{name}\n客户 {len(part) / len(pyramid):.0%}，{value_name} {share:.0%}",
                ha="left", va="center", fontsize=14)
    ax.set_xlim(-0.55, 1.25)
    ax.axis("off")
    ax.set_title(title)
    return ax
