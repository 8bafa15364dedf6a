"""Full page or fragment from the same URL (STYLE.md item 5).

A request gets the fragment only when htmx asked for it and will swap it in
place: not for history restores (which need the whole page) and not for
boosted navigation. Responses vary on HX-Request (security.py adds it).

The request's htmx headers are read only through the flask-htmx extension
(``dashboard.extensions.htmx``; templates get it as ``htmx``).
"""

from __future__ import annotations

import json

from flask import Response, make_response, render_template

from dashboard.extensions import htmx as htmx_request


def wants_fragment() -> bool:
    return bool(htmx_request) and not htmx_request.history_restore_request and not htmx_request.boosted


def render(page_template: str, fragment_template: str, **context) -> str:
    """The fragment for htmx swaps, else the full page (which includes the fragment)."""
    return render_template(fragment_template if wants_fragment() else page_template, **context)


def trigger(response: Response, *events: str) -> Response:
    """Tell listening widgets (``hx-trigger="dealsChanged from:body"``) that data changed."""
    existing = response.headers.get("HX-Trigger")
    names = json.loads(existing) if existing and existing.startswith("{") else {}
    names.update({event: True for event in events})
    response.headers["HX-Trigger"] = json.dumps(names)
    return response


def redirect_to(url: str, *events: str) -> Response:
    """After a successful htmx write: a client-side redirect (200, HX-Redirect), not a 3xx."""
    response = make_response("", 200)
    response.headers["HX-Redirect"] = url
    return trigger(response, *events) if events else response
