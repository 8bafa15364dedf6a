"""Every CHECK and foreign key in the schema rejects a bad row.

A small valid graph (one row per table) is inserted; each case then breaks one
rule on one row and expects PostgreSQL to refuse it *by that constraint's
name*. The catalog tests fail when a constraint is added without a case here.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.constraint_cases import CHECK_CASES, INSERT_CASES, ROW, TRIGGER_KEPT_CASES, insert_graph


@pytest.fixture
def graph(admin_conn):
    return insert_graph(admin_conn)


def expect_violation(conn, sql: str, params: dict, constraint: str) -> None:
    with pytest.raises(psycopg.errors.IntegrityError) as caught:
        with conn.transaction():  # a savepoint: the graph survives the failure
            conn.execute(sql, params)
    assert caught.value.diag.constraint_name == constraint


@pytest.mark.parametrize(("table", "assignment", "constraint"), CHECK_CASES, ids=[c[2] for c in CHECK_CASES])
def test_check_constraint_rejects_bad_value(admin_conn, graph, table, assignment, constraint):
    # the graph's row in this table takes the bad value: the named CHECK refuses it
    expect_violation(admin_conn, f"update crm.{table} set {assignment} where {ROW[table]}", graph, constraint)


@pytest.mark.parametrize(
    ("table", "assignment", "constraint"), TRIGGER_KEPT_CASES, ids=[c[2] for c in TRIGGER_KEPT_CASES]
)
def test_check_constraint_backs_up_trigger(admin_conn, graph, table, assignment, constraint):
    admin_conn.execute("set local session_replication_role = replica")
    expect_violation(admin_conn, f"update crm.{table} set {assignment} where {ROW[table]}", graph, constraint)


def test_every_check_constraint_has_a_case(admin_conn):
    # a CHECK added to the schema without a case above fails here
    named = {c[2] for c in CHECK_CASES + TRIGGER_KEPT_CASES + INSERT_CASES}
    in_schema = {
        row[0]
        for row in admin_conn.execute(
            "select conname from pg_constraint where contype = 'c' and connamespace = 'crm'::regnamespace"
        )
    }
    assert in_schema == named


@pytest.mark.parametrize(("table", "sql", "constraint"), INSERT_CASES, ids=[c[2] for c in INSERT_CASES])
def test_check_constraint_rejects_bad_insert(admin_conn, table, sql, constraint):
    expect_violation(admin_conn, sql, {}, constraint)


FOREIGN_KEYS = """
    select c.conname, c.conrelid::regclass::text, a.attname
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.connamespace = 'crm'::regnamespace
    order by 1
