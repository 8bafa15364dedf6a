"""Scores follow the writes that change their inputs, in the same request
(issue 5): a user sees the new score right after the write. Each expected
value is worked out in the comments from the formulas in DESIGN.md
("Intelligence") and sql/functions/scores.sql.

No win model is trained in the test database, so win probability is the
stage's default probability. Times are relative to now (the pages score as of
now); every fixture date is well inside its window.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dashboard.intelligence import sentiment
from tests.conftest import execute_as, fetch_as
from tests.test_contacts import edit_form as contact_edit_form
from tests.test_deals import add_deal, add_row, one
from tests.test_pipeline import move, stage_id
from tests.test_stakeholders import VERSION

NEGATIVE = "The meeting went badly: they are angry about the price, unhappy with support and will probably cancel."


def deal_row(app, users, deal):
    return one(
        app,
        users,
        "select deal_intelligence_score, win_probability_ai, risk_factors from crm.deals where id = :d",
        d=deal,
    )[0]


def company_row(app, users, company):
    return one(app, users, "select engagement_score, lead_score from crm.companies where id = :c", c=company)[0]


def shown_score(body: str, table_id: str) -> Decimal:
    """The total of a "why" table on a page."""
    table = re.search(rf'<table class="list compact why" id="{table_id}">(.*?)</table>', body, re.S).group(1)
    return Decimal(re.search(r'data-score="([0-9.]+)"', table).group(1))


def rescore_as(app, users, who, deals=(), companies=(), contacts=()):
    """What the app does after a write, for fixture rows written straight to the database."""
    fetch_as(
        app, users[who]["id"],
        "select app.rescore_after_write(cast(:d as uuid[]), cast(:c as uuid[]), cast(:p as uuid[]))",
        {"d": [str(i) for i in deals], "c": [str(i) for i in companies], "p": [str(i) for i in contacts]},
    )  # fmt: skip


@pytest.fixture
def acme(app, users):
    """The rep's company Acme (smb, not a target account) and deal D there (Lead, nothing else yet)."""
    rid = users["rep"]["id"]
    company = add_row(app, users, "companies", name="Acme", owner_id=rid)
    deal = add_deal(app, users, name="D", company_id=company)
    return {"company": company, "deal": deal}


def test_adding_a_stakeholder_rescores_the_deal_its_contact_and_company(app, client, auth, users, acme):
    cleo = add_row(app, users, "contacts", first_name="Cleo", job_seniority="c-level", company_id=acme["company"],
                   owner_id=users["rep"]["id"])  # fmt: skip
    auth.login(users["admin"]["email"])
    page = client.get(f"/deals/{acme['deal']}/stakeholders").get_data(as_text=True)
    response = client.post(
        f"/deals/{acme['deal']}/stakeholders",
        data={"csrf_token": auth.csrf_token(f"/deals/{acme['deal']}/stakeholders"),
              "version": VERSION.search(page).group(1), "new-contact_id": str(cleo), "new-role": "decision_maker",
              "new-influence_level": "high", "new-is_champion": "y", "new-reports_to": ""},
    )  # fmt: skip
    assert response.status_code == 302
    # Cleo: decision maker .6 x 1 (c-level) + .4 x 1 (decision_maker beats the champion flag's .7) = 1.00;
    #   no interactions: engagement 0
    assert one(app, users, "select decision_maker_score, engagement_score from crm.contacts where id = :c", c=cleo) == [
        (Decimal("1.00"), 0)
    ]
    # D: stakeholders .4 x min(1, 1/3) + .3 (champion) + .3 (decision maker) = .7333; no meetings, no activity;
    #   contact quality .6 x 1.00 + .4 x 0 = .6  ->  25 x (.7333 + .6) = 33.3325 -> 33.33
    #   risks: one stakeholder (single_threaded), no activity in 14 days; win probability: Lead's 10%
    assert deal_row(app, users, acme["deal"]) == (
        Decimal("33.33"),
        Decimal("0.10"),
        ["no_activity_14d", "single_threaded"],
    )
    # Acme: only D = .3333 -> engagement 100 x .2 x .3333 = 6.666 -> 6.67;
    #   lead 100 x (.45 x .0667 + .2 x .5 (smb) + .15 x 0 + .2 x 1.00 (Cleo)) = 33.0015 -> 33.00
    assert company_row(app, users, acme["company"]) == (Decimal("6.67"), Decimal("33.00"))
    # the owner sees it on the deal page right away
    client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    auth.login(users["rep"]["email"])
    body = client.get(f"/deals/{acme['deal']}").get_data(as_text=True)
    assert shown_score(body, "intelligence-why") == Decimal("33.33") and "33.3 / 100" in body


