using System.Text.Json;
using System.Text.Json.Serialization;
using CrisisSim.Model.Routing;

namespace CrisisSim.Samples.RoutingService;

/// <summary>The sample routing service: <c>POST /route</c> takes a routing request of contract version 1
/// (docs/routing-service.md) and answers the choice of <see cref="SurgeRules"/> (the sample plug-in's SurgePolicy,
/// served over HTTP), built from the request's settings (<c>promoteAfter</c>, <c>boost</c>). Stateless: the answer
/// depends only on the request, so a run against it is deterministic.</summary>
public static class RoutingServiceApp
{
    public const int ContractVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The service, not started: <c>args</c> are ASP.NET Core's (<c>--urls http://127.0.0.1:5080</c>).</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        var app = builder.Build();
        long decisions = 0;
        app.MapPost("/route", async (HttpRequest http) =>
        {
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

    /// <summary>The decision <see cref="SurgeRules"/> takes on the request's state.</summary>
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
        var policy = new SurgeRules(setup);
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

/// <summary>Priority routing where a call type whose oldest call has waited longer than <c>promoteAfter</c> is promoted by
/// <c>boost</c> levels; oldest first within a priority; an arriving call goes to the longest-idle eligible operator. The
/// rules of the sample plug-in (samples/CrisisSim.Samples.Routing/SurgePolicy.cs), decision for decision.</summary>
public sealed class SurgeRules : IRoutingPolicy
{
    private readonly double _promoteAfter;
    private readonly int _boost;

    public SurgeRules(RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _promoteAfter = setup.Duration("promoteAfter", min: 0, max: 7 * 86400);
        _boost = setup.Integer("boost", min: 1, max: 1_000_000, fallback: 100);
        setup.RejectUnknown();
        if (_promoteAfter == 0)
        {
            throw new ArgumentException("promoteAfter must be longer than 0 s");
        }
    }

    public int SelectGroup(OfferedCall call, IRoutingView view) => RoutingPolicies.LongestIdleGroup(call.CallType, view);

    public int SelectCallType(int group, IRoutingView view)
    {
        var now = view.Now;
        var best = -1;
        var bestPriority = long.MinValue;
        var oldest = double.PositiveInfinity;
        foreach (var t in view.CallTypesServedBy(group))
        {
            if (view.QueueLength(t) == 0)
            {
                continue;
            }
            var arrival = view.OldestWaitingArrival(t);
            long priority = view.Priority(t);
            if (now - arrival > _promoteAfter)
            {
                priority += _boost;
            }
            if (best < 0 || priority > bestPriority || (priority == bestPriority && arrival < oldest))
            {
                best = t;
                bestPriority = priority;
                oldest = arrival;
            }
        }
        return best;
    }
}
