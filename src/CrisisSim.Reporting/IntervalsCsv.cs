using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>intervals.csv</c>: one row per interval (its index, its clock time, start and end in seconds from the start of the run), then a row <c>all</c> for the overall KPIs; for each KPI
/// a <c>_mean</c> and a <c>_ci95</c> column (half-width of the 95 % confidence interval over replications).</summary>
public sealed class IntervalsCsv : IExporter
{
    public const string FileName = "intervals.csv";

    public string Name => "intervals";

    public string Description => $"{FileName}: one row per interval and a row 'all', each KPI's mean and 95 % half-width";

    public void Export(RunReport report, ExportTarget target)
    {
        using var writer = target.CreateText(FileName);
        Write(report.Run, writer);
    }

    public static void Write(RunResult run, TextWriter writer)
    {
        var groups = run.Scenario.Groups;
        var header = new List<string> { "interval", "clock", "start_s", "end_s" };
        foreach (var name in KpiValues.Names)
        {
            header.Add(name + "_mean");
            header.Add(name + "_ci95");
        }
        foreach (var kpi in new[] { "occupancy_", "operator_hours_", "cost_" })
        {
            foreach (var g in groups)
            {
                header.Add(Formats.Field(kpi + g.Name + "_mean"));
                header.Add(Formats.Field(kpi + g.Name + "_ci95"));
            }
        }
        header.AddRange(["operator_hours_total_mean", "operator_hours_total_ci95", "cost_total_mean", "cost_total_ci95"]);
        writer.Write(string.Join(',', header));
        writer.Write('\n');
        foreach (var interval in run.Intervals)
        {
            WriteRow(writer, interval.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), ConsoleReport.Clock(run.Scenario.ClockStartSeconds + interval.StartSeconds, ConsoleReport.SpansDays(run.Scenario)), interval.StartSeconds, interval.EndSeconds, interval.Kpis);
        }
        var first = KpiValues.FirstCountedInterval(run.Scenario);
        WriteRow(writer, "all", ConsoleReport.Clock(run.Scenario.ClockStartSeconds + first * run.Scenario.IntervalSeconds, ConsoleReport.SpansDays(run.Scenario)), first * run.Scenario.IntervalSeconds, run.Scenario.HorizonSeconds, run.Overall);
    }

    private static void WriteRow(TextWriter writer, string label, string clock, double start, double end, KpiEstimates kpis)
    {
        var cells = new List<string> { label, clock, Formats.Number(start), Formats.Number(end) };
        var groups = kpis.OccupancyByGroup.Concat(kpis.OperatorHoursByGroup).Concat(kpis.CostByGroup);
        if (kpis.OperatorHoursByGroup.Count > 0)
        {
            groups = groups.Append(kpis.OperatorHours).Append(kpis.Cost);
        }
        foreach (var e in kpis.Scalars.Concat(groups))
        {
            cells.Add(Formats.Number(e.Mean));
            cells.Add(Formats.Number(e.HalfWidth));
        }
        writer.Write(string.Join(',', cells));
        writer.Write('\n');
    }
}
