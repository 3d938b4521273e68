"""Build the course website from the stored notebooks (`make site`; no re-execution).

Copies docs/ and every notebook of notebooks/, exercises/, solutions/ into
build/site-src (widget outputs replaced by their stored static rendering and a note,
plotting code folded under its chart, links to repository files made site links),
writes the landing page (course map from the notebooks found + the syllabus) and the
reading order (lecture -> its exercises -> next lecture), runs Sphinx (a warning fails
the build), then puts each page's notebook beside it for download, prints one PDF
handout per lecture (chromium through Playwright), builds the slides into
the site and runs Pagefind for Chinese full-text search. Output: build/site (open it
with `make serve`; opened as a file, the search says how to serve it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # noqa: E402
from web_common import (  # noqa: E402
    FOLDERS,
    ROOT,
    discover,
    is_plotting_cell,
    is_setup_cell,
    serve,
    static_widgets,
)

SOURCE = ROOT / "build" / "site-src"
SITE = ROOT / "build" / "site"
SOLUTION_MARK = "（参考答案）"
# a solution page ranks after the lecture and the exercises in search (Pagefind weight)
SOLUTION_WEIGHT = "0.3"
REPO_LINK = re.compile(r"\[([^\]]*)\]\((\.\./[^)\s#]+)(?:#[^)\s]*)?\)")


def syllabus(root: Path = ROOT) -> str:
    """SYLLABUS.md when it exists, else the README's course map section."""
    path = root / "SYLLABUS.md"
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = (root / "README.md").read_text(encoding="utf-8")
    start = text.find("## Course map")
    if start < 0:
        return ""
    end = text.find("\n## ", start + 3)
    return text[start:end if end > 0 else None].replace("## Course map", "## 课程地图 Course map")


def site_title(page) -> str:
    """The page's title on the site: a solution page says it is the 参考答案."""
    return page.title + SOLUTION_MARK if page.folder == "solutions" else page.title


def landing_page(pages, root: Path = ROOT) -> str:
    by_chapter: dict[str, dict[str, object]] = {}
    for page in pages:
        by_chapter.setdefault(page.chapter, {})[page.folder] = page
    rows = ["| 章 | 讲义 | 练习 | 参考答案 | 幻灯片 |", "|---|---|---|---|---|"]
    for chapter in sorted(by_chapter):
        entry = by_chapter[chapter]
        cells = []
        for folder in FOLDERS:
            page = entry.get(folder)
            cells.append(f"[{page.title}]({page.docname}.ipynb)" if page else "")
        lecture = entry.get("notebooks")
        slides = (f"<a href=\"slides/{lecture.path.stem}.slides.html\">幻灯片</a>"
                  if lecture else "")
        rows.append(f"| {chapter} | " + " | ".join(cells) + f" | {slides} |")
    toctrees = []
    for folder, caption in FOLDERS.items():
        names = [p.docname for p in pages if p.folder == folder]
        if names:
            toctrees.append("```{toctree}\n:caption: " + caption + "\n:maxdepth: 1\n:hidden:\n\n"
                            + "\n".join(names) + "\n```\n")
    return ("# 客户关系管理实训 crmlab\n\n"
            "基于 Jupyter 的《客户关系管理》数据分析课程：讲义、练习与参考答案。"
            "本网站由已执行的笔记本直接生成，离线可用；每章讲义都可下载笔记本和 PDF 讲义。\n\n"
            "## 全文搜索\n\n"
            '<link href="pagefind/pagefind-ui.css" rel="stylesheet">\n'
            '<script src="pagefind/pagefind-ui.js"></script>\n'
            '<div id="pagefind-search"></div>\n'
            "<script>window.addEventListener('DOMContentLoaded', () => "
            "courseSearch('#pagefind-search'));</script>\n\n"
            "## 各章内容\n\n" + "\n".join(rows) + "\n\n"
            + syllabus(root) + "\n\n" + "\n".join(toctrees))


