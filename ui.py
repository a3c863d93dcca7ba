"""Shared Streamlit helpers: the store, cached data keyed by data version, common notices."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from analysis.formatting import format_share
from analysis.importer import open_store
from analysis.model import Dataset
from analysis.settings import store_path
from analysis.store import Store
from analysis.summary import example_share


@dataclass(frozen=True)
class PageSpec:
    """One page of the navigation: its script, title, icon and URL path."""

    script: str
    title: str
    icon: str
    url_path: str


# The navigation, in menu order; the first page is the start page. Browser tests visit every entry.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/oversikt.py", "Översikt", ":material/dashboard:", "oversikt"),
    PageSpec("pages/data.py", "Data", ":material/database:", "data"),
)


@st.cache_resource(show_spinner="Öppnar databasen …")
def _store_at(path: str) -> Store:
    """The process-wide store at a path (created and filled with the default data on first use)."""
    return open_store(path)


def get_store() -> Store:
    """The store configured for this server (SEGDASH_DB)."""
    return _store_at(str(store_path()))


def data_version() -> int:
    """The current data version: every cached load is keyed by it, so an import shows at once."""
    return get_store().current_version() or 0


@st.cache_resource(max_entries=4, show_spinner="Läser data …")
def _dataset_for_version(path: str, version: int) -> Dataset:
    """The dataset of one version of one store (shared between sessions: never mutate it)."""
    return _store_at(path).dataset_at(version) if version else Dataset()


def load_dataset() -> Dataset:
    """The current dataset, from the cache when the version has not changed."""
    return _dataset_for_version(str(store_path()), data_version())


def example_notice(dataset: Dataset, observations=None) -> None:
    """The 'Exempeldata' notice when example (fictitious) values are among those shown."""
    frame = dataset.observations if observations is None else observations
    share = example_share(frame)
    if share > 0:
        st.warning(
            f"**Exempeldata:** {format_share(share)} av värdena här är påhittade exempelvärden (källa "
            "*Exempelvärde (fiktivt)*) och ska ersättas med riktiga uppgifter. De är märkta i tabeller och exporter.",
            icon="⚠️",
        )
