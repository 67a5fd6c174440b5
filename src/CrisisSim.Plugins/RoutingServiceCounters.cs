using System.Diagnostics;
using System.Globalization;

namespace CrisisSim.Plugins;

/// <summary>What a routing service did, counted by every policy that asks it (thread-safe, shared by the replications
/// of a run): decisions asked, answered, each kind of failure and the decisions the fallback took, with every
/// decision's wall-clock latency; overall (<see cref="Read"/>) and since the last window was taken
/// (<see cref="TakeWindow"/>). Under live load each failure is a fallback; in simulation the first failure stops the
/// run.</summary>
public sealed class RoutingServiceCounters
{
    private readonly Tally _overall = new();
    private readonly Lock _windowGate = new();
    private readonly RoutingServiceWindows _windows = new();
    private long _windowMaxTicks;
    private int _policies;

    /// <summary>Policies created that count here (one per replication that asks the service): 0 until the router that
    /// counts here has been built.</summary>
    public int Policies => Volatile.Read(ref _policies);

    /// <summary>Decisions sent to the service.</summary>
    public long Asked => _overall.Asked;

    /// <summary>Decisions the service answered in time with a valid choice.</summary>
    public long Answered => _overall.Answered;

    /// <summary>Decisions not answered within the timeout.</summary>
    public long Timeouts => _overall.Timeouts;

    /// <summary>Decisions whose request failed: no connection, a broken connection, a status other than 2xx (a
    /// redirect included: none is followed).</summary>
    public long HttpErrors => _overall.HttpErrors;

    /// <summary>Answers that are not a valid decision: malformed or oversized JSON, another contract version, a group with
    /// no idle operator, a call type with no waiting call …</summary>
    public long InvalidAnswers => _overall.InvalidAnswers;

    /// <summary>Decisions taken by the fallback policy (live load: one for every timeout, HTTP error and invalid answer),
    /// counted as the fallback takes them.</summary>
    public long Fallbacks => _overall.Fallbacks;

    /// <summary>The share of decisions asked that fell back, 0 when none was asked.</summary>
    public double FallbackShare => Read().FallbackShare;

    /// <summary>The mean latency of the decisions asked (a timeout counts its full wait).</summary>
    public TimeSpan MeanLatency => Read().MeanLatency;

    /// <summary>The longest latency seen.</summary>
    public TimeSpan MaxLatency => Read().MaxLatency;

    /// <summary>The latency under which <paramref name="percentile"/> % of the decisions were answered (upper edge of its
    /// bucket: within 6.25 % above); zero when none was asked.</summary>
    public TimeSpan Percentile(double percentile) => Read().Percentile(percentile);

    /// <summary>Everything counted so far.</summary>
    public RoutingServiceCounts Read() => _overall.Read();

    /// <summary>What was counted since the last call (or the start), and a new window begun: the live host takes one at
    /// the end of each of its windows. The windows' counts add up to <see cref="Read"/> taken with the last window; a
    /// decision ending at that instant counts in one window or the next.</summary>
    public RoutingServiceCounts TakeWindow() => TakeWindow(extendLast: false);

    /// <summary>As <see cref="TakeWindow()"/>; with <paramref name="extendLast"/>, the last window taken again, extended to
    /// now (what was counted since it ended added to it).</summary>
    public RoutingServiceCounts TakeWindow(bool extendLast)
    {
        lock (_windowGate)
        {
            var now = _overall.Read();
            return _windows.Take(now, Interlocked.Exchange(ref _windowMaxTicks, 0), extendLast);
        }
    }

    /// <summary>The longest latency since the last window was taken (here, or by whoever takes windows of the readings of
    /// <see cref="Read"/>, see <see cref="RoutingServiceWindows"/>); with <paramref name="newWindow"/>, a new window begun
    /// for it. Read after <see cref="Read"/>, it holds every latency counted in that reading since the window began.</summary>
    public TimeSpan LongestInWindow(bool newWindow) =>
        Stopwatch.GetElapsedTime(0, newWindow ? Interlocked.Exchange(ref _windowMaxTicks, 0) : Interlocked.Read(ref _windowMaxTicks));

    internal void PolicyCreated() => Interlocked.Increment(ref _policies);

    internal void Asking() => _overall.Asking();

    internal void Latency(long ticks)
    {
        _overall.Latency(ticks);
        Tally.Max(ref _windowMaxTicks, ticks);
    }

    internal void Outcome(RoutingServiceFailure failure) => _overall.Outcome(failure);

    internal void FellBack() => _overall.FellBack();

    public override string ToString() => Read().ToString();

    /// <summary>Counts and latencies in log-linear buckets: 16 sub-buckets per power of two of microseconds (at most 6.25 %
    /// apart), 0 µs to ~2^40 µs.</summary>
    private sealed class Tally
    {
        private readonly long[] _buckets = new long[RoutingServiceCounts.BucketCount];
        private long _asked;
        private long _answered;
        private long _timeouts;
        private long _httpErrors;
        private long _invalidAnswers;
        private long _fallbacks;
        private long _latencyTicks;
        private long _maxLatencyTicks;

