"""crmlab.crmdb: schema, migration, the complaint workflow inside SQLite, views, bad input."""

from __future__ import annotations

import sqlite3
from collections import deque

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmlab import crmdb, datasets, rfm
from crmlab import customer_file as cf


@pytest.fixture(scope="module")
def course_file(tmp_path_factory):
    """A course database on disk, loaded once; tests copy it or only read it."""
    path = tmp_path_factory.mktemp("crm") / "course.db"
    conn = crmdb.create(path)
    crmdb.load_course_data(conn)
    crmdb.publish_analytics(conn)
    conn.close()
    return path


@pytest.fixture
def db(course_file, tmp_path):
    """A fresh writable copy of the course database."""
    source = sqlite3.connect(course_file)
    path = tmp_path / "crm.db"
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    conn = crmdb.connect(path)
    yield conn
    conn.close()


def snapshot(conn):
    """Every row of every table and the schema: equal snapshots = unchanged database."""
    schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    names = {name for _, name, _ in schema}
    return schema, {t: crmdb.table_rows(conn, t) for t in crmdb.TABLES if t in names}


def path_to(step):
    """The shortest sequence of legal moves from 'record' to ``step``."""
    queue, seen = deque([["record"]]), {"record"}
    while queue:
        path = queue.popleft()
        if path[-1] == step:
            return path[1:]
        for nxt in crmdb.TRANSITIONS[path[-1]]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(path + [nxt])
    raise AssertionError(step)


def complaint_at(conn, step, customer_id=1):
    number = crmdb.open_complaint(conn, customer_id, complaint_type="service", by="前台",
                                  opened_at="2024-05-01 09:00:00", description="态度差")
    for hour, nxt in enumerate(path_to(step), start=10):
        crmdb.advance(conn, number, nxt, at=f"2024-05-01 {hour:02d}:00:00", by="经办",
                      department="客服部" if nxt == "assign" else None)
    return number


def closed_v1_complaint(conn):
    """A closed complaint written the way version 1 allowed (plain SQL, no actor)."""
    number = conn.execute("INSERT INTO complaints (customer_id, complaint_type, opened_at, "
                          "department, description) VALUES (1, 'service', "
                          "'2024-05-01 09:00:00', '客服部', '态度差')").lastrowid
    for hour, nxt in enumerate(path_to("closed"), start=10):
        previous = conn.execute("SELECT step FROM complaints WHERE complaint_id = ?",
                                (number,)).fetchone()[0]
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at) "
                      "VALUES (?, ?, ?, ?)", (number, previous, nxt, f"2024-05-01 {hour}:00:00"))
    return number


# --- schema and migration ---------------------------------------------------------

def test_schema_version_foreign_keys_and_strict_tables(db):
    assert crmdb.schema_version(db) == crmdb.SCHEMA_VERSION == 3
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table in crmdb.TABLES:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert sql.rstrip().endswith("STRICT"), table
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_course_data_counts_match_chapter_0():
    records, orders, contacts = datasets.load_customer_file_example()
    file = cf.build_customer_file(records, orders, contacts)
    conn = crmdb.create(":memory:")
    counts = crmdb.load_course_data(conn)
    expected = {"customers": len(file), "source_records": len(records),
                "orders": len(orders), "contacts": len(contacts)}
    assert {t: counts[t] for t in expected} == expected
    view = crmdb.query(conn, "SELECT * FROM customer_360 ORDER BY customer_id")
    view = view.set_index("customer_id")
    for column in ("n_records", "n_orders", "n_contacts"):
        assert view[column].tolist() == file[column].tolist(), column
    for column in ("total_amount", "contact_cost"):
        np.testing.assert_allclose(view[column], file[column], rtol=1e-12)
    assert view["sources"].str.split("、").map(sorted).tolist() == \
        file["sources"].str.split("、").map(sorted).tolist()


