namespace CloudBus.Bench.BadInput;

/// <summary>
/// What the bad-input suite saw: how many requests it sent, and each that was answered wrongly:
/// a server error, an error without a problem-details body, or a changing request accepted.
/// <see cref="RejectedByHttpServer"/> counts requests Kestrel refused before the application saw
/// them (a NUL in the path): a bare 400 no application code can dress as problem details.
/// </summary>
public sealed record BadInputReport(int Requests, int RejectedByHttpServer, IReadOnlyList<string> ServerErrors, IReadOnlyList<string> ErrorsWithoutProblem,
    IReadOnlyList<string> ChangesAccepted, string? StateDifference)
{
    public bool StateChanged => StateDifference is not null;

    /// <summary>Every wrong answer, for a failure message (the first few of each kind).</summary>
    public string Describe() => string.Join('\n',
        Section("server errors", ServerErrors), Section("errors without problem details", ErrorsWithoutProblem),
        Section("changing requests accepted", ChangesAccepted), StateDifference is null ? "" : $"state changed: {StateDifference}");

    private static string Section(string title, IReadOnlyList<string> lines) =>
        lines.Count == 0 ? "" : $"{lines.Count} {title}:\n  " + string.Join("\n  ", lines.Take(20));
}
