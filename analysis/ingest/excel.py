"""Reading workbooks safely and fast: checks on the raw bytes first, then python-calamine.

Nothing in an upload is ever executed: macros are never run, XML with DTDs is refused, and
zip archives are inspected (entry count, sizes, compression ratio, real decompressed size,
the cell area each sheet would occupy) before the reader parses anything.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePosixPath
from xml.parsers import expat

import python_calamine as pc
from defusedxml import ElementTree as SafeET

from analysis.core.formatting import format_number
from analysis.core.settings import Limits, limits
from analysis.ingest.problems import Problem, error

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")

SUPPORTED = "Excel-arbetsbok (.xlsx, .xlsm, .xls) eller OpenDocument-kalkylark (.ods)"
FILE_SHEET = "(filen)"

# A cell element holding something: any namespace prefix, the r attribute anywhere among the attributes, either quote.
# These checks are a fast first line; the parse itself runs under hard limits (analysis/ingest/isolated.py).
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_CELL_REF = rb"""(?=(?:[^>]*?\s)?r\s*=\s*["']([A-Z]{%s})(\d+)["'])"""
_VALUE_CELL = re.compile(rb"<" + _PREFIX + rb"c\s" + _CELL_REF % b"1,3" + rb"[^>]*?(?<!/)>\s*(?!</" + _PREFIX + rb"c>)")
_WIDE_VALUE_CELL = re.compile(
    rb"<" + _PREFIX + rb"c\s" + _CELL_REF % b"2,3" + rb"[^>]*?(?<!/)>\s*(?!</" + _PREFIX + rb"c>)"
)
_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*\bt="e"[^>]*>\s*(?:<f[^>]*(?:/>|>[^<]*</f>)\s*)?<v>([^<]*)</v>'
)
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


HEAD_ROWS = 64


class SheetRows(Sequence):
    """A sheet's rows read on demand from python-calamine: the first rows are kept, the rest are streamed.

    Reading a 200 000-row sheet this way never holds every row as Python objects at once.
    """

    def __init__(self, sheet: object, skip: int, count: int):
        self._sheet = sheet
        self._skip = skip
        self._count = count
        self._head: list[list[object]] | None = None

    def __len__(self) -> int:
        """The number of rows (from the first row with a value to the last)."""
        return self._count

    def iter_from(self, start: int = 0) -> Iterator[list[object]]:
        """The rows from `start` on, one at a time."""
        it = iter(self._sheet.iter_rows())
        for _ in range(self._skip + start):
            if next(it, None) is None:
                return
        yield from islice(it, max(self._count - start, 0))

    def __iter__(self) -> Iterator[list[object]]:
        """Every row, one at a time."""
        return self.iter_from(0)

    def head(self, n: int = HEAD_ROWS) -> list[list[object]]:
        """The first `n` rows (where headers and titles are); the first HEAD_ROWS are kept after the first use."""
        if n > HEAD_ROWS:
            return list(islice(self.iter_from(0), n))
        if self._head is None:
            self._head = list(islice(self.iter_from(0), HEAD_ROWS))
        return self._head[:n]

    def __getitem__(self, index):
        """A row or a slice; rows beyond the head are read on demand."""
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if stop <= HEAD_ROWS:
                return self.head()[start:stop:step]
            return list(islice(self.iter_from(start), 0, stop - start, step))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index < HEAD_ROWS:
            return self.head()[index]
        return next(self.iter_from(index))


@dataclass
class RawSheet:
    """The cell values of one sheet, with where they sit in Excel's coordinates."""

    name: str
    rows: SheetRows
    first_row: int = 1
    first_col: int = 1
    visible: bool = True
    formula_cells: set[tuple[int, int]] = field(default_factory=set)
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)

    def excel_row(self, index: int) -> int:
        """The row number Excel shows for rows[index]."""
        return self.first_row + index

    def excel_col(self, index: int) -> int:
        """The 1-based column number Excel shows for a value's index within a row."""
        return self.first_col + index


@dataclass
class RawWorkbook:
    """All sheets of an uploaded workbook, read but not yet interpreted."""

    file_name: str
    kind: str
    sheets: list[RawSheet]

    @property
    def visible_sheets(self) -> list[RawSheet]:
        """The sheets a user sees in Excel."""
        return [s for s in self.sheets if s.visible]


