"""Comparisons: each area against a reference area, over time and since the baseline year.

Gaps are in procentenheter for percent indicators and in percent of the reference value for
the others. Verdicts take the indicator's direction into account; neutral (descriptive)
indicators never get one.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.model import HIGHER, LOWER, NEUTRAL, PERCENT, TOTAL, Dataset
from analysis.summary import example_mask

# A change smaller than this share of the baseline level counts as "oförändrat".
UNCHANGED_SHARE = 0.03
# ... but never smaller than this (in the unit of the value or gap), so tiny baselines do not flip verdicts.
UNCHANGED_FLOOR = 0.1
TREND_YEARS = 5
MIN_TREND_POINTS = 3
# When the baseline year has no value (e.g. election years), look this many years back.
BASELINE_LOOKBACK = 4

CLOSING, STEADY, WIDENING = "närmar sig", "oförändrat", "avlägsnar sig"
BETTER, SAME, WORSE = "förbättring", "oförändrat", "försämring"
PP, PCT = "procentenheter", "procent"

THRESHOLD_TEXT = (
    f"Oförändrat betyder att förändringen sedan basåret är mindre än {int(UNCHANGED_SHARE * 100)} % av basårets nivå "
    "(för skillnaden: av basårets skillnad)."
)


def gap_unit(unit: str) -> str:
    """The unit a gap is stated in: procentenheter for percent indicators, otherwise procent."""
    return PP if unit == PERCENT else PCT


COUNT = "antal"


def gap_to_reference(value: float | None, reference: float | None, unit: str) -> float | None:
    """The area's difference from the reference: procentenheter for percent, else percent of the reference.

    Counts (antal) get no gap: areas of different size cannot be compared by their counts.
    """
    if value is None or reference is None or pd.isna(value) or pd.isna(reference) or unit == COUNT:
        return None
    if unit == PERCENT:
        return float(value) - float(reference)
    if reference == 0:
        return None
    return (float(value) / float(reference) - 1.0) * 100.0


def index_to_reference(value: float | None, reference: float | None) -> float | None:
    """The value as an index with the reference = 100; None when the reference is 0 or missing."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference) or reference == 0:
        return None
    return float(value) / float(reference) * 100.0


def direction_sign(direction: str) -> int:
    """+1 when higher is better, -1 when lower is better, 0 for neutral indicators."""
    return {HIGHER: 1, LOWER: -1}.get(direction, 0)


def favourable_gap(gap: float | None, direction: str) -> float | None:
    """The gap signed so that positive means better than the reference (None for neutral indicators)."""
    sign = direction_sign(direction)
    if gap is None or sign == 0:
        return None
    return gap * sign


def is_unchanged(change: float, base: float) -> bool:
    """True when a change is within the stated threshold of its baseline level."""
    return abs(change) < max(UNCHANGED_SHARE * abs(base), UNCHANGED_FLOOR)


def gap_verdict(gap_then: float | None, gap_now: float | None, direction: str) -> str | None:
    """'närmar sig', 'oförändrat' or 'avlägsnar sig' for the distance to the reference; None if neutral or unknown."""
    if direction == NEUTRAL or gap_then is None or gap_now is None:
        return None
    change = abs(gap_now) - abs(gap_then)
    if is_unchanged(change, gap_then):
        return STEADY
    return CLOSING if change < 0 else WIDENING


def value_verdict(value_then: float | None, value_now: float | None, direction: str) -> str | None:
    """'förbättring', 'oförändrat' or 'försämring' of the value itself; None if neutral or unknown."""
    sign = direction_sign(direction)
    if sign == 0 or value_then is None or value_now is None or pd.isna(value_then) or pd.isna(value_now):
        return None
    change = float(value_now) - float(value_then)
    if is_unchanged(change, value_then):
        return SAME
    return BETTER if change * sign > 0 else WORSE


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the distinct values of a column (free for categorical columns)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype("int64"), np.asarray(column.cat.categories, dtype=object)
    codes, uniques = pd.factorize(column, sort=False)
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


