"""Chapter 7 exercises: SQL answers run read-only; destructive or broken queries get Chinese
guidance, never a traceback, and change nothing (the generic cases are in test_core)."""

import hashlib
import sqlite3
import time
from pathlib import Path

import pytest

from crmlab import crmdb
from crmlab.exercises import ch7, check, expected_answer, given, tasks

IDS = tasks("ch7")
MONTHLY, REPEAT, MARGIN, BY_TYPE, OVERDUE, SPEND = IDS


def fingerprint() -> str:
    return hashlib.sha256(Path(ch7._reference()).read_bytes()).hexdigest()


@pytest.mark.parametrize("sql", [
    "DELETE FROM orders", "drop table customers", "UPDATE complaints SET step = 'closed'",
    "INSERT INTO customers (name, registered) VALUES ('x', '2024-01-01')",
    "  -- a comment first\n DELETE FROM orders", "/* c */ DROP VIEW rfm",
    "SELECT 1; DELETE FROM orders", "ATTACH DATABASE 'x.db' AS x", "PRAGMA writable_schema = 1",
    "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone",
    "CREATE TEMP TABLE t AS SELECT * FROM orders", "VACUUM",
])
def test_a_destructive_query_is_refused_in_chinese_and_changes_nothing(sql):
    before = fingerprint()
    feedback = check(MONTHLY, sql)
    assert feedback.status == "format" and not feedback
    assert "Traceback" not in feedback.message
    assert any(word in feedback.message for word in ("修改数据库", "一条语句", "语法错误"))
    assert fingerprint() == before
    assert check(MONTHLY, expected_answer(MONTHLY))


def test_the_students_copy_cannot_change_what_check_compares(tmp_path):
    right = expected_answer(MONTHLY)
    copy = tmp_path / "mine.db"
    copy.write_bytes(Path(given(MONTHLY)["database"]).read_bytes())
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM contacts")
    conn.execute("UPDATE orders SET amount = amount * 2")
    conn.commit()
    conn.close()
    assert check(MONTHLY, right)  # answers run on the checker's own copy
    assert given(MONTHLY)["database"] != ch7._reference()


@pytest.mark.parametrize(("sql", "words"), [
    ("SELEC month FROM orders", "语法错误"),
    ("SELECT * FROM order_lines", "没有名为 order_lines 的表"),
    ("SELECT margin FROM orders", "没有名为 margin 的列"),
    ("SELECT customer_id FROM orders JOIN customers USING (customer_id) WHERE "
     "customer_id IN (SELECT customer_id FROM orders o, customers c)", ""),
])
def test_invalid_queries_get_guidance(sql, words):
    feedback = check(MONTHLY, sql)
    assert feedback.status in ("format", "wrong") and words in feedback.message


def test_a_runaway_query_is_stopped_in_time():
    start = time.monotonic()
    feedback = check(REPEAT, "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
                             "SELECT count(*) FROM r")
    assert time.monotonic() - start < ch7.QUERY_SECONDS + 2
    assert feedback.status == "format" and "中止" in feedback.message
    huge = check(SPEND, "SELECT * FROM orders a, orders b")
    assert huge.status == "format" and "笛卡尔积" in huge.message


def test_typical_slips_get_their_hints():
    assert "GROUP BY" in check(MONTHLY, "SELECT substr(order_date, 1, 7), sum(amount) "
                                        "FROM orders").message
    assert "DISTINCT" in check(BY_TYPE, "SELECT complaint_type, count(customer_id) "
                                        "FROM complaints GROUP BY complaint_type").message
    joined = check(SPEND, "SELECT c.customer_id, sum(o.amount) FROM complaints c JOIN orders o "
                          "ON o.customer_id = c.customer_id GROUP BY c.customer_id "
                          "ORDER BY c.customer_id")
    assert "连接" in joined.message
    reversed_order = check(MARGIN, "SELECT c.customer_id, c.name, round(sum(o.amount - o.cost), "
                                   "2) AS m FROM customers c JOIN orders o USING (customer_id) "
                                   "GROUP BY c.customer_id ORDER BY m DESC LIMIT 20")
    assert "20 行" in reversed_order.message


