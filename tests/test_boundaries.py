"""Area boundaries from GeoPackage, GeoJSON and zipped Shapefile: matching, repair, simplification, hostile files."""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.core.model import BOUNDARY_COLUMNS, conform
from analysis.core.settings import Limits
from analysis.ingest import boundaries
from analysis.ingest.boundaries import (
    BoundaryLimits,
    BoundaryRead,
    find_columns,
    read_boundaries,
    read_boundaries_isolated,
)
from tests import geodata as g
from tests.builders import xlsx

NINE = ["Berga", "Lambohov", "Ryd", "Vasastaden", "Tannefors", "Skäggetorp", "Johannelund", "Ekholmen", "Hjulsbro"]
# 9 districts × 101 coordinates, but the bow-tie has 2 × 25 + 3 = 53.
INPUT_VERTICES = 8 * 101 + 53 + 101
# Pairs of matched neighbours (feature numbers) whose common edge must stay common; 3 (Ryd, the bow-tie) keeps its
# north edge with 8 (Ekholmen) but only touches 2 and 4 at corners.
NEIGHBOURS = [(1, 2), (4, 5), (6, 7), (7, 8), (8, 9), (1, 6), (2, 7), (3, 8), (4, 9)]
LIM = Limits(parse_memory_mb=2048, parse_cpu_seconds=60, parse_wall_seconds=120)


def _read(data: bytes, file_name: str, lim: BoundaryLimits | None = None, areas=None) -> BoundaryRead:
    """read_boundaries against the nine districts (or the given areas)."""
    return read_boundaries(data, file_name, g.district_areas() if areas is None else areas, lim)


VARIANTS = {
    "gpkg": (g.districts_gpkg, "distrikt.gpkg", "EPSG:3006"),
    "geojson": (g.districts_geojson, "distrikt.geojson", "EPSG:4326"),
    "shapefile": (g.districts_shapefile, "distrikt.zip", "EPSG:3006"),
    "shapefile-i-mapp": (lambda: g.districts_shapefile(folder="gränser/"), "distrikt.zip", "EPSG:3006"),
}


@pytest.fixture(scope="module")
def reads() -> dict[str, BoundaryRead]:
    """The ten districts read from each format once."""
    return {key: _read(build(), name) for key, (build, name, _) in VARIANTS.items()}


