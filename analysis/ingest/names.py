"""Harmonising area and indicator names: one alias table that reports what it cannot map."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from analysis.core.groups import (
    BORN_ABROAD,
    BORN_IN_SWEDEN,
    FOREIGN_BACKGROUND,
    SWEDISH_BACKGROUND,
    combined_group,
)
from analysis.core.model import SEXES, TOTAL, split_list

# SCB, PxWeb and Kolada put region codes before names: "0580 Linköping", "0580R005 Skäggetorp".
_CODE_PREFIX = re.compile(r"^\s*(\d{2,4}[A-Za-z]?\d*)\s+(?=\D)")
_SPACES = re.compile(r"\s+")


def normalise(text: object) -> str:
    """A matching key: case-folded, diacritics removed, whitespace collapsed and trimmed."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _SPACES.sub(" ", s).strip().casefold()


def split_code(text: object) -> tuple[str, str]:
    """A leading region code and the name after it ("0580 Linköping" -> ("0580", "Linköping"))."""
    s = "" if text is None else str(text).strip()
    m = _CODE_PREFIX.match(s)
    if m:
        return m.group(1), s[m.end() :].strip()
    return "", s


@dataclass
class Resolution:
    """The canonical names found for raw names, and the raw names that matched nothing."""

    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)


class AliasTable:
    """Maps raw names (any case, with or without diacritics, codes or aliases) to canonical names."""

    def __init__(self, entries: dict[str, list[str]]):
        self._canonical: dict[str, str] = {}
        self._names = list(entries)
        for name, aliases in entries.items():
            for alias in [name, *aliases]:
                key = normalise(alias)
                if key:
                    self._canonical.setdefault(key, name)

    @classmethod
    def for_areas(cls, areas: pd.DataFrame) -> AliasTable:
        """The alias table of an areas frame: name, code and every ';'-separated alias."""
        entries: dict[str, list[str]] = {}
        for row in areas.itertuples(index=False):
            aliases = split_list(row.aliases)
            if str(row.code).strip():
                aliases.append(str(row.code).strip())
            entries[str(row.name)] = aliases
        return cls(entries)

    @classmethod
    def for_indicators(cls, indicators: pd.DataFrame) -> AliasTable:
        """The alias table of an indicator catalogue: id and name both map to the id."""
        return cls({str(r.id): [str(r.name)] for r in indicators.itertuples(index=False)})

    def lookup(self, raw: object) -> str | None:
        """The canonical name for a raw name, or None when nothing matches."""
        key = normalise(raw)
        if not key:
            return None
        if key in self._canonical:
            return self._canonical[key]
        code, rest = split_code(raw)
        if code:
            return self._canonical.get(normalise(code)) or self._canonical.get(normalise(rest))
        return None

    def resolve(self, raws: list[object]) -> Resolution:
        """Canonical names for many raw names, with the unmapped ones listed (never dropped)."""
        res = Resolution()
        for raw in dict.fromkeys(str(r) for r in raws):
            found = self.lookup(raw)
            if found is None:
                res.unmapped.append(raw)
            else:
                res.mapping[raw] = found
        return res

    def closest(self, raw: object, n: int = 3) -> list[str]:
        """The known canonical names closest to a raw name, best first."""
        key = normalise(split_code(raw)[1] or raw)
        keys = difflib.get_close_matches(key, list(self._canonical), n=n * 3, cutoff=0.5)
        out: list[str] = []
        for k in keys:
            name = self._canonical[k]
            if name not in out:
                out.append(name)
        return out[:n]

    def mentioned_in(self, text: object, n: int = 3) -> list[str]:
        """Canonical names whose name or alias occurs in a longer text (e.g. a table title), longest first."""
        hay = f" {normalise(text)} "
        hits = sorted(
            (
                (len(k), name)
                for k, name in self._canonical.items()
                if len(k) >= 4 and f" {k} " in hay or (len(k) >= 6 and k in hay)
            ),
            reverse=True,
        )
        out: list[str] = []
        for _, name in hits:
            if name not in out:
                out.append(name)
        return out[:n] or self.closest(text, n)

    @property
    def names(self) -> list[str]:
        """The canonical names, in the order given."""
        return list(self._names)


