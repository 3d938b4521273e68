"""Answer kinds: how a student's answer is read (coerce), compared (match) and explained.

Each kind is a small frozen dataclass. A chapter that needs another kind subclasses
:class:`Kind` (or one of the kinds here) and overrides the methods it needs; see
``crmlab/exercises/README.md``.
"""

from __future__ import annotations

import itertools
import math
from collections import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "AnswerFormatError", "Choice", "Discussion", "Kind", "Labels", "Mapping", "Number",
    "Numbers", "Share", "describe_type", "short",
]

#: Longest list/mapping answer read at all (longer ones are refused, never consumed).
MAX_ITEMS = 10_000

_DIGITS = {0: "整数", 1: "一位小数", 2: "两位小数", 3: "三位小数", 4: "四位小数"}


class AnswerFormatError(Exception):
    """The answer has the wrong shape or type; the message is the student's guidance.

    Examples
    --------
    >>> try:
    ...     Number().coerce("12%", 0.12)
    ... except AnswerFormatError as problem:
    ...     print("% 号" in str(problem))
    True
    """


# --- how a value is named in feedback ------------------------------------------------

_TYPE_NAMES: dict[type, str] = {
    str: "字符串 (str)", bytes: "字节串 (bytes)", list: "列表 (list)", tuple: "元组 (tuple)",
    dict: "字典 (dict)", set: "集合 (set)", frozenset: "集合 (frozenset)",
    bool: "布尔值 (bool)", int: "整数 (int)", float: "小数 (float)", complex: "复数 (complex)",
    type(None): "空值 (None)", pd.Series: "序列 (Series)", pd.DataFrame: "数据表 (DataFrame)",
    np.ndarray: "数组 (ndarray)", range: "范围 (range)",
}


def describe_type(value: Any) -> str:
    """Name ``value``'s type in Chinese with the English in brackets.

    Parameters
    ----------
    value : Any
        Any object (a student's answer).

    Returns
    -------
    str
        E.g. ``'整数 (int)'``; for a function a reminder to call it.

    Examples
    --------
    >>> describe_type(pd.Series([1.0]))
    '序列 (Series)'
    """
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    if isinstance(value, pd.Index):
        return "索引 (Index)"
    if isinstance(value, np.generic):
        if isinstance(value, np.number):
            return "数字 (numpy)"
        return f"numpy 值 ({type(value).__name__})"
    if isinstance(value, Iterator):
        return f"迭代器 ({type(value).__name__})"
    if callable(value):
        name = getattr(value, "__name__", type(value).__name__)
        return f"函数 ({name})：是不是忘了加括号调用它？"
    return f"{type(value).__name__} 对象"


def short(value: Any, width: int = 40) -> str:
    """Render a value shortly and plainly for feedback (``80``, not ``np.float64(80.0)``).

    Parameters
    ----------
    value : Any
        Any object; one that cannot be shown gives ``<type name>``.
    width : int
        The longest text returned (longer ones are cut with ``…``).

    Returns
    -------
    str
        The rendering.

    Examples
    --------
    >>> short(np.float64(80.0)), short("abcdef", width=5)
    ('80', "'abc…")
    """
    width = validate.integer(width, "width", minimum=2, maximum=10_000, label="宽度")
    try:
        if isinstance(value, float | np.floating):
            number = float(value)
            text = f"{number:.10g}" if math.isfinite(number) else str(number)
        elif isinstance(value, np.integer):
            text = str(int(value))
        elif isinstance(value, str):
            text = repr(value if len(value) <= width else value[:width] + "…")
        elif isinstance(value, int) and abs(value) > 10 ** width:
            text = "一个非常大的整数"
        else:
            text = repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 1] + "…"


def _names(items: Iterable[str]) -> str:
    items = list(items)
    shown = "、".join(items[:6])
    return shown + ("等" if len(items) > 6 else "")


