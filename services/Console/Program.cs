using CloudBus.WebConsole;
using CloudBus.ServiceDefaults;
using CloudBus.ServiceDefaults.Health;
using CloudBus.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

// Console: the operator's web page. One static page (wwwroot) that polls the services' read APIs
// through this service's proxy, so the browser talks to one origin with the operator's own token.
// The page is served from wwwroot beside the assembly (copied there by the build), wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// Telemetry, logging, health and problem details; no bus or database: it only reads the services.
builder.AddServiceBasics("console");
builder.Services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidation>();
builder.Services.AddHttpClient(ApiProxy.ClientName);

var app = builder.Build();
app.UseApiHardening();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapApiProxy();
app.MapHealthEndpoints();
await app.RunAsync();
