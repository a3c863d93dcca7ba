"""Seeded benchmark workbooks (long and wide) and the store their names refer to."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import SIZES, default_dataset, synthetic_dataset  # noqa: E402

from analysis.core.model import make_dataset  # noqa: E402
from analysis.store.history import Store  # noqa: E402

YEARS = list(range(2005, 2025))
SEXES = ["Totalt", "Kvinnor", "Män"]


def metadata():
    """The areas and indicators of the M-size dataset (the names the workbooks use)."""
    m = synthetic_dataset(SIZES["M"])
    return m.areas, m.indicators


def long_workbook(rows: int, seed: int = 1) -> bytes:
    """Område | Indikator | År | Värde | Kön | Källa, `rows` unique observations (write-only openpyxl)."""
    areas, indicators = metadata()
    rng = np.random.default_rng(seed)
    values = rng.uniform(1, 99, rows).round(1)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Område", "Indikator", "År", "Värde", "Kön", "Källa"])
    i = 0
    for area in areas["name"]:
        for ind in indicators["id"]:
            for year in YEARS:
                for sex in SEXES:
                    if i == rows:
                        break
                    ws.append([area, ind, year, float(values[i]), sex, "SCB"])
                    i += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wide_workbook(rows: int, seed: int = 2) -> bytes:
    """Område | Indikator | Kön | 2005 … 2024, `rows` rows (each a unique area, indicator and sex)."""
    areas, indicators = metadata()
    rng = np.random.default_rng(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Område", "Indikator", "Kön", *YEARS])
    i = 0
    for area in areas["name"]:
        for ind in indicators["id"]:
            for sex in SEXES:
                if i == rows:
                    break
                ws.append([area, ind, sex, *rng.uniform(1, 99, len(YEARS)).round(1).tolist()])
                i += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def known_store(path: str) -> None:
    """A store with the default data plus the M-size areas and indicators (no extra values)."""
    base = default_dataset()
    areas, indicators = metadata()
    with Store(path) as s:
        s.apply(base, user="bench", kind="initial")
        s.apply(make_dataset(areas=areas, indicators=indicators), user="bench")
        s.current()
