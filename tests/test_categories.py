"""Categorical indicators: the Kategorier cell, labels and codes."""

from __future__ import annotations

import math

import pytest

from analysis.core.categories import category_label, codes_text, parse_categories

TYPES = (
    "1: Områden med stora socioekonomiska utmaningar; 2: Områden med socioekonomiska utmaningar; "
    "3: Socioekonomiskt blandade områden; 4: Områden med goda socioekonomiska förutsättningar; "
    "5: Områden med mycket goda socioekonomiska förutsättningar"
)


@pytest.mark.parametrize(
    "cell, categories, problem",
    [
        ("", {}, None),
        (None, {}, None),
        ("2: B; 1: A;", {1: "A", 2: "B"}, None),
        ("1 – Stora  utmaningar", {1: "Stora utmaningar"}, None),
        ("A: stora", {}, "”A: stora” är inte en kod följd av kolon och en benämning."),
        ("1: a; 1: b", {}, "Koden 1 står två gånger."),
    ],
)
def test_parse_categories(cell, categories, problem):
    assert parse_categories(cell) == (categories, problem)


def test_labels_and_codes():
    categories, _ = parse_categories(TYPES)
    assert list(categories) == [1, 2, 3, 4, 5]
    assert category_label(categories, 1.0) == "1 – Områden med stora socioekonomiska utmaningar"
    assert category_label(categories, 9) == "9"
    assert category_label(categories, math.nan) == "–"
    assert codes_text(categories) == "1, 2, 3, 4 eller 5"
    assert codes_text({7: "x"}) == "7"
