"""Benchmark: reading a long workbook with our reader versus pandas.read_excel(engine="openpyxl").

    python benchmarks/bench_read.py [--rows 100000] [--repeat 3]

Generates a seeded long-format workbook (Område | Indikator | År | Värde | Kön | Källa), then
times, best of --repeat runs, (1) our reader (safety checks + python-calamine), (2) our reader
plus validation into the tidy table, and (3) the baseline pandas/openpyxl read. Prints the
numbers side by side and the ratio. Not a test: timings depend on the machine.
(benchmarks/bench_scale.py measures more: peak memory, wide workbooks, whole imports, pages.)
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import long_workbook, metadata  # noqa: E402

from analysis.core.model import make_dataset  # noqa: E402
from analysis.ingest.excel import read_workbook  # noqa: E402
from analysis.ingest.validate import ReadOptions, parse_workbook  # noqa: E402


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
    data = long_workbook(args.rows)
    areas, indicators = metadata()
    known = make_dataset(areas=areas, indicators=indicators)
    rows_text = f"{args.rows:,}".replace(",", " ")
    print(f"Arbetsbok: {rows_text} rader, {len(data) / 1e6:.1f} MB (skapad på {time.perf_counter() - t0:.1f} s)")

    def ours() -> None:
        """Our reader alone."""
        raw, problems = read_workbook(data, "bench.xlsx")
        assert raw is not None and not problems, problems
        assert sum(len(row) for row in raw.sheets[0].rows) > 0  # rows are streamed: read every cell

    def ours_validated() -> None:
        """Our reader and the validation into the tidy table."""
        raw, _ = read_workbook(data, "bench.xlsx")
        result = parse_workbook(raw, known, ReadOptions())
        assert result.ok and len(result.dataset.observations) == args.rows

    def baseline() -> None:
        """pandas with openpyxl."""
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
