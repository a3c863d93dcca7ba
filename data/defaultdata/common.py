"""Paths, years, area names and number formatting shared by every step of the build."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"

# Inputs: files in the repository only (verbatim copies of the project's reference files, source URLs inside).
CATALOGUE_PATH = DATA_DIR / "indikatorkatalog.csv"
REFERENCE_PATH = DATA_DIR / "real_figures.csv"
# Outputs.
WORKBOOK_PATH = DATA_DIR / "standarddata.xlsx"
TEMPLATE_PATH = DATA_DIR / "mall.xlsx"
SOURCES_PATH = DATA_DIR / "KALLOR.md"

SEED = 20201202
YEARS: tuple[int, ...] = tuple(range(2015, 2025))
FIRST_YEAR, LAST_YEAR = YEARS[0], YEARS[-1]

DERIVED_NOTE = "Härlett exempelvärde"

BERGA, RYD, SKAGGETORP = "Berga", "Ryd", "Skäggetorp"
FOCUS_AREAS: tuple[str, ...] = (BERGA, RYD, SKAGGETORP)
REST = "Övriga Linköping"
MUNI = "Linköping"
NATION_AREA = "Riket"
AREA_NAMES: tuple[str, ...] = (*FOCUS_AREAS, REST, MUNI, NATION_AREA)
PARTS: tuple[str, ...] = (*FOCUS_AREAS, REST)  # Linköping = these four
GENERATED_AREAS: tuple[str, ...] = (*FOCUS_AREAS, REST, NATION_AREA)
# Kolada's comparison group of large municipalities like Linköping (type Kommun after Linköping), with SCB's codes.
COMPARISON_MUNICIPALITIES: dict[str, str] = {
    "Norrköping": "0581",
    "Örebro": "1880",
    "Västerås": "1980",
    "Jönköping": "0680",
    "Uppsala": "0380",
}
TOTAL, WOMEN, MEN = "Totalt", "Kvinnor", "Män"
SPLIT_SEXES: tuple[str, ...] = (TOTAL, WOMEN, MEN)


def fmt(value: float, decimals: int) -> str:
    """A number the Swedish way: decimal comma, space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
