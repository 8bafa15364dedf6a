-- Reminders and notifications (issue 18): each user's channel per kind, the periodic producer the worker's
-- `notify` task calls (dashboard/jobs/notifications.py), the deal-assignment trigger, and unsubscribing
-- from one kind's email by a signed link (the app checks the signature; see docs/security.md).

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function crm.notification_default_channel(p_kind text) returns text
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select case p_kind
           when 'task_due' then 'both'
           when 'deal_assigned' then 'both'
           when 'webhook_failing' then 'both'
           else 'in_app' end  -- meeting_soon, deal_stalled: in the app only
$$;
comment on function crm.notification_default_channel(text) is 'The channel of a notification kind for a user who has not chosen one: task_due, deal_assigned and webhook_failing both (in app and email), meeting_soon and deal_stalled in app only (dashboard/vocabulary.py NOTIFICATION_DEFAULTS says the same).';

create or replace function crm.notification_delivery(p_user uuid, p_kind text)
    returns table (in_app boolean, email_status text)
    language sql stable
    set search_path to ''
    as $$
  select ch.channel in ('in_app', 'both'),
         case when ch.channel not in ('email', 'both') then 'none'
              when coalesce((select s.email_mode from crm.notification_settings s where s.user_id = p_user), 'each') = 'digest'
                then 'digest'
              else 'pending' end
  from (select coalesce((select p.channel from crm.notification_preferences p
                         where p.user_id = p_user and p.kind = p_kind),
                        crm.notification_default_channel(p_kind)) as channel) ch
  where ch.channel <> 'off'
$$;
comment on function crm.notification_delivery(uuid, text) is 'How a new notice of kind p_kind reaches p_user: shown in app or not, and its email status (none, pending: one message, digest); no row when the user turned the kind off. Called by the producer (operator) and the assignment trigger (crm_helper); not granted to the app.';
revoke all on function crm.notification_delivery(uuid, text) from public;
grant execute on function crm.notification_delivery(uuid, text) to crm_helper;

create or replace function crm.deal_stalled_after(p_stage_changed_at timestamptz, p_rotting_days integer) returns timestamptz
    language sql immutable parallel safe
    set search_path to ''
    as $$
  -- services/deal_health.py: stalled when whole days in the stage exceed the stage's rotting days, i.e. from
  -- rotting_days + 1 days after the stage entry on
  select p_stage_changed_at + pg_catalog.make_interval(days => p_rotting_days + 1)
$$;
comment on function crm.deal_stalled_after(timestamptz, integer) is 'The instant an open deal that entered its stage at p_stage_changed_at becomes stalled in a stage of p_rotting_days rotting days (services/deal_health.Health.stalled: whole days in the stage > rotting days); null when the stage never rots.';

