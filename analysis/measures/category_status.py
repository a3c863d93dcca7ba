"""What categorical indicators say: an area's category (områdestyp), since when, what it was before, and how many
of the city's areas are of which category and how many live there."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core.categories import CATEGORY, category_label, parse_categories
from analysis.core.formatting import format_number, format_share
from analysis.core.model import FOCUS, OTHER, Dataset
from analysis.measures.compare import series, series_index

POPULATION_INDICATOR = "folkmangd"
# The areas a city count is over: the city's own parts (not the municipality, the nation or the reference area).
PART_TYPES = frozenset({FOCUS, OTHER})


@dataclass(frozen=True)
class AreaCategory:
    """One categorical indicator for one area: its latest category, since when, and the one before."""

    indicator: str
    name: str
    year: int
    code: int
    label: str  # '1 – Områden med stora socioekonomiska utmaningar'
    since: int  # the first year of the unbroken run of this code that ends in `year`
    previous: str  # the category before the run ('' when there is none)
    previous_year: int | None
    is_example: bool

    def sentence(self) -> str:
        """'Områdestyp 1 – Områden med stora socioekonomiska utmaningar (2023), sedan 2018; före det 2 – …'."""
        text = f"{self.name}: {self.label} ({self.year}"
        if self.previous:
            return f"{text}, sedan {self.since}). {self.previous_year}: {self.previous}."
        return (
            f"{text}; samma sedan {self.since}, det första året med uppgift)."
            if self.since < self.year
            else f"{text})."
        )


def categorical_indicators(dataset: Dataset) -> pd.DataFrame:
    """The catalogue rows of the indicators with unit kategori, catalogue order."""
    cat = dataset.indicators
    return cat[cat["unit"] == CATEGORY]


def area_category(dataset: Dataset, area: str, meta: dict) -> AreaCategory | None:
    """The area's latest category of one categorical indicator, or None when it has no value."""
    values = series(dataset.observations, area, meta["id"])
    if not len(values):
        return None
    categories, _ = parse_categories(meta.get("categories"))
    years = [int(y) for y in values.index]
    codes = [int(round(float(v))) for v in values]
    year, code = years[-1], codes[-1]
    start = len(codes) - 1
    while start > 0 and codes[start - 1] == code:
        start -= 1
    previous = category_label(categories, codes[start - 1]) if start > 0 else ""
    examples = series_index(dataset.observations).example_years(area, meta["id"])
    return AreaCategory(
        indicator=str(meta["id"]),
        name=str(meta["name"]),
        year=year,
        code=code,
        label=category_label(categories, code),
        since=years[start],
        previous=previous,
        previous_year=years[start - 1] if start > 0 else None,
        is_example=bool(examples & set(years[start - 1 if start else 0 :])),
    )


def area_categories(dataset: Dataset, area: str) -> list[AreaCategory]:
    """The area's category of every categorical indicator it has a value for, catalogue order."""
    found = (area_category(dataset, area, meta) for meta in categorical_indicators(dataset).to_dict("records"))
    return [c for c in found if c is not None]


def city_count_sentence(dataset: Dataset, meta: dict, codes: tuple[int, ...] = (1, 2)) -> str:
    """'12 av 48 områden med områdestyp 2023 är typ 1–2; där bor 21 % av invånarna i dessa områden.' over the city's
    parts (focus areas and areas of type Övrigt, such as RegSO) with a value in the latest year; '' when only the
    focus areas have one (the count would say nothing their own cards do not)."""
    obs = dataset.observations
    parts = dataset.areas.loc[dataset.areas["type"].isin(list(PART_TYPES)), "name"].tolist()
    rows = obs[(obs["indicator"] == meta["id"]) & (obs["sex"] == "Totalt") & obs["area"].isin(parts)]
    rows = rows[rows["value"].notna()]
    if not len(rows):
        return ""
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    others = set(dataset.areas.loc[dataset.areas["type"] == OTHER, "name"])
    if not others & set(latest["area"]):
        return ""
    chosen = latest[latest["value"].round().isin(codes)]
    what = f"typ {codes[0]}–{codes[-1]}" if len(codes) > 1 else f"typ {codes[0]}"
    text = (
        f"{format_number(len(chosen))} av {format_number(len(latest))} områden med {str(meta['name']).lower()} "
        f"{year} är {what}"
    )
    index = series_index(obs)
    population = {a: index.get(a, POPULATION_INDICATOR) for a in latest["area"]}
    counts = {a: float(p[year]) for a, p in population.items() if year in p.index}
    if len(counts) == len(latest) and sum(counts.values()) > 0:
        share = sum(counts[a] for a in chosen["area"]) / sum(counts.values())
        text += f"; där bor {format_share(share)} av invånarna i dessa områden"
    return text + "."


def grouping_indicator(dataset: Dataset) -> dict | None:
    """The categorical indicator the whole-city comparison filters and groups by (områdestyp): the first in the
    catalogue with a value for one of the city's parts, else None."""
    obs = dataset.observations
    parts = set(dataset.areas.loc[dataset.areas["type"].isin(list(PART_TYPES)), "name"])
    for meta in categorical_indicators(dataset).to_dict("records"):
        rows = obs[(obs["indicator"] == meta["id"]) & obs["value"].notna()]
        if parts & set(rows["area"]):
            return meta
    return None


def categories_in_year(dataset: Dataset, indicator: str, year: int) -> pd.Series:
    """Area -> code of a categorical indicator: each area's latest value in or before `year` (none after it), so a
    type published every few years still groups the years between."""
    obs = dataset.observations
    rows = obs[
        (obs["indicator"] == indicator) & (obs["sex"] == "Totalt") & obs["value"].notna() & (obs["year"] <= year)
    ]
    latest = rows.sort_values("year", kind="stable").drop_duplicates("area", keep="last")
    return pd.Series(latest["value"].round().astype(int).to_numpy(), index=latest["area"].astype(str).to_numpy())


def category_summary(bars: pd.DataFrame, codes: pd.Series, meta: dict) -> pd.DataFrame:
    """Per category of the ranked areas: its label, the number of areas with a value, and their median, lowest and
    highest value; a last row ('Utan områdestyp') for areas without one. Rows without a value are not counted."""
    categories, _ = parse_categories(meta.get("categories"))
    valued = bars[bars["value"].notna()]
    code_of = valued["area"].map(codes)
    out = []
    for code in sorted(set(code_of.dropna().astype(int))):
        values = valued.loc[code_of == code, "value"].astype(float)
        out.append((category_label(categories, code), len(values), values.median(), values.min(), values.max()))
    rest = valued.loc[code_of.isna(), "value"].astype(float)
    if len(rest):
        out.append((f"Utan {str(meta['name']).lower()}", len(rest), rest.median(), rest.min(), rest.max()))
    return pd.DataFrame(out, columns=["category", "n", "median", "low", "high"])
