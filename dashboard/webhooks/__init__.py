"""Webhooks: events of the CRM's records sent to the endpoints admins register (docs/webhooks.md).

* the outbox is written by database triggers in the change's own transaction (sql/functions/webhooks.sql,
  sql/triggers/webhooks.sql): a rolled-back change sends nothing, a committed one is never lost;
* :mod:`.delivery` -- the worker's dispatch loop (task ``webhook_dispatch``, dashboard/jobs/webhooks.py):
  Standard Webhooks signatures, retries with exponential backoff for a day;
* :mod:`.outgoing` -- the HTTP request, which refuses private, loopback, link-local and multicast addresses;
* dashboard/services/webhooks.py -- registering, listing, replaying (the admin page and ``crm webhooks``).
"""
