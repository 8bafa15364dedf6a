"""The win model as of a past moment, on hand-made deals: features as the CRM stood then
(crm.deal_win_features / crm.deal_win_features_at), the training snapshots, and the
backtest's metrics. Every expected value is worked out in the comments."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.intelligence import backtest, win_model

UTC = dt.UTC
LOST_REASON = "00000000-0000-4000-8000-000000000100"


def t(month: int, day: int, year: int = 2026, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def deals(admin_conn, users):
    """Deal A (won 2026-03-01) and deal B (lost 2026-01-10), written with their own timestamps.

    A: created 01-01 12:00, value 10,000. Stages: Lead 01-01, Qualified 01-20, Opportunity 02-10,
       Won 03-01 (all 12:00). Completed activities: 01-05 (+0.50), 01-25 (−0.20), 02-20 (+0.80), and
       03-02 (+0.90, after the close). Meetings (primary deal A): 01-15 positive (+0.60, booked 01-10),
       02-05 neutral (+0.10, booked 01-28), 02-25 negative (−0.40, booked 02-20). Stakeholders: a
       champion added 01-10 (strength 0.80), a decision maker added 02-15 (strength 0.40).
    B: created 2025-12-01 12:00, value 5,000, Lead, then Lost 01-10. Activities 01-05 (−0.50) and
       01-20 (+0.90, after the close).
    """
    conn = admin_conn
    conn.execute("set local session_replication_role = replica")  # the rows keep the times written here
    owner = users["rep"]["id"]
    stage = dict(conn.execute("select name, id from crm.deal_stages").fetchall())
    company = conn.execute(
        "insert into crm.companies (name, owner_id) values ('As-of Test Co', %s) returning id", (owner,)
    ).fetchone()[0]
    contacts = [
        conn.execute(
            "insert into crm.contacts (first_name, last_name, company_id, owner_id) values (%s, 'Asof', %s, %s)"
            " returning id",
            (name, company, owner),
        ).fetchone()[0]
        for name in ("Champ", "Boss")
    ]

    def deal(name, value, stage_name, status, created, closed):
        return conn.execute(
            """insert into crm.deals (name, value, stage_id, owner_id, status, closed_at, created_at, updated_at,
                                      stage_changed_at, company_id, lost_reason_id)
               values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning id""",
            (name, value, stage[stage_name], owner, status, closed, created, closed, closed, company,
             LOST_REASON if status == "lost" else None),
        ).fetchone()[0]

    a = deal("As-of A", 10000, "Won", "won", t(1, 1), t(3, 1))
    b = deal("As-of B", 5000, "Lost", "lost", t(12, 1, 2025), t(1, 10))
    for deal_id, path in (
        (a, [("Lead", t(1, 1)), ("Qualified", t(1, 20)), ("Opportunity", t(2, 10)), ("Won", t(3, 1))]),
        (b, [("Lead", t(12, 1, 2025)), ("Lost", t(1, 10))]),
    ):
        for name, at in path:
            conn.execute(
                "insert into crm.deal_stage_history (deal_id, to_stage_id, changed_at) values (%s, %s, %s)",
                (deal_id, stage[name], at),
            )
    for deal_id, at, sentiment in (
        (a, t(1, 5), 0.5), (a, t(1, 25), -0.2), (a, t(2, 20), 0.8), (a, t(3, 2), 0.9),
        (b, t(1, 5), -0.5), (b, t(1, 20), 0.9),
    ):  # fmt: skip
        conn.execute(
            """insert into crm.activities (user_id, type, status, details, date, deal_id, sentiment_score,
                                           created_at, updated_at)
               values (%s, 'call', 'completed', 'a call', %s, %s, %s, %s, %s)""",
            (owner, at, deal_id, sentiment, at, at),
        )
    for starts, outcome, sentiment, booked in (
        (t(1, 15), "positive", 0.6, t(1, 10)),
        (t(2, 5), "neutral", 0.1, t(1, 28)),
        (t(2, 25), "negative", -0.4, t(2, 20)),
    ):
        conn.execute(
            """insert into crm.meetings (title, starts_at, ends_at, owner_id, primary_deal_id, meeting_outcome,
                                         sentiment_score, created_at, updated_at)
               values ('m', %s, %s, %s, %s, %s, %s, %s, %s)""",
            (starts, starts + dt.timedelta(hours=1), owner, a, outcome, sentiment, booked, starts),
        )
    for contact, role, champion, strength, added in (
        (contacts[0], "champion", True, 0.8, t(1, 10)),
        (contacts[1], "decision_maker", False, 0.4, t(2, 15)),
    ):
        conn.execute(
            """insert into crm.deal_stakeholders (deal_id, contact_id, role, is_champion, relationship_strength,
                                                  created_at, updated_at)
               values (%s, %s, %s, %s, %s, %s, %s)""",
            (a, contact, role, champion, strength, added, added),
        )
    conn.execute("set local session_replication_role = origin")
    return {"a": a, "b": b}


def features(conn, deal_id, as_of) -> tuple | None:
    row = conn.execute(
        "select is_closed, won, stage_probability::float8, x from crm.deal_win_features(array[%s]::uuid[], %s)",
        (deal_id, as_of),
    ).fetchone()
    if row is None:
        return None
    names = win_model.feature_names(conn)
    return row[0], row[1], row[2], dict(zip(names, row[3], strict=True))


def test_a_deal_closed_after_the_as_of_date_is_open_then_at_its_stage_then(admin_conn, deals):
    # as of 02-01 12:00, A (won on 03-01) was open, in Qualified (entered 01-20): 25%
    closed, won, stage_probability, x = features(admin_conn, deals["a"], t(2, 1))
    assert (closed, won, stage_probability) == (False, False, 0.25)
    expected = {
        "furthest_stage_probability": 0.25,  # Lead, Qualified so far
        "stage_probability": 0.25,
        "log_age_days": math.log(1 + 31),  # 01-01 -> 02-01
        "log_days_in_stage": math.log(1 + 12),  # 01-20 -> 02-01
        "log_activities": math.log(1 + 2),  # 01-05 and 01-25 (not 02-20, 03-02: later)
        "log_activities_30d": math.log(1 + 2),  # both after 01-02 12:00
        "log_activities_per_30d": math.log(1 + 30 * 2 / 31),
        "log_days_since_activity": math.log(1 + 7),  # 01-25 -> 02-01
        "mean_activity_sentiment": 0.15,  # (0.5 − 0.2) / 2
        "recent_activity_sentiment": 0.15,
        "net_activity_sentiment": 0.075,  # 0.3 / (2 + 2)
        "positive_activity_share": 0.25,  # 1 / (2 + 2)
        "negative_activity_share": 0.25,  # 1 / (2 + 2)
        "log_meetings_held": math.log(1 + 1),  # 01-15 only
        "log_meetings_per_30d": math.log(1 + 30 * 1 / 31),
        "mean_meeting_outcome": 1.0,  # positive
        "mean_meeting_sentiment": 0.6,
        "meeting_booked": 1,  # 02-05, booked on 01-28 (02-25 was booked only on 02-20)
        "stakeholders": 1,  # the champion (the decision maker came on 02-15)
        "has_champion": 1,
        "has_decision_maker": 0,
        "stakeholder_strength": 0.8,
        "log_value": math.log(1 + 10000),
    }
    assert x == pytest.approx(expected)


def test_a_deal_closed_by_the_as_of_date_is_cut_at_its_close(admin_conn, deals):
    # as of 06-01, A closed won on 03-01 12:00: everything before that moment, nothing after
    closed, won, stage_probability, x = features(admin_conn, deals["a"], t(6, 1))
    assert (closed, won, stage_probability) == (True, True, 1.0)
    expected = {
        "furthest_stage_probability": 0.6,  # Opportunity (the Won stage is not a feature)
        "stage_probability": 0.6,  # the open stage it closed from
        "log_age_days": math.log(1 + 59),  # 01-01 -> 03-01
        "log_days_in_stage": math.log(1 + 19),  # 02-10 -> 03-01
        "log_activities": math.log(1 + 3),  # not 03-02's
        "log_activities_30d": math.log(1 + 1),  # after 01-30 12:00: 02-20
        "log_activities_per_30d": math.log(1 + 30 * 3 / 59),
        "log_days_since_activity": math.log(1 + 9),  # 02-20 -> 03-01
        "mean_activity_sentiment": pytest.approx(1.1 / 3),  # (0.5 − 0.2 + 0.8) / 3
        "recent_activity_sentiment": 0.8,
        "net_activity_sentiment": 0.22,  # 1.1 / (3 + 2)
        "positive_activity_share": 0.4,  # 2 / 5
        "negative_activity_share": 0.2,  # 1 / 5
        "log_meetings_held": math.log(1 + 3),
        "log_meetings_per_30d": math.log(1 + 30 * 3 / 59),
        "mean_meeting_outcome": 0.5,  # (1 + 0.5 + 0) / 3
        "mean_meeting_sentiment": pytest.approx(0.1),  # (0.6 + 0.1 − 0.4) / 3
        "meeting_booked": 0,  # closed: nothing ahead
        "stakeholders": 2,
        "has_champion": 1,
        "has_decision_maker": 1,
        "stakeholder_strength": pytest.approx(0.6),  # (0.8 + 0.4) / 2
        "log_value": math.log(1 + 10000),
    }
    assert x == pytest.approx(expected)


def test_a_lost_deal_closed_before_and_a_deal_not_created_yet(admin_conn, deals):
    # B lost on 01-10: as of 02-01 it is closed, lost, 0%; the 01-20 activity came after its close
    closed, won, stage_probability, x = features(admin_conn, deals["b"], t(2, 1))
    assert (closed, won, stage_probability) == (True, False, 0.0)
    assert x["log_activities"] == pytest.approx(math.log(2))
    assert x["mean_activity_sentiment"] == pytest.approx(-0.5)
    assert x["furthest_stage_probability"] == pytest.approx(0.10)
    # A did not exist on 2025-12-15
    assert features(admin_conn, deals["a"], t(12, 15, 2025)) is None


def test_snapshot_times_are_fractions_of_the_deals_life():
    # created 01-01 00:00, closed 01-11 00:00: 10 days; 0.2 → 2 days, 0.4 → 4, 0.6 → 6, 0.8 → 8, 1.0 the close
    created, closed = t(1, 1, hour=0), t(1, 11, hour=0)
    assert win_model.snapshot_times(created, closed) == [t(1, 3, hour=0), t(1, 5, hour=0), t(1, 7, hour=0),
                                                         t(1, 9, hour=0), t(1, 11, hour=0)]  # fmt: skip
    # closed the moment it was created: one snapshot, its close
    assert win_model.snapshot_times(created, created) == [created]


def test_training_snapshots_of_the_deals_closed_by_then(admin_conn, deals):
    # as of 06-01 both deals are closed: 5 snapshots each, weighing 1/5, all labelled with the outcome
    rows = win_model.snapshots(admin_conn, t(6, 1))
    a, b = str(deals["a"]), str(deals["b"])
    ids = [str(i) for i in rows.ids]
    assert sorted(ids) == sorted([a] * 5 + [b] * 5)
    assert rows.weight.tolist() == pytest.approx([0.2] * 10)
    label = {str(i): int(y) for i, y in zip(rows.ids, rows.y, strict=True)}
    assert (label[a], label[b]) == (1, 0)
    # A at 0.2 of its 59 days (11.8 days: 01-13 07:12) was open, in Lead, with one activity (01-05);
    # only the last snapshot, at its close, is closed
    first_a = ids.index(a)
    names = win_model.feature_names(admin_conn)
    x = dict(zip(names, rows.x[first_a], strict=True))
    assert x["stage_probability"] == pytest.approx(0.10)
    assert x["log_activities"] == pytest.approx(math.log(2))
    assert rows.closed[[i == a for i in ids]].tolist() == [False, False, False, False, True]
    # as of 02-01 only B had closed: A is not trained on
    assert {str(i) for i in win_model.snapshots(admin_conn, t(2, 1)).ids} == {b}


def test_backtest_metrics_by_hand():
    y = [1, 1, 0, 0]
    p = [0.9, 0.4, 0.6, 0.1]
    # won/lost pairs: 0.9>0.6 yes, 0.9>0.1 yes, 0.4>0.6 no, 0.4>0.1 yes: 3 of 4
    assert backtest.auc(y, p) == pytest.approx(0.75)
    # (0.1² + 0.6² + 0.6² + 0.1²) / 4 = 0.74 / 4
    assert backtest.brier(y, p) == pytest.approx(0.185)
    # a tie counts half: one pair, tied
    assert backtest.auc([1, 0], [0.5, 0.5]) == pytest.approx(0.5)
    # bands of 0.1: 0.1 in [0.1, 0.2), 0.4 in [0.4, 0.5), 0.6 in [0.6, 0.7), 0.9 in [0.9, 1.0]
    assert rounded(backtest.calibration(y, p)) == [
        (0.1, 0.2, 1, 0.1, 0.0), (0.4, 0.5, 1, 0.4, 1.0), (0.6, 0.7, 1, 0.6, 0.0), (0.9, 1.0, 1, 0.9, 1.0),
    ]  # fmt: skip
    # 1.0 falls in the last band; two deals in one band: mean predicted (0.95 + 1) / 2, observed 1 of 2
    assert rounded(backtest.calibration([1, 0], [0.95, 1.0])) == [(0.9, 1.0, 2, 0.975, 0.5)]


def rounded(table):
    return [tuple(round(v, 6) for v in row) for row in table]


def test_without_stage_history_the_stage_is_its_stage_now_if_open(admin_conn, users):
    # no history rows at all (an import): as of 02-01 an open deal in Opportunity is taken to have been there
    # (60%); one won on 03-01 was open then, at an unknown stage: the first open stage (Lead, 10%)
    admin_conn.execute("set local session_replication_role = replica")
    stage = dict(admin_conn.execute("select name, id from crm.deal_stages").fetchall())
    ids = [
        admin_conn.execute(
            """insert into crm.deals (name, stage_id, owner_id, status, closed_at, created_at, stage_changed_at)
               values ('No history', %s, %s, %s, %s, %s, %s) returning id""",
            (stage[name], users["rep"]["id"], status, closed, t(1, 1), t(3, 1)),
        ).fetchone()[0]
        for name, status, closed in (("Opportunity", "active", None), ("Won", "won", t(3, 1)))
    ]
    admin_conn.execute("set local session_replication_role = origin")
    assert [features(admin_conn, i, t(2, 1))[:3] for i in ids] == [(False, False, 0.6), (False, False, 0.1)]
