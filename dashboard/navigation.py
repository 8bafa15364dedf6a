"""The main navigation: one list, filtered by role (templating.py offers it to templates)."""

from __future__ import annotations

from flask_login import current_user

from dashboard import vocabulary

EVERYONE = set(vocabulary.USER_ROLES)

# (endpoint, label, roles that see it)
NAV = [
    ("main.index", "Dashboard", EVERYONE),
    ("team.index", "Team", {"manager", "admin"}),
    ("pipeline.index", "Pipeline", EVERYONE),
    ("companies.index", "Companies", EVERYONE),
    ("contacts.index", "Contacts", EVERYONE),
    ("deals.index", "Deals", EVERYONE),
    ("activities.index", "Activities", EVERYONE),
    ("meetings.index", "Meetings", EVERYONE),
    ("tasks.index", "Tasks", EVERYONE),
    ("admin.users", "Users", {"admin"}),
    ("admin.teams", "Teams", {"admin"}),
    ("stages.index", "Stages", {"admin"}),
    ("legacy.index", "Import", {"admin"}),
    ("duplicates.index", "Duplicates", {"admin"}),
    ("webhooks.index", "Webhooks", {"admin"}),
    ("backups.index", "Backups", {"admin"}),
    ("operations.health_page", "Health", {"admin"}),
]


def nav_items() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label, roles in NAV
        if current_user.role in roles
    ]


def ai_enabled() -> bool:
    """Whether AI fields and panels are shown (a global, so imported macros see it too)."""
    return bool(current_user.is_authenticated and current_user.ai_features)
