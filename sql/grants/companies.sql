grant select,insert,delete,update on table crm.companies to crm_app;
grant select on table crm.companies to crm_helper;

grant update(engagement_score) on table crm.companies to crm_helper;

grant update(lead_score) on table crm.companies to crm_helper;

grant update(last_engagement_date) on table crm.companies to crm_helper;

grant select,insert,delete,update on table crm.contacts to crm_app;
grant select on table crm.contacts to crm_helper;

grant update(decision_maker_score) on table crm.contacts to crm_helper;

grant update(engagement_score) on table crm.contacts to crm_helper;

grant update(interaction_count) on table crm.contacts to crm_helper;

grant update(last_interaction_date) on table crm.contacts to crm_helper;

grant select,insert,delete,update on table crm.company_activities to crm_app;
grant select,insert,delete,update on table crm.company_activities to crm_helper;

grant select,insert,delete,update on table crm.contact_interactions to crm_app;
grant select,insert,delete,update on table crm.contact_interactions to crm_helper;
