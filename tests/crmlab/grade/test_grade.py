"""The gradebook: a crafted class with every safety case, graded once (short timeout)."""

import csv
import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest

from crmlab.exercises import get_task, tasks
from crmlab.grade import grade
from crmlab.grade.__main__ import main
from crmlab.grade._notebook import parse_notebook
from crmlab.grade._values import Opaque, from_plain, to_plain
from tests.conftest import ROOT

TIMEOUT = 8  # generous: a busy 2-core CI machine also runs notebooks beside this
IDS = tasks("ch2")
HEADER = "from crmlab import clv\nfrom crmlab.exercises import check, given\n"
EX1 = "present_values = [200 / 1.08 ** t for t in (1, 2, 3)]\ncheck(\"ch2.ex1\", present_values)"
EX3 = "clv_ex3 = 600 * 0.8 / (1 + 0.10 - 0.8)\ncheck(\"ch2.ex3\", clv_ex3)"
EX3_SLIP = "clv_ex3 = 600 / (1 + 0.10 - 0.8)\ncheck(\"ch2.ex3\", clv_ex3)"   # forgot r
EX8 = ("gain = clv.retention_clv(500, 0.8, 0.10) - clv.retention_clv(500, 0.7, 0.10)\n"
       "check(\"ch2.ex8\", gain)")


def notebook(path, *cells, raw=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        path.write_bytes(raw)
        return path
    data = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                       "execution_count": None, "source": c} for c in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outside")
    (folder / "victim.txt").write_text("keep me")
    (folder / "victim_dir").mkdir()
    (folder / "victim_dir" / "a.txt").write_text("keep me too")
    return folder


