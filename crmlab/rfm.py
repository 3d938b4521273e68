"""RFM analysis: recency, frequency, monetary value from raw transactions.

Steps, each a function returning a tidy frame:

1. ``summary`` — raw transactions -> one row per customer: ``recency_days``,
   ``recency_months``, ``frequency``, ``monetary_total``, ``monetary_mean``.
2. ``score`` — 1..k points per dimension, by a **preset** of the lecture slide
   (``"car_dealer"``, ``"pharmacy"``), by custom **thresholds** (``rule``), or by
   **quantiles** (3, 5 or 7 points: the seed names 三分制, 五分制, 七分制).
3. ``segments`` — high/low R, F, M -> the eight RFM segments (重要价值客户 …
   一般挽留客户) with a strategy for each (``SEGMENTS``, ``strategy_table``);
   ``segment_summary`` gives sizes and revenue shares.

Definitions (seed 002): recency 光顾间歇 = time since the last purchase (shorter
is better); frequency 光顾频率 = number of purchase occasions in a period (more is
better); monetary 消费额 = the *average* spend per purchase (more is better).

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
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab import glossary

DAYS_PER_MONTH = 365.25 / 12
SUMMARY_COLUMNS = ("first_purchase", "last_purchase", "recency_days", "recency_months",
                   "frequency", "monetary_total", "monetary_mean")


# --- 1. summary -----------------------------------------------------------------

def _timestamp(value: Any, name: str) -> pd.Timestamp:
    if isinstance(value, bool) or value is None:
        raise TypeError(f"{name}={value!r} is invalid: expected a date such as '1998-07-01'")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is invalid: expected a date such as "
                         f"'1998-07-01'") from None
    if pd.isna(stamp):
        raise ValueError(f"{name}={value!r} is invalid: expected a date, not a missing value")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp


def _day_numbers(dates: pd.Series, name: str) -> np.ndarray:
    """Calendar day of each row as int64 days since 1970-01-01; errors name the rows."""
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(dates.dtype):
        parsed = dates
        bad = parsed.isna()
    else:
        if pd.api.types.is_numeric_dtype(dates.dtype) or pd.api.types.is_bool_dtype(
                dates.dtype):
            raise TypeError(f"{name} has dtype {dates.dtype}: expected dates (datetime64 "
                            f"or text such as '1998-07-01')")
        parsed = pd.to_datetime(dates, errors="coerce", format="mixed")
        bad = parsed.isna()
    if bad.any():
        rows = list(dates.index[bad.to_numpy()][:5])
        values = dates[bad].head(3).tolist()
        raise ValueError(f"{name} has {int(bad.sum())} missing or unparseable date(s) at "
                         f"rows {rows} (values {values}): expected dates such as '1998-07-01'")
    return parsed.to_numpy().astype("datetime64[D]").view(np.int64)


def _amounts(values: pd.Series, name: str) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(
            values.dtype):
        raise TypeError(f"{name} has dtype {values.dtype}: expected numbers (money amounts)")
    array = values.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(array)
    if bad.any():
        rows = list(values.index[bad][:5])
        raise ValueError(f"{name} has {int(bad.sum())} NaN or infinite amount(s) at rows "
                         f"{rows}: fill or drop them before computing RFM")
    negative = array < 0
    if negative.any():
        rows = list(values.index[negative][:5])
        raise ValueError(f"{name} has {int(negative.sum())} negative amount(s) at rows "
                         f"{rows}: expected amounts >= 0 (net returns against their "
                         f"purchases first)")
    return array


def _customer_codes(ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..u-1 in sorted customer order, and the sorted unique customers."""
    values = ids.to_numpy()
    if values.dtype.kind in "iu" and values.size:
        low, high = int(values.min()), int(values.max())
        width = high - low + 1
        if width <= max(4 * values.size, 1 << 20):  # compact ids: O(n), no hashing
            offset = (values - low).astype(np.int64, copy=False)
            present = np.bincount(offset, minlength=width) > 0
            remap = np.cumsum(present) - 1
            uniques = (np.flatnonzero(present) + low).astype(values.dtype)
            return remap[offset].astype(np.int64, copy=False), uniques
    codes, uniques = pd.factorize(ids, sort=True)
    return codes.astype(np.int64), np.asarray(uniques)


