"""The yearly follow-up (uppföljning) of the action plan: what became of each action, and whether the gaps close.

Actions: the register with the status to show (Försenad is derived from the end date, as a follow-up
system such as Stratsys does), counts by status, theme, department and area, each action's status at
every follow-up and what changed between two follow-ups. Outcomes: per focus area and indicator the
values and gaps at the baseline year and now with the nulägesbild's verdicts (the same
`compare.comparison_table`), target attainment, and the gap verdicts counted per area and theme.
Figures: status bars and a Gantt timeline in the house style of `analysis.render.charts`.

`today` is a parameter of everything that depends on the date, so tests pin dates around it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis.core.formatting import MISSING, format_percent, format_value
from analysis.core.model import (
    ACTION_STATUSES,
    ACTION_THEMES,
    THEMES,
    TOTAL,
    Dataset,
    focus_areas,
    is_example,
    is_missing,
    reference_area,
    split_list,
)
from analysis.core.palette import DARK_ORANGE, DARK_SKY_BLUE, OTHER_GREY
from analysis.core.settings import risk_months
from analysis.ingest.names import normalise
from analysis.measures.action_status import (
    AT_RISK,
    CANCELLED,
    DELAY_RULE,
    DELAYED,
    DONE,
    NO_STATUS,
    NOT_STARTED,
    ONGOING,
    PAUSED,
    effective_status,
    parse_day,
    risk_rule,
)
from analysis.measures.compare import comparison_table, gap_counts, series_index
from analysis.measures.presentation import GAP_SYMBOLS, gap_text, gap_verdict_label, value_verdict_label
from analysis.measures.targets import (
    ATTAINMENT_ORDER,
    ATTAINMENT_RULES,
    NOW_LABEL,
    PATH_HEADER,
    target_attainment,
    target_for,
)
from analysis.measures.verdicts import CLOSING, LEAD_GROWS, STEADY, WIDENING
from analysis.viewmodels.nulage import ALL_THEMES, theme_title
from analysis.viewmodels.plans import (
    PlanVersion,
    carried_over,
    current_plan,
    plan_actions,
    plan_changes,
    plan_of_year,
    plan_version,
    previous_plan,
)

STATUS_ORDER: tuple[str, ...] = (*ACTION_STATUSES, NO_STATUS)
DERIVED_NOTE = DELAY_RULE

# Okabe–Ito colours (colour-blind safe), each with 3:1 against white (the palette's darkened orange and sky blue, a
# mid grey); every bar also carries the status in text or a pattern.
STATUS_COLOURS: dict[str, str] = {
    NOT_STARTED: DARK_SKY_BLUE,
    ONGOING: "#0072B2",
    AT_RISK: "#CC79A7",
    DELAYED: "#D55E00",
    DONE: "#009E73",
    CANCELLED: "#3B3B3B",
    PAUSED: DARK_ORANGE,
    NO_STATUS: OTHER_GREY,
}
STATUS_PATTERNS: dict[str, str] = {
    NOT_STARTED: ".",
    ONGOING: "",
    AT_RISK: "\\",
    DELAYED: "x",
    DONE: "",
    CANCELLED: "-",
    PAUSED: "/",
    NO_STATUS: ".",
}

NONE_LABELS = {"theme": "Inget tema", "responsible": "Ingen ansvarig", "areas": "Inget område"}
BY_TITLES = {"theme": "Tema", "responsible": "Ansvarig", "areas": "Område"}

NEW, FINISHED, BECAME_LATE, OTHER_CHANGE = "Ny", "Genomförd", "Försenad", "Annan statusändring"
CHANGE_ORDER: tuple[str, ...] = (NEW, FINISHED, BECAME_LATE, AT_RISK, CANCELLED, PAUSED, OTHER_CHANGE)


# --- The action register and its filters --------------------------------------------------------

REGISTER_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "theme",
    "responsible",
    "areas",
    "start",
    "end",
    "stored_status",
    "status",
    "derived",
    "comment",
    "progress",
    "reported_year",
    "indicators",
    "indicator_names",
    "source",
    "is_example",
    "followups_example",
)


def _latest_progress(entries: pd.DataFrame, year: int | None = None) -> dict[str, tuple[float, int]]:
    """Per action its latest reported progress (Andel klar) and the year it was reported, up to a year."""
    known = entries[entries["progress"].notna() & entries["year"].notna()]
    if year is not None:
        known = known[known["year"] <= year]
    latest = known.sort_values("year", kind="stable").drop_duplicates("action", keep="last")
    return {a: (float(p), int(y)) for a, p, y in zip(latest["action"], latest["progress"], latest["year"])}


def _shown_status(
    status: str, action: pd.Series, as_of: date, progress: tuple[float, int] | None, months: int
) -> tuple[str, bool]:
    """effective_status for one action with its dates and latest progress (reported on 31 December of its year)."""
    value, reported = progress if progress else (None, None)
    return effective_status(
        status,
        action["end"],
        as_of,
        start=action["start"],
        progress=value,
        # A report of the running year was made by the day judged at the latest.
        reported_on=min(date(reported, 12, 31), as_of) if reported else None,
        risk_months=months,
    )


def action_register(
    dataset: Dataset, today: date | None = None, plan: str | None = None, year: int | None = None
) -> pd.DataFrame:
    """Every action of a plan version with the status to show, its stored status and linked indicator names.

    `plan` None is the plan that applies today (or in `year`). `year` None is now: the status on the Åtgärder sheet,
    derived as of today. With a year the statuses are those of that year's follow-up (followup_snapshot): an action
    without a follow-up by then is Ej påbörjad (derived) when it starts later, else Status saknas.
    """
    today = today or date.today()
    if plan is None:
        plan = current_plan(dataset, today) if year is None else plan_of_year(dataset, year)
    months = risk_months()
    names = dict(zip(dataset.indicators["id"], dataset.indicators["name"]))
    entries = dataset.action_followups
    example_followups = set(entries.loc[entries["source"].map(is_example), "action"])
    snapshot = followup_snapshot(dataset, year, today, plan).set_index("id") if year is not None else None
    progress = _latest_progress(entries, year)
    year_end = min(date(year, 12, 31), today) if year is not None else today
    rows = []
    for a in plan_actions(dataset, plan).to_dict("records"):
        comment, reported = a["comment"], pd.NA
        if snapshot is None:
            stored = a["status"]
            status, derived = _shown_status(stored, a, today, progress.get(a["id"]), months)
        elif a["id"] in snapshot.index:
            s = snapshot.loc[a["id"]]
            stored, status, derived, comment, reported = (
                s["stored_status"],
                s["status"],
                bool(s["derived"]),
                s["comment"],
                s["reported_year"],
            )
        else:
            begin = parse_day(a["start"])
            stored, comment = "", ""
            status, derived = (NOT_STARTED, True) if begin is not None and begin > year_end else (NO_STATUS, False)
        linked = split_list(a["indicators"])
        rows.append(
            {
                "id": a["id"],
                "title": a["title"],
                "theme": a["theme"],
                "responsible": a["responsible"],
                "areas": a["areas"],
                "start": a["start"],
                "end": a["end"],
                "stored_status": stored,
                "status": status or NO_STATUS,
                "derived": derived,
                "comment": comment,
                "progress": progress[a["id"]][0] if a["id"] in progress else None,
                "reported_year": reported,
                "indicators": a["indicators"],
                "indicator_names": "; ".join(names.get(i, i) for i in linked),
                "source": a["source"],
                "is_example": is_example(a["source"]),
                "followups_example": a["id"] in example_followups,
            }
        )
    return pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))


@dataclass(frozen=True)
class ActionFilter:
    """The page's filters: any of the areas, themes, departments and statuses; every word of the search."""

    areas: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str = ""

    def describe(self) -> str:
        """The filters in Swedish, e.g. 'Område: Ryd · Status: Försenad', or 'Alla åtgärder'."""
        parts = [
            f"{label}: {', '.join(values)}"
            for label, values in (
                ("Område", self.areas),
                ("Tema", self.themes),
                ("Ansvarig", self.departments),
                ("Status", self.statuses),
            )
            if values
        ]
        if self.search.strip():
            parts.append(f"Sökning: ”{self.search.strip()}”")
        return " · ".join(parts) or "Alla åtgärder"


