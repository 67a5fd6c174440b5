namespace CrisisSim.Model.Recording;

/// <summary>What a counter adds up: calls, or seconds.</summary>
public enum CounterKind : byte
{
    Count,
    TimeSum,
}

/// <summary>One column of the per-interval, per-call-type counter table (see <see cref="CallCounter"/>).</summary>
public sealed record CounterDefinition(int Index, string Name, CounterKind Kind);

/// <summary>The counters kept for the calls that arrived in one interval and are of one call type: the table every host
/// carries and every exporter reads. A new counter is one constant and one line in <see cref="All"/>.</summary>
public static class CallCounter
{
    public const int Offered = 0;
    public const int Answered = 1;
    public const int AnsweredWithinThreshold = 2;
    public const int Abandoned = 3;
    public const int AbandonedWithinThreshold = 4;
    public const int Unserved = 5;
    public const int AnsweredWaitSum = 6;
    public const int AbandonedWaitSum = 7;
    public const int UnservedWaitSum = 8;
    public const int HandleTimeSum = 9;
    public const int Blocked = 10;
    public const int Deflected = 11;
    public const int Balked = 12;
    public const int Redials = 13;
    public const int Closed = 14;
    public const int CallbacksOffered = 15;
    public const int CallbacksAccepted = 16;
    public const int CallbacksInTime = 17;
    public const int CallbacksLate = 18;
    public const int CallbacksMissed = 19;
    public const int TransfersOut = 20;
    public const int TransfersIn = 21;
    public const int TransferLegsAnswered = 22;
    public const int OutboundCreated = 23;
    public const int OutboundInTime = 24;
    public const int OutboundLate = 25;
    public const int OutboundMissed = 26;
    public const int OutboundUnreached = 27;
    public const int OutboundHandleTimeSum = 28;

    /// <summary>Every counter, by index.</summary>
    public static readonly IReadOnlyList<CounterDefinition> All =
    [
        new(Offered, "offered", CounterKind.Count),
        new(Answered, "answered", CounterKind.Count),
        new(AnsweredWithinThreshold, "answered_within_threshold", CounterKind.Count),
        new(Abandoned, "abandoned", CounterKind.Count),
        new(AbandonedWithinThreshold, "abandoned_within_threshold", CounterKind.Count),
        new(Unserved, "unserved", CounterKind.Count),
        new(AnsweredWaitSum, "answered_wait_sum", CounterKind.TimeSum),
        new(AbandonedWaitSum, "abandoned_wait_sum", CounterKind.TimeSum),
        new(UnservedWaitSum, "unserved_wait_sum", CounterKind.TimeSum),
        new(HandleTimeSum, "handle_time_sum", CounterKind.TimeSum),
        new(Blocked, "blocked", CounterKind.Count),
        new(Deflected, "deflected", CounterKind.Count),
        new(Balked, "balked", CounterKind.Count),
        new(Redials, "redials", CounterKind.Count),
        new(Closed, "closed", CounterKind.Count),
        new(CallbacksOffered, "callbacks_offered", CounterKind.Count),
        new(CallbacksAccepted, "callbacks_accepted", CounterKind.Count),
        new(CallbacksInTime, "callbacks_in_time", CounterKind.Count),
        new(CallbacksLate, "callbacks_late", CounterKind.Count),
        new(CallbacksMissed, "callbacks_missed", CounterKind.Count),
        new(TransfersOut, "transfers_out", CounterKind.Count),
        new(TransfersIn, "transfers_in", CounterKind.Count),
        new(TransferLegsAnswered, "transfer_legs_answered", CounterKind.Count),
        new(OutboundCreated, "outbound_created", CounterKind.Count),
        new(OutboundInTime, "outbound_in_time", CounterKind.Count),
        new(OutboundLate, "outbound_late", CounterKind.Count),
        new(OutboundMissed, "outbound_missed", CounterKind.Count),
        new(OutboundUnreached, "outbound_unreached", CounterKind.Count),
        new(OutboundHandleTimeSum, "outbound_handle_time_sum", CounterKind.TimeSum),
    ];

    /// <summary>Width of a row of the table.</summary>
    public static int Count => All.Count;
}