def summary(data: pd.DataFrame, *, customer: str = "customer_id", date: str = "date",
            amount: str = "amount", as_of: Any, frequency_months: int | None = None,
            drop_future: bool = False) -> pd.DataFrame:
    """One row per customer: recency, frequency and monetary value as of ``as_of``.

    Parameters
    ----------
    data : transactions, one row per purchase line (not modified).
    customer, date, amount : column names in ``data``.
    as_of : the analysis date ("today"); recency is counted in days up to it.
    frequency_months : count ``frequency`` only over the last so many months
        (occasions after ``as_of - frequency_months`` months, up to ``as_of``), as
        the seed's presets do ("在过去60个月里"); ``None`` counts all occasions.
        Recency and monetary value always use every purchase up to ``as_of``.
    drop_future : transactions dated after ``as_of`` raise ``ValueError`` unless
        this is True, in which case they are left out.

    Returns
    -------
    DataFrame sorted by customer: ``<customer>``, ``first_purchase``,
    ``last_purchase``, ``recency_days`` (days from the last purchase to
    ``as_of``), ``recency_months`` (= days / 30.4375), ``frequency`` (purchase
    occasions = distinct purchase days), ``monetary_total`` (sum of amounts)
    and ``monetary_mean`` (average spend per occasion = total / occasions).

    >>> tx = pd.DataFrame({"c": ["a", "a", "a"], "d": ["2024-05-01", "2024-05-01", "2024-05-20"],
    ...                    "x": [10.0, 5.0, 15.0]})
    >>> summary(tx, customer="c", date="d", amount="x", as_of="2024-06-01")[
    ...     ["frequency", "monetary_total", "monetary_mean"]].values.tolist()
    [[2.0, 30.0, 15.0]]
    """
    validate.frame(data, "data", columns=[customer, date, amount])
    if len({customer, date, amount}) < 3:
        raise ValueError(f"customer={customer!r}, date={date!r} and amount={amount!r} must "
                         f"name three different columns")
    stamp = _timestamp(as_of, "as_of")
    as_of_day = int(np.datetime64(stamp.normalize().to_datetime64(), "D").astype(np.int64))
    if frequency_months is not None:
        frequency_months = validate.integer(frequency_months, "frequency_months", minimum=1)
    if not isinstance(drop_future, bool):
        raise TypeError(f"drop_future={drop_future!r} is invalid: expected True or False")

    ids = data[customer]
    validate.no_missing(ids, f"data[{customer!r}]")
    days = _day_numbers(data[date], f"data[{date!r}]")
    money = _amounts(data[amount], f"data[{amount!r}]")

    future = days > as_of_day
    if future.any():
        if not drop_future:
            rows = list(data.index[future][:5])
            raise ValueError(
                f"data[{date!r}] has {int(future.sum())} transaction(s) after "
                f"as_of={stamp.date()} at rows {rows}: choose a later as_of, or pass "
                f"drop_future=True to leave them out")
        keep = ~future
        if not keep.any():
            raise ValueError(f"every transaction is after as_of={stamp.date()}: nothing "
                             f"left to summarise")
        ids, days, money = ids[keep], days[keep], money[keep]

    codes, uniques = _customer_codes(ids)
    n_customers = len(uniques)
    first_day = int(days.min())
    span = int(days.max()) - first_day + 1
    total = np.bincount(codes, weights=money, minlength=n_customers)
    del money
    # One key per (customer, day); sorted, equal neighbours = one purchase occasion.
    # Built in place in the (private) codes buffer to keep peak memory low.
    key = codes
    key *= span
    key += days
    key -= first_day
    del codes, days
    if key.size > 1 and not (key[1:] >= key[:-1]).all():
        key.sort()
    distinct = np.empty(key.size, dtype=bool)
    distinct[0] = True
    np.not_equal(key[1:], key[:-1], out=distinct[1:])
    occasion_keys = key[distinct]
    del key, distinct
    occasion_customer = occasion_keys // span
    occasion_day = occasion_keys  # reuse the buffer: key -> day number
    occasion_day %= span
    occasion_day += first_day
    del occasion_keys
    # Occasions are sorted by customer, then day: a customer's first and last
    # occasions open and close its run.
    boundary = np.flatnonzero(occasion_customer[1:] != occasion_customer[:-1])
    first = occasion_day[np.concatenate(([0], boundary + 1))]
    last = occasion_day[np.concatenate((boundary, [occasion_day.size - 1]))]

    occasions = np.bincount(occasion_customer, minlength=n_customers)
    if frequency_months is None:
        frequency = occasions
    else:
        start = (stamp.normalize() - pd.DateOffset(months=frequency_months)).to_datetime64()
        start_day = int(np.datetime64(start, "D").astype(np.int64))
        in_window = occasion_day > start_day
        frequency = np.bincount(occasion_customer[in_window], minlength=n_customers)

    recency = as_of_day - last
    out = pd.DataFrame({
        customer: uniques,
        "first_purchase": first.astype("datetime64[D]").astype("datetime64[ns]"),
        "last_purchase": last.astype("datetime64[D]").astype("datetime64[ns]"),
        "recency_days": recency,
        "recency_months": recency / DAYS_PER_MONTH,
        "frequency": frequency.astype(np.int64),
        "monetary_total": total,
        "monetary_mean": total / occasions,
    }, copy=False)  # fresh arrays: no need to copy them into one block
    out.attrs["as_of"] = str(stamp.date())
    out.attrs["frequency_months"] = frequency_months
    return out


