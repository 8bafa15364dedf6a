-- Webhooks: the outbox capture trigger (every change to a company, contact, deal, activity, meeting or task
-- that an active endpoint subscribed to becomes an event and one delivery per endpoint, in the change's own
-- transaction) and the wake-up trigger that enqueues the worker's dispatch job. See docs/webhooks.md.

-- crm_helper may own functions in schema app only while this file runs
grant create on schema app to crm_helper;

create or replace function app.webhook_columns(table_name text) returns text[]
    language sql immutable parallel safe
    set search_path to ''
    as $$
  -- what a webhook payload carries of each record, by name: never a password hash, token or secret; the
  -- computed scores (app.computed_columns) are left out (they move nightly and are not edits)
  select case table_name
    when 'companies' then array['id', 'name', 'domain', 'industry', 'size', 'website', 'address', 'phone',
                                'description', 'owner_id', 'annual_revenue', 'employee_count', 'technology_stack',
                                'is_target_account', 'account_tier', 'social_media_urls', 'created_at',
                                'updated_at', 'version']
    when 'contacts' then array['id', 'first_name', 'last_name', 'email', 'phone', 'title', 'company_id', 'owner_id',
                               'job_seniority', 'social_media_urls', 'skills', 'preferred_contact_method',
                               'created_at', 'updated_at', 'version']
    when 'deals' then array['id', 'name', 'value', 'stage_id', 'owner_id', 'expected_close_date', 'status',
                            'closed_at', 'stage_changed_at', 'company_id', 'primary_contact_id', 'budget_confirmed',
                            'lost_reason_id', 'forecast_category', 'created_at', 'updated_at', 'version']
    when 'activities' then array['id', 'user_id', 'type', 'status', 'subject', 'details', 'date', 'amount',
                                 'quantity', 'company_id', 'contact_id', 'deal_id', 'activity_source', 'created_at',
                                 'updated_at', 'version']
    when 'meetings' then array['id', 'title', 'starts_at', 'ends_at', 'owner_id', 'company_id', 'primary_contact_id',
                               'primary_deal_id', 'summary', 'meeting_type', 'meeting_outcome',
                               'follow_up_required', 'next_steps', 'created_at', 'updated_at', 'version']
    when 'tasks' then array['id', 'title', 'description', 'due_date', 'status', 'priority', 'task_type',
                            'assigned_to', 'created_by', 'deal_id', 'company_id', 'contact_id', 'meeting_id',
                            'parent_task_id', 'completed_at', 'created_at', 'updated_at', 'version']
    else '{}'::text[]
  end
$$;
comment on function app.webhook_columns(table_name text) is 'The columns a webhook payload carries of a row of each table with events (explicit lists: never a password hash, token, secret or computed score). Changes to the others (scores, updated_at, version) send no .updated event.';
revoke all on function app.webhook_columns(table_name text) from public;
grant execute on function app.webhook_columns(table_name text) to crm_helper;

create or replace function app.webhook_watched_columns(table_name text) returns text[]
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select coalesce(array_agg(c order by o), '{}') from unnest(app.webhook_columns(table_name)) with ordinality u(c, o)
  where c not in ('id', 'created_at', 'updated_at', 'version')
$$;
comment on function app.webhook_watched_columns(table_name text) is 'The payload columns whose change is an .updated event (sql/triggers/webhooks.sql lists them in each update trigger''s WHEN): bookkeeping columns and scores are not.';
revoke all on function app.webhook_watched_columns(table_name text) from public;
grant execute on function app.webhook_watched_columns(table_name text) to crm_helper;

create or replace function app.webhook_capture() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  entity text := tg_argv[0];  -- company, contact, deal, activity, meeting, task
  wanted text[];
  types text[];
  new_row jsonb;
  old_row jsonb;
  record jsonb;
  previous jsonb;
  event_type text;
  event_id uuid;
