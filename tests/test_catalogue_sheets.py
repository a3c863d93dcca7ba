"""The catalogue sheets: Områden and Indikatorer rows become areas and indicators, or say what is wrong."""

from __future__ import annotations

import math

import pytest

from analysis.core.missing import is_missing
from analysis.ingest.catalogue_sheets import AREAS, INDICATORS
from analysis.ingest.context import ReadContext, ReadOptions
from analysis.ingest.excel import read_workbook
from analysis.ingest.sheets import SheetReader, read_sheet
from tests.builders import tiny_known, xlsx


def read(reader: SheetReader, rows: list[list[object]]) -> tuple[list[dict], list[tuple], ReadContext]:
    """A sheet of the reader's kind read against the tiny known dataset: records, (row, column, message), context."""
    raw, _ = read_workbook(xlsx({reader.spec.name: rows}), "t.xlsx")
    ctx = ReadContext(tiny_known(), ReadOptions())
    frame = read_sheet(reader, raw.sheets[0], ctx)
    return frame.to_dict("records"), [(p.row, p.column, p.message) for p in ctx.problems], ctx


AH = ["Område", "Typ", "Kod", "Alias"]


@pytest.mark.parametrize(
    "row, record, problems",
    [
        (
            ["Ryd", "fokusområde", 580.0, "Ryd centrum; ; Rydsvägen"],
            ("Ryd", "Fokusområde", "580", "Ryd centrum;Rydsvägen"),
            [],
        ),
        (["Ryd", "Övrigt", None, None], ("Ryd", "Övrigt", "", ""), []),
        ([None, "Övrigt", "1", None], None, [(2, "Område", "Områdets namn saknas.")]),
        (["Ryd", "Stadsdel", None, None], None, [(2, "B (Typ)", "Okänd områdestyp.")]),
        (["Ryd", None, None, None], None, [(2, "B (Typ)", "Okänd områdestyp.")]),  # Typ is required
        (
            ["Ryd", "Övrigt", "x" * 51, None],
            ("Ryd", "Övrigt", "", ""),
            [(2, "C (Kod)", "Texten är för lång (51 tecken, högst 50).")],
        ),
    ],
)
def test_area_rows(row, record, problems):
    records, found, _ = read(AREAS, [AH, row])
    assert [tuple(r.values()) for r in records] == ([record] if record else [])
    assert found == problems


def test_areas_repeated_or_sharing_a_name_are_reported():
    rows = [AH, ["Ryd", "Övrigt", "1", "R"], ["ryd", "Övrigt", None, None], ["Vasastaden", "Övrigt", "1", "Ryd"]]
    records, found, _ = read(AREAS, rows)
    assert [r["name"] for r in records] == ["Ryd", "ryd", "Vasastaden"]
    assert found == [
        (3, "", "Området finns redan på rad 2."),
        (3, "Alias", "Namnet eller aliaset används redan för området Ryd."),  # 'ryd' names Ryd already
        (4, "Alias", "Namnet eller aliaset används redan för området Ryd."),  # code 1 is Ryd's
        (4, "Alias", "Namnet eller aliaset används redan för området ryd."),  # 'ryd' was claimed last by row 3
    ]


def test_read_areas_are_known_to_the_sheets_after_it():
    _, _, ctx = read(AREAS, [AH, ["Berga", "Jämförelse", None, "Berga centrum"], ["Ryd", "Övrigt", "0580R01", None]])
    assert ctx.resolve_area("Data", 2, "A", "Berga centrum") == "Berga"
    assert ctx.resolve_area("Data", 2, "A", "0580R01") == "Ryd"
    assert ctx.areas.set_index("name").loc["Berga", "type"] == "Jämförelse"
    assert len(ctx.areas) == 5  # the four known ones, Berga replaced, plus Ryd


def test_a_sheet_without_alias_column_keeps_the_stored_aliases():
    records, _, _ = read(AREAS, [["Område", "Typ"], ["Skäggetorp", "Fokusområde"]])
    assert records[0]["aliases"] == "Skäggetorp stadsdel"


