"""Who may do what on the tables of the features built on the core (saved views, imports, forecasts,
duplicates and merges, calendar feeds and sync, webhooks, API tokens and bookkeeping, backups, notifications,
mail), proven at the database as tests/test_rls_matrix.py proves the core tables: each case in one rolled-back
transaction, acting as one of the same identities under row-level security.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.test_rls_matrix import IDENTITIES, OWNER_TEAM_READ, act, build_world, q, try_write

# saved views: own views, plus those shared with the reader's team; only the owner writes
SAVED_VIEW_READERS = {"private": {"rep_a"}, "shared": {"rep_a", "rep_b", "manager_ab"}}  # team_1: A, B, manager_ab


@pytest.mark.parametrize("identity", IDENTITIES)
def test_saved_views_matrix(admin_conn, identity):
    ids = build_world(admin_conn)
    views = {
        kind: admin_conn.execute(
            """insert into crm.saved_views (user_id, team_id, list, name, query, shared)
               values (%s, %s, 'tasks', %s, 'status=open', %s) returning id""",
            (ids["rep_a"], ids["team_1"] if kind == "shared" else None, kind, kind == "shared"),
        ).fetchone()[0]
        for kind in ("private", "shared")
    }
    act(admin_conn, ids[identity])
    for kind, view in views.items():
        seen = admin_conn.execute("select count(*) from crm.saved_views where id = %s", (view,)).fetchone()[0]
        assert seen == (identity in SAVED_VIEW_READERS[kind]), (kind, identity)
        # only A changes or deletes A's views (admins included: a view is personal)
        owner = identity == "rep_a"
        assert try_write(admin_conn, "update crm.saved_views set name = name || '!' where id = %(v)s", {"v": view}) == owner
        assert try_write(admin_conn, "delete from crm.saved_views where id = %(v)s", {"v": view}) == owner
    insert = """insert into crm.saved_views (user_id, team_id, list, name, shared)
                values (%(user)s, %(team)s::uuid, 'deals', 'New', %(team)s::uuid is not null)"""
    team = {"rep_a": "team_1", "rep_b": "team_1", "manager_ab": "team_1", "rep_c": "team_2", "manager_c": "team_2"}
    # everyone saves their own (shared with their own team, if they have one) ...
    own_team = ids[team[identity]] if identity in team else None
    assert try_write(admin_conn, insert, {"user": ids[identity], "team": own_team})
    # ... but never as someone else, nor shared with another team
    assert not try_write(admin_conn, insert, {"user": ids["rep_a"] if identity != "rep_a" else ids["rep_b"], "team": None})
    other_team = ids["team_2"] if team.get(identity) != "team_2" else ids["team_1"]
    assert not try_write(admin_conn, insert, {"user": ids[identity], "team": other_team})


@pytest.mark.parametrize("identity", IDENTITIES)
def test_record_import_runs_are_their_starters(admin_conn, identity):
    """A record import run (a legacy_import_runs row with an entity) is read and updated by its starter and
    admins; nobody but admins reads a legacy run or creates one, or a run in someone else's name."""
    ids = build_world(admin_conn)
    admin_conn.execute("select set_config('app.user_id', '', true)")
    record, legacy = (admin_conn.execute(
        "insert into crm.legacy_import_runs (source, started_by, entity) values ('upload', %s, %s) returning id",
        (ids["rep_a"], entity)).fetchone()[0] for entity in ("companies", None))  # fmt: skip
    act(admin_conn, ids[identity])
    seen = {r[0] for r in admin_conn.execute("select id from crm.legacy_import_runs where id in (%s, %s)", (record, legacy))}
    expected = {record, legacy} if identity == "admin" else {record} if identity == "rep_a" else set()
    assert seen == expected
    updated = try_write(admin_conn, "update crm.legacy_import_runs set phase = 'x' where id = %(r)s", {"r": record})
    assert updated == (identity in {"rep_a", "admin"})
    own = "insert into crm.legacy_import_runs (source, started_by, entity) values ('upload', %(s)s, %(e)s)"
    assert try_write(admin_conn, own, {"s": ids[identity], "e": "deals"})  # anyone starts their own record import
    assert try_write(admin_conn, own, {"s": ids[identity], "e": None}) == (identity == "admin")  # a legacy run
    assert try_write(admin_conn, own, {"s": ids["rep_b"], "e": "deals"}) == (identity in {"rep_b", "admin"})