def test_a_negative_meeting_rescores_its_sentiment_deal_and_company(app, client, auth, users, acme):
    rid, deal, company = users["rep"]["id"], acme["deal"], acme["company"]
    held = datetime.now(UTC) - timedelta(days=5)
    for n in range(3):
        add_row(app, users, "meetings", title=f"Good {n}", starts_at=held, owner_id=rid, company_id=company,
                primary_deal_id=deal, meeting_outcome="positive")  # fmt: skip
    rescore_as(app, users, "rep", deals=[deal], companies=[company])
    # three positive meetings: meetings 1 x min(1, 3/3) = 1 -> 25.00
    assert deal_row(app, users, deal)[0] == Decimal("25.00")
    auth.login(users["rep"]["email"])
    start = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/meetings/new",
        data={"csrf_token": auth.csrf_token("/meetings/new"), "title": "Bad news", "starts_at": start,
              "meeting_type": "check_in", "company_id": str(company), "primary_contact_id": "",
              "primary_deal_id": str(deal), "summary": NEGATIVE, "next_steps": ""},
    )  # fmt: skip
    assert response.status_code == 302
    meeting = response.headers["Location"].rsplit("/", 1)[1]
    # the summary is scored in the same request: -0.93 (plain VADER -0.82; the sales cues "angry",
    # "unhappy" -1.5 each and "cancel" -3 plus half VADER's valence make it more negative)
    assert sentiment.compound(NEGATIVE) == pytest.approx(-0.93)
    assert one(app, users, "select sentiment_score from crm.meetings where id = :m", m=meeting) == [(Decimal("-0.93"),)]
    # pending: not counted yet, the deal keeps 25.00
    assert deal_row(app, users, deal)[0] == Decimal("25.00")
    client.post(f"/meetings/{meeting}/outcome",
                data={"csrf_token": auth.csrf_token("/"), "meeting_outcome": "negative"})  # fmt: skip
    # D: meetings mean (1 + 1 + 1 + 0) / 4 = .75 x min(1, 4/3) = .75; the follow-up activity (a completed
    #   meeting, details = the summary, sentiment -.93): quality .7 - .3 x .93 = .421 -> medium .6, one in
    #   30 days: .6 x 1/8 = .075  ->  25 x (.75 + .075) = 20.625 -> 20.63
    assert deal_row(app, users, deal)[0] == Decimal("20.63")
    # Acme: A = the follow-up (direct link, strength 1, medium .6) x 1/10 = .06;
    #   M = held meetings' (sentiment + 1) / 2: three unknown .5, this one .035: mean .38375 x min(1, 4/4);
    #   I = 0; D = .2063  ->  100 x (.3 x .06 + .25 x .38375 + .2 x .2063) = 15.51975 -> 15.52
    assert company_row(app, users, company)[0] == Decimal("15.52")
    body = client.get(f"/deals/{deal}").get_data(as_text=True)
    assert shown_score(body, "intelligence-why") == Decimal("20.63")


def test_a_pipeline_move_rescores_the_card(app, client, auth, users, acme):
    deal = acme["deal"]
    execute_as(app, users["admin"]["id"], "update crm.deals set stage_changed_at = now() - interval '60 days' where id = :d",
             {"d": deal})  # fmt: skip
    rescore_as(app, users, "rep", deals=[deal])
    assert "stalled_in_stage" in deal_row(app, users, deal)[2]
    auth.login(users["rep"]["email"])
    assert move(client, auth, deal, stage_id(app, users, "Qualified")).status_code == 200
    # the stage-change note is the deal's one completed activity (neutral note: .4 -> medium .6):
    #   .6 x 1/8 = .075 -> 25 x .075 = 1.875 -> 1.88; it is recent (no no_activity_14d) and the stage is new
    #   (no stalled_in_stage); win probability: Qualified's 25%
    assert deal_row(app, users, deal) == (
        Decimal("1.88"),
        Decimal("0.25"),
        ["single_threaded", "no_champion", "no_decision_maker"],
    )


