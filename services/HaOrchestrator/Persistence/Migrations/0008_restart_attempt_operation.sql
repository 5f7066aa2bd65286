-- Restart attempts are sent as commands and their end comes back as an event (VmCommandCompleted),
-- never as a reply to the instance that asked: whichever instance hears the end records it,
-- matched to the restart by the attempt's operation id.
ALTER TABLE ha_orchestrator.restart_requests ADD COLUMN attempt_operation_id uuid;
CREATE INDEX restart_requests_by_attempt ON ha_orchestrator.restart_requests (attempt_operation_id) WHERE status = 'Starting';
