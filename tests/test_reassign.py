"""Owner reassignment: the rule (app.may_reassign_owner) at the database, under row-level security, and
through services/deals.reassign_owner. Admins hand any deal to any active user; a manager hands their
own and their people's deals to themself or their people; reps and other teams' managers cannot; a deal
keeps its history."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from dashboard.db import db
from dashboard.services import deals as deal_service
from tests.conftest import present_session
from tests.test_rls_matrix import act, build_world

MOVE = "update crm.deals set owner_id = %(to)s where id = %(deal)s"


def owner(conn, ids) -> str:
    conn.execute("reset role")
    return conn.execute("select owner_id from crm.deals where id = %(deal)s", ids).fetchone()[0]


def hand(conn, ids, who: str, to: str) -> int | str:
    """Act as ``who`` and move A's deal to ``to``: rows moved, or the SQLSTATE of the refusal."""
    act(conn, ids[who])
    try:
        with conn.transaction():
            return conn.execute(MOVE, ids | {"to": ids[to]}).rowcount
    except psycopg.Error as error:
        return error.sqlstate


@pytest.mark.parametrize(
    ("who", "to", "result"),
    [
        ("manager_ab", "rep_b", 1),  # A's manager, to another of their people
        ("manager_ab", "manager_ab", 1),  # ... or to themself
        ("admin", "rep_c", 1),  # an admin, across teams
        ("manager_ab", "rep_c", "42501"),  # not to someone of another team (WITH CHECK)
        ("manager_c", "rep_c", 0),  # another team's manager does not reach the deal (USING)
        ("rep_b", "rep_b", 0),  # a teammate does not write A's deals
        ("rep_a", "rep_b", "42501"),  # the owner cannot give it away
    ],
)
def test_who_may_hand_a_deal_on(admin_conn, who, to, result):
    ids = build_world(admin_conn)
    assert hand(admin_conn, ids, who, to) == result
    assert owner(admin_conn, ids) == (ids[to] if result == 1 else ids["rep_a"])


@pytest.mark.parametrize("who", ["admin", "manager_ab"])
def test_never_to_an_inactive_user(admin_conn, who):
    ids = build_world(admin_conn)
    admin_conn.execute("update crm.users set is_active = false where id = %(rep_b)s", ids)
    assert hand(admin_conn, ids, who, "rep_b") == "42501"
    assert owner(admin_conn, ids) == ids["rep_a"]


def test_a_departed_reps_deal_is_handed_on(admin_conn):
    """The deals of an inactive rep are exactly the ones a manager must move."""
    ids = build_world(admin_conn)
    admin_conn.execute("update crm.users set is_active = false where id = %(rep_a)s", ids)
    assert hand(admin_conn, ids, "manager_ab", "rep_b") == 1
    assert owner(admin_conn, ids) == ids["rep_b"]


def test_a_manager_changes_only_the_owner(admin_conn):
    """The policy lets a manager reach the team's deals for the owner alone: any other edit, with the
    owner or without, is refused by the guard and the row stays as it was."""
    ids = build_world(admin_conn)
    before = admin_conn.execute("select value, name from crm.deals where id = %(deal)s", ids).fetchone()
    act(admin_conn, ids["manager_ab"])
    for statement in [
        "update crm.deals set value = 999 where id = %(deal)s",
        "update crm.deals set owner_id = %(rep_b)s, name = 'taken' where id = %(deal)s",
    ]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege), admin_conn.transaction():
            admin_conn.execute(statement, ids)
    assert owner(admin_conn, ids) == ids["rep_a"]
    assert admin_conn.execute("select value, name from crm.deals where id = %(deal)s", ids).fetchone() == before


def test_the_deal_keeps_its_history(admin_conn):
    """Stage history, the owner's activity on the deal and the audit trail stay after the move."""
    ids = build_world(admin_conn)
    admin_conn.execute(
        "update crm.deals set stage_id = (select id from crm.deal_stages where name = 'Qualified') where id = %(deal)s",
        ids,
    )
    count = "select (select count(*) from crm.deal_stage_history where deal_id = %(deal)s), " \
            "(select count(*) from crm.activities where deal_id = %(deal)s and user_id = %(rep_a)s)"  # fmt: skip
    assert admin_conn.execute(count, ids).fetchone() == (2, 1)  # Lead, then Qualified; A's call
    assert hand(admin_conn, ids, "manager_ab", "rep_b") == 1
    admin_conn.execute("reset role")
    assert admin_conn.execute(count, ids).fetchone() == (2, 1)
    changes = admin_conn.execute(
        "select actor_id from crm.audit_log where table_name = 'deals' and row_id = %(deal)s and action = 'update' "
        "order by id desc limit 1", ids).fetchone()  # fmt: skip
    assert changes == (ids["manager_ab"],)
    # the new owner and the manager read it; A no longer does
    for who, seen in [("rep_b", 1), ("manager_ab", 1), ("rep_a", 0)]:
        act(admin_conn, ids[who])
        assert admin_conn.execute("select count(*) from crm.deals where id = %(deal)s", ids).fetchone()[0] == seen
        admin_conn.execute("reset role")


# --- the service ----------------------------------------------------------------------------


def deal_of(who_id, name, session) -> str:
    return session.execute(
        text("insert into crm.deals (name, stage_id, owner_id) values (:n, "
             "(select id from crm.deal_stages where name = 'Lead'), :o) returning id"), {"n": name, "o": who_id}
    ).scalar_one()  # fmt: skip


def test_service_hands_deals_on_all_or_none(app, db_session, users):
    with app.app_context():
        present_session(db.session, users["admin"]["id"])
        mine = deal_of(users["rep"]["id"], "Rep's deal", db.session)
        admins = deal_of(users["admin"]["id"], "Admin's deal", db.session)
        db.session.commit()
        present_session(db.session, users["manager"]["id"])
        # the manager may hand the rep's deal to rep2, but not the admin's (hidden from them): nothing moves
        with pytest.raises(deal_service.ReassignRefused) as refused:
            deal_service.reassign_owner([mine, admins], users["rep2"]["id"])
        assert refused.value.refused == [(admins, None)]
        db.session.rollback()
        present_session(db.session, users["manager"]["id"])
        moved = [(d.name, d.owner_id) for d in deal_service.reassign_owner([mine], users["rep2"]["id"])]
        db.session.commit()
        assert moved == [("Rep's deal", users["rep2"]["id"])]
        present_session(db.session, users["admin"]["id"])
        rows = db.session.execute(text("select id, owner_id from crm.deals where id = any(:ids)"),
                                  {"ids": [mine, admins]}).all()  # fmt: skip
        assert dict(rows) == {mine: users["rep2"]["id"], admins: users["admin"]["id"]}


def test_service_owner_candidates(app, db_session, users):
    """Whom each role may hand their deals to (the session's four users: one team under the manager)."""
    names = {}
    for who in ("admin", "manager", "rep"):
        with app.app_context():  # (the candidates are kept for the request: one context per user)
            present_session(db.session, users[who]["id"])
            names[who] = {name for _, name in deal_service.owner_candidates()} & {
                "Test Admin", "Test Manager", "Test Rep", "Test Rep2"}  # fmt: skip
            db.session.rollback()
    assert names == {
        "admin": {"Test Admin", "Test Manager", "Test Rep", "Test Rep2"},
        "manager": {"Test Manager", "Test Rep", "Test Rep2"},
        "rep": set(),
    }
