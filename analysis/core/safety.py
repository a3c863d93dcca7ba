"""Output safety: text from uploads never becomes a formula or a path."""

from __future__ import annotations

import html
import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r")  # OWASP: dangerous as the first character whatever follows
_SPACE = "[ \u00a0\u202f]"
# A number as the pages show it, which a spreadsheet reads as a number or as harmless text, never as a call:
# sign, digits (thousands separated by a space), decimals, then unit words, %, ‰ and ▲▼ ('+1 234,5 pe ▼').
_NUMBER = re.compile(rf"[+-]?\d+(?:{_SPACE}\d{{3}})*(?:[.,]\d+)?(?:{_SPACE}*(?:[%‰▲▼]|[^\W\d_]+))*")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._ -]+")


def _ignorable(ch: str) -> bool:
    """True for characters a spreadsheet may skip before a formula: whitespace (NBSP too), controls, zero-width."""
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def neutralise_formula(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV export, table downloads): a leading ' where needed.

    Text starting with =, +, -, @ (also after spaces, NBSP, tabs, line breaks or zero-width characters), a tab or a
    carriage return gets a leading '; numbers ('-5', '+3,5', '+1 234,5 pe ▼') stay as they are.
    """
    if not text or text[0].isalnum() or text[0] == "'":  # the usual case, quick: tables check every cell
        return text
    start = next((i for i, ch in enumerate(text) if not _ignorable(ch)), len(text))
    rest = text[start:]
    if text.startswith(_CONTROL_START) or (rest.startswith(_FORMULA_START) and not _NUMBER.fullmatch(rest)):
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


# Every ASCII punctuation character that CommonMark, GFM or Streamlit's extensions give a meaning: backslash-escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# Streamlit also rewrites text *after* parsing, where backslash escapes are already gone: bare http:// and www.
# addresses and e-mail addresses become links (GFM autolink literals), :material/x: an icon, :streamlit: an image,
# and -> <- <-> -- >= <= ~= arrows and dashes. An invisible WORD JOINER breaks each pattern without showing.
WORD_JOINER = "\u2060"
_LEADING_BLANKS = re.compile(r"^[ \t]+")
_BREAK_AFTER_REWRITES = re.compile(r"(?<=:)(?=\S)|(?<=@)|(?<=www)(?=\.)|(?<=[-<>~])(?=[-<>=])", re.IGNORECASE)


def markdown_text(text: object) -> str:
    """Text from uploads made inert for Markdown: shown literally, never a link, image, icon, HTML or LaTeX."""
    s = "" if text is None else str(text)
    lines = s.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # HTML shows a run of blanks as one; four of them at the start of a line would make a code block.
    lines = [_LEADING_BLANKS.sub(" ", line) for line in lines]
    lines = [_MARKDOWN_SPECIAL.sub(r"\\\1", _BREAK_AFTER_REWRITES.sub(WORD_JOINER, line)) for line in lines]
    return "  \n".join(lines)


def plotly_text(text: object) -> str:
    """Text from uploads made inert for Plotly's pseudo-HTML: &, < and > as entities, which Plotly shows literally."""
    # Plotly reads <a href>, <b>, <br>, <span style> and entities in titles, names, labels, ticks and hover texts, and
    # decodes &amp; &lt; &gt; back to the characters; quotes need no escaping (Plotly would show &quot; as written).
    return html.escape("" if text is None else str(text), quote=False)
