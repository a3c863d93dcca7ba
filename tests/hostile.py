"""Hostile and broken uploads, generated in code: each is a (name, bytes, expected Swedish fragment)."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass
from datetime import date

import openpyxl

from tests.builders import data_sheet, rezip, sheet_xml, xlsx

H = ["Område", "Indikator", "År", "Värde", "Kön"]
GOOD = data_sheet(["Berga", "ohalsotal", 2025, 20.0, "Totalt"])


@dataclass(frozen=True)
class Hostile:
    """One hostile input: a name, the file's bytes and a fragment its Swedish message must contain."""

    name: str
    data: bytes
    message: str


def _zeros(n: int) -> bytes:
    """An XML part of n zeros (compresses to almost nothing)."""
    return b"<x>" + b"0" * n + b"</x>"


def _xxe() -> bytes:
    """An external entity reading a local file."""
    xml = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst><si><t>&e;</t></si></sst>'
    return rezip(GOOD, add={"xl/sharedStrings.xml": xml})


def _billion_laughs() -> bytes:
    """Nested entity expansion in a worksheet."""
    ents = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"ha") for i in range(10))
    xml = b'<?xml version="1.0"?><!DOCTYPE w [' + ents + b"]><worksheet><sheetData>&l9;</sheetData></worksheet>"
    return rezip(GOOD, {"xl/worksheets/sheet1.xml": xml})


def _lying_header() -> bytes:
    """A part whose central directory claims it is tiny."""
    data = bytearray(rezip(GOOD, add={"xl/lie.xml": _zeros(400_000)}))
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 12)
    return bytes(data)


def _huge_dimension() -> bytes:
    """A value in the last cell of the sheet: the dense area would take gigabytes."""
    base = xlsx({"Data": [H]})
    xml = sheet_xml(base).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    )
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def _styled_empty_rows(n: int = 1_000_000) -> bytes:
    """A header and then a million empty rows that only carry a style."""
    base = xlsx({"Data": [H]})
    rows = b"".join(b'<row r="%d" s="1" customFormat="1"><c r="A%d" s="1"/></row>' % (i, i) for i in range(2, n + 2))
    xml = sheet_xml(base).replace(b"</sheetData>", rows + b"</sheetData>")
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def _ods_repeated() -> bytes:
    """An OpenDocument sheet whose repeated cells would fill billions of cells."""
    content = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        b'<table:table table:name="Data"><table:table-row table:number-rows-repeated="1000000">'
        b'<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/>'
        b"</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def _last_cell(cell: bytes, row: bytes = b'<row r="1048576">', end_row: bytes = b"</row>") -> bytes:
    """A Data sheet with a header and one more cell element (written as given) in the last row of the sheet."""
    base = xlsx({"Data": [H]})
    xml = sheet_xml(base).replace(b"</sheetData>", row + cell + end_row + b"</sheetData>")
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def _prefixed_cells() -> bytes:
    """Row and cell elements with a namespace prefix (x:row, x:c), as some generators write them."""
    base = xlsx({"Data": [H]})
    xml = (
        sheet_xml(base)
        .replace(b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ', 1)
        .replace(
            b"</sheetData>", b'<x:row r="1048576"><x:c r="XFD1048576" t="n"><x:v>1</x:v></x:c></x:row></sheetData>'
        )
    )
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def _moved_sheet_part() -> bytes:
    """The huge-dimension sheet stored outside xl/worksheets/ (the reader follows the relationship)."""
    big = _huge_dimension()
    z = zipfile.ZipFile(io.BytesIO(big))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in z.infolist():
            content = z.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                dst.writestr("xl/gomd/blad.xml", content)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"worksheets/sheet1.xml", b"gomd/blad.xml")
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"/xl/worksheets/sheet1.xml", b"/xl/gomd/blad.xml")
            dst.writestr(info.filename, content)
    return out.getvalue()


def _cells_without_reference(row: int, columns: int) -> bytes:
    """A Data sheet whose last row holds `columns` cells without an r attribute (the reader numbers them itself)."""
    base = xlsx({"Data": [H]})
    cells = b"<c><v>1</v></c>" * columns
    xml = sheet_xml(base).replace(b"</sheetData>", b'<row r="%d">' % row + cells + b"</row></sheetData>")
    return rezip(base, {"xl/worksheets/sheet1.xml": xml})