def test_migration_1_to_3_keeps_every_row(tmp_path):
    conn = crmdb.create(tmp_path / "old.db", version=1)
    crmdb.load_course_data(conn)
    number = closed_v1_complaint(conn)
    assert crmdb.schema_version(conn) == 1
    old_schema, old_rows = snapshot(conn)
    assert "marketing_consent" not in old_schema.__repr__()
    conn.close()

    conn = crmdb.connect(tmp_path / "old.db")
    assert crmdb.migrate(conn) == 3
    assert crmdb.schema_version(conn) == 3
    _, new_rows = snapshot(conn)
    # customers gained consent (default 0), complaints their recorder, events their
    # department and satisfaction (unknown for old rows); every other value is kept
    added = {"customers": [0], "complaints": [None], "complaint_events": [None, None]}
    for table, rows in old_rows.items():
        extra = added.get(table, [])
        assert [row[:len(row) - len(extra)] for row in new_rows[table]] == rows, table
        assert all(list(row[len(row) - len(extra):]) == extra for row in new_rows[table])
    assert new_rows["complaint_corrections"] == []
    # the workflow triggers still hold after the migration, and the new rules too
    with pytest.raises(sqlite3.IntegrityError, match="投诉流程不允许"):
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor)"
                      " VALUES (?, 'closed', 'judge', '2024-06-01 00:00:00', 'x')", (number,))
    with pytest.raises(sqlite3.IntegrityError, match="sla_days"):
        conn.execute("UPDATE complaints SET sla_days = 30 WHERE complaint_id = ?", (number,))
    conn.execute("UPDATE customers SET marketing_consent = 1 WHERE customer_id <= 10")
    listed = crmdb.query(conn, "SELECT customer_id FROM marketing_list ORDER BY 1")
    assert listed["customer_id"].tolist() == list(range(1, 11))
    with pytest.raises(crmdb.CRMDBError, match="只能升级"):
        crmdb.migrate(conn, to=1)


def test_migrations_are_frozen_sql_files():
    # version 1 is text in the package: changing chapter 5's TRANSITIONS cannot change it
    text = crmdb.sql_text("0001_initial.sql")
    assert "INSERT INTO workflow_moves (from_step, to_step) VALUES ('review', 'closed');" in text
    from crmlab import complaints

    # ... and today's chapter 5 agrees with the database (else: write migration 4)
    assert crmdb.TRANSITIONS == dict(complaints.TRANSITIONS)
    assert list(crmdb.STEPS) == list(complaints.STEPS)
    assert list(crmdb.COMPLAINT_TYPES) == list(complaints.TYPES)


def test_create_refuses_an_existing_database_and_unknown_versions(course_file, tmp_path):
    with pytest.raises(crmdb.CRMDBError, match="已经存在.*already exists"):
        crmdb.create(course_file)
    with pytest.raises(crmdb.CRMDBError, match="version=4"):
        crmdb.create(tmp_path / "x.db", version=4)
    with pytest.raises(crmdb.CRMDBError, match="不存在"):
        crmdb.connect(tmp_path / "missing.db")
    (tmp_path / "other.db").write_bytes(b"")
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(crmdb.CRMDBError, match="不能作为 CRM 数据库打开.*模式版本 0"):
        crmdb.connect(tmp_path / "other.db")


# --- analytical views -------------------------------------------------------------

def test_rfm_view_equals_rfm_summary_on_course_data(course_file):
    conn = crmdb.connect(course_file, role="analyst")
    orders = crmdb.course_tables()["orders"]
    for as_of in (None, "2024-09-30"):
        expected = rfm.summary(orders, customer="customer_id", date="order_date",
                               amount="amount", as_of=as_of or crmdb.COURSE_AS_OF,
                               drop_future=True)
        got = crmdb.rfm(conn, as_of=as_of)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=0)
    view = crmdb.query(conn, "SELECT * FROM rfm")  # the view itself gives the same rows
    assert view["customer_id"].tolist() == crmdb.rfm(conn)["customer_id"].tolist()
    np.testing.assert_allclose(view["monetary_mean"], crmdb.rfm(conn)["monetary_mean"],
                               rtol=1e-12)
    assert (view["last_purchase"] == crmdb.rfm(conn)["last_purchase"].dt.strftime(
        "%Y-%m-%d")).all()
    conn.close()


# Six customers over 41 days: same-day orders and ties come up in the first few dozen
# examples; each one creates a database (~0.08 s), so 40 rather than 100.
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 40),
                          st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 2))),
                min_size=1, max_size=40),
       st.integers(40, 400))
