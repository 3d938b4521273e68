"""One classifier for every two-axis scheme, and its summary."""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.portfolio._procedures import _shares
from crmlab.portfolio._schemes import Scheme, get_scheme

_CELL_KEYS = {"high_high": (True, True), "low_high": (False, True),
              "high_low": (True, False), "low_low": (False, False)}


def _threshold(split: Any, values: np.ndarray, axis: str, column: str) -> float:
    if isinstance(split, str):
        if split == "median":
            return float(np.median(values))
        if split == "mean":
            return float(values.mean())
        raise validate.BilingualValueError(
            f"split={split!r} 无效：应为 \"median\"、\"mean\"、一个数或 (x 阈值, y 阈值)。",
            f"split={split!r} is invalid: expected \"median\", \"mean\", a number "
            "or (x threshold, y threshold).")
    if isinstance(split, bool) or not isinstance(split, Real | np.number):
        raise validate.BilingualTypeError(
            f"split 的 {axis} 阈值 {split!r} 无效：应为数字、\"median\" 或 \"mean\"。",
            f"the {axis} threshold {split!r} of split is invalid: expected a number, "
            "\"median\" or \"mean\".")
    value = float(split)
    if not np.isfinite(value):
        raise validate.BilingualValueError(
            f"split 的 {axis} 阈值 {validate.show(split)} 不是有限数。",
            f"the {axis} threshold {validate.show(split)} is not finite.")
    return value


def quadrants(data: pd.DataFrame, *, x: str, y: str, scheme: str | Scheme | None = None,
              split: Any = "median", labels: Mapping[str, str] | None = None,
              customer: str = "customer_id") -> pd.DataFrame:
    """Classify customers into four quadrants: high/low on ``x`` × high/low on ``y``.

    Parameters
    ----------
    data : DataFrame
        One row per customer (duplicates refused), numeric ``x`` and ``y``.
    x, y : str
        The columns on the horizontal and vertical axis (see the scheme's axes).
    scheme : str or Scheme, optional
        A preset of ``SCHEMES`` (``"clv_matrix"``, ``"loyalty_scale"``,
        ``"loyalty_credit"``, ``"abc_turnover_margin"``, ``"clv_four"``,
        ``"sales_profit"``, ``"importance_difficulty"``); it gives the codes.
    split : "median", "mean", number or (x, y)
        The split rule, applied per axis; a pair gives each axis its own rule or
        threshold, e.g. ``("median", 60)``. A value is *high* when ``>=`` the
        threshold. A numeric threshold that leaves one side empty (at or below
        the minimum, above the maximum) is refused, and so is a rule that does.
    labels : mapping, optional
        Codes for the cells ``"high_high"``, ``"low_high"``, ``"high_low"``,
        ``"low_low"`` (x first); overrides the preset's codes. Without scheme
        and labels the codes are these four keys.
    customer : str
        The customer id column.

    Returns
    -------
    DataFrame
        A copy with ``x_high``, ``y_high`` (bool) and ``quadrant`` (code); the
        thresholds are in ``.attrs["thresholds"]``.

    Raises
    ------
    ValueError, TypeError
        Unknown scheme, bad split, thresholds outside the data, NaN/inf or text
        in ``x``/``y``, duplicate or missing customers.

    References
    ----------
    Henderson, B. D. (1970). *The Product Portfolio*. Boston Consulting Group
    (the growth × share matrix the ``sales_profit`` passage borrows from).

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": list("abcd"), "loyalty": [1, 9, 1, 9],
    ...                   "credit": [80, 80, 20, 20]})
    >>> quadrants(d, x="loyalty", y="credit", scheme="loyalty_credit",
    ...           split=(5, 60))["quadrant"].tolist()
    ['golden', 'star', 'junk', 'risky']
    """
    validate.frame(data, "data", columns=[customer, x, y])
    preset = get_scheme(scheme) if scheme is not None else None
    validate.unique_ids(data, customer)
    xs = validate.numeric_column(data, x)
    ys = validate.numeric_column(data, y)
    if isinstance(split, tuple | list):
        if len(split) != 2:
            raise validate.BilingualValueError(
                f"split={list(split)} 无效：成对给出时应为 (x 阈值, y 阈值)。",
                f"split={list(split)} is invalid: expected (x threshold, y threshold).")
        rules = tuple(split)
    else:
        rules = (split, split)
    thresholds = {}
    for axis, rule, values, column in (("x", rules[0], xs, x), ("y", rules[1], ys, y)):
        t = _threshold(rule, values, axis, column)
        lo, hi = float(values.min()), float(values.max())
        if not (lo < t <= hi):
            what = "全部为“高”" if t <= lo else "全部为“低”"
            raise validate.BilingualValueError(
                f"{axis} 轴（列 {column!r}）的阈值 {validate.show(t)} "
                f"在数据范围 [{validate.show(lo)}, {validate.show(hi)}] "
                f"之外或边缘，客户会{what}：请选 {validate.show(lo)} < 阈值 ≤ {validate.show(hi)}"
                "（或数据的取值太少，无法按此规则二分）。",
                f"the {axis} threshold {validate.show(t)} (column {column!r}) leaves one side "
                f"empty: the data range is [{validate.show(lo)}, {validate.show(hi)}]; expected "
                f"{validate.show(lo)} < threshold <= {validate.show(hi)}.")
        thresholds[axis] = t
    codes = {cell: key for key, cell in _CELL_KEYS.items()}
    if preset is not None:
        codes = dict(preset.cells)
    if labels is not None:
        if not isinstance(labels, Mapping) or set(labels) - set(_CELL_KEYS):
            raise validate.BilingualValueError(
                f"labels={labels!r} 无效：键应为 {list(_CELL_KEYS)}（先 x 后 y）。",
                f"labels={labels!r} is invalid: expected keys from {list(_CELL_KEYS)}.")
        for key, code in labels.items():
            codes[_CELL_KEYS[key]] = code
    x_high = xs >= thresholds["x"]
    y_high = ys >= thresholds["y"]
    table = np.array([[codes[(False, False)], codes[(False, True)]],
                      [codes[(True, False)], codes[(True, True)]]], dtype=object)
    out = data.copy()
    out["x_high"] = x_high
    out["y_high"] = y_high
    out["quadrant"] = table[x_high.astype(int), y_high.astype(int)]
    out.attrs["thresholds"] = thresholds
    out.attrs["scheme"] = preset.key if preset is not None else None
    return out


