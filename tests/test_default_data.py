"""Tests of the default dataset built by data/make_default_data.py.

The expectations are stated by hand (published figures, vocabularies, year ranges), so a change in the
generator that breaks them fails here. Counts are exact: the number of indicators and values follows from the
catalogue (data/indikatorkatalog.csv) and the KPI file, and README.md and KALLOR.md must state the same numbers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.core.groups import combined_group  # noqa: E402
from analysis.core.model import (  # noqa: E402
    ACTION_STATUSES,
    ACTION_THEMES,
    DIRECTIONS,
    EXAMPLE_SOURCE,
    TABLES,
    TEXT_HEADINGS,
    THEMES,
    UNITS,
    split_list,
)
from analysis.measures.summary import example_mask  # noqa: E402

SCRIPT = ROOT / "data" / "make_default_data.py"
WORKBOOK = ROOT / "data" / "standarddata.xlsx"
CATALOGUE_CSV = ROOT / "data" / "indikatorkatalog.csv"
KPI_CSV = ROOT / "data" / "kpi_arsmedel.csv"

AREAS = {"Berga", "Ryd", "Skäggetorp", "Övriga Linköping", "Linköping", "Riket"}
PEERS = {"Norrköping": "0581", "Örebro": "1880", "Västerås": "1980", "Jönköping": "0680", "Uppsala": "0380"}
FOCUS = ("Berga", "Ryd", "Skäggetorp")
ALL_YEARS = list(range(2015, 2025))
ELECTION_INDICATORS = {"valdeltagande_kommunval", "valdeltagande_riksdagsval"}
SEXES = {"Totalt", "Kvinnor", "Män"}


def _load_module():
    spec = importlib.util.spec_from_file_location("make_default_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def module():
    return _load_module()


@pytest.fixture(scope="module")
def built(module):
    return module.build_default_dataset()


@pytest.fixture(scope="module")
def ds(built):
    return built[0]


@pytest.fixture(scope="module")
def records(built):
    return built[1]


@pytest.fixture(scope="module")
def obs(ds):
    """The observations of the six areas of Linköping's follow-up (not the comparison municipalities)."""
    return ds.observations[ds.observations.area.isin(AREAS)]


@pytest.fixture(scope="module")
def all_obs(ds):
    return ds.observations


# Reference rows (data/real_figures.csv) about our areas that the build uses and leaves out, as KALLOR.md's two
# tables list them; the other counts below follow from these two, the catalogue and the KPI file.
USED_REFERENCE_ROWS = 59
UNUSED_REFERENCE_ROWS = 210


@pytest.fixture(scope="module")
def expected_counts(module):
    """Exact sizes of the default data: indicators and values from the catalogue, published values from the
    used reference rows and SCB's KPI rows."""
    kpi_rows = len(pd.read_csv(KPI_CSV))
    catalogue = pd.read_csv(CATALOGUE_CSV, dtype=str, keep_default_na=False)
    generated = [i for i in module.CATALOGUE if i.values_from == "generator"]
    values = sum(len(i.years) * len(AREAS) * (len(SEXES) if i.by_sex else 1) for i in generated) + kpi_rows
    # Inrikes and utrikes födda for the indicators split by födelseregion, every year and area.
    values += sum(len(module.INDICATOR_BY_ID[i].years) * len(areas) * 2 for i, areas in module.BIRTH_GAPS.items())
    # The comparison municipalities: Linköping's years of each indicator they have.
    values += sum(len(module.INDICATOR_BY_ID[i].years) * len(PEERS) for i in module.MUNICIPALITY_OFFSETS)
    # The områdestyp of each focus area, by hand.
    values += sum(len(codes) for codes in module.AREA_TYPE_CODES.values())
    return {"indicators": len(catalogue), "values": values, "published": USED_REFERENCE_ROWS + kpi_rows}


def _value(obs, area, indicator, year, sex="Totalt"):
    rows = obs[(obs.area == area) & (obs.indicator == indicator) & (obs.year == year) & (obs.sex == sex)]
    assert len(rows) == 1, (area, indicator, year, sex, len(rows))
    return rows.iloc[0]


# --- catalogue and areas -------------------------------------------------------------------------


def test_catalogue_size_and_themes(ds, expected_counts):
    ind = ds.indicators
    assert len(ind) == expected_counts["indicators"]
    assert set(THEMES) <= set(ind.theme)
    assert ind.id.is_unique
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ind.id)


