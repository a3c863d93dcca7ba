"""The one fingerprint of bytes: hex SHA-256, for originals, snapshots, previews and image caches."""

from __future__ import annotations

import hashlib


def sha256_hex(data: bytes | str) -> str:
    """The hex SHA-256 of some bytes (text is hashed as UTF-8)."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()
