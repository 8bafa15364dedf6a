"""What the triggers keep true: the audit trail, deal closing, task completion."""

from __future__ import annotations

from tests.constraint_cases import insert_graph


def test_audit_log_records_each_change_with_actor_and_row(admin_conn):
    ids = insert_graph(admin_conn)
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["user"]),))
    admin_conn.execute("update crm.companies set name = 'Acme Two', industry = 'Retail' where id = %(company)s", ids)
    admin_conn.execute("update crm.companies set name = name where id = %(company)s", ids)  # no change
    rows = admin_conn.execute(
        """select action, actor_id, row_id, changed_columns, old_values, new_values
           from crm.audit_log where table_name = 'companies' and row_id = %(company)s order by id""",
        ids,
    ).fetchall()
    # one insert (before the actor was set) and one update; the no-op update wrote nothing
    assert [r[0] for r in rows] == ["insert", "update"]
    action, actor, row_id, changed, old, new = rows[1]
    assert (actor, row_id) == (ids["user"], ids["company"])
    assert changed == ["industry", "name"]
    assert old == {"industry": None, "name": "Acme"} and new == {"industry": "Retail", "name": "Acme Two"}


def test_rolled_back_change_leaves_no_audit_row(admin_conn):
    ids = insert_graph(admin_conn)
    before = admin_conn.execute("select count(*) from crm.audit_log").fetchone()[0]
    try:
        with admin_conn.transaction():
            admin_conn.execute("update crm.deals set value = 5 where id = %(deal)s", ids)
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert admin_conn.execute("select count(*) from crm.audit_log").fetchone()[0] == before


def stage(conn, name: str):
    return conn.execute("select id from crm.deal_stages where name = %s", (name,)).fetchone()[0]


def test_deal_closed_at_follows_status(admin_conn):
    ids = insert_graph(admin_conn)
    # won: closed now; reopened: not closed; status sent by a writer is overridden by the stage
    admin_conn.execute("update crm.deals set stage_id = %s where id = %s", (stage(admin_conn, "Won"), ids["deal"]))
    assert admin_conn.execute(
        "select status, closed_at is not null from crm.deals where id = %(deal)s", ids
    ).fetchone() == ("won", True)
    admin_conn.execute("update crm.deals set closed_at = '2001-01-01' where id = %(deal)s", ids)
    admin_conn.execute("update crm.deals set stage_id = %s where id = %s", (stage(admin_conn, "Lost"), ids["deal"]))
    status, closed_year = admin_conn.execute(
        "select status, extract(year from closed_at)::int from crm.deals where id = %(deal)s", ids
    ).fetchone()
    # won -> lost re-stamps the closing time
    assert status == "lost" and closed_year > 2001
    admin_conn.execute(
        "update crm.deals set stage_id = %s, status = 'won' where id = %s",
        (stage(admin_conn, "Verbal"), ids["deal"]),
    )
    assert admin_conn.execute("select status, closed_at from crm.deals where id = %(deal)s", ids).fetchone() == (
        "active",
        None,
    )


def test_task_completed_at_follows_status(admin_conn):
    ids = insert_graph(admin_conn)
    admin_conn.execute("update crm.tasks set status = 'completed' where id = %(task)s", ids)
    assert admin_conn.execute("select completed_at is not null from crm.tasks where id = %(task)s", ids).fetchone()[0]
    admin_conn.execute("update crm.tasks set status = 'pending' where id = %(task)s", ids)
    assert admin_conn.execute("select completed_at from crm.tasks where id = %(task)s", ids).fetchone()[0] is None


def test_task_creator_defaults_to_acting_user(admin_conn):
    ids = insert_graph(admin_conn)
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["user2"]),))
    creator = admin_conn.execute(
        "insert into crm.tasks (title, assigned_to) values ('x', %(user)s) returning created_by", ids
    ).fetchone()[0]
    assert creator == ids["user2"]
