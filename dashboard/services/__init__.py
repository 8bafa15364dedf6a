"""The rules behind the pages, one module per entity: queries and filters more than one page needs,
writes with what they imply (stage-change notes, follow-ups, rescoring in the same transaction) and
saving with conflict detection. Services take plain arguments (no request, no current user), so the
views, the CLI and a future API can call them; they use the SQLAlchemy session ``dashboard.db.db``."""
