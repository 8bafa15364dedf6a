"""Legacy import routes: admins only (everyone else gets the 404 of a missing page)."""

from tests.conftest import fetch_as

ADMINS = {"admin"}


def _import_run(app, users):
    """A failed upload run (what a file with wrong headers leaves), created as the admin under RLS."""
    return fetch_as(
        app,
        users["admin"]["id"],
        """insert into crm.legacy_import_runs (source, file_name, started_by, status, finished_at, error)
           values ('upload', 'deals.csv', :a, 'failed', now(), 'deals.csv: wrong headers') returning id""",
        {"a": users["admin"]["id"]},
    )[0][0]


def _review_item(app, users):
    """A pending review item for a staged legacy deal with neither email nor company."""
    return fetch_as(
        app,
        users["admin"]["id"],
        """with l as (insert into crm.legacy_deals (legacy_id, name, contact_name)
                      values ('RS-' || gen_random_uuid(), 'Route deal', 'Ann Lee') returning id)
           insert into crm.legacy_review_items (legacy_deal_id, reason) select id, 'no_email_no_company' from l
           returning id""",
    )[0][0]


OBJECTS = {"import_run": _import_run, "review_item": _review_item}
OBJECT_ROUTES = {
    "legacy.run": ("import_run", ADMINS),
    "legacy.rerun": ("import_run", ADMINS),
    "legacy.resolve": ("review_item", ADMINS),
    "legacy.dismiss": ("review_item", ADMINS),
}
WRITE_ROUTES = {"legacy.index", "legacy.migrate_staging"}
