"""What the accessibility audit checks, and the known problems it allows: one list for the tests and the statement.

The browser suite (tests/browser/test_accessibility_browser.py) runs axe-core on every page, after the key
interactions and on the HTML exports, with the WCAG 2.1 A and AA rules. A violation of impact "serious" or "critical"
fails the test unless an entry of AXE_ALLOWED names its rule and the Streamlit component it comes from; an entry the
audit no longer sees fails too, so the list cannot go stale. LIMITATIONS are problems axe cannot see (found by hand);
each has a browser check that it still holds. The tillgänglighetsredogörelse (page Tillgänglighet, README) is written
from both lists, so it says what the audit found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: axe-core's tags for the WCAG 2.1 level A and AA rules.
AUDIT_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: Impacts that fail the audit (axe also reports "moderate" and "minor").
BLOCKING_IMPACTS: frozenset[str] = frozenset({"serious", "critical"})
#: The date of the latest self-assessment: the audit in CI and the review by hand behind LIMITATIONS.
ASSESSED_ON = date(2026, 12, 1)
#: The axe-core version of the audit (bundled by axe-playwright-python; a test reads the version it runs).
AXE_VERSION = "4.12.1"


@dataclass(frozen=True)
class KnownIssue:
    """A known accessibility problem: where it comes from, which success criterion, and what to do meanwhile."""

    key: str
    component: str
    criterion: str
    problem: str
    reason: str
    workaround: str
    #: The axe rule id, for problems the automated audit sees; "" for those found by hand.
    rule: str = ""
    #: A CSS selector that the violating element (or an ancestor) matches (allowed entries only).
    selector: str = ""
    #: The audited states where the audit must see it (url paths, e.g. "utforska"): gone there, the entry fails.
    states: tuple[str, ...] = ()


#: Serious or critical axe violations that come from Streamlit itself and cannot be fixed from the app. Empty since
#: the audit of 2026-12-01: the caption contrast and the sparklines' missing alt texts found then were fixed here.
AXE_ALLOWED: tuple[KnownIssue, ...] = ()

#: Problems found by hand that axe cannot see; each is checked in the browser suite so the statement stays true.
LIMITATIONS: tuple[KnownIssue, ...] = (
    KnownIssue(
        key="engelska-kontroller",
        component="Streamlit (sidans ram och kontroller)",
        criterion="3.1.2 Språk för del av innehåll",
        problem=(
            "Några av ramverkets egna knappar och hjälptexter är på engelska och märks inte som engelska, till "
            'exempel länken "Skip to main content", knappen "Main menu", uppläsningen "Help for …" av '
            'frågetecknen bredvid valen och "start" och "end" för årsreglagets två handtag.'
        ),
        reason="Texterna kommer från Streamlit, som inte går att översätta eller språkmärka från tjänsten.",
        workaround="Knapparnas funktion går att förstå av sammanhanget; alla tjänstens egna texter är på svenska.",
    ),
    KnownIssue(
        key="diagramverktyg-engelska",
        component="Plotly (verktygsfältet i diagrammen)",
        criterion="3.1.2 Språk för del av innehåll",
        problem=(
            'Verktygsfältet ovanför diagrammen har engelska namn på knapparna, till exempel "Download plot as a PNG" '
            'och "Zoom".'
        ),
        reason="Streamlit laddar inte Plotlys svenska språkfil.",
        workaround=(
            "Varje diagram har en textbeskrivning för skärmläsare och en tabell med alla värden (fliken Tabell eller "
            "tabellen under diagrammet), och tabellen går att ladda ned som CSV och Excel."
        ),
    ),
    KnownIssue(
        key="sidans-sprak",
        component="Streamlit (sidans HTML)",
        criterion="3.1.1 Språk på sida",
        problem=(
            'Sidan skickas från servern märkt som engelska (lang="en"). Tjänsten ändrar märkningen till svenska '
            "direkt när sidan har laddats, men ett hjälpmedel som läser sidan innan dess kan välja engelskt uttal."
        ),
        reason="Streamlit har ingen inställning för sidans språk.",
        workaround="Ladda om sidan om skärmläsaren läser med engelskt uttal.",
    ),
    KnownIssue(
        key="diagram-punkter",
        component="Plotly (diagrammen)",
        criterion="2.1.1 Tangentbord",
        problem=(
            "De enskilda punkterna och staplarna i ett diagram går inte att nå med tangentbordet; "
            "värdet visas bara när muspekaren hålls över dem."
        ),
        reason="Plotlys diagram hanterar bara mus och pekskärm för punkterna.",
        workaround=(
            "Samma värden står i diagrammets tabell, som går att läsa och ladda ned med tangentbordet, och i "
            "diagrammets textbeskrivning."
        ),
    ),
)
