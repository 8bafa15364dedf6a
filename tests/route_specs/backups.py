"""The backups page (admins only): no object routes; one write, "Back up now"."""

WRITE_ROUTES = {"backups.run"}
