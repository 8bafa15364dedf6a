"""Who may do what, proven at the database (SECURITY.md T3/T4).

Each case runs in one transaction on a superuser connection: build the people
and rep A's rows, then ``set local role crm_app`` (the app's role, subject to
row-level security), act as one identity with ``set_config('app.user_id', ...,
true)``, try one operation, and roll everything back.

Spec: a rep reads and writes own rows; the manager of A's team reads A's rows
but writes only their own; an admin does everything; another rep or another
team's manager sees nothing; stakeholder maps are admin-written; nobody
writes the audit log.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.conftest import new_id

IDENTITIES = ["rep_a", "rep_b", "rep_c", "manager_ab", "manager_c", "admin"]
ANONYMOUS = {
    "unset": None,
    "empty": "",
    "nonexistent": "00000000-0000-4000-8000-000000000000",
    "junk": "abc'; drop",
}


def build_world(conn, act_as_rep_a: bool = True) -> dict[str, str]:
    """Two teams, six people, and one row of rep A's in every business table.

    The rows are written while acting as A (so the audit log names A), unless
    the test needs app.user_id never to have been set in this session.
    """
    ids = {key: new_id() for key in IDENTITIES + [
        "team_1", "team_2", "company", "contact", "deal", "activity", "meeting", "task",
        "interaction", "stakeholder", "mapping",
    ]}  # fmt: skip
    ids["stage"] = str(conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0])
    conn.execute(
        "insert into crm.teams (id, name) values (%(team_1)s, 'M1 ' || %(team_1)s::text), (%(team_2)s, 'M2 ' || %(team_2)s::text)",
        ids,
    )
    people = [("admin", "admin", None), ("manager_ab", "manager", "team_1"), ("manager_c", "manager", "team_2"),
              ("rep_a", "rep", "team_1"), ("rep_b", "rep", "team_1"), ("rep_c", "rep", "team_2")]  # fmt: skip
    for key, role, team in people:
        conn.execute(
            "insert into crm.users (id, email, full_name, role, team_id) values (%s, %s, %s, %s, %s)",
            (ids[key], f"{ids[key]}@matrix.example", key, role, ids[team] if team else None),
        )
    conn.execute("update crm.teams set manager_id = %(manager_ab)s where id = %(team_1)s", ids)
    conn.execute("update crm.teams set manager_id = %(manager_c)s where id = %(team_2)s", ids)
    if act_as_rep_a:
        conn.execute("select set_config('app.user_id', %s, true)", (str(ids["rep_a"]),))
    for statement in [
        "insert into crm.companies (id, name, owner_id) values (%(company)s, 'A Co', %(rep_a)s)",
        "insert into crm.contacts (id, first_name, owner_id, company_id) values (%(contact)s, 'Ann', %(rep_a)s, %(company)s)",
        "insert into crm.deals (id, name, stage_id, owner_id, company_id, primary_contact_id) values (%(deal)s, 'A deal', %(stage)s, %(rep_a)s, %(company)s, %(contact)s)",
        "insert into crm.activities (id, user_id, type, company_id, deal_id) values (%(activity)s, %(rep_a)s, 'call', %(company)s, %(deal)s)",
        "insert into crm.meetings (id, title, starts_at, owner_id) values (%(meeting)s, 'A meeting', now(), %(rep_a)s)",
        "insert into crm.tasks (id, title, assigned_to, created_by) values (%(task)s, 'A task', %(rep_a)s, %(rep_a)s)",
        "insert into crm.contact_interactions (id, contact_id, user_id, interaction_type, interaction_date) values (%(interaction)s, %(contact)s, %(rep_a)s, 'call', now())",
        "insert into crm.deal_stakeholders (id, deal_id, contact_id) values (%(stakeholder)s, %(deal)s, %(contact)s)",
        "insert into crm.import_mappings (id, user_id, entity, name) values (%(mapping)s, %(rep_a)s, 'companies', 'A map')",
    ]:
        conn.execute(statement, ids)
    return ids


# table -> (key to rep A's row, owner column, insert of a row owned by %(owner)s, harmless update)
TABLES = {
    "companies": ("company", "owner_id", "insert into crm.companies (name, owner_id) values ('New', %(owner)s)", "name = name || '!'"),
    "contacts": ("contact", "owner_id", "insert into crm.contacts (first_name, owner_id) values ('New', %(owner)s)", "title = 'CFO'"),
    "deals": ("deal", "owner_id", "insert into crm.deals (name, stage_id, owner_id) values ('New', %(stage)s, %(owner)s)", "value = value + 1"),
    "activities": ("activity", "user_id", "insert into crm.activities (user_id, type) values (%(owner)s, 'email')", "details = 'edited'"),
    "meetings": ("meeting", "owner_id", "insert into crm.meetings (title, starts_at, owner_id) values ('New', now(), %(owner)s)", "summary = 'edited'"),
    "tasks": ("task", "assigned_to", "insert into crm.tasks (title, assigned_to, created_by) values ('New', %(owner)s, %(owner)s)", "priority = 'high'"),
    "contact_interactions": ("interaction", "user_id", "insert into crm.contact_interactions (contact_id, user_id, interaction_type, interaction_date) values (%(contact)s, %(owner)s, 'email', now())", "notes = 'edited'"),
    "deal_stakeholders": ("stakeholder", None, "insert into crm.deal_stakeholders (deal_id, contact_id) values (%(deal)s, %(new_contact)s)", "notes = 'edited'"),
    "audit_log": (None, "actor_id", "insert into crm.audit_log (table_name, action) values ('deals', 'insert')", "table_name = 'x'"),
    "import_mappings": ("mapping", "user_id", "insert into crm.import_mappings (user_id, entity, name) values (%(owner)s, 'deals', 'New')", "name = 'Renamed'"),
}  # fmt: skip
OWN_ONLY = {"rep_a", "admin"}  # a saved import mapping is its user's (admins: everyone's)

OWNER_TEAM_READ = {"rep_a", "manager_ab", "admin"}
OWNER_WRITE = {"rep_a", "admin"}
ALL = set(IDENTITIES)
# operation -> table -> identities allowed; "insert_own" = a row owned by the actor,
# "insert_for_a" = a row owned by rep A (taking someone else's ownership)
EXPECTED = {
    "select": {t: OWNER_TEAM_READ for t in TABLES} | {"audit_log": {"rep_a", "admin"}, "import_mappings": OWN_ONLY},
    "update": {t: OWNER_WRITE for t in TABLES} | {"deal_stakeholders": {"admin"}, "audit_log": set()},
    "delete": {t: OWNER_WRITE for t in TABLES} | {"deal_stakeholders": {"admin"}, "audit_log": set()},
    "insert_own": {t: ALL for t in TABLES} | {"deal_stakeholders": {"admin"}, "audit_log": set()},
    "insert_for_a": {t: OWNER_WRITE for t in TABLES}
    | {"tasks": {"rep_a", "manager_ab", "admin"}, "deal_stakeholders": {"admin"}, "audit_log": set()},
}
# a manager may give their team member a task (created_by stays the manager)
TASK_FOR_A = "insert into crm.tasks (title, assigned_to, created_by) values ('New', %(rep_a)s, %(actor)s)"


def q(template: str, table: str) -> sql.Composed:
    """``template`` with the table name quoted as an identifier (names come from TABLES)."""
    return sql.SQL(template).format(sql.Identifier(table))


def act(conn, user_id) -> None:
    conn.execute("set local role crm_app")
    if user_id is not None:
        conn.execute("select set_config('app.user_id', %s, true)", (str(user_id),))


def try_write(conn, sql: str, params: dict) -> bool:
    """True if the write went through; False if RLS or privileges refused it (42501)."""
    try:
        with conn.transaction():
            cursor = conn.execute(sql, params)
            return cursor.rowcount > 0
    except psycopg.errors.InsufficientPrivilege:
        return False


def audit_row(conn, ids) -> int:
    return conn.execute("select id from crm.audit_log where actor_id = %(rep_a)s order by id limit 1", ids).fetchone()[
        0
    ]


CASES = [(op, table, who) for op in EXPECTED for table in TABLES for who in IDENTITIES]


@pytest.mark.parametrize(("operation", "table", "identity"), CASES, ids=["-".join(c) for c in CASES])
def test_access_matrix(admin_conn, operation, table, identity):
    ids = build_world(admin_conn)
    key, owner_column, insert_sql, assignment = TABLES[table]
    row_id = ids[key] if key else audit_row(admin_conn, ids)
    before = admin_conn.execute(q("select to_jsonb(t) from crm.{} t where id = %s", table), (row_id,)).fetchone()[0]
    new_contact = admin_conn.execute(
        "insert into crm.contacts (first_name, owner_id) values ('Other', %(rep_a)s) returning id", ids
    ).fetchone()[0]
    act(admin_conn, ids[identity])
    allowed = identity in EXPECTED[operation][table]
    params = ids | {"actor": ids[identity], "new_contact": new_contact}

    if operation == "select":
        seen = admin_conn.execute(q("select count(*) from crm.{} where id = %s", table), (row_id,)).fetchone()[0]
        assert seen == (1 if allowed else 0)
        return
    if operation in ("update", "delete"):
        sql = (f"update crm.{table} set {assignment} where id = %(row)s" if operation == "update"
               else f"delete from crm.{table} where id = %(row)s")  # fmt: skip
        assert try_write(admin_conn, sql, params | {"row": row_id}) == allowed
        if not allowed:
            # refused: re-read as the superuser, the row is exactly as before
            admin_conn.execute("reset role")
            after = admin_conn.execute(q("select to_jsonb(t) from crm.{} t where id = %s", table), (row_id,)).fetchone()
            assert after is not None and after[0] == before
        return
    owner = ids[identity] if operation == "insert_own" else ids["rep_a"]
    sql = TASK_FOR_A if (table == "tasks" and operation == "insert_for_a") else insert_sql
    assert try_write(admin_conn, sql, params | {"owner": owner}) == allowed


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("anonymous", list(ANONYMOUS))
def test_missing_or_bad_identity_sees_and_writes_nothing(admin_conn, table, anonymous):
    ids = build_world(admin_conn, act_as_rep_a=False)
    key, _, insert_sql, _ = TABLES[table]
    act(admin_conn, ANONYMOUS[anonymous])
    # no exception, zero rows, whatever app.user_id holds
    assert admin_conn.execute(q("select count(*) from crm.{}", table)).fetchone()[0] == 0
    assert not try_write(admin_conn, insert_sql, ids | {"owner": ids["rep_a"], "new_contact": ids["contact"]})
    if key:
        assert admin_conn.execute(q("delete from crm.{} where id = %s", table), (ids[key],)).rowcount == 0


def test_identity_after_commit_is_empty(app_url):
    """A second transaction on a connection whose first set a user and committed sees nothing."""
    from dashboard import pg

    with psycopg.connect(pg.libpq_url(app_url)) as conn:
        first = conn.execute("select id from crm.users limit 1").fetchall()
        conn.execute("select set_config('app.user_id', gen_random_uuid()::text, true)")
        conn.commit()
        # after commit the setting is '' (not unset): still no rows, no error
        assert conn.execute("select current_setting('app.user_id', true)").fetchone()[0] == ""
        assert conn.execute("select count(*) from crm.users").fetchone()[0] == 0
    assert first == []


def test_reach_through_a_deal(admin_conn):
    """Rep B's deal at rep A's company lets B read that company and contact, not change them."""
    ids = build_world(admin_conn)
    admin_conn.execute(
        "insert into crm.deals (name, stage_id, owner_id, company_id, primary_contact_id) values ('B deal', %(stage)s, %(rep_b)s, %(company)s, %(contact)s)",
        ids,
    )
    act(admin_conn, ids["rep_b"])
    assert admin_conn.execute("select count(*) from crm.companies where id = %(company)s", ids).fetchone()[0] == 1
    assert admin_conn.execute("select count(*) from crm.contacts where id = %(contact)s", ids).fetchone()[0] == 1
    assert admin_conn.execute("update crm.companies set name = 'mine' where id = %(company)s", ids).rowcount == 0
    # rep C, with no such deal, still sees neither
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["rep_c"]),))
    assert admin_conn.execute("select count(*) from crm.companies where id = %(company)s", ids).fetchone()[0] == 0


def test_reach_through_a_deal_stakeholder(admin_conn):
    """A contact who is only a stakeholder (not the primary contact) of rep B's deal: B and B's manager
    read it, rep C does not, and B cannot change it. Without the stakeholder row B loses it."""
    ids = build_world(admin_conn)
    ids["b_deal"] = new_id()
    act(admin_conn, ids["admin"])  # stakeholder maps are admin-written
    admin_conn.execute(
        "insert into crm.deals (id, name, stage_id, owner_id) values (%(b_deal)s, 'B deal', %(stage)s, %(rep_b)s)", ids
    )
    admin_conn.execute("insert into crm.deal_stakeholders (deal_id, contact_id) values (%(b_deal)s, %(contact)s)", ids)
    # the contact now belongs to manager C (the other team); A's deal keeps it only as a stakeholder
    admin_conn.execute("update crm.contacts set owner_id = %(manager_c)s where id = %(contact)s", ids)
    admin_conn.execute("update crm.deals set primary_contact_id = null where id = %(deal)s", ids)

    def readers() -> dict[str, int]:
        seen = {}
        for who in ("rep_a", "rep_b", "rep_c", "manager_ab", "manager_c"):
            admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids[who]),))
            seen[who] = admin_conn.execute("select count(*) from crm.contacts where id = %(contact)s", ids).fetchone()[0]
        return seen

    # B through B's deal, A and A's manager through A's deal, manager C as the owner; rep C has no way in
    assert readers() == {"rep_a": 1, "rep_b": 1, "rep_c": 0, "manager_ab": 1, "manager_c": 1}
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["rep_b"]),))
    assert admin_conn.execute("update crm.contacts set title = 'x' where id = %(contact)s", ids).rowcount == 0
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["admin"]),))
    admin_conn.execute("delete from crm.deal_stakeholders where deal_id = %(b_deal)s", ids)
    assert readers() == {"rep_a": 1, "rep_b": 0, "rep_c": 0, "manager_ab": 1, "manager_c": 1}


def test_owner_cannot_give_a_row_away(admin_conn):
    ids = build_world(admin_conn)
    act(admin_conn, ids["rep_a"])
    # WITH CHECK: the updated row must still be A's
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin_conn.execute("update crm.deals set owner_id = %(rep_b)s where id = %(deal)s", ids)


def test_rep_cannot_promote_themself(admin_conn):
    ids = build_world(admin_conn)
    act(admin_conn, ids["rep_a"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only an admin"):
        admin_conn.execute("update crm.users set role = 'admin' where id = %(rep_a)s", ids)


def test_deactivated_user_sees_nothing(admin_conn):
    ids = build_world(admin_conn)
    admin_conn.execute("update crm.users set is_active = false where id = %(rep_a)s", ids)
    act(admin_conn, ids["rep_a"])
    assert admin_conn.execute("select count(*) from crm.deals").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("abc'; drop", None),
        ("451b4cf3-6123-4df7-b656", None),  # too short
        ("451b4cf3-6123-4df7-b656-af7229d4beef", "451b4cf3-6123-4df7-b656-af7229d4beef"),
        ("451B4CF3-6123-4DF7-B656-AF7229D4BEEF", "451b4cf3-6123-4df7-b656-af7229d4beef"),
        ("451b4cf361234df7b656af7229d4beef", "451b4cf3-6123-4df7-b656-af7229d4beef"),
    ],
)
def test_current_user_id_reads_only_a_uuid(admin_conn, raw, expected):
    """app.user_id is a uuid or nobody: anything else reads as null, never an error."""
    act(admin_conn, raw)
    value = admin_conn.execute("select app.current_user_id()").fetchone()[0]
    assert (str(value) if value else None) == expected


@pytest.mark.parametrize("identity", IDENTITIES)
def test_nobody_reads_or_writes_sessions(admin_conn, identity):
    """crm.sessions is the identity itself: not even an admin touches it except through app.log_in and
    the other definer functions (tests/test_identity.py)."""
    ids = build_world(admin_conn)
    admin_conn.execute(
        "insert into crm.sessions (token_hash, user_id, expires_at) values (sha256('matrix'), %s, now() + interval '1 hour')",
        (ids["rep_a"],),
    )
    act(admin_conn, ids[identity])
    for statement in [
        "select count(*) from crm.sessions",
        "insert into crm.sessions (token_hash, user_id, expires_at) values (sha256('mine'), %(actor)s, now() + interval '1 hour')",
        "update crm.sessions set revoked_at = null",
        "delete from crm.sessions",
    ]:
        assert not try_write(admin_conn, statement, ids | {"actor": ids[identity]}), statement


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
