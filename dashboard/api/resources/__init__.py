"""The API's resources, each declared once (``dashboard/api/resource.py`` serves them all alike)."""

from __future__ import annotations

from dashboard.api.resources import activities, companies, contacts, deals, meetings, reference, tasks

RESOURCES = [companies.RESOURCE, contacts.RESOURCE, deals.RESOURCE, activities.RESOURCE, meetings.RESOURCE,
             tasks.RESOURCE, reference.STAKEHOLDERS, reference.STAGES, reference.USERS]  # fmt: skip