@pytest.fixture(scope="module")
def klass(tmp_path_factory, outside):
    root = tmp_path_factory.mktemp("class")
    sub = root / "submissions"
    notebook(sub / "right.ipynb", raw=(ROOT / "solutions" / "02_clv_exercises.ipynb").read_bytes())
    notebook(sub / "slip.ipynb", HEADER, EX1, EX3_SLIP)
    notebook(sub / "liar.ipynb", HEADER, "check = lambda *args: print('✅ 正确！') or True",
             "clv_ex3 = 1\ncheck(\"ch2.ex3\", clv_ex3)")
    notebook(sub / "loop.ipynb", HEADER, EX1, "while True:\n    pass", EX3)
    notebook(sub / "hog.ipynb", HEADER, EX1,
             "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 2 ** 20))", EX3)
    notebook(sub / "forkbomb.ipynb", HEADER, "import os\nwhile True:\n    os.fork()",
             "import subprocess\nsubprocess.run(['sleep', '100'])",
             "import ctypes\nctypes.CDLL(None).getpid()",
             "import ctypes\nctypes.pythonapi.getpid()",
             "import _posixsubprocess\n_posixsubprocess.fork_exec()",
             "import importlib.util as u\nu.module_from_spec(u.find_spec('_posixsubprocess'))",
             EX3)
    notebook(sub / "vandal.ipynb", HEADER,
             f"open({str(outside / 'planted.txt')!r}, 'w').write('x')",
             f"import os\nos.remove({str(outside / 'victim.txt')!r})",
             f"import shutil\nshutil.rmtree({str(outside / 'victim_dir')!r})",
             "open('scratch.txt', 'w').write('mine')\nimport os\nos.remove('scratch.txt')", EX3)
    notebook(sub / "quitter.ipynb", HEADER, EX1, "import sys\nsys.exit(1)", EX3)
    notebook(sub / "hard_exit.ipynb", HEADER, EX1, "import os\nos._exit(3)", EX3)
    notebook(sub / "cheat.ipynb", HEADER, "from crmlab.exercises import expected_answer",
             "clv_ex3 = expected_answer('ch2.ex3')\ncheck(\"ch2.ex3\", clv_ex3)")
    notebook(sub / "peek.ipynb", HEADER,
             f"text = open({str(sub / 'right.ipynb')!r}).read()",
             f"import os\nnames = os.listdir({str(sub)!r})",
             f"sol = open({str(ROOT / 'solutions' / '02_clv_exercises.ipynb')!r}).read()",
             "import os\nneighbours = os.listdir('..')",
             "import os\nclean = 'PYTEST_CURRENT_TEST' not in os.environ and os.listdir('.') == "
             "['submission.ipynb', '.matplotlib'] or sorted(os.listdir('.')) == "
             "['.matplotlib', 'submission.ipynb']\ncheck('ch2.ex8', 458.33 if clean else 0)",
             EX3)
    notebook(sub / "shapes.ipynb", HEADER,
             "import numpy as np\npv = np.array([200 / 1.08 ** t for t in (1, 2, 3)])\n"
             "check(\"ch2.ex1\", pv)",
             "clv_ex2 = float('nan')\ncheck(\"ch2.ex2\", clv_ex2)",
             "clv_ex3 = lambda: 1600\ncheck('ch2.ex3', clv_ex3)",
             "import pandas as pd\nclv_ex4 = pd.Series([297.45])\ncheck(\"ch2.ex4\", clv_ex4)",
             "gain = [458.33]\nfrom crmlab.exercises import check as c\n"
             "c(\"ch2.ex8\", answer=gain)")
    notebook(sub / "typo.ipynb", HEADER, EX1, "clv_ex2 = (1017\ncheck(\"ch2.ex2\", clv_ex2)",
             "clv_ex3 = undefined_name\ncheck(\"ch2.ex3\", clv_ex3)", "%matplotlib inline\n" + EX8)
    notebook(sub / "alice" / "02_clv_exercises.ipynb", HEADER, EX3)
    notebook(sub / "mallory" / "02_clv_exercises.ipynb", "student = 'alice'", HEADER, EX1)
    notebook(sub / "named.ipynb", '学号 = "2026001"\n姓名 = "张三"', HEADER, EX3)
    notebook(sub / "corrupt.ipynb", raw=b'{"cells": [{"cell_type": "code", "sou')
    notebook(sub / "zero.ipynb", raw=b"")
    # what the grader itself parses: nesting, sizes and types a hostile file may choose
    notebook(sub / "deep_json.ipynb", raw=b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    notebook(sub / "huge_cell.ipynb", HEADER, "x = " + "1+" * 60_000 + "1")
    notebook(sub / "numbers.ipynb", raw=b'{"cells": [{"cell_type": "code", "source": [1, 2]}]}')
    notebook(sub / "deep_expr.ipynb", HEADER, EX1, "x = " + "-" * 50_000 + "1")
    notebook(sub / "no_cells.ipynb")
    notebook(sub / "other_chapter.ipynb",
             raw=(ROOT / "solutions" / "03_customer_value_exercises.ipynb").read_bytes())
    (sub / "notes.txt").write_text("not a notebook")
    (sub / ".ipynb_checkpoints").mkdir()
    notebook(sub / ".ipynb_checkpoints" / "right-checkpoint.ipynb", HEADER)
    out = root / "gradebook"
    book = grade(sub, "ch2", out=out, timeout=TIMEOUT, memory_mb=768)
    return {"book": book, "out": out, "sub": sub,
            "by": {s.file.split("/")[0].removesuffix(".ipynb"): s for s in book.submissions}}


def status(klass, who, k):
    return klass["by"][who].results[IDS[k - 1]].status


def flags(klass, who):
    return " ".join(klass["by"][who].flags)


def test_the_solution_gets_every_task_and_its_total(klass):
    right = klass["by"]["right"]
    assert {r.status for r in right.results.values()} == {"correct"}
    assert right.total == len(IDS) and not right.flags


def test_a_slip_is_named_by_its_hint(klass):
    assert status(klass, "slip", 1) == "correct"
    hints = [h for _, h in get_task(IDS[2]).slips]
    assert klass["by"]["slip"].results[IDS[2]].hint in hints
    assert status(klass, "slip", 2) == "unanswered"
    assert hints[0] in (klass["out"] / "report.html").read_text(encoding="utf-8")


def test_redefined_check_is_not_trusted(klass):
    assert status(klass, "liar", 3) == "wrong"
    assert "重新定义了 check" in flags(klass, "liar")


def test_infinite_loop_times_out_and_keeps_earlier_answers(klass):
    assert status(klass, "loop", 1) == "correct"
    assert status(klass, "loop", 3) == "timeout"
    assert "超时" in flags(klass, "loop")
    assert klass["by"]["loop"].seconds < TIMEOUT + 3


def test_memory_hog_is_stopped_and_the_rest_graded(klass):
    assert status(klass, "hog", 1) == "correct"
    assert status(klass, "hog", 3) in ("correct", "timeout")   # timeout only if the box is slow
    assert "内存超限" in flags(klass, "hog") or "超时" in flags(klass, "hog")


def test_fork_and_subprocess_are_refused(klass):
    assert status(klass, "forkbomb", 3) == "correct"
    assert "试图启动新进程" in flags(klass, "forkbomb")
    assert "ctypes.dlopen" in flags(klass, "forkbomb")
    assert "ctypes.dlsym" in flags(klass, "forkbomb")
    assert "_posixsubprocess.fork_exec" in flags(klass, "forkbomb")
    assert "import _posixsubprocess" in flags(klass, "forkbomb")


def test_writes_and_deletes_outside_the_folder_are_refused(klass, outside):
    assert not (outside / "planted.txt").exists()
    assert (outside / "victim.txt").read_text() == "keep me"
    assert (outside / "victim_dir" / "a.txt").exists()
    text = flags(klass, "vandal")
    assert "写入" in text and "删除" in text
    assert status(klass, "vandal", 3) == "correct"        # its own folder is fine
    assert "scratch.txt" not in text


def test_sys_exit_is_recorded_and_the_next_cells_run(klass):
    assert status(klass, "quitter", 3) == "correct"
    assert "sys.exit" in flags(klass, "quitter")


def test_os_exit_keeps_answers_given_before(klass):
    assert status(klass, "hard_exit", 1) == "correct"
    assert status(klass, "hard_exit", 3) == "error"
    assert "提前退出" in flags(klass, "hard_exit")


def test_reading_expected_answers_is_flagged(klass):
    assert "expected_answer" in flags(klass, "cheat")
    assert "运行时调用 expected_answer" in flags(klass, "cheat")


def test_other_submissions_and_solutions_cannot_be_read(klass):
    text = flags(klass, "peek")
    assert text.count("试图读取") == 3                     # file, folder, solutions
    assert status(klass, "peek", 3) == "correct"
    assert status(klass, "peek", 8) == "correct"            # scrubbed environment, empty folder


def test_answers_of_every_shape_cross_as_plain_data(klass):
    assert status(klass, "shapes", 1) == "correct"          # numpy array
    assert status(klass, "shapes", 2) == "wrong"            # NaN: a format slip
    assert status(klass, "shapes", 3) == "wrong"            # a function
    assert status(klass, "shapes", 4) == "correct"          # one-element Series
    assert status(klass, "shapes", 8) == "correct"          # list of one, aliased check, keyword


def test_errors_in_cells_are_errors_of_their_task(klass):
    assert status(klass, "typo", 1) == "correct"
    assert status(klass, "typo", 2) == "error"              # syntax error
    assert "NameError" in klass["by"]["typo"].results[IDS[2]].message
    assert status(klass, "typo", 8) == "correct"            # magics are skipped


def test_students_named_by_folder_and_name_cell(klass):
    students = {s.student for s in klass["book"].submissions}
    assert "alice" in students and "2026001_张三" in students


def test_bad_files_get_a_line_never_a_crash(klass):
    problems = dict(klass["book"].problems)
    assert "JSON" in problems["corrupt.ipynb"]
    assert "空" in problems["zero.ipynb"]
    assert "没有代码格" in problems["no_cells.ipynb"]
    assert "ch3" in problems["other_chapter.ipynb"]
    assert "不是 notebook" in problems["notes.txt"]
    assert "JSON" in problems["deep_json.ipynb"]
    assert "代码过长" in problems["huge_cell.ipynb"]
    assert "source" in problems["numbers.ipynb"]
    assert status(klass, "deep_expr", 1) == "correct"        # only its deep cell fails
    assert status(klass, "corrupt", 1) == "error"
    assert status(klass, "no_cells", 1) == "unanswered"
    assert "other_chapter" not in klass["by"] and not any(
        "checkpoint" in s.file for s in klass["book"].submissions)


def test_grades_csv_has_one_row_per_student(klass):
    with open(klass["out"] / "grades.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["student"] for r in rows] == sorted(r["student"] for r in rows)
    assert list(rows[0]) == ["student", "file", *IDS, "total"]
    # a name cell may claim a classmate's name: the hand-in's file tells the two apart
    claimed = {r["file"]: r["ch2.ex1"] for r in rows if r["student"].startswith("alice")}
    assert claimed == {"alice/02_clv_exercises.ipynb": "unanswered",
                       "mallory/02_clv_exercises.ipynb": "correct"}
    for row in rows:
        assert {row[t] for t in IDS} <= {"correct", "wrong", "unanswered", "error", "timeout"}
        assert int(row["total"]) == sum(row[t] == "correct" for t in IDS)
    assert len(rows) == len(klass["book"].submissions)


def test_report_and_feedback_files(klass):
    report = (klass["out"] / "report.html").read_text(encoding="utf-8")
    assert "<svg" in report and "需要帮助的学生" in report and "各题正确率" in report
    assert "hard_exit" in report and "corrupt.ipynb" in report
    feedback = sorted((klass["out"] / "feedback").glob("*.md"))
    assert len(feedback) == len(klass["book"].submissions)
    slip = (klass["out"] / "feedback" / "slip.md").read_text(encoding="utf-8")
    assert "ch2.ex3" in slip and "❌" in slip and "提示" in slip


# --- a small, fast class: determinism, zip, spawn mode, the command line --------------

@pytest.fixture(scope="module")
def small(tmp_path_factory):
    sub = tmp_path_factory.mktemp("small") / "submissions"
    notebook(sub / "a.ipynb", HEADER, EX1, EX3,
             "clv_ex2 = {}[object()]   # KeyError naming an object's address\n"
             "check('ch2.ex2', clv_ex2)")
    notebook(sub / "b" / "x.ipynb", HEADER, EX3_SLIP, EX8)
    notebook(sub / "c.ipynb", raw=b"garbage")
    return sub


def test_rerun_gives_byte_identical_files(small, tmp_path):
    grade(small, "ch2", out=tmp_path / "one", timeout=20)
    grade(small, "ch2", out=tmp_path / "two", timeout=20, jobs=1)
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    assert one == two and len(one) == 6
    for path in one:
        if (tmp_path / "one" / path).is_file():
            assert (tmp_path / "one" / path).read_bytes() == (tmp_path / "two" / path).read_bytes()


def test_a_zip_grades_like_the_folder_and_skips_unsafe_paths(small, tmp_path):
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(small.rglob("*")):
            if path.is_file():
                bundle.write(path, "class/" + path.relative_to(small).as_posix())
        bundle.writestr("../evil.ipynb", "{}")
    from_zip = grade(archive, "ch2", out=None, timeout=20)
    from_folder = grade(small, "ch2", out=None, timeout=20)
    assert [(s.total, sorted(s.results.items())) for s in from_zip.submissions] == \
        [(s.total, sorted(s.results.items())) for s in from_folder.submissions]
    assert any("不安全" in why for _, why in from_zip.problems)
    assert not (tmp_path.parent / "evil.ipynb").exists()


def test_trusted_runs_agree_with_the_sandbox_and_say_so(small, tmp_path):
    from crmlab.grade._grading import grade_class

    sandboxed = grade_class(small, "ch2", timeout=20)
    spawned = grade_class(small, "ch2", timeout=20, fork=False, trusted=True)
    assert [sorted(s.results.items()) for s in sandboxed.submissions] == \
        [sorted(s.results.items()) for s in spawned.submissions]
    assert main([str(small), "--chapter", "ch2", "--out", str(tmp_path / "t"), "--trusted"]) == 0
    assert "未隔离运行：只适用于可信的提交" in (tmp_path / "t" / "report.html").read_text("utf-8")
    assert "未隔离运行" in (tmp_path / "t" / "feedback" / "a.md").read_text("utf-8")


def test_without_a_sandbox_the_grader_refuses_in_both_languages(small, tmp_path, monkeypatch,
                                                                 capsys):
    from crmlab.grade import _bwrap

    monkeypatch.setattr(_bwrap.shutil, "which", lambda name: None)
    assert main([str(small), "--chapter", "ch2", "--out", str(tmp_path / "gb")]) == 2
    message = capsys.readouterr().err
    assert "bubblewrap" in message and "--trusted" in message and "Docker" in message
    assert "无法建立评分沙箱" in message and "Cannot build the grading sandbox" in message


def test_a_bwrap_that_cannot_start_is_refused_never_bypassed(small, monkeypatch):
    from crmlab.grade import SandboxUnavailable, _bwrap

    monkeypatch.setattr(_bwrap.shutil, "which", lambda name: "/bin/false")
    with pytest.raises(SandboxUnavailable, match="--trusted"):
        grade(small, "ch2", out=None, timeout=20)


def test_command_line(small, tmp_path, capsys):
    assert main([str(small), "--chapter", "ch2", "--out", str(tmp_path / "gb"),
                 "--timeout", "20"]) == 0
    assert "已评分 3 份提交" in capsys.readouterr().out
    assert (tmp_path / "gb" / "report.html").exists()
    assert main([str(small), "--chapter", "ch99", "--out", str(tmp_path / "gb")]) == 2
    assert main([str(tmp_path / "missing"), "--chapter", "ch2"]) == 2


@pytest.mark.parametrize("kwargs", [
    {"timeout": 0}, {"timeout": "60"}, {"timeout": float("nan")}, {"memory_mb": 10},
    {"jobs": 0}, {"trusted": "no"}, {"trusted": 1}, {"backend": "lxc"}])
def test_bad_settings_are_refused(small, kwargs):
    # trusted="no" must never be read as True (that would grade outside the sandbox)
    (name,) = kwargs
    with pytest.raises((ValueError, TypeError), match=f"^[^ -~].*{name}=.*{name}="):
        grade(small, "ch2", out=None, **kwargs)


# --- pieces ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    1.5, float("nan"), -float("inf"), 3, True, None, "文字", ..., (1, 2), [1.0, [2, "x"]],
    {"A": 1.0, 2: "b"}, {1, 2}, np.float64(80.0), np.int64(3), np.array([[1.0, 2.0]]),
    pd.Series([1.0, 2.5], index=["a", "b"], name="s"),
    pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}),
])
def test_values_round_trip_through_json(value):
    plain = json.loads(json.dumps(to_plain(value), allow_nan=False))
    back = from_plain(plain)
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(back, value)
    elif isinstance(value, np.ndarray):
        np.testing.assert_array_equal(back, value)
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value.item() if isinstance(
            value, np.generic) else value)


