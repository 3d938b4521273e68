"""Benchmark: grade a generated class of 60 chapter-2 notebooks.

The class is made from the solution and exercise notebooks (crmlab.grade._demo):
each task right / wrong (a typical slip) / unanswered at 65 / 25 / 10 %, one
notebook that loops forever and one that allocates without bound. Methods:

- crmlab.grade as shipped: one preloaded fork server, a forked child per submission;
- crmlab.grade with a freshly started interpreter per submission (``fork=False``);
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
        forked = time.perf_counter() - started
        same, total = agreement(book, made, folder)
        hazards = {h: next(s for (p, _, hz), s in zip(
            sorted(made, key=lambda m: m[0].relative_to(folder).as_posix()),
            sorted(book.submissions, key=lambda s: s.file), strict=True) if hz == h)
            for h in ("loop", "memory")}
        started = time.perf_counter()
        spawned_book = grade_class(folder, "ch2", timeout=args.timeout, fork=False)
        spawned = time.perf_counter() - started
        ordinary = [p for p, _, hazard in made if hazard is None][: args.kernels]
        kernel = kernel_seconds(ordinary, args.timeout)
        per_kernel = sum(kernel) / len(kernel)
        kernel_class = (args.n * per_kernel + args.timeout) / cores
        normal = [s.seconds for s in book.submissions if not s.flags]
        spawn_normal = [s.seconds for s in spawned_book.submissions if not s.flags]
    print(f"{platform.processor() or platform.machine()}, {cores} cores, Python "
          f"{platform.python_version()}; {args.n} submissions, timeout {args.timeout:g} s")
    print(f"graded as generated: {same}/{total} tasks of the ordinary submissions")
    for name, submission in hazards.items():
        print(f"  {name}: {submission.seconds:.1f} s, " + "; ".join(submission.flags))
    print("| method | per ordinary submission (s) | whole class (s) | × crmlab.grade |")
    print("|---|---:|---:|---:|")
    print(f"| crmlab.grade (fork server) | {sum(normal) / len(normal):.2f} | {forked:.1f} | 1.0 |")
    print(f"| crmlab.grade, new interpreter per submission | "
          f"{sum(spawn_normal) / len(spawn_normal):.2f} | {spawned:.1f} | {spawned / forked:.1f} |")
    print(f"| Jupyter kernel per submission (nbclient, {len(kernel)} timed, extrapolated) | "
          f"{per_kernel:.2f} | {kernel_class:.1f} | {kernel_class / forked:.1f} |")
    busy = sum(s.seconds for s in book.submissions if "超时" not in " ".join(s.flags))
    print(f"without waiting for the infinite loop: {busy / cores:.1f} s of work per core")
    print(f"target <= 60 s for the class: {'met' if forked <= 60 else 'NOT met'} ({forked:.1f} s)")


if __name__ == "__main__":
    main()
