"""Bulk action routes on the lists (no id in the URL: the rows are in the form; every check is per row)."""

WRITE_ROUTES = {f"bulk.{step}_{entity}" for step in ("confirm", "apply") for entity in
                ("deals", "tasks", "companies", "contacts")}  # fmt: skip
