"""Plotly figure builders: pure functions from tidy frames to `go.Figure`, in one house style.

Every figure uses one colour, dash and marker per area (Okabe–Ito, colour-blind safe), Swedish
number format, direct labels, hollow markers for fictitious example values and gaps for missing
values. Pages only choose which figure to show; nothing here knows about Streamlit.

Plotly reads HTML tags and entities in every text (titles, names, labels, ticks, hover texts), so text from the data
is escaped with `plotly_text` where it enters a figure: titles given to `base_layout` are plain text and escaped
there; notes, axis titles and reference-line labels passed on are already Plotly text (our own <br> kept).
"""

from __future__ import annotations

import html
import math
import numbers
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analysis.core.breaks import break_years
from analysis.core.formatting import MISSING, format_number, format_value
from analysis.core.missing import is_missing
from analysis.core.palette import (
    LABEL_INK,
    LIGHT_GREY,
    MEN,
    OUTLINE_GREY,
    SEX_STYLE,
    WOMEN,
    AreaStyle,
    label_colour,
    style_for,
    text_colour,
)
from analysis.core.safety import plotly_text
from analysis.core.units import axis_title, indicator_decimals
from analysis.measures.presentation import gap_text
from analysis.measures.summary import example_mask
from analysis.measures.verdicts import rule_for
from analysis.viewmodels.slides import LINE, STACKED, ChartData

EXAMPLE_NOTE_POINTS = "Ofyllda punkter är exempelvärden (fiktiva)."
EXAMPLE_NOTE_BARS = "Ofyllda staplar är exempelvärden (fiktiva)."
SEPARATORS = ", "
FONT_SIZE = 16
TITLE_SIZE = 20
NOTE_SIZE = 14
TEMPLATE = "segdash"
# A small white template: plotly's built-in ones are deep-copied into every figure and cost
# tens of milliseconds each, which adds up on pages with many charts.
_GRID = "#E5E5E5"
pio.templates[TEMPLATE] = go.layout.Template(
    layout=dict(
        paper_bgcolor="white",
        plot_bgcolor="white",
        font=dict(color="#222222", family="Source Sans Pro, Arial, sans-serif"),
        xaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor=_GRID, automargin=True, ticks=""),
        yaxis=dict(gridcolor=_GRID, linecolor=_GRID, zerolinecolor="#BBBBBB", automargin=True, ticks=""),
        hoverlabel=dict(align="left"),
        # Plotly's toolbar icons default to a 30 % grey (1.7:1); these have 7:1 and the theme's blue when active.
        modebar=dict(color="#595959", activecolor="#005AA0", bgcolor="rgba(255,255,255,0.9)"),
    )
)
pio.templates.default = TEMPLATE
REFERENCE_LINE_COLOUR = "#555555"

# Pixel estimates for a 16 px font; the layout is computed up front because plotly cannot
# measure text, and direct labels and notes must not be clipped on a projector.
CHAR_PX = 9.5
LINE_PX = 24
AXIS_PX = 62
BAR_PX = 28
BAR_BASE_PX = 60
LEGEND_ITEMS_PER_ROW = 4
MAX_LABEL_MARGIN = 240
NOTE_WRAP = 90


def index_text(index: object) -> str:
    """An index value (reference = 100) as a whole number."""
    return format_number(index, 0)


def example_flags(frame: pd.DataFrame) -> pd.Series:
    """True per row that is (or rests on) an example value: its example column, else its source (model.is_example)."""
    if "example" in frame.columns:
        return frame["example"].fillna(False).astype(bool)
    if "source" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return example_mask(frame).fillna(False).astype(bool)


def first_seen_order(values: pd.Series) -> list[str]:
    """The distinct values in the order they first appear."""
    return list(dict.fromkeys(values.astype(str)))


def usual_year_step(frame: pd.DataFrame) -> int:
    """The most common step between consecutive years of an area (1 for yearly data, 4 for election years)."""
    steps: list[int] = []
    for _, group in frame.groupby("area", sort=False):
        years = sorted({int(y) for y in group["year"].dropna()})
        steps.extend(b - a for a, b in zip(years, years[1:]))
    if not steps:
        return 1
    counts = pd.Series(steps).value_counts()
    return int(min(counts[counts == counts.max()].index))


