"""The plan's own versions: which plan covers a year, its actions, and what changed since the previous plan.

An action is stored once per plan version it belongs to (model.ACTION_COLUMNS, key id + plan), so a version can
change an action's department, dates or areas; an action with no plan (model.ALL_PLANS) belongs to every plan.
Without a Planer sheet there is one implicit plan, called Åtgärdsplanen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.core.model import ALL_PLANS, COLUMN_LABELS, Dataset, is_example, is_missing, split_list

IMPLICIT_PLAN = "Åtgärdsplanen"
PLAN_RULE = (
    "En uppföljning hör till den planversion som gäller för året (Gäller från–till på bladet Planer). En plan utan "
    "slutår gäller tills nästa plan börjar, och efter den sista planens år följs dess åtgärder upp tills en ny plan "
    "läggs in. Utan bladet Planer finns en enda plan, Åtgärdsplanen."
)
NEW_IN_PLAN, CHANGED_IN_PLAN, DROPPED_FROM_PLAN = "Ny i planen", "Ändrad", "Utgår"
PLAN_CHANGE_ORDER: tuple[str, ...] = (NEW_IN_PLAN, CHANGED_IN_PLAN, DROPPED_FROM_PLAN)
# The fields whose change between two versions of the plan is reported, in the order a reader checks them.
COMPARED_FIELDS: tuple[str, ...] = ("title", "theme", "responsible", "areas", "start", "end", "indicators")
LIST_FIELDS = frozenset({"areas", "indicators"})


@dataclass(frozen=True)
class PlanVersion:
    """One version of the plan as shown: name, adoption, decision maker and the years it covers."""

    name: str
    adopted: str = ""
    decided_by: str = ""
    first_year: int | None = None
    last_year: int | None = None  # the year before the next plan when the sheet leaves it blank
    comment: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        """The name to show: the plan's name, or Åtgärdsplanen for the implicit plan."""
        return self.name or IMPLICIT_PLAN

    def covers(self, year: int) -> bool:
        """True when the plan applies to a year."""
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    def describe(self) -> str:
        """'Åtgärdsplan 2022, fastställd 2022-01-19 av kommundirektören, gäller från 2022.'"""
        parts = [self.label]
        if self.adopted:
            parts.append(f"fastställd {self.adopted}" + (f" av {self.decided_by}" if self.decided_by else ""))
        if self.first_year is not None:
            years = (
                f"gäller {self.first_year}"
                if self.last_year == self.first_year
                else f"gäller {self.first_year}–{self.last_year}"
                if self.last_year is not None
                else f"gäller från {self.first_year}"
            )
            parts.append(years)
        return ", ".join(parts) + "."


def _year(value: object) -> int | None:
    """An int year, None when missing."""
    return None if is_missing(value) else int(value)


def plan_versions(dataset: Dataset) -> list[PlanVersion]:
    """The plan versions in order of their first year (then adoption), each with the years it covers.

    A plan without a last year runs until the year before the next plan starts. Plan names used on Åtgärder but
    missing from the plans table come last, without dates; with neither there is the implicit plan.
    """
    rows = dataset.plans.to_dict("records")
    rows.sort(key=lambda r: (_year(r["first_year"]) or 0, r["adopted"], r["name"]))
    versions = []
    for i, r in enumerate(rows):
        last = _year(r["last_year"])
        if last is None and i + 1 < len(rows) and _year(rows[i + 1]["first_year"]) is not None:
            last = int(rows[i + 1]["first_year"]) - 1
        versions.append(
            PlanVersion(
                r["name"], r["adopted"], r["decided_by"], _year(r["first_year"]), last, r["comment"], r["source"]
            )
        )
    known = {v.name for v in versions}
    used = [p for p in dict.fromkeys(dataset.actions["plan"]) if p != ALL_PLANS and p not in known]
    versions += [PlanVersion(p) for p in used]
    return versions or [PlanVersion(ALL_PLANS)]


def plan_version(dataset: Dataset, name: str) -> PlanVersion:
    """One plan version by name (the implicit plan for '' or an unknown name)."""
    return next((v for v in plan_versions(dataset) if v.name == name), PlanVersion(name))


def plan_of_year(dataset: Dataset, year: int) -> str:
    """The plan that applies to a year: the one covering it, else the latest that started before, else the first."""
    versions = plan_versions(dataset)
    covering = [v for v in versions if v.covers(year)]
    if covering:
        return covering[-1].name
    started = [v for v in versions if v.first_year is not None and v.first_year <= year]
    return (started[-1] if started else versions[0]).name


def current_plan(dataset: Dataset, today: date | None = None) -> str:
    """The plan that applies today."""
    return plan_of_year(dataset, (today or date.today()).year)


