"""`integritas backup` and `integritas restore`: one encrypted archive of an installation.

`archive.py` is the file format (docs/adr/0004-encrypted-streaming-backup.md), `sqlite.py`
and `postgres.py` copy the database with its own tools, `files.py` the stored files, and
`service.py` puts them together with a manifest and refuses what must not be restored.
Nothing here knows a case: core stands below every domain app.
"""
