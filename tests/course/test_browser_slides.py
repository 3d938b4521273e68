"""Every slide of every lecture deck fits 1280x720 in a real browser (see test_browser.py)."""

from __future__ import annotations

import pytest

from tests import _web
from tests.conftest import ROOT
from tests.course._browser import (
    Watch,
    _font_sample,
    _page,
    _shot,
    assert_course_font,
    broken_images,
)

pytestmark = pytest.mark.slow


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