def quadrant_summary(classified: pd.DataFrame, *, value: str | None = None,
                     scheme: str | Scheme | None = None) -> pd.DataFrame:
    """Count customers (and optionally total ``value``) per quadrant, with the scheme's actions.

    Parameters
    ----------
    classified : DataFrame
        The result of :func:`quadrants`.
    value : str, optional
        A numeric column to total per quadrant (adds ``value_share``).
    scheme : str or Scheme, optional
        The scheme; by default the one recorded by :func:`quadrants`.

    Returns
    -------
    DataFrame
        One row per quadrant: ``quadrant``, ``customers``, ``customer_share``
        (+ ``value``, ``value_share``, ``strategy``; advice that is the course's own,
        not the lecture's, ends in "（本课程的解读）").

    Raises
    ------
    ValueError
        Missing columns or quadrants; a quadrant the scheme does not have;
        ``value`` summing to 0 (``value_share`` undefined).

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9, 1, 8, 2],
    ...                   "future": [9, 8, 1, 2]})
    >>> q = quadrants(d, x="current", y="future", scheme="clv_matrix")
    >>> quadrant_summary(q)["customers"].tolist()
    [1, 1, 1, 1]
    """
    validate.frame(classified, "classified",
                   columns=["quadrant", "x_high", "y_high"] + ([value] if value else []))
    key = scheme if scheme is not None else classified.attrs.get("scheme")
    preset = get_scheme(key) if key is not None else None
    order = ([preset.code(True, True), preset.code(False, True), preset.code(True, False),
              preset.code(False, False)] if preset else
             list(dict.fromkeys(classified["quadrant"])))
    labels = validate.filled_column(classified, "quadrant", name="classified")
    unknown = list(dict.fromkeys(labels[~labels.isin(order)].tolist()))
    if unknown:  # never drop a customer silently (the shares would not add up to 1)
        raise validate.BilingualValueError(
            f"classified['quadrant'] 有方案 {preset.key!r} 之外的象限 {unknown[:5]}：应为 {order}",
            f"classified['quadrant'] has quadrants {unknown[:5]} outside scheme "
            f"{preset.key!r}: expected {order}")
    counts = labels.value_counts()
    out = pd.DataFrame({"quadrant": order})
    out["customers"] = out["quadrant"].map(counts).fillna(0).astype(int)
    out["customer_share"] = out["customers"] / len(classified)
    if value:
        vals = validate.numeric_column(classified, value)
        sums = pd.Series(vals).groupby(labels.to_numpy()).sum()
        out[value] = out["quadrant"].map(sums).fillna(0.0)
        out["value_share"] = _shares(out[value], "价值", f"classified[{value!r}]", of=vals)
    if preset:
        # the course's own advice is marked as such; the lecture's carries （讲义）
        mark = "（本课程的解读）" if preset.course_actions else ""
        out["strategy"] = out["quadrant"].map(preset.actions) + mark
    return out
