-- Investigations are per suspicion now (not per host): a host that fails again gets a new
-- incident with a release of its own. A host still has at most one open incident at a time; a
-- suspicion of a host already under investigation is recorded on the open incident instead.
-- Hosts left with several open incidents by the old scheme keep only the newest open.
UPDATE ha_orchestrator.incidents i
SET closed_at = i.recorded_at
WHERE i.closed_at IS NULL
  AND EXISTS (SELECT 1 FROM ha_orchestrator.incidents newer
              WHERE newer.host_id = i.host_id AND newer.closed_at IS NULL AND newer.suspected_at > i.suspected_at);
CREATE UNIQUE INDEX incidents_one_open_per_host ON ha_orchestrator.incidents (host_id) WHERE closed_at IS NULL;
