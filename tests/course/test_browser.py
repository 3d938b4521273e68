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

import pytest

from tests import _web
from tests.course._browser import (
    Watch,
    _chapter_pages,
    _font_sample,
    _page,
    _shot,
    assert_course_font,
    broken_images,
)

pytestmark = pytest.mark.slow


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
