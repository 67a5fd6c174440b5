using System.Globalization;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>intervals-by-call-type.csv</c> (with the <c>intervals</c> format, for a scenario of several call
/// types): one row per interval and call type, interval by interval and in the scenario's order of call types, then a
/// row <c>all</c> per call type for its overall KPIs. Columns: <c>interval</c>, <c>clock</c>, <c>start_s</c>,
/// <c>end_s</c>, <c>call_type</c>, each KPI's <c>_mean</c> and <c>_ci95</c>, and <c>below_target</c>. No group columns:
/// operators belong to groups, not to call types (they are in <c>intervals.csv</c>).</summary>
public static class IntervalsByCallTypeCsv
{
    public const string FileName = "intervals-by-call-type.csv";

    /// <summary>The columns, in order.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["interval", "clock", "start_s", "end_s", "call_type", .. KpiValues.Names.SelectMany(n => new[] { n + "_mean", n + "_ci95" }), "below_target"];

    /// <summary>Writes the file of a run that kept its KPIs per call type and interval
    /// (<see cref="RunResult.IntervalsByCallType"/> not empty); writes only the header otherwise.</summary>
    public static void Write(RunResult run, TextWriter writer)
    {
        var types = run.Scenario.CallTypes;
        writer.Write(string.Join(',', Header));
        writer.Write('\n');
        if (run.IntervalsByCallType.Count != types.Count)
        {
            return;
        }
        for (var k = 0; k < run.Scenario.IntervalCount; k++)
        {
            for (var t = 0; t < types.Count; t++)
            {
                var interval = run.IntervalsByCallType[t][k];
                WriteRow(writer, run, interval.Index.ToString(CultureInfo.InvariantCulture), interval.StartSeconds, interval.EndSeconds, types[t].Name, interval.Kpis);
            }
        }
        var first = KpiValues.FirstCountedInterval(run.Scenario) * run.Scenario.IntervalSeconds;
        for (var t = 0; t < types.Count; t++)
        {
            WriteRow(writer, run, "all", first, run.Scenario.HorizonSeconds, types[t].Name, run.OverallByCallType[t]);
        }
    }

    private static void WriteRow(TextWriter writer, RunResult run, string label, double start, double end, string callType, KpiEstimates kpis)
    {
        var cells = new List<string>(Header.Count) { label, IntervalsCsv.ClockOf(run, start), Csv.Number(start), Csv.Number(end), Csv.Field(callType) };
        foreach (var e in kpis.Scalars)
        {
            cells.Add(Csv.Number(e.Mean));
            cells.Add(Csv.Number(e.HalfWidth));
        }
        cells.Add(IntervalsCsv.BelowTarget(kpis, run));
        writer.Write(string.Join(',', cells));
        writer.Write('\n');
    }
}
