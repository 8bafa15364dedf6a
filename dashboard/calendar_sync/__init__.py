"""CalDAV sync of a user's connected calendar (``/account/calendar``, ``crm calendar``), run by the job worker
as that user under row-level security.

* :mod:`.events` -- reading a calendar object (ICS) into occurrences in UTC (time zones, floating times,
  all-day events, recurrences expanded within the sync window) and writing a meeting back into one;
* :mod:`.remote` -- the CalDAV server (the ``caldav`` package): what changed since a sync token, put, delete;
* :mod:`.store` -- the database side: attendees matched to contacts, meetings created, moved, cancelled, the
  links between occurrences and meetings, conflicts;
* :mod:`.engine` -- one sync (pull, resolve, push) and its status, failures and backoff;
* :mod:`.connections` -- connecting (the password encrypted by :mod:`dashboard.credentials`), disconnecting.
"""

from datetime import timedelta

WINDOW_BEFORE = timedelta(days=30)  # occurrences older than this are neither created nor pushed
WINDOW_AFTER = timedelta(days=90)  # nor those further ahead
UID_DOMAIN = "sales-dashboard"  # a CRM meeting's event is UID crm-meeting-<id>@sales-dashboard
CREDENTIAL_PURPOSE = "calendar"  # dashboard.credentials purpose of the passwords
