-- The hosts HA may have to investigate and fence, from HostRegistered: where their agent and BMC
-- are, and their cluster (neighbours share its storage).
CREATE TABLE ha_orchestrator.hosts (
    host_id       text PRIMARY KEY,
    agent_address text        NOT NULL,
    cluster       text        NOT NULL,
    bmc_address   text,
    registered_at timestamptz NOT NULL
);

-- How HostMonitor last saw each host, from HostStatusChanged. A table of its own, because a status
-- may arrive before the registration it follows (they come through different queues).
CREATE TABLE ha_orchestrator.host_statuses (
    host_id    text PRIMARY KEY,
    status     text        NOT NULL,
    changed_at timestamptz NOT NULL
);
