"""Run one submission in isolation and collect its answers as plain data.

By default every submission runs in the bubblewrap sandbox (``crmlab.grade._bwrap``
starts it, ``crmlab.grade._zygote`` forks one child per submission inside it, each
in its own user, PID, mount, IPC, UTS and network namespaces, as an unprivileged
uid, with an empty private folder holding only its own notebook, no expected
answers and rlimits on memory, CPU, file size and processes); when time is up the
grader asks the zygote to kill the submission, and its whole PID namespace dies.

``trusted=True`` keeps the earlier, weaker guard for trusted submissions only: a
fork server outside any namespace, an audit hook refusing new processes, native
calls, writes outside the folder and reads of listed paths (audit hooks are not a
security boundary), a process-group watchdog and, when the grader is root and the
interpreter readable by others, its own uid per submission.

Either way the child streams its answers as JSON lines on a pipe only it holds,
and the grader reads them strictly (:func:`_take`): an unknown or malformed line
makes that submission ``invalid``, never the run.
"""

from __future__ import annotations

import json
import os
import re
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

    outcome: str = "finished"        # finished | timeout | exited | crashed | invalid
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
    invalid: str = ""                # why the result channel was not believed


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
    """One preloaded interpreter that forks a fresh child per submission.

    Starting Python and importing numpy/pandas/crmlab costs about a second; forking a
    process that has already done so costs milliseconds. With ``trusted=False`` the
    server is the zygote inside the bubblewrap sandbox (``crmlab.grade._zygote``);
    with ``trusted=True`` it is ``crmlab.grade._child --serve`` without namespaces.
    Raises :class:`~crmlab.grade._bwrap.SandboxUnavailable` when the sandbox cannot start.
    """

    def __init__(self, chapter: str, scratch: Path, *, trusted: bool = False,
                 modules: set[str] | None = None) -> None:
        import socket
        import threading

        self.trusted = trusted
        ours, theirs = socket.socketpair()
        fd = str(theirs.fileno())
        if trusted:
            command = [sys.executable, "-I", "-B", "-X", "utf8", "-m", "crmlab.grade._child",
                       "--serve", fd, chapter]
        else:
            command = _sandbox_command(theirs.fileno(), chapter, scratch, modules)
        self.log = tempfile.TemporaryFile(dir=scratch)
        self.process = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=self.log, cwd=scratch, env=_environment(scratch),
            start_new_session=True)
        theirs.close()
        self.sock = ours
        self.lock = threading.Lock()
        self.ended = threading.Condition()
        self.exits: dict[int, int] = {}
        self.pids: Queue = Queue()
        self.alive = True
        threading.Thread(target=self._listen, daemon=True).start()
        try:
            ready = self.pids.get(timeout=300)
        except Empty:
            ready = None
        if ready != "ready":
            tail = self.tail()
            self.close()
            raise _unavailable(tail)

    def tail(self) -> str:
        """Return the last lines the server wrote to stderr (for error messages)."""
        self.log.seek(0)
        return self.log.read()[-1500:].decode("utf-8", "replace").strip()

    def _listen(self) -> None:
        with self.sock.makefile("rb") as replies:
            for line in replies:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if "ready" in message:
                    self.pids.put("ready")
                elif "pid" in message:
                    self.pids.put(int(message["pid"]))
                elif "exit" in message:
                    with self.ended:
                        self.exits[int(message["exit"])] = int(message["code"])
                        self.ended.notify_all()
        with self.ended:
            self.alive = False
            self.ended.notify_all()
        self.pids.put(None)

    def _send(self, request: dict, fds: list[int]) -> None:
        import socket

        body = json.dumps(request, ensure_ascii=False).encode("utf-8")
        socket.send_fds(self.sock, [len(body).to_bytes(8, "big")], fds)
        self.sock.sendall(body)

    def start(self, config: dict, channel: int, errors: int, *more: int) -> int:
        """Fork a child for ``config``; returns its pid (RuntimeError if the server died).

        ``channel``, ``errors`` and ``more`` are descriptors handed to the child only.
        """
        with self.lock:
            if not self.alive:
                raise RuntimeError("fork server is not running")
            self._send(config, [channel, errors, *more])
            pid = self.pids.get(timeout=60)
        if not isinstance(pid, int):
            raise RuntimeError("fork server stopped")
        return pid

    def kill(self, pid: int) -> None:
        """End child ``pid`` and every process it started."""
        if self.trusted:
            _kill_session(pid)
            return
        with self.lock:
            if self.alive:
                try:
                    self._send({"kill": pid}, [])
                except OSError:
                    pass

    def wait(self, pid: int, seconds: float) -> int | None:
        """Wait for the exit code of child ``pid`` (negative: killed by that signal), or None."""
        with self.ended:
            self.ended.wait_for(lambda: pid in self.exits or not self.alive, timeout=seconds)
            return self.exits.pop(pid, None)

    def close(self) -> None:
        """Stop the server (and, in the sandbox, everything left in it)."""
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
        self.log.close()


