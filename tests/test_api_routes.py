"""Every REST API route (tests/route_specs BEARER_ROUTES): bearer tokens only -- a logged-in browser's
session cookie gets 401 and no CSRF question arises; object routes answer 404 to those who may not use
the object, identical to a missing id (T8), as the web routes do."""

from __future__ import annotations

import uuid

import pytest

from tests.api_helpers import Api, make_token
from tests.route_specs import bearer_routes, merged

OBJECTS = merged()[0]
BEARER_ROUTES = bearer_routes()
PUBLIC = {"api.openapi", "api.docs"}


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint in BEARER_ROUTES]


def fill(rule, object_id) -> str:
    return rule.rule.replace("<uuid:id>", str(object_id))


def without_id(response, object_id) -> dict:
    body = dict(response.json)
    body["instance"] = body["instance"].replace(str(object_id), "ID")
    return body


@pytest.mark.parametrize("who", ["rep", "rep2", "manager", "admin"])
def test_object_routes_are_404_for_those_who_may_not_use_them(app, client, users, who):
    objects = {kind: make(app, users) for kind, make in OBJECTS.items()}
    api = Api(client, make_token(app, users[who]["id"]))
    for rule in api_rules(app):
        if BEARER_ROUTES[rule.endpoint] is None:
            continue
        kind, allowed = BEARER_ROUTES[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            headers = {"If-Match": '"v1"'}
            missing_id = uuid.uuid4()
            missing = api.send(method, fill(rule, missing_id), {"name": "x"} if method == "PATCH" else None, headers)
            assert missing.status_code == 404, (rule.rule, method, missing.json)
            assert missing.mimetype == "application/problem+json"
            if who in allowed:
                if method == "GET":
                    assert api.get(fill(rule, objects[kind])).status_code == 200, (rule.rule, who)
                continue
            real = api.send(method, fill(rule, objects[kind]), {"name": "x"} if method == "PATCH" else None, headers)
            assert real.status_code == 404, (rule.rule, method, who)
            assert without_id(real, objects[kind]) == without_id(missing, missing_id)


def test_a_session_cookie_is_not_accepted(app, client, auth, users):
    objects = {kind: make(app, users) for kind, make in OBJECTS.items()}
    auth.login(users["admin"]["email"])
    for rule in api_rules(app):
        kind = (BEARER_ROUTES[rule.endpoint] or (None,))[0]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(fill(rule, objects[kind]) if kind else rule.rule, method=method,
                                   json={"name": "x"} if method in ("POST", "PATCH") else None)  # fmt: skip
            if rule.endpoint in PUBLIC:
                assert response.status_code == 200
                continue
            # no CSRF token and no bearer token: 401, not the web app's 400 for a missing CSRF token
            assert response.status_code == 401, (rule.rule, method)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            assert "Set-Cookie" not in response.headers
    assert client.get(f"/companies/{objects['company']}").status_code == 200  # the session still works there
