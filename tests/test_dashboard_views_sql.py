"""The five reporting views (companies with intelligence, deals, activities and meetings with their
relationships, deal meeting analytics) and the largest open deals, against the hand-made fixture of
tests/test_dashboard_sql.py (``world``), whose every figure is worked out there: one company with several
deals, activities, contacts and meetings, so that a join fan-out would multiply the sums.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.test_dashboard_sql import as_user, build_world, dashboard


@pytest.fixture
def world(admin_conn, users):
    return build_world(admin_conn, users)


def view_row(conn, caller, sql, params):
    rows = as_user(conn, caller, sql, params)
    assert len(rows) == 1
    return rows[0]


def test_companies_with_intelligence_does_not_inflate(admin_conn, users, world):
    row = view_row(
        admin_conn, users["rep"]["id"],
        """select total_activities, total_deals, active_deals, total_deal_value, active_deal_value,
                  avg_win_probability, total_contacts, decision_makers_count, total_meetings,
                  avg_meeting_sentiment, avg_sentiment_score, last_activity_date::date
           from crm.companies_with_intelligence where id = %s""", (world["A"],),
    )  # fmt: skip
    # A: activities a1 a2 a3 a4 a7 a8 = 6; deals d1 d2 d3 = 3, value 17000 (not 17000 x 6 x 2 x 2);
    # mean win probability (0.80 + 0.75 + 0.50) / 3 = 0.68; contacts Ann, Bob = 2, decision makers 1;
    # meetings m1, m2 = 2, mean sentiment 0.40; mean activity sentiment (0.5 + 0.1) / 2 = 0.30; last Oct 21
    assert row == (6, 3, 3, Decimal("17000.00"), Decimal("17000.00"), Decimal("0.68"), 2, 1, 2,
                   Decimal("0.40"), Decimal("0.30"), dt.date(2026, 10, 21))  # fmt: skip
    # B: a5, a6 direct plus p1 through deal d4 = 3; d4 active 3000 + d5 won 7000 = 10000
    row = view_row(admin_conn, users["rep"]["id"],
                   "select total_activities, total_deals, total_deal_value, active_deal_value from crm.companies_with_intelligence where id = %s",
                   (world["B"],))  # fmt: skip
    assert row == (3, 2, Decimal("10000.00"), Decimal("3000.00"))


def test_deals_with_complete_relationships(admin_conn, users, world):
    row = view_row(
        admin_conn, users["rep"]["id"],
        """select company_name, contact_full_name, owner_full_name, stage_name, weighted_value, activity_count,
                  avg_activity_sentiment, meeting_count, stakeholder_count, champion_count, task_count,
                  completed_tasks_count
           from crm.deals_with_complete_relationships where id = %s""", (world["d1"],),
    )  # fmt: skip
    # d1: 10000 x 60% = 6000; activities a1, a2 (sentiment 0.3 mean); meetings m1, m2; stakeholders Ann
    # (champion), Bob; tasks t1 (pending), t4 (completed)
    assert row == ("Company A", "Ann Smith", "Test Rep", "Opportunity", Decimal("6000.00"), 2, Decimal("0.30"),
                   2, 2, 1, 2, 1)  # fmt: skip


def test_activities_with_complete_data_resolves_through_the_deal(admin_conn, users, world):
    row = view_row(
        admin_conn, users["rep"]["id"],
        """select company_id, resolved_company_id, company_name, resolved_contact_id, contact_full_name,
                  deal_name, deal_stage_name, user_full_name, team_name
           from crm.activities_with_complete_data where id = %s""", (world["p1"],),
    )  # fmt: skip
    # p1 has no company or contact of its own: both come from deal d4 (company B, contact Cid)
    assert row == (
        None,
        world["B"],
        "Company B",
        world["Cid"],
        "Cid Smith",
        "Deal d4",
        "Verbal",
        "Test Rep",
        "Test Team",
    )
    count = as_user(admin_conn, users["rep"]["id"], "select count(*) from crm.activities_with_complete_data")[0][0]
    assert count == 16  # one row per activity the rep can read (a1-a11, p1-p3, o1-o2)


def test_meetings_with_complete_relationships(admin_conn, users, world):
    row = view_row(
        admin_conn, users["rep"]["id"],
        """select company_name, contact_full_name, associated_deals_count, highest_deal_impact_score,
                  associated_deal_names, action_items_total, action_items_completed, action_items_urgent,
                  related_activities_count, follow_up_tasks_count, previous_meeting_at, next_meeting_at::date
           from crm.meetings_with_complete_relationships where id = %s""", (world["m1"],),
    )  # fmt: skip
    # m1: deals d1 (70) and d2 (85); 3 action items, 2 done, 1 urgent (not 3 x 2); activity a7; task t3;
    # no earlier meeting at A, the next one is m2 on Oct 13
    assert row == ("Company A", "Ann Smith", 2, Decimal("85.00"), "Deal d1, Deal d2", 3, 2, 1, 1, 1, None,
                   dt.date(2026, 10, 13))  # fmt: skip


def test_deal_meeting_analytics(admin_conn, users, world):
    row = view_row(
        admin_conn, users["rep"]["id"],
        """select meetings_total, meetings_positive, meetings_negative, meetings_progressed_stage,
                  avg_impact_score, max_impact_score, avg_days_between_meetings,
                  action_items_total, action_items_completed, action_item_completion_pct
           from crm.deal_meeting_analytics where deal_id = %s""", (world["d1"],),
    )  # fmt: skip
    # d1: m1 (positive, 70, progressed) and m2 (negative, 40): mean impact 55, gap 10 days;
    # action items of m1 (3) and m2 (1) = 4, done 3 -> 75%
    assert row == (2, 1, 1, 1, Decimal("55.00"), Decimal("70.00"), Decimal("10.0"), 4, 3, Decimal("75.0"))


def test_views_respect_row_level_security(admin_conn, users, world):
    for view, column, key in [
        ("companies_with_intelligence", "id", "E"), ("deals_with_complete_relationships", "id", "d7"),
        ("activities_with_complete_data", "id", "o3"), ("deal_meeting_analytics", "deal_id", "d7"),
    ]:  # fmt: skip
        rows = as_user(admin_conn, users["rep"]["id"], f"select 1 from crm.{view} where {column} = %s", (world[key],))
        assert rows == [], view
        rows = as_user(
            admin_conn, users["manager"]["id"], f"select 1 from crm.{view} where {column} = %s", (world[key],)
        )
        assert rows == [(1,)], view


def test_largest_open_deals(admin_conn, users, world):
    data = dashboard(admin_conn, users["rep"]["id"], users["rep"]["id"])
    # the rep's open deals by value: d1 10000, d2 5000, d4 3000, d3 2000 (won d5 and lost d6 left out)
    assert [(d["name"], d["value"], d["stage"]) for d in data["largest_deals"]] == [
        ("Deal d1", 10000, "Opportunity"), ("Deal d2", 5000, "Opportunity"), ("Deal d4", 3000, "Verbal"),
        ("Deal d3", 2000, "Lead"),
    ]  # fmt: skip
