"""Checks at the boundary of the public API, written once and shared.

Every public function validates its arguments with these helpers. Messages are
Chinese first, then English; they name the argument (optionally with its
Chinese name, ``label``), show the value as the caller typed it (``80``, not
``np.float64(80.0)``), say what is expected and, when the slip is recognisable,
suggest the fix::

    保留率 retention=80 超出范围：应为 0 到 1 之间的小数（例如 0.8）。你是不是想写 0.8？
    retention=80 is out of range: expected a probability in [0, 1]; did you mean 0.8?

Import it as ``from crmlab import _validation as validate`` (not ``check``: the
students' ``check`` is the exercise checker).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MONEY_MAX",
    "BilingualError",
    "BilingualTypeError",
    "BilingualValueError",
    "chinese",
    "bilingual",
    "choice",
    "date_pair",
    "dates",
    "day_number",
    "day_numbers",
    "equal_lengths",
    "filled_column",
    "flag",
    "float_array",
    "frame",
    "id_codes",
    "integer",
    "language",
    "money",
    "money_array",
    "name",
    "no_missing",
    "number",
    "numeric_column",
    "period",
    "probability",
    "rate",
    "rows",
    "scalar_or_rows",
    "show",
    "timestamp",
    "unique_ids",
]

#: The largest amount of money accepted (10^15 yuan, ten times world GDP in a
#: year): anything larger is a typing slip, and sums or products of such values
#: would overflow to ``inf``.
MONEY_MAX = 1e15


# --- formatting ---------------------------------------------------------------

def show(value: Any, limit: int = 60) -> str:
    """Show the value as the caller typed it: plain numbers, ``repr`` for text.

    Parameters
    ----------
    value : object
        What the caller passed.
    limit : int, default 60
        Longest text returned.

    Returns
    -------
    str

    Examples
    --------
    >>> show(np.float64(80.0)), show(np.int8(-3)), show("0.8"), show([1, 2])
    ('80', '-3', "'0.8'", '[1, 2]')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        text = str(int(value))
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, np.ndarray):
        text = repr(value.tolist())
    elif isinstance(value, pd.Series | pd.Index):
        text = f"{type(value).__name__}({value.tolist()!r})"
    elif isinstance(value, pd.DataFrame):
        text = f"DataFrame of shape {value.shape}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bilingual(zh: str, en: str, hint: tuple[str, str] | None = None) -> str:
    """Join one error message: the Chinese sentence, then the English one.

    Parameters
    ----------
    zh : str
        The Chinese sentence.
    en : str
        The English sentence.
    hint : tuple of str, optional
        A likely slip, (中文, English).

    Returns
    -------
    str

    Examples
    --------
    >>> bilingual("折现率 rate=2 太大", "rate=2 is too large",
    ...           ("你是不是想写 0.02？", "did you mean 0.02?"))
    '折现率 rate=2 太大。你是不是想写 0.02？ rate=2 is too large; did you mean 0.02?'
    """
    zh = zh.rstrip("。 ")  # one full stop between the languages, however a sentence ended
    en = en[:-1] if en.endswith(".") and not en.endswith("..") else en
    if hint is None:
        return f"{zh}。{en}"
    return f"{zh}。{hint[0]} {en}; {hint[1]}"


class BilingualError(Exception):
    """An error message in Chinese and English, each language kept apart.

    ``str(error)`` is the one joined message (:func:`bilingual`); ``.zh`` and
    ``.en`` are the two halves, so an app can show the Chinese alone without
    parsing text. Raise :class:`BilingualValueError` or
    :class:`BilingualTypeError`, which are also ``ValueError``/``TypeError``.

    Parameters
    ----------
    zh : str
        The Chinese sentence.
    en : str
        The English sentence.
    hint : tuple of str, optional
        A likely slip, (中文, English).

    Examples
    --------
    >>> error = BilingualValueError("折现率 rate=2 太大", "rate=2 is too large")
    >>> error.zh, error.en
    ('折现率 rate=2 太大。', 'rate=2 is too large')
    >>> isinstance(error, ValueError), str(error)
    (True, '折现率 rate=2 太大。rate=2 is too large')
    """

    def __init__(self, zh: str, en: str, hint: tuple[str, str] | None = None) -> None:
        super().__init__(bilingual(zh, en, hint))
        zh = zh.rstrip("。 ")
        en = en[:-1] if en.endswith(".") and not en.endswith("..") else en
        self.zh = f"{zh}。{hint[0]}" if hint else f"{zh}。"
        self.en = f"{en}; {hint[1]}" if hint else en


class BilingualValueError(BilingualError, ValueError):
    """A ``ValueError`` with ``.zh`` and ``.en`` (see :class:`BilingualError`).

    Examples
    --------
    >>> BilingualValueError("太大", "too large").zh
    '太大。'
    """


class BilingualTypeError(BilingualError, TypeError):
    """A ``TypeError`` with ``.zh`` and ``.en`` (see :class:`BilingualError`).

    Examples
    --------
    >>> isinstance(BilingualTypeError("不是数字", "not a number"), TypeError)
    True
    """


def chinese(error: BaseException) -> str:
    """Return the Chinese half of an error: ``.zh`` of a bilingual error, else its text.

    Parameters
    ----------
    error : BaseException
        Any exception.

    Returns
    -------
    str

    Examples
    --------
    >>> chinese(BilingualValueError("太大", "too large")), chinese(KeyError("x"))
    ('太大。', "'x'")
    """
    return error.zh if isinstance(error, BilingualError) else str(error)


