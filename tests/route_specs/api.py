"""REST API routes (/api/v1): bearer tokens only; tests/test_api_routes.py walks them with tokens."""

from tests.route_specs import READERS, WRITERS

API_RESOURCES = ("companies", "deals")
BEARER_ROUTES = {"api.openapi": None, "api.docs": None}
for _name, _kind in (("companies", "company"), ("deals", "deal")):
    BEARER_ROUTES |= {f"api.{_name}_list": None, f"api.{_name}_create": None, f"api.{_name}_read": (_kind, READERS),
                      f"api.{_name}_update": (_kind, WRITERS), f"api.{_name}_delete": (_kind, WRITERS)}  # fmt: skip
