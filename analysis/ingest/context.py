"""What one workbook read knows and builds up: the user's choices, known and new areas, indicators and actions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis.core.model import OTHER, Dataset
from analysis.ingest.cells import cell_text
from analysis.ingest.contract import AREA_SHEET
from analysis.ingest.names import AliasTable, normalise, split_code
from analysis.ingest.problems import Problem, error, warning

LAYOUT_LONG = "mall, långt format"
LAYOUT_WIDE = "mall, brett format"
LAYOUT_EXPORT = "exporterad tabell"


@dataclass
class ReadOptions:
    """Choices the user makes for an upload."""

    indicator: str | None = None  # the indicator an exported single table holds
    sex: str | None = None  # the sex an exported single table holds (default Totalt)
    new_areas: bool = False  # unknown areas become new areas of type Övrigt instead of errors
    source: str | None = None  # source for values without one
    today: date | None = None  # the date follow-up years are checked against (default: today)


@dataclass
class ReadInfo:
    """What the reader recognised in the workbook."""

    layout: str = ""
    sheets: list[str] = field(default_factory=list)
    needs_indicator: bool = False
    suggested_indicators: list[str] = field(default_factory=list)
    title: str = ""
    data_rows: int = 0


def closest_hint(candidates: list[str], what: str) -> str:
    """A hint naming the closest known values, or telling where to add the missing one."""
    if candidates:
        return f"Menade du {' eller '.join(candidates)}?"
    return f"Kontrollera stavningen eller lägg till {what}."


def _without(current: pd.DataFrame, frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The current rows whose key the new frame does not redefine, followed by the new rows."""
    return pd.concat([current[~current[key].isin(frame[key])], frame], ignore_index=True)


class ReadContext:
    """The state one workbook read builds up: known plus newly defined areas, indicators and actions."""

    def __init__(self, known: Dataset, options: ReadOptions) -> None:
        self.known = known
        self.options = options
        self.problems: list[Problem] = []
        self.this_year = (options.today or date.today()).year
        self.areas = known.areas.copy()
        self.indicators = known.indicators.copy()
        self.new_area_rows: list[dict] = []
        # Action ids a follow-up may name (ids and titles), and their start years: stored plus the workbook's own.
        self.actions: dict[str, str] = {}
        self.action_starts: dict[str, int] = {}
        for row in known.actions.itertuples(index=False):
            self.define_action(str(row.id), str(row.title))
        self.note_action_starts(known.actions)
        self._area_cache: dict[str, str | None] = {}
        self._indicator_cache: dict[str, str | None] = {}
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the alias tables after areas or indicators were added."""
        self.area_table = AliasTable.for_areas(self.areas)
        self.indicator_table = AliasTable.for_indicators(self.indicators)
        self.units = dict(zip(self.indicators["id"], self.indicators["unit"]))
        self._area_cache = {}
        self._indicator_cache = {}

    def define_areas(self, frame: pd.DataFrame) -> None:
        """Make the areas of a read Områden sheet known to the sheets read after it."""
        self.areas = _without(self.areas, frame, "name")
        self.refresh()

    def define_indicators(self, frame: pd.DataFrame) -> None:
        """Make the indicators of a read Indikatorer sheet usable on the sheets read after it."""
        self.indicators = _without(self.indicators, frame, "id")
        self.refresh()

    def define_action(self, action_id: str, title: str = "") -> None:
        """Make an action id (and its title, when not already taken) usable on the Uppföljning sheet."""
        if not action_id:
            return
        self.actions[normalise(action_id)] = action_id
        if title and normalise(title) not in self.actions:
            self.actions[normalise(title)] = action_id

    def note_action_starts(self, actions: pd.DataFrame) -> None:
        """Remember the start year of every action in a frame that has a readable start date."""
        for action_id, start in zip(actions["id"].astype(str), actions["start"].astype(str)):
            if len(start) >= 4 and start[:4].isdigit():
                self.action_starts[action_id] = int(start[:4])

    def resolve_action(self, sheet: str, row_no: int, col: str, raw: object) -> str | None:
        """The action id a cell names (id or title), reporting unknown ones with the closest ids."""
        text = cell_text(raw)
        if not text:
            self.problems.append(error(sheet, row_no, col, "", "Åtgärden saknas.", "Fyll i åtgärdens id, t.ex. A01."))
            return None
        key = normalise(text)
        found = self.actions.get(key)
        if found:
            return found
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, normalise(i)).ratio(), i) for i in set(self.actions.values())),
            key=lambda hit: (-hit[0], hit[1]),
        )
        hint = closest_hint([i for ratio, i in scored if ratio >= 0.5][:3], "åtgärden på bladet Åtgärder")
        self.problems.append(error(sheet, row_no, col, text, "Okänd åtgärd.", hint))
        return None

    def resolve_area(self, sheet: str, row_no: int, col: str, raw: object) -> str | None:
        """The canonical area for a cell, reporting unknown names with the closest known ones."""
        text = cell_text(raw)
        if not text:
            self.problems.append(error(sheet, row_no, col, "", "Området saknas.", "Fyll i områdets namn."))
            return None
        found = _cached_lookup(self._area_cache, self.area_table, text)
        if found:
            return found
        if self.options.new_areas:
            return self._new_area(sheet, row_no, col, text)
        hint = closest_hint(self.area_table.closest(text), "området på bladet Områden")
        self.problems.append(error(sheet, row_no, col, text, "Okänt område.", hint))
        return None

    def _new_area(self, sheet: str, row_no: int, col: str, text: str) -> str | None:
        """An unknown area added as a new area of type Övrigt (the user asked for that), with a warning."""
        code, name = split_code(text)
        name = name or text
        if len(name) > AREA_SHEET.column("name").max_len:
            self.problems.append(error(sheet, row_no, col, text, "Områdesnamnet är för långt.", "Korta namnet."))
            return None
        self.new_area_rows.append({"name": name, "type": OTHER, "code": code, "aliases": ""})
        self.areas = pd.concat([self.areas, pd.DataFrame([self.new_area_rows[-1]])], ignore_index=True)
        self.refresh()
        self.problems.append(
            warning(
                sheet,
                row_no,
                col,
                text,
                f"Nytt område läggs till med typen {OTHER}.",
                "Ändra typen på bladet Områden om det behövs.",
            )
        )
        return name

    def resolve_indicator(self, sheet: str, row_no: int, col: str, raw: object) -> str | None:
        """The indicator id for a cell (id or name), reporting unknown ones with the closest."""
        text = cell_text(raw)
        if not text:
            self.problems.append(
                error(sheet, row_no, col, "", "Indikatorn saknas.", "Fyll i indikatorns id eller namn.")
            )
            return None
        found = _cached_lookup(self._indicator_cache, self.indicator_table, text)
        if found:
            return found
        hint = closest_hint(self.indicator_table.closest(text), "indikatorn på bladet Indikatorer")
        self.problems.append(error(sheet, row_no, col, text, "Okänd indikator.", hint))
        return None


def _cached_lookup(cache: dict[str, str | None], table: AliasTable, text: str) -> str | None:
    """An alias-table lookup remembered per raw text (files repeat the same names on every row)."""
    if text not in cache:
        cache[text] = table.lookup(text)
    return cache[text]
