"""Record import routes: every user imports; a run is seen by its starter and admins, a draft mapped and a
finished run started again only by its starter (everyone else gets the 404 of a missing page)."""

from tests.route_specs import rep_row

_draft_run = rep_row(
    """insert into crm.legacy_import_runs (source, file_name, started_by, status, entity, deals_csv, options)
       values ('upload', 'companies.csv', :o, 'draft', 'companies', 'Name,Domain' || chr(10) || 'Acme,acme.example',
               '{"mapping": {"Name": "name"}}') returning id"""
)

OBJECTS = {"record_import": _draft_run}
OBJECT_ROUTES = {
    "imports.run": ("record_import", {"rep", "admin"}),
    "imports.mapping": ("record_import", {"rep"}),
    "imports.again": ("record_import", {"rep"}),
}
WRITE_ROUTES = {"imports.index"}
