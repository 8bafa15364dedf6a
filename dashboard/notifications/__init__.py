"""Reminders and notifications (issue 18): what a notice says, the signed unsubscribe links, and email.

* :mod:`.texts` -- a notice as a sentence, with times in the reader's zone (pages and email alike);
* :mod:`.tokens` -- the signed per-user, per-kind unsubscribe token (``/unsubscribe?token=...``);
* :mod:`.smtp` -- ``CRM_SMTP_URL``: parsing it and sending through it;
* :mod:`.email` -- the worker's sending pass: one message per notice, or a user's daily digest.

Notices are produced in SQL (``crm.produce_notifications``, the ``notify`` task in dashboard/jobs/notifications.py;
the deal-assignment trigger); pages read them through dashboard/services/notifications.py.
"""
