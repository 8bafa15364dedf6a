-- The job queue's triggers (Procrastinate's): NOTIFY the workers of a new job or an abort request, record
-- each status change in crm_jobs.procrastinate_events, unlink a deleted job from its periodic tick.
-- Functions: sql/functions/jobs.sql.

create or replace trigger procrastinate_jobs_notify_queue_job_inserted_v1
    AFTER INSERT ON crm_jobs.procrastinate_jobs
    FOR EACH ROW WHEN ((new.status = 'todo'::crm_jobs.procrastinate_job_status))
    EXECUTE PROCEDURE crm_jobs.procrastinate_notify_queue_job_inserted_v1();

create or replace trigger procrastinate_jobs_notify_queue_job_aborted_v1
    AFTER UPDATE OF abort_requested ON crm_jobs.procrastinate_jobs
    FOR EACH ROW WHEN ((old.abort_requested = false AND new.abort_requested = true AND new.status = 'doing'::crm_jobs.procrastinate_job_status))
    EXECUTE PROCEDURE crm_jobs.procrastinate_notify_queue_abort_job_v1();

create or replace trigger procrastinate_trigger_status_events_update_v1
    AFTER UPDATE OF status ON crm_jobs.procrastinate_jobs
    FOR EACH ROW
    EXECUTE PROCEDURE crm_jobs.procrastinate_trigger_function_status_events_update_v1();

create or replace trigger procrastinate_trigger_status_events_insert_v1
    AFTER INSERT ON crm_jobs.procrastinate_jobs
    FOR EACH ROW WHEN ((new.status = 'todo'::crm_jobs.procrastinate_job_status))
    EXECUTE PROCEDURE crm_jobs.procrastinate_trigger_function_status_events_insert_v1();

create or replace trigger procrastinate_trigger_scheduled_events_v1
    AFTER UPDATE OR INSERT ON crm_jobs.procrastinate_jobs
    FOR EACH ROW WHEN ((new.scheduled_at IS NOT NULL AND new.status = 'todo'::crm_jobs.procrastinate_job_status))
    EXECUTE PROCEDURE crm_jobs.procrastinate_trigger_function_scheduled_events_v1();

create or replace trigger procrastinate_trigger_abort_requested_events_v1
    AFTER UPDATE OF abort_requested ON crm_jobs.procrastinate_jobs
    FOR EACH ROW WHEN ((new.abort_requested = true))
    EXECUTE PROCEDURE crm_jobs.procrastinate_trigger_abort_requested_events_procedure_v1();

create or replace trigger procrastinate_trigger_delete_jobs_v1
    BEFORE DELETE ON crm_jobs.procrastinate_jobs
    FOR EACH ROW EXECUTE PROCEDURE crm_jobs.procrastinate_unlink_periodic_defers_v1();
