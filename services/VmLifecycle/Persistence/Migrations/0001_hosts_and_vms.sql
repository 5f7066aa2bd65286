-- Hosts as VmLifecycle sees them: capacity for placement and the status HostMonitor reports.
-- The CHECK constraints are the last line against over-commit: a reservation that would exceed
-- a host's capacity fails in the database even if the code above it raced.
CREATE TABLE vm_lifecycle.hosts (
    host_id        text PRIMARY KEY,
    agent_address  text        NOT NULL,
    cluster        text        NOT NULL,
    cpu_cores      integer     NOT NULL CHECK (cpu_cores > 0),
    memory_mib     integer     NOT NULL CHECK (memory_mib > 0),
    cpu_used       integer     NOT NULL DEFAULT 0,
    memory_used    integer     NOT NULL DEFAULT 0,
    tags           text[]      NOT NULL DEFAULT '{}',
    status         text        NOT NULL DEFAULT 'Connecting',
    enabled        boolean     NOT NULL DEFAULT true,
    registered_at  timestamptz NOT NULL,
    CONSTRAINT cpu_within_capacity    CHECK (cpu_used BETWEEN 0 AND cpu_cores),
    CONSTRAINT memory_within_capacity CHECK (memory_used BETWEEN 0 AND memory_mib)
);

-- One row per VM. host_id is where its capacity is reserved (set while Starting..Destroying).
-- version is bumped on every change: writers compare it to detect a concurrent change.
CREATE TABLE vm_lifecycle.vms (
    vm_id            uuid PRIMARY KEY,
    name             text        NOT NULL,
    cpu_cores        integer     NOT NULL CHECK (cpu_cores > 0),
    memory_mib       integer     NOT NULL CHECK (memory_mib > 0),
    ha_level         text        NOT NULL,
    restart_priority integer     NOT NULL DEFAULT 0,
    state            text        NOT NULL,
    host_id          text        REFERENCES vm_lifecycle.hosts (host_id),
    incarnation      bigint      NOT NULL DEFAULT 0,
    version          integer     NOT NULL DEFAULT 0,
    state_reason     text        NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX vms_by_host ON vm_lifecycle.vms (host_id) WHERE host_id IS NOT NULL;
