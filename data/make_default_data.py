"""Build the default dataset ("standarddata") the dashboard starts with.

Run from the project root:

    python data/make_default_data.py

It writes three files next to this script:

* ``standarddata.xlsx`` - the dataset in the Excel contract format (``analysis.exports.workbook``);
* ``real_figures.csv``  - a verbatim copy of the reference list of published figures
  (``/work/shared/reference/real_figures.csv``), so that the build also works where only the
  repository is available (CI). The script reads this copy when it exists, else the shared file;
* ``KALLOR.md``          - a Swedish account of how the data was made, which published figures are used
  (with their source) and which are not, and why.

Method
------
The dataset covers six areas (the focus areas Berga, Ryd and Skäggetorp, the comparison area
"Övriga Linköping", the municipality and the nation), 26 indicators and the years 2015-2024
(municipal and parliamentary election turnout only for the election years 2018 and 2022).

1. *Published figures.* Every row of the reference list whose area is one of the six areas, whose
   indicator and definition (same measure, denominator and age group) match one of the catalogue's
   indicators, whose year is 2015-2024 and whose wording is not approximate is used, with the page
   address as ``source`` and a short Swedish note on its origin. When two usable rows give a value
   for the same area, indicator, year and sex, the municipality's own page (linkoping.se) wins, then
   the value with more decimals, then the first row in the file; the other rows are recorded as not
   used. Published values with more decimals than the indicator shows are rounded (and the note says
   so). Every in-scope row gets a record (used or not, with the reason) that ``KALLOR.md`` lists.

2. *Generated example values.* Everything else is a fictitious example value with ``source`` set to
   ``Exempelvärde (fiktivt)``. For each indicator and each generated area (the focus areas,
   Övriga Linköping, Riket) a level for 2015, a yearly trend (for population also a curvature), an
   optional common shock (e.g. the pandemic years 2020-2021, larger in the focus areas) and normal
   noise drawn from ``numpy.random.default_rng(20201202)`` give the total. The levels are chosen to be
   realistic for Linköping: the focus areas are clearly worse off than Övriga Linköping, some gaps
   narrow slowly and a few widen. Women's and men's values are placed around the total with a
   realistic difference (women - men) weighted by the area's share of women, so that the
   population-weighted mean of the two equals the total. Counts are split so that women + men = total.

3. *Anchoring to published figures.* Where a generated series has published values, the residual
   (published - generated) at those years is interpolated linearly between them and held constant
   beyond them, and added to the whole series, so the series passes exactly through the published
   points and stays smooth. Women's and men's series follow the total's residual, plus their own
   interpolated residual where they have published values themselves.

4. *Consistency of the municipality with its parts.* Linköping consists of the three focus areas and
   Övriga Linköping. For counts Linköping is the sum of the parts; for shares and rates it is the
   population-weighted mean (weights: the areas' population of the same sex and year; this is an
   approximation for measures with other denominators, e.g. households or adults). Where Linköping
   has published values for an indicator, Linköping's series is the weighted mean anchored to them
   (step 3) and Övriga Linköping is derived from Linköping and the focus areas instead. Derived
   example values carry the note ``Härlett exempelvärde``; the rest have an empty note. All values are
   rounded to the indicator's decimals (household income to whole hundreds of kronor).

5. *Plan tables.* Actions, targets and area texts are hand-written examples for a municipal action
   plan against segregation and are all marked with ``source`` = ``Exempelvärde (fiktivt)``. The yearly
   follow-ups 2021-2025 (sheet ``Uppföljning``) are derived from each action's dates and current status
   (``_followups_frame``), so the last follow-up agrees with the status on the ``Åtgärder`` sheet.

The build is deterministic: the same reference file gives the same dataset and workbook contents.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.core.model import (  # noqa: E402
    ACTION_STATUSES,
    ACTION_THEMES,
    EXAMPLE_SOURCE,
    FOCUS,
    HIGHER,
    LOWER,
    MUNICIPALITY,
    NATION,
    NEUTRAL,
    REFERENCE,
    TEXT_HEADINGS,
    THEMES,
    UNITS,
    Dataset,
    make_dataset,
)
from analysis.exports.workbook import dataset_to_workbook, template_workbook  # noqa: E402
from analysis.measures.summary import example_mask  # noqa: E402

SEED = 20201202
YEARS: tuple[int, ...] = tuple(range(2015, 2025))
ELECTION_YEARS: tuple[int, ...] = (2018, 2022)
FIRST_YEAR, LAST_YEAR = YEARS[0], YEARS[-1]

DATA_DIR = ROOT / "data"
SHARED_REFERENCE = Path("/work/shared/reference/real_figures.csv")
LOCAL_REFERENCE = DATA_DIR / "real_figures.csv"
WORKBOOK_PATH = DATA_DIR / "standarddata.xlsx"
TEMPLATE_PATH = DATA_DIR / "mall.xlsx"
SOURCES_PATH = DATA_DIR / "KALLOR.md"
WORKBOOK_TITLE = "Standarddata – exempeldata och publicerade uppgifter"
DERIVED_NOTE = "Härlett exempelvärde"

BERGA, RYD, SKAGGETORP = "Berga", "Ryd", "Skäggetorp"
FOCUS_AREAS: tuple[str, ...] = (BERGA, RYD, SKAGGETORP)
REST = "Övriga Linköping"
MUNI = "Linköping"
NATION_AREA = "Riket"
AREA_NAMES: tuple[str, ...] = (*FOCUS_AREAS, REST, MUNI, NATION_AREA)
PARTS: tuple[str, ...] = (*FOCUS_AREAS, REST)  # Linköping = these four
GENERATED_AREAS: tuple[str, ...] = (*FOCUS_AREAS, REST, NATION_AREA)
TOTAL, WOMEN, MEN = "Totalt", "Kvinnor", "Män"
SPLIT_SEXES: tuple[str, ...] = (TOTAL, WOMEN, MEN)

PER_1000 = UNITS[UNITS.index("per 1 000 invånare")]

# ---------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------

AREAS: list[dict[str, str]] = [
    {"name": BERGA, "type": FOCUS, "code": "", "aliases": "Berga (Linköping);Stadsdelen Berga"},
    {"name": RYD, "type": FOCUS, "code": "", "aliases": "Ryd (Linköping);Stadsdelen Ryd"},
    {
        "name": SKAGGETORP,
        "type": FOCUS,
        "code": "",
        "aliases": "Skaggetorp;Skäggetorp (Linköping);Stadsdelen Skäggetorp",
    },
    {
        "name": REST,
        "type": REFERENCE,
        "code": "",
        "aliases": "Linköping exkl. fokusområden;Övriga Linköping (exkl. Berga, Ryd och Skäggetorp);"
        "Rest of Linköping;Ovriga Linkoping",
    },
    {"name": MUNI, "type": MUNICIPALITY, "code": "0580", "aliases": "Linköpings kommun;Linköping kommun"},
    {"name": NATION_AREA, "type": NATION, "code": "00", "aliases": "Sverige;Hela riket;Sweden"},
]

# ---------------------------------------------------------------------------------------------
# Indicator catalogue
# ---------------------------------------------------------------------------------------------

SRC_SCB = "SCB"
SRC_LIS = "Linköpings kommun (Linköping i siffror)"
SRC_SKOLVERKET = "Skolverket"
SRC_FK = "Försäkringskassan"
SRC_VAL = "Valmyndigheten"
SRC_BRA = "Polisen/Brå"
SRC_TRYGG = "Linköpings kommun, trygghetsundersökning"


# How each indicator is written inside a sentence ("Förvärvsfrekvensen i Skäggetorp var ...").
DEFINITE: dict[str, str] = {
    "forvarvsfrekvens": "förvärvsfrekvensen (20–64 år)",
    "arbetsloshet": "arbetslösheten (18–64 år)",
    "unga_uvas": "andelen unga 20–25 år som varken arbetar eller studerar",
    "lag_ekonomisk_standard": "andelen med låg ekonomisk standard",
    "lag_ekonomisk_standard_barn": "andelen barn 0–17 år med låg ekonomisk standard",
    "ekonomiskt_bistand": "andelen vuxna med ekonomiskt bistånd",
    "medianinkomst_hushall": "medianinkomsten per hushåll",
    "eftergymnasial_utbildning": "andelen 25–64-åringar med eftergymnasial utbildning",
    "forgymnasial_utbildning": "andelen 25–64-åringar med enbart förgymnasial utbildning",
    "behorighet_yrkesprogram": "andelen elever i årskurs 9 som är behöriga till yrkesprogram",
    "meritvarde": "det genomsnittliga meritvärdet (årskurs 9)",
    "forskola": "andelen barn 1–5 år i förskola",
    "trangbodda_hushall": "andelen trångbodda hushåll",
    "trangbodda_hushall_barn": "andelen trångbodda hushåll med barn",
    "hyresratter": "andelen bostäder i hyresrätt",
    "folkmangd": "folkmängden",
    "utrikes_fodda": "andelen utrikes födda",
    "utlandsk_bakgrund": "andelen med utländsk bakgrund",
    "befolkning_0_19": "andelen 0–19 år",
    "befolkning_20_64": "andelen 20–64 år",
    "befolkning_65": "andelen 65 år och äldre",
    "valdeltagande_kommunval": "valdeltagandet i kommunvalet",
    "valdeltagande_riksdagsval": "valdeltagandet i riksdagsvalet",
    "ohalsotal": "ohälsotalet",
    "otrygghet_kvall": "andelen som känner sig otrygga ute sent på kvällen",
    "anmalda_brott": "antalet anmälda brott",
}


def _ind(
    id_,
    name,
    theme,
    unit,
    direction,
    definition,
    source,
    *,
    key=False,
    comparability="",
    split=False,
    decimals=None,
    years=YEARS,
    sex_words="",
):
    """One catalogue entry; the definite form used in sentences comes from DEFINITE."""
    if decimals is None:
        decimals = 0 if unit in ("antal", "kronor") else 1
    return {
        "id": id_,
        "name": name,
        "theme": theme,
        "unit": unit,
        "direction": direction,
        "definition": definition,
        "source": source,
        "decimals": decimals,
        "key_figure": key,
        "comparability": comparability,
        "definite": DEFINITE[id_],
        "sex_words": sex_words,
        "_split": split,
        "_years": tuple(years),
    }


INDICATORS: list[dict] = [
    # arbete
    _ind(
        "forvarvsfrekvens",
        "Förvärvsfrekvens 20–64 år",
        "arbete",
        "procent",
        HIGHER,
        "Andel förvärvsarbetande (sysselsatta i november enligt SCB:s registerbaserade arbetsmarknadsstatistik) "
        "av befolkningen 20–64 år som bor i området.",
        SRC_SCB,
        key=True,
        split=True,
        comparability="Registerbaserat mått för november. Inte samma sak som sysselsättningsgraden i SCB:s "
        "BAS eller AKU, och inte förvärvsfrekvensen i smalare åldersgrupper (t.ex. 45–49 år).",
    ),
    _ind(
        "arbetsloshet",
        "Arbetslöshet 18–64 år",
        "arbete",
        "procent",
        LOWER,
        "Öppet arbetslösa och personer i program med aktivitetsstöd i mars, i procent av befolkningen 18–64 år "
        "som bor i området (nämnare: befolkningen, inte arbetskraften).",
        SRC_LIS,
        key=True,
        split=True,
        comparability="Andel av befolkningen 18–64 år, inte av arbetskraften: kan inte jämföras med "
        "Arbetsförmedlingens arbetslöshet i procent av arbetskraften.",
    ),
    _ind(
        "unga_uvas",
        "Unga 20–25 år som varken arbetar eller studerar",
        "arbete",
        "procent",
        LOWER,
        "Andel av befolkningen 20–25 år som under året varken förvärvsarbetat, studerat eller haft annan känd "
        "sysselsättning.",
        SRC_SCB,
        key=True,
        split=True,
        comparability="Andra källor redovisar 16–24 eller 16–29 år; jämför bara samma åldersgrupp.",
    ),
    # ekonomi
    _ind(
        "lag_ekonomisk_standard",
        "Låg ekonomisk standard",
        "ekonomi",
        "procent",
        LOWER,
        "Andel av befolkningen (personer) som bor i hushåll med disponibel inkomst per konsumtionsenhet under "
        "60 procent av medianen för hela riket.",
        SRC_SCB,
        key=True,
        split=True,
        comparability="Relativt mått: gränsen följer rikets median varje år. Studenter med låga inkomster ger "
        "höga andelar i områden med många studenter, till exempel Ryd.",
    ),
    _ind(
        "lag_ekonomisk_standard_barn",
        "Låg ekonomisk standard, barn 0–17 år",
        "ekonomi",
        "procent",
        LOWER,
        "Andel av barnen 0–17 år som bor i hushåll med disponibel inkomst per konsumtionsenhet under 60 procent "
        "av medianen för hela riket.",
        SRC_SCB,
        comparability="Vissa källor redovisar åldersgruppen 0–19 år; de värdena är inte jämförbara.",
    ),
    _ind(
        "ekonomiskt_bistand",
        "Ekonomiskt bistånd",
        "ekonomi",
        "procent",
        LOWER,
        "Andel av befolkningen 18 år och äldre som haft ekonomiskt bistånd någon gång under året.",
        SRC_LIS,
        key=True,
        split=True,
        comparability="Inte samma sak som långvarigt bistånd (minst tio månader, andel av biståndsmottagarna) "
        "eller antalet biståndshushåll.",
    ),
    _ind(
        "medianinkomst_hushall",
        "Disponibel inkomst per hushåll (median)",
        "ekonomi",
        "kronor",
        HIGHER,
        "Medianvärdet av den disponibla inkomsten per år (kronor, löpande priser) för samtliga bostadshushåll "
        "i området.",
        SRC_SCB,
        comparability="Löpande priser: ta hänsyn till prisutvecklingen vid jämförelser över tid. Per hushåll, "
        "inte per person, så hushållens storlek påverkar måttet.",
    ),
    # utbildning
    _ind(
        "eftergymnasial_utbildning",
        "Eftergymnasial utbildning 25–64 år",
        "utbildning",
        "procent",
        HIGHER,
        "Andel av befolkningen 25–64 år vars högsta utbildning är eftergymnasial (kort eller lång).",
        SRC_SCB,
        key=True,
        split=True,
        comparability="Linköping i siffror redovisar ibland 20–64 eller 16–74 år och ibland bara lång "
        "eftergymnasial utbildning; de värdena är inte jämförbara.",
    ),
    _ind(
        "forgymnasial_utbildning",
        "Förgymnasial utbildning 25–64 år",
        "utbildning",
        "procent",
        LOWER,
        "Andel av befolkningen 25–64 år vars högsta utbildning är förgymnasial.",
        SRC_SCB,
        split=True,
        comparability="För nyanlända saknas ofta uppgift om utbildning, vilket påverkar andelen.",
    ),
    _ind(
        "behorighet_yrkesprogram",
        "Behörighet till gymnasiets yrkesprogram",
        "utbildning",
        "procent",
        HIGHER,
        "Andel av eleverna i årskurs 9 som är behöriga till ett yrkesprogram i gymnasieskolan, efter elevernas "
        "hemområde. Kvinnor = flickor, Män = pojkar.",
        SRC_SKOLVERKET,
        key=True,
        split=True,
        sex_words="flickor och pojkar",
        comparability="Små elevgrupper per område ger stora skillnader mellan åren. Uppgifter för enbart "
        "kommunala skolor avser inte alla elever som bor i området.",
    ),
    _ind(
        "meritvarde",
        "Meritvärde årskurs 9",
        "utbildning",
        "poäng",
        HIGHER,
        "Genomsnittligt meritvärde för elever i årskurs 9 (högst 340 poäng med 17 ämnen), efter elevernas "
        "hemområde. Kvinnor = flickor, Män = pojkar.",
        SRC_SKOLVERKET,
        key=True,
        split=True,
        sex_words="flickor och pojkar",
        comparability="Jämför inte värden före och efter sommarskola, eller med 16 ämnen (högst 320 poäng).",
    ),
    _ind(
        "forskola",
        "Barn 1–5 år i förskola",
        "utbildning",
        "procent",
        HIGHER,
        "Andel av barnen 1–5 år som är inskrivna i förskola.",
        SRC_SKOLVERKET,
        sex_words="flickor och pojkar",
    ),
    # boende
    _ind(
        "trangbodda_hushall",
        "Trångbodda hushåll",
        "boende",
        "procent",
        LOWER,
        "Andel av samtliga hushåll som är trångbodda enligt modifierad norm 3 (fler än en boende per rum, kök "
        "och vardagsrum oräknade).",
        SRC_LIS,
        key=True,
        comparability="Andra trångboddhetsnormer (norm 2, norm 3 utan modifiering) ger andra nivåer.",
    ),
    _ind(
        "trangbodda_hushall_barn",
        "Trångbodda hushåll med barn",
        "boende",
        "procent",
        LOWER,
        "Andel av hushållen med minst ett barn 0–17 år som är trångbodda enligt modifierad norm 3 (fler än en "
        "boende per rum, kök och vardagsrum oräknade).",
        SRC_LIS,
        comparability="Nämnaren är hushåll med barn, inte alla hushåll.",
    ),
    _ind(
        "hyresratter",
        "Bostäder i hyresrätt",
        "boende",
        "procent",
        NEUTRAL,
        "Andel av bostäderna (lägenheter och småhus) i området som upplåts med hyresrätt.",
        SRC_SCB,
        comparability="Beskrivande mått. Andel av bostäderna, inte av hushållen eller invånarna.",
    ),
    # befolkning
    _ind(
        "folkmangd",
        "Folkmängd",
        "befolkning",
        "antal",
        NEUTRAL,
        "Antal folkbokförda invånare den 31 december.",
        SRC_SCB,
        split=True,
        comparability="Områdesgränser skiljer sig mellan källor (stadsdel, basområde, valdistrikt).",
    ),
    _ind(
        "utrikes_fodda",
        "Utrikes födda",
        "befolkning",
        "procent",
        NEUTRAL,
        "Andel av befolkningen (alla åldrar, 31 december) som är född utanför Sverige.",
        SRC_SCB,
        key=True,
        split=True,
    ),
    _ind(
        "utlandsk_bakgrund",
        "Utländsk bakgrund",
        "befolkning",
        "procent",
        NEUTRAL,
        "Andel av befolkningen (31 december) som är född utomlands eller född i Sverige med två utrikes födda "
        "föräldrar.",
        SRC_SCB,
    ),
    _ind(
        "befolkning_0_19",
        "Andel 0–19 år",
        "befolkning",
        "procent",
        NEUTRAL,
        "Andel av befolkningen (31 december) som är 0–19 år.",
        SRC_SCB,
    ),
    _ind(
        "befolkning_20_64",
        "Andel 20–64 år",
        "befolkning",
        "procent",
        NEUTRAL,
        "Andel av befolkningen (31 december) som är 20–64 år.",
        SRC_SCB,
    ),
    _ind(
        "befolkning_65",
        "Andel 65 år och äldre",
        "befolkning",
        "procent",
        NEUTRAL,
        "Andel av befolkningen (31 december) som är 65 år eller äldre.",
        SRC_SCB,
    ),
    # demokrati
    _ind(
        "valdeltagande_kommunval",
        "Valdeltagande i kommunfullmäktigevalet",
        "demokrati",
        "procent",
        HIGHER,
        "Andel av de röstberättigade i valet till kommunfullmäktige som röstade. Bara valår.",
        SRC_VAL,
        key=True,
        split=True,
        years=ELECTION_YEARS,
        comparability="Bara valår (2018, 2022). Valdistrikten har andra gränser än stadsdelarna: valdistrikt "
        "som heter Berga N motsvarar inte stadsdelen Berga. SCB:s valdeltagandeundersökning (urval) ger andra "
        "värden än valresultatet.",
    ),
    _ind(
        "valdeltagande_riksdagsval",
        "Valdeltagande i riksdagsvalet",
        "demokrati",
        "procent",
        HIGHER,
        "Andel av de röstberättigade i riksdagsvalet som röstade. Bara valår.",
        SRC_VAL,
        years=ELECTION_YEARS,
        comparability="Bara valår (2018, 2022). Valdistrikten har andra gränser än stadsdelarna.",
    ),
    # hälsa
    _ind(
        "ohalsotal",
        "Ohälsotal",
        "hälsa",
        "dagar",
        LOWER,
        "Antal utbetalda nettodagar med sjukpenning, rehabiliteringspenning, sjukersättning och "
        "aktivitetsersättning per registrerad försäkrad 20–64 år under året.",
        SRC_FK,
        key=True,
        split=True,
        comparability="Inte samma sak som sjukpenningtalet, som bara räknar sjukpenning och rehabiliteringspenning.",
    ),
    # trygghet
    _ind(
        "otrygghet_kvall",
        "Otrygghet utomhus sent på kvällen",
        "trygghet",
        "procent",
        LOWER,
        "Andel av de svarande 16–84 år som känner sig ganska eller mycket otrygga när de går ut ensamma sent "
        "en kväll i sitt eget bostadsområde.",
        SRC_TRYGG,
        key=True,
        split=True,
        comparability="Urvalsundersökning: osäkerheten är stor i små områden. Polisens och Brås undersökningar "
        "ställer frågan delvis annorlunda.",
    ),
    _ind(
        "anmalda_brott",
        "Anmälda brott",
        "trygghet",
        PER_1000,
        LOWER,
        "Antal anmälda brott under året per 1 000 invånare, efter området där brottet begicks.",
        SRC_BRA,
        comparability="Anmälningsbenägenheten varierar. Brotten räknas där de begås, inte där de misstänkta "
        "bor. Riksnivån redovisas ofta per 100 000 invånare.",
    ),
]
INDICATOR_BY_ID: dict[str, dict] = {i["id"]: i for i in INDICATORS}

# ---------------------------------------------------------------------------------------------
# Parameters of the generated series
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """How one indicator's example series are generated.

    levels: area -> (value in 2015, change per year[, curvature per year squared]).
    sd: noise standard deviation (focus areas, Övriga Linköping/Riket).
    sex_diff: area -> women minus men (split indicators only).
    shock: year -> common shift (focus areas get FOCUS_SHOCK times it).
    step: rounding grid coarser than the decimals (e.g. 100 kronor).
    """

    levels: dict[str, tuple[float, ...]]
    sd: tuple[float, float]
    sex_diff: dict[str, float] = field(default_factory=dict)
    sex_sd: float = 0.3
    shock: dict[int, float] = field(default_factory=dict)
    step: float | None = None


FOCUS_SHOCK = 1.8


def _lv(berga, ryd, skaggetorp, rest, riket) -> dict[str, tuple[float, ...]]:
    return {BERGA: berga, RYD: ryd, SKAGGETORP: skaggetorp, REST: rest, NATION_AREA: riket}


def _sd(berga, ryd, skaggetorp, rest, riket) -> dict[str, float]:
    return {BERGA: berga, RYD: ryd, SKAGGETORP: skaggetorp, REST: rest, NATION_AREA: riket}


SERIES: dict[str, Series] = {
    "forvarvsfrekvens": Series(
        _lv((58.5, 0.40), (55.0, 0.35), (50.5, 0.55), (80.8, 0.15), (79.5, 0.22)),
        (0.8, 0.2),
        _sd(-6.0, -3.0, -9.0, -2.5, -3.5),
        0.8,
        {2020: -1.0, 2021: -0.5},
    ),
    "arbetsloshet": Series(
        _lv((8.6, 0.25), (6.2, 0.0), (17.2, 0.12), (3.5, -0.05), (5.6, -0.05)),
        (0.35, 0.1),
        _sd(-0.8, -0.6, -1.0, -0.3, -0.2),
        0.3,
        {2020: 0.6, 2021: 0.9, 2022: 0.4},
    ),
    "unga_uvas": Series(
        _lv((14.5, -0.2), (9.0, -0.05), (19.5, -0.3), (5.8, -0.05), (7.4, -0.05)),
        (1.0, 0.15),
        _sd(1.0, 0.6, 1.0, -0.4, -0.3),
        0.5,
        {2020: 0.8, 2021: 0.5},
    ),
    "lag_ekonomisk_standard": Series(
        _lv((32.0, 0.15), (37.0, 0.0), (44.0, 0.35), (12.0, 0.05), (14.0, 0.1)),
        (0.8, 0.15),
        _sd(1.2, 0.8, 1.2, 1.0, 1.0),
        0.4,
    ),
    "lag_ekonomisk_standard_barn": Series(
        _lv((44.0, 0.1), (43.0, 0.0), (58.0, 0.35), (11.5, -0.05), (19.5, -0.1)), (1.2, 0.2)
    ),
    "ekonomiskt_bistand": Series(
        _lv((11.8, -0.3), (7.0, -0.18), (23.0, -0.65), (2.2, -0.05), (4.4, -0.1)),
        (0.5, 0.05),
        _sd(0.3, 0.2, 0.4, 0.2, 0.1),
        0.15,
    ),
    "medianinkomst_hushall": Series(
        _lv((258000, 7000), (188000, 5000), (228000, 6000), (352000, 10500), (320000, 9500)), (3000, 1500), step=100
    ),
    "eftergymnasial_utbildning": Series(
        _lv((33.0, 0.35), (46.0, 0.3), (24.0, 0.4), (55.0, 0.5), (42.5, 0.5)),
        (0.7, 0.15),
        _sd(5.0, 4.0, 3.0, 11.0, 12.0),
        0.6,
    ),
    "forgymnasial_utbildning": Series(
        _lv((24.0, -0.3), (16.0, -0.2), (34.0, -0.35), (7.5, -0.15), (11.0, -0.2)),
        (0.6, 0.1),
        _sd(2.5, 1.5, 2.5, -1.8, -2.0),
        0.4,
    ),
    "behorighet_yrkesprogram": Series(
        _lv((72.0, 0.4), (78.0, 0.1), (62.0, 0.7), (91.0, 0.0), (84.5, -0.1)),
        (3.0, 0.5),
        _sd(3.0, 3.0, 3.0, 2.0, 2.5),
        1.5,
    ),
    "meritvarde": Series(
        _lv((192.0, 1.0), (204.0, 0.6), (172.0, 1.6), (238.0, 0.5), (224.0, 0.8)),
        (5.0, 1.0),
        _sd(22.0, 22.0, 22.0, 20.0, 21.0),
        3.0,
    ),
    "forskola": Series(_lv((78.0, 0.8), (80.0, 0.6), (70.0, 1.2), (94.0, 0.1), (94.5, 0.05)), (1.2, 0.2)),
    "trangbodda_hushall": Series(_lv((18.0, 0.2), (11.0, 0.05), (26.5, 0.35), (4.8, 0.0), (6.8, 0.05)), (0.5, 0.1)),
    "trangbodda_hushall_barn": Series(_lv((48.5, 0.5), (50.0, 0.7), (68.0, 0.6), (12.0, 0.1), (17.0, 0.1)), (1.2, 0.2)),
    "hyresratter": Series(_lv((74.0, -0.3), (91.0, -0.1), (88.0, -0.15), (45.5, -0.1), (38.0, -0.05)), (0.4, 0.1)),
    "folkmangd": Series(
        _lv((6300, 25), (8900, 25), (9700, 50), (127400, 2900, -130), (9850000, 90000, -2000)), (25.0, 150.0)
    ),
    "utrikes_fodda": Series(
        _lv((36.0, 0.55), (37.5, 0.6), (51.0, 0.7), (12.0, 0.3), (17.0, 0.38)),
        (0.6, 0.1),
        _sd(0.5, 0.5, 0.5, 0.8, 0.5),
        0.3,
    ),
    "utlandsk_bakgrund": Series(_lv((45.0, 0.6), (49.0, 0.8), (61.0, 0.8), (15.5, 0.35), (22.5, 0.52)), (0.6, 0.1)),
    "befolkning_0_19": Series(_lv((27.0, 0.05), (19.5, 0.0), (31.0, 0.1), (22.8, -0.05), (22.9, 0.0)), (0.4, 0.05)),
    "befolkning_65": Series(_lv((17.5, 0.1), (7.5, 0.05), (12.5, 0.05), (18.0, 0.1), (19.8, 0.1)), (0.3, 0.05)),
    "valdeltagande_kommunval": Series(
        _lv((77.9, -0.625), (73.6, -0.875), (67.5, -1.5), (88.8, -0.4), (86.7, -0.875)),
        (1.0, 0.2),
        _sd(3.0, 3.0, 3.0, 2.5, 2.5),
        0.8,
    ),
    "valdeltagande_riksdagsval": Series(
        _lv((83.25, -0.75), (80.0, -1.0), (75.75, -2.25), (93.525, -0.675), (89.45, -0.75)), (1.0, 0.2)
    ),
    "ohalsotal": Series(
        _lv((33.0, -0.7), (17.0, -0.3), (38.0, -0.9), (21.5, -0.45), (28.0, -0.75)),
        (1.0, 0.2),
        _sd(10.0, 6.0, 10.0, 9.5, 10.0),
        0.8,
        {2020: 0.6, 2021: 0.4},
    ),
    "otrygghet_kvall": Series(
        _lv((33.0, -0.5), (29.0, 0.5), (46.0, -0.9), (18.5, 0.0), (28.5, -0.3)),
        (2.0, 0.5),
        _sd(16.0, 16.0, 16.0, 15.0, 16.0),
        2.0,
    ),
    "anmalda_brott": Series(_lv((104.0, -1.2), (98.0, 1.2), (142.0, -3.0), (96.0, -1.3), (150.0, -2.0)), (5.0, 1.5)),
}

# Share of women in the generated areas (population).
FEMALE_SHARE = {BERGA: 0.500, RYD: 0.460, SKAGGETORP: 0.490, REST: 0.4915, NATION_AREA: 0.4975}

# ---------------------------------------------------------------------------------------------
# Published figures: reading and classifying the reference list
# ---------------------------------------------------------------------------------------------

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


def reference_path() -> Path:
    """The reference list: the repository copy in data/ when present, else the shared file."""
    return LOCAL_REFERENCE if LOCAL_REFERENCE.exists() else SHARED_REFERENCE


def read_reference(path: Path | None = None) -> list[RealFigure]:
    """All rows of the reference list, with their line numbers."""
    path = path or reference_path()
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
        unit = INDICATOR_BY_ID[ind]["unit"]
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
        if fig.sex != TOTAL and not INDICATOR_BY_ID[ind]["_split"]:
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
    if not year:
        return None, "Inget år angivet"
    if not year.isdigit():
        return None, f"Avser en period ({year}), inte ett år"
    y = int(year)
    if y < FIRST_YEAR or y > LAST_YEAR:
        return y, f"Utanför åren {FIRST_YEAR}–{LAST_YEAR}"
    return y, None


def _is_approximate(fig: RealFigure) -> bool:
    return bool(_APPROXIMATE.search(fig.definition.lower()))


def _domain(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _is_municipal(url: str) -> bool:
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
    return len(text.split(".", 1)[1]) if "." in text else 0


def _fmt(value: float, decimals: int) -> str:
    """A number the Swedish way: decimal comma, space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


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
            decimals = int(INDICATOR_BY_ID[ind]["decimals"])
            rec["used_value"] = round(value, decimals)
            candidates.setdefault((fig.area, ind, year, fig.sex), []).append(rec)

    chosen: dict[tuple[str, str, int, str], dict] = {}
    for key, recs in candidates.items():
        ranked = sorted(recs, key=_source_rank)
        winner = ranked[0]
        decimals = int(INDICATOR_BY_ID[key[1]]["decimals"])
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
                    f"Motstridig uppgift: {_fmt(winner['used_value'], decimals)} från "
                    f"{_domain(winner['source_url'])} används ({why})"
                )
    return records, chosen


