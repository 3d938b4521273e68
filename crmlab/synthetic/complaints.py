"""Chapter 5's data: a shop's orders, its complaint log, a loyalty survey, cohorts.

The lecture has no complaint records, so the course simulates a shop with a
fixed seed. Each customer buys at an own rate; some orders lead to a complaint,
which moves through the eight-step workflow of :mod:`crmlab.complaints`; how well
it is handled changes how the customer buys afterwards. Planted patterns (all
documented in ``datasets/synthetic/README.md``):

* the logistics department (物流部) takes about 2.5× as long as the others and
  breaches a 7-day SLA on most of its complaints;
* one sub-item, 产品故障 (``quality_failure``), causes about a third of all complaints;
* a reopen cluster: complaints handled by the service desk (客服部) and recorded in
  April–June 2024 are reopened far more often than all others;
* service recovery: customers whose complaint was handled well (satisfaction
  ≥ 4) buy again sooner than customers who never complained; badly handled or
  rejected complainers buy again less.

>>> log = complaint_log()
>>> bool(log["complaint_id"].nunique() > 1_500)
True
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from crmlab import _validation as validate

__all__ = [
    "DEPARTMENT_OF_TYPE",
    "N_CUSTOMERS",
    "SEED",
    "cohort_transactions",
    "complaint_log",
    "loyalty_survey",
    "shop_orders",
]

SEED = 20_250_505
N_CUSTOMERS = 2_400
JOIN_START = pd.Timestamp("2022-01-01")
JOIN_END = pd.Timestamp("2024-09-30")
WINDOW_START = pd.Timestamp("2023-01-01")  # complaints are logged in 2023–2024
WINDOW_END = pd.Timestamp("2025-01-01")
DATA_END = pd.Timestamp("2025-07-01")  # orders run half a year longer (repurchase)

#: department of each complaint type (the responsible department, 分清责任)
DEPARTMENT_OF_TYPE = {"quality": "qa", "contract": "sales", "transport": "logistics",
                      "service": "service_desk"}
DEPARTMENTS = ("qa", "sales", "logistics", "service_desk")
_DEPT_ZH = {"qa": "质检部", "sales": "销售部", "logistics": "物流部", "service_desk": "客服部"}

# sub-item weights: quality_failure dominates (planted Pareto pattern)
_SUB_WEIGHTS = {
    "quality_defect": 6, "quality_spec": 3, "quality_tolerance": 2, "quality_failure": 33,
    "contract_quantity": 3, "contract_grade": 1, "contract_spec": 2,
    "contract_delivery_time": 6, "contract_delivery_place": 1, "contract_settlement": 2,
    "contract_terms": 1,
    "transport_damage": 9, "transport_spoilage": 2, "transport_loss": 3, "transport_packing": 4,
    "service_quality": 5, "service_attitude": 8, "service_manner": 3, "service_skill": 3,
}
_SLOW = {"logistics": 2.6}  # planted SLA breach
REOPEN_BASE = 0.05
REOPEN_CLUSTER = 0.45  # service desk, recorded 2024-04-01 .. 2024-06-30
CLUSTER = (pd.Timestamp("2024-04-01"), pd.Timestamp("2024-07-01"))
_REJECT_NOTES = ("超出保修期", "非本公司产品", "人为损坏", "已按合同履行")


def _type_of(sub: str) -> str:
    return sub.split("_", 1)[0]


def _hours(rng: np.random.Generator, low: float, high: float, slow: float) -> pd.Timedelta:
    return pd.Timedelta(hours=float(np.round(rng.uniform(low, high) * slow * 60) / 60))


def _handle(rng: np.random.Generator, cid: str, customer: str, order: str,
            at: pd.Timestamp, sub: str, reject: bool) -> tuple[list[tuple], str, float]:
    """Simulate the events of one complaint; return (rows, outcome, satisfaction)."""
    kind = _type_of(sub)
    dept = DEPARTMENT_OF_TYPE[kind]
    if rng.random() < 0.05:  # now and then another department is responsible
        dept = str(rng.choice([d for d in DEPARTMENTS if d != dept]))
    slow = _SLOW.get(dept, 1.0)
    staff = f"{_DEPT_ZH[dept]}-{int(rng.integers(1, 5)):02d}"
    clerk = f"投诉专员-{int(rng.integers(1, 4)):02d}"
    rows = []

    def add(step: str, by: str, t: pd.Timestamp, note: str = "",
            department: str | None = None, satisfaction: float = np.nan) -> None:
        rows.append((cid, len(rows), step, t, by, note, customer, order, kind, sub,
                     department, satisfaction))

    add("record", "客服中心", at)
    t = at + _hours(rng, 1, 20, 1.0)
    add("judge", clerk, t)
    if reject:
        t = t + _hours(rng, 1, 24, 1.0)
        add("rejected", clerk, t, str(rng.choice(_REJECT_NOTES)))
        return rows, "rejected", np.nan
    t = t + _hours(rng, 1, 12, 1.0)
    add("assign", clerk, t, department=dept)
    in_cluster = dept == "service_desk" and CLUSTER[0] <= at < CLUSTER[1]
    reopen_p = REOPEN_CLUSTER if in_cluster else REOPEN_BASE
    rounds = 1 + int(rng.random() < reopen_p)
    people = (staff, clerk, f"主管-{_DEPT_ZH[dept]}")
    for r in range(rounds):
        t = _handling_round(rng, add, t, at, r, rounds, people, slow)
    score = rows[-2][11]
    if np.isnan(score):
        return rows, "unrated", score
    return rows, ("well" if score >= 4 else "poor" if score <= 2 else "fair"), score


def _handling_round(rng: np.random.Generator, add: Callable[..., None], t: pd.Timestamp,
                    at: pd.Timestamp, r: int, rounds: int, people: tuple[str, str, str],
                    slow: float) -> pd.Timestamp:
    """Simulate round ``r`` (analyse … review, maybe closed); return the time reached."""
    staff, clerk, leader = people
    if r > 0:
        t = t + _hours(rng, 2, 48, 1.0)
        add("analyse", staff, t, "客户再次投诉，重新分析")
    else:
        t = t + _hours(rng, 8, 40, slow)
        add("analyse", staff, t)
    t = t + _hours(rng, 4, 30, slow)
    add("propose", staff, t)
    t = t + _hours(rng, 2, 30, slow)
    if rng.random() < 0.12:  # the leader sends the proposal back
        add("approve", leader, t, "方案退回，补偿不足")
        t = t + _hours(rng, 4, 24, slow)
        add("propose", staff, t, "修改方案")
        t = t + _hours(rng, 2, 20, slow)
    add("approve", leader, t)
    t = t + _hours(rng, 8, 48, slow)
    add("implement", staff, t)
    t = t + _hours(rng, 4, 30, 1.0)
    last = r == rounds - 1
    if last:
        days = (t - at) / pd.Timedelta(days=1)
        mood = 4.3 - 1.3 * (days > 7) - 0.8 * (rounds > 1) + rng.normal(0, 0.8)
        score = float(np.clip(np.round(mood), 1, 5))
        if rng.random() < 0.06:  # the customer did not answer the survey call
            score = np.nan
        add("review", clerk, t, satisfaction=score)
    else:
        add("review", clerk, t)
    if rounds > 1 and r == 0 and rng.random() < 0.4:
        t = t + _hours(rng, 1, 24, 1.0)
        add("closed", clerk, t)
    elif last:
        t = t + _hours(rng, 1, 24, 1.0)
        add("closed", clerk, t)
    return t


@lru_cache(maxsize=4)
def _simulate(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    span = (JOIN_END - JOIN_START).days
    joined = JOIN_START + pd.to_timedelta(rng.integers(0, span, N_CUSTOMERS), "D")
    mean_gap = rng.gamma(2.0, 80.0 / 2.0, N_CUSTOMERS) + 10  # days between orders
    subs = list(_SUB_WEIGHTS)
    weights = np.array(list(_SUB_WEIGHTS.values()), dtype=float)
    weights /= weights.sum()
    effect = {"well": (0.75, 0.02), "fair": (1.1, 0.08), "poor": (2.2, 0.45),
              "rejected": (1.6, 0.25), "unrated": (1.0, 0.06)}
    orders, events = [], []
    n_complaints = 0
    for i in range(N_CUSTOMERS):
        customer = f"K{i + 1:04d}"
        gap = mean_gap[i]
        t = joined[i] + pd.Timedelta(minutes=int(rng.integers(9 * 60, 21 * 60)))
        while t < DATA_END:
            order = f"S{len(orders) + 1:06d}"
            orders.append((order, customer, t.strftime("%Y-%m-%d"),
                           round(float(rng.lognormal(np.log(260), 0.6)), 2)))
            churn = 0.04
            if WINDOW_START <= t < WINDOW_END and rng.random() < 0.125:
                n_complaints += 1
                cid = f"T{n_complaints:05d}"
                at = (t + pd.Timedelta(days=int(rng.integers(1, 8)))).normalize() + pd.Timedelta(
                    minutes=int(rng.integers(8 * 60, 20 * 60)))
                sub = str(rng.choice(subs, p=weights))
                rows, outcome, _score = _handle(rng, cid, customer, order, at, sub,
                                                reject=rng.random() < 0.1)
                events.extend(rows)
                factor, churn = effect[outcome]
                gap *= factor
                t = max(t, rows[-1][3].normalize())
            if rng.random() < churn:
                break
            t = t + pd.Timedelta(days=max(1, int(rng.exponential(gap))))
    order_frame = pd.DataFrame(orders, columns=["order_id", "customer_id", "date", "amount"])
    log = pd.DataFrame(events, columns=["complaint_id", "seq", "step", "at", "by", "note",
                                        "customer_id", "order_id", "complaint_type",
                                        "sub_item", "department", "satisfaction"])
    log = log.sort_values(["at", "complaint_id", "seq"], kind="stable").reset_index(drop=True)
    # number complaints in the order they were recorded: T00001 is the first
    opened = log.loc[log["seq"] == 0, "complaint_id"].tolist()
    log["complaint_id"] = log["complaint_id"].map(
        {old: f"T{i + 1:05d}" for i, old in enumerate(opened)})
    log["at"] = log["at"].dt.strftime("%Y-%m-%d %H:%M")
    people = pd.DataFrame({"customer_id": [f"K{i + 1:04d}" for i in range(N_CUSTOMERS)],
                           "mean_gap": mean_gap})
    return order_frame, log, people


def shop_orders(seed: int = SEED) -> pd.DataFrame:
    """Generate the orders of the shop's 2,400 customers, 2022-01 to 2025-06 (amounts in 元).

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        Columns ``order_id``, ``customer_id``, ``date`` (YYYY-MM-DD), ``amount``.

    Examples
    --------
    >>> orders = shop_orders()
    >>> list(orders.columns), orders["customer_id"].nunique() <= 2400
    (['order_id', 'customer_id', 'date', 'amount'], True)
    """
    return _simulate(validate.integer(seed, "seed", minimum=0))[0].copy()


def complaint_log(seed: int = SEED) -> pd.DataFrame:
    """Generate the complaint event log 2023–2024: one row per workflow move (``LOG_COLUMNS``).

    Times are local ``YYYY-MM-DD HH:MM``; ``department`` is filled on ``assign``
    rows, ``satisfaction`` (1–5, sometimes missing) on the final ``review`` row.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per move, columns ``LOG_COLUMNS`` of :mod:`crmlab.complaints`.

    Examples
    --------
    >>> log = complaint_log()
    >>> log.loc[0, "complaint_id"], log.loc[0, "step"]
    ('T00001', 'record')
    """
    return _simulate(validate.integer(seed, "seed", minimum=0))[1].copy()


def loyalty_survey(seed: int = SEED) -> pd.DataFrame:
    """Generate a survey of 400 shop customers for the loyalty measures data cannot give.

    One row per respondent (linked by ``customer_id`` to ``shop_orders``):
    ``brand_attention`` 关心程度 (1–5), ``category_purchases`` and ``our_purchases``
    (purchases of the category in the last 12 months, in total and from us:
    需求满足率), ``price_tolerance_pct`` (the price rise in % that would make them
    switch: 价格敏感度), ``competitor_interest`` 对竞争产品的态度 (1–5, higher = more
    drawn to competitors), ``identification`` 认同度 (1–5), ``choice_minutes``
    (minutes spent choosing: 购买时间), ``quality_tolerance`` 质量事故承受能力 (1–5).
    Answers follow each customer's buying rate (frequent buyers answer more
    loyally), with noise.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per respondent with the columns above.

    Examples
    --------
    >>> survey = loyalty_survey()
    >>> len(survey), bool(survey["brand_attention"].between(1, 5).all())
    (400, True)
    """
    seed = validate.integer(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed + 7)
    people = _simulate(seed)[2]
    chosen = np.sort(rng.choice(len(people), 400, replace=False))
    gap = people["mean_gap"].to_numpy()[chosen]
    z = -(np.log(gap) - np.log(gap).mean()) / np.log(gap).std()  # loyal = short gaps

    def likert(center: float, slope: float) -> np.ndarray:
        return np.clip(np.round(center + slope * z + rng.normal(0, 0.8, z.size)), 1, 5
                       ).astype(int)

    total = rng.integers(2, 16, z.size)
    share = 1 / (1 + np.exp(-(0.3 + 0.9 * z + rng.normal(0, 0.7, z.size))))
    ours = np.minimum(total, np.round(total * share)).astype(int)
    return pd.DataFrame({
        "customer_id": people["customer_id"].to_numpy()[chosen],
        "brand_attention": likert(3.4, 0.6),
        "category_purchases": total,
        "our_purchases": ours,
        "price_tolerance_pct": np.clip(np.round(10 + 5 * z + rng.normal(0, 4, z.size)), 0,
                                       40).astype(int),
        "competitor_interest": likert(2.8, -0.6),
        "identification": likert(3.6, 0.6),
        "choice_minutes": np.clip(np.round(np.exp(2.6 - 0.35 * z + rng.normal(0, 0.4,
                                                                              z.size))), 1,
                                  180).astype(int),
        "quality_tolerance": likert(3.0, 0.5),
    })


COHORT_MONTHS = pd.period_range("2023-01", "2023-12", freq="M")
COHORT_END = pd.Timestamp("2025-01-01")


def cohort_transactions(seed: int = SEED) -> pd.DataFrame:
    """Generate the purchases of twelve monthly acquisition cohorts (2023), followed to end-2024.

    Columns: ``customer_id`` (int), ``date`` (YYYY-MM-DD), ``amount`` (元). Planted:
    cohorts acquired from July 2023 on (after an onboarding programme, 本课程补充)
    keep 10–15 percentage points more of their customers in every later month;
    every cohort's retention decays over the first months, then flattens.

    Parameters
    ----------
    seed : int, default SEED
        Seed of the random generator; the default reproduces the course data set.

    Returns
    -------
    DataFrame
        One row per purchase: ``customer_id``, ``date``, ``amount``.

    Examples
    --------
    >>> tx = cohort_transactions()
    >>> list(tx.columns), tx["date"].min()[:7], tx["date"].max()[:4]
    (['customer_id', 'date', 'amount'], '2023-01', '2024')
    """
    rng = np.random.default_rng(validate.integer(seed, "seed", minimum=0) + 11)
    rows = []
    next_id = 1
    for k, month in enumerate(COHORT_MONTHS):
        size = int(rng.integers(180, 320))
        boost = 0.10 if k >= 6 else 0.0
        start = month.start_time
        for _ in range(size):
            first = start + pd.Timedelta(days=int(rng.integers(0, month.days_in_month)))
            rows.append((next_id, first, float(round(rng.lognormal(np.log(150), 0.5), 2))))
            # stays active with a probability that decays, then levels off
            loyal = rng.random() < 0.18 + boost
            age = 1
            while True:
                when = (month + age).start_time
                if when >= COHORT_END:
                    break
                p = (0.55 if loyal else 0.32 * np.exp(-0.45 * (age - 1))) + (
                    boost * 0.5 if loyal else boost)
                if rng.random() < min(p, 0.95):
                    day = when + pd.Timedelta(days=int(rng.integers(0, (month + age)
                                                                   .days_in_month)))
                    rows.append((next_id, day, float(round(rng.lognormal(np.log(150), 0.5),
                                                           2))))
                age += 1
            next_id += 1
    out = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    out = out.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    return out
