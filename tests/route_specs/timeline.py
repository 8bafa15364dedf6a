"""Timeline routes: whoever reads the record reads its timeline (the owner, their manager, admins)."""

from tests.route_specs import READERS

OBJECT_ROUTES = {
    "timeline.company": ("company", READERS),
    "timeline.contact": ("contact", READERS),
    "timeline.deal": ("deal", READERS),
}
