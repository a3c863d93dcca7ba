"""Bilaga 5 – the yearly follow-up of the action plan as a board document, built from the page's FollowUp.

The order is the one a follow-up is written in: a summary in sentences generated from the numbers, the actions per
theme with status, department, period and the year's comment, the outcome indicators per focus area (baseline,
latest value, gap, target and attainment), what changed since the previous follow-up and since the previous plan,
how statuses and targets are judged, and the sources. Word, HTML and PowerPoint draw this one model
(analysis/exports/bilaga5.py), so their numbers are the page's: the model never computes a number of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.core.formatting import MISSING, format_value
from analysis.core.model import SEXES, THEMES, Dataset, is_example, is_missing
from analysis.core.safety import safe_filename
from analysis.measures.compare import COUNT, gap_counts, series_index
from analysis.measures.followup_sentences import (
    attainment_sentence,
    change_sentence,
    plan_change_sentence,
    status_sentence,
)
from analysis.measures.narrative import area_summary_sentence, in_text
from analysis.measures.presentation import gap_text, gap_verdict_label
from analysis.measures.verdicts import THRESHOLD_TEXT
from analysis.viewmodels.followup import (
    STATUS_COLOURS,
    STATUS_ORDER,
    FollowUp,
    change_counts,
)
from analysis.viewmodels.nulage import EXAMPLE_MARK, theme_title
from analysis.viewmodels.plans import CHANGED_IN_PLAN, DROPPED_FROM_PLAN, NEW_IN_PLAN, plan_change_counts
from analysis.viewmodels.slides import (
    FOLLOWUP_SLIDE,
    STACKED,
    TABLE_SLIDE,
    TITLE_SLIDE,
    ChartData,
    ChartSeries,
    Paragraph,
    Slide,
    SlideTable,
    SourceEntry,
    counts_chart,
    swedish_date,
)

TITLE = "Uppföljning av åtgärdsplan mot segregation"
NBSP = "\u00a0"
EXAMPLE_LEAD = "Exempeldata. "
EXAMPLE_TEXT = (
    "Uppföljningen innehåller påhittade exempel (källa Exempelvärde (fiktivt)): åtgärder, uppföljningar, mål "
    "eller indikatorvärden som ska ersättas med kommunens riktiga uppgifter. Rader med exempel är märkta med *."
)
ACTION_COLUMNS = ("Id", "Åtgärd", "Status", "Ansvarig", "Period", "Andel klar", "Kommentar")
OUTCOME_COLUMNS = ("Indikator", "Basår", "Senaste", "Skillnad", "Bedömning", "Mål", "Måluppfyllelse")
# Text columns left, numbers right.
ACTION_NUMERIC = (False, False, False, False, False, True, False)
OUTCOME_NUMERIC = (False, True, True, True, False, True, False)
# Rows per slide: the action and change tables carry long texts.
SLIDE_ROWS = {"actions": 9, "outcomes": 13, "changes": 10, "plan": 10}


@dataclass(frozen=True)
class ReportSection:
    """One section: a heading at a level (1 or 2), paragraphs, a table and a chart (each optional)."""

    heading: str
    level: int = 1
    paragraphs: tuple[Paragraph, ...] = ()
    table: SlideTable | None = None
    chart: ChartData | None = None
    empty_text: str = ""
    kind: str = ""  # summary, actions, outcomes, changes, plan, rules: how the deck lays it out


@dataclass(frozen=True)
class Bilaga5:
    """The follow-up document: title, meta line, summary sentences, sections, sources and the example note."""

    title: str
    meta: str
    year: int
    plan: str
    summary: tuple[str, ...]
    example_note: str
    sections: tuple[ReportSection, ...]
    sources: tuple[SourceEntry, ...]
    other_sources: tuple[str, ...]
    status_counts: dict[str, int]

    @property
    def example_note_body(self) -> str:
        """The example note after its lead word, for documents that set the lead in bold themselves."""
        return self.example_note.removeprefix(EXAMPLE_LEAD)

    @property
    def charts(self) -> list[ChartData]:
        """The charts in document order."""
        return [s.chart for s in self.sections if s.chart is not None]


def report_year(fu: FollowUp) -> int:
    """The year the document follows up: the chosen follow-up, or this year for the current status."""
    return fu.current_year if fu.current_year is not None else fu.today.year


def report_title(year: int) -> str:
    """'Bilaga 5 – Uppföljning av åtgärdsplan mot segregation 2021'."""
    return f"Bilaga 5 – {TITLE} {year}"


def report_file_name(year: int, extension: str) -> str:
    """'Bilaga5_Uppfoljning_atgardsplan_2021.docx'."""
    return "_".join(safe_filename(f"Bilaga5 Uppföljning åtgärdsplan {year}").split()) + f".{extension}"


def _marked(text: str, example: bool) -> str:
    """A cell with the example mark when its row rests on an example."""
    # A no-break space: the mark stays with a short id in a narrow column ("A01 *", never "A01" over "*").
    return f"{text}{EXAMPLE_MARK.replace(' ', NBSP)}" if example else text


def _period(start: object, end: object) -> str:
    """'2021-03–2026-12' from ISO dates (months), '?' for a missing end."""
    a, b = str(start or "")[:7], str(end or "")[:7]
    return f"{a or '?'}–{b or '?'}"


def status_table(fu: FollowUp) -> SlideTable:
    """Statuses and their numbers of actions, as on the page's metrics (zeros included)."""
    rows = [(s, str(int(n))) for s, n in zip(fu.status_counts["status"], fu.status_counts["count"])]
    return SlideTable(("Status", "Antal åtgärder"), (*rows, ("Totalt", str(len(fu.register)))))


