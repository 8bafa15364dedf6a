"""``crm score [--all] [--report]``: recompute the intelligence fields.

Without ``--all``: sentiment for texts that have none, then every score, the
win model retrained, the risk factors and today's history. With ``--all``
every text's sentiment is recomputed too. ``--report`` prints the stored
model's cross-validated AUC and Brier score and the sentiment's accuracy on the
evaluation part of the labelled sales notes (``--report --no-rescore`` prints
them without scoring). ``--backtest [--as-of DATE]`` replays the win model out
of time and changes nothing (``dashboard.intelligence.backtest``).
"""

from __future__ import annotations

import click

from dashboard.cli.common import admin_connection, one_line_errors, reported_as_errors, upgrade_database_quietly


@click.command("score")
@click.option("--all", "everything", is_flag=True, help="Also recompute the sentiment of every text.")
@click.option("--report", is_flag=True, help="Print the win model's metrics and the sentiment's accuracy.")
@click.option("--no-rescore", is_flag=True, help="With --report: only print the stored model's metrics.")
@click.option(
    "--backtest",
    is_flag=True,
    help="Replay the win model out of time (changes nothing): train on the deals closed by --as-of, score "
    "the deals open that day against their later outcome; prints AUC, Brier and a calibration table for the "
    "model and for the stage-probability baseline.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --backtest: the day to replay (its start, UTC). Default: the 70th percentile of the close dates.",
)
@one_line_errors
def score(everything: bool, report: bool, no_rescore: bool, backtest: bool, as_of):
    """Recompute scores, sentiment, win probability and risk factors."""
    upgrade_database_quietly()
    if as_of and not backtest:
        raise click.UsageError("--as-of goes with --backtest")
    with admin_connection() as conn:
        if backtest:
            print_backtest(conn, as_of, report)
            return
        if not no_rescore:
            rescore(conn, everything)
        if report:
            print_win_model(conn)
            print_sentiment_accuracy()


def rescore(conn, everything: bool) -> None:
    """Every stage under a progress bar, then each stage's time."""
    from dashboard.intelligence import scores

    with click.progressbar(length=len(scores.STAGES), label="scoring", item_show_func=lambda s: s) as bar:

        def stage_done(stage, seconds):
            bar.update(1, f"{stage} {seconds:.1f}s")

        with reported_as_errors(scores.ScoringError):
            result = scores.rescore_all(conn, full_sentiment=everything, progress=stage_done)
    total = sum(result["seconds"].values())
    click.echo("  ".join(f"{k} {v:.1f}s" for k, v in result["seconds"].items()) + f"  total {total:.1f}s")


def print_sentiment_accuracy() -> None:
    """The sentiment's sign agreement and neutral band on the labelled notes' evaluation part."""
    from dashboard.intelligence import sentiment_eval

    for line in sentiment_eval.report_lines():
        click.echo(line)


def print_win_model(conn) -> None:
    """The stored win model: what it was trained on, its cross-validated metrics and coefficients."""
    from dashboard.intelligence import win_model

    model = win_model.latest(conn)
    if model is None:
        click.echo("no win model stored yet: run crm score")
        return
    metrics = model["metrics"] or {}
    click.echo(
        f"win model: {model['algorithm']} trained {model['trained_at']:%Y-%m-%d %H:%M} on "
        f"{model['closed_deals']} closed deals ({model['won_deals']} won, {model['lost_deals']} lost)"
    )
    if model["algorithm"] == "stage_default":
        click.echo("too few closed deals: open deals get their stage's default probability")
        return
    click.echo(
        f"cross-validated ({metrics.get('folds')} folds): AUC {metrics.get('cv_auc'):.3f}  "
        f"Brier {metrics.get('cv_brier'):.3f}"
    )
    features = model["model"]["features"]
    if model["model"].get("terms") == "pairwise":
        pairs = len(model["model"]["coef"]) - len(features)
        click.echo(f"coefficients of the features ({pairs} pairwise terms besides):")
    for name, coef in zip(features, model["model"]["coef"][: len(features)], strict=True):
        click.echo(f"  {name:28} {coef:+.3f}")


def print_backtest(conn, as_of, report: bool) -> None:
    """The backtest's figures: one line for the model, one for the baseline, then the calibration."""
    import datetime as dt

    from dashboard.intelligence import backtest

    with reported_as_errors(backtest.BacktestError):
        result = backtest.replay(conn, as_of.replace(tzinfo=dt.UTC) if as_of else None)
    click.echo(
        f"backtest as of {result.as_of:%Y-%m-%d %H:%M} UTC: trained on {result.closed_deals} of the "
        f"{result.closed_by_then} deals closed by then ({result.snapshots} snapshots); scored {result.scored} "
        f"deals open then and closed since ({result.won} won); {result.still_open} still open today left out"
    )
    for label, s in (("model", result.model), ("baseline", result.baseline)):
        name = result.algorithm if label == "model" else "stage probability"
        click.echo(f"{label:9} {name:20} AUC {s.auc:.3f}  Brier {s.brier:.3f}")
    shown = (result.model, result.baseline) if report else (result.model,)
    for s in shown:
        click.echo(f"calibration of the {'baseline' if s is result.baseline else 'model'}: predicted band, deals, "
                   "mean predicted, observed win rate")
        for lo, hi, n, predicted, observed in s.calibration:
            click.echo(f"  {lo:.1f}-{hi:.1f} {n:7d} {predicted:8.3f} {observed:8.3f}")
