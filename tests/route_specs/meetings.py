"""Meeting routes: the owner (and admins) write, their manager reads."""

from tests.route_specs import READERS, WRITERS, rep_row

OBJECTS = {
    "meeting": rep_row(
        "insert into crm.meetings (title, starts_at, owner_id) values ('Rep meeting', now(), :o) returning id"
    )
}
OBJECT_ROUTES = {
    "meetings.show": ("meeting", READERS),
    "meetings.update": ("meeting", WRITERS),
    "meetings.delete": ("meeting", WRITERS),
    "meetings.outcome": ("meeting", WRITERS),
    "meetings.add_attendee": ("meeting", WRITERS),
    "meetings.remove_attendee": ("meeting", WRITERS),
    "meetings.add_action_item": ("meeting", WRITERS),
    "meetings.mark_action_item": ("meeting", WRITERS),
    "meetings.action_item_task": ("meeting", WRITERS),
    "meetings.link_deal": ("meeting", WRITERS),
    "meetings.unlink_deal": ("meeting", WRITERS),
}
WRITE_ROUTES = {"meetings.create"}
