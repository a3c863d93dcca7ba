"""A local PxWeb API v2 for tests: SCB's recorded answers for table TAB6471 over real HTTP, and failures on demand.

Recorded, served byte for byte from /work/shared/reference/pxweb/v2/:
- GET /tables (tables.json) and GET /tables?query=befolkning (search.json); another query gets the tables of both,
  and TAB6471 as its metadata describes it, whose titles hold its words (derived);
- GET /config (unless a test overrides a key, e.g. maxDataCells: then the recorded config with that key changed);
- GET /tables/TAB6471/metadata;
- GET /tables/TAB6471/data for exactly the recorded selection: the 21 counties × the 11 ten-year age groups
  (0-9 … 100+10) × TotSa, 1, 2 × 000007SF × 2026M01–2026M04 (2 772 cells).
Derived: any other data selection inside the recorded codes is cut from the recorded data answer (the same values
and top-level fields, fewer categories); Kon left out is eliminated to its recorded eliminationValueCode (TotSa).
A data call POSTed with its selection as JSON ({"selection": [{"variableCode", "valueCodes"}]}, PxWebApi 2's
VariablesSelection) is answered as the same GET would be.
Hand-made: the 404 and 400 problem bodies, the empty dataset (the recorded one with no months), the invalid JSON
and non-JSON-stat bodies, and 429/5xx/slow/cut-off answers programmed by a test.

    with serve_pxweb() as server:
        client = PxWebClient(server.base_url)
        server.too_many_requests(retry_after="2")   # the next data call gets 429, the one after it the data
        ...
        server.calls("data")                        # what was asked, in order
"""

from __future__ import annotations

import copy
import json
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import numpy as np

REFERENCE = Path("/work/shared/reference/pxweb/v2")
TABLE = "TAB6471"
SEARCH_QUERY = "befolkning"  # what search.json was recorded for (its self link: query=befolkning)
PREFIX = "/api/v2"
RECORDED, DERIVED, PROGRAMMED, REFUSED = "recorded", "derived", "programmed", "refused"


@dataclass
class Call:
    """One request the server received: its path below /api/v2, its query, and how it was answered."""

    path: str
    query: dict[str, str]
    endpoint: str
    answer: str = ""
    status: int = 0
    method: str = "GET"

    def codes(self, variable: str) -> list[str]:
        """The codes asked for one variable (valueCodes[variable]=a,b), [] when the variable was left out."""
        raw = self.query.get(f"valueCodes[{variable}]")
        return raw.split(",") if raw else []

    def selection(self) -> dict[str, list[str]]:
        """Every valueCodes[...] of the request as codes per variable."""
        return {k[len("valueCodes[") : -1]: v.split(",") for k, v in self.query.items() if k.startswith("valueCodes[")}


@dataclass
class Rule:
    """A programmed answer for an endpoint: a status and body (or None: the normal answer), after a delay."""

    endpoint: str
    status: int | None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stall_body: bool = False
    cut_body: bool = False
    times: int | None = 1  # None: every call


def problem(status: int, title: str) -> bytes:
    """A hand-made problem body (RFC 7807, as PxWebApi answers errors)."""
    return json.dumps({"type": "about:blank", "title": title, "status": status}).encode()


