-- Global search (/search, the command palette) and the record pickers: what a query
-- matches and how matches rank. Everything runs as the caller (SECURITY INVOKER), so
-- row-level security decides which rows exist; the trigram indexes serve the LIKE and %>
-- conditions under RLS because sql/bootstrap.sql marks lower(), ||, LIKE and pg_trgm's
-- %> LEAKPROOF.
--
-- The three small helpers are immutable one-line SQL functions without a SET clause so
-- that the planner inlines them (a SET would cost a configuration change per row); their
-- bodies name pg_trgm's function with its schema.

create or replace function crm.search_query(query text) returns text
    language sql immutable parallel safe
    as $$
  select pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(query), '\s+', ' ', 'g'))
$$;
comment on function crm.search_query(query text) is 'A search as it is matched: trimmed, inner runs of white space made one space, lower case.';
revoke all on function crm.search_query(query text) from public;
grant execute on function crm.search_query(query text) to crm_app;

create or replace function crm.search_like(q text, word_start boolean default false) returns text
    language sql immutable parallel safe
    as $$
  -- LIKE's own characters (\ % _) escaped; null (matches nothing) when the query is too short
  select case
    when pg_catalog.length(q) >= 3 and not word_start then '%' || e || '%'
    when pg_catalog.length(q) = 2 then (case when word_start then '% ' else '' end) || e || '%'
  end
  from (select pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(q, '\', '\\'), '%', '\%'), '_', '\_') as e) x
$$;
comment on function crm.search_like(q text, word_start boolean) is 'The LIKE pattern of a search q (as crm.search_query made it): three or more characters anywhere in the text; two characters at the start of the text (or, with word_start, of a later word); null (no match) for shorter queries.';
revoke all on function crm.search_like(q text, word_start boolean) from public;
grant execute on function crm.search_like(q text, word_start boolean) to crm_app;

create or replace function crm.search_fuzzy(q text) returns text
    language sql immutable parallel safe
    as $$
  select case when pg_catalog.length(q) between 3 and 32 then q end
$$;
comment on function crm.search_fuzzy(q text) is 'The search q (as crm.search_query made it) trigram similarity (%>) compares with, or null (no fuzzy match) under three characters (two letters share too few trigrams to find typos and would read most of the index) and over 32 (every trigram''s list is read: a long name is pasted, not mistyped).';
revoke all on function crm.search_fuzzy(q text) from public;
grant execute on function crm.search_fuzzy(q text) to crm_app;

create or replace function crm.search_rank(name text, q text) returns real
    language sql immutable parallel safe
    as $$
  select ((case
             when name = q then 4
             when pg_catalog.starts_with(name, q) then 3
             when pg_catalog.strpos(' ' || pg_catalog.translate(name, '-,.&/()', '       '), ' ' || q) > 0 then 2
             when pg_catalog.strpos(name, q) > 0 then 1
             else 0
           end) + crm.word_similarity(q, name))::real
$$;
comment on function crm.search_rank(name text, q text) is 'How well a lower-case name matches a search q (as crm.search_query made it): a tier (4 the whole name, 3 its start, 2 the start of a later word, 1 anywhere inside, 0 only similar: a typo) plus pg_trgm''s word_similarity (0 to 1), so a better tier always ranks first and similarity orders within a tier.';
revoke all on function crm.search_rank(name text, q text) from public;
grant execute on function crm.search_rank(name text, q text) to crm_app;

create or replace function crm.search_records(query text, per_kind integer)
    returns table (kind text, id uuid, label text, detail text, amount numeric, at timestamptz, day date, rank real)
    language plpgsql stable
    set search_path to ''
    set pg_trgm.word_similarity_threshold to '0.5'
    set plan_cache_mode to 'force_custom_plan'
    set enable_seqscan to 'off'
    as $$
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
comment on function crm.search_records(query text, per_kind integer) is 'Global search: up to per_kind companies, contacts (full name), deals, meetings and tasks (title) of the caller''s or their team''s (admins: everyone''s) that the caller may see (SECURITY INVOKER: row-level security applies), each kind best first by crm.search_rank among at most 200 matches (the merely similar only when fewer than per_kind match the text), with context: a company''s domain, a contact''s company, a deal''s stage, value and close date, a meeting''s start, a task''s status and due time.';
revoke all on function crm.search_records(query text, per_kind integer) from public;
grant execute on function crm.search_records(query text, per_kind integer) to crm_app;
