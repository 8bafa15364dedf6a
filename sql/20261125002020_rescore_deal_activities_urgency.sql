-- Rescoring after a write also refreshes the urgency of a written deal's
-- activities: urgency_score is the larger of the activity's own due-date
-- pressure and its active deal's close-date pressure (1 - days to close / 60),
-- so moving a deal's close date or closing it changes every one of them.
-- Before, only `crm score` did. app.rescore_after_write is otherwise as in
-- 20261125001610 (still SECURITY DEFINER, owned by crm_helper, same grants).

create or replace function app.rescore_after_write(deal_ids uuid[] default '{}', company_ids uuid[] default '{}',
                                                   contact_ids uuid[] default '{}', activity_ids uuid[] default '{}')
returns void
language plpgsql
volatile
security definer
set search_path = ''
set plan_cache_mode = force_custom_plan
as $$
declare
  as_of timestamptz := pg_catalog.now();
  all_contacts uuid[];
  all_deals uuid[];
  all_companies uuid[];
begin
  deal_ids := coalesce(deal_ids, '{}');
  company_ids := coalesce(company_ids, '{}');
  contact_ids := coalesce(contact_ids, '{}');
  activity_ids := coalesce(activity_ids, '{}');
  if greatest(cardinality(deal_ids), cardinality(company_ids), cardinality(contact_ids), cardinality(activity_ids)) > 1000 then
    raise exception 'rescore_after_write takes at most 1000 ids per kind; use crm score --all'
      using errcode = 'program_limit_exceeded';
  end if;
  if cardinality(deal_ids) > 0 then
    -- a deal's status and close date set the urgency of all its activities (nothing else of theirs)
    perform crm.rescore_activities(array(select a.id from crm.activities a where a.deal_id = any (deal_ids)), as_of);
  end if;
  if cardinality(activity_ids) > 0 then
    perform crm.rescore_activities(activity_ids, as_of);
    select array(select distinct a.contact_id from crm.activities a
                 where a.id = any (activity_ids) and a.contact_id is not null) || contact_ids
      into contact_ids;
    select array(select distinct a.deal_id from crm.activities a
                 where a.id = any (activity_ids) and a.deal_id is not null) || deal_ids
      into deal_ids;
    select array(select distinct ca.company_id from crm.company_activities ca
                 where ca.activity_id = any (activity_ids)) || company_ids
      into company_ids;
  end if;
  all_contacts := array(select distinct u.id from unnest(contact_ids) u(id));
  perform crm.rescore_contacts(all_contacts, as_of);
  all_deals := array(
    select distinct x.id from (
      select u.id from unnest(deal_ids) u(id)
      union all
      select s.deal_id from crm.deal_stakeholders s where s.contact_id = any (all_contacts)
    ) x);
  perform crm.rescore_deals(all_deals, as_of);
  perform crm.rescore_win_probability(all_deals, as_of);
  all_companies := array(
    select distinct x.id from (
      select u.id from unnest(company_ids) u(id)
      union all
      select d.company_id from crm.deals d where d.id = any (all_deals) and d.company_id is not null
      union all
      select c.company_id from crm.contacts c where c.id = any (all_contacts) and c.company_id is not null
    ) x);
  perform crm.rescore_companies(all_companies, as_of);
  perform crm.record_score_history(all_companies, all_deals, as_of);
end
$$;

comment on function app.rescore_after_write(uuid[], uuid[], uuid[], uuid[]) is
  'Recomputes the scores of the written rows and what depends on them (SECURITY DEFINER as crm_helper: scores read all rows; writes only computed columns). Returns nothing.';
