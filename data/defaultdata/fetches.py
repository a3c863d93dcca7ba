"""The default fetch definitions (sheet Hämtningar): where catalogue indicators can be fetched from SCB's PxWeb API.

Only tables whose structure we have seen in SCB's recorded API responses (../shared/reference/pxweb/v2/) are
defined, and each is marked unverified until someone with network runs `python -m analysis fetch --dry-run`.
"""

from __future__ import annotations

import pandas as pd

from .common import COMPARISON_MUNICIPALITIES

SCB_API = "https://statistikdatabasen.scb.se/api/v2"
UNVERIFIED = (
    "Ej verifierad mot SCB:s API (bara mot inspelade svar): kör python -m analysis fetch --dry-run med nätverk "
    "innan hämtningen används."
)


def fetches_frame() -> pd.DataFrame:
    """The default fetch definitions, one row per indicator and table."""
    regions = ",".join(["0580", "00", *COMPARISON_MUNICIPALITIES.values()])
    return pd.DataFrame(
        [
            {
                "indicator": "folkmangd",
                "api": "PxWeb v2",
                "base_url": SCB_API,
                "table": "TAB6471",
                "selection": f"Region={regions}; Alder=TotSA; ContentsCode=000007SF",
                "time_variable": "Tid",
                "time": "alla",
                "area_variable": "Region",
                "sex_variable": "Kon",
                "sex_codes": "TotSa=Totalt; 1=Män; 2=Kvinnor",
                "period_rule": "Sista perioden",
                "verified": "Nej",
                "comment": "Folkmängd per månad från 2025; decembers värde är årets (31 december). " + UNVERIFIED,
            }
        ]
    )
