"""Stored notebooks are what a student sees: executed, clean, portable, well-formed.

nbval (configured in pyproject) re-runs notebooks/ and solutions/ and compares
outputs; these tests check what nbval does not.
"""

import re
import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT

LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
STORED = LECTURES + SOLUTIONS
ABSOLUTE = re.compile(r"(/work/|/home/|/Users/|/root/|/tmp/|[A-Za-z]:\\\\)")


def _id(path):
    return f"{path.parent.name}/{path.name}"


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


@pytest.mark.parametrize("path", STORED, ids=_id)
def test_stored_notebook_is_executed_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    problems = []
    for index, cell in enumerate(_code_cells(nb)):
        if cell.execution_count is None:
            problems.append(f"cell {index}: not executed")
        for out in cell.outputs:
            if out.output_type == "error":
                problems.append(f"cell {index}: error {out.ename}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {index}: stderr {out.text[:80]!r}")
    counts = [c.execution_count for c in _code_cells(nb)]
    if counts != list(range(1, len(counts) + 1)):
        problems.append(f"not run top to bottom in one go: execution counts {counts[:8]}...")
    assert problems == []


@pytest.mark.parametrize("path", STORED + EXERCISES, ids=_id)
def test_no_absolute_paths(path):
    text = path.read_text(encoding="utf-8")
    sources = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
    outputs = re.sub(r'"image/png": "[^"]*"', "", text)
    assert not ABSOLUTE.search(sources), ABSOLUTE.search(sources)
    assert not ABSOLUTE.search(outputs), ABSOLUTE.search(outputs)


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_has_the_chapter_shape(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "学习目标" in first
    for heading in ("本章小结", "思考题"):
        assert heading in markdown, heading
    links = re.findall(r"\]\((\.\./exercises/[^)]+\.ipynb)\)", markdown)
    assert links, "link to the chapter's exercises"
    for link in links:
        assert (path.parent / link).resolve().is_file(), link
    assert "plotting.setup()" in _code_cells(nb)[0].source
    untagged = [i for i, c in enumerate(nb.cells)
                if "slide_type" not in c.metadata.get("slideshow", {})]
    assert untagged == [], f"cells without slide metadata: {untagged[:10]}"


@pytest.mark.parametrize("path", EXERCISES, ids=_id)
def test_exercise_twin_has_no_outputs_and_no_answers(path):
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        assert cell.outputs == [] and cell.execution_count is None
        assert "# BEGIN SOLUTION" not in cell.source


def test_exercises_are_generated_from_solutions():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]


def test_every_chapter_has_solutions():
    chapters = {p.name.split("_")[0] for p in LECTURES}
    assert chapters == {p.name.split("_")[0] for p in SOLUTIONS}


def _shown(cell):
    """Everything a cell shows as text: streams and the plain text of results."""
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "")
                   for o in cell.outputs)


@pytest.mark.parametrize("path", SOLUTIONS, ids=_id)
def test_solutions_answer_every_task(path):
    nb = nbformat.read(path, as_version=4)
    calls = [c for c in _code_cells(nb) if c.source.strip().splitlines()[-1].startswith("check(")]
    assert len(calls) >= 4
    for cell in calls:
        shown = _shown(cell)
        assert shown.startswith(("✅", "📝")), (cell.source, shown)
    assert not any("❌" in _shown(c) for c in _code_cells(nb))


@pytest.mark.parametrize("path", LECTURES, ids=_id)
def test_lecture_converts_to_slides(path, tmp_path):
    """Lecturers can present with `jupyter nbconvert --to slides` (reveal.js)."""
    from nbconvert import SlidesExporter

    body, _ = SlidesExporter().from_filename(str(path))
    assert body.count('<section') >= 5


@pytest.mark.parametrize("path", STORED, ids=_id)
def test_charts_are_stored_sharp_for_a_projector(path):
    """plotting.setup() stores inline charts as retina PNG: twice the pixels, shown at
    the size in the metadata (so they stay sharp on a projector and on the site)."""
    nb = nbformat.read(path, as_version=4)
    soft = [index for index, cell in enumerate(_code_cells(nb))
            for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})
            and "width" not in out.get("metadata", {}).get("image/png", {})]
    assert soft == [], f"code cells with plain (non-retina) PNG charts: {soft}"
