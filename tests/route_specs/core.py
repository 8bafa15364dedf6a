"""Login, account and admin routes."""

OBJECTS = {"user": lambda app, users: users["rep"]["id"]}
OBJECT_ROUTES = {
    "admin.update_user": ("user", {"admin"}),
    "admin.targets": ("user", {"admin"}),
    "admin.revoke_sessions": ("user", {"admin"}),
    "admin.unlock_login": ("user", {"admin"}),
}
WRITE_ROUTES = {"auth.login", "auth.logout", "account.password", "account.index", "account.detected_time_zone", "admin.create_user", "admin.create_team"}
