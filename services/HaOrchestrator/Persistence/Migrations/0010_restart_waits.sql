-- Starts refused because the VM was Unknown (its host not settled yet) are waits, not attempts:
-- counted apart so they do not use up Ha:RestartMaxAttempts while that host is investigated.
ALTER TABLE ha_orchestrator.restart_requests ADD COLUMN waits int NOT NULL DEFAULT 0;
-- The attempts that count toward the limit, named once for every query that compares them.
ALTER TABLE ha_orchestrator.restart_requests ADD COLUMN counted_attempts int GENERATED ALWAYS AS (attempts - waits) STORED;