# the job queue (crm_jobs): an import job is seen and enqueued by whoever sees its run (a record import: its
# starter; every run: admins); nobody changes or removes a job through the app's role (workers do)
JOB_ACCESS = {"rep_a", "admin"}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_import_jobs_follow_their_run(admin_conn, identity):
    ids = build_world(admin_conn)
    run_id = admin_conn.execute(
        """insert into crm.legacy_import_runs (source, started_by, entity, status, phase)
           values ('csv', %(rep_a)s, 'companies', 'queued', 'queued') returning id""", ids
    ).fetchone()[0]
    args = psycopg.types.json.Jsonb({"run_id": str(run_id)})
    enqueue = "insert into crm_jobs.procrastinate_jobs (queue_name, task_name, args) values ('imports', 'import_run', %(args)s)"
    job_id = admin_conn.execute(enqueue + " returning id", {"args": args}).fetchone()[0]
    act(admin_conn, ids[identity])
    allowed = identity in JOB_ACCESS
    seen = admin_conn.execute("select count(*) from crm_jobs.procrastinate_jobs where id = %s", (job_id,)).fetchone()[0]
    assert seen == (1 if allowed else 0)
    assert try_write(admin_conn, enqueue, {"args": args}) == allowed
    assert not try_write(admin_conn, "update crm_jobs.procrastinate_jobs set status = 'succeeded' where id = %(job)s", {"job": job_id})
    assert not try_write(admin_conn, "delete from crm_jobs.procrastinate_jobs where id = %(job)s", {"job": job_id})


# quotas: read by the user, their manager and admins; set by admins and the user's manager (never by the user
# themself); forecast snapshots: read alike, written only by an admin's (or the owner's) snapshot, never changed
FORECAST_READERS = {"rep_a", "manager_ab", "admin"}
QUOTA_WRITERS = {"manager_ab", "admin"}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_quotas_and_forecast_snapshots_matrix(admin_conn, identity):
    ids = build_world(admin_conn)
    quota = admin_conn.execute(
        "insert into crm.quotas (user_id, month, amount) values (%(rep_a)s, '2030-01-01', 1000) returning id", ids
    ).fetchone()[0]
    snapshot = admin_conn.execute(
        "insert into crm.forecast_snapshots (user_id, month, commit) values (%(rep_a)s, '2030-01-01', 5) returning id", ids
    ).fetchone()[0]
    act(admin_conn, ids[identity])
    for table, row in (("quotas", quota), ("forecast_snapshots", snapshot)):
        seen = admin_conn.execute(q("select count(*) from crm.{} where id = %s", table), (row,)).fetchone()[0]
        assert seen == (identity in FORECAST_READERS), (table, identity)
    assert try_write(admin_conn, "update crm.quotas set amount = amount + 1 where id = %(r)s", {"r": quota}) == (
        identity in QUOTA_WRITERS
    )
    insert = "insert into crm.quotas (user_id, month, amount) values (%(u)s, '2030-02-01', 1)"
    assert try_write(admin_conn, insert, {"u": ids["rep_a"]}) == (identity in QUOTA_WRITERS)
    assert try_write(admin_conn, insert, {"u": ids[identity]}) == (identity == "admin")  # never one's own
    assert try_write(admin_conn, insert, {"u": ids["rep_c"]}) == (identity in {"manager_c", "admin"})
    assert try_write(admin_conn, "delete from crm.quotas where id = %(r)s", {"r": quota}) == (identity in QUOTA_WRITERS)
    # snapshots are history: nobody changes or removes one; only an admin takes one
    assert not try_write(admin_conn, "update crm.forecast_snapshots set commit = 0 where id = %(r)s", {"r": snapshot})
    assert not try_write(admin_conn, "delete from crm.forecast_snapshots where id = %(r)s", {"r": snapshot})
    taken = "insert into crm.forecast_snapshots (user_id, month) values (%(u)s, '2030-03-01')"
    assert try_write(admin_conn, taken, {"u": ids[identity]}) == (identity == "admin")


