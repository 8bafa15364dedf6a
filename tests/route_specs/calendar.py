"""The calendar: the ICS feed (no login; the token in its URL is the credential, so it is nobody's object
route: without a live token it is a 404 for everyone, logged in or not) and the account page's writes."""

OBJECT_ROUTES = {"calendar.feed": ("user", set())}
WRITE_ROUTES = {"calendar.issue_feed", "calendar.revoke_feed", "calendar.connect", "calendar.sync_now",
                "calendar.disconnect"}
