-- Where a VM's disks live (see VmStorage): on one cluster's shared storage, or zone-wide storage
-- every host reaches. Placement, migration and HA restarts choose only hosts that reach them.
ALTER TABLE vm_lifecycle.vms ADD COLUMN storage_cluster text;
ALTER TABLE vm_lifecycle.vms ADD COLUMN zone_wide_storage boolean NOT NULL DEFAULT false;
ALTER TABLE vm_lifecycle.vms ADD CONSTRAINT storage_scope CHECK (NOT (zone_wide_storage AND storage_cluster IS NOT NULL));
-- A VM already placed has its disks on its host's cluster.
UPDATE vm_lifecycle.vms v SET storage_cluster = h.cluster FROM vm_lifecycle.hosts h WHERE v.host_id = h.host_id;
