"""Run one submission in its own Docker or Podman container (where bubblewrap cannot run).

Each submission gets a fresh container of the course image (``deploy/z2jh/Dockerfile``,
tagged ``crmlab-grader`` unless ``--container-image`` or ``CRMLAB_GRADE_IMAGE`` names
another): no network, a read-only root file system, no capabilities, no new
privileges, limits on processes, memory and CPUs, user 65534, a private tmpfs
``/tmp`` and a tmpfs ``/home/student`` where the submission writes only its own
notebook. The image's ``crmlab/exercises`` (the expected answers) is covered by the
same student view the bubblewrap sandbox uses, mounted read-only. The settings go in
on the container's stdin, the answers come back as JSON lines on its stdout and are
read by the same strict parser as the sandbox's (``_sandbox._read_results``); when
the wall-clock limit is up, the container is killed and removed.

Examples
--------
>>> command = container_command("docker", "img", "crmlab-grade-x", Path("/v"), 2048)
>>> command[:3], "--network" in command, command[-9:-7]
(['docker', 'run', '--rm'], True, ['img', 'python'])
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from crmlab.grade._bwrap import NOBODY, SandboxUnavailable
from crmlab.grade._sandbox import SANDBOX_ENV, Run, Schema, _outcome, _read_results, _steady

__all__ = ["ENGINES", "IMAGE", "IMAGE_VARIABLE", "Container", "container_command",
           "find_engine", "image_name"]

#: Container engines tried, in order, when bubblewrap cannot run.
ENGINES = ("podman", "docker")
#: The environment variable naming the grading image, and the image used without it.
IMAGE_VARIABLE, IMAGE = "CRMLAB_GRADE_IMAGE", "crmlab-grader"
#: Where ``deploy/z2jh/Dockerfile`` puts the course (crmlab is ``COURSE/crmlab``).
COURSE = "/srv/crmlab/course"
#: Processes and threads one container may run (``--pids-limit``).
PIDS = 64
#: Memory a container may use beyond the submission's own limit: the interpreter with
#: numpy, pandas, matplotlib and crmlab imported.
BASE_MEMORY_MB = 1024
_BOOT = ("import sys; sys.path[:0] = [sys.argv[1]]; "
         "from crmlab.grade._seccomp import forbid_processes; forbid_processes(); "
         "from crmlab.grade._child import main; main()")


def _works(command: list[str], seconds: float = 30) -> bool:
    try:
        return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=seconds).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def find_engine(names: tuple[str, ...] = ENGINES) -> str | None:
    """Return the path of the first engine in ``names`` whose ``info`` succeeds, or None.

    A client that cannot reach its daemon (``docker info`` fails) does not count.

    >>> find_engine(("no-such-engine",)) is None
    True
    """
    for name in names:
        path = shutil.which(name)
        if path is not None and _works([path, "info"]):
            return path
    return None


def container_command(engine: str, image: str, name: str, view: Path, memory_mb: int
                      ) -> list[str]:
    """Return the ``ENGINE run`` command of one submission's container named ``name``.

    ``view`` is the student view of ``crmlab.exercises`` (``_student_view.write_view``),
    mounted read-only over the image's answer modules; ``memory_mb`` the submission's
    own memory limit (the container gets :data:`BASE_MEMORY_MB` more). Podman relabels
    the view for SELinux (``relabel=shared``: all containers of the run read it).
    """
    memory = f"{int(memory_mb) + BASE_MEMORY_MB}m"
    environment = dict(SANDBOX_ENV, MPLCONFIGDIR="/tmp/matplotlib")
    args = [engine, "run", "--rm", "-i", "--name", name, "--network", "none", "--read-only",
            "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
            "--pids-limit", str(PIDS), "--memory", memory, "--memory-swap", memory,
            "--cpus", "1", "--user", f"{NOBODY}:{NOBODY}",
            "--tmpfs", "/tmp:rw,nosuid,nodev,size=64m,mode=1777",
            "--tmpfs", "/home/student:rw,nosuid,nodev,size=64m,mode=1777",
            "--mount", f"type=bind,source={view},target={COURSE}/crmlab/exercises,readonly"
            + (",relabel=shared" if Path(engine).name == "podman" else ""),
            "--workdir", "/home/student"]
    for key, value in sorted(environment.items()):
        args += ["--env", f"{key}={value}"]
    return [*args, image, "python", "-I", "-B", "-X", "utf8", "-c", _BOOT, COURSE]


def _missing(what: str) -> SandboxUnavailable:
    from crmlab.grade._bwrap import NO_SANDBOX

    return SandboxUnavailable(f"{what} {NO_SANDBOX}")


class Container:
    """The container backend: one container of ``image`` per submission, run by ``engine``.

    ``engine`` is ``"docker"``, ``"podman"`` or a path to one; the student view of
    ``chapter`` is written into ``scratch``. Raises :class:`SandboxUnavailable` when
    the engine does not answer or the image is missing.
    """

    def __init__(self, engine: str, image: str, chapter: str, scratch: Path) -> None:
        from crmlab.grade._student_view import write_view

        path = shutil.which(engine)
        if path is None or not _works([path, "info"]):
            raise _missing(f"{engine} 不可用（找不到或连不上它的服务）/ {engine} is not"
                           " available (not found, or its daemon does not answer).")
        if not _works([path, "image", "inspect", image], 60):
            raise _missing(f"{engine} 里没有评分镜像 {image!r}：请先在仓库根目录运行 "
                           f"{engine} build -f deploy/z2jh/Dockerfile -t {image} . / no image "
                           f"{image!r} in {engine}; build it first.")
        self.engine, self.image, self.chapter = path, image, chapter
        self.name = Path(path).stem       # docker | podman (docker.exe on Windows)
        self.view = write_view(scratch / "view", chapter)
        self.scratch = scratch

    def _remove(self, name: str) -> None:
        """Kill and remove container ``name`` (the wall-clock limit, or a bad channel)."""
        for action in (["kill", name], ["rm", "-f", name]):
            _works([self.engine, *action], 60)

    def _end(self, process: subprocess.Popen, name: str) -> int:
        """Kill and remove container ``name``, then end its client; return the exit code."""
        self._remove(name)
        try:
            return process.wait(30)
        except subprocess.TimeoutExpired:   # the engine hangs: end its client
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait()

    def run(self, notebook: Path, cells: list[str], *, timeout: float, memory_mb: int,
            tasks: list[str] | None = None) -> Run:
        """Run ``cells`` of ``notebook`` in a new container; return what happened.

        The container is killed when ``timeout`` seconds have passed or its result
        channel breaks the schema.
        """
        name = f"crmlab-grade-{secrets.token_hex(8)}"
        config = {"cells": cells, "chapter": self.chapter, "timeout": timeout,
                  "memory": int(memory_mb) * 2 ** 20, "forbidden": [], "nproc": None,
                  "capture": f"_crmlab_capture_{secrets.token_hex(8)}",
                  "notebook": notebook.read_bytes().decode("utf-8", "replace")}
        command = container_command(self.engine, self.image, name, self.view, memory_mb)
        run, started = Run(), time.perf_counter()
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, start_new_session=True)
        except OSError:
            run.outcome, run.detail = "crashed", f"{self.name} 无法启动容器"
            return run
        code, timed_out, done, tail = None, False, False, _tail(process.stderr)
        try:
            _feed(process, json.dumps(config, ensure_ascii=False).encode("utf-8"))
            check = Schema(self.chapter, tasks, len(cells))
            done, timed_out, _ = _read_results(run, process.stdout.fileno(), process.pid,
                                               started + timeout, check, watch=False)
            if not timed_out and not run.invalid:
                try:
                    code = process.wait(max(0.0, started + timeout - time.perf_counter()))
                except subprocess.TimeoutExpired:
                    timed_out = True
        finally:       # also when the grader itself fails: no container outlives its run
            if code is None:
                code = self._end(process, name)
            process.stdout.close()
        run.seconds = time.perf_counter() - started
        tail = tail().decode("utf-8", "replace").strip()
        _outcome(run, forked=False, timed_out=timed_out, done=done,
                 code=_signal_code(code), tail=tail)
        if run.outcome == "exited" and code in (125, 126, 127):
            run.outcome = "crashed"
            run.detail = f"{self.name} 未能运行容器（退出码 {code}）：{tail[-200:]}"
        _steady(run, None)
        return run


def _feed(process: subprocess.Popen, body: bytes) -> None:
    """Write the settings to the container's stdin from a thread, then close it."""
    def feed() -> None:
        try:
            process.stdin.write(body)
            process.stdin.close()
        except OSError:       # the container ended first: its outcome says so
            pass

    threading.Thread(target=feed, daemon=True).start()


