using System.Security.Claims;
using CloudBus.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// Refusals as problem details that say what to do: a 401 says a token is missing or not valid, a
/// 403 names the roles the route needs and the one the token has. Never an empty body.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            // The scheme sets 401 and WWW-Authenticate (with the token's error, if it had one).
            await context.ChallengeAsync();
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required",
                detail: context.Request.Headers.Authorization.Count == 0
                    ? "Send an operator token: Authorization: Bearer <token> (`cloudbus token mint` makes one)."
                    : "The bearer token is not valid here: expired, not signed with this control plane's key, or for another issuer or audience.")
                .ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Role too weak",
                detail: $"{context.Request.Method} {context.Request.Path} needs the role {Needed(policy)}; " +
                        $"the token of '{context.User.Identity?.Name}' has {RoleOf(context.User)}.")
                .ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Needed(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
        return roles.Count == 0 ? "(none)" : string.Join(" or ", roles);
    }

    private static string RoleOf(ClaimsPrincipal user) => user.FindFirst(OperatorRoles.ClaimType)?.Value ?? "no role";
}
