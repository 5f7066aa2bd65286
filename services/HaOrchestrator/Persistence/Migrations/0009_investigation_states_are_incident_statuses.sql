-- An investigation's states are now named from the incident statuses (IncidentStatus), so that
-- the saga's state and its incident's status are one vocabulary. Investigations in flight keep
-- their place: HeldByBrake is AwaitingOperator, Releasing is Fenced, and WaitingToRetry splits
-- into FencingFailed or Undetermined, as the incident's status already said.
UPDATE ha_orchestrator.investigations SET current_state = 'AwaitingOperator' WHERE current_state = 'HeldByBrake';
UPDATE ha_orchestrator.investigations SET current_state = 'Fenced' WHERE current_state = 'Releasing';
UPDATE ha_orchestrator.investigations v
SET current_state = CASE WHEN i.status = 'FencingFailed' THEN 'FencingFailed' ELSE 'Undetermined' END
FROM ha_orchestrator.incidents i
WHERE v.current_state = 'WaitingToRetry' AND i.incident_id = v.correlation_id;
