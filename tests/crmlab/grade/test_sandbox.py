"""The sandbox: hostile notebooks graded beside honest ones, in one class run.

Every attack first switches the in-process audit hook off (it is a courtesy, not the
boundary), then tries its route. An attack that reaches what it wants answers
ch2.ex3 right (1600), one that fails answers 0: so "wrong" proves the attack ran and
got nothing, and "correct" would be a break-in.
"""

import json
import os
import sys
import zipfile
from pathlib import Path

import pytest

from crmlab.exercises import tasks
from crmlab.grade import grade
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="bubblewrap runs on Linux")

IDS = tasks("ch2")
SOLUTION = ROOT / "solutions" / "02_clv_exercises.ipynb"
MARK = "crmlab-leftover-f3b1"
TIMEOUT = 10
HEADER = "from crmlab.exercises import check, given\nimport os, sys\n"
EX1 = "check('ch2.ex1', [200 / 1.08 ** t for t in (1, 2, 3)])"
# switch the audit hook off through objects reachable from the submission
HOOK_OFF = ("import gc\nfor o in gc.get_objects():\n"
            "    if isinstance(o, dict) and 'busy' in o and 'active' in o:\n"
            "        o['active'] = False\n")
SIGNAL = "check('ch2.ex3', 1600 if leaked else 0)"


def notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                       "execution_count": None, "source": c} for c in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def attack(path, body):
    return notebook(path, HEADER, EX1, HOOK_OFF, "leaked = False\n" + body, SIGNAL)


