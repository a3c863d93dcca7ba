"""Groups of the population a value describes: kön, födelseregion, bakgrund and ålder.

The observations' `sex` column holds a value's group: `Totalt`, one group of one dimension (`Kvinnor`,
`Utrikes födda`, `20–64 år`), or one group per dimension joined by ', ' in dimension order (`Utrikes födda,
kvinnor`). The column keeps the name of its first dimension so stores, exports and the tidy-table contract stay as
they were; a value with only a sex reads exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from analysis.core.model import TOTAL

SEX = "Kön"
BIRTH = "Födelseregion"
BACKGROUND = "Bakgrund"
AGE = "Ålder"
# The order of the parts of a combined label: sex last, so it reads 'Utrikes födda, kvinnor'.
DIMENSIONS: tuple[str, ...] = (BIRTH, BACKGROUND, AGE, SEX)
# The order a user meets them in (controls, lists): sex first, as before groups existed.
SHOWN_ORDER: tuple[str, ...] = (SEX, BIRTH, BACKGROUND, AGE)

WOMEN, MEN = "Kvinnor", "Män"
BORN_IN_SWEDEN, BORN_ABROAD = "Inrikes födda", "Utrikes födda"
SWEDISH_BACKGROUND, FOREIGN_BACKGROUND = "Svensk bakgrund", "Utländsk bakgrund"
# Dimensions whose groups are fixed; age groups are whatever ranges the source gives ('20–64 år', '65+ år').
FIXED_GROUPS: dict[str, tuple[str, ...]] = {
    SEX: (WOMEN, MEN),
    BIRTH: (BORN_IN_SWEDEN, BORN_ABROAD),
    BACKGROUND: (SWEDISH_BACKGROUND, FOREIGN_BACKGROUND),
}
# The choice that shows every group of a fixed dimension side by side (age groups are chosen one at a time).
SIDE_BY_SIDE: dict[str, str] = {
    SEX: "Kvinnor och män",
    BIRTH: "Inrikes och utrikes födda",
    BACKGROUND: "Svensk och utländsk bakgrund",
}
_DIMENSION_OF: dict[str, str] = {g: d for d, groups in FIXED_GROUPS.items() for g in groups}
_AGE_RANGE = re.compile(r"^(\d{1,3})–(\d{1,3}) år$")
_AGE_FROM = re.compile(r"^(\d{1,3})\+ år$")
SEPARATOR = ", "


def age_bounds(group: str) -> tuple[int, int | None] | None:
    """The first and last age of an age group ('20–64 år' -> (20, 64), '65+ år' -> (65, None)), or None."""
    if m := _AGE_RANGE.match(group):
        low, high = int(m.group(1)), int(m.group(2))
        return (low, high) if low <= high else None
    if m := _AGE_FROM.match(group):
        return int(m.group(1)), None
    return None


def group_dimension(group: str) -> str | None:
    """The dimension of one canonical group ('Utrikes födda' -> Födelseregion), or None for Totalt and unknowns."""
    if group in _DIMENSION_OF:
        return _DIMENSION_OF[group]
    return AGE if age_bounds(group) is not None else None


def _capitalised(text: str) -> str:
    """The text with its first letter upper case ('kvinnor' -> 'Kvinnor'; '20–64 år' unchanged)."""
    return text[:1].upper() + text[1:]


def group_parts(label: str) -> dict[str, str] | None:
    """The group per dimension of a canonical label ({} for Totalt), or None when it is not one."""
    if label == TOTAL:
        return {}
    parts: dict[str, str] = {}
    for i, piece in enumerate(label.split(SEPARATOR)):
        group = _capitalised(piece) if i else piece
        dimension = group_dimension(group)
        if dimension is None or dimension in parts:
            return None
        parts[dimension] = group
    return parts


def group_label(parts: Mapping[str, str]) -> str:
    """The canonical label of one group per dimension: 'Totalt', 'Utrikes födda' or 'Utrikes födda, kvinnor'."""
    pieces = [parts[d] for d in DIMENSIONS if parts.get(d)]
    if not pieces:
        return TOTAL
    return SEPARATOR.join([pieces[0], *(p if age_bounds(p) else p.lower() for p in pieces[1:])])


def combined_group(*labels: str) -> str | None:
    """The label of values that belong to all these groups ('Kvinnor' and 'Utrikes födda' -> 'Utrikes födda,
    kvinnor'), or None when two of them give different groups of the same dimension or one is not a label."""
    parts: dict[str, str] = {}
    for label in labels:
        own = group_parts(label)
        if own is None:
            return None
        for dimension, group in own.items():
            if parts.get(dimension, group) != group:
                return None
            parts[dimension] = group
    return group_label(parts)


def sex_and_rest(label: str) -> tuple[str, str]:
    """A label as the template's Kön and Grupp cells: ('Kvinnor', 'Utrikes födda') for 'Utrikes födda, kvinnor',
    ('Totalt', '') for Totalt; an unknown label stays whole in Kön."""
    parts = group_parts(label)
    if parts is None:
        return label, ""
    rest = {d: g for d, g in parts.items() if d != SEX}
    return parts.get(SEX, TOTAL), group_label(rest) if rest else ""


def label_dimension(label: str) -> str | None:
    """The one dimension a label splits by ('Utrikes födda' -> Födelseregion); None for Totalt and combinations."""
    parts = group_parts(label)
    return next(iter(parts)) if parts is not None and len(parts) == 1 else None


def group_order(label: str) -> tuple:
    """A sort key: Totalt, then by dimension as shown to users, fixed groups in their order, ages by first age."""
    parts = group_parts(label)
    if parts is None:
        return (len(SHOWN_ORDER) + 1, label)
    if not parts:
        return (-1,)
    key: list = [len(parts)]
    for dimension in SHOWN_ORDER:
        group = parts.get(dimension)
        if group is None:
            key.append((1, 0))
        elif dimension == AGE:
            key.append((0, (age_bounds(group) or (0, None))[0]))
        else:
            key.append((0, FIXED_GROUPS[dimension].index(group)))
    return tuple(key)


def ordered_groups(labels: Iterable[str]) -> list[str]:
    """Distinct labels in the order users see them (Totalt, Kvinnor, Män, Inrikes födda, Utrikes födda …)."""
    return sorted(set(labels), key=group_order)


def dimensions_present(labels: Iterable[str]) -> list[str]:
    """The dimensions that some single-dimension label splits by, in the order users see them."""
    found = {label_dimension(label) for label in labels}
    return [d for d in SHOWN_ORDER if d in found]


def groups_of(dimension: str, labels: Iterable[str]) -> list[str]:
    """The single-dimension labels of one dimension among these labels, in order (the fixed ones always all)."""
    present = [label for label in labels if label_dimension(label) == dimension]
    fixed = FIXED_GROUPS.get(dimension, ())
    return ordered_groups([*fixed, *present])


def people_phrase(label: str) -> str:
    """The people of a group as a Swedish noun phrase: 'utrikes födda kvinnor', 'personer med utländsk bakgrund',
    'kvinnor 20–64 år'; '' for Totalt."""
    parts = group_parts(label) or {}
    if not parts:
        return ""
    words: list[str] = []
    if BIRTH in parts:
        words.append(parts[BIRTH].lower())
    if SEX in parts:
        words.append(parts[SEX].lower())
    elif BIRTH not in parts:
        words.append("personer")
    if BACKGROUND in parts:
        words.append("med " + parts[BACKGROUND].lower())
    if AGE in parts:
        words.append(parts[AGE])
    return " ".join(words)


def among_phrase(label: str) -> str:
    """'bland utrikes födda', 'bland kvinnor 20–64 år'; '' for Totalt (sentences put it first, capitalised)."""
    people = people_phrase(label)
    return f"bland {people}" if people else ""
