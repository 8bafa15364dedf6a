"""The pipeline's admin pages: stages and lost reasons (admins only)."""

from tests.conftest import fetch_as


def admin_row(sql: str):
    """A factory for a row only admins write, created through RLS acting as the admin."""
    return lambda app, users: fetch_as(app, users["admin"]["id"], sql)[0][0]


OBJECTS = {
    "stage": admin_row(
        "insert into crm.deal_stages (name, position, default_probability) values "
        "('Route stage ' || gen_random_uuid(), (select max(position) + 1 from crm.deal_stages), 50) returning id"
    ),
    "lost_reason": admin_row(
        "insert into crm.lost_reasons (name, position) values ('Route reason ' || gen_random_uuid(), 500) returning id"
    ),
}
OBJECT_ROUTES = {
    "stages.update": ("stage", {"admin"}),
    "stages.move": ("stage", {"admin"}),
    "stages.delete": ("stage", {"admin"}),
    "stages.update_lost_reason": ("lost_reason", {"admin"}),
    "stages.delete_lost_reason": ("lost_reason", {"admin"}),
}
WRITE_ROUTES = {"stages.create", "stages.create_lost_reason"}
