"""A page's address (query parameters): their values as lists, and the Swedish notice for one a page ignores.

Pages bind their controls to the address, so a link opens the same view. A value the page cannot use (a renamed
indicator, a year without values, a mistyped method) falls back to the default, and the page says so with these
notices instead of silently showing something else than the link promised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

MAX_PARAM_TEXT = 60  # a notice shortens a longer value


def param_values(value: str | Sequence[str] | None) -> list[str]:
    """A query parameter's values as a list (repeated parameters give several)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def shown_value(values: Sequence[str]) -> str:
    """Parameter values for a notice: quoted, joined, long ones shortened."""
    parts = [v if len(v) <= MAX_PARAM_TEXT else v[: MAX_PARAM_TEXT - 1] + "…" for v in values]
    return " och ".join(f"”{p}”" for p in parts) if parts else "”” (tomt)"


def ignored(param: str, values: Sequence[str], reason: str) -> str:
    """A Swedish notice about an ignored query parameter, naming the parameter and its value."""
    return f"Adressens parameter {param}={shown_value(values)} ignorerades: {reason}"


def changed_params(params: Mapping[str, str | Sequence[str]], previous: Mapping[str, str | Sequence[str]]) -> set[str]:
    """The parameters whose values differ from the previous address (new, changed; removed ones are not listed)."""
    return {k for k, v in params.items() if param_values(v) != param_values(previous.get(k))}


def listed(options: Sequence[object]) -> str:
    """Options as Swedish prose: '3, 4 eller 5'."""
    texts = [str(o) for o in options]
    return f"{', '.join(texts[:-1])} eller {texts[-1]}" if len(texts) > 1 else "".join(texts)