/// <summary>How one outcome enters the counters: the counter of the calls that ended so, and optionally the calls that
/// ended so within the service-level threshold and their wait sum.</summary>
/// <param name="Name">The outcome as written in <c>calls.csv</c>.</param>
/// <param name="Queued">Whether the call waited in a queue: its wait then counts in the wait KPIs (mean wait, p90).</param>
public sealed record OutcomeDefinition(CallOutcome Outcome, string Name, int Counter, int WithinThresholdCounter, int WaitSumCounter, bool Queued);

/// <summary>Every <see cref="CallOutcome"/> and how it is counted. A new outcome is one enum value and one line here.</summary>
public static class CallOutcomes
{
    public static readonly IReadOnlyList<OutcomeDefinition> All =
    [
        new(CallOutcome.Answered, "answered", CallCounter.Answered, CallCounter.AnsweredWithinThreshold, CallCounter.AnsweredWaitSum, Queued: true),
        new(CallOutcome.Abandoned, "abandoned", CallCounter.Abandoned, CallCounter.AbandonedWithinThreshold, CallCounter.AbandonedWaitSum, Queued: true),
        new(CallOutcome.Unserved, "unserved", CallCounter.Unserved, -1, CallCounter.UnservedWaitSum, Queued: true),
        new(CallOutcome.Blocked, "blocked", CallCounter.Blocked, -1, -1, Queued: false),
        new(CallOutcome.Deflected, "deflected", CallCounter.Deflected, -1, -1, Queued: false),
        new(CallOutcome.Balked, "balked", CallCounter.Balked, -1, -1, Queued: false),
        new(CallOutcome.Closed, "closed", CallCounter.Closed, -1, -1, Queued: false),
        new(CallOutcome.CallbackAccepted, "callback_accepted", CallCounter.CallbacksAccepted, -1, -1, Queued: false),
    ];

    private static readonly OutcomeDefinition?[] ByValue = Index();

    /// <summary>The definition of an outcome; throws for a value that has none (never a silent default).</summary>
    public static OutcomeDefinition Of(CallOutcome outcome) =>
        (int)outcome < ByValue.Length && ByValue[(int)outcome] is { } d
            ? d
            : throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "No definition for this call outcome");

    private static OutcomeDefinition?[] Index()
    {
        var byValue = new OutcomeDefinition?[All.Max(d => (int)d.Outcome) + 1];
        foreach (var d in All)
        {
            byValue[(int)d.Outcome] = d;
        }
        return byValue;
    }
}

/// <summary>How a KPI is shown.</summary>
public enum KpiFormat : byte
{
    Count,
    Seconds,
    Ratio,
}

/// <summary>What a KPI is computed from: the counters summed over the intervals and call types concerned, the
/// 90th percentile of the wait of queued calls and the longest queue.</summary>
public readonly record struct KpiInputs(double[] Counters, double P90Wait, double MaxQueueLength)
{
    public double this[int counter] => Counters[counter];

    /// <summary>The calls whose wait counts in the wait KPIs, and their wait sum, over every queued outcome.</summary>
    public (double Calls, double WaitSum) Queued()
    {
        double calls = 0, waits = 0;
        foreach (var o in CallOutcomes.All)
        {
            if (o.Queued)
            {
                calls += Counters[o.Counter];
                waits += Counters[o.WaitSumCounter];
            }
        }
        return (calls, waits);
    }

    /// <summary>First attempts of first legs: offered - redials - transferred legs.</summary>
    public double UniqueCallers => Counters[CallCounter.Offered] - Counters[CallCounter.Redials] - Counters[CallCounter.TransfersIn];

    public static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
}

/// <summary>A KPI: its name in <c>summary.json</c> and <c>intervals.csv</c>, its console label (<c>{threshold}</c> is
/// replaced by the service-level threshold), its format, and its formula.</summary>
/// <param name="ShownWhenPositive">The console prints it only when this KPI (itself or another, by index) has a mean
/// above 0, e.g. a mechanism's KPIs only when the scenario uses it; -1: always.</param>
public sealed record KpiDefinition(string Name, string Label, KpiFormat Format, Func<KpiInputs, double> Compute, int ShownWhenPositive = -1);