def status_chart(fu: FollowUp) -> ChartData | None:
    """Actions per theme and status as stacked bars (themes in the plan's order), None without actions."""
    table = fu.by_theme
    if table.empty:
        return None
    statuses = [s for s in STATUS_ORDER if s in table.columns and table[s].sum() > 0]
    series = tuple(
        ChartSeries(s, tuple(float(table.loc[t, s]) for t in table.index), STATUS_COLOURS[s]) for s in statuses
    )
    categories = tuple(theme_title(t) if t in THEMES else str(t).capitalize() for t in table.index)
    return ChartData(STACKED, "Åtgärder per tema och status", categories, series, COUNT, 0, "Antal åtgärder")


def action_rows(fu: FollowUp, actions: pd.DataFrame) -> SlideTable:
    """Actions as rows: id, title, status (derived ones said), department, period, progress and the year's comment."""
    progress = fu.register.set_index("id")["progress"] if len(fu.register) else pd.Series(dtype=float)
    rows = []
    for a in actions.to_dict("records"):
        status = a["status"] + (" (härledd)" if a["derived"] else "")
        value = progress.get(a["id"])
        rows.append(
            (
                _marked(a["id"], bool(a["is_example"] or a["followups_example"])),
                a["title"],
                status,
                a["responsible"] or MISSING,
                _period(a["start"], a["end"]),
                MISSING if is_missing(value) else format_value(value, "procent", 0),
                a["comment"] or "",
            )
        )
    return SlideTable(ACTION_COLUMNS, tuple(rows), ACTION_NUMERIC)


def _valued(value: object, year: object, unit: str, decimals: int) -> str:
    """'54,0 % (2022)', or '–' without a value or year."""
    if is_missing(value) or is_missing(year):
        return MISSING
    return f"{format_value(value, unit, decimals)} ({int(year)})"


def outcome_rows(outcomes: pd.DataFrame) -> SlideTable:
    """One area's outcome indicators: baseline and latest value with years, gap, verdict, target and attainment."""
    rows = []
    for r in outcomes.to_dict("records"):
        unit, decimals = r["unit"], 0 if is_missing(r["decimals"]) else int(r["decimals"])

        target = (
            f"{format_value(r['target_value'], unit, decimals)} ({int(r['target_year'])})"
            if not is_missing(r["target_value"])
            else MISSING
        )
        rows.append(
            (
                _marked(r["name"], bool(r["is_example"])),
                _valued(r["baseline_value"], r["baseline_year"], unit, decimals),
                _valued(r["value"], r["year"], unit, decimals),
                gap_text(r["gap"], r) or MISSING,
                gap_verdict_label(r["gap_verdict"]) or MISSING,
                target,
                (r["attainment"] or MISSING).capitalize() if r["attainment"] else MISSING,
            )
        )
    return SlideTable(OUTCOME_COLUMNS, tuple(rows), OUTCOME_NUMERIC)