def test_a_rep_reads_no_other_teams_quotas_or_snapshots(admin_conn):
    ids = build_world(admin_conn)
    for user in ("rep_c", "manager_c", "rep_b"):
        admin_conn.execute("insert into crm.quotas (user_id, month, amount) values (%s, '2030-01-01', 1)", (ids[user],))
        admin_conn.execute("insert into crm.forecast_snapshots (user_id, month) values (%s, '2030-01-01')", (ids[user],))
    act(admin_conn, ids["rep_a"])
    assert admin_conn.execute("select count(*) from crm.quotas").fetchone()[0] == 0
    assert admin_conn.execute("select count(*) from crm.forecast_snapshots").fetchone()[0] == 0
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["manager_ab"]),))
    # manager AB reads their team's (rep B), not team 2's
    assert admin_conn.execute("select count(*) from crm.quotas").fetchone()[0] == 1
    assert admin_conn.execute("select count(*) from crm.forecast_snapshots").fetchone()[0] == 1


@pytest.mark.parametrize("identity", IDENTITIES)
def test_duplicate_pairs_and_merges_are_admins_only(admin_conn, identity):
    """The duplicate scan's pairs and the merge history: only admins read or write them; a merge is recorded
    in the acting admin's name and never deleted (its undo marks it)."""
    ids = build_world(admin_conn)
    admin_conn.execute("select set_config('app.user_id', '', true)")
    pair = admin_conn.execute(
        """insert into crm.duplicate_pairs (kind, first_id, second_id, score)
           values ('companies', least(%(company)s, %(contact)s), greatest(%(company)s, %(contact)s), 0.9) returning id""",
        ids).fetchone()[0]  # fmt: skip
    merge = admin_conn.execute(
        """insert into crm.record_merges (kind, survivor_id, loser_id, merged_by, snapshot)
           values ('companies', %(company)s, gen_random_uuid(), %(admin)s, '{}') returning id""", ids).fetchone()[0]
    act(admin_conn, ids[identity])
    admin = identity == "admin"
    assert admin_conn.execute("select count(*) from crm.duplicate_pairs where id = %s", (pair,)).fetchone()[0] == admin
    assert admin_conn.execute("select count(*) from crm.record_merges where id = %s", (merge,)).fetchone()[0] == admin
    dismiss = "update crm.duplicate_pairs set status = 'dismissed', dismissed_at = now() where id = %(p)s"
    assert try_write(admin_conn, dismiss, {"p": pair}) == admin
    assert try_write(admin_conn, "update crm.record_merges set undone_at = now() where id = %(m)s", {"m": merge}) == admin
    # the snapshot an undo reads is never rewritten, and a merge is never deleted, even by an admin
    assert not try_write(admin_conn, "update crm.record_merges set snapshot = '{}' where id = %(m)s", {"m": merge})
    assert not try_write(admin_conn, "delete from crm.record_merges where id = %(m)s", {"m": merge})
    new_pair = """insert into crm.duplicate_pairs (kind, first_id, second_id, score)
                  values ('contacts', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 0.8)"""
    assert try_write(admin_conn, new_pair, {}) == admin
    record = """insert into crm.record_merges (kind, survivor_id, loser_id, merged_by, snapshot)
                values ('contacts', gen_random_uuid(), gen_random_uuid(), %(by)s, '{}')"""
    assert try_write(admin_conn, record, {"by": ids[identity]}) == admin
    assert not try_write(admin_conn, record, {"by": ids["rep_a"]})  # never in someone else's name
    assert try_write(admin_conn, "delete from crm.duplicate_pairs where id = %(p)s", {"p": pair}) == admin


