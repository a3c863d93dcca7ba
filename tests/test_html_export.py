"""The HTML report: self-contained, escaped, offline, with the page's sentences and inline SVG charts."""

from __future__ import annotations

import re
from datetime import date
from html import escape
from html.parser import HTMLParser

import pandas as pd

from analysis.exports.html_export import CSP, attachment_html, chart_svg, html_filename
from analysis.viewmodels.slides import LINE, STACKED, ChartData, ChartSeries, attachment
from tests.test_nulage import dataset as small_dataset

TODAY = date(2026, 11, 26)
REF = "Övriga Linköping"


class Parts(HTMLParser):
    """Collects tags, attributes and visible text of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Parts:
    """The document's tags and texts."""
    parts = Parts()
    parts.feed(html)
    return parts


def test_report_has_every_sentence_and_the_key_figures(default_data):
    att = attachment(default_data, "Ryd", REF, 2020, TODAY, version=1)
    html = attachment_html(att)
    text = "".join(parsed(html).text)
    sp = att.picture
    assert "Bilaga – Nulägesbild Ryd 2026" in text and att.meta in text and sp.summary in text
    for card in sp.population + [c for _, cards in sp.themes for c in cards]:
        assert card.sentence in text, card.sentence
    for cell in sp.key_figures["Ryd"]:
        assert f"<td>{escape(cell)}</td>" in html
    for heading in [
        "Områdesbeskrivning",
        "Aktörer",
        "Befolkning",
        "Nyckeltal",
        "Arbete",
        "Utmaningar",
        "Styrkor",
        "Skyddsfaktorer",
        "Källor",
        "Exempelvärden",
    ]:
        assert f"<h2>{heading}</h2>" in html
    assert html.count("<svg ") == sum(1 for s in att.sections if s.chart) == 8
    assert "Exempeltext (fiktiv)." in text


def test_report_opens_offline(default_data):
    att = attachment(default_data, "Berga", REF, 2020, TODAY, version=1)
    html = attachment_html(att)
    tags = parsed(html).tags
    assert not [t for t, _ in tags if t in {"script", "link", "img", "iframe", "object", "embed", "a"}]
    assert not [a for _, a in tags if "src" in a or "href" in a]
    assert f'content="{CSP}"' in html and "default-src 'none'" in CSP
    # The only web addresses are the sources of published values, written as text.
    rest = html
    for entry in att.sources:
        for source in entry.value_sources:
            rest = rest.replace(escape(source), "")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", rest, re.I)
    assert any("https://" in s for e in att.sources for s in e.value_sources)
    assert len(html) < 200_000  # inline SVG keeps the file small


def test_data_text_is_escaped():
    ds = small_dataset()
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    ds = ds.with_table(
        "area_texts", pd.DataFrame([{"area": "Berga", "heading": "Styrkor", "text": hostile, "source": "K"}])
    )
    html = attachment_html(attachment(ds, "Berga", REF, 2020, TODAY))
    assert hostile not in html and escape(hostile) in html
    assert not [t for t, _ in parsed(html).tags if t in {"script", "img"}]


def test_line_chart_svg_breaks_at_gaps_and_marks_examples():
    chart = ChartData(
        LINE,
        "Ohälsotal <dagar>",
        ("2018", "2019", "2020", "2021"),
        (
            ChartSeries("Berga", (20.0, None, 22.5, 21.0), "#0072B2", examples=(False, False, True, False)),
            ChartSeries(REF, (15.0, 15.5, 15.2, 15.1), "#000000", "dash", "star"),
        ),
        "dagar",
        1,
        "Dagar per person",
        "2020",
        "Basår 2020",
    )
    svg = chart_svg(chart)
    assert svg.count("<polyline") == 2  # Berga's line breaks at 2019: one segment of two points, plus the reference
    assert svg.count('fill="#fff" stroke="#0072B2"') == 1  # the example point is hollow
    assert "Ohälsotal &lt;dagar&gt;" in svg and "<dagar>" not in svg
    assert "21,0\u00a0dagar" in svg and "Basår 2020" in svg
    assert 'stroke-dasharray="9 5"' in svg


def test_stacked_bar_svg_writes_the_counts():
    chart = ChartData(
        STACKED,
        "Skillnaden",
        ("Berga", "Ryd"),
        (ChartSeries("Närmar sig", (10.0, 7.0), "#0072B2"), ChartSeries("Avlägsnar sig", (8.0, 0.0), "#D55E00")),
        "antal",
        0,
        "Antal indikatorer",
    )
    svg = chart_svg(chart)
    assert svg.count("<rect x=") == 4 + 2  # 4 bars and 2 legend boxes
    assert ">10</text>" in svg and ">8</text>" in svg and "Närmar sig Berga: 10" in svg


def test_file_name():
    assert html_filename("Bilaga – Nulägesbild Berga 2026") == "Bilaga_Nulagesbild_Berga_2026.html"
