using CrisisSim.Plugins;

namespace CrisisSim.Grains.Serialization;

/// <summary>A routing service's counts on the wire: latencies as <see cref="TimeSpan"/>s (each process has its own
/// <c>Stopwatch</c> frequency), the latency buckets as they are (mostly zeros, a byte each).</summary>
[GenerateSerializer, Alias("crisissim.RoutingServiceCounts")]
public struct RoutingServiceCountsSurrogate
{
    [Id(0)] public long Asked;
    [Id(1)] public long Answered;
    [Id(2)] public long Timeouts;
    [Id(3)] public long HttpErrors;
    [Id(4)] public long InvalidAnswers;
    [Id(5)] public long Fallbacks;
    [Id(6)] public TimeSpan TotalLatency;
    [Id(7)] public TimeSpan MaxLatency;
    [Id(8)] public long[] Buckets;
}

[RegisterConverter]
public sealed class RoutingServiceCountsConverter : IConverter<RoutingServiceCounts, RoutingServiceCountsSurrogate>
{
    public RoutingServiceCounts ConvertFromSurrogate(in RoutingServiceCountsSurrogate s) =>
        RoutingServiceCounts.FromParts(s.Asked, s.Answered, s.Timeouts, s.HttpErrors, s.InvalidAnswers, s.Fallbacks, s.TotalLatency, s.MaxLatency, s.Buckets);

    public RoutingServiceCountsSurrogate ConvertToSurrogate(in RoutingServiceCounts c) => new()
    {
        Asked = c.Asked,
        Answered = c.Answered,
        Timeouts = c.Timeouts,
        HttpErrors = c.HttpErrors,
        InvalidAnswers = c.InvalidAnswers,
        Fallbacks = c.Fallbacks,
        TotalLatency = c.TotalLatency,
        MaxLatency = c.MaxLatency,
        Buckets = c.LatencyBuckets.ToArray(),
    };
}
