"""course.py (what `make lab` / `make test` run, on every OS): its steps, on Linux.

Fast: the pip and JupyterLab steps run with --dry-run; the workspace is seeded for
real in a temporary copy; creating a virtual environment is run for real.
"""

import os
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
import course  # noqa: E402


@pytest.fixture
def clone(tmp_path):
    """A minimal copy of the repository: the files course.py reads."""
    for name in ("course.py", "pyproject.toml", "constraints.txt"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    (tmp_path / "exercises").mkdir()
    for notebook in (ROOT / "exercises").glob("*.ipynb"):
        (tmp_path / "exercises" / notebook.name).write_bytes(notebook.read_bytes())
    return tmp_path


def _course(clone, *args):
    return subprocess.run([sys.executable, str(clone / "course.py"), *args],
                          cwd=clone, capture_output=True, text=True, timeout=120)


def test_the_venv_interpreter_is_where_each_os_puts_it(tmp_path):
    assert course.venv_python(tmp_path, "nt") == tmp_path / "Scripts" / "python.exe"
    assert course.venv_python(tmp_path, "posix") == tmp_path / "bin" / "python"


def test_lab_seeds_the_workspace_and_never_overwrites_a_students_answers(clone):
    result = _course(clone, "--dry-run", "lab")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # a fresh clone: create .venv, install the pinned versions (what the course needs:
    # no developer or docs extras), then open JupyterLab
    assert any(" -m venv " in line for line in lines)
    installs = [line for line in lines if "pip install" in line and "constraints.txt" in line]
    assert len(installs) == 1 and "-c" in installs[0] and "[" not in installs[0].split()[-1]
    assert any(line.startswith("[1/") for line in lines)  # numbered steps for the student
    assert lines[-1].split()[2:4] == ["-m", "jupyterlab"]
    assert f"--LabApp.default_url={course.LAB_URL}" in lines[-1]
    assert ("--allow-root" in lines[-1]) == (os.geteuid() == 0)
    assert not (clone / "workspace").exists()  # dry run: nothing copied

    assert _course(clone, "workspace").returncode == 0
    copied = sorted(p.name for p in (clone / "workspace").iterdir())
    assert copied == sorted(p.name for p in (clone / "exercises").glob("*.ipynb"))
    mine = clone / "workspace" / copied[0]
    mine.write_text("my answers", encoding="utf-8")
    (clone / "workspace" / copied[1]).unlink()
    result = _course(clone, "workspace")
    assert mine.read_text(encoding="utf-8") == "my answers"   # never overwritten
    assert (clone / "workspace" / copied[1]).exists()           # missing ones come back
    assert result.stdout.strip() == f"copied workspace/{copied[1]}"


def test_test_runs_the_one_pytest_command_and_leaves_the_workspace_alone(clone):
    result = _course(clone, "--dry-run", "test")
    assert result.returncode == 0, result.stderr
    assert any("pip install" in line and line.endswith("[dev,docs]")
               for line in result.stdout.splitlines())
    last = result.stdout.splitlines()[-1].split()
    assert last[2:] == course.TEST_ARGS
    assert "workspace" not in result.stdout


def test_an_installed_venv_is_reused(clone):
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    assert course.venv_python(venv).exists()
    assert course.needs_install(clone, venv)          # no stamp yet
    (venv / course.STAMP_NAME).touch()
    assert not course.needs_install(clone, venv)
    result = _course(clone, "--dry-run", "test")
    assert "pip install" not in result.stdout and " -m venv " not in result.stdout
    assert not course.needs_install(clone, venv, extras=())  # the full install serves lab
    os.utime(clone / "constraints.txt")              # new pins: install again
    later = (venv / course.STAMP_NAME).stat().st_mtime + 10
    os.utime(clone / "constraints.txt", (later, later))
    assert course.needs_install(clone, venv)


def test_workspace_is_ignored_by_git_and_by_the_tests():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/workspace/" in ignored
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "workspace" not in " ".join(config["tool"]["pytest"]["ini_options"]["testpaths"])


def test_makefile_calls_course_py_for_lab_test_and_install():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("lab", "test", "install"):
        assert f"$(PYTHON) course.py {target}" in makefile


def test_course_py_uses_the_standard_library_only():
    import ast

    tree = ast.parse((ROOT / "course.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_readme_gives_both_forms_and_the_mirror_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in ("python course.py lab", "python course.py test", "make lab", "make test",
                 "PIP_INDEX_URL", "workspace/"):
        assert readme.count(text) >= 2, text  # English and Chinese parts
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_a_students_install_is_reused_by_lab_but_not_by_test(clone):
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    (venv / course.LAB_STAMP_NAME).touch()
    assert not course.needs_install(clone, venv, extras=())
    assert course.needs_install(clone, venv)          # tests need the dev and docs extras
    assert "pip install" not in _course(clone, "--dry-run", "lab").stdout
    assert "[dev,docs]" in _course(clone, "--dry-run", "test").stdout


DEVELOPER_ONLY = {"pytest", "nbval", "hypothesis", "ruff", "playwright", "sphinx", "myst-nb",
                  "sphinx-book-theme", "pagefind", "jupytext", "duckdb"}


def _name(requirement: str) -> str:
    import re

    return re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_the_student_install_pulls_no_developer_or_docs_package():
    """What `lab` installs: crmlab's runtime requirements and everything they require in
    turn (read from the installed packages' metadata), none of the dev/docs tools."""
    from importlib import metadata

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [_name(r) for r in config["project"]["dependencies"]]
    seen = set()
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        wanted += [_name(r) for r in requires if "extra ==" not in r]
    assert not seen & DEVELOPER_ONLY, seen & DEVELOPER_ONLY
    assert {"pandas", "jupyterlab", "ipywidgets"} <= seen
    extras = config["project"]["optional-dependencies"]
    listed = {_name(r) for group in ("dev", "docs") for r in extras[group]}
    assert {"pytest", "playwright", "sphinx", "pagefind"} <= listed


def test_lab_hides_the_developers_folders():
    command = course.lab_command(ROOT, ROOT / ".venv")
    hidden = {a.split("=", 1)[1] for a in command if a.startswith("--ContentsManager.hide_globs")}
    assert {"tools", "tests", "benchmarks", "build"} <= hidden
    assert not hidden & {"notebooks", "exercises", "solutions", "workspace", "datasets"}


def test_trusting_the_notebooks_prints_one_line_however_many_there_are(tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    for index in range(3):
        (tmp_path / "notebooks" / f"0{index}.ipynb").write_bytes(
            (ROOT / "exercises" / "00_overview_exercises.ipynb").read_bytes())
    for _ in range(2):  # the second time every notebook is "already signed"
        course.trust(tmp_path, ROOT / ".venv")
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 1 and "3" in lines[0], lines
