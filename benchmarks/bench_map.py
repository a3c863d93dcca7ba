"""Benchmark: the map with 3 363 RegSO-sized polygons (the national RegSO count) against ten districts.

    python benchmarks/bench_map.py [--polygons 3363] [--vertices 300] [--browser]

Builds synthetic adjacent polygons in SWEREF 99 TM (tests/geodata.py), writes them as a GeoPackage and times, for
the baseline (ten districts) and the large case side by side: reading and checking the upload in the sandboxed
child (reproject, repair, simplify without gaps, match), the map's view model, the figure, and the figure's JSON
size sent to the browser. With --browser it also starts the app on a store holding the polygons and times the Karta
page in Chromium from navigation until the map is drawn (first and second visit). Not a test: timings depend on the
machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.core.model import make_dataset  # noqa: E402
from analysis.ingest.boundaries import read_boundaries_isolated  # noqa: E402
from analysis.render.map_figure import map_figure  # noqa: E402
from analysis.viewmodels.map_view import MapSelection, map_data  # noqa: E402
from tests import geodata  # noqa: E402


def timed(fn):
    """fn() and the seconds it took."""
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def case(n: int, vertices: int) -> dict[str, object]:
    """The numbers of one case: n polygons of about `vertices` vertices each."""
    geoms = geodata.grid_polygons(n, vertices)
    codes = [f"R{i:05d}" for i in range(n)]
    gpkg = geodata.gpkg_bytes(geoms, {"kod": codes, "namn": [f"Område {i}" for i in range(n)]})
    areas = pd.DataFrame({"name": [f"Område {i}" for i in range(n)], "type": "Övrigt", "code": codes, "aliases": ""})
    read, t_read = timed(lambda: read_boundaries_isolated(gpkg, "regso.gpkg", areas))
    assert read.ok, [p.message for p in read.problems[:3]]
    indicators = pd.DataFrame(
        [{"id": "x", "name": "Förvärvsfrekvens", "theme": "arbete", "unit": "procent", "direction": "Högre är bättre"}]
    )
    obs = pd.DataFrame(
        {
            "area": areas["name"],
            "indicator": "x",
            "year": 2024,
            "sex": "Totalt",
            "value": [40 + (i * 37) % 50 for i in range(n)],
        }
    ).assign(source="SCB")
    dataset = make_dataset(areas=areas, indicators=indicators, observations=obs, boundaries=read.boundaries)
    selection = MapSelection("x", 2024)
    data, t_model = timed(lambda: map_data(dataset, selection))
    fig, t_fig = timed(lambda: map_figure(data))
    spec, t_json = timed(fig.to_json)
    kept = sum(len(g) for g in read.boundaries["geometry"])
    return {
        "polygons": n,
        "vertices in": read.n_vertices,
        "file MB": len(gpkg) / 1e6,
        "read + check s": t_read,
        "stored geometry MB": kept / 1e6,
        "view model s": t_model,
        "figure s": t_fig,
        "to JSON s": t_json,
        "JSON MB": len(spec) / 1e6,
        "_dataset": dataset,
    }


def page_seconds(dataset, repeats: int = 2) -> list[float]:
    """Seconds from navigation to a drawn map on the Karta page, per visit (the first builds the caches)."""
    from playwright.sync_api import sync_playwright

    from analysis.store.importer import open_store
    from tests.browser.helpers import CHROMIUM_ARGS, ROOT, find_chromium, goto_page, run_streamlit

    work = Path(tempfile.mkdtemp())
    with open_store(work / "store.sqlite") as store:
        store.apply(dataset, user="bench")
    out = []
    with run_streamlit(ROOT / "app.py", work) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for _ in range(repeats):
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            t0 = time.perf_counter()
            goto_page(page, server.url, "karta", "indikator=F%C3%B6rv%C3%A4rvsfrekvens&ar=2024")
            page.locator(".js-plotly-plot .scatterlayer .trace").first.wait_for(timeout=300_000)
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length > 5")
            out.append(time.perf_counter() - t0)
            page.close()
        browser.close()
    return out


def main() -> int:
    """Run both cases and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polygons", type=int, default=3363)
    parser.add_argument("--vertices", type=int, default=300)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    base, large = case(10, args.vertices), case(args.polygons, args.vertices)
    if args.browser:
        base["page s (1st, 2nd)"] = page_seconds(base["_dataset"])
        large["page s (1st, 2nd)"] = page_seconds(large["_dataset"])
    print(f"{'':24}{'baseline':>16}{'large':>16}")
    for key in [k for k in base if not k.startswith("_")]:
        a, b = base[key], large[key]
        fmt = (
            (lambda v: ", ".join(f"{x:.2f}" for x in v))
            if isinstance(a, list)
            else (lambda v: f"{v:,.2f}" if isinstance(v, float) else f"{v:,}")
        )
        print(f"{key:24}{fmt(a):>16}{fmt(b):>16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
