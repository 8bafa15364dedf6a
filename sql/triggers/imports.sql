-- Record imports: a saved mapping's updated_at stamp.

create or replace trigger set_updated_at before update on crm.import_mappings for each row execute function app.set_updated_at();
