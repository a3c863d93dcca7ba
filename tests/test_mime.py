"""The media types of downloads (analysis/core/mime.py): one place, and what each file really is."""

from __future__ import annotations

import pytest

from analysis.core import mime


@pytest.mark.parametrize(
    "name, value",
    [
        ("CSV_MIME", "text/csv"),
        ("XLSX_MIME", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("DOCX_MIME", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("PPTX_MIME", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("HTML_MIME", "text/html"),
    ],
)
def test_media_types(name, value):
    assert getattr(mime, name) == value


def test_mime_imports_nothing_heavy():
    # Pages import it at the top; it must stay a list of strings.
    assert [n for n in vars(mime) if not n.startswith("__")] == [
        "CSV_MIME",
        "XLSX_MIME",
        "DOCX_MIME",
        "PPTX_MIME",
        "HTML_MIME",
    ]
