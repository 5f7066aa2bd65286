using CloudBus.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CloudBus.UnitTests.Security;

public sealed class OperatorTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_minted_token_carries_subject_role_issuer_audience_and_lifetime_and_is_signed_with_the_key()
    {
        var key = OperatorTokens.NewKey();
        var token = OperatorTokens.Mint(key, "alice", OperatorRoles.Operator, TimeSpan.FromHours(2), Now);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TokenSettings.DefaultIssuer,
            ValidAudience = TokenSettings.DefaultAudience,
            IssuerSigningKey = OperatorTokens.SigningKey(key),
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("alice", jwt.Subject);
        Assert.Equal(OperatorRoles.Operator, jwt.GetClaim(OperatorRoles.ClaimType).Value);
        Assert.Equal(Now.UtcDateTime, jwt.ValidFrom);
        Assert.Equal(Now.AddHours(2).UtcDateTime, jwt.ValidTo);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_does_not_validate()
    {
        var token = OperatorTokens.Mint(OperatorTokens.NewKey(), "mallory", OperatorRoles.Admin, TimeSpan.FromHours(1), Now);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TokenSettings.DefaultIssuer, ValidAudience = TokenSettings.DefaultAudience,
            IssuerSigningKey = OperatorTokens.SigningKey(OperatorTokens.NewKey()), ValidateLifetime = false,
        });
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("root", "alice", "not a role")]
    [InlineData("Admin", "alice", "not a role")]
    [InlineData("admin", " ", "subject")]
    public void Undefined_roles_and_empty_subjects_are_refused(string role, string subject, string message)
    {
        var refusal = Assert.ThrowsAny<ArgumentException>(() => OperatorTokens.Mint(OperatorTokens.NewKey(), subject, role, TimeSpan.FromHours(1), Now));
        Assert.Contains(message, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_shorter_than_256_bits_is_refused()
    {
        var refusal = Assert.Throws<ArgumentException>(() => OperatorTokens.SigningKey(new string('k', 31)));
        Assert.Contains("at least 32", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_role_admits_itself_and_the_stronger_ones()
    {
        Assert.Equal([OperatorRoles.Viewer, OperatorRoles.Operator, OperatorRoles.Admin], OperatorRoles.AtLeast(OperatorRoles.Viewer));
        Assert.Equal([OperatorRoles.Operator, OperatorRoles.Admin], OperatorRoles.AtLeast(OperatorRoles.Operator));
        Assert.Equal([OperatorRoles.Admin], OperatorRoles.AtLeast(OperatorRoles.Admin));
    }
}
