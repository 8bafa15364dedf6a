"""Sentiment of free text as a sales rep means it (-1..1), offline: VADER plus sales rules.

Plain VADER reads sales notes as generic English: "Champion left the company" is positive to it
("champion"), "the PO is on its way" -0.65 ("PO" is slang), and "They signed with the competitor"
0. :func:`compound` spells out CRM shorthand ("w/", "rcvd", "aprvd") and reads the note in four
steps, every word list and weight in :mod:`dashboard.intelligence.sales_lexicon`:

1. **Clauses.** The note is cut into sentences, and a sentence at a contrast: the clause before
   "but" / "however" / "in the end" and the clause opened by "although" / "though" / "despite" are
   conceded, their cues count 0.3 ("liked the demo but budget is frozen" is about the budget).
2. **Sales cues.** Phrase rules (champion left, went dark, slipped, on hold, budget freeze, signed
   with a competitor, churn, escalation, failed review...; signed, PO issued, verbal commit,
   shortlisted, selected us, budget approved, expanding, renewed, moving forward...) each add a
   valence (found by :mod:`.cue_matcher`). A negator among the three words before a cue turns it
   ("didn't sign" x -0.8, "not on hold anymore" x -0.5); so does a word that ends a bad sign
   ("budget freeze lifted", "resolved the escalation"). A cue after "if" / "whether" in its clause
   is hypothetical, and a sales word naming a topic ("the cancellation policy") or a step still to
   take ("need approval") no event: no valence.
3. **VADER** scores the whole note with a sales-adjusted lexicon (politeness such as "please",
   "thanks" and sales nouns such as "PO", "security", "support" carry no feeling).
4. **Combination.** With cues, cues and half of VADER's valence are added and normalised as VADER
   does (x / sqrt(x^2 + 15)). Without any cue the note is generic English: VADER's score is kept at
   0.6, and at 0.25 when the note is logistics (scheduling, sending, logging: a "great, talk
   Tuesday" is not a sales signal), so such notes stay within +-0.25.

The labelled notes in ``corpus/sales_notes.csv`` measure it (:mod:`.sentiment_eval`, ``crm score
--report``).

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
import math
import re
from collections.abc import Callable, Iterator

import psycopg
from psycopg import sql

from dashboard.intelligence import cue_matcher
from dashboard.intelligence import sales_lexicon as lex

# (table, text column) pairs that carry a sentiment_score of their own text
SOURCES = (("activities", "details"), ("meetings", "summary"), ("contact_interactions", "notes"))
BATCH = 20_000


@functools.cache
def _vader(sales: bool = True):
    """VADER's analyzer; ``sales``: with the sales lexicon adjustments."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    if sales:  # a word valued 0 leaves the lexicon: VADER would still stress it when in capitals ("PO")
        for word, valence in lex.VADER_OVERRIDES.items():
            if valence:
                analyzer.lexicon[word] = valence
            else:
                analyzer.lexicon.pop(word, None)
    return analyzer


_VALENCE = {name: valence for name, valence, _ in lex.CUES}
_WORD = re.compile(r"[\w'-]+")  # "no-brainer" is one word, no negator
# as written, capitalised or in capitals (no IGNORECASE: 5x faster); looked up lower-cased
_SHORTHAND = re.compile(
    r"(?<![\w/.'])(?:"
    + "|".join(
        re.escape(v) for k in sorted(lex.SHORTHAND, key=len, reverse=True) for v in {k, k.capitalize(), k.upper()}
    )
    + r")(?![\w/'-])"
)
# the first words of the contrast markers: a sentence without any is one clause (no regex needed)
_MARKERS = ("but", "however", "yet", "nevertheless", "nonetheless", "unfortunately", "that said", "the end",
            "ultimately", "sadly", "though", "despite", "in spite", "whereas", "regardless", "while")  # fmt: skip
_HYPOTHETICAL = re.compile(rf"\b(?:{lex.HYPOTHETICAL})\b")
_NEGATOR = re.compile(rf"(?:{lex.NEGATORS})")
_REVERSED_BEFORE = re.compile(rf"(?:{lex.REVERSED_BEFORE})")
_REVERSED_AFTER = re.compile(rf"\W*(?:[\w']+\W+){{0,{lex.REVERSAL_WINDOW - 1}}}?(?:{lex.REVERSED_AFTER})\b")
_UNDONE_AFTER = re.compile(rf"\W*(?:[\w']+\W+){{0,{lex.REVERSAL_WINDOW - 1}}}?(?:{lex.UNDONE_AFTER})\b")


