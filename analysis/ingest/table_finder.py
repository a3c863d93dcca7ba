"""Finding a table for a fetch definition: PxWeb API v2's table search, API v1's folders (Linköping's statistics
database), Kolada's key-figure search, a table's variables, and a drafted row of the sheet Hämtningar from them.

A strategist knows what to measure, not SCB's table ids or variable codes. GET {base}/tables?query=… lists the
tables whose texts match (id, title, first and last period, variable names); an API v1 lists each folder's
subfolders and tables (GET {base}/{path}: [{"id", "type": "l" | "t" | "h", "text"}]); a table's metadata lists its variables
and codes; `draft_definition` turns them into a definition that asks for Linköping and its parts, every sex, the
latest years and the first contents, with the choices it made written in its comment. The draft is a suggestion: it
is tried (a fetch without storing) and saved through the same upload path as a workbook.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from analysis.core.model import TOTAL
from analysis.ingest.fetch_spec import KOLADA, KOLADA_AREA, KOLADA_TIME, LAST_PERIOD, PXWEB2, sex_label
from analysis.ingest.fetched import area_matcher
from analysis.ingest.jsonstat import YEAR, parse_time_code
from analysis.ingest.pxweb import ApiClient, InvalidResponseError, PxWebClient, TableMetadata, Variable
from analysis.ingest.pxweb1 import table_url

MUNICIPALITY_CODE = "0580"  # Linköping; its RegSO and DeSO codes begin with it
LATEST_YEARS = 10
SHOWN_CODES = 6
# The words that name an area variable: SCB's Region, Linköping's districts and base areas.
AREA_WORDS: tuple[str, ...] = ("region", "stadsdel", "basområde", "område", "distrikt", "regso", "deso")
MAX_LISTED_CODES = 900  # characters of an Urval listing area codes; longer, the draft asks for 0580* instead


@dataclass(frozen=True)
class TableInfo:
    """One table of a search: id, title, periods, when updated and its variables' names."""

    id: str
    label: str
    first_period: str
    last_period: str
    updated: str
    variables: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class TableSearch:
    """A page of a table search: the tables, how many match in all, and the address asked."""

    tables: tuple[TableInfo, ...]
    total: int
    url: str


def search_url(base_url: str, query: str, page_size: int = 20) -> str:
    """The address of a table search (GET {base}/tables?lang=sv&query=…&pageSize=…)."""
    params = urlencode([("lang", "sv"), ("query", query.strip()), ("pageSize", page_size)])
    return f"{base_url.rstrip('/')}/tables?{params}"


def table_search(body: object, url: str) -> TableSearch:
    """A parsed table list ({"tables": [...], "page": {"totalElements"}}); raises InvalidResponseError otherwise."""
    raw = body.get("tables") if isinstance(body, Mapping) else None
    if not isinstance(raw, list):
        raise InvalidResponseError(f"Svaret är ingen tabellista (tables saknas). Adress: {url}", url)
    tables = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue  # an entry without an id cannot be fetched: leave it out rather than fail the search
        names = item.get("variableNames")
        tables.append(
            TableInfo(
                id=item["id"],
                label=str(item.get("label") or item["id"]),
                first_period=str(item.get("firstPeriod") or ""),
                last_period=str(item.get("lastPeriod") or ""),
                updated=str(item.get("updated") or "")[:10],
                variables=tuple(str(n) for n in names) if isinstance(names, list) else (),
                description=str(item.get("description") or ""),
            )
        )
    page = body.get("page") if isinstance(body.get("page"), Mapping) else {}
    total = page.get("totalElements")
    return TableSearch(tuple(tables), total if isinstance(total, int) else len(tables), url)


def search_tables(client: PxWebClient, query: str, page_size: int = 20) -> TableSearch:
    """The tables of the client's API whose texts match the query (one page)."""
    url = search_url(client.base_url, query, page_size)
    return table_search(client.get_json(url), url)


FOLDER, TABLE, HEADING = "l", "t", "h"
KINDS: tuple[str, ...] = (FOLDER, TABLE, HEADING)


