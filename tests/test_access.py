"""Who may change data: access fails closed on any doubt about the configuration or the identity."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from analysis.store.access import (
    AccessPolicy,
    EditDenied,
    Visitor,
    auth_problems,
    authorize,
    can_edit,
    editing_notice,
    is_local_address,
    is_proxied,
    policy_from,
    without_addresses,
)

ROOT = Path(__file__).resolve().parent.parent
SECRET = (
    "k7Qm2Vx9Lp4Rt8Wz1Yb6Nc3Hf5Jd0GsA"  # 32 bytes, as `python -c "import secrets; print(secrets.token_urlsafe(24))"`
)
PROVIDER = {
    "client_id": "instrumentpanel",
    "client_secret": "en-riktig-hemlighet",
    "server_metadata_url": "https://login.microsoftonline.com/abc/v2.0/.well-known/openid-configuration",
}
AUTH = {
    "auth": {"redirect_uri": "https://segregation.linkoping.se/oauth2callback", "cookie_secret": SECRET, **PROVIDER}
}
EDITORS = {"segdash": {"editors": ["anna@linkoping.se"]}}
ANNA = Visitor(True, "anna@linkoping.se", "Anna")
BO = Visitor(True, "bo@linkoping.se")
ANON = Visitor(False)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("SEGDASH_EDITORS", "SEGDASH_LOCK_EDITING", "SEGDASH_OPEN_EDITING"):
        monkeypatch.delenv(name, raising=False)


def auth_with(**changes: object) -> dict:
    """AUTH with some [auth] keys changed (None removes a key)."""
    auth = {k: v for k, v in {**AUTH["auth"], **changes}.items() if v is not None}
    return {"auth": auth, **EDITORS}


@pytest.mark.parametrize(
    "secrets, address, visitor, allowed",
    [
        ({}, "127.0.0.1", ANON, True),  # no login, server on this computer only: the strategist's laptop
        ({}, "localhost", ANON, True),
        ({}, "::1", ANON, True),
        ({}, None, ANON, False),  # no login and listening on every interface (Streamlit's default): closed
        ({}, "0.0.0.0", ANON, False),
        ({}, "10.1.2.3", ANON, False),
        ({**AUTH, **EDITORS}, None, ANNA, True),
        ({**AUTH, "segdash": {"editors": ["Anna@Linkoping.se"]}}, None, ANNA, True),
        ({**AUTH, **EDITORS}, None, BO, False),
        ({**AUTH, **EDITORS}, None, ANON, False),
        ({**AUTH, "segdash": {"editors": "anna@linkoping.se; bo@linkoping.se"}}, None, BO, True),
        ({**AUTH}, None, ANNA, False),  # login but no editor list: nobody edits
        ({**AUTH, **EDITORS}, "127.0.0.1", ANON, False),  # with login, localhost does not open anything
        ({"segdash": {"lock_editing": True}}, "127.0.0.1", ANON, False),
        ({**AUTH, "segdash": {"editors": ["anna@linkoping.se"], "lock_editing": True}}, None, ANNA, False),
    ],
)
def test_can_edit(secrets, address, visitor, allowed):
    assert can_edit(policy_from(secrets, server_address=address), visitor) is allowed


@pytest.mark.parametrize(
    "secrets, error, problem",
    [
        ({}, "Error parsing secrets file at .streamlit/secrets.toml: Expected '=' (at line 3)", "kunde inte läsas"),
        (auth_with(cookie_secret="byt-mot-en-lång-slumpmässig-sträng"), "", "exempelvärdet"),
        (auth_with(cookie_secret="kort-hemlighet"), "", "för kort (14 byte)"),
        (auth_with(cookie_secret="a" * 31), "", "för kort (31 byte)"),
        (auth_with(cookie_secret=None), "", "[auth] saknar cookie_secret"),
        (auth_with(redirect_uri=None, client_id=None), "", "[auth] saknar redirect_uri, client_id"),
        (auth_with(client_secret="hemlighet-från-entra"), "", "client_secret i [auth] är ett exempelvärde"),
        (
            auth_with(server_metadata_url="https://login.microsoftonline.com/<tenant-id>/v2.0/x"),
            "",
            "server_metadata_url i [auth] är ett exempelvärde",
        ),
        ({"auth": {}, **EDITORS}, "", "tomt"),
        ({"auth": "ja", **EDITORS}, "", "tomt"),
        ({**AUTH, "segdash": ["anna@linkoping.se"]}, "", "[segdash]"),
    ],
)
def test_a_broken_or_unsafe_configuration_closes_editing_for_everyone(secrets, error, problem):
    policy = policy_from(secrets, error, server_address="127.0.0.1")
    assert any(problem in p for p in policy.problems), policy.problems
    for visitor in (ANNA, BO, ANON):
        assert not can_edit(policy, visitor)
    assert "felaktigt konfigurerad" in editing_notice(policy, ANNA)
    with pytest.raises(EditDenied):
        authorize(policy, ANNA, "importera")


def test_the_shipped_example_secrets_are_refused():
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    policy = policy_from(example)
    assert policy.problems and not can_edit(policy, Visitor(True, "ellen.henriksen@linkoping.se"))


def test_a_complete_configuration_with_a_named_provider_is_accepted():
    auth = {"redirect_uri": "https://x.se/oauth2callback", "cookie_secret": SECRET, "microsoft": dict(PROVIDER)}
    assert auth_problems(auth) == []
    assert can_edit(policy_from({"auth": auth, **EDITORS}), ANNA)


@pytest.mark.parametrize(
    "segdash, visitor, allowed, reason",
    [
        ({}, ANNA, True, ""),
        ({}, Visitor(True, "anna@linkoping.se", email_verified=True), True, ""),
        ({}, Visitor(True, "anna@linkoping.se", email_verified=False), False, "inte är verifierad"),
        ({"tenant_id": "ABC-123"}, Visitor(True, "anna@linkoping.se", tenant="abc-123"), True, ""),
        ({"tenant_id": "abc-123"}, Visitor(True, "anna@linkoping.se", tenant="evil-999"), False, "annan organisation"),
        ({"tenant_id": "abc-123"}, Visitor(True, "anna@linkoping.se"), False, "annan organisation"),
        (
            {"issuer": "https://login.microsoftonline.com/abc-123/v2.0"},
            Visitor(True, "anna@linkoping.se", issuer="https://login.microsoftonline.com/abc-123/v2.0"),
            True,
            "",
        ),
        (
            {"issuer": "https://login.microsoftonline.com/abc-123/v2.0"},
            Visitor(True, "anna@linkoping.se", issuer="https://evil.example/v2.0"),
            False,
            "annan utfärdare",
        ),
    ],
)
def test_editors_need_a_verified_address_and_the_pinned_tenant(segdash, visitor, allowed, reason):
    policy = policy_from({**AUTH, "segdash": {"editors": ["anna@linkoping.se"], **segdash}})
    assert can_edit(policy, visitor) is allowed
    if reason:
        assert reason in editing_notice(policy, visitor)


def test_editors_lock_and_open_editing_from_the_environment(monkeypatch):
    monkeypatch.setenv("SEGDASH_EDITORS", "bo@linkoping.se")
    assert can_edit(policy_from(AUTH), BO)
    assert not can_edit(policy_from({}), ANON)
    monkeypatch.setenv("SEGDASH_OPEN_EDITING", "1")
    assert can_edit(policy_from({}), ANON)
    monkeypatch.setenv("SEGDASH_LOCK_EDITING", "1")
    assert not can_edit(policy_from({}), ANON)


def test_authorize_refuses_with_a_swedish_reason():
    policy = policy_from({**AUTH, **EDITORS})
    authorize(policy, ANNA, "importera")
    with pytest.raises(EditDenied, match="Du har inte behörighet att importera data"):
        authorize(policy, BO, "importera")


def test_notices():
    assert "redigeringen är öppen" in editing_notice(policy_from({}, server_address="127.0.0.1"), ANON)
    assert "SEGDASH_OPEN_EDITING=1" in editing_notice(policy_from({}), ANON)
    assert "Logga in" in editing_notice(policy_from(AUTH), ANON)
    assert "inte finns på listan" in editing_notice(policy_from(AUTH), BO)
    assert "avstängda" in editing_notice(AccessPolicy(False, (), True), ANON)
    assert ANNA.label == "Anna <anna@linkoping.se>"


@pytest.mark.parametrize(
    "address, local",
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("localhost", True),
        ("::1", True),
        ("", False),
        (None, False),
        ("0.0.0.0", False),
        ("segregation.linkoping.se", False),
        ("::", False),
    ],
)
def test_is_local_address(address, local):
    assert is_local_address(address) is local


@pytest.mark.parametrize(
    "label, shown",
    [
        ("Anna <anna@linkoping.se>", "Anna"),
        ("anna@linkoping.se", "Redaktör"),
        ("Anna Andersson", "Anna Andersson"),
        ("root (kommandorad)", "root (kommandorad)"),
        ("system", "system"),
        ("", ""),
    ],
)
def test_viewers_see_names_without_addresses(label, shown):
    assert without_addresses(label) == shown


@pytest.mark.parametrize(
    "headers, proxied",
    [
        ({"Host": "127.0.0.1:8501", "User-Agent": "Mozilla"}, False),  # straight from the browser on this computer
        ({}, False),
        (None, False),
        ({"X-Forwarded-For": "10.1.2.3"}, True),  # nginx, Apache, IIS ARR
        ({"x-real-ip": "10.1.2.3"}, True),
        ({"Forwarded": "for=10.1.2.3;proto=https"}, True),  # RFC 7239
        ({"Via": "1.1 proxy.linkoping.se"}, True),
        ({"X-Forwarded-Host": "segregation.linkoping.se"}, True),
    ],
)
def test_is_proxied(headers, proxied):
    assert is_proxied(headers) is proxied


def test_a_proxied_request_to_a_localhost_instance_cannot_edit_without_login(monkeypatch):
    # Behind nginx the instance listens on 127.0.0.1 but serves the whole intranet: it must not count as local.
    monkeypatch.delenv("SEGDASH_OPEN_EDITING", raising=False)
    assert can_edit(policy_from({}, server_address="127.0.0.1"), ANON)
    policy = policy_from({}, server_address="127.0.0.1", proxied=True)
    assert not can_edit(policy, ANON)
    assert "kan nås från andra datorer" in editing_notice(policy, ANON)
    assert can_edit(policy_from({**AUTH, **EDITORS}, server_address="127.0.0.1", proxied=True), ANNA)  # login works
    monkeypatch.setenv("SEGDASH_OPEN_EDITING", "1")  # the administrator's explicit choice still opens it
    assert can_edit(policy_from({}, server_address="127.0.0.1", proxied=True), ANON)
