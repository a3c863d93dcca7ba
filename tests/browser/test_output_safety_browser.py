"""Text from uploads is shown as text on every page: Markdown and HTML in an area's name never become elements.

An area (a focus area with values for several indicators, area texts and an action) is imported whose name holds
Markdown that Streamlit renders: an image, a link, an autolink, a bare address, raw HTML with a script and a Material
icon; its texts, an indicator and an action add a bare URL, an e-mail address, the Streamlit logo, a colour directive
and LaTeX. Every page is visited, and the status picture, the explorer, the follow-up and the slides of that area:
nothing may load from or link to evil.invalid, no script may run, no icon, logo, colour or formula may appear, and
the texts must be on the screen as the literal text they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

import ui
from analysis.store.importer import import_upload, open_store
from tests.browser.helpers import (
    ROOT,
    StreamlitServer,
    assert_no_errors,
    goto_page,
    page_url_path,
    run_streamlit,
    wait_for_app,
)
from tests.builders import xlsx

HOST = "evil.invalid"
# At most 200 characters (the longest area name an import accepts); the area texts carry the rest.
NAME = (
    "Ond ![x](http://evil.invalid/a.png) [klicka](http://evil.invalid/b) <http://evil.invalid/c> www.evil.invalid "
    '<img src="http://evil.invalid/d.png"><script>window.ond=1</script> :material/bug_report:'
)
TEXT = (
    '**fet** [länk](javascript:alert(3)) ![y](http://evil.invalid/g.png) <iframe src="http://evil.invalid/h"> '
    "http://evil.invalid/e a@evil.invalid :streamlit: :violet[lila] $x^2$"
)
ACTION = 'Åtgärd [läs mer](http://evil.invalid/i) <img src=x onerror="alert(4)">'
SOURCE = "Källa [klicka](http://evil.invalid/j) http://evil.invalid/k"
INDICATOR = (
    "ond_indikator",
    "Ond indikator [x](http://evil.invalid/l) :material/bug_report:",
    "Definition ![d](http://evil.invalid/m.png) <b>fet</b>",
)
INDICATORS = [
    "folkmangd",
    "utrikes_fodda",
    "forvarvsfrekvens",
    "arbetsloshet",
    "ohalsotal",
    "trangbodda_hushall",
    INDICATOR[0],
]
YEARS = range(2015, 2025)  # every year of the default data
WORD_JOINER = "\u2060"  # markdown_text's invisible break in bare addresses and :shortcodes:

# Every element, attribute and side effect the name could have produced.
FIND_HOSTILE = """(host) => {
  const found = [];
  // Where a URL points: our own links may carry the name in their query string (?omrade=Ond+...evil.invalid...),
  // so the host and scheme are checked, not the text.
  const hostile = (url) => {
    try {
      const u = new URL(url.trim(), document.baseURI);
      return u.hostname.endsWith(host) || ['javascript:', 'vbscript:'].includes(u.protocol);
    } catch (e) {
      return url.includes(host);
    }
  };
  const urlAttributes = ['src', 'href', 'xlink:href', 'data', 'poster', 'action', 'formaction', 'background'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const bad = urlAttributes.includes(name) ? hostile(attr.value)
        : name === 'srcset' ? attr.value.split(',').some((part) => hostile(part.trim().split(' ')[0]))
        : name === 'style' || name.startsWith('on') ? attr.value.includes(host) || attr.value.includes('alert(')
        : false;
      if (bad) found.push(`<${tag} ${name}="${attr.value.slice(0, 80)}">`);
    }
    const cls = (el.getAttribute('class') || '');
    const text = (el.textContent || '').trim();
    if (tag === 'script' && text.includes('window.ond')) found.push('a script element from the name');
    if (tag === 'iframe') found.push(`<iframe src="${el.getAttribute('src')}">`);
    if (tag === 'img' && el.getAttribute('alt') === 'Streamlit logo') found.push(':streamlit: became an image');
    if (el.getAttribute('role') === 'img' && text === 'bug_report') found.push(':material/bug_report: became an icon');
    if (cls.includes('stMarkdownColored') && text.includes('lila')) found.push(':violet[lila] became coloured text');
    if (cls.split(' ').includes('katex')) found.push('$x^2$ became a formula');
  }
  if (window.ond !== undefined) found.push('the script in the name ran');
  return found;
}"""


def hostile_workbook() -> bytes:
    """A focus area named with Markdown and HTML: values for several indicators, area texts and an action."""
    data = [["Område", "Indikator", "År", "Värde", "Källa"]]
    for i, indicator in enumerate(INDICATORS):
        for year in YEARS:
            value = 5000.0 + year if indicator == "folkmangd" else 30.0 + i - (year - 2015) / 3
            data.append([NAME, indicator, year, value, SOURCE])
    data += [[area, INDICATOR[0], year, 20.0, SOURCE] for area in ("Ryd", "Övriga Linköping") for year in YEARS]
    return xlsx(
        {
            "Områden": [["Område", "Typ"], [NAME, "Fokusområde"]],
            "Indikatorer": [
                ["Id", "Namn", "Tema", "Enhet", "Riktning", "Definition", "Källa"],
                [*INDICATOR[:2], "trygghet", "procent", "Lägre är bättre", INDICATOR[2], SOURCE],
            ],
            "Data": data,
            "Områdestexter": [
                ["Område", "Rubrik", "Text"],
                [NAME, "Områdesbeskrivning", TEXT],
                [NAME, "Styrkor", TEXT],
            ],
            "Åtgärder": [
                ["Id", "Åtgärd", "Tema", "Ansvarig", "Områden", "Start", "Slut", "Status", "Kommentar", "Indikatorer"],
                ["A00", ACTION, "trygghet", SOURCE, NAME, "2021-01-01", "2030-12-31", "Pågår", TEXT, "ohalsotal"],
            ],
        }
    )


def assert_inert(page: Page, requests: list[str], dialogs: list[str], where: str) -> None:
    """Nothing on the page came from the name: no hostile element, request, dialog or error."""
    __tracebackhide__ = True
    wait_for_app(page)
    assert page.evaluate(FIND_HOSTILE, HOST) == [], where
    assert requests == [], where
    assert dialogs == [], where
    assert_no_errors(page)


def shown_text(page: Page) -> str:
    """The text of the page's main area as the user reads it (the invisible word joiners left out)."""
    return page.get_by_test_id("stMain").inner_text().replace(WORD_JOINER, "")


