-- Table privileges on companies, contacts and their derived link tables.
grant select, insert, update, delete
  on table crm.companies, crm.contacts, crm.company_activities, crm.contact_interactions to crm_app;

-- the helper reads companies and contacts and writes only their computed columns;
-- it keeps the link tables (company_activities, contact_interactions) whole
grant select, update (engagement_score, lead_score, last_engagement_date) on table crm.companies to crm_helper;
grant select, update (decision_maker_score, engagement_score, interaction_count, last_interaction_date)
  on table crm.contacts to crm_helper;
grant select, insert, update, delete on table crm.company_activities, crm.contact_interactions to crm_helper;