# --- 2. scoring ------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """Thresholds that turn one column into scores 1..len(edges)+1.

    ``edges`` are ascending cut points. ``edge_goes_up[i]`` says where a value
    exactly equal to ``edges[i]`` goes: True -> the bin of larger values
    ("from 200 000 on"), False -> the bin of smaller values ("up to 12 months").
    ``higher_is_better``: larger values get higher scores (False for recency).
    ``seed_text`` (optional) is the wording of the lecture slide, one per score.
    """

    column: str
    edges: tuple[float, ...]
    edge_goes_up: tuple[bool, ...]
    higher_is_better: bool = True
    unit: str = ""
    seed_text: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        edges = tuple(validate.float_array(list(self.edges), f"{self.column} edges").tolist())
        if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise ValueError(f"edges={list(self.edges)} is invalid: expected strictly "
                             f"increasing cut points")
        if len(self.edge_goes_up) != len(edges):
            raise ValueError(f"edge_goes_up has {len(self.edge_goes_up)} entries: expected "
                             f"one per edge ({len(edges)})")
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "edge_goes_up", tuple(bool(b) for b in self.edge_goes_up))

    @property
    def points(self) -> int:
        return len(self.edges) + 1

    def apply(self, values: Any) -> np.ndarray:
        """Scores (int, 1..points) for ``values`` (vectorised)."""
        x = validate.float_array(values, self.column, allow_empty=True)
        passed = np.zeros(x.shape, dtype=np.int64)
        for edge, up in zip(self.edges, self.edge_goes_up, strict=True):
            passed += (x >= edge) if up else (x > edge)
        return passed + 1 if self.higher_is_better else self.points - passed

    def intervals(self, symbol: str = "x") -> list[str]:
        """The interval of each score 1..points as text, e.g. ``'12 < R ≤ 48'``."""
        bins = []
        for j in range(self.points):
            lower = upper = ""
            if j > 0:
                up = self.edge_goes_up[j - 1]
                lower = f"{self.edges[j - 1]:,g} {'≤' if up else '<'} "
            if j < len(self.edges):
                upper = f" {'<' if self.edge_goes_up[j] else '≤'} {self.edges[j]:,g}"
            if lower and not upper:  # open-ended top bin reads better as "x > a"
                up = self.edge_goes_up[j - 1]
                bins.append(f"{symbol} {'≥' if up else '>'} {self.edges[j - 1]:,g}")
            else:
                bins.append(f"{lower}{symbol}{upper}")
        return bins if self.higher_is_better else bins[::-1]


def rule(column: str, edges: Sequence[float], *, higher_is_better: bool = True,
         edge_goes_up: bool | Sequence[bool] = True, unit: str = "") -> Rule:
    """Custom thresholds for one column (see ``Rule``).

    >>> rule("recency_days", [30, 90], higher_is_better=False, edge_goes_up=False).apply(
    ...     [10, 30, 31, 90, 200]).tolist()
    [3, 3, 2, 2, 1]
    """
    if not isinstance(column, str):
        raise TypeError(f"column={column!r} is invalid: expected a column name")
    edges = tuple(validate.float_array(edges, "edges").tolist())
    ups = (edge_goes_up,) * len(edges) if isinstance(edge_goes_up, bool) else tuple(edge_goes_up)
    return Rule(column, edges, ups, higher_is_better, unit)


@dataclass(frozen=True)
class Preset:
    """A scoring table of the lecture slide: one Rule per dimension."""

    name: str
    title: str
    recency: Rule
    frequency: Rule
    monetary: Rule
    frequency_months: int
    currency: str = "元"
    rules: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", {"r": self.recency, "f": self.frequency,
                                           "m": self.monetary})


#: The two 3-point tables of seed 002 (RFM法), read as stated in ``preset_table``.
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
    """``PRESETS[name]`` with a clear error for unknown names."""
    if isinstance(preset, Preset):
        return preset
    validate.choice(preset, "preset", PRESETS)
    return PRESETS[preset]


def preset_table(preset: str | Preset, lang: Literal["zh", "en"] = "zh") -> pd.DataFrame:
    """The preset as the slide's table: R/F/M rows, scores 1..3 as columns.

    Each cell shows the slide's wording (``seed_text``) and, on a second line of
    the frame (``kind="rule"``), the interval crmlab applies.

    >>> preset_table("pharmacy").loc[("光顾间歇 R", "crmlab 区间")].tolist()
    ['R > 9', '3 < R ≤ 9', 'R ≤ 3']
    """
    p = get_preset(preset)
    validate.choice(lang, "lang", ("zh", "en"))
    names = {"zh": {"r": "光顾间歇 R", "f": "光顾频率 F", "m": "消费额 M"},
             "en": {"r": "Recency R", "f": "Frequency F", "m": "Monetary M"}}[lang]
    kinds = {"zh": ("教材原文", "crmlab 区间"), "en": ("seed text", "crmlab interval")}[lang]
    rows, index = [], []
    for key, r in p.rules.items():
        texts = list(r.seed_text) if r.seed_text else [""] * r.points
        rows.append(texts)
        index.append((names[key], kinds[0]))
        rows.append(r.intervals(key.upper()))
        index.append((names[key], kinds[1]))
    points = p.recency.points
    columns = [f"{k}分" if lang == "zh" else f"{k} pt" for k in range(1, points + 1)]
    return pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index), columns=columns)


def _quantile_scores(values: pd.Series, points: int, higher_is_better: bool) -> np.ndarray:
    # p = share of customers with a strictly worse value. Tied values share p,
    # hence one score (deterministic, independent of row order); the worst value
    # always scores 1.
    x = values if higher_is_better else -values
    beaten = (x.rank(method="min").to_numpy() - 1) / len(x)
    return np.minimum(np.floor(beaten * points).astype(np.int64) + 1, points)


DEFAULT_COLUMNS = {"r": "recency_days", "f": "frequency", "m": "monetary_mean"}


def score(summary: pd.DataFrame, *, preset: str | Preset | None = None,
          rules: Mapping[str, Rule] | None = None, points: int | None = None,
          columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Add ``r_score``, ``f_score``, ``m_score``, ``rfm_code`` and ``rfm_total``.

    Give exactly one of:

    * ``preset`` — ``"car_dealer"`` or ``"pharmacy"`` (the slide's 3-point tables);
      needs ``recency_months``, ``frequency``, ``monetary_mean``. A frame made by
      ``rfm.summary`` must have been made with the preset's frequency window
      (``frequency_months=60`` or ``12``), otherwise ``ValueError``; a frame
      typed by hand is taken as it is.
    * ``rules`` — ``{"r": Rule, "f": Rule, "m": Rule}`` (see ``rule``).
    * ``points`` — 3, 5 or 7: quantile scores. ``p`` = the share of customers with a
      strictly worse value (``(rank_min - 1) / n``); the score is
      ``floor(p * points) + 1``. Tied values share ``p`` and so always get the
      same score, whatever the row order; the worst value always scores 1; with
      many ties (e.g. half the customers bought once) some scores stay empty.
      Shorter recency is better. ``columns`` overrides the default columns
      ``{"r": "recency_days", "f": "frequency", "m": "monetary_mean"}``.

    Returns a copy of ``summary`` with the score columns added.

    >>> s = pd.DataFrame({"recency_months": [6, 30, 60], "frequency": [3, 2, 1],
    ...                   "monetary_mean": [450_000, 200_000, 150_000]})
    >>> score(s, preset="car_dealer")["rfm_code"].tolist()
    ['333', '222', '111']
    """
    validate.frame(summary, "summary")
    given = [x is not None for x in (preset, rules, points)]
    if sum(given) != 1:
        raise ValueError("give exactly one of preset=..., rules=... or points=... "
                         f"(got {sum(given)})")
    out = summary.copy()
    if preset is not None:
        p = get_preset(preset)
        window = summary.attrs.get("frequency_months", p.frequency_months)
        if window != p.frequency_months:
            raise ValueError(
                f"preset={p.name!r} counts frequency over {p.frequency_months} months, but "
                f"summary was made with frequency_months={window}: call "
                f"rfm.summary(..., frequency_months={p.frequency_months})")
        rules = p.rules
    if rules is not None:
        if not isinstance(rules, Mapping) or set(rules) != {"r", "f", "m"} or not all(
                isinstance(r, Rule) for r in rules.values()):
            raise TypeError(f"rules={rules!r} is invalid: expected "
                            "{'r': Rule, 'f': Rule, 'm': Rule} (make them with rfm.rule)")
        validate.frame(summary, "summary", columns=[r.column for r in rules.values()])
        for key in "rfm":
            r = rules[key]
            out[f"{key}_score"] = r.apply(summary[r.column].to_numpy(dtype=float,
                                                                     na_value=np.nan))
    else:
        points = validate.integer(points, "points")
        validate.choice(points, "points", (3, 5, 7))
        cols = dict(DEFAULT_COLUMNS)
        if columns is not None:
            if not isinstance(columns, Mapping) or not set(columns) <= set(cols):
                raise ValueError(f"columns={columns!r} is invalid: expected a mapping with "
                                 f"keys among {list(cols)}")
            cols.update(columns)
        validate.frame(summary, "summary", columns=list(cols.values()))
        for key in "rfm":
            values = summary[cols[key]]
            validate.float_array(values, f"summary[{cols[key]!r}]")
            out[f"{key}_score"] = _quantile_scores(values.astype(float), points,
                                                   higher_is_better=(key != "r"))
    out["rfm_code"] = (out["r_score"].astype(str) + out["f_score"].astype(str)
                       + out["m_score"].astype(str))
    out["rfm_total"] = out["r_score"] + out["f_score"] + out["m_score"]
    return out