def test_unknown_objects_arrive_opaque_and_big_lists_are_cut():
    assert isinstance(from_plain(to_plain(object())), Opaque)
    assert len(from_plain(to_plain(list(range(50_000))))) == 10_001
    assert isinstance(from_plain({"forged": 1}), Opaque)


def test_task_cells_are_found_with_ast(tmp_path):
    path = notebook(tmp_path / "n.ipynb", HEADER, "# check(\"ch2.ex5\", x) in a comment\n"
                    "s = 'check(\"ch2.ex6\", x)'", "if check('ch2.ex2', 1): pass",
                    "from crmlab.exercises import check as judge\njudge('ch2.ex4', answer=3)",
                    "student = \"李四\"")
    parsed = parse_notebook(path)
    assert parsed.task_cells == {"ch2.ex2": [2], "ch2.ex4": [3]}
    assert parsed.student == "李四"
    assert not parsed.internals and not parsed.redefines_check



def test_the_whole_session_is_killed_even_other_process_groups():
    import subprocess
    import time

    from crmlab.grade._sandbox import _kill_session, _session_members

    shell = subprocess.Popen(["sh", "-c", "set -m; sleep 60 & sleep 60 & wait"],
                             start_new_session=True)
    deadline = time.monotonic() + 10
    while len(_session_members(shell.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_session_members(shell.pid)) == 3
    _kill_session(shell.pid)
    shell.wait()
    assert _session_members(shell.pid) == []


def test_a_fork_bomb_that_gets_through_is_killed_by_the_watchdog(tmp_path, monkeypatch):
    from crmlab.grade import _sandbox

    # pretend the session holds 20 processes (all the child itself, so kills stay local)
    monkeypatch.setattr(_sandbox, "_session_members", lambda session: [session] * 20)
    path = notebook(tmp_path / "bomb.ipynb", "while True:\n    pass")
    scratch = tmp_path / "runs"
    scratch.mkdir()
    run = _sandbox.run_submission(path, ["while True:\n    pass"], "ch2", timeout=30,
                                  memory_mb=1024, forbidden=[], scratch=scratch)
    assert run.outcome == "crashed" and "fork 炸弹" in run.detail
    assert run.seconds < 10
    assert _sandbox._user_tasks(os.geteuid()) >= 1


def test_a_gradebook_inside_the_submissions_folder_is_not_graded(small, tmp_path):
    import shutil

    folder = tmp_path / "sub"
    shutil.copytree(small, folder)
    first = grade(folder, "ch2", out=folder / "gradebook", timeout=20)
    second = grade(folder, "ch2", out=folder / "gradebook", timeout=20)
    assert first.problems == second.problems and len(second.submissions) == 3


def test_format_slips_show_an_example_and_names_cannot_be_formulas(klass):
    from crmlab.grade._report import _cell

    report = (klass["out"] / "report.html").read_text(encoding="utf-8")
    assert "答案的类型或格式不对（例如：答案格式不对" in report
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("张三") == "张三"


def test_each_run_is_graded_before_the_next_so_answers_never_pile_up(tmp_path, monkeypatch):
    """A run may carry ~32 MiB of answers: the grader keeps one per worker, not the class."""
    import gc
    import weakref

    from crmlab.grade import _grading
    from crmlab.grade._sandbox import Run

    class NoServer:
        def __init__(self, *args, **kwargs):
            pass

        def close(self):
            pass

    runs: list[weakref.ref] = []
    most = []

    def fake_run(*args, **kwargs):
        gc.collect()
        most.append(sum(ref() is not None for ref in runs))
        run = Run(answers={"ch2.ex1": [0.0] * 100_000}, outcome="finished")
        runs.append(weakref.ref(run))
        return run

    monkeypatch.setattr(_grading, "ForkServer", NoServer)
    monkeypatch.setattr(_grading, "run_submission", fake_run)
    for i in range(6):
        notebook(tmp_path / "sub" / f"s{i}.ipynb", "from crmlab.exercises import check",
                 "check('ch2.ex1', [1])")
    book = grade(tmp_path / "sub", "ch2", out=None, timeout=20, jobs=1)
    assert most == [0] * 6
    assert [s.results["ch2.ex1"].status for s in book.submissions] == ["wrong"] * 6


def test_the_course_s_own_helper_import_is_not_flagged(tmp_path):
    """ch7's exercise notebook imports ``query``: honest students are not sent to review."""
    helper = parse_notebook(notebook(tmp_path / "a.ipynb",
                                     "from crmlab.exercises.ch7 import query"))
    assert helper.internals == []
    for source in ("from crmlab.exercises.ch7 import query, _ANSWERS",
                   "from crmlab.exercises.ch2 import query", "import crmlab.exercises.ch7"):
        assert parse_notebook(notebook(tmp_path / "b.ipynb", source)).internals, source
