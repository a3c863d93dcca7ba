"""The versioned store (SQLite, or PostgreSQL for several instances): history, snapshots and originals, the importer,
upload previews, access rules, backups and moving a store between databases."""