def _shapes(result: BoundaryRead) -> dict[str, shapely.Geometry]:
    """The boundaries per area, back in EPSG:3006 metres."""
    frame = result.boundaries
    assert frame is not None
    geoms = g.to_sweref(shapely.from_geojson(frame["geometry"].tolist()))
    return dict(zip(frame["area"], geoms))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_ten_districts_give_nine_boundaries_in_every_format(reads, variant):
    result = reads[variant]
    assert result.ok
    frame = result.boundaries
    assert list(frame.columns) == list(BOUNDARY_COLUMNS)
    assert frame["area"].tolist() == NINE  # in the order of the areas table
    assert frame["code"].tolist() == [f"0580R00{i}" for i in range(1, 10)]
    assert frame["name"].tolist() == NINE
    assert set(frame["source"]) == {""}
    assert result.unmatched == ("0580R999 – Okänt område",)
    assert result.without_shape == ()
    assert (result.n_features, result.n_vertices, result.crs) == (10, INPUT_VERTICES, VARIANTS[variant][2])


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_bow_tie_is_repaired_and_the_unknown_district_listed_as_warnings(reads, variant):
    problems = reads[variant].problems
    assert all(not p.is_error and p.hint for p in problems)
    by_row = {p.row: p for p in problems}
    assert sorted(by_row) == [3, 10]
    assert by_row[3].message == "Självkorsande polygon reparerades automatiskt."
    assert by_row[3].value.startswith("0580R003 – Ryd: Self-intersection")
    assert by_row[3].sheet == "distrikt"
    assert by_row[10].message == "Objektet hör inte till något område och används inte."
    assert (by_row[10].value, by_row[10].column) == ("0580R999 – Okänt område", "kod")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_geometries_are_compact_geojson_in_lon_lat_near_linkoping(reads, variant):
    for text in reads[variant].boundaries["geometry"]:
        assert " " not in text
        doc = json.loads(text)
        assert doc["type"] in ("Polygon", "MultiPolygon")
        coords = shapely.get_coordinates(shapely.from_geojson(text))
        assert (15.5 < coords[:, 0]).all() and (coords[:, 0] < 15.8).all()
        assert (58.3 < coords[:, 1]).all() and (coords[:, 1] < 58.5).all()
        assert np.array_equal(coords, np.round(coords, 6))
        parts = shapely.get_parts(shapely.from_geojson(text))
        assert shapely.is_ccw(shapely.get_exterior_ring(parts)).all()  # RFC 7946: exterior rings counter-clockwise


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_neighbours_still_share_their_edges_after_simplification(reads, variant):
    shapes = _shapes(reads[variant])
    geoms = list(shapes.values())
    assert all(shapely.is_valid(geoms))
    union = shapely.union_all(geoms)
    # One piece without holes: no gap opened between neighbours. (The bow-tie's southern triangle touches the rest
    # only at points, and its missing wedges would be holes.)
    rest = shapely.union_all([geom for area, geom in shapes.items() if area != "Ryd"])
    assert rest.geom_type == "Polygon" and len(rest.interiors) == 0
    total = sum(shapely.area(geoms))
    assert union.area == pytest.approx(total, rel=1e-6)  # and no overlap
    assert union.area == pytest.approx(g.MATCHED_AREA, rel=5e-3)  # 8 cells and the bow-tie's two triangles
    assert shapes["Ryd"].area == pytest.approx(0.5 * g.SIDE**2, rel=5e-3)
    for a, b in NEIGHBOURS:
        shared = shapely.intersection(shapes[NINE[a - 1]], shapes[NINE[b - 1]])
        assert shared.area < 1.0, (a, b)
        assert shared.length >= g.SIDE, (a, b)  # the whole (wiggly, so longer) common edge


def test_simplification_removes_vertices(reads):
    kept = sum(shapely.get_num_coordinates(shapely.from_geojson(reads["gpkg"].boundaries["geometry"].tolist())))
    assert 0 < kept < 0.8 * INPUT_VERTICES


def test_the_formats_give_the_same_boundaries(reads):
    base = _shapes(reads["gpkg"])
    for variant in ("geojson", "shapefile"):
        other = _shapes(reads[variant])
        assert list(other) == list(base)
        for area, geom in base.items():
            assert shapely.symmetric_difference(geom, other[area]).area < 1e-3 * geom.area, (variant, area)


def _points() -> bytes:
    """The districts' centres as a point layer."""
    return g.gpkg_bytes(shapely.centroid(g.district_geometries()).tolist(), g.district_fields())


def _no_columns() -> bytes:
    """The districts without code or name."""
    return g.gpkg_bytes(g.district_geometries(), {"färg": ["röd"] * 10, "antal": list(range(10))})


def _duplicate() -> bytes:
    """Feature 2 (Lambohov) with Berga's code."""
    fields = g.district_fields()
    fields["kod"][1] = "0580R001"
    return g.gpkg_bytes(g.district_geometries(), fields)


def _zip(entries: dict[str, bytes]) -> bytes:
    """A deflated zip archive of the given entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _shapefile_parts(leave_out: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The parts of the zipped districts Shapefile."""
    with zipfile.ZipFile(io.BytesIO(g.districts_shapefile())) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith(leave_out)}


def _zip_bomb() -> bytes:
    """The districts Shapefile whose .shp unpacks to 20 MB of zeros (ratio about 1 000)."""
    parts = _shapefile_parts()
    parts["distrikt.shp"] = bytes(20 * 1024 * 1024)
    return _zip(parts)


def _stated_wrongly(crs: str) -> bytes:
    """The districts' SWEREF 99 TM coordinates in a GeoPackage that states another coordinate system."""
    return g.gpkg_bytes(g.district_geometries(), g.district_fields(), crs=crs)


