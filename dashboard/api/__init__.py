"""The REST API ``/api/v1`` (issue 17): bearer tokens only, JSON, problem+json errors, cursor pages,
ETags and If-Match, idempotent POSTs, rate limits per token. The routes are in
``dashboard/views/api.py``; what each resource serves is declared in ``dashboard/api/resources/``."""
