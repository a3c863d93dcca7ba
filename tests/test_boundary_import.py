"""Boundaries through the store: the issue's GeoPackage checked, imported as a version with its file, mapped, and
removed again by a rollback; a second identical upload changes nothing."""

from __future__ import annotations

import json

import pandas as pd

from analysis.core.model import make_dataset
from analysis.store.boundary_import import boundary_source, import_boundaries, read_boundary_upload
from analysis.store.importer import open_store
from tests import geodata
from tests.apptest import run_app_page
from tests.test_map_view import box


def districts_store():
    """The default data plus the six districts of type Övrigt the GeoPackage names (the focus areas exist)."""
    store = open_store()
    areas = geodata.district_areas()
    store.apply(make_dataset(areas=areas[areas["type"] == "Övrigt"]), user="t")
    return store


def test_the_issues_geopackage_is_reported_imported_mapped_and_rolled_back():
    store = districts_store()
    before = store.current()
    data = geodata.districts_gpkg()
    read = read_boundary_upload(store, data, "distrikt.gpkg")
    # The report: ten features in SWEREF 99 TM, nine matched, the bow-tie repaired, the unknown district listed.
    assert read.ok and read.n_features == 10 and read.crs == "EPSG:3006"
    assert sorted(read.boundaries["area"]) == sorted(geodata.district_areas().query("type != 'Kommun'")["name"])
    assert any("0580R999" in u for u in read.unmatched)
    assert any(p.row == geodata.BOW_TIE and not p.is_error for p in read.problems)
    assert store.current().row_counts() == before.row_counts()  # reading stores nothing

    result = import_boundaries(store, read, data, "distrikt.gpkg", "Anna")
    version = result.version
    after = store.current()
    assert len(after.boundaries) == 9 and set(after.boundaries["source"]) == {boundary_source("distrikt.gpkg")}
    assert store.original_file(version) == ("distrikt.gpkg", data)  # the original file is kept
    lon_lat = json.loads(after.boundaries.set_index("area").at["Berga", "geometry"])["coordinates"][0][0]
    assert 15.4 < lon_lat[0] < 15.9 and 58.3 < lon_lat[1] < 58.5  # reprojected to WGS 84
    # The same file again: nothing changes, no version.
    assert (
        import_boundaries(store, read_boundary_upload(store, data, "distrikt.gpkg"), data, "distrikt.gpkg", "A").version
        is None
    )

    # The map page draws them, the focus areas outlined.
    at = run_app_page("views/karta.py")
    (chart,) = at.get("plotly_chart")
    names = [t.get("name") for t in json.loads(chart.proto.spec)["data"]]
    assert "Fokusområde (svart kant)" in names
    assert set(at.dataframe[0].value["Område"]) == set(after.boundaries["area"])

    store.rollback(version - 1, user="Anna")
    assert store.current().boundaries.empty
    assert "Standarddata har inga gränser" in run_app_page("views/karta.py").info[0].value.replace("\\", "")
    store.close()


def test_a_file_with_errors_stores_nothing():
    store = districts_store()
    version = store.current_version()
    read = read_boundary_upload(store, geodata.districts_gpkg(crs=None), "utan-crs.gpkg")
    assert not read.ok and read.boundaries is None
    assert import_boundaries(store, read, b"x", "utan-crs.gpkg", "Anna") is None
    assert store.current_version() == version and store.current().boundaries.empty
    store.close()


def test_boundaries_of_areas_the_file_lacks_stay():
    store = districts_store()
    old = pd.DataFrame([{"area": "Hjulsbro", "code": "x", "name": "Hjulsbro", "geometry": box(0)}])
    store.apply(make_dataset(boundaries=old), user="t")
    geoms = geodata.district_geometries()[:2]
    fields = {"kod": ["0580R001", "0580R002"], "namn": ["Berga", "Lambohov"]}
    data = geodata.gpkg_bytes(geoms, fields)
    result = import_boundaries(store, read_boundary_upload(store, data, "två.gpkg"), data, "två.gpkg", "Anna")
    assert result.version is not None
    assert sorted(store.current().boundaries["area"]) == ["Berga", "Hjulsbro", "Lambohov"]
    store.close()
