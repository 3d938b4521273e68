"""reveal.js slides of every lecture notebook, offline, every slide within 1280x720
(`make slides`; from the stored outputs, no re-execution).

Works on a copy of each notebook in notebooks/ (the notebooks themselves are never
changed):
- plotting code is hidden: a code cell whose output is a chart shows only the chart
  (also any cell tagged ``hide-input``/``remove-input``; ``remove-cell`` drops a cell);
- widget outputs show their stored static rendering and a note (tools/web_common.py);
- a new sub-slide starts wherever the estimated height of a slide would pass the
  screen, and a Markdown cell taller than a screen is cut at paragraph boundaries;
- a slide still too tall in the browser is scaled (never below 60 %); the browser test
  fails on any slide that overflows all the same.
Output: build/slides/NN_topic.slides.html with vendor/ beside them.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import struct
import sys
import time
from base64 import b64decode
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # noqa: E402
from web_common import (  # noqa: E402
    HIDE_TAGS,
    ROOT,
    is_plotting_cell,
    is_setup_cell,
    static_widgets,
)

OUT = ROOT / "build" / "slides"
TEMPLATE = Path(__file__).resolve().parent / "slides_template"
SLIDE_HEIGHT = 720
BUDGET = 620           # px of content per slide (padding and rounding kept aside)
TEXT_LINE = 38         # px: one line of 26 px body text
CODE_LINE = 27         # px: one line of 21 px code (course-slides.css)
TABLE_ROW = 36         # px: one row of a 21 px table
TEXT_CHARS = 44        # full-width characters on one line of body text
CODE_CHARS = 55        # full-width characters (2 ASCII) on one line of code
IMAGE_MAX = 540        # px: max-height of an image on a slide (course-slides.css)
MAX_CODE_LINES = 8     # code shown on one slide; a longer cell shows its output only


def _width(line: str) -> float:
    """Display width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in line)


def _wrapped(lines, chars: float) -> int:
    return sum(max(1, math.ceil(_width(line) / chars)) for line in lines)


def _png_height(data: str, metadata: dict) -> float:
    height = metadata.get("height")
    width = metadata.get("width")
    if not height:
        raw = b64decode(data[:100])
        width, height = struct.unpack(">II", raw[16:24])
    if width and width > 1200:
        height = height * 1200 / width
    return min(float(height), IMAGE_MAX)


def markdown_height(source: str) -> float:
    height, in_math = 0.0, False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("$$"):
            in_math = not in_math if stripped.count("$$") == 1 else in_math
            height += 50
        elif in_math:
            height += 30
        elif not stripped:
            height += 12
        elif stripped.startswith("#"):
            height += 60 if stripped.startswith("# ") else 52
        elif stripped.startswith("|"):
            height += 0 if set(stripped) <= set("|-: ") else 34
        elif LIST_ITEM.match(stripped):
            # a list item is indented by its marker and spaced from the next one
            height += TEXT_LINE * _wrapped([stripped], TEXT_CHARS - 3) + 8
        else:
            height += TEXT_LINE * _wrapped([stripped], TEXT_CHARS)
    return height + 16


LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s")


ROW = re.compile(r"<tr\b.*?</tr>", re.S)
CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t\1>", re.S)
CELL_CHARS = 7         # full-width characters a table cell of a wide table holds per line


def table_height(html: str) -> float:
    """Rows of a table, each as tall as its longest cell wraps (wide tables wrap)."""
    height = 24.0
    for row in ROW.findall(html):
        cells = [re.sub(r"<[^>]+>", "", text).strip() for _, text in CELL.findall(row)]
        chars = CELL_CHARS if len(cells) > 5 else 2 * CELL_CHARS
        lines = max([math.ceil(_width(c) / chars) for c in cells if c] or [1])
        height += TABLE_ROW + (min(lines, 6) - 1) * 30
    return height


def output_height(output: dict) -> float:
    kind = output.get("output_type")
    if kind == "stream":
        return CODE_LINE * _wrapped(output.get("text", "").splitlines(), CODE_CHARS) + 12
    if kind == "error":
        return 200
    data = output.get("data", {})
    if "image/png" in data:
        return _png_height(data["image/png"], output.get("metadata", {}).get("image/png", {}))
    if "text/html" in data:
        html = data["text/html"]
        html = "".join(html) if isinstance(html, list) else html
        if "<tr" in html:
            return table_height(html)
        text = re.sub(r"<[^>]+>", "", html)
        return TEXT_LINE * _wrapped(text.splitlines() or [""], TEXT_CHARS)
    if "text/markdown" in data:
        return markdown_height("".join(data["text/markdown"]))
    if "text/latex" in data:
        return 60
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return CODE_LINE * _wrapped(text.splitlines(), CODE_CHARS) + 12


def _hides_input(cell: dict) -> bool:
    return is_plotting_cell(cell)


