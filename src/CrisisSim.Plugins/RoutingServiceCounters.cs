using System.Diagnostics;

namespace CrisisSim.Plugins;

/// <summary>What a routing service did, counted by every policy that asks it (thread-safe, shared by the replications
/// of a run): decisions asked, answered, and each kind of failure, with every decision's wall-clock latency. Under
/// live load each failure is a fallback; in simulation the first failure stops the run.</summary>
public sealed class RoutingServiceCounters
{
    // Latencies in log-linear buckets: 16 sub-buckets per power of two of microseconds (at most 6.25 % apart), 0 µs to ~2^40 µs.
    private const int SubBuckets = 16;
    private const int Powers = 41;
    private readonly long[] _buckets = new long[Powers * SubBuckets];
    private long _asked;
    private long _answered;
    private long _timeouts;
    private long _httpErrors;
    private long _invalidAnswers;
    private long _latencyTicks;
    private long _maxLatencyTicks;

    /// <summary>Decisions sent to the service.</summary>
    public long Asked => Interlocked.Read(ref _asked);

    /// <summary>Decisions the service answered in time with a valid choice.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Decisions not answered within the timeout.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Decisions whose request failed: no connection, a broken connection, a status other than 2xx (a
    /// redirect included: none is followed).</summary>
    public long HttpErrors => Interlocked.Read(ref _httpErrors);

    /// <summary>Answers that are not a valid decision: malformed or oversized JSON, another contract version, a group with
    /// no idle operator, a call type with no waiting call …</summary>
    public long InvalidAnswers => Interlocked.Read(ref _invalidAnswers);

    /// <summary>Decisions taken by the fallback policy (live load): every timeout, HTTP error and invalid answer.</summary>
    public long Fallbacks => Timeouts + HttpErrors + InvalidAnswers;

    /// <summary>The share of decisions asked that fell back, 0 when none was asked.</summary>
    public double FallbackShare => Asked == 0 ? 0 : (double)Fallbacks / Asked;

    /// <summary>The mean latency of the decisions asked (a timeout counts its full wait).</summary>
    public TimeSpan MeanLatency => Asked == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _latencyTicks) / Asked);

    /// <summary>The longest latency seen.</summary>
    public TimeSpan MaxLatency => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxLatencyTicks));

    /// <summary>The latency under which <paramref name="percentile"/> % of the decisions were answered (upper edge of its
    /// bucket: within 6.25 % above); zero when none was asked.</summary>
    public TimeSpan Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = 0L;
        var counts = new long[_buckets.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _buckets[i]);
            total += counts[i];
        }
        if (total == 0)
        {
            return TimeSpan.Zero;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        var seen = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(Math.Min(UpperMicroseconds(i), MaxLatency.TotalMicroseconds));
            }
        }
        return MaxLatency;
    }

    internal void Asking() => Interlocked.Increment(ref _asked);

    internal void Latency(long ticks)
    {
        Interlocked.Add(ref _latencyTicks, ticks);
        var max = Interlocked.Read(ref _maxLatencyTicks);
        while (ticks > max && Interlocked.CompareExchange(ref _maxLatencyTicks, ticks, max) != max)
        {
            max = Interlocked.Read(ref _maxLatencyTicks);
        }
        Interlocked.Increment(ref _buckets[Bucket(Stopwatch.GetElapsedTime(0, ticks).TotalMicroseconds)]);
    }

    internal void Outcome(RoutingServiceFailure failure)
    {
        switch (failure)
        {
            case RoutingServiceFailure.None:
                Interlocked.Increment(ref _answered);
                break;
            case RoutingServiceFailure.Timeout:
                Interlocked.Increment(ref _timeouts);
                break;
            case RoutingServiceFailure.Http:
                Interlocked.Increment(ref _httpErrors);
                break;
            default:
                Interlocked.Increment(ref _invalidAnswers);
                break;
        }
    }

    private static int Bucket(double microseconds)
    {
        var us = (long)Math.Max(0, microseconds);
        if (us < SubBuckets)
        {
            return (int)us;
        }
        var power = 63 - (int)long.LeadingZeroCount(us); // us in [2^power, 2^(power+1))
        var sub = (int)((us >> (power - 4)) & (SubBuckets - 1));
        var index = (power - 3) * SubBuckets + sub;
        return Math.Min(index, Powers * SubBuckets - 1);
    }

    private static double UpperMicroseconds(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket + 1;
        }
        var power = bucket / SubBuckets + 3;
        var sub = bucket % SubBuckets;
        return (double)(SubBuckets + sub + 1) * (1L << (power - 4));
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Asked} asked, {Answered} answered, {Timeouts} timeouts, {HttpErrors} HTTP errors, {InvalidAnswers} invalid answers ({FallbackShare:P1} fell back); latency p50 {Percentile(50).TotalMilliseconds:0.###} ms, p99 {Percentile(99).TotalMilliseconds:0.###} ms, max {MaxLatency.TotalMilliseconds:0.###} ms");
}

/// <summary>How a decision asked of a routing service ended.</summary>
internal enum RoutingServiceFailure
{
    None,
    Timeout,
    Http,
    InvalidAnswer,
}
