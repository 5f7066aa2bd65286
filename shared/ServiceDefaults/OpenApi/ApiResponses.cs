using CloudBus.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Mvc;

namespace CloudBus.ServiceDefaults.OpenApi;

/// <summary>
/// What a route answers, as its OpenAPI description says: the success body with its record type,
/// and the RFC 7807 problems (<c>application/problem+json</c>) it can answer, each with when.
/// The problems every route shares (401, 403, 429, 500) are added by <see cref="AddCommonProblems{TBuilder}"/>,
/// which the role helpers call, so a route says only what is its own.
/// </summary>
public static class ApiResponses
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The success answer: <paramref name="status"/> with a <typeparamref name="T"/> body.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, int status, string what) =>
        builder.WithMetadata(Response(status, typeof(T), ["application/json"], what));

    /// <summary>200 with a <typeparamref name="T"/> body: the common case.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, string what) =>
        builder.Answers<T>(StatusCodes.Status200OK, what);

    /// <summary>A list paged by <see cref="Paging"/>: one page of <typeparamref name="T"/>, or 400 for a bad limit or offset.</summary>
    public static RouteHandlerBuilder AnswersPage<T>(this RouteHandlerBuilder builder, string what) =>
        builder.Answers<IReadOnlyList<T>>(StatusCodes.Status200OK,
                $"{what} One page (?limit=1-{Paging.MaxLimit}, default {Paging.DefaultLimit}; ?offset=0..); when more follow, " +
                "a Link header names the next page (rel=\"next\").")
            .AnswersProblem(StatusCodes.Status400BadRequest, "limit or offset is out of range, or not a number.");

    /// <summary>A problem this route answers with <paramref name="status"/>, and when.</summary>
    public static TBuilder AnswersProblem<TBuilder>(this TBuilder builder, int status, string when) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Problem(status, typeof(ProblemDetails), when));

    /// <summary>
    /// 400 for a request that breaks the route's rules: <c>errors</c> names each field and what is
    /// wrong with it. A body the framework cannot read answers the same status without <c>errors</c>.
    /// </summary>
    public static TBuilder AnswersValidationProblem<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Problem(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails),
            "The request is invalid: malformed JSON, an unknown field, or a value that breaks a rule (then errors names each field and what is wrong)."));

    /// <summary>
    /// The problems any control-plane route can answer: no or a bad token (401), too weak a role
    /// (403), too many changes from one caller (429, changing methods only: <see cref="ChangingRequests"/>),
    /// and a fault of ours (500).
    /// </summary>
    internal static TBuilder AddCommonProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            // Conventions run once the route is built, so its methods are known here.
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            if (methods.Any(ChangingRequests.IsChanging))
                endpoint.Metadata.Add(Problem(StatusCodes.Status429TooManyRequests, typeof(ProblemDetails),
                    "More changing requests than RateLimit:ChangesPerSecond allows for this caller; Retry-After says when to try again."));
        });
        return builder
            .AnswersProblem(StatusCodes.Status401Unauthorized, "No bearer token, or one that is expired, not signed with this control plane's key, or for another issuer or audience.")
            .AnswersProblem(StatusCodes.Status403Forbidden, "The token's role is too weak for this route: detail names the role needed and the one the token has.")
            .AnswersProblem(StatusCodes.Status500InternalServerError, "A fault of the service's own; traceId finds it in the service's logs and traces.");
    }

    private static ProducesResponseTypeMetadata Problem(int status, Type type, string when) => Response(status, type, [ProblemContentType], when);

    private static ProducesResponseTypeMetadata Response(int status, Type type, string[] contentTypes, string description) =>
        new(status, type, contentTypes) { Description = description };
}