def code_lines(cell: dict) -> int:
    """Lines of code a cell shows on a slide (0 when its input is hidden)."""
    if cell.get("cell_type") != "code" or _hides_input(cell):
        return 0
    return len("".join(cell.get("source", "")).strip().splitlines())


def fold_long_code(cell: dict) -> None:
    """Code longer than MAX_CODE_LINES: the slide shows its output and a one-line note
    (the site and the notebook have the code)."""
    lines = code_lines(cell)
    if lines <= MAX_CODE_LINES:
        return
    cell.setdefault("metadata", {}).setdefault("tags", []).append("hide-input")
    note = f"（本格代码共 {lines} 行，见课程网页或笔记本）"
    cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                        "data": {"text/html": f'<p class="code-note">{note}</p>',
                                 "text/plain": note}}, *cell.get("outputs", [])]


NOTES_LINE = re.compile(r"^\s*(?:\*\*)?要点(?:\*\*)?[：:](.+)$", re.MULTILINE)


def speaker_notes(cells: list[dict]) -> list[dict]:
    """Each slide gets speaker notes: the 要点 lines of its section (``##``), and any cell
    tagged ``notes`` (as written)."""
    groups, current = [], []
    for cell in cells:
        if _slide_type(cell) in ("slide", "subslide") and current:
            groups.append(current)
            current = []
        current.append(cell)
    if current:
        groups.append(current)
    section, points, out = 0, {}, []
    sections = []
    for group in groups:
        first = "".join(group[0].get("source", "")) if group[0]["cell_type"] == "markdown" else ""
        if re.match(r"\s*##?\s", first):
            section += 1
        sections.append(section)
        for cell in group:
            if cell["cell_type"] == "markdown":
                points.setdefault(section, []).extend(
                    m.strip() for m in NOTES_LINE.findall("".join(cell["source"])))
    for group, section_id in zip(groups, sections, strict=True):
        out.extend(group)
        notes = [f"- {point}" for point in points.get(section_id, [])]
        if notes:
            cell = {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "notes"}},
                    "source": "**本节要点**\n\n" + "\n".join(notes)}
            out.append(cell)
    return out


def split_title(cell: dict) -> list[dict]:
    """The chapter's title cell: the title alone, the learning goals on the next slide."""
    source = "".join(cell.get("source", ""))
    if not re.match(r"\s*#\s", source) or "**学习目标**" not in source:
        return [cell]
    head, _, goals = source.partition("**学习目标**")
    if not head.strip():
        return [cell]
    first = json.loads(json.dumps(cell))
    first["source"] = head.rstrip()
    second = json.loads(json.dumps(cell))
    second.pop("id", None)
    second["source"] = "**学习目标**" + goals
    _set_slide_type(second, "subslide")
    return [first, second]


def cell_height(cell: dict) -> float:
    source = "".join(cell.get("source", ""))
    if cell["cell_type"] == "markdown":
        return markdown_height(source)
    if cell["cell_type"] != "code":
        return 0.0
    height = 0.0
    if not _hides_input(cell):
        height += CODE_LINE * _wrapped(source.splitlines(), CODE_CHARS) + 24
    return height + sum(output_height(o) for o in cell.get("outputs", [])) + 8


def _slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def _set_slide_type(cell: dict, kind: str) -> None:
    cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind


def _is_heading(block: str) -> bool:
    """A heading, or a one-line bold paragraph used as one: it stays with what follows."""
    block = block.strip()
    return block.startswith("#") or (block.startswith("**") and "\n" not in block
                                     and _width(block) <= 30)


def _blocks(source: str) -> list[tuple[str, str]]:
    """Paragraphs of a Markdown cell, each with the separator before it; a list is cut
    between its items (joined by one newline), so a long list can go on over two slides."""
    blocks = []
    for block in re.split(r"\n\s*\n", source):
        lines = block.split("\n")
        if len(lines) > 1 and all(LIST_ITEM.match(line.strip()) or line.startswith(" ")
                                  for line in lines[1:]):
            item, separator = [lines[0]], "\n\n"
            for line in lines[1:]:
                if LIST_ITEM.match(line.strip()) and not line.startswith(" "):
                    blocks.append((separator, "\n".join(item)))
                    item, separator = [line], "\n"
                else:
                    item.append(line)
            blocks.append((separator, "\n".join(item)))
        else:
            blocks.append(("\n\n", block))
    return blocks


def _join(blocks: list[tuple[str, str]]) -> str:
    return "".join(sep + text if index else text for index, (sep, text) in enumerate(blocks))


