namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Assertions on HTTP answers that show the body when they fail.</summary>
public static class ApiAssert
{
    public static async Task SucceededAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync();
        Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
    }
}
