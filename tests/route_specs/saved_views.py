"""Saved-view routes: only the view's owner changes it (a teammate reading a shared view gets the 404 of a
missing one when writing it)."""

from tests.route_specs import rep_row

OBJECTS = {
    "saved_view": rep_row(
        "insert into crm.saved_views (user_id, list, name, query) values (:o, 'tasks', 'Mine ' || gen_random_uuid(), 'status=open') returning id"
    )
}
OBJECT_ROUTES = {
    "saved_views.make_default": ("saved_view", {"rep"}),
    "saved_views.delete": ("saved_view", {"rep"}),
}
WRITE_ROUTES = {"saved_views.create"}
