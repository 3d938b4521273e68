"""Log analytics: checking a log, one row per complaint, Pareto, SLA, reopen rate, satisfaction."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmlab import _validation as validate
from crmlab.complaints._taxonomy import SETTLED, STEPS, SUB_ITEMS, TRANSITIONS

#: Problems ``validate_log`` reports, one code per kind of bad row.
PROBLEMS: tuple[str, ...] = ("unknown_step", "bad_time", "duplicate_seq", "no_record",
                             "illegal_move", "time_backwards", "missing_department",
                             "bad_satisfaction", "bad_code", "inconsistent_complaint")

_REQUIRED = ("complaint_id", "seq", "step", "at", "customer_id", "complaint_type",
             "sub_item", "department", "satisfaction")
UNASSIGNED = "unassigned"


def _parse_times(values: pd.Series) -> pd.Series:
    # Lenient on purpose, unlike validate.dates: an unreadable time becomes NaT so that
    # validate_log can list every bad row (bad_time) instead of stopping at the first.
    # Aware times keep their local wall clock, as validate.timestamp reads them.
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    text = values.astype(object)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    ok = text.notna()
    if ok.any():
        got = pd.to_datetime(text[ok], errors="coerce", format="mixed", utc=False)
        if isinstance(got.dtype, pd.DatetimeTZDtype):
            got = got.dt.tz_localize(None)
        parsed[ok] = got
    return parsed


def validate_log(log: pd.DataFrame) -> pd.DataFrame:
    """List every bad row of an event log, one line per problem (empty frame = a clean log).

    Checks, per complaint in ``seq`` order: known step codes (``unknown_step``),
    a readable time (``bad_time``), unique ``seq`` (``duplicate_seq``), the first
    move is ``record`` (``no_record``), each move is legal after the previous one
    (``illegal_move``), times never go backwards (``time_backwards``), ``assign``
    names a department (``missing_department``), satisfaction is missing or 1–5
    (``bad_satisfaction``), a customer and known type and sub-item codes
    (``bad_code``), and customer, type and sub-item are the same on every row of
    a complaint (``inconsistent_complaint``). A missing satisfaction is not
    a problem: the analytics report such complaints as *unrated*.

    Parameters
    ----------
    log : DataFrame
        An event log (columns as ``LOG_COLUMNS``); not modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (the index label in ``log``), ``complaint_id``, ``problem`` (a code of
        ``PROBLEMS``) and ``detail``.

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> c = Complaint("T1", customer_id="K1", complaint_type="quality",
    ...               sub_item="quality_defect", by="a", at="2024-01-02")
    >>> log = to_frame([c.advance("judge", by="b", at="2024-01-03")])
    >>> log.loc[1, "step"] = "jugde"
    >>> validate_log(log)[["row", "problem"]].values.tolist()
    [[1, 'unknown_step']]
    """
    validate.frame(log, "log", columns=list(_REQUIRED))
    frame = pd.DataFrame({
        "row": log.index.to_numpy(),
        "complaint_id": log["complaint_id"].astype(object).to_numpy(),
        "seq": pd.to_numeric(log["seq"], errors="coerce").to_numpy(),
        "step": log["step"].astype(object).to_numpy(),
        "at": _parse_times(log["at"]).to_numpy(),
        "department": log["department"].astype(object).to_numpy(),
        "satisfaction": pd.to_numeric(log["satisfaction"], errors="coerce").to_numpy(),
        "sat_raw": log["satisfaction"].astype(object).to_numpy(),
        "key": (log["customer_id"].astype(str) + "|" + log["complaint_type"].astype(str)
                + "|" + log["sub_item"].astype(str)).to_numpy(),
    })
    found: list[pd.DataFrame] = []

    def report(mask: Any, problem: str, detail: pd.Series | str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            part = frame.loc[mask, ["row", "complaint_id"]].copy()
            part["problem"] = problem
            part["detail"] = detail[mask] if isinstance(detail, pd.Series) else detail
            found.append(part)

    known = frame["step"].isin(STEPS)
    report(~known, "unknown_step", "step=" + frame["step"].astype(str)
           + " is not a step code")
    report(frame["at"].isna(), "bad_time", "missing or unreadable time")
    report(frame["complaint_id"].isna() | np.isnan(frame["seq"].astype(float)),
           "duplicate_seq", "missing complaint_id or seq")
    dup = frame.duplicated(["complaint_id", "seq"], keep=False)
    report(dup, "duplicate_seq", "the same seq twice in one complaint")
    ordered = frame.sort_values(["complaint_id", "seq"], kind="stable")
    same = ordered["complaint_id"].eq(ordered["complaint_id"].shift())
    first = ~same
    prev_step = ordered["step"].shift().where(same)
    prev_at = ordered["at"].shift().where(same)
    legal_pairs = [f"{a}>{b}" for a, nxt in TRANSITIONS.items() for b in nxt]
    pair_ok = (prev_step.astype(str) + ">" + ordered["step"].astype(str)).isin(legal_pairs)
    bad_first = first & ordered["step"].ne("record")
    report(bad_first.reindex(frame.index), "no_record",
           "first move is " + frame["step"].astype(str) + ", expected record")
    prev_known = prev_step.isin(STEPS)
    illegal = same & known.reindex(ordered.index) & prev_known & ~pair_ok
    report(illegal.reindex(frame.index), "illegal_move",
           (prev_step.astype(str) + " -> " + ordered["step"].astype(str)).reindex(frame.index))
    backwards = same & (ordered["at"] < prev_at)
    report(backwards.reindex(frame.index), "time_backwards",
           ("earlier than the previous move at " + prev_at.astype(str)).reindex(frame.index))
    no_dept = frame["step"].eq("assign") & frame["department"].isna()
    report(no_dept, "missing_department", "assign without a department")
    sat = frame["satisfaction"]
    bad_sat = (frame["sat_raw"].notna() & ~pd.isna(frame["sat_raw"])) & (
        np.isnan(sat) | (sat < 1) | (sat > 5))
    report(bad_sat, "bad_satisfaction", "satisfaction=" + frame["sat_raw"].astype(str)
           + " is not a score 1-5")
    kinds = log["complaint_type"].astype(object).to_numpy()
    subs = log["sub_item"].astype(object).to_numpy()
    sub_pairs = [f"{t}|{x}" for t, items in SUB_ITEMS.items() for x in items]
    pair = pd.Series(kinds, dtype=object).astype(str) + "|" + pd.Series(subs,
                                                                       dtype=object).astype(str)
    bad_code = ~pair.isin(sub_pairs).to_numpy() | log["customer_id"].isna().to_numpy()
    report(bad_code, "bad_code",
           "customer_id missing, or complaint_type/sub_item not a code of TYPES/SUB_ITEMS ("
           + pair.str.replace("|", " / ", regex=False) + ")")
    mixed = frame.groupby("complaint_id", dropna=False)["key"].transform("nunique") > 1
    report(mixed, "inconsistent_complaint", "customer, type or sub-item differs between rows")
    columns = ["row", "complaint_id", "problem", "detail"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(found, ignore_index=True)
    out["problem"] = pd.Categorical(out["problem"], categories=PROBLEMS, ordered=True)
    out = out.sort_values(["row", "problem"], kind="stable").reset_index(drop=True)
    out["problem"] = out["problem"].astype(str)
    return out[columns]


def _checked(log: pd.DataFrame, name: str = "log") -> pd.DataFrame:
    problems = validate_log(log)
    if len(problems):
        shown = "; ".join(f"row {r}: {p} ({d})" for r, p, d in
                          problems[["row", "problem", "detail"]].head(5).itertuples(index=False))
        ids = problems["complaint_id"].nunique()
        raise validate.BilingualValueError(
            f"投诉记录 {name} 有 {len(problems)} 处问题（涉及 {ids} 个投诉），不能直接分析：先用 "
            f"complaints.validate_log({name}) 查看，再明确剔除或更正这些投诉",
            f"The complaint log ({name}) has {len(problems)} problem(s) in {ids} complaint(s): "
            f"{shown}. "
            f"Inspect them with complaints.validate_log({name}), then fix or explicitly exclude "
            f"those complaints")
    out = log.copy()
    out["at"] = _parse_times(log["at"])
    out["satisfaction"] = pd.to_numeric(log["satisfaction"], errors="coerce").astype(float)
    # seq read from a CSV as text sorts '10' before '2': order by its number
    keys = pd.DataFrame({"complaint_id": out["complaint_id"].to_numpy(),
                         "seq": pd.to_numeric(log["seq"]).to_numpy()})
    return out.iloc[keys.sort_values(["complaint_id", "seq"], kind="stable").index]


def summary(log: pd.DataFrame) -> pd.DataFrame:
    """Summarise each complaint of an event log in one row (the log is validated first).

    Parameters
    ----------
    log : DataFrame
        The moves to summarise, as :func:`to_frame` writes them; left as it is.

    Returns
    -------
    DataFrame
        One row per complaint, columns ``complaint_id``, ``customer_id``,
        ``order_id`` (if in the log), ``complaint_type``, ``sub_item``,
        ``department`` (the last one named; ``"unassigned"`` if the complaint never
        reached ``assign``, e.g. rejected), ``opened_at`` (the ``record`` time),
        ``settled_at`` (the *final* ``closed`` or ``rejected`` time; NaT while the
        complaint is open, also after a reopen), ``first_settled_at`` (the first
        ``closed`` or ``rejected`` time, before any reopen), ``status``
        (``closed``, ``rejected`` or ``open``: the current state), ``final_step``,
        ``handling_days`` (final closure − opened, in days; NaN while open),
        ``first_resolution_days`` (first closure − opened: a separate measure, the
        same as ``handling_days`` unless the complaint was reopened),
        ``reviewed`` (reached ``review`` at least once), ``reopens`` (moves back to
        ``analyse``) and ``satisfaction`` (the last score recorded; NaN if none).

    Raises
    ------
    ValueError
        If ``validate_log`` finds any problem (the message lists the first ones).

    Notes
    -----
    Handling time runs to the final closure: a complaint that was closed, reopened
    and closed again was handled until the second closure (the customer's problem
    was not solved before). Chapter 7's database measures it the same way.

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> ticket = Complaint("T5", customer_id="K5", complaint_type="service",
    ...                    sub_item="service_attitude", by="客服", at="2024-06-01 09:00")
    >>> for step, at in [("judge", "2024-06-01 15:00"), ("rejected", "2024-06-03 21:00")]:
    ...     ticket = ticket.advance(step, by="主管", at=at)
    >>> row = summary(to_frame(ticket)).iloc[0]
    >>> row["department"], row["status"], float(row["handling_days"])
    ('unassigned', 'rejected', 2.5)
    """
    return _summarised(log, "log")


def _summarised(log: pd.DataFrame, name: str) -> pd.DataFrame:
    """:func:`summary`, naming the log as the caller's argument ``name`` in errors."""
    events = _checked(log, name)
    grouped = events.groupby("complaint_id", sort=True)
    firsts = grouped.first()
    settled_moves = events[events["step"].isin(SETTLED)].groupby("complaint_id")["at"]
    last_step = grouped["step"].last()
    prev = grouped["step"].shift()
    reopen = events["step"].eq("analyse") & prev.isin(("review", "closed"))
    out = pd.DataFrame({"complaint_id": firsts.index.to_numpy()})
    out["customer_id"] = firsts["customer_id"].to_numpy()
    if "order_id" in events.columns:
        out["order_id"] = firsts["order_id"].to_numpy()
    out["complaint_type"] = firsts["complaint_type"].to_numpy()
    out["sub_item"] = firsts["sub_item"].to_numpy()
    dept = events.dropna(subset=["department"]).groupby("complaint_id")["department"].last()
    out["department"] = dept.reindex(firsts.index).fillna(UNASSIGNED).to_numpy()
    out["opened_at"] = grouped["at"].first().to_numpy()
    is_settled = last_step.isin(SETTLED).to_numpy()
    final = settled_moves.max().reindex(firsts.index).to_numpy()
    out["settled_at"] = pd.Series(final).where(is_settled).to_numpy()
    out["first_settled_at"] = settled_moves.min().reindex(firsts.index).to_numpy()
    out["final_step"] = last_step.to_numpy()
    out["status"] = np.where(is_settled, last_step, "open")
    day = pd.Timedelta(days=1)
    out["handling_days"] = (out["settled_at"] - out["opened_at"]) / day
    out["first_resolution_days"] = (out["first_settled_at"] - out["opened_at"]) / day
    out["reviewed"] = events["step"].eq("review").groupby(events["complaint_id"]).any(
        ).reindex(firsts.index).to_numpy()
    out["reopens"] = reopen.groupby(events["complaint_id"]).sum().reindex(
        firsts.index).to_numpy().astype("int64")
    sat = events.dropna(subset=["satisfaction"]).groupby("complaint_id")["satisfaction"].last()
    out["satisfaction"] = sat.reindex(firsts.index).to_numpy(dtype=float)
    return out


