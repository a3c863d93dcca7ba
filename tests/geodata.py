"""Synthetic area boundaries built in code: districts around Linköping as GeoPackage, GeoJSON or zipped Shapefile.

The districts are a grid of adjacent squares in SWEREF 99 TM (EPSG:3006) whose edges wiggle, so simplification has
work to do; neighbours share every vertex of their common edge, so the grid is a valid coverage. Each wiggle is
area-neutral (an odd function about the edge's midpoint), so a cell's area is exactly its side squared.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from pyogrio import raw
from pyproj import Transformer

from analysis.core.model import FOCUS, OTHER, conform

SWEREF = "EPSG:3006"
WGS84 = "EPSG:4326"
ORIGIN = (530_000.0, 6_470_000.0)  # south-west corner of the districts, in Linköping
SIDE = 2_000.0  # metres: five columns by two rows cover x 530 000–540 000, y 6 470 000–6 474 000
COLUMNS, ROWS = 5, 2
POINTS_PER_EDGE = 25  # so a district has 4 × 25 + 1 = 101 coordinates (the ring's closing point counted)

# (kod, namn, typ) of the ten districts, row by row from the south-west; feature numbers are 1–10 in this order.
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("0580R001", "Berga", FOCUS),
    ("0580R002", "Lambohov", OTHER),
    ("0580R003", "Ryd", FOCUS),  # feature 3: the bow-tie
    ("0580R004", "Vasastaden", OTHER),
    ("0580R005", "Tannefors", OTHER),
    ("0580R006", "Skäggetorp", FOCUS),
    ("0580R007", "Johannelund", OTHER),
    ("0580R008", "Ekholmen", OTHER),
    ("0580R009", "Hjulsbro", OTHER),
    ("0580R999", "Okänt område", OTHER),  # feature 10: matches no area
)
BOW_TIE = 3
UNMATCHED = 10
#: The bow-tie repaired is two triangles of half a cell; the nine matched districts cover 8.5 cells.
MATCHED_AREA = 8.5 * SIDE * SIDE


def _edge(start: tuple[float, float], end: tuple[float, float], n: int, amplitude: float) -> np.ndarray:
    """n points from start towards end (end excluded), wiggling sideways the same way whichever way it is walked."""
    a, b = sorted([start, end])
    t = np.arange(n + 1) / n
    ax, ay = a
    bx, by = b
    length = float(np.hypot(bx - ax, by - ay))
    nx, ny = -(by - ay) / length, (bx - ax) / length
    waves = 1 + int(abs(ax) // SIDE + abs(ay) // SIDE) % 3
    offset = amplitude * np.sin(np.pi * t) * np.sin(2 * np.pi * waves * t)  # odd about t = 0.5: no net area
    pts = np.column_stack([ax + t * (bx - ax) + offset * nx, ay + t * (by - ay) + offset * ny])
    if (a, b) != (start, end):
        pts = pts[::-1]
    return pts[:-1]


def _cell_ring(x: float, y: float, side: float, n: int, bow_tie: bool = False) -> np.ndarray:
    """The closed ring of one grid cell with its south-west corner at (x, y); a bow-tie crosses itself at the centre."""
    sw, se, ne, nw = (x, y), (x + side, y), (x + side, y + side), (x, y + side)
    amplitude = 0.05 * side
    if bow_tie:
        parts = [_edge(sw, se, n, amplitude), [se], _edge(nw, ne, n, amplitude), [ne], [sw]]
    else:
        parts = [_edge(a, b, n, amplitude) for a, b in ((sw, se), (se, ne), (ne, nw), (nw, sw))] + [[sw]]
    return np.vstack([np.asarray(p, dtype=float) for p in parts])


def district_geometries() -> list[shapely.Geometry]:
    """The ten districts in EPSG:3006, feature order; feature 3 is a bow-tie."""
    out = []
    for i in range(COLUMNS * ROWS):
        row, col = divmod(i, COLUMNS)
        ring = _cell_ring(ORIGIN[0] + col * SIDE, ORIGIN[1] + row * SIDE, SIDE, POINTS_PER_EDGE, i + 1 == BOW_TIE)
        out.append(shapely.Polygon(ring))
    return out


def district_fields() -> dict[str, list[object]]:
    """The properties of the ten districts: kod and namn."""
    return {"kod": [d[0] for d in DISTRICTS], "namn": [d[1] for d in DISTRICTS]}


def district_areas() -> pd.DataFrame:
    """An areas table (model columns) with the nine districts that exist (the unmatched one left out), with codes."""
    rows = [{"name": n, "type": t, "code": c, "aliases": ""} for c, n, t in DISTRICTS if c != "0580R999"]
    return conform("areas", pd.DataFrame(rows))


def grid_polygons(n: int, vertices_per_polygon: int = 300, side: float = 1_500.0) -> list[shapely.Geometry]:
    """n adjacent RegSO-sized cells (EPSG:3006, south-west of Linköping outwards) with wiggly shared edges."""
    per_edge = max(1, vertices_per_polygon // 4)
    cols = int(np.ceil(np.sqrt(n)))
    x0, y0 = 480_000.0, 6_420_000.0
    rings = [_cell_ring(x0 + (i % cols) * side, y0 + (i // cols) * side, side, per_edge, False) for i in range(n)]
    return list(shapely.polygons(np.stack(rings)))


def _field_arrays(fields: dict[str, Sequence[object]]) -> tuple[list[np.ndarray], list[str]]:
    """pyogrio's field data: one array per field, and the names."""
    arrays = []
    for values in fields.values():
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            arrays.append(np.asarray(values))
        else:
            arrays.append(np.array([None if v is None else str(v) for v in values], dtype=object))
    return arrays, list(fields)


