"""The request guard (dashboard/input_guard.py): what it refuses with a 400, what it lets through, and the
last resort for a value that no parser checked (a 400 and a warning that names the missing check)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from dashboard.db import db
from dashboard.input_guard import MAX_ARG_LENGTH
from tests.conftest import build_app


@pytest.mark.parametrize(
    ("path", "options"),
    [
        ("/companies", {"query_string": {"q": "a\x00b"}}),
        ("/companies", {"query_string": {"q\x00": "1"}}),
        ("/companies", {"query_string": {"q": "x" * (MAX_ARG_LENGTH + 1)}}),
        ("/companies", {"headers": {"HX-Target": "rows\x00"}}),
        ("/companies", {"headers": {"HX-Current-URL": "/companies\x1b[31m"}}),
        ("/companies/%00", {}),
        ("/companies/%1b", {}),
    ],
)
def test_unstorable_input_is_a_400(client, auth, users, path, options):
    auth.login(users["rep"]["email"])
    assert client.get(path, **options).status_code == 400


def test_a_nul_in_a_form_is_a_400_and_nothing_is_written(client, auth, users):
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/companies/new")
    response = client.post("/companies/new", data={"csrf_token": token, "name": "Acme\x00"})
    assert response.status_code == 400
    assert "Acme" not in client.get("/companies").get_data(as_text=True)


def test_ordinary_input_passes(client, auth, users):
    auth.login(users["rep"]["email"])
    assert client.get("/companies", query_string={"q": "\x01\t" + "x" * (MAX_ARG_LENGTH - 2)}).status_code == 200
    token = auth.csrf_token("/companies/new")
    response = client.post("/companies/new", data={"csrf_token": token, "name": "Tab\tand\r\nbreak Ltd"})
    assert response.status_code in (200, 302)


@pytest.fixture(scope="module")
def careless_app(app_url, users):
    """An app with two routes that skip every check: what a missing parser would do."""
    careless = build_app(app_url)

    @careless.get("/overflow")
    def overflow():
        return str(date.max + timedelta(days=1))

    @careless.get("/data-error")
    def data_error():
        return str(db.session.scalar(text("select cast(:value as integer)"), {"value": "not a number"}))

    return careless


@pytest.mark.parametrize(("path", "error"), [("/overflow", "OverflowError"), ("/data-error", "DataError")])
def test_the_last_resort_is_a_400_with_a_warning(careless_app, caplog, path, error):
    with caplog.at_level(logging.WARNING, logger="dashboard.input"):
        response = careless_app.test_client().get(path)
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)
    [record] = [r for r in caplog.records if r.name == "dashboard.input"]
    assert record.levelno == logging.WARNING and error in record.getMessage() and record.exc_info
