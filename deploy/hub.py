#!/usr/bin/env python3
"""The class server: the lecturer's commands (Linux, as root; standard library only).

    python course.py hub start --roster class.csv [--ip 0.0.0.0] [--port 8000]
                                  [--lecturer teacher] [--deadlines deadlines.csv]
                                  [--ssl-cert cert.pem --ssl-key key.pem]
    python course.py hub update                 copy the repository's course to the server;
                                                new exercises into every workspace (never
                                                overwriting a student's file)
    python course.py hub grade ch2              collect the exchange, grade it in the
                                                gradebook's sandbox (python -m crmlab.grade)
    python course.py hub return ch2             each student's feedback into their workspace
    python course.py hub remove --roster class.csv   delete the roster's accounts and homes

JupyterHub runs from a virtual environment on Debian's /usr/bin/python3 (every student
can read it; a pyenv under /root they could not), built once per constraints.txt and
reused. What lies where (``--state``, default /srv/crmlab):

    course/     the course, read-only (root): notebooks/, exercises/, datasets/, crmlab/
    exchange/   owned by the lecturer, mode 0711 (nobody can list it); one folder per
                student, owned by the student, group the lecturer, mode 2770 (the student
                and the lecturer only)
    hub/        JupyterHub's database, cookie secret and password hashes (root, 0700)
    deadlines.csv   chapter,deadline (ISO 8601 with time zone), read by ``handin``

Files are written into a student's home only by a process running as that student, so a
symbolic link a student plants cannot make root write elsewhere.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"
DEFAULT_STATE = Path("/srv/crmlab")
DEFAULT_VENVS = Path("/opt/crmlab")
COURSE_TREES = ("notebooks", "exercises", "datasets", "crmlab", "deploy")
ACCOUNT_MARK = "crmlab"          # GECOS comment of the accounts this tool created
ACCOUNT_RE = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
STUDENT_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,30}")
CHAPTER_RE = re.compile(r"ch[0-9]")
MAX_NOTEBOOK = 64 * 2 ** 20      # bytes read of one hand-in
ID_COLUMNS = ("学号", "student_id", "id")
NAME_COLUMNS = ("姓名", "name")


class HubError(Exception):
    """A problem the lecturer can fix; the message is Chinese, then English."""


# --------------------------------------------------------------------------- roster

def account_name(student_id: str) -> str:
    """The system account of a 学号: the 学号 itself when it is a valid Linux name, else
    ``s`` + the 学号 in lower case (Linux names cannot be all digits)."""
    text = student_id.strip()
    if ACCOUNT_RE.fullmatch(text) and text not in ("root", "nobody"):
        return text
    if STUDENT_ID_RE.fullmatch(text):
        return "s" + text.lower()
    raise HubError(f"学号 {student_id!r} 只能包含字母、数字、- 和 _（最多 30 个字符）。"
                   f" / student id {student_id!r} may contain only letters, digits, - and _"
                   " (at most 30 characters).")


def read_roster(path: Path) -> list[dict]:
    """The students of a roster CSV (columns 学号,姓名; UTF-8, Excel's BOM allowed)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise HubError(f"无法读取名单 {path}：{error} / cannot read roster {path}: {error}"
                       ) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    id_col = next((c for c in ID_COLUMNS if c in fields), None)
    name_col = next((c for c in NAME_COLUMNS if c in fields), None)
    if id_col is None or name_col is None:
        raise HubError(f"名单 {path} 的第一行应为列名“学号,姓名”，读到的是 {fields}。"
                       f" / roster {path} needs a header row '学号,姓名', found {fields}.")
    students, seen = [], {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if not any(row.values()):
            continue
        student_id, name = row.get(id_col, ""), row.get(name_col, "")
        if not student_id:
            raise HubError(f"名单 {path} 第 {line} 行没有学号。 / roster {path} line {line}"
                           " has no student id.")
        account = account_name(student_id)
        if account in seen:
            raise HubError(f"名单 {path} 第 {line} 行的学号 {student_id!r} 与第 {seen[account]}"
                           f" 行重复。 / roster {path} line {line}: student id {student_id!r}"
                           f" repeats line {seen[account]}.")
        seen[account] = line
        students.append({"id": student_id, "name": name, "account": account})
    if not students:
        raise HubError(f"名单 {path} 里没有学生。 / roster {path} lists no student.")
    return students


# --------------------------------------------------------------------------- accounts

def _user(name: str) -> pwd.struct_passwd | None:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def ensure_account(name: str, role: str) -> pwd.struct_passwd:
    """Create the system account ``name`` (home 0700, no password: login only through the
    hub), or reuse one this tool created; never take over someone else's account."""
    user = _user(name)
    if user is None:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash",
                        "--comment", f"{ACCOUNT_MARK} {role}", name], check=True)
        user = pwd.getpwnam(name)
    elif not user.pw_gecos.startswith(ACCOUNT_MARK):
        raise HubError(f"系统里已有账号 {name}，但不是本课程创建的；"
                       "请在名单里换一个学号或先处理该账号。"
                       f" / account {name} exists and was not made by crmlab; refusing to use it.")
    os.chmod(user.pw_dir, 0o700)
    return user