def _optional_numbers(data: pd.DataFrame, column: str, low: float, high: float,
                      zh: str, en: str) -> None:
    """Refuse text, infinities and values outside [low, high]; NaN (open, unrated) is allowed."""
    series = data[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise validate.BilingualTypeError(
            f"data[{column!r}] 的类型是 {series.dtype}：应为{zh}（数字）",
            f"data[{column!r}] has dtype {series.dtype}: expected {en} (numbers)")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = np.isinf(values) | (values < low) | (values > high)
    if bad.any():
        where = validate.rows(data.index, bad, values)
        raise validate.BilingualValueError(
            f"data[{column!r}] 在行 {where} 超出范围：应为 {low:g} 到 {high:g} 的{zh}（或缺失）",
            f"data[{column!r}] is out of range at rows {where}: expected {en} in "
            f"[{low:g}, {high:g}] (or missing)")


def _summary_of(data: pd.DataFrame, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Accept an event log or a ``summary`` frame (with ``columns``, checked)."""
    if isinstance(data, pd.DataFrame) and "seq" not in data.columns and {
            "complaint_id", "opened_at", "status"} <= set(data.columns):
        validate.frame(data, "data", columns=list(columns))
        validate.unique_ids(data, "complaint_id")  # a complaint counted twice would skew rates
        if not pd.api.types.is_datetime64_any_dtype(data["opened_at"]):
            raise validate.BilingualTypeError(
                f"data['opened_at'] 的类型是 {data['opened_at'].dtype}：应为日期时间"
                f"（complaints.summary 的输出）",
                f"data['opened_at'] has dtype {data['opened_at'].dtype}: expected date-times "
                f"(as complaints.summary writes them)")
        status = data["status"].isin(("closed", "rejected", "open")).to_numpy()
        if not status.all():
            where = validate.rows(data.index, ~status, data["status"].tolist())
            raise validate.BilingualValueError(
                f"data['status'] 在行 {where} 无效：应为 'closed'、'rejected' 或 'open'",
                f"data['status'] is invalid at rows {where}: expected 'closed', 'rejected' "
                f"or 'open'")
        if "handling_days" in data.columns:  # NaN: still open
            _optional_numbers(data, "handling_days", 0, np.inf, "处理天数", "days")
        if "satisfaction" in data.columns:  # NaN: not rated
            _optional_numbers(data, "satisfaction", 1, 5, "满意度评分", "scores")
        if "reopens" in data.columns:
            _optional_numbers(data, "reopens", 0, np.inf, "重开次数", "counts")
        if "reviewed" in data.columns and not pd.api.types.is_bool_dtype(data["reviewed"]):
            raise validate.BilingualTypeError(
                f"data['reviewed'] 的类型是 {data['reviewed'].dtype}：应为 True/False",
                f"data['reviewed'] has dtype {data['reviewed'].dtype}: expected True/False")
        return data
    validate.frame(data, "data", columns=list(_REQUIRED))  # named as the caller's argument
    return _summarised(data, "data")


def pareto(data: pd.DataFrame, *, by: str = "sub_item", cut: float = 0.8) -> pd.DataFrame:
    """Count complaints by cause, largest first, with shares and the 'vital few'.

    Parameters
    ----------
    data : pandas.DataFrame
        An event log or its ``summary``.
    by : str, default "sub_item"
        ``"sub_item"``, ``"complaint_type"``, ``"department"`` or another column of
        the summary.
    cut : float, default 0.8
        The cumulative share the vital few reach (0.8 = the 80/20 reading).

    Returns
    -------
    pandas.DataFrame
        Columns ``<by>``, ``complaints``, ``share``, ``cumulative_share``, ``vital_few`` (True for
        the causes needed to reach ``cut``: every cause whose preceding causes' cumulative share is
        still below it). Ties keep code order.

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> c = [Complaint(f"T{i}", customer_id="K", complaint_type="service",
    ...                sub_item=s, by="a", at="2024-01-01")
    ...      for i, s in enumerate(["service_attitude"] * 4 + ["service_skill"])]
    >>> pareto(to_frame(c))[["sub_item", "complaints", "vital_few"]].values.tolist()
    [['service_attitude', 4, True], ['service_skill', 1, False]]
    """
    table = _summary_of(data)
    cut = validate.probability(cut, "cut")
    validate.frame(table, "data", columns=[validate.name(by, "by")])
    counts = table.groupby(by, sort=True).size()
    counts = counts.sort_values(ascending=False, kind="stable")
    out = pd.DataFrame({by: counts.index.to_numpy(), "complaints": counts.to_numpy()})
    out["share"] = out["complaints"] / out["complaints"].sum()
    out["cumulative_share"] = out["share"].cumsum()
    before = out["cumulative_share"] - out["share"]
    out["vital_few"] = before < cut - 1e-12
    return out


def sla_by_department(data: pd.DataFrame, *, sla_days: float = 7.0) -> pd.DataFrame:
    """Measure handling time and SLA compliance per department.

    Handling time = days from recording to the final closing (``closed`` or
    ``rejected``; a reopened complaint counts until it is closed again): the time
    until the customer's problem is solved (及时处理). The first closure is a
    separate measure, ``first_resolution_days`` of ``summary``.

    Parameters
    ----------
    data : pandas.DataFrame
        An event log or its ``summary``.
    sla_days : float, default 7.0
        The promised handling time in days (a service-level agreement).

    Returns
    -------
    pandas.DataFrame
        One row per department (``"unassigned"`` = complaints rejected before a department was
        named, shown, not dropped): ``complaints``, ``settled``, ``open`` (not yet settled: not
        counted in the compliance), ``median_days``, ``mean_days``, ``within_sla``, ``breaches``
        and ``sla_compliance`` = within_sla / settled.

    Examples
    --------
    >>> cases = pd.DataFrame({"complaint_id": ["A", "B", "C"], "status": ["closed"] * 2
    ...                       + ["open"], "opened_at": pd.to_datetime(["2024-01-02"] * 3),
    ...                       "department": ["qa", "qa", "qa"], "handling_days": [3, 9, None]})
    >>> sla_by_department(cases, sla_days=7)[["settled", "open", "breaches"]].values.tolist()
    [[2, 1, 1]]
    """
    table = _summary_of(data, ("department", "handling_days"))
    sla = validate.number(sla_days, "sla_days", minimum=0, min_inclusive=False)
    settled = table["status"].ne("open")
    days = table["handling_days"]
    frame = pd.DataFrame({"department": table["department"].to_numpy(),
                          "settled": settled.to_numpy(),
                          "days": days.where(settled).to_numpy(),
                          "within": (settled & (days <= sla)).to_numpy()})
    g = frame.groupby("department", sort=True)
    out = pd.DataFrame({"complaints": g.size(), "settled": g["settled"].sum(),
                        "median_days": g["days"].median(), "mean_days": g["days"].mean(),
                        "within_sla": g["within"].sum()})
    out["open"] = out["complaints"] - out["settled"]
    out["breaches"] = out["settled"] - out["within_sla"]
    out["sla_compliance"] = out["within_sla"] / out["settled"].where(out["settled"] > 0)
    out = out.reset_index()[["department", "complaints", "settled", "open", "median_days",
                             "mean_days", "within_sla", "breaches", "sla_compliance"]]
    out = out.astype({"complaints": "int64", "settled": "int64", "open": "int64",
                      "within_sla": "int64", "breaches": "int64"})
    out.attrs["sla_days"] = sla
    return out


def _groups(table: pd.DataFrame, by: str | list[str] | None) -> list:
    if by is None:
        return [pd.Series("all", index=table.index, name="group")]
    keys = [by] if isinstance(by, str) else by
    if not isinstance(keys, list | tuple) or not keys:
        raise validate.BilingualTypeError(
            f"by={validate.show(by)} 无效：应为列名、'month'、'quarter'，或它们的列表",
            f"by={validate.show(by)} is invalid: expected a column name, 'month', 'quarter', "
            f"or a list of them")
    out = []
    for key in keys:
        validate.name(key, "by")
        if key in ("month", "quarter"):
            out.append(table["opened_at"].dt.to_period("M" if key == "month" else "Q")
                       .astype(str).rename(key))
        else:
            validate.frame(table, "data", columns=[key])
            out.append(table[key])
    return out


def reopen_rate(data: pd.DataFrame, *, by: str | list[str] | None = None) -> pd.DataFrame:
    """Compute the share of handled complaints that were reopened (back to analysis) at least once.

    Only complaints that reached ``review`` can be reopened, so they form the
    denominator (``handled``); rejected and not-yet-reviewed ones are left out and
    counted in ``not_handled``. ``by``: a summary column (e.g. ``"department"``),
    ``"month"`` or ``"quarter"`` of recording, or a list of them; ``None`` = overall.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    by : str or list of str, optional
        Grouping, as described above.

    Returns
    -------
    DataFrame
        One row per group: the group column(s), ``complaints``, ``handled``,
        ``reopened``, ``not_handled`` and ``reopen_rate`` = reopened / handled.

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> c = Complaint("T1", customer_id="K", complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-01")
    >>> for s in ["judge", "assign", "analyse", "propose", "approve", "implement",
    ...           "review", "analyse"]:
    ...     _ = c.advance(s, by="a", at="2024-01-02", department="qa" if s == "assign" else None)
    >>> reopen_rate(to_frame([c])).loc[0, ["handled", "reopened"]].tolist()
    [1, 1]
    """
    table = _summary_of(data, ("reviewed", "reopens"))
    handled = table["reviewed"].astype(bool)
    frame = pd.DataFrame({"handled": handled, "reopened": handled & table["reopens"].gt(0)})
    keys = _groups(table, by)
    g = frame.groupby(keys, sort=True)
    out = pd.DataFrame({"complaints": g.size(), "handled": g["handled"].sum(),
                        "reopened": g["reopened"].sum()})
    out["not_handled"] = out["complaints"] - out["handled"]
    out["reopen_rate"] = out["reopened"] / out["handled"].where(out["handled"] > 0)
    out = out.reset_index().astype({"complaints": "int64", "handled": "int64",
                                    "reopened": "int64", "not_handled": "int64"})
    return out


def satisfaction(data: pd.DataFrame, *, by: str | list[str] | None = "department",
                 satisfied: float = 4) -> pd.DataFrame:
    """Summarise satisfaction after handling (1–5) per group; unrated ones are counted.

    Among complaints that were handled (not rejected): ``handled``, ``rated``,
    ``unrated`` (NaN satisfaction: the customer gave no score), ``mean_satisfaction``
    over the rated ones and ``satisfied_share`` = share of rated with a score
    ≥ ``satisfied``. ``by`` as in :func:`reopen_rate`.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    by : str or list of str, optional, default "department"
        Grouping, as in :func:`reopen_rate`.
    satisfied : float, default 4
        Score (1–5) from which a customer counts as satisfied.

    Returns
    -------
    DataFrame
        One row per group: the group column(s), ``handled``, ``rated``,
        ``unrated``, ``mean_satisfaction``, ``satisfied_share``.

    Raises
    ------
    ValueError
        No handled complaints, or ``satisfied`` outside 1–5.

    Examples
    --------
    >>> from crmlab.complaints import Complaint, to_frame
    >>> c = Complaint("T1", customer_id="K", complaint_type="service",
    ...               sub_item="service_skill", by="a", at="2024-01-01")
    >>> for s in ["judge", "assign", "analyse", "propose", "approve", "implement", "review"]:
    ...     _ = c.advance(s, by="a", at="2024-01-02", department="qa" if s == "assign" else None,
    ...                   satisfaction=5 if s == "review" else None)
    >>> satisfaction(to_frame([c]))[["department", "rated", "mean_satisfaction"]].values.tolist()
    [['qa', 1, 5.0]]
    """
    table = _summary_of(data, ("department", "satisfaction"))
    threshold = validate.number(satisfied, "satisfied", minimum=1, maximum=5)
    handled = table[table["status"].ne("rejected") & table["department"].ne(UNASSIGNED)]
    if handled.empty:
        raise validate.BilingualValueError(
            f"data 中的 {len(table)} 个投诉没有一个处理过（全部被判定不成立或尚未分派）："
            f"无法计算满意度",
            f"none of the {len(table)} complaints in data was handled (all rejected or "
            f"unassigned): nothing to compute satisfaction from")
    score = handled["satisfaction"]
    frame = pd.DataFrame({"rated": score.notna(), "score": score,
                          "happy": score >= threshold})
    g = frame.groupby(_groups(handled, by), sort=True)
    out = pd.DataFrame({"handled": g.size(), "rated": g["rated"].sum(),
                        "mean_satisfaction": g["score"].mean()})
    out["unrated"] = out["handled"] - out["rated"]
    out["satisfied_share"] = g["happy"].sum() / out["rated"].where(out["rated"] > 0)
    out = out.reset_index().astype({"handled": "int64", "rated": "int64",
                                    "unrated": "int64"})
    cols = [c for c in out.columns if c not in ("unrated", "mean_satisfaction",
                                                "satisfied_share")]
    return out[[*cols, "unrated", "mean_satisfaction", "satisfied_share"]]


#: Handling outcome groups of ``service_recovery``, best first, then the baseline.
HANDLING: tuple[str, ...] = ("well", "fair", "poor", "unrated", "rejected", "open",
                             "no_complaint")


def handling_group(data: pd.DataFrame, *, good: float = 4, poor: float = 2) -> pd.Series:
    """Classify how each complaint was handled, one code per summary row.

    The codes are ``well`` (satisfaction ≥ good), ``fair``, ``poor`` (≤ poor),
    ``unrated``, ``rejected`` or ``open``.

    Parameters
    ----------
    data : DataFrame
        An event log or its ``summary``.
    good, poor : float, default 4 and 2
        Satisfaction thresholds (1–5), ``poor < good``.

    Returns
    -------
    Series
        Named ``handling``, indexed like the summary.

    Raises
    ------
    ValueError
        Thresholds outside 1–5 or ``poor >= good``.

    Examples
    --------
    >>> s = pd.DataFrame({"complaint_id": ["a", "b"], "opened_at": pd.to_datetime(
    ...     ["2024-01-01"] * 2), "status": ["closed", "rejected"], "satisfaction": [5.0, None]})
    >>> handling_group(s).tolist()
    ['well', 'rejected']
    """
    table = _summary_of(data, ("satisfaction",))
    good = validate.number(good, "good", minimum=1, maximum=5)
    poor = validate.number(poor, "poor", minimum=1, maximum=5)
    if poor >= good:
        raise validate.BilingualValueError(
            f"poor={validate.show(poor)} 无效：应小于 good={validate.show(good)}",
            f"poor={validate.show(poor)} is invalid: expected a score below "
            f"good={validate.show(good)}")
    sat = table["satisfaction"].astype(float)
    group = np.select(
        [table["status"].eq("rejected"), table["status"].eq("open"), sat.isna(),
         sat >= good, sat <= poor],
        ["rejected", "open", "unrated", "well", "poor"], default="fair")
    return pd.Series(group, index=table.index, name="handling")
