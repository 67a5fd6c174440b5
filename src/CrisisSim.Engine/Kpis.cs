using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>The KPIs of one replication over a set of intervals (and optionally one call type).</summary>
/// <remarks>Definitions (all waits in seconds; "ended" = answered + abandoned + unserved):
/// service level = answered within the threshold / offered; ASA = mean wait of answered calls; mean wait = mean wait
/// of ended calls; p90 wait = 90th percentile of the wait of ended calls; abandonment = abandoned / offered;
/// occupancy = busy operator time / on-duty operator time; max queue = most calls waiting at once.</remarks>
public sealed record KpiValues(
    double Offered,
    double Answered,
    double Abandoned,
    double Unserved,
    double ServiceLevel,
    double AverageSpeedOfAnswer,
    double MeanWait,
    double P90Wait,
    double AbandonmentRate,
    double AverageHandleTime,
    double MaxQueueLength,
    IReadOnlyList<double> OccupancyByGroup)
{
    /// <summary>Scalar KPI names in output order (occupancy comes after, one per group).</summary>
    public static readonly string[] Names =
    [
        "offered", "answered", "abandoned", "unserved", "service_level", "asa", "mean_wait", "p90_wait",
        "abandonment_rate", "aht", "max_queue",
    ];

    public double[] Scalars() =>
    [
        Offered, Answered, Abandoned, Unserved, ServiceLevel, AverageSpeedOfAnswer, MeanWait, P90Wait,
        AbandonmentRate, AverageHandleTime, MaxQueueLength,
    ];

    /// <summary>The scalars, then occupancy per group, into <paramref name="row"/> (at least Names + groups long).</summary>
    public void WriteTo(Span<double> row)
    {
        ReadOnlySpan<double> scalars =
        [
            Offered, Answered, Abandoned, Unserved, ServiceLevel, AverageSpeedOfAnswer, MeanWait, P90Wait,
            AbandonmentRate, AverageHandleTime, MaxQueueLength,
        ];
        scalars.CopyTo(row);
        for (var g = 0; g < OccupancyByGroup.Count; g++)
        {
            row[scalars.Length + g] = OccupancyByGroup[g];
        }
    }

    /// <summary>KPIs over intervals [first, last] for every call type (callType = -1) or one call type.
    /// Occupancy and queue length are by clock time; occupancy is NaN where no operator was on duty, and left out
    /// (an empty list) for one call type.</summary>
    public static KpiValues From(Recorder r, int firstInterval, int lastInterval, int callType = -1)
    {
        var c = new CallCounters();
        var waits = new WaitMerge();
        var maxQueue = 0;
        // Occupancy is a property of the groups, not of a call type: computed only for all call types.
        var groups = callType >= 0 ? 0 : r.GroupCount;
        var busy = new double[groups];
        var staffed = new double[groups];
        for (var k = firstInterval; k <= lastInterval; k++)
        {
            for (var t = callType >= 0 ? callType : 0; t < (callType >= 0 ? callType + 1 : r.CallTypeCount); t++)
            {
                c.Add(r.Calls(k, t));
                waits.Add(r.Waits(k, t));
            }
            maxQueue = Math.Max(maxQueue, r.MaxQueueLength(k));
            for (var g = 0; g < groups; g++)
            {
                busy[g] += r.BusySeconds(k, g);
                staffed[g] += r.StaffedSeconds(k, g);
            }
        }
        var ended = c.Ended;
        return new KpiValues(
            c.Offered,
            c.Answered,
            c.Abandoned,
            c.Unserved,
            Ratio(c.AnsweredWithinThreshold, c.Offered),
            Ratio(c.AnsweredWaitSum, c.Answered),
            Ratio(c.AnsweredWaitSum + c.AbandonedWaitSum + c.UnservedWaitSum, ended),
            waits.TakeQuantile(0.9),
            Ratio(c.Abandoned, c.Offered),
            Ratio(c.HandleTimeSum, c.Answered),
            maxQueue,
            [.. busy.Select((b, g) => staffed[g] > 0 ? b / staffed[g] : double.NaN)]);
    }

    /// <summary>The wait quantile over several histograms: read from the one histogram when there is only one, otherwise
    /// from a per-thread dense buffer that is cleared after use (no allocation per interval).</summary>
    private ref struct WaitMerge
    {
        [ThreadStatic]
        private static long[]? _scratch;

        private WaitHistogram? _single;
        private long[]? _dense;
        private long _count;

        public void Add(WaitHistogram? h)
        {
            if (h is null || h.Count == 0)
            {
                return;
            }
            if (_single is null && _dense is null)
            {
                _single = h;
                return;
            }
            if (_dense is null)
            {
                _dense = _scratch ??= new long[WaitHistogram.BinCount];
                _single!.AddTo(_dense);
                _count = _single.Count;
                _single = null;
            }
            h.AddTo(_dense);
            _count += h.Count;
        }

        /// <summary>The quantile of what was added; clears the shared buffer, so call it once.</summary>
        public double TakeQuantile(double p)
        {
            if (_dense is null)
            {
                return _single?.Quantile(p) ?? double.NaN;
            }
            var q = WaitHistogram.QuantileOf<long>(_dense, p, _count);
            Array.Clear(_dense);
            return q;
        }
    }

    /// <summary>The first interval counted in overall KPIs: the warm-up rounded up to whole intervals.</summary>
    public static int FirstCountedInterval(ScenarioDefinition scenario) =>
        Math.Min(scenario.IntervalCount - 1, (int)Math.Ceiling(scenario.WarmupSeconds / scenario.IntervalSeconds - 1e-9));

    private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
}
