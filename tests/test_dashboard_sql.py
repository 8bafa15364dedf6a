"""crm.get_crm_dashboard_data and crm.get_team_dashboard_data (the five views: test_dashboard_views_sql.py),
against a hand-made fixture whose every figure is worked out below.

The fixture gives one company several deals, activities, contacts and
meetings, so a join fan-out (the origin's bug: 2 companies reported as 48)
would multiply the sums and fail the tests.

Range under test: 2026-10-01 .. 2026-10-31 (31 days); the previous period is
2026-08-31 .. 2026-09-30 (31 days).
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

LEAD, QUALIFIED, OPPORTUNITY, VERBAL, WON, LOST = (f"00000000-0000-4000-8000-0000000000{n}0" for n in range(1, 7))
FROM, TO = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


def one(conn, sql, params=()):
    return conn.execute(sql, params).fetchone()[0]


def as_user(conn, user_id, sql, params=()):
    """Run ``sql`` as crm_app acting as ``user_id`` (RLS applies), inside a savepoint."""
    with conn.transaction():
        conn.execute("set local role crm_app")
        conn.execute("select set_config('app.user_id', %s, true)", (str(user_id),))
        rows = conn.execute(sql, params).fetchall()  # on an error the savepoint's rollback undoes the role
        conn.execute("reset role")
        return rows


def dashboard(conn, caller, user_id, start=FROM, end=TO):
    return as_user(conn, caller, "select crm.get_crm_dashboard_data(%s, %s, %s)", (user_id, start, end))[0][0]


@pytest.fixture
def world(admin_conn, users):
    return build_world(admin_conn, users)


def build_world(admin_conn, users) -> dict:
    """The fixture (as superuser, rolled back; test_dashboard_views_sql.py reads it too). Returns ids by name."""
    c = admin_conn
    rep, rep2 = users["rep"]["id"], users["rep2"]["id"]
    ids = {}

    def company(key, owner, engagement):
        ids[key] = one(
            c, "insert into crm.companies (name, owner_id) values (%s, %s) returning id", (f"Company {key}", owner)
        )
        return engagement

    engagement = {
        # rep: 4 companies. total 4; active (> 50): A, B, D = 3; high (> 80): A, D = 2;
        # mean (90 + 60 + 40 + 85) / 4 = 68.75
        "A": company("A", rep, 90), "B": company("B", rep, 60), "C": company("C", rep, 40), "D": company("D", rep, 85),
        "E": company("E", rep2, 99),  # rep2's: never in the rep's figures
    }  # fmt: skip

    def contact(key, company_key, decision):
        ids[key] = one(
            c,
            """insert into crm.contacts (first_name, last_name, email, company_id, owner_id, decision_maker_score)
               values (%s, 'Smith', %s, %s, %s, %s) returning id""",
            (key, f"{key.lower()}@example.com", ids[company_key], rep, decision),
        )

    contact("Ann", "A", 0.8)  # A: 2 contacts, 1 decision maker (> 0.7)
    contact("Bob", "A", 0.5)
    contact("Cid", "B", 0.9)

    def deal(key, company_key, stage, value, win=None, intel=0, owner=rep, contact_key=None, close=None):
        ids[key] = one(
            c,
            """insert into crm.deals (name, value, stage_id, owner_id, company_id, primary_contact_id, expected_close_date)
               values (%s, %s, %s, %s, %s, %s, %s) returning id""",
            (f"Deal {key}", value, stage, owner, ids[company_key], ids.get(contact_key), close),
        )
        return (win, intel)

    scores = {
        # rep's active deals: d1..d4 = 4; value 10000 + 5000 + 2000 + 3000 = 20000; mean 5000;
        # high probability (> 0.7): d1 (0.80), d2 (0.75) = 2;
        # top opportunities (intelligence > 75): d2 (90), d1 (80), d4 (76) = 3 (d5 is won: not active)
        "d1": deal("d1", "A", OPPORTUNITY, 10000, 0.80, 80, contact_key="Ann", close=dt.date(2026, 11, 15)),
        "d2": deal("d2", "A", OPPORTUNITY, 5000, 0.75, 90, close=dt.date(2026, 11, 20)),
        "d3": deal("d3", "A", LEAD, 2000, 0.50, 50, close=dt.date(2026, 12, 1)),
        "d4": deal("d4", "B", VERBAL, 3000, None, 76, contact_key="Cid"),
        "d5": deal("d5", "B", WON, 7000, 0.90, 95),
        "d6": deal("d6", "C", LOST, 1000, 0.10, 10),
        "d7": deal("d7", "E", OPPORTUNITY, 50000, 0.99, 99, owner=rep2, close=dt.date(2026, 11, 1)),
    }  # fmt: skip

    def activity(key, type_, date, qty=1, amount=None, company_key=None, deal_key=None, status="completed",
                 user=rep, sentiment=None):  # fmt: skip
        ids[key] = one(
            c,
            """insert into crm.activities (user_id, type, status, date, quantity, amount, company_id, deal_id, sentiment_score)
               values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning id""",
            (user, type_, status, f"{date} 12:00+00", qty, amount, ids.get(company_key), ids.get(deal_key), sentiment),
        )

    # in range (October): by type sale 3 (one cancelled), outbound 3 (one planned), meeting 3 (one no-show),
    # proposal 1, call 1 = 11; done (completed): sale 2, outbound 2, meeting 2, proposal 1, call 1 = 8
    activity("a1", "sale", "2026-10-05", amount=1500, company_key="A", deal_key="d1", sentiment=0.5)
    activity("a2", "sale", "2026-10-06", amount=500, company_key="A", deal_key="d1", sentiment=0.1)
    activity("a3", "sale", "2026-10-06", amount=9999, company_key="A", status="cancelled")  # not in KPIs
    activity("a4", "outbound", "2026-10-07", qty=10, company_key="A")
    activity("a5", "outbound", "2026-10-07", qty=5, company_key="B")
    activity("a6", "meeting", "2026-10-08", company_key="B")
    activity("a7", "meeting", "2026-10-20", company_key="A")
    activity("a8", "proposal", "2026-10-21", company_key="A", deal_key="d2")
    activity("a9", "call", "2026-10-21")
    activity("a10", "outbound", "2026-10-27", qty=7, status="pending")  # planned: not done, never counted
    activity("a11", "meeting", "2026-10-22", status="no_show")  # did not happen: never counted
    # previous period (September): sale 1000, outbound 20, meetings 2 (one row, quantity 2), no proposals
    activity("p1", "sale", "2026-09-15", amount=1000, deal_key="d4")  # company resolved through d4: B
    activity("p2", "outbound", "2026-09-10", qty=20)
    activity("p3", "meeting", "2026-09-11", qty=2)
    # outside both periods, and another rep's: never counted
    activity("o1", "sale", "2026-11-01", amount=100000)
    activity("o2", "outbound", "2026-08-01", qty=100)
    activity("o3", "sale", "2026-10-05", amount=7777, user=rep2, company_key="E")

    for month, revenue, outbound, meetings, proposals in [
        # October's targets count in full (the range is the whole month); September's and November's not at all
        ("2026-10-01", 4000, 30, 4, 2), ("2026-09-01", 99999, 999, 99, 99), ("2026-11-01", 88888, 888, 88, 88),
    ]:  # fmt: skip
        c.execute(
            """insert into crm.targets (user_id, month, revenue_target, outbound_target, meetings_target, proposals_target)
               values (%s, %s, %s, %s, %s, %s)""",
            (rep, month, revenue, outbound, meetings, proposals),
        )
    c.execute("insert into crm.targets (user_id, month, revenue_target) values (%s, '2026-10-01', 12345)", (rep2,))

    now = dt.datetime.now(dt.UTC)
    for key, status, priority, due in [
        # open: t1, t2, t3 = 3; overdue: t1 = 1; high priority (high, urgent): t1, t2 = 2
        ("t1", "pending", "high", now - dt.timedelta(days=2)),
        ("t2", "in_progress", "urgent", now + dt.timedelta(days=3)),
        ("t3", "pending", "low", None),
        ("t4", "completed", "high", now - dt.timedelta(days=5)),
        ("t5", "cancelled", "high", now - dt.timedelta(days=5)),
    ]:
        ids[key] = one(
            c,
            """insert into crm.tasks (title, status, priority, due_date, assigned_to, created_by, deal_id)
               values (%s, %s, %s, %s, %s, %s, %s) returning id""",
            (f"Task {key}", status, priority, due, rep, rep, ids["d1"] if key in ("t1", "t4") else None),
        )
    one(c, "insert into crm.tasks (title, assigned_to, due_date) values ('rep2 task', %s, %s) returning id",
        (rep2, now - dt.timedelta(days=1)))  # fmt: skip

    # meetings of company A: m1 (sentiment 0.6, Oct 3) and m2 (0.2, Oct 13): mean 0.40
    for key, starts, sentiment in [("m1", "2026-10-03 10:00+00", 0.6), ("m2", "2026-10-13 10:00+00", 0.2)]:
        ids[key] = one(
            c,
            """insert into crm.meetings (title, starts_at, owner_id, company_id, primary_contact_id, sentiment_score)
               values (%s, %s, %s, %s, %s, %s) returning id""",
            (f"Meeting {key}", starts, rep, ids["A"], ids["Ann"], sentiment),
        )
    # m1 moved d1 (impact 70, positive) and d2 (impact 85); m2 moved d1 (impact 40, negative)
    for deal_key, meeting_key, impact, outcome, progressed in [
        ("d1", "m1", 70, "positive", True), ("d2", "m1", 85, "neutral", False), ("d1", "m2", 40, "negative", False),
    ]:  # fmt: skip
        c.execute(
            """insert into crm.deal_meetings (deal_id, meeting_id, impact_score, outcome, stage_progression_expected)
               values (%s, %s, %s, %s, %s)""",
            (ids[deal_key], ids[meeting_key], impact, outcome, progressed),
        )
    # action items: m1 has 3 (2 done, 1 urgent), m2 has 1 (done)
    for meeting_key, done, priority in [("m1", True, "urgent"), ("m1", True, "medium"), ("m1", False, "low"),
                                        ("m2", True, "medium")]:  # fmt: skip
        c.execute(
            "insert into crm.meeting_action_items (meeting_id, description, is_done, priority) values (%s, 'x', %s, %s)",
            (ids[meeting_key], done, priority),
        )
    c.execute("insert into crm.activity_meetings (activity_id, meeting_id) values (%s, %s)", (ids["a7"], ids["m1"]))
    c.execute("update crm.tasks set meeting_id = %s where id = %s", (ids["m1"], ids["t3"]))
    # d1's buying committee: Ann (champion) and Bob
    c.execute(
        "insert into crm.deal_stakeholders (deal_id, contact_id, is_champion) values (%s, %s, true), (%s, %s, false)",
        (ids["d1"], ids["Ann"], ids["d1"], ids["Bob"]),
    )

    # scores last, so that no scoring trigger overwrites the fixture's values
    for key, score in engagement.items():
        c.execute("update crm.companies set engagement_score = %s where id = %s", (score, ids[key]))
    for key, (win, intel) in scores.items():
        c.execute(
            "update crm.deals set win_probability_ai = %s, deal_intelligence_score = %s where id = %s",
            (win, intel, ids[key]),
        )
    return ids


# --- get_crm_dashboard_data: every figure ------------------------------------------


def test_companies_figures(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    assert data["companies"] == {"total": 4, "active": 3, "high_engagement": 2, "mean_engagement": 68.75}


def test_deal_figures_do_not_fan_out(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    # company A has 3 deals and 6 activities: a fan-out would show 20000 x something
    assert data["deals"] == {
        "active": 4,
        "value": 20000,
        "mean_size": 5000,
        "high_probability": 2,
        "top_opportunities": 3,
    }
    top = data["top_opportunities"]
    assert [t["name"] for t in top] == ["Deal d2", "Deal d1", "Deal d4"]  # by intelligence, descending
    assert top[0] | {"id": None} == top[0] | {
        "id": None, "value": 5000, "stage": "Opportunity", "intelligence": 90, "company": "Company A",
        "win_probability": 0.75, "expected_close_date": "2026-11-20",
    }  # fmt: skip


def test_weighted_pipeline_by_stage(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    rows = [(p["stage"], p["count"], p["value"], p["weighted"]) for p in data["pipeline"]]
    # open stages in board order, the empty one (Qualified) included; won and lost left out.
    # Lead: d3 2000 x 10% = 200; Opportunity: d1 + d2 = 15000 x 60% = 9000; Verbal: d4 3000 x 80% = 2400
    assert rows == [("Lead", 1, 2000, 200), ("Qualified", 0, 0, 0), ("Opportunity", 2, 15000, 9000),
                    ("Verbal", 1, 3000, 2400)]  # fmt: skip


def test_activities_in_range_by_type(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    # October only, completed ones only (not the cancelled sale a3, the planned outbound a10 or the
    # no-show meeting a11), not rep2's o3
    assert data["activities"] == {
        "total": 8,
        "by_type": {"sale": 2, "outbound": 2, "meeting": 2, "proposal": 1, "call": 1},
    }


def test_kpis_against_targets_with_trend(admin_conn, users, world):
    kpis = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])["kpis"]
    # new business: a1 1500 + a2 500 = 2000 (a3 cancelled); previous p1 1000 -> +100%
    assert kpis["new_business"] == {"actual": 2000, "target": 4000, "previous": 1000, "trend": 100}
    # outbound: 10 + 5 = 15 vs 20 -> -25%
    assert kpis["outbound"] == {"actual": 15, "target": 30, "previous": 20, "trend": -25}
    # meetings: 1 + 1 = 2 vs one row of quantity 2 -> 0%
    assert kpis["meetings"] == {"actual": 2, "target": 4, "previous": 2, "trend": 0}
    # proposals: 1 vs 0 -> 100 by convention
    assert kpis["proposals"] == {"actual": 1, "target": 2, "previous": 0, "trend": 100}


def test_targets_are_prorated_for_partial_months(admin_conn, users, world):
    # Oct 17..Oct 31 (15 of 31 days): 4000 x 15/31 = 1935.48; previous period Oct 2..16 has a2 500 + a1 1500
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"], dt.date(2026, 10, 17), TO)
    assert data["kpis"]["new_business"]["target"] == 1935.48
    assert data["kpis"]["outbound"]["target"] == 15  # round(30 x 15/31 = 14.5)
    assert data["kpis"]["new_business"] == data["kpis"]["new_business"] | {"actual": 0, "previous": 2000, "trend": -100}
    assert data["previous_from"] == "2026-10-02" and data["previous_to"] == "2026-10-16"


def test_task_figures(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    assert data["tasks"] == {"pending": 3, "overdue": 1, "high_priority": 2}
    # due and overdue by the end of the range (or now, if later): only t1 (t2 is due in 3 days, t3 has no date)
    assert [(t["title"], t["overdue"]) for t in data["tasks_due"]] == [("Task t1", True)]


def test_engagement_trend_series(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    assert data["bucket"] == "day"
    series = [(p["bucket"], p["companies"], p["mean_engagement"]) for p in data["engagement_trend"]]
    # distinct companies touched per day and their mean engagement: Oct 6 has two activities at A (one company);
    # Oct 7 touches A (90) and B (60) -> 75; a9 on Oct 21 has no company
    assert series == [("2026-10-05", 1, 90), ("2026-10-06", 1, 90), ("2026-10-07", 2, 75), ("2026-10-08", 1, 60),
                      ("2026-10-20", 1, 90), ("2026-10-21", 1, 90)]  # fmt: skip


def test_activity_series(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    series = [(p["bucket"], p["type"], p["count"]) for p in data["activity_series"]]
    assert series == [
        # Oct 6: a2 only (a3 was cancelled); no bar on Oct 22 (a11 no-show) or Oct 27 (a10 still planned)
        ("2026-10-05", "sale", 1), ("2026-10-06", "sale", 1), ("2026-10-07", "outbound", 2),
        ("2026-10-08", "meeting", 1), ("2026-10-20", "meeting", 1), ("2026-10-21", "call", 1),
        ("2026-10-21", "proposal", 1),
    ]  # fmt: skip


def test_long_ranges_are_bucketed_by_week(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"], dt.date(2026, 8, 1), TO)
    assert data["bucket"] == "week"
    buckets = {p["bucket"] for p in data["activity_series"]}
    assert all(dt.date.fromisoformat(b).weekday() == 0 for b in buckets)  # Mondays
    # Aug 1 (o2) .. Oct 31: the 12 completed ones of the rep's 15 activities in Aug..Oct (not a3, a10, a11)
    assert sum(p["count"] for p in data["activity_series"]) == 12


def test_empty_user_gets_zeros_not_nulls(admin_conn, users, world):
    # a rep of no team, with nothing of their own
    empty = one(admin_conn, "insert into crm.users (email, full_name, role) values ('empty@test.example', 'Empty', 'rep') returning id")
    data = dashboard(admin_conn, users["admin"]["id"], empty)
    assert data["companies"] == {"total": 0, "active": 0, "high_engagement": 0, "mean_engagement": 0}
    assert data["deals"]["value"] == 0 and data["activities"] == {"total": 0, "by_type": {}}
    assert data["kpis"]["new_business"] == {"actual": 0, "target": 0, "previous": 0, "trend": 0}
    assert data["activity_series"] == [] and data["top_opportunities"] == [] and len(data["pipeline"]) == 4
    assert data["largest_deals"] == []


def test_a_managers_home_sums_the_team_and_an_admins_the_organisation(admin_conn, users, world):
    manager = dashboard(admin_conn, users["manager"]["id"], users["manager"]["id"])
    # the manager, rep and rep2: 3 people; open deals rep 20000 (d1-d4) + rep2 50000 (d7) = 70000
    assert manager["people"] == 3 and manager["deals"]["value"] == 70000 and manager["deals"]["active"] == 5
    # October's completed activities: rep's 8 + rep2's o3 = 9; new business 2000 + 7777 against 4000 + 12345
    assert manager["activities"]["total"] == 9 and manager["activities"]["by_type"]["sale"] == 3
    assert manager["kpis"]["new_business"] | {"trend": None} == {"actual": 9777, "target": 16345, "previous": 1000,
                                                                "trend": None}  # fmt: skip
    # companies: rep's 4 and rep2's 1; the team's open tasks: rep's t1, t2, t3 and rep2's task = 4, 2 overdue
    assert manager["companies"]["total"] == 5
    assert manager["tasks"] == {"pending": 4, "overdue": 2, "high_priority": 2}
    # the largest open deal of the team is rep2's d7
    assert manager["largest_deals"][0]["value"] == 50000
    # a rep's dashboard is still their own, also when their manager reads it
    assert dashboard(admin_conn, users["manager"]["id"], users["rep"]["id"])["deals"]["value"] == 20000
    admin = dashboard(admin_conn, users["admin"]["id"], users["admin"]["id"])
    # the admin's home is everyone's: here the same deals and sales as the team's (no one else has any)
    assert admin["people"] >= 4 and admin["deals"]["value"] == 70000
    assert admin["kpis"]["new_business"]["actual"] == 9777


# --- authorization -----------------------------------------------------------


@pytest.fixture
def other_team(admin_conn):
    """A second team: its manager and rep3."""
    c = admin_conn
    team = one(c, "insert into crm.teams (name) values ('Other Team') returning id")
    manager = one(
        c,
        "insert into crm.users (email, full_name, role, team_id) values ('m2@x.example', 'M2', 'manager', %s) returning id",
        (team,),
    )
    c.execute("update crm.teams set manager_id = %s where id = %s", (manager, team))
    rep3 = one(c, "insert into crm.users (email, full_name, role, team_id, manager_id) values ('r3@x.example', 'R3', 'rep', %s, %s) returning id", (team, manager))  # fmt: skip
    return {"manager": manager, "rep3": rep3}


@pytest.mark.parametrize(
    "caller, allowed",
    [("rep", True), ("rep2", False), ("manager", True), ("other_manager", False), ("admin", True), ("rep3", False)],
)
def test_who_may_read_a_reps_dashboard(admin_conn, users, world, other_team, caller, allowed):
    caller_id = {"other_manager": other_team["manager"], "rep3": other_team["rep3"]}.get(caller) or users[caller]["id"]
    if allowed:
        # the same figures as the rep sees (RLS lets the manager and the admin read them)
        assert dashboard(admin_conn, caller_id, users["rep"]["id"])["deals"]["value"] == 20000
    else:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not allowed"):
            dashboard(admin_conn, caller_id, users["rep"]["id"])


def test_nobody_and_unknown_users_are_refused(admin_conn, users, world):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        dashboard(admin_conn, "00000000-0000-4000-8000-00000000dead", users["rep"]["id"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        dashboard(admin_conn, users["rep"]["id"], "00000000-0000-4000-8000-00000000dead")


@pytest.mark.parametrize(
    "start, end, message",
    [
        (dt.date(2026, 10, 31), dt.date(2026, 10, 1), "reversed"),
        (dt.date(2020, 1, 1), dt.date(2026, 10, 1), "too long"),
        (None, dt.date(2026, 10, 1), "both a start and an end"),
    ],
)
def test_bad_ranges_raise_a_clear_error(admin_conn, users, world, start, end, message):
    with pytest.raises(psycopg.errors.InvalidParameterValue, match=message):
        dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"], start, end)


# --- the team variant ----------------------------------------------------------


def team(conn, caller, manager_id, start=FROM, end=TO):
    return as_user(conn, caller, "select crm.get_team_dashboard_data(%s, %s, %s)", (manager_id, start, end))[0][0]


def test_team_rows_and_totals(admin_conn, users, world):
    data = team(admin_conn, users["manager"]["id"], users["manager"]["id"])
    reps = {r["full_name"]: r for r in data["reps"]}
    assert set(reps) == {"Test Rep", "Test Rep2"}
    rep = reps["Test Rep"]
    assert (rep["new_business"], rep["new_business_target"], rep["new_business_trend"]) == (2000, 4000, 100)
    # outbound 10 + 5 (not the planned a10's 7), meetings a6 + a7 (not the no-show a11)
    assert (rep["outbound"], rep["outbound_target"], rep["meetings"], rep["proposals"]) == (15, 30, 2, 1)
    # pipeline 20000; weighted 200 + 9000 + 2400 = 11600; mean engagement 68.75 over 4 companies
    assert (rep["deals"], rep["pipeline"], rep["weighted"], rep["mean_engagement"]) == (4, 20000, 11600, 68.75)
    rep2 = reps["Test Rep2"]
    # rep2: o3 7777 vs a 12345 target; d7 50000 x 60% = 30000; one company at 99
    assert (rep2["new_business"], rep2["new_business_target"], rep2["pipeline"], rep2["weighted"]) == (
        7777,
        12345,
        50000,
        30000,
    )
    totals = data["totals"]
    assert totals["reps"] == 2 and totals["new_business"] == 9777 and totals["new_business_target"] == 16345
    assert totals["pipeline"] == 70000 and totals["weighted"] == 41600
    # the mean over the team's 5 companies (90 + 60 + 40 + 85 + 99) / 5, not the mean of the reps' means
    assert totals["mean_engagement"] == 74.8
    forecast = {(f["user_id"], f["month"]): f["weighted"] for f in data["forecast"]}
    rep_id, rep2_id = str(users["rep"]["id"]), str(users["rep2"]["id"])
    # rep: Nov = d1 6000 + d2 3000; Dec = d3 200; no date = d4 2400. rep2: Nov = d7 30000
    assert forecast == {(rep_id, "2026-11-01"): 9000, (rep_id, "2026-12-01"): 200, (rep_id, None): 2400,
                        (rep2_id, "2026-11-01"): 30000}  # fmt: skip
    # team activity series: rep's 8 completed ones in October plus rep2's o3
    assert sum(p["count"] for p in data["activity_series"]) == 9


@pytest.mark.parametrize("caller, allowed", [("rep", False), ("rep2", False), ("manager", True), ("other_manager", False), ("admin", True)])  # fmt: skip
def test_who_may_read_a_team(admin_conn, users, world, other_team, caller, allowed):
    caller_id = other_team["manager"] if caller == "other_manager" else users[caller]["id"]
    if allowed:
        assert team(admin_conn, caller_id, users["manager"]["id"])["totals"]["reps"] == 2
    else:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team(admin_conn, caller_id, users["manager"]["id"])


def test_team_bad_range(admin_conn, users):
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="reversed"):
        team(admin_conn, users["manager"]["id"], users["manager"]["id"], TO, FROM)
