grant select on table crm.activities_with_complete_data to crm_app;

grant select on table crm.companies_with_intelligence to crm_app;

grant select on table crm.deal_meeting_analytics to crm_app;

grant select on table crm.deals_with_complete_relationships to crm_app;

grant select on table crm.meetings_with_complete_relationships to crm_app;
