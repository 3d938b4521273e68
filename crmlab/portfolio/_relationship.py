"""The lecture's relationship and visit tables as data, and a portfolio's visit plan."""

from __future__ import annotations

import pandas as pd

from crmlab import _validation as validate

# --- 9. lecture tables: relationship levels and strategy, visit table -----------------

#: staff levels of the visit management table (客户访问管理表), most junior first
STAFF_LEVELS = ("sales_rep", "sales_manager", "marketing_director", "general_manager")

def relationship_levels() -> pd.DataFrame:
    """Return the five relationship levels with both lecture namings (one table).

    《客户组合分析》讲义 names them 基本型/反应型/可靠型/主动型/合伙型 (售后服务的五种类型),
    the review notes (《客户关系管理复习资料》) 基本/被动式/负责式/主动式/伙伴式 关系: the
    same five levels (Kotler's basic, reactive, accountable, proactive, partnership).

    Returns
    -------
    DataFrame
        One row per level with both namings.

    References
    ----------
    Kotler, P., & Keller, K. L. *Marketing Management* (the five levels of
    relationship marketing).

    Examples
    --------
    >>> relationship_levels()["name_portfolio"].tolist()[:2]
    ['基本型', '反应型']
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_relationship_levels")


def relationship_strategy() -> pd.DataFrame:
    """Return the relationship strategy table (客户划分 → 关系类型 / 关系战略 / 关系重点).

    Returns
    -------
    DataFrame
        One row per customer class.

    Examples
    --------
    >>> relationship_strategy().loc[0, "relationship_type"]
    '一般关系'
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_relationship_strategy")


def visit_table() -> pd.DataFrame:
    """Return the 客户访问管理表: visits and calls per year by staff level and A/B/C class.

    One row per (staff level, class): the slide's wording (``visits_text``,
    ``calls_text``) and the per-year ranges crmlab reads from it
    (``visits_min`` … ``calls_max``). Cells the slide does not give are empty
    (NaN) and ``given`` is False.

    Returns
    -------
    DataFrame
        The columns described above.

    Examples
    --------
    >>> t = visit_table()
    >>> t.loc[(t.staff_level == "sales_rep") & (t.abc_class == "A"), "visits_min"].item()
    36.0
    """
    from crmlab import datasets

    return datasets.load_textbook("ch4_visit_table")


def visit_plan(data: pd.DataFrame, *, customer: str = "customer_id",
               abc_class: str = "abc_class", table: pd.DataFrame | None = None,
               months: int = 12) -> pd.DataFrame:
    """Plan the visits of a portfolio: visits and calls per staff level over ``months``.

    Every customer of class A/B/C gets the contacts of the visit management
    table (``visit_table()`` unless ``table`` is given); the plan sums them per
    staff level and class. Cells the table leaves empty count as no contact.

    Parameters
    ----------
    data : DataFrame
        One row per customer with its ABC class.
    customer, abc_class : str
        Column names of the customer id and the class (``"A"``, ``"B"``, ``"C"``).
    table : DataFrame, optional
        A visit management table shaped like ``visit_table()``.
    months : int, default 12
        Length of the plan in months.

    Returns
    -------
    DataFrame
        One row per (staff level, class) with ``customers``, ``visits_min``,
        ``visits_max``, ``calls_min``, ``calls_max`` (totals over ``months``).

    Raises
    ------
    TypeError, ValueError
        Not a DataFrame, missing columns, duplicate ids, unknown classes or
        ``months`` not a whole number from 1 to 1200 (100 years).

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": [1, 2, 3], "abc_class": ["A", "B", "C"]})
    >>> p = visit_plan(d, months=1)
    >>> p.loc[(p.staff_level == "sales_rep") & (p.abc_class == "A"), "visits_min"].item()
    3.0
    """
    validate.frame(data, "data", columns=[customer, abc_class])
    validate.unique_ids(data, customer)
    classes = validate.filled_column(data, abc_class).astype(str)
    unknown = sorted(set(classes) - {"A", "B", "C"})
    if unknown:
        raise validate.BilingualValueError(
            f"列 {abc_class!r} 有未知类别 {unknown[:5]}：应为 \"A\"、\"B\"、\"C\"。",
            f"column {abc_class!r} has unknown classes {unknown[:5]}: expected "
            "\"A\", \"B\" or \"C\".")
    months = validate.integer(months, "months", minimum=1, maximum=1200)  # at most 100 years
    table = visit_table() if table is None else table
    validate.frame(table, "table", columns=["staff_level", "abc_class", "visits_min",
                                            "visits_max", "calls_min", "calls_max"])
    counts = classes.value_counts()
    out = table[["staff_level", "abc_class"]].copy()
    out["customers"] = out["abc_class"].map(counts).fillna(0).astype(int)
    scale = months / 12
    for column in ("visits_min", "visits_max", "calls_min", "calls_max"):
        per_customer = pd.to_numeric(table[column], errors="coerce").fillna(0.0)
        out[column] = per_customer.to_numpy() * out["customers"].to_numpy() * scale
    return out.reset_index(drop=True)