def change_rows(fu: FollowUp) -> SlideTable:
    """The actions whose status changed since the previous follow-up."""
    previous, current = fu.previous_label or "Förra", fu.current_label
    rows = tuple(
        (
            c["change"],
            _marked(c["id"], bool(c["is_example"])),
            c["title"],
            c["previous_status"] or MISSING,
            c["status"] + (" (härledd)" if c["derived"] else ""),
        )
        for c in fu.changes.to_dict("records")
    )
    return SlideTable(("Förändring", "Id", "Åtgärd", previous, current), rows, (False,) * 5)


def plan_change_rows(fu: FollowUp) -> SlideTable:
    """The actions new in, changed in or dropped from the plan, with what changed."""
    rows = tuple(
        (c["change"], _marked(c["id"], bool(c["is_example"])), c["title"], c["details"])
        for c in fu.plan_changes.to_dict("records")
    )
    return SlideTable(("Förändring", "Id", "Åtgärd", "Vad som ändrades"), rows, (False,) * 4)


def indicator_sources(dataset: Dataset, fu: FollowUp) -> tuple[SourceEntry, ...]:
    """Per outcome indicator its definition and source, and the distinct sources of the values shown."""
    areas = [*dict.fromkeys(fu.outcomes["area"]), fu.reference]
    index = series_index(dataset.observations)
    entries = []
    for r in fu.outcomes.drop_duplicates("indicator").to_dict("records"):
        rows = index.rows([a for a in areas if a], r["indicator"], list(SEXES))
        if fu.current_year is not None:
            rows = rows[rows["year"] <= fu.current_year]
        used = sorted({str(s).strip() for s in rows["source"] if str(s).strip()}, key=lambda s: (is_example(s), s))
        entries.append(SourceEntry(r["name"], r.get("definition") or "", r.get("source") or "", tuple(used)))
    return tuple(entries)


def plan_sources(dataset: Dataset, fu: FollowUp) -> tuple[str, ...]:
    """The sources of the plan version, its actions and their follow-ups, as written in the data."""
    texts = [f"{fu.plan.label}: {fu.plan.source}"] if fu.plan.source else []
    actions = sorted({s for s in dataset.actions["source"] if s})
    followups = sorted({s for s in dataset.action_followups["source"] if s})
    if actions:
        texts.append("Åtgärderna: " + "; ".join(actions))
    if followups:
        texts.append("Uppföljningarna: " + "; ".join(followups))
    return tuple(texts)


def plan_sentence(fu: FollowUp) -> str:
    """What the plan version changed against the previous one, in one sentence (there must be a previous one)."""
    n = plan_change_counts(fu.plan_changes)
    return plan_change_sentence(
        fu.previous_plan.label, fu.plan.label, n[NEW_IN_PLAN], n[CHANGED_IN_PLAN], n[DROPPED_FROM_PLAN], fu.carried_over
    )


def summary_sentences(fu: FollowUp) -> tuple[str, ...]:
    """The summary: the plan, the statuses, the gaps per focus area, the targets, and what changed."""
    counts = dict(zip(fu.status_counts["status"], (int(n) for n in fu.status_counts["count"])))
    filtered = fu.filters.describe() != "Alla åtgärder"
    out = [fu.plan.describe(), status_sentence(counts, selection=filtered)]
    if fu.current_year is not None and not fu.plan.covers(fu.current_year):
        out[0] += (
            f" Det finns ingen senare plan i datan, så uppföljningen {fu.current_year} gäller den här planens åtgärder."
        )
    for area in dict.fromkeys(fu.outcomes["area"]):
        mine = fu.outcomes[fu.outcomes["area"] == area]
        out.append(area_summary_sentence(area, fu.reference, gap_counts(mine), fu.baseline))
    attained = attainment_sentence({c: int(fu.attainment[c].sum()) for c in fu.attainment.columns if c != "Totalt"})
    if attained:
        out.append(attained)
    if fu.previous_label is not None:
        out.append(change_sentence(change_counts(fu.changes), fu.previous_label))
    if fu.previous_plan is not None:
        out.append(plan_sentence(fu))
    return tuple(out)


