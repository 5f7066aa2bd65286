-- A VM HA must run again. Keyed by (VM, incarnation): a duplicate or replayed message about the
-- same run cannot ask for a second restart. Restart sagas work from these rows.
CREATE TABLE ha_orchestrator.restart_requests (
    vm_id            uuid        NOT NULL,
    incarnation      bigint      NOT NULL,
    host_id          text        NOT NULL,
    reason           text        NOT NULL,
    restart_priority integer     NOT NULL,
    status           text        NOT NULL,
    requested_at     timestamptz NOT NULL,
    PRIMARY KEY (vm_id, incarnation)
);
