-- Each release of a fenced host, by investigation, with the announcement it made: a repeated
-- ReleaseFencedHost (redelivery, two instances) announces the same VMs again instead of an empty
-- list that could overtake the real one.
CREATE TABLE vm_lifecycle.fenced_releases (
    investigation_id uuid PRIMARY KEY,
    host_id          text        NOT NULL,
    announcement     jsonb       NOT NULL,
    released_at      timestamptz NOT NULL
);
