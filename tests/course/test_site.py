"""`make site`: the course website from the stored notebooks, offline, every chapter.

The build itself (shared with test_slides and test_browser) runs once per test run;
tests/course/test_browser*.py look at the pages in chromium and searches them with Pagefind.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys

import nbformat
import pytest

from tests import _web
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import web_common  # noqa: E402

NOTEBOOKS = sorted(p for folder in web_common.FOLDERS for p in (ROOT / folder).glob("*.ipynb"))
EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=[\"']"
    r"((?:https?:)?//[^\"']+)", re.IGNORECASE)
LOCAL_ASSET = re.compile(
    r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"'](?!#|data:|mailto:|https?:|//)([^\"'?#]+)",
    re.IGNORECASE)
# a widget class repr such as CLVCalculator(children=(HBox(... (class names are
# capitalised; code on the page such as df.assign(value=...) is not a repr)
REPR = re.compile(r"\b[A-Z]\w*\((?:children|value|description)=")


@pytest.fixture(scope="module")
def site():
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}
    built = _web.built_site()
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in NOTEBOOKS}
    assert before == after, "building the site changed a stored notebook"
    return built


def _html_files(site):
    return [p for p in site.rglob("*.html")
            if p.relative_to(site).parts[0] not in ("slides", "_static", "pagefind")]


@pytest.mark.slow
def test_every_notebook_has_a_page_and_the_landing_page_links_it(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        page = site / path.parent.name / f"{path.stem}.html"
        assert page.exists(), f"no page for {path.parent.name}/{path.name}"
        assert f"{path.parent.name}/{path.stem}.html" in index, f"landing page misses {path.name}"
        title = web_common.title_of(nbformat.read(path, as_version=4), path.stem)
        assert title in page.read_text(encoding="utf-8")
    for lecture in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"slides/{lecture.stem}.slides.html" in index


@pytest.mark.slow
def test_landing_page_has_the_syllabus_or_course_map(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    if (ROOT / "SYLLABUS.md").exists():
        heading = next(line for line in (ROOT / "SYLLABUS.md").read_text(encoding="utf-8")
                       .splitlines() if line.startswith("#"))
        assert heading.lstrip("# ").strip() in index
    else:
        assert "课程地图" in index and "Course map" in index
    assert 'id="pagefind-search"' in index


@pytest.mark.slow
def test_no_asset_comes_from_another_host_and_every_local_asset_exists(site):
    problems = []
    for page in _html_files(site) + list((site / "slides").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        problems += [f"{page.name}: {url}" for url in EXTERNAL_ASSET.findall(html)]
        for ref in LOCAL_ASSET.findall(html):
            target = (site / ref.lstrip("/")) if ref.startswith("/") else page.parent / ref
            if not target.exists():
                problems.append(f"{page.name}: missing {ref}")
    assert not problems, problems[:20]
    for css in site.rglob("*.css"):
        assert not re.search(r"@import\s+url\([\"']?(?:https?:)?//", css.read_text("utf-8")), css


@pytest.mark.slow
def test_math_is_served_by_the_site_itself(site):
    page = (site / "notebooks" / sorted((ROOT / "notebooks").glob("*.ipynb"))[0].name
            .replace(".ipynb", ".html")).read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', page, re.IGNORECASE)
    assert scripts and all(not s.startswith(("http", "//")) for s in scripts)
    assert (site / "_static" / "vendor" / "mathjax" / "es5" / "tex-svg-full.js").exists()


@pytest.mark.slow
def test_widgets_are_a_static_rendering_or_a_note_never_a_repr(site):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        widgets = sum(web_common.WIDGET_VIEW in o.get("data", {})
                      for c in nb.cells for o in c.get("outputs", []))
        html = (site / path.parent.name / f"{path.stem}.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", html)
        assert not REPR.search(text), f"{path.name}: a widget repr on the page"
        assert "jupyter-widgets" not in html and "require.js" not in html
        assert text.count(web_common.WIDGET_NOTE) == widgets, path.name


def test_static_widgets_shows_the_stored_output_widget_content():
    png = "iVBORw0KGgo="
    state = {"a": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_b"]}},
             "b": {"model_name": "OutputModel", "state": {"outputs": [
                 {"output_type": "display_data", "metadata": {},
                  "data": {"image/png": png, "text/plain": "<Figure>"}}]}}}
    nb = {"metadata": {"widgets": {web_common.WIDGET_STATE: {"state": state}}},
          "cells": [{"cell_type": "code", "source": "calc", "metadata": {}, "outputs": [
              {"output_type": "execute_result", "metadata": {}, "execution_count": 1,
               "data": {web_common.WIDGET_VIEW: {"model_id": "a"},
                        "text/plain": "CLVCalculator(children=(...))"}}]}]}
    out = web_common.static_widgets(nb)
    outputs = out["cells"][0]["outputs"]
    assert outputs[0]["data"]["image/png"] == png
    assert web_common.WIDGET_NOTE in outputs[-1]["data"]["text/plain"]
    assert "widgets" not in out["metadata"]
    assert "widgets" in nb["metadata"]  # the caller's notebook is untouched


def test_the_syllabus_falls_back_to_the_readme_course_map(tmp_path):
    (tmp_path / "README.md").write_text("# x\n\n## Course map\n\n| a |\n\n## Next\n", "utf-8")
    assert "Course map" in build_site.syllabus(tmp_path) and "Next" not in \
        build_site.syllabus(tmp_path)
    (tmp_path / "SYLLABUS.md").write_text("# 教学大纲\n", "utf-8")
    assert build_site.syllabus(tmp_path) == "# 教学大纲\n"


@pytest.mark.slow
def test_pagefind_indexed_the_pages_in_chinese(site):
    entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"zh' in entry
    assert list((site / "pagefind").glob("index/*.pf_index"))


@pytest.mark.slow
def test_course_font_is_served_as_woff2(site):
    font = site / "_static" / "vendor" / "course-sans-sc.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    css = (site / "_static" / "course.css").read_text(encoding="utf-8")
    assert "course-sans-sc.woff2" in css and "Course Sans SC" in css


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent.name != "exercises"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_stored_widgets_keep_their_state_under_stable_ids(path):
    nb = nbformat.read(path, as_version=4)
    views = [o["data"][web_common.WIDGET_VIEW]["model_id"] for c in nb.cells
             for o in c.get("outputs", []) if web_common.WIDGET_VIEW in o.get("data", {})]
    state = nb.metadata.get("widgets", {}).get(web_common.WIDGET_STATE, {}).get("state", {})
    missing = [v for v in views if v not in state]
    assert not missing, f"{path.name}: widget state not stored (run tools/run_notebooks.py)"
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) and int(key, 16) <= len(state)
               for key in state), "model ids are not the stable numbering"


def test_widget_ids_are_renumbered_in_creation_order_with_every_reference():
    import run_notebooks

    a, b = "9f" * 16, "0c" * 16
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {web_common.WIDGET_STATE: {"version_major": 2, "version_minor": 0,
                              "state": {a: {"model_name": "VBoxModel",
                                            "state": {"children": [f"IPY_MODEL_{b}"]}},
                                        b: {"model_name": "OutputModel",
                                            "state": {"msg_id": "x", "outputs": []}}}}}
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        web_common.WIDGET_VIEW: {"model_id": a}, "text/plain": "VBox()"})]
    nb.cells = [cell]
    run_notebooks.stable_widget_ids(nb)
    state = nb.metadata["widgets"][web_common.WIDGET_STATE]["state"]
    first, second = f"{1:032x}", f"{2:032x}"
    assert list(state) == [first, second]
    assert state[first]["state"]["children"] == [f"IPY_MODEL_{second}"]
    assert "msg_id" not in state[second]["state"]
    assert cell.outputs[0]["data"][web_common.WIDGET_VIEW]["model_id"] == first


def test_lab_settings_overrides_are_merged_and_the_font_css_written(tmp_path):
    import setup_lab

    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "overrides.json").write_text(
        '{"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}', "utf-8")
    merged = json.loads(setup_lab.write_overrides(settings).read_text("utf-8"))
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert merged["@jupyterlab/translation-extension:plugin"]["locale"] == "zh_CN"
    assert merged["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    css = setup_lab.write_custom_css(tmp_path / "custom").read_text("utf-8")
    assert "course-sans-sc.ttf" in css and "--jp-content-font-family" in css
    assert (tmp_path / "custom" / "course-sans-sc.ttf").read_bytes()[:4] == b"\x00\x01\x00\x00"
    assert (tmp_path / "custom" / "course-marks.ttf").exists() and "U+23F3" in css


def test_reading_order_goes_lecture_exercises_next_lecture():
    pages = web_common.discover(ROOT)
    links = build_site.reading_order(pages)
    lectures = [p.docname for p in pages if p.folder == "notebooks"]
    exercises = {p.chapter: p.docname for p in pages if p.folder == "exercises"}
    assert links["index"]["next"] == lectures[0]
    for page in (p for p in pages if p.folder == "notebooks"):
        later = lectures[lectures.index(page.docname) + 1:]
        follow = exercises.get(page.chapter) or (later[0] if later else None)
        assert links[page.docname]["next"] == follow, page.docname
        if page.chapter in exercises:
            assert links[exercises[page.chapter]]["next"] == (later[0] if later else None)
            assert links[exercises[page.chapter]]["prev"] == page.docname
    for page in (p for p in pages if p.folder == "solutions"):  # beside its exercises
        assert links[page.docname]["prev"] in (exercises.get(page.chapter),
                                                f"notebooks/{page.path.stem}")
        assert links[page.docname]["next"] in (*lectures, None)
    last = [p for p in pages if p.folder == "notebooks"][-1]
    assert links[exercises.get(last.chapter, last.docname)]["next"] is None  # never to ch0


def test_links_to_repository_files_become_site_links_or_plain_text(tmp_path):
    page = web_common.Page("notebooks", ROOT / "notebooks" / "00_x.ipynb", "00", "t")
    other = web_common.Page("exercises", ROOT / "exercises" / "00_x_exercises.ipynb", "00", "e")
    text = ("见 [SYLLABUS.md](../SYLLABUS.md#ch0)、[练习](../exercises/00_x_exercises.ipynb)、"
            "[数据说明](../datasets/cdnow/README.md) 和 [外部](https://example.org)")
    out = build_site._site_links(text, page, [page, other], ROOT)
    assert "[SYLLABUS.md](../index.md)" in out
    assert "[练习](../exercises/00_x_exercises.ipynb)" in out
    assert "数据说明（`datasets/cdnow/README.md`）" in out and "](../datasets" not in out
    assert "[外部](https://example.org)" in out


def test_site_copy_titles_solutions_and_folds_plotting_code():
    pages = web_common.discover(ROOT)
    solution = next(p for p in pages if p.folder == "solutions")
    nb = json.loads(solution.path.read_text(encoding="utf-8"))
    out = build_site.prepare_notebook(nb, solution, pages, ROOT)
    assert web_common.title_of(out, "") == solution.title + build_site.SOLUTION_MARK
    lecture = next(p for p in pages if p.folder == "notebooks")
    out = build_site.prepare_notebook(json.loads(lecture.path.read_text("utf-8")), lecture,
                                      pages, ROOT)
    plotting = [c for c in out["cells"] if c["cell_type"] == "code"
                and web_common.is_plotting_cell(c)]
    assert plotting and all("hide-input" in c["metadata"]["tags"] for c in plotting)


@pytest.mark.slow
def test_every_page_offers_its_notebook_and_every_lecture_a_pdf_handout(site):
    for path in NOTEBOOKS:
        html = (site / path.parent.name / f"{path.stem}.html").read_text(encoding="utf-8")
        copy = site / path.parent.name / path.name
        assert copy.read_bytes() == path.read_bytes(), f"{path.name}: no notebook to download"
        assert f'href="{path.name}"' in html
        if path.parent.name == "notebooks" and build_site.chromium():
            pdf = site / "notebooks" / f"{path.stem}.pdf"
            data = pdf.read_bytes()
            assert data[:5] == b"%PDF-" and f'href="{path.stem}.pdf"' in html
            assert re.search(rb"/MediaBox\s*\[\s*0 0 595\.9\d* 842", data), "not A4"
            assert b"NotoSansSCGB2312" in data, f"{pdf.name}: course font not embedded"
            assert len(re.findall(rb"/Type\s*/Page\b", data)) > 2


@pytest.mark.slow
def test_the_site_ships_no_build_cache_and_each_asset_once(site):
    assert not (site / ".doctrees").exists()
    assert not (site / "slides" / "vendor").exists()  # slides use the site's _static/vendor
    assert not list((site / "slides").rglob("*.png"))  # and its _images
    for deck in (site / "slides").glob("*.html"):
        assert "src=\"data:image/png;base64" not in deck.read_text(encoding="utf-8"), deck.name
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site: {size / 1e6:.1f} MB")


@pytest.mark.slow
def test_solution_pages_are_titled_and_rank_after_lectures(site):
    for path in (ROOT / "solutions").glob("*.ipynb"):
        html = (site / "solutions" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert re.search(r"<title>[^<]*参考答案", html), path.name
        assert f'data-pagefind-weight="{build_site.SOLUTION_WEIGHT}"' in html
    for path in (ROOT / "exercises").glob("*.ipynb"):
        html = (site / "exercises" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert "参考答案" not in re.search(r"<title>([^<]*)", html).group(1)


@pytest.mark.slow
def test_site_has_copy_buttons_and_folded_plotting_code(site):
    page = (site / "notebooks" / f"{sorted((ROOT / 'notebooks').glob('*.ipynb'))[2].stem}.html")
    html = page.read_text(encoding="utf-8")
    assert "copybutton.js" in html
    assert "显示绘图代码" in html and 'class="cell tag_hide-input' in html