def test_catalogue_vocabularies(ds):
    ind = ds.indicators
    assert set(ind.theme) <= set(THEMES)
    assert set(ind.unit) <= set(UNITS)
    assert set(ind.direction) <= set(DIRECTIONS)
    assert all(d.strip() for d in ind.definition)
    assert all(s.strip() for s in ind.source)
    assert 10 <= int(ind.key_figure.sum()) <= 16
    catalogue = pd.read_csv(CATALOGUE_CSV, dtype=str, keep_default_na=False)
    assert int(ind.key_figure.sum()) == int((catalogue.key_figure == "Ja").sum())


def test_expected_indicator_properties(ds):
    ind = ds.indicators.set_index("id")
    expected = {
        "forvarvsfrekvens": ("arbete", "procent", "Högre är bättre", 1),
        "arbetsloshet": ("arbete", "procent", "Lägre är bättre", 1),
        "ekonomiskt_bistand": ("ekonomi", "procent", "Lägre är bättre", 1),
        "medianinkomst_hushall": ("ekonomi", "kronor", "Högre är bättre", 0),
        "meritvarde": ("utbildning", "poäng", "Högre är bättre", 1),
        "hyresratter": ("boende", "procent", "Neutral", 1),
        "folkmangd": ("befolkning", "antal", "Neutral", 0),
        "valdeltagande_kommunval": ("demokrati", "procent", "Högre är bättre", 1),
        "ohalsotal": ("hälsa", "dagar", "Lägre är bättre", 1),
        "anmalda_brott": ("trygghet", "per 1 000 invånare", "Lägre är bättre", 1),
    }
    for id_, (theme, unit, direction, decimals) in expected.items():
        row = ind.loc[id_]
        assert (row.theme, row.unit, row.direction, int(row.decimals)) == (theme, unit, direction, decimals), id_
    assert "arbetskraften" in ind.loc["arbetsloshet", "comparability"]
    for id_ in ind.index[ind.theme == "befolkning"]:
        assert ind.loc[id_, "direction"] == "Neutral"


def test_areas(ds):
    areas = ds.areas.set_index("name")
    assert set(areas.index) == AREAS | set(PEERS)
    # Linköping is the first Kommun, so it stays the municipality of the focus areas; the others are its peers.
    assert ds.areas.loc[ds.areas.type == "Kommun", "name"].tolist() == ["Linköping", *PEERS]
    assert {n: areas.loc[n, "code"] for n in PEERS} == PEERS
    for name in FOCUS:
        assert areas.loc[name, "type"] == "Fokusområde"
        assert areas.loc[name, "code"] == ""
    assert areas.loc["Övriga Linköping", "type"] == "Jämförelse"
    assert areas.loc["Linköping", "type"] == "Kommun"
    assert areas.loc["Linköping", "code"] == "0580"
    assert areas.loc["Riket", "code"] == "00"
    assert "Linköpings kommun" in split_list(areas.loc["Linköping", "aliases"])
    assert "Sverige" in split_list(areas.loc["Riket", "aliases"])


# --- observations --------------------------------------------------------------------------------


def test_every_indicator_and_area_has_observations(module, ds, obs):
    counts = obs.groupby(["indicator", "area"]).size()
    kpi_rows = len(pd.read_csv(KPI_CSV))
    for ind in ds.indicators.id:
        if ind == "omradestyp":
            assert set(obs[obs.indicator == ind].area) == set(FOCUS)  # only the focus areas are RegSO-like
            continue
        entry = module.INDICATOR_BY_ID[ind]
        per_area = len(entry.years) * (len(SEXES) if entry.by_sex else 1)
        per_area += len(entry.years) * 2 if ind in module.BIRTH_GAPS else 0
        for area in {"Riket"} if ind == "kpi" else AREAS:  # the consumer price index is national
            assert counts.get((ind, area), 0) == (kpi_rows if ind == "kpi" else per_area), (ind, area)
    assert set(obs.indicator) <= set(ds.indicators.id)
    assert set(obs.area) <= AREAS


def test_years(obs):
    for (ind, area, sex), group in obs.groupby(["indicator", "area", "sex"]):
        years = sorted(group.year.astype(int))
        if ind in ELECTION_INDICATORS:
            assert years == [2018, 2022], (ind, area, sex)
        elif ind == "omradestyp":
            assert years == list(range(2018, 2025)), (ind, area, sex)
        elif ind == "kpi":
            assert (area, sex) == ("Riket", "Totalt") and years == list(range(2015, 2024))  # SCB's 2015–2023
        else:
            assert years == ALL_YEARS, (ind, area, sex)


