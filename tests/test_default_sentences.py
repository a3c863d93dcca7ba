"""Every sentence the default data gives, for every focus area, sex, reference and baseline year, read by a test.

Each sentence is checked against the numbers of its own row: every number it states is one of the row's numbers as
shown, a stated change is never between two equal numbers, "saknas" is only said of a value that is missing, the
words for above/below and closer/further agree with the signs, and the sex words fit the indicator.
"""

from __future__ import annotations

import re

import pytest

from analysis.core.formatting import format_number
from analysis.core.model import TOTAL, focus_areas
from analysis.measures.compare import BASELINE_LOOKBACK, comparison_table, series
from analysis.measures.narrative import indicator_sentence, sex_sentence
from analysis.measures.verdicts import rule_for, shown

SEXES = (TOTAL, "Kvinnor", "Män")
NUMBER = re.compile(r"\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?|\d+(?:,\d+)?")


def _all_sentences(data):
    """(row, area, reference, baseline, sentence) for every combination the data allows."""
    years = sorted({int(y) for y in data.observations["year"].dropna().unique()})
    references = ["Övriga Linköping", "Linköping"]
    for area in focus_areas(data.areas):
        for reference in references:
            for baseline in years:
                for sex in SEXES:
                    table = comparison_table(data, area, reference, baseline, sex)
                    for row in table.to_dict("records"):
                        yield row, area, reference, baseline, indicator_sentence(row, area, reference, baseline)


@pytest.fixture(scope="module")
def sentences(default_data):
    """All sentences of the default data (computed once)."""
    return list(_all_sentences(default_data))


def _allowed_numbers(row: dict, baseline: int) -> set[str]:
    """Every number the row may state, as shown in Swedish."""
    rule = rule_for(row)
    decimals, gd = int(row["decimals"]), rule.gap_decimals
    out = {str(baseline), str(BASELINE_LOOKBACK), "0", "1"}
    for key in ("year", "baseline_year"):
        if row.get(key) is not None and row[key] == row[key]:
            out.add(str(int(row[key])))
    for key in ("value", "reference_value", "baseline_value", "women", "men"):
        if row.get(key) is not None and row[key] == row[key]:
            out.add(format_number(row[key], decimals))
    for key in ("gap", "baseline_gap"):
        if row.get(key) is not None and row[key] == row[key]:
            out.add(format_number(abs(row[key]), gd))
    if all(row.get(k) is not None and row[k] == row[k] for k in ("gap", "baseline_gap")):
        out.add(format_number(abs(shown(abs(row["gap"]), gd) - shown(abs(row["baseline_gap"]), gd)), gd))
    if all(row.get(k) is not None and row[k] == row[k] for k in ("value", "baseline_value")):
        change = shown(row["value"], decimals) - shown(row["baseline_value"], decimals)
        out.add(format_number(abs(change), decimals))
        if row["baseline_value"]:
            out.add(format_number(abs(change) / row["baseline_value"] * 100, 1))
    if row.get("value_change") is not None and row["value_change"] == row["value_change"] and row.get("price_basis"):
        compared = row["value"] - row["value_change"]
        out.add(format_number(abs(shown(row["value_change"] / compared * 100, 1)), 1))
    return out


def test_there_are_sentences_for_every_focus_area(sentences):
    assert {s[1] for s in sentences} == {"Berga", "Ryd", "Skäggetorp"}
    assert len(sentences) > 2000


def test_every_number_stated_is_a_number_of_the_row(sentences):
    wrong = []
    for row, area, reference, baseline, text in sentences:
        allowed = _allowed_numbers(row, baseline)
        for number in NUMBER.findall(text.replace("1 000 invånare", "")):
            names = (row["name"], str(row.get("definite") or ""), area, reference)
            if number not in allowed and not any(number in name for name in names):
                wrong.append((area, reference, baseline, row["indicator"], number, text))
    assert wrong == [], wrong[:5]


def test_no_change_is_stated_between_equal_numbers(sentences):
    equal = [
        (s[1], s[3], s[0]["indicator"], s[4])
        for s in sentences
        if (m := re.search(r"från ([\d\u00a0,]+) till ([\d\u00a0,]+)", s[4])) and m.group(1) == m.group(2)
    ]
    assert equal == [], equal[:5]
    zero = [s[4] for s in sentences if re.search(r"(minskat|ökat) med 0(,0)? ", s[4])]
    assert zero == [], zero[:5]


def test_saknas_is_only_said_of_a_missing_value(sentences, default_data):
    obs = default_data.observations
    false = []
    for row, _area, reference, _baseline, text in sentences:
        for who, year in re.findall(r"Uppgift för (.+?) (\d{4}) saknas", text):
            name = reference if who == reference[0].lower() + reference[1:] or who == reference else who
            if int(year) in series(obs, name, row["indicator"], row.get("sex", TOTAL)).index:
                false.append(text)
        m = re.search(r"inget värde för (.+?) för (\d{4}) eller de 4 åren före", text)
        if m:
            name = reference if m.group(1) in (reference, reference[0].lower() + reference[1:]) else m.group(1)
            window = set(range(int(m.group(2)) - BASELINE_LOOKBACK, int(m.group(2)) + 1))
            values = series(obs, name, row["indicator"], row.get("sex", TOTAL))
            if window & set(values.index):
                false.append(text)
    assert false == [], false[:5]


def test_words_agree_with_the_signs(sentences):
    wrong = []
    for row, _area, _reference, _baseline, text in sentences:
        gap = row.get("gap")
        m = re.search(r"(procentenheter|procentenhet|procent|dagar|poäng|kronor|invånare) (lägre|högre) än i ", text)
        if m and gap is not None and gap == gap:
            if (m.group(2) == "högre") != (gap > 0):
                wrong.append(text)
        if "Skillnaden har minskat" in text and row.get("gap_change") is not None and row["gap_change"] >= 0:
            wrong.append(text)
        if "Skillnaden har ökat" in text and row.get("gap_change") is not None and row["gap_change"] <= 0:
            wrong.append(text)
    assert wrong == [], wrong[:5]


def test_sex_words_fit_the_indicator(default_data):
    table = comparison_table(default_data, "Berga", "Övriga Linköping", 2020)
    for row in table.to_dict("records"):
        text = sex_sentence(row)
        if not text:
            continue
        if row["unit"] == "antal":
            assert text.startswith("Av dem var") and "värdet" not in text
        if row["indicator"] in ("meritvarde", "behorighet_yrkesprogram", "forskola"):
            assert "flickor" in text and "pojkar" in text, text
        else:
            assert "kvinnor" in text and "män" in text, text
