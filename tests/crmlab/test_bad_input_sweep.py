"""The bad-input sweep: every registered public callable meets junk in each argument.

One harness (``tests/_bad_input.py``): NaN/±inf, 1e308, negatives, text for
numbers, wrong containers, empty input, and frames with repeated index labels.
The promise: a Chinese + English ``ValueError``/``TypeError`` or a finite answer,
never a mutated argument, never rows multiplied. Register a new public function
here with one valid call.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from crmlab import clv, loyalty, pareto, plotting, portfolio, selection  # noqa: E402
from tests._bad_input import sweep  # noqa: E402

SHOPS = pd.DataFrame({"customer_id": [1, 2, 3, 4], "channel_type": ["retail", "retail", "agent",
                                                                    "agent"],
                      "sales": [30.0, 10.0, 50.0, 10.0]}, index=[5, 6, 7, 8])
PRODUCTS = pd.DataFrame({"product": ["x", "y"], "cost": [120.0, 60.0],
                         "average_inventory": [30.0, 20.0], "sales": [200.0, 90.0]})
B2B = pd.DataFrame({"customer_id": [1, 2], "sales": [10.0, 20.0], "gross_profit": [1.0, 2.0],
                    "collection_rate": [0.8, 1.0], "sales_last_year": [8.0, 25.0],
                    "cooperation": [4, 5], "profit": [-1.0, 3.0]})
CARDS = pd.DataFrame({"customer_id": ["a", "a", "b"], "year": [1, 2, 1],
                      "card_fee": [500.0, 600.0, 400.0], "interest_income": [0.0, 0.0, 0.0],
                      "spending": [1000.0, 2000.0, 100.0], "points_cost": [0.0, 0.0, 0.0],
                      "referral_reward": [0.0, 0.0, 0.0], "allocation_cost": [10.0, 10.0, 10.0],
                      "maintenance_cost": [5.0, 5.0, 5.0]})
SURVEY = pd.DataFrame({"brand_attention": [4, 2], "category_purchases": [10, 5],
                       "our_purchases": [5, 5], "price_tolerance_pct": [10, 20],
                       "competitor_interest": [2, 4], "identification": [5, 3],
                       "choice_minutes": [5, 15], "quality_tolerance": [3, 3]})
VALUES = pd.DataFrame({"customer_id": [1, 2, 3, 4], "current": [9.0, 1.0, 8.0, 2.0],
                       "future": [9.0, 8.0, 1.0, 2.0], "profit": [40.0, 30.0, 20.0, 10.0],
                       "abc_class": ["A", "A", "B", "C"]})


def _whale(**kwargs):
    try:
        return plotting.whale_chart(**kwargs).get_title()
    finally:
        plt.close("all")


def _pyramid_chart(**kwargs):
    try:
        return plotting.pyramid_chart(**kwargs).get_title()
    finally:
        plt.close("all")


CALLS = {
    "portfolio.composition": (portfolio.composition, {"data": SHOPS}),
    "portfolio.composition_summary": (portfolio.composition_summary, {"data": SHOPS}),
    "portfolio.turnover": (portfolio.turnover, {"data": PRODUCTS, "days": 360}),
    "portfolio.product_margins": (portfolio.product_margins, {"data": PRODUCTS}),
    "portfolio.pyramid": (portfolio.pyramid, {"data": VALUES}),
    "portfolio.quadrants": (portfolio.quadrants, {"data": VALUES, "x": "current",
                                                  "y": "future", "scheme": "clv_matrix"}),
    "portfolio.visit_plan": (portfolio.visit_plan, {"data": VALUES, "months": 12}),
    "selection.normalize": (selection.normalize, {"values": [10.0, 20.0, 40.0]}),
    "selection.screening_dimensions": (selection.screening_dimensions, {"data": B2B}),
    "selection.size_vs_profit": (selection.size_vs_profit, {"data": B2B}),
    "clv.card_clv": (clv.card_clv, {"data": CARDS, "rate": 0.1, "margin_rate": 0.005}),
    "loyalty.survey_measures": (loyalty.survey_measures, {"survey": SURVEY}),
    "plotting.whale_chart": (_whale, {"curve": pareto.whale_curve([50, 30, 20, 5, -10, -15]),
                                      "top": 0.2, "bottom": 0.3}),
    "plotting.pyramid_chart": (_pyramid_chart, {"pyramid": portfolio.pyramid(VALUES)}),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_junk_gets_a_clear_error_or_a_finite_answer(name):
    function, valid = CALLS[name]
    outcomes = sweep(function, valid)
    assert outcomes, "no argument was swept"
    refused = [k for k, v in outcomes.items() if v == "refused"]
    assert refused, "nothing was refused: is the sweep reaching the function?"
