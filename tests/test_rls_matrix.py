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
