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


# --- the wide sweep: every public callable, each call classified good / weak / bad ---------
#
# ``variants(valid)`` turns one valid call into the junk calls of each argument's
# category; ``classify`` runs one of them and judges the answer:
#
# * good - a ValueError/TypeError in Chinese and English naming the argument (or the
#   column), or an accepted input that may be legitimate with a finite answer;
# * weak - sloppy input accepted silently (NaN, 1e308, text, None for a number or a
#   flag), a message without the argument's name, a leaked pandas/NumPy message, a
#   raw Python error text (no Chinese);
# * bad - any other exception type, a time-out, a non-finite number in the answer, a
#   mutated argument, or a different answer for the same data (repeated index labels,
#   time-zone-aware dates, another integer width): rows multiplied, silently wrong.

import contextlib  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import signal  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402

#: junk for a flag (bool argument); accepting any of them is sloppy
FLAGS: dict[str, Any] = {"text no": "no", "int 1": 1, "None": None, "nan": NAN}

#: junk for a label / column name / text argument
LABELS: dict[str, Any] = {"unknown label": "no-such-label", "empty text": "", "None": None,
                          "number": 5, "list": ["a"]}

#: junk for a sequence of labels
LABEL_LISTS: dict[str, Any] = {"unknown labels": ["no-such-label"], "empty": [], "None": None,
                               "numbers": [1, 2], "nested": [["a"]]}

#: junk for a mapping (weights, quantities, pools)
MAPPINGS: dict[str, str] = {"None": "None", "empty": "empty", "nan value": "nan",
                            "inf value": "inf", "1e308 value": "1e308", "text value": "text",
                            "list": "list", "unknown key": "unknown key"}

#: categories whose acceptance can be legitimate (a finite answer is then good)
TOLERATED = {"negative", "numpy scalar", "negatives", "array", "Series", "tuple", "scalar",
             "unknown label", "empty text", "duplicated row", "-5 in column", "int 0",
             "unknown labels", "empty", "int width", "None in column", "numbers"}
#: categories that must give the same answer as the clean call (or a clear refusal)
SAME = {"repeated labels", "time zone", "int32 column", "uint32 column", "int8 column"}

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH = re.compile(r"[A-Za-z]{2,}[ =:,'][^\u4e00-\u9fff]*[A-Za-z]{3,}")


@dataclass(frozen=True)
class Case:
    """One junk call: which argument, which category, and what answer is acceptable."""

    argument: str
    category: str
    kwargs: dict[str, Any]
    names: tuple[str, ...]   # a message must mention one of these (argument, column)
    expect: str              # "refuse": accepting is weak; "either": good; "same": as clean

    @property
    def column(self) -> str | None:
        """The column a column-level junk case changed (its values may pass through)."""
        return self.names[1] if len(self.names) > 1 else None


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list | tuple) and bool(value) \
        and all(isinstance(v, str) for v in value)


def _mapping_junk(good: dict, how: str) -> Any:
    key = next(iter(good), "a")
    return {"None": None, "empty": {}, "nan": {**good, key: NAN}, "inf": {**good, key: INF},
            "1e308": {**good, key: 1e308}, "text": {**good, key: "abc"},
            "list": list(good.values()), "unknown key": {**good, "no-such-key": 1.0}}[how]


