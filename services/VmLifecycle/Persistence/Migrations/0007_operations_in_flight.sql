-- Every operation is journaled now (not only those with a caller's id), with the instance running
-- it, so that an operation left unfinished by an instance that died is found and settled by
-- another at once. A VM points at the operation in flight on it; a migration records the target
-- whose capacity it reserved, so a settled one can give that capacity back.
ALTER TABLE vm_lifecycle.operations
    ADD COLUMN operating_instance text,
    ADD COLUMN target_host_id     text;
CREATE INDEX operations_in_flight ON vm_lifecycle.operations (started_at) WHERE completed_at IS NULL;
ALTER TABLE vm_lifecycle.vms ADD COLUMN operation_id uuid;
