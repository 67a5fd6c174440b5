using System.Globalization;

namespace CrisisSim.Model.Scenario;

/// <summary>A routing policy that is the user's own service, asked over HTTP for each decision (scenario key
/// <c>routing: { service: URL, timeout, fallback }</c>; the contract is <c>docs/routing-service.md</c>). The model
/// only describes it: the hosts (<c>CrisisSim.Plugins.RoutingService</c>) send the requests and hand the model an
/// <see cref="Routing.IRoutingPolicyFactory"/>.</summary>
/// <param name="Url">The absolute <c>http</c> or <c>https</c> URL requests are posted to.</param>
/// <param name="TimeoutSeconds">Under live load, how long a decision waits for its answer before the fallback
/// decides it (<see cref="MinTimeoutSeconds"/> to <see cref="MaxTimeoutSeconds"/>). In simulation every answer is
/// awaited, so that the results are the service's decisions.</param>
/// <param name="Fallback">The built-in policy (without settings) that decides under live load when the service times
/// out, fails or answers wrongly.</param>
public sealed record RoutingServiceSpec(string Url, double TimeoutSeconds, string Fallback)
{
    /// <summary>Shortest timeout: 1 ms.</summary>
    public const double MinTimeoutSeconds = 0.001;

    /// <summary>Longest timeout: 10 s (a decision waits no longer anywhere, see <c>DecisionWatchdog</c>).</summary>
    public const double MaxTimeoutSeconds = 10;

    /// <summary>The timeout when the scenario gives none: 100 ms.</summary>
    public const double DefaultTimeoutSeconds = 0.1;

    /// <summary>The fallback when the scenario gives none.</summary>
    public const string DefaultFallback = "fifo";

    /// <summary>Set by the live host, never by a scenario file: the live run whose decisions these are, under which the
    /// host of the router counts what the service did. When set, a decision waits at most <see cref="TimeoutSeconds"/>
    /// and a failure is decided by <see cref="Fallback"/>; when null (simulation), every answer is awaited. Part of the
    /// content, so that a silo decoding the scenario asks the service as the live host does.</summary>
    public string? LiveRun { get; init; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Url} (timeout {TimeoutSeconds * 1000:0.###} ms, fallback {Fallback})");
}
