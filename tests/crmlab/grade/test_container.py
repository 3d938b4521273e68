"""The Docker/Podman backend of the gradebook, against a test double of the engine.

No container engine runs on the test machines, so the tests put a fake ``docker`` and
``podman`` on PATH: a small Python script that records its arguments and, for
``run``, executes the container's command as a local process (the image's course is
this repository's crmlab with ``crmlab/exercises`` replaced by the mounted student
view, ``/home/student`` and ``/tmp`` fresh folders). It is ONLY a test double: it
isolates nothing, so the submissions graded through it are harmless ones (honest
answers, a copied-answer attempt the student view refuses, a bad result line and an
endless loop). The real engine is tried by the last test, skipped where none answers.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap

import pytest

from crmlab.exercises import tasks
from crmlab.grade import SandboxUnavailable, grade
from crmlab.grade.__main__ import main
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the fake engine is POSIX")

IDS = tasks("ch2")
TIMEOUT = 8
SOLUTION = ROOT / "solutions" / "02_clv_exercises.ipynb"
HEADER = "from crmlab.exercises import check, given\nimport os\n"
EX1 = "check('ch2.ex1', [200 / 1.08 ** t for t in (1, 2, 3)])"

FAKE = textwrap.dedent('''\
    #!{python}
    """TEST DOUBLE of docker/podman: records argv; `run` runs the command LOCALLY."""
    import json, os, signal, sys, tempfile
    from pathlib import Path

    state = Path(os.environ["FAKE_ENGINE_STATE"])
    args = sys.argv[1:]
    with open(state / "calls.jsonl", "a", encoding="utf-8") as log:
        log.write(json.dumps([Path(sys.argv[0]).name, *args]) + "\\n")
    if args[:1] == ["info"]:
        sys.exit(0 if (state / "daemon").exists() else 1)
    if args[:2] == ["image", "inspect"]:
        sys.exit(0 if args[2] in (state / "images").read_text().split() else 1)
    if args[:1] == ["kill"]:
        os.killpg(int((state / (args[1] + ".pid")).read_text()), signal.SIGKILL)
        sys.exit(0)
    if args[:1] == ["rm"]:
        sys.exit(0)
    assert args[0] == "run"
    VALUED = {{"--name", "--network", "--cap-drop", "--security-opt", "--pids-limit",
              "--memory", "--memory-swap", "--cpus", "--user", "--tmpfs", "--mount",
              "--workdir", "--env"}}
    options, i = {{}}, 1
    while args[i].startswith("-"):
        if args[i] in VALUED:
            options.setdefault(args[i], []).append(args[i + 1])
            i += 2
        else:
            i += 1
    image, command = args[i], args[i + 1:]
    if image == "broken":
        print("Error: OCI runtime create failed (test double)", file=sys.stderr)
        sys.exit(125)
    name = options["--name"][0]
    (state / (name + ".pid")).write_text(str(os.getpid()))
    box = Path(tempfile.mkdtemp(prefix=name, dir=state))
    home, tmp, course = box / "home", box / "tmp", box / "course"
    for folder in (home, tmp, course / "crmlab"):
        folder.mkdir(parents=True)
    package = Path({package!r})
    mounts = dict(m.split("=", 1) for spec in options["--mount"] for m in spec.split(",")
                  if "=" in m)
    for entry in package.iterdir():
        if entry.name != "exercises":
            (course / "crmlab" / entry.name).symlink_to(entry)
    assert mounts["target"] == command[-1] + "/crmlab/exercises"
    (course / "crmlab" / "exercises").symlink_to(mounts["source"])
    env = {{}}
    for item in options["--env"]:
        key, value = item.split("=", 1)
        env[key] = value.replace("/home/student", str(home)).replace("/tmp", str(tmp))
    os.chdir(home)
    python = sys.executable
    os.execve(python, [python, *command[1:-1], str(course)], env)
''')


def notebook(path, *cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                       "execution_count": None, "source": c} for c in cells],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def fake_engines(folder, monkeypatch, *, daemon=True, images=("crmlab-grader",)):
    """Put the fake docker and podman first on PATH; return the folder of its records."""
    import crmlab

    state = folder / "state"
    state.mkdir(parents=True)
    (state / "images").write_text("\n".join(images))
    if daemon:
        (state / "daemon").touch()
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = FAKE.format(python=sys.executable,
                         package=str(os.path.dirname(os.path.realpath(crmlab.__file__))))
    for name in ("docker", "podman"):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(stat.S_IRWXU)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_ENGINE_STATE", str(state))
    return state


def calls(state):
    lines = (state / "calls.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def no_bwrap(monkeypatch):
    from crmlab.grade import _bwrap

    def refuse(*args, **kwargs):
        raise SandboxUnavailable(_bwrap.NO_SANDBOX)

    monkeypatch.setattr(_bwrap, "sandbox_command", refuse)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("container")
    state = fake_engines(root, monkeypatch)
    no_bwrap(monkeypatch)
    sub = root / "submissions"
    honest = json.loads(SOLUTION.read_text(encoding="utf-8"))
    (sub / "honest.ipynb").parent.mkdir(parents=True)
    (sub / "honest.ipynb").write_text(json.dumps(honest, ensure_ascii=False), "utf-8")
    notebook(sub / "copier.ipynb", HEADER, EX1,
             "from crmlab.exercises import expected_answer\n"
             "check('ch2.ex3', expected_answer('ch2.ex3'))")
    notebook(sub / "garbler.ipynb", HEADER, EX1,
             "os.write(3, b'{\"type\": \"answer\", \"task\": \"ch3.ex1\", \"value\": 1}\\n')",
             "check('ch2.ex3', 1600)")
    notebook(sub / "loop.ipynb", HEADER, EX1, "while True:\n    pass")
    notebook(sub / "shouter.ipynb", HEADER, "for _ in range(2000):\n    os.write(2, b'x' * 65536)",
             EX1)
    out = root / "gradebook"
    try:
        book = grade(sub, "ch2", out=out, timeout=TIMEOUT, jobs=2)
    finally:
        monkeypatch.undo()
    return {"book": book, "by": {s.file.removesuffix(".ipynb"): s for s in book.submissions},
            "calls": calls(state), "out": out}


def runs(graded):
    return [call for call in graded["calls"] if call[1] == "run"]


def test_without_bwrap_podman_comes_first_and_every_submission_gets_a_container(graded):
    assert graded["book"].backend == "podman"
    assert {call[0] for call in runs(graded)} == {"podman"}
    names = [call[call.index("--name") + 1] for call in runs(graded)]
    assert len(names) == len(set(names)) == 5


def test_each_container_is_isolated_by_these_flags(graded):
    for call in runs(graded):
        text = " ".join(call)
        for flag in ("--rm", "--network none", "--read-only", "--cap-drop ALL",
                     "--security-opt no-new-privileges", "--pids-limit 64",
                     "--memory 3072m", "--memory-swap 3072m", "--cpus 1", "--user 65534:65534",
                     "--tmpfs /tmp:rw,nosuid,nodev,size=64m",
                     "--tmpfs /home/student:rw,nosuid,nodev,size=64m"):
            assert flag in text, flag
        assert call[call.index("--workdir") + 1] == "/home/student"
        image = call.index("crmlab-grader")
        assert call[image + 1:image + 3] == ["python", "-I"]
        # nothing of the grader's machine is mounted but the student view, read-only
        mounts = [call[i + 1] for i, arg in enumerate(call) if arg == "--mount"]
        assert len(mounts) == 1 and mounts[0].split(",")[2:] == [
            "target=/srv/crmlab/course/crmlab/exercises", "readonly", "relabel=shared"]
        assert not any(arg in ("-v", "--volume", "--privileged") for arg in call)


def test_honest_work_gets_full_marks(graded):
    honest = graded["by"]["honest"]
    assert honest.total == len(IDS), honest.results
    assert not honest.flags
    assert "Podman 容器" in (graded["out"] / "report.html").read_text("utf-8")


def test_the_answer_modules_are_masked_by_the_student_view(graded):
    copier = graded["by"]["copier"]
    assert copier.results["ch2.ex1"].status == "correct"
    result = copier.results["ch2.ex3"]
    assert result.status == "error" and "PermissionError" in result.message


def test_a_bad_result_line_makes_only_that_submission_an_error(graded):
    garbler = graded["by"]["garbler"]
    assert {r.status for r in garbler.results.values()} == {"error"}
    assert "不合规" in " ".join(garbler.flags)
    kills = [call for call in graded["calls"] if call[1] in ("kill", "rm")]
    assert len(kills) == 4           # the garbler's and the loop's containers, killed + removed


def test_a_flood_on_stderr_is_drained_and_the_answers_still_count(graded):
    shouter = graded["by"]["shouter"]
    assert shouter.results["ch2.ex1"].status == "correct", shouter.flags


def test_the_wall_clock_limit_kills_the_container(graded):
    loop = graded["by"]["loop"]
    assert loop.results["ch2.ex1"].status == "correct"
    assert any("超时" in flag or "时限" in flag for flag in loop.flags), loop.flags
    killed = {call[2] for call in graded["calls"] if call[1] == "kill"}
    removed = {call[3] for call in graded["calls"] if call[1] == "rm"}
    assert len(killed) == 2 and killed == removed
    assert killed <= {call[call.index("--name") + 1] for call in runs(graded)}
    assert loop.seconds < TIMEOUT + 20


def test_docker_on_the_command_line(tmp_path, monkeypatch, capsys):
    state = fake_engines(tmp_path, monkeypatch)
    sub = tmp_path / "sub"
    notebook(sub / "a.ipynb", HEADER, EX1)
    assert main([str(sub), "--chapter", "ch2", "--out", str(tmp_path / "gb"),
                 "--backend", "docker", "--container-image", "crmlab-grader",
                 "--timeout", str(TIMEOUT)]) == 0
    assert [call[:2] for call in calls(state)] == [["docker", "info"],
                                                   ["docker", "image"], ["docker", "run"]]
    run = calls(state)[-1]
    assert run[run.index("--mount") + 1].endswith(",readonly")    # no podman-only option
    assert "Docker 容器" in (tmp_path / "gb" / "report.html").read_text("utf-8")


def test_a_missing_image_or_engine_is_refused_in_both_languages(tmp_path, monkeypatch):
    state = fake_engines(tmp_path, monkeypatch, images=())
    sub = tmp_path / "sub"
    notebook(sub / "a.ipynb", HEADER, EX1)
    monkeypatch.setenv("CRMLAB_GRADE_IMAGE", "course:1")
    with pytest.raises(SandboxUnavailable, match="docker build -f deploy/z2jh/Dockerfile"
                                                 " -t course:1") as refused:
        grade(sub, "ch2", out=None, backend="docker")
    assert "--trusted" in str(refused.value) and "WSL2" in str(refused.value)
    (state / "daemon").unlink()
    no_bwrap(monkeypatch)
    with pytest.raises(SandboxUnavailable, match="无法建立评分沙箱.*Docker.*Podman"):
        grade(sub, "ch2", out=None)
    assert not [call for call in calls(state) if call[1] == "run"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="沙箱后端 backend='lxc' 无效"):
        grade(tmp_path / "empty", "ch2", out=None, backend="lxc")


def test_a_real_engine_grades_honest_work(tmp_path):
    from crmlab.grade._container import find_engine, image_name

    engine = find_engine()
    if engine is None:
        pytest.skip("no Docker or Podman engine answers here (`docker info` fails)")
    found = subprocess.run([engine, "image", "inspect", image_name()], capture_output=True)
    if found.returncode != 0:
        pytest.skip(f"no image {image_name()!r}: docker build -f deploy/z2jh/Dockerfile "
                    "-t crmlab-grader .")
    sub = tmp_path / "sub"
    notebook(sub / "a.ipynb", HEADER, EX1)
    book = grade(sub, "ch2", out=None, backend=os.path.basename(engine), timeout=120)
    assert book.submissions[0].results["ch2.ex1"].status == "correct"


@pytest.mark.skipif(not shutil.which("bwrap"), reason="needs bubblewrap")
def test_bubblewrap_stays_first_when_it_runs(tmp_path, monkeypatch):
    state = fake_engines(tmp_path, monkeypatch)
    sub = tmp_path / "sub"
    notebook(sub / "a.ipynb", HEADER, EX1)
    book = grade(sub, "ch2", out=None, timeout=TIMEOUT)
    assert book.backend == "bwrap" and book.submissions[0].results["ch2.ex1"].status == "correct"
    assert not (state / "calls.jsonl").exists()          # no engine was even asked


def test_an_engine_that_cannot_start_the_container_is_a_line_for_that_student(tmp_path,
                                                                             monkeypatch):
    fake_engines(tmp_path, monkeypatch, images=("broken",))
    sub = tmp_path / "sub"
    notebook(sub / "a.ipynb", HEADER, EX1)
    book = grade(sub, "ch2", out=tmp_path / "gb", backend="podman", image="broken")
    flags = " ".join(book.submissions[0].flags)
    assert book.submissions[0].results["ch2.ex1"].status != "correct"
    assert "未能运行容器" in flags and "OCI runtime create failed" in flags, flags
    assert sorted(p.name for p in (tmp_path / "gb").iterdir()) == \
        ["feedback", "grades.csv", "report.html"]
