"""The dashboards' daily activity totals stay equal to the activities they sum.

crm.activity_daily_totals and crm.activity_daily_companies are kept by
triggers on crm.activities (sql/triggers/totals.sql). Every test compares
them with the same sums computed from crm.activities directly (the oracle),
after inserts, updates of every summed column, deletes and foreign-key actions.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from tests.conftest import fetch_as

TOTALS = """select user_id, day, type, activities, completed, counted_quantity, counted_amount
            from crm.activity_daily_totals where user_id = any(%(users)s) order by 1, 2, 3"""
ORACLE_TOTALS = """select user_id, (date at time zone 'UTC')::date, type, count(*)::integer,
                          (count(*) filter (where status = 'completed'))::integer,
                          coalesce(sum(quantity) filter (where status = 'completed'), 0)::bigint,
                          coalesce(sum(amount) filter (where status = 'completed'), 0)::numeric(16,2)
                   from crm.activities where user_id = any(%(users)s) group by 1, 2, 3 order by 1, 2, 3"""
COMPANIES = """select user_id, day, company_id, activities from crm.activity_daily_companies
               where user_id = any(%(users)s) order by 1, 2, 3"""
ORACLE_COMPANIES = """select user_id, (date at time zone 'UTC')::date, company_id, count(*)::integer
                      from crm.activities where user_id = any(%(users)s) and company_id is not null
                      group by 1, 2, 3 order by 1, 2, 3"""


def assert_in_step(conn, user_ids) -> list:
    params = {"users": list(user_ids)}
    totals = conn.execute(TOTALS, params).fetchall()
    assert totals == conn.execute(ORACLE_TOTALS, params).fetchall()
    assert conn.execute(COMPANIES, params).fetchall() == conn.execute(ORACLE_COMPANIES, params).fetchall()
    return totals


@pytest.fixture
def world(admin_conn, users):
    rep, rep2 = users["rep"]["id"], users["rep2"]["id"]
    companies = [
        admin_conn.execute(
            "insert into crm.companies (name, owner_id) values (%s, %s) returning id", (name, rep)
        ).fetchone()[0]
        for name in ("Acme", "Globex")
    ]
    return {"rep": rep, "rep2": rep2, "companies": companies}


def test_hand_made_day_sums(admin_conn, world):
    rep, (acme, globex) = world["rep"], world["companies"]
    # one statement, five rows (the statement trigger sums them at once)
    admin_conn.execute(
        """insert into crm.activities (user_id, type, status, date, quantity, amount, company_id) values
           (%(rep)s, 'sale', 'completed', '2026-11-20 09:00Z', 1, 1000, %(acme)s),
           (%(rep)s, 'sale', 'cancelled', '2026-11-20 10:00Z', 1, 500, %(acme)s),
           (%(rep)s, 'sale', 'completed', '2026-11-20 23:59Z', 1, 250, %(globex)s),
           (%(rep)s, 'outbound', 'completed', '2026-11-21 00:00Z', 3, null, %(acme)s),
           (%(rep)s, 'outbound', 'pending', '2026-11-21 08:00Z', 2, null, null)""",
        {"rep": rep, "acme": acme, "globex": globex},
    )
    totals = assert_in_step(admin_conn, [rep])
    # 20 Nov sales: 3 activities (the cancelled one counts as an activity), 2 completed, amount 1000 + 250
    # (not the 500); 21 Nov outbound (UTC midnight starts the day): 2 activities, 1 completed, quantity 3
    # (not the pending one's 2: planned, not done)
    assert [(t[1], t[2], t[3], t[4], t[5], t[6]) for t in totals] == [
        (dt.date(2026, 11, 20), "sale", 3, 2, 2, 1250),
        (dt.date(2026, 11, 21), "outbound", 2, 1, 3, 0),
    ]
    companies = admin_conn.execute(COMPANIES, {"users": [rep]}).fetchall()
    # Acme on 20 Nov: 2 activities, Globex on 20 Nov: 1, Acme on 21 Nov: 1 (the pending one has no company)
    assert sorted((c[1], c[2], c[3]) for c in companies) == sorted(
        [(dt.date(2026, 11, 20), acme, 2), (dt.date(2026, 11, 20), globex, 1), (dt.date(2026, 11, 21), acme, 1)]
    )


def test_updates_move_sums_and_deletes_empty_them(admin_conn, world):
    rep, rep2, (acme, globex) = world["rep"], world["rep2"], world["companies"]
    first, second = (
        admin_conn.execute(
            """insert into crm.activities (user_id, type, date, quantity, amount, company_id)
               values (%s, 'sale', '2026-11-20 12:00Z', 1, %s, %s) returning id""",
            (rep, amount, acme),
        ).fetchone()[0]
        for amount in (100, 40)
    )
    for change in (
        {"status": "cancelled"},  # same key: the amount leaves the counted sum, the activity stays
        {"status": "completed", "amount": 70},
        {"date": "2026-11-22 12:00Z"},  # another day
        {"type": "proposal"},
        {"company_id": globex},
        {"company_id": None},
        {"user_id": rep2},  # another user
    ):
        assignments = sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in change)
        update = sql.SQL("update crm.activities set {} where id = %(id)s").format(assignments)
        admin_conn.execute(update, change | {"id": first})
        assert_in_step(admin_conn, [rep, rep2])
    # after all that: rep has only the second sale; rep2 the moved proposal with no company
    assert admin_conn.execute(TOTALS, {"users": [rep, rep2]}).fetchall() == sorted([
        (rep, dt.date(2026, 11, 20), "sale", 1, 1, 1, 40),
        (rep2, dt.date(2026, 11, 22), "proposal", 1, 1, 1, 70),
    ])  # fmt: skip
    admin_conn.execute("delete from crm.activities where id in (%s, %s)", (first, second))
    assert assert_in_step(admin_conn, [rep, rep2]) == []
    assert admin_conn.execute(COMPANIES, {"users": [rep, rep2]}).fetchall() == []


def test_deleting_a_company_takes_its_day_rows_away(admin_conn, world):
    rep, (acme, _) = world["rep"], world["companies"]
    admin_conn.execute(
        "insert into crm.activities (user_id, type, date, company_id) values (%s, 'call', '2026-11-20Z', %s)",
        (rep, acme),
    )
    # the foreign key sets the activity's company to null, and the trigger follows (as crm_helper)
    admin_conn.execute("delete from crm.companies where id = %s", (acme,))
    assert admin_conn.execute(COMPANIES, {"users": [rep]}).fetchall() == []
    assert [t[3] for t in assert_in_step(admin_conn, [rep])] == [1]


def test_rebuild_gives_what_the_triggers_kept(admin_conn, world):
    rep, (acme, globex) = world["rep"], world["companies"]
    admin_conn.execute(
        """insert into crm.activities (user_id, type, status, date, quantity, amount, company_id)
           select %s, (array['sale', 'call', 'outbound'])[1 + i %% 3], (array['completed', 'cancelled', 'pending', 'no_show'])[1 + i %% 4],
                  '2026-11-01Z'::timestamptz + i * interval '7 hours', 1 + i %% 4, i * 10, (array[%s, %s]::uuid[])[1 + i %% 2]
           from generate_series(1, 60) i""",
        (rep, acme, globex),
    )
    kept = assert_in_step(admin_conn, [rep])
    admin_conn.execute("select app.rebuild_activity_daily_totals()")
    assert admin_conn.execute(TOTALS, {"users": [rep]}).fetchall() == kept


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "update", "delete"]),
        st.integers(0, 5),  # which activity
        st.sampled_from(["sale", "call", "meeting"]),
        st.sampled_from(["completed", "cancelled", "pending"]),
        st.integers(0, 3),  # day offset
        st.integers(1, 5),  # quantity
        st.integers(0, 1),  # company (Acme) or none
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_sums(admin_conn, world, operations):
    rep, acme = world["rep"], world["companies"][0]
    with admin_conn.transaction(force_rollback=True):  # each example starts from no activities
        ids: list = []
        for op, which, kind, status, day, quantity, with_company in operations:
            values = {"type": kind, "status": status, "date": dt.datetime(2026, 11, 20 + day, 15, tzinfo=dt.UTC),
                      "quantity": quantity, "amount": quantity * 100, "company": acme if with_company else None}  # fmt: skip
            if op == "insert" or not ids:
                ids.append(admin_conn.execute(
                    """insert into crm.activities (user_id, type, status, date, quantity, amount, company_id)
                       values (%(rep)s, %(type)s, %(status)s, %(date)s, %(quantity)s, %(amount)s, %(company)s)
                       returning id""", values | {"rep": rep}).fetchone()[0])  # fmt: skip
            elif op == "update":
                admin_conn.execute(
                    """update crm.activities set type = %(type)s, status = %(status)s, date = %(date)s,
                       quantity = %(quantity)s, amount = %(amount)s, company_id = %(company)s where id = %(id)s""",
                    values | {"id": ids[which % len(ids)]},
                )
            else:
                admin_conn.execute("delete from crm.activities where id = %s", (ids.pop(which % len(ids)),))
            assert_in_step(admin_conn, [rep])


def test_read_like_activities_and_written_by_nobody(app, admin_conn, users, world):
    rep, acme = world["rep"], world["companies"][0]
    admin_conn.execute(
        "insert into crm.activities (user_id, type, date, company_id) values (%s, 'call', '2026-11-20Z', %s)",
        (rep, acme),
    )
    admin_conn.commit()
    try:
        sql = "select count(*) from crm.activity_daily_totals where user_id = :u"
        # the rep and their manager and an admin see the rep's day; the other rep does not
        assert [fetch_as(app, users[who]["id"], sql, {"u": rep})[0][0] for who in ("rep", "manager", "admin", "rep2")] == [
            1, 1, 1, 0
        ]  # fmt: skip
        for statement in (
            "update crm.activity_daily_totals set activities = 99",
            "delete from crm.activity_daily_companies",
            "select app.rebuild_activity_daily_totals()",
        ):
            with pytest.raises(Exception) as refused:
                fetch_as(app, users["admin"]["id"], statement)
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
    finally:
        admin_conn.execute("delete from crm.activities where user_id = %s", (rep,))
        admin_conn.execute("delete from crm.companies where id = any(%s)", (world["companies"],))
        admin_conn.commit()
