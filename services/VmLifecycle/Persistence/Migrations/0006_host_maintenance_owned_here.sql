-- Maintenance is VmLifecycle's decision (an operator's, through its API): placement reads it here
-- instead of waiting for HostMonitor to echo it back as a status. status_changed_at orders the
-- copies of HostMonitor's status, which may arrive out of order.
ALTER TABLE vm_lifecycle.hosts
    ADD COLUMN maintenance        boolean NOT NULL DEFAULT false,
    ADD COLUMN maintenance_reason text,
    ADD COLUMN status_changed_at  timestamptz;
UPDATE vm_lifecycle.hosts SET maintenance = true, maintenance_reason = 'in maintenance before this upgrade' WHERE status = 'Maintenance';
