"""The process that runs ONE submission (started by ``crmlab.grade._sandbox``).

Inside the sandbox it is forked by ``crmlab.grade._zygote``; with ``--trusted`` by
:func:`serve` (or started fresh, settings as JSON on stdin). It limits itself
(memory, file size, CPU), installs an audit hook — a friendly early refusal of
writes/deletes outside its working folder, reads of listed paths, new processes
and the network, which the sandbox does not rely on — then executes the
notebook's code cells in order. Each task's answer (the argument of
``check``) is captured when ``check`` is called and sent to the grader as one JSON
line on the result channel (the original stdout); the student's own output is
discarded. Nothing is graded here.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
from collections.abc import Callable
from typing import Any

__all__: list[str] = []

CELL = "<单元格 {}>"
_BLOCKED_EVENTS = {
    "os.fork": "process", "os.forkpty": "process", "os.posix_spawn": "process",
    "os.spawn": "process", "os.exec": "process", "os.system": "process",
    "subprocess.Popen": "process", "os.kill": "process", "os.killpg": "process",
    "socket.connect": "network", "socket.bind": "network", "socket.sendto": "network",
    "socket.getaddrinfo": "network",
}
#: Native calls through ctypes, refused when a submission's own code makes them
#: (libraries that use ctypes internally are not affected).
_NATIVE_EVENTS = {"ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.call_function"}
#: Modules whose fresh copy would bring back what the child disabled.
_GUARDED_MODULES = {"_posixsubprocess"}
_PATH_EVENTS = {"os.remove": "delete", "os.rmdir": "delete", "shutil.rmtree": "delete",
                "os.rename": "write", "os.truncate": "write", "os.chmod": "write",
                "os.chown": "write", "os.mkdir": "write", "os.symlink": "write",
                "os.link": "write", "os.utime": "write", "shutil.copyfile": "write"}


class _Sink:
    """Discards the student's printed output (bounded, never blocks)."""

    encoding = "utf-8"

    def write(self, text):
        return len(text) if isinstance(text, str) else 0

    def flush(self):
        pass

    def isatty(self):
        return False


def preload(chapter: str | None = None) -> None:
    """Do the heavy imports (numpy, pandas, crmlab's exercises) before any student code."""
    import subprocess  # noqa: F401  (loads _posixsubprocess, then guarded in run)

    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import crmlab.exercises as exercises
    import crmlab.grade._notebook  # noqa: F401
    import crmlab.grade._values  # noqa: F401

    if chapter:
        try:
            for task in exercises.tasks(chapter):
                exercises.given(task)           # question data only, never answers
        except Exception:
            pass



