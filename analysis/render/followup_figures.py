"""Figures of the follow-up of actions: actions per status, per category and status, and a timeline (Gantt).

Every bar has its status colour and its status in text or a pattern, so colour never carries the status alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analysis.core.formatting import format_count
from analysis.core.palette import text_colour
from analysis.core.safety import plotly_text
from analysis.measures.action_status import parse_day
from analysis.render.charts import (
    CHAR_PX,
    FONT_SIZE,
    NOTE_SIZE,
    REFERENCE_LINE_COLOUR,
    bar_height,
    base_layout,
    wrapped,
)
from analysis.viewmodels.followup import STATUS_COLOURS, STATUS_ORDER, STATUS_PATTERNS, FollowUp

GANTT_LABEL_CHARS = 48
DARK_TEXT = "#222222"


def status_figure(counts: pd.DataFrame, title: str | None = "Åtgärder per status") -> go.Figure:
    """Horizontal bars of actions per status, each in its status colour, with the count at the bar."""
    statuses, values = counts["status"].tolist(), [int(v) for v in counts["count"]]
    texts = [format_count(v) for v in values]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=statuses,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont=dict(size=FONT_SIZE, color=DARK_TEXT),
            marker=dict(color=[STATUS_COLOURS[s] for s in statuses]),
            hovertext=[f"{s}: {t} åtgärder" for s, t in zip(statuses, texts)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    base_layout(
        fig, title, bar_height(len(statuses)), right_px=int(24 + CHAR_PX * max((len(t) for t in texts), default=1))
    )
    fig.update_yaxes(categoryorder="array", categoryarray=statuses, autorange="reversed", automargin=True)
    fig.update_xaxes(title_text="Antal åtgärder", tickformat=",", rangemode="tozero", dtick=_count_step(values))
    fig.update_layout(bargap=0.25)
    return fig


def _count_step(values: Iterable[int]) -> int:
    """A whole-number tick step for count axes (1, 2, 5, 10, …)."""
    top = max(values, default=1)
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 8:
            return step
    return 1000


def status_by_figure(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Stacked horizontal bars of actions per category and status: counts in the segments, totals at the end.

    Statuses have their colour and a pattern (legend), so the colour is never alone.
    """
    # Themes, departments and areas come from the data: escaped, they are the categories of the bars and annotations.
    categories = [plotly_text(c) for c in table.index]
    statuses = [s for s in table.columns if s in STATUS_COLOURS and table[s].sum() > 0]
    fig = go.Figure()
    for s in statuses:
        values = [int(v) for v in table[s]]
        fig.add_trace(
            go.Bar(
                x=[v or None for v in values],
                y=categories,
                orientation="h",
                name=s,
                text=[format_count(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont=dict(size=FONT_SIZE - 1, color=text_colour(STATUS_COLOURS[s])),
                marker=dict(
                    color=STATUS_COLOURS[s],
                    line=dict(color="white", width=1),
                    pattern=dict(
                        shape=STATUS_PATTERNS[s],
                        fillmode="overlay",
                        fgcolor=text_colour(STATUS_COLOURS[s]),
                        fgopacity=0.45,
                        solidity=0.15,
                        size=8,
                    ),
                ),
                hovertext=[f"{c}, {s.lower()}: {format_count(v)}" for c, v in zip(categories, values)],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    totals = [int(v) for v in table["Totalt"]] if "Totalt" in table.columns else []
    for category, total in zip(categories, totals):
        fig.add_annotation(
            x=total,
            y=category,
            text=f"<b>{format_count(total)}</b>",
            xanchor="left",
            xshift=6,
            showarrow=False,
            font=dict(size=FONT_SIZE, color=DARK_TEXT),
        )
    base_layout(fig, title, bar_height(len(categories)) + 30, legend_items=len(statuses), right_px=60)
    fig.update_layout(barmode="stack", bargap=0.3, legend_traceorder="normal")
    fig.update_yaxes(categoryorder="array", categoryarray=categories, autorange="reversed", automargin=True)
    fig.update_xaxes(title_text="Antal åtgärder", tickformat=",", rangemode="tozero", dtick=_count_step(totals))
    return fig


def _short(text: str, width: int = GANTT_LABEL_CHARS) -> str:
    """Text cut to a width with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def gantt_text(action: dict) -> str:
    """The text on an action's Gantt bar: its status, marked when derived from the end date."""
    return str(action["status"]) + (" (härledd)" if action["derived"] else "")


def timeline_figure(register: pd.DataFrame, today: date | None = None, title: str | None = "Tidslinje") -> go.Figure:
    """A Gantt chart: one bar per action from start to end in its status colour, the status written on it, a line for today."""
    today = today or date.today()
    rows = []
    undated = []
    for r in register.to_dict("records"):
        start, end = parse_day(r["start"]), parse_day(r["end"])
        if start is None or end is None:
            undated.append(str(r["id"]))
            continue
        rows.append((r, start, max(end, start)))
    rows.sort(key=lambda item: (item[1], item[2], str(item[0]["id"])))
    # Shortened before escaping, so that the cut never falls inside an entity such as &lt;.
    labels = [plotly_text(_short(f"{r['id']} {r['title']}")) for r, _, _ in rows]
    first = min((a for _, a, _ in rows), default=today)
    last = max([b for _, _, b in rows] + [today])
    axis_start, axis_end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    span = max((axis_end - axis_start).days, 1)

    def fits(r: dict, a: date, b: date) -> bool:
        """True when the status text fits inside the bar (about 8 px per character on a ~900 px wide plot)."""
        return ((b - a).days + 1) / span * 900 >= 8 * len(gantt_text(r)) + 12

    outside = [not fits(r, a, b) for r, a, b in rows]
    if any(o and (axis_end - b).days < span * 0.12 for o, (_, _, b) in zip(outside, rows)):
        axis_end = date(axis_end.year, 7, 1)  # room for the text after a short bar at the end
    fig = go.Figure()
    for s in [s for s in STATUS_ORDER if any(r["status"] == s for r, _, _ in rows)]:
        mine = [(label, r, a, b, o) for label, (r, a, b), o in zip(labels, rows, outside) if r["status"] == s]
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=s,
                y=[m[0] for m in mine],
                base=[m[2].isoformat() for m in mine],
                x=[((m[3] - m[2]).days + 1) * 86_400_000 for m in mine],
                text=[gantt_text(m[1]) for m in mine],
                textposition=["outside" if m[4] else "inside" for m in mine],
                insidetextanchor="start",
                constraintext="none",
                textangle=0,
                cliponaxis=False,
                textfont=dict(
                    size=FONT_SIZE - 2, color=[DARK_TEXT if m[4] else text_colour(STATUS_COLOURS[s]) for m in mine]
                ),
                marker=dict(color=STATUS_COLOURS[s], line=dict(color="white", width=1)),
                hovertext=[
                    f"{plotly_text(m[1]['id'])} {plotly_text(m[1]['title'])}<br>{m[2].isoformat()} – "
                    f"{m[3].isoformat()}<br>Status: {s}" + (" (härledd ur slutdatum)" if m[1]["derived"] else "")
                    for m in mine
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    notes = [wrapped(f"Saknar start- eller slutdatum: {', '.join(undated)}")] if undated else []
    height = 140 + 26 * max(len(rows), 1)
    base_layout(fig, title, height, legend_items=len(fig.data), notes=notes, right_px=30)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        automargin=True,
        tickfont=dict(size=FONT_SIZE - 2),
    )
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", showgrid=True, title_text=None)
    fig.update_xaxes(range=[axis_start.isoformat(), axis_end.isoformat()])
    fig.add_shape(
        type="line",
        xref="x",
        x0=today.isoformat(),
        x1=today.isoformat(),
        yref="paper",
        y0=0,
        y1=1,
        line=dict(color=REFERENCE_LINE_COLOUR, width=2, dash="dot"),
    )
    fig.add_annotation(
        text=f"I dag {today.isoformat()}",
        xref="x",
        x=today.isoformat(),
        yref="paper",
        y=1,
        xanchor="right",
        yanchor="bottom",
        xshift=-4,
        showarrow=False,
        font=dict(size=NOTE_SIZE, color=REFERENCE_LINE_COLOUR),
    )
    return fig


def followup_figures(fu: FollowUp, today: date) -> dict[str, go.Figure]:
    """Every figure of the Uppföljning page for one follow-up, by the key the page shows it under."""
    return {
        "status": status_figure(fu.status_counts),
        "tema": status_by_figure(fu.by_theme, "Åtgärder per tema"),
        "ansvarig": status_by_figure(fu.by_department, "Åtgärder per ansvarig"),
        "omrade": status_by_figure(fu.by_area, "Åtgärder per område"),
        "tidslinje": timeline_figure(fu.register, today, title=None),
    }
