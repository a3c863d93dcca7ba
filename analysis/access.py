"""Who may change data: everyone may look; importing and rolling back need an editor.

With login configured (an [auth] section in .streamlit/secrets.toml), editors are the signed-in
users whose e-mail address is on the editor list. Without login (the local default) editing is
open unless it is locked. The pages ask `authorize` at the moment of every change, so a forged
request from a viewer is refused on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.settings import editing_locked, editors


class EditDenied(PermissionError):
    """A change of data was refused; the message says why, in Swedish."""


@dataclass(frozen=True)
class AccessPolicy:
    """The configured rules for changing data."""

    login_configured: bool
    editors: tuple[str, ...]
    locked: bool


@dataclass(frozen=True)
class Visitor:
    """The person using the page, as far as the app knows."""

    logged_in: bool
    email: str = ""
    name: str = ""

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


def policy_from(secrets: Mapping | None) -> AccessPolicy:
    """The policy from secrets ([auth]; [segdash] editors, lock_editing) and SEGDASH_EDITORS / SEGDASH_LOCK_EDITING."""
    secrets = secrets or {}
    section = secrets.get("segdash") or {}
    if not isinstance(section, Mapping):
        section = {}
    auth = secrets.get("auth")
    return AccessPolicy(
        login_configured=isinstance(auth, Mapping) and bool(auth),
        editors=tuple(dict.fromkeys(_as_list(section.get("editors")) + editors())),
        locked=bool(section.get("lock_editing", False)) or editing_locked(),
    )


def can_edit(policy: AccessPolicy, visitor: Visitor) -> bool:
    """True when the visitor may import and roll back."""
    if policy.locked:
        return False
    if not policy.login_configured:
        return True
    return visitor.logged_in and visitor.email.strip().lower() in policy.editors


def editing_notice(policy: AccessPolicy, visitor: Visitor) -> str:
    """A Swedish sentence telling the visitor whether and why they can change data."""
    if policy.locked:
        return "Ändringar av data är avstängda i inställningarna (SEGDASH_LOCK_EDITING). Historiken kan visas."
    if not policy.login_configured:
        return ("Inloggning är inte konfigurerad: alla som når instrumentpanelen kan importera och återställa data. "
                "Konfigurera inloggning eller lås redigeringen i drift (se README).")
    if not visitor.logged_in:
        return "Logga in för att importera eller återställa data. Alla kan se historiken."
    if can_edit(policy, visitor):
        return f"Inloggad som {visitor.email}: du får importera och återställa data."
    return (f"Inloggad som {visitor.email or 'okänd'}, som inte finns på listan över redaktörer. "
            "Du kan se historiken men inte ändra data.")


def authorize(policy: AccessPolicy, visitor: Visitor, action: str) -> None:
    """Raise EditDenied unless the visitor may perform the action ('importera', 'återställa')."""
    if not can_edit(policy, visitor):
        raise EditDenied(f"Du har inte behörighet att {action} data. {editing_notice(policy, visitor)}")
