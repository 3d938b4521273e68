"""Answers cross the process boundary as plain JSON data, never pickled.

The submission's process turns each captured answer into JSON-like data with
:func:`to_plain` (numbers, strings, lists; dicts, tuples, numpy arrays, pandas
Series/DataFrames and non-finite floats as small tagged objects); the grading
process rebuilds them with :func:`from_plain`. Anything else arrives as an
:class:`Opaque` placeholder, which ``check`` reads as a wrong type.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

__all__ = ["Opaque", "from_plain", "to_plain"]

#: Longest list read (one more than crmlab.exercises reads, so "too long" is still seen).
MAX_ITEMS = 10_001
#: Longest string kept.
MAX_CHARS = 20_000
#: Deepest nesting kept.
MAX_DEPTH = 8
TAG = "__crmlab__"


class Opaque:
    """An answer of a type that cannot cross as plain data (a function, a model, ...)."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def _float(value: float) -> Any:
    return value if math.isfinite(value) else {TAG: "float", "value": repr(value)}


#: returned by the converters below for a value that is not theirs
_NOT_MINE = object()


def _plain_scalar(value: Any) -> Any:
    """Convert a Python or numpy scalar (or ``...``); ``_NOT_MINE`` for anything else."""
    import numpy as np

    if value is None or isinstance(value, bool | str | int) and not isinstance(value, np.generic):
        if isinstance(value, str) and len(value) > MAX_CHARS:
            return value[:MAX_CHARS]
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 300:
            return {TAG: "float", "value": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, float):
        return _float(float(value))
    if value is Ellipsis:
        return {TAG: "ellipsis"}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _float(float(value))
    if isinstance(value, np.str_):
        return str(value)
    return _NOT_MINE


def _plain_collection(value: Any, depth: int) -> Any:
    """Convert a list, tuple, set, range or dict; ``_NOT_MINE`` for anything else."""
    if isinstance(value, list | tuple | set | frozenset | range):
        items = [to_plain(v, depth + 1) for v in list(value)[:MAX_ITEMS]] \
            if not isinstance(value, set | frozenset) else \
            [to_plain(v, depth + 1) for v in sorted(value, key=repr)[:MAX_ITEMS]]
        if isinstance(value, list):
            return items
        return {TAG: type(value).__name__ if not isinstance(value, range) else "list",
                "items": items}
    if isinstance(value, dict):
        pairs = list(value.items())[:MAX_ITEMS]
        return {TAG: "dict", "items": [[to_plain(k, depth + 1), to_plain(v, depth + 1)]
                                       for k, v in pairs]}
    return _NOT_MINE


