"""Sales Dashboard: a self-hosted sales CRM with an intelligence layer."""

from __future__ import annotations

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
    from dashboard.views import account, admin, auth, main

    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(admin.bp)

    # `crm ...` commands
    from dashboard import cli

    cli.init_app(app)
    return app
