#!/usr/bin/env python3
"""The course's commands on Windows, macOS and Linux (standard library only).

    python course.py lab        create .venv if needed (only what the course needs), copy new
                                exercises into workspace/, open JupyterLab
    python course.py test       create .venv if needed (with the developer and docs extras),
                                run every test
    python course.py install    create .venv and install the pinned versions (constraints.txt)
                                with the developer and docs extras (tests, site, slides)
    python course.py workspace  copy exercises/*.ipynb into workspace/ (only files missing there)
    python course.py hub ...    the class server on JupyterHub (Linux, root): start, update,
                                grade, return, remove -- see deploy/hub.py

Add ``--dry-run`` to print the commands instead of running them. ``make lab`` and
``make test`` call this script. pip reads ``PIP_INDEX_URL``, so a nearer package
mirror is one environment variable away (see README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP_NAME = ".installed-stamp"        # the full install: dev + docs extras (Makefile)
LAB_STAMP_NAME = ".installed-lab-stamp"  # what a student needs: the runtime dependencies
DEV_EXTRAS = ("dev", "docs")
WORKSPACE = "workspace"
MIN_PYTHON = (3, 11)
LAB_URL = "/lab/tree/notebooks/00_overview.ipynb"
# the file browser shows the course (notebooks, exercises, workspace, solutions, datasets,
# README, SYLLABUS), not the developers' folders and files (still on disk, and openable)
HIDDEN_IN_LAB = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info",
                 ".ipynb_checkpoints", "benchmarks", "build", "docs", "tests", "tools",
                 "Makefile", "*.toml", "constraints.txt", "environment.yml", "course.py",
                 "LICENSE"]
TEST_ARGS = ["-m", "pytest", "-n", "2", "--dist", "loadscope", "-q"]


def venv_python(venv: Path, os_name: str = os.name) -> Path:
    """The interpreter inside ``venv`` (``Scripts\\python.exe`` on Windows)."""
    if os_name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def _fresh(root: Path, stamp: Path) -> bool:
    if not stamp.exists():
        return False
    built = stamp.stat().st_mtime
    return all((root / name).stat().st_mtime <= built
               for name in ("pyproject.toml", "constraints.txt") if (root / name).exists())


def needs_install(root: Path, venv: Path, os_name: str = os.name,
                  extras: tuple[str, ...] = DEV_EXTRAS) -> bool:
    """True when .venv is missing or older than pyproject.toml / constraints.txt.

    ``extras=()`` asks for the runtime dependencies only (``lab``): the full install
    (``test``, ``install``, ``make site``) satisfies it too.
    """
    if not venv_python(venv, os_name).exists():
        return True
    if _fresh(root, venv / STAMP_NAME):
        return False
    return bool(extras) or not _fresh(root, venv / LAB_STAMP_NAME)


def install_commands(root: Path, venv: Path, base_python: str = sys.executable,
                     os_name: str = os.name,
                     extras: tuple[str, ...] = DEV_EXTRAS) -> list[tuple[str, list[str]]]:
    """(what a student reads, command) for each step that creates ``venv`` and installs
    the pinned versions into it: the runtime dependencies only when ``extras`` is empty
    (``lab``), else also the extras (``dev``: tests; ``docs``: site and slides)."""
    python = str(venv_python(venv, os_name))
    target = f"{root}[{','.join(extras)}]" if extras else str(root)
    what = ("课程、测试与网页工具所需的软件包 / the course, test and site packages" if extras
            else "课程所需的软件包 / the packages the course needs")
    steps = []
    if not venv_python(venv, os_name).exists():
        steps.append(("创建虚拟环境 .venv / creating the virtual environment .venv",
                      [base_python, "-m", "venv", str(venv)]))
    # not --quiet: pip shows each package, its download and an install progress bar
    pip = [python, "-m", "pip", "install", "--progress-bar", "on"]
    steps += [
        ("更新 pip / updating pip", [*pip, "--quiet", "--upgrade", "pip"]),
        (f"安装{what}（首次约 1–2 分钟，视网速而定）",
         [*pip, "-c", str(root / "constraints.txt"), "-e", target]),
        # Chinese interface, no news pop-up, the course font in custom.css (JupyterLab)
        ("设置中文界面与课程字体 / Chinese JupyterLab and the course font",
         [python, str(root / "tools" / "setup_lab.py")]),
    ]
    return steps


def lab_command(root: Path, venv: Path, os_name: str = os.name,
                is_root: bool | None = None) -> list[str]:
    """JupyterLab with the repository as root, opened on the overview notebook.

    Jupyter refuses to run as root without ``--allow-root`` (containers, CI).
    """
    if is_root is None:
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    command = [str(venv_python(venv, os_name)), "-m", "jupyterlab",
               f"--LabApp.default_url={LAB_URL}", "--LabApp.custom_css=True",
               *[f"--ContentsManager.hide_globs={name}" for name in HIDDEN_IN_LAB]]
    return command + (["--allow-root"] if is_root else [])


def trust_command(root: Path, venv: Path, os_name: str = os.name) -> list[str]:
    """Mark the course's own stored notebooks as trusted (Jupyter's notebook signatures),
    so JupyterLab shows their stored widgets (the calculators) before they are run."""
    notebooks = [str(path) for folder in ("notebooks", "solutions", "exercises")
                 for path in sorted((root / folder).glob("*.ipynb"))]
    return [str(venv_python(venv, os_name)), "-m", "nbformat.sign", "--log-level=WARN",
            *notebooks]


def test_command(venv: Path, os_name: str = os.name) -> list[str]:
    """The one test command (CI runs it through ``make test``)."""
    return [str(venv_python(venv, os_name)), *TEST_ARGS]


def seed_workspace(root: Path, dry_run: bool = False) -> list[Path]:
    """Copy ``exercises/*.ipynb`` into ``workspace/`` when missing there; never overwrite.

    Returns the files copied (or that would be copied).
    """
    target = root / WORKSPACE
    copied = []
    for source in sorted((root / "exercises").glob("*.ipynb")):
        destination = target / source.name
        if destination.exists():
            continue
        copied.append(destination)
        if not dry_run:
            target.mkdir(exist_ok=True)
            shutil.copy2(source, destination)
    return copied


def _run(command: list[str], dry_run: bool, cwd: Path, echo: bool = True) -> None:
    if echo or dry_run:
        print("+ " + " ".join(command), flush=True)
    if not dry_run:
        subprocess.run(command, cwd=cwd, check=True)


def install(root: Path, venv: Path, dry_run: bool = False,
            extras: tuple[str, ...] = DEV_EXTRAS) -> None:
    """Create ``venv`` and install the pinned versions, unless already up to date."""
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        sys.exit(f"crmlab 需要 Python 3.11 或更新的版本，当前是 {found}。"
                 f" / crmlab needs Python 3.11 or newer, found {found}.")
    if not needs_install(root, venv, extras=extras):
        return
    started = time.monotonic()
    steps = install_commands(root, venv, extras=extras)
    for number, (what, command) in enumerate(steps, 1):
        print(f"[{number}/{len(steps)}] {what}", flush=True)
        _run(command, dry_run, root)
    if not dry_run:
        (venv / (STAMP_NAME if extras else LAB_STAMP_NAME)).touch()
        print(f"安装完成，用时 {time.monotonic() - started:.0f} 秒 / installed in "
              f"{time.monotonic() - started:.0f} s", flush=True)


def trust(root: Path, venv: Path, dry_run: bool = False) -> None:
    """Sign the course's notebooks quietly (one line instead of one per notebook)."""
    command = trust_command(root, venv)
    if dry_run:
        _run(command, dry_run, root)
        return
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode:
        sys.stdout.write(done.stdout + done.stderr)
        raise subprocess.CalledProcessError(done.returncode, command)
    print(f"已信任课程的 {len(command) - 4} 个笔记本（打开时显示保存的交互控件）"
          f" / {len(command) - 4} course notebooks trusted", flush=True)


def hub(root: Path, args: list[str], dry_run: bool = False) -> int:
    """``python course.py hub ACTION ...``: the class server's commands (deploy/hub.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("crmlab_hub", root / "deploy" / "hub.py")
    class_server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(class_server)
    return class_server.main([*args, *(["--dry-run"] if dry_run else [])], root=root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python course.py", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["lab", "test", "install", "workspace", "site",
                                            "slides", "hub"])
    parser.add_argument("--dry-run", action="store_true",
                        help="print the commands instead of running them")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("args", nargs=argparse.REMAINDER,
                        help="extra arguments for pytest (test) or jupyter lab (lab)")
    options = parser.parse_args(argv)
    root = options.root.resolve()
    venv = root / ".venv"
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if options.command == "hub":
        return hub(root, options.args, options.dry_run)
    try:
        if options.command in ("lab", "test", "install", "site", "slides"):
            # a student's `lab` installs what the course needs, nothing for developers
            extras = () if options.command == "lab" else DEV_EXTRAS
            install(root, venv, options.dry_run, extras)
        if options.command in ("lab", "workspace"):
            for path in seed_workspace(root, options.dry_run):
                print(f"{'would copy' if options.dry_run else 'copied'} "
                      f"{path.relative_to(root).as_posix()}")
        if options.command == "lab":
            trust(root, venv, options.dry_run)
            print("正在启动 JupyterLab（浏览器会自动打开；按 Ctrl+C 两次退出）"
                  " / starting JupyterLab (Ctrl+C twice to stop)", flush=True)
            _run(lab_command(root, venv) + options.args, options.dry_run, root, echo=False)
        elif options.command == "test":
            _run(test_command(venv) + options.args, options.dry_run, root)
        elif options.command in ("site", "slides"):
            script = root / "tools" / f"build_{options.command}.py"
            _run([str(venv_python(venv)), str(script), *options.args], options.dry_run, root)
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
