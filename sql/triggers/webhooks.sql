-- Webhooks: the outbox capture triggers (function app.webhook_capture) on each table with events, and the
-- wake-up trigger on the deliveries (app.webhook_wake).
--
-- Inserts and deletes always run the capture function, which returns at once when no active endpoint wants
-- the entity's events. Updates run it only when a payload column that is not bookkeeping or a score changed
-- (the WHEN below lists app.webhook_watched_columns): rescoring, which writes scores on many rows, costs
-- nothing here and sends no .updated event.

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
      'create or replace trigger webhook_capture_insert_delete after insert or delete on crm.%I'
      ' for each row execute function app.webhook_capture(%L)', t.tab, t.entity);
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
