--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: crm_owner
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO crm_owner;

--
-- Name: crm; Type: SCHEMA; Schema: -; Owner: crm_owner
--

CREATE SCHEMA crm;


ALTER SCHEMA crm OWNER TO crm_owner;

--
-- Name: crm_jobs; Type: SCHEMA; Schema: -; Owner: crm_owner
--

CREATE SCHEMA crm_jobs;


ALTER SCHEMA crm_jobs OWNER TO crm_owner;

--
-- Name: SCHEMA crm_jobs; Type: COMMENT; Schema: -; Owner: crm_owner
--

COMMENT ON SCHEMA crm_jobs IS 'The background job queue (Procrastinate): jobs, their events, workers and periodic ticks. See docs/architecture.md (Background work).';


--
-- Name: crm_migrations; Type: SCHEMA; Schema: -; Owner: crm_owner
--

CREATE SCHEMA crm_migrations;


ALTER SCHEMA crm_migrations OWNER TO crm_owner;

--
-- Name: btree_gin; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA crm;


--
-- Name: EXTENSION btree_gin; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION btree_gin IS 'support for indexing common datatypes in GIN';


--
-- Name: pg_stat_statements; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA public;


--
-- Name: EXTENSION pg_stat_statements; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_stat_statements IS 'track planning and execution statistics of all SQL statements executed';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA crm;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: procrastinate_job_event_type; Type: TYPE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TYPE crm_jobs.procrastinate_job_event_type AS ENUM (
    'deferred',
    'started',
    'deferred_for_retry',
    'failed',
    'succeeded',
    'cancelled',
    'abort_requested',
    'aborted',
    'scheduled',
    'retried'
);


ALTER TYPE crm_jobs.procrastinate_job_event_type OWNER TO crm_owner;

--
-- Name: procrastinate_job_status; Type: TYPE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TYPE crm_jobs.procrastinate_job_status AS ENUM (
    'todo',
    'doing',
    'succeeded',
    'failed',
    'cancelled',
    'aborting',
    'aborted'
);


ALTER TYPE crm_jobs.procrastinate_job_status OWNER TO crm_owner;

--
-- Name: procrastinate_job_to_defer_v1; Type: TYPE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TYPE crm_jobs.procrastinate_job_to_defer_v1 AS (
	queue_name character varying,
	task_name character varying,
	priority integer,
	lock text,
	queueing_lock text,
	args jsonb,
	scheduled_at timestamp with time zone
);


ALTER TYPE crm_jobs.procrastinate_job_to_defer_v1 OWNER TO crm_owner;

--
-- Name: active_user_id(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.active_user_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select u.id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;


ALTER FUNCTION app.active_user_id() OWNER TO crm_helper;

--
-- Name: FUNCTION active_user_id(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.active_user_id() IS 'The acting user id if that user exists and is active, else null: what write policies compare owners with.';


--
-- Name: activities_maintain_daily_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.activities_maintain_daily_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  -- the users' zones say the days: hold each user's zone lock (shared: writers do not wait for each
  -- other) until this transaction ends, so a zone change (app.users_rebucket_activity_totals, exclusive)
  -- waits for these activities and recounts them, or these wait for it and count on the new days
  execute format('select pg_catalog.pg_advisory_xact_lock_shared(app.time_zone_lock_class(), pg_catalog.hashtext(u.user_id::text))'
                 ' from (select distinct d.user_id from (%s) d order by 1) u', source) using new, old;
  execute format($q$
    with delta as (%s),
    sums as (
      -- a day of the activity's user's time zone (crm.users.time_zone, UTC when unset)
      select d.user_id, (d.date at time zone coalesce(u.time_zone, 'UTC'))::date as day, d.type,
             sum(d.sign)::integer as activities,
             coalesce(sum(d.sign) filter (where d.status = 'completed'), 0)::integer as completed,
             coalesce(sum(d.sign * d.quantity) filter (where d.status = 'completed'), 0) as counted_quantity,
             coalesce(sum(d.sign * d.amount) filter (where d.status = 'completed'), 0) as counted_amount
      from delta d left join crm.users u on u.id = d.user_id group by 1, 2, 3),
    emptied as (
      delete from crm.activity_daily_totals t using sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities = 0
      returning t.user_id, t.day, t.type),
    changed as (
      update crm.activity_daily_totals t
      set activities = t.activities + s.activities,
          completed = t.completed + s.completed,
          counted_quantity = t.counted_quantity + s.counted_quantity,
          counted_amount = t.counted_amount + s.counted_amount
      from sums s
      where (t.user_id, t.day, t.type) = (s.user_id, s.day, s.type) and t.activities + s.activities <> 0
      returning t.user_id, t.day, t.type)
    insert into crm.activity_daily_totals as t (user_id, day, type, activities, completed, counted_quantity, counted_amount)
    select s.* from sums s
    where s.activities > 0
      and not exists (select from emptied e where (e.user_id, e.day, e.type) = (s.user_id, s.day, s.type))
      and not exists (select from changed c where (c.user_id, c.day, c.type) = (s.user_id, s.day, s.type))
    on conflict (user_id, day, type) do update
      set activities = t.activities + excluded.activities,
          completed = t.completed + excluded.completed,
          counted_quantity = t.counted_quantity + excluded.counted_quantity,
          counted_amount = t.counted_amount + excluded.counted_amount
  $q$, source) using new, old;
  execute format($q$
    with delta as (%s),
    sums as (
      select d.user_id, (d.date at time zone coalesce(u.time_zone, 'UTC'))::date as day, d.company_id,
             sum(d.sign)::integer as activities
      from delta d left join crm.users u on u.id = d.user_id where d.company_id is not null
      group by 1, 2, 3 having sum(d.sign) <> 0),
    emptied as (
      delete from crm.activity_daily_companies t using sums s
      where (t.user_id, t.day, t.company_id) = (s.user_id, s.day, s.company_id) and t.activities + s.activities = 0
      returning t.user_id, t.day, t.company_id),
    changed as (
      update crm.activity_daily_companies t set activities = t.activities + s.activities
      from sums s
      where (t.user_id, t.day, t.company_id) = (s.user_id, s.day, s.company_id) and t.activities + s.activities <> 0
      returning t.user_id, t.day, t.company_id)
    insert into crm.activity_daily_companies as t (user_id, day, company_id, activities)
    select s.* from sums s
    where s.activities > 0
      and not exists (select from emptied e where (e.user_id, e.day, e.company_id) = (s.user_id, s.day, s.company_id))
      and not exists (select from changed c where (c.user_id, c.day, c.company_id) = (s.user_id, s.day, s.company_id))
    on conflict (user_id, day, company_id) do update set activities = t.activities + excluded.activities
  $q$, source) using new, old;
  return null;
end
$_$;


ALTER FUNCTION app.activities_maintain_daily_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION activities_maintain_daily_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.activities_maintain_daily_totals() IS 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on activities: keeps the daily totals.';


--
-- Name: activities_maintain_links(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.activities_maintain_links() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if tg_op = 'UPDATE'
     and (new.company_id, new.contact_id, new.deal_id, new.user_id, new.type, new.date, new.details)
         is not distinct from (old.company_id, old.contact_id, old.deal_id, old.user_id, old.type, old.date, old.details)
  then
    -- only the sentiment was (re)scored: the interaction inherits it, the links stand
    update crm.contact_interactions ci set sentiment_score = new.sentiment_score
    where ci.activity_id = new.id and ci.contact_id = new.contact_id
      and ci.sentiment_score is distinct from new.sentiment_score;
    return null;
  end if;

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


ALTER FUNCTION app.activities_maintain_links() OWNER TO crm_helper;

--
-- Name: FUNCTION activities_maintain_links(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.activities_maintain_links() IS 'AFTER INSERT/UPDATE on activities: rewrites its company_activities and contact_interactions links (a sentiment-only update just passes the sentiment on).';


--
-- Name: api_token_status(text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.api_token_status(presented text) RETURNS TABLE(status text, token_id uuid, user_id uuid, scope text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  found crm.api_tokens;
  active boolean;
begin
  -- why a presented token is refused (the API answers 401 with the reason) or, when it is live, whose it
  -- is; a live token's last use is recorded, at most once a minute
  select t.* into found from crm.api_tokens t where t.token_hash = app.token_hash(coalesce(presented, ''));
  if found.id is null then
    return query select 'invalid', null::uuid, null::uuid, null::text;
    return;
  end if;
  select u.is_active into active from crm.users u where u.id = found.user_id;
  status := case when found.revoked_at is not null then 'revoked'
                 when found.expires_at <= pg_catalog.now() then 'expired'
                 when not coalesce(active, false) then 'inactive'
                 else 'ok' end;
  if status = 'ok' and (found.last_used_at is null or found.last_used_at < pg_catalog.now() - interval '1 minute') then
    update crm.api_tokens t set last_used_at = pg_catalog.now() where t.id = found.id;
  end if;
  return query select status, found.id, found.user_id, found.scope;
end
$$;


ALTER FUNCTION app.api_token_status(presented text) OWNER TO crm_helper;

--
-- Name: FUNCTION api_token_status(presented text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.api_token_status(presented text) IS 'Checks a presented API token: ok (recording its last use, at most once a minute), invalid, revoked, expired, or inactive (its user is deactivated); with the token''s id, user and scope when it exists.';


--
-- Name: audit_row_change(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.audit_row_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  changed text[];
  row_id uuid;
begin
  -- the row's id (null for the composite-key link tables, whose keys are in the values)
  row_id := (coalesce(new_row, old_row) ->> 'id')::uuid;
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(n.key order by n.key), '{}') into changed
    from pg_catalog.jsonb_each(new_row) n
    where n.key not in ('updated_at', 'version')
      and n.key <> all (app.computed_columns(tg_table_name))
      and n.value is distinct from old_row -> n.key;
    if changed = '{}' then
      return null;  -- a no-op update, bookkeeping or scores only: not a change
    end if;
    old_row := (select pg_catalog.jsonb_object_agg(k, old_row -> k) from unnest(changed) k);
    new_row := (select pg_catalog.jsonb_object_agg(k, new_row -> k) from unnest(changed) k);
  end if;
  -- a password change is recorded as a change of password_hash, never with its value
  old_row := old_row - 'password_hash';
  new_row := new_row - 'password_hash';
  insert into crm.audit_log (actor_id, table_name, row_id, action, changed_columns, old_values, new_values)
  values (app.current_user_id(),
          tg_table_name,
          row_id,
          lower(tg_op),
          coalesce(changed, '{}'),
          old_row,
          new_row);
  return null;
end
$$;


ALTER FUNCTION app.audit_row_change() OWNER TO crm_helper;

--
-- Name: FUNCTION audit_row_change(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.audit_row_change() IS 'AFTER ROW trigger on business tables: appends the change to crm.audit_log (computed score columns are not changes).';


--
-- Name: change_own_password(text, text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.change_own_password(current_encoded text, new_encoded text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- the current password is checked here, not only by the form
  if not app.check_own_password(current_encoded) then
    return false;
  end if;
  update crm.users set password_hash = new_encoded where id = app.active_user_id();
  perform app.revoke_sessions(app.active_user_id(), true);  -- every other session ends
  return true;
end
$$;


ALTER FUNCTION app.change_own_password(current_encoded text, new_encoded text) OWNER TO crm_helper;

--
-- Name: FUNCTION change_own_password(current_encoded text, new_encoded text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.change_own_password(current_encoded text, new_encoded text) IS 'Sets the acting user''s password if current_encoded matches the present one; ends their other sessions. False when it does not match.';


--
-- Name: check_own_password(text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.check_own_password(encoded text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select coalesce((
    select app.verifier_matches(u.password_hash, encoded) from crm.users u where u.id = app.active_user_id()), false)
$$;


ALTER FUNCTION app.check_own_password(encoded text) OWNER TO crm_helper;

--
-- Name: FUNCTION check_own_password(encoded text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.check_own_password(encoded text) IS 'True if the argon2id encoding matches the acting user''s password.';


--
-- Name: computed_columns(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.computed_columns(table_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select case table_name
    when 'companies' then array['engagement_score', 'lead_score', 'last_engagement_date']
    when 'contacts' then array['engagement_score', 'decision_maker_score', 'interaction_count',
                               'last_interaction_date']
    when 'deals' then array['deal_intelligence_score', 'win_probability_ai', 'risk_factors']
    when 'activities' then array['sentiment_score', 'engagement_quality', 'outcome_prediction', 'urgency_score']
    when 'meetings' then array['sentiment_score']
    when 'contact_interactions' then array['sentiment_score']
    else '{}'::text[]
  end
$$;


ALTER FUNCTION app.computed_columns(table_name text) OWNER TO crm_owner;

--
-- Name: FUNCTION computed_columns(table_name text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.computed_columns(table_name text) IS 'Columns of a crm table written only by scoring (crm score, rescore_after_write): not edits, never audited.';


--
-- Name: create_api_token(text, text, integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.create_api_token(token_name text, token_scope text, expires_days integer) RETURNS TABLE(id uuid, token text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  me uuid := app.active_user_id();
  fresh text := app.new_api_token();
begin
  if me is null then
    raise exception 'only an active user creates API tokens' using errcode = 'insufficient_privilege';
  end if;
  if token_name is null or char_length(pg_catalog.btrim(token_name)) not between 1 and 100 then
    raise exception 'a token needs a name of 1 to 100 characters' using errcode = 'check_violation';
  end if;
  if token_scope is null or token_scope not in ('read', 'write') then
    raise exception 'a token''s scope is read or write' using errcode = 'check_violation';
  end if;
  if expires_days is not null and expires_days not between 1 and 3650 then
    raise exception 'a token expires in 1 to 3650 days, or never' using errcode = 'check_violation';
  end if;
  return query
  insert into crm.api_tokens as t (user_id, name, scope, token_hash, prefix, expires_at)
  values (me, pg_catalog.btrim(token_name), token_scope, app.token_hash(fresh), pg_catalog.left(fresh, 12),
          pg_catalog.now() + pg_catalog.make_interval(days => expires_days))
  returning t.id, fresh;
end
$$;


ALTER FUNCTION app.create_api_token(token_name text, token_scope text, expires_days integer) OWNER TO crm_helper;

--
-- Name: FUNCTION create_api_token(token_name text, token_scope text, expires_days integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.create_api_token(token_name text, token_scope text, expires_days integer) IS 'The acting user creates a personal access token (scope read or write, expiring in 1-3650 days or never, null); returns its id and the token itself, which is shown once and never stored.';


--
-- Name: current_api_token_id(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.current_api_token_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- the live token this transaction presents (app.api_token), of an active user; else null
  select t.id from crm.api_tokens t join crm.users u on u.id = t.user_id
  where t.token_hash = app.token_hash(pg_catalog.current_setting('app.api_token', true))
    and pg_catalog.current_setting('app.api_token', true) <> ''
    and u.is_active and t.revoked_at is null and (t.expires_at is null or t.expires_at > pg_catalog.now())
$$;


ALTER FUNCTION app.current_api_token_id() OWNER TO crm_helper;

--
-- Name: FUNCTION current_api_token_id(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.current_api_token_id() IS 'The id of the live API token the transaction presents (app.api_token) when its user is active; else null. Idempotency keys are kept per token.';


--
-- Name: current_session_hash(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.current_session_hash() RETURNS bytea
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select app.token_hash(nullif(pg_catalog.current_setting('app.session', true), ''))
$$;


ALTER FUNCTION app.current_session_hash() OWNER TO crm_owner;

--
-- Name: FUNCTION current_session_hash(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.current_session_hash() IS 'Hash of the session token this transaction presents, or null.';


--
-- Name: current_team_id(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.current_team_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select u.team_id from crm.users u where u.id = app.current_user_id() and u.is_active
$$;


ALTER FUNCTION app.current_team_id() OWNER TO crm_helper;

--
-- Name: FUNCTION current_team_id(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.current_team_id() IS 'Team of the acting user, or null.';


--
-- Name: current_time_zone(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.current_time_zone() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select coalesce((select u.time_zone from crm.users u where u.id = app.active_user_id()), 'UTC')
$$;


ALTER FUNCTION app.current_time_zone() OWNER TO crm_owner;

--
-- Name: FUNCTION current_time_zone(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.current_time_zone() IS 'The acting user''s time zone name; UTC when they have none (or nobody acts).';


--
-- Name: current_user_id(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.current_user_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  token text := pg_catalog.current_setting('app.session', true);
  raw text := pg_catalog.current_setting('app.user_id', true);
  api_token text := pg_catalog.current_setting('app.api_token', true);
begin
  -- the app's way: a session token issued by app.log_in / app.fork_session
  if token is not null and token <> '' then
    return (select s.user_id from crm.sessions s
            where s.token_hash = app.token_hash(token)
              and s.revoked_at is null and s.expires_at > pg_catalog.now());
  end if;
  -- the REST API's way: a personal access token (app.create_api_token), live and of an active user
  if api_token is not null and api_token <> '' then
    return (select t.user_id from crm.api_tokens t join crm.users u on u.id = t.user_id
            where t.token_hash = app.token_hash(api_token) and u.is_active and t.revoked_at is null
              and (t.expires_at is null or t.expires_at > pg_catalog.now()));
  end if;
  -- app.user_id is believed only from a trusted login (a superuser or a member of
  -- crm_owner: the CLI, the scoring job, tests); crm_app's own setting counts for nothing
  if pg_catalog.pg_input_is_valid(raw, 'uuid')
     and exists (select 1 from pg_catalog.pg_roles r where r.rolname = session_user
                 and (r.rolsuper or pg_catalog.pg_has_role(session_user, 'crm_owner', 'MEMBER'))) then
    return raw::uuid;
  end if;
  return null;
end
$$;


ALTER FUNCTION app.current_user_id() OWNER TO crm_helper;

--
-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.current_user_id() IS 'The acting user: the owner of the live session whose token this transaction presents (app.session); else the active owner of the live API token it presents (app.api_token); from a trusted login (superuser, crm_owner member) app.user_id; else null.';


--
-- Name: current_user_role(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.current_user_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select u.role from crm.users u where u.id = app.current_user_id() and u.is_active
$$;


ALTER FUNCTION app.current_user_role() OWNER TO crm_helper;

--
-- Name: FUNCTION current_user_role(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.current_user_role() IS 'Role of the acting user if active, else null.';


--
-- Name: deal_stages_refuse_removing_used(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.deal_stages_refuse_removing_used() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.deal_stages_refuse_removing_used() OWNER TO crm_owner;

--
-- Name: FUNCTION deal_stages_refuse_removing_used(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.deal_stages_refuse_removing_used() IS 'BEFORE DELETE trigger on deal_stages: refuses (23503, constraint stage_has_deals) to remove a stage that deals are in, naming how many.';


--
-- Name: deals_check_owner_change(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.deals_check_owner_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- connections without an acting user (the scoring job, the CLI as owner) are not judged
  if app.current_user_id() is not null and not app.may_reassign_owner(old.owner_id, new.owner_id) then
    raise exception 'you may not hand this deal to that owner'
      using errcode = 'insufficient_privilege', table = 'deals', constraint = 'deal_owner_reassignment',
            hint = 'Admins reassign any deal; managers reassign between themselves and the people they manage, to an active user.';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.deals_check_owner_change() OWNER TO crm_owner;

--
-- Name: FUNCTION deals_check_owner_change(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.deals_check_owner_change() IS 'BEFORE UPDATE OF owner_id trigger on deals: a change of owner by an acting user must pass app.may_reassign_owner (42501, constraint deal_owner_reassignment).';


--
-- Name: deals_check_stakeholder_mapping(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.deals_check_stakeholder_mapping() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.deals_check_stakeholder_mapping() OWNER TO crm_owner;

--
-- Name: FUNCTION deals_check_stakeholder_mapping(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.deals_check_stakeholder_mapping() IS 'BEFORE INSERT/UPDATE OF stakeholder_mapping on deals: admins only; links between two stakeholders of the deal, no self-links, no cycles.';


--
-- Name: deals_maintain_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.deals_maintain_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  execute format($q$
    with delta as (%s),
    sums as (
      select d.owner_id, d.stage_id, d.status, sum(d.sign)::integer as deals, sum(d.sign * d.value) as value,
             coalesce(sum(d.sign) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), 0)::integer as high_probability,
             coalesce(sum(d.sign) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score')), 0)::integer as top_opportunities
      from delta d
      group by 1, 2, 3
      -- a deal edited without changing what is summed (its name, a date) adds nothing
      having (sum(d.sign), sum(d.sign * d.value), coalesce(sum(d.sign) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), 0),
              coalesce(sum(d.sign) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score')), 0)) <> (0, 0, 0, 0)),
    emptied as (
      delete from crm.deal_totals t using sums s
      where (t.owner_id, t.stage_id, t.status) = (s.owner_id, s.stage_id, s.status) and t.deals + s.deals = 0
      returning t.owner_id, t.stage_id, t.status),
    changed as (
      update crm.deal_totals t
      set deals = t.deals + s.deals, value = t.value + s.value,
          high_probability = t.high_probability + s.high_probability,
          top_opportunities = t.top_opportunities + s.top_opportunities
      from sums s
      where (t.owner_id, t.stage_id, t.status) = (s.owner_id, s.stage_id, s.status) and t.deals + s.deals <> 0
      returning t.owner_id, t.stage_id, t.status)
    insert into crm.deal_totals as t (owner_id, stage_id, status, deals, value, high_probability, top_opportunities)
    select s.* from sums s
    where s.deals > 0
      and not exists (select from emptied e where (e.owner_id, e.stage_id, e.status) = (s.owner_id, s.stage_id, s.status))
      and not exists (select from changed c where (c.owner_id, c.stage_id, c.status) = (s.owner_id, s.stage_id, s.status))
    on conflict (owner_id, stage_id, status) do update
      set deals = t.deals + excluded.deals, value = t.value + excluded.value,
          high_probability = t.high_probability + excluded.high_probability,
          top_opportunities = t.top_opportunities + excluded.top_opportunities
  $q$, source) using new, old;
  return null;
end
$_$;


ALTER FUNCTION app.deals_maintain_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION deals_maintain_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.deals_maintain_totals() IS 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on deals: keeps crm.deal_totals.';


--
-- Name: deals_notify_assignment(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.deals_notify_assignment() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.deals_notify_assignment() OWNER TO crm_helper;

--
-- Name: FUNCTION deals_notify_assignment(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.deals_notify_assignment() IS 'AFTER trigger on deals (a new deal, per statement; an owner change, per row): a deal_assigned notice for the new owner when someone else (the acting user) gave it to them, from any path (form, inline edit, bulk reassign, import). Writes only crm.notifications.';


--
-- Name: deals_record_stage_change(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.deals_record_stage_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id then
    insert into crm.deal_stage_history (deal_id, from_stage_id, to_stage_id, changed_at, changed_by)
    values (new.id,
            case when tg_op = 'UPDATE' then old.stage_id end,
            new.stage_id,
            new.stage_changed_at,
            app.current_user_id());
  end if;
  return null;
end
$$;


ALTER FUNCTION app.deals_record_stage_change() OWNER TO crm_owner;

--
-- Name: FUNCTION deals_record_stage_change(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.deals_record_stage_change() IS 'AFTER INSERT/UPDATE OF stage_id trigger: appends to deal_stage_history.';


--
-- Name: deals_sync_status_from_stage(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.deals_sync_status_from_stage() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  stage record;
begin
  select s.is_won, s.is_lost into stage from crm.deal_stages s where s.id = new.stage_id;
  if stage.is_won then
    new.status := 'won';
  elsif stage.is_lost then
    new.status := 'lost';
  else
    new.status := 'active';
  end if;
  if new.status = 'active' then
    new.closed_at := null;
  elsif tg_op = 'UPDATE' and new.status is distinct from old.status then
    new.closed_at := pg_catalog.now();  -- closed (or re-closed, e.g. won -> lost) now
  else
    new.closed_at := coalesce(new.closed_at, pg_catalog.now());
  end if;
  if tg_op = 'UPDATE' and new.stage_id is distinct from old.stage_id then
    new.stage_changed_at := pg_catalog.now();
  end if;
  -- a lost deal has a reason (check_deals_lost_has_reason), others none: leaving a lost stage drops
  -- it; a deal created lost (imports, demo data) or lost without an acting user gets "Not recorded";
  -- an acting user who loses a deal must give one (the check refuses the update otherwise)
  if new.status <> 'lost' then
    new.lost_reason_id := null;
  elsif new.lost_reason_id is null and (tg_op = 'INSERT' or app.current_user_id() is null) then
    new.lost_reason_id := '00000000-0000-4000-8000-000000000100';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.deals_sync_status_from_stage() OWNER TO crm_owner;

--
-- Name: FUNCTION deals_sync_status_from_stage(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.deals_sync_status_from_stage() IS 'BEFORE INSERT/UPDATE OF stage_id, status, closed_at, lost_reason_id trigger: status and closed_at follow the stage, whatever the writer sent; the lost reason is dropped outside lost stages and defaults to "Not recorded" for deals created lost or lost without an acting user.';


--
-- Name: end_session(boolean); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.end_session(everywhere boolean) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  update crm.sessions s set revoked_at = pg_catalog.now()
  where s.revoked_at is null
    and (s.token_hash = app.current_session_hash()
         or (everywhere and s.user_id = app.current_user_id()))
$$;


ALTER FUNCTION app.end_session(everywhere boolean) OWNER TO crm_helper;

--
-- Name: FUNCTION end_session(everywhere boolean); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.end_session(everywhere boolean) IS 'Log out: revokes this transaction''s session, or with everywhere every session of the acting user.';


--
-- Name: fork_session(integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.fork_session(lifetime_seconds integer) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  who uuid := app.active_user_id();
begin
  -- a second session for the acting user, for work that outlives the request (an import)
  if who is null then
    raise exception 'no acting user to fork a session from' using errcode = 'insufficient_privilege';
  end if;
  return app.issue_session(who, 'job', lifetime_seconds);
end
$$;


ALTER FUNCTION app.fork_session(lifetime_seconds integer) OWNER TO crm_helper;

--
-- Name: FUNCTION fork_session(lifetime_seconds integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.fork_session(lifetime_seconds integer) IS 'A new job session (at most a day) for the acting user, so background work acts as them after the request ends.';


--
-- Name: guard_writes_on_others_records(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.guard_writes_on_others_records() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  derived text[] := app.computed_columns(tg_table_name) || array['updated_at', 'version', 'depth'];
  row_values jsonb := pg_catalog.to_jsonb(case when tg_op = 'INSERT' then new else old end);
begin
  if app.current_user_id() is null then
    return case when tg_op = 'DELETE' then old else new end;  -- the scoring job, the CLI as owner
  end if;
  if tg_op = 'UPDATE' and (pg_catalog.to_jsonb(new) - derived) = (row_values - derived) then
    return new;  -- scores, stamps, a subtask's depth: derived, not an edit
  end if;
  if app.row_is_writable(tg_table_name, row_values, app.active_user_id()) or app.is_admin() then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if tg_table_name = 'deals' and tg_op = 'UPDATE'
     and (pg_catalog.to_jsonb(new) - derived - 'owner_id') = (row_values - derived - 'owner_id') then
    return new;  -- a change of owner only: the check_owner_change trigger applies app.may_reassign_owner
  end if;
  raise exception 'this change would % a row of % that belongs to a record you cannot edit',
      lower(tg_op), tg_table_name
    using errcode = 'insufficient_privilege', table = tg_table_name,
          constraint = 'writes_stay_on_writable_records',
          hint = 'Ask the owner of that record or an admin to remove the link first.';
end
$$;


ALTER FUNCTION app.guard_writes_on_others_records() OWNER TO crm_helper;

--
-- Name: FUNCTION guard_writes_on_others_records(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.guard_writes_on_others_records() IS 'BEFORE row trigger on the tables that cascades and definer triggers reach: an acting non-admin may change or remove a row only if they may write it or the record it follows (42501, constraint writes_stay_on_writable_records); derived columns, a deal''s change of owner alone (judged by check_owner_change) and connections without an acting user pass.';


--
-- Name: is_admin(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.is_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select coalesce((select u.role = 'admin' from crm.users u where u.id = app.current_user_id() and u.is_active), false)
$$;


ALTER FUNCTION app.is_admin() OWNER TO crm_helper;

--
-- Name: FUNCTION is_admin(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.is_admin() IS 'True when the acting user is an active admin.';


--
-- Name: is_time_zone(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.is_time_zone(p_name text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select p_name is not null and pg_catalog.length(p_name) <= 64
         and exists (select from pg_catalog.pg_timezone_names z where z.name = p_name)
$$;


ALTER FUNCTION app.is_time_zone(p_name text) OWNER TO crm_owner;

--
-- Name: FUNCTION is_time_zone(p_name text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.is_time_zone(p_name text) IS 'True when p_name is a time zone PostgreSQL knows by name (pg_timezone_names: America/New_York, UTC); abbreviations and POSIX strings are not names.';


--
-- Name: issue_calendar_feed(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.issue_calendar_feed() RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  who uuid := app.active_user_id();
  token text := app.new_session_token();
begin
  if who is null then
    raise exception 'no acting user to issue a calendar feed for' using errcode = 'insufficient_privilege';
  end if;
  update crm.calendar_feeds set revoked_at = pg_catalog.now() where user_id = who and revoked_at is null;
  insert into crm.calendar_feeds (user_id, token_hash) values (who, app.token_hash(token));
  return token;
end
$$;


ALTER FUNCTION app.issue_calendar_feed() OWNER TO crm_helper;

--
-- Name: FUNCTION issue_calendar_feed(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.issue_calendar_feed() IS 'A new feed token for the acting user (returned once; only its sha256 is kept); their previous feed is revoked.';


--
-- Name: issue_session(uuid, text, integer); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  token text := app.new_session_token();
begin
  -- the one place a session starts: log_in and fork_session (as crm_helper); the tests and the
  -- benches as the superuser. Not granted to crm_app.
  insert into crm.sessions (token_hash, user_id, purpose, expires_at)
  values (app.token_hash(token), who, session_purpose,
          pg_catalog.now() + make_interval(secs => least(greatest(lifetime_seconds, 60), 86400)));
  return token;
end
$$;


ALTER FUNCTION app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) OWNER TO crm_owner;

--
-- Name: FUNCTION issue_session(who uuid, session_purpose text, lifetime_seconds integer); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) IS 'Starts a session (lifetime between a minute and a day) for a user and returns its token; only its hash is stored.';


--
-- Name: log_in(text, text, inet, integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  who uuid;
begin
  select u.id into who from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
    and app.verifier_matches(u.password_hash, encoded);
  insert into crm.login_attempts (email, ip, user_id, succeeded)
  values (left(lower(btrim(login_email)), 320), client_ip, who, who is not null);
  if who is null then
    return null;
  end if;
  update crm.users set last_login_at = pg_catalog.now() where id = who;
  return app.issue_session(who, 'web', lifetime_seconds);
end
$$;


ALTER FUNCTION app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) OWNER TO crm_helper;

--
-- Name: FUNCTION log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) IS 'Checks the argon2id encoding against the stored verifier, records the attempt, and on success returns a new session token (lifetime at most a day); null otherwise.';


--
-- Name: login_failures(text, inet, integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.login_failures(login_email text, client_ip inet, window_seconds integer) RETURNS TABLE(account_failures integer, pair_failures integer, address_failures integer, seconds_since_pair_failure double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- failures within the window; for the account (and the account from this address)
  -- only those after its last success and after an admin's unlock
  with since as (
    select greatest(
      pg_catalog.now() - make_interval(secs => window_seconds),
      (select max(s.attempted_at) from crm.login_attempts s
       where s.email = left(lower(btrim(login_email)), 320) and s.succeeded),
      (select u.failures_cleared_at from crm.users u where lower(u.email) = lower(btrim(login_email)))) as t
  )
  select
    (select count(*)::integer from crm.login_attempts a, since
     where a.email = left(lower(btrim(login_email)), 320) and not a.succeeded and a.attempted_at > since.t),
    (select count(*)::integer from crm.login_attempts a, since
     where a.email = left(lower(btrim(login_email)), 320) and a.ip = client_ip
       and not a.succeeded and a.attempted_at > since.t),
    (select count(*)::integer from crm.login_attempts a
     where a.ip = client_ip and not a.succeeded
       and a.attempted_at > pg_catalog.now() - make_interval(secs => window_seconds)),
    (select extract(epoch from pg_catalog.now() - max(a.attempted_at))::double precision
     from crm.login_attempts a
     where a.email = left(lower(btrim(login_email)), 320) and a.ip = client_ip and not a.succeeded)
$$;


ALTER FUNCTION app.login_failures(login_email text, client_ip inet, window_seconds integer) OWNER TO crm_helper;

--
-- Name: FUNCTION login_failures(login_email text, client_ip inet, window_seconds integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.login_failures(login_email text, client_ip inet, window_seconds integer) IS 'Recent failed logins: of the account, of the account from this address (since its last success or unlock), of the address; and seconds since the pair''s last failure.';


--
-- Name: login_salt(text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.login_salt(login_email text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $_$
  -- the verifier up to its salt: no secret, but only for an active user with a password
  select pg_catalog.substring(u.password_hash, '^(.*)\$sha256:[0-9a-f]+$')
  from crm.users u
  where lower(u.email) = lower(btrim(login_email)) and u.is_active and u.password_hash is not null
$_$;


ALTER FUNCTION app.login_salt(login_email text) OWNER TO crm_helper;

--
-- Name: FUNCTION login_salt(login_email text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.login_salt(login_email text) IS 'The argon2id parameters and salt of the active user with this email (to compute the encoding app.log_in compares), or null.';


--
-- Name: managed_user_ids(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.managed_user_ids() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- the people an active manager manages: their direct reports and the members of the teams
  -- they manage, active or not (a departed rep's deals are the ones to hand on); never themself
  select coalesce((
    select array(
      select u.id from crm.users u
      where u.id <> me.id
        and (u.manager_id = me.id or u.team_id in (select t.id from crm.teams t where t.manager_id = me.id)))
    from crm.users me
    where me.id = app.current_user_id() and me.is_active and me.role = 'manager'), '{}'::uuid[])
$$;


ALTER FUNCTION app.managed_user_ids() OWNER TO crm_helper;

--
-- Name: FUNCTION managed_user_ids(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.managed_user_ids() IS 'Users the acting manager manages (direct reports and members of the teams they manage, active or not, never themself); empty for everyone else.';


--
-- Name: may_reassign_owner(uuid, uuid); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.may_reassign_owner(from_owner uuid, to_owner uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- the new owner is an active user; an admin hands any deal to them, a manager a deal of
  -- their own or of someone they manage to themself or someone they manage; nobody else
  select exists (select 1 from crm.users n where n.id = to_owner and n.is_active)
     and app.may_reassign_within(app.reassign_scope(), from_owner, to_owner)
$$;


ALTER FUNCTION app.may_reassign_owner(from_owner uuid, to_owner uuid) OWNER TO crm_helper;

--
-- Name: FUNCTION may_reassign_owner(from_owner uuid, to_owner uuid); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.may_reassign_owner(from_owner uuid, to_owner uuid) IS 'The reassignment rule: whether the acting user may move a deal owned by from_owner to to_owner (an active user): admins always, managers between themself and the people they manage (app.reassign_scope, app.may_reassign_within).';


--
-- Name: may_reassign_within(uuid[], uuid, uuid); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select scope is null or (from_owner = any (scope) and to_owner = any (scope))
$$;


ALTER FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) OWNER TO crm_owner;

--
-- Name: FUNCTION may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) IS 'Whether a deal may move from from_owner to to_owner within app.reassign_scope() (null: anyone). A list asks the scope once: app.may_reassign_within((select app.reassign_scope()), ...).';


--
-- Name: new_api_token(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.new_api_token() RETURNS text
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- crm_pat_ + 43 url-safe characters: 32 bytes from two v4 uuids (244 random bits), base64url, unpadded
  select 'crm_pat_' || pg_catalog.translate(pg_catalog.rtrim(pg_catalog.encode(
           pg_catalog.uuid_send(pg_catalog.gen_random_uuid()) || pg_catalog.uuid_send(pg_catalog.gen_random_uuid()),
           'base64'), '='), '+/', '-_')
$$;


ALTER FUNCTION app.new_api_token() OWNER TO crm_owner;

--
-- Name: FUNCTION new_api_token(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.new_api_token() IS 'A fresh random API token: crm_pat_ and 43 url-safe characters (244 random bits).';


--
-- Name: new_session_token(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.new_session_token() RETURNS text
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- 244 random bits from the server's strong generator (two v4 uuids)
  select pg_catalog.replace(pg_catalog.gen_random_uuid()::text || pg_catalog.gen_random_uuid()::text, '-', '')
$$;


ALTER FUNCTION app.new_session_token() OWNER TO crm_owner;

--
-- Name: FUNCTION new_session_token(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.new_session_token() IS 'A fresh random session token (64 hex digits, 244 random bits).';


--
-- Name: open_calendar_feed(text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.open_calendar_feed(feed_token text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  who uuid;
begin
  -- a live feed of an active user, found by the token's hash (unique index: no scan, no partial match)
  update crm.calendar_feeds f set last_used_at = pg_catalog.now()
  from crm.users u
  where f.token_hash = app.token_hash(feed_token) and f.revoked_at is null
    and u.id = f.user_id and u.is_active
  returning f.user_id into who;
  if who is null then
    return null;
  end if;
  return app.issue_session(who, 'job', 60);
end
$$;


ALTER FUNCTION app.open_calendar_feed(feed_token text) OWNER TO crm_helper;

--
-- Name: FUNCTION open_calendar_feed(feed_token text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.open_calendar_feed(feed_token text) IS 'The feed''s owner as a one-minute job session token (to read the feed under row-level security), or null for an unknown or revoked token or an inactive user; records the use.';


--
-- Name: operations_figures(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.operations_figures() RETURNS TABLE(figure text, help text, queue text, value double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- the job queue, per queue that has jobs: waiting (todo and due), the oldest waiting one's age since it
  -- became due (its deferral, or its scheduled time), running, and failed in the last 24 hours
  with jobs as (
    select j.queue_name::text as queue, j.status::text as status,
           case when j.status = 'todo' and (j.scheduled_at is null or j.scheduled_at <= pg_catalog.now())
                then pg_catalog.now() - greatest(j.scheduled_at,
                       (select min(e.at) from crm_jobs.procrastinate_events e
                        where e.job_id = j.id and e.type = 'deferred')) end as waited,
           case when j.status = 'failed'
                then exists (select from crm_jobs.procrastinate_events e
                             where e.job_id = j.id and e.type = 'failed'
                               and e.at > pg_catalog.now() - interval '24 hours') end as failed_lately
    from crm_jobs.procrastinate_jobs j
  ), per_queue as (
    select queue,
           count(*) filter (where waited is not null) as waiting,
           coalesce(extract(epoch from max(waited)), 0) as oldest,
           count(*) filter (where status = 'doing') as running,
           count(*) filter (where failed_lately) as failed
    from jobs group by queue
  )
  select 'crm_job_queue_depth', 'Jobs waiting for a worker (todo and due), per queue.', queue, waiting::float8
  from per_queue
  union all
  select 'crm_job_queue_oldest_age_seconds', 'Seconds the oldest waiting job has waited since it was due (0: none waits).',
         queue, oldest::float8
  from per_queue
  union all
  select 'crm_jobs_running', 'Jobs a worker is running, per queue.', queue, running::float8 from per_queue
  union all
  select 'crm_jobs_failed_24h', 'Jobs that failed in the last 24 hours and were not retried, per queue.', queue, failed::float8
  from per_queue
  union all
  -- webhooks (sql/migrations/20261207001720_webhooks.sql): deliveries given up in the last 24 hours, attempts
  -- that failed in the last hour (no answer or not 2xx), deliveries waiting and the oldest one's age
  select 'crm_webhook_deliveries_failed_24h', 'Webhook deliveries that ran out of retries in the last 24 hours.', null,
         (select count(*) from crm.webhook_deliveries d
          where d.status = 'failed' and d.last_attempt_at > pg_catalog.now() - interval '24 hours')::float8
  union all
  select 'crm_webhook_attempts_failed_1h', 'Webhook attempts in the last hour that got no answer or not a 2xx.', null,
         (select count(*) from crm.webhook_attempts a
          where a.attempted_at > pg_catalog.now() - interval '1 hour'
            and (a.http_status is null or a.http_status not between 200 and 299))::float8
  union all
  select 'crm_webhook_deliveries_pending', 'Webhook deliveries not yet made (waiting for a first try or a retry).', null,
         (select count(*) from crm.webhook_deliveries d where d.status = 'pending')::float8
  union all
  select 'crm_webhook_oldest_pending_age_seconds', 'Seconds the oldest pending webhook delivery has been pending (0: none).', null,
         coalesce((select extract(epoch from pg_catalog.now() - min(d.pending_since))
                   from crm.webhook_deliveries d where d.status = 'pending'), 0)::float8
  union all
  -- backups (crm.backups, written by crm db backup and the scheduled backup): the newest successful one's age
  -- and size (no row before the first backup: alert on its absence too), failures in the last 24 hours
  select 'crm_backup_last_success_age_seconds', 'Seconds since the newest successful backup finished.', null,
         extract(epoch from pg_catalog.now() - b.finished_at)::float8
  from (select finished_at from crm.backups where status = 'succeeded' order by finished_at desc limit 1) b
  union all
  select 'crm_backup_last_success_size_bytes', 'Size of the newest successful backup.', null,
         coalesce(b.size_bytes, 0)::float8
  from (select finished_at, size_bytes from crm.backups where status = 'succeeded' order by finished_at desc limit 1) b
  union all
  select 'crm_backups_failed_24h', 'Backups that failed in the last 24 hours.', null,
         (select count(*) from crm.backups where status = 'failed'
          and finished_at > pg_catalog.now() - interval '24 hours')::float8
$$;


ALTER FUNCTION app.operations_figures() OWNER TO crm_helper;

--
-- Name: FUNCTION operations_figures(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.operations_figures() IS 'Figures for /metrics and /admin/health: the job queue per queue (waiting, oldest waiting age, running, failed in 24 h) the webhook deliveries (failed, failing attempts, pending, oldest pending age) and the backups (last success''s age and size, failures in 24 h); counts, sizes and ages only. Runs as crm_helper, which may read those tables.';


--
-- Name: password_verifier(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.password_verifier(encoded text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $_$
  -- '$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>' -> '$argon2id$v=19$m=..,t=..,p=..$<salt>$sha256:<hex>';
  -- anything else (a verifier already, null) is returned unchanged
  select case when encoded ~ '^\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+\$[^$]+$' and encoded !~ '\$sha256:'
    then pg_catalog.substring(encoded, '^(\$argon2[a-z]+\$v=[0-9]+\$[^$]+\$[^$]+)\$[^$]+$')
         || '$sha256:' || pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(encoded, 'UTF8')), 'hex')
    else encoded end
$_$;


ALTER FUNCTION app.password_verifier(encoded text) OWNER TO crm_owner;

--
-- Name: FUNCTION password_verifier(encoded text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.password_verifier(encoded text) IS 'The stored form of an argon2id encoding: its parameters and salt, then the sha256 of the whole encoding.';


--
-- Name: readable_user_ids(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.readable_user_ids() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- a rep reads their own rows; a manager also the rows of the people they
  -- manage (directly or as manager of their team); nobody else (no, an
  -- inactive or an unknown user) reads anything
  select coalesce((
    select case me.role
      when 'manager' then array(
        select u.id from crm.users u
        where u.id = me.id
           or u.manager_id = me.id
           or u.team_id in (select t.id from crm.teams t where t.manager_id = me.id))
      when 'rep' then array[me.id]
      when 'admin' then array[me.id]
    end
    from crm.users me
    where me.id = app.current_user_id() and me.is_active), '{}'::uuid[])
$$;


ALTER FUNCTION app.readable_user_ids() OWNER TO crm_helper;

--
-- Name: FUNCTION readable_user_ids(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.readable_user_ids() IS 'Users whose rows the acting user may read (self, plus team for managers); admins are handled by app.is_admin().';


--
-- Name: reassign_scope(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.reassign_scope() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- null: any owner (an admin); a manager: themself and the people they manage; nobody else: none
  select case
    when app.is_admin() then null
    when app.current_user_role() = 'manager' then app.managed_user_ids() || app.active_user_id()
    else '{}'::uuid[]
  end
$$;


ALTER FUNCTION app.reassign_scope() OWNER TO crm_helper;

--
-- Name: FUNCTION reassign_scope(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.reassign_scope() IS 'The owners between whom the acting user may move deals: null for any (admins), a manager''s people and themself, else none. Half of the reassignment rule (app.may_reassign_owner).';


--
-- Name: rebuild_activity_daily_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.rebuild_activity_daily_totals() RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  delete from crm.activity_daily_totals;
  delete from crm.activity_daily_companies;
  insert into crm.activity_daily_totals (user_id, day, type, activities, completed, counted_quantity, counted_amount)
  select a.user_id, (a.date at time zone coalesce(u.time_zone, 'UTC'))::date, a.type, count(*),
         count(*) filter (where a.status = 'completed'),
         coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
         coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
  from crm.activities a left join crm.users u on u.id = a.user_id group by 1, 2, 3;
  insert into crm.activity_daily_companies (user_id, day, company_id, activities)
  select a.user_id, (a.date at time zone coalesce(u.time_zone, 'UTC'))::date, a.company_id, count(*)
  from crm.activities a left join crm.users u on u.id = a.user_id where a.company_id is not null group by 1, 2, 3;
$$;


ALTER FUNCTION app.rebuild_activity_daily_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION rebuild_activity_daily_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.rebuild_activity_daily_totals() IS 'Recomputes crm.activity_daily_totals and crm.activity_daily_companies (days of each user''s time zone) from crm.activities (for loads with triggers off; owner only).';


--
-- Name: rebuild_deal_and_task_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.rebuild_deal_and_task_totals() RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  delete from crm.deal_totals;
  delete from crm.task_totals;
  insert into crm.deal_totals (owner_id, stage_id, status, deals, value, high_probability, top_opportunities)
  select d.owner_id, d.stage_id, d.status, count(*), sum(d.value),
         count(*) filter (where d.win_probability_ai > crm.threshold('high_win_probability')), count(*) filter (where d.deal_intelligence_score > crm.threshold('top_opportunity_score'))
  from crm.deals d group by 1, 2, 3;
  insert into crm.task_totals (assigned_to, status, tasks, high_priority)
  select t.assigned_to, t.status, count(*), count(*) filter (where t.priority in ('high', 'urgent'))
  from crm.tasks t group by 1, 2;
$$;


ALTER FUNCTION app.rebuild_deal_and_task_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION rebuild_deal_and_task_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.rebuild_deal_and_task_totals() IS 'Recomputes crm.deal_totals and crm.task_totals from crm.deals and crm.tasks (for loads and rescoring with triggers off; owner only).';


--
-- Name: relink_activities_on_company_change(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.relink_activities_on_company_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.relink_activities_on_company_change() OWNER TO crm_helper;

--
-- Name: FUNCTION relink_activities_on_company_change(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.relink_activities_on_company_change() IS 'AFTER UPDATE OF company_id on contacts/deals: moves the activities'' contact/deal company links.';


--
-- Name: require_admin(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.require_admin() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if not app.is_admin() then
    raise exception 'only an admin may do this' using errcode = 'insufficient_privilege';
  end if;
end
$$;


ALTER FUNCTION app.require_admin() OWNER TO crm_owner;

--
-- Name: FUNCTION require_admin(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.require_admin() IS 'Raises insufficient_privilege unless the acting user is an active admin.';


--
-- Name: require_ai_features(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.require_ai_features() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if exists (select 1 from pg_catalog.pg_roles r
             where r.rolname = current_user and (r.rolsuper or r.rolbypassrls)) then
    return;  -- the scoring job or the rescoring helper: not an app user
  end if;
  if not coalesce((select u.ai_features from crm.users u
                   where u.id = app.current_user_id() and u.is_active), false) then
    raise exception 'AI features are not enabled for this user'
      using errcode = 'insufficient_privilege';
  end if;
end
$$;


ALTER FUNCTION app.require_ai_features() OWNER TO crm_owner;

--
-- Name: FUNCTION require_ai_features(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.require_ai_features() IS 'Raises insufficient_privilege unless the acting app user has ai_features (superuser/BYPASSRLS callers pass).';


--
-- Name: rescore_after_write(uuid[], uuid[], uuid[], uuid[]); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.rescore_after_write(deal_ids uuid[] DEFAULT '{}'::uuid[], company_ids uuid[] DEFAULT '{}'::uuid[], contact_ids uuid[] DEFAULT '{}'::uuid[], activity_ids uuid[] DEFAULT '{}'::uuid[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
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


ALTER FUNCTION app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) OWNER TO crm_helper;

--
-- Name: FUNCTION rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) IS 'Recomputes the scores of the written rows and what depends on them (SECURITY DEFINER as crm_helper: scores read all rows; writes only computed columns). Returns nothing.';


--
-- Name: revoke_api_token(uuid); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.revoke_api_token(token_id uuid) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- a user revokes their own tokens, an admin anyone's; true if a live token was revoked
  with revoked as (
    update crm.api_tokens t set revoked_at = pg_catalog.now()
    where t.id = token_id and t.revoked_at is null
      and (t.user_id = app.active_user_id() or app.is_admin())
    returning 1)
  select exists (select from revoked)
$$;


ALTER FUNCTION app.revoke_api_token(token_id uuid) OWNER TO crm_helper;

--
-- Name: FUNCTION revoke_api_token(token_id uuid); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.revoke_api_token(token_id uuid) IS 'Revokes a personal access token of the acting user (an admin: of anyone); true if a live token was revoked.';


--
-- Name: revoke_calendar_feed(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.revoke_calendar_feed() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  with revoked as (
    update crm.calendar_feeds set revoked_at = pg_catalog.now()
    where user_id = app.active_user_id() and revoked_at is null
    returning 1)
  select count(*)::integer from revoked
$$;


ALTER FUNCTION app.revoke_calendar_feed() OWNER TO crm_helper;

--
-- Name: FUNCTION revoke_calendar_feed(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.revoke_calendar_feed() IS 'Revokes the acting user''s live feed (its URL answers 404 from then on); returns how many were revoked (0 or 1).';


--
-- Name: revoke_sessions(uuid, boolean); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.revoke_sessions(target uuid, keep_current boolean) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update crm.sessions s set revoked_at = pg_catalog.now()
  where s.user_id = target and s.revoked_at is null
    and not (keep_current and s.token_hash is not distinct from app.current_session_hash())
$$;


ALTER FUNCTION app.revoke_sessions(target uuid, keep_current boolean) OWNER TO crm_owner;

--
-- Name: FUNCTION revoke_sessions(target uuid, keep_current boolean); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.revoke_sessions(target uuid, keep_current boolean) IS 'Revokes a user''s sessions (optionally all but this transaction''s). Internal: callers check the right to do it.';


--
-- Name: revoke_user_sessions(uuid); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.revoke_user_sessions(target uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform app.require_admin();
  perform app.revoke_sessions(target, target = app.active_user_id());
end
$$;


ALTER FUNCTION app.revoke_user_sessions(target uuid) OWNER TO crm_helper;

--
-- Name: FUNCTION revoke_user_sessions(target uuid); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.revoke_user_sessions(target uuid) IS 'An admin logs a user out everywhere (the admin''s own current session excepted).';


--
-- Name: row_is_writable(text, jsonb, uuid); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.row_is_writable(table_name text, r jsonb, me uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  -- a row of a link table follows its parent record; a parent that is gone was deleted by this
  -- statement (under row-level security, or refused here first), so its links may go with it
  select coalesce(case table_name
    when 'activities' then (r ->> 'user_id')::uuid = me
    when 'contact_interactions' then (r ->> 'user_id')::uuid = me
    when 'contacts' then (r ->> 'owner_id')::uuid = me
    when 'deals' then (r ->> 'owner_id')::uuid = me
    when 'meetings' then (r ->> 'owner_id')::uuid = me
    when 'tasks' then me in ((r ->> 'assigned_to')::uuid, (r ->> 'created_by')::uuid)
    when 'deal_stakeholders' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'deal_meetings' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'meeting_sequences' then not exists (select 1 from crm.deals d
      where d.id = (r ->> 'deal_id')::uuid and d.owner_id is distinct from me)
    when 'activity_meetings' then not exists (select 1 from crm.activities a
      where a.id = (r ->> 'activity_id')::uuid and a.user_id is distinct from me)
    when 'company_activities' then not exists (select 1 from crm.activities a
      where a.id = (r ->> 'activity_id')::uuid and a.user_id is distinct from me)
    when 'meeting_attendees' then not exists (select 1 from crm.meetings m
      where m.id = (r ->> 'meeting_id')::uuid and m.owner_id is distinct from me)
    when 'meeting_action_items' then not exists (select 1 from crm.meetings m
      where m.id = (r ->> 'meeting_id')::uuid and m.owner_id is distinct from me)
  end, false)
$$;


ALTER FUNCTION app.row_is_writable(table_name text, r jsonb, me uuid) OWNER TO crm_owner;

--
-- Name: FUNCTION row_is_writable(table_name text, r jsonb, me uuid); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.row_is_writable(table_name text, r jsonb, me uuid) IS 'Whether user me may write the row r of table_name: its owner column, or the owner of the parent record it follows (a parent deleted by this statement counts as writable).';


--
-- Name: set_updated_at(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  computed text[] := app.computed_columns(tg_table_name);
begin
  if computed <> '{}'
     and (pg_catalog.to_jsonb(new) - computed - 'updated_at') = (pg_catalog.to_jsonb(old) - computed - 'updated_at') then
    new.updated_at := old.updated_at;  -- only scores changed: not an update of the row
  else
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;


ALTER FUNCTION app.set_updated_at() OWNER TO crm_owner;

--
-- Name: FUNCTION set_updated_at(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at (not when only computed score columns change).';


--
-- Name: set_user_password(uuid, text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.set_user_password(target uuid, new_encoded text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform app.require_admin();
  update crm.users set password_hash = new_encoded where id = target;
  perform app.revoke_sessions(target, target = app.active_user_id());
end
$$;


ALTER FUNCTION app.set_user_password(target uuid, new_encoded text) OWNER TO crm_helper;

--
-- Name: FUNCTION set_user_password(target uuid, new_encoded text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.set_user_password(target uuid, new_encoded text) IS 'An admin sets a user''s password; that user''s sessions end (the admin''s own current one excepted).';


--
-- Name: slowest_statements(integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.slowest_statements(how_many integer) RETURNS TABLE(query text, calls bigint, total_ms double precision, mean_ms double precision, max_ms double precision, rows_returned bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $_$
begin
  if not app.is_admin() then
    raise exception 'only admins read the statement statistics' using errcode = 'insufficient_privilege';
  end if;
  -- the app's own statements in this database (crm_app's; normalised: constants are $1, $2...), by total
  -- time; other roles' statements (the operator's, the workers') are not shown
  return query
    select s.query, s.calls, s.total_exec_time, s.mean_exec_time, s.max_exec_time, s.rows
    from public.pg_stat_statements s
    where s.userid = 'crm_app'::regrole
      and s.dbid = (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database())
      and s.toplevel
    order by s.total_exec_time desc
    limit least(greatest(how_many, 1), 100);
end
$_$;


ALTER FUNCTION app.slowest_statements(how_many integer) OWNER TO crm_helper;

--
-- Name: FUNCTION slowest_statements(how_many integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.slowest_statements(how_many integer) IS 'Admins only: the app role''s statements in this database with the most total execution time (pg_stat_statements, normalised texts), at most 100. Runs as crm_helper, a member of pg_read_all_stats.';


--
-- Name: take_api_request(integer, integer); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.take_api_request(max_requests integer, window_seconds integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  token uuid := app.current_api_token_id();
  started timestamptz;
  counted integer;
begin
  -- counts one request of the presented token in the current fixed window; answers 0 when it is within
  -- max_requests, else the seconds until the window ends (the Retry-After)
  if token is null or max_requests < 1 or window_seconds < 1 then
    raise exception 'no live API token, or a limit below 1' using errcode = 'insufficient_privilege';
  end if;
  -- a count lost in a crash costs nothing: the transaction's commit need not wait for the WAL to reach the disk
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  started := pg_catalog.to_timestamp(pg_catalog.floor(extract(epoch from pg_catalog.now()) / window_seconds) * window_seconds);
  insert into crm.api_rate_windows as w (token_id, window_start, requests) values (token, started, 1)
  on conflict (token_id, window_start) do update set requests = w.requests + 1
  returning w.requests into counted;
  if counted = 1 then
    delete from crm.api_rate_windows w where w.token_id = token and w.window_start < started;
  end if;
  if counted <= max_requests then
    return 0;
  end if;
  return greatest(1, pg_catalog.ceil(extract(epoch from started + pg_catalog.make_interval(secs => window_seconds) - pg_catalog.now()))::integer);
end
$$;


ALTER FUNCTION app.take_api_request(max_requests integer, window_seconds integer) OWNER TO crm_helper;

--
-- Name: FUNCTION take_api_request(max_requests integer, window_seconds integer); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.take_api_request(max_requests integer, window_seconds integer) IS 'REST API rate limit: counts a request of the presented token (app.api_token) in its fixed window of window_seconds; 0 when at most max_requests were made in it, else the seconds until the window ends.';


--
-- Name: tasks_maintain_hierarchy(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.tasks_maintain_hierarchy() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  parent_depth integer;
  deepest integer;
begin
  if new.parent_task_id is null then
    new.depth := 1;
  else
    select t.depth into parent_depth from crm.tasks t where t.id = new.parent_task_id;
    if parent_depth is null then
      -- an unknown parent is left to the foreign key to report
      new.depth := 1;
      return new;
    end if;
    if tg_op = 'UPDATE' and exists (
      with recursive ancestors(id, parent_task_id) as (
        select t.id, t.parent_task_id from crm.tasks t where t.id = new.parent_task_id
        union all
        select t.id, t.parent_task_id from crm.tasks t join ancestors a on t.id = a.parent_task_id
      ) cycle id set is_cycle using path
      select 1 from ancestors where ancestors.id = new.id
    ) then
      raise exception 'task % cannot be moved under its own subtask', new.id
        using errcode = 'check_violation', constraint = 'check_tasks_no_cycle';
    end if;
    new.depth := parent_depth + 1;
  end if;

  if tg_op = 'UPDATE' then
    -- how far the subtree below this task reaches, relative to it
    with recursive subtree(id, rel) as (
      select t.id, 1 from crm.tasks t where t.parent_task_id = new.id
      union all
      select t.id, s.rel + 1 from crm.tasks t join subtree s on t.parent_task_id = s.id
      where s.rel < 10
    )
    select coalesce(max(rel), 0) into deepest from subtree;
    if new.depth + deepest > 5 then
      raise exception 'task hierarchy would be % levels deep (at most 5)', new.depth + deepest
        using errcode = 'check_violation', constraint = 'check_tasks_depth_range';
    end if;
  elsif new.depth > 5 then
    raise exception 'task hierarchy would be % levels deep (at most 5)', new.depth
      using errcode = 'check_violation', constraint = 'check_tasks_depth_range';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.tasks_maintain_hierarchy() OWNER TO crm_helper;

--
-- Name: FUNCTION tasks_maintain_hierarchy(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.tasks_maintain_hierarchy() IS 'BEFORE INSERT/UPDATE OF parent_task_id: sets depth, refuses cycles and depth > 5.';


--
-- Name: tasks_maintain_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.tasks_maintain_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  source text := app.totals_delta_query(tg_level, tg_op);
begin
  execute format($q$
    with delta as (%s),
    sums as (
      select d.assigned_to, d.status, sum(d.sign)::integer as tasks,
             coalesce(sum(d.sign) filter (where d.priority in ('high', 'urgent')), 0)::integer as high_priority
      from delta d
      group by 1, 2
      having (sum(d.sign), coalesce(sum(d.sign) filter (where d.priority in ('high', 'urgent')), 0)) <> (0, 0)),
    emptied as (
      delete from crm.task_totals t using sums s
      where (t.assigned_to, t.status) = (s.assigned_to, s.status) and t.tasks + s.tasks = 0
      returning t.assigned_to, t.status),
    changed as (
      update crm.task_totals t
      set tasks = t.tasks + s.tasks, high_priority = t.high_priority + s.high_priority
      from sums s
      where (t.assigned_to, t.status) = (s.assigned_to, s.status) and t.tasks + s.tasks <> 0
      returning t.assigned_to, t.status)
    insert into crm.task_totals as t (assigned_to, status, tasks, high_priority)
    select s.* from sums s
    where s.tasks > 0
      and not exists (select from emptied e where (e.assigned_to, e.status) = (s.assigned_to, s.status))
      and not exists (select from changed c where (c.assigned_to, c.status) = (s.assigned_to, s.status))
    on conflict (assigned_to, status) do update
      set tasks = t.tasks + excluded.tasks, high_priority = t.high_priority + excluded.high_priority
  $q$, source) using new, old;
  return null;
end
$_$;


ALTER FUNCTION app.tasks_maintain_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION tasks_maintain_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.tasks_maintain_totals() IS 'AFTER INSERT/DELETE (per statement) and UPDATE of the summed columns (per row) on tasks: keeps crm.task_totals.';


--
-- Name: tasks_redepth_subtree(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.tasks_redepth_subtree() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  with recursive subtree(id, depth) as (
    select t.id, new.depth + 1 from crm.tasks t where t.parent_task_id = new.id
    union all
    select t.id, s.depth + 1 from crm.tasks t join subtree s on t.parent_task_id = s.id
    where s.depth < 10
  )
  update crm.tasks t set depth = s.depth
  from subtree s
  where t.id = s.id and t.depth <> s.depth;
  return null;
end
$$;


ALTER FUNCTION app.tasks_redepth_subtree() OWNER TO crm_helper;

--
-- Name: FUNCTION tasks_redepth_subtree(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.tasks_redepth_subtree() IS 'AFTER UPDATE OF parent_task_id: re-depths the moved subtree.';


--
-- Name: tasks_sync_completed_at(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.tasks_sync_completed_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if new.status = 'completed' then
    new.completed_at := coalesce(new.completed_at, pg_catalog.now());
  else
    new.completed_at := null;
  end if;
  return new;
end
$$;


ALTER FUNCTION app.tasks_sync_completed_at() OWNER TO crm_owner;

--
-- Name: FUNCTION tasks_sync_completed_at(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.tasks_sync_completed_at() IS 'BEFORE INSERT/UPDATE OF status, completed_at: completed_at is set exactly when status is completed.';


--
-- Name: time_zone_lock_class(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.time_zone_lock_class() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select 1515
$$;


ALTER FUNCTION app.time_zone_lock_class() OWNER TO crm_owner;

--
-- Name: FUNCTION time_zone_lock_class(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.time_zone_lock_class() IS 'The first key of the advisory locks on a user''s days, (1515, hashtext(user id)): shared by the writers of their activities'' daily totals, exclusive for a change of their zone.';


--
-- Name: token_hash(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.token_hash(token text) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8'))
$$;


ALTER FUNCTION app.token_hash(token text) OWNER TO crm_owner;

--
-- Name: FUNCTION token_hash(token text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.token_hash(token text) IS 'How a session token is stored and looked up: its sha256.';


--
-- Name: totals_delta_query(text, text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.totals_delta_query(trigger_level text, trigger_op text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $_$
  select case
    when trigger_level = 'STATEMENT' and trigger_op = 'INSERT' then 'select n.*, 1 as sign from new_rows n'
    when trigger_level = 'STATEMENT' and trigger_op = 'DELETE' then 'select o.*, -1 as sign from old_rows o'
    else 'select ($1).*, 1 as sign union all select ($2).*, -1' end
$_$;


ALTER FUNCTION app.totals_delta_query(trigger_level text, trigger_op text) OWNER TO crm_owner;

--
-- Name: FUNCTION totals_delta_query(trigger_level text, trigger_op text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.totals_delta_query(trigger_level text, trigger_op text) IS 'The query (text) that gives a totals trigger its changed rows, each with its sign (+1 arriving, -1 leaving).';


--
-- Name: transaction_changes(bigint); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.transaction_changes(after_id bigint) RETURNS TABLE(table_name text, action text, row_count bigint, last_id bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  -- the net effect on each row this transaction changed after audit row after_id: a row inserted
  -- then deleted did not change, one deleted then inserted again with the same values neither
  with changes as (
    select a.id, a.table_name, a.action, a.old_values, a.new_values,
           coalesce(a.row_id::text, pg_catalog.concat_ws('/',
             coalesce(a.new_values, a.old_values) ->> 'company_id', coalesce(a.new_values, a.old_values) ->> 'deal_id',
             coalesce(a.new_values, a.old_values) ->> 'activity_id', coalesce(a.new_values, a.old_values) ->> 'meeting_id'))
             as row_key
    from crm.audit_log a
    where a.transaction_id = pg_catalog.pg_current_xact_id() and a.id > after_id
  ), per_row as (
    select c.table_name, max(c.id) as last_id,
           (array_agg(c.action order by c.id))[1] as first_action,
           (array_agg(c.action order by c.id desc))[1] as last_action,
           (array_agg(c.old_values order by c.id))[1] as first_old,
           (array_agg(c.new_values order by c.id desc))[1] as last_new
    from changes c
    group by c.table_name, c.row_key
  ), net as (
    select p.table_name, p.last_id,
           case when p.first_action = 'insert' and p.last_action = 'delete' then null
                when p.last_action = 'delete' then 'delete'
                when p.first_action = 'insert' then 'insert'
                when p.first_action = 'delete' and p.first_old = p.last_new then null
                else 'update' end as action
    from per_row p
  )
  select n.table_name, coalesce(n.action, 'none'), pg_catalog.count(*), max(n.last_id)
  from net n
  group by n.table_name, n.action
$$;


ALTER FUNCTION app.transaction_changes(after_id bigint) OWNER TO crm_helper;

--
-- Name: FUNCTION transaction_changes(after_id bigint); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.transaction_changes(after_id bigint) IS 'Per table and net action (insert, update, delete, none), how many rows the current transaction changed after audit row after_id, and its last audit row: counts only, for a delete tried in a savepoint (the delete confirmations).';


--
-- Name: unlock_login(uuid); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.unlock_login(target uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform app.require_admin();
  update crm.users set failures_cleared_at = pg_catalog.now() where id = target;
end
$$;


ALTER FUNCTION app.unlock_login(target uuid) OWNER TO crm_helper;

--
-- Name: FUNCTION unlock_login(target uuid); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.unlock_login(target uuid) IS 'An admin unlocks an account: its earlier failed logins stop counting.';


--
-- Name: unsubscribe_notification_email(uuid, text); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.unsubscribe_notification_email(p_user uuid, p_kind text) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.unsubscribe_notification_email(p_user uuid, p_kind text) OWNER TO crm_helper;

--
-- Name: FUNCTION unsubscribe_notification_email(p_user uuid, p_kind text); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.unsubscribe_notification_email(p_user uuid, p_kind text) IS 'Turn off the email of one notification kind for one user (both becomes in_app, email becomes off); returns the channel now in force, no row for an unknown user. Called by /unsubscribe without a login once the app has checked the link''s signature (docs/security.md); it can only ever reduce email.';


--
-- Name: users_check_time_zone(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.users_check_time_zone() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if new.time_zone is not null and not app.is_time_zone(new.time_zone) then
    raise exception 'unknown time zone "%"', pg_catalog.left(new.time_zone, 64)
      using errcode = 'check_violation', constraint = 'check_users_time_zone',
            hint = 'Use an IANA name from pg_timezone_names, such as Europe/London.';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.users_check_time_zone() OWNER TO crm_owner;

--
-- Name: FUNCTION users_check_time_zone(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.users_check_time_zone() IS 'BEFORE INSERT/UPDATE OF time_zone on users: refuses (23514, check_users_time_zone) a name that is not in pg_timezone_names.';


--
-- Name: users_guard_admin_columns(); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.users_guard_admin_columns() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if current_user = 'crm_app' and not app.is_admin() and (
       new.role is distinct from old.role or new.team_id is distinct from old.team_id
    or new.manager_id is distinct from old.manager_id or new.is_active is distinct from old.is_active
    or new.ai_features is distinct from old.ai_features or new.email is distinct from old.email
    or new.id is distinct from old.id) then
    raise exception 'only an admin can change role, team, manager, email, activity or AI access'
      using errcode = 'insufficient_privilege';
  end if;
  return new;
end
$$;


ALTER FUNCTION app.users_guard_admin_columns() OWNER TO crm_owner;

--
-- Name: FUNCTION users_guard_admin_columns(); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.users_guard_admin_columns() IS 'BEFORE UPDATE on users: non-admins may not change admin-controlled columns.';


--
-- Name: users_protect_credentials(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.users_protect_credentials() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- a full argon2id encoding (the CLI, the demo) is stored as its verifier
  new.password_hash := app.password_verifier(new.password_hash);
  if tg_op = 'UPDATE' and old.is_active and not new.is_active then
    perform app.revoke_sessions(new.id, false);  -- deactivation ends every session
    -- and every API token, so reactivating the user does not bring old tokens back
    update crm.api_tokens t set revoked_at = pg_catalog.now() where t.user_id = new.id and t.revoked_at is null;
  end if;
  return new;
end
$$;


ALTER FUNCTION app.users_protect_credentials() OWNER TO crm_helper;

--
-- Name: FUNCTION users_protect_credentials(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.users_protect_credentials() IS 'BEFORE INSERT/UPDATE on users: stores password encodings as verifiers; ends the sessions and revokes the API tokens of a deactivated user.';


--
-- Name: users_rebucket_activity_totals(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.users_rebucket_activity_totals() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- wait for the transactions writing this user's activities (they hold the lock shared, to their end),
  -- then count on the new days what they wrote too; writers that come later wait for this transaction
  perform pg_catalog.pg_advisory_xact_lock(app.time_zone_lock_class(), pg_catalog.hashtext(new.id::text));
  -- the user's days moved: count their activities again per day of the new zone
  delete from crm.activity_daily_totals t where t.user_id = new.id;
  delete from crm.activity_daily_companies t where t.user_id = new.id;
  -- the same sums as app.rebuild_activity_daily_totals (sql/functions/totals.sql), for one user
  insert into crm.activity_daily_totals (user_id, day, type, activities, completed, counted_quantity, counted_amount)
  select a.user_id, (a.date at time zone coalesce(new.time_zone, 'UTC'))::date, a.type, count(*),
         count(*) filter (where a.status = 'completed'),
         coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
         coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
  from crm.activities a where a.user_id = new.id group by 1, 2, 3;
  insert into crm.activity_daily_companies (user_id, day, company_id, activities)
  select a.user_id, (a.date at time zone coalesce(new.time_zone, 'UTC'))::date, a.company_id, count(*)
  from crm.activities a where a.user_id = new.id and a.company_id is not null group by 1, 2, 3;
  return null;
end
$$;


ALTER FUNCTION app.users_rebucket_activity_totals() OWNER TO crm_helper;

--
-- Name: FUNCTION users_rebucket_activity_totals(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.users_rebucket_activity_totals() IS 'AFTER UPDATE OF time_zone on users (when it changes): recounts that user''s activity_daily_totals and activity_daily_companies per day of the new zone.';


--
-- Name: verifier_matches(text, text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.verifier_matches(stored text, encoded text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  -- compared as digests, so the time taken does not depend on how much of the verifier matches
  select pg_catalog.sha256(pg_catalog.convert_to(stored, 'UTF8'))
         = pg_catalog.sha256(pg_catalog.convert_to(app.password_verifier(encoded), 'UTF8'))
$$;


ALTER FUNCTION app.verifier_matches(stored text, encoded text) OWNER TO crm_owner;

--
-- Name: FUNCTION verifier_matches(stored text, encoded text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.verifier_matches(stored text, encoded text) IS 'True if the argon2id encoding matches the stored verifier.';


--
-- Name: webhook_capture(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.webhook_capture() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.webhook_capture() OWNER TO crm_helper;

--
-- Name: FUNCTION webhook_capture(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.webhook_capture() IS 'AFTER UPDATE row trigger on companies, contacts, deals, activities, meetings and tasks (argument: the entity; its WHEN lets only changes of payload fields through): writes the webhook events active endpoints subscribed to (entity.updated with the previous values of what changed; deal.stage_changed, deal.won, deal.lost) and one pending delivery per endpoint, in the change''s transaction. Does nothing when no endpoint wants the entity''s events.';


--
-- Name: webhook_capture_rows(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.webhook_capture_rows() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.webhook_capture_rows() OWNER TO crm_helper;

--
-- Name: FUNCTION webhook_capture_rows(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.webhook_capture_rows() IS 'AFTER INSERT and AFTER DELETE statement trigger on companies, contacts, deals, activities, meetings and tasks (argument: the entity; the statement''s rows as transition table webhook_rows): writes an entity.created or entity.deleted event per row and one pending delivery per subscribed active endpoint, set-based, in the change''s transaction; one look at the endpoints per statement when nobody subscribed.';


--
-- Name: webhook_columns(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.webhook_columns(table_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.webhook_columns(table_name text) OWNER TO crm_owner;

--
-- Name: FUNCTION webhook_columns(table_name text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.webhook_columns(table_name text) IS 'The columns a webhook payload carries of a row of each table with events (explicit lists: never a password hash, token, secret or computed score). Changes to the others (scores, updated_at, version) send no .updated event.';


--
-- Name: webhook_record(text, jsonb); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.webhook_record(table_name text, row_json jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  -- the payload's data: the table's listed columns, and a deal's stage name
  select pg_catalog.jsonb_object_agg(c, row_json -> c)
         || case when table_name = 'deals'
                 then pg_catalog.jsonb_build_object('stage_name', (select s.name from crm.deal_stages s
                                                                   where s.id = (row_json ->> 'stage_id')::uuid))
                 else '{}'::jsonb end
  from unnest(app.webhook_columns(table_name)) c
$$;


ALTER FUNCTION app.webhook_record(table_name text, row_json jsonb) OWNER TO crm_owner;

--
-- Name: FUNCTION webhook_record(table_name text, row_json jsonb); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.webhook_record(table_name text, row_json jsonb) IS 'A webhook payload''s data: the columns app.webhook_columns lists of a row (as JSON), plus stage_name for a deal.';


--
-- Name: webhook_timestamp(timestamp with time zone); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.webhook_timestamp(at timestamp with time zone) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select pg_catalog.to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;


ALTER FUNCTION app.webhook_timestamp(at timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION webhook_timestamp(at timestamp with time zone); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.webhook_timestamp(at timestamp with time zone) IS 'An instant as webhook payloads write it: ISO 8601 in UTC with microseconds (2026-12-07T19:45:00.123456Z).';


--
-- Name: webhook_wake(); Type: FUNCTION; Schema: app; Owner: crm_helper
--

CREATE FUNCTION app.webhook_wake() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION app.webhook_wake() OWNER TO crm_helper;

--
-- Name: FUNCTION webhook_wake(); Type: COMMENT; Schema: app; Owner: crm_helper
--

COMMENT ON FUNCTION app.webhook_wake() IS 'AFTER STATEMENT trigger on webhook_deliveries (inserted or updated rows as changed_deliveries): enqueues the worker''s webhook_dispatch job (queue webhooks) for the earliest pending delivery, once per transaction and retry time; the job becomes visible, and the workers are notified, at commit.';


--
-- Name: webhook_watched_columns(text); Type: FUNCTION; Schema: app; Owner: crm_owner
--

CREATE FUNCTION app.webhook_watched_columns(table_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select coalesce(array_agg(c order by o), '{}') from unnest(app.webhook_columns(table_name)) with ordinality u(c, o)
  where c not in ('id', 'created_at', 'updated_at', 'version')
$$;


ALTER FUNCTION app.webhook_watched_columns(table_name text) OWNER TO crm_owner;

--
-- Name: FUNCTION webhook_watched_columns(table_name text); Type: COMMENT; Schema: app; Owner: crm_owner
--

COMMENT ON FUNCTION app.webhook_watched_columns(table_name text) IS 'The payload columns whose change is an .updated event (sql/triggers/webhooks.sql lists them in each update trigger''s WHEN): bookkeeping columns and scores are not.';


--
-- Name: calculate_company_engagement_score(uuid, timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone DEFAULT now()) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select crm.single_score('company', company_id,
                          array(select b.engagement_score from crm.company_score_breakdown(array[company_id], as_of) b))
$$;


ALTER FUNCTION crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: calculate_contact_engagement_score(uuid, timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone DEFAULT now()) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select crm.single_score('contact', contact_id,
                          array(select b.engagement_score from crm.contact_score_breakdown(array[contact_id], as_of) b))
$$;


ALTER FUNCTION crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: calculate_deal_intelligence_score(uuid, timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone DEFAULT now()) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select crm.single_score('deal', deal_id,
                          array(select b.deal_intelligence_score from crm.deal_score_breakdown(array[deal_id], as_of) b))
$$;


ALTER FUNCTION crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: calculate_decision_maker_score(uuid); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.calculate_decision_maker_score(contact_id uuid) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select crm.single_score('contact', contact_id,
                          array(select b.decision_maker_score from crm.contact_score_breakdown(array[contact_id], now()) b))
$$;


ALTER FUNCTION crm.calculate_decision_maker_score(contact_id uuid) OWNER TO crm_owner;

--
-- Name: calculate_lead_score(uuid, timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone DEFAULT now()) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select crm.single_score('company', company_id,
                          array(select b.lead_score from crm.company_score_breakdown(array[company_id], as_of) b))
$$;


ALTER FUNCTION crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: company_score_breakdown(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.company_score_breakdown(company_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(company_id uuid, activities_90d integer, activity_quality numeric, activity_component numeric, meetings_90d integer, meeting_sentiment numeric, meeting_component numeric, interactions_90d integer, interaction_engagement numeric, interaction_component numeric, active_deals integer, deal_component numeric, engagement_score numeric, lead_score numeric, last_engagement_date timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  company_ids := coalesce(company_ids, array(select x.id from crm.companies x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(company_ids)), true);
  return query
  with target as (
    select c.id, c.account_tier, c.is_target_account from crm.companies c
    where c.id = any (company_ids)
  ),
  act as (
    select ca.company_id,
           count(*) filter (where a.date > as_of - win) as n,
           sum(ca.relationship_strength
               * case a.engagement_quality when 'excellent' then 1.0 when 'high' then 0.8 when 'medium' then 0.6
                                           when 'low' then 0.3 else 0.5 end) filter (where a.date > as_of - win) as weighted,
           sum(ca.relationship_strength) filter (where a.date > as_of - win) as weight,
           max(a.date) as last_at
    from crm.company_activities ca join crm.activities a on a.id = ca.activity_id
    where ca.company_id = any (company_ids)
      and a.status = 'completed' and a.date <= as_of
    group by ca.company_id
  ),
  mtg as (
    select m.company_id,
           count(*) filter (where m.starts_at > as_of - win) as n,
           avg((coalesce(m.sentiment_score, 0) + 1) / 2) filter (where m.starts_at > as_of - win) as mean,
           max(m.starts_at) as last_at
    from crm.meetings m
    where m.company_id is not null and m.company_id = any (company_ids)
      and m.meeting_outcome in ('positive', 'neutral', 'negative') and m.starts_at <= as_of
    group by m.company_id
  ),
  itx as (
    select ct.company_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n,
           avg(coalesce(ci.engagement_score, 0.5)) filter (where ci.interaction_date > as_of - win) as mean,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci join crm.contacts ct on ct.id = ci.contact_id
    where ct.company_id is not null and ct.company_id = any (company_ids)
      and ci.interaction_date <= as_of
    group by ct.company_id
  ),
  dls as (
    select d.company_id, count(*) as n, avg(d.deal_intelligence_score / 100) as mean
    from crm.deals d
    where d.status = 'active' and d.company_id is not null and d.company_id = any (company_ids)
    group by d.company_id
  ),
  dms as (
    select ct.company_id, max(ct.decision_maker_score) as best
    from crm.contacts ct
    where ct.company_id is not null and ct.company_id = any (company_ids)
    group by ct.company_id
  ),
  parts as (
    select target.id, target.account_tier, target.is_target_account,
           coalesce(act.n, 0)::integer as a_n, act.weighted / nullif(act.weight, 0) as a_mean,
           round(coalesce(act.weighted / nullif(act.weight, 0), 0) * least(1.0, coalesce(act.n, 0) / 10.0), 4) as a_part,
           coalesce(mtg.n, 0)::integer as m_n, mtg.mean as m_mean,
           round(coalesce(mtg.mean, 0) * least(1.0, coalesce(mtg.n, 0) / 4.0), 4) as m_part,
           coalesce(itx.n, 0)::integer as i_n, itx.mean as i_mean,
           round(coalesce(itx.mean, 0) * least(1.0, coalesce(itx.n, 0) / 10.0), 4) as i_part,
           coalesce(dls.n, 0)::integer as d_n, round(coalesce(dls.mean, 0), 4) as d_part,
           coalesce(dms.best, 0) as best_dm,
           greatest(act.last_at, mtg.last_at, itx.last_at) as last_at
    from target
    left join act on act.company_id = target.id
    left join mtg on mtg.company_id = target.id
    left join itx on itx.company_id = target.id
    left join dls on dls.company_id = target.id
    left join dms on dms.company_id = target.id
  ),
  scored as (
    select parts.*,
           round(100 * (0.30 * parts.a_part + 0.25 * parts.m_part + 0.25 * parts.i_part + 0.20 * parts.d_part), 2) as score
    from parts
  )
  select scored.id, scored.a_n, round(scored.a_mean, 4), scored.a_part, scored.m_n, round(scored.m_mean, 4),
         scored.m_part, scored.i_n, round(scored.i_mean, 4), scored.i_part, scored.d_n, scored.d_part, scored.score,
         round(100 * (0.45 * scored.score / 100
                      + 0.20 * case scored.account_tier when 'enterprise' then 1.0 when 'mid-market' then 0.75
                                                        when 'smb' then 0.5 else 0.35 end
                      + 0.15 * scored.is_target_account::integer
                      + 0.20 * scored.best_dm), 2),
         scored.last_at
  from scored;
end
$$;


ALTER FUNCTION crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION company_score_breakdown(company_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) IS 'Company engagement components (A, M, I, D), engagement and lead score (null ids = all); the "why" of a company''s score.';


--
-- Name: contact_score_breakdown(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.contact_score_breakdown(contact_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(contact_id uuid, interactions_90d integer, mean_engagement_90d numeric, seniority_value numeric, role_value numeric, decision_maker_score numeric, engagement_score numeric, interaction_count integer, last_interaction_date timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  win interval := (select pg_catalog.make_interval(days => t.engagement_window_days)
                   from crm.intelligence_thresholds() t);
begin
  perform app.require_ai_features();
  contact_ids := coalesce(contact_ids, array(select x.id from crm.contacts x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(contact_ids)), true);
  return query
  with target as (
    select c.id, c.job_seniority from crm.contacts c
    where c.id = any (contact_ids)
  ),
  itx as (
    select ci.contact_id,
           count(*) filter (where ci.interaction_date > as_of - win) as n90,
           avg(coalesce(ci.engagement_score, 0.5))
             filter (where ci.interaction_date > as_of - win) as mean90,
           count(*) as n_all,
           max(ci.interaction_date) as last_at
    from crm.contact_interactions ci
    where ci.contact_id = any (contact_ids) and ci.interaction_date <= as_of
    group by ci.contact_id
  ),
  roles as (
    select s.contact_id,
           max(greatest(case when s.is_champion then 0.7 else 0 end,
                        case s.role when 'decision_maker' then 1.0 when 'budget_holder' then 0.9
                                    when 'champion' then 0.7 when 'influencer' then 0.6
                                    when 'technical_evaluator' then 0.5 when 'procurement' then 0.4
                                    when 'legal' then 0.3 when 'gatekeeper' then 0.3 else 0.2 end)) as best
    from crm.deal_stakeholders s
    where s.contact_id = any (contact_ids)
    group by s.contact_id
  ),
  parts as (
    select target.id,
           coalesce(itx.n90, 0)::integer as n90,
           itx.mean90,
           case target.job_seniority when 'c-level' then 1.0 when 'executive' then 0.8 when 'senior' then 0.6
                                     when 'mid' then 0.4 when 'entry' then 0.2 else 0.3 end as seniority,
           coalesce(roles.best, 0) as role_value,
           coalesce(itx.n_all, 0)::integer as n_all,
           itx.last_at
    from target left join itx on itx.contact_id = target.id left join roles on roles.contact_id = target.id
  )
  select parts.id, parts.n90, round(parts.mean90, 4), parts.seniority, parts.role_value,
         round(0.6 * parts.seniority + 0.4 * parts.role_value, 2),
         round(100 * coalesce(parts.mean90, 0) * least(1.0, parts.n90 / 5.0), 2),
         parts.n_all, parts.last_at
  from parts;
end
$$;


ALTER FUNCTION crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) IS 'Contact engagement, decision-maker score and interaction counts with their components (null ids = all).';


--
-- Name: dashboard_check_range(date, date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.dashboard_check_range(p_from date, p_to date) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if p_from is null or p_to is null then
    raise exception 'the date range needs both a start and an end date'
      using errcode = 'invalid_parameter_value';
  end if;
  if p_from > p_to then
    raise exception 'the date range is reversed: the start (%) is after the end (%)', p_from, p_to
      using errcode = 'invalid_parameter_value';
  end if;
  if p_to - p_from > 1096 then
    raise exception 'the date range is too long: % days (at most 3 years)', p_to - p_from + 1
      using errcode = 'invalid_parameter_value';
  end if;
end
$$;


ALTER FUNCTION crm.dashboard_check_range(p_from date, p_to date) OWNER TO crm_owner;

--
-- Name: FUNCTION dashboard_check_range(p_from date, p_to date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.dashboard_check_range(p_from date, p_to date) IS 'Raises invalid_parameter_value (22023) for a missing, reversed (from > to) or absurd (> 3 years) dashboard date range.';


--
-- Name: dashboard_trend(numeric, numeric); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.dashboard_trend(p_current numeric, p_previous numeric) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case
    when coalesce(p_previous, 0) = 0 then case when coalesce(p_current, 0) > 0 then 100 else 0 end
    else round((coalesce(p_current, 0) - p_previous) / p_previous * 100)::integer
  end
$$;


ALTER FUNCTION crm.dashboard_trend(p_current numeric, p_previous numeric) OWNER TO crm_owner;

--
-- Name: FUNCTION dashboard_trend(p_current numeric, p_previous numeric); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.dashboard_trend(p_current numeric, p_previous numeric) IS 'Trend in percent vs the previous period: round((cur - prev) / prev * 100); 100 or 0 when prev is 0.';


--
-- Name: deal_score_breakdown(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.deal_score_breakdown(deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(deal_id uuid, stakeholder_count integer, has_champion boolean, has_decision_maker boolean, stakeholder_component numeric, meetings_counted integer, mean_meeting_outcome numeric, meeting_component numeric, activities_30d integer, mean_activity_quality numeric, activity_component numeric, contact_quality_component numeric, deal_intelligence_score numeric, risk_factors text[])
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  th record;
begin
  perform app.require_ai_features();
  deal_ids := coalesce(deal_ids, array(select x.id from crm.deals x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  select * into th from crm.intelligence_thresholds();
  return query
  with target as (
    select d.id, d.status, d.expected_close_date, d.stage_changed_at from crm.deals d
    where d.id = any (deal_ids)
  ),
  stk as (
    select s.deal_id, count(*) as n,
           bool_or(s.is_champion or s.role = 'champion') as champion,
           bool_or(s.role in ('decision_maker', 'budget_holder')) as dm,
           avg(0.6 * ct.decision_maker_score + 0.4 * ct.engagement_score / 100) as quality
    from crm.deal_stakeholders s join crm.contacts ct on ct.id = s.contact_id
    where s.deal_id = any (deal_ids)
    group by s.deal_id
  ),
  links as (
    select dm.deal_id, dm.meeting_id from crm.deal_meetings dm
    where dm.deal_id = any (deal_ids)
    union
    select m.primary_deal_id, m.id from crm.meetings m
    where m.primary_deal_id is not null and m.primary_deal_id = any (deal_ids)
  ),
  mtg as (
    select links.deal_id, count(*) as n,
           avg(case m.meeting_outcome when 'positive' then 1.0 when 'neutral' then 0.5
                                      when 'reschedule' then 0.25 else 0 end) as mean
    from links join crm.meetings m on m.id = links.meeting_id
    where m.meeting_outcome in ('positive', 'neutral', 'reschedule', 'negative', 'no_show')
      and m.starts_at <= as_of
    group by links.deal_id
  ),
  act as (
    select a.deal_id,
           count(*) filter (where a.date > as_of - pg_catalog.make_interval(days => th.deal_activity_window_days)) as n30,
           avg(case a.engagement_quality when 'excellent' then 1.0 when 'high' then 0.8 when 'medium' then 0.6
                                         when 'low' then 0.3 else 0.5 end)
             filter (where a.date > as_of - pg_catalog.make_interval(days => th.deal_activity_window_days)) as quality30,
           count(*) filter (where a.date > as_of - pg_catalog.make_interval(days => th.no_activity_days)) as n_recent,
           count(a.sentiment_score) filter (where a.date > as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_n1,
           avg(a.sentiment_score) filter (where a.date > as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_mean1,
           count(a.sentiment_score) filter (where a.date <= as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_n0,
           avg(a.sentiment_score) filter (where a.date <= as_of - pg_catalog.make_interval(days => th.sentiment_window_days)) as s_mean0
    from crm.activities a
    where a.deal_id is not null and a.deal_id = any (deal_ids)
      and a.status = 'completed' and a.date <= as_of
      and a.date > as_of - pg_catalog.make_interval(days => greatest(th.deal_activity_window_days, th.no_activity_days,
                                                                      2 * th.sentiment_window_days))
    group by a.deal_id
  ),
  parts as (
    select target.id, target.status, target.expected_close_date, target.stage_changed_at,
           coalesce(stk.n, 0)::integer as stk_n, coalesce(stk.champion, false) as champion,
           coalesce(stk.dm, false) as dm,
           round(0.4 * least(1.0, coalesce(stk.n, 0) / 3.0) + 0.3 * (coalesce(stk.champion, false))::integer
                 + 0.3 * (coalesce(stk.dm, false))::integer, 4) as s_part,
           coalesce(mtg.n, 0)::integer as m_n, mtg.mean as m_mean,
           round(coalesce(mtg.mean, 0) * least(1.0, coalesce(mtg.n, 0) / 3.0), 4) as m_part,
           coalesce(act.n30, 0)::integer as a_n, act.quality30 as a_mean,
           round(coalesce(act.quality30, 0) * least(1.0, coalesce(act.n30, 0) / 8.0), 4) as a_part,
           round(coalesce(stk.quality, 0), 4) as c_part,
           coalesce(act.n_recent, 0) as n_recent, act.s_n1, act.s_mean1, act.s_n0, act.s_mean0
    from target
    left join stk on stk.deal_id = target.id
    left join mtg on mtg.deal_id = target.id
    left join act on act.deal_id = target.id
  )
  select parts.id, parts.stk_n, parts.champion, parts.dm, parts.s_part, parts.m_n, round(parts.m_mean, 4),
         parts.m_part, parts.a_n, round(parts.a_mean, 4), parts.a_part, parts.c_part,
         round(25 * (parts.s_part + parts.m_part + parts.a_part + parts.c_part), 2),
         case when parts.status <> 'active' then '{}'::text[] else array_remove(array[
           case when parts.n_recent = 0 then 'no_activity_14d' end,
           case when parts.expected_close_date < (as_of at time zone 'UTC')::date then 'close_date_passed' end,
           case when parts.stk_n <= th.single_threaded_max_contacts then 'single_threaded' end,
           case when not parts.champion then 'no_champion' end,
           case when coalesce(parts.s_n1, 0) >= th.min_scored_activities
                 and (parts.s_mean1 <= th.negative_sentiment_level
                      or (coalesce(parts.s_n0, 0) >= th.min_scored_activities
                          and parts.s_mean0 - parts.s_mean1 >= th.negative_sentiment_drop))
                then 'negative_sentiment_trend' end,
           case when not parts.dm then 'no_decision_maker' end,
           case when parts.stage_changed_at < as_of - pg_catalog.make_interval(days => th.stalled_stage_days)
                then 'stalled_in_stage' end
         ], null) end
  from parts;
end
$$;


ALTER FUNCTION crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) IS 'Deal intelligence components, score and risk factors (null ids = all); the "why" of a deal''s score.';


--
-- Name: deal_stalled_after(timestamp with time zone, integer); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.deal_stalled_after(p_stage_changed_at timestamp with time zone, p_rotting_days integer) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  -- services/deal_health.py: stalled when whole days in the stage exceed the stage's rotting days, i.e. from
  -- rotting_days + 1 days after the stage entry on
  select p_stage_changed_at + pg_catalog.make_interval(days => p_rotting_days + 1)
$$;


ALTER FUNCTION crm.deal_stalled_after(p_stage_changed_at timestamp with time zone, p_rotting_days integer) OWNER TO crm_owner;

--
-- Name: FUNCTION deal_stalled_after(p_stage_changed_at timestamp with time zone, p_rotting_days integer); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.deal_stalled_after(p_stage_changed_at timestamp with time zone, p_rotting_days integer) IS 'The instant an open deal that entered its stage at p_stage_changed_at becomes stalled in a stage of p_rotting_days rotting days (services/deal_health.Health.stalled: whole days in the stage > rotting days); null when the stage never rots.';


--
-- Name: deal_win_features(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.deal_win_features(deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(deal_id uuid, is_closed boolean, won boolean, stage_probability numeric, x double precision[])
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  ids uuid[];
begin
  perform app.require_ai_features();
  deal_ids := coalesce(deal_ids, array(select x.id from crm.deals x));  -- null: all of them
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  -- every deal that existed at as_of (or the given ones), each as of that one moment
  ids := array(select d.id from crm.deals d where d.id = any (deal_ids) and d.created_at <= as_of);
  return query
  select f.deal_id, f.is_closed, f.won, f.stage_probability, f.x
  from crm.deal_win_features_at(ids, array_fill(as_of, array[cardinality(ids)])) f;
end
$$;


ALTER FUNCTION crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION deal_win_features(deal_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) IS 'Win-model features of the deals that existed at as_of, as they stood then (crm.deal_win_features_at); closed only if closed by then.';


--
-- Name: deal_win_features_at(uuid[], timestamp with time zone[]); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) RETURNS TABLE(deal_id uuid, as_of timestamp with time zone, is_closed boolean, won boolean, stage_probability numeric, x double precision[])
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
begin
  perform app.require_ai_features();
  perform pg_catalog.set_config('plan_cache_mode', crm.plan_mode_for_ids(cardinality(deal_ids)), true);
  return query
  with snap as not materialized (
    -- one row per (deal, moment), for deals that existed then; cutoff: the close if closed by then
    select p.deal_id, p.as_of, d.created_at, d.value, d.stage_id, d.status, d.stage_changed_at,
           coalesce(d.closed_at <= p.as_of, false) as closed,
           case when d.closed_at <= p.as_of then d.closed_at else p.as_of end as cutoff,
           -- rows count while their time is before upto: strictly before the close (nothing written at
           -- closing), up to and including as_of for an open deal (a row written in the same transaction)
           case when d.closed_at <= p.as_of then d.closed_at else p.as_of + interval '1 microsecond' end as upto
    from unnest(deal_ids, as_ofs) as p(deal_id, as_of)
    join crm.deals d on d.id = p.deal_id
    where d.created_at <= p.as_of
  ),
  hist as (
    -- open stages entered before the cutoff: the furthest, the last one (the stage then) and when
    select s.deal_id, s.as_of,
           max(st.default_probability) as furthest,
           (array_agg(st.default_probability order by h.changed_at desc))[1] as current_probability,
           max(h.changed_at) as entered
    from snap s
    join crm.deal_stage_history h on h.deal_id = s.deal_id and h.changed_at < s.upto
    join crm.deal_stages st on st.id = h.to_stage_id and not st.is_won and not st.is_lost
    group by s.deal_id, s.as_of
  ),
  act as (
    -- completed activities that happened before the cutoff
    select s.deal_id, s.as_of, count(*) as n,
           count(*) filter (where a.date > s.cutoff - interval '30 days') as n30,
           max(a.date) as last,
           avg(a.sentiment_score) as sentiment,
           avg(a.sentiment_score) filter (where a.date > s.cutoff - interval '30 days') as sentiment30,
           sum(a.sentiment_score) as sentiment_sum,
           count(*) filter (where a.sentiment_score >= 0.05) as positive,
           count(*) filter (where a.sentiment_score <= -0.05) as negative
    from snap s
    join crm.activities a on a.deal_id = s.deal_id and a.date < s.upto
    where a.status = 'completed'
    group by s.deal_id, s.as_of
  ),
  links as (
    -- a deal's meetings: linked through deal_meetings or as the primary deal (each once)
    select dm.deal_id, dm.meeting_id from crm.deal_meetings dm
    where dm.deal_id = any (deal_ids)
    union
    select m.primary_deal_id, m.id from crm.meetings m
    where m.primary_deal_id = any (deal_ids)
  ),
  mtg as (
    -- meetings held before the cutoff (with an outcome), and meetings booked by then for later
    select s.deal_id, s.as_of,
           count(*) filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as n,
           avg(case m.meeting_outcome when 'positive' then 1.0 when 'neutral' then 0.5 else 0 end)
             filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as outcome,
           avg(m.sentiment_score)
             filter (where m.starts_at < s.upto and m.meeting_outcome in ('positive', 'neutral', 'negative')) as sentiment,
           count(*) filter (where m.starts_at >= s.upto and m.created_at < s.upto and not s.closed
                              and m.meeting_outcome <> 'cancelled') as booked
    from snap s
    join links on links.deal_id = s.deal_id
    join crm.meetings m on m.id = links.meeting_id
    group by s.deal_id, s.as_of
  ),
  stk as (
    -- stakeholders added before the cutoff; their relationship strength only if not edited since
    select s.deal_id, s.as_of, count(*) as n, bool_or(k.is_champion or k.role = 'champion') as champion,
           bool_or(k.role in ('decision_maker', 'budget_holder')) as dm,
           avg(k.relationship_strength) filter (where k.updated_at < s.upto) as strength
    from snap s
    join crm.deal_stakeholders k on k.deal_id = s.deal_id and k.created_at < s.upto
    group by s.deal_id, s.as_of
  )
  select s.deal_id, s.as_of, s.closed, s.closed and s.status = 'won',
         case when s.closed then st.default_probability else f.stage_then end / 100.0,
         array[
           greatest(hist.furthest, f.stage_then) / 100.0,
           f.stage_then / 100.0,
           ln(1 + f.age),
           ln(1 + greatest(0, extract(epoch from s.cutoff - f.entered)::float8 / 86400)),
           ln(1 + coalesce(act.n, 0)),
           ln(1 + coalesce(act.n30, 0)),
           ln(1 + 30 * coalesce(act.n, 0) / greatest(f.age, 14)),
           ln(1 + greatest(0, extract(epoch from s.cutoff - coalesce(act.last, s.created_at))::float8 / 86400)),
           coalesce(act.sentiment, 0),
           coalesce(act.sentiment30, act.sentiment, 0),
           coalesce(act.sentiment_sum, 0) / (coalesce(act.n, 0) + 2),
           coalesce(act.positive, 0)::float8 / (coalesce(act.n, 0) + 2),
           coalesce(act.negative, 0)::float8 / (coalesce(act.n, 0) + 2),
           ln(1 + coalesce(mtg.n, 0)),
           ln(1 + 30 * coalesce(mtg.n, 0) / greatest(f.age, 14)),
           coalesce(mtg.outcome, 0.5),
           coalesce(mtg.sentiment, 0),
           least(coalesce(mtg.booked, 0), 1),
           least(coalesce(stk.n, 0), 6),
           coalesce(stk.champion, false)::integer,
           coalesce(stk.dm, false)::integer,
           coalesce(stk.strength, 0.5),
           ln(1 + s.value::float8)
         ]::float8[]
  from snap s
  join crm.deal_stages st on st.id = s.stage_id
  left join hist on hist.deal_id = s.deal_id and hist.as_of = s.as_of
  left join act on act.deal_id = s.deal_id and act.as_of = s.as_of
  left join mtg on mtg.deal_id = s.deal_id and mtg.as_of = s.as_of
  left join stk on stk.deal_id = s.deal_id and stk.as_of = s.as_of
  cross join (
    select o.default_probability as p from crm.deal_stages o
    where not o.is_won and not o.is_lost order by o.position limit 1
  ) first_open
  -- the open stage it was in then: its stage now if it is open and was entered by then (no change
  -- since), else the last one in the history, else (no history by then) its stage now if open, else
  -- the first open stage
  cross join lateral (
    select greatest(0, extract(epoch from s.cutoff - s.created_at)::float8 / 86400) as age,
           case when not s.closed and not st.is_won and not st.is_lost and s.stage_changed_at < s.upto
                then st.default_probability
                else coalesce(hist.current_probability,
                              case when st.is_won or st.is_lost then first_open.p else st.default_probability end)
           end as stage_then,
           case when not s.closed and not st.is_won and not st.is_lost and s.stage_changed_at < s.upto
                then s.stage_changed_at
                else coalesce(hist.entered, s.created_at) end as entered
  ) f;
end
$$;


ALTER FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) OWNER TO crm_owner;

--
-- Name: FUNCTION deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) IS 'Win-model features of each (deal, moment) pair as the CRM stood then: closed only if closed by then, stage then, rows before the cutoff; see crm.win_feature_names().';


--
-- Name: forecast_figures(uuid[], date, date, text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) RETURNS TABLE(user_id uuid, month date, quota numeric, closed_won numeric, commit numeric, best_case numeric, pipeline numeric, weighted numeric, deals bigint)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) OWNER TO crm_owner;

--
-- Name: FUNCTION forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) IS 'Per user and calendar month from p_first to p_last (firsts of months): quota (null: none set), closed won (won deals by the month of closed_at in p_zone), and the open deals expected to close that month by forecast category (commit, best_case, pipeline), their AI-weighted value (value x win_probability_ai, else the stage default) and count. Lost deals count nowhere. SECURITY INVOKER: row-level security applies.';


--
-- Name: forecast_members(uuid); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.forecast_members(p_manager_id uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.forecast_members(p_manager_id uuid) OWNER TO crm_owner;

--
-- Name: FUNCTION forecast_members(p_manager_id uuid); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.forecast_members(p_manager_id uuid) IS 'Whose forecast a page sums: the active people a manager manages (the manager themself or an admin may ask), or with a null manager every active rep and manager (admins only); else 42501.';


--
-- Name: get_crm_dashboard_data(uuid, date, date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_days integer;
  v_end timestamptz;
  v_bucket text;
  v_now timestamptz := pg_catalog.now();
  -- the days are the reader's: their time zone (app.current_time_zone, UTC when unset)
  v_zone text := app.current_time_zone();
  v_own_days boolean;
  v_first timestamptz;
  v_after timestamptz;
  v_today_due timestamptz;
  -- whose figures: the user's own; a manager's are their team's (themself and the people they manage),
  -- an admin's the organisation's (everyone)
  v_users uuid[];
  result jsonb;
begin
  perform crm.dashboard_check_range(p_from, p_to);
  if p_user_id is null then
    raise exception 'the dashboard needs a user' using errcode = 'invalid_parameter_value';
  end if;
  -- self; a manager for the team's members; an admin for anyone; anyone else
  -- is refused (an error, never zeros)
  if not ((select app.is_admin()) or p_user_id = any ((select app.readable_user_ids())::uuid[])) then
    raise exception 'not allowed to read the dashboard of user %', p_user_id
      using errcode = 'insufficient_privilege';
  end if;

  select case u.role
           when 'admin' then (select array_agg(x.id) from crm.users x)
           when 'manager' then (select array_agg(x.id) from crm.users x
                                where x.id = u.id
                                   or (x.is_active and (x.manager_id = u.id
                                       or x.team_id in (select t.id from crm.teams t where t.manager_id = u.id))))
           else array[u.id] end
    into v_users
  from crm.users u where u.id = p_user_id;
  v_users := coalesce(v_users, array[p_user_id]);

  v_days := p_to - p_from + 1;
  -- due days are calendar days stored at 00:00 UTC: due by the end of the range is before this
  v_end := (p_to + 1)::timestamp at time zone 'UTC';
  v_bucket := case when v_days <= 62 then 'day' else 'week' end;
  -- the daily totals count the user's activities on the user's days: they answer when the reader's
  -- zone is the user's; otherwise the activities of [previous period start, range end) in the
  -- reader's zone are counted themselves (a local midnight in a gap is the end of the gap)
  v_own_days := not exists (select from crm.users u where u.id = any (v_users) and coalesce(u.time_zone, 'UTC') <> v_zone);
  v_first := (p_from - v_days)::timestamp at time zone v_zone;
  v_after := (p_to + 1)::timestamp at time zone v_zone;
  -- a due day before the reader's today is overdue
  v_today_due := ((v_now at time zone v_zone)::date)::timestamp at time zone 'UTC';

  with totals as materialized (
    -- the user's daily totals per type over the previous period and the
    -- range (at most 2 x 1097 days x 7 types rows): read by every activity
    -- figure below but the engagement trend
    select t.day, t.type, t.completed, t.counted_quantity, t.counted_amount, t.day >= p_from as in_range
    from crm.activity_daily_totals t
    where v_own_days and t.user_id = any (v_users) and t.day >= p_from - v_days and t.day <= p_to
    union all
    -- the same sums from the activities, per day of the reader's zone (index_activities_on_user_id_date_type_covering)
    select d.day, d.type, d.completed, d.counted_quantity, d.counted_amount, d.day >= p_from
    from (
      select (a.date at time zone v_zone)::date as day, a.type, count(*) filter (where a.status = 'completed') as completed,
             coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0) as counted_quantity,
             coalesce(sum(a.amount) filter (where a.status = 'completed'), 0) as counted_amount
      from crm.activities a
      where not v_own_days and a.user_id = any (v_users) and a.date >= v_first and a.date < v_after
      group by 1, 2) d
  ),
  -- the user's companies, read once (an index-only scan of a covering
  -- index, index_companies_on_owner_id_engagement_covering) for the companies figures and the
  -- engagement trend
  my_companies as materialized (
    select c.id, c.engagement_score, (c.engagement_score * 100)::integer as score_cents
    from crm.companies c where c.owner_id = any (v_users)
  ),
  -- the user's activity totals per type, in the range and in the previous
  -- period (at most 14 rows), for the activity counts and the KPI actuals
  by_type as materialized (
    select a.type, a.in_range, sum(a.completed) as completed,
           sum(a.counted_quantity) as counted_quantity, sum(a.counted_amount) as counted_amount
    from totals a group by a.type, a.in_range
  ),
  -- the pipeline's stages, read once for the pipeline and the two deal lists
  stages as materialized (
    select s.id, s.name, s.color, s.position, s.default_probability, s.is_won, s.is_lost from crm.deal_stages s
  ),
  -- the user's open deals summed per stage (a few rows, kept by triggers:
  -- crm.deal_totals), for the deal figures and the pipeline
  deal_totals as materialized (
    select t.stage_id, t.deals, t.value, t.high_probability, t.top_opportunities
    from crm.deal_totals t where t.owner_id = any (v_users) and t.status = 'active'
  )
  select jsonb_build_object(
    'user_id', p_user_id,
    'people', cardinality(v_users),
    'from', p_from,
    'to', p_to,
    'days', v_days,
    'previous_from', p_from - v_days,
    'previous_to', p_from - 1,
    'bucket', v_bucket,
    'companies', (
      select jsonb_build_object(
        'total', count(*),
        'active', count(*) filter (where c.engagement_score > crm.threshold('medium_score')),
        'high_engagement', count(*) filter (where c.engagement_score > crm.threshold('high_score')),
        'mean_engagement', coalesce(round(avg(c.engagement_score), 2), 0))
      from my_companies c),
    'deals', (
      select jsonb_build_object(
        'active', coalesce(sum(d.deals), 0),
        'value', coalesce(sum(d.value), 0),
        'mean_size', coalesce(round(sum(d.value) / sum(d.deals), 2), 0),
        'high_probability', coalesce(sum(d.high_probability), 0),
        'top_opportunities', coalesce(sum(d.top_opportunities), 0))
      from deal_totals d),
    'top_opportunities', (
      -- the ten best: each person's first ten entries of index_deals_on_owner_id_open_by_intelligence
      -- (one ordered index probe per person, never a sort of all their deals), then the best ten of
      -- those; their company's name looked up for each
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value, 'stage', s.name,
               'intelligence', t.deal_intelligence_score, 'win_probability', t.win_probability_ai,
               'expected_close_date', t.expected_close_date, 'company_id', t.company_id,
               'company', (select c.name from crm.companies c where c.id = t.company_id))
             order by t.deal_intelligence_score desc, t.value desc, t.id), '[]'::jsonb)
      from (
        select d.id, d.name, d.value, d.stage_id, d.deal_intelligence_score, d.win_probability_ai,
               d.expected_close_date, d.company_id
        from unnest(v_users) as person(id)
        cross join lateral (
          select d.* from crm.deals d
          where d.owner_id = person.id and d.status = 'active'
            and d.deal_intelligence_score > crm.threshold('top_opportunity_score')
          order by d.deal_intelligence_score desc, d.value desc, d.id
          limit 10) d
        order by d.deal_intelligence_score desc, d.value desc, d.id
        limit 10) t
      join stages s on s.id = t.stage_id),
    'largest_deals', (
      -- each person's first ten entries of index_deals_on_owner_id_open_by_value, then the ten largest
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'name', t.name, 'value', t.value, 'stage', s.name,
               'expected_close_date', t.expected_close_date) order by t.value desc, t.id), '[]'::jsonb)
      from (select d.id, d.name, d.value, d.stage_id, d.expected_close_date
            from unnest(v_users) as person(id)
            cross join lateral (
              select d.* from crm.deals d where d.owner_id = person.id and d.status = 'active'
              order by d.value desc, d.id limit 10) d
            order by d.value desc, d.id limit 10) t
      join stages s on s.id = t.stage_id),
    'pipeline', (
      -- every open stage in board order, empty ones included
      select coalesce(jsonb_agg(jsonb_build_object(
               'stage_id', s.id, 'stage', s.name, 'color', s.color, 'probability', s.default_probability,
               'count', coalesce(a.n, 0), 'value', coalesce(a.total, 0),
               'weighted', coalesce(round(a.total * s.default_probability / 100.0, 2), 0))
             order by s.position), '[]'::jsonb)
      from stages s
      left join (select d.stage_id, d.deals as n, d.value as total from deal_totals d) a on a.stage_id = s.id
      where not s.is_won and not s.is_lost),
    'activities', (
      select jsonb_build_object(
        'total', coalesce(sum(t.n), 0),
        'by_type', coalesce(jsonb_object_agg(t.type, t.n) filter (where t.type is not null), '{}'::jsonb))
      -- done: completed activities only (a planned call is not one yet)
      from (select a.type, a.completed as n from by_type a where a.in_range and a.completed > 0) t),
    'kpis', (
      with actual as (
        select
          -- counted_* sum completed activities only
          coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.in_range), 0) as new_business,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and a.in_range), 0) as outbound,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and a.in_range), 0) as meetings,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and a.in_range), 0) as proposals,
          coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and not a.in_range), 0) as prev_new_business,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and not a.in_range), 0) as prev_outbound,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and not a.in_range), 0) as prev_meetings,
          coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and not a.in_range), 0) as prev_proposals
        from by_type a),
      target as (
        select
          coalesce(round(sum(t.revenue_target * t.share), 2), 0) as new_business,
          coalesce(round(sum(t.outbound_target * t.share)), 0) as outbound,
          coalesce(round(sum(t.meetings_target * t.share)), 0) as meetings,
          coalesce(round(sum(t.proposals_target * t.share)), 0) as proposals
        from (
          select tg.*,
                 ((least(p_to, (tg.month + interval '1 month')::date - 1) - greatest(p_from, tg.month) + 1)::numeric
                  / ((tg.month + interval '1 month')::date - tg.month)) as share
          from crm.targets tg
          where tg.user_id = any (v_users)
            and tg.month <= p_to and (tg.month + interval '1 month')::date > p_from) t)
      select jsonb_build_object(
        'new_business', jsonb_build_object('actual', actual.new_business, 'target', target.new_business,
          'previous', actual.prev_new_business, 'trend', crm.dashboard_trend(actual.new_business, actual.prev_new_business)),
        'outbound', jsonb_build_object('actual', actual.outbound, 'target', target.outbound,
          'previous', actual.prev_outbound, 'trend', crm.dashboard_trend(actual.outbound, actual.prev_outbound)),
        'meetings', jsonb_build_object('actual', actual.meetings, 'target', target.meetings,
          'previous', actual.prev_meetings, 'trend', crm.dashboard_trend(actual.meetings, actual.prev_meetings)),
        'proposals', jsonb_build_object('actual', actual.proposals, 'target', target.proposals,
          'previous', actual.prev_proposals, 'trend', crm.dashboard_trend(actual.proposals, actual.prev_proposals)))
      from actual, target),
    'tasks', (
      -- open and high-priority from the totals; overdue depends on the clock: counted from the open
      -- tasks' (assignee, due date) index, overdue ones only
      select jsonb_build_object(
        'pending', coalesce(sum(t.tasks), 0),
        'overdue', (select count(*) from crm.tasks o
                    where o.assigned_to = any (v_users) and o.status in ('pending', 'in_progress') and o.due_date < v_today_due),
        'high_priority', coalesce(sum(t.high_priority), 0))
      from crm.task_totals t where t.assigned_to = any (v_users) and t.status in ('pending', 'in_progress')),
    'tasks_due', (
      -- open tasks overdue, due today (the reader's) or due by the end of the range, soonest first
      -- (each person's first entries of index_tasks_on_assigned_to_open_covering, then the soonest ten)
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'due_date', t.due_date, 'priority', t.priority,
               'overdue', t.due_date < v_today_due) order by t.due_date, t.id), '[]'::jsonb)
      from (
        select t.id, t.title, t.due_date, t.priority
        from unnest(v_users) as person(id)
        cross join lateral (
          select t.* from crm.tasks t
          where t.assigned_to = person.id and t.status in ('pending', 'in_progress')
            and t.due_date < greatest(v_end, v_today_due + interval '1 day')
          order by t.due_date, t.id
          limit 10) t
        order by t.due_date, t.id
        limit 10) t),
    'engagement_trend', (
      -- per bucket: the user's companies they touched (activities linked to
      -- one of their companies) and those companies' mean engagement score
      select coalesce(jsonb_agg(jsonb_build_object(
               'bucket', x.bucket, 'companies', x.companies, 'mean_engagement', x.mean_engagement)
             order by x.bucket), '[]'::jsonb)
      from (
        -- the mean from whole cents (each company's score converted once, not once a day): the same
        -- exact mean as avg() of the numeric scores
        select b.bucket, count(*) as companies, round(sum(c.score_cents)::numeric / (count(*) * 100), 2) as mean_engagement
        from (
          -- (day, company) is the table's key: daily buckets need no distinct
          select a.day as bucket, a.company_id
          from crm.activity_daily_companies a
          where v_own_days and v_bucket = 'day' and a.user_id = any (v_users) and a.day between p_from and p_to
          union all
          select distinct date_trunc('week', a.day::timestamp)::date, a.company_id
          from crm.activity_daily_companies a
          where v_own_days and v_bucket = 'week' and a.user_id = any (v_users) and a.day between p_from and p_to
          union all
          -- another zone's days: from the activities of the range
          select distinct date_trunc(v_bucket, a.date at time zone v_zone)::date, a.company_id
          from crm.activities a
          where not v_own_days and a.user_id = any (v_users) and a.company_id is not null
            and a.date >= (p_from::timestamp at time zone v_zone) and a.date < v_after) b
        join my_companies c on c.id = b.company_id
        group by b.bucket) x),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.day::timestamp)::date as bucket, a.type, sum(a.completed) as n
        from totals a where a.in_range
        group by 1, 2 having sum(a.completed) > 0) x)
  ) into result;
  return result;
end
$$;


ALTER FUNCTION crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) OWNER TO crm_owner;

--
-- Name: FUNCTION get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) IS 'A user''s dashboard figures (a rep''s own, a manager''s team''s with themself, an admin''s the organisation''s; people: how many users they sum) for [from, to] (days of the reader''s time zone) as JSON (companies, deals, top_opportunities, pipeline, activities, kpis, tasks, tasks_due, engagement_trend, activity_series). SECURITY INVOKER; refuses (42501) anyone but the user, their manager or an admin; 22023 for a bad range.';


--
-- Name: get_lost_reasons_report(uuid, date, date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) RETURNS TABLE(reason_id uuid, reason text, deals bigint, value numeric)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) OWNER TO crm_owner;

--
-- Name: FUNCTION get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) IS 'Deals of a manager''s team (active members, as on the team dashboard) lost between from and to (closed_at, by day in the reader''s time zone), per lost reason: count and value, largest value first. SECURITY INVOKER; the manager themself or an admin, else 42501.';


--
-- Name: get_team_dashboard_data(uuid, date, date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_days integer;
  v_bucket text;
  v_members uuid[];
  -- the days are the reader's (app.current_time_zone): members in that zone are read from the daily
  -- totals (kept on each user's days), the others' activities are counted per day of the reader's zone
  v_zone text := app.current_time_zone();
  v_same_zone uuid[];
  v_other_zone uuid[];
  v_first timestamptz;
  v_after timestamptz;
  result jsonb;
begin
  perform crm.dashboard_check_range(p_from, p_to);
  if p_manager_id is null then
    raise exception 'the team dashboard needs a manager' using errcode = 'invalid_parameter_value';
  end if;
  -- a manager for their own team; an admin for any manager
  if not ((select app.is_admin())
          or (p_manager_id = (select app.active_user_id()) and (select app.current_user_role()) = 'manager')) then
    raise exception 'not allowed to read the team dashboard of user %', p_manager_id
      using errcode = 'insufficient_privilege';
  end if;

  v_days := p_to - p_from + 1;
  v_bucket := case when v_days <= 62 then 'day' else 'week' end;

  -- the people the manager manages, directly or as the team's manager
  select coalesce(array_agg(u.id), '{}'),
         coalesce(array_agg(u.id) filter (where coalesce(u.time_zone, 'UTC') = v_zone), '{}'),
         coalesce(array_agg(u.id) filter (where coalesce(u.time_zone, 'UTC') <> v_zone), '{}')
    into v_members, v_same_zone, v_other_zone
  from crm.users u
  where u.id <> p_manager_id and u.is_active
    and (u.manager_id = p_manager_id
         or u.team_id in (select t.id from crm.teams t where t.manager_id = p_manager_id));
  v_first := (p_from - v_days)::timestamp at time zone v_zone;
  v_after := (p_to + 1)::timestamp at time zone v_zone;

  with members as (
    select u.id, u.full_name from crm.users u where u.id = any (v_members)
  ),
  days as materialized (
    -- per member, day (the reader's) and type over the previous period and the range: completed
    -- activities and their counted sums, from the daily totals or (another zone) the activities
    select a.user_id, a.day, a.type, a.completed, a.counted_quantity, a.counted_amount
    from crm.activity_daily_totals a
    where a.user_id = any (v_same_zone) and a.day >= p_from - v_days and a.day <= p_to
    union all
    select a.user_id, (a.date at time zone v_zone)::date, a.type, count(*) filter (where a.status = 'completed'),
           coalesce(sum(a.quantity) filter (where a.status = 'completed'), 0),
           coalesce(sum(a.amount) filter (where a.status = 'completed'), 0)
    from crm.activities a
    where a.user_id = any (v_other_zone) and a.date >= v_first and a.date < v_after
    group by 1, 2, 3
  ),
  kpi as (
    -- counted_* sum completed activities only
    select a.user_id,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day >= p_from), 0) as new_business,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'outbound' and a.day >= p_from), 0) as outbound,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'meeting' and a.day >= p_from), 0) as meetings,
      coalesce(sum(a.counted_quantity) filter (where a.type = 'proposal' and a.day >= p_from), 0) as proposals,
      coalesce(sum(a.counted_amount) filter (where a.type = 'sale' and a.day < p_from), 0) as prev_new_business
    from days a
    where a.type in ('sale', 'outbound', 'meeting', 'proposal')
    group by a.user_id
  ),
  target as (
    select t.user_id,
      round(sum(t.revenue_target * t.share), 2) as new_business,
      round(sum(t.outbound_target * t.share)) as outbound,
      round(sum(t.meetings_target * t.share)) as meetings,
      round(sum(t.proposals_target * t.share)) as proposals
    from (
      select tg.*,
             ((least(p_to, (tg.month + interval '1 month')::date - 1) - greatest(p_from, tg.month) + 1)::numeric
              / ((tg.month + interval '1 month')::date - tg.month)) as share
      from crm.targets tg
      where tg.user_id = any (v_members)
        and tg.month <= p_to and (tg.month + interval '1 month')::date > p_from) t
    group by t.user_id
  ),
  pipe as (
    -- from crm.deal_totals: a few rows per rep, not every open deal
    select t.owner_id as user_id, sum(t.deals) as deals, sum(t.value) as value,
           round(sum(t.value * s.default_probability / 100.0), 2) as weighted
    from crm.deal_totals t join crm.deal_stages s on s.id = t.stage_id
    where t.owner_id = any (v_members) and t.status = 'active'
    group by t.owner_id
  ),
  engagement as materialized (
    -- the members' companies read once: each rep's mean here, the team's mean below from the same sums
    select c.owner_id as user_id, round(avg(c.engagement_score), 2) as mean_engagement, count(*) as companies,
           sum(c.engagement_score) as engagement_sum
    from crm.companies c where c.owner_id = any (v_members)
    group by c.owner_id
  ),
  forecast as (
    -- weighted value of open deals by expected close month (no date: "unscheduled")
    select d.owner_id as user_id, date_trunc('month', d.expected_close_date)::date as month,
           round(sum(d.value * s.default_probability / 100.0), 2) as weighted
    from crm.deals d join crm.deal_stages s on s.id = d.stage_id
    where d.owner_id = any (v_members) and d.status = 'active'
    group by 1, 2
  ),
  rows as (
    select m.id, m.full_name,
      coalesce(k.new_business, 0) as new_business, coalesce(tg.new_business, 0) as new_business_target,
      coalesce(k.outbound, 0) as outbound, coalesce(tg.outbound, 0) as outbound_target,
      coalesce(k.meetings, 0) as meetings, coalesce(tg.meetings, 0) as meetings_target,
      coalesce(k.proposals, 0) as proposals, coalesce(tg.proposals, 0) as proposals_target,
      crm.dashboard_trend(k.new_business, k.prev_new_business) as new_business_trend,
      coalesce(p.deals, 0) as deals, coalesce(p.value, 0) as pipeline, coalesce(p.weighted, 0) as weighted,
      coalesce(e.mean_engagement, 0) as mean_engagement, coalesce(e.companies, 0) as companies
    from members m
    left join kpi k on k.user_id = m.id
    left join target tg on tg.user_id = m.id
    left join pipe p on p.user_id = m.id
    left join engagement e on e.user_id = m.id
  )
  select jsonb_build_object(
    'manager_id', p_manager_id,
    'from', p_from,
    'to', p_to,
    'bucket', v_bucket,
    'reps', (select coalesce(jsonb_agg(to_jsonb(r) order by r.full_name, r.id), '[]'::jsonb) from rows r),
    'totals', (
      select jsonb_build_object(
        'reps', count(*),
        'new_business', coalesce(sum(r.new_business), 0), 'new_business_target', coalesce(sum(r.new_business_target), 0),
        'outbound', coalesce(sum(r.outbound), 0), 'outbound_target', coalesce(sum(r.outbound_target), 0),
        'meetings', coalesce(sum(r.meetings), 0), 'meetings_target', coalesce(sum(r.meetings_target), 0),
        'proposals', coalesce(sum(r.proposals), 0), 'proposals_target', coalesce(sum(r.proposals_target), 0),
        'deals', coalesce(sum(r.deals), 0), 'pipeline', coalesce(sum(r.pipeline), 0),
        'weighted', coalesce(sum(r.weighted), 0),
        -- the team's mean over all its companies, not a mean of the reps' means
        'mean_engagement', (select coalesce(round(sum(e.engagement_sum) / sum(e.companies), 2), 0)
                            from engagement e))
      from rows r),
    'forecast', (
      select coalesce(jsonb_agg(jsonb_build_object('user_id', f.user_id, 'month', f.month, 'weighted', f.weighted)
             order by f.month nulls last, f.user_id), '[]'::jsonb)
      from forecast f),
    'activity_series', (
      select coalesce(jsonb_agg(jsonb_build_object('bucket', x.bucket, 'type', x.type, 'count', x.n)
             order by x.bucket, x.type), '[]'::jsonb)
      from (
        select date_trunc(v_bucket, a.day::timestamp)::date as bucket, a.type, sum(a.completed) as n
        from days a
        where a.day between p_from and p_to
        group by 1, 2 having sum(a.completed) > 0) x)
  ) into result;
  return result;
end
$$;


ALTER FUNCTION crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) OWNER TO crm_owner;

--
-- Name: FUNCTION get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) IS 'A manager''s team for [from, to] (days of the reader''s time zone) as JSON: reps (KPIs vs targets, pipeline, weighted, mean engagement), totals, forecast (weighted by close month per rep), activity_series. SECURITY INVOKER; the manager themself or an admin, else 42501.';


--
-- Name: get_team_forecast(uuid, date, date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) OWNER TO crm_owner;

--
-- Name: FUNCTION get_team_forecast(p_manager_id uuid, p_first date, p_last date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) IS 'The team page''s forecast as JSON: reps, figures (crm.forecast_figures per rep and month from p_first to p_last, at most 24 months; won deals by month of the reader''s zone) and history (the snapshots of the last six months and this one, each with actual: what the user has closed won in that month). A manager''s team (the manager or an admin), or everyone with a null manager (admins); 42501 otherwise, 22023 for bad months. SECURITY INVOKER.';


--
-- Name: intelligence_thresholds(); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.intelligence_thresholds() RETURNS TABLE(engagement_window_days integer, deal_activity_window_days integer, no_activity_days integer, stalled_stage_days integer, single_threaded_max_contacts integer, sentiment_window_days integer, negative_sentiment_level numeric, negative_sentiment_drop numeric, min_scored_activities integer, min_closed_deals integer, high_win_probability numeric, top_opportunity_score integer, high_score integer, medium_score integer, decision_maker_score numeric)
    LANGUAGE sql IMMUTABLE ROWS 1
    SET search_path TO ''
    AS $$
  select 90, 30, 14, 30, 1, 30, -0.20, 0.30, 2, 30, 0.70, 75, 80, 50, 0.70
$$;


ALTER FUNCTION crm.intelligence_thresholds() OWNER TO crm_owner;

--
-- Name: FUNCTION intelligence_thresholds(); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.intelligence_thresholds() IS 'Every threshold the scores, risk factors, dashboards, totals and pages use (Python reads it too).';


--
-- Name: notification_default_channel(text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.notification_default_channel(p_kind text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select case p_kind
           when 'task_due' then 'both'
           when 'deal_assigned' then 'both'
           when 'webhook_failing' then 'both'
           else 'in_app' end  -- meeting_soon, deal_stalled: in the app only
$$;


ALTER FUNCTION crm.notification_default_channel(p_kind text) OWNER TO crm_owner;

--
-- Name: FUNCTION notification_default_channel(p_kind text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.notification_default_channel(p_kind text) IS 'The channel of a notification kind for a user who has not chosen one: task_due, deal_assigned and webhook_failing both (in app and email), meeting_soon and deal_stalled in app only (dashboard/vocabulary.py NOTIFICATION_DEFAULTS says the same).';


--
-- Name: notification_delivery(uuid, text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.notification_delivery(p_user uuid, p_kind text) RETURNS TABLE(in_app boolean, email_status text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.notification_delivery(p_user uuid, p_kind text) OWNER TO crm_owner;

--
-- Name: FUNCTION notification_delivery(p_user uuid, p_kind text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.notification_delivery(p_user uuid, p_kind text) IS 'How a new notice of kind p_kind reaches p_user: shown in app or not, and its email status (none, pending: one message, digest); no row when the user turned the kind off. Called by the producer (operator) and the assignment trigger (crm_helper); not granted to the app.';


--
-- Name: plan_mode_for_ids(integer); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.plan_mode_for_ids(id_count integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select case when id_count <= 50 then 'force_generic_plan' else 'force_custom_plan' end
$$;


ALTER FUNCTION crm.plan_mode_for_ids(id_count integer) OWNER TO crm_owner;

--
-- Name: FUNCTION plan_mode_for_ids(id_count integer); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.plan_mode_for_ids(id_count integer) IS 'The plan_cache_mode for a function''s statements over id_count ids: a kept (generic) plan for up to 50, a plan per call for more.';


--
-- Name: predict_win_probability(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.predict_win_probability(deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(deal_id uuid, win_probability numeric, source text)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  model jsonb;
  intercept float8;
  coef float8[];
  mu float8[];
  sd float8[];
  term_mu float8[];
  term_sd float8[];
begin
  perform app.require_ai_features();
  select wm.model into model from crm.win_models wm order by wm.trained_at desc, wm.id desc limit 1;
  if model is not null then
    if (model -> 'features') <> to_jsonb(crm.win_feature_names()) then
      raise exception 'stored win model features do not match crm.win_feature_names(): retrain with crm score --all'
        using errcode = 'data_exception';
    end if;
    intercept := (model ->> 'intercept')::float8;
    coef := array(select e::float8 from jsonb_array_elements_text(model -> 'coef') e);
    mu := array(select e::float8 from jsonb_array_elements_text(model -> 'mean') e);
    sd := array(select e::float8 from jsonb_array_elements_text(model -> 'scale') e);
    if model ->> 'terms' = 'pairwise' then
      term_mu := array(select e::float8 from jsonb_array_elements_text(model -> 'term_mean') e);
      term_sd := array(select e::float8 from jsonb_array_elements_text(model -> 'term_scale') e);
    end if;
  end if;
  return query
  select f.deal_id,
         round(case
           when model is null then f.stage_probability
           else (1 / (1 + exp(-crm.win_logit(f.x, mu, sd, term_mu, term_sd, coef, intercept))))::numeric
         end, 2),
         case when model is null then 'stage_default' else 'model' end
  from crm.deal_win_features(deal_ids, as_of) f
  where not f.is_closed;
end
$$;


ALTER FUNCTION crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION predict_win_probability(deal_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) IS 'Win probability of open deals from the newest stored model (stage default without one).';


--
-- Name: produce_notifications(timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.produce_notifications(as_of timestamp with time zone DEFAULT now()) RETURNS TABLE(kind text, produced bigint)
    LANGUAGE sql
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.produce_notifications(as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION produce_notifications(as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.produce_notifications(as_of timestamp with time zone) IS 'The periodic producer (task notify, every minute): inserts the notices due at as_of that do not exist yet (task due today or overdue in the assignee''s zone, meeting within 15 minutes, deal stalled in the last three days, webhook endpoint failing: a delivery out of retries in the last day or pending after 3 failed attempts, for every admin once a day) with each user''s channel; returns how many of each kind. Run by the worker''s operator role, set-based (indexed ranges, no per-user loop).';


--
-- Name: record_score_history(uuid[], uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.record_score_history(company_ids uuid[] DEFAULT NULL::uuid[], deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  snapshot_day date := (as_of at time zone 'UTC')::date;
  n1 integer;
  n2 integer;
begin
  perform app.require_ai_features();
  insert into crm.company_score_history as h (company_id, day, engagement_score, lead_score, recorded_at)
  select c.id, snapshot_day, c.engagement_score, c.lead_score, as_of from crm.companies c
  where company_ids is null or c.id = any (company_ids)
  on conflict on constraint pk_company_score_history do update
    set engagement_score = excluded.engagement_score, lead_score = excluded.lead_score,
        recorded_at = excluded.recorded_at
    where (h.engagement_score, h.lead_score) is distinct from (excluded.engagement_score, excluded.lead_score);
  get diagnostics n1 = row_count;
  insert into crm.deal_score_history as h (deal_id, day, deal_intelligence_score, win_probability_ai, risk_factor_count,
                                           recorded_at)
  select d.id, snapshot_day, d.deal_intelligence_score, d.win_probability_ai, coalesce(cardinality(d.risk_factors), 0), as_of
  from crm.deals d
  where deal_ids is null or d.id = any (deal_ids)
  on conflict on constraint pk_deal_score_history do update
    set deal_intelligence_score = excluded.deal_intelligence_score, win_probability_ai = excluded.win_probability_ai,
        risk_factor_count = excluded.risk_factor_count, recorded_at = excluded.recorded_at
    where (h.deal_intelligence_score, h.win_probability_ai, h.risk_factor_count)
          is distinct from (excluded.deal_intelligence_score, excluded.win_probability_ai, excluded.risk_factor_count);
  get diagnostics n2 = row_count;
  return n1 + n2;
end
$$;


ALTER FUNCTION crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: FUNCTION record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) IS 'Upserts today''s (UTC) score snapshot of the given (null: all) companies and deals; writes only rows that are new or changed; returns their number.';


--
-- Name: record_timeline(text, uuid, text[], timestamp with time zone, uuid, integer); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.record_timeline(p_record text, p_id uuid, p_kinds text[] DEFAULT NULL::text[], p_before timestamp with time zone DEFAULT NULL::timestamp with time zone, p_before_id uuid DEFAULT NULL::uuid, p_limit integer DEFAULT 20) RETURNS TABLE(kind text, id uuid, happened_at timestamp with time zone, title text, detail text, status text, subtype text, due_at timestamp with time zone, link_id uuid)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
declare
  -- the condition that ties each source to the record ($1 is the record's id); from this fixed map only
  v_activity text;
  v_meeting text;
  v_task text;
  v_history text;
begin
  if p_record = 'deal' then
    v_activity := 'a.deal_id = $1';
    v_meeting := 'm.id in (select x.id from crm.meetings x where x.primary_deal_id = $1
                           union select dm.meeting_id from crm.deal_meetings dm where dm.deal_id = $1)';
    v_task := 't.deal_id = $1';
    v_history := 'h.deal_id = $1';
  elsif p_record = 'company' then
    -- linked directly, or through its contact or deal (crm.company_activities, kept by triggers)
    v_activity := 'a.id in (select ca.activity_id from crm.company_activities ca where ca.company_id = $1)';
    v_meeting := 'm.company_id = $1';
    v_task := 't.company_id = $1';
    v_history := 'h.deal_id in (select d.id from crm.deals d where d.company_id = $1)';
  elsif p_record = 'contact' then
    v_activity := 'a.contact_id = $1';
    v_meeting := 'm.id in (select x.id from crm.meetings x where x.primary_contact_id = $1
                           union select ma.meeting_id from crm.meeting_attendees ma where ma.contact_id = $1)';
    v_task := 't.contact_id = $1';
    v_history := 'h.deal_id in (select d.id from crm.deals d where d.primary_contact_id = $1)';
  else
    raise exception 'a timeline is of a company, a contact or a deal, not %', p_record
      using errcode = 'invalid_parameter_value';
  end if;
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception 'a timeline page has 1 to 200 entries, not %', p_limit using errcode = 'invalid_parameter_value';
  end if;

  return query execute format($q$
    select e.kind, e.id, e.happened_at, e.title, e.detail, e.status, e.subtype, e.due_at, e.link_id from (
      (select case when a.type = 'note' then 'note' else 'activity' end as kind, a.id, a.date as happened_at,
              coalesce(a.subject, initcap(a.type)) as title, left(a.details, 300) as detail, a.status,
              a.type as subtype, null::timestamptz as due_at, a.id as link_id
       from crm.activities a
       where %1$s
         and ($2 is null or (case when a.type = 'note' then 'note' else 'activity' end) = any ($2))
         and ($3 is null or (a.date, a.id) < ($3, $4))
       order by a.date desc, a.id desc limit $5)
      union all
      (select 'meeting', m.id, m.starts_at, m.title, replace(m.meeting_type, '_', ' '), m.meeting_outcome,
              m.meeting_type, null::timestamptz, m.id
       from crm.meetings m
       where %2$s
         and ($2 is null or 'meeting' = any ($2))
         and ($3 is null or (m.starts_at, m.id) < ($3, $4))
       order by m.starts_at desc, m.id desc limit $5)
      union all
      (select 'task', t.id, coalesce(t.completed_at, t.created_at), t.title, left(t.description, 300),
              t.status, t.priority, t.due_date, t.id
       from crm.tasks t
       where %3$s
         and ($2 is null or 'task' = any ($2))
         and ($3 is null or (coalesce(t.completed_at, t.created_at), t.id) < ($3, $4))
       order by coalesce(t.completed_at, t.created_at) desc, t.id desc limit $5)
      union all
      (select 'stage_change', h.id, h.changed_at,
              coalesce((select f.name from crm.deal_stages f where f.id = h.from_stage_id) || ' → ', 'Created in ')
                || (select s.name from crm.deal_stages s where s.id = h.to_stage_id),
              (select d.name from crm.deals d where d.id = h.deal_id), null::text, null::text, null::timestamptz, h.deal_id
       from crm.deal_stage_history h
       where %4$s
         and ($2 is null or 'stage_change' = any ($2))
         and ($3 is null or (h.changed_at, h.id) < ($3, $4))
       order by h.changed_at desc, h.id desc limit $5)
    ) e
    order by e.happened_at desc, e.id desc
    limit $5
  $q$, v_activity, v_meeting, v_task, v_history)
  using p_id, p_kinds, p_before, p_before_id, p_limit;
end
$_$;


ALTER FUNCTION crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer) OWNER TO crm_owner;

--
-- Name: FUNCTION record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer) IS 'A company''s, contact''s or deal''s timeline, newest first: activities (kind activity, or note for type note), meetings, tasks (at completion, else creation) and stage changes of the record''s deals; p_kinds filters, (p_before, p_before_id) pages by keyset, p_limit (1-200) rows. SECURITY INVOKER: only rows the reader may see. due_at: a task''s due date; link_id: the row to open (the deal for a stage change).';


--
-- Name: rescore_activities(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.rescore_activities(activity_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_mergejoin TO 'off'
    AS $$
declare
  changed integer;
  today date := (as_of at time zone 'UTC')::date;
  no_sentiment constant numeric := -9;
begin
  perform app.require_ai_features();
  if activity_ids is not null then
    with derived as (
      select a.id,
             case when a.status in ('cancelled', 'no_show') then 'low'
                  else case
                    when q.v >= 0.85 then 'excellent' when q.v >= 0.6 then 'high' when q.v >= 0.35 then 'medium' else 'low'
                  end end as quality,
             case when a.status in ('cancelled', 'no_show') then 'negative'
                  when a.sentiment_score is null then 'unclear'
                  when a.sentiment_score >= 0.25 then 'positive'
                  when a.sentiment_score <= -0.25 then 'negative' else 'neutral' end as outcome,
             case when a.status = 'pending' then round(greatest(
               case when d.status = 'active' and d.expected_close_date is not null
                    then least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) else 0 end,
               least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
             )::numeric, 2) else 0 end as urgency
      from crm.activities a
      left join crm.deals d on d.id = a.deal_id
      cross join lateral (
        select case a.type when 'sale' then 0.9 when 'meeting' then 0.7 when 'proposal' then 0.7 when 'call' then 0.55
                           when 'email' then 0.45 when 'note' then 0.4 else 0.3 end
               + 0.3 * coalesce(a.sentiment_score, 0) as v
      ) q
      where a.id = any (activity_ids)
    )
    update crm.activities a
    set engagement_quality = derived.quality, outcome_prediction = derived.outcome, urgency_score = derived.urgency
    from derived
    where a.id = derived.id
      and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
          is distinct from (derived.quality, derived.outcome, derived.urgency);
    get diagnostics changed = row_count;
    return changed;
  end if;

  -- Every activity: one scan, the same values as above, looked up instead of computed per row:
  --   q:  quality and outcome (when not cancelled/no_show) per (type, sentiment): sentiment_score is
  --       numeric(3,2) between -1 and 1 (a CHECK), so 201 values and "none" (no_sentiment) cover every row;
  --       types are the seven of check_activities_type;
  --       materialized, so its 1,414 rows are computed once (inlined, the planner folded its CASEs
  --       over numerics into the join filter: they ran for each of the 2,000,000 activities);
  --   only a pending activity has urgency: its deal's close-date pressure is looked up for it alone
  --   (18,000 of 2,000,000 at the large scale), not hash-joined to every activity.
  with q as materialized (
    select t.type, s.key,
           case when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.85 then 'excellent'
                when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.6 then 'high'
                when t.base + 0.3 * coalesce(s.sentiment, 0) >= 0.35 then 'medium' else 'low' end as quality,
           case when s.sentiment is null then 'unclear'
                when s.sentiment >= 0.25 then 'positive'
                when s.sentiment <= -0.25 then 'negative' else 'neutral' end as outcome
    from (values ('sale', 0.9), ('meeting', 0.7), ('proposal', 0.7), ('call', 0.55), ('email', 0.45), ('note', 0.4),
                 ('outbound', 0.3)) t(type, base)
    cross join (
      select (g / 100.0)::numeric(3,2) as sentiment, (g / 100.0)::numeric(3,2) as key from generate_series(-100, 100) g
      union all
      select null, no_sentiment
    ) s
  )
  update crm.activities a
  set engagement_quality = case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
      outcome_prediction = case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
      urgency_score = case when a.status = 'pending'
                           then round(greatest(coalesce((select least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) from crm.deals d
                                                         where d.id = a.deal_id and d.status = 'active' and d.expected_close_date is not null), 0),
                                               least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                                      )::numeric, 2)
                           else 0 end
  from q
  where q.type = a.type and q.key = coalesce(a.sentiment_score, no_sentiment)
    and (a.engagement_quality, a.outcome_prediction, a.urgency_score)
        is distinct from (
          case when a.status in ('cancelled', 'no_show') then 'low' else q.quality end,
          case when a.status in ('cancelled', 'no_show') then 'negative' else q.outcome end,
          case when a.status = 'pending'
               then round(greatest(coalesce((select least(1.0, greatest(0.0, 1 - (d.expected_close_date - today) / 60.0)) from crm.deals d
                                                         where d.id = a.deal_id and d.status = 'active' and d.expected_close_date is not null), 0),
                                   least(1.0, greatest(0.0, 1 - extract(epoch from a.date - as_of) / 86400 / 14.0))
                          )::numeric, 2)
               else 0 end);
  get diagnostics changed = row_count;
  return changed;
end
$$;


ALTER FUNCTION crm.rescore_activities(activity_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: rescore_companies(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.rescore_companies(company_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_nestloop TO 'on'
    AS $$
declare
  changed integer;
begin
  if company_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.companies c
  set engagement_score = b.engagement_score, lead_score = b.lead_score, last_engagement_date = b.last_engagement_date
  from crm.company_score_breakdown(company_ids, as_of) b
  where c.id = b.company_id
    and (company_ids is null or c.id = any (company_ids))  -- a few: found by id, not a hash of the whole table
    and (c.engagement_score, c.lead_score, c.last_engagement_date)
        is distinct from (b.engagement_score, b.lead_score, b.last_engagement_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;


ALTER FUNCTION crm.rescore_companies(company_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: rescore_contacts(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.rescore_contacts(contact_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_nestloop TO 'on'
    AS $$
declare
  changed integer;
begin
  if contact_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.contacts c
  set engagement_score = b.engagement_score, decision_maker_score = b.decision_maker_score,
      interaction_count = b.interaction_count, last_interaction_date = b.last_interaction_date
  from crm.contact_score_breakdown(contact_ids, as_of) b
  where c.id = b.contact_id
    and (contact_ids is null or c.id = any (contact_ids))  -- a few: found by id, not a hash of the whole table
    and (c.engagement_score, c.decision_maker_score, c.interaction_count, c.last_interaction_date)
        is distinct from (b.engagement_score, b.decision_maker_score, b.interaction_count, b.last_interaction_date);
  get diagnostics changed = row_count;
  return changed;
end
$$;


ALTER FUNCTION crm.rescore_contacts(contact_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: rescore_deals(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.rescore_deals(deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_nestloop TO 'on'
    AS $$
declare
  changed integer;
begin
  if deal_ids is null then
    perform pg_catalog.set_config('enable_nestloop', 'off', true);
  end if;
  update crm.deals d
  set deal_intelligence_score = b.deal_intelligence_score, risk_factors = b.risk_factors
  from crm.deal_score_breakdown(deal_ids, as_of) b
  where d.id = b.deal_id
    and (deal_ids is null or d.id = any (deal_ids))  -- a few: found by id, not a hash of the whole table
    and (d.deal_intelligence_score, d.risk_factors) is distinct from (b.deal_intelligence_score, b.risk_factors);
  get diagnostics changed = row_count;
  return changed;
end
$$;


ALTER FUNCTION crm.rescore_deals(deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: rescore_win_probability(uuid[], timestamp with time zone); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.rescore_win_probability(deal_ids uuid[] DEFAULT NULL::uuid[], as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
declare
  changed integer;
begin
  update crm.deals d
  set win_probability_ai = coalesce(p.win_probability, case d.status when 'won' then 1 when 'lost' then 0 end)
  from crm.deals x
  left join crm.predict_win_probability(deal_ids, as_of) p on p.deal_id = x.id
  where d.id = x.id and (deal_ids is null or x.id = any (deal_ids))
    and d.win_probability_ai is distinct from
        coalesce(p.win_probability, case d.status when 'won' then 1 when 'lost' then 0 end);
  get diagnostics changed = row_count;
  return changed;
end
$$;


ALTER FUNCTION crm.rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone) OWNER TO crm_owner;

--
-- Name: search_fuzzy(text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.search_fuzzy(q text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select case when pg_catalog.length(q) between 3 and 32 then q end
$$;


ALTER FUNCTION crm.search_fuzzy(q text) OWNER TO crm_owner;

--
-- Name: FUNCTION search_fuzzy(q text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.search_fuzzy(q text) IS 'The search q (as crm.search_query made it) trigram similarity (%>) compares with, or null (no fuzzy match) under three characters (two letters share too few trigrams to find typos and would read most of the index) and over 32 (every trigram''s list is read: a long name is pasted, not mistyped).';


--
-- Name: search_like(text, boolean); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.search_like(q text, word_start boolean DEFAULT false) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  -- LIKE's own characters (\ % _) escaped; null (matches nothing) when the query is too short
  select case
    when pg_catalog.length(q) >= 3 and not word_start then '%' || e || '%'
    when pg_catalog.length(q) = 2 then (case when word_start then '% ' else '' end) || e || '%'
  end
  from (select pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(q, '\', '\\'), '%', '\%'), '_', '\_') as e) x
$$;


ALTER FUNCTION crm.search_like(q text, word_start boolean) OWNER TO crm_owner;

--
-- Name: FUNCTION search_like(q text, word_start boolean); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.search_like(q text, word_start boolean) IS 'The LIKE pattern of a search q (as crm.search_query made it): three or more characters anywhere in the text; two characters at the start of the text (or, with word_start, of a later word); null (no match) for shorter queries.';


--
-- Name: search_query(text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.search_query(query text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(query), '\s+', ' ', 'g'))
$$;


ALTER FUNCTION crm.search_query(query text) OWNER TO crm_owner;

--
-- Name: FUNCTION search_query(query text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.search_query(query text) IS 'A search as it is matched: trimmed, inner runs of white space made one space, lower case.';


--
-- Name: search_rank(text, text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.search_rank(name text, q text) RETURNS real
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select ((case
             when name = q then 4
             when pg_catalog.starts_with(name, q) then 3
             when pg_catalog.strpos(' ' || pg_catalog.translate(name, '-,.&/()', '       '), ' ' || q) > 0 then 2
             when pg_catalog.strpos(name, q) > 0 then 1
             else 0
           end) + crm.word_similarity(q, name))::real
$$;


ALTER FUNCTION crm.search_rank(name text, q text) OWNER TO crm_owner;

--
-- Name: FUNCTION search_rank(name text, q text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.search_rank(name text, q text) IS 'How well a lower-case name matches a search q (as crm.search_query made it): a tier (4 the whole name, 3 its start, 2 the start of a later word, 1 anywhere inside, 0 only similar: a typo) plus pg_trgm''s word_similarity (0 to 1), so a better tier always ranks first and similarity orders within a tier.';


--
-- Name: search_records(text, integer); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.search_records(query text, per_kind integer) RETURNS TABLE(kind text, id uuid, label text, detail text, amount numeric, at timestamp with time zone, day date, rank real)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET "pg_trgm.word_similarity_threshold" TO '0.5'
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_seqscan TO 'off'
    AS $$
-- Planned for each call's own values (force_custom_plan): an admin's "everyone" folds away, and the
-- patterns are constants the trigram indexes are chosen for. enable_seqscan off: the LIMIT of the
-- candidates would otherwise tempt the planner into scanning a table for the first matches.
#variable_conflict use_column
declare
  q text := crm.search_query(query);
  anywhere text := crm.search_like(q);          -- 3+ characters: anywhere; 2: at the start
  word_start text := crm.search_like(q, true);  -- 2 characters: at the start of a later word
  fuzzy text := crm.search_fuzzy(q);            -- 3 to 32 characters: trigram similarity (typos)
  -- whose records: the user's and their team's (the owners row-level security reads), or, for
  -- admins, everyone's (null: no condition). Companies and contacts a user sees only through a
  -- deal of theirs are not searched; the deal is, and its page links them.
  owners uuid[] := case when app.is_admin() then null else app.readable_user_ids() end;
  candidates constant integer := 200;  -- matches ranked per kind at most (an unspecific query)
begin
  -- Per kind, the matches of the text (tiers 1 to 4), and only when they are fewer than per_kind
  -- the merely similar ones (tier 0, always ranked below: the result is the same as ranking all,
  -- and a query that matches as typed never pays for reading every trigram's list). Row-level
  -- security applies as everywhere; the context (a contact's company...) is joined to the best.
  return query
  with
  companies as (
    select c.id, c.name, c.domain from crm.companies c
    where (owners is null or c.owner_id = any (owners))
      and (pg_catalog.lower(c.name) like anywhere or pg_catalog.lower(c.name) like word_start)
    limit candidates),
  companies_similar as (
    select c.id, c.name, c.domain from crm.companies c
    where (select pg_catalog.count(*) from companies) < per_kind
      and (owners is null or c.owner_id = any (owners))
      and pg_catalog.lower(c.name) operator(crm.%>) fuzzy
    limit candidates),
  contacts as (
    select c.id, c.first_name || ' ' || c.last_name as name, c.company_id from crm.contacts c
    where (owners is null or c.owner_id = any (owners))
      and (pg_catalog.lower(c.first_name || ' ' || c.last_name) like anywhere or pg_catalog.lower(c.first_name || ' ' || c.last_name) like word_start)
    limit candidates),
  contacts_similar as (
    select c.id, c.first_name || ' ' || c.last_name as name, c.company_id from crm.contacts c
    where (select pg_catalog.count(*) from contacts) < per_kind
      and (owners is null or c.owner_id = any (owners))
      and pg_catalog.lower(c.first_name || ' ' || c.last_name) operator(crm.%>) fuzzy
    limit candidates),
  deals as (
    select d.id, d.name, d.stage_id, d.value, d.expected_close_date from crm.deals d
    where (owners is null or d.owner_id = any (owners))
      and (pg_catalog.lower(d.name) like anywhere or pg_catalog.lower(d.name) like word_start)
    limit candidates),
  deals_similar as (
    select d.id, d.name, d.stage_id, d.value, d.expected_close_date from crm.deals d
    where (select pg_catalog.count(*) from deals) < per_kind
      and (owners is null or d.owner_id = any (owners))
      and pg_catalog.lower(d.name) operator(crm.%>) fuzzy
    limit candidates),
  meetings as (
    select m.id, m.title, m.starts_at from crm.meetings m
    where (owners is null or m.owner_id = any (owners))
      and (pg_catalog.lower(m.title) like anywhere or pg_catalog.lower(m.title) like word_start)
    limit candidates),
  meetings_similar as (
    select m.id, m.title, m.starts_at from crm.meetings m
    where (select pg_catalog.count(*) from meetings) < per_kind
      and (owners is null or m.owner_id = any (owners))
      and pg_catalog.lower(m.title) operator(crm.%>) fuzzy
    limit candidates),
  tasks as (
    select t.id, t.title, t.status, t.due_date from crm.tasks t
    where (owners is null or t.assigned_to = any (owners))
      and (pg_catalog.lower(t.title) like anywhere or pg_catalog.lower(t.title) like word_start)
    limit candidates),
  tasks_similar as (
    select t.id, t.title, t.status, t.due_date from crm.tasks t
    where (select pg_catalog.count(*) from tasks) < per_kind
      and (owners is null or t.assigned_to = any (owners))
      and pg_catalog.lower(t.title) operator(crm.%>) fuzzy
    limit candidates)
  (select 'company', c.id, c.name, c.domain, null::numeric, null::timestamptz, null::date, c.rank
   from (select c.*, crm.search_rank(pg_catalog.lower(c.name), q) as rank
         from (select * from companies union select * from companies_similar) c
         order by 4 desc, pg_catalog.lower(c.name), c.id limit per_kind) c)
  union all
  (select 'contact', c.id, c.name, co.name, null, null, null, c.rank
   from (select c.*, crm.search_rank(pg_catalog.lower(c.name), q) as rank
         from (select * from contacts union select * from contacts_similar) c
         order by 4 desc, pg_catalog.lower(c.name), c.id limit per_kind) c
   left join crm.companies co on co.id = c.company_id
   order by c.rank desc, pg_catalog.lower(c.name), c.id)
  union all
  (select 'deal', d.id, d.name, s.name, d.value, null, d.expected_close_date, d.rank
   from (select d.*, crm.search_rank(pg_catalog.lower(d.name), q) as rank
         from (select * from deals union select * from deals_similar) d
         order by 6 desc, pg_catalog.lower(d.name), d.id limit per_kind) d
   join crm.deal_stages s on s.id = d.stage_id
   order by d.rank desc, pg_catalog.lower(d.name), d.id)
  union all
  (select 'meeting', m.id, m.title, null, null, m.starts_at, null, crm.search_rank(pg_catalog.lower(m.title), q)
   from (select * from meetings union select * from meetings_similar) m
   order by 8 desc, m.starts_at desc, m.id limit per_kind)
  union all
  (select 'task', t.id, t.title, t.status, null, t.due_date, null, crm.search_rank(pg_catalog.lower(t.title), q)
   from (select * from tasks union select * from tasks_similar) t
   order by 8 desc, t.due_date nulls last, t.id limit per_kind);
end
$$;


ALTER FUNCTION crm.search_records(query text, per_kind integer) OWNER TO crm_owner;

--
-- Name: FUNCTION search_records(query text, per_kind integer); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.search_records(query text, per_kind integer) IS 'Global search: up to per_kind companies, contacts (full name), deals, meetings and tasks (title) of the caller''s or their team''s (admins: everyone''s) that the caller may see (SECURITY INVOKER: row-level security applies), each kind best first by crm.search_rank among at most 200 matches (the merely similar only when fewer than per_kind match the text), with context: a company''s domain, a contact''s company, a deal''s stage, value and close date, a meeting''s start, a task''s status and due time.';


--
-- Name: single_score(text, uuid, numeric[]); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.single_score(subject text, subject_id uuid, scores numeric[]) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $$
begin
  if pg_catalog.cardinality(scores) = 0 then
    raise exception '% % not found', subject, subject_id using errcode = 'no_data_found';
  end if;
  return scores[1];
end
$$;


ALTER FUNCTION crm.single_score(subject text, subject_id uuid, scores numeric[]) OWNER TO crm_owner;

--
-- Name: FUNCTION single_score(subject text, subject_id uuid, scores numeric[]); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.single_score(subject text, subject_id uuid, scores numeric[]) IS 'The one score a calculate_* function found for its id; raises no_data_found (naming the subject) when there is none.';


--
-- Name: take_forecast_snapshot(date); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.take_forecast_snapshot(p_month date) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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


ALTER FUNCTION crm.take_forecast_snapshot(p_month date) OWNER TO crm_owner;

--
-- Name: FUNCTION take_forecast_snapshot(p_month date); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.take_forecast_snapshot(p_month date) IS 'Stores the forecast of p_month''s month (crm.forecast_figures, won deals by UTC month) for every active rep and manager, unless that month already has a snapshot; returns the rows written (0: it had one). Run by crm score (nightly) and crm forecast snapshot as the owner; an admin may run it in the app.';


--
-- Name: threshold(text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.threshold(p_name text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
  v_value numeric;
begin
  select (pg_catalog.to_jsonb(t) ->> p_name)::numeric into v_value from crm.intelligence_thresholds() t;
  if v_value is null then
    raise exception 'no threshold named %', p_name using errcode = 'undefined_object';
  end if;
  return v_value;
end
$$;


ALTER FUNCTION crm.threshold(p_name text) OWNER TO crm_owner;

--
-- Name: FUNCTION threshold(p_name text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.threshold(p_name text) IS 'One value of crm.intelligence_thresholds() by name (an error for an unknown name).';


--
-- Name: win_feature_names(); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.win_feature_names() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select array['furthest_stage_probability', 'stage_probability', 'log_age_days', 'log_days_in_stage',
               'log_activities', 'log_activities_30d', 'log_activities_per_30d', 'log_days_since_activity',
               'mean_activity_sentiment', 'recent_activity_sentiment', 'net_activity_sentiment',
               'positive_activity_share', 'negative_activity_share',
               'log_meetings_held', 'log_meetings_per_30d', 'mean_meeting_outcome', 'mean_meeting_sentiment',
               'meeting_booked', 'stakeholders', 'has_champion', 'has_decision_maker',
               'stakeholder_strength', 'log_value']
$$;


ALTER FUNCTION crm.win_feature_names() OWNER TO crm_owner;

--
-- Name: win_logit(double precision[], double precision[], double precision[], double precision[], double precision[], double precision[], double precision); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  -- z = (x − mean) / scale; with term_mu (a model with pairwise terms) the terms are z and every
  -- z_i × z_j (i <= j, in PolynomialFeatures' order), standardised again; logit = intercept + Σ coef × term
  with z as (
    select i, (x[i] - mu[i]) / sd[i] as v from pg_catalog.generate_subscripts(x, 1) as i
  ),
  terms as (
    select z.i as a, 0 as b, z.v from z
    union all
    select z1.i, z2.i, z1.v * z2.v from z z1 join z z2 on z2.i >= z1.i
    where term_mu is not null
  ),
  numbered as (
    select pg_catalog.row_number() over (order by (t.b > 0), t.a, t.b) as k, t.v from terms t
  )
  select intercept + sum(case when term_mu is null then coef[n.k] * n.v
                              else coef[n.k] * (n.v - term_mu[n.k]) / term_sd[n.k] end)
  from numbered n
$$;


ALTER FUNCTION crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) OWNER TO crm_owner;

--
-- Name: FUNCTION win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) IS 'The win model''s log-odds of one feature row: standardised features (and, with term_mu, their pairwise products standardised again) times the coefficients, plus the intercept.';


--
-- Name: won_by_month(uuid[], date, date, text); Type: FUNCTION; Schema: crm; Owner: crm_owner
--

CREATE FUNCTION crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) RETURNS TABLE(user_id uuid, month date, closed_won numeric)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select d.owner_id, date_trunc('month', d.closed_at at time zone p_zone)::date, sum(d.value)
  from crm.deals d
  where d.owner_id = any (p_user_ids) and d.status = 'won'
    and d.closed_at >= (p_first::timestamp at time zone p_zone)
    and d.closed_at < ((p_last + interval '1 month')::timestamp at time zone p_zone)
  group by 1, 2
$$;


ALTER FUNCTION crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) OWNER TO crm_owner;

--
-- Name: FUNCTION won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text); Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON FUNCTION crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) IS 'Per user and calendar month (of closed_at in p_zone) from p_first to p_last (firsts of months), the value of the deals they won; months without a won deal have no row. SECURITY INVOKER.';


--
-- Name: procrastinate_cancel_job_v1(bigint, boolean, boolean); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    _job_id bigint;
BEGIN
    IF delete_job THEN
        DELETE FROM procrastinate_jobs
        WHERE id = job_id AND status = 'todo'
        RETURNING id INTO _job_id;
    END IF;
    IF _job_id IS NULL THEN
        IF abort THEN
            UPDATE procrastinate_jobs
            SET abort_requested = true,
                status = CASE status
                    WHEN 'todo' THEN 'cancelled'::procrastinate_job_status ELSE status
                END
            WHERE id = job_id AND status IN ('todo', 'doing')
            RETURNING id INTO _job_id;
        ELSE
            UPDATE procrastinate_jobs
            SET status = 'cancelled'::procrastinate_job_status
            WHERE id = job_id AND status = 'todo'
            RETURNING id INTO _job_id;
        END IF;
    END IF;
    RETURN _job_id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean) IS 'Cancel a todo job, or ask a running one to abort.';


--
-- Name: procrastinate_defer_jobs_v1(crm_jobs.procrastinate_job_to_defer_v1[]); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) RETURNS bigint[]
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    job_ids bigint[];
BEGIN
    WITH inserted_jobs AS (
        INSERT INTO procrastinate_jobs (queue_name, task_name, priority, lock, queueing_lock, args, scheduled_at)
        SELECT (job).queue_name,
               (job).task_name,
               (job).priority,
               (job).lock,
               (job).queueing_lock,
               (job).args,
               (job).scheduled_at
        FROM unnest(jobs) AS job
        RETURNING id
    )
    SELECT array_agg(id) FROM inserted_jobs INTO job_ids;

    RETURN job_ids;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) IS 'Enqueue jobs (todo); returns their ids. The one queue function crm_app may execute (an import run it can see, under sql/policies/jobs.sql).';


--
-- Name: procrastinate_defer_periodic_job_v2(character varying, character varying, character varying, character varying, integer, character varying, bigint, jsonb); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
	_job_id bigint;
	_defer_id bigint;
BEGIN
    INSERT
        INTO procrastinate_periodic_defers (task_name, periodic_id, defer_timestamp)
        VALUES (_task_name, _periodic_id, _defer_timestamp)
        ON CONFLICT DO NOTHING
        RETURNING id into _defer_id;

    IF _defer_id IS NULL THEN
        RETURN NULL;
    END IF;

    UPDATE procrastinate_periodic_defers
        SET job_id = (
            SELECT COALESCE((
                SELECT unnest(procrastinate_defer_jobs_v1(
                    ARRAY[
                        ROW(
                            _queue_name,
                            _task_name,
                            _priority,
                            _lock,
                            _queueing_lock,
                            _args,
                            NULL::timestamptz
                        )
                    ]::procrastinate_job_to_defer_v1[]
                ))
            ), NULL)
        )
        WHERE id = _defer_id
        RETURNING job_id INTO _job_id;

    DELETE
        FROM procrastinate_periodic_defers
        USING (
            SELECT id
            FROM procrastinate_periodic_defers
            WHERE procrastinate_periodic_defers.task_name = _task_name
            AND procrastinate_periodic_defers.periodic_id = _periodic_id
            AND procrastinate_periodic_defers.defer_timestamp < _defer_timestamp
            ORDER BY id
            FOR UPDATE
        ) to_delete
        WHERE procrastinate_periodic_defers.id = to_delete.id;

    RETURN _job_id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb) IS 'Enqueue one tick of a periodic task once, whichever worker asks first (unique task, periodic id, timestamp); returns the job id or null.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: procrastinate_jobs; Type: TABLE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TABLE crm_jobs.procrastinate_jobs (
    id bigint NOT NULL,
    queue_name character varying(128) NOT NULL,
    task_name character varying(128) NOT NULL,
    priority integer DEFAULT 0 NOT NULL,
    lock text,
    queueing_lock text,
    args jsonb DEFAULT '{}'::jsonb NOT NULL,
    status crm_jobs.procrastinate_job_status DEFAULT 'todo'::crm_jobs.procrastinate_job_status NOT NULL,
    scheduled_at timestamp with time zone,
    attempts integer DEFAULT 0 NOT NULL,
    abort_requested boolean DEFAULT false NOT NULL,
    worker_id bigint,
    CONSTRAINT check_not_todo_abort_requested CHECK ((NOT ((status = 'todo'::crm_jobs.procrastinate_job_status) AND (abort_requested = true))))
);

ALTER TABLE ONLY crm_jobs.procrastinate_jobs FORCE ROW LEVEL SECURITY;


ALTER TABLE crm_jobs.procrastinate_jobs OWNER TO crm_owner;

--
-- Name: TABLE procrastinate_jobs; Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON TABLE crm_jobs.procrastinate_jobs IS 'The job queue (Procrastinate): one row per job, its task name, queue, JSON arguments (ids only, never secrets), status (todo, doing, succeeded, failed...), attempts and the worker running it. Workers (the operator''s role) fetch and finish jobs; crm_app may only enqueue an import run it can see and read those jobs (sql/policies/jobs.sql).';


--
-- Name: procrastinate_fetch_job_v2(character varying[], bigint); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint) RETURNS crm_jobs.procrastinate_jobs
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
	found_jobs procrastinate_jobs;
BEGIN
    WITH candidate AS (
        SELECT jobs.*
            FROM procrastinate_jobs AS jobs
            WHERE
                -- reject the job if its lock has earlier or higher priority jobs
                NOT EXISTS (
                    SELECT 1
                        FROM procrastinate_jobs AS other_jobs
                        WHERE
                            jobs.lock IS NOT NULL
                            AND other_jobs.lock = jobs.lock
                            AND (
                                -- job with same lock is already running
                                other_jobs.status = 'doing'
                                OR
                                -- job with same lock is waiting and has higher priority (or same priority but was queued first)
                                (
                                    other_jobs.status = 'todo'
                                    AND (
                                        other_jobs.priority > jobs.priority
                                        OR (
                                        other_jobs.priority = jobs.priority
                                        AND other_jobs.id < jobs.id
                                        )
                                    )
                                )
                            )
                )
                AND jobs.status = 'todo'
                AND (target_queue_names IS NULL OR jobs.queue_name = ANY( target_queue_names ))
                AND (jobs.scheduled_at IS NULL OR jobs.scheduled_at <= now())
            ORDER BY jobs.priority DESC, jobs.id ASC LIMIT 1
            FOR UPDATE OF jobs SKIP LOCKED
    )
    UPDATE procrastinate_jobs
        SET status = 'doing', worker_id = p_worker_id
        FROM candidate
        WHERE procrastinate_jobs.id = candidate.id
        RETURNING procrastinate_jobs.* INTO found_jobs;

 RETURN found_jobs;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint) IS 'A worker takes the next todo job of its queues (priority, then age; skipping locked rows) and marks it doing.';


--
-- Name: procrastinate_finish_job_v1(bigint, crm_jobs.procrastinate_job_status, boolean); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    _job_id bigint;
BEGIN
    IF end_status NOT IN ('succeeded', 'failed', 'aborted') THEN
        RAISE 'End status should be either "succeeded", "failed" or "aborted" (job id: %)', job_id;
    END IF;
    IF delete_job THEN
        DELETE FROM procrastinate_jobs
        WHERE id = job_id AND status IN ('todo', 'doing')
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = end_status,
            abort_requested = false,
            attempts = CASE status
                WHEN 'doing' THEN attempts + 1 ELSE attempts
            END
        WHERE id = job_id AND status IN ('todo', 'doing')
        RETURNING id INTO _job_id;
    END IF;
    IF _job_id IS NULL THEN
        RAISE 'Job was not found or not in "doing" or "todo" status (job id: %)', job_id;
    END IF;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean) IS 'A worker ends a job: succeeded, failed or aborted (or deletes it).';


--
-- Name: procrastinate_notify_queue_abort_job_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_notify_queue_abort_job_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    payload TEXT;
BEGIN
    SELECT json_build_object('type', 'abort_job_requested', 'job_id', NEW.id)::text INTO payload;
	PERFORM pg_notify('procrastinate_queue_v1#' || NEW.queue_name, payload);
	PERFORM pg_notify('procrastinate_any_queue_v1', payload);
	RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_notify_queue_abort_job_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_notify_queue_abort_job_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_notify_queue_abort_job_v1() IS 'Trigger: NOTIFY the workers that a running job was asked to abort.';


--
-- Name: procrastinate_notify_queue_job_inserted_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_notify_queue_job_inserted_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    payload TEXT;
BEGIN
    SELECT json_build_object('type', 'job_inserted', 'job_id', NEW.id)::text INTO payload;
	PERFORM pg_notify('procrastinate_queue_v1#' || NEW.queue_name, payload);
	PERFORM pg_notify('procrastinate_any_queue_v1', payload);
	RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_notify_queue_job_inserted_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_notify_queue_job_inserted_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_notify_queue_job_inserted_v1() IS 'Trigger: NOTIFY the workers listening on the job''s queue that a job arrived.';


--
-- Name: procrastinate_prune_stalled_workers_v1(double precision); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision) RETURNS TABLE(worker_id bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    RETURN QUERY
    DELETE FROM procrastinate_workers
    WHERE last_heartbeat < NOW() - (seconds_since_heartbeat || 'SECOND')::INTERVAL
    RETURNING procrastinate_workers.id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision) IS 'Remove workers whose heartbeat is older than the given seconds (their doing jobs then count as stalled).';


--
-- Name: procrastinate_register_worker_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_register_worker_v1() RETURNS TABLE(worker_id bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    RETURN QUERY
    INSERT INTO procrastinate_workers DEFAULT VALUES
    RETURNING procrastinate_workers.id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_register_worker_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_register_worker_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_register_worker_v1() IS 'A starting worker registers itself; returns its id.';


--
-- Name: procrastinate_retry_job_v1(bigint, timestamp with time zone, integer, character varying, character varying); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    _job_id bigint;
    _abort_requested boolean;
BEGIN
    SELECT abort_requested FROM procrastinate_jobs
    WHERE id = job_id AND status = 'doing'
    FOR UPDATE
    INTO _abort_requested;
    IF _abort_requested THEN
        UPDATE procrastinate_jobs
        SET status = 'failed'::procrastinate_job_status
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = 'todo'::procrastinate_job_status,
            attempts = attempts + 1,
            scheduled_at = retry_at,
            priority = COALESCE(new_priority, priority),
            queue_name = COALESCE(new_queue_name, queue_name),
            lock = COALESCE(new_lock, lock)
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    END IF;

    IF _job_id IS NULL THEN
        RAISE 'Job was not found or not in "doing" status (job id: %)', job_id;
    END IF;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) IS 'Put a doing job back to todo for another attempt (older signature kept by Procrastinate).';


--
-- Name: procrastinate_retry_job_v2(bigint, timestamp with time zone, integer, character varying, character varying); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
DECLARE
    _job_id bigint;
    _abort_requested boolean;
    _current_status procrastinate_job_status;
BEGIN
    SELECT status, abort_requested FROM procrastinate_jobs
    WHERE id = job_id AND status IN ('doing', 'failed')
    FOR UPDATE
    INTO _current_status, _abort_requested;
    IF _current_status = 'doing' AND _abort_requested THEN
        UPDATE procrastinate_jobs
        SET status = 'failed'::procrastinate_job_status
        WHERE id = job_id AND status = 'doing'
        RETURNING id INTO _job_id;
    ELSE
        UPDATE procrastinate_jobs
        SET status = 'todo'::procrastinate_job_status,
            attempts = attempts + 1,
            scheduled_at = retry_at,
            priority = COALESCE(new_priority, priority),
            queue_name = COALESCE(new_queue_name, queue_name),
            lock = COALESCE(new_lock, lock)
        WHERE id = job_id AND status IN ('doing', 'failed')
        RETURNING id INTO _job_id;
    END IF;

    IF _job_id IS NULL THEN
        RAISE 'Job was not found or has an invalid status to retry (job id: %)', job_id;
    END IF;

END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) IS 'Put a doing or failed job back to todo for another attempt (stalled-job recovery, retries).';


--
-- Name: procrastinate_trigger_abort_requested_events_procedure_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type)
        VALUES (NEW.id, 'abort_requested'::procrastinate_job_event_type);
    RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_trigger_abort_requested_events_procedure_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1() IS 'Trigger: record an abort request.';


--
-- Name: procrastinate_trigger_function_scheduled_events_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_trigger_function_scheduled_events_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type, at)
        VALUES (NEW.id, 'scheduled'::procrastinate_job_event_type, NEW.scheduled_at);

	RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_trigger_function_scheduled_events_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_trigger_function_scheduled_events_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_trigger_function_scheduled_events_v1() IS 'Trigger: record when a job is scheduled for.';


--
-- Name: procrastinate_trigger_function_status_events_insert_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_trigger_function_status_events_insert_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    INSERT INTO procrastinate_events(job_id, type)
        VALUES (NEW.id, 'deferred'::procrastinate_job_event_type);
	RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_trigger_function_status_events_insert_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_trigger_function_status_events_insert_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_trigger_function_status_events_insert_v1() IS 'Trigger: record the deferred event of a new job.';


--
-- Name: procrastinate_trigger_function_status_events_update_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_trigger_function_status_events_update_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    WITH t AS (
        SELECT CASE
            WHEN OLD.status = 'todo'::procrastinate_job_status
                AND NEW.status = 'doing'::procrastinate_job_status
                THEN 'started'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'todo'::procrastinate_job_status
                THEN 'deferred_for_retry'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'failed'::procrastinate_job_status
                THEN 'failed'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'succeeded'::procrastinate_job_status
                THEN 'succeeded'::procrastinate_job_event_type
            WHEN OLD.status = 'todo'::procrastinate_job_status
                AND (
                    NEW.status = 'cancelled'::procrastinate_job_status
                    OR NEW.status = 'failed'::procrastinate_job_status
                    OR NEW.status = 'succeeded'::procrastinate_job_status
                )
                THEN 'cancelled'::procrastinate_job_event_type
            WHEN OLD.status = 'doing'::procrastinate_job_status
                AND NEW.status = 'aborted'::procrastinate_job_status
                THEN 'aborted'::procrastinate_job_event_type
            WHEN OLD.status = 'failed'::procrastinate_job_status
                AND NEW.status = 'todo'::procrastinate_job_status
                THEN 'retried'::procrastinate_job_event_type
            ELSE NULL
        END as event_type
    )
    INSERT INTO procrastinate_events(job_id, type)
        SELECT NEW.id, t.event_type
        FROM t
        WHERE t.event_type IS NOT NULL;
	RETURN NEW;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_trigger_function_status_events_update_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_trigger_function_status_events_update_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_trigger_function_status_events_update_v1() IS 'Trigger: record a job''s status change as an event (started, succeeded, failed, retried...).';


--
-- Name: procrastinate_unlink_periodic_defers_v1(); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_unlink_periodic_defers_v1() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    UPDATE procrastinate_periodic_defers
    SET job_id = NULL
    WHERE job_id = OLD.id;
    RETURN OLD;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_unlink_periodic_defers_v1() OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_unlink_periodic_defers_v1(); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_unlink_periodic_defers_v1() IS 'Trigger: a deleted job is unlinked from the periodic tick that enqueued it.';


--
-- Name: procrastinate_unregister_worker_v1(bigint); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_unregister_worker_v1(worker_id bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    DELETE FROM procrastinate_workers
    WHERE id = worker_id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_unregister_worker_v1(worker_id bigint) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_unregister_worker_v1(worker_id bigint); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_unregister_worker_v1(worker_id bigint) IS 'A stopping worker removes its row.';


--
-- Name: procrastinate_update_heartbeat_v1(bigint); Type: FUNCTION; Schema: crm_jobs; Owner: crm_owner
--

CREATE FUNCTION crm_jobs.procrastinate_update_heartbeat_v1(worker_id bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'crm_jobs'
    AS $$
BEGIN
    UPDATE procrastinate_workers
    SET last_heartbeat = NOW()
    WHERE id = worker_id;
END;
$$;


ALTER FUNCTION crm_jobs.procrastinate_update_heartbeat_v1(worker_id bigint) OWNER TO crm_owner;

--
-- Name: FUNCTION procrastinate_update_heartbeat_v1(worker_id bigint); Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON FUNCTION crm_jobs.procrastinate_update_heartbeat_v1(worker_id bigint) IS 'A worker''s heartbeat.';


--
-- Name: activities; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.activities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    type text NOT NULL,
    status text DEFAULT 'completed'::text NOT NULL,
    subject text,
    details text,
    date timestamp with time zone DEFAULT now() NOT NULL,
    amount numeric(14,2),
    quantity integer DEFAULT 1 NOT NULL,
    company_id uuid,
    contact_id uuid,
    deal_id uuid,
    sentiment_score numeric(3,2),
    engagement_quality text,
    outcome_prediction text,
    urgency_score numeric(3,2),
    activity_source text DEFAULT 'manual'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_activities_amount_non_negative CHECK ((amount >= (0)::numeric)),
    CONSTRAINT check_activities_details_length CHECK ((length(details) <= 20000)),
    CONSTRAINT check_activities_engagement_quality CHECK ((engagement_quality = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'excellent'::text]))),
    CONSTRAINT check_activities_outcome_prediction CHECK ((outcome_prediction = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'unclear'::text]))),
    CONSTRAINT check_activities_quantity_positive CHECK ((quantity >= 1)),
    CONSTRAINT check_activities_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_activities_source CHECK ((activity_source = ANY (ARRAY['manual'::text, 'email'::text, 'calendar'::text, 'crm'::text, 'integration'::text, 'import'::text]))),
    CONSTRAINT check_activities_status CHECK ((status = ANY (ARRAY['pending'::text, 'completed'::text, 'cancelled'::text, 'no_show'::text]))),
    CONSTRAINT check_activities_subject_length CHECK ((length(subject) <= 300)),
    CONSTRAINT check_activities_type CHECK ((type = ANY (ARRAY['outbound'::text, 'meeting'::text, 'proposal'::text, 'sale'::text, 'call'::text, 'email'::text, 'note'::text]))),
    CONSTRAINT check_activities_urgency_range CHECK (((urgency_score >= (0)::numeric) AND (urgency_score <= (1)::numeric)))
);

ALTER TABLE ONLY crm.activities FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.activities OWNER TO crm_owner;

--
-- Name: TABLE activities; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.activities IS 'Outbound, calls, emails, meetings held, proposals and sales; user_id is the owner. Sentiment and quality are computed.';


--
-- Name: companies; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.companies (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    domain text,
    industry text,
    size text,
    website text,
    address text,
    phone text,
    description text,
    owner_id uuid NOT NULL,
    industry_confidence_score numeric(3,2),
    annual_revenue bigint,
    employee_count integer,
    technology_stack text[] DEFAULT '{}'::text[] NOT NULL,
    engagement_score numeric(5,2) DEFAULT 0 NOT NULL,
    lead_score numeric(5,2) DEFAULT 0 NOT NULL,
    last_engagement_date timestamp with time zone,
    is_target_account boolean DEFAULT false NOT NULL,
    account_tier text DEFAULT 'smb'::text NOT NULL,
    social_media_urls jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_companies_account_tier CHECK ((account_tier = ANY (ARRAY['enterprise'::text, 'mid-market'::text, 'smb'::text, 'startup'::text]))),
    CONSTRAINT check_companies_annual_revenue_non_negative CHECK ((annual_revenue >= 0)),
    CONSTRAINT check_companies_domain_format CHECK (((domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'::text) AND (length(domain) <= 253))),
    CONSTRAINT check_companies_employee_count_non_negative CHECK ((employee_count >= 0)),
    CONSTRAINT check_companies_engagement_score_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_companies_industry_confidence_range CHECK (((industry_confidence_score >= (0)::numeric) AND (industry_confidence_score <= (1)::numeric))),
    CONSTRAINT check_companies_lead_score_range CHECK (((lead_score >= (0)::numeric) AND (lead_score <= (100)::numeric))),
    CONSTRAINT check_companies_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT check_companies_size CHECK ((size = ANY (ARRAY['startup'::text, 'small'::text, 'medium'::text, 'large'::text, 'enterprise'::text]))),
    CONSTRAINT check_companies_social_media_urls_object CHECK ((jsonb_typeof(social_media_urls) = 'object'::text)),
    CONSTRAINT check_companies_website_http CHECK (((website ~* '^https?://[^[:space:]]+$'::text) AND (length(website) <= 2048)))
);

ALTER TABLE ONLY crm.companies FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.companies OWNER TO crm_owner;

--
-- Name: TABLE companies; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.companies IS 'Accounts. domain is stored lower-case and unique; engagement_score and lead_score are computed.';


--
-- Name: contacts; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.contacts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    first_name text NOT NULL,
    last_name text DEFAULT ''::text NOT NULL,
    email text,
    phone text,
    title text,
    company_id uuid,
    owner_id uuid NOT NULL,
    job_seniority text,
    decision_maker_score numeric(3,2) DEFAULT 0 NOT NULL,
    engagement_score numeric(5,2) DEFAULT 0 NOT NULL,
    social_media_urls jsonb DEFAULT '{}'::jsonb NOT NULL,
    skills text[] DEFAULT '{}'::text[] NOT NULL,
    interaction_count integer DEFAULT 0 NOT NULL,
    last_interaction_date timestamp with time zone,
    preferred_contact_method text DEFAULT 'email'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_contacts_decision_maker_score_range CHECK (((decision_maker_score >= (0)::numeric) AND (decision_maker_score <= (1)::numeric))),
    CONSTRAINT check_contacts_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_contacts_engagement_score_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_contacts_first_name_not_blank CHECK (((btrim(first_name) <> ''::text) AND (length(first_name) <= 100))),
    CONSTRAINT check_contacts_interaction_count_non_negative CHECK ((interaction_count >= 0)),
    CONSTRAINT check_contacts_job_seniority CHECK ((job_seniority = ANY (ARRAY['entry'::text, 'mid'::text, 'senior'::text, 'executive'::text, 'c-level'::text]))),
    CONSTRAINT check_contacts_last_name_length CHECK ((length(last_name) <= 100)),
    CONSTRAINT check_contacts_preferred_contact_method CHECK ((preferred_contact_method = ANY (ARRAY['email'::text, 'phone'::text, 'linkedin'::text, 'text'::text]))),
    CONSTRAINT check_contacts_social_media_urls_object CHECK ((jsonb_typeof(social_media_urls) = 'object'::text))
);

ALTER TABLE ONLY crm.contacts FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.contacts OWNER TO crm_owner;

--
-- Name: TABLE contacts; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.contacts IS 'People at accounts. email is unique case-insensitively; engagement and decision-maker scores are computed.';


--
-- Name: deal_stages; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_stages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    color text DEFAULT '#64748b'::text NOT NULL,
    "position" integer NOT NULL,
    default_probability integer NOT NULL,
    is_won boolean DEFAULT false NOT NULL,
    is_lost boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    rotting_days integer,
    CONSTRAINT check_deal_stages_color_hex CHECK ((color ~ '^#[0-9a-fA-F]{6}$'::text)),
    CONSTRAINT check_deal_stages_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 60))),
    CONSTRAINT check_deal_stages_not_won_and_lost CHECK ((NOT (is_won AND is_lost))),
    CONSTRAINT check_deal_stages_probability_range CHECK (((default_probability >= 0) AND (default_probability <= 100))),
    CONSTRAINT check_deal_stages_rotting_days_range CHECK (((rotting_days IS NULL) OR ((rotting_days >= 1) AND (rotting_days <= 365))))
);

ALTER TABLE ONLY crm.deal_stages FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_stages OWNER TO crm_owner;

--
-- Name: TABLE deal_stages; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_stages IS 'Pipeline stages in board order; won/lost stages close a deal.';


--
-- Name: COLUMN deal_stages.rotting_days; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.deal_stages.rotting_days IS 'Days a deal may stay in this stage before cards and lists mark it stalled; null: never.';


--
-- Name: deals; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    value numeric(14,2) DEFAULT 0 NOT NULL,
    stage_id uuid NOT NULL,
    owner_id uuid NOT NULL,
    expected_close_date date,
    status text DEFAULT 'active'::text NOT NULL,
    closed_at timestamp with time zone,
    stage_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    company_id uuid,
    primary_contact_id uuid,
    deal_intelligence_score numeric(5,2) DEFAULT 0 NOT NULL,
    win_probability_ai numeric(3,2),
    risk_factors text[] DEFAULT '{}'::text[] NOT NULL,
    opportunity_score numeric(5,2) DEFAULT 0 NOT NULL,
    competitor_analysis jsonb DEFAULT '{}'::jsonb NOT NULL,
    stakeholder_mapping jsonb DEFAULT '{}'::jsonb NOT NULL,
    technical_fit_score numeric(3,2),
    budget_confirmed boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    lost_reason_id uuid,
    forecast_category text DEFAULT 'pipeline'::text NOT NULL,
    CONSTRAINT check_deals_closed_at_matches_status CHECK (((status = 'active'::text) = (closed_at IS NULL))),
    CONSTRAINT check_deals_competitor_analysis_object CHECK ((jsonb_typeof(competitor_analysis) = 'object'::text)),
    CONSTRAINT check_deals_forecast_category CHECK ((forecast_category = ANY (ARRAY['pipeline'::text, 'best_case'::text, 'commit'::text]))),
    CONSTRAINT check_deals_intelligence_score_range CHECK (((deal_intelligence_score >= (0)::numeric) AND (deal_intelligence_score <= (100)::numeric))),
    CONSTRAINT check_deals_lost_has_reason CHECK (((status = 'lost'::text) = (lost_reason_id IS NOT NULL))),
    CONSTRAINT check_deals_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT check_deals_opportunity_score_range CHECK (((opportunity_score >= (0)::numeric) AND (opportunity_score <= (100)::numeric))),
    CONSTRAINT check_deals_stakeholder_mapping_object CHECK ((jsonb_typeof(stakeholder_mapping) = 'object'::text)),
    CONSTRAINT check_deals_status CHECK ((status = ANY (ARRAY['active'::text, 'won'::text, 'lost'::text]))),
    CONSTRAINT check_deals_technical_fit_range CHECK (((technical_fit_score >= (0)::numeric) AND (technical_fit_score <= (1)::numeric))),
    CONSTRAINT check_deals_value_non_negative CHECK ((value >= (0)::numeric)),
    CONSTRAINT check_deals_win_probability_range CHECK (((win_probability_ai >= (0)::numeric) AND (win_probability_ai <= (1)::numeric)))
)
WITH (fillfactor='70');

ALTER TABLE ONLY crm.deals FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deals OWNER TO crm_owner;

--
-- Name: TABLE deals; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deals IS 'Opportunities. status and closed_at follow the stage (trigger); scores and risk_factors are computed.';


--
-- Name: COLUMN deals.stakeholder_mapping; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.deals.stakeholder_mapping IS 'Validated JSON of "reports to" links between the deal''s stakeholders, saved with the stakeholder map.';


--
-- Name: COLUMN deals.lost_reason_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.deals.lost_reason_id IS 'Why the deal was lost (crm.lost_reasons); set exactly while the deal is lost.';


--
-- Name: COLUMN deals.forecast_category; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.deals.forecast_category IS 'The owner''s forecast category while the deal is open: pipeline, best_case or commit. Closed won / closed lost follow the status and are not stored.';


--
-- Name: teams; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.teams (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    description text,
    manager_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_teams_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 120)))
);

ALTER TABLE ONLY crm.teams FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.teams OWNER TO crm_owner;

--
-- Name: TABLE teams; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.teams IS 'Sales teams; a manager reads the rows of the team members.';


--
-- Name: users; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    email text NOT NULL,
    full_name text NOT NULL,
    password_hash text,
    role text DEFAULT 'rep'::text NOT NULL,
    team_id uuid,
    manager_id uuid,
    is_active boolean DEFAULT true NOT NULL,
    ai_features boolean DEFAULT false NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    failures_cleared_at timestamp with time zone,
    time_zone text,
    CONSTRAINT check_users_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_users_full_name_not_blank CHECK (((btrim(full_name) <> ''::text) AND (length(full_name) <= 200))),
    CONSTRAINT check_users_not_own_manager CHECK ((manager_id IS DISTINCT FROM id)),
    CONSTRAINT check_users_role CHECK ((role = ANY (ARRAY['rep'::text, 'manager'::text, 'admin'::text])))
);

ALTER TABLE ONLY crm.users FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.users OWNER TO crm_owner;

--
-- Name: TABLE users; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.users IS 'People who log in: reps, managers and admins. password_hash is a verifier (see its column comment); null means no password login.';


--
-- Name: COLUMN users.password_hash; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.users.password_hash IS 'Password verifier: $argon2id$v=..$m=..,t=..,p=..$<salt>$sha256:<hex of sha256(full argon2id encoding)>; null: no password login. Written only by definer functions.';


--
-- Name: COLUMN users.failures_cleared_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.users.failures_cleared_at IS 'When an admin last unlocked the account: failed logins before it no longer count.';


--
-- Name: COLUMN users.time_zone; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.users.time_zone IS 'The user''s IANA time zone (pg_timezone_names); null: not chosen yet, UTC.';


--
-- Name: activities_with_complete_data; Type: VIEW; Schema: crm; Owner: crm_owner
--

CREATE VIEW crm.activities_with_complete_data WITH (security_invoker='true') AS
 SELECT a.id,
    a.user_id,
    a.type,
    a.status,
    a.subject,
    a.details,
    a.date,
    a.amount,
    a.quantity,
    a.company_id,
    a.contact_id,
    a.deal_id,
    a.sentiment_score,
    a.engagement_quality,
    a.outcome_prediction,
    a.urgency_score,
    a.activity_source,
    a.created_at,
    a.updated_at,
    a.version,
    u.full_name AS user_full_name,
    u.email AS user_email,
    COALESCE(a.company_id, d.company_id) AS resolved_company_id,
    c.name AS company_name,
    c.domain AS company_domain,
    COALESCE(a.contact_id, d.primary_contact_id) AS resolved_contact_id,
    NULLIF(btrim(((p.first_name || ' '::text) || p.last_name)), ''::text) AS contact_full_name,
    p.email AS contact_email,
    d.name AS deal_name,
    d.value AS deal_value,
    s.name AS deal_stage_name,
    tm.name AS team_name
   FROM ((((((crm.activities a
     LEFT JOIN crm.users u ON ((u.id = a.user_id)))
     LEFT JOIN crm.teams tm ON ((tm.id = u.team_id)))
     LEFT JOIN crm.deals d ON ((d.id = a.deal_id)))
     LEFT JOIN crm.deal_stages s ON ((s.id = d.stage_id)))
     LEFT JOIN crm.companies c ON ((c.id = COALESCE(a.company_id, d.company_id))))
     LEFT JOIN crm.contacts p ON ((p.id = COALESCE(a.contact_id, d.primary_contact_id))));


ALTER VIEW crm.activities_with_complete_data OWNER TO crm_owner;

--
-- Name: VIEW activities_with_complete_data; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON VIEW crm.activities_with_complete_data IS 'Activities with user, team, deal and stage; company and contact resolved from the activity, else from its deal. One row per activity (to-one joins only). security_invoker.';


--
-- Name: activity_daily_companies; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.activity_daily_companies (
    user_id uuid NOT NULL,
    day date NOT NULL,
    company_id uuid NOT NULL,
    activities integer NOT NULL,
    CONSTRAINT check_activity_daily_companies_activities_positive CHECK ((activities > 0))
);

ALTER TABLE ONLY crm.activity_daily_companies FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.activity_daily_companies OWNER TO crm_owner;

--
-- Name: TABLE activity_daily_companies; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.activity_daily_companies IS 'Per user, UTC day and company: activities linked to the company (any status). Kept by triggers on crm.activities.';


--
-- Name: activity_daily_totals; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.activity_daily_totals (
    user_id uuid NOT NULL,
    day date NOT NULL,
    type text NOT NULL,
    activities integer NOT NULL,
    counted_quantity bigint NOT NULL,
    counted_amount numeric(16,2) NOT NULL,
    completed integer DEFAULT 0 NOT NULL,
    CONSTRAINT check_activity_daily_totals_activities_positive CHECK ((activities > 0)),
    CONSTRAINT check_activity_daily_totals_amount_non_negative CHECK ((counted_amount >= (0)::numeric)),
    CONSTRAINT check_activity_daily_totals_completed_range CHECK (((completed >= 0) AND (completed <= activities))),
    CONSTRAINT check_activity_daily_totals_quantity_non_negative CHECK ((counted_quantity >= 0))
);

ALTER TABLE ONLY crm.activity_daily_totals FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.activity_daily_totals OWNER TO crm_owner;

--
-- Name: TABLE activity_daily_totals; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.activity_daily_totals IS 'Per user, UTC day and activity type: activities of any status; completed ones, and the sum(quantity) and sum(amount) of those completed (what the dashboards count as done). Kept by triggers on crm.activities.';


--
-- Name: activity_meetings; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.activity_meetings (
    activity_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY crm.activity_meetings FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.activity_meetings OWNER TO crm_owner;

--
-- Name: TABLE activity_meetings; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.activity_meetings IS 'Activities that came from a meeting (its follow-up, the meeting activity itself).';


--
-- Name: api_idempotency_keys; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.api_idempotency_keys (
    token_id uuid NOT NULL,
    key text NOT NULL,
    user_id uuid NOT NULL,
    request_hash bytea NOT NULL,
    status integer NOT NULL,
    body jsonb NOT NULL,
    location text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_api_idempotency_keys_key_length CHECK (((char_length(key) >= 1) AND (char_length(key) <= 255))),
    CONSTRAINT check_api_idempotency_keys_request_hash_length CHECK ((length(request_hash) = 32)),
    CONSTRAINT check_api_idempotency_keys_status_range CHECK (((status >= 200) AND (status <= 599)))
);

ALTER TABLE ONLY crm.api_idempotency_keys FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.api_idempotency_keys OWNER TO crm_owner;

--
-- Name: TABLE api_idempotency_keys; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.api_idempotency_keys IS 'REST API: the first answer (status, body, Location) to a POST sent with an Idempotency-Key, per token; written in the same transaction as the change it answers; request_hash (sha256 of method, path and body) tells a repeat from a different request under the same key. Kept a day.';


--
-- Name: api_rate_windows; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.api_rate_windows (
    token_id uuid NOT NULL,
    window_start timestamp with time zone NOT NULL,
    requests integer DEFAULT 0 NOT NULL,
    CONSTRAINT check_api_rate_windows_requests_non_negative CHECK ((requests >= 0))
);

ALTER TABLE ONLY crm.api_rate_windows FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.api_rate_windows OWNER TO crm_owner;

--
-- Name: TABLE api_rate_windows; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.api_rate_windows IS 'REST API rate limiting: how many requests a token made in a fixed window starting at window_start (app.take_api_request counts them; older windows are deleted as new ones start).';


--
-- Name: api_tokens; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.api_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    scope text DEFAULT 'read'::text NOT NULL,
    token_hash bytea NOT NULL,
    prefix text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT check_api_tokens_expiry_after_creation CHECK (((expires_at IS NULL) OR (expires_at > created_at))),
    CONSTRAINT check_api_tokens_name_length CHECK (((char_length(btrim(name)) >= 1) AND (char_length(btrim(name)) <= 100))),
    CONSTRAINT check_api_tokens_prefix_length CHECK (((char_length(prefix) >= 8) AND (char_length(prefix) <= 16))),
    CONSTRAINT check_api_tokens_scope CHECK ((scope = ANY (ARRAY['read'::text, 'write'::text]))),
    CONSTRAINT check_api_tokens_token_hash_length CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY crm.api_tokens FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.api_tokens OWNER TO crm_owner;

--
-- Name: TABLE api_tokens; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.api_tokens IS 'Personal access tokens of the REST API: a user''s named, scoped (read or write), revocable bearer tokens. Only the sha256 of a token is kept (token_hash, unreadable by crm_app); prefix is its first characters, to recognise it in a list.';


--
-- Name: audit_log; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.audit_log (
    id bigint NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id uuid,
    table_name text NOT NULL,
    row_id uuid,
    action text NOT NULL,
    changed_columns text[] DEFAULT '{}'::text[] NOT NULL,
    old_values jsonb,
    new_values jsonb,
    transaction_id xid8 DEFAULT pg_current_xact_id(),
    CONSTRAINT check_audit_log_action CHECK ((action = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text])))
);

ALTER TABLE ONLY crm.audit_log FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.audit_log OWNER TO crm_owner;

--
-- Name: TABLE audit_log; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.audit_log IS 'Append-only change log written by app.audit_row_change(); actor_id is app.user_id at the time (no foreign key: users may be deleted).';


--
-- Name: COLUMN audit_log.transaction_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.audit_log.transaction_id IS 'The top-level transaction that wrote the row (null for rows written before 20261207000300).';


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: backups; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.backups (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    trigger text NOT NULL,
    status text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone DEFAULT now() NOT NULL,
    location text NOT NULL,
    size_bytes bigint,
    schema_version text,
    sha256 text,
    error text,
    CONSTRAINT check_backups_failure_says_why CHECK (((status = 'failed'::text) = (error IS NOT NULL))),
    CONSTRAINT check_backups_finished_after_start CHECK ((finished_at >= started_at)),
    CONSTRAINT check_backups_kind CHECK ((kind = ANY (ARRAY['archive'::text, 'base'::text]))),
    CONSTRAINT check_backups_size CHECK (((size_bytes IS NULL) OR (size_bytes >= 0))),
    CONSTRAINT check_backups_status CHECK ((status = ANY (ARRAY['succeeded'::text, 'failed'::text]))),
    CONSTRAINT check_backups_trigger CHECK ((trigger = ANY (ARRAY['command'::text, 'schedule'::text, 'admin'::text])))
);

ALTER TABLE ONLY crm.backups FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.backups OWNER TO crm_owner;

--
-- Name: TABLE backups; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.backups IS 'Each backup taken (crm db backup, the scheduled backup job, the admin page''s "Back up now"): an archive (pg_dump, with its manifest beside it) or a base backup of the embedded server; where it was written, its size and sha256, the schema version it holds, or why it failed. Shown on /admin/backups; the files themselves are in CRM_BACKUP_DIR (docs/operations.md).';


--
-- Name: calendar_conflicts; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.calendar_conflicts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    meeting_id uuid,
    uid text NOT NULL,
    kept text NOT NULL,
    calendar_changed_at timestamp with time zone,
    crm_changed_at timestamp with time zone,
    details text NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_calendar_conflicts_details_length CHECK ((length(details) <= 2000)),
    CONSTRAINT check_calendar_conflicts_kept CHECK ((kept = ANY (ARRAY['calendar'::text, 'crm'::text])))
);

ALTER TABLE ONLY crm.calendar_conflicts FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.calendar_conflicts OWNER TO crm_owner;

--
-- Name: TABLE calendar_conflicts; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.calendar_conflicts IS 'An event changed both in the calendar and in the CRM since the last sync: which side was kept (the newer change), when each changed, and what differed. Shown on /account/calendar.';


--
-- Name: calendar_connections; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.calendar_connections (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    caldav_url text NOT NULL,
    username text NOT NULL,
    password_encrypted bytea NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    status_message text,
    failures integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_attempt_at timestamp with time zone,
    last_success_at timestamp with time zone,
    sync_token text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_calendar_connections_failures_non_negative CHECK ((failures >= 0)),
    CONSTRAINT check_calendar_connections_status CHECK ((status = ANY (ARRAY['pending'::text, 'ok'::text, 'auth_failed'::text, 'unreachable'::text, 'error'::text]))),
    CONSTRAINT check_calendar_connections_status_message_length CHECK ((length(status_message) <= 1000)),
    CONSTRAINT check_calendar_connections_url CHECK (((caldav_url ~ '^https?://[^/@\s]+'::text) AND (length(caldav_url) <= 2000))),
    CONSTRAINT check_calendar_connections_username CHECK (((btrim(username) <> ''::text) AND (length(username) <= 320)))
);

ALTER TABLE ONLY crm.calendar_connections FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.calendar_connections OWNER TO crm_owner;

--
-- Name: TABLE calendar_connections; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.calendar_connections IS 'A user''s connected CalDAV calendar (one per user): URL, user name, the password encrypted (crm_app may write it but never select it), the sync status shown on /account/calendar, the retry schedule (failures, next_attempt_at: exponential backoff) and the server''s sync token.';


--
-- Name: COLUMN calendar_connections.caldav_url; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_connections.caldav_url IS 'The calendar collection''s URL (http or https; no password in it).';


--
-- Name: COLUMN calendar_connections.password_encrypted; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_connections.password_encrypted IS 'The password sealed by dashboard/credentials.py (AES-GCM, key derived from the secret key, purpose calendar); only the job worker decrypts it.';


--
-- Name: COLUMN calendar_connections.status; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_connections.status IS 'pending (never synced), ok, auth_failed (wrong user name or password), unreachable (no answer), error (anything else); status_message says more.';


--
-- Name: COLUMN calendar_connections.next_attempt_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_connections.next_attempt_at IS 'When the periodic dispatcher next syncs it: after a success the sync interval, after failures an exponential backoff.';


--
-- Name: COLUMN calendar_connections.sync_token; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_connections.sync_token IS 'The server''s sync token after the last sync (RFC 6578): the next sync asks only for what changed since.';


--
-- Name: calendar_events; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.calendar_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    uid text NOT NULL,
    occurrence text DEFAULT ''::text NOT NULL,
    href text NOT NULL,
    etag text,
    meeting_id uuid,
    meeting_version integer,
    remote_modified timestamp with time zone,
    origin text NOT NULL,
    cancelled boolean DEFAULT false NOT NULL,
    synced_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_calendar_events_origin CHECK ((origin = ANY (ARRAY['calendar'::text, 'crm'::text]))),
    CONSTRAINT check_calendar_events_uid_length CHECK (((length(uid) >= 1) AND (length(uid) <= 1000)))
);

ALTER TABLE ONLY crm.calendar_events FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.calendar_events OWNER TO crm_owner;

--
-- Name: TABLE calendar_events; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.calendar_events IS 'One row per synced calendar event occurrence: its UID and occurrence key (empty for a single event; the original start in UTC for an occurrence of a recurring one), the object''s href and etag, the meeting it is linked to and that meeting''s version at the last sync (a higher version: changed in the CRM since), the event''s last modification, where it came from (calendar or crm) and whether it is cancelled.';


--
-- Name: COLUMN calendar_events.occurrence; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_events.occurrence IS 'Empty for a single event; for an occurrence of a recurring event its RECURRENCE-ID in UTC (ISO 8601): stable while the occurrence is moved.';


--
-- Name: COLUMN calendar_events.meeting_version; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_events.meeting_version IS 'crm.meetings.version when the meeting and the event last agreed.';


--
-- Name: calendar_feeds; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.calendar_feeds (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT check_calendar_feeds_revoked_after_creation CHECK (((revoked_at IS NULL) OR (revoked_at >= created_at))),
    CONSTRAINT check_calendar_feeds_token_hash_length CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY crm.calendar_feeds FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.calendar_feeds OWNER TO crm_owner;

--
-- Name: TABLE calendar_feeds; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.calendar_feeds IS 'Private ICS feed tokens (sha256 only), one live per user: /calendar/<token>.ics lists the user''s meetings and task due dates. Written only by definer functions (app.issue_calendar_feed, app.revoke_calendar_feed, app.open_calendar_feed); crm_app reads its own rows without the hash.';


--
-- Name: COLUMN calendar_feeds.token_hash; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_feeds.token_hash IS 'sha256 of the feed token (app.token_hash); the token is shown once, when issued.';


--
-- Name: COLUMN calendar_feeds.last_used_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_feeds.last_used_at IS 'When a calendar app last read the feed.';


--
-- Name: COLUMN calendar_feeds.revoked_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.calendar_feeds.revoked_at IS 'When the feed was revoked or replaced; its URL then answers 404.';


--
-- Name: company_activities; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.company_activities (
    company_id uuid NOT NULL,
    activity_id uuid NOT NULL,
    relationship_strength numeric(3,2) DEFAULT 1 NOT NULL,
    link_source text DEFAULT 'direct'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_company_activities_link_source CHECK ((link_source = ANY (ARRAY['direct'::text, 'contact'::text, 'deal'::text, 'email_domain'::text, 'name_match'::text, 'fuzzy_match'::text, 'manual'::text, 'legacy'::text]))),
    CONSTRAINT check_company_activities_strength_range CHECK (((relationship_strength >= (0)::numeric) AND (relationship_strength <= (1)::numeric)))
);

ALTER TABLE ONLY crm.company_activities FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.company_activities OWNER TO crm_owner;

--
-- Name: TABLE company_activities; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.company_activities IS 'Activities that concern a company, directly or through its contact or deal; strength weights engagement.';


--
-- Name: meetings; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.meetings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone,
    owner_id uuid NOT NULL,
    company_id uuid,
    primary_contact_id uuid,
    primary_deal_id uuid,
    summary text,
    sentiment_score numeric(3,2),
    meeting_type text DEFAULT 'other'::text NOT NULL,
    meeting_outcome text DEFAULT 'pending'::text NOT NULL,
    meeting_quality_score numeric(3,2),
    follow_up_required boolean DEFAULT false NOT NULL,
    follow_up_created boolean DEFAULT false NOT NULL,
    next_steps text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meetings_ends_after_starts CHECK ((ends_at >= starts_at)),
    CONSTRAINT check_meetings_outcome CHECK ((meeting_outcome = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'no_show'::text, 'reschedule'::text, 'cancelled'::text, 'pending'::text]))),
    CONSTRAINT check_meetings_quality_range CHECK (((meeting_quality_score >= (0)::numeric) AND (meeting_quality_score <= (1)::numeric))),
    CONSTRAINT check_meetings_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_meetings_summary_length CHECK ((length(summary) <= 20000)),
    CONSTRAINT check_meetings_title_not_blank CHECK (((btrim(title) <> ''::text) AND (length(title) <= 300))),
    CONSTRAINT check_meetings_type CHECK ((meeting_type = ANY (ARRAY['discovery'::text, 'demo'::text, 'proposal_presentation'::text, 'negotiation'::text, 'closing'::text, 'check_in'::text, 'technical_review'::text, 'stakeholder_alignment'::text, 'decision_maker_meeting'::text, 'other'::text])))
);

ALTER TABLE ONLY crm.meetings FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.meetings OWNER TO crm_owner;

--
-- Name: TABLE meetings; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.meetings IS 'Customer meetings with type, outcome and summary; recording an outcome triggers the follow-up activity and task once.';


--
-- Name: companies_with_intelligence; Type: VIEW; Schema: crm; Owner: crm_owner
--

CREATE VIEW crm.companies_with_intelligence WITH (security_invoker='true') AS
 SELECT c.id,
    c.name,
    c.domain,
    c.industry,
    c.size,
    c.website,
    c.address,
    c.phone,
    c.description,
    c.owner_id,
    c.industry_confidence_score,
    c.annual_revenue,
    c.employee_count,
    c.technology_stack,
    c.engagement_score,
    c.lead_score,
    c.last_engagement_date,
    c.is_target_account,
    c.account_tier,
    c.social_media_urls,
    c.created_at,
    c.updated_at,
    c.version,
    COALESCE(act.total_activities, (0)::bigint) AS total_activities,
    act.last_activity_date,
    act.avg_sentiment_score,
    COALESCE(dl.total_deals, (0)::bigint) AS total_deals,
    COALESCE(dl.active_deals, (0)::bigint) AS active_deals,
    COALESCE(dl.total_deal_value, (0)::numeric) AS total_deal_value,
    COALESCE(dl.active_deal_value, (0)::numeric) AS active_deal_value,
    dl.avg_win_probability,
    COALESCE(ct.total_contacts, (0)::bigint) AS total_contacts,
    COALESCE(ct.decision_makers_count, (0)::bigint) AS decision_makers_count,
    COALESCE(mt.total_meetings, (0)::bigint) AS total_meetings,
    mt.avg_meeting_sentiment
   FROM ((((crm.companies c
     LEFT JOIN LATERAL ( SELECT count(*) AS total_activities,
            max(a.date) AS last_activity_date,
            round(avg(a.sentiment_score), 2) AS avg_sentiment_score
           FROM crm.activities a
          WHERE (a.id IN ( SELECT x.id
                   FROM crm.activities x
                  WHERE (x.company_id = c.id)
                UNION
                 SELECT ca.activity_id
                   FROM crm.company_activities ca
                  WHERE (ca.company_id = c.id)))) act ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS total_deals,
            count(*) FILTER (WHERE (d.status = 'active'::text)) AS active_deals,
            sum(d.value) AS total_deal_value,
            sum(d.value) FILTER (WHERE (d.status = 'active'::text)) AS active_deal_value,
            round(avg(d.win_probability_ai), 2) AS avg_win_probability
           FROM crm.deals d
          WHERE (d.company_id = c.id)) dl ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS total_contacts,
            count(*) FILTER (WHERE (p.decision_maker_score > crm.threshold('decision_maker_score'::text))) AS decision_makers_count
           FROM crm.contacts p
          WHERE (p.company_id = c.id)) ct ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS total_meetings,
            round(avg(m.sentiment_score), 2) AS avg_meeting_sentiment
           FROM crm.meetings m
          WHERE (m.company_id = c.id)) mt ON (true));


ALTER VIEW crm.companies_with_intelligence OWNER TO crm_owner;

--
-- Name: VIEW companies_with_intelligence; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON VIEW crm.companies_with_intelligence IS 'Companies with activity, deal, contact and meeting aggregates, each aggregated on its own (no fan-out). security_invoker.';


--
-- Name: company_score_history; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.company_score_history (
    company_id uuid NOT NULL,
    day date NOT NULL,
    engagement_score numeric(5,2) NOT NULL,
    lead_score numeric(5,2) NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_company_score_history_engagement_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (100)::numeric))),
    CONSTRAINT check_company_score_history_lead_range CHECK (((lead_score >= (0)::numeric) AND (lead_score <= (100)::numeric)))
);

ALTER TABLE ONLY crm.company_score_history FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.company_score_history OWNER TO crm_owner;

--
-- Name: TABLE company_score_history; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.company_score_history IS 'One row per company per day (upserted by every rescoring that day): the engagement trend.';


--
-- Name: contact_interactions; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.contact_interactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contact_id uuid NOT NULL,
    user_id uuid NOT NULL,
    activity_id uuid,
    meeting_id uuid,
    interaction_type text NOT NULL,
    direction text DEFAULT 'outbound'::text NOT NULL,
    engagement_score numeric(3,2),
    sentiment_score numeric(3,2),
    interaction_date timestamp with time zone NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_contact_interactions_direction CHECK ((direction = ANY (ARRAY['inbound'::text, 'outbound'::text]))),
    CONSTRAINT check_contact_interactions_engagement_range CHECK (((engagement_score >= (0)::numeric) AND (engagement_score <= (1)::numeric))),
    CONSTRAINT check_contact_interactions_notes_length CHECK ((length(notes) <= 20000)),
    CONSTRAINT check_contact_interactions_sentiment_range CHECK (((sentiment_score >= ('-1'::integer)::numeric) AND (sentiment_score <= (1)::numeric))),
    CONSTRAINT check_contact_interactions_type CHECK ((interaction_type = ANY (ARRAY['email'::text, 'call'::text, 'meeting'::text, 'social'::text, 'text'::text, 'other'::text])))
);

ALTER TABLE ONLY crm.contact_interactions FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.contact_interactions OWNER TO crm_owner;

--
-- Name: TABLE contact_interactions; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.contact_interactions IS 'Touches with a contact (from activities, meetings or logged directly); feeds contact engagement.';


--
-- Name: deal_meetings; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_meetings (
    deal_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    impact_score numeric(5,2),
    outcome text,
    stage_progression_expected boolean DEFAULT false NOT NULL,
    stakeholders_present integer DEFAULT 0 NOT NULL,
    link_source text DEFAULT 'direct'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_deal_meetings_impact_range CHECK (((impact_score >= (0)::numeric) AND (impact_score <= (100)::numeric))),
    CONSTRAINT check_deal_meetings_link_source CHECK ((link_source = ANY (ARRAY['direct'::text, 'primary_deal'::text, 'inferred'::text, 'manual'::text, 'legacy'::text]))),
    CONSTRAINT check_deal_meetings_outcome CHECK ((outcome = ANY (ARRAY['positive'::text, 'neutral'::text, 'negative'::text, 'no_show'::text, 'reschedule'::text, 'cancelled'::text, 'pending'::text]))),
    CONSTRAINT check_deal_meetings_stakeholders_non_negative CHECK ((stakeholders_present >= 0))
);

ALTER TABLE ONLY crm.deal_meetings FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_meetings OWNER TO crm_owner;

--
-- Name: TABLE deal_meetings; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_meetings IS 'Meetings that moved a deal, with their impact and outcome.';


--
-- Name: meeting_action_items; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.meeting_action_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    meeting_id uuid NOT NULL,
    description text NOT NULL,
    assignee_id uuid,
    priority text DEFAULT 'medium'::text NOT NULL,
    deadline date,
    is_done boolean DEFAULT false NOT NULL,
    task_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meeting_action_items_description_not_blank CHECK (((btrim(description) <> ''::text) AND (length(description) <= 2000))),
    CONSTRAINT check_meeting_action_items_priority CHECK ((priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text])))
);

ALTER TABLE ONLY crm.meeting_action_items FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.meeting_action_items OWNER TO crm_owner;

--
-- Name: TABLE meeting_action_items; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.meeting_action_items IS 'Action items agreed in a meeting; task_id links the task created from one.';


--
-- Name: deal_meeting_analytics; Type: VIEW; Schema: crm; Owner: crm_owner
--

CREATE VIEW crm.deal_meeting_analytics WITH (security_invoker='true') AS
 SELECT d.id AS deal_id,
    d.name AS deal_name,
    d.owner_id,
    d.status,
    s.name AS stage_name,
    COALESCE(mt.meetings_total, (0)::bigint) AS meetings_total,
    COALESCE(mt.meetings_positive, (0)::bigint) AS meetings_positive,
    COALESCE(mt.meetings_negative, (0)::bigint) AS meetings_negative,
    COALESCE(mt.meetings_progressed_stage, (0)::bigint) AS meetings_progressed_stage,
    mt.avg_impact_score,
    mt.max_impact_score,
    mt.first_meeting_at,
    mt.latest_meeting_at,
        CASE
            WHEN (mt.meetings_total > 1) THEN round(((EXTRACT(epoch FROM (mt.latest_meeting_at - mt.first_meeting_at)) / 86400.0) / ((mt.meetings_total - 1))::numeric), 1)
            ELSE NULL::numeric
        END AS avg_days_between_meetings,
    COALESCE(ai.action_items_total, (0)::bigint) AS action_items_total,
    COALESCE(ai.action_items_completed, (0)::bigint) AS action_items_completed,
        CASE
            WHEN (ai.action_items_total > 0) THEN round(((100.0 * (ai.action_items_completed)::numeric) / (ai.action_items_total)::numeric), 1)
            ELSE NULL::numeric
        END AS action_item_completion_pct
   FROM (((crm.deals d
     JOIN crm.deal_stages s ON ((s.id = d.stage_id)))
     LEFT JOIN LATERAL ( SELECT count(*) AS meetings_total,
            count(*) FILTER (WHERE (COALESCE(dm.outcome, m.meeting_outcome) = 'positive'::text)) AS meetings_positive,
            count(*) FILTER (WHERE (COALESCE(dm.outcome, m.meeting_outcome) = 'negative'::text)) AS meetings_negative,
            count(*) FILTER (WHERE dm.stage_progression_expected) AS meetings_progressed_stage,
            round(avg(dm.impact_score), 2) AS avg_impact_score,
            max(dm.impact_score) AS max_impact_score,
            min(m.starts_at) AS first_meeting_at,
            max(m.starts_at) AS latest_meeting_at
           FROM (crm.deal_meetings dm
             JOIN crm.meetings m ON ((m.id = dm.meeting_id)))
          WHERE (dm.deal_id = d.id)) mt ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS action_items_total,
            count(*) FILTER (WHERE i.is_done) AS action_items_completed
           FROM crm.meeting_action_items i
          WHERE (i.meeting_id IN ( SELECT dm.meeting_id
                   FROM crm.deal_meetings dm
                  WHERE (dm.deal_id = d.id)))) ai ON (true));


ALTER VIEW crm.deal_meeting_analytics OWNER TO crm_owner;

--
-- Name: VIEW deal_meeting_analytics; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON VIEW crm.deal_meeting_analytics IS 'Per deal: its meetings (total, positive, negative, progressed stage, impact, first/latest, mean gap in days) and their action items (total, completed, completion %). security_invoker.';


--
-- Name: deal_score_history; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_score_history (
    deal_id uuid NOT NULL,
    day date NOT NULL,
    deal_intelligence_score numeric(5,2) NOT NULL,
    win_probability_ai numeric(3,2),
    risk_factor_count integer DEFAULT 0 NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_deal_score_history_intelligence_range CHECK (((deal_intelligence_score >= (0)::numeric) AND (deal_intelligence_score <= (100)::numeric))),
    CONSTRAINT check_deal_score_history_risk_count CHECK ((risk_factor_count >= 0)),
    CONSTRAINT check_deal_score_history_win_probability_range CHECK (((win_probability_ai >= (0)::numeric) AND (win_probability_ai <= (1)::numeric)))
);

ALTER TABLE ONLY crm.deal_score_history FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_score_history OWNER TO crm_owner;

--
-- Name: TABLE deal_score_history; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_score_history IS 'One row per deal per day (upserted by every rescoring that day): the deal-score trend.';


--
-- Name: deal_stage_history; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_stage_history (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    from_stage_id uuid,
    to_stage_id uuid,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    changed_by uuid,
    CONSTRAINT check_deal_stage_history_stage_changes CHECK (((from_stage_id IS DISTINCT FROM to_stage_id) OR (to_stage_id IS NULL)))
);

ALTER TABLE ONLY crm.deal_stage_history FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_stage_history OWNER TO crm_owner;

--
-- Name: TABLE deal_stage_history; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_stage_history IS 'One row per stage a deal entered (from_stage_id null for the first); feeds days-in-stage, funnel conversion and the win model.';


--
-- Name: COLUMN deal_stage_history.to_stage_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.deal_stage_history.to_stage_id IS 'The stage entered; null once that stage was removed.';


--
-- Name: deal_stakeholders; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_stakeholders (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    role text DEFAULT 'other'::text NOT NULL,
    influence_level text DEFAULT 'medium'::text NOT NULL,
    relationship_strength numeric(3,2),
    is_champion boolean DEFAULT false NOT NULL,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_deal_stakeholders_influence CHECK ((influence_level = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'critical'::text]))),
    CONSTRAINT check_deal_stakeholders_notes_length CHECK ((length(notes) <= 5000)),
    CONSTRAINT check_deal_stakeholders_role CHECK ((role = ANY (ARRAY['decision_maker'::text, 'influencer'::text, 'champion'::text, 'gatekeeper'::text, 'technical_evaluator'::text, 'budget_holder'::text, 'end_user'::text, 'procurement'::text, 'legal'::text, 'other'::text]))),
    CONSTRAINT check_deal_stakeholders_strength_range CHECK (((relationship_strength >= (0)::numeric) AND (relationship_strength <= (1)::numeric)))
);

ALTER TABLE ONLY crm.deal_stakeholders FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_stakeholders OWNER TO crm_owner;

--
-- Name: TABLE deal_stakeholders; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_stakeholders IS 'The buying committee of a deal: role, influence, relationship strength, champion.';


--
-- Name: deal_totals; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.deal_totals (
    owner_id uuid NOT NULL,
    stage_id uuid NOT NULL,
    status text NOT NULL,
    deals integer NOT NULL,
    value numeric(16,2) NOT NULL,
    high_probability integer NOT NULL,
    top_opportunities integer NOT NULL,
    CONSTRAINT check_deal_totals_counts_in_range CHECK ((((high_probability >= 0) AND (high_probability <= deals)) AND ((top_opportunities >= 0) AND (top_opportunities <= deals)))),
    CONSTRAINT check_deal_totals_deals_positive CHECK ((deals > 0)),
    CONSTRAINT check_deal_totals_value_non_negative CHECK ((value >= (0)::numeric))
);

ALTER TABLE ONLY crm.deal_totals FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.deal_totals OWNER TO crm_owner;

--
-- Name: TABLE deal_totals; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.deal_totals IS 'Per owner, stage and status: deals, sum(value), those with win_probability_ai > 0.7 and with deal_intelligence_score > 75. Kept by triggers on crm.deals.';


--
-- Name: tasks; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    description text,
    due_date timestamp with time zone,
    status text DEFAULT 'pending'::text NOT NULL,
    priority text DEFAULT 'medium'::text NOT NULL,
    task_type text DEFAULT 'general'::text NOT NULL,
    assigned_to uuid NOT NULL,
    created_by uuid DEFAULT app.current_user_id(),
    deal_id uuid,
    company_id uuid,
    contact_id uuid,
    meeting_id uuid,
    parent_task_id uuid,
    sequence_order integer DEFAULT 0 NOT NULL,
    depth integer DEFAULT 1 NOT NULL,
    auto_generated boolean DEFAULT false NOT NULL,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_tasks_completed_at_matches_status CHECK (((status = 'completed'::text) = (completed_at IS NOT NULL))),
    CONSTRAINT check_tasks_depth_range CHECK (((depth >= 1) AND (depth <= 5))),
    CONSTRAINT check_tasks_description_length CHECK ((length(description) <= 20000)),
    CONSTRAINT check_tasks_not_own_parent CHECK ((parent_task_id IS DISTINCT FROM id)),
    CONSTRAINT check_tasks_priority CHECK ((priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text]))),
    CONSTRAINT check_tasks_sequence_order_non_negative CHECK ((sequence_order >= 0)),
    CONSTRAINT check_tasks_status CHECK ((status = ANY (ARRAY['pending'::text, 'in_progress'::text, 'completed'::text, 'cancelled'::text]))),
    CONSTRAINT check_tasks_title_not_blank CHECK (((btrim(title) <> ''::text) AND (length(title) <= 300))),
    CONSTRAINT check_tasks_type CHECK ((task_type = ANY (ARRAY['call'::text, 'email'::text, 'meeting'::text, 'follow_up'::text, 'proposal'::text, 'demo'::text, 'general'::text])))
);

ALTER TABLE ONLY crm.tasks FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.tasks OWNER TO crm_owner;

--
-- Name: TABLE tasks; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.tasks IS 'To-dos with subtasks: depth 1 is a top-level task, at most 5 levels, no cycles (trigger).';


--
-- Name: deals_with_complete_relationships; Type: VIEW; Schema: crm; Owner: crm_owner
--

CREATE VIEW crm.deals_with_complete_relationships WITH (security_invoker='true') AS
 SELECT d.id,
    d.name,
    d.value,
    d.stage_id,
    d.owner_id,
    d.expected_close_date,
    d.status,
    d.closed_at,
    d.stage_changed_at,
    d.company_id,
    d.primary_contact_id,
    d.deal_intelligence_score,
    d.win_probability_ai,
    d.risk_factors,
    d.opportunity_score,
    d.competitor_analysis,
    d.stakeholder_mapping,
    d.technical_fit_score,
    d.budget_confirmed,
    d.created_at,
    d.updated_at,
    d.version,
    d.lost_reason_id,
    d.forecast_category,
    c.name AS company_name,
    c.domain AS company_domain,
    c.industry AS company_industry,
    c.size AS company_size,
    c.lead_score AS company_lead_score,
    NULLIF(btrim(((p.first_name || ' '::text) || p.last_name)), ''::text) AS contact_full_name,
    p.email AS contact_email,
    p.phone AS contact_phone,
    p.title AS contact_title,
    p.decision_maker_score AS contact_decision_maker_score,
    u.full_name AS owner_full_name,
    u.email AS owner_email,
    s.name AS stage_name,
    s.color AS stage_color,
    s.default_probability AS stage_default_probability,
    round(((d.value * (s.default_probability)::numeric) / 100.0), 2) AS weighted_value,
    COALESCE(act.activity_count, (0)::bigint) AS activity_count,
    act.last_activity_date,
    act.avg_activity_sentiment,
    COALESCE(mt.meeting_count, (0)::bigint) AS meeting_count,
    COALESCE(sh.stakeholder_count, (0)::bigint) AS stakeholder_count,
    COALESCE(sh.champion_count, (0)::bigint) AS champion_count,
    COALESCE(tk.task_count, (0)::bigint) AS task_count,
    COALESCE(tk.completed_tasks_count, (0)::bigint) AS completed_tasks_count
   FROM ((((((((crm.deals d
     JOIN crm.deal_stages s ON ((s.id = d.stage_id)))
     LEFT JOIN crm.companies c ON ((c.id = d.company_id)))
     LEFT JOIN crm.contacts p ON ((p.id = d.primary_contact_id)))
     LEFT JOIN crm.users u ON ((u.id = d.owner_id)))
     LEFT JOIN LATERAL ( SELECT count(*) AS activity_count,
            max(a.date) AS last_activity_date,
            round(avg(a.sentiment_score), 2) AS avg_activity_sentiment
           FROM crm.activities a
          WHERE (a.deal_id = d.id)) act ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS meeting_count
           FROM crm.deal_meetings dm
          WHERE (dm.deal_id = d.id)) mt ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS stakeholder_count,
            count(*) FILTER (WHERE x.is_champion) AS champion_count
           FROM crm.deal_stakeholders x
          WHERE (x.deal_id = d.id)) sh ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS task_count,
            count(*) FILTER (WHERE (t.status = 'completed'::text)) AS completed_tasks_count
           FROM crm.tasks t
          WHERE (t.deal_id = d.id)) tk ON (true));


ALTER VIEW crm.deals_with_complete_relationships OWNER TO crm_owner;

--
-- Name: VIEW deals_with_complete_relationships; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON VIEW crm.deals_with_complete_relationships IS 'Deals with company, primary contact, owner and stage, weighted value, and activity / meeting / stakeholder / task counts (each aggregated on its own). security_invoker.';


--
-- Name: duplicate_pairs; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.duplicate_pairs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    first_id uuid NOT NULL,
    second_id uuid NOT NULL,
    score numeric(4,3) NOT NULL,
    reasons jsonb DEFAULT '[]'::jsonb NOT NULL,
    status text DEFAULT 'open'::text NOT NULL,
    found_at timestamp with time zone DEFAULT now() NOT NULL,
    dismissed_by uuid,
    dismissed_at timestamp with time zone,
    CONSTRAINT check_duplicate_pairs_dismissed_at CHECK (((status = 'dismissed'::text) = (dismissed_at IS NOT NULL))),
    CONSTRAINT check_duplicate_pairs_kind CHECK ((kind = ANY (ARRAY['companies'::text, 'contacts'::text]))),
    CONSTRAINT check_duplicate_pairs_ordered CHECK ((first_id < second_id)),
    CONSTRAINT check_duplicate_pairs_reasons_array CHECK ((jsonb_typeof(reasons) = 'array'::text)),
    CONSTRAINT check_duplicate_pairs_score_range CHECK (((score >= (0)::numeric) AND (score <= (1)::numeric))),
    CONSTRAINT check_duplicate_pairs_status CHECK ((status = ANY (ARRAY['open'::text, 'dismissed'::text])))
);

ALTER TABLE ONLY crm.duplicate_pairs FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.duplicate_pairs OWNER TO crm_owner;

--
-- Name: TABLE duplicate_pairs; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.duplicate_pairs IS 'Likely duplicate companies or contacts found by the duplicate scan (crm duplicates scan, /admin/duplicates): the two record ids in order, the score (0-1) and the reasons; a pair dismissed as not a duplicate stays dismissed across scans. No foreign key to the records (two kinds): pairs whose record is gone are not listed and are dropped by the next scan.';


--
-- Name: forecast_snapshots; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.forecast_snapshots (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    month date NOT NULL,
    quota numeric(14,2),
    closed_won numeric(16,2) DEFAULT 0 NOT NULL,
    commit numeric(16,2) DEFAULT 0 NOT NULL,
    best_case numeric(16,2) DEFAULT 0 NOT NULL,
    pipeline numeric(16,2) DEFAULT 0 NOT NULL,
    weighted numeric(16,2) DEFAULT 0 NOT NULL,
    deals integer DEFAULT 0 NOT NULL,
    taken_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_forecast_snapshots_amounts_non_negative CHECK (((COALESCE(quota, (0)::numeric) >= (0)::numeric) AND (closed_won >= (0)::numeric) AND (commit >= (0)::numeric) AND (best_case >= (0)::numeric) AND (pipeline >= (0)::numeric) AND (weighted >= (0)::numeric) AND (deals >= 0))),
    CONSTRAINT check_forecast_snapshots_month_is_first_day CHECK ((month = (date_trunc('month'::text, (month)::timestamp with time zone))::date))
);

ALTER TABLE ONLY crm.forecast_snapshots FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.forecast_snapshots OWNER TO crm_owner;

--
-- Name: TABLE forecast_snapshots; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.forecast_snapshots IS 'Each user''s forecast for a month as it stood when the month''s snapshot was taken (crm.take_forecast_snapshot, on the first of the month): quota, closed won so far, open deals closing that month by category (commit, best_case, pipeline), their AI-weighted value and count. One row per user and month; never updated.';


--
-- Name: import_mappings; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.import_mappings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    entity text NOT NULL,
    name text NOT NULL,
    columns jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_import_mappings_columns_object CHECK ((jsonb_typeof(columns) = 'object'::text)),
    CONSTRAINT check_import_mappings_entity CHECK ((entity = ANY (ARRAY['companies'::text, 'contacts'::text, 'deals'::text]))),
    CONSTRAINT check_import_mappings_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 100)))
);

ALTER TABLE ONLY crm.import_mappings FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.import_mappings OWNER TO crm_owner;

--
-- Name: TABLE import_mappings; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.import_mappings IS 'Column mappings a user saved for importing CSV files: file header -> field of the entity. Each user reads and writes only their own.';


--
-- Name: COLUMN import_mappings.columns; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.import_mappings.columns IS 'A JSON object: file header (as in the file) -> field name of the entity (dashboard/imports/fields.py).';


--
-- Name: legacy_activities; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.legacy_activities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_id text NOT NULL,
    owner_email text,
    type text,
    status text,
    client_name text,
    contact_identifier text,
    details text,
    date text,
    amount text,
    deal_legacy_id text,
    activity_id uuid,
    source text DEFAULT 'csv'::text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    migrated_at timestamp with time zone,
    CONSTRAINT check_legacy_activities_source CHECK ((source = ANY (ARRAY['csv'::text, 'demo'::text])))
);

ALTER TABLE ONLY crm.legacy_activities FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.legacy_activities OWNER TO crm_owner;

--
-- Name: TABLE legacy_activities; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.legacy_activities IS 'Legacy activity rows with a free-text client name and contact identifier.';


--
-- Name: legacy_deals; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.legacy_deals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_id text NOT NULL,
    name text,
    company text,
    contact_name text,
    contact_email text,
    contact_phone text,
    value text,
    stage text,
    owner_email text,
    expected_close_date text,
    created_at text,
    deal_id uuid,
    source text DEFAULT 'csv'::text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    migrated_at timestamp with time zone,
    company_link text,
    contact_link text,
    CONSTRAINT check_legacy_deals_company_link CHECK ((company_link = ANY (ARRAY['email_domain'::text, 'name_match'::text, 'fuzzy_match'::text, 'contact'::text, 'manual'::text, 'created'::text]))),
    CONSTRAINT check_legacy_deals_contact_link CHECK ((contact_link = ANY (ARRAY['email'::text, 'name_match'::text, 'created'::text, 'manual'::text]))),
    CONSTRAINT check_legacy_deals_source CHECK ((source = ANY (ARRAY['csv'::text, 'demo'::text])))
);

ALTER TABLE ONLY crm.legacy_deals FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.legacy_deals OWNER TO crm_owner;

--
-- Name: TABLE legacy_deals; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.legacy_deals IS 'Legacy deal rows with text contact fields, waiting for (or recording) their resolution to companies and contacts.';


--
-- Name: COLUMN legacy_deals.company_link; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_deals.company_link IS 'How the deal''s company was found: email_domain, name_match, fuzzy_match, contact, created or manual (review).';


--
-- Name: legacy_import_runs; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.legacy_import_runs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    source text NOT NULL,
    file_name text,
    started_by uuid,
    status text DEFAULT 'queued'::text NOT NULL,
    rows_read integer DEFAULT 0 NOT NULL,
    rows_written integer DEFAULT 0 NOT NULL,
    rows_reported integer DEFAULT 0 NOT NULL,
    report jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    activities_file_name text,
    dry_run boolean DEFAULT false NOT NULL,
    skip_invalid boolean DEFAULT false NOT NULL,
    deals_csv text,
    activities_csv text,
    phase text,
    progress_done integer DEFAULT 0 NOT NULL,
    progress_total integer DEFAULT 0 NOT NULL,
    heartbeat_at timestamp with time zone,
    backend_pid integer,
    error text,
    retry_of uuid,
    entity text,
    options jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT check_legacy_import_runs_activities_file_name_length CHECK ((length(activities_file_name) <= 255)),
    CONSTRAINT check_legacy_import_runs_counts_non_negative CHECK (((rows_read >= 0) AND (rows_written >= 0) AND (rows_reported >= 0))),
    CONSTRAINT check_legacy_import_runs_entity CHECK ((entity = ANY (ARRAY['companies'::text, 'contacts'::text, 'deals'::text]))),
    CONSTRAINT check_legacy_import_runs_error_length CHECK ((length(error) <= 2000)),
    CONSTRAINT check_legacy_import_runs_file_name_length CHECK ((length(file_name) <= 255)),
    CONSTRAINT check_legacy_import_runs_finished_at_matches_status CHECK (((status = ANY (ARRAY['completed'::text, 'failed'::text])) = (finished_at IS NOT NULL))),
    CONSTRAINT check_legacy_import_runs_options_object CHECK ((jsonb_typeof(options) = 'object'::text)),
    CONSTRAINT check_legacy_import_runs_phase_length CHECK ((length(phase) <= 200)),
    CONSTRAINT check_legacy_import_runs_progress_non_negative CHECK (((progress_done >= 0) AND (progress_total >= 0))),
    CONSTRAINT check_legacy_import_runs_report_object CHECK ((jsonb_typeof(report) = 'object'::text)),
    CONSTRAINT check_legacy_import_runs_source CHECK ((source = ANY (ARRAY['csv'::text, 'staging'::text, 'upload'::text]))),
    CONSTRAINT check_legacy_import_runs_status CHECK ((status = ANY (ARRAY['draft'::text, 'queued'::text, 'running'::text, 'completed'::text, 'failed'::text])))
);

ALTER TABLE ONLY crm.legacy_import_runs FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.legacy_import_runs OWNER TO crm_owner;

--
-- Name: TABLE legacy_import_runs; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.legacy_import_runs IS 'One row per import job (legacy, or a record import when entity is set), committed before its import transaction: draft (a record import''s upload waiting for its mapping), queued, running (with progress and heartbeat), completed (in the import''s own transaction when it commits) or failed. A running row whose backend_pid is gone was interrupted.';


--
-- Name: COLUMN legacy_import_runs.deals_csv; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_import_runs.deals_csv IS 'The uploaded file (the legacy deals file, or a record import''s file), kept until an import of it commits (retry and re-run).';


--
-- Name: COLUMN legacy_import_runs.backend_pid; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_import_runs.backend_pid IS 'pg_backend_pid() of the connection running the import: when it no longer exists, the import was killed and rolled back.';


--
-- Name: COLUMN legacy_import_runs.retry_of; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_import_runs.retry_of IS 'The run this one repeats (retry of a failed run, or a dry run done for real).';


--
-- Name: COLUMN legacy_import_runs.entity; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_import_runs.entity IS 'Null: a legacy import. companies, contacts or deals: a record import of that entity by its starter.';


--
-- Name: COLUMN legacy_import_runs.options; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.legacy_import_runs.options IS 'A record import''s choices: mapping (file header -> field), duplicates (skip, update, create), delimiter, encoding.';


--
-- Name: legacy_review_items; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.legacy_review_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    legacy_deal_id uuid NOT NULL,
    import_run_id uuid,
    reason text NOT NULL,
    suggestions jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    resolution jsonb,
    resolved_by uuid,
    resolved_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_legacy_review_items_reason CHECK ((reason = ANY (ARRAY['no_email_no_company'::text, 'two_candidates'::text, 'fuzzy_uncertain'::text, 'no_company'::text]))),
    CONSTRAINT check_legacy_review_items_resolved_fields CHECK (((status = 'pending'::text) = (resolved_at IS NULL))),
    CONSTRAINT check_legacy_review_items_status CHECK ((status = ANY (ARRAY['pending'::text, 'resolved'::text, 'dismissed'::text]))),
    CONSTRAINT check_legacy_review_items_suggestions_object CHECK ((jsonb_typeof(suggestions) = 'object'::text))
);

ALTER TABLE ONLY crm.legacy_review_items FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.legacy_review_items OWNER TO crm_owner;

--
-- Name: TABLE legacy_review_items; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.legacy_review_items IS 'Legacy deals the importer would not link by guessing; suggestions holds candidate companies/contacts with scores.';


--
-- Name: login_attempts; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.login_attempts (
    id bigint NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    email text NOT NULL,
    ip inet,
    user_id uuid,
    succeeded boolean NOT NULL,
    CONSTRAINT check_login_attempts_email_length CHECK ((length(email) <= 320))
);

ALTER TABLE ONLY crm.login_attempts FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.login_attempts OWNER TO crm_owner;

--
-- Name: TABLE login_attempts; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.login_attempts IS 'Every login attempt (success or failure) with email, IP and time; throttling counts recent failures here.';


--
-- Name: login_attempts_id_seq; Type: SEQUENCE; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.login_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm.login_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: lost_reasons; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.lost_reasons (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    "position" integer NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_lost_reasons_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 80)))
);

ALTER TABLE ONLY crm.lost_reasons FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.lost_reasons OWNER TO crm_owner;

--
-- Name: TABLE lost_reasons; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.lost_reasons IS 'Why deals are lost: the admin-managed list a user picks from when a deal moves to a lost stage; inactive reasons stay on old deals but are not offered.';


--
-- Name: mail_accounts; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.mail_accounts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    imap_url text NOT NULL,
    password_encrypted bytea NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    status_message text,
    folder_state jsonb DEFAULT '{}'::jsonb NOT NULL,
    failures integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now(),
    last_attempt_at timestamp with time zone,
    last_synced_at timestamp with time zone,
    messages_logged integer DEFAULT 0 NOT NULL,
    messages_skipped integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_mail_accounts_counts_non_negative CHECK (((failures >= 0) AND (messages_logged >= 0) AND (messages_skipped >= 0))),
    CONSTRAINT check_mail_accounts_folder_state_object CHECK ((jsonb_typeof(folder_state) = 'object'::text)),
    CONSTRAINT check_mail_accounts_imap_url CHECK (((imap_url ~ '^imaps?://[^/\s]+@[^/@\s]+(/[^\s]*)?$'::text) AND (length(imap_url) <= 500))),
    CONSTRAINT check_mail_accounts_status CHECK ((status = ANY (ARRAY['pending'::text, 'ok'::text, 'auth_failed'::text, 'unreachable'::text, 'failing'::text, 'credentials_unreadable'::text]))),
    CONSTRAINT check_mail_accounts_status_message_length CHECK ((length(status_message) <= 500))
);

ALTER TABLE ONLY crm.mail_accounts FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.mail_accounts OWNER TO crm_owner;

--
-- Name: TABLE mail_accounts; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.mail_accounts IS 'A user''s connected mailbox (one per user): the IMAP URL (imaps://user@host:port/INBOX, no password), the password encrypted with a key derived from the secret key (unreadable to crm_app), the sync''s status and backoff (failures, next_attempt_at), and per folder its UIDVALIDITY and last UID synced (folder_state).';


--
-- Name: COLUMN mail_accounts.password_encrypted; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.mail_accounts.password_encrypted IS 'dashboard/credentials.encrypt_secret(password, purpose="mail"): AES-256-GCM under an HKDF key from the secret key. crm_app may insert and update it, never select it.';


--
-- Name: COLUMN mail_accounts.folder_state; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.mail_accounts.folder_state IS '{"<folder>": {"uidvalidity": n, "last_uid": n}} for INBOX and the sent folder: the next sync fetches only UIDs above last_uid (all again when UIDVALIDITY changed; Message-IDs keep it idempotent).';


--
-- Name: COLUMN mail_accounts.next_attempt_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.mail_accounts.next_attempt_at IS 'When the periodic sync may try again: a few minutes after a success, later and later (doubling) after failures; null: never (credentials unreadable, reconnect).';


--
-- Name: mail_contact_suggestions; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.mail_contact_suggestions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    email text NOT NULL,
    display_name text,
    company_id uuid NOT NULL,
    status text DEFAULT 'open'::text NOT NULL,
    messages integer DEFAULT 1 NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    contact_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_mail_contact_suggestions_display_name_length CHECK ((length(display_name) <= 200)),
    CONSTRAINT check_mail_contact_suggestions_email CHECK (((email = lower(email)) AND (length(email) <= 320) AND (email ~~ '%_@_%'::text))),
    CONSTRAINT check_mail_contact_suggestions_messages_positive CHECK ((messages >= 1)),
    CONSTRAINT check_mail_contact_suggestions_status CHECK ((status = ANY (ARRAY['open'::text, 'accepted'::text, 'dismissed'::text])))
);

ALTER TABLE ONLY crm.mail_contact_suggestions FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.mail_contact_suggestions OWNER TO crm_owner;

--
-- Name: TABLE mail_contact_suggestions; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.mail_contact_suggestions IS 'An address seen in a user''s synced mail that is no contact but is at a known company''s domain: offered on /account/mail as a new contact (accepted: contact_id is the contact made; dismissed: never offered again). Never created silently.';


--
-- Name: mail_messages; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.mail_messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    message_id text NOT NULL,
    folder text NOT NULL,
    uid bigint NOT NULL,
    direction text,
    activity_id uuid,
    contact_id uuid,
    skip_reason text,
    synced_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_mail_messages_direction CHECK ((direction = ANY (ARRAY['inbound'::text, 'outbound'::text]))),
    CONSTRAINT check_mail_messages_logged_or_skipped CHECK (((skip_reason IS NULL) = (direction IS NOT NULL))),
    CONSTRAINT check_mail_messages_message_id_length CHECK (((length(message_id) >= 1) AND (length(message_id) <= 1000))),
    CONSTRAINT check_mail_messages_skip_reason_length CHECK ((length(skip_reason) <= 500))
);

ALTER TABLE ONLY crm.mail_messages FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.mail_messages OWNER TO crm_owner;

--
-- Name: TABLE mail_messages; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.mail_messages IS 'Each message a mailbox sync logged (direction, the activity it became, the contact it was linked to) or skipped (skip_reason: malformed, invalid charset, too large), once per user and Message-ID: a re-sync, or the same message in INBOX and Sent, creates nothing twice. Kept when the activity is deleted (it is not logged again).';


--
-- Name: mail_never_log; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.mail_never_log (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    entry text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_mail_never_log_entry CHECK (((entry = lower(entry)) AND ((length(entry) >= 3) AND (length(entry) <= 320)) AND (entry ~ '^([^@\s]+@)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z0-9-]+$'::text)))
);

ALTER TABLE ONLY crm.mail_never_log FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.mail_never_log OWNER TO crm_owner;

--
-- Name: TABLE mail_never_log; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.mail_never_log IS 'A user''s addresses (name@host) and domains (host: itself and its subdomains) whose mail the sync never logs: a message with any such participant is not recorded at all.';


--
-- Name: meeting_attendees; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.meeting_attendees (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    meeting_id uuid NOT NULL,
    contact_id uuid,
    user_id uuid,
    name text NOT NULL,
    email text,
    is_external boolean DEFAULT true NOT NULL,
    role text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_meeting_attendees_email_format CHECK (((email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT check_meeting_attendees_name_not_blank CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200)))
);

ALTER TABLE ONLY crm.meeting_attendees FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.meeting_attendees OWNER TO crm_owner;

--
-- Name: TABLE meeting_attendees; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.meeting_attendees IS 'Who attended a meeting: contacts (external), users (internal) or a named email; each at most once.';


--
-- Name: meeting_sequences; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.meeting_sequences (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    deal_id uuid NOT NULL,
    meeting_id uuid NOT NULL,
    sequence_number integer NOT NULL,
    previous_meeting_id uuid,
    days_since_previous integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_meeting_sequences_days_non_negative CHECK ((days_since_previous >= 0)),
    CONSTRAINT check_meeting_sequences_not_own_previous CHECK ((previous_meeting_id IS DISTINCT FROM meeting_id)),
    CONSTRAINT check_meeting_sequences_number_positive CHECK ((sequence_number >= 1))
);

ALTER TABLE ONLY crm.meeting_sequences FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.meeting_sequences OWNER TO crm_owner;

--
-- Name: TABLE meeting_sequences; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.meeting_sequences IS 'The order of a deal''s meetings (1st, 2nd, ...) and the gap between them.';


--
-- Name: meetings_with_complete_relationships; Type: VIEW; Schema: crm; Owner: crm_owner
--

CREATE VIEW crm.meetings_with_complete_relationships WITH (security_invoker='true') AS
 SELECT m.id,
    m.title,
    m.starts_at,
    m.ends_at,
    m.owner_id,
    m.company_id,
    m.primary_contact_id,
    m.primary_deal_id,
    m.summary,
    m.sentiment_score,
    m.meeting_type,
    m.meeting_outcome,
    m.meeting_quality_score,
    m.follow_up_required,
    m.follow_up_created,
    m.next_steps,
    m.created_at,
    m.updated_at,
    m.version,
    c.name AS company_name,
    c.domain AS company_domain,
    c.industry AS company_industry,
    c.engagement_score AS company_engagement_score,
    NULLIF(btrim(((p.first_name || ' '::text) || p.last_name)), ''::text) AS contact_full_name,
    p.email AS contact_email,
    p.title AS contact_title,
    p.decision_maker_score AS contact_decision_maker_score,
    COALESCE(dl.associated_deals_count, (0)::bigint) AS associated_deals_count,
    dl.highest_deal_impact_score,
    dl.associated_deal_names,
    COALESCE(ai.action_items_total, (0)::bigint) AS action_items_total,
    COALESCE(ai.action_items_completed, (0)::bigint) AS action_items_completed,
    COALESCE(ai.action_items_urgent, (0)::bigint) AS action_items_urgent,
    COALESCE(ra.related_activities_count, (0)::bigint) AS related_activities_count,
    COALESCE(ft.follow_up_tasks_count, (0)::bigint) AS follow_up_tasks_count,
    prev.previous_meeting_at,
    nxt.next_meeting_at
   FROM ((((((((crm.meetings m
     LEFT JOIN crm.companies c ON ((c.id = m.company_id)))
     LEFT JOIN crm.contacts p ON ((p.id = m.primary_contact_id)))
     LEFT JOIN LATERAL ( SELECT count(*) AS associated_deals_count,
            max(dm.impact_score) AS highest_deal_impact_score,
            string_agg(d.name, ', '::text ORDER BY d.name) AS associated_deal_names
           FROM (crm.deal_meetings dm
             JOIN crm.deals d ON ((d.id = dm.deal_id)))
          WHERE (dm.meeting_id = m.id)) dl ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS action_items_total,
            count(*) FILTER (WHERE i.is_done) AS action_items_completed,
            count(*) FILTER (WHERE (i.priority = 'urgent'::text)) AS action_items_urgent
           FROM crm.meeting_action_items i
          WHERE (i.meeting_id = m.id)) ai ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS related_activities_count
           FROM crm.activity_meetings am
          WHERE (am.meeting_id = m.id)) ra ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS follow_up_tasks_count
           FROM crm.tasks t
          WHERE (t.meeting_id = m.id)) ft ON (true))
     LEFT JOIN LATERAL ( SELECT max(o.starts_at) AS previous_meeting_at
           FROM crm.meetings o
          WHERE ((o.company_id = m.company_id) AND (o.starts_at < m.starts_at))) prev ON (true))
     LEFT JOIN LATERAL ( SELECT min(o.starts_at) AS next_meeting_at
           FROM crm.meetings o
          WHERE ((o.company_id = m.company_id) AND (o.starts_at > m.starts_at))) nxt ON (true));


ALTER VIEW crm.meetings_with_complete_relationships OWNER TO crm_owner;

--
-- Name: VIEW meetings_with_complete_relationships; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON VIEW crm.meetings_with_complete_relationships IS 'Meetings with company, primary contact, linked deals (count, highest impact, names), action items, related activities, follow-up tasks and the company''s previous/next meeting. security_invoker.';


--
-- Name: notification_preferences; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.notification_preferences (
    user_id uuid NOT NULL,
    kind text NOT NULL,
    channel text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_notification_preferences_channel CHECK ((channel = ANY (ARRAY['in_app'::text, 'email'::text, 'both'::text, 'off'::text]))),
    CONSTRAINT check_notification_preferences_kind CHECK ((kind = ANY (ARRAY['task_due'::text, 'meeting_soon'::text, 'deal_stalled'::text, 'deal_assigned'::text, 'webhook_failing'::text])))
);

ALTER TABLE ONLY crm.notification_preferences FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.notification_preferences OWNER TO crm_owner;

--
-- Name: TABLE notification_preferences; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.notification_preferences IS 'A user''s choice of channel for one kind of notification (in_app, email, both, off); a kind without a row takes its default (crm.notification_default_channel).';


--
-- Name: notification_settings; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.notification_settings (
    user_id uuid NOT NULL,
    email_mode text DEFAULT 'each'::text NOT NULL,
    digest_time time without time zone DEFAULT '08:00:00'::time without time zone NOT NULL,
    digest_sent_on date,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_notification_settings_digest_minute CHECK ((date_trunc('minute'::text, (digest_time)::interval) = (digest_time)::interval)),
    CONSTRAINT check_notification_settings_email_mode CHECK ((email_mode = ANY (ARRAY['each'::text, 'digest'::text])))
);

ALTER TABLE ONLY crm.notification_settings FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.notification_settings OWNER TO crm_owner;

--
-- Name: TABLE notification_settings; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.notification_settings IS 'How a user''s notification email comes: one message per notice (each) or a daily digest at digest_time of the user''s day (digest_sent_on: the user''s last day one went). No row: each, 08:00.';


--
-- Name: notifications; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.notifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    kind text NOT NULL,
    record_id uuid NOT NULL,
    occurrence text NOT NULL,
    title text NOT NULL,
    at timestamp with time zone,
    detail text,
    in_app boolean NOT NULL,
    email_status text NOT NULL,
    emailed_at timestamp with time zone,
    read_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_notifications_delivered CHECK ((in_app OR (email_status <> 'none'::text))),
    CONSTRAINT check_notifications_detail_length CHECK ((length(detail) <= 300)),
    CONSTRAINT check_notifications_email_status CHECK ((email_status = ANY (ARRAY['none'::text, 'pending'::text, 'digest'::text, 'sent'::text, 'failed'::text, 'expired'::text]))),
    CONSTRAINT check_notifications_kind CHECK ((kind = ANY (ARRAY['task_due'::text, 'meeting_soon'::text, 'deal_stalled'::text, 'deal_assigned'::text, 'webhook_failing'::text]))),
    CONSTRAINT check_notifications_occurrence_length CHECK ((length(occurrence) <= 64)),
    CONSTRAINT check_notifications_title_length CHECK ((length(title) <= 300))
);

ALTER TABLE ONLY crm.notifications FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.notifications OWNER TO crm_owner;

--
-- Name: TABLE notifications; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.notifications IS 'Reminders and notices for one user, each produced once (unique user, kind, record, occurrence): a task due today or overdue, a meeting in 15 minutes, a deal of theirs stalled, a deal assigned to them by someone else, a webhook endpoint failing (admins). in_app: shown under the bell; email_status: none, pending (one message), digest (the daily digest), sent, failed, expired (not sent within a day).';


--
-- Name: COLUMN notifications.record_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.notifications.record_id IS 'The task, meeting, deal or webhook endpoint the notice is about (no foreign key: the notice outlives a deleted record; its link then answers 404).';


--
-- Name: COLUMN notifications.occurrence; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.notifications.occurrence IS 'What makes this notice once-only for its record: the due day (task_due), the start instant (meeting_soon), the stage entry instant (deal_stalled), the assignment instant (deal_assigned), the failing day (webhook_failing).';


--
-- Name: COLUMN notifications.at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.notifications.at IS 'The instant the notice is about, shown in the reader''s zone: the due day (00:00 UTC), the meeting''s start, the stage entry, the assignment.';


--
-- Name: COLUMN notifications.detail; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.notifications.detail IS 'A short addition: the stage a stalled deal is in, who assigned the deal.';


--
-- Name: quotas; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.quotas (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    month date NOT NULL,
    amount numeric(14,2) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_quotas_amount_non_negative CHECK ((amount >= (0)::numeric)),
    CONSTRAINT check_quotas_month_is_first_day CHECK ((month = (date_trunc('month'::text, (month)::timestamp with time zone))::date)),
    CONSTRAINT check_quotas_month_range CHECK (((month >= '2000-01-01'::date) AND (month <= '2100-12-01'::date)))
);

ALTER TABLE ONLY crm.quotas FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.quotas OWNER TO crm_owner;

--
-- Name: TABLE quotas; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.quotas IS 'The revenue a user is expected to close won in a calendar month (month: its first day). Set by admins, and by managers for the people they manage.';


--
-- Name: record_merges; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.record_merges (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    survivor_id uuid NOT NULL,
    loser_id uuid NOT NULL,
    merged_by uuid,
    merged_at timestamp with time zone DEFAULT now() NOT NULL,
    snapshot jsonb NOT NULL,
    undone_by uuid,
    undone_at timestamp with time zone,
    CONSTRAINT check_record_merges_kind CHECK ((kind = ANY (ARRAY['companies'::text, 'contacts'::text]))),
    CONSTRAINT check_record_merges_snapshot_object CHECK ((jsonb_typeof(snapshot) = 'object'::text)),
    CONSTRAINT check_record_merges_two_records CHECK ((survivor_id <> loser_id))
);

ALTER TABLE ONLY crm.record_merges FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.record_merges OWNER TO crm_owner;

--
-- Name: TABLE record_merges; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.record_merges IS 'Each merge of two companies or contacts: the survivor, the removed record (loser) and a snapshot of what its undo needs (the loser''s row, the survivor''s fields before and after, the ids of the rows whose reference moved, the rows removed because both records had them); undone_at once undone.';


--
-- Name: COLUMN record_merges.snapshot; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.record_merges.snapshot IS 'loser (the removed row), survivor {before, after} (changed fields), moved {table.column: [row keys]}, removed {table: [rows]}, mappings {deal: {before, after}} (stakeholder maps).';


--
-- Name: saved_views; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.saved_views (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    team_id uuid,
    list text NOT NULL,
    name text NOT NULL,
    query text DEFAULT ''::text NOT NULL,
    shared boolean DEFAULT false NOT NULL,
    is_default boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_saved_views_list CHECK ((list = ANY (ARRAY['tasks'::text, 'deals'::text, 'companies'::text, 'contacts'::text, 'activities'::text, 'meetings'::text]))),
    CONSTRAINT check_saved_views_name_length CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 80))),
    CONSTRAINT check_saved_views_query_length CHECK ((length(query) <= 2000)),
    CONSTRAINT check_saved_views_shared_with_a_team CHECK (((NOT shared) OR (team_id IS NOT NULL)))
);

ALTER TABLE ONLY crm.saved_views FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.saved_views OWNER TO crm_owner;

--
-- Name: TABLE saved_views; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.saved_views IS 'A user''s named list filters: the list, the query string it applies, whether it is shared with the owner''s team (team_id, the team when it was shared) and whether it is the owner''s default for that list (at most one).';


--
-- Name: COLUMN saved_views.query; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.saved_views.query IS 'The list''s query string without page (e.g. status=open&sort=due&dir=asc); the app parses it with the list''s own filters, so nothing in it reaches SQL but as bound parameters.';


--
-- Name: sessions; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.sessions (
    token_hash bytea NOT NULL,
    user_id uuid NOT NULL,
    purpose text DEFAULT 'web'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT check_sessions_expiry_after_creation CHECK ((expires_at > created_at)),
    CONSTRAINT check_sessions_purpose CHECK ((purpose = ANY (ARRAY['web'::text, 'job'::text]))),
    CONSTRAINT check_sessions_token_hash_length CHECK ((length(token_hash) = 32))
);

ALTER TABLE ONLY crm.sessions FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.sessions OWNER TO crm_owner;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.sessions IS 'Login sessions issued by app.log_in / app.fork_session: sha256 of the token, the user, expiry and revocation. Read and written only by definer functions (crm_helper); crm_app has no privilege on it.';


--
-- Name: COLUMN sessions.purpose; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.sessions.purpose IS 'web: a browser login; job: a session forked from one for work that outlives the request (an import).';


--
-- Name: targets; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.targets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    month date NOT NULL,
    revenue_target numeric(14,2) DEFAULT 0 NOT NULL,
    outbound_target integer DEFAULT 0 NOT NULL,
    meetings_target integer DEFAULT 0 NOT NULL,
    proposals_target integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT check_targets_meetings_non_negative CHECK ((meetings_target >= 0)),
    CONSTRAINT check_targets_month_is_first_day CHECK ((month = (date_trunc('month'::text, (month)::timestamp with time zone))::date)),
    CONSTRAINT check_targets_outbound_non_negative CHECK ((outbound_target >= 0)),
    CONSTRAINT check_targets_proposals_non_negative CHECK ((proposals_target >= 0)),
    CONSTRAINT check_targets_revenue_non_negative CHECK ((revenue_target >= (0)::numeric))
);

ALTER TABLE ONLY crm.targets FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.targets OWNER TO crm_owner;

--
-- Name: TABLE targets; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.targets IS 'Monthly targets per user (revenue, outbound, meetings, proposals) for the dashboard KPI cards.';


--
-- Name: task_totals; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.task_totals (
    assigned_to uuid NOT NULL,
    status text NOT NULL,
    tasks integer NOT NULL,
    high_priority integer NOT NULL,
    CONSTRAINT check_task_totals_high_priority_in_range CHECK (((high_priority >= 0) AND (high_priority <= tasks))),
    CONSTRAINT check_task_totals_tasks_positive CHECK ((tasks > 0))
);

ALTER TABLE ONLY crm.task_totals FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.task_totals OWNER TO crm_owner;

--
-- Name: TABLE task_totals; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.task_totals IS 'Per assignee and status: tasks, and those of high or urgent priority. Kept by triggers on crm.tasks.';


--
-- Name: webhook_attempts; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.webhook_attempts (
    id bigint NOT NULL,
    delivery_id uuid NOT NULL,
    attempted_at timestamp with time zone DEFAULT now() NOT NULL,
    http_status integer,
    duration_ms integer NOT NULL,
    error text,
    response_snippet text,
    CONSTRAINT check_webhook_attempts_duration_non_negative CHECK ((duration_ms >= 0)),
    CONSTRAINT check_webhook_attempts_error_length CHECK ((length(error) <= 1000)),
    CONSTRAINT check_webhook_attempts_http_status_range CHECK (((http_status >= 100) AND (http_status <= 599))),
    CONSTRAINT check_webhook_attempts_response_snippet_length CHECK ((length(response_snippet) <= 1000))
);

ALTER TABLE ONLY crm.webhook_attempts FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.webhook_attempts OWNER TO crm_owner;

--
-- Name: TABLE webhook_attempts; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.webhook_attempts IS 'Each HTTP attempt of a delivery: when, the HTTP status (null when no answer), how long it took, the error (refused address, timeout, connection error, non-2xx) and the start of the response body.';


--
-- Name: webhook_attempts_id_seq; Type: SEQUENCE; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.webhook_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm.webhook_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhook_deliveries; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.webhook_deliveries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    endpoint_id uuid NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    pending_since timestamp with time zone DEFAULT now() NOT NULL,
    last_attempt_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_webhook_deliveries_attempts_non_negative CHECK ((attempts >= 0)),
    CONSTRAINT check_webhook_deliveries_status CHECK ((status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text])))
);

ALTER TABLE ONLY crm.webhook_deliveries FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.webhook_deliveries OWNER TO crm_owner;

--
-- Name: TABLE webhook_deliveries; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.webhook_deliveries IS 'One event to one endpoint: pending until an attempt gets a 2xx (succeeded) or the retries of a day from pending_since run out (failed); next_attempt_at is when the worker tries again (exponential backoff). A replay sets it pending again (pending_since: then).';


--
-- Name: webhook_endpoints; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.webhook_endpoints (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    url text NOT NULL,
    events text[] NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    secret bytea NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT check_webhook_endpoints_description_length CHECK ((length(description) <= 500)),
    CONSTRAINT check_webhook_endpoints_events_known CHECK (((cardinality(events) > 0) AND (events <@ ARRAY['company.created'::text, 'company.updated'::text, 'company.deleted'::text, 'contact.created'::text, 'contact.updated'::text, 'contact.deleted'::text, 'deal.created'::text, 'deal.updated'::text, 'deal.deleted'::text, 'deal.stage_changed'::text, 'deal.won'::text, 'deal.lost'::text, 'activity.created'::text, 'activity.updated'::text, 'activity.deleted'::text, 'meeting.created'::text, 'meeting.updated'::text, 'meeting.deleted'::text, 'task.created'::text, 'task.updated'::text, 'task.deleted'::text]))),
    CONSTRAINT check_webhook_endpoints_url_http CHECK (((url ~* '^https?://[^[:space:]/?#]+'::text) AND (length(url) <= 2048)))
);

ALTER TABLE ONLY crm.webhook_endpoints FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.webhook_endpoints OWNER TO crm_owner;

--
-- Name: TABLE webhook_endpoints; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.webhook_endpoints IS 'Webhook endpoints registered by admins (/admin/webhooks, crm webhooks add): the URL, the event types it subscribes to, its signing secret (encrypted, dashboard/credentials.py purpose "webhook"; crm_app may write it but never read it back), active while deliveries go out.';


--
-- Name: COLUMN webhook_endpoints.secret; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON COLUMN crm.webhook_endpoints.secret IS 'The Standard Webhooks signing secret (whsec_...) sealed with AES-GCM under a key derived from the secret key; shown once at creation, readable only by the worker''s operator role (no SELECT privilege for crm_app).';


--
-- Name: webhook_events; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.webhook_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    type text NOT NULL,
    record_id uuid,
    payload jsonb NOT NULL,
    occurred_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT check_webhook_events_payload_object CHECK ((jsonb_typeof(payload) = 'object'::text)),
    CONSTRAINT check_webhook_events_type CHECK ((type = ANY (ARRAY['company.created'::text, 'company.updated'::text, 'company.deleted'::text, 'contact.created'::text, 'contact.updated'::text, 'contact.deleted'::text, 'deal.created'::text, 'deal.updated'::text, 'deal.deleted'::text, 'deal.stage_changed'::text, 'deal.won'::text, 'deal.lost'::text, 'activity.created'::text, 'activity.updated'::text, 'activity.deleted'::text, 'meeting.created'::text, 'meeting.updated'::text, 'meeting.deleted'::text, 'task.created'::text, 'task.updated'::text, 'task.deleted'::text, 'webhook.test'::text])))
);

ALTER TABLE ONLY crm.webhook_events FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.webhook_events OWNER TO crm_owner;

--
-- Name: TABLE webhook_events; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.webhook_events IS 'The webhook outbox: one row per event some active endpoint subscribed to, written by the capture trigger in the same transaction as the change (a rolled-back change leaves none), with the JSON body sent (built from explicit column lists, app.webhook_columns). Its id is the webhook-id header (msg_<hex>), the same on every attempt.';


--
-- Name: win_models; Type: TABLE; Schema: crm; Owner: crm_owner
--

CREATE TABLE crm.win_models (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    algorithm text NOT NULL,
    model jsonb,
    metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    closed_deals integer NOT NULL,
    won_deals integer NOT NULL,
    lost_deals integer NOT NULL,
    trained_at timestamp with time zone DEFAULT now() NOT NULL,
    as_of timestamp with time zone NOT NULL,
    CONSTRAINT check_win_models_algorithm CHECK ((algorithm = ANY (ARRAY['logistic_regression'::text, 'stage_default'::text]))),
    CONSTRAINT check_win_models_counts CHECK (((closed_deals >= 0) AND (won_deals >= 0) AND (lost_deals >= 0) AND ((won_deals + lost_deals) = closed_deals))),
    CONSTRAINT check_win_models_metrics_object CHECK ((jsonb_typeof(metrics) = 'object'::text)),
    CONSTRAINT check_win_models_model_object CHECK (((model IS NULL) OR (jsonb_typeof(model) = 'object'::text))),
    CONSTRAINT check_win_models_model_present CHECK (((algorithm = 'stage_default'::text) = (model IS NULL)))
);

ALTER TABLE ONLY crm.win_models FORCE ROW LEVEL SECURITY;


ALTER TABLE crm.win_models OWNER TO crm_owner;

--
-- Name: TABLE win_models; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON TABLE crm.win_models IS 'Win-probability models trained by `crm score`; the newest row is used. stage_default = too few closed deals, the stage probability is used.';


--
-- Name: procrastinate_events; Type: TABLE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TABLE crm_jobs.procrastinate_events (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    type crm_jobs.procrastinate_job_event_type,
    at timestamp with time zone DEFAULT now()
);

ALTER TABLE ONLY crm_jobs.procrastinate_events FORCE ROW LEVEL SECURITY;


ALTER TABLE crm_jobs.procrastinate_events OWNER TO crm_owner;

--
-- Name: TABLE procrastinate_events; Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON TABLE crm_jobs.procrastinate_events IS 'Each job''s history (Procrastinate): deferred, started, succeeded, failed, retried... with its time. Written by the queue''s triggers; crm_app adds only the deferred event of a job it enqueues.';


--
-- Name: procrastinate_events_id_seq; Type: SEQUENCE; Schema: crm_jobs; Owner: crm_owner
--

CREATE SEQUENCE crm_jobs.procrastinate_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE crm_jobs.procrastinate_events_id_seq OWNER TO crm_owner;

--
-- Name: procrastinate_events_id_seq; Type: SEQUENCE OWNED BY; Schema: crm_jobs; Owner: crm_owner
--

ALTER SEQUENCE crm_jobs.procrastinate_events_id_seq OWNED BY crm_jobs.procrastinate_events.id;


--
-- Name: procrastinate_jobs_id_seq; Type: SEQUENCE; Schema: crm_jobs; Owner: crm_owner
--

CREATE SEQUENCE crm_jobs.procrastinate_jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE crm_jobs.procrastinate_jobs_id_seq OWNER TO crm_owner;

--
-- Name: procrastinate_jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: crm_jobs; Owner: crm_owner
--

ALTER SEQUENCE crm_jobs.procrastinate_jobs_id_seq OWNED BY crm_jobs.procrastinate_jobs.id;


--
-- Name: procrastinate_periodic_defers; Type: TABLE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TABLE crm_jobs.procrastinate_periodic_defers (
    id bigint NOT NULL,
    task_name character varying(128) NOT NULL,
    defer_timestamp bigint,
    job_id bigint,
    periodic_id character varying(128) DEFAULT ''::character varying NOT NULL
);

ALTER TABLE ONLY crm_jobs.procrastinate_periodic_defers FORCE ROW LEVEL SECURITY;


ALTER TABLE crm_jobs.procrastinate_periodic_defers OWNER TO crm_owner;

--
-- Name: TABLE procrastinate_periodic_defers; Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON TABLE crm_jobs.procrastinate_periodic_defers IS 'Which tick of each periodic task (nightly rescoring, cleanups, stalled-job recovery) was already enqueued: the unique (task, periodic id, timestamp) makes a tick enqueue once however many workers run. Workers only.';


--
-- Name: procrastinate_periodic_defers_id_seq; Type: SEQUENCE; Schema: crm_jobs; Owner: crm_owner
--

CREATE SEQUENCE crm_jobs.procrastinate_periodic_defers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE crm_jobs.procrastinate_periodic_defers_id_seq OWNER TO crm_owner;

--
-- Name: procrastinate_periodic_defers_id_seq; Type: SEQUENCE OWNED BY; Schema: crm_jobs; Owner: crm_owner
--

ALTER SEQUENCE crm_jobs.procrastinate_periodic_defers_id_seq OWNED BY crm_jobs.procrastinate_periodic_defers.id;


--
-- Name: procrastinate_workers; Type: TABLE; Schema: crm_jobs; Owner: crm_owner
--

CREATE TABLE crm_jobs.procrastinate_workers (
    id bigint NOT NULL,
    last_heartbeat timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY crm_jobs.procrastinate_workers FORCE ROW LEVEL SECURITY;


ALTER TABLE crm_jobs.procrastinate_workers OWNER TO crm_owner;

--
-- Name: TABLE procrastinate_workers; Type: COMMENT; Schema: crm_jobs; Owner: crm_owner
--

COMMENT ON TABLE crm_jobs.procrastinate_workers IS 'The job queue''s workers (Procrastinate): one row per running `crm worker`, with its heartbeat; a row whose heartbeat is older than CRM_WORKER_STALLED_SECONDS is a dead worker whose jobs are recovered. Written by the workers only (the operator''s role); crm_app has no privilege on it.';


--
-- Name: procrastinate_workers_id_seq; Type: SEQUENCE; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE crm_jobs.procrastinate_workers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME crm_jobs.procrastinate_workers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: applied; Type: TABLE; Schema: crm_migrations; Owner: crm_owner
--

CREATE TABLE crm_migrations.applied (
    version text NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE crm_migrations.applied OWNER TO crm_owner;

--
-- Name: definitions; Type: TABLE; Schema: crm_migrations; Owner: crm_owner
--

CREATE TABLE crm_migrations.definitions (
    path text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE crm_migrations.definitions OWNER TO crm_owner;

--
-- Name: procrastinate_events id; Type: DEFAULT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_events ALTER COLUMN id SET DEFAULT nextval('crm_jobs.procrastinate_events_id_seq'::regclass);


--
-- Name: procrastinate_jobs id; Type: DEFAULT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_jobs ALTER COLUMN id SET DEFAULT nextval('crm_jobs.procrastinate_jobs_id_seq'::regclass);


--
-- Name: procrastinate_periodic_defers id; Type: DEFAULT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_periodic_defers ALTER COLUMN id SET DEFAULT nextval('crm_jobs.procrastinate_periodic_defers_id_seq'::regclass);


--
-- Name: activities activities_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT activities_pkey PRIMARY KEY (id);


--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: backups backups_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.backups
    ADD CONSTRAINT backups_pkey PRIMARY KEY (id);


--
-- Name: calendar_conflicts calendar_conflicts_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_conflicts
    ADD CONSTRAINT calendar_conflicts_pkey PRIMARY KEY (id);


--
-- Name: calendar_connections calendar_connections_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_connections
    ADD CONSTRAINT calendar_connections_pkey PRIMARY KEY (id);


--
-- Name: calendar_events calendar_events_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_events
    ADD CONSTRAINT calendar_events_pkey PRIMARY KEY (id);


--
-- Name: calendar_feeds calendar_feeds_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_feeds
    ADD CONSTRAINT calendar_feeds_pkey PRIMARY KEY (id);


--
-- Name: companies companies_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (id);


--
-- Name: contact_interactions contact_interactions_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT contact_interactions_pkey PRIMARY KEY (id);


--
-- Name: contacts contacts_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT contacts_pkey PRIMARY KEY (id);


--
-- Name: deal_stage_history deal_stage_history_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT deal_stage_history_pkey PRIMARY KEY (id);


--
-- Name: deal_stages deal_stages_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stages
    ADD CONSTRAINT deal_stages_pkey PRIMARY KEY (id);


--
-- Name: deal_stakeholders deal_stakeholders_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT deal_stakeholders_pkey PRIMARY KEY (id);


--
-- Name: deals deals_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT deals_pkey PRIMARY KEY (id);


--
-- Name: duplicate_pairs duplicate_pairs_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.duplicate_pairs
    ADD CONSTRAINT duplicate_pairs_pkey PRIMARY KEY (id);


--
-- Name: forecast_snapshots forecast_snapshots_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.forecast_snapshots
    ADD CONSTRAINT forecast_snapshots_pkey PRIMARY KEY (id);


--
-- Name: import_mappings import_mappings_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.import_mappings
    ADD CONSTRAINT import_mappings_pkey PRIMARY KEY (id);


--
-- Name: legacy_activities legacy_activities_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT legacy_activities_pkey PRIMARY KEY (id);


--
-- Name: legacy_deals legacy_deals_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT legacy_deals_pkey PRIMARY KEY (id);


--
-- Name: legacy_import_runs legacy_import_runs_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT legacy_import_runs_pkey PRIMARY KEY (id);


--
-- Name: legacy_review_items legacy_review_items_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT legacy_review_items_pkey PRIMARY KEY (id);


--
-- Name: login_attempts login_attempts_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (id);


--
-- Name: lost_reasons lost_reasons_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.lost_reasons
    ADD CONSTRAINT lost_reasons_pkey PRIMARY KEY (id);


--
-- Name: mail_accounts mail_accounts_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_accounts
    ADD CONSTRAINT mail_accounts_pkey PRIMARY KEY (id);


--
-- Name: mail_contact_suggestions mail_contact_suggestions_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_contact_suggestions
    ADD CONSTRAINT mail_contact_suggestions_pkey PRIMARY KEY (id);


--
-- Name: mail_messages mail_messages_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_messages
    ADD CONSTRAINT mail_messages_pkey PRIMARY KEY (id);


--
-- Name: mail_never_log mail_never_log_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_never_log
    ADD CONSTRAINT mail_never_log_pkey PRIMARY KEY (id);


--
-- Name: meeting_action_items meeting_action_items_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT meeting_action_items_pkey PRIMARY KEY (id);


--
-- Name: meeting_attendees meeting_attendees_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT meeting_attendees_pkey PRIMARY KEY (id);


--
-- Name: meeting_sequences meeting_sequences_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT meeting_sequences_pkey PRIMARY KEY (id);


--
-- Name: meetings meetings_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT meetings_pkey PRIMARY KEY (id);


--
-- Name: notification_preferences notification_preferences_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notification_preferences
    ADD CONSTRAINT notification_preferences_pkey PRIMARY KEY (user_id, kind);


--
-- Name: notification_settings notification_settings_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (user_id);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: activity_daily_companies pk_activity_daily_companies; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_daily_companies
    ADD CONSTRAINT pk_activity_daily_companies PRIMARY KEY (user_id, day, company_id);


--
-- Name: activity_daily_totals pk_activity_daily_totals; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_daily_totals
    ADD CONSTRAINT pk_activity_daily_totals PRIMARY KEY (user_id, day, type) INCLUDE (activities, counted_quantity, counted_amount);


--
-- Name: activity_meetings pk_activity_meetings; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT pk_activity_meetings PRIMARY KEY (activity_id, meeting_id);


--
-- Name: api_idempotency_keys pk_api_idempotency_keys; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_idempotency_keys
    ADD CONSTRAINT pk_api_idempotency_keys PRIMARY KEY (token_id, key);


--
-- Name: api_rate_windows pk_api_rate_windows; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_rate_windows
    ADD CONSTRAINT pk_api_rate_windows PRIMARY KEY (token_id, window_start);


--
-- Name: company_activities pk_company_activities; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT pk_company_activities PRIMARY KEY (company_id, activity_id);


--
-- Name: company_score_history pk_company_score_history; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.company_score_history
    ADD CONSTRAINT pk_company_score_history PRIMARY KEY (company_id, day);


--
-- Name: deal_meetings pk_deal_meetings; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT pk_deal_meetings PRIMARY KEY (deal_id, meeting_id);


--
-- Name: deal_score_history pk_deal_score_history; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_score_history
    ADD CONSTRAINT pk_deal_score_history PRIMARY KEY (deal_id, day);


--
-- Name: deal_totals pk_deal_totals; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT pk_deal_totals PRIMARY KEY (owner_id, stage_id, status);


--
-- Name: task_totals pk_task_totals; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.task_totals
    ADD CONSTRAINT pk_task_totals PRIMARY KEY (assigned_to, status);


--
-- Name: quotas quotas_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.quotas
    ADD CONSTRAINT quotas_pkey PRIMARY KEY (id);


--
-- Name: record_merges record_merges_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.record_merges
    ADD CONSTRAINT record_merges_pkey PRIMARY KEY (id);


--
-- Name: saved_views saved_views_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.saved_views
    ADD CONSTRAINT saved_views_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);


--
-- Name: targets targets_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT targets_pkey PRIMARY KEY (id);


--
-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (id);


--
-- Name: api_tokens unique_api_tokens_token_hash; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_tokens
    ADD CONSTRAINT unique_api_tokens_token_hash UNIQUE (token_hash);


--
-- Name: calendar_connections unique_calendar_connections_user_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_connections
    ADD CONSTRAINT unique_calendar_connections_user_id UNIQUE (user_id);


--
-- Name: calendar_events unique_calendar_events_user_uid_occurrence; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_events
    ADD CONSTRAINT unique_calendar_events_user_uid_occurrence UNIQUE (user_id, uid, occurrence);


--
-- Name: calendar_feeds unique_calendar_feeds_token_hash; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_feeds
    ADD CONSTRAINT unique_calendar_feeds_token_hash UNIQUE (token_hash);


--
-- Name: deal_stages unique_deal_stages_position; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stages
    ADD CONSTRAINT unique_deal_stages_position UNIQUE ("position") DEFERRABLE INITIALLY DEFERRED;


--
-- Name: deal_stakeholders unique_deal_stakeholders_deal_id_and_contact_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT unique_deal_stakeholders_deal_id_and_contact_id UNIQUE (deal_id, contact_id);


--
-- Name: forecast_snapshots unique_forecast_snapshots_user_id_and_month; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.forecast_snapshots
    ADD CONSTRAINT unique_forecast_snapshots_user_id_and_month UNIQUE (user_id, month);


--
-- Name: legacy_activities unique_legacy_activities_legacy_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT unique_legacy_activities_legacy_id UNIQUE (legacy_id);


--
-- Name: legacy_deals unique_legacy_deals_legacy_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT unique_legacy_deals_legacy_id UNIQUE (legacy_id);


--
-- Name: mail_accounts unique_mail_accounts_user_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_accounts
    ADD CONSTRAINT unique_mail_accounts_user_id UNIQUE (user_id);


--
-- Name: meeting_attendees unique_meeting_attendees_meeting_id_and_contact_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT unique_meeting_attendees_meeting_id_and_contact_id UNIQUE (meeting_id, contact_id);


--
-- Name: meeting_attendees unique_meeting_attendees_meeting_id_and_user_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT unique_meeting_attendees_meeting_id_and_user_id UNIQUE (meeting_id, user_id);


--
-- Name: meeting_sequences unique_meeting_sequences_deal_id_and_meeting_id; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT unique_meeting_sequences_deal_id_and_meeting_id UNIQUE (deal_id, meeting_id);


--
-- Name: meeting_sequences unique_meeting_sequences_deal_id_and_sequence_number; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT unique_meeting_sequences_deal_id_and_sequence_number UNIQUE (deal_id, sequence_number);


--
-- Name: quotas unique_quotas_user_id_and_month; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.quotas
    ADD CONSTRAINT unique_quotas_user_id_and_month UNIQUE (user_id, month);


--
-- Name: targets unique_targets_user_id_and_month; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT unique_targets_user_id_and_month UNIQUE (user_id, month);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: webhook_attempts webhook_attempts_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_attempts
    ADD CONSTRAINT webhook_attempts_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);


--
-- Name: webhook_endpoints webhook_endpoints_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id);


--
-- Name: webhook_events webhook_events_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_events
    ADD CONSTRAINT webhook_events_pkey PRIMARY KEY (id);


--
-- Name: win_models win_models_pkey; Type: CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.win_models
    ADD CONSTRAINT win_models_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_events procrastinate_events_pkey; Type: CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_events
    ADD CONSTRAINT procrastinate_events_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_jobs procrastinate_jobs_pkey; Type: CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_jobs
    ADD CONSTRAINT procrastinate_jobs_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_pkey; Type: CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_pkey PRIMARY KEY (id);


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_unique; Type: CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_unique UNIQUE (task_name, periodic_id, defer_timestamp);


--
-- Name: procrastinate_workers procrastinate_workers_pkey; Type: CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_workers
    ADD CONSTRAINT procrastinate_workers_pkey PRIMARY KEY (id);


--
-- Name: applied applied_pkey; Type: CONSTRAINT; Schema: crm_migrations; Owner: crm_owner
--

ALTER TABLE ONLY crm_migrations.applied
    ADD CONSTRAINT applied_pkey PRIMARY KEY (version);


--
-- Name: definitions definitions_pkey; Type: CONSTRAINT; Schema: crm_migrations; Owner: crm_owner
--

ALTER TABLE ONLY crm_migrations.definitions
    ADD CONSTRAINT definitions_pkey PRIMARY KEY (path);


--
-- Name: index_activities_on_company_id_and_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_company_id_and_date ON crm.activities USING btree (company_id, date DESC);


--
-- Name: index_activities_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_contact_id ON crm.activities USING btree (contact_id);


--
-- Name: index_activities_on_date_for_scoring; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_date_for_scoring ON crm.activities USING btree (date) INCLUDE (id, deal_id, status, engagement_quality, sentiment_score);


--
-- Name: INDEX index_activities_on_date_for_scoring; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_activities_on_date_for_scoring IS 'Index-only scans for the scoring aggregates (deal activity, company activity, win features): bench/rescore.py.';


--
-- Name: index_activities_on_deal_id_and_date_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_deal_id_and_date_covering ON crm.activities USING btree (deal_id, date DESC) INCLUDE (status, sentiment_score, engagement_quality) WHERE (deal_id IS NOT NULL);


--
-- Name: INDEX index_activities_on_deal_id_and_date_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_activities_on_deal_id_and_date_covering IS 'A deal''s activities by date (deal page, deal foreign key) and, index-only, the win model''s per-deal activity features.';


--
-- Name: index_activities_on_id_unscored; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_id_unscored ON crm.activities USING btree (id) WHERE ((sentiment_score IS NULL) AND (details IS NOT NULL));


--
-- Name: INDEX index_activities_on_id_unscored; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_activities_on_id_unscored IS 'Activities whose text has no sentiment yet (the sentiment stage of crm score): bench/rescore.py.';


--
-- Name: index_activities_on_user_id_date_type_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_on_user_id_date_type_covering ON crm.activities USING btree (user_id, date DESC, type) INCLUDE (status, quantity, amount, company_id);


--
-- Name: INDEX index_activities_on_user_id_date_type_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_activities_on_user_id_date_type_covering IS 'A user''s activities by date and type, with what the dashboards sum: the per-day counts in another zone than the user''s, index-only.';


--
-- Name: index_activities_pending_on_deal_id_and_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activities_pending_on_deal_id_and_date ON crm.activities USING btree (deal_id, date) WHERE ((status = 'pending'::text) AND (deal_id IS NOT NULL));


--
-- Name: index_activity_daily_totals_on_user_id_type_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activity_daily_totals_on_user_id_type_covering ON crm.activity_daily_totals USING btree (user_id, type) INCLUDE (activities, day);


--
-- Name: INDEX index_activity_daily_totals_on_user_id_type_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_activity_daily_totals_on_user_id_type_covering IS 'The activities list''s counts per type (dashboard/views/activities.py), index-only: bench/pages.py.';


--
-- Name: index_activity_meetings_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_activity_meetings_on_meeting_id ON crm.activity_meetings USING btree (meeting_id);


--
-- Name: index_api_idempotency_keys_on_created_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_api_idempotency_keys_on_created_at ON crm.api_idempotency_keys USING btree (created_at);


--
-- Name: INDEX index_api_idempotency_keys_on_created_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_api_idempotency_keys_on_created_at IS 'The nightly cleanup of keys older than a day.';


--
-- Name: index_api_idempotency_keys_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_api_idempotency_keys_on_user_id ON crm.api_idempotency_keys USING btree (user_id);


--
-- Name: INDEX index_api_idempotency_keys_on_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_api_idempotency_keys_on_user_id IS 'The user foreign key.';


--
-- Name: index_api_tokens_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_api_tokens_on_user_id ON crm.api_tokens USING btree (user_id);


--
-- Name: INDEX index_api_tokens_on_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_api_tokens_on_user_id IS 'A user''s tokens (the account page, the CLI) and the user foreign key.';


--
-- Name: index_audit_log_on_actor_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_audit_log_on_actor_id ON crm.audit_log USING btree (actor_id);


--
-- Name: index_audit_log_on_occurred_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_audit_log_on_occurred_at ON crm.audit_log USING btree (occurred_at);


--
-- Name: index_audit_log_on_table_name_and_row_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_audit_log_on_table_name_and_row_id ON crm.audit_log USING btree (table_name, row_id);


--
-- Name: index_audit_log_on_transaction_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_audit_log_on_transaction_id ON crm.audit_log USING btree (transaction_id);


--
-- Name: index_backups_on_started_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_backups_on_started_at ON crm.backups USING btree (started_at DESC);


--
-- Name: INDEX index_backups_on_started_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_backups_on_started_at IS 'The backups page and the last backup: newest first.';


--
-- Name: index_calendar_conflicts_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_calendar_conflicts_on_meeting_id ON crm.calendar_conflicts USING btree (meeting_id);


--
-- Name: INDEX index_calendar_conflicts_on_meeting_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_calendar_conflicts_on_meeting_id IS 'The foreign key to meetings.';


--
-- Name: index_calendar_conflicts_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_calendar_conflicts_on_user_id ON crm.calendar_conflicts USING btree (user_id, occurred_at DESC);


--
-- Name: INDEX index_calendar_conflicts_on_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_calendar_conflicts_on_user_id IS 'A user''s latest conflicts (the account page; the foreign key).';


--
-- Name: index_calendar_events_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_calendar_events_on_meeting_id ON crm.calendar_events USING btree (meeting_id);


--
-- Name: INDEX index_calendar_events_on_meeting_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_calendar_events_on_meeting_id IS 'The event of a meeting (push of CRM changes; the foreign key).';


--
-- Name: index_calendar_events_on_user_id_and_href; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_calendar_events_on_user_id_and_href ON crm.calendar_events USING btree (user_id, href);


--
-- Name: INDEX index_calendar_events_on_user_id_and_href; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_calendar_events_on_user_id_and_href IS 'The occurrences of a calendar object (a changed or deleted href).';


--
-- Name: index_calendar_feeds_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_calendar_feeds_on_user_id ON crm.calendar_feeds USING btree (user_id);


--
-- Name: INDEX index_calendar_feeds_on_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_calendar_feeds_on_user_id IS 'A user''s feeds (the foreign key; cascade on user deletion).';


--
-- Name: index_companies_on_is_target_account; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_is_target_account ON crm.companies USING btree (owner_id) WHERE is_target_account;


--
-- Name: index_companies_on_lower_name_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_lower_name_and_id ON crm.companies USING btree (lower(name), id);


--
-- Name: index_companies_on_name_trgm; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_name_trgm ON crm.companies USING gin (lower(name) crm.gin_trgm_ops);


--
-- Name: index_companies_on_owner_id_and_lower_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_owner_id_and_lower_name ON crm.companies USING btree (owner_id, lower(name), id);


--
-- Name: index_companies_on_owner_id_engagement_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_owner_id_engagement_covering ON crm.companies USING btree (owner_id, engagement_score DESC) INCLUDE (id);


--
-- Name: index_companies_on_social_media_urls; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_social_media_urls ON crm.companies USING gin (social_media_urls);


--
-- Name: index_companies_on_technology_stack; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_companies_on_technology_stack ON crm.companies USING gin (technology_stack);


--
-- Name: index_company_activities_on_activity_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_company_activities_on_activity_id ON crm.company_activities USING btree (activity_id);


--
-- Name: index_company_score_history_on_day; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_company_score_history_on_day ON crm.company_score_history USING btree (day);


--
-- Name: index_contact_interactions_on_activity_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contact_interactions_on_activity_id ON crm.contact_interactions USING btree (activity_id);


--
-- Name: index_contact_interactions_on_contact_id_and_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contact_interactions_on_contact_id_and_date ON crm.contact_interactions USING btree (contact_id, interaction_date DESC);


--
-- Name: index_contact_interactions_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contact_interactions_on_meeting_id ON crm.contact_interactions USING btree (meeting_id);


--
-- Name: index_contact_interactions_on_user_id_and_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contact_interactions_on_user_id_and_date ON crm.contact_interactions USING btree (user_id, interaction_date DESC);


--
-- Name: index_contacts_on_company_id_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_company_id_covering ON crm.contacts USING btree (company_id) INCLUDE (id, decision_maker_score);


--
-- Name: INDEX index_contacts_on_company_id_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_contacts_on_company_id_covering IS 'A company''s contacts (company page, foreign key) and, index-only, the company scores'' contact-to-company map and best decision maker.';


--
-- Name: index_contacts_on_full_name_trgm; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_full_name_trgm ON crm.contacts USING gin (lower(((first_name || ' '::text) || last_name)) crm.gin_trgm_ops);


--
-- Name: index_contacts_on_lower_full_name_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_lower_full_name_and_id ON crm.contacts USING btree (lower(((first_name || ' '::text) || last_name)), id);


--
-- Name: index_contacts_on_owner_id_and_lower_full_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_owner_id_and_lower_full_name ON crm.contacts USING btree (owner_id, lower(((first_name || ' '::text) || last_name)), id);


--
-- Name: index_contacts_on_owner_id_engagement_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_owner_id_engagement_covering ON crm.contacts USING btree (owner_id, engagement_score DESC) INCLUDE (id);


--
-- Name: INDEX index_contacts_on_owner_id_engagement_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_contacts_on_owner_id_engagement_covering IS 'Contacts by owner (a rep''s and a team''s list counts, index-only; sort by engagement): bench/pages.py.';


--
-- Name: index_contacts_on_skills; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_skills ON crm.contacts USING gin (skills);


--
-- Name: index_contacts_on_social_media_urls; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_contacts_on_social_media_urls ON crm.contacts USING gin (social_media_urls);


--
-- Name: index_deal_meetings_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_meetings_on_meeting_id ON crm.deal_meetings USING btree (meeting_id);


--
-- Name: index_deal_score_history_on_day; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_score_history_on_day ON crm.deal_score_history USING btree (day);


--
-- Name: index_deal_stage_history_on_changed_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_stage_history_on_changed_by ON crm.deal_stage_history USING btree (changed_by);


--
-- Name: index_deal_stage_history_on_deal_id_and_changed_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_stage_history_on_deal_id_and_changed_at ON crm.deal_stage_history USING btree (deal_id, changed_at);


--
-- Name: index_deal_stage_history_on_from_stage_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_stage_history_on_from_stage_id ON crm.deal_stage_history USING btree (from_stage_id);


--
-- Name: index_deal_stage_history_on_to_stage_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_stage_history_on_to_stage_id ON crm.deal_stage_history USING btree (to_stage_id);


--
-- Name: index_deal_stakeholders_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_stakeholders_on_contact_id ON crm.deal_stakeholders USING btree (contact_id);


--
-- Name: index_deal_totals_on_stage_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deal_totals_on_stage_id ON crm.deal_totals USING btree (stage_id);


--
-- Name: index_deals_lost_by_owner_and_closed_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_lost_by_owner_and_closed_at ON crm.deals USING btree (owner_id, closed_at) WHERE (status = 'lost'::text);


--
-- Name: INDEX index_deals_lost_by_owner_and_closed_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_deals_lost_by_owner_and_closed_at IS 'Lost deals by owner and close time: a team''s losses in a period (crm.get_lost_reasons_report).';


--
-- Name: index_deals_on_company_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_company_id ON crm.deals USING btree (company_id);


--
-- Name: index_deals_on_competitor_analysis; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_competitor_analysis ON crm.deals USING gin (competitor_analysis);


--
-- Name: index_deals_on_expected_close_date_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_expected_close_date_and_id ON crm.deals USING btree (expected_close_date, id);


--
-- Name: index_deals_on_lost_reason_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_lost_reason_id ON crm.deals USING btree (lost_reason_id);


--
-- Name: index_deals_on_name_trgm; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_name_trgm ON crm.deals USING gin (lower(name) crm.gin_trgm_ops);


--
-- Name: index_deals_on_owner_id_and_intelligence; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_and_intelligence ON crm.deals USING btree (owner_id, deal_intelligence_score DESC);


--
-- Name: index_deals_on_owner_id_and_lower_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_and_lower_name ON crm.deals USING btree (owner_id, lower(name), id);


--
-- Name: index_deals_on_owner_id_links_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_links_covering ON crm.deals USING btree (owner_id) INCLUDE (id, company_id, primary_contact_id, stage_id, value);


--
-- Name: index_deals_on_owner_id_open_by_close_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_open_by_close_date ON crm.deals USING btree (owner_id, expected_close_date, id) WHERE (status = 'active'::text);


--
-- Name: INDEX index_deals_on_owner_id_open_by_close_date; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_deals_on_owner_id_open_by_close_date IS 'One owner''s active deals in the deal list''s default order.';


--
-- Name: index_deals_on_owner_id_open_by_intelligence; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_open_by_intelligence ON crm.deals USING btree (owner_id, deal_intelligence_score DESC, value DESC, id) WHERE (status = 'active'::text);


--
-- Name: index_deals_on_owner_id_open_by_value; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_open_by_value ON crm.deals USING btree (owner_id, value DESC, id) WHERE (status = 'active'::text);


--
-- Name: index_deals_on_owner_id_open_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_id_open_covering ON crm.deals USING btree (owner_id) INCLUDE (id, value, stage_id, expected_close_date) WHERE (status = 'active'::text);


--
-- Name: index_deals_on_owner_status_stage_close; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_owner_status_stage_close ON crm.deals USING btree (owner_id, status, stage_id, expected_close_date);


--
-- Name: index_deals_on_primary_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_primary_contact_id ON crm.deals USING btree (primary_contact_id);


--
-- Name: index_deals_on_risk_factors; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_risk_factors ON crm.deals USING gin (risk_factors);


--
-- Name: index_deals_on_stage_id_value_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_stage_id_value_and_id ON crm.deals USING btree (stage_id, value DESC, id);


--
-- Name: index_deals_on_stakeholder_mapping; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_on_stakeholder_mapping ON crm.deals USING gin (stakeholder_mapping);


--
-- Name: index_deals_open_by_close_date; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_open_by_close_date ON crm.deals USING btree (expected_close_date, id) WHERE (status = 'active'::text);


--
-- Name: INDEX index_deals_open_by_close_date; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_deals_open_by_close_date IS 'Active deals in the deal list''s default order (expected close date, then id).';


--
-- Name: index_deals_open_by_stage_entry; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_deals_open_by_stage_entry ON crm.deals USING btree (stage_id, stage_changed_at) WHERE (status = 'active'::text);


--
-- Name: INDEX index_deals_open_by_stage_entry; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_deals_open_by_stage_entry IS 'Open deals by stage and stage entry: the deals that became stalled lately (crm.produce_notifications).';


--
-- Name: index_duplicate_pairs_on_dismissed_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_duplicate_pairs_on_dismissed_by ON crm.duplicate_pairs USING btree (dismissed_by);


--
-- Name: INDEX index_duplicate_pairs_on_dismissed_by; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_duplicate_pairs_on_dismissed_by IS 'The dismissed_by foreign key.';


--
-- Name: index_duplicate_pairs_on_kind_first_second; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_duplicate_pairs_on_kind_first_second ON crm.duplicate_pairs USING btree (kind, first_id, second_id);


--
-- Name: INDEX index_duplicate_pairs_on_kind_first_second; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_duplicate_pairs_on_kind_first_second IS 'One row per pair of records: the scan upserts on it.';


--
-- Name: index_duplicate_pairs_on_kind_status_score; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_duplicate_pairs_on_kind_status_score ON crm.duplicate_pairs USING btree (kind, status, score DESC);


--
-- Name: INDEX index_duplicate_pairs_on_kind_status_score; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_duplicate_pairs_on_kind_status_score IS 'The duplicates page: open pairs of a kind, best first.';


--
-- Name: index_duplicate_pairs_on_second_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_duplicate_pairs_on_second_id ON crm.duplicate_pairs USING btree (second_id);


--
-- Name: INDEX index_duplicate_pairs_on_second_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_duplicate_pairs_on_second_id IS 'A merge drops the pairs of the removed record (first_id is served by the unique index with kind).';


--
-- Name: index_forecast_snapshots_on_month; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_forecast_snapshots_on_month ON crm.forecast_snapshots USING btree (month);


--
-- Name: INDEX index_forecast_snapshots_on_month; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_forecast_snapshots_on_month IS 'Whether a month has its snapshot, and the months a page shows.';


--
-- Name: index_legacy_activities_on_activity_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_activities_on_activity_id ON crm.legacy_activities USING btree (activity_id);


--
-- Name: index_legacy_activities_on_deal_legacy_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_activities_on_deal_legacy_id ON crm.legacy_activities USING btree (deal_legacy_id);


--
-- Name: index_legacy_deals_on_deal_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_deals_on_deal_id ON crm.legacy_deals USING btree (deal_id);


--
-- Name: index_legacy_deals_unmigrated; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_deals_unmigrated ON crm.legacy_deals USING btree (source) WHERE (migrated_at IS NULL);


--
-- Name: index_legacy_import_runs_on_retry_of; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_import_runs_on_retry_of ON crm.legacy_import_runs USING btree (retry_of);


--
-- Name: index_legacy_import_runs_on_started_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_import_runs_on_started_at ON crm.legacy_import_runs USING btree (started_at DESC);


--
-- Name: index_legacy_import_runs_on_started_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_import_runs_on_started_by ON crm.legacy_import_runs USING btree (started_by);


--
-- Name: index_legacy_review_items_on_import_run_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_review_items_on_import_run_id ON crm.legacy_review_items USING btree (import_run_id);


--
-- Name: index_legacy_review_items_on_legacy_deal_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_review_items_on_legacy_deal_id ON crm.legacy_review_items USING btree (legacy_deal_id);


--
-- Name: index_legacy_review_items_on_resolved_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_review_items_on_resolved_by ON crm.legacy_review_items USING btree (resolved_by);


--
-- Name: index_legacy_review_items_on_status_and_created_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_legacy_review_items_on_status_and_created_at ON crm.legacy_review_items USING btree (status, created_at);


--
-- Name: index_login_attempts_on_ip_and_time; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_login_attempts_on_ip_and_time ON crm.login_attempts USING btree (ip, attempted_at DESC);


--
-- Name: index_login_attempts_on_lower_email_and_time; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_login_attempts_on_lower_email_and_time ON crm.login_attempts USING btree (lower(email), attempted_at DESC);


--
-- Name: index_login_attempts_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_login_attempts_on_user_id ON crm.login_attempts USING btree (user_id);


--
-- Name: index_mail_contact_suggestions_on_company_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_mail_contact_suggestions_on_company_id ON crm.mail_contact_suggestions USING btree (company_id);


--
-- Name: INDEX index_mail_contact_suggestions_on_company_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_contact_suggestions_on_company_id IS 'The company foreign key.';


--
-- Name: index_mail_contact_suggestions_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_mail_contact_suggestions_on_contact_id ON crm.mail_contact_suggestions USING btree (contact_id) WHERE (contact_id IS NOT NULL);


--
-- Name: INDEX index_mail_contact_suggestions_on_contact_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_contact_suggestions_on_contact_id IS 'The contact foreign key.';


--
-- Name: index_mail_contact_suggestions_on_user_id_email; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_mail_contact_suggestions_on_user_id_email ON crm.mail_contact_suggestions USING btree (user_id, email);


--
-- Name: INDEX index_mail_contact_suggestions_on_user_id_email; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_contact_suggestions_on_user_id_email IS 'One suggestion per user and address; serves the user foreign key.';


--
-- Name: index_mail_messages_on_activity_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_mail_messages_on_activity_id ON crm.mail_messages USING btree (activity_id) WHERE (activity_id IS NOT NULL);


--
-- Name: INDEX index_mail_messages_on_activity_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_messages_on_activity_id IS 'The activity foreign key.';


--
-- Name: index_mail_messages_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_mail_messages_on_contact_id ON crm.mail_messages USING btree (contact_id) WHERE (contact_id IS NOT NULL);


--
-- Name: INDEX index_mail_messages_on_contact_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_messages_on_contact_id IS 'The contact foreign key.';


--
-- Name: index_mail_messages_on_user_id_message_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_mail_messages_on_user_id_message_id ON crm.mail_messages USING btree (user_id, message_id);


--
-- Name: INDEX index_mail_messages_on_user_id_message_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_messages_on_user_id_message_id IS 'One row per user and Message-ID (the sync''s idempotency); serves the user foreign key.';


--
-- Name: index_mail_messages_skipped; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_mail_messages_skipped ON crm.mail_messages USING btree (user_id, synced_at DESC) WHERE (skip_reason IS NOT NULL);


--
-- Name: INDEX index_mail_messages_skipped; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_messages_skipped IS 'A user''s skipped messages, newest first (the account page).';


--
-- Name: index_mail_never_log_on_user_id_entry; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_mail_never_log_on_user_id_entry ON crm.mail_never_log USING btree (user_id, entry);


--
-- Name: INDEX index_mail_never_log_on_user_id_entry; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_mail_never_log_on_user_id_entry IS 'Each entry once per user; serves the user foreign key.';


--
-- Name: index_meeting_action_items_on_assignee_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_action_items_on_assignee_id ON crm.meeting_action_items USING btree (assignee_id);


--
-- Name: index_meeting_action_items_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_action_items_on_meeting_id ON crm.meeting_action_items USING btree (meeting_id);


--
-- Name: index_meeting_attendees_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_attendees_on_contact_id ON crm.meeting_attendees USING btree (contact_id);


--
-- Name: index_meeting_attendees_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_attendees_on_user_id ON crm.meeting_attendees USING btree (user_id);


--
-- Name: index_meeting_sequences_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_sequences_on_meeting_id ON crm.meeting_sequences USING btree (meeting_id);


--
-- Name: index_meeting_sequences_on_previous_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meeting_sequences_on_previous_meeting_id ON crm.meeting_sequences USING btree (previous_meeting_id);


--
-- Name: index_meetings_on_company_id_and_starts_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_company_id_and_starts_at ON crm.meetings USING btree (company_id, starts_at DESC);


--
-- Name: index_meetings_on_owner_id_and_starts_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_owner_id_and_starts_at ON crm.meetings USING btree (owner_id, starts_at DESC);


--
-- Name: index_meetings_on_primary_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_primary_contact_id ON crm.meetings USING btree (primary_contact_id);


--
-- Name: index_meetings_on_primary_deal_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_primary_deal_id ON crm.meetings USING btree (primary_deal_id);


--
-- Name: index_meetings_on_starts_at_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_starts_at_and_id ON crm.meetings USING btree (starts_at DESC, id);


--
-- Name: index_meetings_on_title_trgm; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_meetings_on_title_trgm ON crm.meetings USING gin (lower(title) crm.gin_trgm_ops);


--
-- Name: index_notifications_email_queue; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_notifications_email_queue ON crm.notifications USING btree (user_id, created_at) WHERE (email_status = ANY (ARRAY['pending'::text, 'digest'::text]));


--
-- Name: INDEX index_notifications_email_queue; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_notifications_email_queue IS 'Notices whose email is still to go (one message each, or the next digest).';


--
-- Name: index_notifications_in_app_by_time; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_notifications_in_app_by_time ON crm.notifications USING btree (user_id, created_at DESC, id) WHERE in_app;


--
-- Name: INDEX index_notifications_in_app_by_time; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_notifications_in_app_by_time IS 'A user''s notification list, newest first.';


--
-- Name: index_notifications_once; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_notifications_once ON crm.notifications USING btree (user_id, kind, record_id, occurrence);


--
-- Name: INDEX index_notifications_once; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_notifications_once IS 'Each notice once: the dedupe key (user, kind, record, occurrence); also the user foreign key''s index.';


--
-- Name: index_notifications_unread; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_notifications_unread ON crm.notifications USING btree (user_id) WHERE (in_app AND (read_at IS NULL));


--
-- Name: INDEX index_notifications_unread; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_notifications_unread IS 'The bell''s unread count.';


--
-- Name: index_record_merges_on_merged_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_record_merges_on_merged_at ON crm.record_merges USING btree (merged_at DESC);


--
-- Name: INDEX index_record_merges_on_merged_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_record_merges_on_merged_at IS 'The merge history, newest first.';


--
-- Name: index_record_merges_on_merged_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_record_merges_on_merged_by ON crm.record_merges USING btree (merged_by);


--
-- Name: INDEX index_record_merges_on_merged_by; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_record_merges_on_merged_by IS 'The merged_by foreign key.';


--
-- Name: index_record_merges_on_undone_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_record_merges_on_undone_by ON crm.record_merges USING btree (undone_by);


--
-- Name: INDEX index_record_merges_on_undone_by; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_record_merges_on_undone_by IS 'The undone_by foreign key.';


--
-- Name: index_saved_views_on_team_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_saved_views_on_team_id ON crm.saved_views USING btree (team_id, list) WHERE shared;


--
-- Name: INDEX index_saved_views_on_team_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_saved_views_on_team_id IS 'The views shared with a team (and the team foreign key).';


--
-- Name: index_saved_views_on_user_id_list_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_saved_views_on_user_id_list_name ON crm.saved_views USING btree (user_id, list, lower(name));


--
-- Name: INDEX index_saved_views_on_user_id_list_name; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_saved_views_on_user_id_list_name IS 'One name per user and list (case-insensitive); serves the list of a user''s views.';


--
-- Name: index_saved_views_one_default; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_saved_views_one_default ON crm.saved_views USING btree (user_id, list) WHERE is_default;


--
-- Name: INDEX index_saved_views_one_default; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_saved_views_one_default IS 'At most one default view per user and list.';


--
-- Name: index_sessions_on_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_sessions_on_user_id ON crm.sessions USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: INDEX index_sessions_on_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_sessions_on_user_id IS 'A user''s live sessions (logout everywhere, password change, deactivation).';


--
-- Name: index_tasks_on_assigned_to_open_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_assigned_to_open_covering ON crm.tasks USING btree (assigned_to, due_date) INCLUDE (id, priority, created_by) WHERE (status = ANY (ARRAY['pending'::text, 'in_progress'::text]));


--
-- Name: index_tasks_on_assigned_to_status_due_covering; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_assigned_to_status_due_covering ON crm.tasks USING btree (assigned_to, status, due_date) INCLUDE (created_by);


--
-- Name: INDEX index_tasks_on_assigned_to_status_due_covering; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_tasks_on_assigned_to_status_due_covering IS 'Task counts by assignee, status and due date, index-only (the read policy''s columns included): bench/pages.py.';


--
-- Name: index_tasks_on_company_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_company_id ON crm.tasks USING btree (company_id);


--
-- Name: index_tasks_on_contact_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_contact_id ON crm.tasks USING btree (contact_id);


--
-- Name: index_tasks_on_created_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_created_by ON crm.tasks USING btree (created_by);


--
-- Name: index_tasks_on_deal_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_deal_id ON crm.tasks USING btree (deal_id);


--
-- Name: index_tasks_on_due_date_and_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_due_date_and_id ON crm.tasks USING btree (due_date, id);


--
-- Name: index_tasks_on_meeting_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_meeting_id ON crm.tasks USING btree (meeting_id);


--
-- Name: index_tasks_on_parent_task_id_and_sequence; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_parent_task_id_and_sequence ON crm.tasks USING btree (parent_task_id, sequence_order);


--
-- Name: index_tasks_on_title_trgm; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_tasks_on_title_trgm ON crm.tasks USING gin (lower(title) crm.gin_trgm_ops);


--
-- Name: INDEX index_tasks_on_title_trgm; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_tasks_on_title_trgm IS 'Task titles by substring and trigram similarity: crm.search_records.';


--
-- Name: index_teams_on_manager_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_teams_on_manager_id ON crm.teams USING btree (manager_id);


--
-- Name: index_users_on_manager_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_users_on_manager_id ON crm.users USING btree (manager_id);


--
-- Name: index_users_on_team_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_users_on_team_id ON crm.users USING btree (team_id);


--
-- Name: index_webhook_attempts_on_delivery_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_attempts_on_delivery_id ON crm.webhook_attempts USING btree (delivery_id, attempted_at);


--
-- Name: INDEX index_webhook_attempts_on_delivery_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_attempts_on_delivery_id IS 'A delivery''s attempts in order; the delivery_id foreign key.';


--
-- Name: index_webhook_deliveries_failed_by_last_attempt; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_deliveries_failed_by_last_attempt ON crm.webhook_deliveries USING btree (last_attempt_at) WHERE (status = 'failed'::text);


--
-- Name: INDEX index_webhook_deliveries_failed_by_last_attempt; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_deliveries_failed_by_last_attempt IS 'Failed deliveries by their last attempt: the webhook endpoints failing lately (crm.produce_notifications).';


--
-- Name: index_webhook_deliveries_on_endpoint_id_created_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_deliveries_on_endpoint_id_created_at ON crm.webhook_deliveries USING btree (endpoint_id, created_at DESC);


--
-- Name: INDEX index_webhook_deliveries_on_endpoint_id_created_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_deliveries_on_endpoint_id_created_at IS 'An endpoint''s recent deliveries (/admin/webhooks); the endpoint_id foreign key.';


--
-- Name: index_webhook_deliveries_on_event_id_endpoint_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX index_webhook_deliveries_on_event_id_endpoint_id ON crm.webhook_deliveries USING btree (event_id, endpoint_id);


--
-- Name: INDEX index_webhook_deliveries_on_event_id_endpoint_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_deliveries_on_event_id_endpoint_id IS 'Each event is delivered once per endpoint.';


--
-- Name: index_webhook_deliveries_on_next_attempt_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_deliveries_on_next_attempt_at ON crm.webhook_deliveries USING btree (next_attempt_at) WHERE (status = 'pending'::text);


--
-- Name: INDEX index_webhook_deliveries_on_next_attempt_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_deliveries_on_next_attempt_at IS 'The worker''s next due deliveries.';


--
-- Name: index_webhook_endpoints_on_created_by; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_endpoints_on_created_by ON crm.webhook_endpoints USING btree (created_by);


--
-- Name: INDEX index_webhook_endpoints_on_created_by; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_endpoints_on_created_by IS 'The created_by foreign key.';


--
-- Name: index_webhook_events_on_occurred_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_webhook_events_on_occurred_at ON crm.webhook_events USING btree (occurred_at);


--
-- Name: INDEX index_webhook_events_on_occurred_at; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.index_webhook_events_on_occurred_at IS 'The nightly cleanup of old events.';


--
-- Name: index_win_models_on_trained_at; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE INDEX index_win_models_on_trained_at ON crm.win_models USING btree (trained_at DESC);


--
-- Name: INDEX unique_api_tokens_token_hash; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.unique_api_tokens_token_hash IS 'The lookup of a presented token by its hash (app.current_user_id, app.api_token_status).';


--
-- Name: unique_calendar_feeds_live_user_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_calendar_feeds_live_user_id ON crm.calendar_feeds USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: INDEX unique_calendar_feeds_live_user_id; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.unique_calendar_feeds_live_user_id IS 'At most one live feed per user.';


--
-- Name: unique_companies_domain; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_companies_domain ON crm.companies USING btree (domain);


--
-- Name: unique_contact_interactions_contact_id_and_activity_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_contact_interactions_contact_id_and_activity_id ON crm.contact_interactions USING btree (contact_id, activity_id);


--
-- Name: unique_contacts_lower_email; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_contacts_lower_email ON crm.contacts USING btree (lower(email));


--
-- Name: unique_deal_stages_lower_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_deal_stages_lower_name ON crm.deal_stages USING btree (lower(name));


--
-- Name: INDEX unique_forecast_snapshots_user_id_and_month; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.unique_forecast_snapshots_user_id_and_month IS 'One snapshot row per user and month; serves the user foreign key.';


--
-- Name: unique_import_mappings_user_entity_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_import_mappings_user_entity_name ON crm.import_mappings USING btree (user_id, entity, lower(name));


--
-- Name: INDEX unique_import_mappings_user_entity_name; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.unique_import_mappings_user_entity_name IS 'One mapping of a name per user and entity (saving again replaces it); serves the user_id foreign key.';


--
-- Name: unique_legacy_review_items_pending_legacy_deal_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_legacy_review_items_pending_legacy_deal_id ON crm.legacy_review_items USING btree (legacy_deal_id) WHERE (status = 'pending'::text);


--
-- Name: unique_lost_reasons_lower_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_lost_reasons_lower_name ON crm.lost_reasons USING btree (lower(name));


--
-- Name: unique_meeting_action_items_task_id; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_meeting_action_items_task_id ON crm.meeting_action_items USING btree (task_id);


--
-- Name: INDEX unique_quotas_user_id_and_month; Type: COMMENT; Schema: crm; Owner: crm_owner
--

COMMENT ON INDEX crm.unique_quotas_user_id_and_month IS 'One quota per user and month; serves the (user, month) reads and the user foreign key.';


--
-- Name: unique_teams_lower_name; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_teams_lower_name ON crm.teams USING btree (lower(name));


--
-- Name: unique_users_lower_email; Type: INDEX; Schema: crm; Owner: crm_owner
--

CREATE UNIQUE INDEX unique_users_lower_email ON crm.users USING btree (lower(email));


--
-- Name: idx_procrastinate_jobs_worker_not_null; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX idx_procrastinate_jobs_worker_not_null ON crm_jobs.procrastinate_jobs USING btree (worker_id) WHERE ((worker_id IS NOT NULL) AND (status = 'doing'::crm_jobs.procrastinate_job_status));


--
-- Name: idx_procrastinate_workers_last_heartbeat; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX idx_procrastinate_workers_last_heartbeat ON crm_jobs.procrastinate_workers USING btree (last_heartbeat);


--
-- Name: procrastinate_events_job_id_fkey_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX procrastinate_events_job_id_fkey_v1 ON crm_jobs.procrastinate_events USING btree (job_id);


--
-- Name: procrastinate_jobs_id_lock_idx_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX procrastinate_jobs_id_lock_idx_v1 ON crm_jobs.procrastinate_jobs USING btree (id, lock) WHERE (status = ANY (ARRAY['todo'::crm_jobs.procrastinate_job_status, 'doing'::crm_jobs.procrastinate_job_status]));


--
-- Name: procrastinate_jobs_lock_idx_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE UNIQUE INDEX procrastinate_jobs_lock_idx_v1 ON crm_jobs.procrastinate_jobs USING btree (lock) WHERE (status = 'doing'::crm_jobs.procrastinate_job_status);


--
-- Name: procrastinate_jobs_priority_idx_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX procrastinate_jobs_priority_idx_v1 ON crm_jobs.procrastinate_jobs USING btree (priority DESC, id) WHERE (status = 'todo'::crm_jobs.procrastinate_job_status);


--
-- Name: procrastinate_jobs_queue_name_idx_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX procrastinate_jobs_queue_name_idx_v1 ON crm_jobs.procrastinate_jobs USING btree (queue_name);


--
-- Name: procrastinate_jobs_queueing_lock_idx_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE UNIQUE INDEX procrastinate_jobs_queueing_lock_idx_v1 ON crm_jobs.procrastinate_jobs USING btree (queueing_lock) WHERE (status = 'todo'::crm_jobs.procrastinate_job_status);


--
-- Name: procrastinate_periodic_defers_job_id_fkey_v1; Type: INDEX; Schema: crm_jobs; Owner: crm_owner
--

CREATE INDEX procrastinate_periodic_defers_job_id_fkey_v1 ON crm_jobs.procrastinate_periodic_defers USING btree (job_id);


--
-- Name: activities audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.activities FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: activity_meetings audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.activity_meetings FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: companies audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.companies FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: company_activities audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.company_activities FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: contact_interactions audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.contact_interactions FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: contacts audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.contacts FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deal_meetings audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.deal_meetings FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deal_stage_history audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.deal_stage_history FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deal_stages audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.deal_stages FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deal_stakeholders audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.deal_stakeholders FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deals audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: lost_reasons audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.lost_reasons FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: meeting_action_items audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.meeting_action_items FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: meeting_attendees audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.meeting_attendees FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: meeting_sequences audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.meeting_sequences FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: meetings audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.meetings FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: quotas audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.quotas FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: record_merges audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.record_merges FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: targets audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.targets FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: tasks audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.tasks FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: teams audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.teams FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: users audit_row_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER audit_row_change AFTER INSERT OR DELETE OR UPDATE ON crm.users FOR EACH ROW EXECUTE FUNCTION app.audit_row_change();


--
-- Name: deals check_owner_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER check_owner_change BEFORE UPDATE OF owner_id ON crm.deals FOR EACH ROW WHEN ((old.owner_id IS DISTINCT FROM new.owner_id)) EXECUTE FUNCTION app.deals_check_owner_change();


--
-- Name: deals check_stakeholder_mapping; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER check_stakeholder_mapping BEFORE INSERT OR UPDATE OF stakeholder_mapping ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.deals_check_stakeholder_mapping();


--
-- Name: users check_time_zone; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER check_time_zone BEFORE INSERT OR UPDATE OF time_zone ON crm.users FOR EACH ROW EXECUTE FUNCTION app.users_check_time_zone();


--
-- Name: users guard_admin_columns; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_admin_columns BEFORE UPDATE ON crm.users FOR EACH ROW EXECUTE FUNCTION app.users_guard_admin_columns();


--
-- Name: activities guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, user_id, type, status, subject, details, date, amount, quantity, company_id, contact_id, deal_id, activity_source, created_at ON crm.activities FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: activity_meetings guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF activity_id, meeting_id, created_at ON crm.activity_meetings FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: company_activities guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE INSERT OR DELETE OR UPDATE OF company_id, activity_id, relationship_strength, link_source, created_at ON crm.company_activities FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: contact_interactions guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, contact_id, user_id, activity_id, meeting_id, interaction_type, direction, engagement_score, interaction_date, notes, created_at ON crm.contact_interactions FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: contacts guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, first_name, last_name, email, phone, title, company_id, owner_id, job_seniority, social_media_urls, skills, preferred_contact_method, created_at ON crm.contacts FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: deal_meetings guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF deal_id, meeting_id, impact_score, outcome, stage_progression_expected, stakeholders_present, link_source, created_at ON crm.deal_meetings FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: deal_stakeholders guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, deal_id, contact_id, role, influence_level, relationship_strength, is_champion, notes, created_at ON crm.deal_stakeholders FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: deals guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, name, value, stage_id, owner_id, expected_close_date, status, closed_at, stage_changed_at, company_id, primary_contact_id, opportunity_score, competitor_analysis, stakeholder_mapping, technical_fit_score, budget_confirmed, created_at, lost_reason_id, forecast_category ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: meeting_action_items guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, meeting_id, description, assignee_id, priority, deadline, is_done, task_id, created_at ON crm.meeting_action_items FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: meeting_attendees guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, meeting_id, contact_id, user_id, name, email, is_external, role, created_at ON crm.meeting_attendees FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: meeting_sequences guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, deal_id, meeting_id, sequence_number, previous_meeting_id, days_since_previous, created_at ON crm.meeting_sequences FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: meetings guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, title, starts_at, ends_at, owner_id, company_id, primary_contact_id, primary_deal_id, summary, meeting_type, meeting_outcome, meeting_quality_score, follow_up_required, follow_up_created, next_steps, created_at ON crm.meetings FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: tasks guard_writes_on_others_records; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER guard_writes_on_others_records BEFORE DELETE OR UPDATE OF id, title, description, due_date, status, priority, task_type, assigned_to, created_by, deal_id, company_id, contact_id, meeting_id, parent_task_id, sequence_order, auto_generated, completed_at, created_at ON crm.tasks FOR EACH ROW EXECUTE FUNCTION app.guard_writes_on_others_records();


--
-- Name: activities maintain_daily_totals_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_daily_totals_delete AFTER DELETE ON crm.activities REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app.activities_maintain_daily_totals();


--
-- Name: activities maintain_daily_totals_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_daily_totals_insert AFTER INSERT ON crm.activities REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.activities_maintain_daily_totals();


--
-- Name: activities maintain_daily_totals_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_daily_totals_update AFTER UPDATE OF user_id, date, type, status, quantity, amount, company_id ON crm.activities FOR EACH ROW WHEN ((((((((old.user_id IS DISTINCT FROM new.user_id) OR (old.date IS DISTINCT FROM new.date)) OR (old.type IS DISTINCT FROM new.type)) OR (old.status IS DISTINCT FROM new.status)) OR (old.quantity IS DISTINCT FROM new.quantity)) OR (old.amount IS DISTINCT FROM new.amount)) OR (old.company_id IS DISTINCT FROM new.company_id))) EXECUTE FUNCTION app.activities_maintain_daily_totals();


--
-- Name: tasks maintain_hierarchy; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_hierarchy BEFORE INSERT OR UPDATE OF parent_task_id ON crm.tasks FOR EACH ROW EXECUTE FUNCTION app.tasks_maintain_hierarchy();


--
-- Name: activities maintain_links; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_links AFTER INSERT OR UPDATE OF company_id, contact_id, deal_id, user_id, type, date, details, sentiment_score ON crm.activities FOR EACH ROW EXECUTE FUNCTION app.activities_maintain_links();


--
-- Name: deals maintain_totals_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_delete AFTER DELETE ON crm.deals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app.deals_maintain_totals();


--
-- Name: tasks maintain_totals_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_delete AFTER DELETE ON crm.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION app.tasks_maintain_totals();


--
-- Name: deals maintain_totals_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_insert AFTER INSERT ON crm.deals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.deals_maintain_totals();


--
-- Name: tasks maintain_totals_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_insert AFTER INSERT ON crm.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.tasks_maintain_totals();


--
-- Name: deals maintain_totals_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_update AFTER UPDATE OF owner_id, stage_id, status, value, win_probability_ai, deal_intelligence_score ON crm.deals FOR EACH ROW WHEN (((((((old.owner_id IS DISTINCT FROM new.owner_id) OR (old.stage_id IS DISTINCT FROM new.stage_id)) OR (old.status IS DISTINCT FROM new.status)) OR (old.value IS DISTINCT FROM new.value)) OR ((old.win_probability_ai > crm.threshold('high_win_probability'::text)) IS DISTINCT FROM (new.win_probability_ai > crm.threshold('high_win_probability'::text)))) OR ((old.deal_intelligence_score > crm.threshold('top_opportunity_score'::text)) IS DISTINCT FROM (new.deal_intelligence_score > crm.threshold('top_opportunity_score'::text))))) EXECUTE FUNCTION app.deals_maintain_totals();


--
-- Name: tasks maintain_totals_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER maintain_totals_update AFTER UPDATE OF assigned_to, status, priority ON crm.tasks FOR EACH ROW WHEN ((((old.assigned_to IS DISTINCT FROM new.assigned_to) OR (old.status IS DISTINCT FROM new.status)) OR (old.priority IS DISTINCT FROM new.priority))) EXECUTE FUNCTION app.tasks_maintain_totals();


--
-- Name: deals notify_assignment_on_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER notify_assignment_on_insert AFTER INSERT ON crm.deals REFERENCING NEW TABLE AS inserted_deals FOR EACH STATEMENT EXECUTE FUNCTION app.deals_notify_assignment();


--
-- Name: deals notify_assignment_on_owner_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER notify_assignment_on_owner_change AFTER UPDATE OF owner_id ON crm.deals FOR EACH ROW WHEN ((old.owner_id IS DISTINCT FROM new.owner_id)) EXECUTE FUNCTION app.deals_notify_assignment();


--
-- Name: users protect_credentials; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER protect_credentials BEFORE INSERT OR UPDATE ON crm.users FOR EACH ROW EXECUTE FUNCTION app.users_protect_credentials();


--
-- Name: users rebucket_activity_totals; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER rebucket_activity_totals AFTER UPDATE OF time_zone ON crm.users FOR EACH ROW WHEN ((old.time_zone IS DISTINCT FROM new.time_zone)) EXECUTE FUNCTION app.users_rebucket_activity_totals();


--
-- Name: deals record_stage_change; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER record_stage_change AFTER INSERT OR UPDATE OF stage_id ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.deals_record_stage_change();


--
-- Name: tasks redepth_subtree; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER redepth_subtree AFTER UPDATE OF parent_task_id ON crm.tasks FOR EACH ROW WHEN ((old.parent_task_id IS DISTINCT FROM new.parent_task_id)) EXECUTE FUNCTION app.tasks_redepth_subtree();


--
-- Name: deal_stages refuse_removing_a_used_stage; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER refuse_removing_a_used_stage BEFORE DELETE ON crm.deal_stages FOR EACH ROW EXECUTE FUNCTION app.deal_stages_refuse_removing_used();


--
-- Name: contacts relink_activities; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER relink_activities AFTER UPDATE OF company_id ON crm.contacts FOR EACH ROW WHEN ((old.company_id IS DISTINCT FROM new.company_id)) EXECUTE FUNCTION app.relink_activities_on_company_change();


--
-- Name: deals relink_activities; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER relink_activities AFTER UPDATE OF company_id ON crm.deals FOR EACH ROW WHEN ((old.company_id IS DISTINCT FROM new.company_id)) EXECUTE FUNCTION app.relink_activities_on_company_change();


--
-- Name: activities set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.activities FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: calendar_connections set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.calendar_connections FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: companies set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.companies FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: contact_interactions set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.contact_interactions FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: contacts set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.contacts FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: deal_stages set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.deal_stages FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: deal_stakeholders set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.deal_stakeholders FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: deals set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: import_mappings set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.import_mappings FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: lost_reasons set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.lost_reasons FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: mail_accounts set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.mail_accounts FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: mail_contact_suggestions set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.mail_contact_suggestions FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: meeting_action_items set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.meeting_action_items FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: meeting_attendees set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.meeting_attendees FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: meetings set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.meetings FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: quotas set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.quotas FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: saved_views set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.saved_views FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: targets set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.targets FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: tasks set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.tasks FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: teams set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.teams FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: users set_updated_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER set_updated_at BEFORE UPDATE ON crm.users FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();


--
-- Name: tasks sync_completed_at; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER sync_completed_at BEFORE INSERT OR UPDATE OF status, completed_at ON crm.tasks FOR EACH ROW EXECUTE FUNCTION app.tasks_sync_completed_at();


--
-- Name: deals sync_status_from_stage; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER sync_status_from_stage BEFORE INSERT OR UPDATE OF stage_id, status, closed_at, lost_reason_id ON crm.deals FOR EACH ROW EXECUTE FUNCTION app.deals_sync_status_from_stage();


--
-- Name: activities webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.activities REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('activity');


--
-- Name: companies webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.companies REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('company');


--
-- Name: contacts webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.contacts REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('contact');


--
-- Name: deals webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.deals REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('deal');


--
-- Name: meetings webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.meetings REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('meeting');


--
-- Name: tasks webhook_capture_delete; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_delete AFTER DELETE ON crm.tasks REFERENCING OLD TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('task');


--
-- Name: activities webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.activities REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('activity');


--
-- Name: companies webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.companies REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('company');


--
-- Name: contacts webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.contacts REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('contact');


--
-- Name: deals webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.deals REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('deal');


--
-- Name: meetings webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.meetings REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('meeting');


--
-- Name: tasks webhook_capture_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_insert AFTER INSERT ON crm.tasks REFERENCING NEW TABLE AS webhook_rows FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_capture_rows('task');


--
-- Name: activities webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.activities FOR EACH ROW WHEN (((((((((((((old.user_id IS DISTINCT FROM new.user_id) OR (old.type IS DISTINCT FROM new.type)) OR (old.status IS DISTINCT FROM new.status)) OR (old.subject IS DISTINCT FROM new.subject)) OR (old.details IS DISTINCT FROM new.details)) OR (old.date IS DISTINCT FROM new.date)) OR (old.amount IS DISTINCT FROM new.amount)) OR (old.quantity IS DISTINCT FROM new.quantity)) OR (old.company_id IS DISTINCT FROM new.company_id)) OR (old.contact_id IS DISTINCT FROM new.contact_id)) OR (old.deal_id IS DISTINCT FROM new.deal_id)) OR (old.activity_source IS DISTINCT FROM new.activity_source))) EXECUTE FUNCTION app.webhook_capture('activity');


--
-- Name: companies webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.companies FOR EACH ROW WHEN ((((((((((((((((old.name IS DISTINCT FROM new.name) OR (old.domain IS DISTINCT FROM new.domain)) OR (old.industry IS DISTINCT FROM new.industry)) OR (old.size IS DISTINCT FROM new.size)) OR (old.website IS DISTINCT FROM new.website)) OR (old.address IS DISTINCT FROM new.address)) OR (old.phone IS DISTINCT FROM new.phone)) OR (old.description IS DISTINCT FROM new.description)) OR (old.owner_id IS DISTINCT FROM new.owner_id)) OR (old.annual_revenue IS DISTINCT FROM new.annual_revenue)) OR (old.employee_count IS DISTINCT FROM new.employee_count)) OR (old.technology_stack IS DISTINCT FROM new.technology_stack)) OR (old.is_target_account IS DISTINCT FROM new.is_target_account)) OR (old.account_tier IS DISTINCT FROM new.account_tier)) OR (old.social_media_urls IS DISTINCT FROM new.social_media_urls))) EXECUTE FUNCTION app.webhook_capture('company');


--
-- Name: contacts webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.contacts FOR EACH ROW WHEN ((((((((((((old.first_name IS DISTINCT FROM new.first_name) OR (old.last_name IS DISTINCT FROM new.last_name)) OR (old.email IS DISTINCT FROM new.email)) OR (old.phone IS DISTINCT FROM new.phone)) OR (old.title IS DISTINCT FROM new.title)) OR (old.company_id IS DISTINCT FROM new.company_id)) OR (old.owner_id IS DISTINCT FROM new.owner_id)) OR (old.job_seniority IS DISTINCT FROM new.job_seniority)) OR (old.social_media_urls IS DISTINCT FROM new.social_media_urls)) OR (old.skills IS DISTINCT FROM new.skills)) OR (old.preferred_contact_method IS DISTINCT FROM new.preferred_contact_method))) EXECUTE FUNCTION app.webhook_capture('contact');


--
-- Name: deals webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.deals FOR EACH ROW WHEN ((((((((((((((old.name IS DISTINCT FROM new.name) OR (old.value IS DISTINCT FROM new.value)) OR (old.stage_id IS DISTINCT FROM new.stage_id)) OR (old.owner_id IS DISTINCT FROM new.owner_id)) OR (old.expected_close_date IS DISTINCT FROM new.expected_close_date)) OR (old.status IS DISTINCT FROM new.status)) OR (old.closed_at IS DISTINCT FROM new.closed_at)) OR (old.stage_changed_at IS DISTINCT FROM new.stage_changed_at)) OR (old.company_id IS DISTINCT FROM new.company_id)) OR (old.primary_contact_id IS DISTINCT FROM new.primary_contact_id)) OR (old.budget_confirmed IS DISTINCT FROM new.budget_confirmed)) OR (old.lost_reason_id IS DISTINCT FROM new.lost_reason_id)) OR (old.forecast_category IS DISTINCT FROM new.forecast_category))) EXECUTE FUNCTION app.webhook_capture('deal');


--
-- Name: meetings webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.meetings FOR EACH ROW WHEN (((((((((((((old.title IS DISTINCT FROM new.title) OR (old.starts_at IS DISTINCT FROM new.starts_at)) OR (old.ends_at IS DISTINCT FROM new.ends_at)) OR (old.owner_id IS DISTINCT FROM new.owner_id)) OR (old.company_id IS DISTINCT FROM new.company_id)) OR (old.primary_contact_id IS DISTINCT FROM new.primary_contact_id)) OR (old.primary_deal_id IS DISTINCT FROM new.primary_deal_id)) OR (old.summary IS DISTINCT FROM new.summary)) OR (old.meeting_type IS DISTINCT FROM new.meeting_type)) OR (old.meeting_outcome IS DISTINCT FROM new.meeting_outcome)) OR (old.follow_up_required IS DISTINCT FROM new.follow_up_required)) OR (old.next_steps IS DISTINCT FROM new.next_steps))) EXECUTE FUNCTION app.webhook_capture('meeting');


--
-- Name: tasks webhook_capture_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_capture_update AFTER UPDATE ON crm.tasks FOR EACH ROW WHEN (((((((((((((((old.title IS DISTINCT FROM new.title) OR (old.description IS DISTINCT FROM new.description)) OR (old.due_date IS DISTINCT FROM new.due_date)) OR (old.status IS DISTINCT FROM new.status)) OR (old.priority IS DISTINCT FROM new.priority)) OR (old.task_type IS DISTINCT FROM new.task_type)) OR (old.assigned_to IS DISTINCT FROM new.assigned_to)) OR (old.created_by IS DISTINCT FROM new.created_by)) OR (old.deal_id IS DISTINCT FROM new.deal_id)) OR (old.company_id IS DISTINCT FROM new.company_id)) OR (old.contact_id IS DISTINCT FROM new.contact_id)) OR (old.meeting_id IS DISTINCT FROM new.meeting_id)) OR (old.parent_task_id IS DISTINCT FROM new.parent_task_id)) OR (old.completed_at IS DISTINCT FROM new.completed_at))) EXECUTE FUNCTION app.webhook_capture('task');


--
-- Name: webhook_deliveries webhook_wake_insert; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_wake_insert AFTER INSERT ON crm.webhook_deliveries REFERENCING NEW TABLE AS changed_deliveries FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_wake();


--
-- Name: webhook_deliveries webhook_wake_update; Type: TRIGGER; Schema: crm; Owner: crm_owner
--

CREATE TRIGGER webhook_wake_update AFTER UPDATE ON crm.webhook_deliveries REFERENCING NEW TABLE AS changed_deliveries FOR EACH STATEMENT EXECUTE FUNCTION app.webhook_wake();


--
-- Name: procrastinate_jobs procrastinate_jobs_notify_queue_job_aborted_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_jobs_notify_queue_job_aborted_v1 AFTER UPDATE OF abort_requested ON crm_jobs.procrastinate_jobs FOR EACH ROW WHEN (((old.abort_requested = false) AND (new.abort_requested = true) AND (new.status = 'doing'::crm_jobs.procrastinate_job_status))) EXECUTE FUNCTION crm_jobs.procrastinate_notify_queue_abort_job_v1();


--
-- Name: procrastinate_jobs procrastinate_jobs_notify_queue_job_inserted_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_jobs_notify_queue_job_inserted_v1 AFTER INSERT ON crm_jobs.procrastinate_jobs FOR EACH ROW WHEN ((new.status = 'todo'::crm_jobs.procrastinate_job_status)) EXECUTE FUNCTION crm_jobs.procrastinate_notify_queue_job_inserted_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_abort_requested_events_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_trigger_abort_requested_events_v1 AFTER UPDATE OF abort_requested ON crm_jobs.procrastinate_jobs FOR EACH ROW WHEN ((new.abort_requested = true)) EXECUTE FUNCTION crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_delete_jobs_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_trigger_delete_jobs_v1 BEFORE DELETE ON crm_jobs.procrastinate_jobs FOR EACH ROW EXECUTE FUNCTION crm_jobs.procrastinate_unlink_periodic_defers_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_scheduled_events_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_trigger_scheduled_events_v1 AFTER INSERT OR UPDATE ON crm_jobs.procrastinate_jobs FOR EACH ROW WHEN (((new.scheduled_at IS NOT NULL) AND (new.status = 'todo'::crm_jobs.procrastinate_job_status))) EXECUTE FUNCTION crm_jobs.procrastinate_trigger_function_scheduled_events_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_status_events_insert_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_trigger_status_events_insert_v1 AFTER INSERT ON crm_jobs.procrastinate_jobs FOR EACH ROW WHEN ((new.status = 'todo'::crm_jobs.procrastinate_job_status)) EXECUTE FUNCTION crm_jobs.procrastinate_trigger_function_status_events_insert_v1();


--
-- Name: procrastinate_jobs procrastinate_trigger_status_events_update_v1; Type: TRIGGER; Schema: crm_jobs; Owner: crm_owner
--

CREATE TRIGGER procrastinate_trigger_status_events_update_v1 AFTER UPDATE OF status ON crm_jobs.procrastinate_jobs FOR EACH ROW EXECUTE FUNCTION crm_jobs.procrastinate_trigger_function_status_events_update_v1();


--
-- Name: activities fk_activities_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;


--
-- Name: activities fk_activities_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: activities fk_activities_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;


--
-- Name: activities fk_activities_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activities
    ADD CONSTRAINT fk_activities_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: activity_daily_companies fk_activity_daily_companies_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_daily_companies
    ADD CONSTRAINT fk_activity_daily_companies_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: activity_daily_totals fk_activity_daily_totals_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_daily_totals
    ADD CONSTRAINT fk_activity_daily_totals_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: activity_meetings fk_activity_meetings_activity_id_activities; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT fk_activity_meetings_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;


--
-- Name: activity_meetings fk_activity_meetings_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.activity_meetings
    ADD CONSTRAINT fk_activity_meetings_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: api_idempotency_keys fk_api_idempotency_keys_token_id_api_tokens; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_idempotency_keys
    ADD CONSTRAINT fk_api_idempotency_keys_token_id_api_tokens FOREIGN KEY (token_id) REFERENCES crm.api_tokens(id) ON DELETE CASCADE;


--
-- Name: api_idempotency_keys fk_api_idempotency_keys_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_idempotency_keys
    ADD CONSTRAINT fk_api_idempotency_keys_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: api_rate_windows fk_api_rate_windows_token_id_api_tokens; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_rate_windows
    ADD CONSTRAINT fk_api_rate_windows_token_id_api_tokens FOREIGN KEY (token_id) REFERENCES crm.api_tokens(id) ON DELETE CASCADE;


--
-- Name: api_tokens fk_api_tokens_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.api_tokens
    ADD CONSTRAINT fk_api_tokens_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: calendar_conflicts fk_calendar_conflicts_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_conflicts
    ADD CONSTRAINT fk_calendar_conflicts_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;


--
-- Name: calendar_conflicts fk_calendar_conflicts_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_conflicts
    ADD CONSTRAINT fk_calendar_conflicts_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: calendar_connections fk_calendar_connections_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_connections
    ADD CONSTRAINT fk_calendar_connections_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: calendar_events fk_calendar_events_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_events
    ADD CONSTRAINT fk_calendar_events_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;


--
-- Name: calendar_events fk_calendar_events_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_events
    ADD CONSTRAINT fk_calendar_events_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: calendar_feeds fk_calendar_feeds_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.calendar_feeds
    ADD CONSTRAINT fk_calendar_feeds_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: companies fk_companies_owner_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.companies
    ADD CONSTRAINT fk_companies_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: company_activities fk_company_activities_activity_id_activities; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT fk_company_activities_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;


--
-- Name: company_activities fk_company_activities_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.company_activities
    ADD CONSTRAINT fk_company_activities_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE CASCADE;


--
-- Name: company_score_history fk_company_score_history_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.company_score_history
    ADD CONSTRAINT fk_company_score_history_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE CASCADE;


--
-- Name: contact_interactions fk_contact_interactions_activity_id_activities; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE CASCADE;


--
-- Name: contact_interactions fk_contact_interactions_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE CASCADE;


--
-- Name: contact_interactions fk_contact_interactions_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: contact_interactions fk_contact_interactions_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contact_interactions
    ADD CONSTRAINT fk_contact_interactions_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: contacts fk_contacts_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT fk_contacts_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;


--
-- Name: contacts fk_contacts_owner_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.contacts
    ADD CONSTRAINT fk_contacts_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: deal_meetings fk_deal_meetings_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT fk_deal_meetings_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;


--
-- Name: deal_meetings fk_deal_meetings_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_meetings
    ADD CONSTRAINT fk_deal_meetings_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: deal_score_history fk_deal_score_history_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_score_history
    ADD CONSTRAINT fk_deal_score_history_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;


--
-- Name: deal_stage_history fk_deal_stage_history_changed_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_changed_by_users FOREIGN KEY (changed_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: deal_stage_history fk_deal_stage_history_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;


--
-- Name: deal_stage_history fk_deal_stage_history_from_stage_id_deal_stages; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_from_stage_id_deal_stages FOREIGN KEY (from_stage_id) REFERENCES crm.deal_stages(id) ON DELETE SET NULL;


--
-- Name: deal_stage_history fk_deal_stage_history_to_stage_id_deal_stages; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stage_history
    ADD CONSTRAINT fk_deal_stage_history_to_stage_id_deal_stages FOREIGN KEY (to_stage_id) REFERENCES crm.deal_stages(id) ON DELETE SET NULL;


--
-- Name: deal_stakeholders fk_deal_stakeholders_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT fk_deal_stakeholders_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE CASCADE;


--
-- Name: deal_stakeholders fk_deal_stakeholders_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_stakeholders
    ADD CONSTRAINT fk_deal_stakeholders_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;


--
-- Name: deal_totals fk_deal_totals_owner_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT fk_deal_totals_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: deal_totals fk_deal_totals_stage_id_deal_stages; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deal_totals
    ADD CONSTRAINT fk_deal_totals_stage_id_deal_stages FOREIGN KEY (stage_id) REFERENCES crm.deal_stages(id) ON DELETE CASCADE;


--
-- Name: deals fk_deals_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;


--
-- Name: deals fk_deals_lost_reason_id_lost_reasons; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_lost_reason_id_lost_reasons FOREIGN KEY (lost_reason_id) REFERENCES crm.lost_reasons(id) ON DELETE RESTRICT;


--
-- Name: deals fk_deals_owner_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: deals fk_deals_primary_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_primary_contact_id_contacts FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: deals fk_deals_stage_id_deal_stages; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.deals
    ADD CONSTRAINT fk_deals_stage_id_deal_stages FOREIGN KEY (stage_id) REFERENCES crm.deal_stages(id) ON DELETE RESTRICT;


--
-- Name: duplicate_pairs fk_duplicate_pairs_dismissed_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.duplicate_pairs
    ADD CONSTRAINT fk_duplicate_pairs_dismissed_by_users FOREIGN KEY (dismissed_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: forecast_snapshots fk_forecast_snapshots_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.forecast_snapshots
    ADD CONSTRAINT fk_forecast_snapshots_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: import_mappings fk_import_mappings_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.import_mappings
    ADD CONSTRAINT fk_import_mappings_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: legacy_activities fk_legacy_activities_activity_id_activities; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_activities
    ADD CONSTRAINT fk_legacy_activities_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE SET NULL;


--
-- Name: legacy_deals fk_legacy_deals_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_deals
    ADD CONSTRAINT fk_legacy_deals_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;


--
-- Name: legacy_import_runs fk_legacy_import_runs_retry_of_legacy_import_runs; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT fk_legacy_import_runs_retry_of_legacy_import_runs FOREIGN KEY (retry_of) REFERENCES crm.legacy_import_runs(id) ON DELETE SET NULL;


--
-- Name: legacy_import_runs fk_legacy_import_runs_started_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_import_runs
    ADD CONSTRAINT fk_legacy_import_runs_started_by_users FOREIGN KEY (started_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: legacy_review_items fk_legacy_review_items_import_run_id_legacy_import_runs; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_import_run_id_legacy_import_runs FOREIGN KEY (import_run_id) REFERENCES crm.legacy_import_runs(id) ON DELETE SET NULL;


--
-- Name: legacy_review_items fk_legacy_review_items_legacy_deal_id_legacy_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_legacy_deal_id_legacy_deals FOREIGN KEY (legacy_deal_id) REFERENCES crm.legacy_deals(id) ON DELETE CASCADE;


--
-- Name: legacy_review_items fk_legacy_review_items_resolved_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.legacy_review_items
    ADD CONSTRAINT fk_legacy_review_items_resolved_by_users FOREIGN KEY (resolved_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: mail_accounts fk_mail_accounts_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_accounts
    ADD CONSTRAINT fk_mail_accounts_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: mail_contact_suggestions fk_mail_contact_suggestions_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_contact_suggestions
    ADD CONSTRAINT fk_mail_contact_suggestions_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE CASCADE;


--
-- Name: mail_contact_suggestions fk_mail_contact_suggestions_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_contact_suggestions
    ADD CONSTRAINT fk_mail_contact_suggestions_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: mail_contact_suggestions fk_mail_contact_suggestions_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_contact_suggestions
    ADD CONSTRAINT fk_mail_contact_suggestions_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: mail_messages fk_mail_messages_activity_id_activities; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_messages
    ADD CONSTRAINT fk_mail_messages_activity_id_activities FOREIGN KEY (activity_id) REFERENCES crm.activities(id) ON DELETE SET NULL;


--
-- Name: mail_messages fk_mail_messages_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_messages
    ADD CONSTRAINT fk_mail_messages_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: mail_messages fk_mail_messages_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_messages
    ADD CONSTRAINT fk_mail_messages_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: mail_never_log fk_mail_never_log_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.mail_never_log
    ADD CONSTRAINT fk_mail_never_log_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: meeting_action_items fk_meeting_action_items_assignee_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_assignee_id_users FOREIGN KEY (assignee_id) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: meeting_action_items fk_meeting_action_items_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: meeting_action_items fk_meeting_action_items_task_id_tasks; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_action_items
    ADD CONSTRAINT fk_meeting_action_items_task_id_tasks FOREIGN KEY (task_id) REFERENCES crm.tasks(id) ON DELETE SET NULL;


--
-- Name: meeting_attendees fk_meeting_attendees_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: meeting_attendees fk_meeting_attendees_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: meeting_attendees fk_meeting_attendees_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_attendees
    ADD CONSTRAINT fk_meeting_attendees_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: meeting_sequences fk_meeting_sequences_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE CASCADE;


--
-- Name: meeting_sequences fk_meeting_sequences_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE CASCADE;


--
-- Name: meeting_sequences fk_meeting_sequences_previous_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meeting_sequences
    ADD CONSTRAINT fk_meeting_sequences_previous_meeting_id_meetings FOREIGN KEY (previous_meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;


--
-- Name: meetings fk_meetings_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;


--
-- Name: meetings fk_meetings_owner_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_owner_id_users FOREIGN KEY (owner_id) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: meetings fk_meetings_primary_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_primary_contact_id_contacts FOREIGN KEY (primary_contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: meetings fk_meetings_primary_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.meetings
    ADD CONSTRAINT fk_meetings_primary_deal_id_deals FOREIGN KEY (primary_deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;


--
-- Name: notification_preferences fk_notification_preferences_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notification_preferences
    ADD CONSTRAINT fk_notification_preferences_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: notification_settings fk_notification_settings_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notification_settings
    ADD CONSTRAINT fk_notification_settings_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: notifications fk_notifications_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.notifications
    ADD CONSTRAINT fk_notifications_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: quotas fk_quotas_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.quotas
    ADD CONSTRAINT fk_quotas_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: record_merges fk_record_merges_merged_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.record_merges
    ADD CONSTRAINT fk_record_merges_merged_by_users FOREIGN KEY (merged_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: record_merges fk_record_merges_undone_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.record_merges
    ADD CONSTRAINT fk_record_merges_undone_by_users FOREIGN KEY (undone_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: saved_views fk_saved_views_team_id_teams; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.saved_views
    ADD CONSTRAINT fk_saved_views_team_id_teams FOREIGN KEY (team_id) REFERENCES crm.teams(id) ON DELETE SET NULL;


--
-- Name: saved_views fk_saved_views_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.saved_views
    ADD CONSTRAINT fk_saved_views_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: targets fk_targets_user_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.targets
    ADD CONSTRAINT fk_targets_user_id_users FOREIGN KEY (user_id) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: task_totals fk_task_totals_assigned_to_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.task_totals
    ADD CONSTRAINT fk_task_totals_assigned_to_users FOREIGN KEY (assigned_to) REFERENCES crm.users(id) ON DELETE CASCADE;


--
-- Name: tasks fk_tasks_assigned_to_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_assigned_to_users FOREIGN KEY (assigned_to) REFERENCES crm.users(id) ON DELETE RESTRICT;


--
-- Name: tasks fk_tasks_company_id_companies; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_company_id_companies FOREIGN KEY (company_id) REFERENCES crm.companies(id) ON DELETE SET NULL;


--
-- Name: tasks fk_tasks_contact_id_contacts; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_contact_id_contacts FOREIGN KEY (contact_id) REFERENCES crm.contacts(id) ON DELETE SET NULL;


--
-- Name: tasks fk_tasks_created_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_created_by_users FOREIGN KEY (created_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: tasks fk_tasks_deal_id_deals; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_deal_id_deals FOREIGN KEY (deal_id) REFERENCES crm.deals(id) ON DELETE SET NULL;


--
-- Name: tasks fk_tasks_meeting_id_meetings; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_meeting_id_meetings FOREIGN KEY (meeting_id) REFERENCES crm.meetings(id) ON DELETE SET NULL;


--
-- Name: tasks fk_tasks_parent_task_id_tasks; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.tasks
    ADD CONSTRAINT fk_tasks_parent_task_id_tasks FOREIGN KEY (parent_task_id) REFERENCES crm.tasks(id) ON DELETE CASCADE;


--
-- Name: teams fk_teams_manager_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.teams
    ADD CONSTRAINT fk_teams_manager_id_users FOREIGN KEY (manager_id) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: users fk_users_manager_id_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT fk_users_manager_id_users FOREIGN KEY (manager_id) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: users fk_users_team_id_teams; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.users
    ADD CONSTRAINT fk_users_team_id_teams FOREIGN KEY (team_id) REFERENCES crm.teams(id) ON DELETE SET NULL;


--
-- Name: webhook_attempts fk_webhook_attempts_delivery_id_webhook_deliveries; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_attempts
    ADD CONSTRAINT fk_webhook_attempts_delivery_id_webhook_deliveries FOREIGN KEY (delivery_id) REFERENCES crm.webhook_deliveries(id) ON DELETE CASCADE;


--
-- Name: webhook_deliveries fk_webhook_deliveries_endpoint_id_webhook_endpoints; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_deliveries
    ADD CONSTRAINT fk_webhook_deliveries_endpoint_id_webhook_endpoints FOREIGN KEY (endpoint_id) REFERENCES crm.webhook_endpoints(id) ON DELETE CASCADE;


--
-- Name: webhook_deliveries fk_webhook_deliveries_event_id_webhook_events; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_deliveries
    ADD CONSTRAINT fk_webhook_deliveries_event_id_webhook_events FOREIGN KEY (event_id) REFERENCES crm.webhook_events(id) ON DELETE CASCADE;


--
-- Name: webhook_endpoints fk_webhook_endpoints_created_by_users; Type: FK CONSTRAINT; Schema: crm; Owner: crm_owner
--

ALTER TABLE ONLY crm.webhook_endpoints
    ADD CONSTRAINT fk_webhook_endpoints_created_by_users FOREIGN KEY (created_by) REFERENCES crm.users(id) ON DELETE SET NULL;


--
-- Name: procrastinate_events procrastinate_events_job_id_fkey; Type: FK CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_events
    ADD CONSTRAINT procrastinate_events_job_id_fkey FOREIGN KEY (job_id) REFERENCES crm_jobs.procrastinate_jobs(id) ON DELETE CASCADE;


--
-- Name: procrastinate_jobs procrastinate_jobs_worker_id_fkey; Type: FK CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_jobs
    ADD CONSTRAINT procrastinate_jobs_worker_id_fkey FOREIGN KEY (worker_id) REFERENCES crm_jobs.procrastinate_workers(id) ON DELETE SET NULL;


--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers_job_id_fkey; Type: FK CONSTRAINT; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE ONLY crm_jobs.procrastinate_periodic_defers
    ADD CONSTRAINT procrastinate_periodic_defers_job_id_fkey FOREIGN KEY (job_id) REFERENCES crm_jobs.procrastinate_jobs(id);


--
-- Name: activities; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.activities ENABLE ROW LEVEL SECURITY;

--
-- Name: activities activities: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activities: create own" ON crm.activities FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: activities activities: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activities: delete own" ON crm.activities FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: activities activities: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activities: read own and team's" ON crm.activities FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: activities activities: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activities: update own" ON crm.activities FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: activity_daily_companies; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.activity_daily_companies ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_daily_companies activity_daily_companies: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_daily_companies: read own and team's" ON crm.activity_daily_companies FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: activity_daily_totals; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.activity_daily_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_daily_totals activity_daily_totals: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_daily_totals: read own and team's" ON crm.activity_daily_totals FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: activity_meetings; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.activity_meetings ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_meetings activity_meetings: create for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_meetings: create for own activities" ON crm.activity_meetings FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = activity_meetings.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: activity_meetings activity_meetings: delete for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_meetings: delete for own activities" ON crm.activity_meetings FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = activity_meetings.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: activity_meetings activity_meetings: read with the activity; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_meetings: read with the activity" ON crm.activity_meetings FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities a
  WHERE (a.id = activity_meetings.activity_id))));


--
-- Name: activity_meetings activity_meetings: update for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "activity_meetings: update for own activities" ON crm.activity_meetings FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = activity_meetings.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = activity_meetings.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: api_idempotency_keys; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.api_idempotency_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: api_idempotency_keys api_idempotency_keys: recorded by the presenting token; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "api_idempotency_keys: recorded by the presenting token" ON crm.api_idempotency_keys FOR INSERT TO crm_app WITH CHECK (((token_id = ( SELECT app.current_api_token_id() AS current_api_token_id)) AND (user_id = ( SELECT app.current_user_id() AS current_user_id))));


--
-- Name: api_idempotency_keys api_idempotency_keys: the presenting token's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "api_idempotency_keys: the presenting token's" ON crm.api_idempotency_keys FOR SELECT TO crm_app USING ((token_id = ( SELECT app.current_api_token_id() AS current_api_token_id)));


--
-- Name: api_rate_windows; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.api_rate_windows ENABLE ROW LEVEL SECURITY;

--
-- Name: api_rate_windows api_rate_windows: never read by the app (app.take_api_request o; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "api_rate_windows: never read by the app (app.take_api_request o" ON crm.api_rate_windows FOR SELECT TO crm_app USING (false);


--
-- Name: api_tokens; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.api_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: api_tokens api_tokens: read own, admins all; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "api_tokens: read own, admins all" ON crm.api_tokens FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: audit_log; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log audit_log: admins read all, others what they did to records the; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "audit_log: admins read all, others what they did to records the" ON crm.audit_log FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR ((actor_id = ( SELECT app.active_user_id() AS active_user_id)) AND
CASE table_name
    WHEN 'activities'::text THEN (EXISTS ( SELECT 1
       FROM crm.activities x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'companies'::text THEN (EXISTS ( SELECT 1
       FROM crm.companies x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'contact_interactions'::text THEN (EXISTS ( SELECT 1
       FROM crm.contact_interactions x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'contacts'::text THEN (EXISTS ( SELECT 1
       FROM crm.contacts x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'deal_stage_history'::text THEN (EXISTS ( SELECT 1
       FROM crm.deal_stage_history x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'deal_stages'::text THEN (EXISTS ( SELECT 1
       FROM crm.deal_stages x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'deal_stakeholders'::text THEN (EXISTS ( SELECT 1
       FROM crm.deal_stakeholders x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'deals'::text THEN (EXISTS ( SELECT 1
       FROM crm.deals x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'meeting_action_items'::text THEN (EXISTS ( SELECT 1
       FROM crm.meeting_action_items x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'meeting_attendees'::text THEN (EXISTS ( SELECT 1
       FROM crm.meeting_attendees x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'meeting_sequences'::text THEN (EXISTS ( SELECT 1
       FROM crm.meeting_sequences x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'meetings'::text THEN (EXISTS ( SELECT 1
       FROM crm.meetings x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'quotas'::text THEN (EXISTS ( SELECT 1
       FROM crm.quotas x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'targets'::text THEN (EXISTS ( SELECT 1
       FROM crm.targets x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'tasks'::text THEN (EXISTS ( SELECT 1
       FROM crm.tasks x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'teams'::text THEN (EXISTS ( SELECT 1
       FROM crm.teams x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'users'::text THEN (EXISTS ( SELECT 1
       FROM crm.users x
      WHERE (x.id = audit_log.row_id)))
    WHEN 'activity_meetings'::text THEN (EXISTS ( SELECT 1
       FROM crm.activities x
      WHERE (x.id = ((COALESCE(audit_log.new_values, audit_log.old_values) ->> 'activity_id'::text))::uuid)))
    WHEN 'company_activities'::text THEN (EXISTS ( SELECT 1
       FROM crm.activities x
      WHERE (x.id = ((COALESCE(audit_log.new_values, audit_log.old_values) ->> 'activity_id'::text))::uuid)))
    WHEN 'deal_meetings'::text THEN (EXISTS ( SELECT 1
       FROM crm.deals x
      WHERE (x.id = ((COALESCE(audit_log.new_values, audit_log.old_values) ->> 'deal_id'::text))::uuid)))
    ELSE false
END)));


--
-- Name: backups; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.backups ENABLE ROW LEVEL SECURITY;

--
-- Name: backups backups: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "backups: admins read" ON crm.backups FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: calendar_conflicts; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.calendar_conflicts ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_conflicts calendar_conflicts: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_conflicts: create own" ON crm.calendar_conflicts FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_conflicts calendar_conflicts: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_conflicts: delete own" ON crm.calendar_conflicts FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_conflicts calendar_conflicts: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_conflicts: read own" ON crm.calendar_conflicts FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_connections; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.calendar_connections ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_connections calendar_connections: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_connections: create own" ON crm.calendar_connections FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_connections calendar_connections: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_connections: delete own" ON crm.calendar_connections FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_connections calendar_connections: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_connections: read own" ON crm.calendar_connections FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_connections calendar_connections: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_connections: update own" ON crm.calendar_connections FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_events; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.calendar_events ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_events calendar_events: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_events: create own" ON crm.calendar_events FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_events calendar_events: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_events: delete own" ON crm.calendar_events FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_events calendar_events: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_events: read own" ON crm.calendar_events FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_events calendar_events: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_events: update own" ON crm.calendar_events FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: calendar_feeds; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.calendar_feeds ENABLE ROW LEVEL SECURITY;

--
-- Name: calendar_feeds calendar_feeds: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "calendar_feeds: read own" ON crm.calendar_feeds FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: companies; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.companies ENABLE ROW LEVEL SECURITY;

--
-- Name: companies companies: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "companies: create own" ON crm.companies FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: companies companies: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "companies: delete own" ON crm.companies FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: companies companies: read own, team's, and those of readable deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "companies: read own, team's, and those of readable deals" ON crm.companies FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])) OR (EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE ((d.company_id = companies.id) AND (d.owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])))))));


--
-- Name: companies companies: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "companies: update own" ON crm.companies FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: company_activities; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.company_activities ENABLE ROW LEVEL SECURITY;

--
-- Name: company_activities company_activities: create for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "company_activities: create for own activities" ON crm.company_activities FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = company_activities.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: company_activities company_activities: delete for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "company_activities: delete for own activities" ON crm.company_activities FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = company_activities.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: company_activities company_activities: read with the activity; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "company_activities: read with the activity" ON crm.company_activities FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities a
  WHERE (a.id = company_activities.activity_id))));


--
-- Name: company_activities company_activities: update for own activities; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "company_activities: update for own activities" ON crm.company_activities FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = company_activities.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.activities p
  WHERE ((p.id = company_activities.activity_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: company_score_history; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.company_score_history ENABLE ROW LEVEL SECURITY;

--
-- Name: company_score_history company_score_history: read with the company; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "company_score_history: read with the company" ON crm.company_score_history FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.companies c
  WHERE (c.id = company_score_history.company_id))));


--
-- Name: contact_interactions; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.contact_interactions ENABLE ROW LEVEL SECURITY;

--
-- Name: contact_interactions contact_interactions: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contact_interactions: create own" ON crm.contact_interactions FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: contact_interactions contact_interactions: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contact_interactions: delete own" ON crm.contact_interactions FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: contact_interactions contact_interactions: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contact_interactions: read own and team's" ON crm.contact_interactions FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: contact_interactions contact_interactions: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contact_interactions: update own" ON crm.contact_interactions FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: contacts; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.contacts ENABLE ROW LEVEL SECURITY;

--
-- Name: contacts contacts: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contacts: create own" ON crm.contacts FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: contacts contacts: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contacts: delete own" ON crm.contacts FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: contacts contacts: read own, team's, and those on readable deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contacts: read own, team's, and those on readable deals" ON crm.contacts FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])) OR (EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE ((d.primary_contact_id = contacts.id) AND (d.owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))))) OR (EXISTS ( SELECT 1
   FROM (crm.deal_stakeholders s
     JOIN crm.deals d ON ((d.id = s.deal_id)))
  WHERE ((s.contact_id = contacts.id) AND (d.owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])))))));


--
-- Name: contacts contacts: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "contacts: update own" ON crm.contacts FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: deal_meetings; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_meetings ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_meetings deal_meetings: create for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_meetings: create for own deals" ON crm.deal_meetings FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = deal_meetings.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: deal_meetings deal_meetings: delete for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_meetings: delete for own deals" ON crm.deal_meetings FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = deal_meetings.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: deal_meetings deal_meetings: read with the deal; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_meetings: read with the deal" ON crm.deal_meetings FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE (d.id = deal_meetings.deal_id))));


--
-- Name: deal_meetings deal_meetings: update for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_meetings: update for own deals" ON crm.deal_meetings FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = deal_meetings.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = deal_meetings.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: deal_score_history; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_score_history ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_score_history deal_score_history: read with the deal; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_score_history: read with the deal" ON crm.deal_score_history FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE (d.id = deal_score_history.deal_id))));


--
-- Name: deal_stage_history; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_stage_history ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_stage_history deal_stage_history: read with the deal; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stage_history: read with the deal" ON crm.deal_stage_history FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE (d.id = deal_stage_history.deal_id))));


--
-- Name: deal_stage_history deal_stage_history: written for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stage_history: written for own deals" ON crm.deal_stage_history FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE ((d.id = deal_stage_history.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (d.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: deal_stages; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_stages ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_stages deal_stages: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stages: admins create" ON crm.deal_stages FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stages deal_stages: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stages: admins delete" ON crm.deal_stages FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stages deal_stages: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stages: admins update" ON crm.deal_stages FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stages deal_stages: every user reads the pipeline; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stages: every user reads the pipeline" ON crm.deal_stages FOR SELECT TO crm_app USING ((( SELECT app.active_user_id() AS active_user_id) IS NOT NULL));


--
-- Name: deal_stakeholders; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_stakeholders ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_stakeholders deal_stakeholders: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stakeholders: admins create" ON crm.deal_stakeholders FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stakeholders deal_stakeholders: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stakeholders: admins delete" ON crm.deal_stakeholders FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stakeholders deal_stakeholders: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stakeholders: admins update" ON crm.deal_stakeholders FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: deal_stakeholders deal_stakeholders: read with the deal; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_stakeholders: read with the deal" ON crm.deal_stakeholders FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE (d.id = deal_stakeholders.deal_id))));


--
-- Name: deal_totals; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deal_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: deal_totals deal_totals: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deal_totals: read own and team's" ON crm.deal_totals FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: deals; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.deals ENABLE ROW LEVEL SECURITY;

--
-- Name: deals deals: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deals: create own" ON crm.deals FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: deals deals: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deals: delete own" ON crm.deals FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: deals deals: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deals: read own and team's" ON crm.deals FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: deals deals: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "deals: update own" ON crm.deals FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id)) OR (owner_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[])))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id)) OR (owner_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[]))));


--
-- Name: duplicate_pairs; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.duplicate_pairs ENABLE ROW LEVEL SECURITY;

--
-- Name: duplicate_pairs duplicate_pairs: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "duplicate_pairs: admins create" ON crm.duplicate_pairs FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: duplicate_pairs duplicate_pairs: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "duplicate_pairs: admins delete" ON crm.duplicate_pairs FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: duplicate_pairs duplicate_pairs: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "duplicate_pairs: admins read" ON crm.duplicate_pairs FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: duplicate_pairs duplicate_pairs: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "duplicate_pairs: admins update" ON crm.duplicate_pairs FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: forecast_snapshots; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.forecast_snapshots ENABLE ROW LEVEL SECURITY;

--
-- Name: forecast_snapshots forecast_snapshots: admins take them; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "forecast_snapshots: admins take them" ON crm.forecast_snapshots FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: forecast_snapshots forecast_snapshots: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "forecast_snapshots: read own and team's" ON crm.forecast_snapshots FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: import_mappings; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.import_mappings ENABLE ROW LEVEL SECURITY;

--
-- Name: import_mappings import_mappings: own create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "import_mappings: own create" ON crm.import_mappings FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: import_mappings import_mappings: own delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "import_mappings: own delete" ON crm.import_mappings FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: import_mappings import_mappings: own read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "import_mappings: own read" ON crm.import_mappings FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: import_mappings import_mappings: own update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "import_mappings: own update" ON crm.import_mappings FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: legacy_activities; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.legacy_activities ENABLE ROW LEVEL SECURITY;

--
-- Name: legacy_activities legacy_activities: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_activities: admins create" ON crm.legacy_activities FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_activities legacy_activities: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_activities: admins delete" ON crm.legacy_activities FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_activities legacy_activities: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_activities: admins read" ON crm.legacy_activities FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_activities legacy_activities: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_activities: admins update" ON crm.legacy_activities FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_deals; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.legacy_deals ENABLE ROW LEVEL SECURITY;

--
-- Name: legacy_deals legacy_deals: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_deals: admins create" ON crm.legacy_deals FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_deals legacy_deals: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_deals: admins delete" ON crm.legacy_deals FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_deals legacy_deals: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_deals: admins read" ON crm.legacy_deals FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_deals legacy_deals: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_deals: admins update" ON crm.legacy_deals FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_import_runs; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.legacy_import_runs ENABLE ROW LEVEL SECURITY;

--
-- Name: legacy_import_runs legacy_import_runs: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: admins create" ON crm.legacy_import_runs FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_import_runs legacy_import_runs: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: admins delete" ON crm.legacy_import_runs FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_import_runs legacy_import_runs: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: admins read" ON crm.legacy_import_runs FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_import_runs legacy_import_runs: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: admins update" ON crm.legacy_import_runs FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_import_runs legacy_import_runs: own record imports create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: own record imports create" ON crm.legacy_import_runs FOR INSERT TO crm_app WITH CHECK (((entity IS NOT NULL) AND (started_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: legacy_import_runs legacy_import_runs: own record imports read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: own record imports read" ON crm.legacy_import_runs FOR SELECT TO crm_app USING (((entity IS NOT NULL) AND (started_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: legacy_import_runs legacy_import_runs: own record imports update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_import_runs: own record imports update" ON crm.legacy_import_runs FOR UPDATE TO crm_app USING (((entity IS NOT NULL) AND (started_by = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK (((entity IS NOT NULL) AND (started_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: legacy_review_items; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.legacy_review_items ENABLE ROW LEVEL SECURITY;

--
-- Name: legacy_review_items legacy_review_items: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_review_items: admins create" ON crm.legacy_review_items FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_review_items legacy_review_items: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_review_items: admins delete" ON crm.legacy_review_items FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_review_items legacy_review_items: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_review_items: admins read" ON crm.legacy_review_items FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: legacy_review_items legacy_review_items: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "legacy_review_items: admins update" ON crm.legacy_review_items FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: login_attempts; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.login_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: login_attempts login_attempts: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "login_attempts: admins read" ON crm.login_attempts FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: lost_reasons; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.lost_reasons ENABLE ROW LEVEL SECURITY;

--
-- Name: lost_reasons lost_reasons: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "lost_reasons: admins create" ON crm.lost_reasons FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: lost_reasons lost_reasons: admins delete, never Not recorded; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "lost_reasons: admins delete, never Not recorded" ON crm.lost_reasons FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) AND (id <> '00000000-0000-4000-8000-000000000100'::uuid)));


--
-- Name: lost_reasons lost_reasons: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "lost_reasons: admins update" ON crm.lost_reasons FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: lost_reasons lost_reasons: every user reads the list; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "lost_reasons: every user reads the list" ON crm.lost_reasons FOR SELECT TO crm_app USING ((( SELECT app.active_user_id() AS active_user_id) IS NOT NULL));


--
-- Name: mail_accounts; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.mail_accounts ENABLE ROW LEVEL SECURITY;

--
-- Name: mail_accounts mail_accounts: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_accounts: create own" ON crm.mail_accounts FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_accounts mail_accounts: delete own (admins all); Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_accounts: delete own (admins all)" ON crm.mail_accounts FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: mail_accounts mail_accounts: read own (admins all); Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_accounts: read own (admins all)" ON crm.mail_accounts FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: mail_accounts mail_accounts: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_accounts: update own" ON crm.mail_accounts FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_contact_suggestions; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.mail_contact_suggestions ENABLE ROW LEVEL SECURITY;

--
-- Name: mail_contact_suggestions mail_contact_suggestions: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_contact_suggestions: create own" ON crm.mail_contact_suggestions FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_contact_suggestions mail_contact_suggestions: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_contact_suggestions: delete own" ON crm.mail_contact_suggestions FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_contact_suggestions mail_contact_suggestions: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_contact_suggestions: read own" ON crm.mail_contact_suggestions FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_contact_suggestions mail_contact_suggestions: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_contact_suggestions: update own" ON crm.mail_contact_suggestions FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_messages; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.mail_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: mail_messages mail_messages: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_messages: create own" ON crm.mail_messages FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_messages mail_messages: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_messages: delete own" ON crm.mail_messages FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_messages mail_messages: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_messages: read own and team's" ON crm.mail_messages FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: mail_messages mail_messages: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_messages: update own" ON crm.mail_messages FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_never_log; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.mail_never_log ENABLE ROW LEVEL SECURITY;

--
-- Name: mail_never_log mail_never_log: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_never_log: create own" ON crm.mail_never_log FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_never_log mail_never_log: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_never_log: delete own" ON crm.mail_never_log FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_never_log mail_never_log: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_never_log: read own" ON crm.mail_never_log FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: mail_never_log mail_never_log: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "mail_never_log: update own" ON crm.mail_never_log FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: meeting_action_items; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.meeting_action_items ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_action_items meeting_action_items: create for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_action_items: create for own meetings" ON crm.meeting_action_items FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_action_items.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_action_items meeting_action_items: delete for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_action_items: delete for own meetings" ON crm.meeting_action_items FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_action_items.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_action_items meeting_action_items: read with the meeting; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_action_items: read with the meeting" ON crm.meeting_action_items FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings m
  WHERE (m.id = meeting_action_items.meeting_id))));


--
-- Name: meeting_action_items meeting_action_items: update for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_action_items: update for own meetings" ON crm.meeting_action_items FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_action_items.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_action_items.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_attendees; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.meeting_attendees ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_attendees meeting_attendees: create for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_attendees: create for own meetings" ON crm.meeting_attendees FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_attendees.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_attendees meeting_attendees: delete for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_attendees: delete for own meetings" ON crm.meeting_attendees FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_attendees.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_attendees meeting_attendees: read with the meeting; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_attendees: read with the meeting" ON crm.meeting_attendees FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings m
  WHERE (m.id = meeting_attendees.meeting_id))));


--
-- Name: meeting_attendees meeting_attendees: update for own meetings; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_attendees: update for own meetings" ON crm.meeting_attendees FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_attendees.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.meetings p
  WHERE ((p.id = meeting_attendees.meeting_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_sequences; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.meeting_sequences ENABLE ROW LEVEL SECURITY;

--
-- Name: meeting_sequences meeting_sequences: create for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_sequences: create for own deals" ON crm.meeting_sequences FOR INSERT TO crm_app WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = meeting_sequences.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_sequences meeting_sequences: delete for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_sequences: delete for own deals" ON crm.meeting_sequences FOR DELETE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = meeting_sequences.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meeting_sequences meeting_sequences: read with the deal; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_sequences: read with the deal" ON crm.meeting_sequences FOR SELECT TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals d
  WHERE (d.id = meeting_sequences.deal_id))));


--
-- Name: meeting_sequences meeting_sequences: update for own deals; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meeting_sequences: update for own deals" ON crm.meeting_sequences FOR UPDATE TO crm_app USING ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = meeting_sequences.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id))))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM crm.deals p
  WHERE ((p.id = meeting_sequences.deal_id) AND (( SELECT app.is_admin() AS is_admin) OR (p.owner_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: meetings; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.meetings ENABLE ROW LEVEL SECURITY;

--
-- Name: meetings meetings: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meetings: create own" ON crm.meetings FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: meetings meetings: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meetings: delete own" ON crm.meetings FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: meetings meetings: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meetings: read own and team's" ON crm.meetings FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: meetings meetings: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "meetings: update own" ON crm.meetings FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (owner_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: notification_preferences; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.notification_preferences ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_preferences notification_preferences: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_preferences: create own" ON crm.notification_preferences FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_preferences notification_preferences: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_preferences: delete own" ON crm.notification_preferences FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_preferences notification_preferences: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_preferences: read own" ON crm.notification_preferences FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_preferences notification_preferences: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_preferences: update own" ON crm.notification_preferences FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_settings; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.notification_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_settings notification_settings: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_settings: create own" ON crm.notification_settings FOR INSERT TO crm_app WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_settings notification_settings: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_settings: read own" ON crm.notification_settings FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notification_settings notification_settings: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notification_settings: update own" ON crm.notification_settings FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notifications; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.notifications ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications notifications: mark own read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notifications: mark own read" ON crm.notifications FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: notifications notifications: read own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "notifications: read own" ON crm.notifications FOR SELECT TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: quotas; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.quotas ENABLE ROW LEVEL SECURITY;

--
-- Name: quotas quotas: admins and the managers of the user create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "quotas: admins and the managers of the user create" ON crm.quotas FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[]))));


--
-- Name: quotas quotas: admins and the managers of the user delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "quotas: admins and the managers of the user delete" ON crm.quotas FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[]))));


--
-- Name: quotas quotas: admins and the managers of the user update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "quotas: admins and the managers of the user update" ON crm.quotas FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[])))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.managed_user_ids() AS managed_user_ids)::uuid[]))));


--
-- Name: quotas quotas: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "quotas: read own and team's" ON crm.quotas FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: record_merges; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.record_merges ENABLE ROW LEVEL SECURITY;

--
-- Name: record_merges record_merges: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "record_merges: admins create" ON crm.record_merges FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND (merged_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: record_merges record_merges: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "record_merges: admins read" ON crm.record_merges FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: record_merges record_merges: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "record_merges: admins update" ON crm.record_merges FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: saved_views; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.saved_views ENABLE ROW LEVEL SECURITY;

--
-- Name: saved_views saved_views: create own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "saved_views: create own" ON crm.saved_views FOR INSERT TO crm_app WITH CHECK (((user_id = ( SELECT app.active_user_id() AS active_user_id)) AND ((team_id IS NULL) OR (team_id = ( SELECT app.current_team_id() AS current_team_id)))));


--
-- Name: saved_views saved_views: delete own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "saved_views: delete own" ON crm.saved_views FOR DELETE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id)));


--
-- Name: saved_views saved_views: read own and shared with my team; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "saved_views: read own and shared with my team" ON crm.saved_views FOR SELECT TO crm_app USING (((user_id = ( SELECT app.active_user_id() AS active_user_id)) OR (shared AND (team_id = ( SELECT app.current_team_id() AS current_team_id)))));


--
-- Name: saved_views saved_views: update own; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "saved_views: update own" ON crm.saved_views FOR UPDATE TO crm_app USING ((user_id = ( SELECT app.active_user_id() AS active_user_id))) WITH CHECK (((user_id = ( SELECT app.active_user_id() AS active_user_id)) AND ((team_id IS NULL) OR (team_id = ( SELECT app.current_team_id() AS current_team_id)))));


--
-- Name: sessions; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: sessions sessions: never read by the app (definer functions only); Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "sessions: never read by the app (definer functions only)" ON crm.sessions FOR SELECT TO crm_app USING (false);


--
-- Name: targets; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.targets ENABLE ROW LEVEL SECURITY;

--
-- Name: targets targets: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "targets: admins create" ON crm.targets FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: targets targets: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "targets: admins delete" ON crm.targets FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: targets targets: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "targets: admins update" ON crm.targets FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: targets targets: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "targets: read own and team's" ON crm.targets FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (user_id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: task_totals; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.task_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: task_totals task_totals: read own and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "task_totals: read own and team's" ON crm.task_totals FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (assigned_to = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: tasks; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.tasks ENABLE ROW LEVEL SECURITY;

--
-- Name: tasks tasks: create for self or (managers) team; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "tasks: create for self or (managers) team" ON crm.tasks FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR ((created_by = ( SELECT app.active_user_id() AS active_user_id)) AND (assigned_to = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])))));


--
-- Name: tasks tasks: delete assigned or created; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "tasks: delete assigned or created" ON crm.tasks FOR DELETE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (assigned_to = ( SELECT app.active_user_id() AS active_user_id)) OR (created_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: tasks tasks: read assigned, created, and team's; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "tasks: read assigned, created, and team's" ON crm.tasks FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (assigned_to = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[])) OR (created_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: tasks tasks: update assigned or created; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "tasks: update assigned or created" ON crm.tasks FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (assigned_to = ( SELECT app.active_user_id() AS active_user_id)) OR (created_by = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (assigned_to = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: teams; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.teams ENABLE ROW LEVEL SECURITY;

--
-- Name: teams teams: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "teams: admins create" ON crm.teams FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: teams teams: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "teams: admins delete" ON crm.teams FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: teams teams: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "teams: admins update" ON crm.teams FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: teams teams: read own team, managed team, all (admins); Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "teams: read own team, managed team, all (admins)" ON crm.teams FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (id = ( SELECT app.current_team_id() AS current_team_id)) OR (manager_id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: users; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "users: admins create" ON crm.users FOR INSERT TO crm_app WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: users users: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "users: admins delete" ON crm.users FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: users users: read self, team (managers), all (admins); Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "users: read self, team (managers), all (admins)" ON crm.users FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (id = ANY (( SELECT app.readable_user_ids() AS readable_user_ids)::uuid[]))));


--
-- Name: users users: update self or (admins) anyone; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "users: update self or (admins) anyone" ON crm.users FOR UPDATE TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR (id = ( SELECT app.active_user_id() AS active_user_id)))) WITH CHECK ((( SELECT app.is_admin() AS is_admin) OR (id = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: webhook_attempts; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.webhook_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_attempts webhook_attempts: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_attempts: admins read" ON crm.webhook_attempts FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: webhook_deliveries; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.webhook_deliveries ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_deliveries webhook_deliveries: admins create test deliveries; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_deliveries: admins create test deliveries" ON crm.webhook_deliveries FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND (status = 'pending'::text) AND (attempts = 0) AND (EXISTS ( SELECT
   FROM crm.webhook_events e
  WHERE ((e.id = webhook_deliveries.event_id) AND (e.type = 'webhook.test'::text))))));


--
-- Name: webhook_deliveries webhook_deliveries: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_deliveries: admins read" ON crm.webhook_deliveries FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: webhook_deliveries webhook_deliveries: admins replay; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_deliveries: admins replay" ON crm.webhook_deliveries FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND (status = 'pending'::text)));


--
-- Name: webhook_endpoints; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.webhook_endpoints ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_endpoints webhook_endpoints: admins create; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_endpoints: admins create" ON crm.webhook_endpoints FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND (created_by = ( SELECT app.active_user_id() AS active_user_id))));


--
-- Name: webhook_endpoints webhook_endpoints: admins delete; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_endpoints: admins delete" ON crm.webhook_endpoints FOR DELETE TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: webhook_endpoints webhook_endpoints: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_endpoints: admins read" ON crm.webhook_endpoints FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: webhook_endpoints webhook_endpoints: admins update; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_endpoints: admins update" ON crm.webhook_endpoints FOR UPDATE TO crm_app USING (( SELECT app.is_admin() AS is_admin)) WITH CHECK (( SELECT app.is_admin() AS is_admin));


--
-- Name: webhook_events; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.webhook_events ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_events webhook_events: admins create test events; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_events: admins create test events" ON crm.webhook_events FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND (type = 'webhook.test'::text) AND (record_id IS NULL)));


--
-- Name: webhook_events webhook_events: admins read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "webhook_events: admins read" ON crm.webhook_events FOR SELECT TO crm_app USING (( SELECT app.is_admin() AS is_admin));


--
-- Name: win_models; Type: ROW SECURITY; Schema: crm; Owner: crm_owner
--

ALTER TABLE crm.win_models ENABLE ROW LEVEL SECURITY;

--
-- Name: win_models win_models: admins and AI users read; Type: POLICY; Schema: crm; Owner: crm_owner
--

CREATE POLICY "win_models: admins and AI users read" ON crm.win_models FOR SELECT TO crm_app USING ((( SELECT app.is_admin() AS is_admin) OR ( SELECT COALESCE(bool_or((u.ai_features AND u.is_active)), false) AS "coalesce"
   FROM crm.users u
  WHERE (u.id = ( SELECT app.active_user_id() AS active_user_id)))));


--
-- Name: procrastinate_events; Type: ROW SECURITY; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE crm_jobs.procrastinate_events ENABLE ROW LEVEL SECURITY;

--
-- Name: procrastinate_events procrastinate_events: the deferred event of a job one enqueues; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_events: the deferred event of a job one enqueues" ON crm_jobs.procrastinate_events FOR INSERT TO crm_app WITH CHECK (((type = 'deferred'::crm_jobs.procrastinate_job_event_type) AND (EXISTS ( SELECT
   FROM crm_jobs.procrastinate_jobs j
  WHERE (j.id = procrastinate_events.job_id)))));


--
-- Name: procrastinate_jobs; Type: ROW SECURITY; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE crm_jobs.procrastinate_jobs ENABLE ROW LEVEL SECURITY;

--
-- Name: procrastinate_jobs procrastinate_jobs: admins enqueue a backup; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: admins enqueue a backup" ON crm_jobs.procrastinate_jobs FOR INSERT TO crm_app WITH CHECK ((((queue_name)::text = 'maintenance'::text) AND ((task_name)::text = 'backup'::text) AND (status = 'todo'::crm_jobs.procrastinate_job_status) AND (attempts = 0) AND (worker_id IS NULL) AND (NOT abort_requested) AND ( SELECT app.is_admin() AS is_admin)));


--
-- Name: procrastinate_jobs procrastinate_jobs: admins enqueue the duplicate scan; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: admins enqueue the duplicate scan" ON crm_jobs.procrastinate_jobs FOR INSERT TO crm_app WITH CHECK ((( SELECT app.is_admin() AS is_admin) AND ((queue_name)::text = 'maintenance'::text) AND ((task_name)::text = 'duplicate_scan'::text) AND (status = 'todo'::crm_jobs.procrastinate_job_status) AND (attempts = 0) AND (worker_id IS NULL) AND (NOT abort_requested)));


--
-- Name: procrastinate_jobs procrastinate_jobs: admins read the backup jobs; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: admins read the backup jobs" ON crm_jobs.procrastinate_jobs FOR SELECT TO crm_app USING ((((task_name)::text = 'backup'::text) AND ( SELECT app.is_admin() AS is_admin)));


--
-- Name: procrastinate_jobs procrastinate_jobs: admins read the duplicate scan jobs; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: admins read the duplicate scan jobs" ON crm_jobs.procrastinate_jobs FOR SELECT TO crm_app USING ((((task_name)::text = 'duplicate_scan'::text) AND ( SELECT app.is_admin() AS is_admin)));


--
-- Name: procrastinate_jobs procrastinate_jobs: enqueue the import of a visible queued run; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: enqueue the import of a visible queued run" ON crm_jobs.procrastinate_jobs FOR INSERT TO crm_app WITH CHECK ((((queue_name)::text = 'imports'::text) AND ((task_name)::text = 'import_run'::text) AND (status = 'todo'::crm_jobs.procrastinate_job_status) AND (attempts = 0) AND (worker_id IS NULL) AND (NOT abort_requested) AND (EXISTS ( SELECT
   FROM crm.legacy_import_runs r
  WHERE ((r.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'import_run'::text) THEN ((procrastinate_jobs.args ->> 'run_id'::text))::uuid
            ELSE NULL::uuid
        END) AND (r.status = 'queued'::text))))));


--
-- Name: procrastinate_jobs procrastinate_jobs: enqueue the sync of one's own calendar; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: enqueue the sync of one's own calendar" ON crm_jobs.procrastinate_jobs FOR INSERT TO crm_app WITH CHECK ((((queue_name)::text = 'calendar'::text) AND ((task_name)::text = 'calendar_sync'::text) AND (status = 'todo'::crm_jobs.procrastinate_job_status) AND (attempts = 0) AND (worker_id IS NULL) AND (NOT abort_requested) AND (EXISTS ( SELECT
   FROM crm.calendar_connections c
  WHERE ((c.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'calendar_sync'::text) THEN ((procrastinate_jobs.args ->> 'connection_id'::text))::uuid
            ELSE NULL::uuid
        END) AND (c.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: procrastinate_jobs procrastinate_jobs: enqueue the sync of one's own mailbox; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: enqueue the sync of one's own mailbox" ON crm_jobs.procrastinate_jobs FOR INSERT TO crm_app WITH CHECK ((((queue_name)::text = 'mail'::text) AND ((task_name)::text = 'mail_sync'::text) AND (status = 'todo'::crm_jobs.procrastinate_job_status) AND (attempts = 0) AND (worker_id IS NULL) AND (NOT abort_requested) AND (EXISTS ( SELECT
   FROM crm.mail_accounts a
  WHERE ((a.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'mail_sync'::text) THEN ((procrastinate_jobs.args ->> 'account_id'::text))::uuid
            ELSE NULL::uuid
        END) AND (a.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: procrastinate_jobs procrastinate_jobs: read the import jobs of visible runs; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: read the import jobs of visible runs" ON crm_jobs.procrastinate_jobs FOR SELECT TO crm_app USING ((((task_name)::text = 'import_run'::text) AND (EXISTS ( SELECT
   FROM crm.legacy_import_runs r
  WHERE (r.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'import_run'::text) THEN ((procrastinate_jobs.args ->> 'run_id'::text))::uuid
            ELSE NULL::uuid
        END)))));


--
-- Name: procrastinate_jobs procrastinate_jobs: read the sync jobs of one's own calendar; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: read the sync jobs of one's own calendar" ON crm_jobs.procrastinate_jobs FOR SELECT TO crm_app USING ((((task_name)::text = 'calendar_sync'::text) AND (EXISTS ( SELECT
   FROM crm.calendar_connections c
  WHERE (c.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'calendar_sync'::text) THEN ((procrastinate_jobs.args ->> 'connection_id'::text))::uuid
            ELSE NULL::uuid
        END)))));


--
-- Name: procrastinate_jobs procrastinate_jobs: read the syncs of one's own mailbox; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_jobs: read the syncs of one's own mailbox" ON crm_jobs.procrastinate_jobs FOR SELECT TO crm_app USING ((((task_name)::text = 'mail_sync'::text) AND (EXISTS ( SELECT
   FROM crm.mail_accounts a
  WHERE ((a.id =
        CASE
            WHEN ((procrastinate_jobs.task_name)::text = 'mail_sync'::text) THEN ((procrastinate_jobs.args ->> 'account_id'::text))::uuid
            ELSE NULL::uuid
        END) AND (a.user_id = ( SELECT app.active_user_id() AS active_user_id)))))));


--
-- Name: procrastinate_periodic_defers; Type: ROW SECURITY; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE crm_jobs.procrastinate_periodic_defers ENABLE ROW LEVEL SECURITY;

--
-- Name: procrastinate_periodic_defers procrastinate_periodic_defers: never read by the app; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_periodic_defers: never read by the app" ON crm_jobs.procrastinate_periodic_defers FOR SELECT TO crm_app USING (false);


--
-- Name: procrastinate_workers; Type: ROW SECURITY; Schema: crm_jobs; Owner: crm_owner
--

ALTER TABLE crm_jobs.procrastinate_workers ENABLE ROW LEVEL SECURITY;

--
-- Name: procrastinate_workers procrastinate_workers: never read by the app; Type: POLICY; Schema: crm_jobs; Owner: crm_owner
--

CREATE POLICY "procrastinate_workers: never read by the app" ON crm_jobs.procrastinate_workers FOR SELECT TO crm_app USING (false);


--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: crm_owner
--

GRANT USAGE ON SCHEMA app TO crm_app;
GRANT USAGE ON SCHEMA app TO crm_helper;


--
-- Name: SCHEMA crm; Type: ACL; Schema: -; Owner: crm_owner
--

GRANT USAGE ON SCHEMA crm TO crm_app;
GRANT USAGE ON SCHEMA crm TO crm_helper;


--
-- Name: SCHEMA crm_jobs; Type: ACL; Schema: -; Owner: crm_owner
--

GRANT USAGE ON SCHEMA crm_jobs TO crm_app;
GRANT USAGE ON SCHEMA crm_jobs TO crm_helper;


--
-- Name: FUNCTION active_user_id(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.active_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app.active_user_id() TO crm_app;


--
-- Name: FUNCTION activities_maintain_daily_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.activities_maintain_daily_totals() FROM PUBLIC;


--
-- Name: FUNCTION activities_maintain_links(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.activities_maintain_links() FROM PUBLIC;


--
-- Name: FUNCTION api_token_status(presented text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.api_token_status(presented text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.api_token_status(presented text) TO crm_app;


--
-- Name: FUNCTION audit_row_change(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.audit_row_change() FROM PUBLIC;


--
-- Name: FUNCTION change_own_password(current_encoded text, new_encoded text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.change_own_password(current_encoded text, new_encoded text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.change_own_password(current_encoded text, new_encoded text) TO crm_app;


--
-- Name: FUNCTION check_own_password(encoded text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.check_own_password(encoded text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.check_own_password(encoded text) TO crm_app;


--
-- Name: FUNCTION computed_columns(table_name text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.computed_columns(table_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.computed_columns(table_name text) TO crm_app;
GRANT ALL ON FUNCTION app.computed_columns(table_name text) TO crm_helper;


--
-- Name: FUNCTION create_api_token(token_name text, token_scope text, expires_days integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.create_api_token(token_name text, token_scope text, expires_days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.create_api_token(token_name text, token_scope text, expires_days integer) TO crm_app;


--
-- Name: FUNCTION current_api_token_id(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.current_api_token_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_api_token_id() TO crm_app;


--
-- Name: FUNCTION current_session_hash(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.current_session_hash() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_session_hash() TO crm_helper;


--
-- Name: FUNCTION current_team_id(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.current_team_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_team_id() TO crm_app;


--
-- Name: FUNCTION current_time_zone(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.current_time_zone() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_time_zone() TO crm_app;


--
-- Name: FUNCTION current_user_id(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_user_id() TO crm_app;


--
-- Name: FUNCTION current_user_role(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.current_user_role() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_user_role() TO crm_app;


--
-- Name: FUNCTION deal_stages_refuse_removing_used(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.deal_stages_refuse_removing_used() FROM PUBLIC;


--
-- Name: FUNCTION deals_check_owner_change(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.deals_check_owner_change() FROM PUBLIC;


--
-- Name: FUNCTION deals_maintain_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.deals_maintain_totals() FROM PUBLIC;


--
-- Name: FUNCTION deals_notify_assignment(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.deals_notify_assignment() FROM PUBLIC;


--
-- Name: FUNCTION end_session(everywhere boolean); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.end_session(everywhere boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app.end_session(everywhere boolean) TO crm_app;


--
-- Name: FUNCTION fork_session(lifetime_seconds integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.fork_session(lifetime_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.fork_session(lifetime_seconds integer) TO crm_app;


--
-- Name: FUNCTION guard_writes_on_others_records(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.guard_writes_on_others_records() FROM PUBLIC;


--
-- Name: FUNCTION is_admin(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.is_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION app.is_admin() TO crm_app;


--
-- Name: FUNCTION is_time_zone(p_name text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.is_time_zone(p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.is_time_zone(p_name text) TO crm_app;


--
-- Name: FUNCTION issue_calendar_feed(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.issue_calendar_feed() FROM PUBLIC;
GRANT ALL ON FUNCTION app.issue_calendar_feed() TO crm_app;


--
-- Name: FUNCTION issue_session(who uuid, session_purpose text, lifetime_seconds integer); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.issue_session(who uuid, session_purpose text, lifetime_seconds integer) TO crm_helper;


--
-- Name: FUNCTION log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.log_in(login_email text, encoded text, client_ip inet, lifetime_seconds integer) TO crm_app;


--
-- Name: FUNCTION login_failures(login_email text, client_ip inet, window_seconds integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.login_failures(login_email text, client_ip inet, window_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.login_failures(login_email text, client_ip inet, window_seconds integer) TO crm_app;


--
-- Name: FUNCTION login_salt(login_email text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.login_salt(login_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.login_salt(login_email text) TO crm_app;


--
-- Name: FUNCTION managed_user_ids(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.managed_user_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.managed_user_ids() TO crm_app;


--
-- Name: FUNCTION may_reassign_owner(from_owner uuid, to_owner uuid); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.may_reassign_owner(from_owner uuid, to_owner uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.may_reassign_owner(from_owner uuid, to_owner uuid) TO crm_app;


--
-- Name: FUNCTION may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) TO crm_app;
GRANT ALL ON FUNCTION app.may_reassign_within(scope uuid[], from_owner uuid, to_owner uuid) TO crm_helper;


--
-- Name: FUNCTION new_api_token(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.new_api_token() FROM PUBLIC;
GRANT ALL ON FUNCTION app.new_api_token() TO crm_helper;


--
-- Name: FUNCTION new_session_token(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.new_session_token() FROM PUBLIC;
GRANT ALL ON FUNCTION app.new_session_token() TO crm_helper;


--
-- Name: FUNCTION open_calendar_feed(feed_token text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.open_calendar_feed(feed_token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.open_calendar_feed(feed_token text) TO crm_app;


--
-- Name: FUNCTION operations_figures(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.operations_figures() FROM PUBLIC;
GRANT ALL ON FUNCTION app.operations_figures() TO crm_app;


--
-- Name: FUNCTION password_verifier(encoded text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.password_verifier(encoded text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.password_verifier(encoded text) TO crm_helper;


--
-- Name: FUNCTION readable_user_ids(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.readable_user_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app.readable_user_ids() TO crm_app;


--
-- Name: FUNCTION reassign_scope(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.reassign_scope() FROM PUBLIC;
GRANT ALL ON FUNCTION app.reassign_scope() TO crm_app;


--
-- Name: FUNCTION rebuild_activity_daily_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.rebuild_activity_daily_totals() FROM PUBLIC;
GRANT ALL ON FUNCTION app.rebuild_activity_daily_totals() TO crm_owner;


--
-- Name: FUNCTION rebuild_deal_and_task_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.rebuild_deal_and_task_totals() FROM PUBLIC;
GRANT ALL ON FUNCTION app.rebuild_deal_and_task_totals() TO crm_owner;


--
-- Name: FUNCTION relink_activities_on_company_change(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.relink_activities_on_company_change() FROM PUBLIC;


--
-- Name: FUNCTION require_admin(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.require_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION app.require_admin() TO crm_helper;


--
-- Name: FUNCTION require_ai_features(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.require_ai_features() FROM PUBLIC;
GRANT ALL ON FUNCTION app.require_ai_features() TO crm_app;
GRANT ALL ON FUNCTION app.require_ai_features() TO crm_helper;


--
-- Name: FUNCTION rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app.rescore_after_write(deal_ids uuid[], company_ids uuid[], contact_ids uuid[], activity_ids uuid[]) TO crm_app;


--
-- Name: FUNCTION revoke_api_token(token_id uuid); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.revoke_api_token(token_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.revoke_api_token(token_id uuid) TO crm_app;


--
-- Name: FUNCTION revoke_calendar_feed(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.revoke_calendar_feed() FROM PUBLIC;
GRANT ALL ON FUNCTION app.revoke_calendar_feed() TO crm_app;


--
-- Name: FUNCTION revoke_sessions(target uuid, keep_current boolean); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.revoke_sessions(target uuid, keep_current boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app.revoke_sessions(target uuid, keep_current boolean) TO crm_helper;


--
-- Name: FUNCTION revoke_user_sessions(target uuid); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.revoke_user_sessions(target uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.revoke_user_sessions(target uuid) TO crm_app;


--
-- Name: FUNCTION row_is_writable(table_name text, r jsonb, me uuid); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.row_is_writable(table_name text, r jsonb, me uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.row_is_writable(table_name text, r jsonb, me uuid) TO crm_helper;


--
-- Name: FUNCTION set_updated_at(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.set_updated_at() FROM PUBLIC;


--
-- Name: FUNCTION set_user_password(target uuid, new_encoded text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.set_user_password(target uuid, new_encoded text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.set_user_password(target uuid, new_encoded text) TO crm_app;


--
-- Name: FUNCTION slowest_statements(how_many integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.slowest_statements(how_many integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.slowest_statements(how_many integer) TO crm_app;


--
-- Name: FUNCTION take_api_request(max_requests integer, window_seconds integer); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.take_api_request(max_requests integer, window_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app.take_api_request(max_requests integer, window_seconds integer) TO crm_app;


--
-- Name: FUNCTION tasks_maintain_hierarchy(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.tasks_maintain_hierarchy() FROM PUBLIC;


--
-- Name: FUNCTION tasks_maintain_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.tasks_maintain_totals() FROM PUBLIC;


--
-- Name: FUNCTION tasks_redepth_subtree(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.tasks_redepth_subtree() FROM PUBLIC;


--
-- Name: FUNCTION time_zone_lock_class(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.time_zone_lock_class() FROM PUBLIC;
GRANT ALL ON FUNCTION app.time_zone_lock_class() TO crm_helper;


--
-- Name: FUNCTION token_hash(token text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.token_hash(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.token_hash(token text) TO crm_helper;


--
-- Name: FUNCTION totals_delta_query(trigger_level text, trigger_op text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.totals_delta_query(trigger_level text, trigger_op text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.totals_delta_query(trigger_level text, trigger_op text) TO crm_helper;


--
-- Name: FUNCTION transaction_changes(after_id bigint); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.transaction_changes(after_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION app.transaction_changes(after_id bigint) TO crm_app;


--
-- Name: FUNCTION unlock_login(target uuid); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.unlock_login(target uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.unlock_login(target uuid) TO crm_app;


--
-- Name: FUNCTION unsubscribe_notification_email(p_user uuid, p_kind text); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.unsubscribe_notification_email(p_user uuid, p_kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.unsubscribe_notification_email(p_user uuid, p_kind text) TO crm_app;


--
-- Name: FUNCTION users_check_time_zone(); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.users_check_time_zone() FROM PUBLIC;


--
-- Name: FUNCTION users_protect_credentials(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.users_protect_credentials() FROM PUBLIC;


--
-- Name: FUNCTION users_rebucket_activity_totals(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.users_rebucket_activity_totals() FROM PUBLIC;


--
-- Name: FUNCTION verifier_matches(stored text, encoded text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.verifier_matches(stored text, encoded text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.verifier_matches(stored text, encoded text) TO crm_helper;


--
-- Name: FUNCTION webhook_capture(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.webhook_capture() FROM PUBLIC;


--
-- Name: FUNCTION webhook_capture_rows(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.webhook_capture_rows() FROM PUBLIC;


--
-- Name: FUNCTION webhook_columns(table_name text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.webhook_columns(table_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.webhook_columns(table_name text) TO crm_helper;


--
-- Name: FUNCTION webhook_record(table_name text, row_json jsonb); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.webhook_record(table_name text, row_json jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app.webhook_record(table_name text, row_json jsonb) TO crm_helper;


--
-- Name: FUNCTION webhook_timestamp(at timestamp with time zone); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.webhook_timestamp(at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app.webhook_timestamp(at timestamp with time zone) TO crm_helper;
GRANT ALL ON FUNCTION app.webhook_timestamp(at timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION webhook_wake(); Type: ACL; Schema: app; Owner: crm_helper
--

REVOKE ALL ON FUNCTION app.webhook_wake() FROM PUBLIC;


--
-- Name: FUNCTION webhook_watched_columns(table_name text); Type: ACL; Schema: app; Owner: crm_owner
--

REVOKE ALL ON FUNCTION app.webhook_watched_columns(table_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.webhook_watched_columns(table_name text) TO crm_helper;


--
-- Name: FUNCTION calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.calculate_company_engagement_score(company_id uuid, as_of timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.calculate_contact_engagement_score(contact_id uuid, as_of timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.calculate_deal_intelligence_score(deal_id uuid, as_of timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION calculate_decision_maker_score(contact_id uuid); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.calculate_decision_maker_score(contact_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.calculate_decision_maker_score(contact_id uuid) TO crm_app;


--
-- Name: FUNCTION calculate_lead_score(company_id uuid, as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.calculate_lead_score(company_id uuid, as_of timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION company_score_breakdown(company_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) TO crm_app;
GRANT ALL ON FUNCTION crm.company_score_breakdown(company_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) TO crm_app;
GRANT ALL ON FUNCTION crm.contact_score_breakdown(contact_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION dashboard_check_range(p_from date, p_to date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.dashboard_check_range(p_from date, p_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.dashboard_check_range(p_from date, p_to date) TO crm_app;


--
-- Name: FUNCTION dashboard_trend(p_current numeric, p_previous numeric); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.dashboard_trend(p_current numeric, p_previous numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.dashboard_trend(p_current numeric, p_previous numeric) TO crm_app;


--
-- Name: FUNCTION deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) TO crm_app;
GRANT ALL ON FUNCTION crm.deal_score_breakdown(deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION deal_win_features(deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;
GRANT ALL ON FUNCTION crm.deal_win_features(deal_ids uuid[], as_of timestamp with time zone) TO crm_app;


--
-- Name: FUNCTION deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) TO crm_helper;
GRANT ALL ON FUNCTION crm.deal_win_features_at(deal_ids uuid[], as_ofs timestamp with time zone[]) TO crm_app;


--
-- Name: FUNCTION forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.forecast_figures(p_user_ids uuid[], p_first date, p_last date, p_zone text) TO crm_app;


--
-- Name: FUNCTION forecast_members(p_manager_id uuid); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.forecast_members(p_manager_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.forecast_members(p_manager_id uuid) TO crm_app;


--
-- Name: FUNCTION get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.get_crm_dashboard_data(p_user_id uuid, p_from date, p_to date) TO crm_app;


--
-- Name: FUNCTION get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.get_lost_reasons_report(p_manager_id uuid, p_from date, p_to date) TO crm_app;


--
-- Name: FUNCTION get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.get_team_dashboard_data(p_manager_id uuid, p_from date, p_to date) TO crm_app;


--
-- Name: FUNCTION get_team_forecast(p_manager_id uuid, p_first date, p_last date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.get_team_forecast(p_manager_id uuid, p_first date, p_last date) TO crm_app;


--
-- Name: FUNCTION intelligence_thresholds(); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.intelligence_thresholds() FROM PUBLIC;
GRANT ALL ON FUNCTION crm.intelligence_thresholds() TO crm_app;
GRANT ALL ON FUNCTION crm.intelligence_thresholds() TO crm_helper;


--
-- Name: FUNCTION notification_delivery(p_user uuid, p_kind text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.notification_delivery(p_user uuid, p_kind text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.notification_delivery(p_user uuid, p_kind text) TO crm_helper;


--
-- Name: FUNCTION plan_mode_for_ids(id_count integer); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.plan_mode_for_ids(id_count integer) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.plan_mode_for_ids(id_count integer) TO crm_app;
GRANT ALL ON FUNCTION crm.plan_mode_for_ids(id_count integer) TO crm_helper;


--
-- Name: FUNCTION predict_win_probability(deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.predict_win_probability(deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION produce_notifications(as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.produce_notifications(as_of timestamp with time zone) FROM PUBLIC;


--
-- Name: FUNCTION record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.record_score_history(company_ids uuid[], deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamp with time zone, p_before_id uuid, p_limit integer) TO crm_app;


--
-- Name: FUNCTION rescore_activities(activity_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.rescore_activities(activity_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.rescore_activities(activity_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION rescore_companies(company_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.rescore_companies(company_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.rescore_companies(company_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION rescore_contacts(contact_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.rescore_contacts(contact_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.rescore_contacts(contact_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION rescore_deals(deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.rescore_deals(deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.rescore_deals(deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.rescore_win_probability(deal_ids uuid[], as_of timestamp with time zone) TO crm_helper;


--
-- Name: FUNCTION search_fuzzy(q text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.search_fuzzy(q text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.search_fuzzy(q text) TO crm_app;


--
-- Name: FUNCTION search_like(q text, word_start boolean); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.search_like(q text, word_start boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.search_like(q text, word_start boolean) TO crm_app;


--
-- Name: FUNCTION search_query(query text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.search_query(query text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.search_query(query text) TO crm_app;


--
-- Name: FUNCTION search_rank(name text, q text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.search_rank(name text, q text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.search_rank(name text, q text) TO crm_app;


--
-- Name: FUNCTION search_records(query text, per_kind integer); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.search_records(query text, per_kind integer) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.search_records(query text, per_kind integer) TO crm_app;


--
-- Name: FUNCTION single_score(subject text, subject_id uuid, scores numeric[]); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.single_score(subject text, subject_id uuid, scores numeric[]) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.single_score(subject text, subject_id uuid, scores numeric[]) TO crm_app;


--
-- Name: FUNCTION take_forecast_snapshot(p_month date); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.take_forecast_snapshot(p_month date) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.take_forecast_snapshot(p_month date) TO crm_app;


--
-- Name: FUNCTION threshold(p_name text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.threshold(p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.threshold(p_name text) TO crm_app;
GRANT ALL ON FUNCTION crm.threshold(p_name text) TO crm_helper;


--
-- Name: FUNCTION win_feature_names(); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.win_feature_names() FROM PUBLIC;
GRANT ALL ON FUNCTION crm.win_feature_names() TO crm_app;
GRANT ALL ON FUNCTION crm.win_feature_names() TO crm_helper;


--
-- Name: FUNCTION win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.win_logit(x double precision[], mu double precision[], sd double precision[], term_mu double precision[], term_sd double precision[], coef double precision[], intercept double precision) TO crm_helper;


--
-- Name: FUNCTION won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text); Type: ACL; Schema: crm; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) FROM PUBLIC;
GRANT ALL ON FUNCTION crm.won_by_month(p_user_ids uuid[], p_first date, p_last date, p_zone text) TO crm_app;


--
-- Name: FUNCTION procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_cancel_job_v1(job_id bigint, abort boolean, delete_job boolean) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) FROM PUBLIC;
GRANT ALL ON FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) TO crm_app;
GRANT ALL ON FUNCTION crm_jobs.procrastinate_defer_jobs_v1(jobs crm_jobs.procrastinate_job_to_defer_v1[]) TO crm_helper;


--
-- Name: FUNCTION procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_defer_periodic_job_v2(_queue_name character varying, _lock character varying, _queueing_lock character varying, _task_name character varying, _priority integer, _periodic_id character varying, _defer_timestamp bigint, _args jsonb) FROM PUBLIC;


--
-- Name: TABLE procrastinate_jobs; Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm_jobs.procrastinate_jobs TO crm_app;
GRANT SELECT,INSERT ON TABLE crm_jobs.procrastinate_jobs TO crm_helper;


--
-- Name: COLUMN procrastinate_jobs.id; Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm_jobs.procrastinate_jobs TO crm_helper;


--
-- Name: FUNCTION procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_fetch_job_v2(target_queue_names character varying[], p_worker_id bigint) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_finish_job_v1(job_id bigint, end_status crm_jobs.procrastinate_job_status, delete_job boolean) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_notify_queue_abort_job_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_notify_queue_abort_job_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_notify_queue_job_inserted_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_notify_queue_job_inserted_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_prune_stalled_workers_v1(seconds_since_heartbeat double precision) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_register_worker_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_register_worker_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_retry_job_v1(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_retry_job_v2(job_id bigint, retry_at timestamp with time zone, new_priority integer, new_queue_name character varying, new_lock character varying) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_trigger_abort_requested_events_procedure_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_trigger_function_scheduled_events_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_trigger_function_scheduled_events_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_trigger_function_status_events_insert_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_trigger_function_status_events_insert_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_trigger_function_status_events_update_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_trigger_function_status_events_update_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_unlink_periodic_defers_v1(); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_unlink_periodic_defers_v1() FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_unregister_worker_v1(worker_id bigint); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_unregister_worker_v1(worker_id bigint) FROM PUBLIC;


--
-- Name: FUNCTION procrastinate_update_heartbeat_v1(worker_id bigint); Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

REVOKE ALL ON FUNCTION crm_jobs.procrastinate_update_heartbeat_v1(worker_id bigint) FROM PUBLIC;


--
-- Name: TABLE activities; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.activities TO crm_app;
GRANT SELECT ON TABLE crm.activities TO crm_helper;


--
-- Name: COLUMN activities.engagement_quality; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(engagement_quality) ON TABLE crm.activities TO crm_helper;


--
-- Name: COLUMN activities.outcome_prediction; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(outcome_prediction) ON TABLE crm.activities TO crm_helper;


--
-- Name: COLUMN activities.urgency_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(urgency_score) ON TABLE crm.activities TO crm_helper;


--
-- Name: TABLE companies; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.companies TO crm_app;
GRANT SELECT ON TABLE crm.companies TO crm_helper;


--
-- Name: COLUMN companies.engagement_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(engagement_score) ON TABLE crm.companies TO crm_helper;


--
-- Name: COLUMN companies.lead_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(lead_score) ON TABLE crm.companies TO crm_helper;


--
-- Name: COLUMN companies.last_engagement_date; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(last_engagement_date) ON TABLE crm.companies TO crm_helper;


--
-- Name: TABLE contacts; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.contacts TO crm_app;
GRANT SELECT ON TABLE crm.contacts TO crm_helper;


--
-- Name: COLUMN contacts.decision_maker_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(decision_maker_score) ON TABLE crm.contacts TO crm_helper;


--
-- Name: COLUMN contacts.engagement_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(engagement_score) ON TABLE crm.contacts TO crm_helper;


--
-- Name: COLUMN contacts.interaction_count; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(interaction_count) ON TABLE crm.contacts TO crm_helper;


--
-- Name: COLUMN contacts.last_interaction_date; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(last_interaction_date) ON TABLE crm.contacts TO crm_helper;


--
-- Name: TABLE deal_stages; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deal_stages TO crm_app;
GRANT SELECT ON TABLE crm.deal_stages TO crm_helper;


--
-- Name: TABLE deals; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deals TO crm_app;
GRANT SELECT ON TABLE crm.deals TO crm_helper;


--
-- Name: COLUMN deals.deal_intelligence_score; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(deal_intelligence_score) ON TABLE crm.deals TO crm_helper;


--
-- Name: COLUMN deals.win_probability_ai; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(win_probability_ai) ON TABLE crm.deals TO crm_helper;


--
-- Name: COLUMN deals.risk_factors; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(risk_factors) ON TABLE crm.deals TO crm_helper;


--
-- Name: TABLE teams; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.teams TO crm_app;
GRANT SELECT ON TABLE crm.teams TO crm_helper;


--
-- Name: TABLE users; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.users TO crm_helper;
GRANT DELETE ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id),INSERT(id) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.email; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(email),INSERT(email),UPDATE(email) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.full_name; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(full_name),INSERT(full_name),UPDATE(full_name) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.password_hash; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(password_hash) ON TABLE crm.users TO crm_helper;


--
-- Name: COLUMN users.role; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(role),INSERT(role),UPDATE(role) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.team_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(team_id),INSERT(team_id),UPDATE(team_id) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.manager_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(manager_id),INSERT(manager_id),UPDATE(manager_id) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.is_active; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(is_active),INSERT(is_active),UPDATE(is_active) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.ai_features; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(ai_features),INSERT(ai_features),UPDATE(ai_features) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.last_login_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_login_at) ON TABLE crm.users TO crm_app;
GRANT UPDATE(last_login_at) ON TABLE crm.users TO crm_helper;


--
-- Name: COLUMN users.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.updated_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(updated_at) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.version; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(version),INSERT(version),UPDATE(version) ON TABLE crm.users TO crm_app;


--
-- Name: COLUMN users.failures_cleared_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(failures_cleared_at) ON TABLE crm.users TO crm_app;
GRANT UPDATE(failures_cleared_at) ON TABLE crm.users TO crm_helper;


--
-- Name: COLUMN users.time_zone; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(time_zone),INSERT(time_zone),UPDATE(time_zone) ON TABLE crm.users TO crm_app;


--
-- Name: TABLE activities_with_complete_data; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.activities_with_complete_data TO crm_app;


--
-- Name: TABLE activity_daily_companies; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.activity_daily_companies TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.activity_daily_companies TO crm_helper;


--
-- Name: TABLE activity_daily_totals; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.activity_daily_totals TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.activity_daily_totals TO crm_helper;


--
-- Name: TABLE activity_meetings; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.activity_meetings TO crm_app;


--
-- Name: TABLE api_idempotency_keys; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.api_idempotency_keys TO crm_app;


--
-- Name: TABLE api_rate_windows; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.api_rate_windows TO crm_helper;


--
-- Name: TABLE api_tokens; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.api_tokens TO crm_helper;


--
-- Name: COLUMN api_tokens.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.user_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(user_id) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.name; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(name) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.scope; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(scope) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.prefix; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(prefix) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.expires_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(expires_at) ON TABLE crm.api_tokens TO crm_app;


--
-- Name: COLUMN api_tokens.last_used_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_used_at) ON TABLE crm.api_tokens TO crm_app;
GRANT UPDATE(last_used_at) ON TABLE crm.api_tokens TO crm_helper;


--
-- Name: COLUMN api_tokens.revoked_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(revoked_at) ON TABLE crm.api_tokens TO crm_app;
GRANT UPDATE(revoked_at) ON TABLE crm.api_tokens TO crm_helper;


--
-- Name: TABLE audit_log; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT INSERT ON TABLE crm.audit_log TO crm_helper;
GRANT SELECT ON TABLE crm.audit_log TO crm_app;


--
-- Name: COLUMN audit_log.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.table_name; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(table_name) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.row_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(row_id) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.action; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(action) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.old_values; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(old_values) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.new_values; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(new_values) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: COLUMN audit_log.transaction_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(transaction_id) ON TABLE crm.audit_log TO crm_helper;


--
-- Name: TABLE backups; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.backups TO crm_app;


--
-- Name: COLUMN backups.status; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status) ON TABLE crm.backups TO crm_helper;


--
-- Name: COLUMN backups.finished_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(finished_at) ON TABLE crm.backups TO crm_helper;


--
-- Name: COLUMN backups.size_bytes; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(size_bytes) ON TABLE crm.backups TO crm_helper;


--
-- Name: TABLE calendar_conflicts; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE crm.calendar_conflicts TO crm_app;


--
-- Name: TABLE calendar_connections; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT INSERT,DELETE,UPDATE ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.user_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(user_id) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.caldav_url; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(caldav_url) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.username; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(username) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.status; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.status_message; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status_message) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.failures; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(failures) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.next_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(next_attempt_at) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.last_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_attempt_at) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.last_success_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_success_at) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.sync_token; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(sync_token) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: COLUMN calendar_connections.updated_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(updated_at) ON TABLE crm.calendar_connections TO crm_app;


--
-- Name: TABLE calendar_events; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.calendar_events TO crm_app;


--
-- Name: TABLE calendar_feeds; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE crm.calendar_feeds TO crm_helper;


--
-- Name: COLUMN calendar_feeds.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.calendar_feeds TO crm_app;


--
-- Name: COLUMN calendar_feeds.user_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(user_id) ON TABLE crm.calendar_feeds TO crm_app;


--
-- Name: COLUMN calendar_feeds.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.calendar_feeds TO crm_app;


--
-- Name: COLUMN calendar_feeds.last_used_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_used_at) ON TABLE crm.calendar_feeds TO crm_app;


--
-- Name: COLUMN calendar_feeds.revoked_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(revoked_at) ON TABLE crm.calendar_feeds TO crm_app;


--
-- Name: TABLE company_activities; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.company_activities TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.company_activities TO crm_helper;


--
-- Name: TABLE meetings; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.meetings TO crm_app;
GRANT SELECT ON TABLE crm.meetings TO crm_helper;


--
-- Name: TABLE companies_with_intelligence; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.companies_with_intelligence TO crm_app;


--
-- Name: TABLE company_score_history; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.company_score_history TO crm_app;
GRANT SELECT,INSERT,UPDATE ON TABLE crm.company_score_history TO crm_helper;


--
-- Name: TABLE contact_interactions; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.contact_interactions TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.contact_interactions TO crm_helper;


--
-- Name: TABLE deal_meetings; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deal_meetings TO crm_app;
GRANT SELECT ON TABLE crm.deal_meetings TO crm_helper;


--
-- Name: TABLE meeting_action_items; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.meeting_action_items TO crm_app;


--
-- Name: TABLE deal_meeting_analytics; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.deal_meeting_analytics TO crm_app;


--
-- Name: TABLE deal_score_history; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.deal_score_history TO crm_app;
GRANT SELECT,INSERT,UPDATE ON TABLE crm.deal_score_history TO crm_helper;


--
-- Name: TABLE deal_stage_history; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deal_stage_history TO crm_app;
GRANT SELECT ON TABLE crm.deal_stage_history TO crm_helper;


--
-- Name: TABLE deal_stakeholders; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deal_stakeholders TO crm_app;
GRANT SELECT ON TABLE crm.deal_stakeholders TO crm_helper;


--
-- Name: TABLE deal_totals; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.deal_totals TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.deal_totals TO crm_helper;


--
-- Name: TABLE tasks; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.tasks TO crm_app;
GRANT SELECT ON TABLE crm.tasks TO crm_helper;


--
-- Name: COLUMN tasks.depth; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(depth) ON TABLE crm.tasks TO crm_helper;


--
-- Name: TABLE deals_with_complete_relationships; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.deals_with_complete_relationships TO crm_app;


--
-- Name: TABLE duplicate_pairs; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.duplicate_pairs TO crm_app;


--
-- Name: TABLE forecast_snapshots; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.forecast_snapshots TO crm_app;


--
-- Name: TABLE import_mappings; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.import_mappings TO crm_app;


--
-- Name: TABLE legacy_activities; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.legacy_activities TO crm_app;


--
-- Name: TABLE legacy_deals; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.legacy_deals TO crm_app;


--
-- Name: TABLE legacy_import_runs; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.legacy_import_runs TO crm_app;


--
-- Name: TABLE legacy_review_items; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.legacy_review_items TO crm_app;


--
-- Name: TABLE login_attempts; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.login_attempts TO crm_app;
GRANT SELECT,INSERT ON TABLE crm.login_attempts TO crm_helper;


--
-- Name: TABLE lost_reasons; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.lost_reasons TO crm_app;


--
-- Name: TABLE mail_accounts; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT DELETE ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.user_id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(user_id),INSERT(user_id) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.imap_url; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(imap_url),INSERT(imap_url),UPDATE(imap_url) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.password_encrypted; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT INSERT(password_encrypted),UPDATE(password_encrypted) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.status; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status),INSERT(status),UPDATE(status) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.status_message; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status_message),UPDATE(status_message) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.folder_state; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(folder_state),UPDATE(folder_state) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.failures; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(failures),UPDATE(failures) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.next_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(next_attempt_at),INSERT(next_attempt_at),UPDATE(next_attempt_at) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.last_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_attempt_at),UPDATE(last_attempt_at) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.last_synced_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_synced_at),UPDATE(last_synced_at) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.messages_logged; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(messages_logged),UPDATE(messages_logged) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.messages_skipped; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(messages_skipped),UPDATE(messages_skipped) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.updated_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(updated_at) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: COLUMN mail_accounts.version; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(version),UPDATE(version) ON TABLE crm.mail_accounts TO crm_app;


--
-- Name: TABLE mail_contact_suggestions; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.mail_contact_suggestions TO crm_app;


--
-- Name: TABLE mail_messages; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.mail_messages TO crm_app;


--
-- Name: TABLE mail_never_log; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.mail_never_log TO crm_app;


--
-- Name: TABLE meeting_attendees; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.meeting_attendees TO crm_app;


--
-- Name: TABLE meeting_sequences; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.meeting_sequences TO crm_app;


--
-- Name: TABLE meetings_with_complete_relationships; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.meetings_with_complete_relationships TO crm_app;


--
-- Name: TABLE notification_preferences; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.notification_preferences TO crm_app;
GRANT SELECT,INSERT,UPDATE ON TABLE crm.notification_preferences TO crm_helper;


--
-- Name: TABLE notification_settings; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.notification_settings TO crm_app;
GRANT SELECT ON TABLE crm.notification_settings TO crm_helper;


--
-- Name: COLUMN notification_settings.email_mode; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(email_mode) ON TABLE crm.notification_settings TO crm_app;


--
-- Name: COLUMN notification_settings.digest_time; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(digest_time) ON TABLE crm.notification_settings TO crm_app;


--
-- Name: COLUMN notification_settings.updated_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(updated_at) ON TABLE crm.notification_settings TO crm_app;


--
-- Name: TABLE notifications; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.notifications TO crm_app;
GRANT SELECT,INSERT ON TABLE crm.notifications TO crm_helper;


--
-- Name: COLUMN notifications.read_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(read_at) ON TABLE crm.notifications TO crm_app;


--
-- Name: TABLE quotas; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.quotas TO crm_app;


--
-- Name: TABLE record_merges; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.record_merges TO crm_app;


--
-- Name: COLUMN record_merges.undone_by; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(undone_by) ON TABLE crm.record_merges TO crm_app;


--
-- Name: COLUMN record_merges.undone_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(undone_at) ON TABLE crm.record_merges TO crm_app;


--
-- Name: TABLE saved_views; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.saved_views TO crm_app;


--
-- Name: TABLE sessions; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE crm.sessions TO crm_helper;


--
-- Name: TABLE targets; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.targets TO crm_app;


--
-- Name: TABLE task_totals; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.task_totals TO crm_app;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE crm.task_totals TO crm_helper;


--
-- Name: TABLE webhook_attempts; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.webhook_attempts TO crm_app;


--
-- Name: COLUMN webhook_attempts.attempted_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(attempted_at) ON TABLE crm.webhook_attempts TO crm_helper;


--
-- Name: COLUMN webhook_attempts.http_status; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(http_status) ON TABLE crm.webhook_attempts TO crm_helper;


--
-- Name: TABLE webhook_deliveries; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.webhook_deliveries TO crm_app;
GRANT INSERT ON TABLE crm.webhook_deliveries TO crm_helper;


--
-- Name: COLUMN webhook_deliveries.status; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(status) ON TABLE crm.webhook_deliveries TO crm_helper;
GRANT UPDATE(status) ON TABLE crm.webhook_deliveries TO crm_app;


--
-- Name: COLUMN webhook_deliveries.next_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT UPDATE(next_attempt_at) ON TABLE crm.webhook_deliveries TO crm_app;


--
-- Name: COLUMN webhook_deliveries.pending_since; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(pending_since) ON TABLE crm.webhook_deliveries TO crm_helper;
GRANT UPDATE(pending_since) ON TABLE crm.webhook_deliveries TO crm_app;


--
-- Name: COLUMN webhook_deliveries.last_attempt_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(last_attempt_at) ON TABLE crm.webhook_deliveries TO crm_helper;


--
-- Name: TABLE webhook_endpoints; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT DELETE ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: COLUMN webhook_endpoints.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.webhook_endpoints TO crm_app;
GRANT SELECT(id) ON TABLE crm.webhook_endpoints TO crm_helper;


--
-- Name: COLUMN webhook_endpoints.url; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(url),INSERT(url) ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: COLUMN webhook_endpoints.events; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(events),INSERT(events),UPDATE(events) ON TABLE crm.webhook_endpoints TO crm_app;
GRANT SELECT(events) ON TABLE crm.webhook_endpoints TO crm_helper;


--
-- Name: COLUMN webhook_endpoints.description; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(description),INSERT(description),UPDATE(description) ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: COLUMN webhook_endpoints.secret; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT INSERT(secret) ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: COLUMN webhook_endpoints.active; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(active),UPDATE(active) ON TABLE crm.webhook_endpoints TO crm_app;
GRANT SELECT(active) ON TABLE crm.webhook_endpoints TO crm_helper;


--
-- Name: COLUMN webhook_endpoints.created_by; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_by),INSERT(created_by) ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: COLUMN webhook_endpoints.created_at; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(created_at) ON TABLE crm.webhook_endpoints TO crm_app;


--
-- Name: TABLE webhook_events; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT,INSERT ON TABLE crm.webhook_events TO crm_app;
GRANT INSERT ON TABLE crm.webhook_events TO crm_helper;


--
-- Name: COLUMN webhook_events.id; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT(id) ON TABLE crm.webhook_events TO crm_helper;


--
-- Name: TABLE win_models; Type: ACL; Schema: crm; Owner: crm_owner
--

GRANT SELECT ON TABLE crm.win_models TO crm_app;
GRANT SELECT ON TABLE crm.win_models TO crm_helper;


--
-- Name: TABLE procrastinate_events; Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

GRANT INSERT ON TABLE crm_jobs.procrastinate_events TO crm_app;
GRANT SELECT,INSERT ON TABLE crm_jobs.procrastinate_events TO crm_helper;


--
-- Name: SEQUENCE procrastinate_events_id_seq; Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

GRANT USAGE ON SEQUENCE crm_jobs.procrastinate_events_id_seq TO crm_app;
GRANT USAGE ON SEQUENCE crm_jobs.procrastinate_events_id_seq TO crm_helper;


--
-- Name: SEQUENCE procrastinate_jobs_id_seq; Type: ACL; Schema: crm_jobs; Owner: crm_owner
--

GRANT USAGE ON SEQUENCE crm_jobs.procrastinate_jobs_id_seq TO crm_app;
GRANT USAGE ON SEQUENCE crm_jobs.procrastinate_jobs_id_seq TO crm_helper;


--
-- PostgreSQL database dump complete
--
