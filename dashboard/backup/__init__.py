"""Backups and restores of the CRM database (docs/operations.md).

* :mod:`.tools` -- the PostgreSQL client programs of the server's major version (the embedded wheel's);
* :mod:`.fingerprint` -- each table's row count and content checksum, the proof a restore is whole;
* :mod:`.manifest` -- the JSON written beside an archive (time, schema version, tables, sha256);
* :mod:`.logical` -- ``crm db backup`` (``pg_dump -Fc``) and ``crm db restore``;
* :mod:`.wal` -- the embedded server's WAL archive, base backups and point-in-time restores;
* :mod:`.retention` -- the backup folder (``CRM_BACKUP_DIR``) and keeping its ``CRM_BACKUP_KEEP`` newest.
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for people."""
