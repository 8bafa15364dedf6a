-- Keep the relationship tables in step with the rows they summarise, in the
-- same transaction as the write (so they are never stale):
--   company_activities   an activity concerns its company directly (1.0),
--                        the company of its contact (0.8) and of its deal (0.9);
--   contact_interactions an activity with a contact is an interaction with them.
-- Links found another way (import, manual) are left alone. The triggers run
-- as crm_helper (see the end of this file) and write only the links of the
-- row that fired them.

create or replace function app.activities_maintain_links()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    delete from crm.company_activities ca
    where ca.activity_id = new.id and ca.link_source in ('direct', 'contact', 'deal');
    delete from crm.contact_interactions ci
    where ci.activity_id = new.id and ci.contact_id is distinct from new.contact_id;
  end if;

  -- the strongest way each company is reached wins (direct > deal > contact)
  insert into crm.company_activities (company_id, activity_id, relationship_strength, link_source)
  select distinct on (link.company_id) link.company_id, new.id, link.strength, link.source
  from (
    select new.company_id as company_id, 1.00 as strength, 'direct' as source
    union all
    select d.company_id, 0.90, 'deal' from crm.deals d where d.id = new.deal_id
    union all
    select c.company_id, 0.80, 'contact' from crm.contacts c where c.id = new.contact_id
  ) link
  where link.company_id is not null
  order by link.company_id, link.strength desc
  on conflict (company_id, activity_id) do nothing;

  if new.contact_id is not null then
    insert into crm.contact_interactions
      (contact_id, user_id, activity_id, interaction_type, direction, sentiment_score, interaction_date, notes)
    values (
      new.contact_id, new.user_id, new.id,
      case new.type when 'call' then 'call' when 'email' then 'email' when 'outbound' then 'email'
                    when 'meeting' then 'meeting' when 'proposal' then 'email' else 'other' end,
      'outbound', new.sentiment_score, new.date, left(new.details, 20000))
    on conflict (contact_id, activity_id) do update
      set user_id = excluded.user_id, interaction_type = excluded.interaction_type,
          sentiment_score = excluded.sentiment_score, interaction_date = excluded.interaction_date,
          notes = excluded.notes;
  end if;
  return null;
end
$$;
comment on function app.activities_maintain_links() is 'AFTER INSERT/UPDATE on activities: rewrites its company_activities and contact_interactions links.';
create trigger maintain_links after insert or update of company_id, contact_id, deal_id, user_id, type, date, details, sentiment_score
  on crm.activities for each row execute function app.activities_maintain_links();

-- A contact or deal that moves to another company takes its activities' links along.
create or replace function app.relink_activities_on_company_change()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  source text := case tg_table_name when 'contacts' then 'contact' else 'deal' end;
begin
  delete from crm.company_activities ca
  using crm.activities a
  where ca.activity_id = a.id and ca.link_source = source and ca.company_id = old.company_id
    and ((source = 'contact' and a.contact_id = new.id) or (source = 'deal' and a.deal_id = new.id));
  if new.company_id is not null then
    insert into crm.company_activities (company_id, activity_id, relationship_strength, link_source)
    select new.company_id, a.id, case source when 'deal' then 0.90 else 0.80 end, source
    from crm.activities a
    where (source = 'contact' and a.contact_id = new.id) or (source = 'deal' and a.deal_id = new.id)
    on conflict (company_id, activity_id) do nothing;
  end if;
  return null;
end
$$;
comment on function app.relink_activities_on_company_change() is 'AFTER UPDATE OF company_id on contacts/deals: moves the activities'' contact/deal company links.';
create trigger relink_activities after update of company_id on crm.contacts
  for each row when (old.company_id is distinct from new.company_id)
  execute function app.relink_activities_on_company_change();
create trigger relink_activities after update of company_id on crm.deals
  for each row when (old.company_id is distinct from new.company_id)
  execute function app.relink_activities_on_company_change();

-- These triggers also fire inside foreign-key actions (deleting a deal sets
-- activities.deal_id to null), which run as the table owner; forced RLS
-- would refuse the owner. So they run as crm_helper (BYPASSRLS) and touch
-- only the links of the row that fired them.
grant select on crm.activities, crm.contacts, crm.deals to crm_helper;
grant select, insert, update, delete on crm.company_activities, crm.contact_interactions to crm_helper;
grant create on schema app to crm_helper;
alter function app.activities_maintain_links() security definer;
alter function app.activities_maintain_links() owner to crm_helper;
alter function app.relink_activities_on_company_change() security definer;
alter function app.relink_activities_on_company_change() owner to crm_helper;
revoke create on schema app from crm_helper;
revoke all on function app.activities_maintain_links(), app.relink_activities_on_company_change() from public;
