using CloudBus.ServiceDefaults;
using CloudBus.Security;
using CloudBus.ServiceDefaults.Bus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.UnitTests.ServiceDefaults.Bus;

public sealed class RabbitMqOptionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cloudbus-rabbit-options-").FullName;
    private readonly Dictionary<string, string?> _credentials;

    public RabbitMqOptionsTests()
    {
        var passwordFile = Path.Combine(_folder, "password");
        SecretFile.Write(passwordFile, "a-broker-password");
        _credentials = new() { ["RabbitMq:Username"] = "cloudbus", ["RabbitMq:PasswordFile"] = passwordFile };
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_password_is_read_from_its_file()
    {
        Assert.Equal("a-broker-password", Resolve([]).ReadPassword());
    }

    [Fact]
    public void A_missing_password_file_is_refused_naming_the_setting_and_the_path()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["RabbitMq:PasswordFile"] = "/nonexistent/rabbitmq-password" }));

        Assert.Contains("RabbitMq:PasswordFile (env RabbitMq__PasswordFile): the secret file '/nonexistent/rabbitmq-password' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false", "/etc/cloudbus/broker-ca.crt", "apply only with RabbitMq:UseTls=true")]
    [InlineData("true", "/nonexistent/broker-ca.crt", "RabbitMq:TlsCaFile '/nonexistent/broker-ca.crt' does not exist")]
    public void Tls_settings_that_cannot_take_effect_are_refused(string useTls, string caFile, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["RabbitMq:UseTls"] = useTls, ["RabbitMq:TlsCaFile"] = caFile }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_cluster_nodes_the_bus_uses_one_node_and_classic_queues()
    {
        var options = Resolve([]);

        Assert.Empty(options.ClusterNodeList());
        Assert.Equal((RabbitMqQueueType.Auto, RabbitMqQueueType.Classic), (options.QueueType, options.DurableQueueType));
    }

    [Fact]
    public void Cluster_nodes_are_read_with_their_ports_and_a_node_without_one_gets_the_port_setting()
    {
        var options = Resolve(new() { ["RabbitMq:ClusterNodes"] = " rabbit-1:5701, rabbit-2 ,,10.0.0.3:5703", ["RabbitMq:Port"] = "5700" });

        Assert.Equal([new RabbitMqNode("rabbit-1", 5701), new RabbitMqNode("rabbit-2", 5700), new RabbitMqNode("10.0.0.3", 5703)],
            options.ClusterNodeList());
        Assert.Equal("rabbit-2:5700", options.ClusterNodeList()[1].ToString());
    }

    [Theory]
    [InlineData("", RabbitMqQueueType.Auto, RabbitMqQueueType.Classic)]
    [InlineData("rabbit-1:5672", RabbitMqQueueType.Auto, RabbitMqQueueType.Classic)]
    [InlineData("rabbit-1:5672,rabbit-2:5672", RabbitMqQueueType.Auto, RabbitMqQueueType.Quorum)]
    [InlineData("", RabbitMqQueueType.Quorum, RabbitMqQueueType.Quorum)]
    [InlineData("rabbit-1:5672,rabbit-2:5672,rabbit-3:5672", RabbitMqQueueType.Classic, RabbitMqQueueType.Classic)]
    public void Auto_means_quorum_on_a_cluster_of_two_nodes_or_more_and_an_explicit_type_wins(
        string nodes, RabbitMqQueueType configured, RabbitMqQueueType expected)
    {
        var options = Resolve(new() { ["RabbitMq:ClusterNodes"] = nodes, ["RabbitMq:QueueType"] = configured.ToString() });

        Assert.Equal(expected, options.DurableQueueType);
    }

    [Fact]
    public void The_queue_type_is_read_whatever_its_case()
    {
        Assert.Equal(RabbitMqQueueType.Quorum, Resolve(new() { ["RabbitMq:QueueType"] = "quorum" }).QueueType);
    }

    [Theory]
    [InlineData("rabbit-1:5672,rabbit-2:", "rabbit-2:")]
    [InlineData("rabbit-1:0", "rabbit-1:0")]
    [InlineData("rabbit-1:65536", "rabbit-1:65536")]
    [InlineData("rabbit-1:port", "rabbit-1:port")]
    [InlineData(":5672", ":5672")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]:5672", "[::1]:5672")]
    [InlineData("rabbit 1:5672", "rabbit 1:5672")]
    public void A_bad_cluster_node_is_refused_with_a_message_naming_the_setting_and_the_entry(string nodes, string bad)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["RabbitMq:ClusterNodes"] = nodes }));

        Assert.Contains($"RabbitMq:ClusterNodes (env RabbitMq__ClusterNodes) has a bad entry '{bad}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_type_that_is_not_a_name_of_one_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["RabbitMq:QueueType"] = "7" }));

        Assert.Contains("RabbitMq:QueueType must be Auto, Quorum or Classic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_queue_type_is_refused_naming_the_setting()
    {
        var error = Assert.ThrowsAny<InvalidOperationException>(() => Resolve(new() { ["RabbitMq:QueueType"] = "Qorum" }));

        Assert.Contains("RabbitMq:QueueType", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The options as a service gets them: bound and validated by the bus registration itself.</summary>
    private RabbitMqOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_credentials).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddCloudBusMessaging(ServiceIdentity.Create("options-test", TimeProvider.System), null);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
    }
}
