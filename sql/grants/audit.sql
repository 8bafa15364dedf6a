grant insert on table crm.audit_log to crm_helper;
grant select on table crm.audit_log to crm_app;
