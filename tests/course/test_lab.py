"""`make lab` works: JupyterLab serves the course and has the widgets extension."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT))
import course  # noqa: E402

TOKEN = "crmlab-test-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def test_jupyterlab_serves_the_overview_notebook(tmp_path):
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    # the same command as `make lab` / `python course.py lab` (this interpreter instead
    # of .venv's), made headless on a free port
    lab = course.lab_command(ROOT, ROOT / ".venv")
    server = subprocess.Popen(
        [sys.executable, *lab[1:], "--no-browser",
         "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={TOKEN}",
         "--ServerApp.port_retries=0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(f"{base}/api/status")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        listing = json.loads(_get(f"{base}/api/contents/notebooks"))
        names = {item["name"] for item in listing["content"]}
        assert "00_overview.ipynb" in names
        notebook = json.loads(_get(f"{base}/api/contents/notebooks/00_overview.ipynb"))
        assert notebook["type"] == "notebook" and notebook["content"]["cells"]
        extensions = {e["name"]: e for e in json.loads(_get(f"{base}/lab/api/extensions"))}
        widgets = extensions["jupyter-widgets-jupyterlab-manager"]
        assert widgets["installed"] and widgets["enabled"] and widgets["status"] == "ok"
        request = urllib.request.Request(f"{base}/", headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:  # follows the redirect
            assert response.url.endswith("/lab/tree/notebooks/00_overview.ipynb")
            page = response.read().decode()
        assert "@jupyter-widgets/jupyterlab-manager" in page  # federated extension loaded
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
