"""API token routes: a token is its owner's alone (even an admin revokes others' with the CLI or SQL, not
on another's account page); anyone logged in may create their own."""

from tests.route_specs import rep_row

OBJECTS = {"api_token": rep_row("select id from app.create_api_token('Route spec', 'read', null)")}
OBJECT_ROUTES = {"account_tokens.revoke": ("api_token", {"rep"})}
WRITE_ROUTES = {"account_tokens.index"}
