-- Extensions and the helpers every later migration uses: who the current user
-- is (set per transaction by the app), and the updated_at trigger.

create extension if not exists pg_trgm with schema crm;
create extension if not exists btree_gin with schema crm;

grant usage on schema crm to crm_app;
grant usage on schema app to crm_app;

-- The user the app acts for, set per transaction with
--   select set_config('app.user_id', :id, true)
-- Unset, empty (the state after a commit) or junk gives null, never an error,
-- so that row-level policies fail closed.
create or replace function app.current_user_id()
returns uuid
language plpgsql
stable
parallel safe
set search_path = ''
as $$
declare
  raw text := nullif(current_setting('app.user_id', true), '');
begin
  if raw is null or raw !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' then
    return null;
  end if;
  return raw::uuid;
end
$$;
comment on function app.current_user_id() is
  'The user id the app set for this transaction (app.user_id), or null when unset or malformed.';
revoke all on function app.current_user_id() from public;
grant execute on function app.current_user_id() to crm_app;

-- Keeps updated_at honest on every update.
create or replace function app.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
comment on function app.set_updated_at() is 'BEFORE UPDATE trigger: stamps updated_at.';
revoke all on function app.set_updated_at() from public;