# --- 3. segments ------------------------------------------------------------------

#: The eight RFM segments (seed 004) in the slide's order, with a strategy each.
SEGMENTS = pd.DataFrame([
    ("important_value", True, True, True, "重要价值客户", "Important value",
     "重点维护：VIP 专属服务、新品优先体验、个性化推荐；不必靠打折留住",
     "Keep and reward: VIP service, early access, personal offers; avoid needless discounts"),
    ("important_development", True, False, True, "重要发展客户", "Important to develop",
     "提高购买频次：会员积分、交叉销售、复购提醒与套餐",
     "Raise frequency: loyalty points, cross-selling, repeat-purchase reminders"),
    ("important_retention", False, True, True, "重要保持客户", "Important to retain",
     "主动联系：客户经理回访、关怀活动，找出最近不来的原因",
     "Reach out: account-manager call, care programme, find out why they went quiet"),
    ("important_winback", False, False, True, "重要挽留客户", "Important to win back",
     "重点挽留：专属优惠、流失原因调研，挽回成本不超过其价值",
     "Win back: tailored offer, churn-reason survey, spend less than they are worth"),
    ("general_value", True, True, False, "一般价值客户", "General value",
     "提升客单价：向上销售、组合装、满额优惠",
     "Raise basket size: up-selling, bundles, spend-more thresholds"),
    ("general_development", True, False, False, "一般发展客户", "General to develop",
     "培育：新客引导、低成本自动化营销，观察其成长",
     "Nurture: onboarding, low-cost automated marketing, watch for growth"),
    ("general_retention", False, True, False, "一般保持客户", "General to retain",
     "低成本唤醒：短信、邮件、推送提醒",
     "Low-cost reactivation: SMS, e-mail, push reminders"),
    ("general_winback", False, False, False, "一般挽留客户", "General win-back",
     "最少投入：批量自动化触达，必要时放弃",
     "Minimal spend: batch automated contact, or let go"),
], columns=["segment", "r_high", "f_high", "m_high", "name_zh", "name_en",
            "strategy_zh", "strategy_en"])

