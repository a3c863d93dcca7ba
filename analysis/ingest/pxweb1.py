"""PxWeb API v1 (Linköping's own statistics database, older SCB addresses): config, metadata and data as frames.

The API as SCB's "PxWeb API 1.0" description documents it:
- GET {base}?config: the limits, `maxValues` (or `maxCells`) cells per call and `maxCalls` calls per `timeWindow`;
- GET {base}/{path to table}: the table's metadata, {"title", "variables": [{"code", "text", "values", "valueTexts",
  "elimination", "time"}]};
- POST {base}/{path to table} with {"query": [{"code", "selection": {"filter": "item", "values": [...]}}],
  "response": {"format": ...}}: the data, as JSON-stat 1.0 ("json-stat", asked for by default), JSON-stat 2.0
  ("json-stat2") or PxWeb's own JSON ("json": columns of type d, t and c, rows of key and values as text).

The base address holds the language and the database (…/api/v1/sv/Databasnamn) and the table is its path below it
(Befolkning/BefStadsdel.px). Selections are resolved against the metadata exactly as for API v2 (`*`, `top(n)`,
`from(c)` …), split under maxValues, rate limited, retried and failing with the same Swedish errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pandas as pd

from analysis.ingest.jsonstat import LABEL_SUFFIX, STATUS, VALUE, JsonStatError, jsonstat2_dataset, parse_jsonstat
from analysis.ingest.pxweb import (
    ApiLimits,
    HttpClientError,
    InvalidResponseError,
    PxWebClient,
    TableMetadata,
    Variable,
    api_limits,
    decode_json,
    posted_address,
)

JSONSTAT1, JSONSTAT2, JSON = "json-stat", "json-stat2", "json"
RESPONSE_FORMATS: tuple[str, ...] = (JSONSTAT1, JSONSTAT2, JSON)
# The variable PxWeb names the table's contents ('Folkmängd'); a JSON answer turns its values into columns.
CONTENTS = "ContentsCode"


def _invalid(url: str, what: str) -> InvalidResponseError:
    """The error for an answer that is JSON but not what the API documents."""
    return InvalidResponseError(f"Svaret från PxWeb-tabellen kan inte läsas: {what}. Adress: {url}", url)


def table_url(base_url: str, table: str) -> str:
    """A table's address: the base (language and database) and the table's path, each part quoted."""
    path = "/".join(quote(part, safe="") for part in table.strip().strip("/").split("/"))
    return f"{base_url.rstrip('/')}/{path}"


def limits_v1(config: object) -> ApiLimits:
    """The limits from a v1 config answer (maxValues or maxCells, maxCalls, timeWindow), defaults for any missing."""
    body = config if isinstance(config, Mapping) else {}
    cells = body.get("maxValues", body.get("maxCells"))
    return api_limits(
        {"maxDataCells": cells, "maxCallsPerTimeWindow": body.get("maxCalls"), "timeWindow": body.get("timeWindow")}
    )


def _texts(raw: object) -> list[str] | None:
    """A list of codes or labels as text, None when it is not a list of texts or numbers."""
    if not isinstance(raw, list) or not all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in raw):
        return None
    return [str(x) for x in raw]


def table_metadata_v1(table: str, body: object, url: str) -> TableMetadata:
    """A table's metadata from its v1 answer; raises InvalidResponseError when it is not a table's metadata."""
    raw = body.get("variables") if isinstance(body, Mapping) else None
    if not isinstance(raw, list) or not raw:
        raise _invalid(url, "variables saknas (adressen pekar kanske på en mapp, inte en tabell)")
    variables = []
    for item in raw:
        code = item.get("code") if isinstance(item, Mapping) else None
        codes = _texts(item.get("values")) if isinstance(item, Mapping) else None
        if not isinstance(code, str) or not code or codes is None:
            raise _invalid(url, "en variabel saknar code eller values")
        labels = _texts(item.get("valueTexts")) or codes
        if len(labels) != len(codes):
            raise _invalid(url, f"variabeln {code} har {len(codes)} koder men {len(labels)} texter")
        variables.append(
            Variable(
                code,
                str(item.get("text", code)),
                tuple(codes),
                tuple(labels),
                item.get("elimination") is True,
                item.get("time") is True,
            )
        )
    if not any(v.is_time for v in variables):
        # Without a time flag, SCB's name for time ('Tid') still marks it, as for API v2.
        variables = [replace(v, is_time=v.id.casefold() == "tid") for v in variables]
    title = body.get("title") if isinstance(body, Mapping) else None
    return TableMetadata(table, str(title or table), tuple(variables), url)


def query_body(selection: Mapping[str, Sequence[str]], response_format: str = JSONSTAT1) -> dict[str, Any]:
    """The POST body of a data call: each variable's codes as an item filter, and the answer's format."""
    query = [{"code": var, "selection": {"filter": "item", "values": list(codes)}} for var, codes in selection.items()]
    return {"query": query, "response": {"format": response_format}}


def _cell(raw: object) -> tuple[float, str]:
    """One value of a JSON answer (text, '..' for suppressed) as a number and a status."""
    if raw is None:
        return math.nan, ""
    text = str(raw).strip()
    try:
        return float(text), ""
    except ValueError:
        return math.nan, text


def parse_json_v1(body: object, meta: TableMetadata, url: str) -> pd.DataFrame:
    """A v1 answer in PxWeb's JSON format as the same tidy frame as parse_jsonstat (labels from the metadata).

    Columns of type d and t are the key of each row, in order; each column of type c is one value of the contents
    variable, so a row becomes one cell per c column.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get("columns"), list) or "data" not in body:
        raise _invalid(url, "columns eller data saknas")
    columns = body["columns"]
    if not all(isinstance(c, Mapping) and isinstance(c.get("code"), str) for c in columns):
        raise _invalid(url, "en kolumn saknar code")
    keys = [str(c["code"]) for c in columns if c.get("type") in ("d", "t")]
    contents = [str(c["code"]) for c in columns if c.get("type") == "c"]
    if len(set(keys + contents)) != len(keys + contents):
        raise _invalid(url, "två kolumner har samma kod")
    if not contents:
        raise _invalid(url, "ingen kolumn med värden (typ c)")
    # The contents variable is the one whose codes the c columns are; PxWeb calls it ContentsCode.
    owner = next(
        (v.id for v in meta.variables if v.id not in keys and set(contents) <= set(v.codes)),
        CONTENTS,
    )
    rows = body["data"]
    if not isinstance(rows, list):
        raise _invalid(url, "data är inte en lista")
    records: list[list[object]] = []
    for row in rows:
        key = _texts(row.get("key")) if isinstance(row, Mapping) else None
        values = row.get("values") if isinstance(row, Mapping) else None
        if key is None or len(key) != len(keys) or not isinstance(values, list) or len(values) != len(contents):
            raise _invalid(url, f"en rad har inte {len(keys)} nycklar och {len(contents)} värden")
        for code, raw in zip(contents, values):
            records.append([*key, code, *_cell(raw)])
    dims = [*keys, owner]
    frame = (
        pd.DataFrame(records, columns=[*dims, VALUE, STATUS])
        if records
        else pd.DataFrame(columns=[*dims, VALUE, STATUS])
    )
    out: dict[str, Any] = {}
    # The table's order, as the JSON-stat answers have it.
    order = {v.id: i for i, v in enumerate(meta.variables)}
    for dim in sorted(dims, key=lambda d: order.get(d, len(order))):
        var = meta.variable(dim)
        names = dict(zip(var.codes, var.labels)) if var is not None else {}
        codes = frame[dim].astype(str)
        out[dim] = codes
        out[dim + LABEL_SUFFIX] = codes.map(lambda c, names=names: names.get(c, c))
    out[VALUE] = frame[VALUE].astype("float64")
    out[STATUS] = frame[STATUS].astype(str)
    return pd.DataFrame(out)


