"""What one workbook read knows and builds up: the user's choices, known and new areas, indicators, plans and
actions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from analysis.core.categories import CATEGORY, parse_categories
from analysis.core.model import ALL_PLANS, OTHER, Dataset
from analysis.ingest.cells import cell_text
from analysis.ingest.contract import AREA_SHEET
from analysis.ingest.names import AliasTable, normalise, split_code
from analysis.ingest.problems import Problem, error, warning

LAYOUT_LONG = "mall, långt format"
LAYOUT_WIDE = "mall, brett format"
LAYOUT_EXPORT = "exporterad tabell"
MAX_LISTED_PLANS = 10  # an unknown plan's hint lists the plans there are: a plan has a few versions, not hundreds


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


def closest_names(raw: str, names: list[str], n: int = 3) -> list[str]:
    """The names closest to a raw text (ignoring case and diacritics), best first, at most n."""
    matcher = difflib.SequenceMatcher(None, "", normalise(raw))
    scored = []
    for name in set(names):
        matcher.set_seq1(normalise(name))
        # The quick upper bounds first: a file of many unknown names against many known ones stays fast.
        if matcher.real_quick_ratio() >= 0.5 and matcher.quick_ratio() >= 0.5 and (ratio := matcher.ratio()) >= 0.5:
            scored.append((ratio, name))
    return [name for _, name in sorted(scored, key=lambda hit: (-hit[0], hit[1]))][:n]


def _without(current: pd.DataFrame, frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The current rows whose key the new frame does not redefine, followed by the new rows."""
    return pd.concat([current[~current[key].isin(frame[key])], frame], ignore_index=True)


class ReadContext:
    """The state one workbook read builds up: known plus newly defined areas, indicators, plans and actions."""

    def __init__(self, known: Dataset, options: ReadOptions) -> None:
        self.known = known
        self.options = options
        self.problems: list[Problem] = []
        self.this_year = (options.today or date.today()).year
        self.areas = known.areas.copy()
        self.indicators = known.indicators.copy()
        self.new_area_rows: list[dict] = []
        # Plan names an action may name (matched like every name, through normalise): stored plus the workbook's.
        self.plans: dict[str, str] = {}
        for name in known.plans["name"].astype(str):
            self.define_plan(name)
        # Action ids a follow-up may name (ids and titles), and the start years of each (id, plan) row: stored
        # plus the workbook's own.
        self.actions: dict[str, str] = {}
        self._starts: dict[tuple[str, str], int] = {}
        self._earliest: dict[str, int] | None = None  # action_starts, kept until a sheet notes new start years
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
        # The codes a categorical indicator's values may take (unit kategori).
        self.categories = {
            i: parse_categories(cell)[0]
            for i, unit, cell in zip(self.indicators["id"], self.indicators["unit"], self.indicators["categories"])
            if unit == CATEGORY
        }
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

    def define_plan(self, name: str) -> None:
        """Make a plan name usable in the Plan column of Åtgärder (a name already known keeps its spelling)."""
        if name:
            self.plans.setdefault(normalise(name), name)

    def known_plan(self, name: str) -> str | None:
        """The stored or already defined plan a name means (ignoring case and diacritics), or None."""
        return self.plans.get(normalise(name))

    def resolve_plan(self, sheet: str, row_no: int, col: str, raw: object) -> str | None:
        """The plan a name in the Plan column means, reporting an unknown one with the plans there are."""
        text = cell_text(raw)
        found = self.known_plan(text)
        if found:
            return found
        names = sorted(set(self.plans.values()))
        guess = closest_names(text, names, n=1)
        listed = ", ".join(names[:MAX_LISTED_PLANS]) + (" …" if len(names) > MAX_LISTED_PLANS else "")
        hint = (f"Menade du {guess[0]}? " if guess else "") + (
            f"Planer som finns: {listed}. Skriv ett av namnen, lägg till planen på bladet Planer "
            "eller lämna Plan tomt (= de planer åtgärden redan finns i)."
            if names
            else "Lägg till planen på bladet Planer, eller lämna Plan tomt (= de planer åtgärden redan finns i)."
        )
        self.problems.append(error(sheet, row_no, col, text, "Okänd plan.", hint))
        return None

    def define_action(self, action_id: str, title: str = "") -> None:
        """Make an action id (and its title, when not already taken) usable on the Uppföljning sheet."""
        if not action_id:
            return
        self.actions[normalise(action_id)] = action_id
        if title and normalise(title) not in self.actions:
            self.actions[normalise(title)] = action_id

    def note_action_starts(self, actions: pd.DataFrame) -> None:
        """Remember the start year of every (action, plan) row in a frame that has a readable start date.

        A row replaces the stored row of the same action and plan; rows of the action's other plans stay.
        """
        plans = actions["plan"].astype(str) if "plan" in actions.columns else [ALL_PLANS] * len(actions)
        for action_id, plan, start in zip(actions["id"].astype(str), plans, actions["start"].astype(str)):
            if len(start) >= 4 and start[:4].isdigit():
                self._starts[(action_id, plan)] = int(start[:4])
        self._earliest = None

    @property
    def action_starts(self) -> dict[str, int]:
        """The start year of each action: the earliest over the plan versions it belongs to."""
        if self._earliest is None:  # asked for on every Uppföljning row: computed once per Åtgärder sheet
            self._earliest = {}
            for (action_id, _), year in self._starts.items():
                self._earliest[action_id] = min(year, self._earliest.get(action_id, year))
        return self._earliest

    @cached_property
    def stored_action_plans(self) -> dict[str, list[str]]:
        """Per stored action id the named plans it has rows for (an action stored for every plan has none)."""
        plans: dict[str, list[str]] = {}
        for action_id, plan in zip(self.known.actions["id"], self.known.actions["plan"]):
            if plan:
                plans.setdefault(action_id, []).append(plan)
        return plans

    def resolve_action(self, sheet: str, row_no: int, col: str, raw: object) -> str | None:
        """The action id a cell names (id or title), reporting unknown ones with the closest ids."""
        text = cell_text(raw)
        if not text:
            self.problems.append(error(sheet, row_no, col, "", "Åtgärden saknas.", "Fyll i åtgärdens id, t.ex. A01."))
            return None
        found = self.actions.get(normalise(text))
        if found:
            return found
        hint = closest_hint(closest_names(text, list(self.actions.values())), "åtgärden på bladet Åtgärder")
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