def _ods(table_xml: str) -> bytes:
    """An OpenDocument spreadsheet with one table (the given table:table element)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        + table_xml
        + "</office:spreadsheet></office:body></office:document-content>"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def _ods_value_without_type() -> bytes:
    """Repeated cells with office:value but no office:value-type: 30 million cells from a few hundred bytes."""
    return _ods(
        '<table:table table:name="Data"><table:table-row table:number-rows-repeated="30000">'
        '<table:table-cell office:value="1" table:number-columns-repeated="1000"/>'
        "</table:table-row></table:table>"
    )


def _many_sheets_each_under_the_limit(n: int = 30) -> bytes:
    """n sheets, each with a value at row 59 000 and column CV: 5,9 million cells each, 177 million in all."""
    base = xlsx({f"Blad{i}": [H] for i in range(1, n + 1)})
    replace = {}
    for i in range(1, n + 1):
        part = f"xl/worksheets/sheet{i}.xml"
        replace[part] = sheet_xml(base, part).replace(
            b"</sheetData>", b'<row r="59000"><c r="CV59000" t="n"><v>1</v></c></row></sheetData>'
        )
    return rezip(base, replace)


def _xls_many_sheets(n: int = 10) -> bytes:
    """An .xls (BIFF8) with n sheets, each with a value in its last cell (65 536 rows × 256 columns)."""
    import xlwt

    book = xlwt.Workbook()
    for i in range(n):
        ws = book.add_sheet(f"Blad{i + 1}")
        ws.write(0, 0, "Område")
        ws.write(65535, 255, 1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _hidden_only() -> bytes:
    """Every sheet hidden."""
    base = xlsx({"Data": [H, ["Berga", "ohalsotal", 2025, 1, "Totalt"]]})
    wb_xml = sheet_xml(base, "xl/workbook.xml").replace(b'state="visible"', b'state="hidden"')
    return rezip(base, {"xl/workbook.xml": wb_xml})


def _merged_header() -> bytes:
    """The header 'Område' merged over two columns, so the indicator column has no header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Område", None, "År", "Värde"])
    ws.merge_cells("A1:B1")
    ws.append(["Berga", "ohalsotal", 2025, 20])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _password_protected() -> bytes:
    """An OLE container as Excel writes for an encrypted workbook."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024
    )


def _docx() -> bytes:
    """A Word document (a zip, but not a workbook)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _random(n: int, seed: int) -> bytes:
    """Random bytes."""
    return random.Random(seed).randbytes(n)


