"""Sphinx configuration of the course website (`make site`; tools/build_site.py copies
this folder and the stored notebooks into build/site-src and builds from there)."""

project = "客户关系管理实训 crmlab"
author = "crmlab"
copyright = "crmlab contributors"
language = "zh_CN"

extensions = ["myst_nb"]
# the stored, executed notebooks are shown as they are: never re-executed
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "README.md"]
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]

html_theme = "sphinx_book_theme"
html_title = "客户关系管理实训"
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_js_files = []
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
}

# MathJax from the site itself (tools/vendor_assets.py), never from a CDN
mathjax_path = "vendor/mathjax/es5/tex-svg-full.js"
mathjax3_config = {"svg": {"fontCache": "global"}}

html_favicon = "_static/favicon.svg"
html_context = {"default_mode": "light"}
# search.html is Pagefind's search page (Sphinx's own index does not segment Chinese)
templates_path = ["_templates"]
