-- Root disks take storage: a VM's allocated root disk size, and a host's storage capacity (null:
-- storage is not tracked for that host) with what VMs placed there hold.
ALTER TABLE vm_lifecycle.vms ADD COLUMN root_disk_gib integer NOT NULL DEFAULT 0 CHECK (root_disk_gib >= 0);
ALTER TABLE vm_lifecycle.hosts ADD COLUMN storage_gib integer CHECK (storage_gib > 0);
ALTER TABLE vm_lifecycle.hosts ADD COLUMN storage_used integer NOT NULL DEFAULT 0;
ALTER TABLE vm_lifecycle.hosts ADD CONSTRAINT storage_within_capacity CHECK (storage_used >= 0 AND (storage_gib IS NULL OR storage_used <= storage_gib));