SEGMENT_ORDER = tuple(SEGMENTS["segment"])


def segment_names(lang: Literal["zh", "en"] = "zh") -> dict[str, str]:
    """Segment code -> display name, e.g. ``'important_value' -> '重要价值客户'``.

    >>> segment_names("en")["general_winback"]
    'General win-back'
    """
    validate.choice(lang, "lang", ("zh", "en"))
    return dict(zip(SEGMENTS["segment"], SEGMENTS[f"name_{lang}"], strict=True))


def strategy_table(lang: Literal["zh", "en"] = "zh") -> pd.DataFrame:
    """Each segment's R/F/M pattern (高/低) and recommended strategy.

    >>> strategy_table("zh").iloc[0, :3].tolist()
    ['高', '高', '高']
    """
    validate.choice(lang, "lang", ("zh", "en"))
    hi, lo = ("高", "低") if lang == "zh" else ("high", "low")
    out = pd.DataFrame({
        glossary.label("r_level", lang): np.where(SEGMENTS["r_high"], hi, lo),
        glossary.label("f_level", lang): np.where(SEGMENTS["f_high"], hi, lo),
        glossary.label("m_level", lang): np.where(SEGMENTS["m_high"], hi, lo),
        glossary.label("strategy", lang): SEGMENTS[f"strategy_{lang}"].to_numpy(),
    }, index=SEGMENTS[f"name_{lang}"].to_numpy())
    out.index.name = glossary.label("segment", lang)
    return out


