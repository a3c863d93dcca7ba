"""The alias table: names match ignoring case, spaces, diacritics, codes; unmapped ones are reported."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.ingest.names import AliasTable, canonical_group, canonical_sex, normalise, split_code

AREAS = pd.DataFrame(
    [
        {"name": "Skäggetorp", "type": "Fokusområde", "code": "0580R005", "aliases": "Skäggetorp stadsdel"},
        {
            "name": "Övriga Linköping",
            "type": "Jämförelse",
            "code": "",
            "aliases": "Rest of Linköping; Linköping exkl. fokusområden",
        },
        {"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": ""},
    ]
)


@pytest.mark.parametrize(
    "raw, canonical",
    [
        ("Skäggetorp", "Skäggetorp"),
        ("skaggetorp", "Skäggetorp"),
        ("  SKÄGGETORP ", "Skäggetorp"),
        ("Skäggetorp  stadsdel", "Skäggetorp"),
        ("0580R005 Skäggetorp", "Skäggetorp"),
        ("0580R005", "Skäggetorp"),
        ("0580 Linköping", "Linköping"),
        ("Linkoping", "Linköping"),
        ("rest of linköping", "Övriga Linköping"),
        ("ovriga linkoping", "Övriga Linköping"),
        ("Ryd", None),
        ("", None),
    ],
)
def test_area_lookup(raw, canonical):
    assert AliasTable.for_areas(AREAS).lookup(raw) == canonical


def test_unmapped_names_are_reported_not_dropped():
    res = AliasTable.for_areas(AREAS).resolve(["skaggetorp", "Ryd", "Lambohov", "Ryd"])
    assert res.mapping == {"skaggetorp": "Skäggetorp"}
    assert res.unmapped == ["Ryd", "Lambohov"]


def test_closest_names_for_typos():
    table = AliasTable.for_areas(AREAS)
    assert table.closest("Skägetorp")[0] == "Skäggetorp"
    assert table.closest("Linkööping")[0] == "Linköping"


def test_names_mentioned_in_a_title():
    table = AliasTable({"folkmangd": ["Folkmängd"], "ohalsotal": ["Ohälsotal"]})
    assert table.mentioned_in("Folkmängd efter region, kön och år")[0] == "folkmangd"


@pytest.mark.parametrize(
    "raw, sex",
    [
        ("Totalt", "Totalt"),
        ("", "Totalt"),
        ("total", "Totalt"),
        ("kvinnor", "Kvinnor"),
        ("Women", "Kvinnor"),
        ("flickor", "Kvinnor"),
        ("män", "Män"),
        ("MAN", "Män"),
        ("Men", "Män"),
        ("pojkar", "Män"),
        ("båda könen", "Totalt"),
        ("annat", None),
    ],
)
def test_sex_labels(raw, sex):
    assert canonical_sex(raw) == sex


def test_normalise_and_codes():
    assert normalise("  Åsa  Öberg ") == "asa oberg"
    assert split_code("0580 Linköping") == ("0580", "Linköping")
    assert split_code("0580R005 Skäggetorp") == ("0580R005", "Skäggetorp")
    assert split_code("Berga 5") == ("", "Berga 5")


@pytest.mark.parametrize(
    "raw, group",
    [
        ("", "Totalt"),
        (None, "Totalt"),
        ("Totalt", "Totalt"),
        ("utrikes född", "Utrikes födda"),
        ("Utrikes födda", "Utrikes födda"),
        ("född utomlands", "Utrikes födda"),
        ("Foreign born", "Utrikes födda"),
        ("inrikes född", "Inrikes födda"),
        ("Födda i Sverige", "Inrikes födda"),
        ("utländsk bakgrund", "Utländsk bakgrund"),
        ("Svensk bakgrund", "Svensk bakgrund"),
        ("20-64 år", "20–64 år"),
        ("20–64", "20–64 år"),
        ("16 - 19 år", "16–19 år"),
        ("65+ år", "65+ år"),
        ("65- år", "65+ år"),  # SCB writes an open range with a trailing dash
        ("65 år och äldre", "65+ år"),
        ("Kvinnor", "Kvinnor"),  # a Grupp cell may name the sex too
        ("Kvinnor, utrikes födda", "Utrikes födda, kvinnor"),
        ("utrikes född, 20-64 år", "Utrikes födda, 20–64 år"),
        ("64-20 år", None),
        ("Kvinnor, Män", None),
        ("Utrikes födda, inrikes födda", None),
        ("barn", None),
        ("2023", None),
    ],
)
def test_canonical_group(raw, group):
    assert canonical_group(raw) == group
