using System.Text.Json;
using CloudBus.IntegrationTests.Infrastructure;

namespace CloudBus.IntegrationTests.WebConsole;

/// <summary>What the console page shows, read from its DOM in Chromium by the data-* attributes it writes for this.</summary>
public sealed class ConsolePage(HeadlessChromium browser)
{
    public sealed record HostTile(string HostId, string Status, IReadOnlyList<string> Vms);

    public sealed record IncidentRow(string HostId, string Status);

    public sealed record Shown(IReadOnlyList<HostTile> Hosts, IReadOnlyList<IncidentRow> Incidents, IReadOnlyList<string> TimelineSteps,
        IReadOnlyList<string> Rings, bool AsksForToken, string TokenReason, string Error);

    private const string ReadScript = """
        JSON.stringify({
          hosts: [...document.querySelectorAll('[data-testid^="host-"]')].map(h => ({
            hostId: h.dataset.testid.slice(5), status: h.dataset.status,
            vms: [...h.querySelectorAll('[data-vm]')].map(v => `${v.dataset.vm}:${v.dataset.state}`) })),
          incidents: [...document.querySelectorAll('[data-testid^="incident-"]')].map(r => ({ hostId: r.dataset.testid.slice(9), status: r.dataset.status })),
          timelineSteps: [...document.querySelectorAll('[data-testid="timeline-steps"] [data-step]')].map(s => s.dataset.step),
          rings: [...document.querySelectorAll('[data-testid^="ring-"]')].map(r => `${r.dataset.testid.slice(5)}:${r.dataset.members}`),
          asksForToken: !document.getElementById('token-panel').hidden,
          tokenReason: document.getElementById('token-reason').textContent,
          error: document.getElementById('error').hidden ? '' : document.getElementById('error').textContent,
        })
        """;

    public async Task<Shown> ReadAsync() =>
        JsonSerializer.Deserialize<Shown>((string)(await browser.EvaluateAsync(ReadScript))!, Json.Options)!;
}
