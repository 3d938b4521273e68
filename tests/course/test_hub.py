"""The class server (deploy/, `make hub`): roster, hand-in, and the whole class in a browser.

The end-to-end test starts JupyterHub for a two-student roster on 127.0.0.1 and drives
Debian's chromium: first-use passwords, Chinese JupyterLab, an exercise answered and
checked, `handin("ch2")`, the operating system keeping student B out of A's files, the
lecturer grading the exchange and returning feedback, a course update that keeps the
answers. It needs Linux, root, Debian's python3-venv, configurable-http-proxy and
chromium (.ci/run installs them); it is skipped elsewhere, never in CI.
"""

from __future__ import annotations

import csv
import getpass
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests import _web
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import hub  # noqa: E402

from crmlab.handin import handin  # noqa: E402

IDS = ("22990001", "22990002")          # all digits: accounts s22990001, s22990002
NAMES = ("测试甲", "测试乙")
LECTURER = "crmlab-t22"
PASSWORDS = ("jia-password-1", "yi-password-2")
SHOTS = ROOT / "build" / "screenshots"
ANSWER = 'present_values = [185.19, 171.47, 158.77]\ncheck("ch2.ex1", present_values)'
WRONG = 'present_values = [200, 200, 200]\ncheck("ch2.ex1", present_values)'
HANDIN = 'from crmlab.handin import handin\nhandin("ch2")'


# --------------------------------------------------------------------------- roster