/// <summary>Every scalar KPI, in output order. A new KPI is one line here: the engine, the replication estimates and
/// every exporter enumerate this list.</summary>
/// <remarks>Service level = answered within the threshold / offered; ASA = mean wait of answered calls; mean wait and
/// p90 wait: calls that waited in a queue (answered, abandoned, unserved); abandonment = abandoned / offered. Offered
/// counts every attempt, blocked ones included: a blocked call is offered and not answered within the threshold, so it
/// lowers the service level; blocking rate = blocked / offered. Deflected and balked calls count the same way (offered,
/// not answered, no queue wait). Offered counts attempts, redials included; unique callers = offered - redial
/// attempts; a caller is answered at most once, so callers finally served = answered / unique callers. Closed calls
/// (outside opening hours, or told to call back at closing) count like blocked ones; closed rate = closed / offered.
/// A call whose caller accepts a callback ends as callback_accepted, counted like a blocked one too; the callback
/// itself ends once, made in time, late or missed (counted in the interval of the call's arrival). A transfer is counted
/// out on the origin type (interval of the call's arrival) and in on the target (interval of the new leg's arrival);
/// the leg is an attempt of the target type, so unique callers = offered - redials - transfers in, and callers served
/// = answered first legs / unique callers. Outbound follow-up calls are not offered calls: each created one ends once,
/// made in time (reached by its deadline), late, unreached (nobody answered its one attempt) or missed (still to make at
/// close), counted in the interval of its creation; outbound AHT = talk time of the calls reached / those calls.</remarks>
public static class KpiCatalog
{
    public const int Offered = 0;
    public const int Answered = 1;
    public const int Abandoned = 2;
    public const int Unserved = 3;
    public const int ServiceLevel = 4;
    public const int AverageSpeedOfAnswer = 5;
    public const int MeanWait = 6;
    public const int P90Wait = 7;
    public const int AbandonmentRate = 8;
    public const int AverageHandleTime = 9;
    public const int MaxQueueLength = 10;
    public const int Blocked = 11;
    public const int BlockingRate = 12;
    public const int Deflected = 13;
    public const int DeflectionRate = 14;
    public const int Balked = 15;
    public const int BalkingRate = 16;
    public const int RedialAttempts = 17;
    public const int UniqueCallers = 18;
    public const int CallersServedShare = 19;
    public const int Closed = 20;
    public const int ClosedRate = 21;
    public const int CallbacksOffered = 22;
    public const int TransfersOut = 27;
    public const int OutboundCreated = 29;
    public const int OutboundUnreached = 33;

