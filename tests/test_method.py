"""The method ("Så räknar vi") is generated from the constants the code uses: page, README and CLI say the same."""

from __future__ import annotations

from pathlib import Path

import analysis.viewmodels.method as method
from analysis.cli import main
from analysis.measures.verdicts import GAP_VERDICTS, THRESHOLD_POINTS, THRESHOLD_SHARE
from analysis.viewmodels.method import MARKER_END, MARKER_START, method_markdown, method_sections
from tests.apptest import run_app_page

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_holds_exactly_the_generated_method():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(MARKER_START + "\n", 1)[1].split(MARKER_END, 1)[0]
    assert block == method_markdown(), "Kör python -m analysis method och klistra in texten i README."


def test_the_text_follows_the_constants(monkeypatch):
    text = method_markdown()
    assert (
        f"mindre än {THRESHOLD_POINTS:g} procentenhet" in text and f"{THRESHOLD_SHARE:g} procent av den största" in text
    )
    for verdict in GAP_VERDICTS:
        assert f" {verdict}: " in text
    monkeypatch.setattr(method, "THRESHOLD_SHARE", 5.0)
    assert "5 procent av den största" in method_markdown()  # changing the rule changes what the page says


def test_every_rule_of_the_issue_has_a_section():
    headings = [s.heading for s in method_sections()]
    assert headings == [
        "Skillnaden mot jämförelseområdet",
        "Oförändrat",
        "Orden för utvecklingen",
        "Basår",
        "Osäkra och skyddade värden",
        "Inkomster i fasta priser",
        "Måluppfyllelse",
        "Åtgärdernas status",
        "Exempelvärden",
    ]


def test_the_status_rules_follow_the_configured_months(monkeypatch):
    monkeypatch.setenv("SEGDASH_RISK_MONTHS", "9")
    (status,) = [s for s in method_sections() if s.heading == "Åtgärdernas status"]
    assert "inom 9 månader" in status.bullets[1] and "Försenad" in status.bullets[0]


def test_the_cli_prints_the_method(capsys):
    assert main(["method"]) == 0
    assert capsys.readouterr().out == method_markdown()


def test_the_page_shows_every_section():
    at = run_app_page("views/metod.py")
    assert at.title[0].value == "Så räknar vi"
    assert [h.value for h in at.header] == [s.heading for s in method_sections()]
