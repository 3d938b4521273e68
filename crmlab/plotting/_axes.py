"""Axis formatters for tables of money and shares, and the checks every chart shares.

Every chart takes ``ax=None`` (keyword-only) and returns the Axes it drew on:
:func:`target_axes` checks a given Axes or makes a new figure of the chart's usual
size, so a caller can place a chart in a grid of panels (``fig, axes =
plt.subplots(1, 2)``) or just call it; a chart only calls ``tight_layout`` on a
figure it made itself.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, PercentFormatter

from crmlab import _validation as validate


def _axis(axis: Any) -> str:
    return validate.choice(axis, "axis", ("x", "y"))


def _decimals(decimals: Any) -> int:
    return validate.integer(decimals, "decimals", minimum=0, maximum=10)


def _check_ax(ax: Any) -> Axes:
    if not isinstance(ax, Axes):
        shown = validate.show(ax)
        raise validate.BilingualTypeError(
            f"ax={shown} 是 {type(ax).__name__}：应为 matplotlib 的 Axes（例如 "
            f"fig, ax = plt.subplots()）",
            f"ax={shown} is a {type(ax).__name__}: expected a matplotlib Axes "
            f"(e.g. fig, ax = plt.subplots())")
    return ax


def target_axes(ax: Any, figsize: tuple[float, float] | None = None) -> tuple[Axes, bool]:
    """Return ``(axes, made)``: the given Axes, or a new figure's when ``ax`` is None.

    ``made`` tells the chart it owns the figure (and may call ``tight_layout``).
    """
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.subplots(figsize=figsize)[1], True
    return _check_ax(ax), False


def bar_names(values: Any, name: str) -> list[str]:
    """Check the names under a chart's bars: none missing, none repeated (one bar each).

    Two rows with one name would draw two bars at one place, one hiding the other.
    """
    names = pd.Series(values).reset_index(drop=True)
    missing = names.isna()
    if missing.any():
        raise validate.BilingualValueError(
            f"{name} 在第 {list(names.index[missing][:5])} 项缺失：每根柱子都需要一个名称",
            f"{name} is missing at positions {list(names.index[missing][:5])}: every bar "
            f"needs a name")
    repeated = list(dict.fromkeys(names[names.astype(str).duplicated()].astype(str)))
    if repeated:
        raise validate.BilingualValueError(
            f"{name} 有重复的名称 {repeated[:5]}：每个名称只能占一行（一根柱子）",
            f"{name} repeats {repeated[:5]}: expected one row (one bar) per name")
    return names.astype(str).tolist()


def text(value: Any, name: str, *, optional: bool = False) -> str | None:
    """Check a title, label or unit: a string (``None`` too when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        shown = validate.show(value)
        expected = "文字或 None" if optional else "文字"
        raise validate.BilingualTypeError(
            f"{name}={shown} 无效：应为{expected}（收到 {type(value).__name__}）",
            f"{name}={shown} is invalid: expected {'text or None' if optional else 'text'}, "
            f"got {type(value).__name__}")
    return value


def thousands(ax: Axes, axis: str = "y", *, decimals: int = 0, unit: str = "") -> None:
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
    digits = _decimals(decimals)
    text(unit, "unit")
    suffix = f" {unit}" if unit else ""
    fmt = FuncFormatter(lambda v, _pos: f"{v:,.{digits}f}{suffix}")
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax: Axes, axis: str = "y", *, xmax: float = 1.0, decimals: int = 0) -> None:
    """Show shares 0–1 (``xmax=1``) or 0–100 (``xmax=100``) as percentages.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes whose tick labels become percentages.
    axis : {"y", "x"}
        The axis to format.
    xmax : float
        The value shown as 100 %, a finite positive number.
    decimals : int
        Digits after the decimal point (0–10).

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
    digits = _decimals(decimals)
    fmt = PercentFormatter(xmax=top, decimals=digits)
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(fmt)


def label_bars(ax: Axes, fmt: str = "{:,.0f}", *, fontsize: float | None = None) -> None:
    """Write each bar's value on top of it (readable from the back row).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding bar containers.
    fmt : str
        A ``str.format`` pattern for one number.
    fontsize : float, optional
        Label size; the current ``font.size`` when omitted.

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
        text(fmt, "fmt").format(1.5)
    except (IndexError, KeyError, ValueError):
        shown = validate.show(fmt)
        raise validate.BilingualTypeError(
            f"fmt={shown} 无效：应为一个数字的格式，例如 '{{:,.0f}}'",
            f"fmt={shown} is invalid: expected a format for one number such as "
            f"'{{:,.0f}}'") from None
    size = mpl.rcParams["font.size"] if fontsize is None else validate.number(
        fontsize, "fontsize", minimum=0, min_inclusive=False)
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.format(v) for v in container.datavalues],
                     padding=3, fontsize=size)
