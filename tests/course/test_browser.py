"""The course in a real browser (Playwright + Debian's chromium, headless).

The site's landing page and one page per chapter, every slide of every lecture deck and
JupyterLab on the overview notebook with the machine's fonts; then, with a fontconfig that
has no CJK font, JupyterLab again and the first and last page and deck (``_font_sample``).
A page fails on console errors, failed requests, broken
images, a slide taller or wider than 1280x720, or Chinese text not drawn in the course
font. Screenshots go to build/screenshots/<fonts>/. Every test here is marked ``slow``
(the site build, chromium): ``CRMLAB_SKIP_SLOW=1`` skips them on a developer's machine
(never in CI).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests import _web
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

FONTS = ["system", "no-cjk"]
COURSE_FONT = "Noto Sans SC GB2312"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


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


def test_site_pages_render_offline_in_the_course_font(site, browser):
    site_dir = _web.built_site()
    targets = ["index.html", *[f"notebooks/{p.name}" for p in _chapter_pages(site_dir)]]
    for target in _font_sample(targets, browser):
        page = _page(browser)
        watch = Watch(page)
        page.goto(f"{site}/{target}", wait_until="networkidle")
        page.evaluate("document.fonts.ready")
        page.wait_for_function("!window.MathJax || !MathJax.startup || "
                               "MathJax.startup.promise !== undefined", timeout=10_000)
        page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        assert not broken_images(page), (target, broken_images(page))
        assert_course_font(page, ["h1", "article p"])
        if target != "index.html":
            raw = page.locator("article").inner_text()
            assert "$$" not in raw, f"{target}: display math not typeset"
            assert page.locator("mjx-container").count() > 0, f"{target}: no math rendered"
        name = "site-index" if target == "index.html" else "site-" + target.split("/")[-1][:-5]
        _shot(page, name, browser)
        assert not watch.problems, (target, watch.problems)
        page.context.close()


CHART_RATIOS = """() => Array.from(document.querySelectorAll('article img'))
    .filter(i => i.naturalWidth > 0 && i.getClientRects().length)
    .map(i => ({src: i.src.split('/').pop().slice(0, 12),
                shown: i.clientWidth / i.clientHeight,
                natural: i.naturalWidth / i.naturalHeight,
                fits: i.getBoundingClientRect().right
                      <= document.documentElement.clientWidth + 1}))"""


@pytest.mark.parametrize("width", [1366, 390], ids=["desktop", "phone"])
def test_charts_keep_their_aspect_ratio_on_desktop_and_phone(site, browser, width):
    if browser.fonts != "system":
        pytest.skip("layout does not depend on fonts")
    site_dir = _web.built_site()
    page = _page(browser, width, 844)
    watch = Watch(page)
    checked = 0
    for lecture in _chapter_pages(site_dir):
        page.goto(f"{site}/notebooks/{lecture.name}", wait_until="networkidle")
        for chart in page.evaluate(CHART_RATIOS):
            checked += 1
            assert abs(chart["shown"] / chart["natural"] - 1) < 0.02, (lecture.name, chart)
            assert chart["fits"], (lecture.name, chart)
        if lecture.name.startswith("02"):
            _shot(page, f"site-02-{width}px", browser)
    assert checked > 10
    # the next page.goto aborts a favicon still loading: not a problem of the site
    problems = [p for p in watch.problems if "favicon" not in p]
    assert not problems, problems
    page.context.close()


def test_a_phone_reader_reaches_another_chapter_through_visible_controls(site, browser):
    if browser.fonts != "system":
        pytest.skip("layout does not depend on fonts")
    site_dir = _web.built_site()
    first, second = _chapter_pages(site_dir)[:2]
    page = _page(browser, 390, 844)
    watch = Watch(page)
    page.goto(f"{site}/notebooks/{first.name}", wait_until="networkidle")
    toggle = page.locator(".primary-toggle:visible")
    assert toggle.count() == 1, "one visible contents button"
    assert page.locator(".search-button-field:visible, .bd-header:visible").count() == 0
    toggle.click()
    title = second.stem
    link = page.locator(f"a[href$='{title}.html']:visible").first
    link.wait_for(state="visible", timeout=5000)
    _shot(page, "site-phone-menu", browser)
    link.click()
    page.wait_for_url(f"**/{second.name}")
    # and on, through the page's own "next" link: lecture -> its exercises
    nxt = page.locator(".prev-next-area a.right-next")
    assert "exercises/" in nxt.get_attribute("href")
    assert not watch.problems, watch.problems
    page.context.close()


def test_each_lecture_page_offers_its_notebook_and_pdf_handout(site, browser):
    if browser.fonts != "system":
        pytest.skip("downloads do not depend on fonts")
    page = _page(browser, 1366, 800)
    watch = Watch(page)
    for lecture in _chapter_pages(_web.built_site()):
        page.goto(f"{site}/notebooks/{lecture.name}", wait_until="domcontentloaded")
        links = page.eval_on_selector_all(".course-download:visible", "els => els.map(e => e.href)")
        assert len(links) == 2, (lecture.name, links)
        for href in links:
            response = page.request.get(href)
            assert response.ok, href
            body = response.body()
            assert body[:5] == b"%PDF-" if href.endswith(".pdf") else \
                json.loads(body)["nbformat"] == 4
    assert not watch.problems, watch.problems
    page.context.close()


def test_the_search_says_how_to_serve_the_site_when_opened_as_a_file(browser):
    if browser.fonts != "system":
        pytest.skip("does not depend on fonts")
    page = _page(browser, 1366, 800)
    page.goto((_web.built_site() / "search.html").as_uri(), wait_until="load")
    assert "make serve" in page.locator("#pagefind-search").inner_text()
    page.context.close()


def test_check_marks_render_without_an_emoji_font(site, browser):
    """✅/❌ of the exercise feedback: an emoji font where there is one, else the course's
    own marks (never an empty box)."""
    solutions = sorted((_web.built_site() / "solutions").glob("*.html"))
    page = _page(browser)
    watch = Watch(page)
    page.goto(f"{site}/solutions/{solutions[0].name}", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": ".output div"})
    marks = []
    for node_id in nodes["nodeIds"]:
        html = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"]
        if "\u2705" in html or "\u274c" in html:
            marks += [f["familyName"] for f in
                      cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]]
    assert marks, "no feedback mark found on the solutions page"
    emoji = {"Course Marks", "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"}
    assert emoji & set(marks), marks
    if browser.fonts == "no-cjk":
        assert "Course Marks" in marks
    # every mark the feedback uses (also ⏳ pending and 📝 noted), alone in the page's
    # font stack: drawn by an emoji font or the course's marks, never a box
    page.evaluate("""() => { const s = document.createElement('span'); s.id = 'marks-probe';
        s.textContent = '\u2705\u274c\u23f3\U0001f4dd';
        document.querySelector('article p').appendChild(s); }""")
    page.evaluate("document.fonts.ready")
    probe = cdp.send("DOM.querySelector", {"nodeId": cdp.send("DOM.getDocument", {"depth": -1})
                                           ["root"]["nodeId"], "selector": "#marks-probe"})
    families = {f["familyName"] for f in
                cdp.send("CSS.getPlatformFontsForNode", {"nodeId": probe["nodeId"]})["fonts"]}
    assert families and families <= emoji, families
    assert not watch.problems, watch.problems
    page.context.close()


@pytest.mark.parametrize("query", ["终身价值", "保留率", "贴现"])
def test_pagefind_finds_the_chapters_in_chinese(site, browser, query):
    if browser.fonts != "system":
        pytest.skip("search does not depend on fonts")
    page = _page(browser)
    watch = Watch(page)
    page.goto(f"{site}/index.html", wait_until="networkidle")
    urls = page.evaluate("""async (q) => {
        const pagefind = await import('./pagefind/pagefind.js');
        const search = await pagefind.search(q);
        const data = await Promise.all(search.results.slice(0, 20).map(r => r.data()));
        return data.map(d => d.url);
    }""", query)
    lectures = [u for u in urls if "/notebooks/" in u]
    assert lectures, f"{query}: no chapter found ({urls})"
    solutions = [u for u in urls if "/solutions/" in u]
    if solutions:  # a solution page (参考答案) ranks after the first lecture
        assert urls.index(solutions[0]) > urls.index(lectures[0]), urls
    # the search UI on the landing page shows them too
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result", timeout=10_000)
    # and so does the search page the theme's search box leads to
    page.goto(f"{site}/search.html?q={query}", wait_until="networkidle")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    assert any("/notebooks/" in link for link in links), links
    assert not watch.problems, watch.problems
    page.context.close()


MEASURE = """() => {
    const out = [];
    const slides = Reveal.getSlides();
    for (const slide of slides) {
        const index = Reveal.getIndices(slide);
        Reveal.slide(index.h, index.v, 0);
        const box = slide.getBoundingClientRect();
        const scale = Reveal.getScale();
        let bottom = box.bottom, right = box.right;
        for (const el of slide.querySelectorAll('*')) {
            if (el.closest('aside.notes')) continue;
            const r = el.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            bottom = Math.max(bottom, r.bottom);
            right = Math.max(right, r.right);
        }
        const scrollers = Array.from(slide.querySelectorAll('pre, .jp-OutputArea-output, table'))
            .filter(el => el.scrollWidth > el.clientWidth + 2).length;
        const zoom = parseFloat(slide.style.zoom) || 1;
        let smallest = 1000;
        for (const el of slide.querySelectorAll('*')) {
            if (el.closest('aside.notes, mjx-container, svg')) continue;
            const own = Array.from(el.childNodes)
                .some(n => n.nodeType === 3 && n.textContent.trim());
            if (!own || el.getClientRects().length === 0) continue;
            smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize) * zoom);
        }
        const code = Array.from(slide.querySelectorAll('.jp-InputArea pre'))
            .reduce((n, pre) => n + pre.textContent.replace(/\\n$/, '').split('\\n').length, 0);
        out.push({h: index.h, v: index.v, bottom: bottom / scale, right: right / scale,
                  zoom, scrollers, smallest, code,
                  title: (slide.querySelector('h1,h2,h3') || slide).textContent.trim()
                      .slice(0, 40)});
    }
    return out;
}"""


MAX_CODE_LINES = 8


def _decks(site_dir):
    decks = sorted((site_dir / "slides").glob("*.slides.html"))
    lectures = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [d.name for d in decks] == [f"{p.stem}.slides.html" for p in lectures]
    return decks


def test_every_slide_fits_1280x720(site, browser):
    site_dir = _web.built_site()
    failures, report = [], []
    for deck in _font_sample(_decks(site_dir), browser):
        page = _page(browser)
        watch = Watch(page)
        page.goto(f"{site}/slides/{deck.name}", wait_until="networkidle")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.evaluate("() => MathJax.startup.promise")
        page.evaluate("document.fonts.ready")
        page.evaluate("Reveal.layout()")
        slides = page.evaluate(MEASURE)
        shrunk = [s for s in slides if s["zoom"] < 1]
        smallest = min(s["smallest"] for s in slides)
        report.append(f"{deck.name}: {len(slides)} slides, {len(shrunk)} scaled, "
                      f"smallest text {smallest:.1f} px, most code on a slide "
                      f"{max(s['code'] for s in slides)} lines")
        for s in slides:
            if (s["bottom"] > 721 or s["right"] > 1281 or s["scrollers"]
                    or s["smallest"] < 19.9 or s["code"] > MAX_CODE_LINES):
                failures.append(f"{deck.name} #{s['h']}/{s['v']} {s['title']!r}: "
                                f"bottom {s['bottom']:.0f}, right {s['right']:.0f}, "
                                f"scrolling boxes {s['scrollers']}, smallest text "
                                f"{s['smallest']:.1f} px, {s['code']} lines of code")
        page.evaluate("Reveal.slide(0, 0, 0)")
        # linear navigation: "next" walks every slide in order, sub-slides included
        assert page.evaluate("Reveal.getConfig().navigationMode") == "linear"
        visited = page.evaluate("""() => { const seen = [];
            Reveal.slide(0, 0, 0);
            for (let i = 0; i < 4 * Reveal.getTotalSlides(); i++) {  // fragments step too
                const at = Reveal.getIndices(), last = seen[seen.length - 1];
                if (!last || last[0] !== at.h || last[1] !== (at.v || 0))
                    seen.push([at.h, at.v || 0]);
                Reveal.next(); }
            Reveal.slide(0, 0, 0); return seen; }""")
        assert visited == [[s["h"], s["v"] or 0] for s in slides], deck.name
        assert not broken_images(page), (deck.name, broken_images(page))
        assert_course_font(page, ["section.present h1"])
        _shot(page, "slides-" + deck.name.split(".")[0], browser)
        assert not watch.problems, (deck.name, watch.problems)
        page.context.close()
    print("\n".join(report))
    assert not failures, "\n".join(failures)


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