def reading_order(pages) -> dict[str, dict[str, str | None]]:
    """prev/next of every page: index -> lecture 0 -> its exercises -> lecture 1 -> ...;
    a solution page sits beside its exercises (prev: the exercises, next: the next lecture)."""
    chapters = sorted({p.chapter for p in pages})
    by = {(p.folder, p.chapter): p.docname for p in pages}
    chain = ["index"] + [by[(folder, chapter)] for chapter in chapters
                         for folder in ("notebooks", "exercises") if (folder, chapter) in by]
    links = {name: {"prev": chain[i - 1] if i else None,
                    "next": chain[i + 1] if i + 1 < len(chain) else None}
             for i, name in enumerate(chain)}
    for index, chapter in enumerate(chapters):
        name = by.get(("solutions", chapter))
        if name is None:
            continue
        before = by.get(("exercises", chapter)) or by.get(("notebooks", chapter))
        later = [by[("notebooks", c)] for c in chapters[index + 1:] if ("notebooks", c) in by]
        links[name] = {"prev": before, "next": later[0] if later else None}
    return links


def _site_links(text: str, page, pages, root: Path) -> str:
    """Links to repository files that are no site page: the syllabus becomes the landing
    page (which carries it), any other file its path in code type (never a dead link)."""
    docnames = {p.docname for p in pages}

    def replace(match):
        words, href = match.group(1), match.group(2)
        relative = os.path.normpath(os.path.join(page.folder, href)).replace(os.sep, "/")
        if relative.startswith(".."):
            return match.group(0)
        if relative.endswith(".ipynb") and relative[:-len(".ipynb")] in docnames:
            return match.group(0)
        if relative in ("SYLLABUS.md", "README.md"):
            return f"[{words}](../index.md)"
        return words if relative in words else f"{words}（`{relative}`）"

    return REPO_LINK.sub(replace, text)


def prepare_notebook(nb: dict, page, pages, root: Path = ROOT) -> dict:
    """The site's copy of a notebook (the stored file is never changed)."""
    nb = static_widgets(nb)
    first_title = True
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"])
            source = _site_links(source, page, pages, root)
            if first_title and page.folder == "solutions" and re.search(r"^#\s", source, re.M):
                source = re.sub(r"^(#\s+.+?)\s*$", lambda m: m.group(1) + SOLUTION_MARK,
                                source, count=1, flags=re.M)
                first_title = False
            cell["source"] = source
        elif cell["cell_type"] == "code" and is_plotting_cell(cell):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if not {"hide-input", "remove-input"} & set(tags):
                tags.append("hide-input")
        elif is_setup_cell(cell):  # shown on the page, left out of the PDF handout
            cell.setdefault("metadata", {}).setdefault("tags", []).append("setup")
    return nb


def chromium() -> str | None:
    """Debian's chromium (the PDF handouts are printed with it), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def prepare(root: Path = ROOT, source: Path = SOURCE, with_pdf: bool = False) -> list:
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(root / "docs", source)
    vendor_assets.vendor(source / "_static" / "vendor", packages=("mathjax", "reveal.js"))
    pages = discover(root)
    for page in pages:
        nb = json.loads(page.path.read_text(encoding="utf-8"))
        out = source / page.folder / page.path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(prepare_notebook(nb, page, pages, root), ensure_ascii=False,
                                  indent=1), encoding="utf-8")
    (source / "index.md").write_text(landing_page(pages, root), encoding="utf-8")
    downloads = {p.docname: {"ipynb": p.path.name,
                             **({"pdf": f"{p.path.stem}.pdf"}
                                if with_pdf and p.folder == "notebooks" else {})}
                 for p in pages}
    (source / "page-order.json").write_text(json.dumps(
        {"links": reading_order(pages), "downloads": downloads}, ensure_ascii=False, indent=1),
        encoding="utf-8")
    return pages


def lower_solution_rank(site: Path) -> None:
    """Solutions rank after the lecture and exercises in search (Pagefind weights)."""
    for page in (site / "solutions").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        html = html.replace('<article class="bd-article">',
                            f'<article class="bd-article" data-pagefind-weight='
                            f'"{SOLUTION_WEIGHT}">', 1)
        page.write_text(html, encoding="utf-8")


PRINT_CSS = """
  .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .prev-next-area,
  .bd-footer, .bd-footer-content, .copybtn, .headerlink, #jb-print-toc,
  .cell.tag_setup { display: none !important; }
