"""What an import or rollback will change, and the version history, as Swedish tables."""

from __future__ import annotations

import pandas as pd

from analysis.core.formatting import format_number, format_value
from analysis.core.model import TABLE_KEYS, Dataset
from analysis.store.history import KIND_IMPORT, KIND_INITIAL, KIND_ROLLBACK, Diff

#: The most rows of new or changed values the Data page shows; the whole list is a download.
PREVIEW_ROWS = 2_000

TABLE_TITLES = {
    "observations": "Värden",
    "indicators": "Indikatorer",
    "areas": "Områden",
    "plans": "Planer",
    "actions": "Åtgärder",
    "targets": "Mål",
    "area_texts": "Områdestexter",
    "action_followups": "Uppföljning",
    "boundaries": "Områdesgränser",
    "fetches": "Hämtningar",
}


def table_title(table: str) -> str:
    """The Swedish name of a table (the table id itself for tables added later without a title)."""
    return TABLE_TITLES.get(table, table)


def diff_counts(diff: Diff) -> pd.DataFrame:
    """One row per table with something to report: new, changed, unchanged, kept, removed."""
    rows = []
    for table, d in diff.tables.items():
        counts = (len(d.new), len(d.changed), d.unchanged, len(d.ignored_missing), len(d.removed))
        if any(counts):
            rows.append((table_title(table), *counts))
    return pd.DataFrame(
        rows,
        columns=[
            "Tabell",
            "Nya",
            "Ändrade",
            "Oförändrade",
            "Tomma i filen (sparat värde behålls)",
            "Tas bort ur nuvarande data",
        ],
    )


def _indicator_info(dataset: Dataset) -> dict[str, tuple[str, str, int]]:
    """Indicator id -> (name, unit, decimals)."""
    cat = dataset.indicators
    return {r.id: (r.name, r.unit, int(r.decimals)) for r in cat.itertuples(index=False)}


def value_changes(diff: Diff, dataset: Dataset, kind: str = "changed", limit: int | None = None) -> pd.DataFrame:
    """The observations that are new, changed or removed, with old and new values formatted in Swedish."""
    d = diff.tables.get("observations")
    frame = getattr(d, kind) if d is not None else pd.DataFrame()
    if frame is None or len(frame) == 0:
        return pd.DataFrame(columns=["Område", "Indikator", "År", "Kön", "Gammalt värde", "Nytt värde", "Källa"])
    if limit is not None:
        frame = frame.head(limit)
    info = _indicator_info(dataset)

    def fmt(ind: str, v: object) -> str:
        """A value in its indicator's unit."""
        name, unit, decimals = info.get(ind, (ind, "", 1))
        return format_value(v, unit, decimals)

    old = frame["old_value"] if "old_value" in frame.columns else [None] * len(frame)
    out = pd.DataFrame(
        {
            "Område": frame["area"].astype(str).to_numpy(),
            "Indikator": [info.get(i, (i,))[0] for i in frame["indicator"]],
            "År": [str(int(y)) for y in frame["year"]],
            "Kön": frame["sex"].astype(str).to_numpy(),
            "Gammalt värde": [fmt(i, v) if kind != "new" else "–" for i, v in zip(frame["indicator"], old)],
            "Nytt värde": [fmt(i, v) if kind != "removed" else "–" for i, v in zip(frame["indicator"], frame["value"])],
            "Källa": frame["source"].astype(str).to_numpy(),
        }
    )
    if kind == "removed":
        out["Gammalt värde"] = [fmt(i, v) for i, v in zip(frame["indicator"], frame["value"])]
    return out


