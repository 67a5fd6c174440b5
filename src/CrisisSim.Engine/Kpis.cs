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

    /// <summary>KPIs over intervals [first, last] for every call type (callType = -1) or one call type.
    /// Occupancy and queue length are by clock time; occupancy is NaN where no operator was on duty.</summary>
    public static KpiValues From(Recorder r, int firstInterval, int lastInterval, int callType = -1)
    {
        var c = new CallCounters();
        var waits = new WaitHistogram();
        var maxQueue = 0;
        var busy = new double[r.GroupCount];
        var staffed = new double[r.GroupCount];
        for (var k = firstInterval; k <= lastInterval; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                if (callType >= 0 && t != callType)
                {
                    continue;
                }
                c.Add(r.Calls(k, t));
                if (r.Waits(k, t) is { } h)
                {
                    waits.MergeFrom(h);
                }
            }
            maxQueue = Math.Max(maxQueue, r.MaxQueueLength(k));
            for (var g = 0; g < r.GroupCount; g++)
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
            waits.Quantile(0.9),
            Ratio(c.Abandoned, c.Offered),
            Ratio(c.HandleTimeSum, c.Answered),
            maxQueue,
            [.. busy.Select((b, g) => staffed[g] > 0 ? b / staffed[g] : double.NaN)]);
    }

    /// <summary>The first interval counted in overall KPIs: the warm-up rounded up to whole intervals.</summary>
    public static int FirstCountedInterval(ScenarioDefinition scenario) =>
        Math.Min(scenario.IntervalCount - 1, (int)Math.Ceiling(scenario.WarmupSeconds / scenario.IntervalSeconds - 1e-9));

    private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
}
