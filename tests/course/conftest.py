"""Fixtures of the browser tests: a served copy of the built site and chromium per font set-up."""

from __future__ import annotations

import os

import pytest

from tests import _web
from tests.course._browser import FONTS


@pytest.fixture(scope="module")
def site():
    base, stop = _web.serve(_web.built_site())
    yield base
    stop()


@pytest.fixture(scope="module", params=FONTS)
def browser(request, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    executable = _web.chromium_path()
    env = dict(os.environ)
    if request.param == "no-cjk":
        env["FONTCONFIG_FILE"] = str(_web.no_cjk_fontconfig(tmp_path_factory.mktemp("fc")))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, env=env,
                                             args=["--no-sandbox", "--disable-gpu"])
        browser.fonts = request.param
        yield browser
        browser.close()