def changes_by_indicator_and_area(diff: Diff, dataset: Dataset) -> pd.DataFrame:
    """Counts of new and changed values per indicator and area."""
    d = diff.tables.get("observations")
    if d is None or (len(d.new) == 0 and len(d.changed) == 0):
        return pd.DataFrame(columns=["Indikator", "Område", "Nya", "Ändrade"])
    parts = []
    for frame, label in ((d.new, "Nya"), (d.changed, "Ändrade")):
        if len(frame):
            parts.append(frame.groupby(["indicator", "area"], sort=False).size().rename(label))
    table = pd.concat(parts, axis=1).fillna(0).astype(int).reset_index()
    for col in ("Nya", "Ändrade"):
        if col not in table.columns:
            table[col] = 0
    names = {k: v[0] for k, v in _indicator_info(dataset).items()}
    table["Indikator"] = table["indicator"].map(names).fillna(table["indicator"])
    return table.rename(columns={"area": "Område"})[["Indikator", "Område", "Nya", "Ändrade"]]


def other_changes(diff: Diff) -> pd.DataFrame:
    """New, changed and removed rows of the tables other than observations, named by their keys."""
    rows = []
    for table, d in diff.tables.items():
        if table == "observations":
            continue
        key = list(TABLE_KEYS.get(table, ()))
        for kind, frame in (("Ny", d.new), ("Ändrad", d.changed), ("Tas bort", d.removed)):
            for r in frame.to_dict("records") if len(frame) else []:
                # An action without a plan has the key (id, ''): named by its id alone.
                named = (str(r.get(k, "")) for k in key)
                rows.append((table_title(table), kind, " | ".join(n for n in named if n)))
    return pd.DataFrame(rows, columns=["Tabell", "Ändring", "Nyckel"])


def rollback_summary(diff: Diff, version: int) -> str:
    """What a rollback will do, in one Swedish sentence."""
    if diff.is_empty:
        return f"Nuvarande data är redan desamma som i version {version}; en återställning ändrar ingenting."
    return (
        f"Återställningen till version {version} lägger tillbaka {format_number(diff.n_new)}, ändrar "
        f"{format_number(diff.n_changed)} och tar bort {format_number(diff.n_removed)} rader ur nuvarande data. "
        "Ingenting raderas: allt finns kvar i historiken och kan återställas igen."
    )


KIND_LABELS = {KIND_INITIAL: "Standarddata", KIND_IMPORT: "Import", KIND_ROLLBACK: "Återställning"}


def original_file_status(versions: pd.DataFrame) -> list[str]:
    """Per version whether its original file is stored, was removed (when, by whom) or never existed ('')."""
    n = len(versions)
    stored = versions["has_file"] if "has_file" in versions.columns else [False] * n
    pruned_at = versions["file_pruned_at"] if "file_pruned_at" in versions.columns else [""] * n
    pruned_by = versions["file_pruned_by"] if "file_pruned_by" in versions.columns else [""] * n
    out = []
    for has, at, by in zip(stored, pruned_at, pruned_by):
        if bool(has):
            out.append("Sparad")
        elif at:
            when = str(at).replace("T", " ")[:16]
            out.append(f"Borttagen {when} (UTC)" + (f" av {by}" if by else "") + " för att frigöra utrymme")
        else:
            out.append("")
    return out


def versions_table(versions: pd.DataFrame) -> pd.DataFrame:
    """The version history with Swedish columns and readable times (UTC)."""
    out = pd.DataFrame(
        {
            "Version": versions["version"].astype(int).to_numpy(),
            "Tid (UTC)": versions["created_at"].astype(str).str.replace("T", " ").str.slice(0, 16).to_numpy(),
            "Av": versions["user"].astype(str).to_numpy(),
            "Typ": versions["kind"].map(KIND_LABELS).fillna(versions["kind"]).to_numpy(),
            "Fil": versions["file_name"].astype(str).to_numpy(),
            "Nya": versions["n_new"].astype(int).to_numpy(),
            "Ändrade": versions["n_changed"].astype(int).to_numpy(),
            "Oförändrade": versions["n_unchanged"].astype(int).to_numpy(),
            "Borttagna": versions["n_removed"].astype(int).to_numpy(),
        }
    )
    back = versions["rollback_of"]
    out["Återställd till"] = ["" if pd.isna(v) else str(int(v)) for v in back]
    out["Originalfil"] = original_file_status(versions)
    return out