        public long Asked => Interlocked.Read(ref _asked);

        public long Answered => Interlocked.Read(ref _answered);

        public long Timeouts => Interlocked.Read(ref _timeouts);

        public long HttpErrors => Interlocked.Read(ref _httpErrors);

        public long InvalidAnswers => Interlocked.Read(ref _invalidAnswers);

        public long Fallbacks => Interlocked.Read(ref _fallbacks);

        public void Asking() => Interlocked.Increment(ref _asked);

        public void FellBack() => Interlocked.Increment(ref _fallbacks);

        public void Latency(long ticks)
        {
            Interlocked.Add(ref _latencyTicks, ticks);
            Max(ref _maxLatencyTicks, ticks);
            Interlocked.Increment(ref _buckets[RoutingServiceCounts.Bucket(Stopwatch.GetElapsedTime(0, ticks).TotalMicroseconds)]);
        }

        public static void Max(ref long max, long ticks)
        {
            var seen = Interlocked.Read(ref max);
            while (ticks > seen && Interlocked.CompareExchange(ref max, ticks, seen) != seen)
            {
                seen = Interlocked.Read(ref max);
            }
        }

        public void Outcome(RoutingServiceFailure failure)
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

        public RoutingServiceCounts Read()
        {
            var buckets = new long[_buckets.Length];
            for (var i = 0; i < buckets.Length; i++)
            {
                buckets[i] = Interlocked.Read(ref _buckets[i]);
            }
            return new RoutingServiceCounts(Asked, Answered, Timeouts, HttpErrors, InvalidAnswers, Fallbacks,
                Interlocked.Read(ref _latencyTicks), Interlocked.Read(ref _maxLatencyTicks), buckets);
        }
    }
}

/// <summary>What a routing service did over a stretch of a run (<see cref="RoutingServiceCounters.Read"/>,
/// <see cref="RoutingServiceCounters.TakeWindow"/>): a copy, which no later decision changes.</summary>
public sealed class RoutingServiceCounts
{
    /// <summary>How many latency buckets counts hold (<see cref="LatencyBuckets"/>, <see cref="FromParts"/>).</summary>
    public const int BucketCount = Powers * SubBuckets;
    private const int SubBuckets = 16;
    private const int Powers = 41;
    private readonly long[] _buckets;
    private readonly long _latencyTicks;
    private readonly long _maxLatencyTicks;

    internal RoutingServiceCounts(long asked, long answered, long timeouts, long httpErrors, long invalidAnswers, long fallbacks, long latencyTicks, long maxLatencyTicks, long[] buckets)
    {
        Asked = asked;
        Answered = answered;
        Timeouts = timeouts;
        HttpErrors = httpErrors;
        InvalidAnswers = invalidAnswers;
        Fallbacks = fallbacks;
        _latencyTicks = latencyTicks;
        _maxLatencyTicks = maxLatencyTicks;
        _buckets = buckets;
        Measured = buckets.Sum();
    }

