"""Dashboards' days follow the reader's time zone: crm.get_crm_dashboard_data and
crm.get_team_dashboard_data on a hand-made fixture around New York's spring change.

New York on Sunday 8 March 2026 runs from 05:00 UTC (00:00 EST) to 04:00 UTC on the 9th (00:00 EDT):
a 23-hour day. The fixture's completed activities, with the New York and UTC days they fall on:

    who   type      UTC time            New York time          NY day  UTC day
    rep   call      2026-03-08 04:30    2026-03-07 23:30 EST    03-07   03-08
    rep   call      2026-03-08 05:00    2026-03-08 00:00 EST    03-08   03-08
    rep   outbound  2026-03-09 03:59    2026-03-08 23:59 EDT    03-08   03-09   (quantity 3)
    rep   meeting   2026-03-09 04:00    2026-03-09 00:00 EDT    03-09   03-09
    rep2  outbound  2026-03-09 03:59    2026-03-08 23:59 EDT    03-08   03-09   (quantity 5)
    rep2  sale      2026-03-08 04:30    2026-03-07 23:30 EST    03-07   03-08   (amount 1000)

The range is the single day 2026-03-08 (the previous period: 2026-03-07).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard import timezones
from tests.test_dashboard_sql import as_user

DAY = dt.date(2026, 3, 8)
NEW_YORK = "America/New_York"


def set_zone(conn, user_id, zone):
    conn.execute("update crm.users set time_zone = %s where id = %s", (zone, user_id))


@pytest.fixture
def spring(admin_conn, users):
    c = admin_conn
    rows = [("rep", "call", "2026-03-08 04:30+00", 1, None), ("rep", "call", "2026-03-08 05:00+00", 1, None),
            ("rep", "outbound", "2026-03-09 03:59+00", 3, None), ("rep", "meeting", "2026-03-09 04:00+00", 1, None),
            ("rep2", "outbound", "2026-03-09 03:59+00", 5, None), ("rep2", "sale", "2026-03-08 04:30+00", 1, 1000)]  # fmt: skip
    # the rep is in New York from the start: the daily totals count on New York's days; the manager and rep2
    # in UTC (whatever a browser test set for these session users)
    set_zone(c, users["rep"]["id"], NEW_YORK)
    set_zone(c, users["manager"]["id"], "UTC")
    set_zone(c, users["rep2"]["id"], "UTC")
    for who, kind, at, quantity, amount in rows:
        c.execute("insert into crm.activities (user_id, type, status, subject, date, quantity, amount) "
                  "values (%s, %s, 'completed', %s, %s, %s, %s)",
                  (users[who]["id"], kind, f"{kind} at {at}", at, quantity, amount))  # fmt: skip
    return c


def dashboard(conn, reader, user_id, start=DAY, end=DAY):
    return as_user(conn, reader, "select crm.get_crm_dashboard_data(%s, %s, %s)", (user_id, start, end))[0][0]


def series(data):
    return [(s["bucket"], s["type"], s["count"]) for s in data["activity_series"]]


def test_the_daily_totals_count_on_the_users_days(spring, users):
    rows = spring.execute("select day::text, type, completed, counted_quantity from crm.activity_daily_totals "
                          "where user_id = %s order by day, type", (users["rep"]["id"],)).fetchall()  # fmt: skip
    # New York's days (table above): 03-07 one call; 03-08 a call and the outbound (3); 03-09 the meeting
    assert rows == [("2026-03-07", "call", 1, 1), ("2026-03-08", "call", 1, 1), ("2026-03-08", "outbound", 1, 3),
                    ("2026-03-09", "meeting", 1, 1)]  # fmt: skip
    # a change of zone recounts the user's rows on the new days: in UTC, 03-08 has both calls
    set_zone(spring, users["rep"]["id"], "UTC")
    rows = spring.execute("select day::text, type, completed from crm.activity_daily_totals where user_id = %s "
                          "order by day, type", (users["rep"]["id"],)).fetchall()  # fmt: skip
    assert rows == [("2026-03-08", "call", 2), ("2026-03-09", "meeting", 1), ("2026-03-09", "outbound", 1)]


def test_a_reps_day_in_their_own_zone(spring, users):
    rep = users["rep"]["id"]
    data = dashboard(spring, rep, rep)
    # New York's 8 March: the 00:00 EST call and the 23:59 EDT outbound; not the 23:30 call of the 7th
    # nor the meeting at 00:00 EDT on the 9th
    assert data["activities"] == {"total": 2, "by_type": {"call": 1, "outbound": 1}}
    assert series(data) == [("2026-03-08", "call", 1), ("2026-03-08", "outbound", 1)]
    # the outbound KPI sums the quantity (3); the previous period (7 March) had one call and no outbound
    assert data["kpis"]["outbound"]["actual"] == 3 and data["kpis"]["outbound"]["previous"] == 0


def test_a_reader_in_another_zone_sees_their_own_days(spring, users):
    rep, manager = users["rep"]["id"], users["manager"]["id"]
    # the manager is in UTC: UTC's 8 March holds both calls (04:30 and 05:00 UTC) and nothing else,
    # counted from the activities since the totals are on New York's days
    data = dashboard(spring, manager, rep)
    assert data["activities"] == {"total": 2, "by_type": {"call": 2}}
    assert series(data) == [("2026-03-08", "call", 2)]
    assert data["kpis"]["outbound"]["actual"] == 0
    # a manager in New York reads the rep's day as the rep does (from the totals)
    set_zone(spring, manager, NEW_YORK)
    assert dashboard(spring, manager, rep)["activities"] == {"total": 2, "by_type": {"call": 1, "outbound": 1}}


def test_a_week_long_range_in_new_york(spring, users):
    rep = users["rep"]["id"]
    # 2026-03-02 .. 2026-03-08 (7 days, bucketed by day): the 23:30 call of the 7th and the two of the 8th;
    # the previous period 02-23 .. 03-01 is empty
    data = dashboard(spring, rep, rep, dt.date(2026, 3, 2), DAY)
    assert series(data) == [("2026-03-07", "call", 1), ("2026-03-08", "call", 1), ("2026-03-08", "outbound", 1)]
    assert data["activities"]["total"] == 3


def test_team_days_follow_the_manager_whatever_each_reps_zone(spring, users):
    manager, rep, rep2 = users["manager"]["id"], users["rep"]["id"], users["rep2"]["id"]
    set_zone(spring, manager, NEW_YORK)  # rep2 is in UTC: their totals are on UTC days
    data = as_user(spring, manager, "select crm.get_team_dashboard_data(%s, %s, %s)", (manager, DAY, DAY))[0][0]
    reps = {r["id"]: r for r in data["reps"]}
    # New York's 8 March: each rep's 23:59 EDT outbound (3 and 5); rep2's 23:30 EST sale is the 7th's
    assert (reps[str(rep)]["outbound"], reps[str(rep2)]["outbound"]) == (3, 5)
    assert Decimal(str(reps[str(rep2)]["new_business"])) == 0
    # the sale (1000) is the previous period's: trend (0 - 1000) / 1000 = -100 %
    assert reps[str(rep2)]["new_business_trend"] == -100
    assert data["totals"]["outbound"] == 8
    # per day: the rep's call at 00:00 EST, and the two outbound activities
    assert [(s["bucket"], s["type"], s["count"]) for s in data["activity_series"]] == [
        ("2026-03-08", "call", 1), ("2026-03-08", "outbound", 2)]  # fmt: skip


def test_overdue_means_before_the_readers_today(admin_conn, users):
    rep = users["rep"]["id"]
    # Pago Pago (UTC-11) and Kiritimati (UTC+14) are 25 hours apart: Kiritimati's today is always later
    pago = timezones.today(timezones.zone("Pacific/Pago_Pago"))
    admin_conn.execute("insert into crm.tasks (title, assigned_to, created_by, due_date) values "
                       "('Due today in Pago Pago', %s, %s, %s)", (rep, rep, timezones.due_instant(pago)))  # fmt: skip
    set_zone(admin_conn, rep, "Pacific/Pago_Pago")
    assert dashboard(admin_conn, rep, rep, pago, pago)["tasks"]["overdue"] == 0
    # in Kiritimati that day is already past
    set_zone(admin_conn, rep, "Pacific/Kiritimati")
    data = dashboard(admin_conn, rep, rep, pago, pago)
    assert data["tasks"]["overdue"] == 1 and [t["overdue"] for t in data["tasks_due"]] == [True]


def test_a_zone_change_waits_for_activities_being_written(admin_url, users):
    """Two transactions: one writes an activity, the other moves its user to another zone meanwhile. The
    zone change waits for the write and then recounts it on the new day (the write holds the user's zone
    lock, shared; the change takes it exclusively)."""
    import threading

    import psycopg

    from dashboard import pg

    rep = users["rep"]["id"]
    url = pg.libpq_url(admin_url)
    with psycopg.connect(url) as writer, psycopg.connect(url) as mover:
        try:
            set_zone(writer, rep, "UTC")
            writer.commit()
            # 2026-03-08 02:00 UTC: 8 March in UTC, 7 March (21:00 EST) in New York
            writer.execute("insert into crm.activities (user_id, type, subject, date) values "
                           "(%s, 'note', 'Racing note', '2026-03-08 02:00+00')", (rep,))  # fmt: skip
            # anything else on the user's row (a login, an admin's edit) does not wait for the write
            mover.execute("set lock_timeout = '300ms'")
            mover.execute("update crm.users set full_name = full_name where id = %s", (rep,))
            mover.rollback()
            moved = threading.Thread(target=lambda: (set_zone(mover, rep, NEW_YORK), mover.commit()))
            moved.start()
            moved.join(0.5)
            assert moved.is_alive()  # the zone change waits for the activity's transaction
            writer.commit()
            moved.join(10)
            days = writer.execute("select day::text, activities from crm.activity_daily_totals "
                                  "where user_id = %s and type = 'note'", (rep,)).fetchall()  # fmt: skip
            assert days == [("2026-03-07", 1)]
        finally:
            writer.rollback()
            writer.execute("delete from crm.activities where subject = 'Racing note'")
            writer.execute("update crm.users set time_zone = null where id = %s", (rep,))
            writer.commit()
