-- The reporting views: records joined with their relations and counts. All are
-- security_invoker, so the reader's row-level security applies.

create or replace view crm.activities_with_complete_data with (security_invoker = true) as
select a.*,
  u.full_name as user_full_name, u.email as user_email,
  coalesce(a.company_id, d.company_id) as resolved_company_id,
  c.name as company_name, c.domain as company_domain,
  coalesce(a.contact_id, d.primary_contact_id) as resolved_contact_id,
  nullif(btrim(p.first_name || ' ' || p.last_name), '') as contact_full_name, p.email as contact_email,
  d.name as deal_name, d.value as deal_value, s.name as deal_stage_name,
  tm.name as team_name
from crm.activities a
left join crm.users u on u.id = a.user_id
left join crm.teams tm on tm.id = u.team_id
left join crm.deals d on d.id = a.deal_id
left join crm.deal_stages s on s.id = d.stage_id
left join crm.companies c on c.id = coalesce(a.company_id, d.company_id)
left join crm.contacts p on p.id = coalesce(a.contact_id, d.primary_contact_id);

comment on view crm.activities_with_complete_data is 'Activities with user, team, deal and stage; company and contact resolved from the activity, else from its deal. One row per activity (to-one joins only). security_invoker.';

create or replace view crm.companies_with_intelligence with (security_invoker = true) as
select c.*,
  coalesce(act.total_activities, 0) as total_activities,
  act.last_activity_date,
  act.avg_sentiment_score,
  coalesce(dl.total_deals, 0) as total_deals,
  coalesce(dl.active_deals, 0) as active_deals,
  coalesce(dl.total_deal_value, 0) as total_deal_value,
  coalesce(dl.active_deal_value, 0) as active_deal_value,
  dl.avg_win_probability,
  coalesce(ct.total_contacts, 0) as total_contacts,
  coalesce(ct.decision_makers_count, 0) as decision_makers_count,
  coalesce(mt.total_meetings, 0) as total_meetings,
  mt.avg_meeting_sentiment
from crm.companies c
left join lateral (
  -- activities linked directly or through the company_activities links, once each
  select count(*) as total_activities, max(a.date) as last_activity_date,
         round(avg(a.sentiment_score), 2) as avg_sentiment_score
  from crm.activities a
  where a.id in (select x.id from crm.activities x where x.company_id = c.id
                 union
                 select ca.activity_id from crm.company_activities ca where ca.company_id = c.id)
) act on true
left join lateral (
  select count(*) as total_deals,
         count(*) filter (where d.status = 'active') as active_deals,
         sum(d.value) as total_deal_value,
         sum(d.value) filter (where d.status = 'active') as active_deal_value,
         round(avg(d.win_probability_ai), 2) as avg_win_probability
  from crm.deals d where d.company_id = c.id
) dl on true
left join lateral (
  select count(*) as total_contacts,
         count(*) filter (where p.decision_maker_score > crm.threshold('decision_maker_score')) as decision_makers_count
  from crm.contacts p where p.company_id = c.id
) ct on true
left join lateral (
  select count(*) as total_meetings, round(avg(m.sentiment_score), 2) as avg_meeting_sentiment
  from crm.meetings m where m.company_id = c.id
) mt on true;

comment on view crm.companies_with_intelligence is 'Companies with activity, deal, contact and meeting aggregates, each aggregated on its own (no fan-out). security_invoker.';

create or replace view crm.deal_meeting_analytics with (security_invoker = true) as
select d.id as deal_id, d.name as deal_name, d.owner_id, d.status, s.name as stage_name,
  coalesce(mt.meetings_total, 0) as meetings_total,
  coalesce(mt.meetings_positive, 0) as meetings_positive,
  coalesce(mt.meetings_negative, 0) as meetings_negative,
  coalesce(mt.meetings_progressed_stage, 0) as meetings_progressed_stage,
  mt.avg_impact_score, mt.max_impact_score,
  mt.first_meeting_at, mt.latest_meeting_at,
  case when mt.meetings_total > 1
       then round((extract(epoch from mt.latest_meeting_at - mt.first_meeting_at) / 86400.0
                   / (mt.meetings_total - 1))::numeric, 1) end as avg_days_between_meetings,
  coalesce(ai.action_items_total, 0) as action_items_total,
  coalesce(ai.action_items_completed, 0) as action_items_completed,
  case when ai.action_items_total > 0
       then round(100.0 * ai.action_items_completed / ai.action_items_total, 1) end as action_item_completion_pct
from crm.deals d
join crm.deal_stages s on s.id = d.stage_id
left join lateral (
  select count(*) as meetings_total,
         count(*) filter (where coalesce(dm.outcome, m.meeting_outcome) = 'positive') as meetings_positive,
         count(*) filter (where coalesce(dm.outcome, m.meeting_outcome) = 'negative') as meetings_negative,
         count(*) filter (where dm.stage_progression_expected) as meetings_progressed_stage,
         round(avg(dm.impact_score), 2) as avg_impact_score, max(dm.impact_score) as max_impact_score,
         min(m.starts_at) as first_meeting_at, max(m.starts_at) as latest_meeting_at
  from crm.deal_meetings dm join crm.meetings m on m.id = dm.meeting_id
  where dm.deal_id = d.id
) mt on true
left join lateral (
  -- action items of the deal's meetings, each item once
  select count(*) as action_items_total, count(*) filter (where i.is_done) as action_items_completed
  from crm.meeting_action_items i
  where i.meeting_id in (select dm.meeting_id from crm.deal_meetings dm where dm.deal_id = d.id)
) ai on true;

