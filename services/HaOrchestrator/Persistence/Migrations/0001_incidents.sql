-- One row per host suspicion, with the evidence HostMonitor gave. Investigation, fencing and
-- restarts build on these rows.
CREATE TABLE ha_orchestrator.incidents (
    incident_id         uuid PRIMARY KEY,
    host_id             text        NOT NULL,
    suspected_at        timestamptz NOT NULL,
    last_good_ping_at   timestamptz,
    consecutive_misses  integer     NOT NULL,
    errors              text[]      NOT NULL,
    status              text        NOT NULL,
    recorded_at         timestamptz NOT NULL,
    -- A redelivered HostSuspected must not open a second incident.
    UNIQUE (host_id, suspected_at)
);
