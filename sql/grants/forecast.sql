-- Table privileges on quotas (row-level security decides whose) and forecast snapshots (read, and
-- inserted by an admin's snapshot; never updated or deleted by the app).
grant select, insert, update, delete on table crm.quotas to crm_app;
grant select, insert on table crm.forecast_snapshots to crm_app;