# ---------------------------------------------------------------------------------------------
# Generating the series
# ---------------------------------------------------------------------------------------------


def _residual_curve(years: np.ndarray, points: dict[int, float]) -> np.ndarray:
    """Residuals at anchor years, interpolated linearly between and held constant beyond them."""
    if not points:
        return np.zeros(len(years))
    xs = sorted(points)
    return np.interp(years, xs, [points[x] for x in xs])


def _anchor(years: np.ndarray, gen: dict[str, np.ndarray], real: dict[str, dict[int, float]]) -> dict[str, np.ndarray]:
    """The generated series shifted by interpolated residuals so they pass through the published values."""
    idx = {int(y): i for i, y in enumerate(years)}
    out: dict[str, np.ndarray] = {}
    r_total = _residual_curve(years, {y: v - gen[TOTAL][idx[y]] for y, v in real.get(TOTAL, {}).items()})
    out[TOTAL] = gen[TOTAL] + r_total
    for sex in (WOMEN, MEN):
        if sex in gen:
            base = gen[sex] + r_total
            r_sex = _residual_curve(years, {y: v - base[idx[y]] for y, v in real.get(sex, {}).items()})
            out[sex] = base + r_sex
    for sex, pts in real.items():
        for y, v in pts.items():
            out[sex][idx[y]] = v
    return out


