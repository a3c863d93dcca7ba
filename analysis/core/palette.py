"""One look per area everywhere: colour, line dash and marker per area (Okabe–Ito, colour-blind safe).

Charts, sparklines, slides and exports all take an area's style from here, so Berga has the same colour on every
page and in every file; the dash and the marker carry the same information for readers who cannot tell colours apart.

Every line and marker colour has a contrast of at least 3:1 against the white background (WCAG 2.1, 1.4.11 Non-text
contrast): Okabe–Ito's orange and sky blue are darkened for that, and the greys of the other areas are mid greys.
The contrast rule itself (`contrast_ratio`) lives here too; tests/test_palette.py checks every colour with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.groups import MEN, WOMEN
from analysis.core.model import FOCUS, MUNICIPALITY, NATION, OTHER, REFERENCE

BACKGROUND = "#FFFFFF"
#: Okabe–Ito orange (#E69F00) and sky blue (#56B4E9) darkened to 3:1 against white; the hues stay apart.
DARK_ORANGE = "#B87F00"
DARK_SKY_BLUE = "#3A8CC2"
FOCUS_COLOURS: tuple[str, ...] = ("#0072B2", DARK_ORANGE, "#009E73", "#CC79A7", "#D55E00", DARK_SKY_BLUE)
FOCUS_SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "cross", "x")
#: The fill of bars that are not highlighted; never a line, and always drawn with an OUTLINE_GREY outline.
LIGHT_GREY = "#C8C8C8"
# A light-grey bar would vanish on white; its outline needs a darker grey.
OUTLINE_GREY = "#7A7A7A"
#: Lines and markers of the areas that are context, not focus: the lightest grey with 3:1 against white.
OTHER_GREY = "#8C8C8C"
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    REFERENCE: ("#000000", "dash", "star"),
    MUNICIPALITY: ("#7A7A7A", "dot", "triangle-down"),
    NATION: ("#595959", "dashdot", "hexagon"),
    OTHER: (OTHER_GREY, "solid", "circle"),
}
#: Dash and marker of the second, third … area of type Kommun (the comparison municipalities).
PEER_STYLES: tuple[tuple[str, str], ...] = (
    ("dash", "square"),
    ("dashdot", "diamond"),
    ("longdash", "triangle-up"),
    ("longdashdot", "pentagon"),
    ("solid", "x"),
    ("dash", "cross"),
)
#: WCAG 2.1 AA: text needs 4.5:1 (1.4.3), lines, markers and other graphics 3:1 (1.4.11).
TEXT_CONTRAST, GRAPHIC_CONTRAST = 4.5, 3.0
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


FALLBACK_STYLE = AreaStyle(OTHER_GREY, "solid", "circle", OTHER)


def area_styles(areas: pd.DataFrame) -> dict[str, AreaStyle]:
    """Style per area name: focus areas cycle through the palette in table order, the others by type."""
    styles: dict[str, AreaStyle] = {}
    n_focus = n_municipalities = 0
    for name, kind in zip(areas["name"].astype(str), areas["type"].astype(str)):
        if kind == FOCUS:
            styles[name] = AreaStyle(
                FOCUS_COLOURS[n_focus % len(FOCUS_COLOURS)], "solid", FOCUS_SYMBOLS[n_focus % len(FOCUS_SYMBOLS)], FOCUS
            )
            n_focus += 1
        elif kind == MUNICIPALITY and n_municipalities:
            # The comparison municipalities after the first: the municipalities' grey, each with its own dash and
            # marker, so their lines differ without taking a focus area's colour.
            dash, symbol = PEER_STYLES[(n_municipalities - 1) % len(PEER_STYLES)]
            styles[name] = AreaStyle(TYPE_STYLE[MUNICIPALITY][0], dash, symbol, MUNICIPALITY)
            n_municipalities += 1
        else:
            colour, dash, symbol = TYPE_STYLE.get(kind, TYPE_STYLE[OTHER])
            styles[name] = AreaStyle(colour, dash, symbol, kind if kind in TYPE_STYLE else OTHER)
            if kind == MUNICIPALITY:
                n_municipalities += 1
    return styles


def style_for(styles: Mapping[str, AreaStyle], area: str) -> AreaStyle:
    """The area's style, or the other areas' grey for an area the styles do not know."""
    return styles.get(area, FALLBACK_STYLE)


def rgb_channels(colour: str) -> tuple[int, int, int]:
    """The red, green and blue of a '#RRGGBB' colour (0-255)."""
    code = colour.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a '#RRGGBB' colour (0 black .. 1 white)."""
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in rgb_channels(colour))
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two '#RRGGBB' colours, 1 (none) .. 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(colour: str, alpha: float, background: str = BACKGROUND) -> str:
    """The '#RRGGBB' colour a browser shows for `colour` at opacity `alpha` over `background`."""
    mixed = (round(alpha * c + (1 - alpha) * b) for c, b in zip(rgb_channels(colour), rgb_channels(background)))
    return "#" + "".join(f"{v:02X}" for v in mixed)


#: Value labels and direct labels that fail 4.5:1 in their series' colour are written in this ink instead.
LABEL_INK = "#333333"


def label_colour(colour: str) -> str:
    """The colour of a series' label on white: the series' own colour when it reads at 4.5:1, else LABEL_INK."""
    return colour if contrast_ratio(colour, BACKGROUND) >= TEXT_CONTRAST else LABEL_INK


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with a '#RRGGBB' background."""
    return "#000000" if contrast_ratio("#000000", background) >= contrast_ratio("#FFFFFF", background) else "#FFFFFF"


# --- maps -----------------------------------------------------------------------------------------------------------
#: Classes of a map of a directional indicator, from the best class to the one with the largest challenges:
#: ColorBrewer YlOrBr (sequential, colour-blind safe). Darker always means worse, whatever the indicator's direction.
MAP_DIRECTIONAL: tuple[str, ...] = ("#FFFFD4", "#FED98E", "#FE9929", "#D95F0E", "#993404")
#: Classes of a map of a descriptive indicator or a category, from the lowest value up: ColorBrewer Blues. Blue is
#: never read as good or bad, and darker means only "higher".
MAP_NEUTRAL: tuple[str, ...] = ("#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C")
#: Areas with a shape but no value on the map.
MAP_MISSING = "#E0E0E0"


def map_colours(n: int, directional: bool) -> tuple[str, ...]:
    """The fill colours of n map classes (1–5), lowest class first; directional classes run from best to worst."""
    palette = MAP_DIRECTIONAL if directional else MAP_NEUTRAL
    n = max(1, min(n, len(palette)))
    # Spread over the palette so two classes are never two near neighbours of five.
    picks = [round(i * (len(palette) - 1) / (n - 1)) for i in range(n)] if n > 1 else [len(palette) // 2]
    return tuple(palette[i] for i in picks)
