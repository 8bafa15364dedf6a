"""Benchmark the win model out of time (issue 16): ``crm score --backtest`` at the `large` scale.

Starts the embedded server on ``--pgdata`` as bench/rescore.py does (migrating it), then replays the
win model as of the 70th percentile of the close dates (or ``--as-of``): trains on the deals closed by
then (snapshots, every feature as of a moment at or before it), scores the deals open that day with
their features as of that day against what happened later, and prints the model's and the stage
baseline's AUC, Brier score and calibration, with the time it took and the machine's speed. Nothing
is written (read-only transaction, rolled back).

    python bench/backtest.py --pgdata /tmp/pgbench-win

Targets (issue 16): AUC >= 0.82, Brier <= 0.175, AUC at least 0.15 above the stage baseline.

Measured (large, busy machine: loop 605 ms; as of 2026-09-16 14:10 UTC; 29,421 deals closed by then,
the 10,000 most recent trained on, 50,000 snapshots; 7,371 deals open then and closed since, 3,350 of
them won; 24,088 still open today left out; 69 s):

    model     logistic_regression  AUC 0.817  Brier 0.174   (pairwise terms)
    baseline  stage probability    AUC 0.665  Brier 0.265
    (before issue 16: model 0.78 / 0.21; linear terms only: 0.809 / 0.177)

    band     deals  predicted  observed        band     deals  predicted  observed   (stage baseline)
    0.0-0.1    669    0.064     0.054          0.1-0.2  3,200    0.100     0.300
    0.1-0.2  1,113    0.150     0.155          0.2-0.3  2,493    0.250     0.505
    0.2-0.3  1,036    0.250     0.257          0.6-0.7  1,247    0.600     0.643
    0.3-0.4    941    0.349     0.383          0.8-0.9    431    0.800     0.768
    0.4-0.5    752    0.450     0.493
    0.5-0.6    613    0.549     0.568
    0.6-0.7    595    0.649     0.689
    0.7-0.8    563    0.750     0.789
    0.8-0.9    568    0.849     0.831
    0.9-1.0    521    0.943     0.902

Brier and the +0.15 over the baseline (+0.152) meet the targets; AUC is 0.003 short of 0.82, close to
where the demo data's early signal ends: the same 7,371 deals scored with their features at their own
close give AUC 0.857 (the most their records ever carry); as of the date, deals in the first quarter
of their life score 0.72, the second 0.81, the third 0.83, the last 0.85 (linear model). Alternatives
on the same snapshots (all 29,421 deals): gradient boosting (HistGradientBoostingClassifier, 200 trees
of 15 leaves) 0.817 / 0.174, fitting in 94 s against a few, and not computable by the SQL that
rescores a deal after a write; splines per feature 0.814 / 0.176; a rep's and an account's past win
rate as of the date +0.002. Logistic regression with pairwise terms is kept: as good as boosting,
explainable term by term, one model for the nightly run and the writes. Calibration needed no
correction (the table above is within a few points in every band).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_speed  # noqa: E402
from dashboard import migrate, pg  # noqa: E402
from dashboard.intelligence import backtest  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pgdata", type=Path, default=Path("/tmp/pgbench"))
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="default: the 70th percentile of close dates")
    args = parser.parse_args()
    url = pg.start_embedded(args.pgdata)
    conninfo = pg.libpq_url(url)
    with psycopg.connect(conninfo) as conn:
        try:
            migrate.upgrade(conn, progress=lambda _: None)
        except migrate.MigrationError as exc:  # another team's file changed under a kept database
            print(f"warning: {exc}")
    print(machine_speed())
    as_of = dt.datetime.combine(args.as_of, dt.time(), dt.UTC) if args.as_of else None
    with psycopg.connect(conninfo) as conn:
        start = time.perf_counter()
        result = backtest.replay(conn, as_of)
        seconds = time.perf_counter() - start
    print(
        f"as of {result.as_of:%Y-%m-%d %H:%M} UTC: trained on {result.closed_deals:,} of the "
        f"{result.closed_by_then:,} deals closed by then ({result.snapshots:,} snapshots); scored "
        f"{result.scored:,} deals open then and closed since ({result.won:,} won); {result.still_open:,} "
        f"still open today left out; {seconds:.1f} s"
    )
    for label, s in (("model", result.model), ("baseline", result.baseline)):
        print(f"{label:9} {s.name:20} AUC {s.auc:.3f}  Brier {s.brier:.3f}")
    print(f"AUC over the baseline: {result.model.auc - result.baseline.auc:+.3f}")
    for s in (result.model, result.baseline):
        print(f"\ncalibration of {s.name}: band, deals, mean predicted, observed win rate")
        for lo, hi, n, predicted, observed in s.calibration:
            print(f"  {lo:.1f}-{hi:.1f} {n:7,d} {predicted:8.3f} {observed:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