def test_editing_a_contacts_seniority_rescores_their_deals_and_company(app, client, auth, users, acme):
    kim = add_row(app, users, "contacts", first_name="Kim", job_seniority="entry", company_id=acme["company"],
                  owner_id=users["rep"]["id"])  # fmt: skip
    add_row(app, users, "deal_stakeholders", who="admin", deal_id=acme["deal"], contact_id=kim, role="influencer")
    rescore_as(app, users, "rep", contacts=[kim])
    # before: Kim .6 x .2 (entry) + .4 x .6 (influencer) = .36; D: stakeholders .4 x 1/3 = .1333,
    #   contact quality .6 x .36 = .216 -> 25 x .3493 = 8.7325 -> 8.73
    assert deal_row(app, users, acme["deal"])[0] == Decimal("8.73")
    auth.login(users["rep"]["email"])
    data = contact_edit_form(client, auth, kim, first_name="Kim", job_seniority="c-level",
                             company_id=str(acme["company"]))  # fmt: skip
    assert client.post(f"/contacts/{kim}/edit", data=data).status_code == 302
    # after: Kim .6 x 1 + .4 x .6 = .84; D: contact quality .6 x .84 = .504 -> 25 x (.1333 + .504) = 15.9325 -> 15.93
    assert one(app, users, "select decision_maker_score from crm.contacts where id = :c", c=kim) == [(Decimal("0.84"),)]
    assert deal_row(app, users, acme["deal"])[0] == Decimal("15.93")
    # Acme: engagement 100 x .2 x .1593 = 3.186 -> 3.19; lead 100 x (.45 x .0319 + .2 x .5 + .2 x .84) = 28.2355
    assert company_row(app, users, acme["company"]) == (Decimal("3.19"), Decimal("28.24"))


def test_editing_a_companys_tier_rescores_its_lead_score(app, client, auth, users):
    company = add_row(app, users, "companies", name="Tiered", owner_id=users["rep"]["id"])
    auth.login(users["rep"]["email"])
    page = client.get(f"/companies/{company}/edit").get_data(as_text=True)
    response = client.post(
        f"/companies/{company}/edit",
        data={"csrf_token": auth.csrf_token(f"/companies/{company}/edit"), "version": VERSION.search(page).group(1),
              "name": "Tiered", "account_tier": "enterprise", "is_target_account": "y", "size": ""},
    )  # fmt: skip
    assert response.status_code == 302
    # nothing engaged (0), enterprise 1.0 and a target account: 100 x (.2 x 1 + .15 x 1) = 35.00
    assert company_row(app, users, company) == (0, Decimal("35.00"))


def test_deleting_a_deal_rescores_its_company_and_stakeholders(app, client, auth, users, acme):
    cleo = add_row(app, users, "contacts", first_name="Cleo", job_seniority="c-level", company_id=acme["company"],
                   owner_id=users["rep"]["id"])  # fmt: skip
    add_row(app, users, "deal_stakeholders", who="admin", deal_id=acme["deal"], contact_id=cleo,
            role="decision_maker")  # fmt: skip
    rescore_as(app, users, "rep", contacts=[cleo])
    # Cleo 1.00 (c-level, decision maker); D: .4/3 + .3 = .4333, quality .6 -> 25 x 1.0333 = 25.83; Acme 5.17
    assert company_row(app, users, acme["company"])[0] == Decimal("5.17")
    auth.login(users["rep"]["email"])
    assert client.post(f"/deals/{acme['deal']}/delete", data={"csrf_token": auth.csrf_token("/")}).status_code == 302
    # the stakeholder row went with the deal: Cleo .6 x 1 + .4 x 0 = .60; Acme has no deals: engagement 0,
    #   lead 100 x (.2 x .5 + .2 x .60) = 22.00
    assert one(app, users, "select decision_maker_score from crm.contacts where id = :c", c=cleo) == [
        (Decimal("0.60"),)
    ]
    assert company_row(app, users, acme["company"]) == (0, Decimal("22.00"))


def test_linking_a_meeting_to_a_deal_rescores_the_deal(app, client, auth, users, acme):
    rid, deal = users["rep"]["id"], acme["deal"]
    meeting = add_row(app, users, "meetings", title="Held", starts_at=datetime.now(UTC) - timedelta(days=2),
                      owner_id=rid, meeting_outcome="positive")  # fmt: skip
    rescore_as(app, users, "rep", deals=[deal])
    assert deal_row(app, users, deal)[0] == 0
    auth.login(users["rep"]["email"])
    response = client.post(
        f"/meetings/{meeting}/deals", data={"csrf_token": auth.csrf_token("/"), "deal_id": str(deal)}
    )
    assert response.status_code == 302
    # D now counts the positive meeting: 1 x min(1, 1/3) = .3333 -> 25 x .3333 = 8.3325 -> 8.33
    assert deal_row(app, users, deal)[0] == Decimal("8.33")
    client.post(f"/meetings/{meeting}/deals/unlink", data={"csrf_token": auth.csrf_token("/"), "deal_id": str(deal)})
    # unlinked: no meetings again
    assert deal_row(app, users, deal)[0] == 0


