"""Hand in a chapter's exercises on the class server: ``handin("ch2")`` in a notebook.

The saved ``workspace/NN_..._exercises.ipynb`` of that chapter is copied into the
student's own folder of the exchange (``$CRMLAB_EXCHANGE/<account>/<chapter>/``, a new
time-stamped file per hand-in; the newest is graded). Who may write or read there is
decided by the operating system, not by this module: the class server (``deploy/hub.py``)
gives each student a folder only they and the lecturer can open. The time that counts is
the file's change time (ctime), which the kernel sets and a student cannot move back;
the lecturer's ``course.py hub grade`` reads the same clock to record lateness.

Press Ctrl+S before ``handin``: what is handed in is the notebook as last saved.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from crmlab._validation import BilingualTypeError, BilingualValueError, show

__all__ = ["Receipt", "handin"]

_CHAPTER = re.compile(r"(?:ch)?\s*([0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Receipt:
    """What ``handin`` did: which file went where, when, and how late.

    Parameters
    ----------
    chapter : str
        The chapter handed in, e.g. ``"ch2"``.
    notebook : pathlib.Path
        The student's notebook.
    path : pathlib.Path
        Where the copy was saved.
    submitted_at : datetime.datetime
        When it was handed in.
    deadline : datetime.datetime, optional
        The chapter's deadline.
    saved_at : datetime.datetime, optional
        When the notebook was last saved.

    Examples
    --------
    >>> import datetime as dt
    >>> when = dt.datetime(2026, 12, 21, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    >>> due = dt.datetime(2026, 12, 20, 23, 59, tzinfo=when.tzinfo)
    >>> receipt = Receipt("ch2", Path("ex.ipynb"), Path("box/ch2/a.ipynb"), when, due)
    >>> receipt.late
    datetime.timedelta(seconds=1860)
    >>> str(receipt).endswith("截止 2026-12-20 23:59:00+08:00，迟交 31 分钟。")
    True
    """

    chapter: str
    notebook: Path
    path: Path
    submitted_at: dt.datetime
    deadline: dt.datetime | None = None
    saved_at: dt.datetime | None = None

    @property
    def late(self) -> dt.timedelta | None:
        """How late the hand-in is (zero when on time; None without a deadline).

        Examples
        --------
        >>> import datetime as dt
        >>> when = dt.datetime(2026, 12, 20, 12, 0)
        >>> Receipt("ch2", Path("ex.ipynb"), Path("box/ch2/a.ipynb"), when).late is None
        True
        """
        if self.deadline is None:
            return None
        return max(self.submitted_at - self.deadline, dt.timedelta(0))

    def __str__(self) -> str:
        """Return the receipt in Chinese, as the student sees it."""
        saved = self.saved_at.strftime("%H:%M:%S") if self.saved_at else "…"
        text = (f"已提交 {self.chapter}（{self.notebook.name}，保存于 {saved}），"
                f"提交时间 {self.submitted_at.isoformat(' ', 'seconds')}")
        if self.deadline is None:
            return text + "；本章没有设截止时间。"
        late = self.late
        if not late:
            return text + f"；截止 {self.deadline.isoformat(' ', 'seconds')}，按时。"
        return (text + f"；截止 {self.deadline.isoformat(' ', 'seconds')}，"
                f"迟交 {_duration(late)}。")

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def _duration(late: dt.timedelta) -> str:
    minutes = int(-(-late.total_seconds() // 60))   # a started minute counts
    if minutes < 120:
        return f"{minutes} 分钟"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} 小时 {minutes % 60} 分钟"
    return f"{hours // 24} 天 {hours % 24} 小时"


def _chapter(chapter: object) -> str:
    if isinstance(chapter, bool) or not isinstance(chapter, str | int):
        raise BilingualTypeError(
            f"章节 chapter={show(chapter)} 应写成 \"ch2\" 这样的文字",
            f"chapter={show(chapter)} must be text like \"ch2\"")
    match = _CHAPTER.fullmatch(str(chapter).strip())
    if match is None:
        raise BilingualValueError(
            f"章节 chapter={show(chapter)} 看不懂：应写成 \"ch0\" 到 \"ch9\"",
            f"chapter={show(chapter)} is not understood: expected \"ch0\" to \"ch9\"",
            ("例如 handin(\"ch2\")。", "e.g. handin(\"ch2\")."))
    return f"ch{match.group(1)}"


def _folder(value: object, name: str, variable: str, fallback: Path | None) -> Path:
    if value is None:
        value = os.environ.get(variable) or fallback
    if value is None:
        raise BilingualValueError(
            f"这台机器上没有提交文件夹（{name} 未给出，环境变量 {variable} 也没有设）：handin"
            " 只在班级服务器上使用",
            f"no hand-in folder here ({name} not given and {variable} not set): handin is"
            " for the class server")
    if not isinstance(value, str | os.PathLike):
        raise BilingualTypeError(f"{name}={show(value)} 应为文件夹路径",
                                 f"{name}={show(value)} must be a folder path")
    return Path(value)


def _exercise_notebook(workspace: Path, chapter: str) -> Path:
    number = chapter[2:]
    found = sorted(workspace.glob(f"0{number}_*_exercises.ipynb"))
    if len(found) != 1:
        raise BilingualValueError(
            f"在 {workspace} 里找不到第 {number} 章的练习（0{number}_…_exercises.ipynb）",
            f"no exercises of chapter {number} (0{number}_..._exercises.ipynb) in {workspace}",
            ("先在 JupyterLab 里打开 workspace/ 看看文件名有没有改过。",
             "check the file name in workspace/."))
    try:
        json.loads(found[0].read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BilingualValueError(
            f"{found[0].name} 不是完整的 notebook 文件，无法提交",
            f"{found[0].name} is not a complete notebook; not handed in") from None
    return found[0]


def _deadline(deadlines: Path, chapter: str) -> dt.datetime | None:
    if not deadlines.is_file():
        return None
    with deadlines.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if (row.get("chapter") or "").strip() == chapter:
                return dt.datetime.fromisoformat(row["deadline"].strip())
    return None


def _write_new(box: Path, content: bytes) -> Path:
    """Write ``content`` to a new time-stamped file in ``box`` (never replacing one)."""
    stamp = dt.datetime.now().astimezone().strftime("%Y-%m-%dT%H-%M-%S")
    for attempt in range(100):
        path = box / f"{stamp}{f'-{attempt}' if attempt else ''}.ipynb"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                                 0o640)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        return path
    raise FileExistsError(path)


def handin(chapter: str, *, workspace: str | os.PathLike | None = None,
           exchange: str | os.PathLike | None = None,
           deadlines: str | os.PathLike | None = None) -> Receipt:
    """Hand in the saved exercises of ``chapter`` (``"ch2"``) to the lecturer.

    Parameters
    ----------
    chapter : str
        ``"ch0"`` … ``"ch9"`` (``"2"`` and ``2`` are read as ``"ch2"``).
    workspace : path, optional
        Where the exercises are; default ``$CRMLAB_WORKSPACE`` or ``~/workspace``.
    exchange : path, optional
        The exchange folder; default ``$CRMLAB_EXCHANGE`` (set by the class server).
    deadlines : path, optional
        CSV ``chapter,deadline`` (ISO 8601 with time zone); default
        ``$CRMLAB_DEADLINES`` or ``deadlines.csv`` beside the exchange.

    Returns
    -------
    Receipt
        The file written, the submission time (the file's ctime), the deadline.

    Raises
    ------
    TypeError
        ``chapter`` is not text, or a folder is not a path.
    ValueError
        Unknown chapter, no exercises notebook for it, or no exchange configured.
    PermissionError
        The exchange does not let this account write there (the operating system says so).

    Examples
    --------
    >>> import getpass, json, tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "workspace").mkdir()
    >>> (root / "exchange" / getpass.getuser()).mkdir(parents=True)
    >>> notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    >>> _ = (root / "workspace" / "02_clv_exercises.ipynb").write_text(json.dumps(notebook))
    >>> receipt = handin("ch2", workspace=root / "workspace", exchange=root / "exchange")
    >>> receipt.path.parent.name, receipt.path.suffix, receipt.late is None
    ('ch2', '.ipynb', True)
    >>> handin("chapter two", workspace=root / "workspace", exchange=root / "exchange")
    Traceback (most recent call last):
    ...
    crmlab._validation.BilingualValueError: 章节 chapter='chapter two' 看不懂：...
    """
    chapter = _chapter(chapter)
    workspace = _folder(workspace, "workspace", "CRMLAB_WORKSPACE", Path.home() / "workspace")
    exchange = _folder(exchange, "exchange", "CRMLAB_EXCHANGE", None)
    deadlines = _folder(deadlines, "deadlines", "CRMLAB_DEADLINES",
                        exchange.parent / "deadlines.csv")
    notebook = _exercise_notebook(workspace, chapter)
    own = exchange / getpass.getuser()
    if not own.is_dir():
        raise BilingualValueError(
            f"提交文件夹 {own} 不存在：请联系老师（名单里有你吗？）",
            f"your hand-in folder {own} does not exist; ask the lecturer")
    box = own / chapter
    box.mkdir(mode=0o2750, exist_ok=True)
    path = _write_new(box, notebook.read_bytes())
    submitted = dt.datetime.fromtimestamp(os.stat(path).st_ctime, dt.UTC).astimezone()
    saved = dt.datetime.fromtimestamp(notebook.stat().st_mtime).astimezone()
    return Receipt(chapter, notebook, path, submitted, _deadline(deadlines, chapter), saved)