def test_unique_keys(obs):
    assert not obs.duplicated(["area", "indicator", "year", "sex"]).any()


def test_sexes(ds, obs):
    split = {
        "forvarvsfrekvens",
        "arbetsloshet",
        "ekonomiskt_bistand",
        "meritvarde",
        "behorighet_yrkesprogram",
        "folkmangd",
        "ohalsotal",
        "otrygghet_kvall",
        "valdeltagande_kommunval",
    }
    total_only = {
        "lag_ekonomisk_standard_barn",
        "medianinkomst_hushall",
        "forskola",
        "trangbodda_hushall",
        "hyresratter",
        "utlandsk_bakgrund",
        "valdeltagande_riksdagsval",
        "anmalda_brott",
    }
    sexes = obs[obs.sex.isin(SEXES)].groupby("indicator").sex.agg(set)
    for ind in split:
        assert sexes[ind] == SEXES, ind
    for ind in total_only:
        assert sexes[ind] == {"Totalt"}, ind
    # Split indicators have all three sexes for every area and year.
    for ind in ds.indicators.id:
        if sexes[ind] == SEXES:
            per_key = obs[(obs.indicator == ind) & obs.sex.isin(SEXES)].groupby(["area", "year"]).sex.agg(set)
            assert all(s == SEXES for s in per_key), ind


def test_birth_region_examples_average_to_the_total(obs):
    """Inrikes and utrikes födda weighted by the share born abroad give the total again (within rounding)."""
    share = obs[(obs.indicator == "utrikes_fodda") & (obs.sex == "Totalt")].set_index(["area", "year"]).value / 100
    for ind in ("forvarvsfrekvens", "arbetsloshet"):
        wide = obs[obs.indicator == ind].pivot_table(index=["area", "year"], columns="sex", values="value")
        assert len(wide) == 60 and wide[["Inrikes födda", "Utrikes födda"]].notna().all().all(), ind
        s = share.reindex(wide.index)
        mean = s * wide["Utrikes födda"] + (1 - s) * wide["Inrikes födda"]
        assert ((mean - wide["Totalt"]).abs() <= 0.1).all(), ind
    groups = obs[obs.sex.isin(["Inrikes födda", "Utrikes födda"])]
    assert example_mask(groups).all() and set(groups.note) == {"Härlett exempelvärde"}
    skaggetorp = _value(obs, "Skäggetorp", "forvarvsfrekvens", 2024, "Utrikes födda").value
    rest = _value(obs, "Övriga Linköping", "forvarvsfrekvens", 2024, "Utrikes födda").value
    assert skaggetorp < rest < _value(obs, "Övriga Linköping", "forvarvsfrekvens", 2024, "Inrikes födda").value


def test_counts_add_up(ds, obs):
    counts = ds.indicators.id[ds.indicators.unit == "antal"]
    assert "folkmangd" in set(counts)
    for ind in counts:
        wide = obs[obs.indicator == ind].pivot_table(index=["area", "year"], columns="sex", values="value")
        assert ((wide["Kvinnor"] + wide["Män"]) == wide["Totalt"]).all(), ind


def test_linkoping_is_sum_of_parts_for_population(obs):
    pop = obs[(obs.indicator == "folkmangd")].pivot_table(index=["year", "sex"], columns="area", values="value")
    parts = pop[["Berga", "Ryd", "Skäggetorp", "Övriga Linköping"]].sum(axis=1)
    assert (parts == pop["Linköping"]).all()


def test_linkoping_close_to_weighted_mean_of_parts(obs):
    pop = obs[(obs.indicator == "folkmangd") & (obs.sex == "Totalt")].pivot(
        index="year", columns="area", values="value"
    )
    parts = ["Berga", "Ryd", "Skäggetorp", "Övriga Linköping"]
    for ind in ("ekonomiskt_bistand", "forvarvsfrekvens", "trangbodda_hushall_barn", "utrikes_fodda"):
        wide = obs[(obs.indicator == ind) & (obs.sex == "Totalt")].pivot(index="year", columns="area", values="value")
        mean = (wide[parts] * pop.loc[wide.index, parts]).sum(axis=1) / pop.loc[wide.index, parts].sum(axis=1)
        assert ((mean - wide["Linköping"]).abs() < 0.15).all(), ind