def remove_account(name: str) -> bool:
    """Delete an account this tool created, with its home; False when there was none."""
    user = _user(name)
    if user is None:
        return False
    if not user.pw_gecos.startswith(ACCOUNT_MARK):
        raise HubError(f"账号 {name} 不是本课程创建的，不删除。 / account {name} was not made by"
                       " crmlab; not removing it.")
    subprocess.run(["userdel", "--remove", name], check=True,
                   stderr=subprocess.DEVNULL)
    return True


def as_user(user: pwd.struct_passwd, command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run ``command`` as ``user`` (its own uid, gid and no other groups, in its home)."""
    env = {"HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name,
           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **kwargs.pop("env", {})}
    return subprocess.run(command, user=user.pw_uid, group=user.pw_gid, extra_groups=[],
                          umask=0o022, cwd=user.pw_dir, env=env, check=True, **kwargs)


# --------------------------------------------------------------------------- environment

def venv_key(root: Path) -> str:
    """Hash of what decides the hub's environment: the pins (constraints.txt) and the
    requirements (pyproject's dependencies and ``hub`` extra), not the rest of pyproject."""
    digest = hashlib.sha256((root / "constraints.txt").read_bytes())
    digest.update("\n".join(requirements(root)).encode())
    return digest.hexdigest()[:12]


def requirements(root: Path) -> list[str]:
    """The course's dependencies and the ``hub`` extra from pyproject.toml (not crmlab
    itself: the students' kernels import it from the read-only course copy)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["hub"]]


def build_venv(root: Path, venvs: Path, dry_run: bool = False) -> Path:
    """The hub's virtual environment on Debian's Python, built once per ``venv_key``."""
    venv = venvs / f"venv-{venv_key(root)}"
    python = venv / "bin" / "python"
    if (venv / ".ready").exists():
        return venv
    commands = [[SYSTEM_PYTHON, "-m", "venv", str(venv)],
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "-c", str(root / "constraints.txt"), *requirements(root)],
                [str(python), str(root / "tools" / "setup_lab.py")]]
    if dry_run:
        for command in commands:
            print("+ " + " ".join(command))
        return venv
    if not Path(SYSTEM_PYTHON).exists():
        raise HubError(f"找不到 {SYSTEM_PYTHON}；请先 apt-get install python3-venv。"
                       f" / {SYSTEM_PYTHON} not found; apt-get install python3-venv.")
    venvs.mkdir(parents=True, exist_ok=True)
    os.chmod(venvs, 0o755)
    with open(venvs / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # a test and a benchmark may build at once
        if (venv / ".ready").exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)  # a half-built one
        for command in commands:
            print("+ " + " ".join(command), flush=True)
            subprocess.run(command, check=True, cwd=root)
        _readable(venv)
        (venv / ".ready").touch()
    return venv


def _readable(path: Path) -> None:
    """chmod a+rX below ``path``: every student's server runs from it."""
    for folder, _dirs, files in os.walk(path):
        os.chmod(folder, os.stat(folder).st_mode | 0o555)
        for name in files:
            full = os.path.join(folder, name)
            if not os.path.islink(full):
                mode = os.stat(full).st_mode
                os.chmod(full, mode | 0o444 | (0o111 if mode & 0o100 else 0))


def sync_course(root: Path, state: Path) -> Path:
    """Copy the course into ``state/course`` (read-only to students); swapped in whole."""
    course, fresh, old = state / "course", state / "course.new", state / "course.old"
    for path in (fresh, old):
        shutil.rmtree(path, ignore_errors=True)
    fresh.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
    for tree in COURSE_TREES:
        if (root / tree).is_dir():
            shutil.copytree(root / tree, fresh / tree, ignore=ignore)
    _readable(fresh)
    if course.exists():
        course.rename(old)
    fresh.rename(course)
    shutil.rmtree(old, ignore_errors=True)
    return course


# --------------------------------------------------------------------------- state

def prepare_state(state: Path, lecturer: pwd.struct_passwd, students: list[dict],
                  deadlines: Path | None) -> None:
    """The state folder, the hub's private folder and the exchange with its permissions."""
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)
    (state / "hub").mkdir(exist_ok=True)
    os.chmod(state / "hub", 0o700)
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chown(exchange, lecturer.pw_uid, lecturer.pw_gid)
    os.chmod(exchange, 0o711)
    for student in students:
        user = pwd.getpwnam(student["account"])
        box = exchange / student["account"]
        box.mkdir(exist_ok=True)
        os.lchown(box, user.pw_uid, lecturer.pw_gid)
        os.chmod(box, 0o2770)
    target = state / "deadlines.csv"
    if deadlines is not None:
        _check_deadlines(deadlines)
        shutil.copyfile(deadlines, target)
    elif not target.exists():
        target.write_text("chapter,deadline\n", encoding="utf-8")
    os.chmod(target, 0o644)


def _check_deadlines(path: Path) -> None:
    for line, row in enumerate(csv.DictReader(path.open(encoding="utf-8-sig")), start=2):
        try:
            when = dt.datetime.fromisoformat(row["deadline"].strip())
        except (KeyError, AttributeError, ValueError):
            raise HubError(f"{path} 第 {line} 行：截止时间应为 2026-12-20T23:59+08:00 的格式。"
                           f" / {path} line {line}: deadline must look like"
                           " 2026-12-20T23:59+08:00.") from None
        if when.tzinfo is None:
            raise HubError(f"{path} 第 {line} 行：截止时间要写时区，例如 +08:00。"
                           f" / {path} line {line}: give the time zone, e.g. +08:00.")


def settings_path(state: Path) -> Path:
    return state / "hub" / "settings.json"


def load_settings(state: Path) -> dict:
    path = settings_path(state)
    if not path.exists():
        raise HubError(f"{state} 还没有启动过服务器（缺少 {path}）；"
                       "先运行 make hub ROSTER=名单.csv。"
                       f" / no class server set up in {state}; run make hub ROSTER=class.csv"
                       " first.")
    return json.loads(path.read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(state: Path, venv: Path, options: argparse.Namespace,
                   students: list[dict]) -> dict:
    settings = {
        "state": str(state), "venv": str(venv), "course": str(state / "course"),
        "ip": options.ip, "port": options.port,
        "hub_port": _free_port(), "proxy_api_port": _free_port(),
        "lecturer": options.lecturer, "students": students,
        "mem_limit_mb": options.mem_limit, "cpu_limit": options.cpu_limit,
        "max_processes": options.max_processes, "idle_timeout": options.idle_timeout,
        "ssl_cert": options.ssl_cert, "ssl_key": options.ssl_key,
    }
    path = settings_path(state)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(path, 0o600)
    return settings


def seed_workspaces(settings: dict) -> None:
    """New exercises into every student's workspace (as the student; never overwrite)."""
    python = str(Path(settings["venv"]) / "bin" / "python")
    script = str(Path(settings["course"]) / "deploy" / "singleuser.py")
    for student in settings["students"]:
        as_user(pwd.getpwnam(student["account"]), [python, script, "--seed-only"],
                env={"CRMLAB_COURSE": settings["course"]})


# --------------------------------------------------------------------------- commands

def start(root: Path, options: argparse.Namespace) -> int:
    """Set up (idempotently) and run JupyterHub in the foreground."""
    if shutil.which("configurable-http-proxy") is None and not options.dry_run:
        raise HubError("找不到 configurable-http-proxy；"
                       "请先 npm install -g configurable-http-proxy。"
                       " / configurable-http-proxy not found; npm install -g"
                       " configurable-http-proxy.")
    students = read_roster(options.roster)
    state, venvs = options.state.resolve(), options.venvs.resolve()
    venv = build_venv(root, venvs, options.dry_run)
    if options.dry_run:
        print(f"would serve {len(students)} students on {options.ip}:{options.port}")
        return 0
    lecturer = ensure_account(options.lecturer, "lecturer")
    for student in students:
        ensure_account(student["account"], "student")
    prepare_state(state, lecturer, students, options.deadlines)
    sync_course(root, state)
    settings = write_settings(state, venv, options, students)
    seed_workspaces(settings)
    env = dict(os.environ, CRMLAB_HUB_SETTINGS=str(settings_path(state)))
    command = [str(venv / "bin" / "jupyterhub"), "-f", str(state / "course" / "deploy" /
                                                            "jupyterhub_config.py")]
    print(f"JupyterHub: http{'s' if options.ssl_cert else ''}://{options.ip}:{options.port}"
          f"  ({len(students)} 名学生 / students, 教师 / lecturer: {options.lecturer})",
          flush=True)
    os.chdir(state / "hub")
    os.execve(command[0], command, env)
    return 0  # not reached


def update(root: Path, options: argparse.Namespace) -> int:
    settings = load_settings(options.state.resolve())
    sync_course(root, Path(settings["state"]))
    seed_workspaces(settings)
    print(f"课程已更新，新练习已放进 {len(settings['students'])} 位学生的 workspace/"
          "（已有文件不动）。"
          " / course updated; new exercises copied into every workspace.")
    return 0


def _chapter(text: str) -> str:
    chapter = text.strip().lower()
    if not CHAPTER_RE.fullmatch(chapter):
        raise HubError(f"章节 {text!r} 应写成 ch0 … ch9。 / chapter {text!r} must look like ch2.")
    return chapter


def _deadline(state: Path, chapter: str) -> dt.datetime | None:
    path = state / "deadlines.csv"
    if path.exists():
        for row in csv.DictReader(path.open(encoding="utf-8-sig")):
            if row.get("chapter", "").strip() == chapter:
                return dt.datetime.fromisoformat(row["deadline"].strip())
    return None


def _latest_submission(box: Path) -> tuple[bytes, float] | None:
    """The newest regular file ``*.ipynb`` in a student's chapter folder (its bytes) and its
    ctime: the kernel sets ctime on every change, a student cannot move it back before the
    deadline. The folder and the file are opened without following links (a student's
    link to someone else's files is not read)."""
    try:
        folder = os.open(box, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        found = []
        for entry in os.scandir(folder):
            if entry.name.endswith(".ipynb") and entry.is_file(follow_symlinks=False):
                found.append((entry.stat(follow_symlinks=False).st_ctime, entry.name))
        if not found:
            return None
        ctime, name = max(found)
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
        with os.fdopen(handle, "rb") as notebook:
            if not stat.S_ISREG(os.fstat(notebook.fileno()).st_mode):
                return None
            return notebook.read(MAX_NOTEBOOK), ctime
    finally:
        os.close(folder)


def collect(state: Path, settings: dict, chapter: str, out: Path) -> Path:
    """Copy each student's newest hand-in to ``<out>-submissions/<account>/`` (beside the
    gradebook: the grader skips files inside its own output) and write
    ``out/lateness.csv`` (submitted at, deadline, minutes late)."""
    submissions = out.parent / f"{out.name}-submissions"
    shutil.rmtree(submissions, ignore_errors=True)
    submissions.mkdir(parents=True)
    out.mkdir(parents=True, exist_ok=True)
    deadline = _deadline(state, chapter)
    rows = [["student", "学号", "姓名", "submitted_at", "deadline", "late_minutes"]]
    for student in settings["students"]:
        account = student["account"]
        latest = _latest_submission(state / "exchange" / account / chapter)
        when, late = "", ""
        if latest is not None:
            content, ctime = latest
            (submissions / account).mkdir()
            (submissions / account / f"{chapter}.ipynb").write_bytes(content)
            stamp = dt.datetime.fromtimestamp(ctime, dt.UTC).astimezone()
            when = stamp.isoformat(timespec="seconds")
            if deadline is not None:
                late = str(max(0, int((stamp - deadline).total_seconds() // 60)))
        rows.append([account, student["id"], student["name"], when or "未提交",
                     deadline.isoformat() if deadline else "", late])
    with open(out / "lateness.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return submissions


def grade(root: Path, options: argparse.Namespace) -> int:
    state = options.state.resolve()
    settings, chapter = load_settings(state), _chapter(options.chapter)
    out = (options.out or Path("gradebook") / chapter).resolve()
    submissions = collect(state, settings, chapter, out)
    handed_in = sorted(p.name for p in submissions.iterdir())
    print(f"收齐 {len(handed_in)}/{len(settings['students'])} 份 {chapter} 提交；迟交记录在"
          f" {out / 'lateness.csv'}", flush=True)
    if not handed_in:
        return 0
    # the gradebook runs exactly as `make grade` runs it: the repository's .venv, where the
    # sandbox (isolated interpreter, -I) finds crmlab installed
    python = root / ".venv" / "bin" / "python"
    if not python.exists():
        raise HubError(f"找不到 {python}；请先运行 make install（批改用课程自己的环境）。"
                       f" / {python} not found; run make install first.")
    result = subprocess.run([str(python), "-m", "crmlab.grade", str(submissions), "--chapter",
                             chapter, "--out", str(out), "--timeout", str(options.timeout)],
                            cwd=root)
    return result.returncode


def _graded_names(out: Path) -> list[str]:
    with open(out / "grades.csv", encoding="utf-8-sig") as handle:
        return [row["student"] for row in csv.DictReader(handle)]


def return_feedback(root: Path, options: argparse.Namespace) -> int:
    """Write ``feedback/<account>.md`` into ``~<account>/workspace/feedback_<chapter>.md``,
    as the student (their own file permissions; a planted link only hurts themselves)."""
    state = options.state.resolve()
    settings, chapter = load_settings(state), _chapter(options.chapter)
    out = (options.out or Path("gradebook") / chapter).resolve()
    if not (out / "grades.csv").exists():
        raise HubError(f"{out} 里没有 grades.csv；先运行 make grade-exchange CHAPTER={chapter}。"
                       f" / no grades.csv in {out}; grade the exchange first.")
    accounts = {s["account"] for s in settings["students"]}
    strangers = sorted(set(_graded_names(out)) - accounts)
    if strangers:
        # the gradebook names a student by a name cell if the notebook has one: a student
        # could take another's name; the lecturer decides, nothing is returned
        raise HubError(f"成绩表里有不在名单上的名字 {strangers}（notebook 里写了名字单元？）；"
                       "请核对后手动发放。 / grades.csv names students not on the roster"
                       f" {strangers}; check them, nothing was returned.")
    python = str(Path(settings["venv"]) / "bin" / "python")
    script = str(Path(settings["course"]) / "deploy" / "singleuser.py")
    returned = 0
    for account in sorted(accounts):
        source = out / "feedback" / f"{account}.md"
        if not source.is_file():
            continue
        as_user(pwd.getpwnam(account), [python, script, "--write",
                                        f"workspace/feedback_{chapter}.md"],
                input=source.read_bytes(), env={"CRMLAB_COURSE": settings["course"]})
        returned += 1
    print(f"已把 {returned} 份反馈放进学生的 workspace/feedback_{chapter}.md。"
          f" / returned {returned} feedback files.")
    return 0


def remove(root: Path, options: argparse.Namespace) -> int:
    students = read_roster(options.roster)
    removed = sum(remove_account(s["account"]) for s in students)
    print(f"已删除 {removed} 个学生账号及其主目录。 / removed {removed} accounts.")
    return 0


COMMANDS = {"start": start, "update": update, "grade": grade, "return": return_feedback,
            "remove": remove}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python course.py hub", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("action", choices=sorted(COMMANDS))
    main.add_argument("chapter", nargs="?", help="grade / return: ch0 … ch7")
    main.add_argument("--roster", type=Path, help="CSV 学号,姓名 (start, remove)")
    main.add_argument("--state", type=Path, default=DEFAULT_STATE)
    main.add_argument("--venvs", type=Path, default=DEFAULT_VENVS,
                      help="where the hub's environment is built and cached")
    main.add_argument("--ip", default="127.0.0.1", help="address to listen on (0.0.0.0: all)")
    main.add_argument("--port", type=int, default=8000)
    main.add_argument("--lecturer", default="teacher", help="the lecturer's (admin) account")
    main.add_argument("--deadlines", type=Path, help="CSV chapter,deadline (start)")
    main.add_argument("--ssl-cert", help="HTTPS certificate (PEM) the lecturer provides")
    main.add_argument("--ssl-key", help="its private key (PEM)")
    main.add_argument("--mem-limit", type=int, default=2048, help="MiB per student")
    main.add_argument("--cpu-limit", type=float, default=1.0, help="cores per student")
    main.add_argument("--max-processes", type=int, default=256, help="processes per student")
    main.add_argument("--idle-timeout", type=int, default=3600,
                      help="seconds before an idle server is stopped")
    main.add_argument("--out", type=Path, help="grade / return: the gradebook folder"
                      " (default gradebook/CHAPTER)")
    main.add_argument("--timeout", type=float, default=60, help="grade: seconds per notebook")
    main.add_argument("--dry-run", action="store_true")
    return main


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    options = parser().parse_args(argv)
    try:
        if not sys.platform.startswith("linux"):
            raise HubError("班级服务器只支持 Linux。 / the class server runs on Linux only.")
        if os.geteuid() != 0 and not options.dry_run:
            raise HubError("请用 root 运行（要为学生建账号）。 / run as root (it creates the"
                           " students' accounts).")
        if options.action in ("start", "remove") and options.roster is None:
            raise HubError("请给出名单：--roster 名单.csv（或 make hub ROSTER=名单.csv）。"
                           " / give the roster: --roster class.csv.")
        if options.action in ("grade", "return") and not options.chapter:
            raise HubError("请给出章节，例如 ch2。 / give the chapter, e.g. ch2.")
        return COMMANDS[options.action](root, options)
    except HubError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