def _round(values: np.ndarray, decimals: int, step: float | None = None) -> np.ndarray:
    if step:
        return np.round(values / step) * step
    return np.round(values, decimals)


class _Generator:
    """Generates all observation series; keeps values, derived flags and published values apart."""

    def __init__(self, chosen: dict[tuple[str, str, int, str], dict]):
        self.rng = np.random.default_rng(SEED)
        self.chosen = chosen
        self.values: dict[tuple[str, str, str], np.ndarray] = {}
        self.derived: set[tuple[str, str]] = set()  # (area, indicator) whose non-published values are derived
        self.pop: dict[tuple[str, str], np.ndarray] = {}  # (area, sex) -> population by YEARS

    # -- helpers --------------------------------------------------------------------------------
    def real(self, area: str, ind: str) -> dict[str, dict[int, float]]:
        out: dict[str, dict[int, float]] = {}
        for (a, i, y, s), rec in self.chosen.items():
            if a == area and i == ind:
                out.setdefault(s, {})[y] = rec["used_value"]
        return out

    def noise(self, sd: float, n: int) -> np.ndarray:
        return self.rng.normal(0.0, sd, n)

    def curve(self, ind: str, area: str, years: np.ndarray) -> np.ndarray:
        spec = SERIES[ind]
        level, slope, *rest = spec.levels[area]
        curv = rest[0] if rest else 0.0
        t = years - FIRST_YEAR
        shock = np.array([spec.shock.get(int(y), 0.0) for y in years])
        mult = FOCUS_SHOCK if area in FOCUS_AREAS else 1.0
        sd = spec.sd[0] if area in FOCUS_AREAS else spec.sd[1]
        return level + slope * t + curv * t * t + shock * mult + self.noise(sd, len(years))

    def weights(self, area: str, sex: str, years: np.ndarray) -> np.ndarray:
        idx = [YEARS.index(int(y)) for y in years]
        return self.pop[(area, sex)][idx]

    # -- population -----------------------------------------------------------------------------
    def population(self) -> None:
        ind = "folkmangd"
        years = np.array(YEARS, dtype=float)
        gen_total: dict[str, np.ndarray] = {}
        for area in GENERATED_AREAS:
            gen_total[area] = np.round(self.curve(ind, area, years))
        for area in (*FOCUS_AREAS, NATION_AREA):
            real = self.real(area, ind)
            total = np.round(_anchor(years, {TOTAL: gen_total[area]}, {TOTAL: real.get(TOTAL, {})})[TOTAL])
            women = np.round(total * FEMALE_SHARE[area])
            self._set_counts(area, total, women, total - women)
        # Linköping: the sum of its parts, anchored to published totals; Övriga Linköping derived.
        gen_muni = sum(self.values[(a, ind, TOTAL)] for a in FOCUS_AREAS) + gen_total[REST]
        gen_women = sum(self.values[(a, ind, WOMEN)] for a in FOCUS_AREAS) + np.round(
            gen_total[REST] * FEMALE_SHARE[REST]
        )
        real = self.real(MUNI, ind)
        muni = np.round(_anchor(years, {TOTAL: gen_muni}, {TOTAL: real.get(TOTAL, {})})[TOTAL])
        share_gen = gen_women / gen_muni
        idx = {y: i for i, y in enumerate(YEARS)}
        share_real = {y: v / muni[idx[y]] - share_gen[idx[y]] for y, v in real.get(WOMEN, {}).items()}
        share = share_gen + _residual_curve(years, share_real)
        women = np.round(muni * share)
        for y, v in real.get(WOMEN, {}).items():
            women[idx[y]] = v
        men = muni - women
        for y, v in real.get(MEN, {}).items():
            if men[idx[y]] != v:
                raise ValueError(f"published population of Linköping {y}: women + men != total")
        self._set_counts(MUNI, muni, women, men)
        self.derived.add((MUNI, ind))
        rest = {
            s: self.values[(MUNI, ind, s)] - sum(self.values[(a, ind, s)] for a in FOCUS_AREAS) for s in SPLIT_SEXES
        }
        self._set_counts(REST, rest[TOTAL], rest[WOMEN], rest[MEN])
        if real:
            self.derived.add((REST, ind))
        for area in AREA_NAMES:
            for sex in SPLIT_SEXES:
                self.pop[(area, sex)] = self.values[(area, ind, sex)].astype(float)

    def _set_counts(self, area: str, total: np.ndarray, women: np.ndarray, men: np.ndarray) -> None:
        for sex, v in ((TOTAL, total), (WOMEN, women), (MEN, men)):
            self.values[(area, "folkmangd", sex)] = np.asarray(v, dtype=float)

    # -- shares, rates and amounts --------------------------------------------------------------
    def indicator(self, ind: str) -> None:
        spec, meta = SERIES[ind], INDICATOR_BY_ID[ind]
        years = np.array(meta["_years"], dtype=float)
        sexes = SPLIT_SEXES if meta["_split"] else (TOTAL,)
        decimals = int(meta["decimals"])
        lo, hi = (0.1, 99.9) if meta["unit"] == "procent" else (0.0, np.inf)

        for area in GENERATED_AREAS:
            total = self.curve(ind, area, years)
            gen = {TOTAL: total}
            if meta["_split"]:
                diff = spec.sex_diff[area] + self.noise(spec.sex_sd, len(years))
                f = self.weights(area, WOMEN, years) / self.weights(area, TOTAL, years)
                gen[WOMEN] = total + (1 - f) * diff
                gen[MEN] = total - f * diff
            series = _anchor(years, gen, self.real(area, ind))
            for sex in sexes:
                self.values[(area, ind, sex)] = _round(np.clip(series[sex], lo, hi), decimals, spec.step)

        # Linköping: population-weighted mean of its parts, anchored to published values.
        gen_muni = {}
        for sex in sexes:
            w = {a: self.weights(a, sex, years) for a in PARTS}
            gen_muni[sex] = sum(w[a] * self.values[(a, ind, sex)] for a in PARTS) / sum(w.values())
        real = self.real(MUNI, ind)
        muni = _anchor(years, gen_muni, real)
        self.derived.add((MUNI, ind))
        for sex in sexes:
            self.values[(MUNI, ind, sex)] = _round(np.clip(muni[sex], lo, hi), decimals, spec.step)
        if real:
            # Övriga Linköping follows from Linköping and the focus areas.
            self.derived.add((REST, ind))
            for sex in sexes:
                w_muni = self.weights(MUNI, sex, years)
                focus = sum(self.weights(a, sex, years) * self.values[(a, ind, sex)] for a in FOCUS_AREAS)
                rest = (self.values[(MUNI, ind, sex)] * w_muni - focus) / self.weights(REST, sex, years)
                self.values[(REST, ind, sex)] = _round(np.clip(rest, lo, hi), decimals, spec.step)

    def age_remainder(self) -> None:
        """The share 20–64 years as 100 minus the shares 0–19 and 65+ (so the three add up to 100)."""
        for area in AREA_NAMES:
            young = self.values[(area, "befolkning_0_19", TOTAL)]
            old = self.values[(area, "befolkning_65", TOTAL)]
            self.values[(area, "befolkning_20_64", TOTAL)] = np.round(100.0 - young - old, 1)
        self.derived.add((MUNI, "befolkning_20_64"))

    def run(self) -> None:
        self.population()
        for meta in INDICATORS:
            ind = meta["id"]
            if ind in ("folkmangd", "befolkning_20_64"):
                continue
            self.indicator(ind)
        self.age_remainder()

    # -- output ---------------------------------------------------------------------------------
    def observations(self) -> pd.DataFrame:
        rows = []
        for meta in INDICATORS:
            ind = meta["id"]
            sexes = SPLIT_SEXES if meta["_split"] else (TOTAL,)
            for area in AREA_NAMES:
                for sex in sexes:
                    values = self.values[(area, ind, sex)]
                    for y, v in zip(meta["_years"], values):
                        rec = self.chosen.get((area, ind, y, sex))
                        if rec is not None:
                            value, source, note = rec["used_value"], rec["source_url"], rec["note"]
                            if abs(value - v) > 1e-9:
                                raise AssertionError(f"published value not kept: {area} {ind} {y} {sex}")
                        else:
                            value, source = float(v), EXAMPLE_SOURCE
                            note = DERIVED_NOTE if (area, ind) in self.derived else ""
                        if meta["decimals"] == 0:
                            value = float(round(value))
                        rows.append(
                            {
                                "area": area,
                                "indicator": ind,
                                "year": y,
                                "sex": sex,
                                "value": float(value),
                                "source": source,
                                "note": note,
                            }
                        )
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Actions, targets and area texts (examples)
# ---------------------------------------------------------------------------------------------

