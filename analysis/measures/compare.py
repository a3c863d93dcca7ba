"""Comparisons: each area against a reference area, over time and since the baseline year.

How gaps are measured and judged is ruled in analysis/measures/verdicts.py (one home for every rule); this module applies
the rules to the data. Neutral (descriptive) indicators never get a verdict.
"""

from __future__ import annotations

import functools
import threading
import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.breaks import break_years, last_break_within
from analysis.core.categories import CATEGORY
from analysis.core.missing import is_missing
from analysis.core.model import TOTAL, Dataset
from analysis.measures.summary import example_mask, uncertain_mask
from analysis.measures.verdicts import (
    COUNT,
    CURRENT_PRICES,
    FIXED_PRICES,
    GAP_IMPROVED,
    GAP_UNFAVOURABLE,
    KPI_INDICATOR,
    LEAD_GROWS,
    STEADY,
    Rule,
    direction_sign,
    gap_threshold,
    gap_to_reference,
    gap_verdict,
    in_fixed_prices,
    rule_for,
    value_verdict,
)

TREND_YEARS = 5
MIN_TREND_POINTS = 3
# When the baseline year has no value (e.g. election years), look this many years back.
BASELINE_LOOKBACK = 4


def index_to_reference(value: float | None, reference: float | None) -> float | None:
    """The value as an index with the reference = 100; None when the reference is 0 or missing."""
    if is_missing(value) or is_missing(reference) or reference == 0:
        return None
    return float(value) / float(reference) * 100.0


def favourable_gap(gap: float | None, direction: str) -> float | None:
    """The gap signed so that positive means better than the reference (None for neutral indicators)."""
    sign = direction_sign(direction)
    if gap is None or sign == 0:
        return None
    return gap * sign


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
        # Weak: the cache below must not keep a frame alive (old versions' observations would never be freed).
        self._frame = weakref.ref(observations)
        self._slices: dict[tuple[str, str, str], tuple[int, int]] = {}
        self._groups: dict[tuple[str, str], list[str]] | None = None  # (area, indicator) -> groups, built when asked
        n = len(observations)
        years = observations["year"].to_numpy(dtype="int64", na_value=0) if n else np.array([], dtype="int64")
        (a, au), (i, iu), (x, xu) = (_codes(observations[c]) for c in ("area", "indicator", "sex"))
        key = (a * max(len(iu), 1) + i) * max(len(xu), 1) + x
        self._order = np.lexsort((years, key))
        sorted_key = key[self._order]
        self._years = years[self._order]
        # A value that rests on few persons (model.is_uncertain) is shown by tables but never compared: here it is
        # no value at all, so no latest year, change, trend or verdict rests on it.
        self._values = (
            np.where(
                uncertain_mask(observations).to_numpy(),
                np.nan,
                observations["value"].to_numpy(dtype="float64", na_value=np.nan),
            )[self._order]
            if n
            else np.array([], dtype="float64")
        )
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

    def groups(self, area: str, indicator: str) -> list[str]:
        """The groups (the sex column's values) an area has rows of for an indicator, in the frame's order."""
        if self._groups is None:
            found: dict[tuple[str, str], list[str]] = {}
            for a, i, s in self._slices:
                found.setdefault((a, i), []).append(s)
            self._groups = found
        return list(self._groups.get((area, indicator), []))

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
        parts = [
            self._order[lo:hi]
            for a in areas
            for s in sexes
            if (hit := self._slices.get((a, indicator, s))) is not None
            for lo, hi in [hit]
        ]
        positions = np.concatenate(parts) if parts else np.array([], dtype="int64")
        frame = self._frame()
        if frame is None:
            raise ReferenceError("the observations frame of this index no longer exists")
        return frame.iloc[positions]


