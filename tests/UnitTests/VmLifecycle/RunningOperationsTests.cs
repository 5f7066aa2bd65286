using CloudBus.VmLifecycle.Operations;

namespace CloudBus.UnitTests.VmLifecycle;

public sealed class RunningOperationsTests
{
    [Fact]
    public void An_operation_is_running_until_every_runner_of_it_in_this_process_let_go()
    {
        var running = new RunningOperations();
        var id = Guid.NewGuid();

        var first = running.Track(id);
        var repeat = running.Track(id); // a repeat of the same id, racing in this process
        first.Dispose();
        first.Dispose(); // a second dispose of one handle does not let go of the other
        Assert.True(running.IsRunning(id));

        repeat.Dispose();
        Assert.False(running.IsRunning(id));
        Assert.False(running.IsRunning(Guid.NewGuid()));
    }
}
