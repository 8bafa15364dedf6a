"""Benchmark the win model out of time (issue 16): ``crm score --backtest`` at the `large` scale.

Starts the embedded server on ``--pgdata`` as bench/rescore.py does (migrating it), then replays the
win model as of the 70th percentile of the close dates (or ``--as-of``): trains on the deals closed by
then (snapshots, every feature as of a moment at or before it), scores the deals open that day with
their features as of that day against what happened later, and prints the model's and the stage
baseline's AUC, Brier score and calibration, with the time it took and the machine's speed. Nothing
is written (read-only transaction, rolled back).

    python bench/backtest.py --pgdata /tmp/pgbench-win

Targets (issue 16): AUC >= 0.82, Brier <= 0.175, AUC at least 0.15 above the stage baseline.

Measured (large, machine loop 283 ms, i.e. busy; as of 2026-09-16 14:10 UTC; 29,421 deals closed by
then, the 10,000 most recent trained on, 50,000 snapshots; 7,371 deals open then and closed since,
3,350 of them won; 24,088 still open today left out; 20 s):

    model     logistic_regression  AUC 0.809  Brier 0.177
    baseline  stage probability    AUC 0.665  Brier 0.265
    (before issue 16: model 0.78 / 0.21)

    band     deals  predicted  observed        band     deals  predicted  observed   (stage baseline)
    0.0-0.1    450    0.075     0.051          0.1-0.2  3,200    0.100     0.300
    0.1-0.2  1,166    0.150     0.146          0.2-0.3  2,493    0.250     0.505
    0.2-0.3  1,147    0.251     0.250          0.6-0.7  1,247    0.600     0.643
    0.3-0.4    879    0.349     0.386          0.8-0.9    431    0.800     0.768
    0.4-0.5    796    0.448     0.446
    0.5-0.6    736    0.548     0.594
    0.6-0.7    617    0.647     0.668
    0.7-0.8    568    0.749     0.783
    0.8-0.9    577    0.848     0.837
    0.9-1.0    435    0.940     0.917

AUC +0.144 over the baseline: short of the targets (0.82, 0.175, +0.15), and close to where the
demo data's early signal ends. The same 7,371 deals scored with their features at their own close
give AUC 0.857 (the most their records ever carry); as of the date, deals in the first quarter of
their life score 0.72, the second 0.81, the third 0.83, the last 0.85. Alternatives on the same
snapshots (all 29,421 deals): logistic regression 0.810 / 0.177; with every pairwise product of the
features 0.818 / 0.174; gradient boosting (HistGradientBoostingClassifier, 200 trees of 15 leaves)
0.817 / 0.174, fitting in 94 s against 1 s and not computable by the SQL that rescores a deal after
a write; a rep's and an account's past win rate as of the date +0.002. Logistic regression is kept:
as good within 0.01, explainable feature by feature, one model for the nightly run and the writes.
Calibration needed no correction (Platt or isotonic on a later slice cannot improve much on the
table above).
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
