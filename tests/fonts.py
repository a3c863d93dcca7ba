"""Arial's metrics read from a font file, for the tests that check that table headers fit their columns.

The exports write their tables in Arial; LibreOffice draws it with Liberation Sans, which has Arial's widths (CI
installs fonts-liberation2, see .ci/run). Without either font the tests skip, or fail with SEGDASH_REQUIRE_BROWSER=1
(CI), so a missing font cannot pass CI unnoticed.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from PIL import ImageFont

FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:/Windows/Fonts",
)
FILE_NAMES = {
    False: ("LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
    True: ("LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
}
EM = 2048  # pixels to the em: one pixel is one font unit, so no width is rounded


def font_file(bold: bool) -> Path | None:
    """The first Liberation Sans or Arial file (regular or bold) in the usual font folders, None without one."""
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if not root.is_dir():
            continue
        for name in FILE_NAMES[bold]:
            found = sorted(root.rglob(name))
            if found:
                return found[0]
    return None


@functools.cache
def arial(bold: bool) -> ImageFont.FreeTypeFont:
    """Arial's metrics (from Liberation Sans or Arial) at EM pixels to the em; skips or, on CI, fails without them."""
    path = font_file(bold)
    if path is None:
        message = "ingen Liberation Sans eller Arial att mäta tabellrubrikerna med (Debian: fonts-liberation2)"
        if os.environ.get("SEGDASH_REQUIRE_BROWSER", "").strip() == "1":
            pytest.fail(f"SEGDASH_REQUIRE_BROWSER=1 men {message}", pytrace=False)
        pytest.skip(message)
    return ImageFont.truetype(str(path), EM)


def measured(text: str, size: float, bold: bool) -> float:
    """The width in points of a text in Arial at a size in points: the wider of the kerned line (LibreOffice) and
    the sum of the letters' advances (Word, which does not kern)."""
    font = arial(bold)
    return max(font.getlength(text), sum(font.getlength(c) for c in text)) * size / EM