def line_points(frame: pd.DataFrame, value_column: str, step: int) -> pd.DataFrame:
    """One area's rows sorted by year, with a missing point inserted where a year is absent."""
    rows = frame.dropna(subset=["year"]).copy()
    rows["year"] = rows["year"].astype(int)
    rows = rows.sort_values("year", kind="stable").drop_duplicates("year", keep="last")
    rows["_example"] = example_flags(rows)
    years = rows["year"].tolist()
    # An absent year is a missing value too: without a break the line would bridge it.
    holes = [a + step for a, b in zip(years, years[1:]) if b - a > step]
    if holes:
        filler = pd.DataFrame({"year": holes, value_column: [math.nan] * len(holes), "_example": False})
        rows = pd.concat([rows, filler], ignore_index=True).sort_values("year", kind="stable")
    rows[value_column] = pd.to_numeric(rows[value_column], errors="coerce").astype(float)
    return rows.reset_index(drop=True)


def none_for_missing(values: Sequence[object]) -> list[float | None]:
    """Floats with None where a value is missing, so plotly draws a gap."""
    return [None if is_missing(v) else float(v) for v in values]


def spread_positions(values: list[float], min_gap: float) -> list[float]:
    """Label positions at least `min_gap` apart, as close to the values as possible (same order as given)."""
    if len(values) < 2 or min_gap <= 0:
        return list(values)
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [values[order[0]]]
    for i in order[1:]:
        placed.append(max(values[i], placed[-1] + min_gap))
    # Pushing only upwards drifts the labels; re-centre them on the lines they belong to.
    drift = (sum(placed) - sum(values[i] for i in order)) / len(placed)
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = placed[rank] - drift
    return out


def legend_rows(n_items: int) -> int:
    """Estimated rows of a horizontal legend."""
    return max(1, math.ceil(n_items / LEGEND_ITEMS_PER_ROW))


def wrapped(text: str, width: int = NOTE_WRAP) -> str:
    """Plain text escaped for plotly and broken into lines for an annotation (plotly does not wrap by itself)."""
    # Wrapped before escaping, so that a line break never falls inside an entity such as &lt;.
    return "<br>".join(plotly_text(line) for line in textwrap.wrap(text, width)) or plotly_text(text)


def missing_note(names: Sequence[str]) -> str | None:
    """'Saknas: X, Y' for areas without a value, or None when nothing is missing."""
    return f"Saknas: {', '.join(names)}" if names else None


def base_layout(
    fig: go.Figure,
    title: str | None,
    height: int,
    *,
    legend_items: int = 0,
    right_px: int = 30,
    notes: Sequence[str] = (),
    axis_px: int = AXIS_PX,
) -> go.Figure:
    """The figure with the house layout: fonts, template, separators, margins, legend and notes below.

    The title is plain text (escaped here); the notes are Plotly text, escaped by the caller (`wrapped`).
    """
    legend_px = 28 * legend_rows(legend_items) if legend_items else 0
    top = (48 if title else 16) + legend_px
    lines = sum(n.count("<br>") + 1 for n in notes)
    bottom = axis_px + (LINE_PX * lines + 12 if notes else 0)
    fig.update_layout(
        template=TEMPLATE,
        separators=SEPARATORS,
        height=height,
        font=dict(size=FONT_SIZE),
        title=dict(
            text=plotly_text(title or ""),
            font=dict(size=TITLE_SIZE),
            x=0,
            xanchor="left",
            xref="container",
            y=1,
            yanchor="top",
            yref="container",
            pad=dict(t=12, l=12),
        ),
        margin=dict(l=70, r=right_px, t=top, b=bottom, pad=4),
        hoverlabel=dict(font_size=FONT_SIZE),
        hovermode="closest",
        showlegend=bool(legend_items),
        legend=dict(
            orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", yref="paper", font=dict(size=FONT_SIZE - 1)
        ),
    )
    shift = -axis_px
    for note in notes:
        fig.add_annotation(
            text=note,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=shift,
            showarrow=False,
            align="left",
            font=dict(size=NOTE_SIZE, color="#333333"),
        )
        shift -= LINE_PX * (note.count("<br>") + 1)
    return fig


