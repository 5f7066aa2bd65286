using System.Net.Http.Json;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>Calling a service's JSON API from a test: the answer read as the services write JSON, a failed POST asserted with its problem.</summary>
public static class ApiCalls
{
    public static async Task<T> GetJsonAsync<T>(this HttpClient http, Uri service, string path) =>
        (await http.GetFromJsonAsync<T>(new Uri(service, path), Json.Options))!;

    public static async Task<T> PostJsonAsync<T>(this HttpClient http, Uri service, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(new Uri(service, path), body);
        await ApiAssert.SucceededAsync(response);
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }
}
