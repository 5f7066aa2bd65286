using System.Reflection;

namespace CloudBus.ServiceDefaults;

/// <summary>
/// What a service tells the shared wiring about itself: its name (used for queue names, telemetry
/// and membership), its database schema, and the assembly holding its migrations
/// (<c>Persistence/Migrations/NNNN_name.sql</c> as embedded resources). A service that splits
/// resources among its instances sets <paramref name="RoutesOnRing"/>.
/// </summary>
public sealed record ServiceDefinition(string Name, string Schema, Assembly Assembly, bool RoutesOnRing = false);