KLF = "Kommunledningsförvaltningen"
UF = "Utbildningsförvaltningen"
SOC = "Socialförvaltningen"
KOF = "Kultur- och fritidsförvaltningen"
AVF = "Arbetsmarknads- och välfärdsförvaltningen"
SBF = "Samhällsbyggnadsförvaltningen"
STANGASTADEN = "Stångåstaden (bostadsbolag)"
ALL3 = "Berga;Ryd;Skäggetorp"

# id, title, theme, responsible, areas, start, end, status, comment, indicators
ACTIONS: list[tuple[str, ...]] = [
    (
        "A01",
        "Trygghetsvandringar med boende, polis och fastighetsägare",
        "trygghet",
        KLF,
        ALL3,
        "2021-03-01",
        "2026-12-31",
        "Pågår",
        "Vandringar genomförs vår och höst; synpunkterna följs upp med fastighetsägarna.",
        "otrygghet_kvall",
    ),
    (
        "A02",
        "Bättre belysning längs gång- och cykelvägar",
        "trygghet",
        SBF,
        "Skäggetorp;Ryd",
        "2021-05-01",
        "2023-10-31",
        "Genomförd",
        "Ny belysning på de sträckor som pekades ut vid trygghetsvandringarna.",
        "otrygghet_kvall",
    ),
    (
        "A03",
        "Nattvandring med föräldrar och föreningar",
        "trygghet",
        SOC,
        "Skäggetorp;Berga",
        "2021-09-01",
        "2025-06-30",
        "Pågår",
        "Svårt att rekrytera vuxna till helgkvällar; fortsätter i mindre omfattning.",
        "otrygghet_kvall",
    ),
    (
        "A04",
        "Fältassistenter på kvällar och helger",
        "trygghet",
        SOC,
        ALL3,
        "2021-01-15",
        "2026-12-31",
        "Pågår",
        "Fältgruppen har utökats med kvällstid i Ryd.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A05",
        "Medborgarlöfte tillsammans med polisen",
        "trygghet",
        KLF,
        SKAGGETORP,
        "2022-01-01",
        "2024-12-31",
        "Genomförd",
        "Löftet har följts upp årligen med polisen och ersatts av ett nytt.",
        "anmalda_brott;otrygghet_kvall",
    ),
    (
        "A06",
        "Samverkan skola, socialtjänst, polis och fritid (SSPF)",
        "trygghet",
        SOC,
        ALL3,
        "2021-02-01",
        "2026-12-31",
        "Pågår",
        "Fler unga har fångats upp tidigt genom gemensamma möten.",
        "anmalda_brott;unga_uvas",
    ),
    (
        "A07",
        "Platssamverkan med fastighetsägare i Ryds centrum",
        "trygghet",
        STANGASTADEN,
        RYD,
        "2023-01-01",
        "2026-06-30",
        "Pågår",
        "Avtalet mellan fastighetsägarna väntar på förlängning.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A08",
        "Trygghetsskapande åtgärder i den fysiska miljön",
        "trygghet",
        SBF,
        BERGA,
        "2024-03-01",
        "2025-12-31",
        "Försenad",
        "Upphandlingen av markarbeten har dragit ut på tiden.",
        "otrygghet_kvall",
    ),
    (
        "A09",
        "Mötesplatser för föräldrar på biblioteket",
        "gemenskap",
        KOF,
        SKAGGETORP,
        "2021-02-01",
        "2026-12-31",
        "Pågår",
        "Träffarna är välbesökta; fler språk efterfrågas.",
        "forskola;utrikes_fodda",
    ),
    (
        "A10",
        "Språkcafé och samhällsorientering för vuxna",
        "gemenskap",
        KOF,
        ALL3,
        "2021-09-01",
        "2024-06-30",
        "Genomförd",
        "Verksamheten drivs vidare av föreningar med kommunalt stöd.",
        "forvarvsfrekvens",
    ),
    (
        "A11",
        "Demokratiambassadörer inför valet 2022",
        "gemenskap",
        KLF,
        ALL3,
        "2022-02-01",
        "2022-09-30",
        "Genomförd",
        "Ambassadörer informerade om hur man röstar på flera språk.",
        "valdeltagande_kommunval;valdeltagande_riksdagsval",
    ),
    (
        "A12",
        "Stöd till föreningsdrivna mötesplatser",
        "gemenskap",
        KOF,
        "Berga;Skäggetorp",
        "2022-01-01",
        "2026-12-31",
        "Pågår",
        "Två nya föreningar har fått lokalstöd.",
        "otrygghet_kvall",
    ),
    (
        "A13",
        "Hyresgästdialoger och boinflytande",
        "gemenskap",
        STANGASTADEN,
        "Berga;Skäggetorp",
        "2021-04-01",
        "2023-12-31",
        "Genomförd",
        "Dialogerna har lett till nya odlingslotter och en lekplats.",
        "trangbodda_hushall",
    ),
    (
        "A14",
        "Hälsokommunikatörer i stadsdelen",
        "gemenskap",
        SOC,
        "Skäggetorp;Berga",
        "2022-09-01",
        "2025-12-31",
        "Pågår",
        "Projektmedlen är slut; beslut om fortsatt finansiering saknas.",
        "ohalsotal",
    ),
    (
        "A15",
        "Stadsdelsfest i samarbete med föreningslivet",
        "gemenskap",
        KOF,
        BERGA,
        "2021-05-01",
        "2021-08-31",
        "Avbruten",
        "Ställdes in på grund av pandemirestriktionerna.",
        "otrygghet_kvall",
    ),
    (
        "A16",
        "Demokratiambassadörer inför valet 2026",
        "gemenskap",
        KLF,
        ALL3,
        "2026-02-01",
        "2026-09-30",
        "Genomförd",
        "Upplägget från 2022 upprepades med fler ambassadörer.",
        "valdeltagande_kommunval;valdeltagande_riksdagsval",
    ),
    (
        "A17",
        "Sommarlovsentreprenörer i Skäggetorp",
        "arbete",
        AVF,
        SKAGGETORP,
        "2021-06-01",
        "2025-08-31",
        "Genomförd",
        "Ett fyrtiotal ungdomar har deltagit varje sommar.",
        "unga_uvas",
    ),
    (
        "A18",
        "Feriearbeten för ungdomar i fokusområdena",
        "arbete",
        AVF,
        ALL3,
        "2021-06-01",
        "2026-08-31",
        "Genomförd",
        "Sommarens platser är tillsatta; fler privata arbetsgivare behövs.",
        "unga_uvas;forvarvsfrekvens",
    ),
    (
        "A19",
        "Lokalt jobbtorg i stadsdelen",
        "arbete",
        AVF,
        "Skäggetorp;Berga",
        "2022-01-01",
        "2026-12-31",
        "Pågår",
        "Öppet två dagar i veckan tillsammans med Arbetsförmedlingen.",
        "arbetsloshet;forvarvsfrekvens",
    ),
    (
        "A20",
        "Språk och praktik för utrikes födda kvinnor",
        "arbete",
        AVF,
        ALL3,
        "2021-09-01",
        "2024-12-31",
        "Pågår",
        "Slutrapporten är försenad; deltagarna följs upp under våren.",
        "forvarvsfrekvens;arbetsloshet;ekonomiskt_bistand",
    ),
    (
        "A21",
        "Sociala krav vid upphandling av renoveringar",
        "arbete",
        STANGASTADEN,
        "Skäggetorp;Ryd",
        "2022-03-01",
        "2026-12-31",
        "Pågår",
        "Krav på lokala praktikplatser finns i två pågående upphandlingar.",
        "arbetsloshet",
    ),
    (
        "A22",
        "Uppsökande arbete för unga som varken arbetar eller studerar",
        "arbete",
        UF,
        ALL3,
        "2021-01-01",
        "2026-12-31",
        "Pågår",
        "Kontakt har tagits med de flesta unga inom det kommunala aktivitetsansvaret.",
        "unga_uvas",
    ),
    (
        "A23",
        "Näringslivsnätverk för praktikplatser",
        "arbete",
        KLF,
        ALL3,
        "2023-01-01",
        "2025-06-30",
        "Försenad",
        "Nätverket har startat men färre företag än planerat deltar.",
        "forvarvsfrekvens;arbetsloshet",
    ),
    (
        "A24",
        "Yrkesutbildning med språkstöd inom vuxenutbildningen",
        "arbete",
        UF,
        ALL3,
        "2021-08-15",
        "2026-06-30",
        "Genomförd",
        "Utbildningarna inom vård och omsorg fortsätter i ordinarie regi.",
        "forgymnasial_utbildning;forvarvsfrekvens",
    ),
    (
        "A25",
        "Mentorprogram för nyanlända akademiker",
        "arbete",
        AVF,
        RYD,
        "2022-09-01",
        "2025-12-31",
        "Vilande",
        "Pausat i väntan på ny samarbetspart.",
        "forvarvsfrekvens",
    ),
    (
        "A26",
        "Språkstöd i förskolan",
        "utbildning",
        UF,
        ALL3,
        "2021-01-01",
        "2026-12-31",
        "Pågår",
        "Språkutvecklare stöttar alla förskolor i områdena.",
        "forskola;behorighet_yrkesprogram",
    ),
    (
        "A27",
        "Uppsökande verksamhet för fler barn i förskolan",
        "utbildning",
        UF,
        "Skäggetorp;Berga",
        "2021-03-01",
        "2023-12-31",
        "Genomförd",
        "Arbetssättet ingår nu i den ordinarie verksamheten.",
        "forskola",
    ),
    (
        "A28",
        "Läxhjälp på biblioteken",
        "utbildning",
        KOF,
        ALL3,
        "2021-01-15",
        "2026-12-31",
        "Pågår",
        "Volontärer från universitetet medverkar i Ryd.",
        "meritvarde;behorighet_yrkesprogram",
    ),
    (
        "A29",
        "Utökad lovskola för årskurs 8 och 9",
        "utbildning",
        UF,
        ALL3,
        "2021-06-01",
        "2024-08-31",
        "Genomförd",
        "Lovskolan ingår nu i skolornas ordinarie planering.",
        "behorighet_yrkesprogram;meritvarde",
    ),
    (
        "A30",
        "Studiehandledning på modersmål",
        "utbildning",
        UF,
        "Skäggetorp;Berga",
        "2022-08-15",
        "2026-06-30",
        "Genomförd",
        "Ingår nu i ordinarie verksamhet; brist på handledare i vissa språk.",
        "meritvarde;behorighet_yrkesprogram",
    ),
    (
        "A31",
        "Föräldrautbildning om skolsystemet",
        "utbildning",
        UF,
        SKAGGETORP,
        "2026-09-01",
        "2026-12-31",
        "Ej påbörjad",
        "Starten är flyttad till nästa läsår.",
        "behorighet_yrkesprogram",
    ),
    (
        "A32",
        "Tidiga insatser vid hög frånvaro i skolan",
        "utbildning",
        SOC,
        ALL3,
        "2023-08-15",
        "2025-12-31",
        "Pågår",
        "Rutinen är framtagen; uppföljningen av frånvaron återstår.",
        "behorighet_yrkesprogram;unga_uvas",
    ),
    (
        "A33",
        "Spontanidrottsplats i Berga",
        "fritid",
        SBF,
        BERGA,
        "2022-04-01",
        "2023-09-30",
        "Genomförd",
        "Platsen invigdes och används flitigt på kvällarna.",
        "otrygghet_kvall",
    ),
    (
        "A34",
        "Fritidsbank med lån av sport- och fritidsutrustning",
        "fritid",
        KOF,
        SKAGGETORP,
        "2021-10-01",
        "2026-12-31",
        "Pågår",
        "Utlåningen ökar varje år.",
        "lag_ekonomisk_standard_barn",
    ),
    (
        "A35",
        "Avgiftsfria lovaktiviteter för barn och unga",
        "fritid",
        KOF,
        ALL3,
        "2021-06-01",
        "2026-12-31",
        "Pågår",
        "Statsbidraget för lovaktiviteter har minskat.",
        "lag_ekonomisk_standard_barn",
    ),
    (
        "A36",
        "Förlängda öppettider på fritidsgården i Ryd",
        "fritid",
        KOF,
        RYD,
        "2023-01-01",
        "2024-12-31",
        "Avbruten",
        "Avbröts när lokalen behövdes för annan verksamhet.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A37",
        "Kulturskolans kurser i stadsdelen",
        "fritid",
        KOF,
        "Berga;Ryd",
        "2022-08-15",
        "2026-06-30",
        "Genomförd",
        "Kurserna i dans och musik fortsätter med ordinarie finansiering.",
        "meritvarde",
    ),
    (
        "A38",
        "Föreningslyft – fler ledare i idrottsföreningarna",
        "fritid",
        KOF,
        ALL3,
        "2024-01-01",
        "2026-12-31",
        "Vilande",
        "Pausat under omorganisationen av föreningsstödet.",
        "otrygghet_kvall",
    ),
    (
        "A39",
        "Simskola för barn och vuxna",
        "fritid",
        KOF,
        "Skäggetorp;Berga",
        "2021-05-01",
        "2026-12-31",
        "Pågår",
        "Särskilda grupper för kvinnor har startat.",
        "ohalsotal",
    ),
    (
        "A40",
        "Aktivitetspark vid Ryds centrum",
        "fritid",
        SBF,
        RYD,
        "2026-10-01",
        "2026-12-31",
        "Ej påbörjad",
        "Bygglovet är beviljat; byggstart väntar på upphandling.",
        "otrygghet_kvall",
    ),
    (
        "A41",
        "Utvärdering av åtgärdsplanen inför nästa plan",
        "gemenskap",
        KLF,
        ALL3,
        "2026-12-01",
        "2026-12-31",
        "Ej påbörjad",
        "Uppdraget är beställt av kommundirektören.",
        "forvarvsfrekvens",
    ),
]

