"""The relationship tables follow the writes that define them (never stale)."""

from __future__ import annotations

from tests.constraint_cases import insert_graph


def links(conn, activity_id):
    return conn.execute(
        "select company_id, relationship_strength::text, link_source from crm.company_activities where activity_id = %s order by link_source",
        (activity_id,),
    ).fetchall()


def test_activity_links_follow_company_contact_and_deal(admin_conn):
    ids = insert_graph(admin_conn)
    other = admin_conn.execute(
        "insert into crm.companies (name, owner_id) values ('Other', %(user)s) returning id", ids
    ).fetchone()[0]
    admin_conn.execute("update crm.deals set company_id = %s where id = %s", (other, ids["deal"]))
    activity = admin_conn.execute(
        """insert into crm.activities (user_id, type, company_id, contact_id, deal_id, details, date)
           values (%(user)s, 'email', %(company)s, %(contact)s, %(deal)s, 'Sent pricing', '2026-11-20Z') returning id""",
        ids,
    ).fetchone()[0]
    # company directly (1.00, beats the contact's 0.80 for the same company) and the deal's company (0.90)
    assert links(admin_conn, activity) == [(other, "0.90", "deal"), (ids["company"], "1.00", "direct")]
    interaction = admin_conn.execute(
        "select contact_id, interaction_type, notes from crm.contact_interactions where activity_id = %s", (activity,)
    ).fetchall()
    assert interaction == [(ids["contact"], "email", "Sent pricing")]

    # the activity loses its company and contact: only the deal's company remains, the interaction goes
    admin_conn.execute("update crm.activities set company_id = null, contact_id = null where id = %s", (activity,))
    assert links(admin_conn, activity) == [(other, "0.90", "deal")]
    assert admin_conn.execute("select count(*) from crm.contact_interactions where activity_id = %s", (activity,)).fetchone()[0] == 0

    # the deal moves to the first company: the link moves with it
    admin_conn.execute("update crm.deals set company_id = %(company)s where id = %(deal)s", ids)
    assert links(admin_conn, activity) == [(ids["company"], "0.90", "deal")]


def test_contact_company_change_moves_links(admin_conn):
    ids = insert_graph(admin_conn)
    activity = admin_conn.execute(
        "insert into crm.activities (user_id, type, contact_id) values (%(user)s, 'call', %(contact)s) returning id", ids
    ).fetchone()[0]
    assert links(admin_conn, activity) == [(ids["company"], "0.80", "contact")]
    admin_conn.execute("update crm.contacts set company_id = null where id = %(contact)s", ids)
    assert links(admin_conn, activity) == []
