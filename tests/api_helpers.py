"""Helpers of the REST API tests: tokens made as a user (inside the test's rolled-back transaction) and
requests that carry them."""

from __future__ import annotations

import json

from tests.conftest import fetch_as


def make_token(app, user_id, scope: str = "write", expires_days: int | None = None) -> str:
    """A personal access token of ``user_id``, created as that user (app.create_api_token)."""
    [(token,)] = fetch_as(app, user_id, "select token from app.create_api_token('test', :scope, :days)",
                          {"scope": scope, "days": expires_days})  # fmt: skip
    return token


class Api:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def headers(self, extra: dict | None = None) -> dict:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def send(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        extra = {"Content-Type": "application/json"} if data is not None else {}
        return self.client.open(path, method=method, data=data, headers=self.headers(extra | (headers or {})))

    def post(self, path, body=None, **kwargs):
        return self.send("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.send("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.send("DELETE", path, **kwargs)
