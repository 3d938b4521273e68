"""JupyterLab in a real browser: Chinese and in the course font (see test_browser.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT
from tests.course._browser import Watch, _page, _shot, assert_course_font, broken_images

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_jupyterlab_is_chinese_and_uses_the_course_font(browser, tmp_path):
    sys.path.insert(0, str(ROOT))
    import course

    token = "crmlab-browser-test"
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    # as `make lab`: trust the course's stored notebooks, then start JupyterLab
    subprocess.run(course.trust_command(ROOT, ROOT / ".venv"), check=True, env=env,
                   stdout=subprocess.DEVNULL)
    lab = course.lab_command(ROOT, ROOT / ".venv")
    server = subprocess.Popen(
        [sys.executable, *lab[1:], "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                assert server.poll() is None, "JupyterLab exited"
                assert time.monotonic() < deadline, "JupyterLab did not start in 90 s"
                time.sleep(0.5)
        page = _page(browser, 1280, 800)
        watch = Watch(page)
        page.goto(f"{base}{course.LAB_URL}?token={token}", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=60_000)
        page.wait_for_timeout(1500)
        page.evaluate("document.fonts.ready")
        menu = page.locator("#jp-MainMenu").inner_text()
        assert "文件" in menu and "编辑" in menu, f"menu not Chinese: {menu!r}"
        assert page.locator(".jp-Notification-Toast").count() == 0 or \
            "新闻" not in page.locator("body").inner_text()
        assert_course_font(page, [".jp-MarkdownOutput h1", ".jp-MarkdownOutput p"])
        assert not broken_images(page)
        _shot(page, "jupyterlab-overview", browser)
        problems = [p for p in watch.problems if "favicon" not in p]
        assert not problems, problems
        settings = json.loads(urllib.request.urlopen(
            f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}",
            timeout=10).read())
        # the environment's overrides.json sets the defaults (a student may still change them)
        assert settings["schema"]["properties"]["fetchNews"]["default"] == "false"
        locale = json.loads(urllib.request.urlopen(
            f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin?token={token}",
            timeout=10).read())
        assert locale["schema"]["properties"]["locale"]["default"] == "zh_CN"
        with_widgets = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
                        if "widget-view+json" in p.read_text(encoding="utf-8")]
        if with_widgets:  # stored widgets render (static) before the notebook is run
            page.context.close()
            page = _page(browser, 1280, 800)
            page.goto(f"{base}/lab/workspaces/widgets/tree/notebooks/{with_widgets[0].name}"
                      f"?token={token}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=60_000)
            sliders = ".jp-OutputArea-output .widget-slider"
            for _ in range(200):
                if page.locator(sliders).count():
                    break
                page.evaluate("""() => document.querySelector(
                    '.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTop += 600""")
                page.wait_for_timeout(100)
            assert page.locator(sliders).count(), f"{with_widgets[0].name}: no widget shown"
            reprs = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.jp-OutputArea-output')).map(e => e.innerText)
                .filter(t => /\\w+\\(children=/.test(t))""")
            assert not reprs, reprs[:1]
            # no red "disconnected" icons; one hint per stored widget says to run the cell
            icons = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.jupyter-widgets-disconnected')).filter(e =>
                getComputedStyle(e, '::before').display !== 'none').length""")
            assert icons == 0, f"{icons} disconnected icons shown"
            hints = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.jp-OutputArea-output')).map(e => getComputedStyle(e, '::before').content)
                .filter(c => c.includes('Shift+Enter')).length""")
            assert hints >= 1, "no hint that the widget needs its cell run"
            for _ in range(3):  # the windowed notebook settles its heights while scrolling
                page.evaluate("""(selector) => {
                    const outer = document.querySelector(
                        '.jp-NotebookPanel .jp-WindowedPanel-outer');
                    const cell = document.querySelector(selector).closest('.jp-Cell');
                    outer.scrollTop += cell.getBoundingClientRect().top
                                       - outer.getBoundingClientRect().top - 20;
                }""", sliders)
                page.wait_for_timeout(400)
            page.wait_for_timeout(800)
            _shot(page, "jupyterlab-widgets", browser)
        page.context.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
