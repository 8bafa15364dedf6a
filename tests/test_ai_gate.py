"""AI feature gate in SQL: the AI functions refuse app users without
users.ai_features (insufficient_privilege) and work for those with it; the
batch functions are not the app's to call; rescoring after a write works for
everyone (it stores scores, it shows nothing)."""

from __future__ import annotations

import psycopg
import pytest

AI_CALLS = [
    "select crm.calculate_company_engagement_score(%(company)s)",
    "select crm.calculate_lead_score(%(company)s)",
    "select crm.calculate_deal_intelligence_score(%(deal)s)",
    "select crm.calculate_contact_engagement_score(%(contact)s)",
    "select crm.calculate_decision_maker_score(%(contact)s)",
    "select count(*) from crm.company_score_breakdown(array[%(company)s]::uuid[])",
    "select count(*) from crm.deal_score_breakdown(array[%(deal)s]::uuid[])",
    "select count(*) from crm.contact_score_breakdown(array[%(contact)s]::uuid[])",
    # a deal's win features, as the reader, for the "why" of its win probability
    "select count(*) from crm.deal_win_features(array[%(deal)s]::uuid[])",
    "select count(*) from crm.deal_win_features_at(array[%(deal)s]::uuid[], array[now()])",
]
BATCH_CALLS = [
    "select crm.rescore_companies()",
    "select crm.rescore_deals()",
    "select crm.rescore_contacts()",
    "select crm.rescore_activities()",
    "select crm.rescore_win_probability()",
    "select crm.record_score_history()",
    "select count(*) from crm.predict_win_probability()",
]


@pytest.fixture
def owned(admin_conn, users):
    owner = users["rep"]["id"]
    lead = admin_conn.execute("select id from crm.deal_stages where name = 'Lead'").fetchone()[0]
    company = admin_conn.execute(
        "insert into crm.companies (name, owner_id) values ('Gate Co', %s) returning id", (owner,)
    ).fetchone()[0]
    contact = admin_conn.execute(
        "insert into crm.contacts (first_name, company_id, owner_id) values ('G', %s, %s) returning id",
        (company, owner),
    ).fetchone()[0]
    deal = admin_conn.execute(
        "insert into crm.deals (name, stage_id, owner_id, company_id) values ('Gate', %s, %s, %s) returning id",
        (lead, owner, company),
    ).fetchone()[0]
    return {"company": company, "contact": contact, "deal": deal}


def act_as(conn, user_id):
    conn.execute("set local role crm_app")
    conn.execute("select set_config('app.user_id', %s, true)", (str(user_id),))


def set_ai(conn, user_id, enabled: bool):
    conn.execute("update crm.users set ai_features = %s where id = %s", (enabled, user_id))


@pytest.mark.parametrize("call", AI_CALLS)
def test_ai_functions_refuse_users_without_ai_features(admin_conn, users, owned, call):
    set_ai(admin_conn, users["rep"]["id"], False)
    act_as(admin_conn, users["rep"]["id"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="AI features"):
        admin_conn.execute(call, owned)


@pytest.mark.parametrize("call", AI_CALLS)
def test_ai_functions_work_for_users_with_ai_features(admin_conn, users, owned, call):
    set_ai(admin_conn, users["rep"]["id"], True)
    act_as(admin_conn, users["rep"]["id"])
    value = admin_conn.execute(call, owned).fetchone()[0]
    assert value is not None


def test_nobody_and_inactive_users_are_refused(admin_conn, users, owned):
    set_ai(admin_conn, users["rep"]["id"], True)
    admin_conn.execute("update crm.users set is_active = false where id = %s", (users["rep"]["id"],))
    act_as(admin_conn, users["rep"]["id"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin_conn.execute(AI_CALLS[0], owned)


def test_no_app_user_set_is_refused(admin_conn, owned):
    admin_conn.execute("set local role crm_app")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        admin_conn.execute(AI_CALLS[2], owned)


def test_rls_still_applies_with_ai_features(admin_conn, users, owned):
    """rep2 (AI on) asking for rep's company gets 'not found', exactly as for a missing id."""
    set_ai(admin_conn, users["rep2"]["id"], True)
    act_as(admin_conn, users["rep2"]["id"])
    with pytest.raises(psycopg.errors.NoDataFound):
        admin_conn.execute(AI_CALLS[0], owned)


@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_functions_are_not_executable_by_the_app(admin_conn, users, call):
    set_ai(admin_conn, users["admin"]["id"], True)
    act_as(admin_conn, users["admin"]["id"])
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        admin_conn.execute(call)


def test_rescore_after_write_works_without_ai_features(admin_conn, users, owned):
    set_ai(admin_conn, users["rep"]["id"], False)
    admin_conn.execute(
        """insert into crm.deal_stakeholders (deal_id, contact_id, role, is_champion)
                          values (%s, %s, 'decision_maker', true)""",
        (owned["deal"], owned["contact"]),
    )
    act_as(admin_conn, users["rep"]["id"])
    admin_conn.execute("select app.rescore_after_write(array[%s]::uuid[])", (owned["deal"],))
    # stakeholders .4 x min(1, 1/3) + .3 (champion) + .3 (decision maker) = .7333; no meetings or
    # activities; contact quality uses the contact's stored scores (0, 0: it was not passed, so not
    # rescored) = 0  ->  25 x .7333 = 18.33
    score = admin_conn.execute(
        "select deal_intelligence_score from crm.deals where id = %s", (owned["deal"],)
    ).fetchone()[0]
    assert float(score) == pytest.approx(18.33)


def test_rescore_after_write_rejects_huge_id_lists(admin_conn, users):
    act_as(admin_conn, users["rep"]["id"])
    with pytest.raises(psycopg.errors.ProgramLimitExceeded):
        admin_conn.execute(
            "select app.rescore_after_write(array(select gen_random_uuid() from generate_series(1, 1001)))"
        )
