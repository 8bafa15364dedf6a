-- The triggers that keep the derived link tables (company_activities, contact_interactions).

create or replace trigger maintain_links after insert or update of company_id, contact_id, deal_id, user_id, type, date, details, sentiment_score on crm.activities for each row execute function app.activities_maintain_links();

create or replace trigger relink_activities after update of company_id on crm.contacts
  for each row when (old.company_id is distinct from new.company_id)
  execute function app.relink_activities_on_company_change();

create or replace trigger relink_activities after update of company_id on crm.deals
  for each row when (old.company_id is distinct from new.company_id)
  execute function app.relink_activities_on_company_change();
