"""The one fingerprint (analysis/core/digest.py)."""

from __future__ import annotations

import pytest

from analysis.core.digest import sha256_hex
from analysis.store.history import file_sha256


@pytest.mark.parametrize(
    "data, digest",
    [
        (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ],
)
def test_sha256_hex(data, digest):
    assert sha256_hex(data) == digest


def test_text_is_hashed_as_utf8():
    assert sha256_hex("Skäggetorp") == sha256_hex("Skäggetorp".encode()) != sha256_hex("Skäggetorp".encode("latin-1"))


def test_the_store_fingerprints_files_with_it():
    assert file_sha256(b"abc") == sha256_hex(b"abc")
    assert file_sha256(None) == ""
