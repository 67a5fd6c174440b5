using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;

namespace CrisisSim.Reporting;

/// <summary>The files and the table of a sweep (<see cref="Sweep"/>): <c>sweep.csv</c>, <c>sweep.json</c>, the scenario
/// swept and the charts of a sweep over one parameter.</summary>
public static class SweepReport
{
    public const string CsvFile = "sweep.csv";
    public const string JsonFile = "sweep.json";

    /// <summary>Writes every file of a sweep into <paramref name="target"/>: <c>sweep.csv</c>, <c>sweep.json</c>,
    /// <c>scenario.yaml</c> (the file swept, as read) and the charts (<see cref="SweepCharts"/>); a chart that cannot be
    /// drawn is a warning on <paramref name="warnings"/>.</summary>
    public static void WriteFiles(
        IReadOnlyList<SweepPoint> points, SweepGrid grid, string scenario, long seed, int replications, string scenarioText,
        ExportTarget target, TextWriter warnings)
    {
        using (var csv = target.CreateText(CsvFile))
        {
            WriteCsv(points, grid, csv);
        }
        using (var json = target.Create(JsonFile))
        {
            WriteJson(points, grid, scenario, seed, replications, json);
        }
        ScenarioCopy.WriteText(scenarioText, target);
        PlanningCharts.Write(() => SweepCharts.Of(points, grid), target, warnings);
    }

    /// <summary><c>sweep.csv</c>: one row per point. Columns: <c>point</c> (index from 0), one column per swept key (its
    /// value, as given), <c>agent_hours</c> and <c>cost</c> (by the plan, over the whole horizon),
    /// <c>intervals_below_target</c>, then <c>KPI_mean</c> and <c>KPI_ci95</c> for every KPI of <c>intervals.csv</c>,
    /// then <c>occupancy_GROUP</c>, <c>operator_hours_GROUP</c> and <c>cost_GROUP</c> (<c>_mean</c>, <c>_ci95</c>) for
    /// the groups of the first point, and <c>operator_hours_total</c>, <c>cost_total</c>: the run's overall KPIs,
    /// after the warm-up, as in <c>intervals.csv</c>'s row <c>all</c>.</summary>
    public static void WriteCsv(IReadOnlyList<SweepPoint> points, SweepGrid grid, TextWriter w)
    {
        var groups = points.Count > 0 ? points[0].GroupNames : [];
        var header = new List<string> { "point" };
        header.AddRange(grid.Axes.Select(a => Csv.Field(a.Key)));
        header.AddRange(["agent_hours", "cost", "intervals_below_target"]);
        foreach (var name in KpiValues.Names)
        {
            header.Add(name + "_mean");
            header.Add(name + "_ci95");
        }
        foreach (var kpi in new[] { "occupancy_", "operator_hours_", "cost_" })
        {
            foreach (var g in groups)
            {
                header.Add(Csv.Field(kpi + g + "_mean"));
                header.Add(Csv.Field(kpi + g + "_ci95"));
            }
        }
        header.AddRange(["operator_hours_total_mean", "operator_hours_total_ci95", "cost_total_mean", "cost_total_ci95"]);
        Csv.Row(w, header);
        foreach (var p in points)
        {
            var cells = new List<string> { Csv.Int(p.Index) };
            cells.AddRange(p.Settings.Select(s => Csv.Field(s.Value)));
            cells.AddRange([Csv.Number(p.AgentHours), Csv.Number(p.Cost), Csv.Int(p.IntervalsBelowTarget)]);
            foreach (var e in p.Overall.Scalars)
            {
                cells.Add(Csv.Number(e.Mean));
                cells.Add(Csv.Number(e.HalfWidth));
            }
            foreach (var values in new[] { p.Overall.OccupancyByGroup, p.Overall.OperatorHoursByGroup, p.Overall.CostByGroup })
            {
                foreach (var g in groups)
                {
                    var i = IndexOf(p.GroupNames, g);
                    var e = i >= 0 && i < values.Count ? values[i] : Undefined;
                    cells.Add(Csv.Number(e.Mean));
                    cells.Add(Csv.Number(e.HalfWidth));
                }
            }
            foreach (var e in new[] { p.Overall.OperatorHours, p.Overall.Cost })
            {
                cells.Add(Csv.Number(e.Mean));
                cells.Add(Csv.Number(e.HalfWidth));
            }
            Csv.Row(w, cells);
        }
    }