@contextmanager
def server_with_import(tmp_path, workbook: bytes, file_name: str, names: dict[str, str]) -> Iterator[StreamlitServer]:
    """The dashboard on a store holding the default data plus one workbook, imported before the server starts.

    `names` maps a table to a name that must be stored in it as written ({"areas": NAME}).
    """
    work = tmp_path / "server"
    work.mkdir()
    with open_store(work / "store.sqlite") as store:
        outcome = import_upload(store, workbook, file_name, "test")
        assert outcome.version == 2, [p.as_text() for p in outcome.problems]
        current = store.current()
        for table, name in names.items():
            assert name in set(current.table(table)["name"]), (table, name)
    with run_streamlit(ROOT / "app.py", work) as server:
        yield server


def watch_for_the_host(page: Page) -> tuple[list[str], list[str]]:
    """Lists that collect the page's requests to the hostile host and its dialogs (each dismissed) from now on."""
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if (urlsplit(r.url).hostname or "").endswith(HOST) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return requests, dialogs


@pytest.fixture
def hostile_server(tmp_path, chromium_executable):
    """The dashboard on a store holding the default data and the hostile area (imported before the server starts)."""
    with server_with_import(tmp_path, hostile_workbook(), "fientlig.xlsx", {"areas": NAME}) as server:
        yield server