def test_focus_areas_worse_than_rest(obs):
    def v(area, ind, year=2022):
        return _value(obs, area, ind, year).value

    for area in FOCUS:
        assert v(area, "forvarvsfrekvens") < v("Övriga Linköping", "forvarvsfrekvens") - 15
        assert v(area, "ekonomiskt_bistand") > v("Övriga Linköping", "ekonomiskt_bistand")
        assert v(area, "trangbodda_hushall") > v("Övriga Linköping", "trangbodda_hushall")
    assert 48 <= v("Skäggetorp", "forvarvsfrekvens") <= 57
    assert 9000 <= v("Skäggetorp", "folkmangd") <= 11000


def test_ranges(ds, obs):
    assert (obs.value >= 0).all()
    percent = set(ds.indicators.id[ds.indicators.unit == "procent"])
    assert obs[obs.indicator.isin(percent)].value.between(0, 100).all()
    assert obs[obs.indicator == "meritvarde"].value.between(0, 340).all()
    assert obs.value.notna().all()


def test_values_rounded_to_decimals(ds, obs):
    decimals = dict(zip(ds.indicators.id, ds.indicators.decimals.astype(int)))
    for row in obs.itertuples():
        d = decimals[row.indicator]
        assert math.isclose(row.value, round(row.value, d), abs_tol=1e-9), (row.indicator, row.value)


def test_sex_differences_realistic(obs):
    def v(area, ind, year, sex):
        return _value(obs, area, ind, year, sex).value

    for area in ("Skäggetorp", "Övriga Linköping", "Linköping"):
        for year in (2016, 2023):
            assert v(area, "ohalsotal", year, "Kvinnor") > v(area, "ohalsotal", year, "Män")
            assert v(area, "forvarvsfrekvens", year, "Kvinnor") < v(area, "forvarvsfrekvens", year, "Män")
            assert v(area, "meritvarde", year, "Kvinnor") > v(area, "meritvarde", year, "Män")


# --- sources: published versus example values ----------------------------------------------------


def test_sources(all_obs, expected_counts):
    obs = all_obs
    example = obs[example_mask(obs)]
    real = obs[~example_mask(obs)]
    assert len(obs) == expected_counts["values"]
    assert len(real) == expected_counts["published"]
    assert real.source.str.match(r"^https?://").all()
    assert (real.note.str.startswith("Publicerad uppgift")).all()
    assert set(example.note) <= {"", "Härlett exempelvärde"}
    assert len(example) + len(real) == len(obs)


@pytest.mark.parametrize(
    "area, indicator, year, sex, value",
    [
        ("Skäggetorp", "ekonomiskt_bistand", 2021, "Totalt", 18.9),
        ("Berga", "ekonomiskt_bistand", 2021, "Totalt", 9.4),
        ("Ryd", "ekonomiskt_bistand", 2021, "Totalt", 5.7),
        ("Linköping", "ekonomiskt_bistand", 2021, "Totalt", 3.2),
        ("Linköping", "ekonomiskt_bistand", 2021, "Kvinnor", 3.3),
        ("Linköping", "ekonomiskt_bistand", 2021, "Män", 3.1),
        ("Linköping", "ekonomiskt_bistand", 2023, "Totalt", 3.1),
        ("Berga", "arbetsloshet", 2020, "Totalt", 10.7),
        ("Skäggetorp", "arbetsloshet", 2020, "Totalt", 18.3),
        ("Ryd", "arbetsloshet", 2020, "Totalt", 6.5),
        ("Skäggetorp", "arbetsloshet", 2023, "Totalt", 19.0),
        ("Berga", "arbetsloshet", 2023, "Totalt", 11.0),
        ("Linköping", "trangbodda_hushall", 2023, "Totalt", 7.0),
        ("Linköping", "trangbodda_hushall_barn", 2023, "Totalt", 19.6),
        ("Skäggetorp", "trangbodda_hushall", 2022, "Totalt", 29.5),
        ("Skäggetorp", "trangbodda_hushall_barn", 2023, "Totalt", 73.5),
        ("Linköping", "lag_ekonomisk_standard", 2021, "Totalt", 16.5),
        ("Linköping", "lag_ekonomisk_standard", 2022, "Totalt", 15.8),
        ("Linköping", "lag_ekonomisk_standard_barn", 2021, "Totalt", 19.8),
        ("Linköping", "folkmangd", 2020, "Totalt", 164616),
        ("Linköping", "folkmangd", 2020, "Kvinnor", 80561),
        ("Linköping", "folkmangd", 2023, "Totalt", 167404),
        ("Linköping", "utrikes_fodda", 2023, "Totalt", 18.8),
        ("Linköping", "utlandsk_bakgrund", 2023, "Totalt", 24.7),
        ("Linköping", "valdeltagande_kommunval", 2022, "Totalt", 82.7),
        ("Linköping", "valdeltagande_riksdagsval", 2022, "Totalt", 86.2),
        ("Riket", "valdeltagande_riksdagsval", 2018, "Totalt", 87.2),
        ("Riket", "valdeltagande_riksdagsval", 2022, "Totalt", 84.2),
        ("Linköping", "ohalsotal", 2018, "Totalt", 19.5),
        ("Linköping", "ohalsotal", 2018, "Kvinnor", 24.7),
        ("Linköping", "medianinkomst_hushall", 2017, "Totalt", 354900),
        ("Linköping", "medianinkomst_hushall", 2021, "Totalt", 388500),
        ("Linköping", "hyresratter", 2023, "Totalt", 50.0),
    ],
)
def test_published_figures_present(obs, area, indicator, year, sex, value):
    row = _value(obs, area, indicator, year, sex)
    assert row.value == pytest.approx(value, abs=1e-9)
    assert row.source.startswith(("http://", "https://"))


