"""The command that starts the grading sandbox (bubblewrap) and the zygote inside it.

Inside the sandbox the zygote (``crmlab.grade._zygote``) sees, read-only: ``/usr``
(and the ``/lib``, ``/bin`` links), the interpreter's installation at
``/opt/crmlab/python``, the site-packages folders at their own paths, crmlab at
``/opt/crmlab/lib/crmlab`` with ``crmlab/exercises`` replaced by the student view
(``crmlab.grade._student_view``; so is any other ``crmlab/exercises`` under a bound
folder, e.g. a copy installed into site-packages), the data sets and matplotlib's
font cache — and nothing else: no ``/root``, no home, no repository, no solutions,
no submissions, no gradebook. Nothing is writable but ``/tmp`` (``/`` and ``/dev``
are remounted read-only, so no submission leaves a file for the next one). It runs
as uid/gid 65534 (``nobody``) in new user, PID, IPC, UTS, network and cgroup
namespaces, dies with the grader and has its own session.

When the grader is root, bubblewrap itself is started as 65534 (``setpriv``), so
nothing inside ever holds root's user id; what root alone can read (a pyenv
interpreter under ``/root``) is first bind-mounted, read-only, at ``/mnt/N`` in a
private mount namespace of the starting command (``unshare --mount``), from where
the unprivileged bubblewrap can bind it again.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

__all__ = ["NOBODY", "SandboxUnavailable", "sandbox_command"]

NOBODY = 65534
PYTHON = "/opt/crmlab/python"
LIB = "/opt/crmlab/lib"
MPL = "/opt/crmlab/mpl"
SITE = "/opt/crmlab/site"   # site-packages folder N is bound at SITE + N, never at its own path:
# a checkout under /tmp (CI clones, pytest's folders) would be hidden by the sandbox's private /tmp
_ROOT_STAGE = r"""set -e
n=$1; shift; i=0
mount -t tmpfs -o size=64k,mode=0755 crmlab-grade /mnt
while [ "$i" -lt "$n" ]; do
  mkdir "/mnt/$i"; mount --bind "$1" "/mnt/$i"; mount -o remount,bind,ro "/mnt/$i"
  shift; i=$((i + 1))
done
exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"
"""

NO_SANDBOX = (
    "无法建立评分沙箱：本机没有可用的 bubblewrap（bwrap），也没有可用的 Docker 或 Podman。"
    "学生的代码不会在没有隔离的情况下运行。可选：(1) 在 Linux 上安装 bubblewrap"
    "（Debian/Ubuntu：sudo apt-get install bubblewrap；内核需允许非特权用户命名空间）；"
    "(2) 安装 Docker 或 Podman 并在仓库根目录构建评分镜像："
    "docker build -f deploy/z2jh/Dockerfile -t crmlab-grader .（或用 --container-image 指定镜像），"
    "每份提交在一个无网络、只读的容器里运行（macOS 用这种方式）；"
    "(3) 在 Windows 上在 WSL2 里安装 bubblewrap，或用 Docker Desktop；"
    "(4) 只在提交完全可信时加 --trusted（未隔离运行）。见 README 的“批改全班作业”。"
    " / Cannot build the grading sandbox: no usable bubblewrap (bwrap), Docker or Podman here,"
    " and student code is never run without isolation. Choices: (1) install bubblewrap on"
    " Linux (it needs unprivileged user namespaces); (2) install Docker or Podman and build"
    " the grading image from the repository root: docker build -f deploy/z2jh/Dockerfile"
    " -t crmlab-grader . (or name another with --container-image); each submission then runs"
    " in its own container without network on a read-only image (the way on macOS);"
    " (3) on Windows, bubblewrap inside WSL2, or Docker Desktop; (4) --trusted for trusted"
    " submissions only (runs without isolation). See README.")


class SandboxUnavailable(RuntimeError):
    """No sandbox can run here (the message says why and what to do, Chinese first).

    Examples
    --------
    >>> str(SandboxUnavailable(NO_SANDBOX)).startswith("无法建立评分沙箱")
    True
    """


def _usr_links() -> list[str]:
    """Return the bwrap arguments for /usr and the top-level folders that point into it."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("lib", "lib64", "lib32", "libx32", "bin", "sbin"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _interpreter() -> tuple[Path, str]:
    """Return (the installation folder of this Python, the executable's path in it)."""
    home = Path(sys.base_prefix).resolve()
    executable = Path(os.path.realpath(sys.executable))
    try:
        relative = executable.relative_to(home)
    except ValueError:
        relative = Path("bin") / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return home, relative.as_posix()


