"""Chapter 5: the on-time share per department for one promised handling time."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab.plotting._axes import bar_names, percent, target_axes
from crmlab.plotting._style import PALETTE, rc_params


def sla_figure(table: pd.DataFrame, sla_days: float, *, target: float = 0.8,
               ax: Axes | None = None) -> Axes:
    """Draw the on-time share per department for one SLA as bars, the target as a dashed line.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``complaints.sla_by_department`` table (``department``, ``sla_compliance``).
    sla_days : float
        The SLA in days, named in the title.
    target : float, default 0.8
        The on-time share to reach; bars below it are drawn in the warning colour.
        A department with no settled complaint has no share (NaN): it gets no bar,
        the label "—" and no colour judgement, never "nan%".
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 4.8 inch figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one bar per department and the target line (not shown).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, ``sla_compliance`` is not numeric or
        ``ax`` is not an Axes.
    ValueError
        If a column is missing, a department is missing or repeated, a share is
        infinite or outside 0–1, ``sla_days`` is not positive or ``target`` is not
        a share.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> table = pd.DataFrame({"department": ["qa", "logistics"], "sla_compliance": [0.9, 0.4]})
    >>> ax = sla_figure(table, 7)
    >>> ax.get_title(), len(ax.patches)
    ('承诺时限 7 天时各部门的按时结案率', 2)
    >>> table.loc[1, "sla_compliance"] = float("nan")   # nothing settled: undefined
    >>> [t.get_text() for t in sla_figure(table, 7).texts]
    ['90%', '—']
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    from crmlab import glossary

    validate.frame(table, "table", columns=["department", "sla_compliance"])
    departments = bar_names(table["department"], "table['department']")
    sla_days = validate.number(sla_days, "sla_days", minimum=0, min_inclusive=False)
    target = validate.probability(target, "target")
    rate = _shares(table)
    with plt.rc_context(rc_params()):
        ax, made = target_axes(ax, (9, 4.8))
        # "未分派（判定不成立）": the remark on a second line, so labels never overlap
        labels = [str(glossary.value_label("department", d)).replace("（", "\n（", 1)
                  for d in departments]
        undefined = np.isnan(rate)
        bars = ax.bar(labels, np.where(undefined, 0.0, rate),
                      color=["lightgrey" if u else PALETTE[3] if v < target else PALETTE[2]
                             for u, v in zip(undefined, rate, strict=True)])
        ax.bar_label(bars, labels=["—" if u else f"{100 * v:.0f}%"
                                   for u, v in zip(undefined, rate, strict=True)], padding=3)
        ax.axhline(target, color="grey", linestyle="--", linewidth=1.5)
        ax.set_ylim(0, 1.1)
        percent(ax)
        ax.set_ylabel("按时结案率")
        ax.set_title(f"承诺时限 {sla_days:g} 天时各部门的按时结案率")
        if made:
            ax.figure.tight_layout()
    return ax


def _shares(table: pd.DataFrame) -> np.ndarray:
    """``sla_compliance`` as floats: NaN (nothing settled) kept, else 0–1 or refused."""
    defined = table.dropna(subset=["sla_compliance"])
    shares = validate.numeric_column(defined, "sla_compliance", nonnegative=True,
                                     what="按时结案率")
    if (shares > 1).any():
        raise validate.BilingualValueError(
            f"table 的列 'sla_compliance' 有大于 1 的值 {shares.max():g}：按时结案率应为 0 到 1 "
            f"之间的小数", f"table column 'sla_compliance' has {shares.max():g} > 1: expected "
            f"shares in [0, 1]")
    return table["sla_compliance"].to_numpy(dtype=float)
