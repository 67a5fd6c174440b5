using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using CrisisSim.Scenarios;

namespace CrisisSim.Planning;

/// <summary>One point of a sweep: its settings and the KPIs its run gave (overall, after the warm-up).</summary>
/// <param name="AgentHours">Operator-hours on duty over the horizon, every group (see <see cref="GroupTerms.OnDutyHours"/>).</param>
/// <param name="Cost">Agent-hours of each group times its cost per hour.</param>
/// <param name="IntervalsBelowTarget">Intervals (after the warm-up, with calls offered) whose mean service level is
/// below the scenario's <c>serviceLevel.target</c>.</param>
public sealed record SweepPoint(
    int Index,
    IReadOnlyList<ScenarioSetting> Settings,
    string ScenarioName,
    KpiEstimates Overall,
    IReadOnlyList<string> GroupNames,
    double AgentHours,
    double Cost,
    int IntervalsBelowTarget,
    double Target);

/// <summary>A grid of scenario variants, each run with the same seed and replications (common random numbers: the
/// differences between points come from the settings, not from the random numbers).</summary>
public static class Sweep
{
    /// <summary>Loads every point once, so that a bad value stops the sweep before any simulation (a
    /// <see cref="ScenarioException"/> naming the file, the key and the setting).</summary>
    public static void Validate(string yamlText, string path, SweepGrid grid, Action<int>? checkedPoint = null)
    {
        for (var p = 0; p < grid.Count; p++)
        {
            ScenarioSettings.Parse(yamlText, path, grid.Point(p));
            checkedPoint?.Invoke(p);
        }
    }

    public static async Task<IReadOnlyList<SweepPoint>> RunAsync(
        string yamlText, string path, SweepGrid grid, IReplicationHost host, long seed, int replications,
        IProgress<PlanProgress>? progress, CancellationToken cancellationToken)
    {
        var points = Enumerable.Range(0, grid.Count)
            .Select(p => new PlanPoint(() => ScenarioSettings.Parse(yamlText, path, grid.Point(p))))
            .ToList();
        var results = new List<SweepPoint>(grid.Count);
        await ReplicationPipeline.RunPointsAsync(host, points, seed, replications, done => results.Add(Summarize(done.Index, grid.Point(done.Index), done.Run)), progress, cancellationToken);
        return results;
    }

    public static SweepPoint Summarize(int index, IReadOnlyList<ScenarioSetting> settings, RunResult run)
    {
        var s = run.Scenario;
        var hours = s.Groups.Select(g => GroupTerms.OnDutyHours(s, g)).ToArray();
        var cost = s.Groups.Select((g, i) => hours[i] * GroupTerms.CostPerHour(g)).Sum();
        return new SweepPoint(index, settings, s.Name, run.Overall, [.. s.Groups.Select(g => g.Name)], hours.Sum(), cost,
            IntervalsBelow(run, s.ServiceLevel.Target), s.ServiceLevel.Target);
    }

    /// <summary>Counted intervals (after the warm-up) with calls whose mean service level is below
    /// <paramref name="target"/>.</summary>
    public static int IntervalsBelow(RunResult run, double target)
    {
        var first = KpiValues.FirstCountedInterval(run.Scenario);
        var below = 0;
        for (var k = first; k < run.Scenario.IntervalCount; k++)
        {
            var kpis = run.Intervals[k].Kpis;
            var sl = kpis.Scalars[KpiCatalog.ServiceLevel].Mean;
            if (kpis.Scalars[KpiCatalog.Offered].Mean > 0 && !double.IsNaN(sl) && sl < target - 1e-12)
            {
                below++;
            }
        }
        return below;
    }

    // ---- output ----

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
        w.Write(string.Join(',', header) + "\n");
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
            w.Write(string.Join(',', cells) + "\n");
        }
    }

    /// <summary><c>sweep.json</c>: <c>scenario</c>, <c>seed</c>, <c>replications</c>, <c>keys</c> (the swept keys, in
    /// order), <c>points[]</c> with <c>index</c>, <c>values</c> (key to value), <c>agentHours</c>, <c>cost</c>,
    /// <c>intervalsBelowTarget</c>, <c>overall</c> (each KPI as <c>{mean, ci95, n}</c>), <c>occupancy</c>,
    /// <c>operator_hours</c> and <c>cost</c> (by group), <c>operator_hours_total</c> and <c>cost_total</c>.</summary>
    public static void WriteJson(IReadOnlyList<SweepPoint> points, SweepGrid grid, string scenario, long seed, int replications, Stream stream)
    {
        using var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
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
            Json.Number(j, "agentHours", p.AgentHours);
            Json.Number(j, "cost", p.Cost);
            j.WriteNumber("intervalsBelowTarget", p.IntervalsBelowTarget);
            j.WriteStartObject("overall");
            for (var i = 0; i < KpiValues.Names.Length; i++)
            {
                Json.Estimate(j, KpiValues.Names[i], p.Overall.Scalars[i]);
            }
            j.WriteEndObject();
            foreach (var (name, values) in new[] { ("occupancy", p.Overall.OccupancyByGroup), ("operator_hours", p.Overall.OperatorHoursByGroup), ("cost", p.Overall.CostByGroup) })
            {
                j.WriteStartObject(name);
                for (var g = 0; g < p.GroupNames.Count && g < values.Count; g++)
                {
                    Json.Estimate(j, p.GroupNames[g], values[g]);
                }
                j.WriteEndObject();
            }
            Json.Estimate(j, "operator_hours_total", p.Overall.OperatorHours);
            Json.Estimate(j, "cost_total", p.Overall.Cost);
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
            var occupancy = p.Overall.OccupancyByGroup.Count > 0 ? p.Overall.OccupancyByGroup.Select(e => e.Mean).Where(m => !double.IsNaN(m)).DefaultIfEmpty(double.NaN).Average() : double.NaN;
            table.AddRow([
                p.Index.ToString(CultureInfo.InvariantCulture),
                .. Enumerable.Range(0, keys.Count).Select(i => (ConsoleCell)Cut(p.Settings[i].Value, 24)),
                Text.PercentCi(p.Overall.Scalars[KpiCatalog.ServiceLevel]),
                Text.Ci(p.Overall.Scalars[KpiCatalog.AverageSpeedOfAnswer], "F1"),
                Text.PercentCi(p.Overall.Scalars[KpiCatalog.AbandonmentRate]),
                Text.Percent(occupancy),
                p.AgentHours.ToString("N1", CultureInfo.InvariantCulture),
                new ConsoleCell(p.IntervalsBelowTarget.ToString(CultureInfo.InvariantCulture), p.IntervalsBelowTarget > 0 ? CellStyle.Warning : CellStyle.Normal),
            ]);
        }
        ConsoleOutput.For(o).Table(table);
        o.WriteLine("Overall KPIs after the warm-up, mean ± 95 % CI half-width; occupancy: mean over groups; below: intervals whose service level misses serviceLevel.target.");
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
