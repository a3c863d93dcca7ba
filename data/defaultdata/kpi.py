"""Step 5: the consumer price index, for amounts in fixed prices (analysis/measures/verdicts.py).

SCB's published annual averages (1980 = 100) are read as they are from ``data/kpi_arsmedel.csv``, a verbatim copy
of the project's reference file with the source URL on every row. They are real data for Riket only, so the
catalogue row ``kpi`` takes its values from that file, not from the generator.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .catalogue import KPI_FILE_NAME
from .common import DATA_DIR, NATION_AREA, TOTAL

KPI_ID = "kpi"
KPI_PATH = DATA_DIR / KPI_FILE_NAME
KPI_NOTE = "Publicerad uppgift: SCB, KPI 1980=100, fastställt årsmedeltal"


def kpi_years(path: Path = KPI_PATH) -> str:
    """The years the KPI file covers, e.g. '2015–2023'."""
    years = pd.read_csv(path)["year"].astype(int)
    return f"{years.min()}–{years.max()}"


def kpi_observations(path: Path = KPI_PATH) -> pd.DataFrame:
    """KPI 1980=100 per year for Riket, from the verbatim copy of SCB's annual averages (source URL per row)."""
    table = pd.read_csv(path)
    return pd.DataFrame(
        {
            "area": NATION_AREA,
            "indicator": KPI_ID,
            "year": table["year"].astype(int),
            "sex": TOTAL,
            "value": table["kpi_1980_100"].astype(float),
            "source": table["source_url"],
            "note": KPI_NOTE,
        }
    )
