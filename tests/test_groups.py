"""Groups beyond sex: labels per dimension, combinations, order, and the Swedish phrases sentences use."""

from __future__ import annotations

import pytest

from analysis.core.groups import (
    AGE,
    BACKGROUND,
    BIRTH,
    SEX,
    age_bounds,
    among_phrase,
    combined_group,
    dimensions_present,
    group_dimension,
    group_label,
    group_parts,
    groups_of,
    label_dimension,
    ordered_groups,
    people_phrase,
    sex_and_rest,
)


@pytest.mark.parametrize(
    "group, dimension",
    [
        ("Kvinnor", SEX),
        ("Män", SEX),
        ("Utrikes födda", BIRTH),
        ("Inrikes födda", BIRTH),
        ("Svensk bakgrund", BACKGROUND),
        ("Utländsk bakgrund", BACKGROUND),
        ("20–64 år", AGE),
        ("65+ år", AGE),
        ("0–19 år", AGE),
        ("Totalt", None),
        ("64–20 år", None),  # a range that runs backwards is not an age group
        ("20-64 år", None),  # canonical labels use the en dash; the reader turns '-' into it
        ("utrikes födda", None),
        ("Barn", None),
    ],
)
def test_group_dimension(group, dimension):
    assert group_dimension(group) == dimension


@pytest.mark.parametrize(
    "label, parts",
    [
        ("Totalt", {}),
        ("Kvinnor", {SEX: "Kvinnor"}),
        ("Utrikes födda, kvinnor", {BIRTH: "Utrikes födda", SEX: "Kvinnor"}),
        ("Utländsk bakgrund, 20–64 år, män", {BACKGROUND: "Utländsk bakgrund", AGE: "20–64 år", SEX: "Män"}),
        ("Kvinnor, män", None),  # two groups of one dimension
        ("kvinnor", None),  # the first part is written as the label starts
        ("Utrikes födda, okänd", None),
    ],
)
def test_group_parts(label, parts):
    assert group_parts(label) == parts


@pytest.mark.parametrize(
    "labels, combined",
    [
        (("Kvinnor", "Utrikes födda"), "Utrikes födda, kvinnor"),
        (("Utrikes födda", "Kvinnor"), "Utrikes födda, kvinnor"),
        (("Totalt", "Män"), "Män"),
        (("Totalt", "Totalt"), "Totalt"),
        (("Män", "20–64 år"), "20–64 år, män"),
        (("Utrikes födda, kvinnor", "Kvinnor"), "Utrikes födda, kvinnor"),
        (("Kvinnor", "Män"), None),
        (("Utrikes födda", "Inrikes födda"), None),
        (("Kvinnor", "Barn"), None),
    ],
)
def test_combined_group(labels, combined):
    assert combined_group(*labels) == combined


def test_label_round_trip_and_order_of_parts():
    parts = {SEX: "Kvinnor", AGE: "65+ år", BIRTH: "Utrikes födda"}
    label = group_label(parts)
    assert label == "Utrikes födda, 65+ år, kvinnor"
    assert group_parts(label) == parts
    assert group_label({}) == "Totalt"


@pytest.mark.parametrize(
    "label, sex, rest",
    [
        ("Totalt", "Totalt", ""),
        ("Män", "Män", ""),
        ("Utrikes födda", "Totalt", "Utrikes födda"),
        ("Utrikes födda, kvinnor", "Kvinnor", "Utrikes födda"),
        ("Utrikes födda, 20–64 år, män", "Män", "Utrikes födda, 20–64 år"),
        ("Okänt", "Okänt", ""),
    ],
)
def test_sex_and_rest_are_the_templates_two_cells(label, sex, rest):
    assert sex_and_rest(label) == (sex, rest)


def test_age_bounds():
    assert age_bounds("20–64 år") == (20, 64)
    assert age_bounds("65+ år") == (65, None)
    assert age_bounds("Kvinnor") is None


def test_order_users_see():
    labels = [
        "65+ år",
        "Utrikes födda, kvinnor",
        "Utrikes födda",
        "Män",
        "Totalt",
        "20–64 år",
        "Kvinnor",
        "Inrikes födda",
    ]
    assert ordered_groups(labels) == [
        "Totalt",
        "Kvinnor",
        "Män",
        "Inrikes födda",
        "Utrikes födda",
        "20–64 år",
        "65+ år",
        "Utrikes födda, kvinnor",
    ]
    assert dimensions_present(labels) == [SEX, BIRTH, AGE]
    assert label_dimension("Utrikes födda, kvinnor") is None and label_dimension("Totalt") is None
    # A fixed dimension lists both its groups even when the data has one; ages are those the data has.
    assert groups_of(BIRTH, ["Utrikes födda"]) == ["Inrikes födda", "Utrikes födda"]
    assert groups_of(AGE, ["65+ år", "0–19 år", "Kvinnor"]) == ["0–19 år", "65+ år"]


@pytest.mark.parametrize(
    "label, people",
    [
        ("Totalt", ""),
        ("Kvinnor", "kvinnor"),
        ("Utrikes födda", "utrikes födda"),
        ("Utrikes födda, kvinnor", "utrikes födda kvinnor"),
        ("Utländsk bakgrund", "personer med utländsk bakgrund"),
        ("Utländsk bakgrund, män", "män med utländsk bakgrund"),
        ("20–64 år", "personer 20–64 år"),
        ("20–64 år, kvinnor", "kvinnor 20–64 år"),
        ("Inrikes födda, 65+ år", "inrikes födda 65+ år"),
    ],
)
def test_people_phrase(label, people):
    assert people_phrase(label) == people
    assert among_phrase(label) == (f"bland {people}" if people else "")
