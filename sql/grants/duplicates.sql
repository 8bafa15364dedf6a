-- The duplicate scan and merge tables: admins work on them (RLS admits admins only). A merge is
-- never deleted (the history of merges stays); its undo marks it.
grant select, insert, update, delete on table crm.duplicate_pairs to crm_app;
grant select, insert, update (undone_by, undone_at) on table crm.record_merges to crm_app;