@dataclass(frozen=True)
class Entry:
    """One entry of an API v1 folder: a subfolder (l), a table (t) or a heading (h), its id, text and path."""

    id: str
    kind: str
    text: str
    path: str  # below the base address: 'Befolkning/BefStadsdel.px'
    updated: str = ""


def folder_entries(body: object, path: str, url: str) -> list[Entry]:
    """A parsed API v1 folder listing; raises InvalidResponseError when it is not one (a table's metadata, say)."""
    if not isinstance(body, list):
        raise InvalidResponseError(f"Svaret är ingen mapplista från ett PxWeb API v1. Adress: {url}", url)
    out = []
    for item in body:
        if isinstance(item, Mapping) and isinstance(item.get("dbid"), str):  # the API's databases, at its top
            item = {"id": item["dbid"], "type": FOLDER, "text": item.get("text")}
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or item.get("type") not in KINDS:
            continue
        where = f"{path.strip('/')}/{item['id']}".strip("/")
        text = str(item.get("text") or item["id"])
        out.append(Entry(item["id"], str(item["type"]), text, where, str(item.get("updated") or "")[:10]))
    return out


def entry_choices(entries: list[Entry]) -> dict[str, Entry]:
    """A folder's subfolders and tables by the label a picker shows ('Mapp: Befolkning'), headings left out; a text
    that repeats in the folder gets its id beside it, so no entry hides another."""
    shown = [e for e in entries if e.kind != HEADING]
    texts = [e.text for e in shown]
    return {
        f"{'Mapp' if e.kind == FOLDER else 'Tabell'}: {e.text}{f' ({e.id})' if texts.count(e.text) > 1 else ''}": e
        for e in shown
    }


def table_choices(search: TableSearch) -> dict[str, str]:
    """A search's tables by the label a picker shows ('TAB6471 – Folkmängden …') -> table id."""
    return {f"{t.id} – {t.label}": t.id for t in search.tables}


def draft_row(
    draft: Mapping[str, str], edited: Mapping[str, object], indicators: pd.DataFrame, indicator: object
) -> dict[str, str]:
    """The drafted row as an editor changed it: the edited fields as text (empty for none) over the draft, and the
    id of the indicator chosen by name ('' when none is)."""
    ids = dict(zip(indicators["name"].astype(str), indicators["id"].astype(str)))
    row = {**draft, **{field: str(value or "") for field, value in edited.items()}}
    return {**row, "indicator": ids.get(str(indicator or ""), "")}


def list_folder(client: PxWebClient, path: str = "") -> list[Entry]:
    """The entries of an API v1 folder (the database's top when path is empty)."""
    url = table_url(client.base_url, path) if path.strip("/") else client.base_url
    return folder_entries(client.get_json(url), path, url)


def kpi_search_url(base_url: str, query: str, per_page: int = 50) -> str:
    """The address of a Kolada key-figure search (GET {base}/kpi?title=…&per_page=…)."""
    return f"{base_url.rstrip('/')}/kpi?{urlencode([('title', query.strip()), ('per_page', per_page)])}"


def kpi_search(body: object, url: str) -> TableSearch:
    """A parsed Kolada key-figure list ({"values": [{"id", "title", "description", "is_divided_by_gender",
    "publication_date", ...}], "count"}) as a table search; raises InvalidResponseError otherwise."""
    raw = body.get("values") if isinstance(body, Mapping) else None
    if not isinstance(raw, list):
        raise InvalidResponseError(f"Svaret är ingen lista över nyckeltal (values saknas). Adress: {url}", url)
    kpis = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        by_sex = bool(item.get("is_divided_by_gender"))
        kpis.append(
            TableInfo(
                id=item["id"],
                label=str(item.get("title") or item["id"]),
                first_period="",
                last_period="",
                updated=str(item.get("publication_date") or "")[:10],
                variables=("kommun", "år", "kön") if by_sex else ("kommun", "år"),
                description=str(item.get("description") or ""),
            )
        )
    count = body.get("count")
    return TableSearch(tuple(kpis), count if isinstance(count, int) else len(kpis), url)


