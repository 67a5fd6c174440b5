using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Plugins;

/// <summary>How a routing service's failures are handled.</summary>
public enum RoutingServiceMode
{
    /// <summary>Virtual time: every answer is awaited (up to <see cref="RoutingService.SimulationWait"/>), so the results are
    /// the service's decisions; a failure or a wrong answer stops the run, naming the decision and the answer.</summary>
    Simulation,

    /// <summary>Live load: a decision waits up to the scenario's <c>timeout</c>; a timeout, an HTTP error or a wrong answer
    /// is counted (<see cref="RoutingServiceCounters"/>) and the <c>fallback</c> policy decides instead.</summary>
    Live,
}

/// <summary>The hosts' side of routing services (<c>routing: { service: URL }</c>): what asks the user's service for each
/// decision over HTTP (contract: <c>docs/routing-service.md</c>, <see cref="ContractVersion"/>). The model sees a service
/// only as the <see cref="IRoutingPolicyFactory"/> attached to the scenario's <see cref="RoutingSpec"/>, as it sees a
/// plug-in.</summary>
public static class RoutingService
{
    /// <summary>The contract's version, sent in every request and required in every answer.</summary>
    public const int ContractVersion = 1;

    /// <summary>Largest request sent (1 MiB): the reader refuses a scenario whose requests could be larger.</summary>
    public const int MaxRequestBytes = 1 << 20;

    /// <summary>Largest answer read (64 KiB); a larger one is an invalid answer, and no more than this is read.</summary>
    public const int MaxAnswerBytes = 64 << 10;

    /// <summary>Wake-ups one answer may ask for.</summary>
    public const int MaxWakeUpsPerAnswer = 16;

    /// <summary>Largest response headers read, in KiB.</summary>
    public const int MaxResponseHeadersKiB = 16;

    /// <summary>In simulation, how long a decision waits for its answer before the run stops (the longest
    /// <c>timeout</c> the scenario may give, and the wall time a plug-in's decision may take).</summary>
    public static TimeSpan SimulationWait { get; } = TimeSpan.FromSeconds(RoutingServiceSpec.MaxTimeoutSeconds);

    private static readonly Lock Gate = new();
    private static readonly Dictionary<(string Authority, bool LoopbackOnly), HttpClient> Clients = [];

    /// <summary>A routing service at <paramref name="url"/>, resolved: its policies ask it (in simulation, unless
    /// <paramref name="mode"/> says otherwise). Code that names a service asked for it: no target rule applies (the
    /// commands apply theirs when they read a scenario file, see <see cref="TargetProblem"/>).</summary>
    /// <exception cref="ArgumentException">The URL is not an absolute http(s) URL, or a number is out of its bounds.</exception>
    public static RoutingSpec Reference(
        string url,
        IReadOnlyDictionary<string, string>? settings = null,
        double timeoutSeconds = RoutingServiceSpec.DefaultTimeoutSeconds,
        string fallback = RoutingServiceSpec.DefaultFallback,
        RoutingServiceMode mode = RoutingServiceMode.Simulation,
        RoutingServiceCounters? counters = null)
    {
        if (UrlProblem(url) is { } problem)
        {
            throw new ArgumentException(problem, nameof(url));
        }
        if (TimeoutProblem(timeoutSeconds) is { } timeout)
        {
            throw new ArgumentException(timeout, nameof(timeoutSeconds));
        }
        return Resolve(RoutingSpec.ServiceAt(new RoutingServiceSpec(url, timeoutSeconds, fallback), settings), mode, counters);
    }

