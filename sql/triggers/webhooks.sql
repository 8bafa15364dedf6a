-- Webhooks: the outbox capture triggers on each table with events, and the wake-up trigger on the deliveries
-- (app.webhook_wake).
--
-- Inserts and deletes: a statement trigger (app.webhook_capture_rows, the rows as transition table
-- webhook_rows): one look at the endpoints per statement, then set-based events when someone subscribed (a
-- bulk import's multi-row statements stay cheap). Updates: a row trigger (app.webhook_capture) that runs only
-- when a payload column that is not bookkeeping or a score changed (the WHEN lists
-- app.webhook_watched_columns): rescoring, which writes scores on many rows, costs nothing here and sends no
-- .updated event.

do $$
declare
  t record;
  watched text;
begin
  for t in select * from (values ('companies', 'company'), ('contacts', 'contact'), ('deals', 'deal'),
                                 ('activities', 'activity'), ('meetings', 'meeting'), ('tasks', 'task')) v(tab, entity)
  loop
    select pg_catalog.format('(%s) is distinct from (%s)',
                             pg_catalog.string_agg(pg_catalog.format('old.%I', c), ', '),
                             pg_catalog.string_agg(pg_catalog.format('new.%I', c), ', '))
      into watched from unnest(app.webhook_watched_columns(t.tab)) c;
    execute pg_catalog.format(
      'create or replace trigger webhook_capture_insert after insert on crm.%I referencing new table as webhook_rows'
      ' for each statement execute function app.webhook_capture_rows(%L)', t.tab, t.entity);
    execute pg_catalog.format(
      'create or replace trigger webhook_capture_delete after delete on crm.%I referencing old table as webhook_rows'
      ' for each statement execute function app.webhook_capture_rows(%L)', t.tab, t.entity);
    execute pg_catalog.format(
      'create or replace trigger webhook_capture_update after update on crm.%I'
      ' for each row when (%s) execute function app.webhook_capture(%L)', t.tab, watched, t.entity);
  end loop;
end
$$;

create or replace trigger webhook_wake_insert after insert on crm.webhook_deliveries
  referencing new table as changed_deliveries for each statement execute function app.webhook_wake();

create or replace trigger webhook_wake_update after update on crm.webhook_deliveries
  referencing new table as changed_deliveries for each statement execute function app.webhook_wake();
