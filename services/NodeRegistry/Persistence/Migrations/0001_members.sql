-- Every live service instance, as last heard from. A clean shutdown deletes the row at once;
-- removal of silent instances (after two missed evaluation rounds) comes with the ring.
CREATE TABLE node_registry.members (
    instance_id       text PRIMARY KEY,
    service           text        NOT NULL,
    address           text        NOT NULL,
    started_at        timestamptz NOT NULL,
    last_heartbeat_at timestamptz NOT NULL
);
CREATE INDEX members_by_service ON node_registry.members (service);