# calendar feeds: a user reads their own feed (never the token's hash, nobody another user's, admins included);
# nobody writes one through the app's role: the definer functions app.issue_calendar_feed,
# app.revoke_calendar_feed and app.open_calendar_feed do
@pytest.mark.parametrize("identity", IDENTITIES)
def test_calendar_feeds_are_their_users_alone(admin_conn, identity):
    ids = build_world(admin_conn)
    feed = admin_conn.execute(
        "insert into crm.calendar_feeds (user_id, token_hash) values (%(rep_a)s, sha256('matrix feed')) returning id", ids
    ).fetchone()[0]
    act(admin_conn, ids[identity])
    seen = admin_conn.execute("select count(*) from crm.calendar_feeds where id = %s", (feed,)).fetchone()[0]
    assert seen == (identity == "rep_a")
    for statement in [
        "select token_hash from crm.calendar_feeds",
        "insert into crm.calendar_feeds (user_id, token_hash) values (%(actor)s, sha256('mine'))",
        "update crm.calendar_feeds set revoked_at = now() where id = %(feed)s",
        "delete from crm.calendar_feeds where id = %(feed)s",
    ]:
        assert not try_write(admin_conn, statement, {"actor": ids[identity], "feed": feed}), statement
    # the acting user's own functions: issuing revokes their old feed, never rep A's
    token = admin_conn.execute("select app.issue_calendar_feed()").fetchone()[0]
    assert len(token) == 64
    admin_conn.execute("reset role")
    assert admin_conn.execute("select revoked_at is null from crm.calendar_feeds where id = %s", (feed,)).fetchone()[0] == (
        identity != "rep_a"
    )


@pytest.mark.parametrize("identity", IDENTITIES)
def test_webhooks_are_admins_only(admin_conn, identity):
    """Webhook endpoints, events, deliveries and attempts: only admins read them or register, change, delete an
    endpoint, send a test event or replay a delivery; nobody writes an attempt or a record's event through the
    app, and nobody (an admin neither) reads an endpoint's secret back."""
    ids = build_world(admin_conn)
    admin_conn.execute("select set_config('app.user_id', '', true)")
    endpoint = admin_conn.execute("""insert into crm.webhook_endpoints (url, events, secret)
                                     values ('https://hooks.example.com/a', '{deal.won}', '\\x01') returning id""").fetchone()[0]
    event = admin_conn.execute("""insert into crm.webhook_events (type, record_id, payload)
                                  values ('deal.won', %(deal)s, '{}') returning id""", ids).fetchone()[0]  # fmt: skip
    delivery = admin_conn.execute("""insert into crm.webhook_deliveries (event_id, endpoint_id, status)
                                     values (%s, %s, 'failed') returning id""", (event, endpoint)).fetchone()[0]
    admin_conn.execute("insert into crm.webhook_attempts (delivery_id, duration_ms) values (%s, 5)", (delivery,))
    act(admin_conn, ids[identity])
    admin = identity == "admin"
    for table, where in [("webhook_endpoints", "id = %(e)s"), ("webhook_events", "id = %(v)s"),
                         ("webhook_deliveries", "id = %(d)s"), ("webhook_attempts", "delivery_id = %(d)s")]:  # fmt: skip
        seen = admin_conn.execute(f"select count(*) from crm.{table} where {where}",
                                  {"e": endpoint, "v": event, "d": delivery}).fetchone()[0]  # fmt: skip
        assert seen == admin, table
    me = {"by": ids[identity], "e": endpoint, "d": delivery, "v": event}
    register = """insert into crm.webhook_endpoints (url, events, secret, created_by)
                  values ('https://hooks.example.com/b', '{deal.lost}', '\\x02', %(by)s)"""
    assert try_write(admin_conn, register, me) == admin
    assert not try_write(admin_conn, register, me | {"by": ids["rep_a"]})  # never in someone else's name
    assert try_write(admin_conn, "update crm.webhook_endpoints set active = false where id = %(e)s", me) == admin
    assert not try_write(admin_conn, "update crm.webhook_endpoints set secret = '\\x03' where id = %(e)s", me)
    assert not try_write(admin_conn, "select secret from crm.webhook_endpoints", me)
    replay = "update crm.webhook_deliveries set status = 'pending', next_attempt_at = now() where id = %(d)s"
    assert try_write(admin_conn, replay, me) == admin
    assert not try_write(admin_conn, "update crm.webhook_deliveries set status = 'succeeded' where id = %(d)s", me)
    assert not try_write(admin_conn, "update crm.webhook_deliveries set attempts = 0 where id = %(d)s", me)
    assert not try_write(admin_conn, "insert into crm.webhook_attempts (delivery_id, duration_ms) values (%(d)s, 1)", me)
    forged = "insert into crm.webhook_events (type, record_id, payload) values ('deal.won', %(by)s, '{}')"
    assert not try_write(admin_conn, forged, me)  # a record's event comes from the trigger only
    test_event = "insert into crm.webhook_events (type, payload) values ('webhook.test', '{}')"
    assert try_write(admin_conn, test_event, me) == admin
    assert not try_write(admin_conn, "insert into crm.webhook_deliveries (event_id, endpoint_id) values (%(v)s, %(e)s)",
                         me | {"v": event})  # a delivery of a record's event: refused (a test event's only)
    assert try_write(admin_conn, "delete from crm.webhook_endpoints where id = %(e)s", me) == admin