def split_markdown(cell: dict) -> list[dict]:
    """A Markdown cell taller than one slide, cut at blank lines into cells that fit."""
    if markdown_height("".join(cell.get("source", ""))) <= BUDGET:
        return [cell]
    pieces, current = [], []
    for block in _blocks("".join(cell["source"])):
        trial = _join([*current, block])
        if current and markdown_height(trial) > BUDGET and not _is_heading(current[-1][1]):
            pieces.append(_join(current))
            current = [block]
        else:
            current.append(block)
    pieces.append(_join(current))
    cells = []
    for index, text in enumerate(pieces):
        piece = json.loads(json.dumps(cell))
        piece["source"] = text
        if index:
            piece.pop("id", None)
            _set_slide_type(piece, "subslide")
        cells.append(piece)
    return cells


def place_breaks(cells: list[dict]) -> None:
    """Start a sub-slide before a cell that would take a slide past the screen.

    A short Markdown cell that introduces the next cell moves with it; a slide holding
    only a short title or introduction keeps the next cell when the browser's scaling
    (at least 80 %) can make both fit, rather than leaving the title alone.
    """
    used, start, code = None, 0, 0
    for index, cell in enumerate(cells):
        kind = _slide_type(cell)
        height = cell_height(cell)
        if kind in ("slide", "subslide") or used is None:
            used, start, code = height, index, code_lines(cell)
            continue
        if kind == "notes":
            continue
        if code + code_lines(cell) > MAX_CODE_LINES and code:
            _set_slide_type(cell, "subslide")
            used, start, code = height, index, code_lines(cell)
            continue
        code += code_lines(cell)
        if used + height <= BUDGET:
            used += height
            continue
        previous = cells[index - 1]
        if (index - 1 > start and previous["cell_type"] == "markdown"
                and _slide_type(previous) in ("-", "fragment")
                and cell_height(previous) + height <= BUDGET):
            _set_slide_type(previous, "subslide")
            used, start, code = cell_height(previous) + height, index - 1, code_lines(cell)
            continue
        if index - 1 == start and used <= 0.3 * BUDGET and used + height <= BUDGET / 0.95:
            used += height
            continue
        _set_slide_type(cell, "subslide")
        used, start, code = height, index, code_lines(cell)


MAX_ROWS = 11          # table rows shown on a slide (the site shows them all)
MAX_COLUMNS = 8        # table columns shown on a slide, the index included
MAX_LINES = 16         # lines of printed output shown on a slide


def drop_columns(html: str) -> str:
    """A table wider than MAX_COLUMNS keeps its first columns and says how many more the
    site shows (on a slide its cells would otherwise wrap letter by letter)."""
    widest = max((len(CELL.findall(row)) for row in ROW.findall(html)), default=0)
    if widest <= MAX_COLUMNS or "colspan" in html:
        return html
    left = widest - MAX_COLUMNS + 1

    def cut(match):
        row = match.group(0)
        cells = list(CELL.finditer(row))
        if len(cells) < MAX_COLUMNS:
            return row
        keep = row[:cells[MAX_COLUMNS - 2].end()]
        tag = cells[MAX_COLUMNS - 2].group(1)
        return f"{keep}<t{tag}>…</t{tag}></tr>"

    note = f'<p class="code-note">（另有 {left} 列，见课程网页）</p>'
    return ROW.sub(cut, html) + note


def split_outputs(cell: dict) -> list[dict]:
    """A code cell taller than a slide whose outputs can part (a widget's table and its
    chart): the later outputs go on the next sub-slides, without the code."""
    outputs = cell.get("outputs", [])
    if cell.get("cell_type") != "code" or len(outputs) < 2 or cell_height(cell) <= BUDGET:
        return [cell]
    groups, current = [], []
    for output in outputs:
        trial = {**cell, "outputs": [*current, output]} if not groups else \
            {**cell, "source": "", "outputs": [*current, output]}
        if current and cell_height(trial) > BUDGET:
            groups.append(current)
            current = []
        current.append(output)
    groups.append(current)
    pieces = [{**cell, "outputs": groups[0]}]
    for group in groups[1:]:
        piece = json.loads(json.dumps({**cell, "outputs": group}))
        piece.pop("id", None)
        tags = piece["metadata"].setdefault("tags", [])
        if "hide-input" not in tags:
            tags.append("hide-input")
        _set_slide_type(piece, "subslide")
        pieces.append(piece)
    return pieces


