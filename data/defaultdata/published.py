"""Step 3: the published figures - reading the reference list and deciding which rows are used, and why (not).

The list is ``data/real_figures.csv``, a verbatim copy of the project's reference list (source URL on every row).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .catalogue import INDICATOR_BY_ID
from .common import AREA_NAMES, FIRST_YEAR, LAST_YEAR, REFERENCE_PATH, TOTAL, fmt

_AREA_PATTERN = re.compile(r"^(Berga|Ryd|Skäggetorp|Linköpings?|Riket)\b")
# Approximate wordings ("avrundat", "ungefärliga uppgifter", "'drygt 90'", "'about 6000'") - but not
# "ungefär disponibel inkomst", which describes a measure, not a value.
_APPROXIMATE = re.compile(r"avrundat|ungefärlig|'(ungefär|drygt|knappt|about|around)\b")

# CSV indicator name -> catalogue id (a definition check follows in _match_indicator).
_DIRECT: dict[str, str] = {
    "Ekonomiskt bistånd": "ekonomiskt_bistand",
    "Arbetslöshet": "arbetsloshet",
    "Låg ekonomisk standard": "lag_ekonomisk_standard",
    "Låg ekonomisk standard, barn 0-17 år": "lag_ekonomisk_standard_barn",
    "Disponibel inkomst (median, hushåll)": "medianinkomst_hushall",
    "Folkmängd": "folkmangd",
    "Utrikes födda": "utrikes_fodda",
    "Utländsk bakgrund": "utlandsk_bakgrund",
    "Valdeltagande kommunfullmäktigeval": "valdeltagande_kommunval",
    "Valdeltagande riksdagsval": "valdeltagande_riksdagsval",
    "Ohälsotal": "ohalsotal",
    "Hyresrätter (andel)": "hyresratter",
    "Trångbodda hushåll": "trangbodda_hushall",
    "Trångbodda hushåll med barn": "trangbodda_hushall_barn",
    "Meritvärde åk 9": "meritvarde",
    "Behörighet yrkesprogram": "behorighet_yrkesprogram",
}

_LABOUR_FORCE = "Annan nämnare: andel av arbetskraften (Arbetsförmedlingen), inte av befolkningen 18–64 år"

# CSV indicator name (prefix) -> why it is not one of the catalogue's indicators.
_OTHER_DEFINITION: list[tuple[str, str]] = [
    ("Arbetslöshet (andel av arbetskraften)", _LABOUR_FORCE),
    ("Arbetslöshet (Arbetsförmedlingen)", _LABOUR_FORCE),
    ("Arbetslöshet, utrikes födda (Arbetsförmedlingen)", _LABOUR_FORCE),
    ("Arbetslöshet, eftergymnasial utbildning", _LABOUR_FORCE),
    ("Arbetslöshet, förgymnasial utbildning", _LABOUR_FORCE),
    ("Öppen arbetslöshet (andel av arbetskraften)", _LABOUR_FORCE),
    ("Ungdomsarbetslöshet 18-24 år", _LABOUR_FORCE + " (och åldern 18–24 år)"),
    ("Öppen arbetslöshet", "Annan definition: bara öppet arbetslösa, utan personer i program med aktivitetsstöd"),
    ("Ekonomiskt bistånd 18-24 år", "Annan åldersgrupp (18–24 år); katalogen avser 18 år och äldre"),
    ("Långvarigt ekonomiskt bistånd", "Annan nämnare: andel av biståndsmottagarna, inte av befolkningen"),
    ("Mycket långvarigt ekonomiskt bistånd", "Annan nämnare: andel av biståndsmottagarna, inte av befolkningen"),
    ("Biståndsmottagare per 100 000 inv", "Annat mått; källan anger själv en trolig felskrivning"),
    ("Låg ekonomisk standard, 0-19 år", "Annan åldersgrupp (0–19 år); katalogen avser barn 0–17 år"),
    ("Låg ekonomisk standard, utrikes födda", "Delgrupp (födelseland) som katalogen inte redovisar"),
    ("Låg ekonomisk standard, inrikes födda", "Delgrupp (födelseland) som katalogen inte redovisar"),
    ("Låg ekonomisk standard, födda i Afrika", "Delgrupp (födelseland) som katalogen inte redovisar"),
    ("Disponibel inkomst (median, hushåll)", "Delgrupp av hushållen; katalogen avser samtliga hushåll"),
    ("Nettoinkomst kvinnor i % av män", "Måttet ingår inte i katalogen (kvinnors inkomst i procent av mäns)"),
    ("Nettoinkomst", "Annat mått: nettoinkomst per person (tkr), inte disponibel inkomst per hushåll"),
    ("Hushållsinkomst (genomsnitt, 20+)", "Annat mått: medelvärde för personer 20+, inte median per hushåll"),
    (
        "Lång eftergymnasial utbildning",
        "Annat mått: bara lång eftergymnasial utbildning; katalogen avser all eftergymnasial utbildning 25–64 år",
    ),
    ("Eftergymnasial utbildning (kort+lång)", "Annan åldersgrupp (20–64 år); katalogen avser 25–64 år"),
    ("Gymnasial utbildning", "Gymnasial utbildning som högsta nivå ingår inte i katalogen"),
    ("Förvärvsfrekvens", "Annan åldersgrupp; katalogen avser 20–64 år"),
    (
        "Sysselsättningsgrad 20-64 år",
        "Annan källa och definition: sysselsatta enligt BAS (andra kvartalet, preliminärt), inte förvärvsfrekvens "
        "i november",
    ),
    ("Hushåll i hyresrätt", "Annan nämnare: andel av hushållen, inte av bostäderna"),
    ("Ohälsotal", "Delgrupp (födelseland eller ålder) som katalogen inte redovisar"),
    ("Sjukpenning", "Annat mått: sjukpenningdagar, inte ohälsotal"),
    ("Trångbodda hushåll utan barn", "Delgrupp av hushållen som katalogen inte redovisar"),
    ("Trångbodda hushåll,", "Delgrupp av hushållen som katalogen inte redovisar"),
    (
        "Utrikes födda bland förvärvsarbetande",
        "Annan nämnare: förvärvsarbetande med arbetsplats i kommunen, inte befolkningen",
    ),
    ("Trygghet till/från arbetet", "Annan population och fråga (enkät till företag), inte invånare 16–84 år"),
    ("Valdeltagande kommunalval, lägsta valdistrikt", "Det valdistrikt som hade lägst valdeltagande, inte ett område"),
    ("Valdeltagande", "Valtypen anges inte (troligen riksdagsvalet)"),
]


@dataclass
class RealFigure:
    """One row of the reference list."""

    line: int  # line number in the CSV file (the header is line 1)
    area: str
    indicator: str
    definition: str
    year: str
    value: str
    unit: str
    sex: str
    source_url: str


def read_reference(path: Path | None = None) -> list[RealFigure]:
    """All rows of the reference list (the copy in data/ unless another path is given), with their line numbers."""
    path = path or REFERENCE_PATH
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = []
        for i, r in enumerate(reader, start=2):
            rows.append(
                RealFigure(
                    line=i,
                    area=(r.get("area") or "").strip(),
                    indicator=(r.get("indicator") or "").strip(),
                    definition=(r.get("definition") or "").strip(),
                    year=(r.get("year") or "").strip(),
                    value=(r.get("value") or "").strip(),
                    unit=(r.get("unit") or "").strip(),
                    sex=(r.get("sex") or "").strip() or TOTAL,
                    source_url=(r.get("source_url") or "").strip(),
                )
            )
    return rows


def _in_scope(fig: RealFigure) -> bool:
    """A row about one of our six areas (also rows naming them with another delimitation)."""
    return fig.area in AREA_NAMES or bool(_AREA_PATTERN.match(fig.area))


def _area_reason(area: str) -> str | None:
    """Why a row's area is not one of ours (another delimitation), or None when it is."""
    if area in AREA_NAMES:
        return None
    low = area.lower()
    if "valdistrikt" in low:
        return "Annan områdesavgränsning: valdistrikt, inte stadsdelen"
    if "kommunala skolor" in low:
        return "Annan avgränsning: bara kommunala skolor"
    if "tornby" in low:
        return "Annan områdesavgränsning: Skäggetorp inklusive Tornby och omland"
    if "/" in area:
        return "Annan områdesavgränsning: flera stadsdelar sammanslagna"
    return f"Annan områdesavgränsning ({area})"


