-- The legacy import tables: the app's admins work on them (RLS admits admins only).
grant select, insert, update, delete
  on table crm.legacy_activities, crm.legacy_deals, crm.legacy_import_runs, crm.legacy_review_items to crm_app;