ERRORS = [
    ("skrap", lambda: b"\x00\x01\x02skrap" * 50, "fil.gpkg", None, "inte en fil med områdesgränser"),
    ("tom", lambda: b"", "fil.gpkg", None, "Filen är tom."),
    ("excel", lambda: xlsx({"Blad1": [["Område", "Värde"]]}), "gränser.xlsx", None, "Excel-arbetsbok"),
    ("bild", lambda: b"\x89PNG\r\n\x1a\n" + bytes(100), "karta.png", None, "Filen är en bild"),
    ("ensam-shp", lambda: _shapefile_parts()["distrikt.shp"], "distrikt.shp", None, "En Shapefile kan inte läsas"),
    (
        "shp-utan-dbf",
        lambda: _zip(_shapefile_parts((".dbf",))),
        "distrikt.zip",
        None,
        "Shapefilen i zip-filen är ofullständig",
    ),
    ("zip-utan-shp", lambda: _zip({"läsmig.txt": b"hej"}), "fil.zip", None, "ingen Shapefile"),
    ("zip-med-gpkg", lambda: _zip({"d.gpkg": g.districts_gpkg()}), "fil.zip", None, "GeoPackage- eller GeoJSON-fil"),
    ("gpkg-utan-crs", lambda: g.districts_gpkg(crs=None), "d.gpkg", None, "GeoPackage-lagret saknar koordinatsystem."),
    ("zip-utan-prj", lambda: g.districts_shapefile(with_prj=False), "d.zip", None, "(.prj-filen saknas i zip-filen)"),
    (
        "geojson-i-meter",
        lambda: g.districts_geojson(projected=True),
        "d.geojson",
        None,
        "Koordinaterna ser ut att vara i SWEREF 99 TM (meter), men GeoJSON-filen anger inget koordinatsystem",
    ),
    ("fel-angivet-wgs84", lambda: _stated_wrongly("EPSG:4326"), "d.gpkg", None, "passar inte filens koordinatsystem"),
    ("fel-angivet-3857", lambda: _stated_wrongly("EPSG:3857"), "d.gpkg", None, "hamnar inte i Sverige"),
    ("trasig-geojson", lambda: g.districts_geojson()[:5000], "d.geojson", None, "kunde inte läsas som GeoJSON"),
    ("trasig-gpkg", lambda: g.districts_gpkg()[:3000], "d.gpkg", None, "kunde inte läsas som GeoPackage"),
    ("punkter", _points, "d.gpkg", None, "Filen innehåller inga ytor (polygoner): lagret distrikt har punkter."),
    ("inga-kolumner", _no_columns, "d.gpkg", None, "Filen saknar en kolumn med områdenas kod eller namn."),
    ("för-många-objekt", g.districts_gpkg, "d.gpkg", BoundaryLimits(max_features=5), "10 objekt; högst 5 tillåts"),
    (
        "för-många-hörn",
        g.districts_gpkg,
        "d.gpkg",
        BoundaryLimits(max_vertices=500),
        "962 hörnpunkter; högst 500 tillåts",
    ),
    (
        "för-stor-fil",
        g.districts_gpkg,
        "d.gpkg",
        BoundaryLimits(upload=replace(Limits(), max_file_bytes=50_000)),
        "Filen är för stor",
    ),
    (
        "dubblett",
        _duplicate,
        "d.gpkg",
        None,
        "Objekt 1 (0580R001 – Berga) och objekt 2 (0580R001 – Lambohov) hör båda till området Berga.",
    ),
    ("zip-bomb", _zip_bomb, "d.zip", None, "möjlig zip-bomb"),
    (
        "för-många-delar",
        g.districts_shapefile,
        "d.zip",
        BoundaryLimits(upload=replace(Limits(), max_zip_entries=3)),
        "för många filer",
    ),
]


