"""Route specs, one module per area: what objects its id routes are about and who
may use them. test_routes.py merges every module here, so each blueprint's
author adds a file instead of editing a shared table.

Each module defines:
  OBJECTS        kind -> factory(app, users) returning the id of an object owned by users["rep"]
  OBJECT_ROUTES  endpoint -> (kind, set of identities that may use it: "rep", "rep2", "manager", "admin")
  WRITE_ROUTES   endpoints without an id that accept POST/PUT/PATCH/DELETE
  BEARER_ROUTES  endpoints of the REST API (bearer tokens only, no session, no CSRF): object routes map to
                 (kind, identities) as OBJECT_ROUTES do, others to None; tests/test_api_routes.py checks them
  CLEANUP        SQL statements (run as the superuser) removing helper rows its factories commit besides the
                 objects they return, for the tests whose objects outlive a transaction (test_browser_pages)
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.conftest import fetch_as

READERS = {"rep", "manager", "admin"}  # the owner, their manager, admins
WRITERS = {"rep", "admin"}  # the owner and admins


def rep_row(sql: str):
    """A factory for an object owned by the rep, created through RLS acting as the rep (``:o`` is the rep's id)."""
    return lambda app, users: fetch_as(app, users["rep"]["id"], sql, {"o": users["rep"]["id"]})[0][0]


def merged() -> tuple[dict, dict, set]:
    objects, object_routes, write_routes = {}, {}, set()
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        objects |= getattr(module, "OBJECTS", {})
        object_routes |= getattr(module, "OBJECT_ROUTES", {})
        write_routes |= set(getattr(module, "WRITE_ROUTES", set()))
    return objects, object_routes, write_routes


def cleanups() -> list[str]:
    """Every module's CLEANUP statements."""
    statements = []
    for info in pkgutil.iter_modules(__path__):
        statements += getattr(importlib.import_module(f"{__name__}.{info.name}"), "CLEANUP", [])
    return statements


def bearer_routes() -> dict:
    routes = {}
    for info in pkgutil.iter_modules(__path__):
        routes |= getattr(importlib.import_module(f"{__name__}.{info.name}"), "BEARER_ROUTES", {})
    return routes
