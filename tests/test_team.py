"""Team analytics (/team) and the read-only drill-down (/team/reps/<id>):
who may see them (rep, other rep, manager, other manager, admin), what they show."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import add_user, fetch_as
from tests.test_dashboard_views import figures


@pytest.fixture
def team_data(app, users):
    """rep: 2 deals (10000 Opportunity 60% + 5000 Verbal 80% = 6000 + 4000 weighted), a sale of 3000 today;
    rep2: 1 deal 20000 at Lead 10% = 2000 weighted."""
    today = dt.date.today()
    for who, value, stage, close in [("rep", 10000, 30, today), ("rep", 5000, 40, None), ("rep2", 20000, 10, today)]:
        fetch_as(
            app, users[who]["id"],
            f"""insert into crm.deals (name, value, stage_id, owner_id, expected_close_date)
                values ('D', :v, '00000000-0000-4000-8000-0000000000{stage}', :o, :c) returning id""",
            {"v": value, "o": users[who]["id"], "c": close},
        )  # fmt: skip
    fetch_as(
        app, users["rep"]["id"],
        "insert into crm.activities (user_id, type, amount, date) values (:o, 'sale', 3000, now()) returning id",
        {"o": users["rep"]["id"]},
    )  # fmt: skip


@pytest.fixture
def other_manager(app, client, users):
    """A second team (manager m2, rep r3), created by the admin through the app's session (rolled back)."""
    admin = users["admin"]["id"]
    team = fetch_as(app, admin, "insert into crm.teams (name) values ('Team Two') returning id")[0][0]
    manager = add_user(app, admin, "m2@test.example", "manager", full_name="Other Manager", team_id=team)
    fetch_as(app, admin, "update crm.teams set manager_id = :m where id = :t returning id", {"m": manager, "t": team})
    rep3 = fetch_as(
        app, admin,
        """insert into crm.users (email, full_name, role, team_id, manager_id)
           values ('r3@test.example', 'Rep Three', 'rep', :t, :m) returning id""",
        {"t": team, "m": manager},
    )[0][0]  # fmt: skip
    return {"email": "m2@test.example", "id": manager, "rep3": rep3}


def login(auth, users, other_manager, who):
    email = other_manager["email"] if who == "other_manager" else users[who]["email"]
    auth.login(email)


@pytest.mark.parametrize("who, status", [("rep", 404), ("rep2", 404), ("manager", 200), ("other_manager", 200), ("admin", 200)])  # fmt: skip
def test_team_page_access(client, auth, users, other_manager, who, status):
    login(auth, users, other_manager, who)
    assert client.get("/team").status_code == status
    nav = client.get("/").get_data(as_text=True)
    assert ('id="nav-team-index"' in nav) == (status == 200)


def test_team_page_shows_reps_totals_leaderboards_and_charts(client, auth, users, team_data):
    auth.login(users["manager"]["email"])
    body = client.get("/team").get_data(as_text=True)
    assert f'data-rep-id="{users["rep"]["id"]}"' in body and f'data-rep-id="{users["rep2"]["id"]}"' in body
    # totals: pipeline 35000, weighted 6000 + 4000 + 2000 = 12000, new business 3000
    assert '<td class="num">35,000</td>' in body and '<td class="num">12,000</td>' in body
    assert "leaderboard-new_business" in body and "leaderboard-weighted" in body
    assert body.count("data-figure=") == 2  # forecast by month, team activity
    assert f'href="/team/reps/{users["rep"]["id"]}?range=month"' in body


def test_other_manager_sees_only_their_team(client, auth, users, other_manager, team_data):
    auth.login(other_manager["email"])
    body = client.get("/team").get_data(as_text=True)
    assert f'data-rep-id="{other_manager["rep3"]}"' in body
    assert str(users["rep"]["id"]) not in body


@pytest.mark.parametrize(
    "who, target, status",
    [
        ("manager", "rep", 200), ("admin", "rep", 200), ("manager", "manager", 200),
        ("rep", "rep2", 404), ("rep", "rep", 404), ("rep2", "rep", 404), ("other_manager", "rep", 404),
    ],
)  # fmt: skip
def test_drill_down_access(client, auth, users, other_manager, team_data, who, target, status):
    login(auth, users, other_manager, who)
    page = client.get(f"/team/reps/{users[target]['id']}")
    assert page.status_code == status
    if status == 200:
        body = page.get_data(as_text=True)
        assert "Read-only view." in body and "Dashboard of" in body
        # the rep's own figures; the manager's dashboard is their team's (the reps' deals and activities)
        assert "data-figure" in body


def test_admin_picks_a_team_and_bad_ranges_say_why(client, auth, users, other_manager):
    auth.login(users["admin"]["email"])
    body = client.get(f"/team?manager={other_manager['id']}").get_data(as_text=True)
    assert f'data-rep-id="{other_manager["rep3"]}"' in body
    page = client.get("/team?range=custom&from=2026-10-31&to=2026-10-01")
    assert page.status_code == 400 and "The date range is reversed" in page.get_data(as_text=True)


def test_team_fragment(client, auth, users, team_data):
    auth.login(users["manager"]["email"])
    fragment = client.get("/team?range=90", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and 'id="dashboard-panels"' in fragment and '<option value="90" selected>' in fragment


def test_value_axes_make_room_for_their_tick_labels(client, auth, users, team_data):
    """The forecast's y axis titled "Weighted value" with 7-digit ticks: automargin keeps the title clear of them."""
    auth.login(users["manager"]["email"])
    body = client.get("/team").get_data(as_text=True)
    charts = figures(body)
    assert len(charts) == 2
    forecast = next(f for f in charts if f["layout"]["yaxis"].get("title", {}).get("text") == "Weighted value")
    assert forecast["layout"]["yaxis"]["automargin"] is True and forecast["layout"]["yaxis"]["tickformat"] == ",.0f"
    assert all(f["layout"]["xaxis"]["automargin"] and f["layout"]["yaxis"]["automargin"] for f in charts)
