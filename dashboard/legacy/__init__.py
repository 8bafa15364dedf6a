"""Legacy migration: CSV import and resolution of text links to companies and contacts.

``normalize`` cleans values, ``resolve`` finds (or decides to create) companies
and contacts, ``importer`` validates a file and writes everything in one
transaction (``LegacyImport``: ``rows`` reads and validates the CSV rows,
``writes`` resolves and writes them through ``writer``'s background thread,
``report`` is what it tells), ``runs`` records each import outside that
transaction (queued, running, completed, failed; a killed one shows as
interrupted), ``review`` applies an admin's answer for a row in the review
queue; ``crm import-legacy`` is :mod:`dashboard.cli.legacy` and the admin
pages are ``dashboard.views.legacy``.
"""
