"""Company routes."""

from tests.route_specs import READERS, WRITERS, rep_row

OBJECTS = {"company": rep_row("insert into crm.companies (name, owner_id) values ('Rep Co', :o) returning id")}
OBJECT_ROUTES = {
    "companies.show": ("company", READERS),
    "companies.update": ("company", WRITERS),
    "companies.delete": ("company", WRITERS),
}
WRITE_ROUTES = {"companies.create"}