def test_rfm_view_equals_rfm_summary_property(rows, horizon):
    conn = crmdb.create(":memory:")
    ids = sorted({c for c, _, _ in rows})
    customers = pd.DataFrame({"customer_id": ids, "name": [f"客户{c}" for c in ids],
                              "registered": "2023-01-01"})
    day0 = pd.Timestamp("2024-01-01")
    orders = pd.DataFrame({
        "order_id": [f"O{i}" for i in range(len(rows))],
        "customer_id": [c for c, _, _ in rows],
        "order_date": [(day0 + pd.Timedelta(days=d)).strftime("%Y-%m-%d") for _, d, _ in rows],
        "amount": [a for _, _, a in rows]})
    crmdb.load(conn, {"customers": customers, "orders": orders})
    as_of = day0 + pd.Timedelta(days=horizon)
    expected = rfm.summary(orders, customer="customer_id", date="order_date",
                           amount="amount", as_of=as_of)
    pd.testing.assert_frame_equal(crmdb.rfm(conn, as_of=as_of), expected,
                                  check_exact=False, rtol=1e-12, atol=1e-12)


def test_kpis_match_pandas_on_course_data(course_file):
    conn = crmdb.connect(course_file, role="analyst")
    tables = crmdb.course_tables()
    orders, contacts = tables["orders"], tables["contacts"]
    month = orders["order_date"].str[:7]
    got = crmdb.kpis(conn).set_index("month")
    sales = orders.groupby(month)["amount"].sum()
    np.testing.assert_allclose(got["sales"], sales, rtol=1e-12)
    margin = (orders["amount"] - orders["cost"]).groupby(month).sum() / sales
    np.testing.assert_allclose(got["gross_margin_rate"], margin, rtol=1e-12)
    spend = contacts.groupby(contacts["contact_date"].str[:7])["cost"].sum()
    np.testing.assert_allclose(got["selling_expense_ratio"], spend / sales, rtol=1e-12)
    year = crmdb.kpis(conn, period="year").iloc[0]  # ratios of sums, not means of ratios
    assert year["gross_margin_rate"] == pytest.approx(
        (orders["amount"] - orders["cost"]).sum() / orders["amount"].sum(), rel=1e-12)
    assert year["selling_expense_ratio"] == pytest.approx(
        contacts["cost"].sum() / orders["amount"].sum(), rel=1e-12)
    # the planted promotions (618, 双11) are the two months with the lowest margin
    assert set(got["gross_margin_rate"].nsmallest(2).index) == {"2024-06", "2024-11"}
    conn.close()


def test_complaint_kpis_satisfaction_sla_and_reopen(db):
    fast = complaint_at(db, "review")
    crmdb.advance(db, fast, "closed", at="2024-05-02 09:00:00", by="客服", satisfaction=5)
    slow = crmdb.open_complaint(db, 2, complaint_type="transport", by="前台",
                                opened_at="2024-05-03 09:00:00", description="货物破损",
                                sla_days=3)
    for day, step in enumerate(path_to("closed"), start=4):
        crmdb.advance(db, slow, step, at=f"2024-05-{day:02d} 09:00:00", by="物流部",
                      department="物流部" if step == "assign" else None,
                      satisfaction=2 if step == "closed" else None)
    crmdb.advance(db, slow, "analyse", at="2024-06-01 09:00:00", by="客服")  # reopened
    status = crmdb.query(db, "SELECT * FROM complaint_status ORDER BY complaint_id")
    status = status.set_index("complaint_id")
    assert status.loc[fast, "within_sla"] == 1 and status.loc[fast, "n_reopened"] == 0
    assert status.loc[slow, "step"] == "analyse" and status.loc[slow, "n_reopened"] == 1
    assert status.loc[slow, "step_zh"] == "分析原因"
    # first resolution on 05-11 (8 days); handling time open again: no final closure yet
    assert status.loc[slow, "first_resolution_days"] == 8.0
    assert pd.isna(status.loc[slow, "handling_days"]) and status.loc[slow, "overdue"] == 1
    may = crmdb.kpis(db).set_index("month").loc["2024-05"]
    assert may["complaints_opened"] == 2
    assert may["complaints_closed"] == 1  # the slow one is open again
    assert may["mean_satisfaction"] == 5.0 and may["sla_met_share"] == 1.0
    # closed again in June: handling time runs to this FINAL closure (as chapter 5)
    for day, step in enumerate(["propose", "approve", "implement", "review", "closed"], 2):
        crmdb.advance(db, slow, step, at=f"2024-06-{day:02d} 09:00:00", by="物流部")
    final = crmdb.query(db, "SELECT * FROM complaint_status WHERE complaint_id = ?", (slow,))
    assert final["handling_days"].item() == 34.0 and final["first_resolution_days"].item() == 8
    assert final["within_sla"].item() == 0 and final["satisfaction"].item() == 2.0
    june = crmdb.kpis(db).set_index("month").loc["2024-06"]
    assert june["complaints_closed"] == 1 and june["sla_met_share"] == 0.0