def _match_indicator(fig: RealFigure) -> tuple[str | None, str | None]:
    """The catalogue indicator a row measures, or None and the reason it does not match."""
    name, d = fig.indicator, fig.definition.lower()
    ind = _DIRECT.get(name)
    if ind is not None:
        unit = INDICATOR_BY_ID[ind].unit
        if fig.unit != unit:
            if fig.unit == "antal" and unit == "procent":
                return None, "Antal, inte andel; katalogen redovisar andelen (uppgiften räknas inte om)"
            return None, f"Annan enhet ({fig.unit or 'ej angiven'}) än katalogens ({unit})"
        if ind == "ekonomiskt_bistand" and "18 år" not in d:
            return None, "Annan nämnare: hela befolkningen, inte personer 18 år och äldre"
        if ind == "arbetsloshet":
            if "16-64" in d:
                return None, (
                    "Andrahandskälla med oklar åldersgrupp (16–64 eller 18–64 år); kommunens egen "
                    "uppgift används i stället"
                )
            if not ("andel av befolkningen 18-64" in d and "program" in d):
                return None, "Definition och nämnare anges inte"
        if ind == "folkmangd":
            if "halvårsskiftet" in d or ("kvartalets slut" in d and "fjärde" not in d):
                return None, "Annan tidpunkt än årets slut (31 december)"
            if "avviker" in d:
                return None, (
                    "Avviker från kommunens uppgift för stadsdelen; troligen annan avgränsning (lokal webbplats)"
                )
        if ind == "utlandsk_bakgrund":
            if "trol." in d:
                return None, "Oklar definition ('of foreign origin'); andrahandskälla (Wikipedia-kopia)"
            if "avviker" in d:
                return None, ("Lokal webbplats vars folkmängd avviker från kommunens; troligen annan avgränsning")
        if ind == "valdeltagande_kommunval" and "valdeltagandeundersökning" in d:
            return None, "Annan metod: SCB:s valdeltagandeundersökning (urval), inte valresultatet"
        if fig.sex != TOTAL and not INDICATOR_BY_ID[ind].by_sex:
            return None, "Indikatorn redovisas inte per kön"
        return ind, None
    if "(antal)" in name:
        return None, "Antal, inte ett av katalogens mått"
    if fig.unit == "procentenheter":
        return None, "Förändring i procentenheter, inte en nivå"
    for prefix, reason in _OTHER_DEFINITION:
        if name.startswith(prefix):
            return None, reason
    return None, "Måttet ingår inte i katalogen"


