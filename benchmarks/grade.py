"""Benchmark: grade a generated class of 60 chapter-2 notebooks.

The class is made from the solution and exercise notebooks (crmlab.grade._demo):
each task right / wrong (a typical slip) / unanswered at 65 / 25 / 10 %, one
notebook that loops forever and one that allocates without bound. Methods:

- crmlab.grade as shipped: the bubblewrap sandbox, one preloaded zygote inside it that
  forks a child per submission, each in its own user, PID, mount, IPC, UTS and network
  namespaces (``crmlab.grade._zygote``);
- the previous guard, now ``--trusted``: one preloaded fork server without namespaces,
  an audit hook in each child;
- ``--trusted`` with a freshly started interpreter per submission (``fork=False``);
- a sandbox started per submission (bubblewrap + a fresh interpreter importing numpy,
  pandas, matplotlib and crmlab): timed as the zygote's start-up, a few times;
- a Jupyter kernel per submission (nbclient), timed on a few ordinary submissions
  and extrapolated to the class on the same number of cores (execution only: it
  does not yet capture or grade anything, so it is a lower bound).

The graded statuses are compared with what the generator put in.
Run: ``.venv/bin/python benchmarks/grade.py [--timeout 20] [--kernels 4]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from crmlab.grade import grade
from crmlab.grade._demo import make_class
from crmlab.grade._grading import grade_class

ROOT = Path(__file__).resolve().parents[1]
NAME = "02_clv_exercises.ipynb"


def expected_status(pick: str) -> str:
    return {"right": "correct", "wrong": "wrong", "none": "unanswered"}[pick]


def agreement(book, made, folder: Path) -> tuple[int, int]:
    """(tasks graded as generated, tasks checked) over the submissions without hazards."""
    by_file = {s.file: s for s in book.submissions}
    same = total = 0
    for path, picks, hazard in made:
        if hazard:
            continue
        submission = by_file[path.relative_to(folder).as_posix()]
        for task, pick in picks.items():
            total += 1
            same += submission.results[task].status == expected_status(pick)
    return same, total


def kernel_seconds(paths: list[Path], timeout: float) -> list[float]:
    times = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                allow_errors=True,
                                resources={"metadata": {"path": str(path.parent)}})
        started = time.perf_counter()
        client.execute()
        times.append(time.perf_counter() - started)
    return times


def sandbox_startup(scratch: Path, notebook: Path, times: int = 3) -> float:
    """Seconds from starting bubblewrap to an interpreter inside that has imported what
    ``notebook`` imports (mean)."""
    from crmlab.grade._notebook import parse_notebook
    from crmlab.grade._sandbox import ForkServer

    modules = parse_notebook(notebook).imports

    seconds = []
    for k in range(times):
        folder = scratch / f"start{k}"
        folder.mkdir()
        started = time.perf_counter()
        server = ForkServer("ch2", folder, modules=modules)
        seconds.append(time.perf_counter() - started)
        server.close()
    return sum(seconds) / len(seconds)


def timed(folder: Path, args, **kwargs):
    started = time.perf_counter()
    book = grade_class(folder, "ch2", timeout=args.timeout, **kwargs)
    return book, time.perf_counter() - started


def ordinary_mean(book) -> float:
    seconds = [s.seconds for s in book.submissions if not s.flags]
    return sum(seconds) / len(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--kernels", type=int, default=4)
    parser.add_argument("-n", type=int, default=60)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "submissions"
        made = make_class(ROOT / "solutions" / NAME, ROOT / "exercises" / NAME, folder, args.n)
        started = time.perf_counter()
        book = grade(folder, "ch2", out=Path(scratch) / "gradebook", timeout=args.timeout)
        sandboxed = time.perf_counter() - started
        same, total = agreement(book, made, folder)
        hazards = {h: next(s for (p, _, hz), s in zip(
            sorted(made, key=lambda m: m[0].relative_to(folder).as_posix()),
            sorted(book.submissions, key=lambda s: s.file), strict=True) if hz == h)
            for h in ("loop", "memory")}
        guard, guarded = timed(folder, args, trusted=True)
        spawn, spawned = timed(folder, args, trusted=True, fork=False)
        ordinary = [p for p, _, hazard in made if hazard is None][: args.kernels]
        startup = sandbox_startup(Path(scratch), ordinary[0])
        kernel = kernel_seconds(ordinary, args.timeout)
    per_kernel = sum(kernel) / len(kernel)
    kernel_class = (args.n * per_kernel + args.timeout) / cores
    mean = ordinary_mean(book)
    per_sandbox = mean + startup
    sandbox_class = (args.n * per_sandbox + args.timeout) / cores
    print(f"{platform.processor() or platform.machine()}, {cores} cores, Python "
          f"{platform.python_version()}; {args.n} submissions, timeout {args.timeout:g} s")
    print(f"graded as generated: {same}/{total} tasks of the ordinary submissions")
    for name, submission in hazards.items():
        print(f"  {name}: {submission.seconds:.1f} s, " + "; ".join(submission.flags))
    print("| method | isolation | per ordinary submission (s) | whole class (s) "
          "| × crmlab.grade |")
    print("|---|---|---:|---:|---:|")
    rows = [("crmlab.grade (sandbox: zygote forks per submission)", "namespaces, uid 65534",
             mean, sandboxed),
            ("previous fork-server guard (`--trusted`)", "audit hook only",
             ordinary_mean(guard), guarded),
            ("`--trusted`, new interpreter per submission", "audit hook only",
             ordinary_mean(spawn), spawned),
            (f"a sandbox started per submission ({startup:.2f} s start-up, extrapolated)",
             "namespaces", per_sandbox, sandbox_class),
            (f"Jupyter kernel per submission (nbclient, {len(kernel)} timed, extrapolated)",
             "none", per_kernel, kernel_class)]
    for name, isolation, each, whole in rows:
        print(f"| {name} | {isolation} | {each:.2f} | {whole:.1f} | {whole / sandboxed:.1f} |")
    print(f"sandbox overhead per ordinary submission vs the fork-server guard: "
          f"{mean - ordinary_mean(guard):+.3f} s; vs a Jupyter kernel: {mean - per_kernel:+.2f} s")
    busy = sum(s.seconds for s in book.submissions if "超时" not in " ".join(s.flags))
    print(f"without waiting for the infinite loop: {busy / cores:.1f} s of work per core")
    print(f"target <= 60 s for the class: {'met' if sandboxed <= 60 else 'NOT met'} "
          f"({sandboxed:.1f} s)")


if __name__ == "__main__":
    main()