def test_handling_time_agrees_with_chapter_5(db):
    from crmlab import complaints as cp

    reopened = cp.Complaint("T-003", customer_id=4, complaint_type="transport",
                            sub_item="transport_damage", by="前台", at="2024-04-01 09:00")
    for day, step in enumerate([*path_to("closed"), "analyse", "propose", "approve",
                                "implement", "review", "closed"], start=2):
        reopened.advance(step, by="经办", at=f"2024-04-{day:02d} 09:00",
                         department="物流部" if step == "assign" else None)
    log = pd.concat([chapter5_log(), cp.to_frame([reopened])], ignore_index=True)
    first = 1 + db.execute("SELECT count(*) FROM complaints").fetchone()[0]
    crmdb.load(db, crmdb.complaint_tables(log, first_id=first))
    ours = crmdb.query(db, "SELECT handling_days, first_resolution_days FROM complaint_status "
                           "WHERE complaint_id >= ? ORDER BY complaint_id", (first,))
    # T-003: first closed on 04-09 (8 days), finally on 04-15 (14 days)
    np.testing.assert_allclose(ours["handling_days"], [1 / 3, 1 / 12, 14], atol=1e-8)
    np.testing.assert_allclose(ours["first_resolution_days"], [1 / 3, 1 / 12, 8], atol=1e-8)
    theirs = cp.summary(log).sort_values("complaint_id")
    if "first_resolution_days" in theirs:  # chapter 5 with the same two measures
        for column in ("handling_days", "first_resolution_days"):
            np.testing.assert_allclose(ours[column], theirs[column], atol=1e-8)


def test_the_analysts_copy_holds_no_raw_phone_or_email_at_all(course_file, tmp_path):
    raw = sqlite3.connect(course_file)
    phones = {p for (p,) in raw.execute("SELECT phone FROM customers WHERE phone IS NOT NULL")}
    emails = {e for (e,) in raw.execute("SELECT email FROM customers WHERE email IS NOT NULL")}
    raw.close()
    assert phones and emails
    copy = crmdb.analytics_path(course_file)
    data = copy.read_bytes()  # not in any table, index, free page or view text
    assert not [p for p in phones if p.encode() in data]
    assert not [e for e in emails if e.encode() in data]
    conn = crmdb.connect(course_file, role="analyst")
    masked = crmdb.query(conn, "SELECT phone_masked FROM customer_360")["phone_masked"].dropna()
    assert masked.str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    # the query of the issue: a CTE named like a view reads the copy, which has no phones
    leak = crmdb.query(conn, "WITH customer_360 AS (SELECT * FROM customers) "
                             "SELECT * FROM customer_360")
    assert not set(leak.astype(str).to_numpy().ravel()) & (phones | emails)
    for sql in ("SELECT phone FROM customers", "DELETE FROM orders",
                "UPDATE customers SET name = 'x'", "CREATE TABLE t (x)",
                "ATTACH DATABASE ':memory:' AS other", "PRAGMA query_only = OFF"):
        with pytest.raises(crmdb.CRMDBError):
            crmdb.query(conn, sql)
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql)
    with pytest.raises(crmdb.CRMDBError, match="只读"):
        crmdb.record_order(conn, 1, order_date="2024-01-01", amount=1.0)
    assert crmdb.query(conn, "SELECT count(*) AS n FROM customers")["n"].item() == 300
    conn.close()
    with pytest.raises(crmdb.CRMDBError, match="还没有分析副本"):
        crmdb.connect(tmp_path / "none.db", role="analyst")


