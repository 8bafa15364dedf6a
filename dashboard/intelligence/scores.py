"""Running the scoring: everything (``crm score``) or the rows a write touched.

The formulas are SQL (``crm.*_score_breakdown``); this module orders the
stages (sentiment -> activities -> contacts -> win model -> deals -> companies
-> history) and times them.

* :func:`rescore_all` runs as the superuser (or a BYPASSRLS owner) on a
  psycopg connection: each stage is one statement over the whole table. As
  superuser it sets ``session_replication_role = replica`` for its
  transaction: computed columns are not user edits, so the audit and
  relationship triggers stay quiet (the interactions' inherited sentiment is
  set explicitly instead, and the deal totals, which count scores, are
  rebuilt at the end).
* :func:`rescore_after_write` runs inside the app's request transaction (as
  crm_app, under RLS, any user): it scores the texts the user just wrote (rows
  they own) and then calls ``app.rescore_after_write`` (SECURITY DEFINER,
  crm_helper) to recompute only the affected contacts, deals and companies
  from all their rows, plus today's history rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable

import psycopg

from dashboard.intelligence import sentiment, win_model
from dashboard.services import forecast

STAGES = ("sentiment", "activities", "contacts", "win_model", "deals", "companies", "history", "forecast")

# The deals stage after a retrained win model: the scores and risk factors of every deal and the changed
# win probabilities (win_model.train's temporary table) in one update, so a deal whose score and
# probability both move is written once (the nightly run moves about 10,000 scores and 24,000
# probabilities at the large scale). The breakdown is a function scan: hash-joined, as
# crm.rescore_deals(null) does, not looked up row by row.
_DEALS_WITH_PREDICTIONS = """
    update crm.deals d
    set deal_intelligence_score = b.deal_intelligence_score, risk_factors = b.risk_factors,
        win_probability_ai = coalesce(w.p, d.win_probability_ai)
    from crm.deal_score_breakdown(null, %s) b
    left join win_predictions w on w.id = b.deal_id
    where d.id = b.deal_id
      and (d.deal_intelligence_score, d.risk_factors, d.win_probability_ai)
          is distinct from (b.deal_intelligence_score, b.risk_factors, coalesce(w.p, d.win_probability_ai))"""


class ScoringError(Exception):
    """The scoring job cannot run (e.g. the connection cannot see every row)."""


def _check_can_see_everything(conn: psycopg.Connection) -> bool:
    """True for a superuser (may skip triggers); False for BYPASSRLS; raise otherwise."""
    superuser, bypass = conn.execute(
        "select rolsuper, rolbypassrls from pg_roles where rolname = current_user"
    ).fetchone()
    if not (superuser or bypass):
        raise ScoringError(
            "crm score needs the superuser (or a BYPASSRLS role) URL: row-level security "
            "would hide rows from the scores"
        )
    return superuser


def rescore_all(
    conn: psycopg.Connection,
    as_of: dt.datetime | None = None,
    full_sentiment: bool = False,
    progress: Callable[[str, float], None] = lambda stage, seconds: None,
    train: bool = True,
) -> dict:
    """Recompute every score in one transaction; returns seconds per stage and counts.

    ``full_sentiment`` rescores every text (else only texts without a score).
    ``train`` retrains the win model first (else the stored one is used).
    """
    superuser = _check_can_see_everything(conn)
    as_of = as_of or conn.execute("select now()").fetchone()[0]
    seconds: dict[str, float] = {}
    counts: dict[str, object] = {}
    report: dict = {}
    with conn.transaction():
        if superuser:
            conn.execute("set local session_replication_role = replica")
        # the per-table aggregates hash 100k-2M rows: with the 4 MB default they spill to disk
        conn.execute("set local work_mem = '256MB'")

        def stage(name, run):
            start = time.perf_counter()
            counts[name] = run()
            seconds[name] = time.perf_counter() - start
            progress(name, seconds[name])

        stage("sentiment", lambda: sentiment.score_all(conn, full=full_sentiment))
        stage("activities", lambda: _one(conn, "select crm.rescore_activities(null, %s)", as_of))
        stage("contacts", lambda: _one(conn, "select crm.rescore_contacts(null, %s)", as_of))

        def win():
            if train:  # one read of the features: train, then stage the changed probabilities for the deals
                report.update(win_model.train(conn, as_of, stage_predictions=True))
                return report["staged"]
            return _one(conn, "select crm.rescore_win_probability(null, %s)", as_of)

        def deals():
            if not train:
                return _one(conn, "select crm.rescore_deals(null, %s)", as_of)
            conn.execute("set local enable_nestloop = off")
            written = conn.execute(_DEALS_WITH_PREDICTIONS, (as_of,)).rowcount
            conn.execute("set local enable_nestloop = on")
            return written

        stage("win_model", win)
        stage("deals", deals)
        stage("companies", lambda: _one(conn, "select crm.rescore_companies(null, %s)", as_of))

        def history():
            written = _one(conn, "select crm.record_score_history(null, null, %s)", as_of)
            if superuser:  # the triggers that keep the deal totals were off
                conn.execute("select app.rebuild_deal_and_task_totals()")
            return written

        stage("history", history)
        # the month's forecast snapshot, the first run of a month only (services/forecast.py)
        stage("forecast", lambda: forecast.take_forecast_snapshot(conn, as_of.astimezone(dt.UTC).date()))
    return {"seconds": seconds, "counts": counts, "model": report, "as_of": as_of}


# the scored text of each table: (read the rows, write one score)
_TEXT_QUERIES = {
    table: (
        f"select id, {column} from crm.{table} where id = any(cast(:ids as uuid[]))",  # noqa: S608
        # one statement for all of them (a mailbox sync rescores hundreds at once)
        f"""update crm.{table} t set sentiment_score = s.score
              from unnest(cast(:ids as uuid[]), cast(:scores as numeric[])) as s(id, score)
             where t.id = s.id and t.sentiment_score is distinct from s.score""",  # noqa: S608
    )
    for table, column in sentiment.SOURCES
}


def _one(conn: psycopg.Connection, query: str, *params):
    return conn.execute(query, params).fetchone()[0]


def _ids(values: Iterable) -> list[str]:
    return sorted({str(v) for v in values if v is not None})


def rescore_after_write(
    session, deal_ids=(), company_ids=(), contact_ids=(), activity_ids=(), meeting_ids=(), interaction_ids=()
) -> None:
    """Recompute the scores a write changed, inside the caller's transaction.

    ``session`` is the app's SQLAlchemy session (crm_app with app.user_id set)
    or anything with ``execute(text, params)``. Pass the ids the write touched:
    an activity, meeting or interaction whose text changed gets its sentiment
    rescored (as the acting user, who just wrote it); contacts, deals and
    companies depending on them are widened in SQL. Works for every user (no AI
    gate: scores stay current whoever writes), returns nothing.
    """
    from sqlalchemy import text

    activity_ids, meeting_ids, interaction_ids = _ids(activity_ids), _ids(meeting_ids), _ids(interaction_ids)
    deal_ids, company_ids, contact_ids = set(_ids(deal_ids)), set(_ids(company_ids)), set(_ids(contact_ids))
    for table, ids in (
        ("activities", activity_ids),
        ("meetings", meeting_ids),
        ("contact_interactions", interaction_ids),
    ):
        if not ids:
            continue
        read, write = _TEXT_QUERIES[table]
        scored = [(str(row_id), sentiment.compound(body)) for row_id, body in session.execute(text(read), {"ids": ids})]
        if scored:
            session.execute(text(write), {"ids": [i for i, _ in scored], "scores": [s for _, s in scored]})
    if meeting_ids:
        for deal_id, company_id, contact_id in session.execute(
            text(
                """select m.primary_deal_id, m.company_id, m.primary_contact_id from crm.meetings m
                   where m.id = any(cast(:ids as uuid[]))
                   union all  -- a deal counts its meetings by deal_meetings link and by primary deal
                   select dm.deal_id, null, null from crm.deal_meetings dm
                   where dm.meeting_id = any(cast(:ids as uuid[]))"""
            ),
            {"ids": meeting_ids},
        ).fetchall():
            deal_ids.add(str(deal_id)) if deal_id else None
            company_ids.add(str(company_id)) if company_id else None
            contact_ids.add(str(contact_id)) if contact_id else None
    if interaction_ids:
        for (contact_id,) in session.execute(
            text("select contact_id from crm.contact_interactions where id = any(cast(:ids as uuid[]))"),
            {"ids": interaction_ids},
        ).fetchall():
            contact_ids.add(str(contact_id))
    session.execute(
        text(
            "select app.rescore_after_write(cast(:d as uuid[]), cast(:c as uuid[]), cast(:p as uuid[]),"
            " cast(:a as uuid[]))"
        ),
        {"d": _ids(deal_ids), "c": _ids(company_ids), "p": _ids(contact_ids), "a": activity_ids},
    )
