grant select,insert,delete,update on table crm.legacy_activities to crm_app;

grant select,insert,delete,update on table crm.legacy_deals to crm_app;

grant select,insert,delete,update on table crm.legacy_import_runs to crm_app;

grant select,insert,delete,update on table crm.legacy_review_items to crm_app;
