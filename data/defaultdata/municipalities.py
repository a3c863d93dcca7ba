"""Example values for the comparison municipalities (step 5): Linköping's series shifted by a fixed amount per
municipality, with a little seeded noise. The offsets are fictitious; every value made here is an example value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.model import EXAMPLE_SOURCE

from .common import COMPARISON_MUNICIPALITIES, MUNI, SEED, TOTAL

# Indicator -> offset from Linköping per municipality (Norrköping, Örebro, Västerås, Jönköping, Uppsala), in the
# indicator's unit, and the noise's standard deviation.
OFFSETS: dict[str, tuple[tuple[float, ...], float]] = {
    "forvarvsfrekvens": ((-3.6, -1.2, -1.8, 1.4, -0.6), 0.3),
    "arbetsloshet": ((1.9, 0.8, 1.2, -0.6, -0.4), 0.2),
    "ekonomiskt_bistand": ((1.4, 0.6, 0.9, -0.3, -0.5), 0.15),
    "lag_ekonomisk_standard": ((2.8, 1.1, 1.6, -0.4, 0.3), 0.3),
    "eftergymnasial_utbildning": ((-9.5, -2.5, -4.0, -6.0, 4.5), 0.4),
    "utrikes_fodda": ((1.2, 1.5, 4.8, -1.1, 0.4), 0.2),
}


def municipality_observations(observations: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    """The comparison municipalities' totals for the indicators in OFFSETS, every year Linköping has."""
    rng = np.random.default_rng(SEED + 1)
    linkoping = observations[(observations["area"] == MUNI) & (observations["sex"] == TOTAL)]
    rows = []
    for indicator, (offsets, sd) in OFFSETS.items():
        own = linkoping[linkoping["indicator"] == indicator].sort_values("year")
        for municipality, offset in zip(COMPARISON_MUNICIPALITIES, offsets, strict=True):
            noise = rng.normal(0.0, sd, len(own))
            for year, value, shift in zip(own["year"], own["value"], noise):
                rows.append(
                    {
                        "area": municipality,
                        "indicator": indicator,
                        "year": int(year),
                        "sex": TOTAL,
                        "value": round(min(max(float(value) + offset + shift, 0.1), 99.9), decimals[indicator]),
                        "source": EXAMPLE_SOURCE,
                        "note": "",
                    }
                )
    return pd.DataFrame(rows)
