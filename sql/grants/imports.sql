-- Record imports: users save their column mappings (RLS: their own).
grant select, insert, update, delete on table crm.import_mappings to crm_app;
