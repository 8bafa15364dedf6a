"""No write reaches rows the actor cannot write (issue 14, finding 1), proven at the database.

Foreign-key cascades (ON DELETE CASCADE / SET NULL) and SECURITY DEFINER triggers bypass row-level
security. Each case links a row of rep B's to one of rep A's records, lets rep A (as ``crm_app``)
delete or change that record, and checks that the database refuses (42501, constraint
``writes_stay_on_writable_records``) and that B's row and A's record are exactly as before. The
allowed paths (own rows, admins, connections without an acting user) still cascade.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.conftest import new_id
from tests.test_rls_matrix import act, build_world

GUARD = "writes_stay_on_writable_records"

B_DEAL = "insert into crm.deals (id, name, stage_id, owner_id) values (%(b)s, 'B deal', %(stage)s, %(rep_b)s)"
B_MEETING = "insert into crm.meetings (id, title, starts_at, owner_id) values (%(b)s, 'B meeting', now(), %(rep_b)s)"
B_ACTIVITY = "insert into crm.activities (id, user_id, type) values (%(b)s, %(rep_b)s, 'call')"
B_TASK = "insert into crm.tasks (id, title, assigned_to, created_by) values (%(b)s, 'B task', %(rep_b)s, %(rep_b)s)"
OTHER = "%(other)s"  # a second row of B's that the first links

# case -> (B's rows and links to A's records, the table of B's row %(b)s that must not change, A's write)
CASES = {
    "contact: stakeholder on B's deal": (
        [B_DEAL, "insert into crm.deal_stakeholders (id, deal_id, contact_id, notes) values (%(link)s, %(b)s, %(contact)s, 'secret')"],
        "deal_stakeholders", "delete from crm.contacts where id = %(contact)s"),
    "contact: primary contact of B's deal": (
        [B_DEAL.replace("owner_id)", "owner_id, primary_contact_id)").replace("%(rep_b)s)", "%(rep_b)s, %(contact)s)")],
        "deals", "delete from crm.contacts where id = %(contact)s"),
    "contact: attendee of B's meeting": (
        [B_MEETING, "insert into crm.meeting_attendees (id, meeting_id, contact_id, name) values (%(link)s, %(b)s, %(contact)s, 'Ann')"],
        "meeting_attendees", "delete from crm.contacts where id = %(contact)s"),
    "contact: B's interaction": (
        ["insert into crm.contact_interactions (id, contact_id, user_id, interaction_type, interaction_date) values (%(b)s, %(contact)s, %(rep_b)s, 'call', now())"],
        "contact_interactions", "delete from crm.contacts where id = %(contact)s"),
    "contact: B's task": (
        [B_TASK, "update crm.tasks set contact_id = %(contact)s where id = %(b)s"],
        "tasks", "delete from crm.contacts where id = %(contact)s"),
    "company: B's contact": (
        ["insert into crm.contacts (id, first_name, owner_id, company_id) values (%(b)s, 'Bea', %(rep_b)s, %(company)s)"],
        "contacts", "delete from crm.companies where id = %(company)s"),
    "company: B's deal": (
        [B_DEAL, "update crm.deals set company_id = %(company)s where id = %(b)s"],
        "deals", "delete from crm.companies where id = %(company)s"),
    "company: B's activity": (
        [B_ACTIVITY, "update crm.activities set company_id = %(company)s where id = %(b)s"],
        "activities", "delete from crm.companies where id = %(company)s"),
    "company: B's meeting": (
        [B_MEETING, "update crm.meetings set company_id = %(company)s where id = %(b)s"],
        "meetings", "delete from crm.companies where id = %(company)s"),
    "deal: B's activity": (
        [B_ACTIVITY, "update crm.activities set deal_id = %(deal)s where id = %(b)s"],
        "activities", "delete from crm.deals where id = %(deal)s"),
    "deal: B's meeting's primary deal": (
        [B_MEETING, "update crm.meetings set primary_deal_id = %(deal)s where id = %(b)s"],
        "meetings", "delete from crm.deals where id = %(deal)s"),
    "deal: B's task": (
        [B_TASK, "update crm.tasks set deal_id = %(deal)s where id = %(b)s"],
        "tasks", "delete from crm.deals where id = %(deal)s"),
    "meeting: B's activity's meeting link": (
        [B_ACTIVITY, "insert into crm.activity_meetings (activity_id, meeting_id) values (%(b)s, %(meeting)s)"],
        "activity_meetings", "delete from crm.meetings where id = %(meeting)s"),
    "meeting: linked to B's deal": (
        [B_DEAL, "insert into crm.deal_meetings (deal_id, meeting_id) values (%(b)s, %(meeting)s)"],
        "deal_meetings", "delete from crm.meetings where id = %(meeting)s"),
    "meeting: in B's deal's sequence": (
        [B_DEAL, "insert into crm.meeting_sequences (id, deal_id, meeting_id, sequence_number) values (%(link)s, %(b)s, %(meeting)s, 1)"],
        "meeting_sequences", "delete from crm.meetings where id = %(meeting)s"),
    "meeting: previous meeting in B's sequence": (
        [B_DEAL, B_MEETING.replace("%(b)s", OTHER),
         "insert into crm.meeting_sequences (id, deal_id, meeting_id, sequence_number, previous_meeting_id) values (%(link)s, %(b)s, %(other)s, 2, %(meeting)s)"],
        "meeting_sequences", "delete from crm.meetings where id = %(meeting)s"),
    "meeting: B's interaction": (
        ["insert into crm.contact_interactions (id, contact_id, user_id, meeting_id, interaction_type, interaction_date) values (%(b)s, %(contact)s, %(rep_b)s, %(meeting)s, 'meeting', now())"],
        "contact_interactions", "delete from crm.meetings where id = %(meeting)s"),
    "meeting: B's task": (
        [B_TASK, "update crm.tasks set meeting_id = %(meeting)s where id = %(b)s"],
        "tasks", "delete from crm.meetings where id = %(meeting)s"),
    "task: B's subtask": (
        [B_TASK, "update crm.tasks set parent_task_id = %(task)s where id = %(b)s"],
        "tasks", "delete from crm.tasks where id = %(task)s"),
    "task: action item of B's meeting": (
        [B_MEETING, "insert into crm.meeting_action_items (id, meeting_id, description, task_id) values (%(link)s, %(b)s, 'do', %(task)s)"],
        "meeting_action_items", "delete from crm.tasks where id = %(task)s"),
    "contact's company change: B's activity links": (
        ["insert into crm.activities (id, user_id, type, contact_id) values (%(b)s, %(rep_b)s, 'call', %(contact)s)",
         "insert into crm.companies (id, name, owner_id) values (%(other)s, 'A2', %(rep_a)s)"],
        "company_activities", "update crm.contacts set company_id = %(other)s where id = %(contact)s"),
    "deal's company change: B's activity links": (
        ["insert into crm.activities (id, user_id, type, deal_id) values (%(b)s, %(rep_b)s, 'call', %(deal)s)"],
        "company_activities", "update crm.deals set company_id = null where id = %(deal)s"),
}  # fmt: skip


def snapshot(conn, table: str, ids: dict):
    """B's rows of ``table`` that the case set up (by id, or by the link to B's record)."""
    key = {"activity_meetings": "activity_id", "deal_meetings": "deal_id", "company_activities": "activity_id"}
    column = key.get(table, "id")
    return conn.execute(
        f"select to_jsonb(t) from crm.{table} t where {column} in (%(b)s, %(link)s) order by 1::text", ids
    ).fetchall()


def world_with_case(conn, case: str) -> tuple[dict, str, str]:
    ids = build_world(conn) | {"b": new_id(), "link": new_id(), "other": new_id()}
    statements, table, write = CASES[case]
    conn.execute("reset role")
    conn.execute("select set_config('app.user_id', '', true)")  # B's rows are set up by no one
    for statement in statements:
        conn.execute(statement, ids)
    return ids, table, write


@pytest.mark.parametrize("case", list(CASES))
def test_rep_a_cannot_reach_rep_bs_rows(admin_conn, case):
    ids, table, write = world_with_case(admin_conn, case)
    before = snapshot(admin_conn, table, ids)
    assert before, "the case links a row of B's"
    target, key = write.split()[2 if write.startswith("delete") else 1], write.split()[-1]
    act(admin_conn, ids["rep_a"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        with admin_conn.transaction():
            admin_conn.execute(write, ids)
    # the refusal names the table it protects, and no name or id of B's records
    assert refused.value.diag.constraint_name == GUARD
    assert refused.value.diag.table_name == table
    assert str(ids["b"]) not in str(refused.value) and "B " not in str(refused.value)
    admin_conn.execute("reset role")
    assert snapshot(admin_conn, table, ids) == before
    # the record the write named is still there ("crm.<table>" and "%(<key>)s" from the case's statement)
    still_there = sql.SQL("select count(*) from {} where id = {}").format(
        sql.Identifier(*target.split(".")), sql.Placeholder(key.removeprefix("%(").removesuffix(")s"))
    )
    assert admin_conn.execute(still_there, ids).fetchone()[0] == 1


@pytest.mark.parametrize("who", ["admin", None])
def test_admins_and_connections_without_an_acting_user_still_cascade(admin_conn, who):
    ids, table, write = world_with_case(admin_conn, "contact: stakeholder on B's deal")
    if who is not None:
        act(admin_conn, ids[who])  # else the superuser (like crm score or the CLI), acting as no one
    admin_conn.execute(write, ids)
    admin_conn.execute("reset role")
    assert snapshot(admin_conn, table, ids) == []


def test_own_cascades_go_through(admin_conn):
    """Rep A's own links go with A's records: stakeholders and meeting links of A's deal (to B's
    meeting too: deal links follow the deal), an activity's interaction and company links."""
    ids = build_world(admin_conn) | {"b": new_id()}
    admin_conn.execute("reset role")
    admin_conn.execute(B_MEETING, ids)
    admin_conn.execute("insert into crm.deal_meetings (deal_id, meeting_id) values (%(deal)s, %(b)s)", ids)
    admin_conn.execute("update crm.activities set contact_id = %(contact)s where id = %(activity)s", ids)
    act(admin_conn, ids["rep_a"])
    admin_conn.execute("delete from crm.activities where id = %(activity)s", ids)
    admin_conn.execute("delete from crm.deals where id = %(deal)s", ids)
    admin_conn.execute("update crm.contacts set company_id = null where id = %(contact)s", ids)
    admin_conn.execute("reset role")
    counts = admin_conn.execute(
        """select (select count(*) from crm.deal_stakeholders where deal_id = %(deal)s),
                  (select count(*) from crm.deal_meetings where deal_id = %(deal)s),
                  (select count(*) from crm.contact_interactions where activity_id = %(activity)s),
                  (select count(*) from crm.company_activities where activity_id = %(activity)s),
                  (select count(*) from crm.meetings where id = %(b)s)""",
        ids,
    ).fetchone()
    assert counts == (0, 0, 0, 0, 1)