def search_kpis(client: ApiClient, query: str, per_page: int = 50) -> TableSearch:
    """Kolada's key figures whose titles match the query (one page)."""
    url = kpi_search_url(client.base_url, query, per_page)
    return kpi_search(client.get_json(url), url)


def draft_kolada(
    kpi: TableInfo, base_url: str, areas: pd.DataFrame | None = None, indicator: str = ""
) -> dict[str, str]:
    """A row of Hämtningar for a Kolada key figure: the municipalities on the sheet Områden (Kolada has no
    districts), the latest years, every sex."""
    codes = [] if areas is None else [str(c) for c in areas["code"] if re.fullmatch(r"\d{4}", str(c).strip())]
    chosen = ",".join(dict.fromkeys(codes)) or MUNICIPALITY_CODE
    where = "kommunerna på bladet Områden" if codes else "Linköping"
    return {
        "indicator": indicator,
        "api": KOLADA,
        "base_url": base_url.rstrip("/"),
        "table": kpi.id,
        "selection": f"{KOLADA_AREA}={chosen}",
        "time_variable": KOLADA_TIME,
        "time": f"senaste {LATEST_YEARS}",
        "area_variable": KOLADA_AREA,
        "sex_variable": "gender",
        "sex_codes": "T=Totalt; K=Kvinnor; M=Män",
        "group_variable": "",
        "group_codes": "",
        "factor": "",
        "period_rule": "",
        "verified": "Nej",
        "comment": f"Utkast från nyckeltalssökningen i Kolada: {where} (Kolada har inga stadsdelar).",
    }


def tables_frame(search: TableSearch) -> pd.DataFrame:
    """A search's tables as the page lists them; a column no table fills (Kolada's periods) is left out."""
    frame = pd.DataFrame(
        {
            "Tabell": [t.id for t in search.tables],
            "Rubrik": [t.label for t in search.tables],
            "Från": [t.first_period for t in search.tables],
            "Till": [t.last_period for t in search.tables],
            "Uppdaterad": [t.updated for t in search.tables],
            "Variabler": [", ".join(t.variables) for t in search.tables],
        }
    )
    empty = [c for c in frame.columns[2:] if len(frame) and (frame[c] == "").all()]
    return frame.drop(columns=empty)


def variables_frame(meta: TableMetadata) -> pd.DataFrame:
    """A table's variables: code, label, how many codes, the first codes with their labels, and how it may be left
    out (the codes are what a definition's Urval names)."""

    def examples(var: Variable) -> str:
        """The first codes as 'code (label)'."""
        shown = [c if c == lab else f"{c} ({lab})" for c, lab in zip(var.codes[:SHOWN_CODES], var.labels)]
        more = f" … och {len(var.codes) - SHOWN_CODES} till" if len(var.codes) > SHOWN_CODES else ""
        return ", ".join(shown) + more

    return pd.DataFrame(
        {
            "Variabel": [v.id for v in meta.variables],
            "Benämning": [v.label for v in meta.variables],
            "Antal koder": [len(v.codes) for v in meta.variables],
            "Koder": [examples(v) for v in meta.variables],
            "Kan utelämnas": ["Ja" if v.elimination else "Nej" for v in meta.variables],
            "Tid": ["Ja" if v.is_time else "" for v in meta.variables],
        }
    )


def _is(var: Variable, *names: str) -> bool:
    """True when the variable's id or label holds one of these as a whole word, ignoring case ('kön' is not in
    'ekonomisk', 'område' is not in 'utbildningsområde')."""
    words = set(re.findall(r"\w+", f"{var.id} {var.label}".casefold()))
    return any(n in words for n in names)


def _total_code(var: Variable) -> str | None:
    """The code of a variable's total ('TotSa', 'totalt', 'samtliga'), when it has one."""
    for code, label in zip(var.codes, var.labels):
        if code.casefold().startswith("tot") or label.casefold().startswith(("totalt", "samtliga", "båda könen")):
            return code
    return None


