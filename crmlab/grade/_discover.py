"""Finding the submissions in a folder (or a zip) and naming their students.

Rules (also in README.md):

- every ``*.ipynb`` below the folder is a submission; hidden files and folders,
  ``.ipynb_checkpoints`` and ``__MACOSX`` are ignored; any other file gets a line
  in the report ("不是 notebook");
- the student is named by the notebook's name cell (``student = "..."``, or
  ``学号 = "..."`` and/or ``姓名 = "..."``) if it has one, else by the first
  sub-folder under the submissions folder (one folder per student), else by the
  file name without ``.ipynb``;
- two submissions with the same name are both graded, the second as ``名字 (2)``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Found", "find_submissions", "unpack"]

#: Largest zip content unpacked (bytes) and number of members.
MAX_UNZIPPED = 1 * 2 ** 30
MAX_MEMBERS = 20_000
_IGNORED = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}


@dataclass(frozen=True)
class Found:
    """One file under the submissions folder: a notebook or something to report."""

    path: Path
    relative: str          # path shown in the report (relative, '/'-separated)
    fallback: str          # student name from the folder or file name
    is_notebook: bool


def unpack(archive: Path, into: Path) -> list[str]:
    """Extract ``archive`` into ``into`` safely.

    No absolute or ``..`` paths, no links, bounded size; returns report lines
    for members that were skipped.
    """
    skipped = []
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise ValueError("压缩包解压后过大")
            for member in members:
                name = member.filename.replace("\\", "/")
                parts = [p for p in name.split("/") if p not in ("", ".")]
                if member.is_dir() or not parts:
                    continue
                if name.startswith("/") or ".." in parts or ":" in parts[0]:
                    skipped.append(f"{name}：路径不安全，已跳过")
                    continue
                if (member.external_attr >> 16) & 0o170000 == 0o120000:
                    skipped.append(f"{name}：符号链接，已跳过")
                    continue
                target = into.joinpath(*parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(member) as source, open(target, "wb") as sink:
                    sink.write(source.read(MAX_UNZIPPED))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
        raise ValueError(f"无法解压 {archive.name}：{error}") from None
    return skipped


def _student_from_path(relative: Path) -> str:
    name = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    return re.sub(r"\s+", " ", name).strip() or relative.stem


def find_submissions(folder: Path, exclude: Path | None = None) -> list[Found]:
    """List every file below ``folder`` (sorted by path), notebooks marked.

    Files below ``exclude`` (the gradebook, if it lies inside the folder) are
    left out.
    """
    found = []
    exclude = exclude.resolve() if exclude is not None else None
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if exclude is not None and path.resolve().is_relative_to(exclude):
            continue
        if any(part.startswith(".") or part in _IGNORED for part in relative.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        found.append(Found(path, relative.as_posix(), _student_from_path(relative),
                           path.suffix.lower() == ".ipynb"))
    return found