def test_preferred_sources(obs):
    # The municipality's statistics page wins over a news page with the same figure.
    assert "linkoping-i-siffror" in _value(obs, "Linköping", "folkmangd", 2018).source
    # The more precise figure (84,21 from Valmyndigheten) wins over the rounded copy.
    assert "val.se" in _value(obs, "Riket", "valdeltagande_riksdagsval", 2022).source


def test_rejected_figures_not_used(obs, records):
    # Electoral district "Berga 5" is not the district Berga, and approximate or yearless figures stay out.
    assert _value(obs, "Skäggetorp", "folkmangd", 2020).source == EXAMPLE_SOURCE  # 11 407 from a local site
    assert _value(obs, "Linköping", "arbetsloshet", 2023).source == EXAMPLE_SOURCE  # labour-force share
    assert _value(obs, "Skäggetorp", "valdeltagande_kommunval", 2022).source == EXAMPLE_SOURCE
    by_line = {r["line"]: r for r in records}
    rejected = [r for r in records if not r["used"]]
    assert all(r["reason"] for r in rejected)
    berga5 = [r for r in records if r["area"].startswith("Berga 5")]
    assert berga5 and not berga5[0]["used"] and "valdistrikt" in berga5[0]["reason"]
    approx = [r for r in records if r["area"] == "Ryd" and r["indicator"] == "Hushåll i hyresrätt"]
    assert approx and not approx[0]["used"]
    labour = [r for r in records if r["indicator"] == "Arbetslöshet (andel av arbetskraften)"]
    assert labour and all(not r["used"] and "arbetskraften" in r["reason"] for r in labour)
    assert len(by_line) == len(records)


def test_records_match_dataset(obs, records):
    used = [r for r in records if r["used"]]
    assert len(used) == USED_REFERENCE_ROWS
    real = obs[~example_mask(obs) & (obs["indicator"] != "kpi")]  # the KPI comes from its own file
    assert len(used) == len(real)
    for r in used:
        row = _value(obs, r["area"], r["indicator_id"], int(r["year"]), r["sex"])
        assert row.source == r["source_url"]
        assert row.value == pytest.approx(r["used_value"])


def test_the_kpi_is_scbs_published_annual_average_as_read(obs):
    kpi = obs[obs["indicator"] == "kpi"].set_index("year")
    published = {
        2015: 313.35,
        2016: 316.43,
        2017: 322.11,
        2018: 328.40,
        2019: 334.26,
        2020: 335.92,
        2021: 343.19,
        2022: 371.91,
        2023: 403.70,
    }  # SCB, KPI 1980=100, fastställda tal (data/kpi_arsmedel.csv)
    assert {int(y): v for y, v in kpi["value"].items()} == published
    assert kpi["source"].str.startswith("https://www.scb.se/").all()


def test_records_cover_reference_rows_about_our_areas(module, records):
    figures = module.read_reference()
    ours = [f for f in figures if f.area in AREAS]
    lines = {r["line"] for r in records}
    assert all(f.line in lines for f in ours)


# --- plan tables ---------------------------------------------------------------------------------


