"""The score functions plan a few ids and all of them differently (sql/functions/scores.sql,
crm.plan_mode_for_ids): a page's "why" or a write's rescoring runs a kept (generic) plan, the nightly
rescoring a plan made for its ids. Either way the numbers must be the same, and the setting must end
with the function. The values are those worked out in tests/test_rescore_writes.py's `explained`.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from dashboard.db import db
from tests.conftest import present_session
from tests.test_rescore_writes import explained  # noqa: F401 (the fixture)


def test_a_few_ids_and_all_of_them_score_the_same(app, db_session, users, explained):  # noqa: F811
    """In one transaction as the admin (crm_app, row-level security on), as a page reads them."""
    company, deal, k1 = explained["company"], explained["deal"], explained["k1"]
    checks = [
        # (function, columns, key, id, expected): engagement 21.27 and lead 59.57 for C, 45.77 and
        # single-threaded for D, engagement 16.00 and decision maker 1.00 for K1
        ("company_score_breakdown", "engagement_score, lead_score", "company_id", company,
         (Decimal("21.27"), Decimal("59.57"))),
        ("deal_score_breakdown", "deal_intelligence_score, risk_factors", "deal_id", deal,
         (Decimal("45.77"), ["single_threaded"])),
        ("contact_score_breakdown", "engagement_score, decision_maker_score", "contact_id", k1,
         (Decimal("16.00"), Decimal("1.00"))),
    ]  # fmt: skip
    with app.app_context():
        present_session(db.session, users["admin"]["id"])
        row = lambda sql, **params: tuple(db.session.execute(text(sql), params).one())  # noqa: E731
        assert row("show plan_cache_mode") == ("auto",)
        for function, columns, key, row_id, expected in checks:
            for _ in range(3):  # the first call makes the kept plan, the next ones run it
                assert row(f"select {columns} from crm.{function}(array[:id]::uuid[])", id=row_id) == expected
            every = row(f"select {columns} from crm.{function}(null) where {key} = :id", id=row_id)
            assert every == expected, function
        features = "select x from crm.deal_win_features({}) where deal_id = :id"
        assert row(features.format("array[:id]::uuid[]"), id=deal) == row(features.format("null"), id=deal)
        # each function chose its own plans and restored the session's setting on its way out
        assert row("show plan_cache_mode") == ("auto",)
        db.session.rollback()


def test_the_plan_mode_threshold(admin_conn):
    """A kept plan for up to 50 ids, a plan per call for more (the threshold is defined once, in SQL)."""
    modes = [admin_conn.execute("select crm.plan_mode_for_ids(%s)", (n,)).fetchone()[0] for n in (0, 1, 50, 51, 100000)]
    assert modes == ["force_generic_plan"] * 3 + ["force_custom_plan"] * 2
