"""Helpers of the browser tests (Playwright + Debian's chromium, headless).

The browser tests are three modules so that pytest-xdist (``--dist loadscope``) can run
them on both workers: ``test_browser.py`` (site pages), ``test_browser_slides.py`` (every
slide) and ``test_browser_lab.py`` (JupyterLab). Their fixtures ``site`` and ``browser`` are
in ``tests/course/conftest.py``; what they share is here.
"""

from __future__ import annotations

import re

from tests import _web

FONTS = ["system", "no-cjk"]
COURSE_FONT = "Noto Sans SC GB2312"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class Watch:
    """Console errors, page errors, failed requests and HTTP errors of one page."""

    def __init__(self, page, allowed_hosts=("127.0.0.1",)):
        self.problems = []
        self.allowed_hosts = allowed_hosts
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        page.on("request", self._local_only)

    def _local_only(self, request):
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        host = re.match(r"\w+://([^/:]+)", url)
        if host and host.group(1) not in self.allowed_hosts:
            self.problems.append(f"external request: {url}")


def _page(browser, width=1280, height=720):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=1)
    return context.new_page()


def _shot(page, name, browser):
    folder = _web.SCREENSHOTS / browser.fonts
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def broken_images(page) -> list[str]:
    return page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))""")


def fonts_of_chinese_text(page, selectors) -> dict[str, list[str]]:
    """Fonts chromium actually drew the Chinese text of each selector with (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
    used = {}
    for selector in selectors:
        node_ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})
        for node_id in node_ids["nodeIds"][:5]:
            text = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
            if not CHINESE.search(re.sub(r"<[^>]+>", "", text)):
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            used.setdefault(selector, []).extend(f["familyName"] for f in fonts)
    cdp.detach()
    return used


def assert_course_font(page, selectors):
    used = fonts_of_chinese_text(page, selectors)
    assert used, f"no Chinese text found under {selectors}"
    for selector, families in used.items():
        assert COURSE_FONT in families, f"{selector}: Chinese drawn with {families}"
        others = {f for f in families if f != COURSE_FONT and "DejaVu" not in f}
        assert not others, f"{selector}: Chinese partly drawn with {others}"


def _font_sample(items, browser):
    """Every item with the machine's fonts; the first and the last without a CJK font.

    The system-fonts run already proves each page is drawn in the course's own web font
    and nothing else, so layout is the same in both set-ups; the no-CJK run only has to
    show that the web font still arrives, which two pages per kind show as well as all.
    (This keeps ``make test`` inside its 10-minute budget: ~80 s less on one worker.)
    """
    items = list(items)
    return items if browser.fonts == "system" else [*items[:1], *items[-1:]]


def _chapter_pages(site_dir):
    pages = sorted((site_dir / "notebooks").glob("*.html"))
    assert pages, "no chapter pages built"
    return pages
