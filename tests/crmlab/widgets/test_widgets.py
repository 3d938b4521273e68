"""crmlab.widgets: the CLV calculator's logic and callbacks, without a browser."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from crmlab import clv, datasets, plotting, widgets  # noqa: E402


def test_calculator_table_is_a_clv_table():
    table = widgets.calculator_table("1000, 1500", cost=500, acquisition_cost=2500,
                                     retention=1.0, rate=0.15)
    assert table["revenue"].tolist() == [0.0, 1000.0, 1500.0]
    expected = clv.clv_table([1000, 1500], 500, rate=0.15, acquisition_cost=2500,
                             retention=1.0)
    assert clv.clv_total(table) == pytest.approx(clv.clv_total(expected))


def test_default_is_the_lectures_example_b():
    assert widgets.parse_revenue(widgets.DEFAULTS["revenue"]).tolist() == [
        1000, 1500, 2000, 2000, 2000]
    calc = widgets.clv_calculator(draw=False)
    seed = datasets.load_textbook("ch2_example_b")
    years = seed[seed["year"] > 0]
    example_b = clv.clv_table(years["revenue"], years["cost"], rate=0.15,
                              acquisition_cost=seed.loc[seed["year"] == 0, "cost"].item())
    assert calc.clv == pytest.approx(clv.clv_total(example_b))
    assert round(calc.clv, 2) == 1280.60


def test_typing_a_revenue_path_updates_table_and_summary():
    calc = widgets.clv_calculator(draw=False, retention=1.0, rate=0.10, cost=0,
                                  acquisition_cost=0, revenue="100, 100, 100, 100")
    assert round(calc.clv) == 317
    assert calc.updates == 1
    before = calc.clv
    calc.controls["retention"].value = 0.8
    assert calc.updates == 2
    assert calc.clv == pytest.approx(clv.retention_clv(100, 0.8, 0.10, horizon=4))
    assert calc.clv < before
    assert f"{calc.clv:,.2f}" in calc.summary.value
    calc.controls["revenue"].value = "100, 100, 100, 100, 100, 100"
    assert len(calc.table) == 6 and "6 年" in calc.summary.value
    calc.controls["acquisition_cost"].value = 500
    assert calc.table["year"].iloc[0] == 0
    assert calc.clv == pytest.approx(clv.retention_clv(100, 0.8, 0.10, horizon=6) - 500)
    calc.controls["revenue"].value = "100，200、300; 400"          # Chinese separators too
    assert calc.table["revenue"].tolist()[1:] == [100, 200, 300, 400]


@pytest.mark.parametrize("entry, words", [
    ("1000, 1500, abc", ["第 3 项", "abc", "不是数字"]),
    ("1000, 2千", ["第 2 项", "2千"]),
    ("", ["空的"]),
    ("   ", ["空的"]),
    ("1,500, 2000", ["千位分隔符"]),
    ("1000, -500", ["负数"]),
    ("1000, nan", ["NaN"]),
    ("1000, 1e400", ["NaN 或无穷大"]),
    (", ".join(["100"] * 51), ["最多", "50"]),
])
def test_a_bad_entry_shows_a_chinese_message_not_a_traceback(entry, words):
    calc = widgets.clv_calculator(draw=False)
    good = calc.clv
    calc.controls["revenue"].value = entry                  # never raises
    assert calc.error and all(word in calc.error for word in words), calc.error
    assert "⚠️" in calc.summary.value and calc.error in calc.summary.value
    assert "expected" not in calc.error, calc.error            # the Chinese sentence only
    assert calc.clv == good                                  # last valid result kept
    calc.controls["revenue"].value = "1000, 1500"
    assert calc.error == "" and "⚠️" not in calc.summary.value


def test_every_control_changes_the_result():
    for name in widgets.DEFAULTS:
        calc = widgets.clv_calculator(draw=False, retention=0.9)
        control = calc.controls[name]
        before = calc.clv
        if name == "revenue":
            control.value = "1000, 1500, 2000, 2000, 2500"
        else:
            control.value = control.max if control.value != control.max else control.min
        assert calc.clv != pytest.approx(before), name


def test_box_holds_sliders_summary_and_output():
    calc = widgets.clv_calculator()
    assert calc.summary in calc.children and calc.output in calc.children
    assert set(calc.values()) == set(widgets.DEFAULTS)
    calc.controls["rate"].value = 0.2  # redraw path runs without a kernel
    assert calc.updates == 2


def test_figure_has_chinese_labels():
    ax = plotting.clv_calculator_chart(widgets.calculator_table())
    assert "CLV" in ax.get_title() and "元" in ax.get_ylabel()


def test_figure_legend_colours_match_the_bars():
    ax = plotting.clv_calculator_chart(widgets.calculator_table())  # year 0: red bar
    legend = {text.get_text(): handle for text, handle in
              zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)}
    first_bar = ax.patches[0].get_facecolor()
    later_bar = ax.patches[1].get_facecolor()
    assert first_bar != later_bar
    assert legend["当年现值（负，含获取成本）"].get_facecolor() == first_bar
    assert legend["当年现值（正）"].get_facecolor() == later_bar


@pytest.mark.parametrize("kwargs, error", [
    ({"colour": 3}, TypeError),
    ({"retention": 1.5}, ValueError),
    ({"rate": -1}, ValueError),
    ({"revenue": ""}, ValueError),
    ({"revenue": 1000}, TypeError),
])
def test_bad_start_values(kwargs, error):
    with pytest.raises(error):
        widgets.clv_calculator(draw=False, **kwargs)


@pytest.mark.parametrize("kwargs", [{"cost": -1}, {"acquisition_cost": -100},
                                    {"revenue": "1000, -5"}, {"revenue": [1000, -5]}])
def test_negative_money_is_refused(kwargs):
    with pytest.raises(ValueError):
        widgets.clv_calculator(draw=False, **kwargs)


def test_start_value_outside_the_slider_range_is_not_clamped():
    # regression: rate=0.9 used to be clamped to the slider's 0.4 (CLV -830.90)
    calc = widgets.clv_calculator(draw=False, rate=0.9)
    assert calc.controls["rate"].value == 0.9
    assert round(calc.clv, 2) == -1565.46
    assert round(clv.clv_total(widgets.calculator_table(rate=0.9)), 2) == -1565.46
    big = widgets.clv_calculator(draw=False, revenue=[12_000] * 30)
    assert len(big.table) == 31 and big.values()["revenue"].startswith("12000, 12000")


@pytest.mark.parametrize("kwargs, error", [
    ({"rate": float("nan")}, ValueError), ({"rate": "0.1"}, TypeError),
    ({"retention": float("inf")}, ValueError), ({"revenue": "1e308, 1e308"}, ValueError),
    ({"draw": "no"}, TypeError), ({"cost": [0.1]}, ValueError),
    ({"revenue": {"year 1": 1000}}, TypeError),
])
def test_bad_values_raise_clear_errors(kwargs, error):
    with pytest.raises(error):
        widgets.clv_calculator(**({"draw": False} | kwargs))


# --- ABC what-if app (the widget of 《客户价值测算》) ---------------------------------

SEGMENTS = pd.DataFrame({"segment": ["甲", "乙", "丙"], "sales": [100, 100, 100],
                         "direct_cost": [20, 30, 50]})


def _abc_inputs():
    data = datasets.load_textbook("ch3_abc_activities")
    activities = data.drop_duplicates("activity")[["activity", "pool", "cost", "driver"]]
    drivers = data[["activity", "segment", "quantity"]]
    return activities, drivers


def test_what_if_app_callback_updates_table():
    activities, drivers = _abc_inputs()
    before = drivers.copy()
    app = widgets.ABCWhatIf(SEGMENTS, activities, drivers, segment="甲")
    assert app.segment == "甲"
    profits = app.table.set_index("segment")["segment_profit"]
    assert profits.loc[["甲", "乙", "丙"]].tolist() == [25, 45, 20]  # the printed ABC profits
    app.sliders["订单处理"].value = 450  # 甲 halves its orders
    profits = app.table.set_index("segment")["segment_profit"]
    # order processing (30) now split 450:300:600 -> 甲 10, 乙 6.67, 丙 13.33
    assert profits["甲"] == pytest.approx(30.0)
    assert profits["乙"] == pytest.approx(100 - 30 - 30 * 300 / 1350 - 5 - 15)
    assert profits["total"] == pytest.approx(90.0)
    for name in ("订单处理", "账务与信用管理", "销售拜访", "售后服务"):
        app.sliders[name].value = 0
    assert app.table is not None  # others still carry every activity's driver
    pd.testing.assert_frame_equal(drivers, before)
    with pytest.raises(ValueError, match="segment"):
        widgets.ABCWhatIf(SEGMENTS, activities, drivers, segment="丁")
    plt.close("all")


def test_what_if_app_keeps_fractional_quantities():
    activities = pd.DataFrame({"activity": ["v"], "pool": ["selling"], "cost": [8.0],
                               "driver": ["visits"]})
    drivers = pd.DataFrame({"activity": ["v", "v"], "segment": ["甲", "乙"],
                            "quantity": [2.5, 1.0]})
    app = widgets.ABCWhatIf(SEGMENTS, activities, drivers, draw=False)
    assert app.sliders["v"].value == 2.5
    assert app.table.set_index("segment").at["甲", "selling"] == pytest.approx(8 * 2.5 / 3.5)


def test_what_if_app_reports_an_unallocatable_state():
    activities = pd.DataFrame({"activity": ["v"], "pool": ["selling"], "cost": [8.0],
                               "driver": ["visits"]})
    drivers = pd.DataFrame({"activity": ["v"], "segment": ["甲"], "quantity": [3]})
    app = widgets.ABCWhatIf(SEGMENTS, activities, drivers)
    app.sliders["v"].value = 0
    assert app.table is None and "0" in app.problem
    plt.close("all")


# --- issue 7: bad-input property over the whole widget API ----------------------

from tests import _bad_input as _bad  # noqa: E402

ACTIVITIES, DRIVERS = _abc_inputs()
WIDGET_CALLS = {
    "revenue_path": (widgets.revenue_path, {"first_revenue": 1000.0, "growth": 0.1,
                                            "horizon": 3}),
    "calculator_table": (widgets.calculator_table, dict(widgets.DEFAULTS)),
    "clv_calculator": (widgets.clv_calculator, {"draw": False, **widgets.DEFAULTS}),
    "CLVCalculator": (widgets.CLVCalculator, {"draw": False, **widgets.DEFAULTS}),
    "ABCWhatIf": (widgets.ABCWhatIf, {"segments": SEGMENTS, "activities": ACTIVITIES,
                                      "drivers": DRIVERS, "segment": "甲", "draw": False}),
}
WIDGET_CASES = [(name, argument, category)
                for name, (_, valid) in WIDGET_CALLS.items()
                for argument, value in valid.items()
                for category in (_bad.FRAMES if isinstance(value, pd.DataFrame)
                                 else _bad.SCALARS)]


def _state(result):
    """The numbers a widget shows: its table and CLV (for the finiteness check)."""
    if isinstance(result, widgets.CLVCalculator):
        return _bad.numbers_of([result.table, result.clv])
    if isinstance(result, widgets.ABCWhatIf):
        return _bad.numbers_of(result.table)
    return _bad.numbers_of(result)


@pytest.mark.parametrize("name, argument, category", WIDGET_CASES)
def test_property_every_bad_input_category(name, argument, category):
    function, valid = WIDGET_CALLS[name]
    kwargs = dict(valid)
    kwargs[argument] = (_bad.FRAMES if isinstance(valid[argument], pd.DataFrame)
                        else _bad.SCALARS)[category]
    result = _bad.attack(function, kwargs, finite=_state)
    if isinstance(result, widgets.CLVCalculator):   # accepted: shown exactly, never clamped
        for key, slider in result.controls.items():
            if key != "revenue":
                assert slider.value == pytest.approx(float(kwargs[key])), key
    plt.close("all")


def test_every_slider_keeps_a_value_outside_its_usual_range():
    far = {"cost": 9_000.0, "acquisition_cost": 50_000.0, "rate": -0.05}
    calc = widgets.clv_calculator(draw=False, **far)
    for key, value in far.items():
        assert calc.controls[key].value == value
    assert calc.clv == pytest.approx(clv.clv_total(widgets.calculator_table(
        **{**widgets.DEFAULTS, **far})))
