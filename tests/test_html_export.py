"""The HTML report: self-contained, escaped, offline, with the page's sentences and inline SVG charts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from html import escape
from html.parser import HTMLParser

import pandas as pd

from analysis.core.palette import contrast_ratio
from analysis.exports.html_export import CSP, STYLE, attachment_html, chart_svg, html_filename
from analysis.viewmodels.followup import STATUS_COLOURS
from analysis.viewmodels.slides import (
    LINE,
    STACKED,
    VERDICT_COLOURS,
    ChartData,
    ChartSeries,
    attachment,
    chart_alt_text,
)
from tests.test_nulage import dataset as small_dataset
from tests.test_slides import with_boundaries

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


# HTML elements without an end tag.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class Outline(HTMLParser):
    """The accessibility-relevant parts of an HTML document: headings, header cells, images and SVG charts."""

    def __init__(self):
        super().__init__()
        self.html_lang: str | None = None
        self.title = ""
        self.headings: list[int] = []
        self.header_cells: list[dict] = []
        self.scroll_boxes: list[dict] = []
        self.images: list[dict] = []
        self.svgs: list[dict] = []  # attributes, plus "first" (the first child's tag) and "title" (its text)
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th":
            self.header_cells.append(attrs)
        if tag == "img":
            self.images.append(attrs)
        if "wide" in attrs.get("class", "").split():
            self.scroll_boxes.append(attrs)
        if self._stack and self._stack[-1] == "svg" and self.svgs[-1]["first"] is None:
            self.svgs[-1]["first"] = tag
        if tag == "svg":
            self.svgs.append({**attrs, "first": None, "title": ""})
        if tag not in VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack[-2:] == ["svg", "title"]:
            self.svgs[-1]["title"] += data
        elif self._stack[-2:] == ["head", "title"]:
            self.title += data


def assert_accessible_html(html: str, charts: Sequence[ChartData], map_alt: str | None = None) -> None:
    """WCAG 2.1 AA structure: Swedish, a title, one h1, headings in order, header cells, named images and charts."""
    outline = Outline()
    outline.feed(html)
    assert outline.html_lang == "sv" and outline.title.strip()
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    pairs = zip(outline.headings, outline.headings[1:])
    assert all(b <= a + 1 for a, b in pairs), outline.headings
    assert outline.header_cells and all(c.get("scope") in ("col", "row") for c in outline.header_cells)
    assert all(i.get("alt", "").strip() for i in outline.images)
    # A box that scrolls a wide table sideways can be reached and scrolled by keyboard, and says what it holds (2.1.1).
    assert outline.scroll_boxes
    assert all(
        b.get("tabindex") == "0" and b.get("role") == "region" and b.get("aria-label") for b in outline.scroll_boxes
    )
    alts = ([map_alt] if map_alt is not None else []) + [chart_alt_text(c) for c in charts]
    assert len(outline.svgs) == len(alts)
    for svg, alt in zip(outline.svgs, alts):
        assert svg["role"] == "img" and svg["first"] == "title"
        assert svg["title"] == svg["aria-label"] == alt


def hex6(colour: str) -> str:
    """'#fff' as '#FFFFFF'."""
    code = colour.lstrip("#")
    return "#" + (code if len(code) == 6 else "".join(c * 2 for c in code)).upper()


def test_every_css_text_colour_reads_on_every_css_background():
    # Every text colour against every background the style sheet uses: no pairing can fall below 4.5:1 (1.4.3).
    texts = {hex6(c) for c in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", STYLE)}
    backgrounds = {hex6(c) for c in re.findall(r"background:\s*(#[0-9a-fA-F]{3,6})", STYLE)}
    assert texts >= {"#222222", "#17365D", "#555555"} and "#FFFFFF" in backgrounds and len(backgrounds) >= 3
    low = [(t, b, round(contrast_ratio(t, b), 2)) for t in texts for b in backgrounds if contrast_ratio(t, b) < 4.5]
    assert low == []


def svg_text_contrasts(svg: str) -> list[float]:
    """The contrast of every SVG text: a label on a bar against the bar, any other text against the white chart."""
    ratios = []
    for match in re.finditer(r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="(#\w+)">.*?</rect>', svg):
        label = re.match(r"<text [^>]*>", svg[match.end() :])
        if label and 'dominant-baseline="middle"' in label.group(0):
            fill = re.search(r'fill="(#\w+)"', label.group(0)).group(1)
            ratios.append(contrast_ratio(hex6(fill), hex6(match.group(1))))
    on_bars = set(re.findall(r'</rect>(<text [^>]*dominant-baseline="middle">)', svg))
    for text in re.findall(r"<text [^>]*>", svg):
        if text not in on_bars:
            fill = re.search(r'fill="(#\w+)"', text)
            ratios.append(contrast_ratio(hex6(fill.group(1) if fill else "#000"), "#FFFFFF"))
    return ratios


def test_chart_texts_read_at_4_5_to_1(default_data):
    # Ryd's line is dark orange, 3:1 on white: enough for a line, not for its value label.
    att = attachment(default_data, "Ryd", REF, 2020, TODAY, version=1)
    # Every colour a stacked bar can have, two to a chart so that each part is tall enough for its label.
    colours = [*VERDICT_COLOURS, *STATUS_COLOURS.values()]
    stacked = [
        ChartData(
            STACKED,
            f"{first} och {second}",
            ("Berga", "Ryd"),
            (ChartSeries("A", (30.0, 20.0), first), ChartSeries("B", (25.0, 10.0), second)),
            "antal",
            0,
            "Antal",
        )
        for first, second in zip(colours[::2], colours[1::2])
    ]
    for chart in [s.chart for s in att.sections if s.chart] + stacked:
        svg = chart_svg(chart)
        ratios = svg_text_contrasts(svg)
        assert len(ratios) == svg.count("<text "), chart.title
        assert min(ratios) >= 4.5, chart.title


def test_attachment_html_is_accessible(default_data):
    att = attachment(default_data, "Ryd", REF, 2020, TODAY, version=1)
    html = attachment_html(att)
    assert_accessible_html(html, [s.chart for s in att.sections if s.chart])
    assert "<h3>" in html  # the cards' headings, under their section's h2


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
        for group in card.groups:
            assert group.sentence in text, group.sentence
    assert sum(len(c.groups) for _, cards in sp.themes for c in cards) == 4  # two indicators × two birth regions
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


# --- the map ---------------------------------------------------------------------------------------------------


def test_the_karta_section_draws_the_map_as_inline_svg(default_data):
    att = attachment(with_boundaries(default_data), "Berga", REF, 2020, TODAY, version=1)
    section = att.sections[1]
    charts = [s.chart for s in att.sections if s.chart]
    html = attachment_html(att)
    assert_accessible_html(html, charts, section.map.alt)
    assert html.index("<h2>Områdesbeskrivning</h2>") < html.index("<h2>Karta</h2>") < html.index("<h2>Aktörer</h2>")
    svg = html[html.index("<svg ") : html.index("</svg>") + 6]
    # Five areas, the three focus areas' example values hatched over them, and their three outlines (Berga's thick).
    paths = re.findall(r"<path [^>]*>", svg)
    assert len(paths) == 5 + 3 + 3
    data = section.map.data
    fills = [re.search(r'fill="([^"]+)"', p).group(1) for p in paths[:8]]
    assert fills.count("url(#streck)") == 3
    assert data.classes[2].label.startswith("4 –") and data.classes[2].colour in fills  # Lambohov
    assert [re.search(r'stroke-width="([^"]+)"', p).group(1) for p in paths[8:]] == ["5", "2.5", "2.5"]
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert labels[:3] == ["Berga*", "Ryd*", "Skäggetorp*"]  # the focus areas are named, examples starred
    assert labels[3:] == [
        *(c.label for c in data.classes),
        "Saknar värde",
        "Streckad yta = exempelvärde (fiktivt)",
        "Fokusområde (svart kant)",
        "Berga (tjock svart kant)",
    ]
    assert 'font-weight="bold" dominant-baseline="middle">Berga*</text>' in svg
    text = "".join(parsed(html).text)
    assert section.paragraphs[0].text in text
    assert (
        "Figur 1. Karta: Områdestyp 2024. Källa: SCB; Exempelvärde (fiktivt). Områdesgränser: Linköpings kommun."
        in text
    )
    assert f"Figur 2. {charts[0].title}, 2015–2024." in text  # the charts are numbered after the map
    assert "<caption>Kartans värden per område</caption>" in html
    assert "<td>Lambohov</td><td>4 – Områden med goda socioekonomiska förutsättningar</td><td>SCB</td>" in html
    assert not [t for t, _ in parsed(html).tags if t in {"script", "img", "image"}]  # still offline


def test_area_names_on_the_map_are_escaped(default_data):
    hostile = '<b onclick="x">Lambohov</b> & co'
    mapped = with_boundaries(default_data)
    for name, column in (("areas", "name"), ("observations", "area"), ("boundaries", "area")):
        frame = getattr(mapped, name)
        mapped = mapped.with_table(name, frame.assign(**{column: frame[column].replace("Lambohov", hostile)}))
    html = attachment_html(attachment(mapped, hostile, REF, 2020, TODAY))
    assert hostile not in html and f"{escape(hostile)} (tjock svart kant)" in html
    assert f"{escape(hostile)}</text>" in html  # its name on the map, in bold


def test_without_boundaries_there_is_no_map(default_data):
    html = attachment_html(attachment(default_data, "Berga", REF, 2020, TODAY))
    assert "<h2>Karta</h2>" not in html and "<path " not in html
