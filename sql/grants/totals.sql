grant select on table crm.activity_daily_companies to crm_app;
grant select,insert,delete,update on table crm.activity_daily_companies to crm_helper;

grant select on table crm.activity_daily_totals to crm_app;
grant select,insert,delete,update on table crm.activity_daily_totals to crm_helper;

grant select on table crm.deal_totals to crm_app;
grant select,insert,delete,update on table crm.deal_totals to crm_helper;

grant select on table crm.task_totals to crm_app;
grant select,insert,delete,update on table crm.task_totals to crm_helper;