# --- operational CRM and the complaint workflow --------------------------------------

def test_a_complaint_walks_the_eight_steps_and_keeps_its_history(db):
    customer = crmdb.register_customer(db, name="新客户", phone="13912345678",
                                       registered="2024-12-01", source="呼叫中心")
    order = crmdb.record_order(db, customer, order_date="2024-12-02", amount=88.0, cost=50.0)
    number = crmdb.open_complaint(db, customer, complaint_type="quality", order_id=order,
                                  opened_at="2024-12-03 08:00:00", description="开箱损坏",
                                  by="前台")
    steps = ["judge", "assign", "analyse", "propose", "approve", "propose", "approve",
             "implement", "review", "closed"]
    for hour, step in enumerate(steps, start=9):
        assert crmdb.advance(db, number, step, at=f"2024-12-03 {hour:02d}:00:00",
                             actor="客服",
                             department="质检部" if step == "assign" else None) == step
    history = crmdb.query(db, "SELECT from_step, to_step FROM complaint_events "
                              "WHERE complaint_id = ? ORDER BY event_id", (number,))
    assert history["to_step"].tolist() == ["record", *steps]
    assert history["from_step"].tolist()[1:] == history["to_step"].tolist()[:-1]
    assert db.execute("SELECT step FROM complaints WHERE complaint_id = ?",
                      (number,)).fetchone()[0] == "closed"
    assert crmdb.query(db, "SELECT n_orders FROM customer_360 WHERE customer_id = ?",
                       (customer,))["n_orders"].item() == 1


ILLEGAL = [(a, b) for a in crmdb.STEPS for b in crmdb.STEPS
           if b not in crmdb.TRANSITIONS[a] and a != "rejected"] + [("rejected", "judge")]


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_every_illegal_move_is_refused_from_plain_sql(db, start, target):
    number = complaint_at(db, start)
    before = snapshot(db)
    department = "客服部" if target == "assign" else None
    with pytest.raises(sqlite3.IntegrityError, match="投诉流程不允许这一步.*Illegal complaint"):
        db.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor, "
                   "department) VALUES (?, ?, ?, '2024-05-02 00:00:00', '经办', ?)",
                   (number, start, target, department))
    assert snapshot(db) == before


@pytest.mark.parametrize(("start", "target"),
                         [(a, b) for a, nexts in crmdb.TRANSITIONS.items() for b in nexts])
def test_every_legal_move_is_accepted(db, start, target):
    number = complaint_at(db, start)
    assert crmdb.advance(db, number, target, at="2024-05-02 00:00:00", by="经办",
                         department="客服部" if target == "assign" else None) == target


def test_the_workflow_cannot_be_bypassed(db):
    number = complaint_at(db, "judge")
    before = snapshot(db)
    attempts = {
        "UPDATE complaints SET step = 'closed' WHERE complaint_id = :n": "不能直接修改投诉步骤",
        "UPDATE complaint_events SET to_step = 'closed' WHERE complaint_id = :n": "只能追加",
        "DELETE FROM complaint_events WHERE complaint_id = :n": "只能追加",
        "DELETE FROM workflow_moves WHERE from_step = 'judge'": "只读",
        "INSERT INTO workflow_moves VALUES ('judge', 'closed')": "只读",
        "UPDATE workflow_steps SET label_zh = 'x'": "只读",
        "INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor) VALUES "
        "(:n, 'record', 'judge', '2024-06-01 00:00:00', 'x')": "当前步骤已经不是 from_step",
        "INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor) VALUES "
        "(:n, NULL, 'record', '2024-06-01 00:00:00', 'x')": "第一步只能是",
        "INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor, department)"
        " VALUES (:n, 'judge', 'assign', '2024-01-01 00:00:00', 'x', 'y')": "不能早于上一步",
        "INSERT INTO complaints (customer_id, complaint_type, opened_at, description, step, "
        "opened_by) VALUES (1, 'service', '2024-06-01 00:00:00', 'x', 'closed', 'x')":
        "必须从“记录投诉内容”开始",
        "UPDATE complaints SET satisfaction = 5 WHERE complaint_id = :n": "不能直接修改满意度",
        "INSERT INTO complaints (customer_id, complaint_type, opened_at, description, opened_by)"
        " VALUES (1, 'price', '2024-06-01 00:00:00', 'x', 'x')": "CHECK constraint failed",
        "INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor) VALUES "
        "(:n, 'judge', 'escalate', '2024-06-01 00:00:00', 'x')": "投诉流程不允许",
    }
    for sql, message in attempts.items():
        with pytest.raises(sqlite3.IntegrityError, match=message):
            db.execute(sql, {"n": number})
    assert snapshot(db) == before


