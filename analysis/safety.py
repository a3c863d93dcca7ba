"""Output safety: text from uploads never becomes a formula or a path."""

from __future__ import annotations

import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._ -]+")


def neutralise_formula(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV export): a leading ' where needed."""
    if text and text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def safe_filename(name: str, default: str = "fil") -> str:
    """A download file name with only ASCII letters, digits, dot, dash, underscore and space."""
    base = unicodedata.normalize("NFKD", str(name))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    base = base.replace("/", "_").replace("\\", "_")
    base = _UNSAFE_FILENAME.sub("_", base).strip(" ._")
    base = re.sub(r"_+", "_", base)
    return (base or default)[:120]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def markdown_text(text: object) -> str:
    """Text from uploads made inert for Markdown: every special character escaped, line breaks kept."""
    s = "" if text is None else str(text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")