# area, indicator, base_year, target_year, target_value
TARGETS: list[tuple] = [
    (SKAGGETORP, "forvarvsfrekvens", 2020, 2026, 60.0),
    (BERGA, "forvarvsfrekvens", 2020, 2026, 65.0),
    (RYD, "forvarvsfrekvens", 2020, 2026, 62.0),
    (SKAGGETORP, "ekonomiskt_bistand", 2020, 2026, 14.0),
    (BERGA, "ekonomiskt_bistand", 2020, 2026, 7.0),
    (BERGA, "arbetsloshet", 2020, 2026, 8.0),
    (RYD, "unga_uvas", 2020, 2026, 7.0),
    (SKAGGETORP, "behorighet_yrkesprogram", 2020, 2030, 80.0),
    (BERGA, "behorighet_yrkesprogram", 2020, 2030, 85.0),
    (SKAGGETORP, "forskola", 2020, 2026, 85.0),
    (SKAGGETORP, "trangbodda_hushall", 2020, 2030, 22.0),
    (RYD, "otrygghet_kvall", 2020, 2026, 25.0),
]

_EX = "Exempeltext: "
AREA_TEXTS: dict[str, dict[str, str]] = {
    BERGA: {
        "Områdesbeskrivning": "Berga ligger i södra Linköping och byggdes till största delen under 1960-talet. "
        "Bebyggelsen består främst av flerbostadshus med hyresrätter, där det kommunala bostadsbolaget är en stor "
        "fastighetsägare, och av några kvarter med radhus. Ett mindre centrum med butiker och service finns mitt i "
        "området, och bussarna har täta turer till innerstaden.",
        "Aktörer": "I Berga finns förskolor, en grundskola, en fritidsgård och ett bibliotek. Bostadsbolaget har ett "
        "lokalt kontor och samverkar med kommunen om trygghet och boinflytande. Idrottsföreningar, kulturföreningar "
        "och trossamfund driver verksamhet för barn, unga och vuxna.",
        "Utmaningar": "Andelen förvärvsarbetande är lägre och andelen med ekonomiskt bistånd högre än i övriga "
        "Linköping. Arbetslösheten har ökat under senare år. Många barnfamiljer bor trångt, och en del elever "
        "lämnar grundskolan utan behörighet till gymnasiet.",
        "Styrkor": "Berga har ett engagerat föreningsliv och en stark lokal identitet. Närheten till natur och "
        "grönområden uppskattas av de boende. Många invånare har bott länge i området och har ett brett kontaktnät.",
        "Skyddsfaktorer": "En förskola och skola med goda resultat, en meningsfull fritid och vuxna som finns "
        "närvarande i området är viktiga skyddsfaktorer. Föräldrars anknytning till arbetsmarknaden och stabila "
        "boendeförhållanden minskar risken för att barn växer upp i ekonomisk utsatthet.",
    },
    RYD: {
        "Områdesbeskrivning": "Ryd ligger i västra Linköping nära universitetets campus och byggdes främst under "
        "1970-talet. Nästan alla bostäder är hyreslägenheter i flerbostadshus, och en stor del av dem hyrs ut till "
        "studenter. Ryds centrum har butiker, vårdcentral och bibliotek, och området har goda förbindelser till "
        "campus och innerstaden.",
        "Aktörer": "I Ryd finns förskolor, grundskolor, en fritidsgård och ett bibliotek. Kommunens bostadsbolag och "
        "studentbostadsföretag äger de flesta bostäderna. Universitetet, studentföreningar och idrottsföreningar är "
        "viktiga aktörer i stadsdelen.",
        "Utmaningar": "Många invånare bor i området en kort tid, vilket gör det svårare att bygga långsiktiga "
        "relationer. Otryggheten på kvällstid och antalet anmälda brott har ökat. Andelen barn i hushåll med låg "
        "ekonomisk standard är hög, och många barnfamiljer bor trångt.",
        "Styrkor": "Närheten till universitetet ger tillgång till utbildning, volontärer och en ung befolkning. "
        "Centrum och kollektivtrafiken är lättillgängliga. Området har gott om grönytor och platser för idrott och "
        "lek.",
        "Skyddsfaktorer": "Läxhjälp, fritidsaktiviteter och goda förebilder bland unga vuxna stärker barns och "
        "ungas skolgång. Samverkan mellan fastighetsägare, skola, socialtjänst och polis gör att problem upptäcks "
        "tidigt. Ett levande centrum med många människor i rörelse ökar tryggheten.",
    },
    SKAGGETORP: {
        "Områdesbeskrivning": "Skäggetorp ligger i norra Linköping och byggdes till största delen under "
        "miljonprogrammets år kring 1970. Bebyggelsen består främst av flerbostadshus med hyresrätter, och det "
        "kommunala bostadsbolaget är en stor fastighetsägare. I Skäggetorps centrum finns handel, bibliotek och "
        "service, och området har täta bussförbindelser till innerstaden.",
        "Aktörer": "I Skäggetorp finns förskolor, grundskolor, bibliotek, fritidsgård och en öppen förskola. "
        "Bostadsbolaget, polisen och kommunens förvaltningar samverkar i ett lokalt trygghetsarbete. Många "
        "föreningar och trossamfund driver verksamhet som läxhjälp, idrott och mötesplatser för vuxna.",
        "Utmaningar": "Andelen förvärvsarbetande är betydligt lägre och andelen med ekonomiskt bistånd betydligt "
        "högre än i övriga Linköping. Trångboddheten är hög, särskilt bland barnfamiljer. Många elever lämnar "
        "grundskolan utan behörighet till gymnasiet, och otryggheten på kvällstid är högre än i staden som helhet.",
        "Styrkor": "Befolkningen är ung och många invånare talar flera språk. Föreningslivet är aktivt och centrum "
        "fungerar som en naturlig mötesplats. Närheten till arbetsplatser i norra Linköping och goda kommunikationer "
        "är en tillgång.",
        "Skyddsfaktorer": "Förskola för alla barn, en fungerande skola och en meningsfull fritid är viktiga "
        "skyddsfaktorer för barn och unga. Vuxna som rör sig i området på kvällarna och föräldrar med arbete stärker "
        "tryggheten. Samverkan mellan skola, socialtjänst, polis och fritid fångar upp unga i riskzonen tidigt.",
    },
}


