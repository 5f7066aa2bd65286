-- A skip belongs to one operation, not to the VM: an operation refused or begun later must not
-- replace (and so end) the protection of one still in flight. A continue that arrives before its
-- skip (the outbox of several VmLifecycle instances may deliver them out of order) is kept as a
-- tombstone (continued_at), so the late skip finds its operation already ended.
ALTER TABLE host_monitor.trace_skips DROP CONSTRAINT trace_skips_pkey;
ALTER TABLE host_monitor.trace_skips ADD PRIMARY KEY (vm_id, operation_id);
ALTER TABLE host_monitor.trace_skips ADD COLUMN continued_at timestamptz;
CREATE INDEX trace_skips_active ON host_monitor.trace_skips (vm_id) WHERE continued_at IS NULL;