class SeriesIndex:
    """Every (area, indicator, sex) series of an observations frame, grouped once for fast lookups.

    Rows are sorted once by (area, indicator, sex, year) with numpy; a group is a slice of that order.
    """

    def __init__(self, observations: pd.DataFrame):
        self._frame = observations
        self._slices: dict[tuple[str, str, str], tuple[int, int]] = {}
        n = len(observations)
        years = observations["year"].to_numpy(dtype="int64", na_value=0) if n else np.array([], dtype="int64")
        (a, au), (i, iu), (x, xu) = (_codes(observations[c]) for c in ("area", "indicator", "sex"))
        key = (a * max(len(iu), 1) + i) * max(len(xu), 1) + x
        self._order = np.lexsort((years, key))
        sorted_key = key[self._order]
        self._years = years[self._order]
        self._values = observations["value"].to_numpy(dtype="float64", na_value=np.nan)[self._order] if n else \
            np.array([], dtype="float64")
        self._flags = example_mask(observations).to_numpy()[self._order] if n else np.array([], dtype=bool)
        if n == 0:
            return
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_key)) + 1]
        ends = np.r_[starts[1:], n]
        first = sorted_key[starts]
        n_x, n_i = max(len(xu), 1), max(len(iu), 1)
        names = zip(au[first // (n_x * n_i)], iu[(first // n_x) % n_i], xu[first % n_x])
        self._slices = dict(zip(names, zip(starts.tolist(), ends.tolist())))

    def _present(self, key: tuple[str, str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Years, values and example flags of a group's non-missing values."""
        hit = self._slices.get(key)
        if hit is None:
            return None
        lo, hi = hit
        values = self._values[lo:hi]
        keep = ~np.isnan(values)
        return self._years[lo:hi][keep], values[keep], self._flags[lo:hi][keep]

    def get(self, area: str, indicator: str, sex: str = TOTAL) -> pd.Series:
        """The series of one area, indicator and sex, indexed by year (empty when none)."""
        hit = self._present((area, indicator, sex))
        if hit is None:
            return pd.Series([], index=pd.Index([], dtype="int64"), dtype="float64")
        return pd.Series(hit[1], index=pd.Index(hit[0], dtype="int64"))

    def any_example(self, area: str, indicator: str, years: list[int], sex: str = TOTAL) -> bool:
        """True when any of the series' values in these years is an example value."""
        hit = self._present((area, indicator, sex))
        if hit is None or not years:
            return False
        return bool(hit[2][np.isin(hit[0], years)].any())

    def example_years(self, area: str, indicator: str, sex: str = TOTAL) -> set[int]:
        """The years whose (non-missing) value of the series is an example value."""
        hit = self._present((area, indicator, sex))
        return set() if hit is None else {int(y) for y in hit[0][hit[2]]}

    def rows(self, areas: list[str], indicator: str, sexes: list[str]) -> pd.DataFrame:
        """The observation rows (missing values included) of some areas and sexes, in that order, by year."""
        parts = [self._order[lo:hi] for a in areas for s in sexes
                 if (hit := self._slices.get((a, indicator, s))) is not None for lo, hi in [hit]]
        positions = np.concatenate(parts) if parts else np.array([], dtype="int64")
        return self._frame.iloc[positions]


_INDEXES: dict[int, tuple[weakref.ref, SeriesIndex]] = {}


def series_index(observations: pd.DataFrame) -> SeriesIndex:
    """The (cached) series index of an observations frame; frames are treated as read-only."""
    key = id(observations)
    hit = _INDEXES.get(key)
    if hit is not None and hit[0]() is observations:
        return hit[1]
    index = SeriesIndex(observations)
    _INDEXES[key] = (weakref.ref(observations), index)
    weakref.finalize(observations, _INDEXES.pop, key, None)
    return index


def series(observations: pd.DataFrame, area: str, indicator: str, sex: str = TOTAL) -> pd.Series:
    """The non-missing values of one area, indicator and sex, indexed by year (ascending)."""
    return series_index(observations).get(area, indicator, sex)


def latest_year(values: pd.Series) -> int | None:
    """The latest year with a value in a series, or None."""
    return int(values.index.max()) if len(values) else None


def baseline_year_for(values: pd.Series, baseline: int, lookback: int = BASELINE_LOOKBACK) -> int | None:
    """The baseline year itself if it has a value, else the latest earlier year within the lookback."""
    years = [int(y) for y in values.index if baseline - lookback <= y <= baseline]
    return max(years) if years else None


def trend_per_year(values: pd.Series, last_years: int = TREND_YEARS, min_points: int = MIN_TREND_POINTS) -> float | None:
    """The least-squares slope per year over the last `last_years` years with data; None with too few points."""
    if len(values) == 0:
        return None
    end = int(values.index.max())
    window = values[values.index > end - last_years]
    if len(window) < min_points:
        return None
    x = window.index.to_numpy(dtype=float)
    y = window.to_numpy(dtype=float)
    slope = np.polyfit(x, y, 1)[0]
    return float(slope)


@dataclass(frozen=True)
class Comparison:
    """One indicator for one area against the reference: the numbers behind cards, tables and sentences."""

    indicator: str
    area: str
    reference: str
    year: int | None
    value: float | None
    reference_value: float | None
    gap: float | None
    index: float | None
    baseline_year: int | None
    baseline_value: float | None
    baseline_reference_value: float | None
    baseline_gap: float | None
    value_change: float | None
    gap_change: float | None
    value_verdict: str | None
    gap_verdict: str | None
    trend: float | None
    women: float | None
    men: float | None
    sex_gap: float | None
    is_example: bool


def _value(s: pd.Series, year: int | None) -> float | None:
    """A series' value in a year, or None."""
    if year is None or year not in s.index:
        return None
    return float(s.loc[year])


def _is_example_at(observations: pd.DataFrame, areas: list[str], indicator: str, years: list[int | None],
                   sex: str = TOTAL) -> bool:
    """True when any value used (these areas, this indicator, these years) is an example value."""
    wanted = [y for y in years if y is not None]
    index = series_index(observations)
    return any(index.any_example(a, indicator, wanted, sex) for a in areas)


def compare_indicator(observations: pd.DataFrame, indicator: str, unit: str, direction: str, area: str,
                      reference: str, baseline: int, sex: str = TOTAL) -> Comparison:
    """The comparison of one indicator for one area against a reference area."""
    own = series(observations, area, indicator, sex)
    ref = series(observations, reference, indicator, sex)
    common = own.index.intersection(ref.index)
    year = int(common.max()) if len(common) else latest_year(own)
    value, ref_value = _value(own, year), _value(ref, year)
    gap = gap_to_reference(value, ref_value, unit)

    base_candidates = own.loc[own.index.isin(ref.index)] if len(common) else own
    base_year = baseline_year_for(base_candidates, baseline)
    if base_year is not None and year is not None and base_year >= year:
        base_year = None
    base_value, base_ref = _value(own, base_year), _value(ref, base_year)
    base_gap = gap_to_reference(base_value, base_ref, unit)
    value_change = value - base_value if value is not None and base_value is not None else None
    gap_change = abs(gap) - abs(base_gap) if gap is not None and base_gap is not None else None

    women = _value(series(observations, area, indicator, "Kvinnor"), year)
    men = _value(series(observations, area, indicator, "Män"), year)
    sex_gap = women - men if women is not None and men is not None else None
    return Comparison(
        indicator=indicator,
        area=area,
        reference=reference,
        year=year,
        value=value,
        reference_value=ref_value,
        gap=gap,
        index=index_to_reference(value, ref_value) if unit != COUNT else None,
        baseline_year=base_year,
        baseline_value=base_value,
        baseline_reference_value=base_ref,
        baseline_gap=base_gap,
        value_change=value_change,
        gap_change=gap_change,
        value_verdict=value_verdict(base_value, value, direction),
        gap_verdict=gap_verdict(base_gap, gap, direction),
        trend=trend_per_year(own),
        women=women,
        men=men,
        sex_gap=sex_gap,
        is_example=_is_example_at(observations, [area, reference], indicator, [year, base_year], sex),
    )


COMPARISON_COLUMNS: tuple[str, ...] = tuple(Comparison.__dataclass_fields__)
META_COLUMNS: tuple[str, ...] = ("name", "theme", "unit", "direction", "decimals", "key_figure", "definition", "source",
                                 "definite")


def comparison_table(dataset: Dataset, area: str, reference: str, baseline: int, sex: str = TOTAL,
                     indicators: list[str] | None = None, municipality: str | None = None) -> pd.DataFrame:
    """One row per indicator for an area: values, gap, changes since baseline, verdicts, trend.

    Catalogue order is kept; with `municipality` the municipality's value in the same year is added.
    """
    cat = dataset.indicators
    if indicators is not None:
        cat = cat[cat["id"].isin(indicators)]
    obs = dataset.observations
    index = series_index(obs)
    rows = []
    for ind in cat.itertuples(index=False):
        if not len(index.get(area, ind.id, sex)) and not len(index.get(reference, ind.id, sex)):
            continue
        c = compare_indicator(obs, ind.id, ind.unit, ind.direction, area, reference, baseline, sex)
        row = {k: getattr(c, k) for k in COMPARISON_COLUMNS}
        row.update({k: getattr(ind, k) for k in META_COLUMNS})
        row["gap_unit"] = gap_unit(ind.unit)
        row["favourable_gap"] = favourable_gap(c.gap, ind.direction)
        if municipality:
            row["municipality_value"] = _value(index.get(municipality, ind.id, sex), c.year)
        rows.append(row)
    columns = list(COMPARISON_COLUMNS) + list(META_COLUMNS) + ["gap_unit", "favourable_gap"] + (
        ["municipality_value"] if municipality else [])
    return pd.DataFrame(rows, columns=columns)


def overview_table(dataset: Dataset, areas: list[str], reference: str, baseline: int, sex: str = TOTAL) -> pd.DataFrame:
    """The comparison tables of several areas stacked (the focus areas × indicators matrix)."""
    frames = [comparison_table(dataset, a, reference, baseline, sex) for a in areas]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else comparison_table(dataset, "", reference, baseline, sex)


@dataclass(frozen=True)
class GapCount:
    """How many indicators have a closing, unchanged or widening gap since the baseline."""

    closing: int
    steady: int
    widening: int

    @property
    def total(self) -> int:
        """Indicators with a verdict (neutral ones and those without data excluded)."""
        return self.closing + self.steady + self.widening


def gap_counts(table: pd.DataFrame) -> GapCount:
    """Counts of gap verdicts in a comparison table."""
    verdicts = table["gap_verdict"].value_counts() if len(table) else pd.Series(dtype=int)
    return GapCount(int(verdicts.get(CLOSING, 0)), int(verdicts.get(STEADY, 0)), int(verdicts.get(WIDENING, 0)))


def gap_over_time(observations: pd.DataFrame, indicator: str, unit: str, areas: list[str], reference: str,
                  sex: str = TOTAL) -> pd.DataFrame:
    """Per area and year: value, reference value, gap and index (years where both have values)."""
    ref = series(observations, reference, indicator, sex)
    rows = []
    for area in areas:
        own = series(observations, area, indicator, sex)
        for year in own.index.intersection(ref.index):
            v, r = float(own.loc[year]), float(ref.loc[year])
            rows.append({"area": area, "year": int(year), "value": v, "reference_value": r,
                         "gap": gap_to_reference(v, r, unit),
                         "index": index_to_reference(v, r) if unit != COUNT else None})
    return pd.DataFrame(rows, columns=["area", "year", "value", "reference_value", "gap", "index"])


def reference_choices(dataset: Dataset) -> list[str]:
    """Areas that can serve as reference: Jämförelse first, then Kommun and Riket."""
    areas = dataset.areas
    order = {"Jämförelse": 0, "Kommun": 1, "Riket": 2}
    chosen = areas[areas["type"].isin(order)].copy()
    chosen["_o"] = chosen["type"].map(order)
    return chosen.sort_values("_o", kind="stable")["name"].tolist()


def observations_for(dataset: Dataset, indicator: str, areas: list[str], sex: str | list[str] = TOTAL,
                     years: tuple[int, int] | None = None) -> pd.DataFrame:
    """The observations of one indicator for some areas (in the given order), sexes and years."""
    sexes = [sex] if isinstance(sex, str) else list(sex)
    out = series_index(dataset.observations).rows(list(areas), indicator, sexes)
    out = out[["area", "year", "sex", "value", "source", "note"]]
    if years is not None:
        out = out[out["year"].between(years[0], years[1])]
    if len(sexes) > 1:  # area order first, then sex, then year (as one frame per area would read)
        order = {a: i for i, a in enumerate(areas)}
        out = out.assign(_o=out["area"].map(order).astype(int)).sort_values(["_o", "sex", "year"], kind="stable")
        out = out.drop(columns="_o")
    return out.reset_index(drop=True)


def indicator_meta(dataset: Dataset, indicator: str) -> dict:
    """The catalogue entry of an indicator as a dict (empty when unknown)."""
    cat = dataset.indicators
    hit = cat[cat["id"] == indicator]
    return hit.iloc[0].to_dict() if len(hit) else {}
