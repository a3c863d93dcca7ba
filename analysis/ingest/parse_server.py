"""Imported only inside the fork server that parses uploads (see analysis/ingest/isolated.py); nothing else imports it.

A child forked from multiprocessing's fork server normally re-imports the parent's main script first. Under Streamlit
the parent's `__main__` is the app script itself (Streamlit runs each page script as `__main__`), so every parse
child would run the whole app again. The fork server exists only to run our parse function, which never lives in
`__main__`, so here the main-module fix-up is turned off for its children. The reader is imported once here, so each
fork starts with it loaded.
"""

from __future__ import annotations

from multiprocessing import spawn

import analysis.ingest.isolated  # noqa: F401  (the reader and the parse function, loaded once before any fork)


def _keep_main(_main: str) -> None:
    """Leave the child's __main__ as it is (instead of importing the parent's main script or module)."""


spawn._fixup_main_from_path = _keep_main
spawn._fixup_main_from_name = _keep_main
