"""Chapter 5: the on-time share per department for one promised handling time."""

from __future__ import annotations

from typing import Any

import pandas as pd

from crmlab import _validation as validate
from crmlab.plotting._axes import percent
from crmlab.plotting._style import PALETTE, rc_params


def sla_figure(table: pd.DataFrame, sla_days: float, target: float = 0.8) -> Any:
    """Draw the on-time share per department for one SLA as bars, the target as a dashed line.

    Parameters
    ----------
    table : pandas.DataFrame
        A ``complaints.sla_by_department`` table (``department``, ``sla_compliance``).
    sla_days : float
        The SLA in days, named in the title.
    target : float, default 0.8
        The on-time share to reach; bars below it are drawn in the warning colour.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (not shown; the caller displays or closes it).

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If a column is missing.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> table = pd.DataFrame({"department": ["qa", "logistics"], "sla_compliance": [0.9, 0.4]})
    >>> fig = sla_figure(table, 7)
    >>> fig.axes[0].get_title(), len(fig.axes[0].patches)
    ('承诺时限 7 天时各部门的按时结案率', 2)
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    from crmlab import glossary

    validate.frame(table, "table", columns=["department", "sla_compliance"])
    with plt.rc_context(rc_params()):
        fig, ax = plt.subplots(figsize=(9, 4.8))
        rate = table["sla_compliance"].to_numpy(dtype=float)
        labels = [glossary.value_label("department", d) for d in table["department"]]
        bars = ax.bar(labels, rate, color=[PALETTE[3] if v < target
                                           else PALETTE[2] for v in rate])
        ax.bar_label(bars, labels=[f"{100 * v:.0f}%" for v in rate], padding=3)
        ax.axhline(target, color="grey", linestyle="--", linewidth=1.5)
        ax.set_ylim(0, 1.1)
        percent(ax)
        ax.set_ylabel("按时结案率")
        ax.set_title(f"承诺时限 {sla_days:g} 天时各部门的按时结案率")
        fig.tight_layout()
        return fig