def test_markdown_and_html_in_an_area_name_stay_text_on_every_page(page, hostile_server):
    server = hostile_server
    requests, dialogs = watch_for_the_host(page)
    area = quote(NAME, safe="")

    for spec in ui.PAGES:
        goto_page(page, server.url, page_url_path(spec))
        assert_inert(page, requests, dialogs, spec.title)
        if spec == ui.PAGES[0]:  # the start page has a card per focus area, headed by the name
            assert NAME in shown_text(page)
            link = page.get_by_test_id("stPageLink").filter(has_text="Nulägesbild Ond").get_by_role("link")
            assert parse_qs(urlsplit(link.get_attribute("href")).query)["omrade"] == [NAME]  # the name as data

    goto_page(page, server.url, "nulagesbild", f"omrade={area}")
    assert_inert(page, requests, dialogs, "Nulägesbild")
    assert f"Nulägesbild {NAME}" in shown_text(page)
    assert TEXT in shown_text(page)
    assert INDICATOR[1] in shown_text(page)  # the card of the indicator named with Markdown
    page.locator(f".st-key-mer_{INDICATOR[0]}").get_by_text("Definition, källa och värden").click()  # its details
    wait_for_app(page)
    chart = page.locator(".st-key-diagram_befolkning")
    chart.get_by_text("Diagram: befolkning").click()  # folkmängd over time, the name in the legend
    expect(chart.get_by_test_id("stPlotlyChart")).to_be_visible()
    expect(chart.locator(".legend")).to_contain_text("Ond")
    assert_inert(page, requests, dialogs, "Nulägesbild, detaljer och diagram")
    assert f"Definition: {INDICATOR[2]}" in shown_text(page) and f"Källa: {SOURCE}" in shown_text(page)

    for view in ("Tidsserie", "Jämförelse", "Tabell"):
        query = urlencode(
            [("tema", "Trygghet"), ("indikator", INDICATOR[1]), ("omraden", NAME), ("omraden", "Ryd"), ("vy", view)]
        )
        goto_page(page, server.url, "utforska", query)
        assert_inert(page, requests, dialogs, f"Utforska, {view}")
        expect(page.get_by_test_id("stMultiSelect").filter(has_text="Områden")).to_contain_text("Ond")
        assert INDICATOR[1] in shown_text(page)  # in the indicator picker and under Om indikatorn

    goto_page(page, server.url, "uppfoljning", f"omr={area}")
    assert_inert(page, requests, dialogs, "Uppföljning")
    text = shown_text(page)
    assert f"Områden: {NAME}" in text and ACTION in text and TEXT in text

    for slide in (1, 2, 3):
        goto_page(page, server.url, "presentation", f"omraden={area}&bild={slide}")
        assert_inert(page, requests, dialogs, f"Presentation, bild {slide}")
        if slide == 2:
            assert NAME in shown_text(page)


# --- Plotly's own HTML in names -------------------------------------------------------------------------------------
# Plotly reads a subset of HTML in every text of a chart: <a href> becomes an SVG link (<a xlink:href>, which
# FIND_HOSTILE's check of every attribute named xlink:href sees), <b>, <br> and <span style> change the text. An area,
# an indicator, an action and a department named with it must be drawn as the literal text in every chart.

# No ';' in the area's name: it separates the areas of an action. The indicator shows that an entity stays as written.
PLOTLY_AREA = 'Område <a href="http://evil.invalid/p">länk</a><b>fet</b><br>R&D'
PLOTLY_INDICATOR = (
    "plotly_indikator",
    'Indikator <a href="http://evil.invalid/q">länk</a> <span style="color:red">röd</span> R&amp;D',
)
PLOTLY_ACTION = 'Åtgärd <a href="http://evil.invalid/r">länk</a>'
PLOTLY_DEPARTMENT = 'Förvaltning <a href="http://evil.invalid/s">länk</a>'
SEXES = ("Totalt", "Kvinnor", "Män")
CHART_LINKS = "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] svg a').length"


def plotly_workbook() -> bytes:
    """A focus area and an indicator named with Plotly's HTML, values by sex, and an action with such a department."""
    data = [["Område", "Indikator", "År", "Värde", "Kön", "Källa"]]
    for area in (PLOTLY_AREA, "Ryd", "Övriga Linköping"):
        data += [
            [area, PLOTLY_INDICATOR[0], year, 20.0 + i + (area == PLOTLY_AREA) * 10, sex, "SCB"]
            for year in YEARS
            for i, sex in enumerate(SEXES)
        ]
    data += [
        [PLOTLY_AREA, indicator, year, 5000.0 + year if indicator == "folkmangd" else 30.0, "Totalt", "SCB"]
        for indicator in ("folkmangd", "ohalsotal")
        for year in YEARS
    ]
    return xlsx(
        {
            "Områden": [["Område", "Typ"], [PLOTLY_AREA, "Fokusområde"]],
            "Indikatorer": [
                ["Id", "Namn", "Tema", "Enhet", "Riktning", "Definition", "Källa"],
                [*PLOTLY_INDICATOR, "trygghet", "procent", "Lägre är bättre", "Definition", "SCB"],
            ],
            "Data": data,
            "Åtgärder": [
                ["Id", "Åtgärd", "Tema", "Ansvarig", "Områden", "Start", "Slut", "Status", "Kommentar", "Indikatorer"],
                [
                    "A01",
                    PLOTLY_ACTION,
                    "trygghet",
                    PLOTLY_DEPARTMENT,
                    PLOTLY_AREA,
                    "2021-01-01",
                    "2030-12-31",
                    "Pågår",
                    "",
                    PLOTLY_INDICATOR[0],
                ],
            ],
        }
    )


