"""Chapter 0 tasks (导论): building a customer file from messy records."""

from __future__ import annotations

from functools import cache

import pandas as pd

from crmlab import customer_file as cf
from crmlab import datasets
from crmlab.exercises._core import Mistake, Task, register

#: The messy phone numbers of task ch0.ex2 (the question, not the answer).
EX2_PHONES = ["186 5503 1969", "+86-13800138000", "8613935551142", "139-1234-567"]
#: The customer of task ch0.ex4 is the one with this (clean) phone number.
EX4_PHONE = "18655031969"
#: The column asked about in task ch0.ex5, and its options A/B/C.
EX5_COLUMN = "contact_cost"
EX5_OPTIONS = {"A": "客户原始记录", "B": "统计分析资料", "C": "企业投入记录"}


@cache
def _data() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return datasets.load_customer_file_example()


@cache
def _clean() -> pd.DataFrame:
    return cf.clean_records(_data()[0])


@cache
def _file() -> pd.DataFrame:
    return cf.build_customer_file(*_data())


def _phones_digits_only() -> list[str]:
    return pd.Series(EX2_PHONES).str.replace(r"\D", "", regex=True).tolist()


def _phones_expected() -> list[str]:
    return cf.normalize_phone(pd.Series(EX2_PHONES)).fillna("无效").tolist()


def _ex4_records() -> list[str]:
    clean = _clean()
    return clean.loc[clean["phone"] == EX4_PHONE, "record_id"].tolist()


def _ex4_one_channel() -> float:
    orders = _data()[1]
    return float(orders.loc[orders["record_id"] == _ex4_records()[0], "amount"].sum())


register(Task(
    id="ch0.demo", kind="number",
    expected=lambda: len(datasets.load_cdnow("sample")),
    hint="用 len(tx) 数一数交易表有多少行。", atol=0,
))

register(Task(
    id="ch0.ex1", kind="number",
    expected=lambda: len(_data()[0]),
    hint="原始记录表有多少行？用 len(records) 或 records.shape[0]。", atol=0,
    mistakes=(Mistake(lambda: len(_data()[0]) + 1,
                      "你多数了一行：表头不算记录，用 len(records)。"),
              Mistake(lambda: len(_file()),
                      "这是去重后的客户数；本题问的是去重之前的原始记录条数。"),),
))

register(Task(
    id="ch0.ex2", kind="labels",
    expected=_phones_expected,
    hint="先去掉空格、短横线和加号，再去掉开头的国家代码 86；剩下的必须是 1 开头的 "
         "11 位数字，否则写 \"无效\"。",
    mistakes=(Mistake(_phones_digits_only,
                      "只删除非数字字符还不够：开头的国家代码 86 也要去掉，"
                      "而且不是 11 位的号码应标为 \"无效\"。"),),
))

register(Task(
    id="ch0.ex3", kind="number",
    expected=lambda: int(cf.match_customers(_clean()).nunique()),
    hint="清洗后，手机号或邮箱相同的记录属于同一位客户（可以传递：A 与 B 同手机，"
         "B 与 C 同邮箱，则 A、B、C 是一个人）。试试 cf.match_customers(clean)。",
    atol=0,
    mistakes=(Mistake(lambda: int(_clean()["name"].nunique()),
                      "姓名不能当作识别键：同名同姓的不同客户会被错误合并。"),
              Mistake(lambda: int(_data()[0]["phone"].nunique()),
                      "你在清洗之前去重了：同一手机号的不同写法（空格、+86）会被当成不同客户。"),
              Mistake(lambda: int(_clean()["phone"].nunique()),
                      "只按手机号去重会漏掉没有留手机号的记录：邮箱也是识别键。"),),
))

register(Task(
    id="ch0.ex4", kind="number",
    expected=lambda: float(_file().loc[_file()["phone"] == EX4_PHONE, "total_amount"].iloc[0]),
    hint="先找出这位客户在各渠道的全部记录编号，再把这些记录的订单金额加总。",
    unit="元",
    mistakes=(Mistake(_ex4_one_channel,
                      "你只算了一个渠道的订单：同一客户在不同渠道的订单要合并到统一视图。"),),
))

register(Task(
    id="ch0.ex5", kind="choice", choices=tuple(EX5_OPTIONS),
    expected=lambda: next(k for k, v in EX5_OPTIONS.items()
                          if v == cf.FILE_SECTIONS[EX5_COLUMN]),
    hint="客户档案三部分：原始记录（客户是谁）、统计分析资料（客户做了什么）、"
         "企业投入记录（企业为客户花了什么）。",
))

register(Task(
    id="ch0.ex6", kind="number",
    expected=lambda: float((_file()["n_records"] >= 2).mean() * 100),
    hint="统一视图中 n_records >= 2 的客户占全部客户的百分比（0–100）。",
    atol=0.05,
    mistakes=(Mistake(lambda: float((_file()["n_records"] >= 2).mean()),
                      "请写成百分数（0–100），而不是 0–1 的小数。"),
              Mistake(lambda: float((_file()["n_records"] >= 2).sum()),
                      "这是人数；本题要的是占全部客户的百分比。"),),
))
