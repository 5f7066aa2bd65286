using CloudBus.Security;
using CloudBus.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Authorization;

namespace CloudBus.ServiceDefaults.Security;

/// <summary>
/// One authorization policy per operator role, named after it; a policy admits its role and the
/// stronger ones. Routes say which they need with <see cref="ForViewers{T}"/>, <see cref="ForOperators{T}"/>
/// or <see cref="ForAdmins{T}"/>; a route that says nothing needs an admin (the fallback). Every
/// route passes through one of them, so they also describe the problems every route can answer
/// (<see cref="ApiResponses.AddCommonProblems{TBuilder}"/>): a token requirement is where 401 and 403 come from.
/// </summary>
public static class OperatorPolicies
{
    internal static void Add(AuthorizationOptions options)
    {
        foreach (var role in OperatorRoles.All)
            options.AddPolicy(role, policy => policy.RequireAuthenticatedUser().RequireRole(OperatorRoles.AtLeast(role)));
        // Safe by default: a route someone forgot to mark is an admin's.
        options.FallbackPolicy = options.GetPolicy(OperatorRoles.Admin);
    }

    /// <summary>Reads: viewers, operators and admins.</summary>
    public static TBuilder ForViewers<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(OperatorRoles.Viewer).AddCommonProblems();

    /// <summary>VM operations and maintenance: operators and admins.</summary>
    public static TBuilder ForOperators<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(OperatorRoles.Operator).AddCommonProblems();

    /// <summary>Hosts, BMCs, fencing approval, the audit log: admins only.</summary>
    public static TBuilder ForAdmins<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(OperatorRoles.Admin).AddCommonProblems();
}
