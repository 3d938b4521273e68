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

def _show(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _frame(data: Any, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} 是 {type(data).__name__}：应为 pandas DataFrame（每行一个"
                        f"客户或细分市场）。{name} is a {type(data).__name__}: expected a "
                        f"pandas DataFrame")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"{name} 缺少列 {missing}；现有列：{list(map(str, data.columns))[:12]}。"
                         f"{name} is missing column(s) {missing}")
    if data.empty:
        raise ValueError(f"{name} 为空：至少需要一行。{name} is empty: expected at least one row")
    return data


def _numeric(series: pd.Series, name: str) -> np.ndarray:
    if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
        bad = series[pd.to_numeric(series, errors="coerce").isna()]
        example = _show(bad.iloc[0]) if len(bad) else series.dtype
        raise TypeError(f"{name} 不是数值列（例如 {example}）：请先用 pd.to_numeric 转换。"
                        f"{name} is not numeric (e.g. {example}): expected numbers")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(values).all():
        rows = list(series.index[~np.isfinite(values)][:5])
        raise ValueError(f"{name} 在行 {rows} 有缺失值或无穷大：评分前请先补齐或剔除。"
                         f"{name} has missing or infinite values at rows {rows}")
    return values


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
        ``weights`` is not a non-empty mapping, or a weight is not a number.
    ValueError
        A weight is negative, NaN, infinite or above 10^15, or all weights are 0.

    Examples
    --------
    >>> w, note = validate_weights({"a": 30, "b": 70})
    >>> w.tolist(), note is not None
    ([0.3, 0.7], True)
    """
    if not isinstance(weights, Mapping | pd.Series) or len(weights) == 0:
        raise TypeError(f"{name}={_show(weights)} 无效：应为“指标 → 权重”的字典，例如 "
                        f"{{'sales': 0.3, 'gross_profit': 0.7}}。{name}={_show(weights)} is "
                        f"invalid: expected a non-empty mapping criterion -> weight")
    items = dict(weights.items())
    values = {}
    for key, value in items.items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer
                                                      | np.floating):
            raise TypeError(f"{name}[{key!r}]={_show(value)} 无效：权重应为数字。"
                            f"{name}[{key!r}]={_show(value)} is invalid: expected a number")
        number = float(value)
        if number > validate.MONEY_MAX:  # their sum would overflow and every weight become 0
            raise validate.BilingualValueError(
                f"{name}[{key!r}]={_show(value)} 太大：权重应不超过 {validate.MONEY_MAX:g}",
                f"{name}[{key!r}]={_show(value)} is too large: expected a weight <= "
                f"{validate.MONEY_MAX:g}")
        if not np.isfinite(number) or number < 0:
            raise ValueError(f"{name}[{key!r}]={_show(value)} 无效：权重应为非负的有限数。"
                             f"{name}[{key!r}]={_show(value)} is invalid: expected a finite "
                             f"weight >= 0")
        values[key] = number
    total = sum(values.values())
    if total <= 0:
        raise ValueError(f"{name} 的权重全为 0：至少一个指标的权重应大于 0。"
                         f"{name} are all 0: expected at least one positive weight")
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
        ``values`` is text or ``None``, or holds text; ``higher_is_better`` is not
        True or False.
    ValueError
        Unknown ``method``, empty ``values`` or missing/infinite values.

    Examples
    --------
    >>> normalize([10, 20, 40]).tolist()
    [0.0, 0.3333333333333333, 1.0]
    >>> normalize([10, 20, 40], "rank", higher_is_better=False).tolist()
    [1.0, 0.5, 0.0]
    """
    if method not in METHODS:
        raise ValueError(f"method={_show(method)} 无效：应为 'minmax'（最小–最大）、'rank'"
                         f"（排名百分位）或 'z'（标准分）之一。method={_show(method)} is "
                         f"invalid: expected one of {list(METHODS)}")
    if isinstance(values, str | bytes) or values is None:
        raise TypeError(f"values={_show(values)} 无效：应为一列数字。values={_show(values)} is "
                        f"invalid: expected a sequence of numbers")
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    if series.empty:
        raise ValueError("values 为空：至少需要一个值。values is empty: expected at least one")
    x = _numeric(series, "values")
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
    if direction is None:
        direction = {}
    if not isinstance(direction, Mapping):
        raise TypeError(f"direction={_show(direction)} 无效：应为字典，例如 "
                        f"{{'days_to_pay': 'lower'}}。direction={_show(direction)} is invalid:"
                        f" expected a mapping criterion -> 'higher' or 'lower'")
    unknown = [k for k in direction if k not in criteria]
    if unknown:
        raise ValueError(f"direction 中的 {unknown} 不在权重的指标 {list(criteria)} 中。"
                         f"direction names unknown criteria {unknown}")
    out = {}
    for key in criteria:
        value = direction.get(key, "higher")
        if value not in ("higher", "lower"):
            raise ValueError(f"direction[{key!r}]={_show(value)} 无效：应为 'higher'（越大越好）"
                             f"或 'lower'（越小越好）。direction[{key!r}]={_show(value)} is "
                             f"invalid: expected 'higher' or 'lower'")
        out[key] = value == "higher"
    return out


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
        Not a DataFrame, missing columns, text or missing values,
        ``sales_last_year`` not positive, ``collection_rate`` outside [0, 1] or
        ``cooperation`` outside [1, 5].

    Examples
    --------
    >>> from crmlab.synthetic import b2b_customers
    >>> list(screening_dimensions(b2b_customers()).columns)
    ['customer_id', 'purchase', 'profitability', 'safety', 'future', 'cooperation']
    """
    needed = [customer, "sales", "gross_profit", "collection_rate", "sales_last_year",
              "cooperation"]
    _frame(data, "data", needed)
    last = _numeric(data["sales_last_year"], "data['sales_last_year']")
    if (last <= 0).any():
        rows = list(data.index[last <= 0][:5])
        raise ValueError(f"data['sales_last_year'] 在行 {rows} 不为正：无法计算增长率。"
                         f"data['sales_last_year'] is not positive at rows {rows}")
    sales = _numeric(data["sales"], "data['sales']")
    return pd.DataFrame({
        customer: data[customer].to_numpy(),
        "purchase": sales,
        "profitability": _numeric(data["gross_profit"], "data['gross_profit']"),
        "safety": _within(data, "collection_rate", 0, 1, "收回的比例，0 到 1（例如 0.8）"),
        "future": sales / last - 1.0,
        "cooperation": _within(data, "cooperation", 1, 5, "1 到 5 分的评分"),
    })


def _within(data: pd.DataFrame, column: str, low: float, high: float, zh: str) -> np.ndarray:
    values = _numeric(data[column], f"data[{column!r}]")
    bad = (values < low) | (values > high)
    if bad.any():  # a collection rate of 80 (per cent) or a rating of 9 is a slip
        where = validate.rows(data.index, bad, values)
        raise validate.BilingualValueError(
            f"data[{column!r}] 超出范围，行 {where}：应为{zh}",
            f"data[{column!r}] is out of range at rows {where}: expected values in "
            f"[{low}, {high}]")
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
        Not a DataFrame, unknown columns, text or missing values in a criterion,
        negative or non-numeric weights, unknown method or direction.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": [1, 2], "a": [1, 3], "b": [5, 5]})
    >>> scorecard(df, {"a": 0.5, "b": 0.5})["total_score"].tolist()
    [0.75, 0.25]
    """
    w, note = validate_weights(weights)
    criteria = list(w.index)
    _frame(data, "data", [customer, *criteria])
    higher = _directions(direction, criteria)
    if method not in METHODS:
        normalize([0.0], method)  # raises the message
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
    _frame(card, "card", ["total_score", "rank"])
    if (top is None) == (threshold is None):
        raise ValueError("请只给出 top（前 k 名）或 threshold（分数门槛）中的一个。"
                         "give exactly one of top or threshold")
    out = card.copy()
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 0:
            raise ValueError(f"top={_show(top)} 无效：应为非负整数（保留前几名）。"
                             f"top={_show(top)} is invalid: expected a whole number >= 0")
        out["selected"] = out["rank"].to_numpy() <= top
    else:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float | np.integer
                                                         | np.floating) \
                or not np.isfinite(threshold):
            raise ValueError(f"threshold={_show(threshold)} 无效：应为一个分数。"
                             f"threshold={_show(threshold)} is invalid: expected a number")
        # total_score is a weighted float sum: equal to the threshold up to rounding counts
        out["selected"] = out["total_score"].to_numpy() >= threshold - 1e-9 * max(
            1.0, abs(float(threshold)))
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
    if isinstance(change, bool) or not isinstance(change, int | float) or not 0 < change < 1:
        raise ValueError(f"change={_show(change)} 无效：应为 0 到 1 之间的小数（例如 0.1）。"
                         f"change={_show(change)} is invalid: expected a number in (0, 1)")
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise ValueError(f"top={_show(top)} 无效：应为正整数。top={_show(top)} is invalid: "
                         f"expected a whole number >= 1")
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
            raise ValueError(f"ratings 中没有任何{axis}因子列（应为 {list(factors)} 中的列）。"
                             f"ratings has no {axis} factor columns, expected some of "
                             f"{list(factors)}")
        weights = dict.fromkeys(present, 1.0 / len(present))
    w, _ = validate_weights(weights, name=f"{axis}_weights")
    _frame(ratings, "ratings", list(w.index))
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
        Not a DataFrame, missing columns, bad ratings or weights, or ``midpoint``
        not a finite number.

    Examples
    --------
    >>> r = pd.DataFrame({"segment": ["甲", "乙"], "market_size": [5, 2], "image_fit": [4, 4]})
    >>> attractiveness_fit(r)["segment_decision"].tolist()
    ['enter', 'selective']
    """
    _frame(ratings, "ratings", [segment])
    if isinstance(midpoint, bool) or not isinstance(midpoint, int | float) \
            or not np.isfinite(midpoint):
        raise ValueError(f"midpoint={_show(midpoint)} 无效：应为一个分数（例如 3）。"
                         f"midpoint={_show(midpoint)} is invalid: expected a number")
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
    _frame(data, "data", [customer, size, profit])
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
    array = np.asarray(value.to_numpy() if isinstance(value, pd.Series) else value)
    if array.dtype.kind != "b":
        raise TypeError(f"{name}={_show(value)} 无效：应为 True/False（或一列 True/False）。"
                        f"{name}={_show(value)} is invalid: expected True/False values")
    return np.atleast_1d(array)


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
        A condition is not True/False.
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
        raise ValueError(f"三个条件的长度不一致 {[f.size for f in flags]}：每个客户一个值。"
                         f"the three conditions have different lengths {[f.size for f in flags]}")
    flags = [np.broadcast_to(f, n) for f in flags]
    out = pd.DataFrame(dict(zip(names, flags, strict=True)))
    out["keep"] = out[names].all(axis=1)
    failed = np.full(n, "", dtype=object)
    for name in names:
        miss = ~out[name].to_numpy()
        failed[miss] = np.where(failed[miss] == "", name, failed[miss] + ", " + name)
    out["failed"] = failed
    return out
