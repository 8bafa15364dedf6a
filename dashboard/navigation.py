"""The main navigation: one list, filtered by role (templating.py offers it to templates)."""

from __future__ import annotations

from flask_login import current_user

from dashboard import vocabulary

EVERYONE = set(vocabulary.USER_ROLES)

# (endpoint, label, roles that see it): the main links, then the administration's, which the top bar groups
# under one "Admin" menu (templates/base.html) so that the bar stays one line
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
]
ADMIN_NAV = [
    ("admin.users", "Users", {"admin"}),
    ("admin.teams", "Teams", {"admin"}),
    ("stages.index", "Stages", {"admin"}),
    ("legacy.index", "Import", {"admin"}),
    ("duplicates.index", "Duplicates", {"admin"}),
    ("webhooks.index", "Webhooks", {"admin"}),
    ("backups.index", "Backups", {"admin"}),
    ("operations.health_page", "Health", {"admin"}),
]


def nav_items(links: list | None = None) -> list[tuple[str, str]]:
    """(endpoint, label) of the links (default: the main ones; ``ADMIN_NAV`` for the Admin menu) the
    acting user's role sees."""
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles in (NAV if links is None else links)
            if current_user.role in roles]  # fmt: skip


def admin_nav_items() -> list[tuple[str, str]]:
    return nav_items(ADMIN_NAV)


def ai_enabled() -> bool:
    """Whether AI fields and panels are shown (a global, so imported macros see it too)."""
    return bool(current_user.is_authenticated and current_user.ai_features)
