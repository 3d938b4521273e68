"""Execute notebooks top to bottom and store them with their outputs (`make notebooks`).

Each notebook runs in a fresh python3 kernel in its own folder, with
PYTHONHASHSEED=0 as in the nbval run, so stored outputs are what CI sees.
Usage: python tools/run_notebooks.py [NOTEBOOK ...]   (default: notebooks/ and solutions/)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def normalise(nb: nbformat.NotebookNode) -> None:
    """Stable metadata: python3 kernelspec, no execution timings."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.metadata.pop("collapsed", None)
            cell.metadata.pop("scrolled", None)


def stable_widget_ids(nb: nbformat.NotebookNode) -> None:
    """Widget views carry a random model id; store a stable one so that re-running a
    notebook changes no byte (the live widget appears when the cell is run)."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                view["model_id"] = f"{index:032x}"


def run(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    normalise(nb)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, allow_errors=False)
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
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