def _search_text(register: pd.DataFrame) -> pd.Series:
    """Per action the normalised text a search looks in: id, title, theme, department, areas, comment, indicators."""
    columns = ["id", "title", "theme", "responsible", "areas", "comment", "indicators", "indicator_names"]
    joined = register[columns].astype(str).agg(" ".join, axis=1) if len(register) else pd.Series(dtype=str)
    return joined.map(normalise)


def filter_actions(register: pd.DataFrame, flt: ActionFilter) -> pd.DataFrame:
    """The actions that match every filter (an action matches an area filter when it covers any chosen area)."""
    keep = pd.Series(True, index=register.index)
    if flt.areas:
        chosen = set(flt.areas)
        keep &= register["areas"].map(lambda cell: bool(chosen & set(split_list(cell))))
    if flt.themes:
        keep &= register["theme"].isin(flt.themes)
    if flt.departments:
        keep &= register["responsible"].isin(flt.departments)
    if flt.statuses:
        keep &= register["status"].isin(flt.statuses)
    words = normalise(flt.search).split()
    if words:
        text = _search_text(register)
        keep &= text.map(lambda t: all(w in t for w in words))
    return register[keep].reset_index(drop=True)


def filter_options(dataset: Dataset, register: pd.DataFrame) -> dict[str, list[str]]:
    """The choices of each filter: focus areas first, the plan's themes in order, departments sorted, all statuses."""
    covered = [a for cell in register["areas"] for a in split_list(cell)]
    areas = list(dict.fromkeys(focus_areas(dataset.areas) + covered))
    themes = [t for t in ACTION_THEMES] + sorted({t for t in register["theme"] if t and t not in ACTION_THEMES})
    departments = sorted({d for d in register["responsible"] if d})
    return {"areas": areas, "themes": themes, "departments": departments, "statuses": list(ACTION_STATUSES)}


