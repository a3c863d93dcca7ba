"""Arial's widths without a font file: hand-worked widths, and the list checked against the font files."""

from __future__ import annotations

import math

import pytest

from analysis.exports.font_metrics import BOLD, CHARACTERS, REGULAR, UNITS_PER_EM, advance_widths, text_width
from tests import fonts
from tests.fonts import EM, arial


@pytest.mark.parametrize(
    ("text", "size", "bold", "expected"),
    [
        # Arial's advance widths in 2048ths of an em: J 1024, a 1139; bold J 1139, bold a 1139.
        ("Ja", 10, False, (1024 + 1139) * 10 / 2048),
        ("Ja", 10, True, (1139 + 1139) * 10 / 2048),
        # Skäggetorp in bold: S 1366, k 1139, ä 1139, g 1251 ×2, e 1139, t 682, o 1251, r 797, p 1251.
        ("Skäggetorp", 9, True, (1366 + 1139 + 1139 + 1251 * 2 + 1139 + 682 + 1251 + 797 + 1251) * 9 / 2048),
        # A no-break space is as wide as a space (569), the per cent sign 1821, ▼ 2027.
        ("62,5\u00a0%", 12, False, (1139 * 3 + 569 + 569 + 1821) * 12 / 2048),
        ("▼", 8, False, 2027 * 8 / 2048),
        # A character the list does not have counts as one em.
        ("中", 12, False, 12.0),
        ("", 12, True, 0.0),
    ],
)
def test_text_width(text, size, bold, expected):
    assert text_width(text, size, bold) == pytest.approx(expected)


def test_unknown_characters_are_at_least_as_wide_as_any_letter():
    for widths in (REGULAR, BOLD):
        assert max(w for c, w in widths.items() if c.isalpha()) == UNITS_PER_EM  # 'Æ'
    assert len(REGULAR) == len(BOLD) == len(CHARACTERS) == 212


def test_a_width_list_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 widths for 212 characters"):
        advance_widths("569 569")


@pytest.mark.parametrize("bold", [False, True])
def test_the_widths_are_the_fonts_advance_widths(bold):
    font = arial(bold)  # skips without Liberation Sans or Arial; fails on CI
    widths = BOLD if bold else REGULAR
    font_units = {c: font.getlength(c) * UNITS_PER_EM / EM for c in CHARACTERS}
    # Letters and digits exactly; the list never narrower than the font (it keeps the wider of two font versions).
    assert {c: widths[c] for c in CHARACTERS if c.isalnum()} == {
        c: math.ceil(font_units[c] - 1e-6) for c in CHARACTERS if c.isalnum()
    }
    assert [c for c in CHARACTERS if widths[c] < font_units[c] - 1e-6] == []


@pytest.mark.parametrize(("required", "outcome"), [("1", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_missing_font_fails_on_ci_and_skips_elsewhere(monkeypatch, tmp_path, required, outcome):
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.setenv("SEGDASH_REQUIRE_BROWSER", required)
    fonts.arial.cache_clear()
    try:
        with pytest.raises(outcome, match="ingen Liberation Sans eller Arial"):
            fonts.arial(True)
    finally:
        fonts.arial.cache_clear()
