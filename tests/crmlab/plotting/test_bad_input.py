"""Every chart of crmlab takes ``ax=`` and returns the Axes, and answers junk in two languages.

The sweep (``tests/_bad_input.py``) feeds each argument the bad values of its kind;
the tests below add what the sweep cannot guess: the Axes argument, text labels, a
missing column, NaN where a percentage would be written, unknown labels.
"""

from __future__ import annotations

import inspect
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes

from crmlab import _validation as validate
from crmlab import clv, pareto, plotting, portfolio
from tests import _bad_input as _bad

matplotlib.use("Agg")

_QUADRANTS = portfolio.quadrants(
    pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9.0, 1, 8, 2],
                  "future": [8.0, 9, 1, 2]}), x="current", y="future", scheme="clv_matrix")

#: chart name -> valid keyword arguments (every chart function of crmlab.plotting)
CHARTS = {
    "whale_chart": {"curve": pareto.whale_curve([50, 30, 20, 5, -10, -15]), "top": 0.2,
                    "bottom": 0.3, "title": "鲸鱼曲线"},
    "abc_chart": {"classes": pareto.abc_classes([500, 300, 120, 50, 30]), "title": "帕累托图",
                  "unit": "元", "bars": 40, "who": "人"},
    "pyramid_chart": {"pyramid": portfolio.pyramid(pd.DataFrame(
        {"customer_id": range(10), "profit": range(10, 0, -1)})), "value": "profit",
        "value_name": "利润", "title": "客户金字塔"},
    "quadrant_chart": {"classified": _QUADRANTS, "x": "current", "y": "future",
                       "title": "CLV 矩阵", "xlabel": "当前价值", "ylabel": "未来价值",
                       "log": False, "size": 30.0, "alpha": 0.7},
    "clv_calculator_chart": {"table": clv.clv_table([100.0] * 3, rate=0.1,
                                                    acquisition_cost=50)},
    "segment_profit_chart": {"table": pd.DataFrame({"segment": ["甲", "乙", "total"],
                                                    "segment_profit": [25.0, -5.0, 20.0]}),
                             "title": "ABC 利润", "ylabel": "利润（万元）"},
    "sla_figure": {"table": pd.DataFrame({"department": ["qa", "logistics"],
                                          "sla_compliance": [0.9, 0.4]}),
                   "sla_days": 7.0, "target": 0.8},
}
#: the frame argument of each chart and the columns it needs
FRAME_OF = {"whale_chart": "curve", "abc_chart": "classes", "pyramid_chart": "pyramid",
            "quadrant_chart": "classified", "clv_calculator_chart": "table",
            "segment_profit_chart": "table", "sla_figure": "table"}
#: text arguments that may be None (the chart then picks its own label)
OPTIONAL_TEXT = {("quadrant_chart", name) for name in ("title", "xlabel", "ylabel")}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bilingual(error: Exception) -> None:
    """Chinese first, then English, through crmlab._validation."""
    assert isinstance(error, validate.BilingualError), f"{type(error).__name__}: {error}"
    assert re.search(r"[\u4e00-\u9fff]", error.zh) and re.search(r"[A-Za-z]{3}", error.en)
    assert str(error).index(error.en) > str(error).index(error.zh.rstrip("。")[:5])


def test_every_chart_function_is_listed_here():
    charts = {name for name in plotting.__all__
              if re.search(r"_(chart|figure)$", name) or name.startswith("plot_")}
    assert charts == set(CHARTS)


