-- The guard on every table a cascade or a SECURITY DEFINER trigger writes on a user's behalf
-- (function: app.guard_writes_on_others_records; the list is in docs/security.md).
--
-- An UPDATE fires it only when it sets a column a user edits: every column but the computed
-- scores (app.computed_columns), updated_at, version and depth. Rescoring after a write sets
-- only computed columns, so it does not pay the guard per row. The column lists are read from
-- the catalog here; tests/test_cascade_guard.py checks they still name every such column. A
-- migration that adds a column to a guarded table edits this file too, so that it runs again
-- (20261207001300: deals.lost_reason_id).
do $$
declare
  guarded text;
  columns text;
begin
  foreach guarded in array array['activities', 'activity_meetings', 'contact_interactions', 'contacts',
      'deal_meetings', 'deal_stakeholders', 'deals', 'meeting_action_items', 'meeting_attendees',
      'meeting_sequences', 'meetings', 'tasks', 'company_activities'] loop
    select string_agg(format('%I', a.attname), ', ' order by a.attnum) into columns
    from pg_catalog.pg_attribute a
    where a.attrelid = format('crm.%I', guarded)::regclass and a.attnum > 0 and not a.attisdropped
      and a.attname <> all (app.computed_columns(guarded) || array['updated_at', 'version', 'depth']);
    execute format(
      'create or replace trigger guard_writes_on_others_records before %s update of %s or delete on crm.%I '
      'for each row execute function app.guard_writes_on_others_records()',
      -- company_activities also on insert: relinking after a contact's or deal's company change adds links
      case when guarded = 'company_activities' then 'insert or' else '' end, columns, guarded);
  end loop;
end
$$;
