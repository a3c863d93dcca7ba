"""The municipality next to its comparison municipalities (the other areas of type Kommun), as Kolada compares.

For every indicator two or more municipalities have, the table shows each one's value in the latest year they
share and where the municipality places among them, 1 being the best by the indicator's direction (descriptive
indicators get no place).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core.formatting import format_value
from analysis.core.model import HIGHER, LOWER, MUNICIPALITY, Dataset, areas_of_type
from analysis.core.units import indicator_decimals
from analysis.measures.compare import series_index
from analysis.viewmodels.nulage import EXAMPLE_MARK

PLACE_COLUMN = "Placering"


@dataclass(frozen=True)
class PeerComparison:
    """The municipality and its peers: one row per indicator, values formatted, example values marked."""

    municipality: str
    peers: tuple[str, ...]
    table: pd.DataFrame  # Indikator, År, the municipality, each peer, Placering, Exempel
    indicators: tuple[str, ...]  # the ids of the table's rows, in order
    any_example: bool


def place_among(value: float, others: list[float], direction: str) -> int | None:
    """1 + how many of the others are better than the value by the direction (ties share a place); None if neutral."""
    if direction == HIGHER:
        return 1 + sum(o > value for o in others)
    if direction == LOWER:
        return 1 + sum(o < value for o in others)
    return None


def peer_comparison(dataset: Dataset) -> PeerComparison | None:
    """The first Kommun against the other Kommun areas, or None when there are no peers with shared indicators."""
    municipalities = areas_of_type(dataset.areas, MUNICIPALITY)
    if len(municipalities) < 2:
        return None
    own, peers = municipalities[0], tuple(municipalities[1:])
    index = series_index(dataset.observations)
    rows, ids, any_example = [], [], False
    for meta in dataset.indicators.to_dict("records"):
        values = {m: index.get(m, meta["id"]) for m in municipalities}
        if not len(values[own]):
            continue
        shared = set(values[own].index)
        with_peers = [p for p in peers if len(values[p])]
        if not with_peers:
            continue
        common = [y for y in sorted(shared) if any(y in values[p].index for p in with_peers)]
        if not common:
            continue
        year = common[-1]
        unit, decimals = str(meta["unit"]), indicator_decimals(meta)
        present = {m: float(values[m][year]) for m in municipalities if year in values[m].index}
        examples = {m for m in present if year in index.example_years(m, meta["id"])}
        row: dict[str, object] = {"Indikator": meta["name"], "År": str(year)}
        for m in municipalities:
            text = format_value(present.get(m), unit, decimals)
            row[m] = text + (EXAMPLE_MARK if m in examples else "")
        place = place_among(present[own], [v for m, v in present.items() if m != own], str(meta["direction"]))
        row[PLACE_COLUMN] = "–" if place is None else f"{place} av {len(present)}"
        row["Exempel"] = "Ja" if examples else ""
        any_example = any_example or bool(examples)
        rows.append(row)
        ids.append(str(meta["id"]))
    if not rows:
        return None
    columns = ["Indikator", "År", *municipalities, PLACE_COLUMN, "Exempel"]
    return PeerComparison(own, peers, pd.DataFrame(rows, columns=columns), tuple(ids), any_example)