@pytest.fixture
def plotly_server(tmp_path, chromium_executable):
    """The dashboard on a store holding the default data and the names with Plotly's HTML."""
    names = {"areas": PLOTLY_AREA, "indicators": PLOTLY_INDICATOR[1]}
    with server_with_import(tmp_path, plotly_workbook(), "plotly.xlsx", names) as server:
        yield server


def charts_drawn(page: Page, count: int) -> list:
    """The page's Plotly charts, at least `count` of them, once drawn (an SVG each)."""
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.nth(count - 1)).to_be_attached()
    for i in range(charts.count()):
        expect(charts.nth(i).locator("svg.main-svg").first).to_be_visible()
    return [charts.nth(i) for i in range(charts.count())]


def test_plotly_html_in_names_is_literal_text_in_every_chart(page, plotly_server):
    server = plotly_server
    requests, dialogs = watch_for_the_host(page)

    def check(where: str, charts: list, *texts: str) -> None:
        """No link in any chart (FIND_HOSTILE reads xlink:href too), and each text literally in some chart."""
        assert_inert(page, requests, dialogs, where)
        assert page.evaluate(CHART_LINKS) == 0, where
        drawn = "\n".join(c.evaluate("el => el.textContent") for c in charts)
        for text in texts:
            assert text in drawn, f"{where}: {text!r} is not in the charts' text"

    base = [("tema", "Trygghet"), ("indikator", PLOTLY_INDICATOR[1]), ("omraden", PLOTLY_AREA), ("omraden", "Ryd")]
    for view in ("Tidsserie", "Jämförelse", "Kvinnor och män"):
        goto_page(page, server.url, "utforska", urlencode([*base, ("vy", view)]))
        wait_for_app(page)
        charts = charts_drawn(page, 1)
        # The title is the indicator, the legend, the direct labels or the axis' ticks name the area.
        check(f"Utforska, {view}", charts, PLOTLY_INDICATOR[1], PLOTLY_AREA)
    for view in ("Index", "Skillnad mot jämförelseområdet"):
        # The area as the reference: in the axis title and on the reference line.
        goto_page(
            page,
            server.url,
            "utforska",
            urlencode([*base, ("omraden", "Övriga Linköping"), ("jmf", PLOTLY_AREA), ("vy", view)]),
        )
        wait_for_app(page)
        charts = charts_drawn(page, 1)
        check(f"Utforska, {view}", charts, PLOTLY_INDICATOR[1], PLOTLY_AREA)
        expect(charts[0].locator(".ytitle")).to_contain_text(PLOTLY_AREA)

    goto_page(page, server.url, "nulagesbild", f"omrade={quote(PLOTLY_AREA, safe='')}")
    wait_for_app(page)
    population = page.locator(".st-key-diagram_befolkning")
    population.get_by_text("Diagram: befolkning").click()  # folkmängd over time, the area in the legend
    wait_for_app(page)
    check("Nulägesbild, diagram", charts_drawn(page, 1), PLOTLY_AREA)

    goto_page(page, server.url, "uppfoljning", f"omr={quote(PLOTLY_AREA, safe='')}")
    wait_for_app(page)
    # Status, per theme, per department, per area, the timeline (whose labels are cut to 48 characters) and the
    # chosen action's indicator.
    check(
        "Uppföljning",
        charts_drawn(page, 6),
        PLOTLY_AREA,
        PLOTLY_DEPARTMENT,
        'A01 Åtgärd <a href="http://evil.',
        PLOTLY_INDICATOR[1],
    )

    # The title, the area's overview (the area as a bar's category) and the theme trygghet (the indicator over time).
    for slide, texts in ((1, ()), (2, (PLOTLY_AREA,)), (3, (PLOTLY_AREA, PLOTLY_INDICATOR[1]))):
        goto_page(
            page, server.url, "presentation", f"omraden={quote(PLOTLY_AREA, safe='')}&teman=Trygghet&bild={slide}"
        )
        wait_for_app(page)
        check(f"Presentation, bild {slide}", charts_drawn(page, 1) if texts else [], *texts)
