-- Deal stakeholder maps are the admins' (DESIGN.md "Who uses it"; SECURITY.md
-- T16), and deals.stakeholder_mapping holds only valid "reports to" links:
--   {"reports_to": {"<contact_id>": "<manager_contact_id>", ...}}
-- where both ids are stakeholders of the deal, nobody reports to themselves
-- and the links never go round in a circle. The app validates the same rules
-- first and shows field errors; this trigger is the wall behind it.
--
-- Row-level security lets a rep update their own deal row, every column of
-- it; a policy cannot compare old and new values, so a trigger refuses a
-- change of the map by anyone but an admin (as users_guard_admin_columns does
-- for users). The map is saved after its stakeholder rows in the same
-- transaction, so the check sees the rows it refers to.

create or replace function app.deals_check_stakeholder_mapping()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  links jsonb := new.stakeholder_mapping -> 'reports_to';
  bad text;
begin
  if tg_op = 'UPDATE' and new.stakeholder_mapping is not distinct from old.stakeholder_mapping then
    return new;
  end if;
  if tg_op = 'INSERT' and new.stakeholder_mapping = '{}'::jsonb then
    return new;
  end if;
  if current_user = 'crm_app' and not app.is_admin() then
    raise exception 'only an admin can change a deal''s stakeholder map'
      using errcode = 'insufficient_privilege';
  end if;
  if jsonb_typeof(new.stakeholder_mapping) <> 'object' then
    return new;  -- check_deals_stakeholder_mapping_object refuses it
  end if;
  if exists (select 1 from jsonb_object_keys(new.stakeholder_mapping) k where k <> 'reports_to')
     or (links is not null and jsonb_typeof(links) <> 'object') then
    raise exception 'stakeholder_mapping holds only an object "reports_to"'
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;
  if links is null then
    return new;
  end if;

  -- every link joins two different stakeholders of this deal
  select l.key into bad
  from jsonb_each(links) l
  where jsonb_typeof(l.value) <> 'string'
     or l.key = l.value #>> '{}'
     or not exists (select 1 from crm.deal_stakeholders s
                    where s.deal_id = new.id and s.contact_id::text = l.key)
     or not exists (select 1 from crm.deal_stakeholders s
                    where s.deal_id = new.id and s.contact_id::text = l.value #>> '{}')
  limit 1;
  if bad is not null then
    raise exception 'stakeholder map: % must report to another stakeholder of the deal', bad
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;

  -- walking up from anyone never comes back to them (at most one step per link)
  if exists (
    with recursive walk (start, node, steps) as (
      select l.key, l.value #>> '{}', 1 from jsonb_each(links) l
      union all
      select w.start, links ->> w.node, w.steps + 1
      from walk w
      where links ? w.node and w.node <> w.start
        and w.steps <= (select count(*) from jsonb_object_keys(links))
    )
    select 1 from walk where node = start
  ) then
    raise exception 'stakeholder map: the "reports to" links form a cycle'
      using errcode = 'check_violation', constraint = 'check_deals_stakeholder_mapping_valid';
  end if;
  return new;
end
$$;
comment on function app.deals_check_stakeholder_mapping() is 'BEFORE INSERT/UPDATE OF stakeholder_mapping on deals: admins only; links between two stakeholders of the deal, no self-links, no cycles.';
create trigger check_stakeholder_mapping before insert or update of stakeholder_mapping on crm.deals
  for each row execute function app.deals_check_stakeholder_mapping();
