"""The event log: complaints to and from a frame, CSV and Parquet files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
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
        ``complaints`` is not a collection of :class:`Complaint` (None, text, a frame),
        or an element is not a :class:`Complaint`.

    Examples
    --------
    >>> c = Complaint("T1", customer_id=7, complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-02")
    >>> to_frame([c])[["complaint_id", "seq", "step", "customer_id"]].values.tolist()
    [['T1', 0, 'record', '7']]
    """
    if isinstance(complaints, Complaint):
        complaints = [complaints]
    if isinstance(complaints, str | bytes | Mapping | pd.DataFrame | pd.Series) \
            or not isinstance(complaints, Iterable):
        raise validate.BilingualTypeError(
            f"complaints={validate.show(complaints)} 无效：应为 Complaint 投诉单的列表",
            f"complaints={validate.show(complaints)} is invalid: expected a list of "
            f"complaints.Complaint records")
    rows = []
    for position, c in enumerate(complaints):
        if not isinstance(c, Complaint):
            raise validate.BilingualTypeError(
                f"complaints 的第 {position} 项是 {validate.show(c)}（{type(c).__name__}）："
                f"应为 Complaint 投诉单",
                f"complaints[{position}]={validate.show(c)} is a {type(c).__name__}: expected "
                f"complaints.Complaint records")
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


def _move_numbers(values: pd.Series, name: str) -> np.ndarray:
    """``seq`` as int64: whole numbers, also as text (a CSV), never sorted as text."""
    numbers = pd.to_numeric(values.astype(object), errors="coerce")
    array = numbers.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~(np.isfinite(array) & (array == np.round(array)) & (np.abs(array) < 2**53))
    if bad.any():
        where = validate.rows(values.index, bad, values.tolist())
        raise validate.BilingualValueError(
            f"{name} 在行 {where} 不是整数：应为 0, 1, 2 … 这样的步骤序号",
            f"{name} is not a whole number at rows {where}: expected move numbers 0, 1, 2 …")
    return array.astype(np.int64)


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
    # keys by position: repeated index labels (after pd.concat) must not multiply rows;
    # ids as text (7 and '7' are one complaint, as in Complaint), seq by its number
    keys = pd.DataFrame({"complaint_id": frame["complaint_id"].astype(str).to_numpy(),
                         "seq": _move_numbers(frame["seq"], "log['seq']")})
    duplicated = keys.duplicated(keep=False).to_numpy()
    if duplicated.any():
        where = validate.rows(frame.index, duplicated)
        raise validate.BilingualValueError(
            f"log 中同一投诉的同一序号 seq 出现多次（行 {where}）：每一步一个序号",
            f"log has repeated (complaint_id, seq) pairs at rows {where}: expected one "
            f"row per move")
    order = keys.sort_values(["complaint_id", "seq"], kind="stable").index.to_numpy()
    made: dict[str, Complaint] = {}
    first_seen: list[str] = []
    columns = ["complaint_id", "step", "at", "by", "note", "customer_id", "order_id",
               "complaint_type", "sub_item", "department", "satisfaction"]
    rows = frame.iloc[order][columns]
    for index, row in zip(rows.index, rows.itertuples(index=False), strict=True):
        cid = str(row.complaint_id)
        note = "" if _missing(row.note) else row.note
        try:
            if cid not in made:
                if row.step != "record":
                    raise WorkflowError(
                        f"投诉 {cid} 的第一步应为「记录投诉内容」（record），而不是 "
                        f"{validate.show(row.step)}",
                        f"Complaint {cid} must start with 'record', not "
                        f"{validate.show(row.step)}")
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
        except validate.BilingualError as err:  # the same error, with the row named
            raise type(err)(f"log 第 {index} 行：{err.zh}", f"log row {index}: {err.en}") from None
    appearance = {cid: i for i, cid in enumerate(pd.unique(keys["complaint_id"]))}
    return sorted((made[c] for c in first_seen), key=lambda c: appearance[c.complaint_id])


_TEXT_COLUMNS = ("complaint_id", "step", "by", "note", "customer_id", "order_id",
                 "complaint_type", "sub_item", "department")
_OPTIONAL = ("order_id", "department")


