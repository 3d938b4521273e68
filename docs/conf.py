"""Sphinx configuration of the course website (`make site`; tools/build_site.py copies
this folder and the stored notebooks into build/site-src and builds from there)."""

import json
from pathlib import Path

project = "客户关系管理实训 crmlab"
author = "crmlab"
copyright = "crmlab contributors"
language = "zh_CN"

extensions = ["myst_nb", "sphinx_copybutton"]
# the stored, executed notebooks are shown as they are: never re-executed
nb_execution_mode = "off"
nb_merge_streams = True
# plotting code is folded under the chart (tools/build_site.py tags it hide-input)
nb_code_prompt_show = "显示绘图代码"
nb_code_prompt_hide = "隐藏绘图代码"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "README.md", "page-order.json"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]

# the copy button copies the code only, never prompts or outputs
copybutton_exclude = ".linenos, .gp, .go"

html_theme = "sphinx_book_theme"
html_title = "客户关系管理实训"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "toc_title": "本页目录",
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
    "article_header_end": ["course-downloads.html", "article-header-buttons.html"],
}

# MathJax from the site itself (tools/vendor_assets.py), never from a CDN
mathjax_path = "vendor/mathjax/es5/tex-svg-full.js"
mathjax3_config = {"svg": {"fontCache": "global"}}

html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "light"}
# search.html is Pagefind's search page (Sphinx's own index does not segment Chinese);
# layout.html drops the theme's duplicate header (see there); course-downloads.html
# links the page's notebook and PDF handout
templates_path = ["_templates"]

# previous/next: lecture -> its exercises -> the next lecture; a solution page leads back
# to its exercises and on to the next lecture (tools/build_site.py writes the order)
ORDER = Path(__file__).with_name("page-order.json")


def _reading_order(app, pagename, templatename, context, doctree):
    if not ORDER.exists():
        return
    order = json.loads(ORDER.read_text(encoding="utf-8"))
    links = order["links"].get(pagename)
    if not links:
        return
    for key in ("prev", "next"):
        target = links.get(key)
        if target is None:
            context[key] = None
            continue
        title = app.env.titles.get(target)
        context[key] = {"link": app.builder.get_relative_uri(pagename, target),
                        "title": title.astext() if title else target}
    context["course_downloads"] = order["downloads"].get(pagename, {})


def setup(app):
    app.connect("html-page-context", _reading_order)
