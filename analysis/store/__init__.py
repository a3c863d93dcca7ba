"""The versioned SQLite store: history, snapshots and originals, the importer, upload previews and access rules."""
