-- Every status change of every host, with its reason: the operator's answer to "what happened to
-- this host, and why?".
CREATE TABLE host_monitor.host_status_changes (
    host_id     text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    reason      text        NOT NULL,
    changed_by  text        NOT NULL
);
CREATE INDEX host_status_changes_by_host ON host_monitor.host_status_changes (host_id, changed_at);
