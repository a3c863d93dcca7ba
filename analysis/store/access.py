"""Who may change data: everyone may look; importing and rolling back need an editor. Access fails closed.

With login configured (an [auth] section in .streamlit/secrets.toml), editors are signed-in users whose e-mail
address is on the editor list, whose provider has not said the address is unverified, and (when pinned) who come
from the configured tenant or issuer. A secrets file that cannot be read, an incomplete [auth] section, or a
placeholder or short cookie secret closes editing for everyone and the Data page says why. Without login, editing
is open only when the server listens on this computer alone (localhost) and the request did not come through a
reverse proxy, or SEGDASH_OPEN_EDITING=1 says so. The
pages ask `authorize` at the moment of every change, so a forged request is refused on the server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.core.settings import editing_locked, editors, open_editing

#: What an OpenID Connect provider section must hold (Streamlit's st.login), top level or in a named provider.
PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")
AUTH_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
MIN_COOKIE_SECRET_BYTES = 32
#: Values copied from .streamlit/secrets.toml.example or similar that must never be used for real.
PLACEHOLDERS: tuple[str, ...] = (
    "byt-mot",
    "byt ut",
    "change-me",
    "changeme",
    "change_me",
    "replace",
    "your-",
    "hemlighet-från",
    "<tenant-id>",
    "00000000-0000-0000-0000-000000000000",
    "xxx",
)
LOCAL_ADDRESSES: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: Headers a reverse proxy adds: a request carrying one came from another computer, whatever address we listen on.
PROXY_HEADERS: tuple[str, ...] = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip", "via")
_EMAIL = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")


class EditDenied(PermissionError):
    """A change of data was refused; the message says why, in Swedish."""


@dataclass(frozen=True)
class AccessPolicy:
    """The configured rules for changing data; `problems` (configuration errors) close editing for everyone."""

    login_configured: bool
    editors: tuple[str, ...]
    locked: bool
    problems: tuple[str, ...] = ()
    open_without_login: bool = False
    tenant: str = ""
    issuer: str = ""


@dataclass(frozen=True)
class Visitor:
    """The person using the page, as far as the app knows (claims as the identity provider sent them)."""

    logged_in: bool
    email: str = ""
    name: str = ""
    email_verified: bool | None = None
    tenant: str = ""
    issuer: str = ""

    @property
    def label(self) -> str:
        """How the visitor is recorded in the version history."""
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.email or self.name


def _as_list(value: object) -> tuple[str, ...]:
    """A list of e-mail addresses from a TOML list or a comma/semicolon-separated string, lower-cased."""
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", ",").split(",")
    return tuple(str(v).strip().lower() for v in items if str(v).strip())


def is_placeholder(value: object) -> bool:
    """True for a value that is obviously an example, not a real setting."""
    text = str(value or "").strip().lower()
    return any(p in text for p in PLACEHOLDERS)


def auth_problems(auth: object) -> list[str]:
    """What is wrong with an [auth] section, in Swedish (empty when it is complete and safe)."""
    if not isinstance(auth, Mapping) or not auth:
        return ["Avsnittet [auth] i secrets.toml är tomt eller inte en tabell."]
    problems = []
    missing = [k for k in AUTH_KEYS if not str(auth.get(k) or "").strip()]
    providers = [auth] + [v for v in auth.values() if isinstance(v, Mapping)]
    complete = [p for p in providers if all(str(p.get(k) or "").strip() for k in PROVIDER_KEYS)]
    if not complete:
        missing += [k for k in PROVIDER_KEYS if not any(str(p.get(k) or "").strip() for p in providers)] or [
            "en komplett leverantör (client_id, client_secret och server_metadata_url i samma avsnitt)"
        ]
    if missing:
        problems.append(f"[auth] saknar {', '.join(missing)}.")
    secret = str(auth.get("cookie_secret") or "")
    if secret and is_placeholder(secret):
        problems.append(
            "cookie_secret i [auth] är exempelvärdet från secrets.toml.example; vem som helst skulle "
            "kunna skapa en giltig inloggning."
        )
    elif secret and len(secret.encode("utf-8")) < MIN_COOKIE_SECRET_BYTES:
        problems.append(
            f"cookie_secret i [auth] är för kort ({len(secret.encode('utf-8'))} byte); minst "
            f"{MIN_COOKIE_SECRET_BYTES} byte slumpmässiga tecken krävs."
        )
    for provider in complete:
        for key in PROVIDER_KEYS:
            if is_placeholder(provider.get(key)):
                problems.append(f"{key} i [auth] är ett exempelvärde, inte en riktig inställning.")
    return list(dict.fromkeys(problems))


def is_local_address(address: object) -> bool:
    """True when the server listens on this computer only (loopback)."""
    text = str(address or "").strip().lower()
    return text in LOCAL_ADDRESSES or text.startswith("127.")


def is_proxied(headers: Mapping[str, object] | None) -> bool:
    """True when the request came through a reverse proxy (it carries a Forwarded, X-Forwarded-For, … header)."""
    names = {str(name).strip().lower() for name in (headers or {})}
    return any(h in names for h in PROXY_HEADERS)


def policy_from(
    secrets: Mapping | None, secrets_error: str = "", server_address: object = None, *, proxied: bool = False
) -> AccessPolicy:
    """The policy from secrets ([auth]; [segdash] editors, lock_editing, tenant_id, issuer), the environment and
    the address the server listens on; a secrets file that could not be read closes editing.

    An instance behind a reverse proxy listens on localhost but serves other computers: a proxied request never
    counts as local (fails closed), so without login only SEGDASH_OPEN_EDITING=1 opens editing there."""
    secrets = secrets or {}
    problems: list[str] = []
    if secrets_error:
        problems.append(f"Filen med hemligheter (.streamlit/secrets.toml) kunde inte läsas: {secrets_error}")
    section = secrets.get("segdash") or {}
    if not isinstance(section, Mapping):
        problems.append("Avsnittet [segdash] i secrets.toml är inte en tabell.")
        section = {}
    auth = secrets.get("auth")
    login = auth is not None
    if login:
        problems += auth_problems(auth)
    return AccessPolicy(
        login_configured=login,
        editors=tuple(dict.fromkeys(_as_list(section.get("editors")) + editors())),
        locked=bool(section.get("lock_editing", False)) or editing_locked(),
        problems=tuple(problems),
        open_without_login=(is_local_address(server_address) and not proxied) or open_editing(),
        tenant=str(section.get("tenant_id") or "").strip().lower(),
        issuer=str(section.get("issuer") or "").strip(),
    )


def identity_problem(policy: AccessPolicy, visitor: Visitor) -> str:
    """Why a signed-in visitor's identity is not trusted for editing ('' when it is)."""
    if visitor.email_verified is False:
        return "Identitetsleverantören anger att e-postadressen inte är verifierad."
    if policy.tenant and visitor.tenant.strip().lower() != policy.tenant:
        return "Kontot kommer från en annan organisation (tenant) än den som är konfigurerad."
    if policy.issuer and visitor.issuer.strip() != policy.issuer:
        return "Inloggningen kommer från en annan utfärdare (issuer) än den som är konfigurerad."
    return ""


