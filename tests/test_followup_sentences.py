"""The follow-up's sentences on hand-worked counts: statuses, changes since the last follow-up and plan, targets."""

from __future__ import annotations

import pytest

from analysis.measures.followup_sentences import (
    attainment_sentence,
    change_sentence,
    counted,
    plan_change_sentence,
    status_phrase,
    status_sentence,
    swedish_list,
)


@pytest.mark.parametrize(
    "items, expected",
    [([], ""), (["Berga"], "Berga"), (["Berga", "Ryd"], "Berga och Ryd"), (["A", "B", "C"], "A, B och C")],
)
def test_swedish_list(items, expected):
    assert swedish_list(items) == expected


@pytest.mark.parametrize(
    "status, n, expected",
    [
        ("Försenad", 1, "1 försenad"),
        ("Försenad", 2, "2 försenade"),
        ("Genomförd", 14, "14 genomförda"),
        ("Riskerar att försenas", 3, "3 riskerar att försenas"),
        ("Okänd", 2, "2 okänd"),
    ],
)
def test_status_phrase(status, n, expected):
    assert status_phrase(status, n) == expected


@pytest.mark.parametrize(
    "counts, selection, expected",
    [
        # The issue's own example.
        (
            {"Genomförd": 14, "Pågår": 13, "Försenad": 7},
            False,
            "Av planens 34 åtgärder är 14 genomförda, 13 pågår och 7 är försenade.",
        ),
        # Order is the report's (done, running, at risk, late, not started, paused, cancelled), zeros left out.
        (
            {"Ej påbörjad": 1, "Pågår": 10, "Riskerar att försenas": 5, "Försenad": 7, "Genomförd": 14, "Avbruten": 0},
            False,
            "Av planens 37 åtgärder är 14 genomförda, 10 pågår, 5 riskerar att försenas, 7 är försenade och "
            "1 är ej påbörjad.",
        ),
        # A verb status first: the verb comes before the number.
        ({"Pågår": 3, "Vilande": 1}, False, "Av planens 4 åtgärder pågår 3 och 1 är vilande."),
        (
            {"Riskerar att försenas": 1, "Avbruten": 1},
            False,
            "Av planens 2 åtgärder riskerar 1 att försenas och 1 är avbruten.",
        ),
        ({"Pågår": 2, "Status saknas": 1}, True, "Av urvalets 3 åtgärder pågår 2 och 1 saknar status."),
        ({"Genomförd": 5}, False, "Planens alla 5 åtgärder är genomförda."),
        ({"Pågår": 1}, False, "Planens enda åtgärd pågår."),
        ({"Försenad": 1, "Genomförd": 0}, True, "Urvalets enda åtgärd är försenad."),
        ({}, False, "Planen har inga åtgärder."),
        ({"Pågår": 0}, True, "Urvalet har inga åtgärder."),
    ],
)
def test_status_sentence(counts, selection, expected):
    assert status_sentence(counts, selection=selection) == expected


@pytest.mark.parametrize(
    "counts, label, expected",
    [
        (
            {"Ny": 3, "Genomförd": 1, "Försenad": 0},
            "Uppföljning 2024",
            "Sedan uppföljningen 2024 har status ändrats för 4 åtgärder: 3 har tillkommit och 1 har genomförts.",
        ),
        (
            {"Försenad": 1, "Riskerar att försenas": 2, "Annan statusändring": 1},
            "Uppföljning 2021",
            "Sedan uppföljningen 2021 har status ändrats för 4 åtgärder: 1 har blivit försenad, 2 har börjat "
            "riskera att försenas och 1 har fått en annan status.",
        ),
        ({"Ny": 0}, "Uppföljning 2024", "Ingen åtgärd har ändrat status sedan uppföljningen 2024."),
    ],
)
def test_change_sentence(counts, label, expected):
    assert change_sentence(counts, label) == expected


@pytest.mark.parametrize(
    "numbers, expected",
    [
        (
            (20, 4, 2, 16),
            "Jämfört med Plan A har Plan B 20 nya åtgärder, 4 ändrade och 2 som utgått; 16 fortsätter oförändrade.",
        ),
        (
            (1, 1, 0, 1),
            "Jämfört med Plan A har Plan B 1 ny åtgärd, 1 ändrad och 0 som utgått; 1 fortsätter oförändrad.",
        ),
    ],
)
def test_plan_change_sentence(numbers, expected):
    assert plan_change_sentence("Plan A", "Plan B", *numbers) == expected


@pytest.mark.parametrize(
    "counts, expected",
    [
        (
            {"uppnått": 3, "i fas": 4, "inte i fas": 0, "kan inte bedömas": 5},
            "12 mål följs upp: 3 är uppnådda, 4 är i fas och 5 kan inte bedömas.",
        ),
        ({"uppnått": 1, "inte uppnått": 1}, "2 mål följs upp: 1 är uppnått och 1 är inte uppnått."),
        ({"målet pekar åt fel håll": 1}, "1 mål följs upp: 1 pekar åt fel håll."),
        ({}, ""),
    ],
)
def test_attainment_sentence(counts, expected):
    assert attainment_sentence(counts) == expected


def test_counted():
    assert (counted(1, "mål", "mål"), counted(2, "åtgärd", "åtgärder")) == ("1 mål", "2 åtgärder")
