-- Missed evaluation rounds per member: removal needs two in a row (a single miss is noise).
ALTER TABLE node_registry.members ADD COLUMN missed_rounds integer NOT NULL DEFAULT 0;

-- The current ring of each service. epoch only grows, across leader changes too.
CREATE TABLE node_registry.rings (
    service       text PRIMARY KEY,
    epoch         bigint      NOT NULL,
    members       text[]      NOT NULL,
    virtual_nodes integer     NOT NULL,
    changed_at    timestamptz NOT NULL
);

-- Which replica evaluates membership, for operators (the advisory lock is what decides).
CREATE TABLE node_registry.leader (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    instance_id text        NOT NULL,
    since       timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL
);
