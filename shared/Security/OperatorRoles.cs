namespace CloudBus.Security;

/// <summary>
/// The three operator roles, each allowed what the one before it is: a viewer reads, an operator
/// also runs VM operations and maintenance, an admin also registers hosts and their BMCs and
/// approves fencing. A token carries one of them in its <see cref="ClaimType"/> claim.
/// </summary>
public static class OperatorRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    /// <summary>The claim a token names its role in.</summary>
    public const string ClaimType = "role";

    /// <summary>Weakest first.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static bool IsDefined(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>The roles at least as strong as <paramref name="role"/>: who may do what it may do.</summary>
    public static IReadOnlyList<string> AtLeast(string role)
    {
        var index = All.ToList().IndexOf(role);
        return index < 0 ? throw new ArgumentException($"'{role}' is not a role: use one of {string.Join(", ", All)}.", nameof(role)) : All.Skip(index).ToList();
    }
}