@pytest.mark.parametrize("identity", IDENTITIES)
def test_api_tokens_matrix(admin_conn, identity):
    """A's API token: A and admins list it and revoke it (app.revoke_api_token); nobody, A included, reads
    its hash or writes the table directly (tests/test_api_tokens.py has the column and write refusals)."""
    ids = build_world(admin_conn)
    token = admin_conn.execute("select id from app.create_api_token('A''s', 'read', null)").fetchone()[0]
    act(admin_conn, ids[identity])
    may = identity in {"rep_a", "admin"}
    assert admin_conn.execute("select count(*) from crm.api_tokens where id = %s", (token,)).fetchone()[0] == may
    for statement in ["update crm.api_tokens set name = 'x'", "delete from crm.api_tokens"]:
        assert not try_write(admin_conn, statement, {}), statement
    assert admin_conn.execute("select app.revoke_api_token(%s)", (token,)).fetchone()[0] is may


# the calendar sync's rows are their user's alone (admins included: a connection holds a password); the
# password column is never selectable, even by its owner; a sync job is enqueued only for one's own connection
CALENDAR_SYNC_TABLES = {
    "calendar_connections": "insert into crm.calendar_connections (user_id, caldav_url, username, password_encrypted) values (%(owner)s, 'https://dav.example/x/', 'me', '\\x01')",
    "calendar_events": "insert into crm.calendar_events (user_id, uid, href, origin) values (%(owner)s, 'u-' || gen_random_uuid(), 'https://dav.example/x/1.ics', 'calendar')",
    "calendar_conflicts": "insert into crm.calendar_conflicts (user_id, uid, kept, details) values (%(owner)s, 'u', 'crm', 'both changed')",
}  # fmt: skip


