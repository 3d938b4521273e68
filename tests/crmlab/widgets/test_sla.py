"""crmlab.widgets.sla_explorer (chapter 5): the SLA slider's callback, without a browser."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from crmlab import complaints, datasets, widgets  # noqa: E402


@pytest.fixture(scope="module")
def cases():
    return complaints.summary(datasets.load_synthetic("complaint_log"))


def test_moving_the_slider_recomputes_the_table(cases):
    app = widgets.sla_explorer(cases, sla_days=7, draw=False)
    assert app.updates == 1 and "unassigned" not in set(app.table["department"])
    at7 = app.table.set_index("department")["sla_compliance"]
    assert "物流部" in app.summary.value and "质检部" not in app.summary.value
    app.slider.value = 14
    assert app.updates == 2
    at14 = app.table.set_index("department")["sla_compliance"]
    assert (at14 >= at7).all() and at14["logistics"] > at7["logistics"]
    expected = complaints.sla_by_department(cases, sla_days=14).set_index("department")
    assert at14["logistics"] == expected.loc["logistics", "sla_compliance"]


def test_accepts_an_event_log_and_checks_its_options(cases):
    log = datasets.load_synthetic("complaint_log")
    app = widgets.sla_explorer(log, sla_days=5, draw=False)
    assert len(app.cases) == len(cases)
    with pytest.raises(ValueError):
        widgets.sla_explorer(cases, target=80, draw=False)
    with pytest.raises(ValueError):
        widgets.sla_explorer(cases, sla_days=0, draw=False)


def test_the_chart_draws(cases):
    table = complaints.sla_by_department(cases, sla_days=7)
    ax = widgets.sla_figure(table[table["department"] != "unassigned"], 7)
    assert len(ax.patches) == 4
    matplotlib.pyplot.close(ax.figure)


def test_a_negative_or_repeated_handling_time_is_refused_not_counted_on_time():
    import pandas as pd

    cases = pd.DataFrame({"complaint_id": ["a", "b"], "opened_at": pd.to_datetime(
        ["2024-01-01", "2024-01-02"]), "status": ["closed", "closed"],
        "department": ["qa", "qa"], "handling_days": [-500.0, 3.0]})
    with pytest.raises(ValueError, match="handling_days.*-500"):
        widgets.SLAExplorer(cases, draw=False)
    with pytest.raises(ValueError, match="重复"):
        complaints.sla_by_department(cases.assign(complaint_id="a", handling_days=3.0))


def test_an_undefined_share_is_drawn_as_a_dash_and_bad_shares_are_refused():
    import pandas as pd

    table = pd.DataFrame({"department": ["quality", "logistics", "sales"],
                          "sla_compliance": [0.9, float("nan"), 0.5]})
    ax = widgets.sla_figure(table, 7)
    assert [t.get_text() for t in ax.texts] == ["90%", "—", "50%"]
    assert not any("nan" in t.get_text() for t in ax.texts)
    assert [p.get_height() for p in ax.patches] == [0.9, 0.0, 0.5]
    matplotlib.pyplot.close(ax.figure)
    for bad, error in ((1.5, ValueError), (-0.1, ValueError), (float("inf"), ValueError),
                       ("90%", TypeError)):
        with pytest.raises(error, match="sla_compliance"):
            widgets.sla_figure(table.assign(sla_compliance=[0.9, bad, 0.5]), 7)
    with pytest.raises(ValueError, match="sla_days"):
        widgets.sla_figure(table, float("nan"))
    with pytest.raises(ValueError, match="target"):
        widgets.sla_figure(table, 7, target=80)
