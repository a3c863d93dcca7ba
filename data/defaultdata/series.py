"""Parameters of the example series (step 4): level in 2015, trend, noise, sex difference and shocks per area."""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import BERGA, NATION_AREA, REST, RYD, SKAGGETORP


@dataclass(frozen=True)
class Series:
    """How one indicator's example series are generated.

    levels: area -> (value in 2015, change per year[, curvature per year squared]).
    sd: noise standard deviation (focus areas, Övriga Linköping/Riket).
    sex_diff: area -> women minus men (split indicators only).
    shock: year -> common shift (focus areas get FOCUS_SHOCK times it).
    step: rounding grid coarser than the decimals (e.g. 100 kronor).
    """

    levels: dict[str, tuple[float, ...]]
    sd: tuple[float, float]
    sex_diff: dict[str, float] = field(default_factory=dict)
    sex_sd: float = 0.3
    shock: dict[int, float] = field(default_factory=dict)
    step: float | None = None


FOCUS_SHOCK = 1.8
# The generated areas, in the order the parameter tables below give them.
_AREAS: tuple[str, ...] = (BERGA, RYD, SKAGGETORP, REST, NATION_AREA)


def _levels(*levels: tuple[float, ...]) -> dict[str, tuple[float, ...]]:
    """Levels per generated area, in the order Berga, Ryd, Skäggetorp, Övriga Linköping, Riket."""
    return dict(zip(_AREAS, levels, strict=True))


def _sex_diffs(*differences: float) -> dict[str, float]:
    """Sex differences (women minus men) per generated area, in the same order as _levels."""
    return dict(zip(_AREAS, differences, strict=True))