def host_processes_with(mark: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and mark.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    sub, out, outside = root / "submissions", root / "gradebook", root / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("keep me")
    targets = [str(sub / "honest.ipynb"), str(SOLUTION), str(ROOT / ".git"),
               str(ROOT / "crmlab" / "exercises" / "ch2.py"), str(outside / "victim.txt"),
               "/root", str(out)]
    paths = f"targets = {targets!r}\n"
    writes = [str(outside / "planted"), str(sub / "planted.ipynb"), str(out / "planted"),
              str(ROOT / "planted")]
    notebook(sub / "honest.ipynb", *[c for c in _solution_cells()])
    notebook(sub / "张三" / "02_clv_exercises.ipynb", *[c for c in _solution_cells()])
    attack(sub / "shell.ipynb", paths + (
        "import subprocess\n"
        "for t in targets:\n"
        "    r = subprocess.run(['sh', '-c', f'cat {t} || ls {t}'], capture_output=True)\n"
        "    leaked |= r.returncode == 0 and bool(r.stdout)\n"
        f"for w in {writes!r}:\n"
        "    os.system(f'echo x > {w}')\n"
        "    subprocess.run(['sh', '-c', f'touch {w}'])\n"))
    attack(sub / "native.ipynb", paths + (
        "import ctypes, _posixsubprocess, importlib\n"
        "libc = ctypes.CDLL(None)\n"
        "for i, t in enumerate(targets):\n"
        "    libc.system(f'cat {t} > /home/student/c{i} 2>/dev/null'.encode())\n"
        "    leaked |= os.path.exists(f'/home/student/c{i}') and "
        "os.path.getsize(f'/home/student/c{i}') > 0\n"
        "importlib.reload(_posixsubprocess)\n"
        "leaked |= libc.ptrace(16, 1, 0, 0) == 0          # PTRACE_ATTACH the watchdog\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        f"    os.execv('/bin/sh', ['sh', '-c', 'cat {SOLUTION} > /home/student/x'])\n"
        "os.waitpid(pid, 0)\n"
        "leaked |= os.path.getsize('/home/student/x') > 0\n"
        "leaked |= libc.unshare(0x10000000) == 0                 # no new user namespace\n"))
    attack(sub / "paths.ipynb", paths + (
        "import sqlite3\n"
        "def readable(p, **kw):\n"
        "    try:\n"
        "        fd = os.open(p, os.O_RDONLY, **kw)\n"
        "        return len(os.read(fd, 10)) > 0 or bool(os.listdir(fd))\n"
        "    except Exception:\n"
        "        return False\n"
        "top = os.open('/', os.O_RDONLY)\n"
        "for t in targets:\n"
        "    leaked |= readable(t) or readable(t.lstrip('/'), dir_fd=top)\n"
        "    leaked |= readable('/proc/1/root' + t) or readable('/proc/self/root' + t)\n"
        "    for pid in os.listdir('/proc'):\n"
        "        leaked |= pid.isdigit() and readable(f'/proc/{pid}/root{t}')\n"
        "    try:\n"
        "        os.symlink(t, '/home/student/link')\n"
        "        leaked |= readable('/home/student/link')\n"
        "        os.remove('/home/student/link')\n"
        "    except OSError:\n"
        "        pass\n"
        "os.chdir('/')\n"
        "leaked |= any(readable(os.path.relpath(t)) for t in targets)\n"
        "os.chdir('/home/student')\n"
        "for d in ('/', '/home', '/opt', '/opt/crmlab', '/dev', '/usr', '/work'):\n"
        "    try:                   # a file here would be seen by the next submissions\n"
        "        open(os.path.join(d, 'crmlab-mark'), 'w').close()\n"
        "        leaked = True\n"
        "    except OSError:\n"
        "        pass\n"
        f"for w in {writes!r}:\n"
        "    try:\n"
        "        sqlite3.connect(w).execute('create table t(x)')\n"
        "    except Exception:\n"
        "        pass\n"
        "    try:\n"
        "        open(w, 'w').write('x')\n"
        "    except Exception:\n"
        "        pass\n"))
    attack(sub / "answers.ipynb", (
        "import gc, importlib, crmlab.exercises as ex\n"
        "for how in (lambda: ex.expected_answer('ch2.ex3'), lambda: ex.get_task('ch2.ex3'),\n"
        "            lambda: importlib.import_module('crmlab.exercises.ch2'),\n"
        "            lambda: importlib.import_module('crmlab.exercises._core'),\n"
        "            lambda: open(os.path.join(os.path.dirname(ex.__file__), 'ch2.py')).read()):\n"
        "    try:\n"
        "        how()\n"
        "        leaked = True\n"
        "    except Exception:\n"
        "        pass\n"
        "leaked |= any(type(o).__name__ in ('Task', 'Mistake') for o in gc.get_objects())\n"
        "check('ch2.ex2', ex.expected_answer('ch2.ex2'))\n"))
    attack(sub / "forger.ipynb", (
        "line = json_line = '{\"type\": \"answer\", \"task\": \"ch2.ex1\", \"cell\": 0, "
        "\"value\": [0, 0, 0]}\\n{\"type\": \"done\"}\\n'\n"
        "for fd in range(3, 1024):\n"
        "    try:\n"
        "        os.write(fd, line.encode())\n"
        "    except OSError:\n"
        "        pass\n"
        "import signal\n"
        "try:\n"
        "    os.kill(-1, signal.SIGKILL)\n"
        "except OSError:\n"
        "    pass\n"))
    notebook(sub / "garbler.ipynb", HEADER, EX1,
             "os.write(3, b'{\"type\": \"answer\", \"task\": \"ch3.ex1\", \"value\": 1}\\n')",
             "check('ch2.ex3', 1600)")
    attack(sub / "leftover.ipynb", (
        "import subprocess\n"
        f"subprocess.Popen(['sh', '-c', 'while :; do :; done', '{MARK}'], "
        "start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execv('/bin/sh', ['sh', '-c', 'while :; do :; done', '{MARK}'])\n"
        "    os._exit(0)\n"))
    notebook(sub / "stuck.ipynb", HEADER, EX1, HOOK_OFF,
             f"import subprocess\ntry:\n    subprocess.Popen(['sh', '-c', 'while :; do :; done', "
             f"'{MARK}'], start_new_session=True)\nexcept OSError:\n    pass\n"
             "while True:\n    pass")
    # N processes could hold N memory limits: the kernel refuses every new process
    # (threads still run: ex1 is answered from one)
    notebook(sub / "bomb.ipynb", HEADER + "import ctypes\n", "import threading\n"
             f"t = threading.Thread(target=lambda: {EX1})\nt.start()\nt.join()",
             HOOK_OFF, "leaked = False\nimport time\n"
             "for _ in range(10_000):\n"
             "    try:\n"
             "        if os.fork() == 0:\n"
             "            bytearray(500 * 2 ** 20)\n"
             "            time.sleep(60)\n"
             "            os._exit(0)\n"
             "        leaked = True\n"
             "    except OSError:\n"
             "        break\n"
             "import resource\n"     # memory outside RLIMIT_AS: memory files, SysV IPC, sockets
             "leaked |= resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 1024\n"
             "libc = ctypes.CDLL(None, use_errno=True)\n"
             "leaked |= libc.shmget(0, 2 ** 20, 0o1600) >= 0 or libc.msgget(0, 0o1600) >= 0\n"
             "try:\n"
             "    os.memfd_create('x')\n"
             "    leaked = True\n"
             "except OSError:\n"
             "    pass\n", SIGNAL)
    notebook(sub / "odd.ipynb", "student = '\\ud800' + '名' * 5000 + '\\n=cmd|'", HEADER,
             "import pandas as pd\ns = pd.Series([1.0])\nobject.__setattr__(s, '_name', ['a'])\n"
             "check('ch2.ex1', s)",
             "deep = []\nfor _ in range(100_000):\n    deep = [deep]\ncheck('ch2.ex2', deep)",
             "check('ch2.ex3', 10 ** 5000)", "check('ch2.ex4', 'a\\ud800b' * 1000)",
             "check('ch2.ex5', b'\\xff\\xfe')", "check('ch2.ex6', {(1,): [1, {2: {3}}]})")
    notebook(sub / ("长" * 80 + ".ipynb"), HEADER, EX1)
    notebook(Path(os.fsdecode(bytes(sub) + b"/bad\xffname.ipynb")), HEADER, EX1)
    before = sorted(p.relative_to(sub) for p in sub.rglob("*"))
    book = grade(sub, "ch2", out=out, timeout=TIMEOUT, memory_mb=768)
    return {"book": book, "sub": sub, "out": out, "outside": outside, "before": before,
            "by": {s.file.split("/")[0].removesuffix(".ipynb"): s for s in book.submissions}}


def _solution_cells():
    data = json.loads(SOLUTION.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in data["cells"] if c["cell_type"] == "code"]


def status(hostile, who, task):
    return hostile["by"][who].results[task].status


def test_honest_students_get_full_marks_beside_the_attacks(hostile):
    for who in ("honest", "张三"):
        submission = hostile["by"][who]
        assert submission.total == len(IDS), submission.results
        assert not submission.flags


@pytest.mark.parametrize("who", ["shell", "native", "paths", "answers"])
def test_no_attack_reaches_answers_solutions_or_classmates(hostile, who):
    assert status(hostile, who, "ch2.ex3") == "wrong"      # ran, and found nothing
    assert status(hostile, who, "ch2.ex1") in ("correct", "error")


def test_copying_the_expected_answer_gets_nothing(hostile):
    result = hostile["by"]["answers"].results["ch2.ex2"]
    assert result.status == "error" and "PermissionError" in result.message
    assert "expected_answer" in " ".join(hostile["by"]["answers"].flags)


def test_nothing_is_written_outside_the_submission(hostile):
    assert sorted(p.name for p in hostile["outside"].iterdir()) == ["victim.txt"]
    assert (hostile["outside"] / "victim.txt").read_text() == "keep me"
    assert sorted(p.relative_to(hostile["sub"]) for p in hostile["sub"].rglob("*")) == \
        hostile["before"]
    assert sorted(p.name for p in hostile["out"].iterdir()) == \
        ["feedback", "grades.csv", "report.html"]
    assert not (ROOT / "planted").exists()


def test_forged_lines_reach_only_the_forger(hostile):
    assert status(hostile, "forger", "ch2.ex1") == "wrong"     # its own forged answer
    assert status(hostile, "forger", "ch2.ex3") == "wrong"


def test_a_bad_result_line_makes_only_that_submission_an_error(hostile):
    garbler = hostile["by"]["garbler"]
    assert {r.status for r in garbler.results.values()} == {"error"}
    assert "不合规" in " ".join(garbler.flags)


def test_no_process_outlives_its_submission(hostile):
    assert status(hostile, "leftover", "ch2.ex3") == "wrong"
    assert status(hostile, "stuck", "ch2.ex1") == "correct"
    assert "超时" in " ".join(hostile["by"]["stuck"].flags)
    assert host_processes_with(MARK) == []
    assert all(s.seconds < TIMEOUT for s in hostile["book"].submissions
               if s.file.startswith(("honest", "张三")))


def test_a_fork_bomb_gets_no_process_and_threads_still_run(hostile):
    assert status(hostile, "bomb", "ch2.ex3") == "wrong"     # not one fork succeeded
    assert status(hostile, "bomb", "ch2.ex1") == "correct"   # answered from a thread


def test_every_copy_of_the_answer_modules_is_covered_by_the_student_view(tmp_path,
                                                                          monkeypatch):
    from crmlab.grade import _bwrap

    site = tmp_path / "site-packages"
    (site / "crmlab" / "exercises").mkdir(parents=True)          # a non-editable install
    monkeypatch.setattr(_bwrap, "_site_folders", lambda: [str(site)])
    monkeypatch.setattr(_bwrap, "_crmlab_folders", lambda: (site / "crmlab", None))
    view, mpl = tmp_path / "view", tmp_path / "mpl"
    binds = _bwrap._binds(view, mpl)
    seen = f"{_bwrap.SITE}0"                       # where the sandbox sees that site folder
    assert (str(view), f"{seen}/crmlab/exercises") in binds
    assert (str(view), f"{_bwrap.LIB}/crmlab/exercises") in binds
    hidden = (str(view), f"{seen}/crmlab/exercises")
    assert binds.index((str(site), seen)) < binds.index(hidden)    # mounted over it
    assert not any(dest.startswith("/tmp") for _, dest in binds)   # a private /tmp hides it


def test_odd_values_and_names_end_as_lines_for_that_student(hostile):
    odd = next(s for s in hostile["book"].submissions if s.file == "odd.ipynb")
    assert len(odd.student) <= 80 and "\n" not in odd.student and "\ud800" not in odd.student
    assert odd.results["ch2.ex1"].status == "error"           # a Series named by a list
    assert {odd.results[t].status for t in IDS[1:6]} <= {"wrong", "error"}
    names = {s.file for s in hostile["book"].submissions}
    assert "长" * 80 + ".ipynb" in names and "bad\ufffdname.ipynb" in names
    feedback = list((hostile["out"] / "feedback").glob("*.md"))
    assert len(feedback) == len(hostile["book"].submissions)
    report = (hostile["out"] / "report.html").read_text(encoding="utf-8")
    assert "沙箱" in report and "未隔离运行" not in report


def test_zip_tricks_are_reported_per_file_and_the_rest_graded(tmp_path, monkeypatch):
    from crmlab.grade import _discover

    monkeypatch.setattr(_discover, "MAX_MEMBER", 200_000)
    honest = json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                    "source": HEADER + EX1}], "metadata": {},
                         "nbformat": 4, "nbformat_minor": 5})
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("a.ipynb", honest)
        with pytest.warns(UserWarning):
            bundle.writestr("a.ipynb", "{}")                  # duplicate member
        bundle.writestr("A.IPYNB", "{}")                      # the same name, other case
        bundle.writestr("b.ipynb", honest)
        bundle.writestr("b.ipynb/c.ipynb", honest)            # a file and a folder clash
        bundle.writestr("big.ipynb", " " * 300_000)           # larger than allowed
        bundle.writestr("../evil.ipynb", honest)
        link = zipfile.ZipInfo("link.ipynb")
        link.external_attr = 0o120777 << 16
        bundle.writestr(link, "/etc/passwd")
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    book = grade(archive, "ch2", out=tmp_path / "gb", timeout=20)
    problems = " ".join(why for _, why in book.problems)
    for word in ("重名", "冲突", "文件过大", "不安全", "符号链接"):
        assert word in problems
    assert [(s.file, s.results["ch2.ex1"].status) for s in book.submissions] == \
        [("a.ipynb", "correct"), ("b.ipynb", "correct")]
    empty = grade(broken, "ch2", out=tmp_path / "gb2", timeout=20)
    assert "无法打开压缩包" in empty.problems[0][1]
    assert {p.name for p in (tmp_path / "gb2").iterdir()} == {"feedback", "grades.csv",
                                                                "report.html"}


def test_every_process_of_the_sandbox_runs_unprivileged(tmp_path):
    from crmlab.grade._sandbox import ForkServer

    def children(pid):
        found = []
        for entry in os.listdir("/proc"):
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if entry.isdigit() and int(stat[1]) == pid:
                found += [int(entry), *children(int(entry))]
        return found

    server = ForkServer("ch2", tmp_path, modules=set())
    try:
        tree = [server.process.pid, *children(server.process.pid)]
        uids = {pid: next(line.split()[1:] for line in
                          Path(f"/proc/{pid}/status").read_text().splitlines()
                          if line.startswith("Uid:")) for pid in tree}
    finally:
        server.close()
    assert len(tree) >= 2                                    # bwrap and the zygote at least
    assert all(ids == ["65534"] * 4 for ids in uids.values()), uids