def test_column_names_do_not_matter_and_equivalent_queries_pass():
    assert check(MONTHLY, "SELECT strftime('%Y-%m', order_date) AS m, sum(amount) AS x "
                          "FROM orders GROUP BY 1 ORDER BY 1")
    assert check(SPEND, "SELECT customer_id, sum(amount) FROM orders o WHERE EXISTS (SELECT 1 "
                        "FROM complaints q WHERE q.customer_id = o.customer_id) "
                        "GROUP BY customer_id ORDER BY customer_id")
    assert check(BY_TYPE, "SELECT complaint_type, count(*) FROM (SELECT DISTINCT complaint_type,"
                          " customer_id FROM complaints) GROUP BY complaint_type "
                          "ORDER BY 2 DESC")  # unordered task: any row order


def test_exercise_data_differ_from_the_lecture_data():
    lecture = crmdb.create(":memory:")
    crmdb.load_course_data(lecture)
    exercise = sqlite3.connect(Path(given(MONTHLY)["database"]).resolve().as_uri() + "?mode=ro",
                               uri=True)
    sql = "SELECT count(*) FROM complaints"
    assert exercise.execute(sql).fetchone()[0] == lecture.execute(sql).fetchone()[0] + 60
    sql = "SELECT count(*) FROM orders"
    assert exercise.execute(sql).fetchone() != lecture.execute(sql).fetchone()
    overdue = check(OVERDUE, expected_answer(OVERDUE))
    assert overdue and len(ch7.run_query(expected_answer(OVERDUE))) >= 3


def test_columns_in_another_order_are_the_same_result():
    assert check(MONTHLY, "SELECT round(sum(amount), 2), substr(order_date, 1, 7) AS m "
                          "FROM orders GROUP BY m ORDER BY m")
    assert check(BY_TYPE, "SELECT count(DISTINCT customer_id), complaint_type FROM complaints "
                          "GROUP BY complaint_type")


def test_a_reversed_order_is_named_once_without_wrong_rows():
    feedback = check(MONTHLY, "SELECT substr(order_date, 1, 7) AS m, round(sum(amount), 2) "
                              "FROM orders GROUP BY m ORDER BY m DESC")
    assert "顺序不对" in feedback.message and "行不对" not in feedback.message


def test_sql_form_slips_get_their_hint():
    inner = ("FROM (SELECT customer_id, count(DISTINCT order_date) AS days FROM orders "
             "GROUP BY customer_id)")
    assert "除以 100" in check(REPEAT, f"SELECT round(100.0 * avg(days >= 2), 2) {inner}").message
    assert "整数除以整数" in check(REPEAT, f"SELECT sum(days >= 2) / count(*) {inner}").message
    overdue = check(OVERDUE, "SELECT complaint_id, customer_id FROM complaints WHERE step <> "
                             "'closed' AND datetime(opened_at, '+' || sla_days || ' days') < "
                             "'2024-12-31 23:59:59' ORDER BY complaint_id")
    assert "rejected" in overdue.message and "JOIN" not in overdue.message
    left = check(SPEND, "SELECT c.customer_id, round(sum(o.amount), 2) FROM (SELECT DISTINCT "
                        "customer_id FROM complaints) c LEFT JOIN orders o ON o.customer_id = "
                        "c.customer_id GROUP BY c.customer_id ORDER BY c.customer_id")
    assert "只列有过订单的客户" in left.message


def test_trying_a_query_in_the_notebook_never_shows_a_traceback():
    before = fingerprint()
    for sql in ("DROP TABLE orders", "SELEC 1", "SELECT * FROM nowhere", 42):
        shown = ch7.query(sql)
        assert shown.status == "format" and "Traceback" not in str(shown)
    assert fingerprint() == before
    assert len(ch7.query("SELECT * FROM orders LIMIT 3")) == 3
