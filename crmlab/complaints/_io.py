"""The event log: complaints to and from a frame, CSV and Parquet files."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.complaints._taxonomy import LOG_COLUMNS
from crmlab.complaints._workflow import Complaint, WorkflowError


def to_frame(complaints: Iterable[Complaint]) -> pd.DataFrame:
    """Return the event log of ``complaints``: one row per move, columns ``LOG_COLUMNS``.

    ``department`` is filled on ``assign`` rows and ``satisfaction`` on the rows
    where it was recorded; both are missing elsewhere.

    Parameters
    ----------
    complaints : iterable of Complaint (or one Complaint)
        The complaint records.

    Returns
    -------
    DataFrame
        One row per move, columns ``LOG_COLUMNS``, complaints in the given order.

    Raises
    ------
    TypeError
        An element is not a :class:`Complaint`.

    Examples
    --------
    >>> c = Complaint("T1", customer_id=7, complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-02")
    >>> to_frame([c])[["complaint_id", "seq", "step", "customer_id"]].values.tolist()
    [['T1', 0, 'record', '7']]
    """
    if isinstance(complaints, Complaint):
        complaints = [complaints]
    rows = []
    for c in complaints:
        if not isinstance(c, Complaint):
            raise TypeError(f"complaints contains a {type(c).__name__}: expected "
                            f"complaints.Complaint objects")
        for seq, m in enumerate(c.history):
            rows.append((c.complaint_id, seq, m.step, m.at, m.by, m.note, c.customer_id,
                         c.order_id, c.complaint_type, c.sub_item, m.department,
                         np.nan if m.satisfaction is None else m.satisfaction))
    out = pd.DataFrame(rows, columns=list(LOG_COLUMNS))
    out["seq"] = out["seq"].astype("int64")
    out["at"] = pd.to_datetime(out["at"]).astype("datetime64[ns]")
    out["satisfaction"] = out["satisfaction"].astype("float64")
    for column in ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                   "complaint_type", "sub_item", "department"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def from_frame(log: pd.DataFrame) -> list[Complaint]:
    """Replay an event log through the workflow; return the complaints in log order.

    Rows are taken per complaint in ``seq`` order; the first move must be
    ``record``. Every later move goes through :meth:`Complaint.advance`, so an
    illegal move, an unknown step or a time going backwards raises with the
    row's index named.

    Parameters
    ----------
    log : DataFrame
        An event log with (at least) ``complaint_id``, ``seq``, ``step``, ``at``,
        ``by``, ``customer_id``, ``complaint_type`` and ``sub_item``; not modified.

    Returns
    -------
    list of Complaint
        One record per complaint, in order of first appearance in ``log``.

    Raises
    ------
    WorkflowError
        A complaint does not start with ``record``, an illegal move, or a time
        going backwards (the row is named).
    TypeError, ValueError
        Missing columns or ids, repeated (complaint_id, seq), bad codes or values.

    Examples
    --------
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> _ = c.advance("judge", by="b", at="2024-01-03")
    >>> from_frame(to_frame([c]))[0] == c
    True
    """
    validate.frame(log, "log", columns=["complaint_id", "seq", "step", "at", "by",
                                     "customer_id", "complaint_type", "sub_item"])
    frame = log.copy()
    for column in ("note", "order_id", "department", "satisfaction"):
        if column not in frame.columns:
            frame[column] = None
    validate.no_missing(frame["complaint_id"], "log['complaint_id']")
    validate.no_missing(frame["seq"], "log['seq']")
    order = frame.sort_values(["complaint_id", "seq"], kind="stable").index
    duplicated = frame.duplicated(["complaint_id", "seq"], keep=False)
    if duplicated.any():
        rows = list(frame.index[duplicated][:5])
        raise ValueError(f"log 中同一投诉的同一序号 seq 出现多次（行 {rows}）。 log has "
                         f"repeated (complaint_id, seq) pairs at rows {rows}")
    made: dict[str, Complaint] = {}
    first_seen: list[str] = []
    columns = ["complaint_id", "step", "at", "by", "note", "customer_id", "order_id",
               "complaint_type", "sub_item", "department", "satisfaction"]
    rows = frame.loc[order, columns]
    for index, row in zip(rows.index, rows.itertuples(index=False), strict=True):
        cid = str(row.complaint_id)
        note = "" if _missing(row.note) else row.note
        try:
            if cid not in made:
                if row.step != "record":
                    raise WorkflowError(
                        f"投诉 {cid} 的第一步应为「记录投诉内容」（record），而不是 "
                        f"{validate.show(row.step)}。 Complaint {cid} must start with "
                        f"'record', not {validate.show(row.step)}")
                made[cid] = Complaint(
                    cid, customer_id=row.customer_id, complaint_type=row.complaint_type,
                    sub_item=row.sub_item, by=row.by, at=row.at, note=note,
                    order_id=None if _missing(row.order_id) else row.order_id)
                first_seen.append(cid)
            else:
                made[cid].advance(
                    row.step, by=row.by, at=row.at, note=note,
                    department=None if _missing(row.department) else row.department,
                    satisfaction=None if _missing(row.satisfaction) else row.satisfaction)
        except (TypeError, ValueError) as err:
            raise type(err)(f"log 第 {index} 行：{err}") from None
    appearance = {cid: i for i, cid in enumerate(pd.unique(frame["complaint_id"].astype(str)))}
    return sorted((made[c] for c in first_seen), key=lambda c: appearance[c.complaint_id])


_TEXT_COLUMNS = ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                 "complaint_type", "sub_item", "department")
_OPTIONAL = ("order_id", "department")


def to_csv(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as UTF-8 CSV (every field quoted, times in ISO format).

    Parameters
    ----------
    complaints : iterable of Complaint
        The complaint records.
    path : str or Path
        The file to write (overwritten).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_csv(path) == [c]
    True
    """
    log = to_frame(complaints)
    log["at"] = [t.isoformat() for t in log["at"]]
    log["satisfaction"] = [("" if np.isnan(v) else repr(float(v))) for v in log["satisfaction"]]
    path = Path(path)
    log.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_ALL,
               lineterminator="\n")
    return path