def _geometry_type(geometries: Sequence[shapely.Geometry | None]) -> str:
    """The layer geometry type for pyogrio: the one type of all geometries, else Unknown."""
    kinds = {g.geom_type for g in geometries if g is not None}
    return kinds.pop() if len(kinds) == 1 else "Unknown"


def _wkb(geometries: Sequence[shapely.Geometry | None]) -> np.ndarray:
    """WKB of each geometry (None stays None)."""
    return np.array([None if g is None else shapely.to_wkb(g) for g in geometries], dtype=object)


def gpkg_bytes(
    geometries: Sequence[shapely.Geometry | None],
    fields: dict[str, Sequence[object]],
    crs: str | None = SWEREF,
    layer: str = "distrikt",
    more_layers: Sequence[tuple[str, Sequence[shapely.Geometry | None], dict[str, Sequence[object]]]] = (),
) -> bytes:
    """A GeoPackage with one layer (and optionally more, same CRS), as bytes."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns when a layer is written without a coordinate system
        path = os.path.join(tmp, "data.gpkg")
        for i, (name, geoms, props) in enumerate([(layer, geometries, fields), *more_layers]):
            arrays, names = _field_arrays(props)
            raw.write(
                path,
                _wkb(geoms),
                arrays,
                names,
                layer=name,
                driver="GPKG",
                geometry_type=_geometry_type(geoms),
                crs=crs,
                append=i > 0,
            )
        with open(path, "rb") as fh:
            return fh.read()


def shapefile_zip(
    geometries: Sequence[shapely.Geometry | None],
    fields: dict[str, Sequence[object]],
    crs: str | None = SWEREF,
    stem: str = "distrikt",
    folder: str = "",
    leave_out: tuple[str, ...] = (),
) -> bytes:
    """A zipped Shapefile (.shp, .shx, .dbf, .prj, .cpg), optionally in a folder and without some parts."""
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyogrio warns when a layer is written without a coordinate system
        arrays, names = _field_arrays(fields)
        raw.write(
            os.path.join(tmp, f"{stem}.shp"),
            _wkb(geometries),
            arrays,
            names,
            driver="ESRI Shapefile",
            geometry_type=_geometry_type(geometries),
            crs=crs,
            encoding="UTF-8",
        )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(os.listdir(tmp)):
                if os.path.splitext(name)[1] not in leave_out:
                    zf.write(os.path.join(tmp, name), f"{folder}{name}")
        return buf.getvalue()


def geojson_bytes(
    geometries: Sequence[shapely.Geometry | None],
    fields: dict[str, Sequence[object]],
    crs: str | None = None,
) -> bytes:
    """A GeoJSON FeatureCollection as text; crs names an old-style 'crs' member (None: none, as RFC 7946 wants)."""
    names = list(fields)
    features = [
        {
            "type": "Feature",
            "properties": {k: fields[k][i] for k in names},
            "geometry": None if g is None else json.loads(shapely.to_geojson(g)),
        }
        for i, g in enumerate(geometries)
    ]
    doc: dict[str, object] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{crs.replace(':', '::')}"}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def to_wgs84(geometries: Sequence[shapely.Geometry]) -> list[shapely.Geometry]:
    """Geometries in EPSG:3006 reprojected to WGS 84 lon/lat."""
    tr = Transformer.from_crs(SWEREF, WGS84, always_xy=True)
    return list(
        shapely.transform(np.asarray(geometries, dtype=object), lambda xy: np.column_stack(tr.transform(*xy.T)))
    )


def to_sweref(geometries: Sequence[shapely.Geometry]) -> list[shapely.Geometry]:
    """Geometries in WGS 84 lon/lat reprojected to EPSG:3006 (to measure them in metres)."""
    tr = Transformer.from_crs(WGS84, SWEREF, always_xy=True)
    return list(
        shapely.transform(np.asarray(geometries, dtype=object), lambda xy: np.column_stack(tr.transform(*xy.T)))
    )


def districts_gpkg(crs: str | None = SWEREF) -> bytes:
    """The ten districts as a GeoPackage in EPSG:3006 (crs=None: without a coordinate system)."""
    return gpkg_bytes(district_geometries(), district_fields(), crs=crs)


def districts_geojson(projected: bool = False) -> bytes:
    """The ten districts as RFC 7946 GeoJSON in WGS 84; projected=True: EPSG:3006 metres without a crs member."""
    geoms = district_geometries()
    return geojson_bytes(geoms if projected else to_wgs84(geoms), district_fields())


def districts_shapefile(with_prj: bool = True, folder: str = "") -> bytes:
    """The ten districts as a zipped Shapefile in EPSG:3006 (with_prj=False: the .prj left out)."""
    leave_out = () if with_prj else (".prj",)
    return shapefile_zip(district_geometries(), district_fields(), folder=folder, leave_out=leave_out)
