"""The command palette's actions and the keyboard shortcuts, in one list (templating.py offers
``palette_actions()`` to templates; static/palette.js reads the keys from the rendered options)."""

from __future__ import annotations

from flask import url_for

from dashboard import navigation

# "g" then a letter: go to a page of the main navigation (only those the user's role sees)
GO_KEYS = {
    "main.index": "g d", "pipeline.index": "g p", "tasks.index": "g t", "companies.index": "g c",
    "contacts.index": "g o", "deals.index": "g e", "activities.index": "g a", "meetings.index": "g m",
    "team.index": "g r",
}  # fmt: skip

# what "c" (create) offers in the palette
NEW = [
    ("companies.create", "New company"), ("contacts.create", "New contact"), ("deals.create", "New deal"),
    ("activities.create", "New activity"), ("tasks.create", "New task"), ("meetings.create", "New meeting"),
]  # fmt: skip

# the keys the shortcut list (?) explains besides the "go to" ones
OTHER_KEYS = [
    ("Ctrl K, ⌘ K", "Open the command palette: search everything, or run an action"),
    ("/", "Search (the box in the menu bar)"),
    ("c", "Create: the palette with the New … actions"),
    ("?", "This list of shortcuts"),
    ("↑ ↓, Enter", "In the palette: move through the results, open one"),
    ("Esc", "Close the palette or this list"),
]


def palette_actions() -> list[tuple[str, str, str]]:
    """(URL, label, keys) of every action the user may take: New … first, then Go to …."""
    new = [(url_for(endpoint), label, "") for endpoint, label in NEW]
    go = [(url_for(endpoint), f"Go to {label.lower()}", GO_KEYS.get(endpoint, ""))
          for endpoint, label in navigation.nav_items()]  # fmt: skip
    return new + go
