-- Covering indexes for the reads every dashboard call and every rep's page
-- makes, so they are index-only scans (no heap visit per row):
--
--   * a user's companies with their engagement (the dashboard's companies
--     figures and engagement trend); id is included because the companies
--     read policy tests it too;
--   * a user's open deals with the columns the dashboards sum (expected close
--     date for the team forecast);
--   * a user's open tasks with due date and priority (created_by is included
--     because the tasks read policy tests it);
--   * the deals a user can read, by owner, with id, company and primary
--     contact: the companies and contacts read policies look these up for
--     every rep query ("readable through a readable deal", and the deal's
--     stakeholders by deal id); with stage and value, the kanban's column
--     totals of every status.

create index index_companies_on_owner_id_engagement_covering on crm.companies (owner_id, engagement_score desc)
  include (id);
drop index crm.index_companies_on_owner_id_and_engagement_score;

create index index_deals_on_owner_id_open_covering on crm.deals (owner_id)
  include (id, value, stage_id, deal_intelligence_score, win_probability_ai, expected_close_date)
  where status = 'active';

create index index_deals_on_owner_id_links_covering on crm.deals (owner_id)
  include (id, company_id, primary_contact_id, stage_id, value);

create index index_tasks_on_assigned_to_open_covering on crm.tasks (assigned_to, due_date)
  include (id, priority, created_by)
  where status in ('pending', 'in_progress');