def _who(name: str, label: str | None) -> str:
    return f"{label} {name}" if label else name


def _fail(error: type[Exception], name: str, value: Any, zh: str, en: str, *,
          label: str | None = None, hint: tuple[str, str] | None = None) -> Exception:
    shown = show(value)
    kind = BilingualTypeError if issubclass(error, TypeError) else BilingualValueError
    return kind(f"{_who(name, label)}={shown} {zh}", f"{name}={shown} {en}", hint)


def rows(index: Sequence[Any] | pd.Index, bad: Any, values: Sequence[Any] | None = None,
         limit: int = 5) -> str:
    """Format the first bad row labels (and values) for a message: ``[3, 7] (values [...])``.

    Parameters
    ----------
    index : Index or sequence
        Row labels.
    bad : array-like of bool
        Which rows are bad.
    values : sequence, optional
        The values, shown for the first three bad rows.
    limit : int, default 5
        How many rows to name.

    Returns
    -------
    str

    Examples
    --------
    >>> rows(pd.Index(["a", "b", "c"]), [False, True, True], ["x", "y", "z"])
    "['b', 'c'] (values ['y', 'z'])"
    """
    mask = np.asarray(bad, dtype=bool)
    labels = [show(v) if isinstance(v, np.generic) else v
              for v in list(pd.Index(index)[mask][:limit])]
    text = "[" + ", ".join(show(v) for v in labels) + "]"
    if values is not None:
        picked = [v.item() if isinstance(v, np.generic) else v
                  for v in list(pd.Series(list(values))[mask][:3])]
        text += " (values [" + ", ".join(show(v) for v in picked) + "])"
    return text


# --- scalars ------------------------------------------------------------------