@pytest.mark.parametrize(("build", "file_name", "lim", "fragment"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_a_file_that_cannot_be_used_gives_one_clear_error(build, file_name, lim, fragment):
    result = _read(build(), file_name, lim)
    assert not result.ok and result.boundaries is None
    errors = [p for p in result.problems if p.is_error]
    assert len(errors) == 1, [p.message for p in errors]
    assert fragment in errors[0].message
    assert errors[0].hint


def test_the_missing_columns_error_lists_the_columns_found():
    problem = _read(_no_columns(), "d.gpkg").problems[0]
    assert (problem.sheet, problem.value) == ("distrikt", "färg, antal")


def test_the_duplicate_names_both_rows():
    problem = _read(_duplicate(), "d.gpkg").problems[0]
    assert (problem.row, problem.column) == (2, "kod")


def test_no_feature_matching_any_area_is_an_error_listing_them():
    areas = conform("areas", pd.DataFrame([{"name": "Linköping", "type": "Kommun", "code": "0580"}]))
    result = _read(g.districts_gpkg(), "d.gpkg", areas=areas)
    assert not result.ok
    assert [p.message for p in result.problems if p.is_error] == ["Inget objekt i filen hör till något område i data."]
    assert len(result.unmatched) == 10


def test_bad_geometries_are_errors_on_their_rows():
    geoms = g.to_wgs84(g.district_geometries())
    geoms[1] = shapely.LineString([(15.6, 58.4), (15.61, 58.41)])
    geoms[3] = None
    geoms[4] = shapely.Polygon()
    geoms[5] = shapely.Polygon([(15.6, 58.4), (15.61, 58.4), (15.62, 58.4), (15.6, 58.4)])  # no area
    result = _read(g.geojson_bytes(geoms, g.district_fields()), "d.geojson")
    assert result.boundaries is None
    assert sorted((p.row, p.message) for p in result.problems if p.is_error) == [
        (2, "Geometrin är en linje, inte en yta (polygon)."),
        (4, "Objektet saknar geometri, eller geometrin kan inte läsas."),
        (5, "Objektets geometri är tom."),
        (6, "Självkorsande polygon; geometrin kunde inte repareras till en yta."),
    ]
    assert all(p.sheet == "d" and p.hint for p in result.problems)


def test_bad_geometries_of_features_that_match_no_area_are_not_checked():
    geoms = g.district_geometries()
    geoms[9] = None  # the unmatched district
    result = _read(g.gpkg_bytes(geoms, g.district_fields()), "d.gpkg")
    assert result.ok and result.unmatched == ("0580R999 – Okänt område",)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["OBJECTID", "RegSO_Kod", "RegSO", "kommunkod"], ("RegSO_Kod", "RegSO")),
        (["deso", "kommunnamn", "lannamn"], ("deso", None)),
        (["Områdesnamn", "yta_km2"], (None, "Områdesnamn")),
        (["NAMN", "KOD"], ("KOD", "NAMN")),
        (["Omradeskod", "Område"], ("Omradeskod", "Område")),
        (["färg", "antal"], (None, None)),
    ],
)
def test_the_code_and_name_columns_are_found_by_common_spellings(columns, expected):
    assert find_columns(columns) == expected


@pytest.mark.parametrize(
    ("fields", "aliases"),
    [
        ({"namn": [d[1] for d in g.DISTRICTS]}, ""),  # by name only
        ({"Områdesnamn": [d[1].upper() for d in g.DISTRICTS]}, ""),  # any case
        ({"regsokod": [int(d[0][-3:]) for d in g.DISTRICTS]}, "alias"),  # numeric codes, found through aliases
    ],
    ids=["namn", "versaler", "kod-som-alias"],
)
def test_features_are_matched_by_name_or_alias_when_codes_do_not_match(fields, aliases):
    areas = g.district_areas()
    if aliases:
        areas["aliases"] = [str(int(c[-3:])) if c.startswith("0580R") else "" for c in areas["code"]]
    result = _read(g.gpkg_bytes(g.district_geometries(), fields), "d.gpkg", areas=areas)
    assert result.ok
    assert result.boundaries["area"].tolist() == NINE
    assert len(result.unmatched) == 1


def test_many_unmatched_features_are_one_warning_and_areas_without_shape_another():
    polys = g.grid_polygons(13, 40)
    codes = ["0580R001"] + [f"X{i}" for i in range(12)]
    result = _read(g.gpkg_bytes(polys, {"kod": codes}), "d.gpkg")
    assert result.ok and result.boundaries["area"].tolist() == ["Berga"]
    assert len(result.unmatched) == 12
    assert result.without_shape == tuple(NINE[1:])
    messages = [p.message for p in result.problems]
    assert len(messages) == 2
    assert messages[0].startswith("12 objekt hör inte till något område och används inte, bland dem X0, X1")
    assert messages[1] == (
        "8 områden av typen Fokusområde eller Övrigt saknar gräns i filen: Lambohov, Ryd, Vasastaden, Tannefors, "
        "Skäggetorp, Johannelund, Ekholmen, Hjulsbro."
    )


