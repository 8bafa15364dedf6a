"""The win-probability model: logistic regression on snapshots of closed deals.

Features come from SQL (``crm.deal_win_features_at``): a deal as the CRM stood
at a moment, closed only if closed by then, cut at its close or at that
moment (stage history, activities, meetings and stakeholders dated before
it; never the won/lost stage, the close itself or the sale logged after a
win). A forecast is made for deals that are still open, so the model is
trained on **snapshots** of each closed deal at several points of its life
(:data:`SNAPSHOT_FRACTIONS` of its age, the last one its close), each deal
weighted 1 in total, and learns what an open deal that will be won looks like.

The fitted scaler and coefficients are stored as jsonb in ``crm.win_models``
(no pickle, no file) and predictions run in SQL
(``crm.predict_win_probability``) or, in the nightly run, in numpy from the
same numbers. Metrics are 5-fold cross-validated (grouped by deal, so a
deal's snapshots never straddle folds): ROC AUC and Brier score. With fewer
than ``min_closed_deals`` (30, ``crm.intelligence_thresholds()``) closed deals
a ``stage_default`` row is stored and the stage's default probability is used.
Out-of-time quality: :mod:`dashboard.intelligence.backtest`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

import numpy as np
import psycopg

ALGORITHM = "logistic_regression"
FOLDS = 5
SEED = 0
# cross-validate on a seeded sample of deals above this (the final fit uses every one): with pairwise terms a
# fit on 40,000 snapshots takes several seconds, and the cross-validation is a report (the backtest is the
# measure of a forecast)
CV_MAX_DEALS = 3_000
# trained on the most recently closed deals, at most this many: at the large scale 10,000 of 29,421 gave the
# same backtest (AUC 0.809 against 0.810, Brier 0.177 both) in a third of the time, and recent deals follow
# the current way of selling
TRAIN_MAX_DEALS = 10_000
PAIRWISE_MIN_DEALS = 5_000  # pairwise terms from this many closed deals trained on (see make_estimator)
# the moments of a closed deal's life it is trained at: these fractions of the time from its creation to its
# close (1.0: the close itself, cut just before it), each weighing 1/len so every deal counts once
SNAPSHOT_FRACTIONS = (0.2, 0.4, 0.6, 0.8, 1.0)


@dataclass
class Rows:
    """Feature rows: one per deal (or per snapshot of a deal)."""

    ids: list  # deal ids
    x: np.ndarray  # features, crm.win_feature_names() order
    y: np.ndarray  # 1 won (closed won by the row's moment), else 0
    closed: np.ndarray  # closed by the row's moment
    stage: np.ndarray  # the stage's default probability then (0-1; won 1, lost 0)
    weight: np.ndarray  # training weight (1 per deal in total)


def feature_names(conn: psycopg.Connection) -> list[str]:
    return list(conn.execute("select crm.win_feature_names()").fetchone()[0])


def snapshot_times(created: dt.datetime, closed: dt.datetime, fractions=SNAPSHOT_FRACTIONS) -> list[dt.datetime]:
    """The moments a deal created at ``created`` and closed at ``closed`` is trained at.

    ``created + f × (closed − created)`` for each fraction, in order, without repeats (a deal
    closed the moment it was created has one snapshot: its close)."""
    if closed <= created:  # closed the moment it was created (or dates out of order): its close only
        return [max(created, closed)]
    times: list[dt.datetime] = []
    for f in fractions:
        t = closed if f >= 1 else created + (closed - created) * f
        if not times or t > times[-1]:
            times.append(t)
    return times


def _rows(conn: psycopg.Connection, query: str, params) -> list[tuple]:
    with conn.cursor(binary=True) as cur:  # binary float8[]: 100k feature arrays parse several times faster
        return cur.execute(query, params).fetchall()


def _to_rows(rows: list[tuple], width: int, weight=None) -> Rows:
    """(deal_id, x, won, is_closed, stage_probability) tuples as arrays."""
    return Rows(
        ids=[r[0] for r in rows],
        x=np.array([r[1] for r in rows], dtype=float).reshape(len(rows), width),
        y=np.array([bool(r[2]) for r in rows], dtype=int),
        closed=np.array([bool(r[3]) for r in rows], dtype=bool),
        stage=np.array([float(r[4]) for r in rows], dtype=float),
        weight=np.ones(len(rows)) if weight is None else np.asarray(weight, dtype=float),
    )


def at(conn: psycopg.Connection, as_of: dt.datetime, deal_ids=None) -> Rows:
    """Every deal that existed at ``as_of`` (or the given ones) as it stood then, ordered by id."""
    rows = _rows(
        conn,
        "select f.deal_id, f.x, f.won, f.is_closed, f.stage_probability::float8"
        " from crm.deal_win_features(%s, %s) f order by f.deal_id",
        (deal_ids, as_of),
    )
    return _to_rows(rows, len(feature_names(conn)))


def snapshots(
    conn: psycopg.Connection, as_of: dt.datetime, fractions=SNAPSHOT_FRACTIONS, limit: int = TRAIN_MAX_DEALS
) -> Rows:
    """The training rows: each deal closed by ``as_of`` (the ``limit`` most recently closed) at each
    of its :func:`snapshot_times`.

    Every moment is at or before the deal's close, so at or before ``as_of``: nothing later is read.
    A deal with k snapshots weighs 1/k in each. The label is the deal's outcome (won 1); the rows
    before the close see it open, as a forecast sees an open deal."""
    closed = conn.execute(
        "select id, created_at, closed_at from crm.deals where closed_at <= %s order by closed_at desc, id limit %s",
        (as_of, limit),
    ).fetchall()
    ids, moments = [], []
    for deal_id, created, closed_at in closed:
        times = snapshot_times(created, closed_at, fractions)
        ids += [deal_id] * len(times)
        moments += times
    rows = _rows(
        conn,
        "select f.deal_id, f.x, d.status = 'won', f.is_closed, f.stage_probability::float8"
        " from crm.deal_win_features_at(%s, %s) f join crm.deals d on d.id = f.deal_id"
        " order by f.deal_id, f.as_of",
        (ids, moments),
    )
    per_deal = Counter(r[0] for r in rows)
    return _to_rows(rows, len(feature_names(conn)), [1 / per_deal[r[0]] for r in rows])


def load(conn: psycopg.Connection, as_of: dt.datetime | None = None, closed_only: bool = True):
    """(deal ids, X, y) of the deals closed by ``as_of`` (``closed_only``) or of every deal, as of then."""
    rows = at(conn, as_of or conn.execute("select now()").fetchone()[0])
    keep = rows.closed if closed_only else np.ones(len(rows.ids), dtype=bool)
    return [i for i, k in zip(rows.ids, keep, strict=True) if k], rows.x[keep], rows.y[keep]


def make_estimator(pairwise: bool = False):
    """Standardised features into a logistic regression; with ``pairwise``, every product of two of them too.

    Pairwise terms (the weight of the notes' mood grows with how many there are, activity counts mean more
    for an older deal...), standardised again, C=0.1: 299 terms, used from PAIRWISE_MIN_DEALS closed deals
    (fewer overfit them: on the small demo's ~500 the cross-validated AUC fell from 0.79 to 0.76). Newton
    steps with a Cholesky solve converge in a few iterations."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, PolynomialFeatures, StandardScaler

    return Pipeline([
        ("scale", StandardScaler()),
        ("terms", PolynomialFeatures(degree=2, include_bias=False) if pairwise else FunctionTransformer()),
        ("term_scale", StandardScaler() if pairwise else FunctionTransformer()),
        ("logistic", LogisticRegression(C=0.1 if pairwise else 1.0, max_iter=300, solver="newton-cholesky")),
    ])  # fmt: skip


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, pairwise: bool = False):
    """The estimator fitted on weighted rows (the scalers' means and scales are weighted alike)."""
    estimator = make_estimator(pairwise)
    extra = {"term_scale__sample_weight": weight} if pairwise else {}
    estimator.fit(x, y, scale__sample_weight=weight, logistic__sample_weight=weight, **extra)
    return estimator


