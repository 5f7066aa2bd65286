using CloudBus.Messages.Hosts;

namespace CloudBus.VmLifecycle.Api;

/// <summary>Collects field errors for a request; an empty result means valid.</summary>
public sealed class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public RequestValidation Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
            list.Add(message);
        }
        return this;
    }

    /// <summary>Records a domain rule's answer (null when the value keeps the rule) against <paramref name="field"/>.</summary>
    public RequestValidation Check(string field, string? problem) => Require(problem is null, field, problem!);

    /// <summary>Ids of hosts and clusters: the one rule every service keeps (<see cref="HostIds"/>).</summary>
    public RequestValidation RequireId(string? value, string field, bool optional = false) =>
        Require((optional && value is null) || HostIds.IsValid(value), field, HostIds.Rule(field));

    /// <summary>
    /// Free text (names, reasons): at most <paramref name="maxLength"/> characters, no control
    /// characters (a NUL cannot even be stored), optionally required.
    /// </summary>
    public RequestValidation RequireText(string? value, string field, int maxLength, bool required = false) =>
        Require(value is null ? !required : (!required || !string.IsNullOrWhiteSpace(value)) && value.Length <= maxLength && !value.Any(char.IsControl),
            field, $"{field} must be {(required ? "1" : "0")}-{maxLength} characters without control characters.");

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
