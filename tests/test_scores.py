"""Company engagement, deal intelligence, contact scores and risk factors on
hand-made fixtures (every expected value worked out below), and the batch
rescoring equal to the single-row functions on every row of the small demo.

The fixture, as of T = 2026-06-01 12:00 UTC (rows inserted as the superuser;
the relationship triggers create the company_activities links):

Company C1 (enterprise, target account), contacts K1 (c-level, stored
decision_maker_score .9, engagement 80) and K2 (mid, .4, 20):
  activities (completed unless said; quality -> value; link strength)
    a1 direct   excellent 1.0  s1.0  T-10d
    a2 direct   low       0.3  s1.0  T-20d
    a3 deal D1  high      0.8  s0.9  T-5d   sentiment -0.5
    a4 direct   (null)    0.5  s1.0  T-40d
    a7 deal D1  medium    0.6  s0.9  T-25d  sentiment -0.3
    a5 direct   excellent       -    T-100d  (older than 90 days)
    a6 direct   excellent, cancelled  T-3d   (not completed)
  A: n = 5, weighted = 1 + .3 + .72 + .5 + .54 = 3.06, weight = 4.8,
     mean = .6375, x min(1, 5/10) = .31875 -> .3188
  meetings: m1 positive, sentiment .6 -> .8, T-7d; m2 negative, no sentiment -> .5, T-30d;
     m3 pending (future), m4 cancelled, m5 neutral T-95d, m6 reschedule T-12d: not held / too old
  M: n = 2, mean .65 x min(1, 2/4) = .325
  interactions: K1 .9 T-1d, K1 null(.5) T-50d, K2 .4 T-89d, K2 1.0 T-91d (too old)
  I: n = 3, mean .6 x min(1, 3/10) = .18
  deals: D1 active (stored score 60), D2 active (30), D3 won (90, not active)
  D: mean(.6, .3) = .45
  engagement = 100 (.3 x .3188 + .25 x .325 + .25 x .18 + .2 x .45)
             = 100 (.09564 + .08125 + .045 + .09) = 31.189 -> 31.19
  lead = 100 (.45 x .3119 + .2 x 1 (enterprise) + .15 x 1 (target) + .2 x .9 (best K1))
       = 100 (.140355 + .53) = 67.0355 -> 67.04
Company C2 (smb, nothing at all): engagement 0, lead 100 (.2 x .5) = 10.00, no last engagement.
Company C3 (smb): only a9 at T-200d (excellent): engagement 0, last engagement T-200d.

Deal D1 (active, company C1, in stage since T-10d, close T+30d):
  stakeholders K1 decision_maker, K2 influencer + champion:
    .4 x min(1, 2/3) + .3 + .3 = .8667
  meetings m1 positive (primary deal), m2 negative (deal_meetings), m6 reschedule (primary deal),
    m3 pending (not counted): mean (1 + 0 + .25)/3 = .41667 x min(1, 3/3) -> .4167
  activities in 30 days: a3 .8, a7 .6: mean .7 x min(1, 2/8) = .175
  contact quality: K1 .6 x .9 + .4 x .8 = .86; K2 .6 x .4 + .4 x .2 = .32; mean .59
  score = 25 (.8667 + .4167 + .175 + .59) = 25 x 2.0484 = 51.21
  risks: sentiment of the last 30 days (-.5, -.3) mean -.4 <= -.2 -> negative_sentiment_trend only
Deal D2 (active, company C1, nothing, in stage since T-45d): score 0;
  risks no_activity_14d, single_threaded, no_champion, no_decision_maker, stalled_in_stage
Deal D3 (won): no risk factors. Deal D4 (active, company C3) with only a9 (T-200d): score 0.

Contacts: K1 interactions .9 (T-1d), .5 (T-50d): mean .7 x min(1, 2/5) = 28.00;
  decision maker = .6 x 1 (c-level) + .4 x 1 (decision_maker) = 1.00; 2 interactions, last T-1d.
  K2: .4 (T-89d) only in window: .4 x 1/5 = 8.00; .6 x .4 (mid) + .4 x .7 (champion) = .52;
  2 interactions (T-91d counts: all time).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest
from psycopg import sql

from dashboard.intelligence import scores
from tests.conftest import present_session
from tests.test_win_model import demo_database

T = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def days(n: float) -> dt.datetime:
    return T - dt.timedelta(days=n)


@pytest.fixture
def graph(admin_conn, users):
    conn, owner = admin_conn, users["rep"]["id"]
    stage = dict(conn.execute("select name, id from crm.deal_stages").fetchall())
    ids = {}

    def one(sql, *params):
        return conn.execute(sql, params).fetchone()[0]

    for key, tier, target in (("C1", "enterprise", True), ("C2", "smb", False), ("C3", "smb", False)):
        ids[key] = one(
            "insert into crm.companies (name, owner_id, account_tier, is_target_account)"
            " values (%s, %s, %s, %s) returning id",
            f"Score {key}",
            owner,
            tier,
            target,
        )
    ids["K1"] = one(
        """insert into crm.contacts (first_name, company_id, owner_id, job_seniority, decision_maker_score,
                       engagement_score) values ('K1', %s, %s, 'c-level', 0.9, 80) returning id""",
        ids["C1"],
        owner,
    )
    ids["K2"] = one(
        """insert into crm.contacts (first_name, company_id, owner_id, job_seniority, decision_maker_score,
                       engagement_score) values ('K2', %s, %s, 'mid', 0.4, 20) returning id""",
        ids["C1"],
        owner,
    )
    for key, company, st, score, since in (
        ("D1", "C1", "Qualified", 60, 10),
        ("D2", "C1", "Lead", 30, 45),
        ("D3", "C1", "Won", 90, 20),
        ("D4", "C3", "Lead", 0, 5),
    ):
        ids[key] = one(
            """insert into crm.deals (name, stage_id, owner_id, company_id, deal_intelligence_score,
                          stage_changed_at, expected_close_date) values (%s, %s, %s, %s, %s, %s, %s) returning id""",
            f"Deal {key}",
            stage[st],
            owner,
            ids[company],
            score,
            days(since),
            (T + dt.timedelta(days=30)).date(),
        )
    conn.execute(
        """insert into crm.deal_stakeholders (deal_id, contact_id, role, is_champion) values
                    (%s, %s, 'decision_maker', false), (%s, %s, 'influencer', true)""",
        (ids["D1"], ids["K1"], ids["D1"], ids["K2"]),
    )
    for key, company, deal, quality, at, status, sentiment in (
        ("a1", "C1", None, "excellent", days(10), "completed", None),
        ("a2", "C1", None, "low", days(20), "completed", None),
        ("a3", None, "D1", "high", days(5), "completed", -0.5),
        ("a4", "C1", None, None, days(40), "completed", None),
        ("a7", None, "D1", "medium", days(25), "completed", -0.3),
        ("a5", "C1", None, "excellent", days(100), "completed", None),
        ("a6", "C1", None, "excellent", days(3), "cancelled", None),
        ("a9", "C3", "D4", "excellent", days(200), "completed", None),
    ):
        ids[key] = one(
            """insert into crm.activities (user_id, type, status, date, company_id, deal_id,
                          engagement_quality, sentiment_score) values (%s, 'call', %s, %s, %s, %s, %s, %s) returning id""",
            owner,
            status,
            at,
            ids.get(company),
            ids.get(deal),
            quality,
            sentiment,
        )
    for key, outcome, sentiment, at, deal in (
        ("m1", "positive", 0.6, days(7), "D1"),
        ("m2", "negative", None, days(30), None),
        ("m3", "pending", None, days(-2), "D1"),
        ("m4", "cancelled", None, days(3), None),
        ("m5", "neutral", -0.2, days(95), None),
        ("m6", "reschedule", None, days(12), "D1"),
    ):
        ids[key] = one(
            """insert into crm.meetings (title, starts_at, owner_id, company_id, primary_deal_id,
                          meeting_outcome, sentiment_score) values (%s, %s, %s, %s, %s, %s, %s) returning id""",
            key,
            at,
            owner,
            ids["C1"],
            ids.get(deal),
            outcome,
            sentiment,
        )
    conn.execute("insert into crm.deal_meetings (deal_id, meeting_id) values (%s, %s)", (ids["D1"], ids["m2"]))
    for contact, engagement, at in (
        ("K1", 0.9, days(1)),
        ("K1", None, days(50)),
        ("K2", 0.4, days(89)),
        ("K2", 1.0, days(91)),
    ):
        conn.execute(
            """insert into crm.contact_interactions (contact_id, user_id, interaction_type, engagement_score,
                        interaction_date) values (%s, %s, 'call', %s, %s)""",
            (ids[contact], owner, engagement, at),
        )
    return ids


def breakdown(conn, kind: str, key_ids: list) -> dict:
    function = sql.Identifier("crm", f"{kind}_score_breakdown")
    cur = conn.execute(sql.SQL("select * from {}(%s::uuid[], %s)").format(function), (key_ids, T))
    names = [c.name for c in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def test_company_engagement_by_hand(admin_conn, graph):
    rows = breakdown(admin_conn, "company", [graph["C1"], graph["C2"], graph["C3"]])
    c1 = rows[graph["C1"]]
    assert (c1["activities_90d"], c1["activity_component"]) == (5, Decimal("0.3188"))
    assert (c1["meetings_90d"], c1["meeting_component"]) == (2, Decimal("0.3250"))
    assert (c1["interactions_90d"], c1["interaction_component"]) == (3, Decimal("0.1800"))
    assert (c1["active_deals"], c1["deal_component"]) == (2, Decimal("0.4500"))
    assert c1["engagement_score"] == Decimal("31.19")
    assert c1["lead_score"] == Decimal("67.04")
    assert c1["last_engagement_date"] == days(1)  # K1's interaction is the latest touch
    c2 = rows[graph["C2"]]
    assert (c2["engagement_score"], c2["lead_score"], c2["last_engagement_date"]) == (0, Decimal("10.00"), None)
    c3 = rows[graph["C3"]]
    assert (c3["engagement_score"], c3["activities_90d"], c3["last_engagement_date"]) == (0, 0, days(200))
    single = admin_conn.execute("select crm.calculate_company_engagement_score(%s, %s)", (graph["C1"], T)).fetchone()
    assert single == (Decimal("31.19"),)
    assert admin_conn.execute("select crm.calculate_lead_score(%s, %s)", (graph["C2"], T)).fetchone() == (
        Decimal("10.00"),
    )


def test_deal_intelligence_and_risk_by_hand(admin_conn, graph):
    rows = breakdown(admin_conn, "deal", [graph[k] for k in ("D1", "D2", "D3", "D4")])
    d1 = rows[graph["D1"]]
    assert (d1["stakeholder_count"], d1["stakeholder_component"]) == (2, Decimal("0.8667"))
    assert (d1["meetings_counted"], d1["meeting_component"]) == (3, Decimal("0.4167"))
    assert (d1["activities_30d"], d1["activity_component"]) == (2, Decimal("0.1750"))
    assert d1["contact_quality_component"] == Decimal("0.5900")
    assert d1["deal_intelligence_score"] == Decimal("51.21")
    assert d1["risk_factors"] == ["negative_sentiment_trend"]
    d2 = rows[graph["D2"]]
    assert d2["deal_intelligence_score"] == 0
    assert d2["risk_factors"] == [
        "no_activity_14d",
        "single_threaded",
        "no_champion",
        "no_decision_maker",
        "stalled_in_stage",
    ]
    assert rows[graph["D3"]]["risk_factors"] == []
    assert rows[graph["D4"]]["deal_intelligence_score"] == 0
    assert "no_activity_14d" in rows[graph["D4"]]["risk_factors"]
    assert admin_conn.execute("select crm.calculate_deal_intelligence_score(%s, %s)", (graph["D1"], T)).fetchone() == (
        Decimal("51.21"),
    )


def test_close_date_passed(admin_conn, graph):
    admin_conn.execute(
        "update crm.deals set expected_close_date = %s where id = %s", ((T - dt.timedelta(days=1)).date(), graph["D1"])
    )
    assert "close_date_passed" in breakdown(admin_conn, "deal", [graph["D1"]])[graph["D1"]]["risk_factors"]


def test_contact_scores_by_hand(admin_conn, graph):
    rows = breakdown(admin_conn, "contact", [graph["K1"], graph["K2"]])
    k1, k2 = rows[graph["K1"]], rows[graph["K2"]]
    assert (k1["engagement_score"], k1["decision_maker_score"], k1["interaction_count"]) == (
        Decimal("28.00"),
        Decimal("1.00"),
        2,
    )
    assert k1["last_interaction_date"] == days(1)
    assert (k2["engagement_score"], k2["decision_maker_score"], k2["interaction_count"]) == (
        Decimal("8.00"),
        Decimal("0.52"),
        2,
    )
    assert admin_conn.execute("select crm.calculate_contact_engagement_score(%s, %s)", (graph["K1"], T)).fetchone() == (
        Decimal("28.00"),
    )


def test_unknown_ids_raise(admin_conn):
    for function in (
        "calculate_company_engagement_score",
        "calculate_deal_intelligence_score",
        "calculate_contact_engagement_score",
    ):
        with pytest.raises(psycopg.errors.NoDataFound):
            with admin_conn.transaction():
                admin_conn.execute(sql.SQL("select {}(gen_random_uuid())").format(sql.Identifier("crm", function)))


def test_batch_rescore_stores_the_hand_values_and_history(admin_conn, graph):
    admin_conn.execute("select crm.rescore_contacts(%s::uuid[], %s)", ([graph["K1"], graph["K2"]], T))
    admin_conn.execute("select crm.rescore_deals(%s::uuid[], %s)", ([graph["D1"], graph["D2"]], T))
    admin_conn.execute("select crm.rescore_companies(%s::uuid[], %s)", ([graph["C1"]], T))
    admin_conn.execute("select crm.record_score_history(%s::uuid[], %s::uuid[], %s)", ([graph["C1"]], [graph["D1"]], T))
    admin_conn.execute(
        "select crm.record_score_history(%s::uuid[], %s::uuid[], %s)", ([graph["C1"]], [graph["D1"]], T)
    )  # same day: upserted, not duplicated
    assert admin_conn.execute(
        "select engagement_score, decision_maker_score from crm.contacts where id = %s", (graph["K1"],)
    ).fetchone() == (Decimal("28.00"), Decimal("1.00"))
    # D1 with the rescored contacts: K1 .6 x 1.00 + .4 x .28 = .712, K2 .6 x .52 + .4 x .08 = .344,
    # contact quality .528 -> 25 (.8667 + .4167 + .175 + .528) = 25 x 1.9864 = 49.66
    assert admin_conn.execute(
        "select deal_intelligence_score, risk_factors from crm.deals where id = %s", (graph["D1"],)
    ).fetchone() == (Decimal("49.66"), ["negative_sentiment_trend"])
    # C1 with the rescored deals: D = mean(.4966, 0 (D2)) = .2483
    #   engagement = 100 (.09564 + .08125 + .045 + .2 x .2483) = 27.155 -> 27.16
    #   lead = 100 (.45 x .2716 + .2 + .15 + .2 x 1.00 (K1 rescored)) = 67.222 -> 67.22
    assert admin_conn.execute(
        "select engagement_score, lead_score from crm.companies where id = %s", (graph["C1"],)
    ).fetchone() == (Decimal("27.16"), Decimal("67.22"))
    assert admin_conn.execute(
        "select count(*), max(engagement_score) from crm.company_score_history where company_id = %s", (graph["C1"],)
    ).fetchone() == (1, Decimal("27.16"))


def test_score_history_writes_a_day_once_and_then_only_changes(admin_conn, graph):
    """The first snapshot of a day inserts; the same scores again write nothing (and keep the first
    recorded_at); a changed score updates that day's row; the next day is a new row."""
    record = "select crm.record_score_history(%s::uuid[], '{}'::uuid[], %s)"
    company = graph["C1"]
    read = "select day, engagement_score, recorded_at from crm.company_score_history where company_id = %s order by day"
    assert admin_conn.execute(record, ([company], T)).fetchone()[0] == 1
    first = admin_conn.execute(read, (company,)).fetchall()
    assert admin_conn.execute(record, ([company], T + dt.timedelta(hours=1))).fetchone()[0] == 0
    assert admin_conn.execute(read, (company,)).fetchall() == first
    admin_conn.execute("update crm.companies set engagement_score = 55.5 where id = %s", (company,))
    assert admin_conn.execute(record, ([company], T + dt.timedelta(hours=2))).fetchone()[0] == 1
    ((day, score, recorded_at),) = admin_conn.execute(read, (company,)).fetchall()
    assert (day, score, recorded_at) == (first[0][0], Decimal("55.50"), T + dt.timedelta(hours=2))
    assert admin_conn.execute(record, ([company], T + dt.timedelta(days=1))).fetchone()[0] == 1
    assert [row[1] for row in admin_conn.execute(read, (company,)).fetchall()] == [Decimal("55.50"), Decimal("55.50")]