def test_scores_written_by_a_rep_on_others_rows_pass(admin_conn):
    """Rescoring after a write updates computed columns of others' rows: not an edit, not refused."""
    ids, _, _ = world_with_case(admin_conn, "company: B's activity")
    # as the superuser (who bypasses row-level security, as the definer rescoring does) acting as A
    admin_conn.execute("select set_config('app.user_id', %s, true)", (str(ids["rep_a"]),))
    admin_conn.execute("update crm.activities set urgency_score = 0.5, updated_at = now() where id = %(b)s", ids)
    # ... while an edit of B's row is refused even there
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin_conn.execute("update crm.activities set details = 'x' where id = %(b)s", ids)


def test_the_guard_fires_on_every_column_a_user_edits(admin_conn):
    """guards.sql lists the columns from the catalog when it runs: a column added later by a migration
    must be in the list too (re-apply guards.sql), or edits of it would skip the guard."""
    rows = admin_conn.execute(
        """select c.relname,
                  array(select a.attname::text from unnest(t.tgattr) k join pg_attribute a
                        on a.attrelid = t.tgrelid and a.attnum = k order by a.attname),
                  array(select a.attname::text from pg_attribute a
                        where a.attrelid = t.tgrelid and a.attnum > 0 and not a.attisdropped
                          and a.attname <> all (app.computed_columns(c.relname) || array['updated_at', 'version', 'depth'])
                        order by a.attname)
           from pg_trigger t join pg_class c on c.oid = t.tgrelid
           where t.tgname = 'guard_writes_on_others_records'"""
    ).fetchall()
    assert len(rows) == 13
    assert [(table, fired) for table, fired, editable in rows if fired != editable] == []
