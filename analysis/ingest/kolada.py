"""A small client for Kolada's API v2 (RKA's key figures for municipalities and regions): data as the same tidy frame
PxWebClient.data gives, so a fetched Kolada answer is converted and checked exactly as a PxWeb one.

Documented at https://github.com/Hypergene/kolada (README.rst, "Query data"): a data call is
GET {base}/data/kpi/{kpi}/municipality/{ids}/year/{years} (ids and years comma separated), or without the year part
for every year; the answer is {"count": n, "values": [{"kpi", "municipality", "period", "values": [{"gender",
"count", "status", "value"}]}], "next_page": url}, at most 5000 items a page, the rest behind next_page. The frame
has the dimensions kpi, municipality, gender and period (the year as text), each with a `_label` column equal to its
codes (the data call carries no labels), then value (NaN for null) and status ('' when none).

A selection names municipality codes (required), the years under `period` (or `year`): years, `*`, `from(YYYY)` or
`top(n)`, and optionally the genders (T, K, M) under `gender`. Kolada filters by neither gender nor 'the latest n
years': with `*`, `from` or `top` the call asks for every year and the frame is cut here, as it is for genders.
Retries, timeouts and errors are pxweb.py's: the same Swedish messages ending with the address.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import pandas as pd

from analysis.ingest.jsonstat import LABEL_SUFFIX, STATUS, VALUE
from analysis.ingest.pxweb import (
    ApiClient,
    EmptyResultError,
    InvalidResponseError,
    SelectionError,
)

KOLADA_BASE_URL = "https://api.kolada.se/v2"
KPI, MUNICIPALITY, GENDER, PERIOD = "kpi", "municipality", "gender", "period"
DIMENSIONS: tuple[str, ...] = (KPI, MUNICIPALITY, GENDER, PERIOD)
TIME_KEYS: tuple[str, ...] = (PERIOD, "year")
GENDERS: tuple[str, ...] = ("T", "K", "M")
ALL = "*"
_YEAR = re.compile(r"\d{4}")
_FROM = re.compile(r"from\(\s*(\d{4})\s*\)", re.IGNORECASE)
_TOP = re.compile(r"top\(\s*([1-9]\d*)\s*\)", re.IGNORECASE)


def _host(url: str) -> str:
    """The host name of an address, for messages."""
    return urlsplit(url).hostname or url


def _items(value: Sequence[str] | str) -> list[str]:
    """A selection entry's items, stripped, a bare string as one item."""
    return [str(v).strip() for v in ([value] if isinstance(value, str) else value) if str(v).strip()]


def _key(selection: Mapping[str, Sequence[str] | str], names: Sequence[str]) -> str | None:
    """The selection's key for one of the names, ignoring case, or None."""
    folded = {n.casefold() for n in names}
    return next((k for k in selection if k.casefold() in folded), None)


def read_selection(
    kpi_id: str, selection: Mapping[str, Sequence[str] | str], url: str
) -> tuple[list[str], list[str], list[str]]:
    """Municipality codes, period items and genders ([] for all) of a selection; raises SelectionError."""
    allowed = (MUNICIPALITY, GENDER, *TIME_KEYS)
    for name in selection:
        if name.casefold() not in allowed:
            message = f"Variabeln {name} finns inte i Kolada (ange municipality, period och gender). Adress: {url}"
            raise SelectionError(message, url)
    key = _key(selection, (MUNICIPALITY,))
    municipalities = _items(selection[key]) if key is not None else []
    if not municipalities:
        message = f"Urvalet för nyckeltalet {kpi_id} saknar municipality (kommunkoder som 0580). Adress: {url}"
        raise SelectionError(message, url)
    if bad := [m for m in municipalities if not re.fullmatch(r"[0-9A-Za-z]+", m)]:
        message = f"Kommunkoden {bad[0]} går inte att fråga Kolada efter: skriv koder som 0580. Adress: {url}"
        raise SelectionError(message, url)
    key = _key(selection, TIME_KEYS)
    periods = _items(selection[key]) if key is not None else [ALL]
    for item in periods:
        if item != ALL and not (_YEAR.fullmatch(item) or _FROM.fullmatch(item) or _TOP.fullmatch(item)):
            message = f"Uttrycket {item} går inte att tolka som år för nyckeltalet {kpi_id}. Adress: {url}"
            raise SelectionError(message, url)
    key = _key(selection, (GENDER,))
    genders = _items(selection[key]) if key is not None else []
    if ALL in genders:
        genders = []
    if bad := [g for g in genders if g.upper() not in GENDERS]:
        message = f"Koden {bad[0]} finns inte i variabeln gender i Kolada (den har T, K och M). Adress: {url}"
        raise SelectionError(message, url)
    return municipalities, periods, [g.upper() for g in genders]


def data_url(base_url: str, kpi_id: str, municipalities: Sequence[str], years: Sequence[str] | None) -> str:
    """The address of a data call: /data/kpi/{kpi}/municipality/{ids}[/year/{years}] (None: every year)."""
    url = f"{base_url.rstrip('/')}/data/kpi/{quote(kpi_id, safe='')}/municipality/{','.join(municipalities)}"
    return f"{url}/year/{','.join(years)}" if years is not None else url


