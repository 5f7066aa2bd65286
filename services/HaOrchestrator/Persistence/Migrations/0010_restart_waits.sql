-- Starts refused because the VM was Unknown (its host not settled yet) are waits, not attempts:
-- counted apart so they do not use up Ha:RestartMaxAttempts while that host is investigated.
ALTER TABLE ha_orchestrator.restart_requests ADD COLUMN waits int NOT NULL DEFAULT 0;
