using Microsoft.Extensions.Options;

namespace CloudBus.WebConsole;

/// <summary>Refuses to start with a service missing or an address that is not a URL, saying which.</summary>
public sealed class ConsoleOptionsValidation : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
