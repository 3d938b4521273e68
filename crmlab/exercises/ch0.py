"""Chapter 0 tasks (导论): building a customer file from messy records.

The worked example of the framework (see ``crmlab/exercises/README.md``). The
exercise data are the lecture's generator run with another seed, on a random
subset of the customers, so no number printed in the lecture is an answer here.
"""

from __future__ import annotations

import io
from functools import cache

import pandas as pd

from crmlab import customer_file as cf
from crmlab import datasets
from crmlab.exercises._core import Chapter, Mistake
from crmlab.exercises._kinds import Choice, Labels, Number, Share

__all__ = ["chapter"]

chapter = Chapter(__name__, "导论：建立客户档案")

#: Seed of the exercise data (the lecture's data use ``crmlab.synthetic`` 's own seed).
EXERCISE_SEED = 20_250_301
#: Share of the generated customers kept in the exercise data.
KEEP = 0.8


def _read(frame: pd.DataFrame, **options) -> pd.DataFrame:
    # through CSV text, so the frames look exactly like what the loaders return
    return pd.read_csv(io.StringIO(frame.to_csv(index=False)), **options)


@cache
def _example() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from crmlab.synthetic import customer_file as gen

    records = gen.customer_records_raw(EXERCISE_SEED)
    person = cf.match_customers(cf.clean_records(records))
    keep_ids = person.drop_duplicates().sample(frac=KEEP, random_state=EXERCISE_SEED % 2**32)
    kept = records[person.isin(keep_ids).to_numpy()].reset_index(drop=True)
    kept["record_id"] = [f"R{i:04d}" for i in range(1, len(kept) + 1)]
    renumber = dict(zip(records.loc[person.isin(keep_ids).to_numpy(), "record_id"],
                        kept["record_id"], strict=True))
    orders = gen.customer_orders(EXERCISE_SEED)
    contacts = gen.customer_contacts(EXERCISE_SEED)
    orders = orders[orders["record_id"].isin(renumber)].assign(
        record_id=lambda o: o["record_id"].map(renumber))
    contacts = contacts[contacts["record_id"].isin(renumber)].assign(
        record_id=lambda c: c["record_id"].map(renumber))
    return (_read(kept, dtype=str), _read(orders.reset_index(drop=True)),
            _read(contacts.reset_index(drop=True)))


def _data() -> dict[str, pd.DataFrame]:
    records, orders, contacts = _example()
    return {"records": records, "orders": orders, "contacts": contacts}


@cache
def _file() -> pd.DataFrame:
    return cf.build_customer_file(*_example())


def _clean() -> pd.DataFrame:
    return cf.clean_records(_example()[0])


def _ex4_given() -> dict[str, str]:
    file = _file()
    everywhere = file[(file["n_records"] == 3) & file["phone"].notna()]
    return {"phone": str(everywhere.sort_values("phone")["phone"].iloc[0])}


def _ex4_one_channel(g: dict[str, str]) -> float:
    records, orders, _ = _example()
    clean = cf.clean_records(records)
    first = clean.loc[clean["phone"] == g["phone"], "record_id"].sort_values().iloc[0]
    return float(orders.loc[orders["record_id"] == first, "amount"].sum())


# --- a demonstration task for the lecture (not numbered) ---------------------------------

chapter.task(
    Number(decimals=0), key="demo",
    expected=lambda g: len(datasets.load_cdnow("sample")),
    hint="用 len(tx) 数一数交易表有多少行。",
)

# --- ex1 ---------------------------------------------------------------------------------

chapter.task(
    Number(decimals=0), given=_data,
    expected=lambda g: len(g["records"]),
    hint="原始记录表有多少行？用 len(records) 或 records.shape[0]。",
    mistakes=[
        Mistake(lambda g: len(g["records"]) + 1, "你多数了一行：表头不算记录，用 len(records)。"),
        Mistake(lambda g: len(_file()),
                "这是去重后的客户数；本题问的是去重之前的原始记录条数。"),
    ],
)

# --- ex2 ---------------------------------------------------------------------------------

