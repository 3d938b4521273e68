"""The course's data as table frames, chapter 5's log as tables, and loading them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pandas as pd

from crmlab.crmdb._core import MAX_INTEGER, CRMDBError, check_connection, transaction, whole
from crmlab.crmdb._load import TABLES, load

#: the analysis date of the course data (the end of the 2024 data)
COURSE_AS_OF = "2024-12-31"


def course_tables() -> dict[str, pd.DataFrame]:
    """Return the course's data as table frames: customer file, orders with costs, contacts.

    Customers are the unified customer file (``customer_file.build_customer_file``);
    each channel record maps to its customer; orders and contacts are re-keyed
    to the customer and keep the channel record; order costs come from
    ``order_costs.csv`` (chapter 7). No complaints are loaded: chapter 5's
    complaint log belongs to another customer base (the shop of chapter 5, ids
    ``K…``), so complaints enter this database the way they do in a real
    system, through ``open_complaint`` and ``advance`` (or
    ``complaint_tables`` for a log of *these* customers).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``customers``, ``source_records``, ``orders`` and ``contacts``, with the
        columns of ``TABLES``.

    Examples
    --------
    >>> tables = course_tables()
    >>> list(tables)
    ['customers', 'source_records', 'orders', 'contacts']
    """
    from crmlab import customer_file as cf
    from crmlab import datasets

    records, orders, contacts = datasets.load_customer_file_example()
    file = cf.build_customer_file(records, orders, contacts)
    to_customer = pd.Series(file.attrs["record_to_customer"])
    clean = cf.clean_records(records)
    customers = file.reset_index()[list(TABLES["customers"])]
    sources = pd.DataFrame({
        "record_id": clean["record_id"].astype(str).to_numpy(),
        "customer_id": clean["record_id"].map(to_customer).astype("int64").to_numpy(),
        "source": clean["source"].astype(str).to_numpy(),
        "registered": clean["registered"].dt.strftime("%Y-%m-%d").to_numpy(),
    })
    costs = datasets.load_synthetic("order_costs", columns=["order_id", "category", "cost"])
    order_rows = orders.merge(costs[["order_id", "category", "cost"]], on="order_id",
                              how="left", validate="one_to_one")
    order_table = pd.DataFrame({
        "order_id": order_rows["order_id"], "customer_id": order_rows["record_id"].map(
            to_customer).astype("int64"),
        "record_id": order_rows["record_id"], "order_date": order_rows["date"],
        "amount": order_rows["amount"].astype(float), "cost": order_rows["cost"],
        "category": order_rows["category"],
    })
    contact_table = pd.DataFrame({
        "contact_id": contacts["contact_id"],
        "customer_id": contacts["record_id"].map(to_customer).astype("int64"),
        "record_id": contacts["record_id"],
        "contact_date": datasets.load_synthetic("customer_contacts")["date"],
        "kind": contacts["kind"], "cost": contacts["cost"].astype(float),
    })
    tables = {"customers": customers, "source_records": sources, "orders": order_table,
              "contacts": contact_table}
    return tables


def complaint_tables(log: pd.DataFrame, *, first_id: int = 1) -> dict[str, pd.DataFrame]:
    """Turn chapter 5's complaint log into the ``complaints`` and ``complaint_events`` tables.

    ``log`` has the columns of ``crmlab.complaints.LOG_COLUMNS`` (one row per
    move; ``complaints.to_frame`` writes it). Complaints are numbered
    ``first_id, first_id + 1, ...`` in order of appearance; the log's own id is
    kept in ``ticket``. The first move (``record``) becomes the complaint row
    (its note the description, its ``by`` the recorder ``opened_by``); every
    later move an event whose ``from_step`` is the previous move's step, with
    its ``by`` as ``actor``, and the ``department`` (named at ``assign``) and
    ``satisfaction`` (recorded at ``review``/``closed``) it carries. Loading the
    result with ``load`` replays every move through the database's triggers.

    Parameters
    ----------
    log : pandas.DataFrame
        The event log (at least ``complaint_id``, ``seq``, ``step``, ``at``,
        ``customer_id`` and ``complaint_type``).
    first_id : int
        The number of the first complaint (1 to 2**63 − 1, room for all).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``complaints`` (one row per complaint) and ``complaint_events`` (one row
        per later move).

    Raises
    ------
    CRMDBError
        If a complaint's first move is not ``record``, or ``first_id`` is not a
        whole number that leaves room for every complaint below 2**63.

    Examples
    --------
    >>> from crmlab import complaints as cp
    >>> from crmlab import crmdb
    >>> c = cp.Complaint("T1", customer_id=7, complaint_type="service",
    ...                  sub_item="service_skill", by="a", at="2024-01-02 09:00", note="慢")
    >>> _ = c.advance("judge", by="b", at="2024-01-03 10:00")
    >>> t = crmdb.complaint_tables(cp.to_frame([c]))
    >>> t["complaint_events"][["complaint_id", "from_step", "to_step", "actor"]].values.tolist()
    [[1, 'record', 'judge', 'b']]
    """
    from crmlab import _validation as validate

    validate.frame(log, "log", columns=["complaint_id", "seq", "step", "at", "customer_id",
                                     "complaint_type"])
    order = pd.unique(log["complaint_id"].astype(str))
    start = whole(first_id, "first_id", minimum=1,
                  maximum=max(1, MAX_INTEGER - max(len(order) - 1, 0)))
    frame = log.sort_values(["complaint_id", "seq"], kind="stable")
    number = pd.Series(range(start, start + len(order)), index=order, dtype="int64")
    frame = frame.assign(number=frame["complaint_id"].astype(str).map(number).to_numpy())
    frame = frame.sort_values(["number", "seq"], kind="stable")
    first = frame.groupby("number", sort=True).head(1)
    if (first["step"] != "record").any():
        bad = first.loc[first["step"] != "record", "complaint_id"].head(3).tolist()
        raise CRMDBError(f"投诉 {bad} 的第一步不是“记录投诉内容”（record）",
                         f"Complaints {bad} do not start with 'record'")

    def column(rows: pd.DataFrame, name: str) -> Any:
        return rows[name].to_numpy() if name in rows.columns else [None] * len(rows)

    stamp = "%Y-%m-%d %H:%M:%S"
    notes = first["note"] if "note" in first.columns else pd.Series("", index=first.index)
    descriptions = notes.fillna("").astype(str).str.strip()
    complaints = pd.DataFrame({
        "complaint_id": first["number"].astype("int64").to_numpy(),
        "ticket": first["complaint_id"].astype(str).to_numpy(),
        "customer_id": pd.to_numeric(first["customer_id"]).astype("int64").to_numpy(),
        "order_id": column(first, "order_id"),
        "complaint_type": first["complaint_type"].to_numpy(),
        "sub_item": column(first, "sub_item"),
        "opened_at": pd.to_datetime(first["at"]).dt.strftime(stamp).to_numpy(),
        "opened_by": column(first, "by"),
        "description": descriptions.where(descriptions != "", "（未填写）").to_numpy(),
    })
    later = frame[frame.groupby("number", sort=True).cumcount() > 0]
    previous = frame.groupby("number", sort=True)["step"].shift(1)
    events = pd.DataFrame({
        "complaint_id": later["number"].astype("int64").to_numpy(),
        "from_step": previous[later.index].to_numpy(),
        "to_step": later["step"].to_numpy(),
        "at": pd.to_datetime(later["at"]).dt.strftime(stamp).to_numpy(),
        "actor": column(later, "by"),
        "note": column(later, "note"),
        "department": column(later, "department"),
        "satisfaction": (pd.to_numeric(later["satisfaction"]).to_numpy(dtype=float)
                         if "satisfaction" in later.columns else [None] * len(later)),
    })
    return {"complaints": complaints, "complaint_events": events}


def load_course_data(conn: sqlite3.Connection, *,
                     progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Load the course's data into an empty CRM database, in one transaction.

    See ``course_tables`` for what is loaded; sets the report date of the
    views (``report_settings.as_of``) to the end of the data, 2024-12-31.
    A bad row rolls everything back (see ``load``).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection to an empty database.
    progress : callable, optional
        Called as ``progress(table, rows_so_far)`` after each chunk.

    Returns
    -------
    dict of str to int
        Rows inserted per table.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> counts = crmdb.load_course_data(crmdb.create(":memory:"))
    >>> list(counts)
    ['customers', 'source_records', 'orders', 'contacts']
    """
    check_connection(conn)
    tables = course_tables()
    counts = load(conn, tables, progress=progress)
    with transaction(conn):
        conn.execute("UPDATE report_settings SET as_of = ? WHERE id = 1", (COURSE_AS_OF,))
    return counts
