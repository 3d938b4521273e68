"""Seeded generators for the synthetic teaching data sets (``datasets/synthetic/``).

The lecture material has no raw data for some topics, so the course makes its
own, with a fixed seed, and documents the patterns each data set plants in
``datasets/synthetic/README.md``. One submodule per data family (chapter 0's
customer file in :mod:`crmlab.synthetic.customer_file`, chapter 1's B2B
customers in :mod:`crmlab.synthetic.b2b`, ...); ``GENERATORS``
maps each file name to its generator. ``python -m crmlab.synthetic
datasets/synthetic`` rewrites every file; a test checks that the committed files
are reproduced byte for byte.

>>> sorted(GENERATORS)[:3]
['b2b_customers', 'cohort_transactions', 'complaint_log']
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from crmlab import _validation as validate
from crmlab.synthetic.b2b import b2b_customers
from crmlab.synthetic.complaints import (
    cohort_transactions,
    complaint_log,
    loyalty_survey,
    shop_orders,
)
from crmlab.synthetic.crm_system import order_costs
from crmlab.synthetic.customer_file import (
    customer_contacts,
    customer_orders,
    customer_records_raw,
)
from crmlab.synthetic.portfolio import (
    portfolio_customers,
    portfolio_orders,
    portfolio_products,
)

__all__ = [
    "GENERATORS",
    "b2b_customers",
    "cohort_transactions",
    "complaint_log",
    "customer_contacts",
    "customer_orders",
    "customer_records_raw",
    "loyalty_survey",
    "order_costs",
    "portfolio_customers",
    "portfolio_orders",
    "portfolio_products",
    "shop_orders",
    "to_csv_text",
    "write_all",
]

#: file name (without .csv) -> generator; each data family adds its own lines
GENERATORS: dict[str, Callable[[], pd.DataFrame]] = {
    # chapter 0 — customer file
    "customer_records_raw": customer_records_raw,
    "customer_orders": customer_orders,
    "customer_contacts": customer_contacts,
    # chapter 1 — B2B customers for selection (whale curve, scorecard)
    "b2b_customers": b2b_customers,
    # chapter 4 — customer portfolio (B2B customers by channel type)
    "portfolio_customers": portfolio_customers,
    "portfolio_orders": portfolio_orders,
    "portfolio_products": portfolio_products,
    # chapter 5 — complaints and loyalty
    "shop_orders": shop_orders,
    "complaint_log": complaint_log,
    "loyalty_survey": loyalty_survey,
    "cohort_transactions": cohort_transactions,
    # chapter 7 — CRM system
    "order_costs": order_costs,
}


def to_csv_text(frame: pd.DataFrame) -> str:
    r"""Render a frame as the exact text written to disk (UTF-8, ``\n`` line ends, no index).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write (not modified).

    Returns
    -------
    str
        The CSV text.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame.

    Examples
    --------
    >>> to_csv_text(pd.DataFrame({"a": [1, 2]}))
    'a\n1\n2\n'
    """
    validate.frame(frame, "frame", allow_empty=True)
    return frame.to_csv(index=False, lineterminator="\n")


def write_all(folder: str | Path) -> list[Path]:
    """Regenerate every synthetic data set into ``folder``; return the paths.

    Parameters
    ----------
    folder : str or pathlib.Path
        Created if missing.

    Returns
    -------
    list of pathlib.Path
        One CSV per entry of ``GENERATORS``.

    Raises
    ------
    TypeError
        ``folder`` is not a path.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     len(write_all(tmp)) == len(GENERATORS)
    True
    """
    if not isinstance(folder, str | Path):
        raise validate.BilingualTypeError(
            f"folder={validate.show(folder)} 无效：应为文件夹路径",
            f"folder={validate.show(folder)} is invalid: expected a folder path")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in GENERATORS.items():
        path = folder / f"{name}.csv"
        path.write_text(to_csv_text(make()), encoding="utf-8", newline="")
        paths.append(path)
    return paths
