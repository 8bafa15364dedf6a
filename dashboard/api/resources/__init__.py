"""The API's resources, each declared once (``dashboard/api/resource.py`` serves them all alike)."""

from __future__ import annotations

from dashboard.api.resources import companies, deals

RESOURCES = [companies.RESOURCE, deals.RESOURCE]