    /// <summary>The spec with what asks its service attached (a spec without a service as it is), counting in
    /// <paramref name="counters"/> when given. A service that names its live run (<see cref="RoutingServiceSpec.LiveRun"/>,
    /// as decoded by a silo) is asked in <see cref="RoutingServiceMode.Live"/>: the router grain that hosts the run's
    /// router resolves it again with counters of its own, which the live host reads through it. Nothing is sent until a
    /// decision is taken.</summary>
    public static RoutingSpec Resolve(RoutingSpec spec, RoutingServiceMode mode = RoutingServiceMode.Simulation, RoutingServiceCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Service is not { } service)
        {
            return spec;
        }
        if (service.LiveRun is not null)
        {
            mode = RoutingServiceMode.Live;
        }
        return spec.WithFactory(new ServicePolicyFactory(service, mode, counters));
    }

    /// <summary>The scenario with its routing service resolved for live load in this process: every decision waits up to
    /// the scenario's <c>timeout</c>, and failures are counted in <paramref name="counters"/> and decided by the
    /// fallback. A scenario that crosses to a grain loses what was resolved: the live host uses <see cref="ForLiveRun"/>.</summary>
    public static ScenarioDefinition ForLiveLoad(ScenarioDefinition scenario, RoutingServiceCounters counters)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(counters);
        return scenario.Routing.IsService ? scenario with { Routing = Resolve(scenario.Routing, RoutingServiceMode.Live, counters) } : scenario;
    }

    /// <summary>The scenario with its routing service marked as asked under live load by the live run
    /// <paramref name="liveRun"/> (<see cref="RoutingServiceSpec.LiveRun"/>, carried with the scenario) and resolved so:
    /// wherever the scenario is decoded and resolved again, decisions wait at most the <c>timeout</c> and fall back on
    /// failure, and the router grain that builds the run's router counts them, in whichever process it runs. A scenario
    /// without a service as it is.</summary>
    public static ScenarioDefinition ForLiveRun(ScenarioDefinition scenario, string liveRun)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentException.ThrowIfNullOrEmpty(liveRun);
        return scenario.Routing.Service is { } service
            ? scenario with { Routing = Resolve(scenario.Routing with { Service = service with { LiveRun = liveRun } }) }
            : scenario;
    }

    /// <summary>Why <paramref name="url"/> cannot name a routing service, or null.</summary>
    public static string? UrlProblem(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > ScenarioLimits.MaxRoutingTextLength)
        {
            return $"must be an http:// or https:// URL of 1 to {ScenarioLimits.MaxRoutingTextLength:N0} characters";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return $"'{url}' is not an http:// or https:// URL such as http://127.0.0.1:8080/route";
        }
        if (uri.UserInfo.Length > 0)
        {
            return "a URL with a user name or password is refused: credentials do not belong in a scenario file";
        }
        if (uri.Fragment.Length > 0)
        {
            return "a URL with a fragment (#...) is refused: a fragment is never sent to a server";
        }
        return null;
    }

    /// <summary>Why <paramref name="seconds"/> cannot be a timeout, or null.</summary>
    public static string? TimeoutProblem(double seconds) =>
        double.IsFinite(seconds) && seconds >= RoutingServiceSpec.MinTimeoutSeconds && seconds <= RoutingServiceSpec.MaxTimeoutSeconds
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"must be from {RoutingServiceSpec.MinTimeoutSeconds * 1000:0} ms to {RoutingServiceSpec.MaxTimeoutSeconds:0} s");

    /// <summary>Whether <paramref name="host"/> (a URL's host) is the loopback interface: <c>localhost</c>, an address
    /// of 127.0.0.0/8 or <c>::1</c>.</summary>
    public static bool IsLoopback(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>Why a command may not send requests to <paramref name="url"/>, or null: a routing service is on the
    /// loopback interface unless its host is one of <paramref name="allowedHosts"/> (the user's
    /// <c>--allow-routing-host</c>).</summary>
    public static string? TargetProblem(string url, IReadOnlyCollection<string> allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        if (UrlProblem(url) is { } problem)
        {
            return problem;
        }
        var host = new Uri(url).Host;
        if (IsLoopback(host) || allowedHosts.Any(h => string.Equals(h.Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return $"{host} is not the loopback interface: a routing service is asked only on this machine (localhost, 127.0.0.1, ::1), "
            + $"or on another host when allowed with --allow-routing-host {host} (the scenario's states and settings are sent to it)";
    }

    /// <summary>An upper bound of a request's size for a scenario with these call types, groups (and how many types each
    /// serves) and settings, in bytes.</summary>
    public static long RequestBytesBound(IReadOnlyList<string> callTypes, IReadOnlyList<string> groups, IReadOnlyList<int> servedCounts, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(callTypes);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(servedCounts);
        ArgumentNullException.ThrowIfNull(settings);
        const int number = 25; // the longest double or long, written
        long bytes = 256 + 4 * number;
        foreach (var (key, value) in settings)
        {
            bytes += 6L * (key.Length + value.Length) + 6;
        }
        foreach (var name in callTypes)
        {
            bytes += 6L * name.Length + 80 + 3 * number;
        }
        for (var g = 0; g < groups.Count; g++)
        {
            bytes += 6L * groups[g].Length + 100 + 3 * number + (long)servedCounts[g] * (12 + number);
        }
        return bytes;
    }

    /// <summary>The process's client for the service's scheme, host and port: one per target, so that connections are
    /// kept alive and reused by every replication. No redirect is followed, no proxy or cookie used; on the loopback
    /// interface a connection is made only to a loopback address (a name that resolves elsewhere is refused).</summary>
    internal static HttpClient Client(Uri uri)
    {
        var loopbackOnly = IsLoopback(uri.Host);
        var key = (uri.GetLeftPart(UriPartial.Authority), loopbackOnly);
        lock (Gate)
        {
            if (Clients.TryGetValue(key, out var known))
            {
                return known;
            }
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxResponseHeadersLength = MaxResponseHeadersKiB,
                ConnectTimeout = SimulationWait,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            };
            if (loopbackOnly)
            {
                handler.ConnectCallback = ConnectLoopbackAsync;
            }
            var client = new HttpClient(handler, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = MaxAnswerBytes,
            };
            Clients.Add(key, client);
            return client;
        }
    }

    private static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellation).ConfigureAwait(false);
        var loopback = addresses.Where(IPAddress.IsLoopback).ToArray();
        if (loopback.Length == 0)
        {
            throw new HttpRequestException($"{endpoint.Host} does not resolve to a loopback address");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(loopback, endpoint.Port, cancellation).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Creates a service policy per replication: the fallback checked and created, and the request's bound kept.</summary>
    private sealed class ServicePolicyFactory(RoutingServiceSpec service, RoutingServiceMode mode, RoutingServiceCounters? counters) : IRoutingPolicyFactory
    {
        public IRoutingPolicy Create(RoutingSetup setup)
        {
            ArgumentNullException.ThrowIfNull(setup);
            if (UrlProblem(service.Url) is { } problem)
            {
                throw new ArgumentException(problem, "service");
            }
            if (TimeoutProblem(service.TimeoutSeconds) is { } timeout)
            {
                throw new ArgumentException(timeout, "timeout");
            }
            if (!RoutingPolicies.BuiltInNames.Contains(service.Fallback))
            {
                throw new ArgumentException($"unknown fallback policy '{service.Fallback}'; allowed: {string.Join(", ", RoutingPolicies.BuiltInNames)}", "fallback");
            }
            IRoutingPolicy fallback;
            try
            {
                var fallbackSetup = new RoutingSetup(service.Fallback, new Dictionary<string, string>(), setup.CallTypes, setup.Priorities, setup.Groups);
                fallback = RoutingPolicies.Create(RoutingSpec.BuiltIn(service.Fallback), fallbackSetup);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"the fallback policy {service.Fallback} needs settings, which a fallback cannot have: {ex.Message} (use fifo or priority)", "fallback", ex);
            }
            return new ServicePolicy(service, setup, fallback, mode, counters);
        }
    }
}
