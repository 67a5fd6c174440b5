namespace CrisisSim.Engine;

/// <summary>The decisions whose latency the live host measures, each from the intended (scheduled, scaled) time of the
/// event that asks for it to the moment the model grain has answered.</summary>
public enum LatencyKind
{
    /// <summary>A call offered to the router until it is routed to an operator, queued, blocked or deflected.</summary>
    Route,
    /// <summary>An operator's work ending (talk, after-call work, callback, outbound call) until the router has
    /// given the operator the next call or left the operator idle.</summary>
    NextCall,
    /// <summary>The event that puts an operator on a call (an arrival answered at once, or an operator freed taking a
    /// waiting call) until the operator's start is confirmed.</summary>
    Setup,
    /// <summary>Every message delivered live to a model grain (the three above, patience running out, staffing changes …).</summary>
    All,
}

public static class LatencyKinds
{
    /// <summary>Names as result files and thresholds spell them, in <see cref="LatencyKind"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["route", "next_call", "setup", "all"];

    public static string Name(this LatencyKind kind) => Names[(int)kind];

    public static LatencyKind? Parse(string name) => Names.IndexOf(name) is var i and >= 0 ? (LatencyKind)i : null;

    private static int IndexOf(this IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>Latencies of one kind over a stretch of the run, in milliseconds.</summary>
/// <param name="Percentiles">The value at each of <see cref="LatencyReport.Percentiles"/>, same order (NaN without samples).</param>
/// <param name="Late">Deliveries of this kind that started more than the tolerance after their intended time.</param>
/// <param name="Errors">Deliveries that failed (the grain call threw), timeouts apart.</param>
/// <param name="Timeouts">Deliveries whose grain call timed out.</param>
public sealed record LatencyStats(LatencyKind Kind, long Count, IReadOnlyList<double> Percentiles, double MaxMs, double MeanMs, long Late, long Errors, long Timeouts);

/// <summary>One window of the wall clock (<c>--window</c>): the latencies of each kind, how far the driver lagged behind
/// the scaled clock, and how many calls were offered.</summary>
/// <param name="StartSeconds">Wall-clock seconds since the live run started.</param>
/// <param name="ScaledEndSeconds">Scaled time (seconds of the scenario) the driver had reached at the end of the window:
/// now on the scaled clock, or the due time of the oldest message not dispatched yet when it was behind.</param>
/// <param name="Speed">Scaled seconds the driver went through in the window per wall-clock second: the speed asked when it
/// kept up, less when it fell behind, more while it caught up.</param>
/// <param name="MaxLagMs">Largest delay between an event's intended time and its dispatch in the window.</param>
/// <param name="InFlightMax">Most grain calls in flight at once in the window.</param>
public sealed record LatencyWindow(int Index, double StartSeconds, double EndSeconds, double ScaledEndSeconds, double Speed, long Offered, double MaxLagMs, int InFlightMax, IReadOnlyList<LatencyStats> Kinds);

/// <summary>What the live run did, beside its KPIs.</summary>
/// <param name="Speed">Scaled seconds per wall-clock second, as asked.</param>
/// <param name="WallSeconds">Wall-clock time of the live part of the run.</param>
/// <param name="ScaledSeconds">Scenario time played on the scaled clock (the rest, once no call was left, was played
/// without waiting: staffing changes and the close).</param>
/// <param name="SustainedSpeed">The speed the run kept: the lowest <see cref="LatencyWindow.Speed"/> over the windows of
/// at least half a window (the asked speed, give or take the timer's jitter, when the driver kept up).</param>
/// <param name="ArrivalsCutAtSeconds">The scaled time after which no call was offered (<c>--duration</c>), or NaN.</param>
/// <param name="MaxInFlight">The bound on grain calls in flight (<c>--max-in-flight</c>).</param>
/// <param name="InFlightPeak">Most grain calls in flight at once.</param>
/// <param name="AllocatedBytes">Bytes allocated by the whole process (driver, grains, silo) during the live part.</param>
/// <param name="BackPressureWaits">Times the driver reached the bound and held the next event back until a call ended
/// (its wait shows as lag and latency).</param>
public sealed record LiveFacts(
    double Speed,
    double WallSeconds,
    double ScaledSeconds,
    double SustainedSpeed,
    double ArrivalsCutAtSeconds,
    long Events,
    long CallsOffered,
    double LateAfterMs,
    long Late,
    long Errors,
    long Timeouts,
    double MaxLagMs,
    int MaxInFlight,
    int InFlightPeak,
    long BackPressureWaits,
    long AllocatedBytes = 0)
{
    /// <summary>Bytes allocated per call offered (NaN without calls).</summary>
    public double AllocatedBytesPerCall => CallsOffered == 0 ? double.NaN : (double)AllocatedBytes / CallsOffered;
}

/// <summary>What the scenario's routing service did under live load over a stretch of the run (overall or one window):
/// each decision asked of it and how it ended, and the wall-clock latency of the requests, from the request written to
/// the answer checked (a timeout counts its full wait), in milliseconds.</summary>
/// <param name="Asked">Decisions sent to the service.</param>
/// <param name="Answered">Decisions it answered in time with a valid choice.</param>
/// <param name="Timeouts">Decisions not answered within the scenario's <c>timeout</c>.</param>
/// <param name="HttpErrors">Requests that failed: no connection, a broken connection, a status other than 2xx.</param>
/// <param name="InvalidAnswers">Answers that were not a valid decision.</param>
/// <param name="Fallbacks">Decisions the <c>fallback</c> policy took, counted as it took them (one per failure).</param>
/// <param name="Percentiles">The latency at each of <see cref="LatencyReport.Percentiles"/>, same order (NaN without
/// requests): the upper edge of a log-linear bucket, within 6.25 % above the true value.</param>
public sealed record ServiceStats(long Asked, long Answered, long Timeouts, long HttpErrors, long InvalidAnswers, long Fallbacks, IReadOnlyList<double> Percentiles, double MaxMs, double MeanMs)
{
    /// <summary>HTTP errors and invalid answers (timeouts apart).</summary>
    public long Errors => HttpErrors + InvalidAnswers;

    /// <summary><see cref="Errors"/> over the decisions asked (NaN when none was asked).</summary>
    public double ErrorShare => Share(Errors);

    /// <summary><see cref="Timeouts"/> over the decisions asked (NaN when none was asked).</summary>
    public double TimeoutShare => Share(Timeouts);

    /// <summary><see cref="Fallbacks"/> over the decisions asked (NaN when none was asked).</summary>
    public double FallbackShare => Share(Fallbacks);

    private double Share(long count) => Asked == 0 ? double.NaN : (double)count / Asked;
}

/// <summary>The scenario's routing service in a live run: where it was asked, its <c>timeout</c> and <c>fallback</c>, and
/// what it did overall and in each window (<see cref="Windows"/>[i] is <see cref="LatencyReport.Windows"/>[i]; the last
/// also holds the decisions taken after the live part, while the run closes).</summary>
/// <param name="Counted">Whether the router's counts came back: the router counts where it runs (the embedded silo or a
/// silo of the cluster) and is read through its grain. False only when no reading came back (its silo was lost before
/// the first): every count 0.</param>
public sealed record ServiceReport(string Url, double TimeoutMs, string Fallback, bool Counted, ServiceStats Overall, IReadOnlyList<ServiceStats> Windows);

/// <summary>The latencies of a live run: overall and per window, with the facts of the run.</summary>
/// <param name="Percentiles">The percentiles reported (50, 90, 95, 99, 99.9 by default).</param>
public sealed record LatencyReport(IReadOnlyList<double> Percentiles, IReadOnlyList<LatencyStats> Overall, IReadOnlyList<LatencyWindow> Windows, LiveFacts Facts)
{
    public LatencyStats this[LatencyKind kind] => Overall[(int)kind];

    /// <summary>The scenario's routing service, when its routing is one (null otherwise).</summary>
    public ServiceReport? Service { get; init; }

    /// <summary>Late deliveries over all deliveries (0 when none).</summary>
    public double LateShare => Facts.Events == 0 ? 0 : (double)Facts.Late / Facts.Events;
}
