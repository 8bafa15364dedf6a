-- A record's timeline (company, contact or deal): its activities (notes apart), meetings, tasks and
-- deal stage changes merged, newest first, paged by keyset. One UNION ALL of four reads, each
-- bounded by the page size before the merge (no join fans out); SECURITY INVOKER, so row-level
-- security decides which rows exist for the reader (another rep's activity on the same company is
-- not there).

create or replace function crm.record_timeline(p_record text, p_id uuid, p_kinds text[] default null,
                                               p_before timestamptz default null, p_before_id uuid default null,
                                               p_limit integer default 20)
    returns table (kind text, id uuid, happened_at timestamptz, title text, detail text, status text, subtype text,
                   due_at timestamptz, link_id uuid)
    language plpgsql stable
    set search_path to ''
    as $_$
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
comment on function crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamptz, p_before_id uuid, p_limit integer) is 'A company''s, contact''s or deal''s timeline, newest first: activities (kind activity, or note for type note), meetings, tasks (at completion, else creation) and stage changes of the record''s deals; p_kinds filters, (p_before, p_before_id) pages by keyset, p_limit (1-200) rows. SECURITY INVOKER: only rows the reader may see. due_at: a task''s due date; link_id: the row to open (the deal for a stage change).';
revoke all on function crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamptz, p_before_id uuid, p_limit integer) from public;
grant execute on function crm.record_timeline(p_record text, p_id uuid, p_kinds text[], p_before timestamptz, p_before_id uuid, p_limit integer) to crm_app;
