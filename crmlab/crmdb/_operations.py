"""Operational CRM: one customer, one order, one complaint move, one correction at a time."""

from __future__ import annotations

import datetime as dt
import sqlite3
from numbers import Real
from typing import Any

import numpy as np

from crmlab.crmdb._core import (
    CRMDBError,
    CRMDBTypeError,
    check_connection,
    refuse,
    refused,
    show,
    sql_value,
    text,
    transaction,
    whole,
)

#: the KPI inputs of a complaint that only a recorded correction may change
CORRECTABLE = ("sla_days", "opened_at", "department", "complaint_type", "satisfaction")


def _id(value: Any, name: str) -> int:
    return whole(value, name, minimum=1)


#: arguments checked here before the database sees them, with their Chinese names: the
#: database enforces the same rules, but its refusal cannot name the argument
_AMOUNTS = {"amount": "金额", "cost": "金额"}
_TEXTS = {"name": "姓名", "phone": "手机号", "email": "邮箱", "city": "城市", "gender": "性别",
          "kind": "投入类型", "category": "品类", "record_id": "渠道记录号",
          "order_id": "订单号", "complaint_type": "投诉类型", "sub_item": "投诉子项",
          "description": "投诉描述", "note": "备注", "department": "责任部门"}
_TIMES = ("at", "opened_at", "corrected_at")


def _refuse_first(label: str, name: str, value: Any, zh: str, en: str, *,
                  kind: type = CRMDBError) -> CRMDBError:
    shown = show(value)
    return kind(f"{label} {name}={shown} 无效：{zh}", f"{name}={shown} is invalid: {en}")


def _precheck(name: str, value: Any, *, date_only: bool) -> None:
    """Refuse, naming the argument, what the database would refuse without naming it."""
    if value is None:
        return
    if name in _AMOUNTS:
        if isinstance(value, bool | np.bool_ | str):
            raise _refuse_first(_AMOUNTS[name], name, value, "应为数字（不要加引号或单位）",
                                "expected a number (no quotes, no unit)", kind=CRMDBTypeError)
        if isinstance(value, Real) and float(value) < 0:
            raise _refuse_first(_AMOUNTS[name], name, value, "金额不能为负数",
                                "amounts are never negative")
    elif name in _TEXTS and not isinstance(value, str):
        raise _refuse_first(_TEXTS[name], name, value, "应为文字（str）", "expected text (str)",
                            kind=CRMDBTypeError)
    elif isinstance(value, str) and (date_only or name in _TIMES):
        form, example = (("%Y-%m-%d", "2024-01-05") if date_only
                         else ("%Y-%m-%d %H:%M:%S", "2024-01-05 09:30:00"))
        try:
            dt.datetime.strptime(value, form)
        except ValueError:
            what = "日期" if date_only else "时间"
            shape = "YYYY-MM-DD" if date_only else "YYYY-MM-DD HH:MM:SS"
            raise _refuse_first(what, name, value, f"{what}应写成 {shape}（例如 {example}），"
                                "且是真实存在的日期", f"expected {shape} (e.g. {example}), "
                                "a date that exists") from None
    elif (date_only or name in _TIMES) and isinstance(value, Real):
        raise _refuse_first("日期" if date_only else "时间", name, value,
                            "应为日期文字或日期对象", "expected a date text or a date object",
                            kind=CRMDBTypeError)


def _check_new_value(field: str, value: Any) -> None:
    """Check a correction's ``new_value`` by the field it replaces (the message names it)."""
    if field == "sla_days":
        whole(value, "new_value", minimum=1)
    elif field == "opened_at":
        if not isinstance(value, str | dt.date | np.datetime64):
            raise _refuse_first("时间", "new_value", value, "应为时间文字 YYYY-MM-DD HH:MM:SS",
                                "expected a time text YYYY-MM-DD HH:MM:SS",
                                kind=CRMDBTypeError)
        try:
            if isinstance(value, str):
                dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise _refuse_first("时间", "new_value", value,
                                "时间应写成 YYYY-MM-DD HH:MM:SS（例如 2024-01-05 09:30:00）",
                                "expected YYYY-MM-DD HH:MM:SS (e.g. 2024-01-05 09:30:00)",
                                ) from None
    elif field in ("department", "complaint_type") and not isinstance(value, str):
        raise _refuse_first("新值", "new_value", value, f"{field} 应为文字（str）",
                            f"{field} expects text (str)", kind=CRMDBTypeError)
    elif field == "satisfaction" and value is not None and (
            isinstance(value, bool | np.bool_ | str) or not isinstance(value, Real)):
        raise _refuse_first("满意度", "new_value", value, "应为 1 到 5 的数字",
                            "expected a number from 1 to 5", kind=CRMDBTypeError)


