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

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Found", "find_submissions", "unpack"]

#: Largest zip content unpacked (bytes), largest member and number of members.
MAX_UNZIPPED = 1 * 2 ** 30
MAX_MEMBER = 64 * 2 ** 20
MAX_MEMBERS = 20_000
_IGNORED = {".ipynb_checkpoints", "__MACOSX", "__pycache__"}


@dataclass(frozen=True)
class Found:
    """One file under the submissions folder: a notebook or something to report."""

    path: Path
    relative: str          # path shown in the report (relative, '/'-separated)
    fallback: str          # student name from the folder or file name
    is_notebook: bool


def _member_problem(member: zipfile.ZipInfo, parts: list[str], seen: dict[str, str],
                    total: int) -> str | None:
    """Why a zip member is skipped (unsafe, link, duplicate, clash, too big), or None."""
    name = member.filename
    if name.replace("\\", "/").startswith("/") or ".." in parts or ":" in parts[0]:
        return "路径不安全，已跳过"
    if (member.external_attr >> 16) & 0o170000 == 0o120000:
        return "符号链接，已跳过"
    key = "/".join(parts).casefold()
    if key in seen:
        return f"与 {seen[key]} 重名（压缩包里有两个同名文件），只评第一个"
    prefixes = ["/".join(parts[:i]).casefold() for i in range(1, len(parts))]
    if any(seen.get(p) for p in prefixes) or any(k.startswith(key + "/") for k in seen):
        return "文件名与一个文件夹冲突，已跳过"
    if member.file_size > MAX_MEMBER:
        return f"文件过大（{member.file_size:,} 字节，上限 {MAX_MEMBER:,}），已跳过"
    if total + member.file_size > MAX_UNZIPPED:
        return f"压缩包解压后超过 {MAX_UNZIPPED // 2 ** 20:,} MiB，其余文件已跳过"
    return None


def _extract(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path) -> int:
    """Copy one member to ``target``, reading at most its declared size; return bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with bundle.open(member) as source, open(target, "wb") as sink:
        data = source.read(member.file_size + 1)
        if len(data) > member.file_size:
            raise ValueError("实际大小与声明不符")
        sink.write(data)
    return len(data)


def unpack(archive: Path, into: Path) -> list[str]:
    """Extract ``archive`` into ``into`` safely; return a report line per skipped member.

    No absolute or ``..`` paths, no links, no duplicate or clashing names, bounded
    sizes; a member that fails is skipped with its reason, the others extracted.
    An archive that cannot be opened at all gives one line.
    """
    skipped: list[str] = []
    try:
        bundle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return [f"无法打开压缩包：{type(error).__name__}（不是有效的 zip 或已损坏），未评分"]
    with bundle:
        members = bundle.infolist()
        if len(members) > MAX_MEMBERS:
            skipped.append(f"压缩包有 {len(members):,} 个文件，只解压前 {MAX_MEMBERS:,} 个")
        seen: dict[str, str] = {}
        total = 0
        for member in members[:MAX_MEMBERS]:
            name = member.filename
            parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
            if member.is_dir() or not parts:
                continue
            why = _member_problem(member, parts, seen, total)
            if why is None:
                try:
                    total += _extract(bundle, member, into.joinpath(*parts))
                    seen["/".join(parts).casefold()] = name
                except (zipfile.BadZipFile, OSError, ValueError, RuntimeError,
                        NotImplementedError, EOFError) as error:
                    why = f"无法解压（{type(error).__name__}），已跳过"
            if why is not None:
                skipped.append(f"{name}：{why}")
    return skipped


def _student_from_path(relative: Path) -> str:
    from crmlab.grade._notebook import clean_name

    name = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    return clean_name(name) or clean_name(relative.stem) or "student"


def _shown(relative: Path) -> str:
    """Return the path as the report shows it (bad encodings get U+FFFD marks)."""
    return os.fsencode(relative.as_posix()).decode("utf-8", "replace")


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
        found.append(Found(path, _shown(relative), _student_from_path(relative),
                           path.suffix.lower() == ".ipynb"))
    return found