def hostile_inputs() -> list[Hostile]:
    """Every hostile or broken input the suite tries; each must be refused with its message."""
    long_text = "x" * 100_000
    return [
        Hostile("xxe", _xxe(), "DOCTYPE"),
        Hostile("miljard-skratt", _billion_laughs(), "DOCTYPE"),
        Hostile("zip-del-for-stor", rezip(GOOD, add={"xl/big.xml": _zeros(160 * 1024 * 1024)}), "zip-bomb"),
        Hostile("zip-hog-kvot", rezip(GOOD, add={"xl/media/x.xml": _zeros(30_000_000)}), "zip-bomb"),
        Hostile(
            "zip-manga-delar", rezip(GOOD, add={f"xl/j/{i}.xml": b"<a/>" for i in range(2_100)}), "för många delar"
        ),
        Hostile("zip-ljugande-storlek", _lying_header(), "skadad"),
        Hostile("enorm-dimension", _huge_dimension(), "för stort"),
        Hostile("miljon-tomma-rader", _styled_empty_rows(), "inga datarader"),
        Hostile("ods-upprepade-celler", _ods_repeated(), "för stort"),
        Hostile("cell-attribut-i-annan-ordning", _last_cell(b'<c t="n" r="XFD1048576"><v>1</v></c>'), "för stort"),
        Hostile(
            "cell-enkla-citattecken",
            _last_cell(b"<c r='XFD1048576' t='n'><v>1</v></c>", b"<row r='1048576'>"),
            "för stort",
        ),
        Hostile("cell-med-namnrymdsprefix", _prefixed_cells(), "för stort"),
        Hostile("bladdel-utanfor-worksheets", _moved_sheet_part(), "för stort"),
        Hostile("ods-varde-utan-typ", _ods_value_without_type(), "för stort"),
        Hostile("trettio-blad-under-gransen", _many_sheets_each_under_the_limit(), "för stor"),
        Hostile("xls-tio-stora-blad", _xls_many_sheets(), "mer minne än gränsen"),
        # Cells without an r attribute are invisible to the checks on the raw bytes: the parse in the child catches them.
        Hostile(
            "celler-utan-adress",
            _cells_without_reference(5_000, 1_300),
            "Bladet är för stort: 6\u00a0500\u00a0000 celler",
        ),
        Hostile("celler-utan-adress-sista-raden", _cells_without_reference(1_048_576, 16_384), "mer minne än gränsen"),
        Hostile("csv-som-xlsx", "Område;Indikator;År;Värde\nBerga;ohalsotal;2025;20\n".encode(), "textfil (CSV)"),
        Hostile("bild-som-xlsx", b"\x89PNG\r\n\x1a\n" + _random(2000, 1), "bild"),
        Hostile("pdf-som-xlsx", b"%PDF-1.4\n" + _random(2000, 2), "PDF"),
        Hostile("html-som-xls", b"<html><body><table><tr><td>Berga</td></tr></table></body></html>", "HTML"),
        Hostile("slumpbytes", _random(50_000, 3), "inte en arbetsbok"),
        Hostile("avkortad", GOOD[: len(GOOD) * 2 // 3], "skadad"),
        Hostile("tom-fil", b"", "tom"),
        Hostile("losenord", _password_protected(), "lösenordsskyddad"),
        Hostile("bara-dolda-blad", _hidden_only(), "dolda blad"),
        Hostile("word-dokument", _docx(), "ingen arbetsbok"),
        Hostile("sammanfogad-rubrik", _merged_header(), "Kolumnen Indikator"),
        Hostile(
            "formel-utan-varde",
            data_sheet(["Berga", "ohalsotal", 2025, "=A1*2", "Totalt"]),
            "formel utan beräknat värde",
        ),
        Hostile("excel-fel", data_sheet(["Berga", "ohalsotal", 2025, "#DIV/0!", "Totalt"]), "Excel-felet"),
        Hostile(
            "text-100000-tecken",
            data_sheet(["Berga", "ohalsotal", 2025, 20, "Totalt", long_text], header=H + ["Kommentar"]),
            "för lång",
        ),
        Hostile(
            "script-i-omrade",
            data_sheet(["<script>alert(1)</script>", "ohalsotal", 2025, 20, "Totalt"]),
            "Okänt område",
        ),
        Hostile(
            "hyperlank-formel-i-omrade",
            xlsx({"Data": [H, ['=HYPERLINK("http://x","klick")', "ohalsotal", 2025, 1, ""]]}, formulas=False),
            "Okänt område",
        ),
        Hostile("plus-i-indikator", data_sheet(["Berga", "+cmd|' /C calc'!A0", 2025, 20, "Totalt"]), "Okänd indikator"),
        Hostile("snabel-a-i-kon", data_sheet(["Berga", "ohalsotal", 2025, 20, "@SUM(1+1)"]), "Okänt kön"),
        Hostile(
            "minus-formel-i-varde",
            xlsx({"Data": [H, ["Berga", "ohalsotal", 2025, "-2+3+cmd|' /C calc'!A0", ""]]}, formulas=False),
            "inte ett tal",
        ),
        Hostile("nan", data_sheet(["Berga", "ohalsotal", 2025, "NaN", "Totalt"]), "NaN"),
        Hostile("oandligt", data_sheet(["Berga", "ohalsotal", 2025, "inf", "Totalt"]), "NaN eller oändligt"),
        Hostile("datum-som-ar", xlsx({"Data": [H, ["Berga", "ohalsotal", date(2025, 1, 1), 20, "Totalt"]]}), "datum"),
        Hostile(
            "dubbla-rubriker",
            xlsx({"Data": [["Område", "Indikator", "År", "År", "Värde"], ["Berga", "ohalsotal", 2025, 2024, 1]]}),
            "finns två gånger",
        ),
        Hostile(
            "andelar-0-1",
            data_sheet(
                ["Berga", "forvarvsfrekvens", 2025, 0.61, "Totalt"], ["Ryd", "forvarvsfrekvens", 2025, 0.55, "Totalt"]
            ),
            "mellan 0 och 1",
        ),
        Hostile("negativt-antal", data_sheet(["Berga", "folkmangd", 2025, -3, "Totalt"]), "negativt"),
        Hostile("ar-utanfor", data_sheet(["Berga", "ohalsotal", 20250, 20, "Totalt"]), "utanför 1900–2100"),
        Hostile("inga-datarader", data_sheet(), "inga datarader"),
    ]