"""


def test_every_foreign_key_rejects_a_dangling_reference(admin_conn, graph):
    rows = admin_conn.execute(FOREIGN_KEYS).fetchall()
    # sanity: the schema really has its foreign keys (every relationship in DESIGN.md)
    assert len(rows) >= 50
    checked = []
    for constraint, table, column in rows:
        table_name = table.split(".")[-1]
        # point the graph's row at an id that exists nowhere: the named FK refuses it
        # only a lost deal has a reason (others have it dropped by the sync_status_from_stage trigger)
        lost = ", stage_id = (select id from crm.deal_stages where is_lost limit 1)" if column == "lost_reason_id" else ""
        expect_violation(
            admin_conn,
            f"update {table} set {column} = gen_random_uuid(){lost} where {ROW[table_name]}",
            graph,
            constraint,
        )
        checked.append(constraint)
    assert len(checked) == len(rows)


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        (
            "insert into crm.companies (name, domain, owner_id) values ('Dup', (select domain from crm.companies where id = %(company)s), %(user)s)",
            "unique_companies_domain",
        ),
        (
            "insert into crm.contacts (first_name, email, owner_id) values ('Dup', upper((select email from crm.contacts where id = %(contact)s)), %(user)s)",
            "unique_contacts_lower_email",
        ),
        (
            "insert into crm.users (email, full_name) values (upper(%(user)s::text || '@x.example'), 'Dup')",
            "unique_users_lower_email",
        ),
        (
            "insert into crm.deal_stakeholders (deal_id, contact_id) values (%(deal)s, %(contact)s)",
            "unique_deal_stakeholders_deal_id_and_contact_id",
        ),
        (
            "insert into crm.targets (user_id, month) values (%(user)s, '2026-11-01')",
            "unique_targets_user_id_and_month",
        ),
        (
            "insert into crm.quotas (user_id, month, amount) values (%(user)s, '2026-11-01', 5)",
            "unique_quotas_user_id_and_month",
        ),
        (
            "insert into crm.forecast_snapshots (user_id, month) values (%(user)s, '2026-11-01')",
            "unique_forecast_snapshots_user_id_and_month",
        ),
    ],
    ids=[
        "company-domain",
        "contact-email-any-case",
        "user-email-any-case",
        "stakeholder-once",
        "target-month-once",
        "quota-month-once",
        "snapshot-month-once",
    ],
)
def test_unique_rules(admin_conn, graph, sql, constraint):
    expect_violation(admin_conn, sql, graph, constraint)


def test_deal_status_follows_stage_and_history_is_written(admin_conn, graph):
    # moving the deal to Won closes it as won and records the move
    admin_conn.execute(
        "update crm.deals set stage_id = (select id from crm.deal_stages where is_won) where id = %(deal)s",
        graph,
    )
    status, closed = admin_conn.execute(
        "select status, closed_at is not null from crm.deals where id = %(deal)s", graph
    ).fetchone()
    assert (status, closed) == ("won", True)
    stages = admin_conn.execute(
        """select f.name, t.name from crm.deal_stage_history h
           left join crm.deal_stages f on f.id = h.from_stage_id join crm.deal_stages t on t.id = h.to_stage_id
           where h.deal_id = %(deal)s order by h.changed_at, f.name nulls first""",
        graph,
    ).fetchall()
    # first row: created in Lead; second: Lead -> Won
    assert stages == [(None, "Lead"), ("Lead", "Won")]


def test_task_hierarchy_depth_and_cycles(admin_conn, graph):
    # graph: task (depth 1) -> subtask (depth 2); add levels 3, 4, 5
    parent = graph["subtask"]
    for _ in range(3):
        parent = admin_conn.execute(
            "insert into crm.tasks (title, assigned_to, parent_task_id) values ('t', %s, %s) returning id",
            (graph["user"], parent),
        ).fetchone()[0]
    assert admin_conn.execute("select depth from crm.tasks where id = %s", (parent,)).fetchone()[0] == 5
    # a sixth level is refused
    expect_violation(
        admin_conn,
        "insert into crm.tasks (title, assigned_to, parent_task_id) values ('too deep', %(user)s, %(parent)s)",
        {"user": graph["user"], "parent": parent},
        "check_tasks_depth_range",
    )
    # moving the root under its own descendant is a cycle
    expect_violation(
        admin_conn,
        "update crm.tasks set parent_task_id = %(parent)s where id = %(task)s",
        {"parent": parent, "task": graph["task"]},
        "check_tasks_no_cycle",
    )
    # moving the subtask (with its 3 levels below) to the top re-depths the subtree: 1..4
    admin_conn.execute("update crm.tasks set parent_task_id = null where id = %(subtask)s", graph)
    depths = admin_conn.execute(
        """with recursive sub(id) as (select %(subtask)s::uuid union all
             select t.id from crm.tasks t join sub on t.parent_task_id = sub.id)
           select array_agg(depth order by depth) from crm.tasks where id in (select id from sub)""",
        graph,
    ).fetchone()[0]
    assert depths == [1, 2, 3, 4]


def test_updated_at_trigger(admin_conn, graph):
    before = admin_conn.execute("select updated_at from crm.companies where id = %(company)s", graph).fetchone()[0]
    admin_conn.execute("update crm.companies set updated_at = '2000-01-01' where id = %(company)s", graph)
    after = admin_conn.execute("select updated_at from crm.companies where id = %(company)s", graph).fetchone()[0]
    # the trigger overrides whatever the writer put in updated_at
    assert after == before
