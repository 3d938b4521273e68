"""The course's look: the shipped Chinese font, the palette, ``rc_params`` and ``setup``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager

from crmlab import _validation as validate

FONT_FILE = "NotoSansSC-GB2312.ttf"
FONT_FAMILY = "Noto Sans SC GB2312"
_FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib itself

#: One palette for the whole course (colour-blind safe, projector friendly).
PALETTE = ["#1f5fa8", "#e07b24", "#2a9d5b", "#c8423b", "#7b5ea7",
           "#8c6d3f", "#d16fb0", "#6f6f6f", "#b5a21f", "#1fa5b5"]

#: The sequential colour map used by heatmaps.
SEQUENTIAL_CMAP = "Blues"


def _scale(scale: Any) -> float:
    """Check a font scale (1.0 = projector size) before any global setting is touched."""
    return validate.number(scale, "scale", minimum=0.1, maximum=10, label="字号倍数")


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
        The rcParams: font family with the Chinese font first, font sizes, palette.

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
    validate.flag(seaborn, "seaborn")
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
