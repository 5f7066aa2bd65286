using CloudBus.ServiceDefaults.Sagas;
using MassTransit;
using MassTransit.Saga;
using Npgsql;

namespace CloudBus.UnitTests.ServiceDefaults.Sagas;

/// <summary>What the Postgres saga repository refuses before it ever reaches a database.</summary>
public sealed class PostgresSagaTableTests
{
    [Fact]
    public void A_schema_qualified_name_is_quoted_for_sql()
    {
        Assert.Equal("\"vm_lifecycle\".\"restart_sagas\"", new PostgresSagaTable<NamedState>("vm_lifecycle.restart_sagas").Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("restart_sagas")]
    [InlineData("VmLifecycle.restart_sagas")]
    [InlineData("vm_lifecycle.restart-sagas")]
    [InlineData("vm_lifecycle.sagas; DROP TABLE x")]
    [InlineData("a.b.c")]
    public void A_name_that_is_not_two_lower_case_identifiers_is_refused(string name)
    {
        var refused = Assert.Throws<ArgumentException>(() => new PostgresSagaTable<NamedState>(name));
        Assert.Contains("schema.table", refused.Message);
    }

    [Fact]
    public void The_current_state_column_takes_a_string_or_int_CurrentState_property()
    {
        Assert.Equal("Counting", new PostgresSagaTable<NamedState>("s.t").CurrentStateOf(new NamedState { CurrentState = "Counting" }));
        Assert.Equal("3", new PostgresSagaTable<NumberedState>("s.t").CurrentStateOf(new NumberedState { CurrentState = 3 }));
    }

    [Fact]
    public void A_saga_without_a_CurrentState_property_needs_a_reader_for_the_current_state_column()
    {
        var refused = Assert.Throws<ArgumentException>(() => new PostgresSagaTable<StatelessSaga>("s.t"));
        Assert.Contains(nameof(StatelessSaga), refused.Message);

        var table = new PostgresSagaTable<StatelessSaga>("s.t", saga => saga.Phase);
        Assert.Equal("Done", table.CurrentStateOf(new StatelessSaga { Phase = "Done" }));
    }

    [Fact]
    public async Task Correlating_by_a_query_is_refused_with_advice_to_correlate_by_id()
    {
        await using var unused = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var factory = new PostgresSagaRepositoryContextFactory<NamedState>(
            unused, new PostgresSagaTable<NamedState>("s.t"), new SagaConsumeContextFactory<PostgresSagaSession<NamedState>, NamedState>());

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() =>
            factory.SendQuery<NamedState>(null!, null!, null!));

        Assert.Contains("CorrelateById", refused.Message);
        Assert.Contains("\"s\".\"t\"", refused.Message);
    }

    public sealed class NamedState : SagaStateMachineInstance, ISagaVersion
    {
        public Guid CorrelationId { get; set; }
        public string CurrentState { get; set; } = "";
        public int Version { get; set; }
    }

    public sealed class NumberedState : SagaStateMachineInstance, ISagaVersion
    {
        public Guid CorrelationId { get; set; }
        public int CurrentState { get; set; }
        public int Version { get; set; }
    }

    public sealed class StatelessSaga : ISagaVersion
    {
        public Guid CorrelationId { get; set; }
        public string Phase { get; set; } = "";
        public int Version { get; set; }
    }
}
