-- The sales forecast: each user's figures per calendar month (crm.forecast_figures; their won part,
-- crm.won_by_month, is also the history's actuals), the team page's
-- forecast and history (crm.get_team_forecast), and the monthly snapshot (crm.take_forecast_snapshot).
--
-- A deal counts in exactly one place: an open deal in its forecast category (commit, best_case or
-- pipeline) in the calendar month of its expected close date (a calendar day, the same in every zone;
-- no date: in no month), a won deal as closed won in the month it was won (closed_at, in the given
-- zone), a lost deal nowhere. The AI-weighted value of an open deal is value x its stored win
-- probability (win_probability_ai; the stage's default probability until it has been scored).
-- Deals, won deals and quotas are each aggregated per (user, month) on their own, then joined to the
-- grid of users x months: no fan-out.

create or replace function crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text)
    returns table (user_id uuid, month date, closed_won numeric)
    language sql stable
    set search_path to ''
    as $$
  select d.owner_id, date_trunc('month', d.closed_at at time zone p_zone)::date, sum(d.value)
  from crm.deals d
  where d.owner_id = any (p_user_ids) and d.status = 'won'
    and d.closed_at >= (p_first::timestamp at time zone p_zone)
    and d.closed_at < ((p_last + interval '1 month')::timestamp at time zone p_zone)
  group by 1, 2
$$;
comment on function crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) is 'Per user and calendar month (of closed_at in p_zone) from p_first to p_last (firsts of months), the value of the deals they won; months without a won deal have no row. SECURITY INVOKER.';
revoke all on function crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) from public;
grant execute on function crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) to crm_app;

create or replace function crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text)
    returns table (user_id uuid, month date, quota numeric, closed_won numeric, commit numeric,
                   best_case numeric, pipeline numeric, weighted numeric, deals bigint)
    language sql stable
    set search_path to ''
    as $$
  with grid as (
    select u.id as user_id, m::date as month
    from unnest(p_user_ids) as u(id)
    cross join generate_series(p_first, p_last, interval '1 month') as m
  ),
  open_deals as (
    select d.owner_id, date_trunc('month', d.expected_close_date)::date as month,
           sum(d.value) filter (where d.forecast_category = 'commit') as commit,
           sum(d.value) filter (where d.forecast_category = 'best_case') as best_case,
           sum(d.value) filter (where d.forecast_category = 'pipeline') as pipeline,
           round(sum(d.value * coalesce(d.win_probability_ai, s.default_probability / 100.0)), 2) as weighted,
           count(*) as deals
    from crm.deals d
    join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = any (p_user_ids) and d.status = 'active'
      and d.expected_close_date >= p_first and d.expected_close_date < (p_last + interval '1 month')::date
    group by 1, 2
  ),
  quota as (
    select q.user_id, q.month, q.amount
    from crm.quotas q
    where q.user_id = any (p_user_ids) and q.month between p_first and p_last
  )
  select g.user_id, g.month, q.amount,
         coalesce(w.closed_won, 0), coalesce(o.commit, 0), coalesce(o.best_case, 0), coalesce(o.pipeline, 0),
         coalesce(o.weighted, 0), coalesce(o.deals, 0)
  from grid g
  left join open_deals o on o.owner_id = g.user_id and o.month = g.month
  left join crm.won_by_month(p_user_ids, p_first, p_last, p_zone) w on w.user_id = g.user_id and w.month = g.month
  left join quota q on q.user_id = g.user_id and q.month = g.month
$$;
comment on function crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) is 'Per user and calendar month from p_first to p_last (firsts of months): quota (null: none set), closed won (won deals by the month of closed_at in p_zone), and the open deals expected to close that month by forecast category (commit, best_case, pipeline), their AI-weighted value (value x win_probability_ai, else the stage default) and count. Lost deals count nowhere. SECURITY INVOKER: row-level security applies.';
revoke all on function crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) from public;
grant execute on function crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) to crm_app;

create or replace function crm.forecast_members(p_manager_id uuid) returns uuid[]
    language plpgsql stable
    set search_path to ''
    as $$
begin
  -- everyone (a null manager): admins only; a team: the manager themself or an admin
  if p_manager_id is null then
    if not (select app.is_admin()) then
      raise exception 'only an admin reads everyone''s forecast' using errcode = 'insufficient_privilege';
    end if;
    return coalesce((select array_agg(u.id) from crm.users u
                     where u.is_active and u.role in ('rep', 'manager')), '{}');
  end if;
  if not ((select app.is_admin())
          or (p_manager_id = (select app.active_user_id()) and (select app.current_user_role()) = 'manager')) then
    raise exception 'not allowed to read the forecast of the team of user %', p_manager_id
      using errcode = 'insufficient_privilege';
  end if;
  -- the people the manager manages, directly or as the team's manager (as crm.get_team_dashboard_data)
  return coalesce((select array_agg(u.id) from crm.users u
                   where u.id <> p_manager_id and u.is_active
                     and (u.manager_id = p_manager_id
                          or u.team_id in (select t.id from crm.teams t where t.manager_id = p_manager_id))), '{}');
