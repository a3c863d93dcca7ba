"""Example områdestyper (step 5): SCB's classification of areas into five types, by hand for the focus areas.

Every value here is fictitious (the focus areas are made of one or more RegSO, each with its own type); the codes
and their labels are SCB's, as in Segregationsbarometern.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.model import EXAMPLE_SOURCE

from .common import BERGA, RYD, SKAGGETORP, TOTAL

AREA_TYPE_ID = "omradestyp"
ORIGIN = "områdestyper"
YEARS: tuple[int, ...] = tuple(range(2018, 2025))
# Area -> code per year in YEARS.
CODES: dict[str, tuple[int, ...]] = {
    BERGA: (2, 2, 2, 2, 2, 2, 2),
    RYD: (3, 3, 3, 2, 2, 2, 2),
    SKAGGETORP: (1, 1, 1, 1, 1, 1, 1),
}


def area_type_observations() -> pd.DataFrame:
    """The example områdestyp of each focus area and year."""
    return pd.DataFrame(
        [
            {
                "area": area,
                "indicator": AREA_TYPE_ID,
                "year": year,
                "sex": TOTAL,
                "value": float(code),
                "source": EXAMPLE_SOURCE,
                "note": "",
            }
            for area, codes in CODES.items()
            for year, code in zip(YEARS, codes, strict=True)
        ]
    )
