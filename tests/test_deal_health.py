"""Stalled deals and next steps on the deal list and the pipeline board (services/deal_health.py), from a
hand-made fixture whose days are worked out below."""

from __future__ import annotations

import re

import pytest

from tests.conftest import execute_as, fetch_as
from tests.test_deals import add_deal


@pytest.fixture
def fixture_deals(app, users):
    """The rep's deals, with the stage's rotting days (Lead 14, Qualified 21, Opportunity 30, Verbal 14):
      Alpha    Lead, in stage 20 days: 20 > 14, stalled; a task due in 3 days: "Next: Send deck"
      Bravo    Qualified, 21 days: 21 is not over 21, not stalled; nothing pending: "No next activity"
      Charlie  Opportunity, 31 days: 31 > 30, stalled; a pending call 2 days ago (the earliest step) and a
               task due in 5 days: "Overdue: Call back"
      Delta    Won, 100 days: closed, no marks at all
      Echo     Verbal, 2 days: not stalled; only a completed task and a cancelled activity: "No next activity"
    """
    rep = users["rep"]["id"]
    ids = {}
    for name, stage, days in [("Alpha", "Lead", 20), ("Bravo", "Qualified", 21), ("Charlie", "Opportunity", 31),
                              ("Delta", "Won", 100), ("Echo", "Verbal", 2)]:  # fmt: skip
        ids[name] = add_deal(app, users, name=name, stage=stage, value=1000)
        # the admin back-dates the stage change (whole days: days and one hour, so clocks near midnight agree)
        execute_as(app, users["admin"]["id"], "update crm.deals set stage_changed_at = now() - make_interval("
                   "days => :d, hours => 1) where id = :id", {"d": days, "id": ids[name]})  # fmt: skip
    for deal, title, due, status in [("Alpha", "Send deck", "3 days", "pending"), ("Charlie", "Draft terms", "5 days",
                                     "in_progress"), ("Echo", "Old chore", "-4 days", "completed")]:  # fmt: skip
        fetch_as(app, rep, "insert into crm.tasks (title, assigned_to, created_by, deal_id, due_date, status, completed_at)"
                 " values (:t, :o, :o, :d, now() + cast(:due as interval), :s, case when :s = 'completed' then now() end)"
                 " returning id", {"t": title, "o": rep, "d": ids[deal], "due": due, "s": status})  # fmt: skip
    for deal, subject, when, status in [("Charlie", "Call back", "-2 days", "pending"),
                                        ("Echo", "Skipped demo", "1 day", "cancelled")]:  # fmt: skip
        fetch_as(app, rep, "insert into crm.activities (user_id, type, subject, deal_id, date, status) values "
                 "(:o, 'call', :s, :d, now() + cast(:w as interval), :st) returning id",
                 {"o": rep, "s": subject, "d": ids[deal], "w": when, "st": status})  # fmt: skip
    return ids


EXPECTED = {
    "Alpha": ["Stalled 20 d", "Next: Send deck"],
    "Bravo": ["No next activity"],
    "Charlie": ["Stalled 31 d", "Overdue: Call back"],
    "Delta": [],
    "Echo": ["No next activity"],
}


def marks(html: str) -> list[str]:
    found = re.findall(r'class="(?:tag mark-\w[\w-]*|next-step muted)"[^>]*>([^<·]+)', html)
    return [m.strip() for m in found]


def test_deal_list_marks(client, auth, users, fixture_deals):
    auth.login(users["rep"]["email"])
    body = client.get("/deals?sort=name&dir=asc").get_data(as_text=True)
    rows = {name: marks(row) for name, row in re.findall(r'<tr data-id="[^"]+">\s*<td[^>]*><a href="[^"]+">(\w+)</a>(.*?)</tr>',
                                                          body, re.S)}  # fmt: skip
    assert rows == EXPECTED


def test_board_cards_marks(client, auth, users, fixture_deals):
    auth.login(users["rep"]["email"])
    body = client.get("/pipeline").get_data(as_text=True)
    cards = {name: marks(card) for name, card in re.findall(
        r'<li class="deal-card[^"]*" id="deal-[^"]+".*?class="deal-name"[^>]*>(\w+)</a>(.*?)</li>', body, re.S)}
    assert cards == EXPECTED
