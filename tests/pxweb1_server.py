"""A local PxWeb API v1 for tests: a hand-made district table in the documented formats, and failures on demand.

Everything here is hand-made (this environment has no network and no v1 answer was recorded), in the shapes of SCB's
"PxWeb API 1.0" description, as the rOpenGov/pxweb R package also reads them:
- GET {base}?config answers {"maxValues", "maxCalls", "timeWindow", "CORS", ...};
- GET {base} and GET {base}/Befolkning list the folders (FOLDERS: [{"id", "type", "text"}], type l for a folder, t for
  a table, h for a heading, the names the rOpenGov/pxweb R package checks);
- GET {base}/Befolkning/BefStadsdel.px answers the table's metadata {"title", "variables": [{"code", "text",
  "values", "valueTexts", "elimination", "time"}]};
- POST to the same address with {"query": [{"code", "selection": {"filter": "item", "values"}}], "response":
  {"format"}} answers JSON-stat 1.0 ({"dataset": {...}}, id/size/role inside dimension), JSON-stat 2.0 or PxWeb's
  JSON (columns of type d/t/c, data rows of key and values as text, '..' for a suppressed cell); a variable left out
  that may be eliminated is summed; an unknown variable or code answers 400, more cells than maxValues 403, another
  path 404.
The values are invented (a district table like Linköping's statistics database has: population by district and sex);
Ryd's women in 2021 are suppressed ('..'). 429/5xx/slow/invalid answers are programmed by a test.

    with serve_pxweb1() as server:
        client = PxWeb1Client(server.base_url)
        server.max_values = 10                    # force the query to be split
        server.calls("data")                      # what was asked (selection and format), in order
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.pxweb_server import FixtureServer, ProgrammedFake, serving

PREFIX = "/api/v1/sv/Linkoping"
TABLE = "Befolkning/BefStadsdel.px"
AREAS = {"0580": "Linköpings kommun", "12": "Berga", "31": "Ryd", "44": "Skäggetorp", "51": "Vasastaden"}
SEXES = {"1": "män", "2": "kvinnor"}
YEARS = ["2021", "2022", "2023", "2024"]
CONTENTS = {"BEF01": "Folkmängd 31 december"}


# The database's folders as GET {base}/{path} lists them: subfolders (l), headings (h) and tables (t).
FOLDERS: dict[str, list[dict[str, str]]] = {
    "": [
        {"id": "Befolkning", "type": "l", "text": "Befolkning"},
        {"id": "Arbete", "type": "l", "text": "Arbete och sysselsättning"},
    ],
    "Befolkning": [
        {"id": "Stadsdelar", "type": "h", "text": "Stadsdelar"},
        {
            "id": "BefStadsdel.px",
            "type": "t",
            "text": "Folkmängd efter stadsdel, kön och år",
            "updated": "2025-03-20T12:00:00",
        },
    ],
    "Arbete": [],
}


def metadata() -> dict[str, Any]:
    """The hand-made table's metadata in the v1 shape."""

    def variable(code: str, text: str, values: dict[str, str], **flags: bool) -> dict[str, Any]:
        """One variable: its codes and their texts, and its flags."""
        return {"code": code, "text": text, "values": list(values), "valueTexts": list(values.values()), **flags}

    return {
        "title": "Folkmängd efter stadsdel, kön, tabellinnehåll och år",
        "variables": [
            variable("Stadsdel", "stadsdel", AREAS, elimination=True),
            variable("Kon", "kön", SEXES, elimination=True),
            variable("ContentsCode", "tabellinnehåll", CONTENTS),
            variable("Tid", "år", {y: y for y in YEARS}, time=True),
        ],
    }


# Invented populations at 31 December, men and women per year; None is a suppressed cell.
_BASE = {
    "0580": (82_000, 81_500),
    "12": (5_400, 5_300),
    "31": (4_100, 4_000),
    "44": (5_600, 5_450),
    "51": (7_900, 8_200),
}
VALUES: dict[tuple[str, str, str, str], int | None] = {
    (area, sex, "BEF01", year): _BASE[area][int(sex) - 1] + 40 * i
    for area in AREAS
    for sex in SEXES
    for i, year in enumerate(YEARS)
}
VALUES[("31", "2", "BEF01", "2021")] = None


