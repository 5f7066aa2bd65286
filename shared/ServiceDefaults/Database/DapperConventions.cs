using System.Data;
using Dapper;

namespace CloudBus.ServiceDefaults.Database;

/// <summary>
/// How Dapper maps our types, set once per process: every timestamp is stored as
/// <c>timestamptz</c> and read back as a UTC <see cref="DateTimeOffset"/>, so no store converts
/// times by hand (Npgsql hands <c>timestamptz</c> to Dapper as a UTC <see cref="DateTime"/>).
/// </summary>
public static class DapperConventions
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new UtcDateTimeOffsetHandler());
    }

    private sealed class UtcDateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) =>
            parameter.Value = value.ToUniversalTime(); // Npgsql writes timestamptz only from UTC offsets

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset offset => offset,
            DateTime { Kind: DateTimeKind.Utc } utc => new DateTimeOffset(utc),
            DateTime other => throw new DataException($"A {other.Kind} DateTime was read where a timestamptz (UTC) was expected: is the column timestamp without time zone?"),
            _ => throw new DataException($"Cannot read a {value.GetType().Name} as a DateTimeOffset."),
        };
    }
}
