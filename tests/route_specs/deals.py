"""Deal routes: the owner (and admins) write, their manager reads; only admins
save stakeholder maps, which everyone who sees the deal may read."""

from tests.route_specs import READERS, WRITERS, rep_row

OBJECTS = {
    "deal": rep_row(
        "insert into crm.deals (name, owner_id, stage_id) "
        "values ('Rep deal', :o, (select id from crm.deal_stages where name = 'Lead')) returning id"
    )
}
OBJECT_ROUTES = {
    "deals.show": ("deal", READERS),
    "deals.update": ("deal", WRITERS),
    "deals.delete": ("deal", WRITERS),
    "deals.stakeholders": ("deal", READERS),
    "deals.save_stakeholders": ("deal", {"admin"}),
    # the default field, the close date (the manager edits only the owner: tests/test_inline.py)
    "deals.inline": ("deal", WRITERS),
}
WRITE_ROUTES = {"deals.create"}
