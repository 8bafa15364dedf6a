-- The audit log: written by the audit trigger (crm_helper), read through RLS by the app.
grant insert on table crm.audit_log to crm_helper;
grant select on table crm.audit_log to crm_app;
grant select (id, table_name, row_id, action, old_values, new_values, transaction_id) on table crm.audit_log to crm_helper;
