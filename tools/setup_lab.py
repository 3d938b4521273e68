"""Make the course's JupyterLab Chinese and offline-proof (run by `make install` /
`python course.py install` with the virtual environment's Python).

- default interface language 简体中文 and no news pop-up: settings overrides in
  ``<venv>/share/jupyter/lab/settings/overrides.json`` (merged with what is there);
  a student can still change both in the Settings menu;
- the course font as WOFF2 in a custom.css that JupyterLab loads when started with
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
CUSTOM_CSS = f"""/* crmlab: the course font (tools/setup_lab.py) */
@font-face {{ font-family: "Course Sans SC"; src: url("course-sans-sc.woff2") format("woff2"); }}
@font-face {{ font-family: "Course Marks"; src: url("course-marks.woff2") format("woff2");
             unicode-range: U+2705, U+274C, U+23F3, U+1F4DD; }}
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
    cache = Path(vendor_assets.ROOT) / "build" / "lab-font"
    for font in (vendor_assets.woff2(cache), vendor_assets.marks_font(cache)):
        shutil.copy2(font, directory / font.name)
    path = directory / "custom.css"
    path.write_text(CUSTOM_CSS, encoding="utf-8")
    return path


def main() -> None:
    print(f"JupyterLab settings: {write_overrides(settings_dir())}")
    print(f"JupyterLab course font: {write_custom_css(custom_dir())}")


if __name__ == "__main__":
    main()
