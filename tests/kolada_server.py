"""A local Kolada API v2 for tests: hand-made answers over real HTTP, paging, and failures on demand.

Everything here is hand-made (no recording: this environment has no network), in the shape documented at
https://github.com/Hypergene/kolada (README.rst, "Routes" and "Query data"):
GET /v2/data/kpi/{kpi}/municipality/{ids}[/year/{years}] answers {"count", "values": [{"kpi", "municipality",
"period", "values": [{"gender", "count", "status", "value"}]}], "next_page"}; GET /v2/kpi?title=… answers the key
figures in KPIS whose titles hold the words; at most `per_page` items a page (the
documented default 5000, lowered by a test to force paging), the rest behind next_page (?page=2&per_page=n). The
values in DATA are invented; the null value with a status, the 429/5xx answers and the invalid JSON are programmed.

    with serve_kolada() as server:
        client = KoladaClient(server.base_url)
        server.per_page = 2                          # three items: two pages
        server.too_many_requests(retry_after="0")    # the next call gets 429, the one after it the data
        server.calls()                               # the paths and queries asked, in order
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.pxweb_server import FixtureServer, serving

PREFIX = "/v2"
KPI = "N00914"


def item(municipality: str, period: int, t: float | None, k: float | None, m: float | None) -> dict[str, Any]:
    """One hand-made data object: a municipality's year with its total, women and men."""
    values = [
        {"gender": gender, "count": 1, "status": "", "value": value} for gender, value in (("K", k), ("M", m), ("T", t))
    ]
    return {"kpi": KPI, "municipality": municipality, "period": period, "values": values}


# Invented values of N00914 (share in percent): Linköping 2021–2023, Norrköping 2022. Linköping's women in 2023 are
# null with a status, as the documentation allows ("value": <float> or null).
DATA: list[dict[str, Any]] = [
    item("0580", 2021, 78.1, 76.9, 79.2),
    item("0580", 2022, 79.0, 77.5, 80.4),
    item("0580", 2023, 79.4, None, 80.9),
    item("0581", 2022, 75.0, 73.8, 76.1),
]
DATA[2]["values"][0]["status"] = "Data saknas"


# Key figures as GET /v2/kpi?title=… lists them (the README's object structure); ids and texts invented.
KPIS: list[dict[str, Any]] = [
    {
        "id": KPI,
        "title": "Invånare 20-64 år som förvärvsarbetar, andel (%)",
        "description": "Påhittat nyckeltal för tester.",
        "municipality_type": "K",
        "is_divided_by_gender": 1,
        "operating_area": "Arbetsmarknad",
        "publication_date": "2025-11-20",
        "auspice": "",
        "perspective": "",
        "ou_publication_date": None,
    },
    {
        "id": "N00001",
        "title": "Invånare totalt, antal",
        "description": "Påhittat nyckeltal för tester, inte uppdelat på kön.",
        "municipality_type": "K",
        "is_divided_by_gender": 0,
        "operating_area": "Befolkning",
        "publication_date": None,
        "auspice": "",
        "perspective": "",
        "ou_publication_date": None,
    },
]


@dataclass
class Call:
    """One request the server received: its path below /v2 and its query."""

    path: str
    query: dict[str, str]
    status: int = 0


@dataclass
class Rule:
    """A programmed answer for the next calls: a status, body and headers."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1  # None: every call


class FakeKolada:
    """The state behind the server: the data, the page size, programmed rules and the calls received."""

    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = [dict(i) for i in DATA]
        self.per_page = 5000
        self.rules: list[Rule] = []
        self.received: list[Call] = []
        self.base_url = ""
        self._lock = threading.Lock()

    def program(self, rule: Rule) -> None:
        """Answer the next calls (rule.times of them, or all) as the rule says."""
        with self._lock:
            self.rules.append(rule)

    def too_many_requests(self, times: int | None = 1, retry_after: str | None = "0") -> None:
        """HTTP 429 (with Retry-After unless None) for the next calls, then the normal answer."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        self.program(Rule(429, b"Too Many Requests", headers, times))

    def server_error(self, times: int | None = None, status: int = 500) -> None:
        """HTTP 500 (or another status) for the next calls; by default for every call."""
        self.program(Rule(status, b"Internal Server Error", times=times))

    def invalid_json(self, times: int | None = None) -> None:
        """HTTP 200 with an HTML page instead of JSON."""
        self.program(Rule(200, "<html><body>Underhåll pågår</body></html>".encode(), times=times))

    def not_kolada(self, times: int | None = None) -> None:
        """HTTP 200 with JSON that is not a data answer."""
        self.program(Rule(200, json.dumps({"tables": []}).encode(), times=times))

    def calls(self) -> list[Call]:
        """The calls received, in order."""
        with self._lock:
            return list(self.received)

    def _rule(self) -> Rule | None:
        """The first programmed rule that still applies, counted down."""
        with self._lock:
            for rule in self.rules:
                if rule.times != 0:
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def answer(self, call: Call) -> tuple[int, bytes]:
        """The normal answer: the matching items, one page of them, with next_page when more remain."""
        parts = call.path.strip("/").split("/")
        if parts == ["kpi"]:
            words = call.query.get("title", "").casefold().split()
            found = [k for k in KPIS if all(w in k["title"].casefold() for w in words)]
            return 200, json.dumps({"count": len(found), "values": found}).encode()
        names = parts[0:2] + parts[3:6:2]  # data, kpi, municipality[, year]
        if len(parts) not in (5, 7) or names not in (
            ["data", "kpi", "municipality"],
            ["data", "kpi", "municipality", "year"],
        ):
            return 404, b"Not Found"
        kpis, municipalities = parts[2].split(","), parts[4].split(",")
        years = parts[6].split(",") if len(parts) == 7 else None
        found = [
            i
            for i in self.data
            if i["kpi"] in kpis and i["municipality"] in municipalities and (years is None or str(i["period"]) in years)
        ]
        per_page = int(call.query.get("per_page", self.per_page))
        page = int(call.query.get("page", 1))
        values = found[(page - 1) * per_page : page * per_page]
        body: dict[str, Any] = {"count": len(values), "values": values}
        if page * per_page < len(found):
            body["next_page"] = f"{self.base_url}{call.path}?page={page + 1}&per_page={per_page}"
        if page > 1:
            body["previous_page"] = f"{self.base_url}{call.path}?page={page - 1}&per_page={per_page}"
        return 200, json.dumps(body).encode()


class _Handler(BaseHTTPRequestHandler):
    """Answers GETs from the FakeKolada of its server."""

    server: FixtureServer

    def do_GET(self) -> None:
        """Record the call, then answer it as programmed or normally."""
        fake = self.server.fake
        split = urlsplit(self.path)
        call = Call(split.path.removeprefix(PREFIX), dict(parse_qsl(split.query)))
        with fake._lock:
            fake.received.append(call)
        rule = fake._rule()
        if rule is not None:
            status, body, headers = rule.status, rule.body, rule.headers
        else:
            (status, body), headers = fake.answer(call), {}
        call.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@contextmanager
def serve_kolada() -> Iterator[FakeKolada]:
    """A FakeKolada served on 127.0.0.1 at a free port in a background thread; base_url ends in /v2."""
    with serving(FakeKolada(), _Handler, PREFIX, "kolada-fixture") as fake:
        yield fake