# --- the base kind ----------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """How answers of one shape are read and compared. Subclass to add a kind.

    Methods: ``coerce`` (student value -> comparable, or ``AnswerFormatError``),
    ``normalise`` (a value crmlab computed -> comparable), ``match``, ``locate``
    (which elements are wrong), ``diagnose`` (a hint from the answer's form alone:
    rounding, sign, percent), ``precision`` (the precision the task states).

    Examples
    --------
    >>> kind = Kind()
    >>> kind.match(kind.coerce("A", "A"), "A"), kind.what()
    (True, '一个答案')
    """

    #: False for answers that are acknowledged, never graded (discussion).
    graded: ClassVar[bool] = True
    #: Seconds ``coerce`` may take (it runs in a worker thread); None: no limit.
    time_limit: ClassVar[float | None] = 5.0

    def what(self) -> str:
        """Describe what an answer looks like, e.g. ``一个数字（元，保留两位小数）``.

        Returns
        -------
        str
            The description, in Chinese.

        Examples
        --------
        >>> Kind().what()
        '一个答案'
        """
        return "一个答案"

    def precision(self) -> str:
        """Return the precision the task asks for (empty when it asks none).

        Returns
        -------
        str
            The precision in Chinese, e.g. ``保留两位小数``; empty when none is asked.

        Examples
        --------
        >>> Kind().precision()
        ''
        """
        return ""

    def coerce(self, value: Any, expected: Any) -> Any:
        """Read the student's ``value``; raise :class:`AnswerFormatError` with guidance.

        Parameters
        ----------
        value : Any
            What the student's code gave.
        expected : Any
            The right answer (some kinds read the student's value in its shape).

        Returns
        -------
        Any
            The answer in comparable form.

        Examples
        --------
        >>> Kind().coerce("A", "B")
        'A'
        """
        return value

    def normalise(self, value: Any) -> Any:
        """Bring a value crmlab computed (the answer or a slip) into comparable form.

        Parameters
        ----------
        value : Any
            A value crmlab computed: the answer or a slip.

        Returns
        -------
        Any
            The value in comparable form.

        Examples
        --------
        >>> Kind().normalise("A")
        'A'
        """
        return value

    def match(self, answer: Any, expected: Any) -> bool:
        """Return True if ``answer`` counts as ``expected``.

        Parameters
        ----------
        answer : Any
            The student's answer, as :meth:`coerce` read it.
        expected : Any
            The right answer, as :meth:`normalise` made it.

        Returns
        -------
        bool
            True if the answer is right.

        Examples
        --------
        >>> Kind().match("A", "A"), Kind().match("A", "B")
        (True, False)
        """
        return bool(answer == expected)

    def match_slip(self, answer: Any, wrong: Any) -> bool:
        """Return True if ``answer`` is what a slip computes (default: ``match``).

        Parameters
        ----------
        answer : Any
            The student's answer, as :meth:`coerce` read it.
        wrong : Any
            What a typical slip computes, as :meth:`normalise` made it.

        Returns
        -------
        bool
            True if the answer is the slip's value.

        Examples
        --------
        >>> Kind().match_slip("B", "B")
        True
        """
        return self.match(answer, wrong)

    def trivial(self, value: Any) -> bool:
        """Tell whether ``value`` is a trivial answer (0, 1) that no slip may claim.

        Parameters
        ----------
        value : Any
            A value crmlab computed: the answer or a slip.

        Returns
        -------
        bool
            True for a trivial value.

        Examples
        --------
        >>> Kind().trivial(0), Number().trivial(0)
        (False, True)
        """
        return False

    def locate(self, answer: Any, expected: Any) -> str:
        """Which parts are wrong (``第 2、3 个不对。``); empty for single values.

        Parameters
        ----------
        answer : Any
            The student's answer, as :meth:`coerce` read it.
        expected : Any
            The right answer, as :meth:`normalise` made it.

        Returns
        -------
        str
            A sentence naming the wrong parts, or empty.

        Examples
        --------
        >>> Kind().locate("A", "B")
        ''
        """
        return ""

    def diagnose(self, answer: Any, expected: Any) -> str | None:
        """Return a hint that follows from the answer's form alone (rounding, sign, percent).

        Parameters
        ----------
        answer : Any
            The student's answer, as :meth:`coerce` read it.
        expected : Any
            The right answer, as :meth:`normalise` made it.

        Returns
        -------
        str or None
            The hint, in Chinese, or None (the base class never has one).

        Examples
        --------
        >>> Kind().diagnose("A", "B") is None
        True
        """
        return None


# --- numbers -------------------------------------------------------------------------

def _text_problem(value: str, who: str) -> AnswerFormatError:
    """Return the guidance for a number written as text (with %, units or quotes)."""
    text = value.strip().replace(",", "").replace("，", "")
    if text.endswith("%"):
        return AnswerFormatError(f"{who}是文字 {short(value)}：请写数字，不要加引号和 % 号"
                                 "（比例写成 0–1 之间的小数）。")
    try:
        float(text)
    except ValueError:
        return AnswerFormatError(f"{who}是文字 {short(value)}：请直接写数字，不要加引号或单位。")
    return AnswerFormatError(f"{who}是文字 {short(value)}：请去掉引号。")


def _to_float(value: Any, who: str = "你给的") -> float:
    """``value`` as a float; ``who`` names it in messages (``你给的``, ``第 2 个数``)."""
    if isinstance(value, bool | np.bool_) or value is None:
        raise AnswerFormatError(f"{who}是{describe_type(value)}，不是数字。")
    if isinstance(value, str):
        raise _text_problem(value, who)
    if isinstance(value, np.ndarray | pd.Series | pd.DataFrame | pd.Index | list | tuple):
        size = int(value.size) if hasattr(value, "size") else len(value)
        if size == 1:
            return _to_float(np.asarray(value, dtype=object).ravel()[0], who)
        raise AnswerFormatError(f"{who}是含 {size} 个元素的{describe_type(value)}，"
                                "不是一个数字。")
    if not isinstance(value, Real | np.number):
        raise AnswerFormatError(f"{who}是{describe_type(value)}，不是数字。")
    try:
        number = float(value)
    except OverflowError:
        raise AnswerFormatError(f"{who}是一个大得离谱的数：检查单位和计算步骤。") from None
    if math.isnan(number):
        raise AnswerFormatError(f"{who}是 NaN（缺失值）：检查计算中是否有空值或除以 0。")
    if math.isinf(number):
        raise AnswerFormatError(f"{who}是无穷大：检查是否除以了 0。")
    return number


#: Units of money: an integer answer in these is a rounding (取整到元), not a count.
MONEY = ("元", "万元", "美元")


def _trivial(value: float) -> bool:
    """0 and 1: what a student writes when nothing was computed (or a share of 100 %)."""
    return abs(value) < 1e-12 or abs(value - 1) < 1e-12


@dataclass(frozen=True)
class Number(Kind):
    """One number, right when it agrees with the answer at the stated precision.

    ``decimals`` is the precision the task states (2: 保留两位小数, 0 with unit 元:
    取整到元, 0 without a unit of money: 整数, and then a decimal such as 182.4 is
    refused). ``rtol`` (e.g. 0.01) replaces ``decimals`` by a relative tolerance
    (误差不超过 1%), for answers of simulations. ``form`` says what the number is:
    ``"fraction"`` a share written 0–1, ``"percent"`` a share written 0–100 (the
    other form gets a 乘以/除以 100 hint). ``direction`` words the sign hint for this
    quantity (default: from the unit).

    Form hints fire only when they are the likeliest explanation: the sign hint for
    a nonzero answer whose negation is right, the rounding hint for an answer that
    *is* a rounding of the right value, the percent hint for an answer that is the
    right share times 100; an answer of 0 never gets one.

    Parameters
    ----------
    decimals : int, optional
        The precision the task states (default 2); ``None`` with ``rtol``.
    unit : str, default ""
        The unit written after the number (``"元"``, ``"年"`` …).
    rtol : float, optional
        A relative tolerance used instead of ``decimals``.
    form : {"number", "fraction", "percent"}
        What the number is (default ``"number"``).
    direction : str, default ""
        How the sign hint words this quantity (default: from the unit).

    Examples
    --------
    >>> Number(decimals=2, unit="元").precision()
    '保留两位小数'
    """

    decimals: int | None = 2
    unit: str = ""
    rtol: float | None = None
    form: Literal["number", "fraction", "percent"] = "number"
    direction: str = ""

    def __post_init__(self) -> None:
        if self.decimals is not None:
            validate.integer(self.decimals, "decimals", minimum=0, maximum=15, label="小数位数")
        if self.rtol is not None:
            validate.number(self.rtol, "rtol", minimum=0, maximum=1, min_inclusive=False,
                            label="相对误差")
        if self.rtol is None and self.decimals is None:
            raise validate.BilingualValueError(
                "decimals=None 且 rtol=None 无效：需要小数位数 decimals 或相对误差 rtol",
                "decimals=None and rtol=None are invalid: Number needs decimals >= 0 or rtol")
        validate.choice(self.form, "form", ("number", "fraction", "percent"), label="答案形式")

    @property
    def whole(self) -> bool:
        """True when the answer is a whole number (a count, a position), not money rounded.

        Examples
        --------
        >>> Number(decimals=0).whole, Number(decimals=2).whole
        (True, False)
        """
        return self.rtol is None and self.decimals == 0 and self.unit not in MONEY

    def precision(self) -> str:
        if self.rtol is not None:
            return f"误差不超过 {self.rtol:.0%}"
        if self.decimals == 0:
            return f"取整到{self.unit}" if self.unit in MONEY else "整数"
        return f"保留{_DIGITS.get(self.decimals, f'{self.decimals} 位小数')}"

    def what(self) -> str:
        unit = f"{self.unit}，" if self.unit else ""
        return f"一个数字（{unit}{self.precision()}）"

    def read(self, value: Any, who: str = "你给的") -> float:
        """Read one number (``who`` names it in messages).

        Parameters
        ----------
        value : Any
            What the student's code gave for one number.
        who : str, default '你给的'
            Names the number in messages (e.g. ``第 2 个``).

        Returns
        -------
        float
            The number.

        Examples
        --------
        >>> Number(decimals=1).read(12.5)
        12.5
        """
        return _to_float(value, who)

    def fraction_in_whole(self, answer: float) -> bool:
        """Tell whether a whole-number task got a decimal such as 182.4 (never right).

        Parameters
        ----------
        answer : float
            The student's number.

        Returns
        -------
        bool
            True if a whole number is asked and ``answer`` is not one.

        Examples
        --------
        >>> Number(decimals=0).fraction_in_whole(182.4)
        True
        """
        return self.whole and abs(answer - round(answer)) > 1e-6

    def whole_hint(self) -> str:
        """Return the message for a decimal where a whole number is asked.

        Returns
        -------
        str
            The message, in Chinese.

        Examples
        --------
        >>> Number(decimals=0).whole_hint().startswith("本题要一个整数")
        True
        """
        return ("本题要一个整数，你写的数带有小数部分：个数、次数、序号和得分都是整数——"
                "检查一下是不是算成了平均数或比例，或者漏了最后一步。")

    def coerce(self, value: Any, expected: Any) -> float:
        return self.read(value)

    def normalise(self, value: Any) -> float:
        return float(np.asarray(value, dtype=float).ravel()[0]) if np.ndim(value) else float(value)

    def tolerance(self, expected: float) -> float:
        """Return how far an answer may be from ``expected`` at the stated precision.

        Parameters
        ----------
        expected : float
            The right number.

        Returns
        -------
        float
            Half a unit of the last asked decimal, or ``rtol`` times ``abs(expected)``
            when ``rtol`` is set.

        Examples
        --------
        >>> Number(decimals=2).tolerance(10.0) > 0.005, Number(rtol=0.01).tolerance(200.0)
        (True, 2.000000000001)
        """
        if self.rtol is not None:
            return self.rtol * abs(expected) + 1e-12
        return 0.5 * 10.0 ** -self.decimals * (1 + 1e-9) + 1e-9 * abs(expected)

    def near(self, answer: float, expected: float) -> bool:
        """Tell whether ``answer`` is within 1 % of ``expected`` but outside the precision.

        Parameters
        ----------
        answer : float
            The student's number.
        expected : float
            The right number.

        Returns
        -------
        bool
            True if the answer is near but not right.

        Examples
        --------
        >>> Number(decimals=2).near(100.5, 100.0)
        True
        """
        return (not self.close(answer, expected)
                and abs(answer - expected) <= 0.01 * abs(expected))

    def rounding_of(self, answer: float, expected: float) -> bool:
        """Tell whether ``answer`` is ``expected`` rounded (or cut) to fewer decimals than asked.

        Parameters
        ----------
        answer : float
            The student's number.
        expected : float
            The right number.

        Returns
        -------
        bool
            True if the answer is the right one rounded too early or too coarsely.

        Examples
        --------
        >>> Number(decimals=2).rounding_of(3.1, 3.14)
        True
        """
        if self.rtol is not None or answer == 0 or self.close(answer, expected):
            return False
        for k in range(self.decimals):
            for rounded in (round(expected, k), math.trunc(expected * 10 ** k) / 10 ** k):
                if abs(answer - rounded) <= 1e-9 * max(1.0, abs(expected)):
                    return True
        return False

    def close(self, answer: float, expected: float) -> bool:
        """One number agrees with the answer at the stated precision (a whole number if asked).

        Parameters
        ----------
        answer : float
            The student's number.
        expected : float
            The right number.

        Returns
        -------
        bool
            True if the number is right.

        Examples
        --------
        >>> Number(decimals=2).close(3.144, 3.14), Number(decimals=2).close(3.15, 3.14)
        (True, False)
        """
        return abs(answer - expected) <= self.tolerance(expected) and not (
            self.fraction_in_whole(answer) and not self.fraction_in_whole(expected))

    def close_to_slip(self, answer: float, wrong: float) -> bool:
        """One number is what a slip computes: at the precision, and within 2 % of it.

        The second condition keeps a slip worth 0.52 from claiming every answer that
        rounds to 1 when the task asks for whole 元.

        Parameters
        ----------
        answer : float
            The student's number.
        wrong : float
            What a typical slip computes.

        Returns
        -------
        bool
            True if the number is the slip's value.

        Examples
        --------
        >>> Number(decimals=2).close_to_slip(50.0, 50.0)
        True
        """
        return abs(answer - wrong) <= min(self.tolerance(wrong), max(0.02 * abs(wrong), 0.005))

    def match(self, answer: float, expected: float) -> bool:
        return self.close(answer, expected)

    def match_slip(self, answer: Any, wrong: Any) -> bool:
        return self.close_to_slip(answer, wrong)

    def trivial(self, value: Any) -> bool:
        return _trivial(value)

    def diagnose(self, answer: float, expected: float) -> str | None:
        return self.scalar_hint(answer, expected)

    def locate(self, answer: Any, expected: Any) -> str:
        if isinstance(answer, float) and not self.whole and self.near(answer, expected) \
                and not self.rounding_of(answer, expected):
            return f"已经很接近了（相差不到 1%），但不在本题要求的精度内（{self.precision()}）。"
        return ""

    def sign_hint(self, expected: float) -> str:
        """Return the sign hint in words that fit the quantity.

        Parameters
        ----------
        expected : float
            The right number.

        Returns
        -------
        str
            The hint, in Chinese.

        Examples
        --------
        >>> Number().sign_hint(-3.0)
        '符号反了：答案的大小对了，但本题的答案是负数：检查减法的先后（谁减谁）。'
        """
        if self.direction:
            return f"符号反了：{self.direction}"
        if self.unit in MONEY:
            return ("符号反了：数值的大小对了，但正负号反了。想一想哪些是收入（记为正）、"
                    "哪些是成本或支出（记为负），检查减法的先后。")
        if self.whole and expected > 0:
            return ("符号反了：个数、次数和序号不会是负数——数值的大小对了，检查是不是多写了负号"
                    "或把减法写反了。")
        want = "正数" if expected > 0 else "负数"
        what = "比例" if self.form != "number" else "答案"
        return (f"符号反了：{what}的大小对了，但本题的{what}是{want}：检查减法的先后"
                "（谁减谁）。")

    def percent_hint(self, answer: float, expected: float) -> str | None:
        """Return the 除以/乘以 100 hint when the answer is the share in the other form.

        Parameters
        ----------
        answer : float
            The student's number.
        expected : float
            The right number.

        Returns
        -------
        str or None
            The hint, or None when the answer is not the share in the other form.

        Examples
        --------
        >>> Number(decimals=2, form="fraction").percent_hint(25.0, 0.25)
        '本课程的比例一律写成 0–1 之间的小数：你写的是百分数，请除以 100（保留两位小数）。'
        """
        if answer == 0 or expected == 0 or self.form == "number":
            return None
        if self.form == "fraction" and abs(answer) > 1 and abs(answer - 100 * expected) <= max(
                100 * self.tolerance(expected), 0.5):
            return ("本课程的比例一律写成 0–1 之间的小数：你写的是百分数，"
                    f"请除以 100（{self.precision()}）。")
        if self.form == "percent" and abs(answer) <= 1 and abs(100 * answer - expected) <= max(
                self.tolerance(expected), 0.5):
            return ("本题要百分数（0–100，不带 % 号）：你写的是 0–1 的小数，"
                    f"请乘以 100（{self.precision()}）。")
        return None

    def scalar_hint(self, answer: float, expected: float) -> str | None:
        """Return the percent, sign or rounding hint for one number, or None.

        Parameters
        ----------
        answer : float
            The student's number.
        expected : float
            The right number.

        Returns
        -------
        str or None
            The first hint that applies, or None.

        Examples
        --------
        >>> Number(decimals=2).scalar_hint(-3.0, 3.0)
        '符号反了：答案的大小对了，但本题的答案是正数：检查减法的先后（谁减谁）。'
        """
        if answer == 0 or self.close(answer, expected):
            return None
        if self.fraction_in_whole(answer) and not self.fraction_in_whole(expected):
            return self.whole_hint()   # (an expected count, e.g. a model's 1,163.8, is no count)
        if hint := self.percent_hint(answer, expected):
            return hint
        flipped = self.close(-answer, expected) or self.rounding_of(-answer, expected)
        if expected != 0 and flipped:
            return self.sign_hint(expected)
        if self.rounding_of(answer, expected):
            return ("你的答案是把正确结果取整（或截断）到了更少的位数："
                    f"本题要求{self.precision()}，最后再按这个精度四舍五入。")
        return None


@dataclass(frozen=True)
class Share(Number):
    """A share or rate, as a decimal 0–1 or (``form="percent"``) a percentage 0–100.

    The course writes shares as decimals 0–1 (``form="fraction"``);
    ``form="percent"`` asks for 0–100. The other form gets a precise hint.

    Parameters
    ----------
    decimals : int, optional
        As for ``Number``; here the default is 4.
    unit : str
        As for ``Number``.
    rtol : float, optional
        As for ``Number``.
    form : str
        As for ``Number``; here the default is ``"fraction"`` (a share written 0–1).
    direction : str
        As for ``Number``.

    Examples
    --------
    >>> Share().what()
    '一个 0–1 之间的小数（比例，保留四位小数）'
    """

    decimals: int | None = 4
    form: Literal["number", "fraction", "percent"] = "fraction"

    def what(self) -> str:
        if self.form == "percent":
            return f"一个 0–100 之间的百分数（不带 % 号，{self.precision()}）"
        return f"一个 0–1 之间的小数（比例，{self.precision()}）"


# --- lists and mappings -------------------------------------------------------------

def _check_length(value: Any, length: int) -> None:
    """Refuse a sized answer whose ``len`` is not ``length`` (an unknown length passes)."""
    if not hasattr(value, "__len__"):
        return
    try:
        size = len(value)
    except Exception:
        return
    if size != length:
        raise AnswerFormatError(f"需要 {length} 个元素，你给了 {size} 个。")


def _items(value: Any, length: int, what: str) -> list:
    """Return the elements of a list-like answer, reading at most ``length + 1`` of an iterator."""
    if isinstance(value, str | bytes | abc.Mapping | set | frozenset) or value is None \
            or np.isscalar(value):
        raise AnswerFormatError(f"本题需要{what}，你给的是{describe_type(value)}。")
    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 1:
            value = value.iloc[:, 0]
        else:
            raise AnswerFormatError(f"本题需要{what}，你给的是整张数据表 (DataFrame)："
                                    "请取出其中一列。")
    if isinstance(value, np.ndarray | pd.Series | pd.Index):
        if value.size != length:
            raise AnswerFormatError(f"需要 {length} 个元素，你给了 {value.size} 个。")
        return list(np.asarray(value, dtype=object).ravel())
    _check_length(value, length)
    if not isinstance(value, Iterable):
        raise AnswerFormatError(f"本题需要{what}，你给的是{describe_type(value)}。")
    items = list(itertools.islice(iter(value), min(length, MAX_ITEMS) + 1))
    if len(items) != length:
        more = "更多" if len(items) > length else f" {len(items)} 个"
        raise AnswerFormatError(f"需要 {length} 个元素，你给了{more}。")
    return items


def _shared_hint(kind: Number, pairs: list[tuple[float, float]]) -> str | None:
    """Return the form hint every wrong element shares (None if any has none or they differ)."""
    hints = {kind.scalar_hint(a, e) for a, e in pairs}
    return hints.pop() if len(hints) == 1 else None


@dataclass(frozen=True)
class Numbers(Number):
    """A list of numbers in a stated order; names the wrong elements.

    ``names`` label the positions in feedback (e.g. ``("第 1 年", "第 2 年")``);
    default 第 k 个.

    Parameters
    ----------
    decimals : int, optional
        Decimals of every element (see ``Number``).
    unit : str
        Unit of every element.
    rtol : float, optional
        Relative tolerance of every element, instead of ``decimals``.
    form : str
        Form of every element: ``"number"``, ``"fraction"`` or ``"percent"``.
    direction : str
        Sign wording of every element.
    names : tuple of str, optional
        Labels of the positions in feedback.

    Examples
    --------
    >>> Numbers(decimals=0).locate([1.0, 5.0], [1.0, 2.0])
    '第 2 个（5）不对。'
    """

    names: tuple[str, ...] = ()

    def what(self) -> str:
        unit = f"{self.unit}，" if self.unit else ""
        each = self.precision()
        each = f"每个数{each}" if each.startswith(("保留", "取整", "误差")) else f"每个都是{each}"
        return f"一组数字（列表，{unit}{each}）"

    def _label(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else f"第 {index + 1} 个"

    def coerce(self, value: Any, expected: list[float]) -> list[float]:
        items = _items(value, len(expected), self.what())
        return [self.read(v, self._label(i)) for i, v in enumerate(items)]

    def normalise(self, value: Any) -> list[float]:
        return [float(v) for v in np.asarray(value, dtype=float).ravel()]

    def match(self, answer: list[float], expected: list[float]) -> bool:
        return len(answer) == len(expected) and all(
            self.close(a, e) for a, e in zip(answer, expected, strict=True))

    def match_slip(self, answer: list[float], wrong: list[float]) -> bool:
        return len(answer) == len(wrong) and all(
            self.close_to_slip(a, w) for a, w in zip(answer, wrong, strict=True))

    def trivial(self, value: list[float]) -> bool:
        return all(abs(v) < 1e-12 for v in value)

    def _wrong(self, answer: list[float], expected: list[float]) -> list[int]:
        return [i for i, (a, e) in enumerate(zip(answer, expected, strict=True))
                if not self.close(a, e)]

    def locate(self, answer: list[float], expected: list[float]) -> str:
        wrong = self._wrong(answer, expected)
        if not wrong or len(wrong) == len(expected) > 1:
            return ""  # all wrong (or none): "还不对" already says it
        return f"{_names(f'{self._label(i)}（{short(answer[i])}）' for i in wrong)}不对。"

    def diagnose(self, answer: list[float], expected: list[float]) -> str | None:
        return _shared_hint(self, [(answer[i], expected[i]) for i in self._wrong(answer, expected)])


def _fold(label: str) -> str:
    """Return a label as compared: case and spaces ignored ("k0299" is "K0299")."""
    return label.strip().casefold()


@dataclass(frozen=True)
class Labels(Kind):
    """A list of text labels in a stated order (e.g. RFM codes ``"321"``).

    Case is ignored (``"a"`` is ``"A"``). ``codes`` maps the English codes crmlab
    returns to the labels the task asks for (``{"vip": "贵宾型"}``): an answer in
    codes is told to translate them instead of being marked wrong. ``aliases`` maps
    other names of a label to it (``{"贵宾型客户": "贵宾型"}``, what ``glossary.zh``
    writes); they count as the label.

    Parameters
    ----------
    names : tuple of str, optional
        Labels of the positions in feedback.
    example : str, default '["A", "B"]'
        How an answer is written, shown in format feedback.
    codes : mapping of str to str, optional
        English code -> the label the task asks for.
    aliases : mapping of str to str, optional
        Other name of a label -> the label.

    Examples
    --------
    >>> Labels().coerce([" 321", "111"], ["321", "111"])
    ['321', '111']
    """

    names: tuple[str, ...] = ()
    example: str = '["A", "B"]'
    codes: abc.Mapping[str, str] = field(default_factory=dict)
    aliases: abc.Mapping[str, str] = field(default_factory=dict)

    def what(self) -> str:
        return f"一组文字标签（列表，例如 {self.example}）"

    def _label(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else f"第 {index + 1} 个"

    def coerce(self, value: Any, expected: list[str]) -> list[str]:
        items = _items(value, len(expected), self.what())
        bad = [i for i, v in enumerate(items) if not isinstance(v, str)]
        if bad:
            first = items[bad[0]]
            raise AnswerFormatError(f"每个元素都应是文字（字符串 str），{self._label(bad[0])}是"
                                    f"{describe_type(first)} {short(first)}：请加上引号。")
        codes = {_fold(k) for k in self.codes}
        coded = [v for v in items if _fold(v) in codes and _fold(v) not in map(_fold, expected)]
        if coded:
            example = self.codes[next(k for k in self.codes if _fold(k) == _fold(coded[0]))]
            raise AnswerFormatError(f"你写的是英文代码（{short(coded[0].strip())}）：本题要中文"
                                    f"名称，例如 {short(example)}。可以用 glossary.zh(...) 或"
                                    " glossary.value_label(...) 把代码换成中文。")
        aliases = {_fold(k): v for k, v in self.aliases.items()}
        return [aliases.get(_fold(v), v.strip()) for v in items]

    def normalise(self, value: Any) -> list[str]:
        return [str(v) for v in list(value)]

    def match(self, answer: list[str], expected: list[str]) -> bool:
        return len(answer) == len(expected) and all(
            _fold(a) == _fold(e) for a, e in zip(answer, expected, strict=True))

    def locate(self, answer: list[str], expected: list[str]) -> str:
        wrong = [i for i, (a, e) in enumerate(zip(answer, expected, strict=True))
                 if _fold(a) != _fold(e)]
        if not wrong:
            return ""
        if len(wrong) == len(expected) > 1:
            return ""  # all wrong: "还不对" already says it
        return f"{_names(f'{self._label(i)}（{short(answer[i])}）' for i in wrong)}不对。"


@dataclass(frozen=True)
class Mapping(Number):
    """A dictionary ``{key: number}``; names missing, extra and wrong keys.

    Parameters
    ----------
    decimals, unit, rtol, form, direction : object
        Settings of ``Number``, applied to each value of the dictionary.

    Examples
    --------
    >>> Mapping(decimals=0).match({"甲": 50.0}, {"甲": 50.2})
    True
    """

    def what(self) -> str:
        unit = f"{self.unit}，" if self.unit else ""
        share = "是 0–1 之间的小数，" if self.form == "fraction" else ""
        return (f"一个字典（dict，例如 {{\"甲\": 50, \"乙\": 35}}，{unit}每个值{share}"
                f"{self.precision()}）")

    def coerce(self, value: Any, expected: dict[str, float]) -> dict[str, float]:
        if isinstance(value, pd.Series):
            if len(value) > MAX_ITEMS:
                raise AnswerFormatError(f"需要 {len(expected)} 个键，你给了 {len(value)} 个。")
            value = value.to_dict()
        if not isinstance(value, abc.Mapping):
            raise AnswerFormatError(f"本题需要{self.what()}，你给的是{describe_type(value)}。")
        if len(value) > MAX_ITEMS:
            raise AnswerFormatError(f"需要 {len(expected)} 个键，你给了 {len(value)} 个。")
        answer = {str(k).strip(): v for k, v in value.items()}
        missing = [k for k in expected if k not in answer]
        extra = [k for k in answer if k not in expected]
        if missing or extra:
            parts = ([f"缺少键 {_names(missing)}"] if missing else []) + (
                [f"多了键 {_names(short(k) for k in extra)}"] if extra else [])
            raise AnswerFormatError(f"{'；'.join(parts)}。应有的键是 {_names(expected)}。")
        return {k: self.read(answer[k], f"键 {k} 的值") for k in expected}

    def normalise(self, value: Any) -> dict[str, float]:
        return {str(k): float(v) for k, v in dict(value).items()}

    def _wrong(self, answer: dict[str, float], expected: dict[str, float]) -> list[str]:
        return [k for k in expected if k not in answer
                or not self.close(answer[k], expected[k])]

    def match(self, answer: dict[str, float], expected: dict[str, float]) -> bool:
        return set(answer) == set(expected) and not self._wrong(answer, expected)

    def match_slip(self, answer: dict[str, float], wrong: dict[str, float]) -> bool:
        return set(answer) == set(wrong) and all(
            self.close_to_slip(answer[k], wrong[k]) for k in wrong)

    def trivial(self, value: dict[str, float]) -> bool:
        return all(abs(v) < 1e-12 for v in value.values())

    def locate(self, answer: dict[str, float], expected: dict[str, float]) -> str:
        wrong = self._wrong(answer, expected)
        if not wrong:
            return ""
        if len(wrong) == len(expected) > 1:
            return ""  # all wrong: "还不对" already says it
        return f"{_names(f'{k}（{short(answer[k])}）' for k in wrong)}的数值不对。"

    def diagnose(self, answer: dict[str, float], expected: dict[str, float]) -> str | None:
        if set(answer) != set(expected):
            return None
        return _shared_hint(self, [(answer[k], expected[k]) for k in self._wrong(answer, expected)])


# --- choices and free text ------------------------------------------------------------

_ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def _option_number(value: Any) -> int | None:
    """Return the option number written instead of a letter (``1``, ``"第一条"``), or None."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return int(value)
    if not isinstance(value, str):
        return None
    text = value.strip().removeprefix("第").removeprefix("选")
    for suffix in ("个选项", "条", "项", "个", "个答案"):
        text = text.removesuffix(suffix)
    text = text.strip()
    if text.isdigit() and len(text) < 3:
        return int(text)
    return _ORDINALS.get(text)


@dataclass(frozen=True)
class Choice(Kind):
    """One option letter out of ``options`` (``{"A": "...", "B": "..."}``).

    Case is ignored; an option number (``1``, ``"第一条"``) is answered with the
    letter it stands for.

    Parameters
    ----------
    options : mapping of str to str
        Option letter -> the option's text.

    Examples
    --------
    >>> Choice({"A": "对", "B": "错"}).coerce(" b", "B")
    'B'
    """

    options: abc.Mapping[str, str] = field(default_factory=dict)

    def what(self) -> str:
        letters = "、".join(self.options) or "A、B、C"
        return f"一个选项字母（{letters} 之一，例如 \"B\"）"

    def coerce(self, value: Any, expected: str) -> str:
        number = _option_number(value)
        if number is not None:
            letters = list(self.options) or ["A", "B", "C", "D"]
            if 1 <= number <= len(letters):
                raise AnswerFormatError(
                    f"请写选项的字母，不写序号：你写的 {short(value)} 如果指第 {number} 个选项，"
                    f"请写 \"{letters[number - 1]}\"（本题的选项是 {'、'.join(letters)}）。")
            raise AnswerFormatError(f"请从 {'、'.join(letters)} 中选一个字母，"
                                    f"你写的是 {short(value)}。")
        if not isinstance(value, str):
            raise AnswerFormatError(f"本题需要{self.what()}，你给的是{describe_type(value)}。")
        text = value.strip().upper()
        letter = text[:1]
        if self.options and (letter not in self.options or
                             (len(text) > 1 and text[1].isalnum())):
            raise AnswerFormatError(f"请从 {'、'.join(self.options)} 中选一个字母，"
                                    f"你写的是 {short(value)}。")
        return letter

    def normalise(self, value: Any) -> str:
        return str(value).strip().upper()


_PUNCTUATION = set(" \t\n\r，。、；：？！“”‘’（）《》,.;:?!\"'()[]-—…·")


def substance(text: str) -> int:
    """Count the distinct characters of ``text`` that carry meaning (no spaces or punctuation).

    Parameters
    ----------
    text : str
        A student's answer.

    Returns
    -------
    int
        How many different characters it uses: 20 times "啊" counts 1.

    Examples
    --------
    >>> substance("啊" * 20), substance("先留住老客户。")
    (1, 6)
    """
    return len({c for c in text if c not in _PUNCTUATION})


@dataclass(frozen=True)
class Discussion(Kind):
    """Free text with no single right answer: acknowledged, never graded.

    The model answer (the task's ``expected``) is shown once the student has
    written an answer that engages with the question: at least ``min_chars``
    characters, half as many different ones (20 times "啊" is one), and, when
    ``topics`` are given,
    words of at least ``min_topics`` of them (each topic is a tuple of words that
    name it, e.g. ``("淘汰", "放弃")``).

    Parameters
    ----------
    min_chars : int, default 15
        Fewest characters of an answer that engages with the question.
    topics : tuple of tuple of str, optional
        The topics an answer should touch, each named by a tuple of words.
    min_topics : int, default 2
        How many of ``topics`` an answer must touch.
    prompt : str, default "说清楚你的判断和依据"
        What feedback asks for when an answer is too short.

    Examples
    --------
    >>> Discussion(min_chars=3).coerce("  先留住老客户。 ", "")
    '先留住老客户。'
    """

    graded: ClassVar[bool] = False
    min_chars: int = 15
    topics: tuple[tuple[str, ...], ...] = ()
    min_topics: int = 2
    prompt: str = "说清楚你的判断和依据"

    def __post_init__(self) -> None:
        validate.integer(self.min_chars, "min_chars", minimum=0, maximum=10_000,
                         label="最少字数")
        validate.integer(self.min_topics, "min_topics", minimum=0, label="最少要点数")

    def what(self) -> str:
        return f"一段文字（字符串 str，至少 {self.min_chars} 个字）"

    def coerce(self, value: Any, expected: str) -> str:
        if not isinstance(value, str):
            raise AnswerFormatError(f"本题需要{self.what()}，你给的是{describe_type(value)}："
                                    "请把你的看法写在引号里。")
        text = value.strip()
        if len(text) < self.min_chars or substance(text) < self.min_chars // 2:
            raise AnswerFormatError(f"请多写几句（至少 {self.min_chars} 个字，不要重复同一个字），"
                                    f"{self.prompt}。")
        covered = sum(any(word in text for word in topic) for topic in self.topics)
        if self.topics and covered < min(self.min_topics, len(self.topics)):
            raise AnswerFormatError(f"你的回答还没有谈到题目的要点：请{self.prompt}。"
                                    "写完后会显示参考答案。")
        return text

    def normalise(self, value: Any) -> str:
        return str(value)

    def match(self, answer: Any, expected: Any) -> bool:
        return False