def test_the_first_polygon_layer_of_a_geopackage_is_used_and_named():
    geoms, fields = g.district_geometries(), g.district_fields()
    schools = ("skolor", shapely.centroid(geoms).tolist(), fields)
    old = ("distrikt_2018", geoms, fields)
    data = g.gpkg_bytes(schools[1], fields, layer="skolor", more_layers=[("distrikt", geoms, fields), old])
    result = _read(data, "d.gpkg")
    assert result.ok and len(result.boundaries) == 9
    first = result.problems[0]
    assert (first.sheet, first.value) == ("distrikt", "distrikt_2018")
    assert first.message == "Filen har 2 lager med ytor; det första, distrikt, användes."


def test_overlapping_districts_are_simplified_one_by_one_with_a_warning():
    geoms = g.district_geometries()
    geoms[1] = shapely.buffer(geoms[1], 300.0)  # Lambohov overlaps its neighbours
    result = _read(g.gpkg_bytes(geoms, g.district_fields()), "d.gpkg")
    assert result.ok
    overlap = [p for p in result.problems if p.row is None]
    assert [p.value for p in overlap] == ["Fokusområde och Övrigt"]
    assert "förenklades var för sig" in overlap[0].message


def test_a_municipality_over_its_districts_is_a_coverage_of_its_own():
    geoms = g.district_geometries()
    geoms[9] = shapely.box(529_000, 6_469_000, 541_000, 6_475_000)  # feature 10 becomes Linköping
    fields = g.district_fields()
    fields["kod"][9], fields["namn"][9] = "0580", "Linköping"
    municipality = pd.DataFrame([{"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": ""}])
    areas = conform("areas", pd.concat([g.district_areas(), municipality]))
    result = _read(g.gpkg_bytes(geoms, fields), "d.gpkg", areas=areas)
    assert result.ok
    assert result.boundaries["area"].tolist() == [*NINE, "Linköping"]
    assert [p.row for p in result.problems] == [3]  # the bow-tie; no overlap warning


@pytest.mark.parametrize("variant", ["gpkg", "geojson", "shapefile"])
@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.999])
def test_a_cut_off_file_never_raises(variant, cut):
    build, name, _ = VARIANTS[variant]
    data = build()
    result = _read(data[: int(len(data) * cut)], name)
    assert isinstance(result, BoundaryRead)
    assert result.ok or all(p.hint for p in result.problems if p.is_error)


def test_the_isolated_read_equals_the_read_in_this_process():
    data = g.districts_gpkg()
    here = _read(data, "d.gpkg")
    there = read_boundaries_isolated(data, "d.gpkg", g.district_areas(), BoundaryLimits(upload=LIM))
    assert there.problems == here.problems
    assert there.boundaries.equals(here.boundaries)
    assert (there.unmatched, there.n_vertices, there.crs) == (here.unmatched, here.n_vertices, here.crs)


@pytest.fixture(scope="module")
def regso() -> tuple[bytes, pd.DataFrame]:
    """3 363 RegSO-sized districts of 300 vertices (as many as Sweden has RegSO) and their areas."""
    n = 3363
    codes = [f"R{i:05d}" for i in range(n)]
    names = [f"Område {i}" for i in range(n)]
    data = g.gpkg_bytes(g.grid_polygons(n, 300), {"regsokod": codes, "regso": names})
    areas = conform("areas", pd.DataFrame({"name": names, "type": "Övrigt", "code": codes, "aliases": ""}))
    return data, areas


