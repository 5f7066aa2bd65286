using CloudBus.Messages.Vms;

namespace CloudBus.VmLifecycle.Domain;

/// <summary>
/// The limits on what a VM is created with and on its HA settings: one set, however the request
/// arrives (the HTTP API or a bus command). Each rule answers null for a value within its limit,
/// or else a message that names the field and what it allows.
/// </summary>
public static class VmSettingsRules
{
    public static readonly string HaLevelMessage = $"haLevel must be one of {string.Join(", ", Enum.GetNames<VmHaLevel>())}.";

    /// <summary>A display name: no control characters (a NUL cannot even be stored; an escape sequence would repaint an operator's terminal).</summary>
    public static string? Name(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 128 && !name.Any(char.IsControl) ? null : "name must be 1-128 characters without control characters.";

    public static string? CpuCores(int cpuCores) => cpuCores is > 0 and <= 256 ? null : "cpuCores must be between 1 and 256.";

    public static string? MemoryMib(int memoryMib) =>
        memoryMib is >= 16 and <= 16 * 1024 * 1024 ? null : "memoryMib must be between 16 and 16777216.";

    /// <summary>Only the named levels: a number that names none (a message can carry one) is refused, never stored.</summary>
    public static string? HaLevel(VmHaLevel level) => Enum.IsDefined(level) ? null : HaLevelMessage;

    public static string? RestartPriority(int restartPriority) =>
        restartPriority is >= 0 and <= 1000 ? null : "restartPriority must be between 0 and 1000.";

    /// <summary>Every limit a new VM breaks, in field order; empty when it may be created.</summary>
    public static IReadOnlyList<string> Check(NewVm vm) =>
        Broken(Name(vm.Name), CpuCores(vm.CpuCores), MemoryMib(vm.MemoryMib), HaLevel(vm.HaLevel), RestartPriority(vm.RestartPriority));

    /// <summary>Every limit these HA settings break; empty when they may be set.</summary>
    public static IReadOnlyList<string> CheckHa(VmHaLevel level, int restartPriority) => Broken(HaLevel(level), RestartPriority(restartPriority));

    private static List<string> Broken(params string?[] answers) => answers.OfType<string>().ToList();
}
