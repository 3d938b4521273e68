"""A made-up class of submissions, built from a chapter's solution and exercise notebooks.

It is for trying the gradebook, its tests and its benchmark.

Each student answers each task right (the solution's cells), wrong (one of the
task's typical slips, or a near miss, typed in as a number), or not at all (the
exercise's ``...``); some notebooks carry a name cell, others are named by their
file or folder. ``hazards`` adds one notebook that loops forever and one that
allocates without bound.
"""

from __future__ import annotations

import ast
import json
import random
from pathlib import Path

from crmlab.exercises import get_task

__all__ = ["make_class"]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
          "超", "霞", "平", "刚", "桂英", "秀兰", "子涵", "雨轩", "浩然", "欣怡", "梓萱"]
HAZARDS = {
    "loop": "# 检查一下\nwhile True:\n    pass\n",
    "memory": "blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 2 ** 20))\n",
}


def _literal(value) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _check_call(source: str) -> tuple[str, str] | None:
    """(task id, answer expression) of the last ``check`` call statement of a cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in reversed(tree.body):
        call = getattr(node, "value", None)
        if isinstance(node, ast.Expr) and isinstance(call, ast.Call) \
                and getattr(call.func, "id", "") == "check" and len(call.args) == 2 \
                and isinstance(call.args[0], ast.Constant):
            return call.args[0].value, ast.get_source_segment(source, call.args[1])
    return None


def _wrong(task_id: str, rng: random.Random):
    task = get_task(task_id)
    if not task.kind.graded:
        return "好"                          # too short for a discussion: a format slip
    if task.slips and rng.random() < 0.8:
        return rng.choice(task.slips)[0]
    answer = task.answer
    if isinstance(answer, float):
        return answer * 1.07
    if isinstance(answer, list) and answer and isinstance(answer[0], float):
        return [a * 1.07 for a in answer]
    return task.slips[0][0] if task.slips else "?"


def make_class(solution: Path, exercise: Path, folder: Path, n: int = 60, *, seed: int = 0,
               hazards: tuple[str, ...] = ("loop", "memory"),
               weights: tuple[float, float, float] = (0.65, 0.25, 0.10),
               ) -> list[tuple[Path, dict[str, str], str | None]]:
    """Write ``n`` submissions into ``folder``.

    Returns (path, {task: "right" / "wrong" / "none"}, hazard or None) per submission.

    ``weights`` = chances that a task is answered right / wrong / not at all.
    """
    rng = random.Random(seed)
    sol = json.loads(Path(solution).read_text(encoding="utf-8"))
    exe = json.loads(Path(exercise).read_text(encoding="utf-8"))
    folder = Path(folder)
    paths = []
    for k in range(n):
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        number = f"2026{k + 1:04d}"
        cells, picks = [], {}
        for s_cell, e_cell in zip(sol["cells"], exe["cells"], strict=True):
            cell = dict(e_cell, outputs=[], execution_count=None) \
                if e_cell["cell_type"] == "code" else dict(e_cell)
            source = "".join(s_cell["source"])
            found = _check_call(source) if "# BEGIN SOLUTION" in source else None
            if found:
                task, expression = found
                pick = rng.choices(("right", "wrong", "none"), weights)[0]
                picks[task] = pick
                if pick == "right":
                    cell["source"] = "\n".join(line for line in source.split("\n")
                                               if "SOLUTION" not in line)
                elif pick == "wrong":
                    lines = "".join(e_cell["source"]).split("\n")
                    lines.insert(len(lines) - 1,
                                 f"{expression} = {_literal(_wrong(task, rng))}")
                    cell["source"] = "\n".join(lines)
            cells.append(cell)
        style = k % 3
        if style == 0:   # a name cell
            cells.insert(1, {"cell_type": "code", "id": "name-cell", "metadata": {}, "outputs": [],
                             "execution_count": None,
                             "source": f'学号 = "{number}"\n姓名 = "{name}"'})
        hazard = hazards[k // 7] if k % 7 == 3 and k // 7 < len(hazards) else None
        if hazard:
            cells.insert(len(cells) // 2, {"cell_type": "code", "id": "hazard-cell",
                                           "metadata": {}, "outputs": [],
                                           "execution_count": None, "source": HAZARDS[hazard]})
        notebook = dict(exe, cells=cells)
        if style == 1:   # one folder per student
            path = folder / f"{number}_{name}" / Path(exercise).name
        else:
            path = folder / f"{number}_{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append((path, picks, hazard))
    return paths
