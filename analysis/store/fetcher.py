"""Fetching official statistics: every definition of the sheet Hämtningar asked of its API, its answer checked as an
upload is, previewed, and stored as one version.

What may happen to each definition, and what it does to the rest:
- A definition fails when its API call fails (no network, DNS, timeout, HTTP 4xx/5xx, a table or code that no longer
  exists, an empty answer, an answer that is not JSON-stat) or when its answer gives any error once converted and
  checked (no period rule for monthly values, a value outside its unit's range …). Nothing of a failed definition is
  stored; the others are fetched, previewed and stored all the same (the issue: "the other sources still fetched and
  previewed, the store unchanged for the failed ones").
- Errors among the definitions that succeeded (two definitions giving the same area, indicator, year and group) block
  the whole store: nothing is stored until the definitions agree.

The source of a fetched value is '{address} (hämtad {time})': the data call's address when one call answered, the
table's data address when the query was split (the full addresses are in the version note). A value that is the same
as the stored one from the same table keeps its stored source, so the source says when the value was first fetched
and a second identical fetch changes nothing and creates no version. The version's file name is 'Hämtning {time}'
and its note lists every definition with the addresses it called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote

import numpy as np
import pandas as pd

from analysis.core.model import OBSERVATION_KEY, Dataset, conform, make_dataset
from analysis.ingest.contract import MAX_SHORT_TEXT
from analysis.ingest.fetch_spec import KOLADA, PXWEB1, FetchSpec, fetch_table
from analysis.ingest.fetched import SOURCE, fetched_observations, retrieved_at
from analysis.ingest.kolada import KoladaClient
from analysis.ingest.problems import ERROR, Problem, has_errors
from analysis.ingest.pxweb import FetchError, PxWebClient, data_endpoint, encoded_address
from analysis.ingest.pxweb1 import PxWeb1Client, table_url
from analysis.store.history import KIND_IMPORT, REL_TOLERANCE, ApplyResult, Diff, Store

FETCH_SHEET_LABEL = "Hämtning"  # the sheet of problems that concern the whole run, not one definition


class DataClient(Protocol):
    """What the fetcher asks of an API client (PxWebClient, PxWeb1Client, KoladaClient): selected values, addresses."""

    def data(self, table_id: str, selection: Mapping[str, Sequence[str] | str]) -> tuple[pd.DataFrame, list[str]]:
        """The selected cells as a tidy frame and the addresses of the calls made."""
        ...


@dataclass
class FetchOutcome:
    """What one definition gave: ok or failed with a Swedish message, the addresses called, the rows and problems."""

    spec: FetchSpec
    ok: bool
    message: str
    urls: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    observations: pd.DataFrame = field(default_factory=lambda: conform("observations", None))

    @property
    def rows(self) -> int:
        """The number of observations the definition gave (0 when it failed)."""
        return len(self.observations) if self.ok else 0


@dataclass
class FetchRun:
    """One run over the definitions: each one's outcome, the observations of those that succeeded, every problem."""

    outcomes: list[FetchOutcome]
    dataset: Dataset
    problems: list[Problem]
    retrieved: str
    conflicts: list[Problem] = field(default_factory=list)  # errors among the succeeded definitions: block the store

    @property
    def succeeded(self) -> list[FetchOutcome]:
        """The definitions whose values can be stored."""
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[FetchOutcome]:
        """The definitions that gave nothing to store."""
        return [o for o in self.outcomes if not o.ok]

    @property
    def blocked(self) -> bool:
        """True when errors among the succeeded definitions stop anything from being stored."""
        return has_errors(self.conflicts)

    @property
    def file_name(self) -> str:
        """The version's file name: 'Hämtning 2026-12-01 18:03 UTC'."""
        return f"Hämtning {self.retrieved}"


def retrieval_time(now: datetime | None = None) -> str:
    """The time of a fetch as sources and version names write it: '2026-12-01 18:03 UTC'."""
    when = now or datetime.now(UTC)
    when = when.astimezone(UTC) if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return f"{when:%Y-%m-%d %H:%M} UTC"


def table_data_url(spec: FetchSpec) -> str:
    """The data address of a definition's table (Kolada: key figure) without a query: what every query starts with."""
    base = encoded_address(spec.base_url)  # as the client calls it, so stored sources start with it
    if spec.api == KOLADA:
        return f"{base}/data/kpi/{quote(spec.table, safe='')}"
    if spec.api == PXWEB1:
        return table_url(base, spec.table)
    return data_endpoint(base, spec.table)


