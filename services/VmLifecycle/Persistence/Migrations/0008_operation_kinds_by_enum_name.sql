-- Operation kinds are an enum now (VmOperationKind): journaled operations keep their kind under its new name.
UPDATE vm_lifecycle.operations SET operation = CASE operation
    WHEN 'create' THEN 'Create' WHEN 'set HA' THEN 'SetHa' WHEN 'start' THEN 'Start' WHEN 'stop' THEN 'Stop'
    WHEN 'forced stop' THEN 'ForcedStop' WHEN 'reboot' THEN 'Reboot' WHEN 'migrate' THEN 'Migrate' WHEN 'destroy' THEN 'Destroy'
    ELSE operation END;