def compound(text: str | None) -> float | None:
    """The sales-aware sentiment of ``text`` (-1..1) rounded to 2 places, or None for no text."""
    if text is None or not text.strip():
        return None
    text = _SHORTHAND.sub(lambda m: lex.SHORTHAND[m.group().lower()], text.replace("\u2019", "'"))
    cues, found = _cue_valence(text)
    vader = _vader().polarity_scores(text)["compound"]
    if not found:
        damping = lex.LOGISTICS_DAMPING if lex.LOGISTICS.search(text.lower()) else lex.PLAIN_DAMPING
        return round(vader * damping, 2)
    return round(_normalise(cues + lex.VADER_SHARE * _valence(vader)), 2)


def vader_compound(text: str | None) -> float | None:
    """Plain VADER's compound (no sales rules), for comparison in the evaluation report."""
    if text is None or not text.strip():
        return None
    return round(_vader(False).polarity_scores(text)["compound"], 2)


def _normalise(total: float) -> float:
    return max(-1.0, min(1.0, total / math.sqrt(total * total + lex.ALPHA)))


def _valence(score: float) -> float:
    """The summed valence behind a VADER compound (the inverse of its normalisation)."""
    score = max(-0.995, min(0.995, score))
    return score * math.sqrt(lex.ALPHA / (1 - score * score))


def _segments(text: str) -> Iterator[tuple[str, float]]:
    """(clause, weight): conceded clauses (before "but", after "although") weigh CONCEDED_WEIGHT."""
    lower = text.lower()
    if not any(marker in lower for marker in _MARKERS):
        for sentence in lex.SENTENCES.split(text):
            yield sentence, 1.0
        return
    for sentence in lex.SENTENCES.split(text):
        parts = lex.CONCEDING.split(sentence)
        for i, part in enumerate(parts):
            weight = lex.CONCEDED_WEIGHT if i < len(parts) - 1 else 1.0
            last = 0
            for sub in lex.SUBORDINATE.finditer(part):
                yield part[last : sub.start()], weight
                yield sub.group(), weight * lex.CONCEDED_WEIGHT
                last = sub.end()
            yield part[last:], weight


def _cue_valence(text: str) -> tuple[float, bool]:
    """The weighted sum of the sales cues' valences in ``text``, and whether any cue was found."""
    total, found = 0.0, False
    for clause, weight in _segments(text):
        if clause:
            valence, any_cue = _clause_valence(clause)
            total, found = total + weight * valence, found or any_cue
    return total, found


@functools.lru_cache(maxsize=200_000)
def _clause_valence(clause: str) -> tuple[float, bool]:
    """The sum of one clause's cue valences, each turned if negated; cached (notes repeat clauses)."""
    lower, total, found = clause.lower(), 0.0, False
    for match in cue_matcher.cues(lower, clause):
        valence = 0.0 if _HYPOTHETICAL.search(lower, 0, match.start()) else _VALENCE[match.lastgroup]
        found = found or valence != 0  # a step still to take (valence 0) leaves the note cue-less
        total += _turned(lower, match, valence) if valence else 0.0
    return total, found


def _turned(clause: str, match: re.Match, valence: float) -> float:
    """The cue's valence, turned when negated ("didn't sign") or ended ("freeze lifted")."""
    before = clause[: match.start()]
    before = before[max(before.rfind(","), before.rfind(":"), before.rfind("(")) + 1 :]
    words = _WORD.findall(before)[-lex.NEGATION_WINDOW :]
    negations = sum(1 for w in words if _NEGATOR.fullmatch(w))
    if valence > 0 and match.lastgroup not in lex.SELF_NEGATING:
        negations += sum(1 for w in _WORD.findall(match.group()) if _NEGATOR.fullmatch(w))
        negations += bool(_UNDONE_AFTER.match(clause, match.end()))
    if valence < 0:
        negations += sum(1 for w in words if _REVERSED_BEFORE.fullmatch(w))
        negations += bool(_REVERSED_AFTER.match(clause, match.end()))
    if negations % 2 == 0:
        return valence
    return valence * (lex.NEGATED_POSITIVE if valence > 0 else -lex.NEGATED_NEGATIVE)


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
