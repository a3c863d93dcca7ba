"""Text widths in Arial, the font every table in the Word and PowerPoint exports is written in.

Why Arial: LibreOffice draws it with Liberation Sans (Debian installs it with LibreOffice), whose letters have
exactly Arial's widths, and Word and PowerPoint have Arial; so a column measured here is as wide as needed wherever
the file is opened. (Calibri, the files' default font, is drawn by LibreOffice without Carlito in a much wider font,
which is how table headers came to break inside words.)

The widths are Arial's advance widths (font units, 2048 to the em) for the characters the tables use, copied from
Liberation Sans 1 and 2 (the larger where they differ), so an export measures the same on every machine without a
font file. tests/test_font_metrics.py checks them against the font files; a character not listed counts as one em,
as wide as the widest listed letter. Widths are summed without kerning, as Word draws text (LibreOffice's kerning
narrows pairs such as 'AV').
"""

from __future__ import annotations

FONT = "Arial"
UNITS_PER_EM = 2048
# Printable ASCII, Latin-1 and the dashes, quotes, arrows and spaces of the tables' Swedish texts.
CHARACTERS = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0xA0, 0x100)))
    + "\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022"  # – — ‘ ’ “ ” … •
    + "\u25b2\u25bc\u2192\u2190\u2191\u2193"  # ▲ ▼ → ← ↑ ↓
    + "\u20ac\u2212\u2009\u202f\u2248\u2264\u2265"  # € − thin space, narrow no-break space, ≈ ≤ ≥
)
REGULAR_WIDTHS = """
569 569 727 1139 1139 1821 1366 391 682 682 797 1196 569 682 569 569 1139 1139 1139 1139 1139 1139 1139 1139
1139 1139 569 569 1196 1196 1196 1139 2079 1366 1366 1479 1479 1366 1251 1593 1479 569 1024 1366 1139 1706
1479 1593 1366 1593 1479 1366 1251 1479 1366 1933 1366 1366 1251 569 569 569 961 1139 682 1139 1139 1024 1139
1139 569 1139 1139 455 455 1024 455 1706 1139 1139 1139 1139 682 1024 569 1139 1024 1479 1024 1024 1024 684
532 684 1196 569 682 1139 1139 1139 1139 532 1139 682 1509 758 1139 1196 0 1509 1131 819 1124 682 682 682 1180
1100 682 682 682 748 1139 1708 1708 1708 1251 1366 1366 1366 1366 1366 1366 2048 1479 1366 1366 1366 1366 569
569 569 569 1479 1479 1593 1593 1593 1593 1593 1196 1593 1479 1479 1479 1479 1366 1366 1251 1139 1139 1139
1139 1139 1139 1821 1024 1139 1139 1139 1139 569 569 569 569 1139 1139 1139 1139 1139 1139 1139 1124 1251 1139
1139 1139 1139 1024 1139 1024 1139 2048 455 455 682 682 2048 717 2027 2027 2048 2048 1024 1024 1139 1196 410
410 1124 1124 1124
"""
BOLD_WIDTHS = """
569 682 971 1139 1139 1821 1479 487 682 682 797 1196 569 682 569 569 1139 1139 1139 1139 1139 1139 1139 1139
1139 1139 682 682 1196 1196 1196 1251 1997 1479 1479 1479 1479 1366 1251 1593 1479 569 1139 1479 1251 1706
1479 1593 1366 1593 1479 1366 1251 1479 1366 1933 1366 1366 1251 682 569 682 1196 1139 682 1139 1251 1139 1251
1139 682 1251 1251 569 569 1139 569 1821 1251 1251 1251 1251 797 1139 682 1251 1139 1593 1139 1139 1024 797
573 797 1196 569 682 1139 1139 1139 1139 573 1139 682 1509 758 1139 1196 0 1509 1131 819 1124 682 682 682 1180
1139 682 682 682 748 1139 1708 1708 1708 1251 1479 1479 1479 1479 1479 1479 2048 1479 1366 1366 1366 1366 569
569 569 569 1479 1479 1593 1593 1593 1593 1593 1196 1593 1479 1479 1479 1479 1366 1366 1251 1139 1139 1139
1139 1139 1139 1821 1139 1139 1139 1139 1139 569 569 569 569 1251 1251 1251 1251 1251 1251 1251 1124 1251 1251
1251 1251 1251 1139 1251 1139 1139 2048 569 569 1024 1024 2048 717 2027 2027 2048 2048 1024 1024 1139 1196 410
410 1124 1124 1124
"""


def advance_widths(widths: str) -> dict[str, int]:
    """A character's advance width in font units, from one of the width lists above."""
    numbers = [int(n) for n in widths.split()]
    if len(numbers) != len(CHARACTERS):
        raise ValueError(f"{len(numbers)} widths for {len(CHARACTERS)} characters")
    return dict(zip(CHARACTERS, numbers))


REGULAR = advance_widths(REGULAR_WIDTHS)
BOLD = advance_widths(BOLD_WIDTHS)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of a text on one line in Arial at a size in points."""
    widths = BOLD if bold else REGULAR
    return sum(widths.get(c, UNITS_PER_EM) for c in text) * size / UNITS_PER_EM