SERIES: dict[str, Series] = {
    "forvarvsfrekvens": Series(
        _levels((58.5, 0.40), (55.0, 0.35), (50.5, 0.55), (80.8, 0.15), (79.5, 0.22)),
        (0.8, 0.2),
        _sex_diffs(-6.0, -3.0, -9.0, -2.5, -3.5),
        0.8,
        {2020: -1.0, 2021: -0.5},
    ),
    "arbetsloshet": Series(
        _levels((8.6, 0.25), (6.2, 0.0), (17.2, 0.12), (3.5, -0.05), (5.6, -0.05)),
        (0.35, 0.1),
        _sex_diffs(-0.8, -0.6, -1.0, -0.3, -0.2),
        0.3,
        {2020: 0.6, 2021: 0.9, 2022: 0.4},
    ),
    "unga_uvas": Series(
        _levels((14.5, -0.2), (9.0, -0.05), (19.5, -0.3), (5.8, -0.05), (7.4, -0.05)),
        (1.0, 0.15),
        _sex_diffs(1.0, 0.6, 1.0, -0.4, -0.3),
        0.5,
        {2020: 0.8, 2021: 0.5},
    ),
    "lag_ekonomisk_standard": Series(
        _levels((32.0, 0.15), (37.0, 0.0), (44.0, 0.35), (12.0, 0.05), (14.0, 0.1)),
        (0.8, 0.15),
        _sex_diffs(1.2, 0.8, 1.2, 1.0, 1.0),
        0.4,
    ),
    "lag_ekonomisk_standard_barn": Series(
        _levels((44.0, 0.1), (43.0, 0.0), (58.0, 0.35), (11.5, -0.05), (19.5, -0.1)), (1.2, 0.2)
    ),
    "ekonomiskt_bistand": Series(
        _levels((11.8, -0.3), (7.0, -0.18), (23.0, -0.65), (2.2, -0.05), (4.4, -0.1)),
        (0.5, 0.05),
        _sex_diffs(0.3, 0.2, 0.4, 0.2, 0.1),
        0.15,
    ),
    "medianinkomst_hushall": Series(
        _levels((258000, 7000), (188000, 5000), (228000, 6000), (352000, 10500), (320000, 9500)), (3000, 1500), step=100
    ),
    "eftergymnasial_utbildning": Series(
        _levels((33.0, 0.35), (46.0, 0.3), (24.0, 0.4), (55.0, 0.5), (42.5, 0.5)),
        (0.7, 0.15),
        _sex_diffs(5.0, 4.0, 3.0, 11.0, 12.0),
        0.6,
    ),
    "forgymnasial_utbildning": Series(
        _levels((24.0, -0.3), (16.0, -0.2), (34.0, -0.35), (7.5, -0.15), (11.0, -0.2)),
        (0.6, 0.1),
        _sex_diffs(2.5, 1.5, 2.5, -1.8, -2.0),
        0.4,
    ),
    "behorighet_yrkesprogram": Series(
        _levels((72.0, 0.4), (78.0, 0.1), (62.0, 0.7), (91.0, 0.0), (84.5, -0.1)),
        (3.0, 0.5),
        _sex_diffs(3.0, 3.0, 3.0, 2.0, 2.5),
        1.5,
    ),
    "meritvarde": Series(
        _levels((192.0, 1.0), (204.0, 0.6), (172.0, 1.6), (238.0, 0.5), (224.0, 0.8)),
        (5.0, 1.0),
        _sex_diffs(22.0, 22.0, 22.0, 20.0, 21.0),
        3.0,
    ),
    "forskola": Series(_levels((78.0, 0.8), (80.0, 0.6), (70.0, 1.2), (94.0, 0.1), (94.5, 0.05)), (1.2, 0.2)),
    "trangbodda_hushall": Series(_levels((18.0, 0.2), (11.0, 0.05), (26.5, 0.35), (4.8, 0.0), (6.8, 0.05)), (0.5, 0.1)),
    "trangbodda_hushall_barn": Series(
        _levels((48.5, 0.5), (50.0, 0.7), (68.0, 0.6), (12.0, 0.1), (17.0, 0.1)), (1.2, 0.2)
    ),
    "hyresratter": Series(_levels((74.0, -0.3), (91.0, -0.1), (88.0, -0.15), (45.5, -0.1), (38.0, -0.05)), (0.4, 0.1)),
    "folkmangd": Series(
        _levels((6300, 25), (8900, 25), (9700, 50), (127400, 2900, -130), (9850000, 90000, -2000)), (25.0, 150.0)
    ),
    "utrikes_fodda": Series(
        _levels((36.0, 0.55), (37.5, 0.6), (51.0, 0.7), (12.0, 0.3), (17.0, 0.38)),
        (0.6, 0.1),
        _sex_diffs(0.5, 0.5, 0.5, 0.8, 0.5),
        0.3,
    ),
    "utlandsk_bakgrund": Series(_levels((45.0, 0.6), (49.0, 0.8), (61.0, 0.8), (15.5, 0.35), (22.5, 0.52)), (0.6, 0.1)),
    "befolkning_0_19": Series(_levels((27.0, 0.05), (19.5, 0.0), (31.0, 0.1), (22.8, -0.05), (22.9, 0.0)), (0.4, 0.05)),
    "befolkning_65": Series(_levels((17.5, 0.1), (7.5, 0.05), (12.5, 0.05), (18.0, 0.1), (19.8, 0.1)), (0.3, 0.05)),
    "valdeltagande_kommunval": Series(
        _levels((77.9, -0.625), (73.6, -0.875), (67.5, -1.5), (88.8, -0.4), (86.7, -0.875)),
        (1.0, 0.2),
        _sex_diffs(3.0, 3.0, 3.0, 2.5, 2.5),
        0.8,
    ),
    "valdeltagande_riksdagsval": Series(
        _levels((83.25, -0.75), (80.0, -1.0), (75.75, -2.25), (93.525, -0.675), (89.45, -0.75)), (1.0, 0.2)
    ),
    "ohalsotal": Series(
        _levels((33.0, -0.7), (17.0, -0.3), (38.0, -0.9), (21.5, -0.45), (28.0, -0.75)),
        (1.0, 0.2),
        _sex_diffs(10.0, 6.0, 10.0, 9.5, 10.0),
        0.8,
        {2020: 0.6, 2021: 0.4},
    ),
    "otrygghet_kvall": Series(
        _levels((33.0, -0.5), (29.0, 0.5), (46.0, -0.9), (18.5, 0.0), (28.5, -0.3)),
        (2.0, 0.5),
        _sex_diffs(16.0, 16.0, 16.0, 15.0, 16.0),
        2.0,
    ),
    "anmalda_brott": Series(
        _levels((104.0, -1.2), (98.0, 1.2), (142.0, -3.0), (96.0, -1.3), (150.0, -2.0)), (5.0, 1.5)
    ),
}

# Share of women in the generated areas (population).
FEMALE_SHARE = {BERGA: 0.500, RYD: 0.460, SKAGGETORP: 0.490, REST: 0.4915, NATION_AREA: 0.4975}
