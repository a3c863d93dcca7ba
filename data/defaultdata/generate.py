"""Step 4: the example series and the values derived from them.

Each generated area gets a series from its parameters (``series.SERIES``) and seeded noise, shifted to pass through
the published figures; Linköping follows from its parts and, where Linköping has published figures, Övriga
Linköping from Linköping and the focus areas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.model import EXAMPLE_SOURCE

from .catalogue import GENERATED, INDICATOR_BY_ID
from .common import (
    AREA_NAMES,
    DERIVED_NOTE,
    FIRST_YEAR,
    FOCUS_AREAS,
    GENERATED_AREAS,
    MEN,
    MUNI,
    NATION_AREA,
    PARTS,
    REST,
    SEED,
    SPLIT_SEXES,
    TOTAL,
    WOMEN,
    YEARS,
)
from .series import FEMALE_SHARE, FOCUS_SHOCK, SERIES


def _residual_curve(years: np.ndarray, points: dict[int, float]) -> np.ndarray:
    """Residuals at anchor years, interpolated linearly between and held constant beyond them."""
    if not points:
        return np.zeros(len(years))
    xs = sorted(points)
    return np.interp(years, xs, [points[x] for x in xs])


def _anchor(years: np.ndarray, gen: dict[str, np.ndarray], real: dict[str, dict[int, float]]) -> dict[str, np.ndarray]:
    """The generated series shifted by interpolated residuals so they pass through the published values."""
    idx = {int(y): i for i, y in enumerate(years)}
    out: dict[str, np.ndarray] = {}
    r_total = _residual_curve(years, {y: v - gen[TOTAL][idx[y]] for y, v in real.get(TOTAL, {}).items()})
    out[TOTAL] = gen[TOTAL] + r_total
    for sex in (WOMEN, MEN):
        if sex in gen:
            base = gen[sex] + r_total
            r_sex = _residual_curve(years, {y: v - base[idx[y]] for y, v in real.get(sex, {}).items()})
            out[sex] = base + r_sex
    for sex, pts in real.items():
        for y, v in pts.items():
            out[sex][idx[y]] = v
    return out


def _round(values: np.ndarray, decimals: int, step: float | None = None) -> np.ndarray:
    """Values rounded to the indicator's decimals, or to a coarser grid (step) when it has one."""
    if step:
        return np.round(values / step) * step
    return np.round(values, decimals)


