"""Chapter 0's customer file: raw records from three channels, orders and contacts.

The lecture material has no raw records, so the course makes its own with a
fixed seed; ``datasets/synthetic/README.md`` documents the planted patterns.

>>> raw = customer_records_raw()
>>> raw["record_id"].is_unique
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = ["SEED", "customer_contacts", "customer_orders", "customer_records_raw"]

SEED = 20_240_901
_N_CUSTOMERS = 300

_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
#: given-name characters, one list per gender (a name is drawn with its gender)
_GIVEN = {"男": list("伟强磊军洋勇杰涛明超平刚华飞宇浩然斌"),
          "女": list("芳娜敏静丽艳娟秀霞桂英玉萍红娥玲兰凤")}
_CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "天津"]
_SOURCES = ["门店会员", "网上商城", "呼叫中心"]
_EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com", "outlook.com"]
_CONTACT_KINDS = {"回访电话": 5.0, "短信关怀": 0.5, "生日礼品": 60.0, "上门拜访": 200.0}


def _true_customers(rng: np.random.Generator) -> pd.DataFrame:
    n = _N_CUSTOMERS
    surname = rng.choice(_SURNAMES, n)
    # 36 = 2 × 18 draws per character, as before the gendered lists (same random stream)
    given_at = [rng.choice(36, k) % 18 for k in rng.integers(1, 3, n)]
    prefixes = rng.choice(["138", "139", "150", "151", "186", "187", "135", "177"], n)
    numbers = rng.choice(np.arange(10_000_000, 99_999_999), n, replace=False)
    phone = [f"{p}{num:08d}" for p, num in zip(prefixes, numbers, strict=True)]
    pinyin_ids = [f"user{num % 1_000_000:06d}" for num in numbers]
    domain = rng.choice(_EMAIL_DOMAINS, n)
    birth = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 16_000, n), "D")
    city = rng.choice(_CITIES, n)
    gender = rng.choice(["男", "女"], n)
    given = ["".join(_GIVEN[g][k] for k in at) for g, at in zip(gender, given_at, strict=True)]
    return pd.DataFrame({
        "name": [s + g for s, g in zip(surname, given, strict=True)],
        "phone": phone,
        "email": [f"{u}@{d}" for u, d in zip(pinyin_ids, domain, strict=True)],
        "city": city,
        "gender": gender,
        "birth_date": birth,
    })


def _messy_phone(phone: str, style: int) -> str:
    return [phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"+86-{phone}",
            f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"86{phone}"][style]


def _messy_date(day: pd.Timestamp, style: int) -> str:
    return [day.strftime("%Y-%m-%d"), f"{day.year}/{day.month}/{day.day}",
            day.strftime("%Y%m%d"), f"{day.year}年{day.month}月{day.day}日"][style]


def customer_records_raw(seed: int = SEED) -> pd.DataFrame:
    """Generate raw customer records from three channels, with the usual mess of real data.

    Planted patterns: 300 real customers appear in 1–3 channels (about 40 % more
    records than customers); the same person is written with different phone
    formats (spaces, ``+86-``, dashes), e-mail letter case, stray spaces in names,
    city with or without 市, four date formats, gender as 男/女/M/F, and missing
    phone or e-mail in some records (never both). Two different real people share
    a name, so a name is not a key.

    Parameters
    ----------
    seed : int, default SEED
        Random seed (the committed file uses ``SEED``).

    Returns
    -------
    pandas.DataFrame
        The columns of ``crmlab.customer_file.RECORD_COLUMNS``.

    Raises
    ------
    TypeError
        ``seed`` is not a whole number.
    ValueError
        ``seed`` is negative.

    Examples
    --------
    >>> customer_records_raw()["source"].nunique()
    3
    """
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0))
    people = _true_customers(rng)
    people.loc[7, "name"] = people.loc[40, "name"]  # namesakes (同名同姓, both 女)
    n_channels = rng.choice([1, 2, 3], _N_CUSTOMERS, p=[0.68, 0.24, 0.08])
    rows = []
    for person, k in zip(people.itertuples(index=False), n_channels, strict=True):
        for source in rng.choice(_SOURCES, k, replace=False):
            registered = pd.Timestamp("2022-01-01") + pd.Timedelta(
                days=int(rng.integers(0, 900)))
            missing = rng.random()
            rows.append({
                "source": source,
                "name": rng.choice([person.name, f" {person.name}", f"{person.name} ",
                                    f"{person.name[0]} {person.name[1:]}"],
                                   p=[0.7, 0.1, 0.1, 0.1]),
                "phone": None if missing < 0.08 else _messy_phone(
                    person.phone, int(rng.choice(5, p=[0.5, 0.2, 0.1, 0.1, 0.1]))),
                "email": None if 0.08 <= missing < 0.2 else (
                    person.email.upper() if rng.random() < 0.15 else person.email),
                "city": person.city + ("市" if rng.random() < 0.3 else ""),
                "gender": rng.choice([person.gender, "M" if person.gender == "男" else "F"],
                                     p=[0.85, 0.15]),
                "birth_date": None if rng.random() < 0.1 else _messy_date(
                    person.birth_date, int(rng.choice(4, p=[0.55, 0.2, 0.15, 0.1]))),
                "registered": registered.strftime("%Y-%m-%d"),
            })
    records = pd.DataFrame(rows).sample(frac=1.0, random_state=seed % 2**32)
    records.insert(0, "record_id", [f"R{i:04d}" for i in range(1, len(records) + 1)])
    return records.reset_index(drop=True)


def customer_orders(seed: int = SEED) -> pd.DataFrame:
    """Generate the orders placed in each channel, keyed by that channel's ``record_id``.

    Planted patterns: order counts are Poisson around 3 per record with a few
    heavy buyers; amounts are log-normal (median about 180 元); dates in 2024.

    Parameters
    ----------
    seed : int, default SEED
        Random seed (the committed file uses ``SEED``).

    Returns
    -------
    pandas.DataFrame
        ``order_id``, ``record_id``, ``date`` (text, YYYY-MM-DD), ``amount`` (元).

    Raises
    ------
    TypeError
        ``seed`` is not a whole number.
    ValueError
        ``seed`` is negative.

    Examples
    --------
    >>> bool((customer_orders()["amount"] > 0).all())
    True
    """
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0) + 1)
    records = customer_records_raw(seed)
    heavy = rng.random(len(records)) < 0.1
    counts = rng.poisson(np.where(heavy, 12, 3))
    record_id = np.repeat(records["record_id"].to_numpy(), counts)
    n = len(record_id)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, n), "D")
    amount = np.round(rng.lognormal(np.log(180), 0.7, n), 2)
    orders = pd.DataFrame({"record_id": record_id, "date": dates.strftime("%Y-%m-%d"),
                           "amount": amount})
    orders = orders.sort_values(["date", "record_id"], kind="stable").reset_index(drop=True)
    orders.insert(0, "order_id", [f"O{i:05d}" for i in range(1, n + 1)])
    return orders


def customer_contacts(seed: int = SEED) -> pd.DataFrame:
    """Generate the company's own spend on each record (企业投入记录): calls, SMS, gifts, visits.

    Parameters
    ----------
    seed : int, default SEED
        Random seed (the committed file uses ``SEED``).

    Returns
    -------
    pandas.DataFrame
        ``contact_id``, ``record_id``, ``date``, ``kind``, ``cost`` (元).

    Raises
    ------
    TypeError
        ``seed`` is not a whole number.
    ValueError
        ``seed`` is negative.

    Examples
    --------
    >>> set(customer_contacts()["kind"]) <= {"回访电话", "短信关怀", "生日礼品", "上门拜访"}
    True
    """
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0) + 2)
    records = customer_records_raw(seed)
    counts = rng.poisson(1.5, len(records))
    record_id = np.repeat(records["record_id"].to_numpy(), counts)
    n = len(record_id)
    kinds = rng.choice(list(_CONTACT_KINDS), n, p=[0.45, 0.35, 0.15, 0.05])
    cost = np.array([_CONTACT_KINDS[k] for k in kinds])
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, n), "D")
    contacts = pd.DataFrame({"record_id": record_id, "date": dates.strftime("%Y-%m-%d"),
                             "kind": kinds, "cost": cost})
    contacts = contacts.sort_values(["date", "record_id"], kind="stable").reset_index(drop=True)
    contacts.insert(0, "contact_id", [f"C{i:05d}" for i in range(1, n + 1)])
    return contacts