def pairwise(z: np.ndarray) -> np.ndarray:
    """Rows of z followed by every product z_i × z_j, i ≤ j, in that order (as PolynomialFeatures(2))."""
    z = np.atleast_2d(z)
    i, j = np.triu_indices(z.shape[1])
    return np.hstack([z, z[:, i] * z[:, j]])


def term_effects(model: dict, x: np.ndarray) -> np.ndarray:
    """Each term's addition to the log-odds (rows × terms): coef × (term − its mean) / its scale."""
    z = (np.atleast_2d(x) - np.array(model["mean"])) / np.array(model["scale"])
    if model.get("terms") == "pairwise":
        z = (pairwise(z) - np.array(model["term_mean"])) / np.array(model["term_scale"])
    return z * np.array(model["coef"])


def cross_validate(
    x: np.ndarray, y: np.ndarray, folds: int = FOLDS, seed: int = SEED, groups=None, weight=None, pairwise=False
):
    """Out-of-fold ROC AUC and Brier score; rows of one deal (``groups``) stay in one fold."""
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold

    groups = np.arange(len(y)) if groups is None else np.asarray(groups)
    weight = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    unique = np.unique(groups)
    if len(unique) > CV_MAX_DEALS:
        keep = np.isin(groups, np.random.default_rng(seed).choice(unique, CV_MAX_DEALS, replace=False))
        x, y, groups, weight = x[keep], y[keep], groups[keep], weight[keep]
    n_splits = min(folds, int(min(np.bincount(y, minlength=2))))
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    proba = np.zeros(len(y))
    for train_index, test_index in splitter.split(x, y, groups):
        model = fit(x[train_index], y[train_index], weight[train_index], pairwise)
        proba[test_index] = model.predict_proba(x[test_index])[:, 1]
    return {
        "cv_auc": round(float(roc_auc_score(y, proba, sample_weight=weight)), 4),
        "cv_brier": round(float(brier_score_loss(y, proba, sample_weight=weight)), 4),
        "folds": n_splits,
        "cv_rows": len(y),
    }