def year_axis(fig: go.Figure, years: Sequence[int]) -> go.Figure:
    """The x axis as whole years: integer ticks only, at most about ten of them."""
    years = sorted(set(years))
    span = years[-1] - years[0] if years else 0
    step = max(1, math.ceil(span / 10))
    fig.update_xaxes(
        title_text="År", tickformat="d", tickmode="linear", dtick=step, tick0=years[0] if years else 0, showgrid=False
    )
    if years:
        # Direct labels are annotations in data coordinates; autorange would widen the axis to fit them.
        pad = max(0.3, span * 0.03)
        fig.update_xaxes(range=[years[0] - pad, years[-1] + pad])
    return fig


class HoverText:
    """Builds the hover text of one point: 'Skäggetorp 2023: 52,3 %' (callable)."""

    def __init__(self, formatter: Callable[[float], str], suffix: str = "") -> None:
        """Remember how to format a value and what to add after it."""
        self.formatter = formatter
        self.suffix = suffix

    def __call__(self, area: str, year: int, value: float, example: bool) -> str:
        """The hover text of one point."""
        text = f"{area} {year}: {self.formatter(value)}{self.suffix}"
        return plotly_text(text + (" (exempelvärde)" if example else ""))


def line_figure(
    frame: pd.DataFrame,
    value_column: str,
    styles: Mapping[str, AreaStyle],
    hover: HoverText,
    *,
    title: str | None,
    height: int,
    y_title: str,
    reference_lines: Sequence[tuple[float, str]] = (),
    baseline_year: int | None = None,
    breaks: Sequence[int] = (),
) -> go.Figure:
    """One line+markers trace per area (first-seen order) with direct labels, gaps and example marking, and a
    marker between the years of each series break inside the plotted years.

    `y_title` and the reference lines' labels are Plotly text (escaped by the caller); area names are escaped here.
    """
    fig = go.Figure()
    step = usual_year_step(frame) if len(frame) else 1
    labels: list[tuple[str, int, float, str]] = []
    no_values: list[str] = []
    any_example = False
    plotted_years: list[int] = []
    plotted_values: list[float] = []
    areas = first_seen_order(frame["area"]) if len(frame) else []
    for area in areas:
        style = style_for(styles, area)
        points = line_points(frame[frame["area"].astype(str) == area], value_column, step)
        has_value = points[value_column].notna()
        examples = points["_example"] & has_value
        any_example = any_example or bool(examples.any())
        years = points["year"].astype(int).tolist()
        values = none_for_missing(points[value_column].tolist())
        fig.add_trace(
            go.Scatter(
                x=years,
                y=values,
                name=plotly_text(area),
                mode="lines+markers",
                connectgaps=False,
                line=dict(color=style.colour, dash=style.dash, width=3),
                marker=dict(
                    color=style.colour,
                    size=10,
                    line=dict(color=style.colour, width=2),
                    symbol=[style.symbol + ("-open" if ex else "") for ex in examples],
                ),
                text=[hover(area, y, v, ex) if v is not None else "" for y, v, ex in zip(years, values, examples)],
                hovertemplate="%{text}<extra></extra>",
            )
        )
        if has_value.any():
            last = points[has_value].iloc[-1]
            labels.append((area, int(last["year"]), float(last[value_column]), style.colour))
            plotted_years.extend(points.loc[has_value, "year"].astype(int))
            plotted_values.extend(points.loc[has_value, value_column].astype(float))
        else:
            no_values.append(area)

    notes = [n for n in (missing_note(no_values),) if n]
    notes = [wrapped(n) for n in notes] + ([EXAMPLE_NOTE_POINTS] if any_example else [])
    longest = max((len(a) for a, *_ in labels), default=0)
    right = int(min(MAX_LABEL_MARGIN, 24 + CHAR_PX * longest))
    base_layout(fig, title, height, legend_items=len(areas), right_px=right, notes=notes)
    fig.update_yaxes(title_text=y_title, tickformat=",", automargin=True)
    all_years = [int(y) for y in frame["year"].dropna()] if len(frame) else []
    year_axis(fig, plotted_years or all_years)

    span_values = plotted_values + [v for v, _ in reference_lines]
    if labels:
        lo, hi = min(span_values), max(span_values)
        margin = fig.layout.margin
        plot_px = max(100, height - margin.t - margin.b)
        # Labels closer than one text line in pixels would overprint each other.
        min_gap = (hi - lo) * 1.1 * (LINE_PX - 4) / plot_px if hi > lo else 0.0
        ys = spread_positions([y for _, _, y, _ in labels], min_gap)
        for (area, year, _, colour), y in zip(labels, ys):
            fig.add_annotation(
                text=plotly_text(area),
                x=year,
                y=y,
                xref="x",
                yref="y",
                xanchor="left",
                yanchor="middle",
                xshift=10,
                showarrow=False,
                # Text needs 4.5:1 where a line needs 3:1: a label in a lighter colour is written in ink.
                font=dict(color=label_colour(colour), size=FONT_SIZE),
            )
    for value, text in reference_lines:
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            yref="y",
            y0=value,
            y1=value,
            line=dict(color=REFERENCE_LINE_COLOUR, width=1.5),
            layer="below",
        )
        fig.add_annotation(
            text=text,
            xref="paper",
            x=0,
            yref="y",
            y=value,
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font=dict(color=REFERENCE_LINE_COLOUR, size=NOTE_SIZE),
        )
    if baseline_year is not None and plotted_years and min(plotted_years) <= baseline_year <= max(plotted_years):
        add_baseline_marker(fig, baseline_year, f"Basår {baseline_year}")
    for year in breaks:
        if plotted_years and min(plotted_years) < year <= max(plotted_years):
            add_break_marker(fig, year)
    return fig