def read_log_csv(path: str | Path) -> pd.DataFrame:
    """Read an event-log CSV exactly (all text, no guessing), with typed columns.

    Parameters
    ----------
    path : str or Path
        A CSV written by :func:`to_csv` (or shaped like it).

    Returns
    -------
    DataFrame
        The event log: ``seq`` int64, ``at`` datetime64, ``satisfaction`` float64,
        the other columns text (``None`` for a missing order or department).

    Raises
    ------
    ValueError
        Missing columns, ``seq`` not whole numbers or unreadable times.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_log_csv(path)["step"].tolist()
    ['record']
    """
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    validate.frame(raw, str(path), columns=list(LOG_COLUMNS))
    out = raw.copy()
    seq = pd.to_numeric(raw["seq"], errors="coerce")
    bad = seq.isna()
    if bad.any():
        raise ValueError(f"{path}: seq 列第 {list(raw.index[bad][:5])} 行不是整数。 column "
                         f"'seq' must hold whole numbers")
    out["seq"] = seq.astype("int64")
    out["at"] = pd.to_datetime(raw["at"], format="ISO8601", errors="coerce")
    bad = out["at"].isna()
    if bad.any():
        raise ValueError(f"{path}: at 列第 {list(raw.index[bad][:5])} 行无法识别为时间。 "
                         f"column 'at' has unparseable times at rows {list(raw.index[bad][:5])}")
    out["satisfaction"] = pd.to_numeric(raw["satisfaction"].replace("", np.nan),
                                        errors="coerce").astype("float64")
    for column in _TEXT_COLUMNS:
        values = raw[column].astype(object)
        if column in _OPTIONAL:
            values = values.where(values != "", None)
        out[column] = values
    return out


def read_csv(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_csv` (the log is replayed and checked).

    Parameters
    ----------
    path : str or Path
        A CSV written by :func:`to_csv`.

    Returns
    -------
    list of Complaint
        The complaints, as :func:`from_frame` rebuilds them.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_csv([c], Path(folder) / "log.csv")
    ...     read_csv(path)[0].step
    'record'
    """
    return from_frame(read_log_csv(path))


def to_parquet(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as Parquet (needs pyarrow).

    Parameters
    ----------
    complaints : iterable of Complaint
        The complaint records.
    path : str or Path
        The file to write (overwritten).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_parquet([c], Path(folder) / "log.parquet")
    ...     read_parquet(path) == [c]
    True
    """
    path = Path(path)
    to_frame(complaints).to_parquet(path, index=False, engine="pyarrow")
    return path


def read_parquet(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_parquet`.

    Parameters
    ----------
    path : str or Path
        A Parquet file written by :func:`to_parquet`.

    Returns
    -------
    list of Complaint
        The complaints, as :func:`from_frame` rebuilds them.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = to_parquet([c], Path(folder) / "log.parquet")
    ...     len(read_parquet(path))
    1
    """
    log = pd.read_parquet(path, engine="pyarrow")
    for column in _TEXT_COLUMNS:
        if column in log.columns:
            log[column] = log[column].astype(object).where(log[column].notna(), None)
    return from_frame(log)
