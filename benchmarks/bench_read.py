"""Benchmark: reading a long workbook with our reader versus pandas.read_excel(engine="openpyxl").

    python benchmarks/bench_read.py [--rows 100000] [--repeat 3]

Generates a seeded long-format workbook (Område | Indikator | År | Värde | Kön | Källa), then
times, best of --repeat runs, (1) our reader (safety checks + python-calamine), (2) our reader
plus validation into the tidy table, and (3) the baseline pandas/openpyxl read. Prints the
numbers side by side and the ratio. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.excel import read_workbook  # noqa: E402
from analysis.model import make_dataset  # noqa: E402
from analysis.validate import ReadOptions, parse_workbook  # noqa: E402


def synthetic_known(n_areas: int, n_indicators: int):
    """Areas and indicators the synthetic workbook refers to."""
    areas = pd.DataFrame({"name": [f"Område {i:04d}" for i in range(n_areas)], "type": "Övrigt", "code": "", "aliases": ""})
    indicators = pd.DataFrame({
        "id": [f"ind{i:02d}" for i in range(n_indicators)], "name": [f"Indikator {i:02d}" for i in range(n_indicators)],
        "theme": "arbete", "unit": "procent", "direction": "Högre är bättre", "decimals": 1,
    })
    return make_dataset(areas=areas, indicators=indicators)


def long_workbook(rows: int, seed: int = 1) -> tuple[bytes, object]:
    """A long-format workbook with `rows` unique observations, and the known metadata for it."""
    rng = np.random.default_rng(seed)
    years = list(range(2005, 2025))
    sexes = ["Totalt", "Kvinnor", "Män"]
    n_indicators = 30
    n_areas = -(-rows // (len(years) * len(sexes) * n_indicators))
    known = synthetic_known(n_areas, n_indicators)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Område", "Indikator", "År", "Värde", "Kön", "Källa"])
    values = rng.uniform(1, 99, rows).round(1)
    i = 0
    for a in range(n_areas):
        for k in range(n_indicators):
            for y in years:
                for s in sexes:
                    if i >= rows:
                        break
                    ws.append([f"Område {a:04d}", f"ind{k:02d}", y, float(values[i]), s, "SCB"])
                    i += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), known


def best_of(repeat: int, fn) -> float:
    """The fastest of `repeat` timed runs of fn, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    data, known = long_workbook(args.rows)
    rows_text = f"{args.rows:,}".replace(",", " ")
    print(f"Arbetsbok: {rows_text} rader, {len(data) / 1e6:.1f} MB (skapad på {time.perf_counter() - t0:.1f} s)")

    def ours() -> None:
        raw, problems = read_workbook(data, "bench.xlsx")
        assert raw is not None and not problems, problems

    def ours_validated() -> None:
        raw, _ = read_workbook(data, "bench.xlsx")
        result = parse_workbook(raw, known, ReadOptions())
        assert result.ok and len(result.dataset.observations) == args.rows

    def baseline() -> None:
        frame = pd.read_excel(io.BytesIO(data), engine="openpyxl")
        assert len(frame) == args.rows

    t_ours = best_of(args.repeat, ours)
    t_valid = best_of(args.repeat, ours_validated)
    t_base = best_of(max(1, min(args.repeat, 2)), baseline)
    print()
    print(f"{'Metod':<48}{'Tid (s)':>10}{'Gånger snabbare än baslinjen':>32}")
    print(f"{'Baslinje: pandas.read_excel(engine=openpyxl)':<48}{t_base:>10.2f}{1.0:>32.1f}")
    print(f"{'Vår läsare (kontroller + calamine)':<48}{t_ours:>10.2f}{t_base / t_ours:>32.1f}")
    print(f"{'Vår läsare + validering till tidy-tabell':<48}{t_valid:>10.2f}{t_base / t_valid:>32.1f}")
    ok = t_base / t_ours >= 5
    print()
    print(f"Krav: vår läsare minst 5 gånger snabbare: {'uppfyllt' if ok else 'EJ uppfyllt'} ({t_base / t_ours:.1f}×).")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