# One index per live frame, keyed by id(): a DataFrame cannot be hashed. The entry holds a weak reference, so it
# never keeps a frame alive, and its callback removes only its own entry, never a newer frame's that got the same id.
# Streamlit runs sessions in threads: the lock is reentrant because a callback may run in a garbage collection
# triggered while the same thread holds it.
_INDEXES: dict[int, tuple[weakref.ref, SeriesIndex]] = {}
_INDEXES_LOCK = threading.RLock()


def _cached_index(observations: pd.DataFrame) -> SeriesIndex | None:
    """The index cached for this very frame, or None."""
    with _INDEXES_LOCK:
        hit = _INDEXES.get(id(observations))
    return hit[1] if hit is not None and hit[0]() is observations else None


def _forget_index(key: int, ref: weakref.ref) -> None:
    """Drop the cache entry of a frame that has died, unless the entry already belongs to another frame."""
    with _INDEXES_LOCK:
        hit = _INDEXES.get(key)
        if hit is not None and hit[0] is ref:
            del _INDEXES[key]


def series_index(observations: pd.DataFrame) -> SeriesIndex:
    """The (cached) series index of an observations frame; frames are treated as read-only."""
    cached = _cached_index(observations)
    if cached is not None:
        return cached
    index = SeriesIndex(observations)  # built outside the lock: it is the slow part, and a twin build is harmless
    key = id(observations)
    with _INDEXES_LOCK:
        winner = _cached_index(observations)
        if winner is not None:
            return winner  # another thread was first: every caller shares one index
        _INDEXES[key] = (weakref.ref(observations, functools.partial(_forget_index, key)), index)
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


def trend_years(values: pd.Series, last_years: int = TREND_YEARS, min_points: int = MIN_TREND_POINTS) -> list[int]:
    """The years a trend is fitted on: those with data in the last `last_years` years; none with too few points."""
    if len(values) == 0:
        return []
    end = int(values.index.max())
    years = [int(y) for y in values.index if y > end - last_years]
    return years if len(years) >= min_points else []


def trend_per_year(
    values: pd.Series, last_years: int = TREND_YEARS, min_points: int = MIN_TREND_POINTS
) -> float | None:
    """The least-squares slope per year over the last `last_years` years with data; None with too few points."""
    years = trend_years(values, last_years, min_points)
    if not years:
        return None
    window = values.loc[years]
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
    # Amounts in kronor: whether the change and verdict are in fixed or current prices ('' for other units).
    price_basis: str = ""
    # Example flags per figure (is_example: the area's and reference's values in the year and the baseline year, so
    # value, reference value, gap, changes, verdicts and sentences): the latest year's values and gap alone, the
    # values for women and men, and the values the trend is fitted on.
    latest_example: bool = False
    sex_example: bool = False
    trend_example: bool = False
    # Why there is no baseline year: 'area' or 'reference' has no value in the baseline window, 'latest' when the
    # latest year is not after the baseline, 'break' when no year after a series break comes before the latest
    # ('' when there is a baseline year).
    baseline_missing: str = ""
    # The series break between the page's baseline and the latest year that moved the baseline (None: none did).
    series_break: int | None = None


def _value(s: pd.Series, year: int | None) -> float | None:
    """A series' value in a year, or None."""
    if year is None or year not in s.index:
        return None
    return float(s.loc[year])


def _is_example_at(
    observations: pd.DataFrame, areas: list[str], indicator: str, years: list[int | None], sex: str = TOTAL
) -> bool:
    """True when any value used (these areas, this indicator, these years) is an example value."""
    wanted = [y for y in years if y is not None]
    index = series_index(observations)
    return any(index.any_example(a, indicator, wanted, sex) for a in areas)


