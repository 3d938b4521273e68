"""Shared by test_site, test_slides and the test_browser modules: the site (with slides) built once
per test run into build/test-site (a file lock lets pytest-xdist workers share it), a
local HTTP server, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SKIP_SLOW_REASON, skipping_slow

sys.path.insert(0, str(ROOT / "tools"))

BUILT = ROOT / "build" / "test-site"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def built_site() -> Path:
    """build/test-site, built once per pytest run (shared between xdist workers).

    The build takes 30-70 s, so a test that needs it is marked ``slow``; one that
    forgets the mark is still skipped under ``CRMLAB_SKIP_SLOW=1`` rather than build."""
    if skipping_slow():
        pytest.skip(f"{SKIP_SLOW_REASON}: the site build is slow; mark this test slow")
    import build_site

    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid-{os.getpid()}"
    BUILT.parent.mkdir(parents=True, exist_ok=True)
    with open(BUILT.parent / ".test-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stamp = BUILT / ".run-id"
        if not (stamp.exists() and stamp.read_text() == run_id):
            shutil.rmtree(BUILT, ignore_errors=True)
            build_site.build(ROOT, BUILT)
            stamp.write_text(run_id)
    return BUILT


def serve(directory: Path):
    """(base URL, stop) of a threaded HTTP server on a free local port."""
    import web_common

    return web_common.serve(directory)


def chromium_path() -> str:
    """Debian's chromium (installed by .ci/run); skipped locally when missing, never in CI."""
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium 未安装 / chromium not installed (.ci/run installs it with apt-get)")
    pytest.skip("chromium not installed (apt-get install chromium; CI installs it)")


def no_cjk_fontconfig(directory: Path) -> Path:
    """A fontconfig file with only DejaVu: a machine without any CJK font."""
    dejavu = [d for d in ("/usr/share/fonts/truetype/dejavu",) if Path(d).exists()]
    directory.mkdir(parents=True, exist_ok=True)
    conf = directory / "fonts.conf"
    dirs = "".join(f"<dir>{d}</dir>" for d in dejavu)
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig>{dirs}<cachedir>{directory / 'cache'}</cachedir></fontconfig>")
    return conf
