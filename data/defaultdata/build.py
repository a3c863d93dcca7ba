"""Step 7: the default dataset from all steps, and writing the workbooks and KALLOR.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.model import Dataset, make_dataset
from analysis.exports.workbook import dataset_to_workbook, template_workbook
from analysis.measures.summary import example_mask

from .actions import actions_frame, check_actions, followups_frame, plans_frame
from .area_types import AREA_TYPE_ID, area_type_observations
from .areas import areas_frame
from .catalogue import AREA_TYPES_ORIGIN, CATALOGUE, GENERATED, GENERATOR, KPI_FILE_NAME, indicators_frame
from .common import DATA_DIR, ROOT, SOURCES_PATH, TEMPLATE_PATH, WORKBOOK_PATH
from .fetches import fetches_frame
from .generate import example_observations
from .groups import birth_region_observations
from .kpi import KPI_ID, kpi_observations
from .municipalities import municipality_observations
from .published import classify_reference, read_reference
from .series import SERIES
from .sources import sources_markdown
from .targets import targets_frame
from .texts import texts_frame

WORKBOOK_TITLE = "Standarddata – exempeldata och publicerade uppgifter"
# Derived from other indicators (100 minus the other age groups), so it has no parameters of its own.
DERIVED_INDICATORS = frozenset({"befolkning_20_64"})


def check_tables() -> None:
    """Fail early if the catalogue and the hand-written tables do not fit the build."""
    read_from_files = [(i.id, i.values_from) for i in CATALOGUE if i.values_from != GENERATOR]
    expected = sorted([(KPI_ID, KPI_FILE_NAME), (AREA_TYPE_ID, AREA_TYPES_ORIGIN)])
    assert sorted(read_from_files) == expected, read_from_files
    for i in GENERATED:
        assert i.id in SERIES or i.id in DERIVED_INDICATORS, i.id
    check_actions()


def build_default_dataset(reference: Path | None = None) -> tuple[Dataset, list[dict]]:
    """The default dataset and one record per published figure about our areas (used or not, and why)."""
    check_tables()
    records, chosen = classify_reference(read_reference(reference))
    examples = example_observations(chosen)
    decimals = {i.id: i.decimals for i in CATALOGUE}
    observations = pd.concat(
        [
            examples,
            birth_region_observations(examples, decimals),
            municipality_observations(examples, decimals),
            area_type_observations(),
            kpi_observations(),
        ],
        ignore_index=True,
    )
    observations = observations.sort_values(["indicator", "area", "sex", "year"], kind="stable")
    dataset = make_dataset(
        observations=observations,
        indicators=indicators_frame(),
        areas=areas_frame(),
        plans=plans_frame(),
        actions=actions_frame(),
        action_followups=followups_frame(),
        targets=targets_frame(),
        area_texts=texts_frame(),
        fetches=fetches_frame(),
    )
    return dataset, records


def write_outputs(dataset: Dataset, records: list[dict]) -> list[Path]:
    """Write standarddata.xlsx, mall.xlsx and KALLOR.md; the paths written."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    WORKBOOK_PATH.write_bytes(dataset_to_workbook(dataset, title=WORKBOOK_TITLE))
    TEMPLATE_PATH.write_bytes(template_workbook(dataset))
    SOURCES_PATH.write_text(sources_markdown(dataset, records), encoding="utf-8")
    return [WORKBOOK_PATH, TEMPLATE_PATH, SOURCES_PATH]


def main() -> None:
    """Build the default data and write it, with a short summary."""
    dataset, records = build_default_dataset()
    written = write_outputs(dataset, records)
    obs = dataset.observations
    n_real = int((~example_mask(obs)).sum())
    print("Skrev " + ", ".join(str(p.relative_to(ROOT)) for p in written))
    print("Rader per tabell:", dataset.row_counts())
    print(f"Observationer: {len(obs)} ({n_real} publicerade, {len(obs) - n_real} exempelvärden)")
    print(f"Publicerade uppgifter om områdena: {len(records)} ({sum(r['used'] for r in records)} används)")
