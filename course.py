#!/usr/bin/env python3
"""The course's commands on Windows, macOS and Linux (standard library only).

    python course.py lab        create .venv if needed, copy new exercises into workspace/,
                                open JupyterLab
    python course.py test       create .venv if needed, run every test
    python course.py install    create .venv and install the pinned versions (constraints.txt)
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP_NAME = ".installed-stamp"
WORKSPACE = "workspace"
MIN_PYTHON = (3, 11)
LAB_URL = "/lab/tree/notebooks/00_overview.ipynb"
TEST_ARGS = ["-m", "pytest", "-n", "2", "--dist", "loadscope", "-q"]


def venv_python(venv: Path, os_name: str = os.name) -> Path:
    """The interpreter inside ``venv`` (``Scripts\\python.exe`` on Windows)."""
    if os_name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def needs_install(root: Path, venv: Path, os_name: str = os.name) -> bool:
    """True when .venv is missing or older than pyproject.toml / constraints.txt."""
    stamp = venv / STAMP_NAME
    if not venv_python(venv, os_name).exists() or not stamp.exists():
        return True
    built = stamp.stat().st_mtime
    return any((root / name).stat().st_mtime > built
               for name in ("pyproject.toml", "constraints.txt") if (root / name).exists())


def install_commands(root: Path, venv: Path, base_python: str = sys.executable,
                     os_name: str = os.name) -> list[list[str]]:
    """The commands that create ``venv`` and install the pinned versions into it."""
    python = str(venv_python(venv, os_name))
    commands = []
    if not venv_python(venv, os_name).exists():
        commands.append([base_python, "-m", "venv", str(venv)])
    commands += [
        [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [python, "-m", "pip", "install", "--quiet", "-c", str(root / "constraints.txt"),
         "-e", f"{root}[dev,docs]"],
        # Chinese interface, no news pop-up, the course font in custom.css (JupyterLab)
        [python, str(root / "tools" / "setup_lab.py")],
    ]
    return commands


def lab_command(root: Path, venv: Path, os_name: str = os.name,
                is_root: bool | None = None) -> list[str]:
    """JupyterLab with the repository as root, opened on the overview notebook.

    Jupyter refuses to run as root without ``--allow-root`` (containers, CI).
    """
    if is_root is None:
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    command = [str(venv_python(venv, os_name)), "-m", "jupyterlab",
               f"--LabApp.default_url={LAB_URL}", "--LabApp.custom_css=True"]
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


def _run(command: list[str], dry_run: bool, cwd: Path) -> None:
    print("+ " + " ".join(command), flush=True)
    if not dry_run:
        subprocess.run(command, cwd=cwd, check=True)


def install(root: Path, venv: Path, dry_run: bool = False) -> None:
    """Create ``venv`` and install the pinned versions, unless already up to date."""
    if sys.version_info < MIN_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        sys.exit(f"crmlab 需要 Python 3.11 或更新的版本，当前是 {found}。"
                 f" / crmlab needs Python 3.11 or newer, found {found}.")
    if not needs_install(root, venv):
        return
    for command in install_commands(root, venv):
        _run(command, dry_run, root)
    if not dry_run:
        (venv / STAMP_NAME).touch()


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
    parser.add_argument("command", choices=["lab", "test", "install", "workspace", "hub"])
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
        if options.command in ("lab", "test", "install"):
            install(root, venv, options.dry_run)
        if options.command in ("lab", "workspace"):
            for path in seed_workspace(root, options.dry_run):
                print(f"{'would copy' if options.dry_run else 'copied'} "
                      f"{path.relative_to(root).as_posix()}")
        if options.command == "lab":
            _run(trust_command(root, venv), options.dry_run, root)
            _run(lab_command(root, venv) + options.args, options.dry_run, root)
        elif options.command == "test":
            _run(test_command(venv) + options.args, options.dry_run, root)
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
