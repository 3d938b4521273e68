"""`make slides`: one offline reveal.js deck per lecture notebook, cut to fit 1280x720.

The height of every slide is measured in chromium by tests/course/test_browser_slides.py; here: the
decks exist, load nothing from another host, hide plotting code, and the splitting
logic works on any notebook.
"""

from __future__ import annotations

import re
import sys
from html import unescape

import nbformat
import pytest

from tests import _web
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_slides  # noqa: E402

LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def slides():
    return _web.built_site() / "slides"


@pytest.mark.slow
def test_one_deck_per_lecture_with_local_reveal_and_mathjax(slides):
    assert sorted(p.name for p in slides.glob("*.slides.html")) == \
        [f"{p.stem}.slides.html" for p in LECTURES]
    for deck in slides.glob("*.slides.html"):
        html = deck.read_text(encoding="utf-8")
        # nothing is loaded from another host (a reader's reference link <a href> is fine)
        external = re.search(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*"
                             r"\b(?:src|href)=[\"'](?:https?:)?//", html, re.IGNORECASE)
        assert not external, (deck.name, external and external.group(0))
        # the site's own copies of reveal.js, MathJax and the fonts (not a second set)
        assert "../_static/vendor/reveal.js/dist/reveal.js" in html
        assert "../_static/vendor/mathjax/es5/tex-svg-full.js" in html
        assert "width: 1280, height: 720" in html and "navigationMode: 'linear'" in html
        assert "require.js" not in html and "jquery" not in html.lower()
    vendor = slides.parent / "_static" / "vendor"
    for asset in ("reveal.js/dist/reveal.js", "reveal.js/dist/theme/white.css",
                  "reveal.js/plugin/notes/notes.js", "mathjax/es5/tex-svg-full.js",
                  "course-sans-sc.woff2", "course-marks.woff2", "course-slides.css"):
        assert (vendor / asset).exists(), asset


@pytest.mark.slow
@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_plotting_code_is_hidden_and_every_chart_shown(slides, path):
    nb = nbformat.read(path, as_version=4)
    html = (slides / f"{path.stem}.slides.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)
    assert html.count('src="../_images/') >= pngs
    for name in set(re.findall(r'src="\.\./_images/([0-9a-f]{64}\.png)"', html)):
        assert (slides.parent / "_images" / name).exists(), name
    setup = [c for c in nb.cells if build_slides.is_setup_cell(c)]
    for cell in setup:  # no import/setup slide
        assert cell.source.splitlines()[0] not in text, f"{path.name}: setup cell on a slide"
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', html, re.S)
    if "要点" in "".join(c.source for c in nb.cells if c.cell_type == "markdown"):
        assert notes and any("要点" in n for n in notes), f"{path.name}: no speaker notes"
    hidden = [c for c in nb.cells if c.cell_type == "code" and build_slides._hides_input(c)]
    shown = "\n".join(c.source for c in nb.cells
                      if c.cell_type == "code" and not build_slides._hides_input(c))
    for cell in hidden:
        line = max(cell.source.splitlines(), key=len).strip()
        if line not in shown:
            assert line not in text, f"{path.name}: plotting code on a slide: {line}"


def _cell(kind, source="", slide=None, outputs=()):
    cell = {"cell_type": kind, "source": source, "metadata": {}}
    if slide:
        cell["metadata"]["slideshow"] = {"slide_type": slide}
    if kind == "code":
        cell.update(outputs=list(outputs), execution_count=1)
    return cell


def test_fit_starts_a_subslide_where_a_slide_would_pass_the_screen():
    printout = {"output_type": "stream", "name": "stdout",
                "text": "\n".join(f"第 {i} 行" for i in range(14))}
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _cell("markdown", "# 标题", "slide"),
        *[_cell("code", "a = 1\nb = 2\nprint(a, b)", outputs=[printout]) for _ in range(4)]]}
    out = build_slides.fit(nb)
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type", "-") for c in out["cells"]]
    assert kinds[0] == "slide" and "subslide" in kinds
    used = 0.0
    for cell in out["cells"]:
        kind = cell["metadata"].get("slideshow", {}).get("slide_type", "-")
        used = build_slides.cell_height(cell) if kind in ("slide", "subslide") else \
            used + build_slides.cell_height(cell)
        assert used <= build_slides.BUDGET / 0.95  # the browser scales to at least 95 %
    assert nb["cells"][1]["metadata"] == {}  # the caller's notebook is untouched


def test_a_markdown_cell_taller_than_a_screen_is_cut_at_paragraphs():
    text = "\n\n".join(f"第 {i} 段：" + "客户关系管理" * 30 for i in range(12))
    pieces = build_slides.split_markdown(_cell("markdown", "## 很长的一节\n\n" + text, "slide"))
    assert len(pieces) > 1
    assert "".join(p["source"] for p in pieces).replace("\n", "") == \
        ("## 很长的一节" + text).replace("\n", "")
    assert all(build_slides.markdown_height(p["source"]) <= build_slides.BUDGET for p in pieces)
    assert pieces[1]["metadata"]["slideshow"]["slide_type"] == "subslide"


