"""Build the course website from the stored notebooks (`make site`; no re-execution).

Copies docs/ and every notebook of notebooks/, exercises/, solutions/ into
build/site-src (widget outputs replaced by their stored static rendering and a note),
writes the landing page (course map from the notebooks found + the syllabus), runs
Sphinx, then Pagefind for Chinese full-text search. Output: build/site (open
build/site/index.html or `make serve`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # noqa: E402
from web_common import FOLDERS, ROOT, discover, static_widgets  # noqa: E402

SOURCE = ROOT / "build" / "site-src"
SITE = ROOT / "build" / "site"


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
            "本网站由已执行的笔记本直接生成，离线可用。\n\n"
            "## 全文搜索\n\n"
            '<link href="pagefind/pagefind-ui.css" rel="stylesheet">\n'
            '<script src="pagefind/pagefind-ui.js"></script>\n'
            '<div id="pagefind-search"></div>\n'
            "<script>window.addEventListener('DOMContentLoaded', () => new PagefindUI("
            "{element: '#pagefind-search', showSubResults: true, showImages: false}));"
            "</script>\n\n"
            "## 各章内容\n\n" + "\n".join(rows) + "\n\n"
            + syllabus(root) + "\n\n" + "\n".join(toctrees))


def prepare(root: Path = ROOT, source: Path = SOURCE) -> list:
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(root / "docs", source)
    vendor_assets.vendor(source / "_static" / "vendor", packages=("mathjax",))
    pages = discover(root)
    for page in pages:
        nb = json.loads(page.path.read_text(encoding="utf-8"))
        out = source / page.folder / page.path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(static_widgets(nb), ensure_ascii=False, indent=1),
                       encoding="utf-8")
    (source / "index.md").write_text(landing_page(pages, root), encoding="utf-8")
    return pages


def build(root: Path = ROOT, site: Path = SITE, with_slides: bool = True) -> Path:
    started = time.perf_counter()
    prepare(root, SOURCE)
    shutil.rmtree(site, ignore_errors=True)
    bindir = Path(sys.executable).parent
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1",
                    str(SOURCE), str(site)], check=True, cwd=root,
                   env=dict(os.environ, PYTHONHASHSEED="0"))
    if with_slides:
        import build_slides
        build_slides.build(root, site / "slides")
    pagefind = shutil.which("pagefind", path=str(bindir)) or shutil.which("pagefind")
    command = [pagefind] if pagefind else [sys.executable, "-m", "pagefind"]
    subprocess.run([*command, "--site", str(site), "--force-language", "zh-cn",
                    "--glob", "{index.html,notebooks/*.html,exercises/*.html,solutions/*.html}",
                    "--exclude-selectors", ".headerlink", "--silent"], check=True, cwd=root)
    print(f"site built in {time.perf_counter() - started:.1f} s: {site}")
    return site


if __name__ == "__main__":
    build()