begin
  -- the common case, no endpoint wants this entity's events: one look at a table of a few rows
  select pg_catalog.array_agg(distinct e) into wanted
  from crm.webhook_endpoints w cross join unnest(w.events) e
  where w.active and pg_catalog.starts_with(e, entity || '.');
  if wanted is null then
    return null;
  end if;
  new_row := pg_catalog.to_jsonb(new);
  old_row := pg_catalog.to_jsonb(old);
  previous := (select pg_catalog.jsonb_object_agg(c, old_row -> c) from unnest(app.webhook_watched_columns(tg_table_name)) c
               where new_row -> c is distinct from old_row -> c);
  if previous is null then
    return null;  -- only scores or bookkeeping changed (the trigger's WHEN already says so)
  end if;
  types := array[entity || '.updated'];
  if entity = 'deal' and previous ? 'stage_id' then
    types := types || 'deal.stage_changed'::text;
  end if;
  if entity = 'deal' and previous ? 'status' and new_row ->> 'status' in ('won', 'lost') then
    types := types || ('deal.' || (new_row ->> 'status'))::text;
  end if;
  record := app.webhook_record(tg_table_name, new_row);
  foreach event_type in array types loop
    continue when not event_type = any (wanted);
    insert into crm.webhook_events (type, record_id, payload)
    values (event_type, (record ->> 'id')::uuid,
            pg_catalog.jsonb_build_object('type', event_type, 'timestamp', app.webhook_timestamp(pg_catalog.clock_timestamp()),
                                          'data', record, 'previous', previous))
    returning id into event_id;
    insert into crm.webhook_deliveries (event_id, endpoint_id)
    select event_id, w.id from crm.webhook_endpoints w where w.active and event_type = any (w.events);
  end loop;
  return null;
end
$$;
alter function app.webhook_capture() owner to crm_helper;
comment on function app.webhook_capture() is 'AFTER UPDATE row trigger on companies, contacts, deals, activities, meetings and tasks (argument: the entity; its WHEN lets only changes of payload fields through): writes the webhook events active endpoints subscribed to (entity.updated with the previous values of what changed; deal.stage_changed, deal.won, deal.lost) and one pending delivery per endpoint, in the change''s transaction. Does nothing when no endpoint wants the entity''s events.';
revoke all on function app.webhook_capture() from public;

create or replace function app.webhook_capture_rows() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  event_type text := tg_argv[0] || case tg_op when 'INSERT' then '.created' else '.deleted' end;
begin
  -- once per statement (a bulk import's statement of thousands of rows too): nobody subscribed, nothing to do
  if not exists (select from crm.webhook_endpoints w where w.active and event_type = any (w.events)) then
    return null;
  end if;
  with events as (
    insert into crm.webhook_events (type, record_id, payload)
    select event_type, (r.record ->> 'id')::uuid,
           pg_catalog.jsonb_build_object('type', event_type, 'timestamp', app.webhook_timestamp(pg_catalog.clock_timestamp()),
                                         'data', r.record)
    from (select app.webhook_record(tg_table_name, pg_catalog.to_jsonb(w)) as record from webhook_rows w) r
    returning id
  )
  insert into crm.webhook_deliveries (event_id, endpoint_id)
  select e.id, w.id from events e cross join crm.webhook_endpoints w where w.active and event_type = any (w.events);
  return null;
end
$$;
alter function app.webhook_capture_rows() owner to crm_helper;
comment on function app.webhook_capture_rows() is 'AFTER INSERT and AFTER DELETE statement trigger on companies, contacts, deals, activities, meetings and tasks (argument: the entity; the statement''s rows as transition table webhook_rows): writes an entity.created or entity.deleted event per row and one pending delivery per subscribed active endpoint, set-based, in the change''s transaction; one look at the endpoints per statement when nobody subscribed.';
revoke all on function app.webhook_capture_rows() from public;

create or replace function app.webhook_record(table_name text, row_json jsonb) returns jsonb
    language sql stable
    set search_path to ''
    as $$
  -- the payload's data: the table's listed columns, and a deal's stage name
  select pg_catalog.jsonb_object_agg(c, row_json -> c)
         || case when table_name = 'deals'
                 then pg_catalog.jsonb_build_object('stage_name', (select s.name from crm.deal_stages s
                                                                   where s.id = (row_json ->> 'stage_id')::uuid))
                 else '{}'::jsonb end
  from unnest(app.webhook_columns(table_name)) c
$$;
comment on function app.webhook_record(table_name text, row_json jsonb) is 'A webhook payload''s data: the columns app.webhook_columns lists of a row (as JSON), plus stage_name for a deal.';
revoke all on function app.webhook_record(table_name text, row_json jsonb) from public;
grant execute on function app.webhook_record(table_name text, row_json jsonb) to crm_helper;

create or replace function app.webhook_timestamp(at timestamptz) returns text
    language sql immutable parallel safe
    set search_path to ''
    as $$
  select pg_catalog.to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;
comment on function app.webhook_timestamp(at timestamptz) is 'An instant as webhook payloads write it: ISO 8601 in UTC with microseconds (2026-12-07T19:45:00.123456Z).';
revoke all on function app.webhook_timestamp(at timestamptz) from public;
grant execute on function app.webhook_timestamp(at timestamptz) to crm_helper, crm_app;

create or replace function app.webhook_wake() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  due timestamptz;
  enqueued text := pg_catalog.current_setting('crm.webhook_dispatch_at', true);
begin
  select pg_catalog.min(d.next_attempt_at) into due from changed_deliveries d where d.status = 'pending';
  -- one dispatch job per transaction (and per later retry time): the job delivers every due delivery
  if due is null or (coalesce(enqueued, '') <> '' and enqueued::timestamptz <= due) then
    return null;
  end if;
  perform crm_jobs.procrastinate_defer_jobs_v1(array[row(
    'webhooks', 'webhook_dispatch', 0, null, null, '{}'::jsonb, case when due > pg_catalog.now() then due end
  )::crm_jobs.procrastinate_job_to_defer_v1]);
  perform pg_catalog.set_config('crm.webhook_dispatch_at', due::text, true);
  return null;
end
$$;
alter function app.webhook_wake() owner to crm_helper;
comment on function app.webhook_wake() is 'AFTER STATEMENT trigger on webhook_deliveries (inserted or updated rows as changed_deliveries): enqueues the worker''s webhook_dispatch job (queue webhooks) for the earliest pending delivery, once per transaction and retry time; the job becomes visible, and the workers are notified, at commit.';
revoke all on function app.webhook_wake() from public;

revoke create on schema app from crm_helper;
