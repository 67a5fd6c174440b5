using System.Text.Json;
using CrisisSim.Samples.RoutingService;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrisisSim.Testing;

/// <summary>A routing service on a free loopback port, a real Kestrel server started in the test process: the sample
/// service (samples/CrisisSim.Samples.RoutingService), or one whose answers a test scripts.</summary>
internal sealed class RoutingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RoutingServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The URL requests are posted to.</summary>
    public string Url { get; }

    /// <summary>The sample service, answering as the sample plug-in's SurgePolicy; <paramref name="options"/> are its
    /// command-line options (<c>--delay 20ms</c>, <c>--slow-share 0.2</c> …).</summary>
    public static Task<RoutingServer> StartSampleAsync(params string[] options) =>
        StartAsync(RoutingServiceApp.Create(["--urls", "http://127.0.0.1:0", .. options]), "/route");

    /// <summary>A service whose every answer <paramref name="answer"/> writes, given the request and the decision the
    /// sample service would take on it.</summary>
    public static Task<RoutingServer> StartScriptedAsync(Func<HttpContext, RouteRequest, RouteAnswer, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/route", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            http.Items[RequestText] = System.Text.Encoding.UTF8.GetString(body.ToArray());
            var request = JsonSerializer.Deserialize<RouteRequest>(body.ToArray(), JsonOptions);
            await answer(http, request!, RoutingServiceApp.Decide(request!));
        });
        return StartAsync(app, "/route");
    }

    /// <summary>The key of <c>HttpContext.Items</c> holding the request's text as sent.</summary>
    public const string RequestText = "request";

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="body"/> as the answer, with a status.</summary>
    public static async Task Write(HttpContext http, string body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        await http.Response.WriteAsync(body);
    }

    private static async Task<RoutingServer> StartAsync(WebApplication app, string path)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RoutingServer(app, address.TrimEnd('/') + path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
