"""The build of the default data ("standarddata"), one module per step.

``python data/make_default_data.py`` runs the steps in this order (``build.py``):

1. ``catalogue``  - the indicator catalogue, read from ``data/indikatorkatalog.csv``;
2. ``areas``      - the six areas;
3. ``published``  - the published figures of ``data/real_figures.csv``: which are used and why (not);
4. ``generate``   - the example series (parameters in ``series``), anchored to the published figures, and the
   values derived from them (Linköping from its parts, Övriga Linköping from Linköping), and ``groups`` - a few
   indicators split by födelseregion (inrikes and utrikes födda), consistent with the totals;
5. ``kpi``        - SCB's consumer price index from ``data/kpi_arsmedel.csv``, read as it is;
6. ``actions``, ``targets``, ``texts`` - the example plan tables (actions with their yearly follow-ups);
7. ``build``      - the dataset from all of them, written to ``standarddata.xlsx`` and ``mall.xlsx``, and
   ``sources`` - ``KALLOR.md``, the Swedish account of how the data was made.

Every input is a file inside the repository (``common.DATA_DIR``).
"""