def shorten_output(output: dict, max_rows: int = None) -> dict:
    """A long table or printout cut for a slide, saying how much is left out."""
    if output.get("output_type") == "stream":
        lines = output.get("text", "").splitlines()
        if _wrapped(lines, CODE_CHARS) > MAX_LINES:  # as the screen wraps them
            keep = 0
            while _wrapped(lines[:keep + 1], CODE_CHARS) <= MAX_LINES - 1:
                keep += 1
            note = f"……（另有 {len(lines) - keep} 行，见课程网页）"
            output["text"] = "\n".join([*lines[:keep], note])
        return output
    html = output.get("data", {}).get("text/html")
    if isinstance(html, list):
        html = "".join(html)
    if not html or "<tbody" not in html:
        return output
    html = drop_columns(html)
    output["data"]["text/html"] = html
    head, _, rest = html.partition("<tbody")
    body, _, tail = rest.partition("</tbody>")
    rows = body.split("<tr")
    max_rows = max_rows or MAX_ROWS
    if len(rows) - 1 > max_rows:  # rows[0] is what comes before the first row
        left = len(rows) - 1 - max_rows
        more = (f'<tr><td colspan="99" style="text-align:left">……（另有 {left} 行，'
                "见课程网页）</td></tr>")
        body = "<tr".join(rows[:max_rows + 1]) + more
        output["data"]["text/html"] = head + "<tbody" + body + "</tbody>" + tail
    return output


def fit(nb: dict) -> dict:
    """The slide copy: no setup cell, plotting and long code hidden, widgets static, the
    title apart from the learning goals, sub-slides where needed, speaker notes."""
    nb = static_widgets(nb)
    cells = []
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags or _slide_type(cell) == "skip" or is_setup_cell(cell):
            continue
        if "notes" in tags:
            _set_slide_type(cell, "notes")
        if cell["cell_type"] == "code" and _hides_input(cell):
            cell.setdefault("metadata", {}).setdefault("tags", [])
            if "hide-input" not in cell["metadata"]["tags"]:
                cell["metadata"]["tags"].append("hide-input")
        if cell["cell_type"] == "code":
            stored = json.loads(json.dumps(cell.get("outputs", [])))
            cell["outputs"] = [shorten_output(o) for o in cell["outputs"]]
            fold_long_code(cell)
            rows = MAX_ROWS  # code and a table that cannot part: fewer rows on the slide
            while cell_height(cell) > BUDGET and rows > 4 and not _hides_input(cell):
                rows -= 2
                cell["outputs"] = [shorten_output(json.loads(json.dumps(o)), rows)
                                   for o in stored]
        if cell["cell_type"] == "markdown":
            for piece in split_title(cell):
                cells.extend(split_markdown(piece))
        else:
            cells.extend(split_outputs(cell))
    place_breaks(cells)
    cells = speaker_notes(cells)
    nb["cells"] = cells
    for cell in cells:
        cell.pop("id", None)
    nb.setdefault("nbformat_minor", 4)
    nb["nbformat_minor"] = min(nb["nbformat_minor"], 4)
    return nb


def export(nb: dict, name: str, vendor: str = "vendor") -> str:
    import nbformat
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = SlidesExporter(template_file="index.html.j2", extra_template_basedirs=[
        str(TEMPLATE.parent)], template_name=TEMPLATE.name)
    exporter.reveal_url_prefix = f"{vendor}/reveal.js"
    exporter.reveal_theme = "white"
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    remover = TagRemovePreprocessor(remove_input_tags=HIDE_TAGS,
                                    remove_cell_tags={"remove-cell"})
    exporter.register_preprocessor(remover, enabled=True)
    node = nbformat.from_dict(nb)
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": name},
                                                           "vendor": vendor})
    return body


EMBEDDED_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


def link_images(html: str, images: Path, href: str) -> str:
    """Embedded charts written once as files named by their content (sha256), as Sphinx
    and myst-nb name them in the site's _images/: the site carries each chart once."""
    images.mkdir(parents=True, exist_ok=True)

    def replace(match):
        data = b64decode(match.group(1))
        name = f"{hashlib.sha256(data).hexdigest()}.png"
        target = images / name
        if not target.exists():
            target.write_bytes(data)
        return f'src="{href}/{name}"'

    return EMBEDDED_PNG.sub(replace, html)


def build(root: Path = ROOT, out: Path = OUT, shared: Path | None = None,
          images: Path | None = None) -> list[Path]:
    """Every lecture's deck into ``out``; reveal.js, MathJax and the fonts from ``shared``
    (the site's _static/vendor) or ``out/vendor``, charts as files in ``images``."""
    import nbformat
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    vendor = shared or out / "vendor"
    vendor_assets.vendor(vendor)
    shutil.copy2(root / "docs" / "_static" / "course-slides.css", vendor / "course-slides.css")
    images = images or out / "images"
    vendor_href = os.path.relpath(vendor, out).replace(os.sep, "/")
    images_href = os.path.relpath(images, out).replace(os.sep, "/")
    written = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = fit(json.loads(json.dumps(nbformat.read(path, as_version=4))))
        html = link_images(export(nb, path.stem, vendor_href), images, images_href)
        target = out / f"{path.stem}.slides.html"
        target.write_text(html, encoding="utf-8")
        written.append(target)
    print(f"{len(written)} slide decks in {time.perf_counter() - started:.1f} s: {out}")
    return written


if __name__ == "__main__":
    build()