def compare_indicator(
    observations: pd.DataFrame,
    indicator: str,
    rule: Rule,
    area: str,
    reference: str,
    baseline: int,
    sex: str = TOTAL,
    kpi: pd.Series | None = None,
    breaks: tuple[int, ...] = (),
) -> Comparison:
    """The comparison of one indicator for one area against a reference area, judged by the indicator's rule.

    Amounts in kronor are compared in fixed prices (the latest year's) when `kpi` covers both years. With a series
    break (analysis/core/breaks.py) after the baseline's window, changes, verdicts and the trend start at the first
    comparable year instead: never across the break.
    """
    own = series(observations, area, indicator, sex)
    ref = series(observations, reference, indicator, sex)
    common = own.index.intersection(ref.index)
    year = int(common.max()) if len(common) else latest_year(own)
    value, ref_value = _value(own, year), _value(ref, year)
    measure = rule.gap_measure
    gap = gap_to_reference(value, ref_value, measure)

    base_candidates = own.loc[own.index.isin(ref.index)] if len(common) else own
    base_year = baseline_year_for(base_candidates, baseline)
    series_break = None if year is None else last_break_within(breaks, base_year or baseline, year)
    if series_break is not None:
        # The first year measured the new way with the values needed is the last comparable baseline.
        comparable = [int(y) for y in base_candidates.index if series_break <= y < year]
        base_year = min(comparable) if comparable else None
    baseline_missing = ""
    if year is not None and (year <= baseline or (base_year is not None and base_year >= year)):
        base_year, baseline_missing = None, "latest"
    elif base_year is None and series_break is not None:
        baseline_missing = "break"
    elif base_year is None:
        baseline_missing = "area" if baseline_year_for(own, baseline) is None else "reference"
    base_value, base_ref = _value(own, base_year), _value(ref, base_year)
    since_break = own if series_break is None else own[own.index >= series_break]  # the trend never spans a break
    base_gap = gap_to_reference(base_value, base_ref, measure)

    price_basis, compared_then = "", base_value
    if rule.monetary and base_value is not None and year is not None:
        fixed = in_fixed_prices(base_value, base_year, year, kpi)
        price_basis = FIXED_PRICES if fixed is not None else CURRENT_PRICES
        compared_then = fixed if fixed is not None else base_value
    value_change = value - compared_then if value is not None and compared_then is not None else None
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
        index=index_to_reference(value, ref_value) if rule.unit != COUNT else None,
        baseline_year=base_year,
        baseline_value=base_value,
        baseline_reference_value=base_ref,
        baseline_gap=base_gap,
        value_change=value_change,
        gap_change=gap_change,
        value_verdict=value_verdict(compared_then, value, rule),
        gap_verdict=gap_verdict(base_gap, gap, rule, gap_threshold(rule, base_ref, ref_value)),
        trend=trend_per_year(since_break),
        women=women,
        men=men,
        sex_gap=sex_gap,
        is_example=_is_example_at(observations, [area, reference], indicator, [year, base_year], sex),
        price_basis=price_basis,
        latest_example=_is_example_at(observations, [area, reference], indicator, [year], sex),
        sex_example=sex_gap is not None
        and any(_is_example_at(observations, [area], indicator, [year], s) for s in ("Kvinnor", "Män")),
        trend_example=_is_example_at(observations, [area], indicator, trend_years(since_break), sex),
        baseline_missing=baseline_missing,
        series_break=series_break,
    )


def kpi_series(dataset: Dataset) -> pd.Series | None:
    """The consumer price index (indicator 'kpi') by year, from the first area that has it; None without one."""
    obs = dataset.observations
    if not len(obs) or KPI_INDICATOR not in set(dataset.indicators["id"]):
        return None
    index = series_index(obs)
    for area in dataset.areas.sort_values("type", key=lambda t: t != "Riket", kind="stable")["name"]:
        values = index.get(area, KPI_INDICATOR)
        if len(values):
            return values
    return None


