-- The views are security_invoker: the app reads them under its own RLS.
grant select
  on table crm.activities_with_complete_data, crm.companies_with_intelligence, crm.deal_meeting_analytics,
           crm.deals_with_complete_relationships, crm.meetings_with_complete_relationships
  to crm_app;
