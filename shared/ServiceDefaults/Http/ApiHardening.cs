using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.ServiceDefaults.Http;

/// <summary>
/// What every HTTP API of CloudBus (the four services and the agent) does with bad input, in one
/// place: problem details for every error (never an empty body), strict JSON (numbers as numbers,
/// enums by name, no unknown members), and a limit on the body's size.
/// </summary>
public static class ApiHardening
{
    public static IServiceCollection AddApiHardening(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Outside Development a binding failure is an empty 400; throwing lets the handler above explain it.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes);
        services.ConfigureHttpJsonOptions(o => Strict(o));
        return services;
    }

    /// <summary>First in the pipeline: exceptions and bare status codes (404 of an unknown route, 405) become problem details.</summary>
    public static WebApplication UseApiHardening(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private static void Strict(JsonOptions options)
    {
        var json = options.SerializerOptions;
        // The web defaults read "12" as 12: a string where a number belongs is a client's mistake to hear about.
        json.NumberHandling = JsonNumberHandling.Strict;
        // A misspelt field ("haLvl") would otherwise be dropped silently and its default used.
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.MaxDepth = ApiLimits.MaxJsonDepth;
        // Names only: "7" or "Running,Stopped" are not values anyone meant.
        json.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }
}
