"""Charts that read well on a classroom projector, in Simplified Chinese.

``setup()`` is the one call every notebook makes. It registers the Chinese font
shipped inside crmlab (a 2 MB GB2312 subset of the OFL-licensed Noto Sans CJK SC,
see ``crmlab/fonts/OFL.txt``), so Chinese renders offline on Linux, macOS and
Windows with no CJK font installed and without any "Glyph missing" or "findfont"
warning. Glyph fallback in matplotlib works across the entries of
``font.family``, so the family list is [our font, DejaVu Sans] — both always there.

The chart functions of the course's widgets (``clv_calculator_chart``,
``segment_profit_chart``, ``sla_figure``) live here too, so ``crmlab.widgets`` only wires
sliders to computations and charts.

>>> from crmlab import plotting
>>> plotting.setup()
>>> import matplotlib
>>> matplotlib.rcParams["font.family"][0]
'Noto Sans SC GB2312'

Modules: ``_style`` (font, palette, ``rc_params``, ``setup``), ``_axes`` (axis
formatters), then one module per chapter family: ``_whale`` (chapter 1), ``_clv``
(chapter 2), ``_costing`` (chapter 3), ``_portfolio`` (chapter 4), ``_complaints``
(chapter 5). Every chart takes ``ax=`` (keyword-only) and returns the Axes it drew
on: without ``ax`` it makes a new figure of its usual size, so it can stand alone or
fill one panel of ``plt.subplots``; a widget displays ``ax.figure``. Every chart
refuses junk (a missing column, NaN, an unknown label, a label that is not text)
with a bilingual ``ValueError``/``TypeError`` before anything is drawn.
"""

from __future__ import annotations

from crmlab.plotting._axes import (
    label_bars,
    percent,
    thousands,
)
from crmlab.plotting._clv import (
    clv_calculator_chart,
)
from crmlab.plotting._complaints import (
    sla_figure,
)
from crmlab.plotting._costing import (
    segment_profit_chart,
)
from crmlab.plotting._portfolio import (
    abc_chart,
    pyramid_chart,
    quadrant_chart,
)
from crmlab.plotting._style import (
    FONT_FAMILY,
    FONT_FILE,
    PALETTE,
    SEQUENTIAL_CMAP,
    font_path,
    rc_params,
    register_font,
    setup,
)
from crmlab.plotting._whale import (
    whale_chart,
)

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
    "sla_figure",
    "thousands",
    "whale_chart",
]