def area_selection(var: Variable, areas: pd.DataFrame | None, notes: list[str]) -> str:
    """The Urval of an area variable: its codes that are areas on the sheet Områden (by Kod, name or alias, as a
    fetch matches them), else Linköping's codes (0580*), else all; the choice is added to the notes."""
    match = area_matcher(areas) if areas is not None and len(areas) else None
    known = [c for c, lab in zip(var.codes, var.labels) if match is not None and match(c, lab)]
    listed = f"{var.id}={','.join(known)}"
    if known and len(listed) <= MAX_LISTED_CODES:
        notes.append(f"{var.id}: de {len(known)} av {len(var.codes)} koder som är områden på bladet Områden")
        return listed if len(known) < len(var.codes) else f"{var.id}=*"
    unknown = ", ingen är ett område på bladet Områden" if match is not None else ""
    if any(c.startswith(MUNICIPALITY_CODE) for c in var.codes):
        notes.append(f"{var.id}: Linköpings koder ({MUNICIPALITY_CODE}*){unknown}")
        return f"{var.id}={MUNICIPALITY_CODE}*"
    notes.append(f"{var.id}: alla koder{unknown}")
    return f"{var.id}=*"


def draft_definition(
    meta: TableMetadata, base_url: str, indicator: str = "", api: str = PXWEB2, areas: pd.DataFrame | None = None
) -> dict[str, str]:
    """A row of Hämtningar for a table (of API v2, or v1 with the table's path as its id), with sheet fields as
    keys: the areas the dashboard knows (else Linköping and its parts), every sex, the latest years, the first
    contents; each choice it had to make is said in the comment."""
    selection: list[str] = []
    notes: list[str] = []
    row = {"indicator": indicator, "api": api, "base_url": base_url.rstrip("/"), "table": meta.table_id}
    row.update({"verified": "Nej", "factor": "", "period_rule": "", "group_variable": "", "group_codes": ""})
    row.update({"sex_variable": "", "sex_codes": ""})
    time = next((v for v in meta.variables if v.is_time), None)
    area = next((v for v in meta.variables if not v.is_time and _is(v, *AREA_WORDS)), None)
    sex = next((v for v in meta.variables if not v.is_time and _is(v, "kon", "kön")), None)
    for var in meta.variables:
        if var is time:
            continue
        if var is area:
            selection.append(area_selection(var, areas, notes))
        elif var is sex:
            total = _total_code(var)
            codes = {
                c: TOTAL if c == total else sex_label(lab) or sex_label(c) for c, lab in zip(var.codes, var.labels)
            }
            known = {c: s for c, s in codes.items() if s}
            row["sex_variable"] = var.id
            row["sex_codes"] = "; ".join(f"{c}={s}" for c, s in known.items())
        elif var.elimination:
            notes.append(f"{var.id} utelämnas (summeras)")
        elif len(var.codes) > 1:
            code = _total_code(var) or var.codes[0]
            selection.append(f"{var.id}={code}")
            label = var.labels[var.codes.index(code)]
            notes.append(f"{var.id}={code} ({label}) av {len(var.codes)}")
    row["area_variable"] = area.id if area is not None else ""
    if area is None:
        notes.append("ingen områdesvariabel hittades: skriv Områdesvariabel")
    row["selection"] = "; ".join(selection)
    row["time_variable"] = time.id if time is not None else ""
    if time is None:
        notes.append("ingen tidsvariabel hittades: skriv Tidsvariabel")
    periods = [parse_time_code(c) for c in time.codes] if time is not None else []
    if periods and all(p is not None for p in periods) and any(p.kind != YEAR for p in periods if p is not None):
        last = max(p.year for p in periods if p is not None)
        row["time"] = f"från {last - LATEST_YEARS + 1}"
        row["period_rule"] = LAST_PERIOD
        notes.append("månads- eller kvartalsvärden: sista perioden blir årets värde (Medelvärde för flöden)")
    else:
        row["time"] = f"senaste {LATEST_YEARS}"
    row["comment"] = "Utkast från tabellsökningen. " + "; ".join(notes) + ("." if notes else "")
    return row
