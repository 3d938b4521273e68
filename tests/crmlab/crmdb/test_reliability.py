"""crmdb under stress: two writers at once, a SIGKILL in the middle of a load, backup/restore.

Each scenario runs real processes against a database file in a temporary folder.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from crmlab import crmdb

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

#: the main path of the workflow, repeated: after 'closed' a complaint is reopened
CYCLE = {"record": "judge", "judge": "assign", "assign": "analyse", "analyse": "propose",
         "propose": "approve", "approve": "implement", "implement": "review",
         "review": "closed", "closed": "analyse"}


@pytest.fixture
def course_db(tmp_path):
    path = tmp_path / "crm.db"
    conn = crmdb.create(path)
    crmdb.load_course_data(conn)
    conn.close()
    return path


def run_child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def all_rows(conn):
    tables = [*crmdb.TABLES, "workflow_steps", "workflow_moves", "complaint_types",
              "report_settings"]
    return {t: crmdb.table_rows(conn, t) for t in tables}


# --- two processes advance the same complaints at the same time ---------------------------

WRITER = """
import random, sys, time
from datetime import datetime
from crmlab import crmdb

path, actor, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
cycle = {cycle!r}
conn = crmdb.connect(path, timeout=0.001)  # tiny busy timeout: transaction() must retry
rng = random.Random(actor)
done = 0
print("ready", flush=True)
sys.stdin.readline()  # both writers start together
for _ in range(n):
    complaint = rng.randint(1, 4)
    with crmdb.transaction(conn, attempts=2000, wait=0.001):
        (state,) = conn.execute("SELECT step FROM complaints WHERE complaint_id = ?",
                                (complaint,)).fetchone()
        time.sleep(0.002)  # widen the read-then-write window
        at = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        department = "客服部" if cycle[state] == "assign" else None
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor,"
                     " department) VALUES (?, ?, ?, ?, ?, ?)",
                     (complaint, state, cycle[state], at, actor, department))
    done += 1
    time.sleep(0.002)  # a clerk's pause between two steps
print(done)
"""


def test_two_processes_advancing_complaints_lose_no_update(course_db):
    conn = crmdb.connect(course_db)
    for customer in range(1, 5):
        crmdb.open_complaint(conn, customer, complaint_type="service", description="并发测试",
                             opened_at="2000-01-01 00:00:00", by="前台")
    n = 150
    children = [run_child(WRITER.format(cycle=CYCLE), str(course_db), actor, str(n))
                for actor in ("甲", "乙")]
    for child in children:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert int(out) == n
    by_actor = dict(conn.execute("SELECT actor, count(*) FROM complaint_events "
                                 "WHERE from_step IS NOT NULL GROUP BY actor").fetchall())
    assert by_actor == {"甲": n, "乙": n}  # every committed step is there: no lost update
    actors = [a for (a,) in conn.execute("SELECT actor FROM complaint_events "
                                          "WHERE from_step IS NOT NULL ORDER BY event_id")]
    switches = sum(a != b for a, b in zip(actors, actors[1:], strict=False))
    assert switches >= 10, "the two writers really ran at the same time"
    for complaint in range(1, 5):
        events = conn.execute("SELECT from_step, to_step FROM complaint_events WHERE "
                              "complaint_id = ? ORDER BY event_id", (complaint,)).fetchall()
        # an unbroken chain: each step starts where the previous one ended
        assert all(prev[1] == nxt[0] for prev, nxt in zip(events, events[1:], strict=False))
        (state,) = conn.execute("SELECT step FROM complaints WHERE complaint_id = ?",
                                (complaint,)).fetchone()
        assert state == events[-1][1]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# --- SIGKILL in the middle of a load --------------------------------------------------------

LOADER = """
import sys, time
import pandas as pd
from crmlab import crmdb

path = sys.argv[1]
conn = crmdb.connect(path)
for day in range(1, 21):
    order_id = crmdb.record_order(conn, 1, order_date=f"2025-01-{day:02d}", amount=10.0 * day)
    print("committed", order_id, flush=True)
n = 200_000
big = pd.DataFrame({"order_id": [f"B{i:07d}" for i in range(n)],
                    "customer_id": [1 + i % 300 for i in range(n)],
                    "order_date": "2025-02-01", "amount": 1.0})

def progress(table, done):
    print("loading", table, done, flush=True)
    if done == 20_000:
        time.sleep(30)  # the parent kills us here, in the middle of the transaction

# a 1 MiB page cache spills the uncommitted pages to the WAL file early
crmdb.load(conn, {"orders": big}, progress=progress, chunk_size=20_000, cache_mib=1)
print("finished", flush=True)
"""


def test_sigkill_in_the_middle_of_a_load_leaves_no_partial_load(course_db):
    before = crmdb.connect(course_db)
    orders_before = before.execute("SELECT count(*) FROM orders").fetchone()[0]
    before.close()
    child = run_child(LOADER, str(course_db))
    committed = []
    wal = course_db.with_name(course_db.name + "-wal")
    for line in child.stdout:
        if line.startswith("committed"):
            committed.append(line.split()[1])
            wal_committed = wal.stat().st_size
        elif line.startswith("loading"):
            break  # 20 000 rows of the big load are written, not committed
    wal_size = wal.stat().st_size
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(committed) == 20
    # the uncommitted rows had reached the WAL file on disk before the kill
    assert wal_size - wal_committed > 100_000

    conn = crmdb.connect(course_db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    ids = {i for (i,) in conn.execute("SELECT order_id FROM orders")}
    assert set(committed) <= ids  # no committed row lost
    assert not any(i.startswith("B") for i in ids)  # nothing of the killed load
    assert len(ids) == orders_before + 20
    # the database works normally afterwards
    assert crmdb.record_order(conn, 2, order_date="2025-03-01", amount=1.0)
    conn.close()


# --- backup and restore through the sqlite3 backup API --------------------------------------

def test_backup_and_restore_are_verified_row_by_row(course_db, tmp_path):
    conn = crmdb.connect(course_db)
    number = crmdb.open_complaint(conn, 7, complaint_type="contract", description="交货延迟",
                                  opened_at="2024-12-01 09:00:00", by="前台")
    crmdb.advance(conn, number, "judge", at="2024-12-01 10:00:00", note="成立", by="主管")
    original = all_rows(conn)
    schema = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()

    copy_path = crmdb.backup(conn, tmp_path / "backup.db")
    with pytest.raises(crmdb.CRMDBError, match="备份不会覆盖"):
        crmdb.backup(conn, copy_path)
    copy = crmdb.connect(copy_path, role="operator")
    assert all_rows(copy) == original
    assert crmdb.schema_version(copy) == crmdb.schema_version(conn)
    assert copy.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    copy.close()

    # damage the live database, then restore it from the backup
    conn.execute("DELETE FROM contacts")
    crmdb.advance(conn, number, "assign", at="2024-12-02 10:00:00", by="主管",
                  department="销售部")
    assert all_rows(conn) != original
    crmdb.restore(copy_path, conn)
    assert all_rows(conn) == original
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the restored database still enforces the workflow
    with pytest.raises(sqlite3.IntegrityError, match="投诉流程不允许"):
        conn.execute("INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor)"
                     " VALUES (?, 'judge', 'closed', '2024-12-03 00:00:00', 'x')", (number,))
    with pytest.raises(crmdb.CRMDBError, match="不存在"):
        crmdb.restore(tmp_path / "nothing.db", conn)
    conn.close()
