"""Inside the bubblewrap sandbox: preload once, then fork one isolated child per submission.

This process (the *zygote*) is started by ``crmlab.grade._bwrap`` inside a
bubblewrap sandbox that already has its own user (an unprivileged uid), PID, IPC,
UTS, network and mount namespaces and a read-only view of only the interpreter,
site-packages, crmlab (with the *student view* of ``crmlab.exercises``: task ids
and question data, no answers) and the data sets. It imports numpy, pandas,
matplotlib and crmlab once; for each submission it forks:

- ``A`` (in the zygote's namespaces) makes new user, mount, PID, IPC, network and
  UTS namespaces, mounts a fresh, size-limited tmpfs on ``/home/student``, ``/tmp``
  and ``/dev/shm`` (so no submission sees another's files) and forks
- ``G``, PID 1 of the new PID namespace: it mounts that namespace's ``/proc``, forbids
  new user namespaces below it, drops every capability, forks the submission ``S``
  and waits; it kills everything when more than ``MAX_PROCESSES`` processes run, and
  when ``S`` ends it exits, which ends every process of the submission (the kernel
  kills a PID namespace with its PID 1). ``G`` dies with ``A`` (``PR_SET_PDEATHSIG``);
  the grader ends a submission by asking the zygote to kill ``A``.
- ``S`` runs under a seccomp filter (``crmlab.grade._seccomp``): threads, but no new
  process, no ptrace, no namespaces or mounts.

Requests and replies are those of ``crmlab.grade._child.serve``, plus
``{"kill": pid}``.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

__all__: list[str] = []

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP = 1, 24
#: The submission's user id inside its own user namespace (not 0: exec never grants it
#: capabilities); outside it is the sandbox's unprivileged uid.
INNER_ID = 1000
HOME = "/home/student"
MPL_CACHE = "/opt/crmlab/mpl"       # matplotlib's font cache, copied in by the grader
#: Processes one submission may run at once; more is a fork bomb and ends it.
MAX_PROCESSES = 16
#: RLIMIT_NPROC of a submission (processes and threads, counted in its own namespace).
MAX_TASKS = 64
#: Open file descriptors of a submission.
MAX_FILES = 512
FORK_BOMB = 101          # G's exit code for "too many processes"

_libc = ctypes.CDLL(None, use_errno=True)


def _ok(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def _tmpfs(path: str, size: str) -> None:
    _ok(_libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                    f"size={size},mode=0700".encode()), f"mount tmpfs {path}")


def _isolate() -> None:
    """Make (in A) new namespaces, an unprivileged id in them and private empty folders."""
    uid, gid = os.getuid(), os.getgid()
    _ok(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC
                      | CLONE_NEWNET | CLONE_NEWUTS), "unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{INNER_ID} {uid} 1")
    _write("/proc/self/gid_map", f"{INNER_ID} {gid} 1")
    _ok(_libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for path, size in ((HOME, "64m"), ("/tmp", "64m"), ("/dev/shm", "16m")):
        _tmpfs(path, size)
    os.makedirs(f"{HOME}/.matplotlib", exist_ok=True)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    """Drop the bounding set and every effective, permitted and inheritable capability."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _ok(_libc.capset(ctypes.byref(header), data), "capset")


def _no_more_user_namespaces() -> None:
    """Forbid new user namespaces below this one (less kernel surface for the submission)."""
    for name in ("max_user_namespaces", "max_mnt_namespaces"):
        try:
            _write(f"/proc/sys/user/{name}", "0")
        except OSError:
            pass


def _processes() -> int:
    return sum(name.isdigit() for name in os.listdir("/proc"))


def _init(status_fd: int, start: Callable[[], None], fds: list[int]) -> None:
    """Run G, PID 1 of the submission's namespace (never returns); ``fds`` are S's.

    It reports S's wait status (or that of an exit with code 72 when it failed) to A.
    """
    code = 72 << 8
    try:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _ok(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None),
            "mount proc")
        _libc.sethostname(b"sandbox", 7)
        _no_more_user_namespaces()
        _drop_capabilities()
        child = os.fork()
        if child == 0:
            os.close(status_fd)
            start()
            os._exit(70)
        for descriptor in fds:
            os.close(descriptor)
        code = _watch(child)
    except BaseException:
        code = 72 << 8
    finally:
        try:
            os.write(status_fd, str(code).encode())
        finally:
            os._exit(0)


def _watch(child: int) -> int:
    """Reap processes until ``child`` ends; return its wait status (or ``FORK_BOMB``)."""
    next_look = time.monotonic()
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 72 << 8
        if pid == child:
            return status
        if pid == 0:
            if time.monotonic() >= next_look:
                next_look = time.monotonic() + 0.2
                if _processes() > MAX_PROCESSES + 1:
                    return FORK_BOMB << 8
            time.sleep(0.01)


