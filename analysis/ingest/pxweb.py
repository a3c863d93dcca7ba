"""A small client for PxWeb API v2 (SCB's Statistikdatabasen and others): config, table metadata and data as frames.

Standard library only (urllib). Every call waits its turn under the API's maxCallsPerTimeWindow, 429 and 5xx are
retried with exponential backoff (Retry-After honoured), and a failure raises a FetchError whose Swedish message names
the address. A data selection is checked against the table's metadata before any data call, its expressions (`*`,
`01*`, `?`, `top(n)`, `bottom(n)`, `from(c)`, `to(c)`, `range(a,b)`) resolved to codes, and split so that no call
asks for more than maxDataCells cells; the parts are fetched as JSON-stat 2 and concatenated. A part whose GET
address would pass the documented limit of 2 100 characters is asked by POST with the selection as JSON instead.
PxWeb API v1 (analysis/ingest/pxweb1.py) builds on the same client, selections and errors.
"""

from __future__ import annotations

import http.client
import json
import math
import re
import socket
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, cast
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd

from analysis.ingest.jsonstat import JsonStatError, dimensions, parse_jsonstat, parse_time_code

SCB_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
# 429 and the transient 5xx are retried; 501 (not implemented) and 505 would fail the same way again.
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})
HEADERS = {"Accept": "application/json, */*;q=0.5", "User-Agent": "segdash-pxweb/1 (Python urllib)"}
# The longest GET address PxWebApi 2 documents; a longer data call is sent as POST with the selection as JSON.
MAX_GET_URL = 2_100


# --- errors ---------------------------------------------------------------------------------------------------------


class FetchError(Exception):
    """A call to the statistics API failed; the message is Swedish and ends with the address."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class NetworkError(FetchError):
    """No connection: no network, an unknown host name (DNS) or a refused connection."""


class FetchTimeoutError(FetchError):
    """The server did not answer within the timeout."""


class HttpClientError(FetchError):
    """The server refused the call (HTTP 4xx): a table or code that no longer exists, or too many calls."""

    def __init__(self, message: str, url: str, status: int) -> None:
        super().__init__(message, url)
        self.status = status


class ServerError(FetchError):
    """The server failed (HTTP 5xx), still after the retries."""

    def __init__(self, message: str, url: str, status: int) -> None:
        super().__init__(message, url)
        self.status = status


class InvalidResponseError(FetchError):
    """The answer is not JSON, or not the JSON (config, JSON-stat) that was asked for."""


class EmptyResultError(FetchError):
    """The answer holds no values."""


class SelectionError(FetchError):
    """The selection does not fit the table's metadata (unknown variable or code, bad expression); no data was asked."""


def _host(url: str) -> str:
    """The host name of an address, for messages."""
    return urlsplit(url).hostname or url


def network_error(url: str, reason: object) -> NetworkError:
    """The error for a call that got no answer through: unknown host (DNS), refused, or a connection that broke."""
    host = _host(url)
    if isinstance(reason, socket.gaierror):
        what = f"Värdnamnet {host} kunde inte slås upp: adressen finns inte eller datorn saknar nätverk"
    elif isinstance(reason, ConnectionRefusedError):
        what = f"Servern {host} nekade anslutningen: tjänsten är nere eller adressen har fel port"
    else:
        what = f"Förbindelsen med {host} kunde inte upprättas eller bröts: kontrollera nätverket och adressen"
    return NetworkError(f"{what}. Adress: {url}", url)


def http_error(url: str, status: int, attempts: int = 1) -> FetchError:
    """The error for an HTTP error status that is not (or no longer) retried, worded after the status."""
    host = _host(url)
    tries = f" efter {attempts} försök" if attempts > 1 else ""
    if status >= 500:
        message = f"Serverfel hos {host} (HTTP {status}){tries}. Försök igen senare. Adress: {url}"
        return ServerError(message, url, status)
    if status in (400, 404):
        message = (
            f"Tabellen eller en kod finns inte längre hos {host} (HTTP {status}): tabellen kan ha ändrats, bytt id "
            f"eller tagits bort. Kontrollera tabellen och urvalet. Adress: {url}"
        )
    elif status == 429:
        message = f"För många anrop till {host} (HTTP 429){tries}: servern begränsar antalet anrop. Försök igen senare. Adress: {url}"
    elif status in (401, 403):
        message = f"{host} nekade åtkomst (HTTP {status}). Adress: {url}"
    else:
        message = f"{host} avvisade anropet (HTTP {status}). Adress: {url}"
    return HttpClientError(message, url, status)


