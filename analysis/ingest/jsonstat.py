"""JSON-stat 2.0 datasets (what PxWeb API v2 answers) as tidy frames: one row per cell, codes and labels beside it.

PxWeb API v1 answers JSON-stat 1.0 (`{"dataset": {...}}`, with `id`, `size` and `role` inside `dimension`);
`jsonstat2_dataset` moves them to where 2.0 has them, and the rest is read the same way.

A dataset lists its dimensions (`id`, `size`, `dimension[...].category.index/label`) and its cells in row-major order,
the last dimension varying fastest. `value` is a list, or a dict from position to value when sparse; `status` (SCB
writes '..' for a suppressed cell) is a list, a dict or one string for every cell. A malformed dataset raises
JsonStatError with a Swedish message; the caller adds the address it came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

import numpy as np
import pandas as pd

VALUE = "value"
STATUS = "status"
LABEL_SUFFIX = "_label"


class JsonStatError(ValueError):
    """The data is not a valid JSON-stat 2.0 dataset; the message is Swedish."""


@dataclass(frozen=True)
class Dimension:
    """One dimension of a dataset: its id, its label and its categories (codes and labels) in the dataset's order."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]


def _fail(message: str) -> JsonStatError:
    """The error for a malformed dataset, its Swedish message prefixed with what was expected."""
    return JsonStatError(f"Svaret är inte ett giltigt JSON-stat-dataset: {message}")


