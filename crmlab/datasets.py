"""Loaders for the course data sets: real CDNOW data, textbook tables, synthetic data.

The files live in the repository's ``datasets/`` folder. A regular (non-editable)
install copies that folder into the package as ``crmlab/_datasets``; an editable
install reads it from the repository. ``data_dir()`` finds whichever is there.

>>> from crmlab import datasets
>>> tx = datasets.load_cdnow("sample")
>>> len(tx), tx["customer_id"].nunique()
(6919, 2357)
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate

CDNOW_FILES = {"master": "CDNOW_master.txt", "sample": "CDNOW_sample.txt"}
#: Rows and customers of each file, as published by Fader & Hardie.
CDNOW_SHAPE = {"master": (69_659, 23_570), "sample": (6_919, 2_357)}
CDNOW_COLUMNS = ["customer_id", "date", "quantity", "amount"]


def data_dir() -> Path:
    """The folder holding the data sets (inside the package, or the repository's)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if (candidate / "cdnow").is_dir():
            return candidate
    raise FileNotFoundError(
        f"crmlab data sets not found: looked in {here / '_datasets'} and "
        f"{here.parent / 'datasets'}; reinstall crmlab or run from the repository")


def _require_file(path: Path) -> Path:
    if not path.is_file():
        raise ValueError(f"data file {path} does not exist: reinstall crmlab or "
                         f"restore it from the repository")
    return path


def read_cdnow_file(path: str | Path, *, with_sample_index: bool = False) -> pd.DataFrame:
    """Parse one CDNOW text file into the tidy transaction frame.

    The master file has a header line and four columns; the sample file has no
    header and an extra second column (the customer's index within the sample).
    """
    path = _require_file(Path(path))
    names = (["customer_id", "sample_index", "date", "quantity", "amount"]
             if with_sample_index else CDNOW_COLUMNS)
    with path.open("r", encoding="ascii") as handle:
        first = handle.readline()
    header = 0 if first.strip().startswith("customer_id") else None
    raw = pd.read_csv(path, sep=r"\s+", header=header, names=names, dtype=str,
                      engine="python")
    if raw.shape[1] != len(names) or raw.isna().any().any():
        raise ValueError(f"{path}: expected {len(names)} whitespace-separated columns "
                         f"{names} in every row")
    return _tidy_transactions(raw.drop(columns=["sample_index"], errors="ignore"), path)


def _tidy_transactions(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    out = pd.DataFrame({
        "customer_id": pd.to_numeric(raw["customer_id"], errors="coerce"),
        "date": pd.to_datetime(raw["date"], format="%Y%m%d", errors="coerce"),
        "quantity": pd.to_numeric(raw["quantity"], errors="coerce"),
        "amount": pd.to_numeric(raw["amount"], errors="coerce"),
    })
    for column, what in (("customer_id", "an integer id"), ("date", "a YYYYMMDD date"),
                         ("quantity", "an integer"), ("amount", "a number")):
        bad = out[column].isna()
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy())[:5] + 1).tolist()
            values = raw.loc[bad, column].head(3).tolist()
            raise ValueError(f"{path}: column {column!r} must hold {what}; rows {rows} "
                             f"have {values}")
    if (out["quantity"] < 0).any() or (out["amount"] < 0).any():
        bad = ((out["quantity"] < 0) | (out["amount"] < 0)).to_numpy()
        rows = (np.flatnonzero(bad)[:5] + 1).tolist()
        raise ValueError(f"{path}: negative quantity or amount in rows {rows}; "
                         f"expected values >= 0")
    return out.astype({"customer_id": "int64", "quantity": "int64", "amount": "float64"})


def load_cdnow(kind: Literal["master", "sample"] = "master") -> pd.DataFrame:
    """CDNOW transactions (customers who first bought in Q1 1997, until June 1998).

    Returns one row per transaction: ``customer_id`` (int), ``date``
    (datetime64), ``quantity`` (CDs, int) and ``amount`` (US dollars, float).
    ``kind="master"``: 69 659 rows, 23 570 customers; ``"sample"``: the 1/10
    sample, 6 919 rows, 2 357 customers.
    """
    validate.choice(kind, "kind", CDNOW_FILES)
    path = data_dir() / "cdnow" / CDNOW_FILES[kind]
    return read_cdnow_file(path, with_sample_index=(kind == "sample"))


def _read_csv(folder: str, name: str, parse_dates: list[str] | None = None,
              columns: list[str] | None = None) -> pd.DataFrame:
    if not isinstance(name, str) or not name:
        raise TypeError(f"name={name!r} is invalid: expected a data set name")
    base = data_dir() / folder
    path = base / f"{name}.csv"
    if not path.is_file():
        known = sorted(p.stem for p in base.glob("*.csv"))
        raise ValueError(f"data set {name!r} not found in {base}: expected one of {known}")
    frame = pd.read_csv(path, encoding="utf-8")
    validate.frame(frame, str(path), columns=list(columns or []) + list(parse_dates or []))
    for column in parse_dates or []:
        parsed = pd.to_datetime(frame[column], errors="coerce", format="%Y-%m-%d")
        bad = parsed.isna() & frame[column].notna()
        if bad.any():
            rows = list(frame.index[bad][:5])
            raise ValueError(f"{path}: column {column!r} has unparseable dates at rows "
                             f"{rows}: {frame.loc[bad, column].head(3).tolist()}; "
                             f"expected YYYY-MM-DD")
        frame[column] = parsed
    return frame


def load_textbook(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A table printed in the lecture material (``datasets/textbook/<name>.csv``).

    >>> isinstance(list_datasets("textbook"), list)
    True
    """
    return _read_csv("textbook", name, columns=columns)


def load_synthetic(name: str, parse_dates: list[str] | None = None,
                   columns: list[str] | None = None) -> pd.DataFrame:
    """A synthetic teaching data set (``datasets/synthetic/<name>.csv``).

    Each one is made by ``crmlab.synthetic`` with a fixed seed (``make datasets``).
    """
    return _read_csv("synthetic", name, parse_dates, columns)


def list_datasets(folder: Literal["textbook", "synthetic"] = "textbook") -> list[str]:
    """Names of the CSV data sets in ``folder``."""
    validate.choice(folder, "folder", ("textbook", "synthetic"))
    return sorted(p.stem for p in (data_dir() / folder).glob("*.csv"))
