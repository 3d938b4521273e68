"""The lecture's two-axis classification schemes, as data (``SCHEMES``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from crmlab import _validation as validate

# --- 8. quadrants (象限分类) -----------------------------------------------------------

Cell = tuple[bool, bool]  # (x high, y high)


@dataclass(frozen=True)
class Scheme:
    """A two-axis classification of the lectures: axes, cell codes, actions, source.

    Parameters
    ----------
    key : str
        The scheme's name in ``SCHEMES``.
    title : str
        Its Chinese name.
    x, y : str
        What the horizontal and the vertical axis mean (Chinese).
    cells : mapping of (bool, bool) to str
        (x high, y high) -> the quadrant's code.
    actions : mapping of str to str
        Quadrant code -> what to do with its customers (Chinese).
    source : str
        Where the lecture material shows it.
    reading : str
        How this course reads an unclear slide (本课程的解读).
    notes : str, default ""
        Further notes.
    course_actions : bool, default True
        The actions are this course's reading, not the lecture's.

    Examples
    --------
    >>> SCHEMES["clv_matrix"].code(True, True)
    'vip'
    """

    key: str
    title: str                    # 中文名称
    x: str                        # 横轴含义（中文）
    y: str                        # 纵轴含义（中文）
    cells: Mapping[Cell, str]     # (x high, y high) -> code
    actions: Mapping[str, str]    # code -> 中文：对这一象限做什么
    source: str                   # 讲义与幻灯片
    reading: str                  # 本课程如何读出混乱的版面
    notes: str = ""
    course_actions: bool = field(default=True)  # actions are 本课程的解读

    def __post_init__(self) -> None:
        """Refuse a scheme a chart or a summary could not read (checked once, when made)."""
        for name in ("key", "title", "x", "y", "source", "reading"):
            validate.text(getattr(self, name), name)
        validate.text(self.notes, "notes", required=False)
        validate.flag(self.course_actions, "course_actions")
        cells = validate.mapping(self.cells, "cells", example="{(True, True): 'vip', ...}")
        corners = {(x, y) for x in (True, False) for y in (True, False)}
        if set(cells) != corners or len({*cells.values()}) != 4:
            raise validate.BilingualValueError(
                f"cells={validate.show(self.cells)} 无效：四个角 (True/False, True/False) "
                "各需一个不同的代码",
                f"cells={validate.show(self.cells)} is invalid: expected the four corners "
                "(True/False, True/False), each with its own code")
        for code in cells.values():
            validate.text(code, "cells")
        actions = validate.mapping(self.actions, "actions", example="{'vip': '重点保持', ...}")
        for code in cells.values():
            validate.text(actions.get(code), f"actions[{code!r}]")

    def code(self, x_high: bool, y_high: bool) -> str:
        """Return the code of the cell (``x_high``, ``y_high``).

        Parameters
        ----------
        x_high : bool
            Whether the x measure (the first one, e.g. current value) is high.
        y_high : bool
            Whether the y measure (the second one) is high.

        Returns
        -------
        str
            The cell's code, e.g. ``vip``.

        Examples
        --------
        >>> SCHEMES["clv_matrix"].code(False, True)
        'improve'
        """
        return self.cells[(bool(x_high), bool(y_high))]


SCHEMES: dict[str, Scheme] = {s.key: s for s in [
    Scheme(
        "clv_matrix", "CLV 矩阵（客户当前价值 × 客户未来价值）", "客户当前价值", "客户未来价值",
        {(True, True): "vip", (False, True): "improve", (True, False): "maintain",
         (False, False): "abandon"},
        {"vip": "重点保持：最好的资源、个性化服务与专属权益",
         "improve": "重点培育：加大投入，把未来价值变成当前价值",
         "maintain": "维持现状：保持服务质量，控制服务成本",
         "abandon": "减少投入：标准化、低成本服务，必要时放弃"},
        "《区分客户》讲义，“CLV分析法”矩阵幻灯片",
        "文字顺序为“客户未来价值 / 改进型 / 贵宾型 / 客户当前价值 / 放弃型 / 维持型”："
        "纵轴是未来价值、"
        "横轴是当前价值，上排左为改进型、右为贵宾型，下排左为放弃型、右为维持型；"
        "与四个名称的含义一致（贵宾型两高、放弃型两低）。"),
    Scheme(
        "loyalty_scale", "类型组合：客户忠诚度 × 客户规模", "客户忠诚度", "客户规模",
        {(True, True): "cash_cow", (False, True): "tomorrow", (False, False): "warm_up",
         (True, False): "chicken_rib"},
        {"cash_cow": "重点保持：规模大又忠诚，是利润的主要来源",
         "tomorrow": "提升忠诚：规模大但忠诚度低，深化关系、提高份额",
         "warm_up": "“加温”培养：规模小、忠诚度低，用低成本方式培养感情",
         "chicken_rib": "低成本维持：忠诚但规模小，食之无味、弃之可惜"},
        "《区分客户》讲义，“类型组合的客户分类法”幻灯片（客户规模 × 客户忠诚度）",
        "文字为“大 明日客户 客户规模 加温客户 小 / 低 客户忠诚度 高 / 金牛客户 / 鸡肋客户”："
        "纵轴客户规模（上大下小）、横轴客户忠诚度（左低右高）；明日客户挨着“大”、加温客户挨着“小”，"
        "所以左列上为明日、下为加温，右列上为金牛、下为鸡肋（名称含义也支持：金牛又大又忠诚）。"),
    Scheme(
        "loyalty_credit", "类型组合：客户忠诚度 × 客户信用度", "客户忠诚度", "客户信用度",
        {(True, True): "star", (False, True): "golden", (True, False): "risky",
         (False, False): "junk"},
        {"star": "重点维护：忠诚且信用好，给予最优惠的交易条件",
         "golden": "提升忠诚：信用好但不够忠诚，加强沟通、争取更多份额",
         "risky": "控制风险：忠诚但信用差，缩短账期、现款或担保交易",
         "junk": "淘汰或只做现款交易：既不忠诚、信用也差"},
        "《区分客户》讲义，“类型组合的客户分类法”幻灯片（客户信用度 × 客户忠诚度）",
        "文字被拆成两段：“垃圾客户 / 风险客户 / 低 客户忠诚度 高”与“高 / 明星客户 /"
        " 客户信用度 低 / 黄金客户”："
        "纵轴客户信用度（上高下低）、横轴客户忠诚度（左低右高）。风险、垃圾两类信用低，"
        "垃圾在忠诚度“低”一侧、风险在“高”一侧；信用高的两类中明星忠诚度高、黄金忠诚度低"
        "（本课程的解读：版面只给出了名称的先后，按名称含义定位）。",
        "信用度来自客户的信用调查分析（《客户关系管理》讲义第二节：客户的信用调查分析）。"),
    Scheme(
        "abc_turnover_margin", "A/B/C 类：周转率 × 盈利率", "周转率", "盈利率",
        {(True, True): "A", (True, False): "B", (False, False): "C", (False, True): "unlisted"},
        {"A": "情感交流，发挥示范效应（讲义原文）",
         "B": "心理安慰，基础知识和技巧的辅导（讲义原文）",
         "C": "讲义未给出策略（本课程的解读：降低服务成本，观察是否有提升空间）",
         "unlisted": "讲义未列出这一格（本课程的解读：帮助其提高周转，可向 A 类发展）"},
        "《区分客户》讲义，A/B/C 类客户表（分类依据：周转率、盈利率）",
        "表格三行：A 类 高周转率 高盈利率，B 类 高周转率 低盈利率，C 类 低周转率 低盈利率；"
        "第四种组合“低周转率 高盈利率”讲义没有列出，本课程单独标为“讲义未列”，不硬塞进某一类。",
        course_actions=False),
    Scheme(
        "clv_four", "CLV 分析法的四类客户（历史贡献 × 活跃度）",
        "客户历史贡献（购买力）", "客户当前活跃度",
        {(True, True): "loyal", (False, True): "potential", (False, False): "marginal",
         (True, False): "lost"},
        {"loyal": "长期维持，是客户关系管理工作的重中之重（讲义）",
         "potential": "在服务中促使其转向忠诚客户（讲义）",
         "marginal": "精确区分出来，合理调配人力、物力（讲义）",
         "lost": "收集信息、分析流失原因、制定挽留计划（讲义）"},
        "《CLV 分析法》讲义，“clv分析法把客户分类图形”",
        "讲义只保留了四类客户的文字说明，图的坐标轴没有留下。本课程的解读："
        "忠诚客户贡献大且仍在购买；"
        "潜在客户“接触时间更短”、贡献还小但正在购买；边缘客户贡献和购买力都低；流失客户已不再购买，"
        "但曾有贡献，是“挖潜的重要群体”。因此横轴取历史贡献、"
        "纵轴取活跃度（例如最近一段时间的购买次数）。",
        course_actions=False),
    Scheme(
        "sales_profit", "销售额 × 利润（“波士顿模型”一段）", "销售额", "利润",
        {(True, True): "star", (True, False): "volume", (False, True): "niche",
         (False, False): "dog"},
        {"star": "重点保持：销售额和利润都高",
         "volume": "提高利润：销售额高、利润低，检查价格、折扣和服务成本",
         "niche": "扩大销售：利润高、销售额低，争取更多份额",
         "dog": "先查明亏损原因，降低服务成本或调整交易条件；仍无前景再考虑放弃"},
        "《产品经理必学的 6 大分析模型》讲义，“2、波士顿模型”",
        "这一段开头说波士顿模型“最初是一个时间管理模型，按照紧急、不紧急、重要、不重要”分四个象限——"
        "那其实是时间管理的“紧急/重要”矩阵，波士顿矩阵本是产品组合的工具。"
        "这一段还自相矛盾：它说用“销售额和利润”两个指标分四个象限，但四类（明星、金牛、问题、瘦狗）"
        "却是按“增长率 × 占有率”描述的（那是产品的波士顿矩阵）。两种说法只在对角线上一致"
        "（明星 = 两高，瘦狗 = 两低）；金牛、问题两格无法从销售额 × 利润推出。本课程的解读："
        "按文字给出的两条轴（销售额 × 利润）分类，对角线沿用“明星”“瘦狗”，另两格按轴的含义"
        "命名为“高销低利”“低销高利”。要做真正的波士顿矩阵，"
        "请用 quadrants 的自定义标签和增长率数据。"),
    Scheme(
        "importance_difficulty", "矩阵分析法：客户战略重要性 × 客户关系管理难度",
        "客户关系管理难度", "客户战略重要性",
        {(False, True): "key_easy", (True, True): "key_hard", (False, False): "minor_easy",
         (True, False): "minor_hard"},
        {"key_easy": "铂金层级：最有吸引力，全力保持并加深关系",
         "key_hard": "黄金层级：重要但难管，投入专门的团队和流程",
         "minor_easy": "钢铁层级：标准化、低成本地服务",
         "minor_hard": "重铅层级：最没有吸引力，减少投入或调整交易条件"},
        "《客户组合分析》讲义，“客户分层 3.矩阵分析法”",
        "讲义原文：关键-容易、关键-困难、不关键-容易、不关键-困难四个层级“分别对应四分法中的"
        "铂金层级、黄金层级、钢铁层级和重铅层级”。注意难度“高”是坏事：横轴越往右越难管。"),
]}


def get_scheme(scheme: str | Scheme) -> Scheme:
    """Return the preset named ``scheme`` (or ``scheme`` itself when a ``Scheme``).

    Parameters
    ----------
    scheme : str or Scheme
        A key of ``SCHEMES`` or a ``Scheme``.

    Returns
    -------
    Scheme
        The preset.

    Raises
    ------
    ValueError
        ``scheme`` is not a key of ``SCHEMES``.

    Examples
    --------
    >>> get_scheme("clv_matrix").key
    'clv_matrix'
    """
    if isinstance(scheme, Scheme):
        return scheme
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise validate.BilingualValueError(
            f"scheme={validate.show(scheme)} 不是已知的分类方案：可选 {list(SCHEMES)}。",
            f"scheme={validate.show(scheme)} is unknown: expected one of {list(SCHEMES)}.")
    return SCHEMES[scheme]


def scheme_table(scheme: str | Scheme | None = None) -> pd.DataFrame:
    """Return the presets as a table: axes, the code of each cell, source slide and reading.

    Parameters
    ----------
    scheme : str or Scheme, optional
        One preset; all presets when omitted.

    Returns
    -------
    DataFrame
        One row per scheme: ``scheme``, ``title``, ``x_axis``, ``y_axis``, the four
        cell codes, ``source`` and ``reading``.

    Examples
    --------
    >>> scheme_table("clv_matrix").loc[0, "high_high"]
    'vip'
    """
    keys = list(SCHEMES) if scheme is None else [get_scheme(scheme).key]
    rows = []
    for key in keys:
        s = SCHEMES[key]
        rows.append({"scheme": s.key, "title": s.title, "x_axis": s.x, "y_axis": s.y,
                     "high_high": s.code(True, True), "low_high": s.code(False, True),
                     "high_low": s.code(True, False), "low_low": s.code(False, False),
                     "source": s.source, "reading": s.reading})
    return pd.DataFrame(rows)
