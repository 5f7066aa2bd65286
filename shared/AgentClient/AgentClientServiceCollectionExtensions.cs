using CloudBus.Security.Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudBus.AgentClient;

public static class AgentClientServiceCollectionExtensions
{
    /// <summary>
    /// The typed <see cref="HostAgentClient"/>, its connect timeout from <see cref="AgentClientOptions"/>
    /// (what makes an address that drops packets fail over in time) and its cap on an answer's
    /// size, the service-wide memory of which address of each host answered last, and mutual TLS:
    /// this service's certificate presented to every agent, each agent checked for its host's.
    /// </summary>
    public static IServiceCollection AddHostAgentClient(this IServiceCollection services)
    {
        services.AddOptions<AgentClientOptions>().BindConfiguration(AgentClientOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PreferredAgentAddresses>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<AgentClientOptions>>().Value;
            var trust = options.UsesTls ? new CertificateTrust(CertificateFiles.LoadPublic(options.CaFile!)) : null;
            return new AgentIdentities(trust, options.AllowPlainHttp, provider.GetService<TimeProvider>() ?? TimeProvider.System);
        });
        services.AddTransient<HostNameHandler>();
        services.AddHttpClient<HostAgentClient>()
            .AddHttpMessageHandler<HostNameHandler>()
            .ConfigureHttpClient((provider, http) =>
                http.MaxResponseContentBufferSize = provider.GetRequiredService<IOptions<AgentClientOptions>>().Value.MaxAnswerBytes)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<AgentClientOptions>>().Value;
                var handler = new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout };
                if (options.UsesTls)
                {
                    handler.SslOptions.ClientCertificates = [CertificateFiles.LoadWithKey(options.CertificateFile!, options.KeyFile!)];
                    handler.SslOptions.RemoteCertificateValidationCallback = provider.GetRequiredService<AgentIdentities>().Validate;
                }
                return handler;
            });
        return services;
    }
}