class PxWeb1Client(PxWebClient):
    """A PxWeb API v1 client: PxWebClient's selections, splitting, rate limit, retries and errors over v1's calls.

    `response_format` is what data calls ask for: JSON-stat 1.0 (default), JSON-stat 2.0 or PxWeb's JSON.
    """

    def __init__(self, base_url: str, *, response_format: str = JSONSTAT1, **options: Any) -> None:
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(f"response_format must be one of {RESPONSE_FORMATS}")
        super().__init__(base_url, **options)
        self.response_format = response_format

    API = "PxWeb API v1"

    def _config_url(self) -> str:
        """Where a v1 API states its limits: the base address with ?config."""
        return f"{self.base_url}?config"

    def _limits_from(self, config: Mapping[str, Any]) -> ApiLimits:
        """The limits a v1 config states (maxValues, maxCalls, timeWindow)."""
        return limits_v1(config)

    def metadata(self, table_id: str, lang: str = "sv") -> TableMetadata:
        """A table's variables and codes from GET {base}/{table} (read once; the language is in the base address)."""
        key = (table_id, "")
        if key not in self._metadata:
            url = table_url(self.base_url, table_id)
            self._metadata[key] = table_metadata_v1(table_id, decode_json(self._get(url), url), url)
        return self._metadata[key]

    def _part(self, table_id: str, part: Mapping[str, Sequence[str]], lang: str) -> tuple[pd.DataFrame, str]:
        """One POST for a resolved part of a selection: its cells as a frame and the call's address and selection."""
        url = table_url(self.base_url, table_id)
        address = posted_address(url, part)
        try:
            raw = self._post(url, query_body(part, self.response_format))
        except HttpClientError as err:
            if err.status != 403:
                raise
            # v1 answers 403 when a call asks for more cells than maxValues.
            message = (
                f"PxWeb-servern nekade frågan (HTTP 403): den ber om fler celler än servern tillåter. Adress: {address}"
            )
            raise HttpClientError(message, address, 403) from None
        body = decode_json(raw, address)
        if self.response_format == JSON:
            return parse_json_v1(body, self.metadata(table_id), address), address
        try:
            return parse_jsonstat(jsonstat2_dataset(body)), address
        except JsonStatError as err:
            raise InvalidResponseError(f"{err} Adress: {address}", address) from None
