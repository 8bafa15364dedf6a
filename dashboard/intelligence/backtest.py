"""Replaying the win model out of time: ``crm score --backtest --as-of DATE``.

A forecast is made for deals that are still open. The backtest rewinds the
database to ``as_of``: it trains the model exactly as ``crm score`` would have
that day (snapshots of the deals closed by then, every feature as of a moment
at or before it), scores the deals that were open on that date with their
features as of that date, and compares with what happened later. Deals still
open today have no outcome yet: they are left out and counted. The stage's
default probability on the same deals is the baseline a model must beat.

Nothing is written: the caller runs it in a transaction it rolls back (the
model is fitted in memory, never stored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import psycopg

from dashboard.intelligence import win_model

BANDS = 10  # calibration bands: [0, 0.1), [0.1, 0.2), ... [0.9, 1.0]


@dataclass
class Scores:
    """One predictor's quality on the scored deals."""

    name: str
    auc: float
    brier: float
    calibration: list[tuple[float, float, int, float, float]] = field(default_factory=list)


@dataclass
class Backtest:
    as_of: dt.datetime
    closed_deals: int  # trained on (the most recently closed by as_of)
    closed_by_then: int
    snapshots: int
    scored: int  # open at as_of, closed since
    still_open: int  # open at as_of and today: left out
    won: int
    model: Scores | None
    baseline: Scores
    algorithm: str


def auc(y, p) -> float:
    """ROC AUC: the chance that a random won deal is scored above a random lost one (ties count half).

    Computed from ranks (the Mann-Whitney U statistic): average ranks give ties half."""
    from scipy.stats import rankdata

    y, p = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if not n_pos or not n_neg:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def brier(y, p) -> float:
    """Mean squared difference between the probability and the outcome (won 1, lost 0)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(np.mean((p - y) ** 2))


def calibration(y, p, bands: int = BANDS) -> list[tuple[float, float, int, float, float]]:
    """Per band of predicted probability with deals in it: (from, to, deals, mean predicted, observed win rate).

    Bands are [k/bands, (k+1)/bands), the last one closed at 1."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    band = np.minimum((p * bands).astype(int), bands - 1)
    table = []
    for k in range(bands):
        inside = band == k
        if inside.any():
            n, predicted, observed = int(inside.sum()), float(p[inside].mean()), float(y[inside].mean())
            table.append((k / bands, (k + 1) / bands, n, predicted, observed))
    return table


def scores(name: str, y, p) -> Scores:
    return Scores(name, auc(y, p), brier(y, p), calibration(y, p))


def default_as_of(conn: psycopg.Connection) -> dt.datetime | None:
    """The 70th percentile of the close dates (None without closed deals)."""
    return conn.execute(
        "select percentile_disc(0.7) within group (order by closed_at) from crm.deals where closed_at is not null"
    ).fetchone()[0]


def outcomes(conn: psycopg.Connection, ids) -> dict:
    """Each deal's status today (active, won, lost)."""
    return dict(conn.execute("select id, status from crm.deals where id = any(%s)", (list(ids),)).fetchall())


def run(conn: psycopg.Connection, as_of: dt.datetime) -> Backtest:
    """Train as of ``as_of``, score the deals open then, compare with their later outcome (nothing stored)."""
    model, report = win_model.fit_model(conn, as_of, validate=False)
    then = win_model.at(conn, as_of)
    open_then = ~then.closed
    status = outcomes(conn, [i for i, o in zip(then.ids, open_then, strict=True) if o])
    keep = np.array([o and status.get(i) in ("won", "lost") for i, o in zip(then.ids, open_then, strict=True)])
    y = np.array([status.get(i) == "won" for i in then.ids], dtype=int)[keep]
    baseline = then.stage[keep]
    proba = win_model.predict(model, then.x[keep]) if model is not None else baseline
    return Backtest(
        as_of=as_of,
        closed_deals=report["closed_deals"],
        closed_by_then=report.get("closed_by_then", report["closed_deals"]),
        snapshots=report.get("snapshots", 0),
        scored=int(keep.sum()),
        still_open=int(open_then.sum() - keep.sum()),
        won=int(y.sum()),
        model=scores(report["algorithm"], y, proba) if len(y) else None,
        baseline=scores("stage probability", y, baseline),
        algorithm=report["algorithm"],
    )


class BacktestError(Exception):
    """The backtest cannot run (no closed deals, or no deal open on that day has closed since)."""


def replay(conn: psycopg.Connection, as_of: dt.datetime | None = None) -> Backtest:
    """:func:`run` in a read-only transaction that is rolled back (stored scores never change).

    ``as_of`` None: :func:`default_as_of`. Needs a connection that sees every row (the superuser)."""
    conn.rollback()
    if not conn.execute("select rolsuper or rolbypassrls from pg_roles where rolname = current_user").fetchone()[0]:
        conn.rollback()
        raise BacktestError("crm score --backtest needs the superuser (or a BYPASSRLS role) URL: row-level "
                            "security would hide deals")  # fmt: skip
    conn.rollback()
    try:
        conn.execute("set transaction read only")
        conn.execute("set local work_mem = '256MB'")
        as_of = as_of or default_as_of(conn)
        if as_of is None:
            raise BacktestError("no closed deals: nothing to replay")
        result = run(conn, as_of)
    finally:
        conn.rollback()
    if not result.scored:
        raise BacktestError(f"no deal open on {as_of:%Y-%m-%d} has closed since: nothing to compare")
    return result
