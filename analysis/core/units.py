"""The unit registry: every unit an indicator can have, and how it is written, titled, checked and rounded.

One table answers every question about a unit: the suffix after a value ('%', 'kr'), the word in a sentence
('procent', 'kronor'), the axis title, whether a value below zero is an error, and the default number of decimals
when the catalogue leaves them out. Formatting, sentences, charts and validation all read it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.missing import is_missing

PERCENT = "procent"


@dataclass(frozen=True)
class Unit:
    """How one unit is shown and checked."""

    name: str
    suffix: str  # after a value: '52,3 %', '388 500 kr'; '' for plain numbers
    word: str  # after a number in a sentence: '52,3 procent'; '' for plain numbers
    axis_title: str
    non_negative: bool  # a value below zero is an error in an upload
    decimals: int  # when the catalogue does not say


REGISTRY: dict[str, Unit] = {
    u.name: u
    for u in (
        Unit(PERCENT, "%", "procent", "Procent", True, 1),
        Unit("antal", "", "", "Antal", True, 0),
        Unit("kronor", "kr", "kronor", "Kronor", True, 0),
        Unit("dagar", "dagar", "dagar", "Dagar per person", True, 1),
        Unit("per 1 000 invånare", "per 1 000 inv.", "per 1 000 invånare", "Per 1 000 invånare", True, 1),
        Unit("poäng", "poäng", "poäng", "Poäng", True, 1),
        # An index can fall below zero (a change index, a balance); it has no suffix.
        Unit("index", "", "", "Index", False, 0),
        # A code whose label is in the catalogue (analysis/core/categories.py), e.g. SCB's områdestyp 1–5.
        Unit("kategori", "", "", "Kategori", True, 0),
    )
}
#: The units the catalogue accepts, in the template's order.
UNITS: tuple[str, ...] = tuple(REGISTRY)


def unit_info(unit: str) -> Unit:
    """The registry entry of a unit; an unknown unit is a plain number titled with its own name."""
    known = REGISTRY.get(unit)
    if known is not None:
        return known
    text = str(unit or "")
    return Unit(text, "", "", text.capitalize(), False, 0)


def unit_suffix(unit: str) -> str:
    """The text after a value in a given unit ('%' for procent, 'kr' for kronor, …)."""
    return unit_info(unit).suffix


def unit_word(unit: str) -> str:
    """The word after a number of this unit ('procent', 'kronor', …; '' for antal and index)."""
    return unit_info(unit).word


def axis_title(unit: str) -> str:
    """The Swedish axis title for a unit ('Procent', 'Kronor', …)."""
    return unit_info(unit).axis_title


def is_non_negative(unit: str) -> bool:
    """True when a value of this unit can never be below zero (an upload with one is wrong)."""
    return unit_info(unit).non_negative


def default_decimals(unit: str) -> int:
    """Decimals for an indicator whose catalogue row leaves them out."""
    return unit_info(unit).decimals


def indicator_decimals(meta: Mapping) -> int:
    """The indicator's number of decimals (0 when missing)."""
    value = meta.get("decimals")
    try:
        return 0 if is_missing(value) else int(value)
    except (TypeError, ValueError):
        return 0
