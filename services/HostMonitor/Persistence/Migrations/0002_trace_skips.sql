-- VMs that sync must leave alone: an operation is in flight (skipped), or its operating
-- VmLifecycle instance departed mid-operation (orphaned, until expires_at). One row per VM: the
-- latest operation. Kept in Postgres so every HostMonitor instance, and a new owner of the host,
-- sees the same sets.
CREATE TABLE host_monitor.trace_skips (
    vm_id              uuid PRIMARY KEY,
    operating_instance text        NOT NULL,
    operation_id       uuid        NOT NULL,
    operation          text        NOT NULL,
    skipped_at         timestamptz NOT NULL,
    orphaned_at        timestamptz,
    expires_at         timestamptz
);