    /// <summary><c>sweep.json</c>: <c>scenario</c>, <c>seed</c>, <c>replications</c>, <c>keys</c> (the swept keys, in
    /// order), <c>points[]</c> with <c>index</c>, <c>values</c> (key to value), <c>agentHours</c>, <c>cost</c>,
    /// <c>intervalsBelowTarget</c>, <c>overall</c> (each KPI as <c>{mean, ci95, n}</c>), <c>occupancy</c>,
    /// <c>operator_hours</c> and <c>cost</c> (by group), <c>operator_hours_total</c> and <c>cost_total</c>.</summary>
    public static void WriteJson(IReadOnlyList<SweepPoint> points, SweepGrid grid, string scenario, long seed, int replications, Stream stream)
    {
        using var j = EstimateJson.Writer(stream);
        j.WriteStartObject();
        j.WriteString("scenario", scenario);
        j.WriteNumber("seed", seed);
        j.WriteNumber("replications", replications);
        j.WriteStartArray("keys");
        foreach (var a in grid.Axes)
        {
            j.WriteStringValue(a.Key);
        }
        j.WriteEndArray();
        j.WriteStartArray("points");
        foreach (var p in points)
        {
            j.WriteStartObject();
            j.WriteNumber("index", p.Index);
            j.WriteStartObject("values");
            foreach (var s in p.Settings)
            {
                j.WriteString(s.Key, s.Value);
            }
            j.WriteEndObject();
            EstimateJson.Number(j, "agentHours", p.AgentHours);
            EstimateJson.Number(j, "cost", p.Cost);
            j.WriteNumber("intervalsBelowTarget", p.IntervalsBelowTarget);
            j.WriteStartObject("overall");
            for (var i = 0; i < KpiValues.Names.Length; i++)
            {
                EstimateJson.Estimate(j, KpiValues.Names[i], p.Overall.Scalars[i]);
            }
            j.WriteEndObject();
            foreach (var (name, values) in new[] { ("occupancy", p.Overall.OccupancyByGroup), ("operator_hours", p.Overall.OperatorHoursByGroup), ("cost", p.Overall.CostByGroup) })
            {
                j.WriteStartObject(name);
                for (var g = 0; g < p.GroupNames.Count && g < values.Count; g++)
                {
                    EstimateJson.Estimate(j, p.GroupNames[g], values[g]);
                }
                j.WriteEndObject();
            }
            EstimateJson.Estimate(j, "operator_hours_total", p.Overall.OperatorHours);
            EstimateJson.Estimate(j, "cost_total", p.Overall.Cost);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
    }

    /// <summary>The table printed by <c>crisissim sweep</c>.</summary>
    public static void WriteTable(IReadOnlyList<SweepPoint> points, SweepGrid grid, TextWriter o)
    {
        var keys = grid.Axes.Select(a => ShortKey(a.Key)).ToList();
        var table = new ConsoleTable([new ConsoleColumn("point"), .. keys.Select(k => new ConsoleColumn(k, ColumnAlign.Left)),
            new("service level"), new("ASA (s)"), new("abandonment"), new("occupancy"), new("agent-h"), new("below")]) { Border = ConsoleBorder.Simple };
        foreach (var p in points)
        {
            var occupancy = Occupancy(p.Overall.OccupancyByGroup);
            table.AddRow([
                p.Index.ToString(CultureInfo.InvariantCulture),
                .. Enumerable.Range(0, keys.Count).Select(i => (ConsoleCell)Cut(p.Settings[i].Value, 24)),
                TableText.PercentCi(p.Overall.Scalars[KpiCatalog.ServiceLevel]),
                TableText.Ci(p.Overall.Scalars[KpiCatalog.AverageSpeedOfAnswer], "F1"),
                TableText.PercentCi(p.Overall.Scalars[KpiCatalog.AbandonmentRate]),
                TableText.PercentCi(occupancy),
                p.AgentHours.ToString("N1", CultureInfo.InvariantCulture),
                new ConsoleCell(p.IntervalsBelowTarget.ToString(CultureInfo.InvariantCulture), p.IntervalsBelowTarget > 0 ? CellStyle.Warning : CellStyle.Normal),
            ]);
        }
        ConsoleOutput.For(o).Table(table);
        o.WriteLine("Overall KPIs after the warm-up, mean ± 95 % CI half-width; occupancy: mean over groups (± the mean of their half-widths, which bounds it); below: intervals whose mean service level misses serviceLevel.target.");
    }

    /// <summary>The mean occupancy over the groups that have one, ± the mean of their half-widths: the standard deviation
    /// of an average is at most the average of the standard deviations, so this bounds the average's half-width.</summary>
    internal static Estimate Occupancy(IReadOnlyList<Estimate> byGroup)
    {
        var defined = byGroup.Where(e => !double.IsNaN(e.Mean)).ToList();
        if (defined.Count == 0)
        {
            return Undefined;
        }
        var halfWidth = defined.Any(e => double.IsNaN(e.HalfWidth)) ? double.NaN : defined.Average(e => e.HalfWidth);
        return new Estimate(defined.Average(e => e.Mean), halfWidth, defined.Min(e => e.Count));
    }

    private static readonly Estimate Undefined = new(double.NaN, double.NaN, 0);

    private static string ShortKey(string key)
    {
        var parts = key.Split('.');
        return parts.Length <= 2 ? key : string.Join('.', parts[^2..]);
    }

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
