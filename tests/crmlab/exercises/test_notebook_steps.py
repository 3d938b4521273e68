"""A student's notebook runs wherever they stopped: tasks 1..k−1 answered (from the
solutions), task k onward unanswered, for every k — no error, no stderr.

One kernel per notebook; the namespace is reset between the passes (imported
modules and their caches stay, so each pass is quick).
"""

import re

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
BLOCK = re.compile(r"^\s*# BEGIN SOLUTION\s*$", re.MULTILINE)


def _passes(solution, exercise):
    """Per pass k: the cells' sources with the first k solution blocks answered."""
    blocks, index = [], 0
    for cell in solution.cells:
        if cell.cell_type == "code" and BLOCK.search(cell.source):
            blocks.append(index)
            index += 1
        else:
            blocks.append(None)
    for k in range(index + 1):
        yield k, [(s.source if b is not None and b < k else e.source)
                  for s, e, b in zip(solution.cells, exercise.cells, blocks, strict=True)
                  if s.cell_type == "code"]


def _shown(cell):
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for o in cell.outputs)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_partly_answered_exercise_notebooks_run_clean(path, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    solution = nbformat.read(path, as_version=4)
    solution.cells = [c for c in solution.cells  # left out of the student's copy
                      if "solution-only" not in c.get("metadata", {}).get("tags", [])]
    exercise = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    assert len(solution.cells) == len(exercise.cells)
    scratch = nbformat.v4.new_notebook()
    client = NotebookClient(scratch, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "exercises")}})
    with client.setup_kernel():
        for k, sources in _passes(solution, exercise):
            scratch.cells = [nbformat.v4.new_code_cell("%reset -f")] + [
                nbformat.v4.new_code_cell(source) for source in sources]
            for index, cell in enumerate(scratch.cells):
                client.execute_cell(cell, index)  # raises on an error output
                for out in cell.outputs:
                    assert not (out.output_type == "stream" and out.name == "stderr"), \
                        (k, cell.source, out.text)
            shown = "".join(_shown(c) for c in scratch.cells)
            assert "❌" not in shown, (k, shown)
            if k == 0:  # 'Run All' on the untouched notebook
                assert "✅" not in shown and shown.count("尚未作答") >= 4