def _address_space() -> int:
    """Bytes of virtual address space this process holds now (0 where it can't be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0

def _sender(channel: Any) -> Callable[[dict], None]:
    """Return ``send(message)``: one JSON line on ``channel``, at most 20,001 lines."""
    sent = {"lines": 0}

    def send(message: dict) -> None:
        if sent["lines"] > 20_000:
            return
        sent["lines"] += 1
        try:
            channel.write(json.dumps(message, ensure_ascii=False, allow_nan=False) + "\n")
            channel.flush()
        except Exception:
            pass

    return send


def _limit(config: dict) -> None:
    """Preload the libraries, then limit processes, memory, core files, file size and CPU."""
    import resource

    preload(config["chapter"])
    # The memory limit is what the submission may add on top of the grader's own
    # preloaded libraries (numpy, pandas, crmlab: several hundred MiB of address
    # space), so a larger crmlab never starves an honest submission.
    memory = int(config["memory"]) + _address_space()
    limits = [(resource.RLIMIT_NPROC, int(config["nproc"]))] if config.get("nproc") else []
    for limit, value in (*limits, (resource.RLIMIT_AS, memory), (resource.RLIMIT_CORE, 0),
                         (resource.RLIMIT_FSIZE, 64 * 2 ** 20),
                         (resource.RLIMIT_CPU, int(config["timeout"]) + 5)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _resolve(path: Any, root: str) -> str | None:
    if isinstance(path, int) or path is None:
        return None
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    return os.path.realpath(os.path.join(root, os.fspath(path)))


#: a refused event: (kind of violation, detail reported, message of the PermissionError)
_Problem = tuple[str, str, str]


def _open_problem(args: tuple, root: str, forbidden: list[str]) -> _Problem | None:
    """Refuse opening for writing outside ``root`` and reading a forbidden path."""
    path = _resolve(args[0], root)
    if path is None:
        return None
    mode, flags = args[1], args[2] if len(args) > 2 else 0
    writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT
                                            | os.O_TRUNC | os.O_APPEND))
    if writes and not _inside(path, root):
        return "write", path, f"评分环境只允许写入自己的工作目录：{path}"
    if any(_inside(path, f) for f in forbidden) and not _inside(path, root):
        return "read", path, f"评分环境不允许读取：{path}"
    return None


def _path_problem(event: str, args: tuple, root: str) -> _Problem | None:
    """Refuse changing (deleting, renaming, ...) anything outside ``root``."""
    paths = [_resolve(a, root) for a in args[:2] if isinstance(a, str | bytes | os.PathLike)]
    outside = [p for p in paths if p and not _inside(p, root)]
    if outside:
        return _PATH_EVENTS[event], outside[0], f"评分环境只允许改动自己的工作目录：{outside[0]}"
    return None


def _listing_problem(args: tuple, root: str, forbidden: list[str]) -> _Problem | None:
    """Refuse listing a forbidden folder."""
    path = _resolve(args[0] if args and args[0] is not None else ".", root)
    if path and any(_inside(path, f) for f in forbidden) and not _inside(path, root):
        return "read", path, f"评分环境不允许读取：{path}"
    return None


def _event_problem(event: str, args: tuple, root: str, forbidden: list[str]
                   ) -> _Problem | None:
    """Return why audit ``event`` is refused (native calls aside), or None to allow it."""
    if event == "import" and args and args[0] in _GUARDED_MODULES:
        return "process", f"import {args[0]}", f"评分环境不允许重新加载 {args[0]}"
    if event in _BLOCKED_EVENTS:
        return _BLOCKED_EVENTS[event], event, f"评分环境不允许 {event}"
    if event == "open":
        return _open_problem(args, root, forbidden)
    if event in _PATH_EVENTS:
        return _path_problem(event, args, root)
    if event in ("os.listdir", "os.scandir", "glob.glob"):
        return _listing_problem(args, root, forbidden)
    return None


def _audit_hook(state: dict, root: str, forbidden: list[str],
                report: Callable[[str, str], None]) -> Callable[[str, tuple], None]:
    """Return the audit hook that enforces the sandbox while ``state["active"]``."""
    import importlib.util

    ctypes_dir = os.path.dirname(importlib.util.find_spec("ctypes").origin) + os.sep
    problem_of = _event_problem

    def from_student() -> bool:
        """Tell whether the nearest Python frame outside ctypes is a submission's cell."""
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(ctypes_dir):
            frame = frame.f_back
        return frame is not None and frame.f_code.co_filename.startswith("<单元格")

    def hook(event: str, args: tuple) -> None:
        if not state["active"] or state["busy"]:
            return
        state["busy"] = True
        try:
            if event in _NATIVE_EVENTS and from_student():
                report("native", event)
                raise PermissionError(f"评分环境不允许直接调用系统函数（{event}）")
            problem = problem_of(event, args, root, forbidden)
            if problem is not None:
                what, detail, message = problem
                report(what, detail)
                raise PermissionError(message)
        finally:
            state["busy"] = False

    return hook


