-- Operation kinds are an enum now (VmOperationKind): skips keep their operation's kind under its new name.
UPDATE host_monitor.trace_skips SET operation = CASE operation
    WHEN 'create' THEN 'Create' WHEN 'set HA' THEN 'SetHa' WHEN 'start' THEN 'Start' WHEN 'stop' THEN 'Stop'
    WHEN 'forced stop' THEN 'ForcedStop' WHEN 'reboot' THEN 'Reboot' WHEN 'migrate' THEN 'Migrate' WHEN 'destroy' THEN 'Destroy'
    ELSE operation END;