chapter.task(
    Labels(example='["13912345678", "无效"]'),
    given={"phones": ["139 0211 7788", "+86-15822223333", "8617755501234", "150-1234-567"]},
    expected=lambda g: cf.normalize_phone(pd.Series(g["phones"])).fillna("无效").tolist(),
    hint="先去掉空格、短横线和加号，再去掉开头的国家代码 86；剩下的必须是 1 开头的 "
         "11 位数字，否则写 \"无效\"。",
    mistakes=[
        Mistake(lambda g: pd.Series(g["phones"]).str.replace(r"\D", "", regex=True).tolist(),
                "只删除非数字字符还不够：开头的国家代码 86 也要去掉，"
                "而且不是 11 位的号码应标为 \"无效\"。"),
    ],
)

# --- ex3 ---------------------------------------------------------------------------------

chapter.task(
    Number(decimals=0), given=_data,
    expected=lambda g: int(cf.match_customers(cf.clean_records(g["records"])).nunique()),
    hint="清洗后，手机号或邮箱相同的记录属于同一位客户（可以传递：A 与 B 同手机，"
         "B 与 C 同邮箱，则 A、B、C 是一个人）。试试 cf.match_customers(clean)。",
    mistakes=[
        Mistake(lambda g: int(_clean()["name"].nunique()),
                "姓名不能当作识别键：同名同姓的不同客户会被错误合并。"),
        Mistake(lambda g: int(g["records"]["phone"].nunique()),
                "你在清洗之前去重了：同一手机号的不同写法（空格、+86）会被当成不同客户。"),
        Mistake(lambda g: int(_clean()["phone"].nunique()),
                "只按手机号去重会漏掉没有留手机号的记录：邮箱也是识别键。"),
    ],
)

# --- ex4 ---------------------------------------------------------------------------------

chapter.task(
    Number(decimals=2, unit="元"), given=_ex4_given,
    expected=lambda g: float(_file().loc[_file()["phone"] == g["phone"], "total_amount"].iloc[0]),
    hint="先找出这位客户在各渠道的全部记录编号，再把这些记录的订单金额加总。",
    mistakes=[
        Mistake(_ex4_one_channel,
                "你只算了一个渠道的订单：同一客户在不同渠道的订单要合并到统一视图。"),
    ],
)

# --- ex5 ---------------------------------------------------------------------------------

_PARTS = {"A": "客户原始记录", "B": "统计分析资料", "C": "企业投入记录"}

chapter.task(
    Choice(_PARTS), given={"column": "contact_cost", "options": _PARTS},
    expected=lambda g: next(k for k, v in g["options"].items()
                            if v == cf.FILE_SECTIONS[g["column"]]),
    hint="客户档案三部分：原始记录（客户是谁）、统计分析资料（客户做了什么）、"
         "企业投入记录（企业为客户花了什么）。",
    mistakes=[
        Mistake(lambda g: "A", "原始记录是客户是谁（姓名、联系方式、地址）；"
                               "企业为客户花的钱不在其中。"),
        Mistake(lambda g: "B", "统计分析资料描述客户做了什么（购买次数、金额）；"
                               "这一列记的是企业为客户花了什么。"),
    ],
)

# --- ex6 ---------------------------------------------------------------------------------

chapter.task(
    Share(decimals=4), given=_data,
    expected=lambda g: float((cf.build_customer_file(g["records"], g["orders"], g["contacts"])
                              ["n_records"] >= 2).mean()),
    hint="统一视图中 n_records >= 2 的客户占全部客户的比例（0–1 之间的小数）。",
    mistakes=[
        Mistake(lambda g: float((_file()["n_records"] >= 2).sum()),
                "这是人数；本题要的是占全部客户的比例。"),
        Mistake(lambda g: float((_file()["n_records"] >= 2).sum() / len(g["records"])),
                "分母是客户数（去重后），不是原始记录条数。"),
        Mistake(lambda g: float((_file()["n_records"] >= 3).mean()),
                "“两个或更多渠道”包括 2：条件是 n_records >= 2。"),
    ],
)