@dataclass
class Call:
    """One request the server received: method, endpoint, the selection and format of a data call, the status."""

    method: str
    path: str
    endpoint: str
    selection: dict[str, list[str]] = field(default_factory=dict)
    format: str = ""
    status: int = 0


class FakePxWeb1(ProgrammedFake):
    """The state behind the server: the table, the limits, programmed rules and the calls received."""

    def __init__(self) -> None:
        super().__init__()
        self.metadata = metadata()
        self.values = dict(VALUES)
        self.max_values = 1_000

    def error_body(self, status: int, title: str) -> bytes:
        """A programmed error's body: plain text (hand-made)."""
        return title.encode()

    def drop_code(self, variable: str, code: str) -> None:
        """Change the table: a code disappears from a variable (as when a district is renamed)."""
        for var in self.metadata["variables"]:
            if var["code"] == variable and code in var["values"]:
                at = var["values"].index(code)
                del var["values"][at]
                del var["valueTexts"][at]

    # --- answering ---

    def config(self) -> bytes:
        """The config answer."""
        body = {
            "apiVersion": "1.0",
            "languages": [{"id": "sv", "text": "Svenska"}],
            "defaultLanguage": "sv",
            "maxValues": self.max_values,
            "maxCalls": 30,
            "timeWindow": 10,
            "CORS": True,
        }
        return json.dumps(body).encode()

    def data(self, query: object) -> tuple[int, bytes, dict[str, list[str]], str]:
        """The answer to a data POST: status, body, the selection asked and the format."""
        if not isinstance(query, dict) or not isinstance(query.get("query"), list):
            return 400, b"Bad Request", {}, ""
        fmt = str(query.get("response", {}).get("format", "px"))
        variables = {v["code"]: v for v in self.metadata["variables"]}
        selection: dict[str, list[str]] = {}
        for item in query["query"]:
            code, values = item.get("code"), item.get("selection", {}).get("values", [])
            if code not in variables or not set(values) <= set(variables[code]["values"]):
                return 400, b"Bad Request", selection, fmt
            selection[code] = [v for v in variables[code]["values"] if v in values]
        for code, var in variables.items():
            if code not in selection and not var.get("elimination"):
                if len(var["values"]) != 1:
                    return 400, b"Bad Request", selection, fmt
                selection[code] = list(var["values"])
        kept = [v["code"] for v in self.metadata["variables"] if v["code"] in selection]
        cells = 1
        for code in kept:
            cells *= len(selection[code])
        if cells > self.max_values:
            return 403, b"Forbidden", selection, fmt
        if fmt not in ("json-stat", "json-stat2", "json"):
            return 400, b"Bad Request", selection, fmt
        values = [
            self._value(dict(zip(kept, combo)), selection) for combo in itertools.product(*(selection[c] for c in kept))
        ]
        return 200, json.dumps(self._body(fmt, kept, selection, values)).encode(), selection, fmt

    def _value(self, cell: dict[str, str], selection: dict[str, list[str]]) -> int | None:
        """One cell's value; a variable left out (eliminated) is summed, None when a part is suppressed."""
        order = ("Stadsdel", "Kon", "ContentsCode", "Tid")
        choices = [[cell[c]] if c in cell else list(self._codes(c)) for c in order]
        parts = [self.values.get(tuple(combo)) for combo in itertools.product(*choices)]  # type: ignore[arg-type]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    def _codes(self, code: str) -> list[str]:
        """A variable's codes in the table now."""
        return next(v["values"] for v in self.metadata["variables"] if v["code"] == code)

    def _body(self, fmt: str, kept: list[str], selection: dict[str, list[str]], values: list[int | None]) -> Any:
        """The data answer in one of the three formats."""
        variables = {v["code"]: v for v in self.metadata["variables"]}
        texts = {c: dict(zip(v["values"], v["valueTexts"])) for c, v in variables.items()}
        if fmt == "json":
            keys = [c for c in kept if c != "ContentsCode"]
            columns = [
                {"code": c, "text": variables[c]["text"], "type": "t" if variables[c].get("time") else "d"}
                for c in keys
            ] + [{"code": v, "text": texts["ContentsCode"][v], "type": "c"} for v in selection["ContentsCode"]]
            rows = []
            combos = list(itertools.product(*(selection[c] for c in kept)))
            by_key: dict[tuple[str, ...], list[str]] = {}
            for combo, value in zip(combos, values):
                cell = dict(zip(kept, combo))
                by_key.setdefault(tuple(cell[c] for c in keys), []).append(".." if value is None else str(value))
            rows = [{"key": list(k), "values": v} for k, v in by_key.items()]
            return {"columns": columns, "comments": [], "data": rows, "metadata": [{"label": self.metadata["title"]}]}
        dimension = {
            c: {
                "label": variables[c]["text"],
                "category": {
                    "index": {v: i for i, v in enumerate(selection[c])},
                    "label": {v: texts[c][v] for v in selection[c]},
                },
            }
            for c in kept
        }
        status = {str(i): ".." for i, v in enumerate(values) if v is None}
        role = {"time": ["Tid"], "metric": ["ContentsCode"]}
        sizes = [len(selection[c]) for c in kept]
        head = {"label": self.metadata["title"], "source": "Linköpings kommun", "updated": "2025-03-20T12:00:00Z"}
        if fmt == "json-stat2":
            return {
                "class": "dataset",
                "version": "2.0",
                **head,
                "id": kept,
                "size": sizes,
                "role": role,
                "dimension": dimension,
                "value": values,
                "status": status,
            }
        return {
            "dataset": {
                "dimension": {**dimension, "id": kept, "size": sizes, "role": role},
                **head,
                "value": values,
                "status": status,
            }
        }

    def answer(self, method: str, path: str, query: str, body: bytes) -> tuple[Call, int, bytes]:
        """The normal answer to a request."""
        table = unquote(path.strip("/"))
        if method == "GET" and table == "" and query == "config":
            return Call(method, path, "config"), 200, self.config()
        if method == "GET" and table in FOLDERS:
            return Call(method, path, "folder"), 200, json.dumps(FOLDERS[table]).encode()
        endpoint = "metadata" if method == "GET" else "data"
        call = Call(method, path, endpoint)
        if table != TABLE:
            return call, 404, b"Not Found"
        if method == "GET":
            return call, 200, json.dumps(self.metadata).encode()
        try:
            parsed = json.loads(body.decode("utf-8"))
        except ValueError:
            return call, 400, b"Bad Request"
        status, answer, call.selection, call.format = self.data(parsed)
        return call, status, answer


class _Handler(BaseHTTPRequestHandler):
    """Answers GETs and POSTs from the FakePxWeb1 of its server."""

    server: FixtureServer

    def _respond(self, method: str) -> None:
        """Record the call, then answer it as programmed or normally."""
        fake = self.server.fake
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        call, status, answer = fake.answer(method, split.path.removeprefix(PREFIX), split.query, body)
        with fake._lock:
            fake.received.append(call)
        rule = fake._rule_for(call.endpoint)
        headers: dict[str, str] = {}
        if rule is not None and rule.delay:
            fake.closing.wait(rule.delay)
        if rule is not None and rule.status is not None:
            status, answer, headers = rule.status, rule.body, rule.headers
        call.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self) -> None:
        """A config or metadata call."""
        self._respond("GET")

    def do_POST(self) -> None:
        """A data call."""
        self._respond("POST")

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@contextmanager
def serve_pxweb1() -> Iterator[FakePxWeb1]:
    """A FakePxWeb1 served on 127.0.0.1 at a free port in a background thread; base_url ends in /api/v1/sv/Linkoping."""
    with serving(FakePxWeb1(), _Handler, PREFIX, "pxweb1-fixture") as fake:
        yield fake
