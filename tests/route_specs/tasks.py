"""Task routes: the assignee and the creator (and admins) write, the assignee's manager reads."""

from tests.route_specs import READERS, WRITERS, rep_row

# created_by defaults to the acting user: the rep creates the task and is its assignee
OBJECTS = {"task": rep_row("insert into crm.tasks (title, assigned_to) values ('Rep task', :o) returning id")}
OBJECT_ROUTES = {
    "tasks.show": ("task", READERS),
    "tasks.update": ("task", WRITERS),
    "tasks.delete": ("task", WRITERS),
    "tasks.toggle": ("task", WRITERS),
    "tasks.move": ("task", WRITERS),
    "tasks.add_subtask": ("task", WRITERS),
    "tasks.inline": ("task", WRITERS),  # (the default field, the due date)
}
WRITE_ROUTES = {"tasks.create"}
