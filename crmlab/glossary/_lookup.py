"""Looking labels up: one label, one coded value, or a whole frame relabelled."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from crmlab import _validation as validate
from crmlab.glossary._data import TERMS, VALUES

Lang = Literal["zh", "en"]


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def label(key: object, lang: Lang = "zh") -> object:
    """Look up the display label of a column name ``key``; unknown keys come back unchanged.

    Parameters
    ----------
    key : str
        A column name such as ``"customer_id"``; anything not in ``TERMS``
        (including non-text keys) is returned as it is.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str
        The label, or ``key`` unchanged.

    Raises
    ------
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> label("recency_days"), label("recency_days", "en"), label("mystery")
    ('光顾间歇（天）', 'Recency (days)', 'mystery')
    """
    lang = validate.language(lang)
    pair = TERMS.get(key) if isinstance(key, str) else None
    return key if pair is None else _pick(pair, lang)


def value_label(column: object, code: object, lang: Lang = "zh") -> object:
    """Look up the display label of value ``code`` in ``column``; unknown ones come back unchanged.

    Parameters
    ----------
    column : str
        A column with a vocabulary in ``VALUES`` (e.g. ``"segment"``).
    code : str
        A value code of that column (e.g. ``"important_value"``).
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    str
        The label, or ``code`` unchanged.

    Raises
    ------
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> value_label("segment", "important_value")
    '重要价值客户'
    """
    lang = validate.language(lang)
    vocabulary = VALUES.get(column, {}) if isinstance(column, str) else {}
    pair = vocabulary.get(code) if isinstance(code, str) else None
    return code if pair is None else _pick(pair, lang)


def _relabel_values(values: pd.Series | pd.Index, column: object,
                    lang: str) -> pd.Series | pd.Index:
    if not isinstance(column, str) or column not in VALUES:
        return values
    mapping = {code: _pick(pair, lang) for code, pair in VALUES[column].items()}
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.rename_categories(
            lambda c: mapping.get(c, c) if isinstance(c, str) else c)
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def relabel(frame: pd.DataFrame | pd.Series, lang: Lang = "zh") -> pd.DataFrame | pd.Series:
    """Relabel a copy of ``frame`` for display: columns, index names, Series name, coded values.

    Values are relabelled in every column (and index level) whose name has a
    vocabulary in ``VALUES``; unknown names and codes stay as they are.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.
    lang : {"zh", "en"}, default "zh"

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A relabelled copy.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.
    ValueError
        ``lang`` is not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> relabel(pd.DataFrame({"segment": ["general_value"]}), "en").to_dict("list")
    {'Segment': ['General value']}
    """
    lang = validate.language(lang)
    if not isinstance(frame, pd.DataFrame | pd.Series):
        raise validate.BilingualTypeError(
            f"frame 是 {type(frame).__name__}：应为 DataFrame 或 Series",
            f"frame is a {type(frame).__name__}: expected a DataFrame or Series")
    out = frame.copy()
    if isinstance(out, pd.DataFrame):
        relabelled = {i: _relabel_values(out.iloc[:, i], column, lang)
                      for i, column in enumerate(out.columns)
                      if isinstance(column, str) and column in VALUES}
        for i, values in relabelled.items():
            out.isetitem(i, values)
        out.columns = [label(c, lang) for c in out.columns]
    else:
        out = _relabel_values(out, out.name, lang)
        out.name = label(out.name, lang)
    if isinstance(out.index, pd.MultiIndex):
        out.index = out.index.set_levels(
            [_relabel_values(level, level.name, lang) for level in out.index.levels])
    else:
        out.index = _relabel_values(out.index, out.index.name, lang)
    out.index.names = [label(n, lang) for n in out.index.names]
    return out


def zh(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Relabel for display in Chinese: ``frame.pipe(glossary.zh)`` (see ``relabel``).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A copy with Chinese column names and values.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.

    Examples
    --------
    >>> zh(pd.Series(["important_value"], name="segment")).tolist()
    ['重要价值客户']
    """
    return relabel(frame, "zh")


def en(frame: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Relabel for display in English: ``frame.pipe(glossary.en)`` (see ``relabel``).

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        Not modified.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        A copy with English column names and values.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame or Series.

    Examples
    --------
    >>> en(pd.DataFrame({"amount": [1.0]})).columns.tolist()
    ['Amount (yuan)']
    """
    return relabel(frame, "en")
