"""Record imports: companies, contacts and deals from any CSV (ours, or an export of HubSpot, Salesforce,
Pipedrive) through a column mapping, on the legacy import's run machinery (``dashboard/legacy/runs.py``).

- :mod:`.reader`: the file's bytes to rows (BOM, UTF-8 or Latin-1, ``,`` ``;`` or tab, blank lines).
- :mod:`.fields`: each entity's fields, the headers that auto-match them, and value parsers (dates in ISO,
  US m/d/Y and d.m.Y; money as "$1,234.50", "1.234,50 €", "EUR 1234"; stage names).
- :mod:`.importer`: validate every row, find duplicates (company domain, contact email), write in one
  transaction, all or nothing unless asked to skip invalid rows.
"""
