"""The tillgänglighetsredogörelse (accessibility statement), in Swedish, written from the audit's own lists.

The page views/tillganglighet.py shows these sections and the README carries the same text between its markers
(`python -m analysis tillganglighet` prints it; a test compares). What is not accessible comes from
analysis/core/accessibility.py: the axe allow-list and the problems found by hand, both checked in the browser suite.
"""

from __future__ import annotations

from analysis.core.accessibility import ASSESSED_ON, AXE_ALLOWED, AXE_VERSION, LIMITATIONS, KnownIssue
from analysis.core.settings import accessibility_contact
from analysis.viewmodels.method import MethodSection, sections_markdown
from analysis.viewmodels.slides import swedish_date

MARKER_START = "<!-- tillganglighet: genereras av python -m analysis tillganglighet -->"
MARKER_END = "<!-- tillganglighet: slut -->"
SERVICE = "instrumentpanelen för uppföljning av Åtgärdsplan mot segregation"
LAW = "lagen (2018:1937) om tillgänglighet till digital offentlig service"


def known_issues() -> tuple[KnownIssue, ...]:
    """Every known problem: first those the automated audit allows, then those found by hand."""
    return (*AXE_ALLOWED, *LIMITATIONS)


def compliance() -> str:
    """'helt förenlig' without known problems, else 'delvis förenlig'."""
    return "delvis förenlig" if known_issues() else "helt förenlig"


def issue_text(issue: KnownIssue) -> str:
    """One known problem as a list item: criterion, where, what, why and what to do instead."""
    found = f" (axe-regeln {issue.rule})" if issue.rule else ""
    return (
        f"{issue.criterion} – {issue.component}{found}: {issue.problem} {issue.reason} "
        f"Så gör du i stället: {issue.workaround}"
    )


def statement_sections() -> list[MethodSection]:
    """The statement's sections in the expected order (status, alternatives, reporting, supervision, details)."""
    contact = accessibility_contact()
    issues = known_issues()
    status = f"Tjänsten är {compliance()} med {LAW}" + (
        ", på grund av de brister som beskrivs nedan." if issues else "."
    )
    return [
        MethodSection(
            "Om redogörelsen",
            (
                f"Linköpings kommun står bakom {SERVICE}. Vi vill att så många som möjligt ska kunna använda den, "
                "också den som använder skärmläsare, bara tangentbord, förstoring eller högkontrast. Här beskriver "
                f"vi hur tjänsten uppfyller {LAW}, vilka brister vi känner till och hur du kan meddela oss om du "
                "hittar fler, så att vi kan rätta dem.",
            ),
        ),
        MethodSection(
            "Hur tillgänglig är tjänsten?",
            (status, "Det här fungerar inte fullt ut:" if issues else "Vi känner inte till några brister."),
            tuple(f"{i.problem}" for i in issues),
        ),
        MethodSection(
            "Vad kan du göra om du inte kan använda delar av tjänsten?",
            (
                "Varje diagram har en textbeskrivning för skärmläsare och en tabell med samma värden, och tabellerna "
                "går att ladda ned som CSV och Excel. Nulägesbilden finns som Word- och HTML-fil och uppföljningen "
                "som Bilaga 5 i Word, PowerPoint och HTML, med rubriker, tabellrubriker och bildbeskrivningar.",
                f"Behöver du innehållet i ett annat format kan du kontakta {contact}.",
            ),
        ),
        MethodSection(
            "Rapportera brister i tjänstens tillgänglighet",
            (
                "Om du hittar problem som inte står här, eller om du tycker att tjänsten inte uppfyller lagen, "
                f"kontakta {contact}. Berätta vilken sida det gäller och vad som inte fungerade.",
            ),
        ),
        MethodSection(
            "Tillsyn",
            (
                "Myndigheten för digital förvaltning (Digg) har tillsyn över lagen om tillgänglighet till digital "
                "offentlig service. Om du inte är nöjd med hur vi tar hand om dina synpunkter kan du anmäla det "
                "till Digg (www.digg.se).",
            ),
        ),
        MethodSection(
            "Teknisk information om tjänstens tillgänglighet",
            (f"{status} Lagen kräver att tjänsten följer WCAG 2.1 på nivå AA.",),
        ),
        MethodSection(
            "Innehåll som inte är tillgängligt",
            (
                (
                    "Bristerna nedan strider mot lagens krav. Vi rättar dem när ramverket som tjänsten bygger på "
                    "(Streamlit och Plotly) gör det möjligt."
                )
                if issues
                else "Vi känner inte till något innehåll som inte är tillgängligt.",
            ),
            tuple(issue_text(i) for i in issues),
        ),
        MethodSection(
            "Hur vi har testat tjänsten",
            (
                f"Vi har gjort en självskattning (intern testning), senast {swedish_date(ASSESSED_ON)}.",
                f"Varje ändring av tjänsten provas automatiskt innan den tas i bruk: axe-core {AXE_VERSION} granskar "
                "alla sidor, också efter de viktigaste valen (en vy i Utforska indikatorer, en uppladdad fil med fel, "
                "presentationsläget), och HTML-exporterna mot reglerna för WCAG 2.1 nivå A och AA. Ett allvarligt "
                "eller kritiskt fel stoppar ändringen"
                + (
                    f", utom de {len(AXE_ALLOWED):d} som kommer från ramverket och står ovan."
                    if AXE_ALLOWED
                    else "; i dag finns inga sådana fel."
                ),
                "Ett test gör huvuduppgifterna med bara tangentbordet (byta sida, välja indikator och vy, bläddra i "
                "presentationen) och kontrollerar att fokus syns. Kontrasten i färgerna för linjer, staplar, "
                "bedömningar och text räknas fram i testerna. Word-, PowerPoint- och HTML-filerna provas för "
                "rubriker, tabellrubriker och bildbeskrivningar.",
                "Bristerna ovan har vi hittat för hand. Ett test kontrollerar att var och en fortfarande finns, så "
                "att redogörelsen inte blir inaktuell när ramverket rättar dem.",
            ),
        ),
        MethodSection(
            "Senaste uppdatering",
            (f"Redogörelsen uppdaterades senast {swedish_date(ASSESSED_ON)}.",),
        ),
    ]


def statement_markdown() -> str:
    """The statement as Markdown for the README (between MARKER_START and MARKER_END)."""
    return sections_markdown(statement_sections())
