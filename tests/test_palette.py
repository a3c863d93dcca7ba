"""One look per area (analysis/core/palette.py): exact colours per area type, a cycle for focus areas."""

from __future__ import annotations

import pandas as pd

from analysis.core.palette import FALLBACK_STYLE, AreaStyle, area_styles, style_for

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
        "Skäggetorp": "#E69F00",
        "Övriga Linköping": "#000000",
        "Lambohov": "#C8C8C8",
        "Riket": "#B3B3B3",
    }


def test_area_colours_are_deterministic_and_cycle():
    assert area_colours(AREAS) == area_colours(AREAS.copy())
    many = pd.DataFrame({"name": [f"F{i}" for i in range(8)], "type": "Fokusområde"})
    colours = area_colours(many)
    assert [colours[f"F{i}"] for i in range(8)] == [
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#D55E00",
        "#56B4E9",
        "#0072B2",
        "#E69F00",
    ]


def test_an_unknown_area_type_is_drawn_as_other():
    styles = area_styles(pd.DataFrame([{"name": "X", "type": "Stadsdel"}]))
    assert styles["X"] == AreaStyle("#C8C8C8", "solid", "circle", "Övrigt")


def test_an_area_without_a_style_gets_the_fallback():
    assert style_for(area_styles(AREAS), "Okänt") == FALLBACK_STYLE
    assert style_for(area_styles(AREAS), "Berga").colour == "#0072B2"
