-- A BMC is bound to its host: the system GUID it answered with when first asked (at registration,
-- or at the first fence when it did not answer then), compared before every power-off. One GUID
-- belongs to one host, so a host registered with another host's BMC address can never fence it.
-- bmc_changed_at / _by: when and by whom an admin last changed the host's BMC after registering
-- it; fencing within Ha:BmcChangeNeedsApprovalFor of it waits for an operator.
ALTER TABLE ha_orchestrator.hosts
    ADD COLUMN bmc_guid text,
    ADD COLUMN bmc_changed_at timestamptz,
    ADD COLUMN bmc_changed_by text;
CREATE UNIQUE INDEX hosts_one_host_per_bmc_guid ON ha_orchestrator.hosts (bmc_guid) WHERE bmc_guid IS NOT NULL;
