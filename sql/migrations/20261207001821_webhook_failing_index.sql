-- Notifications (issue 18): webhook deliveries that ran out of retries lately, for the webhook_failing notice
-- (crm.produce_notifications reads the last day's every minute; the pending ones have their own index).
create index index_webhook_deliveries_failed_by_last_attempt on crm.webhook_deliveries (last_attempt_at) where status = 'failed';
comment on index crm.index_webhook_deliveries_failed_by_last_attempt is 'Failed deliveries by their last attempt: the webhook endpoints failing lately (crm.produce_notifications).';
