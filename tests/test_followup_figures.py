"""Figures of the follow-up (analysis/render/followup_figures.py): counts, colours, patterns and the timeline."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.render.charts import figure_alt_text
from analysis.render.followup_figures import (
    followup_figures,
    status_by_figure,
    status_figure,
    timeline_figure,
)
from analysis.viewmodels.followup import STATUS_COLOURS, action_register, follow_up, status_by, status_counts
from tests.test_followup import ACTIONS, TODAY, YESTERDAY, dataset


@pytest.fixture(scope="module")
def register():
    return action_register(dataset(), TODAY)


def test_status_figure_has_counts_colours_and_swedish_separators(register):
    fig = status_figure(status_counts(register))
    bar = fig.data[0]
    assert list(bar.y) == [
        "Ej påbörjad",
        "Pågår",
        "Riskerar att försenas",
        "Försenad",
        "Genomförd",
        "Avbruten",
        "Vilande",
    ]
    assert list(bar.x) == [1, 1, 0, 2, 1, 1, 1]
    assert list(bar.text) == ["1", "1", "0", "2", "1", "1", "1"]
    assert list(bar.marker.color) == [STATUS_COLOURS[s] for s in bar.y]
    assert fig.layout.separators == ", "
    assert fig.layout.template.layout.paper_bgcolor == "white"


def test_status_by_figure_stacks_counts_with_totals(register):
    fig = status_by_figure(status_by(register, "areas"), "Åtgärder per område")
    assert fig.layout.barmode == "stack"
    names = [t.name for t in fig.data]
    assert names == ["Ej påbörjad", "Pågår", "Försenad", "Genomförd", "Avbruten", "Vilande"]
    forsenad = fig.data[names.index("Försenad")]
    assert list(forsenad.y) == ["Ryd", "Berga"] and list(forsenad.x) == [1, 2] and list(forsenad.text) == ["1", "2"]
    pagar = fig.data[names.index("Pågår")]
    assert list(pagar.x) == [None, 1] and list(pagar.text) == ["", "1"]  # no empty segment, no '0' label
    assert [a.text for a in fig.layout.annotations] == ["<b>5</b>", "<b>3</b>"]
    assert all(t.marker.color == STATUS_COLOURS[t.name] for t in fig.data)
    assert fig.data[names.index("Vilande")].marker.pattern.shape == "/"


def test_timeline_figure(register):
    fig = timeline_figure(register, TODAY)
    bars = {t.name: t for t in fig.data}
    assert set(bars) == {"Ej påbörjad", "Pågår", "Försenad", "Genomförd", "Avbruten", "Vilande"}
    late = bars["Försenad"]
    assert list(late.y) == ["A1 Läxhjälp på biblioteket", "A6 Medborgarlöfte"]
    assert list(late.text) == ["Försenad (härledd)", "Försenad"]
    assert list(late.base) == ["2021-01-01", "2022-01-01"]
    assert late.x[0] == ((YESTERDAY - date(2021, 1, 1)).days + 1) * 86_400_000
    assert fig.layout.yaxis.categoryarray[0].startswith("A1 ")  # earliest start on top
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.shapes[0].x0 == TODAY.isoformat()
    assert fig.layout.annotations[-1].text == "I dag 2026-11-26"
    assert list(bars["Ej påbörjad"].textposition) == ["outside"]  # a one-month bar: the text goes beside it


def test_timeline_lists_actions_without_dates():
    ds = dataset(actions=[*ACTIONS, ("B9", "Utan datum", "fritid", "KOF", "Ryd", "", "", "Pågår", "", "")])
    fig = timeline_figure(action_register(ds, TODAY), TODAY)
    assert any("Saknar start- eller slutdatum: B9" in a.text for a in fig.layout.annotations)
    assert sum(len(t.y) for t in fig.data) == 7


def test_figures_without_actions_are_empty():
    fu = follow_up(dataset(actions=[], followups=[]), today=TODAY)
    assert len(status_by_figure(fu.by_theme).data) == 0
    assert len(timeline_figure(fu.register, TODAY).data) == 0


def test_the_page_figures_are_the_follow_ups_own():
    fu = follow_up(dataset(), today=TODAY)
    figures = followup_figures(fu, TODAY)
    assert list(figures) == ["status", "tema", "ansvarig", "omrade", "tidslinje"]
    assert list(figures["status"].data[0].y) == list(status_figure(fu.status_counts).data[0].y)
    assert [f.layout.title.text for f in (figures["tema"], figures["ansvarig"], figures["omrade"])] == [
        "Åtgärder per tema",
        "Åtgärder per ansvarig",
        "Åtgärder per område",
    ]
    assert figures["tidslinje"].layout.title.text == ""  # the page heads the timeline itself
    assert figures["tidslinje"].layout.shapes[0].x0 == TODAY.isoformat()


def test_timeline_alt_text_reads_each_action_with_its_dates_and_status(register):
    text = figure_alt_text(timeline_figure(register, TODAY), "Åtgärdernas tidslinje")
    assert text.startswith(
        "Tidslinje: Åtgärdernas tidslinje. Serier: Ej påbörjad, Pågår, Försenad, Genomförd, Avbruten, Vilande."
    )
    assert "A6 Medborgarlöfte 2022-01-01 – " in text and "Status: Försenad" in text
    assert text.endswith("Alla värden finns i tabellen till diagrammet.")


def test_status_bars_alt_text_reads_the_counts(register):
    text = figure_alt_text(status_figure(status_counts(register)))
    assert text.startswith("Stapeldiagram: Åtgärder per status. Värden: Ej påbörjad: ")
    assert " åtgärder; Pågår: " in text