def to_json(estimator, names: list[str]) -> dict:
    scaler, term_scaler, logistic = estimator["scale"], estimator["term_scale"], estimator["logistic"]
    model = {
        "features": names,
        "mean": [float(v) for v in scaler.mean_],
        "scale": [float(v) for v in scaler.scale_],
        "coef": [float(v) for v in logistic.coef_[0]],
        "intercept": float(logistic.intercept_[0]),
    }
    if hasattr(term_scaler, "mean_"):  # pairwise terms
        model.update(terms="pairwise", term_mean=[float(v) for v in term_scaler.mean_],
                     term_scale=[float(v) for v in term_scaler.scale_])  # fmt: skip
    return model


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    """The stored model's probabilities for feature rows: what crm.predict_win_probability computes."""
    z = model["intercept"] + term_effects(model, x).sum(axis=1)
    return 1 / (1 + np.exp(-z))


def fit_model(conn: psycopg.Connection, as_of: dt.datetime, validate: bool = True) -> tuple[dict | None, dict]:
    """(model JSON or None, report) fitted on the snapshots of the deals closed by ``as_of``.

    None (the stage defaults) with fewer than ``min_closed_deals`` closed deals, or one class.
    ``validate``: cross-validate first (the report's metrics; the backtest measures otherwise)."""
    minimum = conn.execute("select min_closed_deals from crm.intelligence_thresholds()").fetchone()[0]
    train_rows = snapshots(conn, as_of)
    deals = dict(zip(train_rows.ids, train_rows.y, strict=True))  # one label per deal
    won = int(sum(deals.values()))
    closed_by_then = conn.execute("select count(*) from crm.deals where closed_at <= %s", (as_of,)).fetchone()[0]
    report = {"closed_deals": len(deals), "won_deals": won, "lost_deals": len(deals) - won,
              "closed_by_then": closed_by_then, "snapshots": len(train_rows.ids),
              "as_of": as_of.isoformat()}  # fmt: skip
    if len(deals) < minimum or won < 2 or len(deals) - won < 2:
        report.update(algorithm="stage_default", metrics={}, reason=f"fewer than {minimum} closed deals (or one class)")
        return None, report
    names = feature_names(conn)
    groups = np.unique(np.array([str(i) for i in train_rows.ids]), return_inverse=True)[1]
    pairwise = len(deals) >= PAIRWISE_MIN_DEALS
    rows = (train_rows.x, train_rows.y)
    metrics = cross_validate(*rows, groups=groups, weight=train_rows.weight, pairwise=pairwise) if validate else {}
    model = to_json(fit(*rows, train_rows.weight, pairwise), names)
    coefficients = dict(zip(names, (round(c, 3) for c in model["coef"]), strict=False))  # the linear terms
    report.update(algorithm=ALGORITHM, metrics=metrics, coefficients=coefficients)
    return model, report


