"""Step 2: the areas - the focus areas, the comparison area, the municipality, the nation, and the municipalities
Linköping is compared with (type Kommun after Linköping, so Linköping stays the municipality of the focus areas)."""

from __future__ import annotations

import pandas as pd

from analysis.core.model import FOCUS, MUNICIPALITY, NATION, REFERENCE

from .common import BERGA, COMPARISON_MUNICIPALITIES, MUNI, NATION_AREA, REST, RYD, SKAGGETORP

AREAS: list[dict[str, str]] = [
    {"name": BERGA, "type": FOCUS, "code": "", "aliases": "Berga (Linköping);Stadsdelen Berga"},
    {"name": RYD, "type": FOCUS, "code": "", "aliases": "Ryd (Linköping);Stadsdelen Ryd"},
    {
        "name": SKAGGETORP,
        "type": FOCUS,
        "code": "",
        "aliases": "Skaggetorp;Skäggetorp (Linköping);Stadsdelen Skäggetorp",
    },
    {
        "name": REST,
        "type": REFERENCE,
        "code": "",
        "aliases": "Linköping exkl. fokusområden;Övriga Linköping (exkl. Berga, Ryd och Skäggetorp);"
        "Rest of Linköping;Ovriga Linkoping",
    },
    {"name": MUNI, "type": MUNICIPALITY, "code": "0580", "aliases": "Linköpings kommun;Linköping kommun"},
    {"name": NATION_AREA, "type": NATION, "code": "00", "aliases": "Sverige;Hela riket;Sweden"},
    *(
        {"name": name, "type": MUNICIPALITY, "code": code, "aliases": f"{name}s kommun"}
        for name, code in COMPARISON_MUNICIPALITIES.items()
    ),
]


def areas_frame() -> pd.DataFrame:
    """The Områden table."""
    return pd.DataFrame(AREAS)
