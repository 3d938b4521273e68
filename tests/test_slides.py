"""`make slides`: one offline reveal.js deck per lecture notebook, cut to fit 1280x720.

The height of every slide is measured in chromium by tests/test_browser.py; here: the
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


def test_one_deck_per_lecture_with_local_reveal_and_mathjax(slides):
    assert sorted(p.name for p in slides.glob("*.slides.html")) == \
        [f"{p.stem}.slides.html" for p in LECTURES]
    for deck in slides.glob("*.slides.html"):
        html = deck.read_text(encoding="utf-8")
        # nothing is loaded from another host (a reader's reference link <a href> is fine)
        external = re.search(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*"
                             r"\b(?:src|href)=[\"'](?:https?:)?//", html, re.IGNORECASE)
        assert not external, (deck.name, external and external.group(0))
        assert "vendor/reveal.js/dist/reveal.js" in html
        assert "vendor/mathjax/es5/tex-svg-full.js" in html
        assert "width: 1280, height: 720" in html
        assert "require.js" not in html and "jquery" not in html.lower()
    for asset in ("reveal.js/dist/reveal.js", "reveal.js/dist/theme/white.css",
                  "mathjax/es5/tex-svg-full.js", "course-sans-sc.woff2", "course-slides.css"):
        assert (slides / "vendor" / asset).exists(), asset


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_plotting_code_is_hidden_and_every_chart_shown(slides, path):
    nb = nbformat.read(path, as_version=4)
    html = (slides / f"{path.stem}.slides.html").read_text(encoding="utf-8")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    pngs = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)
    assert html.count("data:image/png;base64") >= pngs
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
    tall_code = "\n".join(f"x{i} = {i}" for i in range(20))
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        _cell("markdown", "# 标题", "slide"),
        *[_cell("code", tall_code) for _ in range(4)]]}
    out = build_slides.fit(nb)
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type", "-") for c in out["cells"]]
    assert kinds[0] == "slide" and "subslide" in kinds
    used = 0.0
    for cell in out["cells"]:
        kind = cell["metadata"].get("slideshow", {}).get("slide_type", "-")
        used = build_slides.cell_height(cell) if kind in ("slide", "subslide") else \
            used + build_slides.cell_height(cell)
        assert used <= build_slides.BUDGET / 0.8  # the browser scales to at least 80 %
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
    assert "另有 28 行" in html and html.endswith("</tbody></table>")
    stream = {"output_type": "stream", "name": "stdout",
              "text": "\n".join(str(i) for i in range(30))}
    text = build_slides.shorten_output(stream)["text"]
    assert len(text.splitlines()) == build_slides.MAX_LINES and "另有 15 行" in text
    short = {"output_type": "stream", "name": "stdout", "text": "1\n2"}
    assert build_slides.shorten_output(dict(short)) == short