def _actions_frame() -> pd.DataFrame:
    cols = ("id", "title", "theme", "responsible", "areas", "start", "end", "status", "comment", "indicators")
    rows = [dict(zip(cols, a), source=EXAMPLE_SOURCE) for a in ACTIONS]
    return pd.DataFrame(rows)


FOLLOWUP_YEARS: tuple[int, ...] = tuple(range(2021, 2026))
# The follow-up year from which a paused (Vilande) action was reported as paused.
PAUSED_FROM: dict[str, int] = {"A25": 2024, "A38": 2025}
# Actions not yet started that were already in the plan at a follow-up, with the comment then.
PLANNED: dict[tuple[str, int], str] = {
    ("A31", 2025): "Planeras till hösten 2026.",
    ("A40", 2025): "Projekteringen pågår; byggstart planeras hösten 2026.",
}


def _followup_status(status: str, end_year: int, action: str, year: int) -> str:
    """The status an action had at the follow-up of a year, given its current status and end year.

    Finished and cancelled actions were ongoing until their end year; paused ones until PAUSED_FROM; actions
    marked Försenad were reported late in their end year. Ongoing actions stay Pågår: the dashboard derives
    Försenad from the end date itself.
    """
    if status in ("Genomförd", "Avbruten", "Försenad"):
        return status if year >= end_year else "Pågår"
    if status == "Vilande":
        return status if year >= PAUSED_FROM[action] else "Pågår"
    return "Pågår"


