"""RFM analysis: recency, frequency, monetary value from raw transactions.

Steps, each a function returning a tidy frame:

1. ``summary`` — raw transactions -> one row per customer: ``recency_days``,
   ``recency_months``, ``frequency``, ``monetary_total``, ``monetary_mean``.
2. ``score`` — 1..k points per dimension, by a **preset** of the lecture slide
   (``"car_dealer"``, ``"pharmacy"``), by custom **thresholds** (``rule``), or by
   **quantiles** (3, 5 or 7 points: the lecture names 三分制, 五分制, 七分制).
3. ``segments`` — high/low R, F, M -> the eight RFM segments (重要价值客户 …
   一般挽留客户) with a strategy for each (``strategy_table``);
   ``segment_summary`` gives sizes and revenue shares.

Definitions (《客户组合分析》 lecture, RFM法): recency 光顾间歇 = time since the
last purchase (shorter is better); frequency 光顾频率 = number of purchase
occasions in a period (more is better); monetary 消费额 = the *average* spend per
purchase (``monetary_mean``, more is better). The eight segments come from
《产品经理必学的 6 大分析模型》, where M is the *accumulated* spend 累计交易金额
(``monetary_total``); ``summary`` returns both, and ``score`` can use either.

**Fixed business thresholds.** Quantile scores say only "better than the
others"; on data of one acquisition cohort (CDNOW: every customer's first
purchase is in Q1 1997) they call customers silent for 15 months "recent". To
split by fixed cut-offs, give ``score`` one-edge rules and ``segments`` the
reference score 1 (score 2 = high)::

    rules = {"r": rule("recency_days", [365], higher_is_better=False, edge_goes_up=False),
             "f": rule("frequency", [2]),
             "m": rule("monetary_total", [100])}
    segments(score(s, rules=rules), reference={"r": 1, "f": 1, "m": 1})

**Purchase occasion.** All rows of one customer on one calendar day form one
purchase occasion (one visit); its amount is the sum of those rows. CDNOW has
such same-day rows (several orders or lines on a day); they count once in
``frequency`` and once in the denominator of ``monetary_mean``. This is also how
``lifetimes.utils.summary_data_from_transaction_data`` groups them (``freq="D"``).

**Months.** Recency in months is ``recency_days / 30.4375`` (the average
Gregorian month, 365.25 / 12 days): 12 months = 365.25 days, so a purchase 365
days ago is "within 12 months" and one 366 days ago is not.

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "amount": [10.0, 30.0, 5.0],
...                    "date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"])})
>>> s = summary(tx, customer="customer_id", date="date", amount="amount", as_of="2024-03-31")
>>> s[["customer_id", "recency_days", "frequency", "monetary_mean"]].to_dict("list")
{'customer_id': [1, 2], 'recency_days': [30, 59], 'frequency': [2, 1], 'monetary_mean': [20.0, 5.0]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _transactions as transactions
from crmlab import _validation as validate

__all__ = [
    "PRESETS",
    "Preset",
    "Rule",
    "get_preset",
    "preset_table",
    "rule",
    "score",
    "score_crosstab",
    "segment_summary",
    "segments",
    "strategy_table",
    "summary",
]

_DAYS_PER_MONTH = 365.25 / 12


# --- 1. summary -----------------------------------------------------------------

def summary(data: pd.DataFrame, *, customer: str = "customer_id", date: str = "date",
            amount: str = "amount", as_of: Any, frequency_months: int | None = None,
            drop_future: bool = False) -> pd.DataFrame:
    """Summarise transactions into one row per customer: recency, frequency, monetary value.

    A purchase occasion is one customer's rows on one calendar day (their amounts
    summed). Then, per customer, as of ``as_of``:

    * recency = days from the last occasion to ``as_of`` (also in months of
      30.4375 days);
    * frequency = number of occasions (optionally only the last
      ``frequency_months`` months);
    * monetary = total spend, and mean spend per occasion (total / occasions).

    Parameters
    ----------
    data : pandas.DataFrame
        Transactions, one row per purchase line (not modified).
    customer, date, amount : str
        Column names in ``data``. Customer ids may be text or integers of any
        width and sign. Dates may be datetime64 (naive or time-zone-aware) or
        text; an aware date or an offset string counts on the calendar day of
        its own zone (``'2024-01-02T07:00:00+08:00'`` is 2 January).
    as_of : str or datetime-like
        The analysis date ("today").
    frequency_months : int, optional
        Count ``frequency`` only over occasions after ``as_of`` minus so many
        months (the presets' "在过去60个月里"); ``None`` counts all occasions.
        Recency and monetary value always use every purchase up to ``as_of``.
    drop_future : bool, default False
        Leave out transactions dated after ``as_of`` instead of raising.

    Returns
    -------
    pandas.DataFrame
        Sorted by customer: ``<customer>``, ``first_purchase``, ``last_purchase``,
        ``recency_days``, ``recency_months``, ``frequency``, ``monetary_total``,
        ``monetary_mean``. ``attrs`` holds ``as_of`` and ``frequency_months``.

    Raises
    ------
    TypeError
        ``data`` is not a DataFrame; dates or amounts of the wrong type; a
        non-boolean ``drop_future``.
    ValueError
        Missing columns or ids, unparseable dates, NaN/inf/negative/huge amounts,
        transactions after ``as_of`` (unless ``drop_future``), empty data.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994 (RFM analysis).
    P. S. Fader, B. G. S. Hardie and K. L. Lee, "Counting Your Customers the
    Easy Way", *Marketing Science* 24(2), 2005 (the CDNOW data).

    Examples
    --------
    >>> tx = pd.DataFrame({"c": ["a", "a", "a"], "d": ["2024-05-01", "2024-05-01", "2024-05-20"],
    ...                    "x": [10.0, 5.0, 15.0]})
    >>> summary(tx, customer="c", date="d", amount="x", as_of="2024-06-01")[
    ...     ["frequency", "monetary_total", "monetary_mean"]].values.tolist()
    [[2.0, 30.0, 15.0]]
    """
    ids, days, money, stamp = _transactions(data, customer, date, amount, as_of, drop_future)
    if frequency_months is not None:
        frequency_months = validate.integer(frequency_months, "frequency_months", minimum=1,
                                            maximum=1200,
                                            label="频率统计月数")
    as_of_day = validate.day_number(stamp, "as_of")
    codes, customers = validate.id_codes(ids, f"data[{customer!r}]")
    n = len(customers)
    total = np.bincount(codes, weights=money, minlength=n)
    occasion_customer, occasion_day, _ = transactions.occasions(codes, days)  # consumes codes

    occasions = np.bincount(occasion_customer, minlength=n)
    first, last = transactions.first_and_last(occasion_customer, occasion_day)
    if frequency_months is None:
        frequency = occasions
    else:
        start = stamp.normalize() - pd.DateOffset(months=frequency_months)
        in_window = occasion_day > validate.day_number(start, "as_of")
        frequency = np.bincount(occasion_customer[in_window], minlength=n)
    recency = as_of_day - last

    out = pd.DataFrame({
        customer: customers,
        "first_purchase": transactions.day_dates(first),
        "last_purchase": transactions.day_dates(last),
        "recency_days": recency,
        "recency_months": recency / _DAYS_PER_MONTH,
        "frequency": frequency.astype(np.int64),
        "monetary_total": total,
        "monetary_mean": total / occasions,
    }, copy=False)  # fresh arrays: no need to copy them into one block
    out.attrs["as_of"] = str(stamp.date())
    out.attrs["frequency_months"] = frequency_months
    return out


def _transactions(data: Any, customer: Any, date: Any, amount: Any, as_of: Any,
                  drop_future: Any) -> tuple[pd.Series, np.ndarray, np.ndarray, pd.Timestamp]:
    """Validate the inputs of ``summary``; return ids, local day numbers, amounts, as_of."""
    transactions.columns(data, "data", customer=customer, date=date, amount=amount)
    stamp = validate.timestamp(as_of, "as_of", label="分析日期")
    drop_future = validate.flag(drop_future, "drop_future")
    ids, days = transactions.read(data, "data", customer, date)
    money = transactions.amounts(data[amount], f"data[{amount!r}]")
    future = days > validate.day_number(stamp, "as_of")
    if future.any():
        if not drop_future:
            where = validate.rows(data.index, future)
            raise validate.BilingualValueError(
                f"data[{date!r}] 有 {int(future.sum())} 笔交易晚于 as_of={stamp.date()}，"
                f"行 {where}：请选更晚的 as_of，或传入 drop_future=True 把它们排除",
                f"data[{date!r}] has {int(future.sum())} transaction(s) after "
                f"as_of={stamp.date()} at rows {where}: choose a later as_of, or pass "
                f"drop_future=True to leave them out")
        if future.all():
            raise validate.BilingualValueError(
                f"所有交易都晚于 as_of={stamp.date()}：没有可汇总的交易",
                f"every transaction is after as_of={stamp.date()}: nothing left to summarise")
        keep = ~future
        ids, days, money = ids[keep], days[keep], money[keep]
    return ids, days, money, stamp


# --- 2. scoring ------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """Thresholds that turn one column into scores ``1 .. len(edges) + 1``.

    Parameters
    ----------
    column : str
        The column of the summary frame the rule scores.
    edges : tuple of float
        Strictly increasing cut points.
    edge_goes_up : tuple of bool
        One per edge: where a value exactly equal to ``edges[i]`` goes. True ->
        the bin of larger values ("from 200 000 on"), False -> the bin of
        smaller values ("up to 12 months").
    higher_is_better : bool, default True
        Larger values get higher scores (False for recency).
    unit : str, optional
        Unit shown with the intervals.
    seed_text : tuple of str, optional
        The wording of the lecture slide, one per score (the name is historical:
        it holds the lecture's text).

    Raises
    ------
    TypeError
        A flag that is not ``True``/``False`` (``"False"`` would read as true),
        a column name that is not text, edges that are not numbers.
    ValueError
        Edges not strictly increasing, NaN/inf edges, one flag per edge missing.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> Rule("frequency", (2, 3), (True, True)).apply([1, 2, 3]).tolist()
    [1, 2, 3]
    """

    column: str
    edges: tuple[float, ...]
    edge_goes_up: tuple[bool, ...]
    higher_is_better: bool = True
    unit: str = ""
    seed_text: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check and normalise the fields (a frozen dataclass: set through object)."""
        validate.name(self.column, "column", label="列名")
        if isinstance(self.edges, str | bytes) or np.ndim(self.edges) != 1:
            raise validate.BilingualTypeError(
                f"edges={validate.show(self.edges)} 无效：应为一列递增的分界点",
                f"edges={validate.show(self.edges)} is invalid: expected a sequence of "
                f"increasing cut points")
        edges = tuple(validate.float_array(list(self.edges), f"{self.column} edges").tolist())
        if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise validate.BilingualValueError(
                f"edges={list(edges)} 无效：分界点应严格递增",
                f"edges={list(edges)} is invalid: expected strictly increasing cut points")
        if isinstance(self.edge_goes_up, str | bytes) or np.ndim(self.edge_goes_up) != 1 or len(
                self.edge_goes_up) != len(edges):
            raise validate.BilingualValueError(
                f"edge_goes_up={validate.show(self.edge_goes_up)} 无效：每个分界点应有一个 "
                f"True/False（共 {len(edges)} 个）",
                f"edge_goes_up={validate.show(self.edge_goes_up)} is invalid: expected one "
                f"True/False per edge ({len(edges)})")
        ups = tuple(validate.flag(b, f"edge_goes_up[{k}]") for k, b in
                    enumerate(self.edge_goes_up))
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "edge_goes_up", ups)
        object.__setattr__(self, "higher_is_better",
                           validate.flag(self.higher_is_better, "higher_is_better"))
        if not isinstance(self.unit, str):
            raise validate.BilingualTypeError(f"unit={validate.show(self.unit)} 应为文字",
                                              f"unit={validate.show(self.unit)} is invalid: "
                                              f"expected text")
        object.__setattr__(self, "seed_text", tuple(str(t) for t in self.seed_text))

    @property
    def points(self) -> int:
        """The number of scores (``len(edges) + 1``).

        Examples
        --------
        >>> Rule("frequency", (2, 3), (True, True)).points
        3
        """
        return len(self.edges) + 1

    def apply(self, values: Any) -> np.ndarray:
        """Score ``values`` (vectorised): integers ``1 .. points``.

        Parameters
        ----------
        values : array-like of float
            List, array or Series of finite numbers (may be empty).

        Returns
        -------
        numpy.ndarray
            One int64 score per value.

        Raises
        ------
        TypeError
            Text or booleans among the values.
        ValueError
            NaN or infinite values.

        Examples
        --------
        >>> Rule("recency_days", (30,), (False,), higher_is_better=False).apply([10, 40]).tolist()
        [2, 1]
        """
        x = validate.float_array(values, self.column, allow_empty=True)
        passed = np.zeros(x.shape, dtype=np.int64)
        for edge, up in zip(self.edges, self.edge_goes_up, strict=True):
            slack = 1e-9 * max(1.0, abs(edge))  # a mean of 150.0 may be 149.99999999999997
            passed += (x >= edge - slack) if up else (x > edge + slack)
        return passed + 1 if self.higher_is_better else self.points - passed

    def intervals(self, symbol: str = "x") -> list[str]:
        """Write the interval of each score ``1 .. points`` as text, e.g. ``'12 < R ≤ 48'``.

        Parameters
        ----------
        symbol : str, default "x"
            The variable's name in the text.

        Returns
        -------
        list of str
            One interval per score, score 1 first.

        Raises
        ------
        TypeError
            ``symbol`` is not text.

        Examples
        --------
        >>> Rule("frequency", (2, 3), (True, True)).intervals("F")
        ['F < 2', '2 ≤ F < 3', 'F ≥ 3']
        """
        validate.name(symbol, "symbol")
        bins = [self._interval(j, symbol) for j in range(self.points)]
        return bins if self.higher_is_better else bins[::-1]

    def _interval(self, j: int, symbol: str) -> str:
        lower = upper = ""
        if j > 0:
            lower = f"{self.edges[j - 1]:,g} {'≤' if self.edge_goes_up[j - 1] else '<'} "
        if j < len(self.edges):
            upper = f" {'<' if self.edge_goes_up[j] else '≤'} {self.edges[j]:,g}"
        if lower and not upper:  # open-ended top bin reads better as "x > a"
            return f"{symbol} {'≥' if self.edge_goes_up[j - 1] else '>'} {self.edges[j - 1]:,g}"
        return f"{lower}{symbol}{upper}"


def rule(column: str, edges: Sequence[float], *, higher_is_better: bool = True,
         edge_goes_up: bool | Sequence[bool] = True, unit: str = "") -> Rule:
    """Make custom thresholds for one column (see ``Rule``).

    Parameters
    ----------
    column : str
        The column to score, e.g. ``"recency_days"``.
    edges : sequence of float
        Strictly increasing cut points.
    higher_is_better : bool, default True
        False for recency (shorter is better).
    edge_goes_up : bool or sequence of bool, default True
        Where a value equal to an edge goes (one flag for all edges, or one each).
    unit : str, optional
        Unit shown with the intervals.

    Returns
    -------
    Rule
        The thresholds, ready for ``score(rules=...)``.

    Raises
    ------
    TypeError
        Text edges, non-boolean flags (``"False"`` is refused), a non-text column.
    ValueError
        Edges not increasing, NaN/inf edges, no edges, flags not one per edge.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> rule("recency_days", [30, 90], higher_is_better=False, edge_goes_up=False).apply(
    ...     [10, 30, 31, 90, 200]).tolist()
    [3, 3, 2, 2, 1]
    """
    validate.name(column, "column", label="列名")
    edges = tuple(validate.float_array(edges, "edges", label="分界点").tolist())
    if isinstance(edge_goes_up, bool | np.bool_):
        ups: Any = (bool(edge_goes_up),) * len(edges)
    elif isinstance(edge_goes_up, str | bytes) or np.ndim(edge_goes_up) != 1:
        raise validate.BilingualTypeError(
            f"edge_goes_up={validate.show(edge_goes_up)} 无效：应为 True/False，或每个分界点一个",
            f"edge_goes_up={validate.show(edge_goes_up)} is invalid: expected True/False, or "
            f"one per edge")
    else:
        ups = tuple(edge_goes_up)
    return Rule(column, edges, ups, higher_is_better, unit)


@dataclass(frozen=True)
class Preset:
    """A scoring table of the lecture slide: one ``Rule`` per dimension.

    Parameters
    ----------
    name : str
        Short code, e.g. ``"pharmacy"``.
    title : str
        The slide's title, e.g. ``"零售药店"``.
    recency, frequency, monetary : Rule
        The three rules.
    frequency_months : int
        The window over which the slide counts frequency.
    currency : str, default "元"
        Currency of the monetary rule.

    Raises
    ------
    TypeError
        A rule that is not a ``Rule``.
    ValueError
        A window below one month.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> PRESETS["pharmacy"].rules["f"].apply([1, 2, 5]).tolist()
    [1, 2, 3]
    """

    name: str
    title: str
    recency: Rule
    frequency: Rule
    monetary: Rule
    frequency_months: int
    currency: str = "元"
    rules: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Check the rules and collect them as ``rules = {"r": ..., "f": ..., "m": ...}``."""
        for key in ("recency", "frequency", "monetary"):
            if not isinstance(getattr(self, key), Rule):
                raise validate.BilingualTypeError(
                    f"{key} 应为 Rule（用 rfm.rule 生成）",
                    f"{key}={validate.show(getattr(self, key))} is invalid: expected a Rule "
                    f"(make it with rfm.rule)")
        for key in ("name", "title", "currency"):
            validate.text(getattr(self, key), key)
        validate.integer(self.frequency_months, "frequency_months", minimum=1, maximum=1_200)
        object.__setattr__(self, "rules", {"r": self.recency, "f": self.frequency,
                                           "m": self.monetary})


#: The two 3-point tables of the RFM lecture, read as stated in ``preset_table``.
PRESETS: dict[str, Preset] = {
    "car_dealer": Preset(
        name="car_dealer", title="汽车专卖店",
        recency=Rule("recency_months", (12, 48), (False, False), higher_is_better=False,
                     unit="个月",
                     seed_text=("最近一次购买发生在48个月以前", "最近一次购买发生在12个月之前",
                                "最近一次购买离现在不超过12个月")),
        frequency=Rule("frequency", (2, 3), (True, True), unit="次",
                       seed_text=("在过去60个月里只光顾本店一次", "在过去60个月里光顾本店两次",
                                  "在过去60个月里光顾本店三次或更多")),
        monetary=Rule("monetary_mean", (200_000, 400_000), (True, False), unit="元",
                      seed_text=("平均消费额少于20万元", "平均消费额在20万40万元之间",
                                 "平均消费额高于40万元")),
        frequency_months=60),
    "pharmacy": Preset(
        name="pharmacy", title="零售药店",
        recency=Rule("recency_months", (3, 9), (False, False), higher_is_better=False,
                     unit="个月",
                     seed_text=("最近一次购买发生在9个月以前", "最近一次购买发生在3个月之前",
                                "最近一次购买离现在不超过3个月")),
        frequency=Rule("frequency", (2, 3), (True, True), unit="次",
                       seed_text=("在过去12个月里只光顾本店一次", "在过去12个月里光顾本店两次",
                                  "在过去12个月里光顾本店三次或更多")),
        monetary=Rule("monetary_mean", (150, 450), (True, False), unit="元",
                      seed_text=("平均消费额少于150元", "平均消费额在150450元之间",
                                 "平均消费额高于450元")),
        frequency_months=12),
}


def get_preset(preset: str | Preset) -> Preset:
    """Look up a preset by name (a ``Preset`` passes through).

    Parameters
    ----------
    preset : str or Preset
        ``"car_dealer"`` or ``"pharmacy"``, or a ``Preset``.

    Returns
    -------
    Preset
        The preset's score tables and the columns they need.

    Raises
    ------
    ValueError
        An unknown name.

    Examples
    --------
    >>> get_preset("pharmacy").title
    '零售药店'
    """
    if isinstance(preset, Preset):
        return preset
    validate.choice(preset, "preset", PRESETS, label="评分表")
    return PRESETS[preset]


def preset_table(preset: str | Preset) -> pd.DataFrame:
    """Lay out a preset as the slide's table: R/F/M rows, scores as columns.

    For each dimension, one row (``preset_row="seed_text"``) shows the slide's
    wording and one (``"interval"``) the interval crmlab applies. Index levels
    ``rfm_dimension`` (``r``, ``f``, ``m``) and ``preset_row`` are codes:
    ``.pipe(glossary.zh)`` shows them in Chinese.

    Parameters
    ----------
    preset : str or Preset
        ``"car_dealer"``, ``"pharmacy"`` or a ``Preset``.

    Returns
    -------
    pandas.DataFrame
        Columns ``score_1 .. score_k``.

    Raises
    ------
    ValueError
        An unknown preset name.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> preset_table("pharmacy").loc[("r", "interval")].tolist()
    ['R > 9', '3 < R ≤ 9', 'R ≤ 3']
    """
    p = get_preset(preset)
    rows, index = [], []
    for key, r in p.rules.items():
        rows.append(list(r.seed_text) if r.seed_text else [""] * r.points)
        index.append((key, "seed_text"))
        rows.append(r.intervals(key.upper()))
        index.append((key, "interval"))
    columns = [f"score_{k}" for k in range(1, p.recency.points + 1)]
    return pd.DataFrame(rows, columns=columns, index=pd.MultiIndex.from_tuples(
        index, names=["rfm_dimension", "preset_row"]))


def _quantile_scores(values: pd.Series, points: int, higher_is_better: bool) -> np.ndarray:
    # p = share of customers with a strictly worse value. Tied values share p,
    # hence one score (deterministic, independent of row order); the worst value
    # always scores 1.
    x = values if higher_is_better else -values
    beaten = (x.rank(method="min").to_numpy() - 1) / len(x)
    return np.minimum(np.floor(beaten * points).astype(np.int64) + 1, points)


_DEFAULT_COLUMNS = {"r": "recency_days", "f": "frequency", "m": "monetary_mean"}


def score(summary: pd.DataFrame, *, preset: str | Preset | None = None,
          rules: Mapping[str, Rule] | None = None, points: int | None = None,
          columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Score each customer 1..k on R, F and M: by a preset, custom rules or quantiles.

    Give exactly one of:

    * ``preset`` — ``"car_dealer"`` or ``"pharmacy"`` (the slide's 3-point tables);
      needs ``recency_months``, ``frequency``, ``monetary_mean``. A frame made by
      ``rfm.summary`` must have been made with the preset's frequency window
      (``frequency_months=60`` or ``12``); a frame typed by hand is taken as it is.
    * ``rules`` — ``{"r": Rule, "f": Rule, "m": Rule}`` (see ``rule``).
    * ``points`` — 3, 5 or 7: quantile scores. ``p`` = the share of customers with a
      strictly worse value (``(rank_min - 1) / n``); the score is
      ``floor(p * points) + 1``. Tied values share ``p`` and so the score; the
      worst value always scores 1. Shorter recency is better.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per customer (e.g. from ``summary``); not modified.
    preset : str or Preset, optional
        ``"car_dealer"``, ``"pharmacy"`` or a ``Preset`` (see above).
    rules : mapping of str to Rule, optional
        One ``Rule`` for each of ``"r"``, ``"f"`` and ``"m"``.
    points : int, optional
        3, 5 or 7: score by quantiles into this many points.
    columns : mapping of str to str, optional
        For ``points``: overrides the default columns
        ``{"r": "recency_days", "f": "frequency", "m": "monetary_mean"}``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``summary`` with ``r_score``, ``f_score``, ``m_score``,
        ``rfm_code`` (e.g. ``'333'``) and ``rfm_total``.

    Raises
    ------
    TypeError
        Not a DataFrame, rules of the wrong shape, text in the scored columns.
    ValueError
        Not exactly one of the three ways, missing columns, NaN/inf values, an
        unknown preset, points other than 3, 5, 7, a summary made with another
        frequency window than the preset's.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> s = pd.DataFrame({"recency_months": [6, 30, 60], "frequency": [3, 2, 1],
    ...                   "monetary_mean": [450_000, 200_000, 150_000]})
    >>> score(s, preset="car_dealer")["rfm_code"].tolist()
    ['333', '222', '111']
    """
    validate.frame(summary, "summary")
    given = [x is not None for x in (preset, rules, points)]
    if sum(given) != 1:
        raise validate.BilingualValueError(
            f"preset=...、rules=...、points=... 应恰好给一个（现在给了 {sum(given)} 个）",
            f"give exactly one of preset=..., rules=... or points=... (got {sum(given)})")
    if preset is not None:
        rules = _preset_rules(summary, get_preset(preset))
    if rules is not None:
        scores = _rule_scores(summary, rules)
    else:
        scores = _points_scores(summary, points, columns)
    out = summary.copy()
    for key in "rfm":
        out[f"{key}_score"] = scores[key]
    out["rfm_code"] = (out["r_score"].astype(str) + out["f_score"].astype(str)
                       + out["m_score"].astype(str))
    out["rfm_total"] = out["r_score"] + out["f_score"] + out["m_score"]
    return out


def _preset_rules(summary: pd.DataFrame, p: Preset) -> Mapping[str, Rule]:
    window = summary.attrs.get("frequency_months", p.frequency_months)
    if window != p.frequency_months:
        raise validate.BilingualValueError(
            f"评分表 preset={p.name!r} 按 {p.frequency_months} 个月统计频率，但 summary 是用 "
            f"frequency_months={window} 算的：请调用 "
            f"rfm.summary(..., frequency_months={p.frequency_months})",
            f"preset={p.name!r} counts frequency over {p.frequency_months} months, but "
            f"summary was made with frequency_months={window}: call "
            f"rfm.summary(..., frequency_months={p.frequency_months})")
    return p.rules


def _rule_scores(summary: pd.DataFrame, rules: Any) -> dict[str, np.ndarray]:
    if not isinstance(rules, Mapping) or set(rules) != {"r", "f", "m"} or not all(
            isinstance(r, Rule) for r in rules.values()):
        raise validate.BilingualTypeError(
            "rules 无效：应为 {'r': Rule, 'f': Rule, 'm': Rule}（用 rfm.rule 生成）",
            f"rules={validate.show(rules)} is invalid: expected "
            "{'r': Rule, 'f': Rule, 'm': Rule} (make them with rfm.rule)")
    validate.frame(summary, "summary", columns=[r.column for r in rules.values()])
    return {key: rules[key].apply(_score_column(summary, rules[key].column)) for key in "rfm"}


def _score_column(summary: pd.DataFrame, column: str) -> np.ndarray:
    return validate.float_array(summary[column], f"summary[{column!r}]")


def _points_scores(summary: pd.DataFrame, points: Any,
                   columns: Any) -> dict[str, np.ndarray]:
    points = validate.integer(points, "points", label="分制")
    validate.choice(points, "points", (3, 5, 7), label="分制")
    cols = dict(_DEFAULT_COLUMNS)
    if columns is not None:
        if not isinstance(columns, Mapping) or not set(columns) <= set(cols) or not all(
                isinstance(c, str) for c in columns.values()):
            raise validate.BilingualValueError(
                f"columns={validate.show(columns)} 无效：应为键取自 {list(cols)} 的映射",
                f"columns={validate.show(columns)} is invalid: expected a mapping with keys "
                f"among {list(cols)}")
        cols.update(columns)
    validate.frame(summary, "summary", columns=list(cols.values()))
    return {key: _quantile_scores(pd.Series(_score_column(summary, cols[key])), points,
                                  higher_is_better=(key != "r")) for key in "rfm"}


# --- 3. segments ------------------------------------------------------------------

# The eight RFM segments of the lecture, in the slide's order: segment code,
# R/F/M high?, strategy code. Display labels of both codes: glossary.VALUES.
_SEGMENTS = pd.DataFrame([
    ("important_value", True, True, True, "keep_and_reward"),
    ("important_development", True, False, True, "raise_frequency"),
    ("important_retention", False, True, True, "reach_out"),
    ("important_winback", False, False, True, "win_back"),
    ("general_value", True, True, False, "raise_basket"),
    ("general_development", True, False, False, "nurture"),
    ("general_retention", False, True, False, "low_cost_reactivation"),
    ("general_winback", False, False, False, "minimal_spend"),
], columns=["segment", "r_high", "f_high", "m_high", "strategy"])
_SEGMENT_ORDER = tuple(_SEGMENTS["segment"])


def strategy_table() -> pd.DataFrame:
    """List each segment's R/F/M pattern and recommended strategy (as codes).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment`` (the eight codes in the slide's order), columns
        ``r_level``, ``f_level``, ``m_level`` (``"high"``/``"low"``) and
        ``strategy`` (a code). ``.pipe(glossary.zh)`` shows the Chinese table.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> strategy_table().iloc[0].tolist()
    ['high', 'high', 'high', 'keep_and_reward']
    """
    level = {True: "high", False: "low"}
    out = pd.DataFrame({
        "r_level": _SEGMENTS["r_high"].map(level).to_numpy(),
        "f_level": _SEGMENTS["f_high"].map(level).to_numpy(),
        "m_level": _SEGMENTS["m_high"].map(level).to_numpy(),
        "strategy": _SEGMENTS["strategy"].to_numpy(),
    }, index=pd.Index(_SEGMENT_ORDER, name="segment"))
    return out


def segments(scores: pd.DataFrame, *,
             reference: str | Mapping[str, float] = "mean") -> pd.DataFrame:
    """Split R, F, M into high/low and name the eight segments.

    A dimension is **high** when its score is strictly above the reference:
    ``"mean"`` (the average score of these customers), ``"median"``, or a
    mapping ``{"r": 2, "f": 2, "m": 2}`` of fixed reference scores. With
    one-edge business rules (``rule(..., [365])``: scores 1 and 2) the
    reference ``{"r": 1, "f": 1, "m": 1}`` makes "high" mean "on the good side
    of the cut-off", independent of the other customers.

    Parameters
    ----------
    scores : pandas.DataFrame
        With ``r_score``, ``f_score``, ``m_score`` (e.g. from ``score``); not modified.
    reference : {"mean", "median"} or mapping, default "mean"

    Returns
    -------
    pandas.DataFrame
        A copy of ``scores`` with ``r_high``, ``f_high``, ``m_high`` (bool) and
        ``segment`` (a code, ordered categorical; ``glossary.zh`` names it).

    Raises
    ------
    TypeError
        Not a DataFrame, text scores.
    ValueError
        Missing columns, NaN/inf scores, an unknown reference.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1]})
    >>> segments(s)["segment"].tolist()
    ['important_value', 'general_winback']
    """
    validate.frame(scores, "scores", columns=["r_score", "f_score", "m_score"])
    out = scores.copy()
    for key in "rfm":
        values = validate.float_array(scores[f"{key}_score"], f"scores['{key}_score']")
        out[f"{key}_high"] = values > _reference(reference, key, values)
    table = _SEGMENTS.set_index(["r_high", "f_high", "m_high"])["segment"]
    codes = table.reindex(pd.MultiIndex.from_frame(out[["r_high", "f_high", "m_high"]]))
    out["segment"] = pd.Categorical(codes.to_numpy(), categories=_SEGMENT_ORDER, ordered=True)
    return out


def _reference(reference: Any, key: str, values: np.ndarray) -> float:
    if isinstance(reference, Mapping):
        if set(reference) != {"r", "f", "m"}:
            raise validate.BilingualValueError(
                f"reference={validate.show(dict(reference))} 无效：键应为 'r'、'f'、'm'",
                f"reference={validate.show(dict(reference))} is invalid: expected keys "
                f"'r', 'f', 'm'")
        return validate.number(reference[key], f"reference[{key!r}]", label="参照得分")
    validate.choice(reference, "reference", ("mean", "median"), label="高低的参照")
    return float(np.mean(values) if reference == "mean" else np.median(values))


def segment_summary(segmented: pd.DataFrame, *,
                    revenue: str = "monetary_total") -> pd.DataFrame:
    """Count the customers and revenue of each of the eight segments (all eight, even if empty).

    Parameters
    ----------
    segmented : pandas.DataFrame
        With ``segment`` (from ``segments``) and the revenue column; not modified.
    revenue : str, default "monetary_total"
        The column holding each customer's spend.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment`` code: ``customers``, ``customer_share``,
        ``monetary_total`` (the segment's revenue), ``revenue_share`` and the
        mean ``recency_days``, ``frequency``, ``monetary_mean`` where present.

    Raises
    ------
    TypeError
        Not a DataFrame, text revenue.
    ValueError
        Missing columns, NaN/inf/negative/huge revenue, unknown segment codes.

    References
    ----------
    A. M. Hughes, *Strategic Database Marketing*, Probus, 1994.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1],
    ...                   "monetary_total": [90.0, 10.0]})
    >>> float(segment_summary(segments(s)).loc["important_value", "revenue_share"])
    0.9
    """
    validate.name(revenue, "revenue")
    validate.frame(segmented, "segmented", columns=["segment", revenue])
    money = validate.money_array(segmented[revenue], f"segmented[{revenue!r}]")
    unknown = ~segmented["segment"].isin(_SEGMENT_ORDER).to_numpy()
    if unknown.any():
        where = validate.rows(segmented.index, unknown, segmented["segment"].tolist())
        raise validate.BilingualValueError(
            f"segmented['segment'] 有未知的客户类型，行 {where}：应为 rfm.segments 给出的代码",
            f"segmented['segment'] has unknown segments at rows {where}: expected the codes "
            f"made by rfm.segments")
    seg = pd.Categorical(segmented["segment"], categories=_SEGMENT_ORDER)
    grouped = pd.DataFrame({"segment": seg, "monetary_total": money}).groupby(
        "segment", observed=False)
    out = pd.DataFrame({"customers": grouped.size(),
                        "monetary_total": grouped["monetary_total"].sum()})
    out["customer_share"] = out["customers"] / out["customers"].sum()
    total = out["monetary_total"].sum()
    out["revenue_share"] = out["monetary_total"] / total if total > 0 else 0.0
    for column in ("recency_days", "frequency", "monetary_mean"):
        if column in segmented.columns:
            means = pd.Series(validate.float_array(segmented[column],
                                                   f"segmented[{column!r}]"), index=seg)
            out[f"mean_{column}"] = means.groupby(level=0, observed=False).mean()
    out = out[["customers", "customer_share", "monetary_total", "revenue_share",
               *[c for c in out.columns if c.startswith("mean_")]]]
    out.index = pd.Index([str(i) for i in out.index], name="segment")
    return out


def score_crosstab(scores: pd.DataFrame, *, values: str = "monetary_mean",
                   rows: str = "r_score", columns: str = "f_score",
                   aggfunc: str = "mean") -> pd.DataFrame:
    """Cross-tabulate two scores (e.g. R × F) with ``aggfunc`` of ``values`` in each cell.

    The table behind an RFM heatmap; empty cells are NaN.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scored customers (e.g. from ``score``); not modified.
    values : str, default "monetary_mean"
        The column summarised in each cell.
    rows, columns : str, default "r_score", "f_score"
        The two score columns.
    aggfunc : {"mean", "median", "sum", "count"}, default "mean"

    Returns
    -------
    pandas.DataFrame
        Rows = values of ``rows``, columns = values of ``columns``.

    Raises
    ------
    TypeError
        Not a DataFrame, non-text column names, text in ``values``.
    ValueError
        Missing columns, NaN/inf values, an unknown ``aggfunc``.

    Examples
    --------
    >>> s = pd.DataFrame({"r_score": [1, 1, 2], "f_score": [1, 1, 2],
    ...                   "monetary_mean": [2., 4., 9.]})
    >>> score_crosstab(s).to_numpy().tolist()
    [[3.0, nan], [nan, 9.0]]
    """
    for what, column in (("values", values), ("rows", rows), ("columns", columns)):
        validate.name(column, what)
    validate.frame(scores, "scores", columns=[values, rows, columns])
    validate.choice(aggfunc, "aggfunc", ("mean", "median", "sum", "count"))
    cells = pd.DataFrame({
        "row": validate.float_array(scores[rows], f"scores[{rows!r}]"),
        "column": validate.float_array(scores[columns], f"scores[{columns!r}]"),
        "value": validate.float_array(scores[values], f"scores[{values!r}]"),
    })
    for key in ("row", "column"):
        if (cells[key] == cells[key].round()).all():
            cells[key] = cells[key].astype(np.int64)
    out = cells.pivot_table(index="row", columns="column", values="value", aggfunc=aggfunc)
    out.index.name, out.columns.name = rows, columns
    return out