# --- Counts ------------------------------------------------------------------------------------


def status_counts(register: pd.DataFrame) -> pd.DataFrame:
    """Actions per status (every plan status, zeros included; 'Status saknas' only when it occurs)."""
    counts = register["status"].value_counts()
    statuses = [s for s in STATUS_ORDER if s != NO_STATUS or counts.get(NO_STATUS, 0)]
    return pd.DataFrame({"status": statuses, "count": [int(counts.get(s, 0)) for s in statuses]})


def status_by(register: pd.DataFrame, by: str) -> pd.DataFrame:
    """Actions per category (theme, responsible or areas) and status, with a 'Totalt' column.

    An action covering several areas counts once in each. Themes keep the plan's order; departments and
    areas are sorted by their number of actions.
    """
    frame = register[[by, "status"]].copy()
    if by == "areas":
        frame[by] = frame[by].map(split_list)
        frame = frame.explode(by)
    frame[by] = frame[by].fillna("").astype(str).replace("", NONE_LABELS[by])
    table = pd.crosstab(frame[by], frame["status"]) if len(frame) else pd.DataFrame()
    statuses = [s for s in STATUS_ORDER if s != NO_STATUS or (NO_STATUS in table.columns)]
    table = table.reindex(columns=statuses, fill_value=0).astype(int)
    table["Totalt"] = table.sum(axis=1)
    if by == "theme":
        order = [t for t in ACTION_THEMES if t in table.index] + sorted(
            t for t in table.index if t not in ACTION_THEMES
        )
        table = table.reindex(order)
    else:
        table = (
            table.assign(_name=table.index)
            .sort_values(["Totalt", "_name"], ascending=[False, True])
            .drop(columns="_name")
        )
    table.index.name = by
    return table


# --- Follow-ups ---------------------------------------------------------------------------------


def followup_years(dataset: Dataset) -> list[int]:
    """The years with at least one follow-up entry, ascending."""
    years = dataset.action_followups["year"].dropna()
    return sorted({int(y) for y in years})


def plan_followup_years(dataset: Dataset, plan: str) -> list[int]:
    """The follow-up years that belong to a plan version (those plan_of_year gives it), ascending."""
    return [y for y in followup_years(dataset) if plan_of_year(dataset, y) == plan]


SNAPSHOT_COLUMNS: tuple[str, ...] = ("id", "stored_status", "status", "derived", "comment", "reported_year")