def _followup_comment(status: str, first: bool, last: bool, changed: bool, action_comment: str) -> str:
    """The comment of one example follow-up: the action's own comment at the latest one or when it changed."""
    if last or (changed and status != "Pågår"):
        return action_comment
    if status == "Vilande":
        return "Fortfarande vilande."
    return "Arbetet har startat." if first else "Arbetet fortsätter enligt plan."


def _followups_frame() -> pd.DataFrame:
    """Example follow-ups 2021–2025 of every action, consistent with its dates and current status.

    An action is followed up from its start year; a finished or cancelled one for the last time the year it
    closed (later follow-ups no longer list it, as in the board's yearly reports).
    """
    rows = []
    for a in ACTIONS:
        action, start, end, status, comment = a[0], int(a[5][:4]), int(a[6][:4]), a[7], a[8]
        years = [y for y in FOLLOWUP_YEARS if y >= start or (action, y) in PLANNED]
        if status in ("Genomförd", "Avbruten"):
            years = [y for y in years if y <= end]
        previous = None
        for i, year in enumerate(years):
            if (action, year) in PLANNED:
                reported, text = "Ej påbörjad", PLANNED[(action, year)]
            else:
                reported = _followup_status(status, end, action, year)
                text = _followup_comment(reported, i == 0, i == len(years) - 1, reported != previous, comment)
            rows.append({"action": action, "year": year, "status": reported, "comment": text, "source": EXAMPLE_SOURCE})
            previous = reported
    return pd.DataFrame(rows)


def _targets_frame() -> pd.DataFrame:
    cols = ("area", "indicator", "base_year", "target_year", "target_value")
    return pd.DataFrame([dict(zip(cols, t), source=EXAMPLE_SOURCE) for t in TARGETS])


def _texts_frame() -> pd.DataFrame:
    rows = []
    for area in FOCUS_AREAS:
        for heading in TEXT_HEADINGS:
            rows.append(
                {"area": area, "heading": heading, "text": _EX + AREA_TEXTS[area][heading], "source": EXAMPLE_SOURCE}
            )
    return pd.DataFrame(rows)


def _indicators_frame() -> pd.DataFrame:
    rows = [{k: v for k, v in i.items() if not k.startswith("_")} for i in INDICATORS]
    return pd.DataFrame(rows + [KPI_ENTRY])


# The consumer price index, for amounts in fixed prices (analysis/measures/verdicts.py): SCB's published annual averages,
# read as they are from a verbatim copy of the reference file (data/kpi_arsmedel.csv, URL on every row). It is real
# data for Riket only, so it stays out of INDICATORS (whose series the generator fills for every area).
KPI_FILE = DATA_DIR / "kpi_arsmedel.csv"
KPI_ENTRY = {
    "id": "kpi",
    "name": "Konsumentprisindex (KPI), årsmedeltal",
    "theme": "ekonomi",
    "unit": "index",
    "direction": NEUTRAL,
    "decimals": 2,
    "key_figure": False,
    "definite": "konsumentprisindex",
    "definition": "Konsumentprisindex med 1980 = 100, fastställda årsmedeltal. Används för att räkna om belopp i "
    "kronor till fasta priser.",
    "source": "SCB, Konsumentprisindex (KPI), fastställda tal",
    "comparability": "Finns bara för riket.",
    "sex_words": "",
}


def _kpi_years() -> str:
    """The years the KPI file covers, e.g. '2015–2023'."""
    years = pd.read_csv(KPI_FILE)["year"].astype(int)
    return f"{years.min()}–{years.max()}"


def kpi_observations(path: Path = KPI_FILE) -> pd.DataFrame:
    """KPI 1980=100 per year for Riket, from the verbatim copy of SCB's annual averages (source URL per row)."""
    table = pd.read_csv(path)
    return pd.DataFrame(
        {
            "area": "Riket",
            "indicator": "kpi",
            "year": table["year"].astype(int),
            "sex": TOTAL,
            "value": table["kpi_1980_100"].astype(float),
            "source": table["source_url"],
            "note": "Publicerad uppgift: SCB, KPI 1980=100, fastställt årsmedeltal",
        }
    )