def _sections(fu: FollowUp, summary: Sequence[str]) -> list[ReportSection]:
    """The document's sections in the order a follow-up is written."""
    year = report_year(fu)
    sections = [
        ReportSection(
            "Sammanfattning",
            paragraphs=tuple(Paragraph(s) for s in summary),
            table=status_table(fu),
            chart=status_chart(fu),
            kind="summary",
        )
    ]
    comment = "Kommentaren är den senast rapporterade" + (f" till och med {year}." if fu.current_year else ".")
    sections.append(
        ReportSection(
            "Åtgärder per tema",
            paragraphs=(Paragraph(f"Status vid {fu.current_label.lower()}. {comment} Härledd status: se slutet."),),
            empty_text="Inga åtgärder matchar urvalet.",
            kind="intro",
        )
    )
    for theme in list(fu.by_theme.index):
        mine = fu.register[fu.register["theme"].fillna("").replace("", "Inget tema") == theme]
        title = theme_title(theme) if theme in THEMES else str(theme).capitalize()
        sections.append(ReportSection(title, level=2, table=action_rows(fu, mine), kind="actions"))
    sections.append(
        ReportSection(
            "Utfall per fokusområde",
            paragraphs=(
                Paragraph(
                    f"Indikatorerna i varje fokusområde jämförda med {in_text(fu.reference)}: värdet basåret "
                    f"{fu.baseline} och senaste år"
                    + (f" till och med {year}" if fu.current_year else "")
                    + f", skillnaden senaste år, hur skillnaden har utvecklats sedan basåret, och målen. "
                    f"{THRESHOLD_TEXT}"
                ),
            ),
            chart=counts_chart(
                "Skillnaden mot jämförelseområdet sedan basåret",
                {a: gap_counts(fu.outcomes[fu.outcomes["area"] == a]) for a in dict.fromkeys(fu.outcomes["area"])},
            )
            if len(fu.outcomes)
            else None,
            empty_text="Det finns inga indikatorvärden för fokusområdena i urvalet.",
            kind="intro",
        )
    )
    for area in dict.fromkeys(fu.outcomes["area"]):
        mine = fu.outcomes[fu.outcomes["area"] == area]
        sections.append(
            ReportSection(
                area,
                level=2,
                paragraphs=(Paragraph(area_summary_sentence(area, fu.reference, gap_counts(mine), fu.baseline)),),
                table=outcome_rows(mine),
                kind="outcomes",
            )
        )
    if fu.previous_label is not None:
        sections.append(
            ReportSection(
                f"Förändringar sedan {fu.previous_label.lower()}",
                paragraphs=(Paragraph(change_sentence(change_counts(fu.changes), fu.previous_label)),),
                table=change_rows(fu) if len(fu.changes) else None,
                kind="changes",
            )
        )
    else:
        sections.append(
            ReportSection(
                "Förändringar sedan förra uppföljningen",
                empty_text=f"Det finns ingen uppföljning före {fu.current_label.lower()} att jämföra med.",
                kind="changes",
            )
        )
    if fu.previous_plan is not None:
        sentence = plan_sentence(fu)
        sections.append(
            ReportSection(
                f"Förändringar sedan {fu.previous_plan.label}",
                paragraphs=(Paragraph(sentence), Paragraph(fu.previous_plan.describe())),
                table=plan_change_rows(fu) if len(fu.plan_changes) else None,
                kind="plan",
            )
        )
    sections.append(
        ReportSection("Så bedöms status och mål", paragraphs=tuple(Paragraph(n) for n in fu.notes), kind="rules")
    )
    return sections