def previous_plan(dataset: Dataset, name: str) -> str | None:
    """The plan version before a plan, None for the first."""
    names = [v.name for v in plan_versions(dataset)]
    i = names.index(name) if name in names else -1
    return names[i - 1] if i > 0 else None


def plan_actions(dataset: Dataset, name: str) -> pd.DataFrame:
    """The actions of one plan version, one row per id in sheet order (a row for the plan wins over one for all)."""
    actions = dataset.actions
    mine = actions[actions["plan"].isin([name, ALL_PLANS])] if name != ALL_PLANS else actions
    specific = mine["plan"] != ALL_PLANS
    # Stable: the plan's own row first within an id, then the first occurrence of each id in sheet order.
    ordered = mine.assign(_general=~specific, _pos=range(len(mine))).sort_values(["_general", "_pos"], kind="stable")
    kept = ordered.drop_duplicates("id", keep="first").sort_values("_pos", kind="stable")
    return kept.drop(columns=["_general", "_pos"]).reset_index(drop=True)


def _field_text(field: str, value: object) -> str:
    """A compared field's value as shown in a change: lists as 'Berga, Ryd', blanks as '–'."""
    text = ", ".join(split_list(value)) if field in LIST_FIELDS else str(value or "").strip()
    return text or "–"


def _same(field: str, old: object, new: object) -> bool:
    """True when a field did not change (lists compared as sets, text ignoring surrounding spaces)."""
    if field in LIST_FIELDS:
        return set(split_list(old)) == set(split_list(new))
    return str(old or "").strip() == str(new or "").strip()


PLAN_CHANGE_COLUMNS: tuple[str, ...] = ("change", "id", "title", "theme", "responsible", "details", "is_example")


def plan_changes(dataset: Dataset, previous: str | None, current: str) -> pd.DataFrame:
    """The actions new in, changed in or dropped from a plan version compared with the previous one.

    `details` says what changed ('Slut: 2023-06-30 → 2025-06-30'); actions carried over unchanged are not listed
    (see carried_over).
    """
    if previous is None:
        return pd.DataFrame(columns=list(PLAN_CHANGE_COLUMNS))
    old = plan_actions(dataset, previous).set_index("id", drop=False)
    new = plan_actions(dataset, current).set_index("id", drop=False)
    rows = []
    for aid, a in new.iterrows():
        if aid not in old.index:
            rows.append((NEW_IN_PLAN, a, f"Ny åtgärd i {plan_version(dataset, current).label}."))
            continue
        b = old.loc[aid]
        diffs = [
            f"{COLUMN_LABELS[f]}: {_field_text(f, b[f])} → {_field_text(f, a[f])}"
            for f in COMPARED_FIELDS
            if not _same(f, b[f], a[f])
        ]
        if diffs:
            rows.append((CHANGED_IN_PLAN, a, "; ".join(diffs)))
    for aid, b in old.iterrows():
        if aid not in new.index:
            rows.append((DROPPED_FROM_PLAN, b, f"Finns inte med i {plan_version(dataset, current).label}."))
    out = pd.DataFrame(
        [
            {
                "change": kind,
                "id": r["id"],
                "title": r["title"],
                "theme": r["theme"],
                "responsible": r["responsible"],
                "details": details,
                "is_example": is_example(r["source"]),
            }
            for kind, r, details in rows
        ],
        columns=list(PLAN_CHANGE_COLUMNS),
    )
    rank = {k: i for i, k in enumerate(PLAN_CHANGE_ORDER)}
    return (
        out.assign(_r=out["change"].map(rank))
        .sort_values("_r", kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def carried_over(dataset: Dataset, previous: str | None, changes: pd.DataFrame) -> int:
    """Number of actions in both plan versions without a change: those of the previous one neither changed nor
    dropped (`changes` from plan_changes)."""
    if previous is None:
        return 0
    counts = plan_change_counts(changes)
    return len(plan_actions(dataset, previous)) - counts[CHANGED_IN_PLAN] - counts[DROPPED_FROM_PLAN]


def plan_change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Number of actions per kind of plan change, every kind included."""
    counts = changes["change"].value_counts()
    return {k: int(counts.get(k, 0)) for k in PLAN_CHANGE_ORDER}


def plan_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """The plan changes with Swedish headers."""
    return pd.DataFrame(
        {
            "Förändring": changes["change"],
            "Id": changes["id"],
            "Åtgärd": changes["title"],
            "Ansvarig": changes["responsible"],
            "Vad som ändrades": changes["details"],
            "Exempel": ["Ja" if e else "" for e in changes["is_example"]],
        }
    ).reset_index(drop=True)