def _year_reason(year: str) -> tuple[int | None, str | None]:
    """The row's year and why it cannot be used (none, a period, outside the years), or None."""
    if not year:
        return None, "Inget år angivet"
    if not year.isdigit():
        return None, f"Avser en period ({year}), inte ett år"
    y = int(year)
    if y < FIRST_YEAR or y > LAST_YEAR:
        return y, f"Utanför åren {FIRST_YEAR}–{LAST_YEAR}"
    return y, None


def _is_approximate(fig: RealFigure) -> bool:
    """True when the row's wording says the value is approximate or rounded."""
    return bool(_APPROXIMATE.search(fig.definition.lower()))


def _domain(url: str) -> str:
    """The host of a web address, without 'www.'."""
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _is_municipal(url: str) -> bool:
    """True for the municipality's own pages (linkoping.se)."""
    return _domain(url) == "linkoping.se"


def _origin_note(fig: RealFigure) -> str:
    """A short Swedish description of where a published value comes from."""
    host, url = _domain(fig.source_url), fig.source_url.lower()
    if host == "linkoping.se":
        if "linkoping-i-siffror" in url:
            return "Publicerad uppgift: Linköping i siffror (Linköpings kommun)"
        return "Publicerad uppgift: Linköpings kommun"
    if host == "val.se":
        return "Publicerad uppgift: Valmyndigheten"
    if "newsworthy" in host:
        return "Publicerad uppgift: Newsworthy (bygger på SCB/Valmyndigheten)"
    if "wikipedia" in host:
        return "Publicerad uppgift: Wikipedia (hänvisar till kommunens statistik)"
    if "linkopingsposten" in host:
        return "Publicerad uppgift: Linköpings-Posten (lokaltidning)"
    if "regioner.se" in host:
        return "Publicerad uppgift: regioner.se (bygger på SCB)"
    if "tredjepartskopia" in fig.definition:
        return "Publicerad uppgift: kopia av Linköpings kommuns befolkningssida"
    if "privat sammanställning" in fig.definition:
        return "Publicerad uppgift: sammanställning av SCB:s folkmängd"
    return f"Publicerad uppgift: {host}"


