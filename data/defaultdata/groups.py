"""Example values split by födelseregion (step 5): inrikes and utrikes födda, consistent with each area's total.

With s the area's share of utrikes födda and d the gap (inrikes minus utrikes) chosen below, the split is
utrikes = total - (1 - s) * d and inrikes = total + s * d, so the population-weighted mean is the total again.
The gaps are fictitious; every value made here is an example value.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.groups import BORN_ABROAD, BORN_IN_SWEDEN
from analysis.core.model import EXAMPLE_SOURCE

from .common import BERGA, DERIVED_NOTE, MUNI, NATION_AREA, REST, RYD, SKAGGETORP, TOTAL

SHARE_INDICATOR = "utrikes_fodda"
# Inrikes minus utrikes födda, in procentenheter, per area (fictitious, of the size SCB's tables show).
BIRTH_GAPS: dict[str, dict[str, float]] = {
    "forvarvsfrekvens": {BERGA: 17.0, RYD: 14.0, SKAGGETORP: 19.0, REST: 16.0, MUNI: 17.0, NATION_AREA: 15.0},
    "arbetsloshet": {BERGA: -9.0, RYD: -6.0, SKAGGETORP: -10.0, REST: -6.0, MUNI: -7.0, NATION_AREA: -8.0},
}


def birth_region_observations(observations: pd.DataFrame, decimals: dict[str, int]) -> pd.DataFrame:
    """Inrikes and utrikes födda rows for the indicators in BIRTH_GAPS, from the totals and the share born abroad."""
    total = observations[observations["sex"] == TOTAL]
    share = total[total["indicator"] == SHARE_INDICATOR].set_index(["area", "year"])["value"] / 100.0
    rows = []
    for indicator, gaps in BIRTH_GAPS.items():
        own = total[(total["indicator"] == indicator) & total["area"].isin(list(gaps))]
        for area, year, value in zip(own["area"], own["year"], own["value"]):
            s = share.get((area, year))
            if s is None or pd.isna(value):
                continue
            d = gaps[area]
            for group, v in ((BORN_IN_SWEDEN, value + s * d), (BORN_ABROAD, value - (1 - s) * d)):
                rows.append(
                    {
                        "area": area,
                        "indicator": indicator,
                        "year": int(year),
                        "sex": group,
                        "value": round(min(max(float(v), 0.1), 99.9), decimals[indicator]),
                        "source": EXAMPLE_SOURCE,
                        "note": DERIVED_NOTE,
                    }
                )
    return pd.DataFrame(rows)
