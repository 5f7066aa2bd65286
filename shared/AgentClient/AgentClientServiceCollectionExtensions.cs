using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.AgentClient;

public static class AgentClientServiceCollectionExtensions
{
    /// <summary>
    /// The typed <see cref="HostAgentClient"/>, its connect timeout from <see cref="AgentClientOptions"/>
    /// (what makes an address that drops packets fail over in time) and its cap on an answer's
    /// size, and the service-wide memory of which address of each host answered last.
    /// </summary>
    public static IServiceCollection AddHostAgentClient(this IServiceCollection services)
    {
        services.AddOptions<AgentClientOptions>().BindConfiguration(AgentClientOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PreferredAgentAddresses>();
        services.AddHttpClient<HostAgentClient>()
            .ConfigureHttpClient((provider, http) =>
                http.MaxResponseContentBufferSize = provider.GetRequiredService<IOptions<AgentClientOptions>>().Value.MaxAnswerBytes)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<IOptions<AgentClientOptions>>().Value.ConnectTimeout,
            });
        return services;
    }
}