@pytest.mark.parametrize("identity", IDENTITIES)
def test_calendar_sync_rows_are_their_users_alone(admin_conn, identity):
    ids = build_world(admin_conn)
    rows = {table: admin_conn.execute(insert + " returning id", {"owner": ids["rep_a"]}).fetchone()[0]
            for table, insert in CALENDAR_SYNC_TABLES.items()}  # fmt: skip
    act(admin_conn, ids[identity])
    own = identity == "rep_a"
    for table, row in rows.items():
        assert admin_conn.execute(q("select count(*) from crm.{} where id = %s", table), (row,)).fetchone()[0] == own, table
        assert try_write(admin_conn, f"delete from crm.{table} where id = %(r)s", {"r": row}) == own, table
        # everyone writes their own rows, nobody another's
        assert try_write(admin_conn, CALENDAR_SYNC_TABLES[table], {"owner": ids[identity]}), table
        assert try_write(admin_conn, CALENDAR_SYNC_TABLES[table], {"owner": ids["rep_b"] if own else ids["rep_a"]}) is False, table
    assert not try_write(admin_conn, "select password_encrypted from crm.calendar_connections", {})
    mine = admin_conn.execute("select id from crm.calendar_connections where user_id = %s", (ids[identity],)).fetchone()[0]
    enqueue = """insert into crm_jobs.procrastinate_jobs (queue_name, task_name, args)
                 values ('calendar', 'calendar_sync', jsonb_build_object('connection_id', %(c)s::text))"""
    assert try_write(admin_conn, enqueue, {"c": mine})
    admin_conn.execute("reset role")
    other = ids["rep_b" if identity == "rep_c" else "rep_c"]
    theirs = admin_conn.execute(CALENDAR_SYNC_TABLES["calendar_connections"] + " returning id", {"owner": other}).fetchone()[0]
    act(admin_conn, ids[identity])
    assert not try_write(admin_conn, enqueue, {"c": theirs})  # not even an admin syncs someone else's calendar


@pytest.mark.parametrize("identity", IDENTITIES)
def test_backup_records_are_read_by_admins_and_written_by_nobody(admin_conn, identity):
    """crm.backups: written by the operator's role (crm db backup, the job worker); admins read them and may
    enqueue a backup job; nobody writes the records through the app."""
    ids = build_world(admin_conn)
    record = admin_conn.execute(
        """insert into crm.backups (kind, trigger, status, started_at, location)
           values ('archive', 'command', 'succeeded', now(), '/backups/x.dump') returning id""").fetchone()[0]
    act(admin_conn, ids[identity])
    admin = identity == "admin"
    assert admin_conn.execute("select count(*) from crm.backups where id = %s", (record,)).fetchone()[0] == admin
    for statement in ["update crm.backups set status = 'failed', error = 'x'", "delete from crm.backups",
                      """insert into crm.backups (kind, trigger, status, started_at, location)
                         values ('archive', 'admin', 'succeeded', now(), '/x')"""]:  # fmt: skip
        assert not try_write(admin_conn, statement, {}), statement
    job = """insert into crm_jobs.procrastinate_jobs (queue_name, task_name, args, status)
             values ('maintenance', 'backup', '{"timestamp": 0, "trigger": "admin"}', 'todo')"""
    assert try_write(admin_conn, job, {}) == admin


@pytest.mark.parametrize("identity", IDENTITIES)
def test_api_bookkeeping_matrix(admin_conn, identity):
    """The REST API's tables: rate windows are read and written by nobody but app.take_api_request; an
    idempotency key is read only by transactions presenting the token it was recorded with, and recorded
    only for the token a transaction presents, in its user's name."""
    ids = build_world(admin_conn)
    token_id, token = admin_conn.execute("select id, token from app.create_api_token('A', 'write', null)").fetchone()
    admin_conn.execute("set local role crm_app")
    admin_conn.execute("select set_config('app.api_token', %s, true)", (token,))
    assert admin_conn.execute("select app.take_api_request(10, 60)").fetchone()[0] == 0
    record = """insert into crm.api_idempotency_keys (token_id, key, user_id, request_hash, status, body)
                values (%(t)s, %(k)s, app.current_user_id(), sha256('r'), 201, '{}')"""
    assert try_write(admin_conn, record, {"t": token_id, "k": "first"})
    admin_conn.execute("select set_config('app.api_token', '', true)")
    admin_conn.execute("reset role")
    act(admin_conn, ids[identity])
    assert admin_conn.execute("select count(*) from crm.api_idempotency_keys").fetchone()[0] == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
        admin_conn.execute("select count(*) from crm.api_rate_windows")
    assert not try_write(admin_conn, record, {"t": token_id, "k": "forged"})
    assert not try_write(admin_conn, "update crm.api_rate_windows set requests = 0", {})
    assert not try_write(admin_conn, "delete from crm.api_rate_windows", {})
    assert not try_write(admin_conn, "delete from crm.api_idempotency_keys", {})
    admin_conn.execute("select set_config('app.api_token', %s, true)", (token,))  # presenting A's token: A
    assert admin_conn.execute("select count(*) from crm.api_idempotency_keys").fetchone()[0] == 1