def test_batch_equals_single_row_functions_on_the_demo(pg_server_url):
    """Every company, deal and contact of the small demo: stored batch value == single-row function."""
    conninfo = demo_database(pg_server_url, 42)
    as_of = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
    with psycopg.connect(conninfo) as conn:
        companies = conn.execute(
            """select count(*), count(*) filter (where c.engagement_score <> crm.calculate_company_engagement_score(c.id, %s)
                                                     or c.lead_score <> crm.calculate_lead_score(c.id, %s)),
                      count(*) filter (where c.engagement_score > 0)
               from crm.companies c""",
            (as_of, as_of),
        ).fetchone()
        assert companies[0] == 300 and companies[1] == 0 and companies[2] > 100
        deals = conn.execute(
            """select count(*), count(*) filter (where d.deal_intelligence_score
                                                     <> crm.calculate_deal_intelligence_score(d.id, %s)),
                      count(*) filter (where d.deal_intelligence_score > 0)
               from crm.deals d""",
            (as_of,),
        ).fetchone()
        assert deals[0] == 600 and deals[1] == 0 and deals[2] > 300
        contacts = conn.execute(
            """select count(*), count(*) filter (where c.engagement_score
                                                     <> crm.calculate_contact_engagement_score(c.id, %s))
               from crm.contacts c""",
            (as_of,),
        ).fetchone()
        assert contacts == (1500, 0)
        # risk factors only on active deals, and only known codes
        codes = {r[0] for r in conn.execute("select distinct unnest(risk_factors) from crm.deals").fetchall()}
        assert codes <= {
            "no_activity_14d",
            "close_date_passed",
            "single_threaded",
            "no_champion",
            "negative_sentiment_trend",
            "no_decision_maker",
            "stalled_in_stage",
        }
        assert (
            conn.execute("select count(*) from crm.deals where status <> 'active' and risk_factors <> '{}'").fetchone()[
                0
            ]
            == 0
        )
        # history: one row per company and deal for the day
        assert conn.execute("select count(*) from crm.company_score_history").fetchone()[0] == 300
        assert conn.execute("select count(*) from crm.deal_score_history").fetchone()[0] == 600


