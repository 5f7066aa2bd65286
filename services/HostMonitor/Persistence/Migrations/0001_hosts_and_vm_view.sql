-- The hosts HostMonitor watches, with their last status and why it changed.
CREATE TABLE host_monitor.hosts (
    host_id           text PRIMARY KEY,
    agent_address     text        NOT NULL,
    cluster           text        NOT NULL,
    status            text        NOT NULL,
    status_reason     text        NOT NULL,
    status_changed_at timestamptz NOT NULL,
    maintenance       boolean     NOT NULL DEFAULT false
);

-- HostMonitor's own view of what VmLifecycle believes, fed by VmStateChanged: VM sync compares
-- each host's report with it without asking VmLifecycle.
CREATE TABLE host_monitor.vm_view (
    vm_id       uuid PRIMARY KEY,
    host_id     text,
    state       text        NOT NULL,
    incarnation bigint      NOT NULL,
    changed_at  timestamptz NOT NULL
);
CREATE INDEX vm_view_by_host ON host_monitor.vm_view (host_id);
