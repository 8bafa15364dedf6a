-- The pipeline admins manage: a stage with deals is not removed, and the lost reasons report.

create or replace function app.deal_stages_refuse_removing_used() returns trigger
    language plpgsql
    set search_path to ''
    as $$
declare
  in_stage bigint := (select count(*) from crm.deals d where d.stage_id = old.id);
begin
  -- deals.stage_id is ON DELETE RESTRICT too; this says how many deals must move first
  if in_stage > 0 then
    raise exception 'stage % has % deal(s); move them to another stage first', old.name, in_stage
      using errcode = 'foreign_key_violation', table = 'deal_stages', constraint = 'stage_has_deals';
  end if;
  return old;
end
$$;
comment on function app.deal_stages_refuse_removing_used() is 'BEFORE DELETE trigger on deal_stages: refuses (23503, constraint stage_has_deals) to remove a stage that deals are in, naming how many.';
revoke all on function app.deal_stages_refuse_removing_used() from public;

create or replace function crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date)
    returns table (reason_id uuid, reason text, deals bigint, value numeric)
    language plpgsql stable
    set search_path to ''
    as $$
declare
  v_zone text := app.current_time_zone();  -- the days are the reader's, as on the dashboards
begin
  perform crm.dashboard_check_range(p_from, p_to);
  -- a manager for their own team; an admin for any manager (as crm.get_team_dashboard_data)
  if not ((select app.is_admin())
          or (p_manager_id = (select app.active_user_id()) and (select app.current_user_role()) = 'manager')) then
    raise exception 'not allowed to read the team dashboard of user %', p_manager_id
      using errcode = 'insufficient_privilege';
  end if;
  return query
  select r.id, r.name, count(*), sum(d.value)
  from crm.deals d
  join crm.lost_reasons r on r.id = d.lost_reason_id
  join crm.users u on u.id = d.owner_id
  where d.status = 'lost'
    and d.closed_at >= (p_from::timestamp at time zone v_zone)
    and d.closed_at < ((p_to + 1)::timestamp at time zone v_zone)
    and u.id <> p_manager_id and u.is_active
    and (u.manager_id = p_manager_id
         or u.team_id in (select t.id from crm.teams t where t.manager_id = p_manager_id))
  group by r.id, r.name, r.position
  order by sum(d.value) desc, count(*) desc, r.position, r.name;
end
$$;
comment on function crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) is 'Deals of a manager''s team (active members, as on the team dashboard) lost between from and to (closed_at, by day in the reader''s time zone), per lost reason: count and value, largest value first. SECURITY INVOKER; the manager themself or an admin, else 42501.';
revoke all on function crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) from public;
grant execute on function crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) to crm_app;
