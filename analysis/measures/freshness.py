"""Whether an indicator's figures are current: its latest year against when the next figure is normally published.

A figure for statistics year Y is normally published during year Y + lag (the catalogue's Publiceringsfördröjning).
So the figure after the latest loaded year L is expected during L + 1 + lag: before that year the indicator is
current, during it the next figure is due, and after it the indicator is out of date (a newer figure normally exists
and should be loaded). Without a lag in the catalogue nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.core.missing import is_missing
from analysis.core.model import Dataset

CURRENT = "aktuell"
DUE = "nytt värde väntas i år"
STALE = "nyare värde finns normalt"
UNKNOWN = "okänd publiceringstakt"


@dataclass(frozen=True)
class Freshness:
    """How current one indicator is on a given day."""

    indicator: str
    name: str
    latest_year: int | None
    lag_years: int | None
    status: str

    @property
    def next_expected(self) -> int | None:
        """The year the figure after the latest one is normally published (None when unknown)."""
        if self.latest_year is None or self.lag_years is None:
            return None
        return self.latest_year + 1 + self.lag_years

    @property
    def is_stale(self) -> bool:
        """True when a newer figure is normally published by now but is not loaded."""
        return self.status == STALE

    def sentence(self) -> str:
        """A Swedish sentence for the page ('' when the indicator is current or nothing is known)."""
        if self.status == STALE:
            return f"Senaste värde {self.latest_year}, nyare finns normalt från {self.next_expected}."
        if self.status == DUE:
            return f"Senaste värde {self.latest_year}; värdet för {self.latest_year + 1} väntas under {self.next_expected}."
        return ""


def freshness_status(latest_year: int | None, lag_years: int | None, today: date) -> str:
    """CURRENT, DUE, STALE or UNKNOWN for an indicator whose newest loaded figure is for `latest_year`."""
    if latest_year is None or lag_years is None:
        return UNKNOWN
    expected = latest_year + 1 + lag_years
    if today.year < expected:
        return CURRENT
    return DUE if today.year == expected else STALE


def indicator_freshness(dataset: Dataset, today: date) -> list[Freshness]:
    """Every catalogue indicator's freshness on `today`, in catalogue order (latest year over all areas)."""
    obs = dataset.observations
    latest = obs[obs["value"].notna()].groupby("indicator", observed=True)["year"].max() if len(obs) else pd.Series()
    out = []
    for row in dataset.indicators.itertuples(index=False):
        year = latest.get(row.id)
        latest_year = None if is_missing(year) else int(year)
        lag = getattr(row, "lag_years", None)
        lag_years = None if is_missing(lag) else int(lag)
        status = freshness_status(latest_year, lag_years, today)
        out.append(Freshness(str(row.id), str(row.name), latest_year, lag_years, status))
    return out


def fetch_sources(fetches: pd.DataFrame) -> dict[str, str]:
    """Indicator id -> where its fetch definitions ask ('TAB6471 (PxWeb v2)'; several joined by '; ')."""
    out: dict[str, list[str]] = {}
    for row in fetches.itertuples(index=False):
        out.setdefault(str(row.indicator), []).append(f"{row.table} ({row.api})")
    return {k: "; ".join(v) for k, v in out.items()}


def freshness_table(items: list[Freshness], fetches: pd.DataFrame | None = None) -> pd.DataFrame:
    """The indicators that are due or out of date, as a Swedish table for the data page (out of date first); with
    the fetch definitions, where each can be fetched from ('–' when none is defined)."""
    sources = fetch_sources(fetches) if fetches is not None else None
    rows = [
        {
            "Indikator": f.name,
            "Senaste år": f.latest_year,
            "Publiceras normalt efter (år)": f.lag_years,
            "Nästa värde väntas": f.next_expected,
            "Läge": f.status,
            **({"Hämtas från": sources.get(f.indicator, "–")} if sources is not None else {}),
        }
        for f in sorted(items, key=lambda f: (f.status != STALE, f.name))
        if f.status in (STALE, DUE)
    ]
    columns = ["Indikator", "Senaste år", "Publiceras normalt efter (år)", "Nästa värde väntas", "Läge"]
    return pd.DataFrame(rows, columns=columns + (["Hämtas från"] if sources is not None else []))


def freshness_headline(items: list[Freshness]) -> str:
    """'Dags att uppdatera: 1 indikator har nyare värden ute, 3 väntas i år' with Swedish singular and plural."""
    stale = sum(f.status == STALE for f in items)
    due = sum(f.status == DUE for f in items)
    noun = "indikator" if stale == 1 else "indikatorer"
    return f"Dags att uppdatera: {stale} {noun} har nyare värden ute, {due} väntas i år"
