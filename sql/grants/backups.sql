-- The backup records: the app reads them (admins only, by row-level security) and never writes them.
grant select on table crm.backups to crm_app;