def _watch_internals(state: dict, send: Callable[[dict], None]) -> None:
    """Report a submission's own calls of ``expected_answer`` and ``get_task``."""
    import crmlab.exercises as exercises

    try:
        from crmlab.exercises import _core
    except ImportError:    # the sandbox's student view has no task internals
        _core = None

    def student_frame() -> bool:
        frame = sys._getframe(2)
        return frame is not None and frame.f_code.co_filename.startswith("<单元格")

    def watched(function, label):
        def wrapper(*args, **kwargs):
            if state["active"] and student_frame():
                send({"type": "internals", "detail": label})
            return function(*args, **kwargs)
        wrapper.__name__ = function.__name__
        wrapper.__doc__ = function.__doc__
        return wrapper

    for name in ("expected_answer", "get_task"):
        original = getattr(_core, name, None) or getattr(exercises, name, None)
        if original is not None:
            setattr(exercises, name, watched(original, name))


def _run_cells(cells: list[str], namespace: dict, capture_name: str, state: dict,
               send: Callable[[dict], None], instrument: Callable[[str, str], Any],
               runnable_source: Callable[[str], str | None]) -> None:
    """Execute the cells in order; a cell's error is recorded and the next cell runs."""
    for index, source in enumerate(cells):
        state["cell"] = index
        send({"type": "cell", "index": index})
        code = runnable_source(source)
        if code is None:
            send({"type": "cell_error", "index": index,
                  "error": "单元格魔法命令 (%%) 无法在评分环境中运行，已跳过"})
            continue
        try:
            compiled = compile(instrument(code, capture_name), CELL.format(index + 1), "exec")
            exec(compiled, namespace)  # noqa: S102  (the point of this process)
        except SystemExit as stop:
            send({"type": "exit", "index": index, "code": str(stop.code)[:80]})
        except MemoryError:
            send({"type": "cell_error", "index": index, "error": "MemoryError: 内存超出限制",
                  "memory": True})
        except BaseException as error:  # the student's error, recorded; the next cell runs
            try:
                text = f"{type(error).__name__}: {error}"
            except BaseException:
                text = type(error).__name__
            send({"type": "cell_error", "index": index, "error": text[:300]})


def _capturer(config: dict, state: dict, send: Callable[[dict], None]
              ) -> Callable[[str, Any], Any]:
    """Return ``capture(task, value)`` (sends the answer) and hook it into ``check``."""
    import crmlab.exercises as exercises
    from crmlab.grade._values import to_plain

    known = set(exercises.tasks(config["chapter"]))

    def capture(task: str, value):
        state["captured"] = (task, id(value))
        if not isinstance(task, str) or task not in known:
            return value
        try:
            plain = to_plain(value)
            send({"type": "answer", "task": task, "cell": state["cell"], "value": plain})
        except BaseException as error:  # a value that cannot be read is graded as such
            send({"type": "answer", "task": task, "cell": state["cell"],
                  "value": {"__crmlab__": "opaque", "type": type(value).__name__[:80],
                            "text": f"{type(error).__name__}"}})
        return value

    def record(task: str, value) -> None:
        """Record for the student view's ``check`` what the instrumented call did not."""
        if state.get("captured") != (task, id(value)) and value is not Ellipsis:
            capture(task, value)
        state["captured"] = None

    if hasattr(exercises, "_recorder"):
        exercises._recorder = record
    return capture


