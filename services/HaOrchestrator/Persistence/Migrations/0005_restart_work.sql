-- Restart requests become restart work items: attempts, the time of the next one, who is working
-- on it and until when (another instance takes over after that), and how it ended.
ALTER TABLE ha_orchestrator.restart_requests
    ADD COLUMN incident_id     uuid REFERENCES ha_orchestrator.incidents (incident_id),
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN claimed_by      text,
    ADD COLUMN claimed_until   timestamptz,
    ADD COLUMN last_error      text,
    ADD COLUMN restarted_on    text,
    ADD COLUMN trace_parent    text,
    ADD COLUMN updated_at      timestamptz NOT NULL DEFAULT now();
CREATE INDEX restart_requests_due ON ha_orchestrator.restart_requests (restart_priority DESC, next_attempt_at)
    WHERE status IN ('Pending', 'Retrying', 'Starting');