"""


def print_pdfs(site: Path, pages, browser: str) -> list[Path]:
    """One A4 PDF handout per lecture page: chromium prints the built page (course font
    embedded, formulas as vectors, charts at the stored retina resolution, page numbers),
    served from 127.0.0.1 only."""
    from playwright.sync_api import sync_playwright

    base, stop = serve(site)
    written = []
    footer = ('<div style="width:100%;font-size:9px;text-align:center;color:#555;">'
              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    try:
        with sync_playwright() as playwright:
            chrome = playwright.chromium.launch(executable_path=browser,
                                                args=["--no-sandbox", "--disable-gpu"])
            page = chrome.new_page(viewport={"width": 1000, "height": 1400})
            page.route(re.compile(r"^(?!http://127\.0\.0\.1|data:|blob:|about:)"),
                       lambda route: route.abort())
            for lecture in (p for p in pages if p.folder == "notebooks"):
                page.goto(f"{base}/{lecture.docname}.html", wait_until="networkidle")
                page.evaluate("() => window.MathJax && MathJax.startup && "
                              "MathJax.startup.promise")
                page.evaluate("document.fonts.ready")
                page.add_style_tag(content=f"@media print {{{PRINT_CSS}}}")
                target = site / lecture.folder / f"{lecture.path.stem}.pdf"
                page.pdf(path=str(target), format="A4", print_background=True,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=footer,
                         margin={"top": "16mm", "bottom": "16mm", "left": "14mm",
                                 "right": "14mm"})
                written.append(target)
            chrome.close()
    finally:
        stop()
    return written


def build(root: Path = ROOT, site: Path = SITE, with_slides: bool = True,
          with_pdf: bool | None = None) -> Path:
    started = time.perf_counter()
    browser = chromium()
    if with_pdf is None:
        with_pdf = browser is not None
        if not with_pdf:
            print("chromium 未找到，不生成 PDF 讲义 / chromium not found: no PDF handouts "
                  "(apt-get install chromium)")
    pages = prepare(root, SOURCE, with_pdf)
    shutil.rmtree(site, ignore_errors=True)
    bindir = Path(sys.executable).parent
    # -W: a warning (a dead link, a missing image, ...) fails the build; the doctrees
    # (Sphinx's cache) stay outside the site
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
                    "-j", "1", "-d", str(SOURCE.parent / "site-doctrees"),
                    str(SOURCE), str(site)], check=True, cwd=root,
                   env=dict(os.environ, PYTHONHASHSEED="0"))
    for page in pages:  # the page's own notebook, to download and run
        shutil.copy2(page.path, site / page.folder / page.path.name)
    lower_solution_rank(site)
    if with_slides:
        import build_slides
        build_slides.build(root, site / "slides", shared=site / "_static" / "vendor",
                           images=site / "_images")
    if with_pdf:
        print_pdfs(site, pages, browser or chromium())
    pagefind = shutil.which("pagefind", path=str(bindir)) or shutil.which("pagefind")
    command = [pagefind] if pagefind else [sys.executable, "-m", "pagefind"]
    subprocess.run([*command, "--site", str(site), "--force-language", "zh-cn",
                    "--glob", "{index.html,notebooks/*.html,exercises/*.html,solutions/*.html}",
                    "--exclude-selectors", ".headerlink", "--silent"], check=True, cwd=root)
    print(f"site built in {time.perf_counter() - started:.1f} s: {site}")
    return site


if __name__ == "__main__":
    build()
