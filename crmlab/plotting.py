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