@pytest.mark.parametrize("name", CHARTS)
def test_chart_takes_ax_keyword_only_and_returns_that_axes(name):
    function = getattr(plotting, name)
    parameter = inspect.signature(function).parameters["ax"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is None
    assert inspect.signature(function).return_annotation in ("Axes", Axes)
    fig, panels = plt.subplots(1, 2)
    ax = function(**CHARTS[name], ax=panels[1])
    assert ax is panels[1] and ax.has_data() and not panels[0].has_data()
    assert len(fig.axes) >= 2  # drawn into the caller's figure, no new one
    alone = function(**CHARTS[name])
    assert isinstance(alone, Axes) and alone.figure is not fig


@pytest.mark.parametrize("name", CHARTS)
def test_sweep_every_bad_value_is_refused_in_two_languages(name):
    function = getattr(plotting, name)

    def checked(**kwargs):
        try:
            return function(**kwargs)
        except (ValueError, TypeError) as error:
            _bilingual(error)
            raise

    outcomes = _bad.sweep(checked, CHARTS[name])
    assert "refused" in outcomes.values()
    plt.close("all")


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("bad", ["ax", 5, [1], "figure"])
def test_ax_that_is_not_an_axes_is_refused(name, bad):
    value = plt.figure() if bad == "figure" else bad
    with pytest.raises(TypeError, match="ax=") as caught:
        getattr(plotting, name)(**CHARTS[name], ax=value)
    _bilingual(caught.value)


TEXT_CASES = [(name, arg) for name, valid in CHARTS.items() for arg, v in valid.items()
              if isinstance(v, str)]


@pytest.mark.parametrize(("name", "argument"), TEXT_CASES)
@pytest.mark.parametrize("bad", [None, 5, ["标题"], float("nan")])
def test_text_arguments_refuse_what_is_not_text(name, argument, bad):
    if bad is None and (name, argument) in OPTIONAL_TEXT:
        getattr(plotting, name)(**{**CHARTS[name], argument: bad})
        return
    with pytest.raises(TypeError, match=argument) as caught:
        getattr(plotting, name)(**{**CHARTS[name], argument: bad})
    _bilingual(caught.value)


#: chart -> the columns it draws (a missing one is a ValueError naming it)
NEEDS = {"whale_chart": ["customer_share", "cumulative_profit_share"],
         "abc_chart": ["value", "rank", "cumulative_share", "abc_class"],
         "pyramid_chart": ["tier", "profit"], "quadrant_chart": ["quadrant", "current", "future"],
         "clv_calculator_chart": ["year", "present_value", "cumulative_pv"],
         "segment_profit_chart": ["segment", "segment_profit"],
         "sla_figure": ["department", "sla_compliance"]}
FRAME_COLUMNS = [(name, column) for name, columns in NEEDS.items() for column in columns]
NUMBER_COLUMNS = [(name, column) for name, column in FRAME_COLUMNS
                  if column not in ("abc_class", "tier", "quadrant", "segment", "department")]


@pytest.mark.parametrize(("name", "column"), FRAME_COLUMNS)
def test_a_missing_column_is_a_value_error_naming_it(name, column):
    arg = FRAME_OF[name]
    frame = CHARTS[name][arg]
    with pytest.raises(ValueError, match=re.escape(repr(column))) as caught:
        getattr(plotting, name)(**{**CHARTS[name], arg: frame.drop(columns=column)})
    _bilingual(caught.value)


@pytest.mark.parametrize(("name", "column"), NUMBER_COLUMNS)
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_a_drawn_column_is_refused_never_drawn_as_nan_percent(name, column, bad):
    arg = FRAME_OF[name]
    frame = CHARTS[name][arg].copy()
    frame.attrs = dict(CHARTS[name][arg].attrs)
    frame[column] = frame[column].astype(float)
    frame.loc[frame.index[1], column] = bad
    if name == "sla_figure" and bad is np.nan:  # nothing settled: drawn as "—" by design
        ax = plotting.sla_figure(frame, 7)
        assert [t.get_text() for t in ax.texts] == ["90%", "—"]
        return
    with pytest.raises(ValueError, match=re.escape(column)) as caught:
        getattr(plotting, name)(**{**CHARTS[name], arg: frame})
    _bilingual(caught.value)


def test_unknown_labels_are_refused_never_left_out_of_the_picture():
    classes = CHARTS["abc_chart"]["classes"].assign(abc_class=["A", "A", "B", "D", "C"])
    with pytest.raises(ValueError, match="D") as caught:
        plotting.abc_chart(classes)  # was KeyError: 'D'
    _bilingual(caught.value)
    quadrants = _QUADRANTS.copy()
    quadrants.attrs = dict(_QUADRANTS.attrs)
    quadrants.loc[quadrants.index[0], "quadrant"] = "somewhere"
    with pytest.raises(ValueError, match="somewhere"):  # was silently not drawn
        plotting.quadrant_chart(quadrants, "current", "future")
    with pytest.raises(ValueError, match="甲"):  # two bars at one place
        plotting.segment_profit_chart(CHARTS["segment_profit_chart"]["table"].assign(
            segment=["甲", "甲", "total"]), title="利润")
    with pytest.raises(ValueError, match="qa"):
        plotting.sla_figure(CHARTS["sla_figure"]["table"].assign(department="qa"), 7)


def test_none_instead_of_a_frame_is_a_type_error_naming_the_argument():
    for name, arg in FRAME_OF.items():
        with pytest.raises(TypeError, match=arg) as caught:  # abc_chart(None): AttributeError
            getattr(plotting, name)(**{**CHARTS[name], arg: None})
        _bilingual(caught.value)


def test_bad_flags_and_sizes_are_refused():
    valid = CHARTS["quadrant_chart"]
    for argument, bad in (("log", "no"), ("log", 1), ("size", -3.0), ("alpha", 2.0),
                          ("x", None), ("y", 5)):
        with pytest.raises((TypeError, ValueError), match=argument):
            plotting.quadrant_chart(**{**valid, argument: bad})
    with pytest.raises(ValueError, match="bars"):
        plotting.abc_chart(**{**CHARTS["abc_chart"], "bars": -1})
    odd = _QUADRANTS.copy()
    odd.attrs = {**_QUADRANTS.attrs, "thresholds": {"x": float("nan"), "y": 5.0}}
    with pytest.raises(ValueError, match="thresholds"):  # was a dashed line drawn nowhere
        plotting.quadrant_chart(odd, "current", "future")
    with pytest.raises(ValueError, match="customer_share"):  # np.interp needs a rising x
        curve = CHARTS["whale_chart"]["curve"]
        plotting.whale_chart(curve.iloc[::-1])
