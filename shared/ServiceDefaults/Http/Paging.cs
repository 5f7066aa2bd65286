using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CloudBus.ServiceDefaults.Http;

/// <summary>
/// Paging of every list endpoint, as CloudStack pages its lists: <c>?limit=N&amp;offset=M</c>. The
/// body stays the list itself; when more follow, a <c>Link: &lt;...&gt;; rel="next"</c> header
/// (RFC 8288) says where. Without parameters a list answers its first <see cref="DefaultLimit"/> items.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 5000;

    /// <summary>The page of <paramref name="items"/> the request asks for, or a 400 problem for a bad limit or offset.</summary>
    public static IResult List<T>(HttpRequest request, int? limit, int? offset, IEnumerable<T> items)
    {
        if (limit is < 1 or > MaxLimit)
            return Results.Problem($"limit must be between 1 and {MaxLimit}; it was {limit}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid page");
        if (offset is < 0)
            return Results.Problem($"offset must not be negative; it was {offset}.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid page");
        var size = limit ?? DefaultLimit;
        var start = offset ?? 0;
        // One more than asked: whether a next page exists, without counting them all.
        var page = items.Skip(start).Take(size + 1).ToList();
        if (page.Count > size)
        {
            page.RemoveAt(size);
            request.HttpContext.Response.Headers.Link = $"<{NextPage(request, size, start + size)}>; rel=\"next\"";
        }
        return Results.Ok(page);
    }

    private static string NextPage(HttpRequest request, int limit, int offset)
    {
        var query = request.Query.Where(q => q.Key is not ("limit" or "offset"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append(string.Create(CultureInfo.InvariantCulture, $"limit={limit}&offset={offset}"));
        return $"{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
