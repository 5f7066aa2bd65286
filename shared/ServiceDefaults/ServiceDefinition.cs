using System.Reflection;

namespace CloudBus.ServiceDefaults;

/// <summary>
/// What a service tells the shared wiring about itself: its name (used for queue names, telemetry
/// and membership), its database schema, and the assembly holding its migrations
/// (<c>Persistence/Migrations/NNNN_name.sql</c> as embedded resources). A service whose instances
/// must know their service's ring sets <paramref name="HasRing"/>: those that split resources among
/// themselves, and those that settle what a dead instance left in flight.
/// </summary>
public sealed record ServiceDefinition(string Name, string Schema, Assembly Assembly, bool HasRing = false);
