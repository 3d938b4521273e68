"""Execute notebooks top to bottom and store them with their outputs (`make notebooks`).

Each notebook runs in a fresh python3 kernel in its own folder, with
PYTHONHASHSEED=0 as in the nbval run, so stored outputs are what CI sees.
Usage: python tools/run_notebooks.py [NOTEBOOK ...]   (default: notebooks/ and solutions/)
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def normalise(nb: nbformat.NotebookNode) -> None:
    """Stable metadata: python3 kernelspec, no execution timings, no old widget state."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)
            cell.metadata.pop("scrolled", None)


def stable_widget_ids(nb: nbformat.NotebookNode) -> None:
    """Keep the widget state (JupyterLab and the site show the widgets from it before the
    notebook is run) under stable model ids, so that re-running changes no byte.

    The kernel gives each widget model a random id; models are renumbered in the order
    the kernel created them (the state's order) and every reference (``IPY_MODEL_<id>``
    in the state, ``model_id`` of the views) is rewritten. A view without stored state
    gets an id from its cell's position, as before.
    """
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    state = widgets.get("state", {})
    mapping = {old: f"{number + 1:032x}" for number, old in enumerate(state)}
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None:
                view["model_id"] = mapping.get(view["model_id"], f"f{index:031x}")
    if not state:
        nb.metadata.pop("widgets", None)
        return
    text = json.dumps(state)
    pattern = re.compile("|".join(re.escape(old) for old in sorted(mapping, key=len, reverse=True)))
    text = pattern.sub(lambda match: mapping[match.group(0)], text)
    renumbered = json.loads(text)
    for model in renumbered.values():
        model.get("state", {}).pop("msg_id", None)
    widgets["state"] = {mapping[old]: renumbered[mapping[old]] for old in state}
    nb.metadata["widgets"] = {WIDGET_STATE: widgets}


def run(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    normalise(nb)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, allow_errors=False)
    client.execute()
    elapsed = time.perf_counter() - start
    stable_widget_ids(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> None:
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.pop("MPLBACKEND", None)
    paths = [Path(a) for a in argv] or sorted(
        [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
    for path in paths:
        seconds = run(path.resolve())
        print(f"{seconds:6.1f} s  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
