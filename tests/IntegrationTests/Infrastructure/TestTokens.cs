using System.Net.Http.Headers;
using CloudBus.Security;

namespace CloudBus.IntegrationTests.Infrastructure;

/// <summary>
/// Operator tokens for the tests, minted as `cloudbus token mint` does with the key the test
/// services check. Test clients act as an admin unless a test is about roles.
/// </summary>
public static class TestTokens
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);
    private static readonly Lazy<string> Key = new(() => SecretFile.Read(TestServers.SigningKeyFile, "Auth__SigningKeyFile"));

    public static string For(string role, string subject = "test-suite") =>
        OperatorTokens.Mint(Key.Value, subject, role, Lifetime, DateTimeOffset.UtcNow);

    /// <summary>An HTTP client that sends a token of <paramref name="role"/> with every request.</summary>
    public static HttpClient Client(TimeSpan timeout, string role = OperatorRoles.Admin)
    {
        var client = new HttpClient { Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", For(role));
        return client;
    }
}
