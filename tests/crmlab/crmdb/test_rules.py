"""crmlab.crmdb: every rule attacked with raw SQL from a plain sqlite3 client; files refused
by connect/restore are left untouched; bad input gets a bilingual CRMDBError."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import numpy as np
import pandas as pd
import pytest

from crmlab import crmdb


@pytest.fixture(scope="module")
def base_file(tmp_path_factory):
    """A small CRM file: two customers, one order, complaint 1 closed, complaint 2 at judge."""
    path = tmp_path_factory.mktemp("rules") / "base.db"
    conn = crmdb.create(path)
    for name, phone in (("王伟", "13800138000"), ("李娜", "13900139000")):
        crmdb.register_customer(conn, name=name, phone=phone, email=f"{phone}@example.com",
                                registered="2024-01-05")
    crmdb.record_order(conn, 1, order_date="2024-02-01", amount=199.0, cost=120.0)
    closed = crmdb.open_complaint(conn, 1, complaint_type="quality", by="前台",
                                  opened_at="2024-02-03 09:00:00", description="划痕")
    for hour, step in enumerate(["judge", "assign", "analyse", "propose", "approve",
                                 "implement", "review", "closed"], start=10):
        crmdb.advance(conn, closed, step, by="经办", at=f"2024-02-03 {hour}:00:00",
                      department="质检部" if step == "assign" else None,
                      satisfaction=2 if step == "closed" else None)
    judged = crmdb.open_complaint(conn, 2, complaint_type="service", by="前台",
                                  opened_at="2024-03-01 09:00:00", description="态度差")
    crmdb.advance(conn, judged, "judge", by="主管", at="2024-03-01 10:00:00")
    conn.close()
    return path


@pytest.fixture
def raw(base_file, tmp_path):
    """A plain sqlite3 client (not crmlab) on a fresh copy: the rules must hold for it too."""
    path = tmp_path / "crm.db"
    shutil.copyfile(base_file, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    yield conn
    conn.close()


def everything(conn):
    rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in (*crmdb.TABLES, *crmdb.LOOKUP_TABLES)}
    return rows, conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()


EVENT = ("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor, department,"
         " satisfaction) VALUES ")

#: statement -> the refusal it must get (raw SQL, plain client, complaint 1 closed, 2 judged)
ATTACKS = {
    # responsibility (分清责任)
    EVENT + "(2, 'judge', 'assign', '2024-03-01 11:00:00', '主管', NULL, NULL)":
        "必须写明责任部门",
    EVENT + "(2, 'judge', 'assign', '2024-03-01 11:00:00', '主管', '  ', NULL)":
        "必须写明责任部门",
    EVENT + "(2, 'judge', 'assign', '2024-03-01 11:00:00', NULL, '客服部', NULL)":
        "写明由谁完成",
    EVENT + "(2, 'judge', 'rejected', '2024-03-01 11:00:00', '', NULL, NULL)": "写明由谁完成",
    EVENT + "(2, 'judge', 'rejected', '2024-03-01 11:00:00', '主管', '客服部', NULL)":
        "只能在“确定责任部门”",
    "INSERT INTO complaints (customer_id, complaint_type, opened_at, description) VALUES "
    "(1, 'service', '2024-04-01 09:00:00', '慢')": "由谁受理",
    "INSERT INTO complaints (customer_id, complaint_type, opened_at, description, opened_by, "
    "department) VALUES (1, 'service', '2024-04-01 09:00:00', '慢', '前台', '客服部')":
        "受理时还不能定",
    # satisfaction with the closing event; KPI inputs only through a correction
    EVENT + "(2, 'judge', 'assign', '2024-03-01 11:00:00', '主管', '客服部', 5)":
        "满意度只能随",
    "UPDATE complaints SET satisfaction = 5 WHERE complaint_id = 1": "不能直接修改满意度",
    "UPDATE complaints SET sla_days = 30 WHERE complaint_id = 1": "不能直接修改处理时限",
    "UPDATE complaints SET opened_at = '2024-02-03 12:00:00' WHERE complaint_id = 1":
        "不能直接修改受理时间",
    "UPDATE complaints SET department = '销售部' WHERE complaint_id = 1": "不能直接修改责任部门",
    "UPDATE complaints SET complaint_type = 'service' WHERE complaint_id = 1":
        "不能直接修改投诉类型",
    "UPDATE complaints SET customer_id = 2 WHERE complaint_id = 1": "不能修改",
    "UPDATE complaints SET step = 'judge' WHERE complaint_id = 1": "不能直接修改投诉步骤",
    "UPDATE OR REPLACE complaints SET sla_days = 30 WHERE complaint_id = 1": "处理时限",
    "INSERT OR REPLACE INTO complaints (complaint_id, customer_id, complaint_type, opened_at, "
    "description, opened_by) VALUES (1, 1, 'service', '2024-02-03 09:00:00', 'x', 'x')":
        "不能被覆盖",
    "DELETE FROM complaints WHERE complaint_id = 1": "不能删除",
    # corrections must be honest and stay
    "INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, corrected_by,"
    " corrected_at, reason) VALUES (1, 'satisfaction', 5, 4, '主管', '2024-02-05 09:00:00', "
    "'回访')": "旧值 old_value 不是",
    "INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, corrected_by,"
    " corrected_at, reason) VALUES (1, 'satisfaction', 2, 4, '主管', '2024-02-05 09:00:00', "
    "' ')": "CHECK constraint failed: text_not_empty",
    "INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, corrected_by,"
    " corrected_at, reason) VALUES (1, 'opened_at', '2024-02-03 09:00:00', "
    "'2024-02-04 09:00:00', '主管', '2024-02-05 09:00:00', '录错')": "不能晚于这条投诉的第一步",
    "INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, corrected_by,"
    " corrected_at, reason) VALUES (1, 'step', 'closed', 'judge', '主管', "
    "'2024-02-05 09:00:00', 'x')": "field_known|旧值 old_value",
    # history: append-only under every statement form
    "UPDATE complaint_events SET at = '2024-02-03 10:30:00' WHERE complaint_id = 1": "只能追加",
    "DELETE FROM complaint_events WHERE complaint_id = 1": "只能追加",
    "INSERT OR REPLACE INTO complaint_events (event_id, complaint_id, from_step, to_step, at, "
    "actor) SELECT max(event_id), 2, 'judge', 'rejected', '2024-03-02 09:00:00', 'x' "
    "FROM complaint_events": "不能覆盖",
    "REPLACE INTO complaint_events (event_id, complaint_id, from_step, to_step, at, actor) "
    "VALUES (1, 1, NULL, 'record', '2024-02-03 09:00:00', 'x')": "不能覆盖",
    "INSERT INTO complaint_events (event_id, complaint_id, from_step, to_step, at, actor) "
    "VALUES (1, 2, 'judge', 'rejected', '2024-03-02 09:00:00', 'x') "
    "ON CONFLICT (event_id) DO UPDATE SET actor = 'y'": "不能覆盖",
    "INSERT INTO complaint_events (event_id, complaint_id, from_step, to_step, at, actor) "
    "VALUES (1, 2, 'judge', 'rejected', '2024-03-02 09:00:00', 'x') "
    "ON CONFLICT DO NOTHING": "不能覆盖",
    # time: not in the future, not before the last event
    EVENT + "(2, 'judge', 'rejected', '2205-03-01 11:00:00', '主管', NULL, NULL)": "在未来",
    EVENT + "(2, 'judge', 'rejected', '2024-02-29 11:00:00', '主管', NULL, NULL)": "不能早于",
    "INSERT INTO complaints (customer_id, complaint_type, opened_at, description, opened_by) "
    "VALUES (1, 'service', '2205-04-01 09:00:00', '慢', '前台')": "在未来",
    # the workflow and the lookup tables
    EVENT + "(2, 'judge', 'closed', '2024-03-01 11:00:00', '主管', NULL, 4)": "投诉流程不允许",
    "DELETE FROM complaint_types WHERE complaint_type = 'quality'": "只读",
    "UPDATE complaint_types SET label_zh = '质量' WHERE complaint_type = 'quality'": "只读",
    "INSERT INTO complaint_types VALUES ('price', '价格')": "只读",
    "INSERT OR REPLACE INTO complaint_types VALUES ('quality', '质量问题')": "只读",
    "INSERT OR REPLACE INTO workflow_moves VALUES ('judge', 'assign')": "只读",
    "INSERT INTO workflow_moves VALUES ('record', 'closed')": "只读",
    "DELETE FROM workflow_steps": "只读",
    "DELETE FROM report_settings": "不能删除",
}


@pytest.mark.parametrize("recursive", [False, True], ids=["plain", "recursive_triggers"])
def test_every_rule_holds_for_a_plain_client(raw, recursive):
    raw.execute(f"PRAGMA recursive_triggers = {int(recursive)}")
    before = everything(raw)
    for sql, message in ATTACKS.items():
        with pytest.raises(sqlite3.DatabaseError, match=message):
            raw.execute(sql)
    assert everything(raw) == before


def test_a_correction_is_recorded_applied_and_honoured_by_the_views(raw):
    before = raw.execute("SELECT mean_satisfaction FROM kpi_monthly WHERE month = '2024-02'")
    assert before.fetchone() == (2.0,)
    raw.execute("INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, "
                "corrected_by, corrected_at, reason) VALUES (1, 'satisfaction', 2, 4, '主管', "
                "'2024-02-05 09:00:00', '回访时客户改口')")
    raw.execute("INSERT INTO complaint_corrections (complaint_id, field, old_value, new_value, "
                "corrected_by, corrected_at, reason) VALUES (1, 'sla_days', 7, 1, '主管', "
                "'2024-02-05 09:05:00', '质量类投诉承诺 1 天')")
    row = raw.execute("SELECT mean_satisfaction, sla_met_share FROM kpi_monthly "
                      "WHERE month = '2024-02'").fetchone()
    assert row == (4.0, 1.0)  # closed the same day: within 1 day too
    # a replay of an applied correction, and a silent UPDATE back, are both refused
    with pytest.raises(sqlite3.IntegrityError, match="旧值"):
        raw.execute("INSERT INTO complaint_corrections (complaint_id, field, old_value, "
                    "new_value, corrected_by, corrected_at, reason) VALUES (1, 'satisfaction',"
                    " 2, 4, '主管', '2024-02-05 09:00:00', 'again')")
    with pytest.raises(sqlite3.IntegrityError, match="不能直接修改满意度"):
        raw.execute("UPDATE complaints SET satisfaction = 2 WHERE complaint_id = 1")
    trail = raw.execute("SELECT field, old_value, new_value, corrected_by FROM "
                        "complaint_corrections ORDER BY correction_id").fetchall()
    assert trail == [("satisfaction", 2.0, 4, "主管"), ("sla_days", 7, 1, "主管")]


def test_correct_and_advance_speak_chapter_5s_vocabulary(base_file, tmp_path):
    path = tmp_path / "crm.db"
    shutil.copyfile(base_file, path)
    conn = crmdb.connect(path)
    crmdb.advance(conn, 2, "assign", by="主管", department="客服部",
                  at=pd.Timestamp("2024-03-01 11:00"))
    assert crmdb.correct(conn, 2, "department", "销售部", by="经理",
                         at=pd.Timestamp("2024-03-02 09:00"), reason="合同问题") == 1
    row = conn.execute("SELECT department FROM complaints WHERE complaint_id = 2").fetchone()
    assert row == ("销售部",)
    with pytest.raises(crmdb.CRMDBError, match="by=''.*不能为空"):
        crmdb.advance(conn, 2, "analyse", by="", at="2024-03-02 10:00:00")
    with pytest.raises(crmdb.CRMDBError, match="field='step'"):
        crmdb.correct(conn, 2, "step", "closed", by="x", at="2024-03-02 10:00:00", reason="x")
    with pytest.raises(crmdb.CRMDBError, match="新值与旧值相同"):
        crmdb.correct(conn, 2, "sla_days", 7, by="x", at="2024-03-02 10:00:00", reason="x")
    conn.close()


# --- files: connect and restore refuse what is not an intact CRM database -----------------

def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged(base_file, folder):
    path = folder / "damaged.db"
    data = bytearray(base_file.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # every b-tree page header overwritten
        data[start + 1: start + 12] = b"\xff" * 11
    path.write_bytes(bytes(data))
    return path


def foreign(folder):
    path = folder / "foreign.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE customers (customer_id INTEGER, phone TEXT)")
    other.execute(f"PRAGMA user_version = {crmdb.SCHEMA_VERSION}")
    other.commit()
    other.close()
    return path


def junk(folder):
    path = folder / "junk.db"
    path.write_bytes(b"not a database " * 300)
    return path


def without_trigger(base_file, folder):
    path = folder / "no_trigger.db"
    shutil.copyfile(base_file, path)
    other = sqlite3.connect(path)
    other.execute("DROP TRIGGER complaint_events_no_delete")
    other.commit()
    other.close()
    return path


def broken_keys(base_file, folder):
    path = folder / "orphans.db"
    shutil.copyfile(base_file, path)
    other = sqlite3.connect(path)  # foreign_keys is OFF by default in a plain client
    other.execute("INSERT INTO orders (order_id, customer_id, order_date, amount) "
                  "VALUES ('X1', 999, '2024-01-01', 1.0)")
    other.commit()
    other.close()
    return path


@pytest.mark.parametrize(("make", "message"), [
    (lambda base, folder: damaged(base, folder), "损坏|不是可读的"),
    (lambda base, folder: foreign(folder), "与第 3 版的 CRM 模式不符"),
    (lambda base, folder: without_trigger(base, folder), "complaint_events_no_delete"),
    (lambda base, folder: broken_keys(base, folder), "外键不完整"),
    (lambda base, folder: junk(folder), "不是可读的"),
], ids=["damaged", "foreign", "dropped_trigger", "foreign_keys_broken", "junk"])
def test_restore_refuses_a_bad_file_and_leaves_the_live_database(base_file, tmp_path, make,
                                                                 message):
    bad = make(base_file, tmp_path)
    live_path = tmp_path / "live.db"
    shutil.copyfile(base_file, live_path)
    live = crmdb.connect(live_path)
    before = everything(live)
    bad_digest = digest(bad)
    with pytest.raises(crmdb.CRMDBError, match=message) as info:
        crmdb.restore(bad, live)
    assert "not a CRM backup" in str(info.value) and str(info.value)[0] >= "\u4e00"
    assert everything(live) == before
    if bad.name != "orphans.db":  # connect checks all but the O(n) foreign key scan
        with pytest.raises(crmdb.CRMDBError, match=message):
            crmdb.connect(bad)
    assert digest(bad) == bad_digest  # connect never changes a file it refuses
    live.close()


# --- bad input: the right result or a bilingual CRMDBError naming the argument ----------------

@pytest.fixture
def conn(base_file, tmp_path):
    path = tmp_path / "crm.db"
    shutil.copyfile(base_file, path)
    connection = crmdb.connect(path)
    yield connection
    connection.close()


def test_numpy_and_pandas_scalars_are_their_python_values(conn):
    assert crmdb.query(conn, "SELECT :a AS a, :b AS b, :c AS c",
                       {"a": np.int64(5), "b": np.float32(0.5), "c": np.bool_(True)}
                       ).values.tolist() == [[5, 0.5, 1]]
    assert crmdb.query(conn, "SELECT ? AS d, ? AS t", (pd.Timestamp("2024-02-01"),
                                                       pd.Timestamp("2024-02-01 09:30"))
                       ).values.tolist() == [["2024-02-01", "2024-02-01 09:30:00"]]
    order = crmdb.record_order(conn, np.int64(1), order_date=pd.Timestamp("2024-05-01"),
                               amount=np.float64(10.5), cost=np.int32(3))
    assert conn.execute("SELECT customer_id, order_date, amount, cost FROM orders "
                        "WHERE order_id = ?", (order,)).fetchone() == (1, "2024-05-01", 10.5, 3.0)
    crmdb.advance(conn, np.uint8(2), "rejected", by="主管", at=np.datetime64("2024-03-02T09:00"),
                  satisfaction=np.int64(3))
    number = crmdb.open_complaint(conn, np.int64(2), complaint_type="service", by="前台",
                                  opened_at=pd.Timestamp("2024-04-01"), description="慢")
    assert conn.execute("SELECT opened_at FROM complaints WHERE complaint_id = ?",
                        (number,)).fetchone() == ("2024-04-01 00:00:00",)
    got = crmdb.rfm(conn, as_of=pd.Timestamp("2024-12-31"))
    assert got["frequency"].tolist() == [2]
    frame = pd.DataFrame({"customer_id": pd.array([3], dtype="UInt64"), "name": ["张三"],
                          "registered": [pd.Timestamp("2024-01-01")]})
    assert crmdb.load(conn, {"customers": frame}) == {"customers": 1}


BAD_CALLS = {
    "chunk_size=-1": (lambda c: crmdb.load(c, {"customers": pd.DataFrame(
        {"customer_id": [9], "name": ["x"], "registered": ["2024-01-01"]})}, chunk_size=-1),
        "chunk_size=-1"),
    "chunk_size=0": (lambda c: crmdb.load(c, {}, chunk_size=0), "chunk_size=0"),
    "chunk_size=1.5": (lambda c: crmdb.load(c, {}, chunk_size=1.5), "chunk_size=1.5"),
    "cache_mib=0": (lambda c: crmdb.load(c, {}, cache_mib=0), "cache_mib=0"),
    "progress=5": (lambda c: crmdb.load(c, {}, progress=5), "progress=5"),
    "tables=list": (lambda c: crmdb.load(c, [1]), "tables=\\[1\\]"),
    "table not a frame": (lambda c: crmdb.load(c, {"orders": [1]}), "tables\\['orders'\\]"),
    "uint64 id >= 2**63 in a frame": (lambda c: crmdb.load(c, {"customers": pd.DataFrame(
        {"customer_id": np.array([2**63], dtype="uint64"), "name": ["x"],
         "registered": ["2024-01-01"]})}), "customers row 1.*64"),
    "customer_id=2**63": (lambda c: crmdb.record_order(c, np.uint64(2**63),
                                                       order_date="2024-01-01", amount=1.0),
                          "customer_id=.*9223372036854775808"),
    "customer_id=0": (lambda c: crmdb.record_order(c, 0, order_date="2024-01-01", amount=1.0),
                      "customer_id=0"),
    "customer_id='1'": (lambda c: crmdb.record_order(c, "1", order_date="2024-01-01",
                                                     amount=1.0), "customer_id='1'"),
    "complaint_id=True": (lambda c: crmdb.advance(c, True, "assign", by="x",
                                                  at="2024-03-02 09:00:00"), "complaint_id=True"),
    "amount=object": (lambda c: crmdb.record_order(c, 1, order_date="2024-01-01",
                                                   amount=object()), "amount=<object"),
    "tz-aware time": (lambda c: crmdb.advance(c, 2, "rejected", by="x",
                                              at=pd.Timestamp("2024-03-02 09:00", tz="UTC")),
                      "at=.*时区"),
    "sla_days=0": (lambda c: crmdb.open_complaint(c, 1, complaint_type="service", by="x",
                                                  opened_at="2024-04-01 09:00:00",
                                                  description="x", sla_days=0), "sla_days=0"),
    "by=None": (lambda c: crmdb.open_complaint(c, 1, complaint_type="service", by=None,
                                               opened_at="2024-04-01 09:00:00",
                                               description="x"), "by=None"),
    "by and actor differ": (lambda c: crmdb.advance(c, 2, "rejected", by="a", actor="b",
                                                    at="2024-03-02 09:00:00"), "actor='b'"),
    "future event": (lambda c: crmdb.advance(c, 2, "rejected", by="a",
                                             at="2205-03-02 09:00:00"), "在未来"),
    "attempts=0": (lambda c: crmdb.transaction(c, attempts=0).__enter__(), "attempts=0"),
    "wait=-1": (lambda c: crmdb.transaction(c, wait=-1).__enter__(), "wait=-1"),
    "sql syntax": (lambda c: crmdb.query(c, "SELEC * FROM orders"), "sql='SELEC.*syntax"),
    "sql unknown table": (lambda c: crmdb.query(c, "SELECT * FROM nope"), "no such table"),
    "sql writes": (lambda c: crmdb.query(c, "DROP TABLE orders"), "只能查询"),
    "sql two statements": (lambda c: crmdb.query(c, "SELECT 1; SELECT 2"), "一次只能"),
    "sql=None": (lambda c: crmdb.query(c, None), "sql=None"),
    "params=5": (lambda c: crmdb.query(c, "SELECT ?", 5), "params=5"),
    "params missing": (lambda c: crmdb.query(c, "SELECT ? + ?", (1,)), "params"),
    "param object": (lambda c: crmdb.query(c, "SELECT ?", (object(),)), "params\\[0\\]"),
    "param 2**64": (lambda c: crmdb.query(c, "SELECT ?", (2**64,)), "params\\[0\\]"),
    "rfm as_of junk": (lambda c: crmdb.rfm(c, as_of="next year"), "as_of='next year'"),
    "kpis period": (lambda c: crmdb.kpis(c, period="week"), "period='week'"),
    "table_rows": (lambda c: crmdb.table_rows(c, "sqlite_master"), "table='sqlite_master'"),
    "search text": (lambda c: crmdb.search_customers(c, 5), "text=5"),
    "role": (lambda c: crmdb.connect(":memory:", role="admin"), "role='admin'"),
    "timeout": (lambda c: crmdb.connect(":memory:", timeout=-1), "timeout=-1"),
    "path=5": (lambda c: crmdb.connect(5), "path=5"),
    "create version": (lambda c: crmdb.create(":memory:", version="3"), "version='3'"),
    "first_id=2**63": (lambda c: crmdb.complaint_tables(_log(), first_id=2**63),
                       "first_id=9223372036854775808"),
    "first_id overflow": (lambda c: crmdb.complaint_tables(_log(2), first_id=2**63 - 1),
                          "first_id=9223372036854775807"),
    "first_id=0": (lambda c: crmdb.complaint_tables(_log(), first_id=0), "first_id=0"),
    "publish from analyst": (lambda c: crmdb.publish_analytics(
        crmdb.connect(c.execute("PRAGMA database_list").fetchone()[2], role="analyst")),
        "还没有分析副本"),
    "sql_text": (lambda c: crmdb.sql_text("../../etc/passwd"), "name="),
}
JUNK_CONNECTIONS = {
    "query": lambda j: crmdb.query(j, "SELECT 1"),
    "record_order": lambda j: crmdb.record_order(j, 1, order_date="2024-01-01", amount=1.0),
    "advance": lambda j: crmdb.advance(j, 1, "judge", by="x", at="2024-01-01 00:00:00"),
    "kpis": lambda j: crmdb.kpis(j),
    "rfm": lambda j: crmdb.rfm(j),
    "load": lambda j: crmdb.load(j, {}),
    "transaction": lambda j: crmdb.transaction(j).__enter__(),
    "backup": lambda j: crmdb.backup(j, "x.db"),
    "migrate": lambda j: crmdb.migrate(j),
    "publish_analytics": lambda j: crmdb.publish_analytics(j),
}


def _log(n=1):
    from crmlab import complaints as cp

    return cp.to_frame([cp.Complaint(f"T{i}", customer_id=1, complaint_type="service",
                                     sub_item="service_skill", by="a", at="2024-01-02")
                        for i in range(n)])


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_input_gets_a_bilingual_crmdb_error_naming_it(conn, name):
    call, message = BAD_CALLS[name]
    before = everything(conn)
    with pytest.raises(crmdb.CRMDBError, match=message) as info:
        call(conn)
    text = str(info.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "Chinese"
    assert text.index(next(ch for ch in text if "\u4e00" <= ch <= "\u9fff")) < len(text) // 2
    assert any(ch.isascii() and ch.isalpha() for ch in text.rsplit("。", 1)[-1]), "then English"
    assert not conn.in_transaction
    assert everything(conn) == before


@pytest.mark.parametrize("junk", [None, "crm.db", 42, object()],
                         ids=["None", "path-text", "int", "object"])  # stable ids for xdist
@pytest.mark.parametrize("name", list(JUNK_CONNECTIONS))
def test_a_junk_connection_is_named(junk, name):
    with pytest.raises(crmdb.CRMDBError, match="conn=.*数据库连接.*expected a connection") as info:
        JUNK_CONNECTIONS[name](junk)
    assert isinstance(info.value, TypeError)


def test_a_closed_connection_is_named(conn):
    other = crmdb.create(":memory:")
    other.close()
    with pytest.raises(crmdb.CRMDBError, match="conn=.*连接已关闭"):
        crmdb.query(other, "SELECT 1")


def test_writes_on_the_analyst_role_are_crmdb_errors(conn):
    crmdb.publish_analytics(conn)
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    analyst = crmdb.connect(path, role="analyst")
    for call in (lambda: crmdb.record_order(analyst, 1, order_date="2024-01-01", amount=1.0),
                 lambda: crmdb.advance(analyst, 2, "rejected", by="x",
                                       at="2024-03-02 09:00:00"),
                 lambda: crmdb.load(analyst, {}),
                 lambda: crmdb.query(analyst, "DELETE FROM orders"),
                 lambda: crmdb.publish_analytics(analyst)):
        with pytest.raises(crmdb.CRMDBError, match="只读|只能查询|分析员"):
            call()
    analyst.close()


# --- a sweep of the course's bad-input categories over crmdb's numeric arguments -----------

from tests import _bad_input as _bad  # noqa: E402

SWEPT = {
    "amount": lambda c, v: crmdb.record_order(c, 1, order_date="2024-06-01", amount=v),
    "cost": lambda c, v: crmdb.record_order(c, 1, order_date="2024-06-01", amount=1.0, cost=v),
    "customer_id": lambda c, v: crmdb.record_order(c, v, order_date="2024-06-01", amount=1.0),
    "satisfaction": lambda c, v: crmdb.advance(c, 2, "rejected", by="主管",
                                               at="2024-03-02 09:00:00", satisfaction=v),
    "sla_days": lambda c, v: crmdb.open_complaint(c, 1, complaint_type="service", by="前台",
                                                  opened_at="2024-04-01 09:00:00",
                                                  description="慢", sla_days=v),
    "params": lambda c, v: crmdb.query(c, "SELECT ? AS v", (v,)),
}


@pytest.mark.parametrize("category", list(_bad.SCALARS))
@pytest.mark.parametrize("argument", list(SWEPT))
def test_every_bad_input_category_is_refused_or_stored_as_given(conn, argument, category):
    value = _bad.SCALARS[category]
    before = everything(conn)
    try:
        result = SWEPT[argument](conn, value)
    except crmdb.CRMDBError as error:  # a ValueError (TypeError too for a wrong type)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error)), str(error)
        assert everything(conn) == before
        return
    # accepted: what is stored (or returned) is the value as given, never a changed number
    if argument == "params":
        stored = result["v"].item()
    elif argument in ("amount", "cost"):
        stored = conn.execute(f"SELECT {argument} FROM orders WHERE order_id = ?",
                              (result,)).fetchone()[0]
    elif argument == "customer_id":
        stored = conn.execute("SELECT customer_id FROM orders WHERE order_id = ?",
                              (result,)).fetchone()[0]
    elif argument == "satisfaction":
        stored = conn.execute("SELECT satisfaction FROM complaint_events ORDER BY event_id "
                              "DESC LIMIT 1").fetchone()[0]
    else:
        stored = conn.execute("SELECT sla_days FROM complaints WHERE complaint_id = ?",
                              (result,)).fetchone()[0]
    expected = None if value is None else value
    if isinstance(expected, float | np.floating) and np.isnan(expected):
        expected = None
    assert stored == expected or (stored is not None and float(stored) == float(expected)), (
        argument, category, stored)