def segments(scores: pd.DataFrame, *, reference: str | Mapping[str, float] = "mean",
             lang: Literal["zh", "en"] = "zh") -> pd.DataFrame:
    """High/low R, F, M and the eight segments.

    A dimension is **high** when its score is strictly above the reference:
    ``"mean"`` (default: the average score of these customers), ``"median"``,
    or a mapping ``{"r": 2, "f": 2, "m": 2}`` of fixed reference scores.
    Adds ``r_high``, ``f_high``, ``m_high`` (bool), ``segment`` (an English code,
    ordered categorical) and ``segment_name`` (in ``lang``) to a copy of ``scores``.

    >>> s = pd.DataFrame({"r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1]})
    >>> segments(s)["segment_name"].tolist()
    ['重要价值客户', '一般挽留客户']
    """
    validate.frame(scores, "scores", columns=["r_score", "f_score", "m_score"])
    validate.choice(lang, "lang", ("zh", "en"))
    out = scores.copy()
    for key in "rfm":
        values = validate.float_array(scores[f"{key}_score"], f"scores['{key}_score']")
        if isinstance(reference, Mapping):
            if set(reference) != {"r", "f", "m"}:
                raise ValueError(f"reference={dict(reference)!r} is invalid: expected keys "
                                 f"'r', 'f', 'm'")
            ref = validate.number(reference[key], f"reference[{key!r}]")
        else:
            validate.choice(reference, "reference", ("mean", "median"))
            ref = float(np.mean(values) if reference == "mean" else np.median(values))
        out[f"{key}_high"] = values > ref
    table = SEGMENTS.set_index(["r_high", "f_high", "m_high"])["segment"]
    codes = table.reindex(pd.MultiIndex.from_frame(out[["r_high", "f_high", "m_high"]]))
    out["segment"] = pd.Categorical(codes.to_numpy(), categories=SEGMENT_ORDER, ordered=True)
    out["segment_name"] = out["segment"].map(segment_names(lang)).astype(str)
    return out


