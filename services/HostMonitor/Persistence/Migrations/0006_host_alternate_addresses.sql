-- More management networks: the agent's addresses tried after agent_address when it does not answer.
ALTER TABLE host_monitor.hosts ADD COLUMN alternate_agent_addresses text[] NOT NULL DEFAULT '{}';
