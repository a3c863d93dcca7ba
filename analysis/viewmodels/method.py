"""The method ("Så räknar vi"), in Swedish, generated from the constants the code uses, so it cannot drift.

The page views/metod.py shows these sections and the README carries the same text between its markers
(`python -m analysis method` prints it; a test compares). Every number and word below is read from the module that
applies it: verdicts (gaps, thresholds, words, prices), compare (baseline years), followup (target attainment),
model (example values) and presentation (symbols and tones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.core.model import EXAMPLE_SOURCE, PERCENT
from analysis.core.settings import baseline_year, risk_months
from analysis.measures.action_status import DELAY_RULE, RISK_EXAMPLE, YEAR_RULE, risk_rule
from analysis.measures.compare import BASELINE_LOOKBACK
from analysis.measures.presentation import FAVOURABLE, GAP_SYMBOLS, GAP_TONES, UNFAVOURABLE
from analysis.measures.targets import ATTAINMENT_RULES
from analysis.measures.verdicts import (
    BETTER,
    COUNT,
    DEFAULT_GAP_MEASURE,
    GAP_IMPROVED,
    GAP_MEASURE_WORDS,
    GAP_VERDICT_MEANINGS,
    GAP_VERDICTS,
    KPI_INDICATOR,
    LEAD_GROWS,
    PCT,
    PP,
    SAME,
    THRESHOLD_POINTS,
    THRESHOLD_SHARE,
    UNIT_GAP,
    WORSE,
)
from analysis.viewmodels.plans import PLAN_RULE

MARKER_START = "<!-- metod: genereras av python -m analysis method -->"
MARKER_END = "<!-- metod: slut -->"


@dataclass(frozen=True)
class MethodSection:
    """One section of the method: a heading and its paragraphs (or list items)."""

    heading: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()


def _number(x: float) -> str:
    """A threshold as written in Swedish ('1', '2,5')."""
    return f"{x:g}".replace(".", ",")


def _measure_text(unit: str) -> str:
    """How a gap of a unit is measured, in words."""
    measure = DEFAULT_GAP_MEASURE.get(unit, PCT)
    if measure == PP:
        return "procentenheter (skillnaden mellan andelarna)"
    if measure == UNIT_GAP:
        return f"{unit} (skillnaden i enheten själv)"
    return f"{GAP_MEASURE_WORDS[PCT]} av jämförelseområdets värde"


def method_sections() -> list[MethodSection]:
    """The sections of the method page, in reading order."""
    improved = ", ".join(sorted(GAP_IMPROVED, key=GAP_VERDICTS.index))
    tone_words = {FAVOURABLE: "blå (gynnsamt)", UNFAVOURABLE: "orange (ogynnsamt)"}
    return [
        MethodSection(
            "Skillnaden mot jämförelseområdet",
            (
                "Varje fokusområde jämförs med jämförelseområdet (standard: övriga Linköping) samma år, det senaste år då "
                "båda har uppgifter. Hur skillnaden mäts beror på indikatorn:",
            ),
            tuple(f"{unit.capitalize()}: {_measure_text(unit)}." for unit in DEFAULT_GAP_MEASURE)
            + (
                f"{COUNT.capitalize()}: ingen skillnad, eftersom områden av olika storlek inte kan jämföras med antal.",
                "Indikatorkatalogen kan ange ett annat sätt per indikator (kolumnen Skillnad mäts i).",
            ),
        ),
        MethodSection(
            "Oförändrat",
            (
                "Värden och skillnader jämförs så som de visas: avrundade till indikatorns antal decimaler (skillnader i "
                "procent till hela procent). Samma synliga förändring får därför alltid samma ord.",
                f"En förändring räknas som oförändrad när den är mindre än {_number(THRESHOLD_POINTS)} procentenhet för "
                f"andelar ({PERCENT}) och mindre än {_number(THRESHOLD_SHARE)} procent av den största av de två nivåerna "
                "för övriga mått. Regeln är symmetrisk: en ökning och en lika stor minskning får samma ord, och en "
                "andel och dess komplement (till exempel 80 → 82,3 och 20 → 17,7 procent) också. Indikatorkatalogen kan "
                "ange en egen gräns (kolumnen Oförändrat-gräns).",
                f"För skillnader gäller samma gräns i skillnadens mått: procentenheter för andelar, för skillnader i "
                f"enheten själv {_number(THRESHOLD_SHARE)} procent av jämförelseområdets nivå, och för skillnader i procent "
                f"{_number(THRESHOLD_SHARE)} procentenheter av den relativa skillnaden. Ett område som ligger närmare "
                "jämförelseområdet än gränsen räknas som i nivå med det.",
            ),
        ),
        MethodSection(
            "Orden för utvecklingen",
            (
                f"Värdet: {BETTER}, {SAME} eller {WORSE} sedan basåret, med hänsyn till om höga eller låga värden är "
                "bra. Beskrivande indikatorer (till exempel folkmängd och andelen utrikes födda) får aldrig något "
                "omdöme; där står bara ökning eller minskning.",
                "Skillnaden mot jämförelseområdet, sett från den sida området ligger på:",
            ),
            tuple(
                f"{GAP_SYMBOLS[v]} {v}: {GAP_VERDICT_MEANINGS[v]} – {tone_words.get(GAP_TONES[v], 'grå (neutralt)')}."
                for v in GAP_VERDICTS
            )
            + (
                f"När sidan räknar hur många indikatorer som har minskat gapet räknas bara verkliga förbättringar: "
                f"{improved}. {LEAD_GROWS.capitalize()} räknas för sig, och allt ogynnsamt räknas som ogynnsam utveckling.",
                "Färgen säger aldrig något ensam: symbolen och ordet står alltid bredvid.",
            ),
        ),
        MethodSection(
            "Basår",
            (
                f"Förändringar räknas från basåret (standard {baseline_year()}, när åtgärdsplanen började). Saknar en "
                f"indikator värde basåret används det senaste året med värde inom {BASELINE_LOOKBACK} år före, till "
                'exempel valåret 2018 för valdeltagandet; då står det vilket år som används ("sedan 2018"). Är det '
                "senaste året med uppgifter samma som basåret finns ingen utveckling att beskriva ännu, och det sägs.",
                "Serieavbrott: katalogen anger år då en indikator började mätas på ett nytt sätt (till exempel när SCB "
                "ersatte RAMS med BAS 2019). Ligger ett avbrott mellan basåret och det senaste året räknas "
                "förändringen, omdömena och trenden från det första året efter avbrottet, och meningen säger varför "
                '("sedan 2019"). Finns inget sådant år före det senaste sägs det, i stället för att jämföra över '
                "avbrottet. Diagrammen markerar avbrottet med en streckad linje.",
            ),
        ),
        MethodSection(
            "Osäkra och skyddade värden",
            (
                "Värden som källan inte redovisar (`..`, `x`) sparas som saknade med en kommentar och visas aldrig som "
                "0. Ett värde inom parentes, (12,3), eller med en kommentar som säger att det bygger på få personer "
                "eller är osäkert visas med kommentaren i diagram och tabeller, men ingår aldrig i jämförelser, "
                "förändringar, trender eller omdömen: då används det senaste året med ett säkert värde.",
            ),
        ),
        MethodSection(
            "Inkomster i fasta priser",
            (
                f"Belopp i kronor jämförs över tid i fasta priser: basårets belopp räknas om till det senaste årets priser "
                f"med konsumentprisindex (KPI, indikatorn {KPI_INDICATOR}, SCB:s årsmedeltal). Omdömet och meningen säger "
                '"i fasta priser". Saknas KPI för något av åren jämförs beloppen i löpande priser, och det står då '
                "uttryckligen. Skillnaden mot jämförelseområdet mäts i procent och påverkas inte av prisnivån.",
            ),
        ),
        MethodSection("Måluppfyllelse", (), ATTAINMENT_RULES),
        MethodSection(
            "Åtgärdernas status",
            (),
            (DELAY_RULE, risk_rule(risk_months()) + " " + RISK_EXAMPLE, YEAR_RULE, PLAN_RULE),
        ),
        MethodSection(
            "Exempelvärden",
            (
                f'Värden, mål, åtgärder och texter vars källa anger att de är exempel (till exempel "{EXAMPLE_SOURCE}" '
                "eller ett härlett exempelvärde) är påhittade och märks ut överallt där de syns: på sidorna, i tabeller, "
                "diagram och i varje export (PowerPoint, Word, HTML, Excel och CSV). Ett tal som räknas fram ur ett "
                "exempelvärde, till exempel en skillnad, märks också. Källor som är webbadresser räknas aldrig som "
                "exempel.",
            ),
        ),
    ]


def method_markdown() -> str:
    """The method as Markdown for the README (between MARKER_START and MARKER_END)."""
    return sections_markdown(method_sections())


def sections_markdown(sections: Sequence[MethodSection]) -> str:
    """Sections as Markdown: a level-3 heading each, then its paragraphs and its list."""
    lines = []
    for section in sections:
        lines += [f"### {section.heading}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        if section.bullets:
            lines += [f"- {b}" for b in section.bullets] + [""]
    return "\n".join(lines).rstrip() + "\n"
