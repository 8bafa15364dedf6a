"""Contact routes."""

from tests.route_specs import READERS, WRITERS, rep_row

OBJECTS = {
    "contact": rep_row(
        "insert into crm.contacts (first_name, last_name, owner_id) values ('Rep', 'Contact', :o) returning id"
    )
}
OBJECT_ROUTES = {
    "contacts.show": ("contact", READERS),
    "contacts.update": ("contact", WRITERS),
    "contacts.delete": ("contact", WRITERS),
}
WRITE_ROUTES = {"contacts.create"}
