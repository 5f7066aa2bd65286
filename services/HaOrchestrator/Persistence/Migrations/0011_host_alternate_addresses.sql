-- More management networks: agent and BMC addresses tried after the first when it does not answer.
ALTER TABLE ha_orchestrator.hosts
    ADD COLUMN alternate_agent_addresses text[] NOT NULL DEFAULT '{}',
    ADD COLUMN alternate_bmc_addresses text[] NOT NULL DEFAULT '{}';
