"""Bad-input categories of ENGINEERING.md and a harness that feeds them to a function.

``attack(function, kwargs)`` calls ``function(**kwargs)`` and asserts the three
promises of crmlab: only ``ValueError``/``TypeError`` escape, an accepted input
gives no NaN/inf in the result, and no argument is mutated. ``sweep(function,
valid)`` feeds every bad value of each argument's category through ``attack``,
and a frame with repeated index labels, which must never multiply rows.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

NAN, INF = float("nan"), float("inf")

#: category -> a bad value where one number belongs
SCALARS: dict[str, Any] = {
    "nan": NAN, "inf": INF, "-inf": -INF, "1e308": 1e308, "-1e308": -1e308,
    "negative": -5.0, "text number": "100", "text": "abc", "None": None, "bool": True,
    "list": [1.0, 2.0], "array": np.array([1.0, 2.0]), "Series": pd.Series([1.0, 2.0]),
    "empty list": [], "dict": {"a": 1}, "numpy scalar": np.float64(0.5),
}

#: category -> a bad value where a sequence of numbers belongs
ARRAYS: dict[str, Any] = {
    "nan inside": [1.0, NAN, 3.0], "inf inside": [1.0, INF, 3.0], "-inf inside": [-INF, 1.0, 2.0],
    "1e308 inside": [1e308, 1e308, 1.0], "negatives": [-1.0, -2.0, 3.0],
    "text numbers": ["100", "200", "300"], "text": ["a", "b", "c"], "None inside": [1.0, None, 2.0],
    "bools": [True, False, True], "empty": [], "scalar": 5.0, "string": "100",
    "None": None, "dict": {"a": 1.0}, "2-D": [[1.0, 2.0], [3.0, 4.0]],
    "Series with NaN": pd.Series([1.0, NAN, 3.0]),
    "object array": np.array([1, "2", 3], dtype=object),
    "array": np.array([1.0, 2.0, 3.0]), "Series": pd.Series([1.0, 2.0, 3.0], index=[7, 8, 9]),
    "tuple": (1.0, 2.0, 3.0),
}

#: category -> a bad value where a DataFrame belongs
FRAMES: dict[str, Any] = {
    "empty frame": pd.DataFrame(), "list": [[1, 2]], "dict": {"a": [1]}, "None": None,
    "Series": pd.Series([1.0]), "text": "table",
}


def _snapshot(value: Any) -> Any:
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return value.copy()
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - some objects cannot be copied; compare identity then
        return value


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, pd.DataFrame):
        return isinstance(after, pd.DataFrame) and before.equals(after) \
            and list(before.columns) == list(after.columns)
    if isinstance(before, pd.Series):
        return isinstance(after, pd.Series) and before.equals(after) \
            and before.index.equals(after.index)
    if isinstance(before, np.ndarray):
        try:
            return np.array_equal(before, after, equal_nan=True)
        except TypeError:
            return np.array_equal(before, after)
    if isinstance(before, float) and math.isnan(before):
        return isinstance(after, float) and math.isnan(after)
    if isinstance(before, list | tuple | dict):
        return repr(before) == repr(after)
    return before is after or before == after


def numbers_of(result: Any) -> np.ndarray:
    """Every number in a result (float, array, Series, DataFrame, tuple/dict of them)."""
    if isinstance(result, pd.DataFrame):
        return result.select_dtypes("number").to_numpy(dtype=float).ravel()
    if isinstance(result, pd.Series):
        return result.to_numpy(dtype=float) if pd.api.types.is_numeric_dtype(result) \
            else np.array([])
    if isinstance(result, np.ndarray):
        return result.astype(float).ravel()
    if isinstance(result, bool | str) or result is None:
        return np.array([])
    if isinstance(result, int | float | np.number):
        return np.array([float(result)])
    if isinstance(result, dict):
        return np.concatenate([numbers_of(v) for v in result.values()] or [np.array([])])
    if isinstance(result, list | tuple):
        return np.concatenate([numbers_of(v) for v in result] or [np.array([])])
    return np.array([])


def attack(function: Callable[..., Any], kwargs: dict[str, Any], *,
           finite: Callable[[Any], np.ndarray] = numbers_of,
           mutable: tuple[str, ...] = ()) -> Any:
    """Call ``function(**kwargs)``; check error types, finiteness and no mutation.

    ``mutable`` names arguments the function is meant to change (a plot's axes).
    """
    before = {k: _snapshot(v) for k, v in kwargs.items()}
    try:
        result = function(**kwargs)
    except (ValueError, TypeError) as error:
        assert str(error), "an error must say what is wrong"
        result = error
    else:
        values = finite(result)
        assert np.isfinite(values).all(), f"non-finite result {result!r}"
    for key, value in kwargs.items():
        if key in mutable:
            continue
        assert _same(before[key], value), f"{key} was mutated"
    return result


def _category(value: Any) -> dict[str, Any]:
    if isinstance(value, pd.DataFrame):
        return FRAMES
    if isinstance(value, bool | str) or value is None:
        return {}
    if isinstance(value, int | float | np.number):
        return SCALARS
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return ARRAYS
    return {}


def _repeated_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """The same rows with every index label repeated (as after ``pd.concat``)."""
    return frame.set_axis([0] * len(frame), axis=0)


def sweep(function: Callable[..., Any], valid: dict[str, Any], *,
          finite: Callable[[Any], np.ndarray] = numbers_of,
          mutable: tuple[str, ...] = ()) -> dict[str, str]:
    """Feed every bad value of each argument's category to ``function``, one at a time.

    Each call goes through :func:`attack`. A DataFrame argument is also given with
    repeated index labels: the answer must equal the one for the clean frame, or be
    a ``ValueError``/``TypeError`` (never rows multiplied). Returns
    ``{"argument=category": "ok" | "refused"}`` so a test can also assert coverage.
    """
    outcomes: dict[str, str] = {}
    for name, good in valid.items():
        for label, bad in _category(good).items():
            result = attack(function, {**valid, name: bad}, finite=finite, mutable=mutable)
            outcomes[f"{name}={label}"] = "refused" if isinstance(result, Exception) else "ok"
        if isinstance(good, pd.DataFrame) and len(good) > 1:
            clean = function(**valid)
            result = attack(function, {**valid, name: _repeated_labels(good)}, finite=finite,
                            mutable=mutable)
            if not isinstance(result, Exception):
                assert _same_result(clean, result), f"{name}: repeated labels changed the result"
            outcomes[f"{name}=repeated labels"] = (
                "refused" if isinstance(result, Exception) else "ok")
    return outcomes


def _same_result(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame | pd.Series):
        return np.array_equal(numbers_of(a.reset_index(drop=True)),
                              numbers_of(b.reset_index(drop=True)), equal_nan=True) \
            and len(a) == len(b)
    return np.array_equal(numbers_of(a), numbers_of(b), equal_nan=True)
