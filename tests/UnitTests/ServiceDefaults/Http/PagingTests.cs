using System.Text.Json;
using CloudBus.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CloudBus.UnitTests.ServiceDefaults.Http;

public sealed class PagingTests
{
    private static readonly int[] Items = [1, 2, 3, 4, 5];

    private static async Task<(int Status, string Body, string? Link)> ListAsync(string query, int? limit, int? offset)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Request.Path = "/vms";
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        await Paging.List(context.Request, limit, offset, Items).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return (context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(),
            context.Response.Headers.Link.Count == 0 ? null : context.Response.Headers.Link.ToString());
    }

    [Fact]
    public async Task A_page_short_of_the_end_says_where_the_next_one_is_and_keeps_the_other_parameters()
    {
        var (status, body, link) = await ListAsync("?hostId=h1&limit=2&offset=1", 2, 1);
        Assert.Equal(200, status);
        Assert.Equal([2, 3], JsonSerializer.Deserialize<int[]>(body)!);
        Assert.Equal("</vms?hostId=h1&limit=2&offset=3>; rel=\"next\"", link);
    }

    [Fact]
    public async Task The_last_page_has_no_next_and_no_parameters_mean_the_first_thousand()
    {
        var (_, body, link) = await ListAsync("?limit=2&offset=3", 2, 3);
        Assert.Equal([4, 5], JsonSerializer.Deserialize<int[]>(body)!);
        Assert.Null(link);
        var (_, all, none) = await ListAsync("", null, null);
        Assert.Equal(Items, JsonSerializer.Deserialize<int[]>(all));
        Assert.Null(none);
    }

    [Theory]
    [InlineData(0, null, "limit must be between 1 and 5000")]
    [InlineData(5001, null, "limit must be between 1 and 5000")]
    [InlineData(null, -1, "offset must not be negative")]
    public async Task A_bad_limit_or_offset_is_a_400_that_says_what_is_allowed(int? limit, int? offset, string message)
    {
        var (status, body, _) = await ListAsync("", limit, offset);
        Assert.Equal(400, status);
        Assert.Contains(message, body, StringComparison.Ordinal);
    }
}