def _frame_cases(argument: str, good: pd.DataFrame, kwargs: dict[str, Any]) -> list[Case]:
    cases = [Case(argument, label, {**kwargs, argument: bad}, (argument,), "refuse")
             for label, bad in FRAMES.items()]
    if len(good) > 1:
        cases.append(Case(argument, "repeated labels",
                          {**kwargs, argument: _repeated_labels(good)}, (argument,), "same"))
        cases.append(Case(argument, "duplicated row",
                          {**kwargs, argument: pd.concat([good, good.iloc[:1]])},
                          (argument,), "either"))
    for column in good.columns:
        name = str(column)
        cases.append(Case(argument, f"missing column {name}",
                          {**kwargs, argument: good.drop(columns=[column])},
                          (argument, name), "refuse"))
        series = good[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            for label, value in (("nan", NAN), ("inf", INF), ("1e308", 1e308),
                                 ("-5", -5), ("text", "abc")):
                changed = good.copy()
                changed[column] = changed[column].astype(object if label == "text" else float)
                changed.iloc[0, changed.columns.get_loc(column)] = value
                category = f"{label} in column"
                cases.append(Case(argument, category, {**kwargs, argument: changed},
                                  (argument, name),
                                  "either" if category in TOLERATED else "refuse"))
            changed = good.copy()
            changed[column] = changed[column].astype(str)
            cases.append(Case(argument, "text numbers in column",
                              {**kwargs, argument: changed}, (argument, name), "refuse"))
            if pd.api.types.is_integer_dtype(series) and series.between(0, 127).all():
                for width in ("int32", "uint32", "int8"):
                    changed = good.copy()
                    changed[column] = changed[column].astype(width)
                    cases.append(Case(argument, f"{width} column", {**kwargs, argument: changed},
                                      (argument, name), "same"))
        elif pd.api.types.is_datetime64_any_dtype(series) and series.dt.tz is None:
            changed = good.copy()
            changed[column] = changed[column].dt.tz_localize("Asia/Shanghai")
            cases.append(Case(argument, "time zone", {**kwargs, argument: changed},
                              (argument, name), "same"))
            changed = good.copy()
            changed.iloc[0, changed.columns.get_loc(column)] = pd.NaT
            cases.append(Case(argument, "NaT in column", {**kwargs, argument: changed},
                              (argument, name), "refuse"))
        else:
            changed = good.copy().astype({column: object})
            changed.iloc[0, changed.columns.get_loc(column)] = None
            cases.append(Case(argument, "None in column", {**kwargs, argument: changed},
                              (argument, name), "either"))
    return cases


def variants(valid: dict[str, Any], arguments: tuple[str, ...] | None = None) -> list[Case]:
    """Every junk call built from one valid call (``arguments`` limits which are swept)."""
    cases: list[Case] = []
    for argument, good in valid.items():
        if arguments is not None and argument not in arguments:
            continue
        if isinstance(good, pd.DataFrame):
            cases += _frame_cases(argument, good, valid)
            continue
        if isinstance(good, bool):
            table, tolerated = FLAGS, set()
        elif isinstance(good, int | float | np.number):
            table, tolerated = SCALARS, TOLERATED
        elif isinstance(good, str):
            table, tolerated = LABELS, TOLERATED
        elif isinstance(good, dict) and good:
            cases += [Case(argument, f"mapping {how}",
                           {**valid, argument: _mapping_junk(good, how)},
                           (argument,), "either" if how == "unknown key" else "refuse")
                      for how in MAPPINGS.values()]
            continue
        elif _is_text_list(good):
            table, tolerated = LABEL_LISTS, TOLERATED
        elif isinstance(good, list | tuple | np.ndarray | pd.Series):
            table, tolerated = ARRAYS, TOLERATED
        else:   # a connection, a callable, an object: only None and text
            table, tolerated = {"None": None, "text": "abc"}, set()
        for label, bad in table.items():
            cases.append(Case(argument, label, {**valid, argument: bad}, (argument,),
                              "either" if label in tolerated else "refuse"))
        if isinstance(good, tuple) and 2 <= len(good) <= 3 and table is ARRAYS:
            for position in range(len(good)):      # a pair such as (customers, average)
                for label, bad in (("nan", NAN), ("inf", INF), ("1e308", 1e308),
                                   ("text", "abc"), ("None", None)):
                    changed = good[:position] + (bad,) + good[position + 1:]
                    cases.append(Case(argument, f"{label} at [{position}]",
                                      {**valid, argument: changed}, (argument,), "refuse"))
        if isinstance(good, int) and not isinstance(good, bool) and 0 <= good <= 127:
            cases.append(Case(argument, "int width", {**valid, argument: np.int8(good)},
                              (argument,), "same"))
    return cases


class _Timeout(BaseException):
    """A call ran longer than its budget (a hang on 1e308 is a bad case)."""


@contextlib.contextmanager
def _limits(seconds: float, megabytes: int = 1500):
    """Stop the call after ``seconds`` and refuse allocations beyond ``megabytes`` more."""
    def _alarm(signum, frame):
        raise _Timeout

    old_handler = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        limit = used + megabytes * 2**20
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _raised_in_crmlab(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and "crmlab" in frames[-1].filename.replace("\\", "/").split("/")


def judge_error(error: BaseException, names: tuple[str, ...]) -> tuple[str, str]:
    """good / weak / bad for an exception, with the reason."""
    text = str(error)
    kind = type(error).__name__
    if isinstance(error, _Timeout):
        return "bad", "time-out (hangs on this input)"
    if isinstance(error, FileNotFoundError):
        return "good", kind
    if kind == "AnswerFormatError" and _CJK.search(text):
        return "good", "the checker's Chinese feedback (exercises are Chinese only)"
    if not isinstance(error, ValueError | TypeError) or kind == "TraitError":
        return "bad", f"{kind}: {text[:120]}"
    if not _CJK.search(text):
        where = "leaked" if not _raised_in_crmlab(error) else "raw"
        return "weak", f"{where} {kind} without Chinese: {text[:100]}"
    if not _ENGLISH.search(text):
        return "weak", f"{kind} without English: {text[:100]}"
    if not any(n and n in text for n in names):
        return "weak", f"{kind} does not name {names[0]!r}: {text[:100]}"
    return "good", kind


def _call(function: Callable[..., Any], kwargs: dict[str, Any], seconds: float) -> Any:
    with _limits(seconds), warnings.catch_warnings(), \
            contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            return function(**kwargs)
        finally:
            if "matplotlib.pyplot" in __import__("sys").modules:
                import matplotlib.pyplot as plt
                plt.close("all")


def classify(function: Callable[..., Any], case: Case, clean: Any = None, *,
             finite: Callable[[Any], np.ndarray] = numbers_of,
             seconds: float = 3.0) -> tuple[str, str]:
    """Run one junk call and judge it: ("good" | "weak" | "bad", reason)."""
    before = {k: _snapshot(v) for k, v in case.kwargs.items()}
    comparable = {k for k, v in case.kwargs.items() if _equal_or_false(before[k], v)}
    try:
        result = _call(function, case.kwargs, seconds)
    except Exception as error:  # noqa: BLE001 - every exception type is judged
        return judge_error(error, case.names)
    except _Timeout as error:
        return judge_error(error, case.names)
    for key, value in case.kwargs.items():
        if key not in comparable:      # an object whose copy never equals it
            continue
        try:
            unchanged = _same(before[key], value)
        except Exception:  # noqa: BLE001 - an object that cannot be compared is not judged
            unchanged = True
        if not unchanged:
            return "bad", f"{key} was mutated"
    shown = result
    if case.column and isinstance(result, pd.DataFrame) and case.column in result.columns:
        shown = result.drop(columns=[case.column])     # the junk itself, passed through
    try:
        values = finite(shown)
    except (TypeError, ValueError):
        values = np.array([])
    if np.isinf(values).any():
        return "bad", f"infinite number in the answer: {short_repr(result)}"
    if np.isnan(values).any() and (case.category != "valid call" and not _has_nan(clean)):
        return "bad", f"NaN in the answer (none in the clean one): {short_repr(result)}"
    if case.expect == "same":
        if not _same_answer(clean, result):
            return "bad", f"answer differs from the clean call: {short_repr(result)}"
        return "good", "same answer"
    if case.expect == "refuse":
        if "column" in case.category and clean is not None and _same_answer(clean, result):
            return "good", "a column the answer does not use"
        return "weak", "accepted silently"
    return "good", "accepted"


def _equal_or_false(before: Any, value: Any) -> bool:
    try:
        return bool(_same(before, value))
    except Exception:  # noqa: BLE001 - an object that cannot be compared is not judged
        return False


def _has_nan(result: Any) -> bool:
    try:
        return bool(np.isnan(numbers_of(result)).any())
    except (TypeError, ValueError):
        return False


def short_repr(value: Any, width: int = 100) -> str:
    """``repr`` cut to ``width`` characters on one line."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _same_answer(a: Any, b: Any) -> bool:
    if isinstance(a, pd.DataFrame | pd.Series):
        if not isinstance(b, type(a)) or len(a) != len(b):
            return False
    try:
        return _same_result(a, b)
    except (TypeError, ValueError):
        return repr(a) == repr(b)
