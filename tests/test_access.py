"""Who may change data: open without login, editors only with login, nobody when locked."""

from __future__ import annotations

import pytest

from analysis.access import AccessPolicy, EditDenied, Visitor, authorize, can_edit, editing_notice, policy_from

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x", "client_id": "c"}}
ANNA = Visitor(True, "anna@linkoping.se", "Anna")
BO = Visitor(True, "bo@linkoping.se")
ANON = Visitor(False)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("SEGDASH_EDITORS", raising=False)
    monkeypatch.delenv("SEGDASH_LOCK_EDITING", raising=False)


@pytest.mark.parametrize("secrets, visitor, allowed", [
    ({}, ANON, True),  # no login configured: open (and the page says so)
    ({**AUTH, "segdash": {"editors": ["Anna@Linkoping.se"]}}, ANNA, True),
    ({**AUTH, "segdash": {"editors": ["anna@linkoping.se"]}}, BO, False),
    ({**AUTH, "segdash": {"editors": ["anna@linkoping.se"]}}, ANON, False),
    ({**AUTH, "segdash": {"editors": "anna@linkoping.se; bo@linkoping.se"}}, BO, True),
    ({**AUTH}, ANNA, False),  # login but no editor list: nobody edits
    ({"segdash": {"lock_editing": True}}, ANON, False),
    ({**AUTH, "segdash": {"editors": ["anna@linkoping.se"], "lock_editing": True}}, ANNA, False),
])
def test_can_edit(secrets, visitor, allowed):
    assert can_edit(policy_from(secrets), visitor) is allowed


def test_editors_and_lock_from_the_environment(monkeypatch):
    monkeypatch.setenv("SEGDASH_EDITORS", "bo@linkoping.se")
    assert can_edit(policy_from(AUTH), BO)
    monkeypatch.setenv("SEGDASH_LOCK_EDITING", "1")
    assert not can_edit(policy_from({}), ANON)


def test_authorize_refuses_with_a_swedish_reason():
    policy = policy_from({**AUTH, "segdash": {"editors": ["anna@linkoping.se"]}})
    authorize(policy, ANNA, "importera")
    with pytest.raises(EditDenied, match="Du har inte behörighet att importera data"):
        authorize(policy, BO, "importera")


def test_notices():
    assert "Inloggning är inte konfigurerad" in editing_notice(policy_from({}), ANON)
    assert "Logga in" in editing_notice(policy_from(AUTH), ANON)
    assert "inte finns på listan" in editing_notice(policy_from(AUTH), BO)
    assert "avstängda" in editing_notice(AccessPolicy(False, (), True), ANON)
    assert ANNA.label == "Anna <anna@linkoping.se>"
