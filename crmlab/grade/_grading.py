"""Grading a class: discover, run each submission in isolation, grade every answer.

Every captured answer is graded with crmlab's own ``check`` in this (the
grading) process; whatever goes wrong with one submission's values ends as a
line for that student, never as an error of the run.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Literal

from crmlab import _validation as validate
from crmlab.exercises import check, short, tasks
from crmlab.grade._container import Container
from crmlab.grade._discover import find_submissions, unpack
from crmlab.grade._notebook import NotebookError, Parsed, parse_notebook
from crmlab.grade._sandbox import ForkServer, Run, run_submission
from crmlab.grade._values import Opaque, from_plain

__all__ = ["Gradebook", "Submission", "TaskResult", "grade_class"]

Status = Literal["correct", "wrong", "unanswered", "error", "timeout"]
STATUSES: tuple[Status, ...] = ("correct", "wrong", "unanswered", "error", "timeout")
FORMAT_SLIP = "答案的类型或格式不对"


@dataclass(frozen=True)
class TaskResult:
    """One task of one submission: the status, crmlab's feedback and the hint."""

    task: str
    status: Status
    message: str = ""        # crmlab's feedback (or why there is no answer)
    hint: str = ""           # the hint a wrong answer triggered (groups common slips)
    answer: str = ""         # the answer, shortly


@dataclass
class Submission:
    """One student's graded notebook."""

    student: str
    file: str
    results: dict[str, TaskResult]
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(r.status == "correct" for r in self.results.values())


@dataclass
class Gradebook:
    """The graded class: submissions sorted by student, and the files not graded."""

    chapter: str
    title: str
    tasks: list[str]
    submissions: list[Submission]
    problems: list[tuple[str, str]]          # (file, why it was not graded)
    timeout: float
    seconds: float = 0.0
    trusted: bool = False                    # run without the sandbox (--trusted)
    backend: str = "bwrap"                   # bwrap | podman | docker | trusted


def _hint(message: str) -> str:
    if message.startswith("答案格式不对") or message.startswith("读取你的答案超时") \
            or message.startswith("无法读取你的答案"):
        return FORMAT_SLIP
    if "提示：" in message:
        return message.split("提示：", 1)[1].strip()
    return "（没有匹配的提示）"


def grade_answer(task: str, plain: object) -> TaskResult:
    """Grade one captured answer (plain data) with crmlab's ``check``.

    An answer that cannot be rebuilt or checked is that task's ``error``.
    """
    try:
        value = from_plain(plain)
        feedback = check(task, value)
        shown = f"<{value.type_name}>" if isinstance(value, Opaque) else short(value, 60)
    except Exception as error:   # odd values (a Series named by a list, ...) of one student
        return TaskResult(task, "error", f"无法读取或检查这个答案（{type(error).__name__}），"
                          "请换成题目要求的类型（数字、列表等）")
    if feedback.status in ("right", "noted"):
        return TaskResult(task, "correct", feedback.message, answer=shown)
    if feedback.status == "pending":
        return TaskResult(task, "unanswered", feedback.message)
    if feedback.status == "error":
        return TaskResult(task, "error", feedback.message, answer=shown)
    return TaskResult(task, "wrong", feedback.message, _hint(feedback.message), shown)


def _unreached(task: str, cells: list[int], run: Run, timeout: float) -> TaskResult:
    """Why a task the notebook answers has no captured answer."""
    for cell in cells:
        if cell in run.cell_errors:
            return TaskResult(task, "error", f"第 {cell + 1} 个代码格出错：{run.cell_errors[cell]}")
    if run.outcome == "timeout" and max(cells) >= run.started_cells - 1:
        return TaskResult(task, "timeout", f"运行超过 {timeout:g} 秒被终止，没有运行到这一题")
    if run.outcome in ("exited", "crashed") and max(cells) >= run.started_cells - 1:
        return TaskResult(task, "error", f"程序在这一题之前终止：{run.detail}")
    return TaskResult(task, "unanswered", "这一题的 check 没有运行（例如写在未执行的分支里）")


_VIOLATIONS = {
    "process": "试图启动新进程（fork / subprocess / os.system），已阻止",
    "write": "试图写入自己工作目录以外的文件，已阻止",
    "delete": "试图删除自己工作目录以外的文件，已阻止",
    "read": "试图读取其他提交、参考答案或成绩目录，已阻止",
    "network": "试图联网，已阻止",
    "native": "试图通过 ctypes 直接调用系统函数，已阻止",
}
#: The line of a run whose result channel was not believed.
INVALID = "评分结果无效"