class Generator:
    """Generates all observation series; keeps values, derived flags and published values apart."""

    def __init__(self, chosen: dict[tuple[str, str, int, str], dict]) -> None:
        """Start from the chosen published values, with the seeded random generator."""
        self.rng = np.random.default_rng(SEED)
        self.chosen = chosen
        self.values: dict[tuple[str, str, str], np.ndarray] = {}
        self.derived: set[tuple[str, str]] = set()  # (area, indicator) whose non-published values are derived
        self.pop: dict[tuple[str, str], np.ndarray] = {}  # (area, sex) -> population by YEARS

    # -- helpers --------------------------------------------------------------------------------
    def real(self, area: str, ind: str) -> dict[str, dict[int, float]]:
        """The published values of one area and indicator: sex -> year -> value."""
        out: dict[str, dict[int, float]] = {}
        for (a, i, y, s), rec in self.chosen.items():
            if a == area and i == ind:
                out.setdefault(s, {})[y] = rec["used_value"]
        return out

    def noise(self, sd: float, n: int) -> np.ndarray:
        """n normal draws with standard deviation sd (the next ones from the seeded generator)."""
        return self.rng.normal(0.0, sd, n)

    def curve(self, ind: str, area: str, years: np.ndarray) -> np.ndarray:
        """One generated area's total series: level, trend, curvature, shock and noise."""
        spec = SERIES[ind]
        level, slope, *rest = spec.levels[area]
        curv = rest[0] if rest else 0.0
        t = years - FIRST_YEAR
        shock = np.array([spec.shock.get(int(y), 0.0) for y in years])
        mult = FOCUS_SHOCK if area in FOCUS_AREAS else 1.0
        sd = spec.sd[0] if area in FOCUS_AREAS else spec.sd[1]
        return level + slope * t + curv * t * t + shock * mult + self.noise(sd, len(years))

    def weights(self, area: str, sex: str, years: np.ndarray) -> np.ndarray:
        """The area's population of one sex in the given years (the weights of means)."""
        idx = [YEARS.index(int(y)) for y in years]
        return self.pop[(area, sex)][idx]

    # -- population -----------------------------------------------------------------------------
    def population(self) -> None:
        """Population series of every area and sex; Linköping is the sum of its parts."""
        ind = "folkmangd"
        years = np.array(YEARS, dtype=float)
        gen_total: dict[str, np.ndarray] = {}
        for area in GENERATED_AREAS:
            gen_total[area] = np.round(self.curve(ind, area, years))
        for area in (*FOCUS_AREAS, NATION_AREA):
            real = self.real(area, ind)
            total = np.round(_anchor(years, {TOTAL: gen_total[area]}, {TOTAL: real.get(TOTAL, {})})[TOTAL])
            women = np.round(total * FEMALE_SHARE[area])
            self._set_counts(area, total, women, total - women)
        # Linköping: the sum of its parts, anchored to published totals; Övriga Linköping derived.
        gen_muni = sum(self.values[(a, ind, TOTAL)] for a in FOCUS_AREAS) + gen_total[REST]
        gen_women = sum(self.values[(a, ind, WOMEN)] for a in FOCUS_AREAS) + np.round(
            gen_total[REST] * FEMALE_SHARE[REST]
        )
        real = self.real(MUNI, ind)
        muni = np.round(_anchor(years, {TOTAL: gen_muni}, {TOTAL: real.get(TOTAL, {})})[TOTAL])
        share_gen = gen_women / gen_muni
        idx = {y: i for i, y in enumerate(YEARS)}
        share_real = {y: v / muni[idx[y]] - share_gen[idx[y]] for y, v in real.get(WOMEN, {}).items()}
        share = share_gen + _residual_curve(years, share_real)
        women = np.round(muni * share)
        for y, v in real.get(WOMEN, {}).items():
            women[idx[y]] = v
        men = muni - women
        for y, v in real.get(MEN, {}).items():
            if men[idx[y]] != v:
                raise ValueError(f"published population of Linköping {y}: women + men != total")
        self._set_counts(MUNI, muni, women, men)
        self.derived.add((MUNI, ind))
        rest = {
            s: self.values[(MUNI, ind, s)] - sum(self.values[(a, ind, s)] for a in FOCUS_AREAS) for s in SPLIT_SEXES
        }
        self._set_counts(REST, rest[TOTAL], rest[WOMEN], rest[MEN])
        if real:
            self.derived.add((REST, ind))
        for area in AREA_NAMES:
            for sex in SPLIT_SEXES:
                self.pop[(area, sex)] = self.values[(area, ind, sex)].astype(float)

    def _set_counts(self, area: str, total: np.ndarray, women: np.ndarray, men: np.ndarray) -> None:
        """Store one area's population for the three sexes."""
        for sex, v in ((TOTAL, total), (WOMEN, women), (MEN, men)):
            self.values[(area, "folkmangd", sex)] = np.asarray(v, dtype=float)

    # -- shares, rates and amounts --------------------------------------------------------------
    def indicator(self, ind: str) -> None:
        """One share, rate or amount: generated areas, then Linköping and (if anchored) Övriga Linköping."""
        spec, meta = SERIES[ind], INDICATOR_BY_ID[ind]
        years = np.array(meta.years, dtype=float)
        sexes = SPLIT_SEXES if meta.by_sex else (TOTAL,)
        decimals = meta.decimals
        lo, hi = (0.1, 99.9) if meta.unit == "procent" else (0.0, np.inf)

        for area in GENERATED_AREAS:
            total = self.curve(ind, area, years)
            gen = {TOTAL: total}
            if meta.by_sex:
                diff = spec.sex_diff[area] + self.noise(spec.sex_sd, len(years))
                f = self.weights(area, WOMEN, years) / self.weights(area, TOTAL, years)
                gen[WOMEN] = total + (1 - f) * diff
                gen[MEN] = total - f * diff
            series = _anchor(years, gen, self.real(area, ind))
            for sex in sexes:
                self.values[(area, ind, sex)] = _round(np.clip(series[sex], lo, hi), decimals, spec.step)

        # Linköping: population-weighted mean of its parts, anchored to published values.
        gen_muni = {}
        for sex in sexes:
            w = {a: self.weights(a, sex, years) for a in PARTS}
            gen_muni[sex] = sum(w[a] * self.values[(a, ind, sex)] for a in PARTS) / sum(w.values())
        real = self.real(MUNI, ind)
        muni = _anchor(years, gen_muni, real)
        self.derived.add((MUNI, ind))
        for sex in sexes:
            self.values[(MUNI, ind, sex)] = _round(np.clip(muni[sex], lo, hi), decimals, spec.step)
        if real:
            # Övriga Linköping follows from Linköping and the focus areas.
            self.derived.add((REST, ind))
            for sex in sexes:
                w_muni = self.weights(MUNI, sex, years)
                focus = sum(self.weights(a, sex, years) * self.values[(a, ind, sex)] for a in FOCUS_AREAS)
                rest = (self.values[(MUNI, ind, sex)] * w_muni - focus) / self.weights(REST, sex, years)
                self.values[(REST, ind, sex)] = _round(np.clip(rest, lo, hi), decimals, spec.step)

    def age_remainder(self) -> None:
        """The share 20–64 years as 100 minus the shares 0–19 and 65+ (so the three add up to 100)."""
        for area in AREA_NAMES:
            young = self.values[(area, "befolkning_0_19", TOTAL)]
            old = self.values[(area, "befolkning_65", TOTAL)]
            self.values[(area, "befolkning_20_64", TOTAL)] = np.round(100.0 - young - old, 1)
        self.derived.add((MUNI, "befolkning_20_64"))

    def run(self) -> None:
        """Generate every series: population first (the weights), then the other indicators, then 20–64 år."""
        self.population()
        for meta in GENERATED:
            ind = meta.id
            if ind in ("folkmangd", "befolkning_20_64"):
                continue
            self.indicator(ind)
        self.age_remainder()

    # -- output ---------------------------------------------------------------------------------
    def observations(self) -> pd.DataFrame:
        """The observation rows: published values where chosen, example values (marked derived or not) elsewhere."""
        rows = []
        for meta in GENERATED:
            ind = meta.id
            sexes = SPLIT_SEXES if meta.by_sex else (TOTAL,)
            for area in AREA_NAMES:
                for sex in sexes:
                    values = self.values[(area, ind, sex)]
                    for y, v in zip(meta.years, values):
                        rec = self.chosen.get((area, ind, y, sex))
                        if rec is not None:
                            value, source, note = rec["used_value"], rec["source_url"], rec["note"]
                            if abs(value - v) > 1e-9:
                                raise AssertionError(f"published value not kept: {area} {ind} {y} {sex}")
                        else:
                            value, source = float(v), EXAMPLE_SOURCE
                            note = DERIVED_NOTE if (area, ind) in self.derived else ""
                        if meta.decimals == 0:
                            value = float(round(value))
                        rows.append(
                            {
                                "area": area,
                                "indicator": ind,
                                "year": y,
                                "sex": sex,
                                "value": float(value),
                                "source": source,
                                "note": note,
                            }
                        )
        return pd.DataFrame(rows)


def example_observations(chosen: dict[tuple[str, str, int, str], dict]) -> pd.DataFrame:
    """Every observation of the generated indicators: published values where chosen, example values elsewhere."""
    generator = Generator(chosen)
    generator.run()
    return generator.observations()
