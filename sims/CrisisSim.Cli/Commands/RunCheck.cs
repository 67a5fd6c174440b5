using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>run --check</c>: every counted interval (after the warm-up) must meet the targets, for each call type
/// when the run estimates the intervals of each call type (several call types, at most
/// <see cref="RunLimits.MaxCallTypeIntervalCells"/> cells), otherwise over all call types as <c>intervals.csv</c>
/// reports them; judged on mean KPIs.</summary>
internal static class RunCheck
{
    private static IntervalPerformance Performance(KpiEstimates kpis) =>
        new(kpis.Scalars[KpiCatalog.ServiceLevel], kpis.Scalars[KpiCatalog.AbandonmentRate], kpis.Scalars[KpiCatalog.AverageSpeedOfAnswer], kpis.Scalars[KpiCatalog.Offered].Mean);

    /// <summary>Writes each interval that misses a target to <paramref name="error"/>; true when none does.</summary>
    public static bool Passes(RunResult run, ServiceTargets targets, TextWriter error)
    {
        var s = run.Scenario;
        var days = ConsoleReport.SpansDays(s);
        var missed = new List<string>();
        for (var k = KpiValues.FirstCountedInterval(s); k < s.IntervalCount; k++)
        {
            var clock = ConsoleReport.Clock(s.ClockStartSeconds + k * s.IntervalSeconds, days);
            if (run.IntervalsByCallType.Count == 0)
            {
                if (targets.Misses(Performance(run.Intervals[k].Kpis)) is { } miss)
                {
                    missed.Add($"  {k} ({clock}): {miss}");
                }
                continue;
            }
            var byType = new List<string>();
            for (var t = 0; t < s.CallTypes.Count; t++)
            {
                if (targets.Misses(Performance(run.IntervalsByCallType[t][k].Kpis)) is { } miss)
                {
                    byType.Add(s.CallTypes[t].Name + ": " + miss);
                }
            }
            if (byType.Count > 0)
            {
                missed.Add($"  {k} ({clock}): {string.Join("; ", byType)}");
            }
        }
        if (missed.Count == 0)
        {
            return true;
        }
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"check failed: {missed.Count} interval(s) miss {targets.Describe()}:"));
        foreach (var line in missed)
        {
            error.WriteLine(line);
        }
        return false;
    }
}
