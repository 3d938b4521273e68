"""Axis formatters for tables of money and shares: thousands separators, percents, bar labels."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from matplotlib.ticker import FuncFormatter, PercentFormatter

from crmlab import _validation as validate


def _axis(axis: Any) -> str:
    if axis not in ("x", "y"):
        shown = validate.show(axis)
        raise ValueError(f"axis={shown} 无效：应为 'x' 或 'y'。axis={shown} is invalid: "
                         f"expected 'x' or 'y'")
    return axis


def _check_ax(ax: Any) -> Any:
    if not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax 是 {type(ax).__name__}：应为 matplotlib 的 Axes（例如 "
                        f"fig, ax = plt.subplots()）。ax is a {type(ax).__name__}: "
                        f"expected a matplotlib Axes")
    return ax


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
    _check_ax(ax)
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
    _check_ax(ax)
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
    _check_ax(ax)
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