# The actions of the current plan (Åtgärdsplan 2022): A15 and A42 were only in the first plan.
ACTIONS_PER_THEME = {"trygghet": 8, "gemenskap": 8, "arbete": 9, "utbildning": 7, "fritid": 8}
ACTIONS_PER_STATUS = {"Ej påbörjad": 3, "Pågår": 18, "Försenad": 2, "Genomförd": 14, "Avbruten": 1, "Vilande": 2}
PLAN_2020_IDS = ["A01", "A02", "A03", "A04", "A06", "A09", "A10", "A13", "A15", "A17", "A18", "A20", "A22", "A24"]
PLAN_2020_IDS += ["A26", "A27", "A28", "A29", "A34", "A35", "A39", "A42"]


def test_plan_versions(ds):
    from analysis.viewmodels.plans import plan_actions, plan_changes

    assert ds.plans[["name", "adopted", "decided_by", "first_year", "last_year"]].values.tolist() == [
        ["Åtgärdsplan 2020", "2020-12-02", "kommundirektören", 2021, 2021],
        ["Åtgärdsplan 2022", "2022-01-19", "kommundirektören", 2022, 2022],
    ]
    assert sorted(plan_actions(ds, "Åtgärdsplan 2020")["id"]) == PLAN_2020_IDS
    assert len(ds.actions) == 22 + 40 and not ds.actions.duplicated(["id", "plan"]).any()
    changes = plan_changes(ds, "Åtgärdsplan 2020", "Åtgärdsplan 2022")
    by_kind = {k: sorted(g["id"]) for k, g in changes.groupby("change")}
    assert by_kind["Utgår"] == ["A15", "A42"] and by_kind["Ändrad"] == ["A03", "A10", "A20", "A22"]
    assert len(by_kind["Ny i planen"]) == 20


def test_actions(ds):
    from analysis.viewmodels.plans import plan_actions

    act = plan_actions(ds, "Åtgärdsplan 2022")
    assert len(act) == sum(ACTIONS_PER_THEME.values()) == sum(ACTIONS_PER_STATUS.values())
    assert act.id.is_unique
    assert set(act.theme) <= set(ACTION_THEMES)
    assert act.theme.value_counts().to_dict() == ACTIONS_PER_THEME
    assert min(ACTIONS_PER_THEME.values()) >= 5 and set(ACTIONS_PER_THEME) == set(ACTION_THEMES)
    assert set(act.status) <= set(ACTION_STATUSES)
    assert act.status.value_counts().to_dict() == ACTIONS_PER_STATUS
    # Every status occurs except Riskerar att försenas, which the default data leaves to be derived from progress.
    assert set(ACTIONS_PER_STATUS) == set(ACTION_STATUSES) - {"Riskerar att försenas"}
    assert (act.source == EXAMPLE_SOURCE).all()
    indicators = set(ds.indicators.id)
    areas = set(ds.areas.name)
    for row in act.itertuples():
        linked = split_list(row.indicators)
        assert 1 <= len(linked) <= 3 and set(linked) <= indicators, row.id
        covered = split_list(row.areas)
        assert 1 <= len(covered) <= 3 and set(covered) <= set(FOCUS) <= areas, row.id
        start, end = pd.Timestamp(row.start), pd.Timestamp(row.end)
        assert pd.Timestamp("2021-01-01") <= start <= end <= pd.Timestamp("2026-12-31"), row.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.end)
    # Some ongoing actions are past their end date, so the dashboard can derive "Försenad".
    overdue = act[(act.status == "Pågår") & (act.end < "2026-11-26")]
    assert sorted(overdue.id) == ["A03", "A07", "A14", "A20", "A32"]


def test_targets(ds):
    tg = ds.targets
    assert len(tg) == 12
    assert set(tg.indicator) <= set(ds.indicators.id)
    assert set(tg.area) <= set(ds.areas.name)
    assert (tg.base_year == 2020).all()
    assert set(tg.target_year) <= {2026, 2030}
    assert (tg.source == EXAMPLE_SOURCE).all()
    assert not tg.duplicated(["area", "indicator", "target_year"]).any()


def test_area_texts(ds):
    texts = ds.area_texts
    for area in FOCUS:
        headings = set(texts[texts.area == area].heading)
        assert headings == set(TEXT_HEADINGS), area
    assert (texts.source == EXAMPLE_SOURCE).all()
    assert texts.text.str.startswith("Exempeltext").all()
    # Example texts invent no precise figures.
    assert not texts.text.str.contains(r"\d+[,.]\d|\d+ ?%|procent", regex=True).any()


