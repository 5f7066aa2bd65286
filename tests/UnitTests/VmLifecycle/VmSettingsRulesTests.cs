using CloudBus.Messages.Vms;
using CloudBus.VmLifecycle.Domain;

namespace CloudBus.UnitTests.VmLifecycle;

/// <summary>The limits bus commands are held to (the API keeps the same ones, named by field).</summary>
public sealed class VmSettingsRulesTests
{
    [Fact]
    public void A_new_vm_within_its_limits_breaks_none() =>
        Assert.Empty(VmSettingsRules.Check(new NewVm("vm", 256, 16, 0, VmHaLevel.NeverStop, 1000, VmStorage.Unbound)));

    [Fact]
    public void Every_limit_a_new_vm_breaks_is_named_in_field_order()
    {
        var broken = VmSettingsRules.Check(new NewVm(" ", 0, 15, 0, (VmHaLevel)7, 1001, VmStorage.Unbound));

        Assert.Equal(["name", "cpuCores", "memoryMib", "haLevel", "restartPriority"], broken.Select(message => message.Split(' ')[0]));
        Assert.Contains("None, OnHostFailure, NeverStop", broken[3]);
    }

    [Fact]
    public void Ha_settings_name_only_the_levels_that_exist_and_a_priority_up_to_1000()
    {
        Assert.Empty(VmSettingsRules.CheckHa(VmHaLevel.OnHostFailure, 0));
        Assert.Equal([VmSettingsRules.HaLevelMessage, "restartPriority must be between 0 and 1000."], VmSettingsRules.CheckHa((VmHaLevel)(-1), -1));
    }
}
