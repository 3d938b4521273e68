"""Make the course's JupyterLab Chinese and offline-proof (run by `make install` /
`python course.py install` with the virtual environment's Python).

- default interface language 简体中文 and no news pop-up: settings overrides in
  ``<venv>/share/jupyter/lab/settings/overrides.json`` (merged with what is there);
  a student can still change both in the Settings menu;
- the course font (the TrueType file crmlab ships: WOFF2 would need brotli, a docs-only
  package, and the file is read from the local disk anyway) in a custom.css that
  JupyterLab loads when started with
  ``--LabApp.custom_css=True`` (course.lab_command): Chinese renders on a machine with no
  CJK font. The file goes where Jupyter looks for site-wide custom CSS inside the
  environment; a user's own ``~/.jupyter/custom/custom.css`` still takes precedence.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vendor_assets  # noqa: E402

OVERRIDES = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}
EMOJI = '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", "Course Marks"'
FONTS = f'"Course Sans SC", {EMOJI}, system-ui, -apple-system, "Segoe UI", sans-serif'
MONO = ('"DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace, '
        f'"Course Sans SC", {EMOJI}')
WIDGET_HINT = "交互控件：这是保存时的画面；运行本格（Shift+Enter）后即可拖动、修改"
CUSTOM_CSS = f"""/* crmlab: the course font (tools/setup_lab.py) */
@font-face {{ font-family: "Course Sans SC"; src: url("course-sans-sc.ttf") format("truetype"); }}
@font-face {{ font-family: "Course Marks"; src: url("course-marks.ttf") format("truetype");
             unicode-range: U+2705, U+274C, U+23F3, U+1F4DD; }}
/* A stored widget shows its saved state until its cell runs: instead of a red "disconnected"
   icon on every control, one line above it says so. */
.jupyter-widgets-disconnected::before {{ display: none !important; }}
.jp-Cell-outputArea > .jp-OutputArea-child >
  .jp-OutputArea-output:has(.jupyter-widgets-disconnected)::before {{
  content: "{WIDGET_HINT}";
  display: block; margin: 0 0 4px; padding: 2px 8px; font-size: var(--jp-ui-font-size1);
  color: #7a5c00; background: #fff8e1; border-left: 3px solid #f0b400;
}}
/* form controls (a widget's dropdown) do not inherit the font by default */
select, input, button, textarea {{ font-family: {FONTS}; }}
body {{
  --jp-ui-font-family: {FONTS} !important;
  --jp-content-font-family: {FONTS} !important;
  --jp-code-font-family: {MONO} !important;
}}
"""


def settings_dir(prefix: Path = Path(sys.prefix)) -> Path:
    return prefix / "share" / "jupyter" / "lab" / "settings"


def custom_dir() -> Path:
    import jupyter_server
    return Path(jupyter_server.__file__).parent / "static" / "custom"


def write_overrides(directory: Path) -> Path:
    path = directory / "overrides.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for plugin, values in OVERRIDES.items():
        current.setdefault(plugin, {}).update(values)
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_custom_css(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy2(vendor_assets.FONT, directory / "course-sans-sc.ttf")
    shutil.copy2(vendor_assets.FONT.parent / "OFL.txt", directory / "OFL.txt")
    vendor_assets.marks_font(directory, flavor=None)
    path = directory / "custom.css"
    path.write_text(CUSTOM_CSS, encoding="utf-8")
    return path


def main() -> None:
    print(f"JupyterLab settings: {write_overrides(settings_dir())}")
    print(f"JupyterLab course font: {write_custom_css(custom_dir())}")


if __name__ == "__main__":
    main()
