"""Sentiment of free text: VADER's compound score (-1..1), offline.

What is scored: activity ``details``, meeting ``summary`` and interaction
``notes``; the result is stored as ``sentiment_score`` (numeric(3,2)). An
interaction without notes takes the sentiment of the activity or meeting it
came from. Text that is empty or whitespace has no sentiment (null), never 0.

The fields derived from it are computed in SQL by ``crm.rescore_activities``
(so a batch and a single-row rescore agree); their rules:

* **engagement_quality** (low/medium/high/excellent): a cancelled or no-show
  activity is ``low``. Otherwise a base for the type (sale .9, meeting .7,
  proposal .7, call .55, email .45, note .4, outbound .3: how much the
  customer took part) plus 0.3 x sentiment (unknown 0); >= .85 excellent,
  >= .6 high, >= .35 medium, else low.
* **outcome_prediction** (positive/neutral/negative/unclear): cancelled or
  no-show is ``negative`` (the follow-through failed); no sentiment is
  ``unclear``; sentiment >= .25 positive, <= -.25 negative, else neutral.
* **urgency_score** (0..1): for a pending activity, the larger of its own
  due-date pressure (1 - days until it is due / 14; overdue = 1) and its
  active deal's close-date pressure (1 - days to the expected close / 60),
  each clamped to 0..1. Done, cancelled and no-show activities have nothing
  urgent about them: 0.

The batch pass scores only rows whose sentiment is missing (``full=True``
rescores every text); identical texts are scored once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import psycopg
from psycopg import sql

# (table, text column) pairs that carry a sentiment_score of their own text
SOURCES = (("activities", "details"), ("meetings", "summary"), ("contact_interactions", "notes"))
BATCH = 20_000


@functools.cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def compound(text: str | None) -> float | None:
    """VADER compound of ``text`` rounded to 2 places, or None for no text."""
    if text is None or not text.strip():
        return None
    return round(_analyzer().polarity_scores(text)["compound"], 2)


def label(score: float | None, threshold: float = 0.05) -> str:
    """positive / negative / neutral by VADER's conventional +-0.05 threshold."""
    if score is None:
        return "neutral"
    return "positive" if score >= threshold else "negative" if score <= -threshold else "neutral"


class _Cache:
    """Scores identical texts once (templated notes repeat a lot)."""

    def __init__(self, limit: int = 500_000):
        self.scores: dict[str, float | None] = {}
        self.limit = limit

    def __call__(self, text: str | None) -> float | None:
        try:
            return self.scores[text]
        except KeyError:
            value = compound(text)
            if len(self.scores) < self.limit:
                self.scores[text] = value
            return value


def _score_table(conn: psycopg.Connection, table: str, column: str, full: bool, cache: _Cache) -> int:
    """Score ``table.column`` into ``table.sentiment_score``; returns rows updated."""
    ident = {"table": sql.Identifier("crm", table), "column": sql.Identifier(column)}
    where = sql.SQL("t.{column} is not null" + ("" if full else " and t.sentiment_score is null")).format(**ident)
    conn.execute(
        "create temporary table if not exists sentiment_batch (id uuid primary key, score numeric(3,2)) on commit drop"
    )
    conn.execute("truncate sentiment_batch")
    scored: list[tuple] = []
    with conn.cursor(name=f"sentiment_{table}") as read:
        read.itersize = BATCH
        read.execute(sql.SQL("select t.id, t.{column} from {table} t where {where}").format(where=where, **ident))
        for row_id, text in read:
            scored.append((row_id, cache(text)))
    with conn.cursor() as write, write.copy("copy sentiment_batch (id, score) from stdin") as copy:
        for row in scored:
            copy.write_row(row)
    updated = conn.execute(
        sql.SQL(
            """update {table} t set sentiment_score = b.score from sentiment_batch b
           where t.id = b.id and t.sentiment_score is distinct from b.score"""
        ).format(**ident)
    ).rowcount
    conn.execute("truncate sentiment_batch")
    return updated


def _inherit_interactions(conn: psycopg.Connection, full: bool) -> int:
    """Interactions without notes take their activity's (or meeting's) sentiment.

    Only those still without one unless ``full`` (in the app, the relationship
    trigger copies an activity's new sentiment to its interaction).
    """
    only_missing = sql.SQL("" if full else " and ci.sentiment_score is null")
    return conn.execute(
        sql.SQL("""update crm.contact_interactions ci
           set sentiment_score = coalesce(a.sentiment_score, m.sentiment_score)
           from crm.contact_interactions x
           left join crm.activities a on a.id = x.activity_id
           left join crm.meetings m on m.id = x.meeting_id
           where ci.id = x.id and (ci.notes is null or btrim(ci.notes) = '')
             and (x.activity_id is not null or x.meeting_id is not null)
             and ci.sentiment_score is distinct from coalesce(a.sentiment_score, m.sentiment_score){}""").format(
            only_missing
        )
    ).rowcount


def score_all(
    conn: psycopg.Connection, full: bool = False, progress: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Score every missing (``full``: every) text; returns rows updated per table."""
    cache = _Cache()
    counts = {}
    for table, column in SOURCES:
        counts[table] = _score_table(conn, table, column, full, cache)
        progress(f"sentiment {table}: {counts[table]:,} updated")
    counts["contact_interactions (inherited)"] = _inherit_interactions(conn, full)
    return counts