def _decimals_of(text: str) -> int:
    """The number of decimals a value is written with."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def _join_reasons(reasons: list[str]) -> str:
    """Reasons as one Swedish sentence: 'Inget år angivet; ungefärlig uppgift'."""
    parts = [r if i == 0 else r[:1].lower() + r[1:] for i, r in enumerate(reasons)]
    return "; ".join(parts)


def _source_rank(rec: dict) -> tuple[int, int, int]:
    """Preference among usable rows for the same key: the municipality's statistics pages (Linköping i
    siffror), other linkoping.se pages, other sources; then more decimals; then file order."""
    url = rec["source_url"].lower()
    tier = 2
    if _is_municipal(url):
        tier = 0 if "linkoping-i-siffror" in url else 1
    return tier, -_decimals_of(rec["value"]), rec["line"]


def classify_reference(figures: list[RealFigure]) -> tuple[list[dict], dict[tuple[str, str, int, str], dict]]:
    """Records for every in-scope row (used or not and why), and the chosen value per key."""
    records: list[dict] = []
    candidates: dict[tuple[str, str, int, str], list[dict]] = {}
    for fig in figures:
        if not _in_scope(fig):
            continue
        reasons: list[str] = []
        area_reason = _area_reason(fig.area)
        if area_reason:
            reasons.append(area_reason)
        ind, ind_reason = _match_indicator(fig)
        if ind_reason:
            reasons.append(ind_reason)
        year, year_reason = _year_reason(fig.year)
        if year_reason and not (year is None and fig.unit == "procentenheter"):
            reasons.append(year_reason)
        if _is_approximate(fig):
            reasons.append("Ungefärlig eller avrundad uppgift")
        try:
            value = float(fig.value)
        except ValueError:
            value = None
            reasons.append("Inget tal angivet")
        rec = {
            "line": fig.line,
            "area": fig.area,
            "indicator": fig.indicator,
            "definition": fig.definition,
            "year": fig.year,
            "value": fig.value,
            "unit": fig.unit,
            "sex": fig.sex,
            "source_url": fig.source_url,
            "indicator_id": ind or "",
            "used": False,
            "used_value": None,
            "reason": _join_reasons(reasons),
            "note": "",
        }
        records.append(rec)
        if not reasons:
            if not fig.source_url.lower().startswith(("http://", "https://")):
                rec["reason"] = "Saknar webbadress till källan"
                continue
            decimals = INDICATOR_BY_ID[ind].decimals
            rec["used_value"] = round(value, decimals)
            candidates.setdefault((fig.area, ind, year, fig.sex), []).append(rec)

    chosen: dict[tuple[str, str, int, str], dict] = {}
    for key, recs in candidates.items():
        ranked = sorted(recs, key=_source_rank)
        winner = ranked[0]
        decimals = INDICATOR_BY_ID[key[1]].decimals
        winner["used"] = True
        note = _origin_note(
            RealFigure(
                **{
                    k: winner[k]
                    for k in ("line", "area", "indicator", "definition", "year", "value", "unit", "sex", "source_url")
                }
            )
        )
        if _decimals_of(winner["value"]) > decimals:
            grid = {0: "heltal", 1: "en decimal"}.get(decimals, f"{decimals} decimaler")
            note += f" (publicerat värde {winner['value'].replace('.', ',')}, avrundat till {grid})"
        winner["note"] = note
        winner["reason"] = "Används: samma mått, nämnare och åldersgrupp som katalogens indikator"
        chosen[key] = winner
        for other in ranked[1:]:
            w_rank, o_rank = _source_rank(winner), _source_rank(other)
            if w_rank[0] < 2 <= o_rank[0]:
                why = "kommunens egen sida föredras"
            elif w_rank[0] < o_rank[0]:
                why = "sidan i Linköping i siffror föredras"
            elif w_rank[1] < o_rank[1]:
                why = "värdet med fler decimaler föredras"
            else:
                why = "den första uppgiften i listan används"
            if other["used_value"] == winner["used_value"]:
                other["reason"] = f"Dubblett: samma uppgift från {_domain(winner['source_url'])} används ({why})"
            else:
                other["reason"] = (
                    f"Motstridig uppgift: {fmt(winner['used_value'], decimals)} från "
                    f"{_domain(winner['source_url'])} används ({why})"
                )
    return records, chosen
