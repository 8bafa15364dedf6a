"""Notification routes: a notice is its user's alone (nobody else, not even an admin or their manager, may mark
it read: the same 404 as a missing id). /unsubscribe is a GET (no login; a signed token)."""

from tests.conftest import execute_as, fetch_as


def _notice(app, users):
    """The rep's notice of a deal the admin gave them (made by the deal-assignment trigger). The deal is deleted
    again: the notice stays (it has no foreign key), and a committed copy of this object (the browser pages)
    leaves no deal behind for other files' deal counts once its id is cleaned up."""
    deal = fetch_as(app, users["admin"]["id"], """insert into crm.deals (name, stage_id, owner_id)
                    values ('Handed over', (select id from crm.deal_stages where name = 'Lead'), :o) returning id""",
                    {"o": users["rep"]["id"]})[0][0]  # fmt: skip
    notice = fetch_as(app, users["rep"]["id"], "select id from crm.notifications where record_id = :d", {"d": deal})[0][0]
    execute_as(app, users["admin"]["id"], "delete from crm.deals where id = :d", {"d": deal})
    return notice


OBJECTS = {"notification": _notice}
OBJECT_ROUTES = {"notifications.read": ("notification", {"rep"})}
WRITE_ROUTES = {"notifications.read_all", "notifications.preferences"}