def run(config: dict, channel_fd: int) -> None:
    """Execute the submission of ``config``; answers go to ``channel_fd``. Never returns."""
    channel = os.fdopen(channel_fd, "w", encoding="utf-8", errors="replace", buffering=1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    sys.stdout = sys.stderr = _Sink()
    send = _sender(channel)
    _limit(config)

    from crmlab.grade._notebook import instrument, runnable_source

    root = os.path.realpath(os.getcwd())
    forbidden = [os.path.realpath(p) for p in config["forbidden"]]
    state = {"active": False, "busy": False, "reported": set()}

    def report(what: str, detail: str) -> None:
        key = (what, detail)
        if key not in state["reported"] and len(state["reported"]) < 50:
            state["reported"].add(key)
            send({"type": "violation", "what": what, "detail": detail[:200]})

    hook = _audit_hook(state, root, forbidden, report)
    _watch_internals(state, send)

    capture = _capturer(config, state, send)
    if "notebook" in config:     # the sandbox's folder holds its own notebook
        try:
            with open("submission.ipynb", "w", encoding="utf-8", errors="replace") as handle:
                handle.write(config["notebook"])
        except OSError:
            pass

    import _posixsubprocess

    def refuse(*args, **kwargs):
        report("process", "_posixsubprocess.fork_exec")
        raise PermissionError("评分环境不允许启动新进程")

    _posixsubprocess.fork_exec = refuse   # the fork that raises no audit event
    capture_name = config["capture"]
    setattr(builtins, capture_name, capture)
    namespace = {"__name__": "__main__", "__builtins__": builtins,
                 "display": lambda *args, **kwargs: None}
    sys.addaudithook(hook)
    state["active"] = True
    state["cell"] = -1
    _run_cells(config["cells"], namespace, capture_name, state, send, instrument,
               runnable_source)
    state["active"] = False
    send({"type": "done"})
    channel.flush()
    os._exit(0)


def main() -> None:
    """One fresh interpreter per submission: settings on stdin, answers on stdout."""
    config = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    run(config, os.dup(1))


def _exact(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _reap(reply: Callable[[dict], None]) -> None:
    """Reply ``{"exit": pid, "code": ...}`` for every child that has ended."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        reply({"exit": pid, "code": os.waitstatus_to_exitcode(status)})


def _forked_child(sock: Any, fds: list[int], config: dict) -> None:
    """In the forked child: own session, error file, folder, environment, user; then run."""
    try:
        sock.close()
        os.setsid()
        os.dup2(fds[1], 2)
        os.chdir(config["folder"])
        os.environ.clear()
        os.environ.update(config["env"])
        if config.get("uid") is not None:
            os.setgroups([])
            os.setgid(config["uid"])
            os.setuid(config["uid"])
        run(config, fds[0])
    finally:
        os._exit(70)


def serve(fd: int, chapter: str) -> None:
    """Fork server: preload once, then fork one child per request on socket ``fd``.

    A request is an 8-byte length with two file descriptors attached (the result
    channel and the error file), then the JSON settings (with ``folder``, ``env``
    and ``uid``). Replies are JSON lines: ``{"pid": ...}`` after each fork and
    ``{"exit": pid, "code": ...}`` when a child ends (negative code: killed by
    that signal).
    """
    preload(chapter)

    def fork(sock: Any, config: dict, fds: list[int], reply: Callable[[dict], None]) -> None:
        pid = os.fork()
        if pid == 0:
            _forked_child(sock, fds, config)
        for descriptor in fds:
            os.close(descriptor)
        reply({"pid": pid})

    serve_requests(fd, fork)


def serve_requests(fd: int, handle: Callable[..., None],
                   ended: Callable[[int], None] | None = None) -> None:
    """Reply ``{"ready": true}`` on socket ``fd``, then pass each request to ``handle``.

    ``handle(sock, request, fds, reply)`` gets the decoded JSON request and the file
    descriptors sent with it; ``ended(pid)`` hears of every child that ended (after
    which ``{"exit": pid, "code": ...}`` is replied). Returns when the socket closes.
    """
    import select
    import socket

    sock = socket.socket(fileno=fd)

    def reply(message: dict) -> None:
        sock.sendall((json.dumps(message) + "\n").encode("utf-8"))

    def exited(message: dict) -> None:
        if ended is not None:
            ended(message["exit"])
        reply(message)

    reply({"ready": True})
    while True:
        _reap(exited)
        if not select.select([sock], [], [], 0.02)[0]:
            continue
        try:
            header, fds, _, _ = socket.recv_fds(sock, 8, 3)
            if not header:
                break
            header += _exact(sock, 8 - len(header))
            request = json.loads(_exact(sock, int.from_bytes(header, "big")).decode("utf-8"))
        except (EOFError, OSError, ValueError):
            break
        handle(sock, request, fds, reply)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        main()