COMPARISON_COLUMNS: tuple[str, ...] = tuple(Comparison.__dataclass_fields__)
# How each row was judged (from the indicator's rule), next to its numbers.
RULE_COLUMNS: tuple[str, ...] = ("gap_measure", "gap_unit", "gap_decimals", "threshold", "favourable_gap")
META_COLUMNS: tuple[str, ...] = (
    "name",
    "theme",
    "unit",
    "direction",
    "decimals",
    "key_figure",
    "definition",
    "source",
    "definite",
    "sex_words",
    "breaks",
)


def comparison_table(
    dataset: Dataset,
    area: str,
    reference: str,
    baseline: int,
    sex: str = TOTAL,
    indicators: list[str] | None = None,
    municipality: str | None = None,
) -> pd.DataFrame:
    """One row per indicator for an area: values, gap, changes since baseline, verdicts, trend.

    Catalogue order is kept; with `municipality` the municipality's value in the same year is added.
    """
    cat = dataset.indicators
    if indicators is not None:
        cat = cat[cat["id"].isin(indicators)]
    obs = dataset.observations
    index = series_index(obs)
    kpi = kpi_series(dataset)
    rows = []
    for meta in cat.to_dict("records"):
        ind = meta["id"]
        if meta["unit"] == CATEGORY:
            continue  # a code is shown as its category (analysis/measures/category_status.py), never compared as a gap
        if not len(index.get(area, ind, sex)) and not len(index.get(reference, ind, sex)):
            continue
        rule = rule_for(meta)
        c = compare_indicator(obs, ind, rule, area, reference, baseline, sex, kpi, break_years(meta.get("breaks")))
        row = {k: getattr(c, k) for k in COMPARISON_COLUMNS}
        row.update({k: meta.get(k) for k in META_COLUMNS})
        row.update(
            gap_measure=rule.gap_measure,
            gap_unit=rule.gap_unit,
            gap_decimals=rule.gap_decimals,
            threshold=rule.threshold,
            favourable_gap=favourable_gap(c.gap, rule.direction),
        )
        if municipality:
            row["municipality_value"] = _value(index.get(municipality, ind, sex), c.year)
            row["municipality_example"] = c.year is not None and index.any_example(municipality, ind, [c.year], sex)
        rows.append(row)
    columns = (
        list(COMPARISON_COLUMNS)
        + list(META_COLUMNS)
        + list(RULE_COLUMNS)
        + (["municipality_value", "municipality_example"] if municipality else [])
    )
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class GapCount:
    """How the gaps of an area's indicators developed since the baseline.

    `closing` counts only real improvements (närmar sig, har kommit ikapp, har gått om); an area already ahead whose
    lead grows is counted apart (`lead_growing`), and every unfavourable verdict is in `widening`.
    """

    closing: int
    steady: int
    widening: int
    lead_growing: int = 0

    @property
    def total(self) -> int:
        """Indicators with a verdict (neutral ones and those without data excluded)."""
        return self.closing + self.steady + self.widening + self.lead_growing


def gap_counts(table: pd.DataFrame) -> GapCount:
    """Counts of gap verdicts in a comparison table."""
    verdicts = table["gap_verdict"].dropna().tolist() if len(table) else []
    return GapCount(
        closing=sum(v in GAP_IMPROVED for v in verdicts),
        steady=sum(v == STEADY for v in verdicts),
        widening=sum(v in GAP_UNFAVOURABLE for v in verdicts),
        lead_growing=sum(v == LEAD_GROWS for v in verdicts),
    )


def reference_choices(dataset: Dataset) -> list[str]:
    """Areas that can serve as reference: Jämförelse first, then Kommun and Riket."""
    areas = dataset.areas
    order = {"Jämförelse": 0, "Kommun": 1, "Riket": 2}
    chosen = areas[areas["type"].isin(order)].copy()
    chosen["_o"] = chosen["type"].map(order)
    return chosen.sort_values("_o", kind="stable")["name"].tolist()


def observations_for(
    dataset: Dataset,
    indicator: str,
    areas: list[str],
    sex: str | list[str] = TOTAL,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
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
