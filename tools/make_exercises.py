"""Generate exercises/ from solutions/ (`make exercises`); never edit exercises/ by hand.

In each solution notebook, the code between ``# BEGIN SOLUTION`` and
``# END SOLUTION`` is the answer. The exercise twin replaces each such block by
one placeholder line per name the block assigns (``x = ...  # 在这里作答``) that
no earlier cell has assigned (an earlier answer is never reset to ``...``),
clears all outputs and execution counts, drops the cells tagged ``solution-only``
(notes that name an answer, e.g. "做完再看：讲义印出的答案是 B") and keeps
everything else as it is.
Usage: python tools/make_exercises.py [--check]
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
PLACEHOLDER = "...  # 在这里作答"
#: Cell tag of solution-notebook cells the student's copy leaves out.
SOLUTION_ONLY = "solution-only"


def assigned_names(code: str) -> list[str]:
    """Names assigned at the top level of ``code``, in order, without repeats."""
    names: list[str] = []
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return names
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name) and sub.id not in names:
                    names.append(sub.id)
    return names


def strip_solutions(source: str, defined: set[str] | None = None) -> str:
    """``source`` with each solution block replaced by placeholders.

    ``defined`` holds the names earlier cells already assign; a block does not
    reset them to ``...`` (the student's earlier answer stays usable). Names this
    cell assigns are added to it.
    """
    defined = set() if defined is None else defined
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        if block is None and (match := BEGIN.match(line)):
            block, indent = [], match.group(1)
        elif block is not None and END.match(line):
            code = "\n".join(item[len(indent):] for item in block)
            names = [name for name in assigned_names(code) if name not in defined]
            out.extend(f"{indent}{name} = {PLACEHOLDER}" for name in names)
            if not names:
                out.append(f"{indent}# 在这里作答")
            defined.update(assigned_names(code))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise ValueError("a '# BEGIN SOLUTION' has no matching '# END SOLUTION'")
    defined.update(assigned_names("\n".join(out)))
    return "\n".join(out)


def exercise_from_solution(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    twin = nbformat.from_dict(nb)
    twin.cells = [cell for cell in twin.cells
                  if SOLUTION_ONLY not in cell.get("metadata", {}).get("tags", [])]
    defined: set[str] = set()
    for cell in twin.cells:
        if cell.cell_type != "code":
            continue
        cell.source = strip_solutions(cell.source, defined)
        cell.outputs = []
        cell.execution_count = None
    return twin


def target_for(solution: Path) -> Path:
    return ROOT / "exercises" / solution.name


def render(solution: Path) -> str:
    nb = nbformat.read(solution, as_version=4)
    return nbformat.writes(exercise_from_solution(nb)) + "\n"


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    stale = []
    for solution in sorted((ROOT / "solutions").glob("*.ipynb")):
        text, target = render(solution), target_for(solution)
        if check_only:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
        else:
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    for target in stale:
        print(f"stale: {target.relative_to(ROOT)} (run `make exercises`)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