# --- determinism and the committed workbook ------------------------------------------------------


def test_deterministic(module, ds):
    again, _ = module.build_default_dataset()
    for name in TABLES:
        pd.testing.assert_frame_equal(ds.table(name), again.table(name), check_exact=True)


def _norm(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def test_comparison_municipalities_are_examples_near_linkoping(all_obs):
    peers = all_obs[all_obs.area.isin(list(PEERS))]
    assert example_mask(peers).all() and set(peers.sex) == {"Totalt"}
    linkoping = all_obs[(all_obs.area == "Linköping") & (all_obs.sex == "Totalt")].set_index(["indicator", "year"])
    for (area, ind), rows in peers.groupby(["area", "indicator"]):
        own = linkoping.loc[ind].value
        assert sorted(rows.year) == sorted(own.index), (area, ind)
        assert (rows.set_index("year").value - own).abs().max() < 12, (area, ind)


def test_committed_workbook_matches_fresh_build(all_obs):
    obs = all_obs
    assert WORKBOOK.exists(), "run: python data/make_default_data.py"
    wb = load_workbook(WORKBOOK, read_only=True, data_only=True)
    try:
        ws = wb["Data"]
        rows = ws.iter_rows(values_only=True)
        headers = list(next(rows))
        expected_headers = ["Område", "Indikator", "År", "Värde", "Kön", "Grupp", "Källa", "Kommentar"]
        assert headers[: len(expected_headers)] == expected_headers
        cells = [tuple(_norm(v) for v in r[:8]) for r in rows if any(v is not None for v in r)]
        # Kön and Grupp are two cells of one group: 'Totalt' and 'Utrikes födda' is the group Utrikes födda.
        stored = sorted((*c[:4], combined_group(c[4], c[5] or "Totalt"), *c[6:]) for c in cells)
    finally:
        wb.close()
    fresh = sorted(
        (r.area, r.indicator, float(r.year), float(r.value), r.sex, r.source, r.note) for r in obs.itertuples()
    )
    assert len(stored) == len(fresh)
    assert stored == fresh


@pytest.mark.parametrize(
    "name, sha256",
    [
        # The project's reference files as copied into data/ (SHA-256 of the verbatim copies the build reads).
        ("real_figures.csv", "b2d61e64b4fc5eb19465fcdce87e956aaa77e56c9bd7d4e3071477a7b7b3e0c0"),
        ("kpi_arsmedel.csv", "d13df83627d26bcebc529b8ecfbff3248186f30c19e24addedac128cbbbf52ef"),
    ],
)
def test_reference_copy_is_verbatim(name, sha256):
    local = ROOT / "data" / name
    assert local.exists()
    assert hashlib.sha256(local.read_bytes()).hexdigest() == sha256


def test_the_build_reads_only_files_in_the_repository(module):
    inputs = (module.CATALOGUE_PATH, module.REFERENCE_PATH, module.KPI_PATH)
    outputs = (module.WORKBOOK_PATH, module.TEMPLATE_PATH, module.SOURCES_PATH)
    assert all(p.parent == ROOT / "data" for p in inputs + outputs)
    assert all(p.exists() for p in inputs)
    for source in (SCRIPT, *sorted((ROOT / "data" / "defaultdata").glob("*.py"))):
        assert "/work/" not in source.read_text(encoding="utf-8"), source.name


def test_readme_and_sources_file_state_the_exact_counts(expected_counts):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"Den har {expected_counts['indicators']} indikatorer" in readme
    assert f"{expected_counts['published']} värden är publicerade uppgifter" in readme
    sources = " ".join((ROOT / "data" / "KALLOR.md").read_text(encoding="utf-8").split())
    values = f"{expected_counts['values']:,}".replace(",", " ")
    example = f"{expected_counts['values'] - expected_counts['published']:,}".replace(",", " ")
    assert f"Standarddatan innehåller {expected_counts['indicators']} indikatorer" in sources
    assert f"Bladet Data har {values} värden: {expected_counts['published']} är publicerade uppgifter" in sources
    assert f"och {example} är påhittade exempelvärden" in sources


def test_committed_sources_file_matches_fresh_build(module, ds, records):
    text = (ROOT / "data" / "KALLOR.md").read_text(encoding="utf-8")
    assert text == module.sources_markdown(ds, records)


def test_sources_file_lists_unused_figures(records):
    text = (ROOT / "data" / "KALLOR.md").read_text(encoding="utf-8")
    assert "## Publicerade uppgifter som inte används" in text
    unused = [r for r in records if not r["used"]]
    assert len(unused) == UNUSED_REFERENCE_ROWS
    assert len(records) == USED_REFERENCE_ROWS + UNUSED_REFERENCE_ROWS
    assert f"## Publicerade uppgifter som används ({USED_REFERENCE_ROWS})" in text
    assert f"## Publicerade uppgifter som inte används ({UNUSED_REFERENCE_ROWS})" in text
    for r in unused[:20]:
        assert f"| {r['line']} |" in text


# --- follow-ups of the actions ------------------------------------------------------------------


def test_followups(ds):
    fu = ds.action_followups
    assert len(fu) == 145
    assert fu["progress"].between(0, 100).all()
    assert not fu.duplicated(["action", "year"]).any()
    assert set(fu.action) <= set(ds.actions.id)
    assert set(fu.status) <= set(ACTION_STATUSES)
    assert set(fu.year) == set(range(2021, 2026))
    assert (fu.source == EXAMPLE_SOURCE).all()
    assert (fu.comment.str.len() > 0).all()


def test_followups_agree_with_the_actions(ds):
    fu = ds.action_followups.sort_values(["action", "year"])
    actions = ds.actions.drop_duplicates("id", keep="last").set_index("id")  # the current plan's version
    for action, entries in fu.groupby("action"):
        a = actions.loc[action]
        start, end = int(a.start[:4]), int(a.end[:4])
        statuses = entries.status.tolist()
        last = statuses[-1]
        # followed up every year from the start (or once while planned), never after being closed
        years = entries.year.tolist()
        assert years == list(range(years[0], years[-1] + 1)), action
        assert years[0] == start or statuses[0] == "Ej påbörjad", action
        assert all(s not in ("Genomförd", "Avbruten") for s in statuses[:-1]), action
        if a.status in ("Genomförd", "Avbruten") and end <= 2025:
            assert (last, years[-1]) == (a.status, end), action
        elif a.status in ("Vilande", "Ej påbörjad", "Pågår"):
            assert last == a.status, action
        elif a.status == "Försenad":
            assert last == ("Försenad" if end <= 2025 else "Pågår"), action
        else:
            assert last == "Pågår", action  # finished after the last follow-up
    not_followed = set(ds.actions.id) - set(fu.action)
    assert not_followed == set(ds.actions.loc[ds.actions.start >= "2026", "id"]) - set(fu.action)


def test_followups_give_derived_delays_and_changes(ds):
    from datetime import date

    from analysis.viewmodels.followup import action_register, change_counts, followup_changes, followup_snapshot

    today = date(2026, 11, 26)
    snap_2025 = followup_snapshot(ds, 2025, today)
    # A03 and A20 reported as ongoing after their end date; A14 ends 2025-12-31 reporting 65 % done.
    derived = snap_2025[snap_2025["derived"]]
    assert derived[["id", "status"]].values.tolist() == [
        ["A03", "Försenad"],
        ["A14", "Riskerar att försenas"],
        ["A20", "Försenad"],
    ]
    changes = change_counts(followup_changes(followup_snapshot(ds, 2024, today), snap_2025, action_register(ds, today)))
    assert (changes["Genomförd"], changes["Försenad"], changes["Vilande"], changes["Riskerar att försenas"]) == (
        1,
        4,
        1,
        1,
    )


def test_committed_workbook_and_template_have_the_followup_sheet(ds):
    wb = load_workbook(WORKBOOK, read_only=True, data_only=True)
    try:
        rows = list(wb["Uppföljning"].iter_rows(values_only=True))
    finally:
        wb.close()
    assert list(rows[0][:6]) == ["Åtgärd", "År", "Status", "Andel klar", "Kommentar", "Källa"]
    stored = sorted((r[0], int(r[1]), r[2], float(r[3]), r[4], r[5]) for r in rows[1:] if r[0] is not None)
    fresh = sorted(
        (r.action, int(r.year), r.status, float(r.progress), r.comment, r.source)
        for r in ds.action_followups.itertuples()
    )
    assert stored == fresh
    template = load_workbook(ROOT / "data" / "mall.xlsx", read_only=True)
    try:
        rows = list(template["Uppföljning"].iter_rows(values_only=True))
    finally:
        template.close()
    assert [list(r[:6]) for r in rows if any(v is not None for v in r)] == [
        ["Åtgärd", "År", "Status", "Andel klar", "Kommentar", "Källa"]
    ]
