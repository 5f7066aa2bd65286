-- Operations asked with an operation id, so that a repeated command does nothing twice. outcome
-- is null while the operation runs (or if its instance died during it).
CREATE TABLE vm_lifecycle.operations (
    operation_id uuid PRIMARY KEY,
    vm_id        uuid        NOT NULL,
    operation    text        NOT NULL,
    outcome      text,
    message      text        NOT NULL DEFAULT '',
    started_at   timestamptz NOT NULL,
    completed_at timestamptz
);
