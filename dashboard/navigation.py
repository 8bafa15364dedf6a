"""The main navigation: one list, filtered by role and by what is registered (templating.py offers it to templates)."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

# (endpoint, label, roles that see it)
NAV = [
    ("main.index", "Dashboard", {"rep", "manager", "admin"}),
    ("team.index", "Team", {"manager", "admin"}),
    ("pipeline.index", "Pipeline", {"rep", "manager", "admin"}),
    ("companies.index", "Companies", {"rep", "manager", "admin"}),
    ("contacts.index", "Contacts", {"rep", "manager", "admin"}),
    ("deals.index", "Deals", {"rep", "manager", "admin"}),
    ("activities.index", "Activities", {"rep", "manager", "admin"}),
    ("meetings.index", "Meetings", {"rep", "manager", "admin"}),
    ("tasks.index", "Tasks", {"rep", "manager", "admin"}),
    ("admin.users", "Users", {"admin"}),
    ("admin.teams", "Teams", {"admin"}),
    ("legacy.index", "Import", {"admin"}),
]


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label, roles in NAV
        if current_user.role in roles and endpoint in current_app.view_functions
    ]


def ai_enabled() -> bool:
    """Whether AI fields and panels are shown (a global, so imported macros see it too)."""
    return bool(current_user.is_authenticated and current_user.ai_features)