def bilaga5(dataset: Dataset, fu: FollowUp, *, version: int | None = None) -> Bilaga5:
    """Bilaga 5 for the follow-up the page shows (the same FollowUp: plan, year, filters, comparison)."""
    year = report_year(fu)
    summary = summary_sentences(fu)
    sections = _sections(fu, summary)
    urval = fu.filters.describe()
    meta = " · ".join(
        p
        for p in (
            swedish_date(fu.today),
            fu.plan.label,
            fu.current_label,
            f"Dataversion {version}" if version else "",
            f"Jämförelse: {in_text(fu.reference)}" if fu.reference else "",
            f"Basår {fu.baseline}",
            f"Urval: {urval}" if urval != "Alla åtgärder" else "",
        )
        if p
    )
    example = fu.action_examples or fu.outcome_examples
    return Bilaga5(
        title=report_title(year),
        meta=meta,
        year=year,
        plan=fu.plan.label,
        summary=summary,
        example_note=EXAMPLE_LEAD + EXAMPLE_TEXT if example else "",
        sections=tuple(sections),
        sources=indicator_sources(dataset, fu),
        other_sources=plan_sources(dataset, fu),
        status_counts=dict(zip(fu.status_counts["status"], (int(n) for n in fu.status_counts["count"]))),
    )


def _chunks(table: SlideTable, size: int) -> list[SlideTable]:
    """A table split into parts of at most `size` rows (one empty part for an empty table)."""
    rows = table.rows or ((),)
    return [
        SlideTable(table.columns, tuple(r for r in rows[i : i + size] if r), table.numeric)
        for i in range(0, len(rows), size)
    ]


def report_slides(report: Bilaga5) -> list[Slide]:
    """The document as slides: a title, the summary with its chart, then one slide per table part."""
    notes = (report.example_note,) if report.example_note else ()
    # The title slide's large type needs a short title: the year's follow-up, with the document's name below.
    slides = [
        Slide(
            TITLE_SLIDE,
            f"Uppföljning {report.year}",
            f"Bilaga 5 – Åtgärdsplan mot segregation · {report.plan}",
            bullets=(report.meta,),
            is_example=bool(notes),
        )
    ]
    for section in report.sections:
        if section.kind == "summary":
            texts = [p.text for p in section.paragraphs]
            slides.append(
                Slide(
                    FOLLOWUP_SLIDE,
                    "Sammanfattning",
                    report.plan,
                    bullets=tuple(texts[:2]),
                    table=section.table,
                    chart=section.chart,
                    notes=notes,
                )
            )
            slides.append(
                Slide(TABLE_SLIDE, "Utfall och förändringar", report.plan, bullets=tuple(texts[2:]), notes=notes)
            )
            continue
        if section.kind == "intro" and section.chart is not None:
            slides.append(
                Slide(
                    FOLLOWUP_SLIDE,
                    section.heading,
                    report.plan,
                    bullets=tuple(p.text for p in section.paragraphs),
                    chart=section.chart,
                    notes=notes,
                )
            )
            continue
        if section.table is None:
            if section.kind in ("changes", "rules") and (section.paragraphs or section.empty_text):
                texts = tuple(p.text for p in section.paragraphs) or (section.empty_text,)
                slides.append(Slide(TABLE_SLIDE, section.heading, report.plan, bullets=texts, notes=notes))
            continue
        parts = _chunks(section.table, SLIDE_ROWS.get(section.kind, 8))
        lead = tuple(p.text for p in section.paragraphs[:1])
        for i, part in enumerate(parts, start=1):
            title = section.heading + (f" ({i}/{len(parts)})" if len(parts) > 1 else "")
            slides.append(
                Slide(TABLE_SLIDE, title, report.plan, bullets=lead if i == 1 else (), table=part, notes=notes)
            )
    sources = [f"{s.name}: {s.source or '–'}" for s in report.sources] + list(report.other_sources)
    slides.append(Slide(TABLE_SLIDE, "Källor", report.plan, bullets=tuple(sources[:12]), notes=notes))
    return slides


def sections_for(report: Bilaga5, kind: str) -> list[ReportSection]:
    """The sections of one kind (actions, outcomes, …), for tests and the page."""
    return [s for s in report.sections if s.kind == kind]
