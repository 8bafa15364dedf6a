"""Pipeline routes: the board has no id; moving a card is for the deal's owner and admins."""

from tests.route_specs import WRITERS

OBJECT_ROUTES = {"pipeline.move": ("deal", WRITERS)}
WRITE_ROUTES: set[str] = set()
