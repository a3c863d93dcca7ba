"""Output safety: formulas neutralised in CSV, Markdown made inert, file names sanitised."""

from __future__ import annotations

import pytest

from analysis.safety import markdown_text, neutralise_formula, safe_filename


@pytest.mark.parametrize("text, expected", [
    ('=HYPERLINK("http://x","klick")', '\'=HYPERLINK("http://x","klick")'),
    ("+46 13 20 60 00", "'+46 13 20 60 00"),
    ("-5", "-5"),  # a plain number stays a number
    ("-sum", "'-sum"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("Skäggetorp", "Skäggetorp"),
    ("", ""),
])
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_markdown_text_is_inert():
    assert markdown_text("**fet** [länk](javascript:alert(1)) :red[x]") == (
        r"\*\*fet\*\* \[länk\]\(javascript\:alert\(1\)\) \:red\[x\]")
    assert markdown_text("rad1\nrad2") == "rad1  \nrad2"


@pytest.mark.parametrize("name, expected", [
    ("Nulägesbild Skäggetorp 2024.docx", "Nulagesbild Skaggetorp 2024.docx"),
    ("../../etc/passwd", "etc_passwd"),
    ('<script>"x".xlsx', "script_x_.xlsx"),
    ("", "fil"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected
