"""Reading workbooks: hostile and broken files are refused with a clear Swedish message."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from analysis.core.settings import Limits
from analysis.ingest.excel import _ods_scanner, _SheetScanner, column_letter, column_number, read_workbook
from tests.builders import data_sheet, rezip, sheet_xml, xlsx

GOOD = data_sheet(["Berga", "folkmangd", 2020, 6000, "Totalt"])


def first_error(data: bytes, lim: Limits | None = None) -> str:
    """The message of the first problem reading some bytes gives (the read must fail)."""
    raw, problems = read_workbook(data, "fil.xlsx", lim)
    assert raw is None, "expected the file to be refused"
    assert problems and problems[0].is_error
    return problems[0].message


def bomb_part(size: int) -> bytes:
    """Zeros that compress to almost nothing."""
    return b"<x>" + b"0" * size + b"</x>"


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "tom"),
        (b"Omrade;Indikator;Ar;Varde\nBerga;folkmangd;2020;6000\n", "textfil (CSV)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "bild"),
        (b"%PDF-1.7\n" + b"\x00" * 100, "PDF"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        (bytes(range(256)) * 4, "inte en arbetsbok"),
        (GOOD[: len(GOOD) // 2], "skadad eller ofullständig"),
        (GOOD[:-30], "skadad eller ofullständig"),
    ],
    ids=["tom", "csv", "png", "pdf", "html", "slumpbytes", "halverad", "trunkerad"],
)
def test_files_that_are_not_workbooks(data, fragment):
    assert fragment in first_error(data)


def test_word_document_is_a_zip_but_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    assert "ingen arbetsbok" in first_error(buf.getvalue())


def test_oversized_file_is_refused_before_parsing():
    assert "för stor" in first_error(GOOD, Limits(max_file_bytes=1000))


def test_part_inflating_past_the_limit_is_refused():
    data = rezip(GOOD, add={"xl/extra.xml": bomb_part(3_000_000)})
    assert "zip-bomb" in first_error(data, Limits(max_part_bytes=1_000_000))


def test_high_compression_ratio_is_refused():
    data = rezip(GOOD, add={"xl/media/blob.xml": bomb_part(20_000_000)})
    assert "zip-bomb" in first_error(data)


def test_total_declared_size_is_refused():
    data = rezip(GOOD, add={f"xl/p{i}.xml": bomb_part(400_000) for i in range(5)})
    assert "packas upp till" in first_error(data, Limits(max_total_unzipped_bytes=1_000_000, max_part_bytes=10**9))


def test_many_parts_are_refused():
    data = rezip(GOOD, add={f"xl/junk/{i}.xml": b"<a/>" for i in range(50)})
    assert "för många delar" in first_error(data, Limits(max_zip_entries=40))


def test_lying_size_header_is_caught():
    data = bytearray(rezip(GOOD, add={"xl/lie.xml": bomb_part(200_000)}))
    # Shrink the declared uncompressed size of the last entry in the central directory.
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, cd + 24, 10)
    message = first_error(bytes(data))
    assert "skadad" in message or "zip-bomb" in message


def test_xml_external_entity_is_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst>&e;</sst>'
    data = rezip(GOOD, add={"xl/sharedStrings.xml": xxe})
    assert "DOCTYPE" in first_error(data)


def test_billion_laughs_is_refused():
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b"]><worksheet>&lol9;</worksheet>"
    )
    data = rezip(GOOD, {"xl/worksheets/sheet1.xml": lol})
    assert "DOCTYPE" in first_error(data)


def test_huge_sheet_area_is_refused_before_the_reader_allocates_it():
    data = xlsx({"Data": [["Område", "Indikator", "År", "Värde"]]})
    xml = sheet_xml(data).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    )
    raw, problems = read_workbook(rezip(data, {"xl/worksheets/sheet1.xml": xml}), "x.xlsx")
    assert raw is None
    assert "för stort" in problems[0].message and problems[0].sheet == "Data"


def test_a_million_empty_styled_rows_do_not_count_as_data():
    xml = sheet_xml(GOOD)
    empty_rows = b"".join(b'<row r="%d"><c r="A%d" s="0" t="n"></c></row>' % (i, i) for i in range(3, 200_003))
    xml = xml.replace(b"</sheetData>", empty_rows + b"</sheetData>")
    assert _scan_in_chunks(xml, len(xml))[:2] == (2, 26)  # the whole part in one feed, as a small part is scanned
    raw, problems = read_workbook(rezip(GOOD, {"xl/worksheets/sheet1.xml": xml}), "x.xlsx")
    if raw is None:  # refused for its compression ratio: also acceptable, but with a clear message
        assert "zip-bomb" in problems[0].message
    else:
        assert len(raw.sheets[0].rows) == 2


def test_password_protected_workbook():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500
    assert "lösenordsskyddad" in first_error(ole)


def test_only_hidden_sheets():
    data = xlsx({"Data": [["Område"]], "Annat": [["x"]]})
    workbook_xml = sheet_xml(data, "xl/workbook.xml").replace(b'state="visible"', b'state="hidden"')
    data = rezip(data, {"xl/workbook.xml": workbook_xml})
    assert "bara dolda blad" in first_error(data)


def test_rows_and_columns_are_excel_coordinates():
    data = xlsx({"Data": [[], [None, "Område", "Värde"], [None, "Berga", 1]]})
    raw, problems = read_workbook(data, "x.xlsx")
    assert not problems
    sheet = raw.sheets[0]
    assert (sheet.first_row, sheet.first_col) == (2, 2)
    assert sheet.rows[0] == ["Område", "Värde"]
    assert sheet.excel_row(1) == 3


def test_formula_without_value_is_found():
    data = data_sheet(["Berga", "folkmangd", 2020, "=1+1", "Totalt"])
    raw, _ = read_workbook(data, "x.xlsx")
    assert raw.sheets[0].formula_cells == {(2, 4)}


@pytest.mark.parametrize(
    "n, letters", [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")]
)
def test_column_letters(n, letters):
    assert column_letter(n) == letters
    assert column_number(letters) == n


def test_ods_extent_counts_repeated_cells_with_values():
    xml = (
        b'<office:document-content xmlns:office="o" xmlns:table="t"><table:table>'
        b'<table:table-row table:number-rows-repeated="1000">'
        b'<table:table-cell office:value-type="float" table:number-columns-repeated="3000"/></table:table-row>'
        b'<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row>'
        b"</table:table></office:document-content>"
    )
    feed, largest, total = _ods_scanner()
    feed(xml, True)  # the whole part at once
    assert largest() == 3_000_000 and total() == 3_000_000


def _scan_in_chunks(xml: bytes, size: int) -> tuple[int, int, set, dict]:
    """Feed a worksheet part to the streaming scanner `size` bytes at a time."""
    scanner = _SheetScanner()
    chunks = [xml[i : i + size] for i in range(0, len(xml), size)] or [b""]
    for n, chunk in enumerate(chunks):
        scanner.feed(chunk, n == len(chunks) - 1)
    return scanner.max_row, scanner.max_col, scanner.formulas, scanner.errors


@pytest.mark.parametrize("size", [997, 4096, 20_011, 10**9])
def test_streamed_sheet_scan_matches_whole_part_wherever_chunks_split(size):
    cells = []
    for r in range(1, 1500):
        cells.append(
            b'<row r="%d"><c r="A%d" t="n"><v>%d</v></c><c r="AB%d"><f>SUM(A1:A2)</f></c>'
            b'<c r="C%d" t="e"><v>#DIV/0!</v></c></row>' % (r, r, r, r, r)
        )
    xml = (
        b"<worksheet><sheetData>"
        + b"".join(cells)
        + b'<row r="1600"><c r="D1600" s="1"/></row></sheetData></worksheet>'
    )
    rows, cols, formulas, errors = _scan_in_chunks(xml, size)
    assert (rows, cols) == (1499, 28)  # the styled empty D1600 is not a value
    assert len(formulas) == 1499 and (1499, 28) in formulas
    assert len(errors) == 1499 and errors[(7, 3)] == "#DIV/0!"


def test_big_sheet_part_is_streamed_and_its_rows_read_lazily():
    from analysis.ingest import excel

    rows = [["Område", "Indikator", "År", "Värde", "Kön"]] + [
        ["Berga", "folkmangd", 2000 + i % 25, i, "Totalt"] for i in range(3000)
    ]
    data = xlsx({"Data": rows})
    old = excel.SMALL_PART_BYTES, excel.STREAM_CHUNK
    excel.SMALL_PART_BYTES, excel.STREAM_CHUNK = 1024, 4096  # force the streaming path on a small file
    try:
        raw, problems = read_workbook(data, "x.xlsx")
    finally:
        excel.SMALL_PART_BYTES, excel.STREAM_CHUNK = old
    assert not problems
    sheet = raw.sheets[0]
    assert len(sheet.rows) == 3001
    assert sheet.rows[0] == rows[0]
    assert sheet.rows[2999] == ["Berga", "folkmangd", 2000 + 2998 % 25, 2998, "Totalt"]
    assert sheet.rows[-1][3] == 2999
    assert [r[3] for r in sheet.rows[100:103]] == [99, 100, 101]
    assert sum(1 for _ in sheet.rows) == 3001


def test_ods_scanner_fed_in_pieces_measures_the_same_area():
    xml = (
        b'<office:document-content xmlns:office="o" xmlns:table="t"><table:table>'
        + b'<table:table-row><table:table-cell office:value-type="float"/><table:table-cell office:value-type="float"/></table:table-row>'
        * 500
        + b"</table:table></office:document-content>"
    )
    feed, largest, total = _ods_scanner()
    for i in range(0, len(xml), 333):
        feed(xml[i : i + 333], i + 333 >= len(xml))
    assert largest() == 1000 and total() == 1000


XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
DTD = b'<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">'  # an external DTD, no <!ENTITY to give it away


def sheet_with_late_doctype(doctype_at: int) -> bytes:
    """GOOD with a worksheet part whose DOCTYPE starts at byte `doctype_at`, after a comment (a valid XML prolog)."""
    padding = doctype_at - len(XML_DECL) - len(b"<!---->")
    part = XML_DECL + b"<!--" + b"x" * padding + b"-->" + DTD + sheet_xml(GOOD)
    assert part.index(b"<!DOCTYPE") == doctype_at
    return rezip(GOOD, replace={"xl/worksheets/sheet1.xml": part})


def test_doctype_after_the_first_megabyte_of_a_part_is_refused():
    assert "DOCTYPE" in first_error(sheet_with_late_doctype(1_100_000))


@pytest.mark.parametrize("before_border", [1, 4, 8])  # how many bytes of "<!DOCTYPE" (9) come before the border
def test_doctype_cut_by_a_chunk_border_is_refused(monkeypatch, before_border):
    from analysis.ingest import excel

    monkeypatch.setattr(excel, "STREAM_CHUNK", 4096)
    border = 40 * 4096  # past the first 64 KiB, and on a chunk border
    data = sheet_with_late_doctype(border - before_border)
    assert "DOCTYPE" in first_error(data)