@pytest.mark.parametrize(
    ("limit", "fragment"),
    [
        ({"parse_memory_mb": 64}, "mer minne än gränsen för inläsning (64 MB, SEGDASH_PARSE_MEMORY_MB)"),
        ({"parse_cpu_seconds": 1}, "mer processortid än gränsen (1 s, SEGDASH_PARSE_CPU_SECONDS)"),
    ],
    ids=["minne", "processortid"],
)
def test_a_read_beyond_the_child_limits_gives_the_swedish_limit_problem(regso, limit, fragment):
    data, areas = regso
    result = read_boundaries_isolated(data, "regso.gpkg", areas, BoundaryLimits(upload=replace(LIM, **limit)))
    assert result.boundaries is None and not result.ok
    [problem] = result.problems
    assert fragment in problem.message and "Ingenting har ändrats" in problem.message
    assert "QGIS" in problem.hint and "Excel" not in problem.hint


def _sqlite() -> bytes:
    """A plain SQLite database (not a GeoPackage) with one table."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.db"
        with sqlite3.connect(path) as con:
            con.execute("create table t(a)")
        return path.read_bytes()


def _feature(geometry: str) -> bytes:
    """A GeoJSON collection with one feature named Berga and the given geometry text."""
    return (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"namn":"Berga"},"geometry":'
        + geometry.encode()
        + b"}]}"
    )


HOSTILE = [
    ("tom-samling", b'{"type":"FeatureCollection","features":[]}', "Lagret innehåller inga objekt."),
    ("djupt-nästlad", _feature("[" * 100_000 + "]" * 100_000), "kunde inte läsas som GeoJSON"),
    (
        "nan",
        _feature('{"type":"Polygon","coordinates":[[[15.6,58.4],[NaN,58.4],[15.61,58.41],[15.6,58.4]]]}'),
        "inte tal",
    ),
    (
        "enorm-koordinat",
        _feature('{"type":"Polygon","coordinates":[[[15.6,58.4],[1e308,58.4],[15.6,58.4]]]}'),
        "1e+308",
    ),
    (
        "samling",
        _feature('{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[15.6,58.4]}]}'),
        "en blandad geometrisamling, inte en yta",
    ),
    ("json-lista", b"[1, 2, 3]", "inte giltig GeoJSON"),
    ("sqlite", _sqlite(), "lagret t har ingen geometri"),
]


@pytest.mark.parametrize(("data", "fragment"), [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_geojson_and_databases_give_a_swedish_error(data, fragment):
    result = _read(data, "x.json")
    assert not result.ok
    errors = [p for p in result.problems if p.is_error]
    assert errors and all(p.hint for p in errors)
    assert any(fragment in p.message or fragment in p.value for p in errors), [p.as_text() for p in errors]


def test_paths_in_a_zip_archive_are_reduced_to_their_names():
    parts = _shapefile_parts()
    result = _read(_zip({f"../../{name}": content for name, content in parts.items()}), "d.zip")
    assert result.ok and len(result.boundaries) == 9


def test_row_problems_of_one_kind_are_listed_up_to_a_cap_and_summed_up():
    names = [f"Område {i}" for i in range(30)]
    areas = conform("areas", pd.DataFrame({"name": names, "type": "Övrigt", "code": "", "aliases": ""}))
    result = _read(g.geojson_bytes([None] * 30, {"namn": names}), "x.geojson", areas=areas)
    assert [p.row for p in result.problems] == [*range(1, 21), None]
    assert result.problems[-1].message == "Ytterligare 10 objekt har samma slags problem (visas inte var för sig)."


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (MemoryError(), "Filen kräver för mycket minne för att läsas."),
        (RuntimeError("ERROR 2: Out of memory allocating 9 bytes"), "Filen kräver för mycket minne för att läsas."),
        (KeyError("bugg"), "Filen kunde inte läsas: ett oväntat fel inträffade. Ingenting har ändrats."),
    ],
    ids=["minne", "gdal-minne", "bugg"],
)
def test_nothing_is_raised_to_the_caller(monkeypatch, raised, message):
    def fail(*args):
        """Raise as a reader might."""
        raise raised

    monkeypatch.setattr(boundaries, "_read", fail)
    result = _read(g.districts_gpkg(), "d.gpkg")
    assert result.boundaries is None
    assert [p.message for p in result.problems] == [message]
