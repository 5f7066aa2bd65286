using CloudBus.Bench.Chaos;

namespace CloudBus.UnitTests.Bench;

public sealed class ChaosOptionsTests
{
    [Fact]
    public void Without_arguments_the_chaos_runs_eight_minutes_with_seed_42()
    {
        var options = ChaosOptions.Parse([], out var problem);

        Assert.Null(problem);
        Assert.Equal(new ChaosOptions(8, 42), options);
    }

    [Fact]
    public void Minutes_and_seed_are_read_in_any_order()
    {
        Assert.Equal(new ChaosOptions(2.5, 7), ChaosOptions.Parse(["--seed", "7", "--minutes", "2.5"], out _));
    }

    [Theory]
    [InlineData("--minutes", "0")]
    [InlineData("--minutes", "61")]
    [InlineData("--minutes", "many")]
    [InlineData("--seed", "1.5")]
    [InlineData("--seed")]
    [InlineData("--hours", "1")]
    public void A_wrong_argument_is_refused_with_what_is_expected(params string[] args)
    {
        Assert.Null(ChaosOptions.Parse(args, out var problem));
        Assert.Contains("--minutes M", problem);
    }
}
