"""Build the default dataset ("standarddata") the dashboard starts with.

Run from the project root:

    python data/make_default_data.py

Inputs, all in ``data/``:

* ``indikatorkatalog.csv`` - the indicator catalogue, one row per indicator (``defaultdata/catalogue.py``
  describes the columns; ``tests/test_catalogue.py`` checks them);
* ``real_figures.csv``     - a verbatim copy of the project's reference list of published figures (source URL
  on every row);
* ``kpi_arsmedel.csv``     - a verbatim copy of SCB's consumer price index, annual averages (source URL per row).

Outputs, next to this script:

* ``standarddata.xlsx`` - the dataset in the Excel contract format (``analysis.exports.workbook``);
* ``mall.xlsx``         - the empty template with the same catalogue and areas;
* ``KALLOR.md``         - a Swedish account of how the data was made, which published figures are used (with their
  source) and which are not, and why.

The steps are modules of the package ``defaultdata`` (its ``__init__`` lists them in order).

Method
------
The dataset covers six areas (the focus areas Berga, Ryd and Skäggetorp, the comparison area
"Övriga Linköping", the municipality and the nation), the catalogue's indicators and the years 2015-2024
(municipal and parliamentary election turnout only for the election years 2018 and 2022; the consumer price
index for the years SCB had published).

1. *Published figures* (``published``). Every row of the reference list whose area is one of the six areas, whose
   indicator and definition (same measure, denominator and age group) match one of the catalogue's
   indicators, whose year is 2015-2024 and whose wording is not approximate is used, with the page
   address as ``source`` and a short Swedish note on its origin. When two usable rows give a value
   for the same area, indicator, year and sex, the municipality's statistics pages (Linköping i siffror) win,
   then its other pages (linkoping.se), then other sources; then the value with more decimals, then the first
   row in the file; the other rows are recorded as not used. Published values with more decimals than the
   indicator shows are rounded (and the note says so). Every in-scope row gets a record (used or not, with the
   reason) that ``KALLOR.md`` lists.

2. *Generated example values* (``generate``, parameters in ``series``). Everything else is a fictitious example
   value with ``source`` set to ``Exempelvärde (fiktivt)``. For each indicator and each generated area (the focus
   areas, Övriga Linköping, Riket) a level for 2015, a yearly trend (for population also a curvature), an
   optional common shock (e.g. the pandemic years 2020-2021, larger in the focus areas) and normal
   noise drawn from ``numpy.random.default_rng(20201202)`` give the total. The levels are chosen to be
   realistic for Linköping: the focus areas are clearly worse off than Övriga Linköping, some gaps
   narrow slowly and a few widen. Women's and men's values are placed around the total with a
   realistic difference (women - men) weighted by the area's share of women, so that the
   population-weighted mean of the two equals the total. Counts are split so that women + men = total.

3. *Anchoring to published figures.* Where a generated series has published values, the residual
   (published - generated) at those years is interpolated linearly between them and held constant
   beyond them, and added to the whole series, so the series passes exactly through the published
   points and stays smooth. Women's and men's series follow the total's residual, plus their own
   interpolated residual where they have published values themselves.

4. *Consistency of the municipality with its parts.* Linköping consists of the three focus areas and
   Övriga Linköping. For counts Linköping is the sum of the parts; for shares and rates it is the
   population-weighted mean (weights: the areas' population of the same sex and year; this is an
   approximation for measures with other denominators, e.g. households or adults). Where Linköping
   has published values for an indicator, Linköping's series is the weighted mean anchored to them
   (step 3) and Övriga Linköping is derived from Linköping and the focus areas instead. Derived
   example values carry the note ``Härlett exempelvärde``; the rest have an empty note. All values are
   rounded to the indicator's decimals (household income to whole hundreds of kronor).

   *Split by födelseregion* (``groups``): förvärvsfrekvens and arbetslöshet also for inrikes and utrikes
   födda in every area, example values made from the total and the area's share of utrikes födda with a chosen gap
   (inrikes minus utrikes), so the two groups' population-weighted mean is the total again.

   *Comparison municipalities* (``municipalities``): Norrköping, Örebro, Västerås, Jönköping and Uppsala (type
   Kommun after Linköping) get example values for a few municipal indicators: Linköping's series shifted by a
   fictitious amount per municipality, with a little seeded noise.

   *Områdestyper* (``area_types``): SCB's area types 1–5 for the focus areas 2018–2024, hand-written examples.

5. *The consumer price index* (``kpi``): SCB's published annual averages for Riket, read as they are.

6. *Plan tables* (``actions``, ``targets``, ``texts``). Actions, targets and area texts are hand-written examples
   for a municipal action plan against segregation and are all marked with ``source`` = ``Exempelvärde
   (fiktivt)``. The yearly follow-ups 2021-2025 (sheet ``Uppföljning``) are derived from each action's dates and
   current status (``actions.followups_frame``), so the last follow-up agrees with the status on the
   ``Åtgärder`` sheet.

The build is deterministic: the same input files give the same dataset and workbook contents.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
for _path in (ROOT, DATA_DIR):  # the analysis package and the build's own package, defaultdata
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from defaultdata.area_types import CODES as AREA_TYPE_CODES  # noqa: E402
from defaultdata.build import WORKBOOK_TITLE, build_default_dataset, main, write_outputs  # noqa: E402
from defaultdata.catalogue import CATALOGUE, INDICATOR_BY_ID, indicators_frame, read_catalogue  # noqa: E402
from defaultdata.common import (  # noqa: E402
    CATALOGUE_PATH,
    REFERENCE_PATH,
    SOURCES_PATH,
    TEMPLATE_PATH,
    WORKBOOK_PATH,
)
from defaultdata.groups import BIRTH_GAPS  # noqa: E402
from defaultdata.kpi import KPI_PATH, kpi_observations  # noqa: E402
from defaultdata.municipalities import OFFSETS as MUNICIPALITY_OFFSETS  # noqa: E402
from defaultdata.published import RealFigure, classify_reference, read_reference  # noqa: E402
from defaultdata.sources import sources_markdown  # noqa: E402

__all__ = [
    "AREA_TYPE_CODES",
    "BIRTH_GAPS",
    "MUNICIPALITY_OFFSETS",
    "CATALOGUE",
    "CATALOGUE_PATH",
    "INDICATOR_BY_ID",
    "KPI_PATH",
    "REFERENCE_PATH",
    "SOURCES_PATH",
    "TEMPLATE_PATH",
    "WORKBOOK_PATH",
    "WORKBOOK_TITLE",
    "RealFigure",
    "build_default_dataset",
    "classify_reference",
    "indicators_frame",
    "kpi_observations",
    "main",
    "read_catalogue",
    "read_reference",
    "sources_markdown",
    "write_outputs",
]

if __name__ == "__main__":
    main()
