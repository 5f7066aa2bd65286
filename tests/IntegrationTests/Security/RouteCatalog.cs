using CloudBus.IntegrationTests.OpenApi;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.Security;

/// <summary>
/// Every route a control-plane service describes in its OpenAPI document, with the role it should
/// need: reads need a viewer; each changing route is listed in <see cref="ChangingRoutes"/>, so a
/// new one fails the route tests until someone decides who may call it.
/// </summary>
public static class RouteCatalog
{
    /// <summary>Who may call each changing route, and the one read that is not for every viewer.</summary>
    private static readonly Dictionary<(string Service, string Method, string Path), string> ChangingRoutes = new()
    {
        [("VmLifecycle", "POST", "/hosts")] = OperatorRoles.Admin,
        [("VmLifecycle", "POST", "/hosts/{hostId}/maintenance")] = OperatorRoles.Operator,
        [("VmLifecycle", "PUT", "/hosts/{hostId}/bmc")] = OperatorRoles.Admin,
        [("VmLifecycle", "POST", "/vms")] = OperatorRoles.Operator,
        [("VmLifecycle", "POST", "/vms/{vmId}/start")] = OperatorRoles.Operator,
        [("VmLifecycle", "POST", "/vms/{vmId}/stop")] = OperatorRoles.Operator,
        [("VmLifecycle", "POST", "/vms/{vmId}/reboot")] = OperatorRoles.Operator,
        [("VmLifecycle", "POST", "/vms/{vmId}/destroy")] = OperatorRoles.Operator,
        [("VmLifecycle", "POST", "/vms/{vmId}/migrate")] = OperatorRoles.Operator,
        [("VmLifecycle", "PUT", "/vms/{vmId}/ha")] = OperatorRoles.Operator,
        [("HostMonitor", "POST", "/hosts/{hostId}/check")] = OperatorRoles.Operator,
        [("HaOrchestrator", "POST", "/incidents/{incidentId}/approve-fencing")] = OperatorRoles.Admin,
    };

    public sealed record Route(string Service, string Method, string Path, string Role)
    {
        /// <summary>The path with its parameters filled with ids that exist nowhere: a call changes nothing.</summary>
        public Uri On(Uri service) => new(service, Fill(Path).TrimStart('/'));

        public override string ToString() => $"{Service} {Method} {Path} ({Role})";
    }

    public static async Task<IReadOnlyList<Route>> OfAsync(string service, Uri baseAddress) =>
        (await ApiDocument.FetchAsync(service, baseAddress)).Operations
            .Select(operation => new Route(service, operation.Method, operation.Path, RoleFor(service, operation.Method, operation.Path)))
            .ToList();

    private static string RoleFor(string service, string method, string path) =>
        ChangingRoutes.TryGetValue((service, method, path), out var role) ? role
        : path == "/audit" ? OperatorRoles.Admin
        : method == "GET" ? OperatorRoles.Viewer
        : throw new InvalidOperationException($"{service} {method} {path} is a changing route the tests do not know: add it to RouteCatalog with the role it needs.");

    private static string Fill(string path) => System.Text.RegularExpressions.Regex.Replace(path, "{([^}:]+)[^}]*}", parameter => parameter.Groups[1].Value switch
    {
        "vmId" or "incidentId" => Guid.NewGuid().ToString(),
        "service" => "vm-lifecycle",
        _ => "no-such-" + parameter.Groups[1].Value.ToLowerInvariant(),
    });
}