def train(conn: psycopg.Connection, as_of: dt.datetime | None = None, stage_predictions: bool = False) -> dict:
    """Fit on the closed deals' snapshots, store the model row, and return its report.

    ``stage_predictions`` also computes every deal's ``win_probability_ai`` as of ``as_of``
    (open: the prediction, or the stage default without a model; won 1, lost 0: what
    ``crm.rescore_win_probability`` computes in SQL) and leaves those that differ from the stored
    value in the temporary table ``win_predictions (id, p)``, dropped at commit, for the deals
    stage to write with the deal scores in one update (``scores.rescore_all``);
    ``report["staged"]`` is their number.
    """
    as_of = as_of or conn.execute("select now()").fetchone()[0]
    model, report = fit_model(conn, as_of)
    conn.execute(
        """insert into crm.win_models (algorithm, model, metrics, closed_deals, won_deals, lost_deals, as_of)
           values (%s, %s, %s, %s, %s, %s, %s)""",
        (
            report["algorithm"],
            json.dumps(model) if model else None,
            json.dumps(report["metrics"]),
            report["closed_deals"],
            report["won_deals"],
            report["lost_deals"],
            as_of,
        ),
    )
    if stage_predictions:
        report["staged"] = _stage_predictions(conn, model, as_of)
    return report


def _stage_predictions(conn: psycopg.Connection, model: dict | None, as_of: dt.datetime) -> int:
    """Stage the changed win probabilities of every deal in the temporary table win_predictions."""
    rows = at(conn, as_of)
    stored = dict(conn.execute("select id, win_probability_ai::float8 from crm.deals").fetchall())
    proba = predict(model, rows.x) if model is not None and len(rows.ids) else rows.stage
    values = np.round(np.where(rows.closed, rows.y.astype(float), proba), 2)
    old = np.array([np.nan if stored.get(i) is None else stored[i] for i in rows.ids], dtype=float)
    # in whole hundredths, so a stored 0.29 and a computed 0.29000000000000004 compare equal
    changed = np.flatnonzero(np.isnan(old) | (np.rint(values * 100) != np.rint(old * 100)))
    conn.execute("create temporary table win_predictions (id uuid primary key, p numeric(3,2)) on commit drop")
    with conn.cursor() as cur, cur.copy("copy win_predictions (id, p) from stdin") as copy:
        for i in changed:
            copy.write_row((rows.ids[i], f"{values[i]:.2f}"))
    conn.execute("analyze win_predictions")
    return len(changed)


def latest(conn: psycopg.Connection) -> dict | None:
    """The newest stored model row as a dict (for ``crm score --report``)."""
    row = conn.execute(
        """select algorithm, metrics, closed_deals, won_deals, lost_deals, trained_at, as_of, model
           from crm.win_models order by trained_at desc, id desc limit 1"""
    ).fetchone()
    if row is None:
        return None
    keys = ("algorithm", "metrics", "closed_deals", "won_deals", "lost_deals", "trained_at", "as_of", "model")
    return dict(zip(keys, row, strict=True))
