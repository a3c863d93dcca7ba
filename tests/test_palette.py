"""One look per area (analysis/core/palette.py): exact colours per area type, a cycle for focus areas."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.palette import (
    BACKGROUND,
    FALLBACK_STYLE,
    FOCUS_COLOURS,
    GRAPHIC_CONTRAST,
    OUTLINE_GREY,
    SEX_STYLE,
    TEXT_CONTRAST,
    TYPE_STYLE,
    AreaStyle,
    area_styles,
    blend,
    contrast_ratio,
    label_colour,
    style_for,
    text_colour,
)
from analysis.measures.presentation import TONE_COLOURS, TONE_TINT
from analysis.render.charts import REFERENCE_LINE_COLOUR
from analysis.viewmodels.followup import STATUS_COLOURS
from analysis.viewmodels.slides import VERDICT_COLOURS

THEME = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())["theme"]
#: Streamlit draws st.caption and other secondary text in the theme's text colour at 60 % opacity
#: (fadedText60 in its frontend: transparentize(bodyText, 0.4)).
CAPTION_OPACITY = 0.6

AREAS = pd.DataFrame(
    [
        {"name": "Berga", "type": "Fokusområde"},
        {"name": "Linköping", "type": "Kommun"},
        {"name": "Skäggetorp", "type": "Fokusområde"},
        {"name": "Övriga Linköping", "type": "Jämförelse"},
        {"name": "Lambohov", "type": "Övrigt"},
        {"name": "Riket", "type": "Riket"},
    ]
)


def area_colours(areas: pd.DataFrame) -> dict[str, str]:
    """Colour per area name, as the styles give it."""
    return {name: style.colour for name, style in area_styles(areas).items()}


def test_area_colours_are_exact_per_type():
    colours = area_colours(AREAS)
    assert colours == {
        "Berga": "#0072B2",
        "Linköping": "#7A7A7A",
        "Skäggetorp": "#B87F00",
        "Övriga Linköping": "#000000",
        "Lambohov": "#8C8C8C",
        "Riket": "#595959",
    }


def test_area_colours_are_deterministic_and_cycle():
    assert area_colours(AREAS) == area_colours(AREAS.copy())
    many = pd.DataFrame({"name": [f"F{i}" for i in range(8)], "type": "Fokusområde"})
    colours = area_colours(many)
    assert [colours[f"F{i}"] for i in range(8)] == [
        "#0072B2",
        "#B87F00",
        "#009E73",
        "#CC79A7",
        "#D55E00",
        "#3A8CC2",
        "#0072B2",
        "#B87F00",
    ]


def test_an_unknown_area_type_is_drawn_as_other():
    styles = area_styles(pd.DataFrame([{"name": "X", "type": "Stadsdel"}]))
    assert styles["X"] == AreaStyle("#8C8C8C", "solid", "circle", "Övrigt")


def test_an_area_without_a_style_gets_the_fallback():
    assert style_for(area_styles(AREAS), "Okänt") == FALLBACK_STYLE
    assert style_for(area_styles(AREAS), "Berga").colour == "#0072B2"


# --- contrast (WCAG 2.1: 1.4.3 text 4.5:1, 1.4.11 graphics 3:1) ---------------------------------------------------


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#000000", 21.0),  # order does not matter
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes 4.5:1 on white
        ("#777777", "#FFFFFF", 4.48),  # one step lighter fails
        ("#949494", "#FFFFFF", 3.03),  # the lightest grey that passes 3:1
    ],
)
def test_contrast_ratio(first, second, expected):
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(
    "colour, alpha, background, expected",
    [
        ("#000000", 0.6, "#FFFFFF", "#666666"),  # 0.4 × 255 = 102
        (
            "#111318",
            0.6,
            "#FFFFFF",
            "#707174",
        ),  # 0.6 × 17 + 102 = 112.2; 0.6 × 19 + 102 = 113.4; 0.6 × 24 + 102 = 116.4
        ("#0072B2", 0.0, "#FFFFFF", "#FFFFFF"),
        ("#0072B2", 1.0, "#FFFFFF", "#0072B2"),
    ],
)
def test_blend(colour, alpha, background, expected):
    assert blend(colour, alpha, background) == expected


@pytest.mark.parametrize(
    "background, expected",
    [
        ("#0072B2", "#FFFFFF"),
        ("#3B3B3B", "#FFFFFF"),
        ("#D55E00", "#000000"),
        ("#009E73", "#000000"),
        ("#B87F00", "#000000"),
        ("#3A8CC2", "#000000"),
        ("#FFFFFF", "#000000"),
    ],
)
def test_text_colour_contrasts(background, expected):
    assert text_colour(background) == expected


GRAPHIC_COLOURS = {
    **{f"fokusområde {i + 1}": c for i, c in enumerate(FOCUS_COLOURS)},
    **{f"typ {kind}": style[0] for kind, style in TYPE_STYLE.items()},
    "kontur av ljusgrå stapel": OUTLINE_GREY,
    "referenslinje": REFERENCE_LINE_COLOUR,
    **{f"kön {sex}": style[0] for sex, style in SEX_STYLE.items()},
    **{f"status {status}": c for status, c in STATUS_COLOURS.items()},
    **{f"ton {tone}": c for tone, c in TONE_COLOURS.items()},
    **{f"omdöme {i + 1}": c for i, c in enumerate(VERDICT_COLOURS)},
}


@pytest.mark.parametrize("name", sorted(GRAPHIC_COLOURS))
def test_lines_markers_and_bars_stand_out_from_the_background(name):
    assert contrast_ratio(GRAPHIC_COLOURS[name], BACKGROUND) >= GRAPHIC_CONTRAST


@pytest.mark.parametrize("tone", sorted(TONE_COLOURS))
def test_verdict_colours_are_readable_as_text_on_white_and_on_their_tint(tone):
    colour = TONE_COLOURS[tone]
    assert contrast_ratio(colour, BACKGROUND) >= TEXT_CONTRAST
    assert contrast_ratio(colour, blend(colour, TONE_TINT)) >= TEXT_CONTRAST


@pytest.mark.parametrize("status", sorted(STATUS_COLOURS))
def test_labels_on_status_bars_are_readable(status):
    background = STATUS_COLOURS[status]
    assert contrast_ratio(text_colour(background), background) >= TEXT_CONTRAST


def test_the_theme_meets_aa():
    background = THEME["backgroundColor"]
    assert contrast_ratio(THEME["textColor"], background) >= TEXT_CONTRAST
    # Captions are the palest text Streamlit draws (the default theme gives them 3.9:1, the audit's first finding).
    assert contrast_ratio(blend(THEME["textColor"], CAPTION_OPACITY, background), background) >= TEXT_CONTRAST
    # Links are drawn in the primary colour; primary buttons write white on it.
    assert contrast_ratio(THEME["primaryColor"], background) >= TEXT_CONTRAST
    assert contrast_ratio("#FFFFFF", THEME["primaryColor"]) >= TEXT_CONTRAST
    # The default text colour would fail: the check is not vacuous.
    assert contrast_ratio(blend("#31333F", CAPTION_OPACITY, background), background) < TEXT_CONTRAST


def test_value_labels_are_readable_on_white():
    # The palette's lines need only 3:1; a label in a too-light colour is written in ink instead.
    assert label_colour("#0072B2") == "#0072B2"
    assert label_colour("#B87F00") == "#333333"
    for colour in ("#0072B2", "#B87F00", "#8C8C8C", "#000000", "#C8C8C8"):
        assert contrast_ratio(label_colour(colour), BACKGROUND) >= 4.5


def test_comparison_municipalities_keep_the_municipalities_grey_with_their_own_dash_and_marker():
    areas = pd.DataFrame(
        {
            "name": ["Berga", "Linköping", "Norrköping", "Örebro", "Riket"],
            "type": ["Fokusområde", "Kommun", "Kommun", "Kommun", "Riket"],
        }
    )
    styles = area_styles(areas)
    assert styles["Linköping"] == AreaStyle("#7A7A7A", "dot", "triangle-down", "Kommun")
    assert styles["Norrköping"] == AreaStyle("#7A7A7A", "dash", "square", "Kommun")
    assert styles["Örebro"] == AreaStyle("#7A7A7A", "dashdot", "diamond", "Kommun")
    looks = [(s.dash, s.symbol) for n, s in styles.items() if s.area_type == "Kommun"]
    assert len(set(looks)) == len(looks)
