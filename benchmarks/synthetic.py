"""Seeded synthetic datasets at city and national scale, built on the default data's catalogue.

S: the default dataset. M: 300 areas × 30 indicators × 20 years × 3 sexes (540 000 values).
L: 3 363 areas × 30 indicators × 15 years × 3 sexes (4 539 050 values).
The focus areas, Övriga Linköping, Linköping and Riket are kept, so every page works as usual.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core.model import Dataset, make_dataset  # noqa: E402
from analysis.core.settings import DEFAULT_WORKBOOK  # noqa: E402
from analysis.ingest.excel import read_workbook  # noqa: E402
from analysis.ingest.validate import parse_workbook  # noqa: E402


@dataclass(frozen=True)
class Size:
    """One benchmark size."""

    name: str
    areas: int
    indicators: int
    years: int


SIZES = {
    "S": Size("S", 0, 0, 0),
    "M": Size("M", 300, 30, 20),
    "L": Size("L", 3363, 30, 15),
}


def default_dataset() -> Dataset:
    """The default dataset, read from data/standarddata.xlsx through the normal reader."""
    raw, problems = read_workbook(DEFAULT_WORKBOOK.read_bytes(), DEFAULT_WORKBOOK.name)
    assert raw is not None, problems
    result = parse_workbook(raw, Dataset())
    assert result.ok, result.problems[:3]
    return result.dataset


def synthetic_dataset(size: Size, seed: int = 7) -> Dataset:
    """A dataset of the given size: the default areas plus numbered districts, catalogue padded to size."""
    base = default_dataset()
    if size.name == "S":
        return base
    rng = np.random.default_rng(seed)
    cat = base.indicators.copy()
    extra = size.indicators - len(cat)
    if extra > 0:
        pad = cat.iloc[:extra].copy()
        pad["id"] = [f"extra_{i:02d}" for i in range(extra)]
        pad["name"] = [f"Extra indikator {i:02d}" for i in range(extra)]
        pad["key_figure"] = False
        cat = pd.concat([cat, pad], ignore_index=True)
    cat = cat.iloc[: size.indicators]
    named = base.areas["name"].tolist()
    others = [f"Område {i:04d}" for i in range(size.areas - len(named))]
    areas = pd.concat(
        [base.areas, pd.DataFrame({"name": others, "type": "Övrigt", "code": "", "aliases": ""})], ignore_index=True
    )
    names = named + others
    years = np.arange(2025 - size.years, 2025)
    sexes = np.array(["Totalt", "Kvinnor", "Män"])
    n_a, n_i, n_y, n_s = len(names), len(cat), len(years), 3
    a_idx, i_idx, y_idx, s_idx = (
        g.ravel() for g in np.meshgrid(np.arange(n_a), np.arange(n_i), np.arange(n_y), np.arange(n_s), indexing="ij")
    )
    level = rng.uniform(5, 80, size=(n_a, n_i))
    trend = rng.normal(0, 0.3, size=(n_a, n_i))
    values = level[a_idx, i_idx] + trend[a_idx, i_idx] * y_idx + rng.normal(0, 0.8, size=a_idx.size)
    units = cat["unit"].to_numpy()[i_idx]
    values = np.where(units == "antal", np.abs(values) * 100, np.clip(values, 0, 100)).round(1)
    obs = pd.DataFrame(
        {
            "area": pd.Categorical.from_codes(a_idx, categories=names),
            "indicator": pd.Categorical.from_codes(i_idx, categories=cat["id"].tolist()),
            "year": years[y_idx],
            "sex": pd.Categorical.from_codes(s_idx, categories=sexes),
            "value": values,
            "source": "Exempelvärde (fiktivt)",
            "note": "",
        }
    )
    return make_dataset(
        observations=obs,
        indicators=cat,
        areas=areas,
        actions=base.actions,
        targets=base.targets,
        area_texts=base.area_texts,
    )