def add_baseline_marker(fig: go.Figure, x: object, label: str) -> None:
    """A dotted vertical line at the baseline year (a number or a category as plotted), labelled with plain text."""
    _vertical_marker(fig, x, plotly_text(label), dash="dot", top=True)


def add_break_marker(fig: go.Figure, year: int) -> None:
    """A dashed vertical line between the year before a series break and its first year, labelled at the foot."""
    _vertical_marker(fig, year - 0.5, f"Serieavbrott {year}", dash="dash", top=False)


def _vertical_marker(fig: go.Figure, x: object, label: str, *, dash: str, top: bool) -> None:
    """A grey vertical line across the plot at x with its label (Plotly text) at the top or the foot."""
    fig.add_shape(
        type="line",
        xref="x",
        x0=x,
        x1=x,
        yref="paper",
        y0=0,
        y1=1,
        line=dict(color=REFERENCE_LINE_COLOUR, width=1.5, dash=dash),
        layer="below",
    )
    fig.add_annotation(
        text=label,
        xref="x",
        x=x,
        yref="paper",
        y=1 if top else 0,
        xanchor="left",
        yanchor="top" if top else "bottom",
        xshift=4,
        showarrow=False,
        font=dict(color=REFERENCE_LINE_COLOUR, size=NOTE_SIZE),
    )