def _numeric_text_hint(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return None
        return (f"你是不是想写数字 {value.strip()}（不带引号）？",
                f"did you mean the number {value.strip()} (without quotes)?")
    return None


def number(value: Any, name: str, *, minimum: float | None = None,
           maximum: float | None = None, min_inclusive: bool = True,
           max_inclusive: bool = True, label: str | None = None) -> float:
    """Return ``value`` as a finite float within the given bounds, or raise.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    minimum, maximum : float, optional
        Bounds.
    min_inclusive, max_inclusive : bool, default True
        Whether a bound itself is allowed.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a number (text, bool, None, a list).
    ValueError
        NaN, infinite, or out of bounds.

    Examples
    --------
    >>> number(0.1, "rate", minimum=-1, min_inclusive=False)
    0.1
    """
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise _fail(TypeError, name, value, f"不是数字（收到 {type(value).__name__}）：应为一个数",
                    f"is invalid: expected a number, got {type(value).__name__}",
                    label=label, hint=_numeric_text_hint(value))
    result = float(value)
    if not math.isfinite(result):
        raise _fail(ValueError, name, value, "无效：应为有限的数（不能是 NaN 或无穷大）",
                    "is invalid: expected a finite number", label=label)
    too_low = minimum is not None and (result < minimum or (result == minimum
                                                            and not min_inclusive))
    too_high = maximum is not None and (result > maximum or (result == maximum
                                                             and not max_inclusive))
    if too_low or too_high:
        bound = ((">=" if min_inclusive else ">") + f" {minimum:g}" if too_low
                 else ("<=" if max_inclusive else "<") + f" {maximum:g}")
        raise _fail(ValueError, name, value, f"超出范围：应为 {bound} 的数",
                    f"is invalid: expected a number {bound}", label=label)
    return result


def rate(value: Any, name: str = "rate", *, label: str | None = None) -> float:
    """Check a discount/interest rate per period: a finite number greater than -1.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str, default "rate"
        The argument's name.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a number.
    ValueError
        NaN, infinite, or <= -1.

    Examples
    --------
    >>> rate(0.1)
    0.1
    """
    result = number(value, name, minimum=-1.0, min_inclusive=False, label=label)
    return result


def _percent_hint(value: float) -> tuple[str, str] | None:
    if 1 < value <= 100:
        guess = f"{value / 100:g}"
        return f"你是不是想写 {guess}？", f"did you mean {guess}?"
    return None


def probability(value: Any, name: str, *, label: str | None = None) -> float:
    """Check a probability or share: a finite number in [0, 1]; ``80`` suggests ``0.8``.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a number.
    ValueError
        NaN, infinite, or outside [0, 1] (a percentage suggests the fraction).

    Examples
    --------
    >>> probability(0.8, "retention")
    0.8
    """
    result = number(value, name, label=label)
    if not 0.0 <= result <= 1.0:
        raise _fail(ValueError, name, value,
                    "超出范围：应为 0 到 1 之间的小数（例如 0.8）",
                    "is out of range: expected a probability in [0, 1]",
                    label=label, hint=_percent_hint(result))
    return result


def money(value: Any, name: str, *, label: str | None = None, signed: bool = False) -> float:
    """Check an amount of money: finite, ``>= 0`` unless ``signed``, at most ``MONEY_MAX``.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).
    signed : bool, default False
        Allow negative amounts (profits, net flows).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        Not a number.
    ValueError
        NaN, infinite, negative (unless ``signed``) or above ``MONEY_MAX``.

    Examples
    --------
    >>> money(1200, "acquisition_cost")
    1200.0
    """
    result = number(value, name, label=label)
    if result < 0 and not signed:
        raise _fail(ValueError, name, value, "是负数：金额应 >= 0",
                    "is negative: expected an amount >= 0", label=label)
    if abs(result) > MONEY_MAX:
        raise _fail(ValueError, name, value, f"太大：金额的绝对值应不超过 {MONEY_MAX:g}",
                    f"is too large: expected an amount of at most {MONEY_MAX:g} "
                    f"(larger ones overflow)", label=label)
    return result


def integer(value: Any, name: str, *, minimum: int | None = None,
            maximum: int | None = None, label: str | None = None) -> int:
    """Check a whole number (bools refused; ``5.0`` accepted as 5), optionally bounded.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    minimum, maximum : int, optional
        Bounds.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    int

    Raises
    ------
    TypeError
        Not a whole number (text, bool, 2.5).
    ValueError
        Out of bounds.

    Examples
    --------
    >>> integer(np.int16(5), "horizon", minimum=1)
    5
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if not (isinstance(value, float | np.floating) and float(value).is_integer()):
            raise _fail(TypeError, name, value,
                        f"不是整数（收到 {type(value).__name__}）：应为整数",
                        f"is invalid: expected a whole number, got {type(value).__name__}",
                        label=label, hint=_numeric_text_hint(value))
    typed, value = value, int(value)  # messages show the value as typed (1e308, not 1000...)
    if minimum is not None and value < minimum:
        raise _fail(ValueError, name, typed, f"太小：应为 >= {minimum} 的整数",
                    f"is invalid: expected a whole number >= {minimum}", label=label)
    if maximum is not None and value > maximum:
        raise _fail(ValueError, name, typed, f"太大：应为 <= {maximum} 的整数",
                    f"is invalid: expected a whole number <= {maximum}", label=label)
    return value


def flag(value: Any, name: str, *, label: str | None = None) -> bool:
    """Check a flag: ``True`` or ``False`` only (``"False"`` and ``0`` are refused).

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        Anything but a bool (``"False"`` suggests ``False``).

    Examples
    --------
    >>> flag(np.True_, "drop_future")
    True
    """
    if not isinstance(value, bool | np.bool_):
        hint = None
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            word = "True" if value.strip().lower() == "true" else "False"
            hint = (f"你是不是想写 {word}（不带引号）？", f"did you mean {word} (without quotes)?")
        raise _fail(TypeError, name, value, "无效：应为 True 或 False",
                    "is invalid: expected True or False", label=label, hint=hint)
    return bool(value)


def name(value: Any, what: str, *, label: str | None = None) -> str:
    """Check a non-empty string such as a column name.

    Parameters
    ----------
    value : object
        What the caller passed.
    what : str
        The argument's name.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        Not a non-empty string.

    Examples
    --------
    >>> name("amount", "amount")
    'amount'
    """
    if not isinstance(value, str) or not value:
        raise _fail(TypeError, what, value, "无效：应为非空的文字",
                    "is invalid: expected a non-empty string",
                    label=label)
    return value


def choice(value: Any, name: str, options: Iterable[Any], *, label: str | None = None) -> Any:
    """Check that ``value`` is one of ``options``.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    options : iterable
        The allowed values.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    object
        The value.

    Raises
    ------
    ValueError
        Not one of ``options`` (bools never match numbers).

    Examples
    --------
    >>> choice("zh", "lang", ("zh", "en"))
    'zh'
    """
    allowed = list(options)
    try:
        ok = any(value == option and type(value) is not bool for option in allowed)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        shown = "[" + ", ".join(show(o) for o in allowed) + "]"
        raise _fail(ValueError, name, value, f"无效：应为以下之一 {shown}",
                    f"is invalid: expected one of {shown}", label=label)
    return value


def language(lang: Any) -> str:
    """Check the display language: ``"zh"`` or ``"en"``.

    Parameters
    ----------
    lang : object
        The display language.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        Not ``"zh"`` or ``"en"``.

    Examples
    --------
    >>> language("en")
    'en'
    """
    return choice(lang, "lang", ("zh", "en"), label="显示语言")


# --- arrays and columns ---------------------------------------------------------

def _to_float(values: Any, name: str, who: str,
              label: str | None) -> tuple[np.ndarray, pd.Index | None]:
    """Convert to a float ndarray (a copy) and the Series index, if any; refuse text."""
    if isinstance(values, str | bytes) or values is None or isinstance(values, Mapping):
        raise _fail(TypeError, name, values, "无效：应为一列数（列表、数组或 Series）",
                    "is invalid: expected a sequence of numbers (list, array or Series)",
                    label=label)
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.DataFrame | pd.Series | pd.Index):
        numeric = all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
                      for t in (values.dtypes if isinstance(values, pd.DataFrame)
                                else [values.dtype]))
        values = (values.to_numpy(dtype=float, na_value=np.nan, copy=True) if numeric
                  else values.to_numpy())
        from_pandas = numeric
    else:
        from_pandas = False
    raw = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
    if raw.dtype.kind in "Mm":  # numpy would cast dates to nanosecond counts without a word
        raise BilingualTypeError(f"{who} 是日期或时间长度（{raw.dtype}）：应为数字",
                                 f"{name} holds dates or durations ({raw.dtype}): expected "
                                 f"numbers")
    if raw.dtype.kind in "OUSb":
        if raw.dtype.kind != "O" or any(isinstance(v, str | bytes | bool | np.bool_)
                                        for v in raw.ravel()):
            raise BilingualTypeError(
                f"{who} 含有文字或布尔值：应只含数字（文字形式的数字请先用 pd.to_numeric 转换）",
                f"{name} contains text or booleans: expected numbers only (convert text "
                f"with pd.to_numeric first)")
    try:
        array = (values if from_pandas else np.array(values, dtype=float))
    except (TypeError, ValueError):
        raise BilingualTypeError(f"{who} 含有非数字的值：应只含数字",
                                 f"{name} is invalid: expected numbers only") from None
    return array, index


def float_array(values: Any, name: str, *, ndim: Iterable[int] = (1,),
                allow_empty: bool = False, nonnegative: bool = False,
                maximum_abs: float | None = None, label: str | None = None) -> np.ndarray:
    """Convert list/tuple/array/Series/DataFrame to a float ndarray (a copy), or raise.

    Text is refused (never compared as strings); NaN/inf, negatives (if
    ``nonnegative``) and absolute values above ``maximum_abs`` raise naming the
    first bad positions.

    Parameters
    ----------
    values : list, tuple, array, Series or DataFrame
        Numbers (not modified).
    name : str
        The argument's name, shown in the message.
    ndim : iterable of int, default (1,)
        Allowed numbers of dimensions.
    allow_empty : bool, default False
        Accept no values.
    nonnegative : bool, default False
        Refuse negatives.
    maximum_abs : float, optional
        Refuse larger absolute values.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        Text, booleans, None, a mapping, ragged lists.
    ValueError
        Wrong dimensions, empty, NaN/inf, negative or too large values (rows named).

    Examples
    --------
    >>> float_array([1, 2.5], "cash_flows")
    array([1. , 2.5])
    """
    who = _who(name, label)
    array, index = _to_float(values, name, who, label)
    ndims = tuple(ndim)
    if array.ndim not in ndims:
        expected = " 或 ".join(map(str, ndims))
        raise BilingualValueError(f"{who} 是 {array.ndim} 维的：应为 {expected} 维",
                                  f"{name} has {array.ndim} dimension(s): expected "
                                  f"{' or '.join(map(str, ndims))}")
    if array.size == 0 and not allow_empty:
        raise BilingualValueError(f"{who} 是空的：至少需要一个值",
                                  f"{name} is empty: expected at least one value")
    if array.size == 0:
        return array
    # two reductions instead of masks: NaN propagates through min/max, so finite
    # extremes mean every value is finite; the masks are built only to report rows
    low, high = float(array.min()), float(array.max())
    if not (math.isfinite(low) and math.isfinite(high)):
        _refuse(bad=~np.isfinite(array), array=array, index=index, who=who, name=name,
                what=("NaN 或无穷大", "NaN or infinite"),
                fix=("请先补齐或删除", "fill or drop them first"))
    if nonnegative and low < 0:
        _refuse(bad=array < 0, array=array, index=index, who=who, name=name,
                what=("负数", "negative"), fix=("应 >= 0", "expected values >= 0"))
    if maximum_abs is not None and max(-low, high) > maximum_abs:
        _refuse(bad=np.abs(array) > maximum_abs, array=array, index=index, who=who, name=name,
                what=("过大的", "too large"),
                fix=(f"绝对值应不超过 {maximum_abs:g}",
                     f"expected at most {maximum_abs:g} in absolute value"))
    return array


def _refuse(*, bad: np.ndarray, array: np.ndarray, index: pd.Index | None, who: str,
            name: str, what: tuple[str, str], fix: tuple[str, str]) -> None:
    """Raise ``ValueError`` naming the first rows (Series) or positions where ``bad``."""
    if not bad.any():
        return
    count = int(bad.sum())
    if index is not None:
        where = rows(index, bad, array)
        raise BilingualValueError(f"{who} 有 {count} 个{what[0]}值，行 {where}：{fix[0]}",
                                  f"{name} has {count} {what[1]} value(s) at rows {where}: "
                                  f"{fix[1]}")
    where = np.argwhere(bad)[:5].tolist()
    raise BilingualValueError(f"{who} 在位置 {where} 有{what[0]}值：{fix[0]}",
                              f"{name} contains {what[1]} values at positions {where}: "
                              f"{fix[1]}")


def money_array(values: Any, name: str, *, label: str | None = None, signed: bool = False,
                allow_empty: bool = False, ndim: Iterable[int] = (1,)) -> np.ndarray:
    """Amounts of money as a float array: finite, ``>= 0`` unless ``signed``, overflow-safe.

    Every value is at most ``MONEY_MAX`` in absolute value, so sums and products
    with ordinary rates stay finite.

    Parameters
    ----------
    values : list, tuple, array or Series
        Amounts (not modified).
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).
    signed : bool, default False
        Allow negatives.
    allow_empty : bool, default False
        Accept no values.
    ndim : iterable of int, default (1,)
        Allowed dimensions.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        As ``float_array``.
    ValueError
        As ``float_array``; values above ``MONEY_MAX``.

    Examples
    --------
    >>> money_array(pd.Series([10, 20.5]), "amount")
    array([10. , 20.5])
    """
    return float_array(values, name, ndim=ndim, allow_empty=allow_empty,
                       nonnegative=not signed, maximum_abs=MONEY_MAX, label=label)


def equal_lengths(**arrays: Any) -> int:
    """Return the common length of the keyword arguments, or raise ``ValueError`` listing them.

    Parameters
    ----------
    **arrays : sized
        Named columns or sequences.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        The lengths differ (all are listed).

    Examples
    --------
    >>> equal_lengths(revenue=[1, 2], cost=np.zeros(2))
    2
    """
    lengths = {key: len(value) for key, value in arrays.items()}
    if len(set(lengths.values())) > 1:
        listed = ", ".join(f"{key} {n}" for key, n in lengths.items())
        raise BilingualValueError(f"长度不一致（{listed}）：应一样长，每行一个值",
                                  f"lengths differ ({listed}): expected one value per row")
    return next(iter(lengths.values()), 0)


def scalar_or_rows(value: Any, name: str, n: int, *,
                   convert: Callable[..., Any] = float_array,
                   label: str | None = None) -> np.ndarray:
    """Accept one number for every row, or one per row: return an array of length ``n``.

    ``convert`` checks the values (e.g. ``money_array``); a scalar is checked as a
    one-element array and repeated.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    n : int
        Number of rows.
    convert : callable, default float_array
        Checks the values, e.g. ``money_array``.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        Text, bool or None.
    ValueError
        A sequence of another length; whatever ``convert`` refuses.

    Examples
    --------
    >>> scalar_or_rows(0.5, "retention", 3).tolist()
    [0.5, 0.5, 0.5]
    """
    if isinstance(value, Real | np.number) and not isinstance(value, bool | np.bool_):
        return np.repeat(convert([value], name, label=label), n)
    if isinstance(value, bool | np.bool_ | str | bytes) or value is None:
        raise _fail(TypeError, name, value, "无效：应为一个数，或每行一个数",
                    "is invalid: expected a number, or one number per row", label=label)
    array = convert(value, name, label=label)
    if len(array) != n:
        raise BilingualValueError(f"{_who(name, label)} 有 {len(array)} 个值：应为一个数，"
                                  f"或每行一个（{n} 个）",
                                  f"{name} has {len(array)} values: expected one number, "
                                  f"or one per row ({n})")
    return array


def frame(data: Any, name: str = "data", *, columns: Sequence[str] = (),
          allow_empty: bool = False) -> pd.DataFrame:
    """Check that ``data`` is a (non-empty) DataFrame holding ``columns``.

    Parameters
    ----------
    data : object
        Should be a DataFrame.
    name : str, default "data"
        The argument's name.
    columns : sequence of str
        Required columns.
    allow_empty : bool, default False
        Accept no rows.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    TypeError
        Not a DataFrame.
    ValueError
        Missing columns; no rows.
    TypeError
        A column name that is not text.

    Examples
    --------
    >>> frame(pd.DataFrame({"a": [1]}), columns=["a"]).shape
    (1, 1)
    """
    if not isinstance(data, pd.DataFrame):
        raise BilingualTypeError(f"{name} 是 {type(data).__name__}：应为 pandas DataFrame",
                                 f"{name} is a {type(data).__name__}: expected a pandas "
                                 f"DataFrame")
    for column in columns:
        if not isinstance(column, str):
            raise BilingualTypeError(f"{name} 的列名 {column!r} 无效：列名应为字符串",
                                     f"column name {column!r} of {name} is invalid: expected "
                                     f"a string")
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        has = list(map(str, data.columns))[:12]
        raise BilingualValueError(f"{name} 缺少列 {missing}；现有的列 {has}",
                                  f"{name} is missing column(s) {missing}; it has {has}")
    if data.empty and not allow_empty:
        raise BilingualValueError(f"{name} 是空的：至少需要一行",
                                  f"{name} is empty: expected at least one row")
    return data


def numeric_column(data: pd.DataFrame, column: str, *, nonnegative: bool = False,
                   what: str = "数值") -> np.ndarray:
    """Return a numeric column as a float array; text, NaN/inf and (optionally) negatives refused.

    Parameters
    ----------
    data : pandas.DataFrame
        A frame already checked by :func:`frame`.
    column : str
        The column.
    nonnegative : bool, default False
        Refuse negative values.
    what : str, default "数值"
        The Chinese name of the quantity, for the message.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        The column does not hold numbers (text, booleans).
    ValueError
        Missing or infinite values; negative values when ``nonnegative``.

    Examples
    --------
    >>> numeric_column(pd.DataFrame({"sales": [1, 2]}), "sales").tolist()
    [1.0, 2.0]
    >>> numeric_column(pd.DataFrame({"sales": [1, -2]}), "sales", nonnegative=True,
    ...                what="销售额")
    Traceback (most recent call last):
    ...
    crmlab._validation.BilingualValueError: 列 'sales' 在第 [1] 行有负数：销售额不能为负。...
    """
    series = data[column]
    if not (pd.api.types.is_numeric_dtype(series.dtype)
            and not pd.api.types.is_bool_dtype(series.dtype)):
        example = series.head(3).tolist()
        raise BilingualTypeError(
            f"列 {column!r} 应为{what}（数字），但它的类型是 {series.dtype}，例如 {example}",
            f"column {column!r} has dtype {series.dtype}: expected numbers (e.g. {example})")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        where = list(data.index[bad][:5])
        raise BilingualValueError(
            f"列 {column!r} 有 {int(bad.sum())} 个缺失或无穷值（NaN/inf），例如第 {where} 行："
            f"请先补齐或删除这些行",
            f"column {column!r} has {int(bad.sum())} missing or infinite value(s) at rows "
            f"{where}: fill or drop them first")
    if nonnegative and (values < 0).any():
        where = list(data.index[values < 0][:5])
        raise BilingualValueError(f"列 {column!r} 在第 {where} 行有负数：{what}不能为负",
                                  f"column {column!r} has negative values at rows {where}: "
                                  f"expected values >= 0")
    return values


def filled_column(data: pd.DataFrame, column: str, *, name: str = "data") -> pd.Series:
    """Return a column of labels after checking that no row misses its value.

    Parameters
    ----------
    data : pandas.DataFrame
        A frame already checked by :func:`frame`.
    column : str
        The column.
    name : str, default "data"
        The frame's argument name, shown in the message.

    Returns
    -------
    pandas.Series

    Raises
    ------
    ValueError
        A missing value, naming the first rows.

    Examples
    --------
    >>> filled_column(pd.DataFrame({"class": ["A", "B"]}), "class").tolist()
    ['A', 'B']
    """
    series = data[column]
    bad = series.isna()
    if bad.any():
        where = list(data.index[bad][:5])
        raise BilingualValueError(f"{name}[{column!r}] 在第 {where} 行缺失：每一行都需要一个值",
                                  f"{name}[{column!r}] is missing at rows {where}: every row "
                                  f"needs a value")
    return series


def unique_ids(data: pd.DataFrame, column: str, *, name: str = "data") -> pd.Series:
    """Return a column of ids after checking that none is missing or repeated.

    Parameters
    ----------
    data : pandas.DataFrame
        A frame already checked by :func:`frame`.
    column : str
        The id column (customers, products ...).
    name : str, default "data"
        The frame's argument name, shown in the message.

    Returns
    -------
    pandas.Series

    Raises
    ------
    ValueError
        A missing or a repeated id.

    Examples
    --------
    >>> unique_ids(pd.DataFrame({"customer_id": [1, 1]}), "customer_id")
    Traceback (most recent call last):
    ...
    crmlab._validation.BilingualValueError: data['customer_id'] 有重复的编号 [1]：...
    """
    ids = filled_column(data, column, name=name)
    dup = ids.duplicated(keep=False)
    if dup.any():
        values = list(dict.fromkeys(ids[dup].tolist()))[:5]
        raise BilingualValueError(f"{name}[{column!r}] 有重复的编号 {values}：每个编号只能占一行"
                                  "（交易明细请先汇总，例如 groupby(...).sum()）",
                                  f"{name}[{column!r}] has duplicate ids {values}: expected one "
                                  "row per id (aggregate transactions first)")
    return ids


def no_missing(series: pd.Series, name: str, *, label: str | None = None) -> None:
    """Raise naming the first rows (index labels) where ``series`` is missing.

    Parameters
    ----------
    series : pandas.Series
        The column.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    None

    Raises
    ------
    ValueError
        Missing values (the first rows are named).

    Examples
    --------
    >>> no_missing(pd.Series([1, 2]), "amount")
    """
    bad = series.isna().to_numpy()
    if bad.any():
        where = rows(series.index, bad)
        raise BilingualValueError(f"{_who(name, label)} 有 {int(bad.sum())} 个缺失值，"
                                  f"例如行 {where}",
                                  f"{name} has {int(bad.sum())} missing value(s), "
                                  f"e.g. at rows {where}")


# --- dates ----------------------------------------------------------------------

# a UTC offset right after a clock time: "07:00:00+08:00", "07:00Z", "07:00:00.5 -0500"
_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)$")
_EXAMPLE_DATE = "'1998-07-01'"


def timestamp(value: Any, name: str, *, label: str | None = None) -> pd.Timestamp:
    """Read one date as a naive ``Timestamp`` of its local wall time.

    A time-zone-aware value or an offset string keeps the calendar day of its
    own offset or zone (``'2024-01-02T07:00:00+08:00'`` is 2 January).

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    pandas.Timestamp

    Raises
    ------
    TypeError
        A number, bool or None.
    ValueError
        Unparseable text or a missing date.

    Examples
    --------
    >>> timestamp("2024-01-02T07:00:00+08:00", "as_of")
    Timestamp('2024-01-02 07:00:00')
    """
    if isinstance(value, bool | np.bool_ | Real) or value is None:
        raise _fail(TypeError, name, value, f"无效：应为日期，例如 {_EXAMPLE_DATE}",
                    f"is invalid: expected a date such as {_EXAMPLE_DATE}", label=label)
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise _fail(ValueError, name, value, f"无法识别为日期：应为例如 {_EXAMPLE_DATE}",
                    f"is invalid: expected a date such as {_EXAMPLE_DATE}",
                    label=label) from None
    if pd.isna(stamp):
        raise _fail(ValueError, name, value, "是缺失值：应为一个日期",
                    "is invalid: expected a date, not a missing value", label=label)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)  # keeps the local wall time of its own zone
    return stamp


def day_numbers(dates: pd.Series, name: str, *, label: str | None = None) -> np.ndarray:
    """Return the local calendar day of each row, as int64 days since 1970-01-01.

    Dates may be datetime64 (naive or tz-aware), date text in any form pandas
    reads, or text with a UTC offset; an aware date counts on the calendar day
    of its own zone or offset, not the UTC day. Errors name the rows.

    Parameters
    ----------
    dates : pandas.Series or sequence
        Dates (not modified).
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        Numbers or booleans instead of dates.
    ValueError
        Missing or unparseable dates (rows named).

    Examples
    --------
    >>> day_numbers(pd.Series(["1970-01-02", "1970-01-03T07:00:00+08:00"]), "date").tolist()
    [1, 2]
    """
    if not isinstance(dates, pd.Series):
        dates = pd.Series(dates)
    who = _who(name, label)
    dtype = dates.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        parsed = dates.dt.tz_localize(None)  # local wall time of the zone
    elif pd.api.types.is_datetime64_dtype(dtype):
        parsed = dates
    elif pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise BilingualTypeError(f"{who} 的类型是 {dtype}：应为日期（datetime64 或 "
                                 f"{_EXAMPLE_DATE} 这样的文字）",
                                 f"{name} has dtype {dtype}: expected dates (datetime64 "
                                 f"or text such as {_EXAMPLE_DATE})")
    else:
        # str() of an aware Timestamp/datetime ends with its offset; dropping the
        # offset leaves the local wall time, whose calendar day is the one meant.
        text = dates.astype("string").str.strip().str.replace(_OFFSET, r"\1", regex=True)
        with np.errstate(all="ignore"):
            parsed = pd.to_datetime(text, errors="coerce", format="mixed")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)
    bad = parsed.isna().to_numpy()
    if bad.any():
        where = rows(dates.index, bad, dates.tolist())
        raise BilingualValueError(f"{who} 有 {int(bad.sum())} 个缺失或无法识别的日期，行 {where}："
                                  f"应为例如 {_EXAMPLE_DATE} 的日期",
                                  f"{name} has {int(bad.sum())} missing or unparseable "
                                  f"date(s) at rows {where}: expected dates such as "
                                  f"{_EXAMPLE_DATE}")
    return parsed.to_numpy().astype("datetime64[D]").view(np.int64)


def day_number(value: Any, name: str, *, label: str | None = None) -> int:
    """Read one date (see :func:`timestamp`) as its calendar day, in days since 1970-01-01.

    Parameters
    ----------
    value : object
        What the caller passed: a date, a ``Timestamp`` or date text.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"分析日期"``).

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        As :func:`timestamp`.

    Examples
    --------
    >>> day_number("1970-01-03 18:00", "as_of")
    2
    """
    stamp = timestamp(value, name, label=label).normalize()
    return int(np.datetime64(stamp.to_datetime64(), "D").astype(np.int64))


def dates(values: pd.Series, name: str, *, label: str | None = None) -> pd.Series:
    """Read a column of dates as ``datetime64[ns]`` midnights of their local calendar day.

    The column counterpart of :func:`timestamp`, read by :func:`day_numbers`
    (the same types, time zones and messages); the index is kept.

    Parameters
    ----------
    values : pandas.Series or sequence
        Dates (not modified).
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it.

    Returns
    -------
    pandas.Series

    Raises
    ------
    TypeError
        Numbers or booleans instead of dates.
    ValueError
        Missing or unparseable dates (rows named).

    Examples
    --------
    >>> dates(pd.Series(["2024-01-02 18:00", "2024-01-03T07:00+08:00"]), "date").dt.day.tolist()
    [2, 3]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    days = day_numbers(series, name, label=label)
    return pd.Series(days.astype("datetime64[D]").astype("datetime64[ns]"), index=series.index,
                     name=series.name)


