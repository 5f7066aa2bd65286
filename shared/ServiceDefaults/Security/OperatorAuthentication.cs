using CloudBus.Security;
using CloudBus.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// Operator authentication for a control-plane service's HTTP API: bearer tokens (JWT) checked
/// against the local signing key or an identity provider, the role policies, answers that say
/// what was missing, and the audit log of every changing request.
/// </summary>
public static class OperatorAuthentication
{
    /// <summary>Tokens may be this far past their expiry: clocks of operators' machines drift a little.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>(Configure);
        services.AddAuthorization(OperatorPolicies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<AuditLog>();
        services.AddChangeRateLimits();
        return services;
    }

    /// <summary>
    /// Authentication, then the rate limit (per caller, so after authentication; before the audit,
    /// so a flood does not become a flood of audit rows), then the audit (it sees who and every
    /// answer, refusals included), then authorization.
    /// </summary>
    public static WebApplication UseOperatorAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        return app;
    }

    private static void Configure(JwtBearerOptions jwt, IOptions<AuthOptions> settings)
    {
        var auth = settings.Value;
        // Keep the token's own claim names ("sub", "role"): no mapping to long XML claim types.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            NameClaimType = JwtRegisteredClaimNames.Sub,
            RoleClaimType = OperatorRoles.ClaimType,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
        };
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            return;
        }
        // Read once at start: a new key takes effect with a restart, like the other secrets.
        jwt.TokenValidationParameters.IssuerSigningKey = OperatorTokens.SigningKey(SecretFile.Read(auth.SigningKeyFile!, "Auth:SigningKeyFile"));
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
    }
}
