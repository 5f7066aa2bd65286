namespace CloudBus.Bench.BadInput;

/// <summary>One bad request: where it goes, what it carries, and what is bad about it.</summary>
public sealed record BadInputCase(ApiOperation Operation, string PathAndQuery, string? Body, string ContentType, string What)
{
    public override string ToString() => $"{Operation.Service} {Operation.Method} {PathAndQuery}: {What}";
}
