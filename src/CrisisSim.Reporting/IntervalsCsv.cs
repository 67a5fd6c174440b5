using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>intervals.csv</c>: one row per interval (its index, its clock time, start and end in seconds from
/// the start of the run), then a row <c>all</c> for the overall KPIs; for each KPI a <c>_mean</c> and a <c>_ci95</c>
/// column (half-width of the 95 % confidence interval over replications), the groups' KPIs, the operators on duty per
/// group and in all, and <c>below_target</c>. With several call types it also writes <c>intervals-by-call-type.csv</c>
/// (see <see cref="IntervalsByCallTypeCsv"/>).</summary>
public sealed class IntervalsCsv : IExporter
{
    public const string FileName = "intervals.csv";

    public string Name => "intervals";

    public string Description => $"{FileName}: one row per interval and a row 'all', each KPI's mean and 95 % half-width (and {IntervalsByCallTypeCsv.FileName} with several call types)";

    public void Export(RunReport report, ExportTarget target)
    {
        using (var writer = target.CreateText(FileName))
        {
            Write(report.Run, writer);
        }
        if (report.Run.IntervalsByCallType.Count > 0)
        {
            using var writer = target.CreateText(IntervalsByCallTypeCsv.FileName);
            IntervalsByCallTypeCsv.Write(report.Run, writer);
        }
    }

    public static void Write(RunResult run, TextWriter writer)
    {
        // Beyond RunLimits.MaxGroupIntervalCells the intervals carry no group columns, and the 'all' row none either.
        IReadOnlyList<Model.Scenario.OperatorGroupSpec> groups = RunLimits.KeepsGroupIntervals(run.Scenario) ? run.Scenario.Groups : [];
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
                header.Add(Csv.Field(kpi + g.Name + "_mean"));
                header.Add(Csv.Field(kpi + g.Name + "_ci95"));
            }
        }
        header.AddRange(["operator_hours_total_mean", "operator_hours_total_ci95", "cost_total_mean", "cost_total_ci95"]);
        foreach (var g in groups)
        {
            header.Add(Csv.Field("on_duty_" + g.Name + "_mean"));
            header.Add(Csv.Field("on_duty_" + g.Name + "_ci95"));
        }
        header.AddRange(["on_duty_total_mean", "on_duty_total_ci95", "below_target"]);
        writer.Write(string.Join(',', header));
        writer.Write('\n');
        foreach (var interval in run.Intervals)
        {
            WriteRow(writer, run, interval.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), interval.StartSeconds, interval.EndSeconds, interval.Kpis, groups.Count > 0);
        }
        var first = KpiValues.FirstCountedInterval(run.Scenario);
        WriteRow(writer, run, "all", first * run.Scenario.IntervalSeconds, run.Scenario.HorizonSeconds, run.Overall, groups.Count > 0);
    }

    /// <summary>The clock time of a span's start, as the first columns of the interval files show it.</summary>
    internal static string ClockOf(RunResult run, double start) =>
        ConsoleReport.Clock(run.Scenario.ClockStartSeconds + start, ConsoleReport.SpansDays(run.Scenario));

    /// <summary><c>true</c>, <c>false</c>, or empty when the service level is undefined.</summary>
    internal static string BelowTarget(KpiEstimates kpis, RunResult run) =>
        PlannerMeasures.BelowTarget(kpis, run.Scenario) switch { true => "true", false => "false", null => "" };

    /// <param name="perGroup">Whether the file has a column per group (the totals' columns are always there, empty where
    /// the intervals carry no groups' KPIs).</param>
    private static void WriteRow(TextWriter writer, RunResult run, string label, double start, double end, KpiEstimates kpis, bool perGroup)
    {
        var cells = new List<string> { label, ClockOf(run, start), Csv.Number(start), Csv.Number(end) };
        IEnumerable<Estimate> groups = perGroup ? kpis.OccupancyByGroup.Concat(kpis.OperatorHoursByGroup).Concat(kpis.CostByGroup) : [];
        groups = groups.Append(kpis.OperatorHours).Append(kpis.Cost);
        foreach (var e in kpis.Scalars.Concat(groups))
        {
            cells.Add(Csv.Number(e.Mean));
            cells.Add(Csv.Number(e.HalfWidth));
        }
        foreach (var hours in (perGroup ? kpis.OperatorHoursByGroup : []).Append(kpis.OperatorHours))
        {
            var onDuty = PlannerMeasures.OnDuty(hours, end - start);
            cells.Add(Csv.Number(onDuty.Mean));
            cells.Add(Csv.Number(onDuty.HalfWidth));
        }
        cells.Add(BelowTarget(kpis, run));
        writer.Write(string.Join(',', cells));
        writer.Write('\n');
    }
}
