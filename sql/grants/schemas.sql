grant usage on schema app to crm_app;
grant usage on schema app to crm_helper;

grant usage on schema crm to crm_app;
grant usage on schema crm to crm_helper;