def test_moving_a_deals_close_date_rescores_its_activities_urgency(app, client, auth, users, acme):
    from tests.test_deals import edit_form as deal_edit_form

    deal, today = acme["deal"], datetime.now(UTC).date()
    execute_as(app, users["rep"]["id"], "update crm.deals set expected_close_date = :d where id = :i",
               {"d": today + timedelta(days=6), "i": deal})  # fmt: skip
    call = add_row(app, users, "activities", user_id=users["rep"]["id"], type="call", status="pending",
                   date=datetime.now(UTC) + timedelta(days=13, hours=12), deal_id=deal)  # fmt: skip
    done = add_row(app, users, "activities", user_id=users["rep"]["id"], type="call", status="completed",
                   date=datetime.now(UTC) - timedelta(days=1), deal_id=deal)  # fmt: skip
    rescore_as(app, users, "rep", deals=[deal])
    urgency = "select urgency_score from crm.activities where id = :a"
    # the pending call, due in 13.5 days (1 - 13.5/14 = .04), of an active deal closing in 6 (1 - 6/60 = .90)
    assert one(app, users, urgency, a=call) == [(Decimal("0.90"),)]
    # the call already made: nothing urgent about it
    assert one(app, users, urgency, a=done) == [(Decimal("0.00"),)]
    auth.login(users["rep"]["email"])
    data = deal_edit_form(client, auth, deal, name="D", expected_close_date=(today + timedelta(days=30)).isoformat(),
                          company_id=str(acme["company"]))  # fmt: skip
    assert client.post(f"/deals/{deal}/edit", data=data).status_code == 302
    # closing in 30 days: 1 - 30/60 = .50, in the same request
    assert one(app, users, urgency, a=call) == [(Decimal("0.50"),)]


# --- the "why" panels ---------------------------------------------------------------------


@pytest.fixture
def explained(app, users):
    """Company C (mid-market, target account) with contact K1 (c-level) and deal D (active, closes in 30 days):

    a1  completed sale at C (direct link, strength 1), quality excellent 1.0, 5 days ago
    a2  completed meeting on D (C through the deal, strength .9), quality high .8, 3 days ago
        (the qualities rescoring derives too: no sentiment, sale .9 -> excellent, meeting .7 -> high)
    m1  positive meeting at C for D (primary deal), sentiment .5, 10 days ago
    i1  K1's interaction, engagement .8, 2 days ago
    K1  is D's decision maker and champion

    K1: decision maker .6 x 1 + .4 x 1 = 1.00; engagement 100 x .8 x min(1, 1/5) = 16.00
    D:  stakeholders .4 x min(1, 1/3) + .3 + .3 = .7333 -> 18.33 points
        meetings 1 (positive) x min(1, 1/3) = .3333 -> 8.33 points
        activity a2 .8 x min(1, 1/8) = .1 -> 2.50 points
        contacts .6 x 1.00 + .4 x .16 = .664 -> 16.60 points
        score 25 x (.7333 + .3333 + .1 + .664) = 45.765 -> 45.77; risk: single_threaded only
    C:  A = (1 x 1 + .9 x .8) / (1 + .9) = .905263 x min(1, 2/10) = .1811 -> x 30 = 5.43 points
        M = (.5 + 1) / 2 = .75 x min(1, 1/4) = .1875 -> x 25 = 4.69 points
        I = .8 x min(1, 1/10) = .08 -> x 25 = 2.00 points
        D = .4577 -> x 20 = 9.15 points
        engagement 100 x (.3 x .1811 + .25 x .1875 + .25 x .08 + .2 x .4577) = 21.2745 -> 21.27
        lead 100 x (.45 x .2127 + .2 x .75 + .15 x 1 + .2 x 1.00) = 59.5715 -> 59.57
    """
    rid = users["rep"]["id"]
    now = datetime.now(UTC)
    company = add_row(app, users, "companies", name="Explained", owner_id=rid, account_tier="mid-market",
                      is_target_account=True)  # fmt: skip
    k1 = add_row(app, users, "contacts", first_name="K1", job_seniority="c-level", company_id=company, owner_id=rid)
    deal = add_deal(app, users, name="Explained deal", company_id=company,
                    expected_close_date=(now + timedelta(days=30)).date())  # fmt: skip
    add_row(app, users, "deal_stakeholders", who="admin", deal_id=deal, contact_id=k1, role="decision_maker",
            is_champion=True)  # fmt: skip
    for kind, quality, days, link in (("sale", "excellent", 5, {"company_id": company}),
                                      ("meeting", "high", 3, {"deal_id": deal})):  # fmt: skip
        add_row(app, users, "activities", user_id=rid, type=kind, status="completed", engagement_quality=quality,
                date=now - timedelta(days=days), **link)  # fmt: skip
    add_row(app, users, "meetings", title="m1", starts_at=now - timedelta(days=10), owner_id=rid, company_id=company,
            primary_deal_id=deal, meeting_outcome="positive", sentiment_score=Decimal("0.5"))  # fmt: skip
    add_row(app, users, "contact_interactions", contact_id=k1, user_id=rid, interaction_type="call",
            engagement_score=Decimal("0.8"), interaction_date=now - timedelta(days=2))  # fmt: skip
    rescore_as(app, users, "rep", deals=[deal], companies=[company], contacts=[k1])
    return {"company": company, "deal": deal, "k1": k1}