def _unavailable(detail: str):
    from crmlab.grade._bwrap import NO_SANDBOX, SandboxUnavailable

    last = detail.splitlines()[-1][:300] if detail else ""
    return SandboxUnavailable(NO_SANDBOX + (f"（bwrap：{last}）" if last else ""))


def _sandbox_command(fd: int, chapter: str, scratch: Path, modules: set[str] | None
                     ) -> list[str]:
    """Write the student view and the font cache into ``scratch``; return the zygote's command.

    ``modules`` (those the submissions import; None: every one worth it) are
    preloaded when :data:`~crmlab.grade._zygote.PRELOADABLE` lists them.
    """
    from crmlab.grade._bwrap import sandbox_command
    from crmlab.grade._student_view import write_view
    from crmlab.grade._zygote import PRELOADABLE

    view = write_view(scratch / "view", chapter)
    mpl = scratch / "mpl"
    mpl.mkdir(exist_ok=True)
    try:
        import matplotlib

        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copyfile(cache, mpl / cache.name)
            (mpl / cache.name).chmod(0o644)
    except Exception:
        pass
    mpl.chmod(0o755)
    wanted = PRELOADABLE if modules is None else sorted(set(modules) & set(PRELOADABLE))
    return sandbox_command(fd, chapter, view, mpl, wanted)


def _spawn(config: dict, folder: Path | None, uid: int | None, errors: Any,
           server: ForkServer | None) -> tuple[subprocess.Popen | None, int, int,
                                               ForkServer | None]:
    """Start the submission's process: forked by ``server``, else (trusted) a new interpreter.

    Returns (the Popen or None, its pid, the read end of its result channel, the
    server actually used or None).
    """
    process = None
    if server is not None and not server.trusted:
        return None, *_start_sandboxed(config, errors, server), server
    if server is not None:
        read_end, write_end = os.pipe()
        try:
            extra = {"folder": str(folder), "env": _environment(folder), "uid": uid}
            pid = server.start(dict(config, **extra), write_end, errors.fileno())
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


def _start_sandboxed(config: dict, errors: Any, server: ForkServer) -> tuple[int, int]:
    """Start one submission in the sandbox; return (its pid there, its channel's read end).

    The settings (with the notebook) go to the child through a pipe of its own, never
    through the zygote, so no submission's code or answers stay in the zygote's memory
    for the next child to find.
    """
    import threading

    read_end, write_end = os.pipe()
    settings_read, settings_write = os.pipe()
    try:
        pid = server.start({"env": SANDBOX_ENV}, write_end, errors.fileno(), settings_read)
    except (RuntimeError, OSError, Empty):
        os.close(read_end)
        os.close(settings_write)
        raise
    finally:
        os.close(write_end)
        os.close(settings_read)
    body = json.dumps(config, ensure_ascii=False).encode("utf-8")

    def feed() -> None:
        try:
            with open(settings_write, "wb") as pipe:
                pipe.write(body)
        except OSError:       # the child died first: its outcome says so
            pass

    threading.Thread(target=feed, daemon=True).start()
    return pid, read_end


#: The environment of a submission inside the sandbox.
SANDBOX_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/home/student", "TMPDIR": "/tmp",
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": "/home/student/.matplotlib", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_MAX_THREADS": "1"}


def _read_results(run: Run, read_end: int, pid: int, deadline: float, check: Any,
                  watch: bool) -> tuple[bool, bool, bool]:
    """Apply the result lines until the channel closes; return (done, timed_out, forked).

    ``check`` validates each message (:class:`Schema`); ``watch`` counts the session's
    processes (the trusted mode's fork-bomb watchdog).
    """
    buffer, total, done, timed_out, forked = b"", 0, False, False, False
    next_look = time.perf_counter() + 0.25
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        while not run.invalid:
            left = deadline - time.perf_counter()
            if left <= 0:
                timed_out = True
                break
            if watch and time.perf_counter() >= next_look:     # a fork bomb that got through
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
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            if total > MAX_OUTPUT or len(buffer) > MAX_LINE:
                run.invalid = f"结果数据过大（超过 {MAX_OUTPUT // 2 ** 20} MiB 或单行超过 " \
                              f"{MAX_LINE // 2 ** 20} MiB）"
                break
            for line in lines:
                done |= _take(run, line, check)
    return done, timed_out, forked


