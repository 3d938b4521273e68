"""Chapter 1: the screening scorecard with one slider per weight."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets
import pandas as pd
from IPython.display import display

from crmlab import _validation as validate
from crmlab import glossary

# --- chapter 1: screening scorecard with weight sliders ----------------------------

#: default weights of the five screening dimensions (本课程补充: the lecture gives none)
SCORECARD_WEIGHTS: dict[str, float] = {"purchase": 0.25, "profitability": 0.30,
                                       "safety": 0.20, "future": 0.15, "cooperation": 0.10}


class ScorecardWeights(ipywidgets.VBox):
    """Weight sliders for the five screening dimensions; the top-k table updates live.

    The table is ``selection.scorecard`` (min–max scores) of ``data`` (the frame of
    ``selection.screening_dimensions``). Weights that do not add up to 1 are
    rescaled; the line above the table shows the weights actually used.
    State after each change: ``card`` (the full ranking), ``top_ids`` (ids of the
    top k), ``note.value`` (HTML), ``updates``. ``draw=False`` skips the output.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer with the id column and the five dimension scores.
    weights : dict, optional
        Start weights per dimension (default ``SCORECARD_WEIGHTS``).
    top : int, default 10
        How many customers the table shows.
    method : str, default "minmax"
        Standardisation of ``selection.scorecard``: ``"minmax"``, ``"rank"`` or ``"z"``.
    customer : str, default "customer_id"
        The customer column.
    draw : bool, default True
        Show the table after each change.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame, ``weights`` not a dict or naming an unknown
        dimension, ``top`` not a whole number, ``draw`` not a bool.
    ValueError
        If ``top`` < 1, ``method`` is unknown, or ``selection.validate_weights`` or
        ``selection.scorecard`` refuses the inputs.

    Examples
    --------
    >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
    ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
    ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
    >>> w = ScorecardWeights(dims, top=2, draw=False)
    >>> w.top_ids
    ['b', 'c']
    >>> for key, slider in w.controls.items():
    ...     slider.value = 1.0 if key == "future" else 0.0
    >>> w.top_ids, w.weights()
    (['c', 'b'], {'future': 1.0})
    """

    def __init__(self, data: pd.DataFrame, *, weights: dict[str, float] | None = None,
                 top: int = 10, method: str = "minmax", customer: str = "customer_id",
                 draw: bool = True) -> None:
        from crmlab import selection

        self._selection = selection
        validate.frame(data, "data")
        if weights is not None and not isinstance(weights, Mapping):
            raise validate.BilingualTypeError(
                f"权重 weights={validate.show(weights)} 应为字典，例如 {{\"purchase\": 0.5}}",
                f"weights={validate.show(weights)} must be a dict such as {{\"purchase\": 0.5}}")
        start = dict(SCORECARD_WEIGHTS if weights is None else weights)
        unknown = sorted(set(start) - set(selection.DIMENSIONS), key=str)
        if unknown:
            raise validate.BilingualTypeError(
                f"权重 weights 中有未知维度 {unknown}：应为 {list(selection.DIMENSIONS)} "
                "中的一个或几个",
                f"weights has unknown dimension(s) {unknown}: expected some of "
                f"{list(selection.DIMENSIONS)}")
        top = validate.integer(top, "top", minimum=1, label="显示前 k 名")
        validate.choice(method, "method", ("minmax", "rank", "z"), label="标准化方法")
        validate.name(customer, "customer", label="客户列")
        validate.flag(draw, "draw")
        selection.validate_weights(start)
        selection.scorecard(data.head(2), dict.fromkeys(start, 1.0 / len(start)), customer=customer)
        self.data, self.customer, self.draw = data, customer, draw
        common = {"continuous_update": False, "style": {"description_width": "initial"},
                  "layout": ipywidgets.Layout(width="360px")}
        self.controls = {
            key: ipywidgets.FloatSlider(value=start.get(key, 0.0), min=0.0, max=1.0,
                                        step=0.05, readout_format=".2f",
                                        description=f"{label} 权重", **common)
            for key, (label, _) in selection.DIMENSIONS.items()}
        self.top = ipywidgets.IntSlider(value=top, min=1, max=max(top, min(50, len(data))),
                                        description="显示前 k 名", **common)
        self.method = ipywidgets.Dropdown(options=[("最小–最大", "minmax"), ("排名百分位", "rank"),
                                                   ("标准分 z", "z")], value=method,
                                          description="标准化方法", style=common["style"],
                                          layout=common["layout"])
        self.note = ipywidgets.HTML()
        self.output = ipywidgets.Output()
        self.updates = 0
        self.card = pd.DataFrame()
        self.top_ids: list[Any] = []
        sliders = list(self.controls.values())
        super().__init__([ipywidgets.HBox([ipywidgets.VBox(sliders),
                                           ipywidgets.VBox([self.top, self.method])]),
                          self.note, self.output])
        for widget in [*sliders, self.top, self.method]:
            widget.observe(self._on_change, names="value")
        self.update()

    def weights(self) -> dict[str, float]:
        """Return the slider weights as set (before rescaling).

        Returns
        -------
        dict of str to float
            The slider value of each dimension whose weight is above 0.

        Examples
        --------
        >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
        ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
        ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
        >>> w = ScorecardWeights(dims, top=2, draw=False)
        >>> w.controls["safety"].value = 0.0
        >>> w.weights()
        {'purchase': 0.25, 'profitability': 0.3, 'future': 0.15, 'cooperation': 0.1}
        """
        return {key: slider.value for key, slider in self.controls.items() if slider.value > 0}

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Rescale the weights, rank the customers, redraw.

        Examples
        --------
        >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
        ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
        ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
        >>> w = ScorecardWeights(dims, top=2, draw=False)
        >>> w.controls["future"].value = 5.0  # calls update()
        >>> w.top_ids
        ['c', 'b']
        """
        raw = self.weights()
        if not raw:
            self.note.value = ("<b style='color:#c8423b'>所有权重都是 0："
                               "请至少给一个维度大于 0 的权重。</b>")
            self.updates += 1
            return
        used, _ = self._selection.validate_weights(raw)
        self.card = self._selection.scorecard(self.data, used.to_dict(),
                                              method=self.method.value, customer=self.customer)
        self.top_ids = self.card[self.customer].iloc[: self.top.value].tolist()
        shown = "，".join(f"{self._selection.DIMENSIONS[k][0]} {v:.0%}" for k, v in used.items())
        self.note.value = ("<span style='font-size:16px'>实际使用的权重（合计 100%）："
                           f"{shown}</span>")
        self.updates += 1
        if self.draw:
            self.output.clear_output(wait=True)
            with self.output:
                display(self.card.head(self.top.value).round(3).pipe(glossary.zh))


def scorecard_weights(data: pd.DataFrame, **options: Any) -> ScorecardWeights:
    """Build the screening-scorecard widget (weight sliders → ranking updates live).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer with the id column and the five dimension scores.
    **options
        ``weights``, ``top``, ``method``, ``customer``, ``draw``; see :class:`ScorecardWeights`.

    Returns
    -------
    ScorecardWeights
        The widget (display it in a notebook).

    Examples
    --------
    >>> dims = pd.DataFrame({"customer_id": ["a", "b", "c"], "purchase": [3, 1, 2],
    ...                      "profitability": [1, 3, 2], "safety": [2, 2, 2],
    ...                      "future": [1, 2, 3], "cooperation": [3, 2, 1]})
    >>> scorecard_weights(dims, top=1, draw=False).top_ids
    ['b']
    """
    return ScorecardWeights(data, **options)