IH = [
    "Id",
    "Namn",
    "Tema",
    "Enhet",
    "Riktning",
    "Decimaler",
    "Nyckeltal",
    "Skillnad mäts i",
    "Oförändrat-gräns",
    "Kön i meningar",
]


@pytest.mark.parametrize(
    "row, expected",
    [
        # the defaults: decimals from the unit (1 for procent), no key figure, empty comparison columns
        (
            ["ny", "Ny", "arbete", "%", "hogre", None, None, None, None, None],
            {"unit": "procent", "direction": "Högre är bättre", "decimals": 1, "key_figure": False, "gap_measure": ""},
        ),
        (["ny", "Ny", "arbete", "st", "neutral", None, None, None, None, None], {"unit": "antal", "decimals": 0}),
        (
            ["ny", "Ny", "Arbete", "kr", "Lägre är bättre", 2, "Ja", "enhet", 2.5, "flickor och pojkar"],
            {
                "theme": "arbete",
                "unit": "kronor",
                "decimals": 2,
                "key_figure": True,
                "gap_measure": "enhet",
                "threshold": 2.5,
                "sex_words": "flickor och pojkar",
            },
        ),
        (
            ["ny", "Ny", "arbete", "procent", "neutral", None, "x", "procentenheter", "1", None],
            {"gap_measure": "procentenheter", "threshold": 1.0, "key_figure": True},
        ),
    ],
)
def test_good_indicator_rows(row, expected):
    records, found, _ = read(INDICATORS, [IH, row])
    assert found == []
    assert {k: records[0][k] for k in expected} == expected


