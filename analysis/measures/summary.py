"""Facts about the loaded data as a whole: counts, years, example share, the latest import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.model import Dataset, is_example, is_uncertain


def rule_mask(column: pd.Series, rule: Callable[[object], bool]) -> pd.Series:
    """The rule applied to every row of a text column, deciding once per distinct text."""
    # Millions of rows cost a lookup each; the rule runs once per distinct text (code -1 = missing).
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, distinct = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, distinct = pd.factorize(column.to_numpy(dtype=object))
    flags = np.array([rule(c) for c in distinct] + [False], dtype=bool)
    return pd.Series(flags[codes], index=column.index)


def example_mask(observations: pd.DataFrame) -> pd.Series:
    """True for rows whose source marks them as fictitious examples: model.is_example, the one rule, per row."""
    return rule_mask(observations["source"], is_example)


def uncertain_mask(observations: pd.DataFrame) -> pd.Series:
    """True for rows whose note says the value rests on few persons: model.is_uncertain, the one rule, per row
    (none for a frame without notes, such as a chart's)."""
    if "note" not in observations.columns:
        return pd.Series(False, index=observations.index)
    return rule_mask(observations["note"], is_uncertain)


def example_share(observations: pd.DataFrame) -> float:
    """The share (0–1) of observations that are example values; 0 for no observations."""
    if len(observations) == 0:
        return 0.0
    return float(example_mask(observations).mean())


@dataclass(frozen=True)
class DataStatus:
    """What the data status box shows."""

    version: int | None
    last_change: str
    last_user: str
    last_file: str
    n_values: int
    n_areas: int
    n_indicators: int
    first_year: int | None
    last_year: int | None
    example_share: float


def data_status(dataset: Dataset, versions: pd.DataFrame) -> DataStatus:
    """The status of the data: version, latest change, sizes and the share of example values."""
    obs = dataset.observations
    latest = versions.iloc[0] if len(versions) else None
    years = obs["year"].dropna()
    return DataStatus(
        version=int(latest["version"]) if latest is not None else None,
        last_change=str(latest["created_at"]) if latest is not None else "",
        last_user=str(latest["user"]) if latest is not None else "",
        last_file=str(latest["file_name"]) if latest is not None else "",
        n_values=int(obs["value"].notna().sum()),
        n_areas=int(obs["area"].nunique()),
        n_indicators=int(obs["indicator"].nunique()),
        first_year=int(years.min()) if len(years) else None,
        last_year=int(years.max()) if len(years) else None,
        example_share=example_share(obs),
    )
