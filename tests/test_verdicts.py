"""The verdict rules, pinned by hand-worked cases (each expected word worked out from the rule in the comment)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from analysis.core.model import HIGHER, LOWER, NEUTRAL
from analysis.measures.verdicts import (
    BETTER,
    CAUGHT_UP,
    CLOSING,
    FALLEN_BEHIND,
    GAP_IMPROVED,
    LEAD_GROWS,
    LEAD_LOST,
    LEAD_SHRINKS,
    OVERTAKEN,
    PCT,
    PP,
    SAME,
    STEADY,
    UNIT_GAP,
    WIDENING,
    WORSE,
    Rule,
    gap_threshold,
    gap_verdict,
    in_fixed_prices,
    is_unchanged,
    rule_for,
    shown,
    shown_exact,
    value_verdict,
)

SHARE_UP = Rule("procent", HIGHER, 1, PP, 1.0)
SHARE_DOWN = Rule("procent", LOWER, 1, PP, 1.0)
DAYS_DOWN = Rule("dagar", LOWER, 1, UNIT_GAP, 3.0)
KRONOR_UP = Rule("kronor", HIGHER, 0, PCT, 3.0)
POINTS_UP = Rule("poäng", HIGHER, 1, UNIT_GAP, 3.0)


@pytest.mark.parametrize(
    "then, now, rule, verdict",
    [
        # The float-noise cases: a visible change of 0,1 procentenhet is below 1 procentenhet, every time.
        (3.1, 3.2, SHARE_DOWN, SAME),
        (3.2, 3.3, SHARE_DOWN, SAME),
        (0.9, 1.0, SHARE_DOWN, SAME),
        (0.5, 0.6, SHARE_DOWN, SAME),
        # The same change phrased two ways gets the same word: +2,3 and its complement -2,3 procentenheter.
        (80.0, 82.3, SHARE_UP, BETTER),
        (20.0, 17.7, SHARE_DOWN, BETTER),
        (81.6, 84.0, SHARE_UP, BETTER),  # Berga förskola: +2,4 pe
        # At the threshold: 1,0 pe is a change, 0,9 pe (shown) is not; 0,96 shows as 1,0.
        (50.0, 51.0, SHARE_UP, BETTER),
        (50.0, 50.9, SHARE_UP, SAME),
        (50.0, 50.96, SHARE_UP, BETTER),
        (50.0, 50.94, SHARE_UP, SAME),
        (18.3, 16.0, SHARE_DOWN, BETTER),
        (18.3, 19.6, SHARE_DOWN, WORSE),
        # Other units: 3 % of the larger level, symmetric (100 -> 103 and 103 -> 100 both 3 < 3,09).
        (100.0, 103.0, POINTS_UP, SAME),
        (103.0, 100.0, POINTS_UP, SAME),
        (100.0, 103.2, POINTS_UP, BETTER),  # 3,2 >= 3 % of 103,2 = 3,096
        (200.0, 193.0, POINTS_UP, WORSE),  # 7 >= 3 % of 200 = 6
        (20.1, 19.6, DAYS_DOWN, SAME),  # 0,5 < 3 % of 20,1 = 0,603
        (20.1, 19.4, DAYS_DOWN, BETTER),  # 0,7 >= 0,603
        (0.0, 0.0, POINTS_UP, SAME),
        (10.0, 20.0, Rule("procent", NEUTRAL), None),
        (float("nan"), 20.0, SHARE_UP, None),
        (None, 20.0, SHARE_UP, None),
    ],
)
def test_value_verdict(then, now, rule, verdict):
    assert value_verdict(then, now, rule) == verdict


@pytest.mark.parametrize(
    "then, now, rule, threshold, verdict",
    [
        # Behind the reference (favourable gap < 0): closing or widening by at least the threshold.
        (-29.5, -27.1, SHARE_UP, 1.0, CLOSING),
        (-29.5, -29.0, SHARE_UP, 1.0, STEADY),
        (14.0, 16.5, SHARE_DOWN, 1.0, WIDENING),  # unemployment 14 -> 16,5 pe above: behind, widening
        (-10.2, -8.0, SHARE_UP, 1.0, CLOSING),  # Berga förskola: gap closes 2,2 pe, value +2,4 pe -> both improve
        # Ryd's ohälsotal: better than the reference (3,1 days lower) and the lead shrank to 1,7: not an improvement.
        (-3.1, -1.7, DAYS_DOWN, 0.6, LEAD_SHRINKS),
        (-1.7, -3.1, DAYS_DOWN, 0.6, LEAD_GROWS),
        # Skäggetorp's ohälsotal: 15,1 then 15,0 days above, a 0,1 day change: unchanged (not "avlägsnar sig").
        (15.1, 15.0, DAYS_DOWN, 0.6, STEADY),
        # Crossing over is said as such.
        (-10.0, 2.0, SHARE_UP, 1.0, OVERTAKEN),
        (-10.0, -0.5, SHARE_UP, 1.0, CAUGHT_UP),  # within 1 pe of the reference: level
        (0.4, 3.0, SHARE_UP, 1.0, OVERTAKEN),  # level -> ahead
        (3.0, -2.0, SHARE_UP, 1.0, FALLEN_BEHIND),
        (0.0, -2.0, SHARE_UP, 1.0, FALLEN_BEHIND),
        (3.0, 0.5, SHARE_UP, 1.0, LEAD_LOST),
        (14.0, -13.8, SHARE_DOWN, 1.0, OVERTAKEN),  # lower is better: from 14 pe above to 13,8 pe below
        (0.3, -0.4, SHARE_UP, 1.0, STEADY),  # level then and now
        # Relative gaps in whole percent: -30 % -> -27 % closes by 3 (>= 3), -30 -> -28 does not.
        (-30.2, -27.4, KRONOR_UP, 3.0, CLOSING),
        (-30.2, -28.4, KRONOR_UP, 3.0, STEADY),
        (-29.5, -27.1, Rule("procent", NEUTRAL), 1.0, None),
        (None, -27.1, SHARE_UP, 1.0, None),
    ],
)
def test_gap_verdict(then, now, rule, threshold, verdict):
    assert gap_verdict(then, now, rule, threshold) == verdict


def test_only_real_improvements_count_as_a_closed_gap():
    assert GAP_IMPROVED == {CLOSING, CAUGHT_UP, OVERTAKEN}
    assert LEAD_SHRINKS not in GAP_IMPROVED and LEAD_GROWS not in GAP_IMPROVED


@pytest.mark.parametrize(
    "rule, ref_then, ref_now, threshold",
    [
        (SHARE_UP, 80.0, 79.0, 1.0),  # procentenheter: as declared
        (KRONOR_UP, 400_000, 420_000, 3.0),  # percentage points of the relative gap
        (DAYS_DOWN, 20.0, 18.0, 0.6),  # 3 % of the larger reference level, in days
        (Rule("dagar", LOWER, 1, UNIT_GAP, 5.0), 20.0, None, 1.0),
    ],
)
def test_gap_threshold_in_the_gaps_own_measure(rule, ref_then, ref_now, threshold):
    assert gap_threshold(rule, ref_then, ref_now) == pytest.approx(threshold)


@pytest.mark.parametrize(
    "meta, measure, threshold, gap_unit, gap_decimals",
    [
        ({"unit": "procent", "direction": HIGHER, "decimals": 1}, PP, 1.0, "procentenheter", 1),
        ({"unit": "dagar", "direction": LOWER, "decimals": 1}, UNIT_GAP, 3.0, "dagar", 1),
        ({"unit": "poäng", "direction": HIGHER, "decimals": 1}, UNIT_GAP, 3.0, "poäng", 1),
        ({"unit": "kronor", "direction": HIGHER, "decimals": 0}, PCT, 3.0, "procent", 0),
        ({"unit": "per 1 000 invånare", "direction": LOWER, "decimals": 1}, PCT, 3.0, "procent", 0),
        ({"unit": "antal", "direction": NEUTRAL, "decimals": 0}, "", 3.0, "", 0),
        # Declared in the catalogue: another measure and threshold.
        (
            {"unit": "kronor", "direction": HIGHER, "decimals": 0, "gap_measure": "enhet", "threshold": 5},
            UNIT_GAP,
            5.0,
            "kronor",
            0,
        ),
        (
            {"unit": "procent", "direction": HIGHER, "decimals": 1, "gap_measure": "", "threshold": 2.5},
            PP,
            2.5,
            "procentenheter",
            1,
        ),
        (
            {"unit": "procent", "direction": HIGHER, "decimals": 1, "gap_measure": "okänt", "threshold": float("nan")},
            PP,
            1.0,
            "procentenheter",
            1,
        ),
    ],
)
def test_rule_from_the_catalogue(meta, measure, threshold, gap_unit, gap_decimals):
    rule = rule_for(meta)
    assert (rule.gap_measure, rule.threshold, rule.gap_unit, rule.gap_decimals) == (
        measure,
        threshold,
        gap_unit,
        gap_decimals,
    )


@pytest.mark.parametrize(
    "value, decimals, expected", [(48.05, 1, 48.1), (48.049, 1, 48.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (0.95, 1, 1.0)]
)
def test_numbers_are_compared_as_shown_half_up(value, decimals, expected):
    assert shown(value, decimals) == expected


def test_unchanged_is_symmetric():
    for a, b in [(100.0, 103.0), (52.0, 53.5), (7.0, 7.2)]:
        assert is_unchanged(a, b, POINTS_UP) == is_unchanged(b, a, POINTS_UP)
        assert is_unchanged(a, b, SHARE_UP) == is_unchanged(b, a, SHARE_UP)


KPI = pd.Series([335.92, 343.19, 371.91, 403.70], index=[2020, 2021, 2022, 2023])  # SCB, KPI 1980=100


def test_amounts_in_fixed_prices_by_the_kpi():
    # 298 400 kr in 2020 is 298 400 × 403,70 / 335,92 = 120 464 080 / 335,92 = 358 609,4 kr in 2023's prices.
    assert in_fixed_prices(298_400, 2020, 2023, KPI) == pytest.approx(298_400 * 403.70 / 335.92)
    assert round(in_fixed_prices(298_400, 2020, 2023, KPI)) == 358_609
    assert in_fixed_prices(298_400, 2020, 2024, KPI) is None  # no KPI for 2024: not in fixed prices
    assert in_fixed_prices(298_400, 2019, 2023, KPI) is None
    assert in_fixed_prices(298_400, 2020, 2023, None) is None


@pytest.mark.parametrize(
    "value, decimals, exact",
    [
        (59.96, 1, "60.0"),
        (48.05, 1, "48.1"),  # half up from the shortest decimal form, as statistics tables round
        (-0.04, 1, "0.0"),  # never a negative zero
        (2.5, 0, "3"),
        (Decimal("51.6666666"), 1, "51.7"),  # a path value, computed exactly
        (12.345, -1, "12"),  # negative decimals are treated as none
    ],
)
def test_shown_exact_is_the_one_rounding_as_shown(value, decimals, exact):
    assert shown_exact(value, decimals) == Decimal(exact)
    assert shown(float(value), decimals) == float(exact)
