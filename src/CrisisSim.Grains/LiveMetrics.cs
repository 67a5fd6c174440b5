using System.Diagnostics.Metrics;

namespace CrisisSim.Grains;

/// <summary>The live host's instruments (meter <see cref="MeterName"/>), beside Orleans' own <c>Microsoft.Orleans</c>:
/// what any <c>System.Diagnostics.Metrics</c> listener (dotnet-counters, OpenTelemetry, <c>--metrics</c>) can read while
/// <c>crisissim load</c> runs. Latencies in milliseconds, tagged with the decision kind (<c>route</c>, <c>next_call</c>,
/// <c>setup</c>, <c>all</c>).</summary>
public static class LiveMetrics
{
    public const string MeterName = "CrisisSim.Live";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> CallsOffered = Meter.CreateCounter<long>("crisissim.live.calls_offered", "{call}", "Calls offered to the router");

    internal static readonly Counter<long> CallsRouted = Meter.CreateCounter<long>("crisissim.live.calls_routed", "{call}", "Offered calls put to an operator at once");

    internal static readonly Counter<long> CallsQueued = Meter.CreateCounter<long>("crisissim.live.calls_queued", "{call}", "Offered calls put in a queue with a patience timer (callers who never hang up are not counted)");

    internal static readonly Counter<long> Late = Meter.CreateCounter<long>("crisissim.live.late_events", "{event}", "Messages dispatched later than the tolerance after their intended time");

    internal static readonly Counter<long> Failed = Meter.CreateCounter<long>("crisissim.live.failed_deliveries", "{event}", "Grain calls that failed (reason: error or timeout)");

    internal static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("crisissim.live.decision_latency", "ms", "Latency of a decision from its intended time");

    private static LiveRun? _current;
    private static LiveService? _service;

    static LiveMetrics()
    {
        Meter.CreateObservableGauge("crisissim.live.in_flight", () => _current?.InFlight ?? 0, "{call}", "Grain calls in flight");
        Meter.CreateObservableGauge("crisissim.live.pending_messages", () => _current?.Pending ?? 0, "{message}", "Messages waiting for their due time");
        Meter.CreateObservableGauge("crisissim.live.lag", () => _current?.LagMs ?? 0, "ms", "How far the driver is behind the scaled clock");
        Meter.CreateObservableCounter<long>("crisissim.live.service_decisions", ServiceDecisions, "{decision}", "Decisions asked of the routing service, by outcome (answered, timeout, http_error, invalid_answer)");
        Meter.CreateObservableCounter<long>("crisissim.live.service_fallbacks", () => _service?.Read()?.Fallbacks ?? 0, "{decision}", "Decisions taken by the routing service's fallback policy");
    }

    internal static void Observe(LiveRun? run) => _current = run;

    internal static void ObserveService(LiveService? service) => _service = service;

    private static IEnumerable<Measurement<long>> ServiceDecisions()
    {
        if (_service?.Read() is not { } counts)
        {
            return [];
        }
        return
        [
            new(counts.Answered, new KeyValuePair<string, object?>("outcome", "answered")),
            new(counts.Timeouts, new KeyValuePair<string, object?>("outcome", "timeout")),
            new(counts.HttpErrors, new KeyValuePair<string, object?>("outcome", "http_error")),
            new(counts.InvalidAnswers, new KeyValuePair<string, object?>("outcome", "invalid_answer")),
        ];
    }
}
