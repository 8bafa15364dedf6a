"""The home page (``/``) of a manager shows their team's figures and of an admin the organisation's;
every deal and task on it is a link to its page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import fetch_as
from tests.test_dashboard_sql import LEAD


def test_a_managers_home_is_the_teams_with_links(app, client, auth, users):
    rep = users["rep"]["id"]
    deal = fetch_as(app, rep, "insert into crm.deals (name, stage_id, owner_id, value) values ('Team deal', :s, :o, 42000) returning id",
                    {"s": LEAD, "o": rep})[0][0]  # fmt: skip
    task = fetch_as(app, rep, "insert into crm.tasks (title, assigned_to, due_date) values ('Call back', :o, :d) returning id",
                    {"o": rep, "d": datetime.now(UTC) - timedelta(days=1)})[0][0]  # fmt: skip
    auth.login(users["manager"]["email"])
    body = client.get("/").get_data(as_text=True)
    # the manager, rep and rep2: the rep's open deal is on the manager's home, linked
    assert "Your team: the figures of 3 people" in body
    assert f'<a href="/deals/{deal}">Team deal</a>' in body and "42,000" in body
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep"]["email"])
    own = client.get("/").get_data(as_text=True)
    # the rep's own home: no scope note; their overdue task links to its page
    assert 'id="dashboard-scope"' not in own and f'href="/tasks/{task}">Call back</a>' in own
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["admin"]["email"])
    admin = client.get("/").get_data(as_text=True)
    assert "The organisation: the figures of" in admin and f'<a href="/deals/{deal}">Team deal</a>' in admin
