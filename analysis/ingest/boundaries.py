"""Area boundaries from geodata uploads: GeoPackage, GeoJSON or zipped Shapefile, checked, matched and simplified.

The file is recognised by its content, a zip archive is inspected before anything is unpacked, and GDAL (through
pyogrio) reads it from memory. Each feature is matched to an area by code, then by name or alias; polygons are
checked and repaired (with a warning), reprojected to SWEREF 99 TM, simplified together so neighbours keep their
shared edges, and written as compact GeoJSON in WGS 84 lon/lat. Every failure becomes a Swedish problem that says
where and what to do; nothing is raised to the caller. Uploads from the web are read in a child process under hard
limits (`read_boundaries_isolated`).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import TypeVar

import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio import raw
from pyproj import CRS, Transformer

from analysis.core.formatting import format_number
from analysis.core.model import FOCUS, OTHER, conform
from analysis.core.settings import Limits, limits
from analysis.ingest.excel import FILE_SHEET, OLE_MAGIC, ZIP_MAGIC
from analysis.ingest.isolated import CRASH, limit_problem, run_limited
from analysis.ingest.names import AliasTable, normalise
from analysis.ingest.problems import Problem, error, warning

T = TypeVar("T")

SUPPORTED = "GeoPackage (.gpkg), GeoJSON (.geojson) eller zippad Shapefile (.zip med .shp, .shx, .dbf och .prj)"
SQLITE_MAGIC = b"SQLite format 3\x00"
SHP_MAGIC = b"\x00\x00\x27\x0a"  # the file code 9994 that opens a .shp and a .shx
GPKG, GEOJSON, SHAPEFILE = "GeoPackage", "GeoJSON", "Shapefile"
_DRIVERS = {GPKG: {"GPKG"}, GEOJSON: {"GeoJSON", "GeoJSONSeq"}, SHAPEFILE: {"ESRI Shapefile"}}

METRIC_CRS = "EPSG:3006"  # SWEREF 99 TM: metres, covers Sweden; simplification happens here
WGS84 = "EPSG:4326"
SIMPLIFY_METRES = 10.0  # coverage simplification tolerance: invisible at district scale, a fraction of the vertices
DECIMALS = 6  # about 0.1 m in lon/lat
# Generous lon/lat bounds of Sweden: boundaries wholly outside them come from a wrongly stated coordinate system.
SWEDEN_BOUNDS = (9.0, 54.5, 25.5, 70.0)
_BOMB_MIN_BYTES = 5 * 1024 * 1024  # as for workbooks: small parts may compress very well
MAX_ROW_PROBLEMS = 20  # problems of one kind listed feature by feature; the rest are summed up in one
MAX_LISTED = 10  # unmatched features warned one by one; more are listed in one warning

# Column names for the area code and name, best first; compared case-folded, without diacritics, '_', '-' or spaces.
CODE_COLUMNS: tuple[str, ...] = (
    "kod",
    "code",
    "regsokod",
    "regso_kod",
    "desokod",
    "deso_kod",
    "deso",
    "områdeskod",
    "distriktskod",
    "id",
)
NAME_COLUMNS: tuple[str, ...] = (
    "namn",
    "name",
    "regsonamn",
    "regso",
    "desonamn",
    "områdesnamn",
    "distriktsnamn",
    "distrikt",
    "område",
)

_TYPE_WORDS = {
    0: "en punkt",
    1: "en linje",
    2: "en ring (linje)",
    4: "flera punkter",
    5: "flera linjer",
    7: "en blandad geometrisamling",
}
# GEOS' reasons for an invalid polygon, in Swedish (matched on the start of the reason).
_REASONS: tuple[tuple[str, str], ...] = (
    ("Ring Self-intersection", "Självkorsande ring"),
    ("Self-intersection", "Självkorsande polygon"),
    ("Too few points", "För få hörnpunkter i en del av polygonen"),
    ("Interior is disconnected", "Polygonens inre är uppdelat i flera delar"),
    ("Hole lies outside shell", "Ett hål ligger utanför ytterkanten"),
    ("Nested holes", "Ett hål ligger inuti ett annat hål"),
    ("Nested shells", "En ytterkant ligger inuti en annan"),
    ("Duplicate Rings", "Dubblerade ringar"),
    ("Ring is not closed", "En ring är inte sluten"),
    ("Invalid Coordinate", "Ogiltig koordinat"),
)
_GIS_HINT = "Öppna filen i QGIS, spara den på nytt som GeoPackage och ladda upp igen."
_CRS_HINT = "Koordinatsystemet i filen är troligen fel angivet. Ange rätt system i QGIS (t.ex. SWEREF 99 TM, EPSG:3006) och spara om filen."


@dataclass(frozen=True)
class BoundaryLimits:
    """Bounds on a boundary upload: features and vertices, plus the general upload limits (file, zip, child process)."""

    max_features: int = 20_000
    max_vertices: int = 5_000_000
    upload: Limits = field(default_factory=limits)


@dataclass(frozen=True)
class BoundaryRead:
    """What a boundary upload gave: the boundaries per area (None when an error blocks the import) and the findings."""

    boundaries: pd.DataFrame | None
    problems: list[Problem]
    unmatched: tuple[str, ...]
    without_shape: tuple[str, ...]
    n_features: int = 0
    n_vertices: int = 0
    crs: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return self.boundaries is not None and not any(p.is_error for p in self.problems)


class _Stop(Exception):
    """A problem that ends the read early (carries the problems so far)."""

    def __init__(self, *problems: Problem):
        super().__init__(problems[0].message if problems else "")
        self.problems = list(problems)


def _mb(n: int) -> str:
    """A byte count in megabytes (kilobytes below one megabyte), Swedish style."""
    if n < 1024 * 1024:
        return f"{format_number(max(1, round(n / 1024)))} kB"
    return f"{format_number(round(n / (1024 * 1024)))} MB"


def _coordinates(*values: float) -> str:
    """Coordinates for a message: whole numbers, or three digits when absurdly large."""
    return ", ".join(f"{v:.0f}" if abs(v) < 1e9 else f"{v:.3g}" for v in values)


def _file_error(value: object, message: str, hint: str) -> _Stop:
    """An error about the whole file, ready to raise."""
    return _Stop(error(FILE_SHEET, None, "", value, message, hint))


# --- recognising the file ------------------------------------------------------------------------------------------


def _sniff(data: bytes, file_name: str) -> str:
    """The format of the upload by its content (GeoPackage, GeoJSON or a zip archive), or raise what it is instead."""
    head = data[:1024]
    if head.startswith(SQLITE_MAGIC):
        return GPKG
    if head.startswith(ZIP_MAGIC):
        return SHAPEFILE
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n\x1e")
    if text.startswith(b"{"):
        return GEOJSON
    lowered = head.lower()
    suffix = PurePosixPath(file_name.lower()).suffix
    if head.startswith(SHP_MAGIC) or suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        raise _file_error(
            file_name,
            "En Shapefile kan inte läsas som en enda fil: koordinatsystem och egenskaper finns i filerna bredvid "
            "(.shx, .dbf, .prj).",
            "Packa .shp, .shx, .dbf och .prj med samma namn i en zip-fil och ladda upp zip-filen.",
        )
    if head.startswith(OLE_MAGIC):
        what = "Filen är en äldre Excel- eller Office-fil, inte en fil med områdesgränser."
    elif head.startswith(b"%PDF"):
        what = "Filen är en PDF, inte en fil med områdesgränser."
    elif head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:6] in (b"GIF87a", b"GIF89a"):
        what = "Filen är en bild, inte en fil med områdesgränser."
    elif b"<kml" in lowered:
        what = "Filen är KML, som inte stöds."
    elif b"<html" in lowered or b"<!doctype html" in lowered:
        what = "Filen är en webbsida (HTML), inte en fil med områdesgränser."
    elif suffix in (".geojson", ".json"):
        what = "Filen är inte giltig GeoJSON (den börjar inte med '{')."
    elif _looks_like_text(head):
        what = "Filen är en textfil men inte GeoJSON."
    else:
        what = "Filen är inte en fil med områdesgränser som kan läsas."
    raise _file_error(file_name, what, f"Ladda upp en {SUPPORTED}. I QGIS: Exportera > Spara objekt som.")


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes read as printable UTF-8 text."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text) and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) > 0.95 * len(text)


def _zip_kind_error(names: list[str]) -> _Stop:
    """What a zip archive without a complete Shapefile is, as the error to raise."""
    lowered = [n.lower() for n in names]
    shp = [n for n in names if n.lower().endswith(".shp")]
    if any(n.startswith("xl/") for n in lowered):
        what = "Filen är en Excel-arbetsbok, inte en fil med områdesgränser."
        hint = f"Arbetsböcker laddas upp som data. Gränser laddas upp som {SUPPORTED}."
    elif any(n.startswith(("word/", "ppt/")) for n in lowered) or "content.xml" in lowered:
        what = "Filen är ett Office-dokument, inte en fil med områdesgränser."
        hint = f"Ladda upp en {SUPPORTED}."
    elif shp:
        return _file_error(
            shp[0],
            "Shapefilen i zip-filen är ofullständig: .shx eller .dbf med samma namn saknas.",
            "En Shapefile består av flera filer: packa .shp, .shx, .dbf och .prj med samma namn i samma zip-fil.",
        )
    elif any(n.endswith((".gpkg", ".geojson", ".json")) for n in lowered):
        what = "Zip-filen innehåller en GeoPackage- eller GeoJSON-fil, inte en Shapefile."
        hint = "Packa upp zip-filen och ladda upp .gpkg- eller .geojson-filen direkt."
    else:
        what = "Zip-filen innehåller ingen Shapefile (.shp med .shx och .dbf)."
        hint = f"Ladda upp en {SUPPORTED}."
    return _file_error(", ".join(names[:5]), what, hint)


def _shapefile_parts(data: bytes, lim: Limits) -> bytes:
    """The Shapefiles of a zip archive, checked (entries, sizes, ratios, real sizes) and repacked flat and unpacked.

    GDAL reads a zip from memory only when the Shapefile lies at its root; the repacked archive holds just the parts
    of each complete Shapefile (.shp, .shx, .dbf, .prj, .cpg) under their base names.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _file_error(
            type(exc).__name__,
            "Zip-filen är skadad eller ofullständig och kan inte öppnas.",
            "Packa filerna på nytt och ladda upp igen.",
        ) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > lim.max_zip_entries:
            raise _file_error(
                len(infos),
                f"Zip-filen innehåller för många filer ({format_number(len(infos))}, högst "
                f"{format_number(lim.max_zip_entries)} tillåts).",
                "Packa bara Shapefilens filer (.shp, .shx, .dbf, .prj) och ladda upp igen.",
            )
        declared = sum(i.file_size for i in infos)
        if declared > lim.max_total_unzipped_bytes:
            raise _file_error(
                _mb(declared),
                f"Zip-filen packas upp till {_mb(declared)}, mer än tillåtna {_mb(lim.max_total_unzipped_bytes)}.",
                "Ta bara med de områden som behövs, eller förenkla gränserna, och ladda upp igen.",
            )
        sets: dict[str, dict[str, zipfile.ZipInfo]] = {}
        for info in infos:
            path = PurePosixPath(info.filename)
            if path.name.startswith("._") or "__MACOSX" in path.parts:
                continue
            suffix = path.suffix.lower()
            if suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                sets.setdefault(str(path.with_suffix("")).lower(), {})[suffix] = info
        complete = {k: v for k, v in sets.items() if {".shp", ".shx", ".dbf"} <= v.keys()}
        if not complete:
            raise _zip_kind_error([i.filename for i in infos])
        out = io.BytesIO()
        budget = lim.max_total_unzipped_bytes
        used: set[str] = set()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as packed:
            for parts in complete.values():
                stem = PurePosixPath(parts[".shp"].filename).stem
                while stem.lower() in used:
                    stem += "_2"
                used.add(stem.lower())
                for suffix, info in parts.items():
                    content = _unpack(zf, info, min(budget, lim.max_part_bytes), lim)
                    budget -= len(content)
                    packed.writestr(stem + suffix, content)
        return out.getvalue()


