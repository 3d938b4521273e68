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
from typing import Any, Literal

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "data_dir",
    "list_datasets",
    "load_cdnow",
    "load_customer_file_example",
    "load_donations",
    "load_synthetic",
    "load_textbook",
    "read_cdnow_file",
]

_CDNOW_FILES = {"master": "CDNOW_master.txt", "sample": "CDNOW_sample.txt"}
_CDNOW_COLUMNS = ["customer_id", "date", "quantity", "amount"]


def data_dir() -> Path:
    """Find the folder holding the data sets (inside the package, or the repository's).

    Returns
    -------
    pathlib.Path
        The ``datasets`` folder.

    Raises
    ------
    FileNotFoundError
        Neither ``crmlab/_datasets`` nor the repository's ``datasets/`` exists.

    Examples
    --------
    >>> (data_dir() / "cdnow").is_dir()
    True
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if (candidate / "cdnow").is_dir():
            return candidate
    raise FileNotFoundError(validate.bilingual(
        f"找不到 crmlab 的数据：查看过 {here / '_datasets'} 和 {here.parent / 'datasets'}；"
        f"请重新安装 crmlab，或在仓库中运行",
        f"crmlab data sets not found: looked in {here / '_datasets'} and "
        f"{here.parent / 'datasets'}; reinstall crmlab or run from the repository"))


def _require_file(path: Path) -> Path:
    if not path.is_file():
        raise validate.BilingualValueError(
            f"数据文件 {path} 不存在：请重新安装 crmlab 或从仓库恢复它",
            f"data file {path} does not exist: reinstall crmlab or restore it from the "
            f"repository")
    return path


def read_cdnow_file(path: str | Path, *, with_sample_index: bool = False) -> pd.DataFrame:
    """Parse one CDNOW text file into the tidy transaction frame.

    The master file has a header line and four columns; the sample file has no
    header and an extra second column (the customer's index within the sample).

    Parameters
    ----------
    path : str or pathlib.Path
        The text file.
    with_sample_index : bool, default False
        True for the sample file's layout (five columns).

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (int64), ``date`` (datetime64), ``quantity`` (int64),
        ``amount`` (float64, US dollars).

    Raises
    ------
    TypeError
        ``path`` is not text or a path; ``with_sample_index`` is not a bool.
    ValueError
        A missing file, wrong columns, unparseable or negative values (the
        message names the rows).

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee, "Counting Your Customers the
    Easy Way", *Marketing Science* 24(2), 2005 (the CDNOW data set).

    Examples
    --------
    >>> tx = read_cdnow_file(data_dir() / "cdnow" / "CDNOW_master.txt")
    >>> tx.shape
    (69659, 4)
    """
    if not isinstance(path, str | Path):
        raise validate.BilingualTypeError(
            f"path={validate.show(path)} 无效：应为文件路径",
            f"path={validate.show(path)} is invalid: expected a file path")
    with_sample_index = validate.flag(with_sample_index, "with_sample_index")
    if not Path(path).is_file():
        shown = repr(str(path))   # the whole path, however long
        raise validate.BilingualValueError(f"数据文件 path={shown} 不存在：请检查路径",
                                           f"data file path={shown} does not exist: check "
                                           "the path")
    path = Path(path)
    names = (["customer_id", "sample_index", "date", "quantity", "amount"]
             if with_sample_index else _CDNOW_COLUMNS)
    with path.open("r", encoding="ascii") as handle:
        first = handle.readline()
    header = 0 if first.strip().startswith("customer_id") else None
    raw = pd.read_csv(path, sep=r"\s+", header=header, names=names, dtype=str,
                      engine="python")
    if raw.shape[1] != len(names) or raw.isna().any().any():
        raise validate.BilingualValueError(
            f"{path}：每行应有 {len(names)} 列（以空白分隔）{names}",
            f"{path}: expected {len(names)} whitespace-separated columns {names} in every row")
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
            raise validate.BilingualValueError(
                f"{path}：列 {column!r} 的第 {rows} 行无法识别（值 {values}）",
                f"{path}: column {column!r} must hold {what}; rows {rows} have {values}")
    bad = ((out["quantity"] < 0) | (out["amount"] < 0)).to_numpy()
    if bad.any():
        rows = (np.flatnonzero(bad)[:5] + 1).tolist()
        raise validate.BilingualValueError(
            f"{path}：第 {rows} 行的数量或金额是负数：应 >= 0",
            f"{path}: negative quantity or amount in rows {rows}; expected values >= 0")
    return out.astype({"customer_id": "int64", "quantity": "int64", "amount": "float64"})


def load_cdnow(kind: Literal["master", "sample"] = "master") -> pd.DataFrame:
    """Load the CDNOW transactions (customers who first bought in Q1 1997, until June 1998).

    Parameters
    ----------
    kind : {"master", "sample"}, default "master"
        ``"master"``: 69,659 rows, 23,570 customers; ``"sample"``: the 1/10
        sample, 6,919 rows, 2,357 customers.

    Returns
    -------
    pandas.DataFrame
        One row per transaction: ``customer_id`` (int), ``date`` (datetime64),
        ``quantity`` (CDs, int) and ``amount`` (US dollars, float).

    Raises
    ------
    ValueError
        An unknown ``kind``; a missing or damaged file.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee, "Counting Your Customers the
    Easy Way", *Marketing Science* 24(2), 2005 (the CDNOW data set).

    Examples
    --------
    >>> load_cdnow("sample")["amount"].dtype
    dtype('float64')
    """
    validate.choice(kind, "kind", _CDNOW_FILES, label="数据文件")
    path = data_dir() / "cdnow" / _CDNOW_FILES[kind]
    return read_cdnow_file(path, with_sample_index=(kind == "sample"))


_DONATION_COLUMNS = {"frequency": "x", "recency": "t_x", "periods": "n", "weights": "donors"}


def load_donations() -> pd.DataFrame:
    """Load the 1995 donor cohort of a US non-profit: repeat donations in 1996–2001 (BG/BB data).

    The 11,104 people who first donated in 1995, summarised by their donation
    pattern over the next six annual "transaction opportunities" (1996–2001), as
    in Fader, Hardie & Shang (2010). One row per pattern, with the number of donors
    who share it (22 rows).

    Returns
    -------
    pandas.DataFrame
        ``x`` (repeat donations in the 6 years, int), ``t_x`` (the year, 1–6, of
        the last of them; 0 if none), ``n`` (opportunities observed, 6) and
        ``donors`` (how many donors have this pattern).

    Raises
    ------
    ValueError
        A missing or damaged file.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang, "Customer-Base Analysis in a
    Discrete-Time Noncontractual Setting", *Marketing Science* 29(6), 2010.

    Examples
    --------
    >>> d = load_donations()
    >>> int(d["donors"].sum()), len(d), int(d["n"].max())
    (11104, 22, 6)
    """
    path = _require_file(data_dir() / "donations" / "donations.csv")
    frame = pd.read_csv(path, encoding="utf-8")
    validate.frame(frame, str(path), columns=list(_DONATION_COLUMNS))
    frame = frame.rename(columns=_DONATION_COLUMNS)[list(_DONATION_COLUMNS.values())]
    bad = ((frame < 0).any(axis=1) | (frame["t_x"] < frame["x"]) | (frame["t_x"] > frame["n"])
           | ((frame["x"] == 0) != (frame["t_x"] == 0)))
    if bad.any() or frame["donors"].sum() != 11_104:
        raise validate.BilingualValueError(
            f"数据文件 {path} 已损坏（应为 11 104 位捐赠者、0 ≤ x ≤ t_x ≤ n）：请从仓库恢复它",
            f"data file {path} is damaged (expected 11,104 donors and 0 <= x <= t_x <= n): "
            f"restore it from the repository")
    return frame.astype("int64")


def _name_list(values: Any, name: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise validate.BilingualTypeError(
            f"{name}={validate.show(values)} 无效：应为列名的列表",
            f"{name}={validate.show(values)} is invalid: expected a list of column names")
    return [validate.name(v, name) for v in values]


def _read_csv(folder: str, name: Any, parse_dates: Any = None,
              columns: Any = None) -> pd.DataFrame:
    validate.name(name, "name", label="数据集名称")
    parse_dates = _name_list(parse_dates, "parse_dates")
    columns = _name_list(columns, "columns")
    base = data_dir() / folder
    path = base / f"{name}.csv"
    if not path.is_file():
        known = sorted(p.stem for p in base.glob("*.csv"))
        raise validate.BilingualValueError(
            f"数据集名称 name={name!r} 在 {base} 中找不到：应为以下之一 {known}",
            f"data set name={name!r} not found in {base}: expected one of {known}")
    frame = pd.read_csv(path, encoding="utf-8")
    for argument, wanted in (("columns", columns), ("parse_dates", parse_dates)):
        missing = [c for c in wanted if c not in frame.columns]
        if missing:
            raise validate.BilingualValueError(
                f"{argument}={missing} 无效：数据集 {name} 没有这些列；现有的列 "
                f"{list(frame.columns)}",
                f"{argument}={missing} is invalid: data set {name} has no such columns; it "
                f"has {list(frame.columns)}")
    for column in parse_dates:
        parsed = pd.to_datetime(frame[column], errors="coerce", format="%Y-%m-%d")
        bad = (parsed.isna() & frame[column].notna()).to_numpy()
        if bad.any():
            where = validate.rows(frame.index, bad, frame[column].tolist())
            raise validate.BilingualValueError(
                f"{path}：列 {column!r} 有无法识别的日期，行 {where}：应为 YYYY-MM-DD",
                f"{path}: column {column!r} has unparseable dates at rows {where}; "
                f"expected YYYY-MM-DD")
        frame[column] = parsed
    return frame


def load_textbook(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Load a table printed in the lecture material (``datasets/textbook/<name>.csv``).

    Parameters
    ----------
    name : str
        The data set's name (see ``list_datasets("textbook")``).
    columns : list of str, optional
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        The table as printed in the lecture material.

    Raises
    ------
    TypeError
        ``name`` or ``columns`` of the wrong type.
    ValueError
        An unknown name (the message lists the known ones); missing columns.

    Examples
    --------
    >>> load_textbook("ch3_pools", columns=["amount"])["amount"].dtype.kind
    'i'
    """
    return _read_csv("textbook", name, columns=columns)


def load_synthetic(name: str, *, parse_dates: list[str] | None = None,
                   columns: list[str] | None = None) -> pd.DataFrame:
    """Load a synthetic teaching data set (``datasets/synthetic/<name>.csv``).

    Each one is made by ``crmlab.synthetic`` with a fixed seed (``make datasets``).

    Parameters
    ----------
    name : str
        The data set's name (see ``list_datasets("synthetic")``).
    parse_dates : list of str, optional
        Columns to parse as ``YYYY-MM-DD`` dates.
    columns : list of str, optional
        Columns that must be present.

    Returns
    -------
    pandas.DataFrame
        The data set as stored.

    Raises
    ------
    TypeError
        Arguments of the wrong type.
    ValueError
        An unknown name; missing columns; unparseable dates (rows named).

    Examples
    --------
    >>> int(load_synthetic("customer_orders", parse_dates=["date"])["date"].dt.year.max())
    2024
    """
    return _read_csv("synthetic", name, parse_dates, columns)


def load_customer_file_example() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Load chapter 0's example data: raw customer records, orders and contacts (synthetic).

    Returns
    -------
    records : pandas.DataFrame
        Raw records from three channels (the columns of
        ``customer_file.RECORD_COLUMNS``).
    orders : pandas.DataFrame
        Orders (``record_id``, ``date``, ``amount``).
    contacts : pandas.DataFrame
        The company's contacts (``record_id``, ``kind``, ``cost``).

    Raises
    ------
    ValueError
        A missing or damaged data file.

    Examples
    --------
    >>> records, orders, contacts = load_customer_file_example()
    >>> records["record_id"].is_unique
    True
    """
    from crmlab.customer_file import RECORD_COLUMNS

    records = load_synthetic("customer_records_raw", columns=RECORD_COLUMNS)
    orders = load_synthetic("customer_orders", columns=["record_id", "date", "amount"])
    contacts = load_synthetic("customer_contacts", columns=["record_id", "kind", "cost"])
    return records, orders, contacts


def list_datasets(folder: Literal["textbook", "synthetic"] = "textbook") -> list[str]:
    """List the names of the CSV data sets in ``folder``.

    Parameters
    ----------
    folder : {"textbook", "synthetic"}, default "textbook"

    Returns
    -------
    list of str
        Sorted names (without ``.csv``).

    Raises
    ------
    ValueError
        An unknown folder.

    Examples
    --------
    >>> "customer_orders" in list_datasets("synthetic")
    True
    """
    validate.choice(folder, "folder", ("textbook", "synthetic"))
    return sorted(p.stem for p in (data_dir() / folder).glob("*.csv"))