def _is_int(value: object) -> bool:
    """True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _category_codes(dim_id: str, category: Mapping[str, Any]) -> list[str]:
    """A dimension's category codes in order, from category.index (a list, or a dict from code to position)."""
    index = category.get("index")
    if index is None:
        labels = category.get("label")
        # JSON-stat lets a dimension of one category leave out its index.
        if isinstance(labels, Mapping) and len(labels) == 1:
            return [str(next(iter(labels)))]
        raise _fail(f"dimensionen {dim_id} saknar category.index.")
    if isinstance(index, list):
        if not all(isinstance(code, str) for code in index):
            raise _fail(f"category.index i dimensionen {dim_id} innehåller något som inte är en kod.")
        codes = list(index)
    elif isinstance(index, Mapping):
        positions = list(index.values())
        if not all(_is_int(p) for p in positions) or sorted(positions) != list(range(len(positions))):
            raise _fail(f"category.index i dimensionen {dim_id} har inte positionerna 0 till {len(positions) - 1}.")
        codes = [str(code) for code, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        raise _fail(f"category.index i dimensionen {dim_id} är varken en lista eller ett objekt.")
    if len(set(codes)) != len(codes):
        raise _fail(f"dimensionen {dim_id} har samma kod två gånger.")
    return codes


def dimensions(dataset: object) -> list[Dimension]:
    """The dataset's dimensions in `id` order, checked against `size`; raises JsonStatError when malformed."""
    if not isinstance(dataset, Mapping):
        raise _fail("svaret är inte ett JSON-objekt.")
    if dataset.get("class", "dataset") != "dataset":
        raise _fail(f"class är {dataset.get('class')!r}, inte 'dataset'.")
    ids, sizes, dims = dataset.get("id"), dataset.get("size"), dataset.get("dimension")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _fail("id saknas eller är inte en lista med dimensionernas namn.")
    if len(set(ids)) != len(ids):
        raise _fail("id nämner samma dimension två gånger.")
    if not isinstance(sizes, list) or not all(_is_int(s) and s >= 0 for s in sizes):
        raise _fail("size saknas eller är inte en lista med antal.")
    if len(sizes) != len(ids):
        raise _fail(f"id har {len(ids)} dimensioner men size har {len(sizes)} antal.")
    if not isinstance(dims, Mapping):
        raise _fail("dimension saknas.")
    result = []
    for dim_id, size in zip(ids, sizes):
        dim = dims.get(dim_id)
        if not isinstance(dim, Mapping) or not isinstance(dim.get("category"), Mapping):
            raise _fail(f"dimensionen {dim_id} saknas eller saknar category.")
        category = dim["category"]
        codes = _category_codes(dim_id, category)
        if len(codes) != size:
            raise _fail(f"dimensionen {dim_id} har {len(codes)} kategorier men size anger {size}.")
        names = category.get("label") if isinstance(category.get("label"), Mapping) else {}
        labels = tuple(str(names.get(code, code)) for code in codes)
        result.append(Dimension(dim_id, str(dim.get("label", dim_id)), tuple(codes), labels))
    return result


def _position(key: object, n: int, what: str) -> int:
    """A cell position from a sparse dict key ('12' in JSON), checked to lie within the n cells."""
    try:
        position = int(str(key))
    except ValueError:
        raise _fail(f"{what} har nyckeln {key!r}, som inte är en position.") from None
    if not 0 <= position < n:
        raise _fail(f"{what} har positionen {position}, men datasetet har {n} celler.")
    return position


def _number(raw: object) -> float:
    """One cell's value as a float: NaN for null; raises for anything that is not a number."""
    if raw is None:
        return math.nan
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise _fail(f"value innehåller {raw!r}, som inte är ett tal.")
    return float(raw)


def _values(raw: object, n: int) -> np.ndarray:
    """The n cell values as floats (NaN where missing), from a dense list or a sparse dict."""
    if isinstance(raw, list):
        if len(raw) != n:
            raise _fail(f"value har {len(raw)} värden men dimensionerna ger {n} celler.")
        return np.array([_number(v) for v in raw], dtype="float64")
    if isinstance(raw, Mapping):
        values = np.full(n, np.nan, dtype="float64")
        for key, v in raw.items():
            values[_position(key, n, "value")] = _number(v)
        return values
    raise _fail("value saknas eller är varken en lista eller ett objekt.")


def _flag(raw: object) -> str:
    """One cell's status as text: '' for none."""
    if raw is None:
        return ""
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        raise _fail(f"status innehåller {raw!r}, som inte är en text.")
    return str(raw)


def _statuses(raw: object, n: int) -> list[str]:
    """The n cell statuses ('' for none), from nothing, one string for all, a list or a sparse dict."""
    if raw is None:
        return [""] * n
    if isinstance(raw, str):
        return [raw] * n
    if isinstance(raw, list):
        if len(raw) == 1:
            return [_flag(raw[0])] * n
        if len(raw) != n:
            raise _fail(f"status har {len(raw)} värden men dimensionerna ger {n} celler.")
        return [_flag(s) for s in raw]
    if isinstance(raw, Mapping):
        flags = [""] * n
        for key, s in raw.items():
            flags[_position(key, n, "status")] = _flag(s)
        return flags
    raise _fail("status är varken en text, en lista eller ett objekt.")


def frame_columns(dims: list[Dimension]) -> list[str]:
    """The columns of a parsed dataset: each dimension's code and label, then value and status."""
    columns = [c for d in dims for c in (d.id, d.id + LABEL_SUFFIX)] + [VALUE, STATUS]
    if len(set(columns)) != len(columns):
        raise _fail("en dimension heter som en annan kolumn (value, status eller <dimension>_label).")
    return columns


def jsonstat2_dataset(body: object) -> object:
    """A JSON-stat 1.0 answer (PxWeb API v1: {"dataset": {...}}, id and size inside `dimension`) as a 2.0 dataset.

    A 2.0 dataset is returned as it is; a bundle of more than one dataset raises JsonStatError.
    """
    if not isinstance(body, Mapping) or "class" in body or "id" in body:
        return body
    datasets = [v for v in body.values() if isinstance(v, Mapping) and isinstance(v.get("dimension"), Mapping)]
    if not datasets:
        return body  # not JSON-stat 1.0 either: dimensions() says what is missing
    if len(datasets) > 1:
        raise _fail(f"svaret innehåller {len(datasets)} dataset; ett väntades.")
    dataset = datasets[0]
    dims = dataset["dimension"]
    meta = ("id", "size", "role")
    out = {k: v for k, v in dataset.items() if k != "dimension"}
    out.update({k: dims.get(k, dataset.get(k)) for k in meta if k in dims or k in dataset})
    out["class"] = "dataset"
    out["dimension"] = {k: v for k, v in dims.items() if k not in meta}
    return out


def parse_jsonstat(dataset: object) -> pd.DataFrame:
    """A JSON-stat 2.0 dataset as a tidy frame: per dimension its code and `<dim>_label`, then `value` and `status`."""
    dims = dimensions(dataset)
    columns = frame_columns(dims)
    body = cast(Mapping[str, Any], dataset)  # dimensions() has checked that it is an object
    sizes = [len(d.codes) for d in dims]
    n = math.prod(sizes)
    values = _values(body.get("value"), n)
    statuses = _statuses(body.get("status"), n)
    cells = np.arange(n)
    data: dict[str, Any] = {}
    stride = n
    for dim, size in zip(dims, sizes):
        # Row-major order: the last dimension varies fastest, each earlier one once per product of those after it.
        stride = stride // size if n else 0
        positions = (cells // stride) % size if n else cells
        data[dim.id] = np.array(dim.codes, dtype=object)[positions]
        data[dim.id + LABEL_SUFFIX] = np.array(dim.labels, dtype=object)[positions]
    data[VALUE] = values
    data[STATUS] = np.array(statuses, dtype=object)
    frame = pd.DataFrame(data, columns=columns)
    text = [c for c in columns if c != VALUE]
    frame[text] = frame[text].astype("str")
    return frame


class TimeCode(NamedTuple):
    """A PxWeb time code read: the year, the kind of period ('year', 'quarter', 'month') and its number."""

    year: int
    kind: str
    period: int | None


YEAR, QUARTER, MONTH = "year", "quarter", "month"
_TIME_CODE = re.compile(r"(\d{4})(?:([MKQ])(\d{1,2}))?", re.IGNORECASE)


def parse_time_code(code: object) -> TimeCode | None:
    """A time code such as '2024', '2026M01', '2024K1' or '2024Q1' as (year, kind, period); None for anything else."""
    if not isinstance(code, str):
        return None
    match = _TIME_CODE.fullmatch(code.strip())
    if match is None:
        return None
    year, letter, number = match.groups()
    if letter is None:
        return TimeCode(int(year), YEAR, None)
    period = int(number)
    if letter.upper() == "M":
        return TimeCode(int(year), MONTH, period) if 1 <= period <= 12 else None
    return TimeCode(int(year), QUARTER, period) if 1 <= period <= 4 else None