# --- bad input: a clear error, nothing changed ---------------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda c: crmdb.record_order(c, 99_999, order_date="2024-01-01", amount=10.0),
     "记录订单被拒绝：引用了不存在的客户"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024-01-01", amount=-5.0),
     "金额不能为负数.*never negative"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024-01-01", amount=float("inf")),
     "amount=inf 无效：是无穷大"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024-01-01", amount=float("nan")),
     "amount 不能为空"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024/01/01", amount=5.0),
     "日期应写成 YYYY-MM-DD"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024-02-30", amount=5.0),
     "日期应写成 YYYY-MM-DD"),
    (lambda c: crmdb.record_order(c, 1, order_date="2024-01-01", amount="12元"),
     "金额 amount='12元' 无效：应为数字"),
    (lambda c: crmdb.record_contact(c, 1, contact_date="2024-01-01", kind="礼品", cost=-1),
     "金额不能为负数"),
    (lambda c: crmdb.register_customer(c, name="  ", registered="2024-01-01"), "姓名不能为空"),
    (lambda c: crmdb.register_customer(c, name="甲", phone="138 0013 8000",
                                       registered="2024-01-01"), "手机号应为"),
    (lambda c: crmdb.register_customer(c, name="甲", gender="M", registered="2024-01-01"),
     "性别只能是"),
    (lambda c: crmdb.open_complaint(c, 1, complaint_type="price", description="贵", by="a",
                                    opened_at="2024-01-01 00:00:00"), "投诉类型只能是"),
    (lambda c: crmdb.open_complaint(c, 1, complaint_type="service", description="慢", by="a",
                                    opened_at="2024-01-01"), "时间应写成"),
    (lambda c: crmdb.advance(c, 12345, "judge", at="2024-01-01 00:00:00", by="a"), "没有编号为"),
    (lambda c: crmdb.open_complaint(c, 1, complaint_type="service", description="慢", by="a",
                                    opened_at="2024-02-30 10:00:00"), "时间应写成"),
])
def test_bad_input_gets_a_bilingual_error_and_changes_nothing(db, call, message):
    before = snapshot(db)
    with pytest.raises(crmdb.CRMDBError, match=message) as info:
        call(db)
    text = str(info.value)
    assert text[0] >= "\u4e00", "Chinese first"
    assert any(ch.isascii() and ch.isalpha() for ch in text.split("。")[-1]), "then English"
    assert snapshot(db) == before


def test_a_step_out_of_order_is_refused_and_changes_nothing(db):
    number = complaint_at(db, "assign")
    before = snapshot(db)
    with pytest.raises(crmdb.CRMDBError,
                       match="“确定责任部门”之后只能是“分析原因”.*after 'assign'"):
        crmdb.advance(db, number, "implement", at="2024-05-02 00:00:00", by="经办")
    assert snapshot(db) == before


def test_an_order_names_a_channel_record_of_its_own_customer(db):
    record, owner = db.execute("SELECT record_id, customer_id FROM source_records "
                               "LIMIT 1").fetchone()
    before = snapshot(db)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO orders (order_id, customer_id, record_id, order_date, amount) "
                   "VALUES ('X1', ?, ?, '2024-01-01', 1.0)", (owner + 1, record))
    assert snapshot(db) == before
    db.execute("INSERT INTO orders (order_id, customer_id, record_id, order_date, amount) "
               "VALUES ('X1', ?, ?, '2024-01-01', 1.0)", (owner, record))