def can_edit(policy: AccessPolicy, visitor: Visitor) -> bool:
    """True when the visitor may import and roll back (never when the configuration is broken)."""
    if policy.problems or policy.locked:
        return False
    if not policy.login_configured:
        return policy.open_without_login
    return (
        visitor.logged_in and visitor.email.strip().lower() in policy.editors and not identity_problem(policy, visitor)
    )


def editing_notice(policy: AccessPolicy, visitor: Visitor) -> str:
    """A Swedish sentence telling the visitor whether and why they can change data."""
    if policy.problems:
        return (
            "Ändringar av data är avstängda eftersom inloggningen är felaktigt konfigurerad. Historiken kan "
            "visas. En administratör behöver rätta inställningarna (se README, avsnittet om inloggning)."
        )
    if policy.locked:
        return "Ändringar av data är avstängda i inställningarna (SEGDASH_LOCK_EDITING). Historiken kan visas."
    if not policy.login_configured:
        if policy.open_without_login:
            return (
                "Inloggning är inte konfigurerad: redigeringen är öppen för den som når instrumentpanelen på den "
                "här datorn. Konfigurera inloggning innan andra ska kunna nå den (se README)."
            )
        return (
            "Inloggning är inte konfigurerad och servern kan nås från andra datorer, så ingen kan importera "
            "eller återställa data. Konfigurera inloggning, eller starta servern på localhost "
            "(python3 dev.py run) eller sätt SEGDASH_OPEN_EDITING=1 (se README)."
        )
    if not visitor.logged_in:
        return "Logga in för att importera eller återställa data. Alla kan se historiken."
    if can_edit(policy, visitor):
        return f"Inloggad som {visitor.email}: du får importera och återställa data."
    reason = identity_problem(policy, visitor)
    if reason:
        return f"Inloggad som {visitor.email or 'okänd'}. {reason} Du kan se historiken men inte ändra data."
    return (
        f"Inloggad som {visitor.email or 'okänd'}, som inte finns på listan över redaktörer. "
        "Du kan se historiken men inte ändra data."
    )


def authorize(policy: AccessPolicy, visitor: Visitor, action: str) -> None:
    """Raise EditDenied unless the visitor may perform the action ('importera', 'återställa')."""
    if not can_edit(policy, visitor):
        raise EditDenied(f"Du har inte behörighet att {action} data. {editing_notice(policy, visitor)}")


def without_addresses(label: object) -> str:
    """A history user label for viewers: the name kept, e-mail addresses removed ('Anna <a@b.se>' -> 'Anna')."""
    text = _EMAIL.sub("", str(label or "")).strip()
    return text or ("Redaktör" if str(label or "").strip() else "")
