"""Chapter 1's scorecard widget: sliders drive selection.scorecard (no browser needed)."""

import pytest

from crmlab import selection, widgets
from crmlab.synthetic import b2b_customers


@pytest.fixture(scope="module")
def dims():
    return selection.screening_dimensions(b2b_customers())


def test_default_weights_give_the_pure_function_ranking(dims):
    w = widgets.scorecard_weights(dims, draw=False)
    expected = selection.scorecard(dims, widgets.SCORECARD_WEIGHTS)
    assert w.top_ids == expected["customer_id"].head(10).tolist()
    assert "收益性 30%" in w.note.value


def test_moving_a_slider_rescales_and_reranks(dims):
    w = widgets.ScorecardWeights(dims, draw=False)
    before = w.updates
    for key, slider in w.controls.items():
        slider.value = 1.0 if key == "future" else 0.0
    assert w.updates > before
    growth_first = dims.sort_values("future", ascending=False, kind="stable")
    assert w.top_ids[0] == growth_first["customer_id"].iloc[0]
    assert "未来性 100%" in w.note.value


def test_all_zero_weights_show_a_message_instead_of_failing(dims):
    w = widgets.ScorecardWeights(dims, draw=False)
    for slider in w.controls.values():
        slider.value = 0.0
    assert "至少" in w.note.value


def test_top_and_method_controls(dims):
    w = widgets.ScorecardWeights(dims, draw=False, top=5)
    assert len(w.top_ids) == 5
    w.method.value = "rank"
    assert w.card.attrs["method"] == "rank"


def test_unknown_dimension_is_refused(dims):
    with pytest.raises(TypeError, match="未知维度"):
        widgets.ScorecardWeights(dims, weights={"size": 1.0}, draw=False)
