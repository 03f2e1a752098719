-- Webhooks that post to the same robot URL share its limits (worker/src/alert-delivery.ts):
-- a slot is claimed by inserting the attempt (outcome 'sending' until the answer is read), and a
-- platform's block (a rate-limit code's window, Retry-After) is kept on the attempt that got it,
-- so every webhook on that robot waits it out.
ALTER TABLE webhook_attempts ADD COLUMN blocked_until INTEGER;
CREATE INDEX webhook_attempts_blocks ON webhook_attempts (robot, blocked_until) WHERE blocked_until IS NOT NULL;

-- The cron forgets messages that ended long ago (worker/src/delivery-pruning.ts), oldest first,
-- keeping each webhook's last delivered one (also what the operator's status reads).
CREATE INDEX webhook_messages_ended ON webhook_messages (last_attempt_at) WHERE status IN ('delivered', 'failed');
CREATE INDEX webhook_messages_delivered ON webhook_messages (site_id, webhook_id, last_attempt_at) WHERE status = 'delivered';
