-- Cluster-level set-up, run by `crm db upgrade` before the migrations, as the
-- superuser (or a CREATEROLE user) named in DATABASE_URL. Idempotent.
--
-- crm_owner  owns every schema object; migrations run under `set role crm_owner`.
-- crm_app    the only role the web app logs in as: owns nothing, no BYPASSRLS.
-- crm_helper owns only the SECURITY DEFINER helpers that policies call
--            (NOLOGIN, BYPASSRLS, so a helper can read users/teams/deals
--            without recursing into their policies). crm_owner may hand
--            functions to it, which is why it is granted to crm_owner.
do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'crm_owner') then
    create role crm_owner nologin;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'crm_helper') then
    create role crm_helper nologin bypassrls;
  end if;
  if not pg_catalog.pg_has_role('crm_owner', 'crm_helper', 'member') then
    grant crm_helper to crm_owner;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'crm_app') then
    create role crm_app login nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
  end if;
  -- trusted extensions (pg_trgm, btree_gin) are created by the owner in a migration
  execute format('grant create, connect on database %I to crm_owner', current_database());
  execute format('grant connect on database %I to crm_app', current_database());
  execute format('revoke create, temporary on database %I from public', current_database());
  -- the app finds its tables without qualifying them, and a runaway query or a
  -- forgotten transaction cannot hold the database (SECURITY.md T28)
  execute format('alter role crm_app in database %I set search_path = crm, app', current_database());
  execute format('alter role crm_app in database %I set statement_timeout = ''5s''', current_database());
  execute format('alter role crm_app in database %I set idle_in_transaction_session_timeout = ''30s''', current_database());
  execute format('alter role crm_app in database %I set lock_timeout = ''3s''', current_database());
  -- the app's queries each read a few rows; a cost estimate that overshoots (a
  -- read policy's hashed subplan over a whole table) would otherwise pay tens
  -- of milliseconds compiling it (bench/pages.py)
  execute format('alter role crm_app in database %I set jit = off', current_database());
end
$$;

create schema if not exists crm authorization crm_owner;
create schema if not exists app authorization crm_owner;
create schema if not exists crm_migrations authorization crm_owner;

-- the PUBLIC schema is not used; nobody but its owner may create in it
revoke create on schema public from public;

-- the record of applied migrations; crm_app gets no privilege on it
create table if not exists crm_migrations.applied (
  version text primary key,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now()
);
alter table crm_migrations.applied owner to crm_owner;

-- the definition files (functions, views, triggers, policies, grants) as last
-- applied: a file whose checksum differs is applied again (dashboard/migrate.py)
create table if not exists crm_migrations.definitions (
  path text primary key,
  checksum text not null,
  applied_at timestamptz not null default now()
);
alter table crm_migrations.definitions owner to crm_owner;

-- Searching under row-level security: PostgreSQL applies a policy before any
-- user condition that is not LEAKPROOF, and then cannot use an index for that
-- condition. The name searches use lower(), || and LIKE against trigram
-- indexes; these built-ins raise no error that depends on the row's value, so
-- they are marked leakproof (superuser only; skipped where the operator
-- manages the server, which then scans instead). Global search's typo matching
-- uses pg_trgm's %> (word similarity, a number from the two texts, no error of
-- its own): marked too, so the superuser creates pg_trgm here when the baseline
-- migration has not yet (that migration's create ... if not exists then skips).
do $$
begin
  if (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    alter function pg_catalog.lower(text) leakproof;
    alter function pg_catalog.textcat(text, text) leakproof;
    alter function pg_catalog.textlike(text, text) leakproof;
    create extension if not exists pg_trgm with schema crm;
    alter function crm.word_similarity_commutator_op(text, text) leakproof;
  end if;
end
$$;

-- The slowest statements on /admin/health come from pg_stat_statements (the embedded server preloads it,
-- dashboard/pg.py; another server needs shared_preload_libraries = 'pg_stat_statements'). Only the
-- superuser can create it and grant crm_helper the statistics reader's role: app.slowest_statements()
-- (sql/functions/operations.sql), which crm_helper owns, then shows an admin the app's own normalised
-- statements (constants replaced by $1...), never other roles'. Elsewhere the operator does both, or the
-- page says the statistics are not available.
do $$
begin
  if (select rolsuper from pg_catalog.pg_roles where rolname = current_user) then
    create extension if not exists pg_stat_statements with schema public;
    if not pg_catalog.pg_has_role('crm_helper', 'pg_read_all_stats', 'member') then
      grant pg_read_all_stats to crm_helper;
    end if;
  end if;
end
$$;
