"""Offline assets for the course site and slides: reveal.js, MathJax and the web font.

reveal.js and MathJax come from the npm registry (``npm pack``), pinned by version and
checked against the sha512 integrity recorded here before anything is unpacked; the
tarballs are cached in ``build/vendor-cache/`` so a second build needs no network.
The web font is the course's own font (crmlab/fonts) converted to WOFF2 by fontTools.
Nothing in the built HTML points to a CDN.

Usage: python tools/vendor_assets.py DEST   (copies vendor/ assets and the font into DEST)
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "vendor-cache"
FONT = ROOT / "crmlab" / "fonts" / "NotoSansSC-GB2312.ttf"
FONT_FAMILY = "Course Sans SC"
WOFF2_NAME = "course-sans-sc.woff2"

# name -> (version, npm integrity, files to keep: prefix inside the package)
PACKAGES = {
    "mathjax": ("3.2.2",
                "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
                ("es5/tex-svg-full.js", "LICENSE")),
    "reveal.js": ("5.2.1",
                  "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
                  ("dist/reveal.js", "dist/reveal.css", "dist/reset.css", "dist/theme/white.css",
                   "dist/theme/fonts/source-sans-pro",
                   "plugin/notes/notes.js", "LICENSE")),
}


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def tarball(name: str) -> bytes:
    """The package's tarball from the cache or the npm registry, checked by sha512."""
    version, integrity, _ = PACKAGES[name]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}-{version}.tgz"
    if not path.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm 未找到 / npm not found: it fetches reveal.js and MathJax once")
        out = subprocess.run([npm, "pack", f"{name}@{version}", "--json", "--pack-destination",
                              str(CACHE)], check=True, capture_output=True, text=True).stdout
        produced = CACHE / json.loads(out)[0]["filename"]
        if produced != path:
            produced.replace(path)
    data = path.read_bytes()
    if _integrity(data) != integrity:
        path.unlink()
        raise SystemExit(f"{name}@{version}: sha512 不符 / integrity mismatch, cache removed")
    return data


def unpack(name: str, dest: Path) -> Path:
    """Unpack the kept files of ``name`` into ``dest/name`` (idempotent)."""
    version, _, keep = PACKAGES[name]
    target = dest / name
    stamp = target / ".version"
    wanted = f"{version} {' '.join(keep)}"
    if stamp.exists() and stamp.read_text() == wanted:
        return target
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(tarball(name)), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if member.isfile() and any(inner == k or inner.startswith(k + "/") for k in keep):
                out = target / inner
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.extractfile(member).read())
    stamp.write_text(wanted)
    return target


def woff2(dest: Path) -> Path:
    """The course font as WOFF2 (same glyphs, about half the size)."""
    out = dest / WOFF2_NAME
    if out.exists() and out.stat().st_mtime >= FONT.stat().st_mtime:
        return out
    from fontTools.ttLib import TTFont
    font = TTFont(str(FONT))
    font.flavor = "woff2"
    dest.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    shutil.copy2(FONT.parent / "OFL.txt", dest / "OFL.txt")
    return out


MARKS_NAME = "course-marks.woff2"


MARKS = {0x2705: "check", 0x274C: "cross", 0x23F3: "hourglass", 0x1F4DD: "memo"}


def _rect(x0, y0, x1, y1):
    return [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]


MARK_SHAPES = {
    "check": [[(80, 420), (180, 520), (380, 300), (820, 760), (920, 660), (380, 100)]],
    "cross": [[(150, 760), (500, 410), (850, 760), (950, 660), (600, 310), (950, -40),
               (850, -140), (500, 210), (150, -140), (50, -40), (400, 310), (50, 660)]],
    # ⏳ two glass halves meeting at the waist, a bar on top and below
    "hourglass": [_rect(180, 720, 820, 800), _rect(180, -100, 820, -20),
                  [(240, 720), (760, 720), (540, 310), (760, -20), (240, -20), (460, 310)]],
    # 📝 a sheet (frame of four bars) with three lines of writing
    "memo": [_rect(150, -100, 230, 800), _rect(770, -100, 850, 800), _rect(230, 720, 770, 800),
             _rect(230, -100, 770, -20), _rect(300, 560, 700, 620), _rect(300, 380, 700, 440),
             _rect(300, 200, 600, 260)],
}


def marks_font(dest: Path, flavor: str | None = "woff2") -> Path:
    """A small font for the course's marks ✅ ❌ ⏳ 📝 where the machine has no emoji font
    (used through unicode-range): monochrome but never an empty box. Rebuilt each time
    (a few hundred bytes), so a new mark reaches every cached copy."""
    out = dest / (MARKS_NAME if flavor == "woff2" else MARKS_NAME.replace(".woff2", ".ttf"))
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def polygon(points_list):
        pen = TTGlyphPen(None)
        for points in points_list:
            pen.moveTo(points[0])
            for point in points[1:]:
                pen.lineTo(point)
            pen.closePath()
        return pen.glyph()

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", *MARK_SHAPES])
    builder.setupCharacterMap(MARKS)
    builder.setupGlyf({".notdef": polygon([]),
                       **{name: polygon(shape) for name, shape in MARK_SHAPES.items()}})
    builder.setupHorizontalMetrics({".notdef": (1000, 0),
                                    **{name: (1000, 50) for name in MARK_SHAPES}})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": "Course Marks", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.font.flavor = flavor
    dest.mkdir(parents=True, exist_ok=True)
    builder.save(str(out))
    return out


def font_css(url: str) -> str:
    """@font-face for the course font, Chinese first in every font stack."""
    return (f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{url}') format('woff2');"
            " font-display: block; }\n")


def vendor(dest: Path, packages=tuple(PACKAGES)) -> None:
    """Unpack ``packages`` and write the course fonts into ``dest``."""
    for name in packages:
        unpack(name, dest)
    woff2(dest)
    marks_font(dest)


if __name__ == "__main__":
    vendor(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "vendor")
