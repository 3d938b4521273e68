"""Start a student's JupyterLab (JupyterHub's ``Spawner.cmd``; runs as the student).

Before handing over to ``jupyterhub-singleuser`` it links ``~/course`` to the read-only
course and copies the exercises missing from ``~/workspace`` (the same never-overwrite
rule as ``make lab``; a student's answers are never touched). ``--seed-only`` does only
that (``course.py hub update`` runs it for every student after a course update);
``--write PATH`` writes standard input to ``~/PATH`` (the returned feedback). Both run
as the student, so the student's own file permissions apply.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def seed(course: Path, home: Path) -> list[str]:
    """Link ``home/course`` and copy new exercises into ``home/workspace``."""
    link = home / "course"
    if not link.exists() and not link.is_symlink():
        link.symlink_to(course)
    workspace = home / "workspace"
    workspace.mkdir(exist_ok=True)
    copied = []
    for source in sorted((course / "exercises").glob("*.ipynb")):
        target = workspace / source.name
        if target.exists() or target.is_symlink():
            continue
        shutil.copyfile(source, target)
        copied.append(source.name)
    return copied


def write(relative: str, home: Path) -> None:
    """Write standard input to ``home/relative`` (replacing that file)."""
    target = home / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        target.unlink()
    target.write_bytes(sys.stdin.buffer.read())


def main(argv: list[str]) -> None:
    home = Path.home()
    if argv[:1] == ["--write"]:
        write(argv[1], home)
        return
    seed(Path(os.environ["CRMLAB_COURSE"]), home)
    if argv[:1] == ["--seed-only"]:
        return
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    os.execv(singleuser, [singleuser, *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
