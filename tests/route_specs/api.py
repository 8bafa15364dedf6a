"""REST API routes (/api/v1): bearer tokens only; tests/test_api_routes.py walks them with tokens."""

from tests.conftest import fetch_as
from tests.route_specs import READERS, WRITERS

EVERYONE = {"rep", "rep2", "manager", "admin"}


def stakeholder(app, users):
    """A stakeholder on a deal of the rep's, with a contact of the rep's (maps are written by admins)."""
    rep = users["rep"]["id"]
    [(deal_id,)] = fetch_as(app, rep, "insert into crm.deals (name, owner_id, stage_id) values ('Map deal', :o, "
                                      "(select id from crm.deal_stages order by position limit 1)) returning id", {"o": rep})
    [(contact_id,)] = fetch_as(app, rep, "insert into crm.contacts (first_name, owner_id) values ('Map', :o) returning id",
                               {"o": rep})  # fmt: skip
    sql = "insert into crm.deal_stakeholders (deal_id, contact_id) values (:d, :c) returning id"
    return fetch_as(app, users["admin"]["id"], sql, {"d": deal_id, "c": contact_id})[0][0]


OBJECTS = {"api_stakeholder": stakeholder}
BEARER_ROUTES = {"api.openapi": None, "api.docs": None}
for _name, _kind in (("companies", "company"), ("contacts", "contact"), ("deals", "deal"), ("activities", "activity"),
                     ("meetings", "meeting"), ("tasks", "task")):  # fmt: skip
    BEARER_ROUTES |= {f"api.{_name}_list": None, f"api.{_name}_create": None, f"api.{_name}_read": (_kind, READERS),
                      f"api.{_name}_update": (_kind, WRITERS), f"api.{_name}_delete": (_kind, WRITERS)}  # fmt: skip
BEARER_ROUTES |= {"api.stakeholders_list": None, "api.stakeholders_read": ("api_stakeholder", READERS),
                  "api.stages_list": None, "api.stages_read": ("stage", EVERYONE),
                  "api.users_list": None, "api.users_read": ("user", READERS)}  # fmt: skip