def _flags(run: Run, parsed, timeout: float) -> list[str]:
    flags = []
    if run.outcome == "timeout":
        flags.append(f"超时：运行超过 {timeout:g} 秒（可能是死循环），已终止整个进程组")
    elif run.outcome in ("exited", "crashed", "invalid"):
        flags.append(run.detail)
    if run.memory:
        flags.append("内存超限：分配的内存超过上限（MemoryError），该格按出错处理")
    for index, code in sorted(run.exits.items()):
        flags.append(f"第 {index + 1} 个代码格调用了 sys.exit / exit（退出码 {code}），"
                     "已忽略并继续运行")
    for what, detail in run.violations:
        flags.append(f"{_VIOLATIONS.get(what, what)}：{detail}")
    internals = list(dict.fromkeys(parsed.internals + [f"运行时调用 {d}" for d in run.internals]))
    if internals:
        flags.append("读取了 crmlab 内部的标准答案或题库（" + "；".join(internals[:5])
                     + "），请人工复核")
    if parsed.redefines_check:
        flags.append("重新定义了 check（不影响评分：评分只看传给 check 的答案）")
    return flags


def _whole(student: str, file: str, ids: list[str], status: Status, why: str) -> Submission:
    return Submission(student, file, {t: TaskResult(t, status, why) for t in ids}, [why])


def _plans(folder: Path, chapter: str, ids: list[str], out: Path | None,
           problems: list[tuple[str, str]], submissions: list[Submission]) -> list:
    """Return (found, parsed) of the notebooks to run; note the others in the lists given."""
    plans = []
    for found in find_submissions(folder, exclude=out):
        if not found.is_notebook:
            problems.append((found.relative, "不是 notebook（.ipynb）文件，未评分"))
            continue
        try:
            parsed = parse_notebook(found.path)
        except Exception as error:     # one notebook the grader cannot read never stops the class
            if not isinstance(error, NotebookError):
                error = NotebookError(f"无法读取这个 notebook（{type(error).__name__}）")
            problems.append((found.relative, f"{error}，按出错计"))
            submissions.append(_whole(found.fallback, found.relative, ids, "error",
                                      f"无法读取：{error}"))
            continue
        if not parsed.cells:
            problems.append((found.relative, "空 notebook（没有代码格），按未作答计"))
            submissions.append(_whole(parsed.student or found.fallback, found.relative,
                                      ids, "unanswered", "空 notebook（没有代码格）"))
            continue
        if chapter not in parsed.chapters:
            others = "、".join(sorted(parsed.chapters))
            why = (f"这是 {others} 的练习，不是 {chapter} 的，未评分" if others
                   else f"没有找到 {chapter} 的作答格（check(\"{chapter}.exK\", ...)），未评分")
            problems.append((found.relative, why))
            continue
        plans.append((found, parsed))
    return plans


def _task_result(task: str, parsed: Parsed, run: Run, timeout: float) -> TaskResult:
    """Grade one task of one run: its captured answer, or why there is none."""
    if run.outcome == "invalid":
        return TaskResult(task, "error", f"{INVALID}：{run.detail}")
    if task in run.answers:
        return grade_answer(task, run.answers[task])
    if task not in parsed.task_cells:
        return TaskResult(task, "unanswered", "notebook 中没有这一题的 check")
    if any(c in parsed.syntax_errors for c in parsed.task_cells[task]):
        cell = next(c for c in parsed.task_cells[task] if c in parsed.syntax_errors)
        return TaskResult(task, "error", f"第 {cell + 1} 个代码格有语法错误："
                          f"{parsed.syntax_errors[cell]}")
    return _unreached(task, parsed.task_cells[task], run, timeout)


def _submission(found, parsed: Parsed, run: Run, ids: list[str], timeout: float
                ) -> Submission:
    """Grade one run; a failure of the grader on its values is that submission's error."""
    try:
        results = {task: _task_result(task, parsed, run, timeout) for task in ids}
        return Submission(parsed.student or found.fallback, found.relative, results,
                          _flags(run, parsed, timeout), run.seconds)
    except Exception as error:
        return _whole(parsed.student or found.fallback, found.relative, ids, "error",
                      f"评分这份提交时出错（{type(error).__name__}），请人工查看")