def _finish(process: subprocess.Popen | None, server: ForkServer | None, pid: int,
            deadline: float, wait: bool) -> tuple[int | None, bool]:
    """Wait (if ``wait``) for the process, then end all it started; return (code, timed_out)."""
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
    if server is not None:
        if code is None:
            server.kill(pid)
            code = server.wait(pid, 10)
        if server.trusted:
            _kill_session(pid)
        return code, timed_out
    _kill_session(pid)
    return process.wait(), timed_out


def _outcome(run: Run, *, forked: bool, timed_out: bool, done: bool, code: int | None,
             tail: str) -> None:
    """Set ``run.outcome`` and ``run.detail`` from how the process ended."""
    from crmlab.grade._zygote import FORK_BOMB

    if run.invalid:
        run.outcome = "invalid"
        run.detail = f"评分结果通道收到了不合规的数据（{run.invalid}），整份提交按出错处理"
    elif forked or code == FORK_BOMB:
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
                   server: ForkServer | None = None, tasks: list[str] | None = None) -> Run:
    """Execute ``cells`` (the notebook's code cells) in a fresh, limited process.

    The process is a child of ``server`` (the sandbox's zygote unless the server is
    trusted), else — trusted only — a newly started interpreter. ``tasks`` are the
    task ids answers may name (default: any of ``chapter``).
    """
    sandboxed = server is not None and not server.trusted
    uid = BASE_UID + slot if not sandboxed and _can_drop_privileges() else None
    folder = None if sandboxed else _prepare(notebook, scratch, uid)
    config = {"cells": cells, "chapter": chapter, "timeout": timeout,
              "memory": int(memory_mb) * 2 ** 20, "forbidden": forbidden,
              "capture": f"_crmlab_capture_{secrets.token_hex(8)}",
              "nproc": None if sandboxed or os.geteuid() == 0
              else _user_tasks(os.geteuid()) + EXTRA_TASKS}
    if sandboxed:
        config["notebook"] = notebook.read_bytes().decode("utf-8", "replace")
    run = Run()
    started = time.perf_counter()
    with tempfile.TemporaryFile(dir=scratch) as errors:
        try:
            process, pid, read_end, server = _spawn(config, folder, uid, errors, server)
        except (RuntimeError, OSError, Empty):
            run.outcome, run.detail = "crashed", "评分沙箱没有响应，未能运行这份提交"
            return run
        deadline = started + timeout
        check = Schema(chapter, tasks, len(cells))
        done, timed_out, forked = _read_results(run, read_end, pid, deadline, check,
                                                watch=not sandboxed)
        os.close(read_end)
        code, waited_out = _finish(process, server, pid, deadline,
                                   wait=not timed_out and not forked and not run.invalid)
        timed_out = timed_out or waited_out
        run.seconds = time.perf_counter() - started
        errors.seek(0)
        tail = errors.read()[-600:].decode("utf-8", "replace").strip()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    _outcome(run, forked=forked, timed_out=timed_out, done=done, code=code, tail=tail)
    _steady(run, folder)
    return run


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")


def _steady(run: Run, folder: Path | None) -> None:
    """Blank what differs between two runs of the same notebook in the texts reported.

    Object addresses (``0x7f…``) and the temporary folder of a trusted run.
    """
    def steady(text: str) -> str:
        if folder is not None:
            text = text.replace(str(folder), ".")
        return _ADDRESS.sub("0x…", text)

    run.cell_errors = {k: steady(v) for k, v in run.cell_errors.items()}
    run.violations = [(what, steady(detail)) for what, detail in run.violations]
    run.detail = steady(run.detail)


#: Longest result line read (bytes); one answer is far smaller.
MAX_LINE = 8 * 2 ** 20
#: Deepest nesting and most items of one answer's plain data.
MAX_NESTING, MAX_NODES = 24, 400_000
_VIOLATION_KINDS = {"process", "network", "native", "write", "delete", "read"}
_INTERNAL_NAMES = {"expected_answer", "get_task"}