end
$$;
comment on function crm.forecast_members(p_manager_id uuid) is 'Whose forecast a page sums: the active people a manager manages (the manager themself or an admin may ask), or with a null manager every active rep and manager (admins only); else 42501.';
revoke all on function crm.forecast_members(p_manager_id uuid) from public;
grant execute on function crm.forecast_members(p_manager_id uuid) to crm_app;

create or replace function crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) returns jsonb
    language plpgsql stable
    set search_path to ''
    as $$
declare
  v_members uuid[];
  v_zone text := app.current_time_zone();
  v_this_month date := date_trunc('month', pg_catalog.now() at time zone app.current_time_zone())::date;
  v_history_first date;
  result jsonb;
begin
  if p_first is null or p_last is null or p_first <> date_trunc('month', p_first)::date
     or p_last <> date_trunc('month', p_last)::date then
    raise exception 'the forecast needs a first and a last month' using errcode = 'invalid_parameter_value';
  end if;
  if p_first > p_last then
    raise exception 'the months are reversed: % is after %', to_char(p_first, 'YYYY-MM'), to_char(p_last, 'YYYY-MM')
      using errcode = 'invalid_parameter_value';
  end if;
  if p_last >= (p_first + interval '24 months')::date then
    raise exception 'too many months: at most 24' using errcode = 'invalid_parameter_value';
  end if;
  v_members := crm.forecast_members(p_manager_id);
  v_history_first := (v_this_month - interval '6 months')::date;
  select jsonb_build_object(
    'first', p_first, 'last', p_last, 'this_month', v_this_month,
    'reps', (select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'full_name', u.full_name)
                                       order by u.full_name, u.id), '[]'::jsonb)
             from crm.users u where u.id = any (v_members)),
    'figures', (select coalesce(jsonb_agg(to_jsonb(f) order by f.month, f.user_id), '[]'::jsonb)
                from crm.forecast_figures(v_members, p_first, p_last, v_zone) f),
    -- the snapshots of the last six months and this one, with what each user has closed won since
    'history', (
      select coalesce(jsonb_agg(jsonb_build_object(
               'user_id', s.user_id, 'month', s.month, 'quota', s.quota, 'closed_won', s.closed_won,
               'commit', s.commit, 'best_case', s.best_case, 'pipeline', s.pipeline, 'weighted', s.weighted,
               'taken_at', s.taken_at, 'actual', coalesce(a.closed_won, 0)) order by s.month, s.user_id), '[]'::jsonb)
      from crm.forecast_snapshots s
      left join crm.won_by_month(v_members, v_history_first, v_this_month, v_zone) a
        on a.user_id = s.user_id and a.month = s.month
      where s.user_id = any (v_members) and s.month between v_history_first and v_this_month)
  ) into result;
  return result;
end
$$;
comment on function crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) is 'The team page''s forecast as JSON: reps, figures (crm.forecast_figures per rep and month from p_first to p_last, at most 24 months; won deals by month of the reader''s zone) and history (the snapshots of the last six months and this one, each with actual: what the user has closed won in that month). A manager''s team (the manager or an admin), or everyone with a null manager (admins); 42501 otherwise, 22023 for bad months. SECURITY INVOKER.';
revoke all on function crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) from public;
grant execute on function crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) to crm_app;

create or replace function crm.take_forecast_snapshot(p_month date) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  v_month date := date_trunc('month', p_month)::date;
  written integer;
begin
  -- one snapshot a month, taken whole: a month that has one is left as it is
  if exists (select 1 from crm.forecast_snapshots s where s.month = v_month) then
    return 0;
  end if;
  insert into crm.forecast_snapshots (user_id, month, quota, closed_won, commit, best_case, pipeline, weighted, deals)
  select f.user_id, f.month, f.quota, f.closed_won, f.commit, f.best_case, f.pipeline, f.weighted, f.deals
  from crm.forecast_figures(array(select u.id from crm.users u where u.is_active and u.role in ('rep', 'manager')),
                            v_month, v_month, 'UTC') f
  on conflict (user_id, month) do nothing;
  get diagnostics written = row_count;
  return written;
end
$$;
comment on function crm.take_forecast_snapshot(p_month date) is 'Stores the forecast of p_month''s month (crm.forecast_figures, won deals by UTC month) for every active rep and manager, unless that month already has a snapshot; returns the rows written (0: it had one). Run by crm score (nightly) and crm forecast snapshot as the owner; an admin may run it in the app.';
revoke all on function crm.take_forecast_snapshot(p_month date) from public;
grant execute on function crm.take_forecast_snapshot(p_month date) to crm_app;