def subset(dataset: dict[str, Any], selection: dict[str, list[str]]) -> dict[str, Any] | None:
    """The recorded dataset cut to a selection, or None when it asks for a code the recording does not hold.

    Categories keep the recorded order; a variable left out is dropped at its eliminationValueCode, when it has one.
    """
    ids, sizes = dataset["id"], dataset["size"]
    positions: list[list[int]] = []
    kept: list[str] = []
    for dim_id in ids:
        index: dict[str, int] = dataset["dimension"][dim_id]["category"]["index"]
        if dim_id in selection:
            if not set(selection[dim_id]) <= set(index):
                return None
            positions.append(sorted(index[c] for c in selection[dim_id]))
            kept.append(dim_id)
        else:
            code = dataset["dimension"][dim_id].get("extension", {}).get("eliminationValueCode")
            if code not in index:
                return None
            positions.append([index[code]])
    values = np.array(dataset["value"], dtype=object).reshape(sizes)
    cut = values[np.ix_(*positions)].reshape([len(p) for p, d in zip(positions, ids) if d in kept])
    out = copy.deepcopy({k: v for k, v in dataset.items() if k not in ("dimension", "value", "size", "id", "status")})
    out["id"] = kept
    out["size"] = [len(p) for p, d in zip(positions, ids) if d in kept]
    out["dimension"] = {}
    for dim_id, where in zip(ids, positions):
        if dim_id not in kept:
            continue
        dim = copy.deepcopy(dataset["dimension"][dim_id])
        codes = [c for c, _ in sorted(dim["category"]["index"].items(), key=lambda item: item[1])]
        chosen = [codes[p] for p in where]
        dim["category"]["index"] = {c: i for i, c in enumerate(chosen)}
        for key in ("label", "unit"):
            if key in dim["category"]:
                dim["category"][key] = {c: v for c, v in dim["category"][key].items() if c in chosen}
        out["dimension"][dim_id] = dim
    out["value"] = cut.ravel().tolist()
    return out


def empty_dataset(dataset: dict[str, Any]) -> dict[str, Any]:
    """The recorded dataset with no months: every dimension kept, zero cells (a hand-made empty answer)."""
    out = copy.deepcopy(dataset)
    out["dimension"]["Tid"]["category"] = {"index": {}, "label": {}}
    out["size"] = [0 if d == "Tid" else s for d, s in zip(out["id"], out["size"])]
    out["value"] = []
    return out


class ProgrammedFake:
    """What every fake PxWeb keeps: programmed rules, the calls received, and how tests program failures."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.received: list[Any] = []
        self.base_url = ""
        self.closing = threading.Event()
        self._lock = threading.Lock()

    def error_body(self, status: int, title: str) -> bytes:
        """The body of a programmed error: a problem body, as PxWebApi 2 answers errors."""
        return problem(status, title)

    def program(self, rule: Rule) -> None:
        """Answer the next matching calls (rule.times of them, or all) as the rule says."""
        with self._lock:
            self.rules.append(rule)

    def too_many_requests(self, times: int | None = 1, retry_after: str | None = "0", endpoint: str = "data") -> None:
        """HTTP 429 (with Retry-After unless None) for the next calls, then the normal answer."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.program(Rule(endpoint, 429, self.error_body(429, "Too Many Requests"), headers, times=times))

    def server_error(self, times: int | None = None, endpoint: str = "data", status: int = 500) -> None:
        """HTTP 500 (or another status) for the next calls; by default for every call."""
        self.program(Rule(endpoint, status, self.error_body(status, "Internal Server Error"), times=times))

    def slow(self, seconds: float, times: int | None = None, endpoint: str = "data", stall_body: bool = False) -> None:
        """Wait before answering (before the head, or after it with stall_body), then answer normally."""
        self.program(Rule(endpoint, None, delay=seconds, stall_body=stall_body, times=times))

    def invalid_json(self, times: int | None = None, endpoint: str = "data") -> None:
        """HTTP 200 with an HTML page instead of JSON."""
        self.program(Rule(endpoint, 200, "<html><body>Underhåll pågår</body></html>".encode(), times=times))

    def calls(self, endpoint: str | None = None) -> list[Any]:
        """The calls received (to one endpoint: 'config', 'metadata', 'data'), in order."""
        with self._lock:
            return [c for c in self.received if endpoint is None or c.endpoint == endpoint]

    def _rule_for(self, endpoint: str) -> Rule | None:
        """The first programmed rule for an endpoint that still applies, counted down."""
        with self._lock:
            for rule in self.rules:
                if rule.endpoint == endpoint and rule.times != 0:
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None


