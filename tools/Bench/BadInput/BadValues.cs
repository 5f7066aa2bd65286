using System.Text.Json.Nodes;

namespace CloudBus.Bench.BadInput;

/// <summary>
/// Values no field of their kind may accept: control characters, oversized and path-like strings,
/// numbers out of any sane range or of the wrong type, undefined enum values, wrong shapes. Each
/// comes with a few words saying what it is, for the failure report.
/// </summary>
public static class BadValues
{
    private static readonly string Long = new('x', 5_000);
    /// <summary>Over the 64 KiB body limit on its own: the answer must be 413, not a 500.</summary>
    private static readonly string Huge = new('x', 100 * 1024);

    /// <param name="nullable">Whether the field may be null (then null is not sent as bad).</param>
    /// <param name="idLike">Whether the field names something (an id, a cluster, a network): then empty, blank and path-like are bad too; in free text (a name, a reason) they are not.</param>
    public static IEnumerable<(string What, JsonNode? Value)> For(string kind, bool nullable, bool idLike) =>
        Values(kind, idLike).Where(v => !(nullable && v.Value is null));

    private static IEnumerable<(string What, JsonNode? Value)> Values(string kind, bool idLike) => kind switch
    {
        "integer" or "number" =>
        [
            ("-1", -1), ("int max", int.MaxValue), ("beyond int", 2_147_483_648L), ("huge", 1e30), ("negative huge", -1e30),
            ("fraction", 1.5), ("a string", "12"), ("null", null), ("an object", new JsonObject()),
        ],
        "boolean" => [("a string", "yes"), ("a number", 1), ("null", null)],
        "enum" => [("a number", "7"), ("two names", "None,NeverStop"), ("unknown name", "Sometimes"), ("NUL", "None\0"), ("a number, unquoted", 7)],
        "array" => [("a string", "x"), ("an object", new JsonObject()), ("1000 nulls", new JsonArray([.. Enumerable.Repeat<JsonNode?>(null, 1000)])), ("[null]", new JsonArray((JsonNode?)null))],
        "object" => [("a string", "x"), ("an array", new JsonArray()), ("a number", 1)],
        "uuid" => [("not a uuid", "not-a-uuid"), ("NUL", "\0"), ("a number", 1)],
        _ => idLike ? [.. Strings, .. IdStrings] : Strings,
    };

    /// <summary>Path segments (already escaped) that name nothing, or try to name something else.</summary>
    public static IEnumerable<(string What, string Segment)> PathSegments(string kind) =>
    [
        ("unknown", kind == "uuid" ? Guid.NewGuid().ToString() : "no-such-thing"),
        ("path traversal", "..%2F..%2Fetc%2Fpasswd"), ("dot-dot", ".."), ("NUL", "%00"), ("newline", "a%0Ab"),
        ("300 characters", new string('a', 300)), ("not a uuid", "not-a-uuid"), ("empty uuid", Guid.Empty.ToString()),
    ];

    /// <summary>Query values (already escaped).</summary>
    public static IEnumerable<(string What, string Value)> QueryValues =>
    [
        ("NUL", "%00"), ("1000 characters", new string('x', 1000)), ("-1", "-1"), ("beyond long", "99999999999999999999"),
        ("not a uuid", "not-a-uuid"), ("path traversal", "..%2F..%2Fetc"),
    ];

    private static IEnumerable<(string, JsonNode?)> Strings =>
    [
        ("NUL", "a\0b"), ("escape sequence", "\u001b[31mred"), ("newline", "a\nb"), ("5000 characters", Long), ("100 KB", Huge),
        ("a number", 12), ("an array", new JsonArray()),
    ];

    private static IEnumerable<(string, JsonNode?)> IdStrings => [("path traversal", "../../etc/passwd"), ("empty", ""), ("blank", "   ")];
}