    public static readonly IReadOnlyList<KpiDefinition> All =
    [
        new("offered", "offered", KpiFormat.Count, k => k[CallCounter.Offered]),
        new("answered", "answered", KpiFormat.Count, k => k[CallCounter.Answered]),
        new("abandoned", "abandoned", KpiFormat.Count, k => k[CallCounter.Abandoned]),
        new("unserved", "unserved at close", KpiFormat.Count, k => k[CallCounter.Unserved], ShownWhenPositive: Unserved),
        new("service_level", "service level ({threshold})", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.AnsweredWithinThreshold], k[CallCounter.Offered])),
        new("asa", "average speed of answer", KpiFormat.Seconds, k => KpiInputs.Ratio(k[CallCounter.AnsweredWaitSum], k[CallCounter.Answered])),
        new("mean_wait", "mean wait (all calls)", KpiFormat.Seconds, k => k.Queued() is var (calls, waits) ? KpiInputs.Ratio(waits, calls) : double.NaN),
        new("p90_wait", "90th percentile wait", KpiFormat.Seconds, k => k.P90Wait),
        new("abandonment_rate", "abandonment rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Abandoned], k[CallCounter.Offered])),
        new("aht", "average handle time", KpiFormat.Seconds, k => KpiInputs.Ratio(k[CallCounter.HandleTimeSum], k[CallCounter.Answered])),
        new("max_queue", "max queue (mean of each replication's max)", KpiFormat.Count, k => k.MaxQueueLength),
        new("blocked", "blocked (busy signal)", KpiFormat.Count, k => k[CallCounter.Blocked], ShownWhenPositive: Blocked),
        new("blocking_rate", "blocking rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Blocked], k[CallCounter.Offered]), ShownWhenPositive: Blocked),
        new("deflected", "deflected (IVR)", KpiFormat.Count, k => k[CallCounter.Deflected], ShownWhenPositive: Deflected),
        new("deflection_rate", "deflection rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Deflected], k[CallCounter.Offered]), ShownWhenPositive: Deflected),
        new("balked", "balked", KpiFormat.Count, k => k[CallCounter.Balked], ShownWhenPositive: Balked),
        new("balking_rate", "balking rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Balked], k[CallCounter.Offered]), ShownWhenPositive: Balked),
        new("redial_attempts", "redial attempts", KpiFormat.Count, k => k[CallCounter.Redials], ShownWhenPositive: RedialAttempts),
        new("unique_callers", "unique callers", KpiFormat.Count, k => k.UniqueCallers, ShownWhenPositive: RedialAttempts),
        new("callers_served_share", "callers finally served", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Answered] - k[CallCounter.TransferLegsAnswered], k.UniqueCallers), ShownWhenPositive: RedialAttempts),
        new("closed", "closed (outside hours)", KpiFormat.Count, k => k[CallCounter.Closed], ShownWhenPositive: Closed),
        new("closed_rate", "closed rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.Closed], k[CallCounter.Offered]), ShownWhenPositive: Closed),
        new("callbacks_offered", "callbacks offered", KpiFormat.Count, k => k[CallCounter.CallbacksOffered], ShownWhenPositive: CallbacksOffered),
        new("callbacks_accepted", "callbacks accepted", KpiFormat.Count, k => k[CallCounter.CallbacksAccepted], ShownWhenPositive: CallbacksOffered),
        new("callbacks_in_time", "callbacks made in time", KpiFormat.Count, k => k[CallCounter.CallbacksInTime], ShownWhenPositive: CallbacksOffered),
        new("callbacks_late", "callbacks made late", KpiFormat.Count, k => k[CallCounter.CallbacksLate], ShownWhenPositive: CallbacksOffered),
        new("callbacks_missed", "callbacks never made", KpiFormat.Count, k => k[CallCounter.CallbacksMissed], ShownWhenPositive: CallbacksOffered),
        new("transfers_out", "transferred on", KpiFormat.Count, k => k[CallCounter.TransfersOut], ShownWhenPositive: TransfersOut),
        new("transfers_in", "transferred in", KpiFormat.Count, k => k[CallCounter.TransfersIn], ShownWhenPositive: TransfersOut),
        new("outbound_created", "outbound calls to make", KpiFormat.Count, k => k[CallCounter.OutboundCreated], ShownWhenPositive: OutboundCreated),
        new("outbound_in_time", "outbound made in time", KpiFormat.Count, k => k[CallCounter.OutboundInTime], ShownWhenPositive: OutboundCreated),
        new("outbound_late", "outbound made late", KpiFormat.Count, k => k[CallCounter.OutboundLate], ShownWhenPositive: OutboundCreated),
        new("outbound_missed", "outbound never made", KpiFormat.Count, k => k[CallCounter.OutboundMissed], ShownWhenPositive: OutboundCreated),
        new("outbound_unreached", "outbound not answered", KpiFormat.Count, k => k[CallCounter.OutboundUnreached], ShownWhenPositive: OutboundUnreached),
        new("outbound_in_time_rate", "outbound in-time rate", KpiFormat.Ratio, k => KpiInputs.Ratio(k[CallCounter.OutboundInTime], k[CallCounter.OutboundCreated]), ShownWhenPositive: OutboundCreated),
        new("outbound_aht", "outbound handle time", KpiFormat.Seconds, k => KpiInputs.Ratio(k[CallCounter.OutboundHandleTimeSum], k[CallCounter.OutboundInTime] + k[CallCounter.OutboundLate]), ShownWhenPositive: OutboundCreated),
    ];

    public static readonly string[] Names = [.. All.Select(k => k.Name)];
}