def _roster(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "class.csv"
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_roster_maps_student_ids_to_accounts(tmp_path):
    students = hub.read_roster(_roster(tmp_path, "学号,姓名\n2023001,张三\n\nli_si,李四\n"))
    assert [(s["id"], s["name"], s["account"]) for s in students] == [
        ("2023001", "张三", "s2023001"), ("li_si", "李四", "li_si")]
    assert hub.account_name("AB-12") == "sab-12"
    assert hub.account_name("root") == "sroot"  # never an existing system account


@pytest.mark.parametrize("text, message", [
    ("id,姓\n1,a\n", "学号,姓名"),
    ("学号,姓名\n2023001,张三\n2023001,李四\n", "第 3 行的学号 '2023001' 与第 2 行重复"),
    ("学号,姓名\n20 23,张三\n", "只能包含字母、数字"),
    ("学号,姓名\n,张三\n", "第 2 行没有学号"),
    ("学号,姓名\n", "没有学生"),
])
def test_roster_errors_name_the_line(tmp_path, text, message):
    with pytest.raises(hub.HubError, match=message):
        hub.read_roster(_roster(tmp_path, text))


def test_hub_command_without_roster_explains(capsys):
    assert hub.main(["start", "--dry-run"]) == 2
    assert "--roster" in capsys.readouterr().err


def test_hub_script_uses_the_standard_library_only():
    # it runs with whatever python3 the server has, before any environment exists
    import ast

    tree = ast.parse((ROOT / "deploy" / "hub.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_deadlines_need_a_time_zone(tmp_path):
    path = tmp_path / "deadlines.csv"
    path.write_text("chapter,deadline\nch2,2026-12-20T23:59\n", encoding="utf-8")
    with pytest.raises(hub.HubError, match="时区"):
        hub._check_deadlines(path)


# --------------------------------------------------------------------------- handin

@pytest.fixture
def class_folders(tmp_path):
    (tmp_path / "workspace").mkdir()
    (tmp_path / "exchange" / getpass.getuser()).mkdir(parents=True)
    notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "workspace" / "02_clv_exercises.ipynb").write_text(json.dumps(notebook))
    return tmp_path


def test_handin_records_deadline_and_lateness(class_folders):
    deadlines = class_folders / "deadlines.csv"
    deadlines.write_text("chapter,deadline\nch2,2000-01-01T00:00+08:00\n", encoding="utf-8")
    receipt = handin(2, workspace=class_folders / "workspace",
                     exchange=class_folders / "exchange", deadlines=deadlines)
    again = handin("CH2", workspace=class_folders / "workspace",
                   exchange=class_folders / "exchange", deadlines=deadlines)
    assert receipt.path != again.path and receipt.path.parent == again.path.parent
    assert receipt.path.read_bytes() == (class_folders / "workspace" /
                                         "02_clv_exercises.ipynb").read_bytes()
    assert receipt.late.days > 9000 and "迟交" in str(receipt)


@pytest.mark.parametrize("chapter, error, message", [
    (None, TypeError, "应写成 \"ch2\" 这样的文字"),
    (True, TypeError, "应写成"),
    ("ch12", ValueError, "看不懂"),
    ("ch3", ValueError, "找不到第 3 章的练习"),
])
def test_handin_bad_chapter(class_folders, chapter, error, message):
    with pytest.raises(error, match=message):
        handin(chapter, workspace=class_folders / "workspace",
               exchange=class_folders / "exchange")


def test_handin_without_class_server(class_folders, monkeypatch):
    monkeypatch.delenv("CRMLAB_EXCHANGE", raising=False)
    with pytest.raises(ValueError, match="只在班级服务器上使用.*class server"):
        handin("ch2", workspace=class_folders / "workspace")
    (class_folders / "workspace" / "02_clv_exercises.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="不是完整的 notebook"):
        handin("ch2", workspace=class_folders / "workspace",
               exchange=class_folders / "exchange")


# --------------------------------------------------------------------------- Kubernetes

def test_zero_to_jupyterhub_values_and_image_use_the_pins():
    values = yaml.safe_load((ROOT / "deploy" / "z2jh" / "values.yaml").read_text("utf-8"))
    assert set(values) <= {"hub", "proxy", "singleuser", "scheduling", "cull", "prePuller",
                           "ingress", "debug"}
    auth = values["hub"]["config"]
    assert auth["JupyterHub"]["authenticator_class"] == "firstuse"
    assert auth["FirstUseAuthenticator"]["create_users"] is False
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    single = values["singleuser"]
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert single["defaultUrl"].startswith("/lab/tree/course/")
    image = single["image"]["name"] + ":" + single["image"]["tag"]
    assert single["image"]["tag"] != "latest", image
    for snippet in values["hub"].get("extraConfig", {}).values():
        compile(snippet, "extraConfig", "exec")  # the Python the hub runs parses
    dockerfile = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text("utf-8")
    assert "-c constraints.txt" in dockerfile and "setup_lab.py" in dockerfile
    assert "FROM python:3.11" in dockerfile and "USER ${NB_USER}" in dockerfile
    pins = dict(line.split("==")[:2] for line in (ROOT / "constraints.txt").read_text()
                .splitlines() if "==" in line and ";" not in line)
    assert f"jupyterhub=={pins['jupyterhub']}" in dockerfile  # the hub's own version


# --------------------------------------------------------------------------- end to end

def _requirements() -> str | None:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return "needs Linux and root (creates system accounts)"
    for tool in ("configurable-http-proxy", "useradd"):
        if shutil.which(tool) is None:
            return f"{tool} not installed (.ci/run installs it)"
    if subprocess.run([hub.SYSTEM_PYTHON, "-c", "import ensurepip"],
                      capture_output=True).returncode:
        return "Debian's python3-venv not installed"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pids_of(uids: set[int]) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    found.append(int(entry.name))
            except FileNotFoundError:
                pass
    return found


def _login(page, base: str, student_id: str, password: str) -> None:
    page.goto(f"{base}/hub/login")
    page.fill("#username_input", student_id)
    page.fill("#password_input", password)
    page.click("#login_submit")


def _accept_kernel_dialog(page) -> None:
    """On a busy server JupyterLab may open the notebook before it has the kernel list and
    ask "选择内核" (Python 3 preselected): a student presses 选择, and so does the test."""
    dialog = page.locator(".jp-Dialog")
    try:
        dialog.wait_for(timeout=2_000)
    except Exception:
        return
    dialog.locator(".jp-mod-accept").click()
    dialog.wait_for(state="detached", timeout=30_000)


def _answer_and_hand_in(page, base: str, account: str, answer: str, tag: str) -> None:
    # ?reset: a fresh layout with only this notebook open
    page.goto(f"{base}/user/{account}/lab/tree/workspace/02_clv_exercises.ipynb?reset")
    cells = page.locator(".jp-NotebookPanel:visible .jp-CodeCell")
    cells.first.wait_for(timeout=90_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=90_000)
    prompt = cells.first.locator(".jp-InputPrompt")
    for _ in range(3):                                       # the imports, until they run
        _accept_kernel_dialog(page)
        cells.first.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function("p => /\\[(\\*|\\d+)\\]/.test(p.textContent)",
                                   arg=prompt.element_handle(), timeout=20_000)
            break
        except Exception:
            continue
    task = page.locator(".jp-NotebookPanel:visible .jp-CodeCell").filter(
        has_text='check("ch2.ex1"')
    task.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(answer)
    page.keyboard.press("Shift+Enter")
    mark = "✅" if answer == ANSWER else "❌"
    task.locator(".jp-OutputArea-output").filter(has_text=mark).wait_for(timeout=90_000)
    task.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"hub-{tag}-check.png"))
    page.keyboard.press("Escape")
    page.keyboard.press("b")                                 # a new cell below
    page.keyboard.press("Enter")
    page.keyboard.insert_text(HANDIN)
    dirty = page.locator(".lm-TabBar-tab.jp-mod-dirty")
    dirty.first.wait_for()
    page.keyboard.press("Control+s")                         # hand in what is saved
    dirty.first.wait_for(state="detached", timeout=30_000)
    page.keyboard.press("Shift+Enter")
    receipt = page.locator(".jp-OutputArea-output").filter(has_text="已提交 ch2")
    receipt.wait_for(timeout=60_000)
    assert "迟交" in receipt.inner_text()
    page.screenshot(path=str(SHOTS / f"hub-{tag}-handin.png"))


def _course_update(new_root: Path) -> None:
    """A new version of the course: exercise 2 changed, a new exercises notebook."""
    for tree in hub.COURSE_TREES:
        shutil.copytree(ROOT / tree, new_root / tree,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, new_root / name)
    changed = new_root / "exercises" / "02_clv_exercises.ipynb"
    notebook = json.loads(changed.read_text("utf-8"))
    notebook["cells"].insert(0, {"cell_type": "markdown", "metadata": {},
                                 "source": "课程更新 2026-12（测试）"})
    changed.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    shutil.copy2(changed, new_root / "exercises" / "08_update_exercises.ipynb")


def _as(account: str, code: str) -> subprocess.CompletedProcess:
    user = pwd.getpwnam(account)
    return subprocess.run([hub.SYSTEM_PYTHON, "-c", code], user=user.pw_uid,
                          group=user.pw_gid, extra_groups=[], cwd="/", capture_output=True,
                          text=True, env={"HOME": user.pw_dir, "PATH": "/usr/bin:/bin"})


def _course(*args: str, root: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "course.py"), "--root", str(root),
                           "hub", *args], capture_output=True, text=True, timeout=600,
                          **kwargs)


