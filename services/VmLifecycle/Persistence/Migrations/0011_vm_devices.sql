-- The disks and NICs a VM is created with (given to every host it starts on), and the devices its
-- host last reported for its current run (after a start or reboot, and on a change found by sync).
CREATE TABLE vm_lifecycle.vm_hardware (
    vm_id uuid  PRIMARY KEY REFERENCES vm_lifecycle.vms (vm_id) ON DELETE CASCADE,
    disks jsonb NOT NULL,
    nics  jsonb NOT NULL
);

CREATE TABLE vm_lifecycle.vm_devices (
    vm_id       uuid        PRIMARY KEY REFERENCES vm_lifecycle.vms (vm_id) ON DELETE CASCADE,
    host_id     text        NOT NULL,
    incarnation bigint      NOT NULL,
    devices     jsonb       NOT NULL,
    reported_by text        NOT NULL,
    reported_at timestamptz NOT NULL
);
