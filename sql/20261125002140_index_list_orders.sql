-- The list pages' default orders, for lists that span many owners (a
-- manager's team, an admin's everything). A rep's lists start from their
-- owner index; across a team of eleven the planner would otherwise read every
-- matching row (400,000 activities at the large scale) to sort them and keep
-- the first page. With these, a page is the first rows of an index that pass
-- the read policy. Each matches the view's ORDER BY exactly, id last as the
-- tie-break (dashboard/views/*.py, SORTING). Activities need none: the
-- scoring index on their date (20261125002010) read backwards serves
-- "date desc", with an incremental sort for ties.

create index index_meetings_on_starts_at_and_id on crm.meetings (starts_at desc, id);
create index index_deals_on_expected_close_date_and_id on crm.deals (expected_close_date, id);
create index index_tasks_on_due_date_and_id on crm.tasks (due_date, id);
create index index_companies_on_lower_name_and_id on crm.companies (lower(name), id);
create index index_contacts_on_lower_full_name_and_id on crm.contacts (lower((first_name || ' ') || last_name), id);
-- the kanban's columns: each stage's highest-value deals (a LATERAL per stage)
create index index_deals_on_stage_id_value_and_id on crm.deals (stage_id, value desc, id);
drop index crm.index_deals_on_stage_id;
