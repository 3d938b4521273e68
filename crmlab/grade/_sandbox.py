"""Run one submission in its own process and collect its answers as plain data.

Each submission gets an empty private folder holding only its own notebook, a
scrubbed environment, its own session (so the whole process tree can be killed),
a wall-clock limit, a memory limit (``RLIMIT_AS``), file-size and CPU limits, and an
audit hook (``crmlab.grade._child``) refusing new processes, native calls, writes
and deletes outside its folder and reads of the other submissions, the solutions and
the gradebook. A watchdog kills a session that holds more than ``MAX_PROCESSES``
processes. When the grader is not root, ``RLIMIT_NPROC`` caps processes too; when it
is root and the interpreter is readable by other users, each submission also runs
under its own unprivileged user id. Children are forked from a preloaded
:class:`ForkServer` (or, without one, started fresh). The child streams its answers
as JSON lines, so the answers given before a timeout or a crash are still graded.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue
from typing import Any

__all__ = ["ForkServer", "Run", "run_submission"]

#: Bytes of result lines read at most from one submission.
MAX_OUTPUT = 32 * 2 ** 20
#: Processes one submission may have at once before it is killed as a fork bomb.
MAX_PROCESSES = 16
#: Extra tasks (processes + threads) a submission may start when the grader is not root
#: (RLIMIT_NPROC counts all tasks of the user).
EXTRA_TASKS = 256
#: First user id of the unprivileged users submissions run as (when run as root).
BASE_UID = 61_000


@dataclass
class Run:
    """What happened when a submission ran (answers as plain data, not yet graded)."""

    outcome: str = "finished"        # finished | timeout | exited | crashed
    seconds: float = 0.0
    answers: dict[str, Any] = field(default_factory=dict)       # task -> plain value
    answer_cells: dict[str, int] = field(default_factory=dict)
    started_cells: int = 0           # cells that began to run
    cell_errors: dict[int, str] = field(default_factory=dict)
    exits: dict[int, str] = field(default_factory=dict)         # sys.exit per cell
    violations: list[tuple[str, str]] = field(default_factory=list)
    internals: list[str] = field(default_factory=list)
    memory: bool = False
    detail: str = ""


def _environment(folder: Path) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(folder), "TMPDIR": str(folder),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": str(folder / ".matplotlib"), "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_MAX_THREADS": "1"}


def _session_members(session: int) -> list[int]:
    """Pids of the processes whose session id is ``session`` (from /proc)."""
    members = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # after the command: state, ppid, pgrp, session (fields 3-6 of stat); zombies are done
        if len(fields) > 3 and int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry))
    return members


def _user_tasks(uid: int) -> int:
    """Tasks (processes and threads) the user ``uid`` runs now: RLIMIT_NPROC counts these."""
    total = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            if fields.get("Uid", "").split()[:1] == [str(uid)]:
                total += int(fields.get("Threads", "1").strip() or 1)
    return total


def _kill_session(session: int) -> None:
    """SIGKILL the process group ``session`` and every process still in that session."""
    try:
        os.killpg(session, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(3):
        members = _session_members(session)
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if not members:
            return
        time.sleep(0.05)


_DROP: dict[str, bool] = {}


def _can_drop_privileges() -> bool:
    """Tell whether we run as root and this Python starts under an unprivileged user id.

    It does not when the interpreter lives in a folder only root can read.
    """
    if os.geteuid() != 0:
        return False
    if "ok" not in _DROP:
        try:
            probe = subprocess.run([sys.executable, "-I", "-c", "import crmlab.exercises"],
                                   user=BASE_UID, group=BASE_UID, extra_groups=[],
                                   cwd="/", env={"PATH": "/usr/bin:/bin"}, timeout=60,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _DROP["ok"] = probe.returncode == 0
        except (OSError, subprocess.SubprocessError):
            _DROP["ok"] = False
    return _DROP["ok"]


def _prepare(notebook: Path, scratch: Path, uid: int | None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="s", dir=scratch))
    shutil.copyfile(notebook, folder / "submission.ipynb")
    (folder / ".matplotlib").mkdir()
    try:
        import matplotlib

        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copyfile(cache, folder / ".matplotlib" / cache.name)
    except Exception:
        pass
    if uid is not None:
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, uid, uid)
    return folder


class ForkServer:
    """One preloaded interpreter that forks a fresh child per submission (``_child.serve``).

    Starting Python and importing numpy/pandas/crmlab costs about a second; forking a
    process that has already done so costs milliseconds. The children are as isolated
    as freshly started ones (own session, folder, environment, limits, audit hook).
    """

    def __init__(self, chapter: str, scratch: Path) -> None:
        import socket
        import threading

        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-X", "utf8", "-m", "crmlab.grade._child", "--serve",
             str(theirs.fileno()), chapter], pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=scratch, env=_environment(scratch), start_new_session=True)
        theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        self.ended = threading.Condition()
        self.exits: dict[int, int] = {}
        self.pids: Queue = Queue()
        self.alive = True
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        with self.sock.makefile("rb") as replies:
            for line in replies:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if "pid" in message:
                    self.pids.put(int(message["pid"]))
                elif "exit" in message:
                    with self.ended:
                        self.exits[int(message["exit"])] = int(message["code"])
                        self.ended.notify_all()
        with self.ended:
            self.alive = False
            self.ended.notify_all()
        self.pids.put(None)

    def start(self, config: dict, channel: int, errors: int) -> int:
        """Fork a child for ``config``; returns its pid (RuntimeError if the server died)."""
        import socket

        body = json.dumps(config, ensure_ascii=False).encode("utf-8")
        with self.lock:
            if not self.alive:
                raise RuntimeError("fork server is not running")
            socket.send_fds(self.sock, [len(body).to_bytes(8, "big")], [channel, errors])
            self.sock.sendall(body)
            pid = self.pids.get(timeout=60)
        if pid is None:
            raise RuntimeError("fork server stopped")
        return pid

    def wait(self, pid: int, seconds: float) -> int | None:
        """Wait for the exit code of child ``pid`` (negative: killed by that signal), or None."""
        with self.ended:
            self.ended.wait_for(lambda: pid in self.exits or not self.alive, timeout=seconds)
            return self.exits.pop(pid, None)

    def close(self) -> None:
        import socket

        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            _kill_session(self.process.pid)
            self.process.wait()


def _spawn(config: dict, folder: Path, uid: int | None, errors: Any,
           server: ForkServer | None) -> tuple[subprocess.Popen | None, int, int,
                                               ForkServer | None]:
    """Start the submission's process: forked by ``server`` if it can, else a new interpreter.

    Returns (the Popen or None, its pid, the read end of its result channel, the
    server actually used or None).
    """
    process = None
    if server is not None:
        read_end, write_end = os.pipe()
        try:
            pid = server.start(dict(config, folder=str(folder), env=_environment(folder),
                                    uid=uid), write_end, errors.fileno())
        except (RuntimeError, OSError, Empty):
            os.close(read_end)
            server = None
        finally:
            os.close(write_end)
    if server is None:
        extra: dict[str, Any] = {}
        if uid is not None:
            extra = {"user": uid, "group": uid, "extra_groups": []}
        process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-X", "utf8", "-m", "crmlab.grade._child"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, cwd=folder,
            env=_environment(folder), start_new_session=True, close_fds=True, **extra)
        try:
            process.stdin.write(json.dumps(config, ensure_ascii=False).encode("utf-8"))
            process.stdin.close()
        except BrokenPipeError:
            pass
        pid, read_end = process.pid, os.dup(process.stdout.fileno())
        process.stdout.close()
    return process, pid, read_end, server


def _read_results(run: Run, read_end: int, pid: int, deadline: float
                  ) -> tuple[bool, bool, bool]:
    """Apply the result lines until the channel closes; return (done, timed_out, forked)."""
    buffer, total, done, timed_out, forked = b"", 0, False, False, False
    next_look = time.perf_counter() + 0.25
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                timed_out = True
                break
            if time.perf_counter() >= next_look:     # a fork bomb that got through
                next_look = time.perf_counter() + 0.25
                if len(_session_members(pid)) > MAX_PROCESSES:
                    forked = True
                    break
            if not selector.select(min(left, 0.25)):
                continue
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            total += len(chunk)
            if total <= MAX_OUTPUT:
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    done |= _take(run, line)
    return done, timed_out, forked


def _finish(process: subprocess.Popen | None, server: ForkServer | None, pid: int,
            deadline: float, wait: bool) -> tuple[int | None, bool]:
    """Wait (if ``wait``) for the process, then end its session; return (code, timed_out)."""
    code, timed_out = None, False
    if wait:   # the channel closed: wait for the process
        left = max(0.0, deadline - time.perf_counter())
        if process is not None:
            try:
                code = process.wait(left)
            except subprocess.TimeoutExpired:
                timed_out = True
        else:
            code = server.wait(pid, left)
            timed_out = code is None
    _kill_session(pid)
    if process is not None:
        code = process.wait()
    elif code is None:
        code = server.wait(pid, 10)
    return code, timed_out


def _outcome(run: Run, *, forked: bool, timed_out: bool, done: bool, code: int | None,
             tail: str) -> None:
    """Set ``run.outcome`` and ``run.detail`` from how the process ended."""
    if forked:
        run.outcome = "crashed"
        run.detail = (f"进程数超过 {MAX_PROCESSES} 个（fork 炸弹），已终止整个进程组")
        run.violations.append(("process", "fork"))
    elif timed_out and not done:
        run.outcome = "timeout"
    elif done:
        run.outcome = "finished"
    elif code is not None and code < 0:
        run.outcome = "crashed"
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ \
            else str(-code)
        run.detail = f"进程被信号 {name} 终止" + (
            "（CPU 时间超限）" if name == "SIGXCPU" else "（可能是内存耗尽）"
            if name in ("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS") else "")
        if name == "SIGXCPU":
            run.outcome = "timeout"
    else:
        run.outcome = "exited"
        run.detail = f"程序提前退出（退出码 {code}，例如调用了 os._exit）"
        if tail and "Traceback" in tail:
            run.detail = f"评分进程出错：{tail.splitlines()[-1][:200]}"


def run_submission(notebook: Path, cells: list[str], chapter: str, *, timeout: float,
                   memory_mb: int, forbidden: list[str], scratch: Path, slot: int = 0,
                   server: ForkServer | None = None) -> Run:
    """Execute ``cells`` (the notebook's code cells) in a fresh, limited process.

    The process is a child of ``server`` if given, else a newly started interpreter.
    """
    uid = BASE_UID + slot if _can_drop_privileges() else None
    folder = _prepare(notebook, scratch, uid)
    config = {"cells": cells, "chapter": chapter, "timeout": timeout,
              "memory": int(memory_mb) * 2 ** 20, "forbidden": forbidden,
              "capture": f"_crmlab_capture_{secrets.token_hex(8)}",
              "nproc": None if os.geteuid() == 0 else _user_tasks(os.geteuid()) + EXTRA_TASKS}
    run = Run()
    started = time.perf_counter()
    with tempfile.TemporaryFile(dir=scratch) as errors:
        process, pid, read_end, server = _spawn(config, folder, uid, errors, server)
        deadline = started + timeout
        done, timed_out, forked = _read_results(run, read_end, pid, deadline)
        os.close(read_end)
        code, waited_out = _finish(process, server, pid, deadline,
                                   wait=not timed_out and not forked)
        timed_out = timed_out or waited_out
        run.seconds = time.perf_counter() - started
        errors.seek(0)
        tail = errors.read()[-600:].decode("utf-8", "replace").strip()
    shutil.rmtree(folder, ignore_errors=True)
    _outcome(run, forked=forked, timed_out=timed_out, done=done, code=code, tail=tail)
    return run


def _message(line: bytes) -> dict | None:
    """Decode one result line: a JSON object, or None for anything else."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return message if isinstance(message, dict) else None


def _take(run: Run, line: bytes) -> bool:
    """Apply one result line; True for the final ``done`` line."""
    message = _message(line)
    if message is None:
        return False
    kind = message.get("type")
    if kind == "answer" and isinstance(message.get("task"), str):
        run.answers[message["task"]] = message.get("value")
        run.answer_cells[message["task"]] = int(message.get("cell", -1))
    elif kind == "cell":
        run.started_cells = int(message.get("index", 0)) + 1
    elif kind == "cell_error":
        run.cell_errors[int(message.get("index", -1))] = str(message.get("error", ""))
        run.memory |= bool(message.get("memory"))
    elif kind == "exit":
        run.exits[int(message.get("index", -1))] = str(message.get("code", ""))
    elif kind == "violation":
        item = (str(message.get("what", "")), str(message.get("detail", "")))
        if item not in run.violations:
            run.violations.append(item)
    elif kind == "internals":
        detail = str(message.get("detail", ""))
        if detail not in run.internals:
            run.internals.append(detail)
    return kind == "done"
