"""The exercise generator turns solutions into runnable, unanswered exercises."""

import subprocess
import sys

import nbformat
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import make_exercises as mx  # noqa: E402


def test_block_becomes_one_placeholder_per_assigned_name():
    source = ("x = 1\n# BEGIN SOLUTION\na = 2\nb, c = a, 3\na += 1\n# END SOLUTION\n"
              "check('t', a)")
    assert mx.strip_solutions(source).splitlines() == [
        "x = 1", "a = ...  # 在这里作答", "b = ...  # 在这里作答", "c = ...  # 在这里作答",
        "check('t', a)"]


def test_a_name_an_earlier_cell_defined_is_never_reset_to_a_placeholder():
    solution = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# BEGIN SOLUTION\nfile = build()\nx = 1\n# END SOLUTION"),
        nbformat.v4.new_code_cell("# BEGIN SOLUTION\nfile = build()\ny = file[0]\n"
                                  "# END SOLUTION\ncheck('t', y)"),
    ])
    cells = [c.source for c in mx.exercise_from_solution(solution).cells]
    assert cells[1] == "y = ...  # 在这里作答\ncheck('t', y)"
    assert "file = ..." in cells[0]


def test_indented_block_keeps_its_indentation():
    source = "for i in range(2):\n    # BEGIN SOLUTION\n    total = i\n    # END SOLUTION\n"
    assert mx.strip_solutions(source) == "for i in range(2):\n    total = ...  # 在这里作答"


def test_block_without_assignment_leaves_a_comment():
    assert mx.strip_solutions("# BEGIN SOLUTION\nprint(1)\n# END SOLUTION") == "# 在这里作答"


def test_unclosed_block_is_an_error():
    with pytest.raises(ValueError, match="no matching"):
        mx.strip_solutions("# BEGIN SOLUTION\nx = 1\n")


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--output-format",
                             "concise", "crmlab", "tests", "tools", "benchmarks", "course.py"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