def latest_retrieval(spec: FetchSpec, observations: pd.DataFrame) -> str:
    """When the definition's indicator last got new or changed values from its table ('2026-12-01 18:03 UTC'), '–'
    when none is stored. An unchanged value keeps its first retrieval time, so this is the last fetch that
    brought something, not the last fetch run."""
    table = table_data_url(spec)
    own = observations.loc[observations["indicator"].astype(str) == spec.indicator, "source"]
    times = [
        when
        for source in own.dropna().astype(str).unique()
        if source.startswith(table) and (when := retrieved_at(source))
    ]
    return max(times) if times else "–"


def definitions_table(specs: Sequence[FetchSpec], observations: pd.DataFrame) -> pd.DataFrame:
    """The definitions as the fetch page lists them, with when each last brought new or changed values."""
    table = fetch_table(list(specs)).assign(**{"Senast nya värden": [latest_retrieval(s, observations) for s in specs]})
    # What a strategist scans first stands first; the long selection and address last.
    first = ["Indikator", "API", "Tabell", "Senast nya värden", "Verifierad", "Period"]
    return table[first + [c for c in table.columns if c not in first]]


def source_url(spec: FetchSpec, urls: Sequence[str], retrieved: str) -> str:
    """The address a source names: the one data call's, else (query split, or too long) the table's data address."""
    if len(urls) == 1 and len(SOURCE.format(url=urls[0], retrieved=retrieved)) <= MAX_SHORT_TEXT:
        return urls[0]
    return table_data_url(spec)


def _failed(spec: FetchSpec, message: str, urls: list[str], problems: list[Problem] | None = None) -> FetchOutcome:
    """The outcome of a definition that gave nothing to store."""
    return FetchOutcome(spec, False, message, urls, problems or [])


def fetch_one(
    spec: FetchSpec,
    client: Callable[[str, str], DataClient],
    known: Dataset,
    retrieved: str,
) -> FetchOutcome:
    """Ask one definition's API (client(api, base_url)) and convert and check its answer; failures become messages."""
    try:
        frame, urls = client(spec.api, spec.base_url).data(spec.table, spec.selection)
    except FetchError as err:
        return _failed(spec, err.message, [err.url])
    except Exception as err:  # an answer the client could not read must not stop the others: say what broke
        message = f"Svaret kunde inte läsas ({type(err).__name__}: {err}). Adress: {spec.base_url}"
        return _failed(spec, message, [spec.base_url])
    url = source_url(spec, urls, retrieved)
    try:
        observations, problems = fetched_observations(
            frame, spec, known.areas, url, retrieved, indicators=known.indicators
        )
    except Exception as err:  # a definition that breaks the conversion must not stop the others: say what broke
        message = f"Svaret kunde inte omvandlas till värden ({type(err).__name__}: {err}). Adress: {url}"
        return _failed(spec, message, urls)
    errors = [p for p in problems if p.is_error]
    if errors:
        first = errors[0]
        more = f" (och {len(errors) - 1} fel till)" if len(errors) > 1 else ""
        message = f"Svaret gav fel och sparas inte: {first.message}{more} Adress: {url}"
        return _failed(spec, message, urls, problems)
    calls = "ett anrop" if len(urls) == 1 else f"{len(urls)} anrop"
    what = "nyckeltalet" if spec.api == KOLADA else "tabellen"
    message = f"{len(observations)} värden ur {what} {spec.table} ({calls})."
    return FetchOutcome(spec, True, message, urls, problems, conform("observations", observations))


def _conflicts(outcomes: list[FetchOutcome]) -> list[Problem]:
    """An error per set of succeeded definitions that give values for the same area, indicator, year and group."""
    parts = [o.observations.assign(_label=o.spec.label) for o in outcomes if o.ok and len(o.observations)]
    if len(parts) < 2:
        return []
    both = pd.concat(parts, ignore_index=True)
    key = list(OBSERVATION_KEY)
    repeated = both[both.duplicated(key, keep=False)]
    problems = []
    by_labels: dict[tuple[str, ...], list[tuple]] = {}
    for values, rows in repeated.groupby(key, sort=False):
        by_labels.setdefault(tuple(dict.fromkeys(rows["_label"])), []).append(values)
    for labels, keys in by_labels.items():
        area, indicator, year, sex = keys[0]
        problems.append(
            Problem(
                ERROR,
                FETCH_SHEET_LABEL,
                None,
                "Område | Indikator | År | Kön",
                f"{area} | {indicator} | {year} | {sex}",
                f"Hämtningarna {' och '.join(labels)} ger värden för samma område, indikator, år och grupp "
                f"({len(keys)} st.). Ingenting sparas förrän de är överens.",
                "Ta bort den ena definitionen på bladet Hämtningar, eller välj olika regioner, år eller grupper.",
            )
        )
    return problems