def half_up(value: Decimal) -> Decimal:
    """Two decimals as PostgreSQL's round() does it."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def why_rows(body: str, table_id: str) -> dict[str, tuple[Decimal, str]]:
    """component -> (value 0-1, points shown) of a "why" table."""
    table = re.search(rf'<table class="list compact why" id="{table_id}">(.*?)</table>', body, re.S).group(1)
    rows = re.findall(r'<tr data-component="(\w+)">.*?data-value="([0-9.]+)".*?<td class="num">([0-9.]+)</td>\s*</tr>',
                      table, re.S)  # fmt: skip
    return {key: (Decimal(value), shown) for key, value, shown in rows}


def test_deal_page_explains_its_score(client, auth, users, explained, app):
    auth.login(users["rep"]["email"])
    body = client.get(f"/deals/{explained['deal']}").get_data(as_text=True)
    rows = why_rows(body, "intelligence-why")
    assert rows == {
        "stakeholders": (Decimal("0.7333"), "18.33"),
        "meetings": (Decimal("0.3333"), "8.33"),
        "activity": (Decimal("0.1000"), "2.50"),
        "contacts": (Decimal("0.6640"), "16.60"),
    }
    # the components combine to the score shown, which is the stored one (no "differs" note)
    score = shown_score(body, "intelligence-why")
    assert score == Decimal("45.77") == half_up(25 * sum(v for v, _ in rows.values()))
    assert deal_row(app, users, explained["deal"])[0] == score and "why-note" not in body
    assert "45.8 / 100" in body
    # the risk factor with its sentence (threshold from crm.intelligence_thresholds())
    assert re.search(r'data-risk="single_threaded".*?At most 1 stakeholder engaged', body, re.S)


def test_company_page_explains_engagement_and_lead_score(client, auth, users, explained):
    auth.login(users["rep"]["email"])
    body = client.get(f"/companies/{explained['company']}").get_data(as_text=True)
    rows = why_rows(body, "engagement-why")
    assert rows == {
        "activities": (Decimal("0.1811"), "5.43"),
        "meetings": (Decimal("0.1875"), "4.69"),
        "interactions": (Decimal("0.0800"), "2.00"),
        "deals": (Decimal("0.4577"), "9.15"),
    }
    weights = {"activities": 30, "meetings": 25, "interactions": 25, "deals": 20}
    score = shown_score(body, "engagement-why")
    assert score == Decimal("21.27") == half_up(sum(weights[k] * v for k, (v, _) in rows.items()))
    lead = why_rows(body, "lead-why")
    assert lead == {
        "engagement": (Decimal("0.2127"), "9.57"),
        "tier": (Decimal("0.7500"), "15.00"),
        "target": (Decimal("1.0000"), "15.00"),
        "decision_maker": (Decimal("1.0000"), "20.00"),
    }
    lead_weights = {"engagement": 45, "tier": 20, "target": 15, "decision_maker": 20}
    assert (
        shown_score(body, "lead-why")
        == Decimal("59.57")
        == half_up(sum(lead_weights[k] * v for k, (v, _) in lead.items()))
    )
    assert "why-note" not in body


def test_users_without_ai_features_see_no_breakdown(app, client, auth, users, explained):
    from tests.test_deals import set_ai

    set_ai(app, users, "rep", on=False)
    auth.login(users["rep"]["email"])
    for url in (f"/deals/{explained['deal']}", f"/companies/{explained['company']}"):
        body = client.get(url).get_data(as_text=True)
        assert "-why" not in body and "Why this" not in body and "data-risk" not in body


# --- computed columns are not edits -----------------------------------------------------------


def test_score_updates_write_no_audit_row_and_keep_updated_at(admin_conn, users):
    conn = admin_conn
    company = conn.execute(
        "insert into crm.companies (name, owner_id) values ('Audited', %s) returning id", (users["rep"]["id"],)
    ).fetchone()[0]
    conn.execute("set local session_replication_role = replica")  # set an old stamp without the trigger
    conn.execute("update crm.companies set updated_at = '2020-01-01 00:00+00' where id = %s", (company,))
    conn.execute("set local session_replication_role = origin")
    audit = "select count(*) from crm.audit_log where row_id = %s and action = 'update'"
    conn.execute("update crm.companies set engagement_score = 42, lead_score = 7 where id = %s", (company,))
    # scores only: no audit row, updated_at kept
    assert conn.execute(audit, (company,)).fetchone() == (0,)
    assert conn.execute("select updated_at from crm.companies where id = %s", (company,)).fetchone() == (
        datetime(2020, 1, 1, tzinfo=UTC),
    )
    conn.execute("update crm.companies set name = 'Audited Inc', lead_score = 8 where id = %s", (company,))
    # an edit: audited with only the edited column, updated_at stamped
    assert conn.execute(
        "select changed_columns from crm.audit_log where row_id = %s and action = 'update'", (company,)
    ).fetchall() == [(["name"],)]
    assert conn.execute("select updated_at > '2020-01-01' from crm.companies where id = %s", (company,)).fetchone() == (
        True,
    )


def test_rescoring_after_an_activity_write_leaves_only_the_users_changes_in_the_audit_log(app, client, auth, users):
    rid = users["rep"]["id"]
    company = add_row(app, users, "companies", name="Quiet", owner_id=rid)
    contact = add_row(app, users, "contacts", first_name="Quinn", company_id=company, owner_id=rid)
    deal = add_deal(app, users, name="Quiet deal", company_id=company)
    start = one(app, users, "select max(id) from crm.audit_log")[0][0]
    auth.login(users["rep"]["email"])
    response = client.post(
        "/activities/new",
        data={"csrf_token": auth.csrf_token("/activities/new"), "type": "call", "status": "completed",
              "subject": "Great call", "details": "Great call, they loved the demo and want a proposal.",
              "date": (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "quantity": "1",
              "company_id": str(company), "contact_id": str(contact), "deal_id": str(deal)},
    )  # fmt: skip
    assert response.status_code == 302
    # the scores moved (positive sentiment, a scored company, contact and deal) ...
    assert one(app, users, "select engagement_score > 0 from crm.companies where id = :c", c=company) == [(True,)]
    assert one(app, users, "select engagement_score > 0 from crm.contacts where id = :c", c=contact) == [(True,)]
    assert deal_row(app, users, deal)[0] > 0
    # ... but the audit log has only what the user did (besides signing in): the activity and the links it
    # made, once each
    rows = one(
        app, users,
        "select table_name, action from crm.audit_log where id > :s and table_name <> 'users'"
        " order by table_name, action", s=start,
    )  # fmt: skip
    assert rows == [("activities", "insert"), ("company_activities", "insert"), ("contact_interactions", "insert")]


def test_the_page_says_when_the_stored_score_differs(app, client, auth, users, explained):
    """Components are computed now from what the user may see; the stored score from every record at the
    last rescoring. When they differ (here: a stored value changed behind the page's back) the page says so."""
    fetch_as(app, users["admin"]["id"], "update crm.companies set engagement_score = 50 where id = :c returning id",
             {"c": explained["company"]})  # fmt: skip
    auth.login(users["rep"]["email"])
    body = client.get(f"/companies/{explained['company']}").get_data(as_text=True)
    assert shown_score(body, "engagement-why") == Decimal("21.27")
    assert 'class="muted why-note">The stored score (50.00)' in body