    /// <summary>Counts taken back from their parts (<see cref="TotalLatency"/>, <see cref="MaxLatency"/>,
    /// <see cref="LatencyBuckets"/> …), as another process read them: latencies travel as <see cref="TimeSpan"/>s, so that
    /// the two processes' <see cref="Stopwatch"/> frequencies need not be the same.</summary>
    /// <exception cref="ArgumentException">The buckets are not <see cref="LatencyBuckets"/> of counts.</exception>
    public static RoutingServiceCounts FromParts(long asked, long answered, long timeouts, long httpErrors, long invalidAnswers, long fallbacks, TimeSpan totalLatency, TimeSpan maxLatency, long[] buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Length != BucketCount)
        {
            throw new ArgumentException($"{buckets.Length} latency buckets, not {BucketCount}", nameof(buckets));
        }
        return new RoutingServiceCounts(asked, answered, timeouts, httpErrors, invalidAnswers, fallbacks, StopwatchTicks(totalLatency), StopwatchTicks(maxLatency), (long[])buckets.Clone());
    }

    /// <summary><paramref name="span"/> in ticks of this process's <see cref="Stopwatch"/>.</summary>
    internal static long StopwatchTicks(TimeSpan span) => (long)((Int128)span.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    /// <summary>The latencies measured, added up.</summary>
    public TimeSpan TotalLatency => Stopwatch.GetElapsedTime(0, _latencyTicks);

    /// <summary>How many latencies fell in each bucket (16 log-linear buckets per power of two of microseconds, from
    /// 0 µs), for <see cref="FromParts"/>.</summary>
    public IReadOnlyList<long> LatencyBuckets => Array.AsReadOnly(_buckets);

    /// <summary>What was counted since <paramref name="start"/> (all of it when null), with the longest latency
    /// <paramref name="maxLatencyTicks"/> seen meanwhile.</summary>
    internal RoutingServiceCounts Since(RoutingServiceCounts? start, long maxLatencyTicks)
    {
        if (start is null)
        {
            return new RoutingServiceCounts(Asked, Answered, Timeouts, HttpErrors, InvalidAnswers, Fallbacks, _latencyTicks, maxLatencyTicks, (long[])_buckets.Clone());
        }
        var buckets = new long[_buckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = _buckets[i] - start._buckets[i];
        }
        return new RoutingServiceCounts(Asked - start.Asked, Answered - start.Answered, Timeouts - start.Timeouts, HttpErrors - start.HttpErrors,
            InvalidAnswers - start.InvalidAnswers, Fallbacks - start.Fallbacks, _latencyTicks - start._latencyTicks, maxLatencyTicks, buckets);
    }

    /// <summary>Decisions sent to the service.</summary>
    public long Asked { get; }

    /// <summary>Decisions the service answered in time with a valid choice.</summary>
    public long Answered { get; }

    /// <summary>Decisions not answered within the timeout.</summary>
    public long Timeouts { get; }

    /// <summary>Requests that failed: no connection, a broken connection, a status other than 2xx.</summary>
    public long HttpErrors { get; }

    /// <summary>Answers that are not a valid decision.</summary>
    public long InvalidAnswers { get; }

    /// <summary>Decisions taken by the fallback policy.</summary>
    public long Fallbacks { get; }

    /// <summary>Decisions whose latency was measured (those asked, once their answer or failure is in).</summary>
    public long Measured { get; }

    /// <summary>The share of decisions asked that fell back, 0 when none was asked.</summary>
    public double FallbackShare => Asked == 0 ? 0 : (double)Fallbacks / Asked;

    /// <summary>The mean latency of the decisions measured (a timeout counts its full wait).</summary>
    public TimeSpan MeanLatency => Measured == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, _latencyTicks / Measured);

    /// <summary>The longest latency seen.</summary>
    public TimeSpan MaxLatency => Stopwatch.GetElapsedTime(0, _maxLatencyTicks);

    /// <summary>The latency under which <paramref name="percentile"/> % of the decisions were answered (upper edge of its
    /// bucket: within 6.25 % above, and never above the longest); zero when none was measured.</summary>
    public TimeSpan Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Measured == 0)
        {
            return TimeSpan.Zero;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Measured));
        var seen = 0L;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                // A window's longest latency may have been taken just before its bucket was counted: then none caps.
                return TimeSpan.FromMicroseconds(_maxLatencyTicks > 0 ? Math.Min(UpperMicroseconds(i), MaxLatency.TotalMicroseconds) : UpperMicroseconds(i));
            }
        }
        return MaxLatency;
    }

    internal static int Bucket(double microseconds)
    {
        var us = (long)Math.Max(0, microseconds);
        if (us < SubBuckets)
        {
            return (int)us;
        }
        var power = 63 - (int)long.LeadingZeroCount(us); // us in [2^power, 2^(power+1))
        var sub = (int)((us >> (power - 4)) & (SubBuckets - 1));
        var index = (power - 3) * SubBuckets + sub;
        return Math.Min(index, BucketCount - 1);
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

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Asked} asked, {Answered} answered, {Timeouts} timeouts, {HttpErrors} HTTP errors, {InvalidAnswers} invalid answers, {Fallbacks} fallbacks ({FallbackShare:P1}); latency p50 {Percentile(50).TotalMilliseconds:0.###} ms, p99 {Percentile(99).TotalMilliseconds:0.###} ms, max {MaxLatency.TotalMilliseconds:0.###} ms");
}

/// <summary>Splits the readings of a run's counters into windows, wherever the counters are (this process, or the silo
/// that runs the router): each window holds what was counted since the previous one was taken, with the longest latency
/// seen meanwhile (<see cref="RoutingServiceCounters.LongestInWindow"/>). One reader takes the windows, in order.</summary>
public sealed class RoutingServiceWindows
{
    private RoutingServiceCounts? _windowStart;
    private RoutingServiceCounts? _lastWindowStart;
    private long _lastWindowMaxTicks;

    /// <summary>What <paramref name="now"/> (a reading of the whole run so far) holds since the last window taken, and a
    /// new window begun; with <paramref name="extendLast"/>, the last window taken again, extended to
    /// <paramref name="now"/>. <paramref name="longest"/> is the longest latency since the last window.</summary>
    public RoutingServiceCounts Take(RoutingServiceCounts now, TimeSpan longest, bool extendLast = false)
    {
        ArgumentNullException.ThrowIfNull(now);
        return Take(now, RoutingServiceCounts.StopwatchTicks(longest), extendLast);
    }

    internal RoutingServiceCounts Take(RoutingServiceCounts now, long maxTicks, bool extendLast)
    {
        if (extendLast)
        {
            maxTicks = Math.Max(maxTicks, _lastWindowMaxTicks);
        }
        var window = now.Since(extendLast ? _lastWindowStart : _windowStart, maxTicks);
        if (!extendLast)
        {
            _lastWindowStart = _windowStart;
        }
        _lastWindowMaxTicks = maxTicks;
        _windowStart = now;
        return window;
    }
}

/// <summary>How a decision asked of a routing service ended.</summary>
internal enum RoutingServiceFailure
{
    None,
    Timeout,
    Http,
    InvalidAnswer,
}
