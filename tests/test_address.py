"""A page's address: parameter values as lists, notices that quote and shorten them, changed parameters."""

from __future__ import annotations

import pytest

from analysis.viewmodels.address import changed_params, ignored, listed, param_values, shown_value


@pytest.mark.parametrize(
    "value, values",
    [(None, []), ("Berga", ["Berga"]), (["Berga", "Ryd"], ["Berga", "Ryd"]), ((2020, 2024), ["2020", "2024"])],
)
def test_param_values(value, values):
    assert param_values(value) == values


def test_a_notice_quotes_the_values_and_shortens_long_ones():
    assert shown_value(["2020", "2024"]) == "”2020” och ”2024”"
    assert shown_value([]) == "”” (tomt)"
    assert shown_value(["x" * 70]) == f"”{'x' * 59}…”"
    assert ignored("ar", ["1999"], "det året har inga värden. 2024 visas.") == (
        "Adressens parameter ar=”1999” ignorerades: det året har inga värden. 2024 visas."
    )


def test_changed_params_compares_values_as_lists():
    previous = {"tema": "Arbete", "omraden": ["Berga"], "kon": "Män"}
    params = {"tema": ["Arbete"], "omraden": ["Berga", "Ryd"], "vy": "Tabell"}
    assert changed_params(params, previous) == {"omraden", "vy"}


@pytest.mark.parametrize("options, text", [([3, 4, 5], "3, 4 eller 5"), (["Kvantiler"], "Kvantiler"), ([], "")])
def test_listed(options, text):
    assert listed(options) == text
