"""Checks at the boundary of the public API, written once and shared.

Every public function validates its arguments here and nowhere else. Messages
name the argument, show the bad value and say what is expected, e.g.
``rate=-1.5 is invalid: expected a number greater than -1``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def number(value: Any, name: str, *, minimum: float | None = None,
           maximum: float | None = None, min_inclusive: bool = True,
           max_inclusive: bool = True) -> float:
    """Return ``value`` as a finite float within the given bounds, or raise.

    >>> number(0.1, "rate", minimum=-1, min_inclusive=False)
    0.1
    """
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise TypeError(f"{name}={_show(value)} is invalid: expected a number, "
                        f"got {type(value).__name__}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name}={_show(value)} is invalid: expected a finite number")
    if minimum is not None and (result < minimum or (result == minimum and not min_inclusive)):
        bound = f">= {minimum:g}" if min_inclusive else f"> {minimum:g}"
        raise ValueError(f"{name}={_show(value)} is invalid: expected a number {bound}")
    if maximum is not None and (result > maximum or (result == maximum and not max_inclusive)):
        bound = f"<= {maximum:g}" if max_inclusive else f"< {maximum:g}"
        raise ValueError(f"{name}={_show(value)} is invalid: expected a number {bound}")
    return result


def rate(value: Any, name: str = "rate") -> float:
    """A discount/interest rate per period: a finite number greater than -1."""
    return number(value, name, minimum=-1.0, min_inclusive=False)


def probability(value: Any, name: str) -> float:
    """A probability or share: a finite number in [0, 1]."""
    return number(value, name, minimum=0.0, maximum=1.0)


def integer(value: Any, name: str, *, minimum: int | None = None) -> int:
    """A whole number (bools refused), optionally with a lower bound."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise TypeError(f"{name}={_show(value)} is invalid: expected a whole number, "
                            f"got {type(value).__name__}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name}={_show(value)} is invalid: expected a whole number "
                         f">= {minimum}")
    return int(value)


def float_array(values: Any, name: str, *, ndim: Iterable[int] = (1,),
                allow_empty: bool = False, nonnegative: bool = False) -> np.ndarray:
    """Convert list/array/Series/DataFrame to a float ndarray (a copy), or raise.

    >>> float_array([1, 2.5], "cash_flows")
    array([1. , 2.5])
    """
    if isinstance(values, str | bytes) or values is None:
        raise TypeError(f"{name}={_show(values)} is invalid: expected a sequence of numbers")
    if isinstance(values, pd.DataFrame | pd.Series):
        values = values.to_numpy()
    try:
        array = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name}={_show(values)} is invalid: expected numbers only") from None
    ndims = tuple(ndim)
    if array.ndim not in ndims:
        raise ValueError(f"{name} has {array.ndim} dimension(s): expected "
                         f"{' or '.join(map(str, ndims))}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: expected at least one value")
    if not np.isfinite(array).all():
        where = np.argwhere(~np.isfinite(array))[:5].tolist()
        raise ValueError(f"{name} contains NaN or infinite values at positions {where}")
    if nonnegative and (array < 0).any():
        where = np.argwhere(array < 0)[:5].tolist()
        raise ValueError(f"{name} contains negative values at positions {where}: "
                         f"expected values >= 0")
    return array


def frame(data: Any, name: str = "data", *, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Check that ``data`` is a non-empty DataFrame holding ``columns``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} is a {type(data).__name__}: expected a pandas DataFrame")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has "
                         f"{list(map(str, data.columns))[:12]}")
    if data.empty:
        raise ValueError(f"{name} is empty: expected at least one row")
    return data


def choice(value: Any, name: str, options: Iterable[str]) -> str:
    """Check that ``value`` is one of ``options``."""
    allowed = tuple(options)
    if value not in allowed:
        raise ValueError(f"{name}={_show(value)} is invalid: expected one of {list(allowed)}")
    return value


def no_missing(series: pd.Series, name: str) -> None:
    """Raise naming the first rows (index labels) where ``series`` is missing."""
    bad = series.isna()
    if bad.any():
        rows = list(series.index[bad][:5])
        raise ValueError(f"{name} has {int(bad.sum())} missing value(s), e.g. at rows {rows}")