# --- retries and rate limit (pure, testable without a network) -------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class Retry:
    """When to call again and after how long: 429 and 5xx, backoff doubling per retry, Retry-After honoured."""

    max_retries: int = 3
    backoff: float = 1.0
    max_delay: float = 60.0
    statuses: frozenset[int] = RETRY_STATUSES

    def delay(
        self, status: int, retries: int, retry_after: str | None = None, now: datetime | None = None
    ) -> float | None:
        """Seconds to wait before the next call after a status, `retries` retries in; None: give up now."""
        if status not in self.statuses or retries >= self.max_retries:
            return None
        asked = parse_retry_after(retry_after, now)
        if asked is None:
            return min(self.backoff * 2**retries, self.max_delay)
        # A server asking for a longer pause than we are willing to wait: fail now rather than hang the page.
        return asked if asked <= self.max_delay else None


class RateLimiter:
    """At most max_calls calls in any time_window seconds: wait() sleeps until the next call may go."""

    def __init__(
        self,
        max_calls: int,
        time_window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls = max(1, max_calls)
        self.time_window = max(0.0, time_window)
        self._clock = clock
        self._sleep = sleep
        self._calls: deque[float] = deque()

    def configure(self, max_calls: int, time_window: float) -> None:
        """Apply the limits the API's config states."""
        self.max_calls = max(1, max_calls)
        self.time_window = max(0.0, time_window)

    def wait(self) -> float:
        """Sleep until one more call fits in the window, note the call, and return the seconds slept."""
        slept = 0.0
        # Never before the last call noted: a clock that stands still (or a coarse one) cannot crowd the window.
        now = max(self._clock(), self._calls[-1]) if self._calls else self._clock()
        while len(self._calls) >= self.max_calls:
            oldest = self._calls[0]
            if now - oldest < self.time_window:
                pause = self.time_window - (now - oldest)
                self._sleep(pause)
                slept += pause
                # The window has passed even if a test's clock (or a coarse one) has not moved.
                now = max(self._clock(), oldest + self.time_window)
            self._calls.popleft()
        self._calls.append(now)
        return slept


@dataclass(frozen=True)
class ApiLimits:
    """What an API's config allows: cells per data call, and calls per time window (seconds)."""

    max_data_cells: int
    max_calls: int
    time_window: float


# Used when the config leaves a limit out: small enough for any PxWeb installation (SCB allows 150 000 and 30/10 s).
DEFAULT_LIMITS = ApiLimits(max_data_cells=10_000, max_calls=10, time_window=10.0)


def api_limits(config: object) -> ApiLimits:
    """The limits from a parsed GET /config answer, each one missing or invalid replaced by its safe default."""
    body = config if isinstance(config, Mapping) else {}

    def positive(key: str, default: float) -> Any:
        """The config's value for key when a positive finite number (JSON may say Infinity), else the default."""
        value = body.get(key)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < math.inf
        return value if ok else default

    return ApiLimits(
        max_data_cells=int(positive("maxDataCells", DEFAULT_LIMITS.max_data_cells)),
        max_calls=int(positive("maxCallsPerTimeWindow", DEFAULT_LIMITS.max_calls)),
        time_window=float(positive("timeWindow", DEFAULT_LIMITS.time_window)),
    )


# --- metadata and selections (pure) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """One variable of a table: id, label, its codes and their labels in the table's order, how it may be left out."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    elimination: bool
    is_time: bool


@dataclass(frozen=True)
class TableMetadata:
    """A table's id and title and its variables in the table's order, as GET /tables/{id}/metadata describes them."""

    table_id: str
    label: str
    variables: tuple[Variable, ...]
    url: str

    def variable(self, name: str) -> Variable | None:
        """The variable of this id (exact, else ignoring case), or None."""
        found = _lookup(name, [v.id for v in self.variables])
        return next((v for v in self.variables if v.id == found), None)


def table_metadata(table_id: str, dataset: object, url: str) -> TableMetadata:
    """A table's metadata from its JSON-stat 2 metadata answer; raises InvalidResponseError when malformed."""
    try:
        dims = dimensions(dataset)
    except JsonStatError as err:
        raise InvalidResponseError(f"Tabellens metadata gick inte att läsa. {err} Adress: {url}", url) from None
    body = cast(Mapping[str, Any], dataset)  # dimensions() has checked that it is an object
    role = body.get("role") if isinstance(body.get("role"), Mapping) else {}
    time_ids = role.get("time") if isinstance(role.get("time"), list) else []
    variables = []
    for dim in dims:
        extension = body["dimension"][dim.id].get("extension")
        elimination = bool(extension.get("elimination", False)) if isinstance(extension, Mapping) else False
        # Without a time role, SCB's name for time ('Tid') still marks it (top(n) then means the latest n).
        is_time = dim.id in time_ids or (not time_ids and dim.id.casefold() == "tid")
        variables.append(Variable(dim.id, dim.label, dim.codes, dim.labels, elimination, is_time))
    return TableMetadata(table_id, str(body.get("label", table_id)), tuple(variables), url)


def _lookup(name: str, options: Sequence[str]) -> str | None:
    """The option equal to name, else the one equal ignoring case (PxWeb matches codes so), else None."""
    if name in options:
        return name
    folded = name.casefold()
    return next((o for o in options if o.casefold() == folded), None)


_COUNT = re.compile(r"(top|bottom)\(\s*([1-9]\d*)\s*(?:,\s*(\d+)\s*)?\)", re.IGNORECASE)
_ONE_CODE = re.compile(r"(from|to)\((.+)\)", re.IGNORECASE)
_RANGE = re.compile(r"range\(([^,]+),([^,]+)\)", re.IGNORECASE)


def _wildcard(pattern: str) -> re.Pattern[str] | None:
    """The regex for a PxWeb wildcard ('*' alone, first and/or last; '?' one character), None when not allowed."""
    inner = pattern.removeprefix("*").removesuffix("*")
    if "*" in inner:  # a star inside, or more than two
        return None
    lead = ".*" if pattern.startswith("*") else ""
    tail = ".*" if pattern.endswith("*") else ""
    return re.compile(lead + re.escape(inner).replace(r"\?", ".") + tail, re.IGNORECASE)


def _resolve_item(item: str, var: Variable, meta: TableMetadata) -> list[str]:
    """The codes one selection item stands for: a code, a wildcard or an expression; raises SelectionError."""
    where = f"i variabeln {var.id} i tabellen {meta.table_id}"
    codes = list(var.codes)

    def index_of(code: str) -> int:
        """The position of a code in the variable, or a SelectionError naming it."""
        found = _lookup(code.strip(), codes)
        if found is None:
            raise SelectionError(f"Koden {code.strip()} finns inte {where}. Adress: {meta.url}", meta.url)
        return codes.index(found)

    if item in codes:
        return [item]
    if (match := _COUNT.fullmatch(item)) is not None:
        kind, count, offset = match.group(1).lower(), int(match.group(2)), int(match.group(3) or 0)
        # top(n) is the first n codes, but for time the latest n; bottom(n) the other end.
        from_end = (kind == "top") == var.is_time
        ordered = codes[::-1] if from_end else codes
        return ordered[offset : offset + count]
    if (match := _ONE_CODE.fullmatch(item)) is not None:
        if var.is_time and re.fullmatch(r"\d{4}", match.group(2)) and _lookup(match.group(2), codes) is None:
            # 'från 2015' in a table of months or quarters: every period of that year and after (or up to it).
            year, before = int(match.group(2)), match.group(1).lower() == "to"
            years = [(c, parse_time_code(c)) for c in codes]
            return [c for c, t in years if t is not None and (t.year <= year if before else t.year >= year)]
        at = index_of(match.group(2))
        return codes[at:] if match.group(1).lower() == "from" else codes[: at + 1]
    if (match := _RANGE.fullmatch(item)) is not None:
        first, last = sorted((index_of(match.group(1)), index_of(match.group(2))))
        return codes[first : last + 1]
    if "*" in item or "?" in item:
        pattern = _wildcard(item)
        if pattern is None:
            raise SelectionError(f"Uttrycket {item} går inte att tolka {where}. Adress: {meta.url}", meta.url)
        return [c for c in codes if pattern.fullmatch(c)]
    if "(" in item and item.endswith(")"):
        raise SelectionError(f"Uttrycket {item} går inte att tolka {where}. Adress: {meta.url}", meta.url)
    return [codes[index_of(item)]]


def resolve_selection(meta: TableMetadata, selection: Mapping[str, Sequence[str] | str]) -> dict[str, list[str]]:
    """The selection as codes per variable, in the table's order; raises SelectionError for what the table lacks.

    Every item is a code or an expression; a variable left out is eliminated when the table allows it, taken whole
    when it has one code only (ContentsCode often), and otherwise an error.
    """
    chosen: dict[str, set[str]] = {}
    for name, items in selection.items():
        var = meta.variable(name)
        if var is None:
            names = ", ".join(v.id for v in meta.variables)
            message = f"Variabeln {name} finns inte i tabellen {meta.table_id} (den har {names}). Adress: {meta.url}"
            raise SelectionError(message, meta.url)
        codes: set[str] = set()
        for item in [items] if isinstance(items, str) else items:
            found = _resolve_item(str(item).strip(), var, meta)
            if not found:
                message = f"Uttrycket {item} ger ingen kod i variabeln {var.id} i tabellen {meta.table_id}. Adress: {meta.url}"
                raise SelectionError(message, meta.url)
            codes.update(found)
        if not codes:
            raise SelectionError(
                f"Ingen kod vald i variabeln {var.id} i tabellen {meta.table_id}. Adress: {meta.url}", meta.url
            )
        chosen[var.id] = codes
    resolved: dict[str, list[str]] = {}
    for var in meta.variables:
        if var.id in chosen:
            resolved[var.id] = [c for c in var.codes if c in chosen[var.id]]
        elif len(var.codes) == 1:
            resolved[var.id] = list(var.codes)
        elif not var.elimination:
            message = (
                f"Variabeln {var.id} ({var.label}) måste väljas i tabellen {meta.table_id}: den kan inte utelämnas. "
                f"Adress: {meta.url}"
            )
            raise SelectionError(message, meta.url)
    return resolved


def cell_count(selection: Mapping[str, Sequence[str]]) -> int:
    """The number of cells a selection asks for: the product of its code counts."""
    return math.prod(len(codes) for codes in selection.values())


def split_selection(selection: Mapping[str, Sequence[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """The selection cut into parts of at most max_cells cells each, along its largest variable first."""
    if max_cells < 1:
        raise ValueError("max_cells must be at least 1")
    whole = {var: list(codes) for var, codes in selection.items()}
    cells = cell_count(whole)
    if cells <= max_cells or not whole:
        return [whole]
    largest = max(whole, key=lambda var: len(whole[var]))
    codes = whole[largest]
    rest = cells // len(codes)
    # As many codes of the largest variable as fit beside the others; one at a time (and cut further) if none fit.
    step = max(1, max_cells // rest)
    parts: list[dict[str, list[str]]] = []
    for start in range(0, len(codes), step):
        parts.extend(split_selection({**whole, largest: codes[start : start + step]}, max_cells))
    return parts


def data_endpoint(base_url: str, table_id: str) -> str:
    """A table's data endpoint without a query ({base}/tables/{id}/data): what every data call starts with."""
    return f"{base_url.rstrip('/')}/tables/{quote(table_id, safe='')}/data"


def post_url(base_url: str, table_id: str, lang: str = "sv") -> str:
    """The POST address of a data call: the table's data endpoint with the language and JSON-stat 2 as output."""
    return f"{data_endpoint(base_url, table_id)}?{urlencode([('lang', lang), ('outputFormat', 'json-stat2')])}"


def data_url(base_url: str, table_id: str, selection: Mapping[str, Sequence[str]], lang: str = "sv") -> str:
    """The GET address of a data call: the POST address and valueCodes[VAR]=code1,code2 per variable."""
    codes = [(f"valueCodes[{var}]", ",".join(values)) for var, values in selection.items()]
    query = urlencode(codes, quote_via=quote, safe=",")
    return f"{post_url(base_url, table_id, lang)}&{query}" if codes else post_url(base_url, table_id, lang)


def post_selection(selection: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The JSON body of a POST data call (PxWebApi 2's VariablesSelection): variableCode and valueCodes per variable."""
    return {"selection": [{"variableCode": var, "valueCodes": list(codes)} for var, codes in selection.items()]}


def selection_text(selection: Mapping[str, Sequence[str]]) -> str:
    """A selection as the sheet Hämtningar writes one ('Region=01,03; Tid=2024'): how a POST call is named."""
    return "; ".join(f"{var}={','.join(codes)}" for var, codes in selection.items())


def posted_address(url: str, selection: Mapping[str, Sequence[str]]) -> str:
    """How messages and sources name a POST call, which has no query in its address: the address and the selection."""
    return f"{url} (POST {selection_text(selection)})"


# --- the client ------------------------------------------------------------------------------------------------------


def encoded_address(url: str) -> str:
    """An address as urllib can send it, without a trailing slash: 'Linköping' as 'Link%C3%B6ping', %xx kept."""
    return quote(url.strip().rstrip("/"), safe=":/?&=%#@!$'()*+,;[]~")


def decode_json(body: bytes, url: str) -> Any:
    """The parsed JSON of an answer; raises InvalidResponseError when it is not JSON."""
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        message = (
            f"Svaret från {_host(url)} är inte giltig JSON (kanske en felsida eller en annan tjänst). Adress: {url}"
        )
        raise InvalidResponseError(message, url) from None


class ApiClient:
    """A GET client for a statistics API (PxWeb, Kolada): timeouts, retries of 429 and 5xx, Swedish errors.

    `timeout` bounds each wait on the socket (connecting, and each read), not a whole call.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30,
        max_retries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise FetchError(f"Adressen {base_url} är inte en http- eller https-adress.", base_url)
        self.base_url = encoded_address(base_url)
        self.timeout = timeout
        self.retry = Retry(max_retries=max_retries, backoff=backoff)
        self._sleep = sleep
        self._opener = opener or urllib.request.build_opener()

    def _before_call(self) -> None:
        """Wait as the API asks before each call (nothing here: see PxWebClient's rate limit)."""

    def _get(self, url: str) -> bytes:
        """The body of a GET, after _before_call; retries 429 and 5xx, raises a FetchError."""
        return self._send(url, None)

    def get_json(self, url: str) -> Any:
        """The parsed JSON of a GET (retried and failing as _get); raises InvalidResponseError when not JSON."""
        return decode_json(self._get(url), url)

    def _post(self, url: str, payload: Mapping[str, Any]) -> bytes:
        """The body of a POST of a JSON payload, after _before_call; retries 429 and 5xx, raises a FetchError."""
        return self._send(url, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    def _send(self, url: str, data: bytes | None) -> bytes:
        """The body of a GET (data None) or a POST of JSON data; retries 429 and 5xx, raises a FetchError."""
        headers = HEADERS if data is None else {**HEADERS, "Content-Type": "application/json; charset=utf-8"}
        retries = 0
        while True:
            self._before_call()
            try:
                request = urllib.request.Request(url, data=data, headers=headers)
                with self._opener.open(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as err:
                retry_after = err.headers.get("Retry-After") if err.headers is not None else None
                err.close()
                delay = self.retry.delay(err.code, retries, retry_after)
                if delay is None:
                    raise http_error(url, err.code, retries + 1) from None
                self._sleep(delay)
                retries += 1
            except urllib.error.URLError as err:
                if isinstance(err.reason, TimeoutError):
                    raise self._timeout(url) from None
                raise network_error(url, err.reason) from None
            except TimeoutError:  # waiting for the answer's head or body, outside urllib's wrapping
                raise self._timeout(url) from None
            except (http.client.HTTPException, OSError) as err:  # the connection broke mid-answer
                raise network_error(url, err) from None

    def _timeout(self, url: str) -> FetchTimeoutError:
        """The error for a call that got no answer in time."""
        return FetchTimeoutError(
            f"Inget svar från {_host(url)} inom {self.timeout:g} sekunder. Försök igen senare. Adress: {url}", url
        )


class PxWebClient(ApiClient):
    """A PxWeb API v2 client: config, metadata and data, rate limited, retried, and failing with Swedish messages.

    The config and each table's metadata are read once per client and kept. `clock` (with ApiClient's `sleep`)
    drives the rate limit; the other options are ApiClient's.
    """

    def __init__(self, base_url: str, *, clock: Callable[[], float] = time.monotonic, **options: Any) -> None:
        super().__init__(base_url, **options)
        limits = DEFAULT_LIMITS
        self._limiter = RateLimiter(limits.max_calls, limits.time_window, clock=clock, sleep=self._sleep)
        self._limits: ApiLimits | None = None
        self._metadata: dict[tuple[str, str], TableMetadata] = {}

    def _before_call(self) -> None:
        """Wait for the API's rate limit (maxCallsPerTimeWindow per timeWindow from its config)."""
        self._limiter.wait()

    API = "PxWeb API v2"  # how messages name the API

    def _config_url(self) -> str:
        """Where the API states its limits."""
        return f"{self.base_url}/config"

    def _limits_from(self, config: Mapping[str, Any]) -> ApiLimits:
        """The limits a parsed config answer states."""
        return api_limits(config)

    def config(self) -> ApiLimits:
        """The API's limits from its config (read once), with safe defaults for any it leaves out."""
        if self._limits is None:
            url = self._config_url()
            try:
                raw = self._get(url)
            except HttpClientError as err:
                if err.status != 404:
                    raise
                message = f"Hittade ingen {self.API} på {self.base_url}: config saknas (HTTP 404). Kontrollera adressen. Adress: {url}"
                raise HttpClientError(message, url, 404) from None
            body = decode_json(raw, url)
            if not isinstance(body, Mapping):
                raise InvalidResponseError(f"Svaret på config är inte ett JSON-objekt. Adress: {url}", url)
            self._limits = self._limits_from(body)
            self._limiter.configure(self._limits.max_calls, self._limits.time_window)
        return self._limits

    def metadata(self, table_id: str, lang: str = "sv") -> TableMetadata:
        """A table's variables and codes from GET {base}/tables/{id}/metadata (read once per table and language)."""
        key = (table_id, lang)
        if key not in self._metadata:
            query = urlencode([("lang", lang), ("outputFormat", "json-stat2")])
            url = f"{self.base_url}/tables/{quote(table_id, safe='')}/metadata?{query}"
            self._metadata[key] = table_metadata(table_id, decode_json(self._get(url), url), url)
        return self._metadata[key]

    def data(
        self, table_id: str, selection: Mapping[str, Sequence[str] | str], lang: str = "sv"
    ) -> tuple[pd.DataFrame, list[str]]:
        """The selected cells as a tidy frame (analysis/ingest/jsonstat.py) and the addresses of the data calls made.

        The selection is checked and resolved against the metadata first, then split under maxDataCells.
        """
        limits = self.config()
        meta = self.metadata(table_id, lang)
        resolved = resolve_selection(meta, selection)
        frames, urls = [], []
        for part in split_selection(resolved, limits.max_data_cells):
            frame, address = self._part(table_id, part, lang)
            frames.append(frame)
            urls.append(address)
        frame = pd.concat(frames, ignore_index=True)
        if frame.empty or frame["value"].isna().all():
            what = "svaret var tomt" if frame.empty else "alla värden saknas"
            message = f"Urvalet gav inga värden ur tabellen {table_id} ({what}). Adress: {urls[0]}"
            raise EmptyResultError(message, urls[0])
        return frame, urls

    def _part(self, table_id: str, part: Mapping[str, Sequence[str]], lang: str) -> tuple[pd.DataFrame, str]:
        """One data call for a resolved part of a selection: its cells as a frame and how the call is named."""
        url = data_url(self.base_url, table_id, part, lang)
        if len(url) <= MAX_GET_URL:
            body, address = self._get(url), url
        else:
            url = post_url(self.base_url, table_id, lang)
            body, address = self._post(url, post_selection(part)), posted_address(url, part)
        try:
            return parse_jsonstat(decode_json(body, address)), address
        except JsonStatError as err:
            raise InvalidResponseError(f"{err} Adress: {address}", address) from None