def column_letter(index: int) -> str:
    """Excel's column letters for a 1-based column number (1 -> A, 28 -> AB)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str | bytes) -> int:
    """The 1-based column number of Excel column letters (A -> 1, AB -> 28)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _mb(n: int) -> str:
    """A byte count in whole megabytes, Swedish style."""
    return f"{max(1, round(n / (1024 * 1024)))} MB"


def _sniff_non_workbook(data: bytes) -> str:
    """A Swedish description of what a non-workbook file appears to be."""
    head = data[:512]
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:6] in (b"GIF87a", b"GIF89a"):
        return "Filen är en bild, inte en arbetsbok."
    if head.startswith(b"%PDF"):
        return "Filen är en PDF, inte en arbetsbok."
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
        return "Filen är en webbsida (HTML) med filändelse för Excel, inte en riktig arbetsbok."
    try:
        text = data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data[:4096].decode("cp1252")
        except UnicodeDecodeError:
            text = ""
    if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text):
        if ";" in text or "," in text or "\t" in text:
            return "Filen är en textfil (CSV), inte en arbetsbok."
        return "Filen är en textfil, inte en arbetsbok."
    return "Filen är inte en arbetsbok som kan läsas."


def _has_dtd(xml: bytes) -> bool:
    """True when XML bytes (a whole part, or a streamed chunk with its overlap) declare a DTD or entities."""
    return b"<!DOCTYPE" in xml or b"<!ENTITY" in xml


def _local(name: str) -> str:
    """An XML name without its namespace ('{ns}sheet', 'ns sheet' as expat gives it, and 'x:sheet' -> 'sheet')."""
    return name.rsplit("}", 1)[-1].rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def _xlsx_sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part path, from workbook.xml and its relationships (any namespace)."""
    wb_xml = parts.get("xl/workbook.xml")
    rels_xml = parts.get("xl/_rels/workbook.xml.rels")
    if wb_xml is None or rels_xml is None:
        return {}
    targets = {}
    for rel in SafeET.fromstring(rels_xml).iter():
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = path
    out = {}
    for sheet in SafeET.fromstring(wb_xml).iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
        if rid in targets:
            out[sheet.get("name", "")] = targets[rid]
    return out


def _declared_sheet_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The worksheet parts the workbook's relationships point at, wherever they are stored (empty when unreadable).

    Read before the parts are streamed, so a sheet moved out of xl/worksheets/ is still measured; a broken or
    hostile workbook.xml is reported by the streaming checks that follow.
    """
    sizes = {i.filename: i.file_size for i in infos}
    names = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
    if any(sizes.get(n, SMALL_PART_BYTES + 1) > SMALL_PART_BYTES for n in names):
        return set()
    try:
        small = {n: zf.read(n) for n in names}
        if any(_has_dtd(x) for x in small.values()):
            return set()
        return set(_xlsx_sheet_parts(small).values())
    except Exception:  # damaged or hostile: the checks below say what is wrong
        return set()


@dataclass
class _PackageScan:
    """What the zip inspection learned: formula cells without values, per sheet name."""

    formula_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)
    error_cells: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)


