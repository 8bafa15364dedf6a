"""Reminders and notifications in the app (issue 18): each produced once by the periodic producer
(crm.produce_notifications, task ``notify``) or the deal-assignment trigger, following the user's channel, in
their time zone; the bell's count; another user's notices invisible.

The producer runs on a rolled-back superuser connection at a fixed instant in 2030 (AS_OF), so the session's
job worker, producing at the real time, never touches these rows.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from dashboard.jobs.notifications import produce
from dashboard.notifications.texts import describe
from dashboard.services import deal_health
from tests.conftest import fetch_as, new_id
from tests.test_bulk import apply_confirmed, confirm

UTC = dt.UTC
# 12:00 UTC on Tue 15 Jan 2030 is 01:00 on Wed 16 Jan in Auckland (NZDT, +13) and 04:00 on Tue 15 Jan in
# Los Angeles (PST, -8): the two users are on different days
AS_OF = dt.datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
BELL = re.compile(r'id="bell-count" aria-hidden="true">([^<]+)<')


def person(conn, zone: str, role: str = "rep") -> str:
    uid = new_id()
    conn.execute("insert into crm.users (id, email, full_name, role, time_zone) values (%s, %s, %s, %s, %s)",
                 (uid, f"{uid}@notify.example", f"User {zone}", role, zone))  # fmt: skip
    return uid


def task(conn, user, title: str, due: dt.date, status: str = "pending") -> str:
    return conn.execute(
        """insert into crm.tasks (title, due_date, status, assigned_to, completed_at)
           values (%s, %s, %s, %s, case when %s = 'completed' then now() end) returning id""",
        (title, dt.datetime.combine(due, dt.time(), UTC), status, user, status),
    ).fetchone()[0]


def notices(conn, user, kind: str | None = None) -> list[tuple]:
    return conn.execute(
        """select kind, title, at, detail, in_app, email_status from crm.notifications
            where user_id = %s and (%s::text is null or kind = %s) order by title""",
        (user, kind, kind),
    ).fetchall()


def sentences(conn, user, now: dt.datetime) -> list[str]:
    zone = ZoneInfo(conn.execute("select time_zone from crm.users where id = %s", (user,)).fetchone()[0])
    return [describe(kind, title, at, detail, zone, now.astimezone(zone).date())
            for kind, title, at, detail, _, _ in notices(conn, user)]  # fmt: skip


def test_a_due_task_is_told_once_on_the_assignees_day(admin_conn):
    auckland, los_angeles = person(admin_conn, "Pacific/Auckland"), person(admin_conn, "America/Los_Angeles")
    for user in (auckland, los_angeles):
        task(admin_conn, user, "Call back", dt.date(2030, 1, 15))
        task(admin_conn, user, "Send the quote", dt.date(2030, 1, 16))
        task(admin_conn, user, "Done already", dt.date(2030, 1, 15), status="completed")
        task(admin_conn, user, "Long forgotten", dt.date(2030, 1, 5))  # overdue longer than a week: not told now
    produce(admin_conn, AS_OF)
    # Auckland's today is the 16th: both tasks; Los Angeles' is the 15th: only the one due that day
    assert sentences(admin_conn, auckland, AS_OF) == [
        "Task “Call back” is overdue: it was due on Tue 15 Jan 2030 (1 day ago).",
        "Task “Send the quote” is due today (Wed 16 Jan 2030).",
    ]
    assert sentences(admin_conn, los_angeles, AS_OF) == ["Task “Call back” is due today (Tue 15 Jan 2030)."]
    # the default channel of task_due is both: shown in the app, one email each
    assert {(n[4], n[5]) for n in notices(admin_conn, auckland)} == {(True, "pending")}
    # again, and a minute later: nothing new
    assert produce(admin_conn, AS_OF) == {}
    assert produce(admin_conn, AS_OF + dt.timedelta(minutes=1)) == {}
    # 08:00 UTC on the 16th is midnight in Los Angeles: now their second task is due
    assert produce(admin_conn, dt.datetime(2030, 1, 16, 8, 0, tzinfo=UTC)) == {"task_due": 1}


def test_the_channel_decides_in_app_email_or_nothing(admin_conn):
    off, in_app, email, digest = (person(admin_conn, "Europe/London") for _ in range(4))
    for user, channel in ((off, "off"), (in_app, "in_app"), (email, "email"), (digest, "both")):
        admin_conn.execute("insert into crm.notification_preferences (user_id, kind, channel) values (%s, 'task_due', %s)",
                           (user, channel))  # fmt: skip
        task(admin_conn, user, "Due", dt.date(2030, 1, 15))
    admin_conn.execute("insert into crm.notification_settings (user_id, email_mode) values (%s, 'digest')", (digest,))
    assert produce(admin_conn, AS_OF) == {"task_due": 3}
    assert notices(admin_conn, off) == []
    assert [(n[4], n[5]) for n in notices(admin_conn, in_app)] == [(True, "none")]
    assert [(n[4], n[5]) for n in notices(admin_conn, email)] == [(False, "pending")]
    assert [(n[4], n[5]) for n in notices(admin_conn, digest)] == [(True, "digest")]


def test_a_meeting_in_fifteen_minutes_is_told_once(admin_conn):
    auckland, los_angeles = person(admin_conn, "Pacific/Auckland"), person(admin_conn, "America/Los_Angeles")
    for user in (auckland, los_angeles):
        for title, minutes in (("Soon", 10), ("Later", 20), ("Started", -5)):
            admin_conn.execute("insert into crm.meetings (title, starts_at, owner_id) values (%s, %s, %s)",
                               (title, AS_OF + dt.timedelta(minutes=minutes), user))  # fmt: skip
    admin_conn.execute("insert into crm.meetings (title, starts_at, owner_id, meeting_outcome) values ('Off', %s, %s, 'cancelled')",
                       (AS_OF + dt.timedelta(minutes=5), auckland))  # fmt: skip
    assert produce(admin_conn, AS_OF) == {"meeting_soon": 2}
    assert produce(admin_conn, AS_OF + dt.timedelta(minutes=1)) == {}
    assert produce(admin_conn, AS_OF + dt.timedelta(minutes=6)) == {"meeting_soon": 2}  # "Later" is 14 minutes away
    # 12:10 UTC is 01:10 NZDT on the 16th and 04:10 PST on the 15th
    assert sentences(admin_conn, auckland, AS_OF)[1] == "Meeting “Soon” starts at 01:10 NZDT (Wed 16 Jan 2030)."
    assert sentences(admin_conn, los_angeles, AS_OF)[1] == "Meeting “Soon” starts at 04:10 PST (Tue 15 Jan 2030)."


def test_a_stalled_deal_is_told_by_the_pipelines_own_rule(admin_conn):
    """Stalled as the pipeline's cards say (services/deal_health: whole days in the stage > the stage's
    rotting days): 7 rotting days, 8 days less an hour in the stage is not stalled, 8 days and an hour is."""
    owner = person(admin_conn, "Europe/London")
    stage = admin_conn.execute("update crm.deal_stages set rotting_days = 7 where name = 'Lead' returning id, name").fetchone()
    entries = {"Fresh": AS_OF - dt.timedelta(days=8, hours=-1), "Stuck": AS_OF - dt.timedelta(days=8, hours=1),
               "Told long ago": AS_OF - dt.timedelta(days=30)}  # fmt: skip
    for name, entered in entries.items():
        admin_conn.execute("insert into crm.deals (name, stage_id, owner_id, stage_changed_at) values (%s, %s, %s, %s)",
                           (name, stage[0], owner, entered))  # fmt: skip
    stalled = {name for name, entered in entries.items()
               if deal_health.Health(deal_health.days_in_stage(SimpleNamespace(stage_changed_at=entered), AS_OF), 7,
                                     None, True).stalled}  # fmt: skip
    assert stalled == {"Stuck", "Told long ago"}
    produce(admin_conn, AS_OF)
    # the one that became stalled lately (one that stalled weeks ago was told then, or predates notifications)
    assert [(n[0], n[1], n[3]) for n in notices(admin_conn, owner)] == [("deal_stalled", "Stuck", stage[1])]
    assert sentences(admin_conn, owner, AS_OF) == [
        "Deal “Stuck” has stalled in Lead: no stage change since Mon 7 Jan 2030 (8 days)."]
    assert produce(admin_conn, AS_OF + dt.timedelta(minutes=30)) == {}
    # an hour later "Fresh" has been in Lead 8 whole days: stalled now, told now
    assert produce(admin_conn, AS_OF + dt.timedelta(hours=1)) == {"deal_stalled": 1}


def acting(conn, user) -> None:
    conn.execute("select set_config('app.user_id', %s, true)", (str(user),))


def test_a_deal_assigned_by_someone_else_tells_the_new_owner_only(admin_conn):
    admin, rep, rep2 = person(admin_conn, "UTC", "admin"), person(admin_conn, "UTC"), person(admin_conn, "UTC")
    lead = admin_conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0]
    acting(admin_conn, rep)
    own = admin_conn.execute("insert into crm.deals (name, stage_id, owner_id) values ('Mine', %s, %s) returning id",
                             (lead, rep)).fetchone()[0]  # fmt: skip
    assert notices(admin_conn, rep) == []  # created for themself: nothing
    acting(admin_conn, admin)
    admin_conn.execute("insert into crm.deals (name, stage_id, owner_id) values ('Given', %s, %s), ('Also given', %s, %s)",
                       (lead, rep, lead, rep))  # fmt: skip
    admin_conn.execute("update crm.deals set owner_id = %s where id = %s", (rep2, own))
    assert [(n[0], n[1], n[3]) for n in notices(admin_conn, rep)] == [
        ("deal_assigned", "Also given", "User UTC"), ("deal_assigned", "Given", "User UTC")]
    assert [n[1] for n in notices(admin_conn, rep2)] == ["Mine"]
    # the admin takes it for themself: no notice for anybody
    admin_conn.execute("update crm.deals set owner_id = %s where id = %s", (admin, own))
    assert notices(admin_conn, admin) == [] and len(notices(admin_conn, rep2)) == 1
    # nobody acting (the demo loader, an operator's script): nobody is told
    admin_conn.execute("select set_config('app.user_id', '', true)")
    admin_conn.execute("insert into crm.deals (name, stage_id, owner_id) values ('Loaded', %s, %s)", (lead, rep2))
    assert len(notices(admin_conn, rep2)) == 1


def test_a_bulk_reassignment_tells_the_new_owner(app, client, auth, users):
    lead = fetch_as(app, users["rep"]["id"], "select id from crm.deal_stages where name = 'Lead'")[0][0]
    deal = fetch_as(app, users["rep"]["id"], "insert into crm.deals (name, stage_id, owner_id) values ('Moved', :s, :o) returning id",
                    {"s": lead, "o": users["rep"]["id"]})[0][0]  # fmt: skip
    auth.login(users["manager"]["email"])
    apply_confirmed(client, confirm(client, "deals", "reassign", [deal], owner_id=str(users["rep2"]["id"])).get_data(as_text=True), "deals")
    seen = fetch_as(app, users["rep2"]["id"], "select kind, title, detail from crm.notifications where record_id = :d", {"d": deal})
    assert [tuple(r) for r in seen] == [("deal_assigned", "Moved", "Test Manager")]
    assert fetch_as(app, users["rep"]["id"], "select count(*) from crm.notifications where record_id = :d", {"d": deal})[0][0] == 0


def switch(client, auth, email: str) -> None:
    """Log out, then in as ``email``."""
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(email)


def give(app, users, to: str, name: str):
    """The admin gives ``to`` a new deal: ``to`` gets a deal_assigned notice (the trigger)."""
    return fetch_as(app, users["admin"]["id"], """insert into crm.deals (name, stage_id, owner_id)
                    values (:n, (select id from crm.deal_stages where name = 'Lead'), :o) returning id""",
                    {"n": name, "o": users[to]["id"]})[0][0]  # fmt: skip


def test_the_bell_counts_the_users_unread_notices_and_nobody_elses(app, client, auth, users):
    auth.login(users["rep2"]["email"])
    before = BELL.findall(client.get("/deals").get_data(as_text=True))
    give(app, users, "rep", "Bell one")
    give(app, users, "rep", "Bell two")
    rep2_deal = give(app, users, "rep2", "Not the rep's")
    page = client.get("/deals").get_data(as_text=True)
    assert BELL.findall(page) == [str(int((before or ["0"])[0]) + 1)]
    switch(client, auth, users["rep"]["email"])
    unread = int(BELL.findall(client.get("/deals").get_data(as_text=True))[0])
    listing = client.get("/notifications").get_data(as_text=True)
    assert "Test Admin assigned you the deal “Bell one”" in listing and "Not the rep" not in listing
    notice = fetch_as(app, users["rep2"]["id"], "select id from crm.notifications where record_id = :d", {"d": rep2_deal})[0][0]
    token = auth.csrf_token("/notifications")
    assert client.post(f"/notifications/{notice}/read", data={"csrf_token": token}).status_code == 404
    mine = fetch_as(app, users["rep"]["id"], "select id from crm.notifications where title = 'Bell one'")[0][0]
    opened = client.post(f"/notifications/{mine}/read", data={"csrf_token": token, "open": "1"})
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/deals/")
    assert BELL.findall(client.get("/deals").get_data(as_text=True)) == ([str(unread - 1)] if unread > 1 else [])
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert BELL.findall(client.get("/deals").get_data(as_text=True)) == []
    # rep2's notice is still unread
    assert fetch_as(app, users["rep2"]["id"], "select read_at from crm.notifications where id = :n", {"n": notice})[0][0] is None


def test_the_list_pages_and_says_when_it_is_empty(app, client, auth, users):
    auth.login(users["rep2"]["email"])
    token = auth.csrf_token("/notifications")
    client.post("/notifications/read-all", data={"csrf_token": token})
    for i in range(27):
        give(app, users, "rep2", f"Paged {i:02}")
    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)
    # (one transaction here: the same created_at for all, so the order within it is by id)
    on_first, on_second = set(re.findall(r"Paged \d\d", first)), set(re.findall(r"Paged \d\d", second))
    assert len(on_first) == 25 and len(on_second) == 2 and on_first | on_second == {f"Paged {i:02}" for i in range(27)}
    assert first.count('class="notice unread"') == 25 and 'rel="next"' in first and 'rel="next"' not in second
    assert "No more notifications" in client.get("/notifications?page=999").get_data(as_text=True)


def test_preferences_are_saved_per_kind_and_webhooks_are_admins_only(app, client, auth, users):
    auth.login(users["rep"]["email"])
    page = client.get("/account/notifications").get_data(as_text=True)
    assert 'name="channel_task_due"' in page and 'name="channel_webhook_failing"' not in page
    form = {"csrf_token": auth.csrf_token("/account/notifications"), "email_mode": "digest", "digest_time": "07:30",
            "channel_task_due": "email", "channel_meeting_soon": "off", "channel_deal_stalled": "both",
            "channel_deal_assigned": "in_app"}  # fmt: skip
    assert client.post("/account/notifications", data=form).status_code == 302
    rows = fetch_as(app, users["rep"]["id"], "select kind, channel from crm.notification_preferences where user_id = :u order by kind",
                    {"u": users["rep"]["id"]})  # fmt: skip
    assert [tuple(r) for r in rows] == [("deal_assigned", "in_app"), ("deal_stalled", "both"), ("meeting_soon", "off"),
                                        ("task_due", "email")]  # fmt: skip
    assert tuple(fetch_as(app, users["rep"]["id"], "select email_mode, digest_time from crm.notification_settings")[0]) == (
        "digest", dt.time(7, 30))
    bad = client.post("/account/notifications", data=form | {"channel_task_due": "fax", "digest_time": "25:99"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
    switch(client, auth, users["admin"]["email"])
    assert 'name="channel_webhook_failing"' in client.get("/account/notifications").get_data(as_text=True)


@pytest.mark.parametrize("kind", ["task_due"])
def test_descriptions_follow_the_readers_day(kind):
    at = dt.datetime(2030, 1, 16, tzinfo=UTC)
    zone = ZoneInfo("UTC")
    assert describe(kind, "T", at, None, zone, dt.date(2030, 1, 15)) == "Task “T” is due on Wed 16 Jan 2030."
    assert describe(kind, "T", at, None, zone, dt.date(2030, 1, 18)).endswith("(2 days ago).")


def test_a_failing_webhook_endpoint_is_told_to_every_admin_once_a_day(admin_conn):
    """Issue 17's deliveries: one out of retries in the last day, or pending after 3 failed attempts, makes its
    (active) endpoint failing; every active admin is told once per endpoint and day, reps never."""
    admin, rep = person(admin_conn, "Europe/Berlin", "admin"), person(admin_conn, "Europe/Berlin")
    event = admin_conn.execute("insert into crm.webhook_events (type, payload) values ('webhook.test', '{}') returning id").fetchone()[0]
    host = f"hooks-{new_id().hex[:8]}.example.com"  # other files' endpoints (committed) are left out by it
    cases = {  # url -> (active, status, attempts, last attempt, last error)
        "https://{host}/out-of-retries": (True, "failed", 12, AS_OF - dt.timedelta(hours=2), "HTTP 500"),
        "https://{host}/still-trying": (True, "pending", 3, AS_OF - dt.timedelta(minutes=5), "timed out"),
        "https://{host}/one-hiccup": (True, "pending", 1, AS_OF - dt.timedelta(minutes=5), "timed out"),
        "https://{host}/failed-last-week": (True, "failed", 12, AS_OF - dt.timedelta(days=7), "HTTP 502"),
        "https://{host}/switched-off": (False, "failed", 12, AS_OF - dt.timedelta(hours=2), "HTTP 500"),
    }  # fmt: skip
    for path, (active, status, attempts, last, error) in cases.items():
        url = path.format(host=host)
        endpoint = admin_conn.execute("""insert into crm.webhook_endpoints (url, events, secret, active)
                                         values (%s, '{deal.won}', '\\x01', %s) returning id""", (url, active)).fetchone()[0]
        delivery = admin_conn.execute(
            """insert into crm.webhook_deliveries (event_id, endpoint_id, status, attempts, last_attempt_at)
               values (%s, %s, %s, %s, %s) returning id""", (event, endpoint, status, attempts, last)).fetchone()[0]  # fmt: skip
        admin_conn.execute("""insert into crm.webhook_attempts (delivery_id, attempted_at, http_status, duration_ms, error)
                              values (%s, %s, %s, 30, %s)""",
                           (delivery, last, int(error[5:]) if error.startswith("HTTP") else None, error))  # fmt: skip
    produce(admin_conn, AS_OF)
    assert [s for s in sentences(admin_conn, admin, AS_OF) if host in s] == [
        f"Webhook endpoint “https://{host}/out-of-retries” is failing: HTTP 500.",
        f"Webhook endpoint “https://{host}/still-trying” is failing: timed out.",
    ]
    assert notices(admin_conn, rep) == []
    told = len(notices(admin_conn, admin))
    produce(admin_conn, AS_OF + dt.timedelta(hours=3))
    assert len(notices(admin_conn, admin)) == told  # the same day: told already
    # the next day the endpoint still retrying is told again; the other's failure is more than a day old
    produce(admin_conn, AS_OF + dt.timedelta(days=1))
    assert [n[1] for n in notices(admin_conn, admin) if host in n[1]] == [
        f"https://{host}/out-of-retries", f"https://{host}/still-trying", f"https://{host}/still-trying"]