_SEX_ALIASES: dict[str, str] = {
    "totalt": "Totalt",
    "total": "Totalt",
    "t": "Totalt",
    "samtliga": "Totalt",
    "alla": "Totalt",
    "bada konen": "Totalt",
    "man och kvinnor": "Totalt",
    "kvinnor och man": "Totalt",
    "all": "Totalt",
    "both sexes": "Totalt",
    "kvinnor": "Kvinnor",
    "kvinna": "Kvinnor",
    "k": "Kvinnor",
    "flickor": "Kvinnor",
    "women": "Kvinnor",
    "female": "Kvinnor",
    "females": "Kvinnor",
    "girls": "Kvinnor",
    "man": "Män",  # "män" without diacritics
    "m": "Män",
    "pojkar": "Män",
    "men": "Män",
    "male": "Män",
    "males": "Män",
    "boys": "Män",
}


def canonical_sex(raw: object) -> str | None:
    """`Totalt`, `Kvinnor` or `Män` for a raw sex label (Swedish or English), or None."""
    key = normalise(raw)
    if not key:
        return "Totalt"
    if key in _SEX_ALIASES:
        return _SEX_ALIASES[key]
    for s in SEXES:
        if normalise(s) == key:
            return s
    return None


_GROUP_ALIASES: dict[str, str] = {
    "utrikes fodda": BORN_ABROAD,
    "utrikes fodd": BORN_ABROAD,
    "fodda utomlands": BORN_ABROAD,
    "fodd utomlands": BORN_ABROAD,
    "fodda utanfor sverige": BORN_ABROAD,
    "fodd utanfor sverige": BORN_ABROAD,
    "foreign born": BORN_ABROAD,
    "foreign-born": BORN_ABROAD,
    "born abroad": BORN_ABROAD,
    "inrikes fodda": BORN_IN_SWEDEN,
    "inrikes fodd": BORN_IN_SWEDEN,
    "fodda i sverige": BORN_IN_SWEDEN,
    "fodd i sverige": BORN_IN_SWEDEN,
    "born in sweden": BORN_IN_SWEDEN,
    "swedish born": BORN_IN_SWEDEN,
    "swedish-born": BORN_IN_SWEDEN,
    "svensk bakgrund": SWEDISH_BACKGROUND,
    "swedish background": SWEDISH_BACKGROUND,
    "utlandsk bakgrund": FOREIGN_BACKGROUND,
    "foreign background": FOREIGN_BACKGROUND,
}
# Age groups as SCB, Kolada and spreadsheets write them ('20-64 år', '20–64', '65+ år', '65- år', '65 år och äldre').
_AGE_RANGE = re.compile(r"^(\d{1,3}) ?(?:-|–|—|till) ?(\d{1,3})(?: ?ar)?$")
_AGE_FROM = re.compile(r"^(\d{1,3}) ?(?:\+|-|–)(?: ?ar)?$|^(\d{1,3}) ?\+? ?ar ?(?:\+|och aldre|eller aldre|och over)$")


def _one_group(piece: str) -> str | None:
    """The canonical group of one part of a group cell (a sex, a födelseregion, a bakgrund, an age), or None."""
    key = normalise(piece)
    if key in _GROUP_ALIASES:
        return _GROUP_ALIASES[key]
    if m := _AGE_RANGE.match(key):
        return f"{int(m.group(1))}–{int(m.group(2))} år" if int(m.group(1)) <= int(m.group(2)) else None
    if m := _AGE_FROM.match(key):
        return f"{int(m.group(1) or m.group(2))}+ år"
    return canonical_sex(piece) if key else None


@functools.lru_cache(maxsize=4096)
def canonical_group(raw: object) -> str | None:
    """The canonical group of a Grupp cell ('utrikes född' -> 'Utrikes födda', '20-64 år' -> '20–64 år',
    'Utrikes födda, kvinnor'); Totalt when blank; None when a part is unknown or two parts are of one dimension."""
    if not normalise(raw):
        return TOTAL
    groups = [_one_group(piece) for piece in str(raw).split(",") if piece.strip()]
    if any(g is None for g in groups):
        return None
    return combined_group(*groups)


def is_sex_label(raw: object) -> bool:
    """True when a non-empty cell reads as a sex label."""
    return bool(normalise(raw)) and canonical_sex(raw) is not None
