"""Search routes: ``/search`` and the pickers' ``/pick/companies|contacts|deals`` take no id and write
nothing (the GET crawl and the login check of test_routes.py cover them); what they show is
row-level security's (tests/test_search.py)."""

OBJECTS: dict = {}
OBJECT_ROUTES: dict = {}
WRITE_ROUTES: set[str] = set()