def keep_stored_sources(observations: pd.DataFrame, tables: Sequence[str], stored: pd.DataFrame) -> pd.DataFrame:
    """The fetched observations where a value equal to the stored one from the same table keeps the stored source.

    `tables` holds each row's table data address; the stored source must start with it. Without this every fetch
    would change every row's source (its retrieval time) and so create a version although no value changed.
    """
    if not len(observations) or not len(stored):
        return observations
    key = list(OBSERVATION_KEY)
    old = conform("observations", stored)[[*key, "value", "source"]]
    merged = conform("observations", observations)[key].merge(old, on=key, how="left", validate="many_to_one")
    new_value = observations["value"].astype("float64").to_numpy()
    old_value = merged["value"].astype("float64").to_numpy()
    found = merged["source"].notna().to_numpy()
    with np.errstate(invalid="ignore"):
        close = np.abs(new_value - old_value) <= REL_TOLERANCE * np.maximum(
            1.0, np.maximum(np.abs(new_value), np.abs(old_value))
        )
    same = close | (np.isnan(new_value) & np.isnan(old_value))
    old_source = merged["source"].fillna("").astype(str).to_numpy()
    same_table = np.array([s.startswith(t) for s, t in zip(old_source, tables)], dtype=bool)
    keep = found & same & same_table
    out = observations.copy()
    out.loc[keep, "source"] = old_source[keep]
    return out


def fetch_all(
    store: Store,
    specs: Sequence[FetchSpec],
    *,
    client_factory: Callable[[str], DataClient] = PxWebClient,
    kolada_factory: Callable[[str], DataClient] = KoladaClient,
    pxweb1_factory: Callable[[str], DataClient] = PxWeb1Client,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> FetchRun:
    """Run every definition against its API (one client per API and address); a failing one is reported, others go on."""
    known = store.current()
    retrieved = retrieval_time(now)
    clients: dict[tuple[str, str], DataClient] = {}

    def client(api: str, base_url: str) -> DataClient:
        """The run's client for an API and address (a PxWeb client's config and metadata read once)."""
        if (api, base_url) not in clients:
            factory = {KOLADA: kolada_factory, PXWEB1: pxweb1_factory}.get(api, client_factory)
            clients[(api, base_url)] = factory(base_url)
        return clients[(api, base_url)]

    outcomes: list[FetchOutcome] = []
    for spec in specs:
        if progress is not None:
            progress(f"Hämtar {spec.label} …")
        outcomes.append(fetch_one(spec, client, known, retrieved))
    conflicts = _conflicts(outcomes)
    ok = [o for o in outcomes if o.ok and len(o.observations)]
    if ok:
        rows = pd.concat([o.observations for o in ok], ignore_index=True)
        tables = [table_data_url(o.spec) for o in ok for _ in range(len(o.observations))]
        rows = keep_stored_sources(rows, tables, known.observations)
    else:
        rows = None
    problems = [p for o in outcomes for p in o.problems] + conflicts
    return FetchRun(outcomes, make_dataset(observations=rows), problems, retrieved, conflicts)


def preview_fetch(store: Store, run: FetchRun) -> Diff:
    """What storing the run would change now; writes nothing."""
    return store.diff(run.dataset)


def fetch_note(run: FetchRun) -> str:
    """The version note: when, and per definition its table, its result and the addresses it called."""
    lines = [f"Hämtat {run.retrieved}."]
    for o in run.outcomes:
        status = f"{o.rows} värden" if o.ok else "misslyckades, ingenting sparat"
        lines.append(f"{o.spec.label}: {status}. Adress: {' '.join(o.urls) or o.spec.base_url}")
    return "\n".join(lines)


def store_fetch(store: Store, run: FetchRun, user: str) -> ApplyResult | None:
    """Store the succeeded definitions' values as one version, or None when none succeeded or conflicts block it.

    The result's version is None when no value changed (an identical fetch).
    """
    if not run.succeeded or run.blocked:
        return None
    return store.apply(run.dataset, user=user, file_name=run.file_name, kind=KIND_IMPORT, note=fetch_note(run))