# notifications (issue 18): a notice, a preference and the email settings are their user's alone; nobody
# (not A either) inserts or deletes a notice through the app, and A may change only read_at
def _notification_world(conn) -> dict:
    ids = build_world(conn)
    ids["notice"] = conn.execute(
        """insert into crm.notifications (user_id, kind, record_id, occurrence, title, in_app, email_status)
           values (%(rep_a)s, 'task_due', %(task)s, '2030-01-15', 'A task', true, 'pending') returning id""", ids
    ).fetchone()[0]  # fmt: skip
    conn.execute("insert into crm.notification_preferences (user_id, kind, channel) values (%(rep_a)s, 'task_due', 'both')", ids)
    conn.execute("insert into crm.notification_settings (user_id, email_mode) values (%(rep_a)s, 'digest')", ids)
    return ids


def notification_access(conn, ids, identity) -> dict[str, bool]:
    """What ``identity`` may do to A's notice, preference and settings (rolled back where it went through)."""
    act(conn, ids[identity])
    p = ids | {"actor": ids[identity]}
    return {
        "read notice": conn.execute("select count(*) from crm.notifications where id = %(notice)s", p).fetchone()[0] == 1,
        "mark read": try_write(conn, "update crm.notifications set read_at = now() where id = %(notice)s", p),
        "change email": try_write(conn, "update crm.notifications set email_status = 'sent' where id = %(notice)s", p),
        "delete notice": try_write(conn, "delete from crm.notifications where id = %(notice)s", p),
        "insert own notice": try_write(conn, """insert into crm.notifications (user_id, kind, record_id, occurrence, title,
            in_app, email_status) values (%(actor)s, 'task_due', %(task)s, 'x', 'x', true, 'none')""", p),
        "read preference": conn.execute("select count(*) from crm.notification_preferences where user_id = %(rep_a)s", p).fetchone()[0] == 1,
        "change preference": try_write(conn, "update crm.notification_preferences set channel = 'off' where user_id = %(rep_a)s", p),
        "delete preference": try_write(conn, "delete from crm.notification_preferences where user_id = %(rep_a)s", p),
        "insert preference for A": try_write(conn, "insert into crm.notification_preferences (user_id, kind, channel) values (%(rep_a)s, 'meeting_soon', 'off')", p),
        "read settings": conn.execute("select count(*) from crm.notification_settings where user_id = %(rep_a)s", p).fetchone()[0] == 1,
        "change settings": try_write(conn, "update crm.notification_settings set email_mode = 'each' where user_id = %(rep_a)s", p),
    }  # fmt: skip


A_ONLY = {"read notice", "mark read", "read preference", "change preference", "delete preference",
          "insert preference for A", "read settings", "change settings"}  # fmt: skip


@pytest.mark.parametrize("identity", IDENTITIES)
def test_notifications_matrix(admin_conn, identity):
    ids = _notification_world(admin_conn)
    allowed = notification_access(admin_conn, ids, identity)
    assert {what for what, yes in allowed.items() if yes} == (A_ONLY if identity == "rep_a" else set())


def test_notifications_matrix_fails_when_the_policy_is_broken(admin_conn):
    """The matrix above catches a leak: with the read policy opened to everyone (in this rolled-back
    transaction), rep B reads A's notice and the matrix's expectation no longer holds."""
    ids = _notification_world(admin_conn)
    admin_conn.execute('alter policy "notifications: read own" on crm.notifications using (true)')
    allowed = notification_access(admin_conn, ids, "rep_b")
    assert allowed["read notice"]
    assert {what for what, yes in allowed.items() if yes} != set()