def _unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, lim: Limits) -> bytes:
    """One part of a zip archive, unpacked at most to cap bytes; raise on a zip bomb, a password or damage."""
    bomb = _file_error(
        info.filename,
        "Zip-filen innehåller en fil som packas upp till orimligt mycket (möjlig zip-bomb).",
        "Filen kan vara skadlig och importeras inte. Packa Shapefilens filer på nytt och försök igen.",
    )
    if info.file_size > cap or (
        info.file_size > _BOMB_MIN_BYTES and info.file_size > lim.max_compression_ratio * max(info.compress_size, 1)
    ):
        raise bomb
    try:
        with zf.open(info) as fh:
            content = fh.read(cap + 1)
    except RuntimeError:  # zipfile: "... is encrypted, password required for extraction"
        raise _file_error(
            info.filename,
            "Zip-filen är lösenordsskyddad.",
            "Packa filerna utan lösenord och ladda upp igen.",
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise _file_error(
            info.filename,
            f"Zip-filen är skadad eller packad på ett sätt som inte kan läsas ({type(exc).__name__}).",
            "Packa filerna på nytt med vanlig zip-komprimering och ladda upp igen.",
        ) from None
    if len(content) > cap:
        raise bomb
    return content


def _named(data: bytes) -> bytes:
    """A GeoPackage inside an unpacked zip archive under a .gpkg name (read from memory without a name, GDAL warns)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as packed:
        packed.writestr("upload.gpkg", data)
    return out.getvalue()


def _is_out_of_memory(exc: BaseException) -> bool:
    """True when an exception (or its cause) is a failed allocation, also one GDAL reported as an error."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, MemoryError):
            return True
        text = str(current).lower()
        if "out of memory" in text or "cannot allocate" in text or type(current).__name__ == "CPLE_OutOfMemoryError":
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def _gdal_call(kind: str, sheet: str, call: Callable[[], T]) -> T:
    """A pyogrio call whose failure becomes a Swedish error (a failed allocation stays a MemoryError)."""
    try:
        return call()
    except _Stop:
        raise
    except Exception as exc:
        if _is_out_of_memory(exc):
            raise MemoryError(str(exc)) from None
        raise _Stop(
            error(
                sheet,
                None,
                "",
                str(exc) or type(exc).__name__,
                f"Filen kunde inte läsas som {kind}: den är skadad, ofullständig eller i ett format som inte stöds.",
                _GIS_HINT,
            )
        ) from None


# --- layer, columns and coordinate system --------------------------------------------------------------------------


def _layer_words(geometry_type: str | None) -> str:
    """A layer's geometry type in Swedish words ('punkter', 'linjer'), or as GDAL names it."""
    text = geometry_type or "ingen geometri"
    if "Point" in text:
        return "punkter"
    if "Line" in text or "Curve" in text:
        return "linjer"
    return text


def _layer_name(name: str, file_name: str) -> str:
    """A layer's name as the user knows it (a GeoJSON read from memory is named after a temporary file)."""
    if name.startswith("pyogrio_"):
        return PurePosixPath(file_name).stem or FILE_SHEET
    return name


def _choose_layer(rows: list[tuple[int, str, str | None]]) -> tuple[int, str, list[Problem]]:
    """The layer to read among (index, name, geometry type): the first with polygons, with a warning if more have."""
    polygonal = [(k, n) for k, n, t in rows if t and ("Polygon" in t or "Surface" in t)]
    unknown = [(k, n) for k, n, t in rows if t in ("Unknown", "Geometry", "GeometryCollection")]
    if polygonal:
        index, chosen = polygonal[0]
        if len(polygonal) == 1:
            return index, chosen, []
        others = ", ".join(n for _, n in polygonal[1:])
        return (
            index,
            chosen,
            [
                warning(
                    chosen,
                    None,
                    "",
                    others,
                    f"Filen har {len(polygonal)} lager med ytor; det första, {chosen}, användes.",
                    "Om ett annat lager avsågs: spara bara det lagret i filen (i QGIS: Exportera > Spara objekt som) "
                    "och ladda upp igen.",
                )
            ],
        )
    if unknown:
        return unknown[0][0], unknown[0][1], []
    if not rows:
        raise _file_error("", "Filen innehåller inga lager med geodata.", f"Ladda upp en {SUPPORTED}.")
    _, name, gtype = next((r for r in rows if r[2]), rows[0])
    raise _Stop(
        error(
            name,
            None,
            "",
            gtype or "",
            f"Filen innehåller inga ytor (polygoner): lagret {name} har {_layer_words(gtype)}.",
            "Områdesgränser måste vara ytor (Polygon eller MultiPolygon). Exportera områdena som polygoner och "
            "ladda upp igen.",
        )
    )


@dataclass(frozen=True)
class _Layer:
    """The layer to read: where it is, what it is called, its coordinate system and its code and name columns."""

    index: int
    name: str
    crs: CRS
    code_column: str | None
    name_column: str | None
    problems: list[Problem]


def _too_many_features(count: str, lim: BoundaryLimits) -> _Stop:
    """The error for a file with more features than allowed."""
    return _file_error(
        count,
        f"Filen innehåller {count} objekt; högst {format_number(lim.max_features)} tillåts.",
        "Ta bara med områdena i kommunen (i QGIS t.ex. filtrera på kommunkod 0580) och ladda upp igen.",
    )


def _no_features(layer: str) -> _Stop:
    """The error for a layer without features."""
    return _Stop(
        error(layer, None, "", "", "Lagret innehåller inga objekt.", "Ladda upp en fil med områdenas gränser.")
    )


def _open_layer(payload: bytes, kind: str, file_name: str, lim: BoundaryLimits) -> _Layer:
    """The layer with the boundaries, checked before its features are read: format, count, columns, CRS."""
    if kind == GEOJSON:  # one layer; listing it would parse the whole file once more
        first = _gdal_call(kind, FILE_SHEET, lambda: pyogrio.read_info(payload, layer=0))
        rows = [(0, _layer_name(str(first.get("layer_name", "")), file_name), first.get("geometry_type"))]
    else:
        listed = _gdal_call(kind, FILE_SHEET, lambda: pyogrio.list_layers(payload))
        rows = [(k, _layer_name(str(n), file_name), None if t is None else str(t)) for k, (n, t) in enumerate(listed)]
    index, name, problems = _choose_layer(rows)
    info = first if kind == GEOJSON else _gdal_call(kind, name, lambda: pyogrio.read_info(payload, layer=index))
    driver = str(info.get("driver", ""))
    if driver not in _DRIVERS[kind]:
        raise _file_error(
            driver, f"Filen lästes som {driver or 'okänt format'}, som inte stöds.", f"Ladda upp en {SUPPORTED}."
        )
    count = int(info.get("features", -1))
    if count > lim.max_features:
        raise _too_many_features(format_number(count), lim)
    if count == 0:
        raise _no_features(name)
    fields = [str(f) for f in info.get("fields", [])]
    code_column, name_column = find_columns(fields)
    if code_column is None and name_column is None:
        raise _Stop(
            error(
                name,
                None,
                "",
                ", ".join(fields) or "(inga kolumner)",
                "Filen saknar en kolumn med områdenas kod eller namn.",
                "Döp kolumnen med koden till 'kod' (eller regsokod, deso) eller kolumnen med namnet till 'namn' "
                "(eller regso) och ladda upp igen.",
            )
        )
    crs = _source_crs(kind, name, info.get("crs"))
    return _Layer(index, name, crs, code_column, name_column, problems)


def _key(column: str) -> str:
    """A column name as compared: case-folded, without diacritics, underscores, hyphens or spaces."""
    return re.sub(r"[\s_\-]+", "", normalise(column))


def find_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """The properties holding the area code and the area name (case-insensitive, common spellings), or None."""
    keys = {}
    for c in columns:
        keys.setdefault(_key(c), c)
    code = next((keys[_key(c)] for c in CODE_COLUMNS if _key(c) in keys), None)
    name = next((keys[_key(c)] for c in NAME_COLUMNS if _key(c) in keys and keys[_key(c)] != code), None)
    return code, name


def _crs_label(crs: CRS) -> str:
    """A coordinate system as 'EPSG:3006', or its name when it has no EPSG code."""
    try:
        epsg = crs.to_epsg(min_confidence=70)
    except Exception:
        epsg = None
    return f"EPSG:{epsg}" if epsg else crs.name


def _source_crs(kind: str, layer: str, stated: str | None) -> CRS:
    """The layer's coordinate system; a GeoJSON without one is WGS 84 (RFC 7946), other formats must state theirs."""
    if not stated:
        if kind == GEOJSON:
            return CRS.from_user_input(WGS84)
        if kind == SHAPEFILE:
            message = "Shapefilen saknar koordinatsystem (.prj-filen saknas i zip-filen)."
            hint = "Lägg med .prj-filen i zip-filen, eller spara om data i QGIS med koordinatsystemet angivet (t.ex. SWEREF 99 TM, EPSG:3006)."
        else:
            message = "GeoPackage-lagret saknar koordinatsystem."
            hint = "Ange lagrets koordinatsystem i QGIS (t.ex. SWEREF 99 TM, EPSG:3006) och spara om filen."
        raise _Stop(error(layer, None, "", "", message, hint))
    try:
        return CRS.from_user_input(stated)
    except Exception:
        raise _Stop(error(layer, None, "", stated, "Filens koordinatsystem kan inte tolkas.", _CRS_HINT)) from None


def _check_coordinates(kind: str, layer: str, crs: CRS, bounds: np.ndarray) -> None:
    """Raise when the coordinates cannot be in the stated system or do not land in Sweden."""
    if not np.all(np.isfinite(bounds)):
        return  # no geometry to judge; the features are reported one by one
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    label = _crs_label(crs)
    if crs.is_geographic and (minx < -180 or maxx > 180 or miny < -90 or maxy > 90):
        sweref = 200_000 <= minx and maxx <= 1_000_000 and 6_000_000 <= miny and maxy <= 7_800_000
        system = "SWEREF 99 TM (meter)" if sweref else "ett projicerat koordinatsystem (meter)"
        if kind == GEOJSON and label == WGS84:
            raise _Stop(
                error(
                    layer,
                    None,
                    "",
                    _coordinates(minx, miny, maxx, maxy),
                    f"Koordinaterna ser ut att vara i {system}, men GeoJSON-filen anger inget koordinatsystem och "
                    "tolkas då som WGS 84 (longitud/latitud).",
                    "Spara om filen som GeoJSON i WGS 84 (EPSG:4326), eller som GeoPackage, som anger sitt "
                    "koordinatsystem.",
                )
            )
        raise _Stop(
            error(
                layer,
                None,
                "",
                _coordinates(minx, miny, maxx, maxy),
                f"Koordinaterna passar inte filens koordinatsystem ({label}): de ser ut att vara i {system}.",
                _CRS_HINT,
            )
        )
    try:
        to_wgs = Transformer.from_crs(crs, WGS84, always_xy=True)
        west, south, east, north = to_wgs.transform_bounds(minx, miny, maxx, maxy)
    except Exception:
        west = south = east = north = math.inf
    w, s, e, n = SWEDEN_BOUNDS
    if not all(math.isfinite(v) for v in (west, south, east, north)) or east < w or west > e or north < s or south > n:
        where = (
            f"longitud {(west + east) / 2:.1f}, latitud {(south + north) / 2:.1f}"
            if all(math.isfinite(v) for v in (west, south, east, north))
            else "utanför jorden"
        )
        raise _Stop(
            error(
                layer,
                None,
                "",
                label,
                f"Gränserna hamnar inte i Sverige när de räknas om från {label} (de hamnar vid {where}).",
                _CRS_HINT,
            )
        )


# --- matching ------------------------------------------------------------------------------------------------------


def _texts(values: np.ndarray | None, n: int) -> list[str]:
    """A property's values as trimmed text ('' for missing; 12.0 -> '12')."""
    if values is None:
        return [""] * n
    out = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return out


def _label(code: str, name: str, row: int) -> str:
    """A feature as 'kod – namn' (or what it has)."""
    return " – ".join(p for p in (code, name) if p) or f"objekt {row}"


def _match(areas: pd.DataFrame, codes: list[str], names: list[str]) -> list[str | None]:
    """The area each feature belongs to: by code (the areas' code), then by name, alias or code through aliases."""
    by_code = {normalise(c): str(n) for n, c in zip(areas["name"], areas["code"]) if str(c).strip()}
    alias = AliasTable.for_areas(areas)
    out: list[str | None] = []
    for code, name in zip(codes, names):
        found = by_code.get(normalise(code)) if code else None
        if found is None and name:
            found = alias.lookup(name)
        if found is None and code:
            found = alias.lookup(code)
        out.append(found)
    return out


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_ROW_PROBLEMS problems of one kind, and one that sums up the rest."""
    if len(problems) <= MAX_ROW_PROBLEMS:
        return problems
    first, rest = problems[0], len(problems) - MAX_ROW_PROBLEMS
    summary = replace(
        first,
        row=None,
        column="",
        value=f"{format_number(rest)} objekt",
        message=f"Ytterligare {format_number(rest)} objekt har samma slags problem (visas inte var för sig).",
    )
    return [*problems[:MAX_ROW_PROBLEMS], summary]


# --- geometry ------------------------------------------------------------------------------------------------------


def _reason_words(reason: str) -> str:
    """A GEOS validity reason in Swedish."""
    for prefix, words in _REASONS:
        if reason.startswith(prefix):
            return words
    return "Ogiltig polygon"


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """The polygonal parts of each geometry as one (Multi)Polygon, or None where nothing with area is left."""
    out = np.full(len(geoms), None, dtype=object)
    if len(geoms) == 0:
        return out
    parts, owner = shapely.get_parts(geoms, return_index=True)
    subparts, sub_owner = shapely.get_parts(parts, return_index=True)
    owner = owner[sub_owner]
    keep = (shapely.get_type_id(subparts) == 3) & ~shapely.is_empty(subparts)
    keep[keep] &= shapely.area(subparts[keep]) > 0
    if keep.any():
        index, inverse = np.unique(owner[keep], return_inverse=True)
        merged = shapely.multipolygons(subparts[keep], indices=inverse)
        single = shapely.get_num_geometries(merged) == 1
        merged[single] = shapely.get_geometry(merged[single], 0)
        out[index] = merged
    return out


def _reproject(geoms: np.ndarray, source: CRS | str, target: CRS | str, decimals: int | None = None) -> np.ndarray:
    """Geometries from one coordinate system to another (x east, y north), optionally rounded."""
    tr = Transformer.from_crs(source, target, always_xy=True)

    def move(xy: np.ndarray) -> np.ndarray:
        """All coordinates at once through the transformer."""
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        out = np.column_stack([x, y])
        return np.round(out, decimals) if decimals is not None else out

    return shapely.transform(geoms, move)


def _check_geometries(
    geoms: np.ndarray, layer: str, labels: list[str], features: np.ndarray
) -> tuple[np.ndarray, list[Problem]]:
    """The matched features' geometries checked and repaired: (Multi)Polygons, and the problems (per feature row)."""
    problems: list[Problem] = []
    fixed = geoms.copy()
    missing = np.array([g is None for g in geoms], dtype=bool)
    present = ~missing
    empty = present.copy()
    empty[present] = shapely.is_empty(geoms[present])
    type_ids = np.full(len(geoms), -1)
    type_ids[present] = shapely.get_type_id(geoms[present])
    wrong = present & ~empty & ~np.isin(type_ids, (3, 6))
    nonfinite = np.zeros(len(geoms), dtype=bool)
    usable = present & ~empty & ~wrong
    if usable.any():
        coords, index = shapely.get_coordinates(geoms[usable], return_index=True)
        bad = np.unique(index[~np.isfinite(coords).all(axis=1)])
        nonfinite[np.flatnonzero(usable)[bad]] = True
    usable &= ~nonfinite

    def row_error(mask: np.ndarray, message: Callable[[int], str], hint: str) -> None:
        """One error per flagged feature (capped)."""
        problems.extend(
            _capped([error(layer, int(features[i]) + 1, "", labels[i], message(i), hint) for i in np.flatnonzero(mask)])
        )

    row_error(
        missing,
        lambda i: "Objektet saknar geometri, eller geometrin kan inte läsas.",
        "Rita områdets gräns eller ta bort objektet och ladda upp igen.",
    )
    row_error(empty, lambda i: "Objektets geometri är tom.", "Rita områdets gräns eller ta bort objektet.")
    row_error(
        wrong,
        lambda i: f"Geometrin är {_TYPE_WORDS.get(int(type_ids[i]), 'inte en yta')}, inte en yta (polygon).",
        "Områdesgränser måste vara ytor (Polygon eller MultiPolygon). Rätta objektet eller ta bort det.",
    )
    row_error(
        nonfinite,
        lambda i: "Geometrin har ogiltiga koordinater (inte tal).",
        "Rätta objektet i ett GIS-program eller ta bort det och ladda upp igen.",
    )

    candidates = np.flatnonzero(usable)
    invalid = candidates[~shapely.is_valid(geoms[candidates])]
    if len(invalid):
        reasons = shapely.is_valid_reason(geoms[invalid])
        repaired = _polygonal(shapely.make_valid(geoms[invalid]))
        repaired_ok, failed = [], []
        for i, reason, geom in zip(invalid, reasons, repaired):
            words = _reason_words(str(reason))
            if geom is None:
                failed.append(
                    error(
                        layer,
                        int(features[i]) + 1,
                        "",
                        f"{labels[i]}: {reason}",
                        f"{words}; geometrin kunde inte repareras till en yta.",
                        "Rätta gränsen i ett GIS-program (t.ex. QGIS: Fix geometries) och ladda upp igen.",
                    )
                )
            else:
                fixed[i] = geom
                repaired_ok.append(
                    warning(
                        layer,
                        int(features[i]) + 1,
                        "",
                        f"{labels[i]}: {reason}",
                        f"{words} reparerades automatiskt.",
                        "Kontrollera gränsen på kartan; rätta den i ett GIS-program (t.ex. QGIS: Fix geometries) om "
                        "den ser fel ut.",
                    )
                )
        problems.extend(_capped(failed))
        problems.extend(_capped(repaired_ok))
    return fixed, problems


def _simplify(geoms: np.ndarray, groups: list[str], layer: str) -> tuple[np.ndarray, list[Problem]]:
    """Geometries (metres) simplified for the screen, each group as one coverage so neighbours keep shared edges."""
    out = geoms.copy()
    problems: list[Problem] = []
    for group in dict.fromkeys(groups):
        index = np.array([i for i, g in enumerate(groups) if g == group])
        part = geoms[index]
        try:
            coverage = bool(shapely.coverage_is_valid(part))
        except shapely.errors.GEOSException:
            coverage = False
        simplified = None
        if coverage:
            try:
                simplified = shapely.coverage_simplify(part, SIMPLIFY_METRES)
            except shapely.errors.GEOSException:
                simplified = None
        if simplified is None:
            simplified = shapely.simplify(part, SIMPLIFY_METRES, preserve_topology=True)
            if len(part) > 1:
                problems.append(
                    warning(
                        layer,
                        None,
                        "",
                        group,
                        f"Gränserna ({group}) överlappar varandra eller har olika hörnpunkter längs gemensamma kanter; "
                        "de förenklades var för sig, så små glipor eller överlapp kan synas mellan grannar.",
                        "Rätta överlappen i ett GIS-program (t.ex. QGIS: Topology Checker) om glipor syns på kartan.",
                    )
                )
        broken = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
        simplified[broken] = part[broken]  # too small to simplify: kept as it was
        out[index] = simplified
    return out, problems


def _group(area_type: str) -> str:
    """The coverage an area's boundary belongs to: districts (Fokusområde and Övrigt) together, other types apart."""
    return f"{FOCUS} och {OTHER}" if area_type in (FOCUS, OTHER) else area_type


# --- the read ------------------------------------------------------------------------------------------------------


def _check_size(data: bytes, file_name: str, lim: BoundaryLimits) -> None:
    """Raise when the file is empty or larger than allowed."""
    if not data:
        raise _file_error(file_name, "Filen är tom.", f"Ladda upp en {SUPPORTED}.")
    if len(data) > lim.upload.max_file_bytes:
        raise _file_error(
            _mb(len(data)),
            f"Filen är för stor ({_mb(len(data))}); högst {_mb(lim.upload.max_file_bytes)} tillåts.",
            "Ta bara med de områden som behövs, eller förenkla gränserna (t.ex. i QGIS: Simplify), och ladda upp igen.",
        )


@dataclass(frozen=True)
class _Features:
    """The features of the layer: geometries (None where unreadable), codes and names as text, labels, vertices."""

    geoms: np.ndarray
    codes: list[str]
    names: list[str]
    labels: list[str]
    n_vertices: int


def _read_features(payload: bytes, kind: str, layer: _Layer, lim: BoundaryLimits) -> _Features:
    """The layer's geometries and code and name properties, within the feature and vertex limits."""
    columns = [c for c in (layer.code_column, layer.name_column) if c]
    meta, _, wkb, values = _gdal_call(
        kind,
        layer.name,
        lambda: raw.read(
            payload,
            layer=layer.index,
            columns=columns,
            force_2d=True,
            max_features=lim.max_features + 1,
            datetime_as_string=True,
        ),
    )
    n = len(wkb)
    if n > lim.max_features:
        raise _too_many_features(f"fler än {format_number(lim.max_features)}", lim)
    if n == 0:
        raise _no_features(layer.name)
    with np.errstate(invalid="ignore"):  # NaN coordinates are reported per feature
        geoms = shapely.from_wkb(wkb, on_invalid="fix")
    present = np.array([g is not None for g in geoms], dtype=bool)
    n_vertices = int(shapely.get_num_coordinates(geoms[present]).sum()) if present.any() else 0
    if n_vertices > lim.max_vertices:
        raise _file_error(
            format_number(n_vertices),
            f"Gränserna har tillsammans {format_number(n_vertices)} hörnpunkter; högst "
            f"{format_number(lim.max_vertices)} tillåts.",
            "Förenkla gränserna i ett GIS-program (t.ex. QGIS: Simplify) eller ta bara med de områden som behövs.",
        )
    by_column = dict(zip([str(f) for f in meta.get("fields", columns)], values))
    codes = _texts(by_column.get(layer.code_column) if layer.code_column else None, n)
    names = _texts(by_column.get(layer.name_column) if layer.name_column else None, n)
    labels = [_label(c, m, i + 1) for i, (c, m) in enumerate(zip(codes, names))]
    return _Features(geoms, codes, names, labels, n_vertices)


def _matched_rows(
    layer: _Layer, features: _Features, areas: pd.DataFrame
) -> tuple[dict[str, int], tuple[str, ...], list[Problem]]:
    """Area -> the (0-based) feature that is its boundary, the unmatched features, and duplicates and misses found."""
    matched = _match(areas, features.codes, features.names)
    labels, column = features.labels, layer.code_column or layer.name_column or ""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for i, area in enumerate(matched):
        if area is None:
            continue
        if area not in first_row:
            first_row[area] = i
            continue
        j = first_row[area]
        problems.append(
            error(
                layer.name,
                i + 1,
                column,
                labels[i],
                f"Objekt {j + 1} ({labels[j]}) och objekt {i + 1} ({labels[i]}) hör båda till området {area}.",
                "Varje område får ha en gräns. Ta bort dubbletten eller slå ihop objekten (i QGIS: Dissolve) "
                "och ladda upp igen.",
            )
        )
    missed = [i for i, a in enumerate(matched) if a is None]
    unmatched = tuple(labels[i] for i in missed)
    if not first_row:
        checks = [
            f"kolumnen {c} har områdenas {what}"
            for c, what in ((layer.code_column, "koder"), (layer.name_column, "namn"))
            if c
        ]
        problems.append(
            error(
                layer.name,
                None,
                column,
                ", ".join(unmatched[:5]),
                "Inget objekt i filen hör till något område i data.",
                f"Kontrollera att {' eller att '.join(checks)} som de står i bladet Områden (kod, namn eller alias).",
            )
        )
        return first_row, unmatched, problems
    hint = "Lägg till området med kod i bladet Områden, eller namnet som alias, om gränsen ska användas."
    if len(missed) <= MAX_LISTED:
        problems.extend(
            warning(layer.name, i + 1, column, labels[i], "Objektet hör inte till något område och används inte.", hint)
            for i in missed
        )
    else:
        shown = ", ".join(unmatched[:MAX_LISTED])
        problems.append(
            warning(
                layer.name,
                None,
                column,
                f"{shown} …",
                f"{format_number(len(missed))} objekt hör inte till något område och används inte, bland dem {shown}.",
                hint,
            )
        )
    return first_row, unmatched, problems


def _without_shape_warning(layer: str, without_shape: tuple[str, ...]) -> Problem:
    """The warning listing the districts (Fokusområde, Övrigt) that got no boundary."""
    n = len(without_shape)
    names = ", ".join(without_shape)
    return warning(
        layer,
        None,
        "",
        names,
        f"{format_number(n)} område{'' if n == 1 else 'n'} av typen {FOCUS} eller {OTHER} saknar gräns i filen: "
        f"{names}.",
        "Kontrollera att filen har med dessa områden och att koderna eller namnen stämmer med bladet Områden.",
    )


def _for_screen(geoms: np.ndarray, crs: CRS, groups: list[str], layer: str) -> tuple[list[str], list[Problem]]:
    """Checked polygons as compact GeoJSON in WGS 84, simplified in SWEREF 99 TM group by group."""
    label = _crs_label(crs)
    metric = geoms.copy() if label == METRIC_CRS else _reproject(geoms, crs, METRIC_CRS)
    if not np.isfinite(shapely.get_coordinates(metric)).all():
        raise _Stop(error(layer, None, "", label, "Gränserna kan inte räknas om till SWEREF 99 TM.", _CRS_HINT))
    invalid = np.flatnonzero(~shapely.is_valid(metric))
    if len(invalid):  # reprojection can (rarely) fold a tiny spike: repaired without a word
        repaired = _polygonal(shapely.make_valid(metric[invalid]))
        kept = np.array([g is not None for g in repaired], dtype=bool)
        metric[invalid[kept]] = repaired[kept]
    simplified, problems = _simplify(metric, groups, layer)
    screen = shapely.orient_polygons(_reproject(simplified, METRIC_CRS, WGS84, DECIMALS))
    return [str(t) for t in shapely.to_geojson(screen)], problems


def _read(data: bytes, file_name: str, areas: pd.DataFrame, lim: BoundaryLimits) -> BoundaryRead:
    """The whole read; raises _Stop for a problem that ends it, MemoryError for a failed allocation."""
    _check_size(data, file_name, lim)
    kind = _sniff(data, file_name)
    payload = _shapefile_parts(data, lim.upload) if kind == SHAPEFILE else _named(data) if kind == GPKG else data
    layer = _open_layer(payload, kind, file_name, lim)
    features = _read_features(payload, kind, layer, lim)
    present = np.array([g is not None for g in features.geoms], dtype=bool)
    bounds = shapely.total_bounds(features.geoms[present]) if present.any() else np.full(4, np.nan)
    _check_coordinates(kind, layer.name, layer.crs, bounds)

    areas = conform("areas", areas)
    first_row, unmatched, match_problems = _matched_rows(layer, features, areas)
    problems = [*layer.problems, *match_problems]
    n, n_vertices, crs_label = len(features.geoms), features.n_vertices, _crs_label(layer.crs)
    if not first_row:
        return BoundaryRead(None, problems, unmatched, (), n, n_vertices, crs_label)
    rows = np.array(sorted(first_row.values()))
    fixed, geometry_problems = _check_geometries(
        features.geoms[rows], layer.name, [features.labels[i] for i in rows], rows
    )
    problems.extend(geometry_problems)
    districts = set(areas.loc[areas["type"].isin((FOCUS, OTHER)), "name"])
    without_shape = tuple(a for a in areas["name"] if a in districts and a not in first_row)
    if without_shape:
        problems.append(_without_shape_warning(layer.name, without_shape))
    if any(p.is_error for p in problems):
        return BoundaryRead(None, problems, unmatched, without_shape, n, n_vertices, crs_label)

    area_of = {int(i): a for a, i in first_row.items()}
    types = dict(zip(areas["name"], areas["type"]))
    try:
        geojson, screen_problems = _for_screen(fixed, layer.crs, [_group(types[area_of[i]]) for i in rows], layer.name)
    except _Stop as stop:
        raise _Stop(*problems, *stop.problems) from None
    problems.extend(screen_problems)
    frame = pd.DataFrame(
        {
            "area": [area_of[i] for i in rows],
            "code": [features.codes[i] for i in rows],
            "name": [features.names[i] for i in rows],
            "geometry": geojson,
            "source": "",
        }
    )
    order = {name: k for k, name in enumerate(areas["name"])}
    frame = frame.sort_values("area", key=lambda s: s.map(order)).reset_index(drop=True)
    return BoundaryRead(conform("boundaries", frame), problems, unmatched, without_shape, n, n_vertices, crs_label)


def _memory_problem(data: bytes) -> Problem:
    """The problem for a read that ran out of memory in this process."""
    return error(
        FILE_SHEET,
        None,
        "",
        _mb(len(data)),
        "Filen kräver för mycket minne för att läsas.",
        "Förenkla gränserna (t.ex. i QGIS: Simplify) eller ta bara med de områden som behövs, och ladda upp igen.",
    )


def _unexpected_problem(exc: BaseException) -> Problem:
    """The problem for an unexpected failure (a bug or a reader error): the file is not imported."""
    return error(
        FILE_SHEET,
        None,
        "",
        type(exc).__name__,
        "Filen kunde inte läsas: ett oväntat fel inträffade. Ingenting har ändrats.",
        _GIS_HINT,
    )


def _guarded(data: bytes, file_name: str, areas: pd.DataFrame, lim: BoundaryLimits) -> BoundaryRead:
    """The read with every problem as a result; only a failed allocation (MemoryError) is raised."""
    try:
        return _read(data, file_name, areas, lim)
    except _Stop as stop:
        return BoundaryRead(None, stop.problems, (), ())
    except MemoryError:
        raise
    except Exception as exc:
        if _is_out_of_memory(exc):
            raise MemoryError(str(exc)) from None
        return BoundaryRead(None, [_unexpected_problem(exc)], (), ())


def read_boundaries(
    data: bytes, file_name: str, areas: pd.DataFrame, lim: BoundaryLimits | None = None
) -> BoundaryRead:
    """The boundaries of an uploaded geodata file per area, with the problems found; never raises."""
    try:
        return _guarded(data, file_name, areas, lim or BoundaryLimits())
    except MemoryError:
        return BoundaryRead(None, [_memory_problem(data)], (), ())


def _read_in_child(data: bytes, file_name: str, areas: pd.DataFrame, lim: BoundaryLimits) -> BoundaryRead:
    """What the child process runs: the read, with a failed allocation left to end it (the parent names the limit)."""
    return _guarded(data, file_name, areas, lim)


_LIMIT_HINT = (
    "Förenkla gränserna (t.ex. i QGIS: Simplify) eller ta bara med de områden som behövs, och ladda upp igen. "
    "En administratör kan höja gränsen."
)


def read_boundaries_isolated(
    data: bytes, file_name: str, areas: pd.DataFrame, lim: BoundaryLimits | None = None
) -> BoundaryRead:
    """read_boundaries in a child process under the memory, CPU and wall-time limits; never raises."""
    lim = lim or BoundaryLimits()
    try:
        kind, payload = run_limited(_read_in_child, (data, file_name, conform("areas", areas), lim), lim.upload)
    except Exception as exc:  # the child could not be started (no processes or memory left)
        kind, payload = CRASH, type(exc).__name__
    if kind == "ok" and isinstance(payload, BoundaryRead):
        return payload
    problem = limit_problem(kind, lim.upload, str(payload or ""))
    problem = replace(problem, hint=_GIS_HINT if kind == CRASH else _LIMIT_HINT)
    return BoundaryRead(None, [problem], (), ())