def _site_folders() -> list[str]:
    """Return the folders on sys.path outside the interpreter's own installation (site-packages)."""
    home = str(Path(sys.base_prefix).resolve())
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(p for p in folders if os.path.isdir(p) and not p.startswith(home + os.sep))


def _site_binds() -> list[tuple[str, str]]:
    """Return (site-packages folder, where the sandbox sees it) for every site folder."""
    return [(folder, f"{SITE}{index}") for index, folder in enumerate(_site_folders())]


def _crmlab_folders() -> tuple[Path, Path | None]:
    """Return (crmlab's package folder, the data sets folder when it lies outside the package)."""
    import crmlab
    from crmlab.datasets import data_dir

    package = Path(crmlab.__file__).resolve().parent
    try:
        data = data_dir().resolve()
    except FileNotFoundError:
        data = None
    return package, (None if data is None or data.is_relative_to(package) else data)


def _binds(view: Path, mpl: Path) -> list[tuple[str, str]]:
    """Return (source, destination) of every read-only bind, in mount order."""
    home, _ = _interpreter()
    package, data = _crmlab_folders()
    roots = [(str(home), PYTHON), *_site_binds()]
    binds = [*roots, (str(package), f"{LIB}/crmlab"), (str(view), f"{LIB}/crmlab/exercises")]
    if data is not None:
        binds.append((str(data), f"{LIB}/datasets"))
    binds += _hidden_answers(roots, package, view)
    binds.append((str(mpl), MPL))
    return binds


def _hidden_answers(roots: list[tuple[str, str]], package: Path, view: Path
                    ) -> list[tuple[str, str]]:
    """Return binds of ``view`` over every ``crmlab/exercises`` inside one of ``roots``.

    A crmlab installed into site-packages (not editable), or an older copy in the
    interpreter's own site-packages, would otherwise be readable, answers and all,
    at its own path inside the sandbox.
    """
    home, _ = _interpreter()
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = {package / "exercises",
                  home / "lib" / version / "site-packages" / "crmlab" / "exercises",
                  *(Path(source) / "crmlab" / "exercises" for source, _ in roots)}
    hidden = []
    for candidate in sorted({c.resolve() for c in candidates if c.is_dir()}):
        for source, destination in roots:
            if candidate.is_relative_to(source):
                hidden.append((str(view), f"{destination}/{candidate.relative_to(source)}"))
    return hidden


_BOOT = ("import sys; sys.path[:0] = sys.argv[4:]; from crmlab.grade._zygote import serve; "
         "serve(int(sys.argv[1]), sys.argv[2], sys.argv[3].split(','))")


def sandbox_command(fd: int, chapter: str, view: Path, mpl: Path,
                    modules: list[str] = ()) -> list[str]:
    """Return the command that starts the zygote for ``chapter`` in a sandbox.

    ``fd`` is the zygote's end of its socket (inherited); ``view`` the student view
    of ``crmlab.exercises`` (``_student_view.write_view``); ``mpl`` a folder holding
    matplotlib's font cache; ``modules`` what the zygote imports before forking
    (``_zygote.PRELOADABLE`` only). Raises :class:`SandboxUnavailable` without bubblewrap.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(NO_SANDBOX)
    binds = _binds(view, mpl)
    root = os.geteuid() == 0
    sources = [f"/mnt/{i}" if root else source for i, (source, _) in enumerate(binds)]
    _, executable = _interpreter()
    args = [bwrap, "--unshare-all", "--uid", str(NOBODY), "--gid", str(NOBODY),
            "--die-with-parent", "--new-session", "--clearenv", *_usr_links()]
    for source, (_, destination) in zip(sources, binds, strict=True):
        args += ["--ro-bind", source, destination]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/home/student",
             "--chdir", "/home/student", "--remount-ro", "/dev", "--remount-ro", "/"]
    environment = {"PATH": "/usr/bin:/bin", "HOME": "/home/student", "LANG": "C.UTF-8",
                   "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib",
                   "LD_LIBRARY_PATH": f"{PYTHON}/lib", "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NUMEXPR_MAX_THREADS": "1"}
    for key, value in environment.items():
        args += ["--setenv", key, value]
    args += [f"{PYTHON}/{executable}", "-I", "-B", "-X", "utf8", "-c", _BOOT, str(fd), chapter,
             ",".join(modules), LIB, *(destination for _, destination in _site_binds())]
    if root:
        return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                _ROOT_STAGE, "crmlab-grade", str(len(binds)), *(s for s, _ in binds), *args]
    return args