# mailbox sync (sql/policies/mail.sql): table -> (insert of a row of %(owner)s, harmless update, who reads rep
# A's row, who updates it, who deletes it). Everybody inserts their own rows and nobody, admins included,
# inserts rows in someone else's name.
MAIL_TABLES = {
    "mail_accounts": ("insert into crm.mail_accounts (user_id, imap_url, password_encrypted) values (%(owner)s, 'imaps://u@mail.example/INBOX', '\\x01')",
                      "status_message = 'x'", {"rep_a", "admin"}, {"rep_a"}, {"rep_a", "admin"}),
    "mail_messages": ("insert into crm.mail_messages (user_id, message_id, folder, uid, direction) values (%(owner)s, gen_random_uuid()::text, 'INBOX', 1, 'inbound')",
                      "folder = 'Sent'", OWNER_TEAM_READ, {"rep_a"}, {"rep_a"}),
    "mail_contact_suggestions": ("insert into crm.mail_contact_suggestions (user_id, email, company_id) values (%(owner)s, gen_random_uuid()::text || '@a.example', %(company)s)",
                                 "status = 'dismissed'", {"rep_a"}, {"rep_a"}, {"rep_a"}),
    "mail_never_log": ("insert into crm.mail_never_log (user_id, entry) values (%(owner)s, substr(md5(random()::text), 1, 8) || '.example')",
                       "entry = 'other.example'", {"rep_a"}, {"rep_a"}, {"rep_a"}),
}  # fmt: skip


def attempt(conn, statement: str, params: dict) -> bool:
    """True if the write went through (then undone); False if RLS or privileges refused it."""
    done = False
    try:
        with conn.transaction():
            done = conn.execute(statement, params).rowcount > 0
            raise psycopg.Rollback()
    except psycopg.errors.InsufficientPrivilege:
        return False
    return done


@pytest.mark.parametrize("table", list(MAIL_TABLES))
@pytest.mark.parametrize("identity", IDENTITIES)
def test_mail_tables_matrix(admin_conn, table, identity):
    insert, assignment, readers, updaters, deleters = MAIL_TABLES[table]
    ids = build_world(admin_conn)
    act(admin_conn, ids[identity])
    assert attempt(admin_conn, insert, ids | {"owner": ids[identity]})  # one's own
    assert attempt(admin_conn, insert, ids | {"owner": ids["rep_a"]}) == (identity == "rep_a")  # never for another
    admin_conn.execute("reset role")
    row = admin_conn.execute(q(insert.replace("%(owner)s", "%(rep_a)s") + " returning id", table), ids).fetchone()[0]
    act(admin_conn, ids[identity])
    seen = admin_conn.execute(q("select count(*) from crm.{} where id = %s", table), (row,)).fetchone()[0]
    assert seen == (identity in readers)
    assert attempt(admin_conn, f"update crm.{table} set {assignment} where id = %(row)s", {"row": row}) == (identity in updaters)
    assert attempt(admin_conn, f"delete from crm.{table} where id = %(row)s", {"row": row}) == (identity in deleters)


@pytest.mark.parametrize("identity", IDENTITIES)
def test_nobody_in_the_app_reads_a_mailbox_password(admin_conn, identity):
    """crm_app may write a mailbox's sealed password, never select it: not its owner, not an admin."""
    ids = build_world(admin_conn)
    admin_conn.execute(MAIL_TABLES["mail_accounts"][0], ids | {"owner": ids["rep_a"]})
    act(admin_conn, ids[identity])
    for statement in ("select password_encrypted from crm.mail_accounts", "select * from crm.mail_accounts",
                      "select count(*) from crm.mail_accounts where password_encrypted is not null"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
            admin_conn.execute(statement)
    # the sync's own update of the password (a reconnect) is allowed to its owner, without reading it
    assert attempt(admin_conn, "update crm.mail_accounts set password_encrypted = '\\x02' where user_id = %(rep_a)s",
                   ids) == (identity == "rep_a")  # fmt: skip