def _bind(values: dict[str, Any], *, dates: tuple[str, ...] = ()) -> tuple:
    for key, value in values.items():
        _precheck(key, value, date_only=key in dates)
    return tuple(sql_value(v, k, date_only=k in dates) for k, v in values.items())


def register_customer(conn: sqlite3.Connection, *, name: str, registered: Any,
                      phone: str | None = None, email: str | None = None,
                      city: str | None = None, gender: str | None = None,
                      birth_date: Any = None, source: str | None = None,
                      record_id: str | None = None) -> int:
    """Add a customer (and, if ``source`` is given, its channel record).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    name : str
        The customer's name.
    registered : str or date-like
        Registration date (``YYYY-MM-DD``, or a ``date``/``pd.Timestamp``).
    phone, email, city, gender : str, optional
        Further fields of the customer file (the database checks their form).
    birth_date : str or date-like, optional
        ``YYYY-MM-DD``.
    source : str, optional
        The channel the customer came from; adds a ``source_records`` row.
    record_id : str, optional
        That record's id (default ``R-<customer_id>``).

    Returns
    -------
    int
        The new ``customer_id``.

    Raises
    ------
    CRMDBError
        If the database refuses the row (e.g. a malformed phone number).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> crmdb.register_customer(conn, name="王伟", registered="2024-01-05", source="app")
    1
    """
    check_connection(conn)
    row = _bind({"name": name, "phone": phone, "email": email, "city": city, "gender": gender,
                 "birth_date": birth_date, "registered": registered},
                dates=("birth_date", "registered"))
    with refused("登记客户", "Registering the customer"), transaction(conn):
        cursor = conn.execute(
            "INSERT INTO customers (name, phone, email, city, gender, birth_date, registered)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        customer_id = int(cursor.lastrowid)
        if source is not None:
            conn.execute("INSERT INTO source_records (record_id, customer_id, source, registered)"
                         " VALUES (?, ?, ?, ?)",
                         (sql_value(record_id, "record_id") or f"R-{customer_id}", customer_id,
                          sql_value(source, "source"), row[-1]))
    return customer_id


def _next_id(conn: sqlite3.Connection, table: str, column: str, prefix: str) -> str:
    row = conn.execute(f"SELECT max(CAST(substr({column}, 2) AS INTEGER)) FROM {table} "
                       f"WHERE {column} GLOB ? ", (prefix + "[0-9]*",)).fetchone()
    return f"{prefix}{(row[0] or 0) + 1:05d}"


def record_order(conn: sqlite3.Connection, customer_id: int, *, order_date: Any,
                 amount: float, cost: float | None = None, category: str | None = None,
                 record_id: str | None = None) -> str:
    """Record an order of an existing customer.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer (a NumPy integer is fine).
    order_date : str or date-like
        ``YYYY-MM-DD`` (or a ``date``/``pd.Timestamp``).
    amount : float
        The sales amount (元, not negative).
    cost, category, record_id : optional
        Cost of goods (元), product category and channel record.

    Returns
    -------
    str
        The new ``order_id`` (``O00001``, ...).

    Raises
    ------
    CRMDBError
        If an argument is invalid or the database refuses the row (unknown
        customer, negative money, ...).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> crmdb.record_order(conn, cid, order_date="2024-02-01", amount=199.0)
    'O00001'
    """
    check_connection(conn)
    row = _bind({"customer_id": _id(customer_id, "customer_id"), "record_id": record_id,
                 "order_date": order_date, "amount": amount, "cost": cost,
                 "category": category}, dates=("order_date",))
    with refused("记录订单", "Recording the order"), transaction(conn):
        order_id = _next_id(conn, "orders", "order_id", "O")
        conn.execute("INSERT INTO orders (order_id, customer_id, record_id, order_date, amount,"
                     " cost, category) VALUES (?, ?, ?, ?, ?, ?, ?)", (order_id, *row))
    return order_id


def record_contact(conn: sqlite3.Connection, customer_id: int, *, contact_date: Any,
                   kind: str, cost: float) -> str:
    """Record the company's spend on a customer (企业投入记录).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer.
    contact_date : str or date-like
        ``YYYY-MM-DD``.
    kind : str
        What the spend was (e.g. ``"短信"``).
    cost : float
        The spend (元, not negative).

    Returns
    -------
    str
        The new ``contact_id`` (``C00001``, ...).

    Raises
    ------
    CRMDBError
        If an argument is invalid or the database refuses the row.

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> crmdb.record_contact(conn, cid, contact_date="2024-02-01", kind="短信", cost=0.5)
    'C00001'
    """
    check_connection(conn)
    row = _bind({"customer_id": _id(customer_id, "customer_id"), "contact_date": contact_date,
                 "kind": kind, "cost": cost}, dates=("contact_date",))
    with refused("记录企业投入", "Recording the contact"), transaction(conn):
        contact_id = _next_id(conn, "contacts", "contact_id", "C")
        conn.execute("INSERT INTO contacts (contact_id, customer_id, contact_date, kind, cost)"
                     " VALUES (?, ?, ?, ?, ?)", (contact_id, *row))
    return contact_id


def open_complaint(conn: sqlite3.Connection, customer_id: int, *, complaint_type: str,
                   opened_at: Any, description: str, by: str,
                   order_id: str | None = None, sub_item: str | None = None,
                   sla_days: int = 7) -> int:
    """Record a complaint (step 1, 记录投诉内容); the department comes later, at ``assign``.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    customer_id : int
        An existing customer.
    complaint_type : str
        One of ``COMPLAINT_TYPES``.
    opened_at : str or date-like
        ``YYYY-MM-DD HH:MM:SS`` (or a ``pd.Timestamp``); not in the future.
    description : str
        What the customer complained about (not empty).
    by : str
        Who recorded it (as chapter 5's ``Complaint(by=...)``).
    order_id, sub_item : str, optional
        The order complained about and the lecture's sub-item code.
    sla_days : int
        Days allowed to settle the complaint.

    Returns
    -------
    int
        The new ``complaint_id``.

    Raises
    ------
    CRMDBError
        If an argument is invalid or the database refuses the row (unknown type,
        bad or future time, no recorder, ...).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> crmdb.open_complaint(conn, cid, complaint_type="quality", by="客服小李",
    ...                      opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
    1
    """
    check_connection(conn)
    row = _bind({"customer_id": _id(customer_id, "customer_id"), "order_id": order_id,
                 "complaint_type": complaint_type, "sub_item": sub_item,
                 "opened_at": opened_at, "opened_by": text(by, "by"),
                 "description": description, "sla_days": whole(sla_days, "sla_days",
                                                                minimum=1)})
    with refused("记录投诉", "Recording the complaint"), transaction(conn):
        cursor = conn.execute(
            "INSERT INTO complaints (customer_id, order_id, complaint_type, sub_item, opened_at,"
            " opened_by, description, sla_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    return int(cursor.lastrowid)


def _current(conn: sqlite3.Connection, number: int, column: str) -> Any:
    """Return one column of a complaint (``column`` is a name from this module only)."""
    row = conn.execute(f"SELECT {column} FROM complaints WHERE complaint_id = ?",
                       (number,)).fetchone()
    if row is None:
        raise CRMDBError(f"没有编号为 {number!r} 的投诉", f"There is no complaint {number!r}")
    return row[0]


def _who(by: Any, actor: Any) -> str:
    if by is not None and actor is not None and by != actor:
        raise refuse("actor", actor, f"与 by={by!r} 不同：只写 by 即可", f"differs from by={by!r}: "
                     f"give by only")
    return text(by if by is not None else actor, "by")


def advance(conn: sqlite3.Connection, complaint_id: int, step: str, *, at: Any,
            by: str | None = None, note: str | None = None, department: str | None = None,
            satisfaction: float | None = None, actor: str | None = None) -> str:
    """Complete the next step of a complaint; the database refuses an illegal move.

    The same vocabulary as chapter 5's ``Complaint.advance``: ``step`` just
    completed, ``by`` whom, ``at`` when, ``department`` named at ``assign``,
    ``satisfaction`` recorded with ``review``, ``closed`` or ``rejected``. Reads the
    current step and appends the event in one ``BEGIN IMMEDIATE`` transaction (no
    lost update when two people work on it at once).

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    complaint_id : int
        An existing complaint.
    step : str
        The next step (one of ``STEPS``, allowed by ``TRANSITIONS``).
    at : str or date-like
        ``YYYY-MM-DD HH:MM:SS`` (or a ``pd.Timestamp``): not before the previous
        step, not in the future.
    by : str
        Who made the move (required: 分清责任).
    note : str, optional
        A remark.
    department : str, optional
        The responsible department: required at ``assign``, refused elsewhere.
    satisfaction : float, optional
        The customer's satisfaction (1–5), with ``review``, ``closed`` or ``rejected``.
    actor : str, optional
        The earlier name of ``by`` (kept so old code runs).

    Returns
    -------
    str
        The new step.

    Raises
    ------
    CRMDBError
        If an argument is invalid, there is no such complaint, or the database
        refuses the move (illegal step, missing department, time going back, ...).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> n = crmdb.open_complaint(conn, cid, complaint_type="quality", by="客服",
    ...                          opened_at="2024-02-03 09:00:00", description="屏幕有划痕")
    >>> crmdb.advance(conn, n, "judge", by="质检员", at="2024-02-03 10:00:00")
    'judge'
    >>> crmdb.advance(conn, n, "assign", by="主管", at="2024-02-03 11:00:00")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    crmlab.crmdb._core.CRMDBError: 推进投诉：“确定责任部门”（assign）必须写明责任部门...
    """
    check_connection(conn)
    number = _id(complaint_id, "complaint_id")
    row = _bind({"to_step": text(step, "step"), "at": at, "actor": _who(by, actor),
                 "note": note, "department": department, "satisfaction": satisfaction})
    with refused("推进投诉", "Moving the complaint"), transaction(conn):
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor,"
                     " note, department, satisfaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (number, _current(conn, number, "step"), *row))
    return row[0]


def correct(conn: sqlite3.Connection, complaint_id: int, field: str, new_value: Any, *,
            by: str, at: Any, reason: str) -> int:
    """Correct one KPI input of a complaint, with who, when, why and old -> new kept.

    ``sla_days``, ``opened_at``, ``department``, ``complaint_type`` and
    ``satisfaction`` change only this way (a plain ``UPDATE`` is refused by the
    database); the views read the corrected value, ``complaint_corrections``
    keeps the trail.

    Parameters
    ----------
    conn : sqlite3.Connection
        An operator connection.
    complaint_id : int
        An existing complaint.
    field : str
        One of ``sla_days``, ``opened_at``, ``department``, ``complaint_type``,
        ``satisfaction``.
    new_value : object
        The corrected value.
    by : str
        Who corrects it.
    at : str or date-like
        When (``YYYY-MM-DD HH:MM:SS``), not in the future.
    reason : str
        Why (not empty).

    Returns
    -------
    int
        The new ``correction_id``.

    Raises
    ------
    CRMDBError
        If an argument is invalid, there is no such complaint, or the database
        refuses the correction (same value, bad value, ...).

    Examples
    --------
    >>> from crmlab import crmdb
    >>> conn = crmdb.create(":memory:")
    >>> cid = crmdb.register_customer(conn, name="王伟", registered="2024-01-05")
    >>> n = crmdb.open_complaint(conn, cid, complaint_type="contract", by="客服",
    ...                          opened_at="2024-02-03 09:00:00", description="少发一件")
    >>> crmdb.correct(conn, n, "sla_days", 10, by="主管", at="2024-02-03 10:00:00",
    ...               reason="合同类投诉的时限是 10 天")
    1
    """
    check_connection(conn)
    number = _id(complaint_id, "complaint_id")
    if field not in CORRECTABLE:
        raise refuse("field", field, f"应为 {list(CORRECTABLE)} 之一",
                     f"expected one of {list(CORRECTABLE)}")
    _check_new_value(field, new_value)
    row = _bind({"new_value": new_value, "corrected_by": text(by, "by"), "corrected_at": at,
                 "reason": text(reason, "reason")})
    with refused("更正投诉", "Correcting the complaint"), transaction(conn):
        cursor = conn.execute(
            "INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value,"
            " corrected_by, corrected_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (number, field, _current(conn, number, field), *row))
    return int(cursor.lastrowid)