def followup_snapshot(
    dataset: Dataset, year: int | None, today: date | None = None, plan: str | None = None
) -> pd.DataFrame:
    """Each action's status at the follow-up of a year: its latest entry up to that year, derived as of 31 December.

    Only the actions of `plan` (None: the plan that applies in that year, or today). `year=None` is now: the status
    on the Åtgärder sheet, derived as of today. Actions without an entry up to the year are not in the snapshot.
    """
    today = today or date.today()
    if year is None:
        reg = action_register(dataset, today, plan)
        out = reg[["id", "stored_status", "status", "derived", "comment"]].assign(reported_year=pd.NA)
        return out[list(SNAPSHOT_COLUMNS)]
    actions = plan_actions(dataset, plan_of_year(dataset, year) if plan is None else plan).set_index("id")
    as_of = min(date(year, 12, 31), today)
    months = risk_months()
    entries = dataset.action_followups
    entries = entries[entries["year"].notna() & (entries["year"] <= year) & entries["action"].isin(actions.index)]
    latest = entries.sort_values("year", kind="stable").drop_duplicates("action", keep="last")
    progress = _latest_progress(entries, year)
    order = {a: i for i, a in enumerate(actions.index)}
    rows = []
    for e in latest.itertuples(index=False):
        status, derived = _shown_status(e.status, actions.loc[e.action], as_of, progress.get(e.action), months)
        rows.append(
            {
                "id": e.action,
                "stored_status": e.status,
                "status": status or NO_STATUS,
                "derived": derived,
                "comment": e.comment,
                "reported_year": int(e.year),
            }
        )
    out = pd.DataFrame(rows, columns=list(SNAPSHOT_COLUMNS))
    out["_o"] = out["id"].map(order).fillna(len(order))
    return out.sort_values(["_o", "id"], kind="stable").drop(columns="_o").reset_index(drop=True)


def change_kind(previous: str | None, current: str) -> str | None:
    """What happened to an action between two follow-ups: Ny, Genomförd, Försenad, Avbruten, Vilande, another change or None."""
    if previous is None:
        return NEW
    if current == previous:
        return None
    if current in (DONE, DELAYED, AT_RISK, CANCELLED, PAUSED):
        return current
    return OTHER_CHANGE


CHANGE_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "theme",
    "responsible",
    "areas",
    "change",
    "previous_status",
    "status",
    "derived",
    "comment",
    "is_example",
)


