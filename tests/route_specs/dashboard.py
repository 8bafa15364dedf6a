"""Dashboard routes: a rep's dashboard seen from the team page (managers of the rep and admins only;
the rep themself uses ``/``, so ``/team/...`` is a 404 for every rep), and the team page's quota form."""

OBJECTS = {"rep_user": lambda app, users: users["rep"]["id"]}
OBJECT_ROUTES = {"team.rep": ("rep_user", {"manager", "admin"})}
WRITE_ROUTES = {"team.set_quota"}  # managers (their people) and admins; a 404 for reps (tests/test_forecast.py)
