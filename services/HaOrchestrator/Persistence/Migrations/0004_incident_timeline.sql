-- An incident is one suspicion of a host, investigated to an end: its verdict, its trace, and
-- every step with when and why (the timeline operators read).
ALTER TABLE ha_orchestrator.incidents
    ADD COLUMN cluster   text,
    ADD COLUMN verdict   text,
    ADD COLUMN trace_id  text,
    ADD COLUMN closed_at timestamptz;

CREATE TABLE ha_orchestrator.incident_steps (
    step_no     bigserial PRIMARY KEY,
    incident_id uuid        NOT NULL REFERENCES ha_orchestrator.incidents (incident_id),
    at          timestamptz NOT NULL,
    step        text        NOT NULL,
    detail      text        NOT NULL,
    evidence    text[]      NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_steps_by_incident ON ha_orchestrator.incident_steps (incident_id, step_no);
