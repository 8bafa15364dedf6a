-- Operations figures: what /metrics and /admin/health read from the database (dashboard/metrics.py,
-- dashboard/services/health.py). Counts and ages only, never a row's content.

-- crm_helper owns the definer helpers here; handing it a function needs CREATE on the schema for the
-- moment of the hand-over (taken back at the end of the file)
grant create on schema app to crm_helper;

create or replace function app.operations_figures()
    returns table (figure text, help text, queue text, value double precision)
    language sql stable security definer
    set search_path to ''
    as $$
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
alter function app.operations_figures() owner to crm_helper;
comment on function app.operations_figures() is 'Figures for /metrics and /admin/health: the job queue per queue (waiting, oldest waiting age, running, failed in 24 h) the webhook deliveries (failed, failing attempts, pending, oldest pending age) and the backups (last success''s age and size, failures in 24 h); counts, sizes and ages only. Runs as crm_helper, which may read those tables.';
revoke all on function app.operations_figures() from public;
grant execute on function app.operations_figures() to crm_app;

create or replace function app.slowest_statements(how_many integer)
    returns table (query text, calls bigint, total_ms double precision, mean_ms double precision,
                   max_ms double precision, rows_returned bigint)
    language plpgsql stable security definer
    set search_path to ''
    as $$
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
$$;
alter function app.slowest_statements(integer) owner to crm_helper;
comment on function app.slowest_statements(integer) is 'Admins only: the app role''s statements in this database with the most total execution time (pg_stat_statements, normalised texts), at most 100. Runs as crm_helper, a member of pg_read_all_stats.';
revoke all on function app.slowest_statements(integer) from public;
grant execute on function app.slowest_statements(integer) to crm_app;

revoke create on schema app from crm_helper;
