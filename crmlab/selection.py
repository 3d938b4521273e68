"""Customer selection: a weighted screening scorecard, segment attractiveness × fit, checks.

* **Screening scorecard** (客户的筛选): the lecture weighs customers on five
  dimensions — 购买额 (purchases), 收益性 (gross-margin contribution), 安全性
  (are invoices paid in full), 未来性 (prospects), 合作性 (cooperation).
  ``screening_dimensions`` derives them from a customer table; ``scorecard``
  normalises any criteria (min–max, rank or z), weighs them, ranks customers;
  ``select`` cuts the ranking by top k or a score threshold;
  ``weight_sensitivity`` shows how much the ranking moves when a weight changes.
* **Attractiveness × fit** (吸引力 × 匹配程度): the lecture's two factor lists
  (``ATTRACTIVENESS_FACTORS``, ``FIT_FACTORS``) as presets; ``attractiveness_fit``
  weighs each segment's ratings and places it in one of four regions.
* **Big ≠ good** (大客户不等于好客户): ``size_vs_profit`` crosses size with
  profitability; ``elastic_checklist`` applies the three preconditions under
  which an unprofitable (elastic, 弹性) customer is worth keeping.

The lecture prints no weights, ratings or cut-offs: every number used with these
functions in the course is an illustration (本课程补充), and the functions take
them as arguments.

>>> import pandas as pd
>>> data = pd.DataFrame({"customer_id": ["a", "b", "c"], "sales": [10, 30, 20],
...                      "days_to_pay": [30, 90, 45]})
>>> card = scorecard(data, {"sales": 0.5, "days_to_pay": 0.5},
...                  direction={"days_to_pay": "lower"})
>>> card["customer_id"].tolist(), card["total_score"].round(3).tolist()
(['c', 'a', 'b'], [0.625, 0.5, 0.5])
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab import pareto

__all__ = [
    "ATTRACTIVENESS_FACTORS",
    "DIMENSIONS",
    "ELASTIC_PRECONDITIONS",
    "FIT_FACTORS",
    "attractiveness_fit",
    "elastic_checklist",
    "normalize",
    "scorecard",
    "screening_dimensions",
    "select",
    "size_vs_profit",
    "validate_weights",
    "weight_sensitivity",
]

Method = Literal["minmax", "rank", "z"]
METHODS = ("minmax", "rank", "z")

#: the five screening dimensions of the lecture (客户的筛选): code -> (中文, what it measures)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "purchase": ("购买额", "客户全年的购买额"),
    "profitability": ("收益性", "客户毛利贡献额的大小"),
    "safety": ("安全性", "销售货款是否足额回收"),
    "future": ("未来性", "客户的未来发展前途"),
    "cooperation": ("合作性", "客户的合作态度"),
}

#: 吸引力评价因子 of the lecture 《客户组合分析》, in its order. Ratings are read as
#: *favourability* for the company (本课程的解读): e.g. 竞争者实力 scores high when
#: competitors are weak, 风险 scores high when the risk is low.
ATTRACTIVENESS_FACTORS: dict[str, str] = {
    "market_size": "市场规模",
    "market_growth": "市场增长率",
    "competitor_strength": "竞争者实力",
    "satisfaction_with_current_products": "消费者对现有产品的满意度",
    "ability_to_pay": "消费者的支付能力",
    "stability": "市场的稳定性和可预测性",
    "risk": "风险",
    "other": "其他",
}

#: 匹配程度评价因子 of the same lecture, in its order (ratings as favourability:
#: 需要的投资额 and 成本 score high when they are low).
FIT_FACTORS: dict[str, str] = {
    "image_fit": "与公司形象的适应性",
    "goal_fit": "与公司目标的匹配程度",
    "resource_fit": "与公司资源的匹配程度",
    "channel_access": "分销渠道的可获得性",
    "investment_needed": "需要的投资额",
    "cost": "成本",
    "sustainable_advantage": "获得持续竞争优势可能性",
    "communication_reach": "营销沟通的可达性",
}

#: the three preconditions for keeping unprofitable (elastic) customers, in the
#: order of the lecture article on elastic customers (弹性客户)
ELASTIC_PRECONDITIONS: dict[str, tuple[str, str]] = {
    "value_outweighs_cash_drain": (
        "隐性价值大于显性亏损：客户没有造成影响日常经营的大量现金净流出",
        "hidden value outweighs the visible loss: no large net cash outflow"),
    "within_service_capacity": (
        "在企业服务能力允许的范围内（服务能力有限时先保证带来净现金流入的客户）",
        "within the company's service capacity"),
    "financially_sound": (
        "客户财务状况良好（赊账供货，需防范坏账）",
        "the customer is financially sound (goods are sold on credit)"),
}

#: region codes of the attractiveness × fit chart (labels in crmlab.glossary.VALUES)
REGIONS = ("enter", "build_fit", "selective", "avoid")


# --- small checks -------------------------------------------------------------------

def _names(**columns: Any) -> None:
    """Check column-name arguments (``customer=None`` is named as such, not as a column)."""
    for argument, column in columns.items():
        validate.name(column, argument)


def _numeric(values: Any, name: str) -> np.ndarray:
    if getattr(values, "dtype", np.dtype(float)).kind in "mM":  # float_array would take them
        raise validate.BilingualTypeError(
            f"{name} 的类型是 {values.dtype}：应为数字（日期不能直接评分，请先换算成天数等）",
            f"{name} has dtype {values.dtype}: expected numbers (convert dates to days first)")
    # values beyond 10^15 are typing slips, and their spread or sum would overflow to inf
    return validate.float_array(values, name, maximum_abs=validate.MONEY_MAX)


def validate_weights(weights: Any, *, name: str = "weights") -> tuple[pd.Series, str | None]:
    """Check weights and rescale them to sum to 1; return them and a note if rescaled.

    Weights must be finite and non-negative with at least one positive. If they do
    not add up to 1 (e.g. percentages 30/30/20/10/10), they are divided by their
    sum and the note says so.

    Parameters
    ----------
    weights : mapping or Series
        Criterion -> weight (non-negative numbers, at least one positive).
    name : str, default "weights"
        The argument name used in error messages.

    Returns
    -------
    weights : Series
        The weights as floats, rescaled to sum to 1.
    note : str or None
        A Chinese-first note when the weights were rescaled, else ``None``.

    Raises
    ------
    TypeError
        ``weights`` is not a mapping, or a weight is not a number.
    ValueError
        No weights, a weight negative, NaN, infinite or above 10^15, or all weights 0;
        a Series with repeated labels.

    Examples
    --------
    >>> w, note = validate_weights({"a": 30, "b": 70})
    >>> w.tolist(), note is not None
    ([0.3, 0.7], True)
    """
    validate.name(name, "name")
    items = validate.mapping(weights, name, label="权重",
                             example="{'sales': 0.3, 'gross_profit': 0.7}")
    values = {}
    for key, value in items.items():
        validate.name(key, f"{name} key", label="权重的指标名")  # criteria are column names
        # above 10^15 their sum would overflow and every weight become 0
        values[key] = validate.number(value, f"{name}[{key!r}]", minimum=0,
                                      maximum=validate.MONEY_MAX, label="权重")
    total = sum(values.values())
    if total <= 0:
        raise validate.BilingualValueError(
            f"权重 {name}={validate.show(items)} 全为 0：至少一个指标的权重应大于 0",
            f"{name}={validate.show(items)} are all 0: expected at least one positive weight")
    series = pd.Series(values, dtype=float)
    note = None
    if abs(total - 1.0) > 1e-9:
        series = series / total
        note = (f"权重合计为 {total:g}，已按比例换算为合计 1："
                + "，".join(f"{k} {v:.3g}" for k, v in series.items())
                + f"。weights added up to {total:g} and were rescaled to sum to 1")
    return series, note


def normalize(values: Any, method: Method = "minmax", *,
              higher_is_better: bool = True) -> np.ndarray:
    """Put one criterion on a common scale; higher is always better afterwards.

    * ``"minmax"``: ``(x - min) / (max - min)`` in [0, 1]; if all values are equal,
      everyone gets 0.5.
    * ``"rank"``: percentile rank ``(r - 1) / (n - 1)`` in [0, 1], ties get their
      average rank (insensitive to outliers); one value gets 0.5.
    * ``"z"``: z-score ``(x - mean) / std`` (population std); all equal → 0.

    ``higher_is_better=False`` reverses the criterion (e.g. days to pay).

    Parameters
    ----------
    values : list, numpy array or Series of numbers
        One criterion, one value per customer (no missing values).
    method : {"minmax", "rank", "z"}, default "minmax"
        The scaling described above.
    higher_is_better : bool, default True
        ``False`` reverses the criterion before scaling.

    Returns
    -------
    numpy.ndarray
        The scaled values, in the input order.

    Raises
    ------
    TypeError
        ``values`` is text, ``None`` or a mapping, or holds text or booleans;
        ``higher_is_better`` is not True or False.
    ValueError
        Unknown ``method``; ``values`` empty, not one-dimensional, or holding
        missing/infinite values or values above 10^15 in size.

    Examples
    --------
    >>> normalize([10, 20, 40]).tolist()
    [0.0, 0.3333333333333333, 1.0]
    >>> normalize([10, 20, 40], "rank", higher_is_better=False).tolist()
    [1.0, 0.5, 0.0]
    """
    validate.choice(method, "method", METHODS, label="标准化方法")
    x = _numeric(values, "values")
    if not validate.flag(higher_is_better, "higher_is_better"):  # "False" is text, not False
        x = -x
    if method == "minmax":
        span = x.max() - x.min()
        return np.full(x.size, 0.5) if span == 0 else (x - x.min()) / span
    if method == "rank":
        if x.size == 1:
            return np.array([0.5])
        ranks = pd.Series(x).rank(method="average").to_numpy()
        return (ranks - 1) / (x.size - 1)
    std = x.std()
    return np.zeros(x.size) if std == 0 else (x - x.mean()) / std


def _directions(direction: Any, criteria: Sequence[str]) -> dict[str, bool]:
    direction = {} if direction is None else validate.mapping(
        direction, "direction", example="{'days_to_pay': 'lower'}", allow_empty=True)
    unknown = [k for k in direction if k not in criteria]
    if unknown:
        raise validate.BilingualValueError(
            f"direction={validate.show(direction)} 中的 {unknown} 不是权重里的指标：应为 "
            f"{list(criteria)} 中的指标",
            f"direction={validate.show(direction)} names unknown criteria {unknown}: expected "
            f"some of {list(criteria)}")
    return {key: validate.choice(direction.get(key, "higher"), f"direction[{key!r}]",
                                 ("higher", "lower")) == "higher" for key in criteria}


# --- the five screening dimensions ------------------------------------------------

def screening_dimensions(data: pd.DataFrame, *, customer: str = "customer_id") -> pd.DataFrame:
    """Compute the lecture's five screening dimensions from a customer table.

    ================  =================  =====================================
    column            dimension          from
    ================  =================  =====================================
    ``purchase``      购买额              ``sales`` (this year, 元)
    ``profitability`` 收益性              ``gross_profit`` (毛利贡献额, 元)
    ``safety``        安全性              ``collection_rate`` (share collected)
    ``future``        未来性              ``sales / sales_last_year - 1``
    ``cooperation``   合作性              ``cooperation`` (rating 1–5)
    ================  =================  =====================================

    The mapping of 未来性 to last year's growth and of 合作性 to a sales-team rating
    is the course's reading (本课程的解读) of the lecture's one-line definitions.

    Parameters
    ----------
    data : DataFrame
        One row per customer with ``customer``, ``sales``, ``gross_profit``,
        ``collection_rate``, ``sales_last_year`` and ``cooperation``.
    customer : str, default "customer_id"
        The customer id column.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer`` and the five dimensions, in the input order.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, a missing or repeated customer id, text
        or missing values, ``sales_last_year`` not positive, ``collection_rate``
        outside [0, 1] or ``cooperation`` outside [1, 5].

    Examples
    --------
    >>> from crmlab.synthetic import b2b_customers
    >>> list(screening_dimensions(b2b_customers()).columns)
    ['customer_id', 'purchase', 'profitability', 'safety', 'future', 'cooperation']
    """
    needed = [customer, "sales", "gross_profit", "collection_rate", "sales_last_year",
              "cooperation"]
    _names(customer=customer)
    validate.frame(data, "data", columns=needed)
    validate.unique_ids(data, customer)
    # last year's sales must be positive: growth against 0 or a loss is undefined
    last = _within(data, "sales_last_year", 0, validate.MONEY_MAX, "上年销售额，应为正数",
                   low_inclusive=False)
    sales = _numeric(data["sales"], "data['sales']")
    return pd.DataFrame({
        customer: data[customer].to_numpy(),
        "purchase": sales,
        "profitability": _numeric(data["gross_profit"], "data['gross_profit']"),
        "safety": _within(data, "collection_rate", 0, 1, "收回的比例，0 到 1（例如 0.8）"),
        "future": sales / last - 1.0,
        "cooperation": _within(data, "cooperation", 1, 5, "1 到 5 分的评分"),
    })


def _within(data: pd.DataFrame, column: str, low: float, high: float, zh: str, *,
            low_inclusive: bool = True) -> np.ndarray:
    values = _numeric(data[column], f"data[{column!r}]")
    bad = ((values < low) | (values == low) & (not low_inclusive)) | (values > high)
    if bad.any():  # a collection rate of 80 (per cent) or a rating of 9 is a slip
        where = validate.rows(data.index, bad, values)
        interval = f"{'[' if low_inclusive else '('}{low:g}, {high:g}]"
        raise validate.BilingualValueError(
            f"data[{column!r}] 超出范围，行 {where}：应为{zh}",
            f"data[{column!r}] is out of range at rows {where}: expected values in {interval}")
    return values


# --- scorecard ---------------------------------------------------------------------

def scorecard(data: pd.DataFrame, weights: Mapping[str, float], *,
              direction: Mapping[str, str] | None = None, method: Method = "minmax",
              customer: str = "customer_id") -> pd.DataFrame:
    r"""Weighted scorecard: normalise each criterion, weigh, add up, rank.

    .. math:: S_i = \sum_c w_c \, s_{ic}, \qquad \sum_c w_c = 1

    with :math:`s_{ic}` the normalised score of customer *i* on criterion *c*
    (``normalize``; criteria where lower is better are reversed first).

    Parameters
    ----------
    data : pandas.DataFrame
        A frame with ``customer`` and one numeric column per criterion.
    weights : mapping of str to float
        Criterion (column) -> weight. Non-negative; weights that do not add up to 1
        are rescaled, with a ``UserWarning`` and the note in
        ``result.attrs["weights_note"]``.
    direction : mapping of str to str, optional
        Criterion -> ``"higher"`` (default) or ``"lower"`` (better).
    method : {"minmax", "rank", "z"}
        How each criterion is normalised (default ``"minmax"``).
    customer : str, default "customer_id"
        The customer (or segment) id column.

    Returns
    -------
    pandas.DataFrame
        Sorted best first (ties keep the input order): ``customer``, one ``score_<criterion>`` per
        criterion, ``total_score`` and ``rank`` (1 = best). ``result.attrs["weights"]`` holds the
        weights used.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, unknown columns, a missing or repeated customer id, text or
        missing values in a criterion, negative or non-numeric weights, unknown
        method or direction.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2], "a": [1, 3], "b": [5, 5]})
    >>> scorecard(df, {"a": 0.5, "b": 0.5})["total_score"].tolist()
    [0.75, 0.25]
    """
    w, note = validate_weights(weights)
    criteria = list(w.index)
    _names(customer=customer)
    validate.frame(data, "data", columns=[customer])
    unknown = [c for c in criteria if c not in data.columns]
    if unknown:  # named as the weights' criteria, which is where they were typed
        has = list(map(str, data.columns))[:12]
        raise validate.BilingualValueError(
            f"weights 的指标 {unknown} 不是 data 的列（现有的列 {has}）：每个指标应为一列",
            f"weights name criteria {unknown} that are not columns of data (it has {has}): "
            f"expected one column per criterion")
    validate.unique_ids(data, customer)  # one rank per customer
    higher = _directions(direction, criteria)
    validate.choice(method, "method", METHODS, label="标准化方法")
    out = pd.DataFrame({customer: data[customer].to_numpy()})
    total = np.zeros(len(data))
    for criterion in criteria:
        values = _numeric(data[criterion], f"data[{criterion!r}]")
        score = normalize(values, method, higher_is_better=higher[criterion])
        out[f"score_{criterion}"] = score
        total += w[criterion] * score
    out["total_score"] = total
    order = np.argsort(-total, kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out.attrs["weights"] = w.to_dict()
    out.attrs["method"] = method
    if note:
        out.attrs["weights_note"] = note
        warnings.warn(note, UserWarning, stacklevel=2)
    return out


def select(card: pd.DataFrame, *, top: int | None = None,
           threshold: float | None = None) -> pd.DataFrame:
    """Cut a ranking: keep the ``top`` k customers, or those scoring at least ``threshold``.

    Parameters
    ----------
    card : DataFrame
        A ranking from ``scorecard`` (columns ``total_score`` and ``rank``).
    top : int, optional
        Keep the customers ranked 1 … ``top``.
    threshold : float, optional
        Keep the customers with ``total_score >= threshold``. Give exactly one of
        ``top`` and ``threshold``.

    Returns
    -------
    DataFrame
        A copy of ``card`` with a boolean column ``selected``.

    Raises
    ------
    TypeError, ValueError
        ``card`` is not a ranking; both or neither of ``top`` and ``threshold``;
        ``top`` not a whole number >= 0; ``threshold`` not a finite number.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2, 3], "a": [1, 3, 2]})
    >>> select(scorecard(df, {"a": 1}), top=2)["selected"].tolist()
    [True, True, False]
    """
    validate.frame(card, "card", columns=["total_score", "rank"])
    if (top is None) == (threshold is None):
        raise validate.BilingualValueError(
            f"top={validate.show(top)}, threshold={validate.show(threshold)}：请只给出 top"
            f"（前 k 名）或 threshold（分数门槛）中的一个",
            f"top={validate.show(top)}, threshold={validate.show(threshold)}: expected "
            f"exactly one of them")
    ranks = _numeric(card["rank"], "card['rank']")
    scores = _numeric(card["total_score"], "card['total_score']")
    out = card.copy()
    if top is not None:
        out["selected"] = ranks <= validate.integer(top, "top", minimum=0, label="保留名次")
    else:
        cut = validate.number(threshold, "threshold", label="分数门槛")
        # total_score is a weighted float sum: equal to the threshold up to rounding counts
        out["selected"] = scores >= cut - 1e-9 * max(1.0, abs(cut))
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = pd.Series(a).rank().to_numpy()
    rb = pd.Series(b).rank().to_numpy()
    if ra.std() == 0 or rb.std() == 0:
        return 1.0
    return float(np.corrcoef(ra, rb)[0, 1])


def weight_sensitivity(data: pd.DataFrame, weights: Mapping[str, float], *,
                       change: float = 0.10, top: int = 10,
                       direction: Mapping[str, str] | None = None,
                       method: Method = "minmax", customer: str = "customer_id") -> pd.DataFrame:
    """Measure how much the ranking moves when one weight goes up or down by ``change``.

    For each criterion the weight is raised and lowered by ``change`` (kept within
    [0, 1]); the other weights are rescaled in proportion so that all still add up
    to 1. The new ranking is compared with the base ranking.

    Parameters
    ----------
    data : pandas.DataFrame
        As for ``scorecard``.
    weights : mapping of str to float
        As for ``scorecard``.
    change : float, default 0.10
        How far each weight moves up and down, in (0, 1).
    top : int, default 10
        Size of the top group compared with the base ranking.
    direction : mapping of str to str, optional
        As for ``scorecard``.
    method : {"minmax", "rank", "z"}
        As for ``scorecard``.
    customer : str, default "customer_id"
        As for ``scorecard``.

    Returns
    -------
    pandas.DataFrame
        One row per criterion and direction: ``criterion``, ``change``, ``weight`` (the new
        weight), ``spearman`` (rank correlation of the total scores with the base), ``top_overlap``
        (share of the base top ``top`` still in the top ``top``), ``entered`` (ids newly in the
        top, comma-separated), ``left``.

    Raises
    ------
    TypeError, ValueError
        As ``scorecard``; ``change`` not in (0, 1); ``top`` not a whole number >= 1.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "x": [1, 2, 3, 4], "y": [4, 3, 2, 1]})
    >>> s = weight_sensitivity(df, {"x": 0.6, "y": 0.4}, change=0.2, top=2)
    >>> s[["criterion", "weight", "top_overlap"]].values.tolist()[:2]
    [['x', 0.8, 1.0], ['x', 0.4, 0.0]]
    """
    w, _ = validate_weights(weights)
    change = validate.number(change, "change", minimum=0, maximum=1, min_inclusive=False,
                             max_inclusive=False, label="权重变动")
    top = validate.integer(top, "top", minimum=1, label="比较的前几名")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        base = scorecard(data, w.to_dict(), direction=direction, method=method, customer=customer)
    base_score = base.set_index(customer)["total_score"]
    base_top = list(base[customer].iloc[:top])
    rows = []
    for criterion in w.index:
        for sign in (+1, -1):
            new = float(np.clip(w[criterion] + sign * change, 0.0, 1.0))
            others = w.drop(criterion)
            rest = others.sum()
            if rest > 0:
                shifted = others * (1.0 - new) / rest
            else:  # a single criterion carries all the weight: nothing else to rescale
                new, shifted = 1.0, others
            trial = {**shifted.to_dict(), criterion: new}
            card = scorecard(data, trial, direction=direction, method=method, customer=customer)
            new_top = list(card[customer].iloc[:top])
            score = card.set_index(customer)["total_score"].reindex(base_score.index)
            rows.append({
                "criterion": criterion, "change": sign * change, "weight": round(new, 12),
                "spearman": _spearman(base_score.to_numpy(), score.to_numpy()),
                "top_overlap": len(set(base_top) & set(new_top)) / len(base_top),
                "entered": ", ".join(map(str, [c for c in new_top if c not in base_top])),
                "left": ", ".join(map(str, [c for c in base_top if c not in new_top])),
            })
    return pd.DataFrame(rows)


# --- attractiveness × fit -----------------------------------------------------------

def _axis_score(ratings: pd.DataFrame, weights: Mapping[str, float] | None,
                factors: Mapping[str, str], axis: str) -> np.ndarray:
    present = [f for f in factors if f in ratings.columns]
    if weights is None:
        if not present:
            has = list(map(str, ratings.columns))[:12]
            raise validate.BilingualValueError(
                f"ratings 中没有任何{axis}因子列（现有的列 {has}）：应有 {list(factors)} 中的列，"
                f"或给出 {axis}_weights",
                f"ratings has no {axis} factor columns (it has {has}): expected some of "
                f"{list(factors)}, or {axis}_weights")
        weights = dict.fromkeys(present, 1.0 / len(present))
    w, _ = validate_weights(weights, name=f"{axis}_weights")
    validate.frame(ratings, "ratings", columns=list(w.index))
    score = np.zeros(len(ratings))
    for factor in w.index:
        values = _numeric(ratings[factor], f"ratings[{factor!r}]")
        score += w[factor] * values
    return score


def attractiveness_fit(ratings: pd.DataFrame, attractiveness_weights: Mapping[str, float]
                       | None = None, fit_weights: Mapping[str, float] | None = None, *,
                       segment: str = "segment", midpoint: float = 3.0) -> pd.DataFrame:
    """Score the weighted attractiveness and fit of each segment, and the region it falls in.

    ``ratings`` has one row per segment and one column per factor (codes of
    ``ATTRACTIVENESS_FACTORS`` and ``FIT_FACTORS``), each rated for how favourable
    it is for the company (e.g. 1 = very unfavourable … 5 = very favourable).
    Each axis is the weighted average of its factors (equal weights by default;
    weights that do not add up to 1 are rescaled). A segment is "high" on an axis
    when its score is at least ``midpoint``:

    ==============  ==============  =========================================
    attractiveness  fit             region (code)
    ==============  ==============  =========================================
    high            high            ``enter``: 重点进入
    high            low             ``build_fit``: 先提升匹配度再进入
    low             high            ``selective``: 选择性经营
    low             low             ``avoid``: 放弃
    ==============  ==============  =========================================

    The regions and their names are the course's addition (本课程补充): the lecture
    lists the factors only. Labels live in ``crmlab.glossary.VALUES``.

    Parameters
    ----------
    ratings : DataFrame
        One row per segment: ``segment`` and one rating column per factor.
    attractiveness_weights, fit_weights : mapping, optional
        Factor -> weight for each axis; equal weights when omitted.
    segment : str, default "segment"
        The segment name column.
    midpoint : float, default 3.0
        Score from which an axis counts as "high".

    Returns
    -------
    pandas.DataFrame
        Columns ``segment``, ``attractiveness``, ``fit``, ``segment_decision``.

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, a missing or repeated segment, bad ratings
        or weights, or ``midpoint`` not a finite number.

    Examples
    --------
    >>> r = pd.DataFrame({"segment": ["甲", "乙"], "market_size": [5, 2], "image_fit": [4, 4]})
    >>> attractiveness_fit(r)["segment_decision"].tolist()
    ['enter', 'selective']
    """
    _names(segment=segment)
    validate.frame(ratings, "ratings", columns=[segment])
    validate.unique_ids(ratings, segment, name="ratings")  # one decision per segment
    midpoint = validate.number(midpoint, "midpoint", label="高低分界")
    attractiveness = _axis_score(ratings, attractiveness_weights, ATTRACTIVENESS_FACTORS,
                                 "attractiveness")
    fit = _axis_score(ratings, fit_weights, FIT_FACTORS, "fit")
    # weighted sums are floats (0.3 * 5 + 0.5 * 2 + 0.2 * 2.5 is 2.9999999999999996):
    # a score that equals the midpoint up to rounding error counts as reaching it
    at_least = midpoint - 1e-9 * max(1.0, abs(midpoint))
    high_a = attractiveness >= at_least
    high_f = fit >= at_least
    region = np.select([high_a & high_f, high_a & ~high_f, ~high_a & high_f],
                       ["enter", "build_fit", "selective"], "avoid")
    return pd.DataFrame({segment: ratings[segment].to_numpy(), "attractiveness": attractiveness,
                         "fit": fit, "segment_decision": region})


# --- big ≠ good, elastic customers -----------------------------------------------------

def size_vs_profit(data: pd.DataFrame, *, size: str = "sales", profit: str = "profit",
                   customer: str = "customer_id", cuts: Sequence[float] = (0.80, 0.95)
                   ) -> pd.DataFrame:
    """Compare size class (ABC by ``size``) with profitability (is big also good).

    Customers are classed A/B/C by their share of ``size`` (``pareto.abc_classes``,
    A = the biggest buyers up to 80 % of sales) and marked profitable or not.

    Parameters
    ----------
    data : DataFrame
        One row per customer with ``customer``, ``size`` and ``profit``.
    size, profit : str, default "sales" and "profit"
        The columns used for the ABC class and for profitability.
    customer : str, default "customer_id"
        The customer id column.
    cuts : pair of floats, default (0.80, 0.95)
        Cumulative shares closing classes A and B (as ``pareto.abc_classes``).

    Returns
    -------
    pandas.DataFrame
        One row per ABC class: ``abc_class``, ``customers``, ``sales`` (sum of ``size``),
        ``profit`` (sum), ``loss_makers`` (customers with profit < 0), ``loss_maker_share`` and
        ``losses`` (sum of the negative profits).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, a missing or repeated id, text, missing
        or infinite values.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2, 3], "sales": [80, 15, 5],
    ...                    "profit": [-5, 6, 1]})
    >>> size_vs_profit(df)[["abc_class", "loss_makers"]].values.tolist()
    [['A', 1], ['B', 0], ['C', 0]]
    """
    _names(customer=customer, size=size, profit=profit)
    validate.frame(data, "data", columns=[customer, size, profit])
    validate.unique_ids(data, customer)  # a repeated or missing id would count twice
    sizes = _numeric(data[size], f"data[{size!r}]")
    profits = _numeric(data[profit], f"data[{profit!r}]")
    classes = pareto.abc_classes(sizes, cuts=cuts)["abc_class"].to_numpy()
    frame = pd.DataFrame({"abc_class": classes, "sales": sizes, "profit": profits,
                          "loss": np.minimum(profits, 0.0), "loser": profits < 0})
    table = frame.groupby("abc_class", sort=True).agg(
        customers=("sales", "size"), sales=("sales", "sum"), profit=("profit", "sum"),
        loss_makers=("loser", "sum"), losses=("loss", "sum")).reset_index()
    table = table.set_index("abc_class").reindex(["A", "B", "C"]).dropna(how="all")
    table = table.reset_index()
    table["customers"] = table["customers"].astype(int)
    table["loss_makers"] = table["loss_makers"].astype(int)
    table["loss_maker_share"] = table["loss_makers"] / table["customers"]
    return table[["abc_class", "customers", "sales", "profit", "loss_makers",
                  "loss_maker_share", "losses"]]


def _flags(value: Any, name: str) -> np.ndarray:
    if not isinstance(value, list | tuple | np.ndarray | pd.Series):
        return np.array([validate.flag(value, name)])  # "False", 1, None, NaN: refused
    array = np.asarray(value.to_numpy() if isinstance(value, pd.Series) else value)
    if array.dtype.kind != "b" or array.ndim != 1:
        raise validate.BilingualTypeError(
            f"{name}={validate.show(value)} 无效：应为 True/False，或每个客户一个 True/False",
            f"{name}={validate.show(value)} is invalid: expected True/False, or one per "
            f"customer")
    return array


def elastic_checklist(value_outweighs_cash_drain: Any, within_service_capacity: Any,
                      financially_sound: Any) -> pd.DataFrame:
    """Check the three preconditions for keeping an unprofitable (elastic) customer.

    The lecture's article on elastic customers (弹性客户) keeps a customer that
    loses money today only if (1) its hidden value (lifetime value, reputation,
    technology, bargaining power …) outweighs the visible loss — a customer that
    drains cash the company needs for its daily business goes, whatever its
    hidden value; (2) the company has the service capacity — when capacity is
    short, customers bringing net cash come first; (3) the customer is
    financially sound, because goods are sold on credit. All three must hold.

    Parameters
    ----------
    value_outweighs_cash_drain : bool or array-like of bool
        Condition (1): one flag, or one flag per customer (list, array or Series;
        all three of equal length).
    within_service_capacity : bool or array-like of bool
        Condition (2), in the same form.
    financially_sound : bool or array-like of bool
        Condition (3), in the same form.

    Returns
    -------
    pandas.DataFrame
        One row per customer: the three conditions, ``keep`` (all three met) and ``failed`` (codes
        of the conditions not met, comma-separated).

    Raises
    ------
    TypeError
        A condition is not True/False (``"no"``, 1, None and NaN are refused) or a
        sequence of them.
    ValueError
        The conditions have different lengths (other than 1).

    Examples
    --------
    >>> elastic_checklist(True, True, False)[["keep", "failed"]].values.tolist()
    [[False, 'financially_sound']]
    """
    names = list(ELASTIC_PRECONDITIONS)
    flags = [_flags(v, n) for v, n in zip((value_outweighs_cash_drain, within_service_capacity,
                                           financially_sound), names, strict=True)]
    lengths = {f.size for f in flags}
    n = max(lengths)
    if not lengths <= {1, n}:
        sizes = ", ".join(f"{name} {f.size}" for name, f in zip(names, flags, strict=True))
        raise validate.BilingualValueError(
            f"三个条件的长度不一致（{sizes}）：应为一个值，或每个客户一个值",
            f"the three conditions have different lengths ({sizes}): expected one value, or "
            f"one per customer")
    flags = [np.broadcast_to(f, n) for f in flags]
    out = pd.DataFrame(dict(zip(names, flags, strict=True)))
    out["keep"] = out[names].all(axis=1)
    failed = np.full(n, "", dtype=object)
    for name in names:
        miss = ~out[name].to_numpy()
        failed[miss] = np.where(failed[miss] == "", name, failed[miss] + ", " + name)
    out["failed"] = failed
    return out