def followup_changes(previous: pd.DataFrame | None, current: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """The actions of `register` whose status changed between two snapshots (new ones included), by kind of change."""
    if previous is None:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    before = dict(zip(previous["id"], previous["status"]))
    info = register.set_index("id")
    rows = []
    for s in current.itertuples(index=False):
        if s.id not in info.index:
            continue
        kind = change_kind(before.get(s.id), s.status)
        if kind is None:
            continue
        a = info.loc[s.id]
        rows.append(
            {
                "id": s.id,
                "title": a["title"],
                "theme": a["theme"],
                "responsible": a["responsible"],
                "areas": a["areas"],
                "change": kind,
                "previous_status": before.get(s.id, ""),
                "status": s.status,
                "derived": bool(s.derived),
                "comment": s.comment,
                "is_example": bool(a["is_example"] or a.get("followups_example", False)),
            }
        )
    out = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    rank = {k: i for i, k in enumerate(CHANGE_ORDER)}
    return (
        out.assign(_r=out["change"].map(rank))
        .sort_values("_r", kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def change_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Number of actions per kind of change, every kind included."""
    counts = changes["change"].value_counts()
    return {k: int(counts.get(k, 0)) for k in CHANGE_ORDER}


def previous_followup(years: Sequence[int], current: int | None) -> int | None:
    """The follow-up before `current` (None = now: the latest follow-up), or None when there is none."""
    earlier = [y for y in years if current is None or y < current]
    return max(earlier) if earlier else None


def snapshot_label(year: int | None) -> str:
    """'Uppföljning 2024', or 'Nu' for the current status."""
    return NOW_LABEL if year is None else f"Uppföljning {year}"


def followup_history(dataset: Dataset, ids: Iterable[str], today: date | None = None) -> pd.DataFrame:
    """Actions × follow-up years: the status shown at each follow-up ('' before an action's first entry)."""
    years = followup_years(dataset)
    ids = list(ids)
    table = pd.DataFrame(index=pd.Index(ids, name="id"))
    for year in years:
        snap = followup_snapshot(dataset, year, today)
        mapped = dict(zip(snap["id"], snap["status"]))
        table[year] = [mapped.get(i, "") for i in ids]
    return table


def action_followups(dataset: Dataset, action_id: str, today: date | None = None) -> pd.DataFrame:
    """One action's follow-up entries, oldest first, in Swedish: År, Plan, Angiven status, Status, Andel klar,
    Kommentar (each year judged against the action's dates in the plan of that year)."""
    today = today or date.today()
    entries = dataset.action_followups[dataset.action_followups["action"] == action_id].sort_values("year")
    months = risk_months()
    rows = []
    versions: dict[str, pd.Series] = {}  # the action as each plan has it, looked up once per plan
    for e in entries.to_dict("records"):
        year = int(e["year"])
        plan = plan_of_year(dataset, year)
        if plan not in versions:
            mine = plan_actions(dataset, plan)
            mine = mine[mine["id"] == action_id]
            versions[plan] = mine.iloc[0] if len(mine) else pd.Series({"start": "", "end": ""})
        action = versions[plan]
        progress = _latest_progress(entries, year).get(action_id)
        status, derived = _shown_status(e["status"], action, min(date(year, 12, 31), today), progress, months)
        rows.append(
            {
                "År": str(year),
                "Plan": plan_version(dataset, plan).label,
                "Angiven status": e["status"],
                "Status": status + (" (härledd)" if derived else ""),
                "Andel klar": "" if is_missing(e["progress"]) else format_percent(e["progress"], 0),
                "Kommentar": e["comment"],
            }
        )
    return pd.DataFrame(rows, columns=["År", "Plan", "Angiven status", "Status", "Andel klar", "Kommentar"])


# --- Outcomes -----------------------------------------------------------------------------------


OUTCOME_EXTRA: tuple[str, ...] = (
    "target_value",
    "target_year",
    "target_base_year",
    "target_base_value",
    "followup_year",
    "path_value",
    "attainment",
    "attainment_text",
)


def _area_values(dataset: Dataset, areas: Sequence[str]) -> dict[tuple[str, str, int], float]:
    """The areas' values (Totalt, not missing) by (area, indicator, year)."""
    obs = dataset.observations
    obs = obs[obs["area"].isin(list(areas)) & (obs["sex"] == TOTAL) & obs["value"].notna() & obs["year"].notna()]
    return {(a, i, int(y)): float(v) for a, i, y, v in zip(obs["area"], obs["indicator"], obs["year"], obs["value"])}


def outcome_table(
    dataset: Dataset,
    areas: Sequence[str],
    reference: str,
    baseline: int,
    indicators: Sequence[str] | None = None,
    followup_year: int | None = None,
) -> pd.DataFrame:
    """One row per area and indicator: compare.comparison_table's numbers and verdicts plus target and attainment.

    Attainment is judged from each target's own base year; `followup_year` None is the newest year with a value
    for any of the areas.
    """
    frames = []
    targets = dataset.targets.to_dict("records")
    values = _area_values(dataset, areas)
    if followup_year is None:
        followup_year = max((y for _, _, y in values), default=None)
    for area in areas:
        table = comparison_table(
            dataset, area, reference, baseline, indicators=list(indicators) if indicators is not None else None
        )
        if table.empty:
            continue
        extra = []
        for r in table.to_dict("records"):
            year = None if is_missing(r["year"]) else int(r["year"])
            target = target_for(targets, area, r["indicator"], year)
            t_value = target["target_value"] if target else None
            t_year = int(target["target_year"]) if target else None
            base_year = int(target["base_year"]) if target and not is_missing(target.get("base_year")) else None
            base_value = values.get((area, r["indicator"], base_year)) if base_year is not None else None
            result = target_attainment(
                r["value"],
                year,
                base_value,
                base_year,
                t_value,
                t_year,
                followup_year,
                r["direction"],
                r["decimals"],
                r["unit"],
            )
            extra.append(
                {
                    "target_value": t_value,
                    "target_year": t_year,
                    "target_base_year": base_year,
                    "target_base_value": base_value,
                    "followup_year": followup_year if target else None,
                    "path_value": result.path_value,
                    "attainment": result.word,
                    "attainment_text": result.text,
                }
            )
        frames.append(pd.concat([table, pd.DataFrame(extra, index=table.index)], axis=1))
    if not frames:
        empty = comparison_table(dataset, "", reference, baseline).iloc[0:0]
        return empty.assign(**{c: pd.Series(dtype=object) for c in OUTCOME_EXTRA})
    outcomes = pd.concat(frames, ignore_index=True)
    return outcomes.assign(is_example=outcome_example_flags(dataset, outcomes))


def outcome_example_flags(dataset: Dataset, outcomes: pd.DataFrame) -> pd.Series:
    """Per outcome row: True when a number it shows rests on an example (the one rule, model.is_example).

    The comparison's values (area and reference in the year and the baseline year), the target (its source) and the
    area's value in the target's base year, where the target's path starts.
    """
    sources = {
        (t["area"], t["indicator"], int(t["target_year"])): t["source"]
        for t in dataset.targets.to_dict("records")
        if not is_missing(t["target_year"])
    }
    index = series_index(dataset.observations)
    flags = []
    for r in outcomes.to_dict("records"):
        target_year, base_year = r.get("target_year"), r.get("target_base_year")
        target = not is_missing(target_year) and is_example(sources.get((r["area"], r["indicator"], int(target_year))))
        start = not is_missing(base_year) and index.any_example(r["area"], r["indicator"], [int(base_year)])
        flags.append(bool(r["is_example"]) or target or start)
    return pd.Series(flags, index=outcomes.index, dtype=bool)


SUMMARY_COLUMNS: tuple[str, ...] = (
    "area",
    "theme",
    "closing",
    "steady",
    "widening",
    "lead_growing",
    "no_verdict",
    "total",
)


def gap_summary(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per area and indicator theme (and all themes): indicators per bucket of compare.GapCount, and without verdict."""
    rows = []
    for area in dict.fromkeys(outcomes["area"]):
        mine = outcomes[outcomes["area"] == area]
        themes = [t for t in THEMES if t in set(mine["theme"])] + sorted(set(mine["theme"]) - set(THEMES))
        for theme, part in [(t, mine[mine["theme"] == t]) for t in themes] + [(ALL_THEMES, mine)]:
            c = gap_counts(part)
            rows.append(
                {
                    "area": area,
                    "theme": theme,
                    "closing": c.closing,
                    "steady": c.steady,
                    "widening": c.widening,
                    "lead_growing": c.lead_growing,
                    "no_verdict": len(part) - c.total,
                    "total": len(part),
                }
            )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def attainment_counts(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per area: targets per attainment word of ATTAINMENT_ORDER and in total (areas without targets left out)."""
    with_target = outcomes[outcomes["attainment"].fillna("") != ""]
    table = pd.crosstab(with_target["area"], with_target["attainment"]) if len(with_target) else pd.DataFrame()
    table = table.reindex(columns=list(ATTAINMENT_ORDER), fill_value=0).astype(int)
    table["Totalt"] = table.sum(axis=1)
    order = list(dict.fromkeys(outcomes["area"]))
    table = table.reindex([a for a in order if a in table.index])
    table.index.name = "area"
    return table


def linked_indicators(register: pd.DataFrame) -> list[str]:
    """The indicators the given actions are linked to, in first-mention order."""
    return list(dict.fromkeys(i for cell in register["indicators"] for i in split_list(cell)))


# --- The view model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """Everything the follow-up page and its Excel report show, computed once from the same numbers."""

    today: date
    filters: ActionFilter
    reference: str
    baseline: int
    register: pd.DataFrame
    total_actions: int
    status_counts: pd.DataFrame
    by_theme: pd.DataFrame
    by_department: pd.DataFrame
    by_area: pd.DataFrame
    years: list[int]
    current_year: int | None
    previous_year: int | None
    changes: pd.DataFrame
    history: pd.DataFrame
    outcomes: pd.DataFrame
    summary: pd.DataFrame
    attainment: pd.DataFrame
    linked_only: bool = False
    action_examples: bool = False
    outcome_examples: bool = False
    notes: list[str] = field(default_factory=list)
    plan: PlanVersion = field(default_factory=lambda: PlanVersion(""))
    previous_plan: PlanVersion | None = None
    plan_changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    carried_over: int = 0
    data_until: int | None = None

    @property
    def current_label(self) -> str:
        """'Nu' or 'Uppföljning 2025'."""
        return snapshot_label(self.current_year)

    @property
    def previous_label(self) -> str | None:
        """The label of the follow-up compared with, None when there is none."""
        return None if self.previous_year is None else snapshot_label(self.previous_year)


def data_until(dataset: Dataset, year: int | None) -> Dataset:
    """The dataset as a follow-up of a year knew it: observations up to that year (all of them for now)."""
    if year is None:
        return dataset
    obs = dataset.observations
    return dataset.with_table("observations", obs[obs["year"].notna() & (obs["year"] <= year)])


def follow_up(
    dataset: Dataset,
    filters: ActionFilter | None = None,
    reference: str | None = None,
    baseline: int = 2020,
    current_year: int | None = None,
    linked_only: bool = False,
    today: date | None = None,
    plan: str | None = None,
) -> FollowUp:
    """The follow-up of a plan version's filtered actions and of the outcomes in the focus areas (or the filtered ones).

    `plan` None is the plan of `current_year` (or of today). With a year, the actions have the statuses of that
    year's follow-up and the outcomes use the values up to that year.
    """
    today = today or date.today()
    filters = filters or ActionFilter()
    reference = reference or reference_area(dataset.areas) or ""
    if plan is None:
        plan = current_plan(dataset, today) if current_year is None else plan_of_year(dataset, current_year)
    full = action_register(dataset, today, plan, current_year)
    register = filter_actions(full, filters)
    years = followup_years(dataset)
    previous_year = previous_followup(years, current_year)
    current = followup_snapshot(dataset, current_year, today, plan)
    previous = followup_snapshot(dataset, previous_year, today) if previous_year is not None else None
    areas = [a for a in focus_areas(dataset.areas) if not filters.areas or a in filters.areas]
    indicators = linked_indicators(register) if linked_only else None
    known = data_until(dataset, current_year)
    outcomes = outcome_table(known, areas, reference, baseline, indicators, followup_year=current_year)
    entries = dataset.action_followups
    before = previous_plan(dataset, plan)
    changed = plan_changes(dataset, before, plan)
    return FollowUp(
        today=today,
        filters=filters,
        reference=reference,
        baseline=baseline,
        register=register,
        total_actions=len(full),
        status_counts=status_counts(register),
        by_theme=status_by(register, "theme"),
        by_department=status_by(register, "responsible"),
        by_area=status_by(register, "areas"),
        years=years,
        current_year=current_year,
        previous_year=previous_year,
        changes=followup_changes(previous, current, register),
        history=followup_history(dataset, register["id"], today),
        outcomes=outcomes,
        summary=gap_summary(outcomes),
        attainment=attainment_counts(outcomes),
        linked_only=linked_only,
        action_examples=bool(
            register["is_example"].any()
            or entries[entries["action"].isin(register["id"])]["source"].map(is_example).any()
        ),
        outcome_examples=bool(outcomes["is_example"].any()) if len(outcomes) else False,
        notes=[DERIVED_NOTE, risk_rule(risk_months()), *ATTAINMENT_RULES],
        plan=plan_version(dataset, plan),
        previous_plan=plan_version(dataset, before) if before is not None else None,
        plan_changes=changed,
        carried_over=carried_over(dataset, before, changed),
        data_until=current_year,
    )


# --- Tables in Swedish ---------------------------------------------------------------------------


def _areas_text(cell: object) -> str:
    """A ';'-separated area list as 'Berga, Ryd'."""
    return ", ".join(split_list(cell))


def register_table(register: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The action register with Swedish headers (and one column per follow-up year when a history is given)."""
    out = pd.DataFrame(
        {
            "Id": register["id"],
            "Åtgärd": register["title"],
            "Tema": register["theme"],
            "Ansvarig": register["responsible"],
            "Områden": register["areas"].map(_areas_text),
            "Start": register["start"],
            "Slut": register["end"],
            "Status": register["status"],
            "Angiven status": register["stored_status"],
            "Andel klar": register["progress"].map(lambda v: "" if is_missing(v) else format_percent(v, 0)),
            "Kommentar": register["comment"],
            "Indikatorer": register["indicator_names"],
            # Example actions, and with the follow-up columns example follow-ups, are marked.
            "Exempel": [
                "Ja" if a or (history is not None and f) else ""
                for a, f in zip(register["is_example"], register["followups_example"])
            ],
        }
    )
    if history is not None:
        for year in history.columns:
            out[f"Uppföljning {year}"] = register["id"].map(history[year]).fillna("").to_numpy()
    return out.reset_index(drop=True)


def counts_table(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """A status_by table with the category as a Swedish-headed first column."""
    return table.reset_index().rename(columns={by: BY_TITLES[by]})


def changes_table(changes: pd.DataFrame, previous_label: str, current_label: str) -> pd.DataFrame:
    """The changes between two follow-ups with Swedish headers."""
    return pd.DataFrame(
        {
            "Förändring": changes["change"],
            "Id": changes["id"],
            "Åtgärd": changes["title"],
            "Tema": changes["theme"],
            "Ansvarig": changes["responsible"],
            "Områden": changes["areas"].map(_areas_text),
            previous_label: changes["previous_status"].replace("", "–"),
            current_label: [s + (" (härledd)" if d else "") for s, d in zip(changes["status"], changes["derived"])],
            "Kommentar": changes["comment"],
            "Exempel": ["Ja" if e else "" for e in changes["is_example"]],
        }
    ).reset_index(drop=True)


def _year_text(year: object) -> str:
    """A year as a label ('2020'), '–' when missing."""
    return MISSING if is_missing(year) else str(int(year))


def outcome_display(outcomes: pd.DataFrame) -> pd.DataFrame:
    """The outcomes as a Swedish table: values and gaps then and now, verdicts, target and attainment."""
    rows = []
    for r in outcomes.to_dict("records"):
        unit, decimals = r["unit"], int(r["decimals"]) if not is_missing(r["decimals"]) else 0
        rows.append(
            {
                "Område": r["area"],
                "Tema": theme_title(r["theme"]),
                "Indikator": r["name"],
                "Basår": _year_text(r["baseline_year"]),
                "Värde basår": format_value(r["baseline_value"], unit, decimals),
                "År": _year_text(r["year"]),
                "Senaste värde": format_value(r["value"], unit, decimals),
                "Skillnad basår": gap_text(r["baseline_gap"], r),
                "Skillnad senaste": gap_text(r["gap"], r),
                "Skillnaden": gap_verdict_label(r["gap_verdict"]) or MISSING,
                "Värdet": value_verdict_label(r) or MISSING,
                "Mål": (
                    f"{format_value(r['target_value'], unit, decimals)} ({_year_text(r['target_year'])})"
                    if not is_missing(r["target_value"])
                    else ""
                ),
                "Målets basår": (
                    f"{format_value(r['target_base_value'], unit, decimals)} ({_year_text(r['target_base_year'])})"
                    if not is_missing(r["target_value"]) and not is_missing(r["target_base_year"])
                    else ""
                ),
                PATH_HEADER: format_value(r["path_value"], unit, decimals) if not is_missing(r["path_value"]) else "",
                "Måluppfyllelse": r["attainment_text"] or "",
                "Exempel": "Ja" if r["is_example"] else "",
            }
        )
    columns = [
        "Område",
        "Tema",
        "Indikator",
        "Basår",
        "Värde basår",
        "År",
        "Senaste värde",
        "Skillnad basår",
        "Skillnad senaste",
        "Skillnaden",
        "Värdet",
        "Mål",
        "Målets basår",
        PATH_HEADER,
        "Måluppfyllelse",
        "Exempel",
    ]
    return pd.DataFrame(rows, columns=columns)


SUMMARY_LABELS = {
    "area": "Område",
    "theme": "Tema",
    "closing": "Minskad skillnad",
    "steady": "Oförändrat",
    "widening": "Ogynnsam utveckling",
    "lead_growing": "Ökat försprång",
    "no_verdict": "Utan bedömning",
    "total": "Indikatorer",
}


def summary_display(summary: pd.DataFrame) -> pd.DataFrame:
    """The gap summary with Swedish headers."""
    return summary.assign(theme=summary["theme"].map(theme_title)).rename(columns=SUMMARY_LABELS)


def summary_matrix(summary: pd.DataFrame) -> pd.DataFrame:
    """Themes × areas, each cell '→← 2 · = 0 · ←→ 1' (improved, unchanged, unfavourable; '· ↑ 1' for leads that
    grew) or 'ingen bedömning'."""

    def cell(c: int, s: int, w: int, lead: int) -> str:
        """One cell of the matrix."""
        if not c + s + w + lead:
            return "ingen bedömning"
        text = f"{GAP_SYMBOLS[CLOSING]} {c} · {GAP_SYMBOLS[STEADY]} {s} · {GAP_SYMBOLS[WIDENING]} {w}"
        return f"{text} · {GAP_SYMBOLS[LEAD_GROWS]} {lead}" if lead else text

    cells = summary.assign(
        Tema=summary["theme"].map(theme_title),
        cell=[
            cell(*counts)
            for counts in zip(summary["closing"], summary["steady"], summary["widening"], summary["lead_growing"])
        ],
    )
    matrix = cells.pivot_table(index="Tema", columns="area", values="cell", aggfunc="first", sort=False)
    return matrix.reindex(columns=list(dict.fromkeys(summary["area"]))).fillna(MISSING)


def attainment_display(attainment: pd.DataFrame) -> pd.DataFrame:
    """The attainment counts with Swedish headers (capitalised verdicts)."""
    out = attainment.reset_index().rename(columns={"area": "Område"})
    return out.rename(columns={a: a.capitalize() for a in ATTAINMENT_ORDER})


def followup_tables(fu: FollowUp) -> dict[str, pd.DataFrame]:
    """The Swedish tables of the Uppföljning page for one follow-up: the register, the outcomes and the summary."""
    return {
        "register": register_table(fu.register, fu.history),
        "utfall": outcome_display(fu.outcomes),
        "sammanfattning": summary_matrix(fu.summary),
    }