def _tail(stream, keep: int = 600):
    """Drain ``stream`` in a thread, keeping its last ``keep`` bytes; return ``tail()``.

    ``tail()`` waits for the end of the stream (at most 10 s) and returns those bytes: a
    submission writing without end to its stderr fills no disk and no memory here.

    >>> import io
    >>> _tail(io.BytesIO(b"abcdefg"), 3)()
    b'efg'
    """
    kept = bytearray()

    def drain() -> None:
        try:
            while chunk := stream.read1(65536):
                kept.extend(chunk)
                del kept[:-keep]
        except (OSError, ValueError):
            pass
        finally:
            stream.close()

    thread = threading.Thread(target=drain, daemon=True)
    thread.start()

    def tail() -> bytes:
        thread.join(10)
        return bytes(kept)

    return tail


def _signal_code(code: int | None) -> int | None:
    """Turn the engine's ``128 + N`` (killed by signal N) into ``-N``, as Popen reports it.

    >>> _signal_code(137), _signal_code(1), _signal_code(None)
    (-9, 1, None)
    """
    if code is not None and 128 < code <= 128 + 64:
        return 128 - code
    return code


def image_name(image: str | None = None) -> str:
    """Return the grading image: ``image``, else ``$CRMLAB_GRADE_IMAGE``, else ``crmlab-grader``.

    >>> image_name("mine:1")
    'mine:1'
    """
    return image or os.environ.get(IMAGE_VARIABLE) or IMAGE