comment on view crm.deal_meeting_analytics is 'Per deal: its meetings (total, positive, negative, progressed stage, impact, first/latest, mean gap in days) and their action items (total, completed, completion %). security_invoker.';

-- d.* : a migration that adds a column to deals drops this view first (20261207001300 did), and
-- this file then creates it again
create or replace view crm.deals_with_complete_relationships with (security_invoker = true) as
select d.*,
  c.name as company_name, c.domain as company_domain, c.industry as company_industry,
  c.size as company_size, c.lead_score as company_lead_score,
  nullif(btrim(p.first_name || ' ' || p.last_name), '') as contact_full_name, p.email as contact_email,
  p.phone as contact_phone, p.title as contact_title, p.decision_maker_score as contact_decision_maker_score,
  u.full_name as owner_full_name, u.email as owner_email,
  s.name as stage_name, s.color as stage_color, s.default_probability as stage_default_probability,
  round(d.value * s.default_probability / 100.0, 2) as weighted_value,
  coalesce(act.activity_count, 0) as activity_count, act.last_activity_date, act.avg_activity_sentiment,
  coalesce(mt.meeting_count, 0) as meeting_count,
  coalesce(sh.stakeholder_count, 0) as stakeholder_count, coalesce(sh.champion_count, 0) as champion_count,
  coalesce(tk.task_count, 0) as task_count, coalesce(tk.completed_tasks_count, 0) as completed_tasks_count
from crm.deals d
join crm.deal_stages s on s.id = d.stage_id
left join crm.companies c on c.id = d.company_id
left join crm.contacts p on p.id = d.primary_contact_id
left join crm.users u on u.id = d.owner_id
left join lateral (
  select count(*) as activity_count, max(a.date) as last_activity_date,
         round(avg(a.sentiment_score), 2) as avg_activity_sentiment
  from crm.activities a where a.deal_id = d.id
) act on true
left join lateral (
  select count(*) as meeting_count from crm.deal_meetings dm where dm.deal_id = d.id
) mt on true
left join lateral (
  select count(*) as stakeholder_count, count(*) filter (where x.is_champion) as champion_count
  from crm.deal_stakeholders x where x.deal_id = d.id
) sh on true
left join lateral (
  select count(*) as task_count, count(*) filter (where t.status = 'completed') as completed_tasks_count
  from crm.tasks t where t.deal_id = d.id
) tk on true;

comment on view crm.deals_with_complete_relationships is 'Deals with company, primary contact, owner and stage, weighted value, and activity / meeting / stakeholder / task counts (each aggregated on its own). security_invoker.';

create or replace view crm.meetings_with_complete_relationships with (security_invoker = true) as
select m.*,
  c.name as company_name, c.domain as company_domain, c.industry as company_industry,
  c.engagement_score as company_engagement_score,
  nullif(btrim(p.first_name || ' ' || p.last_name), '') as contact_full_name, p.email as contact_email,
  p.title as contact_title, p.decision_maker_score as contact_decision_maker_score,
  coalesce(dl.associated_deals_count, 0) as associated_deals_count,
  dl.highest_deal_impact_score, dl.associated_deal_names,
  coalesce(ai.action_items_total, 0) as action_items_total,
  coalesce(ai.action_items_completed, 0) as action_items_completed,
  coalesce(ai.action_items_urgent, 0) as action_items_urgent,
  coalesce(ra.related_activities_count, 0) as related_activities_count,
  coalesce(ft.follow_up_tasks_count, 0) as follow_up_tasks_count,
  prev.previous_meeting_at, nxt.next_meeting_at
from crm.meetings m
left join crm.companies c on c.id = m.company_id
left join crm.contacts p on p.id = m.primary_contact_id
left join lateral (
  select count(*) as associated_deals_count, max(dm.impact_score) as highest_deal_impact_score,
         string_agg(d.name, ', ' order by d.name) as associated_deal_names
  from crm.deal_meetings dm join crm.deals d on d.id = dm.deal_id
  where dm.meeting_id = m.id
) dl on true
left join lateral (
  select count(*) as action_items_total, count(*) filter (where i.is_done) as action_items_completed,
         count(*) filter (where i.priority = 'urgent') as action_items_urgent
  from crm.meeting_action_items i where i.meeting_id = m.id
) ai on true
left join lateral (
  select count(*) as related_activities_count from crm.activity_meetings am where am.meeting_id = m.id
) ra on true
left join lateral (
  select count(*) as follow_up_tasks_count from crm.tasks t where t.meeting_id = m.id
) ft on true
left join lateral (
  -- the company's meeting just before / after this one
  select max(o.starts_at) as previous_meeting_at from crm.meetings o
  where o.company_id = m.company_id and o.starts_at < m.starts_at
) prev on true
left join lateral (
  select min(o.starts_at) as next_meeting_at from crm.meetings o
  where o.company_id = m.company_id and o.starts_at > m.starts_at
) nxt on true;

comment on view crm.meetings_with_complete_relationships is 'Meetings with company, primary contact, linked deals (count, highest impact, names), action items, related activities, follow-up tasks and the company''s previous/next meeting. security_invoker.';
