"""The tillgänglighetsredogörelse (analysis/viewmodels/accessibility_statement.py) follows the audit's lists."""

from __future__ import annotations

from pathlib import Path

import pytest

import analysis.viewmodels.accessibility_statement as statement
import ui
from analysis.cli import main
from analysis.core.accessibility import LIMITATIONS, KnownIssue
from analysis.viewmodels.accessibility_statement import (
    MARKER_END,
    MARKER_START,
    statement_markdown,
    statement_sections,
)
from tests.apptest import run_app_page

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = KnownIssue(
    key="x",
    component="st.dataframe",
    criterion="1.4.3 Kontrast (minimum)",
    problem="Tabellens rubriker har för låg kontrast.",
    reason="Färgen kommer från Streamlit.",
    workaround="Ladda ned tabellen.",
    rule="color-contrast",
    selector='[data-testid="stDataFrame"]',
)


@pytest.fixture(autouse=True)
def default_contact(monkeypatch):
    monkeypatch.delenv("SEGDASH_A11Y_CONTACT", raising=False)


def test_the_readme_holds_exactly_the_generated_statement():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(MARKER_START + "\n", 1)[1].split(MARKER_END, 1)[0]
    assert block == statement_markdown(), "Kör python -m analysis tillganglighet och klistra in texten i README."


def test_the_sections_come_in_the_expected_order():
    assert [s.heading for s in statement_sections()] == [
        "Om redogörelsen",
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Tillsyn",
        "Teknisk information om tjänstens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Hur vi har testat tjänsten",
        "Senaste uppdatering",
    ]


def test_every_known_problem_is_listed_with_its_criterion_and_workaround():
    sections = {s.heading: s for s in statement_sections()}
    listed = sections["Innehåll som inte är tillgängligt"].bullets
    assert len(listed) == len(LIMITATIONS)
    for issue, text in zip(LIMITATIONS, listed):
        assert text.startswith(f"{issue.criterion} – {issue.component}: {issue.problem}")
        assert text.endswith(f"Så gör du i stället: {issue.workaround}")
    assert "delvis förenlig" in sections["Hur tillgänglig är tjänsten?"].paragraphs[0]


def test_an_allowed_axe_violation_is_listed_and_counted(monkeypatch):
    monkeypatch.setattr(statement, "AXE_ALLOWED", (ALLOWED,))
    text = statement_markdown()
    assert "- 1.4.3 Kontrast (minimum) – st.dataframe (axe-regeln color-contrast): Tabellens rubriker" in text
    assert "utom de 1 som kommer från ramverket och står ovan." in text


def test_without_known_problems_the_service_is_fully_compliant(monkeypatch):
    monkeypatch.setattr(statement, "LIMITATIONS", ())
    text = statement_markdown()
    assert "Tjänsten är helt förenlig med lagen (2018:1937)" in text and "delvis" not in text
    assert "Vi känner inte till något innehåll som inte är tillgängligt." in text
    assert "i dag finns inga sådana fel." in text


def test_the_contact_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("SEGDASH_A11Y_CONTACT", "tillganglighet@example.se")
    assert statement_markdown().count("tillganglighet@example.se") == 2  # other formats, and reporting a problem


def test_the_cli_prints_the_statement(capsys):
    assert main(["tillganglighet"]) == 0
    assert capsys.readouterr().out == statement_markdown()


def test_the_page_shows_the_statement_with_one_title_and_every_section():
    at = run_app_page("views/tillganglighet.py")
    assert [t.value for t in at.title] == ["Tillgänglighetsredogörelse"]
    assert [h.value for h in at.header] == [s.heading for s in statement_sections()]
    shown = "\n".join(m.value for m in at.markdown)
    for issue in LIMITATIONS:
        assert ui.md(issue.problem) in shown  # in the summary and in the list of what is not accessible
    assert not at.exception