def _inspect_zip(data: bytes, lim: Limits) -> tuple[str, _PackageScan, list[Problem]]:
    """Kind ('xlsx' or 'ods') and findings of a zip-based workbook, or problems that reject it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return (
            "",
            _PackageScan(),
            [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    "",
                    "Filen är skadad eller ofullständig och kan inte öppnas.",
                    "Öppna filen i Excel, spara den på nytt som .xlsx och ladda upp igen.",
                )
            ],
        )
    with zf:
        return _inspect_open_zip(zf, lim)


SMALL_PART_BYTES = 4 * 1024 * 1024
STREAM_CHUNK = 4 * 1024 * 1024
OVERLAP = 16 * 1024  # longer than any cell tag, so a match cut by a chunk border is seen whole in the next buffer
_BROKEN, _BOMB, _DTD = "broken", "bomb", "dtd"


class _SheetScanner:
    """Scans a worksheet part chunk by chunk: the cell area holding values, formulas without values, error cells."""

    def __init__(self) -> None:
        self.max_row = 0
        self.max_col = 0
        self.formulas: set[tuple[int, int]] = set()
        self.errors: dict[tuple[int, int], str] = {}
        self._tail = b""

    def feed(self, chunk: bytes, final: bool) -> None:
        """Scan the new bytes (with the carried-over tail), accepting matches that start before the new tail."""
        buf = self._tail + chunk
        accept = len(buf) if final else max(0, len(buf) - OVERLAP)
        wide = [column_number(m.group(1)) for m in _WIDE_VALUE_CELL.finditer(buf) if m.start() < accept]
        if wide:
            self.max_col = max(self.max_col, *wide)
        window = 1 << 16
        while True:
            last = None
            for m in _VALUE_CELL.finditer(buf, max(0, accept - window)):
                if m.start() < accept:
                    last = m
            if last is not None or accept - window <= 0:
                break
            window *= 4
        if last is not None:
            self.max_row = max(self.max_row, int(last.group(2)))
            self.max_col = max(self.max_col, 26 if len(last.group(1)) == 1 else column_number(last.group(1)))
        if b"<f" in buf:
            self.formulas.update(
                (int(m.group(2)), column_number(m.group(1)))
                for m in _FORMULA_NO_VALUE.finditer(buf)
                if m.start() < accept
            )
        if b't="e"' in buf:
            for m in _ERROR_CELL.finditer(buf):
                if m.start() < accept:
                    self.errors[(int(m.group(2)), column_number(m.group(1)))] = m.group(3).decode("utf-8", "replace")
        self._tail = b"" if final else buf[accept:]


DTD_OVERLAP = len(b"<!DOCTYPE") - 1  # bytes carried between chunks, so a DTD marker cut by a border is found


def _keeper(chunks: list[bytes]) -> Callable[[bytes, bool], None]:
    """A feed that keeps every chunk of a small part (read again after the scan)."""

    def feed(chunk: bytes, final: bool) -> None:
        """Keep the chunk."""
        chunks.append(chunk)

    return feed


def _discard(chunk: bytes, final: bool) -> None:
    """A feed that keeps nothing: the part is only checked."""


def _stream_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, feed) -> tuple[str, int]:
    """Decompress one part chunk by chunk into `feed(chunk, final)`: ('', size), or the problem and size so far."""
    total, carry = 0, b""
    try:
        with zf.open(info) as fh:
            chunk = fh.read(STREAM_CHUNK)
            while True:
                total += len(chunk)
                if total > cap:
                    return _BOMB, total
                # The whole part: each chunk, and the border with the previous one (a marker cut in two is seen whole).
                if _has_dtd(carry + chunk[:DTD_OVERLAP]) or _has_dtd(chunk):
                    return _DTD, total
                carry = chunk[-DTD_OVERLAP:]
                following = fh.read(STREAM_CHUNK)
                feed(chunk, not following)
                if not following:
                    return "", total
                chunk = following
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return _BROKEN, total


_ODS_VALUE_ATTRIBUTES = frozenset({"value-type", "value", "date-value", "time-value", "boolean-value", "string-value"})


def _ods_scanner():
    """An incremental expat parser measuring the cell areas of an ODS content part; returns (feed, largest, total).

    Names are matched without their namespace prefix and a cell counts as filled when it has any value attribute or
    any content (the reader materialises both), so a file cannot hide cells from the check by how it writes them.
    """
    state = {
        "row": 0,
        "col": 0,
        "row_rep": 1,
        "max_row": 0,
        "max_col": 0,
        "best": 0,
        "total": 0,
        "row_has": False,
        "cell_rep": 0,
        "cell_start": 0,
        "cell_filled": False,
        "in_cell": False,
    }

    def fill_cell() -> None:
        """Count the open cell as holding a value."""
        state["max_col"] = max(state["max_col"], state["cell_start"] + state["cell_rep"])
        state["row_has"] = True

    def start(name: str, attrs: dict[str, str]) -> None:
        """Track row and column positions as elements open."""
        local = _local(name)
        if state["in_cell"]:
            if not state["cell_filled"]:
                state["cell_filled"] = True
                fill_cell()
            return
        attributes = {_local(k): v for k, v in attrs.items()}
        if local == "table":
            state.update(row=0, max_row=0, max_col=0)
        elif local == "table-row":
            state["row_rep"] = int(attributes.get("number-rows-repeated", "1") or 1)
            state["col"] = 0
            state["row_has"] = False
        elif local in ("table-cell", "covered-table-cell"):
            rep = int(attributes.get("number-columns-repeated", "1") or 1)
            state.update(
                cell_rep=rep,
                cell_start=state["col"],
                in_cell=True,
                cell_filled=bool(_ODS_VALUE_ATTRIBUTES & attributes.keys()),
            )
            if state["cell_filled"]:
                fill_cell()
            state["col"] += rep

    def end(name: str) -> None:
        """Close cells, rows and tables, keeping the largest area seen and the sum over tables."""
        local = _local(name)
        if local in ("table-cell", "covered-table-cell"):
            state["in_cell"] = False
        elif state["in_cell"]:
            return
        elif local == "table-row":
            if state["row_has"]:
                state["max_row"] = state["row"] + state["row_rep"]
            state["row"] += state["row_rep"]
        elif local == "table":
            area = state["max_row"] * state["max_col"]
            state["best"] = max(state["best"], area)
            state["total"] += area

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    return (lambda chunk, final: parser.Parse(chunk, final)), (lambda: state["best"]), (lambda: state["total"])


_PART_PROBLEMS = {
    _BOMB: (
        "Filen packas upp till mer än vad den anger (möjlig zip-bomb).",
        "Filen kan vara skadlig och importeras inte.",
    ),
    _DTD: (
        "Filen innehåller otillåtna XML-deklarationer (DOCTYPE/ENTITY) och kan vara skadlig.",
        "Spara data i en ny arbetsbok i Excel och försök igen.",
    ),
    _BROKEN: (
        "Filen är skadad eller ofullständig och kan inte läsas.",
        "Öppna filen i Excel, spara den på nytt och ladda upp igen.",
    ),
}


def _inspect_open_zip(zf: zipfile.ZipFile, lim: Limits) -> tuple[str, _PackageScan, list[Problem]]:
    """The checks of `_inspect_zip` on an opened archive, streaming large parts so memory stays small."""
    scan = _PackageScan()
    infos = zf.infolist()
    if len(infos) > lim.max_zip_entries:
        return (
            "",
            scan,
            [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    len(infos),
                    f"Filen innehåller för många delar ({len(infos)}, högst {lim.max_zip_entries} tillåts).",
                    "Spara arbetsboken på nytt i Excel utan inbäddade objekt och försök igen.",
                )
            ],
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "content.xml" in names and ("mimetype" not in names or zf.read("mimetype").strip() == ODS_MIME):
        kind = "ods"
    else:
        return (
            "",
            scan,
            [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    "",
                    "Filen är ett zip-arkiv men ingen arbetsbok (till exempel ett Word-dokument).",
                    f"Ladda upp en {SUPPORTED}.",
                )
            ],
        )

    declared_total = sum(i.file_size for i in infos)
    if declared_total > lim.max_total_unzipped_bytes:
        return (
            kind,
            scan,
            [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    _mb(declared_total),
                    f"Filen packas upp till {_mb(declared_total)}, mer än tillåtna {_mb(lim.max_total_unzipped_bytes)}.",
                    "Dela upp data i mindre filer.",
                )
            ],
        )
    parts: dict[str, bytes] = {}
    sheets: dict[str, _SheetScanner] = {}
    sheet_parts = _declared_sheet_parts(zf, infos) if kind == "xlsx" else set()
    ods_feed, ods_area, ods_total = _ods_scanner()
    unzipped = 0
    try:
        for info in infos:
            if info.file_size > lim.max_part_bytes or (
                info.file_size > 5 * 1024 * 1024
                and info.file_size > lim.max_compression_ratio * max(info.compress_size, 1)
            ):
                return (
                    kind,
                    scan,
                    [
                        error(
                            FILE_SHEET,
                            None,
                            "",
                            info.filename,
                            "Filen innehåller en del som packas upp till orimligt mycket (möjlig zip-bomb).",
                            "Filen kan vara skadlig och importeras inte. Spara data i en ny arbetsbok och försök igen.",
                        )
                    ],
                )
            if not info.filename.endswith((".xml", ".rels")):
                continue
            cap = min(lim.max_part_bytes, lim.max_total_unzipped_bytes - unzipped)
            is_sheet = kind == "xlsx" and (info.filename.startswith("xl/worksheets/") or info.filename in sheet_parts)
            if is_sheet:
                sheets[info.filename] = scanner = _SheetScanner()
                feed = scanner.feed
            elif kind == "ods" and info.filename == "content.xml":
                feed = ods_feed
            elif info.file_size <= SMALL_PART_BYTES:
                chunks: list[bytes] = []
                feed = _keeper(chunks)
            else:
                feed = _discard  # e.g. sharedStrings: checked, not kept
            problem, size = _stream_part(zf, info, cap, feed)
            if problem:
                message, hint = _PART_PROBLEMS[problem]
                return kind, scan, [error(FILE_SHEET, None, "", info.filename, message, hint)]
            unzipped += size
            if info.file_size <= SMALL_PART_BYTES and not is_sheet and info.filename != "content.xml":
                parts[info.filename] = b"".join(chunks)
    except (expat.ExpatError, ValueError) as exc:
        return (
            kind,
            scan,
            [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    type(exc).__name__,
                    "Filens innehåll är skadat och kan inte läsas.",
                    "Öppna filen i Excel eller LibreOffice, spara den på nytt och ladda upp igen.",
                )
            ],
        )

    problems: list[Problem] = []
    try:
        if kind == "xlsx":
            total = 0
            for sheet_name, part in _xlsx_sheet_parts(parts).items():
                scanner = sheets.get(part)
                if scanner is None:
                    continue
                rows, cols = scanner.max_row, scanner.max_col
                total += rows * cols
                if rows * cols > lim.max_cells:
                    problems.append(
                        error(
                            sheet_name,
                            None,
                            "",
                            f"{rows} rader × {cols} kolumner",
                            f"Bladet är för stort: värden finns ända ner till rad {rows} och kolumn {column_letter(cols)}.",
                            "Ta bort tomma men ifyllda celler långt ner eller till höger, eller dela upp data.",
                        )
                    )
                if scanner.formulas:
                    scan.formula_cells[sheet_name] = scanner.formulas
                if scanner.errors:
                    scan.error_cells[sheet_name] = scanner.errors
            if total > lim.max_total_cells and not problems:
                problems.append(_total_cells_problem(FILE_SHEET, total, lim))
        elif ods_area() > lim.max_cells:
            problems.append(
                error(
                    FILE_SHEET,
                    None,
                    "",
                    f"{ods_area()} celler",
                    "Kalkylarket är för stort (för många ifyllda celler).",
                    "Dela upp data i mindre filer.",
                )
            )
        elif ods_total() > lim.max_total_cells:
            problems.append(_total_cells_problem(FILE_SHEET, ods_total(), lim))
    except (SafeET.ParseError, expat.ExpatError, ValueError) as exc:
        problems.append(
            error(
                FILE_SHEET,
                None,
                "",
                type(exc).__name__,
                "Filens innehåll är skadat och kan inte läsas.",
                "Öppna filen i Excel eller LibreOffice, spara den på nytt och ladda upp igen.",
            )
        )
    except Exception as exc:  # defusedxml raises its own DTD/entity errors
        problems.append(
            error(
                FILE_SHEET,
                None,
                "",
                type(exc).__name__,
                "Filen innehåller otillåtet innehåll och kan vara skadlig.",
                "Spara data i en ny arbetsbok och försök igen.",
            )
        )
    return kind, scan, problems


def _materialised_problem(sheet: str, height: int, width: int, total: int, lim: Limits) -> Problem | None:
    """The problem when a read sheet, or all sheets read so far, hold more cells than allowed; else None."""
    if height * width > lim.max_cells:
        return error(
            sheet,
            None,
            "",
            f"{height} rader × {width} kolumner",
            f"Bladet är för stort: {format_number(height * width)} celler, högst "
            f"{format_number(lim.max_cells)} per blad (SEGDASH_MAX_CELLS).",
            "Ta bort tomma men ifyllda celler långt ner eller till höger, eller dela upp data.",
        )
    if total > lim.max_total_cells:
        return _total_cells_problem(sheet, total, lim)
    return None


def _total_cells_problem(sheet: str, total: int, lim: Limits) -> Problem:
    """The problem for a workbook whose sheets together hold more cells than allowed."""
    return error(
        sheet,
        None,
        "",
        f"{total} celler",
        "Arbetsboken är för stor: bladen har tillsammans mer än "
        f"{format_number(lim.max_total_cells)} celler (SEGDASH_MAX_TOTAL_CELLS).",
        "Ta bort blad som inte behövs eller dela upp data i flera filer.",
    )


def read_workbook(
    data: bytes, file_name: str = "", lim: Limits | None = None
) -> tuple[RawWorkbook | None, list[Problem]]:
    """All sheets of an uploaded file, or None and the problems that stop it from being read."""
    lim = lim or limits()
    if not data:
        return None, [error(FILE_SHEET, None, "", file_name, "Filen är tom.", f"Ladda upp en {SUPPORTED}.")]
    if len(data) > lim.max_file_bytes:
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                _mb(len(data)),
                f"Filen är för stor ({_mb(len(data))}); högst {_mb(lim.max_file_bytes)} tillåts.",
                "Dela upp data i flera filer eller ta bort blad som inte behövs.",
            )
        ]
    try:
        return _read_checked(data, file_name, lim)
    except MemoryError:
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                _mb(len(data)),
                "Filen kräver för mycket minne för att läsas.",
                "Dela upp data i mindre filer eller ta bort tomma men formaterade rader och kolumner.",
            )
        ]


def _read_checked(data: bytes, file_name: str, lim: Limits) -> tuple[RawWorkbook | None, list[Problem]]:
    """The checks and the read of `read_workbook` for a non-empty file within the size limit."""
    scan = _PackageScan()
    if data.startswith(ZIP_MAGIC):
        kind, scan, problems = _inspect_zip(data, lim)
        if problems:
            return None, problems
    elif data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            return None, [
                error(
                    FILE_SHEET,
                    None,
                    "",
                    file_name,
                    "Arbetsboken är lösenordsskyddad och kan inte läsas.",
                    "Ta bort lösenordet i Excel (Arkiv > Info > Skydda arbetsbok) och ladda upp igen.",
                )
            ]
        kind = "xls"
    else:
        return None, [error(FILE_SHEET, None, "", file_name, _sniff_non_workbook(data), f"Ladda upp en {SUPPORTED}.")]

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: list[RawSheet] = []
        total_cells = 0
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            # What the reader has materialised (a dense range), whatever the checks on the raw bytes saw.
            cells = sheet.height * sheet.width
            total_cells += cells
            too_big = _materialised_problem(meta.name, sheet.height, sheet.width, total_cells, lim)
            if too_big is not None:
                return None, [too_big]
            start = sheet.start or (0, 0)
            count = (sheet.end[0] - start[0] + 1) if sheet.end else 0
            sheets.append(
                RawSheet(
                    name=meta.name,
                    rows=SheetRows(sheet, start[0], count),
                    first_row=start[0] + 1,
                    first_col=start[1] + 1,
                    visible=meta.visible == pc.SheetVisibleEnum.Visible,
                    formula_cells=scan.formula_cells.get(meta.name, set()),
                    error_cells=scan.error_cells.get(meta.name, {}),
                )
            )
    except pc.PasswordError:
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                file_name,
                "Arbetsboken är lösenordsskyddad och kan inte läsas.",
                "Ta bort lösenordet i Excel och ladda upp igen.",
            )
        ]
    except Exception as exc:  # calamine raises several error types for broken files
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                type(exc).__name__,
                "Filen är skadad eller ofullständig och kan inte läsas.",
                "Öppna filen i Excel, spara den på nytt och ladda upp igen.",
            )
        ]
    if not sheets:
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                file_name,
                "Arbetsboken innehåller inga kalkylblad.",
                "Lägg data på ett blad som heter Data och försök igen.",
            )
        ]
    if not any(s.visible for s in sheets):
        return None, [
            error(
                FILE_SHEET,
                None,
                "",
                ", ".join(s.name for s in sheets),
                "Arbetsboken har bara dolda blad.",
                "Gör bladet med data synligt i Excel (högerklicka på en bladflik > Ta fram) och spara igen.",
            )
        ]
    return RawWorkbook(file_name=file_name, kind=kind, sheets=sheets), []
