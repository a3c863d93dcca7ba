"""JSON-stat 2.0 to a tidy frame: SCB's recorded answer for TAB6471, hand-made edge cases, and time codes."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest

from analysis.ingest.jsonstat import (
    JsonStatError,
    TimeCode,
    dimensions,
    frame_columns,
    jsonstat2_dataset,
    parse_jsonstat,
    parse_time_code,
)

REFERENCE = Path("/work/shared/reference/pxweb/v2")
RECORDED = json.loads((REFERENCE / "TAB6471_data.json").read_text(encoding="utf-8"))
METADATA = json.loads((REFERENCE / "TAB6471_metadata.json").read_text(encoding="utf-8"))


def small(**changes) -> dict:
    """A hand-made dataset: 2 areas × 3 years, index as a list and as a dict, one value missing."""
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "id": ["Region", "Tid"],
        "size": [2, 3],
        "dimension": {
            "Region": {"label": "region", "category": {"index": ["0580", "0581"], "label": {"0580": "Linköping"}}},
            "Tid": {"label": "år", "category": {"index": {"2022": 0, "2023": 1, "2024": 2}}},
        },
        "value": [1.5, 2, None, 4, 5, 6],
    }
    dataset.update(changes)
    return dataset


# --- SCB's recorded answer ------------------------------------------------------------------------------------------


def test_the_recorded_answer_becomes_one_row_per_cell_with_codes_and_labels():
    frame = parse_jsonstat(RECORDED)
    assert len(frame) == 21 * 11 * 3 * 1 * 4 == 2772
    assert list(frame.columns) == [
        "Region",
        "Region_label",
        "Alder",
        "Alder_label",
        "Kon",
        "Kon_label",
        "ContentsCode",
        "ContentsCode_label",
        "Tid",
        "Tid_label",
        "value",
        "status",
    ]
    assert str(frame["value"].dtype) == "float64"
    assert set(frame["status"]) == {""}
    assert frame["value"].notna().all()


def test_the_recorded_values_sit_on_the_right_codes():
    frame = parse_jsonstat(RECORDED).set_index(["Region", "Alder", "Kon", "Tid"])
    # Position 0: Stockholms län, 0-9 år, totalt, 2026M01.
    assert frame.loc[("01", "0-9", "TotSa", "2026M01"), "value"] == 245284
    # Position ((3·11 + 3)·3 + 2)·4 + 2 = 442: Östergötlands län (4th county), 30-39 år (4th), kvinnor (3rd), 2026M03.
    row = frame.loc[("05", "30-39", "2", "2026M03")]
    assert row["value"] == 30712
    assert (row["Region_label"], row["Alder_label"], row["Kon_label"]) == ("Östergötlands län", "30-39 år", "kvinnor")
    # Men and all, same county, age and month; the last cell: Norrbottens län, 100+ år, kvinnor, 2026M04.
    assert frame.loc[("05", "30-39", "1", "2026M03"), "value"] == 33196
    assert frame.loc[("05", "30-39", "TotSa", "2026M03"), "value"] == 63913
    assert frame.loc[("25", "100+10", "2", "2026M04"), "value"] == 54
    assert frame.loc[("25", "100+10", "2", "2026M04"), "Alder_label"] == "100+ år"


def test_the_recorded_metadata_has_its_dimensions_but_no_values():
    dims = dimensions(METADATA)
    assert [(d.id, len(d.codes)) for d in dims] == [
        ("Region", 312),
        ("Alder", 134),
        ("Kon", 3),
        ("ContentsCode", 1),
        ("Tid", 16),
    ]
    region = dims[0]
    assert region.label == "region"
    assert region.labels[region.codes.index("0580")] == "Linköping"
    with pytest.raises(JsonStatError, match="value har 0 värden men dimensionerna ger 2006784 celler"):
        parse_jsonstat(METADATA)


# --- hand-made datasets ---------------------------------------------------------------------------------------------


def test_index_as_list_or_dict_and_labels_defaulting_to_the_code():
    frame = parse_jsonstat(small())
    assert frame["Region"].tolist() == ["0580"] * 3 + ["0581"] * 3
    assert frame["Region_label"].tolist() == ["Linköping"] * 3 + ["0581"] * 3
    assert frame["Tid"].tolist() == ["2022", "2023", "2024"] * 2
    assert frame["value"].tolist()[:2] == [1.5, 2.0]
    assert math.isnan(frame["value"][2])


def test_an_index_dict_out_of_order_is_read_by_position():
    dataset = small()
    dataset["dimension"]["Tid"]["category"]["index"] = {"2024": 2, "2022": 0, "2023": 1}
    assert parse_jsonstat(dataset)["Tid"].tolist() == ["2022", "2023", "2024"] * 2


def test_sparse_values_and_statuses():
    frame = parse_jsonstat(small(value={"0": 10, "5": 60}, status={"1": "..", "5": "p"}))
    assert frame["value"].tolist()[0] == 10
    assert frame["value"].tolist()[5] == 60
    assert frame["value"].isna().tolist() == [False, True, True, True, True, False]
    assert frame["status"].tolist() == ["", "..", "", "", "", "p"]


def version1(dataset: dict) -> dict:
    """A 2.0 dataset written as JSON-stat 1.0 answers it (PxWeb API v1): one named dataset, id and size in dimension."""
    body = {k: v for k, v in dataset.items() if k not in ("version", "class", "id", "size", "dimension")}
    body["dimension"] = {
        **dataset["dimension"],
        "id": dataset["id"],
        "size": dataset["size"],
        "role": {"time": ["Tid"]},
    }
    return {"dataset": body}


def test_a_jsonstat_1_answer_reads_as_the_same_frame():
    dataset = small(status={"2": ".."})
    converted = jsonstat2_dataset(version1(dataset))
    assert (
        converted["id"] == ["Region", "Tid"] and converted["size"] == [2, 3] and converted["role"] == {"time": ["Tid"]}
    )
    assert set(converted["dimension"]) == {"Region", "Tid"}
    assert parse_jsonstat(converted).equals(parse_jsonstat(dataset))


def test_a_2_0_dataset_and_what_is_no_dataset_pass_through_unchanged():
    dataset = small()
    assert jsonstat2_dataset(dataset) is dataset
    assert jsonstat2_dataset({"tables": []}) == {"tables": []}
    with pytest.raises(JsonStatError, match="id saknas"):
        parse_jsonstat(jsonstat2_dataset({"tables": []}))


def test_a_bundle_with_one_dataset_and_another_key_is_read():
    body = {**version1(small()), "version": "1.0"}
    assert parse_jsonstat(jsonstat2_dataset(body)).equals(parse_jsonstat(small()))


def test_a_bundle_of_two_datasets_is_refused():
    one = version1(small())["dataset"]
    with pytest.raises(JsonStatError) as err:
        jsonstat2_dataset({"a": one, "b": one})
    assert str(err.value) == "Svaret är inte ett giltigt JSON-stat-dataset: svaret innehåller 2 dataset; ett väntades."


def test_status_as_list_as_one_string_and_with_nulls():
    assert parse_jsonstat(small(status=["..", None, "", "p", None, None]))["status"].tolist() == [
        "..",
        "",
        "",
        "p",
        "",
        "",
    ]
    assert parse_jsonstat(small(status="p"))["status"].tolist() == ["p"] * 6
    assert parse_jsonstat(small(status=[".."]))["status"].tolist() == [".."] * 6


def test_a_single_category_may_leave_out_its_index():
    dataset = small(id=["Region", "ContentsCode", "Tid"], size=[2, 1, 3])
    dataset["dimension"]["ContentsCode"] = {"category": {"label": {"BE0101": "Folkmängd"}}}
    frame = parse_jsonstat(dataset)
    assert set(frame["ContentsCode"]) == {"BE0101"}
    assert set(frame["ContentsCode_label"]) == {"Folkmängd"}


def test_zero_cells_give_an_empty_frame_with_the_columns():
    dataset = small(size=[2, 0], value=[])
    dataset["dimension"]["Tid"]["category"] = {"index": [], "label": {}}
    frame = parse_jsonstat(dataset)
    assert frame.empty
    assert list(frame.columns) == ["Region", "Region_label", "Tid", "Tid_label", "value", "status"]


def broken(change) -> dict:
    """small() with one change applied to a deep copy."""
    dataset = copy.deepcopy(small())
    change(dataset)
    return dataset


@pytest.mark.parametrize(
    "dataset, message",
    [
        ([1, 2], "inte ett JSON-objekt"),
        (small(**{"class": "collection"}), "class är 'collection'"),
        (small(id="Region"), "id saknas"),
        (small(id=["Region", "Region"]), "samma dimension två gånger"),
        (small(size=[2, 3, 1]), "id har 2 dimensioner men size har 3"),
        (small(size=[2, -3]), "size saknas"),
        (small(size=[2, 4]), "dimensionen Tid har 3 kategorier men size anger 4"),
        (small(value=[1, 2, 3]), "value har 3 värden men dimensionerna ger 6 celler"),
        (small(value={"6": 1}), "positionen 6, men datasetet har 6 celler"),
        (small(value={"x": 1}), "nyckeln 'x'"),
        (small(value=[1, 2, 3, 4, 5, "6"]), "'6', som inte är ett tal"),
        (small(value=[1, 2, 3, 4, 5, True]), "True, som inte är ett tal"),
        (small(value=None), "value saknas"),
        (small(status=["a", "b"]), "status har 2 värden"),
        (small(status={"9": "x"}), "status har positionen 9"),
        (small(status=[["x"]] * 6), "status innehåller ['x']"),
        (small(status=5), "status är varken"),
        (broken(lambda d: d["dimension"].pop("Tid")), "dimensionen Tid saknas"),
        (broken(lambda d: d["dimension"]["Tid"]["category"].pop("index")), "dimensionen Tid saknar category.index"),
        (
            broken(lambda d: d["dimension"]["Tid"]["category"].update(index={"2022": 0, "2023": 2, "2024": 3})),
            "inte positionerna 0 till 2",
        ),
        (broken(lambda d: d["dimension"]["Region"]["category"].update(index=["0580", "0580"])), "samma kod två gånger"),
        (broken(lambda d: d["dimension"]["Region"]["category"].update(index="0580")), "varken en lista"),
        (small(dimension=[]), "dimension saknas"),
    ],
)
def test_a_malformed_dataset_raises_a_swedish_error(dataset, message):
    with pytest.raises(JsonStatError, match="Svaret är inte ett giltigt JSON-stat-dataset") as info:
        parse_jsonstat(dataset)
    assert message in str(info.value)


def test_a_dimension_named_like_a_column_is_refused():
    dims = dimensions(
        small(id=["value", "Tid"], dimension={**small()["dimension"], "value": small()["dimension"]["Region"]})
    )
    with pytest.raises(JsonStatError, match="heter som en annan kolumn"):
        frame_columns(dims)


# --- time codes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, expected",
    [
        ("2024", (2024, "year", None)),
        ("2026M01", (2026, "month", 1)),
        ("2026M12", (2026, "month", 12)),
        ("2026m3", (2026, "month", 3)),
        ("2024K1", (2024, "quarter", 1)),
        ("2024K4", (2024, "quarter", 4)),
        ("2024Q2", (2024, "quarter", 2)),
        (" 2024 ", (2024, "year", None)),
    ],
)
def test_time_codes_are_read(code, expected):
    assert parse_time_code(code) == TimeCode(*expected)
    assert parse_time_code(code) == expected  # a plain tuple too


@pytest.mark.parametrize(
    "code", ["2026M13", "2026M00", "2024K5", "2024K0", "24", "2019-2020", "2024H1", "2024W05", "abcd", "", None, 2024]
)
def test_anything_else_is_not_a_time_code(code):
    assert parse_time_code(code) is None


def test_every_recorded_time_code_is_read():
    assert [parse_time_code(c) for c in dimensions(RECORDED)[-1].codes] == [(2026, "month", m) for m in (1, 2, 3, 4)]
