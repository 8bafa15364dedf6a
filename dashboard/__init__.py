"""Sales Dashboard: a self-hosted sales CRM with an intelligence layer."""

from __future__ import annotations

import gc
import importlib
import importlib.util

from flask import Flask

from dashboard import pg

# one blueprint per entity or area, in dashboard/views/<name>.py (registered if present)
BLUEPRINTS = [
    "auth", "account", "main", "team", "companies", "contacts", "deals", "pipeline",
    "activities", "meetings", "tasks", "admin", "legacy",
]  # fmt: skip


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

    # login, CSRF on every write, htmx request details
    from dashboard.extensions import csrf, htmx, login_manager

    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    # headers on every response (CSP, nosniff, ...) and error pages
    from dashboard import security
    from dashboard.views import errors

    security.init_app(app)
    errors.init_app(app)

    # one blueprint per area
    for name in BLUEPRINTS:
        if importlib.util.find_spec(f"dashboard.views.{name}") is not None:
            app.register_blueprint(importlib.import_module(f"dashboard.views.{name}").bp)

    # the navigation shows what exists and what the user's role may open; templates write long
    # option lists with option_tags
    from dashboard import forms, navigation

    navigation.init_app(app)
    app.jinja_env.globals["option_tags"] = forms.option_tags

    # `crm ...` commands
    from dashboard import cli

    cli.init_app(app)

    # What start-up built (modules, the app, mappers) lives as long as the process. Frozen, it is out of
    # the collector's full passes, which otherwise walk all of it every few dozen requests: 60-90 ms
    # added to one request in twenty (bench/pages.py p95).
    gc.freeze()
    return app
