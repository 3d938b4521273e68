"""SYLLABUS.md (教学大纲) stays in sync with the notebooks; README points to it and to
nothing outside the repository."""

import re

import pytest

from tests.conftest import ROOT

SYLLABUS = ROOT / "SYLLABUS.md"
NOTEBOOKS = sorted(p.relative_to(ROOT).as_posix()
                   for folder in ("notebooks", "exercises", "solutions")
                   for p in (ROOT / folder).glob("*.ipynb"))


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if not n.startswith("solutions/")])
def test_the_syllabus_names_every_notebook(notebook):
    assert f"`{notebook}`" in SYLLABUS.read_text(encoding="utf-8"), notebook


def test_the_syllabus_has_every_chapter_with_its_parts():
    text = SYLLABUS.read_text(encoding="utf-8")
    chapters = re.findall(r"^## 第 (\d) 章", text, flags=re.MULTILINE)
    assert chapters == [str(n) for n in range(8)]
    for block in re.split(r"^## 第 \d 章", text, flags=re.MULTILINE)[1:]:
        for part in ("对应讲义 Lecture sections", "学习目标 Learning goals", "笔记本 Notebook",
                     "练习 Exercises", "数据 Datasets", "参考文献 References"):
            assert part in block, part


def test_the_syllabus_cites_lectures_by_title_not_by_file():
    text = SYLLABUS.read_text(encoding="utf-8")
    assert not re.search(r"seed|\.txt", text, flags=re.IGNORECASE)


def test_readme_points_to_the_syllabus_and_nothing_outside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.count("SYLLABUS.md") >= 2  # English and Chinese parts
    assert "COURSE_SPEC" not in readme and "../" not in readme and "shared folder" not in readme
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith(("http://", "https://")):
            assert (ROOT / target).exists(), target