def grade_class(source: Path, chapter: str, *, timeout: float = 60, memory_mb: int = 2048,
                jobs: int | None = None, out: Path | None = None,
                fork: bool = True, trusted: bool = False, backend: str | None = None,
                image: str | None = None) -> Gradebook:
    """Grade every submission under ``source`` (folder or zip) for ``chapter``.

    Submissions run in the bubblewrap sandbox, else one container each (``backend``:
    ``bwrap``, ``podman`` or ``docker``; None tries them in this order; ``image`` is
    the container image); ``trusted=True`` runs them with the earlier in-process
    guard only (``fork=False``: one fresh interpreter each).
    """
    import time

    started = time.perf_counter()
    ids = tasks(chapter)
    if not ids:
        raise validate.BilingualValueError(
            f"章节 chapter={validate.show(chapter)} 没有练习（有 ch0、ch2、ch3 等）",
            f"chapter={validate.show(chapter)} has no exercise tasks (try ch0, ch2, ch3)")
    source = Path(source)
    if not source.exists():
        raise validate.BilingualValueError(
            f"提交 submissions={validate.show(str(source))} 找不到：应为一个文件夹或 zip 压缩包",
            f"submissions={validate.show(str(source))} does not exist: expected a folder or a zip")
    module = importlib.import_module(f"crmlab.exercises.{chapter}")
    title = getattr(getattr(module, "chapter", None), "title", "")
    problems: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="crmlab-grade-") as scratch_name:
        scratch = Path(scratch_name)
        os.chmod(scratch, 0o711)
        folder = source
        if source.is_file():
            folder = scratch / "unpacked"
            folder.mkdir()
            os.chmod(folder, 0o700)
            problems += [(source.name, line) for line in unpack(source, folder)]
        runs_dir = scratch / "runs"
        runs_dir.mkdir()
        os.chmod(runs_dir, 0o711)
        repo = Path(__file__).resolve().parents[2]
        forbidden = [str(folder.resolve()), str(source.resolve()), str(scratch.resolve())]
        forbidden += [str(p) for p in (repo / "solutions", out) if p is not None]
        submissions: list[Submission] = []
        plans = _plans(folder, chapter, ids, out, problems, submissions)
        slots: Queue[int] = Queue()
        workers = max(1, jobs or os.cpu_count() or 1)
        for slot in range(workers):
            slots.put(slot)

        imports = set().union(*(parsed.imports for _, parsed in plans))
        server, container, used = _isolation(chapter, runs_dir, imports, backend, image) \
            if plans and not trusted else (None, None, "trusted" if trusted else "bwrap")
        if plans and trusted and fork:
            server = ForkServer(chapter, runs_dir, trusted=True, modules=imports)

        def execute(plan):
            found, parsed = plan
            slot = slots.get()
            try:
                if container is not None:
                    run = container.run(found.path, parsed.cells, timeout=timeout,
                                        memory_mb=memory_mb, tasks=ids)
                else:
                    run = run_submission(found.path, parsed.cells, chapter, timeout=timeout,
                                         memory_mb=memory_mb, forbidden=forbidden,
                                         scratch=runs_dir, slot=slot, server=server,
                                         tasks=ids)
            except Exception as error:   # one submission never stops the class
                run = Run(outcome="crashed",
                          detail=f"评分程序无法运行这份提交（{type(error).__name__}）")
            finally:
                slots.put(slot)
            # graded at once: a run's raw answers (up to MAX_OUTPUT of JSON each) are
            # never held for the whole class at the same time
            return _submission(found, parsed, run, ids, timeout)

        try:
            with ThreadPoolExecutor(workers) as pool:
                submissions += pool.map(execute, plans)
        finally:
            if server is not None:
                server.close()
    _name_uniquely(submissions)
    submissions.sort(key=lambda s: (s.student, s.file))
    problems.sort()
    return Gradebook(chapter, title, ids, submissions, problems, timeout,
                     time.perf_counter() - started, trusted, used)


def _isolation(chapter: str, scratch: Path, imports: set[str], backend: str | None,
               image: str | None) -> tuple[ForkServer | None, Container | None, str]:
    """Start the sandbox: (the bwrap zygote or None, the container backend or None, its name).

    ``backend`` None tries bubblewrap, then Podman, then Docker; raises
    :class:`~crmlab.grade._bwrap.SandboxUnavailable` (Chinese and English, the
    choices listed) when none can run.
    """
    from crmlab.grade._bwrap import SandboxUnavailable
    from crmlab.grade._container import Container, find_engine, image_name

    engine = backend
    if backend in (None, "bwrap"):
        try:
            return ForkServer(chapter, scratch, modules=imports), None, "bwrap"
        except SandboxUnavailable:
            engine = None if backend == "bwrap" else find_engine()
            if engine is None:
                raise
    container = Container(engine, image_name(image), chapter, scratch)
    return None, container, container.name


def _name_uniquely(submissions: list[Submission]) -> None:
    seen: dict[str, int] = {}
    for submission in sorted(submissions, key=lambda s: (s.student, s.file)):
        count = seen.get(submission.student, 0) + 1
        seen[submission.student] = count
        if count > 1:
            submission.flags.append(f"与另一份提交同名（{submission.student}），记为第 {count} 份")
            submission.student = f"{submission.student} ({count})"

