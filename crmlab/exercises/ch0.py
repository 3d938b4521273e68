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

# --- ex7-ex16: the lecture's quiz ------------------------------------------------------
# The multiple-choice 练习题 of chapters 1-2 printed in 《客户关系管理练习题》, with the
# answers printed there. The expected answer is the printed one (data of the lecture,
# not a computation); each wrong option gets a hint that names the concept.

#: (chapter of the lecture's quiz, question, options, printed answer, hint per wrong option, note)
QUIZ: tuple[tuple[int, str, dict[str, str], str, dict[str, str], str], ...] = (
    (1, "客户关系管理强调的是以（　）为中心。",
     {"A": "产品", "B": "利益", "C": "客户", "D": "企业"}, "C",
     {"A": "以产品为中心是传统的产品观念；CRM 的核心思想是以客户为中心。",
      "B": "利益是结果而不是中心：CRM 把客户视为企业最重要的资产。",
      "D": "以企业为中心正是 CRM 要改变的观念；它的核心思想是以客户为中心。"}, ""),
    (1, "以下对客户关系管理的相关描述不正确的是（　）。",
     {"A": "Gartner Group 认为客户关系管理就是为企业提供全方位的管理视角，赋予企业更完善的"
           "客户交流能力，将客户的收益率最大化。",
      "B": "Carlson Marketing Group 认为客户关系管理是一种营销策略，它通过培养公司的每一位"
           "员工、经销商或客户对该公司更积极的偏爱或偏好，留住他们并以此提高公司业绩。",
      "C": "Hurwitz Group 认为客户关系管理系统的核心是对客户数据的管理。",
      "D": "IBM 把客户关系管理分为三类：关系管理、流程管理和接入管理。"}, "C",
     {"A": "A 与 Gartner Group 的定义一致，是正确的描述；题目要找不正确的一项。"
           "对照四种定义，看看 Hurwitz Group 说的焦点是什么。",
      "B": "B 与卡尔松营销集团的定义一致，是正确的描述；题目要找不正确的一项。"
           "对照四种定义，看看 Hurwitz Group 说的焦点是什么。",
      "D": "D 与 IBM 的定义一致（关系管理、流程管理、接入管理），是正确的描述；"
           "题目要找不正确的一项。对照四种定义，看看 Hurwitz Group 说的焦点是什么。"}, ""),
    (1, "客户关系管理的内涵包括除了以下哪项（　）。",
     {"A": "客户关系管理是一种管理理念", "B": "客户关系管理是一种管理模式",
      "C": "客户关系管理是一种技术系统", "D": "客户关系管理是一种设计方式"}, "D",
     {"A": "理念是 CRM 内涵的一部分；题目问的是哪一项不属于 CRM 的内涵。",
      "B": "管理模式（管理机制）是 CRM 内涵的一部分；题目问的是哪一项不属于。",
      "C": "技术系统是 CRM 内涵的一部分；题目问的是哪一项不属于。"}, ""),
    (1, "客户关系管理首先体现的是一种管理理念，其核心思想是（　）。",
     {"A": "以客户为中心，将企业的客户包括最终客户、分销商和合作伙伴视为最重要的企业资产",
      "B": "为企业的营销、销售、客户服务和决策支持等领域提供了一个智能化的解决方案",
      "C": "改善企业与客户之间的关系",
      "D": "强化企业跟踪服务与信息分析的能力，使他们与客户之间建立和维护亲密信任的关系"}, "A",
     {"B": "这是 CRM 作为技术（软件系统）的一面；题目问的是管理理念的核心思想。",
      "C": "改善关系是 CRM 作为管理机制的目标；理念的核心是以客户为中心。",
      "D": "这是技术与机制的作用；理念的核心是以客户为中心、把客户视为最重要的资产。"}, ""),
    (1, "激烈的市场竞争大大缩小了许多商品或服务在品质方面的区别，同质化使企业越来越重视（　）。",
     {"A": "客户满意度", "B": "客户忠诚度", "C": "客户满意度和客户忠诚度", "D": "客户关系"},
     "C",
     {"A": "只答了一半：产品同质化以后，企业既要让客户满意，也要让客户忠诚。",
      "B": "只答了一半：客户忠诚的前提是客户满意，两者企业都越来越重视。",
      "D": "太笼统：题干问的是产品同质化以后企业越来越重视客户的哪些具体表现；"
           "回到讲义，看看同质化与客户的感受、客户的去留有什么关系。"}, ""),
    (2, "客户关系营销认为产品的价值既包括实体价值，也包括（　）。",
     {"A": "产品的包装", "B": "附在实体产品之上的服务", "C": "附产品的广告价值",
      "D": "产品的使用价值"}, "B",
     {"A": "包装属于实体产品；关系营销高度重视客户服务，实体之外的价值是服务。",
      "C": "广告不是产品的价值；关系营销高度重视客户服务，实体之外的价值是服务。",
      "D": "使用价值已包含在实体价值之中；另一部分是附在实体产品之上的服务。"}, ""),
    (2, "客户关系营销将传统交易营销学研究的视角从关注一次性的交易转向关注（　）。",
     {"A": "客户价值", "B": "保留客户", "C": "竞争对手", "D": "客户满意度"}, "B",
     {"A": "对照关系营销与交易营销的第一条区别：交易营销关注一次性交易，关系营销关注什么？",
      "C": "关注竞争对手不是两者的区别；交易营销关注一次性交易，关系营销关注如何保住客户。",
      "D": "满意度是手段；两者的第一条区别是：交易营销关注一次性交易，关系营销关注如何保住客户。"},
     ""),
    (2, "下列哪一项不属于企业与客户之间依次递进的三个关系层次？（　）",
     {"A": "财务层次", "B": "沟通层次", "C": "等级层次", "D": "结构层次"}, "B",
     {"A": "财务层次属于三个层次（第一层：用价格优惠等财务手段维系客户）。",
      "C": "你的理由说得通：文献中常见的三个层次是财务、社交、结构层次（Berry & "
           "Parasuraman, 1991），“等级层次”确实不在其中。但讲义没有列出这三个层次，本题按"
           "讲义印出的答案判分，讲义选的是另一项：对照这三个层次，再看看其余的选项。",
      "D": "结构层次属于三个层次（最高一层：为客户提供结构性的解决方案，把双方连在一起）。"},
     "讲义印出的答案是 B。本课程注：讲义没有列出这三个层次；文献中常见的三个层次是财务、"
     "社交、结构层次（Berry & Parasuraman, 1991），照此 C“等级层次”也不属于，题目有两个"
     "说得通的选项。本题按讲义的答案 B 判分。"),
    (2, "企业在实施客户关系营销的过程中，下列哪项不属于企业应遵循的原则？（　）",
     {"A": "主动沟通", "B": "承诺信任", "C": "互利互惠", "D": "网络共享"}, "D",
     {"A": "主动沟通是关系营销的原则（关系营销的第一个特征就是双向沟通）；题目问的是不属于的一项。",
      "B": "承诺信任是关系营销的原则（关系营销有充分的客户承诺）；题目问的是不属于的一项。",
      "C": "互利互惠是关系营销的原则（关系营销的特征之一是双赢）；题目问的是不属于的一项。"}, ""),
    (2, "（　）是一种既能适应“多品种、小批量”订货的要求，又能保持大批量流水作业的先进生产体系。",
     {"A": "刚性生产体系", "B": "大规模生产体系", "C": "柔性生产体系", "D": "流水线生产体系"},
     "C",
     {"A": "刚性生产体系只能大批量生产少数品种，适应不了多品种、小批量。",
      "B": "大规模生产体系追求单一品种的规模，适应不了多品种、小批量。",
      "D": "流水线只是大批量作业的方式；能兼顾多品种、小批量的生产体系另有其名。"}, ""),
)


def _quiz_task(chapter_no: int, question: str, options: dict[str, str], answer: str,
               why: dict[str, str], note: str) -> None:
    # ``note`` (the course's remark on a doubtful printed answer) is shown in the solution
    # notebook after the check cell; it names the answer, so it is not part of ``given``.
    chapter.task(
        Choice(options), given={"lecture_chapter": chapter_no, "question": question,
                                "options": options},
        expected=lambda g, printed=answer: printed,      # the lecture's printed answer
        hint="回到讲义的相应一节（本章笔记本第 1–3 节有摘要）再读一遍。",
        mistakes=[Mistake(lambda g, letter=letter: letter, hint)
                  for letter, hint in why.items()],
    )


for _entry in QUIZ:
    _quiz_task(*_entry)
