"""Error pages reveal nothing (SECURITY.md T19) and fit htmx (STYLE.md item 10)."""

from __future__ import annotations

import logging
import re

import psycopg
import pytest

from tests.conftest import build_app


@pytest.fixture(scope="module")
def failing_app(app_url):
    app = build_app(app_url)

    @app.get("/_test/db-error")
    def db_error():
        from sqlalchemy import text

        from dashboard.db import db

        db.session.execute(text("select * from crm.no_such_table"))

    @app.get("/_test/crash")
    def crash():
        raise RuntimeError("secret detail /etc/passwd")

    return app


@pytest.mark.parametrize("path", ["/_test/db-error", "/_test/crash"])
def test_500_page_is_generic_with_a_request_id_that_is_logged(failing_app, path, caplog):
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        response = failing_app.test_client().get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side." in body
    for leak in ("Traceback", "psycopg", "sqlalchemy", "no_such_table", "secret detail", "/etc/", "select "):
        assert leak not in body
    request_id = re.search(r"Request id: <code>([0-9a-f]{12})</code>", body).group(1)
    # the same id is in the server log, with the full error
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)


def test_htmx_error_is_an_alert_fragment_retargeted_to_messages(client):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "<html" not in body and 'role="alert"' in body
    assert response.headers["HX-Retarget"] == "#messages"


def test_database_keeps_working_after_an_error(failing_app):
    client = failing_app.test_client()
    client.get("/_test/db-error")
    # the pooled connection was rolled back, not left in a failed transaction
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_unreachable_database_gives_503_not_traceback(app_url):
    broken = build_app(
        app_url.set(port=1, host="127.0.0.1"),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 1, "connect_args": {"connect_timeout": 1}},
    )
    response = broken.test_client().get("/healthz")
    body = response.get_data(as_text=True)
    assert response.status_code == 503 and "cannot be reached" in body and "Traceback" not in body
    assert response.headers["Retry-After"] == "5"
    assert psycopg  # the driver error never reaches the page
