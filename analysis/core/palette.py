"""One look per area everywhere: colour, line dash and marker per area (Okabe–Ito, colour-blind safe).

Charts, sparklines, slides and exports all take an area's style from here, so Berga has the same colour on every
page and in every file; the dash and the marker carry the same information for readers who cannot tell colours apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.model import FOCUS, MUNICIPALITY, NATION, OTHER, REFERENCE

FOCUS_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
FOCUS_SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "cross", "x")
LIGHT_GREY = "#C8C8C8"
# A hollow light-grey bar would vanish on white; its outline needs a darker grey.
OUTLINE_GREY = "#7A7A7A"
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    REFERENCE: ("#000000", "dash", "star"),
    MUNICIPALITY: ("#7A7A7A", "dot", "triangle-down"),
    NATION: ("#B3B3B3", "dashdot", "hexagon"),
    OTHER: (LIGHT_GREY, "solid", "circle"),
}
WOMEN, MEN = "Kvinnor", "Män"
SEX_STYLE: dict[str, tuple[str, str]] = {WOMEN: ("#CC79A7", ""), MEN: ("#009E73", "/")}


@dataclass(frozen=True)
class AreaStyle:
    """How one area is drawn in every chart: colour, line dash, marker symbol and its area type."""

    colour: str
    dash: str
    symbol: str
    area_type: str

    @property
    def is_focus(self) -> bool:
        """True for a focus area (the areas bar charts highlight by default)."""
        return self.area_type == FOCUS


FALLBACK_STYLE = AreaStyle(LIGHT_GREY, "solid", "circle", OTHER)


def area_styles(areas: pd.DataFrame) -> dict[str, AreaStyle]:
    """Style per area name: focus areas cycle through the palette in table order, the others by type."""
    styles: dict[str, AreaStyle] = {}
    n_focus = 0
    for name, kind in zip(areas["name"].astype(str), areas["type"].astype(str)):
        if kind == FOCUS:
            styles[name] = AreaStyle(
                FOCUS_COLOURS[n_focus % len(FOCUS_COLOURS)], "solid", FOCUS_SYMBOLS[n_focus % len(FOCUS_SYMBOLS)], FOCUS
            )
            n_focus += 1
        else:
            colour, dash, symbol = TYPE_STYLE.get(kind, TYPE_STYLE[OTHER])
            styles[name] = AreaStyle(colour, dash, symbol, kind if kind in TYPE_STYLE else OTHER)
    return styles


def style_for(styles: Mapping[str, AreaStyle], area: str) -> AreaStyle:
    """The area's style, or light grey for an area the styles do not know."""
    return styles.get(area, FALLBACK_STYLE)
