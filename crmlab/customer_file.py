"""Build a customer file (客户档案) from messy records: clean, de-duplicate, unify.

The steps follow the customer data management points of the lecture material
(seed 001, 客户数据管理): one unified customer view across all touch points,
strong data cleaning, a standard format, an open file format, and a key that
tracks each customer. A customer file holds three parts (seed 001):
客户原始记录 (who the customer is), 统计分析资料 (what they did) and
企业投入记录 (what the company spent on them) — see ``FILE_SECTIONS``.

>>> import pandas as pd
>>> normalize_phone(pd.Series(["138 0013 8000", "+86-13800138000", "12345"])).tolist()
['13800138000', '13800138000', <NA>]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from crmlab import _validation as validate

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


def normalize_phone(phone: pd.Series) -> pd.Series:
    """11-digit mainland mobile numbers; ``+86``/``86``, spaces and dashes removed.

    Anything that is not then 11 digits starting with 1 becomes missing (<NA>).
    """
    digits = phone.astype("string").str.replace(r"\D", "", regex=True)
    digits = digits.str.replace(r"^86(?=1\d{10}$)", "", regex=True)
    return digits.where(digits.str.fullmatch(r"1\d{10}").fillna(False).astype(bool))


def normalize_email(email: pd.Series) -> pd.Series:
    """Lower-case, trimmed e-mail addresses; anything without one ``@`` becomes <NA>."""
    text = email.astype("string").str.strip().str.lower()
    return text.where(text.str.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+").fillna(False).astype(bool))


def normalize_name(name: pd.Series) -> pd.Series:
    """Names without any spaces (ASCII or full-width): Chinese names have none."""
    return name.astype("string").str.replace(r"[\s\u3000]+", "", regex=True).replace("", pd.NA)


def normalize_city(city: pd.Series) -> pd.Series:
    """City names without the 市 suffix (上海市 -> 上海)."""
    return city.astype("string").str.strip().str.replace(r"市$", "", regex=True)


def normalize_gender(gender: pd.Series) -> pd.Series:
    """男/女 from 男, 女, M, F, male, female (any case); anything else <NA>."""
    return gender.astype("string").str.strip().str.upper().map(_GENDER).astype("string")


_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "iso"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "slash"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "compact"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), "chinese"),
]


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates written as 2023-01-05, 2023/1/5, 20230105 or 2023年1月5日 -> datetime64.

    Missing stays missing (NaT); any other text raises a ValueError naming the rows.
    """
    s = text.astype("string").str.strip()
    parts = s.str.extract(r"^(\d{4})(?:[-/年]?)(\d{1,2})(?:[-/月]?)(\d{1,2})日?$")
    ok = s.str.fullmatch("|".join(p.pattern.strip("^$") for p, _ in _DATE_PATTERNS))
    bad = s.notna() & ~ok.fillna(False).astype(bool)
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    parsed = pd.to_datetime(iso.where(~bad), format="%Y-%m-%d", errors="coerce")
    bad = bad | (s.notna() & parsed.isna())
    if bad.any():
        rows = list(s.index[bad][:5])
        raise ValueError(f"{text.name or 'dates'}: unparseable date(s) at rows {rows}: "
                         f"{s[bad].head(3).tolist()}; expected forms like 2023-01-05, "
                         f"2023/1/5, 20230105 or 2023年1月5日")
    return parsed


def clean_records(records: pd.DataFrame) -> pd.DataFrame:
    """A cleaned copy of raw customer records (the input is left untouched)."""
    validate.frame(records, "records", columns=RECORD_COLUMNS)
    if not records["record_id"].is_unique:
        dup = records["record_id"][records["record_id"].duplicated()].head(3).tolist()
        raise ValueError(f"records: column 'record_id' must be unique; repeated ids {dup}")
    out = records[RECORD_COLUMNS].copy()
    out["name"] = normalize_name(out["name"])
    out["phone"] = normalize_phone(out["phone"])
    out["email"] = normalize_email(out["email"])
    out["city"] = normalize_city(out["city"])
    out["gender"] = normalize_gender(out["gender"])
    out["birth_date"] = parse_dates(out["birth_date"])
    out["registered"] = parse_dates(out["registered"])
    out["source"] = out["source"].astype("string")
    return out


