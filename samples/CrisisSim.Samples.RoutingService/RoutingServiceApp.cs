using System.Text.Json;
using System.Text.Json.Serialization;
using CrisisSim.Model.Routing;
using CrisisSim.Samples.Routing;

namespace CrisisSim.Samples.RoutingService;

/// <summary>The sample routing service: <c>POST /route</c> takes a routing request of contract version 1
/// (docs/routing-service.md) and answers the choice of the sample plug-in's <see cref="SurgePolicy"/>
/// (served over HTTP), built from the request's settings (<c>promoteAfter</c>, <c>boost</c>). Stateless: the answer
/// depends only on the request, so a run against it is deterministic. For load tests it can be made slow or failing
/// (<see cref="ServiceFaults"/>: <c>--delay</c>, <c>--slow-share</c>, <c>--slow-delay</c>, <c>--error-share</c>,
/// <c>--seed</c>).</summary>
public static class RoutingServiceApp
{
    public const int ContractVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The service, not started: <c>args</c> are ASP.NET Core's (<c>--urls http://127.0.0.1:5080</c>) and those of
    /// <see cref="ServiceFaults"/>.</summary>
    /// <exception cref="ArgumentException">A fault setting is not valid; the message names it.</exception>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        var faults = ServiceFaults.From(builder.Configuration);
        var app = builder.Build();
        long decisions = 0;
        app.MapPost("/route", async (HttpRequest http) =>
        {
            var (delay, fail) = faults.Next();
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, http.HttpContext.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up waiting (its timeout): nobody reads an answer.
                    return Results.Empty;
                }
            }
            if (fail)
            {
                return Results.Json(new { error = "failing on purpose (--error-share)" }, Json, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            RouteRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<RouteRequest>(http.Body, Json, http.HttpContext.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Results.BadRequest(new { error = "malformed request: " + ex.Message });
            }
            if (request is null || request.Version != ContractVersion)
            {
                return Results.BadRequest(new { error = $"expected a request of contract version {ContractVersion}" });
            }
            try
            {
                var answer = Decide(request);
                Interlocked.Increment(ref decisions);
                return Results.Json(answer, Json);
            }
            catch (ArgumentException ex)
            {
                // A bad setting (RoutingSettingsException names it) or a request that does not hold together.
                return Results.BadRequest(new { error = ex.Message });
            }
        });
        // The contract's version and the decisions answered since the service started.
        app.MapGet("/health", () => Results.Ok(new { version = ContractVersion, decisions = Interlocked.Read(ref decisions) }));
        return app;
    }

    /// <summary>The decision <see cref="SurgePolicy"/> takes on the request's state.</summary>
    public static RouteAnswer Decide(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var view = new RequestView(request);
        var setup = new RoutingSetup(
            "sample routing service",
            request.Settings ?? new Dictionary<string, string>(),
            [.. request.CallTypes.Select(t => t.Name)],
            [.. request.CallTypes.Select(t => t.Priority)],
            [.. request.Groups.Select(g => g.Name)]);
        var policy = new SurgePolicy(setup);
        var choice = request.Decision switch
        {
            "selectGroup" when request.Call is { } call => policy.SelectGroup(new OfferedCall(call.CallType, call.ArrivalTime, call.CallId), view),
            "selectCallType" when request.Group is { } group and >= 0 && group < request.Groups.Count => policy.SelectCallType(group, view),
            _ => throw new ArgumentException($"unknown decision '{request.Decision}', or its call or group is missing"),
        };
        return new RouteAnswer(ContractVersion, choice, view.WakeUps.Count == 0 ? null : [.. view.WakeUps]);
    }
}

public sealed record RouteRequest(
    int Version,
    string Decision,
    double Now,
    RouteCall? Call,
    int? Group,
    Dictionary<string, string>? Settings,
    IReadOnlyList<RouteCallType> CallTypes,
    IReadOnlyList<RouteGroup> Groups);

public sealed record RouteCall(int CallType, double ArrivalTime, long CallId);

/// <summary>A call type's queue; <c>oldestWaitingArrival</c> is null when no call waits.</summary>
public sealed record RouteCallType(string Name, int Priority, int QueueLength, double? OldestWaitingArrival);

/// <summary>A group's operators; <c>longestIdleSince</c> is null when none is idle; <c>proficiency</c> follows <c>serves</c>.</summary>
public sealed record RouteGroup(string Name, int Idle, double? LongestIdleSince, int OnDuty, int[] Serves, double[] Proficiency);

public sealed record RouteAnswer(int Version, int Choice, double[]? WakeAt);

/// <summary>The request's state as the policy interface's view.</summary>
internal sealed class RequestView : IRoutingView
{
    private readonly RouteRequest _request;
    private readonly int[][] _groupsServing;