def period(start: Any, end: Any, *, names: tuple[str, str] = ("start", "end"),
           label: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Read a period's first and last day (both included); return both at midnight.

    Parameters
    ----------
    start, end : object
        The first and the last day (dates, ``Timestamp`` or date text).
    names : tuple of str, default ("start", "end")
        The arguments' names, shown in messages.
    label : str, optional
        The period's Chinese name, shown before it.

    Returns
    -------
    tuple of pandas.Timestamp

    Raises
    ------
    TypeError
        A number, bool or None.
    ValueError
        Unparseable text, a missing date, or ``end`` before ``start``.

    Examples
    --------
    >>> period("2024-01-01", "2024-12-31 23:59")
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-12-31 00:00:00'))
    """
    first = timestamp(start, names[0], label=label).normalize()
    last = timestamp(end, names[1], label=label).normalize()
    if last < first:
        raise BilingualValueError(
            f"{_who(names[1], label)}={show(end)} 早于 {names[0]}={show(start)}：结束日期应不早于"
            f"起始日期",
            f"{names[1]}={show(end)} is before {names[0]}={show(start)}: expected an end "
            f"on or after the start")
    return first, last


def date_pair(value: Any, name: str, *, label: str | None = None
              ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Read a (first day, last day) pair given as one argument; return both at midnight.

    Parameters
    ----------
    value : object
        A tuple or list of two dates.
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it.

    Returns
    -------
    tuple of pandas.Timestamp

    Raises
    ------
    TypeError
        Not a pair (text, a number, three dates), or a day that is a number.
    ValueError
        Unparseable or missing dates, or the last day before the first.

    Examples
    --------
    >>> date_pair(("2024-03-01", "2024-03-31"), "between")[1]
    Timestamp('2024-03-31 00:00:00')
    """
    if isinstance(value, str | bytes) or not isinstance(value, tuple | list) or len(value) != 2:
        raise _fail(TypeError, name, value, f"无效：应为（起始日期, 结束日期）两个日期，例如 "
                    f"({_EXAMPLE_DATE}, '1998-12-31')",
                    f"is invalid: expected a pair (first day, last day) such as "
                    f"({_EXAMPLE_DATE}, '1998-12-31')", label=label)
    return period(value[0], value[1], names=(f"{name}[0]", f"{name}[1]"), label=label)


# --- ids ------------------------------------------------------------------------

def id_codes(ids: Any, name: str, *, label: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Encode ids as codes ``0..u-1`` in sorted id order; return the codes and sorted unique ids.

    Works for integer ids of any width and sign (int8 … int64, uint64 beyond
    ``2**63``) and for text ids; missing ids and ids mixing text and numbers
    raise. Compact integer ids take an O(n) counting path with no hashing.

    Parameters
    ----------
    ids : pandas.Series or sequence
        Ids (not modified).
    name : str
        The argument's name, shown in the message.
    label : str, optional
        Its Chinese name, shown before it (e.g. ``"保留率"``).

    Returns
    -------
    tuple of numpy.ndarray

    Raises
    ------
    TypeError
        Boolean ids; text mixed with numbers.
    ValueError
        Missing or infinite ids.

    Examples
    --------
    >>> codes, uniques = id_codes(pd.Series([7, -3, 7], dtype="int8"), "customer_id")
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, 1], [-3, 7])
    """
    series = ids if isinstance(ids, pd.Series) else pd.Series(ids)
    no_missing(series, name, label=label)
    values = series.to_numpy()
    if values.dtype.kind == "b":
        raise BilingualTypeError(f"{_who(name, label)} 是布尔值：应为编号（整数或文字）",
                                 f"{name} holds booleans: expected ids (integers or text)")
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        bad = ~np.isfinite(values)
        raise BilingualValueError(f"{_who(name, label)} 有无穷大的编号，行 "
                                  f"{rows(series.index, bad, values)}：编号应为有限的数或文字",
                                  f"{name} has infinite ids at rows "
                                  f"{rows(series.index, bad, values)}: expected finite "
                                  f"numbers or text")
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        width = high - low + 1
        if width <= max(4 * values.size, 1 << 20):  # compact ids: O(n), no hashing
            # subtract in Python-int-safe int64/uint64 space: high - low < 2**63 here
            offset = (values.astype(np.int64, copy=False) - low if values.dtype.kind == "i"
                      or high < 2**63 else (values - np.uint64(low)).astype(np.int64))
            present = np.bincount(offset, minlength=width) > 0
            remap = np.cumsum(present) - 1
            uniques = (np.flatnonzero(present).astype(np.uint64 if values.dtype.kind == "u"
                                                      else np.int64)
                       + values.dtype.type(low)).astype(values.dtype)
            return remap[offset].astype(np.int64, copy=False), uniques
    kind = pd.api.types.infer_dtype(series, skipna=False)
    if kind.startswith("mixed"):
        raise BilingualTypeError(f"{_who(name, label)} 混有文字和数字的编号：应只用一种",
                                 f"{name} mixes text and numeric ids: expected one kind"
                                 )
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int64), np.asarray(uniques)


# --- s26e ---

import os  # noqa: E402 - imports of this block kept in it, for clean merges
import pathlib  # noqa: E402

__all__ += ["mapping", "path", "text"]


def mapping(value: Any, name: str, *, example: str, allow_empty: bool = False,
            label: str | None = None) -> dict[Any, Any]:
    """Return a mapping (dict or Series) as a dict; repeated Series labels are refused.

    Parameters
    ----------
    value, name, label
        As for :func:`number`.
    example : str
        A valid value for the message, e.g. ``"{'sales': 0.3}"``.
    allow_empty : bool, default False
        Accept ``{}``.

    Returns
    -------
    dict

    Raises
    ------
    TypeError
        A list, text, None …
    ValueError
        ``{}`` (unless ``allow_empty``); a Series with repeated labels.

    Examples
    --------
    >>> mapping(pd.Series({"a": 1}), "weights", example="{'a': 1}")
    {'a': 1}
    """
    if not isinstance(value, Mapping | pd.Series):
        raise _fail(TypeError, name, value, f"无效：应为字典，例如 {example}",
                    f"is invalid: expected a mapping such as {example}", label=label)
    if isinstance(value, pd.Series) and value.index.has_duplicates:
        repeated = list(dict.fromkeys(value.index[value.index.duplicated()]))[:5]
        raise _fail(ValueError, name, value, f"有重复的键 {repeated}：每个键只能出现一次",
                    f"has repeated keys {repeated}: expected each key once", label=label)
    if len(value) == 0 and not allow_empty:
        raise _fail(ValueError, name, value, f"是空的：应至少有一项，例如 {example}",
                    f"is empty: expected at least one entry such as {example}", label=label)
    return dict(value.items())


def text(value: Any, name: str, *, required: bool = True, label: str | None = None) -> str:
    """Check free text (a person, a note): a ``str``; blank only when not ``required``.

    Parameters
    ----------
    value, name, label
        As for :func:`number`.
    required : bool, default True
        Refuse ``""`` and blanks.

    Returns
    -------
    str
        ``value``, unchanged.

    Raises
    ------
    TypeError
        A number, None …
    ValueError
        Blank when ``required``.

    Examples
    --------
    >>> text("客服", "by")
    '客服'
    """
    if not isinstance(value, str):
        raise _fail(TypeError, name, value, "无效：应为文字（str）",
                    "is invalid: expected text (str)", label=label)
    if required and not value.strip():
        raise _fail(ValueError, name, value, "是空的：应写明内容", "is empty: expected text",
                    label=label)
    return value


def path(value: Any, name: str = "path", *, label: str | None = None) -> pathlib.Path:
    """Check a file path (``str`` or ``os.PathLike``) and return it as a ``Path``.

    A missing file is left to the reader (``FileNotFoundError``).

    Parameters
    ----------
    value, name, label
        As for :func:`number` (``name`` defaults to ``"path"``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    TypeError
        None, a number, a list …
    ValueError
        ``""``.

    Examples
    --------
    >>> path("log.csv").name
    'log.csv'
    """
    if not isinstance(value, str | os.PathLike):
        raise _fail(TypeError, name, value, "无效：应为文件路径（文字或 pathlib.Path）",
                    "is invalid: expected a file path (str or pathlib.Path)", label=label)
    if not str(value).strip():
        raise _fail(ValueError, name, value, "是空的：应为文件路径",
                    "is empty: expected a file path", label=label)
    return pathlib.Path(value)