def test_a_duplicate_phone_is_one_customer_not_two(db):
    phone = db.execute("SELECT phone FROM customers WHERE phone IS NOT NULL LIMIT 1").fetchone()
    with pytest.raises(crmdb.CRMDBError, match="customers.phone 与已有的一行重复"):
        crmdb.register_customer(db, name="重复", phone=phone[0], registered="2024-01-01")


def test_a_bad_row_aborts_the_whole_load_and_names_the_row(course_file, tmp_path):
    tables = crmdb.course_tables()
    orders = tables["orders"].copy()
    orders.loc[1000, "amount"] = -12.5
    conn = crmdb.create(tmp_path / "bad.db")
    before = snapshot(conn)
    with pytest.raises(crmdb.CRMDBError) as info:
        crmdb.load(conn, {**tables, "orders": orders})
    text = str(info.value)
    assert "订单表 orders 第 1001 行" in text and "order_id='O01001'" in text
    assert "金额不能为负数" in text and "整批数据未载入" in text and "rolled back" in text
    assert snapshot(conn) == before
    # an unknown customer in the last table is found too, and nothing stays behind
    contacts = tables["contacts"].copy()
    contacts.loc[len(contacts) - 1, "customer_id"] = 4242
    with pytest.raises(crmdb.CRMDBError, match=f"企业投入记录表 contacts 第 {len(contacts)} 行"):
        crmdb.load(conn, {**tables, "contacts": contacts})
    assert snapshot(conn) == before
    with pytest.raises(crmdb.CRMDBError, match="未知的列"):
        crmdb.load(conn, {"orders": orders.assign(discount=0.1)})
    with pytest.raises(crmdb.CRMDBError, match="未知的表"):
        crmdb.load(conn, {"order": orders})
    assert crmdb.load(conn, tables)["orders"] == len(orders)


def test_load_does_not_mutate_its_input():
    tables = crmdb.course_tables()
    copies = {name: frame.copy() for name, frame in tables.items()}
    crmdb.load(crmdb.create(":memory:"), tables)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, copies[name])


# --- SQL injection: stored and found as text ----------------------------------------------

INJECTIONS = ["Robert'); DROP TABLE customers;--", "' OR '1'='1", "x\"; DELETE FROM orders; --",
              "王伟'; UPDATE complaints SET step='closed' WHERE '1'='1", "%", "_", "\\",
              "1; ATTACH DATABASE 'evil.db' AS evil; --"]


def test_injection_strings_are_stored_and_found_as_text(db):
    before_schema = snapshot(db)[0]
    counts = {t: len(crmdb.table_rows(db, t)) for t in crmdb.TABLES}
    ids = {}
    for text in INJECTIONS:
        ids[text] = crmdb.register_customer(db, name=text, registered="2024-01-01", city=text)
        number = crmdb.open_complaint(db, ids[text], complaint_type="service", description=text,
                                      opened_at="2024-05-01 09:00:00", by="前台")
        crmdb.advance(db, number, "judge", at="2024-05-01 10:00:00", note=text, actor=text)
    for text in INJECTIONS:
        found = crmdb.search_customers(db, text)
        assert ids[text] in found["customer_id"].tolist()
        assert found["name"].str.contains(text, regex=False).all(), text
        stored = db.execute("SELECT note FROM complaint_events WHERE actor = ?", (text,))
        assert stored.fetchall() == [(text,)]
    assert crmdb.search_customers(db, "%")["customer_id"].tolist() == [ids["%"]]
    assert crmdb.search_customers(db, "' OR '1'='1")["customer_id"].tolist() == [
        ids["' OR '1'='1"]]
    assert snapshot(db)[0] == before_schema
    after = {t: len(crmdb.table_rows(db, t)) for t in crmdb.TABLES}
    assert after["customers"] == counts["customers"] + len(INJECTIONS)
    assert after["orders"] == counts["orders"]
    with pytest.raises(TypeError, match="text=5 无效.*应为字符串"):
        crmdb.search_customers(db, 5)


