-- The investigation sagas, one per suspect host (see ServiceDefaults/Sagas/PostgresSagaTable).
CREATE TABLE ha_orchestrator.investigations (
    correlation_id uuid        PRIMARY KEY,
    current_state  text        NOT NULL,
    version        integer     NOT NULL,
    data           jsonb       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL
);