@pytest.mark.parametrize(
    "row, problems",
    [
        (
            ["ny", None, "okänt", "meter", "upp", None, None, None, None, None],
            [
                (2, "Namn", "Namn saknas."),
                (2, "C (Tema)", "Okänt värde för tema."),
                (2, "D (Enhet)", "Okänt värde för enhet."),
                (2, "E (Riktning)", "Okänt värde för riktning."),
            ],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", 7, None, None, None, None],
            [(2, "F (Decimaler)", "Decimaler ska vara ett heltal 0–4.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", 1.5, None, None, None, None],
            [(2, "F (Decimaler)", "Decimaler ska vara ett heltal 0–4.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", None, "kanske", None, None, None],
            [(2, "Nyckeltal", "Nyckeltal ska vara Ja eller Nej.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", None, None, "procentenheter", None, None],
            [(2, "H (Skillnad mäts i)", "Procentenheter går bara för indikatorer i procent.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", None, None, "konstigt", None, None],
            [(2, "H (Skillnad mäts i)", "Okänt sätt att mäta skillnaden.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", None, None, None, 0, None],
            [(2, "I (Oförändrat-gräns)", "Gränsen för oförändrat ska vara ett tal större än 0.")],
        ),
        (
            ["ny", "Ny", "arbete", "antal", "neutral", None, None, None, None, "barn"],
            [(2, "J (Kön i meningar)", "Okänt värde för kön i meningar.")],
        ),
    ],
)
def test_bad_indicator_rows_are_left_out_with_every_problem(row, problems):
    records, found, _ = read(INDICATORS, [IH, row])
    assert records == []
    assert found == problems


def test_indicators_repeated_by_id_or_name_and_known_afterwards():
    rows = [
        IH,
        ["ny", "Ny", "arbete", "procent", "neutral"],
        ["NY", "Annan", "arbete", "antal", "neutral"],
        ["ny2", "ny", "arbete", "antal", "neutral"],
    ]
    records, found, ctx = read(INDICATORS, rows)
    assert len(records) == 3
    assert found == [(3, "", "Indikatorns id finns redan på rad 2."), (4, "", "Indikatorns namn finns redan på rad 2.")]
    assert ctx.units["ny2"] == "antal" and ctx.resolve_indicator("Data", 2, "B", "Annan") == "NY"


def test_a_stored_indicator_keeps_its_decimals_and_threshold_when_the_sheet_lacks_them():
    rows = [["Id", "Namn", "Tema", "Enhet", "Riktning"], ["folkmangd", "Folkmängd", "befolkning", "antal", "Neutral"]]
    records, found, _ = read(INDICATORS, rows)
    assert found == [] and records[0]["decimals"] == 0 and math.isnan(records[0]["threshold"])


LAG_HEADER = ["Id", "Namn", "Tema", "Enhet", "Riktning", "Publiceringsfördröjning (år)"]


@pytest.mark.parametrize(
    ("cell", "expected", "problems"),
    [
        (None, None, []),  # blank: unknown, no freshness claim
        (0, 0, []),
        (1, 1, []),
        ("2", 2, []),
        (10, 10, []),
        (
            11,
            None,
            [(2, "F (Publiceringsfördröjning (år))", "Publiceringsfördröjningen ska vara ett helt antal år, 0–10.")],
        ),
        (
            1.5,
            None,
            [(2, "F (Publiceringsfördröjning (år))", "Publiceringsfördröjningen ska vara ett helt antal år, 0–10.")],
        ),
        (
            -1,
            None,
            [(2, "F (Publiceringsfördröjning (år))", "Publiceringsfördröjningen ska vara ett helt antal år, 0–10.")],
        ),
        (
            "snart",
            None,
            [(2, "F (Publiceringsfördröjning (år))", "Publiceringsfördröjningen ska vara ett helt antal år, 0–10.")],
        ),
    ],
)
def test_publication_lag_is_a_whole_number_of_years_or_blank(cell, expected, problems):
    records, found, _ = read(INDICATORS, [LAG_HEADER, ["ny", "Ny", "arbete", "antal", "neutral", cell]])
    assert found == problems
    if problems:
        assert records == []
    else:
        got = records[0].get("lag_years")
        assert (expected is None and is_missing(got)) or got == expected


BREAK_HEADER = ["Id", "Namn", "Tema", "Enhet", "Riktning", "Serieavbrott"]


@pytest.mark.parametrize(
    ("cell", "expected", "problems"),
    [
        (None, "", []),
        ("2019: RAMS ersattes av BAS", "2019: RAMS ersattes av BAS", []),
        ("2015: 17 ämnen; 2019: BAS", "2015: 17 ämnen; 2019: BAS", []),
        (
            "BAS från 2019",
            None,
            [(2, "F (Serieavbrott)", "”BAS från 2019” är inte ett år följt av kolon och vad som ändrades.")],
        ),
        ("2019: a; 2019: b", None, [(2, "F (Serieavbrott)", "Året 2019 står två gånger.")]),
        (2019, None, [(2, "F (Serieavbrott)", "”2019” är inte ett år följt av kolon och vad som ändrades.")]),
    ],
)
def test_series_breaks_are_year_colon_text_or_blank(cell, expected, problems):
    records, found, _ = read(INDICATORS, [BREAK_HEADER, ["ny", "Ny", "arbete", "procent", "neutral", cell]])
    assert found == problems
    assert records == [] if problems else records[0]["breaks"] == expected


CATEGORY_HEADER = ["Id", "Namn", "Tema", "Enhet", "Riktning", "Kategorier"]


@pytest.mark.parametrize(
    ("unit", "cell", "problems"),
    [
        ("kategori", "1: Stora utmaningar; 2: Utmaningar", []),
        ("procent", None, []),
        ("kategori", None, [(2, "F (Kategorier)", "Enheten kategori behöver sina kategorier.")]),
        (
            "kategori",
            "stora utmaningar",
            [(2, "F (Kategorier)", "”stora utmaningar” är inte en kod följd av kolon och en benämning.")],
        ),
        ("procent", "1: a", [(2, "F (Kategorier)", "Kategorier anges bara för enheten kategori.")]),
    ],
)
def test_a_categorical_indicator_needs_its_categories_and_only_it_has_them(unit, cell, problems):
    records, found, _ = read(INDICATORS, [CATEGORY_HEADER, ["typ", "Områdestyp", "befolkning", unit, "neutral", cell]])
    assert found == problems
    assert (records == []) == bool(problems)
