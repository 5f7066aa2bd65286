// Receives OTLP/HTTP exports (POST /v1/traces, /v1/metrics, /v1/logs, protobuf bodies) and writes
// each body to a file of its own in OtlpStandIn__Directory, named <signal>-<time>-<id>.pb: the
// compose test mounts that folder and reads the spans from it. Nothing is parsed here, so nothing
// an exporter sends can be lost or misread on the way; a file appears only once it is whole.
var builder = WebApplication.CreateSlimBuilder(args);
var directory = builder.Configuration["OtlpStandIn:Directory"]
    ?? throw new InvalidOperationException("set OtlpStandIn__Directory: the folder the exports are written to");
Directory.CreateDirectory(directory);

var app = builder.Build();
app.MapPost("/v1/{signal}", async (string signal, HttpRequest request, CancellationToken cancellation) =>
{
    if (signal is not ("traces" or "metrics" or "logs")) return Results.NotFound();
    var name = $"{signal}-{DateTime.UtcNow:yyyyMMddTHHmmss.fffffff}-{Guid.NewGuid():N}.pb";
    var partial = Path.Combine(directory, name + ".partial");
    await using (var file = File.Create(partial))
        await request.Body.CopyToAsync(file, cancellation);
    File.Move(partial, Path.Combine(directory, name));
    return Results.Ok();
});
app.Run();