def _check_catalogue() -> None:
    """Fail early if the hand-written tables disagree with the model's vocabularies."""
    for i in INDICATORS:
        assert i["theme"] in THEMES and i["unit"] in UNITS, i["id"]
        assert i["id"] in SERIES or i["id"] == "befolkning_20_64", i["id"]
    for a in ACTIONS:
        assert a[2] in ACTION_THEMES and a[7] in ACTION_STATUSES, a[0]
        assert all(x in INDICATOR_BY_ID for x in a[9].split(";")), a[0]


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def build_default_dataset(reference: Path | None = None) -> tuple[Dataset, list[dict]]:
    """The default dataset and one record per published figure about our areas (used or not, and why)."""
    _check_catalogue()
    records, chosen = classify_reference(read_reference(reference))
    gen = _Generator(chosen)
    gen.run()
    observations = pd.concat([gen.observations(), kpi_observations()], ignore_index=True)
    observations = observations.sort_values(["indicator", "area", "sex", "year"], kind="stable")
    dataset = make_dataset(
        observations=observations,
        indicators=_indicators_frame(),
        areas=pd.DataFrame(AREAS),
        actions=_actions_frame(),
        action_followups=_followups_frame(),
        targets=_targets_frame(),
        area_texts=_texts_frame(),
    )
    return dataset, records


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value_text(rec: dict) -> str:
    return rec["value"].replace(".", ",")


def sources_markdown(dataset: Dataset, records: list[dict]) -> str:
    """KALLOR.md: how the default data was made, in Swedish."""
    obs = dataset.observations
    n_real = int((~example_mask(obs)).sum())
    n_derived = int((example_mask(obs) & (obs["note"] == DERIVED_NOTE)).sum())
    n_example = int(len(obs)) - n_real
    names = dict(zip(dataset.indicators["id"], dataset.indicators["name"]))
    used = sorted((r for r in records if r["used"]), key=lambda r: (r["indicator_id"], r["area"], r["year"], r["sex"]))
    unused = [r for r in records if not r["used"]]
    lines = [
        "# Källor till standarddatan",
        "",
        "Den här filen skapas av `data/make_default_data.py` tillsammans med `data/standarddata.xlsx`. "
        "Ändra inte filen för hand – kör skriptet igen (`python data/make_default_data.py`).",
        "",
        "## Så togs standarddatan fram",
        "",
        f"Standarddatan innehåller {len(dataset.indicators)} indikatorer för sex områden (Berga, Ryd, Skäggetorp, "
        f"Övriga Linköping, Linköping och Riket) och åren {FIRST_YEAR}–{LAST_YEAR}. Valdeltagandet finns bara för "
        "valåren 2018 och 2022. Bladet Data har "
        f"{_fmt(len(obs), 0)} värden: {n_real} är publicerade uppgifter och {_fmt(n_example, 0)} är påhittade "
        f"exempelvärden (varav {n_derived} härledda).",
        "",
        f"**Konsumentprisindex.** Indikatorn kpi har SCB:s fastställda årsmedeltal av KPI (1980 = 100) för riket "
        f"{_kpi_years()}, oförändrade från `data/kpi_arsmedel.csv` (en kopia av projektets referensfil, med SCB:s "
        "webbadress som källa på varje rad). Med dem jämförs inkomster i fasta priser. Årsmedeltalet för 2024 var "
        "inte publicerat i den kopia som lästes, så det finns inte med: jämförelser som når 2024 görs i löpande priser.",
        "",
        "**Publicerade uppgifter.** Listan `data/real_figures.csv` (en kopia av projektets referenslista) tar upp "
        "siffror som Linköpings kommun och andra har publicerat. En uppgift används när den gäller något av de sex "
        "områdena med samma avgränsning, mäter samma sak som en indikator i katalogen (samma nämnare och "
        "åldersgrupp), avser ett år mellan "
        f"{FIRST_YEAR} och {LAST_YEAR} och inte är ungefärligt formulerad. Den får då webbadressen som källa och "
        "en kort kommentar om var den kommer ifrån. Finns två uppgifter för samma område, indikator, år och kön "
        "används i första hand kommunens statistiksidor (Linköping i siffror), sedan kommunens övriga sidor "
        "(linkoping.se), sedan andra källor, och därefter värdet med flest decimaler. Värden "
        "med fler decimaler än indikatorn visar avrundas, och kommentaren anger det publicerade värdet. Några "
        "uppgifter kommer från andra källor än kommunen (Valmyndigheten, Newsworthy, Wikipedia, lokaltidning, "
        "kopior av kommunens sidor); det framgår av kommentaren.",
        "",
        f"**Exempelvärden.** Alla andra värden är påhittade och har källan *{EXAMPLE_SOURCE}*. De är framtagna "
        f"med en slumpgenerator med fast frö ({SEED}), så att samma fil skapas varje gång. För varje indikator "
        "och område finns en nivå för 2015, en årlig trend och ett litet slumpbrus, och för vissa indikatorer en "
        "gemensam förändring under pandemiåren. Nivåerna är valda så att de liknar Linköping: fokusområdena har "
        "tydligt sämre värden än övriga Linköping, vissa skillnader minskar långsamt och några ökar. Värden för "
        "kvinnor och män ligger kring totalen med realistiska skillnader (till exempel högre ohälsotal och lägre "
        "förvärvsfrekvens för kvinnor och högre meritvärde för flickor). För antal gäller kvinnor + män = totalt.",
        "",
        "**Anpassning till publicerade uppgifter.** Där en serie har publicerade värden flyttas de påhittade "
        "värdena med skillnaden mot det publicerade värdet, linjärt utjämnad mellan de publicerade åren, så att "
        "serien går genom de publicerade värdena utan hopp.",
        "",
        f"**Härledda värden** (kommentar *{DERIVED_NOTE}*). Linköping består av de tre fokusområdena och "
        "övriga Linköping. Folkmängden i Linköping är summan av delarna; för andelar och tal är Linköping ett "
        "befolkningsvägt medelvärde av delarna (en förenkling när nämnaren är hushåll eller vuxna). Där Linköping "
        "har publicerade värden räknas i stället Övriga Linköping fram ur Linköping och fokusområdena. Andelen "
        "20–64 år är 100 minus andelarna 0–19 år och 65 år och äldre.",
        "",
        f"**Åtgärder, uppföljningar, mål och områdestexter** är påhittade exempel (källa *{EXAMPLE_SOURCE}*). "
        f"Uppföljningarna {FOLLOWUP_YEARS[0]}–{FOLLOWUP_YEARS[-1]} (bladet Uppföljning) följer av åtgärdernas datum "
        "och nuvarande status, så att den senaste uppföljningen stämmer med bladet Åtgärder. Områdestexterna "
        "börjar med ”Exempeltext:” och ska ersättas med nulägesbildernas texter.",
        "",
        f"## Publicerade uppgifter som används ({len(used)})",
        "",
        "| Område | Indikator | År | Kön | Värde | Kommentar | Källa |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in used:
        decimals = int(INDICATOR_BY_ID[r["indicator_id"]]["decimals"])
        lines.append(
            f"| {_md(r['area'])} | {_md(names[r['indicator_id']])} | {r['year']} | {r['sex']} | "
            f"{_fmt(r['used_value'], decimals)} | {_md(r['note'])} | {_md(r['source_url'])} |"
        )
    lines += [
        "",
        f"## Publicerade uppgifter som inte används ({len(unused)})",
        "",
        "Uppgifter i referenslistan som gäller de sex områdena (eller som namnger dem men avser en annan "
        "avgränsning) men som inte används, med skälet. Rad = radnummer i `data/real_figures.csv`.",
        "",
        "| Rad | Område | Uppgift i källan | År | Värde | Enhet | Kön | Skäl | Källa |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in unused:
        lines.append(
            f"| {r['line']} | {_md(r['area'])} | {_md(r['indicator'])} | {_md(r['year']) or '–'} | "
            f"{_value_text(r)} | {_md(r['unit'])} | {r['sex']} | {_md(r['reason'])} | "
            f"{_md(r['source_url'])} |"
        )
    lines.append("")
    return "\n".join(lines)


def refresh_reference_copy() -> Path:
    """Copy the shared reference list verbatim into data/ (when the shared file is available)."""
    if SHARED_REFERENCE.exists():
        if not LOCAL_REFERENCE.exists() or LOCAL_REFERENCE.read_bytes() != SHARED_REFERENCE.read_bytes():
            shutil.copyfile(SHARED_REFERENCE, LOCAL_REFERENCE)
    if not LOCAL_REFERENCE.exists():
        raise FileNotFoundError(f"no reference list at {SHARED_REFERENCE} or {LOCAL_REFERENCE}")
    return LOCAL_REFERENCE


def main() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    refresh_reference_copy()
    dataset, records = build_default_dataset()
    WORKBOOK_PATH.write_bytes(dataset_to_workbook(dataset, title=WORKBOOK_TITLE))
    TEMPLATE_PATH.write_bytes(template_workbook(dataset))
    SOURCES_PATH.write_text(sources_markdown(dataset, records), encoding="utf-8")
    obs = dataset.observations
    n_real = int((~example_mask(obs)).sum())
    print(
        f"Skrev {WORKBOOK_PATH.relative_to(ROOT)}, {TEMPLATE_PATH.relative_to(ROOT)}, {LOCAL_REFERENCE.relative_to(ROOT)}, "
        f"{SOURCES_PATH.relative_to(ROOT)}"
    )
    print("Rader per tabell:", dataset.row_counts())
    print(f"Observationer: {len(obs)} ({n_real} publicerade, {len(obs) - n_real} exempelvärden)")
    print(f"Publicerade uppgifter om områdena: {len(records)} ({sum(r['used'] for r in records)} används)")


if __name__ == "__main__":
    main()