def test_plotting_cells_and_tagged_cells_hide_their_input():
    png = {"output_type": "display_data", "metadata": {},
           "data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                                 "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "text/plain": "<F>"}}
    assert build_slides._hides_input(_cell("code", "fig, ax = plt.subplots()\nplt.show()",
                                           outputs=[png]))
    assert not build_slides._hides_input(_cell("code", "clv.npv([1, 2], 0.1)"))
    tagged = _cell("code", "print(1)")
    tagged["metadata"]["tags"] = ["hide-input"]
    assert build_slides._hides_input(tagged)


def test_long_tables_and_printouts_are_cut_on_slides_saying_so():
    rows = "".join(f"<tr><td>{i}</td></tr>" for i in range(40))
    table = {"output_type": "execute_result", "metadata": {}, "execution_count": 1,
             "data": {"text/html": f"<table><thead><tr><th>x</th></tr></thead>"
                                   f"<tbody>{rows}</tbody></table>", "text/plain": "x"}}
    html = build_slides.shorten_output(table)["data"]["text/html"]
    assert html.count("<tr>") == 1 + build_slides.MAX_ROWS + 1  # header, rows, the note
    assert f"另有 {40 - build_slides.MAX_ROWS} 行" in html and html.endswith("</tbody></table>")
    stream = {"output_type": "stream", "name": "stdout",
              "text": "\n".join(str(i) for i in range(30))}
    text = build_slides.shorten_output(stream)["text"]
    assert len(text.splitlines()) == build_slides.MAX_LINES and "另有 15 行" in text
    short = {"output_type": "stream", "name": "stdout", "text": "1\n2"}
    assert build_slides.shorten_output(dict(short)) == short


def test_the_setup_cell_is_dropped_and_long_code_folded_with_a_note():
    setup = _cell("code", "import pandas as pd\nfrom crmlab import clv, plotting\n\n"
                          "plotting.setup()\npd.set_option(\"display.width\", 120)")
    long_code = "\n".join(f"x{i} = {i}" for i in range(12))
    out_cell = {"output_type": "execute_result", "metadata": {}, "execution_count": 1,
                "data": {"text/plain": "42"}}
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _cell("markdown", "# 第 9 章 标题\n\n**学习目标**\n\n- 一\n- 二", "slide"), setup,
        _cell("markdown", "## 1. 一节", "slide"),
        _cell("code", long_code, outputs=[out_cell]),
        _cell("code", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5", outputs=[]),
        _cell("code", "f = 6\ng = 7\nh = 8\ni = 9", outputs=[]),
        _cell("markdown", "**要点**：这一节的结论。")]}
    assert build_slides.is_setup_cell(setup)
    assert not build_slides.is_setup_cell(_cell("code", "import math\nmath.pi", outputs=[out_cell]))
    cells = build_slides.fit(nb)["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert not any("plotting.setup()" in s for s in sources)
    # the title alone, the learning goals on their own sub-slide
    assert sources[0].strip() == "# 第 9 章 标题"
    assert sources[1].startswith("**学习目标**")
    assert cells[1]["metadata"]["slideshow"]["slide_type"] == "subslide"
    folded = next(c for c in cells if "".join(c["source"]) == long_code)
    assert "hide-input" in folded["metadata"]["tags"]
    assert "共 12 行" in folded["outputs"][0]["data"]["text/plain"]
    assert folded["outputs"][1] == out_cell
    # at most MAX_CODE_LINES of code on one slide: the 4-line cell starts a sub-slide
    second = next(c for c in cells if "".join(c["source"]).startswith("f = 6"))
    assert second["metadata"]["slideshow"]["slide_type"] == "subslide"
    # speaker notes: the section's 要点 on each of its slides
    notes = [c for c in cells if c["metadata"].get("slideshow", {}).get("slide_type") == "notes"]
    assert notes and all("这一节的结论" in "".join(c["source"]) for c in notes)
    assert len(notes) == 2  # the section's two slides


def test_a_cell_tagged_notes_becomes_speaker_notes():
    tagged = _cell("markdown", "提醒：这里停一下，问学生。")
    tagged["metadata"]["tags"] = ["notes"]
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5,
          "cells": [_cell("markdown", "## 一节", "slide"), tagged]}
    cells = build_slides.fit(nb)["cells"]
    assert cells[1]["metadata"]["slideshow"]["slide_type"] == "notes"


def test_a_long_list_goes_on_over_sub_slides_and_keeps_its_text():
    """A Markdown list taller than a slide is cut between items (not shrunk), and the
    pieces put together give the cell's text back."""
    items = "\n".join(f"{n}. " + "很长的一条思考题，" * 8 for n in range(1, 9))
    source = "## 思考题\n\n" + items + "\n\n结尾一段。"
    assert build_slides._join(build_slides._blocks(source)) == source
    pieces = build_slides.split_markdown({"cell_type": "markdown", "metadata": {},
                                          "source": source})
    assert len(pieces) > 1
    assert all(build_slides.markdown_height(p["source"]) <= build_slides.BUDGET
               for p in pieces)
    assert pieces[1]["source"].lstrip()[0].isdigit()  # the list goes on
