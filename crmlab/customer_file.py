"""Build a customer file (客户档案) from messy records: clean, de-duplicate, unify.

The steps follow the customer data management points of the lecture material
(《客户关系管理》讲义, 客户数据管理): one unified customer view across all touch
points, strong data cleaning, a standard format, an open file format, and a key
that tracks each customer. A customer file holds three parts:
客户原始记录 (who the customer is), 统计分析资料 (what they did) and
企业投入记录 (what the company spent on them) — see ``FILE_SECTIONS``.

>>> normalize_phone(["138 0013 8000", "+86-13800138000", "12345"]).tolist()
['13800138000', '13800138000', <NA>]
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "FILE_SECTIONS",
    "RECORD_COLUMNS",
    "build_customer_file",
    "clean_records",
    "match_customers",
    "normalize_city",
    "normalize_email",
    "normalize_gender",
    "normalize_name",
    "normalize_phone",
    "parse_dates",
    "quality_report",
    "unify",
]

#: The columns of a raw customer record, as every channel delivers them.
RECORD_COLUMNS = ["record_id", "source", "name", "phone", "email", "city", "gender",
                  "birth_date", "registered"]

#: Which part of the customer file (客户档案) each column of the unified view belongs to.
FILE_SECTIONS: dict[str, str] = {
    "name": "客户原始记录", "phone": "客户原始记录", "email": "客户原始记录",
    "city": "客户原始记录", "gender": "客户原始记录", "birth_date": "客户原始记录",
    "registered": "客户原始记录", "sources": "客户原始记录", "n_records": "客户原始记录",
    "first_purchase": "统计分析资料", "last_purchase": "统计分析资料",
    "n_orders": "统计分析资料", "total_amount": "统计分析资料", "avg_amount": "统计分析资料",
    "n_contacts": "企业投入记录", "contact_cost": "企业投入记录",
}

_GENDER = {"男": "男", "女": "女", "M": "男", "F": "女", "MALE": "男", "FEMALE": "女"}


def _text(values: Any, name: str, *, digits: bool = False) -> pd.Series:
    """Return a ``string`` Series from a Series, list, tuple, array or Index (a copy).

    With ``digits``, whole numbers stored as floats (``13800138000.0``: what
    pandas makes of a column of numbers with one blank) lose the ``.0``.
    """
    if isinstance(values, pd.DataFrame) or not isinstance(
            values, pd.Series | pd.Index | list | tuple | np.ndarray):
        raise validate.BilingualTypeError(
            f"{name}={validate.show(values)} 无效：应为一列值（Series、列表或数组）",
            f"{name}={validate.show(values)} is invalid: expected a column of values "
            f"(Series, list or array)")
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.infer_dtype(
            series, skipna=True) == "boolean":
        raise validate.BilingualTypeError(f"{name} 是布尔值：应为文字",
                                          f"{name} holds booleans: expected text")
    text = series.astype("string")
    if not digits or pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return text
    if pd.api.types.is_numeric_dtype(series.dtype):
        x = series.to_numpy(dtype=float, na_value=np.nan)
    else:  # a mix of text and numbers: only the numbers lose their ".0"
        numeric = series.map(lambda v: isinstance(v, int | float | np.number)
                             and not isinstance(v, bool)).astype(bool)
        x = pd.to_numeric(series.where(numeric), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan)
    whole = np.isfinite(x) & (np.floor(x) == x) & (np.abs(x) < 2.0**53)
    text[whole] = x[whole].astype(np.int64).astype(str)
    return text


def normalize_phone(phone: Any) -> pd.Series:
    """Normalise phone numbers to 11-digit mainland mobiles; anything else becomes <NA>.

    ``+86``/``86``, spaces and dashes are removed; a number read as a float
    (``13800138000.0``, as pandas reads a column with a blank) keeps its digits.

    Parameters
    ----------
    phone : Series, list, tuple or array
        Phone numbers as text or numbers (not modified).

    Returns
    -------
    pandas.Series
        ``string`` dtype; <NA> where the value is not then 11 digits starting with 1.

    Raises
    ------
    TypeError
        A single string or another value that is not a column; booleans.

    References
    ----------
    《客户关系管理》讲义, 客户数据管理: a standard format for every field.

    Examples
    --------
    >>> normalize_phone(pd.Series([13800138000.0, None])).tolist()
    ['13800138000', <NA>]
    """
    digits = _text(phone, "phone", digits=True).str.replace(r"\D", "", regex=True)
    digits = digits.str.replace(r"^86(?=1\d{10}$)", "", regex=True)
    return digits.where(digits.str.fullmatch(r"1\d{10}").fillna(False).astype(bool))


def normalize_email(email: Any) -> pd.Series:
    """Normalise e-mail addresses: trimmed, lower case; anything without one ``@`` is <NA>.

    Parameters
    ----------
    email : Series, list, tuple or array
        Addresses (not modified).

    Returns
    -------
    pandas.Series
        ``string`` dtype.

    Raises
    ------
    TypeError
        A value that is not a column; booleans.

    Examples
    --------
    >>> normalize_email([" A@B.COM ", "nope"]).tolist()
    ['a@b.com', <NA>]
    """
    text = _text(email, "email").str.strip().str.lower()
    return text.where(text.str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+").fillna(False).astype(bool))


def normalize_name(name: Any) -> pd.Series:
    """Remove every space (ASCII or full-width) from names: Chinese names have none.

    Parameters
    ----------
    name : Series, list, tuple or array
        Names (not modified).

    Returns
    -------
    pandas.Series
        ``string`` dtype; an empty name becomes <NA>.

    Raises
    ------
    TypeError
        A value that is not a column; booleans.

    Examples
    --------
    >>> normalize_name([" 王 伟 ", "李\u3000娜"]).tolist()
    ['王伟', '李娜']
    """
    return _text(name, "name").str.replace(r"[\s\u3000]+", "", regex=True).replace("", pd.NA)


def normalize_city(city: Any) -> pd.Series:
    """Strip the 市 suffix from city names (上海市 -> 上海).

    Parameters
    ----------
    city : Series, list, tuple or array
        City names (not modified).

    Returns
    -------
    pandas.Series
        ``string`` dtype.

    Raises
    ------
    TypeError
        A value that is not a column; booleans.

    Examples
    --------
    >>> normalize_city(["上海市", " 北京 "]).tolist()
    ['上海', '北京']
    """
    return _text(city, "city").str.strip().str.replace(r"市$", "", regex=True)


def normalize_gender(gender: Any) -> pd.Series:
    """Map 男, 女, M, F, male, female (any case) to 男/女; anything else becomes <NA>.

    Parameters
    ----------
    gender : Series, list, tuple or array
        Genders as written (not modified).

    Returns
    -------
    pandas.Series
        ``string`` dtype.

    Raises
    ------
    TypeError
        A value that is not a column; booleans.

    Examples
    --------
    >>> normalize_gender(["M", "f", "女", "x"]).tolist()
    ['男', '女', '女', <NA>]
    """
    return _text(gender, "gender").str.strip().str.upper().map(_GENDER).astype("string")


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


def parse_dates(text: Any) -> pd.Series:
    """Parse dates written as 2023-01-05, 2023/1/5, 20230105 or 2023年1月5日.

    Parameters
    ----------
    text : Series, list, tuple or array
        Dates as written (not modified); ``20230105`` may also be a number.

    Returns
    -------
    pandas.Series
        The dates as datetime64; missing stays missing (NaT).

    Raises
    ------
    TypeError
        A value that is not a column; booleans.
    ValueError
        Any other text, or an impossible date (2023-02-30); the message names
        the rows.

    Examples
    --------
    >>> parse_dates(["2023/1/5", "2023年1月5日", None]).dt.strftime("%Y-%m-%d").tolist()
    ['2023-01-05', '2023-01-05', nan]
    """
    name = text.name if isinstance(text, pd.Series) and isinstance(text.name, str) else "dates"
    s = _text(text, name, digits=True).str.strip()
    parts = s.str.extract(r"^(\d{4})(?:[-/年]?)(\d{1,2})(?:[-/月]?)(\d{1,2})日?$")
    ok = s.str.fullmatch("|".join(p.pattern.strip("^$") for p in _DATE_PATTERNS))
    bad = s.notna() & ~ok.fillna(False).astype(bool)
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    parsed = pd.to_datetime(iso.where(~bad), format="%Y-%m-%d", errors="coerce")
    bad = (bad | (s.notna() & parsed.isna())).to_numpy()
    if bad.any():
        where = validate.rows(s.index, bad, s.tolist())
        raise validate.BilingualValueError(
            f"{name} 有无法识别的日期，行 {where}：应写成 2023-01-05、2023/1/5、20230105 "
            f"或 2023年1月5日",
            f"{name}: unparseable date(s) at rows {where}; expected forms like 2023-01-05, "
            f"2023/1/5, 20230105 or 2023年1月5日")
    return parsed


def clean_records(records: pd.DataFrame) -> pd.DataFrame:
    """Clean raw customer records: one standard format per field.

    Parameters
    ----------
    records : pandas.DataFrame
        Raw records with the columns ``RECORD_COLUMNS`` (not modified).

    Returns
    -------
    pandas.DataFrame
        A cleaned copy: names without spaces, 11-digit phones, lower-case
        e-mails, cities without 市, 男/女, dates as datetime64.

    Raises
    ------
    TypeError
        ``records`` is not a DataFrame.
    ValueError
        Missing columns, empty records, missing or repeated ``record_id``,
        missing ``source``, unparseable dates.

    References
    ----------
    《客户关系管理》讲义, 客户数据管理: strong data cleaning, a standard format.

    Examples
    --------
    >>> raw = pd.DataFrame({"record_id": ["R1"], "source": ["门店会员"], "name": [" 王 伟"],
    ...                     "phone": ["+86-13800138000"], "email": ["W@X.COM"],
    ...                     "city": ["上海市"], "gender": ["M"], "birth_date": ["1990/1/2"],
    ...                     "registered": ["2022-01-01"]})
    >>> clean_records(raw).loc[0, ["name", "phone", "email", "city", "gender"]].tolist()
    ['王伟', '13800138000', 'w@x.com', '上海', '男']
    """
    validate.frame(records, "records", columns=RECORD_COLUMNS)
    validate.no_missing(records["record_id"], "records['record_id']", label="记录编号")
    validate.no_missing(records["source"], "records['source']", label="数据来源")
    repeated = records["record_id"].duplicated().to_numpy()
    if repeated.any():
        dup = records["record_id"][repeated].head(3).tolist()
        raise validate.BilingualValueError(
            f"records 的 record_id 应唯一；重复的编号 {dup}",
            f"records: column 'record_id' must be unique; repeated ids {dup}")
    out = records[RECORD_COLUMNS].copy()
    out["name"] = normalize_name(out["name"])
    out["phone"] = normalize_phone(out["phone"])
    out["email"] = normalize_email(out["email"])
    out["city"] = normalize_city(out["city"])
    out["gender"] = normalize_gender(out["gender"])
    out["birth_date"] = parse_dates(out["birth_date"])
    out["registered"] = parse_dates(out["registered"])
    out["source"] = _text(out["source"], "source")
    return out


def quality_report(records: pd.DataFrame) -> pd.DataFrame:
    """Count, per column, the missing values and the values that cleaning changed.

    Parameters
    ----------
    records : pandas.DataFrame
        Raw records (``RECORD_COLUMNS``; not modified).

    Returns
    -------
    pandas.DataFrame
        One row per column: ``column``, ``missing_raw``, ``changed``, ``missing_clean``.

    Raises
    ------
    TypeError, ValueError
        As ``clean_records``.

    Examples
    --------
    >>> raw = pd.DataFrame({"record_id": ["R1"], "source": ["门店会员"], "name": ["王伟"],
    ...                     "phone": ["138 0013 8000"], "email": [None], "city": ["上海"],
    ...                     "gender": ["男"], "birth_date": [None], "registered": ["2022-01-01"]})
    >>> quality_report(raw).set_index("column").loc["phone"].tolist()
    [0, 1, 0]
    """
    clean = clean_records(records)
    rows = []
    for column in ("name", "phone", "email", "city", "gender", "birth_date"):
        raw = records[column].astype("string")
        cleaned = clean[column]
        if column == "birth_date":
            cleaned = cleaned.dt.strftime("%Y-%m-%d").astype("string")
        changed = (raw.fillna("") != cleaned.fillna("")) & raw.notna()
        rows.append({"column": column, "missing_raw": int(raw.isna().sum()),
                     "changed": int(changed.sum()), "missing_clean": int(cleaned.isna().sum())})
    return pd.DataFrame(rows)


def match_customers(clean: pd.DataFrame, keys: Any = ("phone", "email")) -> pd.Series:
    """Give each record a customer number: records sharing any key value are one customer.

    Matching is transitive (record A shares a phone with B, B an e-mail with C:
    A, B and C are one person), found as connected components of the graph whose
    edges join records with equal non-missing keys. Names are not used as keys:
    different people can share a name (同名同姓).

    Parameters
    ----------
    clean : pandas.DataFrame
        Cleaned records (``clean_records``); not modified.
    keys : sequence of str, default ("phone", "email")
        Columns whose equal values identify one person.

    Returns
    -------
    pandas.Series
        ``customer_id`` 1, 2, ... in the order of each customer's first record,
        indexed like ``clean``.

    Raises
    ------
    TypeError
        ``clean`` is not a DataFrame; ``keys`` is not a list of column names.
    ValueError
        Missing key columns, no keys, empty data.

    References
    ----------
    《客户关系管理》讲义, 客户数据管理: one unified view, a key that tracks each customer.

    Examples
    --------
    >>> clean = pd.DataFrame({"phone": ["1", "1", None], "email": ["a", None, "a"]})
    >>> match_customers(clean).tolist()
    [1, 1, 1]
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if isinstance(keys, str) or not isinstance(keys, list | tuple) or not keys:
        raise validate.BilingualTypeError(
            f"keys={validate.show(keys)} 无效：应为列名的列表，例如 ('phone', 'email')",
            f"keys={validate.show(keys)} is invalid: expected a list of column names such "
            f"as ('phone', 'email')")
    for key in keys:
        validate.name(key, "keys")
    validate.frame(clean, "clean", columns=list(keys))
    n = len(clean)
    position = np.arange(n)
    rows, cols = [position], [position]
    for key in keys:
        values = clean[key].astype("string")
        known = values.notna().to_numpy()
        first = pd.Series(position[known]).groupby(values[known].to_numpy()).transform("min")
        rows.append(position[known])
        cols.append(first.to_numpy())
    graph = coo_matrix((np.ones(sum(map(len, rows))), (np.concatenate(rows),
                                                       np.concatenate(cols))), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    order = pd.unique(labels)
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(1, len(order) + 1)
    return pd.Series(renumber[labels], index=clean.index, name="customer_id")


def unify(clean: pd.DataFrame, customer_id: Any) -> pd.DataFrame:
    """Merge each customer's records into one row: the newest known value of each field.

    Parameters
    ----------
    clean : pandas.DataFrame
        Cleaned records (``clean_records``); not modified.
    customer_id : Series, list or array
        One customer number per record (``match_customers``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id``: the fields, ``registered`` (first
        registration), ``n_records`` (records merged) and ``sources`` (channels,
        joined with '、').

    Raises
    ------
    TypeError
        ``clean`` is not a DataFrame; ``customer_id`` is not a column.
    ValueError
        Missing columns, one id per record not given, missing ids or sources.

    Examples
    --------
    >>> clean = clean_records(pd.DataFrame({
    ...     "record_id": ["R1", "R2"], "source": ["门店会员", "网上商城"], "name": ["王伟", "王伟"],
    ...     "phone": ["13800138000", None], "email": [None, "w@x.com"], "city": ["上海", None],
    ...     "gender": ["男", "男"], "birth_date": [None, None],
    ...     "registered": ["2022-01-01", "2023-01-01"]}))
    >>> unify(clean, [1, 1])[["phone", "email", "n_records", "sources"]].values.tolist()
    [['13800138000', 'w@x.com', 2, '网上商城、门店会员']]
    """
    validate.frame(clean, "clean", columns=RECORD_COLUMNS)
    if isinstance(customer_id, str | bytes) or np.ndim(customer_id) != 1:
        raise validate.BilingualTypeError(
            f"customer_id={validate.show(customer_id)} 无效：应为每条记录一个客户编号",
            f"customer_id={validate.show(customer_id)} is invalid: expected one customer "
            f"number per record")
    validate.equal_lengths(customer_id=customer_id, clean=clean)
    ids = pd.Series(np.asarray(customer_id), index=clean.index)
    validate.no_missing(ids, "customer_id", label="客户编号")
    validate.no_missing(clean["source"], "clean['source']", label="数据来源")
    data = clean.assign(customer_id=ids.to_numpy())
    data = data.sort_values(["customer_id", "registered"], kind="stable")
    fields = ["name", "phone", "email", "city", "gender", "birth_date"]
    grouped = data.groupby("customer_id", sort=True)
    unified = grouped[fields].last()  # last non-missing value = the newest record's
    unified["registered"] = grouped["registered"].min()
    unified["n_records"] = grouped["record_id"].size()
    unified["sources"] = grouped["source"].agg(lambda s: "、".join(sorted(set(s))))
    return unified


def _keyed_amounts(frame: Any, name: str, money: str, known: pd.Index) -> np.ndarray:
    """Check an orders/contacts frame: money >= 0, every record id known; return the money."""
    validate.frame(frame, name, columns=["record_id", money], allow_empty=True)
    if not pd.api.types.is_numeric_dtype(frame[money].dtype) and len(frame):
        raise validate.BilingualTypeError(
            f"{name}[{money!r}] 的类型是 {frame[money].dtype}：应为数字（金额），文字请先用 "
            f"pd.to_numeric 转换",
            f"{name}[{money!r}] has dtype {frame[money].dtype}: expected numbers (money); "
            f"convert text with pd.to_numeric first")
    amounts = validate.money_array(frame[money], f"{name}[{money!r}]", allow_empty=True)
    validate.no_missing(frame["record_id"], f"{name}['record_id']")
    unknown = ~frame["record_id"].isin(known).to_numpy()
    if unknown.any():
        where = validate.rows(frame.index, unknown, frame["record_id"].tolist())
        raise validate.BilingualValueError(
            f"{name} 有 {int(unknown.sum())} 行的 record_id 不在 records 中，行 {where}："
            f"请先补上这些记录或删除这些行",
            f"{name}: {int(unknown.sum())} row(s) have a record_id that is not in records, "
            f"at rows {where}: add those records or drop the rows")
    return amounts


def build_customer_file(records: pd.DataFrame, orders: pd.DataFrame,
                        contacts: pd.DataFrame) -> pd.DataFrame:
    """Build the customer file: unified identity, purchase statistics and company spend.

    Orders and contacts are keyed by the channel's record id and re-keyed to
    the unified customer.

    Parameters
    ----------
    records : pandas.DataFrame
        Raw records (``RECORD_COLUMNS``).
    orders : pandas.DataFrame
        ``record_id``, ``date`` and ``amount`` (money >= 0); may be empty.
    contacts : pandas.DataFrame
        ``record_id`` and ``cost`` (money >= 0); may be empty.

    Returns
    -------
    pandas.DataFrame
        One row per customer (index ``customer_id``) with the columns of
        ``FILE_SECTIONS``; ``attrs["record_to_customer"]`` maps record ids to
        customers. Inputs are not modified.

    Raises
    ------
    TypeError
        An input that is not a DataFrame; text amounts or costs.
    ValueError
        Missing columns; NaN, infinite, negative or huge amounts; orders or
        contacts whose ``record_id`` is not in ``records``; missing sources or ids.

    References
    ----------
    《客户关系管理》讲义, 客户数据管理: the three parts of a customer file.

    Examples
    --------
    >>> records = pd.DataFrame({"record_id": ["R1"], "source": ["门店会员"], "name": ["王伟"],
    ...                         "phone": ["13800138000"], "email": [None], "city": ["上海"],
    ...                         "gender": ["男"], "birth_date": [None],
    ...                         "registered": ["2022-01-01"]})
    >>> orders = pd.DataFrame({"record_id": ["R1", "R1"], "date": ["2024-01-01", "2024-02-01"],
    ...                        "amount": [100.0, 50.0]})
    >>> contacts = pd.DataFrame({"record_id": ["R1"], "cost": [5.0]})
    >>> build_customer_file(records, orders, contacts)[["n_orders", "total_amount",
    ...                                                  "contact_cost"]].values.tolist()
    [[2.0, 150.0, 5.0]]
    """
    validate.frame(orders, "orders", columns=["record_id", "date", "amount"], allow_empty=True)
    clean = clean_records(records)
    ids = match_customers(clean)
    to_customer = pd.Series(ids.to_numpy(), index=clean["record_id"].to_numpy())
    amount = _keyed_amounts(orders, "orders", "amount", to_customer.index)
    cost = _keyed_amounts(contacts, "contacts", "cost", to_customer.index)
    file = unify(clean, ids)
    bought = pd.DataFrame({"customer_id": orders["record_id"].map(to_customer).to_numpy(),
                           "date": parse_dates(orders["date"]).to_numpy(), "amount": amount})
    stats = bought.groupby("customer_id").agg(
        first_purchase=("date", "min"), last_purchase=("date", "max"),
        n_orders=("amount", "size"), total_amount=("amount", "sum"))
    spend = pd.DataFrame({"customer_id": contacts["record_id"].map(to_customer).to_numpy(),
                          "cost": cost})
    spent = spend.groupby("customer_id").agg(n_contacts=("cost", "size"),
                                             contact_cost=("cost", "sum"))
    file = file.join(stats).join(spent)
    counts = ["n_orders", "n_contacts"]
    file[counts] = file[counts].fillna(0).astype("int64")
    file[["total_amount", "contact_cost"]] = file[["total_amount", "contact_cost"]].fillna(0.0)
    file["avg_amount"] = (file["total_amount"] / file["n_orders"].where(file["n_orders"] > 0))
    file = file[list(FILE_SECTIONS)]
    file.attrs["record_to_customer"] = to_customer.to_dict()
    return file
