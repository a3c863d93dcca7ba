"""Step 6b: the example targets of the plan (fictitious)."""

from __future__ import annotations

import pandas as pd

from analysis.core.model import EXAMPLE_SOURCE

from .common import BERGA, RYD, SKAGGETORP

# area, indicator, base_year, target_year, target_value
TARGETS: list[tuple] = [
    (SKAGGETORP, "forvarvsfrekvens", 2020, 2026, 60.0),
    (BERGA, "forvarvsfrekvens", 2020, 2026, 65.0),
    (RYD, "forvarvsfrekvens", 2020, 2026, 62.0),
    (SKAGGETORP, "ekonomiskt_bistand", 2020, 2026, 14.0),
    (BERGA, "ekonomiskt_bistand", 2020, 2026, 7.0),
    (BERGA, "arbetsloshet", 2020, 2026, 8.0),
    (RYD, "unga_uvas", 2020, 2026, 7.0),
    (SKAGGETORP, "behorighet_yrkesprogram", 2020, 2030, 80.0),
    (BERGA, "behorighet_yrkesprogram", 2020, 2030, 85.0),
    (SKAGGETORP, "forskola", 2020, 2026, 85.0),
    (SKAGGETORP, "trangbodda_hushall", 2020, 2030, 22.0),
    (RYD, "otrygghet_kvall", 2020, 2026, 25.0),
]


def targets_frame() -> pd.DataFrame:
    """The Mål table."""
    cols = ("area", "indicator", "base_year", "target_year", "target_value")
    return pd.DataFrame([dict(zip(cols, t), source=EXAMPLE_SOURCE) for t in TARGETS])