def time_series_figure(
    obs: pd.DataFrame,
    meta: Mapping,
    styles: dict[str, AreaStyle],
    *,
    baseline_year: int | None = None,
    title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Values over time, one line per area, with a dotted baseline-year line when it is in range."""
    unit, decimals = str(meta.get("unit", "")), indicator_decimals(meta)
    hover = HoverText(lambda v: format_value(v, unit, decimals))
    return line_figure(
        obs,
        "value",
        styles,
        hover,
        title=meta.get("name") if title is None else title,
        height=height,
        y_title=plotly_text(axis_title(unit)),
        baseline_year=baseline_year,
        breaks=break_years(meta.get("breaks")),
    )


def gap_figure(
    gaps: pd.DataFrame,
    meta: Mapping,
    styles: dict[str, AreaStyle],
    reference: str,
    *,
    title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Each area's gap to the reference over time in the indicator's gap measure, zero line = reference."""
    hover = HoverText(lambda v: gap_text(v, meta))
    default = f"{meta.get('name', '')} – skillnad mot {reference}"
    return line_figure(
        gaps,
        "gap",
        styles,
        hover,
        title=default if title is None else title,
        height=height,
        # Two lines: on one line the title is longer than a 420 px plot is high.
        y_title=f"Skillnad mot {plotly_text(reference)}<br>({plotly_text(rule_for(meta).gap_unit)})",
        reference_lines=[(0.0, f"= {plotly_text(reference)}")],
        breaks=break_years(meta.get("breaks")),
    )


def index_figure(
    index: pd.DataFrame,
    meta: Mapping,
    styles: dict[str, AreaStyle],
    reference: str,
    *,
    title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Each area's value as an index over time with the reference = 100."""
    hover = HoverText(index_text, f" ({reference} = 100)")
    default = f"{meta.get('name', '')} – index ({reference} = 100)"
    return line_figure(
        index,
        "index",
        styles,
        hover,
        title=default if title is None else title,
        height=height,
        y_title=f"Index<br>({plotly_text(reference)} = 100)",
        reference_lines=[(100.0, f"{plotly_text(reference)} = 100")],
        breaks=break_years(meta.get("breaks")),
    )


def bar_height(n_bars: int) -> int:
    """Height that keeps every bar readable: a fixed part plus a fixed height per bar."""
    return BAR_BASE_PX + 120 + BAR_PX * max(n_bars, 1)


def bar_figure(
    values: pd.DataFrame,
    meta: Mapping,
    styles: dict[str, AreaStyle],
    *,
    year: int,
    highlight: list[str] | None = None,
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of one year, largest on top, highlighted areas in colour, others light grey."""
    unit, decimals = str(meta.get("unit", "")), indicator_decimals(meta)
    frame = values.copy()
    frame["area"] = frame["area"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["_example"] = example_flags(frame)
    missing = frame.loc[frame["value"].isna(), "area"].drop_duplicates().tolist()
    shown = frame[frame["value"].notna()].sort_values("value", ascending=False, kind="stable")
    shown = shown.drop_duplicates("area", keep="first")
    if highlight is None:
        highlight = [a for a in shown["area"] if style_for(styles, a).is_focus]
    marked = set(highlight)
    colours = [style_for(styles, a).colour if a in marked else LIGHT_GREY for a in shown["area"]]
    examples = shown["_example"].tolist()
    texts = [format_value(v, unit, decimals) for v in shown["value"]]
    # The escaped names are the categories everywhere (bars, order, ticks): distinct names stay distinct, and the
    # tick labels read as the names.
    names = shown["area"].tolist()
    categories = [plotly_text(a) for a in names]
    fig = go.Figure(
        go.Bar(
            x=shown["value"].tolist(),
            y=categories,
            orientation="h",
            name=plotly_text(meta.get("name", "")),
            # Hollow bars mark examples, the counterpart of the hollow markers in line charts.
            marker=dict(
                color=["white" if ex else c for c, ex in zip(colours, examples)],
                # A light-grey bar has 1.7:1 on white: its outline gives it the 3:1 a graphic needs (WCAG 1.4.11).
                line=dict(
                    color=[OUTLINE_GREY if c == LIGHT_GREY else c for c in colours],
                    width=[2 if ex else 1 if c == LIGHT_GREY else 0 for c, ex in zip(colours, examples)],
                ),
            ),
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont=dict(size=FONT_SIZE),
            hovertext=[
                plotly_text(f"{a} {year}: {t}" + (" (exempelvärde)" if ex else ""))
                for a, t, ex in zip(names, texts, examples)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    notes = [wrapped(n) for n in (missing_note(missing),) if n]
    notes += [EXAMPLE_NOTE_BARS] if any(examples) else []
    longest_text = max((len(t) for t in texts), default=0)
    base_layout(
        fig,
        f"{meta.get('name', '')} {year}" if title is None else title,
        height if height is not None else bar_height(len(shown)),
        right_px=int(24 + CHAR_PX * longest_text),
        notes=notes,
    )
    # Bold names too, so the highlight does not rest on colour alone.
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=categories,
        autorange="reversed",
        automargin=True,
        tickmode="array",
        tickvals=categories,
        ticktext=[f"<b>{c}</b>" if a in marked else c for a, c in zip(names, categories)],
    )
    fig.update_xaxes(title_text=plotly_text(axis_title(unit)), tickformat=",", rangemode="tozero", automargin=True)
    fig.update_layout(bargap=0.25)
    return fig


def sex_figure(
    obs: pd.DataFrame, meta: Mapping, *, year: int, title: str | None = None, height: int = 420
) -> go.Figure:
    """Women and men side by side per area for one year (colour and pattern differ)."""
    unit, decimals = str(meta.get("unit", "")), indicator_decimals(meta)
    frame = obs[obs["sex"].isin([WOMEN, MEN])].copy()
    frame["area"] = frame["area"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["_example"] = example_flags(frame)
    areas = first_seen_order(frame["area"]) if len(frame) else []
    fig = go.Figure()
    missing: list[str] = []
    any_example = False
    for sex in (WOMEN, MEN):
        colour, pattern = SEX_STYLE[sex]
        rows = frame[frame["sex"] == sex].drop_duplicates("area", keep="last").set_index("area").reindex(areas)
        vals = none_for_missing(rows["value"].tolist())
        examples = [bool(ex) and v is not None for ex, v in zip(rows["_example"].fillna(False), vals)]
        any_example = any_example or any(examples)
        missing += [f"{a} ({sex.lower()})" for a, v in zip(areas, vals) if v is None]
        texts = [format_value(v, unit, decimals) if v is not None else "" for v in vals]
        fig.add_trace(
            go.Bar(
                x=[plotly_text(a) for a in areas],
                y=vals,
                name=sex,
                text=texts,
                textposition="outside",
                cliponaxis=False,
                marker=dict(
                    color=["white" if ex else colour for ex in examples],
                    line=dict(color=colour, width=[2 if ex else 0 for ex in examples]),
                    pattern=dict(
                        shape=pattern,
                        solidity=0.3,
                        fgcolor=[colour if ex else "white" for ex in examples] if pattern else None,
                    ),
                ),
                hovertext=[
                    plotly_text(f"{a} {year}, {sex.lower()}: {t}" + (" (exempelvärde)" if ex else ""))
                    for a, t, ex in zip(areas, texts, examples)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    notes = [wrapped(n) for n in (missing_note(missing),) if n]
    notes += [EXAMPLE_NOTE_BARS] if any_example else []
    base_layout(
        fig,
        f"{meta.get('name', '')} {year}, kvinnor och män" if title is None else title,
        height,
        legend_items=2,
        notes=notes,
        axis_px=AXIS_PX - 20,
    )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_yaxes(title_text=plotly_text(axis_title(unit)), tickformat=",", rangemode="tozero", automargin=True)
    fig.update_xaxes(title_text=None, type="category")
    return fig


def sparkline_svg(values: pd.Series, colour: str, *, description: str = "", height: int = 60, width: int = 180) -> str:
    """A tiny static line (years -> value) as an SVG string, with gaps where values are missing and the last one marked.

    A plain image instead of a plotly chart: a status picture has a sparkline on each of its ~26 cards, and 26
    plotly charts cost the browser seconds on a small machine (measured in benchmarks/load_test.py).
    `description` (plain text) becomes the SVG's <title>, its accessible name wherever the SVG is shown inline.
    """
    years = [int(y) for y in values.index]
    ys = none_for_missing(values.tolist())
    finite = [y for y in ys if y is not None]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ) + (f"<title>{escape(description)}</title>" if description else "")
    if not finite:
        return head + "</svg>"
    stroke = quoteattr(colour)
    # Pad the ranges so the last-point marker is not clipped at the edge (as the plotly version did).
    x_lo, x_hi = min(years) - 0.3, max(years) + 0.3
    y_pad = (max(finite) - min(finite)) * 0.12 or 1.0
    y_lo, y_hi = min(finite) - y_pad, max(finite) + y_pad

    def point(x: int, y: float) -> tuple[float, float]:
        """SVG coordinates of a year and value (y grows downwards)."""
        return (x - x_lo) / (x_hi - x_lo) * width, height - (y - y_lo) / (y_hi - y_lo) * height

    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(years, ys):
        if y is None:
            runs.append([])
        else:
            runs[-1].append(point(x, y))
    parts = [head]
    for run in (r for r in runs if r):
        coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke={stroke} stroke-width="2" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    last_x, last_y = next((x, y) for x, y in zip(reversed(years), reversed(ys)) if y is not None)
    cx, cy = point(last_x, last_y)
    parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill={stroke}/></svg>')
    return "".join(parts)


TABLE_IDENTITY: dict[str, str] = {"area": "Område", "year": "År", "sex": "Grupp"}
TABLE_TRAILING: dict[str, str] = {"source": "Källa", "note": "Kommentar"}


def formatted_column(values: pd.Series, column: str, meta: Mapping) -> list[str]:
    """One value column as Swedish text: gaps with sign and unit, indices whole, others with the indicator's unit."""
    unit, decimals = str(meta.get("unit", "")), indicator_decimals(meta)
    if column == "gap":
        return [gap_text(v, meta) for v in values]
    if column == "index":
        return [index_text(v) for v in values]
    return [format_value(v, unit, decimals) for v in values]


def figure_table(frame: pd.DataFrame, meta: Mapping, value_columns: dict[str, str]) -> pd.DataFrame:
    """The data behind a chart with Swedish headers and formatted values: Område, År, [Kön,] values, Källa."""
    out = pd.DataFrame(index=frame.index)
    for column, label in TABLE_IDENTITY.items():
        # A column that says the same on every row ('Totalt') or nothing at all is noise in a chart's table.
        if column in frame.columns and (column != "sex" or frame[column].nunique() > 1):
            series = frame[column]
            if column == "year":
                # Years are labels, not quantities: '2023', never '2 023'.
                out[label] = [MISSING if pd.isna(y) else str(int(y)) for y in series]
            else:
                out[label] = series.astype(str)
    for column, label in value_columns.items():
        out[label] = formatted_column(frame[column], column, meta)
    for column, label in TABLE_TRAILING.items():
        if column in frame.columns and (column != "note" or frame[column].fillna("").astype(str).str.strip().any()):
            out[label] = frame[column].fillna("").astype(str)
    return out.reset_index(drop=True)


# --- the slides' charts (on screen, and as images in Word) -------------------------------------------------

#: Height of a slide's chart; images.py renders it at this height.
SLIDE_CHART_HEIGHT = 420


def chart_figure(chart: ChartData, *, height: int = SLIDE_CHART_HEIGHT, title: bool = True) -> go.Figure:
    """The plotly figure of a chart of the deck model, in the house style (lines or bars)."""
    fig = go.Figure()
    years = chart.kind == LINE and all(c.isdigit() for c in chart.categories)
    # Names, categories and titles come from the data: escaped for plotly (categories consistently, so they match).
    categories = [plotly_text(c) for c in chart.categories]
    xs = [int(c) for c in chart.categories] if years else categories
    for s in chart.series:
        texts = [format_value(v, chart.unit, chart.decimals) for v in s.values]
        hover = [
            plotly_text(f"{s.name} {c}: {t}" + (" (exempelvärde)" if s.examples and s.examples[i] else ""))
            for i, (c, t) in enumerate(zip(chart.categories, texts))
        ]
        values = list(s.values)
        if chart.kind == LINE:
            examples = s.examples or tuple(False for _ in values)
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=values,
                    name=plotly_text(s.name),
                    mode="lines+markers",
                    connectgaps=False,
                    line=dict(color=s.colour, dash=s.dash, width=3),
                    marker=dict(
                        color=s.colour,
                        size=10,
                        line=dict(color=s.colour, width=2),
                        symbol=[s.symbol + ("-open" if ex else "") for ex in examples],
                    ),
                    text=hover,
                    hovertemplate="%{text}<extra></extra>",
                )
            )
        else:
            labels = [format_number(v, chart.decimals) if v else "" for v in values]
            fig.add_trace(
                go.Bar(
                    x=categories,
                    y=values,
                    name=plotly_text(s.name),
                    marker=dict(color=s.colour),
                    text=labels,
                    textposition="inside" if chart.kind == STACKED else "outside",
                    # Inside a bar a label is black or white by the bar's colour (4.5:1); outside it is ink.
                    textfont=dict(color=text_colour(s.colour) if chart.kind == STACKED else LABEL_INK),
                    insidetextanchor="middle",
                    cliponaxis=False,
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    notes = [EXAMPLE_NOTE_POINTS] if chart.kind == LINE and chart.has_examples else []
    base_layout(fig, chart.title if title else None, height, legend_items=len(chart.series), notes=notes, axis_px=50)
    fig.update_layout(template=TEMPLATE, barmode="stack" if chart.kind == STACKED else "group", bargap=0.3)
    if years:
        year_axis(fig, xs)
        fig.update_xaxes(title_text=None)
    else:
        fig.update_xaxes(type="category", title_text=None, showgrid=False)
    fig.update_yaxes(
        title_text=plotly_text(chart.axis_title), tickformat=",", rangemode="tozero" if chart.kind != LINE else None
    )
    if chart.kind == LINE and chart.marker in chart.categories:
        add_baseline_marker(fig, int(chart.marker) if years else plotly_text(chart.marker), chart.marker_label)
    return fig


#: At most this many values are read out in a chart's text alternative; the table has them all.
ALT_MAX_VALUES = 12
ALT_TABLE_NOTE = "Alla värden finns i tabellen till diagrammet."


def plain_text(text: object) -> str:
    """Plotly text as plain text: tags dropped (a <br> becomes a space), entities decoded, spaces collapsed."""
    # Only ASCII whitespace collapses: the no-break spaces in '1 234 kr' stay.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]*>", " ", str(text)))).strip()


def point_texts(trace) -> list[str]:
    """The hover descriptions of a trace's points, as plain text ('' for a point without one)."""
    texts = trace.hovertext if trace.hovertext is not None else trace.text
    if texts is None or isinstance(texts, str):
        return []
    return [plain_text(t) if t is not None else "" for t in texts]


def figure_alt_text(fig: go.Figure, title: str | None = None) -> str:
    """A chart's text alternative: its kind, title, what its lines or bars are and their (latest) values.

    Read from the figure's own hover texts ('Berga 2024: 27,0 %', 'Ryd, pågår: 3'), so the words and number formats
    are the ones the chart shows. A line gives its last value; bars give each bar, up to ALT_MAX_VALUES in all.
    """
    traces = [t for t in fig.data if point_texts(t)]
    lines = [t for t in traces if t.type == "scatter"]
    # Bars that start at a date are a timeline (the follow-up's Gantt chart), not bars from zero.
    timeline = any(t.type == "bar" and t.base is not None for t in traces)
    kind = "Linjediagram" if lines else "Tidslinje" if timeline else "Stapeldiagram"
    heading = plain_text(title if title is not None else (fig.layout.title.text or ""))
    parts = [f"{kind}: {heading}." if heading else f"{kind}."]
    names = [plain_text(t.name) for t in traces if t.name]
    xs = [x for t in lines for x in (t.x if t.x is not None else ())]
    years = sorted({int(x) for x in xs if isinstance(x, numbers.Real) and not is_missing(x)})
    period = f", {years[0]:d}–{years[-1]:d}" if len(years) > 1 else ""
    if names and (lines or len(names) > 1):
        parts.append(f"{'Linjer' if lines else 'Serier'}: {', '.join(names)}{period}.")
    values: list[str] = []
    for trace in traces:
        texts = [t for t in point_texts(trace) if t]
        values.extend(texts[-1:] if trace.type == "scatter" else texts)
    if values:
        shown = values[:ALT_MAX_VALUES]
        more = f" och {len(values) - len(shown):d} till" if len(values) > len(shown) else ""
        label = "Senaste värden" if lines else "Värden"
        parts.append(f"{label}: {'; '.join(shown)}{more}.")
    parts.append(ALT_TABLE_NOTE)
    return " ".join(parts)