class FakePxWeb(ProgrammedFake):
    """The state behind the server: recorded answers, overrides, programmed rules and the calls received."""

    def __init__(self) -> None:
        super().__init__()
        self.config_bytes = (REFERENCE / "config.json").read_bytes()
        self.metadata_bytes = (REFERENCE / f"{TABLE}_metadata.json").read_bytes()
        self.data_bytes = (REFERENCE / f"{TABLE}_data.json").read_bytes()
        self.metadata = json.loads(self.metadata_bytes)
        self.data = json.loads(self.data_bytes)
        self.config_overrides: dict[str, Any] = {}
        self.tables_bytes = (REFERENCE / "tables.json").read_bytes()
        self.search_bytes = (REFERENCE / "search.json").read_bytes()

    # --- what tests program (beyond ProgrammedFake's) ---

    def cut_off(self, times: int | None = None, endpoint: str = "data") -> None:
        """The normal answer's head and half its body, then the connection closes."""
        self.program(Rule(endpoint, None, cut_body=True, times=times))

    def not_jsonstat(self, times: int | None = None, endpoint: str = "data") -> None:
        """HTTP 200 with JSON that is not a JSON-stat dataset."""
        self.program(Rule(endpoint, 200, json.dumps({"tables": []}).encode(), times=times))

    def empty(self, times: int | None = None) -> None:
        """HTTP 200 with a JSON-stat dataset of zero cells."""
        self.program(Rule("data", 200, json.dumps(empty_dataset(self.data)).encode(), times=times))

    # --- answering ---

    def config_body(self) -> bytes:
        """The recorded config, with the test's overrides (None removes a key)."""
        if not self.config_overrides:
            return self.config_bytes
        config = json.loads(self.config_bytes)
        for key, value in self.config_overrides.items():
            if value is None:
                config.pop(key, None)
            else:
                config[key] = value
        return json.dumps(config).encode()

    def own_entry(self) -> dict[str, Any]:
        """TAB6471 as a table list names it, derived from its recorded metadata (id, title, periods, variables)."""
        times = list(self.metadata["dimension"]["Tid"]["category"]["index"])
        names = [self.metadata["dimension"][d]["label"] for d in self.metadata["id"]]
        return {
            "id": TABLE,
            "label": self.metadata["label"],
            "firstPeriod": times[0],
            "lastPeriod": times[-1],
            "updated": self.metadata.get("updated", ""),
            "variableNames": names,
        }

    def table_list(self, query: str | None) -> bytes:
        """The recorded table list (no query) or search (query=befolkning); another query is answered by the
        recorded tables of both whose title holds every word of it (derived), in the recorded shape."""
        if not query:
            return self.tables_bytes
        if query.strip().casefold() == SEARCH_QUERY:
            return self.search_bytes
        words = query.casefold().split()
        listed = json.loads(self.tables_bytes)["tables"] + json.loads(self.search_bytes)["tables"] + [self.own_entry()]
        found = [t for t in listed if all(w in t["label"].casefold() for w in words)]
        page = {"pageNumber": 1, "pageSize": 20, "totalElements": len(found), "totalPages": 1, "links": []}
        return json.dumps({"language": "sv", "tables": found[:20], "page": page, "links": []}).encode()

    def answer(self, call: Call) -> tuple[int, bytes]:
        """The normal answer to a call: recorded, derived or refused as the real API would."""
        parts = call.path.strip("/").split("/")
        if parts == ["config"]:
            return 200, self.config_body()
        if parts == ["tables"]:
            return 200, self.table_list(call.query.get("query"))
        if len(parts) != 3 or parts[0] != "tables" or parts[2] not in ("metadata", "data"):
            return 404, problem(404, "Not Found")
        if parts[1].upper() != TABLE:
            return 404, problem(404, "Non-existent table")
        if parts[2] == "metadata":
            return 200, self.metadata_bytes
        selection = call.selection()
        dims = self.metadata["dimension"]
        for var, codes in selection.items():
            if var not in dims:
                return 400, problem(400, "Non-existent variable")
            if not set(codes) <= set(dims[var]["category"]["index"]):
                return 400, problem(400, "Non-existent value")
        recorded = {d: set(self.data["dimension"][d]["category"]["index"]) for d in self.data["id"]}
        if {var: set(codes) for var, codes in selection.items()} == recorded:
            return 200, self.data_bytes
        cut = subset(self.data, selection)
        if cut is None:  # a selection the recording cannot answer: a limit of this fixture, not of the client
            return 501, problem(501, "Not in the recorded fixture")
        return 200, json.dumps(cut).encode()