def _plain_array(value: Any, depth: int) -> Any:
    """Convert an ndarray, Series, DataFrame, Index or iterator; ``_NOT_MINE`` otherwise."""
    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        flat = value.ravel()[:MAX_ITEMS]
        return {TAG: "ndarray", "shape": list(value.shape) if value.size <= MAX_ITEMS
                else [len(flat)], "items": [to_plain(v, depth + 1) for v in flat.tolist()]}
    if isinstance(value, pd.Series):
        head = value.iloc[:MAX_ITEMS]
        return {TAG: "series", "name": to_plain(value.name, depth + 1),
                "index": [to_plain(v, depth + 1) for v in head.index.tolist()],
                "items": [to_plain(v, depth + 1) for v in head.tolist()]}
    if isinstance(value, pd.DataFrame):
        head = value.iloc[: max(1, MAX_ITEMS // max(1, value.shape[1]))]
        return {TAG: "dataframe", "columns": [to_plain(c, depth + 1) for c in head.columns],
                "index": [to_plain(v, depth + 1) for v in head.index.tolist()],
                "rows": [[to_plain(v, depth + 1) for v in row]
                         for row in head.itertuples(index=False, name=None)]}
    if isinstance(value, pd.Index):
        return {TAG: "index", "items": [to_plain(v, depth + 1)
                                        for v in value[:MAX_ITEMS].tolist()]}
    if isinstance(value, Iterator):
        import itertools
        return {TAG: "iterator", "items": [to_plain(v, depth + 1)
                                           for v in itertools.islice(value, MAX_ITEMS)]}
    return _NOT_MINE


def to_plain(value: Any, depth: int = 0) -> Any:
    """Return ``value`` as JSON-serialisable data (lossless for the shapes answers take).

    >>> to_plain((1, float("nan")))
    {'__crmlab__': 'tuple', 'items': [1, {'__crmlab__': 'float', 'value': 'nan'}]}
    """
    if depth > MAX_DEPTH:
        return {TAG: "opaque", "type": "nested", "text": "嵌套过深"}
    plain = _plain_scalar(value)
    if plain is _NOT_MINE:
        plain = _plain_collection(value, depth)
    if plain is _NOT_MINE:
        plain = _plain_array(value, depth)
    if plain is not _NOT_MINE:
        return plain
    try:
        text = repr(value)[:200]
    except Exception:
        text = ""
    return {TAG: "opaque", "type": type(value).__name__[:80], "text": text}


def _from_dict(items: list) -> Any:
    """Rebuild a dict from ``[key, value]`` pairs; an unhashable key gives an Opaque."""
    out = {}
    for pair in items:
        if isinstance(pair, list) and len(pair) == 2:
            key = pair[0]
            try:
                out[key] = pair[1]
            except TypeError:  # an unhashable key cannot be an answer's key
                return Opaque("dict", "")
    return out


def _from_python(tag: Any, data: dict, items: list) -> Any:
    """Rebuild a float, ``...``, tuple, set, list, dict or iterator; ``_NOT_MINE`` otherwise."""
    if tag == "float":
        return float(str(data.get("value")))
    if tag == "ellipsis":
        return Ellipsis
    if tag == "tuple":
        return tuple(items)
    if tag in ("set", "frozenset"):
        try:
            return set(items) if tag == "set" else frozenset(items)
        except TypeError:
            return items
    if tag == "list":
        return items
    if tag == "dict":
        return _from_dict(items)
    if tag == "iterator":
        return iter(items)
    return _NOT_MINE


def _from_arrays(tag: Any, data: dict, items: list) -> Any:
    """Rebuild an ndarray, Series, DataFrame, Index or Opaque placeholder."""
    import numpy as np
    import pandas as pd

    if tag == "ndarray":
        array = np.array(items, dtype=object)
        try:
            array = np.array(items)
            shape = tuple(int(s) for s in data.get("shape", [len(items)]))
            return array.reshape(shape)
        except (ValueError, TypeError):
            return array
    if tag == "series":
        return pd.Series(items, index=[from_plain(v) for v in data.get("index", [])] or None,
                         name=from_plain(data.get("name")), dtype=None if items else float)
    if tag == "dataframe":
        columns = [from_plain(c) for c in data.get("columns", [])]
        rows = [[from_plain(v) for v in row] for row in data.get("rows", [])]
        index = [from_plain(v) for v in data.get("index", [])]
        frame = pd.DataFrame(rows, columns=columns, index=index or None)
        return frame.infer_objects()
    if tag == "index":
        return pd.Index(items)
    if tag == "opaque":
        return Opaque(str(data.get("type", "object")), str(data.get("text", "")))
    return Opaque("dict", "")


def from_plain(data: Any) -> Any:
    """Rebuild an answer from :func:`to_plain` data (only the known shapes).

    >>> from_plain(to_plain({"A": (1, 2)}))
    {'A': (1, 2)}
    """
    if isinstance(data, list):
        return [from_plain(v) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get(TAG)
    items = [from_plain(v) for v in data.get("items", [])] if isinstance(
        data.get("items", []), list) else []
    value = _from_python(tag, data, items)
    return _from_arrays(tag, data, items) if value is _NOT_MINE else value
