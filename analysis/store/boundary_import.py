"""The import path of area boundaries: read and check a geodata file, then store it as a version like a workbook.

Kept apart from importer.py so the workbook path never loads GDAL and PROJ.
"""

from __future__ import annotations

from analysis.core.model import make_dataset
from analysis.ingest.boundaries import BoundaryRead, read_boundaries_isolated
from analysis.ingest.problems import has_errors
from analysis.store.history import ApplyResult, Store


def read_boundary_upload(store: Store, data: bytes, file_name: str) -> BoundaryRead:
    """The checked boundaries in an uploaded geodata file, matched to the store's areas (parsed in a child process)."""
    return read_boundaries_isolated(data, file_name, store.current().areas)


def boundary_source(file_name: str) -> str:
    """The source written on every boundary of an upload: the file it came from."""
    return f"Områdesgränser ur filen {file_name}"


def import_boundaries(store: Store, read: BoundaryRead, data: bytes, file_name: str, user: str) -> ApplyResult | None:
    """Store already read and checked boundaries as a new version with the original file; None when they have
    errors. Boundaries of areas the file lacks stay as they were, like every other import."""
    if not read.ok or read.boundaries is None or has_errors(read.problems):
        return None
    frame = read.boundaries.assign(source=boundary_source(file_name))
    return store.apply(make_dataset(boundaries=frame), user=user, file_name=file_name, file_bytes=data)