def test_rescore_after_write_updates_only_affected_rows(app, users, db_session):
    from sqlalchemy import text

    from dashboard.db import db

    owner = users["rep"]["id"]
    with app.app_context():
        session = db.session
        present_session(session, owner)
        company = session.execute(
            text("insert into crm.companies (name, owner_id) values ('Rescore Co', :o) returning id"), {"o": owner}
        ).scalar_one()
        other = session.execute(
            text("insert into crm.companies (name, owner_id) values ('Other Co', :o) returning id"), {"o": owner}
        ).scalar_one()
        stage = session.execute(text("select id from crm.deal_stages where name = 'Lead'")).scalar_one()
        deal = session.execute(
            text(
                "insert into crm.deals (name, stage_id, owner_id, company_id)"
                " values ('Rescore deal', :s, :o, :c) returning id"
            ),
            {"s": stage, "o": owner, "c": company},
        ).scalar_one()
        activity = session.execute(
            text(
                """insert into crm.activities (user_id, type, details, date, deal_id)
               values (:o, 'meeting', 'Excellent meeting, they love the product and want to move forward!',
                       now() - interval '1 day', :d) returning id"""
            ),
            {"o": owner, "d": deal},
        ).scalar_one()
        scores.rescore_after_write(session, activity_ids=[activity])
        row = session.execute(
            text("select sentiment_score, engagement_quality, outcome_prediction from crm.activities where id = :id"),
            {"id": activity},
        ).one()
        assert row[0] > 0.5 and row[1] == "excellent" and row[2] == "positive"
        # a meeting activity excellent: deal activity part 1.0 x 1/8 -> 25 x .125 = 3.13
        assert session.execute(
            text("select deal_intelligence_score, risk_factors from crm.deals where id = :id"), {"id": deal}
        ).one() == (Decimal("3.13"), ["single_threaded", "no_champion", "no_decision_maker"])
        # company (via the deal link, strength .9): A = 1.0 x 1/10 = .1, D = .0313:
        # 100 (.3 x .1 + .2 x .0313) = 3.63
        assert session.execute(
            text("select engagement_score from crm.companies where id = :id"), {"id": company}
        ).scalar_one() == Decimal("3.63")
        assert (
            session.execute(
                text("select engagement_score from crm.companies where id = :id"), {"id": other}
            ).scalar_one()
            == 0
        )
        assert (
            session.execute(
                text("select count(*) from crm.deal_score_history where deal_id = :id"), {"id": deal}
            ).scalar_one()
            == 1
        )
        session.rollback()
