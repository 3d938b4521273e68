"""crmlab.widgets: the CLV calculator's logic and callbacks, without a browser."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from crmlab import clv, widgets  # noqa: E402


def test_calculator_table_is_a_clv_table():
    table = widgets.calculator_table(first_revenue=1000, growth=0.5, cost=500,
                                     acquisition_cost=2500, retention=1.0, rate=0.15,
                                     horizon=2)
    assert table["revenue"].tolist() == [0.0, 1000.0, 1500.0]
    expected = clv.clv_table([1000, 1500], 500, rate=0.15, acquisition_cost=2500,
                             retention=1.0)
    assert clv.clv_total(table) == pytest.approx(clv.clv_total(expected))


def test_setting_a_slider_updates_table_and_summary():
    calc = widgets.clv_calculator(draw=False, retention=1.0, rate=0.10, cost=0,
                                  acquisition_cost=0, growth=0.0, first_revenue=100, horizon=4)
    assert round(calc.clv) == 317
    assert calc.updates == 1
    before = calc.clv
    calc.controls["retention"].value = 0.8
    assert calc.updates == 2
    assert calc.clv == pytest.approx(clv.retention_clv(100, 0.8, 0.10, horizon=4))
    assert calc.clv < before
    assert f"{calc.clv:,.2f}" in calc.summary.value
    calc.controls["horizon"].value = 6
    assert len(calc.table) == 6
    calc.controls["acquisition_cost"].value = 500
    assert calc.table["year"].iloc[0] == 0
    assert calc.clv == pytest.approx(clv.retention_clv(100, 0.8, 0.10, horizon=6) - 500)


def test_every_slider_changes_the_result():
    for name in widgets.DEFAULTS:
        calc = widgets.clv_calculator(draw=False, retention=0.9)
        slider = calc.controls[name]
        before = calc.clv
        slider.value = slider.max if slider.value != slider.max else slider.min
        assert calc.clv != pytest.approx(before), name


def test_box_holds_sliders_summary_and_output():
    calc = widgets.clv_calculator()
    assert calc.summary in calc.children and calc.output in calc.children
    assert set(calc.values()) == set(widgets.DEFAULTS)
    calc.controls["rate"].value = 0.2  # redraw path runs without a kernel
    assert calc.updates == 2


def test_figure_has_chinese_labels():
    fig = widgets.figure(widgets.calculator_table())
    ax = fig.axes[0]
    assert "CLV" in ax.get_title() and "元" in ax.get_ylabel()


def test_figure_legend_colours_match_the_bars():
    fig = widgets.figure(widgets.calculator_table())        # year 0 = acquisition, red bar
    ax = fig.axes[0]
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
    ({"horizon": 0}, ValueError),
])
def test_bad_start_values(kwargs, error):
    with pytest.raises(error):
        widgets.clv_calculator(draw=False, **kwargs)
