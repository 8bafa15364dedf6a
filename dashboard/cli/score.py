"""``crm score [--all] [--report]``: recompute the intelligence fields.

Without ``--all``: sentiment for texts that have none, then every score, the
win model retrained, the risk factors and today's history. With ``--all``
every text's sentiment is recomputed too. ``--report`` prints the stored
model's cross-validated AUC and Brier score and the sentiment's accuracy on the
evaluation part of the labelled sales notes (``--report --no-rescore`` prints
them without scoring).
"""

from __future__ import annotations

import click

from dashboard.cli.common import admin_connection, one_line_errors, reported_as_errors, upgrade_database_quietly


@click.command("score")
@click.option("--all", "everything", is_flag=True, help="Also recompute the sentiment of every text.")
@click.option("--report", is_flag=True, help="Print the win model's metrics and the sentiment's accuracy.")
@click.option("--no-rescore", is_flag=True, help="With --report: only print the stored model's metrics.")
@one_line_errors
def score(everything: bool, report: bool, no_rescore: bool):
    """Recompute scores, sentiment, win probability and risk factors."""
    upgrade_database_quietly()
    with admin_connection() as conn:
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
    for name, coef in zip(model["model"]["features"], model["model"]["coef"], strict=True):
        click.echo(f"  {name:28} {coef:+.3f}")
