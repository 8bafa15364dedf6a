"""The win-probability model: logistic regression on closed won/lost deals.

Features come from SQL (``crm.deal_win_features``), computed for a closed deal
as they stood just before ``closed_at`` (stage history, activities, meetings
and stakeholders dated strictly before it; never the won/lost stage, the close
time itself or the sale logged after a win) and for an open deal as of now,
so the model trained on the first applies to the second.

The fitted scaler and coefficients are stored as jsonb in ``crm.win_models``
(no pickle, no file) and predictions run in SQL
(``crm.predict_win_probability``). Metrics are 5-fold cross-validated
(stratified, shuffled with a fixed seed): ROC AUC and Brier score. With fewer
than ``min_closed_deals`` (30, ``crm.intelligence_thresholds()``) closed deals
a ``stage_default`` row is stored and the stage's default probability is used.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import psycopg

ALGORITHM = "logistic_regression"
FOLDS = 5
SEED = 0
CV_MAX_ROWS = 10_000  # cross-validate on a seeded sample above this (the final fit uses every row)


def feature_names(conn: psycopg.Connection) -> list[str]:
    return list(conn.execute("select crm.win_feature_names()").fetchone()[0])


def load(conn: psycopg.Connection, as_of: dt.datetime | None = None, closed_only: bool = True):
    """(deal ids, X, y) of the closed deals' features (``closed_only``) or of every deal."""
    rows = conn.execute(
        "select f.deal_id, f.x, f.won, f.is_closed from crm.deal_win_features(null, coalesce(%s, now())) f"
        " order by f.deal_id",
        (as_of,),
    ).fetchall()
    rows = [r for r in rows if r[3] or not closed_only]
    ids = [r[0] for r in rows]
    width = len(rows[0][1]) if rows else len(feature_names(conn))
    x = np.array([r[1] for r in rows], dtype=float).reshape(len(rows), width)
    y = np.array([bool(r[2]) for r in rows], dtype=int)
    return ids, x, y


def make_estimator():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # Newton steps with a Cholesky solve: 14 features and tens of thousands of rows converge in a few
    # iterations (0.03 s for 42k closed deals, where lbfgs took 0.24 s and stopped a little short)
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=200, solver="newton-cholesky"))


def cross_validate(x: np.ndarray, y: np.ndarray, folds: int = FOLDS, seed: int = SEED) -> dict:
    """Out-of-fold ROC AUC and Brier score (on a seeded sample of at most CV_MAX_ROWS rows)."""
    from sklearn.metrics import brier_score_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    if len(y) > CV_MAX_ROWS:
        keep = np.random.default_rng(seed).choice(len(y), CV_MAX_ROWS, replace=False)
        x, y = x[keep], y[keep]
    splitter = StratifiedKFold(
        n_splits=min(folds, int(min(np.bincount(y, minlength=2)))), shuffle=True, random_state=seed
    )
    proba = cross_val_predict(make_estimator(), x, y, cv=splitter, method="predict_proba")[:, 1]
    return {
        "cv_auc": round(float(roc_auc_score(y, proba)), 4),
        "cv_brier": round(float(brier_score_loss(y, proba)), 4),
        "folds": splitter.n_splits,
        "cv_rows": len(y),
    }


def to_json(estimator, names: list[str]) -> dict:
    scaler, logistic = estimator[0], estimator[-1]
    return {
        "features": names,
        "mean": [float(v) for v in scaler.mean_],
        "scale": [float(v) for v in scaler.scale_],
        "coef": [float(v) for v in logistic.coef_[0]],
        "intercept": float(logistic.intercept_[0]),
    }


def train(conn: psycopg.Connection, as_of: dt.datetime | None = None, stage_predictions: bool = False) -> dict:
    """Fit on the closed deals, store the model row, and return its report.

    ``stage_predictions`` also computes every deal's ``win_probability_ai`` from
    the same feature rows (open: the prediction, or the stage default without a
    model; won 1, lost 0: what ``crm.rescore_win_probability`` computes in SQL,
    without reading the features twice) and leaves those that differ from the
    stored value in the temporary table ``win_predictions (id, p)``, dropped at
    commit, for the deals stage to write with the deal scores in one update
    (``scores.rescore_all``); ``report["staged"]`` is their number.
    """
    as_of = as_of or conn.execute("select now()").fetchone()[0]
    minimum = conn.execute("select min_closed_deals from crm.intelligence_thresholds()").fetchone()[0]
    ids, x_all, y_all, closed, stage_probability, stored = _load_all(conn, as_of)
    x, y = x_all[closed], y_all[closed]
    won, lost = int(y.sum()), int(len(y) - y.sum())
    report = {"closed_deals": len(y), "won_deals": won, "lost_deals": lost, "as_of": as_of.isoformat()}
    if len(y) < minimum or won < 2 or lost < 2:
        report.update(algorithm="stage_default", metrics={}, reason=f"fewer than {minimum} closed deals (or one class)")
        model = None
        proba = stage_probability
    else:
        names = feature_names(conn)
        metrics = cross_validate(x, y)
        estimator = make_estimator().fit(x, y)
        model = to_json(estimator, names)
        report.update(
            algorithm=ALGORITHM,
            metrics=metrics,
            coefficients=dict(zip(names, (round(c, 3) for c in model["coef"]), strict=True)),
        )
        proba = estimator.predict_proba(x_all)[:, 1] if len(ids) else stage_probability
    conn.execute(
        """insert into crm.win_models (algorithm, model, metrics, closed_deals, won_deals, lost_deals, as_of)
           values (%s, %s, %s, %s, %s, %s, %s)""",
        (
            report["algorithm"],
            json.dumps(model) if model else None,
            json.dumps(report["metrics"]),
            len(y),
            won,
            lost,
            as_of,
        ),
    )
    if stage_predictions:
        values = np.round(np.where(closed, y_all.astype(float), proba), 2)
        # in whole hundredths, so a stored 0.29 and a computed 0.29000000000000004 compare equal
        changed = np.flatnonzero(np.isnan(stored) | (np.rint(values * 100) != np.rint(stored * 100)))
        conn.execute("create temporary table win_predictions (id uuid primary key, p numeric(3,2)) on commit drop")
        with conn.cursor() as cur, cur.copy("copy win_predictions (id, p) from stdin") as copy:
            for i in changed:
                copy.write_row((ids[i], f"{values[i]:.2f}"))
        conn.execute("analyze win_predictions")
        report["staged"] = len(changed)
    return report


def _load_all(conn: psycopg.Connection, as_of):
    """(ids, X, y, closed, stage probability, stored win_probability_ai (NaN for none)) of every deal."""
    with conn.cursor(binary=True) as cur:  # binary float8[]: 100k feature arrays parse several times faster
        rows = cur.execute(
            "select f.deal_id, f.x, f.won, f.is_closed, f.stage_probability, d.win_probability_ai::float8"
            " from crm.deal_win_features(null, %s) f join crm.deals d on d.id = f.deal_id order by f.deal_id",
            (as_of,),
        ).fetchall()
    width = len(rows[0][1]) if rows else len(feature_names(conn))
    x = np.array([r[1] for r in rows], dtype=float).reshape(len(rows), width)
    y = np.array([bool(r[2]) for r in rows], dtype=int)
    closed = np.array([bool(r[3]) for r in rows], dtype=bool)
    stage = np.array([float(r[4]) for r in rows], dtype=float)
    stored = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float)
    return [r[0] for r in rows], x, y, closed, stage, stored


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