def to_csv(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as UTF-8 CSV (every field quoted, times in ISO format).

    Parameters
    ----------
    complaints : iterable of Complaint
        The complaint records (or one).
    path : str or Path
        The file to write (overwritten).

    Returns
    -------
    Path
        ``path``, ready for :func:`read_csv`.

    Raises
    ------
    TypeError
        ``complaints`` holds something else than records; ``path`` is not a path.

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
    path = validate.path(path)
    log = to_frame(complaints)
    log["at"] = [t.isoformat() for t in log["at"]]
    log["satisfaction"] = [("" if np.isnan(v) else repr(float(v))) for v in log["satisfaction"]]
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
    TypeError
        ``path`` is not a path.
    ValueError
        Missing columns, ``seq`` not whole numbers, unreadable times or scores.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> moved = Complaint("T4", customer_id="K4", complaint_type="contract",
    ...                   sub_item="contract_terms", by="d", at="2024-04-05").advance(
    ...     "judge", by="d", at="2024-04-06 10:30")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     log = read_log_csv(to_csv(moved, pathlib.Path(folder, "t4.csv")))
    >>> log["seq"].tolist(), log["at"].iloc[1].hour, log["order_id"].iloc[0]
    ([0, 1], 10, None)
    """
    path = validate.path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    name = f"{path.name}"
    validate.frame(raw, name, columns=list(LOG_COLUMNS))
    out = raw.copy()
    out["seq"] = _move_numbers(raw["seq"], f"{name} 'seq'")
    out["at"] = pd.to_datetime(raw["at"], format="ISO8601", errors="coerce")
    _refuse_unread(raw["at"], out["at"].isna().to_numpy(), f"{name} 'at'", "时间", "times")
    sat = raw["satisfaction"].replace("", np.nan)
    out["satisfaction"] = pd.to_numeric(sat, errors="coerce").astype("float64")
    _refuse_unread(raw["satisfaction"], (sat.notna() & out["satisfaction"].isna()).to_numpy(),
                   f"{name} 'satisfaction'", "满意度（1–5 的数字或空白）",
                   "satisfaction scores (1-5 or blank)")
    for column in _TEXT_COLUMNS:
        values = raw[column].astype(object)
        if column in _OPTIONAL:
            values = values.where(values != "", None)
        out[column] = values
    return out


def _refuse_unread(values: pd.Series, bad: np.ndarray, name: str, zh: str, en: str) -> None:
    if bad.any():
        where = validate.rows(values.index, bad, values.tolist())
        raise validate.BilingualValueError(f"{name} 在行 {where} 无法识别：应为{zh}",
                                           f"{name} is unreadable at rows {where}: expected {en}")


def read_csv(path: str | Path) -> list[Complaint]:
    r"""Read complaints written by :func:`to_csv` (the log is replayed and checked).

    Parameters
    ----------
    path : str or Path
        A CSV written by :func:`to_csv`.

    Returns
    -------
    list of Complaint
        The complaints, as :func:`from_frame` rebuilds them.

    Raises
    ------
    TypeError, ValueError
        As :func:`read_log_csv` and :func:`from_frame`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     log = Path(folder) / "log.csv"
    ...     _ = log.write_text(",".join(LOG_COLUMNS) + "\nT9,0,record,2024-05-01,客服,,"
    ...                        "K7,,service,service_skill,,\n", encoding="utf-8")
    ...     read_csv(log)[0].step
    'record'
    """
    return from_frame(read_log_csv(path))


def to_parquet(complaints: Iterable[Complaint], path: str | Path) -> Path:
    """Write the event log as Parquet (needs pyarrow): the columnar twin of :func:`to_csv`.

    Parameters
    ----------
    complaints : Complaint or iterable of Complaint
        As for :func:`to_csv`.
    path : str or Path
        Where to write, as for :func:`to_csv`.

    Returns
    -------
    Path
        ``path``, ready for :func:`read_parquet`.

    Raises
    ------
    TypeError
        As :func:`to_csv`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> record = Complaint("T2", customer_id=7, complaint_type="transport",
    ...                    sub_item="transport_loss", by="b", at="2024-02-03")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = to_parquet(record, pathlib.Path(folder, "log.parquet"))
    ...     [(r.complaint_id, r.customer_id) for r in read_parquet(out)]
    [('T2', '7')]
    """
    path = validate.path(path)
    to_frame(complaints).to_parquet(path, index=False, engine="pyarrow")
    return path


def read_parquet(path: str | Path) -> list[Complaint]:
    """Read complaints written by :func:`to_parquet` (replayed and checked like :func:`read_csv`).

    Parameters
    ----------
    path : str or Path
        A Parquet file holding an event log.

    Returns
    -------
    list of Complaint
        One record per complaint, in log order.

    Raises
    ------
    TypeError, ValueError
        ``path`` is not a path; as :func:`from_frame`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = pathlib.Path(folder, "log.parquet")
    ...     to_frame(Complaint("T3", customer_id="K", complaint_type="service",
    ...                        sub_item="service_manner", by="c", at="2024-03-04")
    ...              ).to_parquet(out)
    ...     read_parquet(out)[0].sub_item
    'service_manner'
    """
    log = pd.read_parquet(validate.path(path), engine="pyarrow")
    for column in _TEXT_COLUMNS:
        if column in log.columns:
            log[column] = log[column].astype(object).where(log[column].notna(), None)
    return from_frame(log)