def quality_report(records: pd.DataFrame) -> pd.DataFrame:
    """Per column: missing values, and values that cleaning changed (raw vs clean).

    Returns one row per column with ``missing_raw``, ``changed`` and ``missing_clean``.
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


def match_customers(clean: pd.DataFrame, keys: tuple[str, ...] = ("phone", "email")) -> pd.Series:
    """A customer number for each record: records sharing any key value are one customer.

    Matching is transitive (record A shares a phone with B, B an e-mail with C:
    A, B and C are one person), found as connected components of the graph whose
    edges join records with equal non-missing keys. Names are not used as keys:
    different people can share a name (同名同姓). Customer numbers 1, 2, ... follow
    the order of each customer's first record.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

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


def unify(clean: pd.DataFrame, customer_id: pd.Series) -> pd.DataFrame:
    """One row per customer: for each field, the most recently registered known value.

    Also ``n_records`` (how many raw records were merged) and ``sources`` (channels,
    joined with '、').
    """
    validate.frame(clean, "clean", columns=RECORD_COLUMNS)
    if len(customer_id) != len(clean):
        raise ValueError(f"customer_id has {len(customer_id)} values; clean has "
                         f"{len(clean)} rows: expected one id per record")
    data = clean.assign(customer_id=customer_id.to_numpy())
    data = data.sort_values(["customer_id", "registered"], kind="stable")
    fields = ["name", "phone", "email", "city", "gender", "birth_date"]
    grouped = data.groupby("customer_id", sort=True)
    unified = grouped[fields].last()  # last non-missing value = the newest record's
    unified["registered"] = grouped["registered"].min()
    unified["n_records"] = grouped["record_id"].size()
    unified["sources"] = grouped["source"].agg(lambda s: "、".join(sorted(set(s))))
    return unified


def build_customer_file(records: pd.DataFrame, orders: pd.DataFrame,
                        contacts: pd.DataFrame) -> pd.DataFrame:
    """The customer file: unified identity, purchase statistics and company spend.

    ``records`` are raw records (``RECORD_COLUMNS``); ``orders`` have ``record_id``,
    ``date`` and ``amount``; ``contacts`` have ``record_id`` and ``cost``. Orders
    and contacts are keyed by the channel's record id and are re-keyed to the
    unified customer. Returns one row per customer (index ``customer_id``) with
    the columns of ``FILE_SECTIONS``; the record-to-customer map is in
    ``frame.attrs["record_to_customer"]``.
    """
    validate.frame(orders, "orders", columns=["record_id", "date", "amount"])
    validate.frame(contacts, "contacts", columns=["record_id", "cost"])
    for name, frame, column in (("orders", orders, "amount"), ("contacts", contacts, "cost")):
        values = pd.to_numeric(frame[column], errors="coerce")
        validate.no_missing(values, f"{name}[{column!r}]")
        if (values < 0).any():
            raise ValueError(f"{name}[{column!r}] has negative values at rows "
                             f"{list(frame.index[values < 0][:5])}: expected amounts >= 0")
    clean = clean_records(records)
    ids = match_customers(clean)
    to_customer = pd.Series(ids.to_numpy(), index=clean["record_id"].to_numpy())
    unknown = ~orders["record_id"].isin(to_customer.index)
    if unknown.any():
        examples = orders.loc[unknown, "record_id"].head(3).tolist()
        raise ValueError(f"orders: record_id values {examples} are not in records")
    file = unify(clean, ids)
    order_dates = parse_dates(orders["date"].astype("string"))
    by_customer = pd.DataFrame({"customer_id": orders["record_id"].map(to_customer).to_numpy(),
                                "date": order_dates.to_numpy(),
                                "amount": orders["amount"].astype(float).to_numpy()})
    stats = by_customer.groupby("customer_id").agg(
        first_purchase=("date", "min"), last_purchase=("date", "max"),
        n_orders=("amount", "size"), total_amount=("amount", "sum"))
    spend = pd.DataFrame({"customer_id": contacts["record_id"].map(to_customer).to_numpy(),
                          "cost": contacts["cost"].astype(float).to_numpy()})
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


def load_example() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The chapter 0 example data: raw records, orders and contacts (synthetic)."""
    from crmlab import datasets

    records = datasets.load_synthetic("customer_records_raw", columns=RECORD_COLUMNS)
    orders = datasets.load_synthetic("customer_orders", columns=["record_id", "date", "amount"])
    contacts = datasets.load_synthetic("customer_contacts", columns=["record_id", "kind", "cost"])
    return records, orders, contacts
