-- What the app role may do. Row-level security narrows every grant to the
-- rows the acting user may see (policies come with the access-control work).
-- No TRUNCATE, REFERENCES or TRIGGER anywhere; nothing on audit_log.

grant select, insert, update, delete on
  crm.teams, crm.users, crm.targets, crm.deal_stages,
  crm.companies, crm.contacts, crm.deals, crm.deal_stage_history,
  crm.activities, crm.meetings, crm.meeting_attendees, crm.meeting_action_items, crm.tasks,
  crm.company_activities, crm.deal_meetings, crm.contact_interactions,
  crm.deal_stakeholders, crm.activity_meetings, crm.meeting_sequences,
  crm.legacy_deals, crm.legacy_activities
to crm_app;

-- trigram search functions used in WHERE clauses
grant execute on all functions in schema crm to crm_app;
