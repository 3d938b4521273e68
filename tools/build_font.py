"""Build the Chinese font that ships inside crmlab (maintainer tool, run once).

The course must render Simplified Chinese on machines without any CJK font, so
we ship a subset of Noto Sans CJK SC (SIL Open Font License 1.1): every
character of GB2312 (6 763 hanzi plus symbols), ASCII and common CJK punctuation.
The outlines are converted from CFF to TrueType quadratics so that matplotlib can
embed the font in PDF/PS output too (Type 42), not only draw it on screen.

Source: Debian's ``fonts-noto-cjk`` package (``NotoSansCJK-Regular.ttc``).
Get it without installing it system-wide::

    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb /tmp/noto
    python tools/build_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

The name table is kept, so the copyright and licence strings stay in the font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

OUT = Path(__file__).resolve().parents[1] / "crmlab" / "fonts" / "NotoSansSC-GB2312.ttf"
FAMILY = "Noto Sans SC GB2312"


def gb2312_characters() -> str:
    """Every character encodable in GB2312, decoded from its two-byte table."""
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def extra_characters() -> str:
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    punctuation = "".join(chr(c) for c in range(0x3000, 0x3040))
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    symbols = "−–—‘’“”…‰℃←↑→↓≤≥≠±×÷·•√∞≈¥€£°²³µ‰"
    return ascii_ + punctuation + fullwidth + symbols


def pick_sc(ttc_path: Path) -> TTFont:
    collection = TTCollection(str(ttc_path))
    for font in collection.fonts:
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC"):
            return font
    raise SystemExit(f"{ttc_path}: no 'SC' face found")


def cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (max error 1 unit)."""
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont) -> None:
    """Give the subset its own family name (OFL: a modified font is renamed)."""
    table = font["name"]
    for record in table.names:
        if record.nameID in (1, 16):
            table.setName(FAMILY, record.nameID, record.platformID,
                          record.platEncID, record.langID)
        elif record.nameID == 4:
            table.setName(FAMILY, 4, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            table.setName(FAMILY.replace(" ", "") + "-Regular", 6, record.platformID,
                          record.platEncID, record.langID)


def main(source: str) -> None:
    font = pick_sc(Path(source))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.layout_features = []  # matplotlib does no OpenType shaping
    options.hinting = False
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=gb2312_characters() + extra_characters())
    subsetter.subset(font)
    cff_to_glyf(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB, {len(font.getGlyphOrder())} glyphs)")


if __name__ == "__main__":
    main(sys.argv[1])