@pytest.mark.slow
def test_a_class_on_the_hub(tmp_path):
    missing = _requirements()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    chromium = _web.chromium_path()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    state = Path(tempfile.mkdtemp(prefix="crmlab-hub-test-"))
    os.chmod(state, 0o755)
    rows = "".join(f"{i},{n}\n" for i, n in zip(IDS, NAMES, strict=True))
    roster = _roster(tmp_path, "学号,姓名\n" + rows)
    deadlines = tmp_path / "deadlines.csv"
    deadlines.write_text("chapter,deadline\nch2,2026-01-01T08:00+08:00\n", encoding="utf-8")
    a, b = (hub.account_name(i) for i in IDS)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    common = ["--state", str(state), "--lecturer", LECTURER]
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "course.py"), "hub", "start", "--roster", str(roster),
         "--ip", "127.0.0.1", "--port", str(port), "--deadlines", str(deadlines),
         "--idle-timeout", "600", *common],
        stdout=open(tmp_path / "hub.log", "wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    uids: set[int] = set()
    try:
        deadline = time.monotonic() + 600   # the first run builds the venv (cached after)
        while True:
            try:
                urllib.request.urlopen(f"{base}/hub/health", timeout=5)
                break
            except OSError:
                log = (tmp_path / "hub.log").read_text(errors="replace")[-3000:]
                assert server.poll() is None, log
                assert time.monotonic() < deadline, log
                time.sleep(1)
        uids = {pwd.getpwnam(name).pw_uid for name in (a, b, LECTURER)}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            try:
                pages = _in_the_browser(browser, base, a, b)
                _isolation(state, a, b)
                _grade_and_return(state, tmp_path, common, a, b)
                _update(state, tmp_path, common, a)
                _seen_by_the_student(pages["A"], base, a)
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        gone_by = time.monotonic() + 30  # kernels finish shutting down after their server
        while _pids_of(uids) and time.monotonic() < gone_by:
            time.sleep(0.5)
        left = _pids_of(uids)
        for pid in left:  # a student's process the hub failed to stop: end it, then fail
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _course("remove", "--roster", str(roster), *common)
        hub.remove_account(LECTURER)
        shutil.rmtree(state, ignore_errors=True)
    assert left == [], f"students' processes still running after the hub stopped: {left}"
    assert all(hub._user(name) is None for name in (a, b, LECTURER)), "test accounts left"


def _in_the_browser(browser, base: str, a: str, b: str) -> dict:
    pages = {}
    for student_id, account, password, tag in zip(IDS, (a, b), PASSWORDS, "AB", strict=True):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(90_000)
        _login(page, base, student_id, password)              # first use: sets the password
        page.wait_for_url(f"**/user/{account}/lab/**", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="文件").wait_for()  # Chinese UI
        page.locator(".jp-MarkdownCell").first.wait_for()    # the overview notebook
        if tag == "A":
            page.screenshot(path=str(SHOTS / "hub-A-overview.png"))
        pages[tag] = page
    for tag, account, answer in (("A", a, ANSWER), ("B", b, WRONG)):
        try:
            _answer_and_hand_in(pages[tag], base, account, answer, tag)
        except Exception:
            pages[tag].screenshot(path=str(SHOTS / f"hub-{tag}-failed.png"))
            raise
    # B's browser cannot reach A's server or files
    for path in (f"/user/{a}/api/contents/workspace", f"/user/{a}/lab"):
        response = pages["B"].request.get(base + path, max_redirects=0)
        assert response.status in (302, 403), (path, response.status)
        assert "02_clv_exercises" not in response.text()
    # refused: a wrong password, a name not on the roster
    for student_id, password in ((IDS[0], "wrong-password-9"), ("22990009", "any-password-1")):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        _login(page, base, student_id, password)
        page.wait_for_load_state()
        assert "/hub/login" in page.url and "/user/" not in page.url
        assert page.locator("p.login_error").count() == 1
        page.screenshot(path=str(SHOTS / f"hub-refused-{student_id}.png"))
        context.close()
    return pages


def _isolation(state: Path, a: str, b: str) -> None:
    """What B's kernel could try, run as B: the operating system says no."""
    exchange = state / "exchange"
    attempts = {
        "A's workspace": f"open('/home/{a}/workspace/02_clv_exercises.ipynb')",
        "A's hand-in folder": f"import os; os.listdir('{exchange / a}')",
        "the list of hand-ins": f"import os; os.listdir('{exchange}')",
        "write into A's folder": f"open('{exchange / a / 'x.ipynb'}', 'w')",
        "change the course": f"open('{state / 'course' / 'crmlab' / 'handin.py'}', 'a')",
    }
    for what, code in attempts.items():
        result = _as(b, code)
        assert result.returncode != 0 and "PermissionError" in result.stderr, what
    own = _as(b, f"import os; print(os.listdir('{exchange / b / 'ch2'}'))")
    assert own.returncode == 0 and ".ipynb" in own.stdout
    # the spawner's process limits hold for A's server and kernel
    pids = _pids_of({pwd.getpwnam(a).pw_uid})
    assert len(pids) >= 2  # JupyterLab and the kernel
    for pid in pids:
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert re.search(rf"Max address space\s+{2048 * 2 ** 20}\s", limits), limits
        assert re.search(r"Max processes\s+256\s", limits), limits


def _grade_and_return(state: Path, tmp_path: Path, common: list[str], a: str, b: str) -> None:
    out = tmp_path / "gradebook"
    graded = _course("grade", "ch2", "--out", str(out), "--timeout", "120", *common)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    with open(out / "grades.csv", encoding="utf-8-sig") as handle:
        grades = {row["student"]: row for row in csv.DictReader(handle)}
    assert set(grades) == {a, b}
    assert (grades[a]["ch2.ex1"], grades[b]["ch2.ex1"]) == ("correct", "wrong")
    assert (grades[a]["total"], grades[b]["total"]) == ("1", "0")
    with open(out / "lateness.csv", encoding="utf-8") as handle:
        late = {row["student"]: row for row in csv.DictReader(handle)}
    assert int(late[a]["late_minutes"]) > 0 and late[a]["学号"] == IDS[0]
    returned = _course("return", "ch2", "--out", str(out), *common)
    assert returned.returncode == 0, returned.stdout + returned.stderr
    for account in (a, b):
        feedback = Path(f"/home/{account}/workspace/feedback_ch2.md")
        assert feedback.read_bytes() == (out / "feedback" / f"{account}.md").read_bytes()
        assert feedback.stat().st_uid == pwd.getpwnam(account).pw_uid


def _update(state: Path, tmp_path: Path, common: list[str], a: str) -> None:
    new_root = tmp_path / "course-v2"
    _course_update(new_root)
    updated = _course("update", *common, root=new_root)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    workspace = Path(f"/home/{a}/workspace")
    assert (workspace / "08_update_exercises.ipynb").exists()        # new exercise arrived
    assert "185.19" in (workspace / "02_clv_exercises.ipynb").read_text("utf-8")  # answer kept
    assert "课程更新" in (state / "course" / "exercises" / "02_clv_exercises.ipynb"
                      ).read_text("utf-8")


def _seen_by_the_student(page, base: str, a: str) -> None:
    """A's JupyterLab shows the returned feedback and the new exercise."""
    page.goto(f"{base}/user/{a}/lab/tree/workspace/feedback_ch2.md?reset")
    page.locator(".jp-FileEditor, .jp-RenderedMarkdown").filter(
        has_text="答对 1 / 9 题").first.wait_for()
    page.locator(".jp-DirListing-item", has_text="08_update_exercises").wait_for()
    page.screenshot(path=str(SHOTS / "hub-A-feedback.png"))
