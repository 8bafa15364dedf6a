-- The running totals: kept by triggers (crm_helper), read through RLS by the app.
grant select on table crm.activity_daily_companies, crm.activity_daily_totals, crm.deal_totals, crm.task_totals
  to crm_app;
grant select, insert, update, delete
  on table crm.activity_daily_companies, crm.activity_daily_totals, crm.deal_totals, crm.task_totals to crm_helper;