class Schema:
    """What a result line may say: its kinds, this chapter's task ids, sizes and types."""

    def __init__(self, chapter: str, tasks: list[str] | None, cells: int) -> None:
        if tasks is None:
            from crmlab.exercises import tasks as chapter_tasks

            tasks = chapter_tasks(chapter)
        self.tasks = set(tasks)
        self.cells = cells

    def index(self, value: Any, *, unknown: bool = False) -> int:
        """Return a cell index of this notebook (``-1`` too when ``unknown``); ValueError else."""
        if isinstance(value, bool) or not isinstance(value, int) or not (
                (-1 if unknown else 0) <= value < self.cells):
            raise ValueError(f"单元格编号 {str(value)[:20]!r} 不对")
        return value

    def text(self, value: Any, limit: int) -> str:
        """Return a string of at most ``limit`` characters; ValueError else."""
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError("文字字段的类型或长度不对")
        return value

    def task(self, value: Any) -> str:
        """Return a task id of this chapter; ValueError else."""
        if not isinstance(value, str) or value not in self.tasks:
            raise ValueError(f"题号 {str(value)[:40]!r} 不属于本章")
        return value

    @staticmethod
    def plain(value: Any) -> Any:
        """Return plain answer data of bounded nesting and size; ValueError else."""
        stack, nodes = [(value, 0)], 0
        while stack:
            item, depth = stack.pop()
            nodes += 1
            if depth > MAX_NESTING or nodes > MAX_NODES:
                raise ValueError("答案数据嵌套过深或过大")
            if isinstance(item, dict):
                if not all(isinstance(k, str) for k in item):
                    raise ValueError("答案数据的键不是文字")
                stack += [(v, depth + 1) for v in item.values()]
            elif isinstance(item, list):
                stack += [(v, depth + 1) for v in item]
        return value


def _message(line: bytes) -> dict | None:
    """Decode one result line: a JSON object, or None for anything else."""
    try:
        message = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


_FIELDS = {"answer": {"type", "task", "cell", "value"}, "cell": {"type", "index"},
           "cell_error": {"type", "index", "error", "memory"}, "exit": {"type", "index", "code"},
           "violation": {"type", "what", "detail"}, "internals": {"type", "detail"},
           "done": {"type"}}


def _answer(run: Run, message: dict, schema: Schema) -> None:
    task = schema.task(message.get("task"))
    run.answers[task] = schema.plain(message.get("value"))
    run.answer_cells[task] = schema.index(message.get("cell"), unknown=True)


def _cell_error(run: Run, message: dict, schema: Schema) -> None:
    run.cell_errors[schema.index(message.get("index"))] = schema.text(message.get("error"), 1000)
    run.memory |= message.get("memory", False) is True


def _violation(run: Run, message: dict, schema: Schema) -> None:
    if message.get("what") not in _VIOLATION_KINDS:
        raise ValueError("未知的违规类型")
    item = (message["what"], schema.text(message.get("detail"), 300))
    if item not in run.violations and len(run.violations) < 60:
        run.violations.append(item)


def _internals(run: Run, message: dict, schema: Schema) -> None:
    if message.get("detail") not in _INTERNAL_NAMES:
        raise ValueError("未知的内部调用")
    if message["detail"] not in run.internals:
        run.internals.append(message["detail"])


def _cell(run: Run, message: dict, schema: Schema) -> None:
    run.started_cells = schema.index(message.get("index")) + 1


def _exit(run: Run, message: dict, schema: Schema) -> None:
    run.exits[schema.index(message.get("index"))] = schema.text(message.get("code"), 100)


_APPLY = {"answer": _answer, "cell": _cell, "cell_error": _cell_error, "exit": _exit,
          "violation": _violation, "internals": _internals, "done": lambda *args: None}


def _apply(run: Run, message: dict, schema: Schema) -> bool:
    """Apply one message; ValueError when it breaks the schema. True for ``done``."""
    kind = message.get("type")
    if kind not in _FIELDS or not set(message) <= _FIELDS[kind]:
        raise ValueError(f"未知的消息 {str(kind)[:30]!r}")
    _APPLY[kind](run, message, schema)
    return kind == "done"


def _take(run: Run, line: bytes, schema: Schema) -> bool:
    """Apply one result line; True for the final ``done`` line.

    A line that is not a known, well-formed message makes the run ``invalid``.
    """
    if run.invalid:
        return False
    message = _message(line)
    if message is None:
        run.invalid = "一行不是 JSON 对象"
        return False
    try:
        return _apply(run, message, schema)
    except ValueError as error:
        run.invalid = str(error)
        return False