def segment_summary(segmented: pd.DataFrame, *, revenue: str = "monetary_total",
                    lang: Literal["zh", "en"] | None = None) -> pd.DataFrame:
    """Size and revenue of each of the eight segments (all eight, even if empty).

    Columns: ``customers``, ``customer_share``, ``monetary_total`` (the segment's
    spend, i.e. revenue), ``revenue_share`` and the mean ``recency_days``,
    ``frequency``, ``monetary_mean`` where present.
    Indexed by segment code, or by its name in ``lang`` if given.

    >>> s = pd.DataFrame({"r_score": [3, 1], "f_score": [3, 1], "m_score": [3, 1],
    ...                   "monetary_total": [90.0, 10.0]})
    >>> float(segment_summary(segments(s)).loc["important_value", "revenue_share"])
    0.9
    """
    validate.frame(segmented, "segmented", columns=["segment", revenue])
    money = validate.float_array(segmented[revenue], f"segmented[{revenue!r}]")
    seg = pd.Categorical(segmented["segment"], categories=SEGMENT_ORDER)
    frame = pd.DataFrame({"segment": seg, "monetary_total": money})
    grouped = frame.groupby("segment", observed=False)
    out = pd.DataFrame({"customers": grouped.size(),
                        "monetary_total": grouped["monetary_total"].sum()})
    out["customer_share"] = out["customers"] / out["customers"].sum()
    out["revenue_share"] = out["monetary_total"] / out["monetary_total"].sum()
    for column in ("recency_days", "frequency", "monetary_mean"):
        if column in segmented.columns:
            means = pd.Series(segmented[column].to_numpy(dtype=float), index=seg)
            out[f"mean_{column}"] = means.groupby(level=0, observed=False).mean()
    out = out[["customers", "customer_share", "monetary_total", "revenue_share",
               *[c for c in out.columns if c.startswith("mean_")]]]
    out.index = pd.Index([str(i) for i in out.index], name="segment")
    if lang is not None:
        out.index = out.index.map(segment_names(lang))
        out.index.name = glossary.label("segment", lang)
    return out


def grid(scores: pd.DataFrame, *, values: str = "monetary_mean", rows: str = "r_score",
         columns: str = "f_score", aggfunc: str = "mean") -> pd.DataFrame:
    """A score-by-score table (e.g. R × F) of ``aggfunc`` of ``values``, for heatmaps.

    >>> s = pd.DataFrame({"r_score": [1, 1, 2], "f_score": [1, 1, 2],
    ...                   "monetary_mean": [2., 4., 9.]})
    >>> grid(s).to_numpy().tolist()
    [[3.0, nan], [nan, 9.0]]
    """
    validate.frame(scores, "scores", columns=[values, rows, columns])
    validate.choice(aggfunc, "aggfunc", ("mean", "median", "sum", "count"))
    out = scores.pivot_table(index=rows, columns=columns, values=values, aggfunc=aggfunc,
                             observed=False)
    return out
