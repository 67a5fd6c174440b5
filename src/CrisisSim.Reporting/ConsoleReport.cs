using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;

namespace CrisisSim.Reporting;

/// <summary>The KPI tables printed by <c>crisissim run</c>: overall (after warm-up) and, on request, per interval.</summary>
public static class ConsoleReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(RunResult run, TextWriter o, bool intervals)
    {
        var s = run.Scenario;
        var first = KpiValues.FirstCountedInterval(s);
        o.WriteLine($"{s.Name}: {run.ReplicationCount} replication(s), seed {run.Seed}, {s.IntervalCount} intervals of {Duration(s.IntervalSeconds)}, routing {s.Routing}");
        o.WriteLine($"Overall KPIs over {Clock(s.ClockStartSeconds + first * s.IntervalSeconds, SpansDays(s))}-{Clock(s.ClockStartSeconds + s.HorizonSeconds, SpansDays(s))} (calls by arrival time), mean ± 95 % CI half-width over replications:");
        WriteOverall(run, o, run.Overall);
        if (s.CallTypes.Count > 1)
        {
            for (var t = 0; t < s.CallTypes.Count; t++)
            {
                var k = run.OverallByCallType[t];
                o.WriteLine(s.CallTypes[t].Outbound is null
                    ? $"  {s.CallTypes[t].Name,-14} offered {Plain(k["offered"].Mean, "F1")}, service level {Percent(k["service_level"])}, ASA {Seconds(k["asa"])}, abandonment {Percent(k["abandonment_rate"])}"
                    : $"  {s.CallTypes[t].Name,-14} outbound {Plain(k["outbound_created"].Mean, "F1")}, in time {Percent(k["outbound_in_time_rate"])}, late {Plain(k["outbound_late"].Mean, "F1")}, missed {Plain(k["outbound_missed"].Mean, "F1")}");
            }
        }
        if (intervals)
        {
            o.WriteLine();
            WriteIntervals(run, o);
        }
    }

    private static void WriteOverall(RunResult run, TextWriter o, KpiEstimates k)
    {
        var threshold = Duration(run.Scenario.ServiceLevel.ThresholdSeconds);
        for (var i = 0; i < KpiCatalog.All.Count; i++)
        {
            var kpi = KpiCatalog.All[i];
            var e = k.Scalars[i];
            if (kpi.ShownWhenPositive >= 0 && !(k.Scalars[kpi.ShownWhenPositive].Mean > 0))
            {
                continue;
            }
            Row(o, kpi.Label.Replace("{threshold}", threshold, StringComparison.Ordinal), kpi.Format switch
            {
                KpiFormat.Count => Count(e),
                KpiFormat.Seconds => Seconds(e),
                _ => Percent(e),
            });
        }
        var groups = run.Scenario.Groups;
        for (var g = 0; g < groups.Count; g++)
        {
            Row(o, $"occupancy {groups[g].Name}", Percent(k.OccupancyByGroup[g]));
        }
        for (var g = 0; g < groups.Count; g++)
        {
            Row(o, $"operator hours {groups[g].Name}", Count(k.OperatorHoursByGroup[g]));
        }
        if (groups.Count > 1)
        {
            Row(o, "operator hours, all groups", Count(k.OperatorHours));
        }
        if (groups.Any(g => g.CostPerHour > 0))
        {
            for (var g = 0; g < groups.Count; g++)
            {
                Row(o, $"cost {groups[g].Name}", Count(k.CostByGroup[g]));
            }
            if (groups.Count > 1)
            {
                Row(o, "cost, all groups", Count(k.Cost));
            }
        }
    }

    private static void WriteIntervals(RunResult run, TextWriter o)
    {
        var groups = run.Scenario.Groups;
        var days = SpansDays(run.Scenario);
        var width = days ? 25 : 13;
        var header = $"{"interval".PadRight(width)}{"offered",9}{"answered",9}{"abandon",9}{"SL",8}{"ASA",8}{"wait",8}{"p90",8}{"aband%",8}{"maxQ",7}";
        foreach (var g in groups)
        {
            header += $"{Truncate("occ " + g.Name, 11),12}";
        }
        o.WriteLine(header);
        foreach (var i in run.Intervals)
        {
            var k = i.Kpis;
            var line = (Clock(run.Scenario.ClockStartSeconds + i.StartSeconds, days) + "-" + Clock(run.Scenario.ClockStartSeconds + i.EndSeconds, days)).PadRight(width)
                + $"{Plain(k["offered"].Mean, "F1"),9}{Plain(k["answered"].Mean, "F1"),9}{Plain(k["abandoned"].Mean, "F1"),9}"
                + $"{PlainPercent(k["service_level"].Mean),8}{Plain(k["asa"].Mean, "F1"),8}{Plain(k["mean_wait"].Mean, "F1"),8}"
                + $"{Plain(k["p90_wait"].Mean, "F1"),8}{PlainPercent(k["abandonment_rate"].Mean),8}{Plain(k["max_queue"].Mean, "F1"),7}";
            foreach (var occ in k.OccupancyByGroup)
            {
                line += $"{PlainPercent(occ.Mean),12}";
            }
            o.WriteLine(line);
        }
        o.WriteLine("SL, ASA, wait, p90 and abandonment: calls arriving in the interval; waits in seconds; occupancy and max queue: clock time.");
    }

    private static void Row(TextWriter o, string name, string value) => o.WriteLine($"  {name,-26}{value}");

    private static string Count(Estimate e) => $"{Plain(e.Mean, "F1"),10}{HalfWidth(e.HalfWidth, "F1")}";

    private static string Seconds(Estimate e) => $"{Plain(e.Mean, "F1"),10}{HalfWidth(e.HalfWidth, "F1")} s";

    private static string Percent(Estimate e) => $"{Plain(e.Mean * 100, "F2"),10}{HalfWidth(e.HalfWidth * 100, "F2")} %";

    private static string HalfWidth(double hw, string format) => double.IsNaN(hw) ? "" : " ± " + hw.ToString(format, Inv);

    private static string Plain(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, Inv);

    private static string PlainPercent(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("F1", Inv) + "%";

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    /// <summary>A clock time <c>HH:MM</c>; with <paramref name="days"/>, <c>day D HH:MM</c> (day 1 is the first day).</summary>
    public static string Clock(double seconds, bool days = false)
    {
        var total = (long)Math.Round(seconds / 60);
        return days
            ? $"day {total / 1440 + 1} {total % 1440 / 60:00}:{total % 60:00}"
            : $"{total / 60:00}:{total % 60:00}";
    }

    /// <summary>Whether a scenario's horizon goes past its first day: its labels then name the day.</summary>
    public static bool SpansDays(Model.Scenario.ScenarioDefinition s) => s.ClockStartSeconds + s.HorizonSeconds > 86400;

    public static string Duration(double seconds) =>
        seconds % 3600 == 0 ? $"{(seconds / 3600).ToString(Inv)} h"
        : seconds % 60 == 0 ? $"{(seconds / 60).ToString(Inv)} min"
        : $"{seconds.ToString(Inv)} s";
}
