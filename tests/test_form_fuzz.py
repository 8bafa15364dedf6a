"""Every create form, fuzzed with Hypothesis (SECURITY.md T20): whatever is
posted, the answer is never a 5xx and never shows a traceback.

The form's fields are read from the rendered page, so a new field is fuzzed
without touching this file."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile import hostile_text

# form page -> who fills it in
FORMS = {
    "/companies/new": "rep", "/contacts/new": "rep", "/deals/new": "rep", "/activities/new": "rep",
    "/meetings/new": "rep", "/tasks/new": "rep", "/admin/users/new": "admin", "/admin/teams/new": "admin",
    "/account/password": "rep", "/admin/legacy/": "admin", "/account/mail": "rep", "/account/notifications": "admin",
}  # fmt: skip
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


@pytest.mark.parametrize("path", list(FORMS))
def test_form_never_answers_5xx(client, auth, users, path):
    auth.login(users[FORMS[path]]["email"])
    page = client.get(path).get_data(as_text=True)
    fields = sorted({name for name in FIELD.findall(page) if name != "csrf_token"})
    token = auth.csrf_token(path)
    assert fields, path

    @settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional={name: hostile_text for name in fields}))
    def post(values):
        response = client.post(path, data={"csrf_token": token, **values})
        body = response.get_data(as_text=True)
        # a form error, a redirect after saving, or a 4xx: never a server error
        assert response.status_code < 500, (values, response.status_code)
        assert "Traceback" not in body and "psycopg" not in body

    post()
