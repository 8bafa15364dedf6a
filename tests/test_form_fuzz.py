"""Every create form, fuzzed with Hypothesis (SECURITY.md T20): whatever is
posted, the answer is never a 5xx and never shows a traceback.

The form's fields are read from the rendered page, so a new field is fuzzed
without touching this file."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# form page -> who fills it in
FORMS = {
    "/companies/new": "rep", "/contacts/new": "rep", "/deals/new": "rep", "/activities/new": "rep",
    "/meetings/new": "rep", "/tasks/new": "rep", "/admin/users/new": "admin", "/admin/teams/new": "admin",
    "/account/password": "rep", "/admin/legacy/": "admin",
}  # fmt: skip
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')

nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "", " ", "\x00", "a\x00b", "x" * 10_000, "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\u202egnp.exe",
        "😀" * 50, "line\r\nbreak", "<script>alert(1)</script>", "'; drop table crm.deals; --", "2024-02-30",
        "0001-01-01", "9999-12-31", "99999999999999999999", "-2147483649", "1e309", "NaN", "00000000-0000-0000-0000-000000000000",
        "not-a-uuid", "2026-11-25T10:00", "javascript:alert(1)", "https://example.com",
    ]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)  # fmt: skip


@pytest.mark.parametrize("path", list(FORMS))
def test_form_never_answers_5xx(client, auth, users, path):
    auth.login(users[FORMS[path]]["email"])
    page = client.get(path).get_data(as_text=True)
    fields = sorted({name for name in FIELD.findall(page) if name != "csrf_token"})
    token = auth.csrf_token(path)
    assert fields, path

    @settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({}, optional={name: nasty_text for name in fields}))
    def post(values):
        response = client.post(path, data={"csrf_token": token, **values})
        body = response.get_data(as_text=True)
        # a form error, a redirect after saving, or a 4xx: never a server error
        assert response.status_code < 500, (values, response.status_code)
        assert "Traceback" not in body and "psycopg" not in body

    post()
