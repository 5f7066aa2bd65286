using System.Data;
using System.Text.Json;
using CloudBus.Messages.Vms;
using Dapper;

namespace CloudBus.VmLifecycle.Persistence;

/// <summary>Releases of fenced hosts in <c>vm_lifecycle.fenced_releases</c>, one per investigation, with what was announced.</summary>
public static class FencedReleases
{
    public static async Task<FencedHostReleased?> FindAsync(IDbConnection connection, IDbTransaction transaction, Guid investigationId)
    {
        var json = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT announcement::text FROM vm_lifecycle.fenced_releases WHERE investigation_id = @investigationId FOR UPDATE",
            new { investigationId }, transaction);
        return json is null ? null : JsonSerializer.Deserialize<FencedHostReleased>(json, JsonSerializerOptions.Web);
    }

    public static Task InsertAsync(IDbConnection connection, IDbTransaction transaction, FencedHostReleased announcement) =>
        connection.ExecuteAsync("""
            INSERT INTO vm_lifecycle.fenced_releases (investigation_id, host_id, announcement, released_at)
            VALUES (@InvestigationId, @HostId, CAST(@json AS jsonb), @ReleasedAt)
            """, new
        {
            announcement.InvestigationId, announcement.HostId, json = JsonSerializer.Serialize(announcement, JsonSerializerOptions.Web), announcement.ReleasedAt,
        }, transaction);
}