def posted_query(body: bytes) -> dict[str, str] | None:
    """A POSTed VariablesSelection as the valueCodes[...] query a GET would carry, None when it is not one."""
    try:
        parsed = json.loads(body.decode("utf-8"))
        return {f"valueCodes[{s['variableCode']}]": ",".join(s["valueCodes"]) for s in parsed["selection"]}
    except (ValueError, KeyError, TypeError):
        return None


class _Handler(BaseHTTPRequestHandler):
    """Answers GETs, and POSTs of a data selection, from the FakePxWeb of its server."""

    server: FixtureServer

    def do_POST(self) -> None:
        """A data call with its selection as JSON: answered as the same GET would be (400 when not a selection)."""
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        selection = posted_query(body)
        if selection is None:
            self.send_response(400)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.do_GET(selection, "POST")

    def do_GET(self, posted: dict[str, str] | None = None, method: str = "GET") -> None:
        """Record the call, then answer it as programmed or normally."""
        fake = self.server.fake
        split = urlsplit(self.path)
        path = split.path.removeprefix(PREFIX)
        endpoint = path.rstrip("/").rsplit("/", 1)[-1] or "root"
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        call = Call(path, {**query, **(posted or {})}, endpoint, method=method)
        with fake._lock:
            fake.received.append(call)
        rule = fake._rule_for(endpoint)
        headers: dict[str, str] = {}
        if rule is not None and rule.delay and not rule.stall_body:
            fake.closing.wait(rule.delay)
        if rule is not None and rule.status is not None:
            status, body, headers = rule.status, rule.body, rule.headers
            call.answer = PROGRAMMED
        else:
            status, body = fake.answer(call)
            recorded = (fake.data_bytes, fake.metadata_bytes, fake.config_bytes, fake.tables_bytes, fake.search_bytes)
            call.answer = RECORDED if body in recorded else DERIVED
            if status != 200:
                call.answer = REFUSED
        call.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if rule is not None and rule.stall_body:
            self.wfile.write(body[:10])
            self.wfile.flush()
            fake.closing.wait(rule.delay)
            body = body[10:]
        if rule is not None and rule.cut_body:
            body = body[: len(body) // 2]
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


class FixtureServer(ThreadingHTTPServer):
    """A threading HTTP server that carries its fake API and stays quiet when a client hangs up early."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, fake: Any, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.fake = fake

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and hung up is nothing to report; anything else (a bug here) is printed."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def serving(fake: Any, handler: type[BaseHTTPRequestHandler], prefix: str, name: str) -> Iterator[Any]:
    """A fake API served on 127.0.0.1 at a free port in a background thread; its base_url is set here. A fake with
    a `closing` event has it set first, so stalled answers end."""
    server = FixtureServer(fake, handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=name, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        if hasattr(fake, "closing"):
            fake.closing.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_pxweb() -> Iterator[FakePxWeb]:
    """A FakePxWeb served on 127.0.0.1 at a free port in a background thread; base_url ends in /api/v2."""
    with serving(FakePxWeb(), _Handler, PREFIX, "pxweb-fixture") as fake:
        yield fake


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound once, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
