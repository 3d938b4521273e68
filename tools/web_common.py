"""What the site and slide builders share: finding the course's notebooks, their titles,
and the static stand-in for widget outputs (no kernel on a web page)."""

from __future__ import annotations

import copy
import functools
import http.server
import re
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"notebooks": "讲义", "exercises": "练习", "solutions": "参考答案"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
HIDE_TAGS = {"hide-input", "remove-input"}
PLOT_CALL = re.compile(r"plt\.|plotting\.|\.plot\(|sns\.|_chart\(")
SETUP_LINE = re.compile(r"^\s*(?:$|#|import |from \S+ import |%|plotting\.setup\(|"
                        r"pd\.set_option\(|np\.set_printoptions\(|warnings\.)")
WIDGET_NOTE = ("交互控件：在 JupyterLab 中运行本节代码即可拖动滑块、修改参数"
               "（网页与幻灯片上只显示初始状态）。")


@dataclass(frozen=True)
class Page:
    folder: str    # notebooks / exercises / solutions
    path: Path     # absolute path of the notebook
    chapter: str   # "00", "02", ... (leading digits of the file name)
    title: str

    @property
    def docname(self) -> str:
        return f"{self.folder}/{self.path.stem}"


def title_of(nb: dict, fallback: str) -> str:
    """The first level-1 heading of the notebook, without Markdown decoration."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", ""))
        match = re.search(r"^#\s+(.+)$", source, re.MULTILINE)
        if match:
            return re.sub(r"[*_`]", "", match.group(1)).strip()
    return fallback


def discover(root: Path = ROOT) -> list[Page]:
    """Every notebook in notebooks/, exercises/ and solutions/ (sorted by file name)."""
    import nbformat
    pages = []
    for folder in FOLDERS:
        for path in sorted((root / folder).glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            chapter = re.match(r"\d*", path.stem).group(0) or path.stem
            pages.append(Page(folder, path, chapter, title_of(nb, path.stem)))
    return pages


def is_plotting_cell(cell: dict) -> bool:
    """A code cell whose output is a chart made by plotting code (or tagged to hide its
    input): the site folds its code under the chart, the slides show the chart only."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & HIDE_TAGS:
        return True
    charts = any("image/png" in o.get("data", {}) or "image/svg+xml" in o.get("data", {})
                 for o in cell.get("outputs", []))
    return charts and bool(PLOT_CALL.search("".join(cell.get("source", ""))))


def is_setup_cell(cell: dict) -> bool:
    """The imports/setup cell (imports, plotting.setup(), display options): no slide."""
    source = "".join(cell.get("source", ""))
    return (cell.get("cell_type") == "code" and bool(source.strip())
            and not any(o.get("output_type") != "stream" for o in cell.get("outputs", []))
            and all(SETUP_LINE.match(line) for line in source.splitlines()))


def _widget_state(nb: dict) -> dict:
    return nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _reachable_outputs(state: dict, model_id: str) -> list[dict]:
    """Outputs stored in Output widgets reachable from ``model_id`` (document order)."""
    seen, found = set(), []

    def walk(value):
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            visit(value[len("IPY_MODEL_"):])
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    def visit(mid):
        if mid in seen or mid not in state:
            return
        seen.add(mid)
        model = state[mid]
        inner = model.get("state", {})
        if model.get("model_name") == "OutputModel":
            found.extend(copy.deepcopy(inner.get("outputs", [])))
        walk(inner.get("children", []))
        for key, item in inner.items():
            if key != "children":
                walk(item)

    visit(model_id)
    return found


def static_widgets(nb: dict) -> dict:
    """A copy of ``nb`` whose widget outputs are replaced by what the stored widget state
    shows (the Output widgets' charts and tables) and a short note; no widget metadata."""
    nb = copy.deepcopy(nb)
    state = _widget_state(nb)
    note = {"output_type": "display_data", "metadata": {},
            "data": {"text/html": f'<p class="widget-note">{WIDGET_NOTE}</p>',
                     "text/plain": WIDGET_NOTE}}
    for cell in nb.get("cells", []):
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            for inner in _reachable_outputs(state, view.get("model_id", "")):
                if inner.get("output_type") in ("display_data", "execute_result"):
                    inner = {"output_type": "display_data", "metadata": inner.get("metadata", {}),
                             "data": inner.get("data", {})}
                outputs.append(inner)
            outputs.append(copy.deepcopy(note))
        if "outputs" in cell:
            cell["outputs"] = outputs
    nb.get("metadata", {}).pop("widgets", None)
    return nb


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    """(base URL, stop) of a threaded HTTP server for ``directory`` on a free port of
    127.0.0.1 (the PDF printer and the browser tests)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}", stop
