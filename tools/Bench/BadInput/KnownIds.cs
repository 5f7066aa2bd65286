namespace CloudBus.Bench.BadInput;

/// <summary>Resources that exist in the stack under test, named by the path parameters that take them.</summary>
public sealed record KnownIds(string HostId, Guid VmId, Guid IncidentId, string Service)
{
    /// <summary>The path with every parameter filled with a known id, except those given (already escaped).</summary>
    public string Fill(string template, params (string Name, string Segment)[] overrides) =>
        BadInputCases.PathParameter().Replace(template, match =>
        {
            var name = match.Groups[1].Value;
            foreach (var (overridden, segment) in overrides)
                if (overridden == name) return segment;
            return name switch
            {
                "hostId" or "otherHostId" => HostId,
                "vmId" => VmId.ToString(),
                "incidentId" => IncidentId.ToString(),
                "service" => Service,
                _ => "probe",
            };
        });
}
