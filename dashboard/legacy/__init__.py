"""Legacy migration: CSV import and resolution of text links to companies and contacts.

``normalize`` cleans values, ``resolve`` finds (or decides to create) companies
and contacts, ``importer`` validates a file and writes everything in one
transaction, ``cli`` is ``crm import-legacy``.
"""