def test_a_big_load_rebuilds_its_indexes_and_a_failed_one_restores_them(tmp_path):
    conn = crmdb.create(tmp_path / "big.db")
    n = 100_000
    customers = pd.DataFrame({"customer_id": range(1, 101), "name": "客户",
                              "registered": "2024-01-01"})
    orders = pd.DataFrame({"order_id": [f"B{i:06d}" for i in range(n)],
                           "customer_id": np.arange(n) % 100 + 1, "order_date": "2024-03-01",
                           "amount": 1.0})
    crmdb.load(conn, {"customers": customers})
    before = snapshot(conn)
    bad = orders.copy()
    bad.loc[n - 1, "customer_id"] = 555
    with pytest.raises(crmdb.CRMDBError, match=f"订单表 orders 第 {n} 行"):
        crmdb.load(conn, {"orders": bad})
    assert snapshot(conn) == before  # rows and indexes as they were
    crmdb.load(conn, {"orders": orders})
    assert snapshot(conn)[0] == before[0]  # the same indexes, rebuilt
    plan = " ".join(str(r) for r in conn.execute("EXPLAIN QUERY PLAN SELECT * FROM rfm"))
    assert "COVERING INDEX orders_by_customer" in plan


# --- chapter 5's complaint log in the database ----------------------------------------------

def chapter5_log():
    from crmlab import complaints as cp

    done = cp.Complaint("T-001", customer_id=3, complaint_type="quality",
                        sub_item="quality_defect", by="前台", at="2024-03-01 09:00",
                        note="外壳裂纹")
    for hour, step in enumerate(["judge", "assign", "analyse", "propose", "approve",
                                 "implement", "review", "closed"], start=10):
        done.advance(step, by="经办", at=f"2024-03-01 {hour}:00",
                     department="质检部" if step == "assign" else None,
                     satisfaction=4.5 if step == "closed" else None)
    rejected = cp.Complaint("T-002", customer_id=5, complaint_type="service",
                            sub_item="service_attitude", by="前台", at="2024-03-02 09:00")
    rejected.advance("judge", by="主管", at="2024-03-02 10:00")
    rejected.advance("rejected", by="主管", at="2024-03-02 11:00", note="不成立")
    return cp.to_frame([done, rejected])


def test_chapter_5_log_loads_through_the_workflow_triggers(db):
    log = chapter5_log()
    first = 1 + db.execute("SELECT count(*) FROM complaints").fetchone()[0]
    tables = crmdb.complaint_tables(log, first_id=first)
    counts = crmdb.load(db, tables)
    assert counts == {"complaints": 2, "complaint_events": len(log) - 2}
    status = crmdb.query(db, "SELECT ticket, q.step, q.department, q.satisfaction, n_events "
                             "FROM complaints AS q JOIN complaint_status USING (complaint_id) "
                             "ORDER BY complaint_id")
    assert status.astype(object).where(status.notna(), None).values.tolist() == [
        ["T-001", "closed", "质检部", 4.5, 9], ["T-002", "rejected", None, None, 3]]
    events = crmdb.query(db, "SELECT to_step, department, satisfaction FROM complaint_events "
                             "WHERE complaint_id = ? AND (department IS NOT NULL OR "
                             "satisfaction IS NOT NULL)", (first,))
    assert events.astype(object).where(events.notna(), None).values.tolist() == [
        ["assign", "质检部", None], ["closed", None, 4.5]]
    events = crmdb.query(db, "SELECT to_step, at, actor FROM complaint_events "
                             "WHERE complaint_id = ? ORDER BY event_id", (first,))
    assert events["to_step"].tolist() == log.loc[log["complaint_id"] == "T-001", "step"].tolist()


def test_an_illegal_move_in_a_log_is_refused_with_its_row(db):
    log = chapter5_log()
    log.loc[log["step"] == "approve", "step"] = "closed"  # skips implement and review
    before = snapshot(db)
    tables = crmdb.complaint_tables(log, first_id=1000)
    with pytest.raises(crmdb.CRMDBError, match="投诉处理记录表 complaint_events 第 5 行.*"
                                               "投诉流程不允许这一步"):
        crmdb.load(db, tables)
    assert snapshot(db) == before
    bad = chapter5_log()
    bad.loc[0, "step"] = "judge"
    with pytest.raises(crmdb.CRMDBError, match="第一步不是"):
        crmdb.complaint_tables(bad)
