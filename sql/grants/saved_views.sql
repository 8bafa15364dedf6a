-- Table privileges on saved views: the app reads and writes them (row-level security decides whose).
grant select, insert, update, delete on table crm.saved_views to crm_app;
