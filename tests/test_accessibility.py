"""The audit's lists (analysis/core/accessibility.py): every entry complete, in Swedish, and usable by the tests."""

from __future__ import annotations

import re

import pytest

from analysis.core.accessibility import AUDIT_TAGS, AXE_ALLOWED, BLOCKING_IMPACTS, LIMITATIONS

ENTRIES = [*AXE_ALLOWED, *LIMITATIONS]


def test_the_audit_covers_wcag_2_1_a_and_aa_and_fails_on_serious_and_critical():
    assert set(AUDIT_TAGS) == {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
    assert BLOCKING_IMPACTS == {"serious", "critical"}


def test_keys_are_unique():
    keys = [i.key for i in ENTRIES]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("issue", ENTRIES, ids=lambda i: i.key)
def test_an_entry_says_where_what_why_and_what_to_do(issue):
    assert re.fullmatch(r"\d\.\d\.\d+ \S.*", issue.criterion), "a WCAG success criterion, e.g. '1.4.3 Kontrast'"
    for text in (issue.component, issue.problem, issue.reason, issue.workaround):
        assert text.strip() and text == text.strip()
    for text in (issue.problem, issue.reason, issue.workaround):
        assert text.endswith("."), "whole sentences: the statement joins them"


def test_an_allowed_violation_names_its_rule_component_element_and_states():
    # Empty since the fixes of 2026-12-01; checks each entry as one is added.
    for issue in AXE_ALLOWED:
        assert issue.rule and issue.selector and issue.states
        assert "Streamlit" in issue.component or issue.component.startswith("st.")


@pytest.mark.parametrize("issue", LIMITATIONS, ids=lambda i: i.key)
def test_a_limitation_found_by_hand_has_no_axe_rule(issue):
    assert not issue.rule and not issue.selector
