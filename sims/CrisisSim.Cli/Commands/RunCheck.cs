using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>run --check</c>: every counted interval (after the warm-up) must meet the targets, judged on its mean
/// KPIs over all call types as <c>intervals.csv</c> reports them.</summary>
internal static class RunCheck
{
    /// <summary>Writes each interval that misses a target to <paramref name="error"/>; true when none does.</summary>
    public static bool Passes(RunResult run, ServiceTargets targets, TextWriter error)
    {
        var s = run.Scenario;
        var days = ConsoleReport.SpansDays(s);
        var missed = new List<string>();
        for (var k = KpiValues.FirstCountedInterval(s); k < s.IntervalCount; k++)
        {
            var kpis = run.Intervals[k].Kpis.Scalars;
            var performance = new IntervalPerformance(kpis[KpiCatalog.ServiceLevel], kpis[KpiCatalog.AbandonmentRate], kpis[KpiCatalog.AverageSpeedOfAnswer], kpis[KpiCatalog.Offered].Mean);
            if (targets.Misses(performance) is { } miss)
            {
                missed.Add($"  {k} ({ConsoleReport.Clock(s.ClockStartSeconds + k * s.IntervalSeconds, days)}): {miss}");
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
