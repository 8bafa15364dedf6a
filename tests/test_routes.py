"""Every route, found by walking app.url_map (a new route without a case here fails):
writes need a CSRF token (T10); object routes answer 404 to those who may
not use the object, identical to a missing id (T8); GETs change nothing."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.conftest import Auth, fetch_as
from tests.route_specs import bearer_routes, merged

REQUEST_ID = re.compile(r"Request id: (<code>)?[0-9a-f]{12}")


OBJECTS, OBJECT_ROUTES, WRITE_ROUTES_WITHOUT_ID = merged()
BEARER_ROUTES = bearer_routes()  # the REST API's: bearer tokens only, checked by test_api_routes.py


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static" and rule.endpoint not in BEARER_ROUTES]


def test_every_api_route_is_covered(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            assert rule.endpoint in BEARER_ROUTES, f"add {rule.endpoint} to BEARER_ROUTES"


def fill(rule, object_id) -> str:
    return rule.rule.replace("<uuid:id>", str(object_id))


def make_objects(app, users) -> dict:
    return {kind: make(app, users) for kind, make in OBJECTS.items()}


def test_every_route_is_covered(app):
    for rule in routes(app):
        if "<" in rule.rule:
            assert rule.endpoint in OBJECT_ROUTES, f"add {rule.endpoint} to OBJECT_ROUTES"
        elif rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            assert rule.endpoint in WRITE_ROUTES_WITHOUT_ID, f"add {rule.endpoint} to WRITE_ROUTES_WITHOUT_ID"


CSRF_TOKEN = re.compile(r'("X-CSRFToken": |name="csrf_token" value=)"[^"]+"')


def strip_request_id(body: bytes) -> str:
    """The page without what differs per response anyway (request id, time-stamped CSRF token)."""
    return CSRF_TOKEN.sub(r'\1"X"', REQUEST_ID.sub("Request id: X", body.decode()))


@pytest.mark.parametrize("who", ["rep", "rep2", "manager", "admin"])
def test_object_routes_are_404_for_those_who_may_not_use_them(app, client, auth, users, who):
    objects = make_objects(app, users)
    auth.login(users[who]["email"])
    token = auth.csrf_token("/")
    for rule in routes(app):
        if rule.endpoint not in OBJECT_ROUTES:
            continue
        kind, allowed = OBJECT_ROUTES[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            missing = client.open(fill(rule, uuid.uuid4()), method=method, data={"csrf_token": token})
            assert missing.status_code == 404, (rule.rule, method)
            if who in allowed:
                if method == "GET":  # allowed writes are tested with each entity
                    assert client.get(fill(rule, objects[kind])).status_code == 200, (rule.rule, who)
                continue
            real = client.open(fill(rule, objects[kind]), method=method, data={"csrf_token": token})
            # forbidden and nonexistent look exactly alike
            assert real.status_code == 404, (rule.rule, method, who)
            assert strip_request_id(real.data) == strip_request_id(missing.data)


def write_rules(app):
    return [(rule, method) for rule in routes(app) for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})]


@pytest.mark.parametrize("token_kind", ["missing", "foreign"])
def test_every_write_needs_this_sessions_csrf_token(app, client, auth, users, token_kind):
    objects = make_objects(app, users)
    other = app.test_client()
    foreign = Auth(other).csrf_token("/login")
    auth.login(users["admin"]["email"])
    for rule, method in write_rules(app):
        data = {} if token_kind == "missing" else {"csrf_token": foreign}
        target = fill(rule, objects[OBJECT_ROUTES[rule.endpoint][0]]) if rule.endpoint in OBJECT_ROUTES else rule.rule
        response = client.open(target, method=method, data=data)
        assert response.status_code == 400, (rule.rule, method)
    # nothing happened: the refused logout did not log us out, the company is still there
    assert client.get("/").status_code == 200
    assert client.get(f"/companies/{objects['company']}").status_code == 200


def test_htmx_header_token_is_accepted(client, auth, users):
    auth.login(users["rep"]["email"])
    token = auth.csrf_token("/")
    # the token htmx sends from <body hx-headers> in X-CSRFToken works like the form field
    response = client.post("/logout", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 302


def test_get_crawl_changes_nothing(app, client, auth, users):
    def snapshot():
        return fetch_as(
            app,
            users["admin"]["id"],
            # every write is audited; logging in may touch only this column
            """select count(*) from crm.audit_log
               where not (table_name = 'users' and changed_columns <@ '{last_login_at}')""",
        )

    objects = make_objects(app, users)
    before = snapshot()
    for who in ("rep", "manager", "admin"):
        auth.login(users[who]["email"])
        for rule in routes(app):
            if "GET" not in rule.methods:
                continue
            kind = OBJECT_ROUTES.get(rule.endpoint, (None,))[0]
            client.get(fill(rule, objects[kind]) if kind else rule.rule)
        client.post("/logout", data={"csrf_token": auth.csrf_token("/")})
    assert snapshot() == before
