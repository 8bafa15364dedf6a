"""Sales Dashboard: a self-hosted sales CRM with an intelligence layer."""

from __future__ import annotations

import gc

from flask import Flask

from dashboard import pg


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then CRM_* environment, then ``test_config``."""
    app = Flask(__name__, instance_path=str(pg.instance_path()), instance_relative_config=True)

    from dashboard import config

    app.config.from_object(config.Defaults)
    app.config.from_prefixed_env("CRM")
    if test_config:
        app.config.update(test_config)
    config.finalize(app)

    # database first: everything else queries through it
    from dashboard import db

    db.init_app(app)

    # a request id, one JSON log line and the /metrics figures per request; registered before any other
    # hook so that every answer, refusals included, is counted (dashboard/request_log.py, metrics.py)
    from dashboard import metrics, request_log

    request_log.init_app(app)
    metrics.watch_pools(app)

    # read-only pages from a streaming replica, when there is one (CRM_REPLICA_DATABASE_URL)
    from dashboard import replica

    replica.init_app(app)

    # login, CSRF on every write, htmx request details
    from dashboard.extensions import csrf, htmx, login_manager

    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    # headers on every response (CSP, nosniff, ...), error pages, and a 400 for what no input may hold
    from dashboard import input_guard, security
    from dashboard.views import errors

    security.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)

    # static files under content-hashed names, compressed, cached for a year (WhiteNoise)
    from dashboard import assets

    assets.init_app(app)

    # one blueprint per entity or area, in dashboard/views/<name>.py
    register_blueprints(app)

    # what every template may call: the navigation, links, money, times, who may change a row
    from dashboard import templating

    templating.init_app(app)

    # `crm ...` commands
    from dashboard import cli

    cli.init_app(app)

    freeze_long_lived_objects(app)
    return app


def register_blueprints(app: Flask) -> None:
    """In this order: the order of the URL map (and of ``flask routes``)."""
    from dashboard.views import (
        account,
        account_tokens,
        activities,
        admin,
        api,
        auth,
        backups,
        bulk,
        companies,
        contacts,
        deals,
        duplicates,
        imports,
        legacy,
        mail,
        main,
        meetings,
        notifications,
        operations,
        pipeline,
        saved_views,
        search,
        stages,
        tasks,
        team,
        timeline,
    )

    for views in (
        auth, account, account_tokens, mail, main, team, companies, contacts, deals, pipeline, activities, meetings,
        tasks, saved_views, timeline, admin, stages, duplicates, backups, legacy, imports, bulk, search, notifications,
        api, operations,
    ):  # fmt: skip
        app.register_blueprint(views.bp)
    from dashboard.views import calendar  # the ICS feed and /account/calendar

    app.register_blueprint(calendar.bp)
    from dashboard.views import webhooks  # /admin/webhooks

    app.register_blueprint(webhooks.bp)


WARM_UP_REQUESTS = 200


def freeze_long_lived_objects(app: Flask) -> None:
    """Keep what lives as long as the process out of the garbage collector's full passes.

    A full pass walks every tracked object: with the app's modules, mappers, compiled statements and
    templates that took 30-70 ms here, every 70 requests or so (bench/pages.py p95). What start-up
    built is frozen now; the caches the first requests fill (SQLAlchemy's compiled statements, Jinja's
    templates) are frozen after WARM_UP_REQUESTS, and full passes then take 1-3 ms. Frozen objects are
    never collected, so nothing frozen should become cyclic garbage: these are kept for good.
    """
    gc.freeze()
    served = 0

    @app.teardown_request
    def freeze_after_warm_up(_error):
        nonlocal served
        served += 1
        if served == WARM_UP_REQUESTS:
            gc.freeze()
