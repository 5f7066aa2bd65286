-- The host's BMC (host:port, IPMI over LAN), announced with the host so HaOrchestrator can fence it.
ALTER TABLE vm_lifecycle.hosts ADD COLUMN bmc_address text;