    public RequestView(RouteRequest request)
    {
        _request = request;
        var serving = new List<int>[request.CallTypes.Count];
        for (var t = 0; t < serving.Length; t++)
        {
            serving[t] = [];
        }
        for (var g = 0; g < request.Groups.Count; g++)
        {
            if (request.Groups[g].Serves.Length != request.Groups[g].Proficiency.Length)
            {
                throw new ArgumentException($"group {g}: serves and proficiency differ in length");
            }
            foreach (var t in request.Groups[g].Serves)
            {
                if (t < 0 || t >= serving.Length)
                {
                    throw new ArgumentException($"group {g} serves call type {t}, which does not exist");
                }
                serving[t].Add(g);
            }
        }
        _groupsServing = [.. serving.Select(s => s.ToArray())];
    }

    public List<double> WakeUps { get; } = [];

    public double Now => _request.Now;

    public int CallTypeCount => _request.CallTypes.Count;

    public int GroupCount => _request.Groups.Count;

    public ReadOnlySpan<int> GroupsServing(int callType) => _groupsServing[callType];

    public ReadOnlySpan<int> CallTypesServedBy(int group) => _request.Groups[group].Serves;

    public int IdleOperators(int group) => _request.Groups[group].Idle;

    public double LongestIdleSince(int group) => _request.Groups[group].LongestIdleSince ?? double.PositiveInfinity;

    public int OnDuty(int group) => _request.Groups[group].OnDuty;

    public int QueueLength(int callType) => _request.CallTypes[callType].QueueLength;

    public double OldestWaitingArrival(int callType) => _request.CallTypes[callType].OldestWaitingArrival ?? double.PositiveInfinity;

    public int Priority(int callType) => _request.CallTypes[callType].Priority;

    public double Proficiency(int group, int callType)
    {
        var at = Array.IndexOf(_request.Groups[group].Serves, callType);
        return at < 0 ? 1 : _request.Groups[group].Proficiency[at];
    }

    public void WakeAt(double time) => WakeUps.Add(time);
}

/// <summary>How the sample service misbehaves, for load tests (command-line options, all off by default):
/// <c>--delay 20ms</c> delays every answer; <c>--slow-share 0.1 --slow-delay 500ms</c> delays a share of the requests by
/// that much instead; <c>--error-share 0.05</c> answers a share of the requests with HTTP 503; <c>--seed 1</c> seeds the
/// draws of which requests are slow or fail (each request draws independently, in the order requests come). Durations
/// in <c>ms</c> or <c>s</c>, at most 60 s; shares from 0 to 1.</summary>
public sealed class ServiceFaults
{
    private readonly Random _random;
    private readonly Lock _gate = new();

    public ServiceFaults(TimeSpan delay, double slowShare, TimeSpan slowDelay, double errorShare, int seed)
    {
        Delay = delay;
        SlowShare = slowShare;
        SlowDelay = slowDelay;
        ErrorShare = errorShare;
        // Seeded, so that which requests fail is the same from run to run for the same order of requests.
        _random = new Random(seed);
    }

    public TimeSpan Delay { get; }

    public double SlowShare { get; }

    public TimeSpan SlowDelay { get; }

    public double ErrorShare { get; }

    /// <summary>Reads <c>delay</c>, <c>slow-share</c>, <c>slow-delay</c>, <c>error-share</c> and <c>seed</c>.</summary>
    /// <exception cref="ArgumentException">A value is not valid; the message names its option.</exception>
    public static ServiceFaults From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var seedText = configuration["seed"];
        var seed = 1;
        if (seedText is not null && !int.TryParse(seedText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out seed))
        {
            throw new ArgumentException($"--seed: '{seedText}' is not an integer");
        }
        return new ServiceFaults(
            Duration(configuration, "delay"),
            Share(configuration, "slow-share"),
            Duration(configuration, "slow-delay"),
            Share(configuration, "error-share"),
            seed);
    }

    /// <summary>The delay of the next request and whether it fails.</summary>
    public (TimeSpan Delay, bool Fail) Next()
    {
        if (SlowShare == 0 && ErrorShare == 0)
        {
            return (Delay, false);
        }
        lock (_gate)
        {
            var slow = SlowShare > 0 && _random.NextDouble() < SlowShare;
            var fail = ErrorShare > 0 && _random.NextDouble() < ErrorShare;
            return (slow ? SlowDelay : Delay, fail);
        }
    }

    private static TimeSpan Duration(IConfiguration configuration, string key)
    {
        var text = configuration[key]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.Zero;
        }
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
            : text.EndsWith('s') ? (text[..^1], 1000.0)
            : (text, double.NaN);
        if (double.IsNaN(scale) || !double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || !(value * scale is >= 0 and <= 60_000))
        {
            throw new ArgumentException($"--{key}: '{text}' is not a duration from 0ms to 60s, like 20ms or 1.5s");
        }
        return TimeSpan.FromMilliseconds(value * scale);
    }

    private static double Share(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share) || !(share is >= 0 and <= 1))
        {
            throw new ArgumentException($"--{key}: '{text}' is not a share from 0 to 1");
        }
        return share;
    }
}