create or replace function crm.produce_notifications(as_of timestamptz default pg_catalog.now())
    returns table (kind text, produced bigint)
    language sql volatile
    set search_path to ''
    as $$
  with candidate (user_id, kind, record_id, occurrence, title, at, detail) as (
    -- a task due today or overdue (up to a week) in its assignee's zone; a due day is 00:00 UTC of the day
    select t.assigned_to, 'task_due', t.id, pg_catalog.to_char(t.due_date at time zone 'UTC', 'YYYY-MM-DD'),
           t.title, t.due_date, null::text
    from crm.tasks t join crm.users u on u.id = t.assigned_to
    where t.due_date between as_of - interval '8 days' and as_of + interval '1 day'
      and t.status in ('pending', 'in_progress') and u.is_active
      and (t.due_date at time zone 'UTC')::date
          between (as_of at time zone coalesce(u.time_zone, 'UTC'))::date - 7 and (as_of at time zone coalesce(u.time_zone, 'UTC'))::date
    union all
    -- a meeting starting within 15 minutes (not cancelled), for its owner
    select m.owner_id, 'meeting_soon', m.id, pg_catalog.to_char(m.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           m.title, m.starts_at, null
    from crm.meetings m join crm.users u on u.id = m.owner_id
    where m.starts_at > as_of and m.starts_at <= as_of + interval '15 minutes'
      and m.meeting_outcome <> 'cancelled' and u.is_active
    union all
    -- an open deal that became stalled in its stage within the last three days (older ones were told, or
    -- predate this feature), for its owner; once per stay in the stage
    select d.owner_id, 'deal_stalled', d.id, pg_catalog.to_char(d.stage_changed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           d.name, d.stage_changed_at, s.name
    from crm.deal_stages s
    cross join lateral (
      select d.id, d.owner_id, d.name, d.stage_changed_at from crm.deals d
      where d.stage_id = s.id and d.status = 'active'
        and crm.deal_stalled_after(d.stage_changed_at, s.rotting_days) <= as_of
        and d.stage_changed_at <= as_of - pg_catalog.make_interval(days => s.rotting_days + 1)
        and d.stage_changed_at > as_of - pg_catalog.make_interval(days => s.rotting_days + 4)
      offset 0) d  -- kept apart: one index range per stage (index_deals_open_by_stage_entry), not a scan of all deals
    join crm.users u on u.id = d.owner_id
    where s.rotting_days is not null and not s.is_won and not s.is_lost and u.is_active
    union all
    -- a webhook endpoint failing (issue 17's deliveries): a delivery that ran out of retries in the last day, or
    -- one still pending after 3 failed attempts; for every active admin, once per endpoint and (UTC) day
    select a.id, 'webhook_failing', e.id, pg_catalog.to_char(as_of at time zone 'UTC', 'YYYY-MM-DD'),
           e.url, f.last_attempt_at,
           (select pg_catalog.left(coalesce(t.error, 'HTTP ' || t.http_status), 200) from crm.webhook_attempts t
             where t.delivery_id = f.id order by t.attempted_at desc limit 1)
    from (select distinct on (d.endpoint_id) d.endpoint_id, d.id, d.last_attempt_at
            from (select w.endpoint_id, w.id, w.last_attempt_at from crm.webhook_deliveries w
                   where w.status = 'failed' and w.last_attempt_at > as_of - interval '1 day' and w.last_attempt_at <= as_of
                  union all
                  select w.endpoint_id, w.id, w.last_attempt_at from crm.webhook_deliveries w
                   where w.status = 'pending' and w.attempts >= 3) d
           order by d.endpoint_id, d.last_attempt_at desc nulls last) f
    join crm.webhook_endpoints e on e.id = f.endpoint_id and e.active
    join crm.users a on a.role = 'admin' and a.is_active
  ), fresh as (
    select c.*, dl.in_app, dl.email_status
    from candidate c
    cross join lateral crm.notification_delivery(c.user_id, c.kind) dl
    where not exists (select from crm.notifications n
                      where n.user_id = c.user_id and n.kind = c.kind and n.record_id = c.record_id
                        and n.occurrence = c.occurrence)
  ), inserted as (
    insert into crm.notifications (user_id, kind, record_id, occurrence, title, at, detail, in_app, email_status)
    select f.user_id, f.kind, f.record_id, f.occurrence, pg_catalog.left(f.title, 300), f.at, pg_catalog.left(f.detail, 300),
           f.in_app, f.email_status
    from fresh f
    on conflict (user_id, kind, record_id, occurrence) do nothing
    returning crm.notifications.kind
  )
  select i.kind, pg_catalog.count(*) from inserted i group by i.kind
$$;
comment on function crm.produce_notifications(timestamptz) is 'The periodic producer (task notify, every minute): inserts the notices due at as_of that do not exist yet (task due today or overdue in the assignee''s zone, meeting within 15 minutes, deal stalled in the last three days, webhook endpoint failing: a delivery out of retries in the last day or pending after 3 failed attempts, for every admin once a day) with each user''s channel; returns how many of each kind. Run by the worker''s operator role, set-based (indexed ranges, no per-user loop).';
revoke all on function crm.produce_notifications(timestamptz) from public;

create or replace function app.deals_notify_assignment() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  actor uuid := app.current_user_id();
begin
  -- no acting user (the demo loader, an operator's script): nobody assigned it
  if actor is null then
    return null;
  end if;
  if tg_level = 'ROW' then
    insert into crm.notifications (user_id, kind, record_id, occurrence, title, at, detail, in_app, email_status)
    select new.owner_id, 'deal_assigned', new.id, pg_catalog.to_char(pg_catalog.now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           pg_catalog.left(new.name, 300), pg_catalog.now(), (select pg_catalog.left(u.full_name, 300) from crm.users u where u.id = actor),
           dl.in_app, dl.email_status
    from crm.notification_delivery(new.owner_id, 'deal_assigned') dl
    where new.owner_id <> actor
    on conflict do nothing;
  else
    insert into crm.notifications (user_id, kind, record_id, occurrence, title, at, detail, in_app, email_status)
    select d.owner_id, 'deal_assigned', d.id, pg_catalog.to_char(pg_catalog.now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           pg_catalog.left(d.name, 300), pg_catalog.now(), (select pg_catalog.left(u.full_name, 300) from crm.users u where u.id = actor),
           dl.in_app, dl.email_status
    from inserted_deals d
    cross join lateral crm.notification_delivery(d.owner_id, 'deal_assigned') dl
    where d.owner_id <> actor
    on conflict do nothing;
  end if;
  return null;
end
$$;
alter function app.deals_notify_assignment() owner to crm_helper;
comment on function app.deals_notify_assignment() is 'AFTER trigger on deals (a new deal, per statement; an owner change, per row): a deal_assigned notice for the new owner when someone else (the acting user) gave it to them, from any path (form, inline edit, bulk reassign, import). Writes only crm.notifications.';
revoke all on function app.deals_notify_assignment() from public;

create or replace function app.unsubscribe_notification_email(p_user uuid, p_kind text) returns text
    language sql volatile security definer
    set search_path to ''
    as $$
  insert into crm.notification_preferences as p (user_id, kind, channel)
  select u.id, p_kind,
         case coalesce((select q.channel from crm.notification_preferences q where q.user_id = u.id and q.kind = p_kind),
                       crm.notification_default_channel(p_kind))
           when 'both' then 'in_app' when 'email' then 'off'
           else coalesce((select q.channel from crm.notification_preferences q where q.user_id = u.id and q.kind = p_kind),
                         crm.notification_default_channel(p_kind)) end
  from crm.users u where u.id = p_user
  on conflict (user_id, kind) do update set channel = excluded.channel, updated_at = pg_catalog.now()
  returning p.channel
$$;
alter function app.unsubscribe_notification_email(uuid, text) owner to crm_helper;
comment on function app.unsubscribe_notification_email(uuid, text) is 'Turn off the email of one notification kind for one user (both becomes in_app, email becomes off); returns the channel now in force, no row for an unknown user. Called by /unsubscribe without a login once the app has checked the link''s signature (docs/security.md); it can only ever reduce email.';
revoke all on function app.unsubscribe_notification_email(uuid, text) from public;
grant execute on function app.unsubscribe_notification_email(uuid, text) to crm_app;

revoke create on schema app from crm_helper;