def _settings(fd: int) -> dict:
    """Read the submission's settings (JSON) from its own pipe, to the end."""
    data = b""
    while chunk := os.read(fd, 1 << 20):
        data += chunk
    os.close(fd)
    return json.loads(data.decode("utf-8"))


def _submission(config: dict, channel: int, errors: int, settings: int) -> None:
    """Run S, the submission's own process (uid INNER_ID, no capabilities, limits)."""
    import resource

    from crmlab.grade._child import run
    from crmlab.grade._seccomp import forbid_processes

    config = dict(_settings(settings), **config)
    _copy_font_cache(config["env"].get("MPLCONFIGDIR", f"{HOME}/.matplotlib"))
    os.dup2(errors, 2)
    os.chdir(HOME)
    os.environ.clear()
    os.environ.update(config["env"])
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_TASKS, MAX_TASKS))
    # each descriptor can pin kernel memory outside RLIMIT_AS (socket buffers): few of them
    resource.setrlimit(resource.RLIMIT_NOFILE, (MAX_FILES, MAX_FILES))
    os.closerange(3, channel)
    os.closerange(channel + 1, os.sysconf("SC_OPEN_MAX"))
    forbid_processes()     # no fork (N processes would hold N memory limits), no ptrace
    run(config, channel)


def _submission_parent(config: dict, fds: list[int]) -> None:
    """Run A: isolate, start G, wait for it and exit as the submission did."""
    try:
        _isolate()
        read_end, write_end = os.pipe()
        init = os.fork()
        if init == 0:
            os.close(read_end)
            channel, errors, settings = fds
            if min(fds) < 3:
                raise OSError("bad descriptors")
            _init(write_end, lambda: _submission(config, channel, errors, settings), fds)
        for descriptor in (*fds, write_end):
            os.close(descriptor)
        text = b""
        while chunk := os.read(read_end, 64):
            text += chunk
        os.waitpid(init, 0)
        status = int(text or str(72 << 8))
        if os.WIFSIGNALED(status):
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
            os.kill(os.getpid(), os.WTERMSIG(status))
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 71)
    finally:
        os._exit(73)


def _crmlab_modules() -> list[str]:
    import pkgutil

    import crmlab

    return [f"crmlab.{m.name}" for m in pkgutil.iter_modules(crmlab.__path__)
            if not m.name.startswith("_") and m.name not in ("exercises", "grade")]


#: Modules the zygote may import before forking, when the submissions import them
#: (never a name chosen by a student: only these).
PRELOADABLE = sorted({*_crmlab_modules(), "matplotlib", "matplotlib.pyplot", "seaborn",
                      "scipy", "scipy.optimize", "scipy.special", "scipy.stats", "sqlite3"})


def _copy_font_cache(folder: str) -> None:
    """Copy matplotlib's font cache (from the grader) into ``folder``, made if missing."""
    import shutil

    os.makedirs(folder, exist_ok=True)
    if os.path.isdir(MPL_CACHE):
        for name in os.listdir(MPL_CACHE):
            shutil.copyfile(os.path.join(MPL_CACHE, name), os.path.join(folder, name))


def preload(chapter: str, modules: list[str]) -> None:
    """Import numpy, pandas and ``modules`` (of PRELOADABLE) before any submission runs."""
    import importlib

    _copy_font_cache(os.environ.get("MPLCONFIGDIR", "/tmp/matplotlib"))
    import matplotlib

    matplotlib.use("Agg")
    from crmlab.grade._child import preload as child_preload

    for module in modules:
        if module in PRELOADABLE:
            try:
                importlib.import_module(module)
            except Exception:
                pass
    child_preload(chapter)


def serve(fd: int, chapter: str, modules: list[str] = ()) -> None:
    """Preload (``modules`` too), then fork one isolated child per request on socket ``fd``."""
    import resource

    from crmlab.grade._child import serve_requests

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    preload(chapter, list(modules))
    children: set[int] = set()

    def handle(sock: Any, request: dict, fds: list[int], reply: Callable[[dict], None]) -> None:
        if "kill" in request:
            _kill(children, request["kill"], fds)
            return
        pid = _fork_child(sock, request, fds)
        children.add(pid)
        reply({"pid": pid})

    serve_requests(fd, handle, children.discard)


def _kill(children: set[int], pid: Any, fds: list[int]) -> None:
    for descriptor in fds:
        os.close(descriptor)
    if isinstance(pid, int) and pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _fork_child(sock: Any, config: dict, fds: list[int]) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            sock.close()
            os.setsid()
            _submission_parent(config, fds)
        finally:
            os._exit(73)
    for descriptor in fds:
        os.close(descriptor)
    return pid


if __name__ == "__main__":
    serve(int(sys.argv[1]), sys.argv[2], sys.argv[3].split(","))