def explicit_years(periods: Sequence[str]) -> list[str] | None:
    """The years to ask for when every item is a year; None when an expression needs every year."""
    return sorted(set(periods)) if all(_YEAR.fullmatch(p) for p in periods) else None


def chosen_years(periods: Sequence[str], available: Sequence[str]) -> set[str]:
    """The years of the answer the period items stand for: years, '*', from(YYYY) and top(n) (the latest n)."""
    years = sorted({y for y in available if _YEAR.fullmatch(y)})
    chosen: set[str] = set()
    for item in periods:
        if item == ALL:
            chosen.update(years)
        elif match := _FROM.fullmatch(item):
            chosen.update(y for y in years if y >= match.group(1))
        elif match := _TOP.fullmatch(item):
            chosen.update(years[-int(match.group(1)) :])
        else:
            chosen.add(item)
    return chosen


def _invalid(url: str, what: str) -> InvalidResponseError:
    """The error for an answer that is JSON but not Kolada's data answer."""
    return InvalidResponseError(f"Svaret från {_host(url)} är inte ett Kolada-svar: {what}. Adress: {url}", url)


def _number(value: object, url: str) -> float:
    """A value as a float, NaN for null; raises InvalidResponseError for anything else."""
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid(url, f"värdet {value!r} är inget tal")
    return float(value)


def parse_page(body: object, url: str) -> tuple[list[dict[str, Any]], str | None]:
    """One page's rows (kpi, municipality, gender, period, value, status) and its next_page; raises when malformed."""
    if not isinstance(body, Mapping) or not isinstance(body.get("values"), list):
        raise _invalid(url, "values saknas")
    rows: list[dict[str, Any]] = []
    for item in body["values"]:
        if not isinstance(item, Mapping) or not isinstance(item.get("values"), list):
            raise _invalid(url, "en post saknar values")
        if any(item.get(k) is None for k in (KPI, MUNICIPALITY, PERIOD)):
            raise _invalid(url, "en post saknar kpi, municipality eller period")
        for cell in item["values"]:
            if not isinstance(cell, Mapping) or not cell.get(GENDER):
                raise _invalid(url, "ett värde saknar gender")
            rows.append(
                {
                    KPI: str(item[KPI]),
                    MUNICIPALITY: str(item[MUNICIPALITY]),
                    GENDER: str(cell[GENDER]),
                    PERIOD: str(item[PERIOD]),
                    VALUE: _number(cell.get("value"), url),
                    STATUS: "" if cell.get("status") is None else str(cell["status"]),
                }
            )
    following = body.get("next_page")
    if following is not None and not isinstance(following, str):
        raise _invalid(url, "next_page är ingen adress")
    return rows, following or None


def kolada_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as the tidy frame of a PxWeb answer: each dimension and its label (= the code), then value and status."""
    columns = [c for d in DIMENSIONS for c in (d, d + LABEL_SUFFIX)] + [VALUE, STATUS]
    data = {d: [r[d] for r in rows] for d in DIMENSIONS}
    frame = pd.DataFrame(
        {
            **{c: data[c.removesuffix(LABEL_SUFFIX)] for c in columns[:-2]},
            VALUE: pd.Series([r[VALUE] for r in rows], dtype="float64"),
            STATUS: [r[STATUS] for r in rows],
        },
        columns=columns,
    )
    text = [c for c in columns if c != VALUE]
    frame[text] = frame[text].astype("str")
    return frame


class KoladaClient(ApiClient):
    """A Kolada API v2 client for data calls: retried on 429 and 5xx, pages followed, Swedish errors with addresses."""

    def data(self, kpi_id: str, selection: Mapping[str, Sequence[str] | str]) -> tuple[pd.DataFrame, list[str]]:
        """The selected values of one key figure as a tidy frame and the addresses of every page fetched."""
        where = f"{self.base_url}/data/kpi/{quote(kpi_id, safe='')}"
        municipalities, periods, genders = read_selection(kpi_id, selection, where)
        url: str | None = data_url(self.base_url, kpi_id, municipalities, explicit_years(periods))
        rows: list[dict[str, Any]] = []
        urls: list[str] = []
        while url is not None and url not in urls:  # a page pointing back to one already read ends the loop
            page, following = parse_page(self.get_json(url), url)
            rows.extend(page)
            urls.append(url)
            url = following
        frame = kolada_frame(rows)
        years = chosen_years(periods, list(frame[PERIOD]))
        keep = frame[PERIOD].isin(years) & frame[MUNICIPALITY].isin(municipalities)
        if genders:
            keep &= frame[GENDER].isin(genders)
        frame = frame[keep].reset_index(drop=True)
        if frame.empty or frame[VALUE].isna().all():
            what = "svaret var tomt" if frame.empty else "alla värden saknas"
            message = f"Urvalet gav inga värden för nyckeltalet {kpi_id} ({what}). Adress: {urls[0]}"
            raise EmptyResultError(message, urls[0])
        return frame, urls
